//! The IEEE 802.15.4 MAC frame (IEEE 802.15.4-2015 7.2 and 7.3, with the
//! 2003/2006 frame versions of IEEE 802.15.4-2006 7.2): frame control,
//! addressing under both PAN ID compression rules, the auxiliary security
//! header, IE lists, payload and FCS.
//!
//! It does not decrypt (see [`super::security`]) and does not look inside
//! beacon or command payloads (see [`super::Beacon`], [`super::MacCommand`]).

use bytes::BufMut;
use smets_core::crc::{crc16_kermit, crc16_kermit_update};
use smets_core::{
    DecodeError, DecodeErrorKind, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use super::ie::{HeaderIes, HeaderTermination, PayloadIes, scan_header_ies, scan_payload_ies};
use super::security::MacAuxHeader;

open_enum! {
    /// Frame type (IEEE 802.15.4-2015 table 7-1).
    pub enum FrameType: u8 {
        /// Beacon.
        Beacon = 0 => "beacon",
        /// Data.
        Data = 1 => "data",
        /// Acknowledgment.
        Ack = 2 => "ack",
        /// MAC command.
        Command = 3 => "command",
        /// Reserved.
        Reserved = 4 => "reserved",
        /// Multipurpose (2015), with its own short or long frame control (7.3.5).
        Multipurpose = 5 => "multipurpose",
        /// Fragment or Frak (2015, 7.3.6).
        Fragment = 6 => "fragment",
        /// Extended frame type (reserved in 2015).
        Extended = 7 => "extended",
    }
}

open_enum! {
    /// Addressing mode of the destination or source address (IEEE 802.15.4-2015 table 7-3).
    pub enum AddressMode: u8 {
        /// No address (and, depending on the rules, no PAN ID).
        None = 0 => "none",
        /// Reserved.
        Reserved = 1 => "reserved",
        /// 16-bit short address.
        Short = 2 => "short",
        /// 64-bit extended address.
        Extended = 3 => "extended",
    }
}

open_enum! {
    /// Frame version (IEEE 802.15.4-2015 table 7-4).
    pub enum FrameVersion: u8 {
        /// IEEE 802.15.4-2003 (what ZigBee PRO sends).
        Ieee2003 = 0 => "2003",
        /// IEEE 802.15.4-2006.
        Ieee2006 = 1 => "2006",
        /// IEEE 802.15.4-2015 (and 802.15.4e).
        Ieee2015 = 2 => "2015",
        /// Reserved.
        Reserved = 3 => "reserved",
    }
}

/// Which frame control layout carried the flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameControlForm {
    /// The 2-byte frame control of every frame type but multipurpose (IEEE 802.15.4-2015 7.2.2).
    Standard,
    /// The 1-byte short multipurpose frame control (IEEE 802.15.4-2015 7.3.5.1):
    /// every flag it does not carry reads as zero.
    MultipurposeShort,
    /// The 2-byte long multipurpose frame control (IEEE 802.15.4-2015 7.3.5.1).
    MultipurposeLong,
}

/// The Frame Control field (IEEE 802.15.4-2015 7.2.2; multipurpose frames 7.3.5.1).
///
/// For multipurpose frames the same flags are read from their multipurpose
/// positions, `pan_id_compression` holds the PAN ID Present bit and
/// `reserved` is always false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameControl {
    /// Frame type.
    pub frame_type: FrameType,
    /// Security Enabled: an auxiliary security header follows the addressing
    /// fields (2006 and later; 2003 security is left inside the payload).
    pub security: bool,
    /// Frame Pending.
    pub frame_pending: bool,
    /// AR (acknowledgment request).
    pub ack_request: bool,
    /// PAN ID Compression (Intra-PAN in 2003); PAN ID Present in multipurpose frames.
    pub pan_id_compression: bool,
    /// Bit 7, reserved; kept so that the field re-encodes.
    pub reserved: bool,
    /// Sequence Number Suppression (2015).
    pub seq_suppression: bool,
    /// IE Present (2015).
    pub ie_present: bool,
    /// Destination addressing mode.
    pub dst_mode: AddressMode,
    /// Frame version.
    pub version: FrameVersion,
    /// Source addressing mode.
    pub src_mode: AddressMode,
    /// Layout the field was read from or is written in.
    pub form: FrameControlForm,
}

fn bit(v: u16, n: u16) -> bool {
    v & (1 << n) != 0
}

fn bits2(v: u16, shift: u16) -> u8 {
    #[allow(clippy::cast_possible_truncation)] // masked to 2 bits
    let b = ((v >> shift) & 0x3) as u8;
    b
}

impl FrameControl {
    /// The standard 2-byte field from its little-endian value.
    #[must_use]
    pub fn from_u16(v: u16) -> Self {
        #[allow(clippy::cast_possible_truncation)] // masked to 3 bits
        let frame_type = FrameType::from((v & 0x7) as u8);
        Self {
            frame_type,
            security: bit(v, 3),
            frame_pending: bit(v, 4),
            ack_request: bit(v, 5),
            pan_id_compression: bit(v, 6),
            reserved: bit(v, 7),
            seq_suppression: bit(v, 8),
            ie_present: bit(v, 9),
            dst_mode: AddressMode::from(bits2(v, 10)),
            version: FrameVersion::from(bits2(v, 12)),
            src_mode: AddressMode::from(bits2(v, 14)),
            form: FrameControlForm::Standard,
        }
    }

    /// The standard 2-byte layout of the flags (values masked to their widths).
    #[must_use]
    pub fn to_u16(self) -> u16 {
        u16::from(self.frame_type.value() & 0x7)
            | (u16::from(self.security) << 3)
            | (u16::from(self.frame_pending) << 4)
            | (u16::from(self.ack_request) << 5)
            | (u16::from(self.pan_id_compression) << 6)
            | (u16::from(self.reserved) << 7)
            | (u16::from(self.seq_suppression) << 8)
            | (u16::from(self.ie_present) << 9)
            | (u16::from(self.dst_mode.value() & 0x3) << 10)
            | (u16::from(self.version.value() & 0x3) << 12)
            | (u16::from(self.src_mode.value() & 0x3) << 14)
    }

    /// A multipurpose frame control from its first byte and, in the long
    /// form, its second (IEEE 802.15.4-2015 figure 7-21).
    #[must_use]
    pub fn from_multipurpose(first: u8, second: Option<u8>) -> Self {
        let a = u16::from(first);
        let b = u16::from(second.unwrap_or(0));
        Self {
            frame_type: FrameType::from(first & 0x7),
            pan_id_compression: bit(b, 0),
            security: bit(b, 1),
            seq_suppression: bit(b, 2),
            frame_pending: bit(b, 3),
            version: FrameVersion::from(bits2(b, 4)),
            ack_request: bit(b, 6),
            ie_present: bit(b, 7),
            reserved: false,
            dst_mode: AddressMode::from(bits2(a, 4)),
            src_mode: AddressMode::from(bits2(a, 6)),
            form: if second.is_some() {
                FrameControlForm::MultipurposeLong
            } else {
                FrameControlForm::MultipurposeShort
            },
        }
    }

