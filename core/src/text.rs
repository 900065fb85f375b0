//! The one way text from a server or a user reaches a person.
//!
//! Every error message, note and table cell that shows such text builds it here, so one rule
//! holds everywhere:
//!
//! 1. secrets are scrubbed first: the API key (and credential-like header values, see
//!    [`Secrets`]) and the user-info part of any URL (`https://user:pass@host`) become
//!    `<redacted>`;
//! 2. control characters and Unicode format characters (bidi overrides and isolates such as
//!    U+202E and U+2066..U+2069, zero-width characters, line and paragraph separators) are
//!    shown escaped, `\u{202e}`, so a hostile server can neither move the cursor nor reorder
//!    what a terminal shows;
//! 3. the length is bounded, a cut marked with `…`.
//!
//! Scrubbing comes before the cut, so a secret that would straddle the cut is never half shown.
//!
//! ```
//! use pinecone_restore_core::text::{self, Secrets};
//!
//! let secrets = Secrets::of(["pcsk_0123456789abcdef"]);
//! let shown = text::shown("key pcsk_0123456789abcdef \u{202e}txt.exe", 64, &secrets);
//! assert_eq!(shown, r"key <redacted> \u{202e}txt.exe");
//! assert_eq!(text::shown("https://user:pw@example.com/x", 64, &Secrets::none()),
//!            "https://<redacted>@example.com/x");
//! ```

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// What a scrubbed secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// The shortest secret that is scrubbed. A shorter value cannot be told apart from ordinary
/// text (scrubbing a two-letter key would mangle every message); a real Pinecone key is far
/// longer.
pub const MIN_SECRET_LEN: usize = 8;

/// The most characters of server text (a key, a token, a value) quoted inside a message.
pub const QUOTE_CHARS: usize = 64;

/// The most characters of a whole message built from server text.
pub const MESSAGE_CHARS: usize = 1000;

/// The most characters of one table cell.
pub const CELL_CHARS: usize = 256;

/// The values that must never be shown, in every form they can take in a message.
///
/// Built by [`Config`](crate::Config) from the API key and from the values of extra headers
/// whose names look like credentials (`authorization`, or containing `auth`, `token`, `key`,
/// `secret`, `password`, `cookie` or `session`). Values shorter than [`MIN_SECRET_LEN`] are not
/// kept. `Debug` shows how many there are, never what they are.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    /// Each secret as sent and, where it differs, as `{:?}` quoting (serde's error messages,
    /// JSON text) writes it.
    forms: Vec<Box<str>>,
}

impl Secrets {
    /// No secrets: text is still escaped, bounded and stripped of URL user-info.
    pub fn none() -> Secrets {
        Secrets::default()
    }

    /// The given values as secrets (those shorter than [`MIN_SECRET_LEN`] are left out).
    pub fn of<'a>(values: impl IntoIterator<Item = &'a str>) -> Secrets {
        let mut forms: Vec<Box<str>> = Vec::new();
        for value in values {
            if value.len() < MIN_SECRET_LEN {
                continue;
            }
            let debug = format!("{value:?}");
            // `{:?}` of a `str` is the text between two quotes
            let quoted = debug.get(1..debug.len().saturating_sub(1)).unwrap_or(value);
            for form in [value, quoted] {
                if !forms.iter().any(|f| &**f == form) {
                    forms.push(form.into());
                }
            }
        }
        Secrets { forms }
    }

    /// `true` when there is no secret to scrub.
    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// `true` when `text` holds a secret, in any of its forms.
    pub fn found_in(&self, text: &str) -> bool {
        self.forms.iter().any(|form| text.contains(&**form))
    }

    /// `text` with every secret replaced by [`REDACTED`].
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for form in &self.forms {
            if out.contains(&**form) {
                out = Cow::Owned(out.replace(&**form, REDACTED));
            }
        }
        out
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets({} forms, redacted)", self.forms.len())
    }
}

/// `text` as it may be shown to a person: secrets and URL user-info scrubbed, control and
/// format characters escaped, at most `max_chars` characters (a cut marked with `…`).
pub fn shown(text: &str, max_chars: usize, secrets: &Secrets) -> String {
    Shown::new(text, max_chars, secrets).to_string()
}

