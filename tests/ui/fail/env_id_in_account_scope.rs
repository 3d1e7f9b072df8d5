use scalr_endpoints::prelude::*;

/// Do it.
#[scalr_action(get, "images/", scope = account)]
async fn list(env_id: EnvId) -> Result<(), ApiError> {
    let _ = env_id;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<()>::new().action(list {});
}
