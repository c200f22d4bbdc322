//! The GBZ payloads of RTDS 4.5.0 through `smets_gbcs::gbz`: every payload
//! decodes in the form its CRA flag gives and re-encodes byte for byte, its
//! framing agrees with the reference decode, every ZCL frame (in clear, or
//! the independent check's plaintext of an encrypted one) decodes to a ZCL
//! command, values of chosen use cases match, truncations fail, and the
//! RTDS keys decrypt the encrypted components.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use smets_core::time::Utc2000;
use smets_core::{Decode, Encode};
use smets_gbcs::envelope::{CraFlag, GbcsMessage};
use smets_gbcs::gbz::{AlertCode, ComponentBody, GbzBody, GbzComponent, GbzKind, GbzPayload};
use smets_gbcs::security::SecurityContext;
use smets_zigbee::zcl::foundation::FoundationCommand;
use smets_zigbee::zcl::types::{DataType, ZclValue};
use smets_zigbee::zcl::{Direction, FrameType, Status, ZclCommand};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

/// The GBZ records of RTDS 4.5.0, or `None` without the vectors.
fn gbz_records() -> Option<Vec<Value>> {
    let recs = common::records("rtds-4.5.0.jsonl")?;
    let gbz: Vec<Value> = recs
        .into_iter()
        .filter(|r| r["payload"]["family"] == "GBZ")
        .collect();
    assert_eq!(gbz.len(), 284, "GBZ payloads in RTDS 4.5.0");
    Some(gbz)
}

fn cra(rec: &Value) -> CraFlag {
    CraFlag::from(u8::try_from(rec["envelope"]["cra_flag"].as_u64().unwrap()).unwrap())
}

fn payload(rec: &Value) -> Vec<u8> {
    unhex(rec["payload"]["hex"].as_str().unwrap())
}

fn record<'a>(recs: &'a [Value], id: &str) -> &'a Value {
    recs.iter()
        .find(|r| r["id"] == format!("rtds-4.5.0/{id}"))
        .unwrap_or_else(|| panic!("{id}"))
}

/// The hex of a reference-decode node, as bytes.
fn node(v: &Value) -> Vec<u8> {
    unhex(v["hex"].as_str().unwrap())
}

/// The plaintext the independent check gives for the ciphered information
/// at `offset` in the payload.
fn plaintext_at(rec: &Value, offset: usize) -> Option<Vec<u8>> {
    rec["independent_check"]["encrypted_blocks"]
        .as_array()?
        .iter()
        .find(|b| b["offset_in_content"].as_u64() == Some(offset as u64))
        .map(|b| unhex(b["plaintext"].as_str().unwrap()))
}

#[test]
fn every_payload_decodes_re_encodes_and_matches_the_reference_framing() {
    let Some(recs) = gbz_records() else { return };
    let mut components = 0;
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let b = payload(rec);
        let p = GbzPayload::decode_as(&b, cra(rec)).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(p.to_vec().unwrap(), b, "{id}");
        assert_eq!(p.encoded_len(), b.len(), "{id}");

        let reference = &rec["payload"]["reference_decode"];
        let head = &reference["Payload"];
        assert_eq!(
            node(&head["Number of GBZ components"]),
            [p.header.component_count],
            "{id}"
        );
        match p.header.alert {
            Some(a) => {
                assert_eq!(cra(rec), CraFlag::Alert);
                assert_eq!(
                    node(&head["Alert Code"]),
                    a.code.value().to_be_bytes(),
                    "{id}"
                );
                assert_eq!(node(&head["Time Stamp"]), a.time.0.to_be_bytes(), "{id}");
            }
            None => assert_ne!(cra(rec), CraFlag::Alert),
        }
        let mut n = 0;
        for c in p.components() {
            n += 1;
            // The reference puts an alert's one component in its header node.
            let r = if p.header.alert.is_some() {
                head
            } else {
                &reference[format!("GBZ Component {n}")]
            };
            check_framing(id, &c, r);
        }
        // The reference lists as many components as we read.
        if p.header.alert.is_none() {
            assert!(
                reference[format!("GBZ Component {}", n + 1)].is_null(),
                "{id}"
            );
        }
        if let GbzBody::Components(_) = p.body {
            assert_eq!(n, usize::from(p.header.component_count), "{id}");
        }
        components += n;
    }
    assert_eq!(components, 987, "components in the GBZ payloads");
}

