//! The common function head read without syn's parser: doc comments, `pub` or nothing,
//! `async fn name(name: Type, ...) -> Type`, every type `()` or a path whose generic arguments are
//! such types. syn's parser, unoptimised as a user's debug build runs it, tries a dozen forms at each
//! token (a pattern, a receiver, each kind of type), about 30,000 instructions for a plain
//! `env_id: EnvId`. Everything here builds the same syn values, with the same spans, that syn
//! would; whatever does not have the common form is left to syn, which then also reports what
//! is wrong with it.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenTree};
use syn::punctuated::Punctuated;
use syn::{
    AttrStyle, Attribute, FnArg, GenericArgument, Generics, Pat, PatIdent, PatType, Path, PathArguments, PathSegment,
    ReturnType, Signature, Type, TypePath, Visibility, token,
};

/// The attributes, visibility and signature of `head` (the function's tokens before its body),
/// when all of it has the common form.
pub fn head(head: &[TokenTree]) -> Option<(Vec<Attribute>, Visibility, Signature)> {
    let mut cursor = Cursor { trees: head, at: 0 };
    let mut attrs = Vec::new();
    while let Some(pound) = cursor.punct('#') {
        attrs.push(doc_attribute(pound, cursor.group(Delimiter::Bracket)?)?);
    }
    let vis = match cursor.keyword("pub") {
        // `pub(crate)` and the like are syn's.
        Some(_) if matches!(cursor.peek(), Some(TokenTree::Group(_))) => return None,
        Some(token) => Visibility::Public(token::Pub(token.span())),
        None => Visibility::Inherited,
    };
    let asyncness = token::Async(cursor.keyword("async")?.span());
    let fn_token = token::Fn(cursor.keyword("fn")?.span());
    let ident = cursor.name()?;
    let arguments = cursor.group(Delimiter::Parenthesis)?;
    let inputs = inputs(arguments)?;
    let output = if cursor.is_empty() {
        ReturnType::Default
    } else {
        let minus = cursor.joint_punct('-')?;
        let greater = cursor.punct('>')?;
        let ty = cursor.path_type()?;
        ReturnType::Type(token::RArrow { spans: [minus.span(), greater.span()] }, Box::new(ty))
    };
    if !cursor.is_empty() {
        return None;
    }
    let sig = Signature {
        constness: None,
        asyncness: Some(asyncness),
        unsafety: None,
        abi: None,
        fn_token,
        ident,
        generics: Generics::default(),
        paren_token: token::Paren(arguments.delim_span()),
        inputs,
        variadic: None,
        output,
    };
    Some((attrs, vis, sig))
}

/// `#[doc = "..."]`, which is what a `///` line is.
fn doc_attribute(pound: &Punct, group: &Group) -> Option<Attribute> {
    let trees: Vec<TokenTree> = group.stream().into_iter().collect();
    let [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text)] = trees.as_slice() else { return None };
    if eq.as_char() != '=' || *doc != "doc" {
        return None;
    }
    let syn::Lit::Str(text) = syn::Lit::new(text.clone()) else { return None };
    Some(Attribute {
        pound_token: token::Pound { spans: [pound.span()] },
        style: AttrStyle::Outer,
        bracket_token: token::Bracket(group.delim_span()),
        meta: syn::Meta::NameValue(syn::MetaNameValue {
            path: Path::from(doc.clone()),
            eq_token: token::Eq { spans: [eq.span()] },
            value: syn::Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(text) }),
        }),
    })
}

