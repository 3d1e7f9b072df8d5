//! Property tests of the template parser: it never panics, whatever the text, and every
//! template it accepts reads back the same once written out again.

use proptest::prelude::*;

use super::model::{Scope, Segment, Template};
use super::template::parse;

/// A template written out as the parser reads it: its segments joined by `/`, placeholders in
/// angle brackets, no trailing slash.
fn written(template: &Template) -> String {
    let segments: Vec<String> = template
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => text.clone(),
            Segment::Placeholder(name) => format!("<{name}>"),
        })
        .collect();
    segments.join("/")
}

/// Texts made mostly of what templates are made of, mistakes included.
fn template_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9<>/{}_.~%? -]{0,40}").expect("a valid pattern")
}

/// Templates that follow the rules: literal segments and distinctly named placeholders.
fn valid_template() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        proptest::string::string_regex("[a-z][a-z0-9-]{0,8}").expect("a valid pattern"),
        proptest::string::string_regex("[a-z][a-zA-Z0-9]{0,8}")
            .expect("a valid pattern")
            .prop_map(|name| format!("<{name}>")),
    ];
    (proptest::collection::vec(segment, 1..6), any::<bool>()).prop_map(|(segments, slash)| {
        let mut seen = std::collections::BTreeSet::new();
        let distinct: Vec<String> = segments
            .into_iter()
            .map(|segment| {
                if segment.starts_with('<') && !seen.insert(segment.to_lowercase()) { "x".to_owned() } else { segment }
            })
            .collect();
        let mut text = distinct.join("/");
        if slash {
            text.push('/');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_parsed_or_refused_with_located_errors(text in template_like()) {
        for scope in [Scope::User, Scope::Account, Scope::Global] {
            match parse(&text, scope) {
                Ok(template) => prop_assert_eq!(parse(&written(&template), scope), Ok(template)),
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for error in errors {
                        prop_assert!(error.range.end <= text.len(), "{:?} is outside {:?}", error.range, text);
                        // The caret picture is built from the range without panicking.
                        let _ = error.pointer(&text);
                    }
                }
            }
        }
    }

    #[test]
    fn every_accepted_template_reads_back_the_same(text in valid_template()) {
        let template = parse(&text, Scope::Account);
        prop_assert!(template.is_ok(), "refused {:?}: {:?}", text, template);
        let template = template.unwrap();
        prop_assert_eq!(written(&template), text.trim_end_matches('/'));
        prop_assert_eq!(parse(&written(&template), Scope::Account), Ok(template));
    }
}
