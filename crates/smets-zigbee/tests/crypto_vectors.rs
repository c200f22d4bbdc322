//! The `crypto-*` and `fcs-*` records of frames.jsonl that are frames or
//! CCM* computations, reproduced with the library: CCM* vectors, NWK and APS
//! decryption (nonce and authenticated data included), MAC-layer security
//! and the 802.15.4 FCS. (Install codes and key hashes: `security_hash.rs`.)
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use serde_json::Value;
use smets_core::Decode;
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource, LearnedKey};
use smets_zigbee::mac::{FcsMode, MacFrame};
use smets_zigbee::nwk::NwkFrame;
use smets_zigbee::security::{CcmStar, Key128, SecurityLevel, key_transport_key};

fn s<'a>(r: &'a Value, field: &str) -> &'a str {
    r["expected"][field]
        .as_str()
        .unwrap_or_else(|| panic!("{}: no {field}", r["id"]))
}

fn key(r: &Value, field: &str) -> Key128 {
    Key128::from_hex(s(r, field)).unwrap()
}

fn nonce(r: &Value) -> [u8; 13] {
    common::unhex(s(r, "nonce")).try_into().unwrap()
}

fn level(mic_len: u64, encrypts: bool) -> SecurityLevel {
    let bits = match mic_len {
        0 => 0,
        4 => 1,
        8 => 2,
        _ => 3,
    };
    SecurityLevel::from(bits | if encrypts { 4 } else { 0 })
}

#[test]
fn every_frame_and_ccm_record_reproduces() {
    let Some(records) = common::records() else {
        return;
    };
    let mut done = Vec::new();
    for r in records.iter().filter(|r| {
        let id = r["id"].as_str().unwrap();
        (id.starts_with("crypto-")
            && !id.starts_with("crypto-installcode")
            && !id.starts_with("crypto-keyedhash"))
            || id.starts_with("fcs-")
    }) {
        let id = r["id"].as_str().unwrap();
        let bytes = common::unhex(r["hex"].as_str().unwrap());
        match id {
            "crypto-ccm-rfc3610-1" => {
                let lvl = level(r["expected"]["mic_len"].as_u64().unwrap(), true);
                let (ct, mic) = bytes.split_at(bytes.len() - lvl.mic_len());
                let mut pt = ct.to_vec();
                CcmStar::new(&key(r, "key"))
                    .decrypt_in_place_detached(
                        &nonce(r),
                        lvl,
                        &common::unhex(s(r, "aad")),
                        &mut pt,
                        mic,
                    )
                    .unwrap();
                assert_eq!(hex::encode(pt), s(r, "plaintext"));
            }
            "crypto-ccm-killerbee" => {
                let lvl = level(r["expected"]["mic_len"].as_u64().unwrap(), true);
                let mut ct = bytes.clone();
                let mic = CcmStar::new(&key(r, "key"))
                    .encrypt_in_place_detached(&nonce(r), lvl, &common::unhex(s(r, "aad")), &mut ct)
                    .unwrap();
                assert_eq!(hex::encode(ct), s(r, "ciphertext"));
                assert_eq!(hex::encode(mic.as_bytes()), s(r, "mic"));
            }
            "crypto-nwk-zbtk-example" => {
                let nwk = NwkFrame::decode(&bytes).unwrap();
                let aux = nwk.security.unwrap();
                let lvl = SecurityLevel::ZIGBEE_PRO;
                let n = aux.nonce(aux.source.unwrap(), lvl);
                assert_eq!(hex::encode(n), s(r, "nonce"));
                let mut aad = bytes[..nwk.header_len()].to_vec();
                aad[nwk.aux_offset().unwrap()] = aux.control.byte_with_level(lvl);
                assert_eq!(hex::encode(&aad), s(r, "aad_with_level_patched"));
                let (ct, mic) = nwk.payload.split_at(nwk.payload.len() - 4);
                let mut pt = ct.to_vec();
                CcmStar::new(&key(r, "network_key"))
                    .decrypt_in_place_detached(&n, lvl, &aad, &mut pt, mic)
                    .unwrap();
                assert_eq!(hex::encode(pt), s(r, "plaintext_aps"));
            }
            "crypto-aps-transport-key-za09" => {
                let link = key(r, "link_key");
                assert_eq!(key_transport_key(&link), key(r, "key_transport_key"));
                let mut ring = KeyRing::new();
                ring.add_link_key(link, None, KeySource::Configured);
                // The source wrote a placeholder where the FCS goes.
                let options = DissectorOptions {
                    decode_bad_fcs: true,
                    ..DissectorOptions::default()
                };
                let mut dissector = Dissector::new(ring, options);
                let d = dissector.dissect(&bytes, FcsMode::Present);
                let aps = d.aps.as_ref().unwrap();
                assert!(aps.security.unwrap().decrypted());
                assert_eq!(hex::encode(aps.plaintext.unwrap()), s(r, "aps_plaintext"));
                assert_eq!(d.learned_key, Some(LearnedKey::Network { seq: 0 }));
                let learned = &dissector.keys.network_keys()[0].key;
                assert_eq!(*learned, key(r, "network_key_delivered"));
                assert_eq!(r["expected"]["transport_key_type"].as_u64(), Some(1));
            }
            "crypto-nwk-control4-frame1" => {
                let mut ring = KeyRing::new();
                ring.add_network_key(key(r, "network_key"), None, KeySource::Configured);
                let mut dissector = Dissector::new(ring, DissectorOptions::default());
                let d = dissector.dissect(&bytes, FcsMode::Present);
                let fcs = d.mac.unwrap().fcs.unwrap();
                assert_eq!(format!("{:#06x}", fcs.value), s(r, "fcs_crc16_kermit"));
                assert!(fcs.valid);
                assert_eq!(hex::encode(d.nwk_plaintext.unwrap()), s(r, "nwk_plaintext"));
                assert_eq!(d.nwk_command.unwrap().id().label(), Some("link_status"));
            }
            "crypto-mac2006-assoc-req" => {
                let frame = MacFrame::decode(&bytes, FcsMode::Absent).unwrap();
                let aux = frame.security.unwrap();
                let source = match frame.src {
                    Some(smets_zigbee::mac::MacAddress::Extended(e)) => e,
                    other => panic!("{other:?}"),
                };
                assert_eq!(hex::encode(aux.nonce(source).unwrap()), s(r, "nonce"));
                let mut out = [0u8; 64];
                let n = smets_zigbee::mac::security::decrypt(
                    &bytes,
                    FcsMode::Absent,
                    &key(r, "mac_key"),
                    source,
                    &mut out,
                )
                .unwrap();
                assert_eq!(n, 2, "command id and capability");
                assert_eq!(hex::encode(&out[1..n]), s(r, "plaintext_capability"));
            }
            "fcs-scapy-beacon" => {
                let fcs = MacFrame::decode(&bytes, FcsMode::Present)
                    .unwrap()
                    .fcs
                    .unwrap();
                assert_eq!(format!("{:#06x}", fcs.value), s(r, "fcs"));
                assert!(fcs.valid);
            }
            other => panic!("record {other} has no check here"),
        }
        done.push(id);
    }
    assert_eq!(done.len(), 7, "{done:?}");
}
