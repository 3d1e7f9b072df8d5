//! Expansion snapshots: the code generated for representative declarations, pretty-printed and
//! compared with the golden files in `macros/snapshots/`. Run with `SCALR_BLESS=1` to rewrite
//! them after an intended change, and review the diff.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

fn check(name: &str, attr: TokenStream, item: TokenStream) {
    let expanded = super::expand(attr, item);
    let file: syn::File = syn::parse2(expanded).expect("the expansion is a list of items");
    let pretty = prettyplease::unparse(&file);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(format!("{name}.expanded.rs"));
    if std::env::var_os("SCALR_BLESS").is_some() {
        std::fs::write(&path, &pretty).expect("the snapshot can be written");
        return;
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with SCALR_BLESS=1 to create it", path.display()));
    assert!(golden == pretty, "the expansion of `{name}` changed; compare with {}:\n{pretty}", path.display());
}

#[test]
fn copy_action_with_state_environment_placeholder_and_body() {
    check(
        "copy_image",
        quote!(post, "images/<imageId>/actions/copy"),
        quote! {
            /// Copy an Image from one EC2 region to another.
            async fn copy_image(
                State(app): State<AppState>,
                env_id: EnvId,
                image_id: ImageId,
                copy_to: Body<CloudLocation>,
            ) -> Result<Image, ApiError> {
                app.copy(env_id, image_id, copy_to.0)
            }
        },
    );
}

#[test]
fn list_action_for_any_state() {
    check(
        "list_images",
        quote!(get, "images/"),
        quote! {
            /// List the Images available in this Environment.
            pub async fn list_images(env_id: EnvId, paging: Paging, warnings: Warnings) -> Page<Image> {
                warnings.add("Deprecated", "use the v2 listing");
                paging.page(images(env_id))
            }
        },
    );
}

#[test]
fn account_delete_with_options() {
    check(
        "delete_role",
        quote!(delete, "roles/<roleId>/", scope = account, status = 200, permission = "roles:manage", crate = ::se),
        quote! {
            /// Delete a Role.
            pub(crate) async fn delete_role(role_id: u64, options: QueryArgs<DeleteOptions>) -> Result<(), ApiError> {
                remove(role_id, options.0)
            }
        },
    );
}

#[test]
fn a_rejected_declaration_reaches_the_facade_it_names() {
    check(
        "rejected_with_crate",
        quote!(get, "images/", status = 404, crate = ::reexported::scalr),
        quote! {
            /// List the Images.
            async fn list_images() -> Result<(), ApiError> {
                Ok(())
            }
        },
    );
}

#[test]
fn a_rejected_declaration_keeps_the_function_and_a_placeholder_marker() {
    check(
        "rejected",
        quote!(pots, "/images/<imageId>"),
        quote! {
            /// Get an Image.
            fn get_image(imag_id: ImageId) -> Result<Image, ApiError> {
                find(imag_id)
            }
        },
    );
}

/// Malformed input of every shape is answered with `compile_error!`, never a panic, and the
/// function is always emitted again.
#[test]
fn malformed_declarations_never_panic() {
    let function = quote!(
        async fn f(x: u32) -> Result<(), ApiError> {
            Ok(())
        }
    );
    let attributes = [
        quote!(),
        quote!(,,,),
        quote!(get, "a", =),
        quote!(= get),
        quote!(get "a"),
        quote!((get, "a")),
        quote!(get, "a", status = 99999999999999999999),
        quote!(get, "a", status = -1),
        quote!(get, "a", scope = user::deep),
        quote!(get, "a", body = "", body = 5),
        quote!(get, "<é>/<>/<</>>/{}/~", crate = 5),
        quote!(get, "a", state = <>),
        quote!('a, "x"),
        quote!(get, r#"raw/<x>"#, permission = ""),
        quote!(get, b"bytes"),
    ];
    for attr in attributes {
        let output = super::expand(attr.clone(), function.clone()).to_string();
        assert!(output.contains("compile_error"), "no error for `{attr}`: {output}");
        assert!(output.contains("async fn f"), "the function is gone for `{attr}`");
    }
    let items = [
        quote!(),
        quote!(fn),
        quote!(
            struct S;
        ),
        quote!(impl S {}),
        quote!(async fn (x) {}),
    ];
    for item in items {
        let output = super::expand(quote!(get, "a"), item.clone()).to_string();
        assert!(output.contains("compile_error"), "no error for item `{item}`");
    }
}
