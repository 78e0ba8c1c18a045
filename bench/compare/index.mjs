#!/usr/bin/env node
// Side-by-side comparison of tdd-fast with its peers on corpora installed from npm.
//
//   npm run bench:compare                      # everything, 3 rounds
//   npm run bench:compare -- --rounds 5        # more rounds
//   npm run bench:compare -- --skip eslint,jscpd --no-memory --no-big
//   npm run bench:compare -- --big-all         # also ESLint and jscpd on the 9 MB file (minutes, GBs)
//
// Installs the peers and corpora into bench/.corpora/ (gitignored, pinned versions), runs every tool once per round
// in a fixed alternating order (A B C ... A B C ...), and prints medians, ratios to tdd-fast cold and peak RSS
// (from /usr/bin/time). Results go to bench/results/compare-<time>.{json,md}.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { argv } from 'zx';
import { CORPORA, REPO, countLines, isSource, listFiles, scaled, setup } from './setup.mjs';

const ROUNDS = Number(argv.rounds ?? 3);
const SKIP = new Set(String(argv.skip ?? '').split(',').filter(Boolean));
const WITH_MEMORY = argv.memory !== false;
const WITH_BIG = argv.big !== false;
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const BIN = path.join(CORPORA, 'node_modules', '.bin');
const TDD = path.join(REPO, 'bin', 'tdd-fast.js');
const RESULTS = path.join(REPO, 'bench', 'results');
const CACHE_DIR = path.join(CORPORA, 'cache');

