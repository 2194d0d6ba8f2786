/**
 * A long work in the shape of the Archive's "Download → HTML" file (preface with tag list,
 * summary and notes; `#chapters` of `div.meta.group` + `div.userstuff` per chapter; afterword),
 * of about `bytes` bytes: 30 chapters per 2 MB, ~220 bytes a paragraph, with italics, bold,
 * dialogue, a centred scene-break mark and a footnote now and then. The prose is made here from a
 * few original sentences, the same for the same size.
 */
const SENTENCES = [
  'The ferry left the quay an hour late, and nobody on board seemed to mind.',
  '“You counted the crates twice,” Mara said, “and still got a different number.”',
  'He kept the ledger open on his knee, <em>as if it might answer for him</em>.',
  'Rain came in sideways over the harbour wall and settled in the coils of rope.',
  '“Forty-one,” said the clerk. “<strong>Forty-one</strong>, and not one more.”',
  'Somewhere below deck a kettle began to whistle, thin and patient.',
  'She wrote the figure down, crossed it out, and wrote it again more slowly.',
  'The gulls had given up on them by the time the lighthouse came into view.',
];

function paragraph(i: number): string {
  const n = 2 + (i % 3);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) parts.push(SENTENCES[(i * 3 + k * 5) % SENTENCES.length]!);
  return `<p>${parts.join(' ')}</p>`;
}

function chapter(c: number, paragraphs: number, start: number): string {
  const body: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    const n = start + i;
    if (i > 0 && i % 97 === 0) body.push('<p style="text-align: center;">* * *</p>');
    body.push(i === 5 && c % 4 === 0 ? `<p>The tally would not come right.<sup><a href="#fn${c}" id="fnref${c}">1</a></sup></p>` : paragraph(n));
  }
  const note = c % 4 === 0 ? `<div class="footnotes"><ol><li id="fn${c}"><p>Crates were counted by the dozen then. <a href="#fnref${c}">↩</a></p></li></ol></div>` : '';
  return `  <div class="meta group">
    <h2 class="heading">Chapter ${c}: Crossing ${c}</h2>
  </div>
  <div class="userstuff">
${body.join('\n')}
${note}
  </div>
`;
}

/** An AO3 download of about `bytes` bytes. */
export function ao3Page(bytes: number): string {
  const chapters = Math.max(1, Math.round((bytes / 2_000_000) * 30));
  const perChapter = Math.max(1, Math.round(bytes / chapters / 222));
  const out: string[] = [`<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8"/>
<title>The Long Crossing - Bench Writer - Original Work [Archive of Our Own]</title>
</head>
<body>
<div id="preface">
  <p class="message"><b>The Long Crossing</b><br/>Posted originally on the <a href="http://archiveofourown.org/">Archive of Our Own</a> at <a href="http://archiveofourown.org/works/1000001">http://archiveofourown.org/works/1000001</a>.</p>
  <div class="meta">
    <dl class="tags">
      <dt>Rating:</dt><dd><a href="http://archiveofourown.org/tags/General%20Audiences">General Audiences</a></dd>
      <dt>Fandom:</dt><dd><a href="http://archiveofourown.org/tags/Original%20Work">Original Work</a></dd>
      <dt>Language:</dt><dd>English</dd>
      <dt>Stats:</dt><dd>Published: 2024-01-02 Words: ${Math.round(bytes / 6)} Chapters: ${chapters}/${chapters}</dd>
    </dl>
    <h1>The Long Crossing</h1>
    <div class="byline">by <a rel="author" href="http://archiveofourown.org/users/BenchWriter/pseuds/BenchWriter">BenchWriter</a></div>
    <p>Summary</p>
    <blockquote class="userstuff"><p>A ferry, a ledger, and a count that will not come right.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
`];
  for (let c = 1; c <= chapters; c++) out.push(chapter(c, perChapter, c * perChapter));
  out.push(`</div>
<div id="afterword">
  <p class="message">Please <a href="http://archiveofourown.org/works/1000001/comments/new">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>
</div>
</body>
</html>
`);
  return out.join('');
}
