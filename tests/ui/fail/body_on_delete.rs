use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(delete, "images/<imageId>")]
async fn delete_image(image_id: uuid::Uuid, reason: Body<serde_json::Value>) -> Result<(), ApiError> {
    let _ = (image_id, reason);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(delete_image {});
}
