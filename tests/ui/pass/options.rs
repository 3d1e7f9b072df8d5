use axum::extract::FromRef;
use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App {
    db: Db,
}

#[derive(Clone)]
struct Db;

impl FromRef<App> for Db {
    fn from_ref(app: &App) -> Db {
        app.db.clone()
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CloudLocation {
    #[serde(rename = "cloudLocation")]
    cloud_location: String,
}

/// Every option at once.
#[scalr_action(
    post,
    "images/<imageId>/actions/copy/",
    status = 202,
    scope = user,
    body = "copyTo",
    permission = "images:manage",
    errors = [
        BadRequest, InvalidStructure, InvalidValue, BadAuthentication, PermissionViolation, ScopeViolation,
        LimitExceeded, EndpointNotFound, ObjectNotFound, ObjectInUse, UnicityViolation, Locked,
        NotEnabledPlatform, OperatingSystemMismatch, Deprecated, UnacceptableState, UnacceptableImageStatus,
        ObjectNotFoundOnCloud, UnacceptableObjectConfiguration, ConfigurationMismatch, PayloadTooLarge,
        InternalServerError, NotImplemented, ServiceUnavailable,
    ],
    state = App,
    crate = ::scalr_endpoints,
)]
async fn copy_image(State(_db): State<Db>, image_id: uuid::Uuid, target: Body<CloudLocation>) -> Result<(), ApiError> {
    let _ = (image_id, target.0.cloud_location);
    Ok(())
}

fn main() {
    let api = ScalrApi::<App>::new().action(copy_image {});
    let meta = api.actions().next().unwrap();
    assert_eq!((meta.status, meta.permission, meta.body.map(|body| body.name)), (202, Some("images:manage"), Some("copyTo")));
    assert_eq!(meta.errors, ErrorCode::ALL, "every code of the runtime can be declared");
    let _router: axum::Router = api.into_router().with_state(App { db: Db });
}
