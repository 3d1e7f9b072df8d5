/// List the Images available in this Environment.
pub async fn list_images(
    env_id: EnvId,
    paging: Paging,
    warnings: Warnings,
) -> Page<Image> {
    warnings.add("Deprecated", "use the v2 listing");
    paging.page(images(env_id))
}
use ::scalr_endpoints::__private as __scalr_rt_list_images;
#[doc(hidden)]
/// The action `list_images`: register it with `ScalrApi::action(list_images {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
pub struct list_images {}
impl<__ScalrDeferred> __scalr_rt_list_images::ActionInfo<__ScalrDeferred>
for list_images {
    const META: &'static __scalr_rt_list_images::ActionMeta = &__scalr_rt_list_images::ActionMeta {
        name: "list_images",
        method: __scalr_rt_list_images::Method::Get,
        scope: __scalr_rt_list_images::Scope::User,
        path: "/api/v1beta0/user/{envId}/images",
        route: "/api/v1beta0/user/{envId}/images",
        status: 200u16,
        description: "List the Images available in this Environment.",
        path_params: &[],
        body: __scalr_rt_list_images::None,
        query_args: __scalr_rt_list_images::None,
        permission: __scalr_rt_list_images::None,
        output: Self::__SCALR_ROLES.output.spec,
        errors: &[],
    };
}
impl list_images {
    const __SCALR_ROLES: __scalr_rt_list_images::Roles<
        (),
        __scalr_rt_list_images::EnvIdSlot<EnvId>,
        (),
        (),
        Page<Image>,
    > = __scalr_rt_list_images::Roles {
        placeholders: (),
        env_id: __scalr_rt_list_images::env_id::<EnvId, list_images>(),
        query_args: (),
        body: (),
        output: __scalr_rt_list_images::output::<Page<Image>, list_images>(),
    };
}
impl<__ScalrState> __scalr_rt_list_images::Action<__ScalrState> for list_images
where
    __ScalrState: __scalr_rt_list_images::Clone + __scalr_rt_list_images::Send
        + __scalr_rt_list_images::Sync + 'static,
    Paging: __scalr_rt_list_images::ExtractorValue<__ScalrState, list_images>,
    Warnings: __scalr_rt_list_images::ExtractorValue<__ScalrState, list_images>,
{
    fn call(
        __scalr_request: __scalr_rt_list_images::Request,
        __scalr_state: __ScalrState,
        __scalr_pipeline: __scalr_rt_list_images::Arc<__scalr_rt_list_images::Pipeline>,
    ) -> __scalr_rt_list_images::ActionFuture {
        __scalr_rt_list_images::serve_2::<
            Self,
            __ScalrState,
            Paging,
            Warnings,
            (),
            __scalr_rt_list_images::EnvIdSlot<EnvId>,
            (),
            (),
            Page<Image>,
            _,
            _,
        >(
            __scalr_request,
            __scalr_state,
            __scalr_pipeline,
            Self::__SCALR_ROLES,
            |
                (__scalr_argument1, __scalr_argument2): (Paging, Warnings),
                (): (),
                __scalr_argument0: EnvId,
                (): (),
                (): ()|
            __scalr_rt_list_images::require_send::<
                _,
                list_images,
            >(list_images(__scalr_argument0, __scalr_argument1, __scalr_argument2)),
        )
    }
}
