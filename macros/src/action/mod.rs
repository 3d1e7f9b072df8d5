//! `#[scalr_action]`: parse → validate → model → emit.

mod crate_path;
mod diagnostics;
mod emit;
mod model;
mod parse;
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
            let error = syn::Error::new(
                Span::call_site(),
                "`#[scalr_action]` goes on an `async fn`\n  = help: declare the action as `async fn name(...) -> Result<T, ApiError>`",
            );
            let error = error.into_compile_error();
            return quote!(#error #item);
        }
    };
    let mut diagnostics = Diagnostics::default();
    let facade = crate_path::facade();
    let model =
        validate::action(parse::attr_items(attr), Span::call_site(), &function, facade.clone(), &mut diagnostics);
    let mut output = function.to_token_stream();
    match model {
        Some(action) => output.extend(emit::action(&action)),
        None => {
            let takes_self = function.sig.receiver().is_some();
            if !takes_self {
                output.extend(emit::placeholder(&function.sig.ident, &function.vis, &facade));
            }
            output.extend(diagnostics.into_compile_errors());
        }
    }
    output
}
