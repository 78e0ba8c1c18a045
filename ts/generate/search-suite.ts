/**
 * The suite of one target (child side), from what its search kept: a greedy set cover over the kept runs (normal
 * returns first, then few throws, only from type-valid inputs), a few boundary cases, a few runs that returned a
 * value no chosen one returned; then each chosen test is run twice more, the second time as on another machine, and
 * what differs between the two is not asserted.
 */
import { titlesFor } from './search-titles';
import { behaviourOf, shrinkChosen } from './shrink';
import { restGroup } from './search-args';
import { asOnAnotherMachine } from './search-values';
import { signature, type TargetSearch } from './search-candidates';
import { sameOutcome, type Ran } from './search-run';
import type { Outcome, TargetResult } from './search-runtime';
import { cpuMs } from './work-clock';

/** Throwing tests of a target at most, and allowed whatever the number of normal ones (each asserting its own error). */
const MAX_ERROR_TESTS = 3;
const MIN_ERROR_TESTS = 2;
/** One more test allowed per this many blocks reached, past the configured cap (up to three times it). */
const BLOCKS_PER_TEST = 3;

export async function buildSuite(s: TargetSearch): Promise<TargetResult> {
  const { result } = s;
  await s.flush();
  (result as unknown as Record<string, unknown>).stats = { ms: Math.round(cpuMs() - s.budget.started), takes: s.coverage.takes, takeMs: Math.round(s.coverage.takeMs) };
  result.candidates = s.n;
  result.covered = s.covered.size - (s.target.known?.size ?? 0);
  // The cap grows with the code the search reached (a 100-line parser gets more tests than a 3-line guard).
  const { cap } = s.budget;
  const maxTests = Math.max(cap, Math.min(3 * cap, Math.ceil(result.covered / BLOCKS_PER_TEST)));
  const { chosen, eligible } = setCover(s, maxTests);
  // The set cover's picks, shrunk by blocks and outcome; the boundary and distinct-result ones keep their result.
  const covering = chosen.length;
  addBoundaries(eligible, chosen, maxTests);
  // A chain (search-returned.ts) is there for the code its parent did not reach: no tests for distinct results alone.
  if (!s.target.known) addDiverse(s, chosen, maxTests);
  await shrinkAll(s, chosen, covering);
  await record(s, chosen);
  return result;
}

/** The error a throwing run ends with, as `name: message` (what its test asserts). */
function errorOf(r: Ran): string {
  const last = r.steps[r.steps.length - 1].outcome;
  return last.kind === 'throws' || last.kind === 'rejects' ? `${last.error?.name}: ${last.error?.message}` : '';
}

/** The run ends with the error a generated failing callback threw (value-shapes.ts CALLBACKS), passed on unchanged. */
function ownError(r: Ran): boolean {
  const last = r.steps[r.steps.length - 1].outcome;
  return (last.kind === 'throws' || last.kind === 'rejects') && last.error.own === true;
}

/**
 * A throw blamed on the generated input: an argument that does not fit its declaration, or a TypeError where some
 * argument's type was guessed (untyped, inferred from usage): a TypeError says the argument was of the wrong type,
 * the code's own (`"pairs" expected array, got type=string`) as much as the engine's (`x.map is not a function`).
 */
function blamedOnInput(r: Ran): boolean {
  if (!r.throws) return false;
  const last = r.steps[r.steps.length - 1].outcome;
  const error = last.kind === 'throws' || last.kind === 'rejects' ? last.error : null;
  return !r.cand.valid || (r.cand.uncertain && error !== null && error.name === 'TypeError');
}

function cost(r: Ran): number {
  return r.steps.reduce((sum, st) => sum + st.args.join(',').length, 0) + (r.cand.ctorCodes ?? []).join(',').length;
}

/** The run that adds the most blocks not yet covered (the cheaper one of equals); null when none adds any. */
function best(runs: Ran[], got: Set<string>, allowed: (r: Ran) => boolean): Ran | null {
  let found: Ran | null = null;
  let foundGain = 0;
  for (const r of runs) {
    if (!allowed(r)) continue;
    let g = 0;
    for (const b of r.blocks) if (!got.has(b)) g++;
    if (g > foundGain || (g === foundGain && g > 0 && found && cost(r) < cost(found))) {
      found = r;
      foundGain = g;
    }
  }
  return found;
}

