//! Every DER meaning in `gbcs/curated.jsonl`, asserted exactly on the typed
//! reading of its payload: CS06 commands, responses and the 0x00CA alert,
//! GCS28, CS07, the CS02b execution outcome and a CS02a response.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use serde_json::Value;
use smets_gbcs::asn1::credentials::TrustAnchorCellContents;
use smets_gbcs::asn1::firmware::ActivateFirmwareResponse;
use smets_gbcs::asn1::{DerPayload, GeneralizedTime, KeyUsageBits, decode};
use smets_gbcs::envelope::CraFlag;

/// `YYYYMMDDHHMMSSZ` as the ISO 8601 the typed time prints.
fn iso(g: &str) -> String {
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        &g[0..4],
        &g[4..6],
        &g[6..8],
        &g[8..10],
        &g[10..12],
        &g[12..14]
    )
}

fn time(t: GeneralizedTime) -> String {
    t.to_string()
}

fn up(b: &[u8]) -> String {
    hex::encode_upper(b)
}

#[test]
fn curated_der_meanings() {
    let Some(recs) = common::records("curated.jsonl") else {
        return;
    };
    let mut checked = 0;
    for r in recs.iter().filter(|r| r["payload_type"] == "DER") {
        let id = r["id"].as_str().unwrap();
        let e = &r["expected"];
        let code = u16::from_str_radix(&e["message_code"].as_str().unwrap()[2..], 16).unwrap();
        let cra = match e["cra"].as_str().unwrap() {
            "command" => CraFlag::Command,
            "response" => CraFlag::Response,
            _ => CraFlag::Alert,
        };
        let payload = hex::decode(r["hex"].as_str().unwrap()).unwrap();
        let p = decode(code, cra, &payload).unwrap_or_else(|e| panic!("{id}: {e}"));
        let der = &e["der"];
        match p {
            DerPayload::ActivateFirmwareCommand(c) => {
                let s = &der["SEQUENCE"];
                let hash = s["manufacturerImageHash"].as_str().unwrap();
                // One record abbreviates the hash as "AA75...6677".
                match hash.split_once("...") {
                    Some((head, tail)) => {
                        assert!(up(c.image_hash).starts_with(head), "{id}");
                        assert!(up(c.image_hash).ends_with(tail), "{id}");
                    }
                    None => assert_eq!(up(c.image_hash), hash, "{id}"),
                }
                assert_eq!(
                    c.originator_counter,
                    s["originatorCounter"].as_u64().unwrap()
                );
                match s["executionDateTime"].as_str() {
                    Some(t) => assert_eq!(c.execution_date_time.map(time), Some(iso(t)), "{id}"),
                    None => assert_eq!(c.execution_date_time, None, "{id}"),
                }
            }
            DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Outcome(o)) => {
                let x = &der["ExecutionOutcome"];
                assert_eq!(
                    u64::from(o.response_code.value()),
                    x["responseCode"].as_u64().unwrap()
                );
                assert_eq!(up(o.firmware_version), x["firmwareVersion"], "{id}");
            }
            DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Accepted) => {
                assert!(der.get("NULL").is_some(), "{id}");
                assert_eq!(payload, [0x05, 0x00], "{id}");
            }
            DerPayload::ActivateFirmwareAlert(a) => {
                assert_eq!(format!("0x{:04X}", a.alert_code), der["alertCode"], "{id}");
                assert_eq!(
                    time(a.execution_date_time),
                    iso(der["executionDateTime"].as_str().unwrap())
                );
                assert_eq!(
                    a.originator_counter,
                    der["originatorCounter"].as_u64().unwrap()
                );
                let o = &der["executionOutcome"];
                assert_eq!(
                    u64::from(a.outcome.response_code.value()),
                    o["responseCode"].as_u64().unwrap()
                );
                assert_eq!(up(a.outcome.firmware_version), o["firmwareVersion"], "{id}");
            }
            DerPayload::SetClockCommand(c) => {
                assert_eq!(
                    time(c.validity_start),
                    iso(der["validityIntervalStart"].as_str().unwrap())
                );
                assert_eq!(
                    time(c.validity_end),
                    iso(der["validityIntervalEnd"].as_str().unwrap())
                );
            }
            DerPayload::SetClockResponse(c) => {
                assert_eq!(
                    time(c.device_time),
                    iso(der["deviceTime"].as_str().unwrap())
                );
                assert_eq!(
                    u64::from(c.status.value()),
                    der["deviceTimeStatus"].as_u64().unwrap()
                );
            }
            DerPayload::ReadJoinDetailsResponse(j) => {
                assert_eq!(
                    u64::from(j.response_code.value()),
                    der["responseCode"].as_u64().unwrap()
                );
                let want = der["deviceLogEntries"].as_array().unwrap();
                let got: Vec<_> = j.entries.unwrap().iter().collect();
                assert_eq!(got.len(), want.len(), "{id}");
                for (g, w) in got.iter().zip(want) {
                    assert_eq!(format!("{:016X}", g.device_id.0), w["deviceId"], "{id}");
                    assert_eq!(
                        u64::from(g.device_type.value()),
                        w["deviceType"].as_u64().unwrap()
                    );
                }
            }
            DerPayload::UpdateSecurityCredentialsResponse(u) => {
                let x = &der["executionOutcome"];
                let o = u.outcome.unwrap();
                assert_eq!(
                    o.authorising_seq_number,
                    x["authorisingRemotePartySeqNumber"].as_u64().unwrap()
                );
                assert_eq!(
                    u64::from(o.mode.value()),
                    x["credentialsReplacementMode"].as_u64().unwrap()
                );
                // "3 x {affectedTrustAnchorCell{role 2, keyUsage}, statusCode 0, ...}"
                let outcomes: Vec<_> = o.replacement_outcomes.iter().collect();
                assert_eq!(outcomes.len(), 3, "{id}");
                for r in outcomes {
                    assert_eq!(r.affected_cell.role.value(), 2, "{id}");
                    assert_eq!(r.status.value(), 0, "{id}");
                    assert_eq!(r.existing_subject_unique_id.len(), 8, "{id}");
                    assert_eq!(r.replacing_subject_key_id.len(), 8, "{id}");
                }
            }
            DerPayload::ProvideCredentialDetailsResponse(d) => {
                let x: &Value = &der["remotePartyDetails[0]"];
                let p0 = d.parties.iter().next().unwrap();
                assert_eq!(u64::from(p0.role.value()), x["role"].as_u64().unwrap());
                assert_eq!(
                    u64::from(p0.status.value()),
                    x["statusCode"].as_u64().unwrap()
                );
                let c = p0.credentials.unwrap();
                assert_eq!(
                    c.current_seq_number,
                    x["currentSeqNumber"].as_u64().unwrap()
                );
                let cell: TrustAnchorCellContents<'_> = c.cells.iter().next().unwrap();
                let t = &x["trustAnchorCell[0]"];
                assert_eq!(t["keyUsage"], "keyCertSign");
                assert_eq!(cell.key_usage, KeyUsageBits::KEY_CERT_SIGN, "{id}");
                // "absent -> DEFAULT management"
                assert_eq!(cell.cell_usage, None, "{id}");
                assert_eq!(up(cell.subject_unique_id), t["subjectUniqueID"], "{id}");
                assert_eq!(up(cell.subject_key_id), t["subjectKeyIdentifier"], "{id}");
            }
            other => panic!("{id}: no curated check for {other:?}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 10);
}