/// One component's fields against the reference decode's node.
fn check_framing(id: &str, c: &GbzComponent<'_>, r: &Value) {
    assert_eq!(
        node(&r["Control Field"]),
        [c.control.to_byte().unwrap()],
        "{id}"
    );
    assert_eq!(node(&r["Cluster Id"]), c.cluster_id.to_be_bytes(), "{id}");
    let len = u16::try_from(c.command_length()).unwrap();
    assert_eq!(node(&r["Length"]), len.to_be_bytes(), "{id}");
    match c.from_date_time {
        Some(t) => assert_eq!(node(&r["From Date Time"]), t.0.to_be_bytes(), "{id}"),
        None => assert!(r["From Date Time"].is_null(), "{id}"),
    }
    let h = &r["ZCL Header"]["children"];
    let zh = c.zcl_header();
    assert_eq!(
        node(&h["Frame Control"]),
        [zh.frame_control.to_byte().unwrap()],
        "{id}"
    );
    assert_eq!(node(&h["Sequence Number"]), [zh.tsn], "{id}");
    assert_eq!(node(&h["Command Id"]), [zh.command_id], "{id}");
    match &c.body {
        ComponentBody::Plain(_) => assert!(r["Security Header"].is_null(), "{id}"),
        ComponentBody::Encrypted(e) => {
            assert_eq!(
                node(&r["Additional Header Control"]),
                [e.additional_header.control],
                "{id}"
            );
            assert_eq!(
                node(&r["Additional Header Frame Counter"]),
                [e.additional_header.frame_counter],
                "{id}"
            );
            let cl = u16::try_from(e.ciphered.encoded_len()).unwrap();
            assert_eq!(
                node(&r["Ciphered Information Length"]),
                cl.to_be_bytes(),
                "{id}"
            );
            let mut sh = vec![e.ciphered.security_control];
            sh.extend_from_slice(&e.ciphered.invocation_counter.to_be_bytes());
            assert_eq!(node(&r["Security Header"]), sh, "{id}");
            assert_eq!(
                node(&r["Encrypted ZCL Payload"]),
                e.ciphered.ciphertext,
                "{id}"
            );
            assert_eq!(node(&r["AE MAC"]), e.ciphered.tag, "{id}");
        }
    }
}

/// Cluster commands the smets-zigbee catalogue does not know, as (cluster,
/// direction, command id): the GBZ framing carries them, their payload stays
/// undecoded.
const CATALOGUE_GAPS: &[(u16, u8, u8)] = &[];

#[test]
fn every_zcl_frame_decodes_to_a_command() {
    let Some(recs) = gbz_records() else { return };
    let mut gaps = BTreeSet::new();
    let (mut plain, mut encrypted) = (0, 0);
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let b = payload(rec);
        let p = GbzPayload::decode_as(&b, cra(rec)).unwrap();
        for (at, c) in p.components_with_offsets() {
            let h = c.zcl_header();
            let key = (
                c.cluster_id,
                h.frame_control.direction.value(),
                h.command_id,
            );
            let command = if let Some(off) = c.ciphered_offset() {
                let plaintext = plaintext_at(rec, at + off)
                    .unwrap_or_else(|| panic!("{id}: no plaintext at {}", at + off));
                encrypted += 1;
                // The owned plaintext must outlive the command.
                let command = c
                    .decrypted_command(&plaintext)
                    .unwrap_or_else(|e| panic!("{id} at {at}: {e}"));
                command.is_some()
            } else {
                plain += 1;
                c.zcl_command()
                    .unwrap_or_else(|e| panic!("{id} at {at}: {e}"))
                    .is_some()
            };
            if !command {
                gaps.insert(key);
            }
        }
    }
    assert_eq!(
        (plain, encrypted),
        (953, 34),
        "components in clear, encrypted"
    );
    let want: BTreeSet<_> = CATALOGUE_GAPS.iter().copied().collect();
    assert_eq!(gaps, want, "ZCL commands the catalogue lacks");
}

fn attribute(v: &ZclValue<'_>) -> (DataType, u64) {
    match *v {
        ZclValue::Unsigned(t, n) => (t, n),
        ZclValue::Enum8(n) => (DataType::Enum8, u64::from(n)),
        other => panic!("{other:?}"),
    }
}

/// The reading of a reference "notes" field as an integer.
fn notes_u64(v: &Value) -> u64 {
    let s = v["notes"].as_str().unwrap();
    s.strip_prefix("0x").map_or_else(
        || s.parse().unwrap(),
        |h| u64::from_str_radix(h, 16).unwrap(),
    )
}

