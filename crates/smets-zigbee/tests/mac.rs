//! IEEE 802.15.4 MAC decoding checked against the shared vectors: every
//! `tshark-*` record, the 802.15.4 frames of the scapy, zbtk and
//! zigbee-on-host sets, the MAC security vector and the zigator MAC test capture.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{extended, id, num, records, short, vectors_dir};
use serde_json::Value;
use smets_zigbee::mac::security::decrypt;
use smets_zigbee::mac::{
    Beacon, FcsMode, FrameType, FrameVersion, MacAddress, MacCommand, MacFrame,
};
use smets_zigbee::security::Key128;
use smets_zigbee::{Decode, Encode, Eui64};

const COMMAND_NAMES: [(u8, &str); 9] = [
    (1, "Association Request"),
    (2, "Association Response"),
    (3, "Disassociation Notification"),
    (4, "Data Request"),
    (5, "PAN ID Conflict"),
    (6, "Orphan Notification"),
    (7, "Beacon Request"),
    (8, "Coordinator Realignment"),
    (9, "GTS Request"),
];

#[test]
fn every_tshark_record_matches_wpan_fields() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    let mut inferred_src64 = 0;
    for r in common::from_source(&records, "tshark-") {
        let name = id(r);
        let bytes = common::record_bytes(r);
        assert!(r["fcs_present"].is_boolean(), "{name}");
        let mode = common::fcs_mode(r);
        let e = &r["expected"];
        let field = |k: &str| e.get(k).and_then(Value::as_str);
        let f = MacFrame::decode(&bytes, mode).unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(
            u64::from(f.frame_control.frame_type.value()),
            num(field("wpan.frame_type").unwrap()),
            "{name}"
        );
        assert_eq!(
            f.seq.map(u64::from),
            field("wpan.seq_no").map(num),
            "{name}"
        );
        assert_eq!(
            f.dst_pan.map(u64::from),
            field("wpan.dst_pan").map(num),
            "{name}"
        );
        assert_eq!(short(f.dst), field("wpan.dst16").map(num), "{name}");
        assert_eq!(short(f.src), field("wpan.src16").map(num), "{name}");
        assert_eq!(
            extended(f.dst),
            field("wpan.dst64").map(String::from),
            "{name}"
        );
        match (extended(f.src), field("wpan.src64")) {
            (Some(ours), theirs) => assert_eq!(Some(ours.as_str()), theirs, "{name}"),
            // tshark adds an extended source it learned earlier for a short one.
            (None, Some(_)) => {
                assert!(short(f.src).is_some(), "{name}");
                inferred_src64 += 1;
            }
            (None, None) => {}
        }
        match (f.fcs, field("wpan.fcs")) {
            (Some(fcs), Some(v)) => {
                assert_eq!(u64::from(fcs.value), num(v), "{name}");
                let bad = field("_ws.col.Info").unwrap().contains("Bad FCS");
                assert_eq!(fcs.valid, !bad, "{name}");
            }
            (None, None) => {}
            other => panic!("{name}: FCS {other:?}"),
        }
        assert_eq!(f.to_vec().unwrap(), bytes, "{name}: re-encoding");

        // The payloads tshark decoded at this layer decode here too.
        let info = field("_ws.col.Info").unwrap();
        match f.frame_control.frame_type {
            FrameType::Command if f.security.is_none() => {
                let cmd = MacCommand::decode(f.payload).unwrap_or_else(|e| panic!("{name}: {e}"));
                let id = cmd.command_id().value();
                let (_, label) = COMMAND_NAMES.iter().find(|(i, _)| *i == id).unwrap();
                assert!(info.starts_with(label), "{name}: {info} vs {cmd:?}");
                assert_eq!(cmd.to_vec().unwrap(), f.payload, "{name}");
            }
            FrameType::Beacon if f.frame_control.version != FrameVersion::Ieee2015 => {
                let b = Beacon::decode(f.payload).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(b.to_vec().unwrap(), f.payload, "{name}");
                if info.contains("EPID") {
                    // ZigBee beacon payload: protocol id 0, 15 bytes.
                    assert_eq!(b.payload.len(), 15, "{name}");
                }
            }
            _ => {}
        }
        seen += 1;
    }
    assert_eq!(seen, 494);
    assert!(inferred_src64 > 0);
}

/// A minimal reader of classic little-endian pcap files: the zigator capture
/// has no tshark records, so its frames are read here.
fn pcap_frames(data: &[u8]) -> Vec<&[u8]> {
    assert_eq!(&data[..4], &[0xd4, 0xc3, 0xb2, 0xa1]);
    let mut out = Vec::new();
    let mut pos = 24;
    while pos + 16 <= data.len() {
        let incl = u32::from_le_bytes(data[pos + 8..pos + 12].try_into().unwrap()) as usize;
        pos += 16;
        out.push(&data[pos..pos + incl]);
        pos += incl;
    }
    out
}