    /// The on-air bytes and how many of them are used (1 or 2).
    #[must_use]
    pub fn to_bytes(self) -> ([u8; 2], usize) {
        match self.form {
            FrameControlForm::Standard => (self.to_u16().to_le_bytes(), 2),
            FrameControlForm::MultipurposeShort | FrameControlForm::MultipurposeLong => {
                let first = (self.frame_type.value() & 0x7)
                    | (u8::from(self.form == FrameControlForm::MultipurposeLong) << 3)
                    | ((self.dst_mode.value() & 0x3) << 4)
                    | ((self.src_mode.value() & 0x3) << 6);
                let second = u8::from(self.pan_id_compression)
                    | (u8::from(self.security) << 1)
                    | (u8::from(self.seq_suppression) << 2)
                    | (u8::from(self.frame_pending) << 3)
                    | ((self.version.value() & 0x3) << 4)
                    | (u8::from(self.ack_request) << 6)
                    | (u8::from(self.ie_present) << 7);
                if self.form == FrameControlForm::MultipurposeLong {
                    ([first, second], 2)
                } else {
                    ([first, 0], 1)
                }
            }
        }
    }

    /// Reads the field in whichever form the frame type calls for.
    ///
    /// # Errors
    /// Truncation.
    #[inline]
    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let first = r.u8("frame control")?;
        if first & 0x7 == FrameType::Multipurpose.value() {
            let second = if first & 0x08 != 0 {
                Some(r.u8("frame control")?)
            } else {
                None
            };
            Ok(Self::from_multipurpose(first, second))
        } else {
            let second = r.u8("frame control")?;
            Ok(Self::from_u16(u16::from_le_bytes([first, second])))
        }
    }

    /// Whether the frame follows the 2015 rules: frame version 2, or a
    /// multipurpose frame (whose only version is 0).
    #[must_use]
    pub fn is_2015_format(self) -> bool {
        self.version == FrameVersion::Ieee2015 || self.frame_type == FrameType::Multipurpose
    }

    /// Whether an auxiliary security header follows the addressing fields:
    /// Security Enabled in a 2006 or later frame (IEEE 802.15.4-2015 7.2.3).
    #[must_use]
    pub fn aux_header_present(self) -> bool {
        self.security && (self.is_2015_format() || self.version == FrameVersion::Ieee2006)
    }

    /// Which PAN ID fields are present: `(destination, source)`.
    ///
    /// Frame versions 0 and 1 follow IEEE 802.15.4-2006 7.2.1.1.5 (PAN ID
    /// compression only with both addresses present); version 2 follows
    /// IEEE 802.15.4-2015 table 7-2; multipurpose frames carry at most a
    /// destination PAN ID, when PAN ID Present is set (7.3.5.2).
    ///
    /// # Errors
    /// The kind of error a decoder reports: an invalid PAN ID compression,
    /// a reserved frame version or addressing mode.
    #[inline]
    pub fn pan_id_presence(self) -> Result<(bool, bool), DecodeErrorKind> {
        let dst = self.dst_mode;
        let src = self.src_mode;
        for m in [dst, src] {
            if m.value() > 3 || m == AddressMode::Reserved {
                return Err(DecodeErrorKind::Reserved {
                    field: "addressing mode",
                    value: u64::from(m.value()),
                });
            }
        }
        if self.frame_type == FrameType::Multipurpose {
            return Ok((self.pan_id_compression, false));
        }
        let d = dst != AddressMode::None;
        let s = src != AddressMode::None;
        let c = self.pan_id_compression;
        match self.version {
            FrameVersion::Ieee2003 | FrameVersion::Ieee2006 => match (d, s, c) {
                (true, true, _) => Ok((true, !c)),
                (_, _, true) => Err(DecodeErrorKind::Invalid {
                    field: "PAN ID compression without both addresses",
                    value: 1,
                }),
                (d, s, false) => Ok((d, s)),
            },
            FrameVersion::Ieee2015 => Ok(match (d, s) {
                (false, false) => (c, false),
                (true, false) => (!c, false),
                (false, true) => (false, !c),
                (true, true) if dst == AddressMode::Extended && src == AddressMode::Extended => {
                    (!c, false)
                }
                (true, true) => (true, !c),
            }),
            _ => Err(DecodeErrorKind::Reserved {
                field: "frame version",
                value: u64::from(self.version.value()),
            }),
        }
    }

    /// Encoded size: 1 for the short multipurpose form, else 2.
    #[must_use]
    pub fn encoded_len(self) -> usize {
        match self.form {
            FrameControlForm::Standard | FrameControlForm::MultipurposeLong => 2,
            FrameControlForm::MultipurposeShort => 1,
        }
    }

    fn check(self) -> Result<(), EncodeError> {
        let unrep = |f, v: u8| Err(EncodeError::unrepresentable(Layer::Mac, f, u64::from(v)));
        if self.frame_type.value() > 7 {
            return unrep("frame type", self.frame_type.value());
        }
        if self.version.value() > 3 {
            return unrep("frame version", self.version.value());
        }
        let mp = self.frame_type == FrameType::Multipurpose;
        if mp == (self.form == FrameControlForm::Standard) {
            return Err(EncodeError::inconsistent(Layer::Mac, "frame control form"));
        }
        if mp && self.reserved {
            return Err(EncodeError::inconsistent(
                Layer::Mac,
                "frame control reserved bit",
            ));
        }
        if self.form == FrameControlForm::MultipurposeShort
            && (self.pan_id_compression
                || self.security
                || self.seq_suppression
                || self.frame_pending
                || self.ack_request
                || self.ie_present
                || self.version != FrameVersion::Ieee2003)
        {
            return Err(EncodeError::inconsistent(
                Layer::Mac,
                "short multipurpose frame control",
            ));
        }
        Ok(())
    }
}

/// A MAC address (IEEE 802.15.4-2015 7.2.6, 7.2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacAddress {
    /// 16-bit short address (`0xffff` is broadcast).
    Short(u16),
    /// 64-bit extended address, sent least significant byte first.
    Extended(Eui64),
}

impl MacAddress {
    /// The addressing mode that carries this address.
    #[must_use]
    pub fn mode(self) -> AddressMode {
        match self {
            Self::Short(_) => AddressMode::Short,
            Self::Extended(_) => AddressMode::Extended,
        }
    }

    fn len(self) -> usize {
        match self {
            Self::Short(_) => 2,
            Self::Extended(_) => 8,
        }
    }

    fn put<B: BufMut>(self, out: &mut B) {
        match self {
            Self::Short(a) => out.put_u16_le(a),
            Self::Extended(e) => out.put_slice(&e.to_le_bytes()),
        }
    }
}

