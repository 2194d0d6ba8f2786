/**
 * Usenet and mailing-list posts saved as text: one message, a saved thread, an mbox, or a
 * digest. Mail and news headers are cruft except `Subject:` (title, part marker, rating) and
 * `From:` (author); a `Title:/Author:` block at the top of the first part's body beats both.
 * Signatures, boxed signature blocks, list footers, digest separators and quoted replies are
 * removed; several messages whose subjects share a title are the parts of one story, one
 * chapter per part in part order.
 *
 * Everything here works on the kind of file, not one sample: messages are found by their header
 * blocks (RFC 5322 shape), not by a site's layout.
 */
import { createRequire } from 'node:module';
import type { Chapter, Meta, Story } from '../../model.js';
import { type SourceLine, sourceLines } from '../body.js';
import { type PartMarker, parseDate, splitPartMarker, titleKey } from '../header.js';
import { emptyMeta, emptyStory } from '../story.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';
import { addLosses } from '../fidelity.js';
import { htmlFragmentBlocks } from '../html/frame.js';
import { newTally, type UnsafeTally } from '../html/sanitize.js';
import { readBlockStory, readPlainLines, readTextStory, type TextStory } from '../structure.js';
import { blocksText } from '../../text.js';

// iconv-lite loads only for a message in a legacy charset (most are ASCII or UTF-8).
const iconv = (): typeof import('iconv-lite') => createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');

// ───────────────────────────── header blocks ─────────────────────────────

/** `Name: value`, the RFC 5322 field shape (no spaces in the name). */
const HEADER_FIELD = /^([A-Za-z][A-Za-z0-9-]{0,60}):(?:[ \t]+(.*)|)$/;
/** A folded header line continues the field above it. */
const CONTINUATION = /^[ \t]+\S/;
/** The mbox separator: `From sender date`, the date holding a time and a year. */
const MBOX_FROM = /^From \S+ .*\d{1,2}:\d{2}.*\d{4}/;
/** A news reader's save line above the headers ("Article 1234 of alt.fan.x:"). */
const ARTICLE_LINE = /^Article \d+ of \S+?:?\s*$/;
/** Fields whose presence beside `From:` makes a header block a message. */
const MESSAGE_FIELDS = new Set(['subject', 'date', 'newsgroups', 'message-id', 'path']);
/** A separator line between messages of a digest or a saved thread. */
const SEPARATOR = /^\s*(?:-{8,}|={8,}|\*{8,}|_{8,}|~{8,})\s*$/;

interface HeaderBlock {
  /** Field names lower-cased → first value (folded lines joined). */
  fields: Map<string, string>;
  /** Index of the first line after the block's blank line. */
  bodyStart: number;
  /** The mbox `From ` line, when the block starts with one. */
  mboxFrom?: string;
}

/**
 * The header block starting at `lines[i]`, when it is one: consecutive fields (folded lines
 * allowed) holding `From:` and one of Subject/Date/Newsgroups/Message-ID/Path, ended by a blank
 * line or the end of the text. An mbox `From ` line or a news reader's "Article N of group"
 * line may stand above it.
 */
function headerBlockAt(lines: string[], i: number): HeaderBlock | undefined {
  let j = i;
  let mboxFrom: string | undefined;
  if (MBOX_FROM.test(lines[j] ?? '')) mboxFrom = lines[j++];
  else if (ARTICLE_LINE.test(lines[j] ?? '')) j++;
  const block = fieldsAt(lines, j);
  if (!block || !block.fields.has('from') || block.count < 2) return undefined;
  if (![...MESSAGE_FIELDS].some((f) => block.fields.has(f))) return undefined;
  return { fields: block.fields, bodyStart: block.end < lines.length ? block.end + 1 : block.end, ...(mboxFrom ? { mboxFrom } : {}) };
}

/** The RFC 5322 fields from `lines[i]` to the first blank line (a message's or a MIME part's):
 * names lower-cased, folded lines joined, a repeated field's first value kept; `end` is the
 * blank line's index. Undefined when a line is no field (or there are over 200). */
