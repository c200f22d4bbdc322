//! Every GBCS message of the public vectors (`gbcs/rtds-4.5.0.jsonl`,
//! `gbcs/other-sources.jsonl`): decoded and checked against each key of its
//! `envelope` object, re-encoded byte for byte, and cut at every offset.
//! Negative records must be rejected. The vectors are read from
//! `$SMETS_VECTORS` or `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::{records, vectors_dir};

use serde_json::Value;
use smets_core::{Decode, Encode, Layer};
use smets_gbcs::envelope::{CraFlag, GbcsMessage, Supplementary};

fn hex_of(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn hex_u(v: &Value) -> u64 {
    let s = v.as_str().unwrap();
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

/// Checks every key of the record's `envelope` object; returns how many were checked.
fn check_envelope(id: &str, msg: &GbcsMessage<'_>, env: &serde_json::Map<String, Value>) -> usize {
    let s = msg
        .signing()
        .unwrap_or_else(|| panic!("{id}: not a signing form"));
    let h = &s.header;
    let oi = &h.other_information;
    let mut checked = 0;
    for (key, want) in env {
        match key.as_str() {
            "form" => {
                let form = match msg {
                    GbcsMessage::MacHeader(_) => "general-ciphering",
                    GbcsMessage::Signed(_) => "general-signing",
                    GbcsMessage::Block(_) => "general-block-transfer",
                };
                assert_eq!(form, want.as_str().unwrap(), "{id}: form");
            }
            "cra_flag" => assert_eq!(
                u64::from(h.transaction_id.cra_flag.value()),
                want.as_u64().unwrap(),
                "{id}: {key}"
            ),
            "originator_counter" => assert_eq!(
                h.transaction_id.originator_counter,
                want.as_u64().unwrap(),
                "{id}: {key}"
            ),
            "originator_system_title" => {
                assert_eq!(
                    h.originator.to_be_bytes().to_vec(),
                    hex_of(want),
                    "{id}: {key}"
                );
            }
            "recipient_system_title" => {
                assert_eq!(
                    h.recipient.to_be_bytes().to_vec(),
                    hex_of(want),
                    "{id}: {key}"
                );
            }
            "date_time" => match want {
                Value::Null => assert_eq!(h.date_time, None, "{id}: {key}"),
                v => assert_eq!(
                    h.date_time.map(|d| d.to_vec()),
                    Some(hex_of(v)),
                    "{id}: {key}"
                ),
            },
            "other_information_length" => {
                assert_eq!(oi.value_len() as u64, want.as_u64().unwrap(), "{id}: {key}");
            }
            "message_code" => assert_eq!(u64::from(oi.message_code), hex_u(want), "{id}: {key}"),
            "content_length" => {
                assert_eq!(
                    s.content.len() as u64,
                    want.as_u64().unwrap(),
                    "{id}: {key}"
                );
            }
            "content_first_byte" => {
                assert_eq!(
                    s.content.first().map(|&b| u64::from(b)),
                    Some(hex_u(want)),
                    "{id}: {key}"
                );
            }
            "signature_length" => assert_eq!(
                s.signature.map(|x| x.len() as u64),
                want.as_u64(),
                "{id}: {key}"
            ),
            "signature" => match want {
                Value::Null => assert!(s.signature.is_none_or(<[u8]>::is_empty), "{id}: {key}"),
                v => assert_eq!(
                    s.signature.map(<[u8]>::to_vec),
                    Some(hex_of(v)),
                    "{id}: {key}"
                ),
            },
            "mac" => match (msg, want) {
                (GbcsMessage::MacHeader(m), v) => {
                    assert_eq!(m.mac.to_vec(), hex_of(v), "{id}: {key}")
                }
                (_, v) => assert!(v.is_null(), "{id}: {key}"),
            },
            "ciphered_service_length" => {
                let GbcsMessage::MacHeader(m) = msg else {
                    panic!("{id}: {key} on a message without a MAC header")
                };
                assert_eq!(
                    m.ciphered_len() as u64,
                    want.as_u64().unwrap(),
                    "{id}: {key}"
                );
            }
            "security_header" => {
                let GbcsMessage::MacHeader(m) = msg else {
                    panic!("{id}: {key} on a message without a MAC header")
                };
                let mut got = vec![m.security.security_control];
                got.extend_from_slice(&m.security.invocation_counter.to_be_bytes());
                assert_eq!(got, hex_of(want), "{id}: {key}");
            }
            "supplementary_remote_party_id" => {
                let id_got = match oi.supplementary {
                    Supplementary::RemoteParty { id }
                    | Supplementary::RemotePartyCounter { id, .. }
                    | Supplementary::OriginatorCounter { id, .. }
                    | Supplementary::Certificate { id, .. } => id,
                    Supplementary::None => panic!("{id}: no {key}"),
                };
                assert_eq!(id_got.to_be_bytes().to_vec(), hex_of(want), "{id}: {key}");
            }
            "supplementary_remote_party_counter" => {
                let counter = match oi.supplementary {
                    Supplementary::RemotePartyCounter { counter, .. }
                    | Supplementary::OriginatorCounter { counter, .. }
                    | Supplementary::Certificate { counter, .. } => counter,
                    _ => panic!("{id}: no {key}"),
                };
                assert_eq!(counter, want.as_u64().unwrap(), "{id}: {key}");
            }
            "supplementary_originator_counter" => {
                let Supplementary::OriginatorCounter {
                    originator_counter, ..
                } = oi.supplementary
                else {
                    panic!("{id}: no {key}")
                };
                assert_eq!(originator_counter, want.as_u64().unwrap(), "{id}: {key}");
            }
            "supplementary_remote_party_ka_certificate_len" => {
                let Supplementary::Certificate { certificate, .. } = oi.supplementary else {
                    panic!("{id}: no {key}")
                };
                assert_eq!(
                    certificate.len() as u64,
                    want.as_u64().unwrap(),
                    "{id}: {key}"
                );
            }
            other => panic!("{id}: envelope key {other} not checked"),
        }
        checked += 1;
    }
    checked
}

/// Decodes, checks, re-encodes and truncates every record; returns (positives, negatives, keys checked).
fn walk(file: &str) -> Option<(usize, usize, usize)> {
    let recs = records(file)?;
    let (mut pos, mut neg, mut keys) = (0, 0, 0);
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        let bytes = hex_of(&r["hex"]);
        let decoded = GbcsMessage::decode(&bytes);
        if r["negative"].as_bool() == Some(true) {
            let e = decoded.expect_err(id);
            assert_eq!(e.layer, Layer::Gbcs, "{id}");
            assert!(e.offset <= bytes.len(), "{id}: offset {}", e.offset);
            neg += 1;
            continue;
        }
        let msg = decoded.unwrap_or_else(|e| panic!("{id}: {e}"));
        keys += check_envelope(id, &msg, r["envelope"].as_object().unwrap());
        assert_eq!(msg.encoded_len(), bytes.len(), "{id}: encoded_len");
        assert_eq!(msg.to_vec().unwrap(), bytes, "{id}: re-encoding");
        // A signed or unsigned `DF` command cut just before its signature
        // element is a well-formed pre-command: the one cut that decodes.
        let pre_command_cut = match &msg {
            GbcsMessage::Signed(s) if s.signature.is_some() => {
                Some(bytes.len() - 1 - s.signature.unwrap().len())
            }
            _ => None,
        };
        for cut in 0..bytes.len() {
            if Some(cut) == pre_command_cut
                && msg.signing().unwrap().header.transaction_id.cra_flag == CraFlag::Command
            {
                let GbcsMessage::Signed(cut_msg) = GbcsMessage::decode(&bytes[..cut]).unwrap()
                else {
                    panic!("{id}: cut {cut} changed form");
                };
                let GbcsMessage::Signed(whole) = &msg else {
                    unreachable!()
                };
                assert_eq!(cut_msg.signature, None, "{id}");
                assert_eq!(
                    (cut_msg.header, cut_msg.content),
                    (whole.header, whole.content),
                    "{id}"
                );
                continue;
            }
            let e = GbcsMessage::decode(&bytes[..cut]).expect_err(id);
            assert_eq!(e.layer, Layer::Gbcs, "{id}: cut {cut}");
            assert!(e.offset <= cut, "{id}: cut {cut}: offset {}", e.offset);
        }
        pos += 1;
    }
    Some((pos, neg, keys))
}

#[test]
fn rtds_4_5_0() {
    let Some((pos, neg, keys)) = walk("rtds-4.5.0.jsonl") else {
        return;
    };
    assert_eq!((pos, neg), (1006, 0));
    assert!(keys >= 1006 * 12, "{keys} keys checked");
}

#[test]
fn other_sources() {
    let Some((pos, neg, keys)) = walk("other-sources.jsonl") else {
        return;
    };
    assert_eq!((pos, neg), (28, 2));
    assert!(keys >= 28 * 12, "{keys} keys checked");
}

/// The family read from the content's first bytes is the family each
/// vector gives.
#[test]
fn payload_family_by_first_bytes() {
    let Some(dir) = vectors_dir() else { return };
    let mut n = 0;
    for name in ["rtds-4.5.0.jsonl", "other-sources.jsonl"] {
        let text = std::fs::read_to_string(dir.join("gbcs").join(name)).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let rec: serde_json::Value = serde_json::from_str(line).unwrap();
            let Some(family) = rec["payload"]["family"].as_str() else {
                continue;
            };
            let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
            let Ok(msg) = smets_gbcs::envelope::GbcsMessage::decode(&bytes) else {
                continue;
            };
            let content = msg.signing().unwrap().content;
            let got = smets_gbcs::envelope::payload_family(content).unwrap();
            assert_eq!(got.label(), family, "{}", rec["id"]);
            n += 1;
        }
    }
    assert!(n > 1000, "{n} payloads");
}
