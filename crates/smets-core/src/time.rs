//! UTC time as GB smart metering counts it: seconds since 2000-01-01
//! 00:00:00 UTC, the epoch of ZigBee's UTCTime (ZCL rev. 8 2.6.2.21) and of
//! the DLMS log timestamps GBCS uses (GBCS 7.2.8). No time zones, no leap
//! seconds: a GBCS clock runs in UTC.

use core::fmt;

/// Days from 1970-01-01 to 2000-01-01.
const DAYS_1970_TO_2000: i64 = 10_957;

/// A UTC instant in seconds since 2000-01-01 00:00:00 UTC. Displays as ISO
/// 8601 (`2030-01-15T09:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Utc2000(pub u32);

/// A calendar date and time of day in UTC (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Civil {
    /// Year, e.g. 2030.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Second, 0 to 59.
    pub second: u8,
}

impl Utc2000 {
    /// The instant of a calendar date and time; `None` when a field is out
    /// of range or the instant is before 2000 or after 2136-02-07.
    #[must_use]
    pub fn from_civil(c: Civil) -> Option<Self> {
        if !(1..=12).contains(&c.month)
            || c.day == 0
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 59
        {
            return None;
        }
        let days = days_from_civil(i64::from(c.year), i64::from(c.month), i64::from(c.day))
            - DAYS_1970_TO_2000;
        let secs = days * 86_400
            + i64::from(c.hour) * 3600
            + i64::from(c.minute) * 60
            + i64::from(c.second);
        u32::try_from(secs).ok().map(Self)
    }

    /// The calendar date and time of this instant.
    #[must_use]
    pub fn to_civil(self) -> Civil {
        let secs = i64::from(self.0);
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400) + DAYS_1970_TO_2000);
        let rem = secs.rem_euclid(86_400);
        // Every field is in range by construction (year 2000..=2136).
        let narrow = |v: i64| u8::try_from(v).unwrap_or(u8::MAX);
        Civil {
            year: u16::try_from(y).unwrap_or(u16::MAX),
            month: narrow(m),
            day: narrow(d),
            hour: narrow(rem / 3600),
            minute: narrow(rem / 60 % 60),
            second: narrow(rem % 60),
        }
    }
}

impl fmt::Display for Utc2000 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.to_civil();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Utc2000 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whether `year` is a Gregorian leap year.
#[must_use]
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` (1 to 12) of `year`; 0 for a month out of
/// range.
#[must_use]
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count from 1970-01-01.
const fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    const fn civil(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Civil {
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    #[test]
    fn gbcs_instants() {
        // The first ECS22b profile entry, 1C 35 F9 00 (GBCS digest 2.5).
        assert_eq!(Utc2000(0x1C35_F900).to_string(), "2014-12-31T00:00:00Z");
        // The GBZ alert time 1C 37 4A 80.
        assert_eq!(Utc2000(0x1C37_4A80).to_string(), "2015-01-01T00:00:00Z");
        assert_eq!(Utc2000(0).to_string(), "2000-01-01T00:00:00Z");
        assert_eq!(Utc2000(u32::MAX).to_string(), "2136-02-07T06:28:15Z");
        assert_eq!(
            Utc2000::from_civil(civil(2030, 1, 15, 9, 0, 0))
                .unwrap()
                .to_string(),
            "2030-01-15T09:00:00Z"
        );
        assert_eq!(
            Utc2000::from_civil(civil(2024, 2, 29, 23, 59, 59))
                .unwrap()
                .to_string(),
            "2024-02-29T23:59:59Z"
        );
    }

    #[test]
    fn out_of_range_fields_are_refused() {
        for c in [
            civil(1999, 12, 31, 23, 59, 59),
            civil(2137, 1, 1, 0, 0, 0),
            civil(2023, 2, 29, 0, 0, 0),
            civil(2100, 2, 29, 0, 0, 0),
            civil(2030, 13, 1, 0, 0, 0),
            civil(2030, 0, 1, 0, 0, 0),
            civil(2030, 4, 31, 0, 0, 0),
            civil(2030, 1, 0, 0, 0, 0),
            civil(2030, 1, 1, 24, 0, 0),
            civil(2030, 1, 1, 0, 60, 0),
            civil(2030, 1, 1, 0, 0, 60),
        ] {
            assert_eq!(Utc2000::from_civil(c), None, "{c:?}");
        }
        assert!(is_leap_year(2000) && !is_leap_year(2100) && is_leap_year(2024));
    }

    proptest! {
        #[test]
        fn civil_round_trips(s in any::<u32>()) {
            let t = Utc2000(s);
            prop_assert_eq!(Utc2000::from_civil(t.to_civil()), Some(t));
        }
    }
}
