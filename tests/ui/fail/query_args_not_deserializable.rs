use scalr_endpoints::prelude::*;

#[derive(schemars::JsonSchema)]
struct DeleteOptions {
    delete_from_cloud: bool,
}

/// Delete an image.
#[scalr_action(delete, "images/<imageId>/")]
async fn delete_image(image_id: u64, options: QueryArgs<DeleteOptions>) -> Result<(), ApiError> {
    let _ = (image_id, options.0.delete_from_cloud);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(delete_image {});
}
