//! The `202` answer to starting a restore: `{"restore_job_id": ..., "index_id": ...}`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, Visitor};

use crate::parse::Scope;
use crate::parse::keys::{self, Field, Keys};
use crate::parse::value::Value;
use crate::resources::restore_jobs::restore::StartedRestore;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartedField {
    RestoreJobId,
    IndexId,
}

impl Field for StartedField {
    fn from_key(key: &str) -> Option<StartedField> {
        match key {
            "restore_job_id" => Some(StartedField::RestoreJobId),
            "index_id" => Some(StartedField::IndexId),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            StartedField::RestoreJobId => "restore_job_id",
            StartedField::IndexId => "index_id",
        }
    }

    fn index(self) -> u32 {
        self as u32
    }
}

pub(super) struct StartedVisitor<'a, 's> {
    pub(super) scope: &'a mut Scope<'s>,
}

impl<'de> Visitor<'de> for StartedVisitor<'_, '_> {
    type Value = StartedRestore;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `restore_job_id` and `index_id`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StartedRestore, A::Error> {
        let scope = self.scope;
        let mut keys = Keys::<StartedField>::new();
        let mut restore_job_id = Cow::Borrowed("");
        let mut index_id = Cow::Borrowed("");
        while let Some(field) = keys.next(&mut map, scope)? {
            let name = field.name();
            let v = scope.value(&mut map, name)?;
            let text = scope.text(name, "a non-empty string", v)?;
            if text.is_empty() {
                return Err(scope.invalid(name, "a non-empty string", &Value::Str(text)));
            }
            match field {
                StartedField::RestoreJobId => restore_job_id = text,
                StartedField::IndexId => index_id = text,
            }
        }
        if let Some(field) = keys.missing(&[StartedField::RestoreJobId, StartedField::IndexId]) {
            return Err(keys::missing(scope, field));
        }
        Ok(StartedRestore {
            restore_job_id: restore_job_id.into_owned(),
            index_id: index_id.into_owned(),
            recovered: false,
        })
    }
}
