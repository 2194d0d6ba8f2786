import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readStoryBytes } from '../../src/index.js';
import { genericHtml } from '../../src/read/formats/generic-html.js';
import { detectFormat } from '../../src/read/detect.js';
import { defaultOptions } from '../../src/options.js';
import type { Meta, Story } from '../../src/model.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { TextInput } from '../../src/read/format.js';
import { cruftIn, htmlInput, kinds, texts } from '../helpers/html-fixtures.js';

const page = (body: string, head = ''): { path: string; text: string; encoding: string } => ({
  path: 'x.html',
  encoding: 'utf-8',
  text: `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`,
});

describe('generic-html reader', () => {
  describe('a blog post', () => {
    let input: TextInput;
    let story: Story;
    let diagnostics: Diagnostic[];
    let m: Meta;
    before(() => {
      input = htmlInput('generic-html', 'blog-post.html');
      ({ story, diagnostics } = readText(genericHtml, input, defaultOptions()));
      m = story.meta;
    });

    it('is chosen for an HTML page no site reader claims', () => {
      const d = detectFormat(input);
      expect(d.format.name).to.equal('generic-html');
      expect(d.score).to.be.within(0.9, 0.97);
    });
    it('takes title, author, date, tags, language and description from the page', () => {
      expect(m.title).to.equal('Salt on the Windowsill');
      expect(m.authors).to.deep.equal(['Hollis Marsh']);
      expect(m.published).to.equal('2022-05-17');
      expect(m.tags).to.deep.equal(['cats', 'lighthouses']);
      expect(m.language).to.equal('en-GB');
      expect(texts(m.summary!)).to.deep.equal(['A short story about a lighthouse cat and the woman who feeds it.']);
    });
    it('reads the post body: paragraphs, breaks, emphasis, image alt text', () => {
      expect(story.chapters).to.have.length(1);
      const blocks = story.chapters[0]!.sections[0]!.blocks;
      expect(kinds(blocks)).to.deep.equal(['p', 'p', 'break', 'p', 'p', 'p', 'p', 'break', 'p']);
      expect(blocks[1]).to.deep.equal({ kind: 'p', content: ['The cat had no name. Greta had tried several, and it had refused them all with the same ', { kind: 'em', content: ['slow'] }, ' blink.'] });
      expect(blocks[3]).to.deep.equal({ kind: 'p', content: ['In October the supply boat stopped coming. Greta rationed the milk, then the tea, then the ', { kind: 'strong', content: ['conversation'] }, ', which was easy, because there was no one to talk to but the cat.'] });
      expect(texts(blocks).slice(5, 7)).to.deep.equal(['[the cat on the windowsill]', 'Drawing by the author.']);
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['read-008', 'fid-001', 'fid-008']);
    });
    it('drops the site chrome: header, nav, share, related posts, comments, sidebar, footer, banner', async () => {
      const full = await readStoryBytes(input.path, Buffer.from(input.text));
      expect(cruftIn(full.story, ['Moth', 'Skip to content', 'stories, mostly short', 'Share this', 'bird site', 'Print', 'related-post-text', 'Related', 'Posted', 'Tagged', 'Previous post', 'Quiet Harbour', 'thoughts on', 'commenter-praise-text', 'Leave a Reply', 'comment-box-text', 'Post Comment', 'Recent Posts', 'sidebar-bio-text', 'Proudly powered', 'Stories', 'This website'])).to.deep.equal([]);
    });
  });

  describe('saved chapters and title handling', () => {
    it('splits chapters at headings that read as chapter headings and drops a repeated title and byline', () => {
      const r = readText(genericHtml, page('<h1>Tin Roof</h1><p>by Ada Quell</p><h2>Chapter 1</h2><p>Rain.</p><h2>Chapter 2: Sun</h2><p>Sun.</p>', '<title>Tin Roof</title>'), defaultOptions());
      expect(r.story.meta.title).to.equal('Tin Roof');
      expect(r.story.meta.authors).to.deep.equal(['Ada Quell']);
      expect(r.story.chapters.map((c) => [c.title, texts(c.sections[0]!.blocks)])).to.deep.equal([['Chapter 1', ['Rain.']], ['Chapter 2: Sun', ['Sun.']]]);
    });
    it('splits at every heading of a level where most headings are chapter headings', () => {
      const r = readText(genericHtml, page('<h2>Prologue</h2><p>One.</p><h2>The Long Night</h2><p>Two.</p><h2>Chapter 2</h2><p>Three.</p><h3>A subheading</h3><p>Four.</p>'), defaultOptions());
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Prologue', 'The Long Night', 'Chapter 2']);
      expect(kinds(r.story.chapters[2]!.sections[0]!.blocks)).to.deep.equal(['p', 'heading', 'p']);
    });
    it('keeps a lone non-chapter heading as a heading inside the text', () => {
      const r = readText(genericHtml, page('<article><p>One.</p><h3>Later</h3><p>Two.</p></article>', '<title>Plain | Some Blog</title>'), defaultOptions());
      expect(r.story.meta.title).to.equal('Plain');
      expect(r.story.chapters).to.have.length(1);
      expect(kinds(r.story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p', 'heading', 'p']);
    });
    it('reads a Title:/Author: header block in the text before the page guesses', () => {
      const r = readText(genericHtml, page('<div class="post"><p><b>Title:</b> Marrow<br><b>Author:</b> Ferdie Lowe<br><b>Rating:</b> PG</p><p>Story starts.</p></div>', '<title>Archive page</title><meta name="author" content="Site Admin">'), defaultOptions());
      expect(r.story.meta.title).to.equal('Marrow');
      expect(r.story.meta.authors).to.deep.equal(['Ferdie Lowe']);
      expect(r.story.meta.rating).to.equal('PG');
      expect(texts(r.story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['Story starts.']);
    });
    it('takes the chapter title from a heading just above the text container', () => {
      const r = readText(genericHtml, page('<div id="content"><h2>Chapter 7: Tides</h2><div class="text"><p>One long paragraph of the chapter that holds nearly all of the text on the page, as saved chapters do.</p><p>And a second paragraph, also long enough to matter for the weighing of containers.</p></div></div>'), defaultOptions());
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 7: Tides']);
    });
    it('is a weak guess for text with a few tags, a strong one for a document', () => {
      expect(genericHtml.sniff({ path: 'a.txt', text: 'Some text with a <br> in it.', encoding: 'utf-8' })).to.equal(0.3);
      expect(genericHtml.sniff({ path: 'a.htm', text: '<p>Story.</p>', encoding: 'utf-8' })).to.equal(0.9);
      expect(genericHtml.sniff({ path: 'a.txt', text: '<?xml version="1.0"?>\n<!-- saved -->\n<!DOCTYPE html><html>', encoding: 'utf-8' })).to.equal(0.96);
      expect(genericHtml.sniff({ path: 'a.txt', text: 'Title: Tea\nAuthor: Ann\n\nNo markup at all.', encoding: 'utf-8' })).to.equal(0);
      expect(genericHtml.sniff({ path: 'a.md', text: 'One<br>two<br>three<br>four<br>five<br>six', encoding: 'utf-8' })).to.equal(0.1);
    });
  });
});
