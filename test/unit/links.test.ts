/** One link policy for every reader: web and mail addresses beyond the saving machine stay links;
 * anything else is its text (fid-004). */
import { expect } from 'chai';
import type { Inline } from '../../src/model.js';
import { readText } from '../../src/read/context.js';
import { genericHtml } from '../../src/read/formats/generic-html.js';
import { markdown } from '../../src/read/formats/markdown/index.js';
import { pixiv } from '../../src/read/formats/pixiv.js';
import { followableHref } from '../../src/read/links.js';

const firstParagraph = (r: ReturnType<typeof readText>): Inline[] => {
  const b = r.story.chapters[0]!.sections[0]!.blocks[0]!;
  return b.kind === 'p' ? b.content : [];
};
const input = (path: string, text: string) => ({ path, text, encoding: 'utf-8' });

describe('link policy', () => {
  it('follows the web and mail, not the saving machine, its network, the page or files', () => {
    for (const ok of ['https://example.org/a', 'http://example.org', 'mailto:ann@example.org']) expect(followableHref(ok), ok).to.equal(true);
    for (const no of ['http://localhost:8080/x', 'http://192.168.1.2/', 'http://printer.local/', '#fn1', 'chapter2.html', 'file:///etc/passwd', 'javascript:x']) expect(followableHref(no), no).to.equal(false);
  });

  it('is the same in HTML, Markdown and pixiv text', () => {
    const html = readText(genericHtml, input('a.html', '<html><body><article><p>See <a href="https://example.org/">the map</a> and <a href="http://localhost/x">my drafts</a>, both long enough to be a story paragraph.</p></article></body></html>'));
    const md = readText(markdown, input('a.md', 'See [the map](https://example.org/) and [my drafts](http://localhost/x), both long enough to be a story paragraph.\n'));
    const px = readText(pixiv, input('a.txt', '[chapter:One]\nSee [[jumpuri:the map > https://example.org/]] and [[jumpuri:my drafts > http://localhost/x]], both long enough.\n'));
    for (const r of [html, md, px]) {
      const links = firstParagraph(r).filter((c) => typeof c !== 'string' && c.kind === 'link');
      expect(links, r.story.source.format).to.deep.equal([{ kind: 'link', href: 'https://example.org/', content: ['the map'] }]);
      expect(r.diagnostics.map((d) => d.code), r.story.source.format).to.include('fid-004');
    }
  });
});
