/**
 * Batches on both cores: stories are read (and, per story, built) in worker threads, results
 * come back in input order. Small batches run in this thread, where a worker's start-up would
 * cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import type { Diagnostic } from './diagnostics.js';
import type { BuildContext } from './index.js';
import type { Meta, Story } from './model.js';
import type { Options } from './options.js';
import type { PackedPage } from './package/page-file.js';
import type { StoryPart } from './render/book.js';

/**
 * One unit of work: read a story (`story`), then build its EPUB (`book`), or plan it as story number `n`
 * of an anthology (`part`) with its pages written and compressed, so the main thread only
 * assembles the book.
 */
export type Job = ({ kind: 'book' | 'story'; path: string; options: Options } | { kind: 'part'; path: string; options: Options; n: number }) & {
  /** The story's bytes when they come from elsewhere than `path` (standard input); `path` names it. */
  bytes?: Uint8Array;
  /** A book's story comes back only when it is a piece of a longer one (to be joined) or cut into
   * volumes; otherwise its metadata is all the caller gets (it reads the story again if it must). */
  lean?: boolean;
};

/** One volume of a story cut by `options.split`: a book of its own. */
export interface Volume {
  story: Story;
  bytes: Uint8Array;
  identifier: string;
  diagnostics: Diagnostic[];
}

/** What a job gives back: the story's metadata and its book or its anthology part, or why it failed
 * (a book's `story` is left out of a `lean` job's result unless it is a piece or has volumes). */
export type JobResult =
  | { ok: true; kind: 'book'; meta: Meta; diagnostics: Diagnostic[]; bytes: Uint8Array; identifier: string; story?: Story; volumes?: Volume[] }
  | { ok: true; kind: 'story'; meta: Meta; diagnostics: Diagnostic[]; story: Story }
  | { ok: true; kind: 'part'; meta: Meta; diagnostics: Diagnostic[]; part: StoryPart<PackedPage> }
  | { ok: false; error: string; stack?: string };

