/**
 * Pictures a saved page names, when the user allows them (`--images`): only files that sit beside
 * the input (its folder or a folder below it, symbolic links resolved), only PNG, JPEG and GIF
 * recognised by their bytes (never by their names), at most 20 MiB each. Nothing is fetched:
 * a URL with a scheme (`http:`, `file:`, `data:` …), a protocol-relative or absolute path, and
 * anything that leaves the input's folder are refused, and the picture stays its alt text.
 * Pictures are named by a hash of their bytes, so the same picture is stored once and names
 * never collide in an anthology.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { StoryImage } from '../model.js';

/** The largest picture taken into a book. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Collects the pictures of one story as its reader meets them. */
export interface ImageSink {
  /** The picture's name in the book, or undefined when `src` is not an allowed picture. */
  resolve(src: string): string | undefined;
  /** The pictures resolved so far, in the order first met. */
  readonly images: StoryImage[];
  /** How many `src` values were refused. */
  refused: number;
  /** How many `<img>` elements became figures (counted by the HTML reader). */
  accepted: number;
}

/** The media type of picture bytes, from their signature; undefined for anything else. */
export function imageType(bytes: Uint8Array): StoryImage['mediaType'] | undefined {
  const at = (i: number, ...b: number[]): boolean => b.every((v, k) => bytes[i + k] === v);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  return undefined;
}

const EXTENSION: Record<StoryImage['mediaType'], string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif' };

/** Picture bytes as a story image named by their content, or undefined when they are no PNG, JPEG or GIF. */
export function storyImage(data: Uint8Array): StoryImage | undefined {
  const mediaType = imageType(data);
  return mediaType ? { name: `img-${createHash('sha256').update(data).digest('hex').slice(0, 16)}.${EXTENSION[mediaType]}`, mediaType, data } : undefined;
}

/** The file a relative `src` names inside `folder`, or undefined when it may not be read. */
export function besideInput(folder: string, src: string): string | undefined {
  const raw = src.trim().replace(/[?#].*$/s, '');
  // A scheme (http:, file:, data:, javascript:, C:), an absolute or protocol-relative path.
  if (raw === '' || /^[a-z][a-z0-9+.-]*:/i.test(raw) || /^[/\\]/.test(raw) || raw.includes('\0')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  try {
    const root = realpathSync(folder);
    const real = realpathSync(resolve(root, path));
    if (!real.startsWith(root + sep)) return undefined;
    const st = statSync(real);
    if (!st.isFile() || st.size === 0 || st.size > MAX_IMAGE_BYTES) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** A sink for the pictures beside `inputPath`. */
export function imageSink(inputPath: string): ImageSink {
  const folder = dirname(resolve(inputPath));
  const bySrc = new Map<string, string | undefined>();
  const byName = new Map<string, StoryImage>();
  const sink: ImageSink = {
    images: [],
    refused: 0,
    accepted: 0,
    resolve(src: string): string | undefined {
      if (bySrc.has(src)) return bySrc.get(src);
      let name: string | undefined;
      const file = besideInput(folder, src);
      if (file) {
        const image = storyImage(new Uint8Array(readFileSync(file)));
        if (image) {
          name = image.name;
          if (!byName.has(name)) {
            byName.set(name, image);
            sink.images.push(image);
          }
        }
      }
      if (name === undefined) sink.refused++;
      bySrc.set(src, name);
      return name;
    },
  };
  return sink;
}