#[test]
fn gcs13a_consumption_register() {
    let Some(recs) = gbz_records() else { return };
    // The command: Read Attributes of divisor, multiplier, unit, summation.
    let rec = record(&recs, "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_COMMAND");
    let b = payload(rec);
    let p = GbzPayload::decode_as(&b, CraFlag::Command).unwrap();
    let c = p.components().next().unwrap();
    assert_eq!(c.cluster_id, 0x0702);
    let Some(ZclCommand::Foundation(FoundationCommand::ReadAttributes(ids))) =
        c.zcl_command().unwrap()
    else {
        panic!("read attributes")
    };
    let reference =
        &rec["payload"]["reference_decode"]["GBZ Component 1"]["ZCL Payload"]["children"];
    let ids: Vec<u16> = ids.iter().map(|i| i.unwrap().0).collect();
    assert_eq!(ids, [0x0302, 0x0301, 0x0300, 0x0000]);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            node(&reference[format!("Attribute Id {i}")]),
            id.to_le_bytes()
        );
    }

    // The response: one encrypted Read Attributes Response (digest 3.5).
    let rec = record(&recs, "GCS13a_4.1.1_SUCCESS_RELIABLE_GSME_RESPONSE");
    let b = payload(rec);
    let p = GbzPayload::decode_as(&b, CraFlag::Response).unwrap();
    let (at, c) = p.components_with_offsets().next().unwrap();
    assert!(c.control.last && c.control.encrypted);
    assert_eq!(c.command_length(), 53);
    let zh = c.zcl_header();
    assert_eq!(zh.frame_control.frame_type, FrameType::Global);
    assert_eq!(zh.frame_control.direction, Direction::ToClient);
    assert!(zh.frame_control.disable_default_response);
    assert_eq!((zh.tsn, zh.command_id), (0, 0x01));
    assert_eq!(c.ciphered().unwrap().encoded_len(), 46);
    let plaintext = plaintext_at(rec, at + c.ciphered_offset().unwrap()).unwrap();
    assert_eq!(plaintext.len(), 29);
    let Some(ZclCommand::Foundation(FoundationCommand::ReadAttributesResponse(rs))) =
        c.decrypted_command(&plaintext).unwrap()
    else {
        panic!("read attributes response")
    };
    let rs: Vec<_> = rs.iter().map(Result::unwrap).collect();
    let want = [
        (0x0302, DataType::Uint24, 1000),
        (0x0301, DataType::Uint24, 1),
        (0x0300, DataType::Enum8, 1),
        (0x0000, DataType::Uint48, 12345),
    ];
    let reference = &rec["payload"]["reference_decrypted"][0]["ZCL Payload"]["children"];
    assert_eq!(rs.len(), want.len());
    for (i, (r, (id, ty, value))) in rs.iter().zip(want).enumerate() {
        assert_eq!(r.id, id);
        assert_eq!(r.status, Status::Success);
        assert_eq!(attribute(&r.value.unwrap()), (ty, value));
        let a = &reference[format!("Attribute {}", i + 1)]["children"];
        assert_eq!(node(&a["Attribute Id"]), id.to_le_bytes());
        assert_eq!(node(&a["Attribute Data Type"]), [ty.value()]);
        assert_eq!(notes_u64(&a["Attribute Data Value"]), value);
    }
}

