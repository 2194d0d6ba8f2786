/**
 * Ace by DAISY (dev dependency @daisy/ace-cli) driving Debian's Chromium. When either is missing
 * the calling test skips with a note, unless FIC2EPUB_REQUIRE_ACE=1 (CI), where it fails.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const run = promisify(execFile);
const ACE = join(repoRoot, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';

/** Why Ace cannot run here, or undefined. */
export function aceUnavailable(): string | undefined {
  if (!existsSync(ACE)) return 'Ace by DAISY is not installed (npm ci installs @daisy/ace-cli)';
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
  return undefined;
}

/** Skip (or fail under FIC2EPUB_REQUIRE_ACE=1) when Ace cannot run. */
export function requireAce(ctx: Mocha.Context): void {
  const why = aceUnavailable();
  if (!why) return;
  if (process.env.FIC2EPUB_REQUIRE_ACE === '1') throw new Error(`Ace is required (FIC2EPUB_REQUIRE_ACE=1): ${why}`);
  console.log(`      [skipped: ${why}]`);
  ctx.skip();
}

/** One accessibility violation Ace reported. */
export interface AceViolation {
  document: string;
  rule: string;
  impact: string;
  title: string;
}

interface Assertion {
  'earl:testSubject'?: { url?: string };
  'earl:test'?: { 'dct:title'?: string; 'earl:impact'?: string };
  'earl:result'?: { 'earl:outcome'?: string };
  assertions?: Assertion[];
}

/** Run Ace on an EPUB; returns every failed check, whatever its impact. */
export async function ace(epub: string): Promise<AceViolation[]> {
  const out = mkdtempSync(join(tmpdir(), 'fic2epub-ace-'));
  try {
    await run(process.execPath, [ACE, '--silent', '--force', '--outdir', out, epub], {
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROMIUM },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { assertions: Assertion[] };
    const violations: AceViolation[] = [];
    for (const doc of report.assertions) {
      for (const a of doc.assertions ?? []) {
        if (a['earl:result']?.['earl:outcome'] === 'fail') {
          violations.push({ document: doc['earl:testSubject']?.url ?? '?', rule: a['earl:test']?.['dct:title'] ?? '?', impact: a['earl:test']?.['earl:impact'] ?? '?', title: a['earl:test']?.['dct:title'] ?? '' });
        }
      }
    }
    return violations;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