/// A short quote of server text for inside a message: [`shown`] with [`QUOTE_CHARS`].
pub fn quote(text: &str, secrets: &Secrets) -> String {
    shown(text, QUOTE_CHARS, secrets)
}

/// [`shown`] as a `Display` value, for writing into a table or a line without an extra
/// allocation when the text needs no change.
///
/// ```
/// use pinecone_restore_core::text::{Secrets, Shown};
///
/// assert_eq!(Shown::new("a\u{1b}[2Jb", 100, &Secrets::none()).to_string(), r"a\u{1b}[2Jb");
/// assert_eq!(Shown::new("abcdef", 3, &Secrets::none()).to_string(), "abc…");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    text: &'a str,
    max_chars: usize,
    secrets: &'a Secrets,
}

impl<'a> Shown<'a> {
    /// `text`, to be shown in at most `max_chars` characters with `secrets` scrubbed.
    pub fn new(text: &'a str, max_chars: usize, secrets: &'a Secrets) -> Shown<'a> {
        Shown {
            text,
            max_chars,
            secrets,
        }
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scrubbed = self.secrets.scrub(self.text);
        let scrubbed = scrub_user_info(&scrubbed);
        let escaped = escape(&scrubbed);
        // Escaping only ever adds ASCII around what it changes; scrub once more in case a
        // secret is made of such text.
        let escaped = match escaped {
            Cow::Owned(text) => Cow::Owned(self.secrets.scrub(&text).into_owned()),
            borrowed => borrowed,
        };
        write_bounded(f, &escaped, self.max_chars)
    }
}

fn write_bounded(f: &mut fmt::Formatter<'_>, text: &str, max_chars: usize) -> fmt::Result {
    match text.char_indices().nth(max_chars) {
        None => f.write_str(text),
        Some((end, _)) => {
            // `end` is a char boundary: it came from `char_indices`.
            f.write_str(text.get(..end).unwrap_or_default())?;
            f.write_char('…')
        }
    }
}

/// `true` for characters that must not reach a terminal raw: control characters (C0, DEL,
/// C1) and Unicode format characters (category Cf) and line and paragraph separators
/// (Zl, Zp), among them every bidi override and isolate.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_format(c)
}

