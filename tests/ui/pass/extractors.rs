use axum::extract::{Query, State};
use axum::http::HeaderMap;
use scalr_endpoints::prelude::*;
use scalr_endpoints::RequestId;

#[derive(Clone)]
struct App {
    name: &'static str,
}

#[derive(serde::Deserialize)]
struct Filter {
    name: Option<String>,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Options {
    dry_run: Option<bool>,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Input {
    value: u32,
}

/// Every kind of argument at once, in no particular order, with patterns on the extractors.
#[scalr_action(post, "things/<thingId>/actions/run")]
async fn run(
    headers: HeaderMap,
    Body(input): Body<Input>,
    State(app): State<App>,
    thing_id: u64,
    Query(filter): Query<Filter>,
    QueryArgs(options): QueryArgs<Options>,
    warnings: Warnings,
    request_id: RequestId,
    env_id: EnvId,
    paging: Paging,
) -> Result<(), ApiError> {
    let _ = (headers.len(), input.value, app.name, thing_id, filter.name, options.dry_run, request_id, env_id, paging);
    warnings.add("Note", "ran");
    Ok(())
}

fn main() {
    let _router: axum::Router = ScalrApi::new().action(run {}).into_router().with_state(App { name: "app" });
}
