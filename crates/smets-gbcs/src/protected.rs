//! Where a GBCS payload carries encrypted parts (GBCS 7.3.4, 7.3.5): GBZ
//! components with the encryption bit and DLMS protected attributes.
//! It finds each part's security header, ciphertext and tag, and the
//! fields next to them; it neither derives keys nor decrypts.

use smets_core::{Decode, DecodeError, Encode, Eui64, Layer, Reader};
use smets_dlms::apdu::XdlmsApdu;
use smets_dlms::axdr::{Data, DataTag, Elements, MAX_DEPTH};

use crate::catalogue::PayloadFamily;
use crate::envelope::CraFlag;
use crate::gbz::{
    AlertContentKind, ComponentBody, ComponentIter, Components, GbzComponent, GbzHeader, GbzKind,
};

const LAYER: Layer = Layer::Gbcs;

/// ZigBee Smart Energy profile id that opens a GBZ payload (GBCS 7.2.3).
pub const GBZ_PROFILE_ID: u16 = 0x0109;
/// Extended-header control bit: last component of the message (GBCS 7.3.4).
pub const GBZ_CONTROL_LAST: u8 = 0x01;
/// Extended-header control bit: the component's ZCL payload is encrypted (GBCS 7.3.4).
pub const GBZ_CONTROL_ENCRYPTED: u8 = 0x02;
/// Extended-header control bit: a from-date-time precedes the ZCL header (GBCS 7.3.4).
pub const GBZ_CONTROL_FROM_DATE_TIME: u8 = 0x10;
/// GBZ alert code "Billing Data Log Updated" (GCS53), the one GBZ alert
/// whose alert-specific content is a component (GBCS 7.3.4).
pub const GBZ_ALERT_BILLING_DATA_LOG_UPDATED: u16 = 0x8F0A;
/// Security control of every GBCS encrypted part: security suite 0,
/// authenticated and encrypted (GBCS 7.3.5).
pub const SECURITY_CONTROL: u8 = 0x31;
/// Security header: security control and invocation counter (GBCS 7.3.5).
pub const SECURITY_HEADER_LEN: usize = 5;
/// Length of the AES-GCM tag closing an encrypted part (GBCS 7.3.5).
pub const TAG_LEN: usize = 12;
/// DLMS data-protection protection type "authentication and encryption"
/// (DLMS Blue Book class 30; GBCS 7.3.5).
pub const PROTECTION_TYPE_AUTHENTICATED_ENCRYPTED: u8 = 2;

/// The payload family, DER when the content is empty (it then has no parts).
fn payload_family(content: &[u8]) -> PayloadFamily {
    crate::envelope::payload_family(content).unwrap_or(PayloadFamily::Der)
}

/// The headers of an encrypted GBZ component, in clear before its ciphered
/// information (GBCS 7.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbzComponentHeader {
    /// Extended-header control field.
    pub control: u8,
    /// Extended-header cluster id.
    pub cluster_id: u16,
    /// From-date-time: UTC seconds since 2000-01-01, when the control says so.
    pub from_date_time: Option<u32>,
    /// Additional-header control.
    pub additional_header_control: u8,
    /// Additional-header frame counter.
    pub additional_frame_counter: u8,
    /// ZCL frame control.
    pub zcl_frame_control: u8,
    /// ZCL transaction sequence number.
    pub zcl_sequence: u8,
    /// ZCL command id.
    pub zcl_command_id: u8,
}

/// The protection parameters that precede a DLMS protected attribute
/// (DLMS Blue Book class 30 protection_parameters; GBCS 7.3.5): one
/// structure of protection type and protection options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectionParameters<'a> {
    /// Protection type (2: authentication and encryption).
    pub protection_type: u8,
    /// First byte of the transaction-id: the CRA flag the KDF uses (`04`
    /// in GBCS).
    pub cra_flag: u8,
    /// The rest of the transaction-id: the originator counter.
    pub originator_counter: u64,
    /// Originator system title.
    pub originator: Eui64,
    /// Recipient system title.
    pub recipient: Eui64,
    /// Other information (empty in GBCS).
    pub other_information: &'a [u8],
    /// Key info, unparsed (GBCS: agreed key, C(0e, 2s ECC CDH)).
    pub key_info: Data<'a>,
}

