/**
 * A second thread for the covers of books built on the main thread (one story, a few stories,
 * an anthology's cover). Started as soon as the CLI knows it will need a cover, it loads the
 * renderer and readies its memory while the main thread loads the rest and reads the story; then the cover is drawn there while the main thread plans and packages the book.
 * Same code as `renderCover`, so the same bytes. Batch workers draw their own covers instead.
 */
import { Worker } from 'node:worker_threads';
import { tuneCoverAllocator } from './allocator.js';
import type { CoverOptions, CoverSpec } from './cover.js';

interface Pending {
  resolve: (png: Uint8Array) => void;
  reject: (e: Error) => void;
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function failAll(e: Error): void {
  for (const p of pending.values()) p.reject(e);
  pending.clear();
  worker = undefined;
}

/**
 * Whether a command line (without node and script) looks like a build with generated covers,
 * the default: `build`, and no `--cover` other than `auto`. The executable starts the cover
 * thread on this guess before it loads the rest of the CLI, since a thread takes ~60 ms to
 * start; the CLI stops it when the build turns out not to need it (a batch large enough for
 * worker threads, which draw their own covers, or no story to build).
 */
export function coverThreadLikely(argv: readonly string[]): boolean {
  if (argv[0] !== 'build') return false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--help' || a === '-h' || a === '--version') return false;
    if (a === '--cover') return argv[i + 1] === 'auto';
    if (a.startsWith('--cover=')) return a === '--cover=auto';
    if (a === '--no-cover') return false;
  }
  return true;
}

/** Start the cover thread (once; later calls do nothing). */
export function startCoverThread(): void {
  if (worker) return;
  tuneCoverAllocator(); // before the thread loads resvg (see allocator.ts)
  const w = new Worker(new URL('./cover-worker.js', import.meta.url));
  w.on('message', (m: { id: number; png?: Uint8Array; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (pending.size === 0) w.unref();
    if (!p) return;
    if (m.png) p.resolve(m.png);
    else p.reject(new Error(m.error ?? 'the cover thread gave no cover'));
  });
  w.on('error', (e: unknown) => failAll(e instanceof Error ? e : new Error(String(e))));
  w.on('exit', () => failAll(new Error('the cover thread stopped')));
  // Idle, it never keeps the process alive; it is referenced only while a cover is awaited.
  // (After the listeners: adding a 'message' listener references the thread again.)
  w.unref();
  worker = w;
}

/** Render on the cover thread, or undefined when it is not running. */
export function renderCoverOnThread(spec: CoverSpec, opts: CoverOptions = {}): Promise<Uint8Array> | undefined {
  const w = worker;
  if (!w) return undefined;
  const id = nextId++;
  w.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, spec, opts });
  });
}

/** Stop the cover thread, if running. Not awaited: waiting for the thread to wind down cost
 * ~20 ms at the end of every one-story build, and an idle thread never holds the process. */
export function stopCoverThread(): void {
  const w = worker;
  worker = undefined;
  if (w) {
    w.removeAllListeners('exit');
    failAll(new Error('the cover thread was stopped'));
    void w.terminate();
  }
}
