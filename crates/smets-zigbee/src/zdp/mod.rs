//! The ZigBee Device Profile (ZigBee R22 2.4): ZDO requests and responses on
//! profile 0x0000, endpoint 0, told apart by the APS cluster id.
//!
//! Device and service discovery, Device_annce, binding and the network
//! management pairs a Smart Energy HAN uses are decoded and encoded; every
//! other cluster is kept as bytes ([`ZdpCommand::Other`]). R23 TLVs are not
//! decoded: bytes after the fields of a known command are an error.
//!
//! ```
//! use smets_zigbee::zdp::{ZdpCommand, ZdpFrame};
//!
//! // A Device_annce (APS cluster 0x0013), from kristian/zbtk zdp_req_device_annce.
//! let bytes = [0x81, 0x60, 0x7a, 0x7d, 0xb0, 0x23, 0xfe, 0xff, 0xa7, 0xdb, 0x28, 0x80];
//! let f = ZdpFrame::decode(0x0013, &bytes)?;
//! assert_eq!(f.seq, 0x81);
//! assert_eq!(f.cluster().label(), Some("device_annce"));
//! let ZdpCommand::DeviceAnnce { nwk_addr, ieee_addr, capability } = f.command else {
//!     unreachable!()
//! };
//! assert_eq!(nwk_addr, 0x7a60);
//! assert_eq!(ieee_addr.to_string(), "28:db:a7:ff:fe:23:b0:7d");
//! assert!(capability.allocate_address);
//! # Ok::<(), smets_core::DecodeError>(())
//! ```

mod descriptors;
mod lists;

use bytes::BufMut;
use smets_core::{DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum};

pub use crate::mac::CapabilityInformation;
pub use descriptors::{
    DescriptorCapability, FrequencyBands, LogicalType, NodeDescriptor, PowerDescriptor, PowerLevel,
    PowerMode, PowerSources, ServerMask, SimpleDescriptor,
};
pub use lists::{
    NeighborDeviceType, NeighborTable, NeighborTableEntry, PermitJoining, Record, RecordIter,
    RecordList, Relationship, RouteStatus, RoutingTable, RoutingTableEntry, RxOnWhenIdle, U16Iter,
    U16List,
};

use descriptors::{count_u8, read_u16_list};

