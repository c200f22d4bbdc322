//! The APS decoder against every frame of the shared vectors that has APS
//! expectations: tshark-* records (`zbee_aps.*` fields), scapy dot15d4 APS
//! records and zigbee-on-host (zoh-*) records with their Wireshark decode.
//!
//! MAC and NWK headers are read with the library's decoders (they are tested
//! in their own files); NWK-secured zoh frames are opened by the `Dissector`
//! with the network key of the record.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{id, record_bytes, records};
use serde_json::Value;
use smets_zigbee::aps::{ApsCommand, ApsFrame, FrameControl, KeyType, Reassembler, ReassemblyKey};
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::{self, FcsMode, FrameVersion, MacFrame};
use smets_zigbee::nwk::{self, NwkFrame};
use smets_zigbee::security::{AuxHeader, CcmStar, Key128, SecurityLevel, key_transport_key};
use smets_zigbee::{Decode, DecodeErrorKind, Encode};

/// Whether a MAC frame is an unsecured IEEE 802.15.4-2003/2006 data frame, the
/// only kind these records carry APS frames in.
fn is_plain_mac_data(f: &MacFrame<'_>) -> bool {
    f.frame_control.frame_type == mac::FrameType::Data
        && f.security.is_none()
        && matches!(
            f.frame_control.version,
            FrameVersion::Ieee2003 | FrameVersion::Ieee2006
        )
}

/// Opens a secured NWK or APS frame whose header (`header_len` bytes) ends
/// with the auxiliary header at `aux`, with the library's CCM*: level 5
/// substituted in the AAD and the nonce, nonce source taken from the
/// auxiliary header (extended-nonce frames only).
fn open_secured(key: &Key128, frame: &[u8], aux: usize, header_len: usize) -> Option<Vec<u8>> {
    let level = SecurityLevel::EncMic32;
    let hdr = AuxHeader::decode(frame.get(aux..header_len)?).ok()?;
    let source = hdr.source?;
    let mut aad = frame[..header_len].to_vec();
    aad[aux] = hdr.control.byte_with_level(level);
    let body = &frame[header_len..];
    let (ct, mic) = body.split_at(body.len().checked_sub(level.mic_len())?);
    let mut plain = ct.to_vec();
    CcmStar::new(key)
        .decrypt_in_place_detached(&hdr.nonce(source, level), level, &aad, &mut plain, mic)
        .ok()?;
    Some(plain)
}

/// What one walk through the APS frames of a record saw, in the order
/// Wireshark lists repeated fields.
#[derive(Default, Debug)]
struct Seen {
    frame_type: Vec<String>,
    delivery: Vec<String>,
    security: Vec<String>,
    counter: Vec<String>,
    dst: Vec<String>,
    src: Vec<String>,
    cluster: Vec<String>,
    profile: Vec<String>,
    cmd_id: Vec<String>,
    key_type: Vec<String>,
    key: Vec<String>,
}

