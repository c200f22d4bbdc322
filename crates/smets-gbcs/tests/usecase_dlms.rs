//! The typed DLMS use cases against the public vectors: every RTDS 4.5.0
//! record of a typed message code decodes, its values agree with the DCC
//! reference decode field by field, the meanings in `curated.jsonl` hold
//! exactly, and every payload cut short is an error. The vectors are read
//! from `$SMETS_VECTORS` or `../../../shared/vectors`; required when
//! `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::{borrowed, code, cra, curated_plaintexts, plaintexts, records, unhex, utc};

use serde_json::Value;
use smets_core::{Encode, Eui64};
use smets_dlms::apdu::AccessRequestSpecification;
use smets_dlms::cosem::CosemDateTime;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::usecase::dlms::{
    self, EventLogKind, PlainRead, ProtectedReadKind, TariffSpec, TariffSwitch,
};
use smets_gbcs::usecase::{
    AlertCode, AlertContent, ClockSyncRequest, CommandHeader, EventLogRequest, PlainRequest,
    PriceUpdateRequest, Protected, ProtectedReadRequest, Reply, TopUpRequest, Typed, decode,
    invoke_id,
};

/// A child of a reference-decode node, by name.
fn child<'v>(v: &'v Value, name: &str) -> &'v Value {
    let v = v.get("children").unwrap_or(v);
    v.get(name).unwrap_or_else(|| {
        panic!(
            "no {name} in {:?}",
            v.as_object().map(|o| o.keys().collect::<Vec<_>>())
        )
    })
}

/// The first node named `name` under `v`, depth first (the reference
/// nests some siblings under the node before them).
fn find<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    let map = v.as_object()?;
    if let Some(n) = map.get(name) {
        return Some(n);
    }
    map.values().find_map(|c| find(c, name))
}

/// The `[i] ...` children of a reference-decode node in index order (the
/// JSON map is sorted by key, so "[10]" would come before "[2]"); none
/// for an empty list, which the reference gives no children.
fn indexed(v: &Value) -> Vec<&Value> {
    let Some(children) = v["children"].as_object() else {
        assert!(
            v["hex"].as_str().unwrap().ends_with(" 00"),
            "no children in a list that is not empty: {v}"
        );
        return Vec::new();
    };
    let mut items: Vec<(usize, &Value)> = children
        .iter()
        .filter_map(|(k, v)| {
            let n = k.strip_prefix('[')?.split(']').next()?.parse().ok()?;
            Some((n, v))
        })
        .collect();
    items.sort_by_key(|(n, _)| *n);
    items.into_iter().map(|(_, v)| v).collect()
}

fn node_hex(v: &Value) -> Vec<u8> {
    unhex(v["hex"].as_str().unwrap())
}

fn node_u32(v: &Value) -> u32 {
    u32::from_be_bytes(node_hex(v).try_into().unwrap())
}

/// The typed message codes: (code, use case).
const TYPED: [(u16, &str); 20] = [
    (0x003A, "ECS24 (commands)"),
    (0x00A2, "ECS01b"),
    (0x0019, "ECS01a"),
    (0x0062, "ECS70"),
    (0x0027, "ECS17b"),
    (0x002D, "ECS19"),
    (0x0033, "ECS21a"),
    (0x0037, "ECS22b"),
    (0x0060, "ECS66"),
    (0x0048, "ECS35a"),
    (0x0049, "ECS35b"),
    (0x0059, "ECS52"),
    (0x0069, "ECS82"),
    (0x0007, "CS01a"),
    (0x0061, "ECS68"),
    (0x0067, "ECS80"),
    (0x00CC, "future-dated alert"),
    (0x00CE, "firmware distribution receipt"),
    (0x1000, "generic critical alert"),
    (0x1001, "generic non-critical alert"),
];

fn typed_records() -> Option<Vec<Value>> {
    Some(
        records("rtds-4.5.0.jsonl")?
            .into_iter()
            .filter(|r| dlms::handles(code(r), cra(r)) && r["payload"]["family"] == "DLMS")
            .collect(),
    )
}

/// The protection parameters node and the protected-attributes node of a
/// reference decode.
fn check_protection(p: &smets_gbcs::usecase::ProtectionOptions, reference: &Value) {
    let params = find(reference, "Protection Parameters").unwrap();
    let tid = node_hex(child(params, "Transaction Id"));
    assert_eq!(tid[..3], [0x09, 0x09, 0x04]);
    assert_eq!(
        p.originator_counter,
        u64::from_be_bytes(tid[3..].try_into().unwrap())
    );
    let title = |name: &str| {
        let b = node_hex(child(params, name));
        Eui64(u64::from_be_bytes(b[2..].try_into().unwrap()))
    };
    assert_eq!(p.originator, title("Originator System Title"));
    assert_eq!(p.recipient, title("Recipient System Title"));
}

/// The decrypted compact-array contents entries of a reference decode.
fn decrypted_entries(rec: &Value) -> Vec<&Value> {
    let top = &rec["payload"]["reference_decrypted"][0]["Structure"];
    let ca = child(top, "[0] Compact Array");
    indexed(contents(ca))
}

/// The contents of a compact-array node: the reference nests them under
/// the type description.
fn contents(ca: &Value) -> &Value {
    child(child(ca, "Type Description"), "Contents")
}

#[test]
fn every_rtds_record_of_a_typed_code_decodes_as_the_reference_reads_it() {
    let Some(recs) = typed_records() else { return };
    let mut seen = std::collections::BTreeMap::<(u16, u8), usize>::new();
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let payload = unhex(rec["payload"]["hex"].as_str().unwrap());
        let plain = plaintexts(rec);
        let plain = borrowed(&plain);
        let (code, cra) = (code(rec), cra(rec));
        let typed = decode(code, cra, &payload, &plain)
            .unwrap_or_else(|e| panic!("{id}: {e}"))
            .unwrap_or_else(|| panic!("{id}: not typed"));
        *seen.entry((code, cra.value())).or_default() += 1;
        let counter = rec["envelope"]["originator_counter"].as_u64().unwrap();
        let low24 = u32::try_from(counter & 0xFF_FFFF).unwrap();
        let reference = &rec["payload"]["reference_decode"]["Payload"];
        check_typed(id, &typed, rec, reference, low24);
        // Without plaintexts the protected parts stay encrypted, at the
        // offsets the independent check found them.
        if !plain.is_empty() {
            let t = decode(code, cra, &payload, &[]).unwrap().unwrap();
            let enc = encrypted_of(&t).unwrap_or_else(|| panic!("{id}: no encrypted part"));
            assert_eq!(enc.offset, plain[0].0, "{id}");
            let blk = &rec["independent_check"]["encrypted_blocks"][0];
            assert_eq!(
                enc.ciphered_len as u64,
                blk["ciphered_len"].as_u64().unwrap(),
                "{id}"
            );
        }
    }
    // Every typed code with a DLMS record in RTDS was seen, in each of its
    // directions.
    for (c, name) in TYPED {
        assert!(seen.keys().any(|(k, _)| *k == c), "{name}: no RTDS record");
    }
    assert_eq!(seen.values().sum::<usize>(), recs.len());
}

