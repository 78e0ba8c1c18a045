//! Every class of a file, recorded during the pass: its name, lines and member count. Reported per file as `classes`
//! (test generation adds types and members to them, testgen/exports.rs) and read by the large-class rule.

use oxc_ast::ast::Class;
use oxc_ast::AstKind;

use crate::lint::facts::Collector;
use crate::model::ClassReport;

/// Records a class and its span (the span is where a class smell points).
pub fn collect(collector: &mut Collector, class: &Class) {
    let name = match (&class.id, collector.parent()) {
        (Some(id), _) => id.name.to_string(),
        (None, Some(AstKind::VariableDeclarator(d))) => {
            collector.source(oxc_span::GetSpan::span(&d.id)).to_string()
        }
        (None, Some(AstKind::ExportDefaultDeclaration(_))) => "default".to_string(),
        _ => "<class>".to_string(),
    };
    let line = collector.lines.line(class.span.start);
    let end_line = collector
        .lines
        .line(class.span.end.saturating_sub(1).max(class.span.start));
    collector.class_spans.push(class.span);
    collector.classes.push(ClassReport {
        name,
        line,
        end_line,
        members: class.body.body.len() as u32,
        lines: end_line + 1 - line,
        ..Default::default()
    });
}
