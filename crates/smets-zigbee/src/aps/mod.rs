//! ZigBee APS frames (ZigBee R22 2.2.5): data, command, acknowledgement and
//! inter-PAN frames, APS commands (R22 4.4.11) and fragment reassembly (R22 2.2.8.4.5).
//!
//! The decoder does not decrypt: for a secured frame `payload` is the CCM*
//! ciphertext followed by the MIC, exactly as on air (see [`ApsFrame::header_len`]).
//!
//! ```
//! use smets_zigbee::aps::{ApsCommand, ApsFrame, CommandId, KeyDescriptor};
//! use smets_zigbee::Decode;
//!
//! // control4-sample frame 151 after its MAC and NWK headers: a plaintext Transport Key.
//! let bytes = [
//!     0x01, 0xdc, 0x05, 0x01, 0x26, 0x54, 0x6b, 0x72, 0x3b, 0x39, 0x6a, 0x72,
//!     0x7b, 0x5d, 0x52, 0x71, 0x51, 0x7d, 0x39, 0x2f, 0x00, 0x1a, 0x5b, 0x41,
//!     0x00, 0x00, 0xff, 0x0f, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
//!     0xff,
//! ];
//! let frame = ApsFrame::decode(&bytes)?;
//! assert_eq!(frame.counter, 220);
//! let command = frame.command()?;
//! assert_eq!(command.id(), CommandId::TransportKey);
//! if let ApsCommand::TransportKey(tk) = command {
//!     assert_eq!(tk.key.as_bytes()[..4], [0x26, 0x54, 0x6b, 0x72]);
//!     assert!(matches!(tk.descriptor, KeyDescriptor::Network { key_seq: 0, .. }));
//! }
//! # Ok::<(), smets_zigbee::DecodeError>(())
//! ```

mod command;
mod reassembly;

pub use command::{
    ApsCommand, ApsStatus, CommandId, EaChallenge, EaMacData, KeyDescriptor, KeyType,
    RequestKeyType, SkkeData, TransportKey, UpdateDeviceStatus,
};
pub use reassembly::{Reassembler, ReassemblyKey};

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Layer, Reader, ensure_room,
    open_enum,
};

use crate::security::AuxHeader;

open_enum! {
    /// APS frame type, bits 0-1 of the frame control field (ZigBee R22 2.2.5.1.1.1).
    pub enum FrameType: u8 {
        /// Data frame.
        Data = 0 => "data",
        /// APS command frame.
        Command = 1 => "command",
        /// Acknowledgement frame.
        Ack = 2 => "ack",
        /// Inter-PAN frame (stub APS header of the Smart Energy Profile 1.4 Annex B).
        InterPan = 3 => "inter_pan",
    }
}

open_enum! {
    /// APS delivery mode, bits 2-3 of the frame control field (ZigBee R22 2.2.5.1.1.2).
    pub enum DeliveryMode: u8 {
        /// Normal unicast delivery.
        Unicast = 0 => "unicast",
        /// Indirect delivery: ZigBee 2004 only, reserved since ZigBee 2006.
        Indirect = 1 => "indirect",
        /// Broadcast delivery.
        Broadcast = 2 => "broadcast",
        /// Group addressing: a group address replaces the destination endpoint.
        Group = 3 => "group",
    }
}

open_enum! {
    /// Fragmentation sub-field of the extended frame control field (ZigBee R22 2.2.5.1.8.1.1).
    pub enum Fragmentation: u8 {
        /// Not fragmented.
        None = 0 => "none",
        /// First block of a fragmented message; the block number is the total count.
        First = 1 => "first",
        /// A later block; the block number is its index.
        Subsequent = 2 => "subsequent",
    }
}

/// The APS frame control field (ZigBee R22 2.2.5.1.1). Every bit is named,
/// so every byte value round-trips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameControl {
    /// Frame type.
    pub frame_type: FrameType,
    /// Delivery mode.
    pub delivery: DeliveryMode,
    /// Acknowledgement format (ack frames): set when acknowledging an APS
    /// command, in which case no endpoint, cluster or profile follows.
    pub ack_format: bool,
    /// Security: an auxiliary security header follows the counter.
    pub security: bool,
    /// Acknowledgement request.
    pub ack_request: bool,
    /// Extended header present.
    pub extended_header: bool,
}

