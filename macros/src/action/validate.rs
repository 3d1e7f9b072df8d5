//! Checks a parsed declaration and builds the [`Action`] model, reporting every mistake with
//! the exact token it concerns, what is wrong, and how to fix it.

use heck::{ToLowerCamelCase, ToSnakeCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, ItemFn, LitInt, LitStr, Pat, PathArguments, ReturnType, Type};

use super::diagnostics::{Diagnostics, message};
use super::model::{Action, Argument, ArgumentKind, ERROR_CODES, Method, Scope, State, Template};
use super::split::AttrItem;
use super::template;

/// The options `key = value` the attribute accepts.
const OPTION_KEYS: [&str; 7] = ["status", "scope", "body", "permission", "errors", "state", "crate"];

/// What validation concludes about a declaration.
pub struct Outcome {
    /// The model, only when nothing is wrong; every mistake found is in the diagnostics.
    pub action: Option<Action>,
    /// Where the facade crate is: `crate = ...` when given, else the default. Known even when
    /// the declaration is wrong, since the placeholder emitted then needs it too.
    pub facade: syn::Path,
}

/// Validates the declaration of `function` with the attribute `items`.
pub fn action(
    items: Vec<AttrItem>,
    attr_span: Span,
    function: &ItemFn,
    default_facade: syn::Path,
    diagnostics: &mut Diagnostics,
) -> Outcome {
    let name = function.sig.ident.to_string();
    let mut check = Checker { action: &name, diagnostics };
    let mut attr = check.attribute(items, attr_span);
    let facade = attr.facade.take().unwrap_or(default_facade);
    let action = model(&mut check, attr, function);
    Outcome { action, facade }
}

/// The model of a declaration whose attribute was read; `None` when anything is wrong.
fn model(check: &mut Checker<'_>, attr: Attribute, function: &ItemFn) -> Option<Action> {
    let scope = attr.scope.unwrap_or(Scope::User);
    let template = attr.template.as_ref().and_then(|literal| check.template(literal, scope));
    check.signature(function);
    let arguments = check.arguments(function, scope, template.as_ref(), attr.template.as_ref(), attr.method);
    let body_name = check.body_name(&arguments, attr.body_name, attr.body_option_span);
    let state = attr.state.map_or_else(|| state_from_arguments(function), |ty| State::Known(Box::new(ty)));
    let output = check.output(&function.sig.output);
    let method = attr.method?;
    let status = match attr.status {
        Some(status) => status,
        None => method.default_status(),
    };
    let description = doc_comment(function);
    if description.is_empty() {
        check.error(
            function.sig.ident.span(),
            "the action has no doc comment",
            "describe it with `///` above the attribute: the spec's operation description comes from it, and scalr-ctl shows it as the command's help",
        );
    }
    if !check.diagnostics.is_empty() {
        return None;
    }
    Some(Action {
        name: function.sig.ident.clone(),
        vis: function.vis.clone(),
        method,
        scope,
        status,
        template: template?,
        description,
        arguments: arguments.into_iter().map(|(argument, _)| argument).collect(),
        body_name,
        permission: attr.permission,
        errors: attr.errors,
        state,
        output: output?,
    })
}

/// The attribute's values that passed their own checks.
#[derive(Default)]
struct Attribute {
    method: Option<Method>,
    template: Option<LitStr>,
    status: Option<u16>,
    scope: Option<Scope>,
    body_name: Option<LitStr>,
    body_option_span: Option<Span>,
    permission: Option<String>,
    errors: Vec<Ident>,
    state: Option<Type>,
    facade: Option<syn::Path>,
}

