/** Markdown's raw HTML goes through the shared HTML layer: a tag means in a Markdown story what
 * it means on a saved page. */
import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import type { Block } from '../../src/model.js';
import { markdown } from '../../src/read/formats/markdown/index.js';
import { htmlBlocks } from '../../src/read/html/blocks.js';
import { parseHtmlPage } from '../../src/read/html/parse.js';
import { newTally } from '../../src/read/html/sanitize.js';

const mdBlocks = (text: string): Block[] => readText(markdown, { path: 'x.md', text, encoding: 'utf-8' }).story.chapters.flatMap((c) => c.sections.flatMap((s) => s.blocks));
const mdDiagnostics = (text: string): string[] => readText(markdown, { path: 'x.md', text, encoding: 'utf-8' }).diagnostics.map((d) => d.code);
/** The blocks the HTML layer reads from a saved page's story markup. */
const pageBlocks = (html: string): Block[] => {
  const page = parseHtmlPage(`<html><body>${html}</body></html>`);
  try {
    return htmlBlocks(page.document.body, newTally());
  } finally {
    page.close();
  }
};

describe('Markdown raw HTML through the shared HTML layer', () => {
  describe('inline tags read as a page reads them', () => {
    const cases: [string, string][] = [
      ['small caps by style', 'the <span style="font-variant: small-caps">Ministry</span> wrote'],
      ['small caps by class', 'the <span class="smallcaps">Ministry</span> wrote'],
      ['underline, superscript, subscript', 'the 1<sup>st</sup> of <u>May</u>, H<sub>2</sub>O'],
      ['a style that is bold and italic', 'a <span style="font-weight: bold; font-style: italic">loud</span> word'],
      ['code and a kept link', 'type <kbd>q</kbd> or see <a href="https://example.org/q">the help</a>'],
      ['a line break', 'Roses are red,<br>violets are blue.'],
    ];
    for (const [what, html] of cases) {
      it(what, () => {
        const fromPage = pageBlocks(`<p>${html}</p>`);
        expect(fromPage).to.have.length(1);
        expect(mdBlocks(`${html}\n`)).to.deep.equal(fromPage);
      });
    }
    it('Markdown emphasis written inside an HTML block is read (as pandoc does); other text stays as it is', () => {
      expect(mdBlocks('<div align="center">*The End* and **more**</div>\n')).to.deep.equal([{ kind: 'p', align: 'center', content: [{ kind: 'em', content: ['The End'] }, ' and ', { kind: 'strong', content: ['more'] }] }]);
      expect(mdBlocks('<div>snake_case_name and 5 * 3 * 2</div>\n')).to.deep.equal([{ kind: 'p', content: ['snake_case_name and 5 * 3 * 2'] }]);
      expect(mdBlocks('<div>Type <code>*x*</code> twice</div>\n')).to.deep.equal([{ kind: 'p', content: ['Type ', { kind: 'code', text: '*x*' }, ' twice'] }]);
    });
    it('Markdown inside a raw element stays Markdown', () => {
      expect(mdBlocks('a <u>*very* odd</u> day\n')).to.deep.equal([{ kind: 'p', content: ['a ', { kind: 'underline', content: [{ kind: 'em', content: ['very'] }, ' odd'] }, ' day'] }]);
    });
    it('a dropped colour is counted as a page counts it (fid-002), a plain span loses nothing', () => {
      expect(mdDiagnostics('<span class="x">plain</span> and <font color="red">red</font>\n')).to.deep.equal(['fid-002']);
    });
    it('a script goes with its content', () => {
      expect(mdBlocks('one <script>alert(1)</script>two\n')).to.deep.equal([{ kind: 'p', content: ['one two'] }]);
    });
  });

  describe('HTML blocks read as a page reads them', () => {
    const cases: [string, string][] = [
      ['a raw <div> block of paragraphs', '<div class="story">\n<p>First <i>one</i>.</p>\n<p>Second, <b>bold</b>.</p>\n</div>'],
      ['a centred scene break', '<div>\n<p>One.</p>\n<div align="center">o0o</div>\n<p>Two.</p>\n</div>'],
      ['line breaks in a block', '<p>Roses are red,<br>\nviolets are blue,<br>\nsugar is sweet.</p>'],
      ['a table', '<table>\n<tr><th>Lamp</th><th>Lit</th></tr>\n<tr><td>7</td><td><i>never</i></td></tr>\n</table>'],
    ];
    it('text right inside an HTML block is HTML, as CommonMark has it, its emphasis marks read as pandoc reads them; after a blank line it is Markdown', () => {
      expect(mdBlocks('<div>\nA *starred* word.\n\nAn *emphasised* one.\n\n</div>\n')).to.deep.equal([
        { kind: 'p', content: ['A ', { kind: 'em', content: ['starred'] }, ' word.'] },
        { kind: 'p', content: ['An ', { kind: 'em', content: ['emphasised'] }, ' one.'] },
      ]);
    });
    it('an element marked markdown="1" (kramdown) holds Markdown', () => {
      expect(mdBlocks('<div class="story" markdown="1">\nA *starred* word.\n</div>\n')).to.deep.equal([{ kind: 'p', content: ['A ', { kind: 'em', content: ['starred'] }, ' word.'] }]);
    });
    for (const [what, html] of cases) {
      it(what, () => {
        const fromPage = pageBlocks(html);
        expect(fromPage).to.not.deep.equal([]);
        expect(mdBlocks(`${html}\n`)).to.deep.equal(fromPage);
      });
    }
  });
});
