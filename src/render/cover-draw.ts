/**
 * Drawing the generated cover (its design is cover.ts): the ground of each palette and size drawn
 * once and kept (cover-cache.ts between runs), only the bands of rows that hold the book's words
 * and ornament drawn for the book, and the PNG joined from pieces compressed apart (png.ts). Every
 * pixel is the one the whole SVG (`coverSvg`) draws.
 */
import { keepGround, readGround } from './cover-cache.js';
import { coverFontsFor, type CoverFonts } from './cover-fonts.js';
import { BLANK, coverFontFiles, coverLayout, coverWords, fillPlaceholders, VIEW_WIDTH, type CoverLayout, type CoverOptions, type CoverPart, type CoverRenderer, type CoverSpec } from './cover.js';
import { encodeOverShared, encodeStrip, SharedRows, type EncodedStrip } from './png.js';
import { loadResvg } from './resvg.js';

// How resvg draws: the shipped Literata files, and the machine's fonts only for words in a
// script Literata lacks (cover-fonts.ts). The empty crop rectangle is no crop at all: without it
// resvg-js 2.6 "crops" every image to its own size, a pixel-by-pixel copy into a second 9 MB
// pixmap (about half the drawing time of a cover).
function resvgOptions(fonts: CoverFonts = { extra: 'none' }): {
  font: { fontFiles: string[]; loadSystemFonts: boolean; defaultFontFamily: string };
  fitTo: { mode: 'original' };
  crop: { left: 0; top: 0; right: 0; bottom: 0 };
  logLevel: 'off';
} {
  const fontFiles = fonts.extra === 'files' ? [...coverFontFiles(), ...fonts.files] : coverFontFiles();
  return { font: { fontFiles, loadSystemFonts: fonts.extra === 'system', defaultFontFamily: 'Literata' }, fitTo: { mode: 'original' }, crop: { left: 0, top: 0, right: 0, bottom: 0 }, logLevel: 'off' };
}

/** Rows of a cover drawn for the book (from `top`, before `bottom`), and the parts they hold. */
interface CoverBand {
  top: number;
  bottom: number;
  parts: CoverPart[];
}

// Bands this close are drawn as one: a drawing costs more than a few rows.
const JOIN_ROWS = 24;

/** The rows the book's parts cover, a row's room each way, bands that touch or nearly touch joined. */
export function coverBands(layout: CoverLayout): CoverBand[] {
  // A size whose sides are not in the viewBox's ratio is drawn a fraction of a pixel off centre,
  // and moving it by whole rows rounds differently at the glyphs' edges: such a cover is one band.
  if (layout.viewHeight * layout.width !== VIEW_WIDTH * layout.height) return [{ top: 0, bottom: layout.height, parts: layout.parts }];
  const rowsPerUnit = layout.height / layout.viewHeight;
  const bands: CoverBand[] = [];
  const placed = layout.parts
    .map((part) => ({ top: Math.max(0, Math.floor(part.top * rowsPerUnit) - 1), bottom: Math.min(layout.height, Math.ceil(part.bottom * rowsPerUnit) + 1), parts: [part] }))
    .filter((b) => b.top < b.bottom)
    .sort((a, b) => a.top - b.top);
  for (const band of placed) {
    const last = bands[bands.length - 1];
    if (last && band.top <= last.bottom + JOIN_ROWS) {
      last.bottom = Math.max(last.bottom, band.bottom);
      last.parts.push(...band.parts);
    } else bands.push(band);
  }
  return bands;
}

/** The cover with every part blank: what all books of its palette and size share. */
export function groundSvg(layout: CoverLayout): string {
  return fillPlaceholders(layout.template, { ...layout.values, ...BLANK });
}

/**
 * The SVG of one band: the cover with only the band's parts drawn, moved up so that the band's
 * first row is the picture's first. A move by whole pixels draws every pixel as the whole cover
 * does (cover.test.ts compares them), and the nested picture is not clipped, so a band's edges
 * cut nothing that is not cut anyway.
 */
export function bandSvg(layout: CoverLayout, band: CoverBand): string {
  const own = Object.fromEntries(band.parts.flatMap((p) => p.placeholders).map((k) => [k, layout.values[k]!]));
  const cover = fillPlaceholders(layout.template, { ...layout.values, ...BLANK, ...own })
    .replace(/^\s*<\?xml[^>]*\?>\s*/, '')
    .replace(/<svg\b/, '<svg overflow="visible"');
  const rows = band.bottom - band.top;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${rows}" viewBox="0 0 ${layout.width} ${rows}"><g transform="translate(0 ${-band.top})">${cover}</g></svg>`;
}

/** Draws an SVG to pixels with the given fonts: on libuv's pool, or on the calling thread. */
type Draw = (svg: string, fonts: CoverFonts) => Promise<{ pixels: Buffer; width: number; height: number }>;

// Grounds drawn in this thread, by their SVG: one a palette and size, a few kilobytes each.
const grounds = new Map<string, Promise<SharedRows>>();
const MAX_GROUNDS = 64;