#[test]
fn zigator_mac_capture_as_tshark_reports_it() {
    let Some(dir) = vectors_dir() else { return };
    let data = std::fs::read(dir.join("zigbee/captures/zigator__02-mac-testing.pcap")).unwrap();
    let frames = pcap_frames(&data);
    assert_eq!(frames.len(), 19);
    // tshark 4.0: frame number, frame type, sequence number, FCS, FCS correct.
    let expected: [(usize, u8, u8, u16, bool); 18] = [
        (1, 2, 234, 0x7879, true),
        (2, 3, 100, 0x1c2c, true),
        (3, 3, 114, 0xe709, true),
        (4, 3, 50, 0x9815, true),
        (5, 3, 32, 0xa208, true),
        (6, 3, 0, 0x2938, true),
        (7, 3, 64, 0x742a, true),
        (8, 0, 137, 0x74af, true),
        (9, 1, 68, 0xf3e4, true),
        (10, 2, 234, 0x7979, false),
        (11, 2, 180, 0x82c9, true),
        (13, 3, 218, 0x6f59, true),
        (14, 3, 50, 0xd149, true),
        (15, 0, 137, 0x2322, true),
        (16, 3, 145, 0xc54f, true),
        (17, 1, 240, 0x7d1a, true),
        (18, 1, 219, 0xd9c8, true),
        (19, 1, 248, 0x8041, true),
    ];
    for (n, ty, seq, fcs, ok) in expected {
        let b = frames[n - 1];
        let f = MacFrame::decode(b, FcsMode::Present).unwrap_or_else(|e| panic!("frame {n}: {e}"));
        assert_eq!(f.frame_control.frame_type.value(), ty, "frame {n}");
        assert_eq!(f.seq, Some(seq), "frame {n}");
        let got = f.fcs.unwrap();
        assert_eq!((got.value, got.valid), (fcs, ok), "frame {n}");
        assert_eq!(f.to_vec().unwrap(), b, "frame {n}");
    }
    // Frame 12: reserved frame type and frame version; tshark cannot dissect it.
    assert!(MacFrame::decode(frames[11], FcsMode::Present).is_err());
    // Frame 13: association request cut before its capability byte (tshark: malformed).
    let f = MacFrame::decode(frames[12], FcsMode::Present).unwrap();
    assert!(MacCommand::decode(f.payload).is_err());
    // Frame 14: command identifier 0xff (tshark: unknown command).
    let f = MacFrame::decode(frames[13], FcsMode::Present).unwrap();
    assert!(matches!(
        MacCommand::decode(f.payload),
        Ok(MacCommand::Unknown { id: 0xff, .. })
    ));
    // Frames 16, 18 and 19: 2006 MAC security, level 5, key index 1.
    for n in [16, 18, 19] {
        let f = MacFrame::decode(frames[n - 1], FcsMode::Present).unwrap();
        assert_eq!(f.frame_control.version, FrameVersion::Ieee2006, "frame {n}");
        let s = f.security.unwrap();
        assert_eq!(s.control.level.value(), 5);
        assert_eq!(s.key_index, Some(1));
    }
    // Frames 17-19 use extended addresses with PAN ID compression.
    let f = MacFrame::decode(frames[16], FcsMode::Present).unwrap();
    assert_eq!(f.dst_pan, Some(0xc0de));
    assert_eq!(f.src_pan, None);
    assert_eq!(
        f.src,
        Some(MacAddress::Extended(
            "99:99:99:00:00:00:00:07".parse().unwrap()
        ))
    );
}

