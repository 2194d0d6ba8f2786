/**
 * Footnotes of a saved page, taken out of it before its text is read: a link to `#id` that reads
 * as a note reference (a marker such as "1" or "[2]", in a superscript or to a note-named id)
 * whose target holds a note. Covered: AO3 (`<sup><a href="#fn1">1</a></sup>`, notes in
 * `<li id="fn1">` with a `↩` back-link), Word and WordPress (`<a href="#_ftn1" name="_ftnref1">`,
 * notes in `<div id="ftn1">`), `<aside epub:type="footnote">` and generic `fn…`/`note…` ids.
 * Each reference becomes a marker the block reader turns into a note reference, each note a
 * story footnote (without its back-links), and the note leaves the page so its text is not read
 * twice (a container it leaves empty goes with it).
 */
import type { Footnote } from '../../model.js';
import { htmlBlocksOfEach } from './blocks.js';
import { looksLikeNoteRef, noteLikeId } from './inline.js';
import { foldSpace } from './parse.js';
import { NOTE_ATTRIBUTE, type UnsafeTally } from './sanitize.js';

// Elements that can hold one note.
const NOTE_HOLDERS = new Set(['li', 'aside', 'div', 'p', 'section', 'dd', 'footer', 'td', 'blockquote']);
// What a back-link shows when it shows no number.
const BACK_LINK_TEXT = /^(?:[\s↩↑⤴⇧^↵⬆\ufe0e\ufe0f]+|(?:go |jump )?(?:back|return)(?: to (?:the )?(?:text|story|top|reference|note))?)$/i;

function typed(el: Element, ...types: string[]): boolean {
  const t = `${el.getAttribute('epub:type') ?? ''} ${el.getAttribute('role') ?? ''}`.toLowerCase();
  return types.some((x) => t.includes(x));
}

/** The page's elements by the names a fragment can give them (ids, anchors' names), in document order. */
type Names = Map<string, Element[]>;

function addNames(names: Names, e: Element): void {
  for (const n of new Set([e.id, e.localName === 'a' ? e.getAttribute('name') ?? '' : ''])) {
    if (!n) continue;
    const list = names.get(n);
    if (list) list.push(e);
    else names.set(n, [e]);
  }
}

/** The elements a fragment names (by id, or by an anchor's name; Word's `_ftn1` also finds
 * `ftn1`), those after `from` first. */
function targets(names: Names, fragment: string, from: Element): Element[] {
  const found = names.get(fragment) ?? (fragment.startsWith('_') ? names.get(fragment.slice(1)) : undefined) ?? [];
  // Several chapters of one page may each number their notes from 1: the next one is meant.
  const after = found.filter((e) => from.compareDocumentPosition(e) & 4);
  return [...after, ...found.filter((e) => !after.includes(e))];
}

function fragmentOf(a: Element): string | undefined {
  const href = a.getAttribute('href') ?? '';
  return href.startsWith('#') && href.length > 1 ? decodeURIComponentSafe(href.slice(1)) : undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A note's text starting with its reference's marker ("1. ", "[1] ", "1) "), which the book writes its own way. */
function leadingMarker(ref: Element): RegExp {
  const marker = foldSpace(ref.textContent ?? '').replace(/^[[(]|[\])]$/g, '');
  return new RegExp(`^[\\s\u00a0]*[[(]?${escapeRegExp(marker)}[\\])]?(?:[.:)]|(?=[\\s\u00a0]))[\\s\u00a0]*`);
}

/** Remove the marker a note's text starts with (see `leadingMarker`). */
function stripLeadingMarker(note: Element, marker: RegExp): void {
  const walker = note.ownerDocument.createTreeWalker(note, 4);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent ?? '';
    if (!foldSpace(text)) continue;
    if (marker.test(text)) n.textContent = text.replace(marker, '');
    return;
  }
}

/** The element holding the note a reference's target names, or undefined when it is no note. */
function noteOf(target: Element, ref: Element, fragment: string): Element | undefined {
  let note: Element | null = target;
  while (note && !NOTE_HOLDERS.has(note.localName)) note = note.parentElement;
  if (!note) return undefined;
  // Word: the target anchor sits in a paragraph of `<div id="ftn1">`, the note.
  while (note.parentElement && NOTE_HOLDERS.has(note.parentElement.localName) && noteLikeId(note.parentElement.id) && !note.parentElement.contains(ref)) note = note.parentElement;
  if (note.contains(ref) || note.localName === 'body') return undefined;
  const named = (e: Element): boolean => noteLikeId(e.id) || typed(e, 'footnote', 'endnote', 'rearnote', 'doc-footnote', 'doc-endnote');
  const inNotes = note.closest('[id*="note" i], [class*="note" i], [id*="ftn" i], [class*="footnote" i]') !== null;
  const numbered = leadingMarker(ref).test(note.textContent ?? '');
  if (!(noteLikeId(fragment) || named(note) || named(target) || inNotes || numbered)) return undefined;
  // A whole chapter is no footnote.
  return foldSpace(note.textContent ?? '').length <= 4000 ? note : undefined;
}

/** Whether a link reads as a note reference (marker text, typed, or classed so). */
function isRef(a: Element, fragment: string): boolean {
  const text = foldSpace(a.textContent ?? '');
  if (typed(a, 'noteref')) return true;
  const sup = a.closest('sup') !== null || a.querySelector('sup') !== null;
  return looksLikeNoteRef(fragment, text, sup || /\b(?:footnote|fnref|noteref)/i.test(a.className));
}

