/**
 * resvg, loaded for the covers. On glibc Linux its native binding is required directly: the
 * package's own loader first asks whether the C library is musl through `process.report
 * .getReport()`, a full diagnostic report (it reads the node binary to name the native stack),
 * which cost 10–30 ms of every build that draws a cover. The binding takes its options as JSON,
 * as the package's wrapper hands them over. Anywhere else, or when the binding does not load,
 * the package loads as usual.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type ResvgPackage = typeof import('@resvg/resvg-js');
type Options = ConstructorParameters<ResvgPackage['Resvg']>[1];

/** The binding's own classes and functions, whose options are JSON text. */
interface Binding {
  Resvg: new (svg: Buffer | string, options?: string | null) => InstanceType<ResvgPackage['Resvg']>;
  renderAsync: (svg: Buffer | string, options?: string | null, signal?: AbortSignal | null) => ReturnType<ResvgPackage['renderAsync']>;
}

/** The glibc binding with the package's interface, or undefined where it does not apply. */
function glibcBinding(): Pick<ResvgPackage, 'Resvg' | 'renderAsync'> | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  try {
    // musl systems (Alpine) say so in ldd, as the package's loader also checks when it has no report.
    if (readFileSync('/usr/bin/ldd', 'latin1').includes('musl')) return undefined;
    const fromPackage = createRequire(createRequire(import.meta.url).resolve('@resvg/resvg-js'));
    const binding = fromPackage(`@resvg/resvg-js-linux-${process.arch}-gnu`) as Binding;
    if (typeof binding.Resvg !== 'function' || typeof binding.renderAsync !== 'function') return undefined;
    const json = (options: Options): string | null => (options ? JSON.stringify(options) : null);
    class Resvg extends binding.Resvg {
      constructor(svg: Buffer | string, options?: Options) {
        super(svg, JSON.stringify(options));
      }
    }
    return { Resvg: Resvg as unknown as ResvgPackage['Resvg'], renderAsync: (svg, options, signal) => binding.renderAsync(svg, json(options), signal) };
  } catch {
    return undefined;
  }
}

let loaded: Promise<Pick<ResvgPackage, 'Resvg' | 'renderAsync'>> | undefined;

/** resvg's `Resvg` and `renderAsync`, loaded once. */
export function loadResvg(): Promise<Pick<ResvgPackage, 'Resvg' | 'renderAsync'>> {
  return (loaded ??= Promise.resolve().then(() => glibcBinding() ?? import('@resvg/resvg-js')));
}

let version: string | undefined;

/** The version of the resvg package in use (what a drawing kept from an earlier run must match). */
export function resvgVersion(): string {
  if (version === undefined) {
    const req = createRequire(import.meta.url);
    version = (JSON.parse(readFileSync(join(dirname(req.resolve('@resvg/resvg-js')), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  }
  return version;
}
