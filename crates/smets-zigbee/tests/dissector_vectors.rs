//! Every frame of every public capture through the whole Dissector, against
//! the values tshark 4.0.17 shows for it (`tshark-*` records of frames.jsonl):
//! field by field, including the decrypted NWK and APS payloads.

#![allow(clippy::indexing_slicing, clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::{extended, occ, records, short};
use serde_json::Value as J;
use smets_zigbee::dissector::{
    ApsLayer, Dissection, Dissector, DissectorOptions, KeyRing, KeySource,
};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

struct Check<'r> {
    id: &'r str,
    failures: Vec<String>,
}

impl Check<'_> {
    fn eq(&mut self, field: &str, expected: Option<&str>, ours: Option<String>) {
        if let Some(e) = expected {
            let e = e.to_ascii_lowercase();
            match ours {
                Some(o) if o == e => {}
                o => self
                    .failures
                    .push(format!("{}: {field}: tshark {e}, ours {o:?}", self.id)),
            }
        }
    }

    /// [`Check::eq`] against the `n`-th occurrence of tshark's `field`.
    fn eq_at(&mut self, exp: &J, field: &str, n: usize, ours: Option<String>) {
        self.eq(field, occ(exp, field, n), ours);
    }

    /// [`Check::num`] against the `n`-th occurrence of tshark's `field`.
    fn num_at(&mut self, exp: &J, field: &str, n: usize, ours: Option<u64>) {
        self.num(field, occ(exp, field, n), ours);
    }

    fn num(&mut self, field: &str, expected: Option<&str>, ours: Option<u64>) {
        if let Some(e) = expected {
            let e = common::num(e);
            if ours != Some(e) {
                self.failures
                    .push(format!("{}: {field}: tshark {e}, ours {ours:?}", self.id));
            }
        }
    }
}

fn aps_checks(c: &mut Check<'_>, exp: &J, n: usize, aps: &ApsLayer<'_>) {
    let f = &aps.frame;
    c.num_at(
        exp,
        "zbee_aps.type",
        n,
        Some(f.frame_control.frame_type.value().into()),
    );
    c.num_at(
        exp,
        "zbee_aps.delivery",
        n,
        Some(f.frame_control.delivery.value().into()),
    );
    c.num_at(
        exp,
        "zbee_aps.security",
        n,
        Some(f.frame_control.security.into()),
    );
    c.num_at(exp, "zbee_aps.counter", n, Some(f.counter.into()));
    if n == 0 {
        c.num_at(exp, "zbee_aps.dst", 0, f.dst_endpoint.map(u64::from));
        c.num_at(exp, "zbee_aps.src", 0, f.src_endpoint.map(u64::from));
        c.num_at(exp, "zbee_aps.cluster", 0, f.cluster.map(u64::from));
        c.num_at(exp, "zbee_aps.profile", 0, f.profile.map(u64::from));
    }
    if let Some(cmd) = &aps.command {
        c.num_at(exp, "zbee_aps.cmd.id", n, Some(cmd.id().value().into()));
    }
}

