/** The read side's layering: formats go through the shared layers only. The shared HTML layer
 * imports no format, and no format imports another (a family shares a folder, e.g. ao3/). */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
const FORMATS = join(SRC, 'read', 'formats');
const HTML = join(SRC, 'read', 'html');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The files a module imports (relative imports only), resolved to their `.ts` source paths. */
export function relativeImports(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    out.push(resolve(dirname(file), (m[1] ?? m[2])!).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The format a source file belongs to: its file, or its folder, right under read/formats/. */
function formatOf(path: string): string | undefined {
  const rel = relative(FORMATS, path);
  if (rel.startsWith('..')) return undefined;
  const top = rel.split(sep)[0]!;
  return top === 'index.ts' ? undefined : top.replace(/\.ts$/, '');
}

/** Imports that break the layering, as "importer → imported". */
export function layeringBreaks(files: { path: string; text: string }[]): string[] {
  const breaks: string[] = [];
  for (const { path, text } of files) {
    for (const target of relativeImports(path, text)) {
      const inHtml = !relative(HTML, path).startsWith('..');
      const into = formatOf(target);
      if (inHtml && (into !== undefined || target === join(FORMATS, 'index.ts'))) breaks.push(`${relative(SRC, path)} → ${relative(SRC, target)}`);
      const from = formatOf(path);
      if (from !== undefined && into !== undefined && into !== from) breaks.push(`${relative(SRC, path)} → ${relative(SRC, target)}`);
    }
  }
  return breaks;
}

/** Pairs of modules that import each other (type-only imports count too), as "a ↔ b". */
export function mutualImports(files: { path: string; text: string }[]): string[] {
  const imports = new Map(files.map((f) => [f.path, new Set(relativeImports(f.path, f.text))]));
  const pairs: string[] = [];
  for (const [a, targets] of imports) for (const b of targets) if (a < b && imports.get(b)?.has(a)) pairs.push(`${relative(SRC, a)} ↔ ${relative(SRC, b)}`);
  return pairs.sort();
}

describe('read-side layers', () => {
  const files = [...tsFiles(HTML), ...tsFiles(FORMATS)].map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('reads the sources (the check sees every format and the HTML layer)', () => {
    expect(files.filter((f) => formatOf(f.path)).length).to.be.at.least(10);
    expect(files.filter((f) => f.path.startsWith(HTML + sep)).length).to.be.at.least(5);
  });

  it('has no import from read/html/ into read/formats/, and no format importing another', () => {
    expect(layeringBreaks(files)).to.deep.equal([]);
  });

  it('would catch either break', () => {
    const html = { path: join(HTML, 'frame.ts'), text: "import type { TextInput } from '../formats/types.js';" };
    const format = { path: join(FORMATS, 'mail.ts'), text: "import { readPlainLines } from './plain-text.js';\nimport { sniffer } from '../sniff.js';" };
    const family = { path: join(FORMATS, 'ao3', 'html.ts'), text: "import { readStats } from './meta.js';\nimport { x } from '../markdown.js';" };
    expect(layeringBreaks([html, format, family])).to.deep.equal([
      'read/html/frame.ts → read/formats/types.ts',
      'read/formats/mail.ts → read/formats/plain-text.ts',
      'read/formats/ao3/html.ts → read/formats/markdown.ts',
    ]);
  });

  it('has no two modules of the read side importing each other (a context and a format build on shared types)', () => {
    const read = tsFiles(join(SRC, 'read')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(mutualImports(read)).to.deep.equal([]);
    const cycle = [
      { path: join(SRC, 'read', 'context.ts'), text: "import type { Format } from './format.js';" },
      { path: join(SRC, 'read', 'format.ts'), text: "import type { ReadContext } from './context.js';" },
    ];
    expect(mutualImports(cycle)).to.deep.equal(['read/context.ts ↔ read/format.ts']);
  });
});
