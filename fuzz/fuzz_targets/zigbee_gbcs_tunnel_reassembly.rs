#![no_main]
//! The `GbcsTunnelReassembler`, driven by a list of Transfer Data payloads:
//! each is source (1 byte), tunnel id (1 byte), length, payload. Limits are
//! small so eviction and the size cap are reached; every message returned
//! whole (not from GBT blocks) has the length its own header announces, and
//! the bounds always hold.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::zcl::tunneling::gbcs::{
    GbcsTunnelKey, GbcsTunnelReassembler, MessageLength, gbcs_message_len,
};

const MAX_MESSAGES: usize = 3;
const MAX_BYTES: usize = 300;

fuzz_target!(|data: &[u8]| {
    let mut r = GbcsTunnelReassembler::new(MAX_MESSAGES, MAX_BYTES);
    let mut rest = data;
    while let [source, tunnel, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (payload, after) = tail.split_at(n);
        rest = after;
        let key = GbcsTunnelKey {
            source: u16::from(*source & 0x03),
            tunnel_id: u16::from(*tunnel & 0x03),
        };
        if let Some(whole) = r.push(key, payload) {
            // A message rebuilt from GBT blocks is whatever the blocks
            // carried; one rebuilt from its own length fields has that length.
            if whole.gbt_blocks.is_none() {
                assert_eq!(
                    gbcs_message_len(&whole.message),
                    MessageLength::Known(whole.message.len())
                );
            }
            assert!(whole.message.len() <= MAX_BYTES);
        }
        assert!(r.pending() <= MAX_MESSAGES);
        assert!(r.held_bytes() <= MAX_BYTES);
    }
    r.clear();
    assert_eq!((r.pending(), r.held_bytes()), (0, 0));
});
