//! Type syntax as owned data: type annotations lowered to [`TypeExpr`] while the AST is alive, and a file's type
//! declarations, function signatures, imports and exports collected into [`FileTypes`] from its top-level statements
//! (and the bodies of `namespace`s). Nothing is resolved here; see resolve.rs.

use std::collections::HashMap;

use oxc_ast::ast::*;
use oxc_span::GetSpan;

use super::{number_code, quote, EnumMemberShape, LiteralValue, TypeShape};

/// An unresolved type: the annotation's structure, names still names.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    /// Already final: keywords and literals.
    Shape(TypeShape),
    Union(Vec<TypeExpr>),
    Intersection(Vec<TypeExpr>),
    Array(Box<TypeExpr>, bool),
    Tuple(Vec<TupleExpr>),
    Object(ObjectExpr),
    Function(Vec<ParamExpr>, Box<TypeExpr>),
    /// A named type (`Foo`, `ns.Foo`, `Array<T>`), with its type arguments.
    Ref(String, Vec<TypeExpr>),
    /// `readonly T[]` / `readonly [A, B]`.
    Readonly(Box<TypeExpr>),
    /// Syntax the model does not represent (conditional, mapped, `keyof`, `typeof x`, template literal types): its text.
    Opaque(String),
    /// `T['key']`, `T[number]`, `T[0]`: the object, the index, and the text (what is left when it cannot be looked up).
    Indexed(Box<TypeExpr>, Box<TypeExpr>, String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TupleExpr {
    pub ty: TypeExpr,
    pub optional: bool,
    pub rest: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectExpr {
    pub props: Vec<PropExpr>,
    pub index: Option<Box<(TypeExpr, TypeExpr)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PropExpr {
    pub name: String,
    pub ty: TypeExpr,
    pub optional: bool,
    pub readonly: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamExpr {
    pub name: String,
    pub ty: Option<TypeExpr>,
    pub optional: bool,
    pub rest: bool,
}

/// A function's signature as declared (`declare function`, `.d.ts`, class members).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FnSig {
    pub params: Vec<ParamExpr>,
    pub returns: Option<TypeExpr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeParam {
    pub name: String,
    pub default: Option<TypeExpr>,
    /// `T extends C`: what every `T` is (a function's own type parameters are bound to it, see resolve.rs).
    pub constraint: Option<TypeExpr>,
}

/// A class as declared: what a test needs to construct it and look at it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassDecl {
    pub constructor: Option<FnSig>,
    pub fields: Vec<FieldDecl>,
    /// Methods and accessors with their signatures (name, static, signature).
    pub methods: Vec<(String, bool, FnSig)>,
    /// The class this one extends, when it is a plain name.
    pub extends: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub name: String,
    pub ty: Option<TypeExpr>,
    pub is_static: bool,
    pub readonly: bool,
    pub optional: bool,
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decl {
    Interface {
        params: Vec<TypeParam>,
        extends: Vec<TypeExpr>,
        body: ObjectExpr,
    },
    Alias {
        params: Vec<TypeParam>,
        ty: TypeExpr,
    },
    Enum(Vec<EnumMemberShape>),
    Class(Box<ClassDecl>),
}

/// Where an imported name comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The module specifier as written (`./x`, `../lib/y.js`, `lodash`).
    pub from: String,
    /// The exported name, `default`, or `*` for `import * as ns`.
    pub imported: String,
}

/// A re-export: `export { a as b } from './x'` (name `b`, imported `a`), `export * from './x'` (name and imported `*`),
/// `export * as ns from './x'` (name `ns`, imported `*`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReExportDecl {
    pub name: String,
    pub from: String,
    pub imported: String,
}

/// Everything about a file's types that resolution needs, owned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileTypes {
    /// Declared types by local name (namespace members as `N.X`).
    pub decls: HashMap<String, Decl>,
    /// Declared function signatures by local name (`declare function f`, overloads: the first; `N.f` in namespaces).
    pub functions: HashMap<String, FnSig>,
    /// Variables declared with a type (`declare const f: (a: string) => void`).
    pub values: HashMap<String, TypeExpr>,
    pub imports: HashMap<String, Import>,
    /// Exported name -> local name (`export interface X`, `export { X as Y }`, `export default X` as `default`).
    pub exports: HashMap<String, String>,
    /// `export = X` (CommonJS-style declaration files).
    pub export_assignment: Option<String>,
    pub reexports: Vec<ReExportDecl>,
    /// The overload signatures of a function or method, by the span start of its implementation (the function node
    /// with the body): callers may only pass what one of them declares (see [`Overload`]).
    pub overloads: HashMap<u32, Vec<Overload>>,
}

/// One overload signature (`function f(a: string): X;` before `function f(...args: any[]) { ... }`): the
/// implementation's own signature is not callable from outside, so a test calls the function as an overload says.
#[derive(Debug, Clone, PartialEq)]
pub struct Overload {
    /// The parameters as the report writes them (name, annotation text, optional, rest), shapes still to resolve.
    pub params: Vec<crate::model::Param>,
    /// Each parameter's annotation, aligned with `params`.
    pub types: Vec<Option<TypeExpr>>,
    pub returns: Option<TypeExpr>,
    pub type_params: Vec<TypeParam>,
}

/// The overload a bodiless function declares.
fn overload_of(f: &Function<'_>, text: &str) -> Overload {
    let lowered = lower_params(&f.params, text);
    let texts = f
        .params
        .items
        .iter()
        .map(|p| p.type_annotation.as_ref())
        .chain(f.params.rest.iter().map(|r| r.type_annotation.as_ref()))
        .map(|t| t.map(|t| source(text, t.type_annotation.span()).to_string()));
    let params = lowered
        .iter()
        .zip(texts)
        .map(|(p, ty)| crate::model::Param {
            name: p.name.clone(),
            r#type: ty,
            optional: p.optional,
            default_value: None,
            rest: p.rest,
            shape: None,
            inferred: None,
            default_case: None,
            domain: None,
        })
        .collect();
    Overload {
        params,
        types: lowered.into_iter().map(|p| p.ty).collect(),
        returns: f
            .return_type
            .as_ref()
            .map(|t| lower(&t.type_annotation, text)),
        type_params: lower_type_params(f.type_parameters.as_deref(), text),
    }
}

/// Overloads gathered while walking a run of declarations of one name: bodiless ones are held until the declaration
/// with a body (the implementation) takes them; anything else in between drops them.
#[derive(Default)]
struct OverloadRun {
    name: Option<String>,
    held: Vec<Overload>,
}

impl OverloadRun {
    fn see(
        &mut self,
        name: &str,
        f: &Function<'_>,
        text: &str,
        out: &mut HashMap<u32, Vec<Overload>>,
    ) {
        if self.name.as_deref() != Some(name) {
            self.name = Some(name.to_string());
            self.held.clear();
        }
        if f.body.is_none() {
            self.held.push(overload_of(f, text));
        } else {
            if !self.held.is_empty() {
                out.insert(f.span.start, std::mem::take(&mut self.held));
            }
            self.name = None;
        }
    }

    fn other(&mut self) {
        self.name = None;
        self.held.clear();
    }
}

/// The overloads of a class's constructor and methods, by their implementation's function node.
fn class_overloads(class: &Class<'_>, text: &str, out: &mut HashMap<u32, Vec<Overload>>) {
    let mut run = OverloadRun::default();
    for element in &class.body.body {
        match element {
            ClassElement::MethodDefinition(m) => {
                let name = format!(
                    "{}{}",
                    if m.r#static { "static " } else { "" },
                    key_name(&m.key, text)
                );
                run.see(&name, &m.value, text, out);
            }
            _ => run.other(),
        }
    }
}

/// The function a top-level statement declares (plain, exported, or the default export), with its name.
fn declared_function<'b, 'a>(statement: &'b Statement<'a>) -> Option<(String, &'b Function<'a>)> {
    let f = match statement {
        Statement::FunctionDeclaration(f) => f,
        Statement::ExportDeclaration(e) => match &e.declaration {
            Declaration::FunctionDeclaration(f) => f,
            _ => return None,
        },
        Statement::ExportDefaultDeclaration(e) => match &e.declaration {
            ExportDefaultDeclarationKind::FunctionDeclaration(f) => f,
            _ => return None,
        },
        _ => return None,
    };
    let name =
        f.id.as_ref()
            .map_or_else(|| "default".to_string(), |id| id.name.to_string());
    Some((name, f))
}

impl FileTypes {
    /// The local name behind an export of this file (`export =` counts as the default and as the module itself).
    pub fn local_of_export(&self, exported: &str) -> Option<&str> {
        if let Some(local) = self.exports.get(exported) {
            return Some(local);
        }
        if exported == "default" || exported.is_empty() {
            return self.export_assignment.as_deref();
        }
        None
    }
}

fn prim(shape: TypeShape) -> TypeExpr {
    TypeExpr::Shape(shape)
}

fn source(text: &str, span: oxc_span::Span) -> &str {
    text.get(span.start as usize..span.end as usize)
        .unwrap_or_default()
}

/// Shortened source text for `unresolved` / opaque types.
pub fn short_text(text: &str) -> String {
    let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 80 {
        out = out.chars().take(77).collect::<String>() + "...";
    }
    out
}

/// Lowers a type annotation.
pub fn lower(ty: &TSType<'_>, text: &str) -> TypeExpr {
    lower_depth(ty, text, 0)
}

const MAX_SYNTAX_DEPTH: u32 = 24;

fn lower_depth(ty: &TSType<'_>, text: &str, depth: u32) -> TypeExpr {
    if depth > MAX_SYNTAX_DEPTH {
        return TypeExpr::Opaque(short_text(source(text, ty.span())));
    }
    let down = |t: &TSType<'_>| lower_depth(t, text, depth + 1);
    match ty {
        TSType::TSAnyKeyword(_) => prim(TypeShape::Any),
        TSType::TSBigIntKeyword(_) => prim(TypeShape::Bigint),
        TSType::TSBooleanKeyword(_) => prim(TypeShape::Boolean),
        TSType::TSNeverKeyword(_) => prim(TypeShape::Never),
        TSType::TSNullKeyword(_) => prim(TypeShape::Null),
        TSType::TSNumberKeyword(_) => prim(TypeShape::Number),
        TSType::TSObjectKeyword(_) => prim(TypeShape::Object {
            name: None,
            properties: Vec::new(),
            index: None,
        }),
        TSType::TSStringKeyword(_) => prim(TypeShape::String),
        TSType::TSSymbolKeyword(_) => prim(TypeShape::Symbol),
        TSType::TSUndefinedKeyword(_) => prim(TypeShape::Undefined),
        TSType::TSUnknownKeyword(_) | TSType::JSDocUnknownType(_) => prim(TypeShape::Unknown),
        TSType::TSVoidKeyword(_) => prim(TypeShape::Void),
        TSType::TSArrayType(a) => TypeExpr::Array(Box::new(down(&a.element_type)), false),
        TSType::TSParenthesizedType(p) => down(&p.type_annotation),
        TSType::TSUnionType(u) => TypeExpr::Union(u.types.iter().map(down).collect()),
        TSType::TSIntersectionType(u) => TypeExpr::Intersection(u.types.iter().map(down).collect()),
        TSType::TSLiteralType(l) => lower_literal(&l.literal, text),
        TSType::TSTupleType(t) => TypeExpr::Tuple(
            t.element_types
                .iter()
                .map(|e| lower_tuple_element(e, text, depth + 1))
                .collect(),
        ),
        TSType::TSNamedTupleMember(m) => {
            let mut element = lower_tuple_element(&m.element_type, text, depth + 1);
            element.optional |= m.optional;
            element.ty
        }
        TSType::TSTypeLiteral(l) => TypeExpr::Object(lower_members(&l.members, text, depth + 1)),
        TSType::TSFunctionType(f) => TypeExpr::Function(
            lower_params(&f.params, text),
            Box::new(down(&f.return_type.type_annotation)),
        ),
        TSType::TSConstructorType(_) => {
            TypeExpr::Function(Vec::new(), Box::new(prim(TypeShape::Any)))
        }
        TSType::TSTypeReference(r) => TypeExpr::Ref(
            type_name(&r.type_name),
            r.type_arguments
                .as_ref()
                .map(|a| a.params.iter().map(down).collect())
                .unwrap_or_default(),
        ),
        TSType::TSTypeOperatorType(op) if op.operator == TSTypeOperatorOperator::Readonly => {
            TypeExpr::Readonly(Box::new(down(&op.type_annotation)))
        }
        TSType::JSDocNullableType(n) => {
            TypeExpr::Union(vec![down(&n.type_annotation), prim(TypeShape::Null)])
        }
        TSType::JSDocNonNullableType(n) => down(&n.type_annotation),
        TSType::TSIndexedAccessType(a) => TypeExpr::Indexed(
            Box::new(down(&a.object_type)),
            Box::new(down(&a.index_type)),
            short_text(source(text, ty.span())),
        ),
        _ => TypeExpr::Opaque(short_text(source(text, ty.span()))),
    }
}

fn lower_tuple_element(e: &TSTupleElement<'_>, text: &str, depth: u32) -> TupleExpr {
    match e {
        TSTupleElement::TSOptionalType(o) => TupleExpr {
            ty: lower_depth(&o.type_annotation, text, depth),
            optional: true,
            rest: false,
        },
        TSTupleElement::TSRestType(r) => {
            // `...T[]`: the element type of the rest.
            let inner = lower_depth(&r.type_annotation, text, depth);
            let ty = match inner {
                TypeExpr::Array(element, _) => *element,
                other => other,
            };
            TupleExpr {
                ty,
                optional: false,
                rest: true,
            }
        }
        other => match other.as_ts_type() {
            Some(TSType::TSNamedTupleMember(m)) => {
                let mut element = lower_tuple_element(&m.element_type, text, depth + 1);
                element.optional |= m.optional;
                element
            }
            Some(t) => TupleExpr {
                ty: lower_depth(t, text, depth),
                optional: false,
                rest: false,
            },
            None => TupleExpr {
                ty: prim(TypeShape::Unknown),
                optional: false,
                rest: false,
            },
        },
    }
}

fn lower_literal(literal: &TSLiteral<'_>, text: &str) -> TypeExpr {
    match literal {
        TSLiteral::BooleanLiteral(b) => prim(TypeShape::Literal {
            value: LiteralValue::Boolean(b.value),
            code: b.value.to_string(),
        }),
        TSLiteral::NumericLiteral(n) => prim(TypeShape::Literal {
            value: LiteralValue::Number(n.value),
            code: number_code(n.value),
        }),
        TSLiteral::BigIntLiteral(b) => prim(TypeShape::Literal {
            value: LiteralValue::String(b.value.to_string()),
            code: format!("{}n", b.value),
        }),
        TSLiteral::StringLiteral(s) => prim(TypeShape::Literal {
            value: LiteralValue::String(s.value.to_string()),
            code: quote(&s.value),
        }),
        TSLiteral::TemplateLiteral(t) if t.expressions.is_empty() => {
            let value = t
                .quasis
                .first()
                .and_then(|q| q.value.cooked.as_ref())
                .map(|c| c.to_string())
                .unwrap_or_default();
            prim(TypeShape::Literal {
                code: quote(&value),
                value: LiteralValue::String(value),
            })
        }
        TSLiteral::UnaryExpression(u) => match &u.argument {
            Expression::NumericLiteral(n) if u.operator == UnaryOperator::UnaryNegation => {
                prim(TypeShape::Literal {
                    value: LiteralValue::Number(-n.value),
                    code: number_code(-n.value),
                })
            }
            Expression::BigIntLiteral(b) if u.operator == UnaryOperator::UnaryNegation => {
                prim(TypeShape::Literal {
                    value: LiteralValue::String(format!("-{}", b.value)),
                    code: format!("-{}n", b.value),
                })
            }
            _ => TypeExpr::Opaque(short_text(source(text, u.span))),
        },
        TSLiteral::TemplateLiteral(t) => TypeExpr::Opaque(short_text(source(text, t.span))),
    }
}

pub fn type_name(name: &TSTypeName<'_>) -> String {
    match name {
        TSTypeName::IdentifierReference(id) => id.name.to_string(),
        TSTypeName::QualifiedName(q) => format!("{}.{}", type_name(&q.left), q.right.name),
        TSTypeName::ThisExpression(_) => "this".to_string(),
    }
}

pub fn key_name(key: &PropertyKey<'_>, text: &str) -> String {
    key.static_name().map_or_else(
        || format!("[{}]", source(text, key.span())),
        |n| n.to_string(),
    )
}

fn lower_members(members: &[TSSignature<'_>], text: &str, depth: u32) -> ObjectExpr {
    let mut out = ObjectExpr::default();
    for member in members {
        match member {
            TSSignature::TSPropertySignature(p) => out.props.push(PropExpr {
                name: key_name(&p.key, text),
                ty: p
                    .type_annotation
                    .as_ref()
                    .map_or(prim(TypeShape::Any), |t| {
                        lower_depth(&t.type_annotation, text, depth)
                    }),
                optional: p.optional,
                readonly: p.readonly,
            }),
            TSSignature::TSMethodSignature(m) => {
                let name = key_name(&m.key, text);
                let ty = TypeExpr::Function(
                    lower_params(&m.params, text),
                    Box::new(m.return_type.as_ref().map_or(prim(TypeShape::Any), |t| {
                        lower_depth(&t.type_annotation, text, depth)
                    })),
                );
                match m.kind {
                    TSMethodSignatureKind::Method => out.props.push(PropExpr {
                        name,
                        ty,
                        optional: m.optional,
                        readonly: false,
                    }),
                    TSMethodSignatureKind::Get => {
                        if let TypeExpr::Function(_, returns) = ty {
                            out.props.push(PropExpr {
                                name,
                                ty: *returns,
                                optional: m.optional,
                                readonly: true,
                            });
                        }
                    }
                    TSMethodSignatureKind::Set => {}
                }
            }
            TSSignature::TSIndexSignature(i) => {
                let key = lower_depth(&i.parameter.type_annotation.type_annotation, text, depth);
                let value = lower_depth(&i.type_annotation.type_annotation, text, depth);
                out.index = Some(Box::new((key, value)));
            }
            _ => {}
        }
    }
    out
}

/// Parameters of a function or signature, with their annotations.
pub fn lower_params(params: &FormalParameters<'_>, text: &str) -> Vec<ParamExpr> {
    let mut out: Vec<ParamExpr> = params
        .items
        .iter()
        .map(|p| ParamExpr {
            name: p.pattern.get_identifier_name().map_or_else(
                || source(text, p.pattern.span()).to_string(),
                |n| n.to_string(),
            ),
            ty: p
                .type_annotation
                .as_ref()
                .map(|t| lower(&t.type_annotation, text)),
            optional: p.optional || p.initializer.is_some(),
            rest: false,
        })
        .collect();
    if let Some(rest) = &params.rest {
        out.push(ParamExpr {
            name: source(text, rest.rest.argument.span()).to_string(),
            ty: rest
                .type_annotation
                .as_ref()
                .map(|t| lower(&t.type_annotation, text)),
            optional: true,
            rest: true,
        });
    }
    out
}

fn lower_type_params(
    params: Option<&TSTypeParameterDeclaration<'_>>,
    text: &str,
) -> Vec<TypeParam> {
    params.map_or_else(Vec::new, |d| {
        d.params
            .iter()
            .map(|p| TypeParam {
                name: p.name.name.to_string(),
                default: p.default.as_ref().map(|t| lower(t, text)),
                constraint: p.constraint.as_ref().map(|t| lower(t, text)),
            })
            .collect()
    })
}

/// A function's own type parameters (`function f<T extends string>`), with their constraints.
pub fn function_type_params(
    params: Option<&TSTypeParameterDeclaration<'_>>,
    text: &str,
) -> Vec<TypeParam> {
    lower_type_params(params, text)
}

/// The type parameters as a call's arguments bind them: an unconstrained one that more than one parameter mentions
/// (`firstOr<T>(items: T[], fallback: T)`) is one concrete type, `number`, so the arguments agree on it; one that a
/// single parameter mentions stays free (any value fits it: the call infers `T` from it).
pub fn bound_type_params(params: &[TypeParam], signature: &[Option<TypeExpr>]) -> Vec<TypeParam> {
    params
        .iter()
        .map(|p| {
            let uses = signature
                .iter()
                .flatten()
                .filter(|t| mentions(t, &p.name))
                .count();
            let mut bound = p.clone();
            if bound.constraint.is_none() && uses > 1 {
                bound.constraint = Some(TypeExpr::Shape(TypeShape::Number));
            }
            bound
        })
        .collect()
}

/// Whether the type syntax names `name` anywhere.
fn mentions(expr: &TypeExpr, name: &str) -> bool {
    match expr {
        TypeExpr::Shape(_) | TypeExpr::Opaque(_) => false,
        TypeExpr::Union(types) | TypeExpr::Intersection(types) => {
            types.iter().any(|t| mentions(t, name))
        }
        TypeExpr::Array(inner, _) | TypeExpr::Readonly(inner) => mentions(inner, name),
        TypeExpr::Tuple(elements) => elements.iter().any(|e| mentions(&e.ty, name)),
        TypeExpr::Object(object) => {
            object.props.iter().any(|p| mentions(&p.ty, name))
                || object
                    .index
                    .as_ref()
                    .is_some_and(|i| mentions(&i.0, name) || mentions(&i.1, name))
        }
        TypeExpr::Function(params, returns) => {
            params
                .iter()
                .any(|p| p.ty.as_ref().is_some_and(|t| mentions(t, name)))
                || mentions(returns, name)
        }
        TypeExpr::Ref(own, args) => own == name || args.iter().any(|a| mentions(a, name)),
        TypeExpr::Indexed(object, index, _) => mentions(object, name) || mentions(index, name),
    }
}

pub fn fn_sig(f: &Function<'_>, text: &str) -> FnSig {
    FnSig {
        params: lower_params(&f.params, text),
        returns: f
            .return_type
            .as_ref()
            .map(|t| lower(&t.type_annotation, text)),
    }
}

/// What a class declares: constructor parameters (parameter properties become fields), fields and methods.
pub fn class_decl(class: &Class<'_>, text: &str) -> ClassDecl {
    let mut out = ClassDecl {
        extends: class.heritage.as_ref().and_then(|h| match &h.expression {
            Expression::Identifier(id) => Some(id.name.to_string()),
            _ => None,
        }),
        ..Default::default()
    };
    for element in &class.body.body {
        match element {
            ClassElement::MethodDefinition(m) => {
                let private = m.accessibility == Some(TSAccessibility::Private)
                    || matches!(m.key, PropertyKey::PrivateIdentifier(_));
                let sig = fn_sig(&m.value, text);
                match m.kind {
                    MethodDefinitionKind::Constructor => {
                        for p in &m.value.params.items {
                            if p.accessibility.is_some() || p.readonly {
                                out.fields.push(FieldDecl {
                                    name: p
                                        .pattern
                                        .get_identifier_name()
                                        .map(|n| n.to_string())
                                        .unwrap_or_default(),
                                    ty: p
                                        .type_annotation
                                        .as_ref()
                                        .map(|t| lower(&t.type_annotation, text)),
                                    is_static: false,
                                    readonly: p.readonly,
                                    optional: p.optional,
                                    private: p.accessibility == Some(TSAccessibility::Private),
                                });
                            }
                        }
                        // Overloads come first; the implementation (with a body) is the last one: keep the first.
                        if out.constructor.is_none() {
                            out.constructor = Some(sig);
                        }
                    }
                    _ => {
                        let name = key_name(&m.key, text);
                        let _ = private;
                        if !out
                            .methods
                            .iter()
                            .any(|(n, s, _)| *n == name && *s == m.r#static)
                        {
                            out.methods.push((name, m.r#static, sig));
                        }
                    }
                }
            }
            ClassElement::PropertyDefinition(p) => out.fields.push(FieldDecl {
                name: key_name(&p.key, text),
                ty: p
                    .type_annotation
                    .as_ref()
                    .map(|t| lower(&t.type_annotation, text)),
                is_static: p.r#static,
                readonly: p.readonly,
                optional: p.optional,
                private: p.accessibility == Some(TSAccessibility::Private)
                    || matches!(p.key, PropertyKey::PrivateIdentifier(_)),
            }),
            ClassElement::AccessorProperty(p) => out.fields.push(FieldDecl {
                name: key_name(&p.key, text),
                ty: p
                    .type_annotation
                    .as_ref()
                    .map(|t| lower(&t.type_annotation, text)),
                is_static: p.r#static,
                readonly: false,
                optional: false,
                private: p.accessibility == Some(TSAccessibility::Private),
            }),
            _ => {}
        }
    }
    out
}

fn module_name(name: &ModuleExportName<'_>) -> String {
    match name {
        ModuleExportName::IdentifierName(n) => n.name.to_string(),
        ModuleExportName::IdentifierReference(n) => n.name.to_string(),
        ModuleExportName::StringLiteral(s) => s.value.to_string(),
    }
}

fn enum_members(e: &TSEnumDeclaration<'_>) -> Vec<EnumMemberShape> {
    let mut next = 0f64;
    let mut out = Vec::new();
    for member in &e.body.members {
        let name = match &member.id {
            TSEnumMemberName::Identifier(id) => id.name.to_string(),
            TSEnumMemberName::String(s) | TSEnumMemberName::ComputedString(s) => {
                s.value.to_string()
            }
            TSEnumMemberName::ComputedTemplateString(_) => continue,
        };
        let value = match member
            .initializer
            .as_ref()
            .map(|e| e.get_inner_expression())
        {
            None => Some(LiteralValue::Number(next)),
            Some(Expression::NumericLiteral(n)) => Some(LiteralValue::Number(n.value)),
            Some(Expression::UnaryExpression(u)) if u.operator == UnaryOperator::UnaryNegation => {
                match &u.argument {
                    Expression::NumericLiteral(n) => Some(LiteralValue::Number(-n.value)),
                    _ => None,
                }
            }
            Some(Expression::StringLiteral(s)) => Some(LiteralValue::String(s.value.to_string())),
            _ => None,
        };
        let Some(value) = value else {
            // A computed member: later members cannot be numbered either.
            continue;
        };
        if let LiteralValue::Number(n) = value {
            next = n + 1.0;
        }
        let code = match &value {
            LiteralValue::Number(n) => number_code(*n),
            LiteralValue::String(s) => quote(s),
            LiteralValue::Boolean(b) => b.to_string(),
        };
        out.push(EnumMemberShape { name, value, code });
    }
    out
}

/// Collects a program's declarations, signatures, imports and exports (top level and namespaces).
pub fn collect(program: &Program<'_>, text: &str) -> FileTypes {
    let mut out = FileTypes::default();
    collect_statements(&program.body, text, "", true, &mut out);
    out
}

fn collect_interface(
    i: &TSInterfaceDeclaration<'_>,
    text: &str,
    prefix: &str,
    out: &mut FileTypes,
) {
    let name = format!("{prefix}{}", i.id.name);
    let body = lower_members(&i.body.body, text, 0);
    let extends = i
        .extends
        .iter()
        .map(|h| {
            TypeExpr::Ref(
                type_name(&h.type_name),
                h.type_arguments
                    .as_ref()
                    .map(|a| a.params.iter().map(|t| lower(t, text)).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    // Declaration merging: a second `interface X` adds its members.
    match out.decls.get_mut(&name) {
        Some(Decl::Interface { body: old, .. }) => old.props.extend(body.props),
        _ => {
            out.decls.insert(
                name,
                Decl::Interface {
                    params: lower_type_params(i.type_parameters.as_deref(), text),
                    extends,
                    body,
                },
            );
        }
    }
}

fn collect_declaration(
    declaration: &Declaration<'_>,
    text: &str,
    prefix: &str,
    exported: bool,
    out: &mut FileTypes,
) {
    let mut names: Vec<String> = Vec::new();
    match declaration {
        Declaration::TSInterfaceDeclaration(i) => {
            collect_interface(i, text, prefix, out);
            names.push(i.id.name.to_string());
        }
        Declaration::TSTypeAliasDeclaration(a) => {
            out.decls.insert(
                format!("{prefix}{}", a.id.name),
                Decl::Alias {
                    params: lower_type_params(a.type_parameters.as_deref(), text),
                    ty: lower(&a.type_annotation, text),
                },
            );
            names.push(a.id.name.to_string());
        }
        Declaration::TSEnumDeclaration(e) => {
            out.decls.insert(
                format!("{prefix}{}", e.id.name),
                Decl::Enum(enum_members(e)),
            );
            names.push(e.id.name.to_string());
        }
        Declaration::ClassDeclaration(c) => {
            class_overloads(c, text, &mut out.overloads);
            if let Some(id) = &c.id {
                out.decls.insert(
                    format!("{prefix}{}", id.name),
                    Decl::Class(Box::new(class_decl(c, text))),
                );
                names.push(id.name.to_string());
            }
        }
        Declaration::FunctionDeclaration(f) => {
            if let Some(id) = &f.id {
                out.functions
                    .entry(format!("{prefix}{}", id.name))
                    .or_insert_with(|| fn_sig(f, text));
                names.push(id.name.to_string());
            }
        }
        Declaration::VariableDeclaration(v) => {
            for d in &v.declarations {
                let Some(name) = d.id.get_identifier_name() else {
                    continue;
                };
                if let Some(t) = &d.type_annotation {
                    out.values
                        .insert(format!("{prefix}{name}"), lower(&t.type_annotation, text));
                }
                names.push(name.to_string());
            }
        }
        Declaration::TSNamespaceDeclaration(n) => {
            let inner = format!("{prefix}{}.", n.id.name);
            collect_namespace(&n.body, text, &inner, out);
            names.push(n.id.name.to_string());
        }
        _ => {}
    }
    if exported && prefix.is_empty() {
        for name in names {
            out.exports.insert(name.clone(), name);
        }
    }
}

fn collect_namespace(
    body: &TSNamespaceDeclarationBody<'_>,
    text: &str,
    prefix: &str,
    out: &mut FileTypes,
) {
    match body {
        TSNamespaceDeclarationBody::TSModuleBlock(block) => {
            collect_statements(&block.body, text, prefix, false, out)
        }
        TSNamespaceDeclarationBody::TSNamespaceDeclaration(n) => {
            let inner = format!("{prefix}{}.", n.id.name);
            collect_namespace(&n.body, text, &inner, out);
        }
    }
}

fn collect_statements(
    statements: &[Statement<'_>],
    text: &str,
    prefix: &str,
    top: bool,
    out: &mut FileTypes,
) {
    let mut run = OverloadRun::default();
    for statement in statements {
        match declared_function(statement) {
            Some((name, f)) => run.see(&name, f, text, &mut out.overloads),
            None => run.other(),
        }
        match statement {
            Statement::ImportDeclaration(import) if top => {
                let from = import.source.value.to_string();
                for specifier in import.specifiers.iter().flatten() {
                    let (local, imported) = match specifier {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            (s.local.name.to_string(), module_name(&s.imported))
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            (s.local.name.to_string(), "default".to_string())
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (s.local.name.to_string(), "*".to_string())
                        }
                    };
                    out.imports.insert(
                        local,
                        Import {
                            from: from.clone(),
                            imported,
                        },
                    );
                }
            }
            Statement::ExportDeclaration(export) => {
                collect_declaration(&export.declaration, text, prefix, top, out);
            }
            Statement::ExportNamedDeclaration(export) if top => {
                for specifier in &export.specifiers {
                    out.exports.insert(
                        module_name(&specifier.exported),
                        module_name(&specifier.local),
                    );
                }
            }
            Statement::ExportFromDeclaration(export) if top => {
                for specifier in &export.specifiers {
                    out.reexports.push(ReExportDecl {
                        name: module_name(&specifier.exported),
                        from: export.source.value.to_string(),
                        imported: module_name(&specifier.local),
                    });
                }
            }
            Statement::ExportAllDeclaration(all) if top => out.reexports.push(ReExportDecl {
                name: all
                    .exported
                    .as_ref()
                    .map_or_else(|| "*".to_string(), module_name),
                from: all.source.value.to_string(),
                imported: "*".to_string(),
            }),
            Statement::ExportDefaultDeclaration(export) if top => {
                let local = match &export.declaration {
                    ExportDefaultDeclarationKind::FunctionDeclaration(f) => {
                        let name =
                            f.id.as_ref()
                                .map_or_else(|| "default".to_string(), |id| id.name.to_string());
                        out.functions
                            .entry(name.clone())
                            .or_insert_with(|| fn_sig(f, text));
                        Some(name)
                    }
                    ExportDefaultDeclarationKind::ClassDeclaration(c) => {
                        class_overloads(c, text, &mut out.overloads);
                        let name =
                            c.id.as_ref()
                                .map_or_else(|| "default".to_string(), |id| id.name.to_string());
                        out.decls
                            .insert(name.clone(), Decl::Class(Box::new(class_decl(c, text))));
                        Some(name)
                    }
                    ExportDefaultDeclarationKind::TSInterfaceDeclaration(i) => {
                        collect_interface(i, text, prefix, out);
                        Some(i.id.name.to_string())
                    }
                    ExportDefaultDeclarationKind::Identifier(id) => Some(id.name.to_string()),
                    _ => None,
                };
                if let Some(local) = local {
                    out.exports.insert("default".to_string(), local);
                }
            }
            Statement::TSExportAssignment(assign) if top => {
                if let Expression::Identifier(id) = assign.expression.get_inner_expression() {
                    out.export_assignment = Some(id.name.to_string());
                }
            }
            Statement::TSImportEqualsDeclaration(import) if top => {
                if let TSModuleReference::ExternalModuleReference(r) = &import.module_reference {
                    out.imports.insert(
                        import.id.name.to_string(),
                        Import {
                            from: r.expression.value.to_string(),
                            imported: "*".to_string(),
                        },
                    );
                }
            }
            Statement::TSGlobalDeclaration(_) => {}
            _ => {
                if let Some(declaration) = statement.as_declaration() {
                    // Inside a namespace, members are reachable as `N.x` whether exported or not (close enough).
                    collect_declaration(declaration, text, prefix, false, out);
                }
            }
        }
    }
}
