/**
 * Fonts for a generated cover whose words Literata cannot show. Literata covers Latin, Greek and
 * Cyrillic; a title in Chinese, Japanese, Korean, Arabic, Hebrew, Thai, Devanagari … would be
 * drawn as empty boxes. Such a cover takes the machine's own font for those characters (found
 * with fontconfig on Linux and the BSDs; the system's fonts elsewhere); with no font for them the
 * cover is not drawn (build-001 says why) and the book's title stays in its metadata, which
 * every reading system shows in its own fonts. Covers in Literata's scripts never look at the
 * machine's fonts, so they stay byte-identical everywhere; `FIC2EPUB_NO_SYSTEM_FONTS=1` makes
 * every cover so (those in other scripts are then not drawn).
 */
import type * as ChildProcess from 'node:child_process';
import { createRequire } from 'node:module';

// child_process loads with the first cover in a script Literata lacks: other builds never need it.
const childProcess = (): typeof ChildProcess => createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;

// Letters outside Literata's scripts; CJK and full-width punctuation are "Common" but not in it.
const OTHER_SCRIPT = /[^\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]|[\u2E80-\u2FFF\u3000-\u303F\u3200-\u33FF\uFE30-\uFE4F\uFF00-\uFFEF]/gu;

/** What draws a cover's words: Literata alone, or Literata and these font files (or every
 * font of the system, where fontconfig cannot be asked). */
export type CoverFonts = { extra: 'none' } | { extra: 'files'; files: string[] } | { extra: 'system' };

// Every character up to U+024F and in General Punctuation (but the unassigned U+2065) is Latin,
// Common or Inherited: most titles need no look at Unicode's script tables, whose first use
// (building the pattern above) is about 1 ms of a one-story build.
const LITERATA_PLAIN = /^[\0-\u024F\u2000-\u2064\u2066-\u206F]*$/;

/** The characters of `text` Literata does not have, each once, in order. */
export function charactersBeyondLiterata(text: string): string[] {
  if (LITERATA_PLAIN.test(text)) return [];
  return [...new Set(text.match(OTHER_SCRIPT) ?? [])];
}

const found = new Map<string, string | null>();

/** The first font file (by name) fontconfig says has every one of `chars`; null when none does
 * or fontconfig is missing. Asked once per set of characters. */
function fontFileWith(chars: string[]): string | null {
  const key = chars.join('');
  const cached = found.get(key);
  if (cached !== undefined) return cached;
  let file: string | null = null;
  try {
    const charset = chars.map((c) => c.codePointAt(0)!.toString(16)).join(' ');
    const out = childProcess().execFileSync('fc-list', ['--format', '%{file}\n', `:charset=${charset}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    // Sorted, so the same machine always picks the same file.
    file = out.split('\n').filter((f) => /\.(?:ttf|otf|ttc|otc)$/i.test(f)).sort()[0] ?? null;
  } catch {
    file = null;
  }
  found.set(key, file);
  return file;
}

/**
 * The fonts a cover showing `text` needs besides Literata; throws, saying which characters, when
 * the machine has none for some of them.
 */
export function coverFontsFor(text: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): CoverFonts {
  const beyond = charactersBeyondLiterata(text);
  if (!beyond.length) return { extra: 'none' };
  const sample = beyond.slice(0, 3).join('');
  const none = (): Error => new Error(`no font on this machine shows "${sample}" (install one, e.g. fonts-noto-cjk for Chinese, Japanese and Korean, or give --cover)`);
  if (env.FIC2EPUB_NO_SYSTEM_FONTS === '1') throw new Error(`FIC2EPUB_NO_SYSTEM_FONTS is set and Literata has no "${sample}"`);
  if (platform === 'darwin' || platform === 'win32') return { extra: 'system' };
  // One font for all of them (the usual case), else one for each.
  const one = fontFileWith(beyond);
  if (one) return { extra: 'files', files: [one] };
  const files = new Set<string>();
  for (const ch of beyond) {
    const f = fontFileWith([ch]);
    if (!f) throw none();
    files.add(f);
  }
  return { extra: 'files', files: [...files].sort() };
}

// Pictographs (emoji) and what joins or varies them: no cover font has them in colour.
const PICTOGRAPH = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|[\uFE0E\uFE0F]/gu;

// The same ranges less the pictographs among them (© ® ‼ ⁉): text of only these has none to drop.
const NO_PICTOGRAPH = /^[\0-\u00A8\u00AA-\u00AD\u00AF-\u024F\u2000-\u203B\u203D-\u2048\u204A-\u206F]*$/;

/** A cover's words without emoji ("🌸 Spring 🌸" → "Spring"): drawn, they would be empty boxes. */
export function withoutPictographs(text: string): string {
  return (NO_PICTOGRAPH.test(text) ? text : text.replace(PICTOGRAPH, '')).replace(/\s{2,}/g, ' ').trim();
}