open_enum! {
    /// ZDP cluster identifiers (ZigBee R22 2.4.3, 2.4.4): a request's id, or
    /// the request's id with bit 15 set for its response.
    pub enum ClusterId: u16 {
        /// NWK_addr_req (2.4.3.1.1).
        NwkAddrReq = 0x0000 => "nwk_addr_req",
        /// IEEE_addr_req (2.4.3.1.2).
        IeeeAddrReq = 0x0001 => "ieee_addr_req",
        /// Node_Desc_req (2.4.3.1.3).
        NodeDescReq = 0x0002 => "node_desc_req",
        /// Power_Desc_req (2.4.3.1.4).
        PowerDescReq = 0x0003 => "power_desc_req",
        /// Simple_Desc_req (2.4.3.1.5).
        SimpleDescReq = 0x0004 => "simple_desc_req",
        /// Active_EP_req (2.4.3.1.6).
        ActiveEpReq = 0x0005 => "active_ep_req",
        /// Match_Desc_req (2.4.3.1.7).
        MatchDescReq = 0x0006 => "match_desc_req",
        /// Complex_Desc_req (2.4.3.1.8).
        ComplexDescReq = 0x0010 => "complex_desc_req",
        /// User_Desc_req (2.4.3.1.9).
        UserDescReq = 0x0011 => "user_desc_req",
        /// Discovery_Cache_req (2.4.3.1.10).
        DiscoveryCacheReq = 0x0012 => "discovery_cache_req",
        /// Device_annce (2.4.3.1.11).
        DeviceAnnce = 0x0013 => "device_annce",
        /// Parent_annce (2.4.3.1.12, R21 and later).
        ParentAnnce = 0x001f => "parent_annce",
        /// User_Desc_set (2.4.3.1.13).
        UserDescSet = 0x0014 => "user_desc_set",
        /// System_Server_Discovery_req (2.4.3.1.14).
        SystemServerDiscoveryReq = 0x0015 => "system_server_discovery_req",
        /// Extended_Simple_Desc_req (2.4.3.1.21).
        ExtendedSimpleDescReq = 0x001d => "extended_simple_desc_req",
        /// Extended_Active_EP_req (2.4.3.1.22).
        ExtendedActiveEpReq = 0x001e => "extended_active_ep_req",
        /// End_Device_Bind_req (2.4.3.2.1).
        EndDeviceBindReq = 0x0020 => "end_device_bind_req",
        /// Bind_req (2.4.3.2.2).
        BindReq = 0x0021 => "bind_req",
        /// Unbind_req (2.4.3.2.3).
        UnbindReq = 0x0022 => "unbind_req",
        /// Mgmt_NWK_Disc_req (2.4.3.3.1).
        MgmtNwkDiscReq = 0x0030 => "mgmt_nwk_disc_req",
        /// Mgmt_Lqi_req (2.4.3.3.2).
        MgmtLqiReq = 0x0031 => "mgmt_lqi_req",
        /// Mgmt_Rtg_req (2.4.3.3.3).
        MgmtRtgReq = 0x0032 => "mgmt_rtg_req",
        /// Mgmt_Bind_req (2.4.3.3.4).
        MgmtBindReq = 0x0033 => "mgmt_bind_req",
        /// Mgmt_Leave_req (2.4.3.3.5).
        MgmtLeaveReq = 0x0034 => "mgmt_leave_req",
        /// Mgmt_Direct_Join_req (2.4.3.3.6).
        MgmtDirectJoinReq = 0x0035 => "mgmt_direct_join_req",
        /// Mgmt_Permit_Joining_req (2.4.3.3.7).
        MgmtPermitJoiningReq = 0x0036 => "mgmt_permit_joining_req",
        /// Mgmt_Cache_req (2.4.3.3.8).
        MgmtCacheReq = 0x0037 => "mgmt_cache_req",
        /// Mgmt_NWK_Update_req (2.4.3.3.9).
        MgmtNwkUpdateReq = 0x0038 => "mgmt_nwk_update_req",
        /// Mgmt_NWK_Enhanced_Update_req (2.4.3.3.10, R22).
        MgmtNwkEnhancedUpdateReq = 0x0039 => "mgmt_nwk_enhanced_update_req",
        /// Mgmt_NWK_IEEE_Joining_List_req (2.4.3.3.11, R22).
        MgmtNwkIeeeJoiningListReq = 0x003a => "mgmt_nwk_ieee_joining_list_req",
        /// NWK_addr_rsp (2.4.4.2.1).
        NwkAddrRsp = 0x8000 => "nwk_addr_rsp",
        /// IEEE_addr_rsp (2.4.4.2.2).
        IeeeAddrRsp = 0x8001 => "ieee_addr_rsp",
        /// Node_Desc_rsp (2.4.4.2.3).
        NodeDescRsp = 0x8002 => "node_desc_rsp",
        /// Power_Desc_rsp (2.4.4.2.4).
        PowerDescRsp = 0x8003 => "power_desc_rsp",
        /// Simple_Desc_rsp (2.4.4.2.5).
        SimpleDescRsp = 0x8004 => "simple_desc_rsp",
        /// Active_EP_rsp (2.4.4.2.6).
        ActiveEpRsp = 0x8005 => "active_ep_rsp",
        /// Match_Desc_rsp (2.4.4.2.7).
        MatchDescRsp = 0x8006 => "match_desc_rsp",
        /// Complex_Desc_rsp (2.4.4.2.8).
        ComplexDescRsp = 0x8010 => "complex_desc_rsp",
        /// User_Desc_rsp (2.4.4.2.9).
        UserDescRsp = 0x8011 => "user_desc_rsp",
        /// Discovery_Cache_rsp (2.4.4.2.12).
        DiscoveryCacheRsp = 0x8012 => "discovery_cache_rsp",
        /// User_Desc_conf (2.4.4.2.10).
        UserDescConf = 0x8014 => "user_desc_conf",
        /// System_Server_Discovery_rsp (2.4.4.2.11).
        SystemServerDiscoveryRsp = 0x8015 => "system_server_discovery_rsp",
        /// Extended_Simple_Desc_rsp (2.4.4.2.19).
        ExtendedSimpleDescRsp = 0x801d => "extended_simple_desc_rsp",
        /// Extended_Active_EP_rsp (2.4.4.2.20).
        ExtendedActiveEpRsp = 0x801e => "extended_active_ep_rsp",
        /// Parent_annce_rsp (2.4.4.2.21).
        ParentAnnceRsp = 0x801f => "parent_annce_rsp",
        /// End_Device_Bind_rsp (2.4.4.3.1).
        EndDeviceBindRsp = 0x8020 => "end_device_bind_rsp",
        /// Bind_rsp (2.4.4.3.2).
        BindRsp = 0x8021 => "bind_rsp",
        /// Unbind_rsp (2.4.4.3.3).
        UnbindRsp = 0x8022 => "unbind_rsp",
        /// Mgmt_NWK_Disc_rsp (2.4.4.4.1).
        MgmtNwkDiscRsp = 0x8030 => "mgmt_nwk_disc_rsp",
        /// Mgmt_Lqi_rsp (2.4.4.4.2).
        MgmtLqiRsp = 0x8031 => "mgmt_lqi_rsp",
        /// Mgmt_Rtg_rsp (2.4.4.4.3).
        MgmtRtgRsp = 0x8032 => "mgmt_rtg_rsp",
        /// Mgmt_Bind_rsp (2.4.4.4.4).
        MgmtBindRsp = 0x8033 => "mgmt_bind_rsp",
        /// Mgmt_Leave_rsp (2.4.4.4.5).
        MgmtLeaveRsp = 0x8034 => "mgmt_leave_rsp",
        /// Mgmt_Direct_Join_rsp (2.4.4.4.6).
        MgmtDirectJoinRsp = 0x8035 => "mgmt_direct_join_rsp",
        /// Mgmt_Permit_Joining_rsp (2.4.4.4.7).
        MgmtPermitJoiningRsp = 0x8036 => "mgmt_permit_joining_rsp",
        /// Mgmt_Cache_rsp (2.4.4.4.8).
        MgmtCacheRsp = 0x8037 => "mgmt_cache_rsp",
        /// Mgmt_NWK_Update_notify (2.4.4.4.9), the answer to Mgmt_NWK_Update_req.
        MgmtNwkUpdateNotify = 0x8038 => "mgmt_nwk_update_notify",
        /// Mgmt_NWK_Enhanced_Update_notify (2.4.4.4.10, R22).
        MgmtNwkEnhancedUpdateNotify = 0x8039 => "mgmt_nwk_enhanced_update_notify",
        /// Mgmt_NWK_IEEE_Joining_List_rsp (2.4.4.4.11, R22).
        MgmtNwkIeeeJoiningListRsp = 0x803a => "mgmt_nwk_ieee_joining_list_rsp",
    }
}

impl ClusterId {
    /// Whether this is a response (bit 15 set).
    #[must_use]
    pub fn is_response(self) -> bool {
        self.value() & 0x8000 != 0
    }
}

