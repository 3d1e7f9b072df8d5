use scalr_endpoints::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct DeleteOptions {
    delete_from_cloud: bool,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Audit {
    reason: String,
}

/// Delete an image.
#[scalr_action(delete, "images/<imageId>/")]
async fn delete_image(
    image_id: u64,
    options: QueryArgs<DeleteOptions>,
    audit: QueryArgs<Audit>,
) -> Result<(), ApiError> {
    let _ = (image_id, options.0.delete_from_cloud, audit.0.reason);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(delete_image {});
}
