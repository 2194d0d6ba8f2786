/**
 * Aozora Bunko (青空文庫) texts: usually Shift_JIS, the title and author (and translator) on the
 * first lines, a legend of the notation between lines of dashes (【テキスト中に現れる記号について】),
 * the text one paragraph a line (a leading full-width space is indentation), and a colophon from
 * `底本：` to the end. Ruby is `｜漢字《かんじ》` or `漢字《かんじ》`; annotations `［＃…］` mark page
 * breaks, headings, emphasis dots, bold, indentation and characters Shift_JIS lacks (`※［＃…］`).
 */
import type { Block, Chapter, Inline, Meta, Paragraph, Story, StyleKind } from '../../model.js';
import { inlineText } from '../../text.js';
import { isSceneBreakLine } from '../body.js';
import { lose, type Losses } from '../fidelity.js';
import { emptyStory } from '../story.js';
import { trimBreaks } from '../structure.js';
import { looksLikeHtmlDocument } from '../sniff.js';
import type { ReadContext } from '../context.js';
import type { TextFormat, TextInput } from '../format.js';

const LEGEND = '【テキスト中に現れる記号について】';
const DASHES = /^\s*-{10,}\s*$/;
const COLOPHON = /^底本[：:]/;
// A run of kanji is what an unmarked 《reading》 belongs to (々〆〇ヶ count as kanji).
// Made on the first ruby without its opening mark (the Han table costs ~0.2 ms to build at start-up).
let kanjiRun: RegExp | undefined;
// Without kanji before it, the run of one kind of letters (katakana, Latin, hiragana).
const OTHER_RUN = /(?:[\u30a1-\u30fa\u30fc]+|[A-Za-z0-9\uff21-\uff3a\uff41-\uff5a\uff10-\uff19]+|[\u3041-\u3096]+)$/u;
// Indentation and alignment notes: the book's own CSS sets paragraphs, so they go silently.
const LAYOUT = /(?:字下げ|字詰め|字上げ|地付き|地寄せ|天付き|ここで.*終わり|行右小書き|行左小書き)/;
const RIGHT = /^(?:地付き|地から\S+字上げ)$/;
const PAGE_BREAK = /^改(?:ページ|丁|段|見開き)$/;

function sniff(input: TextInput): number {
  if (looksLikeHtmlDocument(input.text)) return 0;
  const head = input.text.slice(0, 3000);
  if (head.includes(LEGEND)) return 0.98;
  if (/^底本[：:]/m.test(input.text.slice(-3000))) return 0.9;
  return /［＃/.test(head) && /《[^》\n]+》/.test(head) ? 0.6 : 0;
}

/** One line of text read: its inline content and what its annotations said about it. */
interface AozoraLine {
  content: Inline[];
  /** 大/中 見出し: a chapter title; 小: a heading inside the chapter. */
  heading?: 'large' | 'medium' | 'small';
  pageBreak: boolean;
  align?: 'right';
}

/** Plain text of inline content, a ruby counted by its base. */
function plain(content: Inline[]): string {
  return content.map((c) => (typeof c === 'string' ? c : c.kind === 'ruby' ? c.base : inlineText([c]))).join('');
}

/**
 * Wrap the last occurrence of `target` in `content` in a styled run. Fails (returns false) when
 * it is not there or would cut a ruby or a styled run in two.
 */
export function wrapLast(content: Inline[], target: string, kind: StyleKind): boolean {
  const at = plain(content).lastIndexOf(target);
  if (!target || at < 0) return false;
  const end = at + target.length;
  const before: Inline[] = [];
  const middle: Inline[] = [];
  const after: Inline[] = [];
  let pos = 0;
  for (const item of content) {
    const len = plain([item]).length;
    const from = pos;
    pos += len;
    if (pos <= at) before.push(item);
    else if (from >= end) after.push(item);
    else if (typeof item === 'string') {
      if (from < at) before.push(item.slice(0, at - from));
      middle.push(item.slice(Math.max(0, at - from), end - from));
      if (pos > end) after.push(item.slice(end - from));
    } else if (from >= at && pos <= end) middle.push(item);
    else return false;
  }
  content.splice(0, content.length, ...before, { kind, content: middle }, ...after);
  return true;
}

