//! The log's lines: a tracing layer that writes each event as one line of the text
//! tracing-subscriber's default format writes uncoloured, straight into a [`BatchedLog`].
//!
//! ```text
//! 2026-12-01T20:59:03.754864Z  INFO request{request_id=79aae650-… method=GET path=/api/v1beta0/unknown key_id=-}: scalr_endpoints_runtime::layer: request finished status=404 latency_us=24
//! ```
//!
//! Why not the fmt layer itself: per access line it cost the server about 4 µs of CPU more than
//! this layer, an eighth of the whole unknown-route request (`BENCHMARKS.md`, the loopback
//! section). The fmt layer keeps each span's fields in a growing string, paints every piece
//! through a colour style that paints nothing, calls `write!` per piece, and formats the whole
//! timestamp for each line; this layer appends plain text to one reused buffer per thread, and
//! keeps the calendar part of the timestamp for the second it is in. The text is the same
//! (`tests::lines_are_the_default_formats_text`), the message's terminal escapes escaped alike;
//! `main` still takes the fmt layer, coloured, when stderr is a terminal.

use std::cell::RefCell;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::{LookupSpan, SpanRef};

use crate::log_writer::BatchedLog;

/// Writes every event it is given as one line: give it to
/// `tracing_subscriber::registry().with(filter).with(LogLines::new(log))`.
pub struct LogLines {
    log: BatchedLog,
}

impl LogLines {
    /// Lines into `log`.
    pub fn new(log: BatchedLog) -> Self {
        Self { log }
    }
}

/// A span's fields as its lines show them, kept in the span's extensions.
struct SpanFields(String);

/// Room for a request span's four fields without growing.
const SPAN_FIELDS_CAPACITY: usize = 128;

/// What each thread reuses from line to line.
struct ThreadLine {
    text: String,
    /// The second `second_prefix` was written for.
    second: u64,
    /// `2026-12-01T20:59:03.`: the calendar part of the timestamp, for [`Self::second`].
    second_prefix: String,
}

thread_local! {
    static LINE: RefCell<ThreadLine> = const { RefCell::new(ThreadLine::new()) };
}

impl<S> tracing_subscriber::Layer<S> for LogLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        let Some(span) = context.span(id) else { return };
        let mut fields = String::with_capacity(SPAN_FIELDS_CAPACITY);
        attributes.record(&mut FieldText::new(&mut fields));
        span.extensions_mut().insert(SpanFields(fields));
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, context: Context<'_, S>) {
        let Some(span) = context.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(SpanFields(fields)) = extensions.get_mut::<SpanFields>() {
            let mut more = String::new();
            values.record(&mut FieldText::new(&mut more));
            if !more.is_empty() {
                if !fields.is_empty() {
                    fields.push(' ');
                }
                fields.push_str(&more);
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, context: Context<'_, S>) {
        // An event logged while this thread writes a line (from a field's `Display`, say)
        // cannot have the buffer: it gets a line of its own.
        let written = LINE.with(|line| match line.try_borrow_mut() {
            Ok(mut line) => {
                line.write_event(event, &context);
                self.log.append(line.text.as_bytes());
                true
            }
            Err(_) => false,
        });
        if !written {
            let mut line = ThreadLine::new();
            line.write_event(event, &context);
            self.log.append(line.text.as_bytes());
        }
    }
}

impl ThreadLine {
    /// An empty line, with no second's calendar part written yet.
    const fn new() -> Self {
        Self { text: String::new(), second: u64::MAX, second_prefix: String::new() }
    }

    fn write_event<S>(&mut self, event: &Event<'_>, context: &Context<'_, S>)
    where
        S: Subscriber + for<'a> LookupSpan<'a>,
    {
        self.text.clear();
        self.write_timestamp();
        let metadata = event.metadata();
        self.text.push_str(match *metadata.level() {
            Level::TRACE => "TRACE ",
            Level::DEBUG => "DEBUG ",
            Level::INFO => " INFO ",
            Level::WARN => " WARN ",
            Level::ERROR => "ERROR ",
        });
        if let Some(span) = context.event_span(event) {
            self.write_spans(&span);
            self.text.push(' ');
        }
        // An event the `log` crate sent through tracing's bridge names its real target in a
        // field, as the default format shows it.
        let bridged = metadata.fields().field("log.target").is_some();
        let mut log_target = None;
        if bridged {
            event.record(&mut LogTarget(&mut log_target));
        }
        self.text.push_str(log_target.as_deref().unwrap_or(metadata.target()));
        self.text.push_str(": ");
        event.record(&mut FieldText::new(&mut self.text));
        self.text.push('\n');
    }

