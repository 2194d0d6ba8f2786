/**
 * calibre's command-line tools for tests (`ebook-meta`, `calibredb`, `ebook-convert`): the
 * calling test skips with a visible note when calibre is not installed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CALIBRE_COLUMNS } from '../../src/package/library-meta.js';

const run = promisify(execFile);

/** Whether a calibre tool is on the PATH. */
export async function haveCalibre(tool = 'ebook-meta'): Promise<boolean> {
  try {
    await run(tool, ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Skip the current test when calibre is missing. */
export async function requireCalibre(ctx: Mocha.Context, tool = 'ebook-meta'): Promise<void> {
  if (await haveCalibre(tool)) return;
  console.log(`      [skipped: calibre's ${tool} is not installed]`);
  ctx.skip();
}

/** Run a calibre tool; its stdout. */
export async function calibre(tool: string, args: string[]): Promise<string> {
  const r = await run(tool, args, { timeout: 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CALIBRE_DISABLE_CHECK_UPDATES: '1' } });
  return r.stdout;
}

/** Create fic2epub's custom columns in a calibre library (`calibredb add_custom_column`). */
export async function addCustomColumns(library: string): Promise<void> {
  for (const c of CALIBRE_COLUMNS) {
    await calibre('calibredb', ['--library-path', library, 'add_custom_column', ...(c.multiple ? ['--is-multiple'] : []), c.label, c.name, c.datatype]);
  }
}
