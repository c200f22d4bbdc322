#![no_main]
//! A decoded ZDP frame (cluster ID from the first two bytes) encodes, decodes
//! back to itself and re-encodes to the input bytes.

use libfuzzer_sys::fuzz_target;
use smets_core::Encode;
use smets_zigbee::zdp::ZdpFrame;

fuzz_target!(|data: &[u8]| {
    let [lo, hi, body @ ..] = data else {
        return;
    };
    let cluster = u16::from_le_bytes([*lo, *hi]);
    let Ok(x) = ZdpFrame::decode(cluster, body) else {
        return;
    };
    assert_eq!(x.cluster().value(), cluster);
    let bytes = x.to_vec().expect("a decoded ZDP frame encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = ZdpFrame::decode(cluster, &bytes).expect("an encoded ZDP frame decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, body);
});
