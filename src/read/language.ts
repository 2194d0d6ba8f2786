/**
 * Languages as BCP 47 tags, in one place: a stated language (a tag, an ISO 639 code, or a name
 * in English or in the language itself) → its tag, and a guess from the text when nothing is
 * stated. Chinese is `zh`, with `-Hant` / `-Hans` decided by the characters the text uses;
 * ISO 639-3 codes (franc's answers) become the two-letter tags where BCP 47 prefers them.
 */

// Below this many letters a trigram guess is unreliable. franc's cost grows with the sample
// (it was a quarter of reading a story at 2,000 characters); on the seeds and on German and
// Dutch samples its answer was the same at 500, 1,000 and 2,000 characters, so 1,000 it is.
const MIN_SAMPLE = 300;

/** Characters of story text that `detectLanguage` looks at (callers sample this much). */
export const LANGUAGE_SAMPLE = 1000;

// Common characters written differently in simplified and traditional Chinese, listed so that
// neither string holds a character the other script also uses (云/雲, 后/後, 里/裡 left out).
const SIMPLIFIED_ONLY = '这们说来时会对为过还没样么让给长开门问间听见觉东车马边头发现点学国话电爱气经关实钱两从书买卖写应该无谁请认识记讲变机难题愿场张亲体单运动鸟龙飞风华语视传钟岁热备师乐欢叶脸闻阳阴网闪线红绿蓝黄习惯轻厅厨灯医药进远连选达带帮当总虽虚个树处声乡岛梦灵狮湾兴义众';
const TRADITIONAL_ONLY = '這們說來時會對為過還沒樣麼讓給長開門問間聽見覺東車馬邊頭發現點學國話電愛氣經關實錢兩從書買賣寫應該無誰請認識記講變機難題願場張親體單運動鳥龍飛風華語視傳鐘歲熱備師樂歡葉臉聞陽陰網閃線紅綠藍黃習慣輕廳廚燈醫藥進遠連選達帶幫當總雖虛個樹處聲鄉島夢靈獅灣興義眾';
const SIMPLIFIED = new Set(SIMPLIFIED_ONLY);
const TRADITIONAL = new Set(TRADITIONAL_ONLY);

/** The pairs of characters the script guess compares (for tests: same length, no overlap). */
export const SCRIPT_PAIRS: readonly [simplified: string, traditional: string] = [SIMPLIFIED_ONLY, TRADITIONAL_ONLY];

/**
 * The script a Chinese text is written in, from the characters that differ between the two:
 * `Hant` when traditional forms outnumber simplified ones, `Hans` for the reverse, undefined
 * when the text holds neither (or as many of each).
 */
export function chineseScript(text: string): 'Hant' | 'Hans' | undefined {
  let simplified = 0;
  let traditional = 0;
  for (const ch of text) {
    if (SIMPLIFIED.has(ch)) simplified++;
    else if (TRADITIONAL.has(ch)) traditional++;
  }
  if (traditional > simplified) return 'Hant';
  if (simplified > traditional) return 'Hans';
  return undefined;
}

/** `zh` (no script, no region) made `zh-Hant` / `zh-Hans` when `text` shows its script; any
 * other tag is returned as it is. */
export function withChineseScript(tag: string, text: string): string {
  if (tag !== 'zh') return tag;
  const script = chineseScript(text);
  return script ? `zh-${script}` : tag;
}

// A language tag or ISO 639 code as written: "en", "EN-gb", "pt_BR", "cmn-Hant", "jpn".
const TAG_LIKE = /^[a-z]{2,3}(?:[-_][a-z0-9]{1,8})*$/i;

/**
 * A tag-like string in canonical BCP 47 form ("EN-gb" → "en-GB", "cmn" → "zh", "jpn" → "ja",
 * "zh_TW" → "zh-TW"), or undefined when it is no valid tag. `und` (undetermined) is no answer.
 */
export function canonicalTag(code: string): string | undefined {
  const s = code.trim().replace(/_/g, '-');
  if (!TAG_LIKE.test(s)) return undefined;
  let tag: string | undefined;
  try {
    // ICU's alias data maps ISO 639-3 and 639-2/B codes to the preferred (two-letter) subtag.
    tag = Intl.getCanonicalLocales(s)[0];
  } catch {
    return undefined;
  }
  return tag && tag !== 'und' && !tag.startsWith('und-') ? tag : undefined;
}

/** Language names as people state them (in English and in the language itself; AO3 shows each
 * language by its own name) → tags. Keys are lower case. */
