import { expect } from 'chai';
import { el, escapeAttr, escapeText, frag, lines } from '../../src/render/xml.js';

describe('xml builder', () => {
  it('escapes text', () => {
    expect(escapeText('a < b && c > d')).to.equal('a &lt; b &amp;&amp; c &gt; d');
    expect(el('p', {}, '<script>alert(1)</script>').xml).to.equal('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
  it('escapes attribute values, quotes and whitespace included', () => {
    expect(escapeAttr('say "hi" & <go>\n')).to.equal('say &quot;hi&quot; &amp; &lt;go&gt;&#10;');
    expect(el('section', { 'aria-label': 'A "B" <C>' }).xml).to.equal('<section aria-label="A &quot;B&quot; &lt;C&gt;"></section>');
  });
  it('self-closes only void elements', () => {
    expect(el('hr', { class: 'scene-break' }).xml).to.equal('<hr class="scene-break"/>');
    expect(el('p', {}).xml).to.equal('<p></p>');
  });
  it('omits undefined and false attributes', () => {
    expect(el('p', { class: undefined, id: false, lang: 'en' }).xml).to.equal('<p lang="en"></p>');
  });
  it('rejects element and attribute names that are not XML names', () => {
    expect(() => el('p onclick=x', {})).to.throw(/invalid element name/);
    expect(() => el('p', { 'a b': 'x' })).to.throw(/invalid attribute name/);
  });
  it('nests, flattens arrays and skips empty children', () => {
    const x = el('div', {}, [el('em', {}, 'a'), undefined, null, false, ['b', [el('br')]]]);
    expect(x.xml).to.equal('<div><em>a</em>b<br/></div>');
    expect(frag('a', el('b')).xml).to.equal('a<b></b>');
    expect(lines(['x', 'y']).xml).to.equal('x\ny');
  });
});
