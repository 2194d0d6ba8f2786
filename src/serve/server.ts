/**
 * `fic2epub serve`: a node:http server on 127.0.0.1 for the one page in web/ and its API under
 * /api/. Safe by default: loopback only; Host and Origin must be its own (DNS rebinding, other
 * sites' pages); a random token on every /api/ request (cookie set from the first page load, or
 * a header); upload limits; a strict Content-Security-Policy. Requests keep no state: each
 * carries its files, which live in memory only while it is answered.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { findAssetDir } from '../assets.js';
import { defaultBuildContext } from '../index.js';
import type { MetaOverrides } from '../options.js';
import { buildJob, builtInStyles, coverPreview, errorLine, features, JobError, previewStyles, storyReport, zipBooks, type BuildJob, type BuildProgress, type BuiltBook, type Notice, type Upload } from './library.js';

/** How much one request may carry. */
export interface Limits {
  /** Bytes of one uploaded file. */
  fileBytes: number;
  /** Files in one request. */
  files: number;
  /** Bytes of one request's body. */
  requestBytes: number;
}

export const DEFAULT_LIMITS: Limits = { fileBytes: 20 * 1024 * 1024, files: 200, requestBytes: 100 * 1024 * 1024 };

export interface ServeOptions {
  /** 0 (the default): a free port. */
  port?: number;
  /** Fixed only by tests; otherwise 32 random bytes. */
  token?: string;
  limits?: Partial<Limits>;
  /** SOURCE_DATE_EPOCH for books whose stories state no date. */
  sourceDateEpoch?: number;
}

export interface Serving {
  /** The address to open, with its token. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

/** An answer other than 200, with one line for the user. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/icon.svg': { file: 'icon.svg', type: 'image/svg+xml' },
};

function megabytes(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The body, refused past `limit` bytes (stated or read); the rest of a refused body is read and dropped, so the answer still reaches the client. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (n: number): HttpError => new HttpError(413, `The upload is too large (${megabytes(n)}); the limit is ${megabytes(limit)} at once. Send fewer or smaller files.`);
  return new Promise((resolve, reject) => {
    const stated = Number(req.headers['content-length'] ?? 0);
    if (stated > limit) {
      req.resume();
      reject(tooLarge(stated));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(size));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A multipart form's fields and files (parsed by Node's own fetch implementation), within the limits. */
async function readForm(req: IncomingMessage, limits: Limits): Promise<{ fields: Map<string, string>; files: Map<string, Upload[]> }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) throw new HttpError(415, 'Send the files as multipart/form-data.');
  const body = await readBody(req, limits.requestBytes);
  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new HttpError(400, 'The upload could not be read as a form.');
  }
  const fields = new Map<string, string>();
  const files = new Map<string, Upload[]>();
  let count = 0;
  for (const [k, v] of form) {
    if (typeof v === 'string') {
      fields.set(k, v);
      continue;
    }
    if (++count > limits.files) throw new HttpError(413, `Too many files at once; the limit is ${limits.files}. Send them in smaller groups.`);
    if (v.size > limits.fileBytes) throw new HttpError(413, `${v.name} is too large (${megabytes(v.size)}); the limit is ${megabytes(limits.fileBytes)} a file.`);
    const list = files.get(k) ?? [];
    list.push({ name: v.name || 'upload', bytes: new Uint8Array(await v.arrayBuffer()) });
    files.set(k, list);
  }
  return { fields, files };
}

function parseJson<T>(text: string | undefined, what: string): T {
  try {
    return JSON.parse(text ?? '') as T;
  } catch {
    throw new HttpError(400, `The ${what} is not valid JSON.`);
  }
}

/** Only plain strings, arrays of strings and a series pass from the page into the library's overrides. */
function cleanOverrides(o: unknown): MetaOverrides {
  if (!o || typeof o !== 'object') return {};
  const src = o as Record<string, unknown>;
  const out: MetaOverrides = {};
  const str = (k: 'title' | 'summary' | 'language' | 'rating'): void => {
    const v = src[k];
    if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  };
  const list = (k: 'authors' | 'tags' | 'fandoms'): void => {
    const v = src[k];
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
  };
  str('title'); str('summary'); str('language'); str('rating');
  list('authors'); list('tags'); list('fandoms');
  const s = src.series as Record<string, unknown> | undefined;
  if (s && typeof s.name === 'string' && s.name.trim()) {
    const index = Number(s.index);
    out.series = { name: s.name.trim(), ...(Number.isFinite(index) && index > 0 ? { index } : {}) };
  }
  if (out.language && !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(out.language)) throw new HttpError(400, `"${out.language}" is not a language tag (e.g. en, de, pt-BR).`);
  return out;
}

