/**
 * The performance dashboard: a report model built from the history, printed as text or JSON, or rendered as a
 * static HTML page with inline SVG trend charts (no scripts, no network: it opens from a CI artifact as is).
 */
import type { PerfHistory, RunRow, StoredSample } from './history';
import { detectRegressions, type RegressionOptions, type RegressionVerdict } from './regression';
import { detectLeak, type LeakVerdict } from './memory';
import { classifyFlaky, type FlakyReport, type FlakyTest } from './flaky';

export interface ReportOptions {
  regression?: RegressionOptions;
  /** How many slowest tests to list. Default 10. */
  top?: number;
  /** How many runs the trend charts cover. Default 30. */
  runs?: number;
  /** Leak threshold for the heap trend across runs, MB. Default 5. */
  leakThresholdMb?: number;
}

export interface TestTrend {
  testId: string;
  name: string;
  file: string;
  points: { runId: number; durationMs: number }[];
}

export interface FlaggedTest extends RegressionVerdict {
  name: string;
  file: string;
}

export interface OverBudgetTest {
  testId: string;
  name: string;
  file: string;
  durationMs: number;
  budgetMs: number;
}

export interface HeapGrowth extends LeakVerdict {
  testId: string;
  name: string;
  file: string;
}

export interface PerfReport {
  version: 1;
  historyPath: string;
  generatedAt: string;
  runs: RunRow[];
  latestRun: RunRow | null;
  slowest: (StoredSample & { trend: number[] })[];
  regressions: FlaggedTest[];
  suspects: FlaggedTest[];
  overBudget: OverBudgetTest[];
  heapGrowth: HeapGrowth[];
  trends: TestTrend[];
  /** Flaky, changed and failing tests over the charted runs (flaky.ts). */
  flaky: FlakyReport;
}

export function buildReport(history: PerfHistory, options: ReportOptions = {}): PerfReport {
  const runCount = options.runs ?? 30;
  const top = options.top ?? 10;
  const runs = history.runs(runCount);
  const latestRun = runs.length ? runs[runs.length - 1] : null;
  const latest = latestRun ? history.samplesForRun(latestRun.id) : [];
  const byId = new Map(latest.map((s) => [s.testId, s]));
  const window = options.regression?.window ?? 20;
  const confirm = options.regression?.confirmRuns ?? 2;
  const series = history.series(Math.max(runCount, window + confirm + 1), [...byId.keys()]);
  // Judge only tests that ran (and passed) in the latest run.
  const current = series.filter((s) => s.samples.length && s.samples[s.samples.length - 1].runId === latestRun?.id);
  const verdicts = detectRegressions(current, options.regression);
  const label = (v: RegressionVerdict): FlaggedTest => ({
    ...v,
    name: byId.get(v.testId)?.name ?? v.testId,
    file: byId.get(v.testId)?.file ?? '',
  });
  const seriesById = new Map(series.map((s) => [s.testId, s]));
  const trendOf = (testId: string) =>
    (seriesById.get(testId)?.samples ?? []).slice(-runCount).map((p) => ({ ...p }));
  const slowest = latest
    .filter((s) => s.state === 'passed' || s.state === 'failed')
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, top)
    .map((s) => ({ ...s, trend: trendOf(s.testId).map((p) => p.durationMs) }));
  const regressions = verdicts.filter((v) => v.status === 'regression').map(label).sort((a, b) => b.ratio - a.ratio);
  const suspects = verdicts.filter((v) => v.status === 'suspect').map(label).sort((a, b) => b.ratio - a.ratio);
  const overBudget = latest
    .filter((s) => s.budgetMs !== null && s.durationMs > s.budgetMs)
    .map((s) => ({ testId: s.testId, name: s.name, file: s.file, durationMs: s.durationMs, budgetMs: s.budgetMs as number }))
    .sort((a, b) => b.durationMs - a.durationMs);
  const heapGrowth = heapGrowthAcrossRuns(history, runs, latest, options.leakThresholdMb ?? 5);
  const trendIds = [...new Set([...regressions.map((r) => r.testId), ...slowest.map((s) => s.testId)])];
  const trends = trendIds.map((testId) => ({
    testId,
    name: byId.get(testId)?.name ?? testId,
    file: byId.get(testId)?.file ?? '',
    points: trendOf(testId),
  }));
  return {
    version: 1,
    historyPath: history.path,
    generatedAt: new Date().toISOString(),
    runs,
    latestRun,
    slowest,
    regressions,
    suspects,
    overBudget,
    heapGrowth,
    trends,
    flaky: classifyFlaky(history, runCount),
  };
}

