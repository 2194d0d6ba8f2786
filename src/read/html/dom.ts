/**
 * A small DOM for reading saved pages: parse5's spec tree (the one jsdom builds too) as plain
 * nodes with the part of the DOM interface the readers use (`querySelector`, `closest`,
 * `textContent`, siblings, `remove` …), selectors by css-select. No window, no events, no
 * styles: building it costs what parsing costs, and nodes are freed like any object.
 *
 * The readers type these nodes as the DOM's `Document`/`Element`; every member they call is
 * implemented here (a member that is not throws, so a gap shows in tests, never silently).
 */
import { createRequire } from 'node:module';
import type * as Parse5 from 'parse5';
import type * as CssSelect from 'css-select';

const load = createRequire(import.meta.url);

/** Any node of the tree. */
export type LiteChild = LiteElement | LiteText | LiteComment | LiteDocType;

abstract class LiteNode {
  parentNode: LiteParent | null = null;
  abstract get nodeType(): number;

  get parentElement(): LiteElement | null {
    return this.parentNode instanceof LiteElement ? this.parentNode : null;
  }

  private siblingAt(step: number): LiteChild | null {
    const list = this.parentNode?.childNodes;
    if (!list) return null;
    return list[list.indexOf(this as unknown as LiteChild) + step] ?? null;
  }

  get nextSibling(): LiteChild | null {
    return this.siblingAt(1);
  }

  get previousSibling(): LiteChild | null {
    return this.parentNode ? this.siblingAt(-1) : null;
  }

  get ownerDocument(): LiteDocument {
    let n: LiteNode = this;
    while (n.parentNode) n = n.parentNode;
    return n instanceof LiteDocument ? n : new LiteDocument();
  }

  get isConnected(): boolean {
    let n: LiteNode = this;
    while (n.parentNode) n = n.parentNode;
    return n instanceof LiteDocument;
  }

  /** Take this node out of its parent. */
  remove(): void {
    const list = this.parentNode?.childNodes;
    if (!list) return;
    list.splice(list.indexOf(this as unknown as LiteChild), 1);
    this.parentNode = null;
  }

  /** Put `nodes` (strings as text) where this node is, in order (the DOM's `replaceWith`). */
  replaceWith(...nodes: (LiteChild | string)[]): void {
    const parent = this.parentNode;
    if (!parent) return;
    const incoming = nodes.map((n) => (typeof n === 'string' ? new LiteText(n) : n)).filter((n) => n !== (this as unknown));
    for (const n of incoming) n.remove();
    const at = parent.childNodes.indexOf(this as unknown as LiteChild);
    if (at < 0) return;
    parent.childNodes.splice(at, 1, ...incoming);
    for (const n of incoming) n.parentNode = parent;
    this.parentNode = null;
  }

  /** Put `node` right after this node. */
  after(node: LiteChild): void {
    const parent = this.parentNode;
    if (!parent) return;
    node.remove();
    parent.childNodes.splice(parent.childNodes.indexOf(this as unknown as LiteChild) + 1, 0, node);
    node.parentNode = parent;
  }

  /** The DOM's position bits; only "following" (4) and "preceding" (2) are told apart. */
  compareDocumentPosition(other: LiteNode): number {
    if (other === this) return 0;
    const path = (n: LiteNode): LiteNode[] => {
      const p: LiteNode[] = [];
      for (let c: LiteNode | null = n; c; c = c.parentNode) p.unshift(c);
      return p;
    };
    const a = path(this);
    const b = path(other);
    if (a[0] !== b[0]) return 1;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length) return 4 | 16; // other is inside this
    if (i === b.length) return 2 | 8; // this is inside other
    const list = (a[i - 1] as LiteParent).childNodes as LiteNode[];
    return list.indexOf(b[i]!) > list.indexOf(a[i]!) ? 4 : 2;
  }
}

/** Text; `value` is parse5's field, `data` the DOM's name for it. */
export class LiteText extends LiteNode {
  get nodeName(): string {
    return '#text';
  }
  get nodeType(): number {
    return 3;
  }
  constructor(public value: string) {
    super();
  }
  cloneNode(): LiteText {
    return new LiteText(this.value);
  }
  get data(): string {
    return this.value;
  }
  set data(v: string) {
    this.value = v;
  }
  get textContent(): string {
    return this.value;
  }
  set textContent(v: string) {
    this.value = v;
  }
}

