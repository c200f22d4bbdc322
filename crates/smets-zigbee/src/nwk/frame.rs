//! The NWK frame (ZigBee R22 3.3.1): frame control, addresses, radius, sequence
//! number, the optional IEEE addresses, multicast control and source route
//! subframe, then the auxiliary security header. The payload is left as sent.

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use crate::security::AuxHeader;

open_enum! {
    /// NWK frame type, bits 0–1 of the frame control field (ZigBee R22 3.3.1.1.1).
    /// The reserved value 2 decodes as `Unknown(2)` followed by a full NWK header.
    pub enum FrameType: u8 {
        /// Data frame.
        Data = 0 => "data",
        /// NWK command frame.
        Command = 1 => "command",
        /// Inter-PAN frame: only the stub NWK header (frame control) is present.
        InterPan = 3 => "inter_pan",
    }
}

open_enum! {
    /// Discover route sub-field, bits 6–7 of the frame control field (ZigBee R22 3.3.1.1.3).
    pub enum DiscoverRoute: u8 {
        /// Suppress route discovery.
        Suppress = 0 => "suppress",
        /// Enable route discovery.
        Enable = 1 => "enable",
        /// Force route discovery (ZigBee 2006; obsolete since ZigBee PRO).
        Force = 2 => "force",
    }
}

/// The NWK frame control field (ZigBee R22 3.3.1.1), two bytes sent least significant first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameControl {
    /// Frame type (bits 0–1).
    pub frame_type: FrameType,
    /// Protocol version (bits 2–5): 2 for ZigBee 2006 and PRO.
    pub protocol_version: u8,
    /// Discover route (bits 6–7).
    pub discover_route: DiscoverRoute,
    /// Multicast flag (bit 8): the destination is a group and a multicast control field follows.
    pub multicast: bool,
    /// Security (bit 9): an auxiliary security header follows the NWK header.
    pub security: bool,
    /// Source route (bit 10): a source route subframe is present.
    pub source_route: bool,
    /// Destination IEEE address present (bit 11).
    pub dst_ieee: bool,
    /// Source IEEE address present (bit 12).
    pub src_ieee: bool,
    /// End device initiator (bit 13, ZigBee R21 and later).
    pub end_device_initiator: bool,
    /// Reserved bits 14–15, as a two-bit value; kept so the field re-encodes.
    pub reserved: u8,
}

impl FrameControl {
    /// Splits the 16-bit field into its sub-fields.
    #[must_use]
    pub fn from_bits(bits: u16) -> Self {
        let [lo, hi] = bits.to_le_bytes();
        Self {
            frame_type: FrameType::from(lo & 0x03),
            protocol_version: (lo >> 2) & 0x0f,
            discover_route: DiscoverRoute::from(lo >> 6),
            multicast: hi & 0x01 != 0,
            security: hi & 0x02 != 0,
            source_route: hi & 0x04 != 0,
            dst_ieee: hi & 0x08 != 0,
            src_ieee: hi & 0x10 != 0,
            end_device_initiator: hi & 0x20 != 0,
            reserved: hi >> 6,
        }
    }

    /// The 16-bit field. Sub-field values wider than their bits are masked;
    /// [`FrameControl::check`] tells whether any is.
    #[must_use]
    pub fn to_bits(self) -> u16 {
        let lo = (self.frame_type.value() & 0x03)
            | ((self.protocol_version & 0x0f) << 2)
            | ((self.discover_route.value() & 0x03) << 6);
        let hi = u8::from(self.multicast)
            | (u8::from(self.security) << 1)
            | (u8::from(self.source_route) << 2)
            | (u8::from(self.dst_ieee) << 3)
            | (u8::from(self.src_ieee) << 4)
            | (u8::from(self.end_device_initiator) << 5)
            | ((self.reserved & 0x03) << 6);
        u16::from_le_bytes([lo, hi])
    }

