//! Path templates such as `"images/<imageId>/actions/copy"`: parsed into segments, or into
//! every mistake they hold, each with the byte range it covers.

use std::ops::Range;

use syn::LitStr;

use super::diagnostics::Diagnostics;
use super::model::{Scope, Segment, Template};
use super::names::{bound_argument, is_identifier};

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

/// The template `literal` holds, or its mistakes reported on the literal with carets under them.
pub fn check(literal: &LitStr, scope: Scope, diagnostics: &mut Diagnostics) -> Option<Template> {
    let text = literal.value();
    match parse(&text, scope) {
        Ok(template) => Some(template),
        Err(errors) => {
            for error in errors {
                let what = format!("{}\n{}", error.what, error.pointer(&text));
                diagnostics.error(literal.span(), what, error.help);
            }
            None
        }
    }
}

/// Parses `text`, relative to `scope`'s prefix.
pub fn parse(text: &str, scope: Scope) -> Result<Template, Vec<TemplateError>> {
    check_not_empty(text).map_err(|error| vec![error])?;
    let mut errors: Vec<TemplateError> = check_relative(text, scope).err().into_iter().collect();
    let mut segments = Vec::new();
    let mut placeholders: Vec<(String, Range<usize>)> = Vec::new();
    let mut start = 0;
    let pieces: Vec<&str> = text.split('/').collect();
    for (index, piece) in pieces.iter().enumerate() {
        let range = start..start + piece.len();
        start = range.end + 1;
        if piece.is_empty() {
            let inner = index != 0 && index != pieces.len() - 1;
            errors.extend(check_inner_segment_not_empty(&range, inner).err());
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
    let arguments: Vec<String> = placeholders.iter().map(|(name, _)| bound_argument(name)).collect();
    for (index, (name, range)) in placeholders.iter().enumerate() {
        let argument = &arguments[index];
        let checked = check_env_id_explicit(name, argument, range, scope).and_then(|()| {
            check_binds_its_own_argument(name, argument, range, &placeholders[..index], &arguments[..index])
        });
        errors.extend(checked.err());
    }
    if errors.is_empty() { Ok(Template { segments, arguments }) } else { Err(errors) }
}

/// One non-empty segment: a whole-segment `<placeholder>` or a literal. Each segment reports
/// only its first mistake, since later rules would describe the same characters again.
fn segment(piece: &str, range: Range<usize>) -> Result<Segment, TemplateError> {
    check_no_braces(piece, &range)?;
    let Some(open) = piece.find('<') else {
        check_no_stray_close(piece, &range)?;
        check_unreserved_characters(piece, &range)?;
        check_not_dot_segment(piece, &range)?;
        return Ok(Segment::Literal(piece.to_owned()));
    };
    let close = check_closed(piece, open, &range)?;
    check_whole_segment(piece, open, close, &range)?;
    let name = &piece[1..close];
    check_named(name, &range)?;
    check_identifier(name, &range)?;
    Ok(Segment::Placeholder(name.to_owned()))
}

/// The byte range of `len` bytes at `offset` within the segment at `segment`.
fn within(segment: &Range<usize>, offset: usize, len: usize) -> Range<usize> {
    segment.start + offset..segment.start + offset + len
}

fn check_not_empty(text: &str) -> Result<(), TemplateError> {
    if !text.is_empty() {
        return Ok(());
    }
    let help = "write the path that follows the scope's prefix, such as \"images/\"";
    Err(TemplateError::new(0..0, "the path template is empty", help))
}

fn check_relative(text: &str, scope: Scope) -> Result<(), TemplateError> {
    if !text.starts_with('/') {
        return Ok(());
    }
    Err(TemplateError::new(
        0..1,
        "the path template starts with `/`",
        format!("templates are relative to `{}/`; remove the leading `/`", scope.prefix()),
    ))
}

/// Called for an empty segment: the first one is a leading `/` and the last one a trailing
/// slash, which is allowed; one between two `/` never matches.
fn check_inner_segment_not_empty(range: &Range<usize>, inner: bool) -> Result<(), TemplateError> {
    if !inner {
        return Ok(());
    }
    Err(TemplateError::new(
        range.start - 1..range.start + 1,
        "the path template has an empty segment (`//`), which never matches",
        "remove one of the `/`",
    ))
}

fn check_no_braces(piece: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    match piece.find(['{', '}']) {
        None => Ok(()),
        Some(offset) => Err(TemplateError::new(
            within(range, offset, 1),
            "placeholders are written `<name>`, not `{name}`",
            "write the placeholder as `<name>`",
        )),
    }
}

fn check_no_stray_close(piece: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    match piece.find('>') {
        None => Ok(()),
        Some(offset) => Err(TemplateError::new(
            within(range, offset, 1),
            "this `>` closes no placeholder",
            "remove it, or open the placeholder with `<`",
        )),
    }
}

/// Literal segments hold RFC 3986's unreserved characters only, so that a template never needs
/// percent-encoding to match.
fn check_unreserved_characters(piece: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    let unreserved = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    match piece.char_indices().find(|(_, c)| !unreserved(*c)) {
        None => Ok(()),
        Some((offset, c)) => Err(TemplateError::new(
            within(range, offset, c.len_utf8()),
            format!("the character `{c}` is not allowed in a path template"),
            "use letters, digits, `-`, `_`, `.` and `~`; write placeholders as `<name>`",
        )),
    }
}

fn check_not_dot_segment(piece: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    if piece != "." && piece != ".." {
        return Ok(());
    }
    Err(TemplateError::new(range.clone(), "dot segments are not allowed in a path template", "remove the segment"))
}

/// The offset of the `>` that closes the placeholder opened at `open`.
fn check_closed(piece: &str, open: usize, range: &Range<usize>) -> Result<usize, TemplateError> {
    piece[open..].find('>').map(|offset| open + offset).ok_or_else(|| {
        TemplateError::new(
            within(range, open, piece.len() - open),
            "this placeholder is not closed",
            "close it with `>`",
        )
    })
}

fn check_whole_segment(piece: &str, open: usize, close: usize, range: &Range<usize>) -> Result<(), TemplateError> {
    if open == 0 && close == piece.len() - 1 {
        return Ok(());
    }
    Err(TemplateError::new(
        range.clone(),
        "a placeholder must be a whole segment",
        "put the placeholder between two `/`, like `images/<imageId>/`",
    ))
}

fn check_named(name: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    if !name.is_empty() {
        return Ok(());
    }
    Err(TemplateError::new(range.clone(), "the placeholder `<>` has no name", "name it, like `<imageId>`"))
}

fn check_identifier(name: &str, range: &Range<usize>) -> Result<(), TemplateError> {
    if is_identifier(name) {
        return Ok(());
    }
    Err(TemplateError::new(
        within(range, 1, name.len()),
        format!("`{name}` is not a valid placeholder name"),
        "use an identifier such as `imageId`, which binds the argument `image_id`",
    ))
}

/// User scope's `envId` is part of its prefix, and the argument `env_id` receives it.
fn check_env_id_explicit(name: &str, argument: &str, range: &Range<usize>, scope: Scope) -> Result<(), TemplateError> {
    if scope != Scope::User || argument != "env_id" {
        return Ok(());
    }
    Err(TemplateError::new(
        range.clone(),
        format!("`<{name}>` is implicit in user scope"),
        "remove it: user-scope paths start with `/api/v1beta0/user/{envId}/`, and the argument `env_id` receives it",
    ))
}

/// Two placeholders binding one argument (`<id>` twice, `<imageId>` and `<image_id>`) would
/// leave one of them without a value. `earlier_arguments` are the arguments `earlier` bind.
fn check_binds_its_own_argument(
    name: &str,
    argument: &str,
    range: &Range<usize>,
    earlier: &[(String, Range<usize>)],
    earlier_arguments: &[String],
) -> Result<(), TemplateError> {
    let Some(first) = earlier_arguments.iter().position(|other| other == argument) else {
        return Ok(());
    };
    let first = &earlier[first].0;
    let what = if first == name {
        format!("the placeholder `<{name}>` is used twice")
    } else {
        format!("the placeholders `<{first}>` and `<{name}>` both bind the argument `{argument}`")
    };
    Err(TemplateError::new(range.clone(), what, "give each placeholder its own name"))
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
