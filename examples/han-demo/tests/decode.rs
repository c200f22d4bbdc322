//! The committed capture decodes completely with the committed keys file:
//! every frame without error, every secured layer opened, the network key
//! learned from the Transport Key, the fragmented messages reassembled, the
//! Metering formatting learned and applied, the cluster commands named with
//! their fields, the GBCS messages rebuilt from their GBT blocks, and the
//! values the scenario put in come back out. The same through
//! `smets decode --format ndjson`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::too_many_lines)]

mod common;

use std::process::Command;

use han_demo::{ESME, HUB, IHD, PAN_ID, gbcs};
use smets_cli::Format;
use smets_zigbee::aps::{ApsCommand, Fragmentation, KeyDescriptor, KeyType};
use smets_zigbee::dissector::{
    Dissector, DissectorOptions, KeyRing, KeySource, KeyUsed, LearnedKey, LinkKeyUse,
    SecurityOutcome,
};
use smets_zigbee::mac::{AssociationStatus, FcsMode, MacAddress, MacCommand};
use smets_zigbee::nwk::{NwkCommand, StackProfile};
use smets_zigbee::zcl::cluster::{self, ClusterCommand, Quantity};
use smets_zigbee::zcl::tunneling::gbcs::GbcsTunnelCommand;
use smets_zigbee::zcl::{Direction, FoundationCommand, FrameType, GeneralCommand, ZclCommand};
use smets_zigbee::zdp::{Status, ZdpCommand};

fn frames() -> Vec<(usize, Vec<u8>, u64)> {
    let data = std::fs::read(common::capture_path()).unwrap();
    let capture = smets_cli::capture::open(&data).unwrap();
    capture
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r.number, r.frame.to_vec(), r.timestamp.unwrap().as_secs())
        })
        .collect()
}

/// `(attribute id, data type, value)` records of a Read Attributes Response
/// whose records all succeeded, or of a Report Attributes.
fn attribute_records(mut p: &[u8], with_status: bool) -> Vec<(u16, u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !p.is_empty() {
        let id = u16::from_le_bytes([p[0], p[1]]);
        p = &p[2..];
        if with_status {
            assert_eq!(p[0], 0x00, "status of attribute {id:#06x}");
            p = &p[1..];
        }
        let ty = p[0];
        let len = match ty {
            0x18 | 0x30 => 1,
            0x22 => 3,
            0x2a => 3,
            0x25 => 6,
            0xe2 => 4,
            _ => panic!("data type {ty:#04x}"),
        };
        out.push((id, ty, p[1..=len].to_vec()));
        p = &p[1 + len..];
    }
    out
}

fn le(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .rev()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// A Transfer Data as decoded: frame, GBT block number, last block, the
/// whole GBCS message when it completes one, the number of blocks it came in.
type Transfer = (usize, u16, bool, Option<Vec<u8>>, Option<u16>);

fn u(c: &ClusterCommand<'_>, field: &str) -> u64 {
    c.field(field)
        .unwrap_or_else(|| panic!("{}: no {field}", c.command.name))
        .value
        .as_u64()
        .unwrap_or_else(|| panic!("{}: {field} not a number", c.command.name))
}

fn bytes<'a>(c: &ClusterCommand<'a>, field: &str) -> &'a [u8] {
    c.field(field).unwrap().value.as_bytes().unwrap()
}

