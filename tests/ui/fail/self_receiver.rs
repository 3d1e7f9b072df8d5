use scalr_endpoints::prelude::*;

struct Images;

impl Images {
    /// List.
    #[scalr_action(get, "images/")]
    async fn list(&self) -> Result<(), ApiError> {
        Ok(())
    }
}

fn main() {
    let _ = Images.list();
}
