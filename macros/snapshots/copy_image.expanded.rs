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
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
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
    impl copy_image {
        const __SCALR_ROLES: __scalr::Roles<
            (__scalr::Placeholder<ImageId>,),
            __scalr::EnvIdSlot<EnvId>,
            (),
            __scalr::BodySlot<CloudLocation>,
            Result<Image, ApiError>,
        > = __scalr::Roles {
            placeholders: (
                __scalr::Placeholder {
                    route_value: 1usize,
                    parse: __scalr::placeholder::<ImageId, copy_image>().parse,
                },
            ),
            env_id: __scalr::env_id::<EnvId, copy_image>(),
            query_args: (),
            body: __scalr::body::<CloudLocation, copy_image>().parse,
            respond: __scalr::output::<Result<Image, ApiError>, copy_image>().respond,
            status: 201u16,
        };
    }
    impl __scalr::Action<AppState> for copy_image {
        fn call(
            __scalr_request: __scalr::Request,
            __scalr_state: AppState,
            __scalr_pipeline: __scalr::Arc<__scalr::Pipeline>,
        ) -> __scalr::ActionFuture {
            __scalr::serve_1::<
                Self,
                AppState,
                State<AppState>,
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
                |
                    (__scalr_argument0,),
                    (__scalr_argument2,),
                    __scalr_argument1,
                    (),
                    __scalr_argument3|
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
                ),
            )
        }
    }
};
