//! An in-memory [`KeyStore`]: one key pair (or public key alone) per
//! [`KeyRef`], and the Remote Party Role of each entity. It never replaces
//! a key silently; it does not persist anything.

use alloc::collections::BTreeMap;

use smets_core::Eui64;

use super::KeyError;
use super::certificate::SmkiCertificate;
use crate::key::{KeyRef, KeyStore, PrivateKey, PublicKey, RemotePartyRole};

/// A key held by the store: the public key always (from a certificate, a
/// public key file, or derived from the private key), the private key when
/// the store acts for its owner.
#[derive(Debug, Clone)]
struct Held {
    public: PublicKey,
    private: Option<PrivateKey>,
}

/// In-memory GBCS key store, keyed by [`KeyRef`] (entity, usage,
/// prepayment). A reference holds one key: inserting a key that disagrees
/// with the one held (another private key, or a public key that is not the
/// held private key's) is [`KeyError::ConflictingKey`], and inserting the
/// same key again does nothing. [`MemoryKeyStore::remove`] makes room for a
/// new key. Private keys are wiped when the store drops and never printed.
#[derive(Debug, Clone, Default)]
pub struct MemoryKeyStore {
    keys: BTreeMap<KeyRef, Held>,
    roles: BTreeMap<Eui64, RemotePartyRole>,
}

impl MemoryKeyStore {
    /// An empty store.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            keys: BTreeMap::new(),
            roles: BTreeMap::new(),
        }
    }

    /// Holds `private` as `key`, and its public key with it.
    pub fn insert_private(&mut self, key: KeyRef, private: PrivateKey) -> Result<(), KeyError> {
        let public = private.public_key();
        match self.keys.get_mut(&key) {
            None => {
                self.keys.insert(
                    key,
                    Held {
                        public,
                        private: Some(private),
                    },
                );
            }
            Some(held) => {
                if held.public != public {
                    return Err(KeyError::ConflictingKey(key));
                }
                // Equal public keys mean equal scalars on a prime-order curve.
                held.private = Some(private);
            }
        }
        Ok(())
    }

    /// Holds `public` as `key`; it must agree with a key already held.
    pub fn insert_public(&mut self, key: KeyRef, public: PublicKey) -> Result<(), KeyError> {
        match self.keys.get(&key) {
            None => {
                self.keys.insert(
                    key,
                    Held {
                        public,
                        private: None,
                    },
                );
                Ok(())
            }
            Some(held) if held.public == public => Ok(()),
            Some(_) => Err(KeyError::ConflictingKey(key)),
        }
    }

    /// Reads a certificate (PEM or DER, [`SmkiCertificate::parse`]) and
    /// holds its key under (entity, usage), with its Remote Party Role.
    /// Returns where the key was filed.
    pub fn insert_certificate(&mut self, cert: &[u8]) -> Result<KeyRef, KeyError> {
        self.insert_smki_certificate(&SmkiCertificate::parse(cert)?, false)
    }

    /// As [`MemoryKeyStore::insert_certificate`], for the certificate of a
    /// supplier's prepayment key-agreement key (GBCS 14), which the
    /// certificate itself does not mark.
    pub fn insert_prepayment_certificate(&mut self, cert: &[u8]) -> Result<KeyRef, KeyError> {
        self.insert_smki_certificate(&SmkiCertificate::parse(cert)?, true)
    }

    /// Holds the key of a parsed certificate, with its role. Nothing is
    /// changed when the key or the role conflicts with what is held.
    pub fn insert_smki_certificate(
        &mut self,
        cert: &SmkiCertificate,
        prepayment: bool,
    ) -> Result<KeyRef, KeyError> {
        let key = cert.key_ref(prepayment)?;
        if let (Some(role), Some(held)) = (cert.role, self.roles.get(&key.entity))
            && *held != role
        {
            return Err(KeyError::ConflictingRole(key.entity));
        }
        self.insert_public(key, cert.public_key.clone())?;
        if let Some(role) = cert.role {
            self.roles.insert(key.entity, role);
        }
        Ok(key)
    }

    /// Sets the Remote Party Role of `entity`; returns the role it had.
    pub fn set_role(&mut self, entity: Eui64, role: RemotePartyRole) -> Option<RemotePartyRole> {
        self.roles.insert(entity, role)
    }

    /// Drops the key filed as `key`; returns whether one was held.
    pub fn remove(&mut self, key: &KeyRef) -> bool {
        self.keys.remove(key).is_some()
    }

    /// How many keys (references) the store holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the store holds no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every reference held, in order, with whether its private key is held.
    pub fn iter(&self) -> impl Iterator<Item = (KeyRef, bool)> + '_ {
        self.keys.iter().map(|(k, h)| (*k, h.private.is_some()))
    }
}

impl KeyStore for MemoryKeyStore {
    fn private_key(&self, key: &KeyRef) -> Option<&PrivateKey> {
        self.keys.get(key)?.private.as_ref()
    }

    fn public_key(&self, key: &KeyRef) -> Option<&PublicKey> {
        self.keys.get(key).map(|h| &h.public)
    }

    fn role(&self, entity: Eui64) -> Option<RemotePartyRole> {
        self.roles.get(&entity).copied()
    }
}

/// A borrowed store is a store, so that decoders can take `impl KeyStore`
/// without owning it.
impl<T: KeyStore + ?Sized> KeyStore for &T {
    fn private_key(&self, key: &KeyRef) -> Option<&PrivateKey> {
        (**self).private_key(key)
    }

    fn public_key(&self, key: &KeyRef) -> Option<&PublicKey> {
        (**self).public_key(key)
    }

