import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/** The styles/ folder: walk up from this file to the directory with package.json and styles/. */
function stylesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'styles')))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('styles/ not found');
    dir = up;
  }
  return join(dir, 'styles');
}

function cssFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return cssFiles(path);
    return name.endsWith('.css') ? [path] : [];
  });
}

/** Comments removed and string contents blanked, so braces and words in them do not count. */
function stripCss(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
}

interface Rule {
  selectors: string[];
  declarations: { property: string; value: string }[];
}

/** Innermost `selector { declarations }` blocks (enough for plain style sheets and @media). */
function parseRules(css: string): Rule[] {
  const rules: Rule[] = [];
  for (const m of stripCss(css).matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const selectors = m[1]!.split(',').map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean);
    const declarations = m[2]!
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const colon = d.indexOf(':');
        return { property: d.slice(0, colon).trim().toLowerCase(), value: d.slice(colon + 1).trim() };
      });
    rules.push({ selectors, declarations });
  }
  return rules;
}

/** The element a selector applies to (its last compound), or '' for a bare class/id. */
function subjectElement(selector: string): string {
  const last = selector.split(/[\s>+~]+/).filter(Boolean).pop() ?? '';
  return (/^(\*|[a-z][a-z0-9]*)/i.exec(last.replace(/::?[a-z-]+(\([^)]*\))?/gi, ''))?.[1] ?? '').toLowerCase();
}

function braceBalance(css: string): { ok: boolean; depth: number } {
  let depth = 0;
  for (const ch of stripCss(css)) {
    if (ch === '{') depth++;
    if (ch === '}' && --depth < 0) return { ok: false, depth };
  }
  return { ok: depth === 0, depth };
}

/** Classes of the markup contract (src/render/), which base.css must style. */
const CONTRACT_CLASSES = [
  'chapter', 'chapter-title', 'voice', 'voice-label', 'scene-break', 'end-mark', 'center', 'right', 'verse',
  'titlepage', 'title', 'byline', 'series', 'fandom', 'story-info', 'story-info-list', 'summary', 'notes',
  'end-notes', 'anthology-contents', 'contents', 'contents-author', 'contents-rating', 'contents-summary',
  'cover-page',
];
/** Further classes the renderer writes (chapter notes, sub-headings, disclaimer, anthology description). */
const RENDERER_CLASSES = [
  'subheading', 'illustration', 'chapter-summary', 'chapter-notes', 'chapter-end-notes', 'disclaimer', 'description',
  'smallcaps', 'external', 'author-note', 'note-label', 'noteref', 'footnotes', 'footnote', 'footnote-number',
];
const KNOWN_CLASSES = new Set([...CONTRACT_CLASSES, ...RENDERER_CLASSES]);

// Body text is left to the reader: these selectors' subjects must not get a font or colours.
const BODY_TEXT_ELEMENTS = new Set(['html', 'body', 'p', '*']);
const ROOT_ELEMENTS = new Set(['html', 'body', '*']);
const NEUTRAL_COLOURS = /^(inherit|currentcolor|transparent|initial|none)$/i;

const dir = stylesDir();
const files = cssFiles(dir);
let base: string;
let baseRules: Rule[];
let baseSelectors: string[];

/** Declarations of base.css rules whose selector list includes exactly `selector`. */
function declarationsFor(selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of baseRules) {
    if (r.selectors.includes(selector)) for (const d of r.declarations) out[d.property] = d.value;
  }
  return out;
}

