//! Collects every mistake in a declaration, so that one build reports them all, and the
//! helpers that word them: each message names the action, says what is wrong, then how to fix
//! it, and suggests the nearest valid name when there is one.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The errors found so far in the declaration of one action.
pub struct Diagnostics {
    action: String,
    errors: Vec<syn::Error>,
}

impl Diagnostics {
    /// No errors yet for the action named `action`.
    pub fn new(action: &impl Display) -> Self {
        Self { action: action.to_string(), errors: Vec::new() }
    }

    /// Records at `span` that `what` is wrong, and `help` on how to fix it.
    pub fn error(&mut self, span: Span, what: impl Display, help: impl Display) {
        let message = self.message(what, help);
        self.errors.push(syn::Error::new(span, message));
    }

    /// Records an error covering all of `tokens` (a type, a pattern).
    pub fn error_spanned(&mut self, tokens: impl ToTokens, what: impl Display, help: impl Display) {
        let message = self.message(what, help);
        self.errors.push(syn::Error::new_spanned(tokens, message));
    }

    fn message(&self, what: impl Display, help: impl Display) -> String {
        format!("action `{}`: {what}\n  = help: {help}", self.action)
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

/// "did you mean `x`?" when a candidate is within two edits, else `otherwise`.
pub fn did_you_mean(input: &str, candidates: &[&str], otherwise: &str) -> String {
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map_or_else(|| otherwise.to_owned(), |(_, candidate)| format!("did you mean `{candidate}`?"))
}

/// The first of `names` that is `wanted` misspelt: within two edits, or equal but for
/// underscores and case (`imageid` for `image_id`).
pub fn near_name<'a>(wanted: &str, names: &'a [String]) -> Option<&'a String> {
    let squashed = |s: &str| s.replace('_', "").to_lowercase();
    names.iter().find(|name| squashed(name) == squashed(wanted) || strsim::damerau_levenshtein(name, wanted) <= 2)
}
