//! MAC command payloads (IEEE 802.15.4-2006 7.3; IEEE 802.15.4-2015 7.5): the
//! command identifier and the fields of the nine 2006 commands.
//!
//! Commands added by 2011/2015 (0x0a and up) are kept as
//! [`MacCommand::Unknown`] with their bytes.

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Layer, Reader, ensure_room, open_enum};

open_enum! {
    /// MAC command frame identifier (IEEE 802.15.4-2006 table 82).
    pub enum CommandId: u8 {
        /// Association request.
        AssociationRequest = 0x01 => "association_request",
        /// Association response.
        AssociationResponse = 0x02 => "association_response",
        /// Disassociation notification.
        DisassociationNotification = 0x03 => "disassociation_notification",
        /// Data request (a poll).
        DataRequest = 0x04 => "data_request",
        /// PAN ID conflict notification.
        PanIdConflictNotification = 0x05 => "pan_id_conflict_notification",
        /// Orphan notification.
        OrphanNotification = 0x06 => "orphan_notification",
        /// Beacon request.
        BeaconRequest = 0x07 => "beacon_request",
        /// Coordinator realignment.
        CoordinatorRealignment = 0x08 => "coordinator_realignment",
        /// GTS request.
        GtsRequest = 0x09 => "gts_request",
    }
}

open_enum! {
    /// Association Status (IEEE 802.15.4-2015 table 7-50).
    pub enum AssociationStatus: u8 {
        /// Association successful.
        Successful = 0x00 => "successful",
        /// PAN at capacity.
        PanAtCapacity = 0x01 => "pan_at_capacity",
        /// PAN access denied.
        PanAccessDenied = 0x02 => "pan_access_denied",
        /// Hopping sequence offset duplication (2015).
        HoppingSequenceOffsetDuplication = 0x03 => "hopping_sequence_offset_duplication",
        /// Fast association successful (2015).
        FastAssociationSuccessful = 0x80 => "fast_association_successful",
    }
}

open_enum! {
    /// Disassociation Reason (IEEE 802.15.4-2015 table 7-51).
    pub enum DisassociationReason: u8 {
        /// The coordinator wishes the device to leave the PAN.
        CoordinatorWishesDeviceToLeave = 0x01 => "coordinator_wishes_device_to_leave",
        /// The device wishes to leave the PAN.
        DeviceWishesToLeave = 0x02 => "device_wishes_to_leave",
    }
}

/// The Capability Information field of an association request
/// (IEEE 802.15.4-2006 7.3.1.2; the same bits as ZigBee's MAC capability flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CapabilityInformation {
    /// Bit 0: alternate PAN coordinator capable.
    pub alternate_pan_coordinator: bool,
    /// Bit 1: device type, set for a full-function device.
    pub full_function_device: bool,
    /// Bit 2: power source, set when mains powered.
    pub mains_powered: bool,
    /// Bit 3: receiver on when idle.
    pub receiver_on_when_idle: bool,
    /// Bit 4: reserved (association type in 2015).
    pub reserved_4: bool,
    /// Bit 5: reserved.
    pub reserved_5: bool,
    /// Bit 6: security capability.
    pub security_capable: bool,
    /// Bit 7: allocate address.
    pub allocate_address: bool,
}

impl CapabilityInformation {
    /// From the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        let f = |n: u8| b & (1 << n) != 0;
        Self {
            alternate_pan_coordinator: f(0),
            full_function_device: f(1),
            mains_powered: f(2),
            receiver_on_when_idle: f(3),
            reserved_4: f(4),
            reserved_5: f(5),
            security_capable: f(6),
            allocate_address: f(7),
        }
    }

    /// The byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        u8::from(self.alternate_pan_coordinator)
            | (u8::from(self.full_function_device) << 1)
            | (u8::from(self.mains_powered) << 2)
            | (u8::from(self.receiver_on_when_idle) << 3)
            | (u8::from(self.reserved_4) << 4)
            | (u8::from(self.reserved_5) << 5)
            | (u8::from(self.security_capable) << 6)
            | (u8::from(self.allocate_address) << 7)
    }
}

