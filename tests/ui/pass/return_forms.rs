use scalr_endpoints::prelude::*;

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Image {
    name: String,
}

impl ApiObject for Image {
    const FILTERABLE: &'static [&'static str] = &["name"];
}

/// Why an image operation failed.
enum ImageError {
    Missing,
}

impl From<ImageError> for ApiError {
    fn from(error: ImageError) -> Self {
        match error {
            ImageError::Missing => ApiError::new(ErrorCode::ObjectNotFound, "No such image."),
        }
    }
}

/// Nothing to return.
#[scalr_action(post, "images/actions/refresh")]
async fn refresh() {}

/// Unit, said explicitly.
#[scalr_action(post, "images/actions/clean")]
async fn clean() -> () {}

/// An object, without failure.
#[scalr_action(get, "images/latest")]
async fn latest() -> Image {
    Image { name: "latest".into() }
}

/// An object or a domain error.
#[scalr_action(get, "images/<name>")]
async fn by_name(name: String) -> Result<Image, ImageError> {
    if name.is_empty() { Err(ImageError::Missing) } else { Ok(Image { name }) }
}

/// A page of objects.
#[scalr_action(get, "images/")]
async fn list(paging: Paging) -> Page<Image> {
    paging.page(vec![Image { name: "a".into() }])
}

/// A page of objects, or an error.
#[scalr_action(get, "images/", scope = account)]
async fn list_account(paging: Paging) -> Result<Page<Image>, ApiError> {
    Ok(paging.page(Vec::new()))
}

fn main() {
    let _router = ScalrApi::<()>::new()
        .action(refresh {})
        .action(clean {})
        .action(latest {})
        .action(by_name {})
        .action(list {})
        .action(list_account {})
        .try_into_router()
        .expect("valid routes");
}
