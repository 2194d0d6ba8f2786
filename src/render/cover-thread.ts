/**
 * A second thread for the covers of books built on the main thread (one story, a few stories,
 * an anthology's cover). Started as soon as the CLI knows it will need a cover, it loads the
 * renderer and readies its memory while the main thread reads the story; then the cover is drawn
 * there while the main thread plans and packages the book. Same code as `renderCover`, so the
 * same bytes. Batch workers draw their own covers instead.
 */
import { Worker } from 'node:worker_threads';
import type { CoverRenderer } from './cover.js';

/** A running cover thread: what draws on it, and how to stop it. */
export interface CoverThread {
  /** Draw a cover there. Rejects once the thread has stopped or failed. */
  render: CoverRenderer;
  /** Stop the thread; covers still awaited reject. Not awaited: waiting for the thread to wind
   * down cost ~20 ms at the end of every one-story build, and an idle thread holds nothing. */
  stop: () => void;
}

/** Start a cover thread. Idle, it never keeps the process alive. */
export function startCoverThread(): CoverThread {
  const pending = new Map<number, { resolve: (png: Uint8Array) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (e: Error): void => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
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
  // Referenced only while a cover is awaited. (After the listeners: adding a 'message' listener
  // references the thread again.)
  w.unref();
  return {
    render: (spec, opts = {}) => {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      w.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, spec, opts });
      });
    },
    stop: () => {
      if (failure) return;
      w.removeAllListeners('exit');
      failAll(new Error('the cover thread was stopped'));
      void w.terminate();
    },
  };
}
