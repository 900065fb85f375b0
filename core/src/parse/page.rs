//! A listing's page: `data` (an array of any [`Element`]) and `pagination`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::error::InvalidResponseKind;
use crate::request::{MAX_TOKEN_LEN, PaginationToken, TokenProblem};

use super::Scope;
use super::keys::{self, Field, Keys};
use super::path::Seg;
use super::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageField {
    Data,
    Pagination,
}

impl Field for PageField {
    fn from_key(key: &str) -> Option<PageField> {
        match key {
            "data" => Some(PageField::Data),
            "pagination" => Some(PageField::Pagination),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PageField::Data => "data",
            PageField::Pagination => "pagination",
        }
    }

    fn index(self) -> u32 {
        self as u32
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PaginationField {
    Next,
}

impl Field for PaginationField {
    fn from_key(key: &str) -> Option<PaginationField> {
        (key == "next").then_some(PaginationField::Next)
    }

    fn name(self) -> &'static str {
        "next"
    }

    fn index(self) -> u32 {
        0
    }
}

/// What a page's `data` array holds: restore jobs, backups. The page's rules (`data`
/// required unless the listing's schema says otherwise, `pagination` optional, each key once)
/// are the same for every listing.
pub(crate) trait Element: Sized {
    /// What `data` was expected to be, for the error when it is not: "an array of backups".
    const ARRAY: &'static str;

    /// Whether the page's schema requires `data`; where it does not (`BackupList`, in every
    /// version), a page without it holds no items.
    const DATA_REQUIRED: bool = true;

    /// Reads one element of `data`.
    fn read<'de, D: de::Deserializer<'de>>(scope: &mut Scope<'_>, d: D) -> Result<Self, D::Error>;
}

/// A page of `T`s: its elements, in the order sent, and the next page's token.
pub(crate) struct PageVisitor<'a, 's, T> {
    pub(crate) scope: &'a mut Scope<'s>,
    pub(crate) element: PhantomData<T>,
    /// Whether a page without `data` is refused: by the schema's rule
    /// ([`Element::DATA_REQUIRED`]), or always when the page is evidence that something is
    /// absent ([`PageVisitor::requiring_data`]).
    data_required: bool,
}

impl<'a, 's, T: Element> PageVisitor<'a, 's, T> {
    pub(crate) fn new(scope: &'a mut Scope<'s>) -> Self {
        PageVisitor {
            scope,
            element: PhantomData,
            data_required: T::DATA_REQUIRED,
        }
    }

    /// Refuses a page without `data` whatever the schema allows: for a page read to learn
    /// that an item is *not* there (a create's lookup before it sends again), an absent key
    /// says nothing.
    pub(crate) fn requiring_data(mut self, required: bool) -> Self {
        self.data_required |= required;
        self
    }
}

impl<'de, T: Element> Visitor<'de> for PageVisitor<'_, '_, T> {
    type Value = (Vec<T>, Option<PaginationToken>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `data`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let data_required = self.data_required;
        let scope = self.scope;
        let mut keys = Keys::<PageField>::new();
        let mut items = Vec::new();
        let mut next = None;
        while let Some(field) = keys.next(&mut map, scope)? {
            let seg = || Some(Seg::Key(Cow::Borrowed(field.name())));
            match field {
                PageField::Data => {
                    items = map
                        .next_value_seed(DataSeed::<T> {
                            scope: &mut *scope,
                            element: PhantomData,
                        })
                        .map_err(|e| scope.record(seg(), e))?;
                }
                PageField::Pagination => {
                    next = map
                        .next_value_seed(PaginationSeed { scope: &mut *scope })
                        .map_err(|e| scope.record(seg(), e))?;
                }
            }
        }
        if data_required && let Some(field) = keys.missing(&[PageField::Data]) {
            return Err(keys::missing(scope, field));
        }
        Ok((items, next))
    }
}

struct DataSeed<'a, 's, T> {
    scope: &'a mut Scope<'s>,
    element: PhantomData<T>,
}

impl<'de, T: Element> DeserializeSeed<'de> for DataSeed<'_, '_, T> {
    type Value = Vec<T>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Element> Visitor<'de> for DataSeed<'_, '_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::ARRAY)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let scope = self.scope;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(16).min(128));
        loop {
            let index = items.len();
            match seq.next_element_seed(ElementSeed::<T> {
                scope: &mut *scope,
                element: PhantomData,
            }) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => return Ok(items),
                Err(e) => return Err(scope.record(Some(Seg::Index(index)), e)),
            }
        }
    }
}

struct ElementSeed<'a, 's, T> {
    scope: &'a mut Scope<'s>,
    element: PhantomData<T>,
}

impl<'de, T: Element> DeserializeSeed<'de> for ElementSeed<'_, '_, T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(self.scope, d)
    }
}

pub(crate) struct PaginationSeed<'a, 's> {
    pub(crate) scope: &'a mut Scope<'s>,
}

impl<'de> DeserializeSeed<'de> for PaginationSeed<'_, '_> {
    type Value = Option<PaginationToken>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<Option<PaginationToken>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PaginationSeed<'_, '_> {
    type Value = Option<PaginationToken>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<PaginationToken>, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<PaginationToken>, A::Error> {
        let scope = self.scope;
        let mut keys = Keys::<PaginationField>::new();
        let mut next = None;
        while let Some(field) = keys.next(&mut map, scope)? {
            let name = field.name();
            next = match scope.value(&mut map, name)? {
                Value::Null => None,
                Value::Str(s) => match PaginationToken::rule(&s) {
                    // an empty `next` is the last page
                    Err(TokenProblem::Empty) => None,
                    Err(TokenProblem::TooLong(len)) => {
                        let message = format!(
                            "expected a token of at most {MAX_TOKEN_LEN} bytes, found one of \
                             {len} bytes"
                        );
                        return Err(scope.broken(
                            Some(Seg::Key(Cow::Borrowed(name))),
                            InvalidResponseKind::InvalidValue,
                            message,
                        ));
                    }
                    Ok(()) => {
                        let token = scope.text(name, "a pagination token", Value::Str(s))?;
                        Some(PaginationToken::from_checked(token.into_owned()))
                    }
                },
                other => return Err(scope.wrong_type(name, "a string or null", &other)),
            };
        }
        Ok(next)
    }
}
