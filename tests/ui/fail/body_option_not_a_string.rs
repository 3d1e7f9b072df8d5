use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(post, "images/", body = 5)]
async fn create(image: Body<serde_json::Value>) -> Result<(), ApiError> {
    let _ = image;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
