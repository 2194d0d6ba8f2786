/**
 * A book fic2epub wrote, read back for an update: its identifier and date, its creators and
 * subjects, its stories (one, or an anthology's `sNNN-` ones) with their pages' bytes, and the
 * navigation labels of their chapters. Only our own layout is understood (src/package/,
 * src/render/): anything else is "not ours" and is never updated.
 */
import type { ChildNode, Document, Element, Node } from 'domhandler';
import type * as Htmlparser2 from 'htmlparser2';
import type { StoryImage } from '../model.js';
import type { NavEntry } from '../render/pages.js';
import { openArchive } from '../read/archive.js';


/** A page of the existing book. */
export interface ExistingPage {
  id: string;
  filename: string;
  bytes: Uint8Array;
  /** The document's `<title>`, `lang` and body `epub:type`, as written. */
  title: string;
  lang: string;
  bodyType?: string;
  /** The body's text, spaces folded: what chapters are matched by. */
  text: string;
}

/** One story of the existing book. */
export interface ExistingStory {
  /** '' for a one-story book, `sNNN-` in an anthology. */
  prefix: string;
  /** Every page of the story in reading order. */
  pages: ExistingPage[];
  chapters: ExistingPage[];
  /** Navigation entries by the file they link to (the story's own, in an anthology, by its title page). */
  nav: Map<string, NavEntry>;
  /** An anthology's navigation entry of the whole story ("Title by Author"). */
  entry?: NavEntry;
  /** An anthology's contents-page entry of the story, as written. */
  contentsEntry?: string;
}

/** What an update needs of an existing book. */
export interface ExistingBook {
  identifier: string;
  modified?: string;
  anthology: boolean;
  authors: string[];
  subjects: string[];
  stories: ExistingStory[];
  images: StoryImage[];
  /** The items of its update log, as written, newest first. */
  updateLog: string[];
}

const OPF = 'OEBPS/content.opf';
const CHAPTER_ID = /^(s\d{3}-)?c\d{3}$/;
const STORY_PAGE = /^(s\d{3}-)?(?:title|info|endnotes|c\d{3})$/;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif']);