/// The cluster command of frame `n` (sent at `secs`), by name and field.
fn check_cluster_command(n: usize, c: &ClusterCommand<'_>, secs: u64) {
    let names = (c.cluster.name, c.command.name, c.direction);
    let now = secs - 946_684_800;
    match n {
        35 => {
            assert_eq!(names, ("Messaging", "Display Message", Direction::ToClient));
            assert_eq!(u(c, "message_id"), u64::from(han_demo::MESSAGE_ID));
            assert_eq!(bytes(c, "message"), han_demo::MESSAGE.as_bytes());
        }
        39 => {
            assert_eq!(
                names,
                ("Messaging", "Message Confirmation", Direction::ToServer)
            );
            assert_eq!(u(c, "message_id"), u64::from(han_demo::MESSAGE_ID));
            assert_eq!(u(c, "confirmation_time"), now);
            assert!(c.field("message_confirmation_control").is_none());
        }
        41 => {
            assert_eq!(names, ("Price", "Publish Price", Direction::ToClient));
            assert_eq!(u(c, "provider_id"), u64::from(han_demo::PRICE_PROVIDER_ID));
            assert_eq!(bytes(c, "rate_label"), b"Standard");
            assert_eq!(
                u(c, "issuer_event_id"),
                u64::from(han_demo::PRICE_ISSUER_EVENT_ID)
            );
            assert_eq!(u(c, "current_time"), now);
            assert_eq!(u(c, "unit_of_measure"), 0);
            assert_eq!(u(c, "currency"), 826);
            assert_eq!(u(c, "price_trailing_digit_and_price_tier"), 0x41);
            assert_eq!(u(c, "number_of_price_tiers_and_register_tier"), 0x11);
            assert_eq!(u(c, "start_time"), u64::from(han_demo::PRICE_START_TIME));
            assert_eq!(u(c, "duration_in_minutes"), 0xffff);
            assert_eq!(u(c, "price"), 2450);
            assert!(c.field("price_ratio").is_none());
        }
        43 => {
            assert_eq!(
                names,
                ("Prepayment", "Consumer Top Up", Direction::ToServer)
            );
            let f = c.field("originating_device").unwrap();
            assert_eq!(f.value.as_u64(), Some(2));
            assert_eq!(f.spec.value_name(2), Some("in_home_display"));
            assert_eq!(bytes(c, "top_up_code"), han_demo::UTRN.as_bytes());
            assert_eq!(bytes(c, "top_up_code").len(), 20);
        }
        45 => {
            assert_eq!(
                names,
                (
                    "Prepayment",
                    "Consumer Top Up Response",
                    Direction::ToClient
                )
            );
            assert_eq!(u(c, "result_type"), 0);
            assert_eq!(u(c, "top_up_value"), 1000);
            assert_eq!(u(c, "source_of_top_up"), 2);
            assert_eq!(u(c, "credit_remaining"), 2350);
        }
        47 => {
            assert_eq!(names, ("Tunneling", "Request Tunnel", Direction::ToServer));
            let p = c.field("protocol_id").unwrap();
            assert_eq!(p.value.as_u64(), Some(6));
            assert_eq!(p.spec.value_name(6), Some("gb_hrgp"));
            assert_eq!(u(c, "manufacturer_code"), 0xffff);
            assert_eq!(u(c, "flow_control_support"), 0);
            assert_eq!(u(c, "maximum_incoming_transfer_size"), 1500);
        }
        49 => {
            assert_eq!(
                names,
                ("Tunneling", "Request Tunnel Response", Direction::ToClient)
            );
            assert_eq!(u(c, "tunnel_id"), 1);
            let st = c.field("tunnel_status").unwrap();
            assert_eq!(st.value.as_u64(), Some(0));
            assert_eq!(st.spec.value_name(0), Some("success"));
            assert_eq!(u(c, "maximum_incoming_transfer_size"), 1500);
        }
        53 | 59 | 63 => {
            assert_eq!(names, ("Tunneling", "Transfer Data", Direction::ToClient));
            assert_eq!(c.command.id, 0x01);
            assert_eq!(u(c, "tunnel_id"), 1);
            assert_eq!(bytes(c, "data")[0], 0x03, "PUT");
        }
        67 | 73 | 79 | 85 | 91 | 97 => {
            assert_eq!(names, ("Tunneling", "Transfer Data", Direction::ToServer));
            assert_eq!(c.command.id, 0x02);
            assert_eq!(u(c, "tunnel_id"), 1);
            assert_eq!(bytes(c, "data")[0], 0x03, "PUT");
        }
        _ => panic!("frame {n}: unexpected {names:?}"),
    }
}

