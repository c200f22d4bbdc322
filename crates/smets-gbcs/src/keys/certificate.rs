//! GB SMKI certificates (X.509 v3, RFC 5280, under the SMKI Device and
//! Organisation Certificate Policies): the facts a key store needs, read
//! from DER or PEM. The signature and the chain to a root are not checked.
//!
//! Where each fact sits, as found in the RTDS and DCC Boxed test certificates:
//!
//! | fact | device certificate | organisation certificate |
//! |---|---|---|
//! | Entity Identifier | subjectAltName otherName hardwareModuleName (RFC 4108 5, OID 1.3.6.1.5.5.7.8.4): `hwSerialNum`, 8 bytes; the subject is empty | subject x500UniqueIdentifier (X.520, OID 2.5.4.45): a BIT STRING of 64 bits |
//! | usage | keyUsage (RFC 5280 4.2.1.3): digitalSignature → DS, keyAgreement → KA | same |
//! | Remote Party Role | none | subject organizationalUnitName: the role number as two hex digits ("02" supplier, "04" ACB, "7F" other) |
//! | issuer | issuer x500UniqueIdentifier when the issuer is an organisation (the ACB, OU "04", for DCC Boxed devices); otherwise a CA named by CN ("Z1", "E357") | issuer CN of the Organisation CA, OU "07" |
//!
//! Every test certificate has the single policy 1.2.826.0.1.8641679.1.2.1.4
//! (or 1.2.826.0.1.1800000.1.2.1.4 for the RTDS devices) whatever its
//! kind, so the policy does not tell device from organisation certificates
//! and is not read.

use der::asn1::{BitStringRef, ObjectIdentifier};
use der::{Decode, Tag, Tagged};
use smets_core::Eui64;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::{GeneralName, HardwareModuleName};
use x509_cert::ext::pkix::{KeyUsage as X509KeyUsage, SubjectAltName};
use x509_cert::name::Name;

use super::KeyError;
use super::parse::{check_p256, point};
use super::text::{Form, form, pem_block, pem_decode};
use crate::key::{KeyRef, KeyUsage, PublicKey, RemotePartyRole};

/// organizationalUnitName (X.520, RFC 5280 appendix A).
const ID_AT_OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
/// x500UniqueIdentifier (X.520 6.2.7, RFC 4519 2.39).
const ID_AT_UNIQUE_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.45");
/// id-on-hardwareModuleName (RFC 4108 5).
const ID_ON_HARDWARE_MODULE_NAME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.8.4");
/// PEM label of an X.509 certificate (RFC 7468 5).
const LABEL_CERTIFICATE: &str = "CERTIFICATE";
/// Longest serial number a certificate may carry: 20 octets (RFC 5280
/// 4.1.2.2) plus a sign octet.
pub const SERIAL_MAX_LEN: usize = 21;

/// Which SMKI certificate profile a certificate follows, as told by where
/// its Entity Identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertificateKind {
    /// A Device Certificate: the device's EUI-64 in subjectAltName
    /// hardwareModuleName, an empty subject.
    Device,
    /// An Organisation Certificate: the Entity Identifier and the Remote
    /// Party Role in the subject.
    Organisation,
    /// Neither: a CA certificate or a certificate of another PKI.
    Other,
}

/// A certificate serial number (RFC 5280 4.1.2.2): the big-endian integer
/// without leading zero octets.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertificateSerial {
    bytes: [u8; SERIAL_MAX_LEN],
    len: u8,
}

impl CertificateSerial {
    /// From the big-endian integer's octets; `None` when longer than 21.
    #[must_use]
    pub fn new(bytes: &[u8]) -> Option<Self> {
        let mut out = [0u8; SERIAL_MAX_LEN];
        out.get_mut(..bytes.len())?.copy_from_slice(bytes);
        Some(Self {
            bytes: out,
            len: u8::try_from(bytes.len()).ok()?,
        })
    }

