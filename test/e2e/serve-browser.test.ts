/**
 * The web app in a real browser (Debian's chromium, driven by puppeteer-core): drop stories,
 * correct one, order them, build an anthology, download it, and check the book with EPUBCheck;
 * a broken file shows its one-line error; axe-core finds no serious accessibility violation.
 * UPDATE_SCREENSHOTS=1 writes the README's screenshots to docs/.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startServer, type Serving } from '../../src/serve/index.js';
import { buildJob, coverPreview, features } from '../../src/serve/library.js';
import { openEpub } from '../helpers/epub.js';
import { describeMessages, epubcheck, requireEpubcheck } from '../helpers/epubcheck.js';
import { repoRoot } from '../helpers/paths.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Two stories in the shapes of saved fan fiction: a header block, then the text.
const STORIES = [
  {
    name: 'night-ferry.txt',
    text: `The Night Ferry

Title: The Night Ferry
Author: Juniper Vale
Fandom: Original Work
Rating: General Audiences
Warning(s): No Archive Warnings Apply
Word Count: 70

Chapter 1: Departure

The ferry left at midnight, its lamps swinging over black water.

***

Tomas stood at the rail and counted the harbour lights until there were none.

Chapter 2: Arrival

By dawn the island rose out of the mist, grey and green and quiet.

A/N: Thank you for reading! This one was written on a real ferry.
`,
  },
  {
    name: 'orchard.txt',
    text: `Orchard Hours

Title: Orchard Hours
Author: Bram Fielding
Fandom: Original Work
Rating: Teen And Up Audiences
Word Count: 45

Ada picked the last apples in October, when the frost had already found the grass.

She left one on every tree for the birds, as her grandmother had.
`,
  },
];

function haveChromium(ctx: Mocha.Context): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env.CI) throw new Error(`chromium is required in CI (${CHROMIUM})`);
  console.log(`      [skipped: no browser at ${CHROMIUM}]`);
  ctx.skip();
}

/** Drop files on the page as a desktop drag would: a drop event carrying them. */
async function dropFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    const zone = document.getElementById('drop')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
}

/** The whole page in docs/: the window stretched to the page's height (a full-page capture leaves the preview frame blank). */
async function screenshot(page: Page, name: string): Promise<void> {
  const width = page.viewport()!.width;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewport({ width, height });
  await new Promise((r) => setTimeout(r, 300)); // let the frame repaint at the new size
  await page.screenshot({ path: join(repoRoot, 'docs', name) });
  await page.setViewport({ width, height: 900 });
}

async function storyTitles(page: Page): Promise<string[]> {
  return page.$$eval('#stories .story.ok .story-title button', (els) => els.map((e) => e.textContent ?? ''));
}

