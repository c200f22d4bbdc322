//! The two traits every layer implements.

use alloc::vec::Vec;
use bytes::BufMut;

use crate::{DecodeError, EncodeError, EncodeErrorKind, Layer};

/// Zero-copy decoding: the value borrows its variable parts from `buf`.
pub trait Decode<'a>: Sized {
    /// Decodes one value that fills `buf` exactly.
    ///
    /// # Errors
    /// A [`DecodeError`] naming the layer and offset when the bytes are not a valid value.
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError>;
}

/// Encoding into any [`BufMut`]: a `Vec<u8>`, a `BytesMut` or a `&mut [u8]`.
///
/// `encode` writes exactly `encoded_len()` bytes, checks the room first and
/// never panics; it rejects what the matching decoder would reject.
pub trait Encode {
    /// Number of bytes `encode` writes.
    fn encoded_len(&self) -> usize;

    /// Writes the wire form.
    ///
    /// # Errors
    /// [`EncodeErrorKind::BufferTooSmall`] when `out` has less room than
    /// `encoded_len()`, or an error naming the field that has no wire form.
    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError>;

    /// Encodes into a new vector.
    ///
    /// # Errors
    /// As [`Encode::encode`].
    fn to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode(&mut out)?;
        Ok(out)
    }
}

/// Checks that `out` can take `needed` more bytes.
///
/// # Errors
/// [`EncodeErrorKind::BufferTooSmall`] otherwise.
#[inline]
pub fn ensure_room<B: BufMut>(out: &B, needed: usize, layer: Layer) -> Result<(), EncodeError> {
    let available = out.remaining_mut();
    if available < needed {
        return Err(EncodeError::new(
            layer,
            EncodeErrorKind::BufferTooSmall { needed, available },
        ));
    }
    Ok(())
}
