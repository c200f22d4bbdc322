//! The ZigBee Cluster Library general frame (ZCL rev. 8, 07-5123-08, 2.4.1):
//! frame control, manufacturer code, transaction sequence number and command id.
//!
//! The command payload is handed on as bytes: foundation command records,
//! data types and cluster-specific commands are decoded elsewhere.
//!
//! ```
//! use smets_core::Decode;
//! use smets_zigbee::zcl::{Direction, ZclFrame};
//!
//! // A manufacturer-specific Default Response (kristian/zbtk zcl_cmd_default_rsp).
//! let bytes = [0x04, 0x21, 0x12, 0x47, 0x0b, 0x0a, 0x00];
//! let f = ZclFrame::decode(&bytes)?;
//! assert_eq!(f.manufacturer, Some(0x1221));
//! assert_eq!(f.frame_control.direction, Direction::ToServer);
//! assert_eq!(f.tsn, 0x47);
//! assert_eq!(f.command_label(), Some("default_response"));
//! assert_eq!(f.payload, [0x0a, 0x00]);
//! # Ok::<(), smets_core::DecodeError>(())
//! ```

pub mod cluster;
pub mod foundation;
pub mod tunneling;
pub mod types;

pub use foundation::{FoundationCommand, Status};
pub use types::{DataType, ZclValue};

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Layer, Reader, ensure_room, open_enum};

open_enum! {
    /// Frame type, bits 0-1 of the frame control field (ZCL rev. 8 2.4.1.1.1).
    pub enum FrameType: u8 {
        /// A foundation ("profile-wide") command, acting across all clusters.
        Global = 0 => "global",
        /// A command specific to the cluster the frame is addressed to.
        ClusterSpecific = 1 => "cluster_specific",
    }
}

open_enum! {
    /// Direction, bit 3 of the frame control field (ZCL rev. 8 2.4.1.1.3).
    pub enum Direction: u8 {
        /// Sent from the client side of the cluster to the server side.
        ToServer = 0 => "to_server",
        /// Sent from the server side of the cluster to the client side.
        ToClient = 1 => "to_client",
    }
}

open_enum! {
    /// Foundation (general) command identifiers (ZCL rev. 8 table 2-3),
    /// meaningful when the frame type is [`FrameType::Global`].
    pub enum GeneralCommand: u8 {
        /// Read Attributes (2.5.1).
        ReadAttributes = 0x00 => "read_attributes",
        /// Read Attributes Response (2.5.2).
        ReadAttributesResponse = 0x01 => "read_attributes_response",
        /// Write Attributes (2.5.3).
        WriteAttributes = 0x02 => "write_attributes",
        /// Write Attributes Undivided (2.5.4).
        WriteAttributesUndivided = 0x03 => "write_attributes_undivided",
        /// Write Attributes Response (2.5.5).
        WriteAttributesResponse = 0x04 => "write_attributes_response",
        /// Write Attributes No Response (2.5.6).
        WriteAttributesNoResponse = 0x05 => "write_attributes_no_response",
        /// Configure Reporting (2.5.7).
        ConfigureReporting = 0x06 => "configure_reporting",
        /// Configure Reporting Response (2.5.8).
        ConfigureReportingResponse = 0x07 => "configure_reporting_response",
        /// Read Reporting Configuration (2.5.9).
        ReadReportingConfiguration = 0x08 => "read_reporting_configuration",
        /// Read Reporting Configuration Response (2.5.10).
        ReadReportingConfigurationResponse = 0x09 => "read_reporting_configuration_response",
        /// Report Attributes (2.5.11).
        ReportAttributes = 0x0a => "report_attributes",
        /// Default Response (2.5.12).
        DefaultResponse = 0x0b => "default_response",
        /// Discover Attributes (2.5.13).
        DiscoverAttributes = 0x0c => "discover_attributes",
        /// Discover Attributes Response (2.5.14).
        DiscoverAttributesResponse = 0x0d => "discover_attributes_response",
        /// Read Attributes Structured (2.5.15).
        ReadAttributesStructured = 0x0e => "read_attributes_structured",
        /// Write Attributes Structured (2.5.16).
        WriteAttributesStructured = 0x0f => "write_attributes_structured",
        /// Write Attributes Structured Response (2.5.17).
        WriteAttributesStructuredResponse = 0x10 => "write_attributes_structured_response",
        /// Discover Commands Received (2.5.18).
        DiscoverCommandsReceived = 0x11 => "discover_commands_received",
        /// Discover Commands Received Response (2.5.19).
        DiscoverCommandsReceivedResponse = 0x12 => "discover_commands_received_response",
        /// Discover Commands Generated (2.5.20).
        DiscoverCommandsGenerated = 0x13 => "discover_commands_generated",
        /// Discover Commands Generated Response (2.5.21).
        DiscoverCommandsGeneratedResponse = 0x14 => "discover_commands_generated_response",
        /// Discover Attributes Extended (2.5.22).
        DiscoverAttributesExtended = 0x15 => "discover_attributes_extended",
        /// Discover Attributes Extended Response (2.5.23).
        DiscoverAttributesExtendedResponse = 0x16 => "discover_attributes_extended_response",
    }
}

