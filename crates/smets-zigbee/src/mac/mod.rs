//! IEEE 802.15.4 MAC layer (IEEE 802.15.4-2015 clause 7 and 9, with the 2003
//! and 2006 frame versions): frames, beacons, MAC commands, IEs and MAC security.
//!
//! Decoding borrows from the frame buffer and never allocates; the ZigBee
//! beacon payload and the NWK frame inside a data frame are left to [`crate::nwk`].
//!
//! ```
//! use smets_zigbee::mac::{FcsMode, FrameType, MacAddress, MacFrame};
//! // A ZigBee beacon request: command frame, broadcast, FCS included.
//! let bytes = [0x03, 0x08, 0xa5, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00, 0x00];
//! let bytes = {
//!     let mut b = bytes;
//!     let crc = smets_core::crc::crc16_kermit(&b[..8]).to_le_bytes();
//!     b[8..].copy_from_slice(&crc);
//!     b
//! };
//! let f = MacFrame::decode(&bytes, FcsMode::Present).unwrap();
//! assert_eq!(f.frame_control.frame_type, FrameType::Command);
//! assert_eq!(f.dst, Some(MacAddress::Short(0xffff)));
//! assert_eq!(f.payload, &[0x07]);
//! assert!(f.fcs.unwrap().valid);
//! ```

mod beacon;
mod command;
mod frame;
pub mod ie;
pub mod security;

pub use beacon::{
    Beacon, ExtendedAddresses, GtsDescriptor, GtsDescriptors, GtsDirections, GtsSpec,
    PendingAddressSpec, ShortAddresses, SuperframeSpec,
};
pub use command::{
    AssociationStatus, CapabilityInformation, CommandId, CoordinatorRealignment,
    DisassociationReason, GtsCharacteristics, MacCommand,
};
pub use frame::{
    AddressMode, Fcs, FcsMode, FrameControl, FrameControlForm, FrameType, FrameVersion, MacAddress,
    MacFrame,
};
pub use ie::{HeaderIe, HeaderIes, PayloadIe, PayloadIes};
pub use security::{KeyIdMode, KeySource, MacAuxHeader, MacSecurityControl, MacSecurityError};
