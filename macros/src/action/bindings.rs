//! Which argument receives what: a placeholder's value, the environment, the body, the query
//! parameters, or an extractor's output. This is where a placeholder is bound to its argument, once; the model
//! keeps the result and emit only reads it.

use heck::ToLowerCamelCase;
use proc_macro2::{Ident, Span};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, LitStr, Pat, PatType, PathArguments, Signature, Type};

use super::diagnostics::{Diagnostics, near_name};
use super::model::{Argument, ArgumentKind, Binding, Method, Scope, State, Template};

/// The arguments of a function, as far as their rules allowed.
pub struct Bound {
    /// The accepted arguments, in declaration order; a rejected one is left out.
    pub arguments: Vec<Argument>,
    /// One per argument that takes a placeholder's value, in declaration order.
    pub bindings: Vec<Binding>,
    /// The body parameter's name in the spec when `body = ...` does not give it.
    default_body_name: Option<String>,
}

/// The placeholders of a valid template, and the argument each one binds.
struct Placeholders<'a> {
    names: Vec<&'a str>,
    arguments: &'a [String],
    /// Whether some argument, accepted or not, names the placeholder's argument.
    claimed: Vec<bool>,
}

/// Binds the arguments of `sig`. `template` is `None` when the template is missing or wrong;
/// `method` is `None` when the method is.
pub fn bind(
    sig: &Signature,
    scope: Scope,
    template: Option<(&LitStr, &Template)>,
    method: Option<Method>,
    diagnostics: &mut Diagnostics,
) -> Bound {
    let (names, arguments) = match template {
        Some((_, template)) => (template.placeholders().collect(), template.arguments.as_slice()),
        None => (Vec::new(), &[][..]),
    };
    let mut placeholders = Placeholders { claimed: vec![false; names.len()], names, arguments };
    let mut bound = Bound { arguments: Vec::new(), bindings: Vec::new(), default_body_name: None };
    // Arguments of a plain value type that no placeholder binds: judged once every placeholder
    // has been matched, so that a misspelt name is reported once, as the placeholder it misses.
    let mut plain_values: Vec<(Ident, String, &Type)> = Vec::new();
    // The body argument's name, for the error on a second one; likewise the query's.
    let mut body: Option<Ident> = None;
    let mut query_args: Option<Ident> = None;
    let mut plain_names: Vec<String> = Vec::new();
    for typed in sig.inputs.iter().filter_map(typed_argument) {
        let ty = &*typed.ty;
        let name = plain_name(&typed.pat);
        let kind = match &name {
            Some(name) => {
                let text = name.to_string();
                if let Some(index) = placeholders.arguments.iter().position(|argument| *argument == text) {
                    placeholders.claimed[index] = true;
                    bound.bindings.push(Binding {
                        placeholder: placeholders.names[index].to_owned(),
                        argument: bound.arguments.len(),
                        route_value: index + scope.route_values_before_template(),
                    });
                    ArgumentKind::Placeholder
                } else if text == "env_id" {
                    if !check_env_id_in_user_scope(name, scope, diagnostics) {
                        continue;
                    }
                    ArgumentKind::EnvId
                } else if let Some(object) = body_object(ty) {
                    ArgumentKind::Body(Box::new(object.clone()))
                } else if let Some(parameters) = query_args_object(ty) {
                    ArgumentKind::QueryArgs(Box::new(parameters.clone()))
                } else if let Some(primitive) = plain_value_type(ty) {
                    plain_values.push((name.clone(), primitive, ty));
                    continue;
                } else {
                    ArgumentKind::Extractor
                }
            }
            None => {
                if !check_bound_argument_is_a_name(typed, &mut placeholders, diagnostics) {
                    continue;
                }
                match (body_object(ty), query_args_object(ty)) {
                    (Some(object), _) => ArgumentKind::Body(Box::new(object.clone())),
                    (None, Some(parameters)) => ArgumentKind::QueryArgs(Box::new(parameters.clone())),
                    (None, None) => ArgumentKind::Extractor,
                }
            }
        };
        if matches!(kind, ArgumentKind::Body(_)) {
            let help = "a request has one JSON body: take one `Body<T>` whose `T` holds everything";
            if !check_only_one(typed, "body", body.as_ref(), help, diagnostics)
                || !check_method_has_body(typed, method, diagnostics)
            {
                continue;
            }
            let label = name.clone().or_else(|| bound_names(&typed.pat).into_iter().next());
            body = Some(label.unwrap_or_else(|| Ident::new("body", ty.span())));
            bound.default_body_name =
                Some(name.as_ref().map_or_else(|| "body".to_owned(), |name| name.to_string().to_lower_camel_case()));
        }
        if matches!(kind, ArgumentKind::QueryArgs(_)) {
            let help = "take one `QueryArgs<T>` whose `T` declares every query parameter of the action";
            if !check_only_one(typed, "`QueryArgs`", query_args.as_ref(), help, diagnostics) {
                continue;
            }
            let label = name.clone().or_else(|| bound_names(&typed.pat).into_iter().next());
            query_args = Some(label.unwrap_or_else(|| Ident::new("query", ty.span())));
        }
        plain_names.extend(name.as_ref().map(Ident::to_string));
        bound.arguments.push(Argument { ty: ty.clone(), kind });
    }
    check_arguments_per_role(&bound, diagnostics);
    // Without a valid template the bindings are unknown: judging them would only repeat the
    // template's own error.
    let Some((literal, _)) = template else { return bound };
    plain_names.extend(plain_values.iter().map(|(name, _, _)| name.to_string()));
    let mut suggested = Vec::new();
    for (index, placeholder) in placeholders.names.iter().enumerate() {
        if !placeholders.claimed[index] {
            let argument = &placeholders.arguments[index];
            suggested.extend(check_placeholder_bound(literal, placeholder, argument, &plain_names, diagnostics));
        }
    }
    for (name, primitive, ty) in &plain_values {
        if !suggested.contains(&name.to_string()) {
            check_plain_value_bound(name, primitive, ty, diagnostics);
        }
    }
    bound
}