/// The fields of a coordinator realignment command (IEEE 802.15.4-2006 7.3.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CoordinatorRealignment {
    /// PAN Identifier.
    pub pan_id: u16,
    /// Coordinator Short Address.
    pub coordinator_short_address: u16,
    /// Logical Channel.
    pub channel: u8,
    /// Short Address given to an orphaned device (0xffff otherwise).
    pub short_address: u16,
    /// Channel Page, sent by 2006 and later devices.
    pub channel_page: Option<u8>,
}

/// The GTS Characteristics field of a GTS request (IEEE 802.15.4-2006 7.3.9.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GtsCharacteristics {
    /// GTS Length in superframe slots (4 bits).
    pub length: u8,
    /// GTS Direction: set for a receive-only GTS.
    pub receive_only: bool,
    /// Characteristics Type: set for an allocation, clear for a deallocation.
    pub allocation: bool,
    /// Bits 6-7, reserved.
    pub reserved: u8,
}

impl GtsCharacteristics {
    /// From the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            length: b & 0xf,
            receive_only: b & 0x10 != 0,
            allocation: b & 0x20 != 0,
            reserved: b >> 6,
        }
    }

    /// The byte (values masked to their widths).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.length & 0xf)
            | (u8::from(self.receive_only) << 4)
            | (u8::from(self.allocation) << 5)
            | ((self.reserved & 0x3) << 6)
    }
}

/// A MAC command: the payload of a MAC command frame, command identifier
/// first (IEEE 802.15.4-2006 7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacCommand<'a> {
    /// Association request (0x01).
    AssociationRequest(CapabilityInformation),
    /// Association response (0x02).
    AssociationResponse {
        /// Short Address allocated (0xfffe: use the extended address; 0xffff: failed).
        short_address: u16,
        /// Association Status.
        status: AssociationStatus,
    },
    /// Disassociation notification (0x03).
    DisassociationNotification {
        /// Disassociation Reason.
        reason: DisassociationReason,
    },
    /// Data request (0x04).
    DataRequest,
    /// PAN ID conflict notification (0x05).
    PanIdConflictNotification,
    /// Orphan notification (0x06).
    OrphanNotification,
    /// Beacon request (0x07).
    BeaconRequest,
    /// Coordinator realignment (0x08).
    CoordinatorRealignment(CoordinatorRealignment),
    /// GTS request (0x09).
    GtsRequest(GtsCharacteristics),
    /// A command this library does not decode (2011/2015 commands and
    /// unassigned identifiers), with the bytes after the identifier.
    Unknown {
        /// Command frame identifier (never 0x01-0x09).
        id: u8,
        /// Command payload.
        payload: &'a [u8],
    },
}

impl MacCommand<'_> {
    /// The command frame identifier.
    #[must_use]
    pub fn command_id(&self) -> CommandId {
        CommandId::from(match self {
            Self::AssociationRequest(_) => 0x01,
            Self::AssociationResponse { .. } => 0x02,
            Self::DisassociationNotification { .. } => 0x03,
            Self::DataRequest => 0x04,
            Self::PanIdConflictNotification => 0x05,
            Self::OrphanNotification => 0x06,
            Self::BeaconRequest => 0x07,
            Self::CoordinatorRealignment(_) => 0x08,
            Self::GtsRequest(_) => 0x09,
            Self::Unknown { id, .. } => *id,
        })
    }
}