describe('serve: the web app in a browser', function () {
  this.timeout(180_000);
  let s: Serving;
  let browser: Browser;
  let tmp: string;
  before(async function () {
    haveChromium(this);
    tmp = mkdtempSync(join(tmpdir(), 'fic2epub-serve-'));
    s = await startServer({ sourceDateEpoch: 1_700_000_000 });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(tmp, 'profile')}`],
    });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function open(opts: { bypassCsp?: boolean; width?: number; height?: number } = {}): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith(s.origin) && !/^(data|blob|about):/.test(r.url())) problems.push(`request to ${r.url()}`);
    });
    if (opts.bypassCsp) await page.setBypassCSP(true);
    await page.setViewport({ width: opts.width ?? 1200, height: opts.height ?? 900 });
    await page.goto(s.url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready]');
    return { page, problems };
  }

  it('drops two stories, renames one, orders them, builds an anthology and downloads it: EPUBCheck 0/0', async function () {
    await requireEpubcheck(this);
    const { page, problems } = await open();
    expect(page.url()).to.equal(`${s.origin}/`); // the token left the address bar for a cookie
    await dropFiles(page, STORIES);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2);
    expect(await storyTitles(page)).to.deep.equal(['The Night Ferry', 'Orchard Hours']);
    const card = await page.$eval('#stories .story.ok', (el) => el.textContent ?? '');
    expect(card).to.contain('by Juniper Vale').and.contain('General Audiences').and.contain('Original Work');
    // What reading noticed, in plain words (the author's note set apart: struct-004).
    expect(card).to.contain("Author's notes inside the story text were set apart under a label.");

    // Open the second story and rename it.
    const second = (await page.$$('#stories .story.ok'))[1]!;
    await (await second.$('.story-actions button'))!.click();
    const title = await page.waitForSelector('#stories .story.ok:nth-child(2) input[name="title"]');
    await title!.click({ count: 3 });
    await title!.type('Apples in Frost');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelectorAll('#stories .story-title button')[1]?.textContent === 'Apples in Frost');
    // Its page is previewed with the book's stylesheet, and its cover drawn.
    const srcdoc = await page.$eval('#stories .story.ok:nth-child(2) iframe', (f) => f.getAttribute('srcdoc') ?? '');
    expect(srcdoc).to.contain('last apples').and.contain('<style>');
    await page.waitForFunction(() => document.querySelector('#stories .story.ok:nth-child(2) iframe')?.getAttribute('srcdoc')?.includes('Apples in Frost'));
    const frame = await (await page.$('#stories .story.ok:nth-child(2) iframe'))!.contentFrame();
    await frame!.waitForFunction(() => document.body?.innerText.includes('last apples'));
    // The book's stylesheet applies under the page's policy: the paragraph after the first is indented.
    expect(await frame!.$eval('p + p', (p) => getComputedStyle(p).textIndent)).not.to.equal('0px');
    await page.waitForFunction(() => (document.querySelector('#stories .story.ok:nth-child(2) .cover img') as HTMLImageElement | null)?.naturalWidth === 300);

    // Keyboard order: move it up with its button; the focus stays on the moved story.
    await page.focus('#stories .story.ok:nth-child(2) .move-up');
    await page.keyboard.press('Enter');
    expect(await storyTitles(page)).to.deep.equal(['Apples in Frost', 'The Night Ferry']);
    expect(await page.evaluate(() => document.activeElement?.closest('.story')?.querySelector('.story-title button')?.textContent)).to.equal('Apples in Frost');
    expect(await page.$eval('#status', (e) => e.textContent)).to.contain('place 1 of 2');

    if (process.env.UPDATE_SCREENSHOTS === '1') await screenshot(page, 'web-app-desktop.png');

    // One anthology, downloaded through the page's link.
    await page.click('input[name="kind"][value="anthology"]');
    await page.type('#a-title', 'Crossings');
    await page.type('#a-editor', 'Mina Ashdown');
    const downloads = join(tmp, 'downloads');
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#build');
    const link = await page.waitForSelector('#results a[download]');
    expect(await link!.evaluate((a) => a.getAttribute('download'))).to.equal('Crossings.epub');
    await link!.click();
    const file = join(downloads, 'Crossings.epub');
    for (let i = 0; i < 200 && !(existsSync(file) && !readdirSync(downloads).some((f) => f.endsWith('.crdownload'))); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(file), 'the download').to.equal(true);

    const check = await epubcheck(file);
    expect([check.fatal, check.errors, check.warnings], describeMessages(check)).to.deep.equal([0, 0, 0]);
    const book = await openEpub(readFileSync(file));
    const opf = await book.text('OEBPS/content.opf');
    expect(opf).to.contain('>Crossings<').and.contain('Mina Ashdown');
    const contents = await book.text('OEBPS/contents.xhtml');
    expect(contents.indexOf('Apples in Frost')).to.be.greaterThan(-1).and.lessThan(contents.indexOf('The Night Ferry'));
    expect(contents).not.to.contain('Orchard Hours');
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('shows a broken file as one line naming it, beside the stories that were read', async () => {
    const { page } = await open();
    const broken = join(tmp, 'broken.txt');
    writeFileSync(broken, Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 0, 0]));
    await dropFiles(page, STORIES.slice(0, 1));
    const input = await page.$('#pick-files');
    await (input as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(broken);
    const error = await page.waitForSelector('#stories .story.failed .error');
    const text = await error!.evaluate((e) => (e as HTMLElement).innerText);
    expect(text).to.match(/^broken\.txt: .*binary/);
    expect(text.split('\n')).to.have.length(1);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 1);
    await page.close();
  });

  it("adds a chosen folder's stories (other files skipped) and orders them by dragging", async () => {
    const { page, problems } = await open();
    const folder = join(tmp, 'saved');
    mkdirSync(join(folder, 'more'), { recursive: true });
    writeFileSync(join(folder, STORIES[0]!.name), STORIES[0]!.text);
    writeFileSync(join(folder, 'more', STORIES[1]!.name), STORIES[1]!.text);
    writeFileSync(join(folder, 'picture.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    const input = await page.$('#pick-folder');
    await (input as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(folder);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2);
    expect(await page.$$eval('#stories .story', (els) => els.length)).to.equal(2);
    const before = await storyTitles(page);
    // A drag of the second card onto the first, as the browser sends it.
    await page.evaluate(() => {
      const [first, second] = [...document.querySelectorAll('#stories .story.ok')];
      const dt = new DataTransfer();
      second!.dispatchEvent(new DragEvent('dragstart', { dataTransfer: dt, bubbles: true }));
      first!.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      first!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      second!.dispatchEvent(new DragEvent('dragend', { dataTransfer: dt, bubbles: true }));
    });
    expect(await storyTitles(page)).to.deep.equal([before[1], before[0]]);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('takes a book dropped in: says it will be re-dressed when the library reads books, else why not', async () => {
    const { page } = await open();
    const built = await buildJob({ kind: 'books', stories: [{}], style: 'default', target: 'epub', cover: 'none' }, [{ name: STORIES[1]!.name, bytes: Buffer.from(STORIES[1]!.text) }], undefined, new AbortController().signal);
    await page.evaluate((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'Orchard Hours.epub', { type: 'application/epub+zip' }));
      document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [...built[0]!.bytes]);
    if (features().epubInput) {
      const note = await page.waitForSelector('#stories .story.ok .existing');
      expect(await note!.evaluate((e) => e.textContent)).to.match(/re-dresses/);
      expect(await storyTitles(page)).to.deep.equal(['Orchard Hours']);
    } else {
      const error = await page.waitForSelector('#stories .story.failed .error');
      expect(await error!.evaluate((e) => e.textContent)).to.match(/^Orchard Hours\.epub: this is an EPUB/);
    }
    await page.close();
  });

  it('makes one book per story with my own cover picture, with progress, and downloads them', async () => {
    const { page, problems } = await open();
    await dropFiles(page, STORIES);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2);
    const png = join(tmp, 'my-cover.png');
    writeFileSync(png, await coverPreview({ title: 'My Own Cover', authors: [], fandoms: [] }));
    await page.click('input[name="cover"][value="upload"]');
    // The picker offers JPEG pictures as well as PNG (the server takes both).
    expect(await page.$eval('#cover-file', (e) => e.getAttribute('accept'))).to.equal('image/png,image/jpeg');
    const input = await page.$('#cover-file');
    await (input as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(png);
    await page.waitForFunction(() => !(document.getElementById('cover-thumb') as HTMLImageElement).hidden);
    await page.click('#build');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === '2 books are ready.');
    const names = await page.$$eval('#results a[download]', (as) => as.map((a) => a.getAttribute('download')));
    expect(names).to.deep.equal(['Juniper Vale - The Night Ferry.epub', 'Bram Fielding - Orchard Hours.epub']);
    const downloads = join(tmp, 'downloads-books');
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#results a[download]');
    const file = join(downloads, names[0]!);
    for (let i = 0; i < 200 && !(existsSync(file) && !readdirSync(downloads).some((f) => f.endsWith('.crdownload'))); i++) await new Promise((r) => setTimeout(r, 100));
    const book = await openEpub(readFileSync(file));
    const coverName = book.names.find((n) => /cover.*\.png$/.test(n));
    expect(coverName, book.names.join(', ')).to.be.a('string');
    expect(Buffer.from(await book.zip.file(coverName!)!.async('uint8array')).equals(readFileSync(png))).to.equal(true);
    // All as one zip, written by the server with the project's ZIP writer.
    await page.click('#zip-all');
    const zipFile = join(downloads, 'books.zip');
    for (let i = 0; i < 200 && !(existsSync(zipFile) && !readdirSync(downloads).some((f) => f.endsWith('.crdownload'))); i++) await new Promise((r) => setTimeout(r, 100));
    const zip = await openEpub(readFileSync(zipFile));
    expect(zip.names).to.deep.equal(names);
    expect(Buffer.from(await zip.zip.file(names[0]!)!.async('uint8array')).equals(readFileSync(file))).to.equal(true);
    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.close();
  });

  it('cancels a build: the request is abandoned and the page says so', async () => {
    const { page } = await open();
    await dropFiles(page, STORIES);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2);
    // Hold the build request, so the cancel surely comes while it is under way.
    await page.setRequestInterception(true);
    let held = false;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/build')) held = true;
      else void r.continue();
    });
    await page.click('#build');
    await page.waitForFunction(() => !(document.getElementById('cancel') as HTMLButtonElement).hidden);
    expect(await page.$eval('#progress', (p) => (p as HTMLProgressElement).hidden)).to.equal(false);
    for (let i = 0; i < 100 && !held; i++) await new Promise((r) => setTimeout(r, 20));
    expect(held, 'the build request was sent').to.equal(true);
    await page.click('#cancel');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'Cancelled.');
    expect(await page.$$eval('#results li', (l) => l.length)).to.equal(0);
    expect(await page.$eval('#build', (b) => (b as HTMLButtonElement).disabled)).to.equal(false);
    await page.close();
  });

  it('has no serious or critical accessibility violation (axe-core), with stories, an error and an open editor', async () => {
    // axe is injected as a script tag, which the page's own policy (rightly) forbids.
    const { page } = await open({ bypassCsp: true });
    await dropFiles(page, [...STORIES, { name: 'empty.txt', text: '   ' }]);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2 && document.querySelectorAll('#stories .story.failed').length === 1);
    await page.click('#stories .story.ok .story-actions button');
    await page.waitForSelector('#stories .story.ok iframe');
    await page.click('input[name="kind"][value="anthology"]');
    await page.addScriptTag({ path: join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, JSON.stringify(violations)).to.deep.equal([]);
    await page.close();
  });

  it('is readable on a phone-sized window: nothing wider than the screen', async () => {
    const { page } = await open({ width: 390, height: 844 });
    await dropFiles(page, STORIES);
    await page.waitForFunction(() => document.querySelectorAll('#stories .story.ok').length === 2);
    if (process.env.UPDATE_SCREENSHOTS === '1') await screenshot(page, 'web-app-phone.png');
    await page.click('#stories .story.ok .story-actions button');
    await page.waitForSelector('#stories .story.ok iframe');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.equal(0);
    await page.close();
  });
});
