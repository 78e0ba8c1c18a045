/** 100,000 tiny files in one run: every file is reported, nothing is lost, the exit code is right. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { AnalysisResult } from '../../ts/index';
import { runCli } from './run';

const COUNT = 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-many-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }), 300_000);

describe('100,000 tiny files', () => {
  it('are all analysed in one CLI run; one broken file among them gives exit 1 and only its error', () => {
    // 100 folders of 1,000 files, written in one loop.
    for (let d = 0; d < 100; d++) {
      const folder = path.join(dir, `d${d}`);
      fs.mkdirSync(folder);
      for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(folder, `f${f}.js`), `export const v${f} = (a) => a + ${d};\n`);
    }
    fs.writeFileSync(path.join(dir, 'd7', 'f500.js'), 'export const broken = (a) => ;\n');
    const run = runCli(['analyze', '--format', 'json', '--no-cache', '--no-progress', '--profile'], dir);
    expect(run.code, run.stderr.slice(0, 2000)).toBe(1);
    const result = JSON.parse(run.stdout) as AnalysisResult;
    expect(result.files).toHaveLength(COUNT);
    expect(result.summary.files).toBe(COUNT);
    expect(result.summary.functions).toBe(COUNT - 1 + 0);
    const broken = result.files.filter((f) => f.errors.length > 0);
    expect(broken.map((f) => f.path)).toEqual(['d7/f500.js']);
    expect(run.stderr).toMatch(/peak RSS\s+[\d.]+ MB/);
  }, 300_000);
});