function cleanJob(raw: unknown, stories: number): BuildJob {
  const j = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const kind = j.kind === 'anthology' ? 'anthology' : 'books';
  const cover = j.cover === 'none' || j.cover === 'upload' ? j.cover : 'generated';
  const list = Array.isArray(j.stories) ? j.stories : [];
  const a = (j.anthology ?? {}) as Record<string, unknown>;
  return {
    kind,
    stories: Array.from({ length: stories }, (_, i) => cleanOverrides(list[i])),
    ...(kind === 'anthology'
      ? { anthology: { title: typeof a.title === 'string' ? a.title : '', editors: Array.isArray(a.editors) ? a.editors.filter((e): e is string => typeof e === 'string') : [], ...(typeof a.description === 'string' ? { description: a.description } : {}) } }
      : {}),
    style: typeof j.style === 'string' ? j.style : 'default',
    target: (typeof j.target === 'string' ? j.target : 'epub') as BuildJob['target'],
    cover,
  };
}

/** The media type a page asks for to hear a build's progress (see `buildWithProgress`). */
const PROGRESS_TYPE = 'application/x-fic2epub-progress';

/** What a build hands back: its one book, or a zip of several, with what was said on the way. */
function deliverable(books: BuiltBook[]): { fileName: string; type: string; bytes: Uint8Array; notices: Notice[] } {
  const notices = books.flatMap((b) => b.notices).slice(0, 50);
  if (books.length === 1) return { fileName: books[0]!.fileName, type: 'application/epub+zip', bytes: books[0]!.bytes, notices };
  return { fileName: 'books.zip', type: 'application/zip', bytes: zipBooks(books.map((b) => ({ name: b.fileName, bytes: b.bytes }))), notices };
}

