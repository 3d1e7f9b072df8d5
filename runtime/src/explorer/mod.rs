//! The API explorer: an HTML page per action, laid out as Scalr's own explorer pages are, with a
//! "Try it out" form that signs requests in the browser, and an index of them at `/api/docs/`.
//!
//! Everything is built once, when the router is built, from the same action metadata and the
//! same Swagger documents the router serves, so the pages cannot drift from the server. The
//! pages load one script and one style sheet, both served from here, under a strict
//! `Content-Security-Policy`: they work offline and run no inline code.

mod html;
mod index;
mod page;

pub(crate) mod example;

#[cfg(test)]
mod js_signing_tests;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{MethodRouter, get};
use serde_json::Value;

use crate::action::{ActionMeta, Scope};
use crate::spec::SpecInfo;

/// Where the explorer lives.
pub(crate) const DOCS_ROOT: &str = "/api/docs/";

/// The policy every explorer response carries: only this origin's script, style sheet and
/// images, requests to this origin only, no forms, no framing.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The script of every page: the "Try it out" form and the request signing.
pub(crate) const SCRIPT: &str = include_str!("assets/explorer.js");
/// The style sheet of every page.
pub(crate) const STYLE: &str = include_str!("assets/explorer.css");

/// One action's place in the explorer.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The action.
    pub(crate) meta: &'static ActionMeta,
    /// The page's path, e.g. `/api/docs/user/copy_image/`.
    pub(crate) href: String,
    /// The page's title, e.g. `Images / Actions: Copy`.
    pub(crate) title: String,
    /// What the index groups it under, e.g. `Images`.
    pub(crate) resource: String,
}

/// The entries of `actions`, in registration order, each with its own page path.
pub(crate) fn entries(actions: &[&'static ActionMeta]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::with_capacity(actions.len());
    for meta in actions {
        let base = format!("{DOCS_ROOT}{}/{}", meta.scope.as_str(), slug(meta.name));
        let mut href = format!("{base}/");
        let mut suffix = 2;
        while entries.iter().any(|entry| entry.href == href) {
            href = format!("{base}-{suffix}/");
            suffix += 1;
        }
        let (resources, verb) = title_parts(meta);
        let resource = resources.first().cloned().unwrap_or_else(|| "Other".to_owned());
        let title = if resources.is_empty() { verb } else { format!("{}: {verb}", resources.join(" / ")) };
        entries.push(Entry { meta, href, title, resource });
    }
    entries
}

/// The explorer's routes: the index, one page per action, the script and the style sheet, all
/// unauthenticated, with and without the trailing slash. `specs` are the Swagger documents the
/// router serves, which the pages are written from.
pub(crate) fn routes<S>(actions: &[&'static ActionMeta], specs: &[(Scope, Value)], info: &SpecInfo) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let entries = entries(actions);
    let null = Value::Null;
    let spec_of =
        |scope: Scope| specs.iter().find(|(candidate, _)| *candidate == scope).map_or(&null, |(_, spec)| spec);
    let index = serve(HTML, Bytes::from(index::render(&entries, info)));
    let mut router = Router::new()
        .route(DOCS_ROOT, index.clone())
        .route(DOCS_ROOT.trim_end_matches('/'), index)
        .route(&format!("{DOCS_ROOT}explorer.js"), serve(JAVASCRIPT, Bytes::from_static(SCRIPT.as_bytes())))
        .route(&format!("{DOCS_ROOT}explorer.css"), serve(CSS, Bytes::from_static(STYLE.as_bytes())));
    for entry in &entries {
        let page = serve(HTML, Bytes::from(page::render(entry, spec_of(entry.meta.scope), info)));
        router = router.route(&entry.href, page.clone()).route(entry.href.trim_end_matches('/'), page);
    }
    router
}

const HTML: &str = "text/html; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A `GET` route answering `body`, built once and shared by every response.
fn serve<S: Clone + Send + Sync + 'static>(content_type: &'static str, body: Bytes) -> MethodRouter<S> {
    get(move || {
        let body = body.clone();
        async move {
            let headers: [(HeaderName, HeaderValue); 5] = [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY)),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ];
            (headers, body)
        }
    })
}

