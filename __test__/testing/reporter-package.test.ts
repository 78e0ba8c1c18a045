/**
 * The built reporter as users configure it: a small vitest project outside the repository, with `tdd-fast` installed
 * (a symlink to the repository root, so the package.json `exports` map decides what `tdd-fast/testing/reporter` is)
 * and `reporters: ['default', 'tdd-fast/testing/reporter']` in its config. Run twice, then read back with the CLI.
 * Needs `npm run build:ts` (dist/testing/reporter.mjs).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { linkUserProjectModules, repoRoot, requireBuiltPackage, tempDir, userShellEnv as cleanEnv } from './helpers';

const cliBin = path.join(repoRoot, 'bin', 'tdd-fast.js');

function makeProject(): string {
  const project = tempDir('tdd-fast-user-project-');
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'perf-fixture', private: true, type: 'module', devDependencies: { 'tdd-fast': '*', vitest: '*' } }),
  );
  fs.writeFileSync(
    path.join(project, 'vitest.config.mjs'),
    "export default { test: { include: ['test/**/*.test.js'], reporters: ['default', 'tdd-fast/testing/reporter'] } };\n",
  );
  fs.mkdirSync(path.join(project, 'test'));
  fs.writeFileSync(
    path.join(project, 'test', 'math.test.js'),
    [
      "import { describe, expect, test } from 'vitest';",
      "describe('math', () => {",
      "  test('adds', () => expect(1 + 2).toBe(3));",
      "  test('multiplies', () => expect(2 * 3).toBe(6));",
      '});',
      "test('top-level string test', () => expect('tdd'.toUpperCase()).toBe('TDD'));",
      '',
    ].join('\n'),
  );
  linkUserProjectModules(project);
  return project;
}

describe('tdd-fast/testing/reporter in a user project', () => {
  beforeAll(() => requireBuiltPackage());

  it('resolves through the package exports to the built ESM entry', () => {
    const project = makeProject();
    const probe = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "process.stdout.write(import.meta.resolve('tdd-fast/testing/reporter'))"],
      { cwd: project, env: cleanEnv(), encoding: 'utf8' },
    );
    expect(probe.stderr).toBe('');
    expect(probe.stdout).toBe(pathToFileURL(path.join(repoRoot, 'dist', 'testing', 'reporter.mjs')).href);
  });

  it('records two runs of the project with its test names, readable with `tdd-fast perf report`', () => {
    const project = makeProject();
    const vitest = path.join(project, 'node_modules', 'vitest', 'vitest.mjs');
    for (let run = 1; run <= 2; run++) {
      const result = spawnSync(process.execPath, [vitest, 'run'], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(output, output).toMatch(/Tests\s+3 passed/);
      expect(result.status, output).toBe(0);
      expect(output).toContain('tdd-fast perf: 3 tests recorded');
    }
    // The reporter's default location: <project root>/node_modules/.cache/tdd-fast/perf-history.sqlite.
    const historyPath = path.join(project, 'node_modules', '.cache', 'tdd-fast', 'perf-history.sqlite');
    expect(fs.existsSync(historyPath)).toBe(true);
    const cli = spawnSync(process.execPath, [cliBin, 'perf', 'report', '--format', 'json', '--history', historyPath], {
      cwd: project,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    const report = JSON.parse(cli.stdout) as {
      runs: { tests: number; failed: number }[];
      slowest: { testId: string; name: string; file: string; state: string }[];
    };
    expect(report.runs.map((r) => [r.tests, r.failed])).toEqual([[3, 0], [3, 0]]);
    expect(report.slowest.map((s) => s.testId).sort()).toEqual([
      'test/math.test.js > math > adds',
      'test/math.test.js > math > multiplies',
      'test/math.test.js > top-level string test',
    ]);
    expect(report.slowest.every((s) => s.file === 'test/math.test.js' && s.state === 'passed')).toBe(true);
  });
});
