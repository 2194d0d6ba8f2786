/** The shared HTML module: sanitizer, markup → blocks, title/meta helpers, header and chapters. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readStoryBytes } from '../../src/index.js';
import type { Block } from '../../src/model.js';
import { emptyMeta } from '../../src/read/story.js';
import { htmlBlocks } from '../../src/read/html/blocks.js';
import { takeFootnotes } from '../../src/read/html/notes.js';
import { metaContent, parseHtmlPage, stripSiteSuffix } from '../../src/read/html/parse.js';
import { newTally, sanitizeStoryHtml, unsafeDiagnostic } from '../../src/read/html/sanitize.js';
import { splitChapters, takeEndMarks, takeHeader } from '../../src/read/structure.js';
import { kinds, texts } from '../helpers/html-fixtures.js';
import { repoRoot } from '../helpers/paths.js';

/** Blocks from a fragment of story markup. */
function blocks(html: string, levels?: Map<Block, number>): Block[] {
  const page = parseHtmlPage(`<!DOCTYPE html><html><body><div id="s">${html}</div></body></html>`);
  try {
    return htmlBlocks(page.document.getElementById('s'), newTally(), levels ? { headingLevels: levels } : {});
  } finally {
    page.close();
  }
}

const LONG = 'This line is long enough to be prose rather than verse, running on past sixty characters';

