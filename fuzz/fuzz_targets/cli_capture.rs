#![no_main]
//! `smets_cli::capture::open`, then every record, its MAC frame and FCS
//! check, and the secrets of a pcapng file.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(capture) = smets_cli::capture::open(data) else {
        return;
    };
    let _ = capture.format();
    let _ = capture.zigbee_secrets();
    for r in capture.records().take(10_000).flatten() {
        let _ = r.mac_frame();
        let _ = r.fcs_ok();
    }
});
