//! `#[scalr_action]` expands correctly when the facade is renamed in Cargo.toml (here it is
//! `scalr`), inside a module without the implicit prelude, next to items named like the locals
//! of the generated code.

mod no_prelude {
    #![no_implicit_prelude]
    #![allow(non_camel_case_types, non_upper_case_globals, dead_code)]

    // Named like the generated handler's locals: a pattern that resolved to one of these would
    // no longer bind a variable.
    pub struct request;
    pub struct parts;
    pub struct body;
    pub struct path;
    pub struct admitted;
    pub struct reply;
    pub struct value;
    pub struct error;
    pub struct rejection;
    pub struct argument0;
    pub const response: u8 = 0;
    pub const state: u8 = 0;
    pub const pipeline: u8 = 0;
    // Named like what the generated code must not use unqualified.
    pub type Result<T> = ::core::result::Result<T, ::scalr::ApiError>;
    pub struct Option;
    pub trait Send {}
    pub trait Future {}
    pub trait Clone {}

    use super::{App, Greeting, Name};

    /// Greet someone.
    #[::scalr::scalr_action(post, "greetings/<greetingId>")]
    pub async fn greet(
        ::scalr::prelude::State(app): ::scalr::prelude::State<App>,
        env_id: ::scalr::EnvId,
        greeting_id: u32,
        who: ::scalr::Body<Name>,
    ) -> Result<Greeting> {
        let text = ::std::format!("{}, {} (#{} in {})", app.greeting, who.0.name, greeting_id, env_id);
        ::core::result::Result::Ok(Greeting { text })
    }

    /// Check on the service.
    #[::scalr::scalr_action(get, "health", scope = global)]
    pub async fn health(paging: ::scalr::Paging) -> Result<()> {
        let _ = paging;
        ::core::result::Result::Ok(())
    }
}

// The data types live outside the module: schemars' derive needs the prelude.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Greeting {
    pub text: String,
}

impl scalr::ApiObject for Greeting {}

#[derive(serde::Deserialize, schemars::JsonSchema)]
pub struct Name {
    pub name: String,
}

#[derive(Clone)]
pub struct App {
    pub greeting: &'static str,
}

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use scalr::ScalrApi;
use tower::ServiceExt;

#[tokio::test]
async fn the_renamed_facade_serves_actions_declared_without_the_prelude() {
    let router = ScalrApi::new()
        .action(no_prelude::greet {})
        .action(no_prelude::health {})
        .into_router()
        .with_state(App { greeting: "Hello" });
    let request = Request::post("/api/v1beta0/user/3/greetings/7")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"name": "Ada"}"#))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(json["data"]["text"], "Hello, Ada (#7 in 3)");

    let health =
        router.oneshot(Request::get("/api/v1beta0/global/health/").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
}
