/**
 * Chinese, Korean and Japanese web-novel text files as download sites hand them out: a `书名：`
 * line (or a bare title, often in 《》, above `作者：NAME`), a blurb under `内容简介`, chapters
 * headed `第一章 …`, `第1章`, `第1話`, `제1화` under volume lines (`第一卷`, `第一季`), one
 * paragraph a line indented with full-width spaces, and the download site's disclaimer boxes
 * (`┏━┓` frames, `＝＝＝` fences around 本书由…整理 / 仅供交流 / 版权归作者所有) as cruft.
 * The book's navigation is flat, so a volume names its chapters: "第一卷 潮起 · 第一章 …".
 */
import type { Block, Chapter, Story } from '../../model.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';
import { chineseScript } from '../language.js';
import { emptyStory, para } from '../story.js';

const NUM = '[0-9０-９零〇一二三四五六七八九十百千万两兩壹贰貳叁參肆伍陆陸柒捌玖拾佰仟]+';
/** A chapter heading: 第一章, 第1回, 第3節, 第1話, 제1화, 제2장, and the named ones (序章, 番外 …). */
const CHAPTER = new RegExp(`^(?:第\\s*${NUM}\\s*[章回节節话話幕]|제\\s*\\d+\\s*[화장]|(?:序章|序言|楔子|引子|尾声|尾聲|终章|終章|后记|後記|番外(?:篇)?|完本感言|プロローグ|エピローグ|프롤로그|에필로그|외전)(?=\\s|$|[:：]))`);
/** A volume heading: 第一卷, 第二季, 第三部, 第1巻, 제1권, 제1부. */
const VOLUME = new RegExp(`^(?:第\\s*${NUM}\\s*[卷季部篇集巻]|제\\s*\\d+\\s*[권부])(?=\\s|$|[:：])`);
const TITLE_FIELD = /^(?:书名|書名|小说名|小說名|作品名|标题|標題|タイトル|제목|작품명)\s*[:：]\s*(.+)$/;
const AUTHOR_FIELD = /^(?:作者|著者|作家|原作|작가|저자|지은이)\s*[:：]\s*(.+)$/;
const BLURB_HEADING = /^(?:【?(?:内容简介|內容簡介|内容介绍|內容介紹|简介|簡介|文案|作品简介|作品簡介|あらすじ|紹介|작품\s*소개|소개|줄거리)】?)\s*[:：]?\s*(.*)$/;
// What a download site writes into its boxes: who packed the file, where to get more, that it is
// only for sharing, whose rights these are, when to delete it.
const CRUFT_WORDS = /本[书書]由|整理|仅供|僅供|交流|版权|版權|下载|下載|请支持正版|請支持正版|删除|刪除|更多精彩|免费|免費|www\.|https?:|\.com|\.net|txt|TXT|小说网|小說網|电子书|電子書/;
const BOX_LINE = /^[\s┏┓┗┛┃━═║╔╗╚╝─│┌┐└┘╭╮╰╯]+$/;
const BOX_SIDE = /^\s*[┃║│]/;
const FENCE = /^\s*[=＝\-－_＿*＊~～─━]{5,}\s*$/;

// Made for the first text that may hold CJK letters: its script tables cost ~0.3 ms to build at start-up.
let cjkLetters: RegExp | undefined;
// Every letter of those scripts lies at U+1100 or above, outside General Punctuation (where
// Western text's curly quotes and dashes are): a text with no such unit has none of them, and
// this plain range test is several times cheaper than the script tables.
const MAYBE_CJK = /[\u1100-\u1fff\u2070-\uffff]/;

/** Share of CJK letters among the letters of `text`. */
function cjkShare(text: string): number {
  const sample = text.slice(0, 6000);
  // Most input has no CJK letter at all: then no letter is collected into a match array.
  if (!MAYBE_CJK.test(sample)) return 0;
  const cjk = (sample.match((cjkLetters ??= /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu)) ?? []).length;
  if (cjk === 0) return 0;
  const latin = (sample.match(/\p{Script=Latin}/gu) ?? []).length;
  return cjk + latin ? cjk / (cjk + latin) : 0;
}

function trimLine(line: string): string {
  return line.replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
}