#[test]
fn gcs16a_daily_read_log() {
    let Some(recs) = gbz_records() else { return };
    let rec = record(&recs, "GCS16a_4.6.1_SUCCESS_RESPONSE");
    let b = payload(rec);
    let p = GbzPayload::decode_as(&b, CraFlag::Response).unwrap();
    assert_eq!(p.header.component_count, 31);
    let cs: Vec<_> = p.components_with_offsets().collect();
    assert_eq!(cs.len(), 31);
    // Only the last component says so.
    assert!(
        cs.iter()
            .enumerate()
            .all(|(i, (_, c))| c.control.last == (i == 30))
    );
    // Two encrypted Publish Snapshots, frame counters 0 and 1, then Default
    // Responses "not found" to Get Snapshot for the missing days.
    let mut decrypted = 0;
    for (i, (at, c)) in cs.iter().enumerate() {
        assert_eq!(c.cluster_id, 0x0702);
        let zh = c.zcl_header();
        assert_eq!(usize::from(zh.tsn), i);
        if let ComponentBody::Encrypted(e) = &c.body {
            assert_eq!(usize::from(e.additional_header.frame_counter), i);
            assert_eq!(zh.command_id, 0x06);
            let plaintext = plaintext_at(rec, at + c.ciphered_offset().unwrap()).unwrap();
            let Some(ZclCommand::Cluster(snap)) = c.decrypted_command(&plaintext).unwrap() else {
                panic!("publish snapshot")
            };
            assert_eq!(snap.command.label, "publish_snapshot");
            let reference =
                &rec["payload"]["reference_decrypted"][decrypted]["ZCL Payload"]["children"];
            let field = |name: &str| snap.field(name).unwrap().value.as_u64().unwrap();
            for (ours, theirs) in [
                ("snapshot_id", "Snapshot Id"),
                ("snapshot_time", "Snapshot Time"),
                ("total_snapshots_found", "Snapshots Found"),
                ("command_index", "Command Index"),
                ("total_number_of_commands", "Number of Commands"),
                ("snapshot_payload_type", "Snapshot Payload Type"),
            ] {
                let mut le = node(&reference[theirs]);
                le.resize(8, 0);
                assert_eq!(
                    field(ours),
                    u64::from_le_bytes(le.try_into().unwrap()),
                    "{ours}"
                );
            }
            assert_eq!(
                field("snapshot_time"),
                0x1C35_2610 + 86_400 * decrypted as u64
            );
            assert_eq!(field("total_snapshots_found"), 31);
            let sub = snap
                .field("snapshot_payload")
                .unwrap()
                .value
                .as_bytes()
                .unwrap();
            let summation =
                &reference["Snapshot Sub-payload"]["children"]["Current Summation Delivered"];
            assert_eq!(&sub[..6], node(summation));
            decrypted += 1;
        } else {
            let Some(ZclCommand::Foundation(FoundationCommand::DefaultResponse(d))) =
                c.zcl_command().unwrap()
            else {
                panic!("default response")
            };
            assert_eq!((d.command_id, d.status), (0x06, Status::NotFound));
            let r = &rec["payload"]["reference_decode"][format!("GBZ Component {}", i + 1)]["ZCL Payload"]
                ["children"];
            assert_eq!(node(&r["Command Id"]), [d.command_id]);
            assert_eq!(node(&r["Status Code"]), [d.status.value()]);
        }
    }
    assert_eq!(decrypted, 2);
}

#[test]
fn gcs53_billing_data_log_alert() {
    let Some(recs) = gbz_records() else { return };
    let rec = record(&recs, "GCS53_NA_8F0A_ALERT");
    let b = payload(rec);
    let p = GbzPayload::decode_as(&b, GbzKind::Alert).unwrap();
    let a = p.header.alert.unwrap();
    assert_eq!(a.code, AlertCode::BillingDataLogUpdated);
    assert_eq!(a.time, Utc2000(0x1C37_4A80));
    assert_eq!(a.time.to_string(), "2015-01-01T00:00:00Z");
    let (at, c) = p.components_with_offsets().next().unwrap();
    assert_eq!(at, 9);
    assert!(c.control.last && c.control.encrypted);
    assert_eq!(c.cluster_id, 0x0702);
    assert_eq!(c.ciphered_offset().map(|o| o + at), Some(21));
    let plaintext = plaintext_at(rec, 21).unwrap();
    let Some(ZclCommand::Cluster(snap)) = c.decrypted_command(&plaintext).unwrap() else {
        panic!("publish snapshot")
    };
    let field = |name: &str| snap.field(name).unwrap().value.as_u64().unwrap();
    assert_eq!(field("snapshot_id"), 71_876_166);
    assert_eq!(field("snapshot_time"), u64::from(a.time.0));
    assert_eq!(field("total_snapshots_found"), 1);
    assert_eq!(field("snapshot_cause"), 0xAA);
    assert_eq!(field("snapshot_payload_type"), 6);
    let sub = snap
        .field("snapshot_payload")
        .unwrap()
        .value
        .as_bytes()
        .unwrap();
    // Summation 15, four TOU registers.
    assert_eq!(&sub[..7], [0x0F, 0, 0, 0, 0, 0, 4]);
    assert_eq!(&sub[7..13], [0xB0, 0, 0, 0, 0, 0]);
}

