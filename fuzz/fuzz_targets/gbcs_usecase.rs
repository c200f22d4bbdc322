#![no_main]
//! `smets_gbcs::usecase::decode`, the typed reading of a payload: the first
//! two bytes are a message code, the third a CRA flag, the fourth how many
//! bytes at the end stand for the first protected part's plaintext (0:
//! none); the rest is the payload. Any input reads typed, untyped or as an
//! error with an offset inside the payload, never a panic, and what reads
//! typed serializes.

use libfuzzer_sys::fuzz_target;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::protected::protected_parts;
use smets_gbcs::usecase::decode;

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let code = u16::from_be_bytes([head[0], head[1]]);
    let cra = CraFlag::from(head[2]);
    let split = usize::from(head[3]).min(rest.len());
    let (payload, plaintext) = rest.split_at(rest.len() - split);
    let mut plaintexts = Vec::new();
    if !plaintext.is_empty()
        && let Some(Ok(part)) = protected_parts(payload, cra).next()
    {
        plaintexts.push((part.offset, plaintext));
    }
    match decode(code, cra, payload, &plaintexts) {
        Err(e) => assert!(
            e.offset <= payload.len().max(plaintext.len()),
            "offset {} past the input",
            e.offset
        ),
        Ok(None) => {}
        Ok(Some(t)) => {
            let json = serde_json::to_string(&t).expect("a typed payload serializes");
            assert!(!json.is_empty());
        }
    }
});
