#![no_main]
//! `ZigbeeBeacon::decode` over a beacon payload.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::nwk::ZigbeeBeacon;

fuzz_target!(|data: &[u8]| {
    let _ = ZigbeeBeacon::decode(data);
});
