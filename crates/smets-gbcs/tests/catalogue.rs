//! The message-code catalogue against the merged use-case catalogue CSV of
//! the shared vectors (`gbcs/use-case-catalogue.csv`): every row, field by
//! field, and nothing more.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::vectors_dir;

use std::collections::HashMap;

use smets_gbcs::catalogue::{
    Cra, FutureDated, MessageType, PayloadFamily, USE_CASES, UseCase, all_by_use_case,
    by_message_code, by_use_case,
};

/// One CSV line (RFC 4180 quoting: fields in double quotes, `""` inside them).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(core::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn rows() -> Option<Vec<HashMap<String, String>>> {
    let dir = vectors_dir()?;
    let text = std::fs::read_to_string(dir.join("gbcs/use-case-catalogue.csv")).unwrap();
    let mut lines = text.lines().filter(|line| !line.is_empty());
    let header = split_csv_line(lines.next().unwrap());
    Some(
        lines
            .map(|line| {
                let fields = split_csv_line(line);
                assert_eq!(fields.len(), header.len(), "{line}");
                header.iter().cloned().zip(fields).collect()
            })
            .collect(),
    )
}

fn message_type(code: &str) -> MessageType {
    match code {
        "SME.C.C" => MessageType::CriticalCommand,
        "SME.C.NC" => MessageType::NonCriticalCommand,
        "SME.A.C" => MessageType::CriticalAlert,
        "SME.A.NC" => MessageType::NonCriticalAlert,
        "SME.C.PPMID-GSME" => MessageType::PpmidToGsmeCommand,
        "ZSE specified" => MessageType::ZseSpecified,
        "Variant Command & Response" => MessageType::VariantCommandAndResponse,
        code if code.starts_with("See GBCS") => MessageType::SeeGbcs,
        "" => MessageType::Unspecified,
        other => panic!("unknown GBCS message type {other:?}"),
    }
}

fn critical(code: &str) -> Option<bool> {
    match code {
        "SME.C.C" | "SME.A.C" => Some(true),
        "SME.C.NC" | "SME.A.NC" => Some(false),
        _ => None,
    }
}

fn cra(text: &str) -> Cra {
    match text {
        "command/response" => Cra::CommandResponse,
        "response" => Cra::Response,
        "alert" => Cra::Alert,
        "" => Cra::NotSeen,
        other => panic!("unknown CRA {other:?}"),
    }
}

fn payload_family(text: &str) -> PayloadFamily {
    match text {
        "DLMS" => PayloadFamily::Dlms,
        "GBZ" => PayloadFamily::Gbz,
        "DER" => PayloadFamily::Der,
        "DLMS/GBZ" => PayloadFamily::DlmsOrGbz,
        "GBZ (HAN-only PPMID->GSME)" => PayloadFamily::GbzHanOnly,
        "HAN-only (ZSE); not seen by a head-end" => PayloadFamily::ZseHanOnly,
        other => panic!("unknown payload family {other:?}"),
    }
}

fn future_dated(text: &str) -> FutureDated {
    match text {
        "Yes" => FutureDated::Yes,
        "Yes (RTDS future-dated vectors)" => FutureDated::YesSeenInRtds,
        "No" => FutureDated::No,
        "N/A" => FutureDated::NotApplicable,
        "" => FutureDated::Unspecified,
        other => panic!("unknown future-dated value {other:?}"),
    }
}

fn priority(text: &str) -> Option<u8> {
    if text.is_empty() {
        return None;
    }
    Some(text.strip_prefix('A').unwrap().parse().unwrap())
}

fn expected(row: &HashMap<String, String>) -> UseCase {
    let code = row["message_code"].strip_prefix("0x").unwrap();
    let type_code = row["gbcs_message_type"].as_str();
    UseCase {
        message_code: u16::from_str_radix(code, 16).unwrap(),
        use_case: row["use_case"].clone().leak(),
        name: row["title"].clone().leak(),
        message_type: message_type(type_code),
        message_type_code: row["gbcs_message_type"].clone().leak(),
        critical: critical(type_code),
        cra: cra(&row["cra_seen_in_rtds"]),
        payload_family: payload_family(&row["payload_family"]),
        srv: row["srv"].clone().leak(),
        srv_name: row["srv_name"].clone().leak(),
        rtds_vectors: row["rtds_vectors"].parse().unwrap(),
        head_end_priority: priority(&row["head_end_priority"]),
        future_dated: future_dated(&row["future_dated_capable"]),
    }
}

#[test]
fn every_row_matches_the_table() {
    let Some(rows) = rows() else { return };
    assert_eq!(rows.len(), 240);
    assert_eq!(USE_CASES.len(), rows.len());
    for row in &rows {
        let want = expected(row);
        let got = by_message_code(want.message_code)
            .unwrap_or_else(|| panic!("{:#06X} missing", want.message_code));
        assert_eq!(*got, want, "{:#06X}", want.message_code);
    }
    let mut csv_codes: Vec<u16> = rows.iter().map(|row| expected(row).message_code).collect();
    csv_codes.sort_unstable();
    let table_codes: Vec<u16> = USE_CASES.iter().map(|entry| entry.message_code).collect();
    assert_eq!(table_codes, csv_codes);
}

#[test]
fn every_use_case_of_the_csv_is_found() {
    let Some(rows) = rows() else { return };
    for row in &rows {
        let name = row["use_case"].as_str();
        let code =
            u16::from_str_radix(row["message_code"].strip_prefix("0x").unwrap(), 16).unwrap();
        let lowest = rows
            .iter()
            .filter(|other| other["use_case"] == name)
            .map(|other| {
                u16::from_str_radix(other["message_code"].strip_prefix("0x").unwrap(), 16).unwrap()
            })
            .min()
            .unwrap();
        assert_eq!(by_use_case(name).unwrap().message_code, lowest, "{name}");
        assert!(
            all_by_use_case(name).any(|entry| entry.message_code == code),
            "{name}"
        );
    }
}

#[test]
fn sorted_and_unique() {
    for pair in USE_CASES.windows(2) {
        assert!(
            pair[0].message_code < pair[1].message_code,
            "{:#06X} then {:#06X}",
            pair[0].message_code,
            pair[1].message_code
        );
    }
}

#[test]
fn lookups() {
    let ecs01a = by_use_case("ECS01a").unwrap();
    assert_eq!(ecs01a.message_code, 0x0019);
    assert_eq!(by_message_code(0x0019), Some(ecs01a));
    let gcs01a = by_message_code(0x006B).unwrap();
    assert_eq!(gcs01a.use_case, "GCS01a");
    assert_eq!(by_use_case("GCS01a"), Some(gcs01a));
    assert_eq!(by_message_code(0x1001).unwrap().use_case, "ALERT-1001");
    assert_eq!(by_message_code(0x0005), None);
    assert_eq!(by_message_code(0x0130), None);
    assert_eq!(by_message_code(0xFFFF), None);
    assert_eq!(by_use_case("XYZ99"), None);
    assert_eq!(by_use_case("ecs01a"), None);
}
