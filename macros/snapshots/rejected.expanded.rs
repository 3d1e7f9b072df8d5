/// Get an Image.
fn get_image(imag_id: ImageId) -> Result<Image, ApiError> {
    find(imag_id)
}
use ::scalr_endpoints::__private as __scalr_rt_get_image;
#[doc(hidden)]
/// The action `get_image`: register it with `ScalrApi::action(get_image {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
struct get_image {}
impl<__ScalrDeferred> __scalr_rt_get_image::ActionInfo<__ScalrDeferred> for get_image {
    const META: &'static __scalr_rt_get_image::ActionMeta = &__scalr_rt_get_image::ActionMeta::invalid(
        "get_image",
    );
}
impl<__ScalrState> __scalr_rt_get_image::Action<__ScalrState> for get_image {
    fn call(
        _: __scalr_rt_get_image::Request,
        _: __ScalrState,
        _: __scalr_rt_get_image::Arc<__scalr_rt_get_image::Pipeline>,
    ) -> __scalr_rt_get_image::ActionFuture {
        ::core::unreachable!("`#[scalr_action]` reported errors for this action")
    }
}
::core::compile_error! {
    "action `get_image`: `pots` is not an HTTP method an action can answer\n  = help: did you mean `post`?"
}
::core::compile_error! {
    "action `get_image`: the path template starts with `/`\n    \"/images/<imageId>\"\n     ^\n  = help: templates are relative to `/api/v1beta0/user/{envId}/`; remove the leading `/`"
}
::core::compile_error! {
    "action `get_image`: an action must be an `async fn`\n  = help: write `async fn`"
}
