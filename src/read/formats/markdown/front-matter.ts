/** Markdown's metadata: YAML front matter (or MultiMarkdown `Key: value` lines) → Meta. */
import { createRequire } from 'node:module';
import { warning, type Diagnostic } from '../../../diagnostics.js';
import type { Meta, Series } from '../../../model.js';
import { decodeEntities } from '../../decode.js';
import type { Losses } from '../../fidelity.js';
import { applyField, fieldFor, parseDate, parseWordCount, type FieldAliases, type FieldRule, type FieldTarget } from '../../header.js';
import { markdownBlocks } from './blocks.js';

// yaml loads only when a Markdown file with front matter is read (createRequire keeps it out of
// the bundle and off the start-up path of every other format).
export const parseYaml = (text: string): unknown => (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);

const OPEN_FENCE = /^---[ \t]*$/;
const CLOSE_FENCE = /^(?:---|\.\.\.)[ \t]*$/;
const YAML_KEY = /^[A-Za-z_][\w .-]{0,40}:(?:\s|$)/;

/** Where front matter ends: the index of the line after the closing fence, or -1. */
export function frontMatterEnd(lines: string[]): number {
  if (!OPEN_FENCE.test(lines[0] ?? '')) return -1;
  let sawKey = false;
  for (let i = 1; i < Math.min(lines.length, 400); i++) {
    const line = lines[i]!;
    if (CLOSE_FENCE.test(line)) return sawKey ? i + 1 : -1;
    if (YAML_KEY.test(line)) sawKey = true;
    else if (!sawKey && line.trim() !== '' && !/^\s*#/.test(line)) return -1;
  }
  return -1;
}

/** Keys that mean something different in front matter than in a story's header block, or that
 * the shared field table does not know. Other keys go through the shared table; unknown keys
 * and the dropped ones (layout, permalink, draft …) are site settings. */
const SERIES_INDEX: FieldRule = { target: 'own', label: 'seriesIndex' };
const DROP: FieldRule = { target: 'drop' };
const FRONT_FIELDS: FieldAliases = {
  'categories': { target: 'tags' },
  'category': { target: 'tags' },
  'excerpt': { target: 'summary' },
  'abstract': { target: 'summary' },
  'lastmod': { target: 'updated' },
  'last modified at': { target: 'updated' },
  'modified': { target: 'updated' },
  'date modified': { target: 'updated' },
  'creator': { target: 'authors' },
  'creators': { target: 'authors' },
  'lang': { target: 'language' },
  'canonical url': { target: 'sourceUrl' },
  'original url': { target: 'sourceUrl' },
  'series index': SERIES_INDEX,
  'series part': SERIES_INDEX,
  'series number': SERIES_INDEX,
  'part': SERIES_INDEX,
  'layout': DROP,
  'permalink': DROP,
  'slug': DROP,
  'draft': DROP,
};

/** YAML values as strings: scalars, lists of scalars, `{name: …}` objects; booleans and nulls
 * say nothing. */
function strings(value: unknown): string[] {
  if (value === null || value === undefined || typeof value === 'boolean') return [];
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (typeof value === 'number') return [String(value)];
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? [] : [value.toISOString().slice(0, 10)];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['name', 'title', 'display_name', 'displayName']) if (typeof o[k] === 'string') return strings(o[k]);
  }
  return [];
}

const LIST_TARGETS = new Set<FieldTarget>(['authors', 'fandoms', 'relationships', 'characters', 'warnings', 'category', 'tags']);

/** A metadata value as plain text: YAML values are shown as written, but sites render their HTML,
 * so tags are dropped and character references decoded. */
export function metaText(text: string): string {
  return decodeEntities(text.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '')).replace(/\s+/g, ' ').trim();
}

/** Apply parsed front matter to `meta`; a summary or note is Markdown. Returns a diagnostic for
 * each value not understood. */
