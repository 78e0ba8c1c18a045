/**
 * Typed inputs end to end: `generateTests` (the built package, the native core's type model, no mocks) plans calls
 * whose arguments fit the parameters' declared types: an interface of the same file, a type imported from another
 * project file, a `.d.ts` beside a `.js`, JSDoc in plain JavaScript, literal unions, enums, objects with optional
 * properties, and class constructors. The assertions read the arguments the generator emits.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { makeProject, repoRoot } from '../helpers';

const api = require(path.join(repoRoot, 'dist', 'index.js')) as typeof import('../../ts/index');

type Plan = NonNullable<Awaited<ReturnType<typeof api.generateTests>>['plan']>;

async function plan(files: Record<string, string>, entry: string): Promise<Plan> {
  const root = makeProject({ 'package.json': '{"name":"fixture","private":true}\n', ...files });
  const result = await api.generateTests(path.join(root, entry), { root, dryRun: true });
  expect(result.errors).toEqual([]);
  return result.plan!;
}

/** Every argument list planned for a function. */
function argsOf(p: Plan, name: string): string[][] {
  const fn = p.functions.find((f) => f.name === name);
  expect(fn, `${name} is planned`).toBeDefined();
  return fn!.cases.map((c) => c.args);
}

/** The argument at `index` of every case, evaluated (the planner emits JavaScript expressions). */
function valuesAt(p: Plan, name: string, index: number): unknown[] {
  return argsOf(p, name)
    .filter((args) => args.length > index)
    .map((args) => new Function(`return (${args[index]});`)());
}

const isNumber = (v: unknown) => typeof v === 'number';

