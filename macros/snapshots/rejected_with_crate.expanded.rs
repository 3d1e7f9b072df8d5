/// List the Images.
async fn list_images() -> Result<(), ApiError> {
    Ok(())
}
#[doc(hidden)]
/// The action `list_images`: register it with `ScalrApi::action(list_images {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
struct list_images {}
impl ::reexported::scalr::__private::ActionInfo for list_images {
    const META: &'static ::reexported::scalr::__private::ActionMeta = &::reexported::scalr::__private::ActionMeta::invalid(
        "list_images",
    );
}
impl<__ScalrState> ::reexported::scalr::__private::Action<__ScalrState> for list_images {
    fn call(
        _: ::reexported::scalr::__private::Request,
        _: __ScalrState,
        _: ::reexported::scalr::__private::Arc<::reexported::scalr::__private::Pipeline>,
    ) -> ::reexported::scalr::__private::ActionFuture {
        ::core::unreachable!("`#[scalr_action]` reported errors for this action")
    }
}
::core::compile_error! {
    "action `list_images`: status 404 is not a success status\n  = help: use a 2xx status such as 200 or 201; failures are returned as `ApiError`"
}
