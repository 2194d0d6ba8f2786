/** resvg loaded for the covers: the package's pixels, without the package loader's diagnostic report on glibc Linux. */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadResvg } from '../../src/render/resvg.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="64"><rect width="40" height="64" fill="#1f2b45"/><circle cx="20" cy="30" r="12" fill="#d4b483"/></svg>';
const OPTIONS = { fitTo: { mode: 'original' as const }, logLevel: 'off' as const };

describe('loadResvg', function () {
  this.timeout(30_000);

  it("draws the package's pixels, with Resvg and with renderAsync", async () => {
    const ours = await loadResvg();
    const pkg = await import('@resvg/resvg-js');
    const expected = new pkg.Resvg(SVG, OPTIONS).render().pixels;
    expect(new ours.Resvg(SVG, OPTIONS).render().pixels.equals(expected)).to.equal(true);
    expect((await ours.renderAsync(SVG, OPTIONS)).pixels.equals(expected)).to.equal(true);
    // Options reach the binding: a size asked for is the size drawn.
    const wide = new ours.Resvg(SVG, { fitTo: { mode: 'width', value: 80 } }).render();
    expect([wide.width, wide.height]).to.deep.equal([80, 128]);
  });

  it('asks Node for no diagnostic report on glibc Linux', async function () {
    const glibc = process.platform === 'linux' && existsSync('/usr/bin/ldd') && !readFileSync('/usr/bin/ldd', 'latin1').includes('musl');
    if (!glibc) this.skip();
    const module = fileURLToPath(new URL('../../src/render/resvg.js', import.meta.url));
    const script = `let reports = 0; const real = process.report.getReport; process.report.getReport = (...a) => (reports++, real.apply(process.report, a));
      const { loadResvg } = await import(${JSON.stringify(module)}); const { Resvg } = await loadResvg();
      console.log(JSON.stringify({ reports, width: new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>').render().width }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).to.deep.equal({ reports: 0, width: 8 });
  });
});