struct Checker<'a> {
    action: &'a str,
    diagnostics: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn error(&mut self, span: Span, what: impl std::fmt::Display, help: impl std::fmt::Display) {
        let text = message(self.action, what, help);
        self.diagnostics.error(span, text);
    }

    fn error_spanned(&mut self, tokens: impl ToTokens, what: impl std::fmt::Display, help: impl std::fmt::Display) {
        let text = message(self.action, what, help);
        self.diagnostics.error_spanned(tokens, text);
    }

    fn attribute(&mut self, items: Vec<AttrItem>, attr_span: Span) -> Attribute {
        let mut attr = Attribute::default();
        let mut positionals = Vec::new();
        let mut options = Vec::new();
        for item in items {
            match item {
                AttrItem::Positional(tokens) => positionals.push(tokens),
                AttrItem::Option { key, value } => options.push((key, value)),
            }
        }
        let mut positionals = positionals.into_iter();
        match positionals.next() {
            None => self.error(
                attr_span,
                "the HTTP method and the path template are missing",
                "declare them: `#[scalr_action(get, \"images/\")]`",
            ),
            Some(first) => match syn::parse2::<LitStr>(first.clone()) {
                Ok(literal) => {
                    self.error(
                        literal.span(),
                        "the HTTP method is missing",
                        format!("start with the method: `#[scalr_action(get, {})]`", literal.to_token_stream()),
                    );
                    attr.template = Some(literal);
                }
                Err(_) => attr.method = self.method(first),
            },
        }
        if attr.template.is_none() {
            match positionals.next() {
                Some(tokens) => match syn::parse2::<LitStr>(tokens.clone()) {
                    Ok(literal) => attr.template = Some(literal),
                    Err(_) => self.error_spanned(
                        &tokens,
                        "the path template must be a string literal",
                        "quote it, like \"images/<imageId>\"",
                    ),
                },
                None if attr.method.is_some() => self.error(
                    attr_span,
                    "the path template is missing",
                    "add it after the method, like `#[scalr_action(get, \"images/\")]`",
                ),
                None => {}
            }
        }
        for extra in positionals {
            self.error_spanned(
                &extra,
                format!("unexpected argument `{extra}`"),
                format!("after the method and the template come options `key = value`: {}", OPTION_KEYS.join(", ")),
            );
        }
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in options {
            let key_name = key.to_string();
            if seen.contains(&key_name) {
                self.error(key.span(), format!("`{key_name}` is given twice"), "keep one of them");
                continue;
            }
            seen.push(key_name);
            self.option(&mut attr, &key, value);
        }
        attr
    }

    fn method(&mut self, tokens: TokenStream) -> Option<Method> {
        let Ok(ident) = syn::parse2::<Ident>(tokens.clone()) else {
            self.error_spanned(&tokens, "expected an HTTP method", format!("use one of {}", Method::NAMES.join(", ")));
            return None;
        };
        let name = ident.to_string();
        if let Some(method) = Method::from_name(&name) {
            return Some(method);
        }
        let lower = name.to_lowercase();
        let help = if Method::from_name(&lower).is_some() {
            format!("methods are written in lower case: `{lower}`")
        } else if lower == "head" {
            "GET actions also answer HEAD; declare the action with `get`".to_owned()
        } else {
            did_you_mean(&lower, &Method::NAMES, "the methods are get, post, patch, put and delete")
        };
        self.error(ident.span(), format!("`{name}` is not an HTTP method an action can answer"), help);
        None
    }

    fn option(&mut self, attr: &mut Attribute, key: &Ident, value: TokenStream) {
        let key_name = key.to_string();
        if value.is_empty() && OPTION_KEYS.contains(&key_name.as_str()) {
            self.error(key.span(), format!("`{key_name}` has no value"), format!("write `{key_name} = ...`"));
            return;
        }
        match key_name.as_str() {
            "status" => attr.status = self.status(value),
            "scope" => attr.scope = self.scope(value),
            "body" => match syn::parse2::<LitStr>(value.clone()) {
                Ok(literal) if is_identifier(&literal.value()) => {
                    attr.body_option_span = Some(key.span());
                    attr.body_name = Some(literal);
                }
                Ok(literal) => self.error(
                    literal.span(),
                    format!("`{}` is not a valid body parameter name", literal.value()),
                    "use an identifier such as \"copyTo\"",
                ),
                Err(_) => self.error_spanned(&value, "`body` takes a string", "write `body = \"copyTo\"`"),
            },
            "permission" => match syn::parse2::<LitStr>(value.clone()) {
                Ok(literal) if is_permission(&literal.value()) => attr.permission = Some(literal.value()),
                Ok(literal) => self.error(
                    literal.span(),
                    format!("`{}` is not a permission name", literal.value()),
                    "name it like \"images:manage\": letters, digits, `_`, `-`, `.` and `:`, without spaces",
                ),
                Err(_) => {
                    self.error_spanned(&value, "`permission` takes a string", "write `permission = \"images:manage\"`")
                }
            },
            "errors" => attr.errors = self.error_codes(value),
            "state" => match syn::parse2::<Type>(value.clone()) {
                Ok(ty) => attr.state = Some(ty),
                Err(_) => self.error_spanned(&value, "`state` takes a type", "write `state = AppState`"),
            },
            "crate" => match syn::parse2::<syn::Path>(value.clone()) {
                Ok(path) => attr.facade = Some(path),
                Err(_) => self.error_spanned(
                    &value,
                    "`crate` takes the path of the scalr-endpoints crate",
                    "write `crate = ::scalr_endpoints`",
                ),
            },
            _ => self.error(
                key.span(),
                format!("unknown option `{key_name}`"),
                did_you_mean(&key_name, &OPTION_KEYS, &format!("the options are {}", OPTION_KEYS.join(", "))),
            ),
        }
    }

    /// `errors = [ObjectNotFound, ScopeViolation]`: the codes the function returns.
    fn error_codes(&mut self, value: TokenStream) -> Vec<Ident> {
        let parser = syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated;
        let list = syn::parse2::<syn::ExprArray>(value.clone())
            .ok()
            .and_then(|array| syn::parse::Parser::parse2(parser, array.elems.to_token_stream()).ok());
        let Some(list) = list else {
            self.error_spanned(
                &value,
                "`errors` takes a list of error codes",
                "write `errors = [ObjectNotFound, InvalidValue]`",
            );
            return Vec::new();
        };
        let mut codes: Vec<Ident> = Vec::new();
        for code in list {
            let name = code.to_string();
            if !ERROR_CODES.contains(&name.as_str()) {
                let help =
                    did_you_mean(&name, &ERROR_CODES, "the codes are those of `ErrorCode`, such as ObjectNotFound");
                self.error(code.span(), format!("`{name}` is not a Scalr error code"), help);
            } else if codes.contains(&code) {
                self.error(code.span(), format!("`{name}` is listed twice"), "keep one of them");
            } else {
                codes.push(code);
            }
        }
        codes
    }

    fn status(&mut self, value: TokenStream) -> Option<u16> {
        let Ok(literal) = syn::parse2::<LitInt>(value.clone()) else {
            self.error_spanned(&value, "`status` takes an integer", "write `status = 200`");
            return None;
        };
        match literal.base10_parse::<u16>() {
            Ok(204 | 205) => self.error(
                literal.span(),
                format!("status {literal} cannot carry the response envelope"),
                "Scalr always answers with a JSON envelope; use 200",
            ),
            Ok(status @ 200..=299) => return Some(status),
            _ => self.error(
                literal.span(),
                format!("status {literal} is not a success status"),
                "use a 2xx status such as 200 or 201; failures are returned as `ApiError`",
            ),
        }
        None
    }

    fn scope(&mut self, value: TokenStream) -> Option<Scope> {
        let Ok(ident) = syn::parse2::<Ident>(value.clone()) else {
            self.error_spanned(&value, "`scope` takes user, account or global", "write `scope = account`");
            return None;
        };
        let name = ident.to_string();
        let scope = Scope::from_name(&name);
        if scope.is_none() {
            let help = did_you_mean(&name, &Scope::NAMES, "the scopes are user, account and global");
            self.error(ident.span(), format!("unknown scope `{name}`"), help);
        }
        scope
    }

    fn template(&mut self, literal: &LitStr, scope: Scope) -> Option<Template> {
        let text = literal.value();
        match template::parse(&text, scope) {
            Ok(template) => Some(template),
            Err(errors) => {
                for error in errors {
                    let what = format!("{}\n{}", error.what, error.pointer(&text));
                    self.error(literal.span(), what, error.help);
                }
                None
            }
        }
    }

    fn signature(&mut self, function: &ItemFn) {
        let sig = &function.sig;
        match (&sig.constness, &sig.asyncness) {
            (Some(token), None) => {
                self.error(token.span, "an action must be an `async fn`, not a `const fn`", "write `async fn`")
            }
            (Some(token), Some(_)) => self.error(token.span, "an action cannot be `const`", "remove `const`"),
            (None, None) => self.error(sig.fn_token.span, "an action must be an `async fn`", "write `async fn`"),
            (None, Some(_)) => {}
        }
        if let Some(token) = &sig.unsafety {
            self.error(token.span, "an action cannot be `unsafe`", "remove `unsafe`; keep unsafe code inside the body");
        }
        if let Some(abi) = &sig.abi {
            self.error_spanned(abi, "an action cannot have an `extern` ABI", "remove the `extern` qualifier");
        }
        if !sig.generics.params.is_empty() {
            self.error_spanned(
                &sig.generics,
                "an action cannot be generic",
                "use concrete types: the router serves each action with one handler",
            );
        }
        if let Some(where_clause) = &sig.generics.where_clause {
            self.error_spanned(where_clause, "an action cannot have a `where` clause", "use concrete types");
        }
        if let Some(variadic) = &sig.variadic {
            self.error_spanned(variadic, "an action cannot be variadic", "remove the `...` argument");
        }
    }

    /// Classifies every argument and checks that each placeholder is bound.
    fn arguments(
        &mut self,
        function: &ItemFn,
        scope: Scope,
        template: Option<&Template>,
        literal: Option<&LitStr>,
        method: Option<Method>,
    ) -> Vec<(Argument, Option<Ident>)> {
        let placeholders: Vec<&str> = template.map(|t| t.placeholders().collect()).unwrap_or_default();
        let bindings: Vec<String> = placeholders.iter().map(|name| name.to_snake_case()).collect();
        let first_index = usize::from(scope == Scope::User);
        let mut bound = vec![false; placeholders.len()];
        let mut arguments = Vec::new();
        // Unbound arguments of a plain value type: judged once the placeholders are matched, so
        // that a misspelt binding is reported once, as the placeholder it misses.
        let mut plain_values: Vec<(Ident, String, Type)> = Vec::new();
        let mut body: Option<Ident> = None;
        for input in &function.sig.inputs {
            let typed = match input {
                FnArg::Receiver(receiver) => {
                    self.error_spanned(
                        receiver,
                        "an action is a free function and cannot take `self`",
                        "move it out of the `impl` block and take what it needs as arguments",
                    );
                    continue;
                }
                FnArg::Typed(typed) => typed,
            };
            let ty = (*typed.ty).clone();
            let name = plain_name(&typed.pat);
            let kind = match &name {
                Some(name) => {
                    let text = name.to_string();
                    if let Some(index) = bindings.iter().position(|binding| *binding == text) {
                        bound[index] = true;
                        ArgumentKind::Placeholder { index: index + first_index }
                    } else if text == "env_id" && scope == Scope::User {
                        ArgumentKind::EnvId
                    } else if text == "env_id" {
                        self.error(
                            name.span(),
                            format!("{} scope has no environment to bind `env_id` to", scope_name(scope)),
                            "remove the argument, or declare the action with `scope = user`",
                        );
                        continue;
                    } else if let Some(object) = body_object(&ty) {
                        ArgumentKind::Body(Box::new(object.clone()))
                    } else if let Some(primitive) = plain_value_type(&ty) {
                        plain_values.push((name.clone(), primitive, ty));
                        continue;
                    } else {
                        ArgumentKind::Extractor
                    }
                }
                None => {
                    let names = bound_names(&typed.pat);
                    if let Some((index, _)) = bindings.iter().enumerate().find(|(_, b)| names.iter().any(|n| n == *b)) {
                        bound[index] = true;
                        self.error_spanned(
                            &typed.pat,
                            format!("the argument bound to `<{}>` must be a plain name", placeholders[index]),
                            format!(
                                "write `{}: {}` and destructure it in the body",
                                bindings[index],
                                ty.to_token_stream()
                            ),
                        );
                        continue;
                    }
                    match body_object(&ty) {
                        Some(object) => ArgumentKind::Body(Box::new(object.clone())),
                        None => ArgumentKind::Extractor,
                    }
                }
            };
            if matches!(kind, ArgumentKind::Body(_)) {
                let label = name.clone().or_else(|| bound_names(&typed.pat).into_iter().next());
                if let Some(first) = &body {
                    self.error_spanned(
                        &typed.ty,
                        format!("the action takes a second body, after `{first}`"),
                        "a request has one JSON body: take one `Body<T>` whose `T` holds everything",
                    );
                    continue;
                }
                if let Some(method) = method.filter(|method| !method.has_body()) {
                    self.error_spanned(
                        &typed.ty,
                        format!("a {} action cannot take a body", method.upper()),
                        "clients send no usable body with GET, HEAD or DELETE; take query parameters, or use post, put or patch",
                    );
                    continue;
                }
                body = Some(label.unwrap_or_else(|| Ident::new("body", ty.span())));
            }
            arguments.push((Argument { ty, kind }, name));
        }
        // Without a valid template the bindings are unknown: judging them would only repeat
        // the template's own error.
        let Some(literal) = literal.filter(|_| template.is_some()) else {
            return arguments;
        };
        let names: Vec<String> = arguments
            .iter()
            .filter_map(|(_, name)| name.as_ref().map(Ident::to_string))
            .chain(plain_values.iter().map(|(name, _, _)| name.to_string()))
            .collect();
        let mut suggested = Vec::new();
        for (index, placeholder) in placeholders.iter().enumerate().filter(|(index, _)| !bound[*index]) {
            suggested.extend(self.unbound_placeholder(literal, placeholder, &bindings[index], &names));
        }
        for (name, primitive, ty) in plain_values.iter().filter(|(name, _, _)| !suggested.contains(&name.to_string())) {
            self.error_spanned(
                ty,
                format!("the argument `{name}: {primitive}` is neither bound by the path template nor an extractor"),
                format!(
                    "a placeholder binds the argument with its name in snake_case, so `<{}>` in the template would bind it; `{primitive}` cannot be an extractor: read query parameters with an extractor such as `Query<T>`",
                    name.to_string().to_lower_camel_case()
                ),
            );
        }
        arguments
    }

    /// Reports a placeholder no argument takes; returns the argument suggested instead, if any.
    fn unbound_placeholder(
        &mut self,
        literal: &LitStr,
        placeholder: &str,
        binding: &str,
        names: &[String],
    ) -> Option<String> {
        let text = literal.value();
        let marked = format!("<{placeholder}>");
        let start = text.find(&marked).unwrap_or(0);
        let squashed = |s: &str| s.replace('_', "").to_lowercase();
        let near = names
            .iter()
            .find(|name| squashed(name) == squashed(binding) || strsim::damerau_levenshtein(name, binding) <= 2);
        let help = match near {
            Some(near) => format!("did you mean `{binding}`? rename the argument `{near}` to `{binding}`"),
            None => format!("add an argument `{binding}` whose type implements `PathParam`, or remove the placeholder"),
        };
        let what = format!(
            "the placeholder `<{placeholder}>` has no matching argument (it binds the argument named `{binding}`)\n{}",
            template::pointer(&text, start..start + marked.len())
        );
        self.error(literal.span(), what, help);
        near.cloned()
    }

    /// The body parameter's name in the spec: `body = "..."`, else the argument's name in camelCase.
    fn body_name(
        &mut self,
        arguments: &[(Argument, Option<Ident>)],
        explicit: Option<LitStr>,
        option_span: Option<Span>,
    ) -> Option<String> {
        let body = arguments.iter().find(|(argument, _)| matches!(argument.kind, ArgumentKind::Body(_)));
        match (body, explicit) {
            (Some(_), Some(literal)) => Some(literal.value()),
            (Some((_, name)), None) => {
                Some(name.as_ref().map_or_else(|| "body".to_owned(), |name| name.to_string().to_lower_camel_case()))
            }
            (None, Some(literal)) => {
                self.error(
                    option_span.unwrap_or_else(|| literal.span()),
                    "`body` names the body parameter, but no argument is a `Body<T>`",
                    "add an argument such as `copy_to: Body<CloudLocation>`, or remove `body = ...`",
                );
                None
            }
            (None, None) => None,
        }
    }

    fn output(&mut self, output: &ReturnType) -> Option<Option<Type>> {
        match output {
            ReturnType::Default => Some(None),
            ReturnType::Type(_, ty) if contains_impl_trait(ty) => {
                self.error_spanned(
                    ty,
                    "the return type of an action must be named",
                    "write the concrete type instead of `impl Trait`",
                );
                None
            }
            ReturnType::Type(_, ty) => Some(Some((**ty).clone())),
        }
    }
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::User => "user",
        Scope::Account => "account",
        Scope::Global => "global",
    }
}