/** Greedy set cover over the kept candidates. Throws only from type-valid inputs, and few of them. */
function setCover(s: TargetSearch, maxTests: number): { chosen: Ran[]; eligible: Ran[] } {
  const eligible = s.kept.filter((r) => {
    // A TypeScript test shows only arguments of the declared types (it must pass `tsc --strict`).
    if (s.target.typed && !r.cand.typed) return false;
    const ours = blamedOnInput(r);
    if (ours) s.result.rejectedThrows++;
    return !ours;
  });
  const chosen: Ran[] = [];
  // A chain's tests are chosen for what they reach beyond the target it was returned from.
  const got = new Set<string>(s.target.known ?? []);
  const take = (r: Ran) => {
    chosen.push(r);
    for (const b of r.blocks) got.add(b);
  };
  for (;;) {
    const r = chosen.length < maxTests ? best(eligible, got, (x) => !x.throws && !chosen.includes(x)) : null;
    if (!r) break;
    take(r);
  }
  // Few throwing tests, each asserting an error (class and message) no other test of the target asserts: one per
  // four normal ones, at least two (an invariant helper is mostly its error paths, each message a behaviour of its
  // own), at most MAX_ERROR_TESTS. A second test of the same error adds a line covered, not a mutant killed.
  let throwsLeft = Math.min(MAX_ERROR_TESTS, Math.max(MIN_ERROR_TESTS, Math.ceil(chosen.length / 4)));
  const errors = new Set<string>();
  for (;;) {
    // Our failing callback's own error passed on is no error message of the code's: it gets no slot of its own.
    const r = chosen.length < maxTests && throwsLeft > 0 ? best(eligible, got, (x) => !chosen.includes(x) && x.throws && !errors.has(errorOf(x)) && !ownError(x)) : null;
    if (!r) break;
    throwsLeft--;
    errors.add(errorOf(r));
    take(r);
  }
  return { chosen, eligible };
}

/** Boundary cases from the patterns that returned normally (a few), even without new blocks. */
function addBoundaries(eligible: Ran[], chosen: Ran[], maxTests: number): void {
  let extra = 0;
  for (const r of eligible) {
    if (extra >= 4 || chosen.length >= maxTests) break;
    if (r.cand.boundary && !r.throws && !chosen.includes(r)) {
      chosen.push(r);
      extra++;
    }
  }
}

/** Distinct results at no new coverage, greedy by novelty, those whose arguments sit at the code's constants first. */
function addDiverse(s: TargetSearch, chosen: Ran[], maxTests: number): void {
  const constants = new Set<unknown>([s.target, ...s.methods].flatMap((c) => c.constants));
  const atConstant = (r: Ran) => r.cand.steps.some((st) => st.values.some((v) => constants.has(v) || (typeof v === 'number' && (constants.has(v - 1) || constants.has(v + 1)))));
  // The one whose arguments (per position) the chosen tests use least, at a constant first.
  const extras = s.diverse.filter((d) => !chosen.some((c) => signature(c) === signature(d)));
  const argKeys = (r: Ran) => r.cand.steps.flatMap((st, i) => st.codes.map((code, k) => `${i}:${st.method}:${k}:${code}`));
  const used = new Set(chosen.flatMap(argKeys));
  const novelty = (r: Ran) => argKeys(r).filter((k) => !used.has(k)).length * 2 + Number(atConstant(r));
  for (let left = Math.max(4 * s.budget.scale, Math.floor(maxTests / 2)); left > 0 && extras.length > 0 && chosen.length < maxTests; left--) {
    let best = 0;
    for (let i = 1; i < extras.length; i++) if (novelty(extras[i]) > novelty(extras[best])) best = i;
    const [d] = extras.splice(best, 1);
    chosen.push(d);
    for (const k of argKeys(d)) used.add(k);
  }
}

/** What two runs' outcomes agree on: a value that differs is asserted by its kind, a returned function's calls one by one. */
function loosen(o: Outcome, other?: Outcome): Outcome {
  if ((o.kind === 'returns' || o.kind === 'resolves') && o.calls) {
    const theirs = other?.kind === o.kind ? other.calls : undefined;
    const calls = o.calls.map((c, i) => (theirs?.[i] && sameOutcome(c.outcome, theirs[i].outcome) ? c : { ...c, outcome: loosen(c.outcome, theirs?.[i]?.outcome) }));
    return { ...o, calls };
  }
  if (o.kind === 'returns' || o.kind === 'resolves') return { ...o, code: null, plain: false, state: null };
  if (o.kind === 'throws' || o.kind === 'rejects') return { kind: o.kind, error: { ...o.error, message: '', code: null } };
  return o;
}

/** Whether two recording runs of one test agree on everything a test asserts. */
function agree(a: Ran, b: Ran): boolean {
  return (
    a.steps.length === b.steps.length &&
    a.steps.every((st, i) => sameOutcome(st.outcome, b.steps[i].outcome) && JSON.stringify(st.mutated) === JSON.stringify(b.steps[i].mutated) && st.state === b.steps[i].state) &&
    a.state === b.state &&
    JSON.stringify(a.views) === JSON.stringify(b.views) &&
    JSON.stringify(a.spies) === JSON.stringify(b.spies)
  );
}

