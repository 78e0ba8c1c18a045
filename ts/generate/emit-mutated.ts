/**
 * Arguments a recorded call mutated (parent side, emit): each is declared as a variable before the call, passed by
 * that name, and after the call the test asserts what the call left in it. Shared by function tests, method
 * sequences (emit.ts) and database sequences (emit-database.ts).
 */
import type { Step } from './search-runtime';

export interface MutatedArguments {
  /** The call's arguments, a mutated one replaced by its variable's name. */
  args: string[];
  /** `const <name> = <value>;` lines, before the call. */
  declare: string[];
  /** `expect(<name>).toStrictEqual(<what the call left>);` lines, after it. */
  assert: string[];
}

/** The step's mutated arguments as variables named `<prefix><index>` (`arg1`, `arg0_1`). */
export function mutatedArguments(step: Step, prefix: string, indent: string): MutatedArguments {
  const args = step.args.slice();
  const declare: string[] = [];
  const assert: string[] = [];
  for (const m of step.mutated) {
    const name = `${prefix}${m.index}`;
    declare.push(`${indent}const ${name} = ${args[m.index]};`);
    assert.push(`${indent}expect(${name}).toStrictEqual(${m.code});`);
    args[m.index] = name;
  }
  return { args, declare, assert };
}