/** Read one line's ruby and annotations. */
export function readLine(line: string, losses: Losses): AozoraLine {
  const out: AozoraLine = { content: [], pageBreak: false };
  const content = out.content;
  let buf = '';
  let rubyStart = -1;
  // Open range annotations (［＃太字］…［＃太字終わり］): their kind and where they began.
  const open: { kind: StyleKind; at: number }[] = [];
  const flush = (): void => {
    if (buf) content.push(buf);
    buf = '';
    rubyStart = -1;
  };
  const annotate = (note: string): void => {
    let m: RegExpExecArray | null;
    if (buf.endsWith('※') && /、/.test(note) && !/^「.*」[にはの]/.test(note.replace(/、.*$/, ''))) {
      // A character Shift_JIS lacks: its code point when stated, else the mark stays.
      const u = /U\+([0-9A-Fa-f]{4,6})/.exec(note);
      if (u) buf = buf.slice(0, -1) + String.fromCodePoint(parseInt(u[1]!, 16));
      else lose(losses, 'fid-007', 1, `※［＃${note}］`);
      return;
    }
    if ((m = /^「(.+)」(?:に|の左に)[^」]*傍点$/.exec(note)) || (m = /^「(.+)」は太字$/.exec(note)) || (m = /^「(.+)」に傍線$/.exec(note))) {
      flush();
      const kind: StyleKind = note.endsWith('太字') ? 'strong' : note.endsWith('傍線') ? 'underline' : 'em';
      if (!wrapLast(content, m[1]!, kind)) lose(losses, 'fid-007', 1, `［＃${note}］`);
      return;
    }
    if ((m = /^「.+」は(?:同行|窓)?(大|中|小)見出し$/.exec(note)) || (m = /^(?:ここから)?(?:同行|窓)?(大|中|小)見出し$/.exec(note))) {
      out.heading = m[1] === '大' ? 'large' : m[1] === '中' ? 'medium' : 'small';
      return;
    }
    if (/^(?:ここで)?(?:同行|窓)?[大中小]見出し終わり$/.test(note)) return;
    if (PAGE_BREAK.test(note)) { out.pageBreak = true; return; }
    if (/^(?:傍点|[^「」]*傍点|太字)$/.test(note)) {
      flush();
      open.push({ kind: note === '太字' ? 'strong' : 'em', at: content.length });
      return;
    }
    if (/^(?:[^「」]*傍点|太字)終わり$/.test(note)) {
      flush();
      const o = open.pop();
      if (o) content.splice(o.at, content.length - o.at, { kind: o.kind, content: content.slice(o.at) });
      return;
    }
    if (RIGHT.test(note)) { out.align = 'right'; return; }
    if (LAYOUT.test(note) || note === '本文終わり') return;
    // A picture (［＃挿絵（fig1.png）入る］) or any other note has no equivalent here.
    if (/\.(?:png|jpe?g|gif)/i.test(note) && /入る$/.test(note)) lose(losses, 'fid-001', 1, note.replace(/^.*?（|）入る$/g, ''));
    else lose(losses, 'fid-007', 1, `［＃${note.length > 20 ? `${note.slice(0, 20)}…` : note}］`);
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '｜') { flush(); rubyStart = 0; continue; }
    if (ch === '《') {
      const close = line.indexOf('》', i);
      if (close > i) {
        const reading = line.slice(i + 1, close);
        const base = rubyStart >= 0 ? buf.slice(rubyStart) : ((kanjiRun ??= /[\p{Script=Han}々〆〇ヶ]+$/u).exec(buf)?.[0] ?? OTHER_RUN.exec(buf)?.[0] ?? '');
        if (base && reading) {
          buf = buf.slice(0, buf.length - base.length);
          flush();
          content.push({ kind: 'ruby', base, text: reading });
        } else {
          buf += line.slice(i, close + 1);
          lose(losses, 'fid-007', 1, '《》 without a base');
        }
        i = close;
        continue;
      }
    }
    if (ch === '［' && line[i + 1] === '＃') {
      const close = line.indexOf('］', i);
      if (close > i) {
        annotate(line.slice(i + 2, close));
        i = close;
        continue;
      }
    }
    buf += ch;
  }
  flush();
  // Indentation (full-width spaces) at the start and spaces at the end are not text.
  if (typeof content[0] === 'string') content[0] = content[0].replace(/^[\s\u3000]+/, '');
  const last = content.length - 1;
  if (typeof content[last] === 'string') content[last] = content[last].replace(/[\s\u3000]+$/, '');
  out.content = content.filter((c) => c !== '');
  return out;
}

