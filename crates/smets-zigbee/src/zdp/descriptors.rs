//! ZigBee device descriptors as ZDP carries them (ZigBee R22 2.3.2): the node,
//! power and simple descriptors, and the bit fields inside them.
//!
//! Complex and user descriptors are not decoded.

use crate::mac::CapabilityInformation;
use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Layer, Reader, ensure_room, open_enum};

use super::lists::U16List;

open_enum! {
    /// Logical type of a node (ZigBee R22 2.3.2.3.1).
    pub enum LogicalType: u8 {
        /// ZigBee coordinator.
        Coordinator = 0 => "coordinator",
        /// ZigBee router.
        Router = 1 => "router",
        /// ZigBee end device.
        EndDevice = 2 => "end_device",
    }
}

/// Frequency bands of a node (ZigBee R22 2.3.2.3.5): five bits, one per band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FrequencyBands(pub u8);

impl FrequencyBands {
    /// Bit 0: 868-868.6 MHz.
    pub const MHZ_868: u8 = 0x01;
    /// Bit 2: 902-928 MHz.
    pub const MHZ_902: u8 = 0x04;
    /// Bit 3: 2400-2483.5 MHz.
    pub const MHZ_2400: u8 = 0x08;
    /// Bit 4: European sub-GHz bands (863-876 and 915-921 MHz).
    pub const EU_SUB_GHZ: u8 = 0x10;

    /// Whether the node operates in the bands of `mask`.
    #[must_use]
    pub const fn contains(self, mask: u8) -> bool {
        self.0 & mask == mask
    }
}

/// The server mask of a node descriptor (ZigBee R22 2.3.2.3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ServerMask(pub u16);

impl ServerMask {
    /// Bit 0: primary Trust Center.
    pub const PRIMARY_TRUST_CENTER: u16 = 0x0001;
    /// Bit 1: backup Trust Center.
    pub const BACKUP_TRUST_CENTER: u16 = 0x0002;
    /// Bit 2: primary binding table cache.
    pub const PRIMARY_BINDING_TABLE_CACHE: u16 = 0x0004;
    /// Bit 3: backup binding table cache.
    pub const BACKUP_BINDING_TABLE_CACHE: u16 = 0x0008;
    /// Bit 4: primary discovery cache.
    pub const PRIMARY_DISCOVERY_CACHE: u16 = 0x0010;
    /// Bit 5: backup discovery cache.
    pub const BACKUP_DISCOVERY_CACHE: u16 = 0x0020;
    /// Bit 6: network manager.
    pub const NETWORK_MANAGER: u16 = 0x0040;

    /// Whether every bit of `mask` is set.
    #[must_use]
    pub const fn contains(self, mask: u16) -> bool {
        self.0 & mask == mask
    }

    /// Bits 9-15: the stack compliance revision (0 before R21, 21, 22, ...).
    #[must_use]
    pub const fn stack_compliance_revision(self) -> u16 {
        self.0 >> 9
    }
}

/// The descriptor capability field of a node descriptor (ZigBee R22 2.3.2.3.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DescriptorCapability(pub u8);

impl DescriptorCapability {
    /// Bit 0: an extended active endpoint list is available.
    #[must_use]
    pub const fn extended_active_endpoint_list(self) -> bool {
        self.0 & 0x01 != 0
    }

    /// Bit 1: an extended simple descriptor list is available.
    #[must_use]
    pub const fn extended_simple_descriptor_list(self) -> bool {
        self.0 & 0x02 != 0
    }
}

/// The node descriptor (ZigBee R22 2.3.2.3): 13 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeDescriptor {
    /// Bits 0-2 of byte 0.
    pub logical_type: LogicalType,
    /// Bit 3 of byte 0: a complex descriptor is available.
    pub complex_descriptor_available: bool,
    /// Bit 4 of byte 0: a user descriptor is available.
    pub user_descriptor_available: bool,
    /// Bits 5-7 of byte 0, reserved; kept so that the descriptor re-encodes.
    pub reserved: u8,
    /// Bits 0-2 of byte 1: APS flags (unused, 0).
    pub aps_flags: u8,
    /// Bits 3-7 of byte 1.
    pub frequency_bands: FrequencyBands,
    /// MAC capability flags.
    pub mac_capability: CapabilityInformation,
    /// Manufacturer code allocated by the ZigBee Alliance.
    pub manufacturer_code: u16,
    /// Largest NSDU the node can take, in bytes.
    pub max_buffer_size: u8,
    /// Largest ASDU the node can receive, in bytes (with fragmentation).
    pub max_incoming_transfer_size: u16,
    /// System server capabilities and stack compliance revision.
    pub server_mask: ServerMask,
    /// Largest ASDU the node can send, in bytes (with fragmentation).
    pub max_outgoing_transfer_size: u16,
    /// Descriptor capability field.
    pub descriptor_capability: DescriptorCapability,
}

impl NodeDescriptor {
    /// Length on the wire.
    pub const LEN: usize = 13;

