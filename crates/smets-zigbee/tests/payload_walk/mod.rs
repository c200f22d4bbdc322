//! Shared by the `zcl` and `zdp` vector tests: loads `frames.jsonl` and walks
//! a record down to its APS data frame with just enough MAC, NWK and APS
//! parsing of its own (and CCM* from the `ccm` crate for NWK-secured frames),
//! so that these tests do not depend on the layers below the one they test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, dead_code, missing_docs)]

use std::path::PathBuf;

use aes::Aes128;
use ccm::aead::{AeadInOut, KeyInit};
use ccm::consts::{U4, U13};
use serde_json::Value;

/// The shared vectors: `$SMETS_VECTORS`, else `../../../shared/vectors` from the crate.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.join("zigbee/frames.jsonl").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "test vectors not found at {}",
        dir.display()
    );
    println!(
        "notice: test vectors not found at {}; skipping",
        dir.display()
    );
    None
}

/// Every record of `zigbee/frames.jsonl`, or `None` (after a notice) when absent.
pub fn records() -> Option<Vec<Value>> {
    let dir = vectors_dir()?;
    let text = std::fs::read_to_string(dir.join("zigbee/frames.jsonl")).unwrap();
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
    )
}

pub fn id(r: &Value) -> &str {
    r["id"].as_str().unwrap()
}

/// A zbtk `{"$hex": "..."}` value (bytes in on-air order) or a plain hex string.
pub fn hex_of(v: &Value) -> Vec<u8> {
    let s = v
        .get("$hex")
        .and_then(Value::as_str)
        .or_else(|| v.as_str())
        .unwrap_or_else(|| panic!("not hex: {v}"));
    hex::decode(s).unwrap()
}

