//! `smets decode` shows each GBCS payload decoded (`gbcs.payload`) and keeps
//! only the use cases asked for (`--use-case`): every RTDS 4.5.0 message one
//! a line, with the public test keys.
//!
//! Vectors: `$SMETS_VECTORS` or `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;
use common::{keys_toml, ndjson, path_str, rtds_keys, smets, tmp_dir, vectors_dir};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};
use smets_core::time::Utc2000;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::usecase;

struct Fixture {
    rtds: Vec<Value>,
    curated: Vec<Value>,
    keys_file: PathBuf,
    input: PathBuf,
    /// The run over every RTDS message, one record a message, in order,
    /// with `--payload tree`.
    records: Vec<Value>,
    /// The same run with typed payloads (the default).
    typed: Vec<Value>,
}

fn fixture() -> Option<&'static Fixture> {
    static F: OnceLock<Option<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let dir = vectors_dir()?;
        let read = |name: &str| -> Vec<Value> {
            std::fs::read_to_string(dir.join(name))
                .unwrap()
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        };
        let rtds = read("gbcs/rtds-4.5.0.jsonl");
        let curated = read("gbcs/curated.jsonl");
        let tmp = tmp_dir("payload");
        let keys_file = tmp.join("keys.toml");
        std::fs::write(&keys_file, keys_toml(&rtds_keys(&dir))).unwrap();
        let text: String = rtds
            .iter()
            .map(|r| format!("{}\n", r["hex"].as_str().unwrap()))
            .collect();
        let input = tmp.join("rtds.txt");
        std::fs::write(&input, text).unwrap();
        let run = |view: &str| {
            let out = smets(
                &[
                    "decode",
                    "--keys",
                    path_str(&keys_file),
                    "--format",
                    "ndjson",
                    "--payload",
                    view,
                    path_str(&input),
                ],
                None,
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let records = ndjson(&out);
            assert_eq!(records.len(), rtds.len());
            records
        };
        let records = run("tree");
        let typed = run("typed");
        Some(Fixture {
            rtds,
            curated,
            keys_file,
            input,
            records,
            typed,
        })
    })
    .as_ref()
}

/// Every DLMS payload shows its APDU as the vector names it, with the
/// invoke id of the originator counter (GBCS 7.2.3) and one data entry
/// per request; each decrypted part as A-XDR data at its offset.
#[test]
fn every_dlms_payload_shows_its_tree() {
    let Some(f) = fixture() else { return };
    let mut dlms = 0;
    let mut decrypted = 0;
    for (v, r) in f.rtds.iter().zip(&f.records) {
        if v["payload"]["family"] != "DLMS" {
            continue;
        }
        dlms += 1;
        let id = v["id"].as_str().unwrap();
        let p = &r["gbcs"]["payload"];
        assert_eq!(p["decoded_as"], "tree", "{id}");
        let apdu = v["payload"]["dlms_apdu"]
            .as_str()
            .unwrap()
            .replace('-', "_");
        assert_eq!(p["apdu"], apdu, "{id}");
        let counter = v["envelope"]["originator_counter"].as_u64().unwrap();
        assert_eq!(p["invoke_id"], counter & 0xFF_FFFF, "{id}");
        match apdu.as_str() {
            "access_request" => assert_eq!(
                p["requests"].as_array().unwrap().len(),
                p["data"].as_array().unwrap().len(),
                "{id}"
            ),
            "access_response" => assert_eq!(
                p["results"].as_array().unwrap().len(),
                p["data"].as_array().unwrap().len(),
                "{id}"
            ),
            _ => assert!(p["body"]["structure"].is_array(), "{id}"),
        }
        let want: Vec<u64> = v["independent_check"]["encrypted_blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| b["offset_in_content"].as_u64().unwrap())
            .collect();
        let got: Vec<u64> = p["decrypted"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                // The plaintext of a protected read is A-XDR data, not hex.
                assert!(d["data"].get("hex").is_none(), "{id}: {d}");
                d["offset"].as_u64().unwrap()
            })
            .collect();
        assert_eq!(got, want, "{id}");
        decrypted += got.len();
    }
    assert_eq!(dlms, 568);
    // 4 protected DLMS reads, 6 GBZ-form parts in DLMS-family alerts.
    assert_eq!(decrypted, 10);
}