/** A comment: kept in the tree (it can be a sibling), never in an element's text. */
export class LiteComment extends LiteNode {
  get nodeName(): string {
    return '#comment';
  }
  get nodeType(): number {
    return 8;
  }
  constructor(public data: string) {
    super();
  }
  cloneNode(): LiteComment {
    return new LiteComment(this.data);
  }
  get textContent(): string {
    return this.data;
  }
}

/** The `<!DOCTYPE>`. */
export class LiteDocType extends LiteNode {
  get nodeName(): string {
    return '#documentType';
  }
  get nodeType(): number {
    return 10;
  }
  constructor(public name: string, public publicId: string, public systemId: string) {
    super();
  }
  cloneNode(): LiteDocType {
    return new LiteDocType(this.name, this.publicId, this.systemId);
  }
  get textContent(): null {
    return null;
  }
}

/** The text of every text node under `node`, in order (the DOM's `textContent`). */
function collectText(node: LiteParent, out: string[]): void {
  for (const c of node.childNodes) {
    if (c instanceof LiteText) out.push(c.value);
    else if (c instanceof LiteElement) collectText(c, out);
  }
}

/** Every element under `node`, in document order, until `visit` returns true. */
function eachDescendant(node: LiteParent, visit: (e: LiteElement) => boolean | void): boolean {
  for (const c of node.childNodes) {
    if (!(c instanceof LiteElement)) continue;
    if (visit(c) === true || eachDescendant(c, visit)) return true;
  }
  return false;
}

// The first element under `node` whose id is `id` (a reader asks for ids a page may not have: the whole tree is walked).
function elementWithId(node: LiteParent, id: string): LiteElement | null {
  for (const c of node.childNodes) {
    if (!(c instanceof LiteElement)) continue;
    for (const a of c.attrs) {
      if (a.name !== 'id' || a.prefix) continue;
      if (a.value === id) return c;
      break; // the first `id` is the element's (as `getAttribute` reads it)
    }
    const found = elementWithId(c, id);
    if (found) return found;
  }
  return null;
}

function descendants(node: LiteParent): LiteElement[] {
  const all: LiteElement[] = [];
  eachDescendant(node, (e) => void all.push(e));
  return all;
}

export abstract class LiteParent extends LiteNode {
  childNodes: LiteChild[] = [];

  get children(): LiteElement[] {
    return this.childNodes.filter((c): c is LiteElement => c instanceof LiteElement);
  }

  get firstChild(): LiteChild | null {
    return this.childNodes[0] ?? null;
  }

