//! RFC 3339 timestamps: a fast path for the common shape, `time`'s parser for the rest.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Parses an RFC 3339 timestamp with any offset and any fractional precision.
///
/// The common shape (`YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`) is parsed by hand; anything else
/// (lower-case `t`/`z`, a leap second) goes to `time`'s own RFC 3339 parser, which decides.
/// Instants whose UTC year falls outside `0..=9999` are refused so every accepted value can be
/// written back as RFC 3339.
pub(crate) fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    let parsed = match fast(s.as_bytes()) {
        Some(at) => at,
        None => OffsetDateTime::parse(s, &Rfc3339).ok()?,
    };
    // An offset is less than a day, so only the first and last year can cross the range.
    if (1..=9998).contains(&parsed.year()) {
        return Some(parsed);
    }
    let utc_year = parsed.checked_to_offset(UtcOffset::UTC)?.year();
    (0..=9999).contains(&utc_year).then_some(parsed)
}

fn digits2(b: &[u8], at: usize) -> Option<u8> {
    let hi = b.get(at)?.wrapping_sub(b'0');
    let lo = b.get(at + 1)?.wrapping_sub(b'0');
    (hi < 10 && lo < 10).then(|| hi * 10 + lo)
}

fn fast(b: &[u8]) -> Option<OffsetDateTime> {
    if b.len() < 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || b.get(10) != Some(&b'T')
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let year = u16::from(digits2(b, 0)?) * 100 + u16::from(digits2(b, 2)?);
    let month = Month::try_from(digits2(b, 5)?).ok()?;
    let day = digits2(b, 8)?;
    let (hour, minute, second) = (digits2(b, 11)?, digits2(b, 14)?, digits2(b, 17)?);
    if second > 59 {
        return None; // a leap second: `time` knows what to do with it
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while let Some(d) = b.get(at).filter(|d| d.is_ascii_digit()) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(d - b'0');
            }
            at += 1;
        }
        let count = at - start;
        if count == 0 || count > 9 {
            return None; // no digits is an error; many digits: let `time` round as it does
        }
        nanos *= 10u32.pow(9 - count as u32);
    }
    let offset = match b.get(at..)? {
        b"Z" => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (digits2(b, at + 1)?, digits2(b, at + 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            let (h, m) = (h as i8, m as i8);
            if *sign == b'-' {
                UtcOffset::from_hms(-h, -m, 0).ok()?
            } else {
                UtcOffset::from_hms(h, m, 0).ok()?
            }
        }
        _ => return None,
    };
    let date = Date::from_calendar_date(i32::from(year), month, day).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str) -> Option<OffsetDateTime> {
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
            "",
            "2024-01-01T00:00:00Zjunk",
        ] {
            assert_eq!(parse_rfc3339(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn fast_path_is_taken_for_the_common_shapes() {
        assert!(fast(b"2024-03-15T10:30:00.123Z").is_some());
        assert!(fast(b"2024-03-15T10:30:00+02:00").is_some());
    }
}
