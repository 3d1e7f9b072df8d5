//! Sends one signed request to a Scalr-style API: the client side of the copy example, signing
//! with `Signer::sign_reqwest`. The status goes to stderr and the body, as received, to stdout.
//!
//! ```text
//! export SCALR_API_KEY_ID=... SCALR_API_SECRET_KEY=...   # as the copy server prints them
//! cargo run --example scalr_request -- POST /api/v1beta0/user/1/images/<id>/actions/copy/ '{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}'
//! ```

use std::process::ExitCode;

use chrono::Utc;
use clap::Parser;
use reqwest::header::CONTENT_TYPE;
use scalr_endpoints::auth::{Secret, Signer};

/// Send a request signed with V1-HMAC-SHA256; print the status (stderr) and the body (stdout).
#[derive(Debug, Parser)]
struct Options {
    /// The HTTP method, e.g. GET or POST.
    method: reqwest::Method,
    /// The path, with its query if any, e.g. /api/v1beta0/user/1/images/?maxResults=2.
    path: String,
    /// The JSON body, if any.
    body: Option<String>,
    /// The server.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    server: reqwest::Url,
    /// The API key id.
    #[arg(long, env = "SCALR_API_KEY_ID")]
    key_id: String,
    /// The API key's secret.
    #[arg(long, env = "SCALR_API_SECRET_KEY", hide_env_values = true)]
    secret_key: String,
    /// Ask the server for the string it verified the signature over (meta.stringToSign).
    #[arg(long)]
    debug: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match send(Options::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("scalr_request: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn send(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    let mut signer = Signer::new(&options.key_id, Secret::new(options.secret_key))?;
    if options.debug {
        signer = signer.with_debug();
    }
    let client = reqwest::Client::new();
    let mut request = client.request(options.method, options.server.join(&options.path)?);
    if let Some(body) = options.body {
        request = request.header(CONTENT_TYPE, "application/json").body(body);
    }
    let mut request = request.build()?;
    signer.sign_reqwest(&mut request, Utc::now())?;

    let response = client.execute(request).await?;
    eprintln!("{}", response.status());
    println!("{}", response.text().await?);
    Ok(())
}
