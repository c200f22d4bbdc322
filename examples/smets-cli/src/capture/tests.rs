#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)] // test builders of small buffers

use core::time::Duration;
use std::path::PathBuf;
use std::process::Command;

use proptest::prelude::*;
use smets_core::{DecodeErrorKind, Layer};
use smets_zigbee::security::Key128;

use super::*;

/// control4 frame 1 (tshark-killerbee__control4-sample-0001): a NWK-secured
/// link status, FCS included.
const C4_1: &str = "41880e5933ffff00000912fcff000001c022021f0000ff0f0028ba22010022021f0000ff0f0000658df37b6af6976da6f611";
/// control4 frame 2, FCS included.
const C4_2: &str = "41880e5933ffffc0180912fcffc01801762df41d0000ff0f0028146600002df41d0000ff0f0000336b7b09d65f0855683274";

fn bytes(hex: &str) -> Vec<u8> {
    hex::decode(hex).unwrap()
}

/// Where `shared/vectors` is: `SMETS_VECTORS`, or the nearest ancestor of the
/// crate holding `shared/vectors` (the main checkout and worktrees alike).
fn vectors() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SMETS_VECTORS") {
        return Some(PathBuf::from(dir));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let found = manifest
        .ancestors()
        .map(|a| a.join("shared/vectors"))
        .find(|p| p.is_dir());
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "shared/vectors is required when CI=true"
        );
        println!("notice: shared/vectors not found; vector tests skipped");
    }
    found
}

fn tshark() -> Option<&'static str> {
    let path = "/usr/bin/tshark";
    if std::path::Path::new(path).exists() {
        Some(path)
    } else {
        println!("notice: {path} not found; tshark cross-check skipped");
        None
    }
}

fn collect(data: &[u8]) -> Vec<Result<Record<'_>, RecordError>> {
    open(data).unwrap().records().collect()
}

// ---------------------------------------------------------------- builders

/// A little- or big-endian pcap file of `link_type` with `(ts, data)` records.
fn pcap(big: bool, nanos: bool, link_type: u32, records: &[(u32, u32, &[u8])]) -> Vec<u8> {
    let w32 = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let w16 = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut out = Vec::new();
    out.extend_from_slice(&w32(if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }));
    out.extend_from_slice(&w16(2));
    out.extend_from_slice(&w16(4));
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&w32(65535));
    out.extend_from_slice(&w32(link_type));
    for (sec, frac, data) in records {
        out.extend_from_slice(&w32(*sec));
        out.extend_from_slice(&w32(*frac));
        out.extend_from_slice(&w32(data.len() as u32));
        out.extend_from_slice(&w32(data.len() as u32));
        out.extend_from_slice(data);
    }
    out
}

fn zep_v2(crc_mode: bool, channel: u8, lqi: u8, frame: &[u8]) -> Vec<u8> {
    let mut z = b"EX".to_vec();
    z.extend_from_slice(&[2, 1, channel, 0x12, 0x34, u8::from(crc_mode), lqi]);
    z.extend_from_slice(&[0xe9, 0x1f, 0, 0, 0, 0, 0, 0]); // NTP timestamp
    z.extend_from_slice(&7u32.to_be_bytes());
    z.extend_from_slice(&[0; 10]);
    z.push(frame.len() as u8);
    z.extend_from_slice(frame);
    z
}

fn zep_v1(crc_mode: bool, channel: u8, lqi: u8, frame: &[u8]) -> Vec<u8> {
    let mut z = b"EX".to_vec();
    z.extend_from_slice(&[1, channel, 0x12, 0x34, u8::from(crc_mode), lqi]);
    z.extend_from_slice(&[0; 7]);
    z.push(frame.len() as u8);
    z.extend_from_slice(frame);
    z
}

fn udp(src: u16, dst: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::new();
    u.extend_from_slice(&src.to_be_bytes());
    u.extend_from_slice(&dst.to_be_bytes());
    u.extend_from_slice(&(8 + payload.len() as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]); // no checksum (allowed over IPv4)
    u.extend_from_slice(payload);
    u
}

fn ipv4_checksum(header: &[u8]) -> u16 {
    let mut sum = header
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], c[1]])))
        .sum::<u32>();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&(20 + payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[0, 1, 0x40, 0, 64, proto, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
    let sum = ipv4_checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&[0; 15]);
    h.push(1);
    h.extend_from_slice(&[0; 15]);
    h.push(1);
    h.extend_from_slice(payload);
    h
}

fn ethernet(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut e = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    e.extend_from_slice(&ethertype.to_be_bytes());
    e.extend_from_slice(payload);
    e
}

fn tap(tlvs: &[(u16, &[u8])], frame: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (kind, value) in tlvs {
        body.extend_from_slice(&kind.to_le_bytes());
        body.extend_from_slice(&(value.len() as u16).to_le_bytes());
        body.extend_from_slice(value);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    let mut t = vec![0, 0];
    t.extend_from_slice(&(4 + body.len() as u16).to_le_bytes());
    t.extend_from_slice(&body);
    t.extend_from_slice(frame);
    t
}

/// One pcapng block in the given byte order.
fn block(big: bool, kind: u32, body: &[u8]) -> Vec<u8> {
    let w32 = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut body = body.to_vec();
    body.resize(body.len().next_multiple_of(4), 0);
    let total = 12 + body.len() as u32;
    let mut out = w32(kind).to_vec();
    out.extend_from_slice(&w32(total));
    out.extend_from_slice(&body);
    out.extend_from_slice(&w32(total));
    out
}

fn shb(big: bool) -> Vec<u8> {
    let mut b = Vec::new();
    if big {
        b.extend_from_slice(&0x1a2b_3c4du32.to_be_bytes());
        b.extend_from_slice(&1u16.to_be_bytes());
    } else {
        b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
    }
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&[0xff; 8]);
    block(big, 0x0a0d_0d0a, &b)
}

