use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App;

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Image {
    id: uuid::Uuid,
}

impl ApiObject for Image {}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CloudLocation {
    #[serde(rename = "cloudLocation")]
    cloud_location: String,
}

/// Copy an Image from one EC2 region to another.
#[scalr_action(post, "images/<imageId>/actions/copy")]
async fn copy_image(
    State(_app): State<App>,
    env_id: EnvId,
    image_id: uuid::Uuid,
    copy_to: Body<CloudLocation>,
) -> Result<Image, ApiError> {
    let _ = (env_id, copy_to.0.cloud_location);
    Ok(Image { id: image_id })
}

fn main() {
    let _router: axum::Router = ScalrApi::new().action(copy_image {}).into_router().with_state(App);
}
