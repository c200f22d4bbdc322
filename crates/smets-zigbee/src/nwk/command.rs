//! NWK command frames (ZigBee R22 3.4): the plaintext NWK payload of a frame of
//! type command, a command identifier followed by the command's fields.
//!
//! The ZigBee R23 TLV-based commands (0x0e, 0x0f) and TLVs appended to R22
//! commands are not decoded; such commands come back as `Unknown` or an error.

pub use crate::mac::CapabilityInformation;
use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use super::frame::U16Iter;

const LAYER: Layer = Layer::NwkCommand;

open_enum! {
    /// NWK command identifier (ZigBee R22 table 3.40).
    pub enum CommandId: u8 {
        /// Route request (3.4.1).
        RouteRequest = 0x01 => "route_request",
        /// Route reply (3.4.2).
        RouteReply = 0x02 => "route_reply",
        /// Network status (3.4.3).
        NetworkStatus = 0x03 => "network_status",
        /// Leave (3.4.4).
        Leave = 0x04 => "leave",
        /// Route record (3.4.5).
        RouteRecord = 0x05 => "route_record",
        /// Rejoin request (3.4.6).
        RejoinRequest = 0x06 => "rejoin_request",
        /// Rejoin response (3.4.7).
        RejoinResponse = 0x07 => "rejoin_response",
        /// Link status (3.4.8).
        LinkStatus = 0x08 => "link_status",
        /// Network report (3.4.9).
        NetworkReport = 0x09 => "network_report",
        /// Network update (3.4.10).
        NetworkUpdate = 0x0a => "network_update",
        /// End device timeout request (3.4.11).
        EndDeviceTimeoutRequest = 0x0b => "end_device_timeout_request",
        /// End device timeout response (3.4.12).
        EndDeviceTimeoutResponse = 0x0c => "end_device_timeout_response",
        /// Link power delta (3.4.13).
        LinkPowerDelta = 0x0d => "link_power_delta",
    }
}

fn unrepresentable(field: &'static str, value: usize) -> EncodeError {
    EncodeError::unrepresentable(LAYER, field, value as u64)
}

fn fits(field: &'static str, value: u8, mask: u8) -> Result<(), EncodeError> {
    if value & !mask != 0 {
        return Err(unrepresentable(field, usize::from(value)));
    }
    Ok(())
}

fn eui64_len(a: Option<Eui64>) -> usize {
    if a.is_some() { 8 } else { 0 }
}

fn put_eui64<B: BufMut>(out: &mut B, a: Option<Eui64>) {
    if let Some(a) = a {
        out.put_slice(&a.to_le_bytes());
    }
}

open_enum! {
    /// Many-to-one sub-field of the route request command options (ZigBee R22 3.4.1.3.1.1).
    pub enum ManyToOne: u8 {
        /// Not a many-to-one route request.
        None = 0 => "none",
        /// Many-to-one; the sender keeps a route record table.
        RouteRecordTable = 1 => "route_record_table",
        /// Many-to-one; the sender keeps no route record table.
        NoRouteRecordTable = 2 => "no_route_record_table",
    }
}

/// Route request command options (ZigBee R22 3.4.1.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteRequestOptions {
    /// Many-to-one (bits 3–4).
    pub many_to_one: ManyToOne,
    /// Destination IEEE address present (bit 5).
    pub destination_ieee: bool,
    /// Multicast: the destination is a group identifier (bit 6).
    pub multicast: bool,
    /// Reserved bits 0–2 and 7, in place.
    pub reserved: u8,
}

impl RouteRequestOptions {
    const RESERVED: u8 = 0x87;

    /// Splits the byte into its sub-fields.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            many_to_one: ManyToOne::from((b >> 3) & 0x03),
            destination_ieee: b & 0x20 != 0,
            multicast: b & 0x40 != 0,
            reserved: b & Self::RESERVED,
        }
    }

    /// The byte (sub-fields masked to their width).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        ((self.many_to_one.value() & 0x03) << 3)
            | (u8::from(self.destination_ieee) << 5)
            | (u8::from(self.multicast) << 6)
            | (self.reserved & Self::RESERVED)
    }

    fn check(self) -> Result<(), EncodeError> {
        fits("many-to-one", self.many_to_one.value(), 0x03)?;
        fits(
            "route request options reserved bits",
            self.reserved,
            Self::RESERVED,
        )
    }
}

/// Route request command (ZigBee R22 3.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteRequest {
    /// Command options.
    pub options: RouteRequestOptions,
    /// Route request identifier.
    pub route_request_id: u8,
    /// Destination short address (or group identifier when multicast).
    pub destination: u16,
    /// Path cost accumulated so far.
    pub path_cost: u8,
    /// Destination IEEE address, present when `options.destination_ieee` is set.
    pub destination_ieee: Option<Eui64>,
}

/// Route reply command options (ZigBee R22 3.4.2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteReplyOptions {
    /// Originator IEEE address present (bit 4).
    pub originator_ieee: bool,
    /// Responder IEEE address present (bit 5).
    pub responder_ieee: bool,
    /// Multicast: the reply answers a multicast route request (bit 6).
    pub multicast: bool,
    /// Reserved bits 0–3 and 7, in place.
    pub reserved: u8,
}

impl RouteReplyOptions {
    const RESERVED: u8 = 0x8f;

    /// Splits the byte into its sub-fields.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            originator_ieee: b & 0x10 != 0,
            responder_ieee: b & 0x20 != 0,
            multicast: b & 0x40 != 0,
            reserved: b & Self::RESERVED,
        }
    }

    /// The byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (u8::from(self.originator_ieee) << 4)
            | (u8::from(self.responder_ieee) << 5)
            | (u8::from(self.multicast) << 6)
            | (self.reserved & Self::RESERVED)
    }
}