open_enum! {
    /// ZDP status (ZigBee R22 table 2.137), the first byte of every response.
    pub enum Status: u8 {
        /// The request succeeded.
        Success = 0x00 => "success",
        /// The request type was not valid.
        InvRequestType = 0x80 => "inv_requesttype",
        /// The addressed device was not found.
        DeviceNotFound = 0x81 => "device_not_found",
        /// The endpoint was not valid (0 or above 240).
        InvalidEp = 0x82 => "invalid_ep",
        /// The endpoint has no simple descriptor.
        NotActive = 0x83 => "not_active",
        /// The request is not supported by the device.
        NotSupported = 0x84 => "not_supported",
        /// The operation timed out.
        Timeout = 0x85 => "timeout",
        /// End_Device_Bind_req found no match.
        NoMatch = 0x86 => "no_match",
        /// No entry to unbind or remove.
        NoEntry = 0x88 => "no_entry",
        /// A child descriptor was not available.
        NoDescriptor = 0x89 => "no_descriptor",
        /// Not enough space for the operation.
        InsufficientSpace = 0x8a => "insufficient_space",
        /// The operation is not permitted.
        NotPermitted = 0x8b => "not_permitted",
        /// A table is full.
        TableFull = 0x8c => "table_full",
        /// The requester is not authorised.
        NotAuthorized = 0x8d => "not_authorized",
        /// The binding table is full.
        DeviceBindingTableFull = 0x8e => "device_binding_table_full",
        /// The index is out of range.
        InvalidIndex = 0x8f => "invalid_index",
    }
}

open_enum! {
    /// RequestType of NWK_addr_req and IEEE_addr_req (ZigBee R22 2.4.3.1.1).
    pub enum RequestType: u8 {
        /// Single device response.
        SingleDevice = 0x00 => "single_device",
        /// Extended response: the associated device list is included.
        Extended = 0x01 => "extended",
    }
}

/// The associated device list of NWK_addr_rsp and IEEE_addr_rsp, sent when the
/// request asked for the extended response (ZigBee R22 2.4.4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AssociatedDevices<'a> {
    /// StartIndex into the remote device's list; absent when the list is empty.
    pub start_index: Option<u8>,
    /// NWKAddrAssocDevList.
    pub devices: U16List<'a>,
}

/// NWK_addr_rsp and IEEE_addr_rsp (ZigBee R22 2.4.4.2.1, 2.4.4.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AddrRsp<'a> {
    /// Status.
    pub status: Status,
    /// IEEEAddrRemoteDev.
    pub ieee_addr: Eui64,
    /// NWKAddrRemoteDev.
    pub nwk_addr: u16,
    /// NumAssocDev, StartIndex and the list, when present.
    pub associated: Option<AssociatedDevices<'a>>,
}

/// Destination of a Bind_req or Unbind_req (ZigBee R22 2.4.3.2.2): DstAddrMode
/// 0x01 (group) or 0x03 (IEEE address and endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BindDestination {
    /// DstAddrMode 0x01: a 16-bit group address, no endpoint.
    Group(u16),
    /// DstAddrMode 0x03: a 64-bit address and an endpoint.
    Extended {
        /// DstAddress.
        address: Eui64,
        /// DstEndp.
        endpoint: u8,
    },
}

impl BindDestination {
    /// The DstAddrMode value.
    #[must_use]
    pub const fn mode(&self) -> u8 {
        match self {
            Self::Group(_) => 0x01,
            Self::Extended { .. } => 0x03,
        }
    }
}

/// Bind_req and Unbind_req (ZigBee R22 2.4.3.2.2, 2.4.3.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BindReq {
    /// SrcAddress: IEEE address of the binding source.
    pub src_addr: Eui64,
    /// SrcEndp.
    pub src_endpoint: u8,
    /// ClusterID being bound.
    pub cluster_id: u16,
    /// Destination.
    pub dst: BindDestination,
}

/// The neighbour table part of a successful Mgmt_Lqi_rsp (ZigBee R22 2.4.4.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NeighborTableList<'a> {
    /// NeighborTableEntries: total entries in the remote device's table.
    pub total_entries: u8,
    /// StartIndex of this list in that table.
    pub start_index: u8,
    /// The entries (NeighborTableListCount is their number).
    pub entries: NeighborTable<'a>,
}

/// The routing table part of a successful Mgmt_Rtg_rsp (ZigBee R22 2.4.4.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoutingTableList<'a> {
    /// RoutingTableEntries: total entries in the remote device's table.
    pub total_entries: u8,
    /// StartIndex of this list in that table.
    pub start_index: u8,
    /// The entries (RoutingTableListCount is their number).
    pub entries: RoutingTable<'a>,
}