/// The curated DLMS meanings that are the APDU's own fields: requests by
/// class, OBIS and attribute or method, data values, results.
#[test]
fn curated_dlms_fields_are_shown_exactly() {
    let Some(f) = fixture() else { return };
    let by_hex: BTreeMap<String, &Value> = f
        .rtds
        .iter()
        .zip(&f.records)
        .map(|(v, r)| (v["payload"]["hex"].as_str().unwrap().to_uppercase(), r))
        .collect();
    let mut checked = 0;
    let mut logs = 0;
    for c in &f.curated {
        if c["payload_type"] != "DLMS" {
            continue;
        }
        let Some(r) = by_hex.get(&c["hex"].as_str().unwrap().to_uppercase()) else {
            continue;
        };
        let e = &c["expected"];
        let p = &r["gbcs"]["payload"];
        let id = c["id"].as_str().unwrap();
        if let Some(want) = e["apdu"].as_str() {
            assert_eq!(p["apdu"], want.replace('-', "_"), "{id}");
        }
        if let Some(n) = e.get("invoke_id") {
            assert_eq!(&p["invoke_id"], n, "{id}");
        }
        if let Some(reqs) = e["requests"].as_array() {
            for (want, got) in reqs.iter().zip(p["requests"].as_array().unwrap()) {
                assert_eq!(
                    got["kind"],
                    want["kind"].as_str().unwrap().replace('-', "_")
                );
                for k in [
                    "class_id",
                    "obis",
                    "attribute_id",
                    "method_id",
                    "access_selector",
                ] {
                    if let Some(x) = want.get(k) {
                        assert_eq!(&got[k], x, "{id} {k}");
                    }
                }
            }
        }
        if let Some(data) = e["data"].as_array() {
            let got = p["data"].as_array().unwrap();
            assert_eq!(got.len(), data.len(), "{id}");
            for (want, got) in data.iter().zip(got) {
                let want = match want {
                    Value::Object(o) if o.contains_key("octet_string") => {
                        json!({"octet_string": o["octet_string"].as_str().unwrap().to_lowercase()})
                    }
                    Value::Object(o) if o.contains_key("octet_string_ascii") => {
                        let s = o["octet_string_ascii"].as_str().unwrap();
                        json!({"octet_string": hex::encode(s)})
                    }
                    // An event log: (UTC seconds, event code, octet-string).
                    Value::Object(o) if o.contains_key("compact_array") => {
                        let rows = got["compact_array"]["elements"].as_array().unwrap();
                        let first = o["compact_array"]["first_entries"].as_array().unwrap();
                        for (row, want) in rows.iter().zip(first) {
                            let code = want[1].as_str().unwrap();
                            let want = json!({"structure": [
                                {"double_long_unsigned": want[0]},
                                {"long_unsigned": u16::from_str_radix(&code[2..], 16).unwrap()},
                                {"octet_string": want[2].as_str().unwrap().to_lowercase()},
                            ]});
                            assert_eq!(row, &want, "{id}");
                        }
                        assert!(rows.len() > first.len(), "{id}");
                        continue;
                    }
                    w => w.clone(),
                };
                assert_eq!(got, &want, "{id}");
            }
        }
        if let Some(ca) = e["decrypted"].get("compact_array") {
            // A profile or daily log: (UTC seconds since 2000, value) rows.
            let rows = p["decrypted"][0]["data"]["structure"][0]["compact_array"]["elements"]
                .as_array()
                .unwrap();
            let row = |r: &Value| {
                let s = r["structure"].as_array().unwrap();
                let t = s[0]["double_long_unsigned"].as_u64().unwrap();
                let t = Utc2000(u32::try_from(t).unwrap()).to_string();
                (t, s[1]["double_long_unsigned"].clone())
            };
            let pair = |w: &Value| (w[0].as_str().unwrap().to_owned(), w[1].clone());
            let (first, last) = match (&ca["entries"], &ca["first"]) {
                (Value::Array(all), _) => (all.clone(), all.last().cloned()),
                (Value::Number(n), Value::Array(first)) => {
                    assert_eq!(rows.len() as u64, n.as_u64().unwrap(), "{id}");
                    (first.clone(), ca.get("last").cloned())
                }
                _ => panic!("{id}: {ca}"),
            };
            for (r, w) in rows.iter().zip(&first) {
                assert_eq!(row(r), pair(w), "{id}");
            }
            if let Some(l) = last {
                assert_eq!(row(rows.last().unwrap()), pair(&l), "{id}");
            }
            logs += 1;
        }
        if let Some(results) = e["results"].as_array() {
            for (want, got) in results.iter().zip(p["results"].as_array().unwrap()) {
                assert_eq!(got["kind"], want["kind"], "{id}");
                let code = want
                    .get("data_access_result")
                    .or_else(|| want.get("action_result"))
                    .unwrap();
                if code == 0 {
                    assert_eq!(got["result"], "success", "{id}");
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
    // ECS22b's half-hour profile and ECS66's daily consumption log.
    assert_eq!(logs, 2);
}

/// `--use-case` keeps exactly the messages of the named use cases and
/// message codes, in input order.
#[test]
fn use_case_filter_keeps_exactly_the_named_messages() {
    let Some(f) = fixture() else { return };
    let out = smets(
        &[
            "decode",
            "--keys",
            path_str(&f.keys_file),
            "--format",
            "ndjson",
            "--use-case",
            "ECS17b,0x0059",
            "--use-case",
            "CS02b",
            path_str(&f.input),
        ],
        None,
    );
    assert!(out.status.success());
    let got: Vec<u64> = ndjson(&out)
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    let want: Vec<u64> = f
        .rtds
        .iter()
        .enumerate()
        .filter(|(_, v)| {
            let code = v["message_code"].as_str().unwrap();
            let code = u16::from_str_radix(&code[2..], 16).unwrap();
            code == 0x0027 || code == 0x0059 || (0x0100..=0x0109).contains(&code)
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert!(want.len() > 10);
    assert_eq!(got, want);
    let bad = smets(&["decode", "--use-case", "NOPE1", path_str(&f.input)], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("NOPE1"));
}

/// With typed payloads (the default), a payload shows typed exactly when
/// the library's use-case layer reads it, and then as that reading
/// serializes; the others keep their tree. A person's values: ECS19's
/// balances and ECS22b's half-hour profile.
#[test]
fn typed_payloads_are_the_use_case_reading() {
    let Some(f) = fixture() else { return };
    let mut typed = 0;
    for (v, r) in f.rtds.iter().zip(&f.typed) {
        let id = v["id"].as_str().unwrap();
        let payload = hex::decode(v["payload"]["hex"].as_str().unwrap()).unwrap();
        let code = u16::from_str_radix(&v["message_code"].as_str().unwrap()[2..], 16).unwrap();
        let cra = CraFlag::from(u8::try_from(v["envelope"]["cra_flag"].as_u64().unwrap()).unwrap());
        let blocks: Vec<(usize, Vec<u8>)> = v["independent_check"]["encrypted_blocks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| {
                (
                    usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap(),
                    hex::decode(b["plaintext"].as_str().unwrap()).unwrap(),
                )
            })
            .collect();
        let plaintexts: Vec<(usize, &[u8])> =
            blocks.iter().map(|(o, p)| (*o, p.as_slice())).collect();
        let p = &r["gbcs"]["payload"];
        match usecase::decode(code, cra, &payload, &plaintexts) {
            Ok(Some(t)) => {
                assert_eq!(p["decoded_as"], "typed", "{id}");
                assert_eq!(p["typed"], serde_json::to_value(t).unwrap(), "{id}");
                typed += 1;
            }
            _ => assert_eq!(p["decoded_as"], "tree", "{id}"),
        }
    }
    // 154 DER payloads, 108 DLMS and 92 GBZ of the typed use cases.
    assert!(typed >= 354, "{typed}");
    let find = |suffix: &str| {
        let i = f
            .rtds
            .iter()
            .position(|v| v["id"].as_str().unwrap().ends_with(suffix))
            .unwrap();
        &f.typed[i]["gbcs"]["payload"]["typed"]
    };
    let b = &find("/ECS19_4.3_SUCCESS_RESPONSE")["prepay_values"]["reply"]["value"]["value"]["decrypted"];
    assert_eq!(b["meter_balance"], 250_000);
    assert_eq!(b["emergency_credit_balance"], 95_000);
    assert_eq!(b["payment_debt_balance"], 46_000);
    let hh = find("/ECS22b_4.8.1_SINGLE_SUCCESS_RESPONSE")["profile"]["reply"]["value"]["value"]
        ["decrypted"]
        .as_array()
        .unwrap();
    assert_eq!(hh.len(), 49);
    assert_eq!(hh[0]["timestamp"], "2014-12-31T00:00:00Z");
    assert_eq!(hh[0]["value"], 95);
    assert_eq!(hh[48]["timestamp"], "2015-01-01T00:00:00Z");
    assert_eq!(hh[48]["value"], 139);
}

/// Every GBZ payload shows its tree: each component's ZCL command by name,
/// the encrypted ones decrypted with the test keys (none left encrypted).
#[test]
fn every_gbz_payload_shows_its_tree() {
    let Some(f) = fixture() else { return };
    let (mut payloads, mut components, mut decrypted) = (0, 0, 0);
    for (v, r) in f.rtds.iter().zip(&f.records) {
        if v["payload"]["family"] != "GBZ" {
            continue;
        }
        payloads += 1;
        let id = v["id"].as_str().unwrap();
        let p = &r["gbcs"]["payload"];
        assert_eq!(p["decoded_as"], "tree", "{id}");
        assert_eq!(p["profile_id"], "0x0109", "{id}");
        assert_eq!(v["kind"] == "alert", p.get("alert").is_some(), "{id}");
        for c in p["components"].as_array().into_iter().flatten() {
            components += 1;
            assert!(c["zcl"]["command_name"].is_string(), "{id}: {c}");
            assert!(c.get("encrypted_payload").is_none(), "{id}: {c}");
            if c["encrypted"] == true {
                decrypted += 1;
            }
        }
    }
    assert_eq!(payloads, 284);
    assert_eq!(components, 987);
    assert_eq!(decrypted, 34);
}
