/// Copy an Image from one EC2 region to another.
async fn copy_image(
    State(app): State<AppState>,
    env_id: EnvId,
    image_id: ImageId,
    copy_to: Body<CloudLocation>,
) -> Result<Image, ApiError> {
    app.copy(env_id, image_id, copy_to.0)
}
use ::scalr_endpoints::__private as __scalr_rt_copy_image;
#[doc(hidden)]
/// The action `copy_image`: register it with `ScalrApi::action(copy_image {})`.
#[allow(
    non_camel_case_types,
    missing_copy_implementations,
    missing_debug_implementations
)]
struct copy_image {}
impl<__ScalrDeferred> __scalr_rt_copy_image::ActionInfo<__ScalrDeferred> for copy_image {
    const META: &'static __scalr_rt_copy_image::ActionMeta = &__scalr_rt_copy_image::ActionMeta {
        name: "copy_image",
        method: __scalr_rt_copy_image::Method::Post,
        scope: __scalr_rt_copy_image::Scope::User,
        path: "/api/v1beta0/user/{envId}/images/{imageId}/actions/copy",
        route: "/api/v1beta0/user/{envId}/images/{s5}/actions/copy",
        status: 201u16,
        description: "Copy an Image from one EC2 region to another.",
        path_params: &[
            __scalr_rt_copy_image::PathParamMeta {
                name: "imageId",
                spec: Self::__SCALR_ROLES.placeholders.0.role.spec,
            },
        ],
        body: __scalr_rt_copy_image::Some(__scalr_rt_copy_image::BodyMeta {
            name: "copyTo",
            schema: Self::__SCALR_ROLES.body.schema,
        }),
        query_args: __scalr_rt_copy_image::None,
        permission: __scalr_rt_copy_image::None,
        output: Self::__SCALR_ROLES.output.spec,
        errors: &[],
    };
}
impl copy_image {
    const __SCALR_ROLES: __scalr_rt_copy_image::Roles<
        (__scalr_rt_copy_image::Placeholder<ImageId>,),
        __scalr_rt_copy_image::EnvIdSlot<EnvId>,
        (),
        __scalr_rt_copy_image::BodyRole<CloudLocation>,
        Result<Image, ApiError>,
    > = __scalr_rt_copy_image::Roles {
        placeholders: (
            __scalr_rt_copy_image::Placeholder {
                route_value: 1usize,
                role: __scalr_rt_copy_image::placeholder::<ImageId, copy_image>(),
            },
        ),
        env_id: __scalr_rt_copy_image::env_id::<EnvId, copy_image>(),
        query_args: (),
        body: __scalr_rt_copy_image::body::<CloudLocation, copy_image>(),
        output: __scalr_rt_copy_image::output::<Result<Image, ApiError>, copy_image>(),
    };
}
impl __scalr_rt_copy_image::Action<AppState> for copy_image {
    fn call(
        __scalr_request: __scalr_rt_copy_image::Request,
        __scalr_state: AppState,
        __scalr_pipeline: __scalr_rt_copy_image::Arc<__scalr_rt_copy_image::Pipeline>,
    ) -> __scalr_rt_copy_image::ActionFuture {
        __scalr_rt_copy_image::serve_1::<
            Self,
            AppState,
            State<AppState>,
            (__scalr_rt_copy_image::Placeholder<ImageId>,),
            __scalr_rt_copy_image::EnvIdSlot<EnvId>,
            (),
            __scalr_rt_copy_image::BodyRole<CloudLocation>,
            Result<Image, ApiError>,
            _,
            _,
        >(
            __scalr_request,
            __scalr_state,
            __scalr_pipeline,
            Self::__SCALR_ROLES,
            |
                (__scalr_argument0,): (State<AppState>,),
                (__scalr_argument2,): (ImageId,),
                __scalr_argument1: EnvId,
                (): (),
                __scalr_argument3: Body<CloudLocation>|
            __scalr_rt_copy_image::require_send::<
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
