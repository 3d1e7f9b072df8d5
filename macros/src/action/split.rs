//! The attribute's arguments as written, split into items before anything is checked.
//!
//! Splitting never fails: every judgement (is this a method? a known key?) belongs to
//! validation, which can then report all mistakes at once.

use proc_macro2::{Ident, Spacing, TokenStream, TokenTree};

/// One comma-separated argument of `#[scalr_action(...)]`.
pub enum AttrItem {
    /// A bare argument: the method, then the template. The tree is the argument's only one,
    /// when it has one: the method and the template are read off it without syn.
    Positional(TokenStream, Option<TokenTree>),
    /// `key = value`.
    Option { key: Ident, value: TokenStream },
}

/// Splits the attribute's tokens at top-level commas (commas inside `<...>` belong to a type).
pub fn attr_items(tokens: TokenStream) -> Vec<AttrItem> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut angle_depth = 0_usize;
    for token in tokens {
        if let TokenTree::Punct(punct) = &token {
            match punct.as_char() {
                ',' if angle_depth == 0 => {
                    items.extend(item(std::mem::take(&mut current)));
                    continue;
                }
                '<' => angle_depth += 1,
                '>' if !is_arrow(current.last()) => angle_depth = angle_depth.saturating_sub(1),
                _ => {}
            }
        }
        current.push(token);
    }
    items.extend(item(current));
    items
}

/// Whether a `>` continues `-` or `=` (`->`, `=>`) rather than closing a generic.
fn is_arrow(previous: Option<&TokenTree>) -> bool {
    matches!(previous, Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint && matches!(p.as_char(), '-' | '='))
}

fn item(tokens: Vec<TokenTree>) -> Option<AttrItem> {
    match tokens.as_slice() {
        [] => None,
        [TokenTree::Ident(key), TokenTree::Punct(eq), ..] if eq.as_char() == '=' && eq.spacing() == Spacing::Alone => {
            Some(AttrItem::Option { key: key.clone(), value: tokens[2..].iter().cloned().collect() })
        }
        [only] => Some(AttrItem::Positional(tokens[..].iter().cloned().collect(), Some(only.clone()))),
        _ => Some(AttrItem::Positional(tokens.into_iter().collect(), None)),
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn describe(tokens: TokenStream) -> Vec<String> {
        attr_items(tokens)
            .into_iter()
            .map(|item| match item {
                AttrItem::Positional(tokens, _) => format!("positional {tokens}"),
                AttrItem::Option { key, value } => format!("{key} = {value}"),
            })
            .collect()
    }

    #[test]
    fn splits_positionals_and_options() {
        assert_eq!(
            describe(quote!(post, "images/<imageId>", status = 201, state = HashMap<String, u8>,)),
            ["positional post", "positional \"images/<imageId>\"", "status = 201", "state = HashMap < String , u8 >"]
        );
    }

    #[test]
    fn keeps_comparisons_and_empty_values_for_validation() {
        assert_eq!(describe(quote!(status =, scope == user)), ["status = ", "positional scope == user"]);
    }
}
