//! JSDoc types for plain JavaScript: `@param {type} name`, `@param {type} [name=default]`, `@param {type} opts.key`
//! (a property of an object parameter), `@returns {type}` / `@return {type}`.
//!
//! The type text is JSDoc's dialect of TypeScript's: `*` and `?` (any), `Array.<T>`, `Object.<K, V>` (a record),
//! `?T` (nullable), `!T`, `T=` (optional), `...T` (rest), `function(a, b)`. It is rewritten to TypeScript type
//! syntax and parsed with oxc on a small allocator of its own, then lowered like an annotation.

use super::syntax::{self, ObjectExpr, PropExpr, TypeExpr};
use super::TypeShape;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsDoc {
    /// (name, type, optional, rest)
    pub params: Vec<JsDocParam>,
    pub returns: Option<TypeExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsDocParam {
    pub name: String,
    pub ty: TypeExpr,
    pub optional: bool,
    pub rest: bool,
}

impl JsDoc {
    pub fn param(&self, name: &str) -> Option<&JsDocParam> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// The JSDoc block that ends right before `anchor` (only whitespace between), as its text without `/**` and `*/`.
pub fn block_before<'t>(text: &'t str, comments: &[(u32, u32)], anchor: u32) -> Option<&'t str> {
    let i = comments.partition_point(|&(_, end)| end <= anchor);
    let (start, end) = *comments.get(i.checked_sub(1)?)?;
    let between = text.get(end as usize..anchor as usize)?;
    if !between.trim().is_empty() {
        return None;
    }
    let body = text.get(start as usize..end as usize)?;
    let body = body.strip_prefix("/**")?.strip_suffix("*/")?;
    Some(body)
}

/// Parses the tags of a JSDoc block.
pub fn parse(block: &str) -> Option<JsDoc> {
    if !block.contains("@param") && !block.contains("@arg") && !block.contains("@return") {
        return None;
    }
    // One string without the leading `*` of every line.
    let cleaned: String = block
        .lines()
        .map(|l| l.trim_start().trim_start_matches('*'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut doc = JsDoc::default();
    let mut rest = cleaned.as_str();
    while let Some(at) = rest.find('@') {
        rest = &rest[at + 1..];
        let tag_end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        rest = &rest[tag_end..];
        let is_param = matches!(tag, "param" | "arg" | "argument");
        let is_return = matches!(tag, "returns" | "return");
        if !is_param && !is_return {
            continue;
        }
        let after = rest.trim_start();
        let Some((type_text, after_type)) = braced(after) else {
            continue;
        };
        rest = after_type;
        let (ty, optional_marker, rest_marker) = parse_type_text(type_text);
        if is_return {
            doc.returns = Some(ty);
            continue;
        }
        let after_type = after_type.trim_start();
        let (mut name, optional_name) = if let Some(inner) = after_type.strip_prefix('[') {
            let close = inner.find(']').unwrap_or(inner.len());
            let inner = &inner[..close];
            (
                inner.split('=').next().unwrap_or("").trim().to_string(),
                true,
            )
        } else {
            let end = after_type
                .find(|c: char| c.is_whitespace())
                .unwrap_or(after_type.len());
            (after_type[..end].to_string(), false)
        };
        if name.is_empty() {
            continue;
        }
        if let Some(stripped) = name.strip_prefix("...") {
            name = stripped.to_string();
        }
        let optional = optional_marker || optional_name;
        // `opts.key`: a property of the object parameter `opts`.
        if let Some((parent, key)) = name.split_once('.') {
            let key = key.trim_end_matches("[]");
            if let Some(p) = doc.params.iter_mut().find(|p| p.name == parent) {
                add_property(&mut p.ty, key, ty, optional);
            }
            continue;
        }
        doc.params.push(JsDocParam {
            name,
            ty,
            optional,
            rest: rest_marker,
        });
    }
    (!doc.params.is_empty() || doc.returns.is_some()).then_some(doc)
}

fn add_property(parent: &mut TypeExpr, key: &str, ty: TypeExpr, optional: bool) {
    let is_plain_object = matches!(parent, TypeExpr::Ref(n, a) if (n == "Object" || n == "object") && a.is_empty())
        || matches!(parent, TypeExpr::Shape(TypeShape::Object { properties, .. }) if properties.is_empty());
    if is_plain_object {
        *parent = TypeExpr::Object(ObjectExpr::default());
    }
    if let TypeExpr::Object(object) = parent {
        if !key.contains('.') {
            object.props.push(PropExpr {
                name: key.to_string(),
                ty,
                optional,
                readonly: false,
            });
        }
    }
}

/// `{...}` with nested braces at the start of `text`: (inside, after).
fn braced(text: &str) -> Option<(&str, &str)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != '{' {
        return None;
    }
    let mut depth = 1;
    for (i, c) in chars {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&text[1..i], &text[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// JSDoc type text -> (type, optional `T=`, rest `...T`).
pub fn parse_type_text(text: &str) -> (TypeExpr, bool, bool) {
    let mut t = text.trim().to_string();
    let mut optional = false;
    let mut rest = false;
    if let Some(stripped) = t.strip_suffix('=') {
        t = stripped.trim().to_string();
        optional = true;
    }
    if let Some(stripped) = t.strip_prefix("...") {
        t = stripped.trim().to_string();
        rest = true;
    }
    let mut nullable = false;
    if t.len() > 1 {
        if let Some(stripped) = t.strip_prefix('?') {
            t = stripped.to_string();
            nullable = true;
        } else if let Some(stripped) = t.strip_prefix('!') {
            t = stripped.to_string();
        }
    }
    if t == "*" || t == "?" || t.is_empty() {
        return (TypeExpr::Shape(TypeShape::Any), optional, rest);
    }
    let t = t.replace(".<", "<").replace("Object<", "Record<");
    let ty = if t.starts_with("function(") || t.starts_with("function (") {
        TypeExpr::Ref("Function".to_string(), Vec::new())
    } else {
        parse_ts_type(&t).unwrap_or_else(|| TypeExpr::Opaque(syntax::short_text(&t)))
    };
    let ty = if nullable {
        TypeExpr::Union(vec![ty, TypeExpr::Shape(TypeShape::Null)])
    } else {
        ty
    };
    (ty, optional, rest)
}

/// Parses TypeScript type text (`string | number[]`) with oxc.
fn parse_ts_type(text: &str) -> Option<TypeExpr> {
    if text.len() > 2000 {
        return None;
    }
    let source = format!("type T = {text};");
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, &source, oxc_span::SourceType::ts()).parse();
    if !parsed.diagnostics.is_empty() {
        return None;
    }
    match parsed.program.body.first()? {
        oxc_ast::ast::Statement::TSTypeAliasDeclaration(alias) => {
            Some(syntax::lower(&alias.type_annotation, &source))
        }
        _ => None,
    }
}
