#!/usr/bin/env node
// `npm run bench`: the tdd-fast benchmark suites (benchmark package), each in its own child process so that its
// peak RSS is its own. Prints mean, median, p95, p99 and memory per case; writes bench/results/bench-<time>.json.
//
//   npm run bench                       # all suites
//   npm run bench -- --suite file       # one suite (function, file, package, batch, session)
//   npm run bench -- --quick            # fewer samples (smoke run)
//
// Needs a build (`npm run build`). The package and batch suites use bench/.corpora/ts500k/rxjs when
// `npm run bench:compare` has installed it, else this repo's own ts/ folder.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'results');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const QUICK = args.includes('--quick');
const SUITES = ['function', 'file', 'package', 'batch', 'session'];

// ---------------------------------------------------------------------------------------------------------------
// Synthetic sources: deterministic, shaped like application code (guards, loops, callbacks, classes).

function syntheticFunction(i) {
  return `export function handle${i}(items: Item[] | null, limit = 10, mode?: 'a' | 'b'): number {
  if (!items || items.length === 0) return 0;
  let total = 0;
  for (const item of items) {
    if (item.price < 0) throw new RangeError('negative price');
    if (mode === 'a' && item.qty > limit) {
      total += item.qty * item.price * 0.9;
    } else {
      total += item.qty * item.price;
    }
  }
  return items.filter((x) => x.qty > 0).map((x) => x.price).reduce((a, b) => a + b, total);
}
`;
}

/** About `lines` lines of TypeScript. */
function syntheticFile(lines) {
  const parts = ['interface Item { price: number; qty: number }\n'];
  let count = 1;
  for (let i = 0; count < lines; i++) {
    const text = syntheticFunction(i);
    parts.push(text);
    count += text.split('\n').length - 1;
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics over benchmark.js samples (seconds per operation).

function summarize(bench) {
  const samples = [...bench.stats.sample].map((s) => s * 1000).sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.max(0, Math.ceil(q * samples.length) - 1))];
  return {
    name: bench.name,
    samples: samples.length,
    meanMs: bench.stats.mean * 1000,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    rme: bench.stats.rme,
  };
}

function runSuite(cases) {
  const Benchmark = require('benchmark');
  return new Promise((resolve, reject) => {
    const suite = new Benchmark.Suite();
    const options = QUICK ? { minSamples: 5, maxTime: 1 } : { minSamples: 20, maxTime: 4 };
    for (const c of cases) {
      if (c.async) {
        suite.add(c.name, { defer: true, ...options, fn: (deferred) => c.fn().then(() => deferred.resolve(), reject) });
      } else {
        suite.add(c.name, { ...options, fn: c.fn });
      }
    }
    const results = [];
    suite.on('cycle', (event) => {
      const row = summarize(event.target);
      row.rssMb = process.memoryUsage().rss / 2 ** 20;
      results.push(row);
      process.stderr.write(`  ${row.name}: median ${row.medianMs.toFixed(3)} ms\n`);
    });
    suite.on('error', (event) => reject(event.target.error));
    suite.on('complete', () => resolve(results));
    suite.run({ async: true });
  });
}

function corpusDir() {
  const rxjs = path.join(REPO, 'bench', '.corpora', 'ts500k', 'rxjs');
  return fs.existsSync(rxjs) ? rxjs : path.join(REPO, 'ts');
}

// ---------------------------------------------------------------------------------------------------------------
// The suites (each runs in a child process: `node bench/run.js --child <suite>`).

/** The session bench runs in its own process: its peak RSS (from /usr/bin/time) replaces this wrapper's. */
let sessionPeakRssMb;