    /// The big-endian octets.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The serial as a number, when it fits 128 bits (SMKI serials are 16
    /// octets).
    #[must_use]
    pub fn to_u128(&self) -> Option<u128> {
        let b = self.as_bytes();
        if b.len() > 16 {
            return None;
        }
        Some(b.iter().fold(0u128, |acc, &x| (acc << 8) | u128::from(x)))
    }
}

impl core::fmt::Debug for CertificateSerial {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "CertificateSerial({self})")
    }
}

impl core::fmt::Display for CertificateSerial {
    /// Upper-case hex, as `openssl x509 -serial` prints it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.as_bytes() {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

/// What a GB SMKI certificate says about its key (SMKI Device and
/// Organisation Certificate Policies; GBCS 4.3 finds the keys of the
/// parties to a message through these certificates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmkiCertificate {
    /// Device or organisation certificate.
    pub kind: CertificateKind,
    /// Entity Identifier of the key's owner: a device's hwSerialNum or an
    /// organisation's x500UniqueIdentifier, read big-endian (first byte most
    /// significant).
    pub entity: Option<Eui64>,
    /// DS or KA, from keyUsage; `None` unless exactly one of the two bits
    /// is set.
    pub usage: Option<KeyUsage>,
    /// The subject's P-256 public key.
    pub public_key: PublicKey,
    /// Remote Party Role of an organisation, from the subject's
    /// organizationalUnitName; `None` for devices and unknown numbers.
    pub role: Option<RemotePartyRole>,
    /// The serial number.
    pub serial: CertificateSerial,
    /// Start of validity, in seconds since 1970-01-01 UTC.
    pub not_before: u64,
    /// End of validity, in seconds since 1970-01-01 UTC (253402300799 for
    /// the "no well-defined expiry" date 9999-12-31 23:59:59 that device
    /// certificates carry, RFC 5280 4.1.2.5).
    pub not_after: u64,
    /// Entity Identifier of the issuer, when the issuer's name carries an
    /// x500UniqueIdentifier (an organisation acting as CA, such as the ACB
    /// issuing DCC Boxed device certificates).
    pub issuer_entity: Option<Eui64>,
}

impl SmkiCertificate {
    /// Reads a certificate: PEM "CERTIFICATE" or DER. The public key must
    /// be P-256; the Entity Identifier and usage may be absent (see
    /// [`SmkiCertificate::key_ref`]).
    pub fn parse(input: &[u8]) -> Result<Self, KeyError> {
        if form(input) == Form::Pem {
            let (_, block) = pem_block(input, &[LABEL_CERTIFICATE])?;
            Self::from_der(&pem_decode(block)?)
        } else {
            Self::from_der(input)
        }
    }

    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let cert = Certificate::from_der(der)?;
        let tbs = cert.tbs_certificate();
        let spki = tbs.subject_public_key_info();
        check_p256(
            spki.algorithm.oid,
            spki.algorithm.parameters.as_ref().map(Into::into),
        )?;
        let public_key = point(spki.subject_public_key.as_bytes())?;

        let usage = match tbs.get_extension::<X509KeyUsage>()? {
            Some((_, ku)) => match (ku.digital_signature(), ku.key_agreement()) {
                (true, false) => Some(KeyUsage::DigitalSignature),
                (false, true) => Some(KeyUsage::KeyAgreement),
                _ => None,
            },
            None => None,
        };

        let (kind, entity) = if let Some(eui) = hardware_serial(&cert)? {
            (CertificateKind::Device, Some(eui))
        } else if let Some(eui) = unique_identifier(tbs.subject())? {
            (CertificateKind::Organisation, Some(eui))
        } else {
            (CertificateKind::Other, None)
        };
        let role = if kind == CertificateKind::Organisation {
            role(tbs.subject())
        } else {
            None
        };