/** Title, author, translator and subtitle from the lines above the legend. */
function readHead(head: string[], meta: Meta): void {
  const lines = head.map((l) => l.trim()).filter((l) => l.length > 0);
  if (!lines.length) return;
  meta.title = lines[0];
  let rest = lines.slice(1);
  const last = rest[rest.length - 1];
  // A translator's line ends in 訳 ("森田思軒訳", "山田太郎 訳").
  if (last && rest.length >= 2 && /訳$/.test(last)) {
    meta.extra['Translator'] = last.replace(/\s*訳$/, '').trim();
    rest = rest.slice(0, -1);
  }
  const author = rest.pop();
  if (author) meta.authors.push(author);
  if (rest.length) meta.extra['Subtitle'] = rest.join('　');
}

function read(input: TextInput, ctx: ReadContext): Story {
  const story = emptyStory(input.path, 'aozora', input.encoding);
  const meta = story.meta;
  meta.language = 'ja';
  const losses = ctx.losses;
  const lines = input.text.split('\n');

  // The head runs to the first blank line or line of dashes; the legend between two dash lines.
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  const headStart = i;
  while (i < lines.length && lines[i]!.trim() && !DASHES.test(lines[i]!)) i++;
  readHead(lines.slice(headStart, i), meta);
  let start = i;
  const dash = lines.findIndex((l, k) => k >= start && k < start + 10 && DASHES.test(l));
  if (dash >= 0) {
    const close = lines.findIndex((l, k) => k > dash && DASHES.test(l));
    if (close > 0 && lines.slice(dash, close).some((l) => l.includes(LEGEND))) start = close + 1;
  }
  let end = lines.length;
  // The colophon is the file's last few dozen lines.
  for (let k = lines.length - 1; k >= Math.max(start, lines.length - 80); k--) if (COLOPHON.test(lines[k]!)) end = k;
  if (end < lines.length) {
    // The edition the text was taken from: its first line and the lines indented under it.
    let source = lines[end]!.replace(COLOPHON, '').trim();
    for (let k = end + 1; k < lines.length && /^[\s\u3000]+\S/.test(lines[k]!); k++) source += ` ${lines[k]!.trim()}`;
    if (source) meta.extra['底本'] = source;
  }

  const chapters: Chapter[] = [];
  let current: Chapter = { sections: [{ blocks: [] }] };
  const blocks = (): Block[] => current.sections[0]!.blocks;
  const close = (): void => {
    trimBreaks(blocks());
    if (blocks().length || current.title !== undefined) chapters.push(current);
    current = { sections: [{ blocks: [] }] };
  };
  for (const raw of lines.slice(start, end)) {
    if (!raw.trim()) continue;
    const line = readLine(raw, losses);
    if (line.pageBreak) close();
    const text = plain(line.content).trim();
    if (!text) continue;
    if (line.heading === 'large' || line.heading === 'medium') {
      if (blocks().length) close();
      current.title = current.title !== undefined ? `${current.title}　${text}` : text;
    } else if (line.heading === 'small') blocks().push({ kind: 'heading', content: line.content });
    else if (isSceneBreakLine(text.normalize('NFKC'))) blocks().push({ kind: 'break' });
    else {
      const p: Paragraph = { kind: 'p', content: line.content };
      if (line.align) p.align = line.align;
      blocks().push(p);
    }
  }
  close();
  story.chapters = chapters;
  return story;
}

/** The Aozora Bunko reader. */
export const aozora: TextFormat = {
  name: 'aozora',
  description: 'Aozora Bunko (青空文庫) text: title/author lines, notation legend, ruby and ［＃］ annotations, 底本 colophon',
  input: 'text',
  extensions: ['.txt'],
  inlineMarkers: false,
  precedence: 50,
  sniff,
  read,
};