function fieldsAt(lines: string[], i: number): { fields: Map<string, string>; count: number; end: number } | undefined {
  const fields = new Map<string, string>();
  let last: string | undefined;
  let count = 0;
  let j = i;
  for (; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() === '') break;
    if (count > 0 && CONTINUATION.test(line)) {
      if (last) fields.set(last, `${fields.get(last)!} ${line.trim()}`);
      continue;
    }
    const m = HEADER_FIELD.exec(line);
    if (!m || ++count > 200) return undefined;
    const name = m[1]!.toLowerCase();
    // Repeated fields (Received:, Comments:) keep their first value.
    last = fields.has(name) ? undefined : name;
    if (last) fields.set(last, (m[2] ?? '').trim());
  }
  return { fields, count, end: j };
}

/** A message as found in the file: its header fields and its raw body lines. */
interface RawMessage {
  fields: Map<string, string>;
  body: string[];
  /** 1-based line of the header block. */
  line: number;
  /** 1-based line of the first body line. */
  bodyLine: number;
  mboxFrom?: string;
}

/** Fields only a message in transit carries; an email quoted inside a story has none. */
const TRANSPORT_FIELDS = ['message-id', 'path', 'newsgroups', 'received', 'return-path', 'references', 'in-reply-to', 'xref', 'nntp-posting-host', 'mime-version', 'list-id'];

/**
 * Split the text into messages. The first header block starts the first message; after it, in
 * an mbox only a `From ` line starts one, elsewhere a header block after a separator line
 * (digests) or after a blank line when it holds transport fields (Message-ID, Path …), so that
 * an email quoted inside a story stays story. Text before the first message is dropped.
 */
function splitMessages(lines: string[]): RawMessage[] {
  const out: RawMessage[] = [];
  let current: RawMessage | undefined;
  let mbox = false;
  // The last non-blank line seen: a digest separator may stand a blank line above the headers.
  let lastText = '';
  let i = 0;
  while (i < lines.length) {
    const prev = i === 0 ? '' : lines[i - 1]!;
    const line = lines[i]!;
    const canStart: boolean = (prev.trim() === '' || SEPARATOR.test(prev)) && line.trim() !== '' && (!mbox || MBOX_FROM.test(line));
    let block: HeaderBlock | undefined = canStart ? headerBlockAt(lines, i) : undefined;
    if (block && current && !block.mboxFrom && !SEPARATOR.test(lastText) && !TRANSPORT_FIELDS.some((f) => block!.fields.has(f))) block = undefined;
    if (line.trim()) lastText = line;
    if (block) {
      if (!current) mbox = block.mboxFrom !== undefined;
      current = { fields: block.fields, body: [], line: i + 1, bodyLine: block.bodyStart + 1, ...(block.mboxFrom ? { mboxFrom: block.mboxFrom } : {}) };
      out.push(current);
      i = block.bodyStart;
      continue;
    }
    current?.body.push(lines[i]!);
    i++;
  }
  return out;
}

// ───────────────────────────── MIME ─────────────────────────────

/** Bytes as text in a declared charset (UTF-8 when none is declared). */
function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const cs = (charset ?? 'utf-8').toLowerCase().replace(/^"|"$/g, '');
  if (cs === 'utf-8' || cs === 'utf8' || cs === 'us-ascii' || cs === 'ascii') {
    const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    // Mislabelled Latin-1 shows as replacement characters: read it as Windows-1252 instead.
    return utf8.includes('\ufffd') ? iconv().decode(Buffer.from(bytes), 'windows-1252') : utf8;
  }
  const name = /^(?:iso-8859-1|latin-?1)$/.test(cs) ? 'windows-1252' : cs;
  return iconv().encodingExists(name) ? iconv().decode(Buffer.from(bytes), name) : new TextDecoder('utf-8').decode(bytes);
}


/** Quoted-printable → bytes: soft line breaks joined, `=XX` decoded. */
function quotedPrintable(text: string): Uint8Array {
  const joined = text.replace(/=[ \t]*\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      out.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x80) out.push(code);
      else out.push(...new TextEncoder().encode(c));
    }
  }
  return Uint8Array.from(out);
}

