/**
 * Pictures a story names, when the user allows them (`--images`): only what the reading
 * context's resolver hands over (for the CLI, files beside the input; see `resources.ts`), only
 * PNG, JPEG and GIF recognised by their bytes (never by their names), at most 20 MiB each.
 * Anything else stays its alt text. Pictures are named by a hash of their bytes, so the same
 * picture is stored once and names never collide in an anthology.
 */
import { createRequire } from 'node:module';
import type { StoryImage } from '../model.js';
import { MAX_RESOURCE_BYTES, type ResolveResource } from './resources.js';

// node:crypto loads with the first hash (~2 ms): most builds never need it.
const createHash = (algorithm: string): import('node:crypto').Hash => (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash(algorithm);

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

/** A sink for the pictures `resolveResource` hands over. */
export function imageSink(resolveResource: ResolveResource): ImageSink {
  const bySrc = new Map<string, string | undefined>();
  const byName = new Map<string, StoryImage>();
  const sink: ImageSink = {
    images: [],
    refused: 0,
    accepted: 0,
    resolve(src: string): string | undefined {
      if (bySrc.has(src)) return bySrc.get(src);
      let name: string | undefined;
      const data = resolveResource(src);
      if (data && data.length <= MAX_RESOURCE_BYTES) {
        const mediaType = imageType(data);
        if (mediaType) {
          name = `img-${createHash('sha256').update(data).digest('hex').slice(0, 16)}.${EXTENSION[mediaType]}`;
          if (!byName.has(name)) {
            const image = { name, mediaType, data };
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
