//! The doc comment, which becomes the operation's description in the spec and the help text
//! scalr-ctl shows for the command; an action must have one.

use syn::Attribute;

use super::diagnostics::Diagnostics;
use super::signature::ActionFn;

/// The doc comment's text, as a spec description: the one space `///` leaves is dropped and
/// the lines of a paragraph are joined, as Markdown renders them; paragraphs stay apart.
pub fn description(function: &ActionFn) -> String {
    let inner = function.body.inner_attributes();
    let lines: Vec<String> = function
        .attrs
        .iter()
        .chain(&inner)
        .filter_map(doc_text)
        .flat_map(|text| text.split('\n').map(|line| line.trim().to_owned()).collect::<Vec<_>>())
        .collect();
    let paragraphs: Vec<String> = lines
        .split(|line| line.is_empty())
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| paragraph.join(" "))
        .collect();
    paragraphs.join("\n\n")
}

/// The text of `#[doc = "..."]`, which is what `///` and `//!` lines are.
fn doc_text(attr: &Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

/// Reported on the function's name.
pub fn check_described(function: &ActionFn, description: &str, diagnostics: &mut Diagnostics) {
    if description.is_empty() {
        diagnostics.error(
            function.sig.ident.span(),
            "the action has no doc comment",
            "describe it with `///` above the attribute: the spec's operation description comes from it, and scalr-ctl shows it as the command's help",
        );
    }
}