#[test]
fn library_vectors_starting_at_the_mac_decode() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in records.iter().filter(|r| {
        let i = id(r);
        (i.starts_with("scapy-dot15d4-") || i.starts_with("zbtk-") || i.starts_with("zoh-"))
            && r["starts_at"] == "ieee802154_mac"
    }) {
        let name = id(r);
        let bytes = common::record_bytes(r);
        // `false` means no FCS; zbtk frames end with one, zoh frames with TI metadata.
        let mode = if r["fcs_present"] == Value::Bool(false) {
            FcsMode::Absent
        } else {
            FcsMode::Present
        };
        let f = MacFrame::decode(&bytes, mode).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.to_vec().unwrap(), bytes, "{name}");
        let e = &r["expected"];
        if name.starts_with("scapy-") {
            for (k, v) in e.as_object().unwrap() {
                let k = k.rsplit('.').next().unwrap();
                let v = v.as_u64().or_else(|| v.as_bool().map(u64::from));
                match (k, v) {
                    ("fcf_frametype", Some(v)) => {
                        assert_eq!(u64::from(f.frame_control.frame_type.value()), v, "{name}");
                    }
                    ("fcf_security", Some(v)) => {
                        assert_eq!(u64::from(f.frame_control.security), v, "{name}");
                    }
                    ("seqnum", Some(v)) => assert_eq!(f.seq.map(u64::from), Some(v), "{name}"),
                    ("fcs", Some(v)) => {
                        assert_eq!(u64::from(f.fcs.unwrap().value), v, "{name}");
                        assert!(f.fcs.unwrap().valid, "{name}");
                    }
                    _ => {}
                }
            }
        } else if name.starts_with("zbtk-") {
            // zbtk's "$hex" strings turn out to be the bytes in on-air order.
            let hexfield = |k: &str| {
                let b = hex::decode(e[k]["$hex"].as_str().unwrap()).unwrap();
                u64::from(u16::from_le_bytes([b[0], b[1]]))
            };
            assert_eq!(
                u64::from(f.frame_control.frame_type.value()),
                e["fc"]["type"].as_u64().unwrap()
            );
            assert_eq!(f.seq.map(u64::from), e["seq_no"].as_u64(), "{name}");
            assert_eq!(
                f.dst_pan.map(u64::from),
                Some(hexfield("dst_pan")),
                "{name}"
            );
            assert_eq!(short(f.dst), Some(hexfield("dst16")), "{name}");
            assert_eq!(short(f.src), Some(hexfield("src16")), "{name}");
            assert_eq!(
                f.fcs.map(|x| u64::from(x.value)),
                Some(hexfield("fcs")),
                "{name}"
            );
        } else {
            let w = &e["wireshark_fields"];
            let mac = w
                .as_object()
                .unwrap()
                .iter()
                .find(|(k, _)| k.starts_with("IEEE 802.15.4"))
                .map(|(_, v)| v)
                .unwrap();
            let get = |k: &str| mac.get(k).and_then(Value::as_str);
            if let Some(s) = get("Sequence Number") {
                assert_eq!(f.seq.map(u64::from), Some(num(s)), "{name}");
            }
            if let Some(p) = get("Destination PAN") {
                assert_eq!(f.dst_pan.map(u64::from), Some(num(p)), "{name}");
            }
            for (k, a) in [("Destination", f.dst), ("Source", f.src)] {
                if let Some(v) = get(k) {
                    match a {
                        Some(MacAddress::Short(s)) => assert_eq!(u64::from(s), num(v), "{name}"),
                        Some(MacAddress::Extended(x)) => {
                            assert!(v.contains(&x.to_string()), "{name}: {v}");
                        }
                        None => panic!("{name}: {k}"),
                    }
                }
            }
        }
        seen += 1;
    }
    assert!(seen >= 40, "{seen}");
}

#[test]
fn mac_security_and_fcs_vectors() {
    let Some(all) = records() else { return };
    let rec = common::by_id(&all, "crypto-mac2006-assoc-req");
    let e = &rec["expected"];
    let bytes = common::record_bytes(rec);
    let f = MacFrame::decode(&bytes, FcsMode::Absent).unwrap();
    let Some(MacAddress::Extended(src)) = f.src else {
        panic!()
    };
    let aux = f.security.unwrap();
    assert_eq!(
        hex::encode(aux.nonce(src).unwrap()),
        e["nonce"].as_str().unwrap()
    );
    assert_eq!(
        aux.control.level.mic_len() as u64,
        e["mic_len"].as_u64().unwrap()
    );
    // The authenticated data ends after the (clear) command identifier.
    assert_eq!((f.header_len() + 1) as u64, e["aad_len"].as_u64().unwrap());
    let key = Key128::from_hex(e["mac_key"].as_str().unwrap()).unwrap();
    let mut out = [0u8; 32];
    let n = decrypt(&bytes, FcsMode::Absent, &key, src, &mut out).unwrap();
    assert_eq!(out[0], 0x01);
    assert_eq!(
        hex::encode(&out[1..n]),
        e["plaintext_capability"].as_str().unwrap()
    );
    assert!(decrypt(&bytes, FcsMode::Absent, &key, Eui64(src.0 ^ 1), &mut out).is_err());

    let rec = common::by_id(&all, "fcs-scapy-beacon");
    let bytes = common::record_bytes(rec);
    let f = MacFrame::decode(&bytes, FcsMode::Present).unwrap();
    let fcs = f.fcs.unwrap();
    assert!(fcs.valid);
    assert_eq!(
        format!("{:#06x}", fcs.value),
        rec["expected"]["fcs"].as_str().unwrap()
    );
}
