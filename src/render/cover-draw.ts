/**
 * Drawing the generated cover (its design is cover.ts): the ground of each palette and size drawn
 * once and kept (cover-cache.ts between runs), only the bands of rows that hold the book's words
 * and ornament drawn for the book, and the PNG joined from pieces compressed apart (png.ts). Every
 * pixel is the one the whole SVG (`coverSvg`) draws.
 */
import { keepGround, readGround } from './cover-cache.js';
import { coverFontsFor, type CoverFonts } from './cover-fonts.js';
import { BLANK, coverFontFiles, coverLayout, coverWords, fillPlaceholders, VIEW_WIDTH, type CoverLayout, type CoverOptions, type CoverPart, type CoverRenderer, type CoverSpec } from './cover.js';
import { encodeLines, encodeOverShared, encodeStrip, SharedRows, type EncodedStrip } from './png.js';
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
export interface CoverBand {
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

/**
 * The columns of a band drawn for the book, when its parts say how far they reach across
 * (`CoverPart.across`): from `left`, before `right`; the rest of every row is the same band drawn
 * blank (kept: the same for every book whose band has the same place and ground). The `check`
 * columns at each end lie past where any ink was expected and must match the blank band: no
 * inkless stretch inside a line is that wide, so ink past the window would show there too (then
 * the band is drawn whole). The frame's sides, outside, cost about a third of a band's drawing.
 */
export interface BandWindow {
  left: number;
  right: number;
  check: number;
}

/** The window a band is drawn through, or undefined when it is drawn whole. */
export function bandWindow(layout: CoverLayout, band: CoverBand): BandWindow | undefined {
  // Off the viewBox's ratio the picture sits a fraction of a pixel off: whole-pixel moves round differently.
  if (layout.viewHeight * layout.width !== VIEW_WIDTH * layout.height) return undefined;
  const across = band.parts.map((part) => part.across);
  if (!across.length || across.some((a) => a === undefined)) return undefined;
  const scale = layout.width / VIEW_WIDTH;
  // A pixel more each way for anti-aliasing and rounding.
  const check = Math.ceil(Math.max(...across.map((a) => a!.gap)) * scale) + 2;
  const left = Math.max(0, Math.floor(Math.min(...across.map((a) => a!.left)) * scale) - 1 - check);
  const right = Math.min(layout.width, Math.ceil(Math.max(...across.map((a) => a!.right)) * scale) + 1 + check);
  return left === 0 && right === layout.width ? undefined : { left, right, check };
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
export function bandSvg(layout: CoverLayout, band: CoverBand, window?: BandWindow): string {
  const own = Object.fromEntries(band.parts.flatMap((p) => p.placeholders).map((k) => [k, layout.values[k]!]));
  const cover = fillPlaceholders(layout.template, { ...layout.values, ...BLANK, ...own })
    .replace(/^\s*<\?xml[^>]*\?>\s*/, '')
    .replace(/<svg\b/, '<svg overflow="visible"');
  const rows = band.bottom - band.top;
  // A window is the same picture moved left by whole pixels, as the band is moved up.
  const [left, width] = window ? [window.left, window.right - window.left] : [0, layout.width];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${rows}" viewBox="${left} 0 ${width} ${rows}"><g transform="translate(0 ${-band.top})">${cover}</g></svg>`;
}

/**
 * The band's rows put together in `out` as a PNG's lines filtered None (`encodeLines`): the
 * window's pixels with the blank band's on either side; false when a check column of the window
 * differs from the blank band (ink reached further than expected).
 */
export function throughWindow(pixels: Uint8Array, window: BandWindow, blank: SharedRows, out: Buffer): boolean {
  const row = blank.width * 4;
  const [left, right, check] = [window.left * 4, window.right * 4, window.check * 4];
  const across = right - left;
  const drawn = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  for (let y = 0, run = 0, line = 0; y < blank.height; y++, line += row + 1) {
    if (y >= blank.runEnd(run)) run++;
    const under = blank.row(run);
    const at = y * across;
    if (left > 0 && drawn.compare(under, left, left + check, at, at + check) !== 0) return false;
    if (right < row && drawn.compare(under, right - check, right, at + across - check, at + across) !== 0) return false;
    out[line] = 0;
    under.copy(out, line + 1, 0, left);
    drawn.copy(out, line + 1 + left, at, at + across);
    under.copy(out, line + 1 + right, right, row);
  }
  return true;
}

/** A cover's ground: its SVG, and its rows drawn. */
interface Ground {
  svg: string;
  rows: Promise<SharedRows>;
}

/** Draws an SVG to pixels with the given fonts: on libuv's pool, or on the calling thread. */
type Draw = (svg: string, fonts: CoverFonts) => Promise<{ pixels: Buffer; width: number; height: number }>;

// Grounds drawn in this thread, by their SVG: one a palette and size, a few kilobytes each.
const grounds = new Map<string, Promise<SharedRows>>();
const MAX_GROUNDS = 64;

function groundOf(svg: string, draw: Draw): Promise<SharedRows> {
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

// Bands drawn blank in this thread, by their place and ground: a few rows each, as the same rows repeat.
const blanks = new Map<string, Promise<SharedRows>>();
const MAX_BLANKS = 256;

/** The band drawn with every part blank (what its rows show beside the book's words); `ground` is the ground's SVG. */
function blankOf(layout: CoverLayout, band: CoverBand, ground: string, draw: Draw): Promise<SharedRows> {
  // The ground's SVG and the rows fix the blank band's SVG, which is made only to be drawn.
  const key = `${band.top} ${band.bottom}\n${ground}`;
  let blank = blanks.get(key);
  if (!blank) {
    blank = draw(bandSvg(layout, { ...band, parts: [] }), { extra: 'none' }).then((image) => SharedRows.of(image.pixels, image.width, image.height));
    blanks.set(key, blank);
    blank.catch(() => blanks.delete(key));
    if (blanks.size > MAX_BLANKS) blanks.delete(blanks.keys().next().value!);
  }
  return blank;
}

/** Whether a band at this place on this ground was asked for before (counted). */
function secondAtPlace(band: CoverBand, ground: string): boolean {
  const key = `${band.top} ${band.bottom}\n${ground}`;
  const seen = places.get(key) ?? 0;
  places.set(key, seen + 1);
  if (places.size > MAX_BLANKS * 4) places.delete(places.keys().next().value!);
  return seen > 0;
}

/** The band drawn (through its window when it has one, whole when the window's check fails) and encoded after the ground's row above it. */
async function drawBand(layout: CoverLayout, band: CoverBand, window: BandWindow | undefined, svg: string, fonts: CoverFonts, ground: Ground, draw: Draw): Promise<EncodedStrip> {
  const [image, rows, blank] = await Promise.all([draw(svg, fonts), ground.rows, window && blankOf(layout, band, ground.svg, draw)]);
  const above = band.top ? rows.row(rows.runAt(band.top - 1)) : undefined;
  if (!window || !blank) return encodeStrip({ y: band.top, pixels: image.pixels }, layout.width, above);
  // Put together as the PNG's lines, which are then compressed as they are.
  const lines = Buffer.allocUnsafe(blank.height * (blank.width * 4 + 1));
  if (throughWindow(image.pixels, window, blank, lines)) return encodeLines(band.top, lines, layout.width, above);
  return encodeStrip({ y: band.top, pixels: (await draw(bandSvg(layout, band), fonts)).pixels }, layout.width, above);
}

// How many bands each place on each ground has had in this thread: a place's blank band is drawn
// for its second band on, so a place only one band has (an author's, say) costs no drawing more.
const places = new Map<string, number>();

function bandOf(layout: CoverLayout, band: CoverBand, fonts: CoverFonts, ground: Ground, draw: Draw, windows: boolean): Promise<EncodedStrip> {
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
  const window = windows && secondAtPlace(band, ground.svg) ? bandWindow(layout, band) : undefined;
  strip = drawBand(layout, band, window, window ? bandSvg(layout, band, window) : svg, fonts, ground, draw);
  bands.set(key, strip);
  strip.catch(() => bands.delete(key));
  if (bands.size > MAX_BANDS) bands.delete(bands.keys().next().value!);
  return strip;
}

/**
 * A cover's PNG: its ground drawn once per palette and size (kept), and only the bands that hold
 * the book's words and ornament drawn for the book, each once per thread (kept); the PNG is
 * joined from pieces compressed apart, so the ground's rows and the bands are compressed once
 * too (png.ts, `encodeOverShared`). With `windows`, bands are drawn through their windows
 * (`BandWindow`): that pays where many books share their bands' places, as in a batch, for the
 * blank band beside each window is one more drawing the first time. The same bytes either way.
 */
async function drawCover(spec: CoverSpec, opts: CoverOptions, draw: Draw, windows = false): Promise<Uint8Array> {
  const layout = coverLayout(spec, opts);
  const fonts = coverFontsFor(coverWords(spec));
  const svg = groundSvg(layout);
  const ground = { svg, rows: groundOf(svg, draw) };
  const strips = Promise.all(coverBands(layout).map((band) => bandOf(layout, band, fonts, ground, draw, windows)));
  return encodeOverShared(await ground.rows, await strips);
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
 * compressed there. Its bands are drawn through windows (`BandWindow`): a batch's books share
 * their bands' places. `afterEach` runs after every cover (a batch worker frees the cover's memory
 * there). Same bytes as `renderCover`.
 */
export async function coverPainter(afterEach: () => void = () => undefined): Promise<CoverRenderer> {
  const { Resvg } = await loadResvg();
  const options = resvgOptions();
  const draw: Draw = async (svg, fonts) => new Resvg(svg, fonts.extra === 'none' ? options : resvgOptions(fonts)).render();
  return async (spec, opts = {}) => {
    const png = await drawCover(spec, opts, draw, true);
    afterEach();
    return png;
  };
}
