//! The explorer's script signs exactly as the server verifies: its signing functions, run under
//! node, against [`StringToSign`] for the same requests.

use std::process::Command;

use serde_json::{Value, json};

use crate::auth::{Secret, StringToSign};

/// Requests whose query strings exercise canonicalisation: spaces both ways, `/` raw and
/// encoded, repeated keys, unicode, keys without `=`, stray `%`, lower-case hex, `~` and `*`.
/// One request: method, date, path, query, body and the secret it is signed with.
type Case = (&'static str, &'static str, &'static str, Option<&'static str>, &'static str, &'static str);

const CASES: &[Case] = &[
    (
        "POST",
        "2026-11-28T23:42:04.000Z",
        "/api/v1beta0/user/1/images/3f2a1c9e-7b4d-4e8a-9c1f-2d3e4f5a6b7c/actions/copy/",
        None,
        r#"{"cloudLocation": "us-west-2", "cloudPlatform": "ec2"}"#,
        "9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg",
    ),
    (
        "GET",
        "2026-11-28T23:42:04.365273+00:00",
        "/api/v1beta0/user/1/images/",
        Some(
            "zeta=%7E&name=a+b&os=a%20b&path=a/b%2Fc&uni=%C3%A9t%C3%A9%E2%82%AC&b=1&b=2&empty=&flag&a+key=x~y&Upper=%2a",
        ),
        "",
        "9yR7oF2vA1kLx3Qp8sTz0cWb4nHm6dJg",
    ),
    (
        "get",
        " 2026-11-29T05:12:04+05:30 ",
        "/api/v1beta0/user/12/images/%7Bid%7D",
        Some("maxResults=2&pageNum=1"),
        "{}",
        "päss wörd",
    ),
    ("DELETE", "2026-11-28T23:42:04Z", "/x/", Some("a=%ZZ&b=%4&c=100%&&&d=é€😀&e=*!'()&%F0%9F%98%80=emoji"), "", "s"),
    ("PATCH", "2026-11-28T23:42:04Z", "/x/", Some("é=1&z=2&Z=3&a=%FF%FE&b=c=d"), "{\"name\": \"é\"}", "k"),
];

/// The node script: loads the explorer's script and prints, for each case of its argument, the
/// string to sign and the signature.
const DRIVER: &str = r#"
const signing = require(process.argv[1]);
(async () => {
  const out = [];
  for (const [method, date, path, query, body, secret] of JSON.parse(process.argv[2])) {
    const string = signing.stringToSign(method, date, path, query, body);
    out.push({ string, signature: await signing.sign(secret, string) });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
"#;

#[test]
fn the_pages_script_signs_as_the_server_verifies() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("SKIPPED the_pages_script_signs_as_the_server_verifies: `node` is not installed");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/src/explorer/assets/explorer.js");
    let cases: Vec<Value> = CASES
        .iter()
        .map(|(method, date, path, query, body, secret)| json!([method, date, path, query, body, secret]))
        .collect();
    let output = Command::new("node")
        .arg("-e")
        .arg(DRIVER)
        .arg(script)
        .arg(Value::Array(cases).to_string())
        .output()
        .expect("node runs");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).expect("the driver prints JSON");
    assert_eq!(results.len(), CASES.len());
    for ((method, date, path, query, body, secret), result) in CASES.iter().zip(&results) {
        let expected = StringToSign::new(method, date, path, *query, body.as_bytes());
        assert_eq!(result["string"], expected.to_string(), "string to sign of {method} {path}?{query:?}");
        assert_eq!(result["signature"], expected.sign(&Secret::new(*secret)), "signature of {method} {path}?{query:?}");
    }
}
