#![no_main]
//! `NwkCommand::decode` over a NWK command payload.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_zigbee::nwk::NwkCommand;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = NwkCommand::decode(data) {
        let _ = c.id();
        match c {
            NwkCommand::RouteRecord(r) => {
                let _ = r.relays().count();
            }
            NwkCommand::LinkStatus(l) => {
                let _ = l.entries().count();
            }
            NwkCommand::NetworkReport(r) => {
                let _ = r.pan_ids().count();
            }
            NwkCommand::NetworkUpdate(u) => {
                let _ = u.pan_ids().count();
            }
            NwkCommand::LinkPowerDelta(l) => {
                let _ = l.entries().count();
            }
            _ => {}
        }
    }
});
