/**
 * Sanitized inline markup → the model's inline content. The walker cuts a run of inline nodes
 * into lines (a `<br>` ends one) of segments, each segment a piece of text or an atom (code, ruby,
 * note reference) under the marks around it (styles and links, outermost first); the block
 * reader decides what the lines are (paragraphs, one paragraph with line breaks, verse), and
 * `segsToInlines` nests the marks back into styled runs and links.
 */
import type { Inline, StyleKind } from '../../model.js';
import { lose, type Losses } from '../fidelity.js';
import { foldRuns, foldSpace } from './parse.js';
import { NOTE_ATTRIBUTE, STYLE_ATTRIBUTE } from './sanitize.js';
import { followableHref } from '../links.js';

/** A mark around a segment: a style, or a link (one object per `<a>`, so two links never merge). */
export type Mark = { kind: StyleKind } | { kind: 'link'; href: string };

/** A piece of a line: text, or an inline atom (code, ruby, note reference, line break). */
export type Seg = { text: string; marks: Mark[] } | { atom: Inline; marks: Mark[] };

/** What the walker needs to know about the page. */
export interface InlineContext {
  /** The fidelity report of the page (fid-004, fid-005 are counted here). */
  losses?: Losses;
  /** The ids of the page's footnotes (see `takeFootnotes`): references to them become note references. */
  noteIds?: ReadonlySet<string>;
}

/** The tags that are blocks; inside a run of inline content they end a line. */
export const BLOCK_TAGS = new Set([
  'p', 'div', 'center', 'section', 'article', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'ul', 'ol',
  'li', 'pre', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'figure',
  'figcaption', 'address', 'main', 'header', 'footer',
]);

const STYLE_TAGS: Record<string, StyleKind> = {
  em: 'em', i: 'em', cite: 'em', dfn: 'em', var: 'em',
  strong: 'strong', b: 'strong',
  u: 'underline', ins: 'underline',
  s: 'strike', strike: 'strike', del: 'strike',
  sub: 'sub', sup: 'sup',
};
const CODE_TAGS = new Set(['code', 'kbd', 'tt', 'samp']);
const STYLE_KINDS = new Set<string>(['em', 'strong', 'strike', 'underline', 'sub', 'sup', 'smallcaps']);

// What a footnote reference shows: a number, a letter, a roman numeral or a mark, maybe bracketed.
const NOTE_MARKER = /^[[(]?\s*(?:\d{1,3}|[ivxlc]{1,6}|[a-z]|\*{1,3}|[†‡§¶])\s*[\])]?$/i;
// Fragment ids pages give their notes ("fn1", "_ftn1", "note-3", "footnote_2", "endnote4").
const NOTE_ID = /^_?(?:fn|ftn|footnote|note|endnote|edn)(?![a-z]*ref)[-_:.]?[a-z]*\d/i;

/** Whether a fragment id names a footnote ("fn1", "_ftn1", "note-3"; never a reference "fnref1"). */
export function noteLikeId(id: string): boolean {
  return NOTE_ID.test(id) && !/ref/i.test(id);
}

/**
 * Whether a link to `#fragment` reads as a footnote reference: its text is a note marker ("1",
 * "[2]", "*") and its fragment names a note, it is set as a superscript or the marker is bracketed.
 */
export function looksLikeNoteRef(fragment: string, text: string, superscript: boolean): boolean {
  const t = text.trim();
  return NOTE_MARKER.test(t) && (noteLikeId(fragment) || superscript || /^[[(].*[\])]$/.test(t));
}

function isElement(n: Node): n is Element {
  return n.nodeType === 1;
}

function sameMark(a: Mark | undefined, b: Mark | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.kind !== 'link' && a.kind === b.kind);
}

function withMark(marks: Mark[], kind: StyleKind): Mark[] {
  return marks.some((m) => m.kind === kind) ? marks : [...marks, { kind }];
}

/** Ruby → one ruby atom per base and reading (`<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>`); stray text stays text. */
function rubySegs(el: Element, marks: Mark[]): Seg[] {
  const out: Seg[] = [];
  let base = '';
  for (const c of Array.from(el.childNodes)) {
    if (isElement(c) && (c.localName === 'rt' || c.localName === 'rtc')) {
      const text = foldSpace(c.textContent ?? '');
      if (base.trim() && text) out.push({ atom: { kind: 'ruby', base: base.trim(), text }, marks });
      else if (base) out.push({ text: base, marks });
      base = '';
    } else base += c.textContent ?? '';
  }
  if (base) out.push({ text: base, marks });
  return out;
}

/** Walk inline content into lines (a `<br>` ends a line; a block element ends one and starts another). */
export function inlineLines(nodes: Node[], ctx: InlineContext = {}): Seg[][] {
  const lines: Seg[][] = [[]];
  const push = (s: Seg): void => {
    lines[lines.length - 1]!.push(s);
  };
  const walk = (node: Node, marks: Mark[], superscript: boolean): void => {
    if (node.nodeType === 3) {
      push({ text: (node as Text).data, marks });
      return;
    }
    if (!isElement(node)) return;
    const tag = node.localName;
    if (tag === 'br') {
      lines.push([]);
      return;
    }
    if (tag === 'img') {
      const alt = foldSpace(node.getAttribute('alt') ?? '');
      if (alt) push({ text: ` [${alt}] `, marks });
      return;
    }
    const note = node.getAttribute(NOTE_ATTRIBUTE);
    if (note && ctx.noteIds?.has(note)) {
      push({ atom: { kind: 'noteref', id: note }, marks });
      return;
    }
    if (CODE_TAGS.has(tag)) {
      const text = (node.textContent ?? '').replace(/[ \t\n\r\f\u00a0]+/g, ' ');
      if (text.trim()) push({ atom: { kind: 'code', text }, marks });
      return;
    }
    if (tag === 'ruby') {
      for (const s of rubySegs(node, marks)) push(s);
      return;
    }
    let next = marks;
    const style = STYLE_TAGS[tag];
    if (style) next = withMark(next, style);
    const styled = node.getAttribute(STYLE_ATTRIBUTE);
    if (styled) for (const k of styled.split(' ')) if (STYLE_KINDS.has(k)) next = withMark(next, k as StyleKind);
    if (tag === 'a') next = linkMarks(node, next, superscript, ctx);
    const block = BLOCK_TAGS.has(tag);
    if (block) lines.push([]);
    for (const c of node.childNodes) walk(c, next, superscript || tag === 'sup');
    if (block) lines.push([]);
  };
  for (const n of nodes) walk(n, [], false);
  return lines;
}

