/** Files shipped with the package (styles/, covers/), found from the compiled module's location. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The package's root folder (the one holding package.json and styles/). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'styles'))) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the fic2epub package folder (styles/ is missing)');
    dir = up;
  }
}

/** Names of the built-in themes (files in styles/themes/ without `.css`). */
export const BUILTIN_STYLES_DIR = 'styles/themes';

/**
 * The book's CSS: styles/base.css plus a theme, given as a built-in name or a path to a CSS file.
 * Throws with a clear message when the theme cannot be found.
 */
export function loadCss(style: string): string {
  const base = readFileSync(join(packageRoot(), 'styles', 'base.css'), 'utf8');
  let themePath: string;
  if (/\.css$/i.test(style)) themePath = resolve(style);
  else if (/^[a-z0-9-]+$/i.test(style)) themePath = join(packageRoot(), BUILTIN_STYLES_DIR, `${style}.css`);
  else throw new Error(`unknown style "${style}": give a built-in style name or a .css file`);
  if (!existsSync(themePath)) throw new Error(`style not found: ${style}`);
  return `${base}\n/* theme: ${style.replace(/\*\//g, '')} */\n${readFileSync(themePath, 'utf8')}`;
}
