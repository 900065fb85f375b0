//! The body of `POST /backups/{backup_id}/create-index`: its JSON shape, then the API's rules.

use serde_json::{Map, Value};

/// At most this many bytes of body are accepted (larger gets 413).
pub(crate) const MAX_BODY: usize = 1 << 20;

/// A request body that has the right shape and follows the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreateIndex {
    /// The name of the index to create.
    pub(crate) name: String,
}

/// Why a body was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Not of the request's JSON shape (422), with serde's message.
    Shape(String),
    /// The right shape, but a value breaks a rule (400), with a message naming the rule.
    Rule(String),
}

impl CreateIndex {
    /// Reads a body: first its shape (a JSON object with a string `name`, `tags` an object of
    /// strings or null, `deletion_protection` a string or null; other keys ignored), then the
    /// rules on each value.
    ///
    /// # Errors
    ///
    /// The first problem found, shape problems before rule problems.
    pub(crate) fn from_body(body: &[u8]) -> Result<CreateIndex, Rejection> {
        let shape = |e: serde_json::Error| Rejection::Shape(e.to_string());
        let object: Map<String, Value> = serde_json::from_slice(body).map_err(shape)?;
        let name: String = match object.get("name") {
            Some(value) => serde_json::from_value(value.clone()).map_err(shape)?,
            None => return Err(Rejection::Shape("missing field `name`".to_owned())),
        };
        let tags: Option<Map<String, Value>> = match object.get("tags") {
            Some(value) => serde_json::from_value(value.clone()).map_err(shape)?,
            None => None,
        };
        let mut tag_pairs = Vec::new();
        for (key, value) in tags.iter().flatten() {
            let value: String = serde_json::from_value(value.clone()).map_err(shape)?;
            tag_pairs.push((key, value));
        }
        let deletion_protection: Option<String> = match object.get("deletion_protection") {
            Some(value) => serde_json::from_value(value.clone()).map_err(shape)?,
            None => None,
        };

        check_name("index", &name).map_err(Rejection::Rule)?;
        for (key, value) in &tag_pairs {
            check_tag(key, value).map_err(Rejection::Rule)?;
        }
        if let Some(protection) = deletion_protection
            && protection != "enabled"
            && protection != "disabled"
        {
            return Err(Rejection::Rule(format!(
                "Invalid deletion_protection {}: expected `enabled` or `disabled`.",
                quoted(&protection)
            )));
        }
        Ok(CreateIndex { name })
    }
}

