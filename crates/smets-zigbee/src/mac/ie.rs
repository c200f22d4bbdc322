//! IEEE 802.15.4 information elements (IEEE 802.15.4-2015 7.4): the header IE
//! and payload IE descriptors, list termination and iterators over raw lists.
//!
//! Only the outer descriptors are decoded; the content of each element (for
//! example the nested MLME sub-IEs of payload group 1) is handed out as bytes.

use smets_core::{DecodeError, Layer, Reader, open_enum};

open_enum! {
    /// Header IE element identifier (IEEE 802.15.4-2015 table 7-7); a few are named.
    pub enum HeaderIeId: u8 {
        /// Vendor Specific Header IE.
        VendorSpecific = 0x00 => "vendor_specific",
        /// CSL IE.
        Csl = 0x1a => "csl",
        /// RIT IE.
        Rit = 0x1b => "rit",
        /// Rendezvous Time IE.
        RendezvousTime = 0x1d => "rendezvous_time",
        /// Time Correction IE.
        TimeCorrection = 0x1e => "time_correction",
        /// Header Termination 1 IE: payload IEs follow.
        HeaderTermination1 = 0x7e => "header_termination_1",
        /// Header Termination 2 IE: the MAC payload follows, without payload IEs.
        HeaderTermination2 = 0x7f => "header_termination_2",
    }
}

open_enum! {
    /// Payload IE group identifier (IEEE 802.15.4-2015 table 7-15).
    pub enum PayloadIeGroup: u8 {
        /// Encapsulated Service Data Unit (ESDU) IE.
        Esdu = 0x0 => "esdu",
        /// MLME IE, holding nested sub-IEs.
        Mlme = 0x1 => "mlme",
        /// Vendor Specific Nested IE.
        VendorSpecific = 0x2 => "vendor_specific",
        /// Multiplexed IE (IEEE 802.15.9).
        Multiplexed = 0x3 => "multiplexed",
        /// IETF IE (RFC 8137).
        Ietf = 0x5 => "ietf",
        /// Payload Termination IE.
        Termination = 0xf => "termination",
    }
}

/// One header IE (IEEE 802.15.4-2015 7.4.2): a 7-bit length, an 8-bit element
/// id and the type bit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderIe<'a> {
    /// Element id.
    pub element_id: HeaderIeId,
    /// Content, `length` bytes.
    pub content: &'a [u8],
}

impl HeaderIe<'_> {
    /// The Length field: bytes of content.
    #[must_use]
    pub fn length(&self) -> usize {
        self.content.len()
    }
}

/// One payload IE (IEEE 802.15.4-2015 7.4.3): an 11-bit length, a 4-bit group
/// id and the type bit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadIe<'a> {
    /// Group id.
    pub group_id: PayloadIeGroup,
    /// Content, `length` bytes.
    pub content: &'a [u8],
}

impl PayloadIe<'_> {
    /// The Length field: bytes of content.
    #[must_use]
    pub fn length(&self) -> usize {
        self.content.len()
    }
}

/// How a header IE list ended (IEEE 802.15.4-2015 7.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderTermination {
    /// No termination IE: the list runs to the end of the frame (before any MIC).
    None,
    /// Header Termination 1: payload IEs follow.
    Ht1,
    /// Header Termination 2: the MAC payload follows.
    Ht2,
}

const HT1: u8 = 0x7e;
const HT2: u8 = 0x7f;
const PAYLOAD_TERMINATION: u8 = 0xf;

fn header_descriptor(d: u16) -> (bool, u8, usize) {
    let is_payload = d & 0x8000 != 0;
    #[allow(clippy::cast_possible_truncation)] // masked to 8 bits
    let id = ((d >> 7) & 0xff) as u8;
    (is_payload, id, usize::from(d & 0x7f))
}

fn payload_descriptor(d: u16) -> (bool, u8, usize) {
    let is_payload = d & 0x8000 != 0;
    #[allow(clippy::cast_possible_truncation)] // masked to 4 bits
    let group = ((d >> 11) & 0x0f) as u8;
    (is_payload, group, usize::from(d & 0x07ff))
}

