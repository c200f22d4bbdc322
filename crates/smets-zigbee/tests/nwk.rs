//! The NWK decoders against every tshark-decoded frame of the shared vectors
//! (`frames.jsonl`): header fields, the auxiliary security header, the MIC
//! position and, from the decrypted payloads, the NWK command identifiers.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use common::{id, num, records};
use serde_json::Value;
use smets_zigbee::mac::{FrameType as MacFrameType, MacFrame};
use smets_zigbee::nwk::{CommandId, FrameType, NwkCommand, NwkFrame};
use smets_zigbee::{Decode, Encode, Eui64};

/// First occurrence of a tshark field (repeated fields are joined with `|`).
fn field<'v>(expected: &'v Value, name: &str) -> Option<&'v str> {
    common::occ(expected, name, 0)
}

fn flag(s: &str) -> bool {
    match s {
        "1" | "True" | "true" => true,
        "0" | "False" | "false" => false,
        other => panic!("not a boolean: {other}"),
    }
}

/// The NWK part of a tshark record's frame: the payload of its MAC data
/// frame (no MAC security here), FCS removed.
fn nwk_bytes(record: &Value) -> Vec<u8> {
    let bytes = common::record_bytes(record);
    let mac = MacFrame::decode(&bytes, common::fcs_mode(record))
        .unwrap_or_else(|err| panic!("{}: {err}", id(record)));
    assert!(mac.security.is_none(), "MAC security is not expected here");
    assert_eq!(
        mac.frame_control.frame_type,
        MacFrameType::Data,
        "{}",
        id(record)
    );
    mac.payload.to_vec()
}

fn nwk_records(records: &[Value]) -> impl Iterator<Item = &Value> {
    common::tshark_with(records, "zbee_nwk.frame_type")
}

/// The plaintext NWK payload of a command frame: the first decrypted payload
/// of a secured frame, the payload itself otherwise.
fn command_plaintext(record: &Value, frame: &NwkFrame<'_>) -> Option<Vec<u8>> {
    if frame.security.is_none() {
        return Some(frame.payload.to_vec());
    }
    common::decrypted_payloads(record).into_iter().next()
}

#[test]
fn every_tshark_nwk_header_matches() {
    let Some(records) = records() else { return };
    let mut checked = 0;
    let mut secured = 0;
    let mut commands = 0;
    for record in nwk_records(&records) {
        let id = id(record);
        let e = &record["expected"];
        let bytes = nwk_bytes(record);
        let f = NwkFrame::decode(&bytes).unwrap_or_else(|err| panic!("{id}: {err}"));
        let fc = f.frame_control;
        let get = |name: &str| field(e, name).unwrap_or_else(|| panic!("{id}: no {name}"));
        let same = |name: &str, ours: u64| assert_eq!(ours, num(get(name)), "{id}: {name}");
        same("zbee_nwk.frame_type", u64::from(fc.frame_type.value()));
        same("zbee_nwk.proto_version", u64::from(fc.protocol_version));
        same("zbee_nwk.discovery", u64::from(fc.discover_route.value()));
        assert_eq!(fc.security, flag(get("zbee_nwk.security")), "{id}");
        same("zbee_nwk.dst", u64::from(f.dst));
        same("zbee_nwk.src", u64::from(f.src));
        same("zbee_nwk.radius", u64::from(f.radius));
        same("zbee_nwk.seqno", u64::from(f.seq));
        let eui = |name: &str| field(e, name).map(|s| s.parse::<Eui64>().unwrap());
        assert_eq!(f.src_ieee, eui("zbee_nwk.src64"), "{id}");
        assert_eq!(f.dst_ieee, eui("zbee_nwk.dst64"), "{id}");

        if let Some(aux) = f.security {
            secured += 1;
            same("zbee.sec.key_id", u64::from(aux.control.key_id.value()));
            assert_eq!(
                aux.control.extended_nonce,
                flag(get("zbee.sec.ext_nonce")),
                "{id}"
            );
            same("zbee.sec.counter", u64::from(aux.frame_counter));
            assert_eq!(aux.source, eui("zbee.sec.src64"), "{id}");
            assert_eq!(
                aux.key_seq.map(u64::from),
                field(e, "zbee.sec.key_seqno").map(num),
                "{id}"
            );
            let mic = &f.payload[f.payload.len() - 4..];
            assert_eq!(hex::encode(mic), get("zbee.sec.mic"), "{id}");
            assert_eq!(bytes[f.aux_offset().unwrap()], aux.control.to_byte());
        }

        if fc.frame_type == FrameType::Command
            && let Some(plain) = command_plaintext(record, &f)
        {
            let c = NwkCommand::decode(&plain).unwrap_or_else(|err| panic!("{id}: {err}"));
            assert_eq!(
                u64::from(c.id().value()),
                num(get("zbee_nwk.cmd.id")),
                "{id}"
            );
            assert!(c.id().label().is_some(), "{id}");
            assert_eq!(c.to_vec().unwrap(), plain, "{id}");
            commands += 1;
        }

        assert_eq!(f.header_len() + f.payload.len(), bytes.len(), "{id}");
        assert_eq!(f.to_vec().unwrap(), bytes, "{id}: re-encoding");
        checked += 1;
    }
    // Counts of the vector set, so that a filter matching nothing cannot pass:
    // 256 records with NWK fields, 245 NWK-secured, 63 commands with a plaintext.
    assert_eq!((checked, secured, commands), (256, 245, 63));
}

#[test]
fn zigator_03_exercises_every_nwk_command() {
    let Some(records) = records() else { return };
    let mut seen = BTreeSet::new();
    for record in nwk_records(&records).filter(|r| {
        r["id"]
            .as_str()
            .unwrap()
            .contains("zigator__03-nwk-testing")
    }) {
        let id = id(record);
        let bytes = nwk_bytes(record);
        let f = NwkFrame::decode(&bytes).unwrap();
        if f.frame_control.frame_type != FrameType::Command {
            continue;
        }
        let plain = command_plaintext(record, &f).unwrap_or_else(|| panic!("{id}: no plaintext"));
        let c = NwkCommand::decode(&plain).unwrap_or_else(|err| panic!("{id}: {err}"));
        assert_eq!(c.to_vec().unwrap(), plain, "{id}");
        assert_eq!(c.encoded_len(), plain.len(), "{id}");
        assert!(!matches!(c, NwkCommand::Unknown { .. }), "{id}");
        seen.insert(c.id());
    }
    let expected: BTreeSet<CommandId> = (0x01..=0x0c).map(CommandId::from).collect();
    assert_eq!(seen, expected);
}
