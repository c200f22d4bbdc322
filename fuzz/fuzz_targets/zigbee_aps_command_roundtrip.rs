#![no_main]
//! A decoded APS command encodes, decodes back to itself and re-encodes to the input
//! bytes.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::aps::ApsCommand;

fuzz_target!(|data: &[u8]| {
    let Ok(x) = ApsCommand::decode(data) else {
        return;
    };
    let bytes = x.to_vec().expect("a decoded APS command encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = ApsCommand::decode(&bytes).expect("an encoded APS command decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, data);
});
