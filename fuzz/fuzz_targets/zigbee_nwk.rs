#![no_main]
//! `NwkFrame::decode`.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::nwk::NwkFrame;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = NwkFrame::decode(data) {
        let _ = f.header_len();
        let _ = f.aux_offset();
        let _ = f.is_inter_pan();
        if let Some(r) = f.source_route {
            let _ = r.relays().count();
        }
    }
});
