//! Query string and path decoding, done by hand so that exactly what arrived is judged.

/// Percent-decodes `text`; with `plus_is_space` (form encoding, used in query strings) a `+`
/// becomes a space. `None` for a broken `%` escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hi = hex_value(bytes.next()?)?;
                let lo = hex_value(bytes.next()?)?;
                out.push(hi << 4 | lo);
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a raw query string into decoded `(key, value)` pairs, in order.
///
/// # Errors
///
/// A message for the caller when an escape is broken or a key appears twice.
pub(crate) fn parse_query(raw: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in raw.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        let bad = || format!("malformed percent-encoding in query parameter `{piece}`");
        let key = percent_decode(key, true).ok_or_else(bad)?;
        let value = percent_decode(value, true).ok_or_else(bad)?;
        if pairs.iter().any(|(k, _)| *k == key) {
            return Err(format!("query parameter `{key}` was given more than once"));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_encoding() {
        let pairs = parse_query("limit=5&paginationToken=a%2Bb%2F%3D+c&&flag").unwrap();
        assert_eq!(
            pairs,
            [
                ("limit".to_owned(), "5".to_owned()),
                ("paginationToken".to_owned(), "a+b/= c".to_owned()),
                ("flag".to_owned(), String::new()),
            ]
        );
    }

    #[test]
    fn rejects_broken_escapes_and_duplicates() {
        assert!(parse_query("limit=%4").is_err());
        assert!(parse_query("limit=%zz").is_err());
        assert!(parse_query("limit=%ff").is_err());
        assert!(parse_query("limit=1&limit=2").is_err());
    }

    #[test]
    fn path_decoding_keeps_plus() {
        assert_eq!(percent_decode("a+b%20c", false).as_deref(), Some("a+b c"));
    }
}