/// Reads header IEs from the front of `r` until a termination IE or the end of
/// the reader; returns the bytes consumed and how the list ended.
///
/// # Errors
/// Truncation, or an IE whose type bit says "payload IE" where a header IE
/// must stand.
pub(crate) fn scan_header_ies(r: &mut Reader<'_>) -> Result<HeaderTermination, DecodeError> {
    while !r.is_empty() {
        let d = r.u16_le("header IE descriptor")?;
        let (is_payload, id, len) = header_descriptor(d);
        if is_payload {
            return Err(r.invalid(2, "header IE type", u64::from(d)));
        }
        r.bytes(len, "header IE content")?;
        match id {
            HT1 => return Ok(HeaderTermination::Ht1),
            HT2 => return Ok(HeaderTermination::Ht2),
            _ => {}
        }
    }
    Ok(HeaderTermination::None)
}

/// Reads payload IEs from the front of `r` until a Payload Termination IE or the
/// end of the reader; returns whether the termination IE was seen.
///
/// # Errors
/// Truncation, or an IE whose type bit says "header IE".
pub(crate) fn scan_payload_ies(r: &mut Reader<'_>) -> Result<bool, DecodeError> {
    while !r.is_empty() {
        let d = r.u16_le("payload IE descriptor")?;
        let (is_payload, group, len) = payload_descriptor(d);
        if !is_payload {
            return Err(r.invalid(2, "payload IE type", u64::from(d)));
        }
        r.bytes(len, "payload IE content")?;
        if group == PAYLOAD_TERMINATION {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Splits the payload IE list off the front of a MAC payload whose header IE
/// list ended with Header Termination 1, as a decrypted 2015 frame needs
/// (IEEE 802.15.4-2015 7.4.1): `(payload IEs, MAC payload)`.
///
/// # Errors
/// As the payload IE scan: truncation or a header IE in the payload IE list.
pub fn split_payload_ies(buf: &[u8]) -> Result<(&[u8], &[u8]), DecodeError> {
    let mut r = Reader::new(buf, Layer::Mac);
    scan_payload_ies(&mut r)?;
    Ok(buf.split_at(r.pos()))
}

/// Iterator over a header IE list checked by the frame decoder (or any bytes:
/// it stops at the first malformed element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderIes<'a> {
    rest: &'a [u8],
}

impl<'a> HeaderIes<'a> {
    /// Iterates over `bytes`.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Checks that `bytes` is a well-formed header IE list in which only the
    /// last element may be a termination IE, and returns how it ends.
    ///
    /// # Errors
    /// A [`DecodeError`] at the first malformed element, or
    /// [`smets_core::DecodeErrorKind::TrailingBytes`] after a termination IE.
    pub fn check(bytes: &[u8]) -> Result<HeaderTermination, DecodeError> {
        let mut r = Reader::new(bytes, Layer::Mac);
        let t = scan_header_ies(&mut r)?;
        r.finish()?;
        Ok(t)
    }
}

impl<'a> Iterator for HeaderIes<'a> {
    type Item = HeaderIe<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut r = Reader::new(self.rest, Layer::Mac);
        let d = r.u16_le("header IE descriptor").ok()?;
        let (is_payload, id, len) = header_descriptor(d);
        if is_payload {
            self.rest = &[];
            return None;
        }
        let content = r.bytes(len, "header IE content").ok()?;
        self.rest = r.rest();
        Some(HeaderIe {
            element_id: HeaderIeId::from(id),
            content,
        })
    }
}

/// Iterator over a payload IE list (it stops at the first malformed element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadIes<'a> {
    rest: &'a [u8],
}

