//! Every DER payload of the RTDS 4.5.0 vectors (`gbcs/rtds-4.5.0.jsonl`,
//! `payload.family == "DER"`): walked and rebuilt byte for byte, decoded by
//! message code and CRA flag to a typed value, re-encoded byte for byte,
//! cut at every offset, and checked field by field against the
//! reference parser's `reference_decode` tree. Vectors are read from
//! `$SMETS_VECTORS` or `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::records;

use serde_json::Value;
use smets_core::{Decode, Encode, Eui64, Layer};
use smets_gbcs::asn1::credentials::CredentialsReplacementMode;
use smets_gbcs::asn1::firmware::ActivateFirmwareResponse;
use smets_gbcs::asn1::{
    DerPayload, GeneralizedTime, KeyUsageBits, RemotePartyRole, StatusCode, decode, walk,
};
use smets_gbcs::envelope::CraFlag;

struct Rec {
    id: String,
    code: u16,
    cra: CraFlag,
    payload: Vec<u8>,
    reference: Value,
}

fn der_records() -> Option<Vec<Rec>> {
    let recs = records("rtds-4.5.0.jsonl")?;
    Some(
        recs.into_iter()
            .filter(|r| r["payload"]["family"] == "DER")
            .map(|r| Rec {
                id: r["id"].as_str().unwrap().to_owned(),
                code: u16::from_str_radix(
                    r["message_code"].as_str().unwrap().trim_start_matches("0x"),
                    16,
                )
                .unwrap(),
                cra: CraFlag::from(
                    u8::try_from(r["envelope"]["cra_flag"].as_u64().unwrap()).unwrap(),
                ),
                payload: hex::decode(r["payload"]["hex"].as_str().unwrap()).unwrap(),
                reference: r["payload"]["reference_decode"].clone(),
            })
            .collect(),
    )
}

/// Every node of the reference tree whose name ends with `name`, in order.
fn find<'v>(v: &'v Value, name: &str, out: &mut Vec<&'v Value>) {
    if let Some(map) = v.as_object() {
        for (k, child) in map {
            if k.ends_with(name) {
                out.push(child);
            }
            find(child, name, out);
        }
    }
}

fn nodes<'v>(v: &'v Value, name: &str) -> Vec<&'v Value> {
    let mut out = Vec::new();
    find(v, name, &mut out);
    out
}

fn node_hex(v: &Value) -> Vec<u8> {
    hex::decode(v["hex"].as_str().unwrap().replace(' ', "")).unwrap()
}

fn notes(v: &Value) -> &str {
    v["notes"].as_str().unwrap()
}

/// The reference parser prints GeneralizedTime as `2030-01-15 09:00:00 Z`.
fn reference_time(t: GeneralizedTime) -> String {
    let s = t.to_string();
    format!("{} {} Z", &s[..10], &s[11..19])
}

/// The value octets of a reference node holding a whole short-form TLV.
fn tlv_value(v: &Value) -> Vec<u8> {
    node_hex(v)[2..].to_vec()
}

#[test]
fn every_der_payload_walks_decodes_and_round_trips() {
    let Some(recs) = der_records() else { return };
    assert_eq!(recs.len(), 154);
    let mut generic = Vec::new();
    for r in &recs {
        let tree = walk(&r.payload).unwrap_or_else(|e| panic!("{}: {e}", r.id));
        assert_eq!(tree.as_bytes(), &r.payload[..], "{}", r.id);
        assert_eq!(tree.to_vec().unwrap(), r.payload, "{}: rebuild", r.id);
        let mut count = 0;
        tree.visit(&mut |_| count += 1).unwrap();
        assert!(count >= 1);

        let p = decode(r.code, r.cra, &r.payload).unwrap_or_else(|e| panic!("{}: {e}", r.id));
        if p.is_generic() {
            generic.push(r.id.clone());
        }
        assert_eq!(p.encoded_len(), r.payload.len(), "{}", r.id);
        assert_eq!(p.to_vec().unwrap(), r.payload, "{}: re-encode", r.id);
    }
    assert!(generic.is_empty(), "no typed decoder: {generic:?}");
}

