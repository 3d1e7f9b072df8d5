use scalr_endpoints::prelude::*;

/// Get a name.
#[scalr_action(get, "names/<id>")]
async fn get_name(id: u32) -> String {
    id.to_string()
}

fn main() {
    let _ = ScalrApi::<()>::new().action(get_name {});
}
