//! Generates the code that serves a validated [`Action`]: a marker struct named like the
//! function (in the type namespace, so the function itself stays untouched and callable), its
//! metadata, and the handler that runs the framework's checks, the extractors and the function.
//!
//! Generated locals use mixed-site hygiene so they cannot collide with the user's names, and
//! every use of a user's type carries that type's span, so an unmet trait bound is reported on
//! the user's own argument or return type. Those spanned fragments are written in place by
//! [`super::write`], never spliced in as streams of their own.

use proc_macro2::{Delimiter, Ident, Literal, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;

use super::model::{Action, ArgumentKind, State};
use super::write::{Runtime, Writer, spanned};

/// The marker struct, the metadata and the handler of `action`, reaching the runtime through
/// the `__private` module of `facade`.
pub fn action(action: &Action, facade: &syn::Path) -> TokenStream {
    let rt = Runtime::new(&action.name);
    let roles = Roles::of(action);
    TokenStream::from_iter([
        rt.import(facade),
        marker_struct(&action.name, &action.vis),
        info_impl(action, &roles, &rt),
        roles_const(action, &roles, &rt),
        action_impl(action, &roles, &rt),
    ])
}

/// What is emitted besides the user's function when the declaration has mistakes: the marker
/// and impls that accept any router, so that registering the action adds no errors of its own.
pub fn placeholder(name: &Ident, vis: &syn::Visibility, facade: &syn::Path) -> TokenStream {
    let rt = Runtime::new(name);
    let import = rt.import(facade);
    let marker = marker_struct(name, vis);
    let name_text = name.to_string();
    quote! {
        #import
        #marker
            impl<__ScalrDeferred> #rt::ActionInfo<__ScalrDeferred> for #name {
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

/// The types of an action's arguments by role, the extractors apart, and the spans their
/// requirements are reported under: the roles constant's type is written twice, and a type's
/// span costs syn a walk over its tokens each time it is asked for.
struct Roles<'a> {
    /// The placeholders' types, in declaration order, with the index of each one's value
    /// among the matched route's values.
    placeholders: Vec<(Role<'a>, usize)>,
    env_id: Option<Role<'a>>,
    /// The `T` of `QueryArgs<T>`.
    query_args: Option<Role<'a>>,
    /// The `T` of `Body<T>`.
    body: Option<Role<'a>>,
    /// Where a problem with the return type is reported: the type, or the function's name.
    output_span: Span,
}

/// A user's type in one role, with its span and the function argument that takes it.
#[derive(Clone, Copy)]
struct Role<'a> {
    ty: &'a syn::Type,
    span: Span,
    argument: usize,
}

impl<'a> Role<'a> {
    fn new(ty: &'a syn::Type, argument: usize) -> Self {
        Self { ty, span: type_span(ty), argument }
    }
}

/// The span syn gives `ty`: its first token's joined to its last (on stable Rust, which joins
/// no spans, the first token's). For a plain path, by far the most common type, both are read
/// off the path: syn's `span()` writes the whole type out as tokens to find them.
fn type_span(ty: &syn::Type) -> Span {
    let syn::Type::Path(syn::TypePath { qself: None, path }) = ty else { return ty.span() };
    let (Some(first), Some(last)) = (path.segments.first(), path.segments.last()) else { return ty.span() };
    let first = path.leading_colon.map_or(first.ident.span(), |colons| colons.spans[0]);
    let last = match &last.arguments {
        syn::PathArguments::None => last.ident.span(),
        syn::PathArguments::AngleBracketed(arguments) => arguments.gt_token.span,
        syn::PathArguments::Parenthesized(_) => return ty.span(),
    };
    first.join(last).unwrap_or(first)
}

impl<'a> Roles<'a> {
    fn of(action: &'a Action) -> Self {
        let placeholders = action
            .bindings
            .iter()
            .map(|binding| (Role::new(&action.arguments[binding.argument].ty, binding.argument), binding.route_value))
            .collect();
        let output_span = action.output.as_ref().map_or(action.name.span(), type_span);
        let mut roles = Self { placeholders, env_id: None, query_args: None, body: None, output_span };
        // One each at most: two bodies or `QueryArgs` are rejected before emit, and rustc
        // rejects a second argument named `env_id`, which the first describes here.
        for (index, argument) in action.arguments.iter().enumerate() {
            let (role, ty) = match &argument.kind {
                ArgumentKind::EnvId => (&mut roles.env_id, &argument.ty),
                ArgumentKind::QueryArgs(parameters) => (&mut roles.query_args, &**parameters),
                ArgumentKind::Body(object) => (&mut roles.body, &**object),
                ArgumentKind::Placeholder | ArgumentKind::Extractor => continue,
            };
            role.get_or_insert_with(|| Role::new(ty, index));
        }
        roles
    }
}

/// `RT::Some(value)`, or `RT::None` without a value.
fn option<'a>(rt: &'a Runtime, value: Option<&'a dyn ToTokens>) -> impl ToTokens + 'a {
    spanned(Span::call_site(), move |out| {
        out.runtime(rt).punct("::");
        match value {
            Some(value) => {
                out.ident("Some").group(Delimiter::Parenthesis, |out| {
                    out.tokens(value);
                });
            }
            None => {
                out.ident("None");
            }
        }
    })
}

fn info_impl(action: &Action, roles: &Roles<'_>, rt: &Runtime) -> TokenStream {
    let name = &action.name;
    let name_text = name.to_string();
    let method = format_ident!("{}", action.method.variant());
    let scope = format_ident!("{}", action.scope.variant());
    let path = action.template.path(action.scope);
    let route = action.template.route(action.scope);
    let status = action.status;
    let description = &action.description;
    // The specs come from the roles constant, whose requirement functions check the types
    // once; each path parameter's is read at its placeholder's position in the constant.
    let (param_names, param_positions): (Vec<&str>, Vec<Literal>) = action
        .bindings_in_template_order()
        .map(|binding| {
            let position = action.bindings.iter().position(|bound| bound == binding).unwrap_or_default();
            (binding.placeholder.as_str(), Literal::usize_unsuffixed(position))
        })
        .unzip();
    let permission = action.permission.as_deref().map(Literal::string);
    let body_name = action.body_name.as_deref().map(Literal::string);
    let body = roles.body.zip(body_name.as_ref()).map(|(_, body_name)| {
        spanned(Span::call_site(), move |out| {
            out.runtime(rt).punct("::").ident("BodyMeta").group(Delimiter::Brace, |out| {
                out.ident("name").punct(":").tokens(body_name).punct(",").ident("schema").punct(":");
                read_roles(out, "body", "schema");
            });
        })
    });
    let query_args = roles.query_args.map(|_| {
        spanned(Span::call_site(), |out| {
            read_roles(out, "query_args", "schema");
        })
    });
    let (permission, body, query_args) = (
        option(rt, permission.as_ref().map(|value| value as &dyn ToTokens)),
        option(rt, body.as_ref().map(|value| value as &dyn ToTokens)),
        option(rt, query_args.as_ref().map(|value| value as &dyn ToTokens)),
    );
    let errors = &action.errors;
    quote! {
        impl<__ScalrDeferred> #rt::ActionInfo<__ScalrDeferred> for #name {
            const META: &'static #rt::ActionMeta = &#rt::ActionMeta {
                name: #name_text,
                method: #rt::Method::#method,
                scope: #rt::Scope::#scope,
                path: #path,
                route: #route,
                status: #status,
                description: #description,
                path_params: &[#(#rt::PathParamMeta {
                    name: #param_names,
                    spec: Self::__SCALR_ROLES.placeholders.#param_positions.role.spec,
                }),*],
                body: #body,
                query_args: #query_args,
                permission: #permission,
                output: Self::__SCALR_ROLES.output.spec,
                errors: &[#(#rt::ErrorCode::#errors),*],
            };
        }
    }
}

