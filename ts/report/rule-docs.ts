import * as fs from 'node:fs';
import * as path from 'node:path';

import { native } from '../native';
import type { Severity } from '../types';
import { DUPLICATE_CODE, PARSE_ERROR } from './findings';

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

/** Rules that are not smells: they are produced by the reader and the duplicate finder. */
const BUILT_IN: RuleDoc[] = [
  {
    id: PARSE_ERROR,
    summary: 'The file could not be read or parsed.',
    description:
      'The file has a syntax error, is not valid UTF-8, looks binary, is larger than `--max-file-size`, or could not be ' +
      'read. Its functions are not analysed until it parses. Fix the syntax error (the message names the position) or ' +
      'exclude the file through `.gitignore` / explicit paths.',
    defaultSeverity: 'error',
  },
  {
    id: DUPLICATE_CODE,
    summary: 'The same block of code appears in more than one place.',
    description:
      'A run of tokens is repeated (identifiers and literals included, like jscpd). Duplicated logic drifts apart when ' +
      'one copy is fixed and the other is not. Extract the shared block into one function and call it from every place.',
    defaultSeverity: 'warning',
  },
];

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

/**
 * Rule docs from markdown in the rules' own format (`## rule-id`, then **What:** / **Why:** / **Bad:** / **Good:**
 * paragraphs), as in docs/rules.md and in the `//!` header of each rule's source file.
 */
export function parseRuleMarkdown(markdown: string, severityOf: (id: string) => Severity | undefined = () => undefined): RuleDoc[] {
  const docs: RuleDoc[] = [];
  const sections = markdown.split(/^##[ \t]+/m).slice(1);
  for (const section of sections) {
    const newline = section.indexOf('\n');
    const id = (newline < 0 ? section : section.slice(0, newline)).trim().replace(/`/g, '').split(/\s+/)[0] ?? '';
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) continue;
    const body = (newline < 0 ? '' : section.slice(newline + 1)).split(/^#[ \t]/m)[0]!.trim();
    if (!body) continue;
    docs.push({ id, summary: summaryOf(body) || id, description: body, defaultSeverity: severityOf(id) ?? 'warning' });
  }
  return docs;
}

/** In a clone: the `//!` headers of the rule sources (smells and patterns), with each smell's default severity. */
function docsFromSources(root: string): RuleDoc[] {
  const out: RuleDoc[] = [];
  for (const kind of ['smells', 'patterns']) {
    const dir = path.join(root, 'crates', 'tdd_fast_core', 'src', kind);
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.rs') && n !== 'mod.rs');
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const header = text
        .split('\n')
        .filter((line) => line.startsWith('//!'))
        .map((line) => line.replace(/^\/\/! ?/, ''))
        .join('\n');
      const severity = /severity:\s*Severity::(Error|Warning|Info)/.exec(text)?.[1]?.toLowerCase() as Severity | undefined;
      out.push(...parseRuleMarkdown(header, () => severity));
    }
  }
  return out;
}

let cached: Map<string, RuleDoc> | undefined;

/**
 * The rule catalogue, from the rule docs: the native core's `ruleDocsJson()` when it has one, else docs/rules.md (shipped
 * in the package, generated from each rule's doc comment), else (in a clone) the rule sources' doc comments; plus the
 * built-in entries above for findings that are not smells.
 */
export function ruleDocs(): Map<string, RuleDoc> {
  if (cached) return cached;
  const docs = new Map<string, RuleDoc>();
  for (const doc of BUILT_IN) docs.set(doc.id, doc);
  const add = (list: RuleDoc[]) => {
    for (const doc of list) if (!docs.has(doc.id) || BUILT_IN.every((b) => b.id !== doc.id)) docs.set(doc.id, doc);
  };
  const packageRoot = path.resolve(__dirname, '..', '..');
  add(docsFromSources(packageRoot));
  try {
    add(parseRuleMarkdown(fs.readFileSync(path.join(packageRoot, 'docs', 'rules.md'), 'utf8'), (id) => docs.get(id)?.defaultSeverity));
  } catch {
    // Not generated yet.
  }
  try {
    const binding = native() as unknown as NativeRuleDocs;
    if (typeof binding.ruleDocsJson === 'function') {
      const list = JSON.parse(binding.ruleDocsJson()) as Array<Partial<RuleDoc> & { id: string }>;
      add(
        list.map((entry) => ({
          id: entry.id,
          summary: entry.summary ?? entry.id,
          description: entry.description ?? entry.summary ?? entry.id,
          defaultSeverity: entry.defaultSeverity ?? 'warning',
          helpUri: entry.helpUri,
        })),
      );
    }
  } catch {
    // No native core (e.g. formatting a saved report on another machine): the other sources do.
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