fn idb(big: bool, link_type: u16, options: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    if big {
        b.extend_from_slice(&link_type.to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    } else {
        b.extend_from_slice(&link_type.to_le_bytes());
        b.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    }
    b.extend_from_slice(options);
    block(big, 1, &b)
}

fn epb(big: bool, iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let w32 = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut b = Vec::new();
    b.extend_from_slice(&w32(iface));
    b.extend_from_slice(&w32((ts >> 32) as u32));
    b.extend_from_slice(&w32(ts as u32));
    b.extend_from_slice(&w32(data.len() as u32));
    b.extend_from_slice(&w32(data.len() as u32));
    b.extend_from_slice(data);
    block(big, 6, &b)
}

// ---------------------------------------------------------------- vectors

fn tshark_records(vectors: &std::path::Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(vectors.join("zigbee/frames.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["id"].as_str().unwrap().starts_with("tshark-"))
        .collect()
}

#[test]
fn every_vector_capture_opens_with_the_frame_count_of_its_readme() {
    let Some(vectors) = vectors() else { return };
    let expected = [
        ("killerbee__control4-sample.pcap", Format::Pcap, 407),
        ("killerbee__zigbee-network-key-ota.dcf", Format::Dcf, 4),
        ("killerbee__802154_encr_sample.dcf", Format::Dcf, 2),
        ("scapy__zigbee-join-authenticate.pcap", Format::Pcap, 54),
        ("scapy__zigbee-transport-key-skke_1.pcap", Format::Pcap, 1),
        ("zigator__02-mac-testing.pcap", Format::Pcap, 19),
        ("zigator__03-nwk-testing.pcap", Format::Pcap, 15),
        ("zigator__04-aps-testing.pcap", Format::Pcap, 11),
        ("zigator__05-zdp-testing.pcap", Format::Pcap, 1),
        ("zigator__06-zcl-testing.pcap", Format::Pcap, 1),
    ];
    let dir = vectors.join("zigbee/captures");
    let listed = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            let p = e.as_ref().unwrap().path();
            matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("pcap" | "pcapng" | "dcf")
            )
        })
        .count();
    assert_eq!(
        listed,
        expected.len(),
        "a capture in {dir:?} has no expected count"
    );
    let records = tshark_records(&vectors);
    for (file, format, count) in expected {
        let data = std::fs::read(dir.join(file)).unwrap();
        let cap = open(&data).unwrap();
        assert_eq!(cap.format(), format, "{file}");
        assert!(cap.secrets().is_empty());
        let frames: Vec<Record<'_>> = cap.records().map(|r| r.unwrap()).collect();
        assert_eq!(frames.len(), count, "{file}");
        for (i, f) in frames.iter().enumerate() {
            assert_eq!(f.number, i + 1);
            assert!(f.timestamp.is_some(), "{file} #{}", f.number);
        }
        let stem = file.rsplit_once('.').unwrap().0;
        let mut checked = 0;
        for rec in records.iter().filter(|r| r["capture_file"] == file) {
            let n = rec["frame_number"].as_u64().unwrap() as usize;
            let want = bytes(rec["hex"].as_str().unwrap());
            let got = &frames[n - 1];
            match rec["fcs_present"].as_bool() {
                Some(true) => {
                    assert_eq!(got.fcs, FcsPresence::Present, "{file} #{n}");
                    assert_eq!(&got.frame[..], &want[..], "{file} #{n}");
                }
                Some(false) => {
                    assert_ne!(got.fcs, FcsPresence::Present, "{file} #{n}");
                    assert_eq!(got.mac_frame(), &want[..], "{file} #{n}");
                }
                None => panic!("{file} #{n}: fcs_present is not a bool"),
            }
            checked += 1;
        }
        let first = records
            .iter()
            .find(|r| r["id"] == format!("tshark-{stem}-0001"));
        if let Some(first) = first {
            let want = bytes(first["hex"].as_str().unwrap());
            let got = &frames[0];
            let got = if first["fcs_present"] == true {
                &got.frame[..]
            } else {
                got.mac_frame()
            };
            assert_eq!(got, &want[..], "{file} first frame");
            assert_eq!(checked, count, "{file}: every frame compared");
        }
    }
}