fn encrypted_of(t: &Typed<'_>) -> Option<smets_gbcs::usecase::Encrypted> {
    let enc = |p: &Protected<_>| match p {
        Protected::Encrypted(e) => Some(*e),
        Protected::Decrypted(()) => None,
    };
    let strip = |p: Protected<()>| enc(&p);
    match t {
        Typed::ImportRegisters(r) => strip(r.reply.value()?.value.map_unit()),
        Typed::PrepayValues(r) => strip(r.reply.value()?.value.map_unit()),
        Typed::Profile(r) => strip(r.reply.value()?.value.map_unit()),
        Typed::DailyReadLog(r) => strip(r.reply.value()?.value.map_unit()),
        Typed::Alert(a) => match &a.content {
            AlertContent::BillingDataLog(p) => strip(p.value.map_unit()),
            _ => None,
        },
        _ => None,
    }
}

trait MapUnit {
    fn map_unit(&self) -> Protected<()>;
}

impl<T> MapUnit for Protected<T> {
    fn map_unit(&self) -> Protected<()> {
        match self {
            Protected::Decrypted(_) => Protected::Decrypted(()),
            Protected::Encrypted(e) => Protected::Encrypted(*e),
        }
    }
}

/// The failure a reference decode reports: (kind, code).
fn reference_failure(reference: &Value) -> Option<(&'static str, u8)> {
    let rsp = reference.get("DLMS Access Response")?;
    let spec = &indexed(child(rsp, "List of Access Response Specification"))[0];
    let (kind, node) = match node_hex(spec)[0] {
        1 => ("get", child(spec, "Data Access Result")),
        3 => ("action", child(spec, "Action Result")),
        k => panic!("result kind {k}"),
    };
    let code = node_hex(node)[0];
    (code != 0).then_some((kind, code))
}

/// The result code of a reply: 0 for a value.
fn reply_code<T>(r: &Reply<T>) -> u8 {
    match r {
        Reply::Value(_) => 0,
        Reply::Failed(f) => f.code(),
    }
}

fn check_reply<T>(id: &str, reply: &Reply<T>, reference: &Value) {
    match (reply, reference_failure(reference)) {
        (Reply::Failed(f), Some((kind, code))) => {
            assert_eq!((f.kind(), f.code()), (kind, code), "{id}");
        }
        (Reply::Value(_), None) => {}
        (r, want) => panic!("{id}: failed {:?}, reference {want:?}", r.value().is_none()),
    }
}

