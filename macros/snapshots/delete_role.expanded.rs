/// Delete a Role.
pub(crate) async fn delete_role(
    role_id: u64,
    options: QueryArgs<DeleteOptions>,
) -> Result<(), ApiError> {
    remove(role_id, options.0)
}
#[doc(hidden)]
/// The action `delete_role`: register it with `ScalrApi::action(delete_role {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
pub(crate) struct delete_role {}
const _: () = {
    use ::se::__private as __scalr;
    impl __scalr::ActionInfo for delete_role {
        const META: &'static __scalr::ActionMeta = &__scalr::ActionMeta {
            name: "delete_role",
            method: __scalr::Method::Delete,
            scope: __scalr::Scope::Account,
            path: "/api/v1beta0/account/roles/{roleId}",
            route: "/api/v1beta0/account/roles/{s4}",
            status: 200u16,
            description: "Delete a Role.",
            path_params: &[
                __scalr::PathParamMeta {
                    name: "roleId",
                    spec: __scalr::placeholder::<u64, delete_role>().spec,
                },
            ],
            body: ::core::option::Option::None,
            query_args: ::core::option::Option::Some(
                __scalr::query_args::<DeleteOptions, delete_role>().schema,
            ),
            permission: ::core::option::Option::Some("roles:manage"),
            output: __scalr::output::<Result<(), ApiError>, delete_role>().spec,
            errors: &[],
        };
    }
    impl delete_role {
        const __SCALR_ROLES: __scalr::Roles<
            (__scalr::Placeholder<u64>,),
            (),
            __scalr::QueryArgsSlot<DeleteOptions>,
            (),
            Result<(), ApiError>,
        > = __scalr::Roles {
            placeholders: (
                __scalr::Placeholder {
                    route_value: 0usize,
                    parse: __scalr::placeholder::<u64, delete_role>().parse,
                },
            ),
            env_id: (),
            query_args: __scalr::query_args::<DeleteOptions, delete_role>().parse,
            body: (),
            respond: __scalr::output::<Result<(), ApiError>, delete_role>().respond,
            status: 200u16,
        };
    }
    impl<__ScalrState> __scalr::Action<__ScalrState> for delete_role
    where
        __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync
            + 'static,
    {
        fn call(
            __scalr_request: __scalr::Request,
            __scalr_state: __ScalrState,
            __scalr_pipeline: __scalr::Arc<__scalr::Pipeline>,
        ) -> __scalr::ActionFuture {
            __scalr::serve_0::<
                Self,
                __ScalrState,
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
                |(), (__scalr_argument0,), (), __scalr_argument1, ()| __scalr::require_send::<
                    _,
                    delete_role,
                >(delete_role(__scalr_argument0, __scalr_argument1)),
            )
        }
    }
};
