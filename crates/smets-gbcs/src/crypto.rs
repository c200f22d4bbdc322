//! GBCS cryptography (GBCS 4.3.3, 7.2.5, 7.3): the key derivation (static
//! ECDH on P-256, then the NIST SP 800-56A concatenation KDF with the
//! 33-byte OtherInfo), the GMAC of MAC-header messages, encryption of
//! protected payload parts (AES-128-GCM, 12-byte tags), ECDSA P-256 with
//! raw 64-byte signatures, and a cache of ECDH shared secrets.
//!
//! The asymmetric operations sit behind [`CryptoProvider`]; the default
//! [`RustCrypto`] uses `p256`, and with the `ring` feature [`Ring`] does
//! ECDSA with ring's assembly. The symmetric parts (SHA-256, AES-GCM) are
//! the same RustCrypto code for every provider.

use alloc::collections::BTreeMap;
use core::fmt;

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::aes::Aes128;
use aes_gcm::{AesGcm, Tag};
use sha2::{Digest, Sha256};
use smets_core::Eui64;
use zeroize::Zeroizing;

use crate::envelope::MAC_LEN;
use crate::key::{KeyRef, PrivateKey, PublicKey};

/// AES-128-GCM with a 96-bit IV and the 96-bit tag GBCS uses everywhere.
type Gcm = AesGcm<Aes128, U12, U12>;

/// AlgorithmID of the KDF OtherInfo: the DER content of OID 2.16.756.5.8.3.0,
/// DLMS's "AES-GCM-128" (GBCS 4.3.3.2).
pub const ALGORITHM_ID: [u8; 7] = [0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00];
/// CRA byte of the OtherInfo when the key encrypts payload parts rather than
/// MACs a message (GBCS 7.3.4).
pub const ENCRYPTION_CRA: u8 = 0x04;
/// AAD prefix of a MAC-header message's GMAC: security control `0x11` and
/// five zero bytes, before the General-Signing APDU (GBCS 7.2.5).
pub const MAC_AAD_PREFIX: [u8; 6] = [0x11, 0, 0, 0, 0, 0];
/// Security control byte of an encrypted payload part, also its whole AAD
/// (GBCS 7.3.4: authenticated and encrypted, suite 1).
pub const ENCRYPTION_SECURITY_CONTROL: u8 = 0x31;
/// Length of an ECDSA P-256 signature as GBCS carries it (`r‖s`).
pub const SIGNATURE_LEN: usize = 64;
/// Length of the KDF OtherInfo.
pub const OTHER_INFO_LEN: usize = 33;

/// Why a cryptographic operation could not be done. Authentication
/// failures are not errors: they are the `false`/`None` results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CryptoError {
    /// A signature could not be made (the backend refused the key).
    Signing,
    /// A buffer was longer than AES-GCM allows.
    TooLong,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Signing => "GBCS: ECDSA signing failed",
            Self::TooLong => "GBCS: input too long for AES-GCM",
        })
    }
}

impl core::error::Error for CryptoError {}

/// The ECDH shared secret Z (the x-coordinate, 32 bytes). Wiped on drop,
/// never printed.
#[derive(Clone)]
pub struct SharedSecret(Zeroizing<[u8; 32]>);

impl SharedSecret {
    /// From Z's bytes (for tests against published values).
    #[must_use]
    pub fn from_bytes(z: [u8; 32]) -> Self {
        Self(Zeroizing::new(z))
    }

    /// Z's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret(<redacted>)")
    }
}

/// An AES-128 key derived for one message. Wiped on drop, never printed.
#[derive(Clone)]
pub struct MessageKey(Zeroizing<[u8; 16]>);

impl MessageKey {
    /// From the key's bytes.
    #[must_use]
    pub fn from_bytes(k: [u8; 16]) -> Self {
        Self(Zeroizing::new(k))
    }

    /// The key's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for MessageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MessageKey(<redacted>)")
    }
}

