#![no_main]
//! `ApsFrame::decode`, then the command of a command frame.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::aps::ApsFrame;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = ApsFrame::decode(data) {
        let _ = f.header_len();
        let _ = f.aux_offset();
        if let Ok(c) = f.command() {
            let _ = c.tunneled_frame();
        }
    }
});
