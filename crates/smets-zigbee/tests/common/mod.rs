//! Locating the public vectors in `../shared/vectors` beside the checkout.
//!
//! They are required when `CI=true` (a missing directory fails the test) and
//! skipped with a notice elsewhere. Nothing from there is copied into the repo.
#![allow(dead_code)]

use std::path::PathBuf;

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
pub fn jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

/// `frames.jsonl` of the ZigBee vectors.
pub fn zigbee_frames() -> Option<Vec<serde_json::Value>> {
    vectors_dir().map(|d| jsonl(&d.join("zigbee/frames.jsonl")))
}

/// Hex text to bytes.
pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.trim()).unwrap_or_else(|e| panic!("bad hex {s}: {e}"))
}

/// Parses tshark's number forms: "0x1a2b", "48", "1".
pub fn num(s: &str) -> u64 {
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap_or_else(|e| panic!("{s}: {e}")),
        None => s.parse().unwrap_or_else(|e| panic!("{s}: {e}")),
    }
}
