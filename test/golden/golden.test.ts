/**
 * Golden files: each folder under test/fixtures/golden/<case>/ holds `input.txt` (or .html),
 * optional `options.json` (Options overrides) and the pictures the input names; `expected/` holds every rendered page of the
 * book (before packaging), its package document (`content.opf`), its navigation document
 * (`nav.xhtml`) and `diagnostics.txt`. `UPDATE_GOLDEN=1 npm test` rewrites them;
 * review the diff like code.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStoryBytes } from '../../src/index.js';
import { defaultOptions, type Options } from '../../src/options.js';
import { navDocument } from '../../src/package/epub.js';
import { renderOpf } from '../../src/package/opf.js';
import { filesBeside } from '../../src/read/resources.js';
import { planStory } from '../../src/render/book.js';
import { renderDocument } from '../../src/render/xhtml.js';
import { fixture } from '../helpers/paths.js';

const root = fixture('golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('golden XHTML', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const input = readdirSync(dir).find((f) => /^input\./.test(f));
    if (!input) continue;
    it(`${name}: renders as expected`, async () => {
      const extra = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as Partial<Options>) : {};
      const options = { ...defaultOptions(), ...extra };
      // Pictures (with `images` in options.json) come from the case's own folder.
      const read = await readStoryBytes(input, readFileSync(join(dir, input)), options, {}, {}, filesBeside(join(dir, input)));
      const plan = planStory(read.story, { css: '' });
      const files: Record<string, string> = {};
      for (const p of plan.pages) files[p.filename] = renderDocument({ title: p.title, lang: p.lang, bodyType: p.bodyType, stylesheet: 'style.css', body: p.body! });
      files['content.opf'] = renderOpf(plan);
      files['nav.xhtml'] = navDocument(plan);
      files['diagnostics.txt'] = `format: ${read.detection.format.name}\n${read.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`).join('\n')}\n`;
      const expectedDir = join(dir, 'expected');
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        mkdirSync(expectedDir, { recursive: true });
        for (const [f, text] of Object.entries(files)) writeFileSync(join(expectedDir, f), text);
      }
      expect(existsSync(expectedDir), `no expected/ for ${name}: run UPDATE_GOLDEN=1 npm test`).to.equal(true);
      expect(readdirSync(expectedDir).sort()).to.deep.equal(Object.keys(files).sort());
      for (const [f, text] of Object.entries(files)) expect(text, `${name}/${f}`).to.equal(readFileSync(join(expectedDir, f), 'utf8'));
    });
  }
});
