/**
 * The named sets of `npm run bench:generate -- --set bench|heldout|fresh` (the default without `--sample`; the seeded
 * draws from the shared corpus are in corpus.mjs).
 *
 * Each is a real npm package that ships its sources, has no runtime dependencies and is small (1–2 files), fetched at
 * an exact version with `npm pack`. None of them was in the generator's earlier bench or in issue 13: a regression on one
 * of them is a real regression, and a number on them is what a new user would see.
 *
 * - `files`: the package's own source files, relative to the package root. Generation, coverage and mutation all use
 *   exactly these.
 * - `remove`: files deleted from the fresh copy before anything runs. Used where a package ships its compiled output
 *   beside a TypeScript source with the same name (`index.js` next to `index.ts`): the generated test imports
 *   `./index`, and module resolution would pick the compiled `.js` instead of the source being measured. The package's
 *   own tests are removed too, so only the generated tests run.
 * - `shape`: what kind of module it is, for the table.
 */
export const PACKAGES = [
  // TypeScript sources (vitest transforms them; nothing is compiled first)
  { name: 'tiny-invariant', version: '1.3.3', files: ['src/tiny-invariant.ts'], shape: 'TS, default-exported function' },
  { name: 'ts-dedent', version: '2.2.0', files: ['src/index.ts'], remove: ['src/__tests__'], shape: 'TS, string (template tag)' },
  { name: 'fecha', version: '4.2.3', files: ['src/fecha.ts'], shape: 'TS, date format/parse' },
  { name: 'number-precision', version: '1.6.0', files: ['src/index.ts'], shape: 'TS, math, default-exported object' },
  {
    name: 'await-semaphore',
    version: '0.1.3',
    files: ['index.ts'],
    remove: ['index.js', 'index.js.map', 'test.ts', 'test.js', 'test.js.map'],
    shape: 'TS, classes (Semaphore, Mutex), promises',
  },
  // CommonJS and UMD
  { name: 'pluralize', version: '8.0.0', files: ['pluralize.js'], shape: 'UMD wrapper, string' },
  { name: 'escape-html', version: '1.0.3', files: ['index.js'], shape: 'CJS `module.exports = function`' },
  { name: 'content-type', version: '1.0.5', files: ['index.js'], shape: 'CJS `exports.x =`, parsing' },
  { name: 'yallist', version: '4.0.0', files: ['yallist.js', 'iterator.js'], shape: 'CJS function-constructor class, linked list' },
  { name: '@datastructures-js/queue', version: '4.2.3', files: ['src/queue.js'], shape: 'CJS class with a sibling .d.ts' },
  // ESM
  { name: 'tinyqueue', version: '3.0.0', files: ['index.js'], shape: 'ESM default-exported class, priority queue' },
];

/**
 * The held-out set (`npm run bench:generate -- --set heldout`): one package of each kind issue 13 names. They are a
 * check of the general mechanism, never tuned for: nothing in the generator may name them or their functions.
 * `files` may be `dir/*.ext` (every such file of the folder, `.d.ts` excluded); `install`: the sources import runtime
 * dependencies, installed with `npm install --omit=dev` into the pristine copy once (a list: these packages).
 */
export const HELD_OUT = [
  { name: 'bytes', version: '3.1.2', files: ['index.js'], shape: 'CJS, one file, byte-size formatter' },
  { name: 'simple-statistics', version: '7.8.8', files: ['src/*.js'], shape: 'ESM, a .d.ts beside each file, statistics' },
  { name: 'camelcase', version: '8.0.0', files: ['index.js'], shape: 'ESM + index.d.ts, string casing' },
  { name: 'semver', version: '7.6.3', files: ['functions/*.js'], shape: 'CJS, version ranges (functions/)' },
  { name: 'ms', version: '2.1.3', files: ['index.js'], shape: 'CJS `module.exports = function`, durations' },
  { name: 'quill-delta', version: '5.1.0', files: ['src/*.ts'], remove: ['dist'], install: true, shape: 'TS, default-exported class, rich-text delta' },
  { name: 'slugify', version: '1.6.6', files: ['slugify.js'], shape: 'UMD wrapper, slugs' },
  { name: 'fraction.js', version: '4.3.7', files: ['fraction.js'], shape: 'function-constructor class, rationals' },
];

/**
 * A third set (`npm run bench:generate -- --set fresh`), chosen on 2026-12-02 after the generator met issue 13's
 * targets on the two sets above, to see how it does on packages nobody looked at before: the same kinds (TypeScript,
 * CommonJS and UMD, ESM; functions, function-constructor and ES classes). Never tuned for, like HELD_OUT.
 */
export const FRESH = [
  { name: 'hashids', version: '2.3.0', files: ['src/*.ts'], remove: ['cjs', 'esm', 'dist', 'src/tests', 'src/tests-mjs'], shape: 'TS, default-exported class, id encoding' },
  { name: 'fast-equals', version: '5.0.1', files: ['src/*.ts'], remove: ['dist', 'build'], shape: 'TS, deep equality (several files)' },
  // index.js requires is-mergeable-object, which deepmerge bundles into dist/ and lists as a devDependency
  { name: 'deepmerge', version: '4.3.1', files: ['index.js'], remove: ['dist'], install: ['is-mergeable-object@1.1.1'], shape: 'CJS `module.exports = fn` with a property' },
  { name: 'tiny-emitter', version: '2.1.0', files: ['index.js'], remove: ['dist', 'test'], shape: 'CJS function-constructor class, events' },
  { name: 'eventemitter3', version: '5.0.1', files: ['index.js'], remove: ['dist', 'index.mjs'], shape: 'CJS function-constructor class, events' },
  { name: 'path-browserify', version: '1.0.1', files: ['index.js'], remove: ['test'], shape: 'CJS object of functions, paths' },
  { name: 'big.js', version: '6.2.1', files: ['big.js'], remove: ['big.mjs'], shape: 'UMD function-constructor class, decimals' },
  { name: 'fast-deep-equal', version: '3.1.3', files: ['index.js'], remove: ['es6', 'react.js'], shape: 'CJS `module.exports = function`' },
  { name: 'leven', version: '4.0.0', files: ['index.js'], shape: 'ESM default-exported function, edit distance' },
  { name: 'yocto-queue', version: '1.1.1', files: ['index.js'], shape: 'ESM default-exported class, queue' },
  { name: 'decamelize', version: '6.0.0', files: ['index.js'], shape: 'ESM, string casing with options' },
];