    /// Checks that every sub-field fits its bits.
    ///
    /// # Errors
    /// [`smets_core::EncodeErrorKind::Unrepresentable`] naming the first one that does not.
    pub fn check(self) -> Result<(), EncodeError> {
        let fits = |field: &'static str, value: u8, max: u8| {
            if value > max {
                Err(EncodeError::unrepresentable(
                    Layer::Nwk,
                    field,
                    u64::from(value),
                ))
            } else {
                Ok(())
            }
        };
        fits("frame type", self.frame_type.value(), 3)?;
        fits("protocol version", self.protocol_version, 0x0f)?;
        fits("discover route", self.discover_route.value(), 3)?;
        fits("frame control reserved bits", self.reserved, 3)
    }
}

open_enum! {
    /// Multicast mode, bits 0–1 of the multicast control field (ZigBee R22 3.3.1.8.1).
    pub enum MulticastMode: u8 {
        /// Non-member mode: the sender is not a member of the group.
        NonMember = 0 => "non_member",
        /// Member mode.
        Member = 1 => "member",
    }
}

/// The multicast control field (ZigBee R22 3.3.1.8), present when the multicast flag is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MulticastControl {
    /// Multicast mode (bits 0–1).
    pub mode: MulticastMode,
    /// Non-member radius (bits 2–4).
    pub non_member_radius: u8,
    /// Maximum non-member radius (bits 5–7).
    pub max_non_member_radius: u8,
}

impl MulticastControl {
    /// Splits the byte into its sub-fields.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            mode: MulticastMode::from(b & 0x03),
            non_member_radius: (b >> 2) & 0x07,
            max_non_member_radius: b >> 5,
        }
    }

    /// The byte (sub-fields masked to their width).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.mode.value() & 0x03)
            | ((self.non_member_radius & 0x07) << 2)
            | ((self.max_non_member_radius & 0x07) << 5)
    }

    fn check(self) -> Result<(), EncodeError> {
        if self.mode.value() > 3 {
            return Err(EncodeError::unrepresentable(
                Layer::Nwk,
                "multicast mode",
                u64::from(self.mode.value()),
            ));
        }
        if self.non_member_radius > 7 || self.max_non_member_radius > 7 {
            return Err(EncodeError::unrepresentable(
                Layer::Nwk,
                "non-member radius",
                u64::from(self.non_member_radius.max(self.max_non_member_radius)),
            ));
        }
        Ok(())
    }
}

/// An iterator over a list of 16-bit fields sent least significant byte first
/// (relay lists, PAN identifier lists).
#[derive(Debug, Clone)]
pub struct U16Iter<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl<'a> U16Iter<'a> {
    /// Iterates over `bytes` two at a time; a trailing odd byte is ignored.
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            chunks: bytes.chunks_exact(2),
        }
    }
}

impl Iterator for U16Iter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        let c = self.chunks.next()?;
        <[u8; 2]>::try_from(c).ok().map(u16::from_le_bytes)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for U16Iter<'_> {}

/// The source route subframe (ZigBee R22 3.3.1.9): relay count (1), relay
/// index (1) and the relay list (2 bytes per relay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceRoute<'a> {
    /// Index into the relay list of the next relay to transmit the frame.
    pub relay_index: u8,
    /// The relay list as sent: `2 × relay count` bytes, each relay's short address
    /// least significant byte first.
    pub relay_list: &'a [u8],
}

impl<'a> SourceRoute<'a> {
    /// The relay count field: the number of relays in the list.
    #[must_use]
    pub fn relay_count(&self) -> usize {
        self.relay_list.len() / 2
    }

    /// The relays' short addresses, in list order.
    #[must_use]
    pub fn relays(&self) -> U16Iter<'a> {
        U16Iter::new(self.relay_list)
    }

    fn encoded_len(&self) -> usize {
        2 + self.relay_list.len()
    }
}

