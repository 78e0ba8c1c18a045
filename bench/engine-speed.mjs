#!/usr/bin/env node
// Side-by-side timing: the tdd-fast engine (metrics + smells + patterns + duplicates, no cache) against oxlint running
// the equivalent ESLint rules (complexity, max-depth, max-params, max-statements, max-lines-per-function,
// max-nested-callbacks, max-lines, no-empty, no-useless-catch, no-nested-ternary, no-magic-numbers) on the same
// corpus, alternating runs, reporting medians.
//
//   node bench/engine-speed.mjs [corpusDir] [runs=7]
//
// Needs the corpus and oxlint from `node bench/agreement.mjs` (bench/.corpora/agreement/, gitignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const corpora = path.join(here, '.corpora', 'agreement');
const corpus = path.resolve(process.argv[2] ?? path.join(corpora, 'src'));
const runs = Number(process.argv[3] ?? 7);
const oxlint = path.join(corpora, 'node_modules', '.bin', 'oxlint');

const config = {
  plugins: [],
  categories: { correctness: 'off' },
  rules: {
    complexity: ['warn', 20],
    'max-depth': ['warn', 4],
    'max-params': ['warn', 4],
    'max-statements': ['warn', 30],
    'max-lines-per-function': ['warn', 50],
    'max-nested-callbacks': ['warn', 3],
    'max-lines': ['warn', 500],
    'no-empty': 'warn',
    'no-useless-catch': 'warn',
    'no-nested-ternary': 'warn',
    'no-magic-numbers': 'warn',
  },
};
const dir = mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-speed-'));
const configFile = path.join(dir, '.oxlintrc.json');
writeFileSync(configFile, JSON.stringify(config));

const commands = {
  'tdd-fast': [process.execPath, [path.join(repo, 'bin/tdd-fast.js'), 'analyze', corpus, '--format', 'json', '--no-cache']],
  oxlint: [oxlint, ['-c', configFile, '--format', 'json', corpus]],
};
// The engine alone as a native process (no Node start-up, no JSON.parse in JS): build it with
// `cargo build --release -p tdd_fast_core --example engine`.
const engine = path.join(repo, 'target', 'release', 'examples', 'engine');
if (existsSync(engine)) commands.engine = [engine, [corpus, '--json']];

function time([cmd, args]) {
  const started = process.hrtime.bigint();
  // Output goes to /dev/null for every contender: the cost of producing it counts, not of piping it to this script.
  const run = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${cmd} failed (${run.status}): ${run.stderr}`);
  return { ms };
}

const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (const name of Object.keys(commands)) time(commands[name]); // warm the file cache
for (let i = 0; i < runs; i++) {
  const names = Object.keys(commands);
  for (const name of i % 2 ? names.reverse() : names) {
    samples[name].push(time(commands[name]).ms);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`corpus: ${path.relative(repo, corpus)}, ${runs} alternating runs, ${os.cpus().length} cores`);
for (const [name, xs] of Object.entries(samples)) {
  console.log(`${name.padEnd(10)} median ${median(xs).toFixed(0)} ms  (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
for (const name of Object.keys(samples).filter((n) => n !== 'oxlint')) {
  console.log(`${name} / oxlint = ${(median(samples[name]) / median(samples.oxlint)).toFixed(2)}x`);
}