/// Route reply command (ZigBee R22 3.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteReply {
    /// Command options.
    pub options: RouteReplyOptions,
    /// Route request identifier of the request being answered.
    pub route_request_id: u8,
    /// Originator short address: the device that sent the route request.
    pub originator: u16,
    /// Responder short address: the destination of the route request.
    pub responder: u16,
    /// Path cost.
    pub path_cost: u8,
    /// Originator IEEE address, present when `options.originator_ieee` is set.
    pub originator_ieee: Option<Eui64>,
    /// Responder IEEE address, present when `options.responder_ieee` is set.
    pub responder_ieee: Option<Eui64>,
}

open_enum! {
    /// Network status code (ZigBee R22 table 3.42).
    pub enum NetworkStatusCode: u8 {
        /// No route available.
        NoRouteAvailable = 0x00 => "no_route_available",
        /// Tree link failure.
        TreeLinkFailure = 0x01 => "tree_link_failure",
        /// Non-tree link failure.
        NonTreeLinkFailure = 0x02 => "non_tree_link_failure",
        /// Low battery level.
        LowBatteryLevel = 0x03 => "low_battery_level",
        /// No routing capacity.
        NoRoutingCapacity = 0x04 => "no_routing_capacity",
        /// No indirect capacity.
        NoIndirectCapacity = 0x05 => "no_indirect_capacity",
        /// Indirect transaction expiry.
        IndirectTransactionExpiry = 0x06 => "indirect_transaction_expiry",
        /// Target device unavailable.
        TargetDeviceUnavailable = 0x07 => "target_device_unavailable",
        /// Target address unallocated.
        TargetAddressUnallocated = 0x08 => "target_address_unallocated",
        /// Parent link failure.
        ParentLinkFailure = 0x09 => "parent_link_failure",
        /// Validate route.
        ValidateRoute = 0x0a => "validate_route",
        /// Source route failure.
        SourceRouteFailure = 0x0b => "source_route_failure",
        /// Many-to-one route failure.
        ManyToOneRouteFailure = 0x0c => "many_to_one_route_failure",
        /// Address conflict.
        AddressConflict = 0x0d => "address_conflict",
        /// Verify addresses.
        VerifyAddresses = 0x0e => "verify_addresses",
        /// PAN identifier update.
        PanIdentifierUpdate = 0x0f => "pan_identifier_update",
        /// Network address update.
        NetworkAddressUpdate = 0x10 => "network_address_update",
        /// Bad frame counter.
        BadFrameCounter = 0x11 => "bad_frame_counter",
        /// Bad key sequence number.
        BadKeySequenceNumber = 0x12 => "bad_key_sequence_number",
        /// Unknown command: the status is followed by the identifier of the command not understood.
        UnknownCommand = 0x13 => "unknown_command",
    }
}

/// Network status command (ZigBee R22 3.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetworkStatus {
    /// Status code.
    pub status: NetworkStatusCode,
    /// Destination address: the device the status is about.
    pub destination: u16,
    /// Identifier of the command that was not understood, present exactly when
    /// `status` is [`NetworkStatusCode::UnknownCommand`].
    pub unknown_command_id: Option<CommandId>,
}

/// Leave command (ZigBee R22 3.4.4): its options byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Leave {
    /// Rejoin (bit 5): the device will rejoin after leaving.
    pub rejoin: bool,
    /// Request (bit 6): the receiver is asked to leave.
    pub request: bool,
    /// Remove children (bit 7).
    pub remove_children: bool,
    /// Reserved bits 0–4.
    pub reserved: u8,
}

impl Leave {
    /// Splits the options byte into its sub-fields.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            rejoin: b & 0x20 != 0,
            request: b & 0x40 != 0,
            remove_children: b & 0x80 != 0,
            reserved: b & 0x1f,
        }
    }

    /// The options byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (u8::from(self.rejoin) << 5)
            | (u8::from(self.request) << 6)
            | (u8::from(self.remove_children) << 7)
            | (self.reserved & 0x1f)
    }
}

/// Route record command (ZigBee R22 3.4.5): relay count (1) and relay list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RouteRecord<'a> {
    /// The relay list as sent, two bytes per relay.
    pub relay_list: &'a [u8],
}

impl<'a> RouteRecord<'a> {
    /// The relay count field.
    #[must_use]
    pub fn relay_count(&self) -> usize {
        self.relay_list.len() / 2
    }

    /// The relays' short addresses, in list order.
    #[must_use]
    pub fn relays(&self) -> U16Iter<'a> {
        U16Iter::new(self.relay_list)
    }
}

/// Rejoin request command (ZigBee R22 3.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RejoinRequest {
    /// Capability information of the rejoining device.
    pub capability: CapabilityInformation,
}

open_enum! {
    /// Rejoin status (ZigBee R22 3.4.7.3.2): the association status values of
    /// IEEE 802.15.4-2015 table 7-50.
    pub enum RejoinStatus: u8 {
        /// Rejoin successful.
        Success = 0x00 => "success",
        /// PAN at capacity.
        PanAtCapacity = 0x01 => "pan_at_capacity",
        /// PAN access denied.
        PanAccessDenied = 0x02 => "pan_access_denied",
    }
}

/// Rejoin response command (ZigBee R22 3.4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RejoinResponse {
    /// Network address given to the rejoining device.
    pub network_address: u16,
    /// Rejoin status.
    pub status: RejoinStatus,
}

/// One link status entry (ZigBee R22 3.4.8.3.2): a neighbour and the link costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkStatusEntry {
    /// Neighbour network address.
    pub address: u16,
    /// Incoming cost (bits 0–2 of the link status byte).
    pub incoming_cost: u8,
    /// Outgoing cost (bits 4–6).
    pub outgoing_cost: u8,
    /// Reserved bits 3 and 7, in place.
    pub reserved: u8,
}

impl LinkStatusEntry {
    /// The link status byte.
    #[must_use]
    pub fn link_status_byte(&self) -> u8 {
        (self.incoming_cost & 0x07) | ((self.outgoing_cost & 0x07) << 4) | (self.reserved & 0x88)
    }
}