/** RFC 2047 encoded words in a header value (`=?UTF-8?Q?Caf=C3=A9?=`). */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[QqBb]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[QqBb]\?)/g, '$1')
    .replace(/=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g, (_all, charset: string, enc: string, data: string) => {
      const bytes = enc.toUpperCase() === 'B' ? Uint8Array.from(Buffer.from(data, 'base64')) : quotedPrintable(data.replace(/_/g, ' '));
      return decodeCharset(bytes, charset.replace(/\*.*$/, ''));
    });
}

/** A parameter of a structured header (`charset`, `boundary`). */
function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** A decoded body: its text lines, and its HTML when the part read is `text/html`. */
interface DecodedBody {
  lines: string[];
  html?: string;
}

/** A body decoded from its transfer encoding and charset. Text that was already 8-bit in the file
 * was decoded with the file and is left alone. */
function decodeBody(fields: Map<string, string>, body: string[]): DecodedBody {
  const type = fields.get('content-type') ?? 'text/plain';
  const encoding = (fields.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (/^multipart\//i.test(type)) {
    const boundary = param(type, 'boundary');
    if (boundary) {
      const part = pickTextPart(body, boundary);
      if (part) return part;
    }
    return { lines: body };
  }
  const charset = param(type, 'charset');
  let lines = body;
  if (encoding === 'quoted-printable') lines = decodeCharset(quotedPrintable(body.join('\n')), charset).split('\n');
  else if (encoding === 'base64') lines = decodeCharset(Uint8Array.from(Buffer.from(body.join(''), 'base64')), charset).split('\n');
  // HTML is read by the shared HTML layer (real emphasis, footnotes, the allow-list).
  if (/^text\/html/i.test(type)) return { lines, html: lines.join('\n') };
  return { lines };
}

/** The first text/plain part of a multipart body (else the first text/html part), decoded. */
function pickTextPart(body: string[], boundary: string): DecodedBody | undefined {
  const parts: string[][] = [];
  let cur: string[] | undefined;
  for (const line of body) {
    const t = line.trimEnd();
    if (t === `--${boundary}` || t === `--${boundary}--`) {
      if (cur) parts.push(cur);
      cur = t.endsWith('--') && t !== `--${boundary}` ? undefined : [];
      continue;
    }
    cur?.push(line);
  }
  if (cur) parts.push(cur);
  const decoded = parts.map((p) => {
    const block = fieldsAt(p, 0);
    const fields = block?.fields ?? new Map<string, string>();
    return { type: (fields.get('content-type') ?? 'text/plain').toLowerCase(), fields, body: block ? p.slice(block.end + 1) : p };
  });
  const plain = decoded.find((p) => p.type.startsWith('text/plain')) ?? decoded.find((p) => p.type.startsWith('multipart/')) ?? decoded.find((p) => p.type.startsWith('text/html'));
  return plain ? decodeBody(plain.fields, plain.body) : undefined;
}

// ───────────────────────────── subject and sender ─────────────────────────────

const RATING = /^(?:G|PG|PG-?1[3-5]|R|NC-?17|X|XXX|K\+?|T|M|MA|FR[A-Z0-9+]*|Gen|General|Teen|Mature|Explicit|Adult)$/i;
/** What a subject line says about the post. */
export interface SubjectInfo {
  /** The story title, with reply prefixes, list tags, fic tags, part markers and ratings gone. */
  title: string;
  part?: PartMarker;
  /** Text after the part marker ("(2/3): The Crossing" → "The Crossing"). */
  partTitle?: string;
  rating?: string;
  /** `Re:` / `AW:` … : the post answers another. */
  reply: boolean;
}

/**
 * Read a Subject: `Re: [list] NEW FIC: The Long Road (2/3) [PG-13]` → title "The Long Road",
 * part 2 of 3, rating PG-13, reply. Part markers: `(2/3)`, `[2/3]`, `(2 of 3)`, `Part 2/3`,
 * `Part Two`, `Chapter 2`, a bare trailing `2/3`.
 */
export function parseSubject(raw: string): SubjectInfo {
  let s = decodeEncodedWords(raw).replace(/\s+/g, ' ').trim();
  let reply = false;
  let rating: string | undefined;
  for (let guard = 0; guard < 20; guard++) {
    const before = s;
    const re = /^(?:re|aw|sv|antw|vs|ynt)\s*(?:\[\d+\]|\^\d+)?\s*:\s*/i.exec(s);
    if (re) { reply = true; s = s.slice(re[0].length); }
    s = s.replace(/^(?:fwd?|tr|wg)\s*:\s*/i, '');
    const br = /^[[(]([^\])]{1,40})[\])]\s*[:\-–]?\s*/.exec(s);
    if (br && !/^\d+\s*(?:\/|of)\s*\d+$/i.test(br[1]!.trim())) {
      if (RATING.test(br[1]!.trim())) rating ??= br[1]!.trim();
      s = s.slice(br[0].length);
    }
    s = s.replace(/^(?:(?:new|fic|fanfic|fan fic|story|repost|ficlet|drabble|wip|complete|part|series)\s*)+[:\-–]\s*/i, '');
    if (s === before) break;
  }
  // Trailing square-bracket groups are labels, not title ("[PG-13]", "[MSR, angst]").
  for (let m = /\s*\[([^\]]*)\]\s*$/.exec(s); m && m.index > 0; m = /\s*\[([^\]]*)\]\s*$/.exec(s)) {
    if (/^\s*(?:part\s*)?\d+\s*(?:\/|of)\s*\d+\s*$/i.test(m[1]!)) break;
    const first = m[1]!.split(/[;,/ ]+/)[0]!.trim();
    if (RATING.test(first)) rating ??= first;
    s = s.slice(0, m.index);
  }
  const paren = /\s*\(\s*([^)]{1,12})\s*\)\s*$/.exec(s);
  if (paren && RATING.test(paren[1]!.trim()) && paren.index > 0) {
    rating ??= paren[1]!.trim();
    s = s.slice(0, paren.index);
  }
  // A marker with no title before it ("Part 2: The Crossing") is the title itself.
  const split = splitPartMarker(s);
  const marked = split.part && split.title ? split : { title: s };
  const title = marked.title.replace(/[\s,:;\-–—]+$/, '').replace(/^["“'‘]+|["”'’]+$/g, '').trim();
  const { part, partTitle } = marked as { part?: PartMarker; partTitle?: string };
  return { title, reply, ...(part ? { part } : {}), ...(partTitle ? { partTitle } : {}), ...(rating ? { rating } : {}) };
}

/** A sender's name from a `From:` value, without the address: `"Jo Bell" <jo@x.org>`,
 * `Jo Bell <jo@x.org>`, `jo@x.org (Jo Bell)`; mailing-list rewrites ("Jo Bell via list") undone.
 * Only an address: its local part, marked `handle`. */
export function parseSender(raw: string): { name: string; handle: boolean } | undefined {
  const v = decodeEncodedWords(raw).trim();
  let name: string | undefined;
  let address: string | undefined;
  let m = /^(.*?)\s*<([^>]*)>\s*$/.exec(v);
  if (m) {
    name = m[1]!.trim();
    address = m[2]!.trim();
  } else if ((m = /^(\S+@\S+)\s*\((.*)\)\s*$/.exec(v))) {
    address = m[1]!;
    name = m[2]!.trim();
  } else if (/^\S+@\S+$/.test(v)) address = v;
  else name = v;
  name = name?.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1').replace(/\s+via\s+\S.*$/i, '').replace(/^'(.*)'$/, '$1').trim();
  if (name && !/@/.test(name)) return { name, handle: false };
  const local = (address ?? name ?? '').split('@')[0]!.trim();
  return local ? { name: local, handle: true } : undefined;
}

// ───────────────────────────── body cruft ─────────────────────────────

/** An attribution line above a quote: "Jo Bell <jo@x.org> wrote:", "In article <…>, jo@x.org
 * (Jo Bell) writes:", "On Sat, 3 Mar 2001, Jo Bell wrote:". */
const ATTRIBUTION = /(?:\b(?:wrote|writes|said|says|schrieb|scripsit|skrev|escribió|kirjoitti)|a écrit|ha scritto)\s*:\s*$|^In article <[^>]*>/i;
const QUOTED = /^\s*>/;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i;
const FOOTER_WORDS = /unsubscribe|mailing list|listinfo|list-?serv|majordomo|yahoo!? ?groups|groups\.yahoo|google groups|groups\.google|you received this message|post message:|list owner|digest|archives? (?:at|:)/i;
const BOX_EDGE = /^\s*(?:[+*#=|]?[-=*_~#+]{5,}[+*#=|]?)\s*$/;
const BOX_SIDE = /^\s*([|*#!]).*\1\s*$/;
const CONTACT = /@|https?:\/\/|www\.|\bfeedback\b|\bfic\b|\barchive\b|\bstories\b/i;

function dropTrailingBlank(lines: string[]): void {
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
}

/** The last run of non-blank lines: [start, end). */
function lastParagraph(lines: string[]): number {
  let k = lines.length;
  while (k > 0 && lines[k - 1]!.trim() !== '') k--;
  return k;
}

/** Remove a quoted reply at the start: an optional attribution (one or two lines) and the
 * `>` lines under it. Returns how many leading lines were removed. */
function dropLeadingQuote(lines: string[]): number {
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  let j = i;
  // Attribution: up to three lines ("In article <…>," / "Jo Bell <jo@x.org> wrote:").
  for (let k = i; k < Math.min(lines.length, i + 3); k++) {
    if (QUOTED.test(lines[k]!)) break;
    if (ATTRIBUTION.test(lines[k]!)) j = k + 1;
  }
  while (j < lines.length && lines[j]!.trim() === '' && j - i < 3) j++;
  if (j >= lines.length || !QUOTED.test(lines[j]!)) return 0;
  while (j < lines.length && (QUOTED.test(lines[j]!) || (lines[j]!.trim() === '' && j + 1 < lines.length && QUOTED.test(lines[j + 1]!)))) j++;
  return j;
}

/** Remove what follows the story at the end of a message: signatures (`-- `), boxed signature
 * blocks, list footers, a quoted original below the reply, digest separators. */
function dropTrailingCruft(lines: string[]): string[] {
  const out = [...lines];
  // A signature: everything after the last "-- " line (the standard delimiter), or a bare "--"
  // followed by a short block.
  for (let k = out.length - 1; k >= 0; k--) {
    const l = out[k]!;
    if (l === '-- ' || (l.trimEnd() === '--' && out.slice(k + 1).filter((x) => x.trim()).length <= 10 && out.slice(k + 1).every((x) => x.length <= 80))) {
      out.length = k;
      break;
    }
  }
  for (let guard = 0; guard < 50; guard++) {
    dropTrailingBlank(out);
    if (!out.length) break;
    const last = out[out.length - 1]!;
    // A quoted original under the reply.
    if (QUOTED.test(last)) {
      let k = out.length;
      while (k > 0 && (QUOTED.test(out[k - 1]!) || out[k - 1]!.trim() === '')) k--;
      if (k > 0 && ATTRIBUTION.test(out[k - 1]!)) k--;
      out.length = k;
      continue;
    }
    const orig = out.findIndex((l) => ORIGINAL_MESSAGE.test(l));
    if (orig >= 0) { out.length = orig; continue; }
    // A box: an edge line at the end, a matching edge above it within a few lines, and between
    // them framed lines or contact lines.
    if (BOX_EDGE.test(last)) {
      let top = -1;
      for (let k = out.length - 2; k >= Math.max(0, out.length - 14); k--) {
        if (BOX_EDGE.test(out[k]!)) { top = k; break; }
      }
      if (top >= 0) {
        const inner = out.slice(top + 1, out.length - 1).filter((l) => l.trim());
        const framed = inner.length > 0 && inner.every((l) => BOX_SIDE.test(l));
        const contact = inner.length > 0 && inner.length <= 8 && inner.every((l) => l.length <= 80) && inner.some((l) => CONTACT.test(l));
        if (framed || contact) {
          out.length = top;
          continue;
        }
      }
    }
    // Digest separators, "End of … Digest", MIME boundaries and part headers.
    if (SEPARATOR.test(last) || /^\s*End of .*Digest\b/i.test(last) || /^--[^\s-][^\s]{5,}(?:--)?$/.test(last.trim()) || /^Content-[A-Za-z-]+:/i.test(last)) {
      out.pop();
      continue;
    }
    // An open box: framed lines ("| … |") at the end with no edge lines.
    if (BOX_SIDE.test(last) && /^\s*\|/.test(last)) {
      let k = out.length;
      while (k > 0 && (BOX_SIDE.test(out[k - 1]!) || BOX_EDGE.test(out[k - 1]!))) k--;
      if (out.length - k >= 2) { out.length = k; continue; }
    }
    // A list footer: the last short paragraph talks about the list, or sits under a rule line.
    const p = lastParagraph(out);
    const para = out.slice(p);
    if (para.length <= 10 && para.some((l) => FOOTER_WORDS.test(l)) && para.some((l) => /@|https?:\/\/|www\./i.test(l) || /unsubscribe/i.test(l))) {
      out.length = p;
      continue;
    }
    if (para.length >= 2 && para.length <= 10 && SEPARATOR.test(para[0]!) && para.slice(1).some((l) => FOOTER_WORDS.test(l) || CONTACT.test(l))) {
      out.length = p;
      continue;
    }
    break;
  }
  return out;
}

/** Undo mbox `>From ` escaping (mboxrd: one `>` less before "From "). */
function unescapeFrom(line: string): string {
  return line.replace(/^>(>*From )/, '$1');
}

/** Spoiler space and other filler between the header and the story. */
function isFiller(line: string): boolean {
  return /^\s*(?:\.|spoiler\s+space\.?|spoilers?\s+ahead\.?)?\s*$/i.test(line);
}

// ───────────────────────────── messages → story ─────────────────────────────

interface Message {
  subject: SubjectInfo;
  sender?: { name: string; handle: boolean };
  date?: string;
  /** Body lines with transfer encoding, quotes and trailing cruft gone. */
  body: SourceLine[];
  /** What the story's own header, title block and body say. */
  meta: Meta;
  text: TextStory;
  /** What reading an HTML body dropped, and its footnotes. */
  tally?: UnsafeTally;
  /** The title this message is grouped by: its own Title: field, else its subject's. */
  key: string;
  digest: boolean;
  line: number;
}

function prepare(raw: RawMessage, ctx: ReadContext): Message {
  const subject = parseSubject(raw.fields.get('subject') ?? '');
  const from = raw.fields.get('from');
  const sender = from ? parseSender(from) : undefined;
  const dateField = raw.fields.get('date');
  const date = (dateField ? parseDate(dateField) : undefined) ?? (raw.mboxFrom ? parseDate(raw.mboxFrom.replace(/^From \S+\s+/, '')) : undefined);
  const decoded = decodeBody(raw.fields, raw.body);
  const meta = emptyMeta();
  const opts = { path: ctx.path, ...(subject.title ? { title: subject.title } : {}), numbered: subject.part !== undefined, filler: isFiller };
  let body: SourceLine[];
  let text: TextStory;
  let tally: UnsafeTally | undefined;
  if (decoded.html !== undefined) {
    // Counted apart: only the messages kept for the story give it their losses and footnotes.
    tally = newTally(ctx.images);
    const blocks = htmlFragmentBlocks(decoded.html, tally, ctx);
    body = blocksText(blocks).split('\n').map((t) => ({ text: t, line: 0 }));
    text = readBlockStory(blocks, meta, opts);
  } else {
    // Lines keep their place in the file unless a transfer encoding rewrote them.
    body = decoded.lines.map((t, k) => ({ text: unescapeFrom(t), line: decoded.lines === raw.body ? raw.bodyLine + k : 0 }));
    body = body.slice(dropLeadingQuote(body.map((l) => l.text)));
    body = body.slice(0, dropTrailingCruft(body.map((l) => l.text)).length);
    text = readTextStory(body, meta, opts);
  }
  const digest = /\bdigest\b.*(?:\bvol|\bv\d|#\s*\d|\bissue|\bno\.)/i.test(subject.title) || body.slice(0, 60).some((l) => /^\s*Today's Topics:?\s*$/i.test(l.text));
  return {
    subject,
    ...(sender ? { sender } : {}),
    ...(date ? { date } : {}),
    body,
    meta,
    text,
    ...(tally ? { tally } : {}),
    key: titleKey((text.header ? meta.title : undefined) ?? subject.title),
    digest,
    line: raw.line,
  };
}

function partOf(m: Message): PartMarker | undefined {
  return m.subject.part ?? m.text.part;
}

function textLength(m: Message): number {
  return m.body.slice(m.text.bodyStart).reduce((n, l) => n + l.text.length, 0);
}

/** The messages that make the story: the group of messages sharing the best-supported title
 * (most numbered parts, then a non-reply post, then most text), one message per part. */
function chooseParts(messages: Message[]): { parts: Message[]; dropped: Message[] } {
  const candidates = messages.filter((m) => !m.digest && textLength(m) > 0);
  if (!candidates.length) return { parts: messages.slice(0, 1), dropped: [] };
  const groups = new Map<string, Message[]>();
  for (const m of candidates) groups.set(m.key, [...(groups.get(m.key) ?? []), m]);
  let best: Message[] | undefined;
  let bestScore: number[] = [];
  for (const g of groups.values()) {
    const score = [new Set(g.map(partOf).filter((p) => p).map((p) => p!.index)).size, g.some((m) => !m.subject.reply) ? 1 : 0, g.reduce((n, m) => n + textLength(m), 0)];
    if (!best || score[0]! > bestScore[0]! || (score[0] === bestScore[0] && (score[1]! > bestScore[1]! || (score[1] === bestScore[1] && score[2]! > bestScore[2]!)))) {
      best = g;
      bestScore = score;
    }
  }
  const group = best!;
  let parts: Message[];
  const numbered = group.filter((m) => partOf(m));
  if (numbered.length) {
    const byIndex = new Map<number, Message>();
    for (const m of numbered) {
      const idx = partOf(m)!.index;
      const have = byIndex.get(idx);
      // A reply quoting a part keeps the part's subject: prefer the post itself, then the longer.
      if (!have || (have.subject.reply && !m.subject.reply) || (have.subject.reply === m.subject.reply && textLength(m) > textLength(have))) byIndex.set(idx, m);
    }
    parts = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, m]) => m);
  } else {
    parts = [group.find((m) => !m.subject.reply) ?? group[0]!];
  }
  const kept = new Set(parts);
  return { parts, dropped: candidates.filter((m) => !kept.has(m)) };
}

function read(input: TextInput, ctx: ReadContext): Story {
  const lines = sourceLines(input.text);
  const raws = splitMessages(lines.map((l) => l.text));
  if (!raws.length) return readPlainLines(input, lines, 'mail', ctx);
  const messages = raws.map((r) => prepare(r, ctx));
  const { parts, dropped } = chooseParts(messages);
  for (const m of parts) {
    if (!m.tally) continue;
    addLosses(ctx.losses, m.tally.losses);
    ctx.footnotes.push(...m.tally.footnotes);
  }
  const first = parts[0]!;
  const story = emptyStory(input.path, 'mail', input.encoding);
  // Metadata: the story's own header first, then what the first part's mail headers say.
  const meta = (story.meta = first.meta);
  ctx.diagnostics.push(...first.text.diagnostics.map((d) => (d.line ? d : { ...d, line: first.line })));
  meta.title ??= first.subject.title || undefined;
  if (!meta.title) delete meta.title;
  if (!meta.authors.length && first.sender) {
    meta.authors.push(first.sender.name);
    ctx.info('meta-008', `no author field; the sender "${first.sender.name}"${first.sender.handle ? ' (the name part of the address)' : ''} is taken as the author`, first.line);
  }
  if (first.subject.rating) meta.rating ??= first.subject.rating;
  if (first.date) meta.published ??= first.date;

  // Parts: one chapter per part, "Part N" unless the part opens with its own heading.
  const indices = parts.map(partOf);
  const total = indices.find((p) => p?.total)?.total;
  const multi = parts.length > 1 || (total !== undefined && total > 1);
  if (multi && parts.length === 1 && indices[0] && meta.title) meta.series ??= { name: meta.title, index: indices[0].index, ...(total ? { total } : {}) };
  const missing = total !== undefined && total > 1 ? total - new Set(indices.filter((p) => p).map((p) => p!.index)).size : 0;
  if (missing > 0) ctx.message('read-009', `the file holds ${parts.length} of the story's ${total} parts`);

  const chapters: Chapter[] = [];
  parts.forEach((m, n) => {
    const part = indices[n];
    const title = multi ? `Part ${part?.index ?? n + 1}${m.subject.partTitle ? `: ${m.subject.partTitle}` : ''}` : undefined;
    m.text.chapters.forEach((c, k) => {
      // A part that opens with its own heading ("Part Two", "Chapter 3") keeps that title.
      chapters.push(k === 0 && c.title === undefined && title ? { ...c, title } : c);
    });
    // End marks close the story only in the last part ("To be continued" closes a part).
    if (n === parts.length - 1) story.end = m.text.end;
  });
  story.chapters = chapters;

  if (dropped.length) {
    const posts = dropped.filter((m) => !m.subject.reply && m.key !== first.key);
    const what = `${dropped.length} message${dropped.length === 1 ? '' : 's'} not part of the story (${dropped.map((m) => `line ${m.line}`).join(', ')})`;
    if (posts.length) ctx.message('struct-003', `left out ${what}, some of them posts with another title`, dropped[0]!.line);
    else ctx.info('struct-003', `left out ${what}: replies`, dropped[0]!.line);
  }
  return story;
}

// ───────────────────────────── sniff ─────────────────────────────

/** A header block that can only be a real post: besides From: and Subject:, a transport field
 * (Message-ID, Newsgroups, Path …) or a Date: in mail form. An email quoted in a story rarely
 * has either. */
function isPostHeader(block: HeaderBlock): boolean {
  const f = block.fields;
  if (block.mboxFrom) return true;
  if (!f.has('subject')) return false;
  const date = f.get('date');
  return TRANSPORT_FIELDS.some((k) => f.has(k)) || (date !== undefined && /\d{1,2}:\d{2}/.test(date) && parseDate(date) !== undefined);
}

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 8000).split('\n');
  let top = 0;
  while (top < head.length && head[top]!.trim() === '') top++;
  const first = top < head.length ? headerBlockAt(head, top) : undefined;
  if (first && isPostHeader(first)) return 0.95;
  // A digest or a saved thread: a post's header block further down, after a separator line or
  // holding transport fields.
  for (let i = top + 1; i < head.length - 1; i++) {
    const prev = head[i - 1]!;
    if (!(prev.trim() === '' || SEPARATOR.test(prev)) || !HEADER_FIELD.test(head[i]!)) continue;
    const block = headerBlockAt(head, i);
    if (block && isPostHeader(block) && (SEPARATOR.test(prev) || TRANSPORT_FIELDS.some((k) => block.fields.has(k)))) return 0.85;
  }
  return 0;
}

/** The Usenet and mailing-list reader. */
export const mail: TextFormat = {
  name: 'mail',
  description: 'Usenet or mailing-list posts saved as text (one post, a thread, an mbox or a digest)',
  input: 'text',
  extensions: ['.eml', '.mbox', '.txt'],
  inlineMarkers: true,
  precedence: 80,
  sniff,
  read,
};