/// The most extractors an action can take, and the most placeholders it can bind: the runtime
/// serves actions through functions and tuples of up to this many of each (axum's handlers
/// take at most 16 arguments too).
pub const MAX_ARGUMENTS_PER_ROLE: usize = 16;

/// Reports the first extractor, and the first placeholder's argument, past the limit.
fn check_arguments_per_role(bound: &Bound, diagnostics: &mut Diagnostics) {
    let extractors = bound.arguments.iter().filter(|argument| argument.kind == ArgumentKind::Extractor);
    if let Some(argument) = extractors.clone().nth(MAX_ARGUMENTS_PER_ROLE) {
        diagnostics.error_spanned(
            &argument.ty,
            format!("the action takes {} extractors, more than {MAX_ARGUMENTS_PER_ROLE}", extractors.count()),
            "group some of them in one extractor of your own, or take a `Parts`-based extractor that reads several things",
        );
    }
    if let Some(binding) = bound.bindings.get(MAX_ARGUMENTS_PER_ROLE) {
        diagnostics.error_spanned(
            &bound.arguments[binding.argument].ty,
            format!("the action binds {} placeholders, more than {MAX_ARGUMENTS_PER_ROLE}", bound.bindings.len()),
            "shorten the path template",
        );
    }
}

/// The typed arguments; a receiver is the signature's rule to report.
fn typed_argument(input: &FnArg) -> Option<&PatType> {
    match input {
        FnArg::Typed(typed) => Some(typed),
        FnArg::Receiver(_) => None,
    }
}

/// Only user scope has an environment for `env_id` to receive.
fn check_env_id_in_user_scope(name: &Ident, scope: Scope, diagnostics: &mut Diagnostics) -> bool {
    if scope == Scope::User {
        return true;
    }
    diagnostics.error(
        name.span(),
        format!("{} scope has no environment to bind `env_id` to", scope.name()),
        "remove the argument, or declare the action with `scope = user`",
    );
    false
}

/// A pattern (`(left, right)`) that names a placeholder's argument cannot receive it; the
/// placeholder then counts as claimed, so that it is not also reported unbound.
fn check_bound_argument_is_a_name(
    typed: &PatType,
    placeholders: &mut Placeholders<'_>,
    diagnostics: &mut Diagnostics,
) -> bool {
    let names = bound_names(&typed.pat);
    let Some(index) = placeholders.arguments.iter().position(|argument| names.iter().any(|name| name == argument))
    else {
        return true;
    };
    placeholders.claimed[index] = true;
    diagnostics.error_spanned(
        &typed.pat,
        format!("the argument bound to `<{}>` must be a plain name", placeholders.names[index]),
        format!(
            "write `{}: {}` and destructure it in the body",
            placeholders.arguments[index],
            typed.ty.to_token_stream()
        ),
    );
    false
}

/// An argument that may appear once, as a request has one JSON body and the spec one set of
/// query parameters: `what` is the argument's kind, `first` the one already taken, if any.
fn check_only_one(
    typed: &PatType,
    what: &str,
    first: Option<&Ident>,
    help: &str,
    diagnostics: &mut Diagnostics,
) -> bool {
    let Some(first) = first else { return true };
    diagnostics.error_spanned(&typed.ty, format!("the action takes a second {what}, after `{first}`"), help);
    false
}

fn check_method_has_body(typed: &PatType, method: Option<Method>, diagnostics: &mut Diagnostics) -> bool {
    let Some(method) = method.filter(|method| !method.has_body()) else { return true };
    diagnostics.error_spanned(
        &typed.ty,
        format!("a {} action cannot take a body", method.upper()),
        "clients send no usable body with GET, HEAD or DELETE; take query parameters, or use post, put or patch",
    );
    false
}