/// Whether a frame buffer ends with the 2-byte FCS (IEEE 802.15.4-2015 7.2.10).
///
/// Captures with link type 195 carry it; link type 230 and Daintree text do
/// not. A TI CC24xx metadata trailer sits where the FCS would be: decode it as
/// [`FcsMode::Present`] and ignore `valid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FcsMode {
    /// The last two bytes are the FCS.
    Present,
    /// There is no FCS.
    Absent,
}

/// The frame check sequence (IEEE 802.15.4-2015 7.2.10): CRC-16/KERMIT of the
/// header and payload, sent least significant byte first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fcs {
    /// The value carried by the frame.
    pub value: u16,
    /// Whether it matches the CRC of the frame.
    pub valid: bool,
}

/// Longest fixed header: frame control, sequence number, two PAN IDs, two
/// extended addresses and the longest auxiliary security header.
const MAX_FIXED_HEADER: usize = 2 + 1 + 2 + 8 + 2 + 8 + 14;

/// An IEEE 802.15.4 MAC frame (IEEE 802.15.4-2015 7.2.1):
/// `frame control | seq | dst PAN | dst | src PAN | src | aux security header |
/// header IEs | payload IEs | payload | FCS`.
///
/// In a secured frame `payload` is the MAC payload as on air: for 2003/2006
/// command frames the command identifier, for 2006 beacons the superframe,
/// GTS and pending address fields (the open payload), then the private
/// payload (encrypted at levels 4-7) and the MIC. Payload IEs of a secured
/// 2015 frame are part of its private payload, so `payload_ies` is empty and
/// [`super::ie::split_payload_ies`] splits them off the decrypted payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacFrame<'a> {
    /// Frame control.
    pub frame_control: FrameControl,
    /// Sequence number; `None` when suppressed (2015).
    pub seq: Option<u8>,
    /// Destination PAN ID.
    pub dst_pan: Option<u16>,
    /// Destination address.
    pub dst: Option<MacAddress>,
    /// Source PAN ID.
    pub src_pan: Option<u16>,
    /// Source address.
    pub src: Option<MacAddress>,
    /// Auxiliary security header (2006 and later).
    pub security: Option<MacAuxHeader>,
    /// Header IEs, raw, including a final termination IE (2015).
    pub header_ies: &'a [u8],
    /// Payload IEs, raw, including a final Payload Termination IE (2015, unsecured frames).
    pub payload_ies: &'a [u8],
    /// MAC payload after the IEs, without the FCS.
    pub payload: &'a [u8],
    /// FCS, when the buffer carried one.
    pub fcs: Option<Fcs>,
}

// Twice per frame on the hot path; a call would spill the reader.
#[inline(always)]
fn read_address(
    r: &mut Reader<'_>,
    mode: AddressMode,
    field: &'static str,
) -> Result<Option<MacAddress>, DecodeError> {
    Ok(match mode {
        AddressMode::Short => Some(MacAddress::Short(r.u16_le(field)?)),
        AddressMode::Extended => Some(MacAddress::Extended(r.eui64(field)?)),
        _ => None,
    })
}

fn address_matches(mode: AddressMode, addr: Option<MacAddress>) -> bool {
    match addr {
        None => mode == AddressMode::None,
        Some(a) => a.mode() == mode,
    }
}

impl<'a> MacFrame<'a> {
    /// Decodes a frame; with [`FcsMode::Present`] the last two bytes are the
    /// FCS, which is checked (a bad FCS is reported in `fcs.valid`, not as an
    /// error).
    ///
    /// # Errors
    /// Truncation; a reserved frame type (4, 7), a fragment frame (6), a
    /// reserved frame version or addressing mode; a PAN ID compression the
    /// frame version does not allow; a malformed IE list; a secured frame too
    /// short for its MIC.
    #[inline(always)]
    pub fn decode(buf: &'a [u8], fcs: FcsMode) -> Result<Self, DecodeError> {
        let (body, fcs) = match fcs {
            FcsMode::Absent => (buf, None),
            FcsMode::Present => {
                let Some(split) = buf.len().checked_sub(2) else {
                    return Err(DecodeError::truncated(Layer::Mac, 0, "FCS", 2, buf.len()));
                };
                let (body, tail) = buf.split_at(split);
                let value = match tail {
                    [lo, hi] => u16::from_le_bytes([*lo, *hi]),
                    _ => 0,
                };
                (
                    body,
                    Some(Fcs {
                        value,
                        valid: crc16_kermit(body) == value,
                    }),
                )
            }
        };
        match Self::decode_short_addressed(body, fcs) {
            Some(f) => Ok(f),
            None => Self::decode_body(body, fcs),
        }
    }

    /// The layout of nearly every ZigBee PRO frame, read at fixed offsets: a
    /// 2003 or 2006 data or command frame, unsecured at the MAC layer, without
    /// IEs, with a sequence number, short destination and source addresses
    /// and PAN ID compression (`fc | seq | dst PAN | dst | src`, 9 bytes).
    /// `None` for any other layout, left to [`MacFrame::decode_body`], which
    /// gives the same frame for this one.
    #[inline]
    fn decode_short_addressed(body: &'a [u8], fcs: Option<Fcs>) -> Option<Self> {
        // Type 1 or 3; no security, seq suppression or IEs; PAN ID
        // compression; short destination and source; version 0 or 1.
        const MASK: u16 = 0xef4d;
        const WANTED: u16 = 0x8841;
        let ([f0, f1, seq, p0, p1, d0, d1, s0, s1], payload) = body.split_first_chunk::<9>()?;
        let fc = u16::from_le_bytes([*f0, *f1]);
        if fc & MASK != WANTED {
            return None;
        }
        Some(Self {
            frame_control: FrameControl::from_u16(fc),
            seq: Some(*seq),
            dst_pan: Some(u16::from_le_bytes([*p0, *p1])),
            dst: Some(MacAddress::Short(u16::from_le_bytes([*d0, *d1]))),
            src_pan: None,
            src: Some(MacAddress::Short(u16::from_le_bytes([*s0, *s1]))),
            security: None,
            header_ies: &[],
            payload_ies: &[],
            payload,
            fcs,
        })
    }

