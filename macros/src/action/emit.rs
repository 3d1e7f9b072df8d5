//! Generates the code that serves a validated [`Action`]: a marker struct named like the
//! function (in the type namespace, so the function itself stays untouched and callable), its
//! metadata, and the handler that runs the framework's checks, the extractors and the function.
//!
//! Generated locals use mixed-site hygiene so they cannot collide with the user's names, and
//! every use of a user's type carries that type's span, so an unmet trait bound is reported on
//! the user's own argument or return type.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::{Action, ArgumentKind, State};

/// The marker struct, the metadata and the handler of `action`, reaching the runtime through
/// the `__private` module of `facade`.
pub fn action(action: &Action, facade: &syn::Path) -> TokenStream {
    let rt = Runtime::new(facade);
    let marker = marker(action);
    let info = info_impl(action, &rt);
    let serve = action_impl(action, &rt);
    quote! {
        #marker
        #info
        #serve
    }
}

/// The path of the runtime's `__private` module (`::scalr_endpoints::__private`), written out
/// at every use. An alias (`use ... as __scalr`) would need a scope of its own, an anonymous
/// `const _: () = { ... }` per action, and each constant's body costs compile time.
struct Runtime {
    path: Vec<TokenTree>,
}

impl Runtime {
    fn new(facade: &syn::Path) -> Self {
        Self { path: quote!(#facade::__private).into_iter().collect() }
    }

    /// The path with every token at `span`, for code reported under a user's type.
    fn at(&self, span: Span) -> RuntimeAt<'_> {
        RuntimeAt { runtime: self, span }
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.path.iter().cloned());
    }
}

/// [`Runtime`] under one span.
struct RuntimeAt<'a> {
    runtime: &'a Runtime,
    span: Span,
}

impl ToTokens for RuntimeAt<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(self.runtime.path.iter().map(|token| {
            let mut token = token.clone();
            token.set_span(self.span);
            token
        }));
    }
}

/// What is emitted besides the user's function when the declaration has mistakes: the marker
/// and impls that accept any router, so that registering the action adds no errors of its own.
pub fn placeholder(name: &Ident, vis: &syn::Visibility, facade: &syn::Path) -> TokenStream {
    let rt = Runtime::new(facade);
    let marker = marker_struct(name, vis);
    let name_text = name.to_string();
    quote! {
        #marker
            impl #rt::ActionInfo for #name {
                const META: &'static #rt::ActionMeta = &#rt::ActionMeta::invalid(#name_text);
            }
            impl<__ScalrState> #rt::Action<__ScalrState> for #name {
                fn call(
                    _: #rt::Request,
                    _: __ScalrState,
                    _: #rt::Arc<#rt::Pipeline>,
                ) -> #rt::ActionFuture {
                    ::core::unreachable!("`#[scalr_action]` reported errors for this action")
                }
            }
    }
}

fn marker(action: &Action) -> TokenStream {
    marker_struct(&action.name, &action.vis)
}

fn marker_struct(name: &Ident, vis: &syn::Visibility) -> TokenStream {
    let doc = format!(" The action `{name}`: register it with `ScalrApi::action({name} {{}})`.");
    quote! {
        #[doc(hidden)]
        #[doc = #doc]
        // No derives: the router needs only the type, and each would cost compile time.
        #[allow(non_camel_case_types, missing_copy_implementations, missing_debug_implementations)]
        #vis struct #name {}
    }
}

