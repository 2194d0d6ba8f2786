/**
 * One test per failure class of the pages nobody tuned for (issue 22), each on a small page of
 * the kind's shape: the generic web reader, the fiction sites, forum threads, eFiction archives,
 * CJK web-novel text files, old mail, and authors invented from tools or sites.
 */
import { expect } from 'chai';
import { readStoryBytes, type ReadOutcome } from '../../src/index.js';
import type { Block } from '../../src/model.js';
import { defaultOptions } from '../../src/options.js';
import { detectFormat } from '../../src/read/detect.js';
import { unshout } from '../../src/read/formats/mail.js';
import { threadTitle } from '../../src/read/formats/web/xenforo.js';
import { inventedAuthor, languageMismatch, splitTitle, toolNames } from '../../src/read/formats/web/page.js';
import { parseHtmlPage } from '../../src/read/html/parse.js';
import { blockText, blocksText, storyBlocks } from '../../src/text.js';

const PROSE = 'The ferry left the harbour at dusk and the gulls followed it out past the breakwater, calling. ';

async function read(text: string, path = 'x.html'): Promise<ReadOutcome> {
  return readStoryBytes(path, Buffer.from(text), defaultOptions());
}

const page = (body: string, head = '', lang = 'en'): string => `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
const prose = (n: number): string => Array.from({ length: n }, (_, i) => `<p>${PROSE}Paragraph ${i + 1} goes on.</p>`).join('\n');
const textOf = (r: ReadOutcome): string => blocksText(storyBlocks(r.story));
const kinds = (blocks: Block[]): string[] => blocks.map((b) => b.kind);
const codes = (r: ReadOutcome): string[] => r.diagnostics.map((d) => d.code);

describe('pages nobody tuned for', () => {
  describe('generic web pages', () => {
    it('take author, date and headline from schema.org JSON-LD, and never an Organization as author', async () => {
      const ld = { '@context': 'https://schema.org', '@type': 'BlogPosting', headline: 'Low Tide', datePublished: '2019-04-02T10:00:00Z', author: [{ '@type': 'Person', name: 'Ines Vale' }, { '@type': 'Organization', name: 'Tidepool Press' }] };
      const r = await read(page(`<article>${prose(6)}</article>`, `<title>untitled page</title><script type="application/ld+json">${JSON.stringify(ld)}</script>`));
      expect(r.story.meta.title).to.equal('Low Tide');
      expect(r.story.meta.authors).to.deep.equal(['Ines Vale']);
      expect(r.story.meta.published).to.equal('2019-04-02');
    });
    it('read a byline link, <meta name="author"> and <time datetime> the way a reader view does', async () => {
      const a = await read(page(`<article><h1>Low Tide</h1><p class="byline">by <a rel="author" href="/u/ines">Ines Vale</a></p><time datetime="2018-11-30">last autumn</time>${prose(6)}</article>`, '<title>Low Tide</title>'));
      expect(a.story.meta.authors).to.deep.equal(['Ines Vale']);
      expect(a.story.meta.published).to.equal('2018-11-30');
      const b = await read(page(`<article>${prose(6)}</article>`, '<title>Low Tide</title><meta name="author" content="Ines Vale">'));
      expect(b.story.meta.authors).to.deep.equal(['Ines Vale']);
    });
    it('strip "by NAME" from the title when the page names that author or sets the credit off, not otherwise', () => {
      expect(splitTitle('Low Tide by Ines Vale', ['Ines Vale'])).to.deep.equal({ title: 'Low Tide', by: 'Ines Vale' });
      expect(splitTitle('Salt and Iron - a story by Wren Halloway')).to.deep.equal({ title: 'Salt and Iron', by: 'Wren Halloway' });
      expect(splitTitle('Stand by Me')).to.deep.equal({ title: 'Stand by Me' });
      expect(splitTitle('Glass Harbour, Chapter One')).to.deep.equal({ title: 'Glass Harbour', chapter: 'Chapter One' });
    });
    it('drop text the page\'s own stylesheet or inline style hides (anti-copying sentences)', async () => {
      const r = await read(page(`<article>${prose(3)}<p class="zx1">Stolen text notice one.</p><p><span style="display: none">Stolen text notice two.</span>Kept words here.</p><p style="visibility:hidden">Stolen text notice three.</p>${prose(3)}</article>`, '<title>Low Tide</title><style>p.zx1 { display:none; speak:never }</style>'));
      expect(textOf(r)).not.to.include('Stolen');
      expect(textOf(r)).to.include('Kept words here.');
      expect(codes(r)).to.include('read-015');
    });
    it('drop navigation rows, "archived at" footers and tool credits; a disclaimer goes to the metadata', async () => {
      const r = await read(page(`<div class="post">${prose(5)}<p><a href="/c/1">&laquo; Prev</a> | <a href="/toc">Table of Contents</a> | <a href="/c/3">Next &raquo;</a></p><p>Disclaimer: the harbour is not mine.</p><p>This story is archived at <a href="https://x.example/">x.example</a>.</p><p>This page was made with Notepad. Best viewed at 800x600.</p></div>`, '<title>Low Tide</title>'));
      const t = textOf(r);
      for (const s of ['Prev', 'Table of Contents', 'archived at', 'Notepad', 'Disclaimer']) expect(t).not.to.include(s);
      expect(r.story.meta.disclaimer).to.equal('the harbour is not mine.');
    });
    it('recognise the site\'s scene-break markers: centred ***, <hr>, separator images, <p>◇◆◇</p>', async () => {
      const r = await read(page(`<div class="post">${prose(2)}<p style="text-align:center">***</p>${prose(2)}<hr>${prose(2)}<center><img src="line.gif" alt="~~~"></center>${prose(2)}<p>◇◆◇</p>${prose(2)}</div>`, '<title>Low Tide</title>'));
      expect(kinds(r.story.chapters[0]!.sections[0]!.blocks).filter((k) => k === 'break')).to.have.length(4);
    });
    it('join hard-wrapped lines inside one <p>, but keep short lines (verse) apart', async () => {
      const wrapped = '<p>The ferry left the harbour at dusk and the gulls followed it out<br>\npast the breakwater, calling, as they did every evening of the year,<br>\nand the ferryman did not look back at them even once that night.</p>';
      const r = await read(page(`<div class="post">${wrapped}${prose(3)}<p>Roses are red,<br>the sea is grey,<br>the gulls are loud,<br>all night and day.</p></div>`, '<title>Low Tide</title>'));
      const blocks = r.story.chapters[0]!.sections[0]!.blocks;
      expect(blocks[0]).to.deep.include({ kind: 'p' });
      expect(blockText(blocks[0]!)).to.match(/gulls followed it out past the breakwater/);
      expect(JSON.stringify(blocks[0])).not.to.include('"br"');
      expect(blocks[blocks.length - 1]!.kind).to.equal('verse');
    });
    it('let text plainly in another script beat the page\'s lang attribute', async () => {
      expect(languageMismatch('en', '雨停的时候，站台上只剩下她一个人。广播里反复念着一班已经取消的列车。')).to.equal(true);
      expect(languageMismatch('zh-CN', '雨停的时候，站台上只剩下她一个人。广播里反复念着一班已经取消的列车。')).to.equal(false);
      expect(languageMismatch('en', PROSE)).to.equal(false);
      const r = await read(page(`<article>${'<p>雨停的时候，站台上只剩下她一个人。广播里反复念着一班已经取消的列车，声音在候车厅里来回碰撞。</p>'.repeat(5)}</article>`, '<title>雨后</title>', 'en'));
      expect(r.story.meta.language).to.equal('zh-Hans');
      expect(codes(r)).to.include('meta-012');
    });
  });

  describe('fiction sites (site rules only in their own reader)', () => {
    it('a page with a site\'s class names but not the site stays with the generic reader', () => {
      const d = detectFormat({ path: 'x.html', encoding: 'utf-8', text: page(`<div class="chapter-inner chapter-content">${prose(4)}</div>`, '<title>Low Tide</title>') });
      expect(d.format.name).to.equal('generic-html');
    });
    it('Wattpad\'s <pre> around paragraphs is not preformatted text', async () => {
      const r = await read(page(`<div class="part-header"><h1>Part One</h1></div><div class="panel panel-reading"><pre><p data-p-id="a">${PROSE}</p><p data-p-id="b">${PROSE}</p></pre></div>`, '<title>Low Tide - Part One - Wattpad</title><meta property="og:site_name" content="Wattpad"><link rel="canonical" href="https://www.wattpad.com/1-low-tide">'));
      expect(r.detection.format.name).to.equal('web-fiction');
      expect(kinds(r.story.chapters[0]!.sections[0]!.blocks)).to.deep.equal(['p', 'p']);
    });
  });

  describe('forum threads', () => {
    const post = (author: string, body: string, mark?: string): string => `<article class="message message--post" data-author="${author}">${mark ? `<div class="message-cell--threadmark-header"><span class="threadmarkLabel">${mark}</span></div>` : ''}<div class="message-body"><div class="bbWrapper">${body}</div></div><aside class="message-signature"><div class="bbWrapper">Sig of ${author}</div></aside></article>`;
    const thread = (posts: string): string => `<!DOCTYPE html><html id="XF" lang="en"><head><title>Low Tide [Original] | Board</title><meta property="og:site_name" content="Board"></head><body><h1 class="p-title-value">Low Tide [Original]</h1><div class="p-description"><a class="username">Ines</a><time datetime="2021-05-01T10:00:00+0000">May 1</time></div>${posts}</body></html>`;
    it('keep the starter\'s threadmarked posts as chapters: no replies, quotes of others or signatures', async () => {
      const r = await read(thread(post('Ines', `${PROSE}<br><br>${PROSE}`, 'Chapter 1') + post('Rook', `<blockquote class="bbCodeBlock bbCodeBlock--quote">${PROSE}</blockquote>Reply words.`) + post('Ines', '<blockquote class="bbCodeBlock bbCodeBlock--quote">Reply words.</blockquote>Thanks!') + post('Ines', PROSE, 'Chapter 2')));
      expect(r.story.meta.title).to.equal('Low Tide');
      expect(r.story.meta.authors).to.deep.equal(['Ines']);
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Chapter 1', 'Chapter 2']);
      const t = textOf(r);
      for (const s of ['Reply words', 'Sig of', 'Thanks!']) expect(t).not.to.include(s);
      expect(codes(r)).to.include('struct-003');
    });
    it('without threadmarks, every post of the starter is story and no other member\'s', async () => {
      const r = await read(thread(post('Ines', PROSE) + post('Rook', 'Reply words.') + post('Ines', `${PROSE} Second part.`)));
      expect(r.story.chapters).to.have.length(2);
      expect(textOf(r)).not.to.include('Reply words');
    });
    it('title: the thread title without the board\'s name, "Reader mode" and trailing tags', () => {
      expect(threadTitle('Reader mode | Low Tide (Original Fiction) [Complete] | Board', ['Board'])).to.equal('Low Tide');
      expect(threadTitle('(Worm) Low Tide', [])).to.equal('(Worm) Low Tide');
    });
  });

  describe('eFiction printable views', () => {
    it('read title, author, rating, summary and chapters, and leave the archive\'s lines out', async () => {
      const html = `<html><head><title>Archive</title></head><body><div id="pagetitle"><a href="viewstory.php?sid=7">Low Tide</a> by <a href="viewuser.php?uid=3">Ines Vale</a></div><div class="infobox"><div class="content"><span class="label">Summary: </span>The sea goes out.<br><span class="label">Rated:</span> G<br><span class="label"> Published: </span>01/02/2003 <span class="label">Updated:</span> 02/03/2003</div></div><div class="chaptertitle">1. Ebb by <a href="viewuser.php?uid=3">Ines Vale</a></div><div class="chapter">${PROSE}</div><div class="chaptertitle">2. Flow by <a href="viewuser.php?uid=3">Ines Vale</a></div><div class="chapter">${PROSE}</div><div id="archivedat">This story archived at <a href="http://a.example/viewstory.php?sid=7">http://a.example/viewstory.php?sid=7</a></div></body></html>`;
      const r = await read(html);
      expect(r.detection.format.name).to.equal('efiction');
      const m = r.story.meta;
      expect([m.title, m.authors, m.rating, m.published, m.updated, m.sourceUrl]).to.deep.equal(['Low Tide', ['Ines Vale'], 'G', '2003-01-02', '2003-02-03', 'http://a.example/viewstory.php?sid=7']);
      expect(blocksText(m.summary!)).to.equal('The sea goes out.');
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['Ebb', 'Flow']);
      expect(textOf(r)).not.to.include('archived');
    });
  });

  describe('CJK web-novel text files', () => {
    const body = (h: string): string => `${h}\n　　${'他把信放在灯下，等着潮水退去。'.repeat(4)}\n　　${'灯亮了一整夜。'.repeat(4)}\n`;
    it('read 书名/作者 lines, a blurb, volumes above chapters, and leave the notice box out', async () => {
      const text = `┏━━━━━━━━━━┓\n┃本书由某某书屋整理┃\n┗━━━━━━━━━━┛\n书名：灯下\n作者：白鹭\n\n内容简介：\n　　一封信的故事。\n\n第一卷 潮\n${body('第一章 信')}${body('第二章 灯')}第二卷 汐\n${body('第3章 潮水')}`;
      const r = await read(text, 'x.txt');
      expect(r.detection.format.name).to.equal('cjk-novel');
      expect([r.story.meta.title, r.story.meta.authors, r.story.meta.language]).to.deep.equal(['灯下', ['白鹭'], 'zh-Hans']);
      expect(blocksText(r.story.meta.summary!)).to.equal('一封信的故事。');
      expect(r.story.chapters.map((c) => c.title)).to.deep.equal(['第一卷 潮 · 第一章 信', '第一卷 潮 · 第二章 灯', '第二卷 汐 · 第3章 潮水']);
      expect(textOf(r)).not.to.include('本书由');
      expect(r.story.chapters[0]!.sections[0]!.blocks[0]).to.deep.equal({ kind: 'p', content: ['他把信放在灯下，等着潮水退去。'.repeat(4)] });
    });
    it('take a bare title above 作者：, with a note that it was a guess, and drop ＝-fenced notices', async () => {
      const hant = (h: string): string => `${h}\n　　${'他把信放在燈下，等著潮水退去。'.repeat(4)}\n　　${'燈亮了一整夜，誰也沒有說話。'.repeat(4)}\n`;
      const text = `＝＝＝＝＝＝＝＝\n本書由雲端整理，僅供交流\n＝＝＝＝＝＝＝＝\n\n燈下的信\n作者：白鷺\n\n${hant('第1章 信')}${hant('第2章 燈')}${hant('第3章 潮')}`;
      const r = await read(text, 'x.txt');
      expect([r.story.meta.title, r.story.meta.authors, r.story.meta.language]).to.deep.equal(['燈下的信', ['白鷺'], 'zh-Hant']);
      expect(codes(r)).to.include('meta-013');
      expect(textOf(r)).not.to.include('僅供');
    });
    it('read Korean 제N화 and Japanese 第N話 chapters, with their languages', async () => {
      const ko = await read(`제목: 달빛\n작가: 한여름\n\n제1화 손님\n　문에 달린 종이 울린 것은 새벽 두 시였다. 세탁소 주인은 고개를 들었다.\n제2화 얼룩\n　윤서는 셔츠를 물에 담갔다. 물이 천천히 회색으로 변했다.\n`, 'x.txt');
      expect([ko.story.meta.title, ko.story.meta.authors, ko.story.meta.language, ko.story.chapters.length]).to.deep.equal(['달빛', ['한여름'], 'ko', 2]);
      const ja = await read(`星の郵便局\n作者：早瀬\n\n第1話　手紙\n　その町では、流れ星は燃え尽きずに手紙になって落ちてくる。\n第2話　返事\n　天文台の老人は、封筒を見るなり笑った。それは空への返事だよ。\n`, 'x.txt');
      expect([ja.story.meta.title, ja.story.meta.authors, ja.story.meta.language]).to.deep.equal(['星の郵便局', ['早瀬'], 'ja']);
      expect(ja.story.chapters.map((c) => c.title)).to.deep.equal(['第1話 手紙', '第2話 返事']);
    });
  });

  describe('old mail and Usenet', () => {
    const story = `\t${PROSE}\n${PROSE}\n\n\t${PROSE}\n${PROSE}\n`;
    it('recognise a post with only From: and Date: headers (an address and a mail date)', async () => {
      const r = await read(`From: jo@example.org (Jo Bell)\nDate: 3 Mar 1997 10:15:00 GMT\n\n${story}`, 'x.txt');
      expect(r.detection.format.name).to.equal('mail');
      expect(r.story.meta.authors).to.deep.equal(['Jo Bell']);
      expect(r.story.meta.published).to.equal('1997-03-03');
      expect(textOf(r)).not.to.include('From:');
    });
    it('but not a story that opens with a note headed From: and Date: (no address, no time)', () => {
      const d = detectFormat({ path: 'x.txt', encoding: 'utf-8', text: `From: Mum\nDate: Tuesday\n\n${story}` });
      expect(d.format.name).not.to.equal('mail');
    });
    it('an archive opening with an archivist\'s note, a rule and an mbox From line keeps its title and drops every header', async () => {
      const r = await read(`[Archivist's note: kept as posted.]\n\n==============================\n\nFrom list-owner@example.org  Mon Mar  9 21:04:20 1998\nX-VM-v5-Data: ([nil nil]\n\t["1" "Monday"])\nReceived: from a by b\nDate: Mon, 9 Mar 1998 21:04:17 -0500\nFrom: Ada Finch <ada@example.edu>\nSubject: Demons, a short story.\nX-UIDL: 88\n\n${story}`, 'x.txt');
      expect(r.detection.format.name).to.equal('mail');
      expect(r.story.meta.title).to.equal('Demons, a short story.');
      for (const s of ['VM-v5', 'Received', 'X-UIDL', '=====', 'Archivist']) expect(textOf(r)).not.to.include(s);
    });
    it('a story\'s own centred title block beats the subject; a tab-indented one is found, and capitals are unshouted', async () => {
      const r = await read(`From: Ada Finch <ada@example.edu>\nSubject: Demons, a short story.\nDate: Mon, 9 Mar 1998 21:04:17 -0500\nMessage-ID: <1@example.edu>\n\n\t\t\tDEMONS\n\n\t\t\t  by\n\n\t\t\tAda Finch\n\n${story}`, 'x.txt');
      expect(r.story.meta.title).to.equal('Demons');
      expect(unshout('THE NIGHT OF THE FERRY')).to.equal('The Night of the Ferry');
      expect(unshout('Not Shouted')).to.equal('Not Shouted');
    });
  });

  describe('invented authors', () => {
    it('a generator is never the author', async () => {
      const r = await read(page(`<article>${prose(5)}</article>`, '<title>Low Tide</title><meta name="generator" content="SiteMaker 3.1"><meta name="author" content="SiteMaker">'));
      expect(r.story.meta.authors).to.deep.equal([]);
      expect(codes(r)).to.include.members(['meta-011', 'meta-002']);
    });
    it('a packer credited in the page ("Packed with", "Created by", "Downloaded with") is never the author', async () => {
      for (const credit of ['Packed with PageZip 2', 'Created by PageZip', 'Downloaded with PageZip']) {
        const r = await read(page(`<p>${credit}</p><p class="byline">by PageZip</p><article>${prose(5)}</article>`, '<title>Low Tide</title>'));
        expect(r.story.meta.authors, credit).to.deep.equal([]);
        expect(textOf(r), credit).not.to.include('PageZip');
      }
      expect(toolNames(parseHtmlPage(page('<p>Saved with Clipper 1.2 from the web</p>')).document)).to.include('Clipper');
      // A writer credited "Created by" is no tool.
      expect(toolNames(parseHtmlPage(page('<p>Created by Anna Vale</p>')).document)).to.deep.equal([]);
      const r = await read(page(`<p>Created by Anna Vale</p><article>${prose(5)}</article>`, '<title>Low Tide</title><meta name="author" content="Anna Vale">'));
      expect(r.story.meta.authors).to.deep.equal(['Anna Vale']);
    });
    it('the site\'s name is never the author (Open Graph site name, JSON-LD publisher or Organization)', async () => {
      const r = await read(page(`<article>${prose(5)}</article>`, '<title>Low Tide | Harbour Fics</title><meta property="og:site_name" content="Harbour Fics"><meta name="author" content="Harbour Fics">'));
      expect(r.story.meta.authors).to.deep.equal([]);
      expect(inventedAuthor('Harbour Fics', [], ['Harbour Fics'])).to.equal(true);
      expect(inventedAuthor('Ines Vale', ['PageZip'], ['Harbour Fics'])).to.equal(false);
    });
    it('when no author is stated there is none (no author at all, with its warning)', async () => {
      const r = await read(page(`<article>${prose(5)}</article>`, '<title>Low Tide</title>'));
      expect(r.story.meta.authors).to.deep.equal([]);
      expect(codes(r)).to.include('meta-002');
    });
  });
});