/// The KDF's OtherInfo (GBCS 4.3.3.2): AlgorithmID ‖ originator-system-title
/// ‖ `09` ‖ CRA byte ‖ originator counter ‖ recipient-system-title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherInfo(pub [u8; OTHER_INFO_LEN]);

impl OtherInfo {
    /// OtherInfo for a key between `originator` and `recipient` for the
    /// transaction (`cra`, `counter`): the message's CRA flag for a MAC key,
    /// [`ENCRYPTION_CRA`] for an encryption key.
    #[must_use]
    pub fn new(originator: Eui64, cra: u8, counter: u64, recipient: Eui64) -> Self {
        let mut o = [0u8; OTHER_INFO_LEN];
        let (alg, rest) = o.split_at_mut(7);
        alg.copy_from_slice(&ALGORITHM_ID);
        let (orig, rest) = rest.split_at_mut(8);
        orig.copy_from_slice(&originator.0.to_be_bytes());
        let (tid, recip) = rest.split_at_mut(10);
        let (len_cra, ctr) = tid.split_at_mut(2);
        len_cra.copy_from_slice(&[crate::envelope::TRANSACTION_ID_LEN, cra]);
        ctr.copy_from_slice(&counter.to_be_bytes());
        recip.copy_from_slice(&recipient.0.to_be_bytes());
        Self(o)
    }
}

/// The concatenation KDF of NIST SP 800-56A with SHA-256, one round:
/// the leftmost 128 bits of SHA-256(`00000001` ‖ Z ‖ OtherInfo) (GBCS 4.3.3.2).
#[must_use]
pub fn kdf(z: &SharedSecret, other_info: &OtherInfo) -> MessageKey {
    let mut h = Sha256::new();
    h.update([0, 0, 0, 1]);
    h.update(z.as_bytes());
    h.update(other_info.0);
    let digest = Zeroizing::new(h.finalize());
    let mut k = [0u8; 16];
    if let Some(d) = digest.get(..16) {
        k.copy_from_slice(d);
    }
    MessageKey::from_bytes(k)
}

/// The 12-byte IV of every GBCS GCM operation: originator-system-title ‖
/// four zero bytes (GBCS 7.2.5, 7.3.4).
#[must_use]
pub fn iv(originator: Eui64) -> [u8; 12] {
    let mut iv = [0u8; 12];
    if let Some(d) = iv.get_mut(..8) {
        d.copy_from_slice(&originator.0.to_be_bytes());
    }
    iv
}

fn gcm(key: &MessageKey) -> Gcm {
    Gcm::new(key.as_bytes().into())
}

/// GMAC over `aad` (AES-GCM with empty plaintext), the tag truncated to
/// 12 bytes (GBCS 7.2.5).
///
/// # Errors
/// [`CryptoError::TooLong`] when `aad` exceeds what GCM allows.
pub fn gmac(key: &MessageKey, iv: &[u8; 12], aad: &[u8]) -> Result<[u8; MAC_LEN], CryptoError> {
    let tag = gcm(key)
        .encrypt_inout_detached(iv.into(), aad, (&mut [][..]).into())
        .map_err(|_| CryptoError::TooLong)?;
    Ok(tag.into())
}

/// Encrypts `buf` in place with AES-128-GCM; returns the 12-byte tag.
///
/// # Errors
/// [`CryptoError::TooLong`] when the input exceeds what GCM allows.
pub fn encrypt_in_place(
    key: &MessageKey,
    iv: &[u8; 12],
    aad: &[u8],
    buf: &mut [u8],
) -> Result<[u8; MAC_LEN], CryptoError> {
    let tag = gcm(key)
        .encrypt_inout_detached(iv.into(), aad, buf.into())
        .map_err(|_| CryptoError::TooLong)?;
    Ok(tag.into())
}

/// Decrypts `buf` in place with AES-128-GCM and checks `tag`. On a bad tag
/// returns `false` and wipes `buf`: no unauthenticated plaintext leaves.
#[must_use]
pub fn decrypt_in_place(
    key: &MessageKey,
    iv: &[u8; 12],
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8; MAC_LEN],
) -> bool {
    let tag: &Tag<U12> = tag.into();
    if gcm(key)
        .decrypt_inout_detached(iv.into(), aad, (&mut *buf).into(), tag)
        .is_ok()
    {
        true
    } else {
        buf.fill(0);
        false
    }
}

