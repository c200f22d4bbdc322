//! GBCS cryptography against the public vectors: the 13 primitive vectors
//! (KDF, AES-GCM, UTRN), every MAC and signature of RTDS 4.5.0 and the other
//! sources against their independent check, every encrypted part decrypted
//! to its plaintext, every message rebuilt byte for byte from its fields,
//! and every bit flip refused.
//!
//! Vectors: `$SMETS_VECTORS` or `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;
use common::vectors_dir;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use smets_core::{Decode, Eui64};
use smets_gbcs::crypto::{self, CryptoProvider, OtherInfo, RustCrypto, utrn};
use smets_gbcs::envelope::{CraFlag, GbcsMessage};
use smets_gbcs::security::{
    Check, CounterCheck, Form, Rejection, SecurityContext, SignWith, decrypt_part,
};
use smets_gbcs::{KeyRef, KeyStore, PrivateKey, PublicKey};

fn jsonl(dir: &Path, name: &str) -> Vec<Value> {
    std::fs::read_to_string(dir.join("gbcs").join(name))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn unhex(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn eui(s: &str) -> Eui64 {
    Eui64(u64::from_str_radix(s, 16).unwrap())
}

/// A key store for the tests, independent of the crate's loaders: keys
/// from the raw hex fields of keys.json.
#[derive(Default, Clone)]
struct Store {
    private: BTreeMap<KeyRef, PrivateKey>,
    public: BTreeMap<KeyRef, PublicKey>,
}

impl KeyStore for Store {
    fn private_key(&self, key: &KeyRef) -> Option<&PrivateKey> {
        self.private.get(key)
    }
    fn public_key(&self, key: &KeyRef) -> Option<&PublicKey> {
        self.public.get(key)
    }
}

struct Keys {
    by_id: BTreeMap<String, Value>,
}

impl Keys {
    fn load(dir: &Path) -> Self {
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("gbcs/keys.json")).unwrap())
                .unwrap();
        let by_id = v["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k["id"].as_str().unwrap().to_owned(), k.clone()))
            .collect();
        Self { by_id }
    }

    fn add(&self, store: &mut Store, id: &str) {
        let k = &self.by_id[id];
        let r = common::key_ref(k);
        let public = PublicKey::from_sec1(&unhex(&k["public_key_uncompressed_hex"])).unwrap();
        if let Some(d) = k["private_key_hex"].as_str() {
            let p = PrivateKey::from_scalar(&hex::decode(d).unwrap()).unwrap();
            assert_eq!(p.public_key(), public, "{id}");
            store.private.insert(r, p);
        }
        store.public.insert(r, public);
    }

    /// Every key of one source prefix ("rtds:").
    fn store_of(&self, prefix: &str) -> Store {
        let mut s = Store::default();
        for id in self.by_id.keys().filter(|i| i.starts_with(prefix)) {
            self.add(&mut s, id);
        }
        s
    }

    fn is_acb(&self, id: &str) -> bool {
        let k = &self.by_id[id];
        let role = |k: &Value| k["role"].as_str() == Some("accessControlBroker");
        role(k)
            || k["same_key_as"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| self.by_id.get(o.as_str().unwrap()).is_some_and(role))
    }

    /// The keys a record names, and the ACB among them.
    fn store_for(&self, rec: &Value) -> (Store, Option<Eui64>) {
        let mut s = Store::default();
        let mut acb = None;
        for ids in rec["keys_needed"]
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
        {
            for id in ids.as_array().unwrap() {
                let id = id.as_str().unwrap();
                if self.by_id.contains_key(id) {
                    self.add(&mut s, id);
                    if self.is_acb(id) {
                        acb = Some(eui(self.by_id[id]["eui"].as_str().unwrap()));
                    }
                }
            }
        }
        (s, acb)
    }
}

fn expected(v: &Value, present: bool) -> Check {
    match v.as_bool() {
        Some(true) => Check::Valid,
        Some(false) => Check::Invalid,
        None if present => Check::NoKey,
        None => Check::Absent,
    }
}

fn messages(dir: &Path) -> Vec<Value> {
    let mut all = jsonl(dir, "rtds-4.5.0.jsonl");
    all.extend(
        jsonl(dir, "other-sources.jsonl")
            .into_iter()
            .filter(|r| r["negative"].as_bool() != Some(true)),
    );
    all
}

#[test]
fn crypto_primitive_vectors_reproduce() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let mut store = Store::default();
    for id in keys.by_id.keys() {
        keys.add(&mut store, id);
    }
    let recs = jsonl(&dir, "crypto-primitives.jsonl");
    assert_eq!(recs.len(), 13);
    let mut seen = BTreeMap::new();
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        let kind = r["type"].as_str().unwrap();
        *seen.entry(kind.to_owned()).or_insert(0) += 1;
        match kind {
            "kdf" => {
                let private = common::key_ref(&keys.by_id[r["private_key_id"].as_str().unwrap()]);
                let public = common::key_ref(&keys.by_id[r["public_key_id"].as_str().unwrap()]);
                let z = RustCrypto.ecdh(
                    store.private.get(&private).unwrap(),
                    store.public.get(&public).unwrap(),
                );
                assert_eq!(
                    z.as_bytes().to_vec(),
                    unhex(&r["shared_secret_z_hex"]),
                    "{id}"
                );
                let cra = u8::try_from(r["cra_byte_in_otherinfo"].as_u64().unwrap()).unwrap();
                let oi = OtherInfo::new(
                    eui(r["originator_system_title"].as_str().unwrap()),
                    cra,
                    u64::from_str_radix(r["originator_counter"].as_str().unwrap(), 16).unwrap(),
                    eui(r["recipient_system_title"].as_str().unwrap()),
                );
                assert_eq!(oi.0.to_vec(), unhex(&r["otherinfo_hex"]), "{id}");
                let k = crypto::kdf(&z, &oi);
                assert_eq!(
                    k.as_bytes().to_vec(),
                    hex::decode(r["expected_aes_key"].as_str().unwrap()).unwrap(),
                    "{id}"
                );
            }
            "aes-128-gcm" => {
                let key = crypto::MessageKey::from_bytes(unhex(&r["key_hex"]).try_into().unwrap());
                let iv: [u8; 12] = unhex(&r["iv_hex"]).try_into().unwrap();
                let aad = unhex(&r["aad_hex"]);
                let tag = unhex(&r["tag_hex"]);
                let mut buf = unhex(&r["plaintext_hex"]);
                let t = crypto::encrypt_in_place(&key, &iv, &aad, &mut buf).unwrap();
                assert_eq!(buf, unhex(&r["ciphertext_hex"]), "{id}");
                // A 4-byte tag is the first 4 bytes of the 12-byte one.
                assert_eq!(&t[..tag.len()], &tag[..], "{id}");
                if tag.len() == 12 {
                    let t: [u8; 12] = tag.try_into().unwrap();
                    assert!(
                        crypto::decrypt_in_place(&key, &iv, &aad, &mut buf, &t),
                        "{id}"
                    );
                    assert_eq!(buf, unhex(&r["plaintext_hex"]), "{id}");
                }
            }
            "utrn" => {
                let supplier = eui(r["originator"].as_str().unwrap());
                let device = eui(r["target"].as_str().unwrap());
                let counter = r["counter"].as_u64().unwrap();
                let pp = common::key_ref(&keys.by_id[r["private_key_id"].as_str().unwrap()]);
                assert!(pp.prepayment);
                let dev = common::key_ref(&keys.by_id[r["public_key_id"].as_str().unwrap()]);
                let z = RustCrypto.ecdh(
                    store.private.get(&pp).unwrap(),
                    store.public.get(&dev).unwrap(),
                );
                let key = crypto::kdf(&z, &OtherInfo::new(supplier, 1, counter, device));
                let class = match r["value_class"].as_str().unwrap() {
                    "pounds" => utrn::ValueClass::Pounds,
                    _ => utrn::ValueClass::Pennies,
                };
                let value = u16::try_from(r["value"].as_u64().unwrap()).unwrap();
                let ptut = utrn::ptut(&key, supplier, device, counter, class, value)
                    .unwrap()
                    .unwrap();
                let high = utrn::ptut_high(counter, class, value).unwrap();
                let aad = unhex(&r["gmac_aad_hex"]);
                assert_eq!(&aad[aad.len() - 4..], &high.to_be_bytes(), "{id}");
                assert_eq!(
                    utrn::pptd(ptut).to_string(),
                    r["expected_pptd"].as_str().unwrap(),
                    "{id}"
                );
                assert_eq!(
                    utrn::utrn(ptut),
                    r["expected_utrn"].as_str().unwrap(),
                    "{id}"
                );
            }
            other => panic!("unknown primitive vector type {other}"),
        }
    }
    assert_eq!(seen["kdf"], 7);
    assert_eq!(seen["aes-128-gcm"], 4);
    assert_eq!(seen["utrn"], 2);
}

