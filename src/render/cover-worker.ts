/** The cover thread (see cover-thread.ts): warms the renderer, then renders what it is sent. */
import { parentPort } from 'node:worker_threads';

const ready = import('./cover.js').then(async (m) => {
  await m.warmCoverRenderer();
  return m;
});
// A failed warm-up is reported with the first cover asked for.
ready.catch(() => undefined);

parentPort?.on('message', ({ id, spec, opts }: { id: number; spec: import('./cover.js').CoverSpec; opts: import('./cover.js').CoverOptions }) => {
  ready
    .then((m) => m.renderCover(spec, opts))
    .then(
      (png) => {
        const own = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength;
        parentPort!.postMessage({ id, png }, own ? [png.buffer as ArrayBuffer] : []);
      },
      (e: unknown) => parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) }),
    );
});
