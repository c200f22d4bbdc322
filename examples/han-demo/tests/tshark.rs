//! tshark (Wireshark 4.0) reads han-demo.pcapng with the keys of the
//! committed keys file, reports no malformed frame and no expert info at all,
//! and agrees with our dissector frame by frame on every header field both
//! show, on which layers were decrypted and with which key, on the Smart
//! Energy command fields (Price, Messaging, Prepayment, Tunneling), the
//! Metering attribute records, and the GBCS tunnel, GBT blocks and the
//! GBCS messages rebuilt from them (MAC header, grouping header, MAC, GBZ
//! and the ZCL frame inside it).
//!
//! Not compared: the UTC times of Publish Price and Message Confirmation,
//! which tshark shows only as calendar text (decode.rs checks them).
//!
//! Required when `CI=true`; elsewhere skipped with a notice when tshark is absent.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::too_many_lines)]

mod common;

use std::path::Path;
use std::process::Command;

use smets_core::{Decode, Eui64};
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyUsed, SecurityOutcome};
use smets_zigbee::mac::{FcsMode, MacAddress};
use smets_zigbee::zcl::cluster::ClusterCommand;
use smets_zigbee::zcl::{DataType, Direction, FoundationCommand, ZclCommand, ZclFrame, ZclValue};

const TSHARK: &str = "/usr/bin/tshark";

/// The fields compared, in the order tshark prints them. The last one holds
/// free text (commas included), so it is not split into occurrences.
const FIELDS: &[&str] = &[
    "frame.number",
    "wpan.frame_type",
    "wpan.seq_no",
    "wpan.dst_pan",
    "wpan.dst16",
    "wpan.dst64",
    "wpan.src16",
    "wpan.src64",
    "wpan.fcs_ok",
    "zbee_nwk.frame_type",
    "zbee_nwk.dst",
    "zbee_nwk.src",
    "zbee_nwk.radius",
    "zbee_nwk.seqno",
    "zbee_nwk.src64",
    "zbee_nwk.cmd.id",
    "zbee.sec.counter",
    "zbee.sec.key_seqno",
    "zbee.sec.key",
    "zbee_aps.type",
    "zbee_aps.delivery",
    "zbee_aps.dst",
    "zbee_aps.src",
    "zbee_aps.cluster",
    "zbee_aps.zdp_cluster",
    "zbee_aps.profile",
    "zbee_aps.counter",
    "zbee_aps.cmd.id",
    "zbee_aps.fragmentation",
    "zbee_aps.block",
    "zbee_zdp.seqno",
    "zbee_zcl.cmd.tsn",
    "zbee_zcl.cmd.id",
    "zbee_zcl_se.msg.cmd.srv_tx.id",
    "zbee_zcl_se.msg.cmd.srv_rx.id",
    "zbee_zcl_se.price.cmd.srv_tx.id",
    "zbee_zcl_se.pp.cmd.srv_rx.id",
    "zbee_zcl_se.pp.cmd.srv_tx.id",
    "zbee_zcl_se.tun.cmd.srv_rx.id",
    "zbee_zcl_se.tun.cmd.srv_tx.id",
    "zbee_zcl_se.met.attr_id",
    "zbee_zcl.attr.data.type",
    "zbee_zcl.attr.uint8",
    "zbee_zcl.attr.uint24",
    "zbee_zcl.attr.uint48",
    "zbee_zcl.attr.int24",
    "zbee_zcl.attr.bitmap8",
    "zbee_zcl_se.msg.message.id",
    "zbee_zcl_se.price.provider_id",
    "zbee_zcl_se.price.rate_label",
    "zbee_zcl_se.price.issuer_event_id",
    "zbee_zcl_se.price.unit_of_measure",
    "zbee_zcl_se.price.currency",
    "zbee_zcl_se.price.trailing_digit_and_price_tier",
    "zbee_zcl_se.price.number_of_price_tiers_and_register_tier",
    "zbee_zcl_se.price.duration_in_minutes",
    "zbee_zcl_se.price.price",
    "zbee_zcl_se.pp.consumer_top_up.originating_device",
    "zbee_zcl_se.pp.consumer_top_up.top_up_code",
    "zbee_zcl_se.pp.consumer_top_up_response.result_type",
    "zbee_zcl_se.pp.consumer_top_up_response.top_up_value",
    "zbee_zcl_se.pp.consumer_top_up_response.source_of_top_up",
    "zbee_zcl_se.pp.consumer_top_up_response.credit_remaining",
    "zbee_zcl_se.tun.protocol_id",
    "zbee_zcl_se.tun.manufacturer_code",
    "zbee_zcl_se.tun.flow_control_supported",
    "zbee_zcl_se.tun.max_in_transfer_size",
    "zbee_zcl_se.tun.tunnel_id",
    "zbee_zcl_se.tun.transfer_status",
    "gbcs_tunnel.command",
    "gbcs_message.routing_header.cra_flag",
    "gbcs_message.routing_header.originator_counter",
    "gbcs_message.routing_header.business_originator_id",
    "gbcs_message.routing_header.business_target_id",
    "gbcs_message.routing_header.message_code",
    "gbcs_message.routing_header.security_control_byte",
    "gbcs_message.routing_header.invocation_counter",
    "gbcs_message.gbt_header.block_control",
    "gbcs_message.gbt_header.block_control.last_block",
    "gbcs_message.gbt_header.block_number",
    "gbcs_message.gbt_header.block_number_ack",
    "gbcs_message.gbt.reassembled.length",
    "gbcs_message.mac_header.security_control_byte",
    "gbcs_message.mac_header.invocation_counter",
    "gbcs_message.grouping_header.cra_flag",
    "gbcs_message.grouping_header.originator_counter",
    "gbcs_message.grouping_header.business_originator_id",
    "gbcs_message.grouping_header.business_target_id",
    "gbcs_message.grouping_header.message_code",
    "gbcs_message.mac",
    "gbcs_gbz.profile_id",
    "gbcs_gbz.components",
    "gbcs_gbz.extended_header_control",
    "gbcs_gbz.extended_header_cluster",
    "gbcs_gbz.extended_header_length",
    "gbcs_gbz.frame_control",
    "gbcs_gbz.transaction",
    "gbcs_gbz.command_id",
    "_ws.expert.severity",
    "zbee_zcl_se.msg.message",
];

