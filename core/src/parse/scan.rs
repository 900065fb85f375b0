//! The fast path's scanner: one pass over a body's bytes, reading what a schema-aware parser
//! asks for (objects, keys, strings, pagination) and skipping the rest without building
//! anything, so the time stays linear in the body.
//!
//! It answers `None` whenever it is not sure, and the caller runs the reference parser,
//! which decides and words every error. A resource's fast path (restore jobs') is an `impl`
//! of [`Scan`] in its own folder; the error body's cut-down reading is here.

use std::borrow::Cow;

use crate::request::{PaginationToken, TokenProblem};
use crate::text::Secrets;
use crate::version::{PercentRule, Rules};

/// Whether two of `keys` are equal. Sorting once keeps it `n log n` whatever the keys; each
/// key is held next to its [`prefix`] and sorted by it first, so most comparisons read no
/// key's bytes (a body of many short unknown keys would otherwise spend its time fetching keys
/// from all over the body).
pub(crate) fn no_duplicates(keys: &mut [(u64, &str)]) -> Option<()> {
    if keys.len() < 2 {
        return Some(());
    }
    keys.sort_unstable();
    keys.windows(2).all(|w| w[0] != w[1]).then_some(())
}

/// A key's first seven bytes (zero-padded) and its length (saturated at 255), as one number
/// whose order is the keys' order by those bytes (so a body whose keys come in order sorts in
/// one pass): equal keys have equal prefixes, so keys with different prefixes differ.
/// `from_key` is the body from the key's first byte on (the key, then at least its closing
/// quote), which lets the common case load eight bytes at once.
#[inline]
pub(crate) fn prefix(len: usize, from_key: &[u8]) -> u64 {
    let high = match from_key.get(..8) {
        Some(word) => {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(word);
            u64::from_be_bytes(bytes) & !(u64::MAX >> (8 * len.min(7)))
        }
        None => from_key
            .iter()
            .take(len.min(7))
            .enumerate()
            .fold(0, |word, (i, &b)| word | u64::from(b) << (56 - 8 * i)),
    };
    high | len.min(255) as u64
}

/// The bytes a resource's known-key reader (restore jobs' `job_key`) loads after a key's opening quote: the longest known name and
/// its closing quote (`target_index_name"`).
pub(crate) const KEY_WORDS: usize = 18;

/// A known name and its closing quote as words to compare the body's bytes with: the first
/// sixteen bytes and the two after them (little-endian), each with a mask of its bytes.
#[derive(Debug, PartialEq)]
pub(crate) struct KeyWords {
    pub(crate) low: u128,
    pub(crate) low_mask: u128,
    pub(crate) high: u16,
    pub(crate) high_mask: u16,
    /// The name and both its quotes.
    pub(crate) len: usize,
}

impl KeyWords {
    pub(crate) const fn new(name: &str) -> KeyWords {
        let name = name.as_bytes();
        assert!(name.len() < KEY_WORDS);
        let (mut low, mut low_mask, mut high, mut high_mask) = (0u128, 0u128, 0u16, 0u16);
        let mut i = 0;
        while i <= name.len() {
            let byte = if i < name.len() { name[i] } else { b'"' };
            if i < 16 {
                low |= (byte as u128) << (8 * i);
                low_mask |= 0xFF << (8 * i);
            } else {
                high |= (byte as u16) << (8 * (i - 16));
                high_mask |= 0xFF << (8 * (i - 16));
            }
            i += 1;
        }
        KeyWords {
            low,
            low_mask,
            high,
            high_mask,
            len: name.len() + 1,
        }
    }
}

/// The bytes of `word` (little-endian) a string cannot hold as they are (`"`, `\` and control
/// characters), as the high bit of each such byte. Bytes above the lowest flagged one may be
/// flagged wrongly (a borrow carries into them); the lowest flagged byte is always special,
/// and no special byte below it goes unflagged, which is all [`Scan::plain_run`] relies on.
#[inline]
pub(crate) fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // a byte of `v` below `n` (n <= 0x80): its high bit, exact for the lowest such byte
    let below = |v: u64, n: u8| v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH;
    below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
        | below(word, 0x20)
}