/// What surrounds an encrypted part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtectedKind<'a> {
    /// An encrypted GBZ component (GBCS 7.3.4).
    Gbz(GbzComponentHeader),
    /// A DLMS protected attribute (GBCS 7.3.5).
    Dlms(ProtectionParameters<'a>),
}

/// One encrypted part of a GBCS payload: its ciphered information, i.e.
/// security header, ciphertext and tag (GBCS 7.3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtectedPart<'a> {
    /// The component or protection parameters around it.
    pub kind: ProtectedKind<'a>,
    /// Offset of the ciphered information (its security control byte) in
    /// the content.
    pub offset: usize,
    /// Security control (`0x31`).
    pub security_control: u8,
    /// Invocation counter (0 in GBCS).
    pub invocation_counter: u32,
    /// The encrypted payload.
    pub ciphertext: &'a [u8],
    /// The AES-GCM tag.
    pub tag: &'a [u8; TAG_LEN],
    /// Length of the ciphered information: header, ciphertext and tag.
    pub ciphered_len: usize,
}

impl ProtectedPart<'_> {
    /// Length of the plaintext once decrypted.
    #[must_use]
    pub const fn plaintext_len(&self) -> usize {
        self.ciphertext.len()
    }

    /// Where the ciphered information lies in the content.
    #[must_use]
    pub const fn range(&self) -> core::ops::Range<usize> {
        self.offset..self.offset + self.ciphered_len
    }
}

/// Reads the ciphered information at `at` in `content`: security header,
/// ciphertext, tag.
fn ciphered<'a>(
    content: &'a [u8],
    at: usize,
    len: usize,
    kind: ProtectedKind<'a>,
) -> Result<ProtectedPart<'a>, DecodeError> {
    let mut r = Reader::with_base(content.get(at..).unwrap_or_default(), LAYER, at);
    if len < SECURITY_HEADER_LEN + TAG_LEN {
        return Err(DecodeError::invalid(
            LAYER,
            at,
            "ciphered information length",
            len as u64,
        ));
    }
    let security_control = r.u8("security control")?;
    if security_control != SECURITY_CONTROL {
        return Err(r.invalid(1, "security control", u64::from(security_control)));
    }
    let invocation_counter = r.u32_be("invocation counter")?;
    let ciphertext = r.bytes(len - SECURITY_HEADER_LEN - TAG_LEN, "ciphertext")?;
    let tag = r
        .bytes(TAG_LEN, "tag")?
        .first_chunk::<TAG_LEN>()
        .ok_or_else(|| DecodeError::truncated(LAYER, at, "tag", TAG_LEN, 0))?;
    Ok(ProtectedPart {
        kind,
        offset: at,
        security_control,
        invocation_counter,
        ciphertext,
        tag,
        ciphered_len: len,
    })
}

/// The encrypted parts of a GBCS payload, in content order: an iterator
/// that reads the payload as it goes, without allocating. It ends after the
/// first error.
#[derive(Debug, Clone)]
pub struct ProtectedParts<'a> {
    content: &'a [u8],
    state: State<'a>,
}

// The walk's stack makes the DLMS state large; boxing it would allocate
// on the decode path, and one iterator lives per payload.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
enum State<'a> {
    Done,
    GbzStart(CraFlag),
    /// The components, whose bytes start at `base` in the content.
    Gbz {
        base: usize,
        components: ComponentIter<'a>,
    },
    DlmsStart,
    Dlms(Walk<'a>),
}

/// A depth-first walk of the APDU's Data: `stack[..depth]` holds the lists
/// being iterated, innermost last.
#[derive(Debug, Clone)]
struct Walk<'a> {
    stack: [Elements<'a>; MAX_DEPTH],
    depth: usize,
    /// Protection parameters just read in the innermost list: the next
    /// sibling, when an octet-string, is the protected attribute.
    pending: Option<ProtectionParameters<'a>>,
}

