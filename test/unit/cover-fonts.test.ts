/** Covers whose words Literata cannot show: the machine's font for them, or no cover (build-001); never empty boxes. */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { PNG } from 'pngjs';
import { charactersBeyondLiterata, coverFontsFor, withoutPictographs } from '../../src/render/cover-fonts.js';
import { coverFontFiles, coverSvg } from '../../src/render/cover.js';
import { renderCover } from '../../src/render/cover-draw.js';

/** A font file fontconfig has for Japanese, if the machine has one. */
function japaneseFont(): string | undefined {
  try {
    return execFileSync('fc-list', ['--format', '%{file}\n', ':charset=661f 964d 308b'], { encoding: 'utf8' }).split('\n').find(Boolean);
  } catch {
    return undefined;
  }
}

describe('cover fonts', () => {
  it('finds the characters Literata lacks: CJK, Hangul, Thai, Arabic, CJK punctuation; not Latin, Greek, Cyrillic or common signs', () => {
    expect(charactersBeyondLiterata('Ωμέγα, Жизнь — “Café” №5 & 12%')).to.deep.equal([]);
    expect(charactersBeyondLiterata('星降る「町」 한 ไทย عربي')).to.include.members(['星', 'る', '「', '한', 'ไ', 'ع']);
  });

  it('draws no emoji (they would be empty boxes)', () => {
    expect(withoutPictographs('🌸 Spring 🌸 ❤️ love 👨‍👩‍👧 family')).to.equal('Spring love family');
    expect(withoutPictographs('Plain — “title”')).to.equal('Plain — “title”');
  });

  it('answers as the Unicode patterns do for every character its quick paths take (up to U+024F, General Punctuation)', () => {
    // The definitions, as cover-fonts.ts applies them to text outside its quick paths.
    const beyond = /[^\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}\p{Script=Inherited}]|[\u2E80-\u2FFF\u3000-\u303F\u3200-\u33FF\uFE30-\uFE4F\uFF00-\uFFEF]/gu;
    const pictograph = /\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|[\uFE0E\uFE0F]/gu;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x2100; cp++) {
      if (cp > 0x24f && cp < 0x2000) cp = 0x2000;
      const text = `a${String.fromCodePoint(cp)}b`;
      if (charactersBeyondLiterata(text).join('') !== [...new Set(text.match(beyond) ?? [])].join('')) wrong.push(`beyond U+${cp.toString(16)}`);
      if (withoutPictographs(text) !== text.replace(pictograph, '').replace(/\s{2,}/g, ' ').trim()) wrong.push(`pictograph U+${cp.toString(16)}`);
    }
    expect(wrong).to.deep.equal([]);
    expect(withoutPictographs('Nine © ® ‼ ⁉ Lives')).to.equal('Nine Lives');
  });

  it('needs nothing beyond Literata for Latin, Greek and Cyrillic covers (the same bytes on every machine)', () => {
    expect(coverFontsFor('The Salt Road Ωμέγα Жизнь', {}, 'linux')).to.deep.equal({ extra: 'none' });
  });

  it('takes the system\'s fonts where fontconfig cannot be asked, and none at all when told so', () => {
    expect(coverFontsFor('星降る', {}, 'darwin')).to.deep.equal({ extra: 'system' });
    expect(() => coverFontsFor('星降る', { FIC2EPUB_NO_SYSTEM_FONTS: '1' }, 'darwin')).to.throw(/FIC2EPUB_NO_SYSTEM_FONTS .* "星降る"/);
  });

  it('says which characters no font on the machine shows', () => {
    // U+10FFFD is a private-use character no font has.
    expect(() => coverFontsFor('\u{10FFFD}', {}, 'linux')).to.throw(/no font on this machine shows/);
  });

  it('draws a Japanese title with the machine\'s font for it, not boxes', async function () {
    const font = japaneseFont();
    if (!font) return this.skip();
    expect(coverFontsFor('星降る町の郵便局', {}, 'linux')).to.deep.include({ extra: 'files' });
    const spec = { title: '星降る町の郵便局', authors: ['早瀬みなと'] };
    const png = PNG.sync.read(Buffer.from(await renderCover(spec)));
    // The same cover drawn with Literata alone: its missing-glyph boxes.
    const { Resvg } = await import('@resvg/resvg-js');
    const boxes = new Resvg(coverSvg(spec), { font: { fontFiles: coverFontFiles(), loadSystemFonts: false, defaultFontFamily: 'Literata' } }).render();
    expect([png.width, png.height]).to.deep.equal([boxes.width, boxes.height]);
    // (`pixels` copies the whole image on each read: read it once.)
    const pixels = boxes.pixels;
    let differ = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] !== pixels[i]) differ++;
    expect(differ, 'pixels unlike the boxes').to.be.above(1000);
  });

  it('a cover no font can show fails to draw, so the book is built without one (build-001)', async () => {
    let error: Error | undefined;
    await renderCover({ title: '\u{10FFFD}', authors: [] }).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/no font on this machine shows/);
  });
});
