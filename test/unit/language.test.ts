/** Language tags: stated names and codes → BCP 47, detection from text, Chinese script. */
import { expect } from 'chai';
import { readStoryBytes } from '../../src/index.js';
import { canonicalTag, chineseScript, detectLanguage, languageTag, languageTagFor, SCRIPT_PAIRS, withChineseScript } from '../../src/read/language.js';

describe('language tags', () => {
  const STATED: [string, string | undefined][] = [
    ['English', 'en'],
    ['english', 'en'],
    ['en', 'en'],
    ['EN-gb', 'en-GB'],
    ['pt_BR', 'pt-BR'],
    ['Português brasileiro', 'pt-BR'],
    ['Deutsch', 'de'],
    ['German', 'de'],
    ['Español', 'es'],
    ['Français', 'fr'],
    ['Русский', 'ru'],
    ['Chinese', 'zh'],
    ['中文', 'zh'],
    ['中文-普通话 國語', 'zh'],
    ['繁體中文', 'zh-Hant'],
    ['简体中文', 'zh-Hans'],
    ['Traditional Chinese', 'zh-Hant'],
    ['日本語', 'ja'],
    ['Japanese', 'ja'],
    ['한국어', 'ko'],
    ['cmn', 'zh'],
    ['zho', 'zh'],
    ['cmn-Hant-TW', 'zh-Hant-TW'],
    ['jpn', 'ja'],
    ['eng', 'en'],
    ['fre', 'fr'],
    ['Esperanto', 'eo'],
    ['Tagalog', 'fil'],
    ['Old English (ca. 450-1100)', 'ang'],
    ['English, French', 'en'],
    ['und', undefined],
    ['Klingonese', undefined],
    ['', undefined],
  ];
  for (const [stated, tag] of STATED) {
    it(`"${stated}" → ${tag ?? 'nothing'}`, async () => {
      expect(await languageTag(stated)).to.equal(tag);
    });
  }

  it('keeps names it does not know as stated in the synchronous lookup', () => {
    const table: [string, string][] = [['Deutsch', 'de'], ['繁體中文', 'zh-Hant'], ['jpn', 'ja'], ['Elvish', 'Elvish'], [' Français ', 'fr']];
    for (const [stated, tag] of table) expect(languageTagFor(stated), stated).to.equal(tag);
  });

  it('canonicalises ISO 639-3 codes and refuses what is no tag', () => {
    const table: [string, string | undefined][] = [['arb', 'ar'], ['pes', 'fa'], ['swh', 'sw'], ['cmn', 'zh'], ['zh_tw', 'zh-TW'], ['x', undefined], ['english', undefined], ['en--gb', undefined]];
    for (const [code, tag] of table) expect(canonicalTag(code), code).to.equal(tag);
  });
});

describe('Chinese script', () => {
  it('compares pairs of distinct characters', () => {
    const [simplified, traditional] = SCRIPT_PAIRS;
    expect([...simplified]).to.have.length([...traditional].length);
    for (const ch of simplified) expect(traditional, ch).not.to.include(ch);
    expect(new Set(simplified).size).to.equal([...simplified].length);
    expect(new Set(traditional).size).to.equal([...traditional].length);
  });

  const TEXTS: [string, 'Hant' | 'Hans' | undefined][] = [
    ['他們說這個問題很難，還沒有人回答。', 'Hant'],
    ['他们说这个问题很难，还没有人回答。', 'Hans'],
    ['山上有一棵树', 'Hans'],
    ['山上有人', undefined], // no character that differs: neither script shows
    ['The rain fell.', undefined],
  ];
  for (const [text, script] of TEXTS) {
    it(`${text} → ${script ?? 'unknown'}`, () => {
      expect(chineseScript(text)).to.equal(script);
    });
  }

  it('adds the script only to a bare zh', () => {
    expect(withChineseScript('zh', '這是我們的書')).to.equal('zh-Hant');
    expect(withChineseScript('zh', '这是我们的书')).to.equal('zh-Hans');
    expect(withChineseScript('zh', '山')).to.equal('zh');
    expect(withChineseScript('zh-TW', '这是我们的书')).to.equal('zh-TW');
    expect(withChineseScript('en', '这是我们的书')).to.equal('en');
  });
});

describe('language detection', () => {
  const TEXTS: [string, string, string | undefined][] = [
    ['English', 'The lighthouse keeper climbed the stairs every evening and wound the clock that nobody else remembered. '.repeat(5), 'en'],
    ['German', 'Der Leuchtturmwärter stieg jeden Abend die Treppe hinauf und zog die Uhr auf, an die sich sonst niemand erinnerte. '.repeat(5), 'de'],
    ['traditional Chinese', '燈塔看守人每天晚上都爬上樓梯，為那座沒有人記得的鐘上發條。他們說這座燈塔已經很老了，可是他還是每天來。'.repeat(3), 'zh-Hant'],
    ['simplified Chinese', '灯塔看守人每天晚上都爬上楼梯，为那座没有人记得的钟上发条。他们说这座灯塔已经很老了，可是他还是每天来。'.repeat(3), 'zh-Hans'],
    ['Japanese', '灯台守は毎晩階段を上り、誰も覚えていない時計のねじを巻いた。'.repeat(3), 'ja'],
    ['kanji-heavy Japanese', '東京都港区芝公園四丁目灯台管理事務所長田中一郎氏談話記録第三号は、'.repeat(3), 'ja'],
    ['too little English', 'Too short to tell.', undefined],
  ];
  for (const [name, text, tag] of TEXTS) {
    it(`${name} → ${tag ?? 'nothing'}`, async () => {
      expect(await detectLanguage(text)).to.equal(tag);
    });
  }

  it('never answers with an ISO 639-3 code for Chinese', async () => {
    const tag = await detectLanguage('山水人口大小上下'.repeat(10));
    expect(tag).to.match(/^zh(?:-Han[st])?$/);
  });
});

describe('the language of a read story', () => {
  const TRADITIONAL = '燈塔看守人每天晚上都爬上樓梯，為那座沒有人記得的鐘上發條。他們說這座燈塔已經很老了，可是他還是每天來。';
  const SIMPLIFIED = '灯塔看守人每天晚上都爬上楼梯，为那座没有人记得的钟上发条。他们说这座灯塔已经很老了，可是他还是每天来。';
  const CASES: [string, string, string][] = [
    ['a stated "Chinese" gets its script from the text', `Title: 燈塔\nAuthor: 林\nLanguage: Chinese\n\n${TRADITIONAL}\n`, 'zh-Hant'],
    ['a stated "中文" likewise', `Title: 灯塔\nAuthor: 林\nLanguage: 中文\n\n${SIMPLIFIED}\n`, 'zh-Hans'],
    ['a stated "繁體中文" keeps its script', `Title: 燈塔\nAuthor: 林\nLanguage: 繁體中文\n\n${SIMPLIFIED}\n`, 'zh-Hant'],
    ['a stated ISO 639-3 code', `Title: 燈塔\nAuthor: 林\nLanguage: cmn\n\n${TRADITIONAL}\n`, 'zh-Hant'],
    ['detected, never cmn', `Title: 灯塔\nAuthor: 林\n\n${SIMPLIFIED}\n`, 'zh-Hans'],
  ];
  for (const [name, text, tag] of CASES) {
    it(`${name} → ${tag}`, async () => {
      const r = await readStoryBytes('s.txt', Buffer.from(text));
      expect(r.story.meta.language).to.equal(tag);
    });
  }
});