/// Fields compared as text (case and `:` separators ignored), not as numbers.
const TEXT_FIELDS: &[&str] = &[
    "zbee_zcl_se.price.rate_label",
    "zbee_zcl_se.pp.consumer_top_up.top_up_code",
    "gbcs_message.mac",
    "zbee_zcl_se.msg.message",
];

/// Catalogue field of a cluster command -> tshark field:
/// (cluster, sent to the server, command id, our field, tshark field).
const COMMAND_FIELDS: &[(u16, bool, u8, &str, &str)] = &[
    (
        0x0703,
        false,
        0x00,
        "message_id",
        "zbee_zcl_se.msg.message.id",
    ),
    (
        0x0703,
        true,
        0x01,
        "message_id",
        "zbee_zcl_se.msg.message.id",
    ),
    (
        0x0700,
        false,
        0x00,
        "provider_id",
        "zbee_zcl_se.price.provider_id",
    ),
    (
        0x0700,
        false,
        0x00,
        "rate_label",
        "zbee_zcl_se.price.rate_label",
    ),
    (
        0x0700,
        false,
        0x00,
        "issuer_event_id",
        "zbee_zcl_se.price.issuer_event_id",
    ),
    (
        0x0700,
        false,
        0x00,
        "unit_of_measure",
        "zbee_zcl_se.price.unit_of_measure",
    ),
    (
        0x0700,
        false,
        0x00,
        "currency",
        "zbee_zcl_se.price.currency",
    ),
    (
        0x0700,
        false,
        0x00,
        "price_trailing_digit_and_price_tier",
        "zbee_zcl_se.price.trailing_digit_and_price_tier",
    ),
    (
        0x0700,
        false,
        0x00,
        "number_of_price_tiers_and_register_tier",
        "zbee_zcl_se.price.number_of_price_tiers_and_register_tier",
    ),
    (
        0x0700,
        false,
        0x00,
        "duration_in_minutes",
        "zbee_zcl_se.price.duration_in_minutes",
    ),
    (0x0700, false, 0x00, "price", "zbee_zcl_se.price.price"),
    (
        0x0705,
        true,
        0x04,
        "originating_device",
        "zbee_zcl_se.pp.consumer_top_up.originating_device",
    ),
    (
        0x0705,
        true,
        0x04,
        "top_up_code",
        "zbee_zcl_se.pp.consumer_top_up.top_up_code",
    ),
    (
        0x0705,
        false,
        0x03,
        "result_type",
        "zbee_zcl_se.pp.consumer_top_up_response.result_type",
    ),
    (
        0x0705,
        false,
        0x03,
        "top_up_value",
        "zbee_zcl_se.pp.consumer_top_up_response.top_up_value",
    ),
    (
        0x0705,
        false,
        0x03,
        "source_of_top_up",
        "zbee_zcl_se.pp.consumer_top_up_response.source_of_top_up",
    ),
    (
        0x0705,
        false,
        0x03,
        "credit_remaining",
        "zbee_zcl_se.pp.consumer_top_up_response.credit_remaining",
    ),
    (
        0x0704,
        true,
        0x00,
        "protocol_id",
        "zbee_zcl_se.tun.protocol_id",
    ),
    (
        0x0704,
        true,
        0x00,
        "manufacturer_code",
        "zbee_zcl_se.tun.manufacturer_code",
    ),
    (
        0x0704,
        true,
        0x00,
        "flow_control_support",
        "zbee_zcl_se.tun.flow_control_supported",
    ),
    (
        0x0704,
        true,
        0x00,
        "maximum_incoming_transfer_size",
        "zbee_zcl_se.tun.max_in_transfer_size",
    ),
    (
        0x0704,
        false,
        0x00,
        "tunnel_id",
        "zbee_zcl_se.tun.tunnel_id",
    ),
    (
        0x0704,
        false,
        0x00,
        "tunnel_status",
        "zbee_zcl_se.tun.transfer_status",
    ),
    (
        0x0704,
        false,
        0x00,
        "maximum_incoming_transfer_size",
        "zbee_zcl_se.tun.max_in_transfer_size",
    ),
    (
        0x0704,
        false,
        0x01,
        "tunnel_id",
        "zbee_zcl_se.tun.tunnel_id",
    ),
    (0x0704, true, 0x02, "tunnel_id", "zbee_zcl_se.tun.tunnel_id"),
];

