#![no_main]
//! `Beacon::decode` over a MAC beacon payload.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::mac::Beacon;

fuzz_target!(|data: &[u8]| {
    let _ = Beacon::decode(data);
    let _ = Beacon::fields_len(data);
});