#[allow(clippy::too_many_lines)]
fn check_typed(id: &str, typed: &Typed<'_>, rec: &Value, reference: &Value, low24: u32) {
    match typed {
        Typed::ProtectedReadRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            assert_eq!(r.read.message_code(), code(rec), "{id}");
            let req = child(reference, "DLMS Access Request");
            let spec = indexed(child(req, "List of Access Request Specifications"))[0];
            let (protection_object, class_id, obis) = r.read.objects();
            assert_eq!(
                node_hex(child(spec, "Instance Id")),
                protection_object.0,
                "{id}"
            );
            let data = indexed(child(req, "List of Data"))[0];
            let parts = indexed(data);
            let od = indexed(indexed(parts[0])[0]);
            assert_eq!(node_hex(od[0])[1..], class_id.to_be_bytes(), "{id}");
            assert_eq!(node_hex(od[1])[2..], obis.0, "{id}");
            let restriction = indexed(od[4]);
            match r.read.range() {
                None => assert_eq!(node_hex(restriction[0]), [0x16, 0x00], "{id}"),
                Some((from, to)) => {
                    assert_eq!(node_hex(restriction[0]), [0x16, 0x01], "{id}");
                    let dates = indexed(restriction[1]);
                    let dt = |v: &Value| CosemDateTime::from_slice(&node_hex(v)[2..]).unwrap();
                    assert_eq!(dt(dates[0]).to_utc(), Some(from), "{id}");
                    assert_eq!(dt(dates[1]).to_utc(), Some(to), "{id}");
                }
            }
            // The protection the command asks for: this message's counter,
            // the requester then the device.
            let env = &rec["envelope"];
            assert_eq!(
                r.protection.originator_counter,
                env["originator_counter"].as_u64().unwrap(),
                "{id}"
            );
            let eui = |k: &str| Eui64(u64::from_str_radix(env[k].as_str().unwrap(), 16).unwrap());
            assert_eq!(
                r.protection.originator,
                eui("originator_system_title"),
                "{id}"
            );
            assert_eq!(
                r.protection.recipient,
                eui("recipient_system_title"),
                "{id}"
            );
        }
        Typed::PlainRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            assert_eq!(r.read.message_code(), code(rec), "{id}");
            let req = child(reference, "DLMS Access Request");
            let specs = indexed(child(req, "List of Access Request Specifications"));
            let want = r.read.specifications();
            assert_eq!(specs.len(), want.len(), "{id}");
            for (spec, w) in specs.iter().zip(want) {
                let AccessRequestSpecification::Get(a) = w else {
                    panic!("{id}: {w:?}")
                };
                assert_eq!(node_hex(spec), [0x01], "{id}");
                assert_eq!(
                    node_hex(child(spec, "Class Id")),
                    a.class_id.to_be_bytes(),
                    "{id}"
                );
                assert_eq!(
                    node_hex(child(spec, "Instance Id")),
                    a.instance_id.0,
                    "{id}"
                );
                assert_eq!(
                    node_hex(child(spec, "Attribute Id")),
                    a.attribute_id.to_be_bytes(),
                    "{id}"
                );
            }
        }
        Typed::EventLogRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            assert_eq!(r.log.message_code(), code(rec), "{id}");
            let req = child(reference, "DLMS Access Request");
            let spec = indexed(child(req, "List of Access Request Specifications"))[0];
            assert_eq!(
                node_hex(child(spec, "Instance Id")),
                r.log.logical_name().0,
                "{id}"
            );
            let range = indexed(child(child(spec, "Access Selector"), "Structure"));
            assert_eq!(node_hex(range[1])[1..], r.from.0.to_be_bytes(), "{id}");
            assert_eq!(node_hex(range[2])[1..], r.to.0.to_be_bytes(), "{id}");
        }
        Typed::TopUpRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let req = child(reference, "DLMS Access Request");
            let utrn = indexed(child(req, "List of Data"))[0];
            assert_eq!(node_hex(utrn)[2..], r.utrn, "{id}");
            assert_eq!(
                utrn["notes"].as_str().unwrap().trim_matches('"'),
                r.utrn(),
                "{id}"
            );
        }
        Typed::ClockSyncRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let req = child(reference, "DLMS Access Request");
            let data = indexed(child(req, "List of Data"));
            assert_eq!(node_hex(data[0]), [0x16, r.clock_base], "{id}");
            let preset = indexed(data[1]);
            assert_eq!(
                node_hex(preset[0])[2..],
                CosemDateTime::NEVER.to_bytes(),
                "{id}"
            );
            let dt = |v: &Value| CosemDateTime::from_slice(&node_hex(v)[2..]).unwrap();
            assert_eq!(dt(preset[1]).to_utc(), Some(r.validity_start), "{id}");
            assert_eq!(dt(preset[2]).to_utc(), Some(r.validity_end), "{id}");
            assert_eq!(node_hex(data[2]), [0x0F, 0x00], "{id}");
        }
        Typed::ClockSync(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let rsp = child(reference, "DLMS Access Response");
            let results: Vec<u8> = indexed(child(rsp, "List of Access Response Specification"))
                .iter()
                .map(|s| {
                    let s = s["children"].as_object().unwrap();
                    node_hex(s.values().next().unwrap())[0]
                })
                .collect();
            let code = |f: Option<smets_gbcs::usecase::Failure>| f.map_or(0, |f| f.code());
            let got = [
                code(r.clock_base_failure),
                code(r.preset_failure),
                code(r.adjust_failure),
                reply_code(&r.time),
                reply_code(&r.status),
            ];
            assert_eq!(got[..], results[..], "{id}");
            let data = indexed(child(rsp, "List of Access Response Data"));
            if let Reply::Value(t) = r.time {
                assert_eq!(node_hex(data[3])[2..], t.to_bytes(), "{id}");
            }
            if let Reply::Value(v) = r.status {
                assert_eq!(node_hex(data[4]), [0x11, v], "{id}");
            }
        }
        Typed::TariffUpdateRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let req = child(reference, "DLMS Access Request");
            let data = indexed(child(req, "List of Data"));
            check_calendar(id, &r.calendar, &data);
            assert_eq!(node_hex(data[12]), [0x03, r.currency_unit], "{id}");
            check_charge(
                id,
                data[13],
                &r.standing_charge_scaling,
                &[r.standing_charge],
            );
            let prices: Vec<i16> = r
                .tou_prices
                .iter()
                .chain(r.block_prices.iter().flatten())
                .copied()
                .collect();
            check_charge(id, data[14], &r.price_scaling, &prices);
            let a = r.activation;
            let acts = [
                a.calendar,
                a.special_days,
                a.currency,
                a.standing_charge,
                a.prices,
                a.thresholds,
            ];
            for (node, t) in data[15..].iter().zip(acts) {
                assert_eq!(node_hex(node)[2..], t.to_bytes(), "{id}");
            }
        }
        Typed::PriceUpdateRequest(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let req = child(reference, "DLMS Access Request");
            let data = indexed(child(req, "List of Data"));
            check_charge(
                id,
                data[0],
                &r.standing_charge_scaling,
                &[r.standing_charge],
            );
            let prices: Vec<i16> = r
                .tou_prices
                .iter()
                .chain(r.block_prices.iter().flatten())
                .copied()
                .collect();
            check_charge(id, data[1], &r.price_scaling, &prices);
            assert_eq!(
                node_hex(data[2])[2..],
                r.standing_charge_activation.to_bytes(),
                "{id}"
            );
            assert_eq!(
                node_hex(data[3])[2..],
                r.price_activation.to_bytes(),
                "{id}"
            );
        }
        Typed::SetResults(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let rsp = child(reference, "DLMS Access Response");
            let want: Vec<u8> = indexed(child(rsp, "List of Access Response Specification"))
                .iter()
                .map(|s| node_hex(child(s, "Data Access Result"))[0])
                .collect();
            let got: Vec<u8> = r.failures().map(|f| f.map_or(0, |f| f.code())).collect();
            assert_eq!(got, want, "{id}");
            assert_eq!(r.all_succeeded(), want.iter().all(|c| *c == 0), "{id}");
        }
        Typed::ActionOutcome(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            let want = reference_failure(reference);
            assert_eq!(r.failure.map(|f| (f.kind(), f.code())), want, "{id}");
        }
        Typed::FirmwareVersion(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let rsp = child(reference, "DLMS Access Response");
            let d = indexed(child(rsp, "List of Access Response Data"))[0];
            assert_eq!(
                node_hex(d)[2..],
                *r.reply.value().unwrap().version.0,
                "{id}"
            );
        }
        Typed::MeterBalance(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let rsp = child(reference, "DLMS Access Response");
            let d = indexed(child(rsp, "List of Access Response Data"))[0];
            let want: i32 = d["notes"].as_str().unwrap().parse().unwrap();
            assert_eq!(r.reply.value().unwrap().meter_balance, want, "{id}");
        }
        Typed::EventLog(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let Some(log) = r.reply.value() else { return };
            let rsp = child(reference, "DLMS Access Response");
            let ca = indexed(child(rsp, "List of Access Response Data"))[0];
            let entries = indexed(contents(ca));
            assert_eq!(log.len(), entries.len(), "{id}");
            assert!(!log.is_empty(), "{id}");
            for (got, want) in log.entries().zip(&entries) {
                let f = indexed(want);
                assert_eq!(got.timestamp.0, node_u32(f[0]), "{id}");
                assert_eq!(
                    got.event_code.value().to_be_bytes(),
                    *node_hex(f[1]),
                    "{id}"
                );
                match (got.data, f.get(2)) {
                    (Some(d), Some(w)) => assert_eq!(d.0, &node_hex(w)[1..], "{id}"),
                    (None, None) => assert_eq!(log.log, EventLogKind::Security),
                    _ => panic!("{id}: event data"),
                }
            }
        }
        Typed::Tariff(r) => {
            // RTDS holds no ECS24 response; curated_meanings_hold checks one.
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
        }
        Typed::ImportRegisters(r) => {
            // RTDS holds only the error response of ECS17b.
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
        }
        Typed::PrepayValues(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let Some(p) = r.reply.value() else { return };
            let rsp = child(reference, "DLMS Access Response");
            let d = child(
                child(rsp, "List of Access Response Data"),
                "Get Protected Attributes Response",
            );
            check_protection(&p.protection, d);
            let v = p.value.decrypted().unwrap();
            let top = &rec["payload"]["reference_decrypted"][0]["Structure"];
            let want: Vec<i32> = indexed(indexed(top)[0])
                .iter()
                .map(|n| n["notes"].as_str().unwrap().parse().unwrap())
                .collect();
            let got = [
                v.meter_balance,
                v.emergency_credit_balance,
                v.accumulated_debt_register,
                v.time_debt_1_balance,
                v.time_debt_2_balance,
                v.payment_debt_balance,
            ];
            assert_eq!(got[..], want[..], "{id}");
        }
        Typed::Profile(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let Some(p) = r.reply.value() else { return };
            let rsp = child(reference, "DLMS Access Response");
            let d = child(
                child(rsp, "List of Access Response Data"),
                "Get Protected Attributes Response",
            );
            check_protection(&p.protection, d);
            let log = p.value.decrypted().unwrap();
            let entries = decrypted_entries(rec);
            assert_eq!(log.len(), entries.len(), "{id}");
            assert!(!log.is_empty(), "{id}");
            for (got, want) in log.entries().zip(&entries) {
                let f = indexed(want);
                assert_eq!(got.timestamp.0, node_u32(f[0]), "{id}");
                assert_eq!(got.value, node_u32(f[1]), "{id}");
                assert_eq!(got.secondary_value, f.get(2).map(|v| node_u32(v)), "{id}");
                assert_eq!(log.twin, f.len() == 3, "{id}");
            }
        }
        Typed::DailyReadLog(r) => {
            assert_eq!(r.invoke_id, low24, "{id}");
            check_reply(id, &r.reply, reference);
            let Some(p) = r.reply.value() else { return };
            let rsp = child(reference, "DLMS Access Response");
            let d = child(
                child(rsp, "List of Access Response Data"),
                "Get Protected Attributes Response",
            );
            check_protection(&p.protection, d);
            check_register_log(id, p.value.decrypted().unwrap(), rec);
        }
        Typed::Alert(a) => {
            assert_eq!(a.invoke_id, low24, "{id}");
            let n = reference
                .as_object()
                .unwrap()
                .iter()
                .find_map(|(k, v)| k.starts_with("DLMS Data Notification").then_some(v))
                .unwrap();
            let top = n.get("children").unwrap();
            let alert_code = node_hex(&top["Alert Code"]);
            assert_eq!(alert_code[1..], a.alert_code.value().to_be_bytes(), "{id}");
            assert_eq!(
                a.alert_code.label().is_some(),
                !matches!(a.alert_code, AlertCode::Unknown(_)),
                "{id}"
            );
            assert_eq!(
                node_hex(&top["Time Stamp"])[2..],
                a.time_stamp.to_bytes(),
                "{id}"
            );
            match a.content {
                AlertContent::None => {
                    assert_eq!(node_hex(n)[6..], [0x02, 0x02], "{id}");
                }
                AlertContent::OutageRestore {
                    interruption,
                    restoration,
                } => {
                    // The reference's notes print these two date-times
                    // without hour and minute ("31 December 2014
                    // ::00.00"); the bytes say 23:50 and 23:59, which is
                    // what GBCS's octet-string(12) date-time holds.
                    let body = indexed(&top["Body"]);
                    assert_eq!(node_hex(body[0])[2..], interruption.to_bytes(), "{id}");
                    assert_eq!(node_hex(body[1])[2..], restoration.to_bytes(), "{id}");
                }
                AlertContent::FutureDatedExecution(e) => {
                    assert_eq!(
                        node_hex(&top["Message Code"]),
                        e.message_code.to_be_bytes(),
                        "{id}"
                    );
                    assert_eq!(
                        node_hex(&top["Originator Counter"]),
                        e.originator_counter.to_be_bytes(),
                        "{id}"
                    );
                    assert_eq!(node_hex(&top["Class Id"]), e.class_id.to_be_bytes(), "{id}");
                    assert_eq!(node_hex(&top["Instance Id"]), e.obis.0, "{id}");
                    assert_eq!(
                        node_hex(&top["Attribute Id"]),
                        e.attribute_id.to_be_bytes(),
                        "{id}"
                    );
                }
                AlertContent::FirmwareDistributionReceipt { image_hash } => {
                    let h = node_hex(&top["Calculated Manufacturer Hash"]);
                    assert_eq!(h[2..], *image_hash.0, "{id}");
                }
                AlertContent::BillingDataLog(p) => {
                    check_protection(&p.protection, n);
                    check_register_log(id, p.value.decrypted().unwrap(), rec);
                }
            }
        }
        Typed::Der(d) => panic!("{id}: a DLMS use case decoded as DER {d:?}"),
        Typed::Gbz(g) => panic!("{id}: a DLMS use case decoded as GBZ {g:?}"),
    }
}

