/** Cheap checks that several formats' sniffs share. */

/** True when the text is an HTML document: book sites publish HTML editions that carry the same
 * markers as their plain text (Gutenberg's START line, Aozora's 底本), and those belong to the HTML readers. */
export function looksLikeHtmlDocument(text: string): boolean {
  const head = text.slice(0, 4000);
  return /^\s*<(?:!doctype|\?xml|html)/i.test(head) || /<(?:html|body)[\s>]/i.test(head);
}

/** True when `path`'s name ends in one of `extensions` (lower case, with the dot). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const name = path.toLowerCase();
  return extensions.some((e) => name.endsWith(e));
}