fn tshark_available() -> bool {
    if Path::new(TSHARK).exists() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{TSHARK} is required when CI=true"
    );
    eprintln!("notice: {TSHARK} not found; skipping the tshark comparison");
    false
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `-o uat:zigbee_pc_keys:...` for every link key of the ring: the configured
/// ones and those derived from install codes. No network key: tshark, like
/// us, must learn it from the Transport Key.
fn key_options() -> Vec<String> {
    let ring = common::key_ring();
    assert!(ring.network_keys().is_empty());
    ring.link_keys()
        .iter()
        .enumerate()
        .flat_map(|(i, k)| {
            [
                "-o".to_string(),
                format!(
                    "uat:zigbee_pc_keys:\"{}\",\"Normal\",\"han-demo link key {i}\"",
                    hex(k.key.as_bytes())
                ),
            ]
        })
        .collect()
}

fn tshark(extra: &[&str]) -> String {
    let out = Command::new(TSHARK)
        .arg("-r")
        .arg(common::capture_path())
        .args(key_options())
        .args(extra)
        .output()
        .expect("tshark runs");
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A number as tshark prints it: `0x`-prefixed hex or decimal.
fn num(s: &str) -> u64 {
    s.strip_prefix("0x").map_or_else(
        || s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}")),
        |h| u64::from_str_radix(h, 16).unwrap(),
    )
}