/// The asymmetric half of GBCS cryptography: static ECDH on P-256 and ECDSA
/// P-256 with SHA-256 and raw `r‖s` signatures (GBCS 4.3.3).
pub trait CryptoProvider {
    /// ECDH between `private` and `public`: the shared secret Z.
    fn ecdh(&self, private: &PrivateKey, public: &PublicKey) -> SharedSecret;
    /// Signs `message` (hashed with SHA-256 here) with ECDSA.
    ///
    /// # Errors
    /// [`CryptoError::Signing`] when the backend refuses.
    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError>;
    /// Checks an ECDSA signature of `message` by `key`.
    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool;
}

impl<P: CryptoProvider + ?Sized> CryptoProvider for &P {
    fn ecdh(&self, private: &PrivateKey, public: &PublicKey) -> SharedSecret {
        (**self).ecdh(private, public)
    }
    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        (**self).sign(key, message)
    }
    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        (**self).verify(key, message, signature)
    }
}

fn p256_ecdh(private: &PrivateKey, public: &PublicKey) -> SharedSecret {
    let shared = p256::ecdh::diffie_hellman(
        private.as_p256().to_nonzero_scalar(),
        public.as_p256().as_affine(),
    );
    let mut z = [0u8; 32];
    z.copy_from_slice(shared.raw_secret_bytes());
    SharedSecret::from_bytes(z)
}

/// The default provider: RustCrypto's `p256` (pure Rust, constant time).
/// Signatures are deterministic (RFC 6979), so no random source is needed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RustCrypto;

impl CryptoProvider for RustCrypto {
    fn ecdh(&self, private: &PrivateKey, public: &PublicKey) -> SharedSecret {
        p256_ecdh(private, public)
    }

    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        use p256::ecdsa::signature::Signer;
        let sk = p256::ecdsa::SigningKey::from(key.as_p256());
        let sig: p256::ecdsa::Signature = sk.try_sign(message).map_err(|_| CryptoError::Signing)?;
        Ok(sig.to_bytes().into())
    }

    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        use p256::ecdsa::signature::Verifier;
        let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
            return false;
        };
        p256::ecdsa::VerifyingKey::from(key.as_p256())
            .verify(message, &sig)
            .is_ok()
    }
}

/// ECDSA through ring (assembly, several times faster than [`RustCrypto`]);
/// ECDH stays with `p256`, as ring agrees only ephemeral keys.
#[cfg(feature = "ring")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Ring;

#[cfg(feature = "ring")]
impl CryptoProvider for Ring {
    fn ecdh(&self, private: &PrivateKey, public: &PublicKey) -> SharedSecret {
        p256_ecdh(private, public)
    }

    fn sign(&self, key: &PrivateKey, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        // ring's nonce is random, hedged with the key and the message
        // digest; a verifier cannot tell it from RustCrypto's RFC 6979 one.
        use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
        let rng = ring::rand::SystemRandom::new();
        let scalar = key.to_scalar();
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            scalar.as_slice(),
            key.public().to_sec1(),
            &rng,
        )
        .map_err(|_| CryptoError::Signing)?;
        let sig = pair.sign(&rng, message).map_err(|_| CryptoError::Signing)?;
        sig.as_ref().try_into().map_err(|_| CryptoError::Signing)
    }

    fn verify(&self, key: &PublicKey, message: &[u8], signature: &[u8; SIGNATURE_LEN]) -> bool {
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            key.to_sec1(),
        )
        .verify(message, signature)
        .is_ok()
    }
}

/// The provider this build prefers: [`Ring`] with the `ring` feature,
/// [`RustCrypto`] otherwise.
#[cfg(feature = "ring")]
pub type DefaultProvider = Ring;
/// The provider this build prefers: [`Ring`] with the `ring` feature,
/// [`RustCrypto`] otherwise.
#[cfg(not(feature = "ring"))]
pub type DefaultProvider = RustCrypto;

