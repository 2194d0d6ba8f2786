/**
 * EPUBCheck, when Java and its jar are installed (Debian: `apt-get install epubcheck`, run as
 * `java -jar /usr/share/java/epubcheck.jar`). Used by `build --check` and by the tests.
 *
 * EPUBCheck's command line checks one file per JVM, and a JVM's start-up and warm-up cost more
 * than the check itself (3–10 s a book on a busy 2-core machine). So books are checked by a
 * small launcher (LAUNCHER below, compiled once into a cache folder) that keeps one JVM alive
 * and runs EPUBCheck's own command-line class on each file it is sent, writing the same JSON
 * report; a pool runs one such JVM per core. Where no Java compiler is installed, the pool falls
 * back to one `java -jar` per file, still one per core at a time.
 */
import type * as ChildProcess from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

// node:crypto loads with the first hash (~2 ms): most builds never need it.
const createHash = (algorithm: string): import('node:crypto').Hash => (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash(algorithm);

// child_process loads with the first check: a build without --check never needs it.
const childProcess = (): typeof ChildProcess => createRequire(import.meta.url)('node:child_process') as typeof ChildProcess;
const run = (file: string, args: string[], options: ChildProcess.ExecFileOptions = {}): Promise<unknown> => promisify(childProcess().execFile)(file, args, options);

/** Where the EPUBCheck jar is looked for (FIC2EPUB_EPUBCHECK_JAR overrides). */
export function epubcheckJar(env: Record<string, string | undefined> = process.env): string {
  return env.FIC2EPUB_EPUBCHECK_JAR ?? '/usr/share/java/epubcheck.jar';
}

/** One EPUBCheck finding. */
export interface CheckMessage {
  id: string;
  severity: 'FATAL' | 'ERROR' | 'WARNING';
  message: string;
  location?: string;
}

/** EPUBCheck's verdict on one file. */
export interface CheckResult {
  fatal: number;
  errors: number;
  warnings: number;
  messages: CheckMessage[];
}

/** Why EPUBCheck cannot run here, or undefined when it can. */
export async function epubcheckUnavailable(jar = epubcheckJar()): Promise<string | undefined> {
  if (!existsSync(jar)) return `EPUBCheck is not installed (${jar} is missing; apt-get install epubcheck)`;
  try {
    await run('java', ['-version']);
    return undefined;
  } catch {
    return 'Java is not installed, so EPUBCheck cannot run';
  }
}

interface RawMessage {
  ID: string;
  severity: string;
  message: string;
  locations?: { path: string; line: number; column: number }[];
}

/** EPUBCheck's JSON report file as a CheckResult. */
function readReport(file: string, out: string): CheckResult {
  if (!existsSync(out)) throw new Error(`EPUBCheck wrote no report for ${file}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { messages: RawMessage[] };
  const messages: CheckMessage[] = report.messages
    .filter((m) => m.severity === 'FATAL' || m.severity === 'ERROR' || m.severity === 'WARNING')
    .map((m) => ({
      id: m.ID,
      severity: m.severity as CheckMessage['severity'],
      message: m.message,
      ...(m.locations?.length ? { location: m.locations.map((l) => `${l.path}:${l.line}`).join(', ') } : {}),
    }));
  const count = (s: string): number => messages.filter((m) => m.severity === s).length;
  return { fatal: count('FATAL'), errors: count('ERROR'), warnings: count('WARNING'), messages };
}

/**
 * The launcher: reads "epub<TAB>report.json" lines on stdin, runs EPUBCheck's command-line class
 * on each in this JVM, and answers one line per file on the real stdout (EPUBCheck's own
 * printing goes nowhere).
 */
const LAUNCHER = `import java.io.*;
public class Fic2epubCheck {
  public static void main(String[] args) throws Exception {
    PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(nowhere);
    System.setErr(nowhere);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    for (String line; (line = in.readLine()) != null;) {
      int tab = line.indexOf('\\t');
      int code;
      try {
        code = new com.adobe.epubcheck.tool.EpubChecker().run(new String[] { line.substring(0, tab), "--json", line.substring(tab + 1) });
      } catch (Throwable t) {
        code = -1;
      }
      answers.println(code);
    }
  }
}
`;

// C1 only: these JVMs live for seconds, and the top compiler's work would not pay back. The
// stack size is the one Debian's epubcheck wrapper gives (its schemas recurse deeply).
const JVM_FLAGS = ['-Xshare:auto', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xss1024k'];

/** The compiled launcher's folder (compiled on first use, kept in the temporary folder), or undefined without a Java compiler. */
async function launcherClasses(jar: string): Promise<string | undefined> {
  const key = createHash('sha256').update(LAUNCHER).update(jar).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `fic2epub-epubcheck-${key}`);
  if (existsSync(join(dir, 'Fic2epubCheck.class'))) return dir;
  const work = mkdtempSync(join(tmpdir(), 'fic2epub-epubcheck-build-'));
  try {
    writeFileSync(join(work, 'Fic2epubCheck.java'), LAUNCHER);
    await run('javac', ['-nowarn', '-cp', jar, '-d', work, join(work, 'Fic2epubCheck.java')]);
    mkdirSync(dir, { recursive: true });
    // Renamed into place, so a concurrent run never loads a half-written class.
    renameSync(join(work, 'Fic2epubCheck.class'), join(dir, 'Fic2epubCheck.class'));
    return dir;
  } catch {
    return undefined;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One long-lived JVM running the launcher; checks one file at a time. */
class LauncherJvm {
  private readonly child: ChildProcess.ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (code: number) => void; reject: (e: Error) => void }[] = [];
  private buffered = '';
  dead?: Error;
  busy = 0;

  constructor(jar: string, classes: string) {
    this.child = childProcess().spawn('java', [...JVM_FLAGS, '-cp', `${jar}${delimiter}${classes}`, 'Fic2epubCheck'], { stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => {
      this.buffered += s;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl).trim();
        this.buffered = this.buffered.slice(nl + 1);
        this.waiting.shift()?.resolve(Number(line));
      }
    });
    this.child.stderr.resume();
    this.child.on('error', (e) => this.fail(e));
    this.child.on('exit', (code) => this.fail(new Error(`the EPUBCheck JVM stopped (exit ${code})`)));
    this.child.stdin.on('error', () => undefined);
    this.idle();
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  /** An idle JVM does not keep this process alive: it ends (its stdin closed) when this process does. */
  private idle(): void {
    this.child.unref();
    (this.child.stdout as unknown as { unref(): void }).unref();
    (this.child.stderr as unknown as { unref(): void }).unref();
    (this.child.stdin as unknown as { unref(): void }).unref();
  }

  private active(): void {
    this.child.ref();
    (this.child.stdout as unknown as { ref(): void }).ref();
  }

  async check(file: string, report: string): Promise<void> {
    if (this.dead) throw this.dead;
    this.busy++;
    this.active();
    try {
      await new Promise<number>((resolve, reject) => {
        this.waiting.push({ resolve, reject });
        this.child.stdin.write(`${file}\t${report}\n`);
      });
    } finally {
      if (--this.busy === 0) this.idle();
    }
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Checks EPUB files with EPUBCheck, up to `workers` at a time, each JVM started once. */
export class EpubcheckPool {
  private readonly jvms: LauncherJvm[] = [];
  private classes?: Promise<string | undefined>;
  private readonly queue: (() => void)[] = [];
  private running = 0;

  constructor(
    private readonly jar = epubcheckJar(),
    private readonly workers = availableParallelism(),
  ) {}

  /** Check one file (queued behind others when every worker is busy). */
  async check(file: string): Promise<CheckResult> {
    if (this.running >= this.workers) await new Promise<void>((go) => this.queue.push(go));
    this.running++;
    const dir = mkdtempSync(join(tmpdir(), 'fic2epub-check-'));
    const out = join(dir, 'report.json');
    try {
      const classes = await (this.classes ??= launcherClasses(this.jar));
      const launched = classes
        ? await this.jvm(classes)
            .check(file, out)
            .then(() => true, () => false)
        : false;
      // EPUBCheck exits non-zero when it finds errors; the JSON report is what is read.
      if (!launched) await run('java', [...JVM_FLAGS, '-jar', this.jar, file, '--json', out], { maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
      return readReport(file, out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      this.running--;
      this.queue.shift()?.();
    }
  }

  /** Check every file; results in the same order. */
  checkAll(files: string[]): Promise<CheckResult[]> {
    return Promise.all(files.map((f) => this.check(f)));
  }

  /** An idle JVM, started when every one is busy and there is room for another. */
  private jvm(classes: string): LauncherJvm {
    for (let i = this.jvms.length - 1; i >= 0; i--) if (this.jvms[i]!.dead) this.jvms.splice(i, 1);
    const free = this.jvms.find((j) => j.busy === 0);
    if (free) return free;
    const jvm = new LauncherJvm(this.jar, classes);
    this.jvms.push(jvm);
    return jvm;
  }

  /** Let the JVMs end. */
  close(): void {
    for (const j of this.jvms.splice(0)) j.close();
  }
}

/** Run EPUBCheck on one EPUB file (a pool of one, closed afterwards). */
export async function epubcheck(file: string, jar = epubcheckJar()): Promise<CheckResult> {
  const pool = new EpubcheckPool(jar, 1);
  try {
    return await pool.check(file);
  } finally {
    pool.close();
  }
}
