/**
 * EPUBCheck, when Java and its jar are installed (Debian: `apt-get install epubcheck`, run as
 * `java -jar /usr/share/java/epubcheck.jar`). Used by `build --check` and by the tests.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the EPUBCheck jar is looked for (FIC2EPUB_EPUBCHECK_JAR overrides). */
export function epubcheckJar(env: Record<string, string | undefined> = process.env): string {
  return env.FIC2EPUB_EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
}

/** One EPUBCheck finding. */
export interface CheckMessage {
  id: string;
  severity: 'FATAL' | 'ERROR' | 'WARNING';
  message: string;
  location?: string;
}

/** EPUBCheck's verdict on one file. */
export interface CheckResult {
  fatal: number;
  errors: number;
  warnings: number;
  messages: CheckMessage[];
}

/** Why EPUBCheck cannot run here, or undefined when it can. */
export async function epubcheckUnavailable(jar = epubcheckJar()): Promise<string | undefined> {
  if (!existsSync(jar)) return `EPUBCheck is not installed (${jar} is missing; apt-get install epubcheck)`;
  try {
    await run('java', ['-version']);
    return undefined;
  } catch {
    return 'Java is not installed, so EPUBCheck cannot run';
  }
}

interface RawMessage {
  ID: string;
  severity: string;
  message: string;
  locations?: { path: string; line: number; column: number }[];
}

/** Run EPUBCheck on one EPUB file. */
export async function epubcheck(file: string, jar = epubcheckJar()): Promise<CheckResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fic2epub-check-'));
  const out = join(dir, 'report.json');
  try {
    // EPUBCheck exits non-zero when it finds errors; the JSON report is what we read.
    await run('java', ['-jar', jar, file, '--json', out], { maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    if (!existsSync(out)) throw new Error(`EPUBCheck wrote no report for ${file}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { messages: RawMessage[] };
    const messages: CheckMessage[] = report.messages
      .filter((m) => m.severity === 'FATAL' || m.severity === 'ERROR' || m.severity === 'WARNING')
      .map((m) => ({
        id: m.ID,
        severity: m.severity as CheckMessage['severity'],
        message: m.message,
        ...(m.locations?.length ? { location: m.locations.map((l) => `${l.path}:${l.line}`).join(', ') } : {}),
      }));
    const count = (s: string): number => messages.filter((m) => m.severity === s).length;
    return { fatal: count('FATAL'), errors: count('ERROR'), warnings: count('WARNING'), messages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