export function applyFrontMatter(meta: Meta, data: Record<string, unknown>, path: string, losses: Losses): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let seriesIndex: number | undefined;
  for (const [rawKey, value] of Object.entries(data)) {
    const rule = fieldFor(rawKey.replace(/[_-]+/g, ' '), FRONT_FIELDS);
    if (!rule || rule.target === 'drop') continue;
    if (rule === SERIES_INDEX) {
      const n = Number(strings(value)[0]);
      if (Number.isFinite(n) && n > 0) seriesIndex = n;
      continue;
    }
    const values = strings(value);
    if (!values.length) continue;
    const label = rule.label ?? rawKey;
    switch (rule.target) {
      case 'summary':
      case 'notes': {
        const blocks = values.flatMap((v) => markdownBlocks(v, losses));
        if (blocks.length) meta[rule.target] = [...(meta[rule.target] ?? []), ...blocks];
        continue;
      }
      case 'series': {
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const o = value as Record<string, unknown>;
          const name = strings(o['name'] ?? o['title'])[0];
          const index = Number(strings(o['index'] ?? o['part'] ?? o['number'] ?? o['position'])[0]);
          const total = Number(strings(o['total'] ?? o['of'] ?? o['count'])[0]);
          if (name) meta.series ??= { name, ...(index > 0 ? { index } : {}), ...(total > 0 ? { total } : {}) };
          continue;
        }
        // "Instruments, part 2", "Instruments #2", "Instruments (Book 2 of 3)".
        const m = /^(.*?)[\s,:;(\-–—]*(?:\b(?:part|book|volume|vol\.?|no\.?)\s*|#)(\d+)(?:\s*(?:\/|of)\s*(\d+))?\)?\s*$/i.exec(values[0]!);
        if (m && m[1]!.trim()) meta.series ??= { name: m[1]!.trim(), index: +m[2]!, ...(m[3] ? { total: +m[3] } : {}) };
        else meta.series ??= { name: values[0]! };
        continue;
      }
      case 'published':
      case 'updated': {
        // ISO date-times ("2020-01-02T10:00:00Z") are common in front matter.
        const d = parseDate(values[0]!.replace(/^(\d{4}-\d{2}-\d{2})T/, '$1 '));
        if (d) {
          if (rule.target === 'published') meta.published ??= d;
          else meta.updated ??= d;
        } else if (typeof value === 'string') {
          diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
          meta.extra[rule.target === 'published' ? 'Date' : 'Updated'] = values[0]!;
        }
        continue;
      }
      case 'sourceUrl':
        if (/^https?:\/\//i.test(values[0]!)) meta.sourceUrl ??= values[0]!;
        continue;
      case 'statedWords': {
        const n = parseWordCount(values[0]!);
        if (n !== undefined) meta.statedWords ??= n;
        else diagnostics.push(warning('meta-004', `could not understand "${rawKey}: ${values[0]}"; kept as text`, path));
        continue;
      }
      default:
        if (Array.isArray(value) && LIST_TARGETS.has(rule.target)) {
          const list = rule.target === 'authors' ? meta.authors : meta[rule.target as 'fandoms' | 'relationships' | 'characters' | 'warnings' | 'category' | 'tags'];
          for (const v of values.map(metaText)) if (v && !list.includes(v) && !/^uncategori[sz]ed$/i.test(v)) list.push(v);
        } else if (rule.target === 'extra') {
          meta.extra[label] = values.join(', ');
        } else {
          for (const v of values) applyField(meta, { key: rawKey, value: rule.target === 'title' ? metaText(v) : v, rule });
          if (rule.target === 'tags' || rule.target === 'category') meta[rule.target] = meta[rule.target].filter((t) => !/^uncategori[sz]ed$/i.test(t));
        }
    }
  }
  if (seriesIndex !== undefined && meta.series && meta.series.index === undefined) meta.series = { ...meta.series, index: seriesIndex } satisfies Series;
  return diagnostics;
}
