/**
 * Library metadata (src/render/library.ts) in the package document, in two forms:
 * - EPUB 3 `<meta property="fic2epub:…">` under a prefix declared on `<package>`, one element
 *   per value, so lists stay lists (any reader of EPUB 3 metadata);
 * - calibre's custom-column form, `<meta name="calibre:user_metadata:#label" content="{json}">`
 *   (the OPF 2 form calibre itself writes and reads back, opf3.py `read_user_metadata2`), so a
 *   calibre library with columns of the same label and type fills them when the book is added.
 * The flat `dc:subject` list stays for readers that know only that.
 */
import type { LibraryMeta } from '../render/library.js';
import { el, type Xml } from '../render/xml.js';

/** The prefix of fic2epub's metadata properties and the IRI it stands for (declared on `<package>`). */
export const VOCAB_PREFIX = 'fic2epub';
export const VOCAB_IRI = 'https://fic2epub.invalid/vocab#';

/** The status as a library shows it. */
export function statusText(lib: LibraryMeta): string | undefined {
  const s = lib.status;
  if (!s) return undefined;
  if (s.complete) return 'Complete';
  return `In progress (${s.chapters}${s.total !== undefined ? ` of ${s.total}` : ''} chapters)`;
}

/** The EPUB 3 form: `fic2epub:fandom` … one element per value. */
export function libraryProperties(lib: LibraryMeta): Xml[] {
  const p = (name: string, value: string | number | undefined): Xml[] => (value === undefined || value === '' ? [] : [el('meta', { property: `${VOCAB_PREFIX}:${name}` }, String(value))]);
  const s = lib.status;
  return [
    ...lib.fandoms.flatMap((v) => p('fandom', v)),
    ...lib.relationships.flatMap((v) => p('relationship', v)),
    ...lib.characters.flatMap((v) => p('character', v)),
    ...lib.tags.flatMap((v) => p('freeform', v)),
    ...p('rating', lib.rating),
    ...lib.warnings.flatMap((v) => p('warning', v)),
    ...lib.category.flatMap((v) => p('category', v)),
    ...(s ? [...p('status', s.complete ? 'complete' : 'in-progress'), ...p('chapters-posted', s.chapters), ...p('chapters-planned', s.total)] : []),
    ...p('words', lib.words),
    ...p('chapters', lib.chapters),
    ...p('published', lib.published),
    ...p('updated', lib.updated),
  ];
}

/** A calibre custom column fic2epub fills: its lookup name (`#label`), heading, type and value. */
export interface CalibreColumn {
  label: string;
  name: string;
  datatype: 'text' | 'int' | 'datetime';
  multiple: boolean;
  value(lib: LibraryMeta): string | string[] | number | undefined;
}

/** The columns, in the order they are written. Create them in calibre with
 * `calibredb add_custom_column [--is-multiple] LABEL NAME DATATYPE`. */
export const CALIBRE_COLUMNS: readonly CalibreColumn[] = [
  { label: 'fandoms', name: 'Fandoms', datatype: 'text', multiple: true, value: (l) => l.fandoms },
  { label: 'relationships', name: 'Relationships', datatype: 'text', multiple: true, value: (l) => l.relationships },
  { label: 'characters', name: 'Characters', datatype: 'text', multiple: true, value: (l) => l.characters },
  { label: 'freeform', name: 'Freeform tags', datatype: 'text', multiple: true, value: (l) => l.tags },
  { label: 'ficrating', name: 'Rating', datatype: 'text', multiple: false, value: (l) => l.rating },
  { label: 'warnings', name: 'Warnings', datatype: 'text', multiple: true, value: (l) => l.warnings },
  { label: 'category', name: 'Category', datatype: 'text', multiple: true, value: (l) => l.category },
  { label: 'status', name: 'Status', datatype: 'text', multiple: false, value: statusText },
  { label: 'words', name: 'Words', datatype: 'int', multiple: false, value: (l) => l.words },
  { label: 'chapters', name: 'Chapters', datatype: 'int', multiple: false, value: (l) => l.chapters },
  { label: 'published', name: 'Published', datatype: 'datetime', multiple: false, value: (l) => l.published },
  { label: 'updated', name: 'Updated', datatype: 'datetime', multiple: false, value: (l) => l.updated },
];

// calibre's list separators for a tags-like text column (json_codec.py `decode_is_multiple`).
const TAG_LIST = { cache_to_list: '|', list_to_ui: ', ', ui_to_list: ',' };

/** JSON with keys sorted at every level, as calibre writes it, so the same book gives the same bytes. */
function sortedJson(v: unknown): string {
  if (v === VALUE) return SLOT;
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}: ${sortedJson((v as Record<string, unknown>)[k])}`).join(', ')}}`;
  return JSON.stringify(v);
}

/** One column's field metadata with its value, in calibre's JSON shape (datetimes as calibre's
 * `{"__class__": "datetime.datetime", …}`; `is_multiple` as the character, `is_multiple2` as the
 * separators, as calibre's `encode_is_multiple` writes them). */
export function calibreColumnJson(c: CalibreColumn, value: string | string[] | number): string {
  const v = c.datatype === 'datetime' ? { __class__: 'datetime.datetime', __value__: `${String(value)}T00:00:00+00:00` } : value;
  const [before, after] = framing(c);
  return `${before}${sortedJson(v)}${after}`;
}

/** Stands for the value while a column's JSON is framed: no value is a symbol. */
const VALUE = Symbol('value');
const framings = new Map<CalibreColumn, [string, string]>();

/** A column's JSON before and after its value: the same for every book, so written once a thread
 * (sorting and writing it for every column of every book was 1.5 % of a batch worker). */
function framing(c: CalibreColumn): [string, string] {
  let f = framings.get(c);
  if (!f) {
    const [before, after] = columnJson(c, VALUE).split(SLOT);
    framings.set(c, (f = [before!, after!]));
  }
  return f;
}

const SLOT = '\u0000value\u0000';

function columnJson(c: CalibreColumn, v: unknown): string {
  return sortedJson({
    '#extra#': null,
    '#value#': v,
    category_sort: 'value',
    column: 'value',
    datatype: c.datatype,
    display: c.datatype === 'datetime' ? { date_format: 'yyyy-MM-dd', description: '' } : { description: '' },
    is_category: c.datatype === 'text',
    is_csp: false,
    is_custom: true,
    is_editable: true,
    is_multiple: c.multiple ? '|' : null,
    is_multiple2: c.multiple ? TAG_LIST : {},
    kind: 'field',
    label: c.label,
    link_column: 'value',
    name: c.name,
    search_terms: [`#${c.label}`],
  });
}

/** calibre's custom-column form: one `<meta name="calibre:user_metadata:#label">` per known field. */
export function calibreUserMetadata(lib: LibraryMeta): Xml[] {
  return CALIBRE_COLUMNS.flatMap((c) => {
    const value = c.value(lib);
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return [];
    return [el('meta', { name: `calibre:user_metadata:#${c.label}`, content: calibreColumnJson(c, value) })];
  });
}