/// The entries of a link status list, decoded as they are iterated.
#[derive(Debug, Clone)]
pub struct LinkStatusEntries<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl Iterator for LinkStatusEntries<'_> {
    type Item = LinkStatusEntry;

    fn next(&mut self) -> Option<LinkStatusEntry> {
        let &[lo, hi, status] = self.chunks.next()? else {
            return None;
        };
        Some(LinkStatusEntry {
            address: u16::from_le_bytes([lo, hi]),
            incoming_cost: status & 0x07,
            outgoing_cost: (status >> 4) & 0x07,
            reserved: status & 0x88,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for LinkStatusEntries<'_> {}

/// Link status command (ZigBee R22 3.4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkStatus<'a> {
    /// First frame (bit 5): first of the frames that make up this link status.
    pub first_frame: bool,
    /// Last frame (bit 6).
    pub last_frame: bool,
    /// Reserved bit 7.
    pub reserved: bool,
    /// The link status list as sent, three bytes per entry (the entry count, in
    /// bits 0–4 of the options, is derived from it).
    pub list: &'a [u8],
}

impl<'a> LinkStatus<'a> {
    /// Number of entries.
    #[must_use]
    pub fn entry_count(&self) -> usize {
        self.list.len() / 3
    }

    /// The entries.
    #[must_use]
    pub fn entries(&self) -> LinkStatusEntries<'a> {
        LinkStatusEntries {
            chunks: self.list.chunks_exact(3),
        }
    }
}

open_enum! {
    /// Network report command identifier (ZigBee R22 table 3.55).
    pub enum ReportType: u8 {
        /// PAN identifier conflict: the report lists the PAN identifiers heard.
        PanIdentifierConflict = 0 => "pan_identifier_conflict",
    }
}

/// Network report command (ZigBee R22 3.4.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetworkReport<'a> {
    /// Report command identifier (bits 5–7 of the options).
    pub report_type: ReportType,
    /// Report information count (bits 0–4 of the options).
    pub count: u8,
    /// Extended PAN identifier of the network.
    pub extended_pan_id: Eui64,
    /// Report information as sent: for a PAN identifier conflict `count` PAN
    /// identifiers; for another report type every remaining byte.
    pub information: &'a [u8],
}

impl<'a> NetworkReport<'a> {
    /// The PAN identifiers of the report information.
    #[must_use]
    pub fn pan_ids(&self) -> U16Iter<'a> {
        U16Iter::new(self.information)
    }
}

open_enum! {
    /// Network update command identifier (ZigBee R22 table 3.57).
    pub enum UpdateType: u8 {
        /// PAN identifier update: the update information is the new PAN identifier.
        PanIdentifierUpdate = 0 => "pan_identifier_update",
    }
}

/// Network update command (ZigBee R22 3.4.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NetworkUpdate<'a> {
    /// Update command identifier (bits 5–7 of the options).
    pub update_type: UpdateType,
    /// Update information count (bits 0–4 of the options).
    pub count: u8,
    /// Extended PAN identifier of the network.
    pub extended_pan_id: Eui64,
    /// Update identifier (the network's `nwkUpdateId` after the change).
    pub update_id: u8,
    /// Update information as sent: for a PAN identifier update `count` PAN
    /// identifiers; for another update type every remaining byte.
    pub information: &'a [u8],
}

impl<'a> NetworkUpdate<'a> {
    /// The PAN identifiers of the update information.
    #[must_use]
    pub fn pan_ids(&self) -> U16Iter<'a> {
        U16Iter::new(self.information)
    }
}

/// End device timeout request command (ZigBee R22 3.4.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EndDeviceTimeoutRequest {
    /// Requested timeout enumeration (table 3.58): 0 is 10 s, n in 1..=14 is 2^n minutes.
    pub requested_timeout: u8,
    /// End device configuration (reserved bitmask, sent as 0).
    pub configuration: u8,
}

impl EndDeviceTimeoutRequest {
    /// The requested timeout in seconds, `None` for a value outside table 3.58.
    #[must_use]
    pub fn timeout_seconds(&self) -> Option<u32> {
        match self.requested_timeout {
            0 => Some(10),
            n @ 1..=14 => Some(60u32 << n),
            _ => None,
        }
    }
}

open_enum! {
    /// End device timeout response status (ZigBee R22 table 3.60).
    pub enum EndDeviceTimeoutStatus: u8 {
        /// Success.
        Success = 0x00 => "success",
        /// Incorrect value in the request.
        IncorrectValue = 0x01 => "incorrect_value",
    }
}

/// Parent information bitmask (ZigBee R22 table 3.61).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParentInformation {
    /// MAC data poll keepalive supported (bit 0).
    pub mac_data_poll_keepalive: bool,
    /// End device timeout request keepalive supported (bit 1).
    pub timeout_request_keepalive: bool,
    /// Power negotiation supported (bit 2).
    pub power_negotiation: bool,
    /// Reserved bits 3–7, in place.
    pub reserved: u8,
}

impl ParentInformation {
    /// Splits the byte into its sub-fields.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            mac_data_poll_keepalive: b & 0x01 != 0,
            timeout_request_keepalive: b & 0x02 != 0,
            power_negotiation: b & 0x04 != 0,
            reserved: b & 0xf8,
        }
    }

    /// The byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        u8::from(self.mac_data_poll_keepalive)
            | (u8::from(self.timeout_request_keepalive) << 1)
            | (u8::from(self.power_negotiation) << 2)
            | (self.reserved & 0xf8)
    }
}

/// End device timeout response command (ZigBee R22 3.4.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EndDeviceTimeoutResponse {
    /// Status.
    pub status: EndDeviceTimeoutStatus,
    /// Parent information.
    pub parent_information: ParentInformation,
}

