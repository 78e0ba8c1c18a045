/**
 * Callbacks as `vi.fn` (parent side, emit): a generated callback a recorded test passes (a reducer, a listener, a
 * comparator) is declared before the call as `const callback = vi.fn(<its code>)`, and after the test's calls the
 * file asserts how the code called it: how many times, and with what arguments the last time. In TypeScript the mock
 * takes the parameter's declared type (`vi.fn<NonNullable<Parameters<typeof mod.createStore>[0]>>(...)`), so the
 * callback's own parameters are typed from it.
 */
import type { FoundTest } from './search-runtime';

/** The step of a spy on an argument of the sequence's constructor (or of the factory call that made its object). */
export const CTOR_STEP = -1;

/** Declares the spies of one step, replacing their arguments by the spies' names (in `args`, in place). */
export function declareSpies(
  test: FoundTest,
  step: number,
  args: string[],
  at: { callee: string; indent: string; typescript: boolean; names: Map<string, string>; position?: (index: number) => number; constructs?: boolean },
): string[] {
  const out: string[] = [];
  for (const spy of test.spies ?? []) {
    if (spy.step !== step || args[spy.index] === undefined) continue;
    const name = `callback${at.names.size === 0 ? '' : at.names.size + 1}`;
    const parameters = at.constructs ? 'ConstructorParameters' : 'Parameters';
    const type = at.typescript ? `<NonNullable<${parameters}<typeof ${at.callee}>[${at.position ? at.position(spy.index) : spy.index}]>>` : '';
    out.push(`${at.indent}const ${name} = vi.fn${type}(${args[spy.index]});`);
    args[spy.index] = name;
    at.names.set(`${spy.step}:${spy.index}`, name);
  }
  return out;
}

/** What the test asserts of its spies after its calls. */
export function assertSpies(test: FoundTest, names: Map<string, string>, indent: string): string[] {
  const out: string[] = [];
  for (const spy of test.spies ?? []) {
    const name = names.get(`${spy.step}:${spy.index}`);
    if (!name) continue;
    out.push(`${indent}expect(${name}).toHaveBeenCalledTimes(${spy.calls});`);
    if (spy.calls > 0 && spy.last) out.push(`${indent}expect(${name}).toHaveBeenLastCalledWith(${spy.last.join(', ')});`);
  }
  return out;
}
