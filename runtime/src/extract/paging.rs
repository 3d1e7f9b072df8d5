//! [`Paging`]: `pageNum` and `maxResults`, validated on every endpoint; [`Page`], what a list
//! action returns; and [`Pagination`], the links of the list envelope made from both.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::query::QueryParams;

/// The page size when the client does not send `maxResults`.
pub const DEFAULT_MAX_RESULTS: u32 = 100;
/// The largest page a client may ask for.
pub const MAX_RESULTS_LIMIT: u32 = 100;

/// The query key of the page number.
pub(crate) const PAGE_NUM: &str = "pageNum";
/// The query key of the page size.
pub(crate) const MAX_RESULTS: &str = "maxResults";

/// The page a client asked for: `pageNum` (from 1) and `maxResults` (1 to 100).
///
/// An extractor for list actions; the values are already validated for every action before any
/// handler runs, so extraction cannot fail on a request that reached the handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    page_num: u32,
    max_results: u32,
}

impl Default for Paging {
    fn default() -> Self {
        Self { page_num: 1, max_results: DEFAULT_MAX_RESULTS }
    }
}

impl Paging {
    /// Reads and validates `pageNum` and `maxResults`, with Scalr's messages.
    pub fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let page_num = match query.get(PAGE_NUM) {
            None => 1,
            Some(raw) => raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|page| *page >= 1)
                .ok_or_else(|| ApiError::new(ErrorCode::InvalidValue, "Page number should be more than 0."))?,
        };
        let max_results = match query.get(MAX_RESULTS) {
            None => DEFAULT_MAX_RESULTS,
            Some(raw) => {
                raw.trim().parse::<u32>().ok().filter(|limit| (1..=MAX_RESULTS_LIMIT).contains(limit)).ok_or_else(
                    || {
                        ApiError::new(
                            ErrorCode::InvalidValue,
                            "Limit should be a positive number less then or equal to 100.",
                        )
                    },
                )?
            }
        };
        Ok(Self { page_num, max_results })
    }

    /// A page, for building responses in tests and stores.
    pub fn new(page_num: u32, max_results: u32) -> Self {
        Self { page_num: page_num.max(1), max_results: max_results.clamp(1, MAX_RESULTS_LIMIT) }
    }

    /// The 1-based page number.
    pub fn page_num(&self) -> u32 {
        self.page_num
    }

    /// The page size.
    pub fn max_results(&self) -> u32 {
        self.max_results
    }

    /// How many items come before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page_num - 1) * u64::from(self.max_results)
    }

    /// This page of `items`, the whole collection, with the total count for the links.
    pub fn page<T>(self, items: impl IntoIterator<Item = T>) -> Page<T> {
        let mut total = 0_u64;
        let offset = self.offset();
        let mut page = Vec::new();
        for item in items {
            if total >= offset && page.len() < self.max_results as usize {
                page.push(item);
            }
            total += 1;
        }
        Page::new(page, total, self)
    }

    /// The four links of a list response for a collection of `total` items.
    pub(crate) fn links(&self, path: &str, query: &QueryParams, total: u64) -> Pagination {
        let per_page = u64::from(self.max_results);
        if total <= per_page && self.page_num == 1 {
            return Pagination::default();
        }
        let last_page = total.div_ceil(per_page).max(1);
        let link = |page: u64| {
            let mut query = query.clone();
            query.set(PAGE_NUM, page.to_string());
            query.set(MAX_RESULTS, per_page.to_string());
            format!("{path}?{}", query.canonical())
        };
        let current = u64::from(self.page_num);
        Pagination {
            first: Some(link(1)),
            last: Some(link(last_page)),
            prev: (current > 1).then(|| link((current - 1).min(last_page))),
            next: (current < last_page).then(|| link(current + 1)),
        }
    }
}

/// The spec's query parameters of a list: `pageNum` and `maxResults`, with the bounds
/// [`Paging::from_query`] checks and the defaults it applies.
pub(crate) fn paging_parameters() -> Vec<serde_json::Value> {
    vec![
        serde_json::json!({
            "name": PAGE_NUM, "in": "query", "required": false, "type": "integer", "minimum": 1,
            "maximum": u32::MAX, "default": 1, "description": "The page to show, from 1.",
        }),
        serde_json::json!({
            "name": MAX_RESULTS, "in": "query", "required": false, "type": "integer", "minimum": 1,
            "maximum": MAX_RESULTS_LIMIT, "default": DEFAULT_MAX_RESULTS, "description": "The page size.",
        }),
    ]
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_query(&QueryParams::parse(parts.uri.query()))
    }
}

/// One page of a list action's result: the items, the size of the whole collection, and the
/// page they were taken for. Return it (or `Result<Page<T>, ApiError>`) for a list envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    items: Vec<T>,
    total: u64,
    paging: Paging,
}

impl<T> Page<T> {
    /// A page of `items` out of `total`, as asked for by `paging`.
    pub fn new(items: Vec<T>, total: u64, paging: Paging) -> Self {
        Self { items, total, paging }
    }

    /// The items on this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The size of the whole collection.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The page asked for.
    pub fn paging(&self) -> Paging {
        self.paging
    }
}

/// `first`, `last`, `prev`, `next`: links to pages of a list, `None` where not applicable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pagination {
    /// The first page, or `None` when everything fits on one page.
    pub first: Option<String>,
    /// The last page, or `None` when everything fits on one page.
    pub last: Option<String>,
    /// The previous page, or `None` on the first page.
    pub prev: Option<String>,
    /// The next page, or `None` on the last page.
    pub next: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(raw: &str) -> Result<Paging, String> {
        Paging::from_query(&QueryParams::parse(Some(raw))).map_err(|error| error.message().to_owned())
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(paging(""), Ok(Paging::new(1, 100)));
        assert_eq!(paging("pageNum=3&maxResults=1"), Ok(Paging::new(3, 1)));
        assert_eq!(paging("pageNum=0").unwrap_err(), "Page number should be more than 0.");
        assert_eq!(paging("pageNum=x").unwrap_err(), "Page number should be more than 0.");
        for bad in ["maxResults=0", "maxResults=101", "maxResults=-1", "maxResults="] {
            assert_eq!(
                paging(bad).unwrap_err(),
                "Limit should be a positive number less then or equal to 100.",
                "{bad}"
            );
        }
    }

    #[test]
    fn one_page_has_no_links() {
        let query = QueryParams::default();
        assert_eq!(Paging::new(1, 3).links("/x/", &query, 3), Pagination::default());
        assert_eq!(Paging::new(1, 3).links("/x/", &query, 0), Pagination::default());
    }

    #[test]
    fn links_carry_every_parameter_sorted() {
        let query = QueryParams::parse(Some("name=a b&maxResults=3&pageNum=2"));
        let links = Paging::new(2, 3).links("/api/x/", &query, 7);
        assert_eq!(links.first.as_deref(), Some("/api/x/?maxResults=3&name=a%20b&pageNum=1"));
        assert_eq!(links.last.as_deref(), Some("/api/x/?maxResults=3&name=a%20b&pageNum=3"));
        assert_eq!(links.prev.as_deref(), Some("/api/x/?maxResults=3&name=a%20b&pageNum=1"));
        assert_eq!(links.next.as_deref(), Some("/api/x/?maxResults=3&name=a%20b&pageNum=3"));
    }

    #[test]
    fn slicing_a_collection_counts_all_of_it() {
        let page = Paging::new(3, 3).page(0..7);
        assert_eq!(page.items(), &[6]);
        assert_eq!(page.total(), 7);
    }
}
