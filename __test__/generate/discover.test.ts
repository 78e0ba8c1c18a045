/**
 * Runtime discovery of the testable surface, end to end: the built package runs `generate --record` on fixture
 * modules whose exports the static recognisers do not see (a UMD factory inside an IIFE, `module['exports'] = C`, a
 * namespace of classes built inside IIFEs) and on factories whose results carry the behaviour (a store, a reducer
 * combiner, a function returning a function); then a real vitest run checks the generated files. Fixtures:
 * __test__/generate/fixtures/discover/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { copyFixture, describeBlock, recordBatch, runVitest } from './helpers';

const FILES = ['src/umd.js', 'src/fraction.js', 'src/namespace.js', 'src/units.js', 'src/store.ts', 'src/template.js', 'src/main.mjs'];

let root = '';
let generated = new Map<string, string>();
let results: Awaited<ReturnType<typeof recordBatch>>['results'];

beforeAll(async () => {
  root = copyFixture('discover');
  ({ results, generated } = await recordBatch(root, FILES));
}, 600_000);

describe('runtime discovery of module shapes', () => {
  it('a UMD file whose export a factory inside an IIFE builds and extends: every function gets recorded tests', () => {
    const text = generated.get('src/umd.js')!;
    expect(results.get('src/umd.js')!.errors).toEqual([]);
    // `shout` is added by `assign(factory({}), { shout })`: no static export path reaches it.
    expect(describeBlock(text, 'shout')).toMatch(/expect\((\w+\.)?shout\('a'\)\)\.toBe\('A!'\);/);
    expect(text).toMatch(/expect\((\w+\.)?pad\('/);
    expect(text).toMatch(/expect\((\w+\.)?words\('/);
  });

  it("`module['exports'] = Fraction` (a function constructor built in an IIFE): constructed with new, methods in sequences", () => {
    const text = generated.get('src/fraction.js')!;
    expect(results.get('src/fraction.js')!.functions).toBeGreaterThan(0);
    expect(text).toContain("describe('Fraction', () => {");
    expect(text).toMatch(/const instance = new \w+\(/);
    expect(text).toMatch(/instance\.(add|toString|valueOf)\(/);
    // The constructor's own guard is found and asserted.
    expect(text).toMatch(/thrown\(\(\) => new \w+\(-?[\d.]+, 0\)\);\n\s+expect\(error\)\.toBeInstanceOf\(Error\);\n\s+expect\(error\.message\)\.toBe\('division by zero'\);/);
  });

  it('a namespace of classes built inside IIFEs: the class is constructed with an array (its JSDoc, joined by location), its static parse is called', () => {
    const text = generated.get('src/namespace.js')!;
    const version = describeBlock(text, 'Version');
    expect(version).toMatch(/const instance = new (\w+\.)?Version\(\[/);
    expect(version).toMatch(/expect\(instance\.kind\(\)\)\.toBe\('unstable'\)/);
    expect(text).not.toMatch(/new (\w+\.)?Version\('/);
    expect(text).not.toMatch(/(?<!new )(\w+\.)?Version\(/);
    expect(describeBlock(text, 'Version.parse')).toMatch(/expect\((\w+\.)?Version\.parse\('[^']*'\)\)\.toMatchObject\(\{ parts: \[/);
    expect(text).toMatch(/expect\((\w+\.)?util\.compare\(/);
  });

  it('a static method and a prototype method assigned named function expressions (`Unit.create = function Unit$create`) are reached where the module puts them', () => {
    const text = generated.get('src/units.js')!;
    expect(text).not.toContain('TODO(tdd-fast): not reachable');
    expect(text).toMatch(/thrown\(\(\) => Unit\.create\(\[\]\)\);\n\s+expect\(error\)\.toBeInstanceOf\(RangeError\);/);
    expect(describeBlock(text, 'Unit')).toMatch(/expect\(instance\.label\(-?\d+\)\)\.toBe\('/);
  });
});

describe('what calls return', () => {
  it("sequences on a factory's returned object: createStore(...) then dispatch / subscribe, with getState asserted", () => {
    const text = generated.get('src/store.ts')!;
    const store = text.slice(text.indexOf("describe('what createStore returns'"));
    expect(store).toMatch(/const instance = createStore\(/);
    expect(store).toMatch(/expect\(instance\.dispatch\(\{ type: '[^']*'( , amount: -?\d+)?[^)]*\}\)\)\.toStrictEqual\(\{ type: /);
    expect(store).toMatch(/expect\(instance\.getState\(\)\)\.toStrictEqual\(/);
    expect(store).toMatch(/instance\.subscribe\(/);
  });

  it('a reducer callback is synthesized from the declared function type: a new state of the state type built from the action', () => {
    const text = generated.get('src/store.ts')!;
    // Reducer<number>: counts by the action's number field; Reducer<S> with S a type parameter: the last action.
    expect(text).toContain('(state, action) => (state ?? 0) + (action.amount ?? 1)');
    // The store's sequences make it with the reducer as a vi.fn (its calls are asserted after the sequence).
    expect(text).toMatch(/const (callback\d*) = vi\.fn<NonNullable<Parameters<typeof createStore>\[0\]>>\(\(_state, action\) => \(\{ last: action \}\)\);\n\s+const instance = createStore\(\1\);/);
    expect(text).toMatch(/expect\(instance\.getState\(\)\)\.toStrictEqual\(\{ last: \{ type: '@@init' \} \}\)/);
    // The reducer combiner's result is called with a state and an action, and the combined state is asserted.
    const combined = text.slice(text.indexOf("describe('what combineReducers returns'"));
    expect(combined).toMatch(/const instance = combineReducers\(\{ a: \(state, action\) =>/);
    expect(combined).toMatch(/expect\(instance\([^)]*\{ type: [^)]*\)\)\.toStrictEqual\(\{ a: -?\d+, b: -?\d+ \}\)/);
  });

  it('a callback is a vi.fn typed from the parameter, and the test asserts how the code called it', () => {
    const text = generated.get('src/store.ts')!;
    expect(text).toContain("import { describe, expect, it, vi } from 'vitest';");
    // createStore calls the reducer once to initialise the state: with no state and the init action.
    expect(text).toMatch(
      /const callback = vi\.fn<NonNullable<Parameters<typeof createStore>\[0\]>>\(\(_state, action\) => \(\{ last: action \}\)\);\n\s+expect\(createStore\(callback\)\)[^\n]*\n\s+expect\(callback\)\.toHaveBeenCalledTimes\(1\);\n\s+expect\(callback\)\.toHaveBeenLastCalledWith\(undefined, \{ type: '@@init' \}\);/,
    );
    // A listener is a spy too; the counts are what the sequence did to it (unsubscribed before a dispatch: 0).
    expect(text).toMatch(/const callback\d* = vi\.fn<NonNullable<Parameters<typeof instance\.subscribe>\[0\]>>\(/);
  });

  it('a returned object holding a function is asserted by its other fields, never the function by identity', () => {
    const text = generated.get('src/store.ts')!;
    expect(describeBlock(text, 'middleware')).toMatch(/expect\(middleware\('[^']*', callback\)\)\.toMatchObject\(\{ name: '[^']*' \}\);/);
    expect(text).not.toMatch(/handle: \(action\)/);
  });

  it("a returned closure without types of its own takes the parameters of the factory's declared return type (.d.ts)", () => {
    const text = generated.get('src/template.js')!;
    expect(text).toMatch(/const returned = template\('YYYY'\);\n\s+expect\(returned\(new Date\('2024-01-15T12:00:00\.000Z'\)\)\)\.toBe\('2024'\);/);
    expect(describeBlock(text, 'what exports.template returns')).toMatch(/expect\(instance\(new Date\('1970-01-01T00:00:00\.000Z'\)\)\)\.toBe\('1970'\);/);
  });

  it('a returned function is asserted by what it does, not by identity', () => {
    const text = generated.get('src/store.ts')!;
    const adder = text.slice(text.indexOf("describe('adder'"));
    expect(adder).toMatch(/const returned = adder\(-?\d+\);\n\s+expect\(returned\(-?\d+\)\)\.toBe\(-?\d+\);/);
    expect(text).not.toContain("typeof value === 'function'");
  });

  it('an ES module without an export (an entry point) is not loaded: nothing of it runs, no test file', () => {
    const r = results.get('src/main.mjs')!;
    expect(r.errors).toEqual([]);
    expect(r.functions).toBe(0);
    expect(r.written).toEqual([]);
    expect(fs.existsSync(path.join(root, 'src', 'ran.txt'))).toBe(false);
  });

  it('the generated files pass under vitest, with every recorded test kept', () => {
    for (const file of FILES.filter((f) => f !== 'src/main.mjs')) {
      const r = results.get(file)!;
      expect(r.errors, file).toEqual([]);
      expect(r.recorded, file).toBeGreaterThan(0);
    }
    const json = runVitest(root, { generatedOnly: { testTimeout: 5000 } });
    expect(json.numFailedTests).toBe(0);
    expect(json.numPassedTests).toBeGreaterThan(60);
  });
});
