//! The keys a dissector tries: network keys by sequence number, link keys
//! per partner or global, keys from install codes, and MAC-layer keys.
//!
//! Every key is stored with its AES key schedule, and link keys with the
//! key-transport and key-load keys hashed from them (ZigBee R22 4.5.3), so
//! no frame pays for a key expansion or a hash.

use alloc::vec::Vec;
use core::fmt;

use smets_core::Eui64;

use crate::security::{CcmStar, InstallCode, Key128, key_load_key, key_transport_key};

/// Where a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// Given by the user (keys file, command line).
    Configured,
    /// Derived from an install code.
    InstallCode,
    /// The well-known ZigBeeAlliance09 Trust Center link key, opted into.
    WellKnown,
    /// Read from a Transport Key command in the given frame (1-based).
    Learned {
        /// Frame number that carried it.
        frame: usize,
    },
    /// Read from a pcapng Decryption Secrets Block.
    CaptureSecrets,
}

/// A network key.
#[derive(Clone)]
pub struct NetworkKey {
    /// The key.
    pub key: Key128,
    /// Key sequence number, when known.
    pub seq: Option<u8>,
    /// Where it came from.
    pub source: KeySource,
    ccm: CcmStar,
}

/// A link key with the keys hashed from it.
#[derive(Clone)]
pub struct LinkKey {
    /// The key.
    pub key: Key128,
    /// The device it is shared with; `None` for a global key.
    pub partner: Option<Eui64>,
    /// Where it came from.
    pub source: KeySource,
    data: CcmStar,
    transport: CcmStar,
    load: CcmStar,
}

impl fmt::Debug for NetworkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkKey")
            .field("seq", &self.seq)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LinkKey")
            .field("partner", &self.partner)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Which of a link key's three forms secured a frame (ZigBee R22 table 4.39).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKeyUse {
    /// The link key itself (key identifier 0).
    Data,
    /// HMAC-MMO(link key, 0x00) (key identifier 2).
    KeyTransport,
    /// HMAC-MMO(link key, 0x02) (key identifier 3).
    KeyLoad,
}

impl LinkKey {
    /// CCM* under the form of this key that `usage` names.
    #[must_use]
    pub fn ccm(&self, usage: LinkKeyUse) -> &CcmStar {
        match usage {
            LinkKeyUse::Data => &self.data,
            LinkKeyUse::KeyTransport => &self.transport,
            LinkKeyUse::KeyLoad => &self.load,
        }
    }
}

impl NetworkKey {
    /// CCM* under this key.
    #[must_use]
    pub fn ccm(&self) -> &CcmStar {
        &self.ccm
    }
}

/// The keys a [`super::Dissector`] tries.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    network: Vec<NetworkKey>,
    link: Vec<LinkKey>,
    mac: Vec<Key128>,
}

impl KeyRing {
    /// An empty key ring.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a network key; returns `false` when the same key (and sequence
    /// number, if both are known) is already there.
    pub fn add_network_key(&mut self, key: Key128, seq: Option<u8>, source: KeySource) -> bool {
        if let Some(existing) = self.network.iter_mut().find(|k| k.key == key) {
            if existing.seq.is_none() {
                existing.seq = seq;
            }
            return false;
        }
        let ccm = CcmStar::new(&key);
        self.network.push(NetworkKey {
            key,
            seq,
            source,
            ccm,
        });
        true
    }

    /// Adds a link key shared with `partner` (or global when `None`); returns
    /// `false` when it is already there.
    pub fn add_link_key(&mut self, key: Key128, partner: Option<Eui64>, source: KeySource) -> bool {
        if self
            .link
            .iter()
            .any(|k| k.key == key && k.partner == partner)
        {
            return false;
        }
        let data = CcmStar::new(&key);
        let transport = CcmStar::new(&key_transport_key(&key));
        let load = CcmStar::new(&key_load_key(&key));
        self.link.push(LinkKey {
            key,
            partner,
            source,
            data,
            transport,
            load,
        });
        true
    }

    /// Adds the link key an install code hashes to.
    pub fn add_install_code(&mut self, code: &InstallCode, device: Option<Eui64>) -> bool {
        self.add_link_key(code.link_key(), device, KeySource::InstallCode)
    }

    /// Adds the well-known ZigBeeAlliance09 Trust Center link key.
    pub fn add_well_known_link_key(&mut self) -> bool {
        self.add_link_key(Key128::ZIGBEE_ALLIANCE_09, None, KeySource::WellKnown)
    }

    /// Adds an IEEE 802.15.4 MAC-layer key (used as is: no key derivation).
    pub fn add_mac_key(&mut self, key: Key128) -> bool {
        if self.mac.contains(&key) {
            return false;
        }
        self.mac.push(key);
        true
    }

    /// The network keys, in the order added.
    #[must_use]
    pub fn network_keys(&self) -> &[NetworkKey] {
        &self.network
    }

    /// The link keys, in the order added.
    #[must_use]
    pub fn link_keys(&self) -> &[LinkKey] {
        &self.link
    }

    /// The MAC-layer keys, in the order added.
    #[must_use]
    pub fn mac_keys(&self) -> &[Key128] {
        &self.mac
    }

    /// Network keys to try for a frame that names key sequence number `seq`:
    /// the keys known to carry that number first, then those whose number is unknown,
    /// then the rest.
    pub fn network_candidates(
        &self,
        seq: Option<u8>,
    ) -> impl Iterator<Item = (usize, &NetworkKey)> {
        let rank = move |k: &NetworkKey| match (k.seq, seq) {
            (Some(a), Some(b)) if a == b => 0,
            (None, _) => 1,
            _ => 2,
        };
        (0..3).flat_map(move |r| {
            self.network
                .iter()
                .enumerate()
                .filter(move |(_, k)| rank(k) == r)
        })
    }

    /// Link keys to try for a frame between `a` and `b`: keys shared with
    /// either device first, then global keys, then every other key.
    pub fn link_candidates(
        &self,
        a: Option<Eui64>,
        b: Option<Eui64>,
    ) -> impl Iterator<Item = (usize, &LinkKey)> {
        let rank = move |k: &LinkKey| match k.partner {
            Some(p) if Some(p) == a || Some(p) == b => 0,
            None => 1,
            Some(_) => 2,
        };
        (0..3).flat_map(move |r| {
            self.link
                .iter()
                .enumerate()
                .filter(move |(_, k)| rank(k) == r)
        })
    }

    /// Whether the ring holds no key at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.network.is_empty() && self.link.is_empty() && self.mac.is_empty()
    }
}