impl FrameControl {
    /// Decodes the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            frame_type: FrameType::from(b & 0x03),
            delivery: DeliveryMode::from((b >> 2) & 0x03),
            ack_format: b & 0x10 != 0,
            security: b & 0x20 != 0,
            ack_request: b & 0x40 != 0,
            extended_header: b & 0x80 != 0,
        }
    }

    /// Encodes the byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.frame_type.value() & 0x03)
            | ((self.delivery.value() & 0x03) << 2)
            | (u8::from(self.ack_format) << 4)
            | (u8::from(self.security) << 5)
            | (u8::from(self.ack_request) << 6)
            | (u8::from(self.extended_header) << 7)
    }

    /// Whether the frame carries endpoint addressing (destination endpoint or
    /// group, cluster, profile, source endpoint): data frames and acks of data
    /// frames (R22 2.2.5.2).
    #[must_use]
    pub fn has_endpoint_addressing(self) -> bool {
        match self.frame_type {
            FrameType::Data => true,
            FrameType::Ack => !self.ack_format,
            _ => false,
        }
    }

    /// Whether the frame carries a destination endpoint: endpoint-addressed
    /// frames delivered by unicast or broadcast (R22 2.2.5.1.2).
    #[must_use]
    pub fn has_dst_endpoint(self) -> bool {
        self.has_endpoint_addressing()
            && matches!(
                self.delivery,
                DeliveryMode::Unicast | DeliveryMode::Broadcast
            )
    }

    /// Whether the frame carries a group address: endpoint-addressed or
    /// inter-PAN frames in group delivery mode (R22 2.2.5.1.3).
    #[must_use]
    pub fn has_group(self) -> bool {
        (self.has_endpoint_addressing() || self.frame_type == FrameType::InterPan)
            && self.delivery == DeliveryMode::Group
    }

    /// Whether cluster and profile identifiers are present (R22 2.2.5.1.4-5).
    #[must_use]
    pub fn has_cluster_and_profile(self) -> bool {
        self.has_endpoint_addressing() || self.frame_type == FrameType::InterPan
    }

    /// Whether the APS counter is present: every frame but inter-PAN ones.
    #[must_use]
    pub fn has_counter(self) -> bool {
        self.frame_type != FrameType::InterPan
    }
}

/// The APS extended header (ZigBee R22 2.2.5.1.8): extended frame control,
/// block number and acknowledgement bitfield.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtendedHeader {
    /// Fragmentation, bits 0-1 of the extended frame control field.
    pub fragmentation: Fragmentation,
    /// Bits 2-7 of the extended frame control field, reserved; kept so that
    /// the byte re-encodes.
    pub reserved: u8,
    /// Block number: present when the frame is fragmented. In the first block
    /// it is the number of blocks of the message, in later ones the block's index.
    pub block_number: Option<u8>,
    /// Acknowledgement bitfield: present in acks of fragmented frames, one
    /// bit per block of the window.
    pub ack_bitfield: Option<u8>,
}

impl ExtendedHeader {
    fn encoded_len(&self) -> usize {
        1 + usize::from(self.block_number.is_some()) + usize::from(self.ack_bitfield.is_some())
    }
}

/// One APS frame (ZigBee R22 2.2.5): header fields and the bytes after them.
///
/// Field presence follows R22 2.2.5.1 as Wireshark's `packet-zbee-aps.c` reads it:
/// data frames and acks with `ack_format` clear carry endpoint addressing
/// (destination endpoint, or group address in group delivery; cluster; profile;
/// source endpoint); command frames and command acks carry none; inter-PAN
/// frames carry an optional group address, cluster and profile, and no counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApsFrame<'a> {
    /// Frame control.
    pub frame_control: FrameControl,
    /// Destination endpoint (unicast and broadcast endpoint-addressed frames).
    pub dst_endpoint: Option<u8>,
    /// Group address (group delivery).
    pub group: Option<u16>,
    /// Cluster identifier.
    pub cluster: Option<u16>,
    /// Profile identifier.
    pub profile: Option<u16>,
    /// Source endpoint.
    pub src_endpoint: Option<u8>,
    /// APS counter. Inter-PAN frames have none on air; it is 0 for them.
    pub counter: u8,
    /// Extended header, present when `frame_control.extended_header` is set.
    pub extended: Option<ExtendedHeader>,
    /// Auxiliary security header, present when `frame_control.security` is set.
    pub security: Option<AuxHeader>,
    /// Every byte after the headers: the plaintext payload (for a command frame
    /// the command identifier and its fields), or for a secured frame the
    /// ciphertext followed by the MIC, exactly as on air.
    pub payload: &'a [u8],
}

