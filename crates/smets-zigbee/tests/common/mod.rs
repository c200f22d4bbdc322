//! What every vector test shares: locating the public vectors in
//! `../shared/vectors` beside the checkout, reading their JSON lines, and the
//! hex and tshark number forms they are written in.
//!
//! The vectors are required when `CI=true` (a missing directory fails the
//! test) and skipped with a notice elsewhere. Nothing from there is copied
//! into the repo.
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use smets_zigbee::mac::{FcsMode, MacAddress};

/// The vectors directory: `$SMETS_VECTORS` when set, else `../shared/vectors`
/// beside the checkout.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the public vectors are required in CI but {} is missing",
        dir.display()
    );
    eprintln!(
        "notice: {} not found; skipping the vector tests",
        dir.display()
    );
    None
}

/// Every record of a JSON-lines file.
pub fn jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

/// `frames.jsonl` of the ZigBee vectors, or `None` (after a notice) when the
/// vectors are absent outside CI.
pub fn records() -> Option<Vec<Value>> {
    vectors_dir().map(|d| jsonl(&d.join("zigbee/frames.jsonl")))
}

/// The `id` of a record.
pub fn id(r: &Value) -> &str {
    r["id"].as_str().unwrap()
}

/// The record with this `id` (it must be there).
pub fn by_id<'a>(records: &'a [Value], wanted: &str) -> &'a Value {
    records
        .iter()
        .find(|r| id(r) == wanted)
        .unwrap_or_else(|| panic!("no record {wanted}"))
}

/// The records of one source: those whose `id` starts with `prefix`
/// (`tshark-`, `zbtk-`, `psila-`, ...).
pub fn from_source<'a>(records: &'a [Value], prefix: &'a str) -> impl Iterator<Item = &'a Value> {
    records.iter().filter(move |r| id(r).starts_with(prefix))
}

/// The `tshark-*` records (frames of the public captures as tshark decodes
/// them) whose expected values include `field`.
pub fn tshark_with<'a>(records: &'a [Value], field: &'a str) -> impl Iterator<Item = &'a Value> {
    from_source(records, "tshark-").filter(move |r| r["expected"].get(field).is_some())
}

/// psila's test records whose `source_path` (which every one has) satisfies `path`.
pub fn psila_from<'a>(
    records: &'a [Value],
    path: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = &'a Value> {
    from_source(records, "psila-").filter(move |r| {
        path(
            r["source_path"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: no source_path", id(r))),
        )
    })
}

/// Hex text to bytes.
pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.trim()).unwrap_or_else(|e| panic!("bad hex {s}: {e}"))
}

/// The bytes of a record (its `hex`).
pub fn record_bytes(r: &Value) -> Vec<u8> {
    unhex(r["hex"].as_str().unwrap())
}

/// A zbtk `{"$hex": "..."}` value (bytes in on-air order) or a plain hex string.
pub fn hex_of(v: &Value) -> Vec<u8> {
    let s = v
        .get("$hex")
        .and_then(Value::as_str)
        .or_else(|| v.as_str())
        .unwrap_or_else(|| panic!("not hex: {v}"));
    unhex(s)
}

/// A little-endian number from a zbtk `$hex` value.
pub fn le_of(v: &Value) -> u64 {
    hex_of(v)
        .iter()
        .rev()
        .fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// Parses tshark's number forms: "0x1a2b", "48", "1". Of a repeated field
/// (occurrences joined with `|`), the first.
pub fn num(s: &str) -> u64 {
    let s = s.split('|').next().unwrap_or(s);
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap_or_else(|e| panic!("{s}: {e}")),
        None => s.parse().unwrap_or_else(|e| panic!("{s}: {e}")),
    }
}

/// A tshark numeric field given as a JSON string.
pub fn tshark_num(v: &Value) -> u64 {
    num(v
        .as_str()
        .unwrap_or_else(|| panic!("not a tshark field: {v}")))
}

/// The `n`-th occurrence of a tshark field (repeated fields are joined with `|`).
pub fn occ<'a>(expected: &'a Value, name: &str, n: usize) -> Option<&'a str> {
    expected.get(name)?.as_str()?.split('|').nth(n)
}

/// The plaintexts tshark shows for a record's secured layers, outermost first.
pub fn decrypted_payloads(r: &Value) -> Vec<Vec<u8>> {
    r["expected"]
        .get("decrypted_payloads")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|p| unhex(p.as_str().unwrap())).collect())
        .unwrap_or_default()
}

/// Whether a record's frame ends with an FCS (`fcs_present` is `true`).
pub fn fcs_mode(r: &Value) -> FcsMode {
    if r["fcs_present"] == Value::Bool(true) {
        FcsMode::Present
    } else {
        FcsMode::Absent
    }
}

/// The 802.15.4 frame of a record, without FCS or ZEP metadata.
pub fn mac_frame(r: &Value) -> Vec<u8> {
    let raw = record_bytes(r);
    if r["starts_at"] == "zep_v2_udp_payload" {
        // ZEP v2 data: 32-byte header whose last byte is the frame length; the
        // frame's last two bytes are an FCS or LQI metadata.
        let len = usize::from(raw[31]);
        return raw[32..32 + len - 2].to_vec();
    }
    let has_fcs = r["fcs_present"] == Value::Bool(true)
        || r["expected"].get("fcs").is_some()
        || r["expected"].get("wpan.fcs").is_some();
    if has_fcs {
        raw[..raw.len() - 2].to_vec()
    } else {
        raw
    }
}

/// A short MAC address as a number.
pub fn short(a: Option<MacAddress>) -> Option<u64> {
    match a {
        Some(MacAddress::Short(s)) => Some(u64::from(s)),
        _ => None,
    }
}

/// An extended MAC address as tshark writes it.
pub fn extended(a: Option<MacAddress>) -> Option<String> {
    match a {
        Some(MacAddress::Extended(e)) => Some(e.to_string()),
        _ => None,
    }
}
