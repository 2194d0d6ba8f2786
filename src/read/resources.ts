/**
 * Where a reader's resources (pictures, and whatever else an input names) come from: a resolver
 * from a relative path to bytes. The CLI's resolver reads files beside the input; another caller
 * hands archive entries or uploads. Nothing is ever fetched.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';

/** The bytes a relative path names, or undefined when there are none or they may not be read. */
export type ResolveResource = (relPath: string) => Uint8Array | undefined;

/** The largest resource taken into a book. */
export const MAX_RESOURCE_BYTES = 20 * 1024 * 1024;

/** A resolver that has nothing (an input with no surroundings: stdin, a string). */
export const noResources: ResolveResource = () => undefined;

/** The file a relative `src` names inside `folder`, or undefined when it may not be read: a URL
 * with a scheme (`http:`, `file:`, `data:` …), a protocol-relative or absolute path, anything
 * that leaves the folder (symbolic links resolved), or a file empty or over the size limit. */
export function besideInput(folder: string, src: string): string | undefined {
  const raw = src.trim().replace(/[?#].*$/s, '');
  // A scheme (http:, file:, data:, javascript:, C:), an absolute or protocol-relative path.
  if (raw === '' || /^[a-z][a-z0-9+.-]*:/i.test(raw) || /^[/\\]/.test(raw) || raw.includes('\0')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  try {
    const root = realpathSync(folder);
    const real = realpathSync(resolve(root, path));
    if (!real.startsWith(root + sep)) return undefined;
    const st = statSync(real);
    if (!st.isFile() || st.size === 0 || st.size > MAX_RESOURCE_BYTES) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** The CLI's resolver: files in the input's folder or a folder below it. */
export function filesBeside(inputPath: string): ResolveResource {
  const folder = dirname(resolve(inputPath));
  return (src) => {
    const file = besideInput(folder, src);
    return file ? new Uint8Array(readFileSync(file)) : undefined;
  };
}

/** The CLI's resolver for the files a user names in a flag or a project file (their own cover or
 * stylesheet): relative to `folder` or absolute, without the limits on what an input names, since
 * the user chose them. */
export function userFiles(folder: string): ResolveResource {
  return (name) => {
    try {
      return new Uint8Array(readFileSync(resolve(folder, name)));
    } catch {
      return undefined;
    }
  };
}
