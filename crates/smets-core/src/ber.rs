//! BER definite lengths (ITU-T X.690 8.1.3), as DLMS A-XDR (IEC 61334-6)
//! and the GBCS envelope write them: one byte up to 127, else `0x8n`
//! followed by `n` big-endian bytes (at most 4 here).

use bytes::BufMut;

use crate::{DecodeError, Reader};

impl Reader<'_> {
    /// Reads a BER definite length of at most four length bytes.
    ///
    /// # Errors
    /// Truncation, the indefinite form `0x80`, or more than four length bytes.
    pub fn ber_length(&mut self, field: &'static str) -> Result<usize, DecodeError> {
        let first = self.u8(field)?;
        if first < 0x80 {
            return Ok(usize::from(first));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err(self.invalid(1, field, u64::from(first)));
        }
        let v = self.uint_be(n, field)?;
        usize::try_from(v).map_err(|_| self.invalid(n, field, v))
    }
}

/// Bytes the shortest BER length of `n` takes.
#[must_use]
pub const fn length_len(n: usize) -> usize {
    match n {
        0..=0x7f => 1,
        0x80..=0xff => 2,
        0x100..=0xffff => 3,
        0x1_0000..=0xff_ffff => 4,
        _ => 5,
    }
}

/// Writes `n` as the shortest BER length (callers keep `n` below 2^32).
pub fn put_length<B: BufMut>(out: &mut B, n: usize) {
    let len = length_len(n);
    let be = (n as u64).to_be_bytes();
    if len == 1 {
        out.put_u8(be[7]);
    } else {
        // 0x81..=0x84: `len` is at most 5.
        out.put_u8(0x80 | u8::try_from(len - 1).unwrap_or(4));
        out.put_slice(be.get(9 - len..).unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Layer;
    use alloc::vec::Vec;

    #[test]
    fn every_form_round_trips() {
        for n in [
            0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, 0xff_ffff, 0x100_0000,
        ] {
            let mut out = Vec::new();
            put_length(&mut out, n);
            assert_eq!(out.len(), length_len(n));
            let mut r = Reader::new(&out, Layer::Gbcs);
            assert_eq!(r.ber_length("len").unwrap(), n);
            assert!(r.is_empty());
        }
        assert!(Reader::new(&[0x80], Layer::Gbcs).ber_length("len").is_err());
        assert!(
            Reader::new(&[0x85, 0, 0, 0, 0, 1], Layer::Gbcs)
                .ber_length("len")
                .is_err()
        );
        assert!(
            Reader::new(&[0x82, 1], Layer::Gbcs)
                .ber_length("len")
                .is_err()
        );
        assert_eq!(
            Reader::new(&[0x81, 5], Layer::Gbcs)
                .ber_length("len")
                .unwrap(),
            5
        );
    }
}