#[test]
fn vector_frames_agree_with_tshark_on_length_time_and_fcs() {
    let Some(vectors) = vectors() else { return };
    let Some(tshark) = tshark() else { return };
    let dir = vectors.join("zigbee/captures");
    let mut bad_fcs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(
            path.extension().and_then(|x| x.to_str()),
            Some("pcap" | "dcf")
        ) {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let frames: Vec<Record<'_>> = collect(&data).into_iter().map(Result::unwrap).collect();
        let out = Command::new(tshark)
            .args([
                "-r",
                path.to_str().unwrap(),
                "-T",
                "fields",
                "-e",
                "frame.cap_len",
            ])
            .args(["-e", "frame.time_epoch", "-e", "wpan.fcs_ok"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{path:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(text.lines().count(), frames.len(), "{path:?}");
        for (line, f) in text.lines().zip(&frames) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols[0], f.frame.len().to_string(), "{path:?} #{}", f.number);
            let ts = f.timestamp.unwrap();
            assert_eq!(
                cols[1],
                format!("{}.{:09}", ts.as_secs(), ts.subsec_nanos()),
                "{path:?} #{}",
                f.number
            );
            // Without an FCS tshark still sets a hidden fcs_ok of 1.
            match cols[2] {
                _ if f.fcs == FcsPresence::Absent => {}
                "1" => assert_eq!(f.fcs_ok(), Some(true), "{path:?} #{}", f.number),
                "0" => {
                    assert_eq!(f.fcs_ok(), Some(false), "{path:?} #{}", f.number);
                    bad_fcs += 1;
                }
                _ => {}
            }
        }
    }
    assert_eq!(
        bad_fcs, 31,
        "30 bad FCSs in control4, 1 in zigator 02 (frame 10)"
    );
}

#[test]
fn daintree_file_gives_time_and_radio_fields() {
    let Some(vectors) = vectors() else { return };
    let data = std::fs::read(vectors.join("zigbee/captures/killerbee__zigbee-network-key-ota.dcf"))
        .unwrap();
    let frames = collect(&data);
    let f = frames[0].as_ref().unwrap();
    assert_eq!(f.timestamp, Some(Duration::new(1_193_806_329, 955_520_000)));
    assert_eq!(f.fcs, FcsPresence::Absent);
    assert_eq!(f.frame.len(), 28);
    assert_eq!((f.lqi, f.rssi, f.channel), (Some(161), Some(-25), Some(25)));
    assert_eq!(f.fcs_ok(), None);
}

#[test]
fn control4_fcs_checks_out() {
    let Some(vectors) = vectors() else { return };
    let data =
        std::fs::read(vectors.join("zigbee/captures/killerbee__control4-sample.pcap")).unwrap();
    let cap = open(&data).unwrap();
    let first = cap.records().next().unwrap().unwrap();
    assert_eq!(first.fcs_ok(), Some(true));
    assert!(
        matches!(first.frame, Cow::Borrowed(_)),
        "pcap frames are zero-copy"
    );
    // The frame sits 24 (file header) + 16 (record header) bytes in.
    assert_eq!(first.frame.as_ptr(), data[40..].as_ptr());
}

// ---------------------------------------------------------------- pcap

#[test]
fn pcap_in_both_byte_orders_and_resolutions() {
    let frame = bytes(C4_1);
    for big in [false, true] {
        for nanos in [false, true] {
            let file = pcap(big, nanos, 195, &[(1_700_000_000, 123_456, &frame)]);
            let recs = collect(&file);
            assert_eq!(recs.len(), 1);
            let r = recs[0].as_ref().unwrap();
            assert_eq!(r.number, 1);
            assert_eq!(&r.frame[..], &frame[..]);
            assert_eq!(r.fcs, FcsPresence::Present);
            let nanos_part = if nanos { 123_456 } else { 123_456_000 };
            assert_eq!(r.timestamp, Some(Duration::new(1_700_000_000, nanos_part)));
        }
    }
}

#[test]
fn pcap_link_type_230_has_no_fcs_and_215_skips_the_phy_header() {
    let frame = bytes(C4_1);
    let file = pcap(false, false, 230, &[(0, 0, &frame[..frame.len() - 2])]);
    let r = collect(&file).remove(0).unwrap();
    assert_eq!(r.fcs, FcsPresence::Absent);
    assert_eq!(r.mac_frame(), &frame[..frame.len() - 2]);

    let mut phy = vec![0, 0, 0, 0, 0xa7, frame.len() as u8];
    phy.extend_from_slice(&frame);
    let file = pcap(false, false, 215, &[(0, 0, &phy)]);
    let r = collect(&file).remove(0).unwrap();
    assert_eq!(r.fcs, FcsPresence::Present);
    assert_eq!(&r.frame[..], &frame[..]);
    assert_eq!(r.fcs_ok(), Some(true));
}

#[test]
fn truncated_last_pcap_record_is_reported_and_ends_iteration() {
    let f1 = bytes(C4_1);
    let f2 = bytes(C4_2);
    let file = pcap(false, false, 195, &[(0, 0, &f1), (1, 0, &f2)]);
    let cut = &file[..file.len() - 5];
    let recs = collect(cut);
    assert_eq!(recs.len(), 2);
    assert!(recs[0].is_ok());
    let e = recs[1].clone().unwrap_err();
    assert_eq!(e.number, 2);
    assert_eq!(e.cause, ErrorCause::Malformed);
    assert_eq!(e.error.layer, Layer::Capture);
    // The data of record 2 starts after the file header, record 1 and record 2's header.
    assert_eq!(e.error.offset, 24 + 16 + f1.len() + 16);
    assert!(matches!(e.error.kind, DecodeErrorKind::Truncated { .. }));
}

#[test]
fn other_link_types_are_reported_and_iteration_goes_on() {
    let f = bytes(C4_1);
    let file = pcap(false, false, 105, &[(0, 0, &f), (0, 0, &f)]);
    let recs = collect(&file);
    assert_eq!(recs.len(), 2);
    for (i, r) in recs.iter().enumerate() {
        let e = r.clone().unwrap_err();
        assert_eq!(e.number, i + 1);
        assert_eq!(e.cause, ErrorCause::Unsupported);
        assert!(e.to_string().contains("link type"), "{e}");
    }
}

#[test]
fn headers_that_are_cut_short_fail_to_open() {
    let file = pcap(false, false, 195, &[]);
    for cut in 4..file.len() {
        assert!(
            matches!(open(&file[..cut]), Err(CaptureError::Header(_))),
            "{cut}"
        );
    }
    assert!(open(&file).unwrap().records().next().is_none());
    assert_eq!(
        open(&[0x00, 0xff, 0x10]).unwrap_err(),
        CaptureError::UnknownFormat
    );
}

// ---------------------------------------------------------------- ZEP

#[test]
fn zep_v2_over_ethernet_ipv4_udp() {
    let frame = bytes(C4_1);
    let pkt = ethernet(
        0x0800,
        &ipv4(17, &udp(17754, 17754, &zep_v2(true, 11, 0, &frame))),
    );
    let file = pcap(false, false, 1, &[(5, 0, &pkt)]);
    let r = collect(&file).remove(0).unwrap();
    assert_eq!(&r.frame[..], &frame[..]);
    assert_eq!(r.fcs, FcsPresence::Present);
    assert_eq!(r.channel, Some(11));
    assert_eq!(r.lqi, None);
    assert_eq!(r.fcs_ok(), Some(true));
    assert_eq!(r.frame.as_ptr(), file[file.len() - frame.len()..].as_ptr());

    if let Some(tshark) = tshark() {
        let path = std::env::temp_dir().join(format!("smets-zep-{}.pcap", std::process::id()));
        std::fs::write(&path, &file).unwrap();
        let out = Command::new(tshark)
            .args([
                "-r",
                path.to_str().unwrap(),
                "-T",
                "fields",
                "-e",
                "zep.channel_id",
                "-e",
                "zep.length",
                "-e",
                "wpan.seq_no",
                "-e",
                "wpan.fcs_ok",
            ])
            .output()
            .unwrap();
        std::fs::remove_file(&path).ok();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = text.trim().split('\t').collect();
        assert_eq!(fields[0], "11");
        assert_eq!(fields[1], frame.len().to_string());
        assert_eq!(fields[2], frame[2].to_string());
        assert!(matches!(fields[3], "1" | "True"), "{text}");
    }
}

#[test]
fn zep_lqi_mode_v1_ipv6_vlan_and_cooked_captures() {
    let frame = bytes(C4_1);
    let mut ti = frame.clone();
    let n = ti.len();
    ti[n - 2] = 0xd3; // RSSI
    ti[n - 1] = 0x80 | 0x6c; // CRC OK, correlation

    let v2 = ethernet(
        0x0800,
        &ipv4(17, &udp(17754, 17754, &zep_v2(false, 25, 200, &ti))),
    );
    let v1 = ethernet(
        0x0800,
        &ipv4(17, &udp(40000, 17754, &zep_v1(false, 15, 99, &ti))),
    );
    let v6 = ethernet(
        0x86dd,
        &ipv6(17, &udp(17754, 5000, &zep_v2(true, 20, 0, &frame))),
    );
    let mut vlan = ethernet(0x8100, &[0x00, 0x05]);
    vlan.extend_from_slice(&0x0800u16.to_be_bytes());
    vlan.extend_from_slice(&ipv4(17, &udp(17754, 17754, &zep_v2(true, 26, 0, &frame))));
    let file = pcap(
        false,
        false,
        1,
        &[(0, 0, &v2), (0, 0, &v1), (0, 0, &v6), (0, 0, &vlan)],
    );
    let recs: Vec<Record<'_>> = collect(&file).into_iter().map(Result::unwrap).collect();
    assert_eq!(
        (recs[0].fcs, recs[0].channel, recs[0].lqi),
        (FcsPresence::TiMetadata, Some(25), Some(200))
    );
    assert_eq!(recs[0].fcs_ok(), Some(true));
    assert_eq!(recs[0].mac_frame(), &frame[..n - 2]);
    assert_eq!(
        (recs[1].fcs, recs[1].channel, recs[1].lqi),
        (FcsPresence::TiMetadata, Some(15), Some(99))
    );
    assert_eq!(
        (recs[2].fcs, recs[2].channel),
        (FcsPresence::Present, Some(20))
    );
    assert_eq!(
        (recs[3].fcs, recs[3].channel),
        (FcsPresence::Present, Some(26))
    );
    for r in &recs {
        assert_eq!(r.mac_frame(), &frame[..n - 2]);
    }

    let ip = ipv4(17, &udp(17754, 17754, &zep_v2(true, 11, 0, &frame)));
    let mut sll = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0];
    sll.extend_from_slice(&0x0800u16.to_be_bytes());
    sll.extend_from_slice(&ip);
    let mut sll2 = 0x0800u16.to_be_bytes().to_vec();
    sll2.extend_from_slice(&[0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]);
    sll2.extend_from_slice(&ip);
    for (lt, pkt) in [
        (113, sll),
        (276, sll2),
        (101, ip.clone()),
        (228, ip.clone()),
    ] {
        let file = pcap(false, false, lt, &[(0, 0, &pkt)]);
        let r = collect(&file).remove(0).unwrap();
        assert_eq!(&r.frame[..], &frame[..], "link type {lt}");
    }
}