/// Every MAC and signature equals the independent check, with exactly the
/// keys the record names.
#[test]
fn every_mac_and_signature_matches_the_independent_check() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let (mut macs, mut sigs) = (0, 0);
    let recs = messages(&dir);
    let count = |k: &str| {
        recs.iter()
            .filter(|r| r["independent_check"][k].as_bool() == Some(true))
            .count()
    };
    let want = (count("mac_valid"), count("signature_valid"));
    for rec in &recs {
        let id = rec["id"].as_str().unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let (store, acb) = keys.store_for(rec);
        let mut ctx = SecurityContext::with_provider(store, RustCrypto);
        if let Some(acb) = acb {
            ctx = ctx.with_acb(acb);
        }
        let (msg, v) = ctx.verify(&bytes, None).unwrap();
        let ic = &rec["independent_check"];
        let has_mac = matches!(msg, GbcsMessage::MacHeader(_));
        let has_sig = msg
            .signing()
            .and_then(|s| s.signature)
            .is_some_and(|s| !s.is_empty());
        assert_eq!(v.mac, expected(&ic["mac_valid"], has_mac), "{id} mac");
        assert_eq!(
            v.signature,
            expected(&ic["signature_valid"], has_sig),
            "{id} signature"
        );
        assert_eq!(v.counter, CounterCheck::NotChecked);
        macs += usize::from(v.mac == Check::Valid);
        sigs += usize::from(v.signature == Check::Valid);
    }
    assert_eq!((macs, sigs), want, "valid MACs and signatures");
    assert!(macs > 600 && sigs > 350);
}

