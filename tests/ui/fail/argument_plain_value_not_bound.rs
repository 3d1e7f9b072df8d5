use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
async fn list(limit: u32) -> Result<(), ApiError> {
    let _ = limit;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
