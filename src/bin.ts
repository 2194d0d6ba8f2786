#!/usr/bin/env node
/** The fic2epub executable: runs `main`, maps an unexpected error to exit 2, cleans up on SIGINT. */
import { unlinkSync } from 'node:fs';
import { coverThreadLikely, startCoverThread } from './render/cover-thread.js';

// A build with generated covers gets its cover thread going first, while the CLI loads
// (render/cover-thread.ts); the CLI stops it if the build turns out not to need it.
if (coverThreadLikely(process.argv.slice(2))) startCoverThread();
const { main, stopWrites } = await import('./cli.js');

const temps = new Set<string>();
const cleanUp = (): void => {
  for (const t of temps) {
    try {
      unlinkSync(t);
    } catch {
      // already gone
    }
  }
};
// On an interrupt no new book is started; a write already handed to the thread pool may still
// create its temporary file after a sweep, so wait (briefly) for those writes to finish — each
// ends renamed into a whole book or removed — then remove whatever is left and exit.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    stopWrites();
    const deadline = Date.now() + 3000;
    const finish = (): void => {
      if (temps.size > 0 && Date.now() < deadline) {
        setTimeout(finish, 10);
        return;
      }
      cleanUp();
      process.exit(130);
    };
    finish();
  });
}

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(`${s}\n`),
  env: process.env,
  temps,
  stderrIsTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    cleanUp();
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
