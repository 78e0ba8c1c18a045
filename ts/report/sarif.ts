import type { AnalysisResult, Severity } from '../engine/types';
import { findingsOf, fingerprint, type Finding } from './findings';
import type { FormatContext } from './index';
import { ruleDoc } from '../engine/rule-docs';

/**
 * SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: one run, the rules that fired with their docs, one result per
 * finding with a relative `%SRCROOT%` location and a partial fingerprint that survives line shifts.
 */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub's `security-severity`-free ranking: problem.severity is error | warning | recommendation. */
const PROBLEM_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

function toolVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** A rule id as a PascalCase name (SARIF `reportingDescriptor.name`). */
function ruleName(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function uri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function location(path: string, line: number, endLine: number, column?: number, endColumn?: number) {
  const end = Math.max(line, endLine);
  // SARIF's endColumn is exclusive, like ESLint's; it must not end before the start on a one-line region.
  const hasEnd = endColumn !== undefined && endColumn > 0 && (end > line || endColumn > (column ?? 1));
  return {
    physicalLocation: {
      artifactLocation: { uri: uri(path), uriBaseId: '%SRCROOT%' },
      region: {
        startLine: line,
        endLine: end,
        ...(column ? { startColumn: column } : {}),
        ...(hasEnd ? { endColumn } : {}),
      },
    },
  };
}

export function sarif(result: AnalysisResult, _context?: FormatContext): string {
  const findings = findingsOf(result);
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const severityOf = new Map<string, Severity>();
  for (const f of findings) if (!severityOf.has(f.ruleId)) severityOf.set(f.ruleId, f.severity);

  const rules = ruleIds.map((id) => {
    const doc = ruleDoc(id, severityOf.get(id));
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: doc.summary },
      fullDescription: { text: doc.description },
      help: { text: doc.description, markdown: `**${doc.summary}**\n\n${doc.description}` },
      ...(doc.helpUri ? { helpUri: doc.helpUri } : {}),
      defaultConfiguration: { level: LEVEL[doc.defaultSeverity] },
      properties: {
        tags: ['maintainability', 'tdd-fast'],
        precision: 'very-high',
        'problem.severity': PROBLEM_SEVERITY[doc.defaultSeverity],
      },
    };
  });

  const seen = new Map<string, number>();
  const results = findings.map((f: Finding) => {
    const occurrence = seen.get(f.key) ?? 0;
    seen.set(f.key, occurrence + 1);
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(f.path, f.line, f.endLine, f.column, f.endColumn)],
      ...(f.related.length
        ? {
            relatedLocations: f.related.map((r, id) => ({
              id,
              ...location(r.path, Math.max(1, r.line), Math.max(1, r.endLine)),
              message: { text: 'duplicate' },
            })),
          }
        : {}),
      partialFingerprints: { 'tddFast/v1': fingerprint(f.key, occurrence) },
      ...(f.function ? { properties: { function: f.function } } : {}),
    };
  });

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tdd-fast',
            version: toolVersion(),
            semanticVersion: toolVersion(),
            informationUri: 'https://www.npmjs.com/package/tdd-fast',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory tdd-fast ran in.' } } },
        results,
        invocations: [
          {
            executionSuccessful: true,
            ...(result.warnings?.length
              ? { toolExecutionNotifications: result.warnings.map((w) => ({ level: 'warning', message: { text: w } })) }
              : {}),
          },
        ],
        properties: { summary: result.summary },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