/// One frame as our dissector sees it, in tshark's terms: field name to the
/// list of values (one per occurrence).
type Row = Vec<(&'static str, Vec<String>)>;

fn put(row: &mut Row, field: &'static str, v: impl ToString) {
    match row.iter_mut().find(|(f, _)| *f == field) {
        Some((_, vals)) => vals.push(v.to_string()),
        None => row.push((field, vec![v.to_string()])),
    }
}

/// `prefix` + `name` as one of [`FIELDS`].
fn field(prefix: &str, name: &str) -> &'static str {
    let full = format!("{prefix}{name}");
    FIELDS
        .iter()
        .find(|f| **f == full)
        .unwrap_or_else(|| panic!("{full} is not compared"))
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A Metering attribute value as tshark shows it: (field, value).
fn attribute_value(v: &ZclValue<'_>) -> (&'static str, u64) {
    match *v {
        ZclValue::Unsigned(DataType::Uint24, x) => ("zbee_zcl.attr.uint24", x),
        ZclValue::Unsigned(DataType::Uint48, x) => ("zbee_zcl.attr.uint48", x),
        // tshark shows an enum8 attribute in its uint8 field.
        ZclValue::Enum8(x) => ("zbee_zcl.attr.uint8", u64::from(x)),
        ZclValue::Bits(DataType::Bitmap8, x) => ("zbee_zcl.attr.bitmap8", x),
        ZclValue::Signed(DataType::Int24, x) => ("zbee_zcl.attr.int24", x.cast_unsigned()),
        ref other => panic!("no tshark field for {other:?}"),
    }
}

/// A ZCL frame of `cluster` (from the APS frame or a GBZ component): its
/// header, its cluster command's fields, its foundation attribute records.
fn put_zcl(row: &mut Row, cluster: u16, z: &ZclFrame<'_>, command: Option<&ZclCommand<'_>>) {
    put(row, "zbee_zcl.cmd.tsn", z.tsn);
    let to_server = z.frame_control.direction == Direction::ToServer;
    match command {
        Some(ZclCommand::Cluster(c)) => put_cluster_command(row, cluster, to_server, c),
        Some(ZclCommand::Foundation(f)) => {
            put(row, "zbee_zcl.cmd.id", z.command_id);
            let metering = cluster == 0x0702;
            let record = |row: &mut Row, id: u16, v: Option<&ZclValue<'_>>| {
                if metering {
                    put(row, "zbee_zcl_se.met.attr_id", id);
                }
                if let Some(v) = v {
                    put(row, "zbee_zcl.attr.data.type", v.data_type().value());
                    if metering {
                        let (f, x) = attribute_value(v);
                        put(row, f, x);
                    }
                }
            };
            match f {
                FoundationCommand::ReadAttributes(ids) => {
                    for id in ids.iter() {
                        record(row, id.unwrap().0, None);
                    }
                }
                FoundationCommand::ReadAttributesResponse(rs) => {
                    for r in rs.iter() {
                        let r = r.unwrap();
                        record(row, r.id, r.value.as_ref());
                    }
                }
                FoundationCommand::ReportAttributes(rs) => {
                    for r in rs.iter() {
                        let r = r.unwrap();
                        record(row, r.id, Some(&r.value));
                    }
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        None => panic!(
            "cluster {cluster:#06x}: command {} not decoded",
            z.command_id
        ),
    }
}

fn put_cluster_command(row: &mut Row, cluster: u16, to_server: bool, c: &ClusterCommand<'_>) {
    let prefix = match cluster {
        0x0700 => "price",
        0x0703 => "msg",
        0x0704 => "tun",
        0x0705 => "pp",
        other => panic!("cluster {other:#06x}"),
    };
    let side = if to_server { "srv_rx" } else { "srv_tx" };
    put(
        row,
        field(&format!("zbee_zcl_se.{prefix}.cmd."), &format!("{side}.id")),
        c.command.id,
    );
    for (cl, ts, id, ours, theirs) in COMMAND_FIELDS {
        if (*cl, *ts, *id) != (cluster, to_server, c.command.id) {
            continue;
        }
        let v = c.field(ours).unwrap().value;
        match v.as_u64() {
            Some(x) => put(row, theirs, x),
            None if *ours == "top_up_code" => put(row, theirs, hex_colons(v.as_bytes().unwrap())),
            None => put(
                row,
                theirs,
                core::str::from_utf8(v.as_bytes().unwrap()).unwrap(),
            ),
        }
    }
    if (cluster, to_server, c.command.id) == (0x0703, false, 0x00) {
        let text = c.field("message").unwrap().value.as_bytes().unwrap();
        put(
            row,
            "zbee_zcl_se.msg.message",
            core::str::from_utf8(text).unwrap(),
        );
    }
}

/// BER definite length at `at`: (value, position after it).
fn ber(m: &[u8], at: usize) -> (usize, usize) {
    match m[at] {
        0x81 => (usize::from(m[at + 1]), at + 2),
        0x82 => (
            usize::from(u16::from_be_bytes([m[at + 1], m[at + 2]])),
            at + 3,
        ),
        n => (usize::from(n), at + 1),
    }
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// A whole MAC'd GBCS message rebuilt from GBT blocks, read here field by
/// field as `packet-gbcs.c` lays it out (the project has no GBCS decoder
/// yet); the ZCL frame in its GBZ payload is decoded with the library.
fn put_gbcs_message(row: &mut Row, m: &[u8]) {
    assert_eq!(m[..7], [0xdd, 0, 0, 0, 0, 0, 0], "MAC header");
    let (len, at) = ber(m, 7);
    assert_eq!(at + len, m.len());
    put(row, "gbcs_message.mac_header.security_control_byte", m[at]);
    put(
        row,
        "gbcs_message.mac_header.invocation_counter",
        be(&m[at + 1..at + 5]),
    );
    let mut p = at + 5;
    assert_eq!(m[p..p + 2], [0xdf, 0x09], "grouping header");
    let g = "gbcs_message.grouping_header.";
    put(row, field(g, "cra_flag"), m[p + 2]);
    put(row, field(g, "originator_counter"), be(&m[p + 3..p + 11]));
    p += 11;
    assert_eq!((m[p], m[p + 9]), (8, 8));
    put(
        row,
        field(g, "business_originator_id"),
        Eui64(be(&m[p + 1..p + 9])),
    );
    put(
        row,
        field(g, "business_target_id"),
        Eui64(be(&m[p + 10..p + 18])),
    );
    p += 18;
    p += 1 + usize::from(m[p]);
    let (other, q) = ber(m, p);
    put(row, field(g, "message_code"), be(&m[q..q + 2]));
    let (content_len, q) = ber(m, q + other);
    let gbz = &m[q..q + content_len];
    p = q + content_len;
    assert_eq!(m[p], 0, "KRP: no signature");
    assert_eq!(p + 1 + 12, m.len());
    put(row, "gbcs_message.mac", hex_colons(&m[p + 1..]));

    put(row, "gbcs_gbz.profile_id", be(&gbz[..2]));
    put(row, "gbcs_gbz.components", gbz[2]);
    let mut c = 3;
    for _ in 0..gbz[2] {
        let cluster = u16::from_be_bytes([gbz[c + 1], gbz[c + 2]]);
        let len = usize::from(u16::from_be_bytes([gbz[c + 3], gbz[c + 4]]));
        put(row, "gbcs_gbz.extended_header_control", gbz[c]);
        put(row, "gbcs_gbz.extended_header_cluster", cluster);
        put(row, "gbcs_gbz.extended_header_length", len);
        let zcl = &gbz[c + 5..c + 5 + len];
        put(row, "gbcs_gbz.frame_control", zcl[0]);
        put(row, "gbcs_gbz.transaction", zcl[1]);
        put(row, "gbcs_gbz.command_id", zcl[2]);
        let z = ZclFrame::decode(zcl).unwrap();
        let command = z.command(cluster).unwrap();
        put_zcl(row, cluster, &z, command.as_ref());
        c += 5 + len;
    }
    assert_eq!(c, gbz.len());
}

fn ours() -> Vec<Row> {
    let data = std::fs::read(common::capture_path()).unwrap();
    let capture = smets_cli::capture::open(&data).unwrap();
    let mut dissector = Dissector::new(common::key_ring(), DissectorOptions::default());
    let mut rows = Vec::new();
    for rec in capture.records() {
        let rec = rec.unwrap();
        let mut row = Row::new();
        let mut used: Vec<KeyUsed> = Vec::new();
        {
            let d = dissector.dissect(&rec.frame, FcsMode::Present);
            assert!(d.error.is_none(), "frame {}: {:?}", rec.number, d.error);
            let mac = d.mac.unwrap();
            put(
                &mut row,
                "wpan.frame_type",
                mac.frame_control.frame_type.value(),
            );
            put(&mut row, "wpan.seq_no", mac.seq.unwrap());
            if let Some(p) = mac.dst_pan {
                put(&mut row, "wpan.dst_pan", p);
            }
            match mac.dst {
                Some(MacAddress::Short(a)) => put(&mut row, "wpan.dst16", a),
                Some(MacAddress::Extended(e)) => put(&mut row, "wpan.dst64", e),
                None => {}
            }
            match mac.src {
                Some(MacAddress::Short(a)) => put(&mut row, "wpan.src16", a),
                Some(MacAddress::Extended(e)) => put(&mut row, "wpan.src64", e),
                None => {}
            }
            put(&mut row, "wpan.fcs_ok", u8::from(mac.fcs.unwrap().valid));
            if let Some(n) = d.nwk {
                put(
                    &mut row,
                    "zbee_nwk.frame_type",
                    n.frame_control.frame_type.value(),
                );
                put(&mut row, "zbee_nwk.dst", n.dst);
                put(&mut row, "zbee_nwk.src", n.src);
                put(&mut row, "zbee_nwk.radius", n.radius);
                put(&mut row, "zbee_nwk.seqno", n.seq);
                if let Some(e) = n.src_ieee {
                    put(&mut row, "zbee_nwk.src64", e);
                }
            }
            if let Some(c) = d.nwk_command {
                put(&mut row, "zbee_nwk.cmd.id", c.id().value());
            }
            for sec in [d.nwk_security, d.aps.as_ref().and_then(|a| a.security)]
                .into_iter()
                .flatten()
            {
                put(&mut row, "zbee.sec.counter", sec.header.frame_counter);
                if let Some(k) = sec.header.key_seq {
                    put(&mut row, "zbee.sec.key_seqno", k);
                }
                let SecurityOutcome::Decrypted(k) = sec.outcome else {
                    panic!("frame {}: a secured layer was not decrypted", rec.number)
                };
                used.push(k);
            }
            if let Some(a) = &d.aps {
                let f = a.frame;
                put(
                    &mut row,
                    "zbee_aps.type",
                    f.frame_control.frame_type.value(),
                );
                put(
                    &mut row,
                    "zbee_aps.delivery",
                    f.frame_control.delivery.value(),
                );
                if let Some(e) = f.dst_endpoint {
                    put(&mut row, "zbee_aps.dst", e);
                }
                if let Some(e) = f.src_endpoint {
                    put(&mut row, "zbee_aps.src", e);
                }
                // Wireshark shows a ZDP cluster in a field of its own.
                let cluster_field = if f.profile == Some(0) {
                    "zbee_aps.zdp_cluster"
                } else {
                    "zbee_aps.cluster"
                };
                if let Some(c) = f.cluster {
                    put(&mut row, cluster_field, c);
                }
                if let Some(p) = f.profile {
                    put(&mut row, "zbee_aps.profile", p);
                }
                put(&mut row, "zbee_aps.counter", f.counter);
                if let Some(c) = &a.command {
                    put(&mut row, "zbee_aps.cmd.id", c.id().value());
                }
                if let Some(x) = f.extended {
                    put(&mut row, "zbee_aps.fragmentation", x.fragmentation.value());
                    if let Some(b) = x.block_number {
                        put(&mut row, "zbee_aps.block", b);
                    }
                }
            }
            if let Some(z) = d.zdp {
                put(&mut row, "zbee_zdp.seqno", z.seq);
                // The ZDP command we decoded is the one the APS cluster names,
                // which is compared with tshark's zbee_aps.zdp_cluster.
                assert_eq!(
                    Some(z.cluster().value()),
                    d.aps.as_ref().and_then(|a| a.frame.cluster)
                );
            }
            if let Some(z) = d.zcl {
                let cluster = d.aps.as_ref().and_then(|a| a.frame.cluster).unwrap();
                put_zcl(&mut row, cluster, &z, d.zcl_command.as_ref());
            }
            if let Some(t) = d.gbcs_tunnel {
                if let Some(h) = t.header {
                    put(&mut row, "gbcs_tunnel.command", h.command().value());
                }
                let b = t.gbt.unwrap();
                let rh = "gbcs_message.routing_header.";
                for (f, v) in [
                    ("cra_flag", u64::from(b.cra_flag)),
                    ("originator_counter", b.originator_counter),
                ] {
                    put(&mut row, field(rh, f), v);
                }
                put(
                    &mut row,
                    field(rh, "business_originator_id"),
                    b.business_originator,
                );
                put(&mut row, field(rh, "business_target_id"), b.business_target);
                for (f, v) in [
                    ("message_code", u64::from(b.message_code)),
                    ("security_control_byte", u64::from(b.security_control)),
                    ("invocation_counter", u64::from(b.invocation_counter)),
                ] {
                    put(&mut row, field(rh, f), v);
                }
                let gh = "gbcs_message.gbt_header.";
                put(&mut row, field(gh, "block_control"), b.block_control);
                put(
                    &mut row,
                    field(gh, "block_control.last_block"),
                    u8::from(b.is_last()),
                );
                put(&mut row, field(gh, "block_number"), b.block_number);
                put(&mut row, field(gh, "block_number_ack"), b.block_number_ack);
                if let Some(m) = t.message {
                    put(&mut row, "gbcs_message.gbt.reassembled.length", m.len());
                    put_gbcs_message(&mut row, m);
                }
            }
        }
        for k in used {
            let key = match k {
                KeyUsed::Network(i) => dissector.keys.network_keys()[i].key.clone(),
                KeyUsed::Link(i, _) => dissector.keys.link_keys()[i].key.clone(),
                KeyUsed::Mac(i) => dissector.keys.mac_keys()[i].clone(),
            };
            put(&mut row, "zbee.sec.key", hex(key.as_bytes()));
        }
        rows.push(row);
    }
    rows
}

#[test]
fn tshark_shows_no_malformed_frame_and_no_expert_info() {
    if !tshark_available() {
        return;
    }
    let bad = tshark(&[
        "-Y",
        "_ws.malformed || _ws.expert.severity >= error",
        "-T",
        "fields",
        "-e",
        "frame.number",
    ]);
    assert!(bad.trim().is_empty(), "tshark flags frames {bad}");
    // Not even a warning or a note: every encrypted payload was opened.
    let any = tshark(&["-Y", "_ws.expert", "-T", "fields", "-e", "frame.number"]);
    assert!(
        any.trim().is_empty(),
        "tshark has expert info on frames {any}"
    );
}

#[test]
fn tshark_agrees_with_our_dissector_frame_by_frame() {
    if !tshark_available() {
        return;
    }
    let mut args = vec!["-T", "fields", "-E", "occurrence=a", "-E", "separator=/t"];
    for f in FIELDS {
        args.push("-e");
        args.push(f);
    }
    let text = tshark(&args);
    let ours = ours();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ours.len(), "frame count");
    assert_eq!(lines.len(), han_demo::session().unwrap().len());
    let mut compared = 0usize;
    let mut per_field = vec![0usize; FIELDS.len()];
    for (n, (line, row)) in (1u64..).zip(lines.iter().zip(&ours)) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), FIELDS.len(), "frame {n}: {line}");
        assert_eq!(num(cols[0]), n);
        for (i, field) in FIELDS.iter().enumerate().skip(1) {
            let theirs: Vec<&str> = match cols[i] {
                "" => Vec::new(),
                c if i == FIELDS.len() - 1 => vec![c],
                c => c.split(',').collect(),
            };
            let mine = row
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            if *field == "_ws.expert.severity" {
                assert!(theirs.is_empty(), "frame {n}: expert info {theirs:?}");
                continue;
            }
            // tshark adds the extended address it has learned for a short MAC
            // source; we compare the address as sent.
            if *field == "wpan.src64" && row.iter().any(|(f, _)| *f == "wpan.src16") {
                continue;
            }
            let same = theirs.len() == mine.len()
                && theirs.iter().zip(&mine).all(|(t, m)| {
                    if TEXT_FIELDS.contains(field) {
                        t.replace(':', "").eq_ignore_ascii_case(&m.replace(':', ""))
                    } else if t.contains(':') || t.len() == 32 {
                        t.eq_ignore_ascii_case(m)
                    } else {
                        num(t) == num(m)
                    }
                });
            assert!(same, "frame {n}: {field}: tshark {theirs:?}, ours {mine:?}");
            compared += mine.len();
            per_field[i] += mine.len();
        }
    }
    // Every field was shown by tshark and compared at least once.
    for (i, f) in FIELDS.iter().enumerate().skip(1) {
        assert!(
            per_field[i] > 0 || *f == "_ws.expert.severity",
            "{f}: never compared"
        );
    }
    assert!(compared > 1600, "only {compared} values compared");
}
