//! Key Establishment 0x0800 (ZigBee SE 1.4 Annex C.3): the certificate-based
//! key establishment (CBKE) exchange, and typed, borrowed views of the ECQV
//! implicit certificates and ephemeral keys it carries. The elliptic-curve
//! arithmetic (ECQV reconstruction, ECMQV, the MACs) is not done here.
//!
//! Certificates carry their integers and EUI-64s most significant byte first
//! (SEC 4 encoding), unlike the rest of ZigBee; the subject of a suite 1
//! test certificate whose device is `00:80:e1:02:00:1a:c1:64` is sent as
//! `00 80 e1 02 00 1a c1 64` (zsmartsystems' `ZigBeeCryptoSuite1Certificate`
//! reverses the same octets into its little-endian `IeeeAddress`).

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use super::{Attribute, Cluster, ClusterCommand, Command, Field};
use crate::zcl::DataType::{Bitmap16, Enum8, Uint8};

/// Key establishment suite bit 0: crypto suite 1, ECMQV on sect163k1 with
/// 48-byte certificates (ZigBee SE 1.4 C.3.1.2.1).
pub const SUITE_1: u16 = 0x0001;
/// Key establishment suite bit 1: crypto suite 2, ECMQV on sect283k1 with
/// 74-byte certificates; the suite GB devices use.
pub const SUITE_2: u16 = 0x0002;

/// Length of a suite 1 implicit certificate (ZigBee SE 1.4 C.4.2.2.5).
pub const SUITE1_CERTIFICATE_LEN: usize = 48;
/// Length of a suite 2 implicit certificate (ZigBee SE 1.4 C.4.2.2.6).
pub const SUITE2_CERTIFICATE_LEN: usize = 74;
/// Length of a suite 1 ephemeral public key (a compressed sect163k1 point).
pub const SUITE1_EPHEMERAL_KEY_LEN: usize = 22;
/// Length of a suite 2 ephemeral public key (a compressed sect283k1 point).
pub const SUITE2_EPHEMERAL_KEY_LEN: usize = 37;
/// Length of the confirm-key MACs (ZigBee SE 1.4 C.3.1.3.3).
pub const MAC_LEN: usize = 16;

/// Suite 2 certificate type: no extensions.
pub const CERTIFICATE_TYPE_NO_EXTENSIONS: u8 = 0x00;
/// Suite 2 certificate curve: sect283k1.
pub const CURVE_SECT283K1: u8 = 0x0d;
/// Suite 2 certificate hash: AES-MMO.
pub const HASH_AES_MMO: u8 = 0x08;
/// Suite 2 key usage bit: key agreement.
pub const KEY_USAGE_KEY_AGREEMENT: u8 = 0x08;
/// Suite 2 key usage bit: digital signature.
pub const KEY_USAGE_DIGITAL_SIGNATURE: u8 = 0x80;
/// Suite 2 validity duration meaning "does not expire".
pub const NEVER_EXPIRES: u32 = u32::MAX;

/// Initiate Key Establishment (request and response) command id.
pub const INITIATE_KEY_ESTABLISHMENT: u8 = 0x00;
/// Ephemeral Data (request and response) command id.
pub const EPHEMERAL_DATA: u8 = 0x01;
/// Confirm Key Data (request and response) command id.
pub const CONFIRM_KEY_DATA: u8 = 0x02;
/// Terminate Key Establishment command id (both directions).
pub const TERMINATE_KEY_ESTABLISHMENT: u8 = 0x03;

/// Key establishment suite names, for a value with one suite bit set.
const SUITE: &[(u64, &str)] = &[(1, "crypto_suite_1"), (2, "crypto_suite_2")];

open_enum! {
    /// Terminate Key Establishment status (ZigBee SE 1.4 table C-9); the
    /// labels are those the catalogue gives the status_code field.
    pub enum TerminateStatus: u8 {
        /// The issuer of the partner's certificate is not known.
        UnknownIssuer = 1 => "unknown_issuer",
        /// The key confirmation MAC did not match.
        BadKeyConfirm = 2 => "bad_key_confirm",
        /// A message was malformed or out of sequence.
        BadMessage = 3 => "bad_message",
        /// The device cannot start a key establishment now (retry after the wait time).
        NoResources = 4 => "no_resources",
        /// None of the suites offered is supported.
        UnsupportedSuite = 5 => "unsupported_suite",
        /// The certificate is not valid (for instance its subject is not the sender).
        InvalidCertificate = 6 => "invalid_certificate",
    }
}

