//! COSEM names and time (IEC 62056-6-1 OBIS, IEC 62056-6-2 4.1.6.1): the
//! logical name printed as OBIS (`0-0:94.44.2.0`), and the 12-octet
//! date-time GBCS carries as an octet-string, with the GBCS sentinels
//! (GBCS 7.2.8). No COSEM class semantics here.

use core::fmt;
use core::str::FromStr;

use smets_core::time::{Civil, Utc2000};

use crate::axdr::DATE_TIME_LEN;

/// A COSEM logical name: the six OBIS value groups A to F (IEC 62056-6-1
/// 4.3). Displays as `A-B:C.D.E.F`, e.g. `0-0:94.44.2.0`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObisCode(pub [u8; 6]);

impl ObisCode {
    /// From the value groups A to F.
    #[must_use]
    pub const fn new(a: u8, b: u8, c: u8, d: u8, e: u8, f: u8) -> Self {
        Self([a, b, c, d, e, f])
    }

    /// The six octets as they are on the wire.
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 6] {
        self.0
    }
}

impl From<[u8; 6]> for ObisCode {
    fn from(b: [u8; 6]) -> Self {
        Self(b)
    }
}

impl fmt::Display for ObisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a}-{b}:{c}.{d}.{e}.{g}")
    }
}

impl fmt::Debug for ObisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObisCode({self})")
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ObisCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Why a string is not an OBIS code in `A-B:C.D.E.F` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseObisError;

impl fmt::Display for ParseObisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OBIS code is six values 0-255 written A-B:C.D.E.F")
    }
}

impl core::error::Error for ParseObisError {}

impl FromStr for ObisCode {
    type Err = ParseObisError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (ab, rest) = s.split_once(':').ok_or(ParseObisError)?;
        let (a, b) = ab.split_once('-').ok_or(ParseObisError)?;
        let mut out = [0u8; 6];
        let mut groups = [a, b].into_iter().chain(rest.split('.'));
        for slot in &mut out {
            let g = groups.next().ok_or(ParseObisError)?;
            if g.is_empty() || !g.bytes().all(|c| c.is_ascii_digit()) {
                return Err(ParseObisError);
            }
            *slot = g.parse().map_err(|_| ParseObisError)?;
        }
        if groups.next().is_some() {
            return Err(ParseObisError);
        }
        Ok(Self(out))
    }
}

/// The deviation value meaning "not specified" (IEC 62056-6-2 4.1.6.1);
/// GBCS date-times carry it and are in UTC.
pub const DEVIATION_NOT_SPECIFIED: i16 = i16::MIN;

/// A COSEM date-time (IEC 62056-6-2 4.1.6.1), the octet-string(12) GBCS
/// uses for every date-time in DLMS payloads (GBCS 7.2.8). Fields hold the
/// wire values, wildcards (`0xFF`, `0xFFFF`) and GBCS's "last day" codes
/// included; [`Self::to_utc`] reads a fully specified one as an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CosemDateTime {
    /// Year, `0xFFFF` not specified.
    pub year: u16,
    /// Month 1-12; `0xFD`/`0xFE` daylight-saving end/begin, `0xFF` not
    /// specified.
    pub month: u8,
    /// Day of month 1-31; `0xFD` second last, `0xFE` last, `0xFF` not
    /// specified.
    pub day: u8,
    /// Day of week 1 (Monday) to 7, `0xFF` not specified.
    pub day_of_week: u8,
    /// Hour 0-23, `0xFF` not specified.
    pub hour: u8,
    /// Minute 0-59, `0xFF` not specified.
    pub minute: u8,
    /// Second 0-59, `0xFF` not specified.
    pub second: u8,
    /// Hundredths 0-99, `0xFF` not specified.
    pub hundredths: u8,
    /// Minutes of UTC minus local time (so UTC = local + deviation),
    /// [`DEVIATION_NOT_SPECIFIED`] when absent.
    pub deviation: i16,
    /// Clock status bits, `0xFF` not specified.
    pub clock_status: u8,
}

