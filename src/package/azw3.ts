/**
 * AZW3 (Kindle's own format) from a finished EPUB, through calibre's `ebook-convert` when it is
 * installed: a conversion this project does not reimplement. Without calibre the EPUB stands
 * (build-006), and Send to Kindle takes the EPUB itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Diagnostic, warning } from '../diagnostics.js';

const run = promisify(execFile);

/** Convert `epub` to `azw3` with `tool` (calibre's ebook-convert). Returns what went wrong (build-006), if anything. */
export async function convertToAzw3(epub: string, azw3: string, tool = 'ebook-convert'): Promise<Diagnostic[]> {
  try {
    await run(tool, [epub, azw3], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CALIBRE_DISABLE_CHECK_UPDATES: '1' } });
    return [];
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') return [warning('build-006', `AZW3 needs calibre's ebook-convert, which is not installed; the EPUB was written (${epub})`)];
    const why = (err.stderr ?? err.message).trim().split('\n').pop() ?? '';
    return [warning('build-006', `ebook-convert could not make ${azw3}: ${why}; the EPUB was written`)];
  }
}
