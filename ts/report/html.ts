import * as fs from 'node:fs';
import * as path from 'node:path';

import type { AnalysisResult, Duplicate, DuplicateLocation, FileReport, FunctionReport, Smell } from '../engine/types';
import { compareLocations } from './findings';
import { comparePaths } from '../ci/shard';
import type { FormatContext } from './index';
import { ruleDoc } from '../engine/rule-docs';

/**
 * A self-contained HTML page (inline CSS and SVG, no script, no network): summary, hotspots chart (complexity vs size),
 * smells by rule, worst functions, duplicates side by side, and the edge cases found per function.
 */

const MAX_ROWS = 25;
const MAX_DUPLICATES = 20;
const MAX_EDGE_CASE_FUNCTIONS = 200;
const MAX_POINTS = 2000;

function esc(text: unknown): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface Fn {
  file: FileReport;
  fn: FunctionReport;
  smells: Smell[];
}

function allFunctions(result: AnalysisResult): Fn[] {
  const out: Fn[] = [];
  for (const file of result.files) {
    for (const fn of file.functions) {
      const smells = file.smells.filter((s) => s.function === fn.name && s.line >= fn.line && s.line <= fn.endLine);
      out.push({ file, fn, smells });
    }
  }
  return out;
}

function badness(f: Fn): number {
  const m = f.fn.metrics;
  return m.cognitive * 2 + m.cyclomatic + m.maxDepth + f.smells.length * 5 + m.lines / 20;
}

/** An axis maximum above the value (with headroom) whose quarters are whole numbers. */
function niceMax(value: number): number {
  const target = Math.max(4, value * 1.08);
  const pow = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 1.2, 1.6, 2, 2.4, 3.2, 4, 6, 8, 10]) if (step * pow >= target && Number.isInteger((step * pow) / 4)) return step * pow;
  return 10 * pow;
}

function hotspots(fns: Fn[]): string {
  if (!fns.length) return '<p class="empty">No functions found.</p>';
  const width = 900;
  const height = 420;
  const pad = { left: 56, right: 20, top: 16, bottom: 48 };
  const shown = [...fns].sort((a, b) => badness(b) - badness(a)).slice(0, MAX_POINTS);
  const maxX = niceMax(Math.max(...shown.map((f) => f.fn.metrics.lines)));
  const maxY = niceMax(Math.max(...shown.map((f) => f.fn.metrics.cyclomatic)));
  const x = (v: number) => pad.left + (v / maxX) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / maxY) * (height - pad.top - pad.bottom);
  const ticks = (max: number) => [0, 0.25, 0.5, 0.75, 1].map((t) => Math.round(max * t * 10) / 10);
  const grid = [
    ...ticks(maxX).map(
      (t) =>
        `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${pad.top}" y2="${height - pad.bottom}"/>` +
        `<text class="tick" x="${x(t)}" y="${height - pad.bottom + 18}" text-anchor="middle">${t}</text>`,
    ),
    ...ticks(maxY).map(
      (t) =>
        `<line class="grid" x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}"/>` +
        `<text class="tick" x="${pad.left - 8}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    ),
  ].join('');
  // Label the worst few, once per spot (functions of the same size and complexity share one label).
  const spots = new Set<string>();
  const labelled = new Set(
    shown
      .slice(0, 5)
      .filter((f) => f.fn.metrics.cyclomatic > 1 || f.smells.length)
      .filter((f) => {
        const spot = `${f.fn.metrics.lines}:${f.fn.metrics.cyclomatic}`;
        return !spots.has(spot) && !!spots.add(spot);
      }),
  );
  // Draw the worst last so they sit on top.
  const points = [...shown]
    .reverse()
    .map((f) => {
      const m = f.fn.metrics;
      const r = Math.min(14, 3 + Math.sqrt(m.cognitive) * 1.6);
      const cls = f.smells.some((s) => s.severity === 'error') ? 'bad' : f.smells.length ? 'warn' : 'ok';
      const tip = `${f.fn.name} (${f.file.path}:${f.fn.line}) lines ${m.lines}, cyclomatic ${m.cyclomatic}, cognitive ${m.cognitive}`;
      const label = labelled.has(f)
        ? `<text class="label" x="${x(m.lines) + r + 3}" y="${y(m.cyclomatic) + 4}">${esc(f.fn.name)}</text>`
        : '';
      return (
        `<circle class="point ${cls}" data-function="${esc(f.fn.name)}" cx="${x(m.lines).toFixed(1)}" ` +
        `cy="${y(m.cyclomatic).toFixed(1)}" r="${r.toFixed(1)}"><title>${esc(tip)}</title></circle>${label}`
      );
    })
    .join('');
  return (
    `<svg id="hotspot-chart" role="img" aria-label="Functions by size and complexity" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" preserveAspectRatio="xMidYMid meet">${grid}` +
    `<text class="axis" x="${(pad.left + width - pad.right) / 2}" y="${height - 8}" text-anchor="middle">function length (lines)</text>` +
    `<text class="axis" transform="translate(16 ${(pad.top + height - pad.bottom) / 2}) rotate(-90)" text-anchor="middle">cyclomatic complexity</text>` +
    `${points}</svg>` +
    `<p class="legend"><span class="dot ok"></span>no smells <span class="dot warn"></span>warnings ` +
    `<span class="dot bad"></span>errors · circle size: cognitive complexity` +
    (fns.length > shown.length ? ` · the ${shown.length} worst of ${fns.length} functions shown` : '') +
    `</p>`
  );
}