fn check_record(c: &mut Check<'_>, exp: &J, d: &Dissection<'_>) {
    let Some(mac) = &d.mac else {
        c.failures
            .push(format!("{}: no MAC layer: {:?}", c.id, d.error));
        return;
    };
    c.num_at(
        exp,
        "wpan.frame_type",
        0,
        Some(mac.frame_control.frame_type.value().into()),
    );
    c.num_at(exp, "wpan.seq_no", 0, mac.seq.map(u64::from));
    c.num_at(exp, "wpan.dst_pan", 0, mac.dst_pan.map(u64::from));
    c.num_at(exp, "wpan.dst16", 0, short(mac.dst));
    c.num_at(exp, "wpan.src16", 0, short(mac.src));
    c.eq_at(exp, "wpan.dst64", 0, extended(mac.dst));
    c.eq_at(
        exp,
        "wpan.src64",
        0,
        extended(mac.src).or(d.mac_src_extended.map(|e| e.to_string())),
    );
    c.num_at(exp, "wpan.fcs", 0, mac.fcs.map(|f| f.value.into()));

    let nwk_present = exp.get("zbee_nwk.frame_type").is_some();
    if !nwk_present {
        return;
    }
    let Some(nwk) = &d.nwk else {
        c.failures
            .push(format!("{}: no NWK layer: {:?}", c.id, d.error));
        return;
    };
    let fc = &nwk.frame_control;
    c.num_at(
        exp,
        "zbee_nwk.frame_type",
        0,
        Some(fc.frame_type.value().into()),
    );
    c.num_at(
        exp,
        "zbee_nwk.proto_version",
        0,
        Some(fc.protocol_version.into()),
    );
    c.num_at(
        exp,
        "zbee_nwk.discovery",
        0,
        Some(fc.discover_route.value().into()),
    );
    c.num_at(exp, "zbee_nwk.security", 0, Some(fc.security.into()));
    c.num_at(exp, "zbee_nwk.dst", 0, Some(nwk.dst.into()));
    c.num_at(exp, "zbee_nwk.src", 0, Some(nwk.src.into()));
    c.num_at(exp, "zbee_nwk.radius", 0, Some(nwk.radius.into()));
    c.num_at(exp, "zbee_nwk.seqno", 0, Some(nwk.seq.into()));
    c.eq_at(
        exp,
        "zbee_nwk.src64",
        0,
        nwk.src_ieee.map(|e| e.to_string()),
    );
    c.eq_at(
        exp,
        "zbee_nwk.dst64",
        0,
        nwk.dst_ieee.map(|e| e.to_string()),
    );

    // Security headers in the order tshark lists them: NWK, then APS, then a tunnelled APS frame.
    let mut secured = Vec::new();
    if let Some(s) = &d.nwk_security {
        secured.push(*s);
    }
    for a in [&d.aps, &d.tunnelled].into_iter().flatten() {
        if let Some(s) = &a.security {
            secured.push(*s);
        }
    }
    let sec_count = exp
        .get("zbee.sec.counter")
        .and_then(J::as_str)
        .map_or(0, |s| s.split('|').count());
    if sec_count > secured.len() {
        c.failures.push(format!(
            "{}: tshark shows {sec_count} secured layers, ours {}",
            c.id,
            secured.len()
        ));
    }
    for (i, s) in secured.iter().enumerate().take(sec_count) {
        c.num_at(
            exp,
            "zbee.sec.key_id",
            i,
            Some(s.header.control.key_id.value().into()),
        );
        c.num_at(
            exp,
            "zbee.sec.ext_nonce",
            i,
            Some(s.header.control.extended_nonce.into()),
        );
        c.num_at(
            exp,
            "zbee.sec.counter",
            i,
            Some(s.header.frame_counter.into()),
        );
        c.eq_at(
            exp,
            "zbee.sec.src64",
            i,
            s.header.source.map(|e| e.to_string()),
        );
        c.eq_at(exp, "zbee.sec.mic", i, Some(hex::encode(s.mic)));
    }
    if let Some(s) = secured.first() {
        c.num_at(
            exp,
            "zbee.sec.key_seqno",
            0,
            s.header.key_seq.map(u64::from),
        );
    }

    // Decrypted payloads: what tshark opened, we open too, to the byte.
    let theirs: Vec<String> = exp
        .get("decrypted_payloads")
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                .collect()
        })
        .unwrap_or_default();
    let mut ours = Vec::new();
    if let (Some(_), Some(p)) = (d.nwk_security, d.nwk_plaintext) {
        ours.push(hex::encode(p));
    }
    for a in [&d.aps, &d.tunnelled].into_iter().flatten() {
        if let (true, Some(p)) = (a.security.is_some_and(|s| s.decrypted()), a.plaintext) {
            ours.push(hex::encode(p));
        }
    }
    if theirs != ours {
        c.failures.push(format!(
            "{}: decrypted payloads: tshark {theirs:?}, ours {ours:?}",
            c.id
        ));
    }

    if let Some(cmd) = &d.nwk_command {
        c.num_at(exp, "zbee_nwk.cmd.id", 0, Some(cmd.id().value().into()));
    } else if exp.get("zbee_nwk.cmd.id").is_some() {
        c.failures.push(format!(
            "{}: tshark shows a NWK command, ours none ({:?})",
            c.id, d.error
        ));
    }

    if exp.get("zbee_aps.type").is_some() {
        match (&d.aps, d.error, d.nwk_plaintext) {
            (Some(a), _, _) => aps_checks(c, exp, 0, a),
            // ZigBee 2004 indirect delivery is reserved since 2006: we stop with an
            // error where tshark stops too, after the frame control it shows.
            (None, Some(e), Some(plain))
                if e.layer == smets_core::Layer::Aps
                    && matches!(
                        e.kind,
                        smets_core::DecodeErrorKind::Reserved {
                            field: "delivery mode",
                            ..
                        }
                    ) =>
            {
                let fc = smets_zigbee::aps::FrameControl::from_byte(plain[0]);
                c.num_at(exp, "zbee_aps.type", 0, Some(fc.frame_type.value().into()));
                c.num_at(
                    exp,
                    "zbee_aps.delivery",
                    0,
                    Some(fc.delivery.value().into()),
                );
                c.num_at(exp, "zbee_aps.security", 0, Some(fc.security.into()));
                if exp.get("zbee_aps.counter").is_some() {
                    c.failures
                        .push(format!("{}: tshark reads past the APS frame control", c.id));
                }
            }
            _ => c
                .failures
                .push(format!("{}: no APS layer: {:?}", c.id, d.error)),
        }
        if let Some(t) = &d.tunnelled {
            aps_checks(c, exp, 1, t);
        }
    }
    if let Some(kt) = occ(exp, "zbee_aps.cmd.key_type", 0) {
        use smets_zigbee::aps::ApsCommand;
        let ours = [&d.aps, &d.tunnelled]
            .into_iter()
            .flatten()
            .find_map(|a| match &a.command {
                Some(ApsCommand::TransportKey(tk)) => Some((
                    u64::from(tk.key_type.value()),
                    Some(hex::encode(tk.key.as_bytes())),
                )),
                Some(ApsCommand::RequestKey { key_type, .. }) => {
                    Some((key_type.value().into(), None))
                }
                Some(
                    ApsCommand::VerifyKey { key_type, .. }
                    | ApsCommand::ConfirmKey { key_type, .. },
                ) => Some((key_type.value().into(), None)),
                _ => None,
            });
        match ours {
            Some((key_type, key)) => {
                c.num("zbee_aps.cmd.key_type", Some(kt), Some(key_type));
                if key.is_some() {
                    c.eq_at(exp, "zbee_aps.cmd.key", 0, key);
                }
            }
            None => c.failures.push(format!(
                "{}: tshark shows a key type, ours no key command",
                c.id
            )),
        }
    }
    if exp.get("zbee_zdp.seqno").is_some() {
        c.num_at(
            exp,
            "zbee_zdp.seqno",
            0,
            d.zdp.as_ref().map(|z| z.seq.into()),
        );
    }
    if exp.get("zbee_zcl.type").is_some() {
        match &d.zcl {
            Some(z) => {
                let fc = &z.frame_control;
                c.num_at(exp, "zbee_zcl.type", 0, Some(fc.frame_type.value().into()));
                c.num_at(exp, "zbee_zcl.ms", 0, Some(fc.manufacturer_specific.into()));
                c.num_at(exp, "zbee_zcl.dir", 0, Some(fc.direction.value().into()));
                c.num_at(
                    exp,
                    "zbee_zcl.ddr",
                    0,
                    Some(fc.disable_default_response.into()),
                );
                c.num_at(exp, "zbee_zcl.cmd.tsn", 0, Some(z.tsn.into()));
                c.num_at(exp, "zbee_zcl.cmd.id", 0, Some(z.command_id.into()));
            }
            None => c.failures.push(format!(
                "{}: tshark shows ZCL, ours none ({:?})",
                c.id, d.error
            )),
        }
    }
}

