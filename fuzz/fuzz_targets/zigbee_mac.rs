#![no_main]
//! `MacFrame::decode`, with or without an FCS as the first byte says.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::mac::MacFrame;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, frame)) = data.split_first() else {
        return;
    };
    if let Ok(f) = MacFrame::decode(frame, smets_fuzz::fcs_mode(selector)) {
        let _ = f.header_len();
        let _ = f.header_ie_list().count();
        let _ = f.payload_ie_list().count();
        let _ = f.payload_ies_follow();
    }
});
