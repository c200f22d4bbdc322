//! The NWK decoders against every tshark-decoded frame of the shared vectors
//! (`frames.jsonl`): header fields, the auxiliary security header, the MIC
//! position and, from the decrypted payloads, the NWK command identifiers.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use smets_zigbee::nwk::{CommandId, FrameType, NwkCommand, NwkFrame};
use smets_zigbee::{Decode, Encode, Eui64};

fn records() -> Option<Vec<Value>> {
    let path = common::vectors_dir()?.join("zigbee/frames.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

/// First occurrence of a tshark field (repeated fields are joined with `|`).
fn field<'v>(expected: &'v Value, name: &str) -> Option<&'v str> {
    expected
        .get(name)?
        .as_str()
        .map(|s| s.split('|').next().unwrap_or(s))
}

fn num(s: &str) -> u64 {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s.parse().unwrap(),
    }
}

fn flag(s: &str) -> bool {
    match s {
        "1" | "True" | "true" => true,
        "0" | "False" | "false" => false,
        other => panic!("not a boolean: {other}"),
    }
}

/// Length of the IEEE 802.15.4 MAC header (IEEE 802.15.4-2015 7.2.1), for frames
/// without MAC security or information elements.
fn mac_header_len(frame: &[u8]) -> usize {
    let fcf = u16::from_le_bytes([frame[0], frame[1]]);
    assert_eq!(fcf & 0x0008, 0, "MAC security is not expected here");
    let pan_id_compression = fcf & 0x0040 != 0;
    let dst_mode = (fcf >> 10) & 0x03;
    let src_mode = (fcf >> 14) & 0x03;
    let addr_len = |mode: u16| match mode {
        0 => 0,
        2 => 2,
        3 => 8,
        m => panic!("reserved address mode {m}"),
    };
    let mut len = 3;
    if dst_mode != 0 {
        len += 2 + addr_len(dst_mode);
    }
    if src_mode != 0 {
        len += if pan_id_compression { 0 } else { 2 } + addr_len(src_mode);
    }
    len
}

/// The NWK part of a tshark record's frame: MAC header and FCS removed.
fn nwk_bytes(record: &Value) -> Vec<u8> {
    let mut bytes = hex::decode(record["hex"].as_str().unwrap()).unwrap();
    if record["fcs_present"] == Value::Bool(true) {
        bytes.truncate(bytes.len() - 2);
    }
    let start = mac_header_len(&bytes);
    bytes.split_off(start)
}

fn nwk_records(records: &[Value]) -> impl Iterator<Item = &Value> {
    records.iter().filter(|r| {
        r["id"].as_str().unwrap().starts_with("tshark-")
            && r["expected"].get("zbee_nwk.frame_type").is_some()
    })
}

/// The plaintext NWK payload of a command frame: the first decrypted payload
/// of a secured frame, the payload itself otherwise.
fn command_plaintext(record: &Value, frame: &NwkFrame<'_>) -> Option<Vec<u8>> {
    if frame.security.is_none() {
        return Some(frame.payload.to_vec());
    }
    let p = record["expected"].get("decrypted_payloads")?.as_array()?;
    Some(hex::decode(p.first()?.as_str()?).unwrap())
}

#[test]
fn every_tshark_nwk_header_matches() {
    let Some(records) = records() else { return };
    let mut checked = 0;
    let mut secured = 0;
    let mut commands = 0;
    for record in nwk_records(&records) {
        let id = record["id"].as_str().unwrap();
        let e = &record["expected"];
        let bytes = nwk_bytes(record);
        let f = NwkFrame::decode(&bytes).unwrap_or_else(|err| panic!("{id}: {err}"));
        let fc = f.frame_control;
        let get = |name: &str| field(e, name).unwrap_or_else(|| panic!("{id}: no {name}"));
        assert_eq!(
            u64::from(fc.frame_type.value()),
            num(get("zbee_nwk.frame_type")),
            "{id}"
        );
        assert_eq!(
            u64::from(fc.protocol_version),
            num(get("zbee_nwk.proto_version")),
            "{id}"
        );
        assert_eq!(
            u64::from(fc.discover_route.value()),
            num(get("zbee_nwk.discovery")),
            "{id}"
        );
        assert_eq!(fc.security, flag(get("zbee_nwk.security")), "{id}");
        assert_eq!(u64::from(f.dst), num(get("zbee_nwk.dst")), "{id}");
        assert_eq!(u64::from(f.src), num(get("zbee_nwk.src")), "{id}");
        assert_eq!(u64::from(f.radius), num(get("zbee_nwk.radius")), "{id}");
        assert_eq!(u64::from(f.seq), num(get("zbee_nwk.seqno")), "{id}");
        let eui = |name: &str| field(e, name).map(|s| s.parse::<Eui64>().unwrap());
        assert_eq!(f.src_ieee, eui("zbee_nwk.src64"), "{id}");
        assert_eq!(f.dst_ieee, eui("zbee_nwk.dst64"), "{id}");

        if let Some(aux) = f.security {
            secured += 1;
            assert_eq!(
                u64::from(aux.control.key_id.value()),
                num(get("zbee.sec.key_id")),
                "{id}"
            );
            assert_eq!(
                aux.control.extended_nonce,
                flag(get("zbee.sec.ext_nonce")),
                "{id}"
            );
            assert_eq!(
                u64::from(aux.frame_counter),
                num(get("zbee.sec.counter")),
                "{id}"
            );
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
        let id = record["id"].as_str().unwrap();
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
