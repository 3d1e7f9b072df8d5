//! The stages together: what a declaration binds, and which mistakes are reported together.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Type;

use super::diagnostics::Diagnostics;
use super::model::{Action, ArgumentKind, Binding, State};
use super::signature::ActionFn;
use super::split::attr_items;

fn validate(attr: TokenStream, item: TokenStream) -> Result<Action, Vec<String>> {
    let function: ActionFn = syn::parse2(item).expect("test functions parse");
    let mut diagnostics = Diagnostics::new(&function.sig.ident);
    let facade = super::crate_path::Facade::Named("scalr_endpoints".to_owned());
    super::analyze(attr_items(attr), Span::call_site(), &function, facade, &mut diagnostics)
        .action
        .ok_or_else(|| diagnostics.messages())
}

fn errors(attr: TokenStream, item: TokenStream) -> Vec<String> {
    match validate(attr, item) {
        Ok(_) => panic!("the declaration was accepted"),
        Err(messages) => messages,
    }
}

#[test]
fn binds_placeholders_env_body_and_extractors() {
    let action = validate(
        quote!(post, "images/<imageId>/actions/copy"),
        quote! {
            /// Copy it.
            async fn copy_image(State(app): State<App>, env_id: EnvId, image_id: ImageId, copy_to: Body<CloudLocation>) -> Result<Image, ApiError> {}
        },
    )
    .unwrap_or_else(|errors| panic!("{errors:?}"));
    let kinds: Vec<ArgumentKind> = action.arguments.iter().map(|argument| argument.kind.clone()).collect();
    let body: Type = syn::parse_quote!(CloudLocation);
    assert_eq!(
        kinds,
        [ArgumentKind::Extractor, ArgumentKind::EnvId, ArgumentKind::Placeholder, ArgumentKind::Body(Box::new(body))]
    );
    assert_eq!(action.bindings, [Binding { placeholder: "imageId".to_owned(), argument: 2, route_value: 1 }]);
    assert_eq!(action.status, 201);
    assert_eq!(action.body_name.as_deref(), Some("copyTo"));
    assert_eq!(action.description, "Copy it.");
    assert!(matches!(action.state, State::Known(_)));
}

#[test]
fn an_unbound_placeholder_suggests_the_near_argument() {
    let found = errors(
        quote!(get, "images/<imageId>"),
        quote!(
            /// Get it.
            async fn get_image(env_id: EnvId, imag_id: ImageId) {}
        ),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("action `get_image`: the placeholder `<imageId>` has no matching argument"));
    assert!(found[0].contains("did you mean `image_id`? rename the argument `imag_id` to `image_id`"), "{}", found[0]);
}

#[test]
fn reports_independent_mistakes_together() {
    let found = errors(
        quote!(pots, "/images", stauts = 200),
        quote!(
            fn list() {}
        ),
    );
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found[0].contains("did you mean `post`?"), "{found:#?}");
    assert!(found[1].contains("did you mean `status`?"));
    assert!(found[2].contains("starts with `/`"));
    assert!(found[3].contains("must be an `async fn`"));
}

#[test]
fn doc_comments_become_paragraphs() {
    let action = validate(
        quote!(get, "images/"),
        quote! {
            /// List the Images
            /// of this Environment.
            ///
            ///   Oldest first.
            async fn list(paging: Paging) -> Page<Image> {}
        },
    )
    .unwrap_or_else(|errors| panic!("{errors:?}"));
    assert_eq!(action.description, "List the Images of this Environment.\n\nOldest first.");
}

#[test]
fn rejects_bodies_where_clients_send_none() {
    let found = errors(
        quote!(delete, "images/<imageId>"),
        quote!(
            async fn d(image_id: ImageId, b: Body<X>) {}
        ),
    );
    assert!(found[0].contains("a DELETE action cannot take a body"), "{found:?}");
}

#[test]
fn the_body_is_left_for_rustc_to_parse() {
    let item = quote! {
        /// List them.
        async fn list() -> Result<(), ApiError> {
            let count = ;
            Ok(())
        }
    };
    let output = super::expand(quote!(get, "images/"), item).to_string();
    assert!(!output.contains("compile_error"), "{output}");
    assert!(output.contains("ActionInfo < __ScalrDeferred > for list"), "the action is still served: {output}");
}

#[test]
fn inner_doc_comments_describe_the_action_too() {
    let action = validate(
        quote!(get, "images/"),
        quote! {
            /// List the Images.
            async fn list() {
                #![doc = " Oldest first."]
            }
        },
    )
    .unwrap_or_else(|errors| panic!("{errors:?}"));
    assert_eq!(action.description, "List the Images. Oldest first.");
}

#[test]
fn rejects_more_extractors_or_placeholders_than_the_runtime_serves() {
    let extractors: Vec<TokenStream> = (0..17)
        .map(|index| {
            let name = quote::format_ident!("header{index}");
            quote!(#name: TypedHeader<Custom>)
        })
        .collect();
    let messages = errors(
        quote!(get, "images/"),
        quote! {
            /// List them.
            async fn list_images(#(#extractors),*) -> Result<(), ApiError> {}
        },
    );
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("the action takes 17 extractors, more than 16"), "{messages:?}");

    let template = (0..17).map(|index| format!("p{index}/<id{index}>")).collect::<Vec<_>>().join("/");
    let placeholders: Vec<TokenStream> = (0..17)
        .map(|index| {
            let name = quote::format_ident!("id{index}");
            quote!(#name: u64)
        })
        .collect();
    let messages = errors(
        quote!(get, #template),
        quote! {
            /// Get it.
            async fn get_image(#(#placeholders),*) -> Result<(), ApiError> {}
        },
    );
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("the action binds 17 placeholders, more than 16"), "{messages:?}");
}

#[test]
fn a_raw_identifier_names_its_runtime_alias_without_the_prefix() {
    let item = quote! {
        /// Move it.
        async fn r#move(image_id: ImageId) -> Result<(), ApiError> {
            Ok(())
        }
    };
    let output = super::expand(quote!(post, "images/<imageId>/move"), item);
    let text = output.to_string();
    assert!(text.contains("use :: scalr_endpoints :: __private as __scalr_rt_move ;"), "{text}");
    assert!(!text.contains("compile_error"), "{text}");
    syn::parse2::<syn::File>(output).expect("the expansion is a list of items");
}