#[test]
fn zep_acks_other_udp_and_broken_zep_are_reported() {
    let frame = bytes(C4_1);
    let mut ack = b"EX".to_vec();
    ack.extend_from_slice(&[2, 2, 0, 0, 0, 9]);
    let ack = ethernet(0x0800, &ipv4(17, &udp(17754, 17754, &ack)));
    let dns = ethernet(0x0800, &ipv4(17, &udp(5353, 53, &[1, 2, 3])));
    let tcp = ethernet(0x0800, &ipv4(6, &[0; 20]));
    let arp = ethernet(0x0806, &[0; 28]);
    let mut long = zep_v2(true, 11, 0, &frame);
    long.push(0);
    let long = ethernet(0x0800, &ipv4(17, &udp(17754, 17754, &long)));
    let mut bad = zep_v2(true, 11, 0, &frame);
    bad[0] = b'X';
    let bad = ethernet(0x0800, &ipv4(17, &udp(17754, 17754, &bad)));
    let file = pcap(
        false,
        false,
        1,
        &[
            (0, 0, &ack),
            (0, 0, &dns),
            (0, 0, &tcp),
            (0, 0, &arp),
            (0, 0, &long),
            (0, 0, &bad),
        ],
    );
    let errs: Vec<RecordError> = collect(&file).into_iter().map(Result::unwrap_err).collect();
    let causes: Vec<ErrorCause> = errs.iter().map(|e| e.cause).collect();
    use ErrorCause::*;
    assert_eq!(
        causes,
        [
            NoFrame,
            Unsupported,
            Unsupported,
            Unsupported,
            Malformed,
            Malformed
        ]
    );
    let first = 24 + 16;
    // the ZEP type byte: Ethernet 14 + IPv4 20 + UDP 8 + 3
    assert_eq!(errs[0].error.offset, first + 14 + 20 + 8 + 3);
    assert!(errs[1].to_string().contains("UDP port"), "{}", errs[1]);
    assert!(errs[2].to_string().contains("IP protocol"), "{}", errs[2]);
    assert!(errs[3].to_string().contains("Ethertype"), "{}", errs[3]);
    assert!(errs.iter().enumerate().all(|(i, e)| e.number == i + 1));
}

