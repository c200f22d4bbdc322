//! The CRC-16 variants of IEEE 802.15.4 and ZigBee.
//!
//! Both use the ITU-T polynomial x^16 + x^12 + x^5 + 1 processed least
//! significant bit first (0x8408); they differ in the initial value and the
//! final XOR.

/// Slicing-by-16 tables: `TABLES[0]` is the classic byte table, `TABLES[k]`
/// advances a byte that sits `k` positions before the end of a block.
// Loop bounds equal the array lengths, so every index is in range.
#[allow(clippy::indexing_slicing)]
const fn tables() -> [[u16; 256]; 16] {
    let mut t = [[0u16; 256]; 16];
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
        t[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

static TABLES: [[u16; 256]; 16] = tables();

/// The CRC after a block of `N` bytes (2 to 16). Only the first two bytes
/// depend on the running CRC, so a block costs one short chain of dependent
/// loads however long it is, where a byte at a time costs one per byte.
// Every index is a byte, below the 256 entries of each table, and N <= 16.
#[allow(clippy::indexing_slicing)]
#[inline(always)]
fn block<const N: usize>(crc: u16, b: &[u8; N]) -> u16 {
    let t = &TABLES;
    let [lo, hi] = crc.to_le_bytes();
    let mut acc = t[N - 1][usize::from(b[0] ^ lo)] ^ t[N - 2][usize::from(b[1] ^ hi)];
    let mut i = 2;
    while i < N {
        acc ^= t[N - 1 - i][usize::from(b[i])];
        i += 1;
    }
    acc
}

// The index is a byte, below the 256 entries of the table.
#[allow(clippy::indexing_slicing)]
#[inline]
fn update(mut crc: u16, data: &[u8]) -> u16 {
    let mut rest = data;
    while let Some((b, tail)) = rest.split_first_chunk::<16>() {
        crc = block(crc, b);
        rest = tail;
    }
    if let Some((b, tail)) = rest.split_first_chunk::<8>() {
        crc = block(crc, b);
        rest = tail;
    }
    if let Some((b, tail)) = rest.split_first_chunk::<4>() {
        crc = block(crc, b);
        rest = tail;
    }
    if let Some((b, tail)) = rest.split_first_chunk::<2>() {
        crc = block(crc, b);
        rest = tail;
    }
    if let Some(&b) = rest.first() {
        let [lo, _] = crc.to_le_bytes();
        crc = (crc >> 8) ^ TABLES[0][usize::from(lo ^ b)];
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
    fn sliced_tables_agree_with_bitwise_crc() {
        fn bitwise(data: &[u8]) -> u16 {
            let mut crc = 0u16;
            for &b in data {
                crc ^= u16::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 != 0 {
                        (crc >> 1) ^ 0x8408
                    } else {
                        crc >> 1
                    };
                }
            }
            crc
        }
        let data: alloc::vec::Vec<u8> = (0..200u32)
            .map(|i| (i.wrapping_mul(37) ^ (i >> 3)).to_le_bytes()[0])
            .collect();
        for len in 0..data.len() {
            assert_eq!(
                crc16_kermit(&data[..len]),
                bitwise(&data[..len]),
                "length {len}"
            );
        }
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
