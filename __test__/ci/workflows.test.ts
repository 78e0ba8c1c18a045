import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

/** actionlint from PATH or from `go install` (GOFLAGS=-mod=mod go install github.com/rhysd/actionlint/cmd/actionlint@latest). */
const ACTIONLINT = [
  ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'actionlint')),
  path.join(os.homedir(), 'go', 'bin', 'actionlint'),
].find((p) => fs.existsSync(p));
if (!ACTIONLINT) console.warn('workflow lint skipped: actionlint not installed');

const workflows = path.join(repoRoot, '.github', 'workflows');

describe('GitHub workflows', () => {
  it('release.yml builds, tests and publishes every napi target of package.json', () => {
    const release = fs.readFileSync(path.join(workflows, 'release.yml'), 'utf8');
    const { napi } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { napi: { targets: string[] } };
    for (const target of napi.targets) {
      expect(release.match(new RegExp(`- target: ${target}\\n`, 'g')), target).toHaveLength(2); // a build and a test entry
    }
    expect(release).toContain('npm publish --provenance');
    expect(release).toContain('id-token: write');
  });

  it.skipIf(!ACTIONLINT)('pass actionlint', () => {
    const run = spawnSync(ACTIONLINT!, ['-color=false', 'ci.yml', 'release.yml'], { cwd: workflows, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