// ---------------------------------------------------------------- TAP

#[test]
fn tap_header_tlvs_give_fcs_channel_rssi_and_lqi() {
    let frame = bytes(C4_1);
    let pkt = tap(
        &[
            (0, &[1]),
            (1, &(-42.4f32).to_le_bytes()),
            (3, &[15, 0, 0]),
            (10, &[180]),
            (2, &250_000u32.to_le_bytes()),
        ],
        &frame,
    );
    let none = tap(&[(0, &[0])], &frame[..frame.len() - 2]);
    let bare = tap(&[], &frame);
    let crc32 = tap(
        &[(0, &[2])],
        &[&frame[..frame.len() - 2], &[1, 2, 3, 4]].concat(),
    );
    let file = pcap(
        false,
        false,
        283,
        &[(0, 0, &pkt), (0, 0, &none), (0, 0, &bare), (0, 0, &crc32)],
    );
    let recs: Vec<Record<'_>> = collect(&file).into_iter().map(Result::unwrap).collect();
    assert_eq!(&recs[0].frame[..], &frame[..]);
    assert_eq!(
        (recs[0].fcs, recs[0].channel, recs[0].rssi, recs[0].lqi),
        (FcsPresence::Present, Some(15), Some(-42), Some(180))
    );
    assert_eq!(recs[1].fcs, FcsPresence::Absent);
    assert_eq!(
        (recs[2].fcs, &recs[2].frame[..]),
        (FcsPresence::Absent, &frame[..])
    );
    assert_eq!(
        (recs[3].fcs, recs[3].mac_frame()),
        (FcsPresence::Absent, &frame[..frame.len() - 2])
    );

    let broken = tap(&[(0, &[7])], &frame);
    let mut overlong = tap(&[(10, &[1])], &frame);
    overlong[6] = 200; // TLV length past the header
    let file = pcap(
        false,
        false,
        283,
        &[(0, 0, &broken), (0, 0, &overlong), (0, 0, &[1, 0, 4, 0])],
    );
    let errs: Vec<RecordError> = collect(&file).into_iter().map(Result::unwrap_err).collect();
    assert_eq!(errs[0].error.offset, 24 + 16 + 8);
    assert_eq!(errs[0].cause, ErrorCause::Malformed);
    assert!(matches!(
        errs[1].error.kind,
        DecodeErrorKind::Truncated { .. }
    ));
    assert_eq!(errs[2].cause, ErrorCause::Unsupported);
}

// ---------------------------------------------------------------- pcapng

