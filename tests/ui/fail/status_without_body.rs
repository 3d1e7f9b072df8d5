use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(delete, "images/<imageId>", status = 204)]
async fn delete_image(image_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = image_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(delete_image {});
}