  get lastChild(): LiteChild | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }

  get textContent(): string {
    const out: string[] = [];
    collectText(this, out);
    return out.join('');
  }

  set textContent(v: string) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    if (v) this.appendChild(new LiteText(v));
  }

  /** The DOM's `append`: nodes (or strings, as text) at the end, in order. */
  append(...nodes: (LiteChild | string)[]): void {
    for (const n of nodes) this.appendChild(typeof n === 'string' ? new LiteText(n) : n);
  }

  /** The content as markup (the DOM's `innerHTML` getter). */
  get innerHTML(): string {
    return innerHtml(this);
  }

  /** Copies of the children under `into` (a deep `cloneNode`'s second half). */
  protected cloneChildrenInto<T extends LiteParent>(into: T): T {
    for (const c of this.childNodes) into.appendChild(c.cloneNode(true));
    return into;
  }

  appendChild<T extends LiteChild>(node: T): T {
    node.remove();
    this.childNodes.push(node);
    node.parentNode = this;
    return node;
  }

  /** Whether `node` is this node or inside it. */
  contains(node: LiteNode | null | undefined): boolean {
    for (let n: LiteNode | null | undefined = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  querySelectorAll(selector: string): LiteElement[] {
    if (selector === '*') return descendants(this);
    const test = matcher(selector, this);
    const found: LiteElement[] = [];
    eachDescendant(this, (e) => void (test(e) && found.push(e)));
    return found;
  }

  querySelector(selector: string): LiteElement | null {
    const test = matcher(selector, this);
    let found: LiteElement | null = null;
    eachDescendant(this, (e) => test(e) && ((found = e), true));
    return found;
  }

  getElementById(id: string): LiteElement | null {
    return elementWithId(this, id);
  }
}

/** An attribute as parse5 gives it (a foreign one may have a prefix: `xlink:href`). */
interface Attr {
  name: string;
  value: string;
  prefix?: string;
  namespace?: string;
}

function qualifiedName(a: Attr): string {
  return a.prefix ? `${a.prefix}:${a.name}` : a.name;
}

/** An element; `tagName` and `attrs` are parse5's fields (lower-case HTML names). */
export class LiteElement extends LiteParent {
  get nodeType(): number {
    return 1;
  }
  /** parse5's template content: kept out of the tree, as in the DOM. */
  content?: LiteFragment;
  constructor(public tagName: string, public namespaceURI: string, public attrs: Attr[]) {
    super();
  }

  cloneNode(deep = false): LiteElement {
    const copy = new LiteElement(this.tagName, this.namespaceURI, this.attrs.map((a) => ({ ...a })));
    if (this.content) copy.content = this.content.cloneNode(true);
    return deep ? this.cloneChildrenInto(copy) : copy;
  }

  get nodeName(): string {
    return this.tagName;
  }

  get localName(): string {
    return this.tagName;
  }

  getAttribute(name: string): string | null {
    for (const a of this.attrs) if (qualifiedName(a) === name) return a.value;
    return null;
  }

  hasAttribute(name: string): boolean {
    return this.getAttribute(name) !== null;
  }

  hasAttributes(): boolean {
    return this.attrs.length > 0;
  }

  setAttribute(name: string, value: string): void {
    const a = this.attrs.find((x) => qualifiedName(x) === name);
    if (a) a.value = value;
    else this.attrs.push({ name, value });
  }

  removeAttribute(name: string): void {
    this.attrs = this.attrs.filter((a) => qualifiedName(a) !== name);
  }

  get attributes(): { name: string; value: string }[] {
    return this.attrs.map((a) => ({ name: qualifiedName(a), value: a.value }));
  }

  get id(): string {
    return this.getAttribute('id') ?? '';
  }

  get className(): string {
    return this.getAttribute('class') ?? '';
  }

  get classList(): { contains(name: string): boolean } {
    const names = this.className.split(/[ \t\n\f\r]+/);
    return { contains: (name: string) => names.includes(name) };
  }

  get nextElementSibling(): LiteElement | null {
    const list = this.parentNode?.childNodes ?? [];
    for (let i = list.indexOf(this) + 1; i > 0 && i < list.length; i++) if (list[i] instanceof LiteElement) return list[i] as LiteElement;
    return null;
  }

  get previousElementSibling(): LiteElement | null {
    const list = this.parentNode?.childNodes ?? [];
    for (let i = list.indexOf(this) - 1; i >= 0; i--) if (list[i] instanceof LiteElement) return list[i] as LiteElement;
    return null;
  }

  matches(selector: string): boolean {
    return matcher(selector, this)(this);
  }

  closest(selector: string): LiteElement | null {
    const test = matcher(selector, this);
    for (let e: LiteElement | null = this; e; e = e.parentElement) if (test(e)) return e;
    return null;
  }
}

/** A detached list of nodes (a template's content). */
export class LiteFragment extends LiteParent {
  get nodeType(): number {
    return 11;
  }
  get nodeName(): string {
    return '#document-fragment';
  }

  cloneNode(deep = false): LiteFragment {
    return deep ? this.cloneChildrenInto(new LiteFragment()) : new LiteFragment();
  }
}

/** The parsed page. */
export class LiteDocument extends LiteParent {
  get nodeType(): number {
    return 9;
  }
  get nodeName(): string {
    return '#document';
  }
  mode = 'no-quirks';

  cloneNode(deep = false): LiteDocument {
    const copy = new LiteDocument();
    copy.mode = this.mode;
    return deep ? this.cloneChildrenInto(copy) : copy;
  }

  createElementNS(namespace: string, name: string): LiteElement {
    return new LiteElement(namespace === HTML_NS ? name.toLowerCase() : name, namespace, []);
  }

  importNode<T extends LiteChild>(node: T, deep = false): T {
    return node.cloneNode(deep) as T;
  }

  get documentElement(): LiteElement | null {
    return this.children[0] ?? null;
  }

  private part(name: string): LiteElement | null {
    return this.documentElement?.children.find((c) => c.localName === name) ?? null;
  }

  get head(): LiteElement | null {
    return this.part('head');
  }

  get body(): LiteElement | null {
    return this.part('body');
  }

  createElement(name: string): LiteElement {
    return new LiteElement(name.toLowerCase(), HTML_NS, []);
  }

  createTextNode(text: string): LiteText {
    return new LiteText(text);
  }

  /** A walker over the text nodes (`whatToShow` 4, the only kind the readers ask for) under `root`. */
  createTreeWalker(root: LiteParent, whatToShow = 4): { nextNode(): LiteText | null } {
    if (whatToShow !== 4) throw new Error('createTreeWalker: only text nodes (4) are supported');
    const texts: LiteText[] = [];
    const walk = (n: LiteParent): void => {
      for (const c of n.childNodes) {
        if (c instanceof LiteText) texts.push(c);
        else if (c instanceof LiteElement) walk(c);
      }
    };
    walk(root);
    let i = 0;
    return { nextNode: () => texts[i++] ?? null };
  }
}

export const HTML_NS = 'http://www.w3.org/1999/xhtml';

// css-select over these nodes; compiled selectors are kept (the readers use a few dozen).
type Test = (e: LiteElement) => boolean;
let css: typeof CssSelect | undefined;
const compiled = new Map<string, Test>();

const isElement = (n: unknown): n is LiteElement => n instanceof LiteElement;
const adapter = {
  isTag: isElement,
  existsOne: (test: Test, elems: LiteChild[]): boolean => elems.some((e) => isElement(e) && (test(e) || adapter.existsOne(test, e.childNodes))),
  getAttributeValue: (e: LiteElement, name: string): string | undefined => e.getAttribute(name) ?? undefined,
  getChildren: (n: LiteParent): LiteChild[] => n.childNodes ?? [],
  getName: (e: LiteElement): string => e.tagName,
  getParent: (n: LiteNode): LiteParent | null => n.parentNode,
  getSiblings: (n: LiteNode): LiteNode[] => n.parentNode?.childNodes ?? [n],
  prevElementSibling: (n: LiteElement): LiteElement | null => n.previousElementSibling,
  getText: (n: LiteNode): string => (n instanceof LiteText ? n.value : n instanceof LiteParent ? n.textContent : ''),
  hasAttrib: (e: LiteElement, name: string): boolean => e.hasAttribute(name),
  removeSubsets: (nodes: LiteNode[]): LiteNode[] => nodes.filter((n, i) => !nodes.some((m, j) => j !== i && m !== n && m instanceof LiteParent && m.contains(n))),
  findAll: (test: Test, nodes: LiteChild[]): LiteElement[] => {
    const found: LiteElement[] = [];
    for (const n of nodes) {
      if (!isElement(n)) continue;
      if (test(n)) found.push(n);
      eachDescendant(n, (d) => void (test(d) && found.push(d)));
    }
    return found;
  },
  findOne: (test: Test, nodes: LiteChild[]): LiteElement | null => {
    let found: LiteElement | null = null;
    for (const n of nodes) {
      if (!isElement(n)) continue;
      if (test(n)) return n;
      if (eachDescendant(n, (d) => test(d) && ((found = d), true))) return found;
    }
    return null;
  },
};

/**
 * A test for `selector` as the DOM evaluates it: against the whole tree (an ancestor outside the
 * element searched from counts), with `:scope` the element searched from.
 */
function matcher(selector: string, scope: LiteParent): Test {
  css ??= load('css-select') as typeof CssSelect;
  if (selector.includes(':scope')) return scopedMatcher(css, selector, scope);
  let test = compiled.get(selector);
  if (!test) {
    test = css.compile(selector, { adapter } as never) as unknown as Test;
    compiled.set(selector, test);
  }
  return test;
}

// css-select reads a one-element context at match time (`context[0]`), so a `:scope` selector is
// compiled once per shape and pointed at each scope in turn (compiling costs ~4 ms a time).
const scopedCompiled = new Map<string, { test: Test; context: LiteElement[] }>();

function scopedMatcher(css: typeof CssSelect, selector: string, scope: LiteParent): Test {
  if (!(scope instanceof LiteElement)) return css.compile(selector, { adapter } as never, []) as unknown as Test;
  // css-select prefixes a part without `:scope` differently when the scope's parent is no element.
  const key = `${scope.parentNode instanceof LiteElement ? 'e' : 'r'}${selector}`;
  let entry = scopedCompiled.get(key);
  if (!entry) {
    const context = [scope];
    entry = { test: css.compile(selector, { adapter } as never, context) as unknown as Test, context };
    scopedCompiled.set(key, entry);
  }
  entry.context[0] = scope;
  return entry.test;
}

/** parse5's default tree, built of these nodes. */
function treeAdapter(p5: typeof Parse5): Parse5.TreeAdapter<Parse5.DefaultTreeAdapterMap> {
  const base = p5.defaultTreeAdapter;
  return {
    ...base,
    createDocument: () => new LiteDocument() as never,
    createDocumentFragment: () => new LiteFragment() as never,
    // Past MAX_TREE_DEPTH open elements, an element goes beside its parent (as browsers build it), so no walk of the tree recurses without bound.
    appendChild: (parent: never, child: never) => base.appendChild(openDepth > MAX_TREE_DEPTH ? (((parent as LiteParent).parentNode ?? parent) as never) : parent, child),
    onItemPush: () => void openDepth++,
    createElement: (tagName: string, namespaceURI: string, attrs: Attr[]) => new LiteElement(tagName, namespaceURI, attrs) as never,
    createCommentNode: (data: string) => new LiteComment(data) as never,
    createTextNode: (value: string) => new LiteText(value) as never,
    // parse5's own text insertion makes its plain nodes: these make ours, joining text as it does.
    insertText: (parent: never, text: string) => {
      const p = parent as LiteParent;
      const last = p.childNodes[p.childNodes.length - 1];
      if (last instanceof LiteText) {
        last.value += text;
        if (last !== openText) {
          flatten(openText);
          openText = last;
        }
      } else {
        flatten(openText);
        openText = p.appendChild(new LiteText(text));
      }
    },
    insertTextBefore: (parent: never, text: string, reference: never) => {
      const p = parent as LiteParent;
      const at = p.childNodes.indexOf(reference);
      const before = p.childNodes[at - 1];
      if (before instanceof LiteText) before.value += text;
      else {
        const t = new LiteText(text);
        p.childNodes.splice(at, 0, t);
        t.parentNode = p;
      }
    },
    // A finished element's child list is copied to its exact size (an array grown by pushes keeps
    // room for 16 or more: most of a page's elements hold one or two children).
    onItemPop: (node: never) => {
      openDepth--;
      const p = node as LiteParent;
      if (p.childNodes.length) p.childNodes = p.childNodes.slice();
    },
    setDocumentType: (doc: never, name: string, publicId: string, systemId: string) => {
      const d = doc as LiteDocument;
      const old = d.childNodes.find((n): n is LiteDocType => n instanceof LiteDocType);
      if (old) Object.assign(old, { name, publicId, systemId });
      else d.appendChild(new LiteDocType(name, publicId, systemId));
    },
  } as unknown as Parse5.TreeAdapter<Parse5.DefaultTreeAdapterMap>;
}

// parse5 hands text over a word or a space at a time, and `+=` keeps every piece (a rope of
// tens of bytes a word: 140 MB for an 8 MB page). A text node is made flat when the parser
// moves on to another one, so only the node being filled is ever a rope.
let openText: LiteText | undefined;
function flatten(t: LiteText | undefined): void {
  if (t && t.value.length > 12) t.value = t.value.charCodeAt(0) >= 0 ? t.value : t.value;
}

let adapterOnce: Parse5.TreeAdapter<Parse5.DefaultTreeAdapterMap> | undefined;

/** How deep the tree of a page may grow (Chromium's parser's limit); deeper elements are placed beside their parent. */
export const MAX_TREE_DEPTH = 512;
// Elements open in the parse under way (parse5 tells the adapter of each push and pop).
let openDepth = 0;

/**
 * Parse a whole page as a browser would (the HTML standard's algorithm, by parse5, scripting off
 * like jsdom's default so `<noscript>` content is read as markup).
 */
export function parseDocument(html: string): LiteDocument {
  const p5 = load('parse5') as typeof Parse5;
  adapterOnce ??= treeAdapter(p5);
  openDepth = 0;
  const doc = p5.parse(html, { treeAdapter: adapterOnce, scriptingEnabled: false }) as unknown as LiteDocument;
  flatten(openText);
  openText = undefined;
  return doc;
}

/** An element's content as markup (the DOM's `innerHTML`, by parse5's serialiser). */
export function innerHtml(el: LiteParent): string {
  const p5 = load('parse5') as typeof Parse5;
  adapterOnce ??= treeAdapter(p5);
  return p5.serialize(el as never, { treeAdapter: adapterOnce });
}