/// Decodes `aps` and, through Tunnel commands, the frames it carries. A
/// secured frame's plaintext is taken from `plaintexts` in turn.
fn walk(aps: &[u8], plaintexts: &mut core::slice::Iter<'_, Vec<u8>>, seen: &mut Seen, id: &str) {
    let f = match ApsFrame::decode(aps) {
        Ok(f) => f,
        Err(e) => {
            // Indirect delivery (reserved since ZigBee 2006) of an endpoint-addressed
            // frame: Wireshark too stops after the frame control ("illegal delivery mode").
            assert!(
                matches!(
                    e.kind,
                    DecodeErrorKind::Reserved {
                        field: "delivery mode",
                        ..
                    }
                ),
                "{id}: {e}"
            );
            let fc = FrameControl::from_byte(aps[0]);
            seen.frame_type
                .push(format!("0x{:02x}", fc.frame_type.value()));
            seen.delivery.push(format!("0x{:02x}", fc.delivery.value()));
            seen.security.push(u8::from(fc.security).to_string());
            return;
        }
    };
    assert_eq!(f.to_vec().unwrap(), aps, "{id}: re-encoding");
    seen.frame_type
        .push(format!("0x{:02x}", f.frame_control.frame_type.value()));
    seen.delivery
        .push(format!("0x{:02x}", f.frame_control.delivery.value()));
    seen.security
        .push(u8::from(f.frame_control.security).to_string());
    if f.frame_control.has_counter() {
        seen.counter.push(f.counter.to_string());
    }
    if let Some(d) = f.dst_endpoint {
        seen.dst.push(d.to_string());
    }
    if let Some(s) = f.src_endpoint {
        seen.src.push(s.to_string());
    }
    // Wireshark files ZDP and Test Profile 2 clusters under other field names.
    if let (Some(c), Some(p)) = (f.cluster, f.profile)
        && p != 0x0000
        && p != 0x7f01
    {
        seen.cluster.push(format!("0x{c:04x}"));
    }
    if let Some(p) = f.profile {
        seen.profile.push(format!("0x{p:04x}"));
    }
    let payload: Vec<u8> = if f.security.is_some() {
        match plaintexts.next() {
            Some(p) => p.clone(),
            None => return,
        }
    } else {
        f.payload.to_vec()
    };
    if f.frame_control.frame_type.value() != 1 || payload.is_empty() {
        return;
    }
    let cmd = ApsCommand::decode(&payload).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(cmd.to_vec().unwrap(), payload, "{id}: command re-encoding");
    seen.cmd_id.push(format!("0x{:02x}", cmd.id().value()));
    let kt = |k: KeyType| format!("0x{:02x}", k.value());
    match &cmd {
        ApsCommand::TransportKey(tk) => {
            seen.key_type.push(kt(tk.key_type));
            seen.key.push(hex::encode(tk.key.as_bytes()));
        }
        ApsCommand::RequestKey { key_type, .. } => {
            seen.key_type.push(format!("0x{:02x}", key_type.value()));
        }
        ApsCommand::VerifyKey { key_type, .. } | ApsCommand::ConfirmKey { key_type, .. } => {
            seen.key_type.push(kt(*key_type));
        }
        ApsCommand::Tunnel { frame, .. } => {
            let frame = frame.to_vec();
            walk(&frame, plaintexts, seen, id);
        }
        _ => {}
    }
}

fn check_tshark(r: &Value, seen: &Seen) -> usize {
    let id = id(r);
    let e = &r["expected"];
    let fields: [(&str, &Vec<String>); 11] = [
        ("zbee_aps.type", &seen.frame_type),
        ("zbee_aps.delivery", &seen.delivery),
        ("zbee_aps.security", &seen.security),
        ("zbee_aps.counter", &seen.counter),
        ("zbee_aps.dst", &seen.dst),
        ("zbee_aps.src", &seen.src),
        ("zbee_aps.cluster", &seen.cluster),
        ("zbee_aps.profile", &seen.profile),
        ("zbee_aps.cmd.id", &seen.cmd_id),
        ("zbee_aps.cmd.key_type", &seen.key_type),
        ("zbee_aps.cmd.key", &seen.key),
    ];
    let mut checked = 0;
    for (name, got) in fields {
        match e.get(name).and_then(Value::as_str) {
            Some(want) => {
                let want: Vec<&str> = want.split('|').collect();
                assert_eq!(got, &want, "{id}: {name}");
                checked += 1;
            }
            None => assert!(got.is_empty(), "{id}: {name} = {got:?}, tshark shows none"),
        }
    }
    checked
}

