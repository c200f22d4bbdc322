//! ZCL foundation command payloads against every global ZCL frame of
//! `shared/vectors/zigbee/frames.jsonl`: tshark records (decode and re-encode),
//! zbtk records (attribute ids, statuses, types and values) and psila's
//! attribute command tests (asserted values).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
mod payload_walk;

use common::{id, le_of, record_bytes, records};
use payload_walk::{record_aps, zbtk_nwk};
use serde_json::Value;
use smets_zigbee::Decode;
use smets_zigbee::Encode;
use smets_zigbee::zcl::foundation::{FoundationCommand, ReportingConfig, Status};
use smets_zigbee::zcl::{DataType, FrameType, ZclFrame, ZclValue};

fn check_round_trip(cmd: &FoundationCommand<'_>, payload: &[u8], rid: &str) {
    assert_eq!(cmd.to_vec().unwrap(), payload, "{rid}: re-encode");
    assert_eq!(cmd.encoded_len(), payload.len(), "{rid}");
}

#[test]
fn tshark_global_frames_decode_and_re_encode() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    let mut known = 0;
    for r in common::tshark_with(&records, "zbee_zcl.type") {
        let rid = id(r);
        let aps = record_aps(r).unwrap();
        let f = ZclFrame::decode(&aps.payload).unwrap();
        if f.frame_control.frame_type != FrameType::Global {
            continue;
        }
        let cmd = f
            .foundation()
            .unwrap()
            .unwrap_or_else(|e| panic!("{rid}: {e}"));
        assert_eq!(cmd.command_id(), f.command_id, "{rid}");
        check_round_trip(&cmd, f.payload, rid);
        if !matches!(cmd, FoundationCommand::Unknown(..)) {
            known += 1;
        }
        // Every record list iterates without error.
        match cmd {
            FoundationCommand::ReadAttributes(l) => assert!(l.iter().all(|x| x.is_ok())),
            FoundationCommand::ReadAttributesResponse(l) => {
                assert!(l.iter().all(|x| x.is_ok()));
            }
            FoundationCommand::ReportAttributes(l) => {
                assert!(l.iter().count() > 0, "{rid}");
                assert!(l.iter().all(|x| x.is_ok()));
            }
            _ => {}
        }
        seen += 1;
    }
    assert_eq!(seen, 46, "tshark global ZCL frames");
    assert_eq!(known, 15, "tshark frames with a defined foundation command");
}

fn zbtk_value(v: &ZclValue<'_>, want: &Value, rid: &str) {
    match (v, want) {
        (ZclValue::Unsigned(_, x), Value::Number(n)) => assert_eq!(Some(*x), n.as_u64(), "{rid}"),
        (ZclValue::Signed(_, x), Value::Number(n)) => assert_eq!(Some(*x), n.as_i64(), "{rid}"),
        (ZclValue::UtcTime(x), Value::Number(n)) => {
            assert_eq!(Some(u64::from(*x)), n.as_u64(), "{rid}");
        }
        (ZclValue::Bits(_, x), Value::Object(_)) => assert_eq!(*x, le_of(want), "{rid}"),
        other => panic!("{rid}: {other:?}"),
    }
}