impl CosemDateTime {
    /// GBCS "now": nine zero octets, deviation not specified, status `FF`
    /// (an activation date-time that means "immediately").
    pub const NOW: Self = Self {
        year: 0,
        month: 0,
        day: 0,
        day_of_week: 0,
        hour: 0,
        minute: 0,
        second: 0,
        hundredths: 0,
        deviation: DEVIATION_NOT_SPECIFIED,
        clock_status: 0xFF,
    };

    /// GBCS "never": nine `FF` octets, deviation not specified, status `FF`
    /// (cancels a future-dated activation).
    pub const NEVER: Self = Self {
        year: 0xFFFF,
        month: 0xFF,
        day: 0xFF,
        day_of_week: 0xFF,
        hour: 0xFF,
        minute: 0xFF,
        second: 0xFF,
        hundredths: 0xFF,
        deviation: DEVIATION_NOT_SPECIFIED,
        clock_status: 0xFF,
    };

    /// From the 12 wire octets.
    #[must_use]
    pub const fn from_bytes(b: &[u8; DATE_TIME_LEN]) -> Self {
        Self {
            year: u16::from_be_bytes([b[0], b[1]]),
            month: b[2],
            day: b[3],
            day_of_week: b[4],
            hour: b[5],
            minute: b[6],
            second: b[7],
            hundredths: b[8],
            deviation: i16::from_be_bytes([b[9], b[10]]),
            clock_status: b[11],
        }
    }

    /// From an octet-string's contents; `None` unless it is 12 octets.
    #[must_use]
    pub fn from_slice(b: &[u8]) -> Option<Self> {
        b.try_into().ok().map(Self::from_bytes)
    }

    /// The 12 wire octets.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; DATE_TIME_LEN] {
        let [y0, y1] = self.year.to_be_bytes();
        let [d0, d1] = self.deviation.to_be_bytes();
        [
            y0,
            y1,
            self.month,
            self.day,
            self.day_of_week,
            self.hour,
            self.minute,
            self.second,
            self.hundredths,
            d0,
            d1,
            self.clock_status,
        ]
    }

    /// The instant as GBCS writes it: UTC, day of week not specified,
    /// hundredths 0, deviation not specified, status `FF`
    /// (e.g. `07 EE 01 0F FF 09 00 00 00 80 00 FF` for 2030-01-15T09:00Z).
    #[must_use]
    pub fn from_utc(t: Utc2000) -> Self {
        let c = t.to_civil();
        Self {
            year: c.year,
            month: c.month,
            day: c.day,
            day_of_week: 0xFF,
            hour: c.hour,
            minute: c.minute,
            second: c.second,
            hundredths: 0,
            deviation: DEVIATION_NOT_SPECIFIED,
            clock_status: 0xFF,
        }
    }

    /// Whether this is the GBCS "now" sentinel.
    #[must_use]
    pub fn is_now(&self) -> bool {
        self.to_bytes()
            .get(..9)
            .is_some_and(|b| b.iter().all(|&x| x == 0))
    }

    /// Whether this is the GBCS "never" sentinel.
    #[must_use]
    pub fn is_never(&self) -> bool {
        self.to_bytes()
            .get(..9)
            .is_some_and(|b| b.iter().all(|&x| x == 0xFF))
    }

    /// The instant, when year, month, day, hour, minute and second are all
    /// specified and valid (hundredths are dropped; an unspecified
    /// deviation means UTC, as in GBCS); `None` for wildcards, sentinels
    /// and instants before 2000.
    #[must_use]
    pub fn to_utc(&self) -> Option<Utc2000> {
        let local = Utc2000::from_civil(Civil {
            year: self.year,
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
        })?;
        if self.deviation == DEVIATION_NOT_SPECIFIED {
            return Some(local);
        }
        let utc = i64::from(local.0) + i64::from(self.deviation) * 60;
        u32::try_from(utc).ok().map(Utc2000)
    }
}

