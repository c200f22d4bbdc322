//! The Tunneling cluster and the GB HAN tunnel against real GBCS messages:
//! the GBCS test vectors (RTDS 4.5.0, `gbcs/rtds-4.5.0.jsonl` of the shared
//! vectors) are wrapped in ZCL Transfer Data frames, split, interleaved with
//! another tunnel's message and reassembled. There is no public GB HAN
//! capture, so the ZCL frames are built from the SE 1.4 layouts.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;
use smets_zigbee::zcl::ZclFrame;
use smets_zigbee::zcl::tunneling::gbcs::{
    GbcsTunnel, GbcsTunnelCommand, GbcsTunnelKey, GbcsTunnelReassembler, MessageLength,
    gbcs_message_len,
};
use smets_zigbee::zcl::tunneling::{ServerCommand, TunnelingCommand};
use smets_zigbee::{Decode, Encode};

/// Signed or ciphered GBCS messages of the vectors (pre-commands, which are
/// unsigned and never cross the HAN, are left out), or `None` without vectors.
fn messages() -> Option<&'static [Vec<u8>]> {
    static M: OnceLock<Option<Vec<Vec<u8>>>> = OnceLock::new();
    M.get_or_init(|| {
        let dir = common::vectors_dir()?;
        let all = common::jsonl(&dir.join("gbcs/rtds-4.5.0.jsonl"));
        let picked: Vec<Vec<u8>> = all
            .iter()
            .filter(|r| !r["id"].as_str().unwrap().ends_with("PRECOMMAND"))
            .map(|r| hex::decode(r["hex"].as_str().unwrap()).unwrap())
            .collect();
        assert!(picked.len() > 100);
        Some(picked)
    })
    .as_deref()
}

/// A cluster-specific ZCL frame carrying Transfer Data on `tunnel` with `data`.
fn transfer_data_frame(to_client: bool, tsn: u8, tunnel: u16, data: &[u8]) -> Vec<u8> {
    let mut f = vec![if to_client { 0x19 } else { 0x11 }, tsn];
    f.push(if to_client {
        ServerCommand::TransferData.value()
    } else {
        0x02
    });
    f.extend_from_slice(&tunnel.to_le_bytes());
    f.extend_from_slice(data);
    f
}

/// The tunnelled bytes of a Transfer Data frame, through the ZCL decoders.
fn tunnelled(frame: &[u8]) -> (u16, &[u8]) {
    let f = ZclFrame::decode(frame).unwrap();
    match TunnelingCommand::from_frame(&f).unwrap() {
        TunnelingCommand::TransferData {
            tunnel_id, data, ..
        } => (tunnel_id, data),
        other => panic!("not Transfer Data: {other:?}"),
    }
}

#[test]
fn every_message_length_is_read_from_its_header() {
    let Some(ms) = messages() else { return };
    for m in ms {
        assert_eq!(gbcs_message_len(m), MessageLength::Known(m.len()));
        // Too short a prefix never claims a wrong length.
        for cut in [1, 5, 8, 20, 40] {
            let cut = cut.min(m.len());
            match gbcs_message_len(&m[..cut]) {
                MessageLength::NeedMore => {}
                MessageLength::Known(n) => assert_eq!(n, m.len()),
                MessageLength::Unknown => panic!("unknown length"),
            }
        }
    }
}

#[test]
fn put_and_get_response_round_trip_through_zcl() {
    let Some(ms) = messages() else { return };
    for (i, m) in ms.iter().take(40).enumerate() {
        let put = GbcsTunnel::Put { message: m };
        let mut data = Vec::new();
        put.encode(&mut data).unwrap();
        assert_eq!(data[0], 0x03);
        let frame = transfer_data_frame(i % 2 == 0, i as u8, 0, &data);
        let (tunnel, bytes) = tunnelled(&frame);
        assert_eq!(tunnel, 0);
        assert_eq!(GbcsTunnel::decode(bytes).unwrap(), put);
        let cmd = TunnelingCommand::decode(
            ZclFrame::decode(&frame).unwrap().frame_control.direction,
            ZclFrame::decode(&frame).unwrap().command_id,
            &frame[3..],
        )
        .unwrap();
        let mut out = Vec::new();
        cmd.encode(&mut out).unwrap();
        assert_eq!(out, frame[3..]);

        let mut r = GbcsTunnelReassembler::new(4, 8192);
        let key = GbcsTunnelKey {
            source: 0,
            tunnel_id: 0,
        };
        let whole = r.push(key, bytes).unwrap();
        assert_eq!(whole.message, *m);
        let mut g = vec![0x02, 4];
        g.extend_from_slice(m);
        let whole = r.push(key, &g).unwrap();
        assert_eq!(
            (whole.command, whole.remaining),
            (GbcsTunnelCommand::GetResponse, Some(4))
        );
        assert_eq!(whole.message, *m);
    }
}