/// A ZDP command body, chosen by the APS cluster id (ZigBee R22 2.4.3, 2.4.4).
///
/// Response bodies that the specification sends only on success
/// (descriptors, table lists) are `Option`s: required when the status is
/// [`Status::Success`], optional otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZdpCommand<'a> {
    /// NWK_addr_req (0x0000): who has this IEEE address?
    NwkAddrReq {
        /// IEEEAddr of interest.
        ieee_addr: Eui64,
        /// RequestType.
        request_type: RequestType,
        /// StartIndex into the associated device list.
        start_index: u8,
    },
    /// IEEE_addr_req (0x0001): what is the IEEE address of this network address?
    IeeeAddrReq {
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// RequestType.
        request_type: RequestType,
        /// StartIndex into the associated device list.
        start_index: u8,
    },
    /// NWK_addr_rsp (0x8000).
    NwkAddrRsp(AddrRsp<'a>),
    /// IEEE_addr_rsp (0x8001).
    IeeeAddrRsp(AddrRsp<'a>),
    /// Node_Desc_req (0x0002).
    NodeDescReq {
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
    },
    /// Node_Desc_rsp (0x8002).
    NodeDescRsp {
        /// Status.
        status: Status,
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// NodeDescriptor.
        descriptor: Option<NodeDescriptor>,
    },
    /// Power_Desc_req (0x0003).
    PowerDescReq {
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
    },
    /// Power_Desc_rsp (0x8003).
    PowerDescRsp {
        /// Status.
        status: Status,
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// PowerDescriptor.
        descriptor: Option<PowerDescriptor>,
    },
    /// Simple_Desc_req (0x0004).
    SimpleDescReq {
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// EndPoint (1-254).
        endpoint: u8,
    },
    /// Simple_Desc_rsp (0x8004): the descriptor follows a length byte, which is
    /// 0 when there is none.
    SimpleDescRsp {
        /// Status.
        status: Status,
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// SimpleDescriptor.
        descriptor: Option<SimpleDescriptor<'a>>,
    },
    /// Active_EP_req (0x0005).
    ActiveEpReq {
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
    },
    /// Active_EP_rsp (0x8005).
    ActiveEpRsp {
        /// Status.
        status: Status,
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// ActiveEPList (ActiveEPCount is its length).
        endpoints: &'a [u8],
    },
    /// Match_Desc_req (0x0006): which endpoints serve this profile and clusters?
    MatchDescReq {
        /// NWKAddrOfInterest (often a broadcast address).
        nwk_addr_of_interest: u16,
        /// ProfileID.
        profile_id: u16,
        /// InClusterList.
        input_clusters: U16List<'a>,
        /// OutClusterList.
        output_clusters: U16List<'a>,
    },
    /// Match_Desc_rsp (0x8006).
    MatchDescRsp {
        /// Status.
        status: Status,
        /// NWKAddrOfInterest.
        nwk_addr_of_interest: u16,
        /// MatchList (MatchLength is its length).
        endpoints: &'a [u8],
    },
    /// Device_annce (0x0013): a device announces its addresses after joining.
    DeviceAnnce {
        /// NWKAddr.
        nwk_addr: u16,
        /// IEEEAddr.
        ieee_addr: Eui64,
        /// Capability.
        capability: CapabilityInformation,
    },
    /// Bind_req (0x0021).
    BindReq(BindReq),
    /// Bind_rsp (0x8021).
    BindRsp {
        /// Status.
        status: Status,
    },
    /// Unbind_req (0x0022).
    UnbindReq(BindReq),
    /// Unbind_rsp (0x8022).
    UnbindRsp {
        /// Status.
        status: Status,
    },
    /// Mgmt_Lqi_req (0x0031): read the neighbour table.
    MgmtLqiReq {
        /// StartIndex.
        start_index: u8,
    },
    /// Mgmt_Lqi_rsp (0x8031).
    MgmtLqiRsp {
        /// Status.
        status: Status,
        /// The neighbour table list.
        table: Option<NeighborTableList<'a>>,
    },
    /// Mgmt_Rtg_req (0x0032): read the routing table.
    MgmtRtgReq {
        /// StartIndex.
        start_index: u8,
    },
    /// Mgmt_Rtg_rsp (0x8032).
    MgmtRtgRsp {
        /// Status.
        status: Status,
        /// The routing table list.
        table: Option<RoutingTableList<'a>>,
    },
    /// Mgmt_Leave_req (0x0034): ask a device to leave the network.
    MgmtLeaveReq {
        /// DeviceAddress (all zeros: the receiving device itself).
        device_address: Eui64,
        /// Bit 6 of the flags: remove children too.
        remove_children: bool,
        /// Bit 7 of the flags: rejoin after leaving.
        rejoin: bool,
        /// Bits 0-5 of the flags, reserved; kept so that the frame re-encodes.
        reserved: u8,
    },
    /// Mgmt_Leave_rsp (0x8034).
    MgmtLeaveRsp {
        /// Status.
        status: Status,
    },
    /// Mgmt_Permit_Joining_req (0x0036).
    MgmtPermitJoiningReq {
        /// PermitDuration in seconds (0 closes, 0xFF is no longer allowed from R22).
        permit_duration: u8,
        /// TC_Significance (a Boolean, kept as sent).
        tc_significance: u8,
    },
    /// Mgmt_Permit_Joining_rsp (0x8036).
    MgmtPermitJoiningRsp {
        /// Status.
        status: Status,
    },
    /// Any other cluster, kept as bytes.
    Other {
        /// The cluster id.
        cluster: ClusterId,
        /// The body after the transaction sequence number.
        payload: &'a [u8],
    },
}

/// A ZDP frame (ZigBee R22 2.4.2.8): transaction sequence number and command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZdpFrame<'a> {
    /// Transaction sequence number, echoed by the response.
    pub seq: u8,
    /// The command.
    pub command: ZdpCommand<'a>,
}

/// Reads an optional part that the specification sends only on success.
fn read_if_success<'a, T>(
    r: &mut Reader<'a>,
    status: Status,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if status == Status::Success || !r.is_empty() {
        read(r).map(Some)
    } else {
        Ok(None)
    }
}

fn read_neighbor_table<'a>(r: &mut Reader<'a>) -> Result<NeighborTableList<'a>, DecodeError> {
    let total_entries = r.u8("neighbor table entries")?;
    let start_index = r.u8("start index")?;
    let count = usize::from(r.u8("neighbor table list count")?);
    let bytes = r.bytes(count * NeighborTableEntry::LEN, "neighbor table list")?;
    Ok(NeighborTableList {
        total_entries,
        start_index,
        entries: NeighborTable::new(bytes).unwrap_or_default(),
    })
}

fn read_routing_table<'a>(r: &mut Reader<'a>) -> Result<RoutingTableList<'a>, DecodeError> {
    let total_entries = r.u8("routing table entries")?;
    let start_index = r.u8("start index")?;
    let count = usize::from(r.u8("routing table list count")?);
    let bytes = r.bytes(count * RoutingTableEntry::LEN, "routing table list")?;
    Ok(RoutingTableList {
        total_entries,
        start_index,
        entries: RoutingTable::new(bytes).unwrap_or_default(),
    })
}

fn read_addr_rsp<'a>(r: &mut Reader<'a>) -> Result<AddrRsp<'a>, DecodeError> {
    let status = Status::from(r.u8("status")?);
    let ieee_addr = r.eui64("IEEE address of the remote device")?;
    let nwk_addr = r.u16_le("network address of the remote device")?;
    let associated = if r.is_empty() {
        None
    } else {
        let count = usize::from(r.u8("number of associated devices")?);
        // An empty list may come without StartIndex (R22) or with it (older stacks).
        let start_index = if count > 0 || !r.is_empty() {
            Some(r.u8("start index")?)
        } else {
            None
        };
        let bytes = r.bytes(count * 2, "associated device list")?;
        Some(AssociatedDevices {
            start_index,
            devices: U16List::new(bytes).unwrap_or_default(),
        })
    };
    Ok(AddrRsp {
        status,
        ieee_addr,
        nwk_addr,
        associated,
    })
}

