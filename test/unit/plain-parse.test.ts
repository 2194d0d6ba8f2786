/**
 * The fast path for plain markup builds the tree parse5 builds, node for node (names, attributes,
 * text, comments, doctype, document mode, parents), or declines: on every HTML page the tests
 * have, on pages the fast path is meant for, and on thousands of pages mutated at random with the
 * markup that the HTML standard treats specially (a fixed seed, so a failure repeats).
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type LiteChild, type LiteDocument } from '../../src/read/html/dom.js';
import { parsePlainDocument } from '../../src/read/html/plain-parse.js';

/** The tree as lines: every node with what the readers can see of it. */
function shape(doc: LiteDocument): string {
  const out: string[] = [`#document ${doc.mode}`];
  const walk = (n: LiteChild, depth: number, parent: unknown): void => {
    const pad = ' '.repeat(depth);
    if (n.parentNode !== parent) out.push(`${pad}(wrong parent)`);
    if (n.nodeType === 3) out.push(`${pad}text ${JSON.stringify((n as { value: string }).value)}`);
    else if (n.nodeType === 8) out.push(`${pad}comment ${JSON.stringify((n as { data: string }).data)}`);
    else if (n.nodeType === 10) {
      const d = n as { name: string; publicId: string; systemId: string };
      out.push(`${pad}doctype ${JSON.stringify([d.name, d.publicId, d.systemId])}`);
    } else {
      const e = n as { tagName: string; namespaceURI: string; attrs: unknown[]; childNodes: LiteChild[]; content?: unknown };
      out.push(`${pad}<${e.tagName}> ${e.namespaceURI} ${JSON.stringify(e.attrs)}${e.content ? ' (template)' : ''}`);
      for (const c of e.childNodes) walk(c, depth + 1, n);
    }
  };
  for (const c of doc.childNodes) walk(c, 1, doc);
  return out.join('\n');
}

/** Whether the fast path declined `html` or built parse5's tree for it (throws with both otherwise). */
function agrees(html: string): 'fast' | 'declined' {
  const fast = parsePlainDocument(html);
  if (!fast) return 'declined';
  expect(shape(fast), JSON.stringify(html.slice(0, 400))).to.equal(shape(parseDocument(html)));
  return 'fast';
}

const fixtures = new URL('../../../test/fixtures/', import.meta.url).pathname;
const examples = new URL('../../../examples/', import.meta.url).pathname;

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return htmlFiles(p);
    return /\.(?:x?html?|htm)$/i.test(f) ? [p] : [];
  });
}

const pages = [...htmlFiles(fixtures), ...htmlFiles(examples)].map((p) => ({ path: p, html: readFileSync(p, 'utf8') }));