/// Every capture frame of frames.jsonl, file by file in frame order, through
/// one Dissector per file holding that file's keys: `visit` sees the record
/// and its dissection. Returns how many frames were visited.
fn dissect_captures(records: &[J], mut visit: impl FnMut(&J, &Dissection<'_>)) -> usize {
    let mut by_file: BTreeMap<String, Vec<&J>> = BTreeMap::new();
    for r in records {
        if let Some(f) = r.get("capture_file").and_then(J::as_str) {
            by_file.entry(f.to_owned()).or_default().push(r);
        }
    }
    let mut visited = 0usize;
    for recs in by_file.values_mut() {
        recs.sort_by_key(|r| r["frame_number"].as_u64());
        let mut ring = KeyRing::new();
        for k in recs[0]
            .get("keys")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
        {
            let key = Key128::from_hex(k.as_str().unwrap()).unwrap();
            // tshark tries every configured key at both layers; so do we.
            ring.add_network_key(key.clone(), None, KeySource::Configured);
            ring.add_link_key(key, None, KeySource::Configured);
        }
        let mut dissector = Dissector::new(ring, DissectorOptions::default());
        for r in recs.iter() {
            let bytes = common::record_bytes(r);
            let d = dissector.dissect(&bytes, common::fcs_mode(r));
            visit(r, &d);
            visited += 1;
        }
    }
    visited
}

#[test]
fn every_capture_frame_matches_tshark() {
    let Some(records) = records() else { return };
    let mut failures = Vec::new();
    let checked = dissect_captures(&records, |r, d| {
        let mut c = Check {
            id: common::id(r),
            failures: Vec::new(),
        };
        check_record(&mut c, &r["expected"], d);
        failures.extend(c.failures);
    });
    assert_eq!(checked, 494);
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every ZCL frame of the captures on a public profile (profile ids below
/// 0x8000; the Control4 frames use a private one) is read through the
/// cluster catalogue: the cluster and command by name, the attributes by
/// name, with the values tshark shows.
#[test]
fn public_profile_zcl_frames_read_through_the_catalogue() {
    use smets_zigbee::zcl::ZclCommand;
    use smets_zigbee::zcl::cluster::attributes_are_client;
    use smets_zigbee::zcl::foundation::FoundationCommand;
    let Some(records) = records() else { return };
    let mut seen = Vec::new();
    dissect_captures(&records, |r, d| {
        let (Some(z), Some(aps)) = (&d.zcl, &d.aps) else {
            return;
        };
        let (Some(profile), Some(cluster)) = (aps.frame.profile, aps.frame.cluster) else {
            return;
        };
        if profile >= 0x8000 {
            assert!(
                d.zcl_command.is_none(),
                "{}: private profile",
                common::id(r)
            );
            return;
        }
        assert!(d.error.is_none(), "{}: {:?}", common::id(r), d.error);
        let exp = &r["expected"];
        assert_eq!(
            occ(exp, "zbee_aps.cluster", 0).map(common::num),
            Some(u64::from(cluster)),
            "{}",
            common::id(r)
        );
        let line = match d.zcl_command.expect("a decoded ZCL command") {
            ZclCommand::Cluster(c) => {
                assert_eq!(c.cluster.id, cluster);
                assert_eq!(c.command.id, z.command_id);
                format!("{} {}", c.cluster.name, c.command.name)
            }
            ZclCommand::Foundation(FoundationCommand::ReadAttributes(ids)) => {
                let k = smets_zigbee::zcl::cluster::cluster(cluster).expect("a catalogue cluster");
                let client = attributes_are_client(z.frame_control.direction, z.command_id);
                let names: Vec<String> = ids
                    .iter()
                    .map(|id| {
                        let id = id.unwrap().0;
                        k.attribute(client, id)
                            .map_or_else(|| format!("{id:#06x}"), |a| a.name().to_string())
                    })
                    .collect();
                format!("{} read {}", k.name, names.join(","))
            }
            other => format!("{other:?}"),
        };
        seen.push(line);
    });
    // tshark: killerbee's On/Off Toggle (cluster 0x0006, command 0x02, HA
    // profile) and zigator's Basic Read Attributes of attribute 0x0001.
    seen.sort();
    assert_eq!(seen, ["Basic read ApplicationVersion", "On/Off Toggle"]);
}

#[test]
fn mac_secured_association_request_opens_with_its_key_only() {
    use smets_zigbee::dissector::{KeyUsed, SecurityOutcome};
    use smets_zigbee::mac::MacCommand;
    let Some(records) = common::records() else {
        return;
    };
    let r = common::by_id(&records, "crypto-mac2006-assoc-req");
    let frame = common::unhex(r["hex"].as_str().unwrap());
    let key = Key128::from_hex(r["expected"]["mac_key"].as_str().unwrap()).unwrap();
    let capability =
        u8::from_str_radix(r["expected"]["plaintext_capability"].as_str().unwrap(), 16).unwrap();

    let mut ring = KeyRing::new();
    ring.add_mac_key(key);
    let mut dissector = Dissector::new(ring, DissectorOptions::default());
    let d = dissector.dissect(&frame, FcsMode::Absent);
    assert_eq!(
        d.mac_security.map(|m| m.outcome),
        Some(SecurityOutcome::Decrypted(KeyUsed::Mac(0)))
    );
    match d.mac_command {
        Some(MacCommand::AssociationRequest(c)) => assert_eq!(c.to_byte(), capability),
        other => panic!("expected an association request, got {other:?}"),
    }
    assert!(d.error.is_none());

    let mut ring = KeyRing::new();
    ring.add_mac_key(Key128::new([0xc0; 16]));
    let mut dissector = Dissector::new(ring, DissectorOptions::default());
    let d = dissector.dissect(&frame, FcsMode::Absent);
    assert_eq!(
        d.mac_security.map(|m| m.outcome),
        Some(SecurityOutcome::AuthenticationFailed)
    );
    assert!(d.mac_command.is_none() && d.mac_plaintext.is_none());

    let mut dissector = Dissector::default();
    let d = dissector.dissect(&frame, FcsMode::Absent);
    assert_eq!(
        d.mac_security.map(|m| m.outcome),
        Some(SecurityOutcome::NoKey)
    );
}

fn reencodes(
    failures: &mut Vec<String>,
    id: &str,
    layer: &str,
    x: &impl smets_core::Encode,
    expected: &[u8],
) {
    match x.to_vec() {
        Ok(b) if b == expected => {}
        Ok(b) => failures.push(format!(
            "{id}: {layer} re-encodes to {}, not {}",
            hex::encode(b),
            hex::encode(expected)
        )),
        Err(e) => failures.push(format!("{id}: {layer} does not re-encode: {e}")),
    }
}

/// A key ring holding every key the public captures list.
fn all_capture_keys(records: &[J]) -> KeyRing {
    let mut ring = KeyRing::new();
    for r in common::from_source(records, "tshark-") {
        for k in r.get("keys").and_then(J::as_array).into_iter().flatten() {
            let key = Key128::from_hex(k.as_str().unwrap()).unwrap();
            ring.add_network_key(key.clone(), None, KeySource::Configured);
            ring.add_link_key(key, None, KeySource::Configured);
        }
    }
    ring
}

/// `encode(decode(b)) == b` at every layer of every capture frame, on the
/// bytes each layer was decoded from (decrypted ones included).
#[test]
fn every_decoded_layer_reencodes_to_its_bytes() {
    let Some(records) = common::records() else {
        return;
    };
    let mut dissector = Dissector::new(all_capture_keys(&records), DissectorOptions::default());
    let mut failures = Vec::new();
    let mut layers = 0usize;
    for r in common::from_source(&records, "tshark-") {
        let id = common::id(r);
        let bytes = common::unhex(r["hex"].as_str().unwrap());
        let fcs = if r["fcs_present"].as_bool() == Some(true) {
            FcsMode::Present
        } else {
            FcsMode::Absent
        };
        let d = dissector.dissect(&bytes, fcs);
        let Some(mac) = &d.mac else { continue };
        reencodes(&mut failures, id, "mac", mac, &bytes);
        layers += 1;
        let mac_payload = d.mac_plaintext.unwrap_or(mac.payload);
        if let Some(c) = &d.mac_command {
            reencodes(&mut failures, id, "mac command", c, mac_payload);
            layers += 1;
        }
        if let Some(b) = &d.beacon {
            reencodes(&mut failures, id, "beacon", b, mac_payload);
            layers += 1;
        }
        if let Some(nwk) = &d.nwk {
            reencodes(&mut failures, id, "nwk", nwk, mac_payload);
            layers += 1;
        }
        if let (Some(c), Some(p)) = (&d.nwk_command, d.nwk_plaintext) {
            reencodes(&mut failures, id, "nwk command", c, p);
            layers += 1;
        }
        for (name, aps, outer) in [
            ("aps", &d.aps, d.nwk_plaintext),
            ("tunnelled aps", &d.tunnelled, None),
        ] {
            let Some(a) = aps else { continue };
            if let Some(outer) = outer {
                reencodes(&mut failures, id, name, &a.frame, outer);
                layers += 1;
            }
            if let (Some(c), Some(p)) = (&a.command, a.plaintext) {
                reencodes(&mut failures, id, name, c, p);
                layers += 1;
            }
        }
        let payload = d
            .reassembled
            .or_else(|| d.aps.as_ref().and_then(|a| a.plaintext));
        if let (Some(z), Some(p)) = (&d.zdp, payload) {
            reencodes(&mut failures, id, "zdp", z, p);
            layers += 1;
        }
        if let (Some(z), Some(p)) = (&d.zcl, payload) {
            reencodes(&mut failures, id, "zcl", z, p);
            layers += 1;
        }
    }
    assert!(layers >= 1099, "only {layers} layers checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every capture frame cut at every length: never a panic; a cut inside the
/// MAC header is a MAC error at that offset or before it.
#[test]
fn every_truncation_of_every_capture_frame_is_handled() {
    let Some(records) = common::records() else {
        return;
    };
    let options = DissectorOptions {
        decode_bad_fcs: true,
        ..DissectorOptions::default()
    };
    let mut dissector = Dissector::new(all_capture_keys(&records), options);
    let mut cuts = 0usize;
    for r in common::from_source(&records, "tshark-") {
        let bytes = common::unhex(r["hex"].as_str().unwrap());
        let header_len = dissector
            .dissect(&bytes, FcsMode::Absent)
            .mac
            .map(|m| m.header_len());
        for cut in 0..bytes.len() {
            let d = dissector.dissect(&bytes[..cut], FcsMode::Absent);
            cuts += 1;
            if header_len.is_some_and(|h| cut < h) {
                let e = d.error.unwrap_or_else(|| {
                    panic!(
                        "{}: cut at {cut} inside the MAC header decoded",
                        common::id(r)
                    )
                });
                assert_eq!(
                    e.layer,
                    smets_core::Layer::Mac,
                    "{}: cut at {cut}: {e}",
                    common::id(r)
                );
                assert!(e.offset <= cut, "{}: cut at {cut}: {e}", common::id(r));
            }
            let _ = dissector.dissect(&bytes[..cut], FcsMode::Present);
        }
    }
    assert!(cuts >= 18_762, "{cuts}");
}