/** Heap used after each test, run over run: steady growth across runs hints at a leak in the code under test. */
function heapGrowthAcrossRuns(history: PerfHistory, runs: RunRow[], latest: StoredSample[], thresholdMb: number): HeapGrowth[] {
  if (runs.length < 4) return [];
  const perTest = history.heapDeltas(runs.slice(-10)[0].id);
  const found: HeapGrowth[] = [];
  for (const sample of latest) {
    const deltas = perTest.get(sample.testId);
    if (!deltas || deltas.length < 4) continue;
    // Cumulative retained heap if every run leaked what its delta says.
    let total = 0;
    const cumulative = deltas.map((d) => (total += d));
    const verdict = detectLeak(cumulative, { thresholdMb });
    if (verdict.suspected) found.push({ ...verdict, testId: sample.testId, name: sample.name, file: sample.file });
  }
  return found;
}

const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);
const mb = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values
    .map((v) => bars[max === min ? 0 : Math.min(bars.length - 1, Math.floor(((v - min) / (max - min)) * bars.length))])
    .join('');
}

/** The flaky section of the text report: nothing when every test kept its outcome. */
function flakyLines({ flaky, changed, failing }: FlakyReport): string[] {
  const lines: string[] = [];
  if (flaky.length || failing.length) {
    lines.push('');
    lines.push(`Flaky tests (${flaky.length}), always failing (${failing.length}); \`tdd-fast perf flaky\` lists them:`);
    for (const t of flaky) lines.push(`  ~ ${t.name}  (${t.file})  ${t.failures}/${t.runs} failed, ${t.flips} flip(s)`);
    for (const t of failing) lines.push(`  ✗ ${t.name}  (${t.file})  failed in all ${t.runs} runs`);
  }
  if (changed.length) lines.push(`Outcome changed with the code (${changed.length}): ${changed.map((t) => t.name).join(', ')}`);
  return lines;
}

export function formatReportText(report: PerfReport): string {
  const lines: string[] = [];
  const run = report.latestRun;
  if (!run) return `tdd-fast perf: no runs recorded yet in ${report.historyPath}\n`;
  lines.push(`tdd-fast perf report — ${report.runs.length} run(s) in ${report.historyPath}`);
  lines.push(
    `latest run #${run.id}: ${run.tests} tests, ${run.failed} failed, wall ${ms(run.durationMs)}, ` +
      `test time ${ms(run.testTimeMs)}, peak RSS ${mb(run.rssBytes)}`,
  );
  lines.push(`suite trend (wall time): ${sparkline(report.runs.map((r) => r.durationMs))}`);
  lines.push('');
  lines.push(`Regressions (${report.regressions.length}):`);
  if (report.regressions.length === 0) lines.push('  none');
  for (const r of report.regressions) lines.push(`  ✗ ${r.name}  (${r.file})\n      ${r.reason}`);
  if (report.suspects.length) {
    lines.push(`Suspects, not confirmed by a second run (${report.suspects.length}):`);
    for (const r of report.suspects) lines.push(`  ? ${r.name}  ${r.ratio.toFixed(2)}x (+${r.deltaMs.toFixed(1)} ms)`);
  }
  lines.push('');
  lines.push(`Slowest tests:`);
  for (const s of report.slowest) lines.push(`  ${ms(s.durationMs).padStart(10)}  ${sparkline(s.trend).padEnd(12)} ${s.name}  (${s.file})`);
  if (report.overBudget.length) {
    lines.push('');
    lines.push(`Over budget (${report.overBudget.length}):`);
    for (const o of report.overBudget) lines.push(`  ${ms(o.durationMs)} > ${ms(o.budgetMs)}  ${o.name}  (${o.file})`);
  }
  lines.push(...flakyLines(report.flaky));
  if (report.heapGrowth.length) {
    lines.push('');
    lines.push(`Heap growth across runs (${report.heapGrowth.length}):`);
    for (const h of report.heapGrowth) lines.push(`  ${h.name}: ${h.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A line chart of durations over runs, as an inline SVG string. */
export function trendSvg(points: readonly { runId: number; durationMs: number }[], title: string, width = 560, height = 140): string {
  const pad = { left: 56, right: 12, top: 22, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const values = points.map((p) => p.durationMs);
  const max = Math.max(1e-9, ...values) * 1.1;
  const x = (i: number) => pad.left + (points.length <= 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => pad.top + innerH - (v / max) * innerH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.durationMs).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.durationMs).toFixed(1)}" r="2.5"><title>run #${p.runId}: ${ms(p.durationMs)}</title></circle>`)
    .join('');
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const v = (max / 1.1) * f;
      return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" class="grid"/>` +
        `<text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${ms(v)}</text>`;
    })
    .join('');
  const first = points[0]?.runId ?? 0;
  const last = points[points.length - 1]?.runId ?? 0;
  return (
    `<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `<text x="${pad.left}" y="14" class="title">${escapeHtml(title)}</text>${ticks}` +
    `<path d="${path}" class="line"/>${dots}` +
    `<text x="${pad.left}" y="${height - 6}">run #${first}</text><text x="${width - pad.right}" y="${height - 6}" text-anchor="end">run #${last}</text>` +
    `</svg>`
  );
}