#[test]
fn pcapng_sections_interfaces_and_packet_blocks() {
    let f1 = bytes(C4_1);
    let f2 = bytes(C4_2);
    let mut file = shb(false);
    // interface 0: 195 in microseconds; interface 1: 230 in nanoseconds with +10 s offset.
    file.extend(idb(false, 195, &[]));
    let mut opts = vec![9, 0, 1, 0, 9, 0, 0, 0, 14, 0, 8, 0];
    opts.extend_from_slice(&10i64.to_le_bytes());
    opts.extend_from_slice(&[0, 0, 0, 0]);
    file.extend(idb(false, 230, &opts));
    file.extend(epb(false, 0, 1_700_000_000_250_000, &f1));
    file.extend(epb(false, 1, 5_000_000_123, &f2[..f2.len() - 2]));
    let mut dsb = SecretKind::ZIGBEE_NWK_KEY.to_le_bytes().to_vec();
    dsb.extend_from_slice(&18u32.to_le_bytes());
    dsb.extend_from_slice(&bytes("26546b723b396a727b5d5271517d392f"));
    dsb.extend_from_slice(&0x1a62u16.to_le_bytes());
    file.extend(block(false, 0x0a, &dsb));
    file.extend(epb(false, 7, 0, &f1)); // no such interface
    let mut spb = (f1.len() as u32).to_le_bytes().to_vec();
    spb.extend_from_slice(&f1);
    file.extend(block(false, 3, &spb));
    let mut pb = vec![1, 0, 0, 0];
    pb.extend_from_slice(&0u32.to_le_bytes());
    pb.extend_from_slice(&2_000_000_000u32.to_le_bytes());
    pb.extend_from_slice(&(f2.len() as u32 - 2).to_le_bytes());
    pb.extend_from_slice(&(f2.len() as u32 - 2).to_le_bytes());
    pb.extend_from_slice(&f2[..f2.len() - 2]);
    file.extend(block(false, 2, &pb));
    // a big-endian second section with its own interface list
    file.extend(shb(true));
    file.extend(idb(true, 195, &[]));
    file.extend(epb(true, 0, 3_000_000, &f2));
    file.extend(block(true, 0x0bad, &[1, 2, 3, 4]));

    let cap = open(&file).unwrap();
    assert_eq!(cap.format(), Format::Pcapng);
    let secrets = cap.secrets();
    assert_eq!(secrets.len(), 1);
    let z = secrets[0].zigbee().unwrap();
    assert_eq!(z.kind, SecretKind::ZigbeeNetworkKey);
    assert_eq!(
        z.key,
        Key128::from_hex("26546b723b396a727b5d5271517d392f").unwrap()
    );
    assert_eq!((z.pan_id, z.nodes), (Some(0x1a62), None));

    let recs: Vec<_> = cap.records().collect();
    assert_eq!(recs.len(), 6);
    let r = recs[0].as_ref().unwrap();
    assert_eq!((r.number, r.fcs), (1, FcsPresence::Present));
    assert_eq!(r.timestamp, Some(Duration::new(1_700_000_000, 250_000_000)));
    let r = recs[1].as_ref().unwrap();
    assert_eq!(
        (r.fcs, r.mac_frame()),
        (FcsPresence::Absent, &f2[..f2.len() - 2])
    );
    assert_eq!(r.timestamp, Some(Duration::new(15, 123)));
    let e = recs[2].clone().unwrap_err();
    assert_eq!((e.number, e.cause), (3, ErrorCause::Malformed));
    assert!(e.to_string().contains("interface id"), "{e}");
    let r = recs[3].as_ref().unwrap();
    assert_eq!((r.number, r.timestamp, &r.frame[..]), (4, None, &f1[..]));
    let r = recs[4].as_ref().unwrap();
    assert_eq!((r.number, r.fcs), (5, FcsPresence::Absent));
    assert_eq!(r.timestamp, Some(Duration::new(12, 0)));
    let r = recs[5].as_ref().unwrap();
    assert_eq!(
        (r.number, r.fcs, &r.frame[..]),
        (6, FcsPresence::Present, &f2[..])
    );
    assert_eq!(r.timestamp, Some(Duration::from_secs(3)));
}

#[test]
fn pcapng_broken_block_length_ends_iteration_after_reporting_it() {
    let f1 = bytes(C4_1);
    let mut file = shb(false);
    file.extend(idb(false, 195, &[]));
    file.extend(epb(false, 0, 0, &f1));
    let second = file.len();
    file.extend(epb(false, 0, 0, &f1));
    file.extend(epb(false, 0, 0, &f1));
    file[second + 4] ^= 0x40; // total length now disagrees with the trailer
    let recs = collect(&file);
    assert_eq!(recs.len(), 2);
    assert!(recs[0].is_ok());
    let e = recs[1].clone().unwrap_err();
    assert_eq!(e.number, 2);
    assert_eq!(e.error.layer, Layer::Capture);

    // a caplen past the block body is that record's error only
    let mut file = shb(false);
    file.extend(idb(false, 195, &[]));
    let bad = file.len();
    file.extend(epb(false, 0, 0, &f1));
    file.extend(epb(false, 0, 0, &f1));
    file[bad + 8 + 12] = 0xff;
    let recs = collect(&file);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].clone().unwrap_err().error.offset, bad + 8 + 20);
    assert!(recs[1].is_ok());
}

#[test]
fn aps_secret_and_other_secrets() {
    let mut data = bytes("33333333333333333333333333333333");
    data.extend_from_slice(&[0x62, 0x1a, 0x00, 0x00, 0x34, 0x12]);
    let s = Secret {
        kind: SecretKind::from_u32(0x5a41_5053),
        data: &data,
    };
    let z = s.zigbee().unwrap();
    assert_eq!(
        (z.kind, z.pan_id, z.nodes),
        (SecretKind::ZigbeeApsKey, Some(0x1a62), Some((0, 0x1234)))
    );
    assert_eq!(s.zigbee_key().unwrap().as_bytes(), &[0x33; 16]);
    let tls = Secret {
        kind: SecretKind::from_u32(0x544c_534b),
        data: b"CLIENT_RANDOM",
    };
    assert_eq!(tls.kind, SecretKind::Other(0x544c_534b));
    assert!(tls.zigbee().is_none());
    let short = Secret {
        kind: SecretKind::ZigbeeNetworkKey,
        data: &data[..15],
    };
    assert!(short.zigbee().is_none());
    assert!(!format!("{s:?}").contains("33"));
}

// ---------------------------------------------------------------- text

