//! Where a GBCS payload carries encrypted parts (GBCS 7.3.4, 7.3.5): GBZ
//! components with the encryption bit and DLMS protected attributes.
use smets_core::DecodeError;

/// A protected part.
#[derive(Debug)]
pub struct ProtectedPart<'a> {
    /// Offset in the content of the security control byte.
    pub offset: usize,
    ciphered: &'a [u8],
}

impl<'a> ProtectedPart<'a> {
    /// Security control byte through tag.
    #[must_use]
    pub const fn ciphered(&self) -> &'a [u8] {
        self.ciphered
    }
}

/// The protected parts of `content`.
pub fn protected_parts(
    content: &[u8],
) -> impl Iterator<Item = Result<ProtectedPart<'_>, DecodeError>> {
    let _ = content;
    core::iter::empty()
}
