//! The `#[scalr_action]` attribute of [`scalr-endpoints`](https://docs.rs/scalr-endpoints).
//!
//! Use it through the `scalr-endpoints` crate, which documents it. This crate is the compiler
//! half: it parses the attribute and the function, validates them (collecting every mistake),
//! builds a model of the action and emits the code that serves it. The work is done on
//! `proc_macro2` tokens so that each stage can be unit-tested.

mod action;

use proc_macro::TokenStream;

/// Declares a Scalr APIv2 action; see the `scalr-endpoints` crate for the full description.
#[proc_macro_attribute]
pub fn scalr_action(attr: TokenStream, item: TokenStream) -> TokenStream {
    action::expand(attr.into(), item.into()).into()
}
