use scalr_endpoints::prelude::*;

/// Not an action.
#[scalr_action(get, "images/")]
struct Images;

fn main() {
    let _ = Images;
}