fn read_bind_req(r: &mut Reader<'_>) -> Result<BindReq, DecodeError> {
    let src_addr = r.eui64("source address")?;
    let src_endpoint = r.u8("source endpoint")?;
    let cluster_id = r.u16_le("cluster id")?;
    let mode = r.u8("destination address mode")?;
    let dst = match mode {
        0x01 => BindDestination::Group(r.u16_le("destination group address")?),
        0x03 => BindDestination::Extended {
            address: r.eui64("destination address")?,
            endpoint: r.u8("destination endpoint")?,
        },
        other => {
            return Err(r.invalid(1, "destination address mode", u64::from(other)));
        }
    };
    Ok(BindReq {
        src_addr,
        src_endpoint,
        cluster_id,
        dst,
    })
}

impl<'a> ZdpFrame<'a> {
    /// Decodes the ZDP frame carried in an APS data frame for `cluster`.
    ///
    /// # Errors
    /// A [`DecodeError`] for [`Layer::Zdp`] when the body is truncated, has a
    /// value with no defined layout (a bind destination mode other than 1 or 3),
    /// or has bytes after the last field of a known command.
    pub fn decode(cluster: u16, buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zdp);
        let seq = r.u8("transaction sequence number")?;
        let cluster = ClusterId::from(cluster);
        let r = &mut r;
        let command = match cluster {
            ClusterId::NwkAddrReq => ZdpCommand::NwkAddrReq {
                ieee_addr: r.eui64("IEEE address")?,
                request_type: RequestType::from(r.u8("request type")?),
                start_index: r.u8("start index")?,
            },
            ClusterId::IeeeAddrReq => ZdpCommand::IeeeAddrReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
                request_type: RequestType::from(r.u8("request type")?),
                start_index: r.u8("start index")?,
            },
            ClusterId::NwkAddrRsp => ZdpCommand::NwkAddrRsp(read_addr_rsp(r)?),
            ClusterId::IeeeAddrRsp => ZdpCommand::IeeeAddrRsp(read_addr_rsp(r)?),
            ClusterId::NodeDescReq => ZdpCommand::NodeDescReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
            },
            ClusterId::NodeDescRsp => {
                let status = Status::from(r.u8("status")?);
                let nwk_addr_of_interest = r.u16_le("network address of interest")?;
                ZdpCommand::NodeDescRsp {
                    status,
                    nwk_addr_of_interest,
                    descriptor: read_if_success(r, status, NodeDescriptor::read)?,
                }
            }
            ClusterId::PowerDescReq => ZdpCommand::PowerDescReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
            },
            ClusterId::PowerDescRsp => {
                let status = Status::from(r.u8("status")?);
                let nwk_addr_of_interest = r.u16_le("network address of interest")?;
                ZdpCommand::PowerDescRsp {
                    status,
                    nwk_addr_of_interest,
                    descriptor: read_if_success(r, status, PowerDescriptor::read)?,
                }
            }
            ClusterId::SimpleDescReq => ZdpCommand::SimpleDescReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
                endpoint: r.u8("endpoint")?,
            },
            ClusterId::SimpleDescRsp => {
                let status = Status::from(r.u8("status")?);
                let nwk_addr_of_interest = r.u16_le("network address of interest")?;
                let len = usize::from(r.u8("simple descriptor length")?);
                let start = r.pos();
                let body = r.bytes(len, "simple descriptor")?;
                let descriptor = if len == 0 {
                    None
                } else {
                    let mut sub = Reader::with_base(body, Layer::Zdp, start);
                    let d = SimpleDescriptor::read(&mut sub)?;
                    sub.finish()?;
                    Some(d)
                };
                ZdpCommand::SimpleDescRsp {
                    status,
                    nwk_addr_of_interest,
                    descriptor,
                }
            }
            ClusterId::ActiveEpReq => ZdpCommand::ActiveEpReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
            },
            ClusterId::ActiveEpRsp => {
                let status = Status::from(r.u8("status")?);
                let nwk_addr_of_interest = r.u16_le("network address of interest")?;
                let n = usize::from(r.u8("active endpoint count")?);
                ZdpCommand::ActiveEpRsp {
                    status,
                    nwk_addr_of_interest,
                    endpoints: r.bytes(n, "active endpoint list")?,
                }
            }
            ClusterId::MatchDescReq => ZdpCommand::MatchDescReq {
                nwk_addr_of_interest: r.u16_le("network address of interest")?,
                profile_id: r.u16_le("profile id")?,
                input_clusters: read_u16_list(r, "input cluster count", "input cluster list")?,
                output_clusters: read_u16_list(r, "output cluster count", "output cluster list")?,
            },
            ClusterId::MatchDescRsp => {
                let status = Status::from(r.u8("status")?);
                let nwk_addr_of_interest = r.u16_le("network address of interest")?;
                let n = usize::from(r.u8("match length")?);
                ZdpCommand::MatchDescRsp {
                    status,
                    nwk_addr_of_interest,
                    endpoints: r.bytes(n, "match list")?,
                }
            }
            ClusterId::DeviceAnnce => ZdpCommand::DeviceAnnce {
                nwk_addr: r.u16_le("network address")?,
                ieee_addr: r.eui64("IEEE address")?,
                capability: CapabilityInformation::from_byte(r.u8("capability")?),
            },
            ClusterId::BindReq => ZdpCommand::BindReq(read_bind_req(r)?),
            ClusterId::UnbindReq => ZdpCommand::UnbindReq(read_bind_req(r)?),
            ClusterId::BindRsp => ZdpCommand::BindRsp {
                status: Status::from(r.u8("status")?),
            },
            ClusterId::UnbindRsp => ZdpCommand::UnbindRsp {
                status: Status::from(r.u8("status")?),
            },
            ClusterId::MgmtLqiReq => ZdpCommand::MgmtLqiReq {
                start_index: r.u8("start index")?,
            },
            ClusterId::MgmtLqiRsp => {
                let status = Status::from(r.u8("status")?);
                ZdpCommand::MgmtLqiRsp {
                    status,
                    table: read_if_success(r, status, read_neighbor_table)?,
                }
            }
            ClusterId::MgmtRtgReq => ZdpCommand::MgmtRtgReq {
                start_index: r.u8("start index")?,
            },
            ClusterId::MgmtRtgRsp => {
                let status = Status::from(r.u8("status")?);
                ZdpCommand::MgmtRtgRsp {
                    status,
                    table: read_if_success(r, status, read_routing_table)?,
                }
            }
            ClusterId::MgmtLeaveReq => {
                let device_address = r.eui64("device address")?;
                let flags = r.u8("leave flags")?;
                ZdpCommand::MgmtLeaveReq {
                    device_address,
                    remove_children: flags & 0x40 != 0,
                    rejoin: flags & 0x80 != 0,
                    reserved: flags & 0x3f,
                }
            }
            ClusterId::MgmtLeaveRsp => ZdpCommand::MgmtLeaveRsp {
                status: Status::from(r.u8("status")?),
            },
            ClusterId::MgmtPermitJoiningReq => ZdpCommand::MgmtPermitJoiningReq {
                permit_duration: r.u8("permit duration")?,
                tc_significance: r.u8("trust center significance")?,
            },
            ClusterId::MgmtPermitJoiningRsp => ZdpCommand::MgmtPermitJoiningRsp {
                status: Status::from(r.u8("status")?),
            },
            other => ZdpCommand::Other {
                cluster: other,
                payload: r.rest(),
            },
        };
        r.finish()?;
        Ok(Self { seq, command })
    }

    /// The APS cluster id this frame travels on.
    #[must_use]
    pub fn cluster(&self) -> ClusterId {
        self.command.cluster()
    }
}