/// One store with every RTDS key and the ACB set: what a test head-end
/// holds. Every check the vectors can make passes.
#[test]
fn one_store_verifies_the_whole_rtds_set() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let mut ctx = SecurityContext::with_provider(keys.store_of("rtds:"), RustCrypto)
        .with_acb(Eui64(0x90B3_D51F_3000_0002));
    for rec in jsonl(&dir, "rtds-4.5.0.jsonl") {
        let id = rec["id"].as_str().unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let (_, v) = ctx.verify(&bytes, None).unwrap();
        let ic = &rec["independent_check"];
        if ic["mac_valid"].as_bool() == Some(true) {
            assert_eq!(v.mac, Check::Valid, "{id}");
        }
        if ic["signature_valid"].as_bool() == Some(true) {
            assert_eq!(v.signature, Check::Valid, "{id}");
        }
        assert!(!v.is_forged(), "{id}");
    }
    let (hits, misses) = ctx.cache().stats();
    assert!(
        misses < 40 && hits > 500,
        "ECDH once per pair: {hits} hits, {misses} misses"
    );
}

/// Every encrypted part, found at the offset the independent check gives,
/// decrypts to its plaintext with the encryption key of the header; a
/// flipped ciphertext bit gives no plaintext.
#[test]
fn every_encrypted_part_decrypts_by_its_header_key() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let mut parts = 0;
    for rec in messages(&dir) {
        let Some(blocks) = rec["independent_check"]["encrypted_blocks"].as_array() else {
            continue;
        };
        let id = rec["id"].as_str().unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let msg = GbcsMessage::decode(&bytes).unwrap();
        let s = msg.signing().unwrap();
        let (store, acb) = keys.store_for(&rec);
        let mut ctx = SecurityContext::with_provider(store, RustCrypto);
        if let Some(acb) = acb {
            ctx = ctx.with_acb(acb);
        }
        // Through verification: the locator finds each part, and the
        // authentic message gives its plaintext.
        let (_, v) = ctx.verify(&bytes, None).unwrap();
        assert!(v.is_authentic(), "{id}");
        let got: Vec<(usize, Vec<u8>)> = v
            .decrypted
            .iter()
            .map(|p| {
                assert_eq!(p.check, Check::Valid, "{id}");
                (p.offset, p.plaintext.clone())
            })
            .collect();
        let want: Vec<(usize, Vec<u8>)> = blocks
            .iter()
            .map(|b| {
                let off = usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap();
                (off, unhex(&b["plaintext"]))
            })
            .collect();
        assert_eq!(got, want, "{id}");
        let key = ctx.encryption_key(&s.header).unwrap();
        for b in blocks {
            let off = usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap();
            let len = usize::try_from(b["ciphered_len"].as_u64().unwrap()).unwrap();
            let ciphered = &s.content[off..off + len];
            let plain = decrypt_part(&key, s.header.originator, ciphered).unwrap();
            assert_eq!(plain, unhex(&b["plaintext"]), "{id} at {off}");
            let mut bad = ciphered.to_vec();
            bad[len / 2] ^= 0x10;
            assert!(
                decrypt_part(&key, s.header.originator, &bad).is_none(),
                "{id}"
            );
            // The invocation counter is outside the tag: a non-zero one is
            // refused by itself.
            let mut bad = ciphered.to_vec();
            bad[4] ^= 1;
            assert!(
                decrypt_part(&key, s.header.originator, &bad).is_none(),
                "{id}"
            );
            parts += 1;
        }
    }
    assert_eq!(parts, 44, "encrypted parts in the vectors");
}