impl<'a> ApsFrame<'a> {
    /// Bytes before [`ApsFrame::payload`], auxiliary security header included.
    ///
    /// For a secured frame these bytes, with the security level of the
    /// auxiliary header's control byte (at [`ApsFrame::aux_offset`]) replaced
    /// by the network's level, are the CCM* authenticated data (R22 4.4.1.1).
    #[must_use]
    pub fn header_len(&self) -> usize {
        self.aux_start() + self.security.map_or(0, |a| a.encoded_len())
    }

    /// Offset of the auxiliary security header, `None` for an unsecured frame.
    #[must_use]
    pub fn aux_offset(&self) -> Option<usize> {
        self.security.map(|_| self.aux_start())
    }

    fn aux_start(&self) -> usize {
        1 + usize::from(self.dst_endpoint.is_some())
            + if self.group.is_some() { 2 } else { 0 }
            + if self.cluster.is_some() { 2 } else { 0 }
            + if self.profile.is_some() { 2 } else { 0 }
            + usize::from(self.src_endpoint.is_some())
            + usize::from(self.frame_control.has_counter())
            + self.extended.map_or(0, |e| e.encoded_len())
    }

    /// Decodes the payload of an unsecured command frame as an [`ApsCommand`].
    ///
    /// # Errors
    /// An [`Layer::ApsCommand`] error when the frame is not an unsecured
    /// command frame or the payload is malformed; offsets are counted from
    /// the start of the frame.
    pub fn command(&self) -> Result<ApsCommand<'a>, DecodeError> {
        let base = self.header_len();
        if self.frame_control.frame_type != FrameType::Command || self.security.is_some() {
            return Err(DecodeError::invalid(
                Layer::ApsCommand,
                0,
                "frame type (not a plaintext command frame)",
                u64::from(self.frame_control.to_byte()),
            ));
        }
        ApsCommand::decode(self.payload).map_err(|e| e.shifted(base))
    }

    /// Reads the frame from the front of `r` and takes the rest as payload.
    #[inline]
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let fc = FrameControl::from_byte(r.u8("frame control")?);
        if fc.has_endpoint_addressing() && fc.delivery == DeliveryMode::Indirect {
            return Err(r.error_at(
                r.pos().saturating_sub(1),
                DecodeErrorKind::Reserved {
                    field: "delivery mode",
                    value: 1,
                },
            ));
        }
        let dst_endpoint = if fc.has_dst_endpoint() {
            Some(r.u8("destination endpoint")?)
        } else {
            None
        };
        let group = if fc.has_group() {
            Some(r.u16_le("group address")?)
        } else {
            None
        };
        let (cluster, profile) = if fc.has_cluster_and_profile() {
            (
                Some(r.u16_le("cluster identifier")?),
                Some(r.u16_le("profile identifier")?),
            )
        } else {
            (None, None)
        };
        let src_endpoint = if fc.has_endpoint_addressing() {
            Some(r.u8("source endpoint")?)
        } else {
            None
        };
        let counter = if fc.has_counter() {
            r.u8("APS counter")?
        } else {
            0
        };
        let extended = if fc.extended_header {
            let b = r.u8("extended frame control")?;
            let fragmentation = Fragmentation::from(b & 0x03);
            let fragmented = fragmentation != Fragmentation::None;
            let block_number = if fragmented {
                Some(r.u8("block number")?)
            } else {
                None
            };
            let ack_bitfield = if fragmented && fc.frame_type == FrameType::Ack {
                Some(r.u8("ack bitfield")?)
            } else {
                None
            };
            Some(ExtendedHeader {
                fragmentation,
                reserved: b >> 2,
                block_number,
                ack_bitfield,
            })
        } else {
            None
        };
        let security = if fc.security {
            Some(AuxHeader::read(r)?)
        } else {
            None
        };
        Ok(Self {
            frame_control: fc,
            dst_endpoint,
            group,
            cluster,
            profile,
            src_endpoint,
            counter,
            extended,
            security,
            payload: r.rest(),
        })
    }

    fn check(&self) -> Result<(), EncodeError> {
        let fc = self.frame_control;
        let inconsistent = |field| Err(EncodeError::inconsistent(Layer::Aps, field));
        if fc.has_endpoint_addressing() && fc.delivery == DeliveryMode::Indirect {
            return Err(EncodeError::unrepresentable(Layer::Aps, "delivery mode", 1));
        }
        if self.dst_endpoint.is_some() != fc.has_dst_endpoint() {
            return inconsistent("destination endpoint");
        }
        if self.group.is_some() != fc.has_group() {
            return inconsistent("group address");
        }
        if self.cluster.is_some() != fc.has_cluster_and_profile() {
            return inconsistent("cluster identifier");
        }
        if self.profile.is_some() != fc.has_cluster_and_profile() {
            return inconsistent("profile identifier");
        }
        if self.src_endpoint.is_some() != fc.has_endpoint_addressing() {
            return inconsistent("source endpoint");
        }
        if !fc.has_counter() && self.counter != 0 {
            return inconsistent("APS counter");
        }
        if self.extended.is_some() != fc.extended_header {
            return inconsistent("extended header");
        }
        if let Some(e) = self.extended {
            if e.reserved > 0x3f {
                return Err(EncodeError::unrepresentable(
                    Layer::Aps,
                    "extended frame control reserved bits",
                    u64::from(e.reserved),
                ));
            }
            let fragmented = e.fragmentation != Fragmentation::None;
            if e.block_number.is_some() != fragmented {
                return inconsistent("block number");
            }
            if e.ack_bitfield.is_some() != (fragmented && fc.frame_type == FrameType::Ack) {
                return inconsistent("ack bitfield");
            }
        }
        if self.security.is_some() != fc.security {
            return inconsistent("auxiliary security header");
        }
        Ok(())
    }
}