describe('html: markup → blocks', () => {
  const cases: [string, string, Block[]][] = [
    ['paragraphs with emphasis', '<p>She <em>ran</em>, <b>fast</b>.</p><p>Then <i>stopped</i>.</p>',
      [{ kind: 'p', content: ['She ', { kind: 'em', content: ['ran'] }, ', ', { kind: 'strong', content: ['fast'] }, '.'] }, { kind: 'p', content: ['Then ', { kind: 'em', content: ['stopped'] }, '.'] }]],
    ['whitespace folded across emphasis', '<p>  a \n <em> b </em>  c </p>', [{ kind: 'p', content: ['a ', { kind: 'em', content: ['b '] }, 'c'] }]],
    ['u is underline; styled spans are emphasis', '<p><u>u</u> <span style="font-style: italic">i</span> <span style="font-weight:700">b</span></p>',
      [{ kind: 'p', content: [{ kind: 'underline', content: ['u'] }, ' ', { kind: 'em', content: ['i'] }, ' ', { kind: 'strong', content: ['b'] }] }]],
    ['<br><br> inside a <p> splits it', '<p>One.<br><br>Two.</p>', [{ kind: 'p', content: ['One.'] }, { kind: 'p', content: ['Two.'] }]],
    ['short <br> lines are verse', '<p>Row the boat<br>row it slow<br>row it home</p>', [{ kind: 'verse', lines: [['Row the boat'], ['row it slow'], ['row it home']] }]],
    ['emphasis across a <br> continues on the next line', '<p><em>one line<br>two line</em></p>', [{ kind: 'verse', lines: [[{ kind: 'em', content: ['one line'] }], [{ kind: 'em', content: ['two line'] }]] }]],
    ['long <br> lines in a <p> are one paragraph with its line breaks', `<p>${LONG} one.<br>${LONG} two.</p>`, [{ kind: 'p', content: [`${LONG} one.`, { kind: 'br' }, `${LONG} two.`] }]],
    ['long <br> lines in a container with no <p>s are paragraphs', `<div>${LONG} one.<br>${LONG} two.</div>`, [{ kind: 'p', content: [`${LONG} one.`] }, { kind: 'p', content: [`${LONG} two.`] }]],
    ['a dialogue exchange is not verse', '<p>“Hi.”<br>“Hello.”<br>“Bye.”</p>', [{ kind: 'p', content: ['“Hi.”', { kind: 'br' }, '“Hello.”', { kind: 'br' }, '“Bye.”'] }]],
    ['a dialogue exchange in a container with no <p>s is paragraphs', '<div>“Hi.”<br>“Hello.”<br>“Bye.”</div>', [{ kind: 'p', content: ['“Hi.”'] }, { kind: 'p', content: ['“Hello.”'] }, { kind: 'p', content: ['“Bye.”'] }]],
    ['text in a div: <br><br> paragraphs, a wider gap is a break', '<div>A.<br><br>B.<br><br>C.<br><br><br>D.<br><br>E.</div>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['<hr> and separator lines are breaks', '<p>A.</p><hr><p>B.</p><p>o-o-o-o-o</p><p>C.</p><center>~~~</center><p>D.</p><p>###</p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'break' }, { kind: 'p', content: ['E.'] }]],
    ['centred o/x runs and lone symbols are breaks only when centred', '<p>A.</p><p align="center">xXx</p><p>B.</p><p style="text-align:center">*</p><p>C.</p><p>xXx</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['xXx'] }]],
    ['a rare empty paragraph is a break', '<p>A.</p><p>B.</p><p>&nbsp;</p><p>C.</p><p>D.</p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'break' }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['empty paragraphs between every paragraph are spacing; doubled ones are breaks', '<p>A.</p><p>&nbsp;</p><p>B.</p><p>&nbsp;</p><p>C.</p><p>&nbsp;</p><p>&nbsp;</p><p>D.</p><p><br></p><p>E.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'break' }, { kind: 'p', content: ['D.'] }, { kind: 'p', content: ['E.'] }]],
    ['a centred line is kept centred', '<p align="center">For M.</p><p>A.</p><p>B.</p><p>C.</p>',
      [{ kind: 'p', content: ['For M.'], align: 'center' }, { kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }]],
    ['a page centred throughout is not', '<center><p>A.</p><p>B.</p><p>C.</p><p>D.</p></center>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }, { kind: 'p', content: ['C.'] }, { kind: 'p', content: ['D.'] }]],
    ['blockquote is a quote', '<blockquote><p>Dear B,</p><p>No.</p></blockquote>', [{ kind: 'quote', blocks: [{ kind: 'p', content: ['Dear B,'] }, { kind: 'p', content: ['No.'] }] }]],
    ['headings; a separator heading is a break', '<h3>Later</h3><p>A.</p><h4>* * *</h4><p>B.</p>',
      [{ kind: 'heading', content: ['Later'] }, { kind: 'p', content: ['A.'] }, { kind: 'break' }, { kind: 'p', content: ['B.'] }]],
    ['lists are lists; ordered ones keep their start', '<ul><li>eggs</li><li>milk</li></ul><ol start="3"><li>stir</li><li>bake</li></ol>',
      [{ kind: 'list', ordered: false, items: [[{ kind: 'p', content: ['eggs'] }], [{ kind: 'p', content: ['milk'] }]] }, { kind: 'list', ordered: true, start: 3, items: [[{ kind: 'p', content: ['stir'] }], [{ kind: 'p', content: ['bake'] }]] }]],
    ['pre keeps its lines and their indentation', '<pre>  one\n  two</pre>', [{ kind: 'pre', text: '  one\n  two' }]],
    ['images become their alt text, or nothing', '<p>Look: <img src="http://example.invalid/a.png" alt="a map"><img src="b.png" alt=""><img src="c.png"></p>', [{ kind: 'p', content: ['Look: [a map]'] }]],
    ['script links become their text; web links stay links', '<p><a href="javascript:go()">click</a> and <a href="https://example.invalid/">read</a></p>', [{ kind: 'p', content: ['click and ', { kind: 'link', href: 'https://example.invalid/', content: ['read'] }] }]],
    ['an inline element around blocks is transparent', '<span><p>A.</p><p>B.</p></span>', [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }]],
    ['scripts, styles, frames, objects, forms, selects and their content are gone', '<p>A.<script>evil()</script><style>p{}</style></p><iframe>frame words</iframe><object>object words</object><embed src="x"><form><input value="v"><textarea>typed</textarea><select><option>choice</option></select><button>press</button></form><noscript>no script</noscript><svg><text>svg words</text></svg><p>B.</p>',
      [{ kind: 'p', content: ['A.'] }, { kind: 'p', content: ['B.'] }]],
  ];
  for (const [name, html, expected] of cases) {
    it(name, () => {
      expect(blocks(html)).to.deep.equal(expected);
    });
  }
  it('records heading levels for chapter detection', () => {
    const levels = new Map<Block, number>();
    const bs = blocks('<h2>One</h2><p>a</p><h3>Two</h3>', levels);
    expect(bs.filter((b) => b.kind === 'heading').map((b) => levels.get(b))).to.deep.equal([2, 3]);
  });
});

