//! ZigBee NWK layer (ZigBee R22 3.3, 3.4, 3.6.7): the NWK frame header with its
//! optional fields, the NWK command payloads and the ZigBee beacon payload.
//!
//! Nothing here decrypts: a secured frame's payload is the ciphertext and MIC as
//! sent, for [`crate::security`] to open; routing and NIB state are out of scope.
//!
//! ```
//! use smets_zigbee::nwk::{CommandId, FrameType, NwkCommand, NwkFrame};
//! use smets_zigbee::{Decode, Encode};
//!
//! // Frame 1 of killerbee's control4-sample capture, MAC header and FCS removed.
//! let bytes = [
//!     0x09, 0x12, 0xfc, 0xff, 0x00, 0x00, 0x01, 0xc0, 0x22, 0x02, 0x1f, 0x00, 0x00, 0xff,
//!     0x0f, 0x00, 0x28, 0xba, 0x22, 0x01, 0x00, 0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f,
//!     0x00, 0x00, 0x65, 0x8d, 0xf3, 0x7b, 0x6a, 0xf6, 0x97, 0x6d, 0xa6,
//! ];
//! let frame = NwkFrame::decode(&bytes)?;
//! assert_eq!(frame.frame_control.frame_type, FrameType::Command);
//! assert_eq!((frame.dst, frame.src, frame.radius, frame.seq), (0xfffc, 0x0000, 1, 192));
//! assert_eq!(frame.security.map(|s| s.frame_counter), Some(74426));
//! assert_eq!(frame.aux_offset(), Some(16));
//! assert_eq!(frame.payload.len(), 9); // 5 bytes of ciphertext, then the 4-byte MIC
//! assert_eq!(frame.to_vec().unwrap(), bytes);
//!
//! // The payload, decrypted with the network key, is a link status command.
//! let command = NwkCommand::decode(&[0x08, 0x61, 0xc0, 0x18, 0x11])?;
//! assert_eq!(command.id(), CommandId::LinkStatus);
//! assert_eq!(command.id().label(), Some("link_status"));
//! # Ok::<(), smets_zigbee::DecodeError>(())
//! ```

mod beacon;
mod command;
mod frame;

pub use beacon::{StackProfile, ZigbeeBeacon};
pub use command::{
    CapabilityInformation, CommandId, EndDeviceTimeoutRequest, EndDeviceTimeoutResponse,
    EndDeviceTimeoutStatus, Leave, LinkPowerDelta, LinkPowerDeltaType, LinkPowerEntries,
    LinkStatus, LinkStatusEntries, LinkStatusEntry, ManyToOne, NetworkReport, NetworkStatus,
    NetworkStatusCode, NetworkUpdate, NwkCommand, ParentInformation, PowerDelta, RejoinRequest,
    RejoinResponse, RejoinStatus, ReportType, RouteRecord, RouteReply, RouteReplyOptions,
    RouteRequest, RouteRequestOptions, UpdateType,
};
pub use frame::{
    DiscoverRoute, FrameControl, FrameType, MulticastControl, MulticastMode, NwkFrame, SourceRoute,
    U16Iter,
};
