/// Delete a Role.
pub(crate) async fn delete_role(
    role_id: u64,
    options: QueryArgs<DeleteOptions>,
) -> Result<(), ApiError> {
    remove(role_id, options.0)
}
use ::se::__private as __scalr_rt_delete_role;
#[doc(hidden)]
/// The action `delete_role`: register it with `ScalrApi::action(delete_role {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
pub(crate) struct delete_role {}
impl<__ScalrDeferred> __scalr_rt_delete_role::ActionInfo<__ScalrDeferred>
for delete_role {
    const META: &'static __scalr_rt_delete_role::ActionMeta = &__scalr_rt_delete_role::ActionMeta {
        name: "delete_role",
        method: __scalr_rt_delete_role::Method::Delete,
        scope: __scalr_rt_delete_role::Scope::Account,
        path: "/api/v1beta0/account/roles/{roleId}",
        route: "/api/v1beta0/account/roles/{s4}",
        status: 200u16,
        description: "Delete a Role.",
        path_params: &[
            __scalr_rt_delete_role::PathParamMeta {
                name: "roleId",
                spec: Self::__SCALR_ROLES.placeholders.0.role.spec,
            },
        ],
        body: __scalr_rt_delete_role::None,
        query_args: __scalr_rt_delete_role::Some(Self::__SCALR_ROLES.query_args.schema),
        permission: __scalr_rt_delete_role::Some("roles:manage"),
        output: Self::__SCALR_ROLES.output.spec,
        errors: &[],
    };
}
impl delete_role {
    const __SCALR_ROLES: __scalr_rt_delete_role::Roles<
        (__scalr_rt_delete_role::Placeholder<u64>,),
        (),
        __scalr_rt_delete_role::QueryArgsRole<DeleteOptions>,
        (),
        Result<(), ApiError>,
    > = __scalr_rt_delete_role::Roles {
        placeholders: (
            __scalr_rt_delete_role::Placeholder {
                route_value: 0usize,
                role: __scalr_rt_delete_role::placeholder::<u64, delete_role>(),
            },
        ),
        env_id: (),
        query_args: __scalr_rt_delete_role::query_args::<DeleteOptions, delete_role>(),
        body: (),
        output: __scalr_rt_delete_role::output::<Result<(), ApiError>, delete_role>(),
    };
}
impl<__ScalrState> __scalr_rt_delete_role::Action<__ScalrState> for delete_role
where
    __ScalrState: __scalr_rt_delete_role::Clone + __scalr_rt_delete_role::Send
        + __scalr_rt_delete_role::Sync + 'static,
{
    fn call(
        __scalr_request: __scalr_rt_delete_role::Request,
        __scalr_state: __ScalrState,
        __scalr_pipeline: __scalr_rt_delete_role::Arc<__scalr_rt_delete_role::Pipeline>,
    ) -> __scalr_rt_delete_role::ActionFuture {
        __scalr_rt_delete_role::serve_0::<
            Self,
            __ScalrState,
            (__scalr_rt_delete_role::Placeholder<u64>,),
            (),
            __scalr_rt_delete_role::QueryArgsRole<DeleteOptions>,
            (),
            Result<(), ApiError>,
            _,
            _,
        >(
            __scalr_request,
            __scalr_state,
            __scalr_pipeline,
            Self::__SCALR_ROLES,
            |
                (): (),
                (__scalr_argument0,): (u64,),
                (): (),
                __scalr_argument1: QueryArgs<DeleteOptions>,
                (): ()|
            __scalr_rt_delete_role::require_send::<
                _,
                delete_role,
            >(delete_role(__scalr_argument0, __scalr_argument1)),
        )
    }
}