    /// Reads a descriptor from the front of `r`.
    ///
    /// # Errors
    /// A truncation error from the reader.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let b0 = r.u8("node descriptor logical type")?;
        let b1 = r.u8("node descriptor frequency band")?;
        Ok(Self {
            logical_type: LogicalType::from(b0 & 0x07),
            complex_descriptor_available: b0 & 0x08 != 0,
            user_descriptor_available: b0 & 0x10 != 0,
            reserved: b0 >> 5,
            aps_flags: b1 & 0x07,
            frequency_bands: FrequencyBands(b1 >> 3),
            mac_capability: CapabilityInformation::from_byte(r.u8("MAC capability flags")?),
            manufacturer_code: r.u16_le("manufacturer code")?,
            max_buffer_size: r.u8("maximum buffer size")?,
            max_incoming_transfer_size: r.u16_le("maximum incoming transfer size")?,
            server_mask: ServerMask(r.u16_le("server mask")?),
            max_outgoing_transfer_size: r.u16_le("maximum outgoing transfer size")?,
            descriptor_capability: DescriptorCapability(r.u8("descriptor capability")?),
        })
    }

    pub(super) fn check(&self) -> Result<(), EncodeError> {
        let logical_type = self.logical_type.value();
        if logical_type > 0x07 {
            return Err(EncodeError::unrepresentable(
                Layer::Zdp,
                "logical type",
                u64::from(logical_type),
            ));
        }
        if self.reserved > 0x07 {
            return Err(EncodeError::unrepresentable(
                Layer::Zdp,
                "node descriptor reserved bits",
                u64::from(self.reserved),
            ));
        }
        if self.aps_flags > 0x07 {
            return Err(EncodeError::unrepresentable(
                Layer::Zdp,
                "APS flags",
                u64::from(self.aps_flags),
            ));
        }
        if self.frequency_bands.0 > 0x1f {
            return Err(EncodeError::unrepresentable(
                Layer::Zdp,
                "frequency band",
                u64::from(self.frequency_bands.0),
            ));
        }
        Ok(())
    }

    pub(super) fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(
            (self.logical_type.value() & 0x07)
                | (u8::from(self.complex_descriptor_available) << 3)
                | (u8::from(self.user_descriptor_available) << 4)
                | (self.reserved << 5),
        );
        out.put_u8(self.aps_flags | (self.frequency_bands.0 << 3));
        out.put_u8(self.mac_capability.to_byte());
        out.put_u16_le(self.manufacturer_code);
        out.put_u8(self.max_buffer_size);
        out.put_u16_le(self.max_incoming_transfer_size);
        out.put_u16_le(self.server_mask.0);
        out.put_u16_le(self.max_outgoing_transfer_size);
        out.put_u8(self.descriptor_capability.0);
    }
}

impl Decode<'_> for NodeDescriptor {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zdp);
        let d = Self::read(&mut r)?;
        r.finish()?;
        Ok(d)
    }
}

impl Encode for NodeDescriptor {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, Self::LEN, Layer::Zdp)?;
        self.put(out);
        Ok(())
    }
}

open_enum! {
    /// Current power mode (ZigBee R22 2.3.2.4.1).
    pub enum PowerMode: u8 {
        /// Receiver synchronised with the receiver-on-when-idle subfield.
        RxOnWhenIdle = 0 => "rx_on_when_idle",
        /// Receiver comes on periodically.
        Periodic = 1 => "periodic",
        /// Receiver comes on when stimulated, e.g. by a user pressing a button.
        Stimulated = 2 => "stimulated",
    }
}

open_enum! {
    /// Current power source level (ZigBee R22 2.3.2.4.4).
    pub enum PowerLevel: u8 {
        /// Critical.
        Critical = 0 => "critical",
        /// 33 %.
        Percent33 = 4 => "percent_33",
        /// 66 %.
        Percent66 = 8 => "percent_66",
        /// 100 %.
        Percent100 = 12 => "percent_100",
    }
}

/// Power sources as a four-bit set (ZigBee R22 2.3.2.4.2-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PowerSources(pub u8);

impl PowerSources {
    /// Bit 0: constant (mains) power.
    pub const MAINS: u8 = 0x01;
    /// Bit 1: rechargeable battery.
    pub const RECHARGEABLE_BATTERY: u8 = 0x02;
    /// Bit 2: disposable battery.
    pub const DISPOSABLE_BATTERY: u8 = 0x04;

    /// Whether every source of `mask` is in the set.
    #[must_use]
    pub const fn contains(self, mask: u8) -> bool {
        self.0 & mask == mask
    }
}

/// The power descriptor (ZigBee R22 2.3.2.4): 2 bytes of four-bit fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PowerDescriptor {
    /// Bits 0-3 of byte 0.
    pub current_power_mode: PowerMode,
    /// Bits 4-7 of byte 0.
    pub available_power_sources: PowerSources,
    /// Bits 0-3 of byte 1.
    pub current_power_source: PowerSources,
    /// Bits 4-7 of byte 1.
    pub current_power_source_level: PowerLevel,
}

