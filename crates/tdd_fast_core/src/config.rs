//! The analysis configuration: per-rule severity (or off) and thresholds, include/exclude globs, duplicate detection
//! settings, patterns on/off. It reaches the core as JSON text (from `tdd-fast.config.json`, a `tdd-fast` key in
//! package.json, and CLI flags merged by the TypeScript front) and is validated here, so every front end gets the
//! same clear errors: an unknown key or an invalid value names the key (`rules.long-function.threshold`).
//!
//! ```json
//! { "rules": { "long-function": { "severity": "error", "threshold": 80 }, "magic-number": "off",
//!              "large-class": { "maxMembers": 30 }, "magic-number": { "ignore": [0, 1, 24, 60] } },
//!   "include": ["src/**"], "exclude": ["**/*.test.ts"],
//!   "duplicates": { "enabled": true, "minTokens": 50, "minLines": 5 },
//!   "patterns": true }
//! ```
//!
//! Everything here is part of the cache key (`Debug` output; only ordered maps, so it is deterministic).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::lint::smells::{RuleMeta, RULES};
use crate::model::Severity;

/// Findings no smell rule makes, configured like the rules (`"rules": { "parse-error": "warning" }`,
/// `--rule duplicate-code=off`): a file's errors (syntax, unreadable, too large...) and cross-file duplicate blocks.
/// `parse-error` off leaves the errors out of the reports; `duplicate-code` off turns duplicate detection off.
pub static FINDINGS: &[RuleMeta] = &[
    RuleMeta {
        id: PARSE_ERROR,
        severity: Severity::Error,
        options: &[],
        list_options: &[],
        check: no_check,
        collects: None,
    },
    RuleMeta {
        id: DUPLICATE_CODE,
        severity: Severity::Warning,
        options: &[],
        list_options: &[],
        check: no_check,
        collects: None,
    },
];

pub const PARSE_ERROR: &str = "parse-error";
pub const DUPLICATE_CODE: &str = "duplicate-code";

/// Their findings are made by the reader, the parser and the duplicate finder, not by a check over facts.
fn no_check(
    _: &crate::lint::smells::RuleContext,
    _: &RuleSettings,
    _: &mut Vec<crate::model::Smell>,
) {
}

/// Every configurable rule: the smells, then the other findings.
pub fn all_rules() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().chain(FINDINGS)
}

/// One rule's effective settings: `None` severity = off; every option the rule declares, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSettings {
    pub severity: Option<Severity>,
    pub numbers: BTreeMap<&'static str, f64>,
    pub lists: BTreeMap<&'static str, Vec<f64>>,
}

impl RuleSettings {
    fn defaults(meta: &RuleMeta) -> Self {
        Self {
            severity: Some(meta.severity),
            numbers: meta.options.iter().copied().collect(),
            lists: meta
                .list_options
                .iter()
                .map(|(k, v)| (*k, v.to_vec()))
                .collect(),
        }
    }

    /// A numeric option the rule declares (its default when not configured).
    pub fn number(&self, key: &str) -> f64 {
        self.numbers.get(key).copied().unwrap_or(0.0)
    }

