/** Test helper: hard-wrap text the way mail, news and old text editors did. */

/** Greedy wrap at `width` columns; the indent counts as its length (a tab as one column, as
 * many wrappers counted it). */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  out.push(line);
  return out;
}
