import * as fs from 'node:fs';
import * as path from 'node:path';

import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';

import { format } from '../../ts/report';
import { parseRuleMarkdown } from '../../ts/engine/rule-docs';
import { makeProject, repoRoot, runCli } from '../helpers';
import { syntheticResult } from './synthetic';

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));
// The official schema's `language` pattern is not valid with the `u` flag, hence unicodeRegExp: false.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (value: string) => URL.canParse(value));
ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value) && URL.canParse(value, 'file:///root/'));
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
const validate = ajv.compile(schema);

function expectValidSarif(text: string) {
  const log = JSON.parse(text);
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
  return log;
}

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema and carries every finding with rule metadata', () => {
    const log = expectValidSarif(format(syntheticResult(), 'sarif'));
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('tdd-fast');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(['cognitive-complexity', 'deep-nesting', 'duplicate-code', 'long-function', 'parse-error', 'too-many-params']);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.help.markdown).toContain(rule.shortDescription.text);
    }
    expect(run.results).toHaveLength(6);
    const levels = run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`).sort();
    expect(levels).toEqual([
      'cognitive-complexity:error',
      'deep-nesting:warning',
      'duplicate-code:warning',
      'long-function:warning',
      'parse-error:error',
      'too-many-params:note',
    ]);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).toMatch(/^src\/[a-z]+\.ts$/);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(result.partialFingerprints['tddFast/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    const dup = run.results.find((r: { ruleId: string }) => r.ruleId === 'duplicate-code');
    expect(dup.locations[0].physicalLocation.artifactLocation.uri).toBe('src/cart.ts');
    expect(dup.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe('src/util.ts');
  });

  it('keeps fingerprints when code above a finding moves it down', () => {
    const before = JSON.parse(format(syntheticResult(), 'sarif')).runs[0].results;
    const moved = syntheticResult();
    for (const s of moved.files[0]!.smells) s.line += 5;
    const after = JSON.parse(format(moved, 'sarif')).runs[0].results;
    const prints = (results: Array<{ partialFingerprints: Record<string, string> }>) =>
      results.map((r) => r.partialFingerprints['tddFast/v1']).sort();
    expect(prints(after)).toEqual(prints(before));
  });

  it('is valid for an empty run and for a real run of the CLI', () => {
    expectValidSarif(format({ ...syntheticResult(), files: [], duplicates: [] }, 'sarif'));
    const project = makeProject({
      'src/a.ts': 'export function a(x?: number) { if (x == null) return 0; return x * 2; }\n',
      'src/broken.ts': 'export function b( {\n',
    });
    const run = runCli(['analyze', '--format', 'sarif', '--no-cache'], project);
    expect(run.code).toBe(1);
    const log = expectValidSarif(run.stdout);
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain('parse-error');
  });
});

describe('rule metadata', () => {
  it('comes from the rule docs (## id, **What:** ...)', () => {
    const docs = parseRuleMarkdown(
      '# Rules\n\n## long-function\n\n**What:** a function longer than `threshold` lines\n(default 50).\n\n**Why:** hard to test.\n\n## magic-number\n\n**What:** a bare number.\n',
      (id) => (id === 'magic-number' ? 'info' : undefined),
    );
    expect(docs.map((d) => [d.id, d.summary, d.defaultSeverity])).toEqual([
      ['long-function', 'A function longer than threshold lines (default 50).', 'warning'],
      ['magic-number', 'A bare number.', 'info'],
    ]);
    expect(docs[0]!.description).toContain('**Why:** hard to test.');
  });

  it('SARIF rules carry the engine rule docs of the smells that fired', () => {
    const rules = JSON.parse(format(syntheticResult(), 'sarif')).runs[0].tool.driver.rules as Array<{ id: string; fullDescription: { text: string } }>;
    const longFunction = rules.find((r) => r.id === 'long-function')!;
    expect(longFunction.fullDescription.text).toMatch(/\*\*What:\*\*.*\n[\s\S]*\*\*Why:\*\*/);
  });
});

describe('sarif of a real code base', () => {
  it('validates for this repository\'s own TypeScript, with a rule entry for every result', () => {
    const run = runCli(['analyze', 'ts', '--format', 'sarif', '--no-cache', '--fail-on', 'never'], repoRoot);
    expect(run.code).toBe(0);
    const log = expectValidSarif(run.stdout);
    const ids = new Set(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id));
    for (const result of log.runs[0].results) expect(ids.has(result.ruleId)).toBe(true);
  });
});

describe('github', () => {
  it('prints one workflow command per finding with escaped properties and data', () => {
    const lines = format(syntheticResult(), 'github').trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines).toContain('::error file=src/broken.ts,line=3,endLine=3,col=7,title=tdd-fast(parse-error)::Expected `)` but found `}`');
    expect(lines).toContain(
      '::warning file=src/cart.ts,line=12,endLine=22,title=tdd-fast(long-function)::Function Cart.total has 60 lines (max 50).',
    );
    expect(lines.find((l) => l.includes('too-many-params'))).toBe(
      '::notice file=src/util.ts,line=6,endLine=16,title=tdd-fast(too-many-params)::pad has 6 parameters, "max" 4, 100%25 & more',
    );
    expect(lines.at(-1)).toMatch(/^tdd-fast: 4 files, 5 functions, 4 smells, 1 errors, 1 duplicate blocks$/);
  });
});

describe('junit', () => {
  it('writes one suite per file and one failing case per finding, escaped', () => {
    const xml = format(syntheticResult(), 'junit');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tdd-fast" tests="7" failures="5" errors="1"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(4);
    expect(xml.match(/<failure /g)).toHaveLength(5);
    expect(xml.match(/<error /g)).toHaveLength(1);
    expect(xml).toContain('<testcase name="src/clean.ts" classname="tdd-fast" file="src/clean.ts" time="0" />');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(xml).not.toContain('<script>');
    // Balanced tags: a crude well-formedness check without an XML parser.
    expect(xml.match(/<testsuite /g)!.length).toBe(xml.match(/<\/testsuite>/g)!.length);
  });
});

describe('json', () => {
  it('round-trips the result object', () => {
    expect(JSON.parse(format(syntheticResult(), 'json'))).toEqual(syntheticResult());
  });
});
