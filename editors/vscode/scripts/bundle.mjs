/**
 * Builds what the .vsix holds (vsce runs this as `vscode:prepublish`):
 * - dist/extension.js: src/extension.ts bundled with vscode-languageclient by rolldown (`vscode` is the host's);
 * - server/: the tdd-fast package as built in this repository (bin, dist, package.json, this platform's native core)
 *   and the modules `tdd-fast lsp` loads at run time, at the same paths as in the repository's node_modules, so the
 *   bundled server resolves them exactly as the repository does. Run `npm run build` at the root first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { rolldown } from 'rolldown';

const extension = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.resolve(extension, '..', '..');
/** What `tdd-fast lsp` requires (the session store, PostgreSQL and PGlite are other commands'). */
const RUNTIME = ['commander', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'lru-cache', 'tree-kill'];

async function bundleExtension() {
  const bundle = await rolldown({ input: path.join(extension, 'src', 'extension.ts'), platform: 'node', external: ['vscode'] });
  await bundle.write({ file: path.join(extension, 'dist', 'extension.js'), format: 'cjs' });
  await bundle.close();
}

/** The folder of package `name` as Node would find it from `from` (walking up node_modules folders). */
function packageDir(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`bundle: cannot find ${name} from ${from} (run npm install at the repository root)`);
  }
}

/** Copies a repository path into server/, without the packages nested in it (they are copied when needed). */
function copy(relative, keep = () => true) {
  const source = path.join(repo, relative);
  fs.cpSync(source, path.join(extension, 'server', relative), {
    recursive: true,
    filter: (file) => {
      const inner = path.relative(source, file);
      return !inner.split(path.sep).includes('node_modules') && keep(file);
    },
  });
}

function bundleServer() {
  fs.rmSync(path.join(extension, 'server'), { recursive: true, force: true });
  if (!fs.existsSync(path.join(repo, 'dist', 'lsp', 'server.js'))) throw new Error('bundle: build tdd-fast first (npm run build at the repository root)');
  copy('bin');
  copy('dist', (file) => !file.endsWith('.map') && !file.endsWith('.d.ts'));
  copy('package.json');
  for (const file of fs.readdirSync(path.join(repo, 'native'))) {
    if (file === 'binding.js' || file.endsWith('.node')) copy(path.join('native', file));
  }
  const queue = RUNTIME.map((name) => ({ name, from: repo }));
  const copied = new Set();
  while (queue.length) {
    const { name, from } = queue.shift();
    const dir = packageDir(name, from);
    if (copied.has(dir)) continue;
    copied.add(dir);
    copy(path.relative(repo, dir));
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push({ name: dep, from: dir });
  }
  return copied.size;
}

await bundleExtension();
const modules = bundleServer();
console.log(`bundled dist/extension.js and server/ (tdd-fast with ${modules} runtime modules)`);
