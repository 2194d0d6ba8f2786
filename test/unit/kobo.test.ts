import { expect } from 'chai';
import { koboBody, koboSpans, sentences, assertPortableNames } from '../../src/package/kobo.js';
import { koboPageProblems } from '../helpers/kobo.js';

const page = (body: string): string => `<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>${koboBody(body)}</body></html>`;

describe('kobo: sentences', () => {
  const cases: [string, string[]][] = [
    ['One. Two! Three? Four', ['One. ', 'Two! ', 'Three? ', 'Four']],
    ['“Go.” She went… Then: nothing.', ['“Go.” ', 'She went… ', 'Then: ', 'nothing.']],
    ['雨だ。傘は？ない！', ['雨だ。', '傘は？', 'ない！']],
    ['no end', ['no end']],
    ['Fish &amp; chips. Done.', ['Fish &amp; chips. ', 'Done.']],
    ['', []],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => expect(sentences(text)).to.deep.equal(expected));
});

describe('kobo: spans', () => {
  it('numbers blocks and the sentences inside them, across inline elements', () => {
    expect(koboSpans('<h1>Title</h1>\n<p>One. Two <em>three.</em> Four</p>')).to.equal(
      '<h1><span class="koboSpan" id="kobo.1.1">Title</span></h1>\n<p><span class="koboSpan" id="kobo.2.1">One. </span><span class="koboSpan" id="kobo.2.2">Two </span><em><span class="koboSpan" id="kobo.2.3">three.</span></em><span class="koboSpan" id="kobo.2.4"> Four</span></p>',
    );
  });

  it('a picture is a block of its own; preformatted text and ruby readings stay as they are; whitespace stays', () => {
    expect(koboSpans('<figure><img src="a.png" alt="x"/></figure>\n<pre>a. b.</pre>\n<p><ruby>雨<rp>(</rp><rt>あめ</rt><rp>)</rp></ruby>だ。</p>')).to.equal(
      '<figure><span class="koboSpan" id="kobo.1.1"><img src="a.png" alt="x"/></span></figure>\n<pre>a. b.</pre>\n<p><ruby><span class="koboSpan" id="kobo.2.1">雨</span><rp>(</rp><rt>あめ</rt><rp>)</rp></ruby><span class="koboSpan" id="kobo.2.2">だ。</span></p>',
    );
  });

  it('wraps the body in book-columns and book-inner, and passes the page checks', () => {
    const xhtml = page('<section><h1>T</h1>\n<p>A. <strong>B</strong> <em>C.</em></p>\n<ul><li>x. y</li></ul></section>');
    expect(koboPageProblems('t', xhtml)).to.deep.equal([]);
    // The checks can fail: text left outside, a missing wrapper.
    expect(koboPageProblems('t', '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body><p>bare</p></body></html>')).to.have.length(3);
  });

  it('refuses file names Kobo and Kindle mishandle', () => {
    expect(() => assertPortableNames([{ path: 'OEBPS/c001.xhtml', content: '' }])).to.not.throw();
    for (const name of ['OEBPS/a b.xhtml', 'OEBPS/wow!.xhtml', 'OEBPS/café.xhtml']) expect(() => assertPortableNames([{ path: name, content: '' }]), name).to.throw(/mishandle/);
  });
});
