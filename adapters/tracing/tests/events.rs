//! Through an adapter's `tracing` feature (here the blocking one's), core's events reach a
//! subscriber with their fields, inside one span per operation; the key is in none of them.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use pinecone_restore_fake::{FakeControlPlane, Fault};
use pinecone_restore_ureq::prelude::*;
use pinecone_restore_ureq::{ApiKey, Client, Limit};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const KEY: &str = "pcsk_canary_key_for_tracing_0451";

/// One event: its level, target, fields as text, and the span it happened in.
#[derive(Debug, Clone)]
struct Seen {
    level: tracing::Level,
    target: String,
    fields: Vec<(String, String)>,
    span: Option<u64>,
}

impl Seen {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A span's name and fields.
type SeenSpan = (String, Vec<(String, String)>);

#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

/// A subscriber that keeps every event and span, and which span is entered.
#[derive(Default, Clone)]
struct Capture {
    events: Arc<Mutex<Vec<Seen>>>,
    spans: Arc<Mutex<Vec<SeenSpan>>>,
    current: Arc<Mutex<Vec<u64>>>,
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), fields.0));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.events.lock().unwrap().push(Seen {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields: fields.0,
            span: self.current.lock().unwrap().last().copied(),
        });
    }
    fn enter(&self, span: &Id) {
        self.current.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, _: &Id) {
        self.current.lock().unwrap().pop();
    }
}

#[test]
fn a_retried_page_is_two_events_with_their_fields_in_one_span() {
    let server = FakeControlPlane::builder()
        .jobs(3)
        .api_key(Some(KEY))
        .start()
        .expect("fake starts");
    server.inject(Fault::TooManyRequests {
        retry_after: "0".to_owned(),
    });
    let client = Client::builder(ApiKey::new(KEY).unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        client
            .list_page(Some(Limit::new(2).unwrap()), None)
            .unwrap();
    });
    let events = capture.events.lock().unwrap().clone();
    let spans = capture.spans.lock().unwrap().clone();
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0].0, "pinecone_restore");
    assert_eq!(spans[0].1, [("op".to_owned(), "list_page".to_owned())]);
    assert_eq!(events.len(), 2, "{events:?}");
    for event in &events {
        assert_eq!(event.target, "pinecone_restore");
        assert_eq!(
            event.span,
            Some(1),
            "inside the operation's span: {event:?}"
        );
        assert_eq!(event.get("method"), Some("GET"));
        assert_eq!(event.get("path"), Some("/restore-jobs"));
        assert_eq!(event.get("query"), Some("limit=2"));
        assert!(event.get("elapsed_ms").is_some(), "{event:?}");
        for (name, value) in &event.fields {
            assert!(!value.contains(KEY), "the key in field {name}: {event:?}");
        }
    }
    let (retry, done) = (&events[0], &events[1]);
    assert_eq!(retry.level, tracing::Level::INFO);
    assert_eq!(retry.get("attempt"), Some("1"));
    assert_eq!(retry.get("status"), Some("429"));
    assert_eq!(retry.get("next"), Some("retry"));
    assert_eq!(retry.get("reason"), Some("retry_after"));
    assert_eq!(retry.get("delay_ms"), Some("100"));
    assert_eq!(done.level, tracing::Level::DEBUG);
    assert_eq!(done.get("attempt"), Some("2"));
    assert_eq!(done.get("status"), Some("200"));
    assert_eq!(done.get("next"), Some("final"));
    assert_eq!(done.get("delay_ms"), None);
}

#[test]
fn a_walk_reports_each_page_with_its_counts() {
    let server = FakeControlPlane::builder()
        .jobs(5)
        .page_overlap(1)
        .start()
        .expect("fake starts");
    let client = Client::builder(ApiKey::new(KEY).unwrap())
        .base_url(server.base_url())
        .build()
        .unwrap();
    let capture = Capture::default();
    let jobs = tracing::subscriber::with_default(capture.clone(), || {
        client
            .list_all(Some(Limit::new(2).unwrap()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    });
    assert_eq!(jobs.len(), 5);
    let spans = capture.spans.lock().unwrap().clone();
    assert_eq!(
        spans,
        [(
            "pinecone_restore".to_owned(),
            vec![("op".to_owned(), "list_all".to_owned())]
        )],
        "one span for the whole walk"
    );
    let events = capture.events.lock().unwrap().clone();
    assert!(
        events.iter().all(|e| e.span == Some(1)),
        "every page inside the walk's span: {events:?}"
    );
    let pages: Vec<&Seen> = events.iter().filter(|e| e.get("page").is_some()).collect();
    assert!(pages.len() >= 3, "{events:?}");
    assert_eq!(pages[0].get("page"), Some("1"));
    assert_eq!(pages[0].get("items"), Some("2"));
    assert_eq!(pages[0].get("duplicates"), Some("0"));
    assert!(pages[0].get("next_token").is_some(), "{:?}", pages[0]);
    assert_eq!(pages[1].get("duplicates"), Some("1"));
    assert_eq!(pages[1].level, tracing::Level::INFO, "a skip is notable");
    assert_eq!(pages.last().and_then(|p| p.get("next_token")), None);
}
