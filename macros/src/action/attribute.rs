//! The attribute's grammar: `#[scalr_action(METHOD, "TEMPLATE", key = value, ...)]`.
//!
//! [`ParsedAttribute`] is the attribute as written, each value checked on its own shape;
//! [`Attribute`] is what remains once the whole attribute is known to be right, defaults filled
//! in. Only the latter reaches the model.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{LitInt, LitStr, Type};

use super::diagnostics::{Diagnostics, did_you_mean};
use super::model::{ERROR_CODES, Method, Scope};
use super::names::{is_identifier, is_permission};
use super::split::AttrItem;

/// The options `key = value` the attribute accepts.
const OPTION_KEYS: [&str; 7] = ["status", "scope", "body", "permission", "errors", "state", "crate"];

/// The attribute as written: `None` (or empty) where a value is missing or was rejected.
#[derive(Default)]
pub struct ParsedAttribute {
    pub method: Option<Method>,
    pub template: Option<LitStr>,
    pub status: Option<u16>,
    pub scope: Option<Scope>,
    /// `body = "..."`, with the span of its key for the error when no argument is a body.
    pub body_name: Option<(LitStr, Span)>,
    pub permission: Option<String>,
    pub errors: Vec<Ident>,
    pub state: Option<Type>,
    pub facade: Option<syn::Path>,
}

/// The attribute of an action whose attribute has no mistakes.
pub struct Attribute {
    pub method: Method,
    pub status: u16,
    pub scope: Scope,
    pub permission: Option<String>,
    pub errors: Vec<Ident>,
    pub state: Option<Type>,
}

impl ParsedAttribute {
    /// The scope the rest of the declaration is judged in: user unless another was given.
    pub fn scope(&self) -> Scope {
        self.scope.unwrap_or(Scope::User)
    }

    /// The validated attribute, when the method is known; the other values then were either
    /// given right or not at all, since a rejected one was reported.
    pub fn validate(self) -> Option<Attribute> {
        let method = self.method?;
        Some(Attribute {
            method,
            status: self.status.unwrap_or_else(|| method.default_status()),
            scope: self.scope(),
            permission: self.permission,
            errors: self.errors,
            state: self.state,
        })
    }
}

/// Reads the attribute's `items`; `attr_span` is where a missing method or template is reported.
pub fn parse(items: Vec<AttrItem>, attr_span: Span, diagnostics: &mut Diagnostics) -> ParsedAttribute {
    let mut attr = ParsedAttribute::default();
    let mut positionals = Vec::new();
    let mut options = Vec::new();
    for item in items {
        match item {
            AttrItem::Positional(tokens, only) => positionals.push((tokens, only)),
            AttrItem::Option { key, value } => options.push((key, value)),
        }
    }
    let mut positionals = positionals.into_iter();
    match positionals.next() {
        None => diagnostics.error(
            attr_span,
            "the HTTP method and the path template are missing",
            "declare them: `#[scalr_action(get, \"images/\")]`",
        ),
        // A template first means the method was left out: keep the template, to judge it too.
        Some((first, only)) => match string_literal(&first, only.as_ref()) {
            Some(literal) => attr.template = Some(check_method_before_template(literal, diagnostics)),
            None => attr.method = check_method(first, only.as_ref(), diagnostics),
        },
    }
    if attr.template.is_none() {
        match positionals.next() {
            Some((tokens, only)) => attr.template = check_template_is_a_string(tokens, only.as_ref(), diagnostics),
            None if attr.method.is_some() => diagnostics.error(
                attr_span,
                "the path template is missing",
                "add it after the method, like `#[scalr_action(get, \"images/\")]`",
            ),
            None => {}
        }
    }
    for (extra, _) in positionals {
        check_no_extra_positional(&extra, diagnostics);
    }
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in options {
        if check_given_once(&key, &mut seen, diagnostics) && check_has_value(&key, &value, diagnostics) {
            option(&mut attr, &key, value, diagnostics);
        }
    }
    attr
}

/// Dispatches `key = value` to the rule of its key.
fn option(attr: &mut ParsedAttribute, key: &Ident, value: TokenStream, diagnostics: &mut Diagnostics) {
    match key.to_string().as_str() {
        "status" => attr.status = check_status(value, diagnostics),
        "scope" => attr.scope = check_scope(value, diagnostics),
        "body" => attr.body_name = check_body_name(value, diagnostics).map(|literal| (literal, key.span())),
        "permission" => attr.permission = check_permission(value, diagnostics),
        "errors" => attr.errors = check_error_codes(value, diagnostics),
        "state" => attr.state = check_state(value, diagnostics),
        "crate" => attr.facade = check_crate(value, diagnostics),
        _ => check_known_option(key, diagnostics),
    }
}

