use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(pots, "/images/<imageId>")]
fn get_image(imag_id: uuid::Uuid) -> Result<(), ApiError> {
    let _ = imag_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_image {});
}