function sniff(input: TextInput): number {
  const head = input.text.slice(0, 20_000);
  if (/<(?:html|body|p|div)[\s>]/i.test(head.slice(0, 2000)) || cjkShare(head) < 0.6) return 0;
  const lines = head.split('\n').map(trimLine);
  const fields = lines.slice(0, 40).filter((l) => TITLE_FIELD.test(l) || AUTHOR_FIELD.test(l)).length;
  const chapters = lines.filter((l) => l.length <= 40 && CHAPTER.test(l)).length;
  if (fields && chapters) return 0.9;
  if (chapters >= 3) return 0.8;
  return fields ? 0.5 : 0;
}

/** Remove the download site's boxes: `┏━┓` frames and fenced blocks holding its words. */
function dropCruftBoxes(lines: string[]): { lines: string[]; dropped: number } {
  const out: string[] = [];
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (BOX_LINE.test(line) && line.trim()) {
      let j = i + 1;
      while (j < lines.length && BOX_SIDE.test(lines[j]!) && !BOX_LINE.test(lines[j]!)) j++;
      if (j < lines.length && BOX_LINE.test(lines[j]!)) {
        dropped += j - i + 1;
        i = j;
        continue;
      }
    }
    if (FENCE.test(line)) {
      let j = i + 1;
      while (j < lines.length && j - i <= 10 && !FENCE.test(lines[j]!)) j++;
      const inner = lines.slice(i + 1, j);
      if (inner.some((l) => CRUFT_WORDS.test(l))) {
        dropped += Math.min(j, lines.length - 1) - i + 1;
        i = j < lines.length ? j : lines.length;
        continue;
      }
      // A lone fence at either end of a cruft run is the run's.
      if (j >= lines.length || inner.length > 10) {
        dropped++;
        continue;
      }
    }
    out.push(line);
  }
  // Loose cruft lines at the very top or bottom.
  const isCruft = (l: string): boolean => CRUFT_WORDS.test(l) && trimLine(l).length <= 80 && !CHAPTER.test(trimLine(l));
  while (out.length && (out[0]!.trim() === '' || isCruft(out[0]!))) if (out.shift()!.trim()) dropped++;
  while (out.length && (out[out.length - 1]!.trim() === '' || isCruft(out[out.length - 1]!))) if (out.pop()!.trim()) dropped++;
  return { lines: out, dropped };
}

/** A heading line with its spaces (full-width ones too) folded: "第一章　没有地址的信" → "第一章 没有地址的信". */
function headingText(line: string): string {
  return trimLine(line).replace(/[\s\u3000]+/g, ' ');
}

/** BCP 47 tag of the text's language, from its script: kana make it Japanese, Hangul Korean,
 * Han alone Chinese (its script from its characters). */
function languageOf(text: string): string | undefined {
  const sample = text.slice(0, 6000);
  const count = (re: RegExp): number => (sample.match(re) ?? []).length;
  const kana = count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(/\p{Script=Hangul}/gu);
  const han = count(/\p{Script=Han}/gu);
  const total = kana + hangul + han;
  if (!total) return undefined;
  if (hangul >= total * 0.5) return 'ko';
  if (kana >= total * 0.1) return 'ja';
  return `zh-${chineseScript(sample) ?? 'Hans'}`;
}

