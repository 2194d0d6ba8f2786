import { expect } from 'chai';
import { fillTemplate, safeFileName, truncateBytes, uniqueName } from '../../src/package/naming.js';

describe('output file names', () => {
  it('removes separators and traversal', () => {
    const n = safeFileName('../../../../tmp/x');
    expect(n).not.to.match(/[/\\]/);
    expect(n.startsWith('.')).to.equal(false);
    expect(safeFileName('a\\b/c:d*e?f"g<h>i|j')).to.equal('a b c d e f g h i j.epub');
  });
  it('avoids reserved device names and empty names', () => {
    expect(safeFileName('CON')).to.equal('book CON.epub');
    expect(safeFileName('...')).to.equal('book.epub');
    expect(safeFileName('\u0000\u0001')).to.equal('book.epub');
  });
  it('stays within 255 bytes without splitting characters', () => {
    const n = safeFileName('é'.repeat(2000));
    expect(Buffer.byteLength(n)).to.be.at.most(255);
    expect(n.endsWith('.epub')).to.equal(true);
    expect(truncateBytes('aé', 2)).to.equal('a');
  });
  it('fills templates and numbers collisions', () => {
    expect(fillTemplate('{author} - {title}', { author: 'mako', title: 'Couch' })).to.equal('mako - Couch');
    expect(fillTemplate('{author} - {title}', { title: 'Couch' })).to.equal('Couch');
    const taken = new Set<string>();
    expect(uniqueName('a.epub', taken)).to.equal('a.epub');
    expect(uniqueName('A.epub', taken)).to.equal('A (2).epub');
    expect(uniqueName('a.epub', taken)).to.equal('a (3).epub');
  });
});
