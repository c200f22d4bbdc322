//! A bounded cursor over untrusted bytes.

use crate::{DecodeError, DecodeErrorKind, Eui64, Layer};

/// Reads fields from a byte slice, checking the length of each before it is read.
///
/// Offsets in the errors it returns are counted from the start of the slice
/// plus the `base` given at construction, so a layer decoded from a sub-slice
/// still reports positions in the outer buffer.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    layer: Layer,
}

macro_rules! read_int {
    ($(#[$m:meta])* $name:ident, $ty:ty, $n:expr, $conv:ident) => {
        $(#[$m])*
        ///
        /// # Errors
        /// [`DecodeErrorKind::Truncated`] when fewer bytes are left.
        #[inline]
        pub fn $name(&mut self, field: &'static str) -> Result<$ty, DecodeError> {
            Ok(<$ty>::$conv(self.array::<$n>(field)?))
        }
    };
}

impl<'a> Reader<'a> {
    /// A reader over `buf` for `layer`.
    #[must_use]
    pub const fn new(buf: &'a [u8], layer: Layer) -> Self {
        Self {
            buf,
            pos: 0,
            base: 0,
            layer,
        }
    }

    /// A reader whose error offsets are shifted by `base`.
    #[must_use]
    pub const fn with_base(buf: &'a [u8], layer: Layer, base: usize) -> Self {
        Self {
            buf,
            pos: 0,
            base,
            layer,
        }
    }

    /// The layer errors are reported for.
    #[must_use]
    pub const fn layer(&self) -> Layer {
        self.layer
    }

    /// Bytes read so far.
    #[must_use]
    pub const fn pos(&self) -> usize {
        self.pos
    }

    /// The current position as an offset in the outermost buffer (the base
    /// given to [`Reader::with_base`] plus the bytes read).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes left.
    #[must_use]
    pub const fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// Whether every byte has been read.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The whole input.
    #[must_use]
    pub const fn input(&self) -> &'a [u8] {
        self.buf
    }

    /// An error of `kind` at the current position.
    #[must_use]
    pub const fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.layer, self.base + self.pos, kind)
    }

    /// An error of `kind` at `pos` bytes into this reader's input.
    #[must_use]
    pub const fn error_at(&self, pos: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.layer, self.base + pos, kind)
    }

    /// An invalid-value error for the field that ends at the current position
    /// and was `len` bytes long.
    #[must_use]
    pub const fn invalid(&self, len: usize, field: &'static str, value: u64) -> DecodeError {
        self.error_at(
            self.pos.saturating_sub(len),
            DecodeErrorKind::Invalid { field, value },
        )
    }

    /// Reads `n` bytes.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] when fewer bytes are left.
    #[inline]
    pub fn bytes(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], DecodeError> {
        match self.buf.get(self.pos..).and_then(|rest| rest.get(..n)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(self.truncated(field, n)),
        }
    }

    /// The truncation error for a field of `needed` bytes at the current
    /// position. Kept out of line so that the reads that succeed stay short.
    #[cold]
    #[inline(never)]
    fn truncated(&self, field: &'static str, needed: usize) -> DecodeError {
        self.error(DecodeErrorKind::Truncated {
            field,
            needed,
            available: self.remaining(),
        })
    }

    /// Reads a fixed-size array.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] when fewer bytes are left.
    #[inline]
    pub fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let s = self.bytes(N, field)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Reads one byte.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] at the end of the input.
    #[inline]
    pub fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.truncated(field, 1)),
        }
    }

    /// The next byte, without consuming it.
    #[must_use]
    pub fn peek_u8(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    read_int!(
        /// Reads a little-endian `u16`.
        u16_le, u16, 2, from_le_bytes
    );
    read_int!(
        /// Reads a big-endian `u16`.
        u16_be, u16, 2, from_be_bytes
    );
    read_int!(
        /// Reads a little-endian `u32`.
        u32_le, u32, 4, from_le_bytes
    );
    read_int!(
        /// Reads a big-endian `u32`.
        u32_be, u32, 4, from_be_bytes
    );
    read_int!(
        /// Reads a little-endian `u64`.
        u64_le, u64, 8, from_le_bytes
    );

    /// Reads a big-endian unsigned integer of `n` bytes (1 to 8), as DLMS
    /// and GBCS headers send them.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] when fewer bytes are left.
    pub fn uint_be(&mut self, n: usize, field: &'static str) -> Result<u64, DecodeError> {
        let s = self.bytes(n.min(8), field)?;
        let mut b = [0u8; 8];
        if let Some(high) = b.get_mut(8 - s.len()..) {
            high.copy_from_slice(s);
        }
        Ok(u64::from_be_bytes(b))
    }

    /// Reads a little-endian unsigned integer of `n` bytes (1 to 8), as ZCL's
    /// 24-, 40-, 48- and 56-bit types need.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] when fewer bytes are left.
    #[inline]
    pub fn uint_le(&mut self, n: usize, field: &'static str) -> Result<u64, DecodeError> {
        let n = n.min(8);
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if rest.len() < n {
            return Err(self.truncated(field, n));
        }
        // One unaligned 8-byte load and a shift or mask when the input has
        // 8 bytes around the field, instead of a variable-length copy.
        #[allow(clippy::cast_possible_truncation)] // at most 64
        let unused = (64 - 8 * n) as u32;
        let end = self.pos + n;
        let v = if let Some(b) = rest.first_chunk::<8>() {
            u64::from_le_bytes(*b) & u64::MAX.checked_shr(unused).unwrap_or(0)
        } else if let Some(b) = end
            .checked_sub(8)
            .and_then(|start| self.buf.get(start..end))
            .and_then(|s| s.first_chunk::<8>())
        {
            u64::from_le_bytes(*b).checked_shr(unused).unwrap_or(0)
        } else {
            rest.iter()
                .take(n)
                .rev()
                .fold(0, |acc, &b| (acc << 8) | u64::from(b))
        };
        self.pos += n;
        Ok(v)
    }

    /// Reads an EUI-64 sent least significant byte first.
    ///
    /// # Errors
    /// [`DecodeErrorKind::Truncated`] when fewer than 8 bytes are left.
    #[inline]
    pub fn eui64(&mut self, field: &'static str) -> Result<Eui64, DecodeError> {
        Ok(Eui64::from_le_bytes(self.array(field)?))
    }

    /// Everything that is left.
    #[inline]
    pub fn rest(&mut self) -> &'a [u8] {
        let s = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        s
    }

    /// Succeeds only when every byte has been read.
    ///
    /// # Errors
    /// [`DecodeErrorKind::TrailingBytes`] otherwise.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(self.error(DecodeErrorKind::TrailingBytes { count })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_fields_and_reports_truncation_with_offset() {
        let mut r = Reader::with_base(&[1, 2, 3, 4, 5], Layer::Nwk, 10);
        assert_eq!(r.u8("a"), Ok(1));
        assert_eq!(r.u16_le("b"), Ok(0x0302));
        assert_eq!(r.uint_le(1, "c"), Ok(4));
        let e = r.u32_le("d").unwrap_err();
        assert_eq!(e.offset, 14);
        assert_eq!(e.layer, Layer::Nwk);
        assert_eq!(
            e.kind,
            DecodeErrorKind::Truncated {
                field: "d",
                needed: 4,
                available: 1
            }
        );
        assert_eq!(r.rest(), &[5]);
        assert!(r.finish().is_ok());
        assert!(r.u8("e").is_err());
    }

    #[test]
    fn huge_lengths_do_not_overflow() {
        let mut r = Reader::new(&[1, 2], Layer::Aps);
        assert!(r.u8("x").is_ok());
        assert!(r.bytes(usize::MAX, "y").is_err());
        assert!(r.uint_le(usize::MAX, "z").is_err());
        assert_eq!(r.pos(), 1);
    }

    #[test]
    fn uint_le_agrees_with_bytewise_reading_at_every_position() {
        let data: [u8; 12] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xff];
        for len in 0..=data.len() {
            for pos in 0..=len {
                for n in 0..=9 {
                    let mut r = Reader::new(&data[..len], Layer::Zcl);
                    r.bytes(pos, "skip").unwrap();
                    let got = r.uint_le(n, "v");
                    let w = n.min(8);
                    if pos + w > len {
                        assert!(got.is_err(), "{len} {pos} {n}");
                        assert_eq!(r.pos(), pos);
                        continue;
                    }
                    let want = data[pos..pos + w]
                        .iter()
                        .rev()
                        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
                    assert_eq!(got, Ok(want), "{len} {pos} {n}");
                    assert_eq!(r.pos(), pos + w);
                }
            }
        }
    }
}
