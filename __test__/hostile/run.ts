import { spawnSync } from 'node:child_process';

import { cliPath } from '../helpers';

/** Like helpers' runCli, with room for large reports (spawnSync's default maxBuffer of 1 MB kills the child). */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 240_000,
    maxBuffer: 1024 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}