/// A cursor over the body.
pub(crate) struct Scan<'a, 's> {
    pub(crate) text: &'a str,
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
    pub(crate) percent: PercentRule,
    pub(crate) secrets: &'s Secrets,
    /// Reused for ignored nesting: for each open object, how many arrays are open below it
    /// (see [`skip_value`](Self::skip_value)).
    pub(crate) objects: Vec<u32>,
    /// The [`prefix`] of the last key [`key`](Self::key) read, for [`unknown`](Self::unknown).
    pub(crate) key_prefix: u64,
}

impl<'a, 's> Scan<'a, 's> {
    /// `None` when the body holds a secret: the reference says where.
    pub(crate) fn new(text: &'a str, rules: &Rules, secrets: &'s Secrets) -> Option<Scan<'a, 's>> {
        if !secrets.is_empty() && secrets.found_in(text) {
            return None;
        }
        Some(Scan {
            text,
            bytes: text.as_bytes(),
            at: 0,
            percent: rules.percent,
            secrets,
            objects: Vec::new(),
            key_prefix: 0,
        })
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips JSON white space.
    #[inline]
    pub(crate) fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// White space, then `byte`.
    #[inline]
    pub(crate) fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Nothing but white space is left.
    pub(crate) fn end(&mut self) -> Option<()> {
        self.ws();
        (self.at == self.bytes.len()).then_some(())
    }

    /// `literal` at the cursor.
    #[inline]
    pub(crate) fn literal(&mut self, literal: &[u8]) -> Option<()> {
        let end = self.at + literal.len();
        (self.bytes.get(self.at..end)? == literal).then(|| self.at = end)
    }

    /// Reads an object at the cursor (white space already skipped), calling `member` with the
    /// cursor on each value, white space before it skipped.
    #[inline]
    pub(crate) fn object(
        &mut self,
        member: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        self.object_with(|s| s.key(), member)
    }

    /// [`object`](Self::object), each key read by `key`.
    #[inline(always)]
    pub(crate) fn object_with<K>(
        &mut self,
        key: impl Fn(&mut Self) -> Option<K>,
        mut member: impl FnMut(&mut Self, K) -> Option<()>,
    ) -> Option<()> {
        if self.peek()? != b'{' {
            return None;
        }
        self.at += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = key(self)?;
            // the compact form (`"key":value,"next"`) without looking for white space; any
            // other is read by the general steps
            match self.bytes.get(self.at..self.at + 2) {
                Some([b':', next]) if !matches!(next, b' ' | b'\n' | b'\r' | b'\t') => {
                    self.at += 1;
                }
                _ => {
                    self.eat(b':')?;
                    self.ws();
                }
            }
            member(self, key)?;
            match self.bytes.get(self.at..self.at + 2) {
                Some([b',', b'"']) => {
                    self.at += 1;
                    continue;
                }
                Some([b'}', _]) => {
                    self.at += 1;
                    return Some(());
                }
                _ => {}
            }
            self.ws();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.ws();
                }
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Skips the value of an unknown key, just read by [`key`](Self::key), and keeps the key
    /// for the duplicate check.
    #[inline(always)]
    pub(crate) fn unknown(&mut self, key: &'a str, keys: &mut Vec<(u64, &'a str)>) -> Option<()> {
        self.skip_member_value()?;
        keys.push((self.key_prefix, key));
        Some(())
    }

