import * as fs from 'node:fs';
import * as path from 'node:path';

import { native } from './native';
import type { Severity } from './types';

/** What a rule is, for formats that carry rule metadata (SARIF `tool.driver.rules`, the HTML report). */
export interface RuleDoc {
  id: string;
  /** One line: what the rule finds. */
  summary: string;
  /** Why it matters and how to fix it (markdown). */
  description: string;
  defaultSeverity: Severity;
  /** Link to the rule's documentation, when known. */
  helpUri?: string;
}

/** An entry of the core's rule catalogue (`ruleDocsJson()`, see crates/tdd_fast_core/src/catalog.rs). */
interface NativeRuleDoc {
  id: string;
  kind: 'smell' | 'pattern' | 'finding';
  defaultSeverity: Severity | null;
  summary: string;
  /** Markdown, starting with the rule's `## id` heading. */
  doc: string;
}

interface NativeRuleDocs {
  ruleDocsJson?: () => string;
}

/** First paragraph after `**What:**` (or the first paragraph), as plain text. */
function summaryOf(body: string): string {
  const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const what = paragraphs.find((p) => /^\*\*What:\*\*/.test(p)) ?? paragraphs[0] ?? '';
  return what
    .replace(/^\*\*What:\*\*\s*/, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\*\*|`/g, '')
    .trim()
    .replace(/^./, (c) => c.toUpperCase());
}

/** The doc without its `## id` heading and the generated `*Default severity: ...*` line. */
function bodyOf(doc: string): string {
  return doc
    .replace(/^##[^\n]*\n/, '')
    .replace(/^\s*\*Default severity:[^\n]*\n/, '')
    .trim();
}

/**
 * Rule docs from markdown in the rules' own format (`## rule-id`, then **What:** / **Why:** / **Bad:** / **Good:**
 * paragraphs), as in docs/rules.md, whose `*Default severity: x*` lines give the severities.
 */
export function parseRuleMarkdown(markdown: string, severityOf: (id: string) => Severity | undefined = () => undefined): RuleDoc[] {
  const docs: RuleDoc[] = [];
  const sections = markdown.split(/^##[ \t]+/m).slice(1);
  for (const section of sections) {
    const newline = section.indexOf('\n');
    const id = (newline < 0 ? section : section.slice(0, newline)).trim().replace(/`/g, '').split(/\s+/)[0] ?? '';
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) continue;
    const raw = (newline < 0 ? '' : section.slice(newline + 1)).split(/^#[ \t]/m)[0]!.trim();
    const stated = /^\*Default severity: (error|warning|info)\b/.exec(raw)?.[1] as Severity | undefined;
    const body = bodyOf(`## ${id}\n${raw}`);
    if (!body) continue;
    docs.push({ id, summary: summaryOf(body) || id, description: body, defaultSeverity: severityOf(id) ?? stated ?? 'warning' });
  }
  return docs;
}

let cached: Map<string, RuleDoc> | undefined;

/**
 * The rule catalogue: the native core's (`ruleDocsJson()`: every smell, pattern and other finding, documented by its
 * own source file); without a native core (formatting a saved report on a machine without one), docs/rules.md, which
 * is generated from the same catalogue and shipped in the package.
 */
export function ruleDocs(): Map<string, RuleDoc> {
  if (cached) return cached;
  const docs = new Map<string, RuleDoc>();
  try {
    const binding = native() as unknown as NativeRuleDocs;
    if (typeof binding.ruleDocsJson === 'function') {
      for (const entry of JSON.parse(binding.ruleDocsJson()) as NativeRuleDoc[]) {
        docs.set(entry.id, {
          id: entry.id,
          summary: entry.summary || entry.id,
          description: bodyOf(entry.doc) || entry.summary || entry.id,
          defaultSeverity: entry.defaultSeverity ?? 'info',
        });
      }
    }
  } catch {
    // No native core: docs/rules.md below.
  }
  if (!docs.size) {
    try {
      const packageRoot = path.resolve(__dirname, '..', '..');
      for (const doc of parseRuleMarkdown(fs.readFileSync(path.join(packageRoot, 'docs', 'rules.md'), 'utf8'))) {
        docs.set(doc.id, doc);
      }
    } catch {
      // Not shipped: ruleDoc() falls back to a generic entry.
    }
  }
  cached = docs;
  return docs;
}

/** The doc of a rule, or a generic one for a rule the catalogue does not know. */
export function ruleDoc(id: string, severity: Severity = 'warning'): RuleDoc {
  return (
    ruleDocs().get(id) ?? {
      id,
      summary: `tdd-fast rule ${id}`,
      description: `Reported by the tdd-fast rule \`${id}\`. See docs/rules.md in the tdd-fast package.`,
      defaultSeverity: severity,
    }
  );
}
