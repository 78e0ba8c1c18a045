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

let cached: Map<string, RuleDoc> | undefined;

/**
 * The rule catalogue: the engine's own rule docs (generated from each rule's doc comment, `ruleDocsJson()` in the
 * native core) when it provides them, plus the built-in entries above.
 */
export function ruleDocs(): Map<string, RuleDoc> {
  if (cached) return cached;
  const docs = new Map<string, RuleDoc>();
  for (const doc of BUILT_IN) docs.set(doc.id, doc);
  try {
    const binding = native() as unknown as NativeRuleDocs;
    if (typeof binding.ruleDocsJson === 'function') {
      const list = JSON.parse(binding.ruleDocsJson()) as Array<Partial<RuleDoc> & { id: string }>;
      for (const entry of list) {
        docs.set(entry.id, {
          id: entry.id,
          summary: entry.summary ?? entry.id,
          description: entry.description ?? entry.summary ?? entry.id,
          defaultSeverity: entry.defaultSeverity ?? 'warning',
          helpUri: entry.helpUri,
        });
      }
    }
  } catch {
    // No native core (e.g. formatting a saved report on another machine): the built-in entries and fallbacks do.
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
