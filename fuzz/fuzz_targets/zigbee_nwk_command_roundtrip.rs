#![no_main]
//! A decoded NWK command encodes, decodes back to itself and re-encodes to the input
//! bytes.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::nwk::NwkCommand;

fuzz_target!(|data: &[u8]| {
    let Ok(x) = NwkCommand::decode(data) else {
        return;
    };
    let bytes = x.to_vec().expect("a decoded NWK command encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    let y = NwkCommand::decode(&bytes).expect("an encoded NWK command decodes");
    assert_eq!(x, y);
    assert_eq!(bytes, data);
});
