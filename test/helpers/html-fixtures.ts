/** Shared bits of the HTML reader tests: the cruft every fixture carries, and block views. */
import { readFileSync } from 'node:fs';
import type { Block, Story } from '../../src/model.js';
import type { TextInput } from '../../src/read/format.js';
import { inlineText } from '../../src/text.js';
import { fixture } from './paths.js';

/** Strings from the fixtures' scripts, handlers, links, frames, forms, banners and images that
 * must never reach a Story. */
export const CRUFT = [
  'evil.example', 'fetch(', 'alert(', 'steal', 'onclick', 'onload', 'onmouseover', 'onerror', 'javascript:',
  'etc/passwd', 'file:', 'secret-input', 'Send secret', 'cookie', 'Cookie', 'url(', 'iframe', 'fallback',
  '<', '>', 'http://',
];

/** A fixture file as a reader input. */
export function htmlInput(...parts: string[]): TextInput {
  const path = fixture(...parts);
  return { path, text: readFileSync(path, 'utf8'), encoding: 'utf-8' };
}

/** Each block's kind. */
export function kinds(blocks: Block[]): string[] {
  return blocks.map((b) => b.kind);
}

/** Each block's plain text ('' for breaks; verse lines joined by " / "). */
export function texts(blocks: Block[]): string[] {
  return blocks.map((b) => {
    if (b.kind === 'p' || b.kind === 'heading') return inlineText(b.content);
    if (b.kind === 'verse') return b.lines.map(inlineText).join(' / ');
    if (b.kind === 'quote') return texts(b.blocks).join(' | ');
    return '';
  });
}

/** The cruft strings found anywhere in a story (should be none). */
export function cruftIn(story: Story, extra: string[] = []): string[] {
  const all = JSON.stringify(story);
  return [...CRUFT, ...extra].filter((c) => all.includes(c));
}
