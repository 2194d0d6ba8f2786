/**
 * Batches on both cores: stories are read (and, per story, built) in worker threads, results
 * come back in input order. Small batches run in this thread, where a worker's start-up would
 * cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from './diagnostics.js';
import type { Meta } from './model.js';
import type { Options } from './options.js';
import { tuneCoverAllocator } from './render/allocator.js';
import type { StoryPart } from './render/book.js';

/**
 * One unit of work: read a story, then build its EPUB (`build`), or plan it as story number
 * `part` of an anthology with its pages rendered and compressed, so the main thread only
 * assembles the book.
 */
export interface Job {
  path: string;
  options: Options;
  build: boolean;
  part?: number;
}

/** What a job gives back: the story's metadata, and its book or its anthology part. */
export type JobResult =
  | { ok: true; meta: Meta; diagnostics: Diagnostic[]; bytes?: Uint8Array; part?: StoryPart }
  | { ok: false; error: string; stack?: string };

/** Run one job in this thread (also what each worker runs). */
export async function runJob(job: Job): Promise<JobResult> {
  const { readStory, buildEpub, startStoryCover } = await import('./index.js');
  try {
    // A book's cover starts as soon as its metadata is settled (on the cover thread when one runs).
    let cover: ReturnType<typeof startStoryCover> | undefined;
    const hooks = job.build && job.part === undefined ? { onMetaSettled: (m: Meta) => void (cover = startStoryCover(m, job.options)) } : {};
    const r = await readStory(job.path, job.options, hooks);
    const meta = r.story.meta;
    if (job.part !== undefined) {
      const [{ storyPart }, { packPage }] = await Promise.all([import('./render/book.js'), import('./package/page-file.js')]);
      const part = storyPart(r.story, job.part, job.options.defaultLanguage);
      return { ok: true, meta, diagnostics: r.diagnostics, part: { ...part, pages: part.pages.map(packPage) } };
    }
    if (!job.build) return { ok: true, meta, diagnostics: r.diagnostics };
    const built = await buildEpub(r.story, job.options, cover);
    return { ok: true, meta, diagnostics: [...r.diagnostics, ...built.diagnostics], bytes: built.bytes };
  } catch (e) {
    const err = e as Error;
    return { ok: false, error: err.message.split('\n')[0] ?? String(e), ...(err.name !== 'InputError' && err.stack ? { stack: err.stack } : {}) };
  }
}

/** Fewer jobs than this run in this thread. */
const MIN_JOBS_FOR_WORKERS = 8;

/** Whether `runJobs` runs this many jobs on the calling thread. */
export function runsInThisThread(jobs: number, threads = availableParallelism()): boolean {
  return jobs < MIN_JOBS_FOR_WORKERS || Math.min(threads, jobs) <= 1;
}

/** Jobs sent to a worker before its first result comes back. */
const JOBS_IN_FLIGHT = 2;

/**
 * Run every job, at most `threads` at a time (default: the machine's cores), calling `onResult`
 * in input order as soon as each result and all before it are done.
 */
export async function runJobs(jobs: Job[], onResult: (index: number, result: JobResult) => Promise<void> | void, threads = availableParallelism()): Promise<void> {
  const n = Math.max(1, Math.min(threads, jobs.length));
  if (runsInThisThread(jobs.length, threads)) {
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
  tuneCoverAllocator(); // workers draw covers: set before any of them loads resvg (see allocator.ts)
  const workers = Array.from({ length: n }, () => new Worker(new URL('./worker.js', import.meta.url)));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((done, fail) => {
            let inFlight = 0;
            const feed = (): void => {
              if (nextJob >= jobs.length) {
                if (inFlight === 0) done();
                return;
              }
              const index = nextJob++;
              inFlight++;
              w.postMessage({ index, job: jobs[index] });
            };
            w.on('message', ({ index, result }: { index: number; result: JobResult }) => {
              inFlight--;
              results.set(index, result);
              flush();
              feed();
            });
            w.on('error', fail);
            // Two jobs in flight per worker: the next one is already waiting when a result is
            // posted, so the worker does not idle through the round trip to this thread.
            for (let k = 0; k < JOBS_IN_FLIGHT; k++) feed();
          }),
      ),
    );
    flush();
    await chain;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
