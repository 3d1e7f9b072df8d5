//! [`Filters`]: the filters of a list action, checked against the properties its object declares
//! filterable ([`ApiObject::FILTERABLE`]), the one list the spec publishes as `x-filterable`.

use std::fmt;
use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::value::Error as TextError;
use serde::de::{DeserializeOwned, IntoDeserializer};

use super::paging::{MAX_RESULTS, PAGE_NUM};
use crate::error::{ApiError, ErrorCode};
use crate::query::QueryParams;
use crate::response::ApiObject;

/// The codes [`Filters`] raises: a parameter that is no filter, a value of the wrong kind. The
/// spec lists them on every list action, the actions that take filters.
pub(crate) const FILTER_CODES: &[ErrorCode] = &[ErrorCode::InvalidStructure, ErrorCode::InvalidValue];

/// The filters of a list of `T`: every query parameter but `pageNum` and `maxResults`.
///
/// An extractor for list actions (`filters: Filters<Image>`). A parameter that is not one of
/// `T::FILTERABLE` is refused with Scalr's `400 InvalidStructure` "Unsupported filter. Fields
/// which are available for filtering: [a, b, ...]". Values are read as the property's wire form,
/// the text the API itself writes (`true`, `ec2`, `pending_delete`), with [`Filters::get`].
pub struct Filters<T> {
    values: QueryParams,
    object: PhantomData<fn() -> T>,
}

impl<T: ApiObject> Filters<T> {
    /// Reads the filters of a query, refusing a parameter `T` cannot be filtered on.
    pub fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        let mut values = QueryParams::default();
        for key in query.keys().filter(|key| ![PAGE_NUM, MAX_RESULTS].contains(key)) {
            if !T::FILTERABLE.contains(&key) {
                return Err(ApiError::new(
                    ErrorCode::InvalidStructure,
                    format!(
                        "Unsupported filter. Fields which are available for filtering: [{}]",
                        T::FILTERABLE.join(", ")
                    ),
                ));
            }
            values.set(key, query.get(key).unwrap_or_default());
        }
        Ok(Self { values, object: PhantomData })
    }

    /// Whether the client sent no filter.
    pub fn is_empty(&self) -> bool {
        self.values.keys().next().is_none()
    }

    /// The text sent for `property`, if any.
    pub fn text(&self, property: &str) -> Option<&str> {
        debug_assert!(T::FILTERABLE.contains(&property), "`{property}` is not a filterable property");
        self.values.get(property)
    }

    /// The value sent for `property`, read as a `V`: the text itself for strings, enums and ids,
    /// else the JSON scalar it spells (`true`, `8`). A text that is no `V` is
    /// `400 InvalidValue`, naming the filter and what it accepts.
    pub fn get<V: DeserializeOwned>(&self, property: &str) -> Result<Option<V>, ApiError> {
        self.text(property).map(|text| parse(property, text)).transpose()
    }
}

/// `text` as a `V`, trying it as a string first so that an enum's or a string's text is taken as
/// it is, then as a JSON scalar for booleans and numbers.
fn parse<V: DeserializeOwned>(property: &str, text: &str) -> Result<V, ApiError> {
    V::deserialize(IntoDeserializer::<TextError>::into_deserializer(text))
        .or_else(|as_text| serde_json::from_str(text).map_err(|_| invalid_value(property, text, &as_text.to_string())))
}

fn invalid_value(property: &str, text: &str, message: &str) -> ApiError {
    let subject = format!("filter '{property}'");
    super::body::unknown_variant(message, &subject).unwrap_or_else(|| {
        let detail = match message.split_once(", expected ") {
            Some((_, expected)) => format!("expected {expected}"),
            None => message.to_owned(),
        };
        ApiError::new(ErrorCode::InvalidValue, format!("Invalid value '{text}' of {subject}: {detail}."))
    })
}

impl<T> fmt::Debug for Filters<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Filters").field(&self.values).finish()
    }
}