#[test]
fn every_frame_decodes_and_every_secured_layer_opens() {
    let frames = frames();
    assert_eq!(frames.len(), 100);
    let ring = common::key_ring();
    assert!(
        ring.network_keys().is_empty(),
        "the keys file holds no network key"
    );
    let mut d = Dissector::new(ring, DissectorOptions::default());
    let keys = han_demo::test_keys().unwrap();
    let ihd_ic_key = keys.ihd_install_code.link_key();
    let mut secured = 0;
    let mut learned_at = None;
    let mut reassembled = None;
    let mut transfers: Vec<Transfer> = Vec::new();
    let mut cluster_commands = 0;

    for (n, bytes, secs) in &frames {
        let x = d.dissect(bytes, FcsMode::Present);
        assert!(x.error.is_none(), "frame {n}: {:?}", x.error);
        let mac = x.mac.unwrap();
        assert!(mac.fcs.unwrap().valid, "frame {n}: FCS");
        for sec in [x.nwk_security, x.aps.as_ref().and_then(|a| a.security)]
            .into_iter()
            .flatten()
        {
            assert!(sec.decrypted(), "frame {n}: {:?}", sec.outcome);
            assert!(!sec.replay, "frame {n}: replay");
            secured += 1;
        }
        let aps = x.aps.as_ref();
        let cluster = aps.and_then(|a| a.frame.cluster);
        match n {
            1 => assert_eq!(x.mac_command, Some(MacCommand::BeaconRequest)),
            2 => {
                let b = x.beacon.unwrap();
                assert!(b.superframe.association_permit && b.superframe.pan_coordinator);
                assert_eq!(mac.src_pan, Some(PAN_ID));
                let z = x.zigbee_beacon.unwrap();
                assert_eq!(z.stack_profile, StackProfile::ZigbeePro);
                assert_eq!(z.extended_pan_id, han_demo::EXTENDED_PAN_ID);
                assert!(z.router_capacity && z.end_device_capacity);
            }
            3 => {
                let Some(MacCommand::AssociationRequest(c)) = x.mac_command else {
                    panic!("frame 3: {:?}", x.mac_command)
                };
                assert!(c.allocate_address && c.full_function_device);
                assert_eq!(mac.src, Some(MacAddress::Extended(IHD.eui)));
            }
            5 => assert_eq!(x.mac_command, Some(MacCommand::DataRequest)),
            6 => assert!(mac.frame_control.frame_pending),
            7 => assert_eq!(
                x.mac_command,
                Some(MacCommand::AssociationResponse {
                    short_address: IHD.short,
                    status: AssociationStatus::Successful
                })
            ),
            9 => {
                let a = aps.unwrap();
                assert!(x.nwk_security.is_none(), "Transport Key is NWK-unsecured");
                let sec = a.security.unwrap();
                let SecurityOutcome::Decrypted(KeyUsed::Link(i, LinkKeyUse::KeyTransport)) =
                    sec.outcome
                else {
                    panic!("frame 9: {:?}", sec.outcome)
                };
                learned_at = Some((i, x.learned_key));
                let Some(ApsCommand::TransportKey(tk)) = &a.command else {
                    panic!("frame 9: {:?}", a.command)
                };
                assert_eq!(tk.key_type, KeyType::StandardNetworkKey);
                assert_eq!(tk.key, keys.network);
                assert_eq!(
                    tk.descriptor,
                    KeyDescriptor::Network {
                        key_seq: 0,
                        destination: IHD.eui,
                        source: HUB.eui
                    }
                );
            }
            11 => {
                let z = x.zdp.unwrap();
                let ZdpCommand::DeviceAnnce {
                    nwk_addr,
                    ieee_addr,
                    capability,
                } = z.command
                else {
                    panic!("frame 11: {z:?}")
                };
                assert_eq!((nwk_addr, ieee_addr), (IHD.short, IHD.eui));
                assert!(capability.allocate_address);
                assert_eq!(x.nwk.unwrap().dst, 0xfffd);
            }
            12 => {
                let Some(NwkCommand::LinkStatus(ls)) = x.nwk_command else {
                    panic!("frame 12: {:?}", x.nwk_command)
                };
                let e: Vec<_> = ls
                    .entries()
                    .map(|e| (e.address, e.incoming_cost, e.outgoing_cost))
                    .collect();
                assert_eq!(e, [(ESME.short, 1, 1), (IHD.short, 1, 3)]);
                assert!(ls.first_frame && ls.last_frame);
            }
            13 => {
                let ZdpCommand::MatchDescReq {
                    nwk_addr_of_interest,
                    profile_id,
                    input_clusters,
                    output_clusters,
                } = x.zdp.unwrap().command
                else {
                    panic!("frame 13")
                };
                assert_eq!((nwk_addr_of_interest, profile_id), (ESME.short, 0x0109));
                assert_eq!(input_clusters.iter().collect::<Vec<_>>(), [0x0702]);
                assert!(output_clusters.is_empty());
            }
            15 => {
                let ZdpCommand::MatchDescRsp {
                    status, endpoints, ..
                } = x.zdp.unwrap().command
                else {
                    panic!("frame 15")
                };
                assert_eq!((status, endpoints), (Status::Success, &[1u8][..]));
            }
            17 => assert!(matches!(
                x.zdp.unwrap().command,
                ZdpCommand::SimpleDescReq {
                    nwk_addr_of_interest: 0x5e11,
                    endpoint: 1
                }
            )),
            19 => {
                let ZdpCommand::SimpleDescRsp {
                    status,
                    descriptor: Some(sd),
                    ..
                } = x.zdp.unwrap().command
                else {
                    panic!("frame 19")
                };
                assert_eq!(status, Status::Success);
                assert_eq!(
                    (sd.endpoint, sd.profile_id, sd.device_id),
                    (1, 0x0109, 0x0501)
                );
                assert!(sd.input_clusters.iter().any(|c| c == 0x0702));
            }
            21 | 25 => {
                let z = x.zcl.unwrap();
                assert_eq!(z.general_command(), Some(GeneralCommand::ReadAttributes));
                assert_eq!(z.frame_control.direction, Direction::ToServer);
                let ids: &[u8] = if *n == 21 {
                    &[0, 0, 0, 3, 1, 3, 2, 3, 3, 3, 4, 3]
                } else {
                    &[0, 0, 1, 0]
                };
                assert_eq!(z.payload, ids);
                assert_eq!(cluster, Some(if *n == 21 { 0x0702 } else { 0x000a }));
                if *n == 21 {
                    assert_eq!(x.metering_formatting, None, "nothing learned yet");
                }
            }
            23 => {
                let z = x.zcl.unwrap();
                assert_eq!(
                    z.general_command(),
                    Some(GeneralCommand::ReadAttributesResponse)
                );
                let r = attribute_records(z.payload, true);
                let ids: Vec<_> = r.iter().map(|r| (r.0, r.1)).collect();
                assert_eq!(
                    ids,
                    [
                        (0x0000, 0x25),
                        (0x0300, 0x30),
                        (0x0301, 0x22),
                        (0x0302, 0x22),
                        (0x0303, 0x18),
                        (0x0304, 0x18)
                    ]
                );
                assert_eq!(le(&r[0].2), han_demo::SUMMATION_READ);
                assert_eq!(r[1].2, [han_demo::UNIT_OF_MEASURE]);
                assert_eq!(le(&r[2].2), u64::from(han_demo::MULTIPLIER));
                assert_eq!(le(&r[3].2), u64::from(han_demo::DIVISOR));
                assert_eq!(r[4].2, [han_demo::SUMMATION_FORMATTING]);
                assert_eq!(r[5].2, [han_demo::DEMAND_FORMATTING]);

                let f = x.metering_formatting.unwrap();
                assert_eq!(f.unit_of_measure.map(|u| u.value()), Some(0));
                assert_eq!((f.multiplier, f.divisor), (Some(1), Some(1000)));
                assert_eq!(f.summation_formatting, Some(0x2b));
                assert_eq!(f.demand_formatting, Some(0x1b));
                let Some(ZclCommand::Foundation(FoundationCommand::ReadAttributesResponse(rs))) =
                    x.zcl_command
                else {
                    panic!("frame 23: {:?}", x.zcl_command)
                };
                let metering = cluster::cluster(0x0702).unwrap();
                let first = rs.iter().next().unwrap().unwrap();
                let spec = metering.attribute(false, first.id).unwrap().spec;
                assert_eq!(spec.name, "CurrentSummationDelivered");
                assert_eq!(spec.quantity, Quantity::Summation);
                let scaled = f.scale(spec.quantity, &first.value.unwrap()).unwrap();
                assert_eq!(scaled.to_string(), "12345.678 kWh");
            }
            27 => {
                let z = x.zcl.unwrap();
                assert_eq!(cluster, Some(0x000a));
                let r = attribute_records(z.payload, true);
                assert_eq!((r[0].0, r[0].1), (0x0000, 0xe2));
                assert_eq!(le(&r[0].2), secs - 946_684_800, "UTC time since 2000");
                assert_eq!((r[1].0, r[1].1), (0x0001, 0x18));
                assert_eq!(r[1].2, [han_demo::TIME_STATUS]);
            }
            29 => {
                let z = x.zcl.unwrap();
                assert_eq!(z.general_command(), Some(GeneralCommand::ReportAttributes));
                assert_eq!(mac.src, Some(MacAddress::Short(ESME.short)));
                let r = attribute_records(z.payload, false);
                assert_eq!((r[0].0, r[0].1), (0x0000, 0x25));
                assert_eq!(le(&r[0].2), han_demo::SUMMATION_REPORTED);
                assert_eq!((r[1].0, r[1].1), (0x0400, 0x2a));
                assert_eq!(le(&r[1].2), 1234);
                // Scaled with the formatting the ESME's read response taught.
                let f = x.metering_formatting.unwrap();
                let Some(ZclCommand::Foundation(FoundationCommand::ReportAttributes(rs))) =
                    x.zcl_command
                else {
                    panic!("frame 29: {:?}", x.zcl_command)
                };
                let shown: Vec<String> = rs
                    .iter()
                    .map(|r| {
                        let r = r.unwrap();
                        let spec = cluster::cluster(0x0702)
                            .unwrap()
                            .attribute(false, r.id)
                            .unwrap()
                            .spec;
                        f.scale(spec.quantity, &r.value).unwrap().to_string()
                    })
                    .collect();
                assert_eq!(shown, ["12345.701 kWh", "1.234 kW"]);
            }
            31 | 33 => {
                let f = aps.unwrap().frame;
                let ext = f.extended.unwrap();
                if *n == 31 {
                    assert_eq!(ext.fragmentation, Fragmentation::First);
                    assert_eq!(ext.block_number, Some(3), "block count");
                } else {
                    assert_eq!(ext.fragmentation, Fragmentation::Subsequent);
                    assert_eq!(ext.block_number, Some(1));
                }
                assert!(x.zcl.is_none() && x.reassembled.is_none());
            }
            35 => {
                let f = aps.unwrap().frame;
                assert_eq!(f.extended.unwrap().block_number, Some(2));
                let whole = x.reassembled.unwrap();
                reassembled = Some(whole.len());
                let z = x.zcl.unwrap();
                assert_eq!(z.frame_control.frame_type, FrameType::ClusterSpecific);
                assert_eq!(z.frame_control.direction, Direction::ToClient);
                assert_eq!((cluster, z.command_id), (Some(0x0703), 0x00));
                let p = z.payload;
                assert_eq!(le(&p[..4]), u64::from(han_demo::MESSAGE_ID));
                assert_eq!(le(&p[9..11]), 0xffff, "duration: until changed");
                let len = usize::from(p[11]);
                assert_eq!(&p[12..12 + len], han_demo::MESSAGE.as_bytes());
                assert!(len > 180, "a long message");
            }
            37 => {
                let f = aps.unwrap().frame;
                assert_eq!(
                    f.frame_control.frame_type,
                    smets_zigbee::aps::FrameType::Ack
                );
                assert_eq!(f.extended.unwrap().ack_bitfield, Some(0x07));
            }
            55 | 61 | 69 | 75 | 81 | 87 | 93 | 99 => {
                let f = aps.unwrap().frame;
                assert_eq!(
                    f.frame_control.frame_type,
                    smets_zigbee::aps::FrameType::Ack
                );
                assert_eq!(f.cluster, Some(0x0704));
                assert_eq!(f.extended.unwrap().ack_bitfield, Some(0x03));
            }
            _ => {}
        }
        if let Some(ZclCommand::Cluster(c)) = x.zcl_command {
            cluster_commands += 1;
            check_cluster_command(*n, &c, *secs);
            if c.command.name == "Transfer Data" {
                let t = x.gbcs_tunnel.unwrap();
                assert_eq!(t.tunnel_id, han_demo::TUNNEL_ID);
                assert_eq!(t.header.map(|h| h.command()), Some(GbcsTunnelCommand::Put));
                let b = t.gbt.unwrap();
                let (cra, originator, target) =
                    if cluster == Some(0x0704) && mac.src == Some(MacAddress::Short(HUB.short)) {
                        (gbcs::CRA_COMMAND, gbcs::REMOTE_PARTY, ESME.eui)
                    } else {
                        (gbcs::CRA_RESPONSE, ESME.eui, gbcs::REMOTE_PARTY)
                    };
                assert_eq!(b.cra_flag, cra, "frame {n}");
                assert_eq!(b.originator_counter, gbcs::ORIGINATOR_COUNTER);
                assert_eq!(
                    (b.business_originator, b.business_target),
                    (originator, target)
                );
                assert_eq!(b.message_code, gbcs::MESSAGE_CODE);
                assert_eq!((b.security_control, b.invocation_counter), (0, 0));
                assert!(b.data.len() <= gbcs::GBT_BLOCK_SIZE);
                if t.message.is_some() {
                    assert_eq!(t.message_command, Some(GbcsTunnelCommand::Put));
                }
                transfers.push((
                    *n,
                    b.block_number,
                    b.is_last(),
                    t.message.map(<[u8]>::to_vec),
                    t.gbt_blocks,
                ));
            }
        } else {
            assert!(x.gbcs_tunnel.is_none(), "frame {n}");
        }
    }
    // Message Confirmation, Publish Price, Top Up and its response, the
    // tunnel request and response, 3 + 6 Transfer Data; the Display Message.
    assert_eq!(cluster_commands, 1 + 1 + 2 + 2 + 9 + 1);
    let command = gbcs::command().unwrap();
    let response = gbcs::response().unwrap();
    let expected: Vec<Transfer> = vec![
        (53, 1, false, None, None),
        (59, 2, false, None, None),
        (63, 3, true, Some(command), Some(3)),
        (67, 1, false, None, None),
        (73, 2, false, None, None),
        (79, 3, false, None, None),
        (85, 4, false, None, None),
        (91, 5, false, None, None),
        (97, 6, true, Some(response), Some(6)),
    ];
    assert_eq!(transfers, expected);
    // NWK: frames 11-100 but the MAC acks (46); APS: the Transport Key, the
    // 5 SE frames and 3 fragments of the Display Message, 6 single SE frames
    // after it, and the 17 APS frames of the 9 Transfer Data.
    assert_eq!(secured, 46 + 1 + 5 + 3 + 6 + 17, "secured layers opened");
    // ZCL header (3) + Display Message fields (13) + the text.
    assert_eq!(reassembled.unwrap(), 16 + han_demo::MESSAGE.len());
    let (ic_index, learned) = learned_at.unwrap();
    assert_eq!(learned, Some(LearnedKey::Network { seq: 0 }));
    let ic = &d.keys.link_keys()[ic_index];
    assert_eq!(
        (ic.source, ic.partner),
        (KeySource::InstallCode, Some(IHD.eui))
    );
    assert_eq!(ic.key, ihd_ic_key);
    let nk = d.keys.network_keys();
    assert_eq!(nk.len(), 1);
    assert_eq!(nk[0].key, keys.network);
    assert_eq!(nk[0].source, KeySource::Learned { frame: 9 });
}

