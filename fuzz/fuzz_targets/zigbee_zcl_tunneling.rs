#![no_main]
//! Tunneling cluster commands and the GBCS tunnel header: the first byte
//! picks the direction (bit 0) and the command id (bits 1-3); the rest is the
//! payload. Whatever decodes re-encodes to the same bytes; the tunnelled
//! bytes of Transfer Data go through the GBCS tunnel header decoder too.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::zcl::Direction;
use smets_zigbee::zcl::tunneling::TunnelingCommand;
use smets_zigbee::zcl::tunneling::gbcs::{GbcsTunnel, gbcs_message_len};
use smets_zigbee::{Decode, Encode};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, payload)) = data.split_first() else {
        return;
    };
    let direction = Direction::from(sel & 1);
    let command_id = (sel >> 1) & 0x07;
    if let Ok(cmd) = TunnelingCommand::decode(direction, command_id, payload) {
        let mut out = Vec::new();
        cmd.encode(&mut out).expect("a decoded command encodes");
        assert_eq!(out, payload);
        assert_eq!(cmd.encoded_len(), payload.len());
        assert_eq!(cmd.command_id(), Some(command_id));
        if let TunnelingCommand::TransferData { data, .. } = cmd
            && let Ok(t) = GbcsTunnel::decode(data)
        {
            let mut out = Vec::new();
            t.encode(&mut out).expect("a decoded header encodes");
            assert_eq!(out, data);
        }
    }
    let _ = gbcs_message_len(payload);
});
