//! Shared by the `zcl` and `zdp` vector tests: walks a record down to its APS
//! data frame. tshark's decrypted NWK payload is taken when the record gives
//! one; otherwise the library's `Dissector` opens the frame with the record's
//! network keys, and `ApsFrame::decode` reads the APS header.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, dead_code)]

use serde_json::Value;
use smets_zigbee::Decode;
use smets_zigbee::aps::{ApsFrame, Fragmentation, FrameType};
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

use crate::common;

/// The network keys of a record: a list, or `network_keys` of a key map
/// (zbtk writes a key as 32 hex digits followed by a label).
fn record_keys(r: &Value) -> Vec<Key128> {
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
        .map(|k| Key128::from_hex(&k[..32]).unwrap())
        .collect()
}

/// The APS frame of a record: tshark's decrypted NWK payload when given,
/// otherwise the NWK payload of its NWK data frame, decrypted with the
/// record's keys when secured (`None` when it cannot be opened).
pub fn aps_frame(r: &Value) -> Option<Vec<u8>> {
    if let Some(p) = common::decrypted_payloads(r).into_iter().next() {
        return Some(p);
    }
    let frame = common::mac_frame(r);
    let mut ring = KeyRing::new();
    for k in record_keys(r) {
        ring.add_network_key(k, None, KeySource::Configured);
    }
    let mut dissector = Dissector::new(ring, DissectorOptions::default());
    let d = dissector.dissect(&frame, FcsMode::Absent);
    let nwk = d.nwk.as_ref()?;
    if nwk.frame_control.frame_type != smets_zigbee::nwk::FrameType::Data {
        return None;
    }
    if let Some(aux) = nwk.security {
        assert!(
            aux.control.extended_nonce,
            "only extended-nonce NWK security here"
        );
    }
    d.nwk_plaintext.map(<[u8]>::to_vec)
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
    let f = ApsFrame::decode(a).ok()?;
    let fc = f.frame_control;
    if fc.frame_type != FrameType::Data || fc.security {
        return None;
    }
    if let Some(ext) = f.extended {
        assert_eq!(
            ext.fragmentation,
            Fragmentation::None,
            "fragmented APS frame"
        );
    }
    Some(ApsData {
        delivery: fc.delivery.value(),
        dst_endpoint: f.dst_endpoint,
        cluster: f.cluster.unwrap(),
        profile: f.profile.unwrap(),
        src_endpoint: f.src_endpoint.unwrap(),
        counter: f.counter,
        payload: f.payload.to_vec(),
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