/** Keeps the calls (coverage) of run `a` but not the values that differ in run `b`. */
function keepAgreed(a: Ran, b: Ran): void {
  for (let i = 0; i < a.steps.length; i++) {
    const other = b.steps[i];
    if (!other || !sameOutcome(a.steps[i].outcome, other.outcome)) a.steps[i].outcome = loosen(a.steps[i].outcome, other?.outcome);
    if (!other || JSON.stringify(a.steps[i].mutated) !== JSON.stringify(other.mutated)) a.steps[i].mutated = [];
    if (!other || a.steps[i].state !== other.state) a.steps[i].state = null;
  }
  if (a.state !== b.state) a.state = null;
  // Only the observations both runs agree on.
  if (a.views) a.views = a.views.filter((v) => b.views?.some((w) => w.expr === v.expr && w.code === v.code));
  if (a.spies) a.spies = a.spies.filter((sp) => b.spies?.some((o) => JSON.stringify(o) === JSON.stringify(sp)));
}

function uniqueTitle(titles: Set<string>, title: string): string {
  let unique = title;
  for (let i = 2; titles.has(unique); i++) unique = `${title} [${i}]`;
  titles.add(unique);
  return unique;
}

/** Runs each chosen test again with fresh inputs; the second run, as on another machine, drops what differs. */
async function record(s: TargetSearch, chosen: Ran[]): Promise<void> {
  const { result, target } = s;
  const recorded: Array<{ steps: Ran['steps']; cand: Ran['cand'] }> = [];
  // Recording hung once here: the instance is no longer observed (iterating it, or an observer, may not return).
  s.runner.observing = !s.skip.has(`noviews:${target.id}`);
  for (const [k, r] of chosen.entries()) {
    // Logged, so the parent's watchdog sees a long recording phase working, and knows which test to leave out when
    // recording one did not return (it ran in the search, but recording also serialises the state it left).
    if (s.skip.has(`rec:${target.id}:${k}`)) continue;
    s.log({ t: 'r', f: target.id, n: k });
    const a = await s.runner.runOnce(r.cand, true);
    const b = await asOnAnotherMachine(() => s.runner.runOnce(r.cand, true));
    if (a.unreadable || b.unreadable) continue;
    if (!agree(a, b)) {
      result.nondeterministic++;
      keepAgreed(a, b);
    }
    recorded.push({ steps: a.steps, cand: r.cand });
    const title = '';
    const construct = s.target.construct === 'call' ? { construct: 'call' as const } : {};
    result.tests.push({ title, ctor: r.cand.ctorCodes, ...construct, steps: a.steps, state: a.state, views: a.views, ...(a.spies?.length ? { spies: a.spies } : {}), ...(a.random || b.random ? { random: true as const } : {}), blocks: r.blocks.size, boundary: r.cand.boundary });
  }
  // Titles say the input class and the outcome (search-titles.ts), naming what sets each test apart from the others.
  titlesFor({ ...target, methods: s.methods }, recorded).forEach((title, i) => (result.tests[i].title = title));
}

/** The chosen runs shrunk in place (shrink.ts): a fifth of the count budget, the search's time cap as a safety net. */
async function shrinkAll(s: TargetSearch, chosen: Ran[], covering: number): Promise<void> {
  const isClass = s.target.kind === 'class' || s.methods.length > 0;
  const callable = (m: string | null) => (m === null ? s.target : s.methods.find((x) => x.name === m)!);
  await shrinkChosen<Ran['cand'], Ran>(chosen, covering, {
    wanted: (r, exact) => (exact ? { blocks: r.blocks, ending: signature(r) } : behaviourOf(r)),
    key: (c) => JSON.stringify([c.ctorCodes, c.steps.map((st) => [st.method, st.codes])]),
    args: (c) => [...(isClass ? [c.ctor ?? []] : []), ...c.steps.map((st) => st.values)],
    rebuild: (c, args) => {
      const [ctorVals, stepArgs] = isClass ? [args[0], args.slice(1)] : [null, args];
      const next = s.makeCandidate(ctorVals, c.steps.map((st, i) => ({ method: st.method, c: callable(st.method), values: restGroup(callable(st.method), stepArgs[i]) })), { title: c.title, boundary: c.boundary });
      return next && (next.valid || !c.valid) ? next : null;
    },
    run: (c) => s.rerun(c),
    near: [...new Set([s.target, ...s.methods].flatMap((c) => c.constants).filter((x): x is number => typeof x === 'number'))],
  }, { runs: Math.ceil(s.budget.count / 5), until: cpuMs() + s.timeCapMs() });
}
