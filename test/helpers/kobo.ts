/** Checks on a kepub's pages: every text in a koboSpan exactly once, ids unique, wrappers present. */
import { JSDOM } from 'jsdom';

/** What is wrong with one kepub page (empty: nothing). */
export function koboPageProblems(name: string, xhtml: string): string[] {
  const problems: string[] = [];
  const doc = new JSDOM(xhtml, { contentType: 'application/xhtml+xml' }).window.document;
  const inner = doc.querySelector('body > div#book-columns > div#book-inner');
  if (!inner) problems.push(`${name}: no div#book-columns > div#book-inner around the body`);
  const spans = [...doc.querySelectorAll('span.koboSpan')];
  const ids = spans.map((s) => s.id);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) problems.push(`${name}: duplicate span ids ${[...new Set(dup)].join(', ')}`);
  const bad = ids.filter((id) => !/^kobo\.\d+\.\d+$/.test(id));
  if (bad.length) problems.push(`${name}: span ids not kobo.P.S: ${bad.join(', ')}`);
  if (spans.some((s) => s.querySelector('span.koboSpan'))) problems.push(`${name}: a koboSpan inside another`);
  // Every text of the body is in exactly one span, except whitespace and text kept verbatim.
  const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent?.trim()) continue;
    const el = t.parentElement!;
    if (el.closest('pre, rt, rp, script, style')) continue;
    if (!el.closest('span.koboSpan')) problems.push(`${name}: text outside a span: "${t.textContent.trim().slice(0, 40)}"`);
  }
  // Each paragraph's text is the text of its spans, once (readings aside).
  for (const p of doc.querySelectorAll('p')) {
    const clone = p.cloneNode(true) as Element;
    for (const skip of clone.querySelectorAll('rt, rp')) skip.remove();
    const spanText = [...clone.querySelectorAll('span.koboSpan')].map((s) => s.textContent).join('');
    const text = clone.textContent ?? '';
    if (spanText.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) problems.push(`${name}: a paragraph's spans do not hold its text once: "${text.trim().slice(0, 40)}"`);
  }
  return problems;
}
