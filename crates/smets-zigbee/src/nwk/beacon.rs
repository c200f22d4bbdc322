//! The ZigBee beacon payload (ZigBee R22 3.6.7, table 3.67): the 15 bytes a
//! ZigBee router or coordinator puts in the payload of an IEEE 802.15.4 beacon.
//!
//! The 802.15.4 beacon around it (superframe, GTS, pending addresses) is the MAC layer's.

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

const LAYER: Layer = Layer::NwkBeacon;

open_enum! {
    /// Stack profile (ZigBee R22 3.6.7, `nwkStackProfile`).
    pub enum StackProfile: u8 {
        /// Network-specific stack profile.
        NetworkSpecific = 0 => "network_specific",
        /// ZigBee (the 2006 "home" stack profile).
        Zigbee = 1 => "zigbee",
        /// ZigBee PRO, which Smart Energy uses.
        ZigbeePro = 2 => "zigbee_pro",
    }
}

/// The ZigBee beacon payload (ZigBee R22 3.6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZigbeeBeacon {
    /// Protocol identifier: 0 for ZigBee.
    pub protocol_id: u8,
    /// Stack profile (bits 0–3 of the second byte).
    pub stack_profile: StackProfile,
    /// `nwkcProtocolVersion` (bits 4–7 of the second byte): 2 for ZigBee PRO.
    pub protocol_version: u8,
    /// Reserved bits 0–1 of the third byte, as a two-bit value.
    pub reserved: u8,
    /// Router capacity (bit 2 of the third byte): the device accepts routers.
    pub router_capacity: bool,
    /// Device depth (bits 3–6 of the third byte).
    pub device_depth: u8,
    /// End device capacity (bit 7 of the third byte): the device accepts end devices.
    pub end_device_capacity: bool,
    /// Extended PAN identifier (`nwkExtendedPANId`).
    pub extended_pan_id: Eui64,
    /// TX offset (24 bits; 0xFFFFFF in beaconless networks).
    pub tx_offset: u32,
    /// `nwkUpdateId`.
    pub update_id: u8,
}

impl ZigbeeBeacon {
    /// Length of the beacon payload.
    pub const LEN: usize = 15;

    /// Reads the beacon payload from the front of `r`, leaving any bytes after it.
    ///
    /// # Errors
    /// A truncation error when fewer than 15 bytes are left.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let protocol_id = r.u8("protocol identifier")?;
        let b1 = r.u8("stack profile")?;
        let b2 = r.u8("device capacity")?;
        let extended_pan_id = r.eui64("extended PAN identifier")?;
        let tx = r.array::<3>("tx offset")?;
        let [t0, t1, t2] = tx;
        let update_id = r.u8("update identifier")?;
        Ok(Self {
            protocol_id,
            stack_profile: StackProfile::from(b1 & 0x0f),
            protocol_version: b1 >> 4,
            reserved: b2 & 0x03,
            router_capacity: b2 & 0x04 != 0,
            device_depth: (b2 >> 3) & 0x0f,
            end_device_capacity: b2 & 0x80 != 0,
            extended_pan_id,
            tx_offset: u32::from_le_bytes([t0, t1, t2, 0]),
            update_id,
        })
    }

    fn check(&self) -> Result<(), EncodeError> {
        let fits = |field: &'static str, value: u64, max: u64| {
            if value > max {
                Err(EncodeError::unrepresentable(LAYER, field, value))
            } else {
                Ok(())
            }
        };
        fits("stack profile", u64::from(self.stack_profile.value()), 0x0f)?;
        fits("protocol version", u64::from(self.protocol_version), 0x0f)?;
        fits("reserved bits", u64::from(self.reserved), 0x03)?;
        fits("device depth", u64::from(self.device_depth), 0x0f)?;
        fits("tx offset", u64::from(self.tx_offset), 0x00ff_ffff)
    }
}

impl Decode<'_> for ZigbeeBeacon {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        let b = Self::read(&mut r)?;
        r.finish()?;
        Ok(b)
    }
}

