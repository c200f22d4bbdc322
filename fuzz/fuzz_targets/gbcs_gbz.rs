#![no_main]
//! `smets_gbcs::gbz::GbzPayload::decode_as`: the input is read as a GBZ
//! payload of each form (command or response, alert). A decoded payload
//! re-encodes to the input; every component re-encodes to its own bytes, at
//! the offset the iterator gives; every ZCL command in clear decodes or
//! fails inside its payload; an encrypted component's ciphered information
//! starts with 0x31 where it says. Errors stay inside the input.

use libfuzzer_sys::fuzz_target;
use smets_core::Encode;
use smets_gbcs::gbz::{ComponentBody, GbzKind, GbzPayload};

fuzz_target!(|data: &[u8]| {
    for kind in [GbzKind::CommandOrResponse, GbzKind::Alert] {
        let p = match GbzPayload::decode_as(data, kind) {
            Ok(p) => p,
            Err(e) => {
                assert!(e.offset <= data.len(), "offset {} past {}", e.offset, data.len());
                continue;
            }
        };
        assert_eq!(p.header.kind(), kind);
        assert_eq!(p.encoded_len(), data.len());
        assert_eq!(p.to_vec().expect("a decoded payload re-encodes"), data);
        let mut end = p.header.encoded_len();
        for (at, c) in p.components_with_offsets() {
            assert_eq!(at, end, "components back to back");
            let bytes = c.to_vec().expect("a decoded component re-encodes");
            assert_eq!(bytes.len(), c.encoded_len());
            assert_eq!(&data[at..at + bytes.len()], &bytes[..]);
            end = at + bytes.len();
            match &c.body {
                ComponentBody::Plain(f) => {
                    if let Err(e) = c.zcl_command() {
                        assert!(e.offset <= f.payload.len());
                    }
                }
                ComponentBody::Encrypted(e) => {
                    let off = c.ciphered_offset().expect("an encrypted component");
                    assert_eq!(data[at + off], 0x31);
                    assert_eq!(e.ciphered.encoded_len() + off, bytes.len());
                    // The ciphertext read as a plaintext must not panic either.
                    if let Err(err) = c.decrypted_command(e.ciphered.ciphertext) {
                        assert!(err.offset <= e.ciphered.ciphertext.len());
                    }
                }
            }
        }
        if p.components().len() > 0 {
            assert_eq!(end, data.len(), "components fill the payload");
        }
    }
});
