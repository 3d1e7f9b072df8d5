use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(pots, "images/")]
async fn create() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
