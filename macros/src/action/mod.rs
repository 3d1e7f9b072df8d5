//! `#[scalr_action]`: split → attribute + template → signature → bindings → model → emit.
//!
//! Each stage reports its mistakes and goes on, so that one build shows them all; the order the
//! stages run in is the order of the errors. Only a complete [`Action`] model reaches emit.

mod attribute;
mod bindings;
mod crate_path;
mod diagnostics;
mod doc;
mod emit;
mod model;
mod names;
#[cfg(test)]
mod properties;
mod quick;
mod signature;
#[cfg(test)]
mod snapshots;
mod split;
mod template;
#[cfg(test)]
mod tests;
mod write;

use crate_path::Facade;
use diagnostics::Diagnostics;
use model::{Action, State};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use signature::ActionFn;
use split::AttrItem;

/// Expands `#[scalr_action(attr)] item`.
///
/// The user's function is always emitted unchanged, mistakes or not, so that one mistake does
/// not turn every use of the function into a "cannot find" error.
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function = match ActionFn::parse_item(&item) {
        Ok(function) => function,
        Err(_) => {
            let what = match syn::parse2::<syn::Item>(item.clone()) {
                Ok(item) => describe(&item),
                Err(_) => "this item".to_owned(),
            };
            let message = format!(
                "`#[scalr_action]` goes on an `async fn`, not on {what}\n  = help: declare the action as `async fn name(...) -> Result<T, ApiError>`"
            );
            let error = syn::Error::new(Span::call_site(), message).into_compile_error();
            return quote!(#error #item);
        }
    };
    let mut diagnostics = Diagnostics::new(&function.sig.ident);
    let outcome =
        analyze(split::attr_items(attr), Span::call_site(), &function, crate_path::facade(), &mut diagnostics);
    let facade = outcome.facade;
    match outcome.action {
        Some(action) => {
            // The function as written: its tokens, not the parsed function printed again. Each
            // stream goes on whole: extending by a stream's trees would take every tree of it
            // across the bridge and back.
            let mut output = item;
            output.extend([emit::action(&action, &facade)]);
            output
        }
        None => {
            let mut function = function;
            // What never compiles (a variadic outside `extern` blocks, a `const async fn`) is
            // dropped, so that rustc does not repeat what the macro already said.
            function.sig.variadic = None;
            if function.sig.asyncness.is_some() {
                function.sig.constness = None;
            }
            let mut output = function.to_token_stream();
            if function.sig.receiver().is_none() {
                output.extend([emit::placeholder(&function.sig.ident, &function.vis, &facade)]);
            }
            output.extend([diagnostics.into_compile_errors()]);
            output
        }
    }
}

/// What the stages conclude about a declaration.
struct Outcome {
    /// The model, only when nothing is wrong; every mistake found is in the diagnostics.
    action: Option<Action>,
    /// Where the facade crate is: `crate = ...` when given, else the default. Known even when
    /// the declaration is wrong, since the placeholder emitted then needs it too.
    facade: Facade,
}

/// Runs every stage on the attribute `items` and `function`.
fn analyze(
    items: Vec<AttrItem>,
    attr_span: Span,
    function: &ActionFn,
    default_facade: Facade,
    diagnostics: &mut Diagnostics,
) -> Outcome {
    let mut attr = attribute::parse(items, attr_span, diagnostics);
    let facade = attr.facade.take().map_or(default_facade, Facade::Given);
    let action = model(attr, function, diagnostics);
    Outcome { action, facade }
}

/// The model of a declaration whose attribute was read; `None` when anything is wrong.
fn model(mut attr: attribute::ParsedAttribute, function: &ActionFn, diagnostics: &mut Diagnostics) -> Option<Action> {
    let scope = attr.scope();
    let template = attr.template.as_ref().and_then(|literal| template::check(literal, scope, diagnostics));
    signature::check(&function.sig, diagnostics);
    let literal_and_template = attr.template.as_ref().zip(template.as_ref());
    let bound = bindings::bind(&function.sig, scope, literal_and_template, attr.method, diagnostics);
    let body_name = bindings::body_name(&bound, attr.body_name.take(), diagnostics);
    let output = signature::check_named_return_type(&function.sig.output, diagnostics);
    // The doc comment is judged only once the method is known, as the fixtures pin.
    let attr = attr.validate()?;
    let description = doc::description(function);
    doc::check_described(function, &description, diagnostics);
    if !diagnostics.is_empty() {
        return None;
    }
    let state =
        attr.state.map_or_else(|| bindings::state_from_arguments(&function.sig), |ty| State::Known(Box::new(ty)));
    Some(Action {
        name: function.sig.ident.clone(),
        vis: function.vis.clone(),
        method: attr.method,
        scope: attr.scope,
        status: attr.status,
        template: template?,
        description,
        arguments: bound.arguments,
        bindings: bound.bindings,
        body_name,
        permission: attr.permission,
        errors: attr.errors,
        state,
        output: output?,
    })
}

/// "struct `Images`", for the error on an item that is not a function.
fn describe(item: &syn::Item) -> String {
    let (kind, name) = match item {
        syn::Item::Struct(item) => ("struct", Some(&item.ident)),
        syn::Item::Enum(item) => ("enum", Some(&item.ident)),
        syn::Item::Const(item) => ("const", Some(&item.ident)),
        syn::Item::Static(item) => ("static", Some(&item.ident)),
        syn::Item::Mod(item) => ("module", Some(&item.ident)),
        syn::Item::Trait(item) => ("trait", Some(&item.ident)),
        syn::Item::Type(item) => ("type alias", Some(&item.ident)),
        syn::Item::Impl(_) => ("an `impl` block", None),
        _ => ("this item", None),
    };
    match name {
        Some(name) => format!("{kind} `{name}`"),
        None => kind.to_owned(),
    }
}
