//! The encrypted parts of every GBCS message of the public vectors
//! (`gbcs/rtds-4.5.0.jsonl`, `gbcs/other-sources.jsonl`) against the
//! independent check's `encrypted_blocks`: same count, offsets and lengths,
//! nothing where it lists none; and every content that holds parts, cut at
//! every offset. The vectors are read from `$SMETS_VECTORS` or
//! `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::records;

use serde_json::Value;
use smets_core::{Decode, Encode};
use smets_dlms::axdr::Data;
use smets_gbcs::catalogue::PayloadFamily;
use smets_gbcs::envelope::{CraFlag, GbcsMessage};
use smets_gbcs::protected::{ProtectedKind, ProtectedPart, protected_parts};

fn payload_family(content: &[u8]) -> PayloadFamily {
    smets_gbcs::envelope::payload_family(content).unwrap_or(PayloadFamily::Der)
}

/// What the independent check says about a record's encrypted parts.
enum Expected {
    /// Nothing listed: no part.
    None,
    /// Parts with their offset in the content and ciphered length.
    Blocks(Vec<(usize, usize)>),
    /// Not decrypted, only counted ("not decrypted (N candidate blocks)").
    Count(usize),
}

fn expected(rec: &Value) -> Expected {
    match &rec["independent_check"]["encrypted_blocks"] {
        Value::Null => Expected::None,
        Value::Array(blocks) => Expected::Blocks(
            blocks
                .iter()
                .map(|b| {
                    (
                        usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap(),
                        usize::try_from(b["ciphered_len"].as_u64().unwrap()).unwrap(),
                    )
                })
                .collect(),
        ),
        Value::String(s) => {
            let n = s
                .split(['(', ' '])
                .find_map(|w| w.parse().ok())
                .unwrap_or_else(|| panic!("{s}"));
            Expected::Count(n)
        }
        other => panic!("encrypted_blocks {other}"),
    }
}

fn family_label(f: PayloadFamily) -> &'static str {
    f.label()
}

#[test]
fn every_record_against_the_independent_check() {
    let mut with_parts = 0;
    let mut parts_seen = 0;
    let mut contents = 0;
    let mut dlms_plaintexts = 0;
    for file in ["rtds-4.5.0.jsonl", "other-sources.jsonl"] {
        let Some(recs) = records(file) else { return };
        for rec in &recs {
            if rec["negative"].as_bool() == Some(true) {
                continue;
            }
            let id = rec["id"].as_str().unwrap();
            let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
            let msg = GbcsMessage::decode(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"));
            let signing = msg.signing().unwrap_or_else(|| panic!("{id}: no content"));
            let content = signing.content;
            let cra = signing.header.transaction_id.cra_flag;
            contents += 1;
            let family = payload_family(content);
            if let Some(f) = rec["payload"]["family"].as_str() {
                assert_eq!(family_label(family), f, "{id}: family");
                assert_eq!(
                    rec["payload"]["hex"].as_str().unwrap(),
                    hex::encode_upper(content),
                    "{id}: content"
                );
            }
            let parts: Vec<ProtectedPart<'_>> = protected_parts(content, cra)
                .collect::<Result<_, _>>()
                .unwrap_or_else(|e| panic!("{id}: {e}"));
            for p in &parts {
                // The vectors' own `kind` says "gbz" for several DLMS
                // messages (ECS17e, ECS21a, ECS22b, ECS68), so the kind is
                // checked against the payload family instead.
                match p.kind {
                    ProtectedKind::Gbz(h) => {
                        assert_eq!(family, PayloadFamily::Gbz, "{id}");
                        assert_ne!(h.control & 0x02, 0, "{id}");
                    }
                    ProtectedKind::Dlms(pp) => {
                        assert_eq!(family, PayloadFamily::Dlms, "{id}");
                        assert_eq!(pp.protection_type, 2, "{id}");
                        assert_eq!(pp.cra_flag, 4, "{id}");
                        // The device answers the party that asked: one of
                        // the titles is the message's originator.
                        let h = &signing.header;
                        assert!(
                            pp.originator == h.originator || pp.recipient == h.originator,
                            "{id}: system titles"
                        );
                    }
                }
                assert_eq!(p.security_control, 0x31, "{id}");
                assert_eq!(p.invocation_counter, 0, "{id}");
                assert_eq!(p.ciphered_len, 5 + p.plaintext_len() + 12, "{id}");
                assert_eq!(content[p.range()].len(), p.ciphered_len, "{id}");
                assert_eq!(
                    &content[p.offset + 5..p.offset + 5 + p.plaintext_len()],
                    p.ciphertext
                );
                assert_eq!(&content[p.range().end - 12..p.range().end], p.tag);
            }
            match expected(rec) {
                Expected::None => assert!(parts.is_empty(), "{id}: unexpected parts"),
                Expected::Count(n) => assert_eq!(parts.len(), n, "{id}: count"),
                Expected::Blocks(blocks) => {
                    let got: Vec<_> = parts.iter().map(|p| (p.offset, p.ciphered_len)).collect();
                    assert_eq!(got, blocks, "{id}: offsets and lengths");
                    // Plaintexts of the right length come with the vectors.
                    for (p, b) in parts.iter().zip(
                        rec["independent_check"]["encrypted_blocks"]
                            .as_array()
                            .unwrap(),
                    ) {
                        if let Some(pt) = b["plaintext"].as_str() {
                            assert_eq!(pt.len() / 2, p.plaintext_len(), "{id}: plaintext length");
                            // A DLMS plaintext is one A-XDR Data value.
                            if let ProtectedKind::Dlms(_) = p.kind {
                                let pt = hex::decode(pt).unwrap();
                                let data = Data::decode(&pt)
                                    .unwrap_or_else(|e| panic!("{id}: plaintext: {e}"));
                                assert_eq!(data.to_vec().unwrap(), pt, "{id}: plaintext");
                                dlms_plaintexts += 1;
                            }
                        }
                    }
                }
            }
            if !parts.is_empty() {
                with_parts += 1;
                parts_seen += parts.len();
            }
        }
    }
    assert!(contents > 1000, "{contents}");
    assert_eq!((with_parts, parts_seen), (35, 45));
    assert_eq!(dlms_plaintexts, 10);
}

#[test]
fn contents_with_parts_cut_at_every_offset() {
    let Some(recs) = records("rtds-4.5.0.jsonl") else {
        return;
    };
    let mut checked = 0;
    for rec in &recs {
        if rec["independent_check"]["encrypted_blocks"]
            .as_array()
            .is_none()
        {
            continue;
        }
        let id = rec["id"].as_str().unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let msg = GbcsMessage::decode(&bytes).unwrap();
        let signing = msg.signing().unwrap();
        let content = signing.content;
        let cra = signing.header.transaction_id.cra_flag;
        for cut in 0..content.len() {
            let results: Vec<_> = protected_parts(&content[..cut], cra).collect();
            let short = &content[..cut];
            if payload_family(short) == payload_family(content) {
                assert!(
                    results.last().is_some_and(Result::is_err),
                    "{id}: cut {cut}"
                );
            } else {
                // Too short to tell the family: taken for DER, nothing inside.
                assert!(results.is_empty(), "{id}: cut {cut}");
            }
        }
        // The other way of reading the GBZ header finds no well-formed part.
        if payload_family(content) == PayloadFamily::Gbz {
            let other = if cra == CraFlag::Alert {
                CraFlag::Response
            } else {
                CraFlag::Alert
            };
            assert!(
                !protected_parts(content, other).any(|p| p.is_ok()),
                "{id}: read with the wrong CRA flag"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 34);
}