/// Rebuilding every message from its decoded fields with the test keys
/// gives its bytes (the MAC recomputed, the signature kept); re-signing
/// with the originator's key verifies.
#[test]
fn every_message_rebuilds_byte_for_byte() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let (mut rebuilt, mut resigned) = (0, 0);
    for rec in messages(&dir) {
        let id = rec["id"].as_str().unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let (mut store, acb) = keys.store_for(&rec);
        let msg = GbcsMessage::decode(&bytes).unwrap();
        let Some(s) = msg.signing() else { continue };
        let form = match (&msg, s.signature) {
            (GbcsMessage::MacHeader(_), _) => Form::MacHeader,
            (_, None) => Form::PreCommand,
            _ => Form::Signed,
        };
        if form == Form::MacHeader && rec["independent_check"]["mac_valid"].as_bool() != Some(true)
        {
            continue;
        }
        // Signatures stay as sent: the originator's private key is
        // published for remote parties only.
        {
            let mut ctx = SecurityContext::with_provider(store.clone(), RustCrypto);
            if let Some(acb) = acb {
                ctx = ctx.with_acb(acb);
            }
            let out = ctx.seal(s, form, SignWith::Given).unwrap();
            assert_eq!(hex::encode_upper(&out), hex::encode_upper(&bytes), "{id}");
            rebuilt += 1;
        }
        if s.signature.is_some_and(|g| !g.is_empty()) {
            // A fresh signature by the originator (a stand-in key where the
            // originator's is not published) verifies, and the rest of the
            // message is unchanged.
            let ds = KeyRef::ds(s.header.originator);
            if !store.private.contains_key(&ds) {
                let k = PrivateKey::from_scalar(&[0x42; 32]).unwrap();
                store.public.insert(ds, k.public_key());
                store.private.insert(ds, k);
            }
            let mut ctx = SecurityContext::with_provider(store, RustCrypto);
            if let Some(acb) = acb {
                ctx = ctx.with_acb(acb);
            }
            let out = ctx.seal(s, form, SignWith::Originator).unwrap();
            assert_eq!(out.len(), bytes.len(), "{id}");
            let (m2, v) = ctx.verify(&out, None).unwrap();
            assert_eq!(v.signature, Check::Valid, "{id}");
            if form == Form::MacHeader {
                assert_eq!(v.mac, Check::Valid, "{id}");
            }
            let s2 = m2.signing().unwrap();
            assert_eq!(s2.header, s.header, "{id}");
            assert_eq!(s2.content, s.content, "{id}");
            resigned += 1;
        }
    }
    assert!(
        rebuilt > 900 && resigned > 350,
        "{rebuilt} rebuilt, {resigned} re-signed"
    );
}

