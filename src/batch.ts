/**
 * Batches on both cores: stories are read (and, per story, built) in worker threads, results
 * come back in input order. Small batches run in this thread, where a worker's start-up would
 * cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from './diagnostics.js';
import type { Story } from './model.js';
import type { Options } from './options.js';

/** One unit of work: read a story, and build its EPUB too when `build` is set. */
export interface Job {
  path: string;
  options: Options;
  build: boolean;
}

/** What a job gives back. */
export type JobResult =
  | { ok: true; story: Story; diagnostics: Diagnostic[]; bytes?: Uint8Array }
  | { ok: false; error: string; stack?: string };

/** Run one job in this thread (also what each worker runs). */
export async function runJob(job: Job): Promise<JobResult> {
  const { readStory, buildEpub } = await import('./index.js');
  try {
    const r = await readStory(job.path, job.options);
    if (!job.build) return { ok: true, story: r.story, diagnostics: r.diagnostics };
    const built = await buildEpub(r.story, job.options);
    return { ok: true, story: r.story, diagnostics: [...r.diagnostics, ...built.diagnostics], bytes: built.bytes };
  } catch (e) {
    const err = e as Error;
    return { ok: false, error: err.message.split('\n')[0] ?? String(e), ...(err.name !== 'InputError' && err.stack ? { stack: err.stack } : {}) };
  }
}

/** Fewer jobs than this run in this thread. */
const MIN_JOBS_FOR_WORKERS = 8;

/**
 * Run every job, at most `threads` at a time (default: the machine's cores), calling `onResult`
 * in input order as soon as each result and all before it are done.
 */
export async function runJobs(jobs: Job[], onResult: (index: number, result: JobResult) => Promise<void> | void, threads = availableParallelism()): Promise<void> {
  const n = Math.max(1, Math.min(threads, jobs.length));
  if (jobs.length < MIN_JOBS_FOR_WORKERS || n === 1) {
    for (const [i, job] of jobs.entries()) await onResult(i, await runJob(job));
    return;
  }
  const results = new Map<number, JobResult>();
  let nextOut = 0;
  let nextJob = 0;
  let chain = Promise.resolve();
  const flush = (): void => {
    chain = chain.then(async () => {
      while (results.has(nextOut)) {
        const r = results.get(nextOut)!;
        results.delete(nextOut);
        await onResult(nextOut, r);
        nextOut++;
      }
    });
  };
  const workers = Array.from({ length: n }, () => new Worker(new URL('./worker.js', import.meta.url)));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((done, fail) => {
            let current = -1;
            const feed = (): void => {
              if (nextJob >= jobs.length) {
                done();
                return;
              }
              current = nextJob++;
              w.postMessage(jobs[current]);
            };
            w.on('message', (r: JobResult) => {
              results.set(current, r);
              flush();
              feed();
            });
            w.on('error', fail);
            feed();
          }),
      ),
    );
    flush();
    await chain;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
