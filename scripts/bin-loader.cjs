#!/usr/bin/env node
/*
 * The fic2epub executable (dist/bundle/fic2epub.js, written by scripts/bundle.mjs): runs the
 * bundled CLI (cli.js) from V8's code cache when one is there, and leaves one for the next run.
 *
 * Why: compiling the CLI's JavaScript was about a fifth of a one-story build, every run; Node 20
 * has no compile cache of its own (module.enableCompileCache came with Node 22). The cache sits
 * beside the bundle, named after the bundle's content, so a rebuilt or edited bundle never runs
 * old code; V8 itself refuses a cache made by another Node or with other flags (then a new one is
 * written). A folder that cannot be written only means no cache: the CLI runs the same, compiled
 * as usual.
 */
'use strict';
const { readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');
// zlib's CRC-32 (the build loads zlib anyway), not a crypto hash: node:crypto is ~2 ms to load
// and a build no longer needs it. The name only has to change when the content does.
const { crc32 } = require('node:zlib');
// Node's own modules come with compiled code that V8 refuses once a flag has changed: those a
// build loads (os: the batch's thread count) are loaded before the flags below.
require('node:os');

// V8 lets the heap grow to about four times what is live after a full collection; a whole long
// work read as one page then peaks at twice what it holds. Growing by 30 % at a time keeps a
// 20 MB page near 420 MiB instead of 530 (CPU within noise, here and in batches).
// V8 compiles a regular expression to bytecode on its first match and again to machine code on
// its second; compiling it once, to machine code, halves what ~170 patterns cost a one-story
// build (most run a few times on a few lines: ~37 M of ~300 M instructions; a 2 MB page and a
// batch of 150 stories within noise). Both are set before the CLI is compiled, so the code cache
// always meets the same flags.
require('node:v8').setFlagsFromString('--heap-growing-percent=30');
require('node:v8').setFlagsFromString('--no-regexp-tier-up');

const file = join(__dirname, 'cli.js');
const bytes = readFileSync(file);
// Named by the bundle's content: V8 checks only the source's length before running cached code.
const cacheFile = join(__dirname, `.cli-${crc32(bytes).toString(16).padStart(8, '0')}-${bytes.length.toString(16)}.cache`);
// The bundle is ASCII (scripts/bundle.mjs): read as Latin-1, the same string without UTF-8's checks (~0.3 ms).
const source = bytes.toString('latin1');

/**
 * How much of the CLI a run compiles, for deciding whether its cache is worth keeping: 2 a build
 * that may draw a cover, 1 any other build, 0 the rest (help, version, inspect, codes, a usage error
 * or a failed build). A cache holds only what its writer compiled: one left by `--version` made
 * every later one-story build compile a third of its code again (~80 M more instructions).
 */
function reach(args, code) {
  if (code !== 0 || !args.includes('build') || args.some((a) => a === '--help' || a === '--version' || a === '--dry-run' || /^-[^-]*h/.test(a))) return 0;
  return args.some((a, i) => a === '--cover=none' || (a === '--cover' && args[i + 1] === 'none')) ? 1 : 2;
}

// The file: one byte, the reach of the run that wrote it, then V8's cached data.
let cachedReach = -1;
let cachedData;
try {
  const stored = readFileSync(cacheFile);
  if (stored.length > 1) [cachedReach, cachedData] = [stored[0], stored.subarray(1)];
} catch {
  // no cache yet
}
// cli.js is already the module's function (scripts/bundle.mjs).
const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
if (!cachedData || script.cachedDataRejected) cachedReach = -1;
// Made at exit, so the cache also holds the functions this run compiled (and those it was given).
process.once('exit', (code) => {
  const runReach = reach(process.argv.slice(2), code);
  if (runReach <= cachedReach) return;
  const temp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.of(runReach), script.createCachedData()]), { flag: 'wx' });
    renameSync(temp, cacheFile);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
  }
});
const cli = new Module(file, module);
cli.filename = file;
cli.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(file), cli, file, __dirname);
