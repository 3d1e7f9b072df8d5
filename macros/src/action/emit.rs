//! Generates the code that serves a validated [`Action`]: a marker struct named like the
//! function (in the type namespace, so the function itself stays untouched and callable), its
//! metadata, and the handler that runs the framework's checks, the extractors and the function.
//!
//! Generated locals use mixed-site hygiene so they cannot collide with the user's names, and
//! every use of a user's type carries that type's span, so an unmet trait bound is reported on
//! the user's own argument or return type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::model::{Action, ArgumentKind, State};

/// Locals of the generated handler, invisible to the user's code.
struct Locals {
    request: Ident,
    state: Ident,
    pipeline: Ident,
    parts: Ident,
    body: Ident,
    path: Ident,
    admitted: Ident,
    reply: Ident,
    rejection: Ident,
    value: Ident,
    response: Ident,
    error: Ident,
}

impl Locals {
    fn new() -> Self {
        // Mixed-site hygiene keeps the user's variables apart, but a pattern still resolves to a
        // unit struct or const of the same name at the call site: hence the prefix as well.
        let local = |name: &str| Ident::new(&format!("__scalr_{name}"), Span::mixed_site());
        Self {
            request: local("request"),
            state: local("state"),
            pipeline: local("pipeline"),
            parts: local("parts"),
            body: local("body"),
            path: local("path"),
            admitted: local("admitted"),
            reply: local("reply"),
            rejection: local("rejection"),
            value: local("value"),
            response: local("response"),
            error: local("error"),
        }
    }
}

/// The marker struct, the metadata and the handler of `action`, reaching the runtime through
/// the `__private` module of `facade`.
pub fn action(action: &Action, facade: &syn::Path) -> TokenStream {
    let marker = marker(action);
    let info = info_impl(action);
    let serve = action_impl(action);
    quote! {
        #marker
        const _: () = {
            use #facade::__private as __scalr;
            #info
            #serve
        };
    }
}

/// What is emitted besides the user's function when the declaration has mistakes: the marker
/// and impls that accept any router, so that registering the action adds no errors of its own.
pub fn placeholder(name: &Ident, vis: &syn::Visibility, facade: &syn::Path) -> TokenStream {
    let marker = marker_struct(name, vis);
    let name_text = name.to_string();
    quote! {
        #marker
        const _: () = {
            use #facade::__private as __scalr;
            impl __scalr::ActionInfo for #name {
                const META: &'static __scalr::ActionMeta = &__scalr::ActionMeta::invalid(#name_text);
            }
            impl<__ScalrState> __scalr::Action<__ScalrState> for #name {
                fn call(
                    _: __scalr::Request,
                    _: __ScalrState,
                    _: __scalr::Arc<__scalr::Pipeline>,
                ) -> impl ::core::future::Future<Output = __scalr::Response> + ::core::marker::Send + 'static {
                    async { ::core::unreachable!("`#[scalr_action]` reported errors for this action") }
                }
            }
        };
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
        #[allow(non_camel_case_types)]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        #vis struct #name {}
    }
}