/// A unit_charge node of a reference decode against its typed reading.
fn check_charge(id: &str, node: &Value, s: &smets_gbcs::usecase::ChargeScaling, charges: &[i16]) {
    let parts = indexed(node);
    let scaling = indexed(parts[0]);
    assert_eq!(node_hex(scaling[0])[1] as i8, s.commodity_scale, "{id}");
    assert_eq!(node_hex(scaling[1])[1] as i8, s.price_scale, "{id}");
    let commodity = indexed(parts[1]);
    assert_eq!(
        node_hex(commodity[0])[1..],
        s.class_id.to_be_bytes(),
        "{id}"
    );
    assert_eq!(node_hex(commodity[1])[2..], s.obis.0, "{id}");
    assert_eq!(node_hex(commodity[2])[1] as i8, s.attribute_index, "{id}");
    let table = indexed(parts[2]);
    assert_eq!(table.len(), charges.len(), "{id}");
    for (entry, want) in table.iter().zip(charges) {
        let v: i16 = indexed(entry)[1]["notes"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(v, *want, "{id}");
    }
}

/// A tariff calendar against the reference's twelve list nodes.
fn check_calendar(id: &str, cal: &smets_gbcs::usecase::dlms::TariffCalendar<'_>, data: &[&Value]) {
    let seasons: Vec<_> = cal.seasons().collect();
    let want = indexed(data[0]);
    assert_eq!(seasons.len(), want.len(), "{id}");
    for (s, w) in seasons.iter().zip(want) {
        let f = indexed(w);
        assert_eq!(node_hex(f[0])[2..], *s.name.0, "{id}");
        assert_eq!(node_hex(f[1])[2..], s.start.to_bytes(), "{id}");
        assert_eq!(node_hex(f[2])[2..], *s.week_profile.0, "{id}");
    }
    let weeks: Vec<_> = cal.week_profiles().collect();
    let want = indexed(data[1]);
    assert_eq!(weeks.len(), want.len(), "{id}");
    for (wk, w) in weeks.iter().zip(want) {
        let f = indexed(w);
        assert_eq!(node_hex(f[0])[2..], *wk.name.0, "{id}");
        let days: Vec<u8> = f[1..].iter().map(|d| node_hex(d)[1]).collect();
        assert_eq!(days, wk.days, "{id}");
    }
    let days: Vec<_> = cal.day_profiles().collect();
    let want = indexed(data[2]);
    assert_eq!(days.len(), want.len(), "{id}");
    for (d, w) in days.iter().zip(want) {
        let f = indexed(w);
        assert_eq!(node_hex(f[0]), [0x11, d.day_id], "{id}");
        let actions: Vec<_> = d.actions().collect();
        let wa = indexed(f[1]);
        assert_eq!(actions.len(), wa.len(), "{id}");
        for (a, w) in actions.iter().zip(wa) {
            let g = indexed(w);
            let t = a.start_time;
            assert_eq!(
                node_hex(g[0])[2..],
                [t.hour, t.minute, t.second, t.hundredths],
                "{id}"
            );
            assert_eq!(node_hex(g[1])[2..], a.script.0, "{id}");
            assert_eq!(node_hex(g[2])[1..], a.selector.to_be_bytes(), "{id}");
        }
    }
    let special: Vec<_> = cal.special_days().collect();
    let want = indexed(data[3]);
    assert_eq!(special.len(), want.len(), "{id}");
    for (s, w) in special.iter().zip(want) {
        let f = indexed(w);
        assert_eq!(node_hex(f[0])[1..], s.index.to_be_bytes(), "{id}");
        let [y0, y1] = s.date.year.to_be_bytes();
        assert_eq!(
            node_hex(f[1])[2..],
            [y0, y1, s.date.month, s.date.day, s.date.day_of_week],
            "{id}"
        );
        assert_eq!(node_hex(f[2]), [0x11, s.day_id], "{id}");
    }
    for rate in 1..=8 {
        let got: Vec<u32> = cal.thresholds(rate).unwrap().collect();
        let want: Vec<u32> = indexed(data[3 + rate])
            .iter()
            .map(|v| node_u32_tagged(v))
            .collect();
        assert_eq!(got, want, "{id} rate {rate}");
    }
    assert!(cal.thresholds(9).is_none());
}

fn node_u32_tagged(v: &Value) -> u32 {
    let b = node_hex(v);
    assert_eq!(b[0], 0x06);
    u32::from_be_bytes(b[1..].try_into().unwrap())
}

fn check_register_log(id: &str, log: &dlms::RegisterLog<'_>, rec: &Value) {
    let entries = decrypted_entries(rec);
    assert_eq!(log.len(), entries.len(), "{id}");
    assert!(!log.is_empty(), "{id}");
    for (got, want) in log.entries().zip(&entries) {
        let f = indexed(want);
        let values = |v: &Value| indexed(v).iter().map(|x| node_u32(x)).collect::<Vec<_>>();
        assert_eq!(got.timestamp.0, node_u32(f[0]), "{id}");
        assert_eq!(got.active_import, node_u32(f[1]), "{id}");
        let mut i = 2;
        if log.twin {
            assert_eq!(got.secondary_active_import, Some(node_u32(f[2])), "{id}");
            i = 3;
        }
        assert_eq!(
            got.tou_registers.iter().collect::<Vec<_>>(),
            values(f[i]),
            "{id}"
        );
        assert_eq!(got.tou_registers.len(), 48, "{id}");
        i += 1;
        if log.twin {
            let s = got.secondary_tou_registers.unwrap();
            assert_eq!(s.iter().collect::<Vec<_>>(), values(f[i]), "{id}");
            i += 1;
        }
        for b in got.block_registers {
            assert_eq!(b.iter().collect::<Vec<_>>(), values(f[i]), "{id}");
            i += 1;
        }
        assert_eq!(i, f.len(), "{id}");
    }
}

#[test]
fn every_typed_payload_cut_short_is_an_error() {
    let Some(recs) = typed_records() else { return };
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let payload = unhex(rec["payload"]["hex"].as_str().unwrap());
        let plain = plaintexts(rec);
        let plain = borrowed(&plain);
        let (code, cra) = (code(rec), cra(rec));
        for cut in 0..payload.len() {
            assert!(
                decode(code, cra, &payload[..cut], &plain).is_err(),
                "{id} cut {cut}"
            );
        }
        // A plaintext cut short, or with a byte more, is an error too.
        for (i, (o, p)) in plain.iter().enumerate() {
            for cut in 0..p.len() {
                let mut short = plain.clone();
                short[i] = (*o, &p[..cut]);
                assert!(
                    decode(code, cra, &payload, &short).is_err(),
                    "{id} plaintext cut {cut}"
                );
            }
        }
    }
}