impl ZdpCommand<'_> {
    /// The APS cluster id of the command.
    #[must_use]
    pub fn cluster(&self) -> ClusterId {
        match self {
            Self::NwkAddrReq { .. } => ClusterId::NwkAddrReq,
            Self::IeeeAddrReq { .. } => ClusterId::IeeeAddrReq,
            Self::NwkAddrRsp(_) => ClusterId::NwkAddrRsp,
            Self::IeeeAddrRsp(_) => ClusterId::IeeeAddrRsp,
            Self::NodeDescReq { .. } => ClusterId::NodeDescReq,
            Self::NodeDescRsp { .. } => ClusterId::NodeDescRsp,
            Self::PowerDescReq { .. } => ClusterId::PowerDescReq,
            Self::PowerDescRsp { .. } => ClusterId::PowerDescRsp,
            Self::SimpleDescReq { .. } => ClusterId::SimpleDescReq,
            Self::SimpleDescRsp { .. } => ClusterId::SimpleDescRsp,
            Self::ActiveEpReq { .. } => ClusterId::ActiveEpReq,
            Self::ActiveEpRsp { .. } => ClusterId::ActiveEpRsp,
            Self::MatchDescReq { .. } => ClusterId::MatchDescReq,
            Self::MatchDescRsp { .. } => ClusterId::MatchDescRsp,
            Self::DeviceAnnce { .. } => ClusterId::DeviceAnnce,
            Self::BindReq(_) => ClusterId::BindReq,
            Self::BindRsp { .. } => ClusterId::BindRsp,
            Self::UnbindReq(_) => ClusterId::UnbindReq,
            Self::UnbindRsp { .. } => ClusterId::UnbindRsp,
            Self::MgmtLqiReq { .. } => ClusterId::MgmtLqiReq,
            Self::MgmtLqiRsp { .. } => ClusterId::MgmtLqiRsp,
            Self::MgmtRtgReq { .. } => ClusterId::MgmtRtgReq,
            Self::MgmtRtgRsp { .. } => ClusterId::MgmtRtgRsp,
            Self::MgmtLeaveReq { .. } => ClusterId::MgmtLeaveReq,
            Self::MgmtLeaveRsp { .. } => ClusterId::MgmtLeaveRsp,
            Self::MgmtPermitJoiningReq { .. } => ClusterId::MgmtPermitJoiningReq,
            Self::MgmtPermitJoiningRsp { .. } => ClusterId::MgmtPermitJoiningRsp,
            Self::Other { cluster, .. } => *cluster,
        }
    }

    /// The status of a decoded response; `None` for requests, Device_annce
    /// and [`ZdpCommand::Other`].
    #[must_use]
    pub fn status(&self) -> Option<Status> {
        match self {
            Self::NwkAddrRsp(a) | Self::IeeeAddrRsp(a) => Some(a.status),
            Self::NodeDescRsp { status, .. }
            | Self::PowerDescRsp { status, .. }
            | Self::SimpleDescRsp { status, .. }
            | Self::ActiveEpRsp { status, .. }
            | Self::MatchDescRsp { status, .. }
            | Self::BindRsp { status }
            | Self::UnbindRsp { status }
            | Self::MgmtLqiRsp { status, .. }
            | Self::MgmtRtgRsp { status, .. }
            | Self::MgmtLeaveRsp { status }
            | Self::MgmtPermitJoiningRsp { status } => Some(*status),
            _ => None,
        }
    }

    /// Number of bytes of the body.
    fn body_len(&self) -> usize {
        match self {
            Self::NwkAddrReq { .. } => 10,
            Self::IeeeAddrReq { .. } => 4,
            Self::NwkAddrRsp(a) | Self::IeeeAddrRsp(a) => {
                11 + a.associated.map_or(0, |s| {
                    1 + usize::from(s.start_index.is_some()) + s.devices.as_bytes().len()
                })
            }
            Self::NodeDescReq { .. }
            | Self::PowerDescReq { .. }
            | Self::ActiveEpReq { .. }
            | Self::MgmtPermitJoiningReq { .. } => 2,
            Self::NodeDescRsp { descriptor, .. } => {
                3 + descriptor.map_or(0, |_| NodeDescriptor::LEN)
            }
            Self::PowerDescRsp { descriptor, .. } => {
                3 + descriptor.map_or(0, |_| PowerDescriptor::LEN)
            }
            Self::SimpleDescReq { .. } => 3,
            Self::SimpleDescRsp { descriptor, .. } => {
                4 + descriptor.as_ref().map_or(0, Encode::encoded_len)
            }
            Self::ActiveEpRsp { endpoints, .. } | Self::MatchDescRsp { endpoints, .. } => {
                4 + endpoints.len()
            }
            Self::MatchDescReq {
                input_clusters,
                output_clusters,
                ..
            } => 6 + input_clusters.as_bytes().len() + output_clusters.as_bytes().len(),
            Self::DeviceAnnce { .. } => 11,
            Self::BindReq(b) | Self::UnbindReq(b) => match b.dst {
                BindDestination::Group(_) => 14,
                BindDestination::Extended { .. } => 21,
            },
            Self::BindRsp { .. }
            | Self::UnbindRsp { .. }
            | Self::MgmtLeaveRsp { .. }
            | Self::MgmtPermitJoiningRsp { .. }
            | Self::MgmtLqiReq { .. }
            | Self::MgmtRtgReq { .. } => 1,
            Self::MgmtLqiRsp { table, .. } => {
                1 + table.map_or(0, |t| 3 + t.entries.as_bytes().len())
            }
            Self::MgmtRtgRsp { table, .. } => {
                1 + table.map_or(0, |t| 3 + t.entries.as_bytes().len())
            }
            Self::MgmtLeaveReq { .. } => 9,
            Self::Other { payload, .. } => payload.len(),
        }
    }

    /// Rejects what the decoder would not give back.
    fn check(&self) -> Result<(), EncodeError> {
        let missing = |field| Err(EncodeError::inconsistent(Layer::Zdp, field));
        match self {
            Self::NwkAddrRsp(a) | Self::IeeeAddrRsp(a) => {
                if let Some(s) = a.associated {
                    count_u8(s.devices.len(), "number of associated devices")?;
                    if s.start_index.is_none() && !s.devices.is_empty() {
                        return missing("start index");
                    }
                }
            }
            Self::NodeDescRsp {
                status, descriptor, ..
            } => match descriptor {
                Some(d) => d.check()?,
                None if *status == Status::Success => return missing("node descriptor"),
                None => {}
            },
            Self::PowerDescRsp {
                status, descriptor, ..
            } => match descriptor {
                Some(d) => {
                    d.bytes()?;
                }
                None if *status == Status::Success => return missing("power descriptor"),
                None => {}
            },
            Self::SimpleDescRsp {
                descriptor: Some(d),
                ..
            } => {
                d.check()?;
                count_u8(d.encoded_len(), "simple descriptor length")?;
            }
            Self::ActiveEpRsp { endpoints, .. } => {
                count_u8(endpoints.len(), "active endpoint count")?;
            }
            Self::MatchDescRsp { endpoints, .. } => {
                count_u8(endpoints.len(), "match length")?;
            }
            Self::MatchDescReq {
                input_clusters,
                output_clusters,
                ..
            } => {
                count_u8(input_clusters.len(), "input cluster count")?;
                count_u8(output_clusters.len(), "output cluster count")?;
            }
            Self::MgmtLqiRsp { status, table } => match table {
                Some(t) => {
                    count_u8(t.entries.len(), "neighbor table list count")?;
                }
                None if *status == Status::Success => return missing("neighbor table list"),
                None => {}
            },
            Self::MgmtRtgRsp { status, table } => match table {
                Some(t) => {
                    count_u8(t.entries.len(), "routing table list count")?;
                }
                None if *status == Status::Success => return missing("routing table list"),
                None => {}
            },
            Self::MgmtLeaveReq { reserved, .. } if *reserved > 0x3f => {
                return Err(EncodeError::unrepresentable(
                    Layer::Zdp,
                    "leave flags reserved bits",
                    u64::from(*reserved),
                ));
            }
            // A named command decodes to its own variant, never to `Other`.
            Self::Other { cluster, .. } if is_decoded(*cluster) => return missing("cluster id"),
            _ => {}
        }
        Ok(())
    }

    /// Writes the body; runs after `check`, so every count fits its byte.
    fn put<B: BufMut>(&self, out: &mut B) {
        match self {
            Self::NwkAddrReq {
                ieee_addr,
                request_type,
                start_index,
            } => {
                out.put_slice(&ieee_addr.to_le_bytes());
                out.put_u8(request_type.value());
                out.put_u8(*start_index);
            }
            Self::IeeeAddrReq {
                nwk_addr_of_interest,
                request_type,
                start_index,
            } => {
                out.put_u16_le(*nwk_addr_of_interest);
                out.put_u8(request_type.value());
                out.put_u8(*start_index);
            }
            Self::NwkAddrRsp(a) | Self::IeeeAddrRsp(a) => {
                out.put_u8(a.status.value());
                out.put_slice(&a.ieee_addr.to_le_bytes());
                out.put_u16_le(a.nwk_addr);
                if let Some(s) = a.associated {
                    out.put_u8(u8::try_from(s.devices.len()).unwrap_or(u8::MAX));
                    if let Some(i) = s.start_index {
                        out.put_u8(i);
                    }
                    out.put_slice(s.devices.as_bytes());
                }
            }
            Self::NodeDescReq {
                nwk_addr_of_interest,
            }
            | Self::PowerDescReq {
                nwk_addr_of_interest,
            }
            | Self::ActiveEpReq {
                nwk_addr_of_interest,
            } => out.put_u16_le(*nwk_addr_of_interest),
            Self::NodeDescRsp {
                status,
                nwk_addr_of_interest,
                descriptor,
            } => {
                out.put_u8(status.value());
                out.put_u16_le(*nwk_addr_of_interest);
                if let Some(d) = descriptor {
                    d.put(out);
                }
            }
            Self::PowerDescRsp {
                status,
                nwk_addr_of_interest,
                descriptor,
            } => {
                out.put_u8(status.value());
                out.put_u16_le(*nwk_addr_of_interest);
                if let Some(b) = descriptor.and_then(|d| d.bytes().ok()) {
                    out.put_slice(&b);
                }
            }
            Self::SimpleDescReq {
                nwk_addr_of_interest,
                endpoint,
            } => {
                out.put_u16_le(*nwk_addr_of_interest);
                out.put_u8(*endpoint);
            }
            Self::SimpleDescRsp {
                status,
                nwk_addr_of_interest,
                descriptor,
            } => {
                out.put_u8(status.value());
                out.put_u16_le(*nwk_addr_of_interest);
                match descriptor {
                    Some(d) => {
                        out.put_u8(u8::try_from(d.encoded_len()).unwrap_or(u8::MAX));
                        d.put(out);
                    }
                    None => out.put_u8(0),
                }
            }
            Self::ActiveEpRsp {
                status,
                nwk_addr_of_interest,
                endpoints,
            }
            | Self::MatchDescRsp {
                status,
                nwk_addr_of_interest,
                endpoints,
            } => {
                out.put_u8(status.value());
                out.put_u16_le(*nwk_addr_of_interest);
                out.put_u8(u8::try_from(endpoints.len()).unwrap_or(u8::MAX));
                out.put_slice(endpoints);
            }
            Self::MatchDescReq {
                nwk_addr_of_interest,
                profile_id,
                input_clusters,
                output_clusters,
            } => {
                out.put_u16_le(*nwk_addr_of_interest);
                out.put_u16_le(*profile_id);
                for list in [input_clusters, output_clusters] {
                    out.put_u8(u8::try_from(list.len()).unwrap_or(u8::MAX));
                    out.put_slice(list.as_bytes());
                }
            }
            Self::DeviceAnnce {
                nwk_addr,
                ieee_addr,
                capability,
            } => {
                out.put_u16_le(*nwk_addr);
                out.put_slice(&ieee_addr.to_le_bytes());
                out.put_u8(capability.to_byte());
            }
            Self::BindReq(b) | Self::UnbindReq(b) => {
                out.put_slice(&b.src_addr.to_le_bytes());
                out.put_u8(b.src_endpoint);
                out.put_u16_le(b.cluster_id);
                out.put_u8(b.dst.mode());
                match b.dst {
                    BindDestination::Group(g) => out.put_u16_le(g),
                    BindDestination::Extended { address, endpoint } => {
                        out.put_slice(&address.to_le_bytes());
                        out.put_u8(endpoint);
                    }
                }
            }
            Self::BindRsp { status }
            | Self::UnbindRsp { status }
            | Self::MgmtLeaveRsp { status }
            | Self::MgmtPermitJoiningRsp { status } => out.put_u8(status.value()),
            Self::MgmtLqiReq { start_index } | Self::MgmtRtgReq { start_index } => {
                out.put_u8(*start_index);
            }
            Self::MgmtLqiRsp { status, table } => {
                out.put_u8(status.value());
                if let Some(t) = table {
                    out.put_u8(t.total_entries);
                    out.put_u8(t.start_index);
                    out.put_u8(u8::try_from(t.entries.len()).unwrap_or(u8::MAX));
                    out.put_slice(t.entries.as_bytes());
                }
            }
            Self::MgmtRtgRsp { status, table } => {
                out.put_u8(status.value());
                if let Some(t) = table {
                    out.put_u8(t.total_entries);
                    out.put_u8(t.start_index);
                    out.put_u8(u8::try_from(t.entries.len()).unwrap_or(u8::MAX));
                    out.put_slice(t.entries.as_bytes());
                }
            }
            Self::MgmtLeaveReq {
                device_address,
                remove_children,
                rejoin,
                reserved,
            } => {
                out.put_slice(&device_address.to_le_bytes());
                out.put_u8(
                    (reserved & 0x3f)
                        | (u8::from(*remove_children) << 6)
                        | (u8::from(*rejoin) << 7),
                );
            }
            Self::MgmtPermitJoiningReq {
                permit_duration,
                tc_significance,
            } => {
                out.put_u8(*permit_duration);
                out.put_u8(*tc_significance);
            }
            Self::Other { payload, .. } => out.put_slice(payload),
        }
    }
}

