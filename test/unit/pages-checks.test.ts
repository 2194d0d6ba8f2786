/**
 * The checks table of the page families nobody tuned for (issue 22): for each fixture of a
 * family's real shape, what a careful reader reads off the page: title, authors (none when none is
 * stated: then none, with its warning), date, chapter titles, language, text that must
 * be there (the story's first and last words) and text that must not (chrome, cruft, hidden
 * anti-copying sentences, replies, signatures, disclaimers). One `it` per check, so the count of
 * passing checks is the measure.
 */
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readStoryBytes, type ReadOutcome } from '../../src/index.js';
import { defaultOptions } from '../../src/options.js';
import { blocksText, storyBlocks } from '../../src/text.js';
import { fixture } from '../helpers/paths.js';

interface Check {
  title: string;
  /** [] when the page states no author. */
  authors: string[];
  date: string | null;
  chapters: (string | null)[];
  language: string;
  mustAppear: string[];
  mustNotAppear: string[];
}

export const CHECKS: Record<string, Check> = {
  'web-blog-jsonld': {
    title: 'The Lantern Keeper',
    authors: ['Mira Solt'],
    date: '2021-03-14',
    chapters: [null],
    language: 'en-US',
    mustAppear: ['Every evening at the turn of the tide', 'the harbour light with a can of oil', 'Odile did not throw it away'],
    mustNotAppear: ['belongs to Inkwell Hollow', 'Previous Chapter', 'Table of Contents', 'archived at', 'Lovely and quiet', 'Proudly powered', 'WordPress'],
  },
  'web-old-personal': {
    title: 'Salt and Iron',
    authors: ['Wren Halloway'],
    date: null,
    chapters: [null],
    language: 'en',
    mustAppear: ['Tamsin lost the first hammer in March', 'a small iron key that nobody in the town had ever seen'],
    mustNotAppear: ['FrontPage', 'Best viewed', 'Back to my stories', 'Next story', 'Feedback is always welcome'],
  },
  'web-han-lang': {
    title: '雨后的车站',
    authors: ['林晚舟'],
    date: '2019-07-02',
    chapters: [null],
    language: 'zh-Hans',
    mustAppear: ['雨停的时候', '最后一班车的灯光已经出现在隧道口'],
    mustNotAppear: ['Powered by Hexo', '归档', 'Hexo'],
  },
  'site-royalroad': {
    title: 'Ashes of the Ninth Tower',
    authors: ['Tessa Quill'],
    date: '2022-04-15',
    chapters: ['Chapter 3 - The Copper Stair'],
    language: 'en',
    mustAppear: ['The stair wound up through the tower', 'when you have learned to wait'],
    mustNotAppear: ['content theft', 'Next Chapter', 'Previous Chapter', 'Great chapter!', 'Royal Road Legends', 'Comments (2)'],
  },
  'site-scribblehub': {
    title: 'The Quiet Orchard',
    authors: ['Pell Arden'],
    date: null,
    chapters: ['Chapter 2: Lanterns in the Orchard'],
    language: 'en-US',
    mustAppear: ['The orchard had been quiet for eleven years', 'They are not ripe yet.'],
    mustNotAppear: ['◇◆◇', 'Series Ranking', 'Index', 'the glass pears!!', 'Latest'],
  },
  'site-wattpad': {
    title: 'The Paper Garden',
    authors: ['juniperwrites'],
    date: null,
    chapters: ['Chapter Four: Seeds'],
    language: 'en-US',
    mustAppear: ['The seeds came in an envelope with no stamp', 'the way a hand opens when its owner is asleep'],
    mustNotAppear: ['Continue to next part', '1,204 reads', 'omg the ink', 'Log in', 'Vote'],
  },
  'forum-xenforo2': {
    title: 'Tidewright',
    authors: ['Saltmarrow'],
    date: '2020-11-02',
    chapters: ['Chapter 1: Slack Water', 'Chapter 2: The Dry Harbour'],
    language: 'en-US',
    mustAppear: ['The tide tables lived in a tin box', 'painted the same green as the harbour gate'],
    mustNotAppear: ['great hook', 'My other stories', 'fic recs', 'No comment', 'Thread starter', 'XenForo', 'Saltmarrow said'],
  },
  'forum-xenforo1-reader': {
    title: "The Glassblower's Apprentice",
    authors: ['Kiln'],
    date: '2016-01-10',
    chapters: ['Part One: Sand', 'Part Two: Fire'],
    language: 'en-US',
    mustAppear: ['Orrin was nine when his mother sold him', 'he did not think about going home'],
    mustNotAppear: ['I am a broom', "Kiln's stories", 'Click to expand', 'Reader mode', 'Forum software'],
  },
  'efiction-printable': {
    title: "The Cartographer's Lie",
    authors: ['Hollis Reed'],
    date: '2009-06-18',
    chapters: ['The Blank Corner', 'Landfall'],
    language: 'en',
    mustAppear: ['Every map Idris ever drew', 'The dog, however, is awake.'],
    mustNotAppear: ['archived at', 'Back to top', 'Word count:', 'by Hollis Reed', 'No money is being made'],
  },
  'efiction-printable-old': {
    title: "The Weaver's Knot",
    authors: ['Linnet Dray'],
    date: '2004-02-11',
    chapters: [null],
    language: 'en',
    mustAppear: ['There was once a weaver in a valley town', 'faded to the colour of a pale sunset'],
    mustNotAppear: ['archived at', 'Moonbeam Archive', 'Rating:', 'Disclaimer'],
  },
  'cjk-zh-hans': {
    title: '灯塔上的邮差',
    authors: ['白鹭洲'],
    date: null,
    chapters: ['第一卷 潮起 · 第一章 没有地址的信', '第一卷 潮起 · 第二章 灯塔守', '第二卷 潮落 · 第三章 涨潮之前'],
    language: 'zh-Hans',
    mustAppear: ['老周是岛上唯一的邮差', '灯塔的灯，在白天亮了'],
    mustNotAppear: ['本书由', '书香小站', '版权归作者所有', '┃', '＝＝', '内容简介'],
  },
  'cjk-zh-hant': {
    title: '夜市裡的修錶匠',
    authors: ['沈青禾'],
    date: null,
    chapters: ['第一季 停擺 · 第1章 沒有指針的錶', '第一季 停擺 · 第2章 倒著走的鐘', '第二季 上弦 · 第3章 最後一圈發條'],
    language: 'zh-Hant',
    mustAppear: ['夜市開到第三條街的時候', '然後慢慢地，往前走了'],
    mustNotAppear: ['本書由', '僅供交流', '雲端書庫', '＝＝'],
  },
  'cjk-ko': {
    title: '달빛 세탁소',
    authors: ['한여름'],
    date: null,
    chapters: ['제1화 첫 번째 손님', '제2화 지워지지 않는 얼룩', '제3화 다 마른 셔츠'],
    language: 'ko',
    mustAppear: ['문에 달린 종이 울린 것은 새벽 두 시였다', '지우지 말 걸 그랬다고 웃었다'],
    mustNotAppear: ['작가:', '제목:'],
  },
  'cjk-ja': {
    title: '星降る町の郵便局',
    authors: ['早瀬みなと'],
    date: null,
    chapters: ['第1話 落ちてきた手紙', '第2話 宛先さがし', '第3話 天文台の返事'],
    language: 'ja',
    mustAppear: ['その町では、流れ星は燃え尽きずに', '四十年前に私が出した手紙のね'],
    mustNotAppear: ['作者：'],
  },
  'mail-from-date-only': {
    title: 'The Night Ferry',
    authors: ['Gil Hart'],
    date: '1996-10-14',
    chapters: [null],
    language: 'en',
    mustAppear: ['The ferry left at midnight whether or not anyone was on it.', 'and went back to sleep.'],
    mustNotAppear: ['From:', 'GMT', 'Stories at midnight', 'mailhost.example'],
  },
  'mail-list-archive': {
    title: 'Demons',
    authors: ['Ada Finch'],
    date: '1998-03-09',
    chapters: [null],
    language: 'en',
    mustAppear: ['Martha kept her demons in the pantry', 'behind the flour bin since Easter.'],
    mustNotAppear: ["Archivist's note", '=====', 'VM-v5-Data', 'X-VM', 'Received:', 'Precedence', 'X-UIDL', 'unsubscribe', 'Eudora'],
  },
  'packer-credit': {
    title: 'The Orchard Thief',
    authors: [],
    date: null,
    chapters: [null],
    language: 'en',
    mustAppear: ['Somebody was stealing the apples', 'so much as meet it.'],
    mustNotAppear: ['PagePacker', 'Packed with', 'Downloaded with'],
  },
  'site-name-only': {
    title: 'Glass Harbour',
    authors: [],
    date: '2017-09-30',
    chapters: ['Chapter One'],
    language: 'en',
    mustAppear: ['The harbour froze on the longest night of the year', 'Something down there knocked back.'],
    mustNotAppear: ['Next chapter', 'stories from the fandom', 'All stories belong', 'Links'],
  },
};

