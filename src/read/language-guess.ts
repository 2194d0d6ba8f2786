/**
 * franc-min's language guess (6.2: same answer, same ties), at a fraction of its cost. Calling
 * `franc` took ~1.1 ms a story in a batch (16–19 % of a worker's CPU: one object lookup per
 * trigram per language) and 13–15 ms on first use (its import builds dictionaries for every
 * script). Here each script's models are indexed once, on first use: one hash table from a
 * trigram to the languages that list it, so a sample costs one lookup per trigram. franc-min
 * supplies the data (`data.js`: ranked trigrams per language per script; `expressions.js`: the
 * script patterns); the steps below follow its `francAll` and trigram-utils' `asTuples`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

// franc-min's constants: samples are cut to MAX_LENGTH, a trigram a model lacks costs MAX_DIFFERENCE.
const MAX_LENGTH = 2048;
const MIN_LENGTH = 10;
const MAX_DIFFERENCE = 300;

/** Undetermined: franc's answer when it cannot tell. */
export const UNDETERMINED = 'und';

const SCRIPTS = Object.keys(expressions);
const PATTERNS = SCRIPTS.map((s) => expressions[s]!);
let anchoredPatterns: RegExp[] | undefined;

// Which scripts' patterns match each code unit (a bit per script; -1 not yet asked). The
// patterns are classes of single non-surrogate units or surrogate pairs (a unit test checks),
// so a match never depends on its neighbours and one pass counts every script.
const unitScripts = new Int32Array(0x10000).fill(-1);
const pairScripts = new Map<number, number>();

/** The scripts whose patterns match `chars` (a surrogate pair), as bits. */
function pairMatching(chars: string): number {
  anchoredPatterns ??= PATTERNS.map((p) => new RegExp(`^(?:${p.source})$`));
  let mask = 0;
  for (let s = 0; s < anchoredPatterns.length; s++) if (anchoredPatterns[s]!.test(chars)) mask |= 1 << s;
  return mask;
}

/** Learns the scripts of the code units `value` brings for the first time: each pattern run once over all of them. */
function learnUnits(value: string): void {
  let fresh = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unitScripts[unit] === -1 && (unit < 0xd800 || unit > 0xdfff)) {
      unitScripts[unit] = 0;
      fresh += value[i];
    }
  }
  if (!fresh) return;
  for (let s = 0; s < PATTERNS.length; s++) {
    for (const ch of fresh.match(PATTERNS[s]!) ?? []) unitScripts[ch.charCodeAt(0)]! |= 1 << s;
  }
}

/** The script whose pattern matches most of `value`, and that share (franc's `getTopScript`). */
function topScript(value: string): [script: string, share: number] {
  learnUnits(value);
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
      if (mask < 0) pairScripts.set(pair, (mask = pairMatching(value.slice(i, i + 2))));
      i++;
    } else mask = unitScripts[unit]!;
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
export interface TrigramIndex {
  mask: number;
  /** Per slot: the trigram's first two units (high 16 bits: the first), its third, its row + 1 (0: empty). */
  heads: Uint32Array;
  tails: Uint16Array;
  rows: Int32Array;
  /** Per row: where its entries start in `entryLanguage` / `entryRank` (CSR layout). */
  rowStart: Int32Array;
  entryLanguage: Uint16Array;
  entryRank: Uint16Array;
  /** Scratch per sample: occurrences per row, the rows seen. */
  counts: Int32Array;
  seen: Int32Array;
}

/** A script with several languages: their names, the index once built, the last sample's distances. */
interface Script {
  name: string;
  languages: string[];
  samples: number;
  index?: TrigramIndex;
  distances: Float64Array;
}

const scripts = new Map<string, Script>();

function scriptOf(name: string): Script {
  let script = scripts.get(name);
  if (!script) {
    const languages = Object.keys(data[name]!);
    scripts.set(name, (script = { name, languages, samples: 0, distances: new Float64Array(languages.length) }));
  }
  return script;
}

