//! Writing generated code straight into the stream it belongs to.
//!
//! Every token the macro builds costs it a trip across the compiler's bridge, and an
//! unoptimised one at that: about two thousand instructions a token in a crate of 200 actions
//! (`BENCHMARKS.md`). So the tokens of an action that carry the call site's span, nearly all of
//! them, are written as Rust source into a [`Code`] and handed to the compiler as text, which
//! it lexes into the very tokens `quote!` would have built, at a third of the cost. Only what
//! carries a user's span (a type, the function's name, an error code) is written as tokens, in
//! place: by the user's own tokens, or by a [`Writer`] under the user's span. Splicing a
//! `quote!` stream of its own into another would cost several calls across the bridge.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

use super::crate_path::Facade;

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

    /// An operator (`::`, `<`, `,`), its characters joined. Operators are ASCII, and read by
    /// index: a peekable iterator of characters, unoptimised, cost more than the tokens.
    pub fn punct(&mut self, operator: &str) -> &mut Self {
        let characters = operator.as_bytes();
        let mut index = 0;
        while index < characters.len() {
            let spacing = if index + 1 < characters.len() { Spacing::Joint } else { Spacing::Alone };
            let mut punct = Punct::new(char::from(characters[index]), spacing);
            punct.set_span(self.span);
            self.tokens.append(punct);
            index += 1;
        }
        self
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
    /// The alias as source text.
    pub name: String,
}

impl Runtime {
    pub fn new(action: &Ident) -> Self {
        let name = action.to_string();
        let name = format!("__scalr_rt_{}", name.strip_prefix("r#").unwrap_or(&name));
        Self { alias: Ident::new(&name, Span::call_site()), name }
    }

    /// The `use` item that brings the alias in, from the facade crate. Every item emitted with
    /// it names it, so it needs no `#[allow(unused_imports)]`, which is one more lint level
    /// for rustc to keep per action.
    pub fn import(&self, facade: &Facade, code: &mut Code) {
        code.text("use");
        match facade {
            Facade::Named(name) => code.text(&format!("::{name}")),
            Facade::Given(path) => code.tokens(path),
        };
        code.text(&format!("::__private as {};", self.name));
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append(self.alias.clone());
    }
}

/// Generated code: call-site source text, with tokens that carry other spans in between.
///
/// Text is kept until a token needs to go after it, then the compiler lexes it in one call
/// ([`source`]); a group whose contents are all text is written as text too. Each piece of
/// text must be whole tokens, an operator split between two pieces would lex as two, and
/// the text between two tokens must close every delimiter it opens: a group that holds
/// tokens is written with [`Code::group`].
pub struct Code {
    tokens: TokenStream,
    text: String,
    /// Whether `tokens` holds anything: asking the stream would cost a trip across the bridge.
    has_tokens: bool,
}

impl Code {
    /// No code yet.
    pub fn new() -> Self {
        Self { tokens: TokenStream::new(), text: String::new(), has_tokens: false }
    }

    /// Source text, every token of it under the call site's span.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self.text.push(' ');
        self
    }

    /// Tokens with spans of their own: a user's, or a [`Writer`]'s.
    pub fn tokens(&mut self, value: &dyn ToTokens) -> &mut Self {
        self.flush();
        value.to_tokens(&mut self.tokens);
        self.has_tokens = true;
        self
    }

    /// A short piece of call-site code (`struct`, `;`, `{}`) written by `write` as tokens when
    /// it sits between tokens: text lexed on its own costs more than a few tokens.
    pub fn small(&mut self, text: &str, write: impl FnOnce(&mut Writer<'_>)) -> &mut Self {
        if self.text.is_empty() {
            write(&mut Writer::new(&mut self.tokens, Span::call_site()));
            self.has_tokens = true;
        } else {
            self.text(text);
        }
        self
    }

    /// A delimited group under the call site's span, whose contents `write` adds.
    pub fn group(&mut self, delimiter: Delimiter, write: impl FnOnce(&mut Code)) -> &mut Self {
        let mut inner = Code::new();
        write(&mut inner);
        if !inner.has_tokens {
            let (open, close) = match delimiter {
                Delimiter::Parenthesis => ("(", ")"),
                Delimiter::Brace => ("{", "}"),
                Delimiter::Bracket => ("[", "]"),
                Delimiter::None => ("", ""),
            };
            self.text.push_str(open);
            self.text.push_str(&inner.text);
            self.text.push_str(close);
            self.text.push(' ');
            return self;
        }
        let group = Group::new(delimiter, inner.finish());
        self.tokens(&group)
    }

    /// The code, lexing the text left.
    pub fn finish(mut self) -> TokenStream {
        self.flush();
        self.tokens
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            // One stream, not its trees: these would cross the bridge back and forth.
            self.tokens.extend([source(&self.text)]);
            self.text.clear();
            self.has_tokens = true;
        }
    }
}

/// `text` as a Rust string literal.
pub fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

/// The call-site tokens of `text`, lexed by the compiler in one call across the bridge.
/// proc_macro2's own `parse` would first lex the text again in the macro, unoptimised, to
/// check it; the text here is the macro's own and always lexes. Outside a macro (the unit
/// tests) proc_macro2 lexes it.
pub fn source(text: &str) -> TokenStream {
    if proc_macro::is_available() {
        let stream: proc_macro::TokenStream = text.parse().expect("generated source lexes");
        stream.into()
    } else {
        text.parse().expect("generated source lexes")
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