impl fmt::Display for CosemDateTime {
    /// ISO 8601 when the instant is fully specified, `now`/`never` for the
    /// GBCS sentinels, otherwise the fields with `*` for a wildcard
    /// (`*-*-01T00:00:00` for "the first of every month").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_now() {
            return f.write_str("now");
        }
        if self.is_never() {
            return f.write_str("never");
        }
        if let Some(t) = self.to_utc() {
            return t.fmt(f);
        }
        let field = |f: &mut fmt::Formatter<'_>, v: u8, width: usize| match v {
            0xFF => f.write_str("*"),
            0xFE => f.write_str("last"),
            0xFD => f.write_str("second_last"),
            v => write!(f, "{v:0width$}"),
        };
        if self.year == 0xFFFF {
            f.write_str("*")?;
        } else {
            write!(f, "{:04}", self.year)?;
        }
        f.write_str("-")?;
        field(f, self.month, 2)?;
        f.write_str("-")?;
        field(f, self.day, 2)?;
        f.write_str("T")?;
        field(f, self.hour, 2)?;
        f.write_str(":")?;
        field(f, self.minute, 2)?;
        f.write_str(":")?;
        field(f, self.second, 2)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CosemDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn obis_prints_and_parses() {
        let o = ObisCode([0, 0, 0x5E, 0x2C, 2, 0]);
        assert_eq!(o.to_string(), "0-0:94.44.2.0");
        assert_eq!("0-0:94.44.2.0".parse(), Ok(o));
        assert_eq!(
            ObisCode::new(1, 0, 1, 8, 0, 255).to_string(),
            "1-0:1.8.0.255"
        );
        for bad in [
            "",
            "0-0:94.44.2",
            "0-0:94.44.2.0.1",
            "0:94.44.2.0",
            "0-0-94.44.2.0",
            "0-0:256.0.0.0",
            "0-0:+1.0.0.0",
            "0-0:.1.0.0",
            "a-0:1.2.3.4",
        ] {
            assert_eq!(bad.parse::<ObisCode>(), Err(ParseObisError), "{bad}");
        }
    }

    #[test]
    fn gbcs_date_times() {
        // 09 0C 07 EE 01 0F FF 09 00 00 00 80 00 FF: an RTDS alert time stamp.
        let b = [
            0x07, 0xEE, 0x01, 0x0F, 0xFF, 0x09, 0, 0, 0, 0x80, 0x00, 0xFF,
        ];
        let t = CosemDateTime::from_bytes(&b);
        assert_eq!(t.to_string(), "2030-01-15T09:00:00Z");
        assert_eq!(CosemDateTime::from_utc(t.to_utc().unwrap()), t);
        assert_eq!(t.to_bytes(), b);
        let now = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0xFF];
        assert_eq!(CosemDateTime::from_bytes(&now), CosemDateTime::NOW);
        assert_eq!(CosemDateTime::NOW.to_string(), "now");
        assert_eq!(CosemDateTime::NOW.to_utc(), None);
        let never = [
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0xFF,
        ];
        assert_eq!(CosemDateTime::from_bytes(&never), CosemDateTime::NEVER);
        assert_eq!(CosemDateTime::NEVER.to_string(), "never");
        // A calendar entry: every year, 1 January, midnight.
        let wild = [0xFF, 0xFF, 0x01, 0x01, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF];
        assert_eq!(
            CosemDateTime::from_bytes(&wild).to_string(),
            "*-01-01T00:00:00"
        );
        assert_eq!(CosemDateTime::from_slice(&b[..11]), None);
    }

    #[test]
    fn deviation_is_minutes_utc_minus_local() {
        // 10:00 local with deviation -60 (UTC+1) is 09:00 UTC.
        let mut t = CosemDateTime::from_utc(
            Utc2000::from_civil(Civil {
                year: 2030,
                month: 1,
                day: 15,
                hour: 10,
                minute: 0,
                second: 0,
            })
            .unwrap(),
        );
        t.deviation = -60;
        assert_eq!(t.to_utc().unwrap().to_string(), "2030-01-15T09:00:00Z");
    }

    proptest! {
        #[test]
        fn bytes_round_trip(b in any::<[u8; 12]>()) {
            prop_assert_eq!(CosemDateTime::from_bytes(&b).to_bytes(), b);
        }

        #[test]
        fn obis_round_trips(b in any::<[u8; 6]>()) {
            let o = ObisCode(b);
            prop_assert_eq!(o.to_string().parse::<ObisCode>(), Ok(o));
        }

        #[test]
        fn utc_round_trips(s in any::<u32>()) {
            let t = CosemDateTime::from_utc(Utc2000(s));
            prop_assert_eq!(t.to_utc(), Some(Utc2000(s)));
        }
    }
}
