use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(post, "images/", body = "image")]
async fn create() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
