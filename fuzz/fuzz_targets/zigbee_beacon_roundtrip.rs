#![no_main]
//! A decoded MAC beacon payload encodes, decodes back to itself and
//! re-encodes to the input bytes; the same for a ZigBee beacon payload.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::mac::Beacon;
use smets_zigbee::nwk::ZigbeeBeacon;

fuzz_target!(|data: &[u8]| {
    if let Ok(x) = Beacon::decode(data) {
        let bytes = x.to_vec().expect("a decoded beacon encodes");
        assert_eq!(bytes.len(), x.encoded_len());
        assert_eq!(Beacon::fields_len(data), Ok(x.fields_encoded_len()));
        let y = Beacon::decode(&bytes).expect("an encoded beacon decodes");
        assert_eq!(x, y);
        assert_eq!(bytes, data);
    }
    if let Ok(x) = ZigbeeBeacon::decode(data) {
        let bytes = x.to_vec().expect("a decoded ZigBee beacon encodes");
        assert_eq!(bytes.len(), x.encoded_len());
        let y = ZigbeeBeacon::decode(&bytes).expect("an encoded ZigBee beacon decodes");
        assert_eq!(x, y);
        assert_eq!(bytes, data);
    }
});
