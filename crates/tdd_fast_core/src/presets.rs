//! Rule presets: named starting points for the configuration, applied before the config's own `rules`.
//!
//! - `recommended` (the default): what a well-kept TypeScript code base should act on. Style rules that flag a lot of
//!   code nobody would change are off, and the size thresholds are the ones size alone is worth a look at.
//! - `all`: every rule on, at the severity and thresholds its `META` declares (what tdd-fast reported before presets).
//!
//! A preset is data: the differences from `all`, each with the reason, so docs/rules.md shows the table the engine
//! applies: a test below keeps `presets.json` (beside Cargo.toml) equal to [`PRESETS`], and scripts/gen-rules-doc.js
//! writes the docs' presets section from that file.

use serde::Serialize;

use crate::config::Config;
use crate::model::Severity;

/// One difference of a preset from the rules' own defaults.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresetRule {
    pub id: &'static str,
    /// `None` = the rule is off.
    #[serde(serialize_with = "severity_or_off")]
    pub severity: Option<Severity>,
    /// Options that differ from the rule's defaults (name, value).
    #[serde(serialize_with = "options_object")]
    pub options: &'static [(&'static str, f64)],
    pub why: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    pub name: &'static str,
    pub description: &'static str,
    /// The preset a configuration without `"preset"` gets.
    pub default: bool,
    pub rules: &'static [PresetRule],
    /// Duplicate detection's `minTokens` when it differs from the default (50, jscpd's), and why.
    pub duplicate_min_tokens: Option<(u32, &'static str)>,
}

pub const DEFAULT_PRESET: &str = "recommended";

pub static PRESETS: &[Preset] = &[
    Preset {
        name: "recommended",
        description: "What a well-kept code base should act on: noisy style rules off, size thresholds where size alone is worth a look.",
        default: true,
        rules: RECOMMENDED,
        duplicate_min_tokens: Some((
            100,
            "blocks of 50 tokens are five to ten short lines: parallel entry points and option lists that read better \
             side by side; 100 tokens is SonarQube's default for duplicated blocks",
        )),
    },
    Preset {
        name: "all",
        description: "Every rule on, with the severity and thresholds it declares.",
        default: false,
        rules: &[],
        duplicate_min_tokens: None,
    },
];

const RECOMMENDED: &[PresetRule] = &[
    PresetRule {
        id: "magic-number",
        severity: None,
        options: &[],
        why: "flags every number literal outside -1..2 (sizes, status codes, timeouts, indexes); in a well-kept code base \
              most read fine where they stand, and ESLint keeps `no-magic-numbers` opt-in for the same reason",
    },
    PresetRule {
        id: "boolean-parameter",
        severity: None,
        options: &[],
        why: "a judgement about API shape that also flags setters, predicates' options and framework callbacks",
    },
    PresetRule {
        id: "too-many-returns",
        severity: None,
        options: &[],
        why: "guard clauses (early returns) make functions simpler; cognitive complexity already measures what makes \
              many exits hard to follow",
    },
    PresetRule {
        id: "duplicate-string-literal",
        severity: None,
        options: &[],
        why: "repeated messages, keys and test names are usually clearer written out than named",
    },
    PresetRule {
        id: "nested-ternary",
        severity: None,
        options: &[],
        why: "Prettier lays a chained conditional (`a ? x : b ? y : z`) out one case per line, where it reads like an \
              else-if chain; ESLint's `no-nested-ternary` is not in `eslint:recommended`, and the complexity rules \
              still count every branch",
    },
    PresetRule {
        id: "long-function",
        severity: Some(Severity::Warning),
        options: &[("threshold", 80.0)],
        why: "lines are counted with comments and blank lines (like ESLint's `max-lines-per-function`), so 50 flags \
              well-documented functions; a function that is hard to follow is caught by cognitive complexity, length \
              alone is worth a look past 80",
    },
    PresetRule {
        id: "large-file",
        severity: Some(Severity::Warning),
        options: &[("threshold", 1000.0)],
        why: "a module of 500 to 1000 lines with one concern is common in well-kept packages; 1000 is SonarQube's \
              default for its file-length rule",
    },
    PresetRule {
        id: "large-class",
        severity: Some(Severity::Warning),
        options: &[("maxMembers", 35.0)],
        why: "a class with 20 to 35 members (getters and setters count) is often a plain, cohesive API; 35 is \
              SonarQube's default for too many methods",
    },
    PresetRule {
        id: "callback-hell",
        severity: Some(Severity::Warning),
        options: &[("threshold", 4.0)],
        why: "`describe` → `it` → an array or promise callback is three levels of ordinary test code; 4 is SonarQube's \
              default for nested functions",
    },
];

