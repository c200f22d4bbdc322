//! A dissection, described field by field to a [`Sink`].
//!
//! The field names here are the CLI's JSON schema (documented in the README):
//! a layer that is absent is an absent key.

use smets_core::DecodeError;
use smets_zigbee::dissector::{
    ApsLayer, Dissection, KeyUsed, LayerSecurity, LearnedKey, SecurityOutcome,
};
use smets_zigbee::mac::MacAddress;

use crate::sink::{Sink, Value};

fn label_or<'a>(label: Option<&'a str>, fallback: &'a str) -> &'a str {
    label.unwrap_or(fallback)
}

fn address(sink: &mut dyn Sink, name: &str, a: Option<MacAddress>) {
    match a {
        Some(MacAddress::Short(s)) => sink.field(name, Value::Id16(s)),
        Some(MacAddress::Extended(e)) => sink.field(name, Value::Eui(e)),
        None => {}
    }
}

/// Describes the layers of `d`.
pub fn dissection(sink: &mut dyn Sink, d: &Dissection<'_>) {
    if let Some(mac) = &d.mac {
        sink.begin("mac");
        sink.field(
            "frame_type",
            Value::Str(label_or(mac.frame_control.frame_type.label(), "unknown")),
        );
        sink.field(
            "frame_version",
            Value::Str(label_or(mac.frame_control.version.label(), "reserved")),
        );
        if let Some(seq) = mac.seq {
            sink.field("seq", Value::U64(seq.into()));
        }
        if let Some(p) = mac.dst_pan {
            sink.field("dst_pan", Value::Id16(p));
        }
        address(sink, "dst", mac.dst);
        if let Some(p) = mac.src_pan {
            sink.field("src_pan", Value::Id16(p));
        }
        address(sink, "src", mac.src);
        sink.field("ack_request", Value::Bool(mac.frame_control.ack_request));
        if let Some(fcs) = mac.fcs {
            sink.field("fcs", Value::Id16(fcs.value));
            sink.field("fcs_ok", Value::Bool(fcs.valid));
        }
        if let Some(sec) = &mac.security {
            sink.begin("security");
            sink.field("level", Value::U64(sec.control.level.value().into()));
            if let Some(n) = sec.frame_counter {
                sink.field("frame_counter", Value::U64(n.into()));
            }
            if let Some(i) = sec.key_index {
                sink.field("key_index", Value::U64(i.into()));
            }
            let outcome = d.mac_security.map(|m| m.outcome);
            let decrypted = matches!(outcome, Some(SecurityOutcome::Decrypted(_)));
            sink.field("decrypted", Value::Bool(decrypted));
            if let Some(o) = outcome {
                sink.field("status", Value::Str(status(o)));
            }
            sink.end();
        }
        if let Some(cmd) = &d.mac_command {
            let id = cmd.command_id();
            sink.field("command", Value::Id8(id.value()));
            sink.field("command_name", Value::Str(label_or(id.label(), "unknown")));
        }
        if let Some(b) = &d.beacon {
            sink.begin("beacon");
            sink.field("beacon_order", Value::U64(b.superframe.beacon_order.into()));
            sink.field(
                "superframe_order",
                Value::U64(b.superframe.superframe_order.into()),
            );
            sink.field("pan_coordinator", Value::Bool(b.superframe.pan_coordinator));
            sink.field(
                "association_permit",
                Value::Bool(b.superframe.association_permit),
            );
            if let Some(z) = &d.zigbee_beacon {
                sink.begin("zigbee");
                sink.field("stack_profile", Value::U64(z.stack_profile.value().into()));
                sink.field("protocol_version", Value::U64(z.protocol_version.into()));
                sink.field("router_capacity", Value::Bool(z.router_capacity));
                sink.field("device_depth", Value::U64(z.device_depth.into()));
                sink.field("end_device_capacity", Value::Bool(z.end_device_capacity));
                sink.field("extended_pan_id", Value::Eui(z.extended_pan_id));
                sink.field("update_id", Value::U64(z.update_id.into()));
                sink.end();
            }
            sink.end();
        }
        sink.end();
    }
    if let Some(nwk) = &d.nwk {
        sink.begin("nwk");
        sink.field(
            "frame_type",
            Value::Str(label_or(nwk.frame_control.frame_type.label(), "unknown")),
        );
        sink.field(
            "protocol_version",
            Value::U64(nwk.frame_control.protocol_version.into()),
        );
        if !nwk.is_inter_pan() {
            sink.field("dst", Value::Id16(nwk.dst));
            sink.field("src", Value::Id16(nwk.src));
            sink.field("radius", Value::U64(nwk.radius.into()));
            sink.field("seq", Value::U64(nwk.seq.into()));
        }
        if let Some(e) = nwk.dst_ieee {
            sink.field("ext_dst", Value::Eui(e));
        }
        if let Some(e) = nwk.src_ieee {
            sink.field("ext_src", Value::Eui(e));
        }
        if let Some(sec) = &d.nwk_security {
            security(sink, sec);
        }
        if let Some(cmd) = &d.nwk_command {
            let id = cmd.id();
            sink.field("command", Value::Id8(id.value()));
            sink.field("command_name", Value::Str(label_or(id.label(), "unknown")));
        }
        sink.end();
    }
    if let Some(aps) = &d.aps {
        aps_layer(sink, "aps", aps, d.reassembled);
    }
    if let Some(t) = &d.tunnelled {
        aps_layer(sink, "aps_tunnelled", t, None);
    }
    if let Some(z) = &d.zdp {
        sink.begin("zdp");
        sink.field("seq", Value::U64(z.seq.into()));
        let cluster = z.cluster();
        sink.field("command", Value::Id16(cluster.value()));
        sink.field(
            "command_name",
            Value::Str(label_or(cluster.label(), "unknown")),
        );
        sink.end();
    }
    crate::render_zcl::zcl(sink, d);
    if let Some(learned) = &d.learned_key {
        sink.begin("learned_key");
        match learned {
            LearnedKey::Network { seq } => {
                sink.field("kind", Value::Str("network"));
                sink.field("seq", Value::U64((*seq).into()));
            }
            LearnedKey::Link { partner } => {
                sink.field("kind", Value::Str("link"));
                sink.field("partner", Value::Eui(*partner));
            }
        }
        sink.end();
    }
}