    /// Decodes the frame without its FCS, whatever its layout. Out of line,
    /// so that [`MacFrame::decode`] stays small enough to inline.
    #[inline(never)]
    fn decode_body(body: &'a [u8], fcs: Option<Fcs>) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body, Layer::Mac);
        let fc = FrameControl::read(&mut r)?;
        match fc.frame_type {
            FrameType::Reserved | FrameType::Extended => {
                return Err(DecodeError::new(
                    Layer::Mac,
                    0,
                    DecodeErrorKind::Reserved {
                        field: "frame type",
                        value: u64::from(fc.frame_type.value()),
                    },
                ));
            }
            FrameType::Fragment => {
                return Err(DecodeError::invalid(
                    Layer::Mac,
                    0,
                    "frame type (fragment frames are not decoded)",
                    6,
                ));
            }
            FrameType::Multipurpose if fc.version != FrameVersion::Ieee2003 => {
                return Err(DecodeError::invalid(
                    Layer::Mac,
                    1,
                    "multipurpose frame version",
                    u64::from(fc.version.value()),
                ));
            }
            _ => {}
        }
        let (dst_pan_present, src_pan_present) = fc
            .pan_id_presence()
            .map_err(|k| DecodeError::new(Layer::Mac, 0, k))?;
        let seq = if fc.seq_suppression {
            None
        } else {
            Some(r.u8("sequence number")?)
        };
        let dst_pan = if dst_pan_present {
            Some(r.u16_le("destination PAN ID")?)
        } else {
            None
        };
        let dst = read_address(&mut r, fc.dst_mode, "destination address")?;
        let src_pan = if src_pan_present {
            Some(r.u16_le("source PAN ID")?)
        } else {
            None
        };
        let src = read_address(&mut r, fc.src_mode, "source address")?;
        let security = if fc.aux_header_present() {
            Some(MacAuxHeader::read(&mut r, fc.is_2015_format())?)
        } else {
            None
        };
        let mic_len = security.map_or(0, |s| s.control.level.mic_len());
        if r.remaining() < mic_len {
            return Err(r.error(DecodeErrorKind::Truncated {
                field: "MIC",
                needed: mic_len,
                available: r.remaining(),
            }));
        }
        let start = r.pos();
        let mut pos = start;
        let mut header_ies: &[u8] = &[];
        let mut payload_ies: &[u8] = &[];
        if fc.ie_present && fc.is_2015_format() {
            let end = body.len().saturating_sub(mic_len);
            let region = body.get(start..end).unwrap_or_default();
            let mut ir = Reader::with_base(region, Layer::Mac, start);
            let term = scan_header_ies(&mut ir)?;
            header_ies = region.get(..ir.pos()).unwrap_or_default();
            pos = start + ir.pos();
            if term == HeaderTermination::Ht1 && security.is_none() {
                let region = body.get(pos..).unwrap_or_default();
                let mut pr = Reader::with_base(region, Layer::Mac, pos);
                scan_payload_ies(&mut pr)?;
                payload_ies = region.get(..pr.pos()).unwrap_or_default();
                pos += pr.pos();
            }
        }
        let payload = body.get(pos..).unwrap_or_default();
        Ok(Self {
            frame_control: fc,
            seq,
            dst_pan,
            dst,
            src_pan,
            src,
            security,
            header_ies,
            payload_ies,
            payload,
            fcs,
        })
    }

    /// Length of the MAC header: frame control through the auxiliary security
    /// header, plus the header IEs. (Wireshark also counts the 2003/2006
    /// command identifier and beacon fields as header; this does not.)
    #[must_use]
    #[inline]
    pub fn header_len(&self) -> usize {
        self.fixed_header_len() + self.header_ies.len()
    }

    fn fixed_header_len(&self) -> usize {
        self.frame_control.encoded_len()
            + usize::from(self.seq.is_some())
            + 2 * (usize::from(self.dst_pan.is_some()) + usize::from(self.src_pan.is_some()))
            + self.dst.map_or(0, MacAddress::len)
            + self.src.map_or(0, MacAddress::len)
            + self.security.map_or(0, |s| s.encoded_len())
    }

    /// The header IEs, one by one.
    #[must_use]
    pub fn header_ie_list(&self) -> HeaderIes<'a> {
        HeaderIes::new(self.header_ies)
    }

    /// The payload IEs, one by one.
    #[must_use]
    pub fn payload_ie_list(&self) -> PayloadIes<'a> {
        PayloadIes::new(self.payload_ies)
    }

    /// Whether the header IE list ends with Header Termination 1, i.e. payload
    /// IEs open the (possibly encrypted) payload.
    #[must_use]
    pub fn payload_ies_follow(&self) -> bool {
        HeaderIes::check(self.header_ies) == Ok(HeaderTermination::Ht1)
    }

    /// Writes frame control through the auxiliary security header.
    fn fixed_header(&self) -> Result<([u8; MAX_FIXED_HEADER], usize), EncodeError> {
        let mut buf = [0u8; MAX_FIXED_HEADER];
        let room = buf.len();
        let mut w = &mut buf[..];
        let (fc, fc_len) = self.frame_control.to_bytes();
        w.put_slice(fc.get(..fc_len).unwrap_or_default());
        if let Some(s) = self.seq {
            w.put_u8(s);
        }
        if let Some(p) = self.dst_pan {
            w.put_u16_le(p);
        }
        if let Some(a) = self.dst {
            a.put(&mut w);
        }
        if let Some(p) = self.src_pan {
            w.put_u16_le(p);
        }
        if let Some(a) = self.src {
            a.put(&mut w);
        }
        if let Some(s) = &self.security {
            s.encode(&mut w)?;
        }
        let len = room - w.len();
        Ok((buf, len))
    }

    /// Checks everything up to the end of the header IEs.
    pub(crate) fn check_header(&self) -> Result<(), EncodeError> {
        let fc = self.frame_control;
        fc.check()?;
        match fc.frame_type {
            FrameType::Reserved | FrameType::Fragment | FrameType::Extended => {
                return Err(EncodeError::unrepresentable(
                    Layer::Mac,
                    "frame type",
                    u64::from(fc.frame_type.value()),
                ));
            }
            FrameType::Multipurpose if fc.version != FrameVersion::Ieee2003 => {
                return Err(EncodeError::unrepresentable(
                    Layer::Mac,
                    "multipurpose frame version",
                    u64::from(fc.version.value()),
                ));
            }
            _ => {}
        }
        let (dp, sp) = fc.pan_id_presence().map_err(|k| match k {
            DecodeErrorKind::Reserved { field, value } => {
                EncodeError::unrepresentable(Layer::Mac, field, value)
            }
            _ => EncodeError::inconsistent(Layer::Mac, "PAN ID compression"),
        })?;
        if self.seq.is_some() == fc.seq_suppression {
            return Err(EncodeError::inconsistent(Layer::Mac, "sequence number"));
        }
        if self.dst_pan.is_some() != dp {
            return Err(EncodeError::inconsistent(Layer::Mac, "destination PAN ID"));
        }
        if self.src_pan.is_some() != sp {
            return Err(EncodeError::inconsistent(Layer::Mac, "source PAN ID"));
        }
        if !address_matches(fc.dst_mode, self.dst) {
            return Err(EncodeError::inconsistent(Layer::Mac, "destination address"));
        }
        if !address_matches(fc.src_mode, self.src) {
            return Err(EncodeError::inconsistent(Layer::Mac, "source address"));
        }
        match &self.security {
            None if fc.aux_header_present() => {
                return Err(EncodeError::inconsistent(
                    Layer::Mac,
                    "auxiliary security header",
                ));
            }
            Some(_) if !fc.aux_header_present() => {
                return Err(EncodeError::inconsistent(
                    Layer::Mac,
                    "auxiliary security header",
                ));
            }
            Some(s) => s.check(fc.is_2015_format())?,
            None => {}
        }
        let ies_allowed = fc.ie_present && fc.is_2015_format();
        if !ies_allowed && (!self.header_ies.is_empty() || !self.payload_ies.is_empty()) {
            return Err(EncodeError::inconsistent(Layer::Mac, "IE present"));
        }
        Ok(())
    }

    /// Checks the IE lists and payload against the termination rules of
    /// IEEE 802.15.4-2015 7.4.1, as the decoder reads them.
    fn check_body(&self) -> Result<(), EncodeError> {
        let mic_len = self.security.map_or(0, |s| s.control.level.mic_len());
        if self.payload.len() < mic_len {
            return Err(EncodeError::inconsistent(Layer::Mac, "MIC"));
        }
        let fc = self.frame_control;
        if !(fc.ie_present && fc.is_2015_format()) {
            return Ok(());
        }
        let bad = |f| Err(EncodeError::inconsistent(Layer::Mac, f));
        let Ok(term) = HeaderIes::check(self.header_ies) else {
            return bad("header IEs");
        };
        // Bytes the decoder sees after the header IE list, MIC excluded.
        let after = self.payload_ies.len() + self.payload.len() - mic_len;
        match term {
            HeaderTermination::None if after != 0 => return bad("header IE termination"),
            HeaderTermination::Ht1 if self.security.is_none() => {
                let Ok(terminated) = PayloadIes::check(self.payload_ies) else {
                    return bad("payload IEs");
                };
                if !terminated && !self.payload.is_empty() {
                    return bad("payload IE termination");
                }
            }
            _ if !self.payload_ies.is_empty() => return bad("payload IEs"),
            _ => {}
        }
        Ok(())
    }

    fn crc_of(&self, fixed: &[u8]) -> u16 {
        [fixed, self.header_ies, self.payload_ies, self.payload]
            .into_iter()
            .fold(0, crc16_kermit_update)
    }

    /// The FCS this frame's bytes call for.
    ///
    /// # Errors
    /// As [`Encode::encode`], for a frame that has no wire form.
    pub fn computed_fcs(&self) -> Result<u16, EncodeError> {
        self.check_header()?;
        let (fixed, n) = self.fixed_header()?;
        Ok(self.crc_of(fixed.get(..n).unwrap_or_default()))
    }

    /// Encodes the frame followed by the FCS computed over it, whatever
    /// `self.fcs` holds.
    ///
    /// # Errors
    /// As [`Encode::encode`].
    pub fn encode_with_fcs<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let value = self.computed_fcs()?;
        let f = Self {
            fcs: Some(Fcs { value, valid: true }),
            ..*self
        };
        f.encode(out)
    }

    /// Writes the header (frame control through the header IEs).
    pub(crate) fn encode_header<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check_header()?;
        let (fixed, n) = self.fixed_header()?;
        ensure_room(out, n + self.header_ies.len(), Layer::Mac)?;
        out.put_slice(fixed.get(..n).unwrap_or_default());
        out.put_slice(self.header_ies);
        Ok(())
    }
}

