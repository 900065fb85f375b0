//! What an error body says, read leniently: a body that is not the API's error shape is not
//! an error in itself, it is shown as a snippet instead.
//!
//! Shapes taken: `{"error": {"code", "message", "details"}, "status"}` (the API's),
//! `{"error": "text"}` and `{"message": "text"}` (gateways). Other keys are skipped without
//! being kept, so a large body costs time linear in its size and no memory beyond `details`.

use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

/// The parts of a JSON error body; strings exactly as sent (not yet made safe to show).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ErrorBody {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
}

/// Bodies above this size are first cut down to the members read (`scan::error_members`);
/// smaller ones are read whole at once, which costs less than scanning them twice.
const CUT_DOWN_FROM: usize = 4096;

/// `None` when `body` is not a JSON object.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
    if body.len() >= CUT_DOWN_FROM
        && let Some(kept) = std::str::from_utf8(body)
            .ok()
            .and_then(super::scan::error_members)
    {
        return reference(kept.as_bytes());
    }
    reference(body)
}

/// The error body's reading by `serde_json`: the oracle, and the reading of small bodies.
pub(crate) fn reference(body: &[u8]) -> Option<ErrorBody> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed = de.deserialize_map(Outer).ok()?;
    de.end().ok()?;
    Some(parsed)
}

struct Outer;

impl<'de> Visitor<'de> for Outer {
    type Value = ErrorBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorBody, A::Error> {
        let mut body = ErrorBody::default();
        let mut top_message = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Error => match map.next_value::<ErrorField>()? {
                    ErrorField::Object(inner) => body = inner,
                    ErrorField::Text(text) => body.message = Some(text),
                    ErrorField::Other => {}
                },
                Key::Message => {
                    if let TextOrOther::Text(text) = map.next_value::<TextOrOther>()? {
                        top_message = Some(text);
                    }
                }
                Key::Code | Key::Details | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if body.message.is_none() && body.code.is_none() {
            body.message = top_message;
        }
        Ok(body)
    }
}

enum Key {
    Error,
    Code,
    Message,
    Details,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "error" => Key::Error,
                    "code" => Key::Code,
                    "message" => Key::Message,
                    "details" => Key::Details,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A string, or anything else (skipped).
enum TextOrOther {
    Text(String),
    Other,
}

impl<'de> de::Deserialize<'de> for TextOrOther {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<TextOrOther, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

macro_rules! skip_scalar {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, _: $ty) -> Result<TextOrOther, E> {
            Ok(TextOrOther::Other)
        }
    )*};
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextOrOther;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<TextOrOther, E> {
        Ok(TextOrOther::Text(v.to_owned()))
    }
    skip_scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64);
    fn visit_unit<E: de::Error>(self) -> Result<TextOrOther, E> {
        Ok(TextOrOther::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<TextOrOther, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TextOrOther::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TextOrOther, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(TextOrOther::Other)
    }
}

/// The value of `error`: the API's object, a bare string, or anything else.
enum ErrorField {
    Object(ErrorBody),
    Text(String),
    Other,
}

impl<'de> de::Deserialize<'de> for ErrorField {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<ErrorField, D::Error> {
        d.deserialize_any(ErrorFieldVisitor)
    }
}

struct ErrorFieldVisitor;