#[test]
fn future_dated_and_generic_alerts() {
    let Some(recs) = gbz_records() else { return };
    let rec = record(
        &recs,
        "GCS01a_1.1.1_8F66_FUTURE_DATED_BLOCK_SUCCESS_ALERT_PUBLISH_BLOCK_THRESHOLDS",
    );
    let b = payload(rec);
    let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
    let a = p.header.alert.unwrap();
    assert_eq!(a.code, AlertCode::FutureDatedCommandActioned);
    assert_eq!(a.time.to_string(), "2030-01-15T09:00:00Z");
    let GbzBody::FutureDated(f) = p.body else {
        panic!("future-dated")
    };
    let r = &rec["payload"]["reference_decode"]["Payload"];
    assert_eq!(f.message_code, 0x006B);
    assert_eq!(node(&r["Message Code"]), f.message_code.to_be_bytes());
    assert_eq!(f.originator_counter, 1005);
    assert_eq!(notes_u64(&r["Originator Counter"]), f.originator_counter);
    assert_eq!(f.cluster_id, 0x0700);
    assert_eq!(node(&r["Cluster Id"]), f.cluster_id.to_be_bytes());
    assert_eq!(f.frame_control.frame_type, FrameType::ClusterSpecific);
    assert_eq!(f.frame_control.direction, Direction::ToClient);
    assert_eq!(
        node(&r["Frame Control"]),
        [f.frame_control.to_byte().unwrap()]
    );
    assert_eq!(f.command_id, 0x06);
    assert_eq!(node(&r["Command Id"]), [f.command_id]);
    assert_eq!(p.components().count(), 0);

    // Generic alert 0x1000 (8F30): nothing after the time stamp.
    let rec = record(&recs, "GCA-ZigBee_NA_8F30_ALERT");
    assert_eq!(rec["message_code"], "0x1000");
    let b = payload(rec);
    assert_eq!(b.len(), 9);
    let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
    let a = p.header.alert.unwrap();
    assert_eq!(a.code, AlertCode::Unknown(0x8F30));
    assert_eq!(a.time.to_string(), "2015-01-01T00:00:00Z");
    assert_eq!(p.header.component_count, 0);
    let GbzBody::Components(c) = p.body else {
        panic!("components")
    };
    assert!(c.is_empty());

    // Firmware verification and integrity warning contents.
    let p = payload(record(&recs, "FDRA-ZigBee_NA_8F72_ALERT"));
    let p = GbzPayload::decode_as(&p, CraFlag::Alert).unwrap();
    assert_eq!(p.body, GbzBody::ImageHash(&[0xA1; 32]));
    let p = payload(record(&recs, "MIIWA-ZigBee_NA_81A0_ALERT"));
    let p = GbzPayload::decode_as(&p, CraFlag::Alert).unwrap();
    assert_eq!(p.body, GbzBody::IntegrityWarning(0x0005));
}

#[test]
fn truncation_at_every_offset_fails() {
    let Some(recs) = gbz_records() else { return };
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let b = payload(rec);
        let kind = GbzKind::from(cra(rec));
        for cut in 0..b.len() {
            let e = GbzPayload::decode_as(&b[..cut], kind)
                .err()
                .unwrap_or_else(|| panic!("{id}: cut at {cut} decoded"));
            assert!(e.offset <= cut, "{id} cut {cut}: {e}");
        }
    }
}

#[test]
fn rtds_keys_decrypt_the_encrypted_components() {
    let Some(recs) = gbz_records() else { return };
    let Some(store) = common::key_store("rtds:") else {
        return;
    };
    let mut ctx = SecurityContext::new(&store);
    let mut checked = 0;
    for rec in recs.iter().filter(|r| {
        r["independent_check"]["encrypted_blocks"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    }) {
        let id = rec["id"].as_str().unwrap();
        let bytes = unhex(rec["hex"].as_str().unwrap());
        let msg = GbcsMessage::decode(&bytes).unwrap();
        let s = msg.signing().unwrap();
        let key = ctx.encryption_key(&s.header).unwrap();
        let originator = s.header.originator;
        let p = GbzPayload::decode_as(s.content, s.header.transaction_id.cra_flag).unwrap();
        for (at, c) in p.components_with_offsets() {
            let Some(off) = c.ciphered_offset() else {
                assert_eq!(c.decrypt(&key, originator), None);
                continue;
            };
            let plaintext = c.decrypt(&key, originator).unwrap();
            assert_eq!(
                Some(&plaintext),
                plaintext_at(rec, at + off).as_ref(),
                "{id}"
            );
            assert!(c.decrypted_command(&plaintext).unwrap().is_some(), "{id}");
            // A flipped bit in the ciphertext or the tag: no plaintext.
            let ct = c.ciphered().unwrap().ciphertext.len();
            for flip in [at + off + 5, at + off + 5 + ct / 2, at + off + 5 + ct] {
                let mut bad = s.content.to_vec();
                bad[flip] ^= 0x20;
                let q = GbzPayload::decode_as(&bad, cra(rec)).unwrap();
                let (_, c) = q.components_with_offsets().find(|(a, _)| *a == at).unwrap();
                assert_eq!(c.decrypt(&key, originator), None, "{id} bit at {flip}");
            }
            // Another originator's IV: no plaintext.
            assert_eq!(c.decrypt(&key, s.header.recipient), None, "{id}");
            checked += 1;
        }
    }
    assert_eq!(checked, 34, "encrypted GBZ components");
}
