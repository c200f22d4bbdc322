//! Why loading a key or a certificate failed. No variant carries key bytes:
//! a failed private-key load never echoes what it was given.

use core::fmt;

use smets_core::Eui64;

use crate::key::KeyRef;

/// What went wrong while reading a key, a certificate, or filling a
/// [`super::MemoryKeyStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM armour or its Base64 body is malformed (RFC 7468 2).
    Pem,
    /// The text holds PEM blocks, but none with a label this loader reads
    /// (for example "ENCRYPTED PRIVATE KEY" given as a private key).
    PemLabel,
    /// The DER structure (PKCS#8, SEC1, SubjectPublicKeyInfo or X.509) is
    /// malformed; the error says where, relative to the DER being read.
    Der(der::Error),
    /// Text that should be hex holds something else: a character other than
    /// a hex digit, white space or `:` at byte `offset`, or an odd number of
    /// digits (`offset` is then the input length).
    Hex {
        /// Byte offset in the text.
        offset: usize,
    },
    /// A key has the wrong number of bytes: a P-256 scalar is 32, a SEC1
    /// point 33 (compressed) or 65 (uncompressed).
    Length {
        /// The length the key should have.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// The key's algorithm is not id-ecPublicKey (RFC 5480 2.1.1): an RSA,
    /// Ed25519 or other key.
    UnsupportedAlgorithm,
    /// An EC key that names no curve or another curve than P-256
    /// (secp256r1, RFC 5480 2.1.1.1), the only curve of GBCS.
    WrongCurve,
    /// The private scalar is zero or not below the P-256 group order.
    InvalidScalar,
    /// The public key is not a point on P-256.
    NotOnCurve,
    /// The public key stored beside a private key (SEC1 `publicKey`, PKCS#8
    /// v2 `publicKey`) is not the one the private scalar gives.
    PublicKeyMismatch,
    /// The certificate carries no Entity Identifier: neither a
    /// hardwareModuleName in subjectAltName (device certificate) nor an
    /// x500UniqueIdentifier in the subject (organisation certificate).
    MissingEntityId,
    /// The certificate's Entity Identifier is not 8 bytes.
    BadEntityId,
    /// The certificate's keyUsage does not say exactly one of
    /// digitalSignature and keyAgreement.
    MissingKeyUsage,
    /// Only a key-agreement key can be a prepayment key (GBCS 14).
    PrepaymentUsage,
    /// The store already holds another key under this reference; remove it
    /// first to replace it.
    ConflictingKey(KeyRef),
    /// The store already gives this entity another Remote Party Role.
    ConflictingRole(Eui64),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pem => f.write_str("malformed PEM"),
            Self::PemLabel => f.write_str("no PEM block with a label this loader reads"),
            Self::Der(e) => write!(f, "malformed DER: {e}"),
            Self::Hex { offset } => write!(f, "malformed hex at byte {offset}"),
            Self::Length { expected, actual } => {
                write!(f, "key of {actual} bytes where {expected} are expected")
            }
            Self::UnsupportedAlgorithm => f.write_str("not an elliptic-curve key"),
            Self::WrongCurve => f.write_str("not a P-256 key"),
            Self::InvalidScalar => f.write_str("private scalar out of range"),
            Self::NotOnCurve => f.write_str("public key is not a point on P-256"),
            Self::PublicKeyMismatch => {
                f.write_str("embedded public key does not match the private key")
            }
            Self::MissingEntityId => f.write_str("certificate carries no entity identifier"),
            Self::BadEntityId => f.write_str("certificate entity identifier is not 8 bytes"),
            Self::MissingKeyUsage => {
                f.write_str("certificate key usage is neither digital signature nor key agreement")
            }
            Self::PrepaymentUsage => f.write_str("a prepayment key must be a key-agreement key"),
            Self::ConflictingKey(key) => write!(f, "another key is already held as {key}"),
            Self::ConflictingRole(entity) => {
                write!(f, "{:016X} already has another remote party role", entity.0)
            }
        }
    }
}

impl From<der::Error> for KeyError {
    fn from(e: der::Error) -> Self {
        Self::Der(e)
    }
}

impl core::error::Error for KeyError {}