impl Encode for ZigbeeBeacon {
    fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, Self::LEN, LAYER)?;
        out.put_u8(self.protocol_id);
        out.put_u8(self.stack_profile.value() | (self.protocol_version << 4));
        out.put_u8(
            self.reserved
                | (u8::from(self.router_capacity) << 2)
                | (self.device_depth << 3)
                | (u8::from(self.end_device_capacity) << 7),
        );
        out.put_slice(&self.extended_pan_id.to_le_bytes());
        let [t0, t1, t2, _] = self.tx_offset.to_le_bytes();
        out.put_slice(&[t0, t1, t2]);
        out.put_u8(self.update_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use proptest::prelude::*;

    /// scapy zigbee-join-authenticate frame 3: the beacon payload after the
    /// superframe specification, GTS and pending address fields.
    const SCAPY_BEACON: [u8; 15] = [
        0x00, 0x22, 0x84, 0x73, 0x65, 0x6e, 0x73, 0x6f, 0x72, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00,
    ];

    #[test]
    fn scapy_join_beacon() {
        let b = ZigbeeBeacon::decode(&SCAPY_BEACON).unwrap();
        assert_eq!(b.protocol_id, 0);
        assert_eq!(b.stack_profile, StackProfile::ZigbeePro);
        assert_eq!(b.stack_profile.label(), Some("zigbee_pro"));
        assert_eq!(b.protocol_version, 2);
        assert_eq!(b.reserved, 0);
        assert!(b.router_capacity);
        assert_eq!(b.device_depth, 0);
        assert!(b.end_device_capacity);
        assert_eq!(
            alloc::format!("{}", b.extended_pan_id),
            "00:00:72:6f:73:6e:65:73"
        );
        assert_eq!(b.tx_offset, 0x00ff_ffff);
        assert_eq!(b.update_id, 0);
        assert_eq!(b.to_vec().unwrap(), SCAPY_BEACON);
        for cut in 0..SCAPY_BEACON.len() {
            assert!(ZigbeeBeacon::decode(&SCAPY_BEACON[..cut]).is_err());
        }
        let mut longer = SCAPY_BEACON.to_vec();
        longer.push(0);
        assert!(ZigbeeBeacon::decode(&longer).is_err());
        let mut r = Reader::new(&longer, LAYER);
        assert_eq!(ZigbeeBeacon::read(&mut r).unwrap(), b);
        assert_eq!(r.remaining(), 1);
    }

    #[test]
    fn encode_rejects_values_wider_than_their_fields() {
        let b = ZigbeeBeacon::decode(&SCAPY_BEACON).unwrap();
        assert!(
            ZigbeeBeacon {
                tx_offset: 0x0100_0000,
                ..b
            }
            .to_vec()
            .is_err()
        );
        assert!(
            ZigbeeBeacon {
                device_depth: 16,
                ..b
            }
            .to_vec()
            .is_err()
        );
        assert!(
            ZigbeeBeacon {
                stack_profile: StackProfile::Unknown(0x10),
                ..b
            }
            .to_vec()
            .is_err()
        );
        let mut small = [0u8; 14];
        assert!(b.encode(&mut &mut small[..]).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(
            protocol_id in any::<u8>(),
            b1 in any::<u8>(),
            b2 in any::<u8>(),
            epid in any::<u64>(),
            tx_offset in 0u32..=0x00ff_ffff,
            update_id in any::<u8>(),
        ) {
            let b = ZigbeeBeacon {
                protocol_id,
                stack_profile: StackProfile::from(b1 & 0x0f),
                protocol_version: b1 >> 4,
                reserved: b2 & 0x03,
                router_capacity: b2 & 0x04 != 0,
                device_depth: (b2 >> 3) & 0x0f,
                end_device_capacity: b2 & 0x80 != 0,
                extended_pan_id: Eui64(epid),
                tx_offset,
                update_id,
            };
            let bytes = b.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), ZigbeeBeacon::LEN);
            prop_assert_eq!(bytes[1], b1);
            prop_assert_eq!(bytes[2], b2);
            prop_assert_eq!(ZigbeeBeacon::decode(&bytes).unwrap(), b);
        }
    }
}
