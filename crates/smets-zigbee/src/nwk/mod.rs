//! ZigBee NWK layer (ZigBee R22 3.3, 3.4, 3.6.7): the NWK frame header with its
//! optional fields, the NWK command payloads and the ZigBee beacon payload.
//!
//! Nothing here decrypts: a secured frame's payload is the ciphertext and MIC as
//! sent, for [`crate::security`] to open; routing and NIB state are out of scope.

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
