/**
 * The robustness sweep: damaged and odd variants of the project's own fixtures of every format
 * (cut at many points, other line ends and encodings, NULs, a 5 MB line, 20,000 nested elements,
 * broken, hostile and bomb EPUBs …), made from a fixed seed (test/helpers/sweep.ts), each through
 * the CLI and the library in a heap-limited worker with a time limit. Every case must end as a
 * valid book or one clear refusal: no crash, no stack trace, nothing left behind, no words of a
 * readable variant lost. SWEEP_ALL=1 sweeps every variant (~1,050) instead of one fixture per damage;
 * `node dist/test/helpers/sweep-run.js [--all]` prints the table.
 */
import { expect } from 'chai';
import { pickVariants, runSweep, sweepTable, type CaseResult } from '../helpers/sweep-run.js';
import { requireEpubcheck } from '../helpers/epubcheck.js';

describe('robustness sweep', function () {
  this.timeout(900_000);
  let results: CaseResult[];

  before(async function () {
    await requireEpubcheck(this);
    // One fixture per damage (and every made input) keeps the run short; the time limit is generous for a busy machine (the 5 MB page takes a few seconds alone).
    results = await runSweep(await pickVariants(process.env.SWEEP_ALL === '1', 1), { timeoutMs: 120_000, heapMb: 1024 });
  });

  it('sweeps every kind of damage', () => {
    const damages = new Set(results.map((r) => r.variant.damage));
    for (const d of ['cut mid-UTF-8', 'cut mid-tag', 'CR-only line ends', 'UTF-16LE without BOM', 'Windows-1252 quotes in UTF-8', 'NUL bytes', 'one 5 MB line', 'empty file', 'whitespace only', '20,000 nested <div>s', 'all chrome, no story', 'zip cut mid-entry', 'no META-INF/container.xml', 'no package document', 'spine names a missing file', 'duplicate entry name', 'absolute entry name', '../ entry name', 'entry claims 4 GB', 'DRM encryption.xml', 'XHTML not well-formed', 'zip bomb']) {
      expect(damages, d).to.include(d);
    }
  });

  it('ends every case as a valid book or one clear refusal', () => {
    const bad = results.filter((r) => r.outcome !== 'built' && r.outcome !== 'refused');
    expect(bad.map((r) => `${r.outcome}: ${r.variant.name}: ${r.detail}`), `\n${sweepTable(results)}\n`).to.deep.equal([]);
  });

  it('refuses what has no story, and builds what has one', () => {
    const outcome = (name: string): string | undefined => results.find((r) => r.variant.name === name)?.outcome;
    expect(outcome('made ~ empty file (in.txt)')).to.equal('refused');
    expect(outcome('made ~ all chrome, no story (in.html)')).to.equal('refused');
    expect(outcome('made ~ zip bomb (in.epub)')).to.equal('refused');
    expect(outcome('made ~ one 5 MB line (in.txt)')).to.equal('built');
    expect(outcome('made ~ 20,000 nested <div>s (in.html)')).to.equal('built');
  });
});