        let serial = CertificateSerial::new(tbs.serial_number().as_bytes())
            .ok_or(KeyError::Der(der::Error::from(der::ErrorKind::Overlength)))?;
        let validity = tbs.validity();
        Ok(Self {
            kind,
            entity,
            usage,
            public_key,
            role,
            serial,
            not_before: validity.not_before.to_unix_duration().as_secs(),
            not_after: validity.not_after.to_unix_duration().as_secs(),
            issuer_entity: unique_identifier(tbs.issuer())?,
        })
    }

    /// Where a store files this key: (entity, usage), with `prepayment`
    /// for a supplier's prepayment key-agreement key, which no field of
    /// the certificate marks.
    pub fn key_ref(&self, prepayment: bool) -> Result<KeyRef, KeyError> {
        let entity = self.entity.ok_or(KeyError::MissingEntityId)?;
        let usage = self.usage.ok_or(KeyError::MissingKeyUsage)?;
        if prepayment && usage != KeyUsage::KeyAgreement {
            return Err(KeyError::PrepaymentUsage);
        }
        Ok(KeyRef {
            entity,
            usage,
            prepayment,
        })
    }
}

fn eui_from(bytes: &[u8]) -> Result<Eui64, KeyError> {
    let b: [u8; 8] = bytes.try_into().map_err(|_| KeyError::BadEntityId)?;
    Ok(Eui64(u64::from_be_bytes(b)))
}

/// The hwSerialNum of the first hardwareModuleName in subjectAltName
/// (RFC 4108 5; the SMKI Device Certificate profile puts the device's
/// EUI-64 there).
fn hardware_serial(cert: &Certificate) -> Result<Option<Eui64>, KeyError> {
    let Some((_, san)) = cert.tbs_certificate().get_extension::<SubjectAltName>()? else {
        return Ok(None);
    };
    for name in &san.0 {
        if let GeneralName::OtherName(other) = name
            && other.type_id == ID_ON_HARDWARE_MODULE_NAME
        {
            let hmn: HardwareModuleName = other.value.decode_as()?;
            return eui_from(hmn.hw_serial_num.as_bytes()).map(Some);
        }
    }
    Ok(None)
}

/// The x500UniqueIdentifier of a name: a BIT STRING of exactly 64 bits
/// holding the Entity Identifier (SMKI Organisation Certificate profile).
fn unique_identifier(name: &Name) -> Result<Option<Eui64>, KeyError> {
    let Some(atv) = name.iter().find(|a| a.oid == ID_AT_UNIQUE_IDENTIFIER) else {
        return Ok(None);
    };
    if atv.value.tag() != Tag::BitString {
        return Err(KeyError::BadEntityId);
    }
    let bits: BitStringRef<'_> = atv.value.decode_as()?;
    eui_from(bits.as_bytes().ok_or(KeyError::BadEntityId)?).map(Some)
}

