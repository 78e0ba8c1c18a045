/**
 * Flaky tests told apart from changed and failing ones, from the perf history's outcomes (passed, failed, passed on
 * a retry) and the two hashes stored with each (the test's own source, the code it imported):
 * - flaky: its outcome flipped between two runs while both hashes stayed the same, or it passed only on a retry;
 * - changed: its outcome flipped, and every flip came with a changed hash;
 * - failing: it failed in every run of the window.
 * A hash that is unknown (null: an older history, or no module graph) never proves a change, so such flips count as
 * flaky only when both sides are known and equal; unknown ones count as changed.
 */
import type { OutcomeRow, PerfHistory } from './history';

export interface FlakyTest {
  /** `file > suite > name`, as everywhere in the history. */
  id: string;
  file: string;
  name: string;
  /** Runs in the window in which the test passed or failed. */
  runs: number;
  failures: number;
  /** Outcome changes between consecutive runs, plus passes that needed a retry. */
  flips: number;
}

export interface FlakyReport {
  flaky: FlakyTest[];
  changed: FlakyTest[];
  failing: FlakyTest[];
}

type Outcome = 'passed' | 'failed' | 'retried';

function outcomeOf(row: OutcomeRow): Outcome {
  if (row.state === 'failed') return 'failed';
  return row.retries > 0 ? 'retried' : 'passed';
}

const sameKnown = (a: string | null, b: string | null) => a !== null && a === b;

/** Failures, flips and the flips no code change explains (same known hashes on both sides, or a pass on retry). */
function countFlips(rows: readonly OutcomeRow[]): { failures: number; flips: number; unexplained: number } {
  let failures = 0;
  let flips = 0;
  let unexplained = 0;
  rows.forEach((row, i) => {
    const outcome = outcomeOf(row);
    if (outcome === 'failed') failures++;
    // A pass that needed a retry flipped inside one run, on the same code.
    if (outcome === 'retried') {
      flips++;
      unexplained++;
    }
    if (i === 0 || (outcomeOf(rows[i - 1]) === 'failed') === (outcome === 'failed')) return;
    flips++;
    const previous = rows[i - 1];
    if (sameKnown(previous.sourceHash, row.sourceHash) && sameKnown(previous.depsHash, row.depsHash)) unexplained++;
  });
  return { failures, flips, unexplained };
}

/** Classifies one test's outcomes (oldest first); null when it is stable. */
export function classifyTest(rows: readonly OutcomeRow[]): { kind: keyof FlakyReport; test: FlakyTest } | null {
  if (rows.length === 0) return null;
  const last = rows[rows.length - 1];
  const { failures, flips, unexplained } = countFlips(rows);
  const test: FlakyTest = { id: last.testId, file: last.file, name: last.name, runs: rows.length, failures, flips };
  if (failures === rows.length) return { kind: 'failing', test };
  if (unexplained > 0) return { kind: 'flaky', test };
  if (flips > 0) return { kind: 'changed', test };
  return null;
}

/** Classifies every test seen in the last `runs` runs of the history. */
export function classifyFlaky(history: PerfHistory, runs = 30): FlakyReport {
  const report: FlakyReport = { flaky: [], changed: [], failing: [] };
  const rows = history.outcomes(runs);
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i < rows.length && rows[i].testId === rows[start].testId) continue;
    const verdict = classifyTest(rows.slice(start, i));
    if (verdict) report[verdict.kind].push(verdict.test);
    start = i;
  }
  const order = (a: FlakyTest, b: FlakyTest) => b.flips - a.flips || b.failures - a.failures || a.id.localeCompare(b.id);
  report.flaky.sort(order);
  report.changed.sort(order);
  report.failing.sort(order);
  return report;
}

/** The text listing of `tdd-fast perf flaky`. */
export function formatFlakyText(report: FlakyReport, runs: number): string {
  const lines: string[] = [];
  const section = (title: string, tests: FlakyTest[], why: string) => {
    lines.push(`${title} (${tests.length}): ${why}`);
    if (tests.length === 0) lines.push('  none');
    for (const t of tests) lines.push(`  ${t.name}  (${t.file})  ${t.failures}/${t.runs} failed, ${t.flips} flip(s)`);
  };
  section('Flaky', report.flaky, 'the outcome changed with the test and the code it imports unchanged');
  section('Changed', report.changed, 'the outcome changed with the test or the code it imports');
  section('Failing', report.failing, `failed in every one of the last runs (window: ${runs} runs)`);
  return `${lines.join('\n')}\n`;
}
