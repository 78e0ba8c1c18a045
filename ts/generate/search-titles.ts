/**
 * Texts of the search's results (child side, see search-runtime.ts): a call as the user would write it, for TODOs of
 * calls that hung, and a test's title from what it returned and the code it reaches first.
 */
import type { Outcome, SpecTarget, Step } from './search-runtime';

export function describeCall(target: Pick<SpecTarget, 'name'>, cand: { ctorCodes: string[] | null; steps: Array<{ method: string | null; codes: string[] }> }): string {
  const head = cand.ctorCodes ? `new ${target.name}(${cand.ctorCodes.join(', ')})` : '';
  const calls = cand.steps.map((s) => `${s.method ? `.${s.method}` : target.name}(${s.codes.join(', ')})`).join('');
  const text = head + calls;
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function short(code: string | null, max = 30): string {
  if (code === null) return 'a value';
  const one = code.replace(/\s+/g, ' ');
  return one.length > max ? `${one.slice(0, max - 3)}...` : one;
}

export function titleFor(target: Pick<SpecTarget, 'kind'>, ran: { steps: Step[] }, reaches: string | null): string {
  const last = ran.steps[ran.steps.length - 1];
  const args = last.args.map((c) => short(c, 24)).join(', ');
  // The empty method name is a call of the function a factory returned.
  const methods = ran.steps.filter((s) => s.method !== null).map((s) => s.method || 'call');
  const head = target.kind === 'class' ? (methods.length ? `${methods.join(' then ')}: ` : 'constructor: ') : '';
  return `${head}${outcomeWords(last.outcome)} for (${args})${reaches ? ` (reaches \`${reaches}\`)` : ''}`;
}

/** `returns 'big'`, `returns this`, `throws RangeError`, ... */
function outcomeWords(o: Outcome): string {
  if (o.kind === 'returns' || o.kind === 'resolves') return `${o.kind === 'resolves' ? 'resolves' : 'returns'} ${o.self ? 'this' : o.plain ? short(o.code) : o.type}`;
  if (o.kind === 'throws' || o.kind === 'rejects') return `${o.kind === 'rejects' ? 'rejects' : 'throws'} ${o.error.name}`;
  return 'runs';
}