/** A trigram's first slot: `head` holds its first two units, `c` its third. */
function slotOf(head: number, c: number, mask: number): number {
  const h = Math.imul(head ^ Math.imul(c, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) & mask;
}

function indexOf(script: Script): TrigramIndex {
  script.index ??= storedIndexes()?.get(script.name) ?? buildIndex(script);
  return script.index;
}

/** The script's index from its models. */
function buildIndex(script: Script): TrigramIndex {
  const byLanguage = data[script.name]!;
  const models = script.languages.map((l) => byLanguage[l]!);
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
  return { mask, heads, tails, rows, rowStart, entryLanguage, entryRank, counts: new Int32Array(rowCount), seen: new Int32Array(rowCount) };
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
 * Each language's distance from `text` (cleaned) into `distances`, through the index, less the
 * same amount for all (MAX_DIFFERENCE for each distinct trigram no model lists): no order changes.
 */
function measureIndexed(text: string, index: TrigramIndex, distances: Float64Array): void {
  const { mask, heads, tails, rows, rowStart, entryLanguage, entryRank, counts, seen } = index;
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

/**
 * The same distances (franc's own) without the index: each model's trigrams looked up among the
 * sample's. Indexing a script costs ~4 times this one pass, so its first sample goes this way.
 */
function measureByScan(text: string, script: Script): void {
  const sample = new Map<string, { count: number; language: number }>();
  for (let i = 0; i + 3 <= text.length; i++) {
    const trigram = text.slice(i, i + 3);
    const seen = sample.get(trigram);
    if (seen) seen.count++;
    else sample.set(trigram, { count: 1, language: -1 });
  }
  const { distances } = script;
  distances.fill(sample.size * MAX_DIFFERENCE);
  const byLanguage = data[script.name]!;
  for (let language = 0; language < script.languages.length; language++) {
    const model = byLanguage[script.languages[language]!]!.split('|');
    for (let rank = 0; rank < model.length; rank++) {
      const seen = sample.get(model[rank]!);
      // franc keeps a trigram's first rank when a model lists it twice.
      if (seen && seen.language !== language) {
        seen.language = language;
        distances[language]! -= MAX_DIFFERENCE - Math.abs(seen.count - rank - 1);
      }
    }
  }
}

/** How to measure distances: `scan` or `index` (for tests; by default a script's first sample scans). */
export type Measure = 'scan' | 'index';

/** The script with its languages' distances measured, or franc's answer when no distance is needed. */
function assess(value: string, minLength: number, measure?: Measure): Script | string {
  if (!value || value.length < minLength) return UNDETERMINED;
  const sample = value.slice(0, MAX_LENGTH);
  const [name, share] = topScript(sample);
  if (!Object.hasOwn(data, name)) return share === 0 ? UNDETERMINED : name;
  const script = scriptOf(name);
  const text = paddedClean(sample);
  // A script's first sample scans its models, unless its index was stored with the bundle.
  if ((measure ?? (script.samples++ === 0 && !script.index && !storedIndexes()?.has(name) ? 'scan' : 'index')) === 'scan') measureByScan(text, script);
  else measureIndexed(text, indexOf(script), script.distances);
  return script;
}

/** The language franc-min's `franc(value, { minLength })` answers: an ISO 639-3 code or `und`. */
export function guessLanguage(value: string, minLength = MIN_LENGTH, measure?: Measure): string {
  const assessed = assess(value, minLength, measure);
  if (typeof assessed === 'string') return assessed;
  const { languages, distances } = assessed;
  // The first of the nearest, as franc's stable sort leaves it.
  let best = 0;
  for (let l = 1; l < languages.length; l++) if (distances[l]! < distances[best]!) best = l;
  return languages[best]!;
}

/** Every language `francAll(value, { minLength })` lists, in its order (nearest first). */
export function rankLanguages(value: string, minLength = MIN_LENGTH, measure?: Measure): string[] {
  const assessed = assess(value, minLength, measure);
  if (typeof assessed === 'string') return [assessed];
  const { languages, distances } = assessed;
  return languages.map((_, l) => l).sort((x, y) => distances[x]! - distances[y]! || x - y).map((l) => languages[l]!);
}

/*
 * Every script's index, stored beside the bundle (scripts/bundle.mjs writes it when it bundles
 * this module): building the Latin one, or scanning its models for a first sample, was an eighth
 * of a one-story build's own work (~26 M of ~210 M instructions); reading it is a file of ~0.6 MB.
 * The file is checked against the models bundled with it (languages and lengths).
 */

/** The stored indexes' file name, beside the module that reads them (the bundle's folder). */
export const INDEX_FILE = 'language-index.bin';
const MAGIC = 0x31494c46; // "FLI1"

/** What identifies a script's models: a stored index is used only for the same. */
const modelsKey = (name: string): string => {
  const byLanguage = data[name]!;
  return Object.keys(byLanguage).map((l) => `${l}:${byLanguage[l]!.length}`).join(',');
};

interface StoredScript {
  name: string;
  models: string;
  mask: number;
  rowCount: number;
  entries: number;
  at: number;
}

/** A script's index as built from its models (for tests: the stored one must be the same). */
export function builtIndex(name: string): Readonly<TrigramIndex> | undefined {
  return Object.hasOwn(data, name) ? buildIndex(scriptOf(name)) : undefined;
}

/** Every script's index, packed: a header (JSON) and each index's arrays, 4-byte aligned. */
export function packIndexes(): Uint8Array {
  const header: StoredScript[] = [];
  const parts: ArrayBufferView[] = [];
  let at = 0;
  for (const name of Object.keys(data)) {
    const index = builtIndex(name)!;
    const rowCount = index.rowStart.length - 1;
    header.push({ name, models: modelsKey(name), mask: index.mask, rowCount, entries: index.entryLanguage.length, at });
    for (const a of [index.heads, index.rows, index.rowStart, index.tails, index.entryLanguage, index.entryRank]) {
      parts.push(a);
      at += (a.byteLength + 3) & ~3;
    }
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = (8 + json.length + 3) & ~3;
  const out = new Uint8Array(start + at);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  let offset = start;
  for (const a of parts) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += (a.byteLength + 3) & ~3;
  }
  return out;
}

/** The indexes in `bytes` (packIndexes'), those made from the models bundled here; undefined when none is usable. */
export function unpackIndexes(bytes: Uint8Array): Map<string, TrigramIndex> | undefined {
  // Typed arrays read the file in the machine's byte order: it is written little-endian.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1 || bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return undefined;
  const jsonLength = view.getUint32(4, true);
  let header: StoredScript[];
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLength))) as StoredScript[];
  } catch {
    return undefined;
  }
  // Views need aligned offsets: a buffer that starts unaligned is copied once.
  const own = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const start = own.byteOffset + ((8 + jsonLength + 3) & ~3);
  const out = new Map<string, TrigramIndex>();
  for (const h of header) {
    if (!Object.hasOwn(data, h.name) || h.models !== modelsKey(h.name)) continue;
    const size = h.mask + 1;
    let at = start + h.at;
    const take = <T>(make: (buffer: ArrayBuffer, offset: number, length: number) => T, length: number, unit: number): T => {
      const a = make(own.buffer as ArrayBuffer, at, length);
      at += (length * unit + 3) & ~3;
      return a;
    };
    const aligned = (n: number): number => (n + 3) & ~3;
    if (at + aligned(size * 4) * 2 + aligned((h.rowCount + 1) * 4) + aligned(size * 2) + aligned(h.entries * 2) * 2 > own.byteOffset + own.byteLength) return undefined;
    const heads = take((b, o, n) => new Uint32Array(b, o, n), size, 4);
    const rows = take((b, o, n) => new Int32Array(b, o, n), size, 4);
    const rowStart = take((b, o, n) => new Int32Array(b, o, n), h.rowCount + 1, 4);
    const tails = take((b, o, n) => new Uint16Array(b, o, n), size, 2);
    const entryLanguage = take((b, o, n) => new Uint16Array(b, o, n), h.entries, 2);
    const entryRank = take((b, o, n) => new Uint16Array(b, o, n), h.entries, 2);
    out.set(h.name, { mask: h.mask, heads, tails, rows, rowStart, entryLanguage, entryRank, counts: new Int32Array(h.rowCount), seen: new Int32Array(h.rowCount) });
  }
  return out.size ? out : undefined;
}

let stored: Map<string, TrigramIndex> | undefined | null = null;

/** The indexes stored beside this module, read once; undefined when there are none (dist/src, tests). */
function storedIndexes(): Map<string, TrigramIndex> | undefined {
  if (stored === null) {
    try {
      stored = unpackIndexes(readFileSync(fileURLToPath(new URL(INDEX_FILE, import.meta.url))));
    } catch {
      stored = undefined;
    }
  }
  return stored;
}
