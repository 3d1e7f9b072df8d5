//! One action's page, section by section in the order of Scalr's explorer: the title,
//! Description, HTTP Request, Parameters, Request body, Successful Response, Other Response
//! Messages and Try it out.

use std::fmt::Write;

use serde_json::{Map, Value};

use super::example::{example, pretty};
use super::html::{document, escape, paragraphs};
use super::{DOCS_ROOT, Entry};
use crate::spec::{SpecInfo, spec_path};

/// The page of `entry`, written from its operation in `spec`, the Swagger document of its scope.
pub(crate) fn render(entry: &Entry, spec: &Value, info: &SpecInfo) -> String {
    let meta = entry.meta;
    let empty = Map::new();
    let definitions = spec.get("definitions").and_then(Value::as_object).unwrap_or(&empty);
    let path_item = &spec["paths"][spec_path(meta)];
    let operation = &path_item[meta.method.as_str().to_ascii_lowercase()];
    let parameters: Vec<&Value> = [&path_item["parameters"], &operation["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .collect();
    let (body, others): (Vec<&Value>, Vec<&Value>) =
        parameters.into_iter().partition(|parameter| parameter["in"] == "body");
    let body = body.first().copied();
    let responses = operation.get("responses").and_then(Value::as_object).unwrap_or(&empty);
    let success = meta.status.to_string();

    let mut out = String::new();
    let _ = write!(
        out,
        "<nav><a href=\"{DOCS_ROOT}\">{}</a> &rsaquo; {} scope</nav>\n<main>\n<h1>{}</h1>\n",
        escape(&info.title),
        escape(meta.scope.as_str()),
        escape(&entry.title),
    );

    section(&mut out, "description", "Description");
    out.push_str(&paragraphs(meta.description));
    out.push_str("</section>\n");

    section(&mut out, "request", "HTTP Request");
    let _ = write!(out, "<p class=\"http\"><code>{} {}</code></p>", meta.method.as_str(), path_html(meta.path));
    out.push_str("</section>\n");

    section(&mut out, "parameters", "Parameters");
    if others.is_empty() {
        out.push_str("<p>None.</p>");
    } else {
        out.push_str(
            "<table><thead><tr><th>Name</th><th>Required</th><th>Description</th><th>Location</th></tr></thead><tbody>",
        );
        for parameter in &others {
            let _ = write!(
                out,
                "<tr><td><code>{}</code><div class=\"type\">{}</div></td><td>{}</td><td><p>{}</p></td><td>{}</td></tr>",
                text(parameter, "name"),
                text(parameter, "type"),
                if parameter["required"] == true { "Yes" } else { "No" },
                text(parameter, "description"),
                text(parameter, "in"),
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>\n");

    section(&mut out, "body", "Request body");
    match body {
        None => out.push_str("<p>This action takes no body.</p>"),
        Some(body) => {
            let _ = write!(out, "<p>{}</p>", text(body, "description"));
            let schema = &body["schema"];
            let _ = write!(out, "<p>The body must be {}. Example value:</p>", model(schema, "a valid", "JSON value"));
            let _ = write!(out, "<pre class=\"example\">{}</pre>", escape(&pretty(&example(schema, definitions))));
        }
    }
    out.push_str("</section>\n");

    let _ = write!(out, "<section id=\"success\"><h2>Successful Response (Status {})</h2>", escape(&success));
    if let Some(response) = responses.get(&success) {
        let _ = write!(out, "<p>{}</p>", text(response, "description"));
        if let Some(schema) = response.get("schema") {
            let _ = write!(
                out,
                "<p>The API replies with {}. Example response body:</p><pre class=\"example\">{}</pre>",
                model(schema, "a", "JSON value"),
                escape(&pretty(&example(schema, definitions))),
            );
        }
    }
    out.push_str("</section>\n");

    section(&mut out, "errors", "Other Response Messages");
    out.push_str(
        "<table><thead><tr><th>HTTP Status Code</th><th>Reason</th><th>Response Model</th><th>Error codes</th></tr></thead><tbody>",
    );
    for (status, response) in responses.iter().filter(|(status, _)| **status != success) {
        let codes = response.get("x-errorCodes").and_then(Value::as_array).into_iter().flatten();
        let codes: Vec<String> = codes
            .map(|code| format!("<code title=\"{}\">{}</code>", text(code, "description"), text(code, "name")))
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td><p>{}</p></td><td>{}</td><td>{}</td></tr>",
            escape(status),
            text(response, "description"),
            response.get("schema").map_or_else(String::new, |schema| model(schema, "An", "JSON value")),
            codes.join(" "),
        );
    }
    out.push_str("</tbody></table></section>\n");

    try_it_out(&mut out, entry, &others, body, definitions);
    out.push_str("</main>");
    document(&format!("{} · {}", entry.title, info.title), &out)
}

fn section(out: &mut String, id: &str, heading: &str) {
    let _ = write!(out, "<section id=\"{id}\"><h2>{heading}</h2>");
}

/// A string field of `node`, escaped; empty when absent.
fn text(node: &Value, key: &str) -> String {
    escape(node.get(key).and_then(Value::as_str).unwrap_or_default())
}

/// How a schema is named in a sentence: `a valid CloudLocation object` for a reference to a
/// definition, `a valid JSON value` otherwise.
fn model(schema: &Value, article: &str, otherwise: &str) -> String {
    match schema.get("$ref").and_then(Value::as_str).and_then(|target| target.strip_prefix("#/definitions/")) {
        Some(name) => format!("{article} <span class=\"model\">{}</span> object", escape(name)),
        None => format!("{article} {otherwise}"),
    }
}

/// The path as the seed shows it: each placeholder's name set apart, trailing slash added.
fn path_html(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').skip(1) {
        out.push('/');
        match segment.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(name) => {
                let _ = write!(out, "<var>{}</var>", escape(name));
            }
            None => out.push_str(&escape(segment)),
        }
    }
    out.push('/');
    out
}

/// The "Try it out!" form. The script reads the request to send from its `data-` attributes
/// and fields; nothing is submitted by the browser itself.
fn try_it_out(
    out: &mut String,
    entry: &Entry,
    parameters: &[&Value],
    body: Option<&Value>,
    definitions: &Map<String, Value>,
) {
    let meta = entry.meta;
    let _ = write!(
        out,
        "<section id=\"try\"><h2>Try it out!</h2>\
         <form id=\"try-form\" class=\"try\" data-method=\"{}\" data-path=\"{}/\" autocomplete=\"off\">\
         <table><thead><tr><th>Parameter</th><th>Value</th><th>Description</th></tr></thead><tbody>",
        meta.method.as_str(),
        escape(meta.path),
    );
    for parameter in parameters.iter().filter(|parameter| parameter["in"] == "path") {
        let name = text(parameter, "name");
        let _ = write!(
            out,
            "<tr><td><label for=\"param-{name}\">{name}</label></td>\
             <td><input id=\"param-{name}\" name=\"{name}\" data-path-param=\"{name}\" required></td>\
             <td><p>{}</p></td></tr>",
            text(parameter, "description"),
        );
    }
    out.push_str(
        "<tr><td><label for=\"try-query\">query</label></td>\
         <td><input id=\"try-query\" name=\"query\" placeholder=\"name=value&amp;other=value\"></td>\
         <td><p>An optional query string, sent after <code>?</code>.</p></td></tr>",
    );
    if let Some(body) = body {
        let _ = write!(
            out,
            "<tr><td><label for=\"try-body\">body</label></td>\
             <td><textarea id=\"try-body\" name=\"body\" rows=\"8\" spellcheck=\"false\">{}</textarea></td>\
             <td><p>{}</p></td></tr>",
            escape(&pretty(&example(&body["schema"], definitions))),
            text(body, "description"),
        );
    }
    out.push_str(
        "</tbody></table>\
         <fieldset><legend>API key</legend>\
         <p><label for=\"try-key-id\">Key id</label> <input id=\"try-key-id\" name=\"keyId\"></p>\
         <p><label for=\"try-secret\">Secret key</label> <input id=\"try-secret\" name=\"secret\" type=\"password\"></p>\
         <p class=\"note\">The secret stays in this page (and in this tab's session storage); \
         only the signature it makes is sent.</p>\
         <p><label><input id=\"try-debug\" name=\"debug\" type=\"checkbox\"> Debug: ask for \
         <code>meta.stringToSign</code> (<code>X-Scalr-Debug: 1</code>)</label></p>\
         </fieldset>\
         <p><button id=\"try-send\" type=\"submit\">Send</button> <span id=\"try-state\" role=\"status\"></span></p>\
         </form>\
         <div id=\"try-result\" hidden>\
         <h3>Response status</h3><pre id=\"try-status\"></pre>\
         <h3>Response headers</h3><pre id=\"try-headers\"></pre>\
         <h3>Response body</h3><pre id=\"try-response\"></pre>\
         <h3>String to sign</h3><pre id=\"try-string-to-sign\"></pre>\
         </div></section>\n",
    );
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::action::{ActionMeta, Method};

    #[test]
    fn text_from_metadata_and_the_spec_is_escaped() {
        let mut meta = ActionMeta::invalid("evil");
        meta.method = Method::Post;
        meta.path = "/api/v1beta0/user/{envId}/x/{<b>}";
        meta.status = 201;
        meta.description = "Does <script>alert(1)</script> & more.";
        let meta: &'static ActionMeta = Box::leak(Box::new(meta));
        let entry = super::super::entries(&[meta]).remove(0);
        let spec = json!({
            "paths": { "/{envId}/x/{<b>}/": {
                "parameters": [{ "name": "<b>", "in": "path", "required": true, "type": "string",
                                 "description": "\"><img src=x onerror=alert(1)>" }],
                "post": {
                    "parameters": [{ "name": "b", "in": "body", "description": "</textarea><script>",
                                     "schema": { "type": "object", "properties": { "<i>": { "type": "string" } } } }],
                    "responses": { "201": { "description": "<ok>" },
                                   "400": { "description": "<bad>", "x-errorCodes": [{ "name": "<C>", "description": "\"" }] } },
                },
            } },
        });
        let info = SpecInfo { title: "<T>".into(), ..SpecInfo::default() };
        let html = render(&entry, &spec, &info);
        for raw in ["<script>alert", "<img", "<b>", "<i>", "<ok>", "<bad>", "<C>", "<T>", "</textarea><script>"] {
            assert!(!html.contains(raw), "{raw} is escaped:\n{html}");
        }
        assert!(html.contains("Does &lt;script&gt;alert(1)&lt;/script&gt; &amp; more."));
        assert!(html.contains("<var>&lt;b&gt;</var>"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    }

    #[test]
    fn a_missing_operation_still_renders_a_page() {
        let meta: &'static ActionMeta = Box::leak(Box::new(ActionMeta::invalid("lost")));
        let entry = super::super::entries(&[meta]).remove(0);
        let html = render(&entry, &Value::Null, &SpecInfo::default());
        assert!(html.contains("<h2>Other Response Messages</h2>") && html.contains("This action takes no body."));
    }
}
