//! Decode throughput of the HAN layers, one core, release profile:
//! `cargo bench -p smets-zigbee --bench decode`. Figures go in BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use divan::{Bencher, black_box};
use smets_core::Decode;
use smets_core::crc::crc16_kermit;
use smets_zigbee::aps::ApsFrame;
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::{FcsMode, MacFrame};
use smets_zigbee::nwk::NwkFrame;
use smets_zigbee::security::{AuxHeader, CcmStar, Key128, SecurityLevel};
use smets_zigbee::zcl::cluster;
use smets_zigbee::zcl::foundation::FoundationCommand;
use smets_zigbee::zcl::{ZclCommand, ZclFrame};

fn main() {
    divan::main();
}

const MAC: [u8; 9] = [0x61, 0x88, 0x2a, 0x1d, 0x4b, 0x00, 0x00, 0x34, 0x12];
/// NWK data frame 0x1234 -> 0x0000, radius 30, seq 5 (frame control 0x0008).
const NWK_PLAIN: [u8; 8] = [0x08, 0x00, 0x00, 0x00, 0x34, 0x12, 0x1e, 0x05];
/// APS data, unicast, endpoint 1 -> 1, Metering 0x0702 on Smart Energy 0x0109, counter 0x22.
const APS: [u8; 8] = [0x40, 0x01, 0x02, 0x07, 0x09, 0x01, 0x01, 0x22];
/// ZCL Report Attributes: CurrentSummationDelivered (0x0000), uint48, 12345.
const ZCL: [u8; 12] = [
    0x18, 0x05, 0x0a, 0x00, 0x00, 0x25, 0x39, 0x30, 0x00, 0x00, 0x00, 0x00,
];

fn with_fcs(mut f: Vec<u8>) -> Vec<u8> {
    let fcs = crc16_kermit(&f);
    f.extend_from_slice(&fcs.to_le_bytes());
    f
}

/// A Smart Energy Report Attributes frame without NWK security.
fn plain_frame() -> Vec<u8> {
    with_fcs([&MAC[..], &NWK_PLAIN, &APS, &ZCL].concat())
}

const NETWORK_KEY: [u8; 16] = *b"smets-bench-key!";

/// The same frame NWK-secured (level 5, network key, extended nonce).
fn secured_frame() -> Vec<u8> {
    let source = smets_core::Eui64(0x00d0_0d00_0000_1234);
    let mut nwk = NWK_PLAIN.to_vec();
    nwk[1] |= 0x02; // security
    let aux = AuxHeader {
        control: smets_zigbee::security::SecurityControl::from_byte(0x28),
        frame_counter: 1000,
        source: Some(source),
        key_seq: Some(0),
    };
    let aux_at = nwk.len();
    smets_core::Encode::encode(&aux, &mut nwk).unwrap();
    let mut aad = nwk.clone();
    aad[aux_at] = aux.control.byte_with_level(SecurityLevel::EncMic32);
    let mut payload = [&APS[..], &ZCL].concat();
    let nonce = aux.nonce(source, SecurityLevel::EncMic32);
    let mic = CcmStar::new(&Key128::new(NETWORK_KEY))
        .encrypt_in_place_detached(&nonce, SecurityLevel::EncMic32, &aad, &mut payload)
        .unwrap();
    with_fcs([&MAC[..], &nwk, &payload, mic.as_bytes()].concat())
}

/// MAC + NWK + APS headers of a plain frame (no decryption, no state).
#[divan::bench]
fn mac_nwk_aps_headers(b: Bencher) {
    let frame = plain_frame();
    b.counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| {
            // Every decoded struct goes to black_box: a field nobody reads
            // (the FCS check, say) must still be computed.
            let mac = black_box(MacFrame::decode(black_box(&frame), FcsMode::Present).unwrap());
            let nwk = black_box(NwkFrame::decode(mac.payload).unwrap());
            black_box(ApsFrame::decode(nwk.payload).unwrap())
        });
}

/// A Metering Report Attributes frame through every layer with the
/// stateless decoders: MAC, NWK, APS, the ZCL header, the foundation command
/// and each attribute's typed value, looked up in the cluster catalogue.
#[divan::bench]
fn report_attributes_all_layers(b: Bencher) {
    let frame = plain_frame();
    b.counter(divan::counter::ItemsCount::new(1usize))
        .bench(|| {
            let mac = black_box(MacFrame::decode(black_box(&frame), FcsMode::Present).unwrap());
            let nwk = black_box(NwkFrame::decode(mac.payload).unwrap());
            let aps = black_box(ApsFrame::decode(nwk.payload).unwrap());
            let cluster_id = aps.cluster.unwrap();
            let zcl = black_box(ZclFrame::decode(aps.payload).unwrap());
            let Some(ZclCommand::Foundation(FoundationCommand::ReportAttributes(records))) =
                zcl.command(cluster_id).unwrap()
            else {
                unreachable!()
            };
            let cluster = cluster::cluster(cluster_id).unwrap();
            let mut sum = 0u64;
            for r in records.iter() {
                let r = r.unwrap();
                let a = cluster.attribute(false, r.id).unwrap();
                sum += cluster::zcl_as_u64(black_box(&r.value)).unwrap() + u64::from(a.spec.id);
            }
            black_box(sum)
        });
}

/// The whole Dissector on the plain frame: every layer down to the decoded
/// ZCL command, with per-device state (addresses, counters, formatting).
#[divan::bench]
fn dissect_plain(b: Bencher) {
    let frame = plain_frame();
    let mut d = Dissector::new(KeyRing::new(), DissectorOptions::default());
    b.counter(divan::counter::ItemsCount::new(1usize))
        .bench_local(|| {
            black_box(d.dissect(black_box(&frame), FcsMode::Present));
        });
}

/// The whole Dissector with one NWK CCM* decryption (key schedule cached in the ring).
#[divan::bench]
fn dissect_nwk_decrypt(b: Bencher) {
    let frame = secured_frame();
    let mut ring = KeyRing::new();
    ring.add_network_key(Key128::new(NETWORK_KEY), Some(0), KeySource::Configured);
    let mut d = Dissector::new(ring, DissectorOptions::default());
    assert!(
        d.dissect(&frame, FcsMode::Present)
            .nwk_security
            .unwrap()
            .decrypted()
    );
    b.counter(divan::counter::ItemsCount::new(1usize))
        .bench_local(|| {
            black_box(d.dissect(black_box(&frame), FcsMode::Present));
        });
}

/// CCM* alone: MIC-32 decryption of the 20-byte APS+ZCL payload.
#[divan::bench]
fn ccm_star_decrypt_mic32(b: Bencher) {
    let ccm = CcmStar::new(&Key128::new(NETWORK_KEY));
    let nonce = [7u8; 13];
    let aad = [0u8; 22];
    let mut payload = [&APS[..], &ZCL].concat();
    let mic = ccm
        .encrypt_in_place_detached(&nonce, SecurityLevel::EncMic32, &aad, &mut payload)
        .unwrap();
    let mut buf = payload.clone();
    b.counter(divan::counter::ItemsCount::new(1usize))
        .bench_local(|| {
            buf.copy_from_slice(&payload);
            ccm.decrypt_in_place_detached(
                &nonce,
                SecurityLevel::EncMic32,
                &aad,
                &mut buf,
                mic.as_bytes(),
            )
            .unwrap();
            black_box(buf[0])
        });
}