fn check_method_before_template(literal: LitStr, diagnostics: &mut Diagnostics) -> LitStr {
    diagnostics.error(
        literal.span(),
        "the HTTP method is missing",
        format!("start with the method: `#[scalr_action(get, {})]`", literal.to_token_stream()),
    );
    literal
}

/// The string literal `tokens` are, as syn reads it. A lone literal is read as syn's parser
/// reads it, without the parser: syn, unoptimised, costs more than the rest of the attribute.
fn string_literal(tokens: &TokenStream, only: Option<&TokenTree>) -> Option<LitStr> {
    match only {
        Some(TokenTree::Literal(literal)) => match syn::Lit::new(literal.clone()) {
            syn::Lit::Str(literal) => Some(literal),
            _ => None,
        },
        Some(TokenTree::Ident(_)) => None,
        _ => syn::parse2::<LitStr>(tokens.clone()).ok(),
    }
}

fn check_method(tokens: TokenStream, only: Option<&TokenTree>, diagnostics: &mut Diagnostics) -> Option<Method> {
    // A lone method name needs no parser; anything else is judged below.
    if let Some(TokenTree::Ident(ident)) = only
        && let Some(method) = Method::from_name(&ident.to_string())
    {
        return Some(method);
    }
    let Ok(ident) = syn::parse2::<Ident>(tokens.clone()) else {
        diagnostics.error_spanned(
            &tokens,
            "expected an HTTP method",
            format!("use one of {}", Method::NAMES.join(", ")),
        );
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
    diagnostics.error(ident.span(), format!("`{name}` is not an HTTP method an action can answer"), help);
    None
}

fn check_template_is_a_string(
    tokens: TokenStream,
    only: Option<&TokenTree>,
    diagnostics: &mut Diagnostics,
) -> Option<LitStr> {
    let literal = string_literal(&tokens, only);
    if literal.is_none() {
        diagnostics.error_spanned(
            &tokens,
            "the path template must be a string literal",
            "quote it, like \"images/<imageId>\"",
        );
    }
    literal
}

fn check_no_extra_positional(extra: &TokenStream, diagnostics: &mut Diagnostics) {
    diagnostics.error_spanned(
        extra,
        format!("unexpected argument `{extra}`"),
        format!("after the method and the template come options `key = value`: {}", OPTION_KEYS.join(", ")),
    );
}

/// Whether `key` is seen for the first time; `seen` remembers it.
fn check_given_once(key: &Ident, seen: &mut Vec<String>, diagnostics: &mut Diagnostics) -> bool {
    let name = key.to_string();
    if seen.contains(&name) {
        diagnostics.error(key.span(), format!("`{name}` is given twice"), "keep one of them");
        return false;
    }
    seen.push(name);
    true
}

/// Whether a known option has a value; an unknown one is reported for its name instead.
fn check_has_value(key: &Ident, value: &TokenStream, diagnostics: &mut Diagnostics) -> bool {
    let name = key.to_string();
    if value.is_empty() && OPTION_KEYS.contains(&name.as_str()) {
        diagnostics.error(key.span(), format!("`{name}` has no value"), format!("write `{name} = ...`"));
        return false;
    }
    true
}

fn check_known_option(key: &Ident, diagnostics: &mut Diagnostics) {
    let name = key.to_string();
    let help = did_you_mean(&name, &OPTION_KEYS, &format!("the options are {}", OPTION_KEYS.join(", ")));
    diagnostics.error(key.span(), format!("unknown option `{name}`"), help);
}

/// `status = 201`: a success status that can carry the JSON envelope.
fn check_status(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<u16> {
    let Ok(literal) = syn::parse2::<LitInt>(value.clone()) else {
        diagnostics.error_spanned(&value, "`status` takes an integer", "write `status = 200`");
        return None;
    };
    match literal.base10_parse::<u16>() {
        Ok(204 | 205) => diagnostics.error(
            literal.span(),
            format!("status {literal} cannot carry the response envelope"),
            "Scalr always answers with a JSON envelope; use 200",
        ),
        Ok(status @ 200..=299) => return Some(status),
        _ => diagnostics.error(
            literal.span(),
            format!("status {literal} is not a success status"),
            "use a 2xx status such as 200 or 201; failures are returned as `ApiError`",
        ),
    }
    None
}

fn check_scope(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<Scope> {
    let Ok(ident) = syn::parse2::<Ident>(value.clone()) else {
        diagnostics.error_spanned(&value, "`scope` takes user, account or global", "write `scope = account`");
        return None;
    };
    let name = ident.to_string();
    let scope = Scope::from_name(&name);
    if scope.is_none() {
        let help = did_you_mean(&name, &Scope::NAMES, "the scopes are user, account and global");
        diagnostics.error(ident.span(), format!("unknown scope `{name}`"), help);
    }
    scope
}

/// `body = "copyTo"`: the body parameter's name in the spec, an identifier.
fn check_body_name(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<LitStr> {
    match syn::parse2::<LitStr>(value.clone()) {
        Ok(literal) if is_identifier(&literal.value()) => return Some(literal),
        Ok(literal) => diagnostics.error(
            literal.span(),
            format!("`{}` is not a valid body parameter name", literal.value()),
            "use an identifier such as \"copyTo\"",
        ),
        Err(_) => diagnostics.error_spanned(&value, "`body` takes a string", "write `body = \"copyTo\"`"),
    }
    None
}

fn check_permission(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<String> {
    match syn::parse2::<LitStr>(value.clone()) {
        Ok(literal) if is_permission(&literal.value()) => return Some(literal.value()),
        Ok(literal) => diagnostics.error(
            literal.span(),
            format!("`{}` is not a permission name", literal.value()),
            "name it like \"images:manage\": letters, digits, `_`, `-`, `.` and `:`, without spaces",
        ),
        Err(_) => {
            diagnostics.error_spanned(&value, "`permission` takes a string", "write `permission = \"images:manage\"`")
        }
    }
    None
}

/// `errors = [ObjectNotFound, ScopeViolation]`: the codes the function returns, each known and
/// listed once.
fn check_error_codes(value: TokenStream, diagnostics: &mut Diagnostics) -> Vec<Ident> {
    let parser = syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated;
    // The bracketed list read as it is: parsing it as an array expression first cost more than
    // the rest of the attribute together.
    let mut trees = value.clone().into_iter();
    let list = match (trees.next(), trees.next()) {
        (Some(TokenTree::Group(group)), None) if group.delimiter() == Delimiter::Bracket => {
            syn::parse::Parser::parse2(parser, group.stream()).ok()
        }
        _ => None,
    };
    let Some(list) = list else {
        diagnostics.error_spanned(
            &value,
            "`errors` takes a list of error codes",
            "write `errors = [ObjectNotFound, InvalidValue]`",
        );
        return Vec::new();
    };
    let mut codes: Vec<Ident> = Vec::new();
    for code in list {
        if check_error_code_known(&code, diagnostics) && check_error_code_listed_once(&code, &codes, diagnostics) {
            codes.push(code);
        }
    }
    codes
}

fn check_error_code_known(code: &Ident, diagnostics: &mut Diagnostics) -> bool {
    let name = code.to_string();
    if ERROR_CODES.contains(&name.as_str()) {
        return true;
    }
    let help = did_you_mean(&name, &ERROR_CODES, "the codes are those of `ErrorCode`, such as ObjectNotFound");
    diagnostics.error(code.span(), format!("`{name}` is not a Scalr error code"), help);
    false
}

fn check_error_code_listed_once(code: &Ident, earlier: &[Ident], diagnostics: &mut Diagnostics) -> bool {
    if !earlier.contains(code) {
        return true;
    }
    diagnostics.error(code.span(), format!("`{code}` is listed twice"), "keep one of them");
    false
}

fn check_state(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<Type> {
    let state = syn::parse2::<Type>(value.clone());
    if state.is_err() {
        diagnostics.error_spanned(&value, "`state` takes a type", "write `state = AppState`");
    }
    state.ok()
}

fn check_crate(value: TokenStream, diagnostics: &mut Diagnostics) -> Option<syn::Path> {
    let path = syn::parse2::<syn::Path>(value.clone());
    if path.is_err() {
        diagnostics.error_spanned(
            &value,
            "`crate` takes the path of the scalr-endpoints crate",
            "write `crate = ::scalr_endpoints`",
        );
    }
    path.ok()
}
