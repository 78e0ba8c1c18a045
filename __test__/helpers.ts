import { spawnSync } from 'node:child_process';
import { it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..');
export const cliPath = path.join(repoRoot, 'bin', 'tdd-fast.js');

/** A fresh project folder under the OS temp dir, filled with the given files. */
export function makeProject(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-test-'));
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  return dir;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: `node bin/tdd-fast.js ...` in `cwd`, not on a TTY. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether this is a CI run (`CI=true`, as .ci/run and every CI system set it). */
export function isCi(): boolean {
  const value = (process.env.CI ?? '').toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * For tests that need something the build makes (the native addon, dist/): whether to skip them. Outside CI a missing
 * part skips them with a message saying what to build; under `CI=true` it never skips: a failing test says what is
 * missing, so a broken build cannot pass CI quietly. Optional tools (chromium, actionlint, shellcheck) do not use this.
 */
export function skipWithoutBuild(available: boolean, what: string): boolean {
  if (available) return false;
  if (isCi()) {
    it(`has ${what} (CI=true: required, not skipped)`, () => {
      throw new Error(`${what} is missing; under CI=true the tests that need it fail instead of being skipped`);
    });
    return true;
  }
  console.warn(`skipped: ${what} is missing (build it to run these tests; under CI=true they fail instead)`);
  return true;
}

/**
 * For tests that need something installed or configured on the machine (the PostgreSQL server binaries, a large
 * /dev/shm): whether to skip them. Outside CI a missing prerequisite skips them with a message saying what to install;
 * under `CI=true` a failing test says it instead, so a CI machine without it cannot pass by skipping.
 */
export function skipWithoutPrerequisite(available: boolean, what: string, install: string): boolean {
  if (available) return false;
  if (isCi()) {
    it(`has ${what} (CI=true: required, not skipped)`, () => {
      throw new Error(`${what} is missing: ${install}. Under CI=true the tests that need it fail instead of being skipped`);
    });
    return true;
  }
  console.warn(`skipped: ${what} is missing (${install}; under CI=true these tests fail instead)`);
  return true;
}

/** For tests that need an optional tool: whether to skip them, printing that they were skipped and why. */
export function skipWithoutTool(available: boolean, why: string): boolean {
  if (!available) console.warn(`skipped: ${why}`);
  return !available;
}
