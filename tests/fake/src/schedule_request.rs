//! The bodies of `POST /indexes/{index_name}/backup-schedules` (a new schedule) and
//! `PATCH /backup-schedules/{schedule_id}` (a change): their JSON shape, then the API's rules.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::create::{Rejection, quoted};
use crate::schedule::Frequency;

/// The longest retention the fake accepts, in days (the API's maximum is "service-configured";
/// this is the fake's choice).
pub(crate) const MAX_RETENTION_DAYS: i64 = 3650;

/// A new schedule's body that has the right shape and follows the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreateSchedule {
    pub(crate) name: String,
    pub(crate) frequency: Frequency,
    pub(crate) retention_days: u32,
}

/// A change's body that has the right shape and follows the rules; `None` leaves the field
/// as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UpdateSchedule {
    pub(crate) enabled: Option<bool>,
    pub(crate) frequency: Option<Frequency>,
    pub(crate) retention_days: Option<u32>,
}

impl CreateSchedule {
    /// Reads a body `{"name": "...", "schedule": {"type": "time-based", "frequency": "..."},
    /// "retention": {"expire_after_days": N}}` (other keys ignored): first its shape (every
    /// field required), then the rules.
    ///
    /// # Errors
    ///
    /// The first problem found, shape problems before rule problems.
    pub(crate) fn from_body(body: &[u8]) -> Result<CreateSchedule, Rejection> {
        let object = object(body)?;
        let name: String = typed(field(&object, "name")?)?;
        let schedule: Map<String, Value> = typed(field(&object, "schedule")?)?;
        let kind: String = typed(field(&schedule, "type")?)?;
        let frequency: String = typed(field(&schedule, "frequency")?)?;
        let retention: Map<String, Value> = typed(field(&object, "retention")?)?;
        let days: i64 = typed(field(&retention, "expire_after_days")?)?;

        if kind != "time-based" {
            return Err(Rejection::Rule(format!(
                "Invalid schedule type {}: only `time-based` schedules are supported.",
                quoted(&kind)
            )));
        }
        Ok(CreateSchedule {
            name,
            frequency: check_frequency(&frequency)?,
            retention_days: check_retention(days)?,
        })
    }
}

impl UpdateSchedule {
    /// Reads a body `{"enabled": bool, "frequency": "...", "retention": {"expire_after_days":
    /// N}}`, every field optional (null is the same as absent; other keys ignored): first its
    /// shape, then the rules.
    ///
    /// # Errors
    ///
    /// The first problem found, shape problems before rule problems.
    pub(crate) fn from_body(body: &[u8]) -> Result<UpdateSchedule, Rejection> {
        let object = object(body)?;
        let absent = &Value::Null;
        let enabled: Option<bool> = typed(object.get("enabled").unwrap_or(absent))?;
        let frequency: Option<String> = typed(object.get("frequency").unwrap_or(absent))?;
        let retention: Option<Map<String, Value>> =
            typed(object.get("retention").unwrap_or(absent))?;
        let days: Option<i64> = match &retention {
            Some(retention) => Some(typed(field(retention, "expire_after_days")?)?),
            None => None,
        };
        Ok(UpdateSchedule {
            enabled,
            frequency: frequency.as_deref().map(check_frequency).transpose()?,
            retention_days: days.map(check_retention).transpose()?,
        })
    }
}

fn shape(e: serde_json::Error) -> Rejection {
    Rejection::Shape(e.to_string())
}

/// The body as a JSON object.
fn object(body: &[u8]) -> Result<Map<String, Value>, Rejection> {
    serde_json::from_slice(body).map_err(shape)
}

/// The value of `key`, which must be there.
fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Result<&'a Value, Rejection> {
    object
        .get(key)
        .ok_or_else(|| Rejection::Shape(format!("missing field `{key}`")))
}

/// `value` as a `T`, with serde's message when it is not one.
fn typed<T: DeserializeOwned>(value: &Value) -> Result<T, Rejection> {
    T::deserialize(value).map_err(shape)
}

fn check_frequency(text: &str) -> Result<Frequency, Rejection> {
    Frequency::from_name(text).ok_or_else(|| {
        Rejection::Rule(format!(
            "Invalid frequency {}: expected `daily`, `weekly` or `monthly`.",
            quoted(text)
        ))
    })
}

