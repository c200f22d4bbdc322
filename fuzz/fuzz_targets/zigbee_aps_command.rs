#![no_main]
//! `ApsCommand::decode` and `decode_prefix`, and the frame a tunnel carries.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::aps::ApsCommand;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = ApsCommand::decode(data) {
        let _ = c.id();
        let _ = c.tunneled_frame();
    }
    let _ = ApsCommand::decode_prefix(data);
});