impl<'a> PayloadIes<'a> {
    /// Iterates over `bytes`.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Checks that `bytes` is a well-formed payload IE list in which only the
    /// last element may be the Payload Termination IE; returns whether it ends
    /// with one.
    ///
    /// # Errors
    /// A [`DecodeError`] at the first malformed element, or
    /// [`smets_core::DecodeErrorKind::TrailingBytes`] after a termination IE.
    pub fn check(bytes: &[u8]) -> Result<bool, DecodeError> {
        let mut r = Reader::new(bytes, Layer::Mac);
        let t = scan_payload_ies(&mut r)?;
        r.finish()?;
        Ok(t)
    }
}

impl<'a> Iterator for PayloadIes<'a> {
    type Item = PayloadIe<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut r = Reader::new(self.rest, Layer::Mac);
        let d = r.u16_le("payload IE descriptor").ok()?;
        let (is_payload, group, len) = payload_descriptor(d);
        if !is_payload {
            self.rest = &[];
            return None;
        }
        let content = r.bytes(len, "payload IE content").ok()?;
        self.rest = r.rest();
        Some(PayloadIe {
            group_id: PayloadIeGroup::from(group),
            content,
        })
    }
}

/// Encodes a header IE descriptor.
#[must_use]
pub fn header_ie_descriptor(element_id: u8, length: u8) -> [u8; 2] {
    ((u16::from(element_id) << 7) | u16::from(length & 0x7f)).to_le_bytes()
}

/// Encodes a payload IE descriptor.
#[must_use]
pub fn payload_ie_descriptor(group_id: u8, length: u16) -> [u8; 2] {
    (0x8000 | (u16::from(group_id & 0x0f) << 11) | (length & 0x07ff)).to_le_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn header_list_with_csl_and_ht1() {
        // CSL IE (id 0x1a, 4 bytes), then HT1.
        let mut v = header_ie_descriptor(0x1a, 4).to_vec();
        v.extend_from_slice(&[1, 2, 3, 4]);
        v.extend_from_slice(&header_ie_descriptor(HT1, 0));
        assert_eq!(v[..2], [0x04, 0x0d]);
        assert_eq!(HeaderIes::check(&v), Ok(HeaderTermination::Ht1));
        let ies: alloc::vec::Vec<_> = HeaderIes::new(&v).collect();
        assert_eq!(ies.len(), 2);
        assert_eq!(ies[0].element_id, HeaderIeId::Csl);
        assert_eq!(ies[0].content, &[1, 2, 3, 4]);
        assert_eq!(ies[1].element_id, HeaderIeId::HeaderTermination1);
        assert_eq!(ies[1].length(), 0);
        // HT2 is 0x3f80 on air: `80 3f`.
        assert_eq!(header_ie_descriptor(HT2, 0), [0x80, 0x3f]);
        // Bytes after a termination IE are not part of the list.
        let mut w = v.clone();
        w.push(0);
        assert!(HeaderIes::check(&w).is_err());
        for cut in 1..v.len() {
            if cut == 6 {
                continue; // a complete CSL IE on its own
            }
            assert!(HeaderIes::check(&v[..cut]).is_err(), "{cut}");
        }
    }

    #[test]
    fn payload_list_and_termination() {
        // Payload termination is 0xf800 on air: `00 f8`.
        assert_eq!(payload_ie_descriptor(0xf, 0), [0x00, 0xf8]);
        let mut v = payload_ie_descriptor(0x1, 3).to_vec();
        v.extend_from_slice(&[9, 8, 7]);
        v.extend_from_slice(&payload_ie_descriptor(0xf, 0));
        v.extend_from_slice(b"data");
        let (ies, rest) = split_payload_ies(&v).unwrap();
        assert_eq!(rest, b"data");
        assert_eq!(PayloadIes::check(ies), Ok(true));
        let list: alloc::vec::Vec<_> = PayloadIes::new(ies).collect();
        assert_eq!(list[0].group_id, PayloadIeGroup::Mlme);
        assert_eq!(list[0].content, &[9, 8, 7]);
        assert_eq!(list[1].group_id, PayloadIeGroup::Termination);
        // A header IE descriptor where a payload IE must be.
        assert!(PayloadIes::check(&header_ie_descriptor(1, 0)).is_err());
    }
}