/// `name: Type, ...`, a trailing comma allowed.
fn inputs(arguments: &Group) -> Option<Punctuated<FnArg, token::Comma>> {
    let trees: Vec<TokenTree> = arguments.stream().into_iter().collect();
    let mut cursor = Cursor { trees: &trees, at: 0 };
    let mut inputs = Punctuated::new();
    while !cursor.is_empty() {
        let ident = cursor.name()?;
        let colon = cursor.colon()?;
        let ty = cursor.path_type()?;
        inputs.push_value(FnArg::Typed(PatType {
            attrs: Vec::new(),
            pat: Box::new(Pat::Ident(PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident,
                subpat: None,
            })),
            colon_token: token::Colon { spans: [colon.span()] },
            ty: Box::new(ty),
        }));
        if cursor.is_empty() {
            break;
        }
        inputs.push_punct(token::Comma { spans: [cursor.punct(',')?.span()] });
    }
    Some(inputs)
}

/// Reads token trees front to back.
struct Cursor<'a> {
    trees: &'a [TokenTree],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn is_empty(&self) -> bool {
        self.at == self.trees.len()
    }

    fn peek(&self) -> Option<&'a TokenTree> {
        self.trees.get(self.at)
    }

    /// The next tree, when `accept` takes it.
    fn next_if<T>(&mut self, accept: impl FnOnce(&'a TokenTree) -> Option<T>) -> Option<T> {
        let taken = accept(self.peek()?)?;
        self.at += 1;
        Some(taken)
    }

    /// An operator character. Its spacing is not asked: what could follow it to make a longer
    /// operator would not be what the caller reads next.
    fn punct(&mut self, character: char) -> Option<&'a Punct> {
        self.next_if(|tree| match tree {
            TokenTree::Punct(punct) if punct.as_char() == character => Some(punct),
            _ => None,
        })
    }

    /// A `:` that is not the start of `::`.
    fn colon(&mut self) -> Option<&'a Punct> {
        self.next_if(|tree| match tree {
            TokenTree::Punct(punct) if punct.as_char() == ':' && punct.spacing() == Spacing::Alone => Some(punct),
            _ => None,
        })
    }

    /// The first character of a longer operator (`-` of `->`).
    fn joint_punct(&mut self, character: char) -> Option<&'a Punct> {
        self.next_if(|tree| match tree {
            TokenTree::Punct(punct) if punct.as_char() == character && punct.spacing() == Spacing::Joint => Some(punct),
            _ => None,
        })
    }

    fn group(&mut self, delimiter: Delimiter) -> Option<&'a Group> {
        self.next_if(|tree| match tree {
            TokenTree::Group(group) if group.delimiter() == delimiter => Some(group),
            _ => None,
        })
    }

    fn keyword(&mut self, keyword: &str) -> Option<&'a Ident> {
        self.next_if(|tree| match tree {
            TokenTree::Ident(ident) if *ident == keyword => Some(ident),
            _ => None,
        })
    }

    /// An identifier that is no keyword: a function's, an argument's or a path segment's name.
    fn name(&mut self) -> Option<Ident> {
        self.next_if(|tree| match tree {
            TokenTree::Ident(ident) if !is_keyword(&ident.to_string()) => Some(ident.clone()),
            _ => None,
        })
    }

    /// `::`.
    fn path_separator(&mut self) -> Option<token::PathSep> {
        let start = self.at;
        let first = self.joint_punct(':');
        match (first, first.and_then(|_| self.colon())) {
            (Some(first), Some(second)) => Some(token::PathSep { spans: [first.span(), second.span()] }),
            _ => {
                self.at = start;
                None
            }
        }
    }

    /// `()`, or `a::b::C<D, E<F>>`: segments, each with such types as its generic arguments.
    fn path_type(&mut self) -> Option<Type> {
        let unit = self.next_if(|tree| match tree {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis && group.stream().is_empty() => {
                Some(group)
            }
            _ => None,
        });
        if let Some(unit) = unit {
            return Some(Type::Tuple(syn::TypeTuple {
                paren_token: token::Paren(unit.delim_span()),
                elems: Punctuated::new(),
            }));
        }
        let mut segments = Punctuated::new();
        loop {
            let ident = self.name()?;
            // A `<` joint with what follows starts a lifetime (`<'a>`) or a qualified path (`<<`).
            let less = self.next_if(|tree| match tree {
                TokenTree::Punct(punct) if punct.as_char() == '<' && punct.spacing() == Spacing::Alone => Some(punct),
                _ => None,
            });
            let arguments = match less {
                Some(less) => PathArguments::AngleBracketed(self.generic_arguments(less)?),
                None => PathArguments::None,
            };
            segments.push_value(PathSegment { ident, arguments });
            match self.path_separator() {
                Some(separator) => segments.push_punct(separator),
                None => break,
            }
        }
        Some(Type::Path(TypePath { qself: None, path: Path { leading_colon: None, segments } }))
    }

    /// The types after `<`, up to and with the `>`.
    fn generic_arguments(&mut self, less: &Punct) -> Option<syn::AngleBracketedGenericArguments> {
        let mut args = Punctuated::new();
        let greater = loop {
            args.push_value(GenericArgument::Type(self.path_type()?));
            if let Some(greater) = self.punct('>') {
                break greater;
            }
            args.push_punct(token::Comma { spans: [self.punct(',')?.span()] });
        };
        Some(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: token::Lt { spans: [less.span()] },
            args,
            gt_token: token::Gt { spans: [greater.span()] },
        })
    }
}

