use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
async fn list(filter: Body<serde_json::Value>) -> Result<(), ApiError> {
    let _ = filter;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
