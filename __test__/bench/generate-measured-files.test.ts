/**
 * What the bench measures for a package row: the listed files plus the package files their re-exports lead to (a
 * barrel is tested through what it re-exports), never a file under node_modules; and a measured TypeScript file's
 * compiled `.js` sibling is removed from the bench's copy so the tests run the measured source. The real core.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from '../helpers';

type MeasuredFiles = { measuredFiles(api: unknown, files: string[], root: string): Promise<string[]> };
type Corpus = { dropCompiledSiblings(dir: string, files: string[]): string[] };
const load = <T>(name: string): Promise<T> => import(path.join(repoRoot, 'bench', 'generate', name));
const relative = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('the files a package row measures', () => {
  it('adds what a CommonJS or ES barrel re-exports, transitively, and nothing else', async () => {
    const root = makeProject({
      'package.json': '{"name":"barrels","private":true}',
      'index.js': "module.exports = { Heap: require('./heap.js'), Queue: require('./queue.js'), dep: require('dep') };\n",
      'heap.js': 'module.exports = function Heap() {};\n',
      'queue.js': 'module.exports = function Queue() {};\n',
      'inverted-index.js': 'module.exports = function Inverted() {};\n',
      'src/index.ts': "export * from './parse';\n",
      'src/parse.ts': "export { parse } from './impl/parse';\n",
      'src/impl/parse.ts': 'export function parse(s: string): number { return Number(s); }\n',
      'src/unrelated.ts': 'export const x = (n: number) => n;\n',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
    });
    const api = require(path.join(repoRoot, 'dist', 'index.js'));
    const { measuredFiles } = await load<MeasuredFiles>('measured-files.mjs');
    const measured = await measuredFiles(api, [path.join(root, 'index.js'), path.join(root, 'src/index.ts')], root);
    expect(relative(root, measured)).toEqual(['heap.js', 'index.js', 'queue.js', 'src/impl/parse.ts', 'src/index.ts', 'src/parse.ts']);
  });

  it("removes a measured TypeScript file's compiled sibling and keeps the rest", async () => {
    const root = makeProject({
      'index.ts': 'export const one = (): number => 1;\n',
      'index.js': 'exports.one = () => 1;\n',
      'index.js.map': '{}',
      'other.js': 'exports.two = () => 2;\n',
      'lib/a.mts': 'export const a = 1;\n',
      'lib/a.mjs': 'export const a = 1;\n',
    });
    const { dropCompiledSiblings } = await load<Corpus>('corpus.mjs');
    expect(dropCompiledSiblings(root, ['index.ts', 'lib/a.mts']).sort()).toEqual(['index.js', 'lib/a.mjs']);
    expect(fs.existsSync(path.join(root, 'index.js'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'index.js.map'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'other.js'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'index.ts'))).toBe(true);
  });
});
