use scalr_endpoints::prelude::*;

/// Delete a file.
#[scalr_action(delete, "files/<id>")]
async fn delete_file(id: u32) -> Result<(), std::io::Error> {
    let _ = id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(delete_file {});
}