fn info_impl(action: &Action, rt: &Runtime) -> TokenStream {
    let name = &action.name;
    let name_text = name.to_string();
    let method = format_ident!("{}", action.method.variant());
    let scope = format_ident!("{}", action.scope.variant());
    let path = action.template.path(action.scope);
    let route = action.template.route(action.scope);
    let status = action.status;
    let description = &action.description;
    let path_params = action.bindings_in_template_order().map(|binding| {
        let placeholder = &binding.placeholder;
        let ty = &action.arguments[binding.argument].ty;
        let spec = {
            let span = ty.span();
            let runtime = rt.at(span);
            quote_spanned!(span=> #runtime::placeholder::<#ty, #name>().spec)
        };
        quote! { #rt::PathParamMeta { name: #placeholder, spec: #spec } }
    });
    let permission = match &action.permission {
        Some(permission) => quote!(::core::option::Option::Some(#permission)),
        None => quote!(::core::option::Option::None),
    };
    let body = action.arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::Body(object) => Some(object),
        _ => None,
    });
    let body = match (body, &action.body_name) {
        (Some(object), Some(body_name)) => {
            let schema = {
                let span = object.span();
                let runtime = rt.at(span);
                quote_spanned!(span=> #runtime::body::<#object, #name>().schema)
            };
            quote!(::core::option::Option::Some(#rt::BodyMeta { name: #body_name, schema: #schema }))
        }
        _ => quote!(::core::option::Option::None),
    };
    let query_args = action.arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::QueryArgs(parameters) => {
            let schema = {
                let span = parameters.span();
                let runtime = rt.at(span);
                quote_spanned!(span=> #runtime::query_args::<#parameters, #name>().schema)
            };
            Some(quote!(::core::option::Option::Some(#schema)))
        }
        _ => None,
    });
    let query_args = query_args.unwrap_or_else(|| quote!(::core::option::Option::None));
    let output = output_type(action);
    let output_spec = {
        let span = output_span(action);
        let runtime = rt.at(span);
        quote_spanned!(span=> #runtime::output::<#output, #name>().spec)
    };
    let errors = action.errors.iter().map(|code| quote!(#rt::ErrorCode::#code));
    quote! {
        impl #rt::ActionInfo for #name {
            const META: &'static #rt::ActionMeta = &#rt::ActionMeta {
                name: #name_text,
                method: #rt::Method::#method,
                scope: #rt::Scope::#scope,
                path: #path,
                route: #route,
                status: #status,
                description: #description,
                path_params: &[#(#path_params),*],
                body: #body,
                query_args: #query_args,
                permission: #permission,
                output: #output_spec,
                errors: &[#(#errors),*],
            };
        }
    }
}

/// The `Action` impl: one call of the runtime's `serve_N` (N extractors), which does the path
/// lookup, the admission, the binding and the reply for every action alike. What is particular
/// to the action goes in as the extractor types, the roles of the other arguments and a closure
/// that calls the function with the bound values in declaration order. Each user type is named
/// under its own span through the requirement of its role, so an unmet bound is reported there.
/// Every generic argument of `serve_N` but the closure's and its future's is written out
/// (inferring them cost about 3 % of a 200-action crate's `cargo check`).
fn action_impl(action: &Action, rt: &Runtime) -> TokenStream {
    let local = |name: &str| Ident::new(&format!("__scalr_{name}"), Span::mixed_site());
    let (request, state, pipeline) = (local("request"), local("state"), local("pipeline"));
    let name = &action.name;
    let extractors: Vec<&syn::Type> = action
        .arguments
        .iter()
        .filter(|argument| argument.kind == ArgumentKind::Extractor)
        .map(|argument| &argument.ty)
        .collect();
    let (generics, bounds) = match &action.state {
        State::Known(_) => (quote!(), quote!()),
        State::Any => (
            quote!(<__ScalrState>),
            quote! {
                where
                    __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static,
                    #(#extractors: #rt::ExtractorValue<__ScalrState, #name>,)*
            },
        ),
    };
    let state_type = state_type(action);
    let serve = format_ident!("serve_{}", extractors.len());
    let RolesConst { types: roles_types, item: roles } = roles_const(action, rt);
    let closure = call_closure(action, rt);
    quote! {
        #roles
        impl #generics #rt::Action<#state_type> for #name #bounds {
            fn call(
                #request: #rt::Request,
                #state: #state_type,
                #pipeline: #rt::Arc<#rt::Pipeline>,
            ) -> #rt::ActionFuture {
                #rt::#serve::<Self, #state_type, #(#extractors,)* #roles_types, _, _>(
                    #request, #state, #pipeline, Self::__SCALR_ROLES, #closure,
                )
            }
        }
    }
}

/// The runtime's `Roles` of the arguments that are not extractors and of the return type, as
/// a constant of the marker: the compiler computes its function pointers once, so neither the
/// requirement functions nor a `Roles` value with types to infer reach the body of `call`, the
/// part of the expansion that costs most to check.
fn roles_const(action: &Action, rt: &Runtime) -> RolesConst {
    let marker = &action.name;
    let (placeholder_types, placeholders): (Vec<TokenStream>, Vec<TokenStream>) = action
        .bindings
        .iter()
        .map(|binding| {
            let ty = &action.arguments[binding.argument].ty;
            let route_value = binding.route_value;
            let span = ty.span();
            let runtime = rt.at(span);
            (
                quote_spanned!(span=> #runtime::Placeholder<#ty>,),
                quote_spanned! {span=>
                    #runtime::Placeholder { route_value: #route_value, parse: #runtime::placeholder::<#ty, #marker>().parse },
                },
            )
        })
        .unzip();
    let env_id = action.arguments.iter().find(|argument| argument.kind == ArgumentKind::EnvId).map(|argument| {
        let ty = &argument.ty;
        let span = ty.span();
        let runtime = rt.at(span);
        (quote_spanned!(span=> #runtime::EnvIdSlot<#ty>), quote_spanned!(span=> #runtime::env_id::<#ty, #marker>()))
    });
    let query_args = action.arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::QueryArgs(parameters) => {
            let span = parameters.span();
            let runtime = rt.at(span);
            Some((
                quote_spanned!(span=> #runtime::QueryArgsSlot<#parameters>),
                quote_spanned!(span=> #runtime::query_args::<#parameters, #marker>().parse),
            ))
        }
        _ => None,
    });
    let body = action.arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::Body(object) => {
            let span = object.span();
            let runtime = rt.at(span);
            Some((
                quote_spanned!(span=> #runtime::BodySlot<#object>),
                quote_spanned!(span=> #runtime::body::<#object, #marker>().parse),
            ))
        }
        _ => None,
    });
    let [(env_id_type, env_id), (query_args_type, query_args), (body_type, body)] =
        [env_id, query_args, body].map(|role| role.unwrap_or_else(|| (quote!(()), quote!(()))));
    let output = output_type(action);
    let respond = {
        let span = output_span(action);
        let runtime = rt.at(span);
        quote_spanned!(span=> #runtime::output::<#output, #marker>().respond)
    };
    let status = action.status;
    let types = quote!((#(#placeholder_types)*), #env_id_type, #query_args_type, #body_type, #output);
    let item = quote! {
        impl #marker {
            const __SCALR_ROLES: #rt::Roles<#types> = #rt::Roles {
                placeholders: (#(#placeholders)*),
                env_id: #env_id,
                query_args: #query_args,
                body: #body,
                respond: #respond,
                status: #status,
            };
        }
    };
    RolesConst { types, item }
}

/// The constant of an action's `Roles`, and its five generic arguments written out, which
/// `call` passes to `serve_N` so that rustc has nothing to infer from the constant's type.
struct RolesConst {
    types: TokenStream,
    item: TokenStream,
}

/// The closure that receives the bound values (the extractors', the placeholders', the
/// environment's, the query parameters' and the body's) and calls the function with them in
/// declaration order, requiring its future to be `Send`. Its parameters are annotated with the
/// function's own argument types: rustc then checks the closure without deducing its signature
/// from `serve_N`'s bounds, which saves about 3 % of a 200-action crate's `cargo check`.
fn call_closure(action: &Action, rt: &Runtime) -> TokenStream {
    let name = &action.name;
    let argument = |index: usize| format_ident!("__scalr_argument{index}", span = Span::mixed_site());
    let indices_of = |wanted: fn(&ArgumentKind) -> bool| {
        (0..action.arguments.len()).filter(move |&index| wanted(&action.arguments[index].kind))
    };
    let extractors: Vec<usize> = indices_of(|kind| *kind == ArgumentKind::Extractor).collect();
    let placeholders: Vec<usize> = action.bindings.iter().map(|binding| binding.argument).collect();
    // One each at most: two bodies or `QueryArgs` are rejected before emit, and rustc rejects
    // a second argument named `env_id`.
    let [env_id, query_args, body] = [
        indices_of(|kind| *kind == ArgumentKind::EnvId).next(),
        indices_of(|kind| matches!(kind, ArgumentKind::QueryArgs(_))).next(),
        indices_of(|kind| matches!(kind, ArgumentKind::Body(_))).next(),
    ];
    let bound: Vec<usize> = extractors
        .iter()
        .chain(&placeholders)
        .copied()
        .chain([env_id, query_args, body].into_iter().flatten())
        .collect();
    let arguments = (0..action.arguments.len()).map(|index| match bound.contains(&index) {
        true => argument(index).into_token_stream(),
        // The second `env_id` of a function rustc rejects: this adds no error of its own.
        false => quote!(::core::unreachable!()),
    });
    let ty = |index: usize| &action.arguments[index].ty;
    let [env_id, query_args, body] = [env_id, query_args, body].map(|index| {
        index.map_or_else(
            || quote!((): ()),
            |index| {
                let (name, ty) = (argument(index), ty(index));
                quote!(#name: #ty)
            },
        )
    });
    let extractor_types: Vec<&syn::Type> = extractors.iter().map(|&index| ty(index)).collect();
    let placeholder_types: Vec<&syn::Type> = placeholders.iter().map(|&index| ty(index)).collect();
    let extractors = extractors.into_iter().map(argument);
    let placeholders = placeholders.into_iter().map(argument);
    let future = {
        let span = name.span();
        let runtime = rt.at(span);
        quote_spanned!(span=> #runtime::require_send::<_, #name>(#name(#(#arguments),*)))
    };
    quote! {
        |(#(#extractors,)*): (#(#extractor_types,)*), (#(#placeholders,)*): (#(#placeholder_types,)*), #env_id, #query_args, #body| #future
    }
}

/// The function's return type, `()` when it declares none.
fn output_type(action: &Action) -> TokenStream {
    match &action.output {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    }
}

/// Where a problem with the return type is reported: the type, or the function's name.
fn output_span(action: &Action) -> Span {
    action.output.as_ref().map_or(action.name.span(), Spanned::span)
}

/// The router state the action's impl is for.
fn state_type(action: &Action) -> TokenStream {
    match &action.state {
        State::Known(ty) => quote!(#ty),
        State::Any => quote!(__ScalrState),
    }
}
