//! GBCS throughput, one core, release profile:
//! `cargo bench -p smets-gbcs --features ring --bench gbcs`. Reads the RTDS
//! 4.5.0 messages and test keys from `$SMETS_VECTORS` (or
//! `../shared/vectors` beside the checkout). Figures go in BENCHMARKS.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::{Bencher, black_box};
use smets_core::{Decode, Eui64};
use smets_gbcs::crypto::{CryptoProvider, RustCrypto};
use smets_gbcs::envelope::GbcsMessage;
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::{Check, SecurityContext, covered};
use smets_gbcs::{KeyRef, KeyStore, PrivateKey, PublicKey};

#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    divan::main();
}

const ACB: Eui64 = Eui64(0x90B3_D51F_3000_0002);

struct Data {
    messages: Vec<Vec<u8>>,
    keys: MemoryKeyStore,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let messages = common::records("rtds-4.5.0.jsonl")
            .expect("the RTDS vectors (set SMETS_VECTORS)")
            .iter()
            .map(|v| hex::decode(v["hex"].as_str().unwrap()).unwrap())
            .collect();
        let keys = common::key_store("rtds:").unwrap();
        Data { messages, keys }
    })
}

/// Envelope decode of every RTDS message (no cryptography).
#[divan::bench]
fn envelope_decode(b: Bencher<'_, '_>) {
    let d = data();
    b.counter(ItemsCount::new(d.messages.len())).bench(|| {
        for m in &d.messages {
            let _ = black_box(GbcsMessage::decode(black_box(m)));
        }
    });
}

/// The MAC of every MAC-header RTDS message, shared secrets cached:
/// decode, KDF (SHA-256), GMAC over the General-Signing APDU.
#[divan::bench]
fn mac_verify_warm_cache(b: Bencher<'_, '_>) {
    let d = data();
    let mut ctx = SecurityContext::with_provider(&d.keys, RustCrypto).with_acb(ACB);
    let maced: Vec<&Vec<u8>> = d
        .messages
        .iter()
        .filter(|m| {
            let msg = GbcsMessage::decode(m).unwrap();
            matches!(msg, GbcsMessage::MacHeader(_)) && ctx.check_mac(m, &msg) == Check::Valid
        })
        .collect();
    b.counter(ItemsCount::new(maced.len())).bench_local(|| {
        for m in &maced {
            let msg = GbcsMessage::decode(m).unwrap();
            black_box(ctx.check_mac(m, &msg));
        }
    });
}

fn whole_set<P: CryptoProvider + Copy>(b: Bencher<'_, '_>, provider: P) {
    let d = data();
    let mut ctx = SecurityContext::with_provider(&d.keys, provider).with_acb(ACB);
    for m in &d.messages {
        let _ = ctx.verify(m, None);
    }
    b.counter(ItemsCount::new(d.messages.len()))
        .bench_local(|| {
            for m in &d.messages {
                let _ = black_box(ctx.verify(black_box(m), None));
            }
        });
}

/// Every RTDS message as a head-end takes it: decode, MAC, signature,
/// decryption of the protected parts; RustCrypto's P-256.
#[divan::bench]
fn rtds_set_verify_rustcrypto(b: Bencher<'_, '_>) {
    whole_set(b, RustCrypto);
}

/// The same with ECDSA through ring.
#[cfg(feature = "ring")]
#[divan::bench]
fn rtds_set_verify_ring(b: Bencher<'_, '_>) {
    whole_set(b, smets_gbcs::crypto::Ring);
}

fn signed() -> Vec<(PublicKey, Vec<u8>, [u8; 64])> {
    let d = data();
    d.messages
        .iter()
        .filter_map(|m| {
            let msg = GbcsMessage::decode(m).unwrap();
            let s = msg.signing()?;
            let sig: [u8; 64] = s.signature?.try_into().ok()?;
            let key = d.keys.public_key(&KeyRef::ds(s.header.originator))?.clone();
            let c = covered(m, &msg)?;
            Some((key, c.signed.to_vec(), sig))
        })
        .collect()
}

fn ecdsa<P: CryptoProvider>(b: Bencher<'_, '_>, p: P) {
    let s = signed();
    b.counter(ItemsCount::new(s.len())).bench_local(|| {
        for (k, m, sig) in &s {
            assert!(p.verify(k, black_box(m), sig));
        }
    });
}

/// ECDSA P-256 verification alone, over every signed RTDS message.
#[divan::bench]
fn ecdsa_verify_rustcrypto(b: Bencher<'_, '_>) {
    ecdsa(b, RustCrypto);
}

/// ECDSA P-256 verification alone, through ring.
#[cfg(feature = "ring")]
#[divan::bench]
fn ecdsa_verify_ring(b: Bencher<'_, '_>) {
    ecdsa(b, smets_gbcs::crypto::Ring);
}

/// One static ECDH on P-256 (a cold cache's cost per key pair).
#[divan::bench]
fn ecdh_p256(b: Bencher<'_, '_>) {
    let a = PrivateKey::from_scalar(&[7; 32]).unwrap();
    let p = PrivateKey::from_scalar(&[9; 32]).unwrap().public_key();
    b.bench(|| RustCrypto.ecdh(black_box(&a), black_box(&p)));
}
