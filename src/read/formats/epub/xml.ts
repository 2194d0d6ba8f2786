/**
 * XML inside an EPUB, parsed safely: jsdom's non-validating parser (nothing fetched), and any
 * document type declaration with an internal subset refused before parsing, so no entity is
 * ever declared, let alone expanded (billion laughs). A content document that is not
 * well-formed XML (pandoc passes `<br>` through) is read by the HTML parser instead.
 */
import { createRequire } from 'node:module';
import type * as JsdomModule from 'jsdom';
import { InputError } from '../../../diagnostics.js';

const load = createRequire(import.meta.url);

/** One window for a whole book's parsing; `close()` frees it. */
export interface XmlParser {
  /** A package, container or NCX document; malformed XML is an InputError. */
  xml(text: string, name: string): Document;
  /** A content document: XHTML when well-formed, else HTML. */
  xhtml(text: string, name: string): Document;
  /** An empty HTML document to gather content into. */
  html(markup: string): Document;
  close(): void;
}

// A DOCTYPE with an internal subset ("[ … ]"), or an entity declaration anywhere.
const DTD_SUBSET = /<!DOCTYPE[^>[]*\[|<!ENTITY/i;

/** Refuse XML that declares a DTD internal subset or entities (read-012). */
export function refuseDtd(text: string, name: string): void {
  if (DTD_SUBSET.test(text)) throw new InputError('read-012', `declares entities in a DTD in ${JSON.stringify(name)}; refused (entity expansion is never done)`);
}

function failed(doc: Document): boolean {
  return doc.getElementsByTagName('parsererror').length > 0 || !doc.documentElement;
}

/** A parser for one book. */
export function xmlParser(): XmlParser {
  const { JSDOM, VirtualConsole } = load('jsdom') as typeof JsdomModule;
  // A virtual console with no listeners: the library never prints.
  const dom = new JSDOM('', { virtualConsole: new VirtualConsole() });
  const parser = new dom.window.DOMParser();
  return {
    xml(text, name) {
      refuseDtd(text, name);
      const doc = parser.parseFromString(text, 'application/xml');
      if (failed(doc)) throw new InputError('read-012', `has a package file ${JSON.stringify(name)} that is not well-formed XML`);
      return doc;
    },
    xhtml(text, name) {
      refuseDtd(text, name);
      const doc = parser.parseFromString(text, 'application/xhtml+xml');
      return failed(doc) || !doc.body ? parser.parseFromString(text, 'text/html') : doc;
    },
    html: (markup) => parser.parseFromString(markup, 'text/html'),
    close: () => dom.window.close(),
  };
}

/** Direct children of `el` with local name `name` (namespaces ignored: OPF writers vary). */
export function childrenNamed(el: Element | null | undefined, name: string): Element[] {
  return el ? Array.from(el.children).filter((c) => c.localName === name) : [];
}

/** Descendants of `el` with local name `name`, in document order. */
export function descendantsNamed(el: Element | Document | null | undefined, name: string): Element[] {
  return el ? Array.from(el.getElementsByTagNameNS('*', name)) : [];
}

/** An attribute by local name, whatever its prefix (`opf:role`, `role`). */
export function attr(el: Element, name: string): string | undefined {
  const direct = el.getAttribute(name);
  if (direct !== null) return direct;
  for (const a of Array.from(el.attributes)) if (a.localName === name) return a.value;
  return undefined;
}