/// Reports a placeholder no argument takes; returns the argument suggested instead, if any.
fn check_placeholder_bound(
    literal: &LitStr,
    placeholder: &str,
    argument: &str,
    names: &[String],
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    let text = literal.value();
    let marked = format!("<{placeholder}>");
    let start = text.find(&marked).unwrap_or(0);
    let near = near_name(argument, names);
    let help = match near {
        Some(near) => format!("did you mean `{argument}`? rename the argument `{near}` to `{argument}`"),
        None => format!("add an argument `{argument}` whose type implements `PathParam`, or remove the placeholder"),
    };
    let what = format!(
        "the placeholder `<{placeholder}>` has no matching argument (it binds the argument named `{argument}`)\n{}",
        super::template::pointer(&text, start..start + marked.len())
    );
    diagnostics.error(literal.span(), what, help);
    near.cloned()
}

/// A plain value can only take a placeholder's value, never be an extractor.
fn check_plain_value_bound(name: &Ident, primitive: &str, ty: &Type, diagnostics: &mut Diagnostics) {
    diagnostics.error_spanned(
        ty,
        format!("the argument `{name}: {primitive}` is neither bound by the path template nor an extractor"),
        format!(
            "a placeholder binds the argument with its name in snake_case, so `<{}>` in the template would bind it; `{primitive}` cannot be an extractor: read query parameters with a `QueryArgs<T>` argument",
            name.to_string().to_lower_camel_case()
        ),
    );
}

/// The body parameter's name in the spec: `body = "..."`, else the argument's name in camelCase.
pub fn body_name(bound: &Bound, explicit: Option<(LitStr, Span)>, diagnostics: &mut Diagnostics) -> Option<String> {
    match (&bound.default_body_name, explicit) {
        (Some(_), Some((literal, _))) => Some(literal.value()),
        (Some(default), None) => Some(default.clone()),
        (None, Some((_, key))) => {
            diagnostics.error(
                key,
                "`body` names the body parameter, but no argument is a `Body<T>`",
                "add an argument such as `copy_to: Body<CloudLocation>`, or remove `body = ...`",
            );
            None
        }
        (None, None) => None,
    }
}

/// The router state is the `T` of the action's one `State<T>` argument, if it has exactly one.
pub fn state_from_arguments(sig: &Signature) -> State {
    let mut states =
        sig.inputs.iter().filter_map(typed_argument).filter_map(|typed| single_generic(&typed.ty, "State"));
    match (states.next(), states.next()) {
        (Some(state), None) => State::Known(Box::new(state.clone())),
        _ => State::Any,
    }
}

/// The name an argument is bound to when its pattern is a plain identifier (`mut` allowed).
fn plain_name(pat: &Pat) -> Option<Ident> {
    match pat {
        Pat::Ident(ident) if ident.by_ref.is_none() && ident.subpat.is_none() => Some(ident.ident.clone()),
        _ => None,
    }
}

/// Every identifier a pattern binds.
fn bound_names(pat: &Pat) -> Vec<Ident> {
    match pat {
        Pat::Ident(ident) => {
            let mut names = vec![ident.ident.clone()];
            if let Some((_, sub)) = &ident.subpat {
                names.extend(bound_names(sub));
            }
            names
        }
        Pat::Tuple(tuple) => tuple.elems.iter().flat_map(bound_names).collect(),
        Pat::TupleStruct(tuple) => tuple.elems.iter().flat_map(bound_names).collect(),
        Pat::Struct(structure) => structure.fields.iter().flat_map(|field| bound_names(&field.pat)).collect(),
        Pat::Reference(reference) => bound_names(&reference.pat),
        Pat::Paren(paren) => bound_names(&paren.pat),
        Pat::Slice(slice) => slice.elems.iter().flat_map(bound_names).collect(),
        Pat::Or(or) => or.cases.iter().flat_map(bound_names).collect(),
        Pat::Type(typed) => bound_names(&typed.pat),
        _ => Vec::new(),
    }
}

/// The one generic argument of a type whose last path segment is `name`, like `Body<T>`.
fn single_generic<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// The body argument is the one of type `Body<T>`; this is its `T`.
fn body_object(ty: &Type) -> Option<&Type> {
    single_generic(ty, "Body")
}

/// The query parameters argument is the one of type `QueryArgs<T>`; this is its `T`.
fn query_args_object(ty: &Type) -> Option<&Type> {
    single_generic(ty, "QueryArgs")
}

/// The name of a plain value type (numbers, `bool`, `char`, strings, `Uuid`): such a type can
/// only take a placeholder's value, never be an extractor.
fn plain_value_type(ty: &Type) -> Option<String> {
    const PLAIN: [&str; 19] = [
        "bool", "char", "str", "String", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
        "isize", "f32", "f64", "Uuid",
    ];
    let inner = match ty {
        Type::Reference(reference) => &*reference.elem,
        other => other,
    };
    let Type::Path(path) = inner else { return None };
    let last = path.path.segments.last()?;
    let borrowed = if matches!(ty, Type::Reference(_)) { "&" } else { "" };
    (last.arguments.is_empty() && PLAIN.contains(&last.ident.to_string().as_str()))
        .then(|| format!("{borrowed}{}", last.ident))
}
