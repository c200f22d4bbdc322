#![no_main]
//! `smets_gbcs::protected::protected_parts`: the first byte picks the CRA
//! flag, the rest is a GBCS content. Every part found lies inside the
//! content, starts with security control 0x31 and holds at least the
//! security header and the tag; the iterator ends after an error, whose
//! offset is inside the content.

use libfuzzer_sys::fuzz_target;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::protected::protected_parts;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, content)) = data.split_first() else {
        return;
    };
    let cra = CraFlag::from(1 + sel % 3);
    let mut parts = protected_parts(content, cra);
    let mut last_end = 0;
    for part in parts.by_ref() {
        match part {
            Ok(p) => {
                let r = p.range();
                assert!(r.end <= content.len(), "{r:?} past {}", content.len());
                assert!(r.start >= last_end, "parts in order, apart");
                assert_eq!(content[r.start], 0x31);
                assert!(p.ciphered_len >= 5 + 12);
                assert_eq!(p.plaintext_len() + 5 + 12, p.ciphered_len);
                last_end = r.end;
            }
            Err(e) => {
                assert!(e.offset <= content.len(), "offset {} past {}", e.offset, content.len());
                break;
            }
        }
    }
    assert!(parts.next().is_none(), "nothing after an error or the end");
});
