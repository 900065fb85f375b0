//! The body of `POST /indexes/{index_name}/backups`: its JSON shape, then (in 2026-07) the
//! rule for the backup's name.

use serde_json::{Map, Value};

use crate::create::{self, Rejection};

/// A request body that has the right shape and follows the version's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreateBackup {
    /// The backup's name, if one was given.
    pub(crate) name: Option<String>,
    /// The backup's description, if one was given.
    pub(crate) description: Option<String>,
}

impl CreateBackup {
    /// Reads a body: first its shape (a JSON object; `name` and `description` strings or null
    /// when present; other keys ignored), then, with `name_rule` (2026-07), the name's rule.
    /// `{}` is a backup without a name, as the API's examples show.
    ///
    /// # Errors
    ///
    /// The first problem found, shape problems before rule problems.
    pub(crate) fn from_body(body: &[u8], name_rule: bool) -> Result<CreateBackup, Rejection> {
        let shape = |e: serde_json::Error| Rejection::Shape(e.to_string());
        let object: Map<String, Value> = serde_json::from_slice(body).map_err(shape)?;
        let text = |key: &str| -> Result<Option<String>, Rejection> {
            match object.get(key) {
                Some(value) => serde_json::from_value(value.clone()).map_err(shape),
                None => Ok(None),
            }
        };
        let name = text("name")?;
        let description = text("description")?;
        if name_rule && let Some(name) = &name {
            create::check_name("backup", name).map_err(Rejection::Rule)?;
        }
        Ok(CreateBackup { name, description })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str, name_rule: bool) -> Result<CreateBackup, Rejection> {
        CreateBackup::from_body(body.as_bytes(), name_rule)
    }

    #[test]
    fn accepts_the_spec_examples_and_ignores_unknown_keys() {
        for rule in [false, true] {
            assert_eq!(
                read("{}", rule),
                Ok(CreateBackup {
                    name: None,
                    description: None
                })
            );
            let full = read(
                r#"{"name":"backup-index","description":"Backup of the index","x":1}"#,
                rule,
            )
            .unwrap();
            assert_eq!(full.name.as_deref(), Some("backup-index"));
            assert_eq!(full.description.as_deref(), Some("Backup of the index"));
            let nulls = read(r#"{"name":null,"description":null}"#, rule).unwrap();
            assert_eq!((nulls.name, nulls.description), (None, None));
        }
    }

    #[test]
    fn shape_problems_come_first_and_have_serde_messages() {
        let shape = |body: &str| match read(body, true) {
            Err(Rejection::Shape(message)) => message,
            other => panic!("{body}: expected a shape error, got {other:?}"),
        };
        assert!(shape("").starts_with("EOF while parsing"));
        assert!(shape("not json").starts_with("expected"));
        assert!(shape("[]").starts_with("invalid type: sequence"));
        assert_eq!(
            shape(r#"{"name":5}"#),
            "invalid type: integer `5`, expected a string"
        );
        assert!(shape(r#"{"name":"BAD","description":false}"#).starts_with("invalid type"));
    }

    #[test]
    fn the_name_rule_holds_only_when_asked_for() {
        for name in ["", "Upper", "a_b", "-ab", "ab-", &"a".repeat(46)] {
            let body = format!(r#"{{"name":"{name}"}}"#);
            match read(&body, true) {
                Err(Rejection::Rule(message)) => {
                    assert!(message.starts_with("Invalid backup name `"), "{message}");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert_eq!(
                read(&body, false).map(|c| c.name),
                Ok(Some(name.to_owned()))
            );
        }
        assert!(read(r#"{"name":"nightly-2026-07-01"}"#, true).is_ok());
    }
}