#[test]
fn without_the_install_code_the_network_key_stays_unknown() {
    let mut ring = KeyRing::new();
    for k in common::key_ring().link_keys() {
        if k.source != KeySource::InstallCode {
            ring.add_link_key(k.key.clone(), k.partner, k.source);
        }
    }
    let mut d = Dissector::new(ring, DissectorOptions::default());
    for (n, bytes, _) in frames() {
        let x = d.dissect(&bytes, FcsMode::Present);
        if n == 9 {
            let sec = x.aps.unwrap().security.unwrap();
            assert_eq!(sec.outcome, SecurityOutcome::AuthenticationFailed);
        }
        if let Some(sec) = x.nwk_security {
            assert_eq!(sec.outcome, SecurityOutcome::NoKey, "frame {n}");
        }
        assert!(x.zcl.is_none() && x.zdp.is_none());
    }
    assert!(d.keys.network_keys().is_empty());
}

fn ndjson(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn check_ndjson(records: &[serde_json::Value]) {
    assert_eq!(records.len(), 100);
    for r in records {
        assert!(r["error"].is_null(), "{r}");
        assert_eq!(r["mac"]["fcs_ok"], true, "{r}");
        for layer in ["nwk", "aps"] {
            if let Some(sec) = r[layer].get("security") {
                assert_eq!(sec["decrypted"], true, "{r}");
            }
        }
    }
    let f = |n: usize| &records[n - 1];
    assert_eq!(
        f(2)["mac"]["beacon"]["zigbee"]["extended_pan_id"],
        "02:53:4d:45:54:53:00:01"
    );
    assert_eq!(f(2)["mac"]["beacon"]["association_permit"], true);
    assert_eq!(f(9)["aps"]["command_name"], "transport_key");
    assert_eq!(f(9)["aps"]["security"]["key_id"], "key_transport");
    assert_eq!(f(9)["learned_key"]["kind"], "network");
    assert_eq!(f(12)["nwk"]["command_name"], "link_status");
    assert_eq!(
        f(12)["nwk"]["security"]["ext_source"],
        "02:53:4d:45:54:53:00:01"
    );
    assert_eq!(f(13)["zdp"]["command"], "0x0006");
    assert_eq!(f(23)["aps"]["cluster"], "0x0702");
    assert_eq!(f(23)["aps"]["profile"], "0x0109");
    assert_eq!(f(23)["zcl"]["command_name"], "read_attributes_response");
    assert_eq!(
        f(23)["zcl"]["payload"],
        "000000254e61bc00000000030030000103002201000002030022e80300030300182b040300181b"
    );
    let a = &f(23)["zcl"]["attributes"][0];
    assert_eq!(
        (&a["name"], &a["value"], &a["unit"]),
        (
            &"CurrentSummationDelivered".into(),
            &12_345_678.into(),
            &"kWh".into()
        )
    );
    assert_eq!(a["scaled"].as_f64(), Some(12_345.678));
    let d = &f(29)["zcl"]["attributes"][1];
    assert_eq!(
        (&d["name"], &d["unit"]),
        (&"InstantaneousDemand".into(), &"kW".into())
    );
    assert_eq!(d["scaled"].as_f64(), Some(1.234));
    assert_eq!(f(29)["zcl"]["command_name"], "report_attributes");
    assert_eq!(f(35)["aps"]["block_number"], 2);
    let names = |n: usize| {
        (
            f(n)["zcl"]["cluster_name"].as_str().unwrap().to_string(),
            f(n)["zcl"]["command_name"].as_str().unwrap().to_string(),
        )
    };
    for (n, cluster, command) in [
        (39, "messaging", "message_confirmation"),
        (41, "price", "publish_price"),
        (43, "prepayment", "consumer_top_up"),
        (45, "prepayment", "consumer_top_up_response"),
        (47, "tunneling", "request_tunnel"),
        (49, "tunneling", "request_tunnel_response"),
        (63, "tunneling", "transfer_data"),
        (97, "tunneling", "transfer_data"),
    ] {
        assert_eq!(
            names(n),
            (cluster.to_string(), command.to_string()),
            "frame {n}"
        );
    }
    let fields = |n: usize| &f(n)["zcl"]["fields"];
    assert_eq!(fields(39)["message_id"], han_demo::MESSAGE_ID);
    assert_eq!(fields(41)["currency"], 826);
    assert_eq!(fields(41)["price"], han_demo::PRICE);
    assert_eq!(fields(41)["rate_label"], hex(b"Standard"));
    assert_eq!(fields(43)["originating_device_name"], "in_home_display");
    assert_eq!(fields(43)["top_up_code"], hex(han_demo::UTRN.as_bytes()));
    assert_eq!(fields(45)["credit_remaining"], han_demo::CREDIT_REMAINING);
    assert_eq!(fields(47)["protocol_id"], 6);
    assert_eq!(fields(47)["maximum_incoming_transfer_size"], 1500);
    assert_eq!(fields(49)["tunnel_id"], 1);
    assert_eq!(fields(49)["tunnel_status"], 0);
    for (n, message, blocks) in [
        (63, gbcs::command().unwrap(), 3),
        (97, gbcs::response().unwrap(), 6),
    ] {
        let t = &f(n)["gbcs_tunnel"];
        assert_eq!(t["command"], "put");
        assert_eq!(t["gbt"]["block_number"], blocks);
        assert_eq!(t["gbt"]["last_block"], true);
        assert_eq!(t["gbt"]["message_code"], "0x0027");
        assert_eq!(t["gbt_blocks"], blocks);
        assert_eq!(t["message_length"], message.len());
        assert_eq!(t["message"], hex(&message));
    }
    assert_eq!(f(53)["gbcs_tunnel"]["gbt"]["last_block"], false);
    assert!(f(53)["gbcs_tunnel"].get("message").is_none());
    let message_hex: String = han_demo::MESSAGE
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        f(35)["zcl"]["payload"]
            .as_str()
            .unwrap()
            .contains(&message_hex)
    );
}

#[test]
fn smets_decode_ndjson_shows_the_session() {
    let mut out = Vec::new();
    let summary =
        smets_cli::decode::run_to(&common::decode_args(Format::Ndjson), &mut out).unwrap();
    assert_eq!((summary.records, summary.failed), (100, 0));
    let text = String::from_utf8(out).unwrap();
    check_ndjson(&ndjson(&text));

    // The `smets` binary too, when this build has it (a workspace build does;
    // `cargo test -p han-demo` alone builds only this package).
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|p| p.join("smets"));
    match bin.filter(|b| b.exists()) {
        Some(bin) => {
            let o = Command::new(&bin)
                .args(["decode", "--format", "ndjson", "--keys"])
                .arg(common::keys_path())
                .arg(common::capture_path())
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            check_ndjson(&ndjson(&String::from_utf8(o.stdout).unwrap()));
        }
        None => eprintln!(
            "notice: no smets binary next to {}; checked run_to only",
            exe.display()
        ),
    }
}
