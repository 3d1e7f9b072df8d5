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
#[allow(non_camel_case_types)]
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
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
                let __scalr_argument0 = __scalr::env_id::<
                    EnvId,
                    list_images,
                >(&__scalr_admitted);
                let __scalr_argument1 = match __scalr::extract::<
                    Paging,
                    __ScalrState,
                    list_images,
                >(&mut __scalr_parts, &__scalr_state)
                    .await
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_rejection) => {
                        return __scalr_admitted.rejection(__scalr_rejection);
                    }
                };
                let __scalr_argument2 = match __scalr::extract::<
                    Warnings,
                    __ScalrState,
                    list_images,
                >(&mut __scalr_parts, &__scalr_state)
                    .await
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_rejection) => {
                        return __scalr_admitted.rejection(__scalr_rejection);
                    }
                };
                let __scalr_reply = __scalr_admitted.reply(&__scalr_parts);
                (__scalr::output::<Page<Image>, list_images>()
                    .respond)(
                    __scalr_reply,
                    __scalr::require_send::<
                        _,
                        list_images,
                    >(
                            list_images(
                                __scalr_argument0,
                                __scalr_argument1,
                                __scalr_argument2,
                            ),
                        )
                        .await,
                    200u16,
                )
            }
        }
    }
};