#[test]
fn codes_without_a_typed_decoder_give_none() {
    let Some(recs) = records("rtds-4.5.0.jsonl") else {
        return;
    };
    for rec in &recs {
        let payload = unhex(rec["payload"]["hex"].as_str().unwrap());
        let (code, cra) = (code(rec), cra(rec));
        let typed = decode(code, cra, &payload, &[]);
        let ours = dlms::handles(code, cra) && rec["payload"]["family"] == "DLMS";
        match rec["payload"]["family"].as_str() {
            // Every RTDS DER payload has a known format.
            Some("DER") => assert!(matches!(typed, Ok(Some(Typed::Der(_)))), "{}", rec["id"]),
            Some("GBZ") if smets_gbcs::usecase::gbz::handles(code, cra) => {
                assert!(matches!(typed, Ok(Some(Typed::Gbz(_)))), "{}", rec["id"]);
            }
            _ if !ours => assert_eq!(typed, Ok(None), "{}", rec["id"]),
            _ => {}
        }
    }
}

#[test]
#[allow(clippy::too_many_lines)]
fn curated_meanings_hold() {
    let Some(recs) = records("curated.jsonl") else {
        return;
    };
    let mut checked = 0;
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let e = &rec["expected"];
        let Some(code) = e["message_code"].as_str() else {
            continue;
        };
        let code = u16::from_str_radix(code.trim_start_matches("0x"), 16).unwrap();
        let cra = match e["cra"].as_str().unwrap() {
            "command" => CraFlag::Command,
            "response" => CraFlag::Response,
            _ => CraFlag::Alert,
        };
        if rec["payload_type"] != "DLMS" || !dlms::handles(code, cra) {
            continue;
        }
        let payload = unhex(rec["hex"].as_str().unwrap());
        let plain = curated_plaintexts(rec, &payload, cra);
        let plain = borrowed(&plain);
        let typed = decode(code, cra, &payload, &plain).unwrap().unwrap();
        let invoke = e["invoke_id"].as_u64().map(|v| u32::try_from(v).unwrap());
        checked += 1;
        match (code, typed) {
            (0x0059, Typed::PlainRequest(r)) => {
                assert_eq!(Some(r.invoke_id), invoke);
                assert_eq!(r.read, PlainRead::Ecs52);
                let want = &e["requests"][0];
                let [AccessRequestSpecification::Get(a)] = r.read.specifications() else {
                    panic!("{id}")
                };
                assert_eq!(want["kind"], "get");
                assert_eq!(u64::from(a.class_id), want["class_id"].as_u64().unwrap());
                assert_eq!(a.instance_id.to_string(), want["obis"].as_str().unwrap());
                assert_eq!(
                    i64::from(a.attribute_id),
                    want["attribute_id"].as_i64().unwrap()
                );
                assert_eq!(e["data"], serde_json::json!([null]));
            }
            (0x0059, Typed::FirmwareVersion(r)) => {
                assert_eq!(Some(r.invoke_id), invoke);
                let v = r.reply.value().unwrap();
                assert_eq!(
                    v.version.to_string(),
                    e["data"][0]["octet_string"].as_str().unwrap()
                );
                assert_eq!(e["results"][0]["data_access_result"], 0);
            }
            (0x0069, Typed::MeterBalance(r)) => {
                if let Some(i) = invoke {
                    assert_eq!(r.invoke_id, i);
                }
                let v = r.reply.value().unwrap();
                assert_eq!(
                    i64::from(v.meter_balance),
                    e["data"][0]["double_long"].as_i64().unwrap()
                );
                assert_eq!(e["results"][0]["data_access_result"], 0);
            }
            (0x0037, Typed::ProtectedReadRequest(r)) => {
                let want = &e["requests"][0];
                let (po, class_id, obis) = r.read.objects();
                assert_eq!(want["kind"], "action");
                assert_eq!(want["class_id"], 30);
                assert_eq!(po.to_string(), want["obis"].as_str().unwrap());
                assert_eq!(want["method_id"], 1);
                let od = &e["method_parameter"]["object_definitions"][0];
                assert_eq!(u64::from(class_id), od["class_id"].as_u64().unwrap());
                assert_eq!(obis.to_string(), od["obis"].as_str().unwrap());
                assert_eq!(od["attribute_index"], 2);
                assert_eq!(od["data_index"], 0);
                assert_eq!(od["restriction"]["type"], 1);
                let ProtectedReadKind::Ecs22b { from, to } = r.read else {
                    panic!("{id}: {r:?}")
                };
                assert_eq!(from, utc(od["restriction"]["from"].as_str().unwrap()));
                assert_eq!(to, utc(od["restriction"]["to"].as_str().unwrap()));
            }
            (0x0037 | 0x0060, Typed::Profile(r)) => {
                let log = r.reply.value().unwrap().value.decrypted().unwrap();
                let ca = &e["decrypted"]["compact_array"];
                let entries: Vec<_> = log.entries().collect();
                let pair = |v: &Value| (utc(v[0].as_str().unwrap()), v[1].as_u64().unwrap());
                let got = |i: usize| (entries[i].timestamp, u64::from(entries[i].value));
                if let Some(n) = ca["entries"].as_u64() {
                    assert_eq!(
                        ca["type_description"],
                        "structure{double-long-unsigned, double-long-unsigned}"
                    );
                    assert_eq!(entries.len() as u64, n);
                    for (i, want) in ca["first"].as_array().unwrap().iter().enumerate() {
                        assert_eq!(got(i), pair(want), "{id}");
                    }
                    assert_eq!(got(entries.len() - 1), pair(&ca["last"]));
                    assert_eq!(entries[0].timestamp.0, 473_299_200);
                } else {
                    let want = ca["entries"].as_array().unwrap();
                    assert_eq!(entries.len(), want.len());
                    for (i, w) in want.iter().enumerate() {
                        assert_eq!(got(i), pair(w), "{id}");
                    }
                }
                assert!(entries.iter().all(|e| e.secondary_value.is_none()));
            }
            (0x002D, Typed::PrepayValues(r)) => {
                let v = r.reply.value().unwrap().value.decrypted().unwrap();
                let w = &e["decrypted"]["prepayment_balance_collection"];
                let f = |k: &str| i32::try_from(w[k].as_i64().unwrap()).unwrap();
                assert_eq!(v.meter_balance, f("meter_balance"));
                assert_eq!(v.emergency_credit_balance, f("emergency_credit_balance"));
                assert_eq!(v.accumulated_debt_register, f("accumulated_debt_register"));
                assert_eq!(v.time_debt_1_balance, f("time_debt_1_balance"));
                assert_eq!(v.time_debt_2_balance, f("time_debt_2_balance"));
                assert_eq!(v.payment_debt_balance, f("payment_debt_balance"));
            }
            (0x0048, Typed::EventLogRequest(r)) => {
                let want = &e["requests"][0];
                assert_eq!(want["kind"], "get-with-selection");
                assert_eq!(want["class_id"], 7);
                assert_eq!(r.log, EventLogKind::Event);
                assert_eq!(
                    r.log.logical_name().to_string(),
                    want["obis"].as_str().unwrap()
                );
                assert_eq!(want["access_selector"], 1);
                let rd = &want["range_descriptor"];
                assert_eq!(rd["restricting_object"]["obis"], "0-0:94.44.100.255");
                assert_eq!(u64::from(r.from.0), rd["from_value"].as_u64().unwrap());
                assert_eq!(u64::from(r.to.0), rd["to_value"].as_u64().unwrap());
                assert_eq!(rd["selected_values"], serde_json::json!([]));
            }
            (0x0048, Typed::EventLog(r)) => {
                let log = r.reply.value().unwrap();
                let ca = &e["data"][0]["compact_array"];
                assert_eq!(
                    ca["type_description"],
                    "structure{double-long-unsigned, long-unsigned, octet-string}"
                );
                for (got, want) in log.entries().zip(ca["first_entries"].as_array().unwrap()) {
                    assert_eq!(u64::from(got.timestamp.0), want[0].as_u64().unwrap());
                    assert_eq!(
                        format!("0x{:04X}", got.event_code.value()),
                        want[1].as_str().unwrap()
                    );
                    assert_eq!(got.data.unwrap().to_string(), want[2].as_str().unwrap());
                }
            }
            (0x0007, Typed::TopUpRequest(r)) => {
                assert_eq!(Some(r.invoke_id), invoke);
                let want = &e["requests"][0];
                assert_eq!(
                    (want["kind"].as_str(), want["class_id"].as_u64()),
                    (Some("action"), Some(115))
                );
                assert_eq!(want["obis"], "0-0:19.40.0.255");
                assert_eq!(want["method_id"], 1);
                assert_eq!(
                    r.utrn(),
                    e["data"][0]["octet_string_ascii"].as_str().unwrap()
                );
            }
            (0x0007, Typed::ActionOutcome(r)) => {
                assert_eq!(r.failure, None);
                assert_eq!(e["results"][0]["action_result"], 0);
                assert_eq!(e["data"], serde_json::json!([null]));
            }
            (0x0067, Typed::Alert(a)) => {
                assert_eq!(Some(a.invoke_id), invoke);
                assert_eq!(a.alert_code, AlertCode::SupplyOutageRestored);
                assert_eq!(e["alert_code"], "0x8F36");
                assert_eq!(
                    a.time_stamp.to_utc(),
                    Some(utc(e["alert_time"].as_str().unwrap()))
                );
                let AlertContent::OutageRestore {
                    interruption,
                    restoration,
                } = a.content
                else {
                    panic!("{id}")
                };
                assert_eq!(
                    interruption.to_utc(),
                    Some(utc(e["body"]["interruption"].as_str().unwrap()))
                );
                assert_eq!(
                    restoration.to_utc(),
                    Some(utc(e["body"]["restoration"].as_str().unwrap()))
                );
            }
            (0x1000, Typed::Alert(a)) => {
                assert_eq!(
                    a.alert_code,
                    AlertCode::SourceDoesNotHaveAuthorityForCommand
                );
                assert_eq!(e["alert_code"], "0x8F30");
                assert_eq!(
                    a.time_stamp.to_utc(),
                    Some(utc(e["alert_time"].as_str().unwrap()))
                );
                assert_eq!(a.content, AlertContent::None);
                assert_eq!(e["body"], serde_json::json!([]));
            }
            (0x00CC, Typed::Alert(a)) => {
                assert_eq!(
                    a.alert_code,
                    AlertCode::FutureDatedCommandSuccessfullyActioned
                );
                assert_eq!(e["alert_code"], "0x8F66");
                assert_eq!(
                    a.time_stamp.to_utc(),
                    Some(utc(e["alert_time"].as_str().unwrap()))
                );
                let AlertContent::FutureDatedExecution(x) = a.content else {
                    panic!("{id}")
                };
                let w = &e["future_dated_content (octet-string 19)"];
                assert_eq!(
                    format!("0x{:04X}", x.message_code),
                    w["message_code"].as_str().unwrap()
                );
                assert_eq!(
                    x.originator_counter,
                    w["originator_counter"].as_u64().unwrap()
                );
                assert_eq!(u64::from(x.class_id), w["class_id"].as_u64().unwrap());
                assert_eq!(x.obis.to_string(), w["obis"].as_str().unwrap());
                assert_eq!(
                    i64::from(x.attribute_id),
                    w["attribute_id"].as_i64().unwrap()
                );
            }
            (0x003A, Typed::Tariff(r)) => {
                let t = r.reply.value().unwrap();
                let w = &e["tariff (decodeECS24 in gbcs-parser test/tariff.test.ts)"];
                let seasons: Vec<_> = t.calendar.seasons().collect();
                let want = w["seasons"].as_array().unwrap();
                assert_eq!(seasons.len(), want.len());
                for (s, w) in seasons.iter().zip(want) {
                    assert_eq!(s.name.0, w["name"].as_str().unwrap().as_bytes());
                    assert_eq!(
                        s.week_profile.0,
                        [u8::try_from(w["weekProfile"].as_u64().unwrap()).unwrap()]
                    );
                    assert_eq!(u64::from(s.start.month), w["month"].as_u64().unwrap());
                }
                let weeks: Vec<Vec<u64>> = t
                    .calendar
                    .week_profiles()
                    .map(|p| p.days.iter().map(|d| u64::from(*d)).collect())
                    .collect();
                let want: Vec<Vec<u64>> =
                    serde_json::from_value(w["weekProfiles"].clone()).unwrap();
                assert_eq!(weeks, want);
                let days: Vec<_> = t.calendar.day_profiles().collect();
                let want = w["dayProfiles"].as_array().unwrap();
                assert_eq!(days.len(), want.len());
                for (d, w) in days.iter().zip(want) {
                    let actions: Vec<_> = d.actions().collect();
                    let w = w.as_array().unwrap();
                    assert_eq!(actions.len(), w.len());
                    for (a, w) in actions.iter().zip(w) {
                        assert_eq!(
                            u64::from(a.start_time.seconds_of_day().unwrap()),
                            w["startTime"].as_u64().unwrap()
                        );
                        let (mode, rate) = match a.switch() {
                            TariffSwitch::Tou(r) => ("tou", r),
                            TariffSwitch::Block(r) => ("block", r),
                        };
                        assert_eq!(mode, w["mode"].as_str().unwrap());
                        assert_eq!(u64::from(rate), w["action"].as_u64().unwrap());
                    }
                }
                let special: Vec<_> = t.calendar.special_days().collect();
                let want = w["specialDays"].as_array().unwrap();
                assert_eq!(special.len(), want.len());
                for (s, w) in special.iter().zip(want) {
                    assert_eq!(u64::from(s.date.month), w["month"].as_u64().unwrap());
                    assert_eq!(u64::from(s.date.day), w["dayOfMonth"].as_u64().unwrap());
                    assert_eq!(u64::from(s.day_id), w["dayProfile"].as_u64().unwrap());
                }
                let p = &w["pricing"];
                assert_eq!(
                    i64::from(t.price_scaling.price_scale),
                    p["priceScale"].as_i64().unwrap()
                );
                assert_eq!(
                    i64::from(t.standing_charge),
                    p["standingCharge"].as_i64().unwrap()
                );
                assert_eq!(
                    i64::from(t.standing_charge_scaling.price_scale),
                    p["standingChargeScale"].as_i64().unwrap()
                );
                // The DCC parser lists the TOU prices up to the last one set.
                let tous: Vec<i64> = serde_json::from_value(w["tous"].clone()).unwrap();
                let got: Vec<i64> = t.tou_prices.iter().map(|p| i64::from(*p)).collect();
                assert_eq!(got[..tous.len()], tous[..]);
                assert!(got[tous.len()..].iter().all(|p| *p == 0));
                // Its blocks[0]: TOU rate 1's thresholds, and its price in
                // each block the thresholds open (one threshold, two blocks).
                let b = &w["blocks[0]"];
                let thresholds: Vec<u64> =
                    t.calendar.thresholds(1).unwrap().map(u64::from).collect();
                assert_eq!(
                    thresholds,
                    serde_json::from_value::<Vec<u64>>(b["thresholds"].clone()).unwrap()
                );
                let prices: Vec<i64> = t
                    .block_prices
                    .iter()
                    .take(thresholds.len() + 1)
                    .map(|block| i64::from(block[0]))
                    .collect();
                assert_eq!(
                    prices,
                    serde_json::from_value::<Vec<i64>>(b["prices"].clone()).unwrap()
                );
                for cut in 0..payload.len() {
                    assert!(
                        decode(code, cra, &payload[..cut], &[]).is_err(),
                        "{id} cut {cut}"
                    );
                }
            }
            (c, t) => panic!("{id}: code {c:#06x} typed {t:?} not asserted"),
        }
    }
    assert!(checked >= 15, "{checked} curated records checked");
}

