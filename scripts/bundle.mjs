/**
 * `npm run build`, second step: bundle the compiled CLI (dist/src) into dist/bundle/ with
 * esbuild, so a run loads a few files instead of ~300 modules (one story: 0.65 → 0.5 s here).
 *
 * - The CLI is one CommonJS file, `cli.js`, run by `fic2epub.js` (scripts/bin-loader.cjs) from
 *   V8's code cache: compiling ~1 MB of JavaScript was a fifth of a one-story build, and ES
 *   modules get no code cache in Node 20. Code loaded with `import()` stays lazy inside it (its
 *   module body runs on first use). The batch worker is a file of its own, `worker-body.js`,
 *   run the same way by `worker.js` (scripts/worker-loader.cjs), which a worker writes the cache
 *   for after its first jobs. A package.json in dist/bundle/ makes them CommonJS (the package
 *   itself is ES modules).
 * - Native and very large packages stay outside (resvg's .node file, jsdom, the ISO 639-3
 *   table, which only a language name no table knows needs), as do modules the code loads with
 *   `createRequire`.
 * - yargs, cliui and wrap-ansi each bring a copy of string-width, whose top level builds an
 *   `Intl.Segmenter` (the process's first ICU service: ~15 ms) and compiles emoji patterns
 *   (`^\p{RGI_Emoji}$` with the `v` flag: ~13 ms), together a tenth of a one-story build. They
 *   need it only to lay out help text (cli-progress's older copy, only to draw its bar). Each
 *   import of it gets a stand-in that `require`s the real module on first call; esbuild still
 *   bundles the real module but, since it is required, runs its top level only then.
 * - yargs takes `strictEqual` and `notStrictEqual` from Node's `assert` (loading it was about a
 *   millisecond of every run) to check its own state. Its import gets a stand-in making the same
 *   test (`Object.is`, as `assert` does) that throws a plain Error: one check fails on every run
 *   (yargs looks for a package.json above node_modules, and the bundle is in none) and yargs
 *   catches it; any other failure is a yargs bug, reported with its message either way.
 * - yargs's Node shim reads `process.stdout.columns` as it loads, which opens the stdout stream
 *   (1–3 ms, and loads tty and net) in every run, also those that print nothing there. The width
 *   is only used for help when no wrap is set, and the CLI always sets one: the shim reads it
 *   when asked (a getter), with the same expression. The build fails if the line is not found.
 * - yargs guesses a default version from the package.json it finds going up from its own
 *   package's parent folder or, in a bundle (no node_modules in its path), from the current
 *   folder: every run listed the current folder and each above it until one held a package.json
 *   (a folder of a thousand stories, or / at the end). The CLI always gives the version, so the
 *   shim starts from the bundle's own folder, whose package.json is found at once. The build
 *   fails if the line is not found.
 * - uuid's Node build takes SHA-1 (for a book's UUID v5 identifier) from node:crypto, ~2 ms to
 *   load in every run for hashing a few dozen bytes; the bundle takes uuid's portable build, the
 *   same code with SHA-1 in JavaScript (same identifiers: the bundle's e2e test compares its
 *   books with the library's).
 */
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundle');
/**
 * Where the module a stand-in hides really is (resolved as esbuild would), named from the project
 * root so that no build machine's folders show in the bundle; or esbuild's errors.
 */
async function realModule(b, args) {
  const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { real: true } });
  if (real.errors.length) return { errors: real.errors };
  return { path: relative(root, real.path).split(sep).join('/') };
}

/** Modules, imported for their default export only, whose top level runs on first call. */
const LAZY_DEFAULT_EXPORTS = ['string-width'];

