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
