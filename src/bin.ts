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
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Loaded when a terminal is asked about (tty brings net with it, ~1 ms): a quiet build never asks.
const isatty = (fd: number): boolean => (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);

process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES ??= '1';
process.env.MIMALLOC_PURGE_DELAY ??= '-1';

/** The package's version, from the package.json above this file (dist/src/ and dist/bundle/ alike). */
function version(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const p = join(dir, 'package.json');
    // dist/bundle/ holds a package.json of its own (its module type), without a version.
    const v = existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version?: string }).version : undefined;
    if (v) return v;
    if (dirname(dir) === dir) return undefined;
  }
}

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
// An interrupt aborts the batch: no new book is started, the book being written is finished,
// and main prints the summary (and the --json report) of what was written and returns 130. If
// that takes too long, or a second interrupt comes, whatever is unfinished is removed and the
// process exits at once.
const interrupt = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupt.signal.aborted) {
      cleanUp();
      process.exit(130);
    }
    interrupt.abort();
    setTimeout(() => {
      cleanUp();
      process.exit(130);
    }, 5000).unref();
  });
}

// Loaded after the tuning above (and without a top-level await: the bundle is a CommonJS file, see scripts/bundle.mjs).
void import('./cli/main.js').then(({ main }) => main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(`${s}\n`),
  env: process.env,
  temps,
  signal: interrupt.signal,
  // Asked of the descriptor, when needed: opening the stderr stream costs ~5 ms a run that writes nothing there.
  get stderrIsTTY() {
    return isatty(2);
  },
  get stdinIsTTY() {
    return isatty(0);
  },
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
  stdoutBytes: (bytes) => new Promise<void>((done, fail) => process.stdout.write(bytes, (e) => (e ? fail(e) : done()))),
  version: version() ?? 'unknown',
}).then(
  (code) => {
    cleanUp();
    process.exitCode = code;
  },
  (e: unknown) => {
    cleanUp();
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
));
