#![no_main]
//! `smets_dlms::axdr::Data`: any bytes decode or fail with an offset inside
//! the input (hostile nesting stops at the depth limit, never the stack);
//! what decodes re-encodes in the canonical form, which decodes to the same
//! value and re-encodes to itself; `skip` ends where decoding ends. Every
//! nested value, compact-array elements included, iterates without a panic.

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_dlms::axdr::Data;

/// Visits the values under `d`, depth first, until `budget` runs out (a
/// walk costs the nodes times their depth); returns how many it visited.
fn walk(d: &Data<'_>, budget: &mut usize) -> usize {
    if *budget == 0 {
        return 0;
    }
    *budget -= 1;
    let mut n = 1;
    if let Some(e) = d.elements() {
        let len = e.len();
        let mut seen = 0;
        for x in e {
            n += walk(&x, budget);
            seen += 1;
        }
        assert_eq!(seen, len);
    }
    if let Data::CompactArray(c) = d {
        // Unpacking checks the whole contents first, so iterating cannot fail.
        if let Ok(e) = c.elements() {
            for x in e {
                n += walk(&x, budget);
            }
        }
    }
    n
}

fuzz_target!(|data: &[u8]| {
    match Data::decode_at(data, 0) {
        Err(e) => {
            assert!(e.offset <= data.len(), "offset {} past {}", e.offset, data.len());
            assert!(Data::skip(data).is_err());
        }
        Ok((value, end)) => {
            assert!(end <= data.len());
            assert!(walk(&value, &mut 4096) >= 1);
            assert_eq!(Data::skip(data).expect("skips what decodes"), end);
            let bytes = value.to_vec().expect("a decoded value encodes");
            assert!(bytes.len() <= end, "the canonical form is never longer");
            let again = Data::decode(&bytes).expect("the canonical form decodes");
            assert_eq!(again, value);
            assert_eq!(again.to_vec().expect("encodes"), bytes);
        }
    }
});
