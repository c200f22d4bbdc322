//! ZigBee hashing (ZigBee R22 Annex B.6 and B.1.4): the Matyas-Meyer-Oseas hash over
//! AES-128, the keyed hash that derives the key-transport, key-load and Verify Key
//! values from a link key, and install codes (ZigBee SE 1.4 5.4.8.1.1).
//!
//! CCM* itself and the key ring that picks a key for a frame live elsewhere.

use aes::Aes128;
use aes::cipher::{Array, BlockCipherEncrypt, KeyInit};
use smets_core::crc::crc16_x25;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::Key128;

/// Block length of AES-128 and of the MMO hash, in bytes.
const BLOCK: usize = 16;

/// Messages of this many bytes (2^16 bits) or more take the long padding form
/// (ZigBee R22 B.6: the bit length no longer fits 16 bits).
const LONG_FORM_BYTES: usize = 8192;

/// One MMO compression step: `H = E(H, M) xor M` (ZigBee R22 B.6).
fn compress(state: &mut [u8; BLOCK], block: &[u8; BLOCK]) {
    let cipher = Aes128::new(&Array::from(*state));
    let mut out = Array::from(*block);
    cipher.encrypt_block(&mut out);
    for ((s, o), m) in state.iter_mut().zip(out.iter()).zip(block.iter()) {
        *s = o ^ m;
    }
    out.zeroize();
}

/// The Matyas-Meyer-Oseas hash of `data` (ZigBee R22 B.6), over AES-128 with an
/// all-zero initial value.
///
/// Padding follows B.6: a 1 bit, zero bits, then the message length in bits,
/// as 16 bits big-endian for messages under 8192 bytes, and as 32 bits
/// big-endian followed by 16 zero bits from 8192 bytes on. The hash is only
/// defined for messages under 2^32 bits (512 MiB); for longer input the length
/// field carries the low 32 bits of the bit count.
#[must_use]
pub fn mmo_hash(data: &[u8]) -> [u8; 16] {
    let mut state = [0u8; BLOCK];
    let mut blocks = data.chunks_exact(BLOCK);
    for chunk in blocks.by_ref() {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(chunk);
        compress(&mut state, &block);
        block.zeroize();
    }
    let rest = blocks.remainder();

    // The tail is the last partial block, the 0x80 marker, zeros and the
    // length field: one block, or two when the field no longer fits.
    let mut tail = [0u8; 2 * BLOCK];
    let bits = (data.len() as u64).wrapping_mul(8).to_be_bytes();
    let (field, field_len) = if data.len() < LONG_FORM_BYTES {
        ([bits[6], bits[7], 0, 0, 0, 0], 2)
    } else {
        ([bits[4], bits[5], bits[6], bits[7], 0, 0], 6)
    };
    let field = field.get(..field_len).unwrap_or_default();
    let tail_len = if rest.len() + 1 + field.len() <= BLOCK {
        BLOCK
    } else {
        2 * BLOCK
    };
    if let Some(dst) = tail.get_mut(..rest.len()) {
        dst.copy_from_slice(rest);
    }
    if let Some(marker) = tail.get_mut(rest.len()) {
        *marker = 0x80;
    }
    if let Some(dst) = tail.get_mut(tail_len - field.len()..tail_len) {
        dst.copy_from_slice(field);
    }
    for chunk in tail.get(..tail_len).unwrap_or_default().chunks_exact(BLOCK) {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(chunk);
        compress(&mut state, &block);
        block.zeroize();
    }
    tail.zeroize();
    state
}

/// The keyed hash for message authentication with a one-byte message
/// (ZigBee R22 B.1.4): `MMO((K xor opad) || MMO((K xor ipad) || input))` with
/// `ipad` = 0x36 and `opad` = 0x5C repeated over the 16-byte key.
#[must_use]
pub fn hmac_mmo(key: &Key128, input: u8) -> Key128 {
    let mut inner = [0u8; BLOCK + 1];
    for (d, k) in inner.iter_mut().zip(key.as_bytes()) {
        *d = k ^ 0x36;
    }
    if let Some(last) = inner.last_mut() {
        *last = input;
    }
    let mut inner_hash = mmo_hash(&inner);
    inner.zeroize();

    let mut outer = [0u8; 2 * BLOCK];
    let (pad, hash) = outer.split_at_mut(BLOCK);
    for (d, k) in pad.iter_mut().zip(key.as_bytes()) {
        *d = k ^ 0x5c;
    }
    hash.copy_from_slice(&inner_hash);
    inner_hash.zeroize();
    let out = Key128::new(mmo_hash(&outer));
    outer.zeroize();
    out
}