/// Terminate Key Establishment status names (ZigBee SE 1.4 table C-9).
const STATUS: &[(u64, &str)] = &[
    (1, "unknown_issuer"),
    (2, "bad_key_confirm"),
    (3, "bad_message"),
    (4, "no_resources"),
    (5, "unsupported_suite"),
    (6, "invalid_certificate"),
];

const SUITE_FIELD: Field = Field::new("key_establishment_suite", Bitmap16).values(SUITE);

const INITIATE: &[Field] = &[
    SUITE_FIELD,
    Field::new("ephemeral_data_generate_time", Uint8),
    Field::new("confirm_key_generate_time", Uint8),
    // 48 or 74 octets by suite; see [`identity`].
    Field::rest("identity"),
];

const TERMINATE: &[Field] = &[
    Field::new("status_code", Enum8).values(STATUS),
    Field::new("wait_time", Uint8),
    SUITE_FIELD,
];

/// The Key Establishment cluster. Both sides carry KeyEstablishmentSuite
/// (ZigBee SE 1.4 C.3.1.1 and C.3.2.1), a bitmap of [`SUITE_1`] and [`SUITE_2`].
pub static CLUSTER: Cluster = Cluster {
    id: 0x0800,
    name: "Key Establishment",
    label: "key_establishment",
    clause: "ZigBee SE 1.4 C.3",
    attributes: &[Attribute::new(0x0000, "KeyEstablishmentSuite", Bitmap16).values(SUITE)],
    client_attributes: &[Attribute::new(0x0000, "KeyEstablishmentSuite", Bitmap16).values(SUITE)],
    received: &[
        Command::new(
            INITIATE_KEY_ESTABLISHMENT,
            "Initiate Key Establishment Request",
            "initiate_key_establishment_request",
            INITIATE,
        ),
        Command::new(
            EPHEMERAL_DATA,
            "Ephemeral Data Request",
            "ephemeral_data_request",
            &[Field::rest("ephemeral_data")],
        ),
        Command::new(
            CONFIRM_KEY_DATA,
            "Confirm Key Data Request",
            "confirm_key_data_request",
            &[Field::octets("secure_message_authentication_code", MAC_LEN)],
        ),
        Command::new(
            TERMINATE_KEY_ESTABLISHMENT,
            "Terminate Key Establishment",
            "terminate_key_establishment",
            TERMINATE,
        ),
    ],
    generated: &[
        Command::new(
            INITIATE_KEY_ESTABLISHMENT,
            "Initiate Key Establishment Response",
            "initiate_key_establishment_response",
            INITIATE,
        ),
        Command::new(
            EPHEMERAL_DATA,
            "Ephemeral Data Response",
            "ephemeral_data_response",
            &[Field::rest("ephemeral_data")],
        ),
        Command::new(
            CONFIRM_KEY_DATA,
            "Confirm Key Data Response",
            "confirm_key_data_response",
            &[Field::octets("secure_message_authentication_code", MAC_LEN)],
        ),
        Command::new(
            TERMINATE_KEY_ESTABLISHMENT,
            "Terminate Key Establishment",
            "terminate_key_establishment",
            TERMINATE,
        ),
    ],
};

/// Reads a fixed-size borrowed array.
fn array_ref<'a, const N: usize>(
    r: &mut Reader<'a>,
    field: &'static str,
) -> Result<&'a [u8; N], DecodeError> {
    let at = r.offset();
    let s = r.bytes(N, field)?;
    <&[u8; N]>::try_from(s).map_err(|_| DecodeError::invalid(Layer::Zcl, at, field, 0))
}

fn u64_be(r: &mut Reader<'_>, field: &'static str) -> Result<u64, DecodeError> {
    Ok(u64::from_be_bytes(r.array(field)?))
}

fn eui64_be(r: &mut Reader<'_>, field: &'static str) -> Result<Eui64, DecodeError> {
    u64_be(r, field).map(Eui64)
}

/// A crypto suite 1 implicit certificate (ZigBee SE 1.4 C.4.2.2.5), 48 octets:
/// `public key reconstruction data (22) | subject (8) | issuer (8) | profile attribute data (10)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Suite1Certificate<'a> {
    /// The public-key reconstruction data: a compressed sect163k1 point.
    pub public_key_reconstruction_data: &'a [u8; 22],
    /// The subject: the EUI-64 of the device the certificate is for.
    pub subject: Eui64,
    /// The issuer: the identifier of the certificate authority.
    pub issuer: Eui64,
    /// Profile attribute data (for Smart Energy, set by the CA).
    pub profile_attribute_data: &'a [u8; 10],
}

