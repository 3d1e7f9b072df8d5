use scalr_endpoints::prelude::*;

/// List them.
#[scalr_action(get, "images/")]
async fn list() -> Result<(), ApiError> {
    let count = ;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
