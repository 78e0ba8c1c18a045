/**
 * The shared corpus (`../shared/corpus/packages.tsv`): reading it, drawing a seeded sample from it, and installing a
 * drawn package from the npm registry into a fresh folder the bench can measure.
 *
 * A draw is a pure function of (corpus, sample size, seed): the same seed gives the same packages in the same order,
 * so a seed chosen before looking can be quoted with its numbers and re-run by anyone.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The kind the issue asks to be a third of every draw: TypeScript sources over several files. */
export const MULTI_FILE_TS = 'ts-multi';

/** Source folders with more files than this are measured on a seeded subset of them (rxjs has 251, tstl 211). */
export const MAX_FILES = 24;

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const NOT_SOURCE = /\.d\.[cm]?ts$|\.map$|\.min\.js$/;
// tests a package ships inside its sources hold the expected answers; the generator must not read them
const SHIPPED_TEST = /(?:^|\/)(?:__tests__|__test__|__mocks__|test|tests)(?:\/|$)|\.(?:test|spec|bench)\.[cm]?[jt]sx?$/;

/** The rows of packages.tsv: { name, version, source, kind, note }. Throws a clear error naming the file. */
export function readCorpus(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`corpus file ${file} does not exist (pass --corpus <packages.tsv>; the shared list is ../shared/corpus/packages.tsv from the repo)`);
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const header = lines.shift()?.split('\t') ?? [];
  const want = ['name', 'version', 'source', 'kind'];
  const missing = want.filter((c) => !header.includes(c));
  if (missing.length) throw new Error(`corpus file ${file}: the header lacks column(s) ${missing.join(', ')} (tab-separated: ${want.join(', ')}, note)`);
  return lines.map((line, i) => {
    const cells = line.split('\t');
    const row = Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? '').trim()]));
    if (!row.name || !row.version || !row.source || !row.kind) throw new Error(`corpus file ${file}: line ${i + 2} lacks a name, version, source or kind`);
    return row;
  });
}

/** mulberry32: a tiny seeded generator; Math.random cannot be seeded. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(items, random) {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * `size` packages: a third (rounded up) several-file TypeScript, the rest from every other kind alike. The corpus is
 * sorted by name first, so the order of its lines does not change a draw.
 */
export function drawSample(corpus, size, seed) {
  const random = seededRandom(seed);
  const byName = [...corpus].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const multi = byName.filter((p) => p.kind === MULTI_FILE_TS);
  const rest = byName.filter((p) => p.kind !== MULTI_FILE_TS);
  const wantMulti = Math.min(multi.length, Math.ceil(size / 3));
  const wantRest = Math.min(rest.length, size - wantMulti);
  return [...shuffled(multi, random).slice(0, wantMulti), ...shuffled(rest, random).slice(0, wantRest)];
}

function run(command, argv, options = {}) {
  return spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options, env: { ...process.env, NO_COLOR: '1', ...(options.env ?? {}) } });
}

// npm ends its errors with where its log is; the lines before say what failed
const tail = (text, n = 2) =>
  String(text ?? '')
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/complete log of this run/.test(l))
    .slice(-n)
    .join(' / ');

/**
 * The package as a user gets it: `npm install name@version` into an empty project (its runtime and peer dependencies
 * come along, no install scripts run), then laid out as the package's own folder with those dependencies in its
 * node_modules. Done once per version into `cacheRoot` (never modified afterwards); each run copies it.
 */