    /// `outer{fields}:inner{fields}:`, the spans from the root down to `span`. Written by
    /// recursion rather than through `Context::event_scope(..).from_root()`, which collects the
    /// spans into a vector first (about 300 of the access line's 6,000 instructions).
    fn write_spans<R>(&mut self, span: &SpanRef<'_, R>)
    where
        R: for<'a> LookupSpan<'a>,
    {
        if let Some(parent) = span.parent() {
            self.write_spans(&parent);
        }
        self.text.push_str(span.metadata().name());
        if let Some(SpanFields(fields)) = span.extensions().get::<SpanFields>()
            && !fields.is_empty()
        {
            self.text.push('{');
            self.text.push_str(fields);
            self.text.push('}');
        }
        self.text.push(':');
    }

    /// `2026-12-01T20:59:03.754864Z `, as the default format's timer writes it.
    fn write_timestamp(&mut self) {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        if now.as_secs() != self.second {
            self.second = now.as_secs();
            self.second_prefix.clear();
            let calendar =
                i64::try_from(now.as_secs()).ok().and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0));
            match calendar {
                Some(calendar) => {
                    let _ = write!(self.second_prefix, "{}.", calendar.format("%Y-%m-%dT%H:%M:%S"));
                }
                None => self.second_prefix.push_str("<unknown time>"),
            }
        }
        self.text.push_str(&self.second_prefix);
        let micros = now.subsec_micros();
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(micros);
        for _ in digits.len()..6 {
            self.text.push('0');
        }
        self.text.push_str(digits);
        self.text.push_str("Z ");
    }
}

/// Writes fields as the default format does: `name=value` apart by spaces, values by their
/// `Debug` text (which for `%` fields is their `Display`), the message bare and escaped.
struct FieldText<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> FieldText<'a> {
    fn new(out: &'a mut String) -> Self {
        Self { out, first: true }
    }

    /// The space before every field but the first, and the field's name; false for the
    /// bridge's `log.` fields, which the line shows as its target or not at all.
    fn start(&mut self, field: &Field) -> bool {
        let name = field.name();
        if name.starts_with("log.") {
            return false;
        }
        if !std::mem::take(&mut self.first) {
            self.out.push(' ');
        }
        if name != "message" {
            self.out.push_str(name.strip_prefix("r#").unwrap_or(name));
            self.out.push('=');
        }
        true
    }
}

impl Visit for FieldText<'_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if self.start(field) {
            self.out.push_str(itoa::Buffer::new().format(value));
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if self.start(field) {
            self.out.push_str(itoa::Buffer::new().format(value));
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        if self.start(field) {
            self.out.push_str(if value { "true" } else { "false" });
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.record_debug(field, &format_args!("{value}"));
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_error(&mut self, field: &Field, value: &(dyn Error + 'static)) {
        if !self.start(field) {
            return;
        }
        let _ = write!(Escaping(self.out), "{value}");
        if let Some(source) = value.source() {
            let name = field.name();
            let _ = write!(self.out, " {}.sources=[", name.strip_prefix("r#").unwrap_or(name));
            let mut next = Some(source);
            let mut first = true;
            while let Some(error) = next {
                if !std::mem::take(&mut first) {
                    self.out.push_str(", ");
                }
                let _ = write!(Escaping(self.out), "{error}");
                next = error.source();
            }
            self.out.push(']');
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if !self.start(field) {
            return;
        }
        let _ = if field.name() == "message" {
            write!(Escaping(self.out), "{value:?}")
        } else {
            write!(self.out, "{value:?}")
        };
    }
}

/// Text with the characters a terminal would act on written as escapes, so that a message
/// cannot move the cursor or recolour what a reader sees: the ones the default format escapes.
struct Escaping<'a>(&'a mut String);

impl fmt::Write for Escaping<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        // Text without control characters or anything past ASCII, a message's usual case, has
        // nothing to escape: checked a byte at a time, it is copied whole.
        if text.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
            self.0.push_str(text);
            return Ok(());
        }
        let mut rest = text;
        while let Some(at) =
            rest.find(|c: char| matches!(c, '\x1b' | '\x07' | '\x08' | '\x0c' | '\x7f' | '\u{80}'..='\u{9f}'))
        {
            self.0.push_str(&rest[..at]);
            let c = rest[at..].chars().next().unwrap_or_default();
            match c {
                '\x1b' | '\x07' | '\x08' | '\x0c' | '\x7f' => {
                    let _ = write!(self.0, "\\x{:02x}", u32::from(c));
                }
                _ => {
                    let _ = write!(self.0, "\\u{{{:x}}}", u32::from(c));
                }
            }
            rest = &rest[at + c.len_utf8()..];
        }
        self.0.push_str(rest);
        Ok(())
    }
}

