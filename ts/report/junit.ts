import type { AnalysisResult } from '../engine/types';
import { comparePaths } from '../ci/shard';
import { findingsOf, type Finding } from './findings';
import type { FormatContext } from './index';

/**
 * JUnit XML as CI dashboards (GitLab `artifacts:reports:junit`, Jenkins, Azure) read it: one test suite per file, one
 * failing test case per finding, and one passing test case for a file without findings (like ESLint's junit format).
 */

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export function junit(result: AnalysisResult, _context?: FormatContext): string {
  const byFile = new Map<string, Finding[]>();
  for (const file of result.files) byFile.set(file.path, []);
  for (const finding of findingsOf(result)) {
    if (!byFile.has(finding.path)) byFile.set(finding.path, []);
    byFile.get(finding.path)!.push(finding);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const [path, findings] of [...byFile].sort(([a], [b]) => comparePaths(a, b))) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteErrors = 0;
    for (const f of findings) {
      const name = `${f.ruleId} at ${f.path}:${f.line}:${f.column}${f.function ? ` (${f.function})` : ''}`;
      const tag = f.ruleId === 'parse-error' ? 'error' : 'failure';
      if (tag === 'error') suiteErrors++;
      else suiteFailures++;
      cases.push(
        `    <testcase name="${xml(name)}" classname="tdd-fast.${xml(f.ruleId)}" file="${xml(f.path)}" line="${f.line}" time="0">\n` +
          `      <${tag} message="${xml(f.message)}" type="${xml(f.severity)}">${xml(
            `${f.severity}: ${f.message}\n  at ${f.path}:${f.line}:${f.column}`,
          )}</${tag}>\n` +
          `    </testcase>`,
      );
    }
    if (!findings.length) {
      cases.push(`    <testcase name="${xml(path)}" classname="tdd-fast" file="${xml(path)}" time="0" />`);
    }
    tests += cases.length;
    failures += suiteFailures;
    errors += suiteErrors;
    suites.push(
      `  <testsuite name="${xml(path)}" package="tdd-fast" tests="${cases.length}" failures="${suiteFailures}" ` +
        `errors="${suiteErrors}" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="tdd-fast" tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(result.summary.ms)}">\n` +
    suites.join('\n') +
    (suites.length ? '\n' : '') +
    `</testsuites>\n`
  );
}
