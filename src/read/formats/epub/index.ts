/**
 * EPUB 2 and 3 as an input: the archive opened safely in memory (src/read/archive.ts), DRM
 * refused, container → package → spine, the table of contents for chapter titles, the package
 * metadata, the producers' own pages read as metadata, and the text through the shared HTML
 * layer (styling, lists, tables, footnotes, pictures from the archive).
 *
 *   package.ts   container.xml → OPF → manifest and spine; DRM
 *   toc.ts       nav document or NCX → titled entries
 *   metadata.ts  OPF metadata → Meta, identifier, cover
 *   content.ts   spine documents → one page; pictures
 *   producers.ts AO3, FanFicFare, WebToEpub, calibre, pandoc pages → metadata
 */
import type { Block, Chapter, Meta, Story, StoryImage } from '../../../model.js';
import { blockText } from '../../../text.js';
import { looksLikeEpub, looksLikeZip, openArchive, type ArchiveLimits } from '../../archive.js';
import type { ReadContext } from '../../context.js';
import type { BytesFormat, BytesInput } from '../../format.js';
import { htmlBlocksOfEach } from '../../html/blocks.js';
import { finishPageRead } from '../../html/frame.js';
import { takeFootnotes } from '../../html/notes.js';
import { parseHtmlPage } from '../../html/parse.js';
import { newTally } from '../../html/sanitize.js';
import { imageSink } from '../../images.js';
import { storyAsText, withBookMeta, writtenParagraph } from '../../saved-text.js';
import { emptyStory } from '../../story.js';
import { sameTitle, trimBreaks } from '../../structure.js';
import { archiveResolver, itemId, namedImage, pageId, readPictures, spinePage } from './content.js';
import { pngCover } from './cover.js';
import { readPackageMeta } from './metadata.js';
import { readPackage, refuseDrm } from './package.js';
import { readProducerPages } from './producers.js';
import { isCalibreDrawnCover, isStandInTitle, statesNothing, takeFirstChapterHeader, takeTrailingPageChrome } from './stand-ins.js';
import { readToc, type TocEntry } from './toc.js';
import { xmlParser } from './xml.js';

/** True when the input is to be read as an EPUB: an EPUB signature, or a zip named `.epub`. */
export function isEpubInput(path: string, bytes: Uint8Array): boolean {
  return looksLikeEpub(bytes) || (/\.epub$/i.test(path) && (looksLikeZip(bytes) || bytes.length === 0 || bytes[0] === 0x50));
}

// calibre's split files: "chapter_split_001.html" continues "chapter_split_000.html" (or "chapter.html").
const SPLIT = /_split_\d+(?=\.[^.]+$)/;

/** A run of the book that may start a chapter: a spine item, or a piece of one its table of
 * contents points into at several places. */
interface Part {
  name: string;
  title?: string;
  el: Element;
}

/** The child of `wrapper` that holds `el` (or is it). */
function topChild(wrapper: Element, el: Element | null): Element | undefined {
  let at = el;
  while (at && at.parentElement !== wrapper) at = at.parentElement;
  return at ?? undefined;
}

/** The kept spine items as parts: whole, titled by their first entry, or, when the contents point
 * into one item at two or more places (a book in one file), cut at those places. */
function partsOf(kept: number[], wrappers: Element[], names: string[], toc: TocEntry[], doc: Document): Part[] {
  const parts: Part[] = [];
  for (const i of kept) {
    const name = names[i]!;
    const wrapper = wrappers[i]!;
    const entries = toc.filter((e) => e.name === name);
    const cuts = new Map<Element, string>();
    for (const e of entries) {
      const at = e.fragment ? topChild(wrapper, doc.getElementById(pageId(i, e.fragment))) : undefined;
      if (at && !cuts.has(at)) cuts.set(at, e.title);
    }
    if (cuts.size < 2) {
      parts.push({ name, ...(entries[0] ? { title: entries[0].title } : {}), el: wrapper });
      continue;
    }
    const lead = entries.find((e) => !e.fragment);
    let cur: Part = { name, ...(lead ? { title: lead.title } : {}), el: doc.createElement('div') };
    for (const child of Array.from(wrapper.childNodes)) {
      const title = cuts.get(child as Element);
      if (title !== undefined) {
        if (cur.el.textContent?.trim() || cur.el.querySelector('img')) parts.push(cur);
        cur = { name, title, el: doc.createElement('div') };
      }
      cur.el.append(child);
    }
    parts.push(cur);
  }
  return parts;
}

