#!/usr/bin/env node
/**
 * `node bench/generate/speed.mjs [--runs N] [--keep]`: wall time of `tdd-fast generate src --record` on a synthetic
 * package of 150 functions in 15 CommonJS files (10 per file), the size issue 13 names for its 60 s target.
 *
 * The functions are small and varied on purpose (branches on numbers, string parsing, arrays, option objects, a
 * throwing guard, a function-constructor class per file) so the search has real work in each; they are written
 * fresh into a temporary folder for every run, so no earlier output is reused. Prints each run's wall time and the
 * median, with the load average before and after.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const args = process.argv.slice(2);
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3) || 3;
const keep = args.includes('--keep');

/** Ten functions for file `k`; the constants vary per file so the files are not copies of each other. */
function fileSource(k) {
  const n = 10 + k;
  return `'use strict';

function clamp${k}(value, min, max) {
  if (typeof value !== 'number') throw new TypeError('value must be a number');
  if (value < min) return min;
  if (value > max) return max;
  return value;
}

function grade${k}(score) {
  if (score >= ${90 - k}) return 'A';
  if (score >= ${75 - k}) return 'B';
  if (score >= ${50 - k}) return 'C';
  return 'F';
}

function parsePair${k}(text) {
  const i = text.indexOf('=');
  if (i < 0) return null;
  const key = text.slice(0, i).trim();
  const value = text.slice(i + 1).trim();
  if (!key) throw new Error('empty key');
  return { key, value: /^\\d+$/.test(value) ? Number(value) : value };
}

function sum${k}(items) {
  let total = 0;
  for (const x of items) {
    if (x < 0) continue;
    total += x > ${n} ? ${n} : x;
  }
  return total;
}

function chunk${k}(items, size) {
  if (size <= 0) throw new RangeError('size must be positive');
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function format${k}(amount, options) {
  const opts = options || {};
  const digits = opts.digits === undefined ? 2 : opts.digits;
  const text = amount.toFixed(digits);
  if (opts.currency === 'EUR') return text + ' €';
  if (opts.currency === 'USD') return '$' + text;
  return text;
}

function slug${k}(title) {
  return String(title)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, ${20 + k});
}

function kind${k}(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length ? 'list' : 'empty list';
  if (typeof value === 'object') return Object.keys(value).length > ${k % 3 + 1} ? 'big object' : 'object';
  return typeof value;
}

function Counter${k}(start) {
  this.count = start || 0;
  this.history = [];
}
Counter${k}.prototype.add = function (n) {
  if (n === 0) return this.count;
  this.history.push(n);
  this.count += n;
  return this.count;
};
Counter${k}.prototype.undo = function () {
  if (this.history.length === 0) return false;
  this.count -= this.history.pop();
  return true;
};

module.exports = { clamp${k}, grade${k}, parsePair${k}, sum${k}, chunk${k}, format${k}, slug${k}, kind${k}, Counter${k} };
`;
}

function makeFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-speed-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'speed-fixture', version: '1.0.0', private: true }));
  fs.mkdirSync(path.join(dir, 'src'));
  for (let k = 0; k < 15; k++) fs.writeFileSync(path.join(dir, 'src', `mod${k}.js`), fileSource(k));
  return dir;
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const times = [];
console.log(`load before: ${load()}`);
for (let r = 0; r < runs; r++) {
  const dir = makeFixture();
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(repo, 'bin', 'tdd-fast.js'), 'generate', 'src', '--record'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  const s = (performance.now() - started) / 1000;
  // one line per file: "src/mod0.generated.test.js: 74 tests for 10 functions (...)"
  const functions = [...(result.stdout + result.stderr).matchAll(/tests? for (\d+) functions?/g)].reduce((n, m) => n + Number(m[1]), 0);
  const tests = fs.readdirSync(path.join(dir, 'src')).filter((f) => f.endsWith('.generated.test.js')).length;
  times.push(s);
  console.log(`run ${r + 1}: ${s.toFixed(1)} s, exit ${result.status}, ${tests} test files, ${functions} functions planned, load ${load()}`);
  if (result.status !== 0) console.log((result.stderr || result.stdout).split('\n').slice(-8).join('\n'));
  if (keep) console.log(`kept: ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log(`median ${times[Math.floor(times.length / 2)].toFixed(1)} s over ${runs} runs; load after: ${load()}`);