impl<'a> Decode<'a> for Suite1Certificate<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let cert = Self {
            public_key_reconstruction_data: array_ref(&mut r, "public_key_reconstruction_data")?,
            subject: eui64_be(&mut r, "subject")?,
            issuer: eui64_be(&mut r, "issuer")?,
            profile_attribute_data: array_ref(&mut r, "profile_attribute_data")?,
        };
        r.finish()?;
        Ok(cert)
    }
}

impl Encode for Suite1Certificate<'_> {
    fn encoded_len(&self) -> usize {
        SUITE1_CERTIFICATE_LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, SUITE1_CERTIFICATE_LEN, Layer::Zcl)?;
        out.put_slice(self.public_key_reconstruction_data);
        out.put_u64(self.subject.0);
        out.put_u64(self.issuer.0);
        out.put_slice(self.profile_attribute_data);
        Ok(())
    }
}

/// A crypto suite 2 implicit certificate (ZigBee SE 1.4 C.4.2.2.6, the SEC 4
/// minimal encoding), 74 octets: `type (1) | serial number (8) | curve (1) |
/// hash (1) | issuer (8) | valid from (5) | valid duration (4) | subject (8) |
/// key usage (1) | public key reconstruction data (37)`, integers most
/// significant byte first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Suite2Certificate<'a> {
    /// Certificate type ([`CERTIFICATE_TYPE_NO_EXTENSIONS`]).
    pub certificate_type: u8,
    /// Serial number.
    pub serial_number: u64,
    /// Curve identifier ([`CURVE_SECT283K1`]).
    pub curve: u8,
    /// Hash identifier ([`HASH_AES_MMO`]).
    pub hash: u8,
    /// The issuer: the identifier of the certificate authority.
    pub issuer: Eui64,
    /// Start of validity, 40 bits: seconds since 1970-01-01 00:00:00 UTC
    /// (Unix time, as SEC 4 and Wireshark read it).
    pub valid_from: u64,
    /// Validity in seconds after `valid_from` ("valid to" as a duration);
    /// [`NEVER_EXPIRES`] for no end.
    pub valid_duration: u32,
    /// The subject: the EUI-64 of the device the certificate is for.
    pub subject: Eui64,
    /// Key usage bits ([`KEY_USAGE_KEY_AGREEMENT`], [`KEY_USAGE_DIGITAL_SIGNATURE`]).
    pub key_usage: u8,
    /// The public-key reconstruction data: a compressed sect283k1 point.
    pub public_key_reconstruction_data: &'a [u8; 37],
}

impl Suite2Certificate<'_> {
    /// The largest `valid_from` the 40-bit field holds.
    pub const VALID_FROM_MAX: u64 = (1 << 40) - 1;

    /// End of validity in Unix seconds, `None` when it never expires.
    #[must_use]
    pub fn valid_to(&self) -> Option<u64> {
        (self.valid_duration != NEVER_EXPIRES).then(|| {
            self.valid_from
                .saturating_add(u64::from(self.valid_duration))
        })
    }
}

impl<'a> Decode<'a> for Suite2Certificate<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let certificate_type = r.u8("certificate_type")?;
        let serial_number = u64_be(&mut r, "serial_number")?;
        let curve = r.u8("curve")?;
        let hash = r.u8("hash")?;
        let issuer = eui64_be(&mut r, "issuer")?;
        let from: [u8; 5] = r.array("valid_from")?;
        let valid_from = from.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let cert = Self {
            certificate_type,
            serial_number,
            curve,
            hash,
            issuer,
            valid_from,
            valid_duration: r.u32_be("valid_duration")?,
            subject: eui64_be(&mut r, "subject")?,
            key_usage: r.u8("key_usage")?,
            public_key_reconstruction_data: array_ref(&mut r, "public_key_reconstruction_data")?,
        };
        r.finish()?;
        Ok(cert)
    }
}

