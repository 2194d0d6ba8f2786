/** A batch worker thread: runs each job it is sent and posts the result back (bytes transferred). */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';
import { RESULTS_PER_MESSAGE, runJob, type Job, type JobResult } from './batch.js';
import type { BuildContext } from './index.js';
import type { CoverRenderer } from './render/cover.js';

// V8 tuning, before any cover is drawn. resvg's 9 MB pixmap and the 9 MB copy of its pixels are
// released only when V8 collects the small objects holding them, which it does not hurry to do;
// meanwhile every cover faulted in fresh memory. A young-generation collection after each cover
// (about a millisecond) lets the next one reuse it: 300 books with covers, 7.78 → 6.81 s and
// 375 → 289 MiB peak (medians of 5 paired runs), the same bytes. The flag reaches only contexts
// made after it is set, hence the new context that hands `gc` over.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;

// This worker's covers are drawn on its own thread (its core is busy with a story anyway).
let painter: Promise<CoverRenderer> | undefined;
const ctx: BuildContext = {
  drawCover: async (spec, opts) => {
    painter ??= import('./render/cover-draw.js').then((m) => m.coverPainter(() => gc({ type: 'minor' })));
    return (await painter)(spec, opts);
  },
};

// Jobs run one after another in the order they arrive (the main thread sends the next before
// this one is done, so there is no idle round trip between them), each from a new turn of the
// event loop: resvg's native memory is freed by finalizers that run only between turns, and
// jobs chained straight after one another never gave them one (18 MB kept per cover: 100 books,
// 2 GB peak).
let queue: Promise<void> = Promise.resolve();
const nextTurn = (): Promise<void> => new Promise((turn) => setImmediate(turn));
// Results go back a few to a message: each message woke the main thread, on a machine whose
// cores the workers keep busy (postMessage was 4-5 % of a worker's time in a batch of 1,000).
let waiting = 0;
let done: { index: number; result: JobResult }[] = [];
let transfer: ArrayBuffer[] = [];
parentPort?.on('message', ({ index, job }: { index: number; job: Job }) => {
  waiting++;
  queue = queue.then(nextTurn).then(() => runJob(job, ctx)).then((r) => {
    waiting--;
    done.push({ index, result: r });
    const b = r.ok && r.kind === 'book' ? r.bytes : undefined;
    // Transfer the bytes when they own their whole buffer; otherwise they are copied.
    if (b && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) transfer.push(b.buffer as ArrayBuffer);
    if (waiting > 0 && done.length < RESULTS_PER_MESSAGE) return;
    parentPort!.postMessage({ results: done }, transfer);
    done = [];
    transfer = [];
  });
});
