#!/usr/bin/env node
/** The fic2epub executable: runs `main`, maps an unexpected error to exit 2, cleans up on SIGINT. */
import { unlinkSync } from 'node:fs';
import { main } from './cli.js';

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
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    cleanUp();
    process.exit(130);
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