/** Parts grouped into chapters: a titled part starts one; an untitled part continues the chapter
 * before it. With no usable table of contents, each item is a chapter, and calibre's split files
 * join back. */
function groupChapters(parts: Part[]): { title?: string; parts: Part[] }[] {
  const listed = parts.some((p) => p.title !== undefined);
  const groups: { title?: string; parts: Part[] }[] = [];
  for (const part of parts) {
    const last = groups[groups.length - 1];
    const previous = last?.parts[last.parts.length - 1];
    const continues = listed ? part.title === undefined && last !== undefined : previous !== undefined && SPLIT.test(part.name) && part.name.replace(SPLIT, '') === previous.name.replace(SPLIT, '');
    if (continues) last!.parts.push(part);
    else groups.push({ ...(part.title !== undefined ? { title: part.title } : {}), parts: [part] });
  }
  return groups;
}

/** A leading heading (or title line) that repeats the chapter's title goes; an untitled chapter takes it as its title. */
function takeTitle(blocks: Block[], title: string | undefined, levels: Map<Block, number>): { title?: string; blocks: Block[] } {
  const rest = trimBreaks(blocks);
  const first = rest[0];
  if (first && (first.kind === 'heading' || first.kind === 'p')) {
    const text = blockText(first).trim();
    if (title !== undefined && sameTitle(text, title)) return { title, blocks: rest.slice(1) };
    if (title === undefined && first.kind === 'heading' && (levels.get(first) ?? 9) <= 3 && text.length <= 150) return { title: text, blocks: rest.slice(1) };
  }
  return { ...(title !== undefined ? { title } : {}), blocks: rest };
}

/** Read an EPUB held in memory. Throws InputError (read-011/012/013) for a book that cannot be read.
 * Pictures in the archive come along whatever `--images` says: they are part of the book. */
