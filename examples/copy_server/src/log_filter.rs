//! Which log lines `--log` lets through, as the filter that decides it most cheaply.
//!
//! Directives that name only targets and levels (`info`, `warn,scalr_copy_server=debug`) become
//! tracing-subscriber's [`Targets`], which decides once per callsite. Directives that filter on
//! spans or their fields (`[request{key_id=APIK1}]=debug`) need [`EnvFilter`]. `EnvFilter` also
//! takes a read lock shared by all threads when a span is created, entered, exited or closed,
//! even when no directive names a span: under load on two cores, that lock's cache line moves
//! between the cores several times a request, about 0.9 µs of CPU per request on the unknown
//! route (`BENCHMARKS.md`, the loopback section).

use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::registry::LookupSpan;

/// The filter for one set of `--log` directives.
#[derive(Debug)]
#[expect(clippy::large_enum_variant, reason = "one is made, once, at start")]
pub enum LogFilter {
    /// Targets and levels only.
    Targets(Targets),
    /// Directives on spans or fields.
    Spans(EnvFilter),
}

impl LogFilter {
    /// The filter for `directives`, in `RUST_LOG`'s syntax; an error says what `EnvFilter`
    /// could not read.
    pub fn parse(directives: &str) -> Result<Self, String> {
        if let Ok(targets) = directives.parse::<Targets>() {
            return Ok(Self::Targets(targets));
        }
        EnvFilter::try_new(directives).map(Self::Spans).map_err(|error| error.to_string())
    }

    /// The filter as a subscriber's first layer.
    pub fn into_layer<S>(self) -> Box<dyn Layer<S> + Send + Sync>
    where
        S: Subscriber + for<'span> LookupSpan<'span>,
    {
        match self {
            Self::Targets(targets) => Box::new(targets),
            Self::Spans(filter) => Box::new(filter),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// A layer that keeps the messages of the events it sees.
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<String>>>);

    impl<S: Subscriber> Layer<S> for Seen {
        fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
            self.0.lock().unwrap().push(event.metadata().target().to_owned());
        }
    }

    /// The targets of the events `log` lets through, with `directives` as the filter.
    fn seen_with(directives: &str, log: impl FnOnce()) -> Vec<String> {
        let seen = Seen::default();
        let filter = LogFilter::parse(directives).expect("directives that parse");
        let subscriber = tracing_subscriber::registry().with(filter.into_layer()).with(seen.clone());
        tracing::subscriber::with_default(subscriber, log);
        seen.0.lock().unwrap().clone()
    }

    #[test]
    fn targets_and_levels_need_no_span_filter() {
        for directives in ["info", "warn,scalr_copy_server=debug", "off", "scalr_endpoints_runtime=trace"] {
            assert!(matches!(LogFilter::parse(directives), Ok(LogFilter::Targets(_))), "{directives}");
        }
        let seen = seen_with("warn,chosen=debug", || {
            tracing::debug!(target: "chosen::inner", "kept: its target starts with a chosen one");
            tracing::info!(target: "other", "dropped: below the default level");
            tracing::warn!(target: "other", "kept: at the default level");
        });
        assert_eq!(seen, ["chosen::inner", "other"]);
    }

    #[test]
    fn directives_on_spans_keep_their_meaning() {
        assert!(matches!(LogFilter::parse("warn,[request{key_id=APIK1}]=debug"), Ok(LogFilter::Spans(_))));
        let seen = seen_with("warn,[request{key_id=APIK1}]=debug", || {
            tracing::info_span!("request", key_id = "APIK1").in_scope(|| tracing::debug!(target: "in_span", "kept"));
            tracing::info_span!("request", key_id = "APIK2")
                .in_scope(|| tracing::debug!(target: "other_key", "dropped"));
            tracing::debug!(target: "outside", "dropped");
        });
        assert_eq!(seen, ["in_span"]);
    }

    #[test]
    fn unreadable_directives_are_refused_with_a_reason() {
        let refused = LogFilter::parse("scalr=loud").expect_err("not a level");
        assert!(!refused.is_empty());
    }
}
