/** The user's cover and stylesheet as values: the library builds with bytes and CSS text, and
 * names are resolved once, through a resolver, by whoever holds the files. */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCss } from '../../src/assets.js';
import { buildAnthology, buildEpub, readStoryBytes, type BuildContext } from '../../src/index.js';
import { defaultOptions, type Options } from '../../src/options.js';
import { userFiles, type ResolveResource } from '../../src/read/resources.js';
import { coverImage, resolveCover, resolveStyle } from '../../src/user-assets.js';
import { openEpub } from '../helpers/epub.js';
import { TINY_JPEG, TINY_PNG } from '../helpers/pictures.js';

const TEXT = 'Title: The Ferryman\nAuthor: Oda\n\n' + 'The ferry crossed twice an hour, and the ferryman counted the gulls. '.repeat(20) + '\n';
/** Nothing of this exists on disk: the library must not look there. */
const NOWHERE = '/no/such/folder/fic2epub';
const OPTIONS: Options = { ...defaultOptions(), sourceDateEpoch: 1_600_000_000 };
/** A build context that fails the test if a cover is drawn. */
const NO_DRAWING: BuildContext = { drawCover: () => Promise.reject(new Error('a cover was drawn')) };

/** A resolver over files held in memory. */
const inMemory = (files: Record<string, Uint8Array | string>): ResolveResource => (name) => {
  const f = files[name];
  return f === undefined ? undefined : typeof f === 'string' ? new Uint8Array(Buffer.from(f)) : f;
};

describe('user cover and stylesheet as values', function () {
  this.timeout(30_000);

  it('builds a book with a JPEG cover given as bytes and CSS given as text, no file on disk', async () => {
    const read = await readStoryBytes(`${NOWHERE}/ferry.txt`, Buffer.from(TEXT), OPTIONS);
    const options: Options = { ...OPTIONS, cover: { bytes: TINY_JPEG, mediaType: 'image/jpeg' }, style: { name: `${NOWHERE}/mine.css`, css: 'p { text-indent: 3em; }' } };
    const built = await buildEpub(read.story, options, NO_DRAWING);
    const book = await openEpub(built.bytes);
    expect(Buffer.from(await book.zip.file('OEBPS/cover.jpg')!.async('uint8array')).equals(TINY_JPEG)).to.equal(true);
    expect(await book.text('OEBPS/content.opf')).to.match(/<item id="cover-image" href="cover\.jpg" media-type="image\/jpeg" properties="cover-image">/);
    const css = await book.text('OEBPS/style.css');
    expect(css.endsWith(`/* theme: ${NOWHERE}/mine.css */\np { text-indent: 3em; }`)).to.equal(true);
  });

  it('builds an anthology with a PNG cover given as bytes', async () => {
    const read = await readStoryBytes(`${NOWHERE}/ferry.txt`, Buffer.from(TEXT), OPTIONS);
    const built = await buildAnthology({ title: 'Crossings', editors: ['Oda'], stories: [read.story] }, { ...OPTIONS, cover: coverImage(TINY_PNG, 'c') }, NO_DRAWING);
    const book = await openEpub(built.bytes);
    expect(Buffer.from(await book.zip.file('OEBPS/cover.png')!.async('uint8array')).equals(TINY_PNG)).to.equal(true);
  });

  it('fails a book whose cover bytes are not what their media type says', async () => {
    const read = await readStoryBytes(`${NOWHERE}/ferry.txt`, Buffer.from(TEXT), OPTIONS);
    let error: unknown;
    await buildEpub(read.story, { ...OPTIONS, cover: { bytes: TINY_PNG, mediaType: 'image/jpeg' } }, NO_DRAWING).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/the cover is not a JPEG image/);
  });

  it('keeps the stylesheet a CSS file made: the same text whether read by name or given as text', () => {
    expect(loadCss({ name: 'a.css', css: 'p{}' })).to.equal(`${loadCss('default').split('\n/* theme: default */\n')[0]}\n/* theme: a.css */\np{}`);
    // A file's name is no style: the library never reads it.
    expect(() => loadCss('/etc/mine.css')).to.throw('style "/etc/mine.css" is a file: give its CSS text ({name, css}), read by the caller');
    // A name cannot end the comment it is written in.
    expect(loadCss({ name: 'x*/y.css', css: '' })).to.include('/* theme: xy.css */');
  });

  it('tells a cover by its bytes, never by its name', () => {
    expect(coverImage(TINY_JPEG, 'a.png').mediaType).to.equal('image/jpeg');
    expect(coverImage(TINY_PNG, 'a.jpg').mediaType).to.equal('image/png');
    expect(() => coverImage(Buffer.from('GIF89a'), 'c.gif')).to.throw('the cover c.gif is not a PNG or JPEG image');
  });

  it('resolves a cover and a style by name through the resolver it is given', () => {
    const files = inMemory({ 'art/c.jpg': TINY_JPEG, 'c.gif': 'GIF89a', 'mine.css': '\ufeffp { margin: 0; }' });
    expect(resolveCover('auto', files)).to.equal('auto');
    expect(resolveCover('none', files)).to.equal('none');
    expect(resolveCover('art/c.jpg', files)).to.deep.equal({ bytes: TINY_JPEG, mediaType: 'image/jpeg' });
    expect(() => resolveCover('c.gif', files)).to.throw('the cover c.gif is not a PNG or JPEG image');
    expect(() => resolveCover('gone.png', files)).to.throw('the cover file gone.png cannot be read');
    expect(resolveStyle('classic', files)).to.equal('classic');
    // Read as a file read as UTF-8 always was: a byte order mark kept.
    expect(resolveStyle('mine.css', files)).to.deep.equal({ name: 'mine.css', css: '\ufeffp { margin: 0; }' });
    expect(() => resolveStyle('gone.css', files)).to.throw('style not found: gone.css');
    expect(() => resolveStyle('fancy', files)).to.throw('style not found: fancy');
    expect(() => resolveStyle('../fancy', files)).to.throw('unknown style "../fancy": give a built-in style name or a .css file');
  });

  it("reads the user's own files, relative to a folder or absolute, and has nothing for a missing file or a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-user-files-'));
    try {
      mkdirSync(join(dir, 'art'));
      writeFileSync(join(dir, 'art', 'c.jpg'), TINY_JPEG);
      const files = userFiles(dir);
      expect(Buffer.from(files('art/c.jpg')!).equals(TINY_JPEG)).to.equal(true);
      expect(Buffer.from(userFiles('/')(join(dir, 'art', 'c.jpg'))!).equals(TINY_JPEG)).to.equal(true);
      expect(files('art/gone.jpg')).to.equal(undefined);
      expect(files('art')).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