    pub fn list(&self, key: &str) -> &[f64] {
        self.lists.get(key).map_or(&[], |v| v.as_slice())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateSettings {
    pub enabled: bool,
    /// A duplicate block has at least this many tokens (jscpd's default: 50)...
    pub min_tokens: u32,
    /// ...and spans at least this many lines (jscpd's default: 5).
    pub min_lines: u32,
    /// The severity of each block (the `duplicate-code` rule's).
    pub severity: Severity,
}

impl Default for DuplicateSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            min_tokens: 50,
            min_lines: 5,
            severity: Severity::Warning,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Every known rule, by id.
    pub rules: BTreeMap<&'static str, RuleSettings>,
    /// Globs over paths relative to the root; empty = everything the walk finds.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub duplicates: DuplicateSettings,
    /// Edge-case patterns per function.
    pub patterns: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            rules: all_rules()
                .map(|m| (m.id, RuleSettings::defaults(m)))
                .collect(),
            include: Vec::new(),
            exclude: Vec::new(),
            duplicates: DuplicateSettings::default(),
            patterns: true,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "$schema",
    "preset",
    "rules",
    "include",
    "exclude",
    "duplicates",
    "patterns",
];
const SEVERITIES: &str = "\"off\", \"info\", \"warning\" or \"error\"";

fn err(key: &str, problem: impl std::fmt::Display) -> String {
    format!("tdd-fast config: {key}: {problem}")
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 40 {
        format!("{}...", &text[..37])
    } else {
        text
    }
}

fn severity(key: &str, value: &Value) -> Result<Option<Severity>, String> {
    match value.as_str() {
        Some("off") => Ok(None),
        Some("info") => Ok(Some(Severity::Info)),
        Some("warning" | "warn") => Ok(Some(Severity::Warning)),
        Some("error") => Ok(Some(Severity::Error)),
        _ => Err(err(
            key,
            format!("expected {SEVERITIES}, got {}", describe(value)),
        )),
    }
}

fn number(key: &str, value: &Value) -> Result<f64, String> {
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(err(
            key,
            format!("expected a number >= 0, got {}", describe(value)),
        )),
    }
}

fn strings(key: &str, value: &Value) -> Result<Vec<String>, String> {
    let bad = || {
        err(
            key,
            format!("expected an array of glob strings, got {}", describe(value)),
        )
    };
    let items = value.as_array().ok_or_else(bad)?;
    let globs = items
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
        .collect::<Result<Vec<_>, _>>()?;
    for glob in &globs {
        globset::Glob::new(glob).map_err(|e| err(key, format!("invalid glob {glob:?}: {e}")))?;
    }
    Ok(globs)
}

