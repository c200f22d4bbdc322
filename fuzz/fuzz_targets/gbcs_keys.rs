#![no_main]
//! `smets_gbcs::keys`: any bytes through the private-key, public-key and
//! SMKI certificate readers (PEM, DER, hex). None panics; an error's offset
//! lies inside the input; a private key never prints its scalar; a public
//! key is the point it re-reads as; a certificate the store files under
//! the reference, key and role it names.

use libfuzzer_sys::fuzz_target;
use smets_gbcs::KeyStore;
use smets_gbcs::keys::{
    KeyError, MemoryKeyStore, SmkiCertificate, parse_private_key, parse_public_key,
};
use smets_gbcs::{KeyUsage, PublicKey};

/// Offsets and lengths an error reports fit the input they came from (a PEM
/// body decodes to fewer bytes than its text).
fn check_error(e: &KeyError, data: &[u8]) {
    let _ = format!("{e} {e:?}");
    match e {
        KeyError::Hex { offset } => assert!(*offset <= data.len(), "{e:?}"),
        KeyError::Length { actual, .. } => assert!(*actual <= data.len(), "{e:?}"),
        KeyError::Der(d) => {
            if let Some(p) = d.position() {
                assert!(usize::try_from(p).is_ok_and(|p| p <= data.len()), "{e:?}");
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    match parse_private_key(data) {
        Ok(k) => {
            let scalar = hex::encode(*k.to_scalar());
            for printed in [format!("{k:?}"), format!("{k:#?}")] {
                let printed = printed.to_ascii_lowercase();
                assert!(!printed.contains(&scalar), "{printed}");
                assert!(!printed.contains(&scalar[..16]), "{printed}");
            }
            let p = k.public_key();
            assert_eq!(PublicKey::from_sec1(p.to_sec1()).as_ref(), Some(&p));
        }
        Err(e) => check_error(&e, data),
    }
    match parse_public_key(data) {
        Ok(p) => {
            assert_eq!(p.to_sec1()[0], 0x04);
            assert_eq!(PublicKey::from_sec1(p.to_sec1()).as_ref(), Some(&p));
            let text = hex::encode(p.to_sec1());
            assert_eq!(parse_public_key(text.as_bytes()).as_ref(), Ok(&p));
        }
        Err(e) => check_error(&e, data),
    }
    match SmkiCertificate::parse(data) {
        Ok(c) => {
            let mut store = MemoryKeyStore::new();
            match c.key_ref(false) {
                Ok(r) => {
                    assert_eq!(Some(r.entity), c.entity);
                    assert_eq!(Some(r.usage), c.usage);
                    assert!(!r.prepayment);
                    assert_eq!(store.insert_smki_certificate(&c, false), Ok(r));
                    assert_eq!(store.public_key(&r), Some(&c.public_key));
                    assert_eq!(store.private_key(&r), None);
                    assert_eq!(store.role(r.entity), c.role);
                    // The same certificate again changes nothing.
                    assert_eq!(store.insert_smki_certificate(&c, false), Ok(r));
                    assert_eq!(store.len(), 1);
                }
                Err(e) => {
                    assert!(c.entity.is_none() || c.usage.is_none(), "{e:?}");
                    assert_eq!(store.insert_smki_certificate(&c, false), Err(e));
                    assert!(store.is_empty());
                }
            }
            if let Ok(r) = c.key_ref(true) {
                assert_eq!(r.usage, KeyUsage::KeyAgreement);
                assert!(r.prepayment);
            }
            if c.role.is_some() {
                assert_eq!(
                    c.kind,
                    smets_gbcs::keys::CertificateKind::Organisation,
                    "{c:?}"
                );
            }
        }
        Err(e) => check_error(&e, data),
    }
});