export function renderHtml(report: PerfReport): string {
  const run = report.latestRun;
  const rows = (items: string[]) => items.join('\n');
  const suitePoints = report.runs.map((r) => ({ runId: r.id, durationMs: r.durationMs }));
  const regressionRows = report.regressions.map(
    (r) =>
      `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.file)}</td><td>${ms(r.baselineMs)}</td><td>${ms(r.observedMs)}</td>` +
      `<td class="bad">${r.ratio.toFixed(2)}x</td><td>${escapeHtml(r.reason)}</td></tr>`,
  );
  const slowRows = report.slowest.map(
    (s) => `<tr><td>${escapeHtml(s.name)}</td><td>${escapeHtml(s.file)}</td><td>${ms(s.durationMs)}</td><td>${s.retries}</td><td>${mb(s.heapDeltaBytes)}</td></tr>`,
  );
  const budgetRows = report.overBudget.map(
    (o) => `<tr><td>${escapeHtml(o.name)}</td><td>${escapeHtml(o.file)}</td><td>${ms(o.durationMs)}</td><td>${ms(o.budgetMs)}</td></tr>`,
  );
  const flakyRows = (tests: FlakyTest[], kind: string) =>
    tests.map(
      (t) =>
        `<tr data-kind="${kind}"><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.file)}</td><td>${kind}</td>` +
        `<td>${t.runs}</td><td>${t.failures}</td><td>${t.flips}</td></tr>`,
    );
  const outcomeRows = [
    ...flakyRows(report.flaky.flaky, 'flaky'),
    ...flakyRows(report.flaky.failing, 'failing'),
    ...flakyRows(report.flaky.changed, 'changed'),
  ];
  const charts = report.trends.map(
    (t) => `<figure class="test-trend" data-test-id="${escapeHtml(t.testId)}">${trendSvg(t.points, t.name)}</figure>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tdd-fast performance report</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;max-width:1200px}th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.bad{color:#cf222e;font-weight:600}.muted{color:#57606a}
.summary{display:flex;gap:24px;flex-wrap:wrap}.summary div{background:#f6f8fa;padding:8px 14px;border-radius:6px}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:4px}
svg text{font:11px system-ui,sans-serif;fill:#57606a}svg .title{fill:#1b1f24;font-weight:600}
svg .line{fill:none;stroke:#0969da;stroke-width:2}svg circle{fill:#0969da}svg .grid{stroke:#eaeef2}
</style></head><body>
<h1>tdd-fast performance report</h1>
<p class="muted">History ${escapeHtml(report.historyPath)} · ${report.runs.length} run(s) · generated ${escapeHtml(report.generatedAt)}</p>
${run ? `<div class="summary" id="summary"><div>Latest run <b>#${run.id}</b></div><div><b>${run.tests}</b> tests</div><div><b>${run.failed}</b> failed</div><div>wall <b>${ms(run.durationMs)}</b></div><div>test time <b>${ms(run.testTimeMs)}</b></div><div>peak RSS <b>${mb(run.rssBytes)}</b></div><div>regressions <b class="${report.regressions.length ? 'bad' : ''}">${report.regressions.length}</b></div></div>` : '<p>No runs recorded yet.</p>'}
<h2>Suite duration</h2>
<figure id="suite-trend">${trendSvg(suitePoints, 'Suite wall time per run', 1100, 180)}</figure>
<h2>Regressions</h2>
<table id="regressions"><thead><tr><th>Test</th><th>File</th><th>Baseline</th><th>Now</th><th>Ratio (speed-adjusted)</th><th>Why</th></tr></thead>
<tbody>${regressionRows.length ? rows(regressionRows) : '<tr><td colspan="6">None confirmed.</td></tr>'}</tbody></table>
${report.suspects.length ? `<p class="muted">${report.suspects.length} suspect(s) exceeded the threshold once; they become regressions if the next run confirms them.</p>` : ''}
<h2>Flaky tests</h2>
<p class="muted">Flaky: the outcome changed while the test and the code it imports did not (or it passed only on a retry). Changed: the outcome changed with the code. Failing: failed in every run.</p>
<table id="flaky"><thead><tr><th>Test</th><th>File</th><th>Kind</th><th>Runs</th><th>Failures</th><th>Flips</th></tr></thead>
<tbody>${outcomeRows.length ? rows(outcomeRows) : '<tr><td colspan="6">None: every test kept its outcome.</td></tr>'}</tbody></table>
<h2>Slowest tests (latest run)</h2>
<table id="slowest"><thead><tr><th>Test</th><th>File</th><th>Duration</th><th>Retries</th><th>Heap Δ</th></tr></thead><tbody>${rows(slowRows)}</tbody></table>
${budgetRows.length ? `<h2>Over budget</h2><table id="over-budget"><thead><tr><th>Test</th><th>File</th><th>Duration</th><th>Budget</th></tr></thead><tbody>${rows(budgetRows)}</tbody></table>` : ''}
<h2>Trends per test</h2>
<div class="charts" id="test-trends">${rows(charts)}</div>
</body></html>
`;
}
