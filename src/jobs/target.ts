/**
 * Where books go, and writes that never lose a file: what `--out` means, what is already at a
 * book's path, and a write that leaves a whole book or nothing, never over a file it must keep
 * nor over a device, FIFO or link.
 */
import { constants } from 'node:fs';
import { close, link, lstat, mkdir, open, readFile, readlink, realpath, rename, stat, unlink, writeFile } from '../fs-async.js';
import type { ExistingBook } from '../update/existing.js';
import { basename, dirname, extname, join, sep } from 'node:path';

/** A problem with where books go, said in one line (no errno codes). */
export class OutputError extends Error {
  constructor(
    message: string,
    /** A problem with the command's arguments (one file for several books), not with the disk. */
    readonly usage = false,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** What a file-system error means, in words. */
export function fsProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'the folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EEXIST':
      return 'a file is in the way';
    case 'ELOOP':
      return 'it is a loop of links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return e instanceof Error ? e.message.replace(/^E[A-Z]+: /, '').split(',')[0]! : String(e);
  }
}

/** What `--out` asks for. */
export type OutputPlan = { kind: 'stdout' } | { kind: 'file'; path: string } | { kind: 'folder'; dir: string };

/** What is at a path now: a regular file (after following links), a device or FIFO (written through), a folder, or something else. */
export interface ExistingTarget {
  /** The path the book would be written to (a link's regular file, resolved). */
  path: string;
  kind: 'file' | 'device' | 'directory' | 'other';
  /** An existing EPUB's `dc:identifier`, read from its OPF when it is a book fic2epub wrote (`existingBookAt`; only where a book is placed). */
  identifier?: string;
}

/**
 * Look at a path: nothing there (undefined), or what is there. A link is followed; a link to
 * nothing (an unplugged e-reader's mount point) is an OutputError.
 */
export async function examineTarget(path: string): Promise<ExistingTarget | undefined> {
  let l;
  try {
    l = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputError(`cannot use ${path}: ${fsProblem(e)}`);
  }
  // /dev/stdout and its kin are links into /proc; whatever they lead to, they are written through.
  if (path.startsWith('/dev/')) return { path, kind: l.isDirectory() ? 'directory' : 'device' };
  if (!l.isSymbolicLink()) return { path, kind: kindOf(l) };
  let s;
  try {
    s = await stat(path);
  } catch {
    const to = await readlink(path).catch(() => '?');
    throw new OutputError(`${path} is a link to ${to}, which does not exist (is the device connected?)`);
  }
  const kind = kindOf(s);
  return { path: kind === 'file' || kind === 'directory' ? await realpath(path) : path, kind };
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean }): ExistingTarget['kind'] {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isCharacterDevice() || s.isBlockDevice() || s.isFIFO()) return 'device';
  return 'other';
}

/**
 * What `--out` means: `-` is standard output; an existing folder, a name ending in `/` or a name
 * not ending in `.epub` is a folder; a `.epub` name, a device or a FIFO is one file. `books` is
 * how many books the run makes (an anthology is one); one file for several books is an
 * OutputError, as is standard output for several.
 */
export async function planOutput(out: string | undefined, books: number): Promise<OutputPlan> {
  if (out === undefined) return { kind: 'folder', dir: '.' };
  if (out === '-') {
    if (books > 1) throw new OutputError(`-o - writes one book to standard output, but ${books} stories were given; give a folder, or --anthology to bind them into one book`, true);
    return { kind: 'stdout' };
  }
  let existing;
  try {
    existing = await examineTarget(out);
  } catch (e) {
    const why = (e as Error).message.replace(/^cannot use /, '');
    throw new OutputError(/\.epub$/i.test(out) ? `cannot write ${why}` : `cannot create the output folder: ${why}`);
  }
  if (existing?.kind === 'directory' || out.endsWith('/') || out.endsWith(sep)) return { kind: 'folder', dir: out };
  if (existing?.kind === 'device' || /\.epub$/i.test(out)) {
    if (books > 1) throw new OutputError(`--out ${out} names one file, but ${books} stories were given; give a folder, or --anthology to bind them into one book`, true);
    return { kind: 'file', path: out };
  }
  if (existing) throw new OutputError(`cannot use ${out} as the output folder: a file is in the way (name a book file ending in .epub, or a folder)`, true);
  return { kind: 'folder', dir: out };
}

