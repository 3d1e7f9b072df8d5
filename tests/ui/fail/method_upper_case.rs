use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(POST, "images/")]
async fn create() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
