/**
 * The input book's own cover as the PNG the book's cover needs: a PNG as it is; a JPEG or GIF
 * drawn into a PNG of its own size by resvg (already a dependency for generated covers; it
 * decodes JPEG, PNG and GIF, not WebP). Pictures larger than 4,000 × 6,000 are not converted.
 */
import type { StoryImage } from '../../../model.js';
import { encodePng } from '../../../render/png.js';
import { loadResvg } from '../../../render/resvg.js';
import { namedImage } from './content.js';

const MAX_SIDE = 6000;

/** Width and height of JPEG or GIF bytes, from their headers. */
export function pictureSize(data: Uint8Array): { width: number; height: number } | undefined {
  if (data[0] === 0x47 && data[1] === 0x49 && data[2] === 0x46) return { width: data[6]! | (data[7]! << 8), height: data[8]! | (data[9]! << 8) };
  if (data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1]!;
    const length = (data[at + 2]! << 8) | data[at + 3]!;
    // Start-of-frame markers (baseline, progressive …), not DHT (C4), JPG (C8) or DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (data[at + 5]! << 8) | data[at + 6]!, width: (data[at + 7]! << 8) | data[at + 8]! };
    }
    at += 2 + length;
  }
  return undefined;
}

/** The cover as PNG, or undefined when it cannot be drawn. */
export async function pngCover(image: StoryImage): Promise<StoryImage | undefined> {
  if (image.mediaType === 'image/png') return image;
  const size = pictureSize(image.data);
  if (!size || !size.width || !size.height || size.width > MAX_SIDE || size.height > MAX_SIDE) return undefined;
  const { width, height } = size;
  const href = `data:${image.mediaType};base64,${Buffer.from(image.data).toString('base64')}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/><image width="${width}" height="${height}" xlink:href="${href}"/></svg>`;
  try {
    const { Resvg } = await loadResvg();
    const rendered = new Resvg(svg, { fitTo: { mode: 'original' }, logLevel: 'off' }).render();
    return namedImage(encodePng(rendered.pixels, rendered.width, rendered.height));
  } catch {
    return undefined;
  }
}
