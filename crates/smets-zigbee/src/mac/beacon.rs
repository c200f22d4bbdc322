//! The MAC payload of a 2003/2006 beacon frame (IEEE 802.15.4-2006 7.2.2.1;
//! IEEE 802.15.4-2015 7.3.1): superframe specification, GTS fields, pending
//! addresses and the beacon payload.
//!
//! The beacon payload itself (for ZigBee, the NWK beacon payload) is handed on
//! as bytes; 2015 enhanced beacons carry these fields in IEs instead.

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room};

/// The Superframe Specification field (IEEE 802.15.4-2015 7.3.1.3), 2 bytes LE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SuperframeSpec {
    /// Beacon Order (15: no periodic beacons, as in ZigBee).
    pub beacon_order: u8,
    /// Superframe Order.
    pub superframe_order: u8,
    /// Final CAP Slot.
    pub final_cap_slot: u8,
    /// Battery Life Extension (BLE).
    pub battery_life_extension: bool,
    /// Bit 13, reserved.
    pub reserved: bool,
    /// PAN Coordinator.
    pub pan_coordinator: bool,
    /// Association Permit.
    pub association_permit: bool,
}

impl SuperframeSpec {
    /// From the little-endian field value.
    #[must_use]
    pub fn from_u16(v: u16) -> Self {
        #[allow(clippy::cast_possible_truncation)] // masked to 4 bits
        let nibble = |s: u16| ((v >> s) & 0xf) as u8;
        Self {
            beacon_order: nibble(0),
            superframe_order: nibble(4),
            final_cap_slot: nibble(8),
            battery_life_extension: v & (1 << 12) != 0,
            reserved: v & (1 << 13) != 0,
            pan_coordinator: v & (1 << 14) != 0,
            association_permit: v & (1 << 15) != 0,
        }
    }

    /// The field value (orders and slot masked to 4 bits).
    #[must_use]
    pub fn to_u16(self) -> u16 {
        u16::from(self.beacon_order & 0xf)
            | (u16::from(self.superframe_order & 0xf) << 4)
            | (u16::from(self.final_cap_slot & 0xf) << 8)
            | (u16::from(self.battery_life_extension) << 12)
            | (u16::from(self.reserved) << 13)
            | (u16::from(self.pan_coordinator) << 14)
            | (u16::from(self.association_permit) << 15)
    }
}

/// The GTS Specification field (IEEE 802.15.4-2015 7.3.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GtsSpec {
    /// GTS Descriptor Count (0-7).
    pub descriptor_count: u8,
    /// Bits 3-6, reserved.
    pub reserved: u8,
    /// GTS Permit.
    pub permit: bool,
}

impl GtsSpec {
    /// From the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            descriptor_count: b & 0x7,
            reserved: (b >> 3) & 0xf,
            permit: b & 0x80 != 0,
        }
    }

    /// The byte (values masked to their widths).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.descriptor_count & 0x7) | ((self.reserved & 0xf) << 3) | (u8::from(self.permit) << 7)
    }
}

/// The GTS Directions field (IEEE 802.15.4-2015 7.3.1.5), present when there
/// are GTS descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GtsDirections {
    /// Directions Mask: bit n set = GTS n is receive-only.
    pub mask: u8,
    /// Bit 7, reserved.
    pub reserved: bool,
}

/// One GTS descriptor (IEEE 802.15.4-2015 7.3.1.6): 3 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GtsDescriptor {
    /// Device Short Address.
    pub short_address: u16,
    /// GTS Starting Slot (4 bits).
    pub starting_slot: u8,
    /// GTS Length (4 bits).
    pub length: u8,
}

impl GtsDescriptor {
    /// The 3 bytes on air.
    #[must_use]
    pub fn to_bytes(self) -> [u8; 3] {
        let [lo, hi] = self.short_address.to_le_bytes();
        [
            lo,
            hi,
            (self.starting_slot & 0xf) | ((self.length & 0xf) << 4),
        ]
    }
}