const lazyDefaults = {
  name: 'lazy-default-exports',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_DEFAULT_EXPORTS.join('|')})$`);
    b.onResolve({ filter }, async (args) => {
      if (args.pluginData?.real) return undefined; // the stand-in's own require: the real module
      const real = await realModule(b, args);
      return real.errors ? real : { path: real.path, namespace: 'lazy-default' };
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

/**
 * Packages the CLI's own code imports for a few named functions that most runs never call, and
 * whose top level is costly: each import from dist/src gets a stand-in exporting those names,
 * which `require`s the real module on first call. entities builds its HTML decoding tables as it
 * loads (~1 ms), and a build calls `decodeHTML` only for text holding an `&`.
 */
const LAZY_NAMED_EXPORTS = { entities: ['decodeHTML'] };

const lazyNamed = {
  name: 'lazy-named-exports',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY_NAMED_EXPORTS).join('|')})$`);
    b.onResolve({ filter }, async (args) => {
      if (args.pluginData?.real || /[/\\]node_modules[/\\]/.test(args.importer)) return undefined;
      const real = await realModule(b, args);
      return real.errors ? real : { path: real.path, namespace: 'lazy-named', pluginData: { name: args.path } };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-named' }, (args) => ({
      loader: 'js',
      resolveDir: root,
      pluginData: { real: true },
      contents: `
        let real;
        const load = () => (real ??= require(${JSON.stringify(`./${args.path}`)}));
        ${LAZY_NAMED_EXPORTS[args.pluginData.name].map((n) => `export function ${n}(...args) { return load().${n}(...args); }`).join('\n')}`,
    }));
  },
};

const lazyAssert = {
  name: 'lazy-assert',
  setup(b) {
    b.onResolve({ filter: /^(node:)?assert$/ }, (args) => (/[/\\]yargs[/\\]/.test(args.importer) ? { path: 'assert', namespace: 'lazy-assert' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-assert' }, () => ({
      loader: 'js',
      contents: `
        exports.strictEqual = (actual, expected, message) => {
          if (!Object.is(actual, expected)) throw new Error(message ?? 'yargs: expected ' + String(expected) + ', got ' + String(actual));
        };
        exports.notStrictEqual = (actual, expected, message) => {
          if (Object.is(actual, expected)) throw new Error(message ?? 'yargs: did not expect ' + String(actual));
        };`,
    }));
  },
};

const YARGS_COLUMNS = "stdColumns: typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null";
// The shim's `__dirname` is its module's file, here the bundle's: yargs looks in that file's folder.
const YARGS_MAIN = 'mainFilename: mainFilename || process.cwd()';
const yargsShim = {
  name: 'yargs-shim',
  setup(b) {
    b.onLoad({ filter: /[/\\]yargs[/\\]lib[/\\]platform-shims[/\\]esm\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      for (const line of [YARGS_COLUMNS, YARGS_MAIN]) if (!source.includes(line)) throw new Error(`${args.path}: no "${line}" to change (yargs changed: look again)`);
      return { loader: 'js', contents: source.replace(YARGS_COLUMNS, `get ${YARGS_COLUMNS.replace(': ', '() { return ')}; }`).replace(YARGS_MAIN, 'mainFilename: __dirname') };
    });
  },
};

const portableUuid = {
  name: 'portable-uuid',
  setup(b) {
    const dir = dirname(createRequire(import.meta.url).resolve('uuid/package.json'));
    b.onResolve({ filter: /^uuid$/ }, () => ({ path: join(dir, 'dist', 'index.js') }));
  },
};

/**
 * Batch workers read the metadata files beside stories (YAML): the worker bundles the yaml
 * package (its module runs on first use, and is in the worker's code cache) instead of requiring
 * it from node_modules file by file, ~50 ms to load and ~15 ms to a first parse in each worker.
 */
const YAML_REQUIRE = "createRequire(import.meta.url)('yaml')";
const bundledYaml = {
  name: 'bundled-yaml',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\]src[/\\].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return source.includes(YAML_REQUIRE) ? { loader: 'js', contents: source.replaceAll(YAML_REQUIRE, "require('yaml')") } : undefined;
    });
  },
};

/**
 * Saved pages' selectors: the small DOM (src/read/html/dom.ts) requires css-select when it first
 * matches one, so a text build never loads it. From node_modules it was loaded and compiled file
 * by file in every such run (~28 ms with domutils, dom-serializer and their entities); bundled
 * and required on first use, its module still runs only then, and its code is in the cache.
 */
