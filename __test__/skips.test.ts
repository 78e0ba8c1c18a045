import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from './helpers';

// A suite that needs a build part that is not there, run by a real vitest in a temp folder, with and without CI=true.
function runSuite(ci: string, skipIf = "skipWithoutBuild(false, 'the native addon (npm run build:native)')") {
  const dir = makeProject({
    'needs-build.test.ts': [
      "import { describe, expect, it } from 'vitest';",
      `import { skipWithoutBuild, skipWithoutPrerequisite } from ${JSON.stringify(path.join(repoRoot, '__test__', 'helpers'))};`,
      `describe.skipIf(${skipIf})('with the addon', () => {`,
      "  it('works', () => expect(1).toBe(1));",
      '});',
      '',
    ].join('\n'),
  });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'));
  const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--root', dir], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: ci, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 120_000,
  });
  return { code: run.status, output: run.stdout + run.stderr };
}

describe('tests that need a build part', () => {
  it('fail under CI=true, saying what is missing, instead of being skipped', () => {
    const run = runSuite('true');
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/has the native addon \(npm run build:native\) \(CI=true: required, not skipped\)/);
    expect(run.output).toMatch(/the native addon \(npm run build:native\) is missing; under CI=true the tests that need it fail/);
  });

  it('are skipped outside CI, with a message saying what to build', () => {
    const run = runSuite('');
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/skipped: the native addon \(npm run build:native\) is missing/);
    expect(run.output).toMatch(/1 skipped/);
  });
});

describe('tests that need something installed on the machine', () => {
  const needsPostgres = "skipWithoutPrerequisite(false, 'the PostgreSQL server binaries (initdb, postgres)', 'apt-get install postgresql, or set TDD_FAST_PG_BIN')";
  it('fail under CI=true, saying what to install', () => {
    const run = runSuite('true', needsPostgres);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/the PostgreSQL server binaries \(initdb, postgres\) is missing: apt-get install postgresql, or set TDD_FAST_PG_BIN/);
  });

  it('are skipped outside CI, with the same advice', () => {
    const run = runSuite('', needsPostgres);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/skipped: the PostgreSQL server binaries \(initdb, postgres\) is missing \(apt-get install postgresql/);
  });
});