#[test]
fn tshark_records() {
    let Some(recs) = records() else { return };
    let mut frames = 0;
    let mut fields = 0;
    for r in common::tshark_with(&recs, "zbee_aps.type") {
        let id = id(r);
        let e = &r["expected"];
        let raw = common::mac_frame(r);
        let mac =
            MacFrame::decode(&raw, FcsMode::Absent).unwrap_or_else(|err| panic!("{id}: {err}"));
        assert!(is_plain_mac_data(&mac), "{id}: not a MAC data frame");
        let nwk = NwkFrame::decode(mac.payload).unwrap_or_else(|err| panic!("{id}: {err}"));
        assert_eq!(
            nwk.frame_control.frame_type,
            nwk::FrameType::Data,
            "{id}: not a NWK data frame"
        );
        let mut plaintexts = common::decrypted_payloads(r);
        let aps = if nwk.security.is_some() {
            assert_eq!(e["zbee_nwk.security"], "1", "{id}");
            plaintexts.remove(0)
        } else {
            assert_eq!(e["zbee_nwk.security"], "0", "{id}");
            nwk.payload.to_vec()
        };
        let mut seen = Seen::default();
        walk(&aps, &mut plaintexts.iter(), &mut seen, id);
        fields += check_tshark(r, &seen);
        frames += 1;
    }
    eprintln!("{frames} tshark frames, {fields} APS fields checked");
    assert!(frames >= 160, "only {frames} frames had APS fields");
}

#[test]
fn tunnel_inner_frame_authenticates_its_own_header_only() {
    // zigator 04-aps-testing frame 5: the Trust Center tunnels an APS-secured
    // Transport Key to 77:77:77:00:00:00:00:05 through router 0x1102.
    let Some(recs) = records() else { return };
    let r = common::by_id(&recs, "tshark-zigator__04-aps-testing-0005");
    let nwk_plain = common::decrypted_payloads(r).remove(0);
    let outer = ApsFrame::decode(&nwk_plain).unwrap();
    let cmd = outer.command().unwrap();
    let inner_bytes = match cmd {
        ApsCommand::Tunnel { frame, .. } => frame,
        other => panic!("{other:?}"),
    };
    let inner = cmd.tunneled_frame().unwrap().unwrap();
    let aux = inner.aux_offset().unwrap();
    // Key-transport key derived from the install-code link key "ic5".
    let ktk = key_transport_key(&Key128::from_hex("3c6047f3c55c8c8290a5839c213b6714").unwrap());
    let plain = open_secured(&ktk, inner_bytes, aux, inner.header_len()).unwrap();
    assert_eq!(
        hex::encode(&plain),
        r["expected"]["decrypted_payloads"][1].as_str().unwrap()
    );
    let tk = ApsCommand::decode(&plain).unwrap();
    assert_eq!(tk.id().label(), Some("transport_key"));
    // Putting the outer APS header and the Tunnel command in front fails.
    let outer_len = nwk_plain.len() - inner_bytes.len();
    assert!(
        open_secured(
            &ktk,
            &nwk_plain,
            outer_len + aux,
            outer_len + inner.header_len()
        )
        .is_none()
    );
}

fn field<'a>(layer: &'a Value, name: &str) -> Option<&'a str> {
    layer.get(name).and_then(Value::as_str)
}