impl<'a> ApsFrame<'a> {
    /// The usual header, read at fixed offsets: an unsecured unicast or
    /// broadcast data frame without extended header (`fc | dst endpoint |
    /// cluster | profile | src endpoint | counter`, 8 bytes). `None` for any
    /// other, left to the general reader, which gives the same frame for this one.
    #[inline]
    fn decode_data_header(buf: &'a [u8]) -> Option<Self> {
        let ([b, dst, c0, c1, p0, p1, src, counter], payload) = buf.split_first_chunk::<8>()?;
        // Data frame (bits 0-1), delivery 0 or 2 (bit 2), no security (bit 5)
        // and no extended header (bit 7).
        if b & 0xa7 != 0 {
            return None;
        }
        Some(Self {
            frame_control: FrameControl::from_byte(*b),
            dst_endpoint: Some(*dst),
            group: None,
            cluster: Some(u16::from_le_bytes([*c0, *c1])),
            profile: Some(u16::from_le_bytes([*p0, *p1])),
            src_endpoint: Some(*src),
            counter: *counter,
            extended: None,
            security: None,
            payload,
        })
    }
}

impl<'a> Decode<'a> for ApsFrame<'a> {
    #[inline]
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        match Self::decode_data_header(buf) {
            Some(f) => Ok(f),
            None => Self::read(&mut Reader::new(buf, Layer::Aps)),
        }
    }
}

