//! Compact-array contents unpacked on real logs: the decrypted ECS22b
//! half-hour profile (GBCS payload digest 2.8 C, from the vectors'
//! `independent_check.encrypted_blocks[].plaintext`), the ECS35a event
//! log, and every compact-array of the RTDS 4.5.0 DLMS payloads. The
//! vectors are read from `$SMETS_VECTORS` or `../../../shared/vectors`;
//! required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::vectors_dir;

use serde_json::Value;
use smets_core::{Decode, Encode};
use smets_dlms::apdu::XdlmsApdu;
use smets_dlms::axdr::{CompactArray, Data, Elements};

fn rtds() -> Option<Vec<Value>> {
    let path = vectors_dir()?.join("gbcs/rtds-4.5.0.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .collect(),
    )
}

fn record<'r>(all: &'r [Value], id: &str) -> &'r Value {
    all.iter().find(|r| r["id"] == id).unwrap()
}

/// Every compact-array in `list`, nested ones included.
fn compact_arrays<'a>(list: Elements<'a>, out: &mut Vec<CompactArray<'a>>) {
    for d in list {
        match d {
            Data::CompactArray(c) => out.push(c),
            Data::Array(e) | Data::Structure(e) => compact_arrays(e, out),
            _ => {}
        }
    }
}

/// The `(u32, u32)` pairs of a profile log.
fn pairs(c: &CompactArray<'_>) -> Vec<(u32, u32)> {
    c.elements()
        .unwrap()
        .map(|e| {
            let f: Vec<_> = e.elements().unwrap().collect();
            match f[..] {
                [Data::DoubleLongUnsigned(t), Data::DoubleLongUnsigned(v)] => (t, v),
                _ => panic!("{f:?}"),
            }
        })
        .collect()
}

#[test]
fn ecs22b_half_hour_profile() {
    let Some(all) = rtds() else {
        return;
    };
    let rec = record(&all, "rtds-4.5.0/ECS22b_4.8.1_SINGLE_SUCCESS_RESPONSE");
    let block = &rec["independent_check"]["encrypted_blocks"][0];
    let plain = hex::decode(block["plaintext"].as_str().unwrap()).unwrap();
    let d = Data::decode(&plain).unwrap();
    let Some(Data::CompactArray(c)) = d.elements().unwrap().next() else {
        panic!("{d:?}")
    };
    assert_eq!(c.type_description, [0x02, 0x02, 0x06, 0x06]);
    assert_eq!(c.contents.len(), 392);
    let p = pairs(&c);
    assert_eq!(p.len(), 49);
    // 2014-12-31T00:00Z, then 30-minute spacing to 2015-01-01T00:00Z.
    assert_eq!(
        &p[..3],
        [(473_299_200, 95), (473_301_000, 243), (473_302_800, 187)]
    );
    assert_eq!(p[48], (473_299_200 + 86_400, 139));
    for (i, (t, _)) in p.iter().enumerate() {
        assert_eq!(*t, 473_299_200 + 1800 * u32::try_from(i).unwrap());
    }
    // Each element sits 8 bytes after the last in the contents.
    let mut e = c.elements().unwrap();
    while let Some((at, len, _)) = e.next_with_span() {
        assert_eq!((at % 8, len), (0, 8));
    }
    // Cut contents: the element that does not fit is named.
    let cut = CompactArray {
        contents: &c.contents[..391],
        ..c
    };
    assert_eq!(cut.elements().unwrap_err().offset, 388);
    // The twin-element profile has three u32 per entry.
    let rec = record(&all, "rtds-4.5.0/ECS22b_4.8.1_TWIN_SUCCESS_RESPONSE");
    let block = &rec["independent_check"]["encrypted_blocks"][0];
    let plain = hex::decode(block["plaintext"].as_str().unwrap()).unwrap();
    let d = Data::decode(&plain).unwrap();
    let Some(Data::CompactArray(c)) = d.elements().unwrap().next() else {
        panic!()
    };
    let first = c.elements().unwrap().next().unwrap();
    assert_eq!(
        first.elements().unwrap().collect::<Vec<_>>(),
        [
            Data::DoubleLongUnsigned(473_299_200),
            Data::DoubleLongUnsigned(95),
            Data::DoubleLongUnsigned(203)
        ]
    );
    assert_eq!(c.elements().unwrap().len(), 49);
}