function smellsByRule(result: AnalysisResult): string {
  const byRule = new Map<string, { file: FileReport; smell: Smell }[]>();
  for (const file of result.files) {
    for (const smell of file.smells) {
      if (!byRule.has(smell.id)) byRule.set(smell.id, []);
      byRule.get(smell.id)!.push({ file, smell });
    }
  }
  if (!byRule.size) return '<p class="empty">No smells found.</p>';
  const rules = [...byRule].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const most = rules[0]![1].length;
  return rules
    .map(([id, items]) => {
      const doc = ruleDoc(id, items[0]!.smell.severity);
      const rows = items
        .slice(0, 100)
        .map(
          ({ file, smell }) =>
            `<tr><td class="sev ${esc(smell.severity)}">${esc(smell.severity)}</td><td><code>${esc(file.path)}:${smell.line}</code></td>` +
            `<td>${esc(smell.function ?? '')}</td><td>${esc(smell.message)}</td></tr>`,
        )
        .join('');
      return (
        `<details class="rule" data-rule="${esc(id)}"><summary><span class="rule-id">${esc(id)}</span>` +
        `<span class="bar ${items.some((i) => i.smell.severity === 'error') ? 'bad' : ''}"><span style="width:${((items.length / most) * 100).toFixed(1)}%"></span></span>` +
        `<span class="count">${items.length}</span></summary><p class="doc">${esc(doc.summary)}</p>` +
        `<table><thead><tr><th>severity</th><th>where</th><th>function</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>` +
        (items.length > 100 ? `<p class="more">and ${items.length - 100} more</p>` : '') +
        `</details>`
      );
    })
    .join('');
}

/** One chip per rule, with a count when a rule fired more than once. */
function chips(smells: Smell[]): string {
  const byRule = new Map<string, { severity: string; count: number }>();
  for (const s of smells) {
    const entry = byRule.get(s.id) ?? { severity: s.severity, count: 0 };
    entry.count++;
    if (s.severity === 'error') entry.severity = 'error';
    byRule.set(s.id, entry);
  }
  return [...byRule]
    .map(([id, { severity, count }]) => `<span class="chip ${esc(severity)}">${esc(id)}${count > 1 ? ` ×${count}` : ''}</span>`)
    .join(' ');
}