#[test]
fn zbtk_records_give_their_values() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    let mut values = 0;
    for r in common::from_source(&records, "zbtk-") {
        let z = &zbtk_nwk(r)["zbee_aps"]["zbee_zcl"];
        if z.is_null() {
            continue;
        }
        let rid = id(r);
        let aps = record_aps(r).unwrap();
        let f = ZclFrame::decode(&aps.payload).unwrap();
        let Some(cmd) = f.foundation() else { continue };
        let cmd = cmd.unwrap_or_else(|e| panic!("{rid}: {e}"));
        check_round_trip(&cmd, f.payload, rid);
        let attrs = z["attrs"].as_array();
        match cmd {
            FoundationCommand::ReadAttributes(l) => {
                let ids: Vec<u64> = l.iter().map(|a| u64::from(a.unwrap().0)).collect();
                let want: Vec<u64> = attrs.unwrap().iter().map(|a| le_of(&a["id"])).collect();
                assert_eq!(ids, want, "{rid}");
            }
            FoundationCommand::ReadAttributesResponse(l) => {
                let want = attrs.unwrap();
                assert_eq!(l.iter().count(), want.len(), "{rid}");
                for (got, w) in l.iter().zip(want) {
                    let got = got.unwrap();
                    assert_eq!(u64::from(got.id), le_of(&w["id"]), "{rid}");
                    assert_eq!(u64::from(got.status.value()), le_of(&w["status"]));
                    let v = got.value.unwrap();
                    assert_eq!(u64::from(v.data_type().value()), le_of(&w["type"]));
                    zbtk_value(&v, &w["value"], rid);
                    values += 1;
                }
            }
            FoundationCommand::WriteAttributes(l) | FoundationCommand::ReportAttributes(l) => {
                let want = attrs.unwrap();
                assert_eq!(l.iter().count(), want.len(), "{rid}");
                for (got, w) in l.iter().zip(want) {
                    let got = got.unwrap();
                    assert_eq!(u64::from(got.id), le_of(&w["id"]), "{rid}");
                    assert_eq!(u64::from(got.value.data_type().value()), le_of(&w["type"]));
                    zbtk_value(&got.value, &w["value"], rid);
                    values += 1;
                }
            }
            FoundationCommand::WriteAttributesResponse(l) => {
                let all: Vec<_> = l.iter().map(Result::unwrap).collect();
                assert_eq!(all.len(), 1, "{rid}");
                assert_eq!(u64::from(all[0].status.value()), le_of(&z["status"]));
                assert_eq!(all[0].id, None);
            }
            FoundationCommand::ConfigureReportingResponse(l) => {
                let all: Vec<_> = l.iter().map(Result::unwrap).collect();
                assert_eq!(all.len(), 1, "{rid}");
                assert_eq!(u64::from(all[0].status.value()), le_of(&z["status"]));
                assert_eq!(all[0].target, None);
            }
            FoundationCommand::ConfigureReporting(l) => {
                // zbtk leaves the record undecoded: compare the bytes, then the fields.
                assert_eq!(l.as_bytes(), common::hex_of(&z["attrs"]), "{rid}");
                let all: Vec<_> = l.iter().map(Result::unwrap).collect();
                assert_eq!(all.len(), 1);
                assert_eq!(all[0].id, 0x0007);
                assert_eq!(
                    all[0].config,
                    ReportingConfig::Reported {
                        data_type: DataType::Enum8,
                        min_interval: 0,
                        max_interval: 0xfffe,
                        change: None,
                    }
                );
            }
            FoundationCommand::DefaultResponse(d) => {
                assert_eq!(u64::from(d.command_id), le_of(&z["cmd"]["id_rsp"]), "{rid}");
                assert_eq!(u64::from(d.status.value()), le_of(&z["status"]));
            }
            FoundationCommand::DiscoverAttributes(d) => {
                assert_eq!(u64::from(d.start), le_of(&z["start"]), "{rid}");
                assert_eq!(u64::from(d.max), z["maxnum"].as_u64().unwrap());
            }
            FoundationCommand::DiscoverAttributesResponse(d) => {
                let want = attrs.unwrap();
                let got: Vec<_> = d.records.iter().map(Result::unwrap).collect();
                assert_eq!(got.len(), want.len(), "{rid}");
                for (g, w) in got.iter().zip(want) {
                    assert_eq!(u64::from(g.id), le_of(&w["attr_id"]), "{rid}");
                    assert_eq!(u64::from(g.data_type.value()), le_of(&w["type"]));
                }
            }
            other => panic!("{rid}: unexpected {other:?}"),
        }
        seen += 1;
    }
    assert_eq!(seen, 12, "zbtk foundation commands");
    assert_eq!(values, 13, "zbtk attribute values");
}

fn psila_hex(s: &str) -> u64 {
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap()
}

/// The quoted string of `CharacterString(Some("..."))`.
fn quoted(s: &str) -> &str {
    let a = s.find('"').unwrap();
    let b = s.rfind('"').unwrap();
    &s[a + 1..b]
}

fn psila_value(v: &ZclValue<'_>, want: &str, rid: &str) {
    match v {
        ZclValue::CharacterString(Some(s)) => {
            assert!(want.contains("CharacterString"), "{rid}");
            assert_eq!(*s, quoted(want).as_bytes(), "{rid}");
        }
        ZclValue::OctetString(Some(s)) => {
            let inner = &want[want.find('[').unwrap() + 1..want.find(']').unwrap()];
            let bytes: Vec<u8> = inner
                .split(',')
                .map(|b| u8::try_from(psila_hex(b.trim())).unwrap())
                .collect();
            assert_eq!(*s, bytes.as_slice(), "{rid}");
        }
        ZclValue::Enum8(x) => assert_eq!(want, format!("Some(AttributeValue::Enumeration8({x}))")),
        ZclValue::Unsigned(DataType::Uint16, x) => {
            assert_eq!(want, format!("AttributeValue::Unsigned16({x:#06x})"));
        }
        other => panic!("{rid}: {other:?}"),
    }
}