describe('styles', () => {
  before(() => {
    base = readFileSync(join(dir, 'base.css'), 'utf8');
    baseRules = parseRules(base);
    baseSelectors = baseRules.flatMap((r) => r.selectors);
  });

  it('has base.css and the default and classic themes', () => {
    const names = files.map((f) => relative(dir, f).split('\\').join('/'));
    expect(names).to.include.members(['base.css', 'themes/default.css', 'themes/classic.css']);
  });

  for (const file of files) {
    const name = relative(dir, file);
    describe(name, () => {
      let css: string;
      let rules: Rule[];
      before(() => {
        css = readFileSync(file, 'utf8');
        rules = parseRules(css);
      });

      it('has balanced braces and no unterminated comment', () => {
        expect(braceBalance(css).ok).to.equal(true);
        expect(css.split('/*').length).to.equal(css.split('*/').length);
      });

      it('forces no font-family on body text', () => {
        for (const r of rules) {
          for (const s of r.selectors) {
            if (!BODY_TEXT_ELEMENTS.has(subjectElement(s))) continue;
            expect(r.declarations.map((d) => d.property), s).not.to.include('font-family');
          }
        }
      });

      it('forces no colour or background on body, and no hard colours anywhere', () => {
        for (const r of rules) {
          for (const d of r.declarations) {
            const colourish = d.property === 'color' || d.property.startsWith('background');
            if (colourish && r.selectors.some((s) => ROOT_ELEMENTS.has(subjectElement(s)))) {
              expect.fail(`${r.selectors.join(', ')} sets ${d.property}`);
            }
            if (colourish || d.property.endsWith('-color')) expect(d.value, `${d.property}: ${d.value}`).to.match(NEUTRAL_COLOURS);
            expect(d.value, `${d.property}: ${d.value}`).not.to.match(/#[0-9a-f]{3,8}\b|\b(rgba?|hsla?)\(/i);
          }
        }
      });

      it('sizes in em and % only', () => {
        for (const r of rules) {
          for (const d of r.declarations) {
            for (const m of d.value.matchAll(/(?<![\w#-])-?(\d*\.?\d+)([a-z%]*)/gi)) {
              expect(['', 'em', '%'], `${d.property}: ${d.value}`).to.include(m[2]!.toLowerCase());
            }
          }
        }
      });

      it('uses no selectors that e-readers often lack (:first-of-type, :nth-*, :not)', () => {
        for (const s of rules.flatMap((r) => r.selectors)) {
          expect(s).not.to.match(/:(first-of-type|last-of-type|only-of-type|nth-|last-child|not\()/);
        }
      });

      it('styles only classes the renderer writes', () => {
        for (const s of rules.flatMap((r) => r.selectors)) {
          for (const m of s.matchAll(/\.([\w-]+)/g)) expect(KNOWN_CLASSES.has(m[1]!), `.${m[1]} in ${s}`).to.equal(true);
        }
      });

      it('hides nothing but the landmarks nav', () => {
        for (const r of rules) {
          if (r.declarations.some((d) => d.property === 'display' && /none/i.test(d.value))) {
            expect(r.selectors).to.deep.equal(['nav#landmarks']);
          }
        }
      });
    });
  }

  describe('base.css', () => {
    for (const cls of CONTRACT_CLASSES) {
      it(`styles .${cls}`, () => {
        expect(baseSelectors.some((s) => new RegExp(`\\.${cls}(?![\\w-])`).test(s))).to.equal(true);
      });
    }

    it('styles the nested toc and hides the landmarks nav', () => {
      expect(baseSelectors).to.include('nav#toc ol');
      expect(declarationsFor('nav#landmarks').display).to.equal('none');
    });

    it('sets paragraphs flush, indented 1.5em, with hyphenation allowed', () => {
      const p = declarationsFor('p');
      expect(p.margin).to.equal('0');
      expect(p['text-indent']).to.equal('1.5em');
      expect(p.hyphens).to.equal('auto');
      expect(p['-webkit-hyphens']).to.equal('auto');
      expect(p['adobe-hyphenate']).to.equal('auto');
    });

    it('does not indent the first paragraph after headings, scene breaks and voice labels', () => {
      for (const s of ['h1 + p', 'h2 + p', 'h3 + p', 'hr + p', '.voice-label + p']) {
        expect(declarationsFor(s)['text-indent'], s).to.equal('0');
      }
    });

    it('keeps headings with what follows and starts chapters on a new page', () => {
      const h = declarationsFor('h1');
      expect(h['page-break-after']).to.equal('avoid');
      expect(h['break-after']).to.equal('avoid');
      const chapter = declarationsFor('section.chapter');
      expect(chapter['page-break-before']).to.equal('always');
      expect(chapter['break-before']).to.equal('page');
    });

    it('draws the scene break as a centred ornament without a rule', () => {
      expect(declarationsFor('hr.scene-break').border).to.equal('0');
      expect(declarationsFor('hr.scene-break')['text-align']).to.equal('center');
      expect(declarationsFor('hr.scene-break::after').content).to.be.a('string');
      expect(base).to.match(/hr\.scene-break::after\s*\{[^}]*content:\s*"[^"]+"/);
    });

    it('centres the end mark and the cover image', () => {
      expect(declarationsFor('p.end-mark')['text-align']).to.equal('center');
      expect(declarationsFor('p.end-mark')['text-indent']).to.equal('0');
      expect(declarationsFor('section.cover-page img')['max-height']).to.equal('100%');
    });
  });
});
