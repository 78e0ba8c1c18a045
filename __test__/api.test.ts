import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from './helpers';

const requireFromHere = createRequire(__filename);
const api = requireFromHere(repoRoot) as typeof import('../ts/index');

describe('the Node API', () => {
  it('loads with require() and import() and both expose the same functions', async () => {
    const esm = await import(pathToFileURL(path.join(repoRoot, 'dist/index.mjs')).href);
    expect(typeof api.analyzeFiles).toBe('function');
    expect(typeof api.analyzeSource).toBe('function');
    expect(esm.analyzeSource).toBe(api.analyzeSource);
  });

  it('analyzeSource inventories functions synchronously from text', () => {
    const report = api.analyzeSource('export const add = (a: number, b = 2) => a + b;\n', 'math.ts');
    expect(report.language).toBe('ts');
    expect(report.functions).toHaveLength(1);
    const [fn] = report.functions;
    expect(fn).toMatchObject({ name: 'add', kind: 'arrow', exported: true, line: 1 });
    // Analysis keeps the written type and leaves out what only generation reads (shapes, inferred types, structured
    // defaults, domains, usage, constants): those come with `types: true`, below.
    expect(fn.params).toEqual([
      { name: 'a', type: 'number', optional: false, defaultValue: null, rest: false },
      { name: 'b', type: null, optional: true, defaultValue: '2', rest: false },
    ]);
    expect(Object.keys(fn)).not.toContain('usage');
    // With generation's facts (what `generate` asks for), the annotation is resolved, and a parameter without one gets
    // the type its default implies and the default as a structured value.
    const typed = api.analyzeSource('export const add = (a: number, b = 2) => a + b;\n', 'math.ts', { types: true });
    expect(typed.functions[0].params[1]).toMatchObject({
      shape: null,
      inferred: { kind: 'number' },
      defaultCase: { code: '2', description: '2', literal: 2 },
      domain: null,
    });
    expect(typed.functions[0].usage?.params.map((u) => u.name)).toEqual(['a', 'b']);
    expect(typed.functions[0].params.map((p) => p.shape)).toEqual([{ kind: 'number' }, null]);
  });

  it('analyzeSource with a function name keeps only that function, and names the known ones when it is missing', () => {
    const code = [
      'export class Cart {',
      '  total(items: number[], a, b, c, d, e) { return items.length; }',
      '}',
      'export function other(x: number) { return x > 10 ? 1 : 0; }',
      '',
    ].join('\n');
    const report = api.analyzeSource(code, 'cart.ts', { function: 'Cart.total' });
    expect(report.functions.map((f) => f.name)).toEqual(['Cart.total']);
    expect(report.smells.length).toBeGreaterThan(0);
    expect(report.smells.every((s) => s.function === 'Cart.total')).toBe(true);
    expect(() => api.analyzeSource(code, 'cart.ts', { function: 'Cart.nope' })).toThrow(
      /no function named 'Cart.nope' in cart.ts \(found: Cart.total, other\)/,
    );
  });

  it('analyzeFiles walks a folder off the main thread and keeps per-file errors', async () => {
    const dir = makeProject({
      'src/ok.ts': 'export function ok(a: string) { return a.trim(); }\n',
      'src/broken.ts': 'export function broken( {\n',
      'src/image.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
    });
    const pending = api.analyzeFiles(['src'], { root: dir });
    expect(pending).toBeInstanceOf(Promise);
    const result = await pending;
    expect(result.version).toBe(1);
    expect(result.files.map((f) => f.path)).toEqual(['src/broken.ts', 'src/image.js', 'src/ok.ts']);
    const byPath = Object.fromEntries(result.files.map((f) => [f.path, f]));
    expect(byPath['src/ok.ts'].functions[0].name).toBe('ok');
    expect(byPath['src/broken.ts'].errors[0].line).toBe(2); // the parser runs into the end of the file
    expect(byPath['src/image.js'].errors[0].message).toMatch(/binary/);
    expect(result.summary.files).toBe(3);
    // One syntax error in broken.ts, one "binary" error for image.js: the summary counts each file's errors.
    expect(byPath['src/broken.ts'].errors).toHaveLength(1);
    expect(byPath['src/image.js'].errors).toHaveLength(1);
    expect(byPath['src/ok.ts'].errors).toEqual([]);
    expect(result.summary.errors).toBe(2);
  });

  it('reports a file over the size limit as an error without reading it', async () => {
    const dir = makeProject({ 'big.js': `// ${'x'.repeat(5000)}\nfunction f() {}\n` });
    const result = await api.analyzeFiles(['big.js'], { root: dir, maxFileSize: 1000 });
    expect(result.files[0].functions).toEqual([]);
    expect(result.files[0].errors[0].message).toMatch(/too large.*limit 1000 bytes/);
  });

  it('reports a missing explicit file as that file\'s error', async () => {
    const dir = makeProject({ 'a.ts': 'function a() {}\n' });
    const result = await api.analyzeFiles(['a.ts', 'gone.ts'], { root: dir });
    expect(result.files.map((f) => f.path)).toEqual(['a.ts', 'gone.ts']);
    expect(result.files[1].errors[0].message).toMatch(/not found/);
    expect(result.files[0].functions[0].name).toBe('a');
  });
});