function worstFunctions(fns: Fn[]): string {
  if (!fns.length) return '<p class="empty">No functions found.</p>';
  const rows = [...fns]
    .sort((a, b) => badness(b) - badness(a) || comparePaths(a.file.path, b.file.path) || a.fn.line - b.fn.line)
    .slice(0, MAX_ROWS)
    .map((f) => {
      const m = f.fn.metrics;
      return (
        `<tr><td><strong>${esc(f.fn.name)}</strong><br><code>${esc(f.file.path)}:${f.fn.line}</code></td>` +
        `<td class="num">${m.cyclomatic}</td><td class="num">${m.cognitive}</td><td class="num">${m.maxDepth}</td>` +
        `<td class="num">${m.lines}</td><td class="num">${m.params}</td><td class="num">${f.fn.patterns.length}</td>` +
        `<td>${chips(f.smells)}</td></tr>`
      );
    })
    .join('');
  return (
    `<table id="worst-functions-table"><thead><tr><th>function</th><th>cyclomatic</th><th>cognitive</th><th>depth</th>` +
    `<th>lines</th><th>params</th><th>edge cases</th><th>smells</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function readLines(cwd: string, loc: DuplicateLocation, sources: Map<string, string[] | null>): string[] | null {
  if (!sources.has(loc.path)) {
    try {
      sources.set(loc.path, fs.readFileSync(path.resolve(cwd, loc.path), 'utf8').split(/\r?\n/));
    } catch {
      sources.set(loc.path, null);
    }
  }
  const lines = sources.get(loc.path);
  return lines ? lines.slice(Math.max(0, loc.line - 1), loc.endLine) : null;
}

function codePane(cwd: string, loc: DuplicateLocation, sources: Map<string, string[] | null>): string {
  const lines = readLines(cwd, loc, sources);
  const body = lines
    ? lines.map((text, i) => `<span class="ln">${loc.line + i}</span>${esc(text)}`).join('\n')
    : `<span class="missing">source not available here</span>`;
  return `<div class="side"><div class="where"><code>${esc(loc.path)}:${loc.line}-${loc.endLine}</code></div><pre>${body}</pre></div>`;
}

function duplicates(result: AnalysisResult, cwd: string): string {
  if (!result.duplicates.length) return '<p class="empty">No duplicated code found.</p>';
  const sources = new Map<string, string[] | null>();
  const list = [...result.duplicates].sort((a: Duplicate, b: Duplicate) => b.lines - a.lines || b.tokens - a.tokens);
  const blocks = list.slice(0, MAX_DUPLICATES).map((dup) => {
    const [a, b, ...rest] = [...dup.locations].sort(compareLocations);
    const panes = [a, b].filter((l): l is DuplicateLocation => !!l).map((l) => codePane(cwd, l, sources));
    return (
      `<div class="dup"><h3>${dup.lines} lines, ${dup.tokens} tokens, ${dup.locations.length} places</h3>` +
      `<div class="sides">${panes.join('')}</div>` +
      (rest.length ? `<p class="more">also at ${rest.map((l) => `<code>${esc(l.path)}:${l.line}-${l.endLine}</code>`).join(', ')}</p>` : '') +
      `</div>`
    );
  });
  return (
    blocks.join('') +
    (list.length > MAX_DUPLICATES ? `<p class="more">and ${list.length - MAX_DUPLICATES} more duplicate blocks</p>` : '')
  );
}

function edgeCases(fns: Fn[]): string {
  const withCases = fns.filter((f) => f.fn.patterns.length);
  if (!withCases.length) return '<p class="empty">No edge cases found.</p>';
  const shown = [...withCases]
    .sort((a, b) => b.fn.patterns.length - a.fn.patterns.length || comparePaths(a.file.path, b.file.path) || a.fn.line - b.fn.line)
    .slice(0, MAX_EDGE_CASE_FUNCTIONS);
  const items = shown
    .map((f, index) => {
      const rows = f.fn.patterns
        .map(
          (p) =>
            `<tr><td><span class="chip">${esc(p.id)}</span></td><td class="num">${p.line}</td><td><code>${esc(p.subject)}</code></td>` +
            `<td>${p.values.map((v) => `<code>${esc(v)}</code>`).join(' ')}</td><td class="num">${Math.round(p.confidence * 100)}%</td></tr>`,
        )
        .join('');
      const params = f.fn.params.map((p) => p.name).join(', ');
      return (
        `<details class="fn-cases" data-function="${esc(f.fn.name)}"${index < 3 ? ' open' : ''}><summary><strong>${esc(f.fn.name)}(${esc(params)})</strong> ` +
        `<code>${esc(f.file.path)}:${f.fn.line}</code> <span class="count">${f.fn.patterns.length} edge cases</span></summary>` +
        `<table><thead><tr><th>pattern</th><th>line</th><th>subject</th><th>values to test</th><th>confidence</th></tr></thead>` +
        `<tbody>${rows}</tbody></table></details>`
      );
    })
    .join('');
  return items + (withCases.length > shown.length ? `<p class="more">and ${withCases.length - shown.length} more functions</p>` : '');
}

function errors(result: AnalysisResult): string {
  const rows = result.files.flatMap((file) =>
    file.errors.map((e) => `<tr><td><code>${esc(file.path)}:${e.line}:${e.column}</code></td><td>${esc(e.message)}</td></tr>`),
  );
  if (!rows.length) return '';
  return `<section id="errors"><h2>Files with errors</h2><table><tbody>${rows.join('')}</tbody></table></section>`;
}

const CSS = `
:root{--bg:#f7f7f9;--card:#fff;--ink:#1d1f24;--dim:#6b7080;--line:#e3e5ea;--ok:#2f9e6b;--warn:#d98a00;--bad:#d43d3d;--accent:#3d63d4}
@media (prefers-color-scheme:dark){:root{--bg:#15171c;--card:#1e2128;--ink:#e6e8ee;--dim:#9aa0ad;--line:#2e323c}}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{padding:24px 32px 8px}h1{margin:0 0 4px;font-size:22px}header p{margin:0;color:var(--dim)}
main{padding:8px 32px 48px;display:grid;gap:20px}section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px}
h2{margin:0 0 12px;font-size:17px}h3{margin:0 0 8px;font-size:14px;color:var(--dim)}
#summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;background:none;border:0;padding:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}.card b{display:block;font-size:26px}.card span{color:var(--dim)}
.card.bad b{color:var(--bad)}.card.warn b{color:var(--warn)}
svg text{fill:var(--dim);font-size:11px}svg .axis{font-size:12px}svg .label{fill:var(--ink);font-size:11px}
svg .grid{stroke:var(--line)}circle.point{fill-opacity:.55;stroke-width:1}circle.ok{fill:var(--ok);stroke:var(--ok)}
circle.warn{fill:var(--warn);stroke:var(--warn)}circle.bad{fill:var(--bad);stroke:var(--bad)}
.legend{color:var(--dim);margin:4px 0 0}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin:0 4px 0 10px}
.dot.ok{background:var(--ok)}.dot.warn{background:var(--warn)}.dot.bad{background:var(--bad)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--dim);font-weight:600;font-size:12px}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
details{border-bottom:1px solid var(--line);padding:6px 0}summary{cursor:pointer;display:flex;gap:10px;align-items:center}
.rule-id{min-width:190px;font-weight:600}.bar{flex:1;height:10px;background:var(--line);border-radius:5px;overflow:hidden}
.bar span{display:block;height:100%;background:var(--warn)}.bar.bad span{background:var(--bad)}.count{color:var(--dim);min-width:40px;text-align:right}
.doc{color:var(--dim);margin:6px 0}.chip{display:inline-block;padding:1px 7px;border-radius:9px;background:var(--line);font-size:12px}
.chip.error,.sev.error{color:var(--bad)}.chip.warning,.sev.warning{color:var(--warn)}
.dup{margin:0 0 18px}.sides{display:grid;grid-template-columns:1fr 1fr;gap:10px}.side{min-width:0}
.where{padding:4px 0;color:var(--dim)}pre{margin:0;padding:10px;background:var(--bg);border:1px solid var(--line);border-radius:8px;overflow:auto;max-height:420px;font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.ln{display:inline-block;width:3.5em;color:var(--dim);user-select:none}.empty,.more{color:var(--dim)}
`;

export function html(result: AnalysisResult, context?: Partial<FormatContext>): string {
  const cwd = context?.cwd ?? process.cwd();
  const fns = allFunctions(result);
  const s = result.summary;
  const edgeCaseCount = fns.reduce((n, f) => n + f.fn.patterns.length, 0);
  const card = (id: string, value: number, label: string, cls = '') =>
    `<div class="card ${cls}" data-metric="${id}"><b>${value}</b><span>${label}</span></div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>tdd-fast report</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>tdd-fast report</h1><p>${s.files} files analysed in ${s.ms} ms</p></header>
<main>
<section id="summary">
${card('files', s.files, 'files')}${card('functions', s.functions, 'functions')}${card('smells', s.smells, 'smells', s.smells ? 'warn' : '')}${card(
    'errors',
    s.errors,
    'errors',
    s.errors ? 'bad' : '',
  )}${card('duplicates', result.duplicates.length, 'duplicate blocks', result.duplicates.length ? 'warn' : '')}${card(
    'edge-cases',
    edgeCaseCount,
    'edge cases to test',
  )}
</section>
<section id="hotspots"><h2>Hotspots: complexity vs size</h2>${hotspots(fns)}</section>
<section id="smells"><h2>Smells by rule</h2>${smellsByRule(result)}</section>
<section id="worst-functions"><h2>Worst functions</h2>${worstFunctions(fns)}</section>
<section id="duplicates"><h2>Duplicates</h2>${duplicates(result, cwd)}</section>
<section id="edge-cases"><h2>Edge cases per function</h2>${edgeCases(fns)}</section>
${errors(result)}
</main>
</body>
</html>
`;
}