/// "did you mean `x`?" when a candidate is within two edits, else `otherwise`.
fn did_you_mean(input: &str, candidates: &[&str], otherwise: &str) -> String {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map_or_else(|| otherwise.to_owned(), |(_, candidate)| format!("did you mean `{candidate}`?"))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_permission(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
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

/// The body argument is the one of type `Body<T>`; this is its `T`.
fn body_object(ty: &Type) -> Option<&Type> {
    single_generic(ty, "Body")
}

/// The router state is the `T` of the action's one `State<T>` argument, if it has exactly one.
fn state_from_arguments(function: &ItemFn) -> State {
    let mut states = function.sig.inputs.iter().filter_map(|input| match input {
        FnArg::Typed(typed) => single_generic(&typed.ty, "State"),
        FnArg::Receiver(_) => None,
    });
    match (states.next(), states.next()) {
        (Some(state), None) => State::Known(Box::new(state.clone())),
        _ => State::Any,
    }
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}

/// The doc comment's text, as a spec description: the one space `///` leaves is dropped and
/// the lines of a paragraph are joined, as Markdown renders them; paragraphs stay apart.
fn doc_comment(function: &ItemFn) -> String {
    let lines: Vec<String> = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .flat_map(|text| text.split('\n').map(|line| line.trim().to_owned()).collect::<Vec<_>>())
        .collect();
    let paragraphs: Vec<String> = lines
        .split(|line| line.is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| paragraph.join(" "))
        .collect();
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::*;
    use crate::action::split::attr_items;

    fn validate(attr: TokenStream, item: TokenStream) -> Result<Action, Vec<String>> {
        let function: ItemFn = syn::parse2(item).expect("test functions parse");
        let mut diagnostics = Diagnostics::default();
        let facade: syn::Path = syn::parse_quote!(::scalr_endpoints);
        action(attr_items(attr), Span::call_site(), &function, facade, &mut diagnostics)
            .action
            .ok_or_else(|| diagnostics.messages())
    }

    fn errors(attr: TokenStream, item: TokenStream) -> Vec<String> {
        match validate(attr, item) {
            Ok(_) => panic!("the declaration was accepted"),
            Err(messages) => messages,
        }
    }

    #[test]
    fn binds_placeholders_env_body_and_extractors() {
        let action = validate(
            quote!(post, "images/<imageId>/actions/copy"),
            quote! {
                /// Copy it.
                async fn copy_image(State(app): State<App>, env_id: EnvId, image_id: ImageId, copy_to: Body<CloudLocation>) -> Result<Image, ApiError> {}
            },
        )
        .unwrap_or_else(|errors| panic!("{errors:?}"));
        let kinds: Vec<ArgumentKind> = action.arguments.iter().map(|argument| argument.kind.clone()).collect();
        let body: Type = syn::parse_quote!(CloudLocation);
        assert_eq!(
            kinds,
            [
                ArgumentKind::Extractor,
                ArgumentKind::EnvId,
                ArgumentKind::Placeholder { index: 1 },
                ArgumentKind::Body(Box::new(body))
            ]
        );
        assert_eq!(action.status, 201);
        assert_eq!(action.body_name.as_deref(), Some("copyTo"));
        assert_eq!(action.description, "Copy it.");
        assert!(matches!(action.state, State::Known(_)));
    }

    #[test]
    fn an_unbound_placeholder_suggests_the_near_argument() {
        let found = errors(
            quote!(get, "images/<imageId>"),
            quote!(
                /// Get it.
                async fn get_image(env_id: EnvId, imag_id: ImageId) {}
            ),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("action `get_image`: the placeholder `<imageId>` has no matching argument"));
        assert!(
            found[0].contains("did you mean `image_id`? rename the argument `imag_id` to `image_id`"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn reports_independent_mistakes_together() {
        let found = errors(
            quote!(pots, "/images", stauts = 200),
            quote!(
                fn list() {}
            ),
        );
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].contains("did you mean `post`?"), "{found:#?}");
        assert!(found[1].contains("did you mean `status`?"));
        assert!(found[2].contains("starts with `/`"));
        assert!(found[3].contains("must be an `async fn`"));
    }

    #[test]
    fn doc_comments_become_paragraphs() {
        let action = validate(
            quote!(get, "images/"),
            quote! {
                /// List the Images
                /// of this Environment.
                ///
                ///   Oldest first.
                async fn list(paging: Paging) -> Page<Image> {}
            },
        )
        .unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(action.description, "List the Images of this Environment.\n\nOldest first.");
    }

    #[test]
    fn rejects_bodies_where_clients_send_none() {
        let found = errors(
            quote!(delete, "images/<imageId>"),
            quote!(
                async fn d(image_id: ImageId, b: Body<X>) {}
            ),
        );
        assert!(found[0].contains("a DELETE action cannot take a body"), "{found:?}");
    }
}
