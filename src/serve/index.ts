/** `fic2epub serve`: start the local web app, print its address (with its token) and, on a desktop, open it. */
import { spawn } from 'node:child_process';
import { startServer, type Serving } from './server.js';

export { startServer, DEFAULT_LIMITS, type Limits, type ServeOptions, type Serving } from './server.js';

/** The serve command's flags. */
export interface ServeArgs {
  port: number;
  open: boolean;
}

/** What serve needs from the CLI. */
export interface ServeDeps {
  stdout: (s: string) => void;
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Started once the server listens; tests stop it through this. */
  onServing?: (s: Serving) => void;
}

/** The command that opens an address in the desktop's browser, or none where there is no desktop (a server, CI, a test). */
export function openCommand(platform: NodeJS.Platform, env: Record<string, string | undefined>): [string, string[]] | undefined {
  if (env.CI) return undefined;
  if (platform === 'darwin') return ['open', []];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""']];
  return env.DISPLAY || env.WAYLAND_DISPLAY ? ['xdg-open', []] : undefined;
}

/** Serve until the process is stopped (Ctrl+C). */
export async function runServe(a: ServeArgs, deps: ServeDeps): Promise<never> {
  const epoch = deps.env.SOURCE_DATE_EPOCH !== undefined ? Number(deps.env.SOURCE_DATE_EPOCH) : undefined;
  const serving = await startServer({ port: a.port, ...(epoch !== undefined && Number.isFinite(epoch) ? { sourceDateEpoch: epoch } : {}) });
  deps.stdout(`fic2epub is ready at ${serving.url}\nOpen that address in your browser (it holds this session's key). Press Ctrl+C to stop.\n`);
  deps.onServing?.(serving);
  const opener = a.open ? openCommand(deps.platform ?? process.platform, deps.env) : undefined;
  if (opener) {
    const child = spawn(opener[0], [...opener[1], serving.url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // no browser to open: the printed address is enough
    child.unref();
  }
  return new Promise<never>(() => undefined);
}
