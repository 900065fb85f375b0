//! RFC 3339 timestamps: a fast path for the common shape, `time`'s parser for the rest.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

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

fn fast(b: &[u8]) -> Option<OffsetDateTime> {
    let (head, rest) = b.split_first_chunk::<19>()?;
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        mo0,
        mo1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        mi0,
        mi1,
        b':',
        s0,
        s1,
    ] = *head
    else {
        return None;
    };
    let year = u16::from(two(y0, y1)?) * 100 + u16::from(two(y2, y3)?);
    let month = Month::try_from(two(mo0, mo1)?).ok()?;
    let (day, hour, minute, second) = (two(d0, d1)?, two(h0, h1)?, two(mi0, mi1)?, two(s0, s1)?);
    if second > 59 {
        return None; // a leap second: `time` knows what to do with it
    }
    let (nanos, zone) = match rest.split_first() {
        Some((b'.', fraction)) => {
            let digits = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
            if digits == 0 || digits > 9 {
                return None; // no digits is an error; many digits: let `time` round as it does
            }
            let (fraction, zone) = fraction.split_at_checked(digits)?;
            let value = fraction
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
            (value * 10u32.pow(9 - digits as u32), zone)
        }
        _ => (0, rest),
    };
    let offset = match *zone {
        [b'Z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
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
    let date = Date::from_calendar_date(i32::from(year), month, day).ok()?;
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
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

    #[test]
    fn fast_path_is_taken_for_the_common_shapes() {
        assert!(fast(b"2024-03-15T10:30:00.123Z").is_some());
        assert!(fast(b"2024-03-15T10:30:00+02:00").is_some());
    }
}
