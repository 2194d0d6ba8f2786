#!/usr/bin/env node
/**
 * The fic2epub executable: process tuning, then `main`; maps an unexpected error to exit 2 and
 * cleans up on SIGINT.
 *
 * Tuning, before anything loads. resvg-js links mimalloc, which by default gives every freed
 * segment back to the operating system at once: each 1200×1920 cover then faults in a fresh 9 MB
 * pixmap, and on machines where first touching memory is slow (~3 ms per MB on this project's
 * 2-core VMs) that cost more than drawing the cover: 117 ms per cover in a loop of 20, against
 * 32 ms with large OS pages allowed and freed memory kept for the next cover. mimalloc reads
 * these once, when the native module loads (on any thread), from the process environment. A
 * value the user has set is kept.
 */
import { unlinkSync } from 'node:fs';
import { isatty } from 'node:tty';

process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES ??= '1';
process.env.MIMALLOC_PURGE_DELAY ??= '-1';

const { main } = await import('./cli/main.js');

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
  interrupted: () => interrupted,
  // Asked of the descriptor: opening the stderr stream costs ~5 ms a run that writes nothing there.
  stderrIsTTY: isatty(2),
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
