use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(post, "images/", permission = images_manage)]
async fn create() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
