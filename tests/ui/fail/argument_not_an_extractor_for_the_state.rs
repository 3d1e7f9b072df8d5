use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App;

struct Limit(u32);

/// List.
#[scalr_action(get, "images/")]
async fn list(State(_app): State<App>, limit: Limit) -> Result<(), ApiError> {
    let _ = limit.0;
    Ok(())
}

fn main() {
    let _ = ScalrApi::<App>::new().action(list {});
}
