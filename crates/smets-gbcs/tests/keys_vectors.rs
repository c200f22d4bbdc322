//! Every key of the public GBCS test key file (`gbcs/keys.json`): private
//! keys (PEM and hex) give the published public key, certificates give the
//! published entity, usage, role, serial and key, and stores built from the
//! file answer lookups by (entity, usage, prepayment). The vectors are read
//! from `$SMETS_VECTORS` or `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::vectors_dir;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use smets_core::Eui64;
use smets_gbcs::keys::{
    CertificateKind, KeyError, MemoryKeyStore, SmkiCertificate, parse_private_key,
};
use smets_gbcs::{KeyRef, KeyStore, KeyUsage, PublicKey, RemotePartyRole};

/// One entry of keys.json, with the fields these tests read.
struct Entry {
    id: String,
    key: KeyRef,
    role: Option<RemotePartyRole>,
    public: PublicKey,
    private_pem: Option<String>,
    private_hex: Option<String>,
    certificate: Option<String>,
    serial: Option<u128>,
}

fn text(v: &Value, field: &str) -> Option<String> {
    v[field].as_str().map(str::to_owned)
}

fn entries() -> Option<Vec<Entry>> {
    let path = vectors_dir()?.join("gbcs/keys.json");
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: Value = serde_json::from_str(&file).unwrap();
    let keys = json["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 72);
    Some(
        keys.iter()
            .map(|k| {
                let id = text(k, "id").unwrap();
                let eui = u64::from_str_radix(k["eui"].as_str().unwrap(), 16).unwrap();
                let usage = KeyUsage::from_label(k["usage"].as_str().unwrap()).unwrap();
                let prepayment = match k["variant"].as_str() {
                    None => false,
                    Some("pp") => true,
                    Some(other) => panic!("{id}: variant {other}"),
                };
                let role = k["role"]
                    .as_str()
                    .map(|r| RemotePartyRole::from_label(r).unwrap_or_else(|| panic!("{id}: {r}")));
                let public = parse_public_key(k["public_key_uncompressed_hex"].as_str().unwrap())
                    .unwrap_or_else(|e| panic!("{id}: public key: {e}"));
                let serial = k["notes"].as_str().and_then(|n| {
                    n.strip_prefix("certificate serial ")
                        .map(|s| s.parse::<u128>().unwrap())
                });
                Entry {
                    key: KeyRef {
                        entity: Eui64(eui),
                        usage,
                        prepayment,
                    },
                    role,
                    public,
                    private_pem: text(k, "private_key_pem"),
                    private_hex: text(k, "private_key_hex"),
                    certificate: text(k, "certificate_pem"),
                    serial,
                    id,
                }
            })
            .collect(),
    )
}

fn parse_public_key(hex: &str) -> Result<PublicKey, KeyError> {
    smets_gbcs::keys::parse_public_key(hex.as_bytes())
}

#[test]
fn private_keys_give_the_published_public_keys() {
    let Some(entries) = entries() else { return };
    let (mut pems, mut hexes) = (0, 0);
    for e in &entries {
        let from_pem = e.private_pem.as_ref().map(|p| {
            pems += 1;
            parse_private_key(p.as_bytes()).unwrap_or_else(|err| panic!("{}: pem: {err}", e.id))
        });
        let from_hex = e.private_hex.as_ref().map(|h| {
            hexes += 1;
            parse_private_key(h.as_bytes()).unwrap_or_else(|err| panic!("{}: hex: {err}", e.id))
        });
        if let (Some(a), Some(b)) = (&from_pem, &from_hex) {
            assert_eq!(a, b, "{}", e.id);
        }
        for k in from_pem.iter().chain(&from_hex) {
            assert_eq!(k.public_key(), e.public, "{}", e.id);
            assert!(!format!("{k:?}").contains(&e.private_hex.clone().unwrap_or_default()[..8]));
        }
    }
    assert_eq!((pems, hexes), (50, 52));
}

#[test]
fn certificates_give_the_published_facts() {
    let Some(entries) = entries() else { return };
    let mut disagree = BTreeSet::new();
    let mut checked = 0;
    for e in &entries {
        let Some(pem) = &e.certificate else { continue };
        let c =
            SmkiCertificate::parse(pem.as_bytes()).unwrap_or_else(|err| panic!("{}: {err}", e.id));
        checked += 1;
        assert_eq!(c.public_key, e.public, "{}: key", e.id);
        if c.entity != Some(e.key.entity) {
            disagree.insert(format!(
                "{}: entity {:016X}",
                e.id,
                c.entity.map_or(0, |x| x.0)
            ));
        }
        if c.usage != Some(e.key.usage) {
            disagree.insert(format!("{}: usage {:?}", e.id, c.usage));
        }
        if let Some(role) = e.role {
            assert_eq!(c.role, Some(role), "{}: role", e.id);
        }
        if let Some(serial) = e.serial {
            assert_eq!(c.serial.to_u128(), Some(serial), "{}: serial", e.id);
        }
        // Devices have no role; organisations have one.
        match c.kind {
            CertificateKind::Device => assert_eq!(c.role, None, "{}", e.id),
            CertificateKind::Organisation => assert!(c.role.is_some(), "{}", e.id),
            CertificateKind::Other => panic!("{}: neither device nor organisation", e.id),
        }
        assert!(c.not_before < c.not_after, "{}", e.id);
    }
    assert_eq!(checked, 65);
    // The RTDS key store files supplier 2's key-agreement key and certificate
    // under the WAN provider's name too (see its same_key_as).
    let expected: BTreeSet<String> =
        ["rtds:90b3d51f30000007:KA: entity 90B3D51F30030000".to_owned()].into();
    assert_eq!(disagree, expected);
}

#[test]
fn certificate_bit_flips_and_truncations() {
    let Some(entries) = entries() else { return };
    for e in &entries {
        let Some(pem) = &e.certificate else { continue };
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64_decode(&b64);
        let key = e.public.to_sec1();
        let at = der.windows(65).position(|w| w == key).unwrap();
        for i in at * 8..(at + 65) * 8 {
            let mut d = der.clone();
            d[i / 8] ^= 1 << (i % 8);
            if let Ok(c) = SmkiCertificate::from_der(&d) {
                assert_ne!(&c.public_key, &e.public, "{}: bit {i}", e.id);
            }
        }
        for cut in 0..der.len() {
            assert!(
                SmkiCertificate::from_der(&der[..cut]).is_err(),
                "{}: {cut}",
                e.id
            );
        }
    }
}

#[test]
fn private_key_truncations() {
    let Some(entries) = entries() else { return };
    for e in entries.iter().filter(|e| e.private_pem.is_some()).take(4) {
        let pem = e.private_pem.as_ref().unwrap();
        let end = pem.rfind("-----").unwrap() + 5;
        for cut in 0..pem.len() {
            let r = parse_private_key(&pem.as_bytes()[..cut]);
            assert_eq!(r.is_ok(), cut >= end, "{}: {cut}", e.id);
        }
        let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64_decode(&b64);
        for cut in 0..der.len() {
            assert!(parse_private_key(&der[..cut]).is_err(), "{}: {cut}", e.id);
        }
    }
}

/// Inserts an entry (its private key, or else its public key, then its
/// certificate) as a key store loader would.
fn insert(store: &mut MemoryKeyStore, e: &Entry) -> Result<(), KeyError> {
    let private = e
        .private_pem
        .as_ref()
        .or(e.private_hex.as_ref())
        .map(|p| parse_private_key(p.as_bytes()).unwrap());
    match private {
        Some(k) => store.insert_private(e.key, k)?,
        None => store.insert_public(e.key, e.public.clone())?,
    }
    if let Some(role) = e.role {
        store.set_role(e.key.entity, role);
    }
    if let Some(pem) = &e.certificate {
        let c = SmkiCertificate::parse(pem.as_bytes()).unwrap();
        store.insert_smki_certificate(&c, e.key.prepayment)?;
    }
    Ok(())
}

#[test]
fn a_store_of_the_whole_file() {
    let Some(entries) = entries() else { return };
    // The first key published for each reference wins; a later, different
    // key for the same reference (the DCC Boxed "Z1b" re-issue, the RTDS
    // load controller) must be refused.
    let mut first: BTreeMap<KeyRef, &PublicKey> = BTreeMap::new();
    let mut store = MemoryKeyStore::new();
    let mut refused = Vec::new();
    for e in &entries {
        let conflict = first.get(&e.key).is_some_and(|k| **k != e.public);
        first.entry(e.key).or_insert(&e.public);
        match insert(&mut store, e) {
            Ok(()) => assert!(!conflict, "{}: accepted", e.id),
            Err(KeyError::ConflictingKey(k)) => {
                assert!(conflict, "{}: refused", e.id);
                assert_eq!(k, e.key, "{}", e.id);
                refused.push(e.id.as_str());
            }
            Err(err) => panic!("{}: {err}", e.id),
        }
    }
    assert_eq!(refused.len(), 12, "{refused:?}");
    assert!(
        refused
            .iter()
            .all(|id| id.contains(":Z1b-") || id.contains("90b3d51f30010008"))
    );
    // The WAN provider's RTDS KA certificate is supplier 2's, filed there.
    assert_eq!(store.len(), first.len());

    for (key, public) in &first {
        assert_eq!(store.public_key(key), Some(*public), "{key}");
        let has_private = entries.iter().any(|e| {
            e.key == *key
                && e.public == **public
                && (e.private_pem.is_some() || e.private_hex.is_some())
        });
        assert_eq!(store.private_key(key).is_some(), has_private, "{key}");
        if let Some(p) = store.private_key(key) {
            assert_eq!(&p.public_key(), *public, "{key}");
        }
    }
    for e in &entries {
        if let Some(role) = e.role {
            assert_eq!(store.role(e.key.entity), Some(role), "{}", e.id);
        }
    }

    let supplier = Eui64(0x90B3_D51F_3001_0000);
    let ka = store.public_key(&KeyRef::ka(supplier)).unwrap();
    let pp = store.public_key(&KeyRef::prepayment_ka(supplier)).unwrap();
    assert_ne!(ka, pp);
    let pp_entry = entries
        .iter()
        .find(|e| e.id == "rtds:90b3d51f30010000:KA:pp")
        .unwrap();
    assert_eq!(pp, &pp_entry.public);
    assert!(
        store
            .private_key(&KeyRef::prepayment_ka(supplier))
            .is_some()
    );
    assert!(store.private_key(&KeyRef::ds(supplier)).is_some());
    assert!(
        store
            .public_key(&KeyRef::prepayment_ka(Eui64(0x90B3_D51F_3002_0000)))
            .is_none()
    );
    let acb = Eui64(0x90B3_D51F_3000_0002);
    assert_eq!(store.role(acb), Some(RemotePartyRole::AccessControlBroker));
    let device = Eui64(0x00DB_1234_5678_90A3);
    assert!(store.public_key(&KeyRef::ds(device)).is_some());
    assert!(store.private_key(&KeyRef::ds(device)).is_none());
    assert_eq!(store.role(device), None);
}

#[test]
fn one_store_per_environment_has_no_conflict() {
    let Some(entries) = entries() else { return };
    let rtds: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.id.starts_with("rtds:"))
        .collect();
    let z1: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.id.starts_with("boxed:") && !e.id.contains(":Z1b-"))
        .collect();
    for set in [&rtds, &z1] {
        let mut store = MemoryKeyStore::new();
        for e in set {
            insert(&mut store, e).unwrap_or_else(|err| panic!("{}: {err}", e.id));
        }
        for e in set {
            assert_eq!(store.public_key(&e.key), Some(&e.public), "{}", e.id);
        }
        let with_private = store.iter().filter(|(_, private)| *private).count();
        let expected = set
            .iter()
            .filter(|e| e.private_pem.is_some() || e.private_hex.is_some())
            .map(|e| e.key)
            .collect::<BTreeSet<_>>()
            .len();
        assert_eq!(with_private, expected);
    }
}

/// A small Base64 decoder, so that the tests do not read DER through the
/// code under test.
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from(acc >> bits).unwrap());
            acc &= (1 << bits) - 1;
        }
    }
    out
}
