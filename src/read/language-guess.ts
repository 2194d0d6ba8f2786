/**
 * franc-min's language guess (6.2: same answer, same ties), at a fraction of its cost. Calling
 * `franc` took ~1.1 ms a story in a batch (16–19 % of a worker's CPU: one object lookup per
 * trigram per language) and 13–15 ms on first use (its import builds dictionaries for every
 * script). Here each script's models are indexed once, on first use: one hash table from a
 * trigram to the languages that list it, so a sample costs one lookup per trigram. franc-min
 * supplies the data (`data.js`: ranked trigrams per language per script; `expressions.js`: the
 * script patterns); the steps below follow its `francAll` and trigram-utils' `asTuples`.
 */
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

// franc-min's constants: samples are cut to MAX_LENGTH, a trigram a model lacks costs MAX_DIFFERENCE.
const MAX_LENGTH = 2048;
const MIN_LENGTH = 10;
const MAX_DIFFERENCE = 300;

/** Undetermined: franc's answer when it cannot tell. */
export const UNDETERMINED = 'und';

const SCRIPTS = Object.keys(expressions);
const SCRIPT_PATTERNS = SCRIPTS.map((s) => new RegExp(`^(?:${expressions[s]!.source})$`));

// Which scripts' patterns match each code unit (a bit per script; -1 not yet asked). The
// patterns are classes of single non-surrogate units or surrogate pairs (a unit test checks),
// so a match never depends on its neighbours and one pass counts every script.
const unitScripts = new Int32Array(0x10000).fill(-1);
const pairScripts = new Map<number, number>();

function scriptsMatching(chars: string): number {
  let mask = 0;
  for (let s = 0; s < SCRIPT_PATTERNS.length; s++) if (SCRIPT_PATTERNS[s]!.test(chars)) mask |= 1 << s;
  return mask;
}

/** The script whose pattern matches most of `value`, and that share (franc's `getTopScript`). */
function topScript(value: string): [script: string, share: number] {
  const counts = new Int32Array(SCRIPTS.length);
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    let mask: number;
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const low = value.charCodeAt(i + 1);
      // A lone surrogate matches no pattern; a pair is matched as one.
      if (unit > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) continue;
      const pair = ((unit - 0xd800) << 10) | (low - 0xdc00);
      mask = pairScripts.get(pair) ?? -1;
      if (mask < 0) pairScripts.set(pair, (mask = scriptsMatching(value.slice(i, i + 2))));
      i++;
    } else {
      mask = unitScripts[unit]!;
      if (mask < 0) unitScripts[unit] = mask = scriptsMatching(value[i]!);
    }
    for (; mask !== 0; mask &= mask - 1) counts[31 - Math.clz32(mask & -mask)]!++;
  }
  let top = -1;
  let script = SCRIPTS[0]!;
  for (let s = 0; s < SCRIPTS.length; s++) {
    const share = counts[s]! / value.length || 0;
    if (share > top) {
      top = share;
      script = SCRIPTS[s]!;
    }
  }
  return [script, top];
}

/**
 * One script's models as an open-addressing hash table from a trigram (three UTF-16 units) to
 * its entries: the languages that list it, each with the trigram's rank in that language.
 */
interface ScriptModels {
  languages: string[];
  mask: number;
  /** Per slot: the trigram's first two units (high 16 bits: the first), its third, its row + 1 (0: empty). */
  heads: Uint32Array;
  tails: Uint16Array;
  rows: Int32Array;
  /** Per row: where its entries start in `entryLanguage` / `entryRank` (CSR layout). */
  rowStart: Int32Array;
  entryLanguage: Uint16Array;
  entryRank: Uint16Array;
  /** Scratch per sample: occurrences per row, the rows seen, the distance per language. */
  counts: Int32Array;
  seen: Int32Array;
  distances: Float64Array;
}

const scriptModels = new Map<string, ScriptModels>();