/// The encrypted parts of `content`, the payload of a GBCS message whose
/// transaction-id carries `cra` (GBCS 7.3.4, 7.3.5). The CRA flag is needed
/// because a GBZ alert has two more header fields than a command or response.
///
/// GBZ payloads yield their encrypted components (in a GBZ alert only
/// "Billing Data Log Updated" carries one); DLMS payloads yield every
/// octet-string that follows an array of protection parameters in the same
/// list, anywhere in the APDU's data; DER payloads yield nothing.
///
/// ```
/// use smets_gbcs::envelope::CraFlag;
/// use smets_gbcs::protected::{ProtectedKind, protected_parts};
///
/// // A GCS13a response: one Metering component, encrypted (ciphertext and
/// // tag shortened to zeros here).
/// let mut content = vec![0x01, 0x09, 0x01, 0x03, 0x07, 0x02, 0x00, 0x1A, 0x00, 0x00];
/// content.extend_from_slice(&[0x18, 0x00, 0x01, 0x00, 0x13, 0x31, 0, 0, 0, 0]);
/// content.extend_from_slice(&[0; 2 + 12]);
/// let parts: Vec<_> = protected_parts(&content, CraFlag::Response)
///     .collect::<Result<_, _>>()
///     .unwrap();
/// assert_eq!(parts.len(), 1);
/// assert_eq!(parts[0].offset, 15);
/// assert_eq!(parts[0].plaintext_len(), 2);
/// assert!(matches!(parts[0].kind, ProtectedKind::Gbz(h) if h.cluster_id == 0x0702));
/// ```
#[must_use]
pub fn protected_parts(content: &[u8], cra: CraFlag) -> ProtectedParts<'_> {
    let state = match payload_family(content) {
        PayloadFamily::Gbz => State::GbzStart(cra),
        PayloadFamily::Dlms => State::DlmsStart,
        _ => State::Done,
    };
    ProtectedParts { content, state }
}

impl<'a> Iterator for ProtectedParts<'a> {
    type Item = Result<ProtectedPart<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let found = self.step();
        if !matches!(found, Some(Ok(_))) {
            self.state = State::Done;
        }
        found
    }
}

impl<'a> ProtectedParts<'a> {
    fn step(&mut self) -> Option<Result<ProtectedPart<'a>, DecodeError>> {
        loop {
            match &mut self.state {
                State::Done => return None,
                State::GbzStart(cra) => match gbz_components(self.content, *cra) {
                    Ok(Some((base, components))) => {
                        self.state = State::Gbz { base, components };
                    }
                    Ok(None) => return None,
                    Err(e) => return Some(Err(e)),
                },
                State::Gbz { base, components } => {
                    let at = *base + components.next_offset();
                    let c = components.next()?;
                    if let Some(part) = gbz_part(at, &c) {
                        return Some(Ok(part));
                    }
                }
                State::DlmsStart => match Walk::new(self.content) {
                    Ok(w) => self.state = State::Dlms(w),
                    Err(e) => return Some(Err(e)),
                },
                State::Dlms(walk) => return walk.next(self.content),
            }
        }
    }
}

/// The encrypted part of a GBZ component found at `at` in the content.
fn gbz_part<'a>(at: usize, c: &GbzComponent<'a>) -> Option<ProtectedPart<'a>> {
    let (ComponentBody::Encrypted(e), Some(off)) = (&c.body, c.ciphered_offset()) else {
        return None;
    };
    // A decoded component re-encodes, so its bytes are never refused here.
    let header = GbzComponentHeader {
        control: c.control.to_byte().unwrap_or_default(),
        cluster_id: c.cluster_id,
        from_date_time: c.from_date_time.map(|t| t.0),
        additional_header_control: e.additional_header.control,
        additional_frame_counter: e.additional_header.frame_counter,
        zcl_frame_control: e.header.frame_control.to_byte().unwrap_or_default(),
        zcl_sequence: e.header.tsn,
        zcl_command_id: e.header.command_id,
    };
    Some(ProtectedPart {
        kind: ProtectedKind::Gbz(header),
        offset: at + off,
        security_control: e.ciphered.security_control,
        invocation_counter: e.ciphered.invocation_counter,
        ciphertext: e.ciphered.ciphertext,
        tag: e.ciphered.tag,
        ciphered_len: e.ciphered.encoded_len(),
    })
}

/// Reads the GBZ header and checks the components (GBCS 7.3.4); `None` for
/// an alert whose content holds no component.
fn gbz_components(
    content: &[u8],
    cra: CraFlag,
) -> Result<Option<(usize, ComponentIter<'_>)>, DecodeError> {
    let (header, at) = GbzHeader::decode_prefix(content, GbzKind::from(cra))?;
    if header.content_kind() != AlertContentKind::Components {
        return Ok(None);
    }
    let rest = content.get(at..).unwrap_or_default();
    let components = Components::decode(rest, header.component_count).map_err(|e| e.shifted(at))?;
    Ok(Some((at, components.iter())))
}

