use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/<imageId>")]
async fn get_image() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_image {});
}
