/** Files shipped with the package (styles/, covers/), found from the compiled module's location. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StyleSheet } from './options.js';

/**
 * Find a folder shipped with the package (`covers`, `styles`): walk up from `from` (a file URL,
 * default this module) to the first directory holding both that folder and a package.json.
 * Works from dist/src/render/ and from src/render/ alike. Throws when there is none.
 */
export function findAssetDir(name: string, from: string = import.meta.url): string {
  const key = `${name}\n${from}`;
  let found = assetDirs.get(key);
  if (!found) assetDirs.set(key, (found = searchAssetDir(name, from)));
  return found;
}

// The package's own folders do not move while it runs: each is looked for once, not once a book.
const assetDirs = new Map<string, string>();

function searchAssetDir(name: string, from: string): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, name);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the "${name}" folder above ${fileURLToPath(from)}`);
    dir = up;
  }
}

/**
 * The file of a built-in style: styles/themes/<name>.css. Throws with a clear message on a name
 * that is no plain name or a style that does not exist.
 */
export function builtInStyleFile(name: string): string {
  // The library takes a stylesheet's text; a front end reads the file (see user-assets.ts).
  if (/\.css$/i.test(name)) throw new Error(`style "${name}" is a file: give its CSS text ({name, css}), read by the caller`);
  if (!/^[a-z0-9-]+$/i.test(name)) throw new Error(`unknown style "${name}": give a built-in style name or a .css file`);
  const file = join(findAssetDir('styles'), 'themes', `${name}.css`);
  if (!existsSync(file)) throw new Error(`style not found: ${name}`);
  return file;
}

/**
 * The book's CSS: styles/base.css plus a theme, a built-in style's name or the user's CSS text
 * (never read from the user's files here). Throws when a built-in style cannot be found.
 */
export function loadCss(style: string | StyleSheet): string {
  const base = shippedText(join(findAssetDir('styles'), 'base.css'));
  const [name, css] = typeof style === 'string' ? [style, shippedText(builtInStyleFile(style))] : [style.name, style.css];
  return `${base}\n/* theme: ${name.replace(/\*\//g, '')} */\n${css}`;
}

// The shipped style sheets, read once a process rather than once a book.
const shippedTexts = new Map<string, string>();

function shippedText(file: string): string {
  let text = shippedTexts.get(file);
  if (text === undefined) shippedTexts.set(file, (text = readFileSync(file, 'utf8')));
  return text;
}

/**
 * The SVG template of a cover theme: `covers/<theme>.svg`. Throws on a name that is not a plain
 * name or a theme that does not exist, so a build can tell before planning whether it can have a
 * generated cover.
 */
export function coverTemplateFile(theme: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(theme)) throw new Error(`invalid cover theme name "${theme}"`);
  const file = join(findAssetDir('covers'), `${theme}.svg`);
  if (!existsSync(file)) throw new Error(`unknown cover theme "${theme}" (no covers/${theme}.svg)`);
  return file;
}
