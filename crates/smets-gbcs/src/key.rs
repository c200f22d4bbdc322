//! GBCS key material (GBCS 4.3, SMKI): P-256 private and public keys, what
//! they are for (key agreement or digital signature) and whose they are.
//! Loading keys from files and certificates lives in [`crate::keys`].

use core::fmt;

use p256::elliptic_curve::sec1::ToSec1Point;
use smets_core::Eui64;

/// Length of an uncompressed SEC1 P-256 point: `04 ‖ X ‖ Y`.
pub const PUBLIC_KEY_LEN: usize = 65;
/// Length of a P-256 private scalar.
pub const PRIVATE_KEY_LEN: usize = 32;

/// What a key is certified for (SMKI key usage): key agreement (ECDH, for
/// MACs and payload encryption) or digital signature (ECDSA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyUsage {
    /// "KA": keyAgreement.
    KeyAgreement,
    /// "DS": digitalSignature.
    DigitalSignature,
}

impl KeyUsage {
    /// "KA" or "DS", as GBCS and the SMKI documents write them.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::KeyAgreement => "KA",
            Self::DigitalSignature => "DS",
        }
    }

    /// From "KA" or "DS" (any case).
    #[must_use]
    pub fn from_label(s: &str) -> Option<Self> {
        if s.eq_ignore_ascii_case("KA") {
            Some(Self::KeyAgreement)
        } else if s.eq_ignore_ascii_case("DS") {
            Some(Self::DigitalSignature)
        } else {
            None
        }
    }
}

/// Which key: the entity (Entity Identifier, an EUI-64), its usage and,
/// for a supplier's key agreement, whether it is the separate prepayment key
/// used for UTRN top-ups (GBCS 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyRef {
    /// Entity Identifier of the key's owner.
    pub entity: Eui64,
    /// Key agreement or digital signature.
    pub usage: KeyUsage,
    /// The supplier's prepayment key-agreement key.
    pub prepayment: bool,
}

impl KeyRef {
    /// The key-agreement key of `entity`.
    #[must_use]
    pub const fn ka(entity: Eui64) -> Self {
        Self {
            entity,
            usage: KeyUsage::KeyAgreement,
            prepayment: false,
        }
    }

    /// The digital-signature key of `entity`.
    #[must_use]
    pub const fn ds(entity: Eui64) -> Self {
        Self {
            entity,
            usage: KeyUsage::DigitalSignature,
            prepayment: false,
        }
    }

    /// The prepayment key-agreement key of `entity`.
    #[must_use]
    pub const fn prepayment_ka(entity: Eui64) -> Self {
        Self {
            entity,
            usage: KeyUsage::KeyAgreement,
            prepayment: true,
        }
    }
}

impl fmt::Display for KeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}:{}", self.entity.0, self.usage.label())?;
        if self.prepayment {
            f.write_str(":pp")?;
        }
        Ok(())
    }
}

/// Remote Party Role (GBCS ASN.1 `RemotePartyRole`, the role of an
/// organisation certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RemotePartyRole {
    /// 0: root.
    Root,
    /// 1: recovery.
    Recovery,
    /// 2: supplier.
    Supplier,
    /// 3: network operator.
    NetworkOperator,
    /// 4: Access Control Broker (the DCC).
    AccessControlBroker,
    /// 5: transitional change of supplier.
    TransitionalCoS,
    /// 6: WAN provider.
    WanProvider,
    /// 7: issuing authority.
    IssuingAuthority,
    /// 8: load controller.
    LoadController,
    /// 127: other.
    Other,
}

impl RemotePartyRole {
    /// Every role, in number order.
    pub const ALL: [Self; 10] = [
        Self::Root,
        Self::Recovery,
        Self::Supplier,
        Self::NetworkOperator,
        Self::AccessControlBroker,
        Self::TransitionalCoS,
        Self::WanProvider,
        Self::IssuingAuthority,
        Self::LoadController,
        Self::Other,
    ];

    /// The role's number.
    #[must_use]
    pub const fn value(self) -> u8 {
        match self {
            Self::Root => 0,
            Self::Recovery => 1,
            Self::Supplier => 2,
            Self::NetworkOperator => 3,
            Self::AccessControlBroker => 4,
            Self::TransitionalCoS => 5,
            Self::WanProvider => 6,
            Self::IssuingAuthority => 7,
            Self::LoadController => 8,
            Self::Other => 127,
        }
    }

    /// snake_case name: "supplier", "network_operator", "access_control_broker", ...
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Recovery => "recovery",
            Self::Supplier => "supplier",
            Self::NetworkOperator => "network_operator",
            Self::AccessControlBroker => "access_control_broker",
            Self::TransitionalCoS => "transitional_cos",
            Self::WanProvider => "wan_provider",
            Self::IssuingAuthority => "issuing_authority",
            Self::LoadController => "load_controller",
            Self::Other => "other",
        }
    }

    /// From the role's number.
    #[must_use]
    pub fn from_value(v: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.value() == v)
    }

    /// From its snake_case label or the ASN.1 camelCase name
    /// ("networkOperator").
    #[must_use]
    pub fn from_label(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| {
            r.label() == s
                || (r.label().len() == s.len() + r.label().matches('_').count()
                    && r.label()
                        .split('_')
                        .flat_map(str::chars)
                        .zip(s.chars())
                        .all(|(a, b)| a.eq_ignore_ascii_case(&b)))
        })
    }
}