/// A little-endian number from a zbtk `$hex` value.
pub fn le_of(v: &Value) -> u64 {
    hex_of(v)
        .iter()
        .rev()
        .fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// The 802.15.4 frame of a record, without FCS or ZEP metadata.
fn mac_frame(r: &Value) -> Vec<u8> {
    let raw = hex::decode(r["hex"].as_str().unwrap()).unwrap();
    match r["starts_at"].as_str().unwrap_or("") {
        "zep_v2_udp_payload" => {
            // ZEP v2 data: 32-byte header whose last byte is the frame length; the
            // frame's last two bytes are an FCS or LQI metadata.
            let len = usize::from(raw[31]);
            raw[32..32 + len - 2].to_vec()
        }
        _ => {
            let has_fcs = r["fcs_present"].as_bool() == Some(true)
                || r["expected"].get("fcs").is_some()
                || r["expected"].get("wpan.fcs").is_some();
            if has_fcs {
                raw[..raw.len() - 2].to_vec()
            } else {
                raw
            }
        }
    }
}

/// The payload of an 802.15.4 data frame (frame versions 0 and 1, no MAC security).
fn mac_data_payload(f: &[u8]) -> Option<&[u8]> {
    let fcf = u16::from_le_bytes([f[0], f[1]]);
    if fcf & 0x07 != 1 || fcf & 0x08 != 0 {
        return None;
    }
    let mut p = 3;
    let dst_mode = (fcf >> 10) & 3;
    let src_mode = (fcf >> 14) & 3;
    let addr_len = |m| match m {
        2 => 2,
        3 => 8,
        _ => 0,
    };
    if dst_mode != 0 {
        p += 2 + addr_len(dst_mode);
    }
    if src_mode != 0 {
        if fcf & 0x40 == 0 {
            p += 2;
        }
        p += addr_len(src_mode);
    }
    f.get(p..)
}

/// The NWK payload, decrypted with one of `keys` when the frame is secured.
fn nwk_payload(n: &[u8], keys: &[[u8; 16]]) -> Option<Vec<u8>> {
    let fcf = u16::from_le_bytes([n[0], n[1]]);
    if fcf & 0x03 != 0 {
        return None;
    }
    let mut p = 8;
    if fcf & 0x0800 != 0 {
        p += 8;
    }
    if fcf & 0x1000 != 0 {
        p += 8;
    }
    if fcf & 0x0100 != 0 {
        p += 1;
    }
    if fcf & 0x0400 != 0 {
        p += 2 + 2 * usize::from(n[p]);
    }
    if fcf & 0x0200 == 0 {
        return Some(n[p..].to_vec());
    }
    let scf = n[p];
    assert!(scf & 0x20 != 0, "only extended-nonce NWK security here");
    let counter = &n[p + 1..p + 5];
    let source = &n[p + 5..p + 13];
    let mut q = p + 13;
    if (scf >> 3) & 3 == 1 {
        q += 1;
    }
    let mut aad = n[..q].to_vec();
    aad[p] |= 0x05;
    let mut nonce = [0u8; 13];
    nonce[..8].copy_from_slice(source);
    nonce[8..12].copy_from_slice(counter);
    nonce[12] = scf | 0x05;
    let (body, mic) = n[q..].split_at(n.len() - q - 4);
    for key in keys {
        let cipher = ccm::Ccm::<Aes128, U4, U13>::new(&(*key).into());
        let mut buf = body.to_vec();
        let tag: [u8; 4] = mic.try_into().unwrap();
        if cipher
            .decrypt_inout_detached(&nonce.into(), &aad, buf.as_mut_slice().into(), &tag.into())
            .is_ok()
        {
            return Some(buf);
        }
    }
    None
}

fn record_keys(r: &Value) -> Vec<[u8; 16]> {
    let list = match &r["keys"] {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o
            .get("network_keys")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(|k| hex::decode(&k[..32]).unwrap().try_into().unwrap())
        .collect()
}

/// The APS frame of a record: tshark's decrypted NWK payload when given,
/// otherwise the frame's own NWK payload, decrypted with the record's keys.
pub fn aps_frame(r: &Value) -> Option<Vec<u8>> {
    if let Some(p) = r["expected"]["decrypted_payloads"]
        .as_array()
        .and_then(|a| a.first())
    {
        return Some(hex::decode(p.as_str().unwrap()).unwrap());
    }
    let frame = mac_frame(r);
    let nwk = mac_data_payload(&frame)?;
    nwk_payload(nwk, &record_keys(r))
}

/// The fields of an APS data frame (ZigBee R22 2.2.5.1) these tests need.
#[derive(Debug)]
pub struct ApsData {
    pub delivery: u8,
    pub dst_endpoint: Option<u8>,
    pub cluster: u16,
    pub profile: u16,
    pub src_endpoint: u8,
    pub counter: u8,
    pub payload: Vec<u8>,
}

/// An unsecured, unfragmented APS data frame.
pub fn aps_data(a: &[u8]) -> Option<ApsData> {
    let fc = a[0];
    if fc & 0x03 != 0 || fc & 0x20 != 0 {
        return None;
    }
    let delivery = (fc >> 2) & 3;
    let mut p = 1;
    let dst_endpoint = if delivery == 3 {
        p += 2;
        None
    } else {
        p += 1;
        Some(a[1])
    };
    let cluster = u16::from_le_bytes([a[p], a[p + 1]]);
    let profile = u16::from_le_bytes([a[p + 2], a[p + 3]]);
    let src_endpoint = a[p + 4];
    let counter = a[p + 5];
    p += 6;
    if fc & 0x80 != 0 {
        let ext = a[p];
        assert_eq!(ext & 0x03, 0, "fragmented APS frame");
        p += 1;
    }
    Some(ApsData {
        delivery,
        dst_endpoint,
        cluster,
        profile,
        src_endpoint,
        counter,
        payload: a[p..].to_vec(),
    })
}

/// The unsecured APS data frame of a record, if it has one.
pub fn record_aps(r: &Value) -> Option<ApsData> {
    aps_data(&aps_frame(r)?)
}

/// `expected` of a zbtk record, at the NWK level (zbtk nests it under `wpan`
/// for ZEP records).
pub fn zbtk_nwk(r: &Value) -> &Value {
    let e = &r["expected"];
    let w = e.get("wpan").unwrap_or(e);
    &w["zbee_nwk"]
}

/// A tshark numeric field: decimal or `0x` hex text.
pub fn tshark_num(v: &Value) -> u64 {
    let s = v.as_str().unwrap();
    s.strip_prefix("0x").map_or_else(
        || s.parse().unwrap(),
        |h| u64::from_str_radix(h, 16).unwrap(),
    )
}