/// The key-transport key of a link key: HMAC-MMO(link key, 0x00) (ZigBee R22 4.5.3).
/// It secures APS Transport Key commands (key identifier 2).
#[must_use]
pub fn key_transport_key(link: &Key128) -> Key128 {
    hmac_mmo(link, 0x00)
}

/// The key-load key of a link key: HMAC-MMO(link key, 0x02) (ZigBee R22 4.5.3).
/// It secures application link keys being loaded (key identifier 3).
#[must_use]
pub fn key_load_key(link: &Key128) -> Key128 {
    hmac_mmo(link, 0x02)
}

/// The hash an APS Verify Key command carries: HMAC-MMO(Trust Center link key, 0x03)
/// (ZigBee R22 4.4.10.7).
#[must_use]
pub fn verify_key_hash(link: &Key128) -> Key128 {
    hmac_mmo(link, 0x03)
}

/// Why bytes are not an install code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstallCodeError {
    /// The code is not 6, 8, 12 or 16 bytes followed by a 2-byte CRC.
    #[error("install code has {len} bytes; expected 6, 8, 12 or 16 bytes of code plus 2 of CRC")]
    BadLength {
        /// Number of bytes given (code and CRC together, or code alone for
        /// [`InstallCode::from_code`]).
        len: usize,
    },
    /// The CRC does not match the code.
    #[error("install code CRC is {found:#06x}, expected {expected:#06x}")]
    BadCrc {
        /// CRC-16/X-25 computed over the code.
        expected: u16,
        /// CRC carried after the code.
        found: u16,
    },
    /// The text is not hexadecimal digits.
    #[error("install code text is not hexadecimal")]
    NotHex,
}

/// A ZigBee install code (ZigBee SE 1.4 5.4.8.1.1): 6, 8, 12 or 16 bytes
/// followed by their CRC-16/X-25, least significant byte first. The
/// preconfigured link key is the MMO hash of code and CRC; GB devices ship
/// 16-byte codes.
///
/// The bytes are wiped on drop and `Debug` shows only the length.
///
/// ```
/// use smets_zigbee::security::{InstallCode, Key128, key_transport_key};
///
/// // The example code of ZBOSS, SiLabs and kristian/zbtk, with its CRC C3 B5.
/// let ic = InstallCode::from_hex("83FED3407A939723A5C639B26916D505C3B5")?;
/// let link = ic.link_key();
/// assert_eq!(link, Key128::from_hex("66b6900981e1ee3ca4206b6b861c02bb").unwrap());
/// // The key that opens the Trust Center's APS Transport Key to this device.
/// let _transport = key_transport_key(&link);
/// # Ok::<(), smets_zigbee::security::InstallCodeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct InstallCode {
    /// Code then CRC; only the first `len` bytes are used.
    bytes: [u8; 18],
    len: usize,
}

impl InstallCode {
    /// Lengths of the code part the specification allows.
    pub const CODE_LENGTHS: [usize; 4] = [6, 8, 12, 16];