/// The frame control field (ZCL rev. 8 2.4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FrameControl {
    /// Bits 0-1: foundation or cluster-specific command.
    pub frame_type: FrameType,
    /// Bit 2: a manufacturer code follows the frame control field.
    pub manufacturer_specific: bool,
    /// Bit 3: client to server or server to client.
    pub direction: Direction,
    /// Bit 4: the receiver sends no Default Response unless there is an error.
    pub disable_default_response: bool,
    /// Bits 5-7, reserved; kept so that the byte re-encodes.
    pub reserved: u8,
}

impl FrameControl {
    /// Decodes the byte.
    #[must_use]
    #[inline]
    pub fn from_byte(b: u8) -> Self {
        Self {
            frame_type: FrameType::from(b & 0x03),
            manufacturer_specific: b & 0x04 != 0,
            direction: Direction::from((b >> 3) & 0x01),
            disable_default_response: b & 0x10 != 0,
            reserved: b >> 5,
        }
    }

    /// Encodes the byte.
    ///
    /// # Errors
    /// [`EncodeError`] when a field does not fit its bits.
    pub fn to_byte(self) -> Result<u8, EncodeError> {
        let frame_type = self.frame_type.value();
        if frame_type > 0x03 {
            return Err(EncodeError::unrepresentable(
                Layer::Zcl,
                "frame type",
                u64::from(frame_type),
            ));
        }
        let direction = self.direction.value();
        if direction > 0x01 {
            return Err(EncodeError::unrepresentable(
                Layer::Zcl,
                "direction",
                u64::from(direction),
            ));
        }
        if self.reserved > 0x07 {
            return Err(EncodeError::unrepresentable(
                Layer::Zcl,
                "reserved frame control bits",
                u64::from(self.reserved),
            ));
        }
        Ok(frame_type
            | (u8::from(self.manufacturer_specific) << 2)
            | (direction << 3)
            | (u8::from(self.disable_default_response) << 4)
            | (self.reserved << 5))
    }
}

/// A ZCL frame (ZCL rev. 8 2.4.1): the general header and the command payload.
///
/// `frame control (1) | manufacturer code (0/2) | transaction sequence number (1) | command id (1) | payload`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZclFrame<'a> {
    /// Frame control.
    pub frame_control: FrameControl,
    /// Manufacturer code, present when `frame_control.manufacturer_specific` is set.
    pub manufacturer: Option<u16>,
    /// Transaction sequence number, echoed by the response.
    pub tsn: u8,
    /// Command identifier: a [`GeneralCommand`] for global frames, otherwise
    /// specific to the cluster and direction.
    pub command_id: u8,
    /// The command payload.
    pub payload: &'a [u8],
}

impl ZclFrame<'_> {
    /// The foundation command of a global frame. A manufacturer-specific
    /// global frame still uses the foundation command ids; only its attribute
    /// ids are the manufacturer's (ZCL rev. 8 2.4.1.1.2).
    #[must_use]
    pub fn general_command(&self) -> Option<GeneralCommand> {
        (self.frame_control.frame_type == FrameType::Global)
            .then(|| GeneralCommand::from(self.command_id))
    }

    /// The snake_case name of a foundation command (`"read_attributes"`, ...);
    /// `None` for cluster-specific commands and unknown ids.
    #[must_use]
    pub fn command_label(&self) -> Option<&'static str> {
        self.general_command().and_then(GeneralCommand::label)
    }
}

impl<'a> ZclFrame<'a> {
    /// The decoded foundation command of a global frame (ZCL rev. 8 2.5);
    /// `None` for cluster-specific frames. Error offsets count from the payload.
    #[must_use]
    pub fn foundation(&self) -> Option<Result<FoundationCommand<'a>, DecodeError>> {
        (self.frame_control.frame_type == FrameType::Global)
            .then(|| FoundationCommand::decode(self.command_id, self.payload))
    }
}