export function installPackage(pkg, cacheRoot) {
  const slug = `${pkg.name.replace(/^@/, '').replace(/\//g, '+')}@${pkg.version}`;
  const dir = path.join(cacheRoot, slug);
  if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  fs.mkdirSync(cacheRoot, { recursive: true });
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generate-install-'));
  try {
    fs.writeFileSync(path.join(project, 'package.json'), '{"private":true}\n');
    const installed = run(
      'npm',
      ['install', `${pkg.name}@${pkg.version}`, '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'],
      { cwd: project, timeout: 300_000 },
    );
    if (installed.status !== 0) {
      throw new Error(`npm install ${pkg.name}@${pkg.version} failed: ${tail(installed.stderr || installed.stdout || installed.error?.message)}`);
    }
    const modules = path.join(project, 'node_modules');
    const staging = `${dir}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(path.join(modules, pkg.name), staging, { recursive: true, dereference: true });
    // every other installed package becomes the copy's own dependency
    const deps = path.join(staging, 'node_modules');
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@');
      for (const name of scoped ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry]) {
        if (name === pkg.name || fs.existsSync(path.join(deps, name))) continue;
        fs.cpSync(path.join(modules, name), path.join(deps, name), { recursive: true, dereference: true });
      }
    }
    fs.renameSync(staging, dir);
    return dir;
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

/** Deletes the tests a package ships inside its source folder (the generator must not read the expected answers). */
export function removeShippedTests(dir, source) {
  const root = path.join(dir, source);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return [];
  const removed = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const child = `${rel}/${entry.name}`;
      if (SHIPPED_TEST.test(child.slice(source.length))) {
        fs.rmSync(path.join(dir, child), { recursive: true, force: true });
        removed.push(child);
      } else if (entry.isDirectory()) walk(child);
    }
  };
  walk(source);
  return removed;
}

/**
 * The source files to generate for: the corpus row's file, or every source file under its folder (sorted; no
 * declaration files, maps or minified bundles). A folder over MAX_FILES gives a seeded subset, said in `capped`.
 */
export function sourceFiles(dir, source, seed) {
  const root = path.join(dir, source);
  if (!fs.existsSync(root)) throw new Error(`${source} is not in the installed package (${dir})`);
  if (fs.statSync(root).isFile()) return { files: [source], total: 1, capped: false };
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (SOURCE.test(entry.name) && !NOT_SOURCE.test(entry.name) && !/\.generated\.test\./.test(entry.name)) found.push(child);
    }
  };
  walk(source.replace(/\/$/, ''));
  found.sort();
  if (found.length === 0) throw new Error(`${source} holds no JavaScript or TypeScript source file`);
  if (found.length <= MAX_FILES) return { files: found, total: found.length, capped: false };
  const picked = shuffled(found, seededRandom(seed ^ 0x5eed)).slice(0, MAX_FILES).sort();
  return { files: picked, total: found.length, capped: true };
}

/**
 * Strips the `//# sourceMappingURL=` comment of each measured file (compiled packages ship them): coverage would be
 * mapped back to TypeScript sources the package does not ship, and report nothing for the file that ran.
 */
export function dropSourceMaps(dir, files) {
  let dropped = 0;
  for (const rel of files) {
    const file = path.join(dir, rel);
    const text = fs.readFileSync(file, 'utf8');
    const stripped = text.replace(/^\s*\/\/[#@] sourceMappingURL=.*$/gm, '');
    if (stripped !== text) {
      fs.writeFileSync(file, stripped);
      dropped++;
    }
  }
  return dropped;
}

/**
 * Removes the compiled JavaScript a package ships beside a measured TypeScript file (`index.js` next to `index.ts`):
 * Vite resolves the tests' `./index` to the `.js` first, so the tests would run the compiled copy and the measured
 * `.ts` would report no coverage. The copy is the bench's own; the package as published is untouched.
 */
export function dropCompiledSiblings(dir, files) {
  const removed = [];
  for (const rel of files) {
    const m = /^(.*)\.([cm]?)tsx?$/.exec(rel);
    if (!m || /\.d\.[cm]?ts$/.test(rel)) continue;
    for (const ext of [`.${m[2]}js`, '.js', '.jsx']) {
      const sibling = path.join(dir, m[1] + ext);
      if (!files.includes(m[1] + ext) && fs.existsSync(sibling)) {
        fs.rmSync(sibling);
        fs.rmSync(`${sibling}.map`, { force: true });
        removed.push(m[1] + ext);
      }
    }
  }
  return removed;
}
