/**
 * A fast path for pages whose markup is plain: tags closed in order, quoted or simple attributes,
 * no tables, forms, frames or foreign content (an Archive download, most saved chapters). On such
 * markup the HTML standard's tree construction only ever appends to the open element and pops it
 * at its own end tag, so a stack of open elements builds the same tree parse5 builds, at a tenth
 * of its cost (parse5 reads one code point at a time).
 *
 * Every step checks that it is in that case: a tag the standard treats specially (implied end
 * tags, a `<p>` closed by a block, adoption of misnested formatting, raw text we do not read,
 * tables, templates, SVG …), an end tag that is not the open element's, markup outside the strict
 * syntax below, a NUL: `parsePlainDocument` returns undefined and the caller parses with parse5.
 * Text and attribute values are decoded by the character-reference decoder parse5 runs.
 * The tests compare both trees on every page the readers have fixtures for and on thousands of
 * mutated ones.
 */
import { createRequire } from 'node:module';
import type * as Parse5 from 'parse5';
import { HTML_NS, MAX_TREE_DEPTH, LiteComment, LiteDocType, LiteDocument, LiteElement, LiteText, type LiteChild, type LiteParent } from './dom.js';

// Loaded on first need: parse5 for a doctype other than `<!DOCTYPE html>` (loading it costs more
// than a page takes here), its own copy of `entities` for the first `&` (another version decodes
// `&notin` in an attribute differently).
const load = createRequire(import.meta.url);
type Entities = { decodeHTML(s: string): string; decodeHTMLAttribute(s: string): string };
let entities: Entities | undefined;
const decoder = (): Entities => (entities ??= createRequire(load.resolve('parse5'))('entities/decode') as Entities);
const decodeHTML = (s: string): string => decoder().decodeHTML(s);
const decodeHTMLAttribute = (s: string): string => decoder().decodeHTMLAttribute(s);

