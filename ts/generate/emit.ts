/**
 * Search results -> vitest source: each found test asserts the exact recorded values as literals (return values deep,
 * arguments the call mutated, resolved values, errors by class and message, an instance's state after a method
 * sequence). Targets the search could not run keep the static plan's cases. Never writes to the module namespace.
 */
import type { FilePlan } from './plan';
import { checkEmitted } from './emitted-check';
import { CASE_MARKER, defaultOwnName, emittedFileName, fileHead, HEADER, renderCase, type RenderOptions } from './render';
import type { SearchOutcome, Target } from './search';
import type { ErrorInfo, FoundTest, Outcome, Step } from './search-runtime';
import { copyCode, quote } from './value-code';
import { setterOf } from './setter-step';
import { unparseable } from './write';
import { assertSpies, CTOR_STEP, declareSpies } from './emit-spies';
import { mutatedArguments } from './emit-mutated';
import { databaseHooks, renderDatabaseTest, seederImports, templateLines } from './emit-database';
import type { DatabaseOrigin } from './search-database';
import { withEntry, withGlobals } from './emit-globals';
import { resolveTokens, withoutTokens, type ModuleSpecifiers } from './emit-modules';
import type { ModuleImport } from './imports';
import { PIN_RANDOM, withRandomPin } from './emit-random';

function titleLiteral(text: string): string {
  return text.includes("'") ? JSON.stringify(text) : quote(text);
}

function helpers(typescript: boolean, which: { thrown: boolean; rejected: boolean; collected: boolean }): string[] {
  // The error a test asserts, by its class and message (a thrown non-Error value is compared whole).
  const any = typescript ? ': Error' : '';
  const caught = typescript ? '    return error as Error;' : '    return error;';
  const all = [
    '',
    '/** The error a call throws (the test fails when it does not throw). */',
    `function thrown(run${typescript ? ': () => unknown' : ''})${any} {`,
    '  try {',
    '    run();',
    '  } catch (error) {',
    caught,
    '  }',
    "  throw new Error('expected the call to throw');",
    '}',
    '',
    '/** The reason a promise rejects with (the test fails when it resolves). */',
    `async function rejected(promise${typescript ? ': unknown' : ''})${typescript ? ': Promise<Error>' : ''} {`,
    '  try {',
    '    await promise;',
    '  } catch (error) {',
    caught,
    '  }',
    "  throw new Error('expected the promise to reject');",
    '}',
  ];
  const split = all.indexOf('/** The reason a promise rejects with (the test fails when it resolves). */');
  const collect = [
    '',
    '/** What an async iterator yields, to its end. */',
    typescript ? 'async function collected<T>(items: AsyncIterable<T>): Promise<T[]> {' : 'async function collected(items) {',
    `  const out${typescript ? ': T[]' : ''} = [];`,
    '  for await (const item of items) out.push(item);',
    '  return out;',
    '}',
  ];
  return [...(which.thrown ? all.slice(0, split - 1) : []), ...(which.rejected ? all.slice(split - 1) : []), ...(which.collected ? collect : [])];
}

function valueMatcher(o: Extract<Outcome, { kind: 'returns' | 'resolves' }>, typescript: boolean): string | null {
  if (o.code === null) {
    if (o.self) return 'toBe(instance)';
    if (o.state && o.state !== '{}') return `toMatchObject(${o.state})`;
    if (o.builtin) return `toBeInstanceOf(${o.builtin})`;
    return `toSatisfy((value${typescript ? ': unknown' : ''}) => typeof value === ${quote(o.type === 'array' || o.type === 'null' ? 'object' : o.type)})`;
  }
  if (o.code === 'undefined') return 'toBeUndefined()';
  if (['object', 'array'].includes(o.type)) return `toStrictEqual(${o.code})`;
  return `toBe(${o.code})`;
}

