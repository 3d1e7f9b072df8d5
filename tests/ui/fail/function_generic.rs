use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/")]
async fn list<T: Default>() -> Result<(), ApiError> {
    let _ = T::default();
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
