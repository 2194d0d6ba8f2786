/** Safe output file names from metadata, for every common file system. */

const RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i;
const MAX_BYTES = 255;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cut `s` to at most `max` UTF-8 bytes without splitting a character. */
export function truncateBytes(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

/**
 * A file name (without folder) made from `base` plus `ext`: no path separators, no control or
 * reserved characters, no Windows device names, no leading dots, at most 255 bytes.
 */
export function safeFileName(base: string, ext = '.epub'): string {
  let name = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[/\\:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+/, '')
    .replace(/[.\s]+$/, '');
  if (!name || RESERVED.test(name)) name = `book${name ? ` ${name}` : ''}`;
  // Leave room for a collision suffix (" (999)").
  name = truncateBytes(name, MAX_BYTES - utf8Length(ext) - 6).replace(/[.\s]+$/, '');
  return name + ext;
}

/** The placeholders a name template may hold. */
export const NAME_PLACEHOLDERS = ['title', 'author', 'fandom', 'series', 'index'] as const;

/** Why a name template cannot be used (an unknown placeholder), or undefined when it can. */
export function templateProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((k) => !(NAME_PLACEHOLDERS as readonly string[]).includes(k));
  if (unknown.length) return `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `{${k}}`).join(', ')} in --name; use ${NAME_PLACEHOLDERS.map((k) => `{${k}}`).join(' ')}`;
  return undefined;
}

// Separators left around an empty placeholder: "a -  - b", "a - ", "(" ")".
const EMPTY_BRACKETS = /\(\s*\)|\[\s*\]/g;
const REPEATED_SEPARATORS = /\s*([-–—_,])(?:\s*[-–—_,])+\s*/g;
const EDGE_SEPARATORS = /^[\s\-–—_,]+|[\s\-–—_,]+$/g;

/**
 * Fill one part of a name template (`{title}`, `{author}`, `{fandom}`, `{series}`, `{index}`);
 * what an empty placeholder leaves behind (empty brackets, doubled or dangling separators) goes.
 */
export function fillTemplate(template: string, values: Record<string, string | undefined>): string {
  return template
    .replace(/\{(\w+)\}/g, (_m, k: string) => values[k] ?? '')
    .replace(EMPTY_BRACKETS, '')
    .replace(REPEATED_SEPARATORS, (m, sep: string) => (/\s$/.test(m) || /^\s/.test(m) ? ` ${sep} ` : sep))
    .replace(EDGE_SEPARATORS, '')
    .replace(/\s+/g, ' ');
}

/**
 * A book's path relative to the output folder from a name template: a `/` in the template makes
 * a subfolder (never one from a value: a title "Either/Or" stays one name); every part is made
 * safe, so no part can climb out (`..`) or be empty; a trailing `.epub` is not doubled.
 */
export function templatePath(template: string, values: Record<string, string | undefined>, ext = '.epub'): string[] {
  const parts = template.replace(/\s+$/, '').replace(new RegExp(`${ext.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i'), '').split(/[/\\]/);
  const folders = parts.slice(0, -1).map((p) => fillTemplate(p, values)).filter((p) => p.replace(/[.\s]/g, '') !== '');
  const safeFolders = folders.map((f) => safeFileName(f, ''));
  return [...safeFolders, safeFileName(fillTemplate(parts.at(-1)!, values) || 'book', ext)];
}

/** A name not yet in `taken` (case-insensitive, for case-insensitive file systems): "x.epub", "x (2).epub" … */
export function uniqueName(name: string, taken: Set<string>, ext = '.epub'): string {
  const stem = name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
