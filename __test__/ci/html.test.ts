import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { format } from '../../ts/report';
import { makeProject, runCli } from '../helpers';
import { syntheticResult } from './synthetic';

/** Debian's chromium (apt-get install chromium), driven headless from the command line: no browser download. */
const CHROMIUM = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(
  (p): p is string => !!p && fs.existsSync(p),
);
if (!CHROMIUM) console.warn('html report browser test skipped: no chromium (apt-get install chromium, or set CHROMIUM=<path>)');

function chromium(args: string[], url: string) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-chromium-'));
  try {
    const run = spawnSync(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
        url,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`chromium failed (${run.status}): ${run.stderr}`);
    return run.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function count(dom: string, pattern: RegExp): number {
  return (dom.match(pattern) ?? []).length;
}

/** The source files the synthetic result points at, so the duplicates section can show their code. */
function sources(): Record<string, string> {
  const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `  const ${tag}${i + 1} = compute(${i + 1}); // ${tag} line ${i + 1}`).join('\n');
  return { 'src/cart.ts': lines('cart', 120) + '\n', 'src/util.ts': lines('util', 40) + '\n' };
}

describe.skipIf(!CHROMIUM)('html report in headless Chromium', () => {
  it('renders the summary, hotspots, smells by rule, worst functions, duplicates side by side and edge cases', () => {
    const project = makeProject(sources());
    const page = path.join(project, 'report.html');
    fs.writeFileSync(page, format(syntheticResult(), 'html', { cwd: project }));
    const html = fs.readFileSync(page, 'utf8');
    // Self-contained: no scripts, no external resources.
    expect(html).not.toMatch(/<script|<link |src="http|href="http|@import/i);

    const dom = chromium(['--dump-dom'], pathToFileURL(page).href);
    expect(dom).toContain('<h1>tdd-fast report</h1>');
    expect(dom).toMatch(/data-metric="files"><b>4<\/b>/);
    expect(dom).toMatch(/data-metric="edge-cases"><b>4<\/b>/);
    // Hotspots: one point per function, the worst labelled.
    expect(count(dom, /<circle class="point /g)).toBe(5);
    expect(dom).toMatch(/<circle class="point bad" data-function="Cart.total"/);
    // Smells grouped by rule, the most frequent first.
    expect(count(dom, /<details class="rule" data-rule="/g)).toBe(4);
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Worst functions, worst first.
    const worst = dom.slice(dom.indexOf('id="worst-functions-table"'));
    expect(worst.indexOf('Cart.total')).toBeLessThan(worst.indexOf('slug'));
    expect(count(worst.slice(0, worst.indexOf('</table>')), /<tr>/g)).toBe(6);
    // Duplicates: two panes with the real code of both places.
    expect(count(dom, /<div class="side">/g)).toBe(2);
    expect(dom).toContain('cart80 = compute(80)');
    expect(dom).toContain('util17 = compute(17)');
    expect(dom).toContain('<span class="ln">91</span>');
    // Edge cases per function.
    expect(count(dom, /<details class="fn-cases" /g)).toBe(2);
    expect(dom).toContain('<code>undefined</code>');

    const png = path.join(project, 'report.png');
    chromium([`--screenshot=${png}`, '--window-size=1400,2400'], pathToFileURL(page).href);
    const image = fs.readFileSync(png);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect(image.readUInt32BE(16)).toBe(1400);
    expect(image.readUInt32BE(20)).toBe(2400);
    expect(image.length).toBeGreaterThan(30_000); // a rendered page, not a blank one
    if (process.env.TDD_FAST_KEEP_SCREENSHOT) fs.copyFileSync(png, process.env.TDD_FAST_KEEP_SCREENSHOT);
  });

  it('renders a real run of the CLI written with --output-file', () => {
    const project = makeProject({
      'src/a.ts': 'export function a(x?: number) {\n  if (x == null) return 0;\n  for (let i = 0; i < x; i++) { if (i % 2) { x += i; } }\n  return x;\n}\n',
      'src/b.ts': 'export const b = (s: string) => s.trim();\n',
    });
    const run = runCli(['analyze', 'src', '--format', 'html', '--output-file', 'out/report.html'], project);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const dom = chromium(['--dump-dom'], pathToFileURL(path.join(project, 'out/report.html')).href);
    expect(dom).toMatch(/data-metric="functions"><b>2<\/b>/);
    expect(count(dom, /<circle class="point /g)).toBe(2);
    expect(dom).toContain('No duplicated code found.');
  });
});
