//! Every DLMS payload of the RTDS 4.5.0 vectors (`gbcs/rtds-4.5.0.jsonl`,
//! records whose `payload.family` is DLMS): the xDLMS APDU decodes with no
//! byte left, its list counts, invoke id and alert code agree with the
//! reference parser's tree, every Data element re-encodes to the bytes it
//! came from, and every cut of the payload is refused. The vectors are read
//! from `$SMETS_VECTORS` or `../../../shared/vectors`; required when
//! `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::vectors_dir;

use serde_json::Value;
use smets_core::{Decode, Encode};
use smets_dlms::apdu::{AccessRequestSpecification, XdlmsApdu};
use smets_dlms::axdr::{Data, Elements};

/// `(id, payload bytes, record)` of every DLMS payload.
fn dlms_payloads() -> Option<Vec<(String, Vec<u8>, Value)>> {
    let path = vectors_dir()?.join("gbcs/rtds-4.5.0.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|r| r["payload"]["family"] == "DLMS")
            .map(|r| {
                let id = r["id"].as_str().unwrap().to_owned();
                let bytes = hex::decode(r["payload"]["hex"].as_str().unwrap()).unwrap();
                (id, bytes, r)
            })
            .collect(),
    )
}

/// The bytes of a reference-tree node's `hex` ("0F 20 00 ...").
fn node_bytes(node: &Value) -> Vec<u8> {
    hex::decode(node["hex"].as_str().unwrap().replace(' ', "")).unwrap()
}

/// A list count as the reference tree shows it: the A-XDR length bytes.
fn node_count(node: &Value) -> usize {
    let b = node_bytes(node);
    match b.as_slice() {
        [n] if *n < 0x80 => usize::from(*n),
        [0x81, n] => usize::from(*n),
        [0x82, hi, lo] => usize::from(u16::from_be_bytes([*hi, *lo])),
        other => panic!("count {other:02x?}"),
    }
}

/// The only child of the reference tree's `Payload` node.
fn apdu_node(rec: &Value) -> &Value {
    let payload = rec["payload"]["reference_decode"]["Payload"]
        .as_object()
        .unwrap();
    assert_eq!(payload.len(), 1);
    payload.values().next().unwrap()
}

/// Every element of `list` re-encodes to the bytes it was decoded from;
/// returns how many elements were checked, nested ones included.
fn check_reencoding(id: &str, payload: &[u8], mut list: Elements<'_>) -> usize {
    let mut n = 0;
    while let Some((at, len, data)) = list.next_with_span() {
        assert_eq!(
            data.to_vec().unwrap(),
            &payload[at..at + len],
            "{id}: element at {at}"
        );
        assert_eq!(
            Data::skip(&payload[at..]).unwrap(),
            len,
            "{id}: skip at {at}"
        );
        n += 1;
        if let Some(inner) = data.elements() {
            n += check_reencoding(id, payload, inner);
        }
    }
    n
}

#[test]
fn every_dlms_payload_decodes_and_agrees_with_the_reference_tree() {
    let Some(payloads) = dlms_payloads() else {
        return;
    };
    let (mut requests, mut responses, mut notifications, mut elements) = (0, 0, 0, 0);
    for (id, payload, rec) in &payloads {
        let id = id.as_str();
        let apdu = XdlmsApdu::decode(payload).unwrap_or_else(|e| panic!("{id}: {e}"));
        let node = apdu_node(rec);
        let children = &node["children"];
        let counter = rec["envelope"]["originator_counter"].as_u64().unwrap();
        assert_eq!(
            u64::from(apdu.long_invoke_id_and_priority()),
            0x2000_0000 | (counter & 0xFF_FFFF),
            "{id}: long-invoke-id-and-priority"
        );
        assert_eq!(apdu.tag(), payload[0]);
        match apdu {
            XdlmsApdu::AccessRequest(a) => {
                requests += 1;
                assert_eq!(a.date_time, None, "{id}");
                let specs = node_count(&children["List of Access Request Specifications"]);
                assert_eq!(a.specifications.len(), specs, "{id}: specifications");
                assert_eq!(a.specifications.count(), specs, "{id}: specifications");
                assert_eq!(
                    a.data.len(),
                    node_count(&children["List of Data"]),
                    "{id}: data"
                );
                // One Data per specification; a get asks with a null.
                assert_eq!(a.data.len(), specs, "{id}");
                for (spec, data) in a.specifications.zip(a.data) {
                    if matches!(spec, AccessRequestSpecification::Get(_)) {
                        assert_eq!(data, Data::NullData, "{id}");
                    }
                }
                elements += check_reencoding(id, payload, a.data);
            }
            XdlmsApdu::AccessResponse(a) => {
                responses += 1;
                assert_eq!(a.request_specifications, None, "{id}");
                assert_eq!(
                    a.data.len(),
                    node_count(&children["List of Access Response Data"]),
                    "{id}: data"
                );
                assert_eq!(
                    a.results.len(),
                    node_count(&children["List of Access Response Specification"]),
                    "{id}: results"
                );
                assert_eq!(a.results.count(), a.results.len(), "{id}");
                elements += check_reencoding(id, payload, a.data);
            }
            XdlmsApdu::DataNotification(n) => {
                notifications += 1;
                // The tree's header node ends with the body's structure tag and count.
                let header = node_bytes(node);
                let Data::Structure(body) = n.body else {
                    panic!("{id}: body {:?}", n.body)
                };
                assert_eq!(header[header.len() - 2], 0x02, "{id}");
                assert_eq!(body.len(), usize::from(header[header.len() - 1]), "{id}");
                let code = node_bytes(&children["Alert Code"]);
                assert_eq!(code[0], 0x12, "{id}");
                assert_eq!(
                    { body }.next(),
                    Some(Data::LongUnsigned(u16::from_be_bytes([code[1], code[2]]))),
                    "{id}: alert code"
                );
                assert_eq!(n.body.to_vec().unwrap(), &payload[6..], "{id}: body");
                elements += check_reencoding(id, payload, body);
            }
        }
    }
    assert_eq!((requests, responses, notifications), (301, 215, 52));
    assert!(elements > 10_000, "{elements}");
}

#[test]
fn every_dlms_payload_cut_at_every_offset_is_refused() {
    let Some(payloads) = dlms_payloads() else {
        return;
    };
    for (id, payload, _) in &payloads {
        for cut in 0..payload.len() {
            assert!(
                XdlmsApdu::decode(&payload[..cut]).is_err(),
                "{id}: cut {cut}"
            );
        }
    }
}
