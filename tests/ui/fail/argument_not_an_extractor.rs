use scalr_endpoints::prelude::*;

struct Limit(u32);

/// List images.
#[scalr_action(get, "images/")]
async fn list_images(limit: Limit) -> Result<(), ApiError> {
    let _ = limit.0;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list_images {});
}
