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
impl ::scalr_endpoints::__private::ActionInfo for copy_image {
    const META: &'static ::scalr_endpoints::__private::ActionMeta = &::scalr_endpoints::__private::ActionMeta {
        name: "copy_image",
        method: ::scalr_endpoints::__private::Method::Post,
        scope: ::scalr_endpoints::__private::Scope::User,
        path: "/api/v1beta0/user/{envId}/images/{imageId}/actions/copy",
        route: "/api/v1beta0/user/{envId}/images/{s5}/actions/copy",
        status: 201u16,
        description: "Copy an Image from one EC2 region to another.",
        path_params: &[
            ::scalr_endpoints::__private::PathParamMeta {
                name: "imageId",
                spec: ::scalr_endpoints::__private::placeholder::<ImageId, copy_image>()
                    .spec,
            },
        ],
        body: ::core::option::Option::Some(::scalr_endpoints::__private::BodyMeta {
            name: "copyTo",
            schema: ::scalr_endpoints::__private::body::<CloudLocation, copy_image>()
                .schema,
        }),
        query_args: ::core::option::Option::None,
        permission: ::core::option::Option::None,
        output: ::scalr_endpoints::__private::output::<
            Result<Image, ApiError>,
            copy_image,
        >()
            .spec,
        errors: &[],
    };
}
impl copy_image {
    const __SCALR_ROLES: ::scalr_endpoints::__private::Roles<
        (::scalr_endpoints::__private::Placeholder<ImageId>,),
        ::scalr_endpoints::__private::EnvIdSlot<EnvId>,
        (),
        ::scalr_endpoints::__private::BodySlot<CloudLocation>,
        Result<Image, ApiError>,
    > = ::scalr_endpoints::__private::Roles {
        placeholders: (
            ::scalr_endpoints::__private::Placeholder {
                route_value: 1usize,
                parse: ::scalr_endpoints::__private::placeholder::<ImageId, copy_image>()
                    .parse,
            },
        ),
        env_id: ::scalr_endpoints::__private::env_id::<EnvId, copy_image>(),
        query_args: (),
        body: ::scalr_endpoints::__private::body::<CloudLocation, copy_image>().parse,
        respond: ::scalr_endpoints::__private::output::<
            Result<Image, ApiError>,
            copy_image,
        >()
            .respond,
        status: 201u16,
    };
}
impl ::scalr_endpoints::__private::Action<AppState> for copy_image {
    fn call(
        __scalr_request: ::scalr_endpoints::__private::Request,
        __scalr_state: AppState,
        __scalr_pipeline: ::scalr_endpoints::__private::Arc<
            ::scalr_endpoints::__private::Pipeline,
        >,
    ) -> ::scalr_endpoints::__private::ActionFuture {
        ::scalr_endpoints::__private::serve_1::<
            Self,
            AppState,
            State<AppState>,
            (::scalr_endpoints::__private::Placeholder<ImageId>,),
            ::scalr_endpoints::__private::EnvIdSlot<EnvId>,
            (),
            ::scalr_endpoints::__private::BodySlot<CloudLocation>,
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
            ::scalr_endpoints::__private::require_send::<
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
