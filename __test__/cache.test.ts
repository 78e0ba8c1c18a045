import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { makeProject, runCli } from './helpers';

const files = {
  'src/a.ts': 'export function a(x: number) { return x > 1 ? x : 0; }\n',
  'src/b.ts': 'export const b = (s: string) => s.trim();\n',
  'src/c.js': 'module.exports.c = function c(v) { return v ?? 1; };\n',
};
const cacheFile = (dir: string) => path.join(dir, 'node_modules/.cache/tdd-fast/analysis.bin');

function analyze(dir: string, ...extra: string[]) {
  const run = runCli(['analyze', '--format', 'json', ...extra], dir);
  expect(run.code, run.stderr).toBe(0);
  return { result: JSON.parse(run.stdout), stderr: run.stderr };
}

describe('the analysis cache', () => {
  it('persists under node_modules/.cache and turns a second run into hits with identical results', () => {
    const dir = makeProject(files);
    const cold = analyze(dir).result;
    expect(cold.summary.cache).toEqual({ hits: 0, misses: 3 });
    expect(fs.existsSync(cacheFile(dir))).toBe(true);
    const warm = analyze(dir).result;
    expect(warm.summary.cache).toEqual({ hits: 3, misses: 0 });
    expect(warm.files).toEqual(cold.files);
  });

  it('re-analyses exactly the file whose content changed, and never returns the stale result', () => {
    const dir = makeProject(files);
    analyze(dir);
    fs.writeFileSync(path.join(dir, 'src/b.ts'), 'export const b = (s: string, t: string) => s + t;\n');
    const { result } = analyze(dir);
    expect(result.summary.cache).toEqual({ hits: 2, misses: 1 });
    const b = result.files.find((f: { path: string }) => f.path === 'src/b.ts');
    expect(b.functions[0].params.map((p: { name: string }) => p.name)).toEqual(['s', 't']);
  });

  it('checks the content hash when only the metadata changed (touch), and calls it a hit', () => {
    const dir = makeProject(files);
    analyze(dir);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, 'src/a.ts'), later, later);
    expect(analyze(dir).result.summary.cache).toEqual({ hits: 3, misses: 0 });
  });

  it('is invalidated by a change of the options that shape a report', () => {
    const dir = makeProject(files);
    analyze(dir);
    expect(analyze(dir, '--max-file-size', '1mb').result.summary.cache).toEqual({ hits: 0, misses: 3 });
    expect(analyze(dir, '--max-file-size', '1mb').result.summary.cache).toEqual({ hits: 3, misses: 0 });
  });

  it('ignores a corrupt, truncated or foreign cache file with a warning, rebuilds it, and never crashes', () => {
    const dir = makeProject(files);
    analyze(dir);
    const good = fs.readFileSync(cacheFile(dir));
    const cases: [string, Buffer][] = [
      ['truncated', good.subarray(0, good.length >> 1)],
      ['checksum', Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good[good.length - 1] ^ 0xff])])],
      ['not a tdd-fast cache', Buffer.from('{"version": 1}')],
    ];
    for (const [why, bytes] of cases) {
      fs.writeFileSync(cacheFile(dir), bytes);
      const run = analyze(dir);
      expect(run.stderr).toMatch(new RegExp(`warning: cache .*${why}`));
      expect(run.result.summary.cache).toEqual({ hits: 0, misses: 3 });
      expect(analyze(dir).result.summary.cache).toEqual({ hits: 3, misses: 0 });
    }
  });

  it('--no-cache neither reads nor writes it; --cache-location moves it', () => {
    const dir = makeProject(files);
    expect(analyze(dir, '--no-cache').result.summary.cache).toEqual({ hits: 0, misses: 3 });
    expect(fs.existsSync(cacheFile(dir))).toBe(false);
    analyze(dir, '--cache-location', '.cache/tdd.bin');
    expect(fs.existsSync(path.join(dir, '.cache/tdd.bin'))).toBe(true);
    expect(analyze(dir, '--cache-location', '.cache/tdd.bin').result.summary.cache.hits).toBe(3);
  });

  it('--profile prints phases, throughput, peak RSS and the hit rate to stderr', () => {
    const dir = makeProject(files);
    const run = runCli(['analyze', '--profile', '--no-functions'], dir);
    expect(run.code).toBe(0);
    for (const phase of ['walk', 'read', 'hash', 'cache', 'parse', 'visit', 'rules', 'duplicates', 'output']) {
      expect(run.stderr).toMatch(new RegExp(`\\n  ${phase}\\s+\\d+\\.\\d ms`));
    }
    expect(run.stderr).toMatch(/files\/s\s+\d+/);
    expect(run.stderr).toMatch(/peak RSS\s+\d+\.\d MB/);
    expect(run.stderr).toMatch(/cache\s+0\.0% hits \(0 hits, 3 misses\)/);
  });
});
