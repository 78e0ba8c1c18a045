/**
 * Test plan -> vitest source text. Each case is one `it(...)` block preceded by a `// tdd-fast:case <id>` marker, so
 * record mode can find and rewrite single cases after vitest has filled in inline snapshots.
 */
import type { FilePlan, FunctionPlan, TestCase } from './plan';
import { checkEmitted } from './emitted-check';
import { CASE_MARKER, HEADER } from './markers';
import { unparseable } from './write';
import type { ModuleFormat } from '../engine/types';
import { personImports, type ModuleImport } from './imports';
import { IDENT, memberAccess, quote } from './value-code';

export { CASE_MARKER, HEADER } from './markers';

export interface RenderOptions {
  /** Import specifier of the module under test, relative to the test file (`./cart`, `../src/cart.js`). */
  importPath: string;
  typescript: boolean;
  /** Render unknown expectations as inline snapshots (record mode) instead of TODOs. */
  record: boolean;
  /** Source path shown in the header. */
  sourceLabel: string;
  version: string;
  /** Path of the test file (its extension is the language the text is parsed as before it is written). */
  outputFile?: string;
  /**
   * How the module under test exports (the core's `moduleFormat`). Decides how a JavaScript test reaches an export
   * without running the module; unknown (or a script): through the `exported()` helper, which looks at run time.
   */
  moduleFormat?: ModuleFormat;
}

/** The module's own name for its default export: the function or class exported as the module itself. */
export function defaultOwnName(names: Array<string | null>): string | null {
  for (const name of names) {
    const last = name?.split('.').pop();
    if (last && IDENT.test(last) && last !== 'exports' && last !== 'default') return last;
  }
  return null;
}

/**
 * The file's head: the generated header lines, vitest's import, the imports of the module under test as a person
 * writes them (imports.ts) and, when some access is only known at run time, the `exported()` helper. `body` comes
 * back with its `mod.x` accesses rewritten.
 */
export function fileHead(header: string[], body: string[], options: RenderOptions, names: { own: string | null; others?: ModuleImport[] }): { head: string[]; body: string[] } {
  const resolver = body.some((l) => l.includes('exported('));
  const { imports, lines } = personImports(body, options.importPath, names.own, names.others);
  const namespace = `import * as mod from ${quote(options.importPath)};`;
  const all = resolver && !imports.includes(namespace) ? [...imports, namespace] : imports;
  return { head: [...header, "import { describe, expect, it } from 'vitest';", ...all, ...(resolver ? [JS_RESOLVER.trimEnd()] : [])], body: lines };
}

/** The file name whose extension says the language of the emitted text. */
export function emittedFileName(options: RenderOptions): string {
  return options.outputFile ?? (options.typescript ? 'emitted.generated.test.ts' : 'emitted.generated.test.js');
}

const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError']);

export const JS_RESOLVER = `
/** Finds an export by name whether the module is ESM or CommonJS (\`module.exports = fn\`, \`exports.fn = ...\`). */
function exported(name, isDefault) {
  const def = mod.default;
  if (isDefault) return def !== undefined ? def : mod;
  if (name in mod && name !== 'default') return mod[name];
  if (def !== null && (typeof def === 'object' || typeof def === 'function')) {
    if (name in def) return def[name];
    if (typeof def === 'function' && def.name === name) return def;
  }
  throw new Error(\`tdd-fast: '\${name}' is not exported by the module under test\`);
}
`;

export function renderFile(plan: FilePlan, options: RenderOptions): string {
  const body: string[] = [];
  for (const fn of plan.functions) {
    if (fn.cases.length === 0) continue;
    body.push('', `describe(${quote(fn.name)}, () => {`);
    for (const c of fn.cases) body.push(...renderCase(fn, c, options));
    body.push('});');
  }
  const header = [
    `${HEADER} ${options.version} from ${options.sourceLabel}. Do not edit: regenerate with \`npx tdd-fast generate ${options.sourceLabel}\`.`,
    '// Inputs come from the code (guards, comparisons, parameter types and usage, names); see docs/generate.md.',
  ];
  const own = defaultOwnName(plan.functions.filter((f) => !f.access.method && (f.access.defaultExport || f.access.exportPath.length === 0)).map((f) => f.name));
  const { head, body: rewritten } = fileHead(header, body, options, { own });
  const lines = [...head, ...rewritten];
  const checked = checkEmitted(`${lines.join('\n')}\n`, emittedFileName(options));
  if (checked.problems.length) throw unparseable(emittedFileName(options), checked.problems);
  markDropped(plan, checked.dropped);
  return checked.text;
}

