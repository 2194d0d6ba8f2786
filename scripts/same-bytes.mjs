#!/usr/bin/env node
// Builds the reference books with two fic2epub bundles and says which differ, byte for byte:
//   node scripts/same-bytes.mjs <before: dist/bundle/fic2epub.js of another checkout> [after: this checkout's]
// The books: every golden case (with its options.json), the seed stories in ../shared/seeds (when
// present) and examples/ one book each, the same as Kobo books, as one anthology, and a batch of
// 200 stories built in one call (the worker-thread path). A change that is meant to change books
// names them in its commit; anything else must print "identical". Books that differ are opened:
// the entries that differ are named, and a PNG whose bytes differ but whose pixels are the same
// (decoded with pngjs) is counted apart, as "same pixels".
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [before, after = join(root, 'dist', 'bundle', 'fic2epub.js')] = process.argv.slice(2).map((p) => resolve(p));
if (!before || !existsSync(before) || !existsSync(after)) {
  console.error('usage: node scripts/same-bytes.mjs <before fic2epub.js> [after fic2epub.js]');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'fic2epub-same-bytes-'));
const golden = join(root, 'test', 'fixtures', 'golden');
const seeds = join(root, '..', 'shared', 'seeds');
const stories = [
  ...(existsSync(join(seeds, 'expected.json')) ? readdirSync(seeds).filter((f) => f.endsWith('.txt')).map((f) => join(seeds, f)) : []),
  ...readdirSync(join(root, 'examples')).map((f) => join(root, 'examples', f)),
];

// A batch of 200: the stories and the golden inputs, repeated under distinct names.
const batch = join(work, 'batch');
mkdirSync(batch);
const sources = [...stories, ...readdirSync(golden).map((c) => join(golden, c, readdirSync(join(golden, c)).find((f) => f.startsWith('input'))))];
for (let i = 0; i < 200; i++) {
  const src = sources[i % sources.length];
  cpSync(src, join(batch, `${String(i).padStart(3, '0')}-${src.split('/').pop()}`));
}

/** Each job: a name and the build arguments (inputs and options; --out is added). */
const jobs = [
  ...readdirSync(golden).map((c) => {
    const dir = join(golden, c);
    const input = readdirSync(dir).find((f) => f.startsWith('input'));
    const opts = existsSync(join(dir, 'options.json')) ? JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) : {};
    return [`golden/${c}`, [join(dir, input), ...(opts.images ? ['--images'] : [])]];
  }),
  ['stories', stories],
  ['stories-kobo', [...stories, '--target', 'kobo']],
  ['anthology', [...stories, '--anthology', 'Reference Anthology']],
  ['batch', [batch]],
];

function build(bin, side) {
  for (const [name, args] of jobs) {
    const out = join(work, side, name);
    mkdirSync(out, { recursive: true });
    try {
      execFileSync(process.execPath, [bin, 'build', ...args, '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      // A failed input is part of what is compared (its book is missing on both sides, or not).
      if (e.status !== 1) throw e;
    }
  }
}

/** The entries of two EPUBs that differ (a name only one has, or other bytes); a PNG with other bytes is compared by its pixels. */
async function differingEntries(fileA, fileB) {
  const { openArchive } = await import(join(root, 'dist', 'src', 'read', 'archive.js'));
  const [x, y] = [await openArchive(readFileSync(fileA)), await openArchive(readFileSync(fileB))];
  const out = [];
  for (const name of [...new Set([...x.names, ...y.names])].sort()) {
    if (!x.has(name) || !y.has(name)) {
      out.push({ name: `${name} (only ${x.has(name) ? 'before' : 'after'})`, samePixels: false });
      continue;
    }
    const [p, q] = [Buffer.from(await x.read(name)), Buffer.from(await y.read(name))];
    if (p.equals(q)) continue;
    let samePixels = false;
    if (name.endsWith('.png')) {
      const [i, j] = [PNG.sync.read(p), PNG.sync.read(q)];
      samePixels = i.width === j.width && i.height === j.height && i.data.equals(j.data);
    }
    out.push({ name, samePixels });
  }
  return out;
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

try {
  build(before, 'before');
  build(after, 'after');
  const a = new Set(files(join(work, 'before')).map((f) => relative(join(work, 'before'), f)));
  const b = new Set(files(join(work, 'after')).map((f) => relative(join(work, 'after'), f)));
  const all = [...new Set([...a, ...b])].sort();
  const differ = [];
  const samePixels = [];
  for (const f of all) {
    if (!a.has(f) || !b.has(f)) differ.push(`${f} (only ${a.has(f) ? 'before' : 'after'})`);
    else if (!readFileSync(join(work, 'before', f)).equals(readFileSync(join(work, 'after', f)))) {
      const entries = f.endsWith('.epub') || f.endsWith('.kepub.epub') ? await differingEntries(join(work, 'before', f), join(work, 'after', f)) : undefined;
      if (entries && entries.length && entries.every((e) => e.samePixels)) samePixels.push(f);
      else differ.push(entries ? `${f}: ${entries.filter((e) => !e.samePixels).map((e) => e.name).join(', ')}` : f);
    }
  }
  const byGroup = (list) => Object.entries(list.reduce((m, f) => ((m[f.split('/')[0] === 'golden' ? 'golden' : f.split('/')[0]] = (m[f.split('/')[0] === 'golden' ? 'golden' : f.split('/')[0]] ?? 0) + 1), m), {})).map(([k, n]) => `${k} ${n}`).join(', ');
  const identical = all.length - differ.length - samePixels.length;
  console.log(`${all.length} books compared (${byGroup(all)}): ${identical} identical, ${samePixels.length} differ only in PNG bytes with the same pixels, ${differ.length} differ`);
  for (const f of differ) console.log(`  differs: ${f}`);
  if (process.env.SAME_BYTES_REPORT) writeFileSync(process.env.SAME_BYTES_REPORT, JSON.stringify({ compared: all.length, differ }, null, 2));
  process.exitCode = differ.length ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}