// A line that only labels the notes ("Notes:", "Footnotes") goes with them.
const NOTES_LABEL = /^(?:foot|end)?notes?\s*:?$/i;

function hasText(el: Element): boolean {
  return holdsNonSpace(el) || el.querySelector('img') !== null;
}

// `foldSpace(textContent) !== ''` without joining the text: a long chapter answers at its first word.
function holdsNonSpace(n: Node): boolean {
  for (const c of Array.from(n.childNodes)) if (c.nodeType === 3 ? /\S/.test(c.textContent ?? '') : c.nodeType === 1 && holdsNonSpace(c)) return true;
  return false;
}

/** Remove a note and what it leaves behind: the textless containers around it (its list, its
 * "footnotes" box) and a label before them with nothing after it. */
function removeNote(note: Element): void {
  let parent: Element | null = note.parentElement;
  let before = note.previousElementSibling;
  note.remove();
  while (parent && parent.localName !== 'body' && parent.localName !== 'html' && !hasText(parent)) {
    before = parent.previousElementSibling;
    const up: Element | null = parent.parentElement;
    parent.remove();
    parent = up;
  }
  if (!before || !NOTES_LABEL.test(foldSpace(before.textContent ?? ''))) return;
  for (let next = before.nextElementSibling; next; next = next.nextElementSibling) if (hasText(next)) return;
  before.remove();
}

/** Whether `el` is one of `notes` or inside one. */
function insideAny(el: Element, notes: Map<Element, string>): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) if (notes.has(e)) return true;
  return false;
}

/**
 * Take the footnotes out of a parsed page into `tally.footnotes` (in the order the text first
 * refers to them), marking their references for the block reader. Call once, before any story
 * text of the page is read.
 */
export function takeFootnotes(doc: Document, tally: UnsafeTally): void {
  const body = doc.body;
  if (!body) return;
  // One walk over the page: our own attribute taken off what the page wrote, the names, the links into the page.
  const names: Names = new Map();
  const links: Element[] = [];
  for (const e of Array.from(body.querySelectorAll('*'))) {
    if (e.hasAttribute(NOTE_ATTRIBUTE)) e.removeAttribute(NOTE_ATTRIBUTE);
    if (e.hasAttribute('id') || e.localName === 'a') addNames(names, e);
    if (e.localName === 'a' && e.getAttribute('href')?.startsWith('#')) links.push(e);
  }
  const ids = new Map<Element, string>();
  const used = new Set<string>();
  const refs: { ref: Element; id: string }[] = [];
  // Every element holding a reference met so far (each reference and its ancestors).
  const holdsRef = new Set<Element>();
  for (const a of links) {
    const fragment = fragmentOf(a);
    if (fragment === undefined || !isRef(a, fragment)) continue;
    const note = targets(names, fragment, a).map((t) => noteOf(t, a, fragment)).find((n) => n !== undefined);
    // A "note" holding a reference met before it is story text that a back-link points into.
    if (!note || holdsRef.has(note)) continue;
    let id = ids.get(note);
    if (id === undefined) {
      const base = fragment.replace(/[^\w.-]/g, '') || 'note';
      id = base;
      for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
      used.add(id);
      ids.set(note, id);
    }
    refs.push({ ref: a, id });
    for (let e: Element | null = a; e; e = e.parentElement) holdsRef.add(e);
  }
  if (!refs.length) return;
  // References inside a note (its back-links) are not references.
  const notes = [...ids.entries()];
  const real = refs.filter((r) => !insideAny(r.ref, ids));
  const holdsRealRef = new Set<Element>();
  const firstRef = new Map<string, Element>();
  for (const r of real) {
    for (let e: Element | null = r.ref; e; e = e.parentElement) holdsRealRef.add(e);
    if (!firstRef.has(r.id)) firstRef.set(r.id, r.ref);
  }
  for (const [note, id] of notes) {
    for (const a of Array.from(note.querySelectorAll('a[href^="#"]'))) {
      const fragment = fragmentOf(a) ?? '';
      const back = targets(names, fragment, a).some((t) => holdsRealRef.has(t));
      if (back || BACK_LINK_TEXT.test(foldSpace(a.textContent ?? ''))) a.remove();
    }
    const first = firstRef.get(id);
    if (first) stripLeadingMarker(note, leadingMarker(first));
  }
  for (const { ref, id } of real) {
    const marker = doc.createElement('span');
    marker.setAttribute(NOTE_ATTRIBUTE, id);
    marker.textContent = foldSpace(ref.textContent ?? '');
    // The superscript around a reference goes with it: the book numbers its notes its own way.
    const sup = ref.parentElement?.localName === 'sup' && foldSpace(ref.parentElement.textContent ?? '') === marker.textContent ? ref.parentElement : ref;
    sup.replaceWith(marker);
  }
  // Notes in the order the text first refers to them: the order the source numbers them.
  const referenced = new Set(real.map((r) => r.id));
  for (const id of referenced) tally.footnotes.push({ id, blocks: [] } satisfies Footnote);
  const taken = notes.filter(([, id]) => referenced.has(id));
  const blocks = htmlBlocksOfEach(taken.map(([note]) => note), tally);
  const byId = new Map(tally.footnotes.map((f) => [f.id, f]));
  taken.forEach(([note, id], i) => {
    byId.get(id)!.blocks = blocks[i]!;
    removeNote(note);
  });
}