    fn role(&self, entity: Eui64) -> Option<RemotePartyRole> {
        (**self).role(entity)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::format;
    use alloc::vec::Vec;

    use super::super::fixtures::*;
    use super::super::{parse_private_key, parse_public_key};
    use super::*;

    const SUPPLIER: Eui64 = Eui64(0x90B3_D51F_3001_0000);
    const ESME: Eui64 = Eui64(0x00DB_1234_5678_90A0);

    fn supplier_key() -> PrivateKey {
        parse_private_key(SUPPLIER_DS_KEY.as_bytes()).unwrap()
    }

    fn other_key() -> PrivateKey {
        parse_private_key(P256_SEC1.as_bytes()).unwrap()
    }

    #[test]
    fn private_then_certificate_then_lookups() {
        let mut s = MemoryKeyStore::new();
        assert!(s.is_empty());
        s.insert_private(KeyRef::ds(SUPPLIER), supplier_key())
            .unwrap();
        assert_eq!(
            s.insert_certificate(SUPPLIER_DS_CERT.as_bytes()),
            Ok(KeyRef::ds(SUPPLIER))
        );
        assert_eq!(
            s.insert_certificate(RTDS_ESME_KA_CERT.as_bytes()),
            Ok(KeyRef::ka(ESME))
        );
        assert_eq!(s.len(), 2);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [(KeyRef::ka(ESME), false), (KeyRef::ds(SUPPLIER), true)]
        );
        assert_eq!(s.private_key(&KeyRef::ds(SUPPLIER)), Some(&supplier_key()));
        assert_eq!(
            s.public_key(&KeyRef::ds(SUPPLIER)),
            Some(&supplier_key().public_key())
        );
        assert_eq!(s.private_key(&KeyRef::ka(ESME)), None);
        assert_eq!(
            s.public_key(&KeyRef::ka(ESME)),
            Some(&parse_public_key(RTDS_ESME_KA_POINT_HEX.as_bytes()).unwrap())
        );
        assert_eq!(s.public_key(&KeyRef::prepayment_ka(ESME)), None);
        assert_eq!(s.public_key(&KeyRef::ds(ESME)), None);
        assert_eq!(s.role(SUPPLIER), Some(RemotePartyRole::Supplier));
        assert_eq!(s.role(ESME), None);

        // Through a reference, as decoders take stores.
        fn lookup(store: impl KeyStore, key: KeyRef) -> bool {
            store.private_key(&key).is_some()
        }
        assert!(lookup(&s, KeyRef::ds(SUPPLIER)));
        assert!(!lookup(&s, KeyRef::ka(ESME)));
    }

    #[test]
    fn conflicting_keys_are_refused_and_change_nothing() {
        let mut s = MemoryKeyStore::new();
        s.insert_certificate(SUPPLIER_DS_CERT.as_bytes()).unwrap();
        let ds = KeyRef::ds(SUPPLIER);
        assert_eq!(
            s.insert_private(ds, other_key()),
            Err(KeyError::ConflictingKey(ds))
        );
        assert_eq!(
            s.insert_public(ds, other_key().public_key()),
            Err(KeyError::ConflictingKey(ds))
        );
        assert_eq!(s.private_key(&ds), None);
        assert_eq!(s.public_key(&ds), Some(&supplier_key().public_key()));
        // The same key again is fine, and the private key joins it.
        s.insert_public(ds, supplier_key().public_key()).unwrap();
        s.insert_private(ds, supplier_key()).unwrap();
        s.insert_private(ds, supplier_key()).unwrap();
        assert_eq!(
            s.insert_private(ds, other_key()),
            Err(KeyError::ConflictingKey(ds))
        );
        assert_eq!(s.private_key(&ds), Some(&supplier_key()));
        // Removing makes room.
        assert!(s.remove(&ds));
        assert!(!s.remove(&ds));
        s.insert_private(ds, other_key()).unwrap();
        assert_eq!(
            s.insert_certificate(SUPPLIER_DS_CERT.as_bytes()),
            Err(KeyError::ConflictingKey(ds))
        );
        assert_eq!(s.public_key(&ds), Some(&other_key().public_key()));
    }

    #[test]
    fn roles() {
        let mut s = MemoryKeyStore::new();
        assert_eq!(s.set_role(SUPPLIER, RemotePartyRole::NetworkOperator), None);
        assert_eq!(
            s.insert_certificate(SUPPLIER_DS_CERT.as_bytes()),
            Err(KeyError::ConflictingRole(SUPPLIER))
        );
        assert!(s.is_empty());
        assert_eq!(
            s.set_role(SUPPLIER, RemotePartyRole::Supplier),
            Some(RemotePartyRole::NetworkOperator)
        );
        s.insert_certificate(SUPPLIER_DS_CERT.as_bytes()).unwrap();
        assert_eq!(s.role(SUPPLIER), Some(RemotePartyRole::Supplier));
    }

    #[test]
    fn prepayment_certificates() {
        let mut s = MemoryKeyStore::new();
        assert_eq!(
            s.insert_prepayment_certificate(SUPPLIER_DS_CERT.as_bytes()),
            Err(KeyError::PrepaymentUsage)
        );
        assert_eq!(
            s.insert_prepayment_certificate(RTDS_ESME_KA_CERT.as_bytes()),
            Ok(KeyRef::prepayment_ka(ESME))
        );
        assert!(s.public_key(&KeyRef::ka(ESME)).is_none());
        assert!(s.insert_certificate(b"not a certificate").is_err());
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn debug_never_prints_a_scalar() {
        let mut s = MemoryKeyStore::new();
        s.insert_private(KeyRef::ka(ESME), other_key()).unwrap();
        let printed = format!("{s:?}");
        assert!(printed.contains("<redacted>"));
        assert!(!printed.to_lowercase().contains("68af4496"), "{printed}");
        assert!(!printed.contains("68:af"));
    }
}