fn check_retention(days: i64) -> Result<u32, Rejection> {
    match u32::try_from(days) {
        Ok(days) if (1..=MAX_RETENTION_DAYS).contains(&i64::from(days)) => Ok(days),
        _ => Err(Rejection::Rule(format!(
            "Invalid retention: expire_after_days must be between 1 and {MAX_RETENTION_DAYS}, \
             found {days}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"name":"daily-compliance-backup","retention":{"expire_after_days":90},
        "schedule":{"frequency":"daily","type":"time-based"}}"#;

    fn create(body: &str) -> Result<CreateSchedule, Rejection> {
        CreateSchedule::from_body(body.as_bytes())
    }

    fn update(body: &str) -> Result<UpdateSchedule, Rejection> {
        UpdateSchedule::from_body(body.as_bytes())
    }

    #[test]
    fn the_spec_examples_are_read() {
        assert_eq!(
            create(GOOD),
            Ok(CreateSchedule {
                name: "daily-compliance-backup".to_owned(),
                frequency: Frequency::Daily,
                retention_days: 90,
            })
        );
        assert_eq!(
            update(
                r#"{"enabled":false,"frequency":"weekly","retention":{"expire_after_days":30}}"#
            ),
            Ok(UpdateSchedule {
                enabled: Some(false),
                frequency: Some(Frequency::Weekly),
                retention_days: Some(30),
            })
        );
        let nothing = UpdateSchedule {
            enabled: None,
            frequency: None,
            retention_days: None,
        };
        assert_eq!(update("{}"), Ok(nothing.clone()));
        assert_eq!(update(r#"{"enabled":null,"x":1}"#), Ok(nothing));
    }

    #[test]
    fn shape_problems_come_first() {
        fn shape<T: std::fmt::Debug>(r: Result<T, Rejection>) -> String {
            match r {
                Err(Rejection::Shape(message)) => message,
                other => panic!("expected a shape error, got {other:?}"),
            }
        }
        assert_eq!(shape(create("{}")), "missing field `name`");
        assert_eq!(
            shape(create(
                r#"{"name":"n","schedule":{"type":"time-based"},"retention":{}}"#
            )),
            "missing field `frequency`"
        );
        assert_eq!(
            shape(create(
                r#"{"name":"n","schedule":{"type":"x","frequency":"hourly"},"retention":{}}"#
            )),
            "missing field `expire_after_days`"
        );
        assert!(shape(create(&GOOD.replace("90", "\"90\""))).starts_with("invalid type: string"));
        assert!(shape(create(&GOOD.replace("90", "1.5"))).starts_with("invalid type: floating"));
        assert!(shape(create("[]")).starts_with("invalid type: sequence"));
        assert!(shape(update("")).starts_with("EOF while parsing"));
        assert!(shape(update(r#"{"enabled":"yes"}"#)).starts_with("invalid type: string"));
        assert_eq!(
            shape(update(r#"{"retention":{}}"#)),
            "missing field `expire_after_days`"
        );
    }

    #[test]
    fn rules_name_what_is_wrong() {
        fn rule<T: std::fmt::Debug>(r: Result<T, Rejection>) -> String {
            match r {
                Err(Rejection::Rule(message)) => message,
                other => panic!("expected a rule error, got {other:?}"),
            }
        }
        assert_eq!(
            rule(create(&GOOD.replace("time-based", "event-based"))),
            "Invalid schedule type `event-based`: only `time-based` schedules are supported."
        );
        assert_eq!(
            rule(create(&GOOD.replace("daily\"", "hourly\""))),
            "Invalid frequency `hourly`: expected `daily`, `weekly` or `monthly`."
        );
        for days in ["0", "-1", "3651", "99999999999"] {
            let message = rule(create(&GOOD.replace("90", days)));
            assert!(message.ends_with(&format!("found {days}.")), "{message}");
        }
        assert!(create(&GOOD.replace("90", "3650")).is_ok());
        assert!(rule(update(r#"{"frequency":"yearly"}"#)).contains("`yearly`"));
        assert!(rule(update(r#"{"retention":{"expire_after_days":0}}"#)).contains("found 0"));
    }
}
