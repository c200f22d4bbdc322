#![no_main]
//! `ZdpFrame::decode`: the first two bytes are the cluster ID (little endian).

use libfuzzer_sys::fuzz_target;
use smets_zigbee::zdp::ZdpFrame;

fuzz_target!(|data: &[u8]| {
    let [lo, hi, body @ ..] = data else {
        return;
    };
    if let Ok(f) = ZdpFrame::decode(u16::from_le_bytes([*lo, *hi]), body) {
        let _ = f.cluster();
        let _ = f.command.status();
    }
});
