/**
 * ts/types.ts mirrors the Rust contract (crates/tdd_fast_core/src/model.rs, testgen/types/, testgen/exports.rs). This test holds the
 * two equal: the binding's `contractSampleJson()` is a real analysis of a fixture with every field serialized, plus
 * one value of every TypeShape kind, and each interface's property names must be exactly the keys the core writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { repoRoot } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const binding = require(path.join(repoRoot, 'native', 'binding.js')) as {
  contractSampleJson(): string;
  analyzeSourceJson(code: string, filename: string, options?: { types?: boolean }): string;
};

type Json = Record<string, unknown>;

interface Declared {
  properties: Map<string, { optional: boolean }>;
}

/** Property names of every interface in ts/types.ts, and the members of the TypeShape union by kind. */
function declarations(): { interfaces: Map<string, Declared>; shapes: Map<string, Declared> } {
  const file = path.join(repoRoot, 'ts', 'engine', 'types.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, Declared>();
  const shapes = new Map<string, Declared>();
  const members = (list: ts.NodeArray<ts.TypeElement>): Declared => {
    const properties = new Map<string, { optional: boolean }>();
    for (const member of list) {
      if (ts.isPropertySignature(member) && member.name) {
        properties.set(member.name.getText(source), { optional: Boolean(member.questionToken) });
      }
    }
    return { properties };
  };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, members(statement.members));
    if (ts.isTypeAliasDeclaration(statement) && statement.name.text === 'TypeShape' && ts.isUnionTypeNode(statement.type)) {
      for (const member of statement.type.types) {
        if (!ts.isTypeLiteralNode(member)) continue;
        const declared = members(member.members);
        const kind = member.members.find((m) => ts.isPropertySignature(m) && m.name.getText(source) === 'kind');
        const kindType = kind && ts.isPropertySignature(kind) ? kind.type : undefined;
        const kinds: string[] = [];
        const collect = (node: ts.TypeNode | undefined): void => {
          if (!node) return;
          if (ts.isUnionTypeNode(node)) node.types.forEach(collect);
          else if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) kinds.push(node.literal.text);
        };
        collect(kindType);
        for (const k of kinds) shapes.set(k, declared);
      }
    }
  }
  return { interfaces, shapes };
}

function all(values: unknown): Json[] {
  return Array.isArray(values) ? (values as Json[]) : [];
}

