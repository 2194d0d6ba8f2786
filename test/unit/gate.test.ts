/** Gate pages and binary formats: named when they are what they look like, never a story that mentions them. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { binaryFormat, gatePage, visibleLength } from '../../src/read/gate.js';
import { titleFromFileName } from '../../src/read/finalize.js';
import { fixture } from '../helpers/paths.js';

describe('gate pages', () => {
  it('names every gate fixture', () => {
    for (const name of ['ao3-adult.html', 'cloudflare.html', 'ao3-login.html', 'ffn-not-found.html', 'wattpad-login.html', 'not-found.html']) {
      expect(gatePage(readFileSync(fixture('gate', name), 'utf8')), name).to.match(/^this is .+, not a story: .+/);
    }
  });

  it('leaves a long story that mentions 404s, logins and "just a moment" alone', () => {
    const prose = 'She typed the address again and got Error 404 - not found, twice. "Log in to continue reading," the screen said. "Just a moment..." he answered. '.repeat(40);
    expect(gatePage(`<html><head><title>404 Not Found</title></head><body><p>${prose}</p></body></html>`)).to.equal(undefined);
    expect(gatePage(`Title: Just a moment...\nAuthor: Ann\n\n${prose}`)).to.equal(undefined);
  });
});

// The regular expressions the one-pass count stands for (they made ~350 MB of garbage on a 20 MB page).
const byRegex = (text: string): number =>
  text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '').replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').length;

describe('visible length of a page', () => {
  const cases = [
    '', 'plain words', '  lead and  trail  ', '<p>a</p> <p> b </p>', 'a < b and c > d', 'unclosed <tag at the end',
    'x<script>var a = "<p>";</script>y', '<SCRIPT src=x>1</Script>2', '<scripts>kept</scripts>', '<style>p{}</style >z',
    'a <style>one</style> b <style>never closed', '<script>no end <p>tag</p> left', 'a<<b>>c', '<a title="<script>">t</a></script>u',
    'a<\n b>c\u00a0\u3000d\u2028e\ufeff', 'tab\tand\u000bvertical', '<b\n>x</b\n>', '\ud83d\ude00 <i>\ud83d</i>',
  ];
  it('counts what the regular expressions leave, in one pass', () => {
    for (const text of cases) expect(visibleLength(text), JSON.stringify(text)).to.equal(byRegex(text));
  });

  it('agrees with them on generated markup, and stops early only past its bound', () => {
    const pieces = ['<', '>', 'script', 'style', '</script>', '</STYLE>', '<script>', '<style a>', ' ', '\n', '\u00a0', 'word', '<b>', '</b>', '\u3000', 'é'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % pieces.length;
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + (n % 40) }, () => pieces[next()]).join('');
      const expected = byRegex(text);
      expect(visibleLength(text), JSON.stringify(text)).to.equal(expected);
      expect(visibleLength(text, 10) < 10, JSON.stringify(text)).to.equal(expected < 10);
    }
  });
});

describe('binary formats', () => {
  it('names PDF and RTF by their bytes and lets text and EPUB through', () => {
    expect(binaryFormat(Buffer.from('%PDF-1.5\n'), 'x.txt')).to.match(/PDF document/);
    expect(binaryFormat(Buffer.from('{\\rtf1 hi}'), 'x.txt')).to.match(/RTF document/);
    expect(binaryFormat(Buffer.from('Title: Tea\n'), 'x.pdf')).to.equal(undefined);
    expect(binaryFormat(Buffer.from('PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/epub+zip', 'latin1'), 'x.epub')).to.equal(undefined);
  });
});

describe('titles from file names', () => {
  it('takes a name that reads as a title, and nothing else', () => {
    expect(titleFromFileName('saved/couch.txt')).to.equal('Couch');
    expect(titleFromFileName('the_long_night.md')).to.equal('The Long Night');
    expect(titleFromFileName('a-night-of-the-hunter.txt')).to.equal('A Night of the Hunter');
    expect(titleFromFileName('McKay Rides Again.html')).to.equal('McKay Rides Again');
    for (const junk of ['chapter_03_final(2).txt', '3f9a2c7be1d04e55.html', 'story.html', 'x.txt', 'new document.txt', 'stdin', 'Untitled.txt']) {
      expect(titleFromFileName(junk), junk).to.equal(undefined);
    }
  });
});