/// A ZigBee NWK frame (ZigBee R22 3.3.1): the NWK header, the auxiliary
/// security header when the security flag is set, and the payload.
///
/// An inter-PAN frame (frame type 3, ZigBee SE 1.4 annex B) has only the
/// frame control field; its addresses, radius and sequence number read as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NwkFrame<'a> {
    /// Frame control.
    pub frame_control: FrameControl,
    /// Destination short address (or group identifier when multicast).
    pub dst: u16,
    /// Source short address.
    pub src: u16,
    /// Radius: hops the frame may still travel.
    pub radius: u8,
    /// NWK sequence number.
    pub seq: u8,
    /// Destination IEEE address, present when `frame_control.dst_ieee` is set.
    pub dst_ieee: Option<Eui64>,
    /// Source IEEE address, present when `frame_control.src_ieee` is set.
    pub src_ieee: Option<Eui64>,
    /// Multicast control, present when `frame_control.multicast` is set.
    pub multicast: Option<MulticastControl>,
    /// Source route subframe, present when `frame_control.source_route` is set.
    pub source_route: Option<SourceRoute<'a>>,
    /// Auxiliary security header (ZigBee R22 4.5.1), present when `frame_control.security` is set.
    pub security: Option<AuxHeader>,
    /// Every byte after the headers: for a secured frame the ciphertext followed by the MIC.
    pub payload: &'a [u8],
}

impl NwkFrame<'_> {
    /// Whether this is an inter-PAN frame (stub NWK header only).
    #[must_use]
    pub fn is_inter_pan(&self) -> bool {
        self.frame_control.frame_type == FrameType::InterPan
    }

    /// Length of the NWK header without the auxiliary security header.
    fn nwk_header_len(&self) -> usize {
        if self.is_inter_pan() {
            return 2;
        }
        8 + if self.dst_ieee.is_some() { 8 } else { 0 }
            + if self.src_ieee.is_some() { 8 } else { 0 }
            + usize::from(self.multicast.is_some())
            + self.source_route.map_or(0, |s| s.encoded_len())
    }

    /// Bytes before [`NwkFrame::payload`]: the NWK header and, when present,
    /// the auxiliary security header.
    #[must_use]
    pub fn header_len(&self) -> usize {
        self.nwk_header_len() + self.security.map_or(0, |s| s.encoded_len())
    }

    /// Offset of the security control byte from the start of the frame, when
    /// the frame carries an auxiliary security header.
    #[must_use]
    pub fn aux_offset(&self) -> Option<usize> {
        self.security.map(|_| self.nwk_header_len())
    }

    fn check(&self) -> Result<(), EncodeError> {
        let fc = self.frame_control;
        fc.check()?;
        if self.is_inter_pan() {
            if self.dst != 0
                || self.src != 0
                || self.radius != 0
                || self.seq != 0
                || self.dst_ieee.is_some()
                || self.src_ieee.is_some()
                || self.multicast.is_some()
                || self.source_route.is_some()
                || self.security.is_some()
            {
                return Err(EncodeError::inconsistent(
                    Layer::Nwk,
                    "inter-PAN stub header with NWK header fields",
                ));
            }
            return Ok(());
        }
        let pairs = [
            (
                fc.dst_ieee,
                self.dst_ieee.is_some(),
                "destination IEEE address",
            ),
            (fc.src_ieee, self.src_ieee.is_some(), "source IEEE address"),
            (fc.multicast, self.multicast.is_some(), "multicast control"),
            (fc.source_route, self.source_route.is_some(), "source route"),
            (
                fc.security,
                self.security.is_some(),
                "auxiliary security header",
            ),
        ];
        for (flag, present, field) in pairs {
            if flag != present {
                return Err(EncodeError::inconsistent(Layer::Nwk, field));
            }
        }
        if let Some(m) = self.multicast {
            m.check()?;
        }
        if let Some(s) = self.source_route {
            let len = s.relay_list.len();
            if !len.is_multiple_of(2) || len / 2 > usize::from(u8::MAX) {
                return Err(EncodeError::unrepresentable(
                    Layer::Nwk,
                    "relay list length",
                    len as u64,
                ));
            }
        }
        Ok(())
    }
}

