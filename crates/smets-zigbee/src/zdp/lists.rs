//! Borrowed lists inside ZDP frames (ZigBee R22 2.4.3, 2.4.4): 16-bit values
//! (cluster ids, network addresses), the Mgmt_Lqi_rsp neighbour table list and
//! the Mgmt_Rtg_rsp routing table list. Each is a view over the frame's bytes
//! whose length was checked when the frame was decoded.

use core::iter::FusedIterator;

use smets_core::{Eui64, open_enum};

/// A list of 16-bit values sent least significant byte first (cluster ids in
/// a simple descriptor or Match_Desc_req, network addresses in an associated
/// device list), borrowed from the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct U16List<'a> {
    bytes: &'a [u8],
}

impl<'a> U16List<'a> {
    /// A list over `bytes`, two per value; `None` for an odd length.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len().is_multiple_of(2) {
            Some(Self { bytes })
        } else {
            None
        }
    }

    /// Number of values.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.bytes.len() / 2
    }

    /// Whether the list is empty.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The value at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<u16> {
        let start = index.checked_mul(2)?;
        match self.bytes.get(start..start.checked_add(2)?) {
            Some([lo, hi]) => Some(u16::from_le_bytes([*lo, *hi])),
            _ => None,
        }
    }

    /// The values in order.
    #[must_use]
    pub fn iter(&self) -> U16Iter<'a> {
        U16Iter {
            chunks: self.bytes.chunks_exact(2),
        }
    }

    /// The wire bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<'a> IntoIterator for U16List<'a> {
    type Item = u16;
    type IntoIter = U16Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over a [`U16List`].
#[derive(Debug, Clone)]
pub struct U16Iter<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl Iterator for U16Iter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        match self.chunks.next()? {
            [lo, hi] => Some(u16::from_le_bytes([*lo, *hi])),
            _ => None,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for U16Iter<'_> {}
impl FusedIterator for U16Iter<'_> {}

open_enum! {
    /// Device type of a neighbour (ZigBee R22 table 2.126).
    pub enum NeighborDeviceType: u8 {
        /// ZigBee coordinator.
        Coordinator = 0 => "coordinator",
        /// ZigBee router.
        Router = 1 => "router",
        /// ZigBee end device.
        EndDevice = 2 => "end_device",
        /// Not known.
        NotKnown = 3 => "unknown",
    }
}

open_enum! {
    /// Whether a neighbour's receiver is on when idle (ZigBee R22 table 2.126).
    pub enum RxOnWhenIdle: u8 {
        /// Receiver off when idle.
        Off = 0 => "off",
        /// Receiver on when idle.
        On = 1 => "on",
        /// Not known.
        NotKnown = 2 => "unknown",
    }
}

open_enum! {
    /// Relationship of a neighbour to the reporting device (ZigBee R22 table 2.126).
    pub enum Relationship: u8 {
        /// The neighbour is the parent.
        Parent = 0 => "parent",
        /// The neighbour is a child.
        Child = 1 => "child",
        /// The neighbour is a sibling.
        Sibling = 2 => "sibling",
        /// None of the above.
        NoRelationship = 3 => "none",
        /// A previous child.
        PreviousChild = 4 => "previous_child",
        /// An unauthenticated child (R21 and later).
        UnauthenticatedChild = 5 => "unauthenticated_child",
    }
}

open_enum! {
    /// Whether a neighbour accepts join requests (ZigBee R22 table 2.126).
    pub enum PermitJoining: u8 {
        /// Not accepting join requests.
        NotAccepting = 0 => "not_accepting",
        /// Accepting join requests.
        Accepting = 1 => "accepting",
        /// Not known.
        NotKnown = 2 => "unknown",
    }
}

/// One NeighborTableList record of Mgmt_Lqi_rsp (ZigBee R22 2.4.4.4.2, table 2.126): 22 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NeighborTableEntry {
    /// Extended PAN id of the neighbour's network.
    pub extended_pan_id: Eui64,
    /// IEEE address of the neighbour.
    pub extended_address: Eui64,
    /// Network address of the neighbour.
    pub network_address: u16,
    /// Bits 0-1 of byte 18.
    pub device_type: NeighborDeviceType,
    /// Bits 2-3 of byte 18.
    pub rx_on_when_idle: RxOnWhenIdle,
    /// Bits 4-6 of byte 18.
    pub relationship: Relationship,
    /// Bit 7 of byte 18, reserved; kept so that the entry re-encodes.
    pub reserved1: bool,
    /// Bits 0-1 of byte 19.
    pub permit_joining: PermitJoining,
    /// Bits 2-7 of byte 19, reserved; kept so that the entry re-encodes.
    pub reserved2: u8,
    /// Tree depth of the neighbour (0 for the coordinator).
    pub depth: u8,
    /// Estimated link quality for reception from the neighbour.
    pub lqi: u8,
}