#[test]
fn every_cut_is_an_error() {
    let Some(recs) = der_records() else { return };
    for r in &recs {
        for cut in 0..r.payload.len() {
            let e = decode(r.code, r.cra, &r.payload[..cut]).unwrap_err();
            assert_eq!(e.layer, Layer::Gbcs);
            assert!(e.offset <= cut, "{} cut {cut}: {e}", r.id);
            assert!(walk(&r.payload[..cut]).is_err());
        }
    }
}

#[test]
fn activate_firmware_matches_the_reference() {
    let Some(recs) = der_records() else { return };
    let mut seen = [0; 3];
    for r in recs.iter().filter(|r| r.code == 0x0012 || r.code == 0x00CA) {
        match decode(r.code, r.cra, &r.payload).unwrap() {
            DerPayload::ActivateFirmwareCommand(c) => {
                seen[0] += 1;
                let h = nodes(&r.reference, "Manufacturer Image Hash");
                assert!(node_hex(h[0]).ends_with(c.image_hash), "{}", r.id);
                let n = nodes(&r.reference, "Originator Counter");
                assert_eq!(notes(n[0]), c.originator_counter.to_string(), "{}", r.id);
                let t = nodes(&r.reference, "Execution Date Time");
                match c.execution_date_time {
                    Some(dt) => assert_eq!(notes(t[0]), reference_time(dt), "{}", r.id),
                    None => assert!(t.is_empty()),
                }
            }
            DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Outcome(o)) => {
                seen[1] += 1;
                let code = nodes(&r.reference, "Response Code");
                assert_eq!(
                    notes(code[0]).to_lowercase().replace(' ', "_"),
                    o.response_code.label().unwrap(),
                    "{}",
                    r.id
                );
                let v = nodes(&r.reference, "Firmware Version");
                assert_eq!(tlv_value(v[0]), o.firmware_version, "{}", r.id);
            }
            DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Accepted) => {}
            DerPayload::ActivateFirmwareAlert(a) => {
                seen[2] += 1;
                let code = nodes(&r.reference, "Alert Code");
                assert_eq!(
                    node_hex(code[0]),
                    [&[0x02, 0x03, 0x00][..], &a.alert_code.to_be_bytes()].concat()
                );
                let n = nodes(&r.reference, "Originator Counter");
                assert_eq!(notes(n[0]), a.originator_counter.to_string(), "{}", r.id);
                let t = nodes(&r.reference, "Execution Date Time");
                assert_eq!(notes(t[0]), reference_time(a.execution_date_time));
            }
            other => panic!("{}: {other:?}", r.id),
        }
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