impl<'a> NwkFrame<'a> {
    /// The usual header, read at fixed offsets: a data or command frame with
    /// none of the optional fields (`fc | dst | src | radius | seq`, 8 bytes).
    /// `None` for any other, left to [`NwkFrame::decode_general`], which gives
    /// the same frame for this one.
    #[inline]
    fn decode_plain_header(buf: &'a [u8]) -> Option<Self> {
        let ([f0, f1, d0, d1, s0, s1, radius, seq], payload) = buf.split_first_chunk::<8>()?;
        let bits = u16::from_le_bytes([*f0, *f1]);
        // Multicast, security, source route, IEEE addresses (bits 8-12);
        // frame type 3 (inter-PAN) has no addresses.
        if bits & 0x1f00 != 0 || bits & 0x0003 == 0x0003 {
            return None;
        }
        Some(Self {
            frame_control: FrameControl::from_bits(bits),
            dst: u16::from_le_bytes([*d0, *d1]),
            src: u16::from_le_bytes([*s0, *s1]),
            radius: *radius,
            seq: *seq,
            dst_ieee: None,
            src_ieee: None,
            multicast: None,
            source_route: None,
            security: None,
            payload,
        })
    }

    fn decode_general(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Nwk);
        let frame_control = FrameControl::from_bits(r.u16_le("frame control")?);
        if frame_control.frame_type == FrameType::InterPan {
            return Ok(Self {
                frame_control,
                dst: 0,
                src: 0,
                radius: 0,
                seq: 0,
                dst_ieee: None,
                src_ieee: None,
                multicast: None,
                source_route: None,
                security: None,
                payload: r.rest(),
            });
        }
        let dst = r.u16_le("destination address")?;
        let src = r.u16_le("source address")?;
        let radius = r.u8("radius")?;
        let seq = r.u8("sequence number")?;
        let dst_ieee = if frame_control.dst_ieee {
            Some(r.eui64("destination IEEE address")?)
        } else {
            None
        };
        let src_ieee = if frame_control.src_ieee {
            Some(r.eui64("source IEEE address")?)
        } else {
            None
        };
        let multicast = if frame_control.multicast {
            Some(MulticastControl::from_byte(r.u8("multicast control")?))
        } else {
            None
        };
        let source_route = if frame_control.source_route {
            let count = r.u8("relay count")?;
            let relay_index = r.u8("relay index")?;
            let relay_list = r.bytes(usize::from(count) * 2, "relay list")?;
            Some(SourceRoute {
                relay_index,
                relay_list,
            })
        } else {
            None
        };
        let security = if frame_control.security {
            let start = r.pos();
            let rest = buf.get(start..).unwrap_or_default();
            // A reader of its own so that errors name the security layer, at frame offsets.
            let mut sub = Reader::with_base(rest, Layer::Security, start);
            let aux = AuxHeader::read(&mut sub)?;
            r.bytes(sub.pos(), "auxiliary security header")?;
            Some(aux)
        } else {
            None
        };
        Ok(Self {
            frame_control,
            dst,
            src,
            radius,
            seq,
            dst_ieee,
            src_ieee,
            multicast,
            source_route,
            security,
            payload: r.rest(),
        })
    }
}

impl<'a> Decode<'a> for NwkFrame<'a> {
    #[inline]
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        match Self::decode_plain_header(buf) {
            Some(f) => Ok(f),
            None => Self::decode_general(buf),
        }
    }
}

