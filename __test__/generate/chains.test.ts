/**
 * What calls return, explored as chains, end to end: the built package runs `generate --record` on fixtures
 * (__test__/generate/fixtures/chains/) where the behaviour sits behind a chain of calls: a fluent, immutable builder
 * (`rules().text().atLeast(3).check('')` is the only way to 'too short') and an API object whose methods read `this`
 * (`api.make(name)` throws when called detached, as Joi's root methods do), and a returned function with a property
 * its user sets (`gate(n).isOpen = false`, as p-throttle's `isEnabled`). The generated tests must build the chain as
 * one expression, call the API's methods on their object, set the property as a step, and pass a real vitest run;
 * generators (sync and async, TypeScript) are asserted by what iterating them yields.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');
const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const fixtures = path.join(__dirname, 'fixtures', 'chains');
const FILES = ['src/rules.js', 'src/api.cjs', 'src/gate.js', 'src/ranges.ts'];

let root = '';
const generated = new Map<string, string>();

/** The `describe(name, ...)` block of a generated file. */
function describeBlock(text: string, name: string): string {
  const start = text.indexOf(`describe('${name}', () => {`);
  expect(start, `describe('${name}') in\n${text}`).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n});', start));
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-chains-'));
  fs.cpSync(fixtures, root, { recursive: true });
  const out = await api.generateTestsBatch(
    FILES.map((f) => path.join(root, f)),
    { root, record: true, recordOptions: { vitestBin, search: { budgetCount: 120, budgetMs: 20_000, seed: 7 } } },
  );
  out.forEach((r, i) => {
    if (r.output && fs.existsSync(r.output)) generated.set(FILES[i], fs.readFileSync(r.output, 'utf8'));
  });
}, 600_000);

describe('chains of what calls return', () => {
  it('a fluent builder: the object a method returns is explored, built by the chain as one expression', () => {
    const text = generated.get('src/rules.js')!;
    // `rules()` returns a builder; `text()` another; `atLeast(n)` on that one makes `check` compare a length.
    const chain = describeBlock(text, 'what rules().text().atLeast() returns');
    expect(chain).toMatch(/const instance = rules\(\)\.text\(\)\.atLeast\([1-9]\d*\);\n\s+expect\(instance\.check\('[^']*'\)\)\.toBe\('too short'\);/);
    expect(describeBlock(text, 'what rules().text() returns')).toMatch(/expect\(instance\.check\('[^']*'\)\)\.toBe\('ok text'\);/);
  });

  it('a chain keeps only calls that reach code its parent did not: no chain of a builder that changes nothing new', () => {
    const text = generated.get('src/rules.js')!;
    // `rules().text().text()` runs exactly the blocks `rules().text()` ran.
    expect(text).not.toContain("describe('what rules().text().text() returns'");
  });

  it('methods of an API object that read `this` are called on it, never detached', () => {
    const text = generated.get('src/api.cjs')!;
    expect(text).toContain("import api from './api.cjs';");
    expect(text).not.toContain('Must be invoked on the api object');
    const returned = describeBlock(text, 'what api.make returns');
    expect(returned).toMatch(/const instance = api\.make\('[^']*'\);/);
    expect(returned).toMatch(/expect\(instance\.greet\('[^']+'\)\)\.toBe\('hi [^']+, from [^']*'\);/);
  });

  it('a property the returned function lets its user set is a step of its sequences, written as an assignment', () => {
    const block = describeBlock(generated.get('src/gate.js')!, 'what gate returns');
    // Only `isOpen = false` and then a call reaches 'closed'.
    expect(block).toMatch(/it\("after setting isOpen, call\(\) returns 'closed'[^"]*", \(\) => \{\n\s+const instance = gate\(-?[\d.]+\);\n\s+instance\.isOpen = false;\n\s+expect\(instance\('[^']*'\)\)\.toBe\('closed'\);/);
  });

  it('a returned iterator is asserted by what it yields: spread when sync, collected with for await when async', () => {
    const text = generated.get('src/ranges.ts')!;
    const count = describeBlock(text, 'countTo');
    expect(count).toMatch(/it\('yields \[1, 2\] when n is 2', \(\) => \{\n\s+expect\(\[\.\.\.countTo\(2\)\]\)\.toStrictEqual\(\[1, 2\]\);/);
    // The generator's guard runs at the first step of the iteration, not at the call.
    expect(count).toContain('const error = thrown(() => [...countTo(-1)]);');
    const chunks = describeBlock(text, 'chunks');
    // (Shrinking keeps two elements of a list that had several: one chunk or two.)
    expect(chunks).toMatch(/await expect\(collected\(chunks\(\['[^']*'(, '[^']*')?\], [1-9][\d.]*\)\)\)\.resolves\.toStrictEqual\(\[\['[^']*'(, '[^']*')?\](, \['[^']*'\])?\]\);/);
    expect(chunks).toMatch(/const error = await rejected\(collected\(chunks\(\[[^\]]*\], 0\)\)\);/);
    expect(text).toContain('async function collected<T>(items: AsyncIterable<T>): Promise<T[]> {');
  });

  it('the generated files pass a real vitest run', () => {
    const run = spawnSync(process.execPath, [vitestBin, 'run', '--root', root, ...FILES.map((f) => f.replace(/\.(c?js)$/, '.generated.test.js').replace(/\.ts$/, '.generated.test.ts'))], { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Tests\s+\d+ passed/);
  });
});
