#![no_main]
//! A decoded MAC frame (FCS mode from the first byte) encodes, decodes back
//! to itself and re-encodes to the input bytes; `encode_with_fcs` gives a
//! frame with a valid FCS and the same content.

use libfuzzer_sys::fuzz_target;
use smets_core::Encode;
use smets_zigbee::mac::{FcsMode, MacFrame};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, frame)) = data.split_first() else {
        return;
    };
    let fcs = smets_fuzz::fcs_mode(selector);
    let Ok(x) = MacFrame::decode(frame, fcs) else {
        return;
    };
    let bytes = x.to_vec().expect("a decoded MAC frame encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = MacFrame::decode(&bytes, fcs).expect("an encoded MAC frame decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, frame);

    let mut with_fcs = Vec::new();
    x.encode_with_fcs(&mut with_fcs)
        .expect("a decoded MAC frame encodes with an FCS");
    let z = MacFrame::decode(&with_fcs, FcsMode::Present).expect("a frame with its FCS decodes");
    assert!(z.fcs.is_some_and(|f| f.valid));
    assert_eq!(MacFrame { fcs: None, ..z }, MacFrame { fcs: None, ..x });
});
