//! Path templates such as `"images/<imageId>/actions/copy"`: parsed into segments, or into
//! every mistake they hold, each with the byte range it covers.

use std::ops::Range;

use heck::ToSnakeCase;

use super::model::{Scope, Segment, Template};

/// One mistake in a template, located by byte range within the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub range: Range<usize>,
    pub what: String,
    pub help: String,
}

impl TemplateError {
    fn new(range: Range<usize>, what: impl Into<String>, help: impl Into<String>) -> Self {
        Self { range, what: what.into(), help: help.into() }
    }

    /// The template with carets under this mistake.
    pub fn pointer(&self, text: &str) -> String {
        pointer(text, self.range.clone())
    }
}

/// `text` quoted, with carets under the bytes `range`. Stable rustc cannot point inside a string
/// literal (`Literal::subspan` is unstable), so the message itself shows where.
pub fn pointer(text: &str, range: Range<usize>) -> String {
    let before = text[..range.start].chars().count();
    let width = text[range].chars().count().max(1);
    format!("    \"{text}\"\n     {}{}", " ".repeat(before), "^".repeat(width))
}

/// Characters a literal segment may hold: RFC 3986's unreserved set.
fn allowed_in_path(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Parses `text`, relative to `scope`'s prefix.
pub fn parse(text: &str, scope: Scope) -> Result<Template, Vec<TemplateError>> {
    let mut errors = Vec::new();
    if text.is_empty() {
        let help = "write the path that follows the scope's prefix, such as \"images/\"";
        return Err(vec![TemplateError::new(0..0, "the path template is empty", help)]);
    }
    let mut segments = Vec::new();
    let mut placeholders: Vec<(String, Range<usize>)> = Vec::new();
    let mut start = 0;
    let pieces: Vec<&str> = text.split('/').collect();
    for (index, piece) in pieces.iter().enumerate() {
        let range = start..start + piece.len();
        start = range.end + 1;
        let last = index == pieces.len() - 1;
        if piece.is_empty() {
            if index == 0 {
                errors.push(TemplateError::new(
                    0..1,
                    "the path template starts with `/`",
                    format!("templates are relative to `{}/`; remove the leading `/`", scope.prefix()),
                ));
            } else if !last {
                errors.push(TemplateError::new(
                    range.start - 1..range.start + 1,
                    "the path template has an empty segment (`//`), which never matches",
                    "remove one of the `/`",
                ));
            }
            continue;
        }
        match segment(piece, range.clone()) {
            Ok(Segment::Placeholder(name)) => {
                placeholders.push((name.clone(), range));
                segments.push(Segment::Placeholder(name));
            }
            Ok(literal) => segments.push(literal),
            Err(error) => errors.push(error),
        }
    }
    check_placeholders(&placeholders, scope, &mut errors);
    if errors.is_empty() { Ok(Template { text: text.to_owned(), segments }) } else { Err(errors) }
}

/// One non-empty segment: a whole-segment `<placeholder>` or a literal.
fn segment(piece: &str, range: Range<usize>) -> Result<Segment, TemplateError> {
    let at = |offset: usize, len: usize| range.start + offset..range.start + offset + len;
    if let Some(offset) = piece.find(['{', '}']) {
        return Err(TemplateError::new(
            at(offset, 1),
            "placeholders are written `<name>`, not `{name}`",
            "write the placeholder as `<name>`",
        ));
    }
    let Some(open) = piece.find('<') else {
        if let Some(offset) = piece.find('>') {
            return Err(TemplateError::new(
                at(offset, 1),
                "this `>` closes no placeholder",
                "remove it, or open the placeholder with `<`",
            ));
        }
        if let Some((offset, c)) = piece.char_indices().find(|(_, c)| !allowed_in_path(*c)) {
            return Err(TemplateError::new(
                at(offset, c.len_utf8()),
                format!("the character `{c}` is not allowed in a path template"),
                "use letters, digits, `-`, `_`, `.` and `~`; write placeholders as `<name>`",
            ));
        }
        if piece == "." || piece == ".." {
            return Err(TemplateError::new(
                range,
                "dot segments are not allowed in a path template",
                "remove the segment",
            ));
        }
        return Ok(Segment::Literal(piece.to_owned()));
    };
    let Some(close) = piece[open..].find('>').map(|offset| open + offset) else {
        return Err(TemplateError::new(
            at(open, piece.len() - open),
            "this placeholder is not closed",
            "close it with `>`",
        ));
    };
    if open != 0 || close != piece.len() - 1 {
        return Err(TemplateError::new(
            range,
            "a placeholder must be a whole segment",
            "put the placeholder between two `/`, like `images/<imageId>/`",
        ));
    }
    let name = &piece[1..close];
    if name.is_empty() {
        return Err(TemplateError::new(range, "the placeholder `<>` has no name", "name it, like `<imageId>`"));
    }
    if !is_identifier(name) {
        return Err(TemplateError::new(
            at(1, name.len()),
            format!("`{name}` is not a valid placeholder name"),
            "use an identifier such as `imageId`, which binds the argument `image_id`",
        ));
    }
    Ok(Segment::Placeholder(name.to_owned()))
}

/// Placeholders must bind distinct arguments, and user scope's `envId` is implicit.
fn check_placeholders(placeholders: &[(String, Range<usize>)], scope: Scope, errors: &mut Vec<TemplateError>) {
    for (index, (name, range)) in placeholders.iter().enumerate() {
        let binding = name.to_snake_case();
        if scope == Scope::User && binding == "env_id" {
            errors.push(TemplateError::new(
                range.clone(),
                format!("`<{name}>` is implicit in user scope"),
                "remove it: user-scope paths start with `/api/v1beta0/user/{envId}/`, and the argument `env_id` receives it",
            ));
        } else if let Some((first, _)) =
            placeholders[..index].iter().find(|(other, _)| other.to_snake_case() == binding)
        {
            let what = if first == name {
                format!("the placeholder `<{name}>` is used twice")
            } else {
                format!("the placeholders `<{first}>` and `<{name}>` both bind the argument `{binding}`")
            };
            errors.push(TemplateError::new(range.clone(), what, "give each placeholder its own name"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<(Range<usize>, String)> {
        parse(text, Scope::User).unwrap_err().into_iter().map(|e| (e.range, e.what)).collect()
    }

    #[test]
    fn parses_literals_and_placeholders() {
        let template = parse("images/<imageId>/actions/copy/", Scope::User).unwrap();
        assert_eq!(template.placeholders().collect::<Vec<_>>(), ["imageId"]);
        assert_eq!(template.path(Scope::User), "/api/v1beta0/user/{envId}/images/{imageId}/actions/copy");
        assert_eq!(template.route(Scope::User), "/api/v1beta0/user/{envId}/images/{s5}/actions/copy");
        assert_eq!(parse("images", Scope::Global).unwrap().route(Scope::Global), "/api/v1beta0/global/images");
    }

    #[test]
    fn locates_each_mistake() {
        assert_eq!(errors("/images").remove(0).0, 0..1);
        assert_eq!(errors("images//copy").remove(0).0, 6..8);
        assert_eq!(errors("images/<imageId").remove(0).0, 7..15);
        assert_eq!(errors("images/<>").remove(0).0, 7..9);
        assert_eq!(errors("images/{imageId}").remove(0).0, 7..8);
        assert_eq!(errors("images/a b").remove(0).0, 8..9);
        assert_eq!(errors("images/<image-id>").remove(0).0, 8..16);
        assert_eq!(errors("a/<id>/b/<id>").remove(0).0, 9..13);
        assert_eq!(errors("envs/<envId>").remove(0).0, 5..12);
        assert_eq!(errors("images/x<id>").remove(0).0, 7..12);
    }

    #[test]
    fn reports_every_mistake_of_one_template() {
        let found = errors("/images//<>");
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn points_under_the_offending_characters() {
        let error = &parse("images//copy", Scope::User).unwrap_err()[0];
        assert_eq!(error.pointer("images//copy"), "    \"images//copy\"\n           ^^");
    }
}
