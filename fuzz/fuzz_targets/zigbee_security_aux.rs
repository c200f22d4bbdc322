#![no_main]
//! The auxiliary security headers: ZigBee `AuxHeader::decode` and the MAC
//! `MacAuxHeader::decode`.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Eui64};
use smets_zigbee::mac::MacAuxHeader;
use smets_zigbee::security::{AuxHeader, SecurityLevel};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = AuxHeader::decode(data) {
        let source = h.source.unwrap_or(Eui64::from_le_bytes([0; 8]));
        let _ = h.nonce(source, SecurityLevel::ZIGBEE_PRO);
    }
    if let Ok(h) = MacAuxHeader::decode(data) {
        let _ = h.nonce(Eui64::from_le_bytes([0; 8]));
    }
});