/// Unicode 15 general categories Cf, Zl and Zp.
const FORMAT: [(u32, u32); 21] = [
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

fn is_format(c: char) -> bool {
    let c = u32::from(c);
    c >= 0xAD
        && FORMAT
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// `text` with every character that [`needs_escape`] written as `\n`, `\r`, `\t` or
/// `\u{hex}`; everything else (backslashes and quotes included) as it is.
fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                // writing to a String cannot fail
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A JSON text with every character that [`needs_escape`] written as a `\uXXXX` escape (a
/// surrogate pair beyond the Basic Multilingual Plane): the very same JSON value, safe to print
/// in a terminal. JSON's whitespace (`\n`, `\r`, `\t`, the layout of a pretty-printed
/// document) is left as it is: a valid JSON string holds no raw control character, so these
/// are layout, and escaping them would break the document. Every other such character is
/// inside a string, since JSON's own structure is ASCII.
///
/// ```
/// use pinecone_restore_core::text::json_safe;
///
/// assert_eq!(json_safe("{\"n\":\"a\u{202e}b\"}"), r#"{"n":"a\u202eb"}"#);
/// assert_eq!(json_safe(r#"{"n":"ñ"}"#), r#"{"n":"ñ"}"#);
/// // pretty-printed: the layout stays, the string is escaped
/// assert_eq!(
///     json_safe("{\n  \"n\": \"a\u{202e}b\"\n}"),
///     "{\n  \"n\": \"a\\u202eb\"\n}"
/// );
/// ```
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let escaped = |c: char| needs_escape(c) && !matches!(c, '\n' | '\r' | '\t');
    // serde_json already escapes C0 controls; DEL and anything beyond ASCII may need it
    if !json.bytes().any(|b| b >= 0x7f) || !json.chars().any(escaped) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // writing to a String cannot fail
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with the user-info of every URL in it (`scheme://user:pass@host`) replaced by
/// [`REDACTED`].
pub fn scrub_user_info(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let end = after
            .find(|c: char| "/?#`'\"<>".contains(c) || c.is_whitespace())
            .unwrap_or(after.len());
        let (authority, tail) = after.split_at(end);
        match authority.rfind('@') {
            Some(i) => {
                out.push_str(REDACTED);
                out.push_str(&authority[i..]);
            }
            None => out.push_str(authority),
        }
        rest = tail;
    }
    out.push_str(rest);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "pcsk_abcdefgh12345678";

    #[test]
    fn controls_and_format_characters_are_escaped_the_same_everywhere() {
        let none = Secrets::none();
        assert_eq!(shown("a\u{1b}[31mb", 99, &none), r"a\u{1b}[31mb");
        assert_eq!(shown("x\ny\tz\r", 99, &none), r"x\ny\tz\r");
        for c in [
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200b}',
            '\u{feff}',
            '\u{2028}',
            '\u{2029}',
            '\u{7f}',
            '\u{85}',
            '\u{ad}',
            '\u{e0041}',
        ] {
            let text = format!("a{c}b");
            assert_eq!(
                shown(&text, 99, &none),
                format!("a\\u{{{:x}}}b", u32::from(c))
            );
        }
        for plain in ["ñame", "日本語", "a\\u{1b}", "\"quoted\"", "emoji 🎉"] {
            assert_eq!(shown(plain, 99, &none), plain);
        }
    }

    #[test]
    fn format_table_agrees_with_the_categories_it_lists() {
        assert!(FORMAT.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(!needs_escape('a') && !needs_escape(' ') && !needs_escape('\u{2030}'));
        assert!(needs_escape('\u{206f}') && !needs_escape('\u{2070}'));
    }

    #[test]
    fn secrets_are_scrubbed_before_the_cut() {
        let secrets = Secrets::of([KEY]);
        let text = format!("{}{KEY}{}", "x".repeat(60), "y".repeat(50));
        let out = shown(&text, 64, &secrets);
        assert!(!out.contains("pcsk"), "{out}");
        assert!(out.ends_with("<red…"), "{out}");
        // quoted as serde quotes strings
        let tricky = Secrets::of(["pcsk_a\"b\\c_long"]);
        assert_eq!(
            tricky.scrub(r#"found "pcsk_a\"b\\c_long""#),
            r#"found "<redacted>""#
        );
        assert_eq!(tricky.scrub("raw pcsk_a\"b\\c_long"), "raw <redacted>");
        // short values are not secrets: they would mangle ordinary text
        assert!(Secrets::of(["k"]).is_empty());
        assert_eq!(format!("{:?}", secrets), "Secrets(1 forms, redacted)");
    }

    #[test]
    fn escaping_cannot_assemble_a_secret() {
        let secrets = Secrets::of([r"pre\u{1b}post"]);
        assert_eq!(shown("pre\u{1b}post", 99, &secrets), REDACTED);
    }

    #[test]
    fn url_user_info_is_scrubbed() {
        let none = Secrets::none();
        for (input, expected) in [
            (
                "http://user:secret@127.0.0.1:1/x?y=1",
                "http://<redacted>@127.0.0.1:1/x?y=1",
            ),
            ("`https://a@b@host`", "`https://<redacted>@host`"),
            (
                "see https://h/p and ftp://u:p@h",
                "see https://h/p and ftp://<redacted>@h",
            ),
            ("no url here", "no url here"),
            ("https://host/a@b", "https://host/a@b"),
        ] {
            assert_eq!(shown(input, 99, &none), expected, "{input}");
        }
    }

    #[test]
    fn json_stays_the_same_value_without_raw_format_characters() {
        let value = serde_json::json!({"a": "x\u{202e}y\u{7f}z\u{e0041}\u{85}", "b": "plain ñ"});
        let text = serde_json::to_string(&value).unwrap();
        let safe = json_safe(&text);
        assert!(!safe.chars().any(needs_escape), "{safe}");
        assert!(safe.contains(r"\udb40\udc41"), "a surrogate pair: {safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
        assert!(matches!(json_safe(r#"{"a":1}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn bound_counts_characters() {
        let none = Secrets::none();
        assert_eq!(shown("ñññññ", 3, &none), "ñññ…");
        assert_eq!(shown("abc", 3, &none), "abc");
        assert_eq!(shown("", 3, &none), "");
    }
}
