//! The rule catalogue: every rule's id, kind, default severity, options and documentation, as data. Front ends get it
//! from the binding (`ruleDocsJson`) for SARIF rule metadata and the HTML report, and docs/rules.md is generated from
//! it. The documentation is each rule file's own `//!` header (smells/*.rs, patterns/*.rs), embedded at build time by
//! build.rs; the findings that no rule file makes (`parse-error`, `duplicate-code`) are documented here.

use serde::Serialize;
use serde_json::Value;

use crate::config::{DUPLICATE_CODE, FINDINGS, PARSE_ERROR};
use crate::lint::patterns::PATTERNS;
use crate::lint::smells::{RuleMeta, RULES};
use crate::model::Severity;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

const PARSE_ERROR_DOC: &str = "## parse-error

**What:** the file could not be read or parsed: a syntax error, text that is not valid UTF-8 or looks binary, a file
larger than `--max-file-size`, nesting deeper than `--max-nesting`, or an analysis over `--file-time-limit`. Its
functions are not analysed until it parses.

**Why:** a file tdd-fast cannot read is a file none of its rules checked; the message names the position or the limit.

**Fix:** correct the syntax error, raise the limit, or leave the file out (`.gitignore`, `exclude`, explicit paths).";

const DUPLICATE_CODE_DOC: &str = "## duplicate-code

**What:** the same run of tokens (at least `duplicates.minTokens` tokens over `duplicates.minLines` lines, jscpd's
defaults 50 and 5) appears in more than one place, within a file or across files. Identifiers and literals are
normalised, so a copy with renamed variables is still a copy.

**Why:** duplicated logic drifts apart when one copy is fixed and the other is not.

**Fix:** extract the shared block into one function and call it from every place.";

/// What a rule is, for front ends (SARIF `tool.driver.rules`, the HTML report, docs/rules.md).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDoc {
    pub id: &'static str,
    /// `smell`, `pattern` (an edge case to test, no severity) or `finding` (parse-error, duplicate-code).
    pub kind: &'static str,
    /// `None` for patterns.
    pub default_severity: Option<Severity>,
    /// The options the rule takes with their defaults (a number, or a list of numbers), in declaration order.
    pub options: Vec<RuleOption>,
    /// One line: the rule's **What:** paragraph as plain text.
    pub summary: String,
    /// The rule's documentation (markdown, starting with its `## id` heading).
    pub doc: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleOption {
    pub name: &'static str,
    pub default: Value,
}

/// The id a doc header declares (`## id` on its first line).
fn heading_id(doc: &str) -> Option<&str> {
    doc.lines()
        .next()?
        .strip_prefix("## ")
        .map(|id| id.trim().trim_matches('`'))
}

/// The doc of the rule file whose header declares `id`.
fn doc_for(docs: &[(&str, &'static str)], id: &str) -> &'static str {
    docs.iter()
        .find(|(_, doc)| heading_id(doc) == Some(id))
        .map_or("", |(_, doc)| *doc)
}

/// The **What:** paragraph (or the first paragraph after the heading) as one line of plain text.
pub fn summary_of(doc: &str) -> String {
    let mut paragraphs = doc
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with("## "));
    let first = paragraphs.clone().next().unwrap_or_default();
    let what = paragraphs
        .find(|p| p.starts_with("**What:**"))
        .unwrap_or(first);
    let plain: String = what
        .trim_start_matches("**What:**")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("**", "")
        .replace('`', "");
    let mut chars = plain.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => plain,
    }
}

fn options_of(meta: &RuleMeta) -> Vec<RuleOption> {
    let numbers = meta.options.iter().map(|(name, default)| RuleOption {
        name,
        default: Value::from(*default),
    });
    let lists = meta.list_options.iter().map(|(name, default)| RuleOption {
        name,
        default: Value::from(default.to_vec()),
    });
    numbers.chain(lists).collect()
}

fn entry(
    id: &'static str,
    kind: &'static str,
    severity: Option<Severity>,
    options: Vec<RuleOption>,
    doc: &str,
) -> RuleDoc {
    RuleDoc {
        id,
        kind,
        default_severity: severity,
        options,
        summary: summary_of(doc),
        doc: doc.to_string(),
    }
}

/// Every rule: the smells in the order the core runs them, the edge-case patterns, then the other findings.
pub fn rule_docs() -> Vec<RuleDoc> {
    let smells = RULES.iter().map(|meta| {
        entry(
            meta.id,
            "smell",
            Some(meta.severity),
            options_of(meta),
            doc_for(SMELL_DOCS, meta.id),
        )
    });
    let patterns = PATTERNS.iter().map(|meta| {
        entry(
            meta.id,
            "pattern",
            None,
            Vec::new(),
            doc_for(PATTERN_DOCS, meta.id),
        )
    });
    let findings = FINDINGS.iter().map(|meta| {
        let doc = match meta.id {
            PARSE_ERROR => PARSE_ERROR_DOC,
            DUPLICATE_CODE => DUPLICATE_CODE_DOC,
            _ => "",
        };
        entry(
            meta.id,
            "finding",
            Some(meta.severity),
            options_of(meta),
            doc,
        )
    });
    smells.chain(patterns).chain(findings).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_doc_from_the_file_named_after_its_id() {
        for (docs, ids) in [
            (SMELL_DOCS, RULES.iter().map(|m| m.id).collect::<Vec<_>>()),
            (PATTERN_DOCS, PATTERNS.iter().map(|m| m.id).collect()),
        ] {
            assert_eq!(docs.len(), ids.len(), "one rule per file: {docs:?}");
            for id in ids {
                let (stem, doc) = docs
                    .iter()
                    .find(|(stem, _)| *stem == id.replace('-', "_"))
                    .unwrap_or_else(|| panic!("no file named after {id}"));
                assert_eq!(heading_id(doc), Some(id), "{stem}.rs documents another id");
                assert!(doc.contains("**What:**"), "{stem}.rs has no **What:**");
            }
        }
    }

    #[test]
    fn the_catalogue_lists_each_rule_once_with_kind_severity_options_and_summary() {
        let docs = rule_docs();
        let mut ids: Vec<&str> = docs.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), docs.len());
        assert_eq!(docs.len(), RULES.len() + PATTERNS.len() + FINDINGS.len());
        let long = docs.iter().find(|d| d.id == "long-function").unwrap();
        assert_eq!(long.kind, "smell");
        assert_eq!(long.default_severity, Some(Severity::Warning));
        assert_eq!(long.options[0].name, "threshold");
        assert_eq!(long.options[0].default, Value::from(50.0));
        assert!(
            long.summary
                .starts_with("A function longer than threshold lines"),
            "{}",
            long.summary
        );
        let parse = docs.iter().find(|d| d.id == "parse-error").unwrap();
        assert_eq!(
            (parse.kind, parse.default_severity),
            ("finding", Some(Severity::Error))
        );
        let null = docs.iter().find(|d| d.id == "null-check").unwrap();
        assert_eq!((null.kind, null.default_severity), ("pattern", None));
        assert!(docs
            .iter()
            .all(|d| !d.summary.is_empty() && d.doc.starts_with("## ")));
    }
}
