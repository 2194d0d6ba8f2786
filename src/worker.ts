/** A batch worker thread: runs each job it is sent and posts the result back (bytes transferred). */
import { parentPort } from 'node:worker_threads';
import { runJob, type Job } from './batch.js';

parentPort?.on('message', (job: Job) => {
  void runJob(job).then((r) => {
    const b = r.ok ? r.bytes : undefined;
    // Transfer the bytes when they own their whole buffer; otherwise they are copied.
    const transfer = b && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : [];
    parentPort!.postMessage(r, transfer);
  });
});