// Elements the walker reads as more than styling: a line break, a picture, a link, code, ruby.
const NOT_STYLING = new Set(['br', 'img', 'a', 'ruby', ...CODE_TAGS]);

/**
 * The content of `el` as `inlineLines` reads it when it is one line of text under styling
 * elements without attributes (most paragraphs of a page); undefined for anything else.
 */
export function plainLine(el: Element): Seg[] | undefined {
  const segs: Seg[] = [];
  const walk = (parent: Element, marks: Mark[]): boolean => {
    for (const c of parent.childNodes as unknown as Node[]) {
      if (c.nodeType === 3) segs.push({ text: (c as Text).data, marks });
      else if (isElement(c)) {
        const tag = c.localName;
        if (NOT_STYLING.has(tag) || BLOCK_TAGS.has(tag) || c.hasAttributes()) return false;
        const style = STYLE_TAGS[tag];
        if (!walk(c, style ? withMark(marks, style) : marks)) return false;
      }
    }
    return true;
  };
  return walk(el, []) ? segs : undefined;
}

// A link out of the book keeps its address; one into the page or site it came from (or to the
// saving machine) is its text.
function linkMarks(a: Element, marks: Mark[], superscript: boolean, ctx: InlineContext): Mark[] {
  const href = a.getAttribute('href')?.trim();
  if (!href) return marks;
  if (followableHref(href)) return [...marks, { kind: 'link', href }];
  const text = foldSpace(a.textContent ?? '');
  if (!text || !ctx.losses) return marks;
  const fragment = href.startsWith('#') ? href.slice(1) : undefined;
  if (fragment !== undefined && looksLikeNoteRef(fragment, text, superscript || a.parentElement?.localName === 'sup')) lose(ctx.losses, 'fid-005', 1, href);
  else lose(ctx.losses, 'fid-004', 1, href);
  return marks;
}

/** The text of a segment ('' for a note reference). */
function segText(s: Seg): string {
  if ('text' in s) return s.text;
  const a = s.atom;
  if (typeof a === 'string') return a;
  return a.kind === 'code' ? a.text : a.kind === 'ruby' ? a.base : '';
}

/** Fold whitespace across a line's segments and trim its ends; drops empty segments. */
export function foldLine(segs: Seg[]): Seg[] {
  const out: Seg[] = [];
  let spaceBefore = true; // at line start, leading space is dropped
  for (const s of segs) {
    if (!('text' in s)) {
      out.push(s);
      spaceBefore = false;
      continue;
    }
    let t = foldRuns(s.text);
    if (spaceBefore && t.charCodeAt(0) === 32) t = t.slice(1);
    if (!t) continue;
    spaceBefore = t.endsWith(' ');
    out.push({ text: t, marks: s.marks });
  }
  while (out.length) {
    const last = out[out.length - 1]!;
    if (!('text' in last)) break;
    const t = last.text.trimEnd();
    if (t) {
      last.text = t;
      break;
    }
    out.pop();
  }
  return out;
}

/** The first character of a line's text (as `lineText` writes it) that is not a space; '' for none. */
export function firstNonSpace(segs: Seg[]): string {
  for (const s of segs) {
    const m = /\S/.exec(segText(s));
    if (m) return m[0];
  }
  return '';
}

/** The plain text of a line. */
export function lineText(segs: Seg[]): string {
  return segs.map(segText).join('');
}

/** Lines joined into one run with line breaks between them (under the marks both sides share). */
export function joinLines(lines: Seg[][]): Seg[] {
  const out: Seg[] = [];
  for (const line of lines) {
    if (out.length && line.length) {
      const before = out[out.length - 1]!.marks;
      const after = line[0]!.marks;
      let k = 0;
      while (k < before.length && k < after.length && sameMark(before[k], after[k])) k++;
      out.push({ atom: { kind: 'br' }, marks: before.slice(0, k) });
    }
    out.push(...line);
  }
  return out;
}

/** Segments → Inline[]: runs sharing their outermost mark become one styled run or link. */
export function segsToInlines(segs: Seg[], depth = 0): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < segs.length) {
    const seg = segs[i]!;
    const mark = seg.marks[depth];
    if (mark === undefined) {
      const last = out[out.length - 1];
      if (!('text' in seg)) out.push(seg.atom);
      else if (typeof last === 'string') out[out.length - 1] = last + seg.text;
      else out.push(seg.text);
      i++;
      continue;
    }
    let j = i;
    while (j < segs.length && sameMark(segs[j]!.marks[depth], mark)) j++;
    const content = segsToInlines(segs.slice(i, j), depth + 1);
    out.push(mark.kind === 'link' ? { kind: 'link', href: mark.href, content } : { kind: mark.kind, content });
    i = j;
  }
  return out;
}
