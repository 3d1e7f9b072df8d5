//! Where the API is mounted: the URI the client sent, which differs from the one the API's own
//! router sees when it is nested under a prefix (`Router::nest("/scalr", api)`).
//!
//! Signatures are verified over the path the client signed, and the pagination links and the
//! spec's `basePath` must lead back through the same prefix, so all of them read the URI here.

use axum::extract::OriginalUri;
use axum::http::{Extensions, Uri};

/// The URI as the client sent it: axum's [`OriginalUri`], which the outermost router records
/// before any nesting strips a prefix, else the request's own.
pub(crate) fn client_uri<'a>(extensions: &'a Extensions, uri: &'a Uri) -> &'a Uri {
    extensions.get::<OriginalUri>().map_or(uri, |original| &original.0)
}

/// The prefix the API is nested under (`/scalr`), or `""` when it is served at the root: what
/// the client's path has before the path the API's router sees.
pub(crate) fn prefix<'a>(extensions: &'a Extensions, uri: &Uri) -> &'a str {
    match extensions.get::<OriginalUri>() {
        Some(original) => original.0.path().strip_suffix(uri.path()).unwrap_or_default(),
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(original: &str, seen: &str) -> (Extensions, Uri) {
        let mut extensions = Extensions::new();
        extensions.insert(OriginalUri(original.parse().unwrap()));
        (extensions, seen.parse().unwrap())
    }

    #[test]
    fn a_nested_api_reads_the_path_the_client_sent() {
        let (extensions, uri) = nested("/scalr/api/v1beta0/user/1/images/?a=1", "/api/v1beta0/user/1/images/?a=1");
        assert_eq!(client_uri(&extensions, &uri).path(), "/scalr/api/v1beta0/user/1/images/");
        assert_eq!(client_uri(&extensions, &uri).query(), Some("a=1"));
        assert_eq!(prefix(&extensions, &uri), "/scalr");
    }

    #[test]
    fn an_api_at_the_root_has_no_prefix() {
        let (extensions, uri) = nested("/api/user.v1beta0.yml", "/api/user.v1beta0.yml");
        assert_eq!(prefix(&extensions, &uri), "");
        let uri: Uri = "/api/x".parse().unwrap();
        assert_eq!(client_uri(&Extensions::new(), &uri), &uri);
        assert_eq!(prefix(&Extensions::new(), &uri), "");
    }
}
