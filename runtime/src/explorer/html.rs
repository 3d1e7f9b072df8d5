//! Writing HTML safely: every text that comes from metadata goes through [`escape`].

use std::fmt::Write;

/// `text` with the five characters that matter in HTML text and attribute values escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A doc comment as HTML: one `<p>` per paragraph (paragraphs are separated by a blank line),
/// `` `code` `` spans as `<code>`, everything else escaped.
pub(crate) fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n").map(str::trim).filter(|paragraph| !paragraph.is_empty()) {
        out.push_str("<p>");
        for (index, piece) in paragraph.split('`').enumerate() {
            // Odd pieces sit between backticks; an unclosed backtick leaves a last odd piece,
            // shown as code all the same.
            if index % 2 == 1 {
                let _ = write!(out, "<code>{}</code>", escape(piece));
            } else {
                out.push_str(&escape(piece));
            }
        }
        out.push_str("</p>");
    }
    out
}

/// A whole page: `title` in the head, `body` as is (already HTML), the explorer's style sheet
/// and script linked, nothing inline.
pub(crate) fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<link rel=\"stylesheet\" href=\"{root}explorer.css\">\n\
         <script src=\"{root}explorer.js\" defer></script>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title),
        root = super::DOCS_ROOT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_cannot_open_a_tag_or_leave_an_attribute() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn doc_comments_become_paragraphs_with_code() {
        assert_eq!(
            paragraphs("Copy an `Image`.\n\nThen <b>list</b> it `again"),
            "<p>Copy an <code>Image</code>.</p><p>Then &lt;b&gt;list&lt;/b&gt; it <code>again</code></p>"
        );
        assert_eq!(paragraphs("\n\n"), "");
    }
}