macro_rules! fixed_list {
    ($(#[$m:meta])* $name:ident, $item:ty, $n:expr, |$b:ident| $conv:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name<'a> {
            bytes: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// The list held in `bytes`; `None` unless the length is a whole
            /// number of entries.
            #[must_use]
            pub const fn new(bytes: &'a [u8]) -> Option<Self> {
                if bytes.len() % $n == 0 {
                    Some(Self { bytes })
                } else {
                    None
                }
            }

            /// The raw bytes.
            #[must_use]
            pub const fn as_bytes(&self) -> &'a [u8] {
                self.bytes
            }

            /// Number of entries.
            #[must_use]
            pub const fn len(&self) -> usize {
                self.bytes.len() / $n
            }

            /// Whether the list is empty.
            #[must_use]
            pub const fn is_empty(&self) -> bool {
                self.bytes.is_empty()
            }
        }

        impl Iterator for $name<'_> {
            type Item = $item;

            fn next(&mut self) -> Option<$item> {
                let (head, rest) = self.bytes.split_first_chunk::<$n>()?;
                self.bytes = rest;
                let $b = *head;
                Some($conv)
            }
        }
    };
}

fixed_list!(
    /// GTS descriptors (IEEE 802.15.4-2015 7.3.1.6), 3 bytes each.
    GtsDescriptors, GtsDescriptor, 3, |b| {
        let [lo, hi, slot] = b;
        GtsDescriptor {
            short_address: u16::from_le_bytes([lo, hi]),
            starting_slot: slot & 0xf,
            length: slot >> 4,
        }
    }
);
fixed_list!(
    /// Pending short addresses (IEEE 802.15.4-2015 7.3.1.8), 2 bytes each.
    ShortAddresses, u16, 2, |b| u16::from_le_bytes(b)
);
fixed_list!(
    /// Pending extended addresses (IEEE 802.15.4-2015 7.3.1.8), 8 bytes each, sent
    /// least significant byte first.
    ExtendedAddresses, Eui64, 8, |b| Eui64::from_le_bytes(b)
);

/// The Pending Address Specification field (IEEE 802.15.4-2015 7.3.1.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PendingAddressSpec {
    /// Number of Short Addresses Pending (0-7).
    pub short_count: u8,
    /// Bit 3, reserved.
    pub reserved_3: bool,
    /// Number of Extended Addresses Pending (0-7).
    pub extended_count: u8,
    /// Bit 7, reserved.
    pub reserved_7: bool,
}

impl PendingAddressSpec {
    /// From the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            short_count: b & 0x7,
            reserved_3: b & 0x08 != 0,
            extended_count: (b >> 4) & 0x7,
            reserved_7: b & 0x80 != 0,
        }
    }

    /// The byte (counts masked to 3 bits).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.short_count & 0x7)
            | (u8::from(self.reserved_3) << 3)
            | ((self.extended_count & 0x7) << 4)
            | (u8::from(self.reserved_7) << 7)
    }
}

/// The MAC payload of a beacon frame (IEEE 802.15.4-2015 figure 7-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Beacon<'a> {
    /// Superframe Specification.
    pub superframe: SuperframeSpec,
    /// GTS Specification.
    pub gts_spec: GtsSpec,
    /// GTS Directions, present when the descriptor count is not zero.
    pub gts_directions: Option<GtsDirections>,
    /// GTS List.
    pub gts_descriptors: GtsDescriptors<'a>,
    /// Pending Address Specification.
    pub pending_spec: PendingAddressSpec,
    /// Pending short addresses.
    pub pending_short: ShortAddresses<'a>,
    /// Pending extended addresses.
    pub pending_extended: ExtendedAddresses<'a>,
    /// Beacon Payload (the ZigBee beacon payload, for ZigBee).
    pub payload: &'a [u8],
}