impl<'a> Walk<'a> {
    fn new(content: &'a [u8]) -> Result<Self, DecodeError> {
        let root = match XdlmsApdu::decode(content)? {
            XdlmsApdu::AccessRequest(a) => a.data,
            XdlmsApdu::AccessResponse(a) => a.data,
            XdlmsApdu::DataNotification(n) => n.body.elements().unwrap_or(Elements::EMPTY),
        };
        let mut stack = [Elements::EMPTY; MAX_DEPTH];
        if let Some(first) = stack.first_mut() {
            *first = root;
        }
        Ok(Self {
            stack,
            depth: 1,
            pending: None,
        })
    }

    fn next(&mut self, content: &'a [u8]) -> Option<Result<ProtectedPart<'a>, DecodeError>> {
        loop {
            let top = self.depth.checked_sub(1)?;
            let Some((at, len, data)) = self.stack.get_mut(top)?.next_with_span() else {
                self.depth = top;
                self.pending = None;
                continue;
            };
            if let Some(params) = self.pending.take()
                && let Data::OctetString(s) = data
            {
                let contents_at = at + len - s.len();
                return Some(ciphered(
                    content,
                    contents_at,
                    s.len(),
                    ProtectedKind::Dlms(params),
                ));
            }
            let Some(elements) = data.elements() else {
                continue;
            };
            if data.tag() == DataTag::Array
                && let Some(params) = protection_parameters(elements, at)
            {
                match params {
                    Ok(p) => self.pending = Some(p),
                    Err(e) => return Some(Err(e)),
                }
                continue;
            }
            // A decoded tree is never deeper than the stack, so a list that
            // finds no room is an empty one at the deepest level.
            if let Some(slot) = self.stack.get_mut(self.depth) {
                *slot = elements;
                self.depth += 1;
            }
        }
    }
}

/// Recognises an array of protection parameters (DLMS Blue Book class 30:
/// array of structure {protection type enum, protection options
/// structure(5)}) and reads it; `None` when the array is something else.
fn protection_parameters(
    mut array: Elements<'_>,
    at: usize,
) -> Option<Result<ProtectionParameters<'_>, DecodeError>> {
    let count = array.len();
    let mut first = array.next()?.elements()?;
    if first.len() != 2 {
        return None;
    }
    let Some(Data::Enum(protection_type)) = first.next() else {
        return None;
    };
    let (options_at, _, options) = first.next_with_span()?;
    let options = match options {
        Data::Structure(o) if o.len() == 5 => o,
        _ => return None,
    };
    Some(read_protection_options(
        protection_type,
        count,
        options,
        at,
        options_at,
    ))
}