#[test]
fn hex_text_lines_comments_and_separators() {
    let text = format!(
        "# control4 frames 1 and 2\n\n{C4_1}\r\n  41:88:0e:59:33 ff ff  # a truncated header, no FCS\n\t\n{}\n# end\nzz\n",
        C4_2.as_bytes()
            .chunks(2)
            .map(|c| core::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let cap = open(text.as_bytes()).unwrap();
    assert_eq!(cap.format(), Format::HexText);
    let recs: Vec<_> = cap.records().collect();
    assert_eq!(recs.len(), 4);
    let r = recs[0].as_ref().unwrap();
    assert_eq!(
        (r.number, r.fcs, r.timestamp),
        (1, FcsPresence::Present, None)
    );
    assert_eq!(&r.frame[..], &bytes(C4_1)[..]);
    let r = recs[1].as_ref().unwrap();
    assert_eq!(
        (r.fcs, &r.frame[..]),
        (
            FcsPresence::Absent,
            &[0x41, 0x88, 0x0e, 0x59, 0x33, 0xff, 0xff][..]
        )
    );
    let r = recs[2].as_ref().unwrap();
    assert_eq!(
        (r.number, r.fcs, &r.frame[..]),
        (3, FcsPresence::Present, &bytes(C4_2)[..])
    );
    let e = recs[3].clone().unwrap_err();
    assert_eq!(e.number, 4);
    assert_eq!(e.error.offset, text.find("zz").unwrap());
    assert!(open(b"").unwrap().records().next().is_none());

    let text = format!("\u{feff}# trame captur\u{e9}e\n{C4_1}\n : \n");
    let recs = collect(text.as_bytes());
    assert_eq!(recs.len(), 2);
    assert_eq!(&recs[0].as_ref().unwrap().frame[..], &bytes(C4_1)[..]);
    let e = recs[1].clone().unwrap_err();
    assert_eq!((e.number, e.cause), (2, ErrorCause::Malformed));
    assert_eq!(open(b"4188\x00").unwrap_err(), CaptureError::UnknownFormat);
}

#[test]
fn daintree_lines() {
    let text = b"#Format=4\r\n# SNA v3.0.0.7 SUS:20090619 ACT:067341\r\n\
1 1242936675.030000 27 23cc842143020000000048deacffff010000000048deac01ceffff 255 1 -3 25 1 0 1 32767\r\n\
2 1242936675.030000 27 23cc842143020000000048deacffff010000000048deac01ceff\r\n\
3 1242936675.030000 9 23cc842143020000000048deacffff010000000048deac01ceffff 255 1 -3 25 1 0 1 32767\r\n\
4 1242936675.5\r\n";
    let cap = open(text).unwrap();
    assert_eq!(cap.format(), Format::Dcf);
    let recs: Vec<_> = cap.records().collect();
    assert_eq!(recs.len(), 4);
    let r = recs[0].as_ref().unwrap();
    assert_eq!(r.frame.len(), 25);
    assert_eq!(r.frame[0..3], [0x23, 0xcc, 0x84]);
    assert_eq!(r.timestamp, Some(Duration::new(1_242_936_675, 30_000_000)));
    assert_eq!((r.lqi, r.rssi, r.channel), (Some(255), Some(-3), Some(25)));
    let r = recs[1].as_ref().unwrap();
    assert_eq!((r.frame.len(), r.lqi), (24, None));
    assert_eq!(recs[2].clone().unwrap_err().number, 3);
    assert!(matches!(
        recs[3].clone().unwrap_err().error.kind,
        DecodeErrorKind::Truncated { .. }
    ));
}

// ---------------------------------------------------------------- writer

fn written(link: WriterLinkType) -> Vec<u8> {
    let mut w = PcapngWriter::new(Vec::new(), link).unwrap();
    w.write_network_key(
        &Key128::from_hex("26546b723b396a727b5d5271517d392f").unwrap(),
        0x1a62,
    )
    .unwrap();
    w.write_aps_key(&Key128::new([0x44; 16]), 0x1a62, (0x5678, 0x0001))
        .unwrap();
    let f1 = bytes(C4_1);
    let f2 = bytes(C4_2);
    w.write_frame(
        Duration::new(1_193_806_329, 955_520_123),
        &f1,
        FcsPresence::Present,
    )
    .unwrap();
    w.write_frame(
        Duration::new(1_193_806_330, 0),
        &f2[..f2.len() - 2],
        FcsPresence::Absent,
    )
    .unwrap();
    w.write_record(&Record {
        number: 9,
        timestamp: Some(Duration::new(1_193_806_331, 1)),
        frame: Cow::Owned(f1.clone()),
        fcs: FcsPresence::Present,
        channel: Some(25),
        rssi: Some(-25),
        lqi: Some(161),
    })
    .unwrap();
    w.into_inner().unwrap()
}

#[test]
fn writer_round_trip_is_deterministic_and_tshark_reads_it() {
    let f1 = bytes(C4_1);
    let f2 = bytes(C4_2);
    for link in [WriterLinkType::WithFcs, WriterLinkType::Tap] {
        let file = written(link);
        assert_eq!(file, written(link), "deterministic");
        let cap = open(&file).unwrap();
        let secrets = cap.zigbee_secrets();
        assert_eq!(secrets.len(), 2);
        assert_eq!(secrets[0].key.as_bytes()[0], 0x26);
        assert_eq!((secrets[0].pan_id, secrets[0].nodes), (Some(0x1a62), None));
        assert_eq!(
            (secrets[1].kind, secrets[1].nodes),
            (SecretKind::ZigbeeApsKey, Some((1, 0x5678)))
        );
        let recs: Vec<Record<'_>> = cap.records().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 3);
        assert_eq!(
            recs[0].timestamp,
            Some(Duration::new(1_193_806_329, 955_520_123))
        );
        assert_eq!(&recs[0].frame[..], &f1[..]);
        assert_eq!(recs[1].mac_frame(), &f2[..f2.len() - 2]);
        assert_eq!(recs[2].timestamp, Some(Duration::new(1_193_806_331, 1)));
        match link {
            WriterLinkType::WithFcs => {
                // the FCS the writer computed for frame 2 is the one on air
                assert_eq!(&recs[1].frame[..], &f2[..]);
                assert_eq!(recs[2].channel, None);
            }
            WriterLinkType::Tap => {
                assert_eq!(recs[1].fcs, FcsPresence::Absent);
                assert_eq!(
                    (recs[2].channel, recs[2].rssi, recs[2].lqi),
                    (Some(25), Some(-25), Some(161))
                );
            }
        }
        if let Some(tshark) = tshark() {
            let path = std::env::temp_dir().join(format!(
                "smets-writer-{}-{}.pcapng",
                std::process::id(),
                link.number()
            ));
            std::fs::write(&path, &file).unwrap();
            let out = Command::new(tshark)
                .args([
                    "-r",
                    path.to_str().unwrap(),
                    "-T",
                    "fields",
                    "-e",
                    "frame.time_epoch",
                    "-e",
                    "wpan.seq_no",
                    "-e",
                    "wpan.fcs_ok",
                ])
                .output()
                .unwrap();
            std::fs::remove_file(&path).ok();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), 3, "{text}");
            assert!(lines[0].starts_with("1193806329.955520123\t14"), "{text}");
            assert!(lines[1].starts_with("1193806330.000000000\t14"), "{text}");
        }
    }
}

