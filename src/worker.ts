/** A batch worker thread: runs each job it is sent and posts the result back (bytes transferred). */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './batch.js';

// Jobs run one after another in the order they arrive (the main thread sends the next before
// this one is done, so there is no idle round trip between them).
let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', ({ index, job }: { index: number; job: Job }) => {
  queue = queue.then(() => runJob(job)).then((r) => {
    const b = r.ok ? r.bytes : undefined;
    // Transfer the bytes when they own their whole buffer; otherwise they are copied.
    const transfer = b && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : [];
    parentPort!.postMessage({ index, result: r }, transfer);
  });
});