const CSS_SELECT_REQUIRE = "load('css-select')";
const bundledCssSelect = {
  name: 'bundled-css-select',
  setup(b) {
    b.onLoad({ filter: /[/\\]dist[/\\]src[/\\]read[/\\]html[/\\]dom\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(CSS_SELECT_REQUIRE)) throw new Error(`${args.path}: no "${CSS_SELECT_REQUIRE}" to change (dom.ts changed: look again)`);
      return { loader: 'js', contents: source.replaceAll(CSS_SELECT_REQUIRE, "require('css-select')") };
    });
  },
};

rmSync(out, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['@resvg/resvg-js', 'jsdom', 'iso-639-3'],
  // `import()` of bundled code becomes a lazy module body; of an outside package, a require().
  supported: { 'dynamic-import': false },
  // Modules find their assets, packages and the worker from their own URL: the bundle file's.
  define: { 'import.meta.url': '__fic2epubUrl' },
  // Strict, as the ES modules it is made of were ("use strict" must come before the banner's code).
  banner: { js: "'use strict'; const __fic2epubUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyDefaults, lazyNamed, lazyAssert, yargsShim, portableUuid, bundledCssSelect],
  logLevel: 'warning',
};
// The worker is found beside the CLI: batch.ts starts `./worker.js` next to its own file.
await build({ ...common, entryPoints: { cli: join(root, 'dist', 'src', 'bin.js') }, outdir: out });
await build({ ...common, plugins: [...common.plugins, bundledYaml], entryPoints: { 'worker-body': join(root, 'dist', 'src', 'worker.js') }, outdir: out });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
// The language guess's trigram indexes, built once here and read by the bundles (src/read/language-guess.ts).
{
  const { INDEX_FILE, packIndexes } = await import(pathToFileURL(join(root, 'dist', 'src', 'read', 'language-guess.js')).href);
  writeFileSync(join(out, INDEX_FILE), packIndexes());
}
/**
 * The bundle in ASCII, so V8 holds it as a one-byte string: decoding 1.4 MB holding a few dashes
 * and quotes (in regular expressions and comments, which esbuild leaves as they are) made a
 * two-byte string, ~5 ms more per run. A `\uXXXX` escape means the same character in a string,
 * a template, a regular expression or a comment; only a raw template would see the escape
 * itself, so one holding such a character must be a RegExp source (where it means the same).
 */
function ascii(code, name) {
  for (const line of code.split('\n')) {
    if (/String\.raw`/.test(line) && /[^\x00-\x7f]/.test(line) && !/new RegExp\(String\.raw`/.test(line)) throw new Error(`${name}: a raw template holds a non-ASCII character outside a RegExp: ${line.trim().slice(0, 120)}`);
  }
  if (/[\ud800-\udfff]/.test(code)) throw new Error(`${name}: a character outside the Basic Multilingual Plane cannot be escaped here`);
  // After a backslash the escape would be read as a backslash and the letters "uXXXX".
  if (/\\[^\x00-\x7f]/.test(code)) throw new Error(`${name}: a non-ASCII character follows a backslash`);
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
// cli.js and worker-body.js are written as the function Node wraps a CommonJS module in (bin.ts's
// `#!` line would not parse there), so the loaders compile the file's text as it is: wrapping it at
// run time made V8 copy the whole 1.4 MB source into a second string.
const wrapped = (code) => `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
const cli = ascii(readFileSync(join(out, 'cli.js'), 'utf8').replace(/^#!.*\n/, ''), 'cli.js');
writeFileSync(join(out, 'cli.js'), wrapped(cli));
writeFileSync(join(out, 'worker-body.js'), wrapped(ascii(readFileSync(join(out, 'worker-body.js'), 'utf8'), 'worker-body.js')));
copyFileSync(join(root, 'scripts', 'bin-loader.cjs'), join(out, 'fic2epub.js'));
copyFileSync(join(root, 'scripts', 'worker-loader.cjs'), join(out, 'worker.js'));
chmodSync(join(out, 'fic2epub.js'), 0o755);