/** Every piece of text the book carries from the story: chapter titles, story text, notes, summary. */
function bookText(outcome: ReadOutcome): string {
  const s = outcome.story;
  const parts = [
    ...s.chapters.map((c) => c.title ?? ''),
    ...s.chapters.flatMap((c) => [...(c.summary ?? []), ...(c.notes ?? []), ...(c.endNotes ?? [])].map((b) => blocksText([b]))),
    blocksText(storyBlocks(s)),
    blocksText(s.meta.summary ?? []),
    blocksText(s.meta.notes ?? []),
    blocksText(s.meta.endNotes ?? []),
    ...(s.footnotes ?? []).map((f) => blocksText(f.blocks)),
  ];
  return parts.join('\n').replace(/\s+/g, ' ');
}

const folded = (t: string): string => t.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ');

describe('checks table: pages nobody tuned for', () => {
  const root = fixture('golden');
  for (const [name, check] of Object.entries(CHECKS)) {
    describe(name, () => {
      let outcome: ReadOutcome;
      before(async () => {
        const input = readdirSync(join(root, name)).find((f) => /^input\./.test(f))!;
        outcome = await readStoryBytes(input, readFileSync(join(root, name, input)), defaultOptions());
      });
      it('title', () => expect(outcome.story.meta.title).to.equal(check.title));
      it('authors', () => {
        if (check.authors.length) expect(outcome.story.meta.authors).to.deep.equal(check.authors);
        else {
          expect(outcome.story.meta.authors).to.deep.equal([]);
          expect(outcome.diagnostics.map((d) => d.code)).to.include('meta-002');
        }
      });
      it('date', () => expect(outcome.story.meta.published ?? null).to.equal(check.date));
      it('chapters', () => expect(outcome.story.chapters.map((c) => (c.title === undefined ? null : c.title.replace(/\s+/g, ' ')))).to.deep.equal(check.chapters));
      it('language', () => expect(outcome.story.meta.language).to.equal(check.language));
      for (const s of check.mustAppear) it(`text has "${s}"`, () => expect(folded(bookText(outcome))).to.include(folded(s)));
      for (const s of check.mustNotAppear) it(`no "${s}"`, () => expect(bookText(outcome).toLowerCase()).not.to.include(s.toLowerCase()));
    });
  }
});