/// Every single-bit flip of every MACed or signed message fails to decode
/// or fails verification, and yields no plaintext.
#[test]
fn every_bit_flip_fails_verification() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let recs: Vec<Value> = messages(&dir)
        .into_iter()
        .filter(|r| {
            let ic = &r["independent_check"];
            ic["mac_valid"].as_bool() == Some(true) || ic["signature_valid"].as_bool() == Some(true)
        })
        .collect();
    let flips = core::sync::atomic::AtomicUsize::new(0);
    let work = |chunk: &[Value]| {
        for rec in chunk {
            let id = rec["id"].as_str().unwrap();
            let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
            let (store, acb) = keys.store_for(rec);
            let mut ctx = SecurityContext::new(store);
            if let Some(acb) = acb {
                ctx = ctx.with_acb(acb);
            }
            let mut b = bytes.clone();
            for i in 0..b.len() * 8 {
                b[i / 8] ^= 1 << (i % 8);
                if let Ok((_, v)) = ctx.verify(&b, None) {
                    assert!(v.is_forged() || !v.is_authentic(), "{id} bit {i}");
                    assert!(
                        v.decrypted.iter().all(|p| p.plaintext.is_empty()),
                        "{id} bit {i}"
                    );
                }
                b[i / 8] ^= 1 << (i % 8);
                flips.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
            }
        }
    };
    let half = recs.len() / 2;
    std::thread::scope(|s| {
        s.spawn(|| work(&recs[..half]));
        s.spawn(|| work(&recs[half..]));
    });
    assert!(flips.into_inner() > 1_000_000);
}

/// Counters: the same command twice is a replay, an older one stale; a
/// device refuses both, and refuses commands for others.
#[test]
fn replayed_and_stale_counters_are_refused() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let rec = jsonl(&dir, "rtds-4.5.0.jsonl")
        .into_iter()
        .find(|r| r["id"] == "rtds-4.5.0/ECS52_11.2_SUCCESS_COMMAND")
        .unwrap();
    let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
    let mut ctx = SecurityContext::with_provider(keys.store_of("rtds:"), RustCrypto)
        .with_acb(Eui64(0x90B3_D51F_3000_0002));
    let msg = GbcsMessage::decode(&bytes).unwrap();
    let esme = Eui64(0x00DB_1234_5678_90A0);
    assert_eq!(
        ctx.verify_command(&bytes, &msg, esme, Some(999)).outcome,
        Ok(())
    );
    let v = ctx.verify_command(&bytes, &msg, esme, Some(1000));
    assert_eq!(v.verification.counter, CounterCheck::Replayed);
    assert_eq!(v.outcome, Err(Rejection::Replayed));
    assert_eq!(
        ctx.verify_command(&bytes, &msg, esme, Some(5000)).outcome,
        Err(Rejection::Stale)
    );
    assert_eq!(
        ctx.verify_command(&bytes, &msg, Eui64(1), None).outcome,
        Err(Rejection::NotForThisDevice)
    );
    let mut forged = bytes.clone();
    let n = forged.len();
    forged[n - 1] ^= 1;
    let fm = GbcsMessage::decode(&forged).unwrap();
    assert_eq!(
        ctx.verify_command(&forged, &fm, esme, None).outcome,
        Err(Rejection::MacInvalid)
    );
    // Without the ACB's key nothing can be checked.
    let mut bare = SecurityContext::with_provider(keys.store_of("nothing:"), RustCrypto);
    assert_eq!(
        bare.verify_command(&bytes, &msg, esme, None).outcome,
        Err(Rejection::NoKey)
    );
}

