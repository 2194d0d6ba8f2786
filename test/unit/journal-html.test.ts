import { expect } from 'chai';
import { readText } from '../../src/read/context.js';
import { readStoryBytes } from '../../src/index.js';
import { journalHtml } from '../../src/read/formats/journal-html.js';
import { detectFormat } from '../../src/read/detect.js';
import { defaultOptions } from '../../src/options.js';
import type { Meta, Story } from '../../src/model.js';
import type { Diagnostic } from '../../src/diagnostics.js';
import type { TextInput } from '../../src/read/format.js';
import { cruftIn, htmlInput, kinds, texts } from '../helpers/html-fixtures.js';

describe('journal-html reader', () => {
  describe('a Dreamwidth entry with a <b>Title:</b> header', () => {
    let input: TextInput;
    let story: Story;
    let diagnostics: Diagnostic[];
    let m: Meta;
    before(() => {
      input = htmlInput('journal-html', 'dreamwidth.html');
      ({ story, diagnostics } = readText(journalHtml, input, defaultOptions()));
      m = story.meta;
    });

    it('is chosen for the entry page', () => {
      const d = detectFormat(input);
      expect(d.format.name).to.equal('journal-html');
      expect(d.score).to.be.greaterThan(0.96);
    });
    it('reads the header block, the subject\'s part marker, the date and the tags', () => {
      expect(m.title).to.equal('The Kettle Society');
      expect(m.authors).to.deep.equal(['Wren Feather']);
      expect(m.fandoms).to.deep.equal(['Original Work']);
      expect(m.relationships).to.deep.equal(['Agnes/Philippa']);
      expect(m.rating).to.equal('G');
      expect(m.statedWords).to.equal(260);
      expect(texts(m.summary!)).to.deep.equal(['Three kettles, two neighbours, one very small war.']);
      expect(texts(m.notes!)).to.deep.equal(["For the autumn swap. Unbeta'd, all mistakes are mine."]);
      expect(m.series).to.deep.equal({ name: 'The Kettle Society', index: 1, total: 2 });
      expect(m.published).to.equal('2019-11-03');
      expect(m.tags).to.deep.equal(['fic', 'original fiction', 'kettle society']);
    });
    it('reads <br><br> paragraphs, a wider gap as a scene break, and emphasis', () => {
      expect(story.chapters.map((c) => c.title)).to.deep.equal(['Part 1']);
      const blocks = story.chapters[0]!.sections[0]!.blocks;
      expect(kinds(blocks)).to.deep.equal(['p', 'p', 'p', 'p', 'break', 'p', 'p', 'p', 'p']);
      expect(blocks[0]).to.deep.equal({ kind: 'p', content: ['Agnes Pell owned three kettles and used all of them, which Philippa next door considered ', { kind: 'em', content: ['excessive'] }, '.'] });
      expect(blocks[6]).to.deep.equal({ kind: 'p', content: ['By Friday there were ', { kind: 'strong', content: ['six'] }, ' kettles between the two houses, and a truce was clearly needed.'] });
      expect(texts(blocks)[7]).to.equal('[a photo of a copper kettle]');
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['read-008', 'fid-001', 'fid-008']);
    });
    it('keeps no comments, reply form, navigation, sidebar or footer', async () => {
      const full = await readStoryBytes(input.path, Buffer.from(input.text));
      expect(cruftIn(full.story, ['Previous Entry', 'Next Entry', 'Add to Memories', 'Share This Entry', 'Leave a comment', '2 comments', 'pondreader', 'spite kettle', 'reply-box-text', 'Post Comment', 'Wren writes', 'Page generated', 'Powered by', 'personal profile', 'embedded player', "Wren's Nest", 'a place for kettles', 'wrenfeather', 'Profile'])).to.deep.equal([]);
    });
  });

  describe('a LiveJournal entry without a header', () => {
    let input: TextInput;
    let story: Story;
    let diagnostics: Diagnostic[];
    before(() => {
      input = htmlInput('journal-html', 'livejournal.html');
      ({ story, diagnostics } = readText(journalHtml, input, defaultOptions()));
    });

    it('takes the subject as title and the poster as author (meta-007)', () => {
      expect(detectFormat(input).format.name).to.equal('journal-html');
      expect(story.meta.title).to.equal('The Night Ferry');
      expect(story.meta.authors).to.deep.equal(['thornbury']);
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['meta-007']);
      expect(story.meta.published).to.equal('2012-08-09');
      expect(story.meta.tags).to.deep.equal(['ficlet', 'ferries']);
    });
    it('reads the text, a centred lone "~" as a scene break, and nothing else', () => {
      expect(kinds(story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p', 'p', 'break', 'p']);
      expect(cruftIn(story, ['Log in', 'I agree', 'Leave a comment', 'commenter-text', 'Terms of Service', 'This website'])).to.deep.equal([]);
    });
  });
});