describe('generate: arguments from the core type model', () => {
  it('builds an interface declared in the same file from its properties', async () => {
    const p = await plan(
      {
        'src/user.ts': `interface User { id: number; name: string; age: number; tags?: string[] }
export function greet(user: User): string {
  return user.name + user.age;
}
`,
      },
      'src/user.ts',
    );
    const users = valuesAt(p, 'greet', 0);
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) {
      // `id` is never read: only the declaration knows it is required.
      expect(u).toMatchObject({ id: expect.any(Number), name: expect.any(String), age: expect.any(Number) });
    }
    // Built from the declaration, so no cast is needed.
    expect(argsOf(p, 'greet').flat().some((a) => a.includes('as never'))).toBe(false);
  });

  it('resolves a type imported from another project file', async () => {
    const p = await plan(
      {
        'src/types.ts': 'export interface Point { x: number; y: number }\n',
        'src/geo.ts': `import type { Point } from './types';
export function norm(p: Point): number {
  return Math.sqrt(p.x * p.x + p.y * p.y);
}
`,
      },
      'src/geo.ts',
    );
    const points = valuesAt(p, 'norm', 0);
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) expect(point).toEqual({ x: expect.any(Number), y: expect.any(Number) });
  });

  it('reads the .d.ts beside a .js file', async () => {
    const p = await plan(
      {
        'lib/combine.js': 'function combine(alpha, beta) { return [alpha, beta]; }\nmodule.exports = { combine };\n',
        'lib/combine.d.ts': 'export declare function combine(alpha: number, beta: boolean): [number, boolean];\n',
      },
      'lib/combine.js',
    );
    expect(valuesAt(p, 'combine', 0).every(isNumber)).toBe(true);
    expect(valuesAt(p, 'combine', 1).every((v) => typeof v === 'boolean')).toBe(true);
    expect(argsOf(p, 'combine')[0]).toEqual(['3', 'true']);
  });

  it('reads JSDoc @param types in plain JavaScript', async () => {
    const p = await plan(
      {
        'lib/combine.js': `/**
 * @param {number} alpha
 * @param {boolean} beta
 */
function combine(alpha, beta) { return [alpha, beta]; }
module.exports = { combine };
`,
      },
      'lib/combine.js',
    );
    expect(argsOf(p, 'combine')[0]).toEqual(['3', 'true']);
    expect(valuesAt(p, 'combine', 0).every(isNumber)).toBe(true);
  });

  it('refines a vague JSDoc {Object} by how the function uses it', async () => {
    const p = await plan(
      {
        'lib/page.js': `/**
 * @param {Object} opts
 */
function page(opts) { return opts.limit * 2; }
module.exports = { page };
`,
      },
      'lib/page.js',
    );
    expect(valuesAt(p, 'page', 0)[0]).toEqual({ limit: 3 });
  });

  it('passes only the members of a string-literal union', async () => {
    const p = await plan({ 'src/align.ts': "export function align(side: 'left' | 'right'): string {\n  return side === 'left' ? '<' : '>';\n}\n" }, 'src/align.ts');
    const sides = valuesAt(p, 'align', 0);
    expect(new Set(sides)).toEqual(new Set(['left', 'right']));
  });

  it('passes the members of a numeric enum; a string enum is a TODO, never a cast (TypeScript needs the enum itself)', async () => {
    const p = await plan(
      {
        'src/paint.ts': [
          "export enum Color { Red = 'red', Green = 'green' }",
          'export enum Size { S, M }',
          "export function paint(c: Color): string {\n  return c === Color.Red ? 'r' : 'g';\n}",
          "export function measure(s: Size): string {\n  return s === Size.S ? 's' : 'm';\n}",
          '',
        ].join('\n'),
      },
      'src/paint.ts',
    );
    expect(new Set(valuesAt(p, 'measure', 0))).toEqual(new Set([0, 1]));
    const paint = p.functions.find((f) => f.name === 'paint')!;
    expect(paint.cases.map((c) => c.expect)).toContainEqual({ kind: 'todo', reason: expect.stringContaining('Color (a string enum') });
    expect(paint.cases.flatMap((c) => c.args).join(' ')).not.toContain('as never');
  });

  it('gives an optional boolean property booleans, never strings, and strings to a string | string[] input', async () => {
    const p = await plan(
      {
        'src/camel.ts': `export function camelCase(input: string | readonly string[], options?: { pascalCase?: boolean }): string {
  const text = Array.isArray(input) ? input.join(' ') : String(input);
  return options?.pascalCase ? text.toUpperCase() : text.toLowerCase();
}
`,
      },
      'src/camel.ts',
    );
    const options = valuesAt(p, 'camelCase', 1).filter((o) => o !== undefined) as Array<Record<string, unknown>>;
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((o) => o.pascalCase === undefined || typeof o.pascalCase === 'boolean')).toBe(true);
    expect(options.some((o) => o.pascalCase === true)).toBe(true);
    expect(options.some((o) => o.pascalCase === false)).toBe(true);
    for (const input of valuesAt(p, 'camelCase', 0)) {
      const ok = typeof input === 'string' || (Array.isArray(input) && input.every((s) => typeof s === 'string'));
      expect(ok, JSON.stringify(input)).toBe(true);
    }
  });

  it('constructs a class with arguments of its constructor parameter types', async () => {
    const p = await plan(
      {
        'src/account.ts': `export class Account {
  constructor(private owner: string, private limit: number) {}
  describe(): string {
    return this.owner + ':' + this.limit;
  }
}
`,
      },
      'src/account.ts',
    );
    const describeFn = p.functions.find((f) => f.name === 'Account.describe')!;
    expect(describeFn.access.method).toEqual({ name: 'describe', static: false });
    const ctorArgs = (describeFn.access.constructorArgs ?? []).map((a) => new Function(`return (${a});`)());
    expect(ctorArgs).toEqual([expect.any(String), expect.any(Number)]);
  });

  it('sends the constants a function compares against and strings its regex literals match, not its error messages', () => {
    const report = api.analyzeSource(
      "export function parse(text) {\n  const m = /^(\\d+)(ms|s)$/.exec(text);\n  if (!m) throw new Error('bad');\n  return m[2] === 's' ? m[1] * 1000 : Number(m[1]);\n}\n",
      'parse.js',
      { types: true }, // generation's facts: what `generate` asks for
    );
    const fn = report.functions.find((f) => f.name === 'parse')!;
    const literals = (fn.constants ?? []).map((c) => c.literal);
    expect(literals).toEqual(expect.arrayContaining(['1ms', '11ms', '1s', 's']));
    expect(literals).not.toContain('bad'); // an error message is what the code says, not an input it reads
  });

  it('takes typical values from the core domain table by parameter name', async () => {
    const p = await plan({ 'src/mail.ts': 'export function send(email: string, timeoutMs: number): string {\n  return email + timeoutMs;\n}\n' }, 'src/mail.ts');
    expect(argsOf(p, 'send')[0]).toEqual(["'user@example.com'", '1000']);
  });
});