describe('html: sanitizer', () => {
  it('keeps only the allow-list, with no URLs, handlers or styles', () => {
    const out = sanitizeStoryHtml('<p align="center" style="color:red;background:url(http://x.invalid/a)" onclick="x()">A<a href="javascript:x()" onmouseover="y()">b</a><img src="file:///etc/passwd" alt="pic" onerror="z()"></p><link rel="stylesheet" href="http://x.invalid/s.css"><meta http-equiv="refresh" content="0;url=http://x.invalid/"><base href="http://x.invalid/">');
    expect(out).to.equal('<p align="center">A<a>b</a><img alt="pic" /></p>');
  });
  it('counts what it removes (read-008)', () => {
    const page = parseHtmlPage('<div id="s"><script>a()</script><iframe src="http://x.invalid/"></iframe><form><input></form><p onclick="x()" style="background:url(http://x.invalid/)"><a href="javascript:y()">l</a><img src="a.png" alt="a"></p></div>');
    const tally = newTally();
    htmlBlocks(page.document.getElementById('s'), tally);
    page.close();
    const { losses, footnotes, ...counts } = tally;
    expect(counts).to.deep.equal({ scripts: 1, styles: 0, frames: 0, forms: 2, handlers: 1, scriptUrls: 1, cssUrls: 1, images: 1 });
    expect(footnotes).to.deep.equal([]);
    // The frame is embedded media (fid-008), the background a dropped style (fid-002); the picture is counted when the page is done (fid-001).
    expect(losses.counts).to.deep.equal({ 'fid-008': 1, 'fid-002': 1 });
    expect(unsafeDiagnostic(tally)?.message).to.equal('removed from the story text: 1 script, 2 form controls, 1 event handler, 1 script URL, 1 CSS url()');
    expect(unsafeDiagnostic(newTally())).to.equal(undefined);
  });
});

describe('html: never fetches what a page names', () => {
  let server: Server;
  let hits: string[] = [];
  let base = '';
  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('/* nothing */');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('loads no stylesheet, script, image, frame, object, media, refresh or CSS url()', async () => {
    hits = [];
    const html = `<!DOCTYPE html><html><head><title>Fetch Test</title>
      <link rel="stylesheet" href="${base}/link.css"><link rel="preload" href="${base}/preload"><link rel="icon" href="${base}/icon">
      <meta http-equiv="refresh" content="0;url=${base}/refresh"><script src="${base}/script.js"></script>
      <script>fetch('${base}/fetch'); new Image().src = '${base}/image-js';</script>
      <style>@import url(${base}/import.css); body { background: url(${base}/bg.png); }</style></head>
      <body background="${base}/body-bg.png" onload="fetch('${base}/onload')">
      <article><p>She kept the lamp lit all night, and nobody came.</p><p style="background:url(${base}/inline.png)">Then somebody did.</p>
      <img src="${base}/img.png" srcset="${base}/srcset.png 2x" alt="a lamp"><picture><source srcset="${base}/source.webp"></picture>
      <iframe src="${base}/frame"></iframe><object data="${base}/object"></object><embed src="${base}/embed">
      <video src="${base}/video" poster="${base}/poster.png"></video><audio src="${base}/audio"></audio>
      <img src="file:///etc/passwd" alt=""><svg><image href="${base}/svg.png"/></svg></article></body></html>`;
    const r = await readStoryBytes('fetch-test.html', Buffer.from(html));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hits).to.deep.equal([]);
    expect(JSON.stringify(r.story)).not.to.include('127.0.0.1');
    expect(r.story.chapters[0]!.sections[0]!.blocks.map((b) => (b.kind === 'p' ? b.content.join('') : b.kind))).to.deep.equal(['She kept the lamp lit all night, and nobody came.', 'Then somebody did.', '[a lamp]']);
  });
});