impl Config {
    /// Parses and validates configuration JSON; the error text names the offending key. Empty text is `{}`: the
    /// default preset (`Config::default()` is every rule at its declared defaults, the `all` preset).
    pub fn from_json(text: &str) -> Result<Config, String> {
        if text.trim().is_empty() {
            return Config::from_value(&Value::Object(Default::default()));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| format!("tdd-fast config: not valid JSON: {e}"))?;
        Config::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Config, String> {
        let mut config = Config::default();
        let object = value.as_object().ok_or_else(|| {
            format!(
                "tdd-fast config: expected an object, got {}",
                describe(value)
            )
        })?;
        // The preset first, whatever the key order: the config's own settings apply on top of it.
        let preset = match object.get("preset") {
            None => crate::presets::DEFAULT_PRESET,
            Some(v) => v
                .as_str()
                .filter(|n| crate::presets::find(n).is_some())
                .ok_or_else(|| {
                    err(
                        "preset",
                        format!("expected {}, got {}", crate::presets::names(), describe(v)),
                    )
                })?,
        };
        if let Some(preset) = crate::presets::find(preset) {
            crate::presets::apply(preset, &mut config);
        }
        for (key, value) in object {
            match key.as_str() {
                "$schema" | "preset" => {}
                "rules" => config.apply_rules(value)?,
                "include" => config.include = strings("include", value)?,
                "exclude" => config.exclude = strings("exclude", value)?,
                "patterns" => {
                    config.patterns = value.as_bool().ok_or_else(|| {
                        err(
                            "patterns",
                            format!("expected true or false, got {}", describe(value)),
                        )
                    })?
                }
                "duplicates" => config.apply_duplicates(value)?,
                other => {
                    return Err(format!(
                        "tdd-fast config: unknown key \"{other}\" (known keys: {})",
                        TOP_KEYS.join(", ")
                    ))
                }
            }
        }
        match config.rule(DUPLICATE_CODE).severity {
            Some(severity) => config.duplicates.severity = severity,
            None => config.duplicates.enabled = false,
        }
        Ok(config)
    }

    /// The severity of a file's errors; `None` when `parse-error` is off (the reports leave them out).
    pub fn error_severity(&self) -> Option<Severity> {
        self.rule(PARSE_ERROR).severity
    }

    fn apply_duplicates(&mut self, value: &Value) -> Result<(), String> {
        if let Some(enabled) = value.as_bool() {
            self.duplicates.enabled = enabled;
            return Ok(());
        }
        let object = value.as_object().ok_or_else(|| {
            err(
                "duplicates",
                format!("expected true, false or an object, got {}", describe(value)),
            )
        })?;
        for (key, v) in object {
            let path = format!("duplicates.{key}");
            match key.as_str() {
                "enabled" => {
                    self.duplicates.enabled = v.as_bool().ok_or_else(|| {
                        err(
                            &path,
                            format!("expected true or false, got {}", describe(v)),
                        )
                    })?
                }
                "minTokens" => self.duplicates.min_tokens = number(&path, v)?.max(1.0) as u32,
                "minLines" => self.duplicates.min_lines = number(&path, v)? as u32,
                _ => {
                    return Err(err(
                        &path,
                        "unknown key (known: enabled, minTokens, minLines)",
                    ))
                }
            }
        }
        Ok(())
    }

    fn apply_rules(&mut self, value: &Value) -> Result<(), String> {
        let object = value.as_object().ok_or_else(|| {
            err(
                "rules",
                format!("expected an object of rule ids, got {}", describe(value)),
            )
        })?;
        for (id, setting) in object {
            let path = format!("rules.{id}");
            let Some(meta) = all_rules().find(|m| m.id == id) else {
                let known: Vec<&str> = all_rules().map(|m| m.id).collect();
                return Err(format!(
                    "tdd-fast config: unknown rule \"{id}\" in {path} (known rules: {})",
                    known.join(", ")
                ));
            };
            let rule = self
                .rules
                .get_mut(meta.id)
                .expect("every rule has settings");
            match setting {
                Value::String(_) => rule.severity = severity(&path, setting)?,
                Value::Number(_) => {
                    let key = meta.options.first().map(|(k, _)| *k).ok_or_else(|| {
                        err(&path, "this rule has no threshold; use a severity string")
                    })?;
                    rule.numbers.insert(key, number(&path, setting)?);
                }
                Value::Object(options) => {
                    for (key, v) in options {
                        let option_path = format!("{path}.{key}");
                        if key == "severity" {
                            rule.severity = severity(&option_path, v)?;
                        } else if let Some((k, _)) = meta.options.iter().find(|(k, _)| k == key) {
                            rule.numbers.insert(k, number(&option_path, v)?);
                        } else if let Some((k, _)) = meta.list_options.iter().find(|(k, _)| k == key) {
                            let bad = || {
                                err(
                                    &option_path,
                                    format!("expected an array of numbers, got {}", describe(v)),
                                )
                            };
                            let list = v
                                .as_array()
                                .ok_or_else(bad)?
                                .iter()
                                .map(|n| n.as_f64().ok_or_else(bad))
                                .collect::<Result<Vec<_>, _>>()?;
                            rule.lists.insert(k, list);
                        } else {
                            let mut known = vec!["severity"];
                            known.extend(meta.options.iter().map(|(k, _)| *k));
                            known.extend(meta.list_options.iter().map(|(k, _)| *k));
                            return Err(err(
                                &option_path,
                                format!("unknown option (known: {})", known.join(", ")),
                            ));
                        }
                    }
                }
                _ => {
                    return Err(err(
                        &path,
                        format!(
                            "expected {SEVERITIES} or an object with \"severity\" and thresholds, got {}",
                            describe(setting)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    pub fn rule(&self, id: &str) -> &RuleSettings {
        self.rules.get(id).expect("known rule id")
    }

    /// Include/exclude as a matcher over root-relative, forward-slash paths.
    pub fn path_filter(&self) -> PathFilter {
        let build = |globs: &[String]| {
            if globs.is_empty() {
                return None;
            }
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                if let Ok(g) = globset::Glob::new(glob) {
                    builder.add(g);
                }
            }
            builder.build().ok()
        };
        PathFilter {
            include: build(&self.include),
            exclude: build(&self.exclude),
        }
    }
}

pub struct PathFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl PathFilter {
    /// Whether a root-relative path is analysed.
    pub fn accepts(&self, relative: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(relative))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_every_rule() {
        let config = Config::from_json(r#"{"preset": "all"}"#).unwrap();
        assert_eq!(config.rules.len(), RULES.len() + FINDINGS.len());
        assert_eq!(config.error_severity(), Some(Severity::Error));
        assert_eq!(config.duplicates.severity, Severity::Warning);
        assert_eq!(config.rule("long-function").number("threshold"), 50.0);
    }

    #[test]
    fn severities_thresholds_and_lists_apply() {
        let config = Config::from_json(
            r#"{"rules": {"long-function": {"severity": "error", "threshold": 80}, "empty-catch": "off",
                "long-parameter-list": 6, "magic-number": {"ignore": [0, 60]}},
                "duplicates": {"minTokens": 30}, "exclude": ["**/*.test.ts"]}"#,
        )
        .unwrap();
        let long = config.rule("long-function");
        assert_eq!(long.severity, Some(Severity::Error));
        assert_eq!(long.number("threshold"), 80.0);
        assert_eq!(config.rule("empty-catch").severity, None);
        assert_eq!(config.rule("long-parameter-list").number("threshold"), 6.0);
        assert_eq!(config.rule("magic-number").list("ignore"), &[0.0, 60.0]);
        assert_eq!(config.duplicates.min_tokens, 30);
        let filter = config.path_filter();
        assert!(filter.accepts("src/a.ts"));
        assert!(!filter.accepts("src/a.test.ts"));
    }

    #[test]
    fn parse_error_and_duplicate_code_are_configured_like_rules() {
        let config = Config::from_json(
            r#"{"rules": {"parse-error": "warning", "duplicate-code": {"severity": "error"}}}"#,
        )
        .unwrap();
        assert_eq!(config.error_severity(), Some(Severity::Warning));
        assert_eq!(config.duplicates.severity, Severity::Error);
        assert!(config.duplicates.enabled);
        let off =
            Config::from_json(r#"{"rules": {"parse-error": "off", "duplicate-code": "off"}}"#)
                .unwrap();
        assert_eq!(off.error_severity(), None);
        assert!(!off.duplicates.enabled);
        let e = Config::from_json(r#"{"rules": {"parse-error": {"threshold": 3}}}"#).unwrap_err();
        assert!(e.contains("rules.parse-error.threshold"), "{e}");
    }

    #[test]
    fn errors_name_the_key() {
        let e = |json: &str| Config::from_json(json).unwrap_err();
        assert!(e(r#"{"rulez": {}}"#).contains("\"rulez\""));
        assert!(e(r#"{"rules": {"long-fn": "off"}}"#).contains("rules.long-fn"));
        assert!(e(r#"{"rules": {"long-function": {"threshold": "x"}}}"#)
            .contains("rules.long-function.threshold"));
        assert!(
            e(r#"{"rules": {"long-function": {"max": 3}}}"#).contains("rules.long-function.max")
        );
        assert!(e(r#"{"rules": {"long-function": "loud"}}"#).contains("rules.long-function"));
        assert!(e(r#"{"include": "src"}"#).contains("include"));
        assert!(e(r#"{"duplicates": {"minToken": 3}}"#).contains("duplicates.minToken"));
        assert!(e(r#"{"patterns": 1}"#).contains("patterns"));
        assert!(e("{").contains("not valid JSON"));
    }
}
