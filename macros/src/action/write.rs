//! Writing generated code straight into the stream it belongs to.
//!
//! `quote!` builds a stream of its own, and splicing one stream into another costs several
//! calls across the compiler's bridge: both are flushed to the compiler, the inner one is
//! cloned, and the two are concatenated. Each action had a few dozen fragments spliced that
//! way (about 7 % of the macro's instructions in a crate of 200 actions, `BENCHMARKS.md`). So
//! emit writes each action as a few `quote!`s whose holes are only single tokens, user types
//! and the writers here, which append their tokens in place; only a group (`(..)`, `{..}`)
//! still costs a call, as it does in `quote!` itself.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// Appends tokens to a stream under one span, as `quote_spanned!` would write them.
pub struct Writer<'a> {
    tokens: &'a mut TokenStream,
    span: Span,
}

impl<'a> Writer<'a> {
    pub fn new(tokens: &'a mut TokenStream, span: Span) -> Self {
        Self { tokens, span }
    }

    pub fn ident(&mut self, name: &str) -> &mut Self {
        self.tokens.append(Ident::new(name, self.span));
        self
    }

    /// An operator (`::`, `<`, `,`), its characters joined.
    pub fn punct(&mut self, operator: &str) -> &mut Self {
        let mut characters = operator.chars().peekable();
        while let Some(character) = characters.next() {
            let spacing = if characters.peek().is_some() { Spacing::Joint } else { Spacing::Alone };
            let mut punct = Punct::new(character, spacing);
            punct.set_span(self.span);
            self.tokens.append(punct);
        }
        self
    }

    /// A lifetime, `'name`.
    pub fn lifetime(&mut self, name: &str) -> &mut Self {
        let mut apostrophe = Punct::new('\'', Spacing::Joint);
        apostrophe.set_span(self.span);
        self.tokens.append(apostrophe);
        self.ident(name)
    }

    /// A value with its own spans: a user's type, an identifier, another writer.
    pub fn tokens(&mut self, value: &dyn ToTokens) -> &mut Self {
        value.to_tokens(self.tokens);
        self
    }

    /// A delimited group whose contents `write` appends, under the same span.
    pub fn group(&mut self, delimiter: Delimiter, write: impl FnOnce(&mut Writer<'_>)) -> &mut Self {
        let mut contents = TokenStream::new();
        write(&mut Writer::new(&mut contents, self.span));
        let mut group = Group::new(delimiter, contents);
        group.set_span(self.span);
        self.tokens.append(group);
        self
    }

    /// The runtime's alias, under this writer's span.
    pub fn runtime(&mut self, runtime: &Runtime) -> &mut Self {
        let mut alias = runtime.alias.clone();
        alias.set_span(self.span);
        self.tokens.append(alias);
        self
    }

    /// `RT::function::<T, Marker>()`: a role's requirement function called with the user's
    /// type, so that an unmet requirement is reported on the type.
    pub fn requirement(&mut self, runtime: &Runtime, function: &str, ty: &dyn ToTokens, marker: &Ident) -> &mut Self {
        self.runtime(runtime).punct("::").ident(function).punct("::").punct("<").tokens(ty).punct(",");
        self.tokens(marker).punct(">").group(Delimiter::Parenthesis, |_| {})
    }

    /// `RT::Name<T>`: a runtime type applied to a user's type.
    pub fn runtime_type(&mut self, runtime: &Runtime, name: &str, ty: &dyn ToTokens) -> &mut Self {
        self.runtime(runtime).punct("::").ident(name).punct("<").tokens(ty).punct(">")
    }
}

/// How generated code names the runtime's `__private` module: through an alias that each
/// action imports for itself (`use ::scalr_endpoints::__private as __scalr_rt_copy_image;`).
/// A path written out in full at each of an action's thirty-odd uses was a fifth of the tokens
/// the macro emits, and each token costs the macro a trip across the bridge and rustc a token
/// to parse and resolve. The alias is named after the action, so that two actions of one
/// module never import the same name, and it needs no scope of its own.
pub struct Runtime {
    alias: Ident,
}

impl Runtime {
    pub fn new(action: &Ident) -> Self {
        let name = action.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        Self { alias: Ident::new(&format!("__scalr_rt_{name}"), Span::call_site()) }
    }

    /// The `use` item that brings the alias in, from the facade crate at `facade`.
    pub fn import(&self, facade: &syn::Path) -> TokenStream {
        let alias = &self.alias;
        quote::quote! {
            #[allow(unused_imports)]
            use #facade::__private as #alias;
        }
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(self.alias.clone());
    }
}

/// Tokens that `write` appends under `span` wherever the value is spliced into a `quote!`.
pub struct Spanned<F> {
    span: Span,
    write: F,
}

impl<F: Fn(&mut Writer<'_>)> ToTokens for Spanned<F> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        (self.write)(&mut Writer::new(tokens, self.span));
    }
}

/// A fragment written by `write` under `span`, for a `quote!` hole.
pub fn spanned<F: Fn(&mut Writer<'_>)>(span: Span, write: F) -> Spanned<F> {
    Spanned { span, write }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenTree;
    use quote::{quote, quote_spanned};

    use super::*;

    /// The writers give the tokens `quote_spanned!` gives, spacing included.
    #[test]
    fn writes_what_quote_writes() {
        let runtime = Runtime::new(&syn::parse_quote!(get_image));
        let (ty, marker): (syn::Type, Ident) = (syn::parse_quote!(Vec<u8>), syn::parse_quote!(get_image));
        let span = Span::call_site();
        let written = spanned(span, |out| {
            out.requirement(&runtime, "placeholder", &ty, &marker).punct(".").ident("spec").punct(",");
            out.runtime_type(&runtime, "BodySlot", &ty).group(Delimiter::Brace, |out| {
                out.ident("a").punct("::");
            });
        });
        let expected = quote_spanned! {span=>
            #runtime::placeholder::<#ty, #marker>().spec, #runtime::BodySlot<#ty> { a:: }
        };
        assert_eq!(quote!(#written).to_string(), expected.to_string());
        let spacing = |tokens: TokenStream| {
            tokens
                .into_iter()
                .filter_map(|token| match token {
                    TokenTree::Punct(punct) => Some((punct.as_char(), punct.spacing())),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(spacing(quote!(#written)), spacing(expected));
    }
}
