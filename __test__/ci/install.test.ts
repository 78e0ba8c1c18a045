import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot, skipWithoutBuild } from '../helpers';

/**
 * Takes about 2 minutes here, most of it npm building better-sqlite3 (a dependency) from source, since its prebuilt
 * binaries come from GitHub, which this machine cannot reach; tdd-fast's own addon comes prebuilt.
 *
 * The prebuilt path as a user gets it: `npm pack` the per-platform package (npm/<platform>/ plus the built addon) and the
 * main package, install both tarballs into a fresh project with no Rust toolchain on PATH, and run `npx tdd-fast` there.
 */

/** The napi-rs platform suffix of this machine (as in npm/<suffix>/ and tdd-fast.<suffix>.node). */
function platformSuffix(): string | undefined {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
    return `linux-${arch}-${header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  if (platform === 'darwin') return `darwin-${arch}`;
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return undefined;
}

const suffix = platformSuffix();
const addon = suffix && path.join(repoRoot, 'native', `tdd-fast.${suffix}.node`);
const npmDir = suffix && path.join(repoRoot, 'npm', suffix);
const ready = !!addon && fs.existsSync(addon) && fs.existsSync(path.join(repoRoot, 'dist', 'cli', 'main.js')) && !!npmDir && fs.existsSync(npmDir);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** PATH without cargo/rustup folders, and no Rust variables: a machine that has no Rust toolchain. */
function noRustEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' };
  // No Rust variables, and none of the variables `npm test` sets for its scripts (npm_config_local_prefix would point the
  // nested npm at this repository): only the user's npm settings (nodedir, cache, registry) carry over.
  const keep = /^npm_config_(nodedir|cache|registry|userconfig|audit|fund)$/i;
  for (const key of Object.keys(env)) {
    if (/^(CARGO|RUSTUP|RUSTC)/i.test(key) || (/^npm_/i.test(key) && !keep.test(key)) || key === 'INIT_CWD') delete env[key];
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !/[\\/](\.cargo|\.rustup)([\\/]|$)/.test(dir) && !['cargo', 'rustc'].some((tool) => fs.existsSync(path.join(dir, tool))))
    .join(path.delimiter);
  return env;
}

function run(command: string, args: string[], cwd: string, env = noRustEnv()) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 420_000, shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

describe.skipIf(skipWithoutBuild(ready, `native/tdd-fast.${suffix ?? '<platform>'}.node, dist/ and npm/${suffix ?? '<platform>'}/ (npm run build)`))('install from packed tarballs, without a Rust toolchain', () => {
  it('npx tdd-fast analyze works with the prebuilt per-platform package', { timeout: 600_000 }, () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-install-'));
    try {
      // The platform package exactly as the release workflow assembles it: npm/<suffix>/ plus the addon.
      const platformDir = path.join(work, 'platform');
      fs.cpSync(npmDir!, platformDir, { recursive: true });
      fs.copyFileSync(addon!, path.join(platformDir, path.basename(addon!)));
      const packed = (out: string) => path.join(work, out.trim().split('\n').pop()!.trim());
      const platformTgz = packed(run(npm, ['pack', '--pack-destination', work], platformDir));
      // --ignore-scripts: `prepare` would rebuild from source; the tarball ships the built dist/.
      const mainTgz = packed(run(npm, ['pack', '--ignore-scripts', '--pack-destination', work], repoRoot));
      const listing = run('tar', ['-tzf', mainTgz], work);
      expect(listing).toContain('package/dist/cli/main.js');
      expect(listing).toContain('package/native/binding.js');
      expect(listing).not.toMatch(/\.node$/m);

      const project = path.join(work, 'project');
      fs.mkdirSync(path.join(project, 'src'), { recursive: true });
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }, null, 2));
      fs.writeFileSync(
        path.join(project, 'src', 'cart.ts'),
        'export function total(items: number[] | null, discount = 0) {\n  if (items == null) return 0;\n  return items.reduce((a, b) => a + b, 0) - discount;\n}\n',
      );
      const env = noRustEnv();
      expect(spawnSync('cargo', ['--version'], { env }).status).not.toBe(0);
      run(npm, ['install', '--no-audit', '--no-fund', mainTgz, platformTgz], project, env);
      expect(fs.existsSync(path.join(project, 'node_modules', 'tdd-fast', 'native', path.basename(addon!)))).toBe(false);
      expect(fs.existsSync(path.join(project, 'node_modules', `tdd-fast-${suffix}`, path.basename(addon!)))).toBe(true);

      const report = JSON.parse(run(npx, ['tdd-fast', 'analyze', 'src', '--format', 'json'], project, env));
      expect(report.files.map((f: { path: string }) => f.path)).toEqual(['src/cart.ts']);
      expect(report.files[0].functions[0]).toMatchObject({ name: 'total', exported: true });
      const sarif = JSON.parse(run(npx, ['tdd-fast', 'analyze', 'src', '--format', 'sarif'], project, env));
      expect(sarif.version).toBe('2.1.0');
      expect(run(npx, ['tdd-fast', '--version'], project, env).trim()).toBe(
        (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version,
      );
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
