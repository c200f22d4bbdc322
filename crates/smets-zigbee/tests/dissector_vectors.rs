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

#[test]
fn every_capture_frame_matches_tshark() {
    let Some(records) = records() else { return };
    let mut by_file: BTreeMap<String, Vec<&J>> = BTreeMap::new();
    for r in &records {
        if let Some(f) = r.get("capture_file").and_then(J::as_str) {
            by_file.entry(f.to_owned()).or_default().push(r);
        }
    }
    assert_eq!(by_file.values().map(Vec::len).sum::<usize>(), 494);
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for (file, mut recs) in by_file {
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
        for r in recs {
            let id = common::id(r);
            let bytes = common::record_bytes(r);
            let d = dissector.dissect(&bytes, common::fcs_mode(r));
            let mut c = Check {
                id,
                failures: Vec::new(),
            };
            check_record(&mut c, &r["expected"], &d);
            failures.extend(c.failures);
            checked += 1;
        }
        let _ = file;
    }
    assert_eq!(checked, 494);
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
