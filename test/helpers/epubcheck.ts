/**
 * EPUBCheck for tests. When it is missing the calling test skips with a visible note, unless
 * FIC2EPUB_REQUIRE_EPUBCHECK=1 (CI), where it fails. Every test checks through one pool, the one
 * `build --check` uses, so the suite starts EPUBCheck's JVM once per core instead of once a book.
 */
import { EpubcheckPool, epubcheckJar, epubcheckUnavailable, type CheckResult } from '../../src/check.js';

let pool: EpubcheckPool | undefined;

/** Run EPUBCheck on one EPUB file, in the suite's shared JVMs. */
export function epubcheck(file: string): Promise<CheckResult> {
  return (pool ??= new EpubcheckPool(epubcheckJar())).check(file);
}

/** Skip the current test (or fail under FIC2EPUB_REQUIRE_EPUBCHECK=1) when EPUBCheck is missing. */
export async function requireEpubcheck(ctx: Mocha.Context): Promise<void> {
  const why = await epubcheckUnavailable();
  if (!why) return;
  if (process.env.FIC2EPUB_REQUIRE_EPUBCHECK === '1') throw new Error(`EPUBCheck is required (FIC2EPUB_REQUIRE_EPUBCHECK=1): ${why}`);
  console.log(`      [skipped: ${why}; looked for ${epubcheckJar()}]`);
  ctx.skip();
}

/** One line per message, for assertion failures. */
export function describeMessages(r: CheckResult): string {
  return r.messages.map((m) => `${m.severity} ${m.id} ${m.message} @ ${m.location ?? ''}`).join('\n');
}
