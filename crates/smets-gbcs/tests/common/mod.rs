//! What the GBCS vector suites share: where the vectors are, their JSON
//! lines, and a key store of the RTDS test keys.
#![allow(dead_code, clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::path::PathBuf;

use serde_json::Value;
use smets_core::Eui64;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::{KeyRef, KeyUsage, PrivateKey, PublicKey};

/// `$SMETS_VECTORS`, or `../shared/vectors` beside the checkout; `None`
/// (with a notice) when absent, a failure when `CI=true`.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.join("gbcs").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the public vectors are required in CI but {} is missing (set SMETS_VECTORS)",
        dir.display()
    );
    eprintln!(
        "notice: {} not found; skipping the GBCS vector tests",
        dir.display()
    );
    None
}

/// The records of `gbcs/<file>`, a JSON-lines file.
pub fn records(file: &str) -> Option<Vec<Value>> {
    let path = vectors_dir()?.join("gbcs").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

/// The key reference of a keys.json entry.
pub fn key_ref(k: &Value) -> KeyRef {
    KeyRef {
        entity: Eui64(u64::from_str_radix(k["eui"].as_str().unwrap(), 16).unwrap()),
        usage: KeyUsage::from_label(k["usage"].as_str().unwrap()).unwrap(),
        prepayment: k["variant"].as_str() == Some("pp"),
    }
}

/// A store of the keys.json entries whose id starts with `prefix`
/// ("rtds:"), from their raw hex fields.
pub fn key_store(prefix: &str) -> Option<MemoryKeyStore> {
    let path = vectors_dir()?.join("gbcs/keys.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut keys = MemoryKeyStore::new();
    for k in v["keys"].as_array().unwrap() {
        if !k["id"].as_str().unwrap().starts_with(prefix) {
            continue;
        }
        let r = key_ref(k);
        if let Some(d) = k["private_key_hex"].as_str() {
            let p = PrivateKey::from_scalar(&hex::decode(d).unwrap()).unwrap();
            keys.insert_private(r, p).unwrap();
        } else {
            let p = hex::decode(k["public_key_uncompressed_hex"].as_str().unwrap()).unwrap();
            keys.insert_public(r, PublicKey::from_sec1(&p).unwrap())
                .unwrap();
        }
    }
    Some(keys)
}

/// Hex with any whitespace in it.
pub fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(s).unwrap()
}

/// The CRA flag of an RTDS record.
pub fn cra(rec: &Value) -> CraFlag {
    CraFlag::from(u8::try_from(rec["envelope"]["cra_flag"].as_u64().unwrap()).unwrap())
}

/// The message code of an RTDS record.
pub fn code(rec: &Value) -> u16 {
    u16::from_str_radix(
        rec["message_code"]
            .as_str()
            .unwrap()
            .trim_start_matches("0x"),
        16,
    )
    .unwrap()
}

/// The decrypted parts of an RTDS record: (offset in the payload, plaintext).
pub fn plaintexts(rec: &Value) -> Vec<(usize, Vec<u8>)> {
    match &rec["independent_check"]["encrypted_blocks"] {
        Value::Array(blocks) => blocks
            .iter()
            .map(|b| {
                (
                    usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap(),
                    unhex(b["plaintext"].as_str().unwrap()),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The plaintexts as `usecase::decode` takes them.
pub fn borrowed(p: &[(usize, Vec<u8>)]) -> Vec<(usize, &[u8])> {
    p.iter().map(|(o, v)| (*o, v.as_slice())).collect()
}

/// The plaintexts of a curated record, at the offsets its payload's
/// protected parts have.
pub fn curated_plaintexts(rec: &Value, payload: &[u8], cra: CraFlag) -> Vec<(usize, Vec<u8>)> {
    let parts: Vec<_> = smets_gbcs::protected::protected_parts(payload, cra)
        .collect::<Result<_, _>>()
        .unwrap();
    let texts = rec["plaintext_hex"].as_array().unwrap();
    assert_eq!(parts.len(), texts.len());
    parts
        .iter()
        .zip(texts)
        .map(|(p, t)| (p.offset, unhex(t.as_str().unwrap())))
        .collect()
}

/// An instant as the curated meanings write it.
pub fn utc(s: &str) -> smets_core::time::Utc2000 {
    // "YYYY-MM-DDTHH:MM:SS..." as the curated meanings write instants.
    let n = |a: usize, b: usize| s[a..b].parse::<u8>().unwrap();
    smets_core::time::Utc2000::from_civil(smets_core::time::Civil {
        year: s[0..4].parse().unwrap(),
        month: n(5, 7),
        day: n(8, 10),
        hour: n(11, 13),
        minute: n(14, 16),
        second: n(17, 19),
    })
    .unwrap()
}