impl<'a> Decode<'a> for MacCommand<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::MacCommand);
        let id = r.u8("command frame identifier")?;
        let cmd = match CommandId::from(id) {
            CommandId::AssociationRequest => Self::AssociationRequest(
                CapabilityInformation::from_byte(r.u8("capability information")?),
            ),
            CommandId::AssociationResponse => Self::AssociationResponse {
                short_address: r.u16_le("short address")?,
                status: AssociationStatus::from(r.u8("association status")?),
            },
            CommandId::DisassociationNotification => Self::DisassociationNotification {
                reason: DisassociationReason::from(r.u8("disassociation reason")?),
            },
            CommandId::DataRequest => Self::DataRequest,
            CommandId::PanIdConflictNotification => Self::PanIdConflictNotification,
            CommandId::OrphanNotification => Self::OrphanNotification,
            CommandId::BeaconRequest => Self::BeaconRequest,
            CommandId::CoordinatorRealignment => {
                let pan_id = r.u16_le("PAN identifier")?;
                let coordinator_short_address = r.u16_le("coordinator short address")?;
                let channel = r.u8("logical channel")?;
                let short_address = r.u16_le("short address")?;
                let channel_page = if r.is_empty() {
                    None
                } else {
                    Some(r.u8("channel page")?)
                };
                Self::CoordinatorRealignment(CoordinatorRealignment {
                    pan_id,
                    coordinator_short_address,
                    channel,
                    short_address,
                    channel_page,
                })
            }
            CommandId::GtsRequest => {
                Self::GtsRequest(GtsCharacteristics::from_byte(r.u8("GTS characteristics")?))
            }
            CommandId::Unknown(id) => Self::Unknown {
                id,
                payload: r.rest(),
            },
        };
        r.finish()?;
        Ok(cmd)
    }
}

