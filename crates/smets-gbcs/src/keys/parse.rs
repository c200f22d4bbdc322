//! Private and public P-256 keys from the files key stores hold: PKCS#8
//! (RFC 5958), SEC1 ECPrivateKey (RFC 5915), SubjectPublicKeyInfo
//! (RFC 5480), as PEM, DER or hex. Encrypted PKCS#8 is not read.

use der::Decode;
use der::asn1::{AnyRef, ObjectIdentifier};
use pkcs8::PrivateKeyInfoRef;
use sec1::EcPrivateKey;
use spki::SubjectPublicKeyInfoRef;
use zeroize::Zeroizing;

use super::KeyError;
use super::text::{Form, form, hex_decode, pem_block, pem_decode};
use crate::key::{PRIVATE_KEY_LEN, PUBLIC_KEY_LEN, PrivateKey, PublicKey};

/// id-ecPublicKey (RFC 5480 2.1.1).
pub(super) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1, the P-256 curve (RFC 5480 2.1.1.1).
pub(super) const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// PEM label of PKCS#8 (RFC 7468 10).
const LABEL_PKCS8: &str = "PRIVATE KEY";
/// PEM label of SEC1 ECPrivateKey (RFC 5915 4).
const LABEL_SEC1: &str = "EC PRIVATE KEY";
/// PEM label of SubjectPublicKeyInfo (RFC 7468 13).
const LABEL_SPKI: &str = "PUBLIC KEY";

/// Reads a P-256 private key from any of the forms key files use:
/// PEM "PRIVATE KEY" (PKCS#8, RFC 5958) or "EC PRIVATE KEY" (SEC1,
/// RFC 5915), the DER of either (told apart by their structure), or the
/// 32-byte scalar as 64 hex digits (white space and `:` allowed).
///
/// The algorithm must be id-ecPublicKey on secp256r1; a public key stored
/// beside the scalar must be the one the scalar gives. Decoded bytes are
/// wiped before this returns, and errors never carry key bytes.
pub fn parse_private_key(input: &[u8]) -> Result<PrivateKey, KeyError> {
    match form(input) {
        Form::Pem => {
            let (label, block) = pem_block(input, &[LABEL_PKCS8, LABEL_SEC1])?;
            let der = pem_decode(block)?;
            if label == LABEL_PKCS8 {
                from_pkcs8(&PrivateKeyInfoRef::from_der(&der)?)
            } else {
                from_sec1(&EcPrivateKey::from_der(&der)?)
            }
        }
        Form::Hex => {
            let mut scalar = Zeroizing::new([0u8; PRIVATE_KEY_LEN]);
            let n = hex_decode(input, &mut *scalar)?;
            if n != PRIVATE_KEY_LEN {
                return Err(KeyError::Length {
                    expected: PRIVATE_KEY_LEN,
                    actual: n,
                });
            }
            PrivateKey::from_scalar(&*scalar).ok_or(KeyError::InvalidScalar)
        }
        Form::Der => match PrivateKeyInfoRef::from_der(input) {
            Ok(info) => from_pkcs8(&info),
            Err(pkcs8_err) => match EcPrivateKey::from_der(input) {
                Ok(key) => from_sec1(&key),
                // Report whichever reading got further into the input.
                Err(sec1_err) => Err(KeyError::Der(
                    if sec1_err.position() > pkcs8_err.position() {
                        sec1_err
                    } else {
                        pkcs8_err
                    },
                )),
            },
        },
    }
}

/// Reads a P-256 public key: PEM "PUBLIC KEY" or DER SubjectPublicKeyInfo
/// (RFC 5480 2), or hex of the SEC1 point, uncompressed (65 bytes,
/// `04 ‖ X ‖ Y`), compressed (33 bytes) or as bare `X ‖ Y` (64 bytes, the
/// way GBCS 18.4 prints sample keys). The point must lie on P-256.
pub fn parse_public_key(input: &[u8]) -> Result<PublicKey, KeyError> {
    match form(input) {
        Form::Pem => {
            let (_, block) = pem_block(input, &[LABEL_SPKI])?;
            let der = pem_decode(block)?;
            from_spki(&SubjectPublicKeyInfoRef::from_der(&der)?)
        }
        Form::Hex => {
            let mut point = [0u8; PUBLIC_KEY_LEN];
            let n = hex_decode(input, &mut point)?;
            match n {
                33 | PUBLIC_KEY_LEN => PublicKey::from_sec1(point.get(..n).unwrap_or_default())
                    .ok_or(KeyError::NotOnCurve),
                64 => {
                    point.copy_within(..64, 1);
                    if let Some(first) = point.first_mut() {
                        *first = 0x04;
                    }
                    PublicKey::from_sec1(&point).ok_or(KeyError::NotOnCurve)
                }
                _ => Err(KeyError::Length {
                    expected: PUBLIC_KEY_LEN,
                    actual: n,
                }),
            }
        }
        Form::Der => from_spki(&SubjectPublicKeyInfoRef::from_der(input)?),
    }
}