/// The header a command builder takes, from a record's envelope.
fn command_header(rec: &Value) -> CommandHeader {
    let env = &rec["envelope"];
    let eui = |k: &str| Eui64(u64::from_str_radix(env[k].as_str().unwrap(), 16).unwrap());
    CommandHeader {
        originator_counter: env["originator_counter"].as_u64().unwrap(),
        originator: eui("originator_system_title"),
        recipient: eui("recipient_system_title"),
    }
}

#[test]
fn every_rtds_command_builds_from_its_header_and_typed_fields() {
    let Some(recs) = typed_records() else { return };
    let mut built = 0;
    for rec in recs.iter().filter(|r| cra(r) == CraFlag::Command) {
        let id = rec["id"].as_str().unwrap();
        let payload = unhex(rec["payload"]["hex"].as_str().unwrap());
        let h = command_header(rec);
        let typed = decode(code(rec), CraFlag::Command, &payload, &[])
            .unwrap()
            .unwrap();
        // From the header and the use case's own inputs only.
        let (fresh, decoded) = match typed {
            Typed::ProtectedReadRequest(r) => {
                (ProtectedReadRequest::new(r.read, &h).to_vec(), r.to_vec())
            }
            Typed::PlainRequest(r) => (PlainRequest::new(r.read, &h).to_vec(), r.to_vec()),
            Typed::EventLogRequest(r) => (
                EventLogRequest::new(r.log, r.from, r.to, &h).to_vec(),
                r.to_vec(),
            ),
            Typed::TopUpRequest(r) => (
                TopUpRequest::new(r.utrn(), &h).unwrap().to_vec(),
                r.to_vec(),
            ),
            Typed::TariffUpdateRequest(r) => {
                let cal = &r.calendar;
                let seasons: Vec<_> = cal.seasons().collect();
                let weeks: Vec<_> = cal.week_profiles().collect();
                let actions: Vec<(u8, Vec<_>)> = cal
                    .day_profiles()
                    .map(|d| (d.day_id, d.actions().collect()))
                    .collect();
                let days: Vec<(u8, &[_])> = actions.iter().map(|(id, a)| (*id, &a[..])).collect();
                let special: Vec<_> = cal.special_days().collect();
                let thresholds: Vec<Vec<u32>> = (1..=8)
                    .map(|rate| cal.thresholds(rate).unwrap().collect())
                    .collect();
                let spec = TariffSpec {
                    seasons: &seasons,
                    week_profiles: &weeks,
                    day_profiles: &days,
                    special_days: &special,
                    thresholds: core::array::from_fn(|i| &thresholds[i][..]),
                    currency_unit: r.currency_unit,
                    standing_charge_scaling: r.standing_charge_scaling,
                    standing_charge: r.standing_charge,
                    price_scaling: r.price_scaling,
                    tou_prices: r.tou_prices,
                    block_prices: r.block_prices,
                    activation: r.activation,
                };
                (spec.to_vec(&h), r.to_vec())
            }
            Typed::PriceUpdateRequest(r) => (
                PriceUpdateRequest {
                    invoke_id: invoke_id(h.originator_counter),
                    ..r
                }
                .to_vec(),
                r.to_vec(),
            ),
            Typed::ClockSyncRequest(r) => (
                ClockSyncRequest::new(r.clock_base, r.validity_start, r.validity_end, &h).to_vec(),
                r.to_vec(),
            ),
            t => panic!("{id}: {t:?}"),
        };
        assert_eq!(
            hex::encode_upper(fresh.unwrap()),
            hex::encode_upper(&payload),
            "{id}"
        );
        assert_eq!(decoded.unwrap(), payload, "{id}");
        built += 1;
    }
    // ECS17b 2, ECS19 2, ECS21a 2, ECS22b 3, ECS66 1, ECS35a/b 4, ECS52 2,
    // ECS82 2, CS01a 2, ECS70 3, ECS01b 9, ECS24 2, ECS01a 8.
    assert_eq!(built, 42);
}