impl NeighborTableEntry {
    /// Length of an entry on the wire.
    pub const LEN: usize = 22;

    /// Decodes an entry.
    #[must_use]
    pub fn from_bytes(b: &[u8; Self::LEN]) -> Self {
        let [
            p0,
            p1,
            p2,
            p3,
            p4,
            p5,
            p6,
            p7,
            e0,
            e1,
            e2,
            e3,
            e4,
            e5,
            e6,
            e7,
            n0,
            n1,
            flags,
            permit,
            depth,
            lqi,
        ] = *b;
        Self {
            extended_pan_id: Eui64::from_le_bytes([p0, p1, p2, p3, p4, p5, p6, p7]),
            extended_address: Eui64::from_le_bytes([e0, e1, e2, e3, e4, e5, e6, e7]),
            network_address: u16::from_le_bytes([n0, n1]),
            device_type: NeighborDeviceType::from(flags & 0x03),
            rx_on_when_idle: RxOnWhenIdle::from((flags >> 2) & 0x03),
            relationship: Relationship::from((flags >> 4) & 0x07),
            reserved1: flags & 0x80 != 0,
            permit_joining: PermitJoining::from(permit & 0x03),
            reserved2: permit >> 2,
            depth,
            lqi,
        }
    }

    /// Encodes the entry; `None` when a field does not fit its bits.
    #[must_use]
    pub fn to_bytes(&self) -> Option<[u8; Self::LEN]> {
        let device_type = self.device_type.value();
        let rx = self.rx_on_when_idle.value();
        let rel = self.relationship.value();
        let permit = self.permit_joining.value();
        if device_type > 3 || rx > 3 || rel > 7 || permit > 3 || self.reserved2 > 0x3f {
            return None;
        }
        let mut out = [0u8; Self::LEN];
        let (pan, rest) = out.split_at_mut(8);
        pan.copy_from_slice(&self.extended_pan_id.to_le_bytes());
        let (ext, rest) = rest.split_at_mut(8);
        ext.copy_from_slice(&self.extended_address.to_le_bytes());
        if let [n0, n1, flags, permit_byte, depth, lqi] = rest {
            [*n0, *n1] = self.network_address.to_le_bytes();
            *flags = device_type | (rx << 2) | (rel << 4) | (u8::from(self.reserved1) << 7);
            *permit_byte = permit | (self.reserved2 << 2);
            *depth = self.depth;
            *lqi = self.lqi;
        }
        Some(out)
    }
}

open_enum! {
    /// Status of a route (ZigBee R22 table 2.128).
    pub enum RouteStatus: u8 {
        /// Active.
        Active = 0 => "active",
        /// Route discovery underway.
        DiscoveryUnderway = 1 => "discovery_underway",
        /// Route discovery failed.
        DiscoveryFailed = 2 => "discovery_failed",
        /// Inactive.
        Inactive = 3 => "inactive",
        /// Validation underway.
        ValidationUnderway = 4 => "validation_underway",
    }
}

/// One RoutingTableList record of Mgmt_Rtg_rsp (ZigBee R22 2.4.4.4.3, table 2.128): 5 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RoutingTableEntry {
    /// Network address of the destination.
    pub destination: u16,
    /// Bits 0-2 of the flags byte.
    pub status: RouteStatus,
    /// Bit 3: the device is memory constrained.
    pub memory_constrained: bool,
    /// Bit 4: the destination is a concentrator that issued a many-to-one request.
    pub many_to_one: bool,
    /// Bit 5: a route record must be sent before the next data frame.
    pub route_record_required: bool,
    /// Bits 6-7, reserved; kept so that the entry re-encodes.
    pub reserved: u8,
    /// Network address of the next hop.
    pub next_hop: u16,
}