function groundOf(layout: CoverLayout, draw: Draw): Promise<SharedRows> {
  const svg = groundSvg(layout);
  let ground = grounds.get(svg);
  if (!ground) {
    const read = readGround(svg);
    // The templates paint an opaque ground first, so resvg's premultiplied pixels are plain RGBA.
    ground = read
      ? Promise.resolve(read)
      : draw(svg, { extra: 'none' }).then((image) => {
          const rows = SharedRows.of(image.pixels, image.width, image.height);
          void keepGround(svg, rows);
          return rows;
        });
    grounds.set(svg, ground);
    ground.catch(() => grounds.delete(svg));
    if (grounds.size > MAX_GROUNDS) grounds.delete(grounds.keys().next().value!);
  }
  return ground;
}

// Bands drawn in this thread, by their SVG and fonts: the same words at the same place on the
// same ground are drawn and compressed once (a batch's fandom, its authors, a series' name).
const bands = new Map<string, Promise<EncodedStrip>>();
const MAX_BANDS = 256;

function bandOf(layout: CoverLayout, band: CoverBand, fonts: CoverFonts, ground: Promise<SharedRows>, draw: Draw): Promise<EncodedStrip> {
  const svg = bandSvg(layout, band);
  // The SVG holds the ground too (palette, size and place), so it also fixes the row above the band.
  const key = fonts.extra === 'none' ? svg : `${JSON.stringify(fonts)}\n${svg}`;
  let strip = bands.get(key);
  if (strip) {
    // Kept as the most recently used.
    bands.delete(key);
    bands.set(key, strip);
    return strip;
  }
  strip = Promise.all([draw(svg, fonts), ground]).then(([image, rows]) => encodeStrip({ y: band.top, pixels: image.pixels }, layout.width, band.top ? rows.row(rows.runAt(band.top - 1)) : undefined));
  bands.set(key, strip);
  strip.catch(() => bands.delete(key));
  if (bands.size > MAX_BANDS) bands.delete(bands.keys().next().value!);
  return strip;
}

/**
 * A cover's PNG: its ground drawn once per palette and size (kept), and only the bands that hold
 * the book's words and ornament drawn for the book, each once per thread (kept); the PNG is
 * joined from pieces compressed apart, so the ground's rows and the bands are compressed once
 * too (png.ts, `encodeOverShared`). Every pixel is the one the whole SVG (`coverSvg`) draws.
 */
async function drawCover(spec: CoverSpec, opts: CoverOptions, draw: Draw): Promise<Uint8Array> {
  const layout = coverLayout(spec, opts);
  const fonts = coverFontsFor(coverWords(spec));
  const ground = groundOf(layout, draw);
  const strips = Promise.all(coverBands(layout).map((band) => bandOf(layout, band, fonts, ground, draw)));
  return encodeOverShared(await ground, await strips);
}

/**
 * A cover renderer that draws on libuv's thread pool, so the calling thread goes on reading and
 * packaging meanwhile; the PNG's compression runs there too. resvg is loaded when the renderer is
 * made, so a start-up that draws no cover does not pay for it. Same spec and options give
 * byte-identical output. Its covers reject on a bad size or an unknown theme.
 */
export function coverRenderer(): CoverRenderer {
  // resvg starts loading with the renderer, so a renderer made ahead draws its first cover at once.
  const resvg = loadResvg();
  let loaded: Awaited<typeof resvg> | undefined;
  resvg.then((r) => (loaded = r), () => undefined);
  // Once resvg is loaded the drawing is handed to the pool in this call, not after the caller's
  // synchronous work, so it overlaps the rest of the story's reading.
  const draw: Draw = async (svg, fonts) => (loaded ?? (await resvg)).renderAsync(svg, resvgOptions(fonts));
  return (spec, opts = {}) => drawCover(spec, opts, draw);
}

/** Render one cover to PNG bytes (default 1200×1920, theme `default`): see `coverRenderer`. */
export const renderCover: CoverRenderer = (spec, opts) => coverRenderer()(spec, opts);

/**
 * Get ready to draw covers on this thread, and return what draws them (resvg loaded). For a
 * batch worker, whose core is busy with stories anyway: drawing on the calling thread measured
 * 8 ms against 22 ms for the same cover handed through the pool; the pieces of the PNG are still
 * compressed there. `afterEach` runs after every cover (a batch worker frees the cover's memory
 * there). Same bytes as `renderCover`.
 */
export async function coverPainter(afterEach: () => void = () => undefined): Promise<CoverRenderer> {
  const { Resvg } = await loadResvg();
  const options = resvgOptions();
  const draw: Draw = async (svg, fonts) => new Resvg(svg, fonts.extra === 'none' ? options : resvgOptions(fonts)).render();
  return async (spec, opts = {}) => {
    const png = await drawCover(spec, opts, draw);
    afterEach();
    return png;
  };
}
