/**
 * The lines a journal or blog page shows around an entry and that are never story: its comment
 * form, navigation, sharing links and moods. The journal reader stops the story before them; a
 * book converted from a saved page keeps them at the end of its text, where the EPUB reader
 * drops them too.
 */
/** A journal page's poster line above the entry: "Ann Bell (annbell) wrote,", "… wrote in comm_name,". */
export const POSTER_LINE = /^\s*(.+?)\s*\(([\w-]+)\)\s+wrote(?:\s+in\s+\S+)?,?\s*$/;

const CHROME = [
  /^post a new comment$/i,
  /^anonymous comments are disabled/i,
  /^default userpic$/i,
  /^your ip address will be recorded/i,
  /^(?:previous|next) (?:post|entry)$/i,
  /^up$/i,
  /^(?:reply|thread|link|flag|share|edit|track|tags|memories|add to memories)$/i,
  /^(?:leave a comment|\d+ comments?|comments?(?: \(\d+\))?|no comments?)$/i,
  /^current (?:mood|music|location):/i,
  /^(?:mood|music|location):\s/i,
  /^(?:log in|sign up|create an account|home|profile|archive|subscribe)$/i,
  // "( 12 comments — Leave a comment )", "Previous Entry | Next Entry", "Tell a Friend", "Posted by x at 9:02 PM".
  /^\(\s*(?:\d+\s+comments?\s*[—–-]\s*)?(?:leave a comment|reply)\s*\)$/i,
  /^(?:[«‹<]\s*)?(?:previous|next)\s+(?:entry|post)(?:\s*[|•·]?\s*(?:share|add memory|tell a friend)?\s*[|•·]?\s*(?:previous|next)\s+(?:entry|post))?(?:\s*[»›>])?$/i,
  /^(?:tell a friend|add memory|share this entry|share this)$/i,
  /^posted by\s.{1,60}\sat\s\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$/i,
];


// The lines above as one pattern, compiled once on first use instead of fifteen times (~0.5 ms of
// a one-story build); the same answers: a unit test compares.
let anyChrome: RegExp | undefined;

/** True for a line of a journal page's chrome ("Post a new comment", "Previous Entry | Next Entry"). */
export function isPageChrome(line: string): boolean {
  // A bullet a converter mis-decoded (U+FFFD) is a bullet too.
  const t = line.replace(/^[\s•·*\-–\uFFFD]+/, '').trim();
  anyChrome ??= new RegExp(CHROME.map((re) => `(?:${re.source})`).join('|'), 'i');
  return anyChrome.test(t);
}

/** The chrome patterns one by one (what `isPageChrome` answers, for its test). */
export const CHROME_PATTERNS: readonly RegExp[] = CHROME;