/// `Self::__SCALR_ROLES.role.field`: the metadata's read of one role's spec half.
fn read_roles(out: &mut Writer<'_>, role: &str, field: &str) {
    out.ident("Self").punct("::").ident("__SCALR_ROLES").punct(".").ident(role).punct(".").ident(field);
}

/// The `Action` impl: one call of the runtime's `serve_N` (N extractors), which does the path
/// lookup, the admission, the binding and the reply for every action alike. What is particular
/// to the action goes in as the extractor types, the roles of the other arguments and a closure
/// that calls the function with the bound values in declaration order. Each user type is named
/// under its own span through the requirement of its role, so an unmet bound is reported there.
/// Every generic argument of `serve_N` but the closure's and its future's is written out
/// (inferring them cost about 3 % of a 200-action crate's `cargo check`).
fn action_impl(action: &Action, roles: &Roles<'_>, rt: &Runtime) -> TokenStream {
    let local = |name: &str| Ident::new(&format!("__scalr_{name}"), Span::mixed_site());
    let (request, state, pipeline) = (local("request"), local("state"), local("pipeline"));
    let name = &action.name;
    let extractors: Vec<&syn::Type> = action
        .arguments
        .iter()
        .filter(|argument| argument.kind == ArgumentKind::Extractor)
        .map(|argument| &argument.ty)
        .collect();
    let serve = format_ident!("serve_{}", extractors.len());
    let types = RolesTypes { action, roles, rt };
    let closure = CallClosure { action, roles, rt };
    let state_type = StateType(action);
    // Without a known state the impl is for any state the extractors accept.
    let any_state = matches!(action.state, State::Any);
    let generics = any_state.then(|| {
        spanned(Span::call_site(), |out| {
            out.punct("<").ident("__ScalrState").punct(">");
        })
    });
    let bounds = any_state.then(|| {
        spanned(Span::call_site(), |out| {
            out.ident("where").ident("__ScalrState").punct(":");
            for (position, name) in ["Clone", "Send", "Sync"].into_iter().enumerate() {
                if position > 0 {
                    out.punct("+");
                }
                out.runtime(rt).punct("::").ident(name);
            }
            out.punct("+").lifetime("static").punct(",");
            for extractor in &extractors {
                out.tokens(extractor).punct(":").runtime(rt).punct("::").ident("ExtractorValue").punct("<");
                out.ident("__ScalrState").punct(",").tokens(name).punct(">").punct(",");
            }
        })
    });
    quote! {
        impl #generics #rt::Action<#state_type> for #name #bounds {
            fn call(
                #request: #rt::Request,
                #state: #state_type,
                #pipeline: #rt::Arc<#rt::Pipeline>,
            ) -> #rt::ActionFuture {
                #rt::#serve::<Self, #state_type, #(#extractors,)* #types, _, _>(
                    #request, #state, #pipeline, Self::__SCALR_ROLES, #closure,
                )
            }
        }
    }
}