function read(input: TextInput, ctx: ReadContext): Story {
  const story = emptyStory(input.path, 'cjk-novel', input.encoding);
  const meta = story.meta;
  const cleaned = dropCruftBoxes(input.text.split('\n'));
  if (cleaned.dropped) ctx.info('read-016', `${cleaned.dropped} line${cleaned.dropped === 1 ? '' : 's'} of the download site's notice boxes left out`);
  const lines = cleaned.lines.map(trimLine);
  const firstChapter = lines.findIndex((l) => l.length <= 40 && (CHAPTER.test(l) || VOLUME.test(l)));
  const headEnd = firstChapter < 0 ? Math.min(lines.length, 30) : firstChapter;

  // The head: title and author fields (or a bare title above the author line), then a blurb.
  let blurbFrom = -1;
  let bareTitle: string | undefined;
  const consumed = new Set<number>();
  for (let i = 0; i < headEnd; i++) {
    const l = lines[i]!;
    let m: RegExpExecArray | null;
    if ((m = TITLE_FIELD.exec(l))) {
      meta.title = m[1]!.replace(/^《(.*)》$/, '$1').trim();
      consumed.add(i);
    } else if ((m = AUTHOR_FIELD.exec(l))) {
      meta.authors.push(m[1]!.trim());
      consumed.add(i);
      if (!meta.title) {
        let k = i - 1;
        while (k >= 0 && !lines[k]) k--;
        if (k >= 0 && !consumed.has(k) && lines[k]!.length <= 40) {
          bareTitle = lines[k]!.replace(/^《(.*)》$/, '$1').trim();
          consumed.add(k);
        }
      }
    } else if (blurbFrom < 0 && (m = BLURB_HEADING.exec(l)) && l.length <= 12 + (m[1]?.length ?? 0)) {
      blurbFrom = i;
      consumed.add(i);
    }
  }
  if (!meta.title && bareTitle) {
    meta.title = bareTitle;
    ctx.info('meta-013', `no title field; the line "${bareTitle}" above the author line was taken as the title`);
  } else if (!meta.title && !meta.authors.length) {
    // A bare 《title》 line at the very top says what it is.
    const top = lines.findIndex((l) => l);
    if (top >= 0 && top < headEnd && /^《[^》]{1,40}》$/.test(lines[top]!)) {
      meta.title = lines[top]!.slice(1, -1);
      consumed.add(top);
    }
  }
  if (blurbFrom >= 0) {
    const inline = BLURB_HEADING.exec(lines[blurbFrom]!)?.[1];
    const blurb = [inline ?? '', ...lines.slice(blurbFrom + 1, headEnd).filter((_, k) => !consumed.has(blurbFrom + 1 + k))].filter(Boolean);
    if (blurb.length) meta.summary = blurb.map(para);
    for (let i = blurbFrom; i < headEnd; i++) consumed.add(i);
  }
  const front: Block[] = [];
  for (let i = 0; i < headEnd; i++) if (!consumed.has(i) && lines[i]) front.push(para(lines[i]!));

  // The body: volumes name their chapters; one paragraph a line; lines of marks are scene breaks.
  const chapters: Chapter[] = [];
  let volume: string | undefined;
  let current: Chapter | undefined;
  for (let i = headEnd; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l) continue;
    if (l.length <= 40 && VOLUME.test(l)) {
      volume = headingText(l);
      current = undefined;
      continue;
    }
    if (l.length <= 40 && CHAPTER.test(l)) {
      current = { title: volume ? `${volume} · ${headingText(l)}` : headingText(l), sections: [{ blocks: [] }] };
      chapters.push(current);
      continue;
    }
    if (!current) {
      current = { sections: [{ blocks: [] }] };
      chapters.push(current);
    }
    const blocks = current.sections[0]!.blocks;
    const compact = l.replace(/[\s\u3000]+/g, '');
    if (compact.length <= 12 && !/[\p{L}\p{N}]/u.test(compact) && !/^[…。.]+$/.test(compact)) {
      if (blocks.length && blocks[blocks.length - 1]!.kind !== 'break') blocks.push({ kind: 'break' });
    } else blocks.push(para(l));
  }
  for (const c of chapters) {
    const b = c.sections[0]!.blocks;
    while (b.length && b[b.length - 1]!.kind === 'break') b.pop();
  }
  story.front = front.length && chapters.length ? front : [];
  story.chapters = chapters.length ? chapters.filter((c) => c.sections[0]!.blocks.length || c.title) : [{ sections: [{ blocks: front }] }];
  const language = languageOf(lines.join('\n'));
  if (language) meta.language = language;
  return story;
}

/** The Chinese/Korean/Japanese web-novel text reader. */
export const cjkNovel: TextFormat = {
  name: 'cjk-novel',
  description: 'a Chinese, Korean or Japanese web novel as a text file (书名/作者 lines, 第一章 / 제1화 / 第1話 chapters, volumes)',
  input: 'text',
  extensions: ['.txt'],
  // These files mark no emphasis with ASCII signs; a lone * or _ in them is text.
  inlineMarkers: false,
  precedence: 45,
  sniff,
  read,
};
