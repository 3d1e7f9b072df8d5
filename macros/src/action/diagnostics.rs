//! Collects every mistake in a declaration, so that one build reports them all.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The errors found so far.
#[derive(Default)]
pub struct Diagnostics {
    errors: Vec<syn::Error>,
}

impl Diagnostics {
    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Display) {
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error covering all of `tokens` (a type, a pattern).
    pub fn error_spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// One `compile_error!` per error, in the order found.
    pub fn into_compile_errors(self) -> TokenStream {
        self.errors.into_iter().map(|error| error.into_compile_error()).collect()
    }

    /// The messages, for unit tests.
    #[cfg(test)]
    pub fn messages(&self) -> Vec<String> {
        self.errors.iter().map(ToString::to_string).collect()
    }
}

/// The message of an error in action `action`: what is wrong, then how to fix it.
pub fn message(action: &str, what: impl Display, help: impl Display) -> String {
    format!("action `{action}`: {what}\n  = help: {help}")
}
