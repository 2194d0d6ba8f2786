/**
 * Baseline for the benchmark: epub-gen-memory alone packaging the same stories into one book,
 * each file's text split on blank lines into <p>s — no format detection, no metadata, no
 * typography, no cover. Usage: node dist/bench/bare-packaging.js OUT.epub FILE...
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { EPub } from 'epub-gen-memory';

const [out, ...files] = process.argv.slice(2);
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const chapters = files.map((f, i) => ({
  title: basename(f),
  filename: `c${i}`,
  content: readFileSync(f, 'utf8').split(/\n\s*\n/).map((p) => `<p>${esc(p.trim())}</p>`).join('\n'),
}));
const bytes = await new EPub({ title: 'Bare', author: 'Bench', verbose: false, date: '2000-01-01', description: 'bench' }, chapters).genEpub();
writeFileSync(out!, bytes);
