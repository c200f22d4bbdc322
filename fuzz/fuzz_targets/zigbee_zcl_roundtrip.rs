#![no_main]
//! A decoded ZCL frame encodes, decodes back to itself and re-encodes to the input
//! bytes.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::zcl::ZclFrame;

fuzz_target!(|data: &[u8]| {
    let Ok(x) = ZclFrame::decode(data) else {
        return;
    };
    let bytes = x.to_vec().expect("a decoded ZCL frame encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = ZclFrame::decode(&bytes).expect("an encoded ZCL frame decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, data);
});