impl RoutingTableEntry {
    /// Length of an entry on the wire.
    pub const LEN: usize = 5;

    /// Decodes an entry.
    #[must_use]
    pub fn from_bytes(b: &[u8; Self::LEN]) -> Self {
        let [d0, d1, flags, h0, h1] = *b;
        Self {
            destination: u16::from_le_bytes([d0, d1]),
            status: RouteStatus::from(flags & 0x07),
            memory_constrained: flags & 0x08 != 0,
            many_to_one: flags & 0x10 != 0,
            route_record_required: flags & 0x20 != 0,
            reserved: flags >> 6,
            next_hop: u16::from_le_bytes([h0, h1]),
        }
    }

    /// Encodes the entry; `None` when a field does not fit its bits.
    #[must_use]
    pub fn to_bytes(&self) -> Option<[u8; Self::LEN]> {
        let status = self.status.value();
        if status > 7 || self.reserved > 3 {
            return None;
        }
        let [d0, d1] = self.destination.to_le_bytes();
        let [h0, h1] = self.next_hop.to_le_bytes();
        let flags = status
            | (u8::from(self.memory_constrained) << 3)
            | (u8::from(self.many_to_one) << 4)
            | (u8::from(self.route_record_required) << 5)
            | (self.reserved << 6);
        Some([d0, d1, flags, h0, h1])
    }
}

/// A run of fixed-size records borrowed from a frame: the neighbour table
/// list of Mgmt_Lqi_rsp or the routing table list of Mgmt_Rtg_rsp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordList<'a, T> {
    bytes: &'a [u8],
    record: core::marker::PhantomData<T>,
}

impl<T> Default for RecordList<'_, T> {
    fn default() -> Self {
        Self {
            bytes: &[],
            record: core::marker::PhantomData,
        }
    }
}

/// A record type of a [`RecordList`].
pub trait Record: Sized {
    /// Length on the wire.
    const LEN: usize;
    /// Decodes one record from exactly `LEN` bytes.
    fn from_slice(bytes: &[u8]) -> Option<Self>;
}

impl Record for NeighborTableEntry {
    const LEN: usize = Self::LEN;
    fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self::from_bytes)
    }
}

impl Record for RoutingTableEntry {
    const LEN: usize = Self::LEN;
    fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self::from_bytes)
    }
}

impl<'a, T: Record> RecordList<'a, T> {
    /// A list over `bytes`; `None` unless the length is a multiple of the record length.
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        bytes.len().is_multiple_of(T::LEN).then_some(Self {
            bytes,
            record: core::marker::PhantomData,
        })
    }

    /// Number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len() / T::LEN
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The record at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<T> {
        let start = index.checked_mul(T::LEN)?;
        T::from_slice(self.bytes.get(start..start.checked_add(T::LEN)?)?)
    }

    /// The records in order.
    #[must_use]
    pub fn iter(&self) -> RecordIter<'a, T> {
        RecordIter {
            chunks: self.bytes.chunks_exact(T::LEN),
            record: core::marker::PhantomData,
        }
    }

    /// The wire bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl<'a, T: Record> IntoIterator for RecordList<'a, T> {
    type Item = T;
    type IntoIter = RecordIter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over a [`RecordList`].
#[derive(Debug, Clone)]
pub struct RecordIter<'a, T> {
    chunks: core::slice::ChunksExact<'a, u8>,
    record: core::marker::PhantomData<T>,
}

impl<T: Record> Iterator for RecordIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        T::from_slice(self.chunks.next()?)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl<T: Record> ExactSizeIterator for RecordIter<'_, T> {}
impl<T: Record> FusedIterator for RecordIter<'_, T> {}

/// The neighbour table list of Mgmt_Lqi_rsp.
pub type NeighborTable<'a> = RecordList<'a, NeighborTableEntry>;

/// The routing table list of Mgmt_Rtg_rsp.
pub type RoutingTable<'a> = RecordList<'a, RoutingTableEntry>;
