//! RFC 3339 timestamps: a fast path for the common shape, `time`'s parser for the rest.

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Formats `at` as RFC 3339 in UTC, the form this crate writes timestamps in.
///
/// # Errors
///
/// [`time::error::Format`] when the instant's UTC year is outside `0..=9999`; the parser never
/// produces such a value.
pub fn format_utc(at: OffsetDateTime) -> Result<String, time::error::Format> {
    let utc = at
        .checked_to_offset(time::UtcOffset::UTC)
        .ok_or(time::error::Format::InvalidComponent("year"))?;
    utc.format(&Rfc3339)
}

/// Parses an RFC 3339 timestamp with any offset and any fractional precision.
///
/// The common shape (`YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`) is parsed by hand; anything else
/// (lower-case `t`/`z`, a leap second) goes to `time`'s own RFC 3339 parser, which decides —
/// except the separator between date and time, which must be `T` or `t` as RFC 3339's grammar
/// says (`time` takes any byte there; a space is only an application's option, not this one's).
/// Instants whose UTC year falls outside `0..=9999` are refused so every accepted value can be
/// written back as RFC 3339.
pub(crate) fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    let parsed = match fast(s.as_bytes()) {
        Some(at) => at,
        None if matches!(s.as_bytes().get(10), Some(b'T' | b't')) => {
            OffsetDateTime::parse(s, &Rfc3339).ok()?
        }
        None => return None,
    };
    in_range(parsed)
}

/// A timestamp of the common shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` followed by its
/// closing quote, read in place from `b` (the bytes after the opening quote): the value and how
/// many bytes it took, quote included. `None` for anything else (another shape, an invalid
/// value, the body's end): the caller then reads the string and asks [`parse_rfc3339`], so
/// every `Some` here is exactly what that returns for the same string.
#[inline]
pub(crate) fn quoted_at(b: &[u8]) -> Option<(OffsetDateTime, usize)> {
    let (parsed, len) = common(b)?;
    if b.get(len) != Some(&b'"') {
        return None;
    }
    in_range(parsed).map(|parsed| (parsed, len + 1))
}

/// The common shape alone, as all of `b`: what [`parse_rfc3339`] reads by hand.
fn fast(b: &[u8]) -> Option<OffsetDateTime> {
    common(b)
        .filter(|&(_, len)| len == b.len())
        .map(|(parsed, _)| parsed)
}

/// The common shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` at the start of `b`: the value
/// and how many bytes it took. `None` for any other shape (a leap second, ten fraction digits,
/// lower-case `t`/`z`), which `time`'s parser decides, and for an invalid value.
///
/// The nineteen bytes of date and time are read as three overlapping words whose digits are
/// checked together, and the date is built from its ordinal day, so no `&str` is made and no
/// month converted.
#[inline(always)]
fn common(b: &[u8]) -> Option<(OffsetDateTime, usize)> {
    // `YYYY-MM-`, `DDTHH:MM` and `HH:MM:SS`: digits where `0` stands, the separators as they are
    let [d, t, s] = [
        digits_word(b, 0, *b"0000-00-")?,
        digits_word(b, 8, *b"00T00:00")?,
        digits_word(b, 11, *b"00:00:00")?,
    ];
    let at = |word: u64, i: u32| (word >> (8 * i)) as u8;
    let pair = |word: u64, i: u32| at(word, i) * 10 + at(word, i + 1);
    let year = u16::from(pair(d, 0)) * 100 + u16::from(pair(d, 2));
    let (month, day) = (pair(d, 5), pair(t, 0));
    let (hour, minute, second) = (pair(s, 0), pair(s, 3), pair(s, 6));
    let mut end = 19;
    let mut nanos = 0;
    if b.get(end) == Some(&b'.') {
        end += 1;
        let first = end;
        while let Some(&digit @ b'0'..=b'9') = b.get(end) {
            if end - first == 9 {
                return None; // more than nine digits: `time` rounds as it does
            }
            nanos = nanos * 10 + u32::from(digit - b'0');
            end += 1;
        }
        let digits = end - first;
        if digits == 0 {
            return None;
        }
        nanos *= POW10_U32[9 - digits];
    }
    let offset = match *b.get(end..)? {
        [b'Z', ..] => {
            end += 1;
            UtcOffset::UTC
        }
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1, ..] => {
            end += 6;
            let (h, m) = (two(h0, h1)?, two(m0, m1)?);
            if h > 23 || m > 59 {
                return None;
            }
            let (h, m) = (h as i8, m as i8);
            if sign == b'-' {
                UtcOffset::from_hms(-h, -m, 0).ok()?
            } else {
                UtcOffset::from_hms(h, m, 0).ok()?
            }
        }
        _ => return None,
    };
    if second > 59 {
        return None; // a leap second: `time` knows what to do with it
    }
    let date = Date::from_ordinal_date(i32::from(year), ordinal(year, month, day)?).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some((
        PrimitiveDateTime::new(date, time).assume_offset(offset),
        end,
    ))
}