/// Finds the `log.target` field of an event from the `log` crate.
struct LogTarget<'a>(&'a mut Option<String>);

impl Visit for LogTarget<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "log.target" {
            *self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn fmt::Debug) {}
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// Bytes written, readable afterwards.
    #[derive(Clone, Default)]
    struct Collected(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Collected {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Collected {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    #[derive(Debug)]
    struct Failure(&'static str, Option<Box<Failure>>);

    impl fmt::Display for Failure {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Failure {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|source| source as &(dyn Error + 'static))
        }
    }

    /// Events of every kind of field, in and out of spans, at every level.
    fn log_everything() {
        tracing::info!("outside any span");
        let request =
            tracing::info_span!("request", request_id = %"7f0c", method = %"GET", path = %"/api/x", key_id = %"-");
        let _request = request.enter();
        tracing::info!(status = 404_u64, latency_us = 12_u64, "request finished");
        tracing::warn!(offset = -3_i64, ok = true, ratio = 0.5_f64, name = "quoted \"text\"", "mixed fields");
        tracing::error!(error = &Failure("outer", Some(Box::new(Failure("inner", None)))) as &(dyn Error + 'static));
        tracing::error!(error = &Failure("alone", None) as &(dyn Error + 'static), "an error without sources");
        tracing::debug!(r#type = "image", "a raw identifier");
        tracing::trace!("terminal \x1b[31mred\x1b[0m, bell \x07, C1 \u{85}, delete \x7f, tab\tand newline\nkept");
        tracing::info!(message = "message as a field", after = 1_u64);
        tracing::info!(no_message = 7_u64);
        let inner = tracing::info_span!("copy", image_id = tracing::field::Empty, region = "eu-west-3");
        let _inner = inner.enter();
        tracing::info!("before the record");
        inner.record("image_id", "img-1");
        tracing::info!(debug = ?Some("debug text"), "after the record");
        let empty = tracing::info_span!("empty");
        let _empty = empty.enter();
        tracing::info!("in a span without fields");
    }

    /// The line without its timestamp, which two runs cannot share.
    fn without_timestamps(text: &str) -> Vec<String> {
        text.lines().map(|line| line.split_once("Z ").map_or(line, |(_, rest)| rest).to_owned()).collect()
    }

    #[test]
    fn lines_are_the_default_formats_text() {
        let fmt_out = Collected::default();
        let fmt = tracing_subscriber::fmt()
            .with_max_level(Level::TRACE)
            .with_ansi(false)
            .with_writer({
                let out = fmt_out.clone();
                move || out.clone()
            })
            .finish();
        tracing::subscriber::with_default(fmt, log_everything);

        let lines_out = Collected::default();
        let (log, guard) = BatchedLog::new(lines_out.clone(), "test-log").unwrap();
        let lines = tracing_subscriber::registry().with(LogLines::new(log));
        tracing::subscriber::with_default(lines, log_everything);
        drop(guard);

        let expected = without_timestamps(&fmt_out.text());
        assert_eq!(expected.len(), 13, "the default format wrote {expected:#?}");
        assert_eq!(without_timestamps(&lines_out.text()), expected);
    }

    #[test]
    fn the_timestamp_is_rfc_3339_to_the_microsecond_in_utc() {
        let out = Collected::default();
        let (log, guard) = BatchedLog::new(out.clone(), "test-log").unwrap();
        let before = chrono::Utc::now();
        tracing::subscriber::with_default(tracing_subscriber::registry().with(LogLines::new(log)), || {
            tracing::info!("now");
        });
        let after = chrono::Utc::now();
        drop(guard);
        let text = out.text();
        let (timestamp, rest) = text.split_once(' ').unwrap();
        assert_eq!(timestamp.len(), "2026-12-01T20:59:03.754864Z".len(), "{text}");
        let written = chrono::DateTime::parse_from_rfc3339(timestamp).unwrap();
        assert!(before.timestamp_micros() <= written.timestamp_micros(), "{timestamp} is before {before}");
        assert!(written.timestamp_micros() <= after.timestamp_micros(), "{timestamp} is after {after}");
        assert!(rest.starts_with(" INFO scalr_copy_server::log_lines::tests: now"), "{text}");
    }
}