/// Checks an AlgorithmIdentifier names id-ecPublicKey with the namedCurve
/// secp256r1 (RFC 5480 2.1.1).
pub(super) fn check_p256(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
) -> Result<(), KeyError> {
    if algorithm != ID_EC_PUBLIC_KEY {
        return Err(KeyError::UnsupportedAlgorithm);
    }
    let curve = parameters
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .ok_or(KeyError::WrongCurve)?;
    if curve == SECP256R1 {
        Ok(())
    } else {
        Err(KeyError::WrongCurve)
    }
}

/// The public key of a SubjectPublicKeyInfo (RFC 5480 2): a P-256 point in
/// a BIT STRING without unused bits.
pub(super) fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<PublicKey, KeyError> {
    check_p256(spki.algorithm.oid, spki.algorithm.parameters)?;
    point(spki.subject_public_key.as_bytes())
}

/// A SEC1 point from a BIT STRING's bytes (`None`: unused bits present).
pub(super) fn point(bytes: Option<&[u8]>) -> Result<PublicKey, KeyError> {
    bytes
        .and_then(PublicKey::from_sec1)
        .ok_or(KeyError::NotOnCurve)
}

/// PKCS#8 OneAsymmetricKey (RFC 5958 2) holding an ECPrivateKey (RFC 5915 2,
/// as RFC 5480 names the curve in the algorithm's parameters).
fn from_pkcs8(info: &PrivateKeyInfoRef<'_>) -> Result<PrivateKey, KeyError> {
    check_p256(info.algorithm.oid, info.algorithm.parameters)?;
    let key = from_sec1(&EcPrivateKey::from_der(info.private_key.as_bytes())?)?;
    if let Some(public) = info.public_key
        && point(public.as_bytes())? != key.public_key()
    {
        return Err(KeyError::PublicKeyMismatch);
    }
    Ok(key)
}