impl Encode for Suite2Certificate<'_> {
    fn encoded_len(&self) -> usize {
        SUITE2_CERTIFICATE_LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, SUITE2_CERTIFICATE_LEN, Layer::Zcl)?;
        if self.valid_from > Self::VALID_FROM_MAX {
            return Err(EncodeError::unrepresentable(
                Layer::Zcl,
                "valid_from",
                self.valid_from,
            ));
        }
        out.put_u8(self.certificate_type);
        out.put_u64(self.serial_number);
        out.put_u8(self.curve);
        out.put_u8(self.hash);
        out.put_u64(self.issuer.0);
        out.put_slice(self.valid_from.to_be_bytes().get(3..).unwrap_or_default());
        out.put_u32(self.valid_duration);
        out.put_u64(self.subject.0);
        out.put_u8(self.key_usage);
        out.put_slice(self.public_key_reconstruction_data);
        Ok(())
    }
}

/// An ECQV implicit certificate, the identity in Initiate Key Establishment
/// (ZigBee SE 1.4 C.3.1.3.1), told apart by its length (48 or 74 octets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImplicitCertificate<'a> {
    /// A crypto suite 1 certificate.
    Suite1(Suite1Certificate<'a>),
    /// A crypto suite 2 certificate.
    Suite2(Suite2Certificate<'a>),
}

impl ImplicitCertificate<'_> {
    /// The key establishment suite bit of this certificate's suite.
    #[must_use]
    pub const fn suite(&self) -> u16 {
        match self {
            Self::Suite1(_) => SUITE_1,
            Self::Suite2(_) => SUITE_2,
        }
    }

    /// The subject (the device's EUI-64).
    #[must_use]
    pub const fn subject(&self) -> Eui64 {
        match self {
            Self::Suite1(c) => c.subject,
            Self::Suite2(c) => c.subject,
        }
    }

    /// The issuer (the certificate authority's identifier).
    #[must_use]
    pub const fn issuer(&self) -> Eui64 {
        match self {
            Self::Suite1(c) => c.issuer,
            Self::Suite2(c) => c.issuer,
        }
    }

    /// The public-key reconstruction data (22 or 37 octets).
    #[must_use]
    pub const fn public_key_reconstruction_data(&self) -> &[u8] {
        match self {
            Self::Suite1(c) => c.public_key_reconstruction_data,
            Self::Suite2(c) => c.public_key_reconstruction_data,
        }
    }
}

impl<'a> Decode<'a> for ImplicitCertificate<'a> {
    /// # Errors
    /// Invalid `implicit_certificate` (value: the length) when `buf` is
    /// neither 48 nor 74 octets long.
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        match buf.len() {
            SUITE1_CERTIFICATE_LEN => Suite1Certificate::decode(buf).map(Self::Suite1),
            SUITE2_CERTIFICATE_LEN => Suite2Certificate::decode(buf).map(Self::Suite2),
            n => Err(DecodeError::invalid(
                Layer::Zcl,
                0,
                "implicit_certificate",
                n as u64,
            )),
        }
    }
}

impl Encode for ImplicitCertificate<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Suite1(c) => c.encoded_len(),
            Self::Suite2(c) => c.encoded_len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::Suite1(c) => c.encode(out),
            Self::Suite2(c) => c.encode(out),
        }
    }
}

/// An ephemeral public key, the Ephemeral Data of an Ephemeral Data Request
/// (QEU) or Response (QEV) (ZigBee SE 1.4 C.3.1.3.2): a compressed point,
/// told apart by its length (22 or 37 octets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EphemeralKey<'a> {
    /// A crypto suite 1 key (sect163k1).
    Suite1(&'a [u8; 22]),
    /// A crypto suite 2 key (sect283k1).
    Suite2(&'a [u8; 37]),
}

impl EphemeralKey<'_> {
    /// The key's octets.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Suite1(k) => *k,
            Self::Suite2(k) => *k,
        }
    }

    /// The key establishment suite bit of this key's suite.
    #[must_use]
    pub const fn suite(&self) -> u16 {
        match self {
            Self::Suite1(_) => SUITE_1,
            Self::Suite2(_) => SUITE_2,
        }
    }
}

impl<'a> Decode<'a> for EphemeralKey<'a> {
    /// # Errors
    /// Invalid `ephemeral_data` (value: the length) when `buf` is neither 22
    /// nor 37 octets long.
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let invalid = || DecodeError::invalid(Layer::Zcl, 0, "ephemeral_data", buf.len() as u64);
        match buf.len() {
            SUITE1_EPHEMERAL_KEY_LEN => <&[u8; 22]>::try_from(buf)
                .map(Self::Suite1)
                .map_err(|_| invalid()),
            SUITE2_EPHEMERAL_KEY_LEN => <&[u8; 37]>::try_from(buf)
                .map(Self::Suite2)
                .map_err(|_| invalid()),
            _ => Err(invalid()),
        }
    }
}

