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
const _: () = {
    use ::scalr_endpoints::__private as __scalr;
    impl __scalr::ActionInfo for list_images {
        const META: &'static __scalr::ActionMeta = &__scalr::ActionMeta {
            name: "list_images",
            method: __scalr::Method::Get,
            scope: __scalr::Scope::User,
            path: "/api/v1beta0/user/{envId}/images",
            route: "/api/v1beta0/user/{envId}/images",
            status: 200u16,
            description: "List the Images available in this Environment.",
            path_params: &[],
            body: ::core::option::Option::None,
            query_args: ::core::option::Option::None,
            permission: ::core::option::Option::None,
            output: __scalr::output::<Page<Image>, list_images>().spec,
            errors: &[],
        };
    }
    impl list_images {
        const __SCALR_ROLES: __scalr::Roles<
            (),
            __scalr::EnvIdSlot<EnvId>,
            (),
            (),
            Page<Image>,
        > = __scalr::Roles {
            placeholders: (),
            env_id: __scalr::env_id::<EnvId, list_images>(),
            query_args: (),
            body: (),
            respond: __scalr::output::<Page<Image>, list_images>().respond,
            status: 200u16,
        };
    }
    impl<__ScalrState> __scalr::Action<__ScalrState> for list_images
    where
        __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync
            + 'static,
        Paging: __scalr::ExtractorValue<__ScalrState, list_images>,
        Warnings: __scalr::ExtractorValue<__ScalrState, list_images>,
    {
        fn call(
            __scalr_request: __scalr::Request,
            __scalr_state: __ScalrState,
            __scalr_pipeline: __scalr::Arc<__scalr::Pipeline>,
        ) -> __scalr::ActionFuture {
            __scalr::serve_2::<
                Self,
                __ScalrState,
                Paging,
                Warnings,
                _,
                _,
                _,
                _,
                _,
                _,
                _,
            >(
                __scalr_request,
                __scalr_state,
                __scalr_pipeline,
                Self::__SCALR_ROLES,
                |(__scalr_argument1, __scalr_argument2), (), __scalr_argument0, (), ()| __scalr::require_send::<
                    _,
                    list_images,
                >(list_images(__scalr_argument0, __scalr_argument1, __scalr_argument2)),
            )
        }
    }
};