#[test]
fn writer_rejects_what_it_cannot_write() {
    let mut w = PcapngWriter::new(Vec::new(), WriterLinkType::WithFcs).unwrap();
    assert!(
        w.write_frame(Duration::ZERO, &[1], FcsPresence::Present)
            .is_err()
    );
    assert!(
        w.write_frame(Duration::MAX, &[1, 2, 3], FcsPresence::Absent)
            .is_err()
    );
    let mut ti = bytes(C4_1);
    let n = ti.len();
    ti[n - 2..].copy_from_slice(&[0xd3, 0xec]);
    w.write_frame(Duration::ZERO, &ti, FcsPresence::TiMetadata)
        .unwrap();
    let file = w.into_inner().unwrap();
    let r = open(&file).unwrap().records().next().unwrap().unwrap();
    assert_eq!(
        &r.frame[..],
        &bytes(C4_1)[..],
        "TI metadata replaced by the FCS"
    );
}

// ---------------------------------------------------------------- robustness

fn drain(data: &[u8]) {
    if let Ok(cap) = open(data) {
        let _ = cap.secrets();
        for r in cap.records() {
            match r {
                Ok(r) => {
                    let _ = (r.mac_frame(), r.fcs_ok());
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
    }
}

fn samples() -> Vec<Vec<u8>> {
    let frame = bytes(C4_1);
    let zep = ethernet(
        0x0800,
        &ipv4(17, &udp(17754, 17754, &zep_v2(true, 11, 0, &frame))),
    );
    let zep6 = ethernet(
        0x86dd,
        &ipv6(
            0,
            &[
                &[17u8, 0, 0, 0, 0, 0, 0, 0][..],
                &udp(17754, 1, &zep_v1(false, 1, 2, &frame)),
            ]
            .concat(),
        ),
    );
    let tap = tap(
        &[(0, &[1]), (1, &1.5f32.to_le_bytes()), (3, &[11, 0, 0])],
        &frame,
    );
    vec![
        pcap(false, false, 195, &[(0, 0, &frame), (1, 1, &frame)]),
        pcap(true, true, 1, &[(0, 0, &zep), (0, 0, &zep6)]),
        pcap(false, false, 283, &[(0, 0, &tap)]),
        written(WriterLinkType::WithFcs),
        written(WriterLinkType::Tap),
        format!("{C4_1}\n# x\n{C4_2}\n").into_bytes(),
        b"#Format=4\n#\n1 1.5 5 0102ffffff 1 2 3 4\n".to_vec(),
    ]
}

#[test]
fn truncation_at_every_offset_never_panics() {
    for s in samples() {
        for cut in 0..=s.len() {
            drain(&s[..cut]);
        }
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        drain(&data);
    }

    #[test]
    fn random_text_never_panics(text in "[0-9a-fA-Fx :#\t\r\n.-]{0,300}") {
        drain(text.as_bytes());
        drain(format!("#Format=4\n# SNA\n{text}").as_bytes());
    }

    #[test]
    fn mutated_captures_never_panic(which in 0usize..7, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut s = samples().swap_remove(which);
        for (at, v) in flips {
            let n = s.len();
            s[at % n] = v;
        }
        drain(&s);
    }

    #[test]
    fn written_frames_read_back(
        frames in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..125), any::<u32>(), 0u32..1_000_000_000), 0..6),
        tap in any::<bool>(),
    ) {
        let link = if tap { WriterLinkType::Tap } else { WriterLinkType::WithFcs };
        let mut w = PcapngWriter::new(Vec::new(), link).unwrap();
        for (f, s, n) in &frames {
            w.write_frame(Duration::new(u64::from(*s), *n), f, FcsPresence::Absent).unwrap();
        }
        let file = w.into_inner().unwrap();
        let recs: Vec<Record<'_>> = open(&file).unwrap().records().map(Result::unwrap).collect();
        prop_assert_eq!(recs.len(), frames.len());
        for (r, (f, s, n)) in recs.iter().zip(&frames) {
            prop_assert_eq!(r.mac_frame(), &f[..]);
            prop_assert_eq!(r.timestamp, Some(Duration::new(u64::from(*s), *n)));
            if !tap {
                prop_assert_eq!(r.fcs_ok(), Some(true));
            }
        }
    }
}
