/** The cover thread (see cover-thread.ts): readies the renderer, then draws what it is sent. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort } from 'node:worker_threads';

// V8 tuning, before anything loads: a young-generation collection after each cover frees
// resvg's 9 MB pixmap at once for the next cover (see worker.ts).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;

const ready = import('./cover.js').then((m) => m.coverPainter(() => gc({ type: 'minor' })));
// A failed start is reported with the first cover asked for.
ready.catch(() => undefined);

parentPort?.on('message', ({ id, spec, opts }: { id: number; spec: import('./cover.js').CoverSpec; opts: import('./cover.js').CoverOptions }) => {
  ready
    .then((paint) => paint(spec, opts))
    .then(
      (png) => {
        const own = png.byteOffset === 0 && png.byteLength === png.buffer.byteLength;
        parentPort!.postMessage({ id, png }, own ? [png.buffer as ArrayBuffer] : []);
      },
      (e: unknown) => parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) }),
    );
});
