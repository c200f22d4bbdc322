#![no_main]
//! `MacCommand::decode` over a MAC command payload.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::mac::MacCommand;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = MacCommand::decode(data) {
        let _ = c.command_id();
    }
});
