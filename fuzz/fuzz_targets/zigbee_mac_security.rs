#![no_main]
//! `mac::security::decrypt` with the fixed IEEE 802.15.4-2006 Annex C key;
//! the first byte chooses the FCS mode, the frame's extended source address
//! (or the Annex C device's) is the nonce source. A frame that decrypts is
//! secured again from its plaintext and must give its own bytes back.

use libfuzzer_sys::fuzz_target;
use smets_core::Eui64;
use smets_zigbee::mac::{FcsMode, MacAddress, MacFrame, security};
use smets_zigbee::security::Key128;

/// The Annex C device address, acde480000000001.
const ANNEX_C_SOURCE: u64 = 0xacde_4800_0000_0001;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, frame)) = data.split_first() else {
        return;
    };
    let fcs = smets_fuzz::fcs_mode(selector);
    let source = match MacFrame::decode(frame, fcs) {
        Ok(MacFrame {
            src: Some(MacAddress::Extended(e)),
            ..
        }) => e,
        _ => Eui64::from_le_bytes(ANNEX_C_SOURCE.to_le_bytes()),
    };
    let key = Key128::new(smets_fuzz::MAC_KEY);
    let mut out = [0u8; 256];
    let Ok(n) = security::decrypt(frame, fcs, &key, source, &mut out) else {
        return;
    };
    let plain = out.get(..n).expect("decrypt returns a length within out");
    let decoded = MacFrame::decode(frame, fcs).expect("a decrypted frame decodes");
    let mic = decoded.security.map_or(0, |s| s.control.level.mic_len());
    if !decoded.payload_ies.is_empty() || decoded.payload.len() != plain.len() + mic {
        return;
    }
    let clear = MacFrame {
        payload: plain,
        ..decoded
    };
    let mut again = [0u8; 300];
    let m = security::secure(&clear, fcs, &key, source, &mut again)
        .expect("a frame that decrypts secures again");
    let again = again.get(..m).expect("secure returns a length within out");
    if fcs == FcsMode::Present && decoded.fcs.is_some_and(|f| !f.valid) {
        let body = frame.len() - 2;
        assert_eq!(again.get(..body), frame.get(..body));
    } else {
        assert_eq!(again, frame);
    }
});
