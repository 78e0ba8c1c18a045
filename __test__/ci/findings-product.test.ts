/**
 * The core's findings-only product (crates/tdd_fast_core/src/findings.rs), what `analyze` prints stylish, github,
 * junit and sarif from: the same findings as the full result, and each of those formats' output byte for byte the
 * same, on this repository itself and on a fixture, cold and from the cache, also after a baseline or --changed cut
 * the result down (their summaries recount the functions).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { applyBaseline, createBaseline } from '../../ts/ci/baseline';
import { restrictToFiles } from '../../ts/ci/git';
import { analyzeFilesForPrinting } from '../../ts/engine/api';
import { resolveConfig } from '../../ts/engine/config';
import type { AnalysisResult, AnalyzeOptions } from '../../ts/engine/types';
import { format } from '../../ts/report';
import { palette } from '../../ts/report/colors';
import { findingsOf } from '../../ts/report/findings';
import { FINDINGS_FORMATS } from '../../ts/report/load';
import { makeProject, repoRoot } from '../helpers';

const branches = (name: string) =>
  `export function ${name}(x: number) {\n${Array.from({ length: 24 }, (_, i) => `  if (x === ${i}) { return ${i}; }\n`).join('')}  return -1;\n}\n`;
const copied = Array.from({ length: 14 }, (_, i) => `  if (items[${i}] > limit) { total += items[${i}] * ${i}; }\n`).join('');

/** Smells in named functions (two of one name, one with a quote in its name), a duplicate, a syntax error, a clean file. */
function fixture(): string {
  return makeProject({
    'src/complex.ts': `${branches('tangled')}\nexport const plain = (a: number) => a + 1;\n`,
    'src/same-name.ts': `${branches('twice')}\nexport class K {\n  twice(a, b, c, d, e, f) { return a; }\n  'say "hi"'(a, b, c, d, e, f) { return a; }\n}\n`,
    'src/a.js': `export function a(items, limit) {\n  let total = 0;\n${copied}  return total;\n}\n`,
    'src/b.js': `export function b(items, limit) {\n  let total = 0;\n${copied}  return total;\n}\n`,
    'src/broken.ts': 'export function ok(a: number) { return a; }\nfunction broken( {\n',
    'src/clean.ts': 'export const id = <T>(value: T): T => value;\n',
  });
}

async function both(paths: string[], options: AnalyzeOptions) {
  const full = await analyzeFilesForPrinting(paths, options, { parseFiles: true });
  const findings = await analyzeFilesForPrinting(paths, options, { findingsOnly: true });
  return { full, findings };
}

/** The summary without what differs between two runs (time, cache hits). */
function stable(result: AnalysisResult) {
  const { ms: _ms, cache: _cache, ...rest } = result.summary;
  return rest;
}

function expectSameOutput(full: AnalysisResult, findings: AnalysisResult, counts: Parameters<typeof format>[2]['counts'], cwd: string) {
  expect(findingsOf(findings)).toEqual(findingsOf(full));
  expect(findings.duplicates).toEqual(full.duplicates);
  expect(stable(findings)).toEqual(stable(full));
  // The same run's timings on both, so that the texts can be compared whole.
  const timed = { ...findings, summary: full.summary };
  for (const name of FINDINGS_FORMATS) {
    const context = { palette: palette(false), showFunctions: false, cwd, counts };
    expect(format(timed, name, context), name).toBe(format(full, name, context));
  }
}

describe('the findings-only product', () => {
  it('gives the fixture the same findings and the same output in every findings format, cold and cached', async () => {
    const dir = fixture();
    const cacheLocation = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-findings-')), 'analysis.bin');
    try {
      for (const cache of [false, true, true]) {
        const { full, findings } = await both(['.'], { root: dir, cache, cacheLocation });
        expect(findings.counts).toEqual(full.counts);
        expectSameOutput(full.result, findings.result, full.counts, dir);
        // What the product leaves out: only the functions smells name are kept (both `twice` and the quoted method).
        const kept = findings.result.files.flatMap((f) => f.functions.map((fn) => `${f.path}:${fn.name}`));
        expect(kept.sort()).toEqual(['src/complex.ts:tangled', 'src/same-name.ts:K.twice', 'src/same-name.ts:twice', 'src/same-name.ts:K.say "hi"'].sort());
        // With the cache on, the full run just stored every file: the findings run reads them all from the cache.
        expect(findings.result.summary.cache.hits).toBe(cache ? findings.result.files.length : 0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(path.dirname(cacheLocation), { recursive: true, force: true });
    }
  });

  it('gives this repository the same findings and output, also after a baseline and --changed cut the result down', async () => {
    const config = resolveConfig(repoRoot, {});
    const { full, findings } = await both(['.'], { root: repoRoot, cache: false, config: config.json });
    expect(full.result.files.length).toBeGreaterThan(100);
    expect(findingsOf(full.result).length).toBeGreaterThan(0);
    expectSameOutput(full.result, findings.result, full.counts, repoRoot);
    // The summaries a baseline and --changed recount keep every function, though the product holds only some.
    const someFindings = { ...full.result, files: full.result.files.slice(0, 40) };
    const baseline = createBaseline(someFindings);
    const cutFull = applyBaseline(full.result, baseline).result;
    const cutFindings = applyBaseline(findings.result, baseline).result;
    expect(stable(cutFindings)).toEqual(stable(cutFull));
    expect(cutFull.summary.functions).toBe(full.result.summary.functions);
    const keep = new Set(full.result.files.filter((_, i) => i % 3 === 0).map((f) => f.path));
    const changedFull = restrictToFiles(full.result, keep);
    expect(stable(restrictToFiles(findings.result, keep))).toEqual(stable(changedFull));
    expect(changedFull.summary.functions).toBeLessThan(full.result.summary.functions);
    expectSameOutput(changedFull, restrictToFiles(findings.result, keep), undefined, repoRoot);
  });
});
