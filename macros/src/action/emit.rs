//! Generates the code that serves a validated [`Action`]: a marker struct named like the
//! function (in the type namespace, so the function itself stays untouched and callable), its
//! metadata, and the handler that runs the framework's checks, the extractors and the function.
//!
//! Every use of a user's type carries that type's span, so an unmet trait bound is reported on
//! the user's own argument or return type; everything else is the call site's, written as source
//! text into a [`Code`] (see [`super::write`]). The generated locals (`__scalr_request`,
//! `__scalr_argument0`, ...) are the call site's too: no code of the user's is in their scope
//! but types, which cannot name a local, so the mixed-site hygiene they had changed nothing but
//! the cost of writing them as tokens one by one.

use proc_macro2::{Delimiter, Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;

use super::crate_path::Facade;
use super::model::{Action, ArgumentKind, State};
use super::write::{Code, Runtime, Writer, spanned, string_literal};

/// The marker struct, the metadata and the handler of `action`, reaching the runtime through
/// the `__private` module of `facade`.
pub fn action(action: &Action, facade: &Facade) -> TokenStream {
    let rt = Runtime::new(&action.name);
    let roles = Roles::of(action);
    let mut code = Code::new();
    rt.import(facade, &mut code);
    marker_struct(&mut code, &action.name, &action.vis);
    info_impl(&mut code, action, &roles, &rt);
    code.tokens(&roles_const(action, &roles, &rt));
    action_impl(&mut code, action, &roles, &rt);
    code.finish()
}

/// What is emitted besides the user's function when the declaration has mistakes: the marker
/// and impls that accept any router, so that registering the action adds no errors of its own.
pub fn placeholder(name: &Ident, vis: &syn::Visibility, facade: &Facade) -> TokenStream {
    let runtime = Runtime::new(name);
    let mut code = Code::new();
    runtime.import(facade, &mut code);
    marker_struct(&mut code, name, vis);
    let rt = &runtime.name;
    code.text(&format!("impl<__ScalrDeferred> {rt}::ActionInfo<__ScalrDeferred> for")).tokens(name);
    code.text(&format!(
        "{{ const META: &'static {rt}::ActionMeta = &{rt}::ActionMeta::invalid({}); }}",
        string_literal(&name.to_string())
    ));
    code.text(&format!("impl<__ScalrState> {rt}::Action<__ScalrState> for")).tokens(name);
    code.text(&format!(
        "{{ fn call(_: {rt}::Request, _: __ScalrState, _: {rt}::Arc<{rt}::Pipeline>,) -> {rt}::ActionFuture \
         {{ ::core::unreachable!(\"`#[scalr_action]` reported errors for this action\") }} }}"
    ));
    code.finish()
}

fn marker_struct(code: &mut Code, name: &Ident, vis: &syn::Visibility) {
    let doc = format!(" The action `{name}`: register it with `ScalrApi::action({name} {{}})`.");
    // No derives: the router needs only the type, and each would cost compile time.
    code.text(&format!(
        "#[doc(hidden)] #[doc = {}] \
         #[allow(non_camel_case_types, missing_copy_implementations, missing_debug_implementations)]",
        string_literal(&doc)
    ));
    if !matches!(vis, syn::Visibility::Inherited) {
        code.tokens(vis);
    }
    code.small("struct", |out| {
        out.ident("struct");
    });
    code.tokens(name).small("{}", |out| {
        out.group(Delimiter::Brace, |_| {});
    });
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

/// The `ActionInfo` impl, whose metadata is all the call site's but the error codes.
fn info_impl(code: &mut Code, action: &Action, roles: &Roles<'_>, rt: &Runtime) {
    let rt_name = &rt.name;
    code.text(&format!("impl<__ScalrDeferred> {rt_name}::ActionInfo<__ScalrDeferred> for")).tokens(&action.name);
    code.group(Delimiter::Brace, |code| {
        code.text(&format!("const META: &'static {rt_name}::ActionMeta = &{rt_name}::ActionMeta"));
        code.group(Delimiter::Brace, |code| {
            let mut fields = format!(
                "name: {}, method: {rt_name}::Method::{}, scope: {rt_name}::Scope::{}, path: {}, route: {}, \
                 status: {}u16, description: {}, path_params: &[",
                string_literal(&action.name.to_string()),
                action.method.variant(),
                action.scope.variant(),
                string_literal(&action.template.path(action.scope)),
                string_literal(&action.template.route(action.scope)),
                action.status,
                string_literal(&action.description),
            );
            // The specs come from the roles constant, whose requirement functions check the
            // types once; each path parameter's is read at its placeholder's position there.
            for (index, binding) in action.bindings_in_template_order().enumerate() {
                let position = action.bindings.iter().position(|bound| bound == binding).unwrap_or_default();
                if index > 0 {
                    fields.push_str(", ");
                }
                fields.push_str(&format!(
                    "{rt_name}::PathParamMeta {{ name: {}, spec: Self::__SCALR_ROLES.placeholders.{position}.role.spec, }}",
                    string_literal(&binding.placeholder)
                ));
            }
            fields.push_str("], body: ");
            match &action.body_name {
                Some(body_name) if roles.body.is_some() => {
                    fields.push_str(&format!(
                        "{rt_name}::Some({rt_name}::BodyMeta {{ name: {}, schema: Self::__SCALR_ROLES.body.schema }})",
                        string_literal(body_name)
                    ));
                }
                _ => fields.push_str(&format!("{rt_name}::None")),
            }
            fields.push_str(", query_args: ");
            if roles.query_args.is_some() {
                fields.push_str(&format!("{rt_name}::Some(Self::__SCALR_ROLES.query_args.schema)"));
            } else {
                fields.push_str(&format!("{rt_name}::None"));
            }
            match &action.permission {
                Some(permission) => {
                    fields.push_str(&format!(", permission: {rt_name}::Some({})", string_literal(permission)))
                }
                None => fields.push_str(&format!(", permission: {rt_name}::None")),
            }
            fields.push_str(", output: Self::__SCALR_ROLES.output.spec, errors: &");
            code.text(&fields);
            if action.errors.is_empty() {
                code.text("[],");
                return;
            }
            // Each code under its own span, as the user wrote it.
            code.tokens(&spanned(Span::call_site(), |out| {
                out.group(Delimiter::Bracket, |out| {
                    for (index, error) in action.errors.iter().enumerate() {
                        if index > 0 {
                            out.punct(",");
                        }
                        out.runtime(rt).punct("::").ident("ErrorCode").punct("::").tokens(error);
                    }
                });
            }));
            code.small(",", |out| {
                out.punct(",");
            });
        });
        code.small(";", |out| {
            out.punct(";");
        });
    });
}

/// The `Action` impl: one call of the runtime's `serve_N` (N extractors), which does the path
/// lookup, the admission, the binding and the reply for every action alike. What is particular
/// to the action goes in as the extractor types, the roles of the other arguments and a closure
/// that calls the function with the bound values in declaration order. Each user type is named
/// under its own span through the requirement of its role, so an unmet bound is reported there.
/// Every generic argument of `serve_N` but the closure's and its future's is written out
/// (inferring them cost about 3 % of a 200-action crate's `cargo check`).
fn action_impl(code: &mut Code, action: &Action, roles: &Roles<'_>, rt: &Runtime) {
    let rt_name = &rt.name;
    let name = &action.name;
    let extractors: Vec<&syn::Type> = action
        .arguments
        .iter()
        .filter(|argument| argument.kind == ArgumentKind::Extractor)
        .map(|argument| &argument.ty)
        .collect();
    let state = |code: &mut Code| match &action.state {
        State::Known(ty) => {
            code.tokens(ty);
        }
        State::Any => {
            code.text("__ScalrState");
        }
    };
    // Without a known state the impl is for any state the extractors accept.
    match &action.state {
        State::Known(ty) => {
            code.text(&format!("impl {rt_name}::Action<")).tokens(ty).small("> for", |out| {
                out.punct(">").ident("for");
            });
            code.tokens(name);
        }
        State::Any => {
            code.text(&format!("impl<__ScalrState> {rt_name}::Action<__ScalrState> for")).tokens(name);
            code.text(&format!("where __ScalrState: {rt_name}::Clone + {rt_name}::Send + {rt_name}::Sync + 'static,"));
            for extractor in &extractors {
                code.tokens(extractor);
                code.text(&format!(": {rt_name}::ExtractorValue<__ScalrState,")).tokens(name).small(">,", |out| {
                    out.punct(">").punct(",");
                });
            }
        }
    }
    code.group(Delimiter::Brace, |code| {
        code.text("fn call").group(Delimiter::Parenthesis, |code| {
            code.text(&format!("__scalr_request: {rt_name}::Request, __scalr_state:"));
            state(code);
            code.text(&format!(", __scalr_pipeline: {rt_name}::Arc<{rt_name}::Pipeline>,"));
        });
        code.text(&format!("-> {rt_name}::ActionFuture"));
        code.group(Delimiter::Brace, |code| {
            code.text(&format!("{rt_name}::serve_{}::<Self,", extractors.len()));
            state(code);
            code.small(",", |out| {
                out.punct(",");
            });
            for extractor in &extractors {
                code.tokens(extractor).small(",", |out| {
                    out.punct(",");
                });
            }
            code.tokens(&RolesTypes { action, roles, rt }).text(", _, _>");
            code.group(Delimiter::Parenthesis, |code| {
                code.text("__scalr_request, __scalr_state, __scalr_pipeline, Self::__SCALR_ROLES,");
                code.tokens(&CallClosure { action, roles, rt }).small(",", |out| {
                    out.punct(",");
                });
            });
        });
    });
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
        let argument = |index: usize| format_ident!("__scalr_argument{index}");
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
