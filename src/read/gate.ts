/**
 * Pages that stand in a story's place: adult-content notices, bot challenges, login walls and
 * error pages. Saved by mistake, they look like short stories; this table names them so the
 * reader can fail with what the page is and what to save instead. Called once on the decoded
 * text, before any format reads it. Also the binary files people give by mistake (Word, PDF,
 * e-books, archives), named by their signature.
 */

/** A kind of page that is not a story. */
interface Gate {
  /** What the page is, for the message. */
  what: string;
  /** What to save instead. */
  instead: string;
  /** Markers that name the page wherever they appear. */
  sure?: RegExp[];
  /** Markers that name it only on a short page (a story may mention "404"). */
  short?: RegExp[];
}

const GATES: Gate[] = [
  {
    what: "the Archive of Our Own's adult-content notice",
    instead: 'choose "Yes, Continue" (or add ?view_adult=true to the address), then save that page',
    sure: [/This work could have adult content\.?\s*If you (?:proceed|continue)/i, /href="[^"]*\?view_adult=true"[^>]*>\s*Yes,\s*Continue/i],
  },
  {
    what: 'a Cloudflare bot check ("Just a moment...")',
    instead: 'wait in your browser until the story itself shows, then save the page',
    sure: [/\/cdn-cgi\/challenge-platform\//i, /\bcf[-_]chl[-_]/i, /<title>\s*Attention Required! \| Cloudflare\s*<\/title>/i, /Checking (?:if the site connection is secure|your browser before accessing)/i],
    short: [/<title>\s*Just a moment\.\.\.\s*<\/title>/i, /Enable JavaScript and cookies to continue/i],
  },
  {
    what: "the Archive of Our Own's login page (the work is for registered users only)",
    instead: 'log in to the Archive in your browser, open the work, then save the page',
    sure: [/This work is only available to registered users of the Archive/i],
    short: [/Sorry, you don(?:'|&#39;|’)t have permission to access the page you were trying to reach\.\s*Please log in/i],
  },
  {
    what: "FanFiction.Net's \"Story Not Found\" page",
    instead: "check the story's address, open the story in your browser, then save its page",
    short: [/Story Not Found\s*(?:<[^>]+>\s*)*Unable to locate story/i],
  },
  {
    what: 'a login page ("log in to continue")',
    instead: 'log in in your browser, open the story, then save its page',
    short: [/\b(?:log|sign) ?in to (?:continue|keep) reading\b/i, /\bplease (?:log|sign) ?in to (?:continue|read|view)/i, /\byou (?:must|need to) (?:be )?(?:logged|signed) ?in to (?:read|view|see|continue)/i],
  },
  {
    what: 'an error page ("page not found")',
    instead: "check the story's address, open the story in your browser, then save its page",
    short: [/<title>[^<]*\b(?:404|Page Not Found|Not Found|Error 404)\b[^<]*<\/title>/i, /^\s*(?:Error )?404\b.{0,40}(?:not found|doesn(?:'|’)t exist)/im, /The page you were looking for doesn(?:'|’)t exist/i],
  },
];

/** Below this many characters of visible text a page counts as short. */
const SHORT_PAGE = 3000;

/**
 * The visible text's length, roughly: script and style elements, then tags, left out, and runs
 * of whitespace counted once — what `text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
 * .replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').length` gives, counted in one pass that stops at
 * `atMost` (on a 20 MB page those replacements made ~350 MB of garbage).
 */
export function visibleLength(text: string, atMost = Infinity): number {
  let count = 0;
  let space = false;
  // A tag whose `>` is not found yet: what the text counts if none comes (the regex keeps it).
  let inTag = false;
  let tagCount = 0;
  let tagSpace = false;
  const unclosed = new Set<string>();
  for (let i = 0; i < text.length && count < atMost; i++) {
    const c = text.charCodeAt(i);
    if (c === 60) {
      const end = rawElementEnd(text, i, unclosed);
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    if (inTag) {
      if (c === 62) inTag = false;
      else if (!isSpace(c) || !tagSpace) tagCount++;
      tagSpace = isSpace(c);
    } else if (c === 60) {
      inTag = true;
      tagCount = count + 1;
      tagSpace = false;
    } else {
      if (!isSpace(c) || !space) count++;
      space = isSpace(c);
    }
  }
  return inTag ? tagCount : count;
}

/** What `\s` matches. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const RAW_OPEN = /<(script|style)(?![A-Za-z0-9_])/iy;

/** Where a `<script>` or `<style>` element that starts at `at` ends (after its end tag), or -1;
 * `unclosed` holds the names with no end tag left, so each is searched for once. */
function rawElementEnd(text: string, at: number, unclosed: Set<string>): number {
  RAW_OPEN.lastIndex = at;
  const open = RAW_OPEN.exec(text);
  const name = open?.[1]!.toLowerCase();
  if (!open || !name || unclosed.has(name)) return -1;
  const close = new RegExp(`</${name}>`, 'ig');
  close.lastIndex = at + open[0].length;
  const m = close.exec(text);
  if (!m) unclosed.add(name);
  return m ? m.index + m[0].length : -1;
}

// Every sure marker in one regex (all are case-insensitive): a story is one walk over its text,
// not one per marker; the markers one by one only when it names some gate.
const ANY_SURE = new RegExp(GATES.flatMap((g) => g.sure ?? []).map((r) => `(?:${r.source})`).join('|'), 'i');

/** What a gate page is and what to save instead, or undefined when the text is no gate page. */
export function gatePage(text: string): string | undefined {
  let short: boolean | undefined;
  const sure = ANY_SURE.test(text);
  for (const g of GATES) {
    const hit = (sure && g.sure?.some((r) => r.test(text))) || (g.short?.length && (short ??= visibleLength(text, SHORT_PAGE) < SHORT_PAGE) && g.short.some((r) => r.test(text)));
    if (hit) return `this is ${g.what}, not a story: ${g.instead}`;
  }
  return undefined;
}

/** Binary formats people give by mistake: their signature, and what to do. */
const SIGNATURES: { test: (b: Uint8Array, ext: string) => boolean; what: string; instead: string }[] = [
  { test: (b) => startsWith(b, '%PDF-'), what: 'a PDF document', instead: 'copy its text into a .txt file, or save the story’s web page instead' },
  { test: (b) => startsWith(b, '{\\rtf'), what: 'an RTF document', instead: 'save it as plain text (.txt) or a web page (.html) in your word processor' },
  { test: (b) => latin1(b, 60, 68) === 'BOOKMOBI', what: 'a Kindle book (MOBI/AZW)', instead: 'give the story’s saved web page or text instead' },
  { test: (b) => startsWith(b, '\xd0\xcf\x11\xe0'), what: 'a Word 97–2003 document (.doc)', instead: 'save it as plain text (.txt) or a web page (.html) in your word processor' },
  { test: (b) => isZip(b) && zipHolds(b, 'word/'), what: 'a Word document (.docx)', instead: 'save it as plain text (.txt) or a web page (.html) in your word processor' },
  { test: (b) => isZip(b) && zipHolds(b, 'application/vnd.oasis.opendocument'), what: 'an OpenDocument file (.odt)', instead: 'save it as plain text (.txt) or a web page (.html) in your word processor' },
  { test: (b, ext) => isZip(b) && !zipHolds(b, 'application/epub+zip') && ext !== '.epub', what: 'a ZIP archive', instead: 'unpack it and give the story files inside' },
];

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.subarray(from, to)).toString('latin1');
}

function startsWith(b: Uint8Array, s: string): boolean {
  return latin1(b, 0, s.length) === s;
}

function isZip(b: Uint8Array): boolean {
  return startsWith(b, 'PK\x03\x04');
}

/** Whether a ZIP's first entries (names and the stored mimetype) mention `s`. */
function zipHolds(b: Uint8Array, s: string): boolean {
  return latin1(b, 0, Math.min(b.length, 64 * 1024)).includes(s);
}

/** What a binary file is, said with what to do, or undefined when it is none of the formats people give by mistake. */
export function binaryFormat(bytes: Uint8Array, path: string): string | undefined {
  const ext = /\.[^./\\]+$/.exec(path)?.[0].toLowerCase() ?? '';
  const hit = SIGNATURES.find((s) => s.test(bytes, ext));
  return hit ? `this is ${hit.what}, not a saved web page or text: ${hit.instead}` : undefined;
}