describe('ts/engine/types.ts and the native contract', () => {
  const sample = JSON.parse(binding.contractSampleJson()) as { report: Json; failed: Json; shapes: Json[] };
  const { interfaces, shapes } = declarations();
  const report = sample.report;
  const functions = all(report.functions);
  const classes = all(report.classes);
  const patterns = functions.flatMap((f) => all(f.patterns));
  const usages = functions.map((f) => f.usage as Json);
  const guards = usages.flatMap((u) => all(u.guards));
  const shapeValues = sample.shapes;
  const byKind = (kind: string): Json[] => shapeValues.filter((s) => s.kind === kind);

  const instances: Record<string, Json[]> = {
    FileReport: [report, sample.failed],
    FunctionReport: functions,
    ParamInfo: [...functions.flatMap((f) => all(f.params)), ...classes.flatMap((c) => all(c.constructorParams))],
    Metrics: functions.map((f) => f.metrics as Json),
    EdgeCasePattern: patterns,
    CaseValue: patterns.flatMap((p) => all(p.cases)),
    FunctionUsage: usages,
    ParamUsage: usages.flatMap((u) => all(u.params)),
    Guard: guards,
    GuardCondition: guards.flatMap((g) => all(g.conditions)),
    FunctionConstant: functions.flatMap((f) => all(f.constants)),
    ParamDomain: functions.flatMap((f) => all(f.params)).flatMap((p) => (p.domain ? [p.domain as Json] : [])),
    FileError: all(sample.failed.errors),
    // The fixture has one smell (an empty catch); a function with a long parameter list and deep nesting adds others.
    Smell: [
      ...all(report.smells),
      ...all(
        (JSON.parse(
          binding.analyzeSourceJson(
            'export function f(a, b, c, d, e, f, g, h) { if (a) { if (b) { if (c) { if (d) { if (e) { return 1; } } } } } }',
            'smelly.js',
          ),
        ) as Json).smells,
      ),
    ],
    ClassReport: classes,
    ClassField: classes.flatMap((c) => all(c.fields)),
    ClassMethod: classes.flatMap((c) => all(c.methods)),
    ReExport: all(report.reexports),
    PropertyShape: byKind('object').flatMap((s) => all(s.properties)),
    IndexShape: byKind('object').map((s) => s.index as Json),
    TupleElementShape: byKind('tuple').flatMap((s) => all(s.elements)),
    FunctionParamShape: byKind('function').flatMap((s) => all(s.params)),
    EnumMemberShape: byKind('enum').flatMap((s) => all(s.members)),
  };

  for (const [name, objects] of Object.entries(instances)) {
    it(`${name}: the same field names as the core writes`, () => {
      const declared = interfaces.get(name);
      expect(declared, `interface ${name} in ts/types.ts`).toBeDefined();
      expect(objects.length, `the sample has a ${name}`).toBeGreaterThan(0);
      const written = new Set(objects.flatMap((o) => Object.keys(o)));
      const required = [...declared!.properties].filter(([, p]) => !p.optional).map(([k]) => k);
      expect([...written].filter((k) => !declared!.properties.has(k)), `written by the core, missing in ${name}`).toEqual([]);
      expect(required.filter((k) => !written.has(k)), `declared in ${name}, never written`).toEqual([]);
    });
  }

  // Generation's facts: what only `generate` reads, written only when the analysis asks for them (`types: true`).
  const GENERATION_ONLY: Record<string, string[]> = {
    FunctionReport: ['usage', 'returns', 'constants'],
    ParamInfo: ['shape', 'inferred', 'defaultCase', 'domain'],
    EdgeCasePattern: ['param', 'cases'],
    ClassField: ['shape'],
  };

  it("generation's facts are optional in ts/engine/types.ts and written in full when asked for", () => {
    for (const [name, fields] of Object.entries(GENERATION_ONLY)) {
      for (const field of fields) {
        expect(interfaces.get(name)!.properties.get(field), `${name}.${field}`).toEqual({ optional: true });
        expect(instances[name].every((o) => field in o), `${name}.${field} in the sample (types: true)`).toBe(true);
      }
    }
  });

  it("a plain analysis (analyze, the editor) leaves generation's facts out and keeps everything else", () => {
    const code = [
      'export class Cart { total: number = 0; add(price: number, qty = 1) { if (price < 0) throw new Error("negative"); return price * qty; } }',
      'export function pick(items: string[] | null, mode: "a" | "b") { if (!items) return 0; return mode === "a" ? items.length : 1; }',
    ].join('\n');
    const typed = JSON.parse(binding.analyzeSourceJson(code, 'cart.ts', { types: true })) as Json;
    const plain = JSON.parse(binding.analyzeSourceJson(code, 'cart.ts', {})) as Json;
    const strip = (report: Json): Json => {
      const drop = (o: Json, name: string): Json =>
        Object.fromEntries(Object.entries(o).filter(([k]) => !GENERATION_ONLY[name].includes(k)));
      return {
        ...report,
        functions: all(report.functions).map((f) => ({
          ...drop(f, 'FunctionReport'),
          params: all(f.params).map((p) => drop(p, 'ParamInfo')),
          patterns: all(f.patterns).map((p) => drop(p, 'EdgeCasePattern')),
        })),
        classes: all(report.classes).map((c) => ({
          ...c,
          constructorParams: all(c.constructorParams).map((p) => drop(p, 'ParamInfo')),
          fields: all(c.fields).map((f) => drop(f, 'ClassField')),
        })),
      };
    };
    const fns = all(typed.functions);
    expect(fns.some((f) => all((f.usage as Json).guards).length > 0 && all(f.constants).length > 0)).toBe(true);
    expect(all(plain.functions).map((f) => f.name)).toEqual(['Cart.add', 'pick']);
    // Nothing generation's is written, and everything else is exactly what the analysis for generation writes.
    expect(JSON.stringify(plain)).not.toMatch(/"(usage|returns|constants|inferred|defaultCase|domain|cases|shape)":/);
    expect(plain).toEqual(strip(typed));
  });

  it('every TypeShape kind the core writes is declared, with its fields', () => {
    const kinds = new Set(shapeValues.map((s) => s.kind as string));
    expect([...kinds].filter((k) => !shapes.has(k))).toEqual([]);
    expect([...shapes.keys()].filter((k) => !kinds.has(k))).toEqual([]);
    for (const value of shapeValues) {
      const declared = shapes.get(value.kind as string)!;
      // Optional fields (an unresolved name's `origin`) may be absent; nothing undeclared may be written.
      const required = [...declared.properties].filter(([, p]) => !p.optional).map(([k]) => k);
      expect(Object.keys(value).filter((k) => !declared.properties.has(k)), `fields of kind ${value.kind as string}`).toEqual([]);
      expect(required.filter((k) => !(k in value)), `fields of kind ${value.kind as string}`).toEqual([]);
    }
  });
});