impl Encode for ApsFrame<'_> {
    fn encoded_len(&self) -> usize {
        self.header_len() + self.payload.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, self.encoded_len(), Layer::Aps)?;
        out.put_u8(self.frame_control.to_byte());
        if let Some(d) = self.dst_endpoint {
            out.put_u8(d);
        }
        if let Some(g) = self.group {
            out.put_u16_le(g);
        }
        if let Some(c) = self.cluster {
            out.put_u16_le(c);
        }
        if let Some(p) = self.profile {
            out.put_u16_le(p);
        }
        if let Some(s) = self.src_endpoint {
            out.put_u8(s);
        }
        if self.frame_control.has_counter() {
            out.put_u8(self.counter);
        }
        if let Some(e) = self.extended {
            out.put_u8((e.fragmentation.value() & 0x03) | (e.reserved << 2));
            if let Some(b) = e.block_number {
                out.put_u8(b);
            }
            if let Some(a) = e.ack_bitfield {
                out.put_u8(a);
            }
        }
        if let Some(a) = self.security {
            a.encode(out)
                .map_err(|e| EncodeError::new(Layer::Aps, e.kind))?;
        }
        out.put_slice(self.payload);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::security::{KeyIdentifier, SecurityControl};
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smets_core::Eui64;

    #[test]
    fn the_data_header_reads_as_the_general_reader_does() {
        let mut fast = 0;
        for fc in 0..=u8::MAX {
            for len in [0usize, 1, 7, 8, 9, 12, 40] {
                let mut b: Vec<u8> = (0..len).map(|i| (i * 41 + 5).to_le_bytes()[0]).collect();
                if let Some(h) = b.first_mut() {
                    *h = fc;
                }
                assert_eq!(
                    ApsFrame::decode(&b),
                    ApsFrame::read(&mut Reader::new(&b, Layer::Aps)),
                    "{fc:#04x} {len}"
                );
                fast += usize::from(ApsFrame::decode_data_header(&b).is_some());
            }
        }
        // 8 values of the free bits (3, 4, 6), at the 4 lengths that hold
        // the 8-byte header.
        assert_eq!(fast, 8 * 4);
    }

    /// control4-sample frame 151 with its MAC header (9 bytes), NWK header
    /// (8 bytes) and FCS (2 bytes) cut off: a plaintext APS Transport Key.
    fn control4_151() -> Vec<u8> {
        let mac = hex::decode(
            "6188305933909000000800909000001edd01dc050126546b723b396a727b5d5271517d392f001a5b410000ff0f00ffffffffffffffff4f24",
        )
        .unwrap();
        mac[9 + 8..mac.len() - 2].to_vec()
    }

    #[test]
    fn plaintext_transport_key_of_control4_frame_151() {
        let bytes = control4_151();
        let f = ApsFrame::decode(&bytes).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Command);
        assert_eq!(f.frame_control.delivery, DeliveryMode::Unicast);
        assert!(!f.frame_control.security);
        assert!(!f.frame_control.ack_request);
        assert!(!f.frame_control.extended_header);
        assert_eq!(f.counter, 220);
        assert_eq!(f.dst_endpoint, None);
        assert_eq!(f.cluster, None);
        assert_eq!(f.profile, None);
        assert_eq!(f.security, None);
        assert_eq!(f.header_len(), 2);
        assert_eq!(f.aux_offset(), None);
        assert_eq!(f.payload.len(), 35);
        let cmd = f.command().unwrap();
        assert_eq!(cmd.id(), CommandId::TransportKey);
        match cmd {
            ApsCommand::TransportKey(tk) => {
                assert_eq!(tk.key_type, KeyType::StandardNetworkKey);
                assert_eq!(
                    tk.key.as_bytes(),
                    &hex::decode("26546b723b396a727b5d5271517d392f").unwrap()[..]
                );
                assert_eq!(
                    tk.descriptor,
                    KeyDescriptor::Network {
                        key_seq: 0,
                        destination: "00:0f:ff:00:00:41:5b:1a".parse().unwrap(),
                        source: Eui64::BROADCAST,
                    }
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(f.to_vec().unwrap(), bytes);
        for cut in 0..2 {
            assert!(ApsFrame::decode(&bytes[..cut]).is_err(), "cut {cut}");
        }
        for cut in 2..bytes.len() {
            assert!(ApsFrame::decode(&bytes[..cut]).unwrap().command().is_err());
        }
    }

    #[test]
    fn data_frame_and_data_ack_of_scapy() {
        // scapy dot15d4.uts "ZCL General command: Read Attributes".
        let data = [
            0x40, 0x01, 0x0a, 0x00, 0x04, 0x01, 0x01, 0x9d, 0x00, 0x00, 0x00, 0x00, 0x00,
        ];
        let f = ApsFrame::decode(&data).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Data);
        assert!(f.frame_control.ack_request);
        assert_eq!(f.dst_endpoint, Some(1));
        assert_eq!(f.group, None);
        assert_eq!(f.cluster, Some(0x000a));
        assert_eq!(f.profile, Some(0x0104));
        assert_eq!(f.src_endpoint, Some(1));
        assert_eq!(f.counter, 157);
        assert_eq!(f.payload, &[0, 0, 0, 0, 0]);
        assert_eq!(f.header_len(), 8);
        assert_eq!(f.to_vec().unwrap(), data);
        for cut in 0..8 {
            assert!(ApsFrame::decode(&data[..cut]).is_err(), "cut {cut}");
        }
        // "APS acknowledgment (with the Acknowledgment Format disabled)" and "enabled".
        let ack = [0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0xa6];
        let f = ApsFrame::decode(&ack).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Ack);
        assert_eq!(
            (f.dst_endpoint, f.cluster, f.profile, f.src_endpoint),
            (Some(0), Some(2), Some(0), Some(0))
        );
        assert_eq!(f.counter, 0xa6);
        assert!(f.payload.is_empty());
        let cmd_ack = [0x12, 0xa8];
        let f = ApsFrame::decode(&cmd_ack).unwrap();
        assert!(f.frame_control.ack_format);
        assert_eq!(
            (f.dst_endpoint, f.cluster, f.profile, f.src_endpoint),
            (None, None, None, None)
        );
        assert_eq!(f.counter, 0xa8);
        assert!(ApsFrame::decode(&cmd_ack[..1]).is_err());
    }

    #[test]
    fn group_and_inter_pan_and_fragment_headers() {
        // Group data frame: group 0x1234 replaces the destination endpoint.
        let g = [0x0c, 0x34, 0x12, 0x06, 0x00, 0x04, 0x01, 0x01, 0x07, 0xaa];
        let f = ApsFrame::decode(&g).unwrap();
        assert_eq!(f.frame_control.delivery, DeliveryMode::Group);
        assert_eq!(f.dst_endpoint, None);
        assert_eq!(f.group, Some(0x1234));
        assert_eq!(f.cluster, Some(6));
        assert_eq!(f.src_endpoint, Some(1));
        assert_eq!(f.counter, 7);
        assert_eq!(f.payload, &[0xaa]);
        // Inter-PAN unicast: cluster and profile only, no counter.
        let ip = [0x03, 0x00, 0x10, 0x5e, 0xc0, 0x11];
        let f = ApsFrame::decode(&ip).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::InterPan);
        assert_eq!((f.cluster, f.profile), (Some(0x1000), Some(0xc05e)));
        assert_eq!(f.counter, 0);
        assert_eq!(f.payload, &[0x11]);
        assert_eq!(f.to_vec().unwrap(), ip);
        // First block of three, then an ack of a fragmented frame with its bitfield.
        let first = [
            0x80, 0x01, 0x02, 0x00, 0x09, 0x01, 0x01, 0x55, 0x01, 0x03, 0xde,
        ];
        let f = ApsFrame::decode(&first).unwrap();
        assert_eq!(
            f.extended,
            Some(ExtendedHeader {
                fragmentation: Fragmentation::First,
                reserved: 0,
                block_number: Some(3),
                ack_bitfield: None
            })
        );
        assert_eq!(f.payload, &[0xde]);
        let ack = [
            0x82, 0x01, 0x02, 0x00, 0x09, 0x01, 0x01, 0x55, 0x02, 0x01, 0x03,
        ];
        let f = ApsFrame::decode(&ack).unwrap();
        let e = f.extended.unwrap();
        assert_eq!(e.fragmentation, Fragmentation::Subsequent);
        assert_eq!((e.block_number, e.ack_bitfield), (Some(1), Some(3)));
        assert!(f.payload.is_empty());
        assert_eq!(f.to_vec().unwrap(), ack);
        // Indirect delivery of a data frame is reserved since ZigBee 2006.
        let e = ApsFrame::decode(&[0x04, 0, 0, 0, 0, 0, 0]).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Reserved { .. }));
    }

    #[test]
    fn secured_transport_key_of_zigbee_on_host() {
        // zigbee-on-host NET2_TRANSPORT_KEY_NWK_FROM_COORD: MAC 9 bytes, NWK 8
        // bytes, 2 trailing metadata bytes; APS secured with the key-transport key.
        let mac = hex::decode(
            "6188bd641a8fa1000008008fa100001ea1216a3006500100f99905feff504b80de473c64b569cac62c72ac2ffd682f57590baa2b6f1e0306f824a5a90358b26c8e68e6e8a75affffff",
        )
        .unwrap();
        let aps = &mac[17..mac.len() - 2];
        let f = ApsFrame::decode(aps).unwrap();
        assert_eq!(f.frame_control.to_byte(), 0x21);
        assert_eq!(f.counter, 106);
        let aux = f.security.unwrap();
        assert_eq!(aux.control.key_id, KeyIdentifier::KeyTransport);
        assert!(aux.control.extended_nonce);
        assert_eq!(aux.frame_counter, 0x0001_5006);
        assert_eq!(
            aux.source,
            Some("80:4b:50:ff:fe:05:99:f9".parse::<Eui64>().unwrap())
        );
        assert_eq!(f.aux_offset(), Some(2));
        assert_eq!(f.header_len(), 15);
        assert_eq!(f.payload, &aps[15..]);
        assert!(f.command().is_err());
        assert_eq!(f.to_vec().unwrap(), aps);
        for cut in 0..15 {
            assert!(ApsFrame::decode(&aps[..cut]).is_err(), "cut {cut}");
        }
    }

    #[test]
    fn encode_rejects_inconsistent_frames() {
        let mut f = ApsFrame::decode(&[0x01, 0x05, 0x09, 0x00]).unwrap();
        f.dst_endpoint = Some(1);
        assert!(f.to_vec().is_err());
        f.dst_endpoint = None;
        f.frame_control.security = true;
        assert!(f.to_vec().is_err());
        f.frame_control.security = false;
        f.frame_control.frame_type = FrameType::InterPan;
        assert!(f.to_vec().is_err());
        let mut small = [0u8; 2];
        let g = ApsFrame::decode(&[0x01, 0x05, 0x09, 0x00]).unwrap();
        assert!(g.encode(&mut &mut small[..]).is_err());
    }

    #[allow(clippy::type_complexity)]
    fn arb_frame() -> impl Strategy<
        Value = (
            FrameControl,
            u8,
            u16,
            u16,
            u16,
            u8,
            u8,
            (u8, u8, u8, u8),
            (u8, u32, u64, u8),
            Vec<u8>,
        ),
    > {
        (
            any::<u8>().prop_map(FrameControl::from_byte),
            any::<u8>(),
            any::<u16>(),
            any::<u16>(),
            any::<u16>(),
            any::<u8>(),
            any::<u8>(),
            (0u8..4, 0u8..0x40, any::<u8>(), any::<u8>()),
            (any::<u8>(), any::<u32>(), any::<u64>(), any::<u8>()),
            proptest::collection::vec(any::<u8>(), 0..40),
        )
    }

    proptest! {
        #[test]
        fn roundtrip((fc, dst, group, cluster, profile, src, counter, ext, aux, payload) in arb_frame()) {
            let (frag, reserved, block, bits) = ext;
            let fragmentation = Fragmentation::from(frag);
            let fragmented = fragmentation != Fragmentation::None;
            let control = SecurityControl::from_byte(aux.0);
            let mut fc = fc;
            if fc.has_endpoint_addressing() && fc.delivery == DeliveryMode::Indirect {
                fc.delivery = DeliveryMode::Broadcast;
            }
            let f = ApsFrame {
                frame_control: fc,
                dst_endpoint: fc.has_dst_endpoint().then_some(dst),
                group: fc.has_group().then_some(group),
                cluster: fc.has_cluster_and_profile().then_some(cluster),
                profile: fc.has_cluster_and_profile().then_some(profile),
                src_endpoint: fc.has_endpoint_addressing().then_some(src),
                counter: if fc.has_counter() { counter } else { 0 },
                extended: fc.extended_header.then_some(ExtendedHeader {
                    fragmentation,
                    reserved,
                    block_number: fragmented.then_some(block),
                    ack_bitfield: (fragmented && fc.frame_type == FrameType::Ack).then_some(bits),
                }),
                security: fc.security.then_some(AuxHeader {
                    control,
                    frame_counter: aux.1,
                    source: control.extended_nonce.then_some(Eui64(aux.2)),
                    key_seq: (control.key_id == KeyIdentifier::Network).then_some(aux.3),
                }),
                payload: &payload,
            };
            let bytes = f.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), f.encoded_len());
            let d = ApsFrame::decode(&bytes).unwrap();
            prop_assert_eq!(d, f);
            prop_assert_eq!(&bytes[d.header_len()..], &payload[..]);
            if let Some(off) = d.aux_offset() {
                prop_assert_eq!(bytes[off], control.to_byte());
            }
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(f) = ApsFrame::decode(&bytes) {
                prop_assert_eq!(f.to_vec().unwrap(), &bytes[..]);
                let _ = f.command();
            }
        }
    }
}