/// The router state the action's impl is for.
struct StateType<'a>(&'a Action);

impl ToTokens for StateType<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match &self.0.state {
            State::Known(ty) => ty.to_tokens(tokens),
            State::Any => {
                Writer::new(tokens, Span::call_site()).ident("__ScalrState");
            }
        }
    }
}

/// The runtime's `Roles` of the arguments that are not extractors and of the return type, as
/// a constant of the marker: the compiler computes its function pointers once, so neither the
/// requirement functions nor a `Roles` value with types to infer reach the body of `call`, the
/// part of the expansion that costs most to check.
fn roles_const(action: &Action, roles: &Roles<'_>, rt: &Runtime) -> TokenStream {
    let marker = &action.name;
    let placeholders = roles.placeholders.iter().map(|&(Role { ty, span, .. }, route_value)| {
        spanned(span, move |out| {
            out.runtime(rt).punct("::").ident("Placeholder").group(Delimiter::Brace, |out| {
                out.ident("route_value").punct(":").tokens(&route_value).punct(",").ident("role").punct(":");
                out.requirement(rt, "placeholder", ty, marker);
            });
            out.punct(",");
        })
    });
    let env_id = role_value(roles.env_id, |out, ty| {
        out.requirement(rt, "env_id", ty, marker);
    });
    let query_args = role_value(roles.query_args, |out, parameters| {
        out.requirement(rt, "query_args", parameters, marker);
    });
    let body = role_value(roles.body, |out, object| {
        out.requirement(rt, "body", object, marker);
    });
    let output = spanned(roles.output_span, |out| {
        out.requirement(rt, "output", &OutputType(action), marker);
    });
    let types = RolesTypes { action, roles, rt };
    quote! {
        impl #marker {
            const __SCALR_ROLES: #rt::Roles<#types> = #rt::Roles {
                placeholders: (#(#placeholders)*),
                env_id: #env_id,
                query_args: #query_args,
                body: #body,
                output: #output,
            };
        }
    }
}

/// A role's value in the roles constant, written by `write` under the type's span; `()` for a
/// role the action does not have.
fn role_value<'a>(role: Option<Role<'a>>, write: impl Fn(&mut Writer<'_>, &syn::Type) + 'a) -> impl ToTokens + 'a {
    spanned(role.map_or_else(Span::call_site, |role| role.span), move |out| match role {
        Some(role) => write(out, role.ty),
        None => {
            out.group(Delimiter::Parenthesis, |_| {});
        }
    })
}

/// The five generic arguments of the roles' type, `(placeholders), env_id, query, body,
/// output`: the roles constant's type, and the arguments `call` passes to `serve_N` so that
/// rustc has nothing to infer from the constant.
struct RolesTypes<'a> {
    action: &'a Action,
    roles: &'a Roles<'a>,
    rt: &'a Runtime,
}

