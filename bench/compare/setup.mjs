// Installs the peers and the corpora into bench/.corpora/ (gitignored) and assembles the corpus directories.
// Idempotent: a second call only checks that everything is there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const CORPORA = path.join(REPO, 'bench', '.corpora');

/** Pinned so that numbers are comparable from one run (and one clone) to the next. */
export const PEERS = {
  oxlint: '1.94.0',
  eslint: '9.39.5',
  'typescript-eslint': '8.73.0',
  'eslint-plugin-sonarjs': '4.2.2',
  'fta-cli': '3.0.1',
  jscpd: '4.3.0', // 5.x is a Rust rewrite whose platform packages are not published on npm (404),
  'oxc-parser': '0.159.0',
};

/** npm packages that ship their TypeScript sources (src/**.ts), plus typescript for its 9 MB single .js file. */
export const SOURCES = {
  effect: '4.1.0',
  rxjs: '7.8.2',
  '@tanstack/query-core': '5.108.0',
  typescript: '5.9.3',
};

/** Which shipped sources make up the TypeScript corpus: `.ts`/`.tsx` under src/, declaration files excluded. */
const TS_CORPUS = ['effect', 'rxjs', '@tanstack/query-core'];

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export function isSource(file) {
  return /\.(ts|tsx)$/.test(file) && !/\.d\.(ts|tsx)$/.test(file) && !/\.d\.[^.]+\.ts$/.test(file);
}

export function countLines(files) {
  let lines = 0;
  let bytes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file);
    bytes += text.length;
    for (let i = 0; i < text.length; i++) if (text[i] === 10) lines++;
  }
  return { files: files.length, lines, bytes };
}

export function listFiles(dir) {
  return walk(dir).sort();
}

async function install() {
  // Its own git repository: the repo's .gitignore lists bench/.corpora/, and oxlint (like any .gitignore-aware walker)
  // would otherwise see no files in it.
  fs.mkdirSync(CORPORA, { recursive: true });
  if (!fs.existsSync(path.join(CORPORA, '.git'))) await $({ cwd: CORPORA })`git init -q .`;
  fs.mkdirSync(CORPORA, { recursive: true });
  const manifest = path.join(CORPORA, 'package.json');
  const wanted = { ...PEERS, ...SOURCES };
  const pkg = { name: 'tdd-fast-bench-corpora', private: true, dependencies: wanted };
  const previous = fs.existsSync(manifest) ? fs.readFileSync(manifest, 'utf8') : '';
  const next = JSON.stringify(pkg, null, 2) + '\n';
  const installed = Object.keys(wanted).every((name) => {
    const file = path.join(CORPORA, 'node_modules', name, 'package.json');
    return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).version === wanted[name];
  });
  if (previous === next && installed) return;
  fs.writeFileSync(manifest, next);
  console.error(`installing peers and corpora into ${path.relative(REPO, CORPORA)}/ ...`);
  // --legacy-peer-deps: the corpora are data, their peer ranges do not matter here.
  await $({ cwd: CORPORA })`npm install --no-audit --no-fund --legacy-peer-deps --loglevel=error`;
}

/** Copies the chosen sources into plain directories so every tool sees exactly the same file set (no node_modules in
 * the path, which ESLint and others skip by default). */
function assemble() {
  const ts = path.join(CORPORA, 'ts500k');
  const stamp = path.join(ts, '.complete');
  if (!fs.existsSync(stamp)) {
    fs.rmSync(ts, { recursive: true, force: true });
    for (const name of TS_CORPUS) {
      const from = path.join(CORPORA, 'node_modules', name);
      const to = path.join(ts, path.basename(name));
      for (const file of walk(path.join(from, 'src')).filter(isSource)) {
        const target = path.join(to, path.relative(from, file));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(file, target);
      }
    }
    fs.writeFileSync(stamp, '');
  }
  const big = path.join(CORPORA, 'bigjs');
  const bigFile = path.join(big, 'typescript.js');
  if (!fs.existsSync(bigFile)) {
    fs.mkdirSync(big, { recursive: true });
    fs.copyFileSync(path.join(CORPORA, 'node_modules', 'typescript', 'lib', 'typescript.js'), bigFile);
  }
  return { ts, big };
}

/** 1x, 2x, 4x copies of the TypeScript corpus (hard links) for the memory-flatness measurement. */
export function scaled(ts, factor) {
  const dir = path.join(CORPORA, `ts500k-x${factor}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const files = listFiles(ts).filter(isSource);
  for (let copy = 0; copy < factor; copy++) {
    for (const file of files) {
      const target = path.join(dir, `copy${copy}`, path.relative(ts, file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.linkSync(file, target);
    }
  }
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

export async function setup() {
  await install();
  return assemble();
}
