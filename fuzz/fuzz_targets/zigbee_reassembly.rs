#![no_main]
//! The APS `Reassembler`, driven by a list of blocks: each is source (2
//! bytes), counter, fragmentation, block number, length, payload. Limits are
//! small so eviction and the size cap are reached; a completed message never
//! exceeds the cap and the held bytes never do either.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::aps::{Fragmentation, Reassembler, ReassemblyKey};

const MAX_MESSAGES: usize = 3;
const MAX_BYTES: usize = 200;

fuzz_target!(|data: &[u8]| {
    let mut r = Reassembler::new(MAX_MESSAGES, MAX_BYTES);
    let mut rest = data;
    while let [s0, s1, counter, frag, block, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (payload, after) = tail.split_at(n);
        rest = after;
        let key = ReassemblyKey {
            source: u16::from_le_bytes([*s0, *s1]),
            counter: *counter,
        };
        let fragmentation = Fragmentation::from(*frag);
        let whole = r.push(key, fragmentation, *block, payload);
        let single = fragmentation == Fragmentation::None
            || (fragmentation == Fragmentation::First && *block == 1);
        if let Some(whole) = whole
            && !single
        {
            assert!(whole.len() <= MAX_BYTES, "{} > {MAX_BYTES}", whole.len());
        }
        assert!(r.pending() <= MAX_MESSAGES);
        assert!(r.held_bytes() <= MAX_BYTES);
    }
    r.clear();
    assert_eq!(r.pending(), 0);
});
