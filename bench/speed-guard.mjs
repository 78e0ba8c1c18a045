#!/usr/bin/env node
// Speed guard: a cold `tdd-fast analyze` against oxlint with the 8 equivalent rules, on one corpus, side by side.
//
//   node bench/speed-guard.mjs                         # CI: ajv's shipped sources (a devDependency), fails above 2x
//   node bench/speed-guard.mjs --corpus ../corpora/effect/package/src --rounds 7 --max-ratio 0
//   node bench/speed-guard.mjs --before ../main/bin/tdd-fast.js   # also another build of tdd-fast, in the same rotation
//
// The two commands alternate (tdd-fast, oxlint, tdd-fast, oxlint ...), each as a whole process (Node's start
// included: that is what a user waits for), and the medians are compared. Exits 1 when tdd-fast's median is more than
// --max-ratio times oxlint's (0 = report only). An alarm for regressions, not the target (docs/performance.md).
// The corpus is copied to a temporary folder first, so neither tool's .gitignore handling or a project config of this
// repository changes what it reads.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// The rules oxlint and tdd-fast both have (bench/compare chose them: ESLint's names, oxlint's defaults).
const RULES = ['complexity', 'max-depth', 'max-params', 'max-lines-per-function', 'max-nested-callbacks', 'max-lines', 'no-empty', 'no-magic-numbers'];

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

// ajv (a devDependency) ships its TypeScript sources: 106 files that import each other, the case where reading other
// files during analysis once cost 2x.
const DEFAULT_CORPUS = path.join(REPO, 'node_modules', 'ajv', 'lib');
const corpusArg = path.resolve(option('corpus', DEFAULT_CORPUS));
const rounds = Number(option('rounds', '5'));
const maxRatio = Number(option('max-ratio', '2'));
const tddBin = path.resolve(option('bin', path.join(REPO, 'bin', 'tdd-fast.js')));
const oxlintBin = path.join(REPO, 'node_modules', '.bin', 'oxlint');
const beforeBin = option('before', null) && path.resolve(option('before', null));

const required = [['corpus', corpusArg], ['tdd-fast', tddBin], ['oxlint (npm install)', oxlintBin], ...(beforeBin ? [['--before', beforeBin]] : [])];
for (const [what, file] of required) {
  if (!fs.existsSync(file)) {
    console.error(`speed-guard: ${what} not found: ${file}`);
    process.exit(2);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-speed-guard-'));
const corpus = path.join(work, 'corpus');
fs.cpSync(corpusArg, corpus, { recursive: true });
const oxlintrc = path.join(work, 'oxlintrc.json');
const categories = Object.fromEntries(['correctness', 'suspicious', 'pedantic', 'style', 'nursery', 'perf', 'restriction'].map((c) => [c, 'off']));
fs.writeFileSync(oxlintrc, JSON.stringify({ categories, plugins: [], rules: Object.fromEntries(RULES.map((r) => [r, 'warn'])) }));

const analyze = (bin) => [bin, 'analyze', '.', '--format', 'json', '--no-cache', '--max-file-size', '64mb'];
const tools = [
  { id: 'tdd-fast', cmd: process.execPath, args: analyze(tddBin) },
  { id: 'oxlint', cmd: oxlintBin, args: ['-c', oxlintrc, '--max-warnings', '1000000000', '.'] },
  ...(beforeBin ? [{ id: 'before', cmd: process.execPath, args: analyze(beforeBin) }] : []),
];

/** One whole process, output discarded: wall ms, user + system CPU seconds and peak RSS from /usr/bin/time. */
function measure({ cmd, args }) {
  const stats = path.join(work, 'time.txt');
  const [run, runArgs] = TIME ? [TIME, ['-f', '%M %U %S', '-o', stats, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(run, runArgs, { cwd: corpus, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Both exit 1 when they report findings; 2 and above, or a signal, is a failure.
  if (r.status === null || r.status > 1) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}: ${String(r.stderr).slice(0, 400)}`);
  }
  const [rssKb, user, system] = TIME ? fs.readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [];
  return { ms, rssMb: rssKb / 1024, cpu: user + system, system };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let status = 0;
try {
  const samples = Object.fromEntries(tools.map((t) => [t.id, []]));
  for (const tool of tools) measure(tool); // warm the page cache for both, unmeasured
  for (let round = 0; round < rounds; round++) {
    for (const tool of tools) samples[tool.id].push(measure(tool));
  }
  const files = fs.readdirSync(corpus, { recursive: true }).filter((f) => /\.[cm]?[jt]sx?$/.test(f)).length;
  console.log(`speed guard: ${files} files of ${corpusArg}, ${rounds} alternating rounds, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Node reads and parses these certificates at every start (about 4% of a cold run on effect): say so beside the times.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    console.log(`  NODE_EXTRA_CA_CERTS is set (${process.env.NODE_EXTRA_CA_CERTS}): each tdd-fast process pays for loading it at start`);
  }
  for (const tool of tools) {
    const s = samples[tool.id];
    const row = (key, digits) => median(s.map((x) => x[key])).toFixed(digits);
    console.log(
      `  ${tool.id.padEnd(9)} median ${row('ms', 0).padStart(6)} ms  cpu ${row('cpu', 2)} s (system ${row('system', 2)} s)` +
        `  peak RSS ${Math.max(...s.map((x) => x.rssMb)).toFixed(0)} MB`,
    );
  }
  const ratio = median(samples['tdd-fast'].map((x) => x.ms)) / median(samples.oxlint.map((x) => x.ms));
  if (beforeBin) {
    const before = median(samples.before.map((x) => x.ms)) / median(samples.oxlint.map((x) => x.ms));
    console.log(`  ratio before / oxlint: ${before.toFixed(2)}x (${beforeBin})`);
  }
  console.log(`  ratio tdd-fast / oxlint: ${ratio.toFixed(2)}x${maxRatio > 0 ? ` (limit ${maxRatio}x)` : ''}`);
  if (maxRatio > 0 && ratio > maxRatio) {
    console.error(`speed guard: tdd-fast analyze is ${ratio.toFixed(2)}x oxlint, over ${maxRatio}x: a speed regression`);
    status = 1;
  }
} catch (err) {
  console.error(`speed guard: ${err.message}`);
  status = 2;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(status);