impl<'a> ZclFrame<'a> {
    /// The decoded command: the foundation command of a global frame, or the
    /// catalogue's reading of a cluster-specific one sent to `cluster_id`.
    /// `Ok(None)` for a cluster-specific command the catalogue does not know
    /// (or a manufacturer-specific one). Error offsets count from the payload.
    ///
    /// # Errors
    /// [`DecodeError`] when the payload does not fit the command.
    #[inline]
    pub fn command(&self, cluster_id: u16) -> Result<Option<ZclCommand<'a>>, DecodeError> {
        match self.frame_control.frame_type {
            FrameType::Global => FoundationCommand::decode(self.command_id, self.payload)
                .map(|c| Some(ZclCommand::Foundation(c))),
            _ => {
                Ok(cluster::ClusterCommand::from_frame(self, cluster_id)?.map(ZclCommand::Cluster))
            }
        }
    }
}

/// A ZCL command payload, decoded: a foundation command (ZCL rev. 8 2.5) or
/// a cluster-specific command read through the [`cluster`] catalogue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZclCommand<'a> {
    /// A foundation (profile-wide) command.
    Foundation(FoundationCommand<'a>),
    /// A cluster-specific command.
    Cluster(cluster::ClusterCommand<'a>),
}

impl<'a> Decode<'a> for ZclFrame<'a> {
    #[inline]
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        // The usual header, without manufacturer code, read at fixed offsets.
        if let Some(([b, tsn, command_id], payload)) = buf.split_first_chunk::<3>()
            && b & 0x04 == 0
        {
            return Ok(Self {
                frame_control: FrameControl::from_byte(*b),
                manufacturer: None,
                tsn: *tsn,
                command_id: *command_id,
                payload,
            });
        }
        Self::decode_general(buf)
    }
}

impl<'a> ZclFrame<'a> {
    fn decode_general(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let frame_control = FrameControl::from_byte(r.u8("frame control")?);
        let manufacturer = if frame_control.manufacturer_specific {
            Some(r.u16_le("manufacturer code")?)
        } else {
            None
        };
        let tsn = r.u8("transaction sequence number")?;
        let command_id = r.u8("command identifier")?;
        Ok(Self {
            frame_control,
            manufacturer,
            tsn,
            command_id,
            payload: r.rest(),
        })
    }
}