function ensureBuilt() {
  const native = fs.readdirSync(path.join(REPO, 'native')).some((f) => f.endsWith('.node'));
  if (!native || !fs.existsSync(path.join(REPO, 'dist', 'index.js'))) {
    console.error('building tdd-fast (npm run build) ...');
    const r = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
}

/** Runs one command with stdout discarded; returns wall ms, peak RSS (MB) and stderr. */
function measure(command, args, { cwd = CORPORA } = {}) {
  const rssFile = path.join(CORPORA, `.rss-${process.pid}`);
  const [cmd, cmdArgs] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let rssMb = null;
  if (TIME && fs.existsSync(rssFile)) {
    const kb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    rssMb = Number.isFinite(kb) ? kb / 1024 : null;
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssMb, status: r.status, stderr: String(r.stderr ?? '') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The in-process time `--profile` reports (from the start of the analyze command to its output; no Node start-up). */
function inProcessMs(stderr) {
  const m = /^\s*wall\s+([\d.]+) ms/m.exec(stderr);
  return m ? Number(m[1]) : null;
}

function cacheCounts(stderr) {
  const m = /\((\d+) hits, (\d+) misses\)/.exec(stderr);
  return m ? { hits: Number(m[1]), misses: Number(m[2]) } : null;
}

/** The tools for one corpus, in the order they alternate. `before` runs unmeasured ahead of the tool. */
function toolsFor(corpus) {
  const rel = path.relative(CORPORA, corpus.dir);
  const cacheFile = path.join(CACHE_DIR, `${path.basename(corpus.dir)}.bin`);
  // Every peer reads every file; tdd-fast's default 2 MB per-file limit would skip one 3 MB file of effect and the 9 MB
  // typescript.js, so it is raised to compare the same work.
  const sizeLimit = ['--max-file-size', '64mb'];
  const tdd = (extra) => ['node', [TDD, 'analyze', rel, '--format', 'json', '--profile', ...sizeLimit, ...extra]];
  const touched = corpus.touch;
  const original = touched ? fs.readFileSync(touched, 'utf8') : null;
  const tools = [
    {
      id: 'tdd-cold',
      label: 'tdd-fast cold (empty cache, writes it)',
      before: () => fs.rmSync(cacheFile, { force: true }),
      run: tdd(['--cache-location', cacheFile]),
    },
    { id: 'tdd-warm', label: 'tdd-fast warm (nothing changed)', run: tdd(['--cache-location', cacheFile]) },
  ];
  if (touched) {
    tools.push({
      id: 'tdd-one-changed',
      label: 'tdd-fast warm, one file changed',
      before: () => fs.writeFileSync(touched, `${original}\n// touched ${Date.now()}\n`),
      after: () => fs.writeFileSync(touched, original),
      run: tdd(['--cache-location', cacheFile]),
    });
  }
  tools.push(
    { id: 'tdd-t1', label: 'tdd-fast --no-cache --threads 1', run: tdd(['--no-cache', '--threads', '1']) },
    // The floor of any Node.js CLI on this machine: what tdd-fast's process pays before its first line runs.
    { id: 'node-start', label: 'Node.js start alone (node -e 0)', run: ['node', ['-e', '0']] },
    { id: 'tdd-t2', label: 'tdd-fast --no-cache --threads 2', run: tdd(['--no-cache', '--threads', '2']) },
    {
      id: 'oxlint',
      label: 'oxlint, 8 rules (2 threads)',
      run: [path.join(BIN, 'oxlint'), ['-c', 'configs/oxlintrc.json', '--max-warnings', '1000000000', rel]],
    },
    {
      id: 'oxlint-t1',
      label: 'oxlint, 8 rules, --threads 1',
      run: [path.join(BIN, 'oxlint'), ['-c', 'configs/oxlintrc.json', '--threads', '1', rel]],
    },
    {
      id: 'eslint',
      label: 'ESLint 9 + typescript-eslint + sonarjs, same 8 rules + cognitive-complexity',
      run: [path.join(BIN, 'eslint'), ['-c', 'configs/eslint.config.mjs', '--no-config-lookup', '-f', 'json', rel]],
    },
    // --score-cap: FTA exits with an error once a file scores above 1000 (typescript.js scores ~7400).
    { id: 'fta', label: 'FTA (fta-cli)', run: [path.join(BIN, 'fta'), [rel, '--json', '--score-cap', '1000000']] },
    {
      id: 'jscpd',
      label: 'jscpd (duplicates only, min 50 tokens)',
      run: [path.join(BIN, 'jscpd'), [rel, '--silent', '--min-tokens', '50', '--reporters', 'json', '--output', '.jscpd']],
    },
    {
      id: 'oxc-parser',
      label: 'npm oxc-parser, parse only (parseSync, result dropped)',
      run: ['node', [path.join(REPO, 'bench', 'compare', 'oxc-parse-only.mjs'), CORPORA, rel]],
    },
  );
  // On the single 9 MB file ESLint ran over 2 minutes and past 2.3 GB RSS in one round (and jscpd is about duplicates
  // across files): left out unless asked for with --big-all.
  const slowOnBig = new Set(['eslint', 'jscpd']);
  return tools.filter(
    (t) => !SKIP.has(t.id) && !SKIP.has(t.id.split('-')[0]) && !(corpus.name === 'bigjs' && slowOnBig.has(t.id) && !argv['big-all']),
  );
}

function writeConfigs() {
  const dir = path.join(CORPORA, 'configs');
  fs.mkdirSync(dir, { recursive: true });
  const rules = ['complexity', 'max-depth', 'max-params', 'max-lines-per-function', 'max-nested-callbacks', 'max-lines', 'no-empty', 'no-magic-numbers'];
  const categories = Object.fromEntries(['correctness', 'suspicious', 'pedantic', 'style', 'nursery', 'perf', 'restriction'].map((c) => [c, 'off']));
  fs.writeFileSync(
    path.join(dir, 'oxlintrc.json'),
    JSON.stringify({ categories, plugins: [], rules: Object.fromEntries(rules.map((r) => [r, 'warn'])) }, null, 2),
  );
  // ESLint resolves the plugins from the config file's folder, so the config lives next to node_modules.
  const eslintRules = { ...Object.fromEntries(rules.map((r) => [r, 'warn'])), 'sonarjs/cognitive-complexity': 'warn' };
  fs.writeFileSync(
    path.join(dir, 'eslint.config.mjs'),
    `// Generated by bench/compare: the 8 rules given to oxlint (ESLint defaults) + sonarjs cognitive-complexity.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../package.json', import.meta.url));
const tseslint = require('typescript-eslint');
const sonarjs = require('eslint-plugin-sonarjs');
export default [{
  files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
  plugins: { sonarjs },
  rules: ${JSON.stringify(eslintRules)},
}];
`,
  );
}

function runCorpus(corpus, options) {
  const tools = toolsFor(corpus, options);
  const samples = Object.fromEntries(tools.map((t) => [t.id, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const tool of tools) {
      tool.before?.();
      const result = measure(...tool.run);
      tool.after?.();
      const cache = cacheCounts(result.stderr);
      samples[tool.id].push({ ms: result.ms, rssMb: result.rssMb, status: result.status, cache, inProcessMs: inProcessMs(result.stderr) });
      // tdd-fast, ESLint and oxlint exit with 1 when they report findings; 2 and above (or a signal) is a failure.
      const failed = result.status === null || result.status > (/^(tdd|eslint|oxlint)/.test(tool.id) ? 1 : 0);
      if (failed) {
        console.error(`  ${tool.id} exited with ${result.status}: ${result.stderr.slice(0, 400)}`);
      }
      console.error(
        `  [${corpus.name} round ${round}/${ROUNDS}] ${tool.id.padEnd(16)} ${(result.ms / 1000).toFixed(2).padStart(7)} s` +
          `  ${result.rssMb?.toFixed(0) ?? '?'} MB${cache ? `  cache ${cache.hits} hits/${cache.misses} misses` : ''}`,
      );
    }
  }
  const base = median(samples['tdd-cold'].map((s) => s.ms));
  const rows = tools.map((tool) => {
    const ms = median(samples[tool.id].map((s) => s.ms));
    const rss = samples[tool.id].map((s) => s.rssMb).filter((x) => x != null);
    const inProcess = samples[tool.id].map((s) => s.inProcessMs).filter((x) => x != null);
    return {
      id: tool.id,
      label: tool.label,
      medianMs: ms,
      inProcessMs: inProcess.length ? median(inProcess) : null,
      minMs: Math.min(...samples[tool.id].map((s) => s.ms)),
      ratio: ms / base,
      peakRssMb: rss.length ? Math.max(...rss) : null,
      cache: samples[tool.id].at(-1).cache,
      samples: samples[tool.id],
    };
  });
  return { corpus: corpus.name, description: corpus.description, rows };
}

function table(result) {
  const lines = [
    `### ${result.corpus}: ${result.description}`,
    '',
    '| tool | median | min | ratio to tdd-fast cold | peak RSS | in-process (--profile wall) |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of result.rows) {
    const cache = row.cache && row.id.startsWith('tdd-') && !row.id.startsWith('tdd-t') ? ` (${row.cache.hits} hits, ${row.cache.misses} misses)` : '';
    lines.push(
      `| ${row.label}${cache} | ${(row.medianMs / 1000).toFixed(2)} s | ${(row.minMs / 1000).toFixed(2)} s | ${row.ratio.toFixed(2)}x | ${row.peakRssMb?.toFixed(0) ?? '?'} MB | ${row.inProcessMs == null ? '' : `${row.inProcessMs.toFixed(0)} ms`} |`,
    );
  }
  return lines.join('\n');
}

function targets(result) {
  const get = (id) => result.rows.find((r) => r.id === id);
  const lines = ['', '| target | measured | met |', '|---|---:|:---:|'];
  const check = (name, value, ok) => lines.push(`| ${name} | ${value} | ${ok ? 'yes' : '**no**'} |`);
  const cold = get('tdd-cold');
  if (get('oxlint')) {
    const r = cold.medianMs / get('oxlint').medianMs;
    check('cold <= 1.5x oxlint (8 rules)', `${r.toFixed(2)}x`, r <= 1.5);
  }
  if (get('eslint')) {
    const r = get('eslint').medianMs / cold.medianMs;
    check('cold >= 40x faster than ESLint', `${r.toFixed(1)}x`, r >= 40);
  }
  if (get('tdd-warm')) {
    const r = get('tdd-warm').medianMs / cold.medianMs;
    check('warm <= 0.15x cold (whole process)', `${r.toFixed(3)}x`, r <= 0.15);
    if (get('tdd-warm').inProcessMs && cold.inProcessMs) {
      const p = get('tdd-warm').inProcessMs / cold.inProcessMs;
      check('warm <= 0.15x cold (in-process, without Node start-up)', `${p.toFixed(3)}x`, p <= 0.15);
    }
  }
  const one = get('tdd-one-changed');
  if (one?.cache) check('one file changed: only it re-parsed', `${one.cache.misses} miss(es)`, one.cache.misses === 1);
  if (get('tdd-t1') && get('tdd-t2')) {
    const r = get('tdd-t1').medianMs / get('tdd-t2').medianMs;
    check('2 threads >= 1.7x 1 thread (whole process)', `${r.toFixed(2)}x`, r >= 1.7);
    if (get('tdd-t1').inProcessMs && get('tdd-t2').inProcessMs) {
      const p = get('tdd-t1').inProcessMs / get('tdd-t2').inProcessMs;
      check('2 threads >= 1.7x 1 thread (in-process)', `${p.toFixed(2)}x`, p >= 1.7);
    }
  }
  if (cold.peakRssMb != null) check('peak RSS <= 250 MB (cold)', `${cold.peakRssMb.toFixed(0)} MB`, cold.peakRssMb <= 250);
  return lines.join('\n');
}

function memoryFlatness(ts) {
  const lines = ['', '### memory: tdd-fast --no-cache on 1x, 2x, 4x the TypeScript corpus', '', '| corpus | files | lines | time | peak RSS |', '|---|---:|---:|---:|---:|'];
  const rows = [];
  for (const factor of [1, 2, 4]) {
    const dir = scaled(ts, factor);
    const counts = countLines(listFiles(dir).filter(isSource));
    const runs = [];
    for (let i = 0; i < Math.max(1, Math.min(ROUNDS, 3)); i++) {
      runs.push(measure('node', [TDD, 'analyze', path.relative(CORPORA, dir), '--format', 'json', '--no-cache', '--max-file-size', '64mb']));
    }
    const row = { factor, ...counts, medianMs: median(runs.map((r) => r.ms)), peakRssMb: Math.max(...runs.map((r) => r.rssMb ?? 0)) };
    rows.push(row);
    console.error(`  [memory x${factor}] ${(row.medianMs / 1000).toFixed(2)} s ${row.peakRssMb.toFixed(0)} MB`);
    lines.push(`| ${factor}x | ${counts.files} | ${counts.lines.toLocaleString('en-US')} | ${(row.medianMs / 1000).toFixed(2)} s | ${row.peakRssMb.toFixed(0)} MB |`);
  }
  return { rows, text: lines.join('\n') };
}

async function main() {
  ensureBuilt();
  const { ts, big } = await setup();
  writeConfigs();
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const tsFiles = listFiles(ts).filter(isSource);
  const tsCount = countLines(tsFiles);
  const bigCount = countLines(listFiles(big));
  const touch = tsFiles.find((f) => f.endsWith(path.join('rxjs', 'src', 'internal', 'operators', 'map.ts'))) ?? tsFiles[0];
  const machine = `${spawnSync('nproc').stdout.toString().trim()} cores, Node ${process.version}`;
  console.error(`corpus ts500k: ${tsCount.files} files, ${tsCount.lines} lines, ${(tsCount.bytes / 1e6).toFixed(1)} MB; ${ROUNDS} rounds; ${machine}`);

  const results = [];
  results.push(
    runCorpus(
      {
        name: 'ts500k',
        dir: ts,
        touch,
        description: `${tsCount.files} TypeScript files, ${tsCount.lines.toLocaleString('en-US')} lines, ${(tsCount.bytes / 1e6).toFixed(1)} MB (src/ of effect, rxjs, @tanstack/query-core; .d.ts excluded)`,
      },
    ),
  );
  if (WITH_BIG) {
    results.push(
      runCorpus(
        { name: 'bigjs', dir: big, description: `one ${(bigCount.bytes / 1e6).toFixed(1)} MB .js file, ${bigCount.lines.toLocaleString('en-US')} lines (typescript/lib/typescript.js)` },
      ),
    );
  }
  const memory = WITH_MEMORY ? memoryFlatness(ts) : null;

  const header = `## bench/compare: ${new Date().toISOString()}, ${ROUNDS} rounds (alternating), ${machine}`;
  const md = [header, '', ...results.map((r) => table(r) + (r.corpus === 'ts500k' ? targets(r) : '') + '\n'), memory?.text ?? ''].join('\n');
  fs.mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(RESULTS, `compare-${stamp}.json`), JSON.stringify({ machine, rounds: ROUNDS, results, memory: memory?.rows }, null, 2));
  fs.writeFileSync(path.join(RESULTS, `compare-${stamp}.md`), md + '\n');
  process.stdout.write(md + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