impl<'a> Beacon<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let superframe = SuperframeSpec::from_u16(r.u16_le("superframe specification")?);
        let gts_spec = GtsSpec::from_byte(r.u8("GTS specification")?);
        let count = usize::from(gts_spec.descriptor_count);
        let gts_directions = if count > 0 {
            let b = r.u8("GTS directions")?;
            Some(GtsDirections {
                mask: b & 0x7f,
                reserved: b & 0x80 != 0,
            })
        } else {
            None
        };
        let gts_descriptors = GtsDescriptors {
            bytes: r.bytes(3 * count, "GTS list")?,
        };
        let pending_spec = PendingAddressSpec::from_byte(r.u8("pending address specification")?);
        let pending_short = ShortAddresses {
            bytes: r.bytes(
                2 * usize::from(pending_spec.short_count),
                "pending short addresses",
            )?,
        };
        let pending_extended = ExtendedAddresses {
            bytes: r.bytes(
                8 * usize::from(pending_spec.extended_count),
                "pending extended addresses",
            )?,
        };
        Ok(Self {
            superframe,
            gts_spec,
            gts_directions,
            gts_descriptors,
            pending_spec,
            pending_short,
            pending_extended,
            payload: r.rest(),
        })
    }

    /// Length of the fields before the beacon payload in `buf` (superframe
    /// specification through the pending address list).
    ///
    /// # Errors
    /// Truncation.
    pub fn fields_len(buf: &[u8]) -> Result<usize, DecodeError> {
        let mut r = Reader::new(buf, Layer::Beacon);
        let b = Beacon::read(&mut r)?;
        Ok(buf.len() - b.payload.len())
    }

    /// Length of the fields before the beacon payload.
    #[must_use]
    pub fn fields_encoded_len(&self) -> usize {
        2 + 1
            + usize::from(self.gts_directions.is_some())
            + self.gts_descriptors.as_bytes().len()
            + 1
            + self.pending_short.as_bytes().len()
            + self.pending_extended.as_bytes().len()
    }

    fn check(&self) -> Result<(), EncodeError> {
        let bad = |f| Err(EncodeError::inconsistent(Layer::Beacon, f));
        let sf = self.superframe;
        if sf.beacon_order > 15 || sf.superframe_order > 15 || sf.final_cap_slot > 15 {
            return Err(EncodeError::unrepresentable(
                Layer::Beacon,
                "superframe specification",
                u64::from(
                    sf.beacon_order
                        .max(sf.superframe_order)
                        .max(sf.final_cap_slot),
                ),
            ));
        }
        let g = self.gts_spec;
        if g.descriptor_count > 7 || g.reserved > 15 {
            return Err(EncodeError::unrepresentable(
                Layer::Beacon,
                "GTS specification",
                u64::from(g.descriptor_count.max(g.reserved)),
            ));
        }
        if usize::from(g.descriptor_count) != self.gts_descriptors.len() {
            return bad("GTS descriptor count");
        }
        if self.gts_directions.is_some() != (g.descriptor_count > 0) {
            return bad("GTS directions");
        }
        if self.gts_directions.is_some_and(|d| d.mask > 0x7f) {
            return Err(EncodeError::unrepresentable(
                Layer::Beacon,
                "GTS directions mask",
                u64::from(self.gts_directions.map_or(0, |d| d.mask)),
            ));
        }
        let p = self.pending_spec;
        if p.short_count > 7 || p.extended_count > 7 {
            return Err(EncodeError::unrepresentable(
                Layer::Beacon,
                "pending address specification",
                u64::from(p.short_count.max(p.extended_count)),
            ));
        }
        if usize::from(p.short_count) != self.pending_short.len() {
            return bad("pending short address count");
        }
        if usize::from(p.extended_count) != self.pending_extended.len() {
            return bad("pending extended address count");
        }
        Ok(())
    }
}

impl<'a> Decode<'a> for Beacon<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        Self::read(&mut Reader::new(buf, Layer::Beacon))
    }
}

