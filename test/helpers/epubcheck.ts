/**
 * EPUBCheck for tests: runs Debian's jar with Java. When it is missing the calling test skips
 * with a visible note, unless FIC2EPUB_REQUIRE_EPUBCHECK=1 (CI), where it fails.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the EPUBCheck jar is (FIC2EPUB_EPUBCHECK_JAR overrides). */
export const EPUBCHECK_JAR = process.env.FIC2EPUB_EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';

export interface EpubcheckMessage {
  ID: string;
  severity: string;
  message: string;
  locations: { path: string; line: number; column: number }[];
}

export interface EpubcheckResult {
  errors: number;
  warnings: number;
  fatal: number;
  messages: EpubcheckMessage[];
}

let available: boolean | undefined;

/** True when Java and the jar are both there. */
export async function epubcheckAvailable(): Promise<boolean> {
  if (available !== undefined) return available;
  if (!existsSync(EPUBCHECK_JAR)) return (available = false);
  try {
    await run('java', ['-version']);
    return (available = true);
  } catch {
    return (available = false);
  }
}

/** Skip the current test (or fail under FIC2EPUB_REQUIRE_EPUBCHECK=1) when EPUBCheck is missing. */
export async function requireEpubcheck(ctx: Mocha.Context): Promise<void> {
  if (await epubcheckAvailable()) return;
  if (process.env.FIC2EPUB_REQUIRE_EPUBCHECK === '1') throw new Error(`EPUBCheck is required (FIC2EPUB_REQUIRE_EPUBCHECK=1) but ${EPUBCHECK_JAR} or java is missing`);
  console.log(`      [skipped: EPUBCheck not installed at ${EPUBCHECK_JAR}; apt-get install epubcheck]`);
  ctx.skip();
}

/** Run EPUBCheck on one or more files; resolves with counts and messages for each. */
export async function epubcheck(file: string): Promise<EpubcheckResult> {
  const dir = mkdtempSync(join(tmpdir(), 'epubcheck-'));
  const out = join(dir, 'report.json');
  try {
    await run('java', ['-jar', EPUBCHECK_JAR, file, '--json', out], { maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    if (!existsSync(out)) throw new Error(`EPUBCheck wrote no report for ${file}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { messages: EpubcheckMessage[] };
    const count = (sev: string): number => report.messages.filter((m) => m.severity === sev).length;
    return { errors: count('ERROR'), warnings: count('WARNING'), fatal: count('FATAL'), messages: report.messages.filter((m) => m.severity !== 'USAGE' && m.severity !== 'INFO') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per message, for assertion failures. */
export function describeMessages(r: EpubcheckResult): string {
  return r.messages.map((m) => `${m.severity} ${m.ID} ${m.message} @ ${m.locations.map((l) => `${l.path}:${l.line}`).join(', ')}`).join('\n');
}