/// A page path segment from an action's name: letters, digits, `-` and `_` kept, anything else
/// becomes `-`.
fn slug(name: &str) -> String {
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if slug.is_empty() { "action".to_owned() } else { slug }
}

/// The title's resources and verb: `Images / Actions` and `Copy` for
/// `POST images/{imageId}/actions/copy`, `Images` and `List` for `GET images`.
fn title_parts(meta: &ActionMeta) -> (Vec<String>, String) {
    let relative = meta.path.strip_prefix(meta.scope.base_path()).unwrap_or(meta.path);
    let segments: Vec<&str> = relative.split('/').filter(|segment| !segment.is_empty()).collect();
    let statics: Vec<&str> = segments.iter().copied().filter(|segment| !segment.starts_with('{')).collect();
    if statics.len() >= 2 && statics[statics.len() - 2] == "actions" {
        let verb = words(statics[statics.len() - 1]);
        return (statics[..statics.len() - 1].iter().map(|segment| words(segment)).collect(), verb);
    }
    let on_one = segments.last().is_some_and(|segment| segment.starts_with('{'));
    let verb = match (meta.method, on_one) {
        (crate::action::Method::Get, true) => "Get",
        (crate::action::Method::Get, false) => "List",
        (crate::action::Method::Post, _) => "Create",
        (crate::action::Method::Patch | crate::action::Method::Put, _) => "Update",
        (crate::action::Method::Delete, _) => "Delete",
    };
    (statics.iter().map(|segment| words(segment)).collect(), verb.to_owned())
}

/// A path segment in words: `images` is `Images`, `farmRoles` and `farm-roles` `Farm Roles`.
fn words(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len() + 4);
    let mut start = true;
    for c in segment.chars() {
        if c == '-' || c == '_' {
            start = true;
            continue;
        }
        if c.is_uppercase() && !out.is_empty() {
            start = true;
        }
        if start && !out.is_empty() {
            out.push(' ');
        }
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Method;

    fn meta(method: Method, path: &'static str, name: &'static str) -> &'static ActionMeta {
        let mut meta = ActionMeta::invalid(name);
        meta.method = method;
        meta.path = path;
        Box::leak(Box::new(meta))
    }

    #[test]
    fn titles_follow_scalrs_explorer() {
        let actions = [
            meta(Method::Post, "/api/v1beta0/user/{envId}/images/{imageId}/actions/copy", "copy_image"),
            meta(Method::Get, "/api/v1beta0/user/{envId}/images", "list_images"),
            meta(Method::Get, "/api/v1beta0/user/{envId}/images/{imageId}", "get_image"),
            meta(Method::Patch, "/api/v1beta0/user/{envId}/images/{imageId}", "rename_image"),
            meta(Method::Delete, "/api/v1beta0/user/{envId}/farmRoles/{id}", "delete role"),
            meta(Method::Post, "/api/v1beta0/user/{envId}/images", "copy_image"),
        ];
        let entries = entries(&actions);
        let titles: Vec<&str> = entries.iter().map(|entry| entry.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Images / Actions: Copy",
                "Images: List",
                "Images: Get",
                "Images: Update",
                "Farm Roles: Delete",
                "Images: Create"
            ]
        );
        assert_eq!(entries[0].href, "/api/docs/user/copy_image/");
        assert_eq!(entries[4].href, "/api/docs/user/delete-role/");
        assert_eq!(
            entries[5].href, "/api/docs/user/copy_image-2/",
            "a second action of the same name gets its own page"
        );
        assert_eq!(entries[4].resource, "Farm Roles");
    }
}
