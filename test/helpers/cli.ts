/** Run the CLI in-process and capture what it prints. */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `fic2epub <args>` with captured output; env defaults to a fixed SOURCE_DATE_EPOCH-free env. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += `${s}\n`), env, temps: new Set() });
  return { code, stdout, stderr };
}