#[test]
fn update_security_credentials_matches_the_reference() {
    let Some(recs) = der_records() else { return };
    let mut commands = 0;
    let mut outcomes = 0;
    for r in recs.iter().filter(|r| (0x0100..=0x0109).contains(&r.code)) {
        match decode(r.code, r.cra, &r.payload).unwrap() {
            DerPayload::UpdateSecurityCredentialsCommand(c) => {
                commands += 1;
                assert_eq!(
                    c.control.mode,
                    CredentialsReplacementMode::from((r.code & 0xFF) as u8)
                );
                let seq = nodes(&r.reference, "Authorising Remote Party Seq Number");
                assert_eq!(notes(seq[0]), c.control.authorising_seq_number.to_string());
                let floor = nodes(&r.reference, "New Remote Party Floor Seq Number");
                assert_eq!(
                    floor.first().map(|f| notes(f).to_owned()),
                    c.control.new_floor_seq_number.map(|f| f.to_string()),
                    "{}",
                    r.id
                );
                let reps = nodes(&r.reference, "Trust Anchor Replacement");
                assert_eq!(reps.len(), c.replacements.len(), "{}", r.id);
                for (rep, node) in c.replacements.iter().zip(reps) {
                    // The certificate is the replacement's unnamed first child.
                    assert_eq!(node_hex(&node["children"][""]), rep.certificate.der);
                    let cell = &node["children"]["Target Trust Anchor Cell"]["children"];
                    assert_eq!(
                        KeyUsageBits::decode(&node_hex(&cell["Key Usage"])).unwrap(),
                        rep.target_cell.key_usage
                    );
                    assert_eq!(
                        u64::from(tlv_value(&cell["Remote Party Role"])[0]),
                        u64::from(rep.target_cell.role.value())
                    );
                    let smki = rep.certificate.smki().unwrap();
                    assert_eq!(
                        smki.role.map(RemotePartyRole::from),
                        Some(rep.target_cell.role)
                    );
                    assert_eq!(
                        smki.usage.map(KeyUsageBits::from),
                        Some(rep.target_cell.key_usage),
                        "{}",
                        r.id
                    );
                }
                assert_eq!(c.certification_path.len(), 1);
                let t = nodes(&r.reference, "Execution Date Time");
                match c.execution_date_time {
                    Some(dt) => assert_eq!(notes(t[0]), reference_time(dt)),
                    None => assert!(t.is_empty()),
                }
            }
            DerPayload::UpdateSecurityCredentialsResponse(resp) => {
                let Some(o) = resp.outcome else { continue };
                outcomes += 1;
                let seq = nodes(&r.reference, "Authorising Remote Party Seq Number");
                assert_eq!(notes(seq[0]), o.authorising_seq_number.to_string());
                let st = nodes(&r.reference, "Status Code");
                assert_eq!(st.len(), o.replacement_outcomes.len());
                for (out, node) in o.replacement_outcomes.iter().zip(st) {
                    assert_eq!(tlv_value(node)[0], out.status.value());
                }
                let ex = nodes(&r.reference, "Replacing Subject Key ID");
                for (out, node) in o.replacement_outcomes.iter().zip(ex) {
                    assert_eq!(tlv_value(node), out.replacing_subject_key_id);
                }
            }
            other => panic!("{}: {other:?}", r.id),
        }
    }
    assert!(commands >= 10 && outcomes >= 8, "{commands} {outcomes}");
}

#[test]
fn supplier_by_supplier_command_in_detail() {
    let Some(recs) = der_records() else { return };
    let r = recs
        .iter()
        .find(|r| {
            r.id.ends_with("CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_COMMAND")
        })
        .unwrap();
    let DerPayload::UpdateSecurityCredentialsCommand(c) =
        decode(r.code, r.cra, &r.payload).unwrap()
    else {
        panic!("type")
    };
    let k = &c.control;
    assert_eq!(k.mode, CredentialsReplacementMode::SupplierBySupplier);
    assert_eq!(k.cpv_checks.unwrap().label(), Some("disapply"));
    let cell = k.authorising_cell.unwrap();
    assert_eq!(cell.role, RemotePartyRole::Supplier);
    assert_eq!(cell.key_usage, KeyUsageBits::DIGITAL_SIGNATURE);
    assert_eq!(cell.cell_usage, None);
    assert_eq!(k.authorising_seq_number, 1000);
    assert_eq!(k.new_floor_seq_number, Some(0));
    let sp: Vec<_> = k.new_specialist_floor_seq_numbers.unwrap().iter().collect();
    assert_eq!(sp.len(), 1);
    assert_eq!((sp[0].usage.value(), sp[0].seq_number), (0, 0));
    assert!(k.other_seq_number_changes.is_none());
    let reps: Vec<_> = c.replacements.iter().collect();
    assert_eq!(reps.len(), 3);
    assert_eq!(
        reps[2].target_cell.cell_usage.unwrap().label(),
        Some("prepayment_top_up")
    );
    let cert = reps[0].certificate.certificate().unwrap();
    let subject = cert.tbs_certificate().subject().to_string();
    assert!(subject.contains("CN=GITTESTSUPPLIER"), "{subject}");
    let smki = reps[0].certificate.smki().unwrap();
    assert_eq!(smki.entity, Some(Eui64(0x90B3_D51F_3001_0000)));
    assert_eq!(c.execution_date_time, None);
}

