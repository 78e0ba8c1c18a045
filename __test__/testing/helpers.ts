import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const distTesting = path.join(repoRoot, 'dist', 'testing', 'index.js');

export function tempDir(prefix = 'tdd-fast-testing-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs `fn` with environment variables set, restoring them afterwards. */
export function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const key of Object.keys(vars)) {
    saved[key] = process.env[key];
    if (vars[key] === undefined) delete process.env[key];
    else process.env[key] = vars[key];
  }
  try {
    return fn();
  } finally {
    for (const key of Object.keys(saved)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

export function requireBuiltPackage(): void {
  if (!fs.existsSync(distTesting)) {
    throw new Error(`${distTesting} is missing: run \`npm run build:ts\` before these tests`);
  }
}