fn split<'a>(p: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut out = Vec::new();
    let mut rest = p;
    for &c in cuts {
        if rest.is_empty() {
            break;
        }
        let (a, b) = rest.split_at(c.min(rest.len()));
        out.push(a);
        rest = b;
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn real_messages_split_interleaved_reassemble(
        ia in any::<prop::sample::Index>(),
        ib in any::<prop::sample::Index>(),
        cuts_a in proptest::collection::vec(1usize..400, 1..40),
        cuts_b in proptest::collection::vec(1usize..400, 1..40),
        order in proptest::collection::vec(any::<bool>(), 80),
        drop_last in any::<bool>(),
    ) {
        let Some(ms) = messages() else { return Ok(()) };
        let (ma, mb) = (&ms[ia.index(ms.len())], &ms[ib.index(ms.len())]);
        let mut pa = vec![0x03];
        pa.extend_from_slice(ma);
        let mut pb = vec![0x02, 1];
        pb.extend_from_slice(mb);
        // A GET-RESPONSE without message bytes means nothing was queued, so
        // its first Transfer Data carries the count and the message's start.
        let mut cuts_b = cuts_b;
        cuts_b[0] = cuts_b[0].max(3);
        let mut ca = split(&pa, &cuts_a);
        let cb = split(&pb, &cuts_b);
        // A message cut short (last Transfer Data lost) never completes.
        let cut_short = drop_last && ca.len() > 1;
        if cut_short {
            ca.pop();
        }
        let frames_a: Vec<Vec<u8>> =
            ca.iter().enumerate().map(|(i, c)| transfer_data_frame(false, i as u8, 5, c)).collect();
        let frames_b: Vec<Vec<u8>> =
            cb.iter().enumerate().map(|(i, c)| transfer_data_frame(true, i as u8, 5, c)).collect();
        let ka = GbcsTunnelKey { source: 0x0001, tunnel_id: 5 };
        let kb = GbcsTunnelKey { source: 0x0000, tunnel_id: 5 };
        const MAX: usize = 9000;
        let mut r = GbcsTunnelReassembler::new(2, MAX);
        let (mut i, mut j, mut k) = (0, 0, 0);
        let (mut got_a, mut got_b) = (None, None);
        while i < frames_a.len() || j < frames_b.len() {
            let pick_a = j >= frames_b.len() || (i < frames_a.len() && order[k % order.len()]);
            k += 1;
            if pick_a {
                let (_, data) = tunnelled(&frames_a[i]);
                let out = r.push(ka, data);
                i += 1;
                prop_assert_eq!(out.is_some(), i == frames_a.len() && !cut_short);
                if out.is_some() { got_a = out; }
            } else {
                let (_, data) = tunnelled(&frames_b[j]);
                let out = r.push(kb, data);
                j += 1;
                prop_assert_eq!(out.is_some(), j == frames_b.len());
                if out.is_some() { got_b = out; }
            }
            prop_assert!(r.pending() <= 2);
            prop_assert!(r.held_bytes() <= MAX);
        }
        if cut_short {
            prop_assert!(got_a.is_none());
            prop_assert_eq!(r.pending(), 1);
        } else {
            let a = got_a.unwrap();
            prop_assert_eq!(a.command, GbcsTunnelCommand::Put);
            prop_assert_eq!(&a.message, ma);
            prop_assert_eq!(r.pending(), 0);
        }
        let b = got_b.unwrap();
        prop_assert_eq!((b.command, b.remaining), (GbcsTunnelCommand::GetResponse, Some(1)));
        prop_assert_eq!(&b.message, mb);
    }

    #[test]
    fn limits_hold_under_many_tunnels(
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0u16..6, 1usize..300), 1..60),
    ) {
        let Some(ms) = messages() else { return Ok(()) };
        let mut r = GbcsTunnelReassembler::new(3, 2000);
        for (idx, tunnel, len) in picks {
            let m = &ms[idx.index(ms.len())];
            let mut p = vec![0x03];
            p.extend_from_slice(m);
            let key = GbcsTunnelKey { source: 1, tunnel_id: tunnel };
            if let Some(done) = r.push(key, &p[..len.min(p.len())]) {
                prop_assert!(done.message.len() <= 2000 || len >= p.len());
            }
            prop_assert!(r.pending() <= 3);
            prop_assert!(r.held_bytes() <= 2000);
        }
    }
}
