use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(post, "images/")]
async fn create(first: Body<serde_json::Value>, second: Body<serde_json::Value>) -> Result<(), ApiError> {
    let _ = (first, second);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(create {});
}