impl<'de> Visitor<'de> for ErrorFieldVisitor {
    type Value = ErrorField;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error object or text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ErrorField, E> {
        Ok(ErrorField::Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ErrorField, E> {
        Ok(ErrorField::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ErrorField, E> {
        Ok(ErrorField::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ErrorField, E> {
        Ok(ErrorField::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ErrorField, E> {
        Ok(ErrorField::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<ErrorField, E> {
        Ok(ErrorField::Other)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ErrorField, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ErrorField::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorField, A::Error> {
        let mut body = ErrorBody::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Code => {
                    if let TextOrOther::Text(t) = map.next_value::<TextOrOther>()? {
                        body.code = Some(t);
                    }
                }
                Key::Message => {
                    if let TextOrOther::Text(t) = map.next_value::<TextOrOther>()? {
                        body.message = Some(t);
                    }
                }
                Key::Details => {
                    let details = map.next_value::<serde_json::Value>()?;
                    body.details = Some(details).filter(|d| !d.is_null());
                }
                Key::Error | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(ErrorField::Object(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let b = parse_error_body(
            br#"{"error":{"code":"NOT_FOUND","message":"m","details":{"a":1}},"status":404}"#,
        )
        .unwrap();
        assert_eq!(b.code.as_deref(), Some("NOT_FOUND"));
        assert_eq!(b.message.as_deref(), Some("m"));
        assert_eq!(b.details, Some(serde_json::json!({"a": 1})));
        let b = parse_error_body(br#"{"error":"bad token"}"#).unwrap();
        assert_eq!(b.message.as_deref(), Some("bad token"));
        let b = parse_error_body(br#"{"message":"plain","x":[1,{"y":2}]}"#).unwrap();
        assert_eq!(b.message.as_deref(), Some("plain"));
        let b = parse_error_body(br#"{"error":{"code":5,"message":null}}"#).unwrap();
        assert!(b.code.is_none() && b.message.is_none());
        assert!(parse_error_body(b"[1,2]").is_none());
        assert!(parse_error_body(b"<html>").is_none());
        assert!(parse_error_body(br#"{"a":1} x"#).is_none());
    }
    /// The cut-down body reads as the whole one, for every form of member the reading keeps,
    /// skips, or must refuse.
    #[test]
    fn a_cut_down_body_reads_as_the_whole_body() {
        let members = [
            r#""error":{"code":"NOT_FOUND","message":"m","details":{"a":[1,2]}}"#,
            r#""error":"bad token""#,
            r#""error":{"code":5,"message":null,"error":1,"x":{}}"#,
            r#""error":[1,{"a":"b"}]"#,
            r#""error":null"#,
            r#""message":"plain""#,
            r#""message":7"#,
            r#""message":"esc\"aped \u00e9 \ud83d\ude00""#,
            r#""code":"TOP""#,
            r#""details":{"d":1}"#,
            r#""status":503"#,
            r#""u000001":-1.5e+3"#,
            r#""deep":[[[[{"a":[[{}]]}]]]]"#,
            r#""s":"\n\t\\\/""#,
            r#""b":true"#,
            r#""n":false"#,
            r#""\u0065rror":"escaped key""#,
            r#""":0"#,
            "\"ws\" :\t[ 1 , 2 ]\n",
        ];
        let bad = [
            r#""x":[1,]"#,
            r#""x":01"#,
            r#""x":"\q""#,
            r#""x":[}"#,
            r#""x":tru"#,
            "\"x\":\"a\u{1}\"",
            r#""error":{"a":1,}"#,
            r#""message":-"#,
        ];
        let mut bodies = vec![
            "{}".to_owned(),
            " { } ".to_owned(),
            "[]".to_owned(),
            "{} x".to_owned(),
            "{,}".to_owned(),
            r#"{"a":1"#.to_owned(),
            "\"error\"".to_owned(),
        ];
        // pairs and triples of members in order, bad members among them
        for a in members.iter().chain(&bad) {
            for b in &members {
                bodies.push(format!("{{{a},{b}}}"));
                for c in members.iter().chain(&bad).step_by(3) {
                    bodies.push(format!("{{ {b} , {a} ,{c}}}"));
                }
            }
        }
        let mut cut = 0;
        for body in &bodies {
            let whole = reference(body.as_bytes());
            if let Some(kept) = super::super::scan::error_members(body) {
                cut += 1;
                assert_eq!(reference(kept.as_bytes()), whole, "{body}\n{kept}");
                assert!(
                    whole.is_some(),
                    "a cut-down body that does not read: {body}"
                );
            }
            assert_eq!(parse_error_body(body.as_bytes()), whole, "{body}");
        }
        // most bodies are cut down; those with the escaped key or a bad member are read whole
        assert!(cut > bodies.len() / 3, "{cut} of {}", bodies.len());
    }

    #[test]
    fn a_large_body_of_unknown_keys_reads_as_a_small_one() {
        let mut body = String::from(r#"{"error":{"code":"UNAVAILABLE","message":"busy"}"#);
        for i in 0..1000 {
            body.push_str(&format!(",\"u{i:06}\":[{i},\"x\"]"));
        }
        body.push_str(r#","message":"top"}"#);
        assert!(body.len() >= CUT_DOWN_FROM);
        let read = parse_error_body(body.as_bytes()).unwrap();
        assert_eq!(read, reference(body.as_bytes()).unwrap());
        assert_eq!(read.message.as_deref(), Some("busy"));
        assert_eq!(read.code.as_deref(), Some("UNAVAILABLE"));
        // a bad value far from the members read still makes the body unreadable
        let broken = body.replacen("[999,", "[999,,", 1);
        assert_eq!(parse_error_body(broken.as_bytes()), None);
    }
}
