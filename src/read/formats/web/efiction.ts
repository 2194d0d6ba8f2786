/**
 * eFiction archives' story pages, above all the printable view (`viewstory.php?action=printable`):
 * a `#pagetitle` "Title by Author", an info box of `<span class="label">Field:</span> value`
 * pairs, story notes, then per chapter a `.chaptertitle` ("N. Title by Author"), its notes and
 * its `.chapter` text; the archive's disclaimer (`#copyright`) and "archived at" line close it.
 * Older eFiction pages (1.x) put "Title by Author" and `<b>Field:</b>` lines above `<hr>`-ruled
 * text: those are read by the web reader with the archive's shape.
 */
import type { Block, Chapter, Meta, Story } from '../../../model.js';
import type { ReadContext } from '../../context.js';
import type { TextFormat, TextInput } from '../../format.js';
import { fieldFor, parseDate, parseWordCount, splitList, type FieldAliases } from '../../header.js';
import { htmlBlocks } from '../../html/blocks.js';
import { readHtmlStory } from '../../html/frame.js';
import { foldSpace, textOf } from '../../html/parse.js';
import { trimBreaks } from '../../structure.js';
import { readWebPage } from './generic-html.js';
import { dropHiddenText } from './page.js';

function sniff(input: TextInput): number {
  const t = input.text;
  // Its links carry `?sid=`: text with no `=` holds none (one search instead of a regex's walk).
  if (!t.includes('=')) return 0;
  if (!/viewstory\.php\?sid=\d/i.test(t) || !/viewuser\.php\?uid=\d/i.test(t)) return 0;
  return /id=["']pagetitle["']|class=["']chaptertitle["']|archived at/i.test(t) ? 0.97 : 0.5;
}

/** eFiction's US dates ("06/18/2009"), else what `parseDate` reads. */
function archiveDate(value: string): string | undefined {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  return parseDate(value);
}

const NONE = /^(?:none|n\/a|-)?$/i;

/** The `Label: value` pairs of an info box: each label's value runs to the next label or line break. */
function labelledFields(box: Element): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | undefined;
  let value = '';
  const flush = (): void => {
    if (key && !out.has(key)) out.set(key, foldSpace(value));
    key = undefined;
    value = '';
  };
  const walk = (n: Node): void => {
    if (n.nodeType === 1) {
      const el = n as Element;
      if (el.classList.contains('label')) {
        flush();
        key = textOf(el).replace(/:$/, '').toLowerCase();
        return;
      }
      if (el.localName === 'br') {
        flush();
        return;
      }
      el.childNodes.forEach(walk);
    } else if (n.nodeType === 3 && key) value += n.textContent ?? '';
  };
  box.childNodes.forEach(walk);
  flush();
  return out;
}

// eFiction's labels where they mean something else than in the shared table: its categories are
// fandoms, its genres tags, "Completed" its status.
const EFICTION_FIELDS: FieldAliases = {
  'categories': { target: 'fandoms' }, 'category': { target: 'fandoms' },
  'genre': { target: 'tags' }, 'genres': { target: 'tags' },
  'completed': { target: 'extra', label: 'Completed' },
};

/** The info box's fields, by the shared header field table with eFiction's own labels first. */
function applyFields(meta: Meta, fields: Map<string, string>): void {
  for (const [k, v] of fields) {
    if (NONE.test(v)) continue;
    const rule = fieldFor(k, EFICTION_FIELDS);
    const list = (): string[] => splitList(v).filter((x) => !NONE.test(x));
    switch (rule?.target) {
      case 'summary': meta.summary = [{ kind: 'p', content: [v] }]; break;
      case 'rating': meta.rating = v; break;
      case 'fandoms': case 'characters': case 'tags': case 'warnings': meta[rule.target].push(...list()); break;
      case 'published': meta.published = archiveDate(v) ?? meta.published; break;
      case 'updated': meta.updated = archiveDate(v) ?? meta.updated; break;
      case 'statedWords': meta.statedWords = parseWordCount(v) ?? meta.statedWords; break;
      case 'series': meta.series = { name: v }; break;
      case 'extra': if (rule.label === 'Completed') meta.extra['Completed'] = v; break;
      default: break; // the archive's counters and links (Read, Reviews, Challenges …)
    }
  }
}

