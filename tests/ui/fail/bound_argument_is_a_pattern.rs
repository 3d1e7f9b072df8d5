use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "pairs/<left>")]
async fn get_pair((left, right): (u32, u32)) -> Result<(), ApiError> {
    let _ = (left, right);
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_pair {});
}
