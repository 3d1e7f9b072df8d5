/// List the Images available in this Environment.
pub async fn list_images(
    env_id: EnvId,
    paging: Paging,
    warnings: Warnings,
) -> Page<Image> {
    warnings.add("Deprecated", "use the v2 listing");
    paging.page(images(env_id))
}
#[doc(hidden)]
/// The action `list_images`: register it with `ScalrApi::action(list_images {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
pub struct list_images {}
impl ::scalr_endpoints::__private::ActionInfo for list_images {
    const META: &'static ::scalr_endpoints::__private::ActionMeta = &::scalr_endpoints::__private::ActionMeta {
        name: "list_images",
        method: ::scalr_endpoints::__private::Method::Get,
        scope: ::scalr_endpoints::__private::Scope::User,
        path: "/api/v1beta0/user/{envId}/images",
        route: "/api/v1beta0/user/{envId}/images",
        status: 200u16,
        description: "List the Images available in this Environment.",
        path_params: &[],
        body: ::core::option::Option::None,
        query_args: ::core::option::Option::None,
        permission: ::core::option::Option::None,
        output: ::scalr_endpoints::__private::output::<Page<Image>, list_images>().spec,
        errors: &[],
    };
}
impl list_images {
    const __SCALR_ROLES: ::scalr_endpoints::__private::Roles<
        (),
        ::scalr_endpoints::__private::EnvIdSlot<EnvId>,
        (),
        (),
        Page<Image>,
    > = ::scalr_endpoints::__private::Roles {
        placeholders: (),
        env_id: ::scalr_endpoints::__private::env_id::<EnvId, list_images>(),
        query_args: (),
        body: (),
        respond: ::scalr_endpoints::__private::output::<Page<Image>, list_images>()
            .respond,
        status: 200u16,
    };
}
impl<__ScalrState> ::scalr_endpoints::__private::Action<__ScalrState> for list_images
where
    __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync
        + 'static,
    Paging: ::scalr_endpoints::__private::ExtractorValue<__ScalrState, list_images>,
    Warnings: ::scalr_endpoints::__private::ExtractorValue<__ScalrState, list_images>,
{
    fn call(
        __scalr_request: ::scalr_endpoints::__private::Request,
        __scalr_state: __ScalrState,
        __scalr_pipeline: ::scalr_endpoints::__private::Arc<
            ::scalr_endpoints::__private::Pipeline,
        >,
    ) -> ::scalr_endpoints::__private::ActionFuture {
        ::scalr_endpoints::__private::serve_2::<
            Self,
            __ScalrState,
            Paging,
            Warnings,
            (),
            ::scalr_endpoints::__private::EnvIdSlot<EnvId>,
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
            ::scalr_endpoints::__private::require_send::<
                _,
                list_images,
            >(list_images(__scalr_argument0, __scalr_argument1, __scalr_argument2)),
        )
    }
}