/// A device answers a command: the response header swaps the parties and
/// keeps the counter; sealed with the device's keys it verifies at the
/// head-end, and its encrypted part decrypts there.
#[test]
fn device_builds_a_response_the_head_end_verifies() {
    let Some(dir) = vectors_dir() else { return };
    let keys = Keys::load(&dir);
    let rec = jsonl(&dir, "rtds-4.5.0.jsonl")
        .into_iter()
        .find(|r| r["id"] == "rtds-4.5.0/ECS52_11.2_SUCCESS_COMMAND")
        .unwrap();
    let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
    let msg = GbcsMessage::decode(&bytes).unwrap();
    let cmd = msg.signing().unwrap();
    // The device: its own KA and DS keys (stand-ins; RTDS does not publish
    // device private keys) and the supplier's public keys.
    let esme = cmd.header.recipient;
    let supplier = cmd.header.originator;
    let dev_ka = PrivateKey::from_scalar(&[0x11; 32]).unwrap();
    let dev_ds = PrivateKey::from_scalar(&[0x22; 32]).unwrap();
    let head_end_keys = keys.store_of("rtds:");
    let mut device = Store::default();
    device.private.insert(KeyRef::ka(esme), dev_ka.clone());
    device.private.insert(KeyRef::ds(esme), dev_ds.clone());
    device.public.insert(
        KeyRef::ka(supplier),
        head_end_keys.public[&KeyRef::ka(supplier)].clone(),
    );
    let mut dctx = SecurityContext::with_provider(device, RustCrypto);
    let dt = [0x07, 0xEA, 11, 30, 1, 0, 0, 0, 0, 0x80, 0, 0xFF];
    let header = SecurityContext::<Store, RustCrypto>::response_header(&cmd.header, Some(dt));
    let mut content = b"\xDA\x20\x00\x03\xE8\x00\x01".to_vec();
    dctx.encrypt_part(&header, b"import register 12345678", &mut content)
        .unwrap();
    let signing = smets_gbcs::envelope::GeneralSigning {
        header,
        content_length_form: smets_gbcs::envelope::LengthForm::minimal(content.len()),
        content: &content,
        signature: None,
    };
    let non_critical = dctx
        .seal(&signing, Form::MacHeader, SignWith::Nothing)
        .unwrap();
    let critical = dctx
        .seal(&signing, Form::Signed, SignWith::Originator)
        .unwrap();
    // The head-end: every RTDS key plus the device's public keys.
    let mut he = head_end_keys;
    he.public.insert(KeyRef::ka(esme), dev_ka.public_key());
    he.public.insert(KeyRef::ds(esme), dev_ds.public_key());
    let mut hctx = SecurityContext::with_provider(he, RustCrypto);
    let (m, v) = hctx.verify(&non_critical, None).unwrap();
    let s = m.signing().unwrap();
    assert_eq!(s.header.transaction_id.cra_flag, CraFlag::Response);
    assert_eq!(s.header.transaction_id.originator_counter, 1000);
    assert_eq!((s.header.originator, s.header.recipient), (esme, supplier));
    assert_eq!((v.mac, v.signature), (Check::Valid, Check::Absent));
    let key = hctx.encryption_key(&s.header).unwrap();
    assert_eq!(
        decrypt_part(&key, esme, &s.content[7..]).unwrap(),
        b"import register 12345678"
    );
    let (_, v) = hctx.verify(&critical, None).unwrap();
    assert_eq!((v.mac, v.signature), (Check::Absent, Check::Valid));
    // A device cannot seal a response without its keys.
    let mut nokeys = SecurityContext::with_provider(Store::default(), RustCrypto);
    assert!(
        nokeys
            .seal(&signing, Form::MacHeader, SignWith::Nothing)
            .is_err()
    );
}