fn info_impl(action: &Action) -> TokenStream {
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
        let spec = quote_spanned!(ty.span()=> __scalr::placeholder::<#ty, #name>().spec);
        quote! { __scalr::PathParamMeta { name: #placeholder, spec: #spec } }
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
            let schema = quote_spanned!(object.span()=> __scalr::body::<#object, #name>().schema);
            quote!(::core::option::Option::Some(__scalr::BodyMeta { name: #body_name, schema: #schema }))
        }
        _ => quote!(::core::option::Option::None),
    };
    let query_args = action.arguments.iter().find_map(|argument| match &argument.kind {
        ArgumentKind::QueryArgs(parameters) => {
            let schema = quote_spanned!(parameters.span()=> __scalr::query_args::<#parameters, #name>().schema);
            Some(quote!(::core::option::Option::Some(#schema)))
        }
        _ => None,
    });
    let query_args = query_args.unwrap_or_else(|| quote!(::core::option::Option::None));
    let output = output_type(action);
    let output_spec = quote_spanned!(output_span(action)=> __scalr::output::<#output, #name>().spec);
    let errors = action.errors.iter().map(|code| quote!(__scalr::ErrorCode::#code));
    quote! {
        impl __scalr::ActionInfo for #name {
            const META: &'static __scalr::ActionMeta = &__scalr::ActionMeta {
                name: #name_text,
                method: __scalr::Method::#method,
                scope: __scalr::Scope::#scope,
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

fn action_impl(action: &Action) -> TokenStream {
    let locals = Locals::new();
    let Locals { request, state, pipeline, parts, body, path, admitted, reply, response, error, .. } = &locals;
    let name = &action.name;
    let (generics, bounds) = match &action.state {
        State::Known(_) => (quote!(), quote!()),
        State::Any => {
            let extractors = action
                .arguments
                .iter()
                .filter(|argument| argument.kind == ArgumentKind::Extractor)
                .map(|argument| &argument.ty);
            (
                quote!(<__ScalrState>),
                quote! {
                    where
                        __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync + 'static,
                        #(#extractors: __scalr::ExtractorValue<__ScalrState, #name>,)*
                },
            )
        }
    };
    let state_type = state_type(action);
    let argument_names: Vec<Ident> = (0..action.arguments.len())
        .map(|index| format_ident!("__scalr_argument{index}", span = Span::mixed_site()))
        .collect();
    let placeholders = bind_placeholders(action, &argument_names, &locals);
    let env_ids = bind_each(action, &argument_names, &locals, |kind| *kind == ArgumentKind::EnvId);
    let extractors = bind_each(action, &argument_names, &locals, |kind| *kind == ArgumentKind::Extractor);
    let queries = bind_each(action, &argument_names, &locals, |kind| matches!(kind, ArgumentKind::QueryArgs(_)));
    let bodies = bind_each(action, &argument_names, &locals, |kind| matches!(kind, ArgumentKind::Body(_)));
    let status = action.status;
    let future = quote_spanned!(name.span()=> __scalr::require_send::<_, #name>(#name(#(#argument_names),*)));
    let output = output_type(action);
    let respond = quote_spanned!(output_span(action)=> (__scalr::output::<#output, #name>().respond));
    quote! {
        impl #generics __scalr::Action<#state_type> for #name #bounds {
            fn call(
                #request: __scalr::Request,
                #state: #state_type,
                #pipeline: __scalr::Arc<__scalr::Pipeline>,
            ) -> impl ::core::future::Future<Output = __scalr::Response> + ::core::marker::Send + 'static {
                async move {
                    let (mut #parts, #body) = #request.into_parts();
                    let #path = match __scalr::PathValues::from_parts(&mut #parts).await {
                        ::core::result::Result::Ok(#path) => #path,
                        ::core::result::Result::Err(#error) => return __scalr::IntoResponse::into_response(#error),
                    };
                    #(#placeholders)*
                    let #admitted = match #pipeline
                        .admit(&mut #parts, #body, &#path, <Self as __scalr::ActionInfo>::META)
                        .await
                    {
                        ::core::result::Result::Ok(#admitted) => #admitted,
                        ::core::result::Result::Err(#response) => return #response,
                    };
                    #(#env_ids)*
                    #(#extractors)*
                    let #reply = #admitted.reply(&#parts);
                    #(#queries)*
                    #(#bodies)*
                    #respond(#reply, #future.await, #status)
                }
            }
        }
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

/// The `let` statements binding the placeholders' arguments to the matched route's values, in
/// declaration order, like the other arguments.
fn bind_placeholders(action: &Action, names: &[Ident], locals: &Locals) -> Vec<TokenStream> {
    let Locals { path, value, error, .. } = locals;
    let marker = &action.name;
    action
        .bindings
        .iter()
        .map(|binding| {
            let name = &names[binding.argument];
            let ty = &action.arguments[binding.argument].ty;
            let route_value = binding.route_value;
            quote_spanned! {ty.span()=>
                let #name = match #path.bind(#route_value, __scalr::placeholder::<#ty, #marker>().parse) {
                    ::core::result::Result::Ok(#value) => #value,
                    ::core::result::Result::Err(#error) => return __scalr::IntoResponse::into_response(#error),
                };
            }
        })
        .collect()
}

/// The `let` statements binding the arguments of one kind, in declaration order. Each names
/// the user's type under the user's span, through the runtime's function for its role.
fn bind_each(
    action: &Action,
    names: &[Ident],
    locals: &Locals,
    wanted: impl Fn(&ArgumentKind) -> bool,
) -> Vec<TokenStream> {
    let Locals { state, parts, admitted, reply, rejection, value, error, .. } = locals;
    let marker = &action.name;
    let state_type = state_type(action);
    action
        .arguments
        .iter()
        .zip(names)
        .filter(|(argument, _)| wanted(&argument.kind))
        .map(|(argument, name)| {
            let ty = &argument.ty;
            let span = ty.span();
            match &argument.kind {
                // Bound from `action.bindings` by `bind_placeholders`.
                ArgumentKind::Placeholder => TokenStream::new(),
                ArgumentKind::EnvId => quote_spanned! {span=>
                    let #name = __scalr::env_id::<#ty, #marker>(&#admitted);
                },
                ArgumentKind::Extractor => quote_spanned! {span=>
                    let #name = match __scalr::extract::<#ty, #state_type, #marker>(&mut #parts, &#state).await {
                        ::core::result::Result::Ok(#value) => #value,
                        ::core::result::Result::Err(#rejection) => return #admitted.rejection(#rejection),
                    };
                },
                ArgumentKind::QueryArgs(parameters) => quote_spanned! {span=>
                    let #name: #ty = match (__scalr::query_args::<#parameters, #marker>().parse)(&#parts) {
                        ::core::result::Result::Ok(#value) => #value,
                        ::core::result::Result::Err(#error) => return #reply.reject(#error),
                    };
                },
                ArgumentKind::Body(object) => quote_spanned! {span=>
                    let #name: #ty = match (__scalr::body::<#object, #marker>().parse)(#admitted.body_bytes()) {
                        ::core::result::Result::Ok(#value) => #value,
                        ::core::result::Result::Err(#error) => return #reply.reject(#error),
                    };
                },
            }
        })
        .collect()
}