impl ToTokens for RolesTypes<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let rt = self.rt;
        let mut out = Writer::new(tokens, Span::call_site());
        out.group(Delimiter::Parenthesis, |out| {
            for &(Role { ty, span, .. }, _) in &self.roles.placeholders {
                out.tokens(&spanned(span, |out| {
                    out.runtime_type(rt, "Placeholder", ty).punct(",");
                }));
            }
        });
        for (ty, slot) in
            [(self.roles.env_id, "EnvIdSlot"), (self.roles.query_args, "QueryArgsRole"), (self.roles.body, "BodyRole")]
        {
            out.punct(",").tokens(&role_value(ty, move |out, ty| {
                out.runtime_type(rt, slot, ty);
            }));
        }
        out.punct(",").tokens(&OutputType(self.action));
    }
}

/// The closure that receives the bound values (the extractors', the placeholders', the
/// environment's, the query parameters' and the body's) and calls the function with them in
/// declaration order, requiring its future to be `Send`. Its parameters are annotated with the
/// function's own argument types: rustc then checks the closure without deducing its signature
/// from `serve_N`'s bounds, which saves about 3 % of a 200-action crate's `cargo check`.
struct CallClosure<'a> {
    action: &'a Action,
    roles: &'a Roles<'a>,
    rt: &'a Runtime,
}

impl ToTokens for CallClosure<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let action = self.action;
        let argument = |index: usize| format_ident!("__scalr_argument{index}", span = Span::mixed_site());
        let roles = self.roles;
        let extractors: Vec<usize> = (0..action.arguments.len())
            .filter(|&index| action.arguments[index].kind == ArgumentKind::Extractor)
            .collect();
        let placeholders: Vec<usize> = roles.placeholders.iter().map(|(role, _)| role.argument).collect();
        let [env_id, query_args, body] =
            [roles.env_id, roles.query_args, roles.body].map(|role| role.map(|role| role.argument));
        let bound: Vec<usize> = extractors
            .iter()
            .chain(&placeholders)
            .copied()
            .chain([env_id, query_args, body].into_iter().flatten())
            .collect();
        let ty = |index: usize| &action.arguments[index].ty;
        let mut out = Writer::new(tokens, Span::call_site());
        out.punct("|");
        // `(a, b,): (A, B,)` for the extractors, then for the placeholders.
        for group in [&extractors, &placeholders] {
            out.group(Delimiter::Parenthesis, |out| {
                for &index in group {
                    out.tokens(&argument(index)).punct(",");
                }
            });
            out.punct(":").group(Delimiter::Parenthesis, |out| {
                for &index in group {
                    out.tokens(ty(index)).punct(",");
                }
            });
            out.punct(",");
        }
        // `name: Type` for the environment, the query and the body, `(): ()` for a role the
        // function does not have.
        for (position, index) in [env_id, query_args, body].into_iter().enumerate() {
            if position > 0 {
                out.punct(",");
            }
            match index {
                Some(index) => out.tokens(&argument(index)).punct(":").tokens(ty(index)),
                None => out.group(Delimiter::Parenthesis, |_| {}).punct(":").group(Delimiter::Parenthesis, |_| {}),
            };
        }
        out.punct("|");
        let name = &action.name;
        out.tokens(&spanned(name.span(), |out| {
            out.runtime(self.rt).punct("::").ident("require_send").punct("::").punct("<").ident("_").punct(",");
            out.tokens(name).punct(">").group(Delimiter::Parenthesis, |out| {
                out.tokens(name).group(Delimiter::Parenthesis, |out| {
                    for index in 0..action.arguments.len() {
                        if index > 0 {
                            out.punct(",");
                        }
                        if bound.contains(&index) {
                            out.tokens(&argument(index));
                        } else {
                            // The second `env_id` of a function rustc rejects: this adds no
                            // error of its own.
                            out.punct("::").ident("core").punct("::").ident("unreachable").punct("!");
                            out.group(Delimiter::Parenthesis, |_| {});
                        }
                    }
                });
            });
        }));
    }
}

/// The function's return type, `()` when it declares none.
struct OutputType<'a>(&'a Action);

impl ToTokens for OutputType<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match &self.0.output {
            Some(ty) => ty.to_tokens(tokens),
            None => {
                Writer::new(tokens, Span::call_site()).group(Delimiter::Parenthesis, |_| {});
            }
        }
    }
}
