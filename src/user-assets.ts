/**
 * The user's own cover and stylesheet, named in a flag or a project file, resolved once at the
 * edge into the values the library builds with: a cover's bytes and media type, a stylesheet's
 * CSS text. Their bytes come through a `ResolveResource` (the CLI's reads the user's files; a web
 * app or an archive hands over its own), so nothing here touches the filesystem.
 */
import { builtInStyleFile } from './assets.js';
import type { CoverImage, Options, StyleSheet } from './options.js';
import type { ResolveResource } from './read/resources.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What kind of picture a cover's bytes are: PNG, JPEG, or neither. */
export function coverImageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** A cover picture from its bytes, its type told by them (never by a name); throws when they are
 * neither PNG nor JPEG. `name` says which picture in the message. */
export function coverImage(bytes: Uint8Array, name: string): CoverImage {
  const kind = coverImageKind(bytes);
  if (!kind) throw new Error(`the cover ${name} is not a PNG or JPEG image`);
  return { bytes, mediaType: kind === 'jpeg' ? 'image/jpeg' : 'image/png' };
}

/** A `cover` value as the user wrote it (`auto`, `none`, or a file's name) as the book's cover;
 * throws with the file's name when it cannot be had or is no PNG or JPEG. */
export function resolveCover(value: string, resolve: ResolveResource): Options['cover'] {
  if (value === 'auto' || value === 'none') return value;
  const bytes = resolve(value);
  if (!bytes) throw new Error(`the cover file ${value} cannot be read`);
  return coverImage(bytes, value);
}

/** A `style` value as the user wrote it (a built-in style's name or a `.css` file's name) as the
 * book's style; throws when the style does not exist or the file cannot be had. */
export function resolveStyle(value: string, resolve: ResolveResource): string | StyleSheet {
  if (!/\.css$/i.test(value)) {
    builtInStyleFile(value);
    return value;
  }
  const bytes = resolve(value);
  if (!bytes) throw new Error(`style not found: ${value}`);
  // As a file read as UTF-8 (a byte order mark kept, as the CSS always had it).
  return { name: value, css: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
}
