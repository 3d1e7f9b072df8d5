use scalr_endpoints::prelude::*;
use std::rc::Rc;

async fn tick() {}

/// List images.
#[scalr_action(get, "images/")]
async fn list_images() -> Result<(), ApiError> {
    let counter = Rc::new(1);
    tick().await;
    let _ = counter;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list_images {});
}