describe('html: loading', () => {
  it('a text-only run never loads jsdom or sanitize-html', () => {
    const index = pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href;
    const script = `import { createRequire } from 'node:module';
      const { readStoryBytes } = await import(${JSON.stringify(index)});
      await readStoryBytes('x.txt', Buffer.from('Title: Tea\\nAuthor: Ann\\n\\nShe poured the tea and waited.\\n'));
      const cache = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(cache.filter((k) => /node_modules[\\\\/](jsdom|sanitize-html)[\\\\/]/.test(k)).length));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal('0');
  });
});

describe('html: titles and meta', () => {
  const cases: [string, string, string[]?][] = [
    ['Paper Cranes, a Kitchen Witches fanfic | FanFiction', 'Paper Cranes'],
    ['Quiet Hours Chapter 3, a Star Trek: The Next Generation fanfic | FanFiction', 'Quiet Hours Chapter 3'],
    ['Night Bus, a romance fiction | FictionPress', 'Night Bus'],
    ['Seven Spoons - Corvina - Original Work [Archive of Our Own]', 'Seven Spoons - Corvina - Original Work'],
    ['Salt on the Windowsill – Moth & Lantern', 'Salt on the Windowsill', ['Moth & Lantern']],
    ['The Night Ferry: thornbury — LiveJournal', 'The Night Ferry: thornbury'],
    ['Dreamwidth: Fic: Kettles', 'Fic: Kettles'],
    ['Plain Title | My Little Blog', 'Plain Title'],
    ['Love - Actually', 'Love - Actually'],
    ['FanFiction', 'FanFiction'],
  ];
  for (const [title, expected, sites] of cases) {
    it(`strips "${title}" to "${expected}"`, () => {
      expect(stripSiteSuffix(title, sites)).to.equal(expected);
    });
  }
  it('reads <meta> by name, property or Dublin Core spelling, case-insensitively', () => {
    const page = parseHtmlPage('<html><head><meta name="dc.Creator" content=" Ann  Bell "><meta property="og:title" content="Tea"><meta name="description" content=""><meta name="DCTERMS.title" content="Tea Time"></head><body></body></html>');
    const doc = page.document;
    expect(metaContent(doc, 'DC.creator')).to.equal('Ann Bell');
    expect(metaContent(doc, 'og:title')).to.equal('Tea');
    expect(metaContent(doc, 'dcterms.title', 'og:title')).to.equal('Tea Time');
    expect(metaContent(doc, 'description')).to.equal(undefined);
    page.close();
  });
});

describe('html: header blocks, chapters, end marks', () => {
  it('reads a header from verse lines and a summary quote, keeping notes above it', () => {
    const meta = emptyMeta();
    const bs = blocks('<p>Happy birthday, Sam!</p><p><b>Title:</b> Tea<br><b>Author:</b> Ann<br><b>Rating:</b> G<br><b>Summary:</b></p><blockquote><p>A cup of tea.</p></blockquote><p>Part 1/2</p><p>The story.</p>');
    const r = takeHeader(bs, meta, 'Tea');
    expect(r.found).to.equal(true);
    expect(r.part).to.deep.equal({ index: 1, total: 2 });
    expect([meta.title, meta.authors, meta.rating]).to.deep.equal(['Tea', ['Ann'], 'G']);
    expect(texts(meta.summary!)).to.deep.equal(['A cup of tea.']);
    expect(texts(meta.notes!)).to.deep.equal(['Happy birthday, Sam!']);
    expect(texts(r.rest)).to.deep.equal(['The story.']);
  });
  it('leaves blocks alone when there is no header', () => {
    const bs = blocks('<p>Title of nothing</p><p>Just a story.</p>');
    expect(takeHeader(bs, emptyMeta(), undefined).rest).to.equal(bs);
  });
  it('splits chapters at chapter-heading paragraphs and takes end marks', () => {
    const bs = blocks('<p>Note first.</p><p><b>Chapter One</b></p><p>A.</p><hr><p>Epilogue</p><p>B.</p><hr><p align="center"><i>~ The End ~</i></p>');
    const chapters = splitChapters(bs);
    expect(chapters.map((c) => [c.title, kinds(c.blocks)])).to.deep.equal([[undefined, ['p']], ['Chapter One', ['p']], ['Epilogue', ['p', 'break', 'p']]]);
    const last = chapters[2]!.blocks;
    expect(takeEndMarks(last)).to.deep.equal([{ kind: 'p', content: ['~ The End ~'] }]);
    expect(kinds(last)).to.deep.equal(['p']);
  });
});
