//! What counts as a name in a declaration, shared by the template and the attribute so that
//! both judge a name the same way.

use heck::ToSnakeCase;

/// An ASCII identifier: what a placeholder and the body parameter may be called.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A permission such as `images:manage`: no spaces, so that it reads as one word in the spec.
pub fn is_permission(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// The argument a placeholder binds: its name in snake_case (`<imageId>` binds `image_id`).
pub fn bound_argument(placeholder: &str) -> String {
    placeholder.to_snake_case()
}