impl Encode for EphemeralKey<'_> {
    fn encoded_len(&self) -> usize {
        self.as_bytes().len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        out.put_slice(self.as_bytes());
        Ok(())
    }
}

fn is_key_establishment(c: &ClusterCommand<'_>, command_id: u8) -> bool {
    c.cluster.id == CLUSTER.id && c.command.id == command_id
}

/// The identity (implicit certificate) of an Initiate Key Establishment
/// Request or Response; `None` for any other command.
///
/// # Errors
/// (Inside the `Some`.) The certificate's length is neither 48 nor 74, or
/// disagrees with the key establishment suite the command names (when it
/// names exactly one). Offsets are within the command payload.
#[must_use]
pub fn identity<'a>(
    command: &ClusterCommand<'a>,
) -> Option<Result<ImplicitCertificate<'a>, DecodeError>> {
    if !is_key_establishment(command, INITIATE_KEY_ESTABLISHMENT) {
        return None;
    }
    let suite = command.field("key_establishment_suite")?.value.as_u64()?;
    let bytes = command.field("identity")?.value.as_bytes()?;
    let start = command.payload.len().saturating_sub(bytes.len());
    Some(
        ImplicitCertificate::decode(bytes)
            .map_err(|e| e.shifted(start))
            .and_then(|cert| {
                if (suite == u64::from(SUITE_1) || suite == u64::from(SUITE_2))
                    && suite != u64::from(cert.suite())
                {
                    Err(DecodeError::invalid(
                        Layer::Zcl,
                        0,
                        "key_establishment_suite",
                        suite,
                    ))
                } else {
                    Ok(cert)
                }
            }),
    )
}

/// The ephemeral key of an Ephemeral Data Request or Response; `None` for
/// any other command.
///
/// # Errors
/// (Inside the `Some`.) The ephemeral data is neither 22 nor 37 octets long.
#[must_use]
pub fn ephemeral_data<'a>(
    command: &ClusterCommand<'a>,
) -> Option<Result<EphemeralKey<'a>, DecodeError>> {
    if !is_key_establishment(command, EPHEMERAL_DATA) {
        return None;
    }
    let bytes = command.field("ephemeral_data")?.value.as_bytes()?;
    Some(EphemeralKey::decode(bytes))
}