#[test]
fn zigbee_on_host_records() {
    let Some(recs) = records() else { return };
    let mut checked = 0;
    for r in common::from_source(&recs, "zoh-") {
        let id = id(r);
        let wf = &r["expected"]["wireshark_fields"];
        let Some((layer_name, layer)) = wf.as_object().and_then(|o| {
            o.iter()
                .find(|(k, _)| k.starts_with("Zigbee Application Support Layer"))
        }) else {
            continue;
        };
        // The last two bytes are sniffer metadata, not part of the frame.
        let mut raw = record_bytes(r);
        raw.truncate(raw.len() - 2);
        let mut ring = KeyRing::new();
        if let Some(k) = r["keys"]["NETDEF_NETWORK_KEY"].as_str() {
            ring.add_network_key(Key128::from_hex(k).unwrap(), None, KeySource::Configured);
        }
        let mut dissector = Dissector::new(ring, DissectorOptions::default());
        let d = dissector.dissect(&raw, FcsMode::Absent);
        assert!(d.mac.as_ref().is_some_and(is_plain_mac_data), "{id}");
        let n = d
            .nwk
            .as_ref()
            .unwrap_or_else(|| panic!("{id}: {:?}", d.error));
        assert_eq!(n.frame_control.frame_type, nwk::FrameType::Data, "{id}");
        if n.security.is_some() {
            assert!(
                d.nwk_security.is_some_and(|s| s.decrypted()),
                "{id}: NWK decryption failed"
            );
        }
        let aps = d
            .nwk_plaintext
            .unwrap_or_else(|| panic!("{id}: NWK decryption failed"))
            .to_vec();
        let f = ApsFrame::decode(&aps).unwrap();
        assert_eq!(f.to_vec().unwrap(), aps, "{id}");
        let fcf = field(layer, "Frame Control Field").unwrap();
        assert!(
            fcf.ends_with(&format!("(0x{:02x})", f.frame_control.to_byte())),
            "{id}: {fcf}"
        );
        let kind = layer_name.rsplit(' ').next().unwrap();
        assert_eq!(
            f.frame_control.frame_type.label().unwrap(),
            kind.to_lowercase(),
            "{id}"
        );
        assert_eq!(
            field(layer, "Counter").unwrap(),
            f.counter.to_string(),
            "{id}"
        );
        if let Some(d) = field(layer, "Destination Endpoint") {
            assert_eq!(Some(d.parse::<u8>().unwrap()), f.dst_endpoint, "{id}");
        }
        if let Some(s) = field(layer, "Source Endpoint") {
            assert_eq!(Some(s.parse::<u8>().unwrap()), f.src_endpoint, "{id}");
        }
        if let Some(p) = field(layer, "Profile") {
            assert!(
                p.ends_with(&format!("(0x{:04x})", f.profile.unwrap())),
                "{id}: {p}"
            );
        }
        if let Some(c) = field(layer, "Cluster") {
            assert!(
                c.ends_with(&format!("(0x{:04x})", f.cluster.unwrap())),
                "{id}: {c}"
            );
        }
        if let Some(c) = layer
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.ends_with("(Cluster ID"))
            .and_then(|(_, v)| v.as_str())
        {
            assert_eq!(c, format!("0x{:04x})", f.cluster.unwrap()), "{id}");
        }
        if let Some(cmd) = field(layer, "Command Frame")
            && f.security.is_none()
        {
            let c = f.command().unwrap();
            assert_eq!(c.to_vec().unwrap(), f.payload, "{id}");
            let words: String = cmd
                .split(',')
                .next()
                .unwrap()
                .to_lowercase()
                .replace(' ', "_");
            assert_eq!(c.id().label(), Some(words.as_str()), "{id}");
        }
        checked += 1;
    }
    eprintln!("{checked} zigbee-on-host APS frames checked");
    assert!(checked >= 11, "only {checked}");
}

