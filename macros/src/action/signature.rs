//! The function under the attribute, and the rules its signature follows.
//!
//! Only the signature is parsed: the body stays the tokens it was written as, so that a syntax
//! error inside it is rustc's to report, in rustc's words, once the function is emitted again.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, FnArg, ReturnType, Signature, Type, Visibility, braced, token};

use super::diagnostics::Diagnostics;

/// A function whose signature is parsed and whose body is not.
pub struct ActionFn {
    /// The outer attributes, doc comments included.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: OpaqueBody,
}

/// A function body as written: braces around tokens that are never parsed.
pub struct OpaqueBody {
    brace: token::Brace,
    tokens: TokenStream,
}

impl Parse for ActionFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let content;
        let brace = braced!(content in input);
        let tokens = content.parse()?;
        Ok(Self { attrs, vis, sig, body: OpaqueBody { brace, tokens } })
    }
}

impl ActionFn {
    /// Parses `item`, handing the body over as the group it is: syn never walks its tokens,
    /// which for most functions are half of them. Anything that does not end in a body is
    /// left to the full parser, for its error.
    pub fn parse_item(item: &TokenStream) -> syn::Result<Self> {
        let mut trees: Vec<TokenTree> = item.clone().into_iter().collect();
        match trees.pop() {
            Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => {
                let body = OpaqueBody { brace: token::Brace(body.delim_span()), tokens: body.stream() };
                // The common form without syn's parser; anything else, and every mistake, is syn's.
                if let Some((attrs, vis, sig)) = super::quick::head(&trees) {
                    return Ok(Self { attrs, vis, sig, body });
                }
                let head =
                    |input: ParseStream<'_>| Ok((input.call(Attribute::parse_outer)?, input.parse()?, input.parse()?));
                let (attrs, vis, sig) = head.parse2(trees.into_iter().collect())?;
                Ok(Self { attrs, vis, sig, body })
            }
            _ => syn::parse2(item.clone()),
        }
    }
}

impl ToTokens for ActionFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for attr in &self.attrs {
            attr.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.brace.surround(tokens, |inner| inner.extend([self.body.tokens.clone()]));
    }
}

impl OpaqueBody {
    /// The inner attributes the body starts with (`//!` lines document the function too);
    /// none when they do not parse, which rustc then reports.
    ///
    /// Only the leading `#!` and the tree after each are handed to syn: parsing the whole body
    /// to find them had syn copy every token of it, nested ones included.
    pub fn inner_attributes(&self) -> Vec<Attribute> {
        let is_punct = |tree: Option<&TokenTree>, character: char| matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == character);
        let trees: Vec<TokenTree> = self.tokens.clone().into_iter().collect();
        let mut end = 0;
        while is_punct(trees.get(end), '#') && is_punct(trees.get(end + 1), '!') {
            end = (end + 3).min(trees.len());
        }
        if end == 0 {
            return Vec::new();
        }
        let leading: TokenStream = trees.into_iter().take(end).collect();
        Attribute::parse_inner.parse2(leading).unwrap_or_default()
    }
}

/// Checks the signature's head: an action is a free, plain `async fn`.
pub fn check(sig: &Signature, diagnostics: &mut Diagnostics) {
    check_async(sig, diagnostics);
    check_not_const(sig, diagnostics);
    check_not_unsafe(sig, diagnostics);
    check_no_abi(sig, diagnostics);
    check_not_generic(sig, diagnostics);
    check_no_where_clause(sig, diagnostics);
    check_not_variadic(sig, diagnostics);
    check_no_receiver(sig, diagnostics);
}

fn check_async(sig: &Signature, diagnostics: &mut Diagnostics) {
    if sig.asyncness.is_some() {
        return;
    }
    match &sig.constness {
        Some(token) => {
            diagnostics.error(token.span, "an action must be an `async fn`, not a `const fn`", "write `async fn`")
        }
        None => diagnostics.error(sig.fn_token.span, "an action must be an `async fn`", "write `async fn`"),
    }
}

/// A `const async fn` (a `const fn` without `async` is reported as not async).
fn check_not_const(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let (Some(token), Some(_)) = (&sig.constness, &sig.asyncness) {
        diagnostics.error(token.span, "an action cannot be `const`", "remove `const`");
    }
}

fn check_not_unsafe(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let Some(token) = &sig.unsafety {
        diagnostics.error(
            token.span,
            "an action cannot be `unsafe`",
            "remove `unsafe`; keep unsafe code inside the body",
        );
    }
}

fn check_no_abi(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let Some(abi) = &sig.abi {
        diagnostics.error_spanned(abi, "an action cannot have an `extern` ABI", "remove the `extern` qualifier");
    }
}

/// The router serves each action with one handler, so its types are concrete.
fn check_not_generic(sig: &Signature, diagnostics: &mut Diagnostics) {
    if !sig.generics.params.is_empty() {
        diagnostics.error_spanned(
            &sig.generics,
            "an action cannot be generic",
            "use concrete types: the router serves each action with one handler",
        );
    }
}

fn check_no_where_clause(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let Some(where_clause) = &sig.generics.where_clause {
        diagnostics.error_spanned(where_clause, "an action cannot have a `where` clause", "use concrete types");
    }
}

fn check_not_variadic(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let Some(variadic) = &sig.variadic {
        diagnostics.error_spanned(variadic, "an action cannot be variadic", "remove the `...` argument");
    }
}

/// syn accepts a receiver only as the first argument, so there is at most one.
fn check_no_receiver(sig: &Signature, diagnostics: &mut Diagnostics) {
    if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
        diagnostics.error_spanned(
            receiver,
            "an action is a free function and cannot take `self`",
            "move it out of the `impl` block and take what it needs as arguments",
        );
    }
}

/// The declared return type, `Some(None)` for `()`; `None` when it cannot be named.
pub fn check_named_return_type(output: &ReturnType, diagnostics: &mut Diagnostics) -> Option<Option<Type>> {
    match output {
        ReturnType::Default => Some(None),
        ReturnType::Type(_, ty) if contains_impl_trait(ty) => {
            diagnostics.error_spanned(
                ty,
                "the return type of an action must be named",
                "write the concrete type instead of `impl Trait`",
            );
            None
        }
        ReturnType::Type(_, ty) => Some(Some((**ty).clone())),
    }
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> syn::visit::Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    syn::visit::Visit::visit_type(&mut finder, ty);
    finder.0
}
