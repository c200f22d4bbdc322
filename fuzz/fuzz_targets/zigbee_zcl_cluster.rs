#![no_main]
//! ZCL frames read against the cluster catalogue: the first input byte picks
//! a cluster of the catalogue (or, above its length, stands for an unknown
//! one), the rest is a ZCL frame. A decoded cluster command yields every
//! field, and encoding its field values again gives back its payload; the
//! attributes of a foundation command are looked up and, for Metering,
//! learned and scaled without a panic.

use std::fmt::Write as _;

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_zigbee::zcl::cluster::metering::Formatting;
use smets_zigbee::zcl::cluster::{
    self, Arg, ClusterCommand, CommandPayload, Fields, Quantity, Value, attributes_are_client,
};
use smets_zigbee::zcl::foundation::FoundationCommand;
use smets_zigbee::zcl::{ZclCommand, ZclFrame, ZclValue};

fn walk(v: &ZclValue<'_>) {
    let _ = v.is_invalid();
    let _ = v.to_f32();
    let _ = cluster::zcl_as_u64(v);
    match v {
        ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) => {
            for e in s.iter() {
                walk(&e.expect("a decoded sequence iterates"));
            }
        }
        ZclValue::Structure(s) => {
            for e in s.iter() {
                walk(&e.expect("a decoded structure iterates"));
            }
        }
        _ => {}
    }
}

/// The field values of one record as arguments (records hold plain values).
fn plain_args<'a>(fields: Fields<'a>) -> Vec<Arg<'a>> {
    fields
        .map(|f| {
            let _ = f.value.as_u64().map(|x| f.spec.value_name(x));
            match f.value {
                Value::Zcl(v) => {
                    walk(&v);
                    Arg::Zcl(v)
                }
                Value::Octets(b) => Arg::Octets(b),
                Value::Records(_) => panic!("records nest one level"),
            }
        })
        .collect()
}

/// Encodes a command again from its decoded field values.
fn reencode(c: &ClusterCommand<'_>) -> Vec<u8> {
    let mut records: Vec<Vec<Arg<'_>>> = Vec::new();
    let mut top: Vec<Option<Arg<'_>>> = Vec::new();
    for f in c.fields() {
        match f.value {
            Value::Records(rs) => {
                records = rs.iter().map(plain_args).collect();
                top.push(None);
            }
            _ => top.push(plain_args_one(f.value)),
        }
    }
    let refs: Vec<&[Arg<'_>]> = records.iter().map(Vec::as_slice).collect();
    let args: Vec<Arg<'_>> = top
        .into_iter()
        .map(|a| a.unwrap_or(Arg::Records(&refs)))
        .collect();
    CommandPayload::new(c.command, &args)
        .to_vec()
        .expect("decoded values encode")
}

fn plain_args_one(v: Value<'_>) -> Option<Arg<'_>> {
    match v {
        Value::Zcl(z) => {
            walk(&z);
            Some(Arg::Zcl(z))
        }
        Value::Octets(b) => Some(Arg::Octets(b)),
        Value::Records(_) => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, frame)) = data.split_first() else {
        return;
    };
    let cluster_id = cluster::CLUSTERS
        .get(usize::from(pick))
        .map_or(0x7f00 | u16::from(pick), |c| c.id);
    let Ok(z) = ZclFrame::decode(frame) else {
        return;
    };
    let Ok(Some(command)) = z.command(cluster_id) else {
        return;
    };
    match command {
        ZclCommand::Cluster(c) => {
            assert_eq!(c.to_vec().expect("encodes"), c.payload);
            assert_eq!(reencode(&c), c.payload);
        }
        ZclCommand::Foundation(f) => {
            let Some(k) = cluster::cluster(cluster_id) else {
                return;
            };
            let client = attributes_are_client(z.frame_control.direction, z.command_id);
            let mut formatting = Formatting::default();
            let mut name = String::new();
            let mut look = |id: u16, v: Option<&ZclValue<'_>>| {
                let a = k.attribute(client, id);
                if let Some(a) = a {
                    name.clear();
                    let _ = write!(name, "{}", a.name());
                }
                if let Some(v) = v {
                    walk(v);
                    formatting.learn(id, v);
                    if let Some(a) = a {
                        if a.spec.quantity != Quantity::Plain {
                            if let Some(s) = formatting.scale(a.spec.quantity, v) {
                                let _ = s.to_f64();
                                name.clear();
                                let _ = write!(name, "{s}");
                            }
                        }
                    }
                }
            };
            match f {
                // The catalogue is searched linearly: a few dozen records
                // per input cover the lookups without slowing the search.
                FoundationCommand::ReportAttributes(l) | FoundationCommand::WriteAttributes(l) => {
                    for r in l.iter().take(32) {
                        let r = r.expect("checked at decode");
                        look(r.id, Some(&r.value));
                    }
                }
                FoundationCommand::ReadAttributesResponse(l) => {
                    for r in l.iter().take(32) {
                        let r = r.expect("checked at decode");
                        look(r.id, r.value.as_ref());
                    }
                }
                FoundationCommand::ReadAttributes(l) => {
                    for r in l.iter().take(32) {
                        look(r.expect("checked at decode").0, None);
                    }
                }
                _ => {}
            }
        }
    }
});
