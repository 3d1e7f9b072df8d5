use scalr_endpoints::prelude::*;

/// Get an image.
#[scalr_action(get, "images/<imageId>/")]
async fn get_image(env_id: EnvId, imag_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = (env_id, imag_id);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_image {});
}
