/** The read side's seams: formats declare themselves (input kind, extensions, inline markers),
 * a reading context per input carries messages, losses and resources. */
import { expect } from 'chai';
import { readStoryBytes } from '../../src/index.js';
import type { Story } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { readContext, readText } from '../../src/read/context.js';
import { detectInput } from '../../src/read/detect.js';
import type { BytesFormat } from '../../src/read/format.js';
import { FORMATS, storyExtensions } from '../../src/read/formats/index.js';
import { genericHtml } from '../../src/read/formats/generic-html.js';
import { emptyStory, para } from '../../src/read/story.js';
import { encodePng } from '../../src/render/png.js';

const ZIP = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** A bytes format that claims anything starting with a zip signature. */
const zipFormat: BytesFormat = {
  name: 'zip-test',
  description: 'a test archive',
  input: 'bytes',
  extensions: ['.zip'],
  inlineMarkers: false,
  precedence: 200,
  sniff: (input) => (input.bytes[0] === 0x50 && input.bytes[1] === 0x4b ? 1 : 0),
  read: (input, ctx) => {
    const story: Story = emptyStory(input.path, 'zip-test');
    story.chapters = [{ sections: [{ blocks: [para(`${input.bytes.length} bytes *kept as typed*`)] }] }];
    ctx.message('read-009', 'only a test', 3);
    return story;
  },
};

describe('reading context and format declarations', () => {
  it('says messages on the input with its path and line', () => {
    const ctx = readContext('a/story.txt');
    ctx.message('meta-004', 'odd', 7);
    ctx.info('meta-006', 'fine');
    expect(ctx.diagnostics).to.deep.equal([
      { code: 'meta-004', severity: 'warning', message: 'odd', input: 'a/story.txt', line: 7 },
      { code: 'meta-006', severity: 'info', message: 'fine', input: 'a/story.txt' },
    ]);
  });

  it('hands a bytes format the raw bytes, never decoding them (a zip is not refused as binary)', () => {
    const ctx = readContext('book.zip');
    const { detection, input } = detectInput('book.zip', ZIP, ctx, [zipFormat, ...FORMATS]);
    expect(detection.format.name).to.equal('zip-test');
    expect(input).to.deep.equal({ path: 'book.zip', bytes: ZIP });
    expect(() => detectInput('book.zip', ZIP, readContext('book.zip'))).to.throw(/binary/);
  });

  it('decodes for the text formats when no bytes format claims the input', () => {
    const ctx = readContext('s.txt');
    const { detection, input } = detectInput('s.txt', Buffer.from('Title: Tea\nAuthor: Ann\n\nShe poured.\n'), ctx, [zipFormat, ...FORMATS]);
    expect(detection.format.input).to.equal('text');
    expect(input).to.have.property('text');
    expect(detection.scores.map((s) => s.name)).to.include('zip-test');
  });

  it('every registered format declares its extensions, input kind and precedence; ties never depend on list order', () => {
    for (const f of FORMATS) {
      expect(f.extensions.length, f.name).to.be.above(0);
      for (const e of f.extensions) expect(e, f.name).to.match(/^\.[a-z0-9]+$/);
      expect(['text', 'bytes']).to.include(f.input);
    }
    const precedences = FORMATS.map((f) => f.precedence);
    expect(new Set(precedences).size, 'precedences are distinct').to.equal(precedences.length);
  });

  it('gives the folder scan every extension a reader claims (.mdown, .eml and .mbox included)', () => {
    const exts = storyExtensions();
    for (const e of ['.txt', '.text', '.html', '.htm', '.xhtml', '.md', '.markdown', '.mdown', '.eml', '.mbox']) expect(exts, e).to.include(e);
    expect(storyExtensions([zipFormat])).to.deep.equal(['.zip']);
  });

  it('runs the emphasis pass only where a format says plain-text markers remain', async () => {
    const md = await readStoryBytes('x.md', Buffer.from('---\ntitle: T\nauthor: A\n---\n\nShe wrote \\*literally\\* and \\_this\\_ and *meant* it.\n'));
    expect(md.story.chapters[0]!.sections[0]!.blocks[0]).to.deep.equal({ kind: 'p', content: ['She wrote *literally* and _this_ and ', { kind: 'em', content: ['meant'] }, ' it.'] });
    const txt = await readStoryBytes('x.txt', Buffer.from('Title: T\nAuthor: A\n\nShe wrote *literally* and meant it.\n'));
    expect(txt.story.chapters[0]!.sections[0]!.blocks[0]).to.deep.equal({ kind: 'p', content: ['She wrote ', { kind: 'em', content: ['literally'] }, ' and meant it.'] });
  });

  it('reads a bytes format through the library with its messages, and leaves its text unparsed when it says no markers remain', async () => {
    // The library reads with the registry; a bytes format reaches it through detectInput's list.
    const ctx = readContext('book.zip');
    const { detection, input } = detectInput('book.zip', ZIP, ctx, [zipFormat]);
    const story = await detection.format.read(input as never, ctx);
    expect(story.chapters[0]!.sections[0]!.blocks[0]).to.deep.equal(para('22 bytes *kept as typed*'));
    expect(ctx.diagnostics.map((d) => [d.code, d.line])).to.deep.equal([['read-009', 3]]);
  });

  it('takes pictures through the context\'s resolver (an upload, not the file system)', () => {
    const png = encodePng(new Uint8Array(4 * 4 * 4).fill(200), 4, 4);
    const uploads = new Map<string, Uint8Array>([['art/cat.png', png]]);
    const html = '<html><head><title>Cat</title></head><body><article><h1>Cat</h1><p>The cat sat by the window all afternoon, watching.</p><p><img src="art/cat.png" alt="a cat"></p><p><img src="art/dog.png" alt="a dog"></p></article></body></html>';
    const r = readText(genericHtml, { path: '/nowhere/cat.html', text: html, encoding: 'utf-8' }, { ...defaultOptions(), images: true }, (p) => uploads.get(p));
    expect(r.story.images?.map((i) => i.mediaType)).to.deep.equal(['image/png']);
    expect(r.diagnostics.map((d) => d.code)).to.include('fid-001'); // the dog was not uploaded
    const none = readText(genericHtml, { path: '/nowhere/cat.html', text: html, encoding: 'utf-8' }, { ...defaultOptions(), images: true });
    expect(none.story.images).to.equal(undefined);
  });

  it('counts losses on the context and reports them once, after the reader\'s own messages', () => {
    const html = '<html><body><article><h1>T</h1><p>Some text long enough to be the story here, really.</p><p><font color="red">Red</font> and <span style="color: blue">blue</span>.</p><script>x()</script></article></body></html>';
    const r = readText(genericHtml, { path: 't.html', text: html, encoding: 'utf-8' });
    const codes = r.diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === 'fid-002')).to.have.length(1);
    expect(codes.slice(-2)).to.deep.equal(['read-008', 'fid-002']);
    expect(r.diagnostics.at(-1)!.message).to.match(/^2 styling marks/);
  });
});