/// The MAC (MACU or MACV) of a Confirm Key Data Request or Response; `None`
/// for any other command.
#[must_use]
pub fn confirm_mac<'a>(command: &ClusterCommand<'a>) -> Option<&'a [u8; MAC_LEN]> {
    if !is_key_establishment(command, CONFIRM_KEY_DATA) {
        return None;
    }
    let bytes = command
        .field("secure_message_authentication_code")?
        .value
        .as_bytes()?;
    <&[u8; MAC_LEN]>::try_from(bytes).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use super::*;
    use crate::zcl::Direction;
    use proptest::prelude::*;

    /// A suite 1 test certificate published in Silicon Labs' RS9116 Smart
    /// Energy sample (`AppCBKECertificate.c`), for device 0080e102001ac164
    /// and the test CA "TESTSECA". tshark 4.0 reads it as Public Key
    /// 0300e478…0064, Subject 0080e102001ac164, Issuer 5445535453454341,
    /// Profile Attribute Data 0109108301234567890a.
    const SUITE1_CERT: [u8; 48] = [
        0x03, 0x00, 0xe4, 0x78, 0xc3, 0xa2, 0xab, 0x90, 0x0f, 0x58, 0xb7, 0x91, 0x13, 0xdd, 0x67,
        0x2e, 0x35, 0x98, 0x5f, 0xe4, 0x00, 0x64, 0x00, 0x80, 0xe1, 0x02, 0x00, 0x1a, 0xc1, 0x64,
        0x54, 0x45, 0x53, 0x54, 0x53, 0x45, 0x43, 0x41, 0x01, 0x09, 0x10, 0x83, 0x01, 0x23, 0x45,
        0x67, 0x89, 0x0a,
    ];

    /// A suite 2 certificate built field by field; tshark 4.0 reads it as Type
    /// "No Extensions", Serial No 0x0102030405060708, Curve sect283k1, Hash
    /// AES MMO, Issuer 1122334455667788, Valid From Sep 13, 2020 12:26:40 UTC,
    /// Valid To Sep 13, 2021 12:26:40 UTC, Subject 000d6f000b8b1f2e, Key
    /// Usage 0x88 (key agreement, digital signature), Public Key 021011…3132….
    fn suite2_cert() -> Vec<u8> {
        let mut c = Vec::new();
        c.push(0x00);
        c.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        c.extend_from_slice(&[0x0d, 0x08]);
        c.extend_from_slice(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
        c.extend_from_slice(&[0x00, 0x5f, 0x5e, 0x10, 0x00]);
        c.extend_from_slice(&[0x01, 0xe1, 0x33, 0x80]);
        c.extend_from_slice(&[0x00, 0x0d, 0x6f, 0x00, 0x0b, 0x8b, 0x1f, 0x2e]);
        c.push(0x88);
        c.push(0x02);
        c.extend(0x10..0x34u8);
        c
    }

    fn initiate(suite: u16, cert: &[u8]) -> Vec<u8> {
        let mut p = suite.to_le_bytes().to_vec();
        p.extend_from_slice(&[10, 20]);
        p.extend_from_slice(cert);
        p
    }

    #[test]
    fn suite1_certificate_from_a_vendor_sample() {
        let c = Suite1Certificate::decode(&SUITE1_CERT).unwrap();
        assert_eq!(c.subject, "00:80:e1:02:00:1a:c1:64".parse().unwrap());
        assert_eq!(c.issuer.to_be_bytes(), *b"TESTSECA");
        assert_eq!(c.public_key_reconstruction_data[..3], [0x03, 0x00, 0xe4]);
        assert_eq!(
            *c.profile_attribute_data,
            [0x01, 0x09, 0x10, 0x83, 0x01, 0x23, 0x45, 0x67, 0x89, 0x0a]
        );
        let mut out = Vec::new();
        c.encode(&mut out).unwrap();
        assert_eq!(out, SUITE1_CERT);
    }

    #[test]
    fn initiate_request_with_a_suite1_certificate() {
        // tshark 4.0: Initiate Key Establishment Request, Key Establishment
        // Suite "Crypto Suite 1 (CBKE K163)", Ephemeral Data Generate Time 10,
        // Confirm Key Generate Time 20, then the certificate above.
        let p = initiate(SUITE_1, &SUITE1_CERT);
        let cmd = ClusterCommand::decode(0x0800, Direction::ToServer, 0, &p)
            .unwrap()
            .unwrap();
        assert_eq!(cmd.command.label, "initiate_key_establishment_request");
        let suite = cmd.field("key_establishment_suite").unwrap();
        assert_eq!(
            suite.spec.value_name(suite.value.as_u64().unwrap()),
            Some("crypto_suite_1")
        );
        assert_eq!(
            cmd.field("ephemeral_data_generate_time")
                .unwrap()
                .value
                .as_u64(),
            Some(10)
        );
        assert_eq!(
            cmd.field("confirm_key_generate_time")
                .unwrap()
                .value
                .as_u64(),
            Some(20)
        );
        let cert = identity(&cmd).unwrap().unwrap();
        assert_eq!(cert.suite(), SUITE_1);
        assert_eq!(cert.subject(), Eui64(0x0080_e102_001a_c164));
        assert_eq!(cert.public_key_reconstruction_data().len(), 22);
    }

    #[test]
    fn initiate_response_with_a_suite2_certificate() {
        let bytes = suite2_cert();
        assert_eq!(bytes.len(), SUITE2_CERTIFICATE_LEN);
        let p = initiate(SUITE_2, &bytes);
        let cmd = ClusterCommand::decode(0x0800, Direction::ToClient, 0, &p)
            .unwrap()
            .unwrap();
        assert_eq!(cmd.command.label, "initiate_key_establishment_response");
        let ImplicitCertificate::Suite2(c) = identity(&cmd).unwrap().unwrap() else {
            panic!("suite 2");
        };
        assert_eq!(c.certificate_type, CERTIFICATE_TYPE_NO_EXTENSIONS);
        assert_eq!(c.serial_number, 0x0102_0304_0506_0708);
        assert_eq!(c.curve, CURVE_SECT283K1);
        assert_eq!(c.hash, HASH_AES_MMO);
        assert_eq!(c.issuer, Eui64(0x1122_3344_5566_7788));
        // 1600000000 = 2020-09-13 12:26:40 UTC; one year later to the second.
        assert_eq!(c.valid_from, 1_600_000_000);
        assert_eq!(c.valid_duration, 31_536_000);
        assert_eq!(c.valid_to(), Some(1_631_536_000));
        assert_eq!(c.subject, "00:0d:6f:00:0b:8b:1f:2e".parse().unwrap());
        assert_eq!(
            c.key_usage,
            KEY_USAGE_KEY_AGREEMENT | KEY_USAGE_DIGITAL_SIGNATURE
        );
        assert_eq!(c.public_key_reconstruction_data[0], 0x02);
        assert_eq!(c.public_key_reconstruction_data[36], 0x33);
        let mut out = Vec::new();
        ImplicitCertificate::Suite2(c).encode(&mut out).unwrap();
        assert_eq!(out, bytes);
    }

    #[test]
    fn identity_must_match_the_suite() {
        let p = initiate(SUITE_1, &suite2_cert());
        let cmd = ClusterCommand::decode(0x0800, Direction::ToServer, 0, &p)
            .unwrap()
            .unwrap();
        assert!(identity(&cmd).unwrap().is_err());
        // A certificate of another length is an error at the identity's offset.
        let p = initiate(SUITE_2, &SUITE1_CERT[..40]);
        let cmd = ClusterCommand::decode(0x0800, Direction::ToServer, 0, &p)
            .unwrap()
            .unwrap();
        let e = identity(&cmd).unwrap().unwrap_err();
        assert_eq!(e.offset, 4);
        // Not an Initiate command: no identity.
        let cmd = ClusterCommand::decode(0x0800, Direction::ToServer, 3, &[4, 30, 2, 0])
            .unwrap()
            .unwrap();
        assert!(identity(&cmd).is_none());
    }

    #[test]
    fn terminate_as_tshark_reads_it() {
        // The GB test hub's (HenryGiraldo/gbcs) Terminate: tshark 4.0 reads
        // Status "No Resources", Wait Time 30, Suite "Crypto Suite 2".
        let cmd = ClusterCommand::decode(0x0800, Direction::ToClient, 3, &[4, 30, 2, 0])
            .unwrap()
            .unwrap();
        let status = cmd.field("status_code").unwrap();
        assert_eq!(
            status.spec.value_name(status.value.as_u64().unwrap()),
            Some("no_resources")
        );
        assert_eq!(TerminateStatus::from(4), TerminateStatus::NoResources);
        assert_eq!(cmd.field("wait_time").unwrap().value.as_u64(), Some(30));
        assert_eq!(
            cmd.field("key_establishment_suite").unwrap().value.as_u64(),
            Some(2)
        );
    }

    #[test]
    fn terminate_frame_of_the_gb_test_hub() {
        // The whole ZCL frame the hub builds: frame control 0x09 (cluster
        // specific, server to client), sequence 0x42, command 3, then status,
        // wait time and suite.
        let frame = [0x09, 0x42, 0x03, 0x04, 0x1e, 0x02, 0x00];
        let zcl = crate::zcl::ZclFrame::decode(&frame).unwrap();
        let cmd = ClusterCommand::from_frame(&zcl, 0x0800).unwrap().unwrap();
        assert_eq!(cmd.direction, Direction::ToClient);
        assert_eq!(cmd.command.label, "terminate_key_establishment");
        let status = cmd.field("status_code").unwrap().value.as_u64().unwrap();
        assert_eq!(
            TerminateStatus::from(u8::try_from(status).unwrap()),
            TerminateStatus::NoResources
        );
    }

    #[test]
    fn terminate_status_enum_and_table_agree() {
        assert_eq!(TerminateStatus::ALL.len(), STATUS.len());
        for (s, (v, name)) in TerminateStatus::ALL.iter().zip(STATUS) {
            assert_eq!(u64::from(s.value()), *v);
            assert_eq!(s.label(), Some(*name));
        }
    }

    #[test]
    fn ephemeral_data_and_confirm_mac() {
        // tshark 4.0: Ephemeral Data Request, QEU 021011…; Confirm Key Data
        // Response, MACV 000102…0f.
        let key = &suite2_cert()[37..];
        let cmd = ClusterCommand::decode(0x0800, Direction::ToServer, 1, key)
            .unwrap()
            .unwrap();
        let k = ephemeral_data(&cmd).unwrap().unwrap();
        assert_eq!(k.suite(), SUITE_2);
        assert_eq!(k.as_bytes(), key);
        let short = ClusterCommand::decode(0x0800, Direction::ToServer, 1, &key[..36])
            .unwrap()
            .unwrap();
        assert!(ephemeral_data(&short).unwrap().is_err());
        let mac: Vec<u8> = (0..16).collect();
        let cmd = ClusterCommand::decode(0x0800, Direction::ToClient, 2, &mac)
            .unwrap()
            .unwrap();
        assert_eq!(confirm_mac(&cmd).unwrap()[..], mac[..]);
        assert!(ClusterCommand::decode(0x0800, Direction::ToClient, 2, &mac[..15]).is_err());
        assert!(ephemeral_data(&cmd).is_none());
    }

    #[test]
    fn every_truncation_is_an_error() {
        let s2 = suite2_cert();
        for n in 0..SUITE2_CERTIFICATE_LEN {
            assert!(Suite2Certificate::decode(&s2[..n]).is_err(), "{n}");
            assert!(ImplicitCertificate::decode(&s2[..n]).is_err() || n == SUITE1_CERTIFICATE_LEN);
            assert!(EphemeralKey::decode(&s2[..n]).is_err() || n == 22 || n == 37);
        }
        for n in 0..SUITE1_CERTIFICATE_LEN {
            assert!(Suite1Certificate::decode(&SUITE1_CERT[..n]).is_err(), "{n}");
        }
        let e = ImplicitCertificate::decode(&s2[..50]).unwrap_err();
        assert_eq!(
            e.kind,
            smets_core::DecodeErrorKind::Invalid {
                field: "implicit_certificate",
                value: 50
            }
        );
        let mut long = s2.clone();
        long.push(0);
        assert!(Suite2Certificate::decode(&long).is_err());
        assert!(ImplicitCertificate::decode(&long).is_err());
    }

    #[test]
    fn encoding_checks_room_and_range() {
        let s2 = suite2_cert();
        let mut c = Suite2Certificate::decode(&s2).unwrap();
        let mut small = [0u8; 73];
        assert!(c.encode(&mut &mut small[..]).is_err());
        c.valid_from = 1 << 40;
        assert!(c.encode(&mut Vec::new()).is_err());
    }

    proptest! {
        #[test]
        fn certificates_round_trip(bytes in proptest::collection::vec(any::<u8>(), 74)) {
            for len in [SUITE1_CERTIFICATE_LEN, SUITE2_CERTIFICATE_LEN] {
                let b = &bytes[..len];
                let c = ImplicitCertificate::decode(b).unwrap();
                let mut out = Vec::new();
                c.encode(&mut out).unwrap();
                prop_assert_eq!(&out[..], b);
                prop_assert_eq!(ImplicitCertificate::decode(&out).unwrap(), c);
            }
        }

        #[test]
        fn suite2_fields_round_trip(
            t in any::<u8>(), serial in any::<u64>(), curve in any::<u8>(), hash in any::<u8>(),
            issuer in any::<u64>(), from in 0..=Suite2Certificate::VALID_FROM_MAX,
            duration in any::<u32>(), subject in any::<u64>(), usage in any::<u8>(),
            key in proptest::array::uniform32(any::<u8>()),
        ) {
            let mut pk = [0u8; 37];
            pk[..32].copy_from_slice(&key);
            let c = Suite2Certificate {
                certificate_type: t, serial_number: serial, curve, hash,
                issuer: Eui64(issuer), valid_from: from, valid_duration: duration,
                subject: Eui64(subject), key_usage: usage, public_key_reconstruction_data: &pk,
            };
            let mut out = Vec::new();
            c.encode(&mut out).unwrap();
            prop_assert_eq!(out.len(), SUITE2_CERTIFICATE_LEN);
            prop_assert_eq!(Suite2Certificate::decode(&out).unwrap(), c);
        }

        #[test]
        fn ephemeral_keys_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            if let Ok(k) = EphemeralKey::decode(&bytes) {
                let mut out = Vec::new();
                k.encode(&mut out).unwrap();
                prop_assert_eq!(out, bytes);
            } else {
                prop_assert!(bytes.len() != 22 && bytes.len() != 37);
            }
        }
    }
}