open_enum! {
    /// Link power delta type (ZigBee R22 3.4.13.3.1).
    pub enum LinkPowerDeltaType: u8 {
        /// Notification of the sender's view of its neighbours.
        Notification = 0 => "notification",
        /// Request for the receiver's view.
        Request = 1 => "request",
        /// Response to a request.
        Response = 2 => "response",
    }
}

/// One power delta entry (ZigBee R22 3.4.13.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PowerDelta {
    /// Neighbour network address.
    pub address: u16,
    /// Power delta in dBm the neighbour should apply.
    pub delta: i8,
}

/// The entries of a link power delta list, decoded as they are iterated.
#[derive(Debug, Clone)]
pub struct LinkPowerEntries<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl Iterator for LinkPowerEntries<'_> {
    type Item = PowerDelta;

    fn next(&mut self) -> Option<PowerDelta> {
        let &[lo, hi, delta] = self.chunks.next()? else {
            return None;
        };
        Some(PowerDelta {
            address: u16::from_le_bytes([lo, hi]),
            delta: i8::from_le_bytes([delta]),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for LinkPowerEntries<'_> {}

/// Link power delta command (ZigBee R22 3.4.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkPowerDelta<'a> {
    /// Type (bits 0–1 of the options).
    pub delta_type: LinkPowerDeltaType,
    /// Reserved bits 2–7 of the options, in place.
    pub reserved: u8,
    /// The power delta list as sent, three bytes per entry (the list count is derived from it).
    pub list: &'a [u8],
}

impl<'a> LinkPowerDelta<'a> {
    /// Number of entries.
    #[must_use]
    pub fn entry_count(&self) -> usize {
        self.list.len() / 3
    }

    /// The entries.
    #[must_use]
    pub fn entries(&self) -> LinkPowerEntries<'a> {
        LinkPowerEntries {
            chunks: self.list.chunks_exact(3),
        }
    }
}

/// A NWK command (ZigBee R22 3.4): the plaintext payload of a NWK command frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NwkCommand<'a> {
    /// Route request (0x01).
    RouteRequest(RouteRequest),
    /// Route reply (0x02).
    RouteReply(RouteReply),
    /// Network status (0x03).
    NetworkStatus(NetworkStatus),
    /// Leave (0x04).
    Leave(Leave),
    /// Route record (0x05).
    RouteRecord(RouteRecord<'a>),
    /// Rejoin request (0x06).
    RejoinRequest(RejoinRequest),
    /// Rejoin response (0x07).
    RejoinResponse(RejoinResponse),
    /// Link status (0x08).
    LinkStatus(LinkStatus<'a>),
    /// Network report (0x09).
    NetworkReport(NetworkReport<'a>),
    /// Network update (0x0a).
    NetworkUpdate(NetworkUpdate<'a>),
    /// End device timeout request (0x0b).
    EndDeviceTimeoutRequest(EndDeviceTimeoutRequest),
    /// End device timeout response (0x0c).
    EndDeviceTimeoutResponse(EndDeviceTimeoutResponse),
    /// Link power delta (0x0d).
    LinkPowerDelta(LinkPowerDelta<'a>),
    /// A command this library does not name, with the bytes after its identifier.
    Unknown {
        /// Command identifier (never one of the named ones).
        id: u8,
        /// The command's fields, undecoded.
        payload: &'a [u8],
    },
}

impl<'a> NwkCommand<'a> {
    /// The command identifier.
    #[must_use]
    pub fn id(&self) -> CommandId {
        match self {
            Self::RouteRequest(_) => CommandId::RouteRequest,
            Self::RouteReply(_) => CommandId::RouteReply,
            Self::NetworkStatus(_) => CommandId::NetworkStatus,
            Self::Leave(_) => CommandId::Leave,
            Self::RouteRecord(_) => CommandId::RouteRecord,
            Self::RejoinRequest(_) => CommandId::RejoinRequest,
            Self::RejoinResponse(_) => CommandId::RejoinResponse,
            Self::LinkStatus(_) => CommandId::LinkStatus,
            Self::NetworkReport(_) => CommandId::NetworkReport,
            Self::NetworkUpdate(_) => CommandId::NetworkUpdate,
            Self::EndDeviceTimeoutRequest(_) => CommandId::EndDeviceTimeoutRequest,
            Self::EndDeviceTimeoutResponse(_) => CommandId::EndDeviceTimeoutResponse,
            Self::LinkPowerDelta(_) => CommandId::LinkPowerDelta,
            Self::Unknown { id, .. } => CommandId::from(*id),
        }
    }

    /// Reads a command from the front of `r`; an unknown command takes every remaining byte.
    ///
    /// # Errors
    /// A truncation error when the bytes end inside a field or a list.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let id = CommandId::from(r.u8("command identifier")?);
        Ok(match id {
            CommandId::RouteRequest => {
                let options = RouteRequestOptions::from_byte(r.u8("route request options")?);
                let route_request_id = r.u8("route request identifier")?;
                let destination = r.u16_le("destination address")?;
                let path_cost = r.u8("path cost")?;
                let destination_ieee = if options.destination_ieee {
                    Some(r.eui64("destination IEEE address")?)
                } else {
                    None
                };
                Self::RouteRequest(RouteRequest {
                    options,
                    route_request_id,
                    destination,
                    path_cost,
                    destination_ieee,
                })
            }
            CommandId::RouteReply => {
                let options = RouteReplyOptions::from_byte(r.u8("route reply options")?);
                let route_request_id = r.u8("route request identifier")?;
                let originator = r.u16_le("originator address")?;
                let responder = r.u16_le("responder address")?;
                let path_cost = r.u8("path cost")?;
                let originator_ieee = if options.originator_ieee {
                    Some(r.eui64("originator IEEE address")?)
                } else {
                    None
                };
                let responder_ieee = if options.responder_ieee {
                    Some(r.eui64("responder IEEE address")?)
                } else {
                    None
                };
                Self::RouteReply(RouteReply {
                    options,
                    route_request_id,
                    originator,
                    responder,
                    path_cost,
                    originator_ieee,
                    responder_ieee,
                })
            }
            CommandId::NetworkStatus => {
                let status = NetworkStatusCode::from(r.u8("status code")?);
                let destination = r.u16_le("destination address")?;
                let unknown_command_id = if status == NetworkStatusCode::UnknownCommand {
                    Some(CommandId::from(r.u8("unknown command identifier")?))
                } else {
                    None
                };
                Self::NetworkStatus(NetworkStatus {
                    status,
                    destination,
                    unknown_command_id,
                })
            }
            CommandId::Leave => Self::Leave(Leave::from_byte(r.u8("leave options")?)),
            CommandId::RouteRecord => {
                let count = r.u8("relay count")?;
                Self::RouteRecord(RouteRecord {
                    relay_list: r.bytes(usize::from(count) * 2, "relay list")?,
                })
            }
            CommandId::RejoinRequest => Self::RejoinRequest(RejoinRequest {
                capability: CapabilityInformation::from_byte(r.u8("capability information")?),
            }),
            CommandId::RejoinResponse => Self::RejoinResponse(RejoinResponse {
                network_address: r.u16_le("network address")?,
                status: RejoinStatus::from(r.u8("rejoin status")?),
            }),
            CommandId::LinkStatus => {
                let options = r.u8("link status options")?;
                let count = usize::from(options & 0x1f);
                Self::LinkStatus(LinkStatus {
                    first_frame: options & 0x20 != 0,
                    last_frame: options & 0x40 != 0,
                    reserved: options & 0x80 != 0,
                    list: r.bytes(count * 3, "link status list")?,
                })
            }
            CommandId::NetworkReport => {
                let options = r.u8("network report options")?;
                let report_type = ReportType::from(options >> 5);
                let count = options & 0x1f;
                let extended_pan_id = r.eui64("extended PAN identifier")?;
                let information = match report_type {
                    ReportType::PanIdentifierConflict => {
                        r.bytes(usize::from(count) * 2, "PAN identifier list")?
                    }
                    ReportType::Unknown(_) => r.rest(),
                };
                Self::NetworkReport(NetworkReport {
                    report_type,
                    count,
                    extended_pan_id,
                    information,
                })
            }
            CommandId::NetworkUpdate => {
                let options = r.u8("network update options")?;
                let update_type = UpdateType::from(options >> 5);
                let count = options & 0x1f;
                let extended_pan_id = r.eui64("extended PAN identifier")?;
                let update_id = r.u8("update identifier")?;
                let information = match update_type {
                    UpdateType::PanIdentifierUpdate => {
                        r.bytes(usize::from(count) * 2, "PAN identifier list")?
                    }
                    UpdateType::Unknown(_) => r.rest(),
                };
                Self::NetworkUpdate(NetworkUpdate {
                    update_type,
                    count,
                    extended_pan_id,
                    update_id,
                    information,
                })
            }
            CommandId::EndDeviceTimeoutRequest => {
                Self::EndDeviceTimeoutRequest(EndDeviceTimeoutRequest {
                    requested_timeout: r.u8("requested timeout")?,
                    configuration: r.u8("end device configuration")?,
                })
            }
            CommandId::EndDeviceTimeoutResponse => {
                Self::EndDeviceTimeoutResponse(EndDeviceTimeoutResponse {
                    status: EndDeviceTimeoutStatus::from(r.u8("status")?),
                    parent_information: ParentInformation::from_byte(r.u8("parent information")?),
                })
            }
            CommandId::LinkPowerDelta => {
                let options = r.u8("link power delta options")?;
                let count = r.u8("list count")?;
                Self::LinkPowerDelta(LinkPowerDelta {
                    delta_type: LinkPowerDeltaType::from(options & 0x03),
                    reserved: options & 0xfc,
                    list: r.bytes(usize::from(count) * 3, "power delta list")?,
                })
            }
            CommandId::Unknown(id) => Self::Unknown {
                id,
                payload: r.rest(),
            },
        })
    }

    /// Checks what `encode` cannot write as is.
    fn check(&self) -> Result<(), EncodeError> {
        let flag = |flag: bool, present: bool, field: &'static str| {
            if flag == present {
                Ok(())
            } else {
                Err(EncodeError::inconsistent(LAYER, field))
            }
        };
        let list = |len: usize, unit: usize, max: usize, field: &'static str| {
            if !len.is_multiple_of(unit) || len / unit > max {
                Err(unrepresentable(field, len))
            } else {
                Ok(())
            }
        };
        match self {
            Self::RouteRequest(c) => {
                c.options.check()?;
                flag(
                    c.options.destination_ieee,
                    c.destination_ieee.is_some(),
                    "destination IEEE address",
                )
            }
            Self::RouteReply(c) => {
                fits(
                    "route reply options reserved bits",
                    c.options.reserved,
                    RouteReplyOptions::RESERVED,
                )?;
                flag(
                    c.options.originator_ieee,
                    c.originator_ieee.is_some(),
                    "originator IEEE address",
                )?;
                flag(
                    c.options.responder_ieee,
                    c.responder_ieee.is_some(),
                    "responder IEEE address",
                )
            }
            Self::NetworkStatus(c) => flag(
                c.status == NetworkStatusCode::UnknownCommand,
                c.unknown_command_id.is_some(),
                "unknown command identifier",
            ),
            Self::Leave(c) => fits("leave options reserved bits", c.reserved, 0x1f),
            Self::RouteRecord(c) => list(c.relay_list.len(), 2, 0xff, "relay list length"),
            Self::RejoinRequest(_) | Self::RejoinResponse(_) | Self::EndDeviceTimeoutRequest(_) => {
                Ok(())
            }
            Self::EndDeviceTimeoutResponse(c) => fits(
                "parent information reserved bits",
                c.parent_information.reserved,
                0xf8,
            ),
            Self::LinkStatus(c) => list(c.list.len(), 3, 0x1f, "link status list length"),
            Self::NetworkReport(c) => {
                fits("report type", c.report_type.value(), 0x07)?;
                fits("report information count", c.count, 0x1f)?;
                if c.report_type == ReportType::PanIdentifierConflict
                    && c.information.len() != usize::from(c.count) * 2
                {
                    return Err(EncodeError::inconsistent(LAYER, "report information count"));
                }
                Ok(())
            }
            Self::NetworkUpdate(c) => {
                fits("update type", c.update_type.value(), 0x07)?;
                fits("update information count", c.count, 0x1f)?;
                if c.update_type == UpdateType::PanIdentifierUpdate
                    && c.information.len() != usize::from(c.count) * 2
                {
                    return Err(EncodeError::inconsistent(LAYER, "update information count"));
                }
                Ok(())
            }
            Self::LinkPowerDelta(c) => {
                fits("link power delta type", c.delta_type.value(), 0x03)?;
                fits("link power delta options reserved bits", c.reserved, 0xfc)?;
                list(c.list.len(), 3, 0xff, "power delta list length")
            }
            Self::Unknown { id, .. } => {
                if CommandId::from(*id).label().is_some() {
                    return Err(EncodeError::inconsistent(LAYER, "command identifier"));
                }
                Ok(())
            }
        }
    }
}

impl<'a> Decode<'a> for NwkCommand<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        let c = Self::read(&mut r)?;
        r.finish()?;
        Ok(c)
    }
}

