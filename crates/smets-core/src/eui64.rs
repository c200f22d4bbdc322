//! IEEE EUI-64 extended addresses (IEEE 802.15.4-2015 7.2.6, ZigBee R22 3.3.1.6).

use core::{fmt, str::FromStr};

/// An IEEE 64-bit extended unique identifier.
///
/// The numeric value is the address as people write it, most significant byte
/// first (`00:0d:6f:00:0b:8b:1f:2e`); on air 802.15.4 and ZigBee carry it least
/// significant byte first, which [`Eui64::from_le_bytes`] and
/// [`Eui64::to_le_bytes`] convert.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Eui64(pub u64);

impl Eui64 {
    /// The broadcast address `ff:ff:ff:ff:ff:ff:ff:ff`.
    pub const BROADCAST: Self = Self(u64::MAX);

    /// From the on-air (least significant byte first) form.
    #[must_use]
    pub const fn from_le_bytes(bytes: [u8; 8]) -> Self {
        Self(u64::from_le_bytes(bytes))
    }

    /// The on-air (least significant byte first) form.
    #[must_use]
    pub const fn to_le_bytes(self) -> [u8; 8] {
        self.0.to_le_bytes()
    }

    /// The display (most significant byte first) form.
    #[must_use]
    pub const fn to_be_bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for Eui64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.to_be_bytes();
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
        )
    }
}

impl fmt::Debug for Eui64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Eui64({self})")
    }
}

/// The text was not an EUI-64 (`00:0d:6f:00:0b:8b:1f:2e`, with `:` or `-`, or 16 hex digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an EUI-64 address (expected 8 hex bytes, most significant first)")]
pub struct ParseEui64Error;

impl FromStr for Eui64 {
    type Err = ParseEui64Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut value: u64 = 0;
        let mut digits = 0usize;
        for c in s.trim().chars() {
            if c == ':' || c == '-' {
                continue;
            }
            let d = c.to_digit(16).ok_or(ParseEui64Error)?;
            digits += 1;
            if digits > 16 {
                return Err(ParseEui64Error);
            }
            value = (value << 4) | u64::from(d);
        }
        if digits == 16 {
            Ok(Self(value))
        } else {
            Err(ParseEui64Error)
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Eui64 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_most_significant_first_and_air_order_is_reversed() {
        let a = Eui64::from_le_bytes([0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f, 0x00]);
        assert_eq!(alloc::format!("{a}"), "00:0f:ff:00:00:1f:02:22");
        assert_eq!("00:0f:ff:00:00:1f:02:22".parse::<Eui64>(), Ok(a));
        assert_eq!("000fff00001f0222".parse::<Eui64>(), Ok(a));
        assert_eq!("000fff00001f02".parse::<Eui64>(), Err(ParseEui64Error));
        assert_eq!("000fff00001f0222ff".parse::<Eui64>(), Err(ParseEui64Error));
        assert_eq!("zz0fff00001f0222".parse::<Eui64>(), Err(ParseEui64Error));
    }
}