#[test]
fn the_ecs22b_command_from_its_range() {
    let Some(recs) = typed_records() else { return };
    let rec = recs
        .iter()
        .find(|r| {
            r["id"]
                .as_str()
                .unwrap()
                .ends_with("ECS22b_4.8.1_SINGLE_SUCCESS_COMMAND")
        })
        .unwrap();
    let read = ProtectedReadKind::Ecs22b {
        from: utc("2014-12-31T00:00:00"),
        to: utc("2015-01-01T00:00:00"),
    };
    let built = ProtectedReadRequest::new(read, &command_header(rec))
        .to_vec()
        .unwrap();
    assert_eq!(built, unhex(rec["payload"]["hex"].as_str().unwrap()));
}

/// Every typed RTDS payload serializes, under a snake_case variant name,
/// and the JSON carries its values (times as ISO 8601, codes by name).
#[cfg(feature = "serde")]
#[test]
fn every_typed_payload_serializes_as_json() {
    let Some(recs) = typed_records() else { return };
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let payload = unhex(rec["payload"]["hex"].as_str().unwrap());
        let plain = plaintexts(rec);
        let plain = borrowed(&plain);
        let typed = decode(code(rec), cra(rec), &payload, &plain)
            .unwrap()
            .unwrap();
        let v = serde_json::to_value(typed).unwrap();
        let (variant, body) = v.as_object().unwrap().iter().next().unwrap();
        assert!(
            variant.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{id}: {variant}"
        );
        assert!(body.is_object(), "{id}");
        if id.ends_with("ECS22b_4.8.1_SINGLE_SUCCESS_RESPONSE") {
            let first = &body["reply"]["value"]["value"]["decrypted"][0];
            assert_eq!(first["timestamp"], "2014-12-31T00:00:00Z");
            assert_eq!(first["value"], 95);
        }
        if id.ends_with("GCA-DLMS_NA_8F30_ALERT") {
            assert_eq!(
                body["alert_code"],
                "source_does_not_have_authority_for_command"
            );
            assert_eq!(body["content"], "none");
        }
    }
}
