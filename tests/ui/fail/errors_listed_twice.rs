use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/<imageId>", errors = [ObjectNotFound, ObjectNotFound])]
async fn get_image(image_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = image_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_image {});
}
