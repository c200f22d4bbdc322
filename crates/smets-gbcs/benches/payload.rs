//! GBCS payload throughput, one core, release profile:
//! `cargo bench -p smets-gbcs --bench payload`. Reads the RTDS 4.5.0
//! payloads and the plaintexts of their protected parts from
//! `$SMETS_VECTORS` (or `../shared/vectors` beside the checkout). Figures
//! go in BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use smets_dlms::apdu::XdlmsApdu;
use smets_dlms::axdr::{Data, Elements};
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::payload::Payload;
use smets_gbcs::usecase::{self, Typed};

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

struct Record {
    code: u16,
    cra: CraFlag,
    payload: Vec<u8>,
    plaintexts: Vec<(usize, Vec<u8>)>,
    id: String,
}

fn records() -> &'static [Record] {
    static R: OnceLock<Vec<Record>> = OnceLock::new();
    R.get_or_init(|| {
        common::records("rtds-4.5.0.jsonl")
            .expect("the RTDS vectors (set SMETS_VECTORS)")
            .iter()
            .map(|v| Record {
                code: u16::from_str_radix(&v["message_code"].as_str().unwrap()[2..], 16).unwrap(),
                cra: CraFlag::from(
                    u8::try_from(v["envelope"]["cra_flag"].as_u64().unwrap()).unwrap(),
                ),
                payload: hex::decode(v["payload"]["hex"].as_str().unwrap()).unwrap(),
                plaintexts: v["independent_check"]["encrypted_blocks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        (
                            usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap(),
                            hex::decode(b["plaintext"].as_str().unwrap()).unwrap(),
                        )
                    })
                    .collect(),
                id: v["id"].as_str().unwrap().to_owned(),
            })
            .collect()
    })
}

/// Every value under an A-XDR list, compact arrays unpacked.
fn walk_data(elements: Elements<'_>) -> usize {
    let mut n = 0;
    for d in elements {
        n += 1;
        if let Some(e) = d.elements() {
            n += walk_data(e);
        }
        if let Data::CompactArray(c) = d
            && let Ok(e) = c.elements()
        {
            n += walk_data(e);
        }
    }
    n
}

/// Decodes a payload and visits every element of it: each A-XDR value,
/// each GBZ component and its ZCL command, each DER element.
fn walk(r: &Record) -> usize {
    match Payload::decode(&r.payload, r.cra).unwrap() {
        Payload::Dlms(XdlmsApdu::AccessRequest(a)) => a.specifications.count() + walk_data(a.data),
        Payload::Dlms(XdlmsApdu::AccessResponse(a)) => a.results.count() + walk_data(a.data),
        Payload::Dlms(XdlmsApdu::DataNotification(n)) => 1 + n.body.elements().map_or(0, walk_data),
        Payload::Gbz(g) => g
            .components()
            .map(|c| 1 + usize::from(c.zcl_command().unwrap().is_some()))
            .sum(),
        Payload::Der(t) => {
            let mut n = 0;
            t.visit(&mut |_| n += 1).unwrap();
            n
        }
    }
}

/// Every RTDS payload (568 DLMS, 284 GBZ, 154 DER) decoded to its
/// family's lossless structure: every length, tag and component checked
/// to the last byte, nothing visited.
#[divan::bench]
fn rtds_payloads_decode(b: Bencher<'_, '_>) {
    let recs = records();
    b.counter(ItemsCount::new(recs.len())).bench(|| {
        for r in recs {
            black_box(Payload::decode(black_box(&r.payload), r.cra).unwrap());
        }
    });
}

/// Every RTDS payload (568 DLMS, 284 GBZ, 154 DER) decoded to its
/// family's lossless structure, every element visited.
#[divan::bench]
fn rtds_payloads_decode_and_walk(b: Bencher<'_, '_>) {
    let recs = records();
    b.counter(ItemsCount::new(recs.len())).bench(|| {
        let mut n = 0;
        for r in recs {
            n += walk(black_box(r));
        }
        n
    });
}

fn plaintexts(r: &Record) -> Vec<(usize, &[u8])> {
    r.plaintexts
        .iter()
        .map(|(o, p)| (*o, p.as_slice()))
        .collect()
}

/// Every RTDS payload through the typed use-case layer (the decrypted
/// parts given); untyped ones return at once.
#[divan::bench]
fn rtds_payloads_typed(b: Bencher<'_, '_>) {
    let recs = records();
    let texts: Vec<Vec<(usize, &[u8])>> = recs.iter().map(plaintexts).collect();
    b.counter(ItemsCount::new(recs.len())).bench(|| {
        let mut typed = 0;
        for (r, p) in recs.iter().zip(&texts) {
            if let Ok(Some(t)) = usecase::decode(r.code, r.cra, black_box(&r.payload), p) {
                typed += 1;
                black_box(t);
            }
        }
        typed
    });
}

/// ECS22b, the half-hour profile response (49 readings): decoded typed
/// from its payload and decrypted plaintext, every reading read.
#[divan::bench]
fn half_hour_profile_typed(b: Bencher<'_, '_>) {
    let r = records()
        .iter()
        .find(|r| r.id.ends_with("/ECS22b_4.8.1_SINGLE_SUCCESS_RESPONSE"))
        .unwrap();
    let p = plaintexts(r);
    let sum = || {
        let Ok(Some(Typed::Profile(rsp))) =
            usecase::decode(r.code, r.cra, black_box(&r.payload), &p)
        else {
            panic!("ECS22b reads as a profile");
        };
        let log = rsp.reply.value().unwrap().value.decrypted().unwrap();
        log.entries()
            .map(|e| u64::from(e.value) + u64::from(e.timestamp.0))
            .sum::<u64>()
    };
    assert!(sum() > 0);
    b.counter(ItemsCount::new(1usize)).bench(sum);
}
