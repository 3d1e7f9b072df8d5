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
impl ::se::__private::ActionInfo for delete_role {
    const META: &'static ::se::__private::ActionMeta = &::se::__private::ActionMeta {
        name: "delete_role",
        method: ::se::__private::Method::Delete,
        scope: ::se::__private::Scope::Account,
        path: "/api/v1beta0/account/roles/{roleId}",
        route: "/api/v1beta0/account/roles/{s4}",
        status: 200u16,
        description: "Delete a Role.",
        path_params: &[
            ::se::__private::PathParamMeta {
                name: "roleId",
                spec: ::se::__private::placeholder::<u64, delete_role>().spec,
            },
        ],
        body: ::core::option::Option::None,
        query_args: ::core::option::Option::Some(
            ::se::__private::query_args::<DeleteOptions, delete_role>().schema,
        ),
        permission: ::core::option::Option::Some("roles:manage"),
        output: ::se::__private::output::<Result<(), ApiError>, delete_role>().spec,
        errors: &[],
    };
}
impl delete_role {
    const __SCALR_ROLES: ::se::__private::Roles<
        (::se::__private::Placeholder<u64>,),
        (),
        ::se::__private::QueryArgsSlot<DeleteOptions>,
        (),
        Result<(), ApiError>,
    > = ::se::__private::Roles {
        placeholders: (
            ::se::__private::Placeholder {
                route_value: 0usize,
                parse: ::se::__private::placeholder::<u64, delete_role>().parse,
            },
        ),
        env_id: (),
        query_args: ::se::__private::query_args::<DeleteOptions, delete_role>().parse,
        body: (),
        respond: ::se::__private::output::<Result<(), ApiError>, delete_role>().respond,
        status: 200u16,
    };
}
impl<__ScalrState> ::se::__private::Action<__ScalrState> for delete_role
where
    __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync
        + 'static,
{
    fn call(
        __scalr_request: ::se::__private::Request,
        __scalr_state: __ScalrState,
        __scalr_pipeline: ::se::__private::Arc<::se::__private::Pipeline>,
    ) -> ::se::__private::ActionFuture {
        ::se::__private::serve_0::<
            Self,
            __ScalrState,
            (::se::__private::Placeholder<u64>,),
            (),
            ::se::__private::QueryArgsSlot<DeleteOptions>,
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
            ::se::__private::require_send::<
                _,
                delete_role,
            >(delete_role(__scalr_argument0, __scalr_argument1)),
        )
    }
}
