/// Delete a Role.
pub(crate) async fn delete_role(
    role_id: u64,
    options: QueryArgs<DeleteOptions>,
) -> Result<(), ApiError> {
    remove(role_id, options.0)
}
#[doc(hidden)]
/// The action `delete_role`: register it with `ScalrApi::action(delete_role {})`.
#[allow(non_camel_case_types)]
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
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
    impl<__ScalrState> __scalr::Action<__ScalrState> for delete_role
    where
        __ScalrState: ::core::clone::Clone + ::core::marker::Send + ::core::marker::Sync
            + 'static,
    {
        fn call(
            __scalr_request: __scalr::Request,
            __scalr_state: __ScalrState,
            __scalr_pipeline: __scalr::Arc<__scalr::Pipeline>,
        ) -> impl ::core::future::Future<
            Output = __scalr::Response,
        > + ::core::marker::Send + 'static {
            async move {
                let (mut __scalr_parts, __scalr_body) = __scalr_request.into_parts();
                let __scalr_path = match __scalr::PathValues::from_parts(
                        &mut __scalr_parts,
                    )
                    .await
                {
                    ::core::result::Result::Ok(__scalr_path) => __scalr_path,
                    ::core::result::Result::Err(__scalr_error) => {
                        return __scalr::IntoResponse::into_response(__scalr_error);
                    }
                };
                let __scalr_argument0 = match __scalr_path
                    .bind(0usize, __scalr::placeholder::<u64, delete_role>().parse)
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_error) => {
                        return __scalr::IntoResponse::into_response(__scalr_error);
                    }
                };
                let __scalr_admitted = match __scalr_pipeline
                    .admit(
                        &mut __scalr_parts,
                        __scalr_body,
                        &__scalr_path,
                        <Self as __scalr::ActionInfo>::META,
                    )
                    .await
                {
                    ::core::result::Result::Ok(__scalr_admitted) => __scalr_admitted,
                    ::core::result::Result::Err(__scalr_response) => {
                        return __scalr_response;
                    }
                };
                let __scalr_reply = __scalr_admitted.reply(&__scalr_parts);
                let __scalr_argument1: QueryArgs<DeleteOptions> = match (__scalr::query_args::<
                    DeleteOptions,
                    delete_role,
                >()
                    .parse)(&__scalr_parts)
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_error) => {
                        return __scalr_reply.reject(__scalr_error);
                    }
                };
                (__scalr::output::<Result<(), ApiError>, delete_role>()
                    .respond)(
                    __scalr_reply,
                    __scalr::require_send::<
                        _,
                        delete_role,
                    >(delete_role(__scalr_argument0, __scalr_argument1))
                        .await,
                    200u16,
                )
            }
        }
    }
};