#[test]
fn ecs35a_event_log() {
    let Some(all) = rtds() else {
        return;
    };
    let rec = record(&all, "rtds-4.5.0/ECS35a_6.13_SUCCESS_RESPONSE");
    let payload = hex::decode(rec["payload"]["hex"].as_str().unwrap()).unwrap();
    let XdlmsApdu::AccessResponse(a) = XdlmsApdu::decode(&payload).unwrap() else {
        panic!()
    };
    let mut found = Vec::new();
    compact_arrays(a.data, &mut found);
    let [c] = found[..] else { panic!() };
    assert_eq!(c.type_description, [0x02, 0x03, 0x06, 0x12, 0x09]);
    let entries: Vec<Vec<Data<'_>>> = c
        .elements()
        .unwrap()
        .map(|e| e.elements().unwrap().collect())
        .collect();
    assert_eq!(
        entries[0],
        [
            Data::DoubleLongUnsigned(473_299_200),
            Data::LongUnsigned(0x8F01),
            Data::OctetString(&[])
        ]
    );
    assert_eq!(entries[1][1], Data::LongUnsigned(0x8145));
    assert_eq!(
        entries[2],
        [
            Data::DoubleLongUnsigned(0x1C36_1064),
            Data::LongUnsigned(0x8154),
            Data::OctetString(&[0x00, 0x9B])
        ]
    );
    // Time stamps never go backwards in the log.
    let times: Vec<u32> = entries
        .iter()
        .map(|e| match e[0] {
            Data::DoubleLongUnsigned(t) => t,
            _ => panic!(),
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    // The packed length of every entry is 7 plus its octet-string.
    let packed: usize = entries
        .iter()
        .map(|e| 7 + e[2].octet_string().unwrap().len())
        .sum();
    assert_eq!(packed, c.contents.len());
}

/// Every compact-array of every DLMS payload unpacks to whole elements,
/// each one of the shape its type description gives.
#[test]
fn every_rtds_compact_array_unpacks() {
    let Some(all) = rtds() else {
        return;
    };
    let (mut arrays, mut elements) = (0, 0);
    for rec in all.iter().filter(|r| r["payload"]["family"] == "DLMS") {
        let id = rec["id"].as_str().unwrap();
        let payload = hex::decode(rec["payload"]["hex"].as_str().unwrap()).unwrap();
        let body;
        let list = match XdlmsApdu::decode(&payload).unwrap() {
            XdlmsApdu::AccessRequest(a) => a.data,
            XdlmsApdu::AccessResponse(a) => a.data,
            XdlmsApdu::DataNotification(n) => {
                body = [n.body];
                Elements::from_items(&body)
            }
        };
        let mut found = Vec::new();
        compact_arrays(list, &mut found);
        for c in found {
            arrays += 1;
            let mut e = c.elements().unwrap_or_else(|e| panic!("{id}: {e}"));
            let mut end = 0;
            while let Some((at, len, d)) = e.next_with_span() {
                assert_eq!(at, end, "{id}");
                end = at + len;
                elements += 1;
                // The tagged form of the element decodes back to it.
                let tagged = d.to_vec().unwrap();
                assert_eq!(Data::decode(&tagged).unwrap(), d, "{id}");
                assert_eq!(tagged[0], c.type_description[0], "{id}");
            }
            assert_eq!(end, c.contents.len(), "{id}");
        }
    }
    assert_eq!(
        (arrays, elements),
        (17, 521),
        "compact-arrays and their elements"
    );
}
