//! Property tests of what clients send: any query a client can send signs and verifies, in
//! either canonical form; any single changed byte of what was signed fails; and no body, however
//! broken, makes decoding panic or answer anything but an envelope with a 400 code or 413.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use proptest::prelude::*;
use scalr_endpoints::auth::{Secret, StringToSign};
use scalr_endpoints::prelude::*;
use scalr_endpoints::test::TestClient;
use schemars::JsonSchema;
use serde::Deserialize;

const SECRET: &str = "property-secret-0123456789abcdef";
const DATE: &str = "2026-11-28T23:42:04.000Z";

/// RFC 3986 percent-encoding, written out here independently of the crate: unreserved bytes
/// stay, every other byte is `%XX` in upper-case hex, `/` too unless `keep_slash`.
fn rfc3986(text: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || (keep_slash && byte == b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The contract's canonical query of `pairs`: last value of a key wins, sorted by key.
fn contract_form(pairs: &[(String, String)]) -> String {
    let last: BTreeMap<&str, &str> = pairs.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
    last.iter()
        .map(|(key, value)| format!("{}={}", rfc3986(key, false), rfc3986(value, false)))
        .collect::<Vec<_>>()
        .join("&")
}

/// scalr-api's canonical query of `pairs`: every pair, stably sorted by key, `/` kept.
fn scalr_api_form(pairs: &[(String, String)]) -> String {
    let mut sorted = pairs.to_vec();
    sorted.sort_by(|left, right| left.0.as_bytes().cmp(right.0.as_bytes()));
    sorted
        .iter()
        .map(|(key, value)| format!("{}={}", rfc3986(key, true), rfc3986(value, true)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The signature of the five lines with `query` as the client computed it.
fn client_signature(method: &str, path: &str, query: &str, body: &[u8]) -> String {
    use base64::Engine;
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{method}\n{DATE}\n{path}\n{query}\n").as_bytes());
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The query as a client puts it on the wire: form-encoded (spaces as `+`), pairs in order.
fn on_the_wire(pairs: &[(String, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        query.append_pair(key, value);
    }
    query.finish()
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let text = proptest::string::string_regex("[a-zA-Z0-9 /~._%+&=?é✓-]{0,12}").unwrap();
    let key = proptest::string::string_regex("[a-zA-Z][a-zA-Z0-9 /é-]{0,8}").unwrap();
    proptest::collection::vec((key, text), 0..6)
}

/// `text` with the character at `index` (modulo its length) replaced by another of `choices`.
fn changed(text: &str, index: usize, choices: &[u8]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let at = index % bytes.len();
    let other = choices.iter().copied().find(|choice| *choice != bytes[at]).unwrap();
    bytes[at] = other;
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_query_a_client_sends_verifies_in_either_canonical_form(pairs in pairs(), body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let path = "/api/v1beta0/user/1/images/";
        let wire = on_the_wire(&pairs);
        let received = StringToSign::new("GET", DATE, path, Some(&wire), &body);
        let secret = Secret::new(SECRET);
        let contract = client_signature("GET", path, &contract_form(&pairs), &body);
        prop_assert!(received.verify(&secret, contract.as_bytes()), "contract form of {:?} sent as {:?}", pairs, wire);
        let scalr_api = client_signature("GET", path, &scalr_api_form(&pairs), &body);
        prop_assert!(received.verify(&secret, scalr_api.as_bytes()), "scalr-api form of {:?} sent as {:?}", pairs, wire);
    }

    #[test]
    fn any_single_changed_byte_of_what_was_signed_fails(
        pairs in pairs(),
        body in proptest::collection::vec(any::<u8>(), 1..64),
        which in 0..5_usize,
        index in any::<usize>(),
        flipped in 1..=255_u8,
    ) {
        let path = "/api/v1beta0/user/1/images/abc/";
        let mut pairs = pairs;
        pairs.push(("name".to_owned(), "value".to_owned()));
        let wire = on_the_wire(&pairs);
        let secret = Secret::new(SECRET);
        let signature = StringToSign::new("POST", DATE, path, Some(&wire), &body).sign(&secret);
        let (mut method, mut date, mut sent_path, mut query, mut sent_body) =
            ("POST".to_owned(), DATE.to_owned(), path.to_owned(), wire.clone(), body.clone());
        match which {
            0 => method = changed(&method, index, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            // A digit of the date for another digit: the same length, another instant.
            1 => {
                let digits: Vec<usize> = date.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(at, _)| at).collect();
                let at = digits[index % digits.len()];
                let replacement = if &date[at..=at] == "7" { "8" } else { "7" };
                date.replace_range(at..=at, replacement);
            }
            2 => sent_path = changed(&sent_path, index, b"abcdefghijklmnopqrstuvwxyz0123456789"),
            // The value of the `name` pair that every query has, so the decoded query changes.
            3 => query = query.replacen("name=value", &format!("name={}", changed("value", index, b"abcdefghijklmnopqrstuvwxyz")), 1),
            _ => {
                let at = index % sent_body.len();
                sent_body[at] ^= flipped;
            }
        }
        let tampered = StringToSign::new(&method, &date, &sent_path, Some(&query), &sent_body);
        prop_assert!(!tampered.verify(&secret, signature.as_bytes()), "part {} changed, still verifies", which);
    }

    #[test]
    fn no_body_makes_decoding_panic_and_every_refusal_is_a_body_code(bytes in proptest::collection::vec(any::<u8>(), 0..96), json in json_like()) {
        for candidate in [bytes.as_slice(), json.as_bytes()] {
            if let Err(error) = Body::<NewWidget>::from_json(candidate) {
                prop_assert!(
                    matches!(error.code(), ErrorCode::InvalidStructure | ErrorCode::InvalidValue | ErrorCode::BadRequest),
                    "{:?} for {:?}", error, String::from_utf8_lossy(candidate)
                );
                prop_assert!(!error.message().is_empty());
            }
        }
    }
}

/// Texts that look like JSON objects, so that decoding gets past the syntax often.
fn json_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        r#"\{("(name|size|colour|tags)": ?(-?[0-9]{1,12}|"[a-z]{0,5}"|true|null|\[\]|\{\})(, ?)?){0,4}\}"#,
    )
    .unwrap()
}

/// A new widget, as a client would send it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct NewWidget {
    name: String,
    size: Option<u8>,
    tags: Option<Vec<String>>,
}

#[derive(serde::Serialize, JsonSchema)]
struct Widget {
    name: String,
}

impl ApiObject for Widget {}

/// Create a widget.
#[scalr_action(post, "widgets/", scope = global)]
async fn create_widget(widget: Body<NewWidget>) -> Widget {
    Widget { name: widget.0.name }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Through the router: every answer is an envelope, 201, a 400 body code, or 413 over the limit.
    #[test]
    fn every_body_gets_an_envelope(bytes in proptest::collection::vec(any::<u8>(), 0..160), json in json_like()) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let client = TestClient::new(ScalrApi::new().action(create_widget {}).body_limit(128).into_router());
        for candidate in [bytes.clone(), json.clone().into_bytes()] {
            let response = runtime.block_on(client.post("/api/v1beta0/global/widgets/").body(candidate.clone(), "application/json").send());
            let status = response.status();
            prop_assert_eq!(&response.headers()["content-type"], "application/json");
            if status == StatusCode::CREATED {
                continue;
            }
            let code = response.errors().first().map(ApiError::code);
            let allowed = [ErrorCode::InvalidStructure, ErrorCode::InvalidValue, ErrorCode::BadRequest, ErrorCode::PayloadTooLarge];
            prop_assert!(code.is_some_and(|code| allowed.contains(&code)), "{} for {:?}", response, String::from_utf8_lossy(&candidate));
            prop_assert_eq!(code == Some(ErrorCode::PayloadTooLarge), candidate.len() > 128);
        }
    }
}