/** Primitives by identity, structures deeply. */
function viewMatcher(code: string): string {
  if (code === 'undefined') return 'toBeUndefined()';
  return /^[[{]|^new /.test(code) ? `toStrictEqual(${code})` : `toBe(${code})`;
}

function errorLines(subject: string, error: ErrorInfo, indent: string): string[] {
  const out: string[] = [];
  if (error.code !== null) return [`${indent}expect(${subject}).toStrictEqual(${error.code});`];
  if (error.ctor) out.push(`${indent}expect(${subject}).toBeInstanceOf(${error.ctor});`);
  else out.push(`${indent}expect(${subject}.constructor.name).toBe(${quote(error.name)});`);
  if (error.message !== '' || error.ctor === null) out.push(`${indent}expect(${subject}.message).toBe(${quote(error.message)});`);
  return out;
}

/** Lines asserting one call. `call` is the expression, `asyncCtx` whether we may await. */
function assertCall(made: string, step: Step, indent: string, name: string, typescript: boolean): string[] {
  const o = step.outcome;
  const iterated = o.kind === 'returns' || o.kind === 'throws' || o.kind === 'rejects' ? o.iterated : undefined;
  // A returned iterator is asserted by what it yields, iterated as its user iterates it.
  if (iterated === 'async') return assertCall(`collected(${made})`, { ...step, outcome: o.kind === 'returns' ? { ...o, kind: 'resolves', iterated: undefined } : { ...(o as Extract<Outcome, { kind: 'throws' | 'rejects' }>), kind: 'rejects', iterated: undefined } }, indent, name, typescript);
  const call = iterated === 'sync' ? `[...${made}]` : made;
  switch (o.kind) {
    case 'returns':
    case 'resolves':
      return valueLines(call, o, { indent, name, typescript });
    case 'throws':
      return [`${indent}const ${name} = thrown(() => ${call});`, ...errorLines(name, o.error, indent)];
    case 'rejects':
      return [`${indent}const ${name} = await rejected(${call});`, ...errorLines(name, o.error, indent)];
    default:
      return [`${indent}${call};`];
  }
}

/** Lines asserting what a call returned or resolved to: a function by its calls, a subclass instance by its content. */
function valueLines(call: string, o: Extract<Outcome, { kind: 'returns' | 'resolves' }>, at: { indent: string; name: string; typescript: boolean }): string[] {
  const { indent, name, typescript } = at;
  const resolves = o.kind === 'resolves';
  if (!resolves && o.calls?.length) return returnedFunction(call, o.calls, at);
  if (o.content && !o.self) return subclassLines(resolves ? `await ${call}` : call, o.content, at);
  const m = valueMatcher(o, typescript);
  if (resolves) return m ? [`${indent}await expect(${call}).resolves.${m};`] : [`${indent}await ${call};`];
  return m ? [`${indent}expect(${call}).${m};`] : [`${indent}${call};`];
}

/**
 * An instance of a built-in's subclass (a Map subclass): its class, and the base class's copy of it equal to the
 * recorded literal (`expect(new Map(result)).toStrictEqual(new Map([...]))`). The base's literal alone could never
 * equal it: vitest compares classes.
 */
function subclassLines(call: string, content: { base: string; code: string; ctor: string | null }, at: { indent: string; name: string }): string[] {
  const { indent, name } = at;
  const result = name.replace(/^error/, 'result');
  return [`${indent}const ${result} = ${call};`, `${indent}expect(${result}).toBeInstanceOf(${content.ctor ?? content.base});`, `${indent}expect(${copyCode(content.base, result)}).${viewMatcher(content.code)};`];
}

/** A returned function, asserted by what its calls return: `const returned = f(1); expect(returned(2)).toBe(3);`. */
function returnedFunction(call: string, calls: Array<{ args: string[]; outcome: Outcome }>, at: { indent: string; name: string; typescript: boolean }): string[] {
  const fn = at.name.replace(/^error/, 'returned');
  return [`${at.indent}const ${fn} = ${call};`, ...returnedCalls(calls, at)];
}

/** The calls of a returned function (named as returnedFunction names it) with their assertions. */
function returnedCalls(calls: Array<{ args: string[]; outcome: Outcome }>, at: { indent: string; name: string; typescript: boolean }): string[] {
  const fn = at.name.replace(/^error/, 'returned');
  return calls.flatMap((c, i) => assertCall(`${fn}(${c.args.join(', ')})`, { method: null, args: c.args, outcome: c.outcome, mutated: [] }, at.indent, `${at.name}_${i}`, at.typescript));
}

function isAsync(test: FoundTest): boolean {
  return test.steps.some((s) => s.outcome.kind === 'resolves' || s.outcome.kind === 'rejects' || iteratedAsync(s.outcome));
}

/** A returned async iterator, collected with `for await` in the test (the `collected` helper). */
function iteratedAsync(o: Outcome): boolean {
  return (o.kind === 'returns' || o.kind === 'throws' || o.kind === 'rejects') && o.iterated === 'async';
}

function renderFound(target: Target, access: string, test: FoundTest, id: string, typescript: boolean): string[] {
  const out = [`  ${CASE_MARKER}${id}`, `  it(${titleLiteral(withoutTokens(test.title))}, ${isAsync(test) ? 'async ' : ''}() => {`];
  const ind = '    ';
  if (test.random) out.push(`${ind}${PIN_RANDOM}`);
  if (target.database) {
    out.push(...renderDatabaseTest(target, test, { ind, typescript, assertCall }));
  } else if (target.kind === 'function') {
    const step = test.steps[0];
    const { args, declare, assert } = mutatedArguments(step, 'arg', ind);
    out.push(...declare);
    const spies = new Map<string, string>();
    out.push(...declareSpies(test, 0, args, { callee: access, indent: ind, typescript, names: spies }));
    out.push(...assertCall(`${access}(${args.join(', ')})`, step, ind, 'error', typescript));
    out.push(...assert);
    out.push(...assertSpies(test, spies, ind));
  } else {
    out.push(...renderSequence(access, test, ind, typescript));
  }
  out.push('  });');
  return out;
}

/** A class test: construct, each call of the sequence asserted, then the instance's state and observations. */
function renderSequence(access: string, test: FoundTest, ind: string, typescript: boolean): string[] {
  const [ctor, ...calls] = test.steps;
  // A class is built with `new`; what a factory returns, by the same call (search-returned.ts).
  const spies = new Map<string, string>();
  const ctorArgs = (test.ctor ?? []).slice();
  const out = declareSpies(test, CTOR_STEP, ctorArgs, { callee: access, indent: ind, typescript, names: spies, constructs: test.construct !== 'call' });
  const ctorCall = `${test.construct === 'call' ? '' : 'new '}${access}(${ctorArgs.join(', ')})`;
  if (ctor.outcome.kind !== 'returns') return [...out, ...assertCall(ctorCall, ctor, ind, 'error', typescript), ...assertSpies(test, spies, ind)];
  out.push(`${ind}const instance = ${ctorCall};`);
  // The state after a call, where it changed and before the last call (the final state is asserted below): a
  // sequence whose end undoes its middle (`reset(); reset()`) still says what the middle did.
  let last = ctor.state ?? null;
  const later: string[] = [];
  const between = (step: Step, i: number) => {
    if (i === calls.length - 1 || step.state === undefined || step.state === null || step.state === last || step.state === '{}') return;
    out.push(`${ind}expect(instance).toMatchObject(${step.state});`);
    last = step.state;
  };
  calls.forEach((step, i) => {
    const { args, declare, assert } = mutatedArguments(step, `arg${i}_`, ind);
    out.push(...declare);
    // The empty method name calls the object itself: the function a factory returned; `=name` sets a property.
    const property = setterOf(step.method);
    const callee = step.method === '' ? 'instance' : `instance.${property ?? step.method}`;
    out.push(...declareSpies(test, i, args, { callee, indent: ind, typescript, names: spies }));
    if (property !== null && step.outcome.kind === 'returns') out.push(`${ind}${callee} = ${args[0] ?? 'undefined'};`);
    else if (property !== null) out.push(...assertCall(`(${callee} = ${args[0] ?? 'undefined'})`, step, ind, `error${i === 0 ? '' : i}`, typescript));
    else if (step.outcome.kind === 'returns' && step.outcome.later && step.outcome.calls?.length) {
      // A function an earlier call returned (an unsubscribe) is called after the last call, as the search did.
      const at = { indent: ind, name: `error${i === 0 ? '' : i}`, typescript };
      out.push(`${ind}const ${at.name.replace(/^error/, 'returned')} = ${callee}(${args.join(', ')});`);
      later.push(...returnedCalls(step.outcome.calls, at));
    } else out.push(...assertCall(`${callee}(${args.join(', ')})`, step, ind, `error${i === 0 ? '' : i}`, typescript));
    out.push(...assert);
    between(step, i);
  });
  out.push(...later);
  out.push(...assertSpies(test, spies, ind));
  if (test.state !== null && test.state !== '{}') out.push(`${ind}expect(instance).toMatchObject(${test.state});`);
  // An observation the last call already made (`pending()` last, then `pending()` again) says nothing new.
  const lastCall = calls.length ? `instance.${calls[calls.length - 1].method}(${calls[calls.length - 1].args.join(', ')})` : null;
  for (const view of test.views ?? []) if (view.expr !== lastCall) out.push(`${ind}expect(${view.expr}).${viewMatcher(view.code)};`);
  return out;
}

/**
 * The file parsed as the output's language before anything is written: a case that does not parse becomes a TODO
 * (`dropped`: how many kept tests that turned into TODOs).
 */
function checkedText(lines: string[], options: RenderOptions, cases: Emitted['cases']): { text: string; dropped: number } {
  const checked = checkEmitted(`${lines.join('\n')}\n`, emittedFileName(options));
  if (checked.problems.length) throw unparseable(emittedFileName(options), checked.problems);
  let dropped = 0;
  for (const id of checked.dropped.keys()) {
    const c = cases.get(id);
    if (!c || c.todo) continue;
    c.todo = true;
    dropped++;
  }
  return { text: checked.text, dropped };
}

/** The TODOs of calls that hung or exited the process (at most 5 per target). */
function hangNotes(id: string, notes: string[]): { lines: string[]; count: number } {
  const lines = notes.slice(0, 5).flatMap((note, k) => todoBlock(`${id}.t${k}`, withoutTokens(`found by the search: ${note}`).slice(0, 200), 'assert the intended behaviour by hand; record mode does not keep calls that hang or exit the process.'));
  return { lines, count: Math.min(notes.length, 5) };
}

/** The file's lines: head and imports (a database target's template and hooks), helpers, then the tests. */
function fileLines(
  file: { header: string[]; body: string[]; own: string | null; others: ModuleImport[]; needsHelpers: boolean },
  options: RenderOptions,
  database: { setup: { imports: string[]; lines: string[] }; seeders: string[] } | null,
): string[] {
  const { header, body, own, others } = file;
  const { head, body: rewritten } = fileHead(header, database ? [...database.setup.lines, ...body] : body, options, { own, others });
  const lines = database ? withDatabaseImports(head, [...database.setup.imports, ...database.seeders]) : [...head];
  if (file.needsHelpers) lines.push(...helpers(options.typescript, { thrown: body.some((l) => l.includes('thrown(')), rejected: body.some((l) => l.includes('rejected(')), collected: body.some((l) => l.includes('collected(')) }));
  lines.push(...rewritten);
  // `vi` only when a test declares a callback as vi.fn.
  const at = lines.findIndex((l) => l.startsWith('import {') && l.endsWith("from 'vitest';"));
  if (rewritten.some((l) => l.includes('= vi.fn'))) lines[at] = lines[at].replace(' it }', ' it, vi }');
  return lines;
}

/** A case of a function whose database the search could not make, as a TODO saying why. */
function databaseTodo(c: { id: string; title: string }, describe: string, why: string, cases: Emitted['cases']): string[] {
  cases.set(c.id, { describe, title: c.title, target: null, todo: true });
  return todoBlock(c.id, c.title, why);
}

/** The file's head with vitest's hooks and the template's imports (a database target's tests need them). */
function withDatabaseImports(head: string[], imports: string[]): string[] {
  const lines = [...head];
  lines.splice(lines.indexOf("import { describe, expect, it } from 'vitest';"), 1, "import { afterEach, beforeEach, describe, expect, it } from 'vitest';", ...imports);
  return lines;
}

function todoBlock(id: string, title: string, reason: string): string[] {
  return [`  ${CASE_MARKER}${id}`, `  it.todo(${titleLiteral(title)});`, `  // TODO(tdd-fast): ${reason.replace(/\n/g, ' ')}`];
}

export interface Emitted {
  text: string;
  /** Case id -> [describe title, test title], to map the verify run's failures back. */
  /** Every case by id; `todo` for those written as `it.todo` (nothing of theirs runs). */
  cases: Map<string, { describe: string; title: string; target: Target | null; todo: boolean }>;
  tests: number;
  todo: number;
  throws: number;
  /** Set when the module did not load (then the file holds one TODO saying why). */
  loadError?: string;
  /** Set when the type check (emitted-typecheck.ts) could not run, or found errors outside every case. */
  typecheck?: string;
}

/**
 * A module that did not load: one TODO naming the loader's error, instead of a TODO per function (or a static guess
 * per parameter type) that would each repeat or hide it.
 */
function loadFailure(lines: string[], options: RenderOptions, error: string): Emitted {
  const cases: Emitted['cases'] = new Map();
  const title = `loads ${options.sourceLabel}`;
  cases.set('load', { describe: options.sourceLabel, title, target: null, todo: true });
  // The module is not imported: the file stays loadable (one TODO in the project's run), the reason is in it.
  const head = [...lines.filter((l) => l.startsWith('//')), "import { describe, it } from 'vitest';"];
  const body = ['', `describe(${quote(options.sourceLabel)}, () => {`, ...todoBlock('load', title, `${error}. Make the module load as the project's tests load it, then regenerate.`), '});'];
  return { text: `${[...head, ...body].join('\n')}\n`, cases, tests: 0, todo: 1, throws: 0, loadError: error };
}

export function emitFile(plan: FilePlan, search: SearchOutcome, options: RenderOptions, modules: ModuleSpecifiers = new Map()): Emitted {
  const cases: Emitted['cases'] = new Map();
  let tests = 0;
  let todo = 0;
  let throws = 0;
  const header: string[] = [
    `${HEADER} ${options.version} from ${options.sourceLabel}. Do not edit: regenerate with \`npx tdd-fast generate ${options.sourceLabel} --record\`.`,
    '// Recorded by a coverage-guided search: inputs from the types, the code\'s constants and patterns, kept when they',
    '// reached new code; values are what the code returned when it was generated (see docs/generate.md).',
  ];
  if (search.loadError) return loadFailure(header, options, search.loadError);
  let needsHelpers = false;
  const body: string[] = [];
  let database: DatabaseOrigin | null = null;
  const seeders: string[] = [];
  const covered = new Set<string>();
  for (const target of search.targets) {
    const result = search.results.get(target.id);
    const describe = target.kind === 'class' || target.functions.length === 0 ? target.name : target.functions[0].name;
    const block: string[] = [];
    if (result && result.access && result.tests.length) {
      target.functions.forEach((f) => covered.add(f.name));
      if (target.database && result.database) {
        database = result.database;
        seeders.push(...seederImports(target, result.tests, options));
        block.push(...databaseHooks(options.typescript), '');
      }
      result.tests.forEach((test, k) => {
        const id = `${target.id}.${k}`;
        if (test.steps.some((s) => s.outcome.kind === 'throws' || s.outcome.kind === 'rejects')) {
          needsHelpers = true;
          throws++;
        }
        if (test.steps.some((s) => iteratedAsync(s.outcome))) needsHelpers = true;
        block.push(...renderFound(target, result.access!, test, id, options.typescript));
        cases.set(id, { describe, title: withoutTokens(test.title), target, todo: false });
        tests++;
      });
      const notes = hangNotes(target.id, result.exits.length ? result.exits : (search.hangs.get(target.id) ?? []));
      block.push(...notes.lines);
      todo += notes.count;
    }
    if (block.length) body.push('', `describe(${quote(describe)}, () => {`, ...block, '});');
  }
  // Functions the search could not run: the static plan's cases (static expectations and TODOs).
  for (const fn of plan.functions) {
    if (covered.has(fn.name) || fn.cases.length === 0 || fn.access.probe) continue;
    const target = search.targets.find((t) => t.functions.includes(fn)) ?? null;
    const why = target ? (search.failed.get(target.id) ?? search.results.get(target.id)?.error) : undefined;
    const block: string[] = [];
    for (const c of fn.cases) {
      // A database the search could not make (no schema found): its reason, not the planner's "cannot construct".
      if (why && target?.database) {
        block.push(...databaseTodo(c, fn.name, why, cases));
        todo++;
        continue;
      }
      if (why && c.expect.kind === 'unknown') c.recorded = { kind: 'dropped', reason: why };
      block.push(...renderCase(fn, c, { ...options, record: false }));
      const asserted = c.expect.kind === 'throws' || c.expect.kind === 'returns';
      cases.set(c.id, { describe: fn.name, title: c.title, target: null, todo: !asserted });
      if (asserted) tests++;
      else todo++;
      if (c.expect.kind === 'throws') throws++;
    }
    body.push('', `describe(${quote(fn.name)}, () => {`, ...block, '});');
  }
  // The default export's own name: a target reached as the module's default export itself.
  const own = defaultOwnName([
    ...search.targets.filter((t) => search.results.get(t.id)?.access === 'mod.default').map((t) => t.name),
    ...plan.functions.filter((f) => !f.access.method && (f.access.defaultExport || f.access.exportPath.length === 0)).map((f) => f.name),
  ]);
  const resolved = resolveTokens(body, modules);
  const lines = fileLines({ header, body: resolved.body, own, others: resolved.others, needsHelpers }, options, database ? { setup: templateLines(database, options), seeders } : null);
  // What the search did before it loaded the module, the test file does too (emit-globals.ts).
  const checked = checkedText(withRandomPin(withGlobals(withEntry(lines, search.entry, options.outputFile), search.globals), options.typescript), options, cases);
  return { text: checked.text, cases, tests: tests - checked.dropped, todo: todo + checked.dropped, throws };
}
