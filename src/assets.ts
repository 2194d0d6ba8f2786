/** Files shipped with the package (styles/, covers/), found from the compiled module's location. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Find a folder shipped with the package (`covers`, `styles`): walk up from `from` (a file URL,
 * default this module) to the first directory holding both that folder and a package.json.
 * Works from dist/src/render/ and from src/render/ alike. Throws when there is none.
 */
export function findAssetDir(name: string, from: string = import.meta.url): string {
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
 * The book's CSS: styles/base.css plus a theme, given as a built-in name or a path to a CSS file.
 * Throws with a clear message when the theme cannot be found.
 */
export function loadCss(style: string): string {
  const styles = findAssetDir('styles');
  const base = readFileSync(join(styles, 'base.css'), 'utf8');
  let themePath: string;
  if (/\.css$/i.test(style)) themePath = resolve(style);
  else if (/^[a-z0-9-]+$/i.test(style)) themePath = join(styles, 'themes', `${style}.css`);
  else throw new Error(`unknown style "${style}": give a built-in style name or a .css file`);
  if (!existsSync(themePath)) throw new Error(`style not found: ${style}`);
  return `${base}\n/* theme: ${style.replace(/\*\//g, '')} */\n${readFileSync(themePath, 'utf8')}`;
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