// htmlparser2 loads with the first book read back: a build that finds no book at its path never needs it.
let DomUtils: typeof Htmlparser2.DomUtils;
let parseDocument: typeof Htmlparser2.parseDocument;
async function loadParser(): Promise<void> {
  ({ DomUtils, parseDocument } = await import('htmlparser2'));
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const xml = (bytes: Uint8Array) => parseDocument(decoder.decode(bytes), { xmlMode: true });
// findAll looks only through elements: a document is searched through its children.
const elements = (root: Node | Node[], name: string): Element[] => DomUtils.findAll((e) => e.name === name, (Array.isArray(root) ? root : [root]).flatMap((n): ChildNode[] => ('name' in n ? [n as ChildNode] : 'children' in n ? (n as Document).children : []))) as Element[];
const fold = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The text of an XHTML body (or of a fragment holding one): what a reader reads. Used only once
 * a book has been read back (`readExistingBook` loads the parser). */
export function bodyText(markup: string): string {
  const doc = parseDocument(markup, { xmlMode: true });
  const body = elements(doc, 'body')[0];
  return fold(DomUtils.textContent(body ?? doc));
}

function navEntries(list: Element | undefined): NavEntry[] {
  if (!list) return [];
  return (list.children.filter((c) => (c as Element).name === 'li') as Element[]).map((li) => {
    const a = (li.children as Element[]).find((c) => c.name === 'a');
    const sub = (li.children as Element[]).find((c) => c.name === 'ol');
    return { label: fold(a ? DomUtils.textContent(a) : ''), href: a?.attribs['href'] ?? '', children: navEntries(sub) };
  });
}

/**
 * Read a book for an update; undefined when it is not a book fic2epub wrote (not a ZIP, no
 * package document where ours is, pages that are not ours).
 */
export async function readExistingBook(bytes: Uint8Array): Promise<ExistingBook | undefined> {
  if (!parseDocument) await loadParser();
  let files: Map<string, Uint8Array>;
  try {
    const archive = await openArchive(bytes);
    files = new Map(await Promise.all(archive.names.map(async (n) => [n, await archive.read(n)] as const)));
  } catch {
    return undefined;
  }
  const opfBytes = files.get(OPF);
  if (!opfBytes || decoder.decode(files.get('mimetype') ?? new Uint8Array()) !== 'application/epub+zip') return undefined;
  try {
    const opf = xml(opfBytes);
    const pkg = elements(opf, 'package')[0];
    const identifier = elements(opf, 'dc:identifier').find((e) => e.attribs['id'] === pkg?.attribs['unique-identifier']);
    if (!pkg || !identifier) return undefined;
    const modified = elements(opf, 'meta').find((m) => m.attribs['property'] === 'dcterms:modified');
    const roles = new Map(elements(opf, 'meta').filter((m) => m.attribs['property'] === 'role').map((m) => [m.attribs['refines']?.slice(1), DomUtils.textContent(m)]));
    const authors = elements(opf, 'dc:creator').filter((c) => roles.get(c.attribs['id']) === 'aut').map((c) => fold(DomUtils.textContent(c)));
    const subjects = elements(opf, 'dc:subject').map((s) => fold(DomUtils.textContent(s)));
    const manifest = new Map(elements(opf, 'item').map((i) => [i.attribs['id']!, i.attribs]));
    const images: StoryImage[] = [];
    for (const item of manifest.values()) {
      const type = item['media-type'] ?? '';
      if (item['href']?.startsWith('images/') && IMAGE_TYPES.has(type)) {
        const data = files.get(`OEBPS/${item['href']}`);
        if (data) images.push({ name: item['href'].slice('images/'.length), mediaType: type as StoryImage['mediaType'], data });
      }
    }
    const navBytes = files.get('OEBPS/nav.xhtml');
    const tocNav = navBytes ? elements(xml(navBytes), 'nav').find((n) => n.attribs['id'] === 'toc') : undefined;
    const toc = navEntries(tocNav ? (tocNav.children as Element[]).find((c) => c.name === 'ol') : undefined);
    const anthology = files.has('OEBPS/contents.xhtml');
    const stories = new Map<string, ExistingStory>();
    for (const ref of elements(opf, 'itemref')) {
      const id = ref.attribs['idref'] ?? '';
      const item = manifest.get(id);
      if (!item || !STORY_PAGE.test(id)) continue;
      const filename = item['href'] ?? '';
      const data = files.get(`OEBPS/${filename}`);
      if (!data || filename !== `${id}.xhtml`) return undefined;
      const doc = xml(data);
      const html = elements(doc, 'html')[0];
      const body = elements(doc, 'body')[0];
      const prefix = /^(s\d{3}-)?/.exec(id)![0];
      // An anthology's own title page is not a story's.
      if (anthology && !prefix) continue;
      const story = stories.get(prefix) ?? { prefix, pages: [], chapters: [], nav: new Map<string, NavEntry>() };
      stories.set(prefix, story);
      const page: ExistingPage = {
        id, filename, bytes: data,
        title: fold(DomUtils.textContent(elements(doc, 'title')[0] ?? [])),
        lang: html?.attribs['lang'] ?? html?.attribs['xml:lang'] ?? '',
        ...(body?.attribs['epub:type'] ? { bodyType: body.attribs['epub:type'] } : {}),
        text: fold(DomUtils.textContent(body ?? doc)),
      };
      story.pages.push(page);
      if (CHAPTER_ID.test(id)) story.chapters.push(page);
    }
    // Navigation: a one-story book lists its chapters; an anthology lists each story by its title page.
    const byPrefix = (href: string) => /^(s\d{3}-)?/.exec(href)![0];
    const walk = (entries: NavEntry[]): void => {
      for (const e of entries) {
        stories.get(byPrefix(e.href))?.nav.set(e.href, e);
        walk(e.children);
      }
    };
    walk(toc);
    if (anthology) for (const e of toc) {
      const story = stories.get(byPrefix(e.href));
      if (story && !story.entry) story.entry = e;
    }
    const contentsBytes = files.get('OEBPS/contents.xhtml');
    if (contentsBytes) {
      for (const li of elements(xml(contentsBytes), 'li')) {
        const href = (li.children as Element[]).find((c) => c.name === 'a')?.attribs['href'];
        const story = href ? stories.get(byPrefix(href)) : undefined;
        if (story) story.contentsEntry = DomUtils.getOuterHTML(li, { xmlMode: true, decodeEntities: false });
      }
    }
    const logBytes = files.get('OEBPS/updates.xhtml');
    const updateLog = logBytes ? elements(xml(logBytes), 'li').map((li) => DomUtils.getOuterHTML(li, { xmlMode: true, decodeEntities: false })) : [];
    return {
      identifier: fold(DomUtils.textContent(identifier)),
      ...(modified ? { modified: fold(DomUtils.textContent(modified)) } : {}),
      anthology,
      authors,
      subjects,
      stories: [...stories.values()],
      images,
      updateLog,
    };
  } catch {
    return undefined;
  }
}