describe('html: the fast path for plain markup', () => {
  it('builds the tree parse5 builds for every page of the fixtures and examples, or declines', () => {
    const taken = pages.filter((p) => agrees(p.html) === 'fast').length;
    expect(pages.length).to.be.greaterThan(100);
    // Most saved pages (and every page the book writes) are plain; tables, misnesting and forms within forms are not.
    expect(taken).to.be.greaterThan(pages.length * 0.8);
  });

  it('takes an Archive download, a page without head or body, and the document shapes around them', () => {
    const cases = [
      '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="UTF-8"/>\n<title>T &amp; U</title>\n</head>\n<body>\n<div id="chapters" class="userstuff">\n<div class="meta group"><h2 class="heading">Chapter 1</h2></div>\n<div class="userstuff"><p>“Hi,” she <em>said</em>.<sup><a href="#fn1">1</a></sup></p>\n<hr/>\n<p>More &amp; more<br/>lines.</p></div>\n<ol><li id="fn1">A note. <a href="#fnref1">↩</a></li></ol>\n</div>\n</body>\n</html>\n',
      '<p>No head or body: <b>bold <i>both</i></b> a &lt; b, <3 and &notit; &amp</p><!-- end -->',
      '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title><style>p > b { x: "<p>" }</style></head><body class=a CLASS=b>\r\n<pre>\r\nkept\r\n</pre><ul><li>one<ul><li>two</li></ul></li><li>three</li></ul><dl><dt>t</dt><dd>d</dd></dl></body></html>\n\n<!-- after -->\n',
      '  <!-- before --> <html><!-- in html --> <head> </head> <!-- between --> <body><form><label>x <input name=a disabled/></label><button>go</button></form><script>if (a < b) x();</script></body> </html> ',
      '',
      'text only',
      '<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp>字<rt>ji</rt></ruby><noscript><p>shown</p></noscript><iframe><p>raw</p></iframe>',
    ];
    for (const html of cases) expect(agrees(html), html).to.equal('fast');
  });

  it('declines what the standard builds otherwise: misnesting, implied ends, tables, raw text it does not read', () => {
    const cases = [
      '<p>a<div>b</div></p>', '<b><i>x</b></i>', '<li>a<li>b', '<p>a<p>b', '<table><tr><td>x</table>', '<h1>a<h2>b</h2></h1>',
      '<a href=x>a<a href=y>b</a></a>', '<p>x</br>', '<svg><p>x</p></svg>', '<template><p>x</template>', '<pre>&#10;x</pre>',
      '<script><!-- x --></script>', '<p x=a"b>', '<o:p></o:p>', '<form><form>', '<textarea>x</textarea>', 'a\0b',
      '<body><body>', '<select><option>x</select>',
    ];
    for (const html of cases) expect(parsePlainDocument(html), html).to.equal(undefined);
  });

  it('decodes character references as parse5 does, in text and in attribute values', () => {
    const names = [
      'amp', 'AMP', 'lt', 'gt', 'GT', 'quot', 'QUOT', 'apos', 'nbsp', 'not', 'notin', 'notinva', 'copy', 'COPY', 'eacute', 'Eacute',
      'szlig', 'frac12', 'NotNestedLessLess', 'ThickSpace', 'fjlig', 'nGt', 'acE', 'bne', 'image', 'imagpart', 'pound', 'yen',
      'times', 'timesb', 'para', 'parallel', 'sup2', 'sup', 'supe', 'hellip', 'mdash', 'rsquo', 'zwnj', 'lrm', 'ge', 'gtcc',
      'bogus', 'a', '', '#', '#x', '#X', '#65', '#x41', '#X41', '#0', '#x0', '#128', '#x80', '#x9F', '#x81', '#xD800', '#xDFFF',
      '#x10FFFF', '#x110000', '#1114112', '#99999999999', '#0000065', '#xFFFE', '#x1F600', '#13', '#10', '#9', '#x0C', '#11', '#127',
    ];
    let taken = 0;
    for (const name of names) {
      for (const after of [';', '', 'x', '=', ';x', ' ', '1', '&', '<']) {
        const ref = `&${name}${after}`;
        for (const html of [`<p>${ref}</p>`, `<p>a${ref}b</p>`, `<p title="${ref}">x</p>`, `<p title='a${ref}b'>x</p>`, `<title>${ref}</title>`]) {
          if (agrees(html) === 'fast') taken++;
        }
      }
    }
    expect(taken).to.be.greaterThan(names.length * 9 * 4);
  });

  it('builds parse5\'s tree or declines on 4,000 pages mutated with special markup', () => {
    // A small generator with a fixed seed (mulberry32): the same pages every run.
    let seed = 20261206;
    const random = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
    const pieces = [
      '<p>', '</p>', '<div>', '</div>', '<li>', '</li>', '<ul>', '</ul>', '<ol>', '<b>', '</b>', '<i>', '</i>', '<em>', '</em>',
      '<a href="#x">', '</a>', '<br>', '</br>', '<br/>', '<hr>', '<pre>\n', '</pre>', '<table>', '<td>', '<tr>', '<h1>', '</h2>',
      '<dd>', '<dt>', '<dl>', '</dl>', '<span>', '</span>', '<!-- c -->', '<!-->', '<!--->', '<!-- a --!> b -->', '<!-- x --->',
      '<?xml x?>', '<!DOCTYPE html>', '<!doctype html public "-//W3C//DTD HTML 4.01//EN">', '<!x>', '<![CDATA[x]]>', '&amp;', '&amp', '&notit;',
      '&#0;', '&#x80;', '&#10;', '&#13;', '&nbsp', '&bogus;', '&#xD800;', '&#1114112;', '<', '>', '&', '"', "'", '=', '/', ' ', '\n',
      '\r', '\r\n', '\t', '\f', '\u00a0', '<title>t &amp; x</title>', '<style>p<b>{}</style>', '<script>if (a<b) {}</script>',
      '<script><!--</script>', '</script>', '</style>', '</title>', '<noscript><p>n</p></noscript>', '<form>', '</form>', '<button>',
      '</button>', '<ruby>漢<rt>kan</rt></ruby>', '<rt>', '<rp>', '<rb>', '<rtc>', '<ruby>', '</ruby>', '<select>', '<option>', '<svg>',
      '<math>', '<template>', '<body>', '</body>', '<html>', '</html>', '<head>', '</head>', '<meta charset="utf-8">', '<link rel=x>',
      '<iframe>x<p></iframe>', '<img src=x alt="a &amp; b">', '<a href=x/>', '<p class="a" class="b">', '<P CLASS=X>', '<nobr>',
      '<font color=red>', '<textarea>', '<xmp>', '<plaintext>', '<image>', '<input disabled/>', '<o:p>', '</p >', '</p x>', '<p/>',
      '\0', '\uFEFF', '<center>', '<dir>', '<main>', '<search>', '<details>', '<summary>', '<h3>', '</h3>', '<frameset>', '<caption>',
      '<li><ul><li>', '<blockquote>', '</blockquote>', '<span title="a>b">', "<img alt='x'>", '<a\nhref="y"\n>', '<br \n/>',
    ];
    const base = pages.map((p) => p.html).filter((h) => h.length < 20000 && parsePlainDocument(h));
    let taken = 0;
    for (let k = 0; k < 4000; k++) {
      let html = pick(base);
      for (let m = 1 + Math.floor(random() * 4); m > 0; m--) {
        const at = Math.floor(random() * (html.length + 1));
        const kind = random();
        if (kind < 0.6) html = html.slice(0, at) + pick(pieces) + html.slice(at);
        else if (kind < 0.75) html = html.slice(0, at) + html.slice(at + 1 + Math.floor(random() * 20));
        else if (kind < 0.9) html = html.slice(0, at) + html.slice(at, at + 40) + html.slice(at);
        else html = html.slice(0, at) + html.slice(at, at + 30).toUpperCase() + html.slice(at + 30);
      }
      if (agrees(html) === 'fast') taken++;
    }
    // Most mutations leave the markup plain; the comparison is only worth something when they do.
    expect(taken).to.be.greaterThan(500);
  });
});