fn read_protection_options(
    protection_type: u8,
    count: usize,
    mut options: Elements<'_>,
    at: usize,
    options_at: usize,
) -> Result<ProtectionParameters<'_>, DecodeError> {
    // GBCS protects each attribute set with one layer of protection.
    if count != 1 {
        return Err(DecodeError::invalid(
            LAYER,
            at,
            "protection parameters count",
            count as u64,
        ));
    }
    if protection_type != PROTECTION_TYPE_AUTHENTICATED_ENCRYPTED {
        return Err(DecodeError::invalid(
            LAYER,
            options_at.saturating_sub(2),
            "protection type",
            u64::from(protection_type),
        ));
    }
    let mut octets = |field: &'static str, len: Option<usize>| {
        let (at, _, d) = options
            .next_with_span()
            .ok_or_else(|| DecodeError::invalid(LAYER, options_at, field, 0))?;
        match d {
            Data::OctetString(s) if len.is_none_or(|n| n == s.len()) => Ok(s),
            other => Err(DecodeError::invalid(
                LAYER,
                at,
                field,
                u64::from(other.tag().value()),
            )),
        }
    };
    let transaction_id = octets("transaction-id", Some(9))?;
    let originator = octets("originator-system-title", Some(8))?;
    let recipient = octets("recipient-system-title", Some(8))?;
    let other_information = octets("other-information", None)?;
    let key_info = options
        .next()
        .ok_or_else(|| DecodeError::invalid(LAYER, options_at, "key-info", 0))?;
    let eui = |s: &[u8]| Eui64(s.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b)));
    let (cra_flag, counter) = transaction_id.split_first().unwrap_or((&0, &[]));
    Ok(ProtectionParameters {
        protection_type,
        cra_flag: *cra_flag,
        originator_counter: eui(counter).0,
        originator: eui(originator),
        recipient: eui(recipient),
        other_information,
        key_info,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use super::*;

    /// GCS13a response (GBCS payload digest 3.5, RTDS 4.5.0): one encrypted
    /// Metering component; ciphertext and tag are stand-ins of the right length.
    fn gcs13a() -> Vec<u8> {
        let mut b = alloc::vec![
            0x01, 0x09, 0x01, 0x03, 0x07, 0x02, 0x00, 0x35, 0x00, 0x00, 0x18, 0x00, 0x01, 0x00,
            0x2E, 0x31, 0x00, 0x00, 0x00, 0x00,
        ];
        b.extend((0..29u8).map(|i| i ^ 0x5A));
        b.extend(0xA0..0xACu8);
        b
    }

    /// ECS19-shaped response: one data entry with protection parameters and
    /// a protected attribute, one action result.
    fn ecs19() -> Vec<u8> {
        let mut b = alloc::vec![0xDA, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x01];
        b.extend_from_slice(&[0x02, 0x02, 0x01, 0x01, 0x02, 0x02, 0x16, 0x02, 0x02, 0x05]);
        b.extend_from_slice(&[0x09, 0x09, 0x04, 0, 0, 0, 0, 0, 0, 0x03, 0xE8]);
        b.extend_from_slice(&[0x09, 0x08, 0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA0]);
        b.extend_from_slice(&[0x09, 0x08, 0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x01, 0x00, 0x00]);
        b.extend_from_slice(&[0x09, 0x00, 0x02, 0x02, 0x16, 0x02, 0x02, 0x02, 0x09, 0x01]);
        b.extend_from_slice(&[0x02, 0x09, 0x00, 0x09, 0x33, 0x31, 0, 0, 0, 0]);
        b.extend((0..34u8).map(|i| i.wrapping_mul(7)));
        b.extend(0xB0..0xBCu8);
        b.extend_from_slice(&[0x01, 0x03, 0x00]);
        b
    }

    #[test]
    fn gbz_component_located() {
        let b = gcs13a();
        let parts: Vec<_> = protected_parts(&b, CraFlag::Response)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(parts.len(), 1);
        let p = parts[0];
        assert_eq!(p.offset, 15);
        assert_eq!(p.ciphered_len, 46);
        assert_eq!(p.plaintext_len(), 29);
        assert_eq!(p.range(), 15..61);
        assert_eq!(p.security_control, 0x31);
        assert_eq!(p.invocation_counter, 0);
        assert_eq!(p.ciphertext, &b[20..49]);
        assert_eq!(p.tag, &b[49..61]);
        assert_eq!(
            p.kind,
            ProtectedKind::Gbz(GbzComponentHeader {
                control: 0x03,
                cluster_id: 0x0702,
                from_date_time: None,
                additional_header_control: 0,
                additional_frame_counter: 0,
                zcl_frame_control: 0x18,
                zcl_sequence: 0,
                zcl_command_id: 0x01,
            })
        );
        // The same bytes as a plaintext component hide nothing.
        let mut plain = b.clone();
        plain[3] = 0x01;
        assert_eq!(protected_parts(&plain, CraFlag::Response).count(), 0);
    }

    #[test]
    fn gbz_alert_header() {
        // GCS53: alert code 8F0A and time stamp, then the component.
        let b = gcs13a();
        let mut alert = b[..3].to_vec();
        alert.extend_from_slice(&[0x8F, 0x0A, 0x1C, 0x37, 0x4A, 0x80]);
        alert.extend_from_slice(&b[3..]);
        let p = protected_parts(&alert, CraFlag::Alert)
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(p.offset, 21);
        // Another alert code: the tail is alert-specific content, not components.
        alert[3] = 0x81;
        alert[4] = 0xA0;
        assert_eq!(protected_parts(&alert, CraFlag::Alert).count(), 0);
        // Read as a response, the alert header is a malformed component.
        assert!(protected_parts(&alert, CraFlag::Response).any(|p| p.is_err()));
    }

    #[test]
    fn dlms_protected_attribute_located() {
        let b = ecs19();
        let mut it = protected_parts(&b, CraFlag::Response);
        let p = it.next().unwrap().unwrap();
        assert!(it.next().is_none());
        assert_eq!(p.offset, 64);
        assert_eq!(p.ciphered_len, 51);
        assert_eq!(p.ciphertext.len(), 34);
        assert_eq!(p.tag, &b[103..115]);
        let ProtectedKind::Dlms(pp) = p.kind else {
            panic!("dlms")
        };
        assert_eq!(pp.protection_type, 2);
        assert_eq!(pp.cra_flag, 4);
        assert_eq!(pp.originator_counter, 1000);
        assert_eq!(pp.originator, Eui64(0x00DB_1234_5678_90A0));
        assert_eq!(pp.recipient, Eui64(0x90B3_D51F_3001_0000));
        assert_eq!(pp.other_information, &[] as &[u8]);
        assert_eq!(pp.key_info.elements().unwrap().next(), Some(Data::Enum(2)));
    }

    #[test]
    fn dlms_protection_errors() {
        // A wrong security control, a ciphered information shorter than
        // header and tag, a second protection layer: errors at the field.
        let mut b = ecs19();
        b[64] = 0x30;
        let e = protected_parts(&b, CraFlag::Response)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.offset, 64);
        let mut b = ecs19();
        b[15] = 0x01;
        let e = protected_parts(&b, CraFlag::Response)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.offset, 14);
        let mut b = ecs19();
        b[63] = 0x10;
        b.splice(64..64 + 51 - 16, []);
        let e = protected_parts(&b, CraFlag::Response)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(e.offset, 64);
        // Protection parameters followed by something else than an
        // octet-string leave nothing to decrypt.
        let mut b = ecs19();
        let n = b.len();
        b.splice(62..n - 3, [0x00]);
        assert_eq!(protected_parts(&b, CraFlag::Response).count(), 0);
    }

    #[test]
    fn other_payloads() {
        assert_eq!(payload_family(&[0x30, 0x03]), PayloadFamily::Der);
        assert_eq!(
            protected_parts(&[0x30, 0x03, 0x02, 0x01, 0x00], CraFlag::Command).count(),
            0
        );
        assert_eq!(protected_parts(&[], CraFlag::Command).count(), 0);
        let get = [
            0xD9, 0x20, 0, 3, 0xE8, 0, 1, 1, 0, 1, 0, 0, 0, 2, 1, 0xFF, 2, 1, 0,
        ];
        assert_eq!(payload_family(&get), PayloadFamily::Dlms);
        assert_eq!(protected_parts(&get, CraFlag::Command).count(), 0);
    }

    proptest::proptest! {
        #[test]
        fn mutated_contents_locate_or_fail(
            edits in proptest::collection::vec(
                (proptest::prelude::any::<proptest::sample::Index>(), proptest::prelude::any::<u8>()),
                1..4,
            ),
            dlms in proptest::prelude::any::<bool>(),
            cra in 1u8..4,
        ) {
            let mut b = if dlms { ecs19() } else { gcs13a() };
            for (at, v) in edits {
                let i = at.index(b.len());
                b[i] = v;
            }
            for part in protected_parts(&b, CraFlag::from(cra)) {
                match part {
                    Ok(p) => {
                        proptest::prop_assert!(p.range().end <= b.len());
                        proptest::prop_assert_eq!(p.security_control, SECURITY_CONTROL);
                        let start = p.offset + SECURITY_HEADER_LEN;
                        proptest::prop_assert_eq!(&b[start..start + p.plaintext_len()], p.ciphertext);
                        proptest::prop_assert_eq!(&b[p.range().end - TAG_LEN..p.range().end], &p.tag[..]);
                    }
                    Err(e) => proptest::prop_assert!(e.offset <= b.len()),
                }
            }
        }

        #[test]
        fn arbitrary_payloads_never_panic(
            family in 0usize..4,
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        ) {
            let mut b = [&[0x01u8, 0x09][..], &[0xD9], &[0xDA], &[0x0F]][family].to_vec();
            b.extend_from_slice(&tail);
            for cra in [CraFlag::Command, CraFlag::Response, CraFlag::Alert] {
                for p in protected_parts(&b, cra).flatten() {
                    proptest::prop_assert!(p.range().end <= b.len());
                }
            }
        }
    }

    #[test]
    fn truncation_at_every_offset() {
        for b in [gcs13a(), ecs19()] {
            for cut in 2..b.len() {
                let results: Vec<_> = protected_parts(&b[..cut], CraFlag::Response).collect();
                assert!(results.last().unwrap().is_err(), "cut {cut}");
            }
        }
    }
}
