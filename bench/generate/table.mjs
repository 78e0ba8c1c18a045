/**
 * The bench's markdown: one row per package or app, then the medians, the worst quartile, and the totals the issue's
 * "Done when" list is checked against. A pure function of the saved rows (`--render` re-prints an earlier run).
 */
import { median } from './measure.mjs';

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const pct = (n) => (Number.isFinite(n) ? `${n.toFixed(1)}%` : '—');
const int = (n) => (Number.isFinite(n) ? String(n) : '—');
const sum = (rows, key) => rows.reduce((n, r) => n + (Number.isFinite(r[key]) ? r[key] : 0), 0);

/** The value below which the worst quarter of the rows lie (nearest rank on the sorted values). */
export function lowerQuartile(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.max(0, Math.ceil(v.length / 4) - 1)];
}

/** The rows in the worst quarter by statements (ties broken by branches), at least one. */
export function worstQuartile(rows) {
  const scored = rows.filter((r) => Number.isFinite(r.statements));
  const n = Math.max(1, Math.ceil(scored.length / 4));
  return [...scored].sort((a, b) => a.statements - b.statements || (a.branches ?? 0) - (b.branches ?? 0)).slice(0, n);
}

export function summarize(rows) {
  const m = (key, of = rows) => median(of.map((r) => r[key]));
  const multi = rows.filter((r) => r.kind === 'ts-multi');
  const apps = rows.filter((r) => r.kind === 'app');
  const packages = rows.filter((r) => r.kind !== 'app');
  const kept = sum(rows, 'kept');
  const passed = rows.reduce((n, r) => n + (Number.isFinite(r.passRate) ? (r.passRate * r.kept) / 100 : 0), 0);
  return {
    targets: rows.filter((r) => !r.notMeasured).length,
    statements: m('statements'),
    branches: m('branches'),
    mutation: m('mutation'),
    multiTsStatements: multi.length ? m('statements', multi) : NaN,
    multiTs: multi.length,
    packages: { count: packages.length, statements: m('statements', packages), branches: m('branches', packages) },
    apps: { count: apps.length, statements: m('statements', apps), branches: m('branches', apps) },
    passRate: m('passRate'),
    throwShare: m('throwShare'),
    recordS: m('recordS'),
    msPerFunction: m('msPerFunction'),
    p25: { statements: lowerQuartile(rows.map((r) => r.statements)), branches: lowerQuartile(rows.map((r) => r.branches)), mutation: lowerQuartile(rows.map((r) => r.mutation)) },
    worst: worstQuartile(rows).map((r) => r.package),
    kept,
    keptPassingAll: kept ? (100 * passed) / kept : NaN,
    throws: sum(rows, 'throws'),
    // NaN for rows saved before the bench counted them
    illTypedThrows: rows.some((r) => 'illTypedThrows' in r) ? sum(rows, 'illTypedThrows') : NaN,
    staticMsPerFunction: m('msPerFunction'),
    todo: sum(rows, 'todo'),
    zeroTestFiles: sum(rows, 'zeroTestFiles'),
    // NaN for rows saved before the bench told them apart
    typesOnlyFiles: rows.some((r) => 'typesOnlyFiles' in r) ? sum(rows, 'typesOnlyFiles') : NaN,
    emitted: sum(rows, 'emitted'),
    unparsable: sum(rows, 'unparsable'),
    asNever: sum(rows, 'asNever'),
    tsFiles: sum(rows, 'tsFiles'),
    tsErrors: sum(rows, 'tsErrors'),
    tsErrorFiles: sum(rows, 'tsErrorFiles'),
    failed: rows.filter((r) => r.errors?.length).length,
  };
}

export function table(rows, { reruns, stryker }) {
  const head = [
    'package',
    'kind',
    'files',
    'functions',
    '`--record` s',
    'tests kept',
    'TODO',
    '0-test files',
    'unparsable',
    '`as never`',
    'tsc errors (files)',
    `pass ${reruns}/${reruns}`,
    'statements',
    'branches',
    'expect a throw',
    'mutation (mutants)',
    'errors',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 || i === head.length - 1 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const mutation = !stryker ? 'not run' : Number.isFinite(r.mutation) ? `${pct(r.mutation)}${r.mutants ? ` (${r.mutants})` : ''}` : '—';
    const errors = (r.errors ?? []).join('; ').replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 300);
    const files = r.capped ? `${r.files}/${r.totalFiles}` : int(r.files);
    const ts = r.tsFiles ? `${int(r.tsErrors)} (${int(r.tsErrorFiles)}/${r.tsFiles})` : '—';
    lines.push(
      `| ${[r.package, r.kind ?? r.shape ?? '', files, int(r.functions), fmt(r.recordS), int(r.kept ?? 0), int(r.todo), int(r.zeroTestFiles), int(r.unparsable), int(r.asNever), ts, pct(r.passRate), pct(r.statements), pct(r.branches), pct(r.throwShare), mutation, errors].join(' | ')} |`,
    );
  }
  const s = summarize(rows);
  lines.push(
    `| **median** (${s.targets}) | | | | ${fmt(s.recordS)} | | | | | | | ${pct(s.passRate)} | ${pct(s.statements)} | ${pct(s.branches)} | ${pct(s.throwShare)} | ${stryker ? pct(s.mutation) : 'not run'} | |`,
    `| **worst quartile** (25th percentile) | | | | | | | | | | | | ${pct(s.p25.statements)} | ${pct(s.p25.branches)} | | ${stryker ? pct(s.p25.mutation) : ''} | |`,
    '',
    `- Worst quartile by statements: ${s.worst.join(', ') || 'none'}.`,
    `- Several-file TypeScript (${s.multiTs}): median statements ${pct(s.multiTsStatements)}.`,
    ...(s.apps.count && s.packages.count
      ? [
          `- Packages alone (${s.packages.count}): median statements ${pct(s.packages.statements)}, branches ${pct(s.packages.branches)}; ` +
            `apps alone (${s.apps.count}): ${pct(s.apps.statements)}, ${pct(s.apps.branches)}.`,
        ]
      : []),
    `- Tests kept: ${s.kept}, of which ${pct(s.keptPassingAll)} passed all ${reruns} reruns; ${s.throws} (${pct(s.kept ? (100 * s.throws) / s.kept : NaN)}) expect a throw, ` +
      `${int(s.illTypedThrows)} of them with an ill-typed argument (a tsc error in the test, or \`as never\`); ${s.todo} TODOs.`,
    `- Median \`--record\` ${fmt(s.recordS)} s per target; static generation ${fmt(s.staticMsPerFunction, 2)} ms per function (median).`,
    `- Source files that export code and ended with 0 kept tests: ${s.zeroTestFiles}` +
      `${Number.isNaN(s.typesOnlyFiles) ? '' : ` (not counted: ${s.typesOnlyFiles} measured files that export only types and constants)`}. Emitted files: ${s.emitted}, of which ${s.unparsable} do not parse as their extension's language; \`as never\`: ${s.asNever}.`,
    `- \`tsc --noEmit --strict\` over ${s.tsFiles} generated TypeScript files: ${s.tsErrors} errors in ${s.tsErrorFiles} files.`,
    `- Targets with an error in their row: ${s.failed}.`,
    '',
    'A package with nothing generated counts 0% statements/branches/mutation; pass rate and throw share are medians over ' +
      'the targets that kept tests; mutation is measured on single-file packages only. `files` reads `n/total` when a ' +
      'large source folder was measured on a seeded subset.',
  );
  return lines.join('\n');
}
