/**
 * The bench's "0-test files" count (bench/generate/exports-code.mjs): a file that exports only types and constants
 * (values that can never be or hold a function included) does not count, while a file exporting a function or a class, an ES barrel, a CommonJS `require` barrel and a
 * CommonJS file whose export the core's recognisers miss all do (a real miss is never hidden). The real core.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from '../helpers';

type ExportsCode = { filesExportingCode(api: unknown, files: string[], root: string): Promise<Map<string, boolean>> };
const load = (): Promise<ExportsCode> => import(path.join(repoRoot, 'bench', 'generate', 'exports-code.mjs'));

describe('which measured files export code', () => {
  it('leaves out types and constants only, counts functions, classes and barrels of them', async () => {
    const root = makeProject({
      'package.json': '{"name":"mixed","private":true}',
      'src/types.ts': 'export interface Money { cents: number }\nexport type Id = string;\nexport const LIMIT = 10;\nexport enum Kind { A = "a" }\n',
      'src/money.ts': 'export function add(a: number, b: number): number { return a + b; }\n',
      'src/store.ts': 'export class Store { get(k: string) { return k; } }\n',
      'src/index.ts': "export * from './money';\nexport type { Money } from './types';\n",
      'src/only-types.ts': "export * from './types';\n",
      'lib/index.js': "module.exports = { add: require('./add.js') };\n",
      'lib/add.js': 'module.exports = function add(a, b) { return a + b; };\n',
      'lib/factory.js': 'function make() { return { run: function () { return 1; } }; }\nmodule.exports = make();\n',
      // a value a factory builds is code, an imported binding re-exported may be: both count (never a hidden miss)
      'src/codec.ts': "import { make } from './make';\nexport const base32 = make({ prefix: 'b' });\n",
      'src/make.ts': 'export const make = (o: { prefix: string }) => ({ encode: (s: string) => o.prefix + s });\n',
      'src/entry.ts': "import { add } from './money';\nexport { add };\nexport const TABLE = { a: [1, 2], b: 'x' } as const;\n",
      // values that can never be or hold a function: a flag, symbols, regular expressions, an empty dictionary
      'src/flags.ts': 'export const DEBUG = !!(globalThis as { __debug__?: boolean }).__debug__;\nexport const ASSERTS = !!(globalThis as { a?: boolean }).a || DEBUG;\nexport const NOTHING: unique symbol = Symbol.for("nothing");\nexport const STATE = Symbol("state");\n',
      'src/regex.ts': 'const part = /[a-z]+/;\nexport const word = new RegExp(`^${part.source}$`, "u");\nexport const Unit = Object.create(null) as { unit: true };\nexport default Unit;\n',
      // a flag or a handler, an object with a prototype: may be code
      'src/maybe.ts': "import { handler } from './make';\nexport const pick = Boolean(1) || handler;\n",
      'src/proto.ts': 'export const thing = Object.create({ run() { return 1; } });\n',
    });
    const api = require(path.join(repoRoot, 'dist', 'index.js'));
    const files = ['src/types.ts', 'src/money.ts', 'src/store.ts', 'src/index.ts', 'src/only-types.ts', 'lib/index.js', 'lib/factory.js', 'src/codec.ts', 'src/entry.ts', 'src/flags.ts', 'src/regex.ts', 'src/maybe.ts', 'src/proto.ts'].map((f) => path.join(root, f));
    const { filesExportingCode } = await load();
    const found = await filesExportingCode(api, files, root);
    const byName = Object.fromEntries([...found].map(([f, code]) => [path.relative(root, f).split(path.sep).join('/'), code]));
    expect(byName).toEqual({
      'src/types.ts': false,
      'src/money.ts': true,
      'src/store.ts': true,
      'src/index.ts': true,
      'src/only-types.ts': false,
      'lib/index.js': true,
      'lib/factory.js': true,
      'src/codec.ts': true,
      'src/entry.ts': true,
      'src/flags.ts': false,
      'src/regex.ts': false,
      'src/maybe.ts': true,
      'src/proto.ts': true,
    });
  });
});