/** A trigram's first slot: `head` holds its first two units, `c` its third. */
function slotOf(head: number, c: number, mask: number): number {
  const h = Math.imul(head ^ Math.imul(c, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

// Plain loops over the model strings (no split, no callbacks): this runs once, mostly before
// the JIT has compiled it, and that way cost a third of what split and forEach did.
function modelsOf(script: string): ScriptModels {
  const cached = scriptModels.get(script);
  if (cached) return cached;
  const byLanguage = data[script]!;
  const languages = Object.keys(byLanguage);
  const models = languages.map((l) => byLanguage[l]!);
  let bound = 0;
  for (const model of models) bound += (model.length + 1) >> 2;
  let size = 1;
  while (size < bound * 2) size *= 2;
  const mask = size - 1;
  const heads = new Uint32Array(size);
  const tails = new Uint16Array(size);
  const rows = new Int32Array(size);
  // Per entry: its row, language and rank, gathered before the CSR layout is known.
  const entryRowOf = new Int32Array(bound);
  const entryLanguageOf = new Uint16Array(bound);
  const entryRankOf = new Uint16Array(bound);
  const rowSizes = new Int32Array(bound + 1);
  const lastLanguage = new Int32Array(bound).fill(-1);
  let rowCount = 0;
  let entries = 0;
  for (let language = 0; language < models.length; language++) {
    const model = models[language]!;
    // The model is its trigrams by rank joined with "|" (franc splits it the same way).
    for (let start = 0, rank = 0; start <= model.length; rank++) {
      let end = model.indexOf('|', start);
      if (end < 0) end = model.length;
      // Samples' trigrams are three units long: a longer or shorter one can never match.
      if (end - start === 3) {
        const head = ((model.charCodeAt(start) << 16) | model.charCodeAt(start + 1)) >>> 0;
        const c = model.charCodeAt(start + 2);
        let slot = slotOf(head, c, mask);
        while (rows[slot] !== 0 && !(heads[slot] === head && tails[slot] === c)) slot = (slot + 1) & mask;
        if (rows[slot] === 0) {
          heads[slot] = head;
          tails[slot] = c;
          rows[slot] = ++rowCount;
        }
        const row = rows[slot]! - 1;
        // franc keeps a trigram's first rank when a model lists it twice.
        if (lastLanguage[row] !== language) {
          lastLanguage[row] = language;
          rowSizes[row + 1]!++;
          entryRowOf[entries] = row;
          entryLanguageOf[entries] = language;
          entryRankOf[entries] = rank;
          entries++;
        }
      }
      start = end + 1;
    }
  }
  // rowSizes becomes each row's start, then (filling) each row's next free entry.
  const rowStart = new Int32Array(rowCount + 1);
  for (let r = 0; r < rowCount; r++) rowStart[r + 1] = rowStart[r]! + rowSizes[r + 1]!;
  rowSizes.set(rowStart);
  const entryLanguage = new Uint16Array(entries);
  const entryRank = new Uint16Array(entries);
  for (let e = 0; e < entries; e++) {
    const at = rowSizes[entryRowOf[e]!]!++;
    entryLanguage[at] = entryLanguageOf[e]!;
    entryRank[at] = entryRankOf[e]!;
  }
  const built: ScriptModels = {
    languages, mask, heads, tails, rows, rowStart, entryLanguage, entryRank,
    counts: new Int32Array(rowCount), seen: new Int32Array(rowCount), distances: new Float64Array(languages.length),
  };
  scriptModels.set(script, built);
  return built;
}

/**
 * trigram-utils' `clean` padded with a space each side: runs of ASCII punctuation, digits and
 * white space become one space (its two replacements in one), trimmed, lower-cased last (as it
 * does: a final sigma depends on what follows it).
 */
function paddedClean(value: string): string {
  return ` ${value.replace(/[\s\u0021-\u0040]+/g, ' ').trim().toLowerCase()} `;
}

/**
 * Each language's distance from `value` in `models.distances`, less the same amount for all
 * (MAX_DIFFERENCE for each distinct trigram no model of the script lists), which changes no order.
 */
function measure(value: string, models: ScriptModels): void {
  const { mask, heads, tails, rows, rowStart, entryLanguage, entryRank, counts, seen, distances } = models;
  const text = paddedClean(value);
  let distinct = 0;
  let a = text.charCodeAt(0);
  let b = text.charCodeAt(1);
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const head = ((a << 16) | b) >>> 0;
    let slot = slotOf(head, c, mask);
    let row = 0;
    while ((row = rows[slot]!) !== 0 && !(heads[slot] === head && tails[slot] === c)) slot = (slot + 1) & mask;
    if (row !== 0 && counts[row - 1]!++ === 0) seen[distinct++] = row - 1;
    a = b;
    b = c;
  }
  // Every language starts at MAX_DIFFERENCE per distinct trigram; each it lists costs less.
  distances.fill(distinct * MAX_DIFFERENCE);
  for (let k = 0; k < distinct; k++) {
    const row = seen[k]!;
    const count = counts[row]!;
    counts[row] = 0;
    for (let e = rowStart[row]!; e < rowStart[row + 1]!; e++) {
      distances[entryLanguage[e]!]! -= MAX_DIFFERENCE - Math.abs(count - entryRank[e]! - 1);
    }
  }
}

/** The script's models with distances measured, or franc's answer when no distance is needed. */
function assess(value: string, minLength: number): ScriptModels | string {
  if (!value || value.length < minLength) return UNDETERMINED;
  const sample = value.slice(0, MAX_LENGTH);
  const [script, share] = topScript(sample);
  if (!Object.hasOwn(data, script)) return share === 0 ? UNDETERMINED : script;
  const models = modelsOf(script);
  measure(sample, models);
  return models;
}

/** The language franc-min's `franc(value, { minLength })` answers: an ISO 639-3 code or `und`. */
export function guessLanguage(value: string, minLength = MIN_LENGTH): string {
  const assessed = assess(value, minLength);
  if (typeof assessed === 'string') return assessed;
  const { languages, distances } = assessed;
  // The first of the nearest, as franc's stable sort leaves it.
  let best = 0;
  for (let l = 1; l < languages.length; l++) if (distances[l]! < distances[best]!) best = l;
  return languages[best]!;
}

/** Every language `francAll(value, { minLength })` lists, in its order (nearest first). */
export function rankLanguages(value: string, minLength = MIN_LENGTH): string[] {
  const assessed = assess(value, minLength);
  if (typeof assessed === 'string') return [assessed];
  const { languages, distances } = assessed;
  return languages.map((_, l) => l).sort((x, y) => distances[x]! - distances[y]! || x - y).map((l) => languages[l]!);
}
