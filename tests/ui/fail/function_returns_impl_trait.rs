use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
async fn list() -> impl serde::Serialize {
    0
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