    /// Parses code ‖ CRC (8, 10, 14 or 18 bytes) and checks the CRC.
    ///
    /// # Errors
    /// [`InstallCodeError::BadLength`] or [`InstallCodeError::BadCrc`].
    pub fn parse(bytes: &[u8]) -> Result<Self, InstallCodeError> {
        let code_len = bytes.len().checked_sub(2);
        let Some(code_len) = code_len.filter(|n| Self::CODE_LENGTHS.contains(n)) else {
            return Err(InstallCodeError::BadLength { len: bytes.len() });
        };
        let (code, crc) = bytes.split_at(code_len);
        let expected = crc16_x25(code);
        let found = match crc {
            [lo, hi] => u16::from_le_bytes([*lo, *hi]),
            _ => return Err(InstallCodeError::BadLength { len: bytes.len() }),
        };
        if expected != found {
            return Err(InstallCodeError::BadCrc { expected, found });
        }
        let mut out = Self {
            bytes: [0; 18],
            len: bytes.len(),
        };
        if let Some(dst) = out.bytes.get_mut(..bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        Ok(out)
    }

    /// Builds an install code from its code part (6, 8, 12 or 16 bytes),
    /// appending the CRC.
    ///
    /// # Errors
    /// [`InstallCodeError::BadLength`].
    pub fn from_code(code: &[u8]) -> Result<Self, InstallCodeError> {
        if !Self::CODE_LENGTHS.contains(&code.len()) {
            return Err(InstallCodeError::BadLength { len: code.len() });
        }
        let mut out = Self {
            bytes: [0; 18],
            len: code.len() + 2,
        };
        let crc = crc16_x25(code).to_le_bytes();
        if let Some(dst) = out.bytes.get_mut(..code.len()) {
            dst.copy_from_slice(code);
        }
        if let Some(dst) = out.bytes.get_mut(code.len()..code.len() + 2) {
            dst.copy_from_slice(&crc);
        }
        Ok(out)
    }

    /// Parses hexadecimal text of code ‖ CRC, as printed on device labels;
    /// spaces, `:` and `-` between digits are ignored.
    ///
    /// # Errors
    /// [`InstallCodeError::NotHex`] for other characters or an odd digit
    /// count, otherwise as [`InstallCode::parse`].
    pub fn from_hex(text: &str) -> Result<Self, InstallCodeError> {
        let mut buf = [0u8; 18];
        let mut n = 0usize;
        let mut hi: Option<u8> = None;
        let mut too_long = false;
        for c in text.chars() {
            if matches!(c, ' ' | ':' | '-') {
                continue;
            }
            let d = c.to_digit(16).ok_or(InstallCodeError::NotHex)?;
            let d = u8::try_from(d).map_err(|_| InstallCodeError::NotHex)?;
            match hi.take() {
                None => hi = Some(d),
                Some(h) => {
                    match buf.get_mut(n) {
                        Some(slot) => *slot = (h << 4) | d,
                        None => too_long = true,
                    }
                    n += 1;
                }
            }
        }
        if hi.is_some() {
            buf.zeroize();
            return Err(InstallCodeError::NotHex);
        }
        let result = if too_long {
            Err(InstallCodeError::BadLength { len: n })
        } else {
            Self::parse(buf.get(..n).unwrap_or_default())
        };
        buf.zeroize();
        result
    }

    /// The code without its CRC.
    #[must_use]
    pub fn code(&self) -> &[u8] {
        self.bytes
            .get(..self.len.saturating_sub(2))
            .unwrap_or_default()
    }

    /// The CRC-16/X-25 of the code.
    #[must_use]
    pub fn crc(&self) -> u16 {
        let n = self.len.saturating_sub(2);
        match self.bytes.get(n..self.len) {
            Some([lo, hi]) => u16::from_le_bytes([*lo, *hi]),
            _ => 0,
        }
    }

    /// Code ‖ CRC as transmitted and printed.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// The preconfigured link key: MMO(code ‖ CRC) (ZigBee SE 1.4 5.4.8.1.1).
    #[must_use]
    pub fn link_key(&self) -> Key128 {
        Key128::new(mmo_hash(self.as_bytes()))
    }
}

impl core::fmt::Debug for InstallCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "InstallCode(<{} bytes redacted>)", self.len)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::cast_possible_truncation
    )]
    use super::*;
    use alloc::vec;

    fn key(hex: &str) -> Key128 {
        Key128::from_hex(hex).unwrap()
    }

    #[test]
    fn keyed_hash_of_the_alliance_key() {
        let k = Key128::ZIGBEE_ALLIANCE_09;
        assert_eq!(
            key_transport_key(&k),
            key("4bab0f173e1434a2d572e1c1ef478782")
        );
        assert_eq!(key_load_key(&k), key("c5a47035c332ccbf251571d8baded188"));
        assert_eq!(verify_key_hash(&k), key("1ab128df1639a1246aaba72a6a559124"));
    }

    #[test]
    fn install_code_of_the_zboss_example() {
        let ic = InstallCode::from_hex("83FED3407A939723A5C639B26916D505C3B5").unwrap();
        assert_eq!(ic.crc(), 0xb5c3);
        assert_eq!(ic.code().len(), 16);
        assert_eq!(ic.link_key(), key("66b6900981e1ee3ca4206b6b861c02bb"));
        assert_eq!(InstallCode::from_code(ic.code()).unwrap(), ic);
        let shown = alloc::format!("{ic:?}");
        assert!(!shown.contains("83") && !shown.contains("b5"), "{shown}");
    }

    #[test]
    fn bad_crcs_and_lengths_are_rejected() {
        let mut bytes = hex::decode("83fed3407a939723a5c639b26916d505c3b5").unwrap();
        bytes[17] ^= 0x01;
        assert_eq!(
            InstallCode::parse(&bytes),
            Err(InstallCodeError::BadCrc {
                expected: 0xb5c3,
                found: 0xb4c3
            })
        );
        bytes[17] ^= 0x01;
        bytes[0] ^= 0x80;
        assert!(matches!(
            InstallCode::parse(&bytes),
            Err(InstallCodeError::BadCrc { found: 0xb5c3, .. })
        ));
        for len in [0, 1, 2, 7, 9, 11, 16, 17, 19, 20] {
            assert_eq!(
                InstallCode::parse(&vec![0u8; len]),
                Err(InstallCodeError::BadLength { len })
            );
        }
        assert_eq!(
            InstallCode::from_hex("83fed3407a939723a5c639b26916d505c3b"),
            Err(InstallCodeError::NotHex)
        );
        assert_eq!(InstallCode::from_hex("zz"), Err(InstallCodeError::NotHex));
        assert_eq!(
            InstallCode::from_hex("83fed3407a939723a5c639b26916d505c3b50000"),
            Err(InstallCodeError::BadLength { len: 20 })
        );
        assert_eq!(
            InstallCode::from_code(&[0; 7]),
            Err(InstallCodeError::BadLength { len: 7 })
        );
    }

    #[test]
    fn every_code_length_round_trips() {
        for n in InstallCode::CODE_LENGTHS {
            let code: vec::Vec<u8> = (0..n)
                .map(|i| u8::try_from(i * 17 % 256).unwrap())
                .collect();
            let ic = InstallCode::from_code(&code).unwrap();
            assert_eq!(ic.code(), &code[..]);
            assert_eq!(InstallCode::parse(ic.as_bytes()).unwrap(), ic);
            assert_eq!(ic.as_bytes().len(), n + 2);
        }
    }

    /// A from-the-definition MMO with explicit padding, to check the block
    /// boundary cases of the streaming version.
    fn mmo_reference(data: &[u8]) -> [u8; 16] {
        let mut m = data.to_vec();
        let bits = (data.len() * 8) as u64;
        m.push(0x80);
        if data.len() < 8192 {
            while m.len() % 16 != 14 {
                m.push(0);
            }
            m.extend_from_slice(&(bits as u16).to_be_bytes());
        } else {
            while m.len() % 16 != 10 {
                m.push(0);
            }
            m.extend_from_slice(&(bits as u32).to_be_bytes());
            m.extend_from_slice(&[0, 0]);
        }
        let mut h = [0u8; 16];
        for c in m.chunks(16) {
            compress(&mut h, c.try_into().unwrap());
        }
        h
    }

    #[test]
    fn padding_matches_the_definition_at_every_boundary() {
        for len in (0..80).chain(8150..8230) {
            let data: vec::Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(mmo_hash(&data), mmo_reference(&data), "len {len}");
        }
    }

    #[test]
    fn long_messages_use_the_32_bit_length_form() {
        let data = vec![0x5au8; 70_000];
        let h = mmo_hash(&data);
        assert_eq!(h, mmo_reference(&data));
        // The two forms differ, so a message of 8192 bytes is not hashed as a short one.
        let short_form = {
            let mut m = data[..8192].to_vec();
            m.push(0x80);
            while m.len() % 16 != 14 {
                m.push(0);
            }
            m.extend_from_slice(&[0, 0]);
            let mut s = [0u8; 16];
            for c in m.chunks(16) {
                compress(&mut s, c.try_into().unwrap());
            }
            s
        };
        assert_ne!(mmo_hash(&data[..8192]), short_form);
    }
}
