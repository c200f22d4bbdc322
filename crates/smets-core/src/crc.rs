//! The CRC-16 variants of IEEE 802.15.4 and ZigBee.
//!
//! Both use the ITU-T polynomial x^16 + x^12 + x^5 + 1 processed least
//! significant bit first (0x8408); they differ in the initial value and the
//! final XOR.

// The loop bound equals the array length, so the index is always in range.
#[allow(clippy::indexing_slicing)]
const fn table() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x8408
            } else {
                crc >> 1
            };
            bit += 1;
        }
        t[i] = crc;
        i += 1;
    }
    t
}

static TABLE: [u16; 256] = table();

#[inline]
fn update(mut crc: u16, data: &[u8]) -> u16 {
    for &b in data {
        let idx = usize::from((crc ^ u16::from(b)) & 0xff);
        // `idx` is below 256 by construction, so `get` never misses.
        crc = (crc >> 8) ^ TABLE.get(idx).copied().unwrap_or(0);
    }
    crc
}

/// CRC-16/KERMIT: the 802.15.4 frame check sequence (IEEE 802.15.4-2015 7.2.10).
///
/// Initial value 0, no final XOR; the FCS is sent least significant byte first.
#[must_use]
pub fn crc16_kermit(data: &[u8]) -> u16 {
    update(0, data)
}

/// Continues a CRC-16/KERMIT over more bytes: `crc16_kermit_update(crc16_kermit(a), b)`
/// equals `crc16_kermit(a ‖ b)`, so a frame written piecewise is checked without
/// being copied.
#[must_use]
pub fn crc16_kermit_update(crc: u16, data: &[u8]) -> u16 {
    update(crc, data)
}

/// CRC-16/X-25: the ZigBee install-code check (ZigBee SE 1.4 5.4.8.1.1).
///
/// Initial value 0xFFFF, final XOR 0xFFFF; appended least significant byte first.
#[must_use]
pub fn crc16_x25(data: &[u8]) -> u16 {
    update(0xffff, data) ^ 0xffff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_values_of_the_catalogue() {
        // The "check" value of each algorithm over the ASCII digits 1..9.
        assert_eq!(crc16_kermit(b"123456789"), 0x2189);
        assert_eq!(crc16_x25(b"123456789"), 0x906e);
    }

    #[test]
    fn kermit_continues_across_pieces() {
        let data = b"the quick brown fox jumps over the lazy dog";
        for split in 0..=data.len() {
            let (a, b) = data.split_at(split);
            assert_eq!(crc16_kermit_update(crc16_kermit(a), b), crc16_kermit(data));
        }
    }
}