/// The preset of that name, if there is one.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The names, for error messages: `"recommended", "all"`.
pub fn names() -> String {
    PRESETS
        .iter()
        .map(|p| format!("\"{}\"", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Applies a preset's differences to a configuration that holds the rules' own defaults.
pub fn apply(preset: &Preset, config: &mut Config) {
    if let Some((tokens, _)) = preset.duplicate_min_tokens {
        config.duplicates.min_tokens = tokens;
    }
    for rule in preset.rules {
        let Some(settings) = config.rules.get_mut(rule.id) else {
            continue;
        };
        settings.severity = rule.severity;
        for (key, value) in rule.options {
            if let Some(slot) = settings.numbers.get_mut(key) {
                *slot = *value;
            }
        }
    }
}

fn severity_or_off<S: serde::Serializer>(
    severity: &Option<Severity>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match severity {
        None => serializer.serialize_str("off"),
        Some(s) => s.serialize(serializer),
    }
}

fn options_object<S: serde::Serializer>(
    options: &&'static [(&'static str, f64)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(options.len()))?;
    for (key, value) in options.iter() {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::smells::RULES;

    /// `presets.json` is [`PRESETS`] as the docs generator reads it; `UPDATE_PRESETS=1 cargo test -p tdd_fast_core
    /// presets_json` rewrites it after a change to the presets.
    #[test]
    fn presets_json_is_current() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("presets.json");
        let expected = serde_json::to_string_pretty(PRESETS).expect("presets serialize") + "\n";
        if std::env::var_os("UPDATE_PRESETS").is_some() {
            std::fs::write(&file, &expected).expect("write presets.json");
        }
        let current = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            current == expected,
            "{} is stale: run `UPDATE_PRESETS=1 cargo test -p tdd_fast_core presets_json`, then \
             `node scripts/gen-rules-doc.js`",
            file.display()
        );
    }

    #[test]
    fn every_preset_rule_names_a_rule_and_its_options() {
        for preset in PRESETS {
            for rule in preset.rules {
                let meta = RULES
                    .iter()
                    .find(|m| m.id == rule.id)
                    .unwrap_or_else(|| panic!("{}: unknown rule {}", preset.name, rule.id));
                for (key, _) in rule.options {
                    assert!(
                        meta.options.iter().any(|(k, _)| k == key),
                        "{}: {} has no option {key}",
                        preset.name,
                        rule.id
                    );
                }
            }
        }
        assert_eq!(PRESETS.iter().filter(|p| p.default).count(), 1);
        assert_eq!(find(DEFAULT_PRESET).map(|p| p.default), Some(true));
    }

    #[test]
    fn recommended_turns_noisy_rules_off_and_all_keeps_every_rule() {
        let recommended = Config::from_json("{}").unwrap();
        assert_eq!(recommended.rule("magic-number").severity, None);
        assert_eq!(recommended.rule("long-function").number("threshold"), 80.0);
        assert_eq!(recommended.duplicates.min_tokens, 100);
        assert_eq!(
            recommended.rule("empty-catch").severity,
            Some(Severity::Warning)
        );
        let all = Config::from_json(r#"{"preset": "all"}"#).unwrap();
        assert_eq!(all, Config::default());
        assert_eq!(all.rule("magic-number").severity, Some(Severity::Info));
        // The config's own rules apply on top of the preset, whatever the key order.
        let mixed =
            Config::from_json(r#"{"rules": {"magic-number": "warning"}, "preset": "recommended"}"#)
                .unwrap();
        assert_eq!(mixed.rule("magic-number").severity, Some(Severity::Warning));
        let err = Config::from_json(r#"{"preset": "strict"}"#).unwrap_err();
        assert!(
            err.contains("preset") && err.contains("\"recommended\""),
            "{err}"
        );
    }
}
