use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(head, "images/")]
async fn probe() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(probe {});
}