/** Create the output folder (and its parents). */
export async function ensureFolder(dir: string): Promise<void> {
  const bare = dir.length > 1 ? dir.replace(/[/\\]+$/, '') : dir;
  let existing;
  try {
    existing = await examineTarget(bare);
  } catch (e) {
    throw new OutputError(`cannot create the output folder: ${(e as Error).message}`);
  }
  if (existing?.kind === 'directory') return;
  if (existing) throw new OutputError(`cannot create the output folder: ${bare} is a file`);
  try {
    await mkdir(bare, { recursive: true });
  } catch (e) {
    throw new OutputError(`cannot create the output folder: ${bare}: ${fsProblem(e)}`);
  }
}

/** The book about to be written, as far as deciding its target goes. */
export interface NewBook {
  /** Its `dc:identifier` (a `urn:uuid:`), when known. */
  identifier?: string;
}

/**
 * What happens at a target: `write` (nothing is there, or a device or FIFO to write through),
 * `number` (a file is there and is kept; the book takes the next free numbered name), `replace`
 * (the user said --force), `update` (the file there is the same story's book).
 */
export type TargetDecision = 'write' | 'number' | 'replace' | 'update';

/**
 * The one place that decides whether an existing file may be replaced. An existing file is never
 * replaced unless the user said `--force`.
 *
 * Seam for living books (issue 21): have `examineTarget` read an existing EPUB's OPF
 * `dc:identifier` into `existing.identifier`; when it equals `book.identifier` (the same story, or
 * the same anthology), return `update` here, before the `force` test. `placeBook` already
 * replaces the file atomically on `update` (the updated book's bytes are the caller's).
 */
export function decideTarget(existing: ExistingTarget | undefined, book: NewBook, opts: { force: boolean }): TargetDecision {
  if (!existing || existing.kind === 'device') return 'write';
  if (existing.kind !== 'file') throw new OutputError(`cannot write ${existing.path}: it is ${existing.kind === 'directory' ? 'a folder' : 'not a regular file'}`);
  // The same story's (or anthology's) book: the caller built the update of it (src/update/).
  if (book.identifier !== undefined && existing.identifier === book.identifier) return 'update';
  return opts.force ? 'replace' : 'number';
}

/** What is at `target`, and the fic2epub book in it when there is one (its identifier filled in). */
export async function existingBookAt(target: string): Promise<{ target: ExistingTarget; book?: ExistingBook } | undefined> {
  const existing = await examineTarget(target);
  if (existing?.kind !== 'file') return existing ? { target: existing } : undefined;
  const { readExistingBook } = await import('../update/existing.js');
  const book = await readExistingBook(new Uint8Array(await readFile(existing.path))).catch(() => undefined);
  return { target: book ? { ...existing, identifier: book.identifier } : existing, ...(book ? { book } : {}) };
}

/** Where `placeBook` would put a book, and why, without writing anything (--dry-run). */
export async function previewPlace(target: string, book: NewBook, opts: { force: boolean; taken?: Set<string> }): Promise<Placed> {
  const taken = opts.taken ?? new Set<string>();
  // A book is read back (for its identifier) only where it may be updated: not over one written in this run.
  const existing = book.identifier !== undefined && !taken.has(target.toLowerCase()) ? (await existingBookAt(target))?.target : await examineTarget(target);
  const decision = taken.has(target.toLowerCase()) ? 'number' : decideTarget(existing, book, opts);
  const path = existing?.path ?? target;
  if (decision !== 'number') {
    taken.add(target.toLowerCase());
    return { path, decision };
  }
  for (let n = 2; ; n++) {
    const candidate = numberedPath(path, n);
    if (taken.has(candidate.toLowerCase()) || (await examineTarget(candidate))) continue;
    taken.add(candidate.toLowerCase());
    return { path: candidate, decision, ...(taken.has(target.toLowerCase()) && !existing ? {} : { kept: path }) };
  }
}