/// Whether `ZdpFrame::decode` gives `cluster` its own variant.
fn is_decoded(cluster: ClusterId) -> bool {
    matches!(
        cluster,
        ClusterId::NwkAddrReq
            | ClusterId::IeeeAddrReq
            | ClusterId::NwkAddrRsp
            | ClusterId::IeeeAddrRsp
            | ClusterId::NodeDescReq
            | ClusterId::NodeDescRsp
            | ClusterId::PowerDescReq
            | ClusterId::PowerDescRsp
            | ClusterId::SimpleDescReq
            | ClusterId::SimpleDescRsp
            | ClusterId::ActiveEpReq
            | ClusterId::ActiveEpRsp
            | ClusterId::MatchDescReq
            | ClusterId::MatchDescRsp
            | ClusterId::DeviceAnnce
            | ClusterId::BindReq
            | ClusterId::BindRsp
            | ClusterId::UnbindReq
            | ClusterId::UnbindRsp
            | ClusterId::MgmtLqiReq
            | ClusterId::MgmtLqiRsp
            | ClusterId::MgmtRtgReq
            | ClusterId::MgmtRtgRsp
            | ClusterId::MgmtLeaveReq
            | ClusterId::MgmtLeaveRsp
            | ClusterId::MgmtPermitJoiningReq
            | ClusterId::MgmtPermitJoiningRsp
    )
}

impl Encode for ZdpFrame<'_> {
    fn encoded_len(&self) -> usize {
        1 + self.command.body_len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.command.check()?;
        ensure_room(out, self.encoded_len(), Layer::Zdp)?;
        out.put_u8(self.seq);
        self.command.put(out);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