/// ECDH shared secrets by key pair (our private key, their public key).
/// Z does not depend on the message, so one ECDH per pair serves every
/// message between two parties; the per-message key still comes from the
/// KDF. Bounded: when full it starts again empty.
pub struct SharedSecretCache {
    map: BTreeMap<(KeyRef, [u8; 65]), SharedSecret>,
    capacity: usize,
    hits: u64,
    misses: u64,
}

impl fmt::Debug for SharedSecretCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedSecretCache")
            .field("entries", &self.map.len())
            .field("capacity", &self.capacity)
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

impl Default for SharedSecretCache {
    fn default() -> Self {
        Self::with_capacity(4096)
    }
}

impl SharedSecretCache {
    /// A cache of at most `capacity` pairs (0 disables caching).
    #[must_use]
    pub const fn with_capacity(capacity: usize) -> Self {
        Self {
            map: BTreeMap::new(),
            capacity,
            hits: 0,
            misses: 0,
        }
    }

    /// Z for (`ours`, `theirs`), computed by `provider` on a miss.
    pub fn get<P: CryptoProvider + ?Sized>(
        &mut self,
        provider: &P,
        ours_ref: KeyRef,
        ours: &PrivateKey,
        theirs: &PublicKey,
    ) -> SharedSecret {
        let k = (ours_ref, *theirs.to_sec1());
        if let Some(z) = self.map.get(&k) {
            self.hits += 1;
            return z.clone();
        }
        self.misses += 1;
        let z = provider.ecdh(ours, theirs);
        if self.capacity > 0 {
            if self.map.len() >= self.capacity {
                self.map.clear();
            }
            self.map.insert(k, z.clone());
        }
        z
    }

    /// Lookups answered from the cache and lookups that ran ECDH.
    #[must_use]
    pub const fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Forgets every secret.
    pub fn clear(&mut self) {
        self.map.clear();
    }
}

/// The prepayment top-up token (GBCS 14): a UTRN's parts.
pub mod utrn {
    use super::{CryptoError, MessageKey, gmac, iv};
    use smets_core::Eui64;

    /// Added to the 64-bit PTUT to give the PPTD (GBCS 14.3).
    pub const PPTD_BASE: u64 = 7_394_156_990_786_306_048;

