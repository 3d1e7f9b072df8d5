/// List the Images.
async fn list_images() -> Result<(), ApiError> {
    Ok(())
}
use ::reexported::scalr::__private as __scalr_rt_list_images;
#[doc(hidden)]
/// The action `list_images`: register it with `ScalrApi::action(list_images {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
struct list_images {}
impl<__ScalrDeferred> __scalr_rt_list_images::ActionInfo<__ScalrDeferred>
for list_images {
    const META: &'static __scalr_rt_list_images::ActionMeta = &__scalr_rt_list_images::ActionMeta::invalid(
        "list_images",
    );
}
impl<__ScalrState> __scalr_rt_list_images::Action<__ScalrState> for list_images {
    fn call(
        _: __scalr_rt_list_images::Request,
        _: __ScalrState,
        _: __scalr_rt_list_images::Arc<__scalr_rt_list_images::Pipeline>,
    ) -> __scalr_rt_list_images::ActionFuture {
        ::core::unreachable!("`#[scalr_action]` reported errors for this action")
    }
}
::core::compile_error! {
    "action `list_images`: status 404 is not a success status\n  = help: use a 2xx status such as 200 or 201; failures are returned as `ApiError`"
}