#[test]
fn credential_details_match_the_reference() {
    let Some(recs) = der_records() else { return };
    let mut n = 0;
    for r in recs
        .iter()
        .filter(|r| r.code == 0x0008 && r.cra == CraFlag::Response)
    {
        let DerPayload::ProvideCredentialDetailsResponse(resp) =
            decode(r.code, r.cra, &r.payload).unwrap()
        else {
            panic!("{}", r.id)
        };
        let roles = nodes(&r.reference, "Remote Party Role");
        let parties: Vec<_> = resp.parties.iter().collect();
        assert_eq!(roles.len(), parties.len(), "{}", r.id);
        let ids = nodes(&r.reference, "Subject Unique ID");
        let cells: Vec<_> = parties
            .iter()
            .filter_map(|p| p.credentials)
            .flat_map(|c| c.cells.iter())
            .collect();
        assert_eq!(ids.len(), cells.len());
        for (id, cell) in ids.iter().zip(&cells) {
            assert_eq!(tlv_value(id), cell.subject_unique_id);
        }
        for p in &parties {
            assert_eq!(
                p.credentials.is_some(),
                p.status == StatusCode::Success,
                "{}",
                r.id
            );
        }
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn join_and_clock_match_the_reference() {
    let Some(recs) = der_records() else { return };
    let (mut joins, mut clocks) = (0, 0);
    for r in &recs {
        match decode(r.code, r.cra, &r.payload).unwrap() {
            DerPayload::JoinCommand(j) => {
                joins += 1;
                let id = nodes(&r.reference, "Entity Id");
                assert_eq!(tlv_value(id[0]), j.entity_id.to_be_bytes());
                let t = nodes(&r.reference, "Device Type");
                assert_eq!(
                    notes(t[0]).to_lowercase().replace(' ', ""),
                    j.device_type.label().unwrap(),
                    "{}",
                    r.id
                );
                let m = nodes(&r.reference, "Join Method and Role");
                assert_eq!(
                    notes(m[0]).to_lowercase().replace(' ', "_"),
                    j.join_method_and_role.label().unwrap()
                );
                assert_eq!(j.certificate.is_some(), r.payload.len() > 40);
            }
            DerPayload::JoinResponse(code) => {
                let c = nodes(&r.reference, "Response Code");
                assert_eq!(tlv_value(c[0]), [code.value()]);
            }
            DerPayload::SetClockCommand(c) => {
                clocks += 1;
                let s = nodes(&r.reference, "Validity Interval Start");
                let e = nodes(&r.reference, "Validity Interval End");
                assert_eq!(notes(s[0]), reference_time(c.validity_start));
                assert_eq!(notes(e[0]), reference_time(c.validity_end));
                assert!(c.validity_start.utc().unwrap() < c.validity_end.utc().unwrap());
            }
            DerPayload::SetClockResponse(c) => {
                clocks += 1;
                let t = nodes(&r.reference, "Device Time");
                assert_eq!(notes(t[0]), reference_time(c.device_time));
                let s = nodes(&r.reference, "Device Time Status");
                assert_eq!(notes(s[0]).to_lowercase(), c.status.label().unwrap());
            }
            _ => {}
        }
    }
    assert_eq!((joins, clocks), (13, 6));
}

#[test]
fn device_certificates_and_requests() {
    use smets_gbcs::asn1::credentials::{
        IssueSecurityCredentialsResponse, ProvideDeviceCertificateResponse,
    };
    let Some(recs) = der_records() else { return };
    let mut seen = [0; 4];
    for r in recs.iter().filter(|r| (0x000A..=0x000C).contains(&r.code)) {
        match decode(r.code, r.cra, &r.payload).unwrap() {
            DerPayload::IssueSecurityCredentialsCommand(k)
            | DerPayload::ProvideDeviceCertificateCommand(k) => {
                seen[0] += 1;
                assert!(k.key_usage.key_usage().is_some(), "{}", r.id);
            }
            DerPayload::IssueSecurityCredentialsResponse(
                IssueSecurityCredentialsResponse::Request(q),
            ) => {
                seen[1] += 1;
                let req = q.request().unwrap();
                assert_eq!(req.info.public_key.subject_public_key.raw_bytes().len(), 65);
            }
            DerPayload::ProvideDeviceCertificateResponse(
                ProvideDeviceCertificateResponse::Certificate(c),
            )
            | DerPayload::UpdateDeviceCertificateCommand(c) => {
                seen[2] += 1;
                assert!(c.certificate().is_ok(), "{}", r.id);
                // The error scenarios send certificates of the wrong identity.
                if !r.id.contains("ERROR") {
                    let smki = c.smki().unwrap();
                    assert!(smki.entity.is_some(), "{}", r.id);
                    assert!(smki.usage.is_some(), "{}", r.id);
                }
            }
            DerPayload::IssueSecurityCredentialsResponse(
                IssueSecurityCredentialsResponse::Error(e),
            ) => {
                seen[3] += 1;
                let c = nodes(&r.reference, "Response Code");
                assert_eq!(tlv_value(c[0]), [e.value()]);
            }
            DerPayload::ProvideDeviceCertificateResponse(
                ProvideDeviceCertificateResponse::Error(e),
            ) => {
                seen[3] += 1;
                let c = nodes(&r.reference, "Response Code");
                assert_eq!(
                    notes(c[0]).to_lowercase().replace(' ', "_"),
                    e.label().unwrap()
                );
            }
            DerPayload::UpdateDeviceCertificateResponse(code) => {
                assert_eq!(code.label(), Some("success"));
            }
            other => panic!("{}: {other:?}", r.id),
        }
    }
    assert!(seen.iter().all(|&n| n > 0), "{seen:?}");
}

#[test]
fn der_alerts_match_the_reference() {
    let Some(recs) = der_records() else { return };
    let mut n = 0;
    for r in recs.iter().filter(|r| r.cra == CraFlag::Alert) {
        let p = decode(r.code, r.cra, &r.payload).unwrap();
        let (code, time) = match p {
            DerPayload::UpdateSecurityCredentialsAlert(a) => (a.alert_code, a.execution_date_time),
            DerPayload::ActivateFirmwareAlert(a) => (a.alert_code, a.execution_date_time),
            DerPayload::FirmwareVersionAlert(a) => (a.alert_code, a.date_time),
            DerPayload::FirmwareTransferAlert(a) => {
                let id = nodes(&r.reference, "Entity Id");
                assert_eq!(tlv_value(id[0]), a.entity_id.to_be_bytes());
                (a.alert_code, a.date_time)
            }
            DerPayload::DeviceLogBackupAlert(a) => {
                let e = nodes(&r.reference, "Device Log Entry");
                assert_eq!(e.len(), a.entries.len());
                (a.alert_code, a.backup_date_time)
            }
            other => panic!("{}: {other:?}", r.id),
        };
        // Leading zero octet: 0x8F66 is sent as `02 03 00 8F 66`.
        let first = walk(&r.payload)
            .unwrap()
            .children()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(
            first.as_bytes(),
            [&[0x02, 0x03, 0x00][..], &code.to_be_bytes()].concat()
        );
        assert!(time.utc().is_some());
        // The reference parser has no decoder for the CS02g and CS09 bodies.
        if let Some(c) = nodes(&r.reference, "Alert Code").first() {
            assert_eq!(node_hex(c)[3..], code.to_be_bytes());
            n += 1;
        }
    }
    assert!(n >= 6, "{n}");
}

#[test]
fn read_join_details_matches_the_reference() {
    let Some(recs) = der_records() else { return };
    let r = recs
        .iter()
        .find(|r| r.code == 0x0013 && r.cra == CraFlag::Response)
        .unwrap();
    let DerPayload::ReadJoinDetailsResponse(j) = decode(r.code, r.cra, &r.payload).unwrap() else {
        panic!("type")
    };
    assert_eq!(j.response_code.label(), Some("success"));
    let entries: Vec<_> = j.entries.unwrap().iter().collect();
    let ids = nodes(&r.reference, "Device Id");
    let types = nodes(&r.reference, "Device Type");
    assert_eq!((ids.len(), types.len()), (entries.len(), entries.len()));
    for ((e, id), ty) in entries.iter().zip(ids).zip(types) {
        assert_eq!(tlv_value(id), e.device_id.to_be_bytes());
        assert_eq!(
            notes(ty).to_lowercase().replace(' ', ""),
            e.device_type.label().unwrap()
        );
    }
}
