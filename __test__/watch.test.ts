import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { cliPath, makeProject, repoRoot, runCli } from './helpers';

function waitFor(output: () => string, pattern: RegExp, timeoutMs = 45_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (pattern.test(output())) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${pattern} in:\n${output()}`));
      }
    }, 50);
  });
}

describe('tdd-fast watch', () => {
  it("selects files like analyze: .gitignore'd and excluded files are left alone, a file in a new folder is seen", async () => {
    const dir = makeProject({
      '.gitignore': 'generated/\n',
      'tdd-fast.config.json': JSON.stringify({ exclude: ['src/legacy/**'] }),
      'src/a.ts': 'export const a = 1;\n',
      'src/legacy/old.ts': 'export const old = 1;\n',
    });
    const child = spawn(process.execPath, [cliPath, 'watch', '--session', 'select'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor(() => stdout, /watching .*'select'/);
      fs.mkdirSync(path.join(dir, 'generated'));
      fs.writeFileSync(path.join(dir, 'generated/out.ts'), 'export const generated = 1;\n');
      fs.writeFileSync(path.join(dir, 'src/legacy/old.ts'), 'export const old = 2;\n');
      fs.writeFileSync(path.join(dir, 'notes.md'), '# not source\n');
      fs.mkdirSync(path.join(dir, 'src/fresh'));
      fs.writeFileSync(path.join(dir, 'src/fresh/b.ts'), 'export function b(x: number) { return x; }\n');
      await waitFor(() => stdout, /re-analysed src\/fresh\/b\.ts: 0 findings/);
      // One more change after them, so everything before it has been handled when it shows.
      fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 2;\n');
      await waitFor(() => stdout, /re-analysed src\/a\.ts/);
      expect(stdout).not.toMatch(/generated|legacy|notes\.md/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  });

  it('re-analyses a changed file and records the red -> green transition of the vitest run', async () => {
    const dir = makeProject({
      'src/sum.ts': 'export const sum = (a: number, b: number) => a - b;\n',
      'src/sum.test.ts': [
        "import { expect, test } from 'vitest';",
        "import { sum } from './sum';",
        "test('adds', () => expect(sum(1, 2)).toBe(3));",
        '',
      ].join('\n'),
    });
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(repoRoot, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'));

    const child = spawn(process.execPath, [cliPath, 'watch', 'src', '--vitest', '--session', 'kata'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    try {
      await waitFor(() => stdout, /watching .*session \d+ 'kata'/);
      fs.writeFileSync(path.join(dir, 'src/sum.ts'), 'export const sum = (a: number, b: number) => a + b;\n');
      await waitFor(() => stdout, /green: 1 passed, 0 failed/);
      expect(stdout).toMatch(/re-analysed src\/sum\.ts: 0 findings/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }

    const shown = runCli(['session', 'show', 'kata', '--format', 'json'], dir);
    expect(shown.code, shown.stderr).toBe(0);
    const text = shown.stdout;
    const phases = [...text.matchAll(/"phase":\s*"(red|green|refactor)"/g)].map((m) => m[1]);
    expect(phases).toEqual(['red', 'green']);
  });
});
