import { expect } from 'chai';
import { parse } from 'yaml';
import { parseMetaText } from '../../src/read/meta-file.js';

/** What the YAML parser makes of `text`, or the error it throws. */
function viaYaml(text: string): unknown {
  try {
    return parse(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function viaMetaText(text: string): unknown {
  try {
    return parseMetaText(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('parseMetaText', () => {
  // Plain lines it reads itself, and everything the YAML parser must still decide.
  const cases = [
    'title: Story 0004\n',
    'title: Harbour Lights\nauthor: Ann Reed\nfandom: Tide\n',
    'title: Story 7\n\nrating: Teen\n',
    'title: true\n',
    'title: Null\n',
    'null: x\n',
    'TRUE: x\n',
    'title: 12\n',
    'title: x1e3\n',
    'series_index: 3\n',
    'title: a\ntitle: b\n',
    'title: two  spaces\n',
    'title: trailing \n',
    'title: with # comment\n',
    "title: 'quoted'\n",
    'title: Crème brûlée\n',
    'title: Story 4\r\n',
    '\uFEFFtitle: Story 4\n',
    '---\ntitle: Story 4\n',
    '  title: indented\n',
    'title:\n',
    '',
    '\n\n',
    '# only a comment\n',
    'tags: [a, b]\n',
  ];
  for (const text of cases) {
    it(`reads ${JSON.stringify(text)} as the YAML parser does`, () => {
      expect(viaMetaText(text)).to.deep.equal(viaYaml(text));
    });
  }
});