/// The words syn does not take as an identifier (`syn::Ident`'s parser), and `_`.
fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "union"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;
    use syn::parse::{ParseStream, Parser};

    use super::*;

    fn by_syn(head: TokenStream) -> (Vec<Attribute>, Visibility, Signature) {
        let parse = |input: ParseStream<'_>| Ok((input.call(Attribute::parse_outer)?, input.parse()?, input.parse()?));
        parse.parse2(head).expect("syn parses the head")
    }

    fn quick(head: TokenStream) -> Option<(Vec<Attribute>, Visibility, Signature)> {
        super::head(&head.into_iter().collect::<Vec<_>>())
    }

    /// The common forms give exactly what syn gives.
    #[test]
    fn reads_what_syn_reads() {
        let heads = [
            quote! {
                /// List the servers of a farm.
                pub async fn list_00(env_id: EnvId, farm_id: u64, paging: Paging) -> Result<Page<Server>, ApiError>
            },
            quote!(async fn get(id: String,) -> Result<(), ApiError>),
            quote! {
                /// Two
                /// lines.
                async fn create(body: Body<std::collections::BTreeMap<String, Vec<u8>>>, r#type: a::B<C>)
            },
            quote!(pub async fn none()),
        ];
        for head in heads {
            let read = quick(head.clone()).unwrap_or_else(|| panic!("not read: {head}"));
            assert!(read == by_syn(head.clone()), "read differently: {head}");
        }
    }

    /// Anything else is left to syn.
    #[test]
    fn leaves_the_rest_to_syn() {
        let heads = [
            quote!(#[allow(unused)] async fn a()),
            quote!(pub(crate) async fn a()),
            quote!(fn a()),
            quote!(async unsafe fn a()),
            quote!(async fn a<T>(t: T)),
            quote!(async fn a(State(app): State<App>)),
            quote!(async fn a(mut x: u32)),
            quote!(async fn a(_: u32)),
            quote!(async fn a(x: &str)),
            quote!(async fn a(x: Cow<'static, str>)),
            quote!(async fn a(x: <T as Tr>::A)),
            quote!(async fn a(x: ::std::string::String)),
            quote!(async fn a(x: Vec::<u8>)),
            quote!(async fn a(x: Box<dyn Fn(u8) -> u8>)),
            quote!(async fn a(x: impl Send)),
            quote!(async fn a(x: (u8, u8))),
            quote!(async fn a() -> impl Serialize),
            quote!(async fn a() -> Result<T, E> where T: Send),
            quote!(async fn a(x: Vec<u8> + Send)),
            quote!(async fn a(x: Iter<Item = u8>)),
            quote!(async fn a(self)),
        ];
        for head in heads {
            assert!(quick(head.clone()).is_none(), "read: {head}");
        }
    }
}
