use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct CloudLocation {
    region: String,
}

/// The function stays a plain async fn: unit tests call it directly.
#[scalr_action(post, "images/<imageId>/actions/copy")]
async fn copy_image(
    State(_app): State<App>,
    env_id: EnvId,
    image_id: uuid::Uuid,
    copy_to: Body<CloudLocation>,
) -> Result<(), ApiError> {
    let _ = (env_id, image_id, copy_to.0.region);
    Ok(())
}

fn main() {
    let env = EnvId::new(1).unwrap();
    let target = CloudLocation { region: "us-west-2".into() };
    let future = copy_image(State(App), env, uuid::Uuid::nil(), Body(target));
    drop(future);
    let _ = copy_image {};
}
