use scalr_endpoints::prelude::*;

/// List images.
#[scalr_action(get, "images/")]
async fn list_images(env_id: u64) -> Result<(), ApiError> {
    let _ = env_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list_images {});
}
