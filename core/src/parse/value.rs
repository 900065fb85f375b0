//! Any JSON value, kept borrowed where it can be, and how a value is quoted in a message.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::InvalidResponseKind;
use crate::text::{self, Secrets};

use super::Scope;
use super::path::Seg;

pub(crate) enum Value<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Value<'_> {
    /// The value as shown after "found": short, escaped and scrubbed, strings in quotes.
    pub(crate) fn shown(&self, secrets: &Secrets) -> String {
        match self {
            Value::Null => "`null`".to_owned(),
            Value::Bool(b) => format!("`{b}`"),
            Value::U64(n) => format!("`{n}`"),
            Value::I64(n) => format!("`{n}`"),
            Value::F64(n) => format!("`{n:?}`"),
            Value::Str(s) => format!("`\"{}\"`", text::quote(s, secrets)),
            Value::Array => "an array".to_owned(),
            Value::Object => "an object".to_owned(),
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::U64(n) => Some(n as f64),
            Value::I64(n) => Some(n as f64),
            Value::F64(n) => Some(n),
            _ => None,
        }
    }
}

pub(crate) struct AnyValue;

impl<'de> DeserializeSeed<'de> for AnyValue {
    type Value = Value<'de>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value<'de>, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Object)
    }
}

impl Scope<'_> {
    /// Reads the value of the known key `name`, recording syntax errors under `name`.
    #[inline]
    pub(crate) fn value<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        name: &'static str,
    ) -> Result<Value<'de>, A::Error> {
        map.next_value_seed(AnyValue)
            .map_err(|e| self.record(Some(Seg::Key(Cow::Borrowed(name))), e))
    }

    /// A value of the wrong JSON type at `name`.
    pub(crate) fn wrong_type<E: de::Error>(
        &mut self,
        name: &'static str,
        expected: &str,
        v: &Value<'_>,
    ) -> E {
        self.refused(InvalidResponseKind::Malformed, name, expected, v)
    }

    /// A value of the right type that breaks a rule at `name`.
    pub(crate) fn invalid<E: de::Error>(
        &mut self,
        name: &'static str,
        expected: &str,
        v: &Value<'_>,
    ) -> E {
        self.refused(InvalidResponseKind::InvalidValue, name, expected, v)
    }

    fn refused<E: de::Error>(
        &mut self,
        kind: InvalidResponseKind,
        name: &'static str,
        expected: &str,
        v: &Value<'_>,
    ) -> E {
        let message = format!("expected {expected}, found {}", v.shown(self.secrets));
        self.broken(Some(Seg::Key(Cow::Borrowed(name))), kind, message)
    }

    /// A string at `name` that a value may not be: a secret sent back.
    #[inline]
    pub(crate) fn text<'de, E: de::Error>(
        &mut self,
        name: &'static str,
        expected: &str,
        v: Value<'de>,
    ) -> Result<Cow<'de, str>, E> {
        match v {
            Value::Str(s) if self.holds_secret(&s) => Err(self.broken(
                Some(Seg::Key(Cow::Borrowed(name))),
                InvalidResponseKind::InvalidValue,
                format!(
                    "expected {expected}, found one that holds the API key or another secret \
                     (a server must never send it back)"
                ),
            )),
            Value::Str(s) => Ok(s),
            other => Err(self.wrong_type(name, expected, &other)),
        }
    }
}