impl Encode for NwkFrame<'_> {
    fn encoded_len(&self) -> usize {
        self.header_len() + self.payload.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        // The auxiliary header is encoded first, so that its own consistency
        // checks fail before anything reaches `out`.
        let mut aux = [0u8; 14];
        let aux_len = match self.security {
            Some(h) => {
                let mut w: &mut [u8] = &mut aux;
                h.encode(&mut w)?;
                h.encoded_len()
            }
            None => 0,
        };
        ensure_room(out, self.encoded_len(), Layer::Nwk)?;
        out.put_u16_le(self.frame_control.to_bits());
        if !self.is_inter_pan() {
            out.put_u16_le(self.dst);
            out.put_u16_le(self.src);
            out.put_u8(self.radius);
            out.put_u8(self.seq);
            if let Some(a) = self.dst_ieee {
                out.put_slice(&a.to_le_bytes());
            }
            if let Some(a) = self.src_ieee {
                out.put_slice(&a.to_le_bytes());
            }
            if let Some(m) = self.multicast {
                out.put_u8(m.to_byte());
            }
            if let Some(s) = self.source_route {
                let count = u8::try_from(s.relay_count()).unwrap_or(u8::MAX);
                out.put_u8(count);
                out.put_u8(s.relay_index);
                out.put_slice(s.relay_list);
            }
            out.put_slice(aux.get(..aux_len).unwrap_or_default());
        }
        out.put_slice(self.payload);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::security::{KeyIdentifier, SecurityControl, SecurityLevel};
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn the_plain_header_reads_as_the_general_decoder_does() {
        let mut fast = 0;
        for fc in 0..=u16::MAX {
            for len in [0usize, 1, 2, 7, 8, 9, 12, 30] {
                let mut b: Vec<u8> = (0..len).map(|i| (i * 29 + 3).to_le_bytes()[0]).collect();
                if let Some(h) = b.get_mut(..2.min(len)) {
                    h.copy_from_slice(&fc.to_le_bytes()[..h.len()]);
                }
                assert_eq!(
                    NwkFrame::decode(&b),
                    NwkFrame::decode_general(&b),
                    "{fc:#06x} {len}"
                );
                fast += usize::from(NwkFrame::decode_plain_header(&b).is_some());
            }
        }
        // 3 frame types x 2^9 values of the other bits, at the 4 lengths
        // that hold the 8-byte header.
        assert_eq!(fast, 3 * 512 * 4);
    }

    /// control4-sample frame 1 (a secured link status), MAC header (9 bytes) and FCS removed.
    const CONTROL4_1: [u8; 39] = [
        0x09, 0x12, 0xfc, 0xff, 0x00, 0x00, 0x01, 0xc0, 0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f,
        0x00, 0x28, 0xba, 0x22, 0x01, 0x00, 0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f, 0x00, 0x00,
        0x65, 0x8d, 0xf3, 0x7b, 0x6a, 0xf6, 0x97, 0x6d, 0xa6,
    ];

    /// zigator 03-nwk-testing frame 2 (route reply, both IEEE addresses), MAC header removed.
    const ZIGATOR_ROUTE_REPLY: [u8; 53] = [
        0x09, 0x1a, 0x01, 0x11, 0x02, 0x11, 0x1d, 0xa2, 0x02, 0x00, 0x00, 0x00, 0x00, 0x77, 0x77,
        0x77, 0x03, 0x00, 0x00, 0x00, 0x00, 0x77, 0x77, 0x77, 0x28, 0x12, 0x27, 0x00, 0x00, 0x03,
        0x00, 0x00, 0x00, 0x00, 0x77, 0x77, 0x77, 0x00, 0x17, 0x9b, 0xab, 0x12, 0x9a, 0xce, 0x96,
        0xcd, 0x20, 0x25, 0x19, 0x66, 0x66, 0x48, 0xcc,
    ];

    /// killerbee zigbee-network-key-ota frame 4 (data with a source route subframe),
    /// MAC header removed, payload cut after four bytes.
    const SOURCE_ROUTED: [u8; 16] = [
        0x08, 0x04, 0x01, 0x00, 0x2b, 0x18, 0x08, 0x0e, 0x01, 0x64, 0x05, 0x01, 0x04, 0x01, 0x64,
        0x0b,
    ];

    #[test]
    fn control4_frame_1_link_status() {
        let f = NwkFrame::decode(&CONTROL4_1).unwrap();
        let fc = f.frame_control;
        assert_eq!(fc.frame_type, FrameType::Command);
        assert_eq!(fc.protocol_version, 2);
        assert_eq!(fc.discover_route, DiscoverRoute::Suppress);
        assert!(!fc.multicast);
        assert!(fc.security);
        assert!(!fc.source_route);
        assert!(!fc.dst_ieee);
        assert!(fc.src_ieee);
        assert!(!fc.end_device_initiator);
        assert_eq!(fc.reserved, 0);
        assert_eq!(fc.to_bits(), 0x1209);
        assert_eq!(f.dst, 0xfffc);
        assert_eq!(f.src, 0x0000);
        assert_eq!(f.radius, 1);
        assert_eq!(f.seq, 192);
        assert_eq!(f.dst_ieee, None);
        assert_eq!(f.src_ieee, Some(Eui64(0x000f_ff00_001f_0222)));
        assert_eq!(f.multicast, None);
        assert_eq!(f.source_route, None);
        let aux = f.security.unwrap();
        assert_eq!(aux.control.key_id, KeyIdentifier::Network);
        assert_eq!(aux.control.level, SecurityLevel::None);
        assert!(aux.control.extended_nonce);
        assert_eq!(aux.frame_counter, 74426);
        assert_eq!(aux.source, Some(Eui64(0x000f_ff00_001f_0222)));
        assert_eq!(aux.key_seq, Some(0));
        assert_eq!(f.aux_offset(), Some(16));
        assert_eq!(f.header_len(), 30);
        assert_eq!(
            f.payload,
            &[0x65, 0x8d, 0xf3, 0x7b, 0x6a, 0xf6, 0x97, 0x6d, 0xa6]
        );
        assert!(!f.is_inter_pan());
        assert_eq!(f.to_vec().unwrap(), CONTROL4_1);
        assert_eq!(f.encoded_len(), 39);
    }

    #[test]
    fn zigator_route_reply_carries_both_ieee_addresses() {
        let f = NwkFrame::decode(&ZIGATOR_ROUTE_REPLY).unwrap();
        assert_eq!(f.frame_control.to_bits(), 0x1a09);
        assert_eq!(f.dst, 0x1101);
        assert_eq!(f.src, 0x1102);
        assert_eq!(f.radius, 29);
        assert_eq!(f.seq, 0xa2);
        assert_eq!(f.dst_ieee, Some(Eui64(0x7777_7700_0000_0002)));
        assert_eq!(f.src_ieee, Some(Eui64(0x7777_7700_0000_0003)));
        assert_eq!(f.aux_offset(), Some(24));
        let aux = f.security.unwrap();
        assert_eq!(aux.frame_counter, 0x2712);
        assert_eq!(f.header_len(), 38);
        assert_eq!(f.payload.len(), 15);
        assert_eq!(f.to_vec().unwrap(), ZIGATOR_ROUTE_REPLY);
    }

    #[test]
    fn source_route_subframe() {
        let f = NwkFrame::decode(&SOURCE_ROUTED).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Data);
        assert!(f.frame_control.source_route);
        assert!(!f.frame_control.security);
        assert_eq!(f.dst, 0x0001);
        assert_eq!(f.src, 0x182b);
        assert_eq!(f.radius, 8);
        assert_eq!(f.seq, 14);
        let sr = f.source_route.unwrap();
        assert_eq!(sr.relay_count(), 1);
        assert_eq!(sr.relay_index, 100);
        assert_eq!(sr.relays().collect::<Vec<_>>(), [0x0105]);
        assert_eq!(f.header_len(), 12);
        assert_eq!(f.aux_offset(), None);
        assert_eq!(f.payload, &[0x04, 0x01, 0x64, 0x0b]);
        assert_eq!(f.to_vec().unwrap(), SOURCE_ROUTED);
    }

    #[test]
    fn truncated_headers_are_errors() {
        for (bytes, header) in [
            (&CONTROL4_1[..], 30),
            (&ZIGATOR_ROUTE_REPLY[..], 38),
            (&SOURCE_ROUTED[..], 12),
        ] {
            for cut in 0..header {
                assert!(NwkFrame::decode(&bytes[..cut]).is_err(), "cut at {cut}");
            }
            for cut in header..=bytes.len() {
                assert_eq!(
                    NwkFrame::decode(&bytes[..cut]).unwrap().header_len(),
                    header
                );
            }
        }
        let e = NwkFrame::decode(&CONTROL4_1[..20]).unwrap_err();
        assert_eq!(e.layer, Layer::Security);
        assert_eq!(e.offset, 17);
        let e = NwkFrame::decode(&CONTROL4_1[..9]).unwrap_err();
        assert_eq!(e.layer, Layer::Nwk);
        assert_eq!(e.offset, 8);
    }

    #[test]
    fn inter_pan_stub_header() {
        let bytes = [0x0b, 0x00, 0x41, 0x00, 0x09];
        let f = NwkFrame::decode(&bytes).unwrap();
        assert!(f.is_inter_pan());
        assert_eq!(f.frame_control.protocol_version, 2);
        assert_eq!(f.header_len(), 2);
        assert_eq!(f.payload, &bytes[2..]);
        assert_eq!(f.to_vec().unwrap(), bytes);
        let bad = NwkFrame { seq: 1, ..f };
        assert!(bad.to_vec().is_err());
        assert!(NwkFrame::decode(&bytes[..1]).is_err());
    }

    #[test]
    fn encode_rejects_flags_without_fields_and_small_buffers() {
        let f = NwkFrame::decode(&CONTROL4_1).unwrap();
        assert!(
            NwkFrame {
                src_ieee: None,
                ..f
            }
            .to_vec()
            .is_err()
        );
        assert!(
            NwkFrame {
                security: None,
                ..f
            }
            .to_vec()
            .is_err()
        );
        assert!(
            NwkFrame {
                multicast: Some(MulticastControl::from_byte(0)),
                ..f
            }
            .to_vec()
            .is_err()
        );
        let mut fc = f.frame_control;
        fc.protocol_version = 16;
        assert!(
            NwkFrame {
                frame_control: fc,
                ..f
            }
            .to_vec()
            .is_err()
        );
        let mut aux = f.security.unwrap();
        aux.key_seq = None;
        assert!(
            NwkFrame {
                security: Some(aux),
                ..f
            }
            .to_vec()
            .is_err()
        );
        let mut small = [0u8; 38];
        assert!(f.encode(&mut &mut small[..]).is_err());
        let mut exact = [0u8; 39];
        f.encode(&mut &mut exact[..]).unwrap();
        assert_eq!(exact, CONTROL4_1);
    }

    fn aux_header(control: u8, counter: u32, src: u64, key_seq: u8) -> AuxHeader {
        let control = SecurityControl::from_byte(control);
        AuxHeader {
            control,
            frame_counter: counter,
            source: control.extended_nonce.then_some(Eui64(src)),
            key_seq: (control.key_id == KeyIdentifier::Network).then_some(key_seq),
        }
    }

    proptest! {
        #[test]
        fn roundtrip(
            fcf in any::<u16>(),
            dst in any::<u16>(),
            src in any::<u16>(),
            radius in any::<u8>(),
            seq in any::<u8>(),
            dst64 in any::<u64>(),
            src64 in any::<u64>(),
            mcast in any::<u8>(),
            relay_index in any::<u8>(),
            relays in proptest::collection::vec(any::<u8>(), 0..=40usize),
            aux in (any::<u8>(), any::<u32>(), any::<u64>(), any::<u8>()),
            payload in proptest::collection::vec(any::<u8>(), 0..40usize),
        ) {
            let fc = FrameControl::from_bits(fcf);
            prop_assert_eq!(fc.to_bits(), fcf);
            let relay_list = &relays[..relays.len() & !1];
            let f = if fc.frame_type == FrameType::InterPan {
                NwkFrame {
                    frame_control: fc, dst: 0, src: 0, radius: 0, seq: 0, dst_ieee: None,
                    src_ieee: None, multicast: None, source_route: None, security: None,
                    payload: &payload,
                }
            } else {
                NwkFrame {
                    frame_control: fc,
                    dst,
                    src,
                    radius,
                    seq,
                    dst_ieee: fc.dst_ieee.then_some(Eui64(dst64)),
                    src_ieee: fc.src_ieee.then_some(Eui64(src64)),
                    multicast: fc.multicast.then(|| MulticastControl::from_byte(mcast)),
                    source_route: fc.source_route.then_some(SourceRoute { relay_index, relay_list }),
                    security: fc.security.then(|| aux_header(aux.0, aux.1, aux.2, aux.3)),
                    payload: &payload,
                }
            };
            let bytes = f.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), f.encoded_len());
            let back = NwkFrame::decode(&bytes).unwrap();
            prop_assert_eq!(back, f);
            prop_assert_eq!(back.header_len() + payload.len(), bytes.len());
            if let Some(off) = back.aux_offset() {
                prop_assert_eq!(bytes[off], aux.0);
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64usize)) {
            if let Ok(f) = NwkFrame::decode(&bytes) {
                prop_assert_eq!(f.to_vec().unwrap(), bytes);
            }
        }
    }
}