/** RFC 6266 file name: an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Start serving; resolves once listening. */
export async function startServer(o: ServeOptions = {}): Promise<Serving> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...o.limits };
  const token = o.token ?? randomBytes(32).toString('base64url');
  const web = findAssetDir('web');
  // Read once: the server never reads its disk again while it answers.
  const assets = new Map(Object.entries(ASSETS).map(([path, a]) => [path, { type: a.type, body: readFileSync(join(web, a.file)) }]));
  const styles = builtInStyles();
  // One cover renderer (fonts loaded once) for every request.
  const drawing = defaultBuildContext();
  // The preview frame's <style> is the book's own stylesheet: allowed by its hash, nothing else inline.
  const styleHashes = previewStyles().map((css) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`);
  const csp = [
    "default-src 'none'", "script-src 'self'", `style-src 'self' ${styleHashes.join(' ')}`, "img-src 'self' blob: data:", "connect-src 'self'",
    "frame-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; ');
  let port = 0;
  const cookieName = (): string => `fic2epub_${port}`;
  const ownHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

  const headers = (): Record<string, string> => ({
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void => {
    res.writeHead(status, {
      ...headers(),
      'Content-Type': type,
      'Content-Length': String(Buffer.byteLength(body)),
      ...extra,
    });
    res.end(body);
  };
  /**
   * A build that reports as it goes (big batches): one JSON line per step, then a line
   * describing the result followed by its bytes; a failure after the start is a line `{error}`.
   */
  async function buildWithProgress(res: ServerResponse, run: (onProgress: (p: BuildProgress) => void) => Promise<BuiltBook[]>): Promise<void> {
    res.writeHead(200, { ...headers(), 'Content-Type': PROGRESS_TYPE });
    try {
      const { bytes, ...about } = deliverable(await run((p) => res.write(`${JSON.stringify(p)}\n`)));
      res.write(`${JSON.stringify({ ...about, size: bytes.length })}\n`);
      res.end(bytes);
    } catch (e) {
      if (res.destroyed) return;
      res.end(`${JSON.stringify({ error: e instanceof HttpError || e instanceof JobError ? e.message : errorLine(e) })}\n`);
    }
  }
  const sendError = (res: ServerResponse, status: number, message: string): void => send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: message }));

  async function api(req: IncomingMessage, res: ServerResponse, path: string, signal: AbortSignal): Promise<void> {
    const post = (): void => {
      if (req.method !== 'POST') throw new HttpError(405, 'Use POST.');
    };
    switch (path) {
      case '/api/config':
        if (req.method !== 'GET') throw new HttpError(405, 'Use GET.');
        send(res, 200, 'application/json; charset=utf-8', JSON.stringify({ styles, limits, ...features() }));
        return;
      case '/api/read': {
        post();
        const { fields, files } = await readForm(req, limits);
        const file = files.get('file')?.[0];
        if (!file) throw new HttpError(400, 'Send one story as the "file" field.');
        const style = fields.get('style') ?? 'default';
        if (!styles.includes(style)) throw new HttpError(400, `Unknown style "${style}".`);
        const overrides = cleanOverrides(fields.has('overrides') ? parseJson(fields.get('overrides'), 'overrides') : {});
        try {
          const report = await storyReport(file, overrides, style, Number(fields.get('chapter') ?? 1));
          send(res, 200, 'application/json; charset=utf-8', JSON.stringify(report));
        } catch (e) {
          // A file that cannot be read is the answer, not a server fault: one line the page shows.
          sendError(res, 422, `${file.name}: ${errorLine(e)}`);
        }
        return;
      }
      case '/api/cover': {
        post();
        const body = parseJson<Record<string, unknown>>((await readBody(req, 64 * 1024)).toString('utf8'), 'cover request');
        const o = cleanOverrides(body);
        const png = await coverPreview({ ...(o.title ? { title: o.title } : { title: 'Untitled' }), authors: o.authors ?? [], fandoms: o.fandoms ?? [], ...(o.series ? { series: o.series } : {}) }, drawing);
        send(res, 200, 'image/png', png);
        return;
      }
      case '/api/build': {
        post();
        const { fields, files } = await readForm(req, limits);
        const stories = files.get('story') ?? [];
        if (!stories.length) throw new HttpError(400, 'Send at least one story as a "story" field.');
        const job = cleanJob(parseJson(fields.get('job'), 'job'), stories.length);
        const cover = files.get('cover')?.[0]?.bytes;
        if (req.headers.accept === PROGRESS_TYPE) {
          await buildWithProgress(res, (onProgress) => buildJob(job, stories, cover, signal, o.sourceDateEpoch, drawing, onProgress));
          return;
        }
        const { fileName, type, bytes, notices } = deliverable(await buildJob(job, stories, cover, signal, o.sourceDateEpoch, drawing));
        send(res, 200, type, bytes, { 'Content-Disposition': attachment(fileName), 'X-Fic2epub-Notices': encodeURIComponent(JSON.stringify(notices)) });
        return;
      }
      case '/api/zip': {
        post();
        const { files } = await readForm(req, limits);
        const books = files.get('book') ?? [];
        if (!books.length) throw new HttpError(400, 'Send the books as "book" fields.');
        send(res, 200, 'application/zip', zipBooks(books), { 'Content-Disposition': attachment('books.zip') });
        return;
      }
      default:
        throw new HttpError(404, 'No such API.');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a foreign name resolving to 127.0.0.1 still sends its own Host.
    if (!ownHosts().includes(req.headers.host ?? '')) throw new HttpError(403, 'This server answers only to its own address (127.0.0.1).');
    const origin = req.headers.origin;
    if (origin !== undefined && !ownHosts().some((h) => origin === `http://${h}`)) throw new HttpError(403, 'Requests from other sites are refused.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'Requests from other sites are refused.');
      const given = (req.headers['x-fic2epub-token'] as string | undefined) ?? cookie(req, cookieName());
      if (!sameSecret(given, token)) throw new HttpError(401, 'The token is missing or wrong: open the address fic2epub serve printed.');
      const ac = new AbortController();
      // The page gave up (cancel, closed tab): stop building.
      res.on('close', () => {
        if (!res.writableFinished) ac.abort();
      });
      await api(req, res, path, ac.signal);
      return;
    }
    const asset = assets.get(path);
    if (!asset) throw new HttpError(404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'Use GET.');
    if (path === '/') {
      const given = url.searchParams.get('token');
      if (given !== null) {
        if (!sameSecret(given, token)) throw new HttpError(401, 'This address holds an old or wrong token: open the address fic2epub serve printed.');
        // The token goes into a cookie only this page's requests carry, and out of the address bar.
        send(res, 303, 'text/plain; charset=utf-8', 'See /', { Location: '/', 'Set-Cookie': `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict` });
        return;
      }
      if (!sameSecret(cookie(req, cookieName()), token)) throw new HttpError(401, 'Open the address fic2epub serve printed: it holds the token this page needs.');
    }
    send(res, 200, asset.type, asset.body);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof HttpError) sendError(res, e.status, e.message);
      else if (e instanceof JobError) sendError(res, 400, e.message);
      else if (e instanceof Error && e.name === 'AbortError') res.destroy();
      else sendError(res, 500, errorLine(e));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const originUrl = `http://127.0.0.1:${port}`;
  return {
    url: `${originUrl}/?token=${token}`,
    origin: originUrl,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
