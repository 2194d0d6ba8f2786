/*
 * The batch worker (dist/bundle/worker.js, written by scripts/bundle.mjs): runs the bundled worker
 * code (worker-body.js) from V8's code cache when one is there.
 *
 * Why: each worker compiled its ~1 MB of JavaScript afresh, and then every function it ran on
 * first use: ~90 ms of CPU per worker start, every batch. A worker is terminated when its batch
 * ends (no exit to write a cache at), so a worker without a usable cache writes one once its
 * first results are posted (a few jobs), holding the functions those jobs compiled. The cache is named after the
 * body's content; V8 refuses one made by another Node or with other flags (a new one is written).
 * A folder that cannot be written only means no cache.
 */
'use strict';
// The worker exposes `gc` to its cover painter (src/worker.ts). Set here, before compiling: the
// flags at compile time must be those the cache was made under, or V8 refuses it.
require('node:v8').setFlagsFromString('--expose-gc');
// Each worker optimises the same few hundred functions afresh, on the same two cores as the
// stories: with less inlined into each (920 bytes of bytecode by default), V8's compiler threads
// spent ~1.2 s instead of ~1.5 s on 1,000 stories, with no slower stories (9 interleaved runs).
require('node:v8').setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
const { readFileSync, renameSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { parentPort, threadId } = require('node:worker_threads');
const { crc32 } = require('node:zlib');

const file = join(__dirname, 'worker-body.js');
const bytes = readFileSync(file);
const cacheFile = join(__dirname, `.worker-${crc32(bytes).toString(16).padStart(8, '0')}-${bytes.length.toString(16)}.cache`);
// The bundle is ASCII (scripts/bundle.mjs): read as Latin-1, the same string without UTF-8's checks.
const source = bytes.toString('latin1');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // no cache yet
}
// worker-body.js is already the module's function (scripts/bundle.mjs).
const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
if (parentPort && (!cachedData || script.cachedDataRejected)) {
  const post = parentPort.postMessage;
  parentPort.postMessage = function postThenCache(...args) {
    post.apply(this, args);
    parentPort.postMessage = post;
    // With the results on their way, before the next job (which waits a turn of the event loop).
    setImmediate(() => {
      const data = script.createCachedData();
      const temp = `${cacheFile}.${process.pid}-${threadId}`;
      try {
        writeFileSync(temp, data, { flag: 'wx' });
        renameSync(temp, cacheFile);
      } catch {
        try {
          unlinkSync(temp);
        } catch {
          // nothing was written
        }
      }
    });
  };
}
const body = new Module(file, module);
body.filename = file;
body.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(body.exports, body.exports, Module.createRequire(file), body, file, __dirname);