const suites = {
  async function() {
    const api = require(REPO);
    const source = `interface Item { price: number; qty: number }\n${syntheticFunction(0)}`;
    const cases = [
      { name: 'one function: analyzeSource', fn: () => api.analyzeSource(source, 'one.ts') },
      {
        name: 'one function: analyzeSource + test plan',
        fn: () => api.planFile(api.analyzeSource(source, 'one.ts', { types: true }), { function: 'handle0', typescript: true }),
      },
    ];
    return runSuite(cases);
  },

  async file() {
    const api = require(REPO);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-bench-file-'));
    const cases = [];
    for (const lines of [100, 1000, 10000]) {
      const text = syntheticFile(lines);
      const file = path.join(dir, `f${lines}.ts`);
      fs.writeFileSync(file, text);
      cases.push({ name: `file of ${lines} lines: analyzeSource`, fn: () => api.analyzeSource(text, `f${lines}.ts`) });
      cases.push({
        name: `file of ${lines} lines: analyzeFiles (read + parse, no cache)`,
        async: true,
        fn: () => api.analyzeFiles([file], { root: dir, cache: false }),
      });
    }
    const files = [];
    for (let i = 0; i < 10; i++) {
      const file = path.join(dir, `batch${i}.ts`);
      fs.writeFileSync(file, syntheticFile(300));
      files.push(file);
    }
    cases.push({ name: 'batch of 10 files (300 lines each), no cache', async: true, fn: () => api.analyzeFiles(files, { root: dir, cache: false }) });
    try {
      return await runSuite(cases);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },

  async package() {
    const api = require(REPO);
    const dir = corpusDir();
    const label = path.relative(REPO, dir);
    const cacheLocation = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-bench-pkg-')), 'cache.bin');
    await api.analyzeFiles([dir], { root: dir, cacheLocation }); // fill the cache for the warm case
    return runSuite([
      { name: `whole package (${label}), cold (no cache)`, async: true, fn: () => api.analyzeFiles([dir], { root: dir, cache: false }) },
      { name: `whole package (${label}), warm (in-memory cache)`, async: true, fn: () => api.analyzeFiles([dir], { root: dir, cacheLocation }) },
    ]);
  },

  async batch() {
    const api = require(REPO);
    const dir = corpusDir();
    const label = path.relative(REPO, dir);
    const cases = [1, 0].map((threads) => ({
      name: `batch ${label}, ${threads === 1 ? '1 thread' : `all threads (${os.availableParallelism?.() ?? os.cpus().length})`}`,
      async: true,
      fn: () => api.analyzeFiles([dir], { root: dir, cache: false, threads }),
    }));
    const results = await runSuite(cases);
    if (results.length === 2) results[1].speedupOverOneThread = results[0].medianMs / results[1].medianMs;
    return results;
  },

  async session() {
    // bench/session/store-bench.js measures save/load with its own sampling; its numbers are reported as they are.
    const benchArgs = [path.join(__dirname, 'session', 'store-bench.js'), '--json', '--iterations', QUICK ? '200' : '1000'];
    const rssFile = path.join(os.tmpdir(), `tdd-fast-bench-rss-${process.pid}`);
    const timed = fs.existsSync('/usr/bin/time');
    const r = timed
      ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...benchArgs], { encoding: 'utf8' })
      : spawnSync(process.execPath, benchArgs, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`session bench failed: ${r.stderr}`);
    if (timed) {
      sessionPeakRssMb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
      fs.rmSync(rssFile, { force: true });
    }
    const data = JSON.parse(r.stdout);
    const rows = (data.rows ?? []).map((row) => ({
      name: `session ${row.operation}`,
      samples: row.n,
      meanMs: row.mean ?? null,
      medianMs: row.p50,
      p95Ms: row.p95 ?? null,
      p99Ms: row.p99,
    }));
    return rows;
  },
};

// ---------------------------------------------------------------------------------------------------------------

function fmt(ms) {
  if (ms == null) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function table(all) {
  const lines = ['| case | mean ms | median ms | p95 ms | p99 ms | samples | peak RSS (suite) |', '|---|---:|---:|---:|---:|---:|---:|'];
  for (const { suite, rows, peakRssMb } of all) {
    for (const row of rows) {
      lines.push(`| ${row.name} | ${fmt(row.meanMs)} | ${fmt(row.medianMs)} | ${fmt(row.p95Ms)} | ${fmt(row.p99Ms)} | ${row.samples ?? '-'} | ${peakRssMb.toFixed(0)} MB |`);
    }
    const speedup = rows.find((r) => r.speedupOverOneThread);
    if (speedup) lines.push(`| ${suite}: all threads vs 1 thread | ${speedup.speedupOverOneThread.toFixed(2)}x | | | | | |`);
  }
  return lines.join('\n');
}

async function child(name) {
  const rows = await suites[name]();
  const peakRssMb = sessionPeakRssMb ?? process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ rows, peakRssMb }));
}

function main() {
  if (!fs.existsSync(path.join(REPO, 'dist', 'index.js'))) {
    console.error('tdd-fast is not built: run `npm run build` first.');
    process.exit(1);
  }
  const only = option('--suite');
  const chosen = only ? only.split(',') : SUITES;
  const all = [];
  for (const suite of chosen) {
    if (!suites[suite]) throw new Error(`unknown suite ${suite} (known: ${SUITES.join(', ')})`);
    console.error(`suite ${suite} ...`);
    const r = spawnSync(process.execPath, [__filename, '--child', suite, ...(QUICK ? ['--quick'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) {
      console.error(`suite ${suite} failed (exit ${r.status})`);
      continue;
    }
    all.push({ suite, ...JSON.parse(r.stdout) });
  }
  const md = `## npm run bench: ${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}${QUICK ? ' (quick)' : ''}\n\n${table(all)}\n`;
  fs.mkdirSync(RESULTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), JSON.stringify(all, null, 2));
  fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.md`), md);
  process.stdout.write(md);
}

const childIndex = args.indexOf('--child');
if (childIndex >= 0) {
  child(args[childIndex + 1]).catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main();
}