impl<T: ApiObject, S: Send + Sync> FromRequestParts<S> for Filters<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Self::from_query(&QueryParams::parse(parts.uri.query()))
    }
}

#[cfg(test)]
mod tests {
    use schemars::JsonSchema;
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Serialize, JsonSchema)]
    struct Disk {
        size: u32,
    }

    impl ApiObject for Disk {
        const FILTERABLE: &'static [&'static str] = &["size", "kind", "encrypted", "name"];
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Ssd,
        MagneticTape,
    }

    fn filters(query: &str) -> Result<Filters<Disk>, ApiError> {
        Filters::from_query(&QueryParams::parse(Some(query)))
    }

    fn refusal<V: DeserializeOwned + fmt::Debug>(query: &str, property: &str) -> (ErrorCode, String) {
        let error = filters(query).unwrap().get::<V>(property).unwrap_err();
        (error.code(), error.message().to_owned())
    }

    #[test]
    fn paging_parameters_are_not_filters() {
        let filters = filters("pageNum=2&maxResults=3").unwrap();
        assert!(filters.is_empty());
        assert_eq!(filters.get::<u32>("size"), Ok(None));
    }

    #[test]
    fn a_property_that_is_not_filterable_is_refused_naming_those_that_are() {
        for query in ["colour=red", "size=1&colour=red", "Size=1", "=1"] {
            let error = filters(query).unwrap_err();
            assert_eq!(error.code(), ErrorCode::InvalidStructure, "{query}");
            assert_eq!(
                error.message(),
                "Unsupported filter. Fields which are available for filtering: [size, kind, encrypted, name]",
                "{query}"
            );
        }
    }

    #[test]
    fn values_are_read_in_their_wire_form() {
        let sent = filters("size=8&kind=magnetic_tape&encrypted=false&name=a+b&pageNum=1").unwrap();
        assert!(!sent.is_empty());
        assert_eq!(sent.get::<u32>("size"), Ok(Some(8)));
        assert_eq!(sent.get::<Kind>("kind"), Ok(Some(Kind::MagneticTape)));
        assert_eq!(sent.get::<bool>("encrypted"), Ok(Some(false)));
        assert_eq!(sent.get::<String>("name"), Ok(Some("a b".to_owned())));
        assert_eq!(sent.text("name"), Some("a b"));
        // Digits are a string's text too, not a number.
        let digits = filters("name=123").unwrap();
        assert_eq!(digits.get::<String>("name"), Ok(Some("123".to_owned())));
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_an_invalid_value_saying_what_is_accepted() {
        assert_eq!(
            refusal::<Kind>("kind=floppy", "kind"),
            (
                ErrorCode::InvalidValue,
                "Invalid value 'floppy' of filter 'kind': accepted values are ssd, magnetic_tape.".into()
            )
        );
        assert_eq!(
            refusal::<bool>("encrypted=1", "encrypted"),
            (ErrorCode::InvalidValue, "Invalid value '1' of filter 'encrypted': expected a boolean.".into())
        );
        assert_eq!(
            refusal::<u32>("size=big", "size"),
            (ErrorCode::InvalidValue, "Invalid value 'big' of filter 'size': expected u32.".into())
        );
    }

    #[tokio::test]
    async fn the_extractor_reads_the_request_query() {
        let request = axum::http::Request::get("/x/?kind=ssd&colour=red").body(()).unwrap();
        let (mut parts, ()) = request.into_parts();
        let error = Filters::<Disk>::from_request_parts(&mut parts, &()).await.unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidStructure);
        let request = axum::http::Request::get("/x/?kind=ssd").body(()).unwrap();
        let (mut parts, ()) = request.into_parts();
        let filters = Filters::<Disk>::from_request_parts(&mut parts, &()).await.unwrap();
        assert_eq!(filters.get::<Kind>("kind"), Ok(Some(Kind::Ssd)));
    }
}
