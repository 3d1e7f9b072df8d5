use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App;

#[derive(Clone)]
struct Other;

/// List images.
#[scalr_action(get, "images/")]
async fn list_images(State(_app): State<App>) -> Result<(), ApiError> {
    Ok(())
}

fn main() {
    let _ = ScalrApi::<Other>::new().action(list_images {});
}