impl Encode for Beacon<'_> {
    fn encoded_len(&self) -> usize {
        self.fields_encoded_len() + self.payload.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, self.encoded_len(), Layer::Beacon)?;
        out.put_u16_le(self.superframe.to_u16());
        out.put_u8(self.gts_spec.to_byte());
        if let Some(d) = self.gts_directions {
            out.put_u8((d.mask & 0x7f) | (u8::from(d.reserved) << 7));
        }
        out.put_slice(self.gts_descriptors.as_bytes());
        out.put_u8(self.pending_spec.to_byte());
        out.put_slice(self.pending_short.as_bytes());
        out.put_slice(self.pending_extended.as_bytes());
        out.put_slice(self.payload);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn zigator_zigbee_beacon_fields() {
        // zigator 02-mac-testing frame 8: MAC payload of a ZigBee beacon (EPID facefeedbeefcafe).
        let p = hex::decode("ff0f0000002294fecaefbeedfecefaffffff00").unwrap();
        let b = Beacon::decode(&p).unwrap();
        assert_eq!(b.superframe.beacon_order, 15);
        assert_eq!(b.superframe.superframe_order, 15);
        assert_eq!(b.superframe.final_cap_slot, 15);
        assert!(!b.superframe.pan_coordinator && !b.superframe.association_permit);
        assert_eq!(b.gts_directions, None);
        assert!(b.gts_descriptors.is_empty());
        assert_eq!(b.payload.len(), 15);
        assert_eq!(b.payload[0], 0x00); // ZigBee protocol id
        assert_eq!(Beacon::fields_len(&p), Ok(4));
        assert_eq!(b.to_vec().unwrap(), p);
        for cut in 0..4 {
            assert!(Beacon::decode(&p[..cut]).is_err());
        }
    }

    #[test]
    fn gts_fields() {
        // Two GTS descriptors, directions 0b01, one pending short address.
        let p = [
            0xff, 0x4f, 0x82, 0x01, 0x34, 0x12, 0x2a, 0x78, 0x56, 0x13, 0x01, 0xcd, 0xab, 0x99,
        ];
        let b = Beacon::decode(&p).unwrap();
        assert!(b.gts_spec.permit);
        assert_eq!(b.gts_spec.descriptor_count, 2);
        assert_eq!(
            b.gts_directions,
            Some(GtsDirections {
                mask: 1,
                reserved: false
            })
        );
        let d: Vec<_> = b.gts_descriptors.collect();
        assert_eq!(
            d,
            [
                GtsDescriptor {
                    short_address: 0x1234,
                    starting_slot: 0xa,
                    length: 2
                },
                GtsDescriptor {
                    short_address: 0x5678,
                    starting_slot: 3,
                    length: 1
                },
            ]
        );
        assert_eq!(d[0].to_bytes(), [0x34, 0x12, 0x2a]);
        assert_eq!(b.pending_short.collect::<Vec<_>>(), [0xabcd]);
        assert_eq!(b.payload, &[0x99]);
        assert_eq!(b.to_vec().unwrap(), p);
        for cut in 0..13 {
            assert!(Beacon::decode(&p[..cut]).is_err(), "{cut}");
        }
        let mut bad = b;
        bad.gts_spec.descriptor_count = 1;
        assert!(bad.to_vec().is_err());
        let mut bad = b;
        bad.gts_directions = None;
        assert!(bad.to_vec().is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(
            sf in any::<u16>(), gts in any::<u8>(), dirs in any::<u8>(),
            list in prop::collection::vec(any::<u8>(), 21),
            pend in any::<u8>(), addrs in prop::collection::vec(any::<u8>(), 70),
            payload in prop::collection::vec(any::<u8>(), 0..20),
        ) {
            let gts_spec = GtsSpec::from_byte(gts);
            let pending_spec = PendingAddressSpec::from_byte(pend);
            let n = usize::from(gts_spec.descriptor_count);
            let s = usize::from(pending_spec.short_count);
            let e = usize::from(pending_spec.extended_count);
            let b = Beacon {
                superframe: SuperframeSpec::from_u16(sf),
                gts_spec,
                gts_directions: (n > 0).then_some(GtsDirections { mask: dirs & 0x7f, reserved: dirs & 0x80 != 0 }),
                gts_descriptors: GtsDescriptors::new(&list[..3 * n]).unwrap(),
                pending_spec,
                pending_short: ShortAddresses::new(&addrs[..2 * s]).unwrap(),
                pending_extended: ExtendedAddresses::new(&addrs[14..14 + 8 * e]).unwrap(),
                payload: &payload,
            };
            let bytes = b.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), b.encoded_len());
            prop_assert_eq!(Beacon::decode(&bytes).unwrap(), b);
            prop_assert_eq!(Beacon::fields_len(&bytes).unwrap(), b.fields_encoded_len());
        }
    }
}
