#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]

use alloc::vec::Vec;

use proptest::prelude::*;
use smets_core::Encode;

use super::*;
use crate::zcl::tunneling::TunnelingCommand;

/// The fields of one record as arguments (records hold plain values only).
fn record_args(fields: Fields<'_>) -> Vec<Arg<'_>> {
    fields
        .map(|f| match f.value {
            Value::Zcl(v) => Arg::Zcl(v),
            Value::Octets(b) => Arg::Octets(b),
            Value::Records(_) => panic!("records nest one level"),
        })
        .collect()
}

/// Re-encodes a decoded payload from its field values, through the
/// encoder (`CommandPayload`), conditions and all.
fn reencode(fields: &'static [Field], payload: &[u8]) -> Vec<u8> {
    let mut top: Vec<Option<Arg<'_>>> = Vec::new();
    let mut records: Vec<Vec<Arg<'_>>> = Vec::new();
    for f in Fields::new(fields, payload) {
        match f.value {
            Value::Zcl(v) => top.push(Some(Arg::Zcl(v))),
            Value::Octets(b) => top.push(Some(Arg::Octets(b))),
            Value::Records(rs) => {
                records = rs.iter().map(record_args).collect();
                top.push(None);
            }
        }
    }
    let refs: Vec<&[Arg<'_>]> = records.iter().map(Vec::as_slice).collect();
    let args: Vec<Arg<'_>> = top
        .into_iter()
        .map(|a| a.unwrap_or(Arg::Records(&refs)))
        .collect();
    let mut out = Vec::new();
    encode_args(fields, &args, &mut out).unwrap();
    out
}

#[test]
fn catalogue_is_consistent() {
    let mut last = None;
    for c in CLUSTERS {
        assert!(last < Some(c.id), "clusters in id order");
        last = Some(c.id);
        assert_eq!(cluster(c.id).map(|x| x.id), Some(c.id));
        assert!(!c.name.is_empty() && !c.clause.is_empty());
        assert!(c.label.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        for list in [c.received, c.generated] {
            for (i, cmd) in list.iter().enumerate() {
                assert!(
                    list[..i].iter().all(|o| o.id != cmd.id),
                    "{} {} twice",
                    c.name,
                    cmd.name
                );
                assert!(
                    cmd.label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{}",
                    cmd.label
                );
                check_fields(cmd.fields, c.name, cmd.name);
            }
        }
        for list in [c.attributes, c.client_attributes] {
            for (i, a) in list.iter().enumerate() {
                assert!(a.count >= 1 && a.step >= 1, "{}", a.name);
                assert_eq!(a.count > 1, a.name.contains("{n}"), "{}", a.name);
                for n in 0..a.count {
                    let id = a.id + n * a.step;
                    let owners = list.iter().filter(|o| o.member(id).is_some()).count();
                    assert_eq!(owners, 1, "{} {:#06x} ({}) named twice", c.name, id, a.name);
                }
                let _ = i;
            }
        }
    }
}

fn check_fields(fields: &'static [Field], cluster: &str, command: &str) {
    let mut optional = false;
    for (i, f) in fields.iter().enumerate() {
        let last = i + 1 == fields.len();
        assert!(
            f.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{cluster} {command}: {}",
            f.name
        );
        assert!(
            !optional || f.optional,
            "{cluster} {command}: optional fields trail"
        );
        optional |= f.optional;
        match f.kind {
            FieldKind::Rest | FieldKind::Records(_) => {
                assert!(last, "{cluster} {command}: {} must be last", f.name);
            }
            FieldKind::Value(t) => {
                assert!(
                    !matches!(
                        t,
                        DataType::Unknown(_) | DataType::UnknownType | DataType::NoData
                    ),
                    "{cluster} {command}: {}",
                    f.name
                );
            }
            FieldKind::Octets(n) => assert!(n > 0),
        }
        if let FieldKind::Records(inner) = f.kind {
            assert!(!inner.is_empty());
            for g in inner {
                assert!(
                    !g.optional,
                    "{cluster} {command}: no optional fields in records"
                );
                assert!(
                    !matches!(g.kind, FieldKind::Records(_)),
                    "{cluster} {command}: records nest one level"
                );
            }
            check_fields(inner, cluster, command);
        }
    }
}

fn every_command() -> impl Iterator<Item = (&'static Cluster, Direction, &'static Command)> {
    CLUSTERS.iter().flat_map(|c| {
        c.received
            .iter()
            .map(move |cmd| (*c, Direction::ToServer, cmd))
            .chain(
                c.generated
                    .iter()
                    .map(move |cmd| (*c, Direction::ToClient, cmd)),
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every command of every cluster: a payload built to its fields decodes,
    /// yields each field, re-encodes from the decoded values to the same
    /// bytes, and every proper prefix that cuts a mandatory field fails.
    #[test]
    fn every_command_round_trips(
        seed in proptest::collection::vec(any::<u8>(), 0..512),
        records in 0usize..4,
    ) {
        for (c, dir, cmd) in every_command() {
            let mut src = seed.iter().copied().cycle();
            let payload = synthesize(cmd.fields, records, &mut src);
            let decoded = ClusterCommand::decode(c.id, dir, cmd.id, &payload)
                .unwrap_or_else(|e| panic!("{} {}: {e}", c.name, cmd.name))
                .expect("in the catalogue");
            prop_assert_eq!(decoded.command, cmd);
            prop_assert!(decoded.fields().count() <= cmd.fields.len());
            prop_assert_eq!(reencode(cmd.fields, &payload), payload.clone());
            prop_assert_eq!(decoded.to_vec().unwrap(), payload.clone());
            let mandatory_end = {
                let n = cmd.fields.iter().take_while(|f| !f.optional).count();
                reencode(&cmd.fields[..n], &payload).len()
            };
            // A cut inside a `Rest` or `Records` field can be a shorter
            // valid payload; before those, every cut must fail.
            let fixed_end = {
                let n = cmd
                    .fields
                    .iter()
                    .take_while(|f| !matches!(f.kind, FieldKind::Rest | FieldKind::Records(_)))
                    .count();
                mandatory_end.min(reencode(&cmd.fields[..n], &payload).len())
            };
            for cut in 0..fixed_end {
                prop_assert!(
                    ClusterCommand::decode(c.id, dir, cmd.id, &payload[..cut]).is_err(),
                    "{} {} accepted a cut at {}", c.name, cmd.name, cut
                );
            }
        }
    }

    /// Arbitrary bytes never panic the decoder, and whatever decodes
    /// re-encodes to itself.
    #[test]
    fn arbitrary_payloads(payload in proptest::collection::vec(any::<u8>(), 0..96)) {
        for (c, dir, cmd) in every_command() {
            if let Ok(Some(d)) = ClusterCommand::decode(c.id, dir, cmd.id, &payload) {
                prop_assert_eq!(reencode(cmd.fields, &payload), payload.clone());
                prop_assert_eq!(d.fields().count() <= cmd.fields.len(), true);
            }
        }
    }
}

#[test]
fn tunneling_table_agrees_with_the_typed_commands() {
    let cases: &[(Direction, u8, &[u8])] = &[
        (
            Direction::ToServer,
            0x00,
            &[0x06, 0xff, 0xff, 0x00, 0xdc, 0x05],
        ),
        (Direction::ToClient, 0x00, &[0x00, 0x00, 0x00, 0xdc, 0x05]),
        (Direction::ToServer, 0x02, &[0x00, 0x00, 0x03, 0xdd, 0x00]),
        (
            Direction::ToClient,
            0x05,
            &[0x01, 0x02, 0xff, 0xff, 0x06, 0x34, 0x12, 0xc8],
        ),
    ];
    for &(dir, id, payload) in cases {
        let typed = TunnelingCommand::decode(dir, id, payload).unwrap();
        let table = ClusterCommand::decode(0x0704, dir, id, payload)
            .unwrap()
            .unwrap();
        assert_eq!(typed.label(), Some(table.command.label));
        match typed {
            TunnelingCommand::RequestTunnel {
                protocol,
                max_incoming_transfer_size,
                ..
            } => {
                let p = table.field("protocol_id").unwrap();
                assert_eq!(p.value.as_u64(), Some(u64::from(protocol.value())));
                assert_eq!(p.spec.value_name(6), Some("gb_hrgp"));
                assert_eq!(
                    table
                        .field("maximum_incoming_transfer_size")
                        .unwrap()
                        .value
                        .as_u64(),
                    Some(u64::from(max_incoming_transfer_size))
                );
            }
            TunnelingCommand::TransferData {
                tunnel_id, data, ..
            } => {
                assert_eq!(
                    table.field("tunnel_id").unwrap().value.as_u64(),
                    Some(u64::from(tunnel_id))
                );
                assert_eq!(table.field("data").unwrap().value.as_bytes(), Some(data));
            }
            TunnelingCommand::SupportedTunnelProtocolsResponse { protocols, .. } => {
                let Value::Records(rs) = table.field("protocols").unwrap().value else {
                    panic!("records")
                };
                assert_eq!(rs.len(), protocols.len());
                for (rec, p) in rs.iter().zip(protocols.iter()) {
                    let vals: Vec<u64> = rec.map(|f| f.value.as_u64().unwrap()).collect();
                    assert_eq!(
                        vals,
                        [
                            u64::from(p.manufacturer_code),
                            u64::from(p.protocol.value())
                        ]
                    );
                }
            }
            _ => {}
        }
    }
}

#[test]
fn errors_name_the_zcl_layer_and_offset() {
    // Request Tunnel cut inside its maximum transfer size.
    let e = ClusterCommand::decode(
        0x0704,
        Direction::ToServer,
        0x00,
        &[0x06, 0xff, 0xff, 0x00, 0xdc],
    )
    .unwrap_err();
    assert_eq!((e.layer, e.offset), (Layer::Zcl, 4));
    // A record cut short: the offset is within the whole payload.
    let e = ClusterCommand::decode(
        0x0704,
        Direction::ToClient,
        0x05,
        &[0x01, 0x02, 0xff, 0xff, 0x06, 0x34],
    )
    .unwrap_err();
    assert_eq!((e.layer, e.offset), (Layer::Zcl, 5));
    // Trailing bytes after the last field.
    let e = ClusterCommand::decode(0x0704, Direction::ToServer, 0x01, &[0, 0, 9]).unwrap_err();
    assert_eq!((e.layer, e.offset), (Layer::Zcl, 2));
}

#[test]
fn unknown_clusters_and_commands_are_not_errors() {
    assert_eq!(
        ClusterCommand::decode(0x1234, Direction::ToServer, 0, &[]),
        Ok(None)
    );
    assert_eq!(
        ClusterCommand::decode(0x0704, Direction::ToServer, 0x7f, &[]),
        Ok(None)
    );
}

#[test]
fn attribute_families_name_their_members() {
    static C: Cluster = Cluster {
        id: 0xfc00,
        name: "Test",
        label: "test",
        clause: "-",
        attributes: &[
            Attribute::family(
                0x0100,
                48,
                2,
                1,
                "CurrentTier{n}SummationDelivered",
                DataType::Uint48,
            ),
            Attribute::family(
                0x0101,
                48,
                2,
                1,
                "CurrentTier{n}SummationReceived",
                DataType::Uint48,
            ),
        ],
        client_attributes: &[],
        received: &[],
        generated: &[],
    };
    let a = C.attribute(false, 0x0104).unwrap();
    assert_eq!(
        alloc::format!("{}", a.name()),
        "CurrentTier3SummationDelivered"
    );
    let a = C.attribute(false, 0x015f).unwrap();
    assert_eq!(
        alloc::format!("{}", a.name()),
        "CurrentTier48SummationReceived"
    );
    assert!(C.attribute(false, 0x0160).is_none());
    assert_eq!(
        C.attribute(false, 0xfffe).map(|a| a.spec.name),
        Some("AttributeReportingStatus")
    );
}

#[test]
fn encoding_checks_types_and_presence() {
    let request = cluster(0x0704)
        .unwrap()
        .command(Direction::ToServer, 0x00)
        .unwrap();
    let args = [
        Arg::Zcl(ZclValue::Enum8(6)),
        Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 0xffff)),
        Arg::Zcl(ZclValue::Boolean(0)),
        Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 1500)),
    ];
    assert_eq!(
        CommandPayload::new(request, &args).to_vec().unwrap(),
        [0x06, 0xff, 0xff, 0x00, 0xdc, 0x05]
    );
    // A missing mandatory field, a wrong type, one argument too many.
    assert!(CommandPayload::new(request, &args[..3]).to_vec().is_err());
    let mut wrong = args;
    wrong[3] = Arg::Zcl(ZclValue::Unsigned(DataType::Uint8, 1));
    assert!(CommandPayload::new(request, &wrong).to_vec().is_err());
    let mut more = args.to_vec();
    more.push(Arg::Octets(&[1]));
    assert!(CommandPayload::new(request, &more).to_vec().is_err());
    // Records encode one after the other.
    let response = cluster(0x0704)
        .unwrap()
        .command(Direction::ToClient, 0x05)
        .unwrap();
    let rec: &[Arg<'_>] = &[
        Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 0xffff)),
        Arg::Zcl(ZclValue::Enum8(6)),
    ];
    let recs: &[&[Arg<'_>]] = &[rec, rec];
    let out = CommandPayload::new(
        response,
        &[
            Arg::Zcl(ZclValue::Boolean(1)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint8, 2)),
            Arg::Records(recs),
        ],
    )
    .to_vec()
    .unwrap();
    assert_eq!(out, [1, 2, 0xff, 0xff, 6, 0xff, 0xff, 6]);
}

#[test]
fn attribute_side_follows_the_command() {
    // Read Attributes to the server asks for server attributes; its response
    // comes back from the server; a report from the server is about its own.
    assert!(!attributes_are_client(Direction::ToServer, 0x00));
    assert!(!attributes_are_client(Direction::ToClient, 0x01));
    assert!(!attributes_are_client(Direction::ToClient, 0x0a));
    assert!(attributes_are_client(Direction::ToServer, 0x0a));
    assert!(attributes_are_client(Direction::ToClient, 0x00));
}

#[test]
fn conditional_fields_follow_the_field_they_name() {
    // OTA Image Block Request: the node address only with field-control
    // bit 0, the minimum block period only with bit 1.
    let request = cluster(0x0019)
        .unwrap()
        .command(Direction::ToServer, 0x03)
        .unwrap();
    let head = |control: u64| {
        [
            Arg::Zcl(ZclValue::Bits(DataType::Bitmap8, control)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 0x1234)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 0x5678)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint32, 1)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint32, 64)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint8, 48)),
        ]
    };
    let period = Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 100));
    let mut args = head(0x02).to_vec();
    args.push(period);
    let bytes = CommandPayload::new(request, &args).to_vec().unwrap();
    assert_eq!(bytes.len(), 16);
    assert_eq!(&bytes[14..], [100, 0]);
    let c = ClusterCommand::decode(0x0019, Direction::ToServer, 0x03, &bytes)
        .unwrap()
        .unwrap();
    assert!(c.field("request_node_address").is_none());
    assert_eq!(
        c.field("minimum_block_period").unwrap().value.as_u64(),
        Some(100)
    );
    // The period announced but not given; given but not announced.
    assert!(CommandPayload::new(request, &head(0x02)).to_vec().is_err());
    let mut extra = head(0x00).to_vec();
    extra.push(period);
    assert!(CommandPayload::new(request, &extra).to_vec().is_err());
    // Bit 0 alone: the address, and an address-less payload is cut short.
    let mut with_address = head(0x01).to_vec();
    with_address.push(Arg::Zcl(ZclValue::IeeeAddress(smets_core::Eui64(7))));
    let bytes = CommandPayload::new(request, &with_address)
        .to_vec()
        .unwrap();
    assert_eq!(bytes.len(), 22);
    assert!(ClusterCommand::decode(0x0019, Direction::ToServer, 0x03, &bytes[..14]).is_err());
}
