import type Database from 'better-sqlite3';
import type { Phase, PhaseCounts, SessionRecord, SessionSummary } from './types';
import type { SessionValues } from './values';

/** The store's prepared queries that a summary reads. */
export type SummaryStatements = Record<
  'fileTotals' | 'analysisTotals' | 'generationTotals' | 'fileEventsOfKinds' | 'phaseEvents',
  Database.Statement
>;

/** Everything summary() reports except the engine's cache counters (the store has no engine). */
export function summarizeSession(session: SessionRecord, s: SummaryStatements, values: SessionValues): SessionSummary {
  const id = session.id;
  const files = s.fileTotals.get(id) as { files: number; smells: number | null; fixed: number | null };
  const analysis = s.analysisTotals.get(id) as { n: number; ms: number | null };
  const generation = s.generationTotals.get(id) as {
    tests: number | null;
    written: number | null;
    errors: number | null;
    ms: number | null;
  };
  // Event data kept in files is invisible to json_extract: add those (rare, large) events here.
  for (const row of s.fileEventsOfKinds.all(id) as { kind: string; data_file: string }[]) {
    const data = JSON.parse(values.fileText(row.data_file)) as Record<string, unknown> | null;
    const add = (total: number | null, key: string): number | null => {
      const value = data?.[key];
      return typeof value === 'number' ? (total ?? 0) + value : total;
    };
    if (row.kind === 'analysis') analysis.ms = add(analysis.ms, 'ms');
    else {
      generation.tests = add(generation.tests, 'tests');
      generation.written = add(generation.written, 'written');
      generation.errors = add(generation.errors, 'errors');
      generation.ms = add(generation.ms, 'ms');
    }
  }
  const phaseEvents = s.phaseEvents.all(id) as { at: number; phase: Phase }[];
  const endOfTime = session.endedAt ?? Date.now();
  const phases = tallyPhases(phaseEvents, endOfTime);
  return {
    session,
    filesAnalysed: files.files,
    analyses: analysis.n,
    smellsFound: files.smells ?? 0,
    smellsFixed: files.fixed ?? 0,
    testsGenerated: generation.tests ?? 0,
    testFilesWritten: generation.written ?? 0,
    generationErrors: generation.errors ?? 0,
    phases: phases.counts,
    currentPhase: phases.current,
    cycles: phases.cycles,
    timings: {
      sessionMs: Math.max(0, endOfTime - session.createdAt),
      analysisMs: analysis.ms ?? 0,
      generationMs: generation.ms ?? 0,
      phaseMs: phases.ms,
    },
    cache: null,
  };}

/** Counts phases, red -> green cycles, and time spent per phase from the ordered phase events. */
export function tallyPhases(
  events: readonly { at: number; phase: Phase }[],
  endOfTime: number,
): { counts: PhaseCounts; ms: PhaseCounts; cycles: number; current: Phase | null } {
  const counts: PhaseCounts = { red: 0, green: 0, refactor: 0 };
  const ms: PhaseCounts = { red: 0, green: 0, refactor: 0 };
  let cycles = 0;
  let sawRedSinceGreen = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    counts[event.phase]++;
    const until = i + 1 < events.length ? events[i + 1]!.at : endOfTime;
    ms[event.phase] += Math.max(0, until - event.at);
    if (event.phase === 'red') sawRedSinceGreen = true;
    else if (event.phase === 'green' && sawRedSinceGreen) {
      cycles++;
      sawRedSinceGreen = false;
    }
  }
  return { counts, ms, cycles, current: events.length > 0 ? events[events.length - 1]!.phase : null };
}
