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
#[derive(Debug, Default)]
pub(crate) struct ErrorBody {
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
}

/// `None` when `body` is not a JSON object.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<ErrorBody> {
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
}