/// `10^k` for the fraction's missing digits.
const POW10_U32: [u32; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// The eight bytes of `b` from `from` (little-endian), each digit where `template` holds `0`
/// turned into its value and each other byte equal to the template's turned into zero; `None`
/// unless every byte is what the template asks (or `b` is too short).
#[inline(always)]
fn digits_word(b: &[u8], from: usize, template: [u8; 8]) -> Option<u64> {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let word = u64::from_le_bytes(*b.get(from..)?.first_chunk::<8>()?);
    let template = u64::from_le_bytes(template);
    // the separators' bytes, which must come out zero
    let separators = u64::from_le_bytes(
        template
            .to_le_bytes()
            .map(|t| if t == b'0' { 0 } else { 0xFF }),
    );
    // a byte is a digit exactly when XOR with `0` leaves 0..=9: no high nibble, and no carry
    // into it when 6 is added
    let v = word ^ template;
    (v & HIGH_NIBBLES == 0
        && v.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == 0
        && v & separators == 0)
        .then_some(v)
}

/// The ordinal day of `day` in `month` of `year`, or `None` for a day the month does not have.
#[inline(always)]
fn ordinal(year: u16, month: u8, day: u8) -> Option<u16> {
    /// Days before each month, and each month's length, in a common year.
    const BEFORE: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    const LENGTH: [u8; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let i = usize::from(month.checked_sub(1)?);
    let length = *LENGTH.get(i)?;
    // whether the year is a leap year matters only from 29 February on
    let leap = || time::util::is_leap_year(i32::from(year));
    if day == 0 || (day > length && !(month == 2 && day == 29 && leap())) {
        return None;
    }
    let after_february = u16::from(month > 2 && leap());
    Some(BEFORE[i] + after_february + u16::from(day))
}

/// `parsed` if its UTC year is within `0..=9999`, so it can be written back as RFC 3339.
#[inline]
fn in_range(parsed: OffsetDateTime) -> Option<OffsetDateTime> {
    // An offset is less than a day, so only the first and last year can cross the range.
    if (1..=9998).contains(&parsed.year()) {
        return Some(parsed);
    }
    let utc_year = parsed.checked_to_offset(UtcOffset::UTC)?.year();
    (0..=9999).contains(&utc_year).then_some(parsed)
}

/// Two ASCII digits as a number.
fn two(hi: u8, lo: u8) -> Option<u8> {
    let (hi, lo) = (hi.wrapping_sub(b'0'), lo.wrapping_sub(b'0'));
    // `then`, not `then_some`: the sum must only be computed for digits, or it overflows
    (hi < 10 && lo < 10).then(|| hi * 10 + lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str) -> Option<OffsetDateTime> {
        // RFC 3339's grammar: `T` (or `t`) between date and time, nothing else
        if !matches!(s.as_bytes().get(10), Some(b'T' | b't')) {
            return None;
        }
        let at = OffsetDateTime::parse(s, &Rfc3339).ok()?;
        let year = at.checked_to_offset(UtcOffset::UTC)?.year();
        (0..=9999).contains(&year).then_some(at)
    }

    #[test]
    fn agrees_with_time_on_edge_cases() {
        for s in [
            "2024-03-15T10:30:00Z",
            "2024-03-15T10:30:00.000Z",
            "2024-03-15T10:30:00.1Z",
            "2024-03-15T10:30:00.123456789Z",
            "2024-03-15T10:30:00.1234567891Z",
            "2024-03-15T10:30:00.9999999999Z",
            "2024-03-15T10:30:00+05:30",
            "2024-03-15T10:30:00-00:00",
            "2024-03-15T10:30:00.5-23:59",
            "2024-03-15t10:30:00z",
            "2024-02-29T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-32T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+0100",
            "2024-01-01 00:00:00Z",
            "0000-01-01T00:00:00Z",
            "0000-01-01T00:30:00+01:00",
            "9999-12-31T23:59:59.999999999Z",
            "9999-12-31T23:30:00-01:00",
            "+2024-01-01T00:00:00Z",
            "2024-1-01T00:00:00Z",
            "2024- 3-15T10:30:00.00Z",
            "2024-03-15T10:30:00+0\u{ff}:00",
            "",
            "2024-01-01T00:00:00Zjunk",
            "2025-02-04 13:00:00+00:00",
            "2025-02-04x13:00:00Z",
            "2025-02-04#13:00:00Z",
            "2025-02-04_13:00:00Z",
            "2025-02-04\u{1}13:00:00Z",
            "2025-02-04 13:00:00.5z",
        ] {
            assert_eq!(parse_rfc3339(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn only_t_separates_date_and_time() {
        for refused in [
            "2025-02-04 13:00:00Z",
            "2025-02-04x13:00:00Z",
            "2025-02-04\u{1}13:00:00z",
        ] {
            assert_eq!(parse_rfc3339(refused), None, "{refused:?}");
        }
        assert!(parse_rfc3339("2025-02-04t13:00:00z").is_some());
    }

    /// `quoted_at` on `s` and its closing quote (and more after it) either declines or
    /// returns exactly `parse_rfc3339(s)` and the length with the quote.
    fn in_place_agrees(s: &str) -> bool {
        let body = format!("{s}\",\"x\":1}}");
        match quoted_at(body.as_bytes()) {
            None => false,
            Some((at, len)) => {
                assert_eq!(Some(at), parse_rfc3339(s), "{s:?}");
                assert_eq!(len, s.len() + 1, "{s:?}");
                true
            }
        }
    }

    #[test]
    fn in_place_reads_the_common_shapes_and_agrees_with_the_string_path() {
        for s in [
            "2025-06-30T12:40:32.211Z",
            "2024-03-15T10:30:00Z",
            "2024-03-15T10:30:00+05:30",
            "2024-03-15T10:30:00-00:00",
            "2024-03-15T10:30:00.5-23:59",
            "2024-02-29T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2024-12-31T23:59:59.999999999Z",
            "2023-01-31T00:00:00Z",
            "2023-03-31T00:00:00Z",
            "2023-04-30T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "0000-01-01T01:00:00+01:00",
            "9999-12-31T22:59:59-01:00",
            "9999-12-31T23:59:59.999999999Z",
        ] {
            assert!(in_place_agrees(s), "{s:?} not read in place");
        }
        // every fraction length it takes
        for digits in 1..=9 {
            let s = format!(
                "2024-03-15T10:30:00.{}Z",
                "123456789".get(..digits).unwrap()
            );
            assert!(in_place_agrees(&s), "{s:?}");
        }
    }

    #[test]
    fn in_place_declines_what_it_does_not_vouch_for() {
        for s in [
            // the string path's to decide or refuse
            "2024-03-15T10:30:00.1234567891Z",
            // ten digits whose value overflows nine digits' room (found by the differential
            // fuzz target)
            "2024-03-15T10:30:00.9999999999Z",
            "2024-03-15T10:30:00.99999999999999999999+01:00",
            "2024-03-15t10:30:00Z",
            "2024-03-15T10:30:00z",
            "2016-12-31T23:59:60Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+0100",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+01:60",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00Zjunk",
            "+2024-01-01T00:00:00Z",
            // out of the calendar
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-32T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            // beyond the years RFC 3339 can write
            "0000-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-01:00",
        ] {
            assert!(!in_place_agrees(s), "{s:?} read in place");
        }
        // a timestamp that is not followed by its closing quote
        assert_eq!(quoted_at(b"2024-03-15T10:30:00Z"), None);
        assert_eq!(quoted_at(b"2024-03-15T10:30:00Z\\\""), None);
    }

    #[test]
    fn a_bad_byte_anywhere_is_caught() {
        let good = "2024-03-15T10:30:00.123+05:30";
        assert!(in_place_agrees(good));
        for at in 0..good.len() {
            for bad in [
                b'/',
                b':',
                b'A',
                b' ',
                b'"',
                0x80,
                b'0' - 1,
                b'9' + 1,
                b'-',
                b'.',
            ] {
                let mut s = good.as_bytes().to_vec();
                if s[at] == bad {
                    continue;
                }
                s[at] = bad;
                let mut body = s.clone();
                body.extend_from_slice(b"\"}");
                if good.as_bytes()[at].is_ascii_digit() && !bad.is_ascii_digit() {
                    assert_eq!(quoted_at(&body), None, "{s:?}");
                }
                // agree with the string path whenever it is read in place at all
                if let Some((value, len)) = quoted_at(&body) {
                    let text = std::str::from_utf8(&s).expect("ASCII");
                    assert_eq!(Some(value), parse_rfc3339(text), "{text:?}");
                    assert_eq!(len, s.len() + 1, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn a_timestamp_cut_at_the_body_end_is_declined() {
        let body = "2024-03-15T10:30:00.123+05:30\"";
        for end in 0..body.len() {
            assert_eq!(quoted_at(&body.as_bytes()[..end]), None, "{end}");
        }
        assert!(quoted_at(body.as_bytes()).is_some());
    }

    #[test]
    fn ordinal_days_follow_the_calendar() {
        for year in [1900u16, 2000, 2023, 2024, 0, 9999] {
            for month in 1..=12u8 {
                for day in 0..=32u8 {
                    let expected = time::Month::try_from(month)
                        .ok()
                        .and_then(|m| Date::from_calendar_date(i32::from(year), m, day).ok())
                        .map(Date::ordinal);
                    assert_eq!(ordinal(year, month, day), expected, "{year}-{month}-{day}");
                }
            }
            assert_eq!(ordinal(year, 0, 1), None);
            assert_eq!(ordinal(year, 13, 1), None);
        }
    }

    #[test]
    fn fast_path_is_taken_for_the_common_shapes() {
        assert!(fast(b"2024-03-15T10:30:00.123Z").is_some());
        assert!(fast(b"2024-03-15T10:30:00+02:00").is_some());
    }
}