fn psila_type(name: &str) -> DataType {
    match name {
        "AttributeDataType::Boolean" => DataType::Boolean,
        "AttributeDataType::Unsigned8" => DataType::Uint8,
        "AttributeDataType::Unsigned16" => DataType::Uint16,
        "AttributeDataType::Bitmap8" => DataType::Bitmap8,
        "AttributeDataType::Bitmap16" => DataType::Bitmap16,
        "AttributeDataType::Enumeration8" => DataType::Enum8,
        other => panic!("{other}"),
    }
}

#[test]
fn psila_attribute_commands() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in common::psila_from(&records, |p| p.ends_with("commands/attributes.rs")) {
        let rid = id(r);
        let e = &r["expected"];
        let bytes = record_bytes(r);
        let s = |k: &str| e[k].as_str().unwrap();
        let cmd_id = match r["decoder"].as_str().unwrap() {
            "ReadAttributes" => 0x00,
            "ReadAttributesResponse" => 0x01,
            "ReportAttributes" => 0x0a,
            "DiscoverAttributes" => 0x0c,
            "DiscoverAttributesResponse" => 0x0d,
            other => panic!("{rid}: {other}"),
        };
        let used: usize = s("used").parse().unwrap();
        assert_eq!(used, bytes.len(), "{rid}");
        let cmd = FoundationCommand::decode(cmd_id, &bytes).unwrap();
        check_round_trip(&cmd, &bytes, rid);
        match cmd {
            FoundationCommand::ReadAttributes(l) => {
                let ids: Vec<u64> = l.iter().map(|a| u64::from(a.unwrap().0)).collect();
                assert_eq!(ids, [psila_hex(s("cmd.attributes[0]"))]);
            }
            FoundationCommand::ReadAttributesResponse(l) => {
                for (i, a) in l.iter().enumerate() {
                    let a = a.unwrap();
                    let k = |f: &str| format!("cmd.attributes[{i}].{f}");
                    assert_eq!(u64::from(a.id), psila_hex(s(&k("identifier"))), "{rid}");
                    assert_eq!(s(&k("status")), "ClusterLibraryStatus::Success");
                    assert_eq!(a.status, Status::Success);
                    psila_value(&a.value.unwrap(), s(&k("value")), rid);
                }
                assert!(
                    e.get(format!("cmd.attributes[{}].identifier", l.iter().count()))
                        .is_none()
                );
            }
            FoundationCommand::ReportAttributes(l) => {
                assert_eq!(l.iter().count(), 3);
                for (i, a) in l.iter().enumerate() {
                    let a = a.unwrap();
                    let k = |f: &str| format!("cmd.attributes[{i}].{f}");
                    assert_eq!(u64::from(a.id), psila_hex(s(&k("identifier"))), "{rid}");
                    psila_value(&a.value, s(&k("value")), rid);
                }
            }
            FoundationCommand::DiscoverAttributes(d) => {
                assert_eq!(
                    s("cmd.start"),
                    format!("AttributeIdentifier::from({})", d.start)
                );
                assert_eq!(s("cmd.count"), d.max.to_string());
            }
            FoundationCommand::DiscoverAttributesResponse(d) => {
                assert_eq!(s("cmd.complete"), d.complete.to_string(), "{rid}");
                let n: usize = s("cmd.attributes.len()").parse().unwrap();
                assert_eq!(d.records.iter().count(), n, "{rid}");
                for (i, a) in d.records.iter().enumerate() {
                    let a = a.unwrap();
                    let idv = s(&format!("cmd.attributes[{i}].0"));
                    assert_eq!(
                        psila_hex(&idv["AttributeIdentifier::from(".len()..idv.len() - 1]),
                        u64::from(a.id),
                        "{rid}"
                    );
                    assert_eq!(
                        psila_type(s(&format!("cmd.attributes[{i}].1"))),
                        a.data_type,
                        "{rid}"
                    );
                }
            }
            other => panic!("{rid}: {other:?}"),
        }
        seen += 1;
    }
    assert_eq!(seen, 8, "psila attribute command records");
}