/** Run one job on this thread (also what each worker runs), its covers drawn by `ctx`. */
export async function runJob(job: Job, ctx: BuildContext): Promise<JobResult> {
  const { readStory, readStoryBytes, buildEpub, buildVolumes, startStoryCover } = await import('./index.js');
  const read = (hooks = {}): ReturnType<typeof readStory> => (job.bytes ? readStoryBytes(job.path, job.bytes, job.options, {}, hooks) : readStory(job.path, job.options, hooks));
  try {
    if (job.kind === 'part') {
      const r = await read();
      const [{ storyPart }, { packPage }, { writerFor }] = await Promise.all([import('./render/book.js'), import('./package/page-file.js'), import('./package/writers.js')]);
      const part = storyPart(r.story, job.n, job.options.defaultLanguage, job.options.frontMatter);
      // The pages come back written by the book's writer: the part's share of the book's file map.
      const writer = writerFor(job.options.target ?? 'epub');
      return { ok: true, kind: 'part', meta: r.story.meta, diagnostics: r.diagnostics, part: { ...part, pages: part.pages.map((p) => packPage(p, writer)) } };
    }
    if (job.kind === 'story') {
      const r = await readStory(job.path, job.options);
      return { ok: true, kind: 'story', meta: r.story.meta, diagnostics: r.diagnostics, story: r.story };
    }
    // A book's cover starts as soon as its metadata is settled, and draws while the rest is read.
    let cover: ReturnType<typeof startStoryCover> | undefined;
    const r = await read({ onMetaSettled: (m: Meta) => void (cover = startStoryCover(m, job.options, ctx)) });
    // A long story may come back as volumes, each its own book.
    const books = job.options.split ? await buildVolumes(r.story, job.options, ctx, cover) : [{ story: r.story, built: await buildEpub(r.story, job.options, ctx, cover) }];
    if (books.length > 1) {
      const volumes = books.map((b): Volume => ({ story: b.story, bytes: b.built.bytes, identifier: b.built.plan.meta.identifier, diagnostics: b.built.diagnostics }));
      return { ok: true, kind: 'book', meta: r.story.meta, diagnostics: r.diagnostics, bytes: volumes[0]!.bytes, identifier: volumes[0]!.identifier, story: r.story, volumes };
    }
    const built = books[0]!.built;
    // The story comes back too, when it may join others or update its existing book: copying it
    // to the main thread cost more than its book (50 KB a seed-sized story, ~0.25 ms each way).
    const story = job.lean && !r.story.meta.installment ? {} : { story: r.story };
    return { ok: true, kind: 'book', meta: r.story.meta, diagnostics: [...r.diagnostics, ...built.diagnostics], bytes: built.bytes, identifier: built.plan.meta.identifier, ...story };
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

/** Results a worker posts in one message at most (src/worker.ts): it posts what it has when it
 * has this many, or no job left to run. */
export const RESULTS_PER_MESSAGE = 4;

/** Jobs sent to a worker before its first results come back: while one message of results is on
 * its way, the worker has as many jobs left to run. */
export const JOBS_IN_FLIGHT = 2 * RESULTS_PER_MESSAGE;

/** Results that may wait for an earlier one (or for the caller) before no more jobs are sent.
 * Room for every job in flight on two workers and then some: at 8, results posted four at a time
 * and books placed one by one on the main thread kept the workers idle for 5-8 % of a batch of
 * 1,000 (at 32, under 0.3 %). Memory stays flat in the number of jobs. */
export const MAX_WAITING_RESULTS = 32;

/** Nor while the waiting results' books (or anthology pages) come to this many bytes: big books
 * wait a few at a time, as many small ones do. */
export const MAX_WAITING_BYTES = 4 * 1024 * 1024;

/** The compressed bytes a result holds (a story's model is not counted). */
function resultBytes(r: JobResult): number {
  if (!r.ok) return 0;
  if (r.kind === 'book') return r.bytes.byteLength + (r.volumes ?? []).slice(1).reduce((n, v) => n + v.bytes.byteLength, 0);
  if (r.kind === 'part') return r.part.pages.reduce((n, p) => n + p.entry.data.byteLength, 0);
  return 0;
}

/** Each semi-space of a worker's young generation from its start, in MiB (V8 starts at 1 and
 * grows it, to 8 in a batch, only as much survives). A story's model lives through many
 * collections of a small one, copied at each: at 16, 1,000 stories took ~4 % less CPU (medians
 * of 5 interleaved runs: 5.70 → 5.43 s), peak memory no higher. Set as a flag before the workers
 * start: V8 sizes an isolate's heap when it is made (this thread's, made already, stays as it is). */
export const WORKER_SEMI_SPACE_MB = 16;

/** What `runJobs` needs of a worker thread (tests give a stand-in). */
export interface JobWorker {
  postMessage(message: { index: number; job: Job }): void;
  on(event: 'message', listener: (message: { results: { index: number; result: JobResult }[] }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): Promise<unknown>;
}

/**
 * Run every job, at most `threads` at a time (default: the machine's cores), calling `onResult`
 * in input order as soon as each result and all before it are done. Jobs run on this thread
 * draw their covers with `ctx`; worker threads (src/worker.ts) draw their own. Memory stays
 * flat in the number of jobs: while `MAX_WAITING_RESULTS` results (or `MAX_WAITING_BYTES` of
 * books) wait to be handed on (an earlier job is slow, or `onResult` is), no job is sent, and a result is dropped once handed
 * on. Once `signal` is aborted no job is started and no further result is handed on; the call
 * returns once the result being handed on is done (a book being written is finished), dropping
 * jobs under way.
 */
export async function runJobs(
  jobs: Job[],
  onResult: (index: number, result: JobResult) => Promise<void> | void,
  ctx: BuildContext,
  threads = availableParallelism(),
  signal?: AbortSignal,
  spawn?: () => JobWorker,
): Promise<void> {
  const n = Math.max(1, Math.min(threads, jobs.length));
  if (runsInThisThread(jobs.length, threads)) {
    for (const [i, job] of jobs.entries()) {
      if (signal?.aborted) return;
      const r = await runJob(job, ctx);
      if (signal?.aborted) return;
      await onResult(i, r);
    }
    return;
  }
  const results = new Map<number, JobResult>();
  let waitingBytes = 0;
  const full = (): boolean => results.size >= MAX_WAITING_RESULTS || waitingBytes >= MAX_WAITING_BYTES;
  // Workers with room for a job while too many results wait: fed again as results are handed on.
  const paused: (() => void)[] = [];
  let nextOut = 0;
  let nextJob = 0;
  let chain = Promise.resolve();
  const flush = (): void => {
    chain = chain.then(async () => {
      while (results.has(nextOut) && !signal?.aborted) {
        const r = results.get(nextOut)!;
        results.delete(nextOut);
        waitingBytes -= resultBytes(r);
        await onResult(nextOut, r);
        nextOut++;
        while (paused.length && !full()) paused.shift()!();
      }
    });
  };
  // Loaded here: a batch small enough for this thread never needs it.
  const { Worker } = spawn ? { Worker: undefined } : await import('node:worker_threads');
  if (!spawn) (await import('node:v8')).setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  const workers = Array.from({ length: n }, spawn ?? (() => new Worker!(new URL('./worker.js', import.meta.url))));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((done, fail) => {
            let inFlight = 0;
            const feed = (): void => {
              if (nextJob >= jobs.length || signal?.aborted) {
                if (inFlight === 0) done();
                return;
              }
              if (full()) {
                paused.push(feed);
                return;
              }
              const index = nextJob++;
              inFlight++;
              w.postMessage({ index, job: jobs[index] });
            };
            w.on('message', (message: { results: { index: number; result: JobResult }[] }) => {
              for (const { index, result } of message.results) {
                inFlight--;
                results.set(index, result);
                waitingBytes += resultBytes(result);
              }
              flush();
              for (const _ of message.results) feed();
            });
            w.on('error', fail);
            // An interrupt ends the wait for this worker's jobs under way: their results are not used.
            signal?.addEventListener('abort', () => done(), { once: true });
            // Jobs in flight: the next ones are already waiting when results are posted, so the
            // worker does not idle through the round trip to this thread.
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