impl Encode for MacCommand<'_> {
    fn encoded_len(&self) -> usize {
        1 + match self {
            Self::AssociationRequest(_)
            | Self::DisassociationNotification { .. }
            | Self::GtsRequest(_) => 1,
            Self::AssociationResponse { .. } => 3,
            Self::DataRequest
            | Self::PanIdConflictNotification
            | Self::OrphanNotification
            | Self::BeaconRequest => 0,
            Self::CoordinatorRealignment(c) => 7 + usize::from(c.channel_page.is_some()),
            Self::Unknown { payload, .. } => payload.len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if let Self::Unknown { id, .. } = self
            && (0x01..=0x09).contains(id)
        {
            return Err(EncodeError::inconsistent(
                Layer::MacCommand,
                "unknown command with a known identifier",
            ));
        }
        if let Self::GtsRequest(g) = self
            && (g.length > 0xf || g.reserved > 0x3)
        {
            return Err(EncodeError::unrepresentable(
                Layer::MacCommand,
                "GTS characteristics",
                u64::from(g.length.max(g.reserved)),
            ));
        }
        ensure_room(out, self.encoded_len(), Layer::MacCommand)?;
        out.put_u8(self.command_id().value());
        match self {
            Self::AssociationRequest(c) => out.put_u8(c.to_byte()),
            Self::AssociationResponse {
                short_address,
                status,
            } => {
                out.put_u16_le(*short_address);
                out.put_u8(status.value());
            }
            Self::DisassociationNotification { reason } => out.put_u8(reason.value()),
            Self::DataRequest
            | Self::PanIdConflictNotification
            | Self::OrphanNotification
            | Self::BeaconRequest => {}
            Self::CoordinatorRealignment(c) => {
                out.put_u16_le(c.pan_id);
                out.put_u16_le(c.coordinator_short_address);
                out.put_u8(c.channel);
                out.put_u16_le(c.short_address);
                if let Some(p) = c.channel_page {
                    out.put_u8(p);
                }
            }
            Self::GtsRequest(g) => out.put_u8(g.to_byte()),
            Self::Unknown { payload, .. } => out.put_slice(payload),
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::mac::{FcsMode, MacFrame};
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn payload_of(hex: &str) -> Vec<u8> {
        let b = hex::decode(hex).unwrap();
        let f = MacFrame::decode(&b, FcsMode::Present).unwrap();
        assert!(f.fcs.unwrap().valid);
        f.payload.to_vec()
    }

    #[test]
    fn zigator_mac_commands() {
        // zigator 02-mac-testing frames 2-7 and 14 (tshark: Association Request, FFD; ...).
        let p = payload_of("23c864aa99d0d0ffff8877665544332211018e2c1c");
        let MacCommand::AssociationRequest(c) = MacCommand::decode(&p).unwrap() else {
            panic!()
        };
        assert!(c.full_function_device && c.mains_powered && c.receiver_on_when_idle);
        assert!(c.allocate_address && !c.security_capable && !c.alternate_pan_coordinator);
        assert_eq!(c.to_byte(), 0x8e);

        let p = payload_of("63cc72aa9988776655443322110dd0eeffc0cef10f02adde0009e7");
        assert_eq!(
            MacCommand::decode(&p).unwrap(),
            MacCommand::AssociationResponse {
                short_address: 0xdead,
                status: AssociationStatus::Successful
            }
        );
        let p = payload_of("638832ccbb00007afe041598");
        assert_eq!(MacCommand::decode(&p).unwrap(), MacCommand::DataRequest);
        let p = payload_of("03c820ffffffffffffeeffc0ced1ba0dd00608a2");
        assert_eq!(
            MacCommand::decode(&p).unwrap(),
            MacCommand::OrphanNotification
        );
        let p = payload_of("030800ffffffff073829");
        assert_eq!(MacCommand::decode(&p).unwrap(), MacCommand::BeaconRequest);
        let p = payload_of("03cc40ffffeeffc0ced1ba0dd0eeddcef10feda7109bb108eeddfa5014a7b02a74");
        assert_eq!(
            MacCommand::decode(&p).unwrap(),
            MacCommand::CoordinatorRealignment(CoordinatorRealignment {
                pan_id: 0xddee,
                coordinator_short_address: 0x50fa,
                channel: 20,
                short_address: 0xb0a7,
                channel_page: None,
            })
        );
        // Frame 14: command identifier 0xff, unknown.
        let p = payload_of("638832ccbb00007afeff49d1");
        let c = MacCommand::decode(&p).unwrap();
        assert_eq!(
            c,
            MacCommand::Unknown {
                id: 0xff,
                payload: &[]
            }
        );
        assert_eq!(c.command_id(), CommandId::Unknown(0xff));
        // Frame 13: an association request without its capability byte (tshark: malformed).
        let p = payload_of("23c8daaa99d0d0ffff887766554433221101596f");
        assert!(MacCommand::decode(&p).is_err());
    }

    #[test]
    fn truncation_and_trailing_bytes() {
        let full = [0x08, 0xaa, 0x99, 0xde, 0xc0, 0x14, 0xad, 0xde, 0x00];
        for cut in 0..7 {
            assert!(MacCommand::decode(&full[..cut]).is_err(), "{cut}");
        }
        assert!(MacCommand::decode(&[0x04, 0x00]).is_err());
        assert!(MacCommand::decode(&[0x02, 0x01, 0x02]).is_err());
        assert_eq!(
            MacCommand::DisassociationNotification {
                reason: DisassociationReason::DeviceWishesToLeave
            }
            .to_vec()
            .unwrap(),
            [0x03, 0x02]
        );
        assert!(
            MacCommand::Unknown {
                id: 4,
                payload: &[]
            }
            .to_vec()
            .is_err()
        );
        assert_eq!(CommandId::GtsRequest.label(), Some("gts_request"));
    }

    fn command() -> impl Strategy<Value = (u8, u8, u16, u16, u8, Option<u8>, Vec<u8>)> {
        (
            1u8..=0x0c,
            any::<u8>(),
            any::<u16>(),
            any::<u16>(),
            any::<u8>(),
            any::<Option<u8>>(),
            prop::collection::vec(any::<u8>(), 0..8),
        )
    }

    proptest! {
        #[test]
        fn roundtrip((id, b, x, y, ch, page, rest) in command()) {
            let c = match id {
                1 => MacCommand::AssociationRequest(CapabilityInformation::from_byte(b)),
                2 => MacCommand::AssociationResponse { short_address: x, status: AssociationStatus::from(b) },
                3 => MacCommand::DisassociationNotification { reason: DisassociationReason::from(b) },
                4 => MacCommand::DataRequest,
                5 => MacCommand::PanIdConflictNotification,
                6 => MacCommand::OrphanNotification,
                7 => MacCommand::BeaconRequest,
                8 => MacCommand::CoordinatorRealignment(CoordinatorRealignment {
                    pan_id: x,
                    coordinator_short_address: y,
                    channel: ch,
                    short_address: x ^ y,
                    channel_page: page,
                }),
                9 => MacCommand::GtsRequest(GtsCharacteristics::from_byte(b)),
                _ => MacCommand::Unknown { id, payload: &rest },
            };
            let bytes = c.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), c.encoded_len());
            prop_assert_eq!(MacCommand::decode(&bytes).unwrap(), c);
        }
    }
}
