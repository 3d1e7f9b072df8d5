use scalr_endpoints::prelude::*;

/// List.
#[scalr_action]
async fn list() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