fn status(outcome: SecurityOutcome) -> &'static str {
    match outcome {
        SecurityOutcome::Decrypted(KeyUsed::Network(_)) => "decrypted_network_key",
        SecurityOutcome::Decrypted(KeyUsed::Link(..)) => "decrypted_link_key",
        SecurityOutcome::Decrypted(KeyUsed::Mac(_)) => "decrypted_mac_key",
        SecurityOutcome::NoKey => "no_key",
        SecurityOutcome::AuthenticationFailed => "authentication_failed",
        SecurityOutcome::NoSourceAddress => "no_source_address",
    }
}

fn security(sink: &mut dyn Sink, sec: &LayerSecurity<'_>) {
    sink.begin("security");
    sink.field(
        "key_id",
        Value::Str(label_or(sec.header.control.key_id.label(), "unknown")),
    );
    sink.field("frame_counter", Value::U64(sec.header.frame_counter.into()));
    if let Some(k) = sec.header.key_seq {
        sink.field("key_seq", Value::U64(k.into()));
    }
    if let Some(s) = sec.header.source {
        sink.field("ext_source", Value::Eui(s));
    }
    sink.field("mic", Value::Hex(sec.mic));
    sink.field("decrypted", Value::Bool(sec.decrypted()));
    sink.field("status", Value::Str(status(sec.outcome)));
    if sec.replay {
        sink.field("replay", Value::Bool(true));
    }
    sink.end();
}

fn aps_layer(sink: &mut dyn Sink, name: &str, aps: &ApsLayer<'_>, reassembled: Option<&[u8]>) {
    let f = &aps.frame;
    sink.begin(name);
    sink.field(
        "frame_type",
        Value::Str(label_or(f.frame_control.frame_type.label(), "unknown")),
    );
    sink.field(
        "delivery",
        Value::Str(label_or(f.frame_control.delivery.label(), "unknown")),
    );
    if let Some(ep) = f.dst_endpoint {
        sink.field("dst_ep", Value::U64(ep.into()));
    }
    if let Some(g) = f.group {
        sink.field("group", Value::Id16(g));
    }
    if let Some(c) = f.cluster {
        sink.field("cluster", Value::Id16(c));
    }
    if let Some(p) = f.profile {
        sink.field("profile", Value::Id16(p));
    }
    if let Some(ep) = f.src_endpoint {
        sink.field("src_ep", Value::U64(ep.into()));
    }
    sink.field("counter", Value::U64(f.counter.into()));
    if let Some(x) = &f.extended {
        sink.field(
            "fragmentation",
            Value::Str(label_or(x.fragmentation.label(), "unknown")),
        );
        if let Some(b) = x.block_number {
            sink.field("block_number", Value::U64(b.into()));
        }
    }
    if let Some(whole) = reassembled {
        sink.field("reassembled_length", Value::U64(whole.len() as u64));
    }
    if let Some(sec) = &aps.security {
        security(sink, sec);
    }
    if let Some(cmd) = &aps.command {
        let id = cmd.id();
        sink.field("command", Value::Id8(id.value()));
        sink.field("command_name", Value::Str(label_or(id.label(), "unknown")));
    }
    sink.end();
}

/// Describes an error (or its absence) as the `error` field.
pub fn error(sink: &mut dyn Sink, e: Option<&DecodeError>) {
    match e {
        Some(e) => {
            let text = e.to_string();
            sink.field("error", Value::Str(&text));
        }
        None => sink.field("error", Value::Null),
    }
}