/** How a book was placed. */
export interface Placed {
  /** Where the book was written. */
  path: string;
  decision: TargetDecision;
  /** With `number`: the existing file that was kept. */
  kept?: string;
}

/** Temporary files being written (for removal on an interrupt) and the batch's cancel signal. */
export interface WriteControl {
  temps: Set<string>;
  signal?: AbortSignal;
}

/** `name.epub` → `name (n).epub`. */
export function numberedPath(path: string, n: number): string {
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)} (${n})${ext}`);
}

/**
 * Write a book to `target`, deciding with `decideTarget` what happens to what is there; `taken`
 * holds the paths (lower case) already written in this run, which are numbered around too.
 */
export async function placeBook(target: string, bytes: Uint8Array, book: NewBook, opts: { force: boolean; taken?: Set<string> }, control: WriteControl): Promise<Placed> {
  const taken = opts.taken ?? new Set<string>();
  const ownEarlier = taken.has(target.toLowerCase());
  // A book is read back (for its identifier) only where it may be updated: not over one written in this run.
  const existing = book.identifier !== undefined && !ownEarlier ? (await existingBookAt(target))?.target : await examineTarget(target);
  // A file written earlier in this run is never replaced, even with --force; the book is numbered
  // as in any batch, without a warning (nothing from before the run was in the way).
  const decision = ownEarlier ? 'number' : decideTarget(existing, book, opts);
  const path = existing?.path ?? target;
  if (decision === 'write' && existing?.kind === 'device') {
    await writeThrough(path, bytes, control);
    return { path: target, decision };
  }
  if (decision === 'replace' || decision === 'update') {
    await writeAtomic(path, bytes, control, { replace: true });
    taken.add(target.toLowerCase());
    return { path, decision };
  }
  for (let n = decision === 'write' ? 1 : 2; ; n++) {
    const candidate = n === 1 ? path : numberedPath(path, n);
    if (taken.has(candidate.toLowerCase())) continue;
    if (n > 1 && (await examineTarget(candidate))) continue;
    // Linked into place, which fails if a file appeared there meanwhile: then the next number.
    if (await writeAtomic(candidate, bytes, control, { replace: false })) {
      taken.add(candidate.toLowerCase());
      return n === 1 ? { path: candidate, decision: 'write' } : { path: candidate, decision: 'number', ...(ownEarlier ? {} : { kept: path }) };
    }
  }
}

/** Write into a device or FIFO as it is (never renamed over). */
async function writeThrough(path: string, bytes: Uint8Array, control: WriteControl): Promise<void> {
  if (control.signal?.aborted) throw new OutputError('interrupted');
  try {
    const fd = await open(path, constants.O_WRONLY | constants.O_APPEND);
    try {
      await writeFile(fd, bytes);
    } finally {
      await close(fd);
    }
  } catch (e) {
    throw new OutputError(`cannot write ${path}: ${fsProblem(e)}`);
  }
}

/**
 * Write bytes to `path` atomically: a temporary file beside it, then a rename (`replace`) or a
 * hard link that fails when something is already there (returns false then). The temporary file
 * is in `control.temps` from before it is created until it is gone. Once the signal is aborted
 * no new file is started.
 */
export async function writeAtomic(path: string, bytes: Uint8Array, control: WriteControl, opts: { replace: boolean }): Promise<boolean> {
  if (control.signal?.aborted) throw new OutputError('interrupted');
  const tmp = join(dirname(path), `.${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.fic2epub.tmp`);
  control.temps.add(tmp);
  try {
    await writeFile(tmp, bytes, { flag: 'wx' });
    if (opts.replace) {
      await rename(tmp, path);
      return true;
    }
    try {
      await link(tmp, path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // File systems without hard links (FAT on e-readers): look, then rename.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
      if (await examineTarget(path)) return false;
      await rename(tmp, path);
      return true;
    }
    return true;
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${path}: ${fsProblem(e)}`);
  } finally {
    await unlink(tmp).catch(() => undefined);
    control.temps.delete(tmp);
  }
}