/** Cases the parse check turned into TODOs are TODOs of the plan too (the counts say so). */
function markDropped(plan: FilePlan, dropped: Map<string, string>): void {
  for (const fn of plan.functions) {
    for (const c of fn.cases) {
      const why = dropped.get(c.id);
      if (why !== undefined) c.expect = { kind: 'todo', reason: `the generated code did not parse: ${why}` };
    }
  }
}

/** The expression that calls the function under test with a case's arguments. */
export function callExpression(fn: FunctionPlan, args: string[], typescript: boolean, format?: ModuleFormat): string {
  const { exportPath, defaultExport, method, constructorArgs } = fn.access;
  let owner: string;
  // An empty path is the module's export itself (`module.exports = fn`, `export =`): the default export.
  const isDefault = defaultExport || exportPath.length === 0;
  if (typescript || format === 'esm') {
    owner = isDefault ? 'mod.default' : `mod${exportPath.map(memberAccess).join('')}`;
    if (isDefault && exportPath.length > 1 && !method) owner = `mod.default.${exportPath.slice(1).join('.')}`;
  } else if ((format === 'commonjs' || format === 'umd') && exportPath[0] !== 'default') {
    // A CommonJS module's default import is its `module.exports`, in Node and in vitest alike.
    owner = `mod.default${exportPath.map(memberAccess).join('')}`;
  } else {
    const [first = 'default', ...rest] = exportPath;
    owner = `exported(${quote(first)}${isDefault ? ', true' : ''})${rest.map((p) => `.${p}`).join('')}`;
  }
  const argText = args.join(', ');
  if (!method) return `${owner}(${argText})`;
  if (method.static) return `${owner}.${method.name}(${argText})`;
  return `new ${owner}(${(constructorArgs ?? []).join(', ')}).${method.name}(${argText})`;
}

/** A string literal for a test title: single quotes unless the title contains some. */
function titleLiteral(text: string): string {
  if (!text.includes("'")) return quote(text);
  return JSON.stringify(text);
}

function errorMatcher(error: string | null, message: string | null): string {
  if (message !== null) return quote(message);
  if (error && BUILTIN_ERRORS.has(error)) return error;
  return '';
}

export function renderCase(fn: FunctionPlan, c: TestCase, options: RenderOptions): string[] {
  const call = callExpression(fn, c.args, options.typescript, options.moduleFormat);
  const title = titleLiteral(c.title);
  const out = [`  ${CASE_MARKER}${c.id}`];
  const todo = (reason: string, runnable = true) => {
    const resultLine = fn.async ? `const result = await ${call};` : `const result = ${call};`;
    // A call whose arguments cannot be built is only a hint: as code it would not type-check (or run).
    const body = runnable ? [`    ${resultLine}`, '    // expect(result).toEqual(/* the expected value */);', '    void result;'] : [`    // ${resultLine}`, '    // expect(result).toEqual(/* the expected value */);'];
    out.push(`  it.todo(${title}, ${fn.async && runnable ? 'async ' : ''}() => {`, `    // TODO(tdd-fast): ${reason.replace(/\n/g, ' ')}`, ...body, '  });');
    return out;
  };
  const recorded = c.recorded;
  if (recorded && (recorded.kind === 'hang' || recorded.kind === 'crash' || recorded.kind === 'dropped')) return todo(recorded.reason);
  const e = c.expect;
  if (e.kind === 'todo') return todo(e.reason, false);
  const asyncFn = fn.async || recorded?.kind === 'resolves' || recorded?.kind === 'rejects';
  const open = `  it(${title}, ${asyncFn ? 'async ' : ''}() => {`;
  if (e.kind === 'throws') {
    const matcher = errorMatcher(e.error, e.message);
    out.push(open, fn.async ? `    await expect(${call}).rejects.toThrow(${matcher});` : `    expect(() => ${call}).toThrow(${matcher});`, '  });');
    return out;
  }
  if (e.kind === 'returns') {
    out.push(open, fn.async ? `    await expect(${call}).resolves.toEqual(${e.code});` : `    expect(${call}).toEqual(${e.code});`, '  });');
    return out;
  }
  return todo('the result is not determined statically; assert it by hand, or run `tdd-fast generate --record` to capture today\'s behaviour.');
}

/**
 * Replaces the `it` block of each given case in already-rendered text (e.g. after vitest wrote snapshots into it).
 * The block runs from its marker to the first line that closes it at the same indentation.
 */
export function replaceCases(text: string, replacements: Map<string, string[]>): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed.startsWith(CASE_MARKER)) {
      const id = trimmed.slice(CASE_MARKER.length).trim();
      const replacement = replacements.get(id);
      if (replacement) {
        let j = i + 1;
        while (j < lines.length && lines[j] !== '  });') j++;
        out.push(...replacement);
        i = j;
        continue;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}
