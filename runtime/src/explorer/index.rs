//! `/api/docs/`: every action, grouped by scope and then by resource, each linking to its page.

use std::fmt::Write;

use super::Entry;
use super::html::{document, escape, paragraphs};
use crate::action::Scope;
use crate::spec::SpecInfo;

/// The index of `entries`.
pub(crate) fn render(entries: &[Entry], info: &SpecInfo) -> String {
    let mut out = String::new();
    let _ = write!(out, "<main>\n<h1>{}</h1>\n<p>{}</p>\n", escape(&info.title), escape(&info.description));
    if entries.is_empty() {
        out.push_str("<p>This API has no actions.</p>\n");
    }
    for scope in Scope::ALL {
        let in_scope: Vec<&Entry> = entries.iter().filter(|entry| entry.meta.scope == scope).collect();
        if in_scope.is_empty() {
            continue;
        }
        let name = scope.as_str();
        let _ = write!(
            out,
            "<section class=\"scope\" id=\"scope-{name}\"><h2>{} scope <code>{}</code></h2>\
             <p class=\"specs\">Specs: <a href=\"/api/{name}.v1beta0.yml\">Swagger 2.0</a> \
             <a href=\"/api/{name}.v1beta0.openapi.json\">OpenAPI 3.1</a></p>",
            capitalised(name),
            scope.base_path(),
        );
        let mut resources: Vec<&str> = Vec::new();
        for entry in &in_scope {
            if !resources.contains(&entry.resource.as_str()) {
                resources.push(&entry.resource);
            }
        }
        for resource in resources {
            let _ = write!(out, "<h3>{}</h3><ul class=\"actions\">", escape(resource));
            for entry in in_scope.iter().filter(|entry| entry.resource == resource) {
                let summary = entry.meta.description.split("\n\n").next().unwrap_or_default();
                let _ = write!(
                    out,
                    "<li><a href=\"{}\">{}</a> <code class=\"http\">{} {}/</code>{}</li>",
                    escape(&entry.href),
                    escape(&entry.title),
                    entry.meta.method.as_str(),
                    escape(entry.meta.path),
                    paragraphs(summary),
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>");
    document(&format!("{} · API explorer", info.title), &out)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
