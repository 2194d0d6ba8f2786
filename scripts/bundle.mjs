/**
 * `npm run build`, second step: bundle the compiled CLI (dist/src) into dist/bundle/ with
 * esbuild, so a run loads a few files instead of ~300 modules (one story: 0.65 → 0.5 s here).
 *
 * - Code loaded with `import()` stays in its own chunk, loaded only when needed (the cover
 *   renderer, language detection, …). Native and very large packages stay outside
 *   (resvg's .node file, jsdom), as do modules the code loads with `createRequire`.
 * - yargs, cliui and wrap-ansi each bring a copy of string-width, whose top level builds an
 *   `Intl.Segmenter` (the process's first ICU service: ~15 ms) and compiles emoji patterns
 *   (`^\p{RGI_Emoji}$` with the `v` flag: ~13 ms), together a tenth of a one-story build. They
 *   need it only to lay out help text (cli-progress's older copy, only to draw its bar). Each
 *   import of it gets a stand-in that `require`s the real module on first call; esbuild still
 *   bundles the real module but, since it is required, runs its top level only then.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
/** Modules, imported for their default export only, whose top level runs on first call. */
const LAZY_DEFAULT_EXPORTS = ['string-width'];

const lazyDefaults = {
  name: 'lazy-default-exports',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_DEFAULT_EXPORTS.join('|')})$`);
    b.onResolve({ filter }, async (args) => {
      if (args.pluginData?.real) return undefined; // the stand-in's own require: the real module
      const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { real: true } });
      if (real.errors.length) return { errors: real.errors };
      // Named from the project root, so no build machine's folders show in the bundle.
      return { path: relative(root, real.path).split(sep).join('/'), namespace: 'lazy-default' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-default' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      pluginData: { real: true },
      contents: `
        let real;
        module.exports = function lazyDefault(...args) {
          if (!real) {
            const m = require(${JSON.stringify(`./${args.path}`)});
            real = typeof m === 'function' ? m : m.default; // CommonJS (cli-progress's copy) or ES module
          }
          return real.apply(this, args);
        };`,
    }));
  },
};

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: {
    fic2epub: join(root, 'dist', 'src', 'bin.js'),
    worker: join(root, 'dist', 'src', 'worker.js'),
  },
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  // Chunks beside the entries: batch.ts finds its worker next to itself.
  chunkNames: '[name]-[hash]',
  external: ['@resvg/resvg-js', 'jsdom'],
  // CommonJS packages inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __fic2epubCreateRequire } from 'node:module'; const require = __fic2epubCreateRequire(import.meta.url);" },
  plugins: [lazyDefaults],
  logLevel: 'warning',
});
