#![no_main]
//! `ZclFrame::decode`.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::zcl::ZclFrame;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = ZclFrame::decode(data) {
        let _ = f.general_command();
        let _ = f.command_label();
    }
});
