//! ## large-class
//!
//! **What:** a class with more than `maxMembers` members (default 20: methods, accessors, properties, the
//! constructor, static blocks) or more than `maxLines` lines (default 300).
//!
//! **Why:** a "god class" gathers state and behaviour that change for different reasons; its tests need large
//! fixtures and break for unrelated changes.
//!
//! **Bad:** `class App` with 60 methods for routing, persistence, rendering and logging.
//!
//! **Good:** `Router`, `Store`, `View` and `Logger` composed by a small `App`.

use super::{smell, RuleContext, RuleMeta};
use crate::config::RuleSettings;
use crate::model::{Severity, Smell};

pub const META: RuleMeta = RuleMeta {
    id: "large-class",
    severity: Severity::Warning,
    options: &[("maxMembers", 20.0), ("maxLines", 300.0)],
    list_options: &[],
    check,
    collects: None,
};

fn check(ctx: &RuleContext, settings: &RuleSettings, out: &mut Vec<Smell>) {
    let max_members = settings.number("maxMembers");
    let max_lines = settings.number("maxLines");
    for (class, span) in ctx.classes.iter().zip(ctx.class_spans) {
        let (value, threshold, what) = if f64::from(class.members) > max_members {
            (class.members, max_members, "members")
        } else if f64::from(class.lines) > max_lines {
            (class.lines, max_lines, "lines")
        } else {
            continue;
        };
        out.push(smell(
            &META,
            settings,
            ctx.loc(*span),
            None,
            f64::from(value),
            threshold,
            format!(
                "class {} has {value} {what} (maximum {threshold})",
                class.name
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::smells::test_support::smells;

    #[test]
    fn flags_classes_with_too_many_members_or_lines() {
        let members: String = (0..21).map(|i| format!("  m{i}() {{}}\n")).collect();
        let code = format!("class Big {{\n{members}}}\nclass Small {{ a() {{}} }}");
        let found = smells(&code, "large-class", "");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value, 21.0);
        assert!(found[0].message.contains("Big"));
        let by_lines = smells(
            &code,
            "large-class",
            r#"{"rules":{"large-class":{"maxMembers":100,"maxLines":10}}}"#,
        );
        assert!(by_lines[0].message.contains("lines"));
    }
}
