#![no_main]
//! A decoded APS frame encodes, decodes back to itself and re-encodes to the input
//! bytes.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::aps::ApsFrame;

fuzz_target!(|data: &[u8]| {
    let Ok(x) = ApsFrame::decode(data) else {
        return;
    };
    let bytes = x.to_vec().expect("a decoded APS frame encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = ApsFrame::decode(&bytes).expect("an encoded APS frame decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, data);
});