/// The rule for the name of an index (and, in 2026-07, of a backup: `kind` says which): 1 to
/// 45 lowercase ASCII alphanumerics or `-`, starting and ending alphanumeric.
///
/// # Errors
///
/// The message of the 400, naming the rule broken.
pub(crate) fn check_name(kind: &str, name: &str) -> Result<(), String> {
    let invalid = |rule: &str| format!("Invalid {kind} name {}: {rule}.", quoted(name));
    let length = name.chars().count();
    if !(1..=45).contains(&length) {
        return Err(invalid(&format!(
            "the name must be 1 to 45 characters long, found {length}"
        )));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(invalid(
            "the name must consist only of lowercase alphanumeric characters or '-'",
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(invalid(
            "the name must start and end with an alphanumeric character",
        ));
    }
    Ok(())
}

/// Keys: 1 to 80 ASCII alphanumerics, `_` or `-`. Values: at most 120 ASCII alphanumerics or
/// `;@_-.+` or space (empty is allowed: it unsets the key).
fn check_tag(key: &str, value: &str) -> Result<(), String> {
    let bad_key = |rule: &str| format!("Invalid tag key {}: {rule}.", quoted(key));
    let key_length = key.chars().count();
    if !(1..=80).contains(&key_length) {
        return Err(bad_key(&format!(
            "keys must be 1 to 80 characters long, found {key_length}"
        )));
    }
    if !key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(bad_key(
            "keys must consist only of alphanumeric characters, '_' or '-'",
        ));
    }
    let bad_value = |rule: &str| {
        format!(
            "Invalid value {} for tag key {}: {rule}.",
            quoted(value),
            quoted(key)
        )
    };
    let value_length = value.chars().count();
    if value_length > 120 {
        return Err(bad_value(&format!(
            "values must be 120 characters or less, found {value_length}"
        )));
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b";@_-.+ ".contains(&b))
    {
        return Err(bad_value(
            "values must consist only of alphanumeric characters, ';', '@', '_', '-', '.', '+' \
             or ' '",
        ));
    }
    Ok(())
}

/// `text` in backticks, cut to 64 characters so that a huge value does not make a huge message.
pub(crate) fn quoted(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("`{}`...", text.get(..cut).unwrap_or_default()),
        None => format!("`{text}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Result<String, Rejection> {
        CreateIndex::from_body(body.as_bytes()).map(|c| c.name)
    }

    fn shape(body: &str) -> String {
        match read(body) {
            Err(Rejection::Shape(message)) => message,
            other => panic!("{body}: expected a shape error, got {other:?}"),
        }
    }

    fn rule(body: &str) -> String {
        match read(body) {
            Err(Rejection::Rule(message)) => message,
            other => panic!("{body}: expected a rule error, got {other:?}"),
        }
    }

    #[test]
    fn accepts_the_spec_examples_and_ignores_unknown_keys() {
        assert_eq!(
            read(r#"{"name":"restored-index"}"#),
            Ok("restored-index".into())
        );
        let full = r#"{"name":"a1","tags":{"team":"search","empty":"","x_y-z":"a;b@c_d-e.f+g h"},
            "deletion_protection":"enabled","read_capacity":{"mode":"Dedicated"}}"#;
        assert_eq!(read(full), Ok("a1".into()));
        let nulls = r#"{"name":"a","tags":null,"deletion_protection":null}"#;
        assert_eq!(read(nulls), Ok("a".into()));
        assert_eq!(
            read(&format!(r#"{{"name":"{}"}}"#, "a".repeat(45))),
            Ok("a".repeat(45))
        );
    }

    #[test]
    fn shape_problems_have_serde_messages() {
        assert_eq!(shape("{}"), "missing field `name`");
        assert!(shape("").starts_with("EOF while parsing"));
        assert!(shape("not json").starts_with("expected"));
        assert!(shape("[1]").starts_with("invalid type: sequence"));
        assert!(shape(r#"{"name":"a"} x"#).starts_with("trailing characters"));
        assert_eq!(
            shape(r#"{"name":5}"#),
            "invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            shape(r#"{"name":null}"#),
            "invalid type: null, expected a string"
        );
        assert!(shape(r#"{"name":"a","tags":["x"]}"#).starts_with("invalid type: sequence"));
        assert_eq!(
            shape(r#"{"name":"a","tags":{"k":1}}"#),
            "invalid type: integer `1`, expected a string"
        );
        assert!(shape(r#"{"name":"a","deletion_protection":true}"#).starts_with("invalid type"));
        // shape comes before rules
        assert!(shape(r#"{"name":"BAD","tags":{"k":1}}"#).starts_with("invalid type"));
    }

    #[test]
    fn rules_name_what_is_wrong() {
        assert!(rule(r#"{"name":""}"#).contains("1 to 45 characters long, found 0"));
        let long = format!(r#"{{"name":"{}"}}"#, "a".repeat(46));
        assert!(rule(&long).contains("found 46"));
        assert!(rule(r#"{"name":"Upper"}"#).contains("lowercase alphanumeric"));
        assert!(rule(r#"{"name":"a_b"}"#).contains("lowercase alphanumeric"));
        assert!(rule(r#"{"name":"é"}"#).contains("lowercase alphanumeric"));
        assert!(rule(r#"{"name":"-ab"}"#).contains("start and end"));
        assert!(rule(r#"{"name":"ab-"}"#).contains("start and end"));
        assert!(rule(r#"{"name":"a","tags":{"":"v"}}"#).contains("keys must be 1 to 80"));
        let key = "k".repeat(81);
        assert!(rule(&format!(r#"{{"name":"a","tags":{{"{key}":"v"}}}}"#)).contains("found 81"));
        assert!(rule(r#"{"name":"a","tags":{"a.b":"v"}}"#).contains("keys must consist"));
        let value = "v".repeat(121);
        let message = rule(&format!(r#"{{"name":"a","tags":{{"k":"{value}"}}}}"#));
        assert!(
            message.contains("120 characters or less, found 121"),
            "{message}"
        );
        assert!(
            message.contains("`...") && message.len() < 250,
            "values are cut: {message}"
        );
        assert!(rule(r#"{"name":"a","tags":{"k":"a/b"}}"#).contains("values must consist"));
        assert_eq!(
            rule(r#"{"name":"a","deletion_protection":"on"}"#),
            "Invalid deletion_protection `on`: expected `enabled` or `disabled`."
        );
        assert_eq!(
            rule(r#"{"name":"a_b"}"#),
            "Invalid index name `a_b`: the name must consist only of lowercase alphanumeric \
             characters or '-'."
        );
    }
}