impl PowerDescriptor {
    /// Length on the wire.
    pub const LEN: usize = 2;

    /// Reads a descriptor from the front of `r`.
    ///
    /// # Errors
    /// A truncation error from the reader.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let b0 = r.u8("power descriptor power mode")?;
        let b1 = r.u8("power descriptor power source")?;
        Ok(Self {
            current_power_mode: PowerMode::from(b0 & 0x0f),
            available_power_sources: PowerSources(b0 >> 4),
            current_power_source: PowerSources(b1 & 0x0f),
            current_power_source_level: PowerLevel::from(b1 >> 4),
        })
    }

    pub(super) fn bytes(&self) -> Result<[u8; 2], EncodeError> {
        let nibbles = [
            ("current power mode", self.current_power_mode.value()),
            ("available power sources", self.available_power_sources.0),
            ("current power source", self.current_power_source.0),
            (
                "current power source level",
                self.current_power_source_level.value(),
            ),
        ];
        for (field, v) in nibbles {
            if v > 0x0f {
                return Err(EncodeError::unrepresentable(
                    Layer::Zdp,
                    field,
                    u64::from(v),
                ));
            }
        }
        Ok([
            self.current_power_mode.value() | (self.available_power_sources.0 << 4),
            self.current_power_source.0 | (self.current_power_source_level.value() << 4),
        ])
    }
}

impl Decode<'_> for PowerDescriptor {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zdp);
        let d = Self::read(&mut r)?;
        r.finish()?;
        Ok(d)
    }
}

impl Encode for PowerDescriptor {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let b = self.bytes()?;
        ensure_room(out, Self::LEN, Layer::Zdp)?;
        out.put_slice(&b);
        Ok(())
    }
}

/// The simple descriptor of one endpoint (ZigBee R22 2.3.2.5).
///
/// `endpoint (1) | profile (2) | device id (2) | version (1) | in count (1) | in clusters | out count (1) | out clusters`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SimpleDescriptor<'a> {
    /// Endpoint (1-254).
    pub endpoint: u8,
    /// Application profile identifier (0x0109 Smart Energy, 0x0104 HA, ...).
    pub profile_id: u16,
    /// Application device identifier.
    pub device_id: u16,
    /// Application device version in bits 0-3; bits 4-7 are reserved and kept as sent.
    pub device_version: u8,
    /// Input (server) clusters.
    pub input_clusters: U16List<'a>,
    /// Output (client) clusters.
    pub output_clusters: U16List<'a>,
}

/// Reads a one-byte count followed by that many 16-bit values.
pub(super) fn read_u16_list<'a>(
    r: &mut Reader<'a>,
    count_field: &'static str,
    list_field: &'static str,
) -> Result<U16List<'a>, DecodeError> {
    let n = usize::from(r.u8(count_field)?);
    let bytes = r.bytes(n * 2, list_field)?;
    U16List::new(bytes).ok_or_else(|| r.invalid(bytes.len(), list_field, bytes.len() as u64))
}

/// Checks that a list fits a one-byte count.
pub(super) fn count_u8(len: usize, field: &'static str) -> Result<u8, EncodeError> {
    u8::try_from(len).map_err(|_| EncodeError::unrepresentable(Layer::Zdp, field, len as u64))
}

impl<'a> SimpleDescriptor<'a> {
    /// Reads a descriptor from the front of `r`.
    ///
    /// # Errors
    /// A truncation error from the reader.
    pub fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            endpoint: r.u8("endpoint")?,
            profile_id: r.u16_le("application profile identifier")?,
            device_id: r.u16_le("application device identifier")?,
            device_version: r.u8("application device version")?,
            input_clusters: read_u16_list(r, "input cluster count", "input cluster list")?,
            output_clusters: read_u16_list(r, "output cluster count", "output cluster list")?,
        })
    }

    pub(super) fn check(&self) -> Result<(), EncodeError> {
        count_u8(self.input_clusters.len(), "input cluster count")?;
        count_u8(self.output_clusters.len(), "output cluster count")?;
        Ok(())
    }

    /// Writes the descriptor; runs after `check`, so both counts fit their byte.
    pub(super) fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.endpoint);
        out.put_u16_le(self.profile_id);
        out.put_u16_le(self.device_id);
        out.put_u8(self.device_version);
        for list in [self.input_clusters, self.output_clusters] {
            out.put_u8(u8::try_from(list.len()).unwrap_or(u8::MAX));
            out.put_slice(list.as_bytes());
        }
    }
}

impl<'a> Decode<'a> for SimpleDescriptor<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zdp);
        let d = Self::read(&mut r)?;
        r.finish()?;
        Ok(d)
    }
}

impl Encode for SimpleDescriptor<'_> {
    fn encoded_len(&self) -> usize {
        8 + self.input_clusters.as_bytes().len() + self.output_clusters.as_bytes().len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, self.encoded_len(), Layer::Zdp)?;
        self.put(out);
        Ok(())
    }
}
