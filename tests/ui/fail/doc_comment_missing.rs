use scalr_endpoints::prelude::*;

#[scalr_action(get, "images/")]
async fn list_images() -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list_images {});
}
