/**
 * runJobs with stand-in workers: results in input order, and memory flat in the number of jobs
 * (no more jobs sent while `MAX_WAITING_RESULTS` results wait for a slow job or a slow caller).
 */
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { JOBS_IN_FLIGHT, MAX_WAITING_BYTES, MAX_WAITING_RESULTS, WORKER_SEMI_SPACE_MB, runJob, runJobs, type Job, type JobResult, type JobWorker } from '../../src/batch.js';
import { defaultBuildContext } from '../../src/index.js';
import { defaultOptions } from '../../src/options.js';
import { journalPart } from '../fixtures/living/shapes.js';
import type { Meta } from '../../src/model.js';

const THREADS = 2;
/** The most jobs that may be sent and not yet handed on: those waiting, and those the workers hold. */
const BOUND = MAX_WAITING_RESULTS + THREADS * JOBS_IN_FLIGHT;

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const jobsOf = (n: number): Job[] => Array.from({ length: n }, (_, i) => ({ kind: 'story', path: `story-${i}.txt`, options: defaultOptions() }));
const resultOf = (index: number): JobResult => ({ ok: false, error: `job ${index}` });

/** Stand-in workers answering each job after `delay(index)` turns of the event loop (with
 * `result`, default a failure); counts jobs sent. */
function standIns(delay: (index: number) => number, result: (index: number) => JobResult = resultOf): { spawn: () => JobWorker; sent: () => number } {
  let sent = 0;
  const spawn = (): JobWorker => {
    const w = new EventEmitter() as EventEmitter & JobWorker;
    w.postMessage = ({ index }) => {
      sent++;
      void (async () => {
        for (let k = 0; k < delay(index); k++) await turn();
        w.emit('message', { results: [{ index, result: result(index) }] });
      })();
    };
    w.terminate = async () => 0;
    return w;
  };
  return { spawn, sent: () => sent };
}

describe('runJobs', () => {
  it('hands every result on in input order', async () => {
    const { spawn } = standIns((i) => (i * 7) % 5);
    const seen: [number, JobResult][] = [];
    await runJobs(jobsOf(100), (i, r) => void seen.push([i, r]), defaultBuildContext(), THREADS, undefined, spawn);
    expect(seen).to.deep.equal(Array.from({ length: 100 }, (_, i) => [i, resultOf(i)]));
  });

  it('sends no more jobs while results wait for a slow caller: at most a few are held at any time, however many jobs', async () => {
    for (const count of [150, 400]) {
      const { spawn, sent } = standIns(() => 1);
      let handed = 0;
      let held = 0;
      await runJobs(
        jobsOf(count),
        async () => {
          held = Math.max(held, sent() - handed);
          for (let k = 0; k < 20; k++) await turn(); // writing a book: much slower than the workers here
          handed++;
        },
        defaultBuildContext(),
        THREADS,
        undefined,
        spawn,
      );
      expect(handed).to.equal(count);
      expect(held, `${count} jobs`).to.be.at.most(BOUND);
    }
  });

  it('holds fewer big books than small ones while results wait for a slow caller', async () => {
    const size = 1024 * 1024;
    const book = (i: number): JobResult => ({ ok: true, kind: 'book', meta: { title: `Book ${i}` } as Meta, diagnostics: [], bytes: new Uint8Array(size), identifier: `urn:uuid:${i}` });
    const { spawn, sent } = standIns(() => 1, book);
    let handed = 0;
    let held = 0;
    await runJobs(
      jobsOf(200),
      async () => {
        held = Math.max(held, sent() - handed);
        for (let k = 0; k < 20; k++) await turn();
        handed++;
      },
      defaultBuildContext(),
      THREADS,
      undefined,
      spawn,
    );
    expect(handed).to.equal(200);
    expect(held).to.be.at.most(MAX_WAITING_BYTES / size + THREADS * JOBS_IN_FLIGHT);
  });

  it('sends no more jobs while results wait for a slow first job', async () => {
    const { spawn, sent } = standIns((i) => (i === 0 ? 200 : 1));
    let sentBeforeFirst = 0;
    await runJobs(jobsOf(300), (i) => void (i === 0 && (sentBeforeFirst = sent())), defaultBuildContext(), THREADS, undefined, spawn);
    expect(sentBeforeFirst).to.be.at.most(BOUND + 1);
  });

  it('stops sending jobs once aborted, with results waiting', async () => {
    const { spawn, sent } = standIns(() => 1);
    const abort = new AbortController();
    let handed = 0;
    await runJobs(
      jobsOf(200),
      async () => {
        if (++handed === 10) abort.abort();
        for (let k = 0; k < 5; k++) await turn();
      },
      defaultBuildContext(),
      THREADS,
      abort.signal,
      spawn,
    );
    expect(handed).to.equal(10);
    expect(sent()).to.be.at.most(10 + BOUND);
  });
});

describe('runJobs with worker threads', () => {
  it('starts its workers with a young generation of WORKER_SEMI_SPACE_MB from the first story', async function () {
    this.timeout(60_000);
    const failed: JobResult[] = [];
    await runJobs(jobsOf(8).map((j) => ({ ...j, path: join(tmpdir(), 'fic2epub-no-such-story.txt') })), (_i, r) => void failed.push(r), defaultBuildContext(), THREADS);
    expect(failed.map((r) => r.ok)).to.deep.equal(Array(8).fill(false));
    // A worker started after them has the same heap as theirs: V8 takes the size from a process-wide flag.
    const probe = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)", { eval: true });
    const size = await new Promise<number>((resolve, reject) => probe.once('message', resolve).once('error', reject));
    await probe.terminate();
    expect(size).to.be.at.least(WORKER_SEMI_SPACE_MB * 1024 * 1024);
  });
});

describe('runJob', () => {
  it('leaves a lean book job\'s story out of its result, unless the story is a piece of a longer one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-lean-'));
    try {
      const whole = join(dir, 'whole.txt');
      const piece = join(dir, 'piece.txt');
      writeFileSync(whole, 'Title: Low Water\nAuthor: Ida\n\nThe ferry left at noon.\n');
      writeFileSync(piece, journalPart('High Water', 'Ida', 1, 2, ['The ferry came back at dusk.']));
      const options = { ...defaultOptions(), cover: 'none' as const };
      const ctx = defaultBuildContext();
      const results = await Promise.all(
        [
          { path: whole, lean: true },
          { path: whole, lean: false },
          { path: piece, lean: true },
        ].map(({ path, lean }) => runJob({ kind: 'book', path, options, lean }, ctx)),
      );
      const [lean, full, leanPiece] = results.map((r) => (r.ok && r.kind === 'book' ? r : expect.fail(JSON.stringify(r))));
      expect(lean!.story).to.equal(undefined);
      expect(lean!.meta.title).to.equal('Low Water');
      expect(full!.story?.meta.title).to.equal('Low Water');
      expect(Buffer.from(lean!.bytes).equals(Buffer.from(full!.bytes)), 'the same book').to.equal(true);
      expect(leanPiece!.story?.meta.installment?.index, 'a piece keeps its story, to be joined').to.equal(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
