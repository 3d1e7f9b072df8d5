use scalr_endpoints::prelude::*;

/// Get a copy of an image.
#[scalr_action(get, "images/<imageId>/copies/<image_id>")]
async fn get_copy(image_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = image_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_copy {});
}
