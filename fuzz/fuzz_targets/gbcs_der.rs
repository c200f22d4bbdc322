#![no_main]
//! `smets_gbcs::asn1`: the first two bytes are a message code, the third a
//! CRA flag, the rest a DER payload. Any bytes walk or fail with an offset
//! inside the payload, and a walked tree rebuilds to the same bytes. What
//! the dispatch decodes re-encodes and decodes again to the same value; when
//! every element of the payload already has the length form the encoder
//! writes, the re-encoding is the payload itself.

use libfuzzer_sys::fuzz_target;
use smets_core::Encode;
use smets_gbcs::asn1::{decode, length_len, walk};
use smets_gbcs::envelope::CraFlag;

fuzz_target!(|data: &[u8]| {
    let Some((head, payload)) = data.split_first_chunk::<3>() else {
        return;
    };
    let code = u16::from_be_bytes([head[0], head[1]]);
    let cra = CraFlag::from(head[2]);

    let mut encoder_form = true;
    match walk(payload) {
        Err(e) => assert!(e.offset <= payload.len(), "walk offset {}", e.offset),
        Ok(tree) => {
            assert_eq!(tree.as_bytes(), payload);
            assert_eq!(tree.to_vec().expect("a walked tree rebuilds"), payload);
            tree.visit(&mut |t| {
                encoder_form &= t.length_octets() == length_len(t.value().len());
            })
            .expect("a walked tree visits");
        }
    }

    match decode(code, cra, payload) {
        Err(e) => assert!(e.offset <= payload.len(), "decode offset {}", e.offset),
        Ok(p) => {
            let bytes = p.to_vec().expect("a decoded payload encodes");
            assert_eq!(bytes.len(), p.encoded_len());
            assert_eq!(decode(code, cra, &bytes).expect("re-decodes"), p);
            if encoder_form {
                assert_eq!(bytes, payload);
            }
        }
    }
});