impl Encode for NwkCommand<'_> {
    fn encoded_len(&self) -> usize {
        1 + match self {
            Self::RouteRequest(c) => 5 + eui64_len(c.destination_ieee),
            Self::RouteReply(c) => 7 + eui64_len(c.originator_ieee) + eui64_len(c.responder_ieee),
            Self::NetworkStatus(c) => 3 + usize::from(c.unknown_command_id.is_some()),
            Self::Leave(_) | Self::RejoinRequest(_) => 1,
            Self::RouteRecord(c) => 1 + c.relay_list.len(),
            Self::RejoinResponse(_) => 3,
            Self::LinkStatus(c) => 1 + c.list.len(),
            Self::NetworkReport(c) => 9 + c.information.len(),
            Self::NetworkUpdate(c) => 10 + c.information.len(),
            Self::EndDeviceTimeoutRequest(_) | Self::EndDeviceTimeoutResponse(_) => 2,
            Self::LinkPowerDelta(c) => 2 + c.list.len(),
            Self::Unknown { payload, .. } => payload.len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u8(self.id().value());
        // Counts below were range-checked by `check`, so the conversions cannot saturate.
        let count = |len: usize, unit: usize| u8::try_from(len / unit).unwrap_or(u8::MAX);
        match self {
            Self::RouteRequest(c) => {
                out.put_u8(c.options.to_byte());
                out.put_u8(c.route_request_id);
                out.put_u16_le(c.destination);
                out.put_u8(c.path_cost);
                put_eui64(out, c.destination_ieee);
            }
            Self::RouteReply(c) => {
                out.put_u8(c.options.to_byte());
                out.put_u8(c.route_request_id);
                out.put_u16_le(c.originator);
                out.put_u16_le(c.responder);
                out.put_u8(c.path_cost);
                put_eui64(out, c.originator_ieee);
                put_eui64(out, c.responder_ieee);
            }
            Self::NetworkStatus(c) => {
                out.put_u8(c.status.value());
                out.put_u16_le(c.destination);
                if let Some(id) = c.unknown_command_id {
                    out.put_u8(id.value());
                }
            }
            Self::Leave(c) => out.put_u8(c.to_byte()),
            Self::RouteRecord(c) => {
                out.put_u8(count(c.relay_list.len(), 2));
                out.put_slice(c.relay_list);
            }
            Self::RejoinRequest(c) => out.put_u8(c.capability.to_byte()),
            Self::RejoinResponse(c) => {
                out.put_u16_le(c.network_address);
                out.put_u8(c.status.value());
            }
            Self::LinkStatus(c) => {
                out.put_u8(
                    count(c.list.len(), 3)
                        | (u8::from(c.first_frame) << 5)
                        | (u8::from(c.last_frame) << 6)
                        | (u8::from(c.reserved) << 7),
                );
                out.put_slice(c.list);
            }
            Self::NetworkReport(c) => {
                out.put_u8((c.report_type.value() << 5) | c.count);
                out.put_slice(&c.extended_pan_id.to_le_bytes());
                out.put_slice(c.information);
            }
            Self::NetworkUpdate(c) => {
                out.put_u8((c.update_type.value() << 5) | c.count);
                out.put_slice(&c.extended_pan_id.to_le_bytes());
                out.put_u8(c.update_id);
                out.put_slice(c.information);
            }
            Self::EndDeviceTimeoutRequest(c) => {
                out.put_u8(c.requested_timeout);
                out.put_u8(c.configuration);
            }
            Self::EndDeviceTimeoutResponse(c) => {
                out.put_u8(c.status.value());
                out.put_u8(c.parent_information.to_byte());
            }
            Self::LinkPowerDelta(c) => {
                out.put_u8(c.delta_type.value() | c.reserved);
                out.put_u8(count(c.list.len(), 3));
                out.put_slice(c.list);
            }
            Self::Unknown { payload, .. } => out.put_slice(payload),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smets_core::DecodeErrorKind;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn roundtrip(bytes: &[u8]) -> NwkCommand<'_> {
        let c = NwkCommand::decode(bytes).unwrap();
        assert_eq!(c.to_vec().unwrap(), bytes);
        assert_eq!(c.encoded_len(), bytes.len());
        for cut in 0..bytes.len() {
            assert!(NwkCommand::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        c
    }

    #[test]
    fn control4_link_status() {
        // control4-sample frame 1, decrypted NWK payload.
        let b = hex("0861c01811");
        let NwkCommand::LinkStatus(ls) = roundtrip(&b) else {
            panic!("not a link status")
        };
        assert!(ls.first_frame);
        assert!(ls.last_frame);
        assert!(!ls.reserved);
        assert_eq!(ls.entry_count(), 1);
        let e: Vec<_> = ls.entries().collect();
        assert_eq!(
            e,
            [LinkStatusEntry {
                address: 0x18c0,
                incoming_cost: 1,
                outgoing_cost: 1,
                reserved: 0
            }]
        );
        assert_eq!(e[0].link_status_byte(), 0x11);
    }

    #[test]
    fn zigator_many_to_one_route_request() {
        let b = hex("010802fcff00");
        let c = roundtrip(&b);
        assert_eq!(c.id(), CommandId::RouteRequest);
        assert_eq!(c.id().label(), Some("route_request"));
        let NwkCommand::RouteRequest(rr) = c else {
            panic!()
        };
        assert_eq!(rr.options.many_to_one, ManyToOne::RouteRecordTable);
        assert!(!rr.options.destination_ieee);
        assert!(!rr.options.multicast);
        assert_eq!(rr.route_request_id, 2);
        assert_eq!(rr.destination, 0xfffc);
        assert_eq!(rr.path_cost, 0);
        assert_eq!(rr.destination_ieee, None);
    }

    #[test]
    fn zigator_route_reply_with_ieee_addresses() {
        let b = hex("023005011100000802000000007777770100000000777777");
        let NwkCommand::RouteReply(rr) = roundtrip(&b) else {
            panic!()
        };
        assert!(rr.options.originator_ieee);
        assert!(rr.options.responder_ieee);
        assert_eq!(rr.route_request_id, 5);
        assert_eq!(rr.originator, 0x1101);
        assert_eq!(rr.responder, 0x0000);
        assert_eq!(rr.path_cost, 8);
        assert_eq!(rr.originator_ieee, Some(Eui64(0x7777_7700_0000_0002)));
        assert_eq!(rr.responder_ieee, Some(Eui64(0x7777_7700_0000_0001)));
    }

    #[test]
    fn zigator_small_commands() {
        let b = hex("030c0211");
        assert_eq!(
            roundtrip(&b),
            NwkCommand::NetworkStatus(NetworkStatus {
                status: NetworkStatusCode::ManyToOneRouteFailure,
                destination: 0x1102,
                unknown_command_id: None,
            })
        );
        let b = hex("0400");
        assert_eq!(roundtrip(&b), NwkCommand::Leave(Leave::from_byte(0)));
        let b = hex("05010211");
        let NwkCommand::RouteRecord(rec) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(rec.relays().collect::<Vec<_>>(), [0x1102]);
        let b = hex("0680");
        let NwkCommand::RejoinRequest(rj) = roundtrip(&b) else {
            panic!()
        };
        assert!(rj.capability.allocate_address);
        assert!(!rj.capability.full_function_device);
        assert!(!rj.capability.receiver_on_when_idle);
        let b = hex("07012200");
        assert_eq!(
            roundtrip(&b),
            NwkCommand::RejoinResponse(RejoinResponse {
                network_address: 0x2201,
                status: RejoinStatus::Success
            })
        );
        let b = hex("0b0300");
        let NwkCommand::EndDeviceTimeoutRequest(t) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(t.requested_timeout, 3);
        assert_eq!(t.timeout_seconds(), Some(480));
        let b = hex("0c0003");
        let NwkCommand::EndDeviceTimeoutResponse(t) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(t.status, EndDeviceTimeoutStatus::Success);
        assert!(t.parent_information.mac_data_poll_keepalive);
        assert!(t.parent_information.timeout_request_keepalive);
        assert!(!t.parent_information.power_negotiation);
    }

    #[test]
    fn zigator_network_report_and_update() {
        let b = hex("09010d90e1fedec001c07777");
        let NwkCommand::NetworkReport(r) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(r.report_type, ReportType::PanIdentifierConflict);
        assert_eq!(r.count, 1);
        assert_eq!(r.extended_pan_id, Eui64(0xc001_c0de_fee1_900d));
        assert_eq!(r.pan_ids().collect::<Vec<_>>(), [0x7777]);
        let b = hex("0a010d90e1fedec001c0028888");
        let NwkCommand::NetworkUpdate(u) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(u.update_type, UpdateType::PanIdentifierUpdate);
        assert_eq!(u.update_id, 2);
        assert_eq!(u.pan_ids().collect::<Vec<_>>(), [0x8888]);
    }

    #[test]
    fn link_power_delta_and_unknown_command_status() {
        // Built from the R22 3.4.13 layout: a response listing two neighbours.
        let b = hex("0d0202341203fe0100");
        let NwkCommand::LinkPowerDelta(d) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(d.delta_type, LinkPowerDeltaType::Response);
        assert_eq!(
            d.entries().collect::<Vec<_>>(),
            [
                PowerDelta {
                    address: 0x1234,
                    delta: 3
                },
                PowerDelta {
                    address: 0x01fe,
                    delta: 0
                }
            ]
        );
        let b = hex("031334120e");
        let NwkCommand::NetworkStatus(s) = roundtrip(&b) else {
            panic!()
        };
        assert_eq!(s.unknown_command_id, Some(CommandId::Unknown(0x0e)));
    }

    #[test]
    fn unknown_commands_and_inconsistent_values() {
        // The payload of an unknown command is opaque: any length decodes, and only
        // the empty buffer (no identifier) is an error.
        let b = hex("0e0102");
        let c = NwkCommand::decode(&b).unwrap();
        assert_eq!(c.to_vec().unwrap(), b);
        assert!(NwkCommand::decode(&[]).is_err());
        assert_eq!(
            NwkCommand::decode(&b[..1]).unwrap(),
            NwkCommand::Unknown {
                id: 0x0e,
                payload: &[]
            }
        );
        assert_eq!(
            c,
            NwkCommand::Unknown {
                id: 0x0e,
                payload: &[1, 2]
            }
        );
        assert_eq!(c.id(), CommandId::Unknown(0x0e));
        assert!(
            NwkCommand::Unknown {
                id: 0x01,
                payload: &[]
            }
            .to_vec()
            .is_err()
        );
        let e = NwkCommand::decode(&hex("040000")).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TrailingBytes { count: 1 });
        assert_eq!(e.offset, 2);
        let rr = RouteRequest {
            options: RouteRequestOptions::from_byte(0x20),
            route_request_id: 0,
            destination: 0,
            path_cost: 0,
            destination_ieee: None,
        };
        assert!(NwkCommand::RouteRequest(rr).to_vec().is_err());
        let ls = LinkStatus {
            first_frame: false,
            last_frame: false,
            reserved: false,
            list: &[0; 4],
        };
        assert!(NwkCommand::LinkStatus(ls).to_vec().is_err());
        let mut small = [0u8; 2];
        assert!(
            NwkCommand::Leave(Leave::from_byte(0x40))
                .encode(&mut &mut small[..1])
                .is_err()
        );
        NwkCommand::Leave(Leave::from_byte(0x40))
            .encode(&mut &mut small[..])
            .unwrap();
        assert_eq!(small, [0x04, 0x40]);
    }

    /// Builds one command of kind `kind` (0..=13) from random field values and
    /// a random list, consistent by construction.
    fn build<'a>(kind: u8, v: &[u8; 24], list: &'a [u8]) -> NwkCommand<'a> {
        let u16_at = |i: usize| u16::from_le_bytes([v[i], v[i + 1]]);
        let eui_at = |i: usize| Eui64(u64::from_le_bytes(v[i..i + 8].try_into().unwrap()));
        let three = &list[..list.len() - list.len() % 3];
        match kind {
            0 => {
                let options = RouteRequestOptions::from_byte(v[0]);
                NwkCommand::RouteRequest(RouteRequest {
                    options,
                    route_request_id: v[1],
                    destination: u16_at(2),
                    path_cost: v[4],
                    destination_ieee: options.destination_ieee.then(|| eui_at(5)),
                })
            }
            1 => {
                let options = RouteReplyOptions::from_byte(v[0]);
                NwkCommand::RouteReply(RouteReply {
                    options,
                    route_request_id: v[1],
                    originator: u16_at(2),
                    responder: u16_at(4),
                    path_cost: v[6],
                    originator_ieee: options.originator_ieee.then(|| eui_at(7)),
                    responder_ieee: options.responder_ieee.then(|| eui_at(15)),
                })
            }
            2 => {
                let status = NetworkStatusCode::from(v[0] % 0x18);
                NwkCommand::NetworkStatus(NetworkStatus {
                    status,
                    destination: u16_at(1),
                    unknown_command_id: (status == NetworkStatusCode::UnknownCommand)
                        .then(|| CommandId::from(v[3])),
                })
            }
            3 => NwkCommand::Leave(Leave::from_byte(v[0])),
            4 => NwkCommand::RouteRecord(RouteRecord {
                relay_list: &list[..list.len() & !1],
            }),
            5 => NwkCommand::RejoinRequest(RejoinRequest {
                capability: CapabilityInformation::from_byte(v[0]),
            }),
            6 => NwkCommand::RejoinResponse(RejoinResponse {
                network_address: u16_at(0),
                status: RejoinStatus::from(v[2]),
            }),
            7 => NwkCommand::LinkStatus(LinkStatus {
                first_frame: v[0] & 1 != 0,
                last_frame: v[0] & 2 != 0,
                reserved: v[0] & 4 != 0,
                list: &three[..three.len().min(31 * 3)],
            }),
            8 | 9 => {
                let typ = v[0] >> 5;
                let (count, information) = if typ == 0 {
                    let n = (list.len() / 2).min(31);
                    (u8::try_from(n).unwrap(), &list[..n * 2])
                } else {
                    (v[1] & 0x1f, list)
                };
                if kind == 8 {
                    NwkCommand::NetworkReport(NetworkReport {
                        report_type: ReportType::from(typ),
                        count,
                        extended_pan_id: eui_at(2),
                        information,
                    })
                } else {
                    NwkCommand::NetworkUpdate(NetworkUpdate {
                        update_type: UpdateType::from(typ),
                        count,
                        extended_pan_id: eui_at(2),
                        update_id: v[10],
                        information,
                    })
                }
            }
            10 => NwkCommand::EndDeviceTimeoutRequest(EndDeviceTimeoutRequest {
                requested_timeout: v[0],
                configuration: v[1],
            }),
            11 => NwkCommand::EndDeviceTimeoutResponse(EndDeviceTimeoutResponse {
                status: EndDeviceTimeoutStatus::from(v[0]),
                parent_information: ParentInformation::from_byte(v[1]),
            }),
            12 => NwkCommand::LinkPowerDelta(LinkPowerDelta {
                delta_type: LinkPowerDeltaType::from(v[0] & 0x03),
                reserved: v[0] & 0xfc,
                list: three,
            }),
            _ => NwkCommand::Unknown {
                id: if v[0] == 0 || v[0] > 0x0d { v[0] } else { 0x0e },
                payload: list,
            },
        }
    }

    proptest! {
        #[test]
        fn every_command_roundtrips(
            kind in 0u8..=13,
            v in any::<[u8; 24]>(),
            list in proptest::collection::vec(any::<u8>(), 0..120usize),
        ) {
            let c = build(kind, &v, &list);
            let bytes = c.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), c.encoded_len());
            prop_assert_eq!(NwkCommand::decode(&bytes).unwrap(), c);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..48usize)) {
            if let Ok(c) = NwkCommand::decode(&bytes) {
                prop_assert_eq!(c.to_vec().unwrap(), bytes);
            }
        }
    }
}
