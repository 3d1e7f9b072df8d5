use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
const async fn list() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