export async function readEpub(input: BytesInput, ctx: ReadContext, limits: Partial<ArchiveLimits> = {}): Promise<Story> {
  const { path, bytes } = input;
  const archive = await openArchive(bytes, limits);
  const parser = xmlParser();
  try {
    await refuseDrm(archive, parser);
    const pkg = await readPackage(archive, parser);
    const toc = await readToc(archive, pkg, parser);
    const spine = await spinePage(archive, pkg, parser);
    const pm = readPackageMeta(pkg);
    const { byName, unsupported } = await readPictures(archive, [...spine.pictures, ...(pm.cover ? [pm.cover] : [])]);

    const story: Story = emptyStory(path, 'epub', 'utf-8');
    story.meta = pm.meta;
    if (pm.identifier) story.source.identifier = pm.identifier;
    const sink = imageSink(archiveResolver(byName));
    const tally = { ...newTally(sink), losses: ctx.losses, footnotes: ctx.footnotes };
    const page = parseHtmlPage(spine.markup);
    let coverFound: StoryImage | undefined;
    let rereadAsText = false;
    try {
      const doc = page.document;
      takeFootnotes(doc, tally);
      const wrappers = spine.items.map((i) => doc.getElementById(itemId(i.index))!);
      const names = spine.items.map((i) => i.name);
      const listed = new Set(spine.items.filter((i) => toc.some((e) => e.name === i.name)).map((i) => i.index));
      const found = readProducerPages({ doc, items: spine.items, wrappers, pm, meta: story.meta, tally, ...(pkg.nav ? { navName: pkg.nav.name } : {}), listed });
      if (found.names.length) ctx.info('read-014', `made by ${found.names.join(', ')}: ${found.dropped.size} of the tool's own ${found.dropped.size === 1 ? 'page' : 'pages'} read as metadata, not story text`);
      const kept = spine.items.map((i) => i.index).filter((i) => !found.dropped.has(i));
      const groups = groupChapters(partsOf(kept, wrappers, names, toc, doc));
      const holders = groups.map((g) => {
        const holder = doc.createElement('div');
        for (const p of g.parts) holder.append(p.el);
        doc.body.append(holder);
        return holder;
      });
      const notes = holders.map((h) => found.chapterNotes?.(h, tally) ?? {});
      const levels = new Map<Block, number>();
      const texts = htmlBlocksOfEach(holders, tally, { headingLevels: levels });
      story.chapters = groups
        .map((g, k): Chapter => {
          const { title, blocks } = takeTitle(texts[k]!, g.title, levels);
          return { ...(title !== undefined ? { title } : {}), sections: [{ blocks }], ...notes[k] };
        })
        .filter((c) => c.sections[0]!.blocks.some((b) => b.kind !== 'break'));
      // A saved text converted with nothing stated in the package, and nothing but text in its
      // pages: the text formats read it as the text it was (its header, cruft, shape, emphasis).
      const text = statesNothing(story.meta) ? storyAsText(story, () => writtenParagraph(holders)) : undefined;
      const again = text !== undefined ? ctx.readAsText?.(text) : undefined;
      if (again) {
        rereadAsText = true;
        ctx.info('read-014', `a saved text converted to EPUB, with nothing stated in its package: read again as ${again.source.format} (${again.chapters.length} ${again.chapters.length === 1 ? 'chapter' : 'chapters'})`);
        story.meta = withBookMeta(again.meta, { ...story.meta, title: undefined } as Meta);
        story.chapters = again.chapters;
        if (again.front) story.front = again.front;
        if (again.end) story.end = again.end;
        if (again.source.inlineMarkers) story.source.inlineMarkers = true;
      }
      // A book converted from a saved text: its header is the top of the first chapter.
      const header = again ? undefined : takeFirstChapterHeader(story, path);
      if (header) {
        ctx.diagnostics.push(...header.diagnostics);
        if (header.fields.length) ctx.info('read-014', `the first chapter opens with the story's header: ${header.fields.join(', ')} read from it`);
        // A converted saved page also keeps the page's end: its tags line and comment form.
        const cut = takeTrailingPageChrome(story);
        if (cut) ctx.info('read-014', `the last chapter ends with the saved page's tags line or comment form: ${cut} ${cut === 1 ? 'block' : 'blocks'} taken off`);
      }
      const cover = pm.cover ?? found.coverPicture;
      // calibre draws a cover from what it was told, here the file's name and "Unknown": a cover
      // of the wrong title (or of none), so the book gets fic2epub's own. A cover of the
      // reader's own is kept.
      const drawnFromStandIns = (bytes: Uint8Array): boolean => pm.standInAuthor && (rereadAsText || header?.replaced === true || isStandInTitle(story.meta.title)) && isCalibreDrawnCover(bytes);
      const coverBytes = cover ? byName.get(cover) : undefined;
      const coverImage = coverBytes && !drawnFromStandIns(coverBytes) ? namedImage(coverBytes) : undefined;
      if (coverImage) coverFound = coverImage;
    } finally {
      page.close();
    }
    if (unsupported.length) ctx.message('fid-001', `${unsupported.length} ${unsupported.length === 1 ? 'picture' : 'pictures'} in a format e-readers do not all show (${[...new Set(unsupported.map((n) => n.replace(/^.*\./, '').toUpperCase()))].join(', ')}) left out; no converter for it is installed`);
    if (sink.images.length) story.images = sink.images;
    const cover = coverFound ? await pngCover(coverFound) : undefined;
    if (cover) story.cover = cover;
    return finishPageRead(story, tally, ctx, !rereadAsText);
  } finally {
    parser.close();
  }
}

/** EPUB as an input format: bytes in, recognised by its signature (or a zip named `.epub`). */
export const epub: BytesFormat = {
  name: 'epub',
  description: 'EPUB 2 or 3 books (AO3, FanFicFare, WebToEpub, calibre, pandoc and others): chapters, metadata, pictures',
  input: 'bytes',
  extensions: ['.epub'],
  inlineMarkers: false,
  // Bytes formats are asked before any text format; among them the highest goes first.
  precedence: 200,
  sniff: (input) => (isEpubInput(input.path, input.bytes) ? 1 : 0),
  read: (input, ctx) => readEpub(input, ctx),
};
