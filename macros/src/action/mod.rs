//! `#[scalr_action]`: split → validate → model → emit.

mod crate_path;
mod diagnostics;
mod emit;
mod model;
#[cfg(test)]
mod snapshots;
mod split;
mod template;
mod validate;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ItemFn;

use diagnostics::Diagnostics;

/// Expands `#[scalr_action(attr)] item`.
///
/// The user's function is always emitted unchanged, mistakes or not, so that one mistake does
/// not turn every use of the function into a "cannot find" error.
pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function = match syn::parse2::<ItemFn>(item.clone()) {
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
    let mut diagnostics = Diagnostics::default();
    let outcome =
        validate::action(split::attr_items(attr), Span::call_site(), &function, crate_path::facade(), &mut diagnostics);
    let facade = outcome.facade;
    match outcome.action {
        Some(action) => {
            let mut output = function.to_token_stream();
            output.extend(emit::action(&action, &facade));
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
                output.extend(emit::placeholder(&function.sig.ident, &function.vis, &facade));
            }
            output.extend(diagnostics.into_compile_errors());
            output
        }
    }
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
