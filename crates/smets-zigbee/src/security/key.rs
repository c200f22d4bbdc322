//! 128-bit keys that zeroize on drop and never print.

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// An AES-128 key: a network key, a link key or a key derived from one.
///
/// The bytes are wiped when the value is dropped, and `Debug` shows no key
/// material. Keys are written in the order Wireshark shows them ("Normal"):
/// the byte order in which they travel inside a Transport Key command.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Key128([u8; 16]);

impl Key128 {
    /// A key from its 16 bytes.
    #[must_use]
    pub const fn new(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The key bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses 32 hex digits (spaces and `:` allowed between bytes).
    #[must_use]
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut out = [0u8; 16];
        let mut n = 0usize;
        let mut hi: Option<u8> = None;
        for c in text.chars() {
            if c == ':' || c == ' ' || c == '-' {
                continue;
            }
            #[allow(clippy::cast_possible_truncation)] // a hex digit is below 16
            let d = c.to_digit(16)? as u8;
            match hi.take() {
                None => hi = Some(d),
                Some(h) => {
                    *out.get_mut(n)? = (h << 4) | d;
                    n += 1;
                }
            }
        }
        (n == 16 && hi.is_none()).then_some(Self(out))
    }

    /// The ZigBee Alliance's well-known global Trust Center link key,
    /// "ZigBeeAlliance09" (ZigBee 3.0 / HA 1.2; GB devices use install codes instead).
    pub const ZIGBEE_ALLIANCE_09: Self = Self(*b"ZigBeeAlliance09");
}

impl From<[u8; 16]> for Key128 {
    fn from(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for Key128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key128(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_never_prints_the_key() {
        let k = Key128::from_hex("26546b723b396a727b5d5271517d392f").unwrap();
        assert_eq!(k.as_bytes()[0], 0x26);
        assert_eq!(k.as_bytes()[15], 0x2f);
        let shown = alloc::format!("{k:?}");
        assert!(!shown.contains("26") && !shown.contains("2f"), "{shown}");
        assert!(Key128::from_hex("26546b").is_none());
        assert!(Key128::from_hex("26546b723b396a727b5d5271517d392f00").is_none());
        assert!(Key128::from_hex("26546b723b396a727b5d5271517d392").is_none());
        assert_eq!(Key128::ZIGBEE_ALLIANCE_09.as_bytes()[0], 0x5a);
    }
}
