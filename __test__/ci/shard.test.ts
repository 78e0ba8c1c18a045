import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { restrictToFiles } from '../../ts/ci/git';
import { mergeReports } from '../../ts/ci/merge';
import { comparePaths, parseShard, partition } from '../../ts/ci/shard';
import type { AnalysisResult } from '../../ts/engine/types';
import { makeProject, runCli } from '../helpers';
import { syntheticResult } from './synthetic';

function source(i: number): string {
  // Files of very different sizes, some with syntax errors, some sharing a duplicated block.
  const body = Array.from({ length: (i * 7) % 23 + 1 }, (_, k) => `  if (x > ${k}) { total += ${k} * x; }`).join('\n');
  const shared =
    i % 4 === 0
      ? `\nexport function shared${i}(list: number[], limit: number) {\n  let s = 0;\n  for (const v of list) {\n` +
        `    if (v > limit) {\n      s += v * 2;\n    } else if (v < 0) {\n      s -= v;\n    } else {\n      s += 1;\n    }\n` +
        `    if (s > 1000) {\n      console.log('big', s, v, limit);\n      break;\n    }\n  }\n  return s;\n}\n`
      : '';
  const broken = i % 9 === 0 ? '\nexport const oops = (;\n' : '';
  return `export function f${i}(x: number): number {\n  let total = 0;\n${body}\n  return total;\n}\n${shared}${broken}`;
}

function comparable(result: AnalysisResult) {
  const { summary, warnings: _warnings, shard: _shard, profile: _profile, ...rest } = result;
  const { ms: _ms, cache: _cache, ...counts } = summary;
  return { ...rest, summary: counts };
}

describe('shard partitioning', () => {
  it('orders paths by component, like the walk', () => {
    expect(['src/a-b.ts', 'src/a.ts', 'src/a/b.ts', 'src/B.ts'].sort(comparePaths)).toEqual(['src/B.ts', 'src/a/b.ts', 'src/a-b.ts', 'src/a.ts']);
  });

  it('parses i/n and rejects nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(/--shard expects i\/n/);
  });

  it('is deterministic, complete, disjoint and even by size', () => {
    const files = Array.from({ length: 200 }, (_, i) => ({ path: `src/f${String(i).padStart(3, '0')}.ts`, size: ((i * 7919) % 5000) + 10 }));
    const shards = partition(files, 4);
    expect(partition([...files].reverse(), 4)).toEqual(shards);
    expect(shards.flat().map((f) => f.path).sort()).toEqual(files.map((f) => f.path));
    const bytes = shards.map((s) => s.reduce((n, f) => n + f.size, 0));
    const largest = Math.max(...files.map((f) => f.size));
    expect(Math.max(...bytes) - Math.min(...bytes)).toBeLessThanOrEqual(largest);
    for (const shard of shards) expect(shard.map((f) => f.path)).toEqual([...shard.map((f) => f.path)].sort());
    expect(partition(files.slice(0, 2), 5).map((s) => s.length)).toEqual([1, 1, 0, 0, 0]);
  });
});

