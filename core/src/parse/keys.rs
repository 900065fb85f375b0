//! An object's keys: known ones by name, unknown ones skipped, every key at most once.
//!
//! Known keys are a bit set. Unknown keys are collected and checked for duplicates once, by
//! sorting, at the end of the object: the time stays `O(n log n)` in the number of keys
//! whatever their content (a hash set with fixed keys could be flooded with collisions, and
//! a list searched key by key is quadratic).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::error::InvalidResponseKind;

use super::Scope;
use super::path::Seg;

/// The known keys of one kind of object, as an enum.
pub(crate) trait Field: Copy + 'static {
    /// The field `key` names, if any.
    fn from_key(key: &str) -> Option<Self>;
    /// The key as the API spells it.
    fn name(self) -> &'static str;
    /// The field's position, below 32.
    fn index(self) -> u32;
}

enum Key<'de, F> {
    Known(F),
    Unknown(Cow<'de, str>),
}

struct KeySeed<F>(PhantomData<F>);

impl<'de, F: Field> DeserializeSeed<'de> for KeySeed<F> {
    type Value = Key<'de, F>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key<'de, F>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F: Field> Visitor<'de> for KeySeed<F> {
    type Value = Key<'de, F>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de, F>, E> {
        Ok(match F::from_key(v) {
            Some(field) => Key::Known(field),
            None => Key::Unknown(Cow::Borrowed(v)),
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de, F>, E> {
        Ok(match F::from_key(v) {
            Some(field) => Key::Known(field),
            None => Key::Unknown(Cow::Owned(v.to_owned())),
        })
    }
}

/// Walks an object's keys, rejecting any key seen twice.
pub(crate) struct Keys<'de, F> {
    known: u32,
    unknown: Vec<Cow<'de, str>>,
    _fields: PhantomData<F>,
}

impl<'de, F: Field> Keys<'de, F> {
    pub(crate) fn new() -> Self {
        Keys {
            known: 0,
            unknown: Vec::new(),
            _fields: PhantomData,
        }
    }

    /// The next known key, or `None` at the end of the object. Unknown keys' values are
    /// skipped here.
    #[inline]
    pub(crate) fn next<A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        scope: &mut Scope<'_>,
    ) -> Result<Option<F>, A::Error> {
        loop {
            let key = map
                .next_key_seed(KeySeed::<F>(PhantomData))
                .map_err(|e| scope.record(None, e))?;
            match key {
                None => {
                    self.check_unknown(scope)?;
                    return Ok(None);
                }
                Some(Key::Known(field)) => {
                    let bit = 1u32 << field.index();
                    if self.known & bit != 0 {
                        return Err(duplicate(scope, Cow::Borrowed(field.name())));
                    }
                    self.known |= bit;
                    return Ok(Some(field));
                }
                Some(Key::Unknown(name)) => {
                    if let Err(e) = map.next_value::<IgnoredAny>() {
                        let seg = Seg::Key(Cow::Owned(scope.quote(&name)));
                        return Err(scope.record(Some(seg), e));
                    }
                    self.unknown.push(name);
                }
            }
        }
    }

    /// Rejects an unknown key that came twice.
    fn check_unknown<E: de::Error>(&mut self, scope: &mut Scope<'_>) -> Result<(), E> {
        if self.unknown.len() < 2 {
            return Ok(());
        }
        match repeated(self.unknown.iter().map(|key| &**key)) {
            Some(name) => {
                let name = scope.quote(name);
                Err(duplicate(scope, Cow::Owned(name)))
            }
            None => Ok(()),
        }
    }

    /// The first of `required` that was not seen.
    pub(crate) fn missing(&self, required: &[F]) -> Option<F> {
        required
            .iter()
            .copied()
            .find(|f| self.known & (1 << f.index()) == 0)
    }
}

/// A key that comes more than once in `keys` (the least in byte order), found by sorting, so
/// the time stays `n log n` whatever the keys.
pub(crate) fn repeated<'k>(keys: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let mut sorted: Vec<&str> = keys.collect();
    if sorted.len() < 2 {
        return None;
    }
    sorted.sort_unstable();
    sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// The error for key `name` (already quoted for display) seen a second time in an object.
pub(crate) fn duplicate<E: de::Error>(scope: &mut Scope<'_>, name: Cow<'static, str>) -> E {
    let message = format!("expected each key once, found `{name}` again");
    scope.broken(
        Some(Seg::Key(name)),
        InvalidResponseKind::Malformed,
        message,
    )
}

/// Records that `required` key `field` is missing from the object being read.
pub(crate) fn missing<E: de::Error, F: Field>(scope: &mut Scope<'_>, field: F) -> E {
    scope.broken(
        None,
        InvalidResponseKind::Malformed,
        format!("expected key `{}`, found none", field.name()),
    )
}
