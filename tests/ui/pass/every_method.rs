use scalr_endpoints::prelude::*;

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Change {
    name: String,
}

/// Get an image.
#[scalr_action(get, "images/<imageId>/")]
async fn get_image(image_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = image_id;
    Ok(())
}

/// Create an image.
#[scalr_action(post, "images/")]
async fn create_image(change: Body<Change>) -> Result<(), ApiError> {
    let _ = change.0.name;
    Ok(())
}

/// Rename an image.
#[scalr_action(patch, "images/<imageId>/")]
async fn rename_image(image_id: uuid::Uuid, change: Body<Change>) -> Result<(), ApiError> {
    let _ = (image_id, change.0.name);
    Ok(())
}

/// Replace an image.
#[scalr_action(put, "images/<imageId>/")]
async fn replace_image(image_id: uuid::Uuid, change: Body<Change>) -> Result<(), ApiError> {
    let _ = (image_id, change.0.name);
    Ok(())
}

/// Delete an image.
#[scalr_action(delete, "images/<imageId>/")]
async fn delete_image(image_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = image_id;
    Ok(())
}

fn main() {
    let api = ScalrApi::<()>::new()
        .action(get_image {})
        .action(create_image {})
        .action(rename_image {})
        .action(replace_image {})
        .action(delete_image {});
    let methods: Vec<&str> = api.actions().map(|meta| meta.method.as_str()).collect();
    assert_eq!(methods, ["GET", "POST", "PATCH", "PUT", "DELETE"]);
    let statuses: Vec<u16> = api.actions().map(|meta| meta.status).collect();
    assert_eq!(statuses, [200, 201, 200, 200, 200]);
    let _router = api.try_into_router().expect("one path, five methods");
}