/// Where verification and signing find keys: by entity, usage and
/// prepayment variant (DESIGN: keys live behind a store). A store holds
/// the private keys of the parties it acts for and the public keys (from
/// certificates) of the parties it talks to.
pub trait KeyStore {
    /// The private key `key`, if this store holds it.
    fn private_key(&self, key: &KeyRef) -> Option<&PrivateKey>;
    /// The public key `key`: from a certificate, a public key, or derived
    /// from the private key.
    fn public_key(&self, key: &KeyRef) -> Option<&PublicKey>;
    /// The Remote Party Role of `entity`, when known.
    fn role(&self, entity: Eui64) -> Option<RemotePartyRole> {
        let _ = entity;
        None
    }
}

/// A P-256 public key (an uncompressed SEC1 point on the curve, checked).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: p256::PublicKey,
    sec1: [u8; PUBLIC_KEY_LEN],
}

impl PublicKey {
    /// From a SEC1 point, compressed (33 bytes) or uncompressed (65 bytes);
    /// `None` when it is not a point on P-256.
    #[must_use]
    pub fn from_sec1(bytes: &[u8]) -> Option<Self> {
        p256::PublicKey::from_sec1_bytes(bytes)
            .ok()
            .map(Self::from_p256)
    }

    /// From a RustCrypto public key.
    #[must_use]
    pub fn from_p256(key: p256::PublicKey) -> Self {
        let mut sec1 = [0u8; PUBLIC_KEY_LEN];
        let point = key.to_sec1_point(false);
        if let Some(dst) = sec1.get_mut(..point.as_bytes().len()) {
            dst.copy_from_slice(point.as_bytes());
        }
        Self { key, sec1 }
    }

    /// The uncompressed point `04 ‖ X ‖ Y`.
    #[must_use]
    pub const fn to_sec1(&self) -> &[u8; PUBLIC_KEY_LEN] {
        &self.sec1
    }

    /// The RustCrypto key.
    #[must_use]
    pub const fn as_p256(&self) -> &p256::PublicKey {
        &self.key
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicKey(")?;
        for b in &self.sec1 {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

/// A P-256 private key. Its scalar is wiped when dropped and never printed.
/// The public key is computed once, when the key is made.
#[derive(Clone)]
pub struct PrivateKey {
    key: p256::SecretKey,
    public: PublicKey,
}

impl PrivateKey {
    /// From the 32-byte big-endian scalar; `None` when it is zero or not
    /// below the group order.
    #[must_use]
    pub fn from_scalar(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != PRIVATE_KEY_LEN {
            return None;
        }
        p256::SecretKey::from_slice(bytes).ok().map(Self::from_p256)
    }

    /// From a RustCrypto secret key.
    #[must_use]
    pub fn from_p256(key: p256::SecretKey) -> Self {
        let public = PublicKey::from_p256(key.public_key());
        Self { key, public }
    }

    /// The matching public key.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        self.public.clone()
    }

    /// The matching public key, borrowed.
    #[must_use]
    pub const fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The RustCrypto key.
    #[must_use]
    pub const fn as_p256(&self) -> &p256::SecretKey {
        &self.key
    }

    /// The scalar, for a backend that needs it; wiped when the result drops.
    #[must_use]
    pub fn to_scalar(&self) -> zeroize::Zeroizing<[u8; PRIVATE_KEY_LEN]> {
        let mut out = zeroize::Zeroizing::new([0u8; PRIVATE_KEY_LEN]);
        out.copy_from_slice(&self.key.to_bytes());
        out
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PartialEq for PrivateKey {
    fn eq(&self, other: &Self) -> bool {
        // SecretKey compares in constant time.
        self.key == other.key
    }
}

impl Eq for PrivateKey {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use alloc::format;

    #[test]
    fn private_key_never_prints_and_rejects_bad_scalars() {
        let k = PrivateKey::from_scalar(&[7u8; 32]).unwrap();
        assert_eq!(format!("{k:?}"), "PrivateKey(<redacted>)");
        assert!(PrivateKey::from_scalar(&[0u8; 32]).is_none());
        assert!(PrivateKey::from_scalar(&[0xffu8; 32]).is_none());
        assert!(PrivateKey::from_scalar(&[7u8; 31]).is_none());
        let p = k.public_key();
        assert_eq!(p.to_sec1()[0], 4);
        assert_eq!(PublicKey::from_sec1(p.to_sec1()).unwrap(), p);
        let mut bad = *p.to_sec1();
        bad[64] ^= 1;
        assert!(PublicKey::from_sec1(&bad).is_none());
    }

    #[test]
    fn roles_by_number_and_name() {
        for r in RemotePartyRole::ALL {
            assert_eq!(RemotePartyRole::from_value(r.value()), Some(r));
            assert_eq!(RemotePartyRole::from_label(r.label()), Some(r));
        }
        assert_eq!(
            RemotePartyRole::from_label("networkOperator"),
            Some(RemotePartyRole::NetworkOperator)
        );
        assert_eq!(
            RemotePartyRole::from_label("accessControlBroker"),
            Some(RemotePartyRole::AccessControlBroker)
        );
        assert_eq!(RemotePartyRole::from_label("network"), None);
        assert_eq!(RemotePartyRole::from_value(9), None);
        assert_eq!(
            format!("{}", KeyRef::prepayment_ka(Eui64(0x90B3_D51F_3001_0000))),
            "90B3D51F30010000:KA:pp"
        );
    }
}