describe('sharded runs merged', () => {
  it('equal the unsharded run (files, functions, errors, duplicates, summary counts)', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`src/${i % 3 === 0 ? 'deep/' : ''}f${i}.ts`] = source(i);
    files['.gitignore'] = 'src/ignored.ts\n';
    // Names whose string order differs from path-component order.
    files['src/a/b.ts'] = source(5);
    files['src/a-b.ts'] = source(6);
    files['src/a.ts'] = source(7);
    files['src/ignored.ts'] = 'export const ignored = 1;\n';
    const project = makeProject(files);
    const whole = runCli(['analyze', 'src', '--format', 'json', '--no-cache'], project);
    expect(whole.stderr).toBe('tdd-fast: failing: 5 errors (--fail-on error)\n');
    const unsharded = JSON.parse(whole.stdout) as AnalysisResult;
    expect(unsharded.files).toHaveLength(43);
    // Copies of one block in files that different shards analyse: only a merge over all fingerprints finds them all.
    expect(unsharded.duplicates.length).toBeGreaterThan(0);
    expect(new Set(unsharded.duplicates.flatMap((d) => d.locations.map((l) => l.path))).size).toBeGreaterThanOrEqual(10);

    for (const total of [1, 3, 4]) {
      const reports: string[] = [];
      const seen = new Set<string>();
      for (let i = 1; i <= total; i++) {
        const out = `shard-${i}-of-${total}.json`;
        const run = runCli(['analyze', 'src', '--shard', `${i}/${total}`, '--format', 'json', '-o', out, '--no-cache'], project);
        expect([0, 1]).toContain(run.code);
        const report = JSON.parse(fs.readFileSync(path.join(project, out), 'utf8')) as AnalysisResult;
        expect(report.shard).toEqual({ index: i, total, allFiles: 43 });
        for (const f of report.files) {
          expect(seen.has(f.path)).toBe(false);
          seen.add(f.path);
        }
        reports.push(out);
      }
      expect(seen.size).toBe(43);
      const merged = runCli(['merge-reports', ...reports.reverse(), '--format', 'json'], project);
      expect(merged.code).toBe(1); // the broken files fail the gate, as in the unsharded run
      expect(comparable(JSON.parse(merged.stdout))).toEqual(comparable(unsharded));
    }
  });

  it('refuses missing, repeated or overlapping shards', () => {
    const a = { ...syntheticResult(), shard: { index: 1, total: 2, allFiles: 4 } };
    const b = { ...syntheticResult(), files: [], shard: { index: 2, total: 2, allFiles: 4 } };
    expect(() => mergeReports([a])).toThrow('shard 2/2 missing');
    expect(() => mergeReports([a, a])).toThrow('shard 1/2 is given twice');
    expect(() => mergeReports([a, { ...a, shard: { index: 2, total: 3, allFiles: 4 } }])).toThrow('different splits');
    expect(() => mergeReports([a, { ...syntheticResult(), shard: { index: 2, total: 2, allFiles: 4 } }])).toThrow('shards must not overlap');
    expect(mergeReports([b, a]).files.map((f) => f.path)).toEqual(['src/broken.ts', 'src/cart.ts', 'src/clean.ts', 'src/util.ts']);
  });

  it('merge-reports writes any format and explains a bad input', () => {
    const project = makeProject({ 'src/a.ts': 'export const a = 1;\n', 'notes.json': '{"hello": 1}' });
    expect(runCli(['analyze', 'src', '--shard', '1/1', '--format', 'json', '-o', 'r1.json'], project).code).toBe(0);
    const sarif = runCli(['merge-reports', 'r1.json', '--format', 'sarif'], project);
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
    const bad = runCli(['merge-reports', 'notes.json'], project);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a tdd-fast JSON report');
  });
});

describe('restricting a result to changed files', () => {
  it('keeps the changed files and every duplicate that touches one of them', () => {
    const restricted = restrictToFiles(syntheticResult(), new Set(['src/util.ts', 'src/clean.ts']));
    expect(restricted.files.map((f) => f.path)).toEqual(['src/util.ts', 'src/clean.ts']);
    expect(restricted.duplicates).toHaveLength(1); // util.ts <-> cart.ts, though cart.ts did not change
    expect(restricted.summary).toMatchObject({ files: 2, functions: 3, smells: 1, errors: 0 });
    expect(restrictToFiles(syntheticResult(), new Set(['src/clean.ts'])).duplicates).toEqual([]);
  });
});

describe('the cache directory', () => {
  it('is portable to another checkout (other path, fresh mtimes), as actions/cache restores it', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`src/f${i}.ts`] = source(i + 1);
    const first = makeProject(files);
    const cold = JSON.parse(runCli(['analyze', 'src', '--format', 'json'], first).stdout) as AnalysisResult;
    expect(cold.summary.cache).toEqual({ hits: 0, misses: 12 });
    const cacheDir = path.join(first, 'node_modules', '.cache', 'tdd-fast');
    expect(fs.readdirSync(cacheDir).length).toBeGreaterThan(0);

    // Another runner: a fresh checkout somewhere else, with the cache directory restored into it.
    const second = makeProject(files);
    fs.cpSync(cacheDir, path.join(second, 'node_modules', '.cache', 'tdd-fast'), { recursive: true });
    fs.writeFileSync(path.join(second, 'src/f0.ts'), source(99)); // one file changed on this branch
    const warm = JSON.parse(runCli(['analyze', 'src', '--format', 'json'], second).stdout) as AnalysisResult;
    expect(warm.summary.cache).toEqual({ hits: 11, misses: 1 });
    expect(warm.files[0]!.path).toBe('src/f0.ts');
    expect(warm.files.slice(1)).toEqual(cold.files.slice(1));
  });
});