/// SEC1 ECPrivateKey (RFC 5915 3): the 32-byte scalar, the curve when
/// named, and the public key when present.
fn from_sec1(sec1: &EcPrivateKey<'_>) -> Result<PrivateKey, KeyError> {
    if let Some(parameters) = sec1.parameters
        && parameters.named_curve() != Some(SECP256R1)
    {
        return Err(KeyError::WrongCurve);
    }
    if sec1.private_key.len() != PRIVATE_KEY_LEN {
        return Err(KeyError::Length {
            expected: PRIVATE_KEY_LEN,
            actual: sec1.private_key.len(),
        });
    }
    let key = PrivateKey::from_scalar(sec1.private_key).ok_or(KeyError::InvalidScalar)?;
    if let Some(public) = sec1.public_key
        && PublicKey::from_sec1(public).ok_or(KeyError::NotOnCurve)? != key.public_key()
    {
        return Err(KeyError::PublicKeyMismatch);
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::format;
    use alloc::vec::Vec;

    use super::super::fixtures::*;
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn der_of(pem: &str, label: &'static str) -> Vec<u8> {
        let (_, block) = pem_block(pem.as_bytes(), &[label]).unwrap();
        pem_decode(block).unwrap().to_vec()
    }

    const P256_SCALAR: &str = "68af44969d4c93a2d9ac247624e367cd7ecb5f7986950ddf9b6b16ed7a717616";

    #[test]
    fn every_private_form_gives_the_same_key() {
        let expected = PublicKey::from_sec1(&unhex(P256_POINT_HEX)).unwrap();
        let forms: [&[u8]; 3] = [
            P256_SEC1.as_bytes(),
            P256_SEC1_NO_PUBLIC.as_bytes(),
            P256_SEC1_SCALAR.as_bytes(),
        ];
        for input in forms {
            let key = parse_private_key(input).unwrap();
            assert_eq!(key.public_key(), expected);
            assert_eq!(&key.to_scalar()[..], &unhex(P256_SCALAR)[..]);
        }
        let sec1_der = der_of(P256_SEC1, "EC PRIVATE KEY");
        assert_eq!(parse_private_key(&sec1_der).unwrap().public_key(), expected);
        assert_eq!(
            parse_private_key(P256_SCALAR.as_bytes())
                .unwrap()
                .public_key(),
            expected
        );

        let supplier = PublicKey::from_sec1(&unhex(SUPPLIER_DS_POINT_HEX)).unwrap();
        let pkcs8_der = der_of(SUPPLIER_DS_KEY, "PRIVATE KEY");
        assert_eq!(pkcs8_der[..4], [0x30, 0x81, 0x87, 0x02]);
        for input in [SUPPLIER_DS_KEY.as_bytes(), &pkcs8_der] {
            assert_eq!(parse_private_key(input).unwrap().public_key(), supplier);
        }
    }

    #[test]
    fn every_public_form_gives_the_same_key() {
        let expected = PublicKey::from_sec1(&unhex(P256_POINT_HEX)).unwrap();
        let spki_der = unhex(P256_SPKI_HEX);
        assert_eq!(parse_public_key(&spki_der).unwrap(), expected);
        assert_eq!(
            parse_public_key(P256_POINT_HEX.as_bytes()).unwrap(),
            expected
        );
        assert_eq!(
            parse_public_key(&P256_POINT_HEX.as_bytes()[2..]).unwrap(),
            expected
        );
        let compressed = {
            use p256::elliptic_curve::sec1::ToSec1Point;
            hex::encode(expected.as_p256().to_sec1_point(true).as_bytes())
        };
        assert_eq!(compressed.len(), 66);
        assert_eq!(parse_public_key(compressed.as_bytes()).unwrap(), expected);
        // The SPKI as PEM, built from the DER.
        let b64 = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEonhfRDsaoxfmTf3mPXpPSG9WY6xzGDsPHLalxa/Dfk0IxwtPfN3N5UQ2f6KBxqs5jUyTK+A198oD4VOKHdz31A==";
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n{}\n-----END PUBLIC KEY-----\n",
            &b64[..64],
            &b64[64..]
        );
        assert_eq!(parse_public_key(pem.as_bytes()).unwrap(), expected);
        let crlf = pem.replace('\n', "\r\n");
        assert_eq!(parse_public_key(crlf.as_bytes()).unwrap(), expected);
    }

    #[test]
    fn other_algorithms_and_curves_are_refused() {
        assert_eq!(
            parse_private_key(ED25519_PKCS8.as_bytes()),
            Err(KeyError::UnsupportedAlgorithm)
        );
        assert_eq!(
            parse_public_key(ED25519_PUBLIC.as_bytes()),
            Err(KeyError::UnsupportedAlgorithm)
        );
        assert_eq!(
            parse_private_key(P384_PKCS8.as_bytes()),
            Err(KeyError::WrongCurve)
        );
        assert_eq!(
            parse_private_key(P384_SEC1.as_bytes()),
            Err(KeyError::WrongCurve)
        );
        assert_eq!(
            parse_private_key(&der_of(P384_SEC1, "EC PRIVATE KEY")),
            Err(KeyError::WrongCurve)
        );
        assert_eq!(
            parse_public_key(P384_PUBLIC.as_bytes()),
            Err(KeyError::WrongCurve)
        );
        // A public key is not a private key, and the other way round.
        assert_eq!(
            parse_private_key(P384_PUBLIC.as_bytes()),
            Err(KeyError::PemLabel)
        );
        assert_eq!(
            parse_public_key(SUPPLIER_DS_KEY.as_bytes()),
            Err(KeyError::PemLabel)
        );
    }

    #[test]
    fn bad_scalars_points_and_lengths() {
        let zero = "00".repeat(32);
        assert_eq!(
            parse_private_key(zero.as_bytes()),
            Err(KeyError::InvalidScalar)
        );
        let big = "ff".repeat(32);
        assert_eq!(
            parse_private_key(big.as_bytes()),
            Err(KeyError::InvalidScalar)
        );
        assert_eq!(
            parse_private_key(&P256_SCALAR.as_bytes()[2..]),
            Err(KeyError::Length {
                expected: 32,
                actual: 31
            })
        );
        assert_eq!(
            parse_private_key(format!("{P256_SCALAR}00").as_bytes()),
            Err(KeyError::Length {
                expected: 32,
                actual: 33
            })
        );
        let mut off_curve = unhex(P256_POINT_HEX);
        off_curve[64] ^= 1;
        assert_eq!(
            parse_public_key(hex::encode(&off_curve).as_bytes()),
            Err(KeyError::NotOnCurve)
        );
        assert_eq!(
            parse_public_key(b"04abcd"),
            Err(KeyError::Length {
                expected: 65,
                actual: 3
            })
        );
    }

    #[test]
    fn embedded_public_key_must_match() {
        // The SEC1 key with the supplier's public key in place of its own.
        let mut der = der_of(P256_SEC1, "EC PRIVATE KEY");
        let n = der.len();
        der[n - 65..].copy_from_slice(&unhex(SUPPLIER_DS_POINT_HEX));
        assert_eq!(parse_private_key(&der), Err(KeyError::PublicKeyMismatch));
        der[n - 1] ^= 1;
        assert_eq!(parse_private_key(&der), Err(KeyError::NotOnCurve));
    }

    #[test]
    fn truncation_never_panics_and_fails() {
        for pem in [SUPPLIER_DS_KEY, P256_SEC1] {
            let end = pem.rfind("-----").unwrap() + 5;
            for cut in 0..pem.len() {
                let r = parse_private_key(&pem.as_bytes()[..cut]);
                assert_eq!(r.is_ok(), cut >= end, "cut at {cut}");
            }
        }
        for (pem, label) in [
            (SUPPLIER_DS_KEY, "PRIVATE KEY"),
            (P256_SEC1, "EC PRIVATE KEY"),
        ] {
            let der = der_of(pem, label);
            for cut in 0..der.len() {
                assert!(parse_private_key(&der[..cut]).is_err(), "cut at {cut}");
            }
        }
        let spki = unhex(P256_SPKI_HEX);
        for cut in 0..spki.len() {
            assert!(parse_public_key(&spki[..cut]).is_err(), "cut at {cut}");
        }
        for cut in 0..P256_POINT_HEX.len() {
            assert!(parse_public_key(&P256_POINT_HEX.as_bytes()[..cut]).is_err());
        }
    }

    #[test]
    fn bit_flips_in_a_private_key_never_panic() {
        let der = der_of(SUPPLIER_DS_KEY, "PRIVATE KEY");
        let good = parse_private_key(&der).unwrap();
        for i in 0..der.len() * 8 {
            let mut d = der.clone();
            d[i / 8] ^= 1 << (i % 8);
            if let Ok(k) = parse_private_key(&d) {
                // Only a flip in the scalar with the embedded key... which
                // the check refuses, so an accepted flip left the key alone.
                assert_eq!(k, good, "bit {i}");
            }
        }
    }

    #[test]
    fn secrets_never_print() {
        let key = parse_private_key(P256_SEC1.as_bytes()).unwrap();
        let printed = format!("{key:?}");
        assert!(!printed.contains(&P256_SCALAR[..8]));
        assert!(!printed.to_lowercase().contains("68af"));
        for input in [
            format!("{P256_SCALAR}00"),
            format!("{}zz", &P256_SCALAR[..62]),
        ] {
            let err = parse_private_key(input.as_bytes()).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("68af"), "{text}");
        }
    }

    mod prop {
        #![allow(clippy::unwrap_used)]
        use alloc::string::String;
        use alloc::vec::Vec;

        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        use proptest::prelude::*;

        use super::super::*;

        fn scalar() -> impl Strategy<Value = [u8; 32]> {
            any::<[u8; 32]>()
                .prop_filter("a valid scalar", |s| p256::SecretKey::from_slice(s).is_ok())
        }

        proptest! {
            /// Every encoding RustCrypto writes reads back as the same key.
            #[test]
            fn encoders_round_trip(s in scalar(), sep in prop::sample::select(vec!["", " ", ":", "\n"])) {
                let secret = p256::SecretKey::from_slice(&s).unwrap();
                let expected = PrivateKey::from_scalar(&s).unwrap();
                let pkcs8_der = secret.to_pkcs8_der().unwrap();
                let pkcs8_pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
                let sec1_der = secret.to_sec1_der().unwrap();
                let sec1_pem = secret.to_sec1_pem(LineEnding::CRLF).unwrap();
                let hex: String = s.iter().map(|b| alloc::format!("{b:02x}")).collect::<Vec<_>>().join(sep);
                for input in [pkcs8_der.as_bytes(), pkcs8_pem.as_bytes(), &sec1_der[..], sec1_pem.as_bytes(), hex.as_bytes()] {
                    prop_assert_eq!(parse_private_key(input).unwrap(), expected.clone());
                }
                let public = secret.public_key();
                let spki_der = public.to_public_key_der().unwrap();
                let spki_pem = public.to_public_key_pem(LineEnding::LF).unwrap();
                for input in [spki_der.as_bytes(), spki_pem.as_bytes()] {
                    prop_assert_eq!(parse_public_key(input).unwrap(), expected.public_key());
                }
            }

            /// Arbitrary input is an error or a key, never a panic.
            #[test]
            fn arbitrary_input_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
                let _ = parse_private_key(&bytes);
                let _ = parse_public_key(&bytes);
                let _ = crate::keys::SmkiCertificate::parse(&bytes);
            }
        }
    }
}
