/** Run the CLI in-process and capture what it prints. */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Bytes written to standard output as a book (`-o -`). */
  stdoutBytes: Buffer;
}

/** Run `fic2epub <args>` with captured output; env defaults to a fixed SOURCE_DATE_EPOCH-free env; `io.stdin` is what is piped in. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}, io: { stdin?: Uint8Array; signal?: AbortSignal } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const bytes: Buffer[] = [];
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += `${s}\n`),
    env,
    temps: new Set(),
    stdoutBytes: async (b) => void bytes.push(Buffer.from(b)),
    ...(io.stdin ? { stdin: async () => io.stdin!, stdinIsTTY: false } : { stdinIsTTY: true }),
    ...(io.signal ? { signal: io.signal } : {}),
    version: '0.0.0-test',
  });
  return { code, stdout, stderr, stdoutBytes: Buffer.concat(bytes) };
}

/** Send SIGINT to a running CLI once its first book has landed in `out` (mid-batch); resolves with its exit code. */
export async function interruptAfterFirstBook(child: ChildProcess, out: string): Promise<number | null> {
  const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  await new Promise<void>((done) => {
    const t = setInterval(() => {
      if (existsSync(out) && readdirSync(out).some((f) => f.endsWith('.epub'))) {
        clearInterval(t);
        child.kill('SIGINT');
        done();
      }
    }, 20);
  });
  return exited;
}
