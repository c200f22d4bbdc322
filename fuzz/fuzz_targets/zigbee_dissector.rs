#![no_main]
//! The `Dissector` with the key ring of the public vectors, fed every frame of
//! the input in turn (length-prefixed, see `smets_fuzz::frames`), so learned
//! keys, address maps, frame counters and reassembly carry over; then a
//! restart and a second pass, as the CLI's two-pass mode does.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut d = smets_fuzz::dissector();
    for _pass in 0..2 {
        for (frame, fcs) in smets_fuzz::frames(data) {
            let _ = d.dissect(frame, fcs);
        }
        d.restart();
    }
});
