/**
 * The fidelity report: what a reader could not carry into the book as it was. Readers count each
 * construct they drop or approximate in a `Losses` tally; `lossDiagnostics` turns the tally into
 * one coded warning a kind, with its count, so a user knows what the book lost.
 */
import { warning, type Diagnostic, type DiagnosticCode } from '../diagnostics.js';

/** The codes of the fidelity report (see DIAGNOSTIC_CODES). */
export type LossCode = Extract<DiagnosticCode, `fid-${string}`>;

/** How each loss is counted in a message: its noun (one, many) and what became of it. */
const LOSS_WORDING: Record<LossCode, [string, string, string]> = {
  'fid-001': ['picture', 'pictures', 'left out (alternative text kept)'],
  'fid-002': ['styling mark', 'styling marks', 'dropped (colour, font, size or position)'],
  'fid-003': ['table', 'tables', 'flattened to text (blocks or tables inside cells)'],
  'fid-004': ['link', 'links', 'kept as text (they point inside the saved page or site)'],
  'fid-005': ['footnote reference', 'footnote references', 'kept as text (no note found)'],
  'fid-006': ['styled run in preformatted text', 'styled runs in preformatted text', 'kept as plain text'],
  'fid-007': ['piece of source markup', 'pieces of source markup', 'with no equivalent in the book'],
  'fid-008': ['embedded media element', 'embedded media elements', 'left out'],
  'fid-009': ['emphasis marker with no closing mark', 'emphasis markers with no closing mark', 'kept as text'],
};

/** Counts of what was lost, by code; `detail` names examples (first few) where useful. */
export interface Losses {
  counts: Partial<Record<LossCode, number>>;
  detail: Partial<Record<LossCode, string[]>>;
}

/** An empty tally. */
export function newLosses(): Losses {
  return { counts: {}, detail: {} };
}

/** Count `n` losses of kind `code`; `example` (say, the markup's name) is kept for the message. */
export function lose(losses: Losses, code: LossCode, n = 1, example?: string): void {
  if (n <= 0) return;
  losses.counts[code] = (losses.counts[code] ?? 0) + n;
  if (example) {
    const list = (losses.detail[code] ??= []);
    if (!list.includes(example) && list.length < 5) list.push(example);
  }
}

/** Add the tally `from` to `into`. */
export function addLosses(into: Losses, from: Losses): void {
  for (const code of Object.keys(from.counts) as LossCode[]) {
    const examples = from.detail[code] ?? [];
    lose(into, code, from.counts[code], examples[0]);
    for (const example of examples.slice(1)) {
      const list = (into.detail[code] ??= []);
      if (!list.includes(example) && list.length < 5) list.push(example);
    }
  }
}

/** One warning per kind of loss, in code order, with its count ("3 tables flattened to text"). */
export function lossDiagnostics(losses: Losses, input?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const code of Object.keys(LOSS_WORDING).sort() as LossCode[]) {
    const n = losses.counts[code];
    if (!n) continue;
    const [one, many, what] = LOSS_WORDING[code];
    const examples = losses.detail[code];
    out.push(warning(code, `${n} ${n === 1 ? one : many} ${what}${examples?.length ? `: ${examples.join(', ')}` : ''}`, input));
  }
  return out;
}
