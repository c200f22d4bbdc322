#![no_main]
//! A decoded foundation command encodes to its payload and decodes back to itself.

use libfuzzer_sys::fuzz_target;
use smets_core::Encode;
use smets_zigbee::zcl::foundation::FoundationCommand;

fuzz_target!(|data: &[u8]| {
    let Some((&id, payload)) = data.split_first() else {
        return;
    };
    let Ok(x) = FoundationCommand::decode(id, payload) else {
        return;
    };
    assert_eq!(x.command_id(), id);
    let bytes = x.to_vec().expect("a decoded foundation command encodes");
    assert_eq!(bytes.len(), x.encoded_len());
    assert_eq!(bytes, payload);
    let y = FoundationCommand::decode(id, &bytes).expect("an encoded command decodes");
    assert_eq!(x.to_vec().ok(), y.to_vec().ok());
});
