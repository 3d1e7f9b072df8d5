use scalr_endpoints::prelude::*;

#[derive(schemars::JsonSchema)]
struct NewImage {
    name: String,
}

/// Register an image.
#[scalr_action(post, "images/")]
async fn register_image(image: Body<NewImage>) -> Result<(), ApiError> {
    let _ = image.0.name;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(register_image {});
}
