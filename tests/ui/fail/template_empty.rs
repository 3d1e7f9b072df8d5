use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "")]
async fn root() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(root {});
}
