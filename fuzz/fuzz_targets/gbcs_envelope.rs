#![no_main]
//! `smets_gbcs::envelope::GbcsMessage`: any bytes decode or fail with an
//! offset inside the input; what decodes re-encodes to the same bytes
//! (non-minimal BER lengths are kept, so the bytes are exact) and decodes
//! again to the same value.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_gbcs::envelope::GbcsMessage;

fuzz_target!(|data: &[u8]| {
    match GbcsMessage::decode(data) {
        Err(e) => assert!(
            e.offset <= data.len(),
            "offset {} past {}",
            e.offset,
            data.len()
        ),
        Ok(msg) => {
            assert_eq!(msg.encoded_len(), data.len());
            let bytes = msg.to_vec().expect("a decoded message encodes");
            assert_eq!(bytes, data);
            assert_eq!(GbcsMessage::decode(&bytes).expect("re-decodes"), msg);
        }
    }
});
