use scalr_endpoints::prelude::*;

#[derive(Clone)]
struct App;

/// An action whose arguments need no state serves routers of any state.
#[scalr_action(get, "health", scope = global)]
async fn health(request_id: scalr_endpoints::RequestId) -> Result<(), ApiError> {
    let _ = request_id;
    Ok(())
}

fn main() {
    let _stateless: axum::Router = ScalrApi::<()>::new().action(health {}).into_router();
    let _stateful: axum::Router = ScalrApi::<App>::new().action(health {}).into_router().with_state(App);
}