#[test]
fn scapy_records() {
    let Some(recs) = records() else { return };
    let mut checked = 0;
    for r in common::from_source(&recs, "scapy-dot15d4-") {
        let id = id(r);
        let e = &r["expected"];
        let bytes = record_bytes(r);
        let n = |k: &str| e.get(k).and_then(Value::as_u64);
        match r["starts_at"].as_str() {
            Some("zigbee_aps") => {
                let f = ApsFrame::decode(&bytes).unwrap();
                assert_eq!(f.to_vec().unwrap(), bytes, "{id}");
                let fc = f.frame_control;
                let got = [
                    ("aps_frametype", Some(fc.frame_type.value().into())),
                    ("delivery_mode", Some(fc.delivery.value().into())),
                    ("frame_control", Some((fc.to_byte() >> 4).into())),
                    ("counter", Some(f.counter.into())),
                    ("dst_endpoint", f.dst_endpoint.map(u64::from)),
                    ("src_endpoint", f.src_endpoint.map(u64::from)),
                    ("cluster", f.cluster.map(u64::from)),
                    ("profile", f.profile.map(u64::from)),
                ];
                for (name, value) in got {
                    if let Some(want) = n(&format!("ZigbeeAppDataPayload.{name}")) {
                        assert_eq!(value, Some(want), "{id}: {name}");
                        checked += 1;
                    }
                }
            }
            Some("zigbee_aps_command_payload") => {
                let p = "ZigbeeAppCommandPayload.";
                let id_byte = n(&format!("{p}cmd_identifier")).unwrap();
                // scapy reads the tunnelled frame's header as Tunnel fields.
                let c = ApsCommand::decode(&bytes).unwrap();
                assert_eq!(u64::from(c.id().value()), id_byte, "{id}");
                assert_eq!(c.to_vec().unwrap(), bytes, "{id}");
                match &c {
                    ApsCommand::TransportKey(tk) => {
                        assert_eq!(
                            n(&format!("{p}key_type")),
                            Some(u64::from(tk.key_type.value()))
                        );
                        assert_eq!(
                            e[format!("{p}key")]["hex"].as_str().unwrap(),
                            hex::encode(tk.key.as_bytes())
                        );
                    }
                    ApsCommand::RequestKey { key_type, .. } => {
                        assert_eq!(
                            n(&format!("{p}key_type")),
                            Some(u64::from(key_type.value()))
                        );
                    }
                    ApsCommand::VerifyKey {
                        key_type,
                        source,
                        hash,
                    } => {
                        assert_eq!(
                            n(&format!("{p}key_type")),
                            Some(u64::from(key_type.value()))
                        );
                        assert_eq!(n(&format!("{p}address")), Some(source.0));
                        assert_eq!(
                            e[format!("{p}key_hash")]["hex"].as_str().unwrap(),
                            hex::encode(hash)
                        );
                    }
                    ApsCommand::ConfirmKey {
                        status,
                        key_type,
                        destination,
                    } => {
                        assert_eq!(n(&format!("{p}status")), Some(u64::from(status.value())));
                        assert_eq!(
                            n(&format!("{p}key_type")),
                            Some(u64::from(key_type.value()))
                        );
                        assert_eq!(n(&format!("{p}address")), Some(destination.0));
                    }
                    ApsCommand::Tunnel { destination, .. } => {
                        assert_eq!(n(&format!("{p}dest_addr")), Some(destination.0));
                        let inner = c.tunneled_frame().unwrap().unwrap();
                        let fc = inner.frame_control;
                        assert_eq!(
                            n(&format!("{p}aps_frametype")),
                            Some(u64::from(fc.frame_type.value()))
                        );
                        assert_eq!(
                            n(&format!("{p}delivery_mode")),
                            Some(u64::from(fc.delivery.value()))
                        );
                        assert_eq!(
                            n(&format!("{p}frame_control")),
                            Some(u64::from(fc.to_byte() >> 4))
                        );
                        assert!(inner.security.is_some(), "{id}");
                    }
                    other => panic!("{id}: unexpected {other:?}"),
                }
                checked += 1;
            }
            _ => {}
        }
    }
    eprintln!("{checked} scapy APS values and commands checked");
    assert!(checked >= 40, "only {checked}");
}

#[test]
fn reassembler_rebuilds_a_message_from_frames() {
    // Three data frames of one message, built with the encoder, pushed out of order.
    let message: Vec<u8> = (0u8..=99).collect();
    let blocks: Vec<&[u8]> = message.chunks(40).collect();
    let mut frames = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let mut bytes = vec![0x80, 0x01, 0x04, 0x07, 0x09, 0x01, 0x01, 0x33];
        if i == 0 {
            bytes.extend_from_slice(&[0x01, 3]);
        } else {
            bytes.extend_from_slice(&[0x02, u8::try_from(i).unwrap()]);
        }
        bytes.extend_from_slice(b);
        frames.push(bytes);
    }
    let mut r = Reassembler::new(8, 4096);
    let mut out = None;
    for i in [2usize, 0, 1] {
        let f = ApsFrame::decode(&frames[i]).unwrap();
        let ext = f.extended.unwrap();
        let key = ReassemblyKey {
            source: 0x4b8e,
            counter: f.counter,
        };
        out = r.push(key, ext.fragmentation, ext.block_number.unwrap(), f.payload);
    }
    assert_eq!(out, Some(message));
}
