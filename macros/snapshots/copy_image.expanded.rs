/// Copy an Image from one EC2 region to another.
async fn copy_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    copy_to: Body<CloudLocation>,
) -> Result<Image, ApiError> {
    app.copy(env_id, image_id, copy_to.0)
}
#[doc(hidden)]
/// The action `copy_image`: register it with `ScalrApi::action(copy_image {})`.
#[allow(non_camel_case_types)]
#[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
struct copy_image {}
const _: () = {
    use ::scalr_endpoints::__private as __scalr;
    impl __scalr::ActionInfo for copy_image {
        const META: &'static __scalr::ActionMeta = &__scalr::ActionMeta {
            name: "copy_image",
            method: __scalr::Method::Post,
            scope: __scalr::Scope::User,
            path: "/api/v1beta0/user/{envId}/images/{imageId}/actions/copy",
            route: "/api/v1beta0/user/{envId}/images/{s5}/actions/copy",
            status: 201u16,
            description: "Copy an Image from one EC2 region to another.",
            path_params: &[
                __scalr::PathParamMeta {
                    name: "imageId",
                    spec: __scalr::placeholder::<ImageId, copy_image>().spec,
                },
            ],
            body: ::core::option::Option::Some(__scalr::BodyMeta {
                name: "copyTo",
                schema: __scalr::body::<CloudLocation, copy_image>().schema,
            }),
            query_args: ::core::option::Option::None,
            permission: ::core::option::Option::None,
            output: __scalr::output::<Result<Image, ApiError>, copy_image>().spec,
            errors: &[],
        };
    }
    impl __scalr::Action<AppState> for copy_image {
        fn call(
            __scalr_request: __scalr::Request,
            __scalr_state: AppState,
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
                let __scalr_argument2 = match __scalr_path
                    .bind(1usize, __scalr::placeholder::<ImageId, copy_image>().parse)
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
                let __scalr_argument1 = __scalr::env_id::<
                    EnvId,
                    copy_image,
                >(&__scalr_admitted);
                let __scalr_argument0 = match __scalr::extract::<
                    State<AppState>,
                    AppState,
                    copy_image,
                >(&mut __scalr_parts, &__scalr_state)
                    .await
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_rejection) => {
                        return __scalr_admitted.rejection(__scalr_rejection);
                    }
                };
                let __scalr_reply = __scalr_admitted.reply(&__scalr_parts);
                let __scalr_argument3: Body<CloudLocation> = match (__scalr::body::<
                    CloudLocation,
                    copy_image,
                >()
                    .parse)(__scalr_admitted.body_bytes())
                {
                    ::core::result::Result::Ok(__scalr_value) => __scalr_value,
                    ::core::result::Result::Err(__scalr_error) => {
                        return __scalr_reply.reject(__scalr_error);
                    }
                };
                (__scalr::output::<Result<Image, ApiError>, copy_image>()
                    .respond)(
                    __scalr_reply,
                    __scalr::require_send::<
                        _,
                        copy_image,
                    >(
                            copy_image(
                                __scalr_argument0,
                                __scalr_argument1,
                                __scalr_argument2,
                                __scalr_argument3,
                            ),
                        )
                        .await,
                    201u16,
                )
            }
        }
    }
};