    /// Skips a member's value that is not read.
    #[inline(always)]
    pub(crate) fn skip_member_value(&mut self) -> Option<()> {
        match self.peek()? {
            // the common scalars without the nesting machinery
            b'"' => self.skip_string()?,
            // one digit alone, then the number's grammar
            b'0'..=b'9'
                if !matches!(
                    self.bytes.get(self.at + 1),
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E')
                ) =>
            {
                self.at += 1;
            }
            b'0'..=b'9' => self.skip_number()?,
            _ => self.skip_value()?,
        }
        Some(())
    }

    /// A key at the cursor (its opening quote). A key written with an escape is left to the
    /// reference: the API never sends one, and borrowing keys keeps every key cheap.
    #[inline(always)]
    pub(crate) fn key(&mut self) -> Option<&'a str> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at + 1;
        // a key of at most seven bytes, the common unknown key, is found and its prefix made
        // from one word
        if let Some(chunk) = self.bytes.get(start..).and_then(<[u8]>::first_chunk::<8>) {
            let word = u64::from_le_bytes(*chunk);
            let special = special_bytes(word);
            let len = (special.trailing_zeros() / 8) as usize;
            if special != 0 && chunk[len] == b'"' {
                self.at = start + len + 1;
                // the key's bytes in reading order, the quote and what follows masked off
                let high = word.swap_bytes() & !(u64::MAX >> (8 * len));
                self.key_prefix = high | len as u64;
                return self.text.get(start..start + len);
            }
        }
        let end = self.plain_run(start);
        if *self.bytes.get(end)? != b'"' {
            return None;
        }
        self.at = end + 1;
        self.key_prefix = prefix(end - start, self.bytes.get(start..).unwrap_or_default());
        // both ends are at ASCII quotes, so on character boundaries
        self.text.get(start..end)
    }

    /// The string at the cursor (its opening quote), borrowed unless it holds an escape.
    #[inline]
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return None;
        }
        self.at += 1;
        let start = self.at;
        let end = self.plain_run(start);
        match *self.bytes.get(end)? {
            b'"' => {
                self.at = end + 1;
                // both ends are at ASCII quotes, so on character boundaries
                self.text.get(start..end).map(Cow::Borrowed)
            }
            b'\\' => self.escaped(start, end).map(Cow::Owned),
            _ => None, // a control character
        }
    }

    /// The end of the run of bytes from `from` that need no attention in a string: the index
    /// of the first quote, backslash or control character (or the body's end).
    #[inline]
    pub(crate) fn plain_run(&self, from: usize) -> usize {
        // sixteen bytes at a time while they last (ids are mostly over 16 bytes), then eight;
        // the lowest flagged byte of a word is the first special one
        let mut at = from;
        while let Some(chunk) = self.bytes.get(at..).and_then(<[u8]>::first_chunk::<16>) {
            let (low, high) = chunk.split_at(8);
            let low = special_bytes(u64::from_le_bytes(low.try_into().unwrap_or_default()));
            let high = special_bytes(u64::from_le_bytes(high.try_into().unwrap_or_default()));
            if low != 0 {
                return at + (low.trailing_zeros() / 8) as usize;
            }
            if high != 0 {
                return at + 8 + (high.trailing_zeros() / 8) as usize;
            }
            at += 16;
        }
        while let Some(chunk) = self.bytes.get(at..at + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let special = special_bytes(u64::from_le_bytes(word));
            if special != 0 {
                return at + (special.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        // the last few bytes
        let tail = self.bytes.get(at..).unwrap_or_default();
        at + tail
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
            .unwrap_or(tail.len())
    }

    /// Decodes a string whose first escape is at `first` (the text from `start` is plain).
    #[cold]
    pub(crate) fn escaped(&mut self, start: usize, first: usize) -> Option<String> {
        let mut out = String::with_capacity(first - start + 16);
        out.push_str(self.text.get(start..first)?);
        self.at = first;
        loop {
            match *self.bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.at + 1)?;
                    self.at += 2;
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let unit = self.hex4()?;
                            let code = match unit {
                                // a surrogate pair: anything else is left to the reference
                                0xD800..=0xDBFF => {
                                    self.literal(b"\\u")?;
                                    let low = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return None;
                                    }
                                    0x10000
                                        + ((u32::from(unit) - 0xD800) << 10)
                                        + (u32::from(low) - 0xDC00)
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => u32::from(unit),
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    });
                }
                _ => {
                    let end = self.plain_run(self.at);
                    if end == self.at {
                        return None; // a control character
                    }
                    out.push_str(self.text.get(self.at..end)?);
                    self.at = end;
                }
            }
        }
    }

    /// Four hex digits.
    pub(crate) fn hex4(&mut self) -> Option<u16> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut n = 0u16;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16)? as u16;
        }
        self.at += 4;
        Some(n)
    }

    /// Skips a string that is not read, checking it as the reference does (escapes well
    /// formed; a `\u` escape's value is not looked at).
    #[inline]
    pub(crate) fn skip_string(&mut self) -> Option<()> {
        self.at += 1; // the opening quote
        loop {
            // escapes often come one after another: look before scanning for the next one
            let end = match *self.bytes.get(self.at)? {
                b'\\' => self.at,
                _ => self.plain_run(self.at),
            };
            match *self.bytes.get(end)? {
                b'"' => {
                    self.at = end + 1;
                    return Some(());
                }
                b'\\' => {
                    self.at = end + 2;
                    match *self.bytes.get(end + 1)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            self.hex4()?;
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// Skips a number, checking its grammar (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
    #[inline]
    pub(crate) fn skip_number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        match self.peek() {
            Some(b'.' | b'e' | b'E') => {}
            _ => return Some(()), // an integer, the common case
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// Skips ASCII digits, returning how many.
    #[inline]
    pub(crate) fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// Skips any value without recursion, however deep (the reference's `IgnoredAny` has no
    /// depth limit either). The open containers are kept as runs: `arrays` open on top of the
    /// innermost open object (or of nothing), and for each open object the arrays open below
    /// it; a run of brackets costs about what one does.
    pub(crate) fn skip_value(&mut self) -> Option<()> {
        self.objects.clear();
        let mut arrays = 0usize;
        loop {
            // a value at the cursor (white space skipped)
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'-' | b'0'..=b'9' => self.skip_number()?,
                b'[' => {
                    // a run of openings is counted at once (a deep nest costs well under an
                    // instruction a byte)
                    let run = self.run_of(b'[');
                    self.at += run;
                    self.ws();
                    if self.peek()? == b']' {
                        // the innermost is empty: a value, closed at once
                        self.at += 1;
                        arrays += run - 1;
                    } else {
                        arrays += run;
                        continue;
                    }
                }
                b'{' => {
                    self.at += 1;
                    self.ws();
                    if self.peek()? == b'}' {
                        self.at += 1;
                    } else {
                        // more arrays than a `u32` counts: the reference reads the body
                        self.objects.push(u32::try_from(arrays).ok()?);
                        arrays = 0;
                        self.skip_key()?;
                        continue;
                    }
                }
                _ => return None,
            }
            // after a value: a comma and the next one, or the end of enclosing containers
            loop {
                let object = arrays == 0;
                if object && self.objects.is_empty() {
                    return Some(());
                }
                self.ws();
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.ws();
                        if object {
                            self.skip_key()?;
                        }
                        break;
                    }
                    b'}' if object => {
                        self.at += 1;
                        arrays = usize::try_from(self.objects.pop()?).ok()?;
                    }
                    b']' if !object => {
                        // a run of closings ends as many arrays as are open on top at once
                        let closed = self.run_of(b']').min(arrays);
                        self.at += closed;
                        arrays -= closed;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// How many times `byte` repeats from the cursor on, eight bytes at a time.
    #[inline]
    pub(crate) fn run_of(&self, byte: u8) -> usize {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let eight = u64::from_le_bytes([byte; 8]);
        let mut run = 0;
        while let Some(word) = rest.get(run..).and_then(<[u8]>::first_chunk::<8>) {
            let other = u64::from_le_bytes(*word) ^ eight;
            if other != 0 {
                // the first byte that differs is the lowest nonzero one
                return run + (other.trailing_zeros() / 8) as usize;
            }
            run += 8;
        }
        let tail = rest.get(run..).unwrap_or_default();
        run + tail.iter().position(|&b| b != byte).unwrap_or(tail.len())
    }

    /// Skips `"key" :` and the white space before the value, in an ignored object.
    pub(crate) fn skip_key(&mut self) -> Option<()> {
        if self.peek()? != b'"' {
            return None;
        }
        self.skip_string()?;
        self.eat(b':')?;
        self.ws();
        Some(())
    }

    /// A string value that may not hold a secret.
    #[inline]
    pub(crate) fn text(&mut self) -> Option<Cow<'a, str>> {
        let s = self.string()?;
        // A borrowed string is part of the body, checked whole in `new`; a decoded one is not.
        if let Cow::Owned(owned) = &s
            && !self.secrets.is_empty()
            && self.secrets.found_in(owned)
        {
            return None;
        }
        Some(s)
    }

    /// `pagination`: `null`, or an object whose `next` is `null` or a token.
    pub(crate) fn pagination(&mut self) -> Option<Option<PaginationToken>> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            return Some(None);
        }
        let mut next = None;
        let mut seen = false;
        let mut unknown = Vec::new();
        self.object(|s, key| {
            if key != "next" {
                return s.unknown(key, &mut unknown);
            }
            if seen {
                return None;
            }
            seen = true;
            if s.peek()? == b'n' {
                s.literal(b"null")?;
                return Some(());
            }
            let token = s.text()?;
            next = match PaginationToken::rule(&token) {
                Ok(()) => Some(PaginationToken::from_checked(token.into_owned())),
                // an empty `next` is the last page
                Err(TokenProblem::Empty) => None,
                Err(TokenProblem::TooLong(_)) => return None,
            };
            Some(())
        })?;
        no_duplicates(&mut unknown)?;
        Some(next)
    }
}

/// An error body cut down to the members its reading looks at, or `None` for "read the whole
/// body".
///
/// The error body's reading keeps only the top-level `error` and `message` members and skips
/// every other one, so the body those two make, in their order, reads the same as the whole
/// body: provided every skipped member is valid JSON, which is checked here as the reference
/// checks it (the grammar of [`Scan::skip_value`]). A body of hundreds of thousands of
/// unknown keys is then skipped at the fast path's speed, and the reference reads a few
/// bytes. Keys written with escapes and bodies that are not one object go to the reference.
pub(crate) fn error_members(text: &str) -> Option<String> {
    let secrets = Secrets::none();
    let mut s = Scan::new(text, crate::version::ApiVersion::DEFAULT.rules(), &secrets)?;
    let mut kept = String::from("{");
    s.ws();
    // a key written with an escape (which might spell `error`) is not read here, see `key`
    s.object(|s, key| {
        if key != "error" && key != "message" {
            return s.skip_member_value();
        }
        let start = s.at;
        s.skip_value()?;
        if kept.len() > 1 {
            kept.push(',');
        }
        kept.push('"');
        kept.push_str(key);
        kept.push_str("\":");
        kept.push_str(s.text.get(start..s.at)?);
        Some(())
    })?;
    s.end()?;
    kept.push('}');
    Some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::ApiVersion;

    pub(crate) fn scan(text: &str) -> Scan<'_, 'static> {
        static NONE: std::sync::OnceLock<Secrets> = std::sync::OnceLock::new();
        let secrets = NONE.get_or_init(Secrets::none);
        Scan::new(text, ApiVersion::V2025_04.rules(), secrets).expect("no secrets")
    }

    #[test]
    pub(crate) fn skip_value_agrees_with_serde_json_on_runs_of_brackets() {
        // runs shorter than a word, a word and a bit, several words; closings that end too
        // soon, too late, across an object; white space inside a run
        let mut bodies = Vec::new();
        for run in [1, 2, 7, 8, 9, 15, 16, 17, 40] {
            let (open, close) = ("[".repeat(run), "]".repeat(run));
            for inner in [
                "",
                " ",
                "1",
                "[]",
                "{}",
                r#"{"k":[]}"#,
                r#"{"k":[[1],[]]}"#,
                "[1],[2]",
            ] {
                bodies.extend([
                    format!("{open}{inner}{close}"),
                    format!("{open}{inner}{close}]"),
                    format!("{open}{inner}{}", &close[1..]),
                    format!(r#"{{"a":{open}{inner}{close}, "b":{open}{close}}}"#),
                    format!(r#"{{"a":{open}{inner}{close}]}}"#),
                    format!(r#"[{{"a":{open}{inner}{close}}}]"#),
                    format!(r#"[{{"a":{open}{inner}{close}}}}}]"#),
                    format!("{open} {inner} {close}"),
                    format!("{}{inner}{}", "[ ".repeat(run), " ]".repeat(run)),
                ]);
            }
        }
        for body in &bodies {
            let mut s = scan(body);
            let ours = s.skip_value().is_some() && {
                s.ws();
                s.at == body.len()
            };
            let reference = serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
            assert_eq!(ours, reference, "{body}");
        }
        let accepted = bodies
            .iter()
            .filter(|b| serde_json::from_str::<serde::de::IgnoredAny>(b).is_ok());
        assert!(accepted.count() > bodies.len() / 3, "both kinds are tried");
    }

    #[test]
    pub(crate) fn plain_run_stops_at_the_first_special_byte_wherever_it_is() {
        // every special byte at every offset of a body longer than two words, after plain
        // bytes of both halves of the byte range, with more special bytes behind it
        let plain = "ab\u{e9}c\u{7f}d~ Zxyz\u{2028}q".as_bytes().to_vec();
        for special in [b'"', b'\\', 0x00, 0x01, 0x1f, b'\n'] {
            for at in 0..plain.len() {
                let mut body = plain.clone();
                body[at] = special;
                body.extend_from_slice(b"\"\\\x00");
                let Ok(text) = std::str::from_utf8(&body) else {
                    continue; // the byte split a character
                };
                for from in 0..=at {
                    assert_eq!(scan(text).plain_run(from), at, "{body:?} from {from}");
                }
            }
        }
        assert_eq!(scan("abc").plain_run(0), 3);
        assert_eq!(scan("abcdefghijk").plain_run(2), 11);
        assert_eq!(scan("ab").plain_run(5), 5);
    }

    #[test]
    pub(crate) fn equal_keys_have_equal_prefixes_and_different_prefixes_mean_different_keys() {
        let keys = [
            "", "a", "u000001", "u0000010", "u0000011", "abcdefgh", "abcdefg",
        ];
        for a in keys {
            for b in keys {
                // as read from a body (eight bytes loaded) and at a body's very end
                let body_a = format!("{a}\"12345678");
                let pa = prefix(a.len(), body_a.as_bytes());
                let pb = prefix(b.len(), b.as_bytes());
                if a == b {
                    assert_eq!(pa, pb, "{a:?}");
                } else if pa == pb {
                    // only keys of one length over seven bytes, alike in their first seven
                    assert!(
                        a.len() == b.len() && a.len() > 7 && a[..7] == b[..7],
                        "{a:?} {b:?}"
                    );
                }
            }
        }
        // in order by their bytes: a body whose keys are in order sorts in one pass
        assert!(prefix(7, b"u000001\"") < prefix(7, b"u000002\""));
    }

    #[test]
    pub(crate) fn a_short_key_read_from_one_word_has_the_prefix_of_any_other_read() {
        for key in [
            "",
            "a",
            "u000001",
            "abcdefg",
            "abcdefgh",
            "\u{e9}t\u{e9}",
            "k\u{2028}",
        ] {
            for after in [":1,\"x\":2}", ":1}", ":", ""] {
                let body = format!("\"{key}\"{after}");
                let mut s = scan(&body);
                assert_eq!(s.key(), Some(key), "{body:?}");
                assert_eq!(s.at, key.len() + 2, "{body:?}");
                let expected = prefix(key.len(), &body.as_bytes()[1..]);
                assert_eq!(s.key_prefix, expected, "{body:?}");
            }
        }
        // a key with an escape or a control character is not read here
        assert_eq!(scan("\"a\\\"b\":1}").key(), None);
        assert_eq!(scan("\"a\u{1}b\":1}").key(), None);
    }

    #[test]
    pub(crate) fn members_are_read_with_white_space_anywhere_legal_and_without_it() {
        let read = |body: &str| {
            let mut s = scan(body);
            let mut keys = Vec::new();
            s.object(|s, key| s.unknown(key, &mut keys))?;
            s.end()?;
            Some(
                keys.into_iter()
                    .map(|(_, k)| k.to_owned())
                    .collect::<Vec<_>>(),
            )
        };
        let expected = Some(vec!["a".to_owned(), "bb".to_owned(), "c".to_owned()]);
        for ws in ["", " ", "\n", "\r\n\t "] {
            let body = format!(
                "{{{ws}\"a\"{ws}:{ws}1{ws},{ws}\"bb\"{ws}:{ws}\"x\"{ws},{ws}\"c\"{ws}:{ws}[]{ws}}}{ws}"
            );
            assert_eq!(read(&body), expected, "{body:?}");
        }
        for bad in [
            "{\"a\" 1}",
            "{\"a\":1 \"b\":2}",
            "{\"a\":1,}",
            "{\"a\":1,,\"b\":2}",
            "{\"a\"::1}",
            "{\"a\":1",
            "{\"a\":",
            "{\"a\"",
            "{\"a\":1]",
        ] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
    }

    #[test]
    pub(crate) fn duplicate_unknown_keys_are_found_whatever_their_order_or_length() {
        let long = "k".repeat(300);
        for (body, unique) in [
            (r#"{"a":1,"b":2,"a":3}"#.to_owned(), false),
            (r#"{"abcdefghij":1,"abcdefghik":2}"#.to_owned(), true),
            (r#"{"abcdefghij":1,"x":0,"abcdefghij":2}"#.to_owned(), false),
            (format!(r#"{{"{long}":1,"{long}k":2}}"#), true),
            (format!(r#"{{"{long}":1,"{long}":2}}"#), false),
        ] {
            let mut s = scan(&body);
            let mut keys = Vec::new();
            s.object(|s, key| s.unknown(key, &mut keys)).expect(&body);
            assert_eq!(no_duplicates(&mut keys).is_some(), unique, "{body}");
        }
    }

    #[test]
    pub(crate) fn nested_ignored_values_are_skipped_exactly_and_mismatches_refused() {
        for good in [
            "[]",
            "[[[]]]",
            "[[[1]],[[2,[]]]]",
            "[ [ [ ] ] ]",
            "[[{\"a\":[[[]]]}]]",
            "{\"a\":{\"b\":[[],[[]]]}}",
            "[[[0]]]",
        ] {
            let body = format!("{good} ,");
            let mut s = scan(&body);
            assert_eq!(s.skip_value(), Some(()), "{good}");
            assert_eq!(s.at, good.len(), "{good}");
        }
        for bad in [
            "[[]", "[[]}", "[{]}", "[[1]]]]", "[[,]]", "[1,]", "{\"a\"}", "[[[", "]",
        ] {
            let mut s = scan(bad);
            let skipped = s.skip_value().is_some() && s.end().is_some();
            assert!(!skipped, "{bad}");
        }
    }
}