const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en', español: 'es', spanish: 'es', castellano: 'es', français: 'fr', french: 'fr', deutsch: 'de', german: 'de',
  italiano: 'it', italian: 'it', português: 'pt', portuguese: 'pt', 'português brasileiro': 'pt-BR', 'brazilian portuguese': 'pt-BR',
  'português europeu': 'pt-PT', русский: 'ru', russian: 'ru',
  chinese: 'zh', 中文: 'zh', 汉语: 'zh', 漢語: 'zh', 华语: 'zh', 華語: 'zh', 普通话: 'zh', 國語: 'zh', '中文-普通话 國語': 'zh',
  'traditional chinese': 'zh-Hant', 'chinese (traditional)': 'zh-Hant', 繁體中文: 'zh-Hant', 繁体中文: 'zh-Hant', 正體中文: 'zh-Hant', 繁體: 'zh-Hant',
  'simplified chinese': 'zh-Hans', 'chinese (simplified)': 'zh-Hans', 简体中文: 'zh-Hans', 簡體中文: 'zh-Hans', 简体: 'zh-Hans',
  cantonese: 'yue', 廣東話: 'yue', 广东话: 'yue', 粵語: 'yue', 粤语: 'yue', '中文-廣東話 粵語': 'yue',
  日本語: 'ja', japanese: 'ja', 한국어: 'ko', korean: 'ko', nederlands: 'nl', dutch: 'nl', polski: 'pl',
  polish: 'pl', svenska: 'sv', swedish: 'sv', suomi: 'fi', finnish: 'fi', dansk: 'da', danish: 'da',
  norsk: 'no', norwegian: 'no', türkçe: 'tr', turkish: 'tr', čeština: 'cs', czech: 'cs', magyar: 'hu',
  hungarian: 'hu', 'tiếng việt': 'vi', vietnamese: 'vi', 'bahasa indonesia': 'id', indonesian: 'id',
  'bahasa malaysia': 'ms', malay: 'ms', العربية: 'ar', arabic: 'ar', עברית: 'he', hebrew: 'he', ελληνικά: 'el',
  greek: 'el', català: 'ca', catalan: 'ca', українська: 'uk', ukrainian: 'uk', română: 'ro',
  romanian: 'ro', filipino: 'fil', esperanto: 'eo', latina: 'la', latin: 'la', eesti: 'et', estonian: 'et', lietuvių: 'lt',
  lithuanian: 'lt', latviešu: 'lv', latvian: 'lv', slovenčina: 'sk', slovak: 'sk', slovenščina: 'sl', slovenian: 'sl',
  hrvatski: 'hr', croatian: 'hr', srpski: 'sr', serbian: 'sr', български: 'bg', bulgarian: 'bg',
  ไทย: 'th', thai: 'th', हिन्दी: 'hi', hindi: 'hi', gaeilge: 'ga', irish: 'ga', cymraeg: 'cy', welsh: 'cy', íslenska: 'is', icelandic: 'is',
  فارسی: 'fa', persian: 'fa',
};

/**
 * A stated language as a BCP 47 tag, from the names table or a tag-like code, synchronously;
 * undefined when it is neither (see `languageTag` for the full lookup).
 */
export function knownLanguageTag(stated: string): string | undefined {
  const s = stated.trim().replace(/\s+/g, ' ');
  return LANGUAGE_NAMES[s.toLowerCase()] ?? canonicalTag(s);
}

/** A stated language name as a BCP 47 tag; unknown names are kept as stated (resolved later by
 * `languageTag`). For readers that store what the source says while they read. */
export function languageTagFor(name: string): string {
  return knownLanguageTag(name) ?? name.trim();
}

let englishNames: Map<string, string> | undefined;

/**
 * A stated language ("English", "en-GB", "jpn", "Deutsch", "繁體中文") as a BCP 47 tag, or
 * undefined. Tries the names table, then the tag forms, then the English names of every ISO
 * 639-3 language, then the first of a list ("English, French").
 */
export async function languageTag(stated: string): Promise<string | undefined> {
  const s = stated.trim();
  if (!s) return undefined;
  const known = knownLanguageTag(s);
  if (known) return known;
  if (!englishNames) {
    // Loaded only for names the table does not hold: the full list costs ~30 ms.
    const { iso6393 } = await import('iso-639-3');
    englishNames = new Map();
    for (const l of iso6393) englishNames.set(l.name.toLowerCase(), l.iso6391 ?? l.iso6393);
  }
  const code = englishNames.get(s.toLowerCase());
  if (code) return canonicalTag(code);
  const parts = s.split(/\s*(?:[,;/&+]|\band\b)\s*/).filter((p) => p.length > 0);
  return parts.length > 1 ? languageTag(parts[0]!) : undefined;
}

// A guess's tag by its ISO 639-3 code, asked of ICU once per code (per story it was ~15 % of detection).
const guessedTags = new Map<string, string>();

const KANA = /[\u3041-\u309f\u30a0-\u30ff]/gu;
// Made when a guess says Chinese: the script class costs ~0.4 ms to build at start-up.
let hanRegExp: RegExp | undefined;
const hanPattern = (): RegExp => (hanRegExp ??= /\p{Script=Han}/gu);

/**
 * Detect the language of `text` (the first `LANGUAGE_SAMPLE` characters are read) as a BCP 47
 * tag; undefined when the sample is too small or the guess unsure. Chinese gets its script
 * subtag; text in Han characters that also uses kana is Japanese (franc counts the script with
 * the most characters, and kanji-heavy Japanese has more Han than kana).
 */
export async function detectLanguage(text: string): Promise<string | undefined> {
  const sample = text.slice(0, LANGUAGE_SAMPLE);
  if (sample.replace(/\s+/g, '').length < MIN_SAMPLE && !/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(sample)) return undefined;
  const { guessLanguage, UNDETERMINED } = await import('./language-guess.js');
  const code = guessLanguage(sample, 20);
  if (code === UNDETERMINED) return undefined;
  let tag = guessedTags.get(code);
  if (!tag) guessedTags.set(code, (tag = canonicalTag(code) ?? code));
  if (tag.split('-')[0] !== 'zh') return tag;
  const kana = sample.match(KANA)?.length ?? 0;
  const han = sample.match(hanPattern())?.length ?? 0;
  if (kana >= Math.max(3, han * 0.05)) return 'ja';
  return withChineseScript('zh', sample);
}
