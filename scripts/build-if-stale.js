// `prepare`: npm runs it after `npm install` in a clone, and again each time `npx tdd-fast` in this folder links the
// project to run its bin (npx installs the folder itself into its cache). The second time nothing has changed, so the
// build is skipped when every output is newer than every input; TDD_FAST_FORCE_BUILD=1 builds anyway.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const SKIP_DIRS = new Set(['target', 'node_modules', '.git']);
/** Each build step with what it reads and what it writes (paths from the project root). */
const STEPS = [
  { script: 'build:native', inputs: ['crates', 'Cargo.toml', 'Cargo.lock'], outputs: () => addons() },
  {
    script: 'build:ts',
    inputs: ['ts', 'tsconfig.json', 'package.json', 'scripts/write-esm-wrappers.js'],
    outputs: () => ['dist/index.js', 'dist/index.mjs', 'dist/cli/main.js'],
  },
];

/** The newest mtime (ms) of the files under `entry`, or 0 when there is none. */
function newest(entry) {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const name of fs.readdirSync(entry)) {
    if (!SKIP_DIRS.has(name)) max = Math.max(max, newest(path.join(entry, name)));
  }
  return max;
}

function addons() {
  const dir = path.join(root, 'native');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.node')).map((f) => path.join('native', f)) : [];
}

/** The oldest mtime of the outputs, 0 when one is missing. */
function oldest(outputs) {
  if (outputs.length === 0) return 0;
  let min = Infinity;
  for (const file of outputs) {
    try {
      min = Math.min(min, fs.statSync(path.join(root, file)).mtimeMs);
    } catch {
      return 0;
    }
  }
  return min;
}

function npmRun(script) {
  const viaNode = Boolean(process.env.npm_execpath);
  const command = viaNode ? process.execPath : process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = [...(viaNode ? [process.env.npm_execpath] : []), 'run', script];
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: !viaNode && process.platform === 'win32' }).status ?? 1;
}

const force = process.env.TDD_FAST_FORCE_BUILD === '1';
for (const step of STEPS) {
  const fresh = !force && oldest(step.outputs()) > Math.max(...step.inputs.map((i) => newest(path.join(root, i))));
  if (fresh) {
    process.stderr.write(`tdd-fast: ${step.script} is up to date (its outputs are newer than its sources); skipped\n`);
    continue;
  }
  const status = npmRun(step.script);
  if (status !== 0) {
    process.exitCode = status;
    break;
  }
}
