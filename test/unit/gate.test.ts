/** Gate pages and binary formats: named when they are what they look like, never a story that mentions them. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { binaryFormat, gatePage } from '../../src/read/gate.js';
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