impl Encode for MacFrame<'_> {
    fn encoded_len(&self) -> usize {
        self.header_len()
            + self.payload_ies.len()
            + self.payload.len()
            + if self.fcs.is_some() { 2 } else { 0 }
    }

    /// Writes the frame; a present `fcs` is written as held, after checking
    /// that `valid` tells the truth about it (so that a frame with a bad FCS
    /// re-encodes to its own bytes).
    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check_header()?;
        self.check_body()?;
        let (fixed, n) = self.fixed_header()?;
        let fixed = fixed.get(..n).unwrap_or_default();
        if let Some(f) = self.fcs
            && (self.crc_of(fixed) == f.value) != f.valid
        {
            return Err(EncodeError::inconsistent(Layer::Mac, "FCS"));
        }
        ensure_room(out, self.encoded_len(), Layer::Mac)?;
        out.put_slice(fixed);
        out.put_slice(self.header_ies);
        out.put_slice(self.payload_ies);
        out.put_slice(self.payload);
        if let Some(f) = self.fcs {
            out.put_u16_le(f.value);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;
    use crate::mac::ie::{header_ie_descriptor, payload_ie_descriptor};

    #[test]
    fn the_short_addressed_layout_reads_as_the_general_decoder_does() {
        let mut fast = 0;
        for fc in 0..=u16::MAX {
            for len in [0usize, 1, 2, 8, 9, 10, 14, 40] {
                let mut body: Vec<u8> = (0..len).map(|i| (i * 37 + 11).to_le_bytes()[0]).collect();
                if let Some(b) = body.get_mut(..2.min(len)) {
                    b.copy_from_slice(&fc.to_le_bytes()[..b.len()]);
                }
                let got = MacFrame::decode(&body, FcsMode::Absent);
                assert_eq!(got, MacFrame::decode_body(&body, None), "{fc:#06x} {len}");
                fast += usize::from(MacFrame::decode_short_addressed(&body, None).is_some());
            }
        }
        // 2 types x 2 versions x 8 free flag combinations, at the 4 lengths
        // that hold the 9-byte header.
        assert_eq!(fast, 2 * 2 * 8 * 4);
    }
    use crate::mac::security::{KeyIdMode, KeySource, MacSecurityControl};
    use crate::mac::{Beacon, CommandId, MacCommand};
    use crate::security::SecurityLevel;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smets_core::Decode;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn scapy_beacon_without_pending_addresses() {
        // scapy-dot15d4-001 / fcs-scapy-beacon.
        let b = h("008089aa990000ffcf0000002284fecaefbeedfecefaffffff0058a4");
        let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
        let fc = f.frame_control;
        assert_eq!(fc.frame_type, FrameType::Beacon);
        assert!(!fc.security && !fc.frame_pending && !fc.ack_request && !fc.pan_id_compression);
        assert_eq!(fc.dst_mode, AddressMode::None);
        assert_eq!(fc.src_mode, AddressMode::Short);
        assert_eq!(fc.version, FrameVersion::Ieee2003);
        assert_eq!(f.seq, Some(137));
        assert_eq!((f.dst_pan, f.dst), (None, None));
        assert_eq!(f.src_pan, Some(39338));
        assert_eq!(f.src, Some(MacAddress::Short(0)));
        assert_eq!(f.security, None);
        assert_eq!(
            f.fcs,
            Some(Fcs {
                value: 0xa458,
                valid: true
            })
        );
        assert_eq!(f.header_len(), 7);
        let beacon = Beacon::decode(f.payload).unwrap();
        let sf = beacon.superframe;
        assert_eq!(
            (sf.beacon_order, sf.superframe_order, sf.final_cap_slot),
            (15, 15, 15)
        );
        assert!(!sf.battery_life_extension && sf.pan_coordinator && sf.association_permit);
        assert!(!beacon.gts_spec.permit);
        assert_eq!(beacon.gts_spec.descriptor_count, 0);
        assert_eq!(beacon.gts_spec.reserved, 0);
        assert_eq!(beacon.pending_spec.short_count, 0);
        assert_eq!(beacon.pending_spec.extended_count, 0);
        assert_eq!(beacon.payload.len(), 15);
        assert_eq!(f.to_vec().unwrap(), b);
        let mut again = Vec::new();
        f.encode_with_fcs(&mut again).unwrap();
        assert_eq!(again, b);
    }

    #[test]
    fn scapy_beacon_with_pending_addresses() {
        // scapy-dot15d4-002.
        let b =
            h("008089aa990000ffcf0012341278568877665544332211002284fecaefbeedfecefaffffff0096d3");
        let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
        assert_eq!(f.fcs.unwrap().value, 54166);
        assert!(f.fcs.unwrap().valid);
        let beacon = Beacon::decode(f.payload).unwrap();
        assert_eq!(beacon.pending_spec.short_count, 2);
        assert_eq!(beacon.pending_spec.extended_count, 1);
        assert_eq!(beacon.pending_short.collect::<Vec<_>>(), [4660, 22136]);
        assert_eq!(
            beacon.pending_extended.collect::<Vec<_>>(),
            [Eui64(1_234_605_616_436_508_552)]
        );
        assert_eq!(f.to_vec().unwrap(), b);
    }

    #[test]
    fn scapy_coordinator_realignment_with_and_without_page() {
        // scapy-dot15d4-003 and -004.
        for (hex, page, fcs) in [
            (
                "23cc89ffff8877665544332211aa99ffeeddccbbaa998808aa99dec014adde5c21",
                None,
                8540,
            ),
            (
                "23cc89ffff8877665544332211aa99ffeeddccbbaa998808aa99dec014adde00c898",
                Some(0),
                39112,
            ),
        ] {
            let b = h(hex);
            let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
            let fc = f.frame_control;
            assert_eq!(fc.frame_type, FrameType::Command);
            assert!(fc.ack_request && !fc.pan_id_compression && !fc.security);
            assert_eq!(
                (fc.dst_mode, fc.src_mode),
                (AddressMode::Extended, AddressMode::Extended)
            );
            assert_eq!(f.seq, Some(137));
            assert_eq!(f.dst_pan, Some(65535));
            assert_eq!(
                f.dst,
                Some(MacAddress::Extended(Eui64(1_234_605_616_436_508_552)))
            );
            assert_eq!(f.src_pan, Some(39338));
            assert_eq!(
                f.src,
                Some(MacAddress::Extended(Eui64(9_843_086_184_167_632_639)))
            );
            assert_eq!(
                f.fcs,
                Some(Fcs {
                    value: fcs,
                    valid: true
                })
            );
            let cmd = MacCommand::decode(f.payload).unwrap();
            assert_eq!(cmd.command_id(), CommandId::CoordinatorRealignment);
            let MacCommand::CoordinatorRealignment(c) = cmd else {
                panic!("{cmd:?}")
            };
            assert_eq!(c.pan_id, 39338);
            assert_eq!(c.coordinator_short_address, 49374);
            assert_eq!(c.channel, 20);
            assert_eq!(c.short_address, 57005);
            assert_eq!(c.channel_page, page);
            assert_eq!(f.to_vec().unwrap(), b);
        }
    }

    #[test]
    fn scapy_secured_2006_beacon() {
        // scapy-dot15d4-011: a 2006 beacon with an aux header (level 2, implicit key, counter 5).
        let b = h("08d0842143010000000048deac020500000055cf000051525354223bc1ec841ab553");
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Beacon);
        assert!(f.frame_control.security);
        assert_eq!(f.frame_control.version, FrameVersion::Ieee2006);
        let s = f.security.unwrap();
        assert_eq!(s.control.level, SecurityLevel::Mic64);
        assert_eq!(s.control.key_id_mode, KeyIdMode::Implicit);
        assert_eq!(s.frame_counter, Some(5));
        assert_eq!(s.key_index, None);
        assert_eq!(f.src_pan, Some(0x4321));
        // Beacon fields in the clear, a 4-byte beacon payload, then the 8-byte MIC.
        let beacon = Beacon::decode(&f.payload[..f.payload.len() - 8]).unwrap();
        assert!(beacon.superframe.pan_coordinator);
        assert_eq!(beacon.payload, b"QRST");
        assert_eq!(f.to_vec().unwrap(), b);
    }

    #[test]
    fn truncation_errors_or_breaks_the_fcs() {
        let frames = [
            "23cc89ffff8877665544332211aa99ffeeddccbbaa998808aa99dec014adde00c898",
            "008089aa990000ffcf0012341278568877665544332211002284fecaefbeedfecefaffffff0096d3",
            "41880e5933ffff00000912fcff000001c022021f0000ff0f0028ba22010022021f0000ff0f0000658df37b6af6976da6f611",
        ];
        for hex in frames {
            let b = h(hex);
            let full = MacFrame::decode(&b, FcsMode::Present).unwrap();
            let header = full.header_len();
            for cut in 0..b.len() {
                let r = MacFrame::decode(&b[..cut], FcsMode::Present);
                assert!(
                    r.is_err() || !r.unwrap().fcs.unwrap().valid,
                    "{hex} cut {cut}"
                );
                if cut < header {
                    assert!(MacFrame::decode(&b[..cut], FcsMode::Absent).is_err());
                }
            }
        }
        // A secured frame shorter than its MIC.
        let b = h("2bdc842143020000000048deacffff010000000048deac060500000001d84fde529061f9c6f1");
        for cut in 0..b.len() - 8 + 1 {
            if cut < 28 + 8 {
                assert!(
                    MacFrame::decode(&b[..cut], FcsMode::Absent).is_err(),
                    "{cut}"
                );
            }
        }
    }

    #[test]
    fn reserved_and_malformed_frames_are_errors() {
        // zigator 02 frame 12: reserved frame type and frame version.
        let e = MacFrame::decode(&h("3c33c0de"), FcsMode::Present).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Reserved { .. }));
        // A reserved addressing mode.
        let e = MacFrame::decode(&h("4104000000"), FcsMode::Absent).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Reserved { .. }), "{e:?}");
        // 2006 PAN ID compression with only a destination address.
        assert!(MacFrame::decode(&h("41080011220033"), FcsMode::Absent).is_err());
        // Fragment frames.
        assert!(MacFrame::decode(&h("0600"), FcsMode::Absent).is_err());
    }

    #[test]
    fn pan_id_presence_follows_table_7_2() {
        use AddressMode::{Extended as E, None as N, Short as S};
        // (dst, src, compression) -> (dst PAN, src PAN), IEEE 802.15.4-2015 table 7-2.
        let rows = [
            (N, N, false, (false, false)),
            (N, N, true, (true, false)),
            (S, N, false, (true, false)),
            (E, N, true, (false, false)),
            (N, S, false, (false, true)),
            (N, E, true, (false, false)),
            (E, E, false, (true, false)),
            (E, E, true, (false, false)),
            (S, S, false, (true, true)),
            (S, E, false, (true, true)),
            (E, S, false, (true, true)),
            (S, E, true, (true, false)),
            (E, S, true, (true, false)),
            (S, S, true, (true, false)),
        ];
        for (d, s, c, want) in rows {
            let mut fc = FrameControl::from_u16(0x2001);
            fc.dst_mode = d;
            fc.src_mode = s;
            fc.pan_id_compression = c;
            assert_eq!(fc.pan_id_presence(), Ok(want), "{d:?} {s:?} {c}");
        }
        // 2006: extended/extended with compression drops only the source PAN ID.
        let fc = FrameControl::from_u16(0xdc41);
        assert_eq!(fc.version, FrameVersion::Ieee2006);
        assert_eq!(fc.pan_id_presence(), Ok((true, false)));
    }

    #[test]
    fn frame_control_reencodes_every_value() {
        for v in 0..=u16::MAX {
            assert_eq!(FrameControl::from_u16(v).to_u16(), v);
        }
        for a in 0..=u8::MAX {
            let long = FrameControl::from_multipurpose(a, None);
            if a & 0x08 == 0 {
                assert_eq!(long.to_bytes(), ([a, 0], 1));
            }
            for b in [0u8, 0x01, 0x42, 0x8f, 0xcf] {
                let fc = FrameControl::from_multipurpose(a | 0x08, Some(b));
                assert_eq!(fc.to_bytes(), ([a | 0x08, b], 2));
            }
        }
    }

    #[test]
    fn multipurpose_frames_short_and_long() {
        // Short form: type 5, dst short, src extended; sequence number; no PAN ID.
        let b = h("e5073412" /* fc, seq 7, dst 0x1234 */);
        let mut b = b;
        b.extend_from_slice(&[8, 7, 6, 5, 4, 3, 2, 1, 0xaa]);
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        assert_eq!(f.frame_control.form, FrameControlForm::MultipurposeShort);
        assert_eq!(f.seq, Some(7));
        assert_eq!(f.dst_pan, None);
        assert_eq!(f.dst, Some(MacAddress::Short(0x1234)));
        assert_eq!(
            f.src,
            Some(MacAddress::Extended(Eui64(0x0102_0304_0506_0708)))
        );
        assert_eq!(f.payload, &[0xaa]);
        assert_eq!(f.to_vec().unwrap(), b);
        // Long form: PAN ID present, ack request, dst short, no source.
        let b = h("2d410963fecaff");
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        assert_eq!(f.frame_control.form, FrameControlForm::MultipurposeLong);
        assert!(f.frame_control.ack_request);
        assert_eq!(f.seq, Some(9));
        assert_eq!(f.dst_pan, Some(0xfe63));
        assert_eq!(f.dst, Some(MacAddress::Short(0xffca)));
        assert_eq!(f.src, None);
        assert_eq!(f.to_vec().unwrap(), b);
        // Multipurpose frames only know version 0.
        assert!(MacFrame::decode(&h("2d510963fecaff"), FcsMode::Absent).is_err());
    }

    #[test]
    fn ie_lists_of_a_2015_data_frame() {
        // Data, 2015, IE present, PAN ID compression, short/short.
        let mut b = h("41aa" /* fc */);
        b.extend_from_slice(&[0x11, 0xcd, 0xab, 0x02, 0x00, 0x01, 0x00]);
        b.extend_from_slice(&header_ie_descriptor(0x1a, 2));
        b.extend_from_slice(&[0x55, 0x66]);
        b.extend_from_slice(&header_ie_descriptor(0x7e, 0));
        b.extend_from_slice(&payload_ie_descriptor(0x1, 1));
        b.push(0x77);
        b.extend_from_slice(&payload_ie_descriptor(0xf, 0));
        b.extend_from_slice(b"hi");
        let crc = smets_core::crc::crc16_kermit(&b);
        b.extend_from_slice(&crc.to_le_bytes());
        let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
        assert_eq!(f.frame_control.version, FrameVersion::Ieee2015);
        assert_eq!(f.dst_pan, Some(0xabcd));
        assert_eq!(f.src_pan, None);
        assert_eq!(f.header_ies.len(), 6);
        assert_eq!(f.payload_ies.len(), 5);
        assert!(f.payload_ies_follow());
        assert_eq!(f.payload, b"hi");
        let hies: Vec<_> = f.header_ie_list().collect();
        assert_eq!(hies[0].content, &[0x55, 0x66]);
        let pies: Vec<_> = f.payload_ie_list().collect();
        assert_eq!(pies.len(), 2);
        assert_eq!(pies[0].content, &[0x77]);
        assert!(f.fcs.unwrap().valid);
        assert_eq!(f.to_vec().unwrap(), b);
        // Without the payload termination the payload would be read as IEs.
        let mut g = f;
        g.payload_ies = &f.payload_ies[..3];
        g.fcs = None;
        assert!(g.to_vec().is_err());
    }

    #[test]
    fn inconsistent_frames_do_not_encode() {
        let b = h("008089aa990000ffcf0000002284fecaefbeedfecefaffffff0058a4");
        let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
        let mut g = f;
        g.seq = None;
        assert!(g.to_vec().is_err());
        let mut g = f;
        g.dst_pan = Some(1);
        assert!(g.to_vec().is_err());
        let mut g = f;
        g.src = Some(MacAddress::Extended(Eui64(1)));
        assert!(g.to_vec().is_err());
        let mut g = f;
        g.fcs = Some(Fcs {
            value: 0x1234,
            valid: true,
        });
        assert!(g.to_vec().is_err());
        let mut g = f;
        g.fcs = Some(Fcs {
            value: 0xa458,
            valid: false,
        });
        assert!(g.to_vec().is_err());
        let mut g = f;
        g.header_ies = &[0, 0];
        assert!(g.to_vec().is_err());
        let mut out = [0u8; 10];
        assert!(f.encode(&mut &mut out[..]).is_err());
    }

    #[derive(Debug, Clone)]
    struct Parts {
        fc: FrameControl,
        seq: u8,
        pans: (u16, u16),
        addrs: (u64, u64),
        control: u8,
        counter: u32,
        key_source: [u8; 8],
        key_index: u8,
        hies: Vec<(u8, Vec<u8>)>,
        pies: Vec<(u8, Vec<u8>)>,
        termination: u8,
        payload_termination: bool,
        payload: Vec<u8>,
        fcs: u8,
    }

    fn parts() -> impl Strategy<Value = Parts> {
        let fc = (
            prop::sample::select(vec![0u8, 1, 2, 3, 5]),
            any::<[bool; 8]>(),
            prop::sample::select(vec![0u8, 2, 3]),
            prop::sample::select(vec![0u8, 2, 3]),
            0u8..3,
        )
            .prop_map(|(t, flags, d, s, v)| {
                let [sec, pend, ack, comp, res, seqs, ie, long] = flags;
                let mut fc = FrameControl {
                    frame_type: FrameType::from(t),
                    security: sec,
                    frame_pending: pend,
                    ack_request: ack,
                    pan_id_compression: comp,
                    reserved: res,
                    seq_suppression: seqs,
                    ie_present: ie,
                    dst_mode: AddressMode::from(d),
                    version: FrameVersion::from(v),
                    src_mode: AddressMode::from(s),
                    form: FrameControlForm::Standard,
                };
                if t == 5 {
                    fc.version = FrameVersion::Ieee2003;
                    fc.reserved = false;
                    if long {
                        fc.form = FrameControlForm::MultipurposeLong;
                    } else {
                        fc = FrameControl {
                            form: FrameControlForm::MultipurposeShort,
                            ..FrameControl::from_multipurpose(fc.to_bytes().0[0] & !0x08, None)
                        };
                        fc.dst_mode = AddressMode::from(d);
                        fc.src_mode = AddressMode::from(s);
                    }
                } else if fc.version != FrameVersion::Ieee2015
                    && (d == 0 || s == 0)
                    && fc.pan_id_compression
                {
                    fc.pan_id_compression = false;
                }
                fc
            });
        let ies = (
            prop::collection::vec((0u8..0x7e, prop::collection::vec(any::<u8>(), 0..6)), 0..3),
            prop::collection::vec((0u8..0xf, prop::collection::vec(any::<u8>(), 0..6)), 0..3),
            0u8..3,
            any::<bool>(),
        );
        (
            fc,
            (any::<u8>(), any::<(u16, u16)>(), any::<(u64, u64)>()),
            (any::<u8>(), any::<u32>(), any::<[u8; 8]>(), any::<u8>()),
            ies,
            prop::collection::vec(any::<u8>(), 0..24),
            0u8..3,
        )
            .prop_map(
                |(
                    fc,
                    (seq, pans, addrs),
                    (control, counter, key_source, key_index),
                    ies,
                    payload,
                    fcs,
                )| {
                    let (hies, pies, termination, payload_termination) = ies;
                    Parts {
                        fc,
                        seq,
                        pans,
                        addrs,
                        control,
                        counter,
                        key_source,
                        key_index,
                        hies,
                        pies,
                        termination,
                        payload_termination,
                        payload,
                        fcs,
                    }
                },
            )
    }

    fn address(mode: AddressMode, v: u64) -> Option<MacAddress> {
        match mode {
            AddressMode::Short => Some(MacAddress::Short(v as u16)),
            AddressMode::Extended => Some(MacAddress::Extended(Eui64(v))),
            _ => None,
        }
    }

    /// Builds the owned bytes of a consistent frame from random parts.
    fn build(p: &Parts) -> (Vec<u8>, Vec<u8>, Vec<u8>, Option<MacAuxHeader>) {
        let fc = p.fc;
        let security = fc.aux_header_present().then(|| {
            let control = MacSecurityControl::from_byte(p.control);
            let suppressed = fc.is_2015_format() && control.frame_counter_suppression;
            MacAuxHeader {
                control,
                frame_counter: (!suppressed).then_some(p.counter),
                key_source: match control.key_id_mode {
                    KeyIdMode::Source4Index => {
                        Some(KeySource::Four(p.key_source[..4].try_into().unwrap()))
                    }
                    KeyIdMode::Source8Index => Some(KeySource::Eight(p.key_source)),
                    _ => None,
                },
                key_index: (control.key_id_mode != KeyIdMode::Implicit).then_some(p.key_index),
            }
        });
        let mic_len = security.map_or(0, |s| s.control.level.mic_len());
        let mut payload = p.payload.clone();
        let mut hies = Vec::new();
        let mut pies = Vec::new();
        if fc.ie_present && fc.is_2015_format() {
            for (id, content) in &p.hies {
                hies.extend_from_slice(&header_ie_descriptor(*id, content.len() as u8));
                hies.extend_from_slice(content);
            }
            match p.termination {
                0 => payload.clear(),
                1 => hies.extend_from_slice(&header_ie_descriptor(0x7e, 0)),
                _ => hies.extend_from_slice(&header_ie_descriptor(0x7f, 0)),
            }
            if p.termination == 1 && security.is_none() {
                for (g, content) in &p.pies {
                    pies.extend_from_slice(&payload_ie_descriptor(*g, content.len() as u16));
                    pies.extend_from_slice(content);
                }
                if p.payload_termination || !payload.is_empty() {
                    pies.extend_from_slice(&payload_ie_descriptor(0xf, 0));
                }
            }
        }
        payload.resize(payload.len() + mic_len, 0x5a);
        (hies, pies, payload, security)
    }

    proptest! {
        #[test]
        fn frame_roundtrip(p in parts()) {
            let fc = p.fc;
            let (dp, sp) = fc.pan_id_presence().unwrap();
            let (hies, pies, payload, security) = build(&p);
            let mut f = MacFrame {
                frame_control: fc,
                seq: (!fc.seq_suppression).then_some(p.seq),
                dst_pan: dp.then_some(p.pans.0),
                dst: address(fc.dst_mode, p.addrs.0),
                src_pan: sp.then_some(p.pans.1),
                src: address(fc.src_mode, p.addrs.1),
                security,
                header_ies: &hies,
                payload_ies: &pies,
                payload: &payload,
                fcs: None,
            };
            let mode = if p.fcs == 0 { FcsMode::Absent } else { FcsMode::Present };
            if p.fcs > 0 {
                let value = f.computed_fcs().unwrap();
                f.fcs = Some(if p.fcs == 1 {
                    Fcs { value, valid: true }
                } else {
                    Fcs { value: value ^ 0x0101, valid: false }
                });
            }
            let bytes = f.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), f.encoded_len());
            let back = MacFrame::decode(&bytes, mode).unwrap();
            prop_assert_eq!(back, f);
            prop_assert_eq!(back.to_vec().unwrap(), bytes);
        }

        #[test]
        fn mutated_frames_reencode_or_fail(
            p in parts(),
            flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        ) {
            let fc = p.fc;
            let (dp, sp) = fc.pan_id_presence().unwrap();
            let (hies, pies, payload, security) = build(&p);
            let f = MacFrame {
                frame_control: fc,
                seq: (!fc.seq_suppression).then_some(p.seq),
                dst_pan: dp.then_some(p.pans.0),
                dst: address(fc.dst_mode, p.addrs.0),
                src_pan: sp.then_some(p.pans.1),
                src: address(fc.src_mode, p.addrs.1),
                security,
                header_ies: &hies,
                payload_ies: &pies,
                payload: &payload,
                fcs: None,
            };
            let mut bytes = f.to_vec().unwrap();
            if bytes.is_empty() {
                return Ok(());
            }
            for (i, x) in flips {
                let i = i.index(bytes.len());
                bytes[i] ^= x;
            }
            for mode in [FcsMode::Present, FcsMode::Absent] {
                if let Ok(g) = MacFrame::decode(&bytes, mode) {
                    prop_assert_eq!(g.to_vec().unwrap(), bytes.clone());
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            for mode in [FcsMode::Present, FcsMode::Absent] {
                if let Ok(f) = MacFrame::decode(&bytes, mode) {
                    prop_assert_eq!(f.to_vec().unwrap(), bytes.clone());
                }
            }
        }
    }
}