// The strict syntax: a start tag of ASCII letters and digits, attributes separated by whitespace
// with quoted or plain unquoted values; an end tag without attributes.
const START_TAG = /<([a-zA-Z][a-zA-Z0-9]*)((?:[\t\n\f ]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:[\t\n\f ]*=[\t\n\f ]*(?:"[^"]*"|'[^']*'|[^\t\n\f "'=<>`]+))?)*)[\t\n\f ]*\/?>/y;
const ATTRIBUTE = /[\t\n\f ]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:[\t\n\f ]*=[\t\n\f ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f "'=<>`]+)))?/y;
const END_TAG = /<\/([a-zA-Z][a-zA-Z0-9]*)[\t\n\f ]*>/y;
// Whitespace to tree construction: a carriage return can only come from a reference (`&#13;`).
const WHITESPACE = /^[\t\n\f\r ]*/;
const SIMPLE_DOCTYPE = /<!doctype[\t\n\f ]+html[\t\n\f ]*>/iy;

// Elements the standard appends and pops like any other (formatting ones join the list of active
// formatting elements, which stays a part of the open elements while tags close in order).
const FORMATTING = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);
const ORDINARY = new Set([
  'span', 'abbr', 'acronym', 'bdi', 'bdo', 'cite', 'data', 'dfn', 'ins', 'del', 'kbd', 'label', 'mark', 'q', 'samp',
  'sub', 'sup', 'time', 'var', 'ruby', 'noscript', 'picture', 'blink', 'spacer',
]);
// Start tags that first close an open `<p>` (here: that leave the fast path when one is open).
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset',
  'figcaption', 'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section',
  'summary', 'ul', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'hr', 'li', 'dd', 'dt', 'form',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const VOID_IN_BODY = new Set(['area', 'br', 'embed', 'img', 'keygen', 'wbr', 'input', 'param', 'source', 'track', 'hr']);
const VOID_IN_HEAD = new Set(['base', 'basefont', 'bgsound', 'link', 'meta']);
const RUBY_PARTS = new Set(['rb', 'rp', 'rt', 'rtc']);
// What "generate implied end tags" would close.
const IMPLIED_END = new Set(['dd', 'dt', 'li', 'optgroup', 'option', 'p', 'rb', 'rp', 'rt', 'rtc']);

type Mode = 'initial' | 'beforeHtml' | 'beforeHead' | 'inHead' | 'afterHead' | 'inBody' | 'afterBody' | 'afterAfterBody';

/** Leaves the fast path (caught by `parsePlainDocument`). */
class NotPlain extends Error {}
const notPlain = new NotPlain();

function leave(): never {
  throw notPlain;
}

function appendText(parent: LiteParent, text: string): void {
  if (!text) return;
  const kids = parent.childNodes;
  const last = kids[kids.length - 1];
  if (last instanceof LiteText) last.value += text;
  else {
    const t = new LiteText(text);
    t.parentNode = parent;
    kids.push(t);
  }
}

function append(parent: LiteParent, node: LiteChild): void {
  node.parentNode = parent;
  parent.childNodes.push(node);
}

/**
 * The tree parse5 would build for `html` (scripting off), or undefined when the markup is not
 * plain enough to build it without the standard's full algorithm.
 */
export function parsePlainDocument(html: string): LiteDocument | undefined {
  if (html.includes('\0')) return undefined;
  // The standard's input stream: line ends are line feeds.
  const src = html.includes('\r') ? html.replace(/\r\n?/g, '\n') : html;
  const doc = new LiteDocument();
  doc.mode = 'quirks';
  let mode: Mode = 'initial';
  const stack: LiteElement[] = [];
  let htmlEl: LiteElement | undefined;
  let head: LiteElement | undefined;
  let openP = 0;
  let openA = 0;
  let openNobr = 0;
  let openRuby = 0;
  let openButton = 0;
  // The standard's form element pointer: set by `<form>`, cleared by `</form>` only.
  let formPointer = false;
  let skipNewline = false;

  const current = (): LiteParent => stack[stack.length - 1] ?? doc;
  const push = (el: LiteElement): void => {
    // A tree deeper than parse5's adapter lets it grow is built by parse5 (with the cap).
    if (stack.length >= MAX_TREE_DEPTH) leave();
    append(current(), el);
    stack.push(el);
    const t = el.tagName;
    if (t === 'p') openP++;
    else if (t === 'a') openA++;
    else if (t === 'nobr') openNobr++;
    else if (t === 'ruby') openRuby++;
    else if (t === 'button') openButton++;
  };
  const pop = (): void => {
    const el = stack.pop()!;
    const t = el.tagName;
    if (t === 'p') openP--;
    else if (t === 'a') openA--;
    else if (t === 'nobr') openNobr--;
    else if (t === 'ruby') openRuby--;
    else if (t === 'button') openButton--;
    // A finished element's child list at its exact size, as dom.ts's parse5 adapter leaves it.
    if (el.childNodes.length) el.childNodes = el.childNodes.slice();
  };

  // The implied parts of the document, as the standard's "anything else" of each early mode makes them.
  const ensureHtml = (): void => {
    if (mode === 'initial') mode = 'beforeHtml';
    if (mode === 'beforeHtml') {
      htmlEl = new LiteElement('html', HTML_NS, []);
      push(htmlEl);
      mode = 'beforeHead';
    }
  };
  const ensureHead = (): void => {
    ensureHtml();
    if (mode === 'beforeHead') {
      head = new LiteElement('head', HTML_NS, []);
      push(head);
      mode = 'inHead';
    }
  };
  const ensureBody = (): void => {
    ensureHead();
    if (mode === 'inHead') {
      if (current() !== head) leave();
      pop();
      mode = 'afterHead';
    }
    if (mode === 'afterHead') {
      push(new LiteElement('body', HTML_NS, []));
      mode = 'inBody';
    }
    if (mode !== 'inBody') leave();
  };

  const text = (raw: string): void => {
    if (!raw) return;
    let s = raw.includes('&') ? decodeHTML(raw) : raw;
    if (skipNewline) {
      skipNewline = false;
      if (raw.charCodeAt(0) === 38) leave(); // `<pre>&#10;`: left to parse5
      if (s.charCodeAt(0) === 10) s = s.slice(1);
      if (!s) return;
    }
    if (mode !== 'inBody') {
      const ws = WHITESPACE.exec(s)![0];
      if (mode === 'inHead' || mode === 'afterHead') appendText(current(), ws);
      else if (mode === 'afterBody' || mode === 'afterAfterBody') {
        if (ws.length !== s.length) leave();
        appendText(current(), ws);
        return;
      }
      s = s.slice(ws.length);
      if (!s) return;
      ensureBody();
    }
    appendText(current(), s);
  };

  const comment = (data: string): void => {
    const c = new LiteComment(data);
    if (mode === 'initial' || mode === 'beforeHtml' || mode === 'afterAfterBody') append(doc, c);
    else if (mode === 'afterBody') append(htmlEl!, c);
    else append(current(), c);
  };

  const attributesOf = (s: string): { name: string; value: string }[] => {
    const attrs: { name: string; value: string }[] = [];
    if (!s) return attrs;
    ATTRIBUTE.lastIndex = 0;
    for (let m = ATTRIBUTE.exec(s); m; m = ATTRIBUTE.exec(s)) {
      const name = m[1]!.toLowerCase();
      if (attrs.some((a) => a.name === name)) continue; // the first of a repeated attribute counts
      const raw = m[2] ?? m[3] ?? m[4] ?? '';
      attrs.push({ name, value: raw.includes('&') ? decodeHTMLAttribute(raw) : raw });
    }
    return attrs;
  };

  /** The content of `<title>`, `<style>`, `<script>` or `<iframe>`, up to its end tag; returns where parsing goes on. */
  const rawText = (tag: string, from: number): number => {
    const close = new RegExp(`</${tag}[\\t\\n\\f />]`, 'ig');
    close.lastIndex = from;
    const m = close.exec(src);
    if (!m) leave();
    const end = new RegExp(`</${tag}[\\t\\n\\f ]*>`, 'iy');
    end.lastIndex = m.index;
    if (!end.exec(src)) leave();
    let content = src.slice(from, m.index);
    if (tag === 'script' && content.includes('<!--')) leave();
    if (tag === 'title' && content.includes('&')) content = decodeHTML(content);
    appendText(current(), content);
    pop();
    return end.lastIndex;
  };

  const startTag = (tag: string, attrs: { name: string; value: string }[], after: number): number => {
    if (mode === 'initial' || mode === 'beforeHtml') {
      if (tag === 'html') {
        mode = 'beforeHtml';
        htmlEl = new LiteElement('html', HTML_NS, attrs);
        push(htmlEl);
        mode = 'beforeHead';
        return after;
      }
      ensureHtml();
    }
    if (mode === 'beforeHead') {
      if (tag === 'head') {
        head = new LiteElement('head', HTML_NS, attrs);
        push(head);
        mode = 'inHead';
        return after;
      }
      if (tag === 'html') leave();
      ensureHead();
    }
    if (mode === 'inHead' || mode === 'afterHead') {
      if (VOID_IN_HEAD.has(tag) || tag === 'title' || tag === 'style' || tag === 'script') {
        if (mode === 'afterHead') leave(); // the standard puts it back into the head
      } else if (tag === 'html' || tag === 'head' || tag === 'noscript' || tag === 'template' || tag === 'noframes' || tag === 'frameset') {
        leave();
      } else {
        if (mode === 'inHead') {
          if (current() !== head) leave();
          pop();
          mode = 'afterHead';
        }
        if (tag === 'body') {
          push(new LiteElement('body', HTML_NS, attrs));
          mode = 'inBody';
          return after;
        }
        ensureBody();
      }
    }
    if (mode !== 'inBody' && mode !== 'inHead') leave();
    // Elements read as the head reads them (in the body too: appended where the parser is).
    if (VOID_IN_HEAD.has(tag)) {
      push(new LiteElement(tag, HTML_NS, attrs));
      pop();
      return after;
    }
    if (tag === 'title' || tag === 'style' || tag === 'script') {
      push(new LiteElement(tag, HTML_NS, attrs));
      return rawText(tag, after);
    }
    if (mode !== 'inBody') leave();
    if (CLOSES_P.has(tag)) {
      if (openP) leave();
      if (HEADINGS.has(tag) && HEADINGS.has((current() as LiteElement).tagName)) leave();
      if (tag === 'li' || tag === 'dd' || tag === 'dt') {
        // An open item of the same kind would be closed unless a special element stands between:
        // here only its list counts as one (looking further can only decline more).
        for (let k = stack.length - 1; k >= 0; k--) {
          const t = stack[k]!.tagName;
          if (t === tag || (tag !== 'li' && (t === 'dd' || t === 'dt'))) leave();
          if (tag === 'li' ? t === 'ul' || t === 'ol' : t === 'dl') break;
        }
      }
      if (VOID_IN_BODY.has(tag)) {
        push(new LiteElement(tag, HTML_NS, attrs));
        pop();
        return after;
      }
      push(new LiteElement(tag, HTML_NS, attrs));
      if (tag === 'pre') skipNewline = true;
      if (tag === 'form') {
        if (formPointer) leave(); // a second form is ignored while the first is pointed at
        formPointer = true;
      }
      return after;
    }
    if (VOID_IN_BODY.has(tag)) {
      push(new LiteElement(tag, HTML_NS, attrs));
      pop();
      return after;
    }
    if (FORMATTING.has(tag)) {
      if ((tag === 'a' && openA) || (tag === 'nobr' && openNobr)) leave();
    } else if (tag === 'button') {
      if (openButton) leave();
    } else if (tag === 'iframe') {
      push(new LiteElement(tag, HTML_NS, attrs));
      return rawText(tag, after);
    } else if (RUBY_PARTS.has(tag)) {
      if (openRuby && IMPLIED_END.has((current() as LiteElement).tagName)) leave();
    } else if (!ORDINARY.has(tag)) leave();
    push(new LiteElement(tag, HTML_NS, attrs));
    return after;
  };

  const endTag = (tag: string): void => {
    if (mode === 'inHead' && tag === 'head' && current() === head) {
      pop();
      mode = 'afterHead';
      return;
    }
    if (mode === 'afterBody' && tag === 'html') {
      mode = 'afterAfterBody';
      return;
    }
    if (mode !== 'inBody') leave();
    const open = current() as LiteElement;
    if (open.tagName !== tag) leave();
    if (tag === 'body') {
      mode = 'afterBody';
      return;
    }
    if (tag === 'html') leave();
    if (tag === 'form') formPointer = false;
    pop();
  };

  try {
    let i = 0;
    let textFrom = 0;
    const n = src.length;
    while (i < n) {
      const lt = src.indexOf('<', i);
      if (lt < 0) break;
      const c = src.charCodeAt(lt + 1);
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
      if (!letter && c !== 33 && c !== 47 && c !== 63) {
        i = lt + 1; // a `<` that opens nothing is text
        continue;
      }
      text(src.slice(textFrom, lt));
      skipNewline = false;
      if (letter) {
        START_TAG.lastIndex = lt;
        const m = START_TAG.exec(src);
        if (!m) leave();
        i = startTag(m[1]!.toLowerCase(), attributesOf(m[2]!), START_TAG.lastIndex);
      } else if (c === 47) {
        END_TAG.lastIndex = lt;
        const m = END_TAG.exec(src);
        if (!m) leave();
        endTag(m[1]!.toLowerCase());
        i = END_TAG.lastIndex;
      } else if (c === 63) {
        const gt = src.indexOf('>', lt);
        if (gt < 0) leave();
        comment(src.slice(lt + 1, gt));
        i = gt + 1;
      } else if (src.startsWith('<!--', lt)) {
        const end = src.indexOf('-->', lt + 4);
        if (end < 0) leave();
        const data = src.slice(lt + 4, end);
        if (data.startsWith('>') || data.startsWith('->') || data.includes('--!>')) leave();
        comment(data);
        i = end + 3;
      } else {
        if (mode !== 'initial') leave();
        const gt = src.indexOf('>', lt);
        if (gt < 0) leave();
        SIMPLE_DOCTYPE.lastIndex = lt;
        if (SIMPLE_DOCTYPE.test(src) && SIMPLE_DOCTYPE.lastIndex === gt + 1) {
          append(doc, new LiteDocType('html', '', ''));
          doc.mode = 'no-quirks';
        } else {
          // Any other doctype (or `<!` markup) as parse5 reads it alone: a doctype ends at its first `>`.
          const p5 = load('parse5') as typeof Parse5;
          const alone = p5.parse(src.slice(lt, gt + 1)) as unknown as { mode: string; childNodes: { nodeName: string; name: string; publicId: string; systemId: string }[] };
          const dt = alone.childNodes[0];
          if (dt?.nodeName !== '#documentType') leave();
          append(doc, new LiteDocType(dt.name, dt.publicId, dt.systemId));
          doc.mode = alone.mode;
        }
        mode = 'beforeHtml';
        i = gt + 1;
      }
      textFrom = i;
    }
    text(src.slice(textFrom));
    if ((mode as Mode) !== 'afterBody' && (mode as Mode) !== 'afterAfterBody') ensureBody();
  } catch (e) {
    if (e === notPlain) return undefined;
    throw e;
  }
  return doc;
}
