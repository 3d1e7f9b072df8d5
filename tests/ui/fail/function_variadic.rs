use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
async fn list(paging: Paging, _: ...) -> Result<(), ApiError> {
    let _ = paging;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