/** "2. Landfall by Hollis Reed" → "Landfall": the number and the byline go. */
function chapterName(el: Element): string | undefined {
  const copy = el.cloneNode(true) as Element;
  for (const a of Array.from(copy.querySelectorAll('a[href*="viewuser.php"]'))) a.remove();
  const t = textOf(copy).replace(/\s+by\s*$/i, '').replace(/^\d+\.\s*/, '').trim();
  return t || undefined;
}

function readPrintable(doc: Document, meta: Meta, tally: Parameters<typeof htmlBlocks>[1]): Chapter[] {
  const head = doc.querySelector('#pagetitle')!;
  const titleLink = head.querySelector('a[href*="viewstory.php"]');
  meta.title = textOf(titleLink) || textOf(head).replace(/\s+by\s+.*$/i, '');
  meta.authors.push(...Array.from(head.querySelectorAll('a[href*="viewuser.php"]')).map(textOf).filter(Boolean));
  const box = doc.querySelector('.infobox .content, .infobox, #pagetitle ~ .content');
  if (box) applyFields(meta, labelledFields(box));
  const storyNotes = Array.from(doc.querySelectorAll('.notes')).find((n) => /story notes/i.test(textOf(n.querySelector('.title'))));
  if (storyNotes) meta.notes = htmlBlocks(storyNotes.querySelector('.noteinfo'), tally);
  const disclaimer = textOf(doc.querySelector('#copyright')).replace(/^disclaimer\s*:\s*/i, '');
  if (disclaimer) meta.disclaimer = disclaimer;
  const source = doc.querySelector('#archivedat a[href]')?.getAttribute('href');
  if (source && /^https?:\/\//i.test(source)) meta.sourceUrl = source;
  const chapters: Chapter[] = [];
  for (const titleEl of Array.from(doc.querySelectorAll('.chaptertitle'))) {
    const chapter: Chapter = { sections: [{ blocks: [] }] };
    const name = chapterName(titleEl);
    if (name) chapter.title = name;
    let seenText = false;
    for (let el = titleEl.nextElementSibling; el && !el.classList.contains('chaptertitle'); el = el.nextElementSibling) {
      if (el.classList.contains('chapter')) {
        chapter.sections[0]!.blocks = trimBreaks(htmlBlocks(el, tally));
        seenText = true;
      } else if (el.classList.contains('notes')) {
        const blocks: Block[] = htmlBlocks(el.querySelector('.noteinfo'), tally);
        if (seenText) chapter.endNotes = blocks;
        else chapter.notes = blocks;
      }
    }
    chapters.push(chapter);
  }
  // A one-chapter story's chapter is named like the story, or not at all.
  if (chapters.length === 1 && chapters[0]!.title === meta.title) delete chapters[0]!.title;
  return chapters;
}

function read(input: TextInput, ctx: ReadContext): Story {
  return readHtmlStory(input, ctx, 'efiction', (doc, story, tally) => {
    if (doc.querySelector('#pagetitle') && doc.querySelector('.chaptertitle, .chapter')) {
      dropHiddenText(doc, doc.body ?? doc.documentElement);
      story.chapters = readPrintable(doc, story.meta, tally);
      return;
    }
    readWebPage(doc, story, ctx, tally, {
      format: 'efiction',
      title: (d) => textOf(d.querySelector('.title, #pagetitle a[href*="viewstory.php"], center b')) || undefined,
      authors: (d) => Array.from(d.querySelectorAll('a[href*="viewuser.php"]')).slice(0, 1).map(textOf).filter(Boolean),
    });
  });
}

/** The eFiction archive reader. */
export const efiction: TextFormat = {
  name: 'efiction',
  description: "an eFiction archive's story page or printable view (viewstory.php?action=printable)",
  input: 'text',
  extensions: ['.html', '.htm'],
  inlineMarkers: true,
  precedence: 103,
  sniff,
  read,
};