impl Encode for ZclFrame<'_> {
    fn encoded_len(&self) -> usize {
        3 + if self.manufacturer.is_some() { 2 } else { 0 } + self.payload.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.manufacturer.is_some() != self.frame_control.manufacturer_specific {
            return Err(EncodeError::inconsistent(Layer::Zcl, "manufacturer code"));
        }
        let fc = self.frame_control.to_byte()?;
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        out.put_u8(fc);
        if let Some(m) = self.manufacturer {
            out.put_u16_le(m);
        }
        out.put_u8(self.tsn);
        out.put_u8(self.command_id);
        out.put_slice(self.payload);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smets_core::{DecodeErrorKind, EncodeErrorKind};

    #[test]
    fn the_usual_header_reads_as_the_general_decoder_does() {
        for fc in 0..=u8::MAX {
            for len in 0usize..8 {
                let mut b: Vec<u8> = (0..len).map(|i| (i * 23 + 7).to_le_bytes()[0]).collect();
                if let Some(h) = b.first_mut() {
                    *h = fc;
                }
                assert_eq!(
                    ZclFrame::decode(&b),
                    ZclFrame::decode_general(&b),
                    "{fc:#04x} {len}"
                );
            }
        }
    }

    #[test]
    fn read_attributes_response_from_psila() {
        // psila cluster_library/frame.rs unpack_header_2: Basic cluster Read
        // Attributes Response, server to client, default response disabled.
        let bytes = [0x18, 0x05, 0x01, 0x0b, 0x05, 0x00, 0x29, 0x00, 0x00];
        let f = ZclFrame::decode(&bytes).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Global);
        assert!(!f.frame_control.manufacturer_specific);
        assert_eq!(f.frame_control.direction, Direction::ToClient);
        assert!(f.frame_control.disable_default_response);
        assert_eq!(f.frame_control.reserved, 0);
        assert_eq!(f.manufacturer, None);
        assert_eq!(f.tsn, 0x05);
        assert_eq!(f.command_id, 0x01);
        assert_eq!(
            f.general_command(),
            Some(GeneralCommand::ReadAttributesResponse)
        );
        assert_eq!(f.command_label(), Some("read_attributes_response"));
        assert_eq!(f.payload, &bytes[3..]);
        assert_eq!(f.to_vec().unwrap(), bytes);
        for cut in 0..3 {
            assert!(ZclFrame::decode(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn cluster_specific_command_has_no_foundation_label() {
        // psila cluster_library/frame.rs unpack_header: inter-PAN ZLL scan request.
        let bytes = [0x11, 0x80, 0x00, 0x16, 0x1f, 0xb4, 0x5b, 0x02, 0x12];
        let f = ZclFrame::decode(&bytes).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::ClusterSpecific);
        assert_eq!(f.frame_control.direction, Direction::ToServer);
        assert!(f.frame_control.disable_default_response);
        assert_eq!(f.tsn, 0x80);
        assert_eq!(f.command_id, 0x00);
        assert_eq!(f.command_label(), None);
        assert_eq!(f.payload.len(), 6);
        assert_eq!(f.to_vec().unwrap(), bytes);
    }

    #[test]
    fn manufacturer_specific_header_and_truncation() {
        // Manufacturer-specific cluster command, code 0x1037, to the client.
        let bytes = [0x0d, 0x37, 0x10, 0x2a, 0x07, 0xaa];
        let f = ZclFrame::decode(&bytes).unwrap();
        assert_eq!(f.manufacturer, Some(0x1037));
        assert_eq!(f.frame_control.direction, Direction::ToClient);
        assert!(!f.frame_control.disable_default_response);
        assert_eq!(f.tsn, 0x2a);
        assert_eq!(f.command_id, 0x07);
        assert_eq!(f.payload, &[0xaa]);
        assert_eq!(f.to_vec().unwrap(), bytes);
        // Each cut fails at the field it lands in.
        for (cut, offset) in [(0, 0), (1, 1), (2, 1), (3, 3), (4, 4)] {
            let e = ZclFrame::decode(&bytes[..cut]).unwrap_err();
            assert_eq!(e.layer, Layer::Zcl);
            assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }));
            assert_eq!(e.offset, offset, "cut {cut}");
        }
    }

    #[test]
    fn reserved_bits_and_frame_types_round_trip() {
        let bytes = [0xe2, 0x01, 0x02];
        let f = ZclFrame::decode(&bytes).unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Unknown(2));
        assert_eq!(f.frame_control.reserved, 0x07);
        assert_eq!(f.command_label(), None);
        assert_eq!(f.to_vec().unwrap(), bytes);
    }

    #[test]
    fn encoder_rejects_what_has_no_wire_form() {
        let mut f = ZclFrame::decode(&[0x00, 0x01, 0x00]).unwrap();
        f.manufacturer = Some(1);
        assert_eq!(
            f.to_vec().unwrap_err().kind,
            EncodeErrorKind::Inconsistent {
                field: "manufacturer code"
            }
        );
        f.manufacturer = None;
        f.frame_control.direction = Direction::Unknown(2);
        assert!(f.to_vec().is_err());
        f.frame_control.direction = Direction::ToServer;
        f.frame_control.reserved = 8;
        assert!(f.to_vec().is_err());
        f.frame_control.reserved = 0;
        f.frame_control.frame_type = FrameType::Unknown(4);
        assert!(f.to_vec().is_err());
        f.frame_control.frame_type = FrameType::Global;
        let mut small = [0u8; 2];
        assert!(matches!(
            f.encode(&mut &mut small[..]).unwrap_err().kind,
            EncodeErrorKind::BufferTooSmall { needed: 3, .. }
        ));
    }

    #[test]
    fn every_foundation_command_has_a_label() {
        for id in 0x00..=0x16u8 {
            assert!(GeneralCommand::from(id).label().is_some(), "{id:#x}");
        }
        assert_eq!(GeneralCommand::from(0x17), GeneralCommand::Unknown(0x17));
        assert_eq!(
            GeneralCommand::DiscoverAttributesExtendedResponse.label(),
            Some("discover_attributes_extended_response")
        );
    }

    proptest! {
        #[test]
        fn roundtrip(fc in any::<u8>(), mfr in any::<u16>(), tsn in any::<u8>(), cmd in any::<u8>(),
                     payload in proptest::collection::vec(any::<u8>(), 0..64)) {
            let frame_control = FrameControl::from_byte(fc);
            let f = ZclFrame {
                frame_control,
                manufacturer: frame_control.manufacturer_specific.then_some(mfr),
                tsn,
                command_id: cmd,
                payload: &payload,
            };
            let bytes: Vec<u8> = f.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), f.encoded_len());
            prop_assert_eq!(bytes[0], fc);
            prop_assert_eq!(ZclFrame::decode(&bytes).unwrap(), f);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            if let Ok(f) = ZclFrame::decode(&bytes) {
                prop_assert_eq!(f.to_vec().unwrap(), bytes);
            }
        }
    }
}