    /// How a top-up value counts (GBCS 14.3.2).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum ValueClass {
        /// Pennies (00).
        Pennies,
        /// Pounds (01).
        Pounds,
    }

    /// The high 32 bits of the PTUT: 7 zero bits, the 10 low bits of
    /// `counter >> 32`, the value class (2 bits), the value (13 bits);
    /// `None` when `value` exceeds 8191.
    #[must_use]
    pub fn ptut_high(counter: u64, class: ValueClass, value: u16) -> Option<u32> {
        if value > 0x1FFF {
            return None;
        }
        let ctr = u32::try_from((counter >> 32) & 0x3FF).unwrap_or(0);
        let cls = match class {
            ValueClass::Pennies => 0,
            ValueClass::Pounds => 1,
        };
        Some((ctr << 15) | (cls << 13) | u32::from(value))
    }

    /// The PTUT (GBCS 14.3.4): high 32 bits as [`ptut_high`], low 32 bits
    /// the last four bytes of a 16-byte GMAC under `key` (the KDF of a
    /// command between the supplier's prepayment KA key and the device's KA
    /// key), IV supplier ‖ 0, AAD `11 00 00 00 00 00` ‖ supplier ‖ device ‖
    /// `01` ‖ counter ‖ high 32 bits.
    ///
    /// # Errors
    /// [`CryptoError::TooLong`] never in practice; `None` value out of range
    /// is reported as `Ok(None)`.
    pub fn ptut(
        key: &MessageKey,
        supplier: Eui64,
        device: Eui64,
        counter: u64,
        class: ValueClass,
        value: u16,
    ) -> Result<Option<u64>, CryptoError> {
        let Some(high) = ptut_high(counter, class, value) else {
            return Ok(None);
        };
        let mut aad = [0u8; 6 + 8 + 8 + 1 + 8 + 4];
        let parts: [&[u8]; 6] = [
            &super::MAC_AAD_PREFIX,
            &supplier.0.to_be_bytes(),
            &device.0.to_be_bytes(),
            &[1],
            &counter.to_be_bytes(),
            &high.to_be_bytes(),
        ];
        let mut at = 0;
        for p in parts {
            if let Some(d) = aad.get_mut(at..at + p.len()) {
                d.copy_from_slice(p);
            }
            at += p.len();
        }
        let tag = full_gmac(key, &iv(supplier), &aad)?;
        let low = u32::from_be_bytes([tag[12], tag[13], tag[14], tag[15]]);
        Ok(Some((u64::from(high) << 32) | u64::from(low)))
    }

    fn full_gmac(key: &MessageKey, iv: &[u8; 12], aad: &[u8]) -> Result<[u8; 16], CryptoError> {
        use aes_gcm::aead::{AeadInOut, KeyInit};
        let _ = gmac;
        let tag = aes_gcm::Aes128Gcm::new(key.as_bytes().into())
            .encrypt_inout_detached(iv.into(), aad, (&mut [][..]).into())
            .map_err(|_| CryptoError::TooLong)?;
        Ok(tag.into())
    }

    /// The PPTD: [`PPTD_BASE`] + PTUT, as a decimal number.
    #[must_use]
    pub const fn pptd(ptut: u64) -> u128 {
        PPTD_BASE as u128 + ptut as u128
    }

    /// GBCS 14.8 permutation table (a).
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    /// GBCS 14.8 multiplication table (b), the dihedral group D5.
    const D: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    /// GBCS 14.8 final table (c); not Verhoeff's usual inverse.
    const I: [u8; 10] = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4];

    /// GBCS 14.8 check digit of a decimal string, read left to right with
    /// the permutation index starting at 4; `None` for a non-digit.
    #[must_use]
    pub fn check_digit(digits: &str) -> Option<u8> {
        let mut acc = 0u8;
        let mut k = 4usize;
        for c in digits.bytes() {
            if !c.is_ascii_digit() {
                return None;
            }
            let l = *P.get(k)?.get(usize::from(c - b'0'))?;
            k = (k + 1) % 8;
            acc = *D.get(usize::from(acc))?.get(usize::from(l))?;
        }
        I.get(usize::from(acc)).copied()
    }

    /// The 20-digit UTRN: the PPTD's digits and the GBCS 14.8 check digit.
    #[must_use]
    pub fn utrn(ptut: u64) -> alloc::string::String {
        use alloc::string::ToString;
        let mut s = pptd(ptut).to_string();
        if let Some(d) = check_digit(&s) {
            s.push(char::from(b'0' + d));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::format;

    fn h(s: &str) -> alloc::vec::Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// GBCS worked example (ECS52 command of RTDS 4.5.0): Z, OtherInfo,
    /// key and MAC as the digest reproduces them.
    #[test]
    fn ecs52_mac_from_published_z() {
        let z: [u8; 32] = h("ed342441df01551a6beaff3b54adc981f4c6a7e71dff4c3e1cc80b3c9f4e5ac0")
            .try_into()
            .unwrap();
        let oi = OtherInfo::new(
            Eui64(0x90B3_D51F_3001_0000),
            1,
            1000,
            Eui64(0x00DB_1234_5678_90A0),
        );
        assert_eq!(
            oi.0.to_vec(),
            h("6085740608030090b3d51f30010000090100000000000003e800db1234567890a0")
        );
        let k = kdf(&SharedSecret::from_bytes(z), &oi);
        assert_eq!(k.as_bytes().to_vec(), h("ec1d51bd8f8bf0cdd2314cf396cc12c0"));
        let msg = h(
            "DD000000000000471100000000DF090100000000000003E80890B3D51F300100000800DB1234567890A00002005913D9200003E800010100010000000201FF02010000A25A51A93BAFA5C9E2B224BD",
        );
        let apdu = &msg[13..msg.len() - 12];
        let mut aad = MAC_AAD_PREFIX.to_vec();
        aad.extend_from_slice(apdu);
        let mac = gmac(&k, &iv(Eui64(0x90B3_D51F_3001_0000)), &aad).unwrap();
        assert_eq!(&mac[..], &msg[msg.len() - 12..]);
        let mut flipped = aad.clone();
        flipped[20] ^= 1;
        assert_ne!(
            gmac(&k, &iv(Eui64(0x90B3_D51F_3001_0000)), &flipped).unwrap(),
            mac
        );
        assert_eq!(format!("{k:?}"), "MessageKey(<redacted>)");
    }

    #[test]
    fn decrypt_failure_wipes_the_buffer() {
        let k = MessageKey::from_bytes([3; 16]);
        let iv = iv(Eui64(1));
        let mut buf = *b"sixteen byte msg";
        let tag = encrypt_in_place(&k, &iv, &[0x31], &mut buf).unwrap();
        let ct = buf;
        assert!(decrypt_in_place(&k, &iv, &[0x31], &mut buf, &tag));
        assert_eq!(&buf, b"sixteen byte msg");
        let mut bad = ct;
        let mut t2 = tag;
        t2[0] ^= 0x80;
        assert!(!decrypt_in_place(&k, &iv, &[0x31], &mut bad, &t2));
        assert_eq!(bad, [0; 16]);
    }

    #[test]
    fn sign_then_verify_with_each_provider() {
        let k = PrivateKey::from_scalar(&[9; 32]).unwrap();
        let p = k.public_key();
        let sig = RustCrypto.sign(&k, b"grouping header and payload").unwrap();
        assert!(RustCrypto.verify(&p, b"grouping header and payload", &sig));
        assert!(!RustCrypto.verify(&p, b"grouping header and payload!", &sig));
        let mut bad = sig;
        bad[63] ^= 1;
        assert!(!RustCrypto.verify(&p, b"grouping header and payload", &bad));
        assert!(!RustCrypto.verify(&p, b"x", &[0; 64]));
        #[cfg(feature = "ring")]
        {
            assert!(Ring.verify(&p, b"grouping header and payload", &sig));
            assert!(!Ring.verify(&p, b"grouping header and payload", &bad));
            let s2 = Ring.sign(&k, b"m").unwrap();
            assert!(RustCrypto.verify(&p, b"m", &s2));
        }
    }

    #[test]
    fn cache_runs_ecdh_once_per_pair_and_stays_bounded() {
        let a = PrivateKey::from_scalar(&[5; 32]).unwrap();
        let b = PrivateKey::from_scalar(&[6; 32]).unwrap();
        let mut c = SharedSecretCache::with_capacity(1);
        let r = KeyRef::ka(Eui64(5));
        let z1 = c.get(&RustCrypto, r, &a, &b.public_key());
        let z2 = c.get(&RustCrypto, r, &a, &b.public_key());
        assert_eq!(z1.as_bytes(), z2.as_bytes());
        assert_eq!(c.stats(), (1, 1));
        // ECDH is symmetric.
        assert_eq!(
            RustCrypto.ecdh(&b, &a.public_key()).as_bytes(),
            z1.as_bytes()
        );
        let _ = c.get(&RustCrypto, r, &a, &a.public_key());
        assert_eq!(c.map.len(), 1);
        assert_eq!(format!("{z1:?}"), "SharedSecret(<redacted>)");
    }

    #[test]
    fn utrn_check_digit_and_range() {
        assert_eq!(utrn::check_digit("7394333345718904331"), Some(3));
        assert_eq!(utrn::check_digit("7394725241674520163"), Some(7));
        assert_eq!(utrn::check_digit("12a"), None);
        assert_eq!(
            utrn::ptut_high(1 << 32, utrn::ValueClass::Pounds, 100),
            Some(0x0000_A064)
        );
        assert_eq!(utrn::ptut_high(0, utrn::ValueClass::Pennies, 8192), None);
    }
}
