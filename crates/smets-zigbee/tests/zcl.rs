//! The ZCL general frame header against every record of
//! `shared/vectors/zigbee/frames.jsonl` that decodes one: tshark records with
//! `zbee_zcl.*` fields, zbtk ZCL records and psila's ZCL header tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
mod payload_walk;

use common::{hex_of, id, le_of, record_bytes, records, tshark_num};
use payload_walk::{record_aps, zbtk_nwk};
use serde_json::Value;
use smets_zigbee::zcl::{Direction, FrameType, GeneralCommand, ZclFrame};
use smets_zigbee::{Decode, Encode};

/// `read_attributes_response` -> `Read Attributes Response`, as tshark names it.
fn title_case(label: &str) -> String {
    label
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_reencode(f: &ZclFrame<'_>, bytes: &[u8], rid: &str) {
    assert_eq!(f.to_vec().unwrap(), bytes, "{rid}: re-encode");
    let header = bytes.len() - f.payload.len();
    for cut in 0..header {
        assert!(ZclFrame::decode(&bytes[..cut]).is_err(), "{rid}: cut {cut}");
    }
}

#[test]
fn tshark_records() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in common::tshark_with(&records, "zbee_zcl.type") {
        let rid = id(r);
        let e = &r["expected"];
        let aps = record_aps(r).unwrap_or_else(|| panic!("{rid}: no APS data frame"));
        assert_eq!(
            u64::from(aps.cluster),
            tshark_num(&e["zbee_aps.cluster"]),
            "{rid}"
        );
        let f = ZclFrame::decode(&aps.payload).unwrap_or_else(|err| panic!("{rid}: {err}"));
        let fc = f.frame_control;
        let same = |name: &str, ours: u64| assert_eq!(ours, tshark_num(&e[name]), "{rid}: {name}");
        same("zbee_zcl.type", u64::from(fc.frame_type.value()));
        same("zbee_zcl.ms", u64::from(fc.manufacturer_specific));
        same("zbee_zcl.dir", u64::from(fc.direction.value()));
        same("zbee_zcl.ddr", u64::from(fc.disable_default_response));
        same("zbee_zcl.cmd.tsn", u64::from(f.tsn));
        if let Some(cmd) = e.get("zbee_zcl.cmd.id") {
            assert_eq!(u64::from(f.command_id), tshark_num(cmd), "{rid}");
        }
        assert_eq!(f.manufacturer.is_some(), fc.manufacturer_specific);
        // tshark's summary names a foundation command, or says "Unknown Command".
        let info = e["_ws.col.Info"].as_str().unwrap();
        if fc.frame_type == FrameType::Global {
            let shown = info
                .strip_prefix("ZCL: ")
                .and_then(|s| s.split(',').next())
                .unwrap();
            match f.command_label() {
                Some(l) => assert_eq!(title_case(l), shown, "{rid}"),
                None => assert_eq!(shown, "Unknown Command", "{rid}"),
            }
        } else {
            assert_eq!(f.command_label(), None, "{rid}");
        }
        check_reencode(&f, &aps.payload, rid);
        seen += 1;
    }
    assert_eq!(seen, 57, "tshark records with ZCL fields");
}

#[test]
fn zbtk_records() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in common::from_source(&records, "zbtk-") {
        let z = &zbtk_nwk(r)["zbee_aps"]["zbee_zcl"];
        if z.is_null() {
            continue;
        }
        let rid = id(r);
        let aps = record_aps(r).unwrap_or_else(|| panic!("{rid}: no APS data frame"));
        let f = ZclFrame::decode(&aps.payload).unwrap_or_else(|err| panic!("{rid}: {err}"));
        assert_eq!(
            f.frame_control.to_byte().unwrap(),
            hex_of(&z["fcf"])[0],
            "{rid}"
        );
        let fc = &z["fc"];
        assert_eq!(
            u64::from(f.frame_control.frame_type.value()),
            fc["type"].as_u64().unwrap()
        );
        assert_eq!(
            f.frame_control.manufacturer_specific,
            fc["ms"].as_bool().unwrap()
        );
        assert_eq!(
            u64::from(f.frame_control.direction.value()),
            fc["dir"].as_u64().unwrap()
        );
        assert_eq!(
            f.frame_control.disable_default_response,
            fc["ddr"].as_bool().unwrap()
        );
        let cmd = &z["cmd"];
        assert_eq!(u64::from(f.tsn), cmd["tsn"].as_u64().unwrap(), "{rid}");
        assert_eq!(u64::from(f.command_id), le_of(&cmd["id"]), "{rid}");
        assert_eq!(
            f.manufacturer.map(u64::from),
            cmd.get("mc").map(le_of),
            "{rid}"
        );
        // Every zbtk ZCL record is a foundation command, manufacturer-specific or not.
        assert!(f.command_label().is_some(), "{rid}");
        check_reencode(&f, &aps.payload, rid);
        seen += 1;
    }
    assert_eq!(seen, 12, "zbtk ZCL records");
}

fn psila_str<'a>(e: &'a Value, key: &str) -> &'a str {
    e[key].as_str().unwrap()
}

#[test]
fn psila_headers() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in common::psila_from(&records, |p| p.ends_with("cluster_library/frame.rs")) {
        let rid = id(r);
        let e = &r["expected"];
        let bytes = record_bytes(r);
        // psila's frame-control test holds the control byte alone.
        let (prefix, bytes) = if e.get("control.frame_type").is_some() {
            ("control.", [bytes.clone(), vec![0, 0]].concat())
        } else {
            ("zcl.control.", bytes)
        };
        let f = ZclFrame::decode(&bytes).unwrap();
        let fc = f.frame_control;
        let frame_type = match psila_str(e, &format!("{prefix}frame_type")) {
            "FrameType::Global" => FrameType::Global,
            "FrameType::Local" => FrameType::ClusterSpecific,
            other => panic!("{rid}: {other}"),
        };
        assert_eq!(fc.frame_type, frame_type, "{rid}");
        let direction = match psila_str(e, &format!("{prefix}direction")) {
            "Direction::ToServer" => Direction::ToServer,
            "Direction::ToClient" => Direction::ToClient,
            other => panic!("{rid}: {other}"),
        };
        assert_eq!(fc.direction, direction, "{rid}");
        assert_eq!(
            fc.manufacturer_specific.to_string(),
            psila_str(e, &format!("{prefix}manufacturer_specific"))
        );
        assert_eq!(
            fc.disable_default_response.to_string(),
            psila_str(e, &format!("{prefix}disable_default_response"))
        );
        if let Some(tsn) = e.get("zcl.transaction_sequence") {
            let tsn = u8::from_str_radix(&tsn.as_str().unwrap()[2..], 16).unwrap();
            assert_eq!(f.tsn, tsn, "{rid}");
            let cmd = u8::from_str_radix(&psila_str(e, "zcl.command")[2..], 16).unwrap();
            assert_eq!(f.command_id, cmd, "{rid}");
            assert_eq!(psila_str(e, "zcl.manufacturer"), "None");
            assert_eq!(f.manufacturer, None);
            let used: usize = psila_str(e, "used").parse().unwrap();
            assert_eq!(bytes.len() - f.payload.len(), used, "{rid}");
            if frame_type == FrameType::Global {
                assert_eq!(f.general_command(), Some(GeneralCommand::from(cmd)));
            }
        }
        assert_eq!(f.to_vec().unwrap(), bytes);
        seen += 1;
    }
    assert_eq!(seen, 5, "psila ZCL header records");
}