/// The Remote Party Role from organizationalUnitName: two hex digits
/// giving the role number (DCC Boxed and RTDS organisation certificates:
/// "01" recovery ... "08" load controller, "7F" other).
fn role(name: &Name) -> Option<RemotePartyRole> {
    let atv = name.iter().find(|a| a.oid == ID_AT_OU)?;
    let text = atv.value.value();
    if text.len() != 2 || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let s = core::str::from_utf8(text).ok()?;
    RemotePartyRole::from_value(u8::from_str_radix(s, 16).ok()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use alloc::vec::Vec;

    use super::super::fixtures::*;
    use super::*;

    fn der_of(pem: &str) -> Vec<u8> {
        let (_, block) = pem_block(pem.as_bytes(), &[LABEL_CERTIFICATE]).unwrap();
        pem_decode(block).unwrap().to_vec()
    }

    fn point(hex_point: &str) -> PublicKey {
        PublicKey::from_sec1(&hex::decode(hex_point).unwrap()).unwrap()
    }

    #[test]
    fn organisation_certificate() {
        let c = SmkiCertificate::parse(SUPPLIER_DS_CERT.as_bytes()).unwrap();
        assert_eq!(c.kind, CertificateKind::Organisation);
        assert_eq!(c.entity, Some(Eui64(0x90B3_D51F_3001_0000)));
        assert_eq!(c.usage, Some(KeyUsage::DigitalSignature));
        assert_eq!(c.role, Some(RemotePartyRole::Supplier));
        assert_eq!(c.public_key, point(SUPPLIER_DS_POINT_HEX));
        assert_eq!(
            alloc::format!("{}", c.serial),
            "4FBC525201A1D7586C1BC1C4734DEB9F"
        );
        assert_eq!(
            c.serial.to_u128(),
            Some(105_986_833_131_214_866_166_891_566_273_223_584_671)
        );
        assert_eq!(c.not_before, 1_446_163_200); // 2015-10-30 00:00:00
        assert_eq!(c.not_after, 1_761_782_399); // 2025-10-29 23:59:59
        assert_eq!(c.issuer_entity, None); // issuer is OU 07, CN Z1
        assert_eq!(
            c.key_ref(false).unwrap(),
            KeyRef::ds(Eui64(0x90B3_D51F_3001_0000))
        );
        assert_eq!(c.key_ref(true), Err(KeyError::PrepaymentUsage));
        assert_eq!(SmkiCertificate::from_der(&der_of(SUPPLIER_DS_CERT)), Ok(c));
    }

    #[test]
    fn device_certificates() {
        let c = SmkiCertificate::parse(DEVICE_DS_CERT.as_bytes()).unwrap();
        assert_eq!(c.kind, CertificateKind::Device);
        assert_eq!(c.entity, Some(Eui64(0x8873_8457_002F_966C)));
        assert_eq!(c.usage, Some(KeyUsage::DigitalSignature));
        assert_eq!(c.role, None);
        assert_eq!(c.public_key, point(DEVICE_DS_POINT_HEX));
        assert_eq!(
            c.serial.as_bytes(),
            &hex::decode("4DF56E92D528F83544EBA0547068CF8C").unwrap()[..]
        );
        assert_eq!(c.not_before, 1_655_991_696); // 2022-06-23 13:41:36
        assert_eq!(c.not_after, 253_402_300_799); // 9999-12-31 23:59:59
        assert_eq!(c.issuer_entity, Some(Eui64(0x90B3_D51F_3000_0002)));

        let c = SmkiCertificate::parse(&der_of(RTDS_ESME_KA_CERT)).unwrap();
        assert_eq!(c.kind, CertificateKind::Device);
        assert_eq!(c.entity, Some(Eui64(0x00DB_1234_5678_90A0)));
        assert_eq!(c.usage, Some(KeyUsage::KeyAgreement));
        assert_eq!(c.public_key, point(RTDS_ESME_KA_POINT_HEX));
        assert_eq!(c.not_before, 1_459_900_800); // 2016-04-06
        assert_eq!(c.issuer_entity, None); // issuer is CN E357
        assert_eq!(
            c.key_ref(true).unwrap(),
            KeyRef::prepayment_ka(Eui64(0x00DB_1234_5678_90A0))
        );
    }

    #[test]
    fn serial_numbers() {
        assert_eq!(CertificateSerial::new(&[0; 22]), None);
        let long = CertificateSerial::new(&[1; 17]).unwrap();
        assert_eq!(long.to_u128(), None);
        assert_eq!(long.as_bytes(), &[1; 17]);
        assert_eq!(
            CertificateSerial::new(&[1, 2]).unwrap().to_u128(),
            Some(258)
        );
        assert_eq!(
            alloc::format!("{:?}", CertificateSerial::new(&[0xAB]).unwrap()),
            "CertificateSerial(AB)"
        );
    }

    #[test]
    fn role_needs_two_hex_digits() {
        let mut der = der_of(SUPPLIER_DS_CERT);
        // OU "02" as UTF8String: 0C 02 30 32.
        let at = der.windows(4).position(|w| w == b"\x0c\x0202").unwrap();
        for (text, role) in [
            (*b"7F", Some(RemotePartyRole::Other)),
            (*b"7f", Some(RemotePartyRole::Other)),
            (*b"04", Some(RemotePartyRole::AccessControlBroker)),
            (*b"09", None),
            (*b"+2", None),
            (*b"zz", None),
        ] {
            der[at + 2..at + 4].copy_from_slice(&text);
            assert_eq!(SmkiCertificate::from_der(&der).unwrap().role, role);
        }
    }

    #[test]
    fn a_certificate_of_another_kind_has_no_entity() {
        // The subject's x500UniqueIdentifier attribute type (2.5.4.45)
        // turned into serialNumber (2.5.4.5): no Entity Identifier left.
        let mut der = der_of(SUPPLIER_DS_CERT);
        let at = der
            .windows(5)
            .position(|w| w == b"\x06\x03\x55\x04\x2d")
            .unwrap();
        der[at + 4] = 0x05;
        let c = SmkiCertificate::from_der(&der).unwrap();
        assert_eq!(c.kind, CertificateKind::Other);
        assert_eq!((c.entity, c.role), (None, None));
        assert_eq!(c.key_ref(false), Err(KeyError::MissingEntityId));
    }

    #[test]
    fn entity_identifier_must_be_eight_bytes() {
        // hwSerialNum OCTET STRING of 8 bytes: 04 08 ‖ EUI. Declare 7 and
        // let the 8th byte fall outside: the outer lengths then disagree.
        let der = der_of(DEVICE_DS_CERT);
        let at = der
            .windows(10)
            .position(|w| w == b"\x04\x08\x88\x73\x84\x57\x00\x2f\x96\x6c")
            .unwrap();
        let mut bad = der.clone();
        bad[at + 1] = 7;
        assert!(SmkiCertificate::from_der(&bad).is_err());
        assert_eq!(eui_from(&[1; 7]), Err(KeyError::BadEntityId));
        assert_eq!(eui_from(&[1; 9]), Err(KeyError::BadEntityId));
        assert_eq!(eui_from(&[0x12; 8]), Ok(Eui64(0x1212_1212_1212_1212)));
    }

    #[test]
    fn truncation_fails_and_never_panics() {
        for pem in [SUPPLIER_DS_CERT, DEVICE_DS_CERT, RTDS_ESME_KA_CERT] {
            let der = der_of(pem);
            for cut in 0..der.len() {
                assert!(SmkiCertificate::from_der(&der[..cut]).is_err(), "cut {cut}");
            }
            let end = pem.rfind("-----").unwrap() + 5;
            for cut in 0..pem.len() {
                let r = SmkiCertificate::parse(&pem.as_bytes()[..cut]);
                assert_eq!(r.is_ok(), cut >= end, "cut {cut}");
            }
        }
    }

    #[test]
    fn bit_flips_are_refused_or_change_the_key() {
        for (pem, key) in [
            (SUPPLIER_DS_CERT, SUPPLIER_DS_POINT_HEX),
            (DEVICE_DS_CERT, DEVICE_DS_POINT_HEX),
        ] {
            let der = der_of(pem);
            let key = hex::decode(key).unwrap();
            let at = der.windows(65).position(|w| w == &key[..]).unwrap();
            for i in 0..der.len() * 8 {
                let mut d = der.clone();
                d[i / 8] ^= 1 << (i % 8);
                let r = SmkiCertificate::from_der(&d);
                if (at..at + 65).contains(&(i / 8))
                    && let Ok(c) = r
                {
                    assert_ne!(c.public_key.to_sec1()[..], key[..], "bit {i}");
                }
            }
        }
    }
}
