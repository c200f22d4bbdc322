//! The ciphered xDLMS APDUs (IEC 62056-5-3 9.2.7.2 and 9.5, DLMS Green
//! Book): service-specific glo- and ded- ciphering (`C8`-`CF`,
//! `D0`-`D7`), general-glo- and general-ded-ciphering (`DB`, `DC`) and
//! general-ciphering (`DD`). Framing only: the content is kept ciphered, and
//! nothing here knows about keys or about GBCS.

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Layer, ensure_room, open_enum};

use crate::xdlms::{Cursor, check_len, octets_len, put_octets};

const LAYER: Layer = Layer::Dlms;

/// General-glo-ciphering APDU tag (IEC 62056-5-3 9.5, `[219]`).
pub const TAG_GENERAL_GLO_CIPHERING: u8 = 0xDB;
/// General-ded-ciphering APDU tag (IEC 62056-5-3 9.5, `[220]`).
pub const TAG_GENERAL_DED_CIPHERING: u8 = 0xDC;
/// General-ciphering APDU tag (IEC 62056-5-3 9.5, `[221]`).
pub const TAG_GENERAL_CIPHERING: u8 = 0xDD;

/// Octets of the security header: security control and invocation counter.
pub const SECURITY_HEADER_LEN: usize = 5;
/// Octets of the authentication tag of security suites 0 to 2
/// (IEC 62056-5-3 9.2.7.2: GMAC truncated to 96 bits).
pub const TAG_LEN: usize = 12;

open_enum! {
    /// The tag of a service-specific ciphered APDU (IEC 62056-5-3 9.5):
    /// `glo-` with the global key, `ded-` with the dedicated key.
    pub enum CipheredServiceTag: u8 {
        /// glo-get-request \[200\].
        GloGetRequest = 0xC8 => "glo_get_request",
        /// glo-set-request \[201\].
        GloSetRequest = 0xC9 => "glo_set_request",
        /// glo-event-notification-request \[202\].
        GloEventNotificationRequest = 0xCA => "glo_event_notification_request",
        /// glo-action-request \[203\].
        GloActionRequest = 0xCB => "glo_action_request",
        /// glo-get-response \[204\].
        GloGetResponse = 0xCC => "glo_get_response",
        /// glo-set-response \[205\].
        GloSetResponse = 0xCD => "glo_set_response",
        /// glo-action-response \[207\].
        GloActionResponse = 0xCF => "glo_action_response",
        /// ded-get-request \[208\].
        DedGetRequest = 0xD0 => "ded_get_request",
        /// ded-set-request \[209\].
        DedSetRequest = 0xD1 => "ded_set_request",
        /// ded-event-notification-request \[210\].
        DedEventNotificationRequest = 0xD2 => "ded_event_notification_request",
        /// ded-action-request \[211\].
        DedActionRequest = 0xD3 => "ded_action_request",
        /// ded-get-response \[212\].
        DedGetResponse = 0xD4 => "ded_get_response",
        /// ded-set-response \[213\].
        DedSetResponse = 0xD5 => "ded_set_response",
        /// ded-action-response \[215\].
        DedActionResponse = 0xD7 => "ded_action_response",
    }
}

impl CipheredServiceTag {
    /// Whether `tag` is one of the named service-specific ciphered tags.
    #[must_use]
    pub fn is_known(tag: u8) -> bool {
        !matches!(Self::from(tag), Self::Unknown(_))
    }
}

/// Security-Control, the first octet of the security header (IEC
/// 62056-5-3 9.2.7.2, DLMS Green Book): bits 0-3 security suite id, bit 4
/// authentication, bit 5 encryption, bit 6 key set (broadcast key),
/// bit 7 compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SecurityControl(pub u8);

impl SecurityControl {
    /// Bit 4: the content carries an authentication tag.
    pub const AUTHENTICATED: u8 = 0x10;
    /// Bit 5: the content is encrypted.
    pub const ENCRYPTED: u8 = 0x20;
    /// Bit 6: ciphered with the broadcast key (else unicast).
    pub const BROADCAST_KEY: u8 = 0x40;
    /// Bit 7: the plaintext was compressed.
    pub const COMPRESSED: u8 = 0x80;

    /// Security suite id: bits 0-3.
    #[must_use]
    pub const fn suite(self) -> u8 {
        self.0 & 0x0F
    }

    /// Bit 4 set.
    #[must_use]
    pub const fn authenticated(self) -> bool {
        self.0 & Self::AUTHENTICATED != 0
    }

    /// Bit 5 set.
    #[must_use]
    pub const fn encrypted(self) -> bool {
        self.0 & Self::ENCRYPTED != 0
    }

    /// Bit 6 set.
    #[must_use]
    pub const fn broadcast_key(self) -> bool {
        self.0 & Self::BROADCAST_KEY != 0
    }

    /// Bit 7 set.
    #[must_use]
    pub const fn compressed(self) -> bool {
        self.0 & Self::COMPRESSED != 0
    }
}

/// A ciphered content (IEC 62056-5-3 9.2.7.2): the security header, then
/// the ciphertext (or, when only authenticated, the plaintext) and the
/// authentication tag, kept as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CipheredContent<'a> {
    /// security-control.
    pub security_control: SecurityControl,
    /// invocation-counter.
    pub invocation_counter: u32,
    /// What follows the security header: the information and, when
    /// authenticated, the tag.
    pub payload: &'a [u8],
}

impl<'a> CipheredContent<'a> {
    /// Splits a ciphered-content octet string into its parts.
    ///
    /// # Errors
    /// A [`DecodeError`] when it is shorter than the security header.
    pub fn parse(content: &'a [u8]) -> Result<Self, DecodeError> {
        let mut c = Cursor::new(content, 0);
        Ok(Self {
            security_control: SecurityControl(c.u8("security-control")?),
            invocation_counter: c.u32("invocation-counter")?,
            payload: content.get(SECURITY_HEADER_LEN..).unwrap_or_default(),
        })
    }

    /// The authentication tag: the last [`TAG_LEN`] octets when the
    /// security control says authenticated.
    #[must_use]
    pub fn tag(&self) -> Option<&'a [u8]> {
        if !self.security_control.authenticated() {
            return None;
        }
        let at = self.payload.len().checked_sub(TAG_LEN)?;
        self.payload.get(at..)
    }

    /// The information without the tag (ciphertext when encrypted).
    #[must_use]
    pub fn information(&self) -> &'a [u8] {
        match self.tag() {
            Some(t) => self
                .payload
                .get(..self.payload.len() - t.len())
                .unwrap_or_default(),
            None => self.payload,
        }
    }

    /// Octets of the content, security header included.
    #[must_use]
    pub const fn content_len(&self) -> usize {
        SECURITY_HEADER_LEN + self.payload.len()
    }

    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let content = c.octet_string("ciphered-content")?;
        let start = c.pos() - content.len();
        Self::parse(content).map_err(|e| e.shifted(start))
    }

    const fn len(&self) -> usize {
        let n = self.content_len();
        smets_core::ber::length_len(n) + n
    }

    fn check(&self) -> Result<(), EncodeError> {
        check_len(self.content_len(), "ciphered-content length")
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        smets_core::ber::put_length(out, self.content_len());
        out.put_u8(self.security_control.0);
        out.put_u32(self.invocation_counter);
        out.put_slice(self.payload);
    }
}

/// A service-specific ciphered APDU (IEC 62056-5-3 9.5, e.g.
/// `glo-get-request [200] IMPLICIT OCTET STRING`): the tag names the
/// service, the octet string is the ciphered content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ServiceCiphered<'a> {
    /// The APDU tag.
    pub tag: CipheredServiceTag,
    /// The ciphered content.
    pub content: CipheredContent<'a>,
}

/// General-glo-ciphering (`DB`) or general-ded-ciphering (`DC`)
/// (IEC 62056-5-3 9.5): the sender's system title, then the ciphered
/// content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SystemTitleCiphered<'a> {
    /// system-title (8 octets when present).
    pub system_title: &'a [u8],
    /// ciphered-content.
    pub content: CipheredContent<'a>,
}

open_enum! {
    /// Key-Id of an identified key (IEC 62056-5-3 9.5).
    pub enum KeyId: u8 {
        /// global-unicast-encryption-key.
        GlobalUnicastEncryptionKey = 0 => "global_unicast_encryption_key",
        /// global-broadcast-encryption-key.
        GlobalBroadcastEncryptionKey = 1 => "global_broadcast_encryption_key",
    }
}

/// Key-Info (IEC 62056-5-3 9.5, CHOICE): how the recipient finds the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyInfo<'a> {
    /// \[0\] identified-key.
    IdentifiedKey {
        /// key-id.
        key_id: KeyId,
    },
    /// \[1\] wrapped-key.
    WrappedKey {
        /// kek-id (0: master key).
        kek_id: u8,
        /// key-ciphered-data.
        key_ciphered_data: &'a [u8],
    },
    /// \[2\] agreed-key.
    AgreedKey {
        /// key-parameters (e.g. `01` One-Pass Diffie-Hellman, `02` Static
        /// Unified Model).
        key_parameters: &'a [u8],
        /// key-ciphered-data.
        key_ciphered_data: &'a [u8],
    },
}

impl<'a> KeyInfo<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        match c.u8("key-info")? {
            0 => Ok(Self::IdentifiedKey {
                key_id: c.u8("key-id")?.into(),
            }),
            1 => Ok(Self::WrappedKey {
                kek_id: c.u8("kek-id")?,
                key_ciphered_data: c.octet_string("key-ciphered-data")?,
            }),
            2 => Ok(Self::AgreedKey {
                key_parameters: c.octet_string("key-parameters")?,
                key_ciphered_data: c.octet_string("key-ciphered-data")?,
            }),
            v => Err(DecodeError::invalid(
                LAYER,
                c.pos() - 1,
                "key-info",
                u64::from(v),
            )),
        }
    }

    const fn len(&self) -> usize {
        1 + match self {
            Self::IdentifiedKey { .. } => 1,
            Self::WrappedKey {
                key_ciphered_data, ..
            } => 1 + octets_len(key_ciphered_data),
            Self::AgreedKey {
                key_parameters,
                key_ciphered_data,
            } => octets_len(key_parameters) + octets_len(key_ciphered_data),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::IdentifiedKey { .. } => Ok(()),
            Self::WrappedKey {
                key_ciphered_data, ..
            } => check_len(key_ciphered_data.len(), "key-ciphered-data length"),
            Self::AgreedKey {
                key_parameters,
                key_ciphered_data,
            } => {
                check_len(key_parameters.len(), "key-parameters length")?;
                check_len(key_ciphered_data.len(), "key-ciphered-data length")
            }
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        match self {
            Self::IdentifiedKey { key_id } => {
                out.put_u8(0);
                out.put_u8((*key_id).into());
            }
            Self::WrappedKey {
                kek_id,
                key_ciphered_data,
            } => {
                out.put_u8(1);
                out.put_u8(*kek_id);
                put_octets(out, key_ciphered_data);
            }
            Self::AgreedKey {
                key_parameters,
                key_ciphered_data,
            } => {
                out.put_u8(2);
                put_octets(out, key_parameters);
                put_octets(out, key_ciphered_data);
            }
        }
    }
}

/// General-Ciphering (IEC 62056-5-3 9.5, tag `DD`): any APDU ciphered
/// with the parties, the transaction and the key named in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GeneralCiphering<'a> {
    /// transaction-id.
    pub transaction_id: &'a [u8],
    /// originator-system-title.
    pub originator_system_title: &'a [u8],
    /// recipient-system-title.
    pub recipient_system_title: &'a [u8],
    /// date-time (empty or 12 octets).
    pub date_time: &'a [u8],
    /// other-information.
    pub other_information: &'a [u8],
    /// key-info, OPTIONAL.
    pub key_info: Option<KeyInfo<'a>>,
    /// ciphered-content.
    pub content: CipheredContent<'a>,
}

/// One ciphered APDU of this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ciphered<'a> {
    /// `C8`-`CF`, `D0`-`D7`.
    Service(ServiceCiphered<'a>),
    /// `DB`.
    GeneralGlo(SystemTitleCiphered<'a>),
    /// `DC`.
    GeneralDed(SystemTitleCiphered<'a>),
    /// `DD`.
    General(GeneralCiphering<'a>),
}

impl<'a> Ciphered<'a> {
    /// Whether `tag` starts one of these APDUs.
    #[must_use]
    pub fn is_ciphered_tag(tag: u8) -> bool {
        CipheredServiceTag::is_known(tag)
            || matches!(
                tag,
                TAG_GENERAL_GLO_CIPHERING | TAG_GENERAL_DED_CIPHERING | TAG_GENERAL_CIPHERING
            )
    }

    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let tag = c.u8("xdlms apdu tag")?;
        Ok(match tag {
            TAG_GENERAL_GLO_CIPHERING | TAG_GENERAL_DED_CIPHERING => {
                let s = SystemTitleCiphered {
                    system_title: c.octet_string("system-title")?,
                    content: CipheredContent::read(c)?,
                };
                if tag == TAG_GENERAL_GLO_CIPHERING {
                    Self::GeneralGlo(s)
                } else {
                    Self::GeneralDed(s)
                }
            }
            TAG_GENERAL_CIPHERING => Self::General(GeneralCiphering {
                transaction_id: c.octet_string("transaction-id")?,
                originator_system_title: c.octet_string("originator-system-title")?,
                recipient_system_title: c.octet_string("recipient-system-title")?,
                date_time: c.octet_string("date-time")?,
                other_information: c.octet_string("other-information")?,
                key_info: if c.present("key-info present")? {
                    Some(KeyInfo::read(c)?)
                } else {
                    None
                },
                content: CipheredContent::read(c)?,
            }),
            t if CipheredServiceTag::is_known(t) => Self::Service(ServiceCiphered {
                tag: t.into(),
                content: CipheredContent::read(c)?,
            }),
            t => {
                return Err(DecodeError::invalid(
                    LAYER,
                    c.pos() - 1,
                    "xdlms apdu tag",
                    u64::from(t),
                ));
            }
        })
    }

    /// The APDU tag.
    #[must_use]
    pub fn tag(&self) -> u8 {
        match self {
            Self::Service(s) => s.tag.into(),
            Self::GeneralGlo(_) => TAG_GENERAL_GLO_CIPHERING,
            Self::GeneralDed(_) => TAG_GENERAL_DED_CIPHERING,
            Self::General(_) => TAG_GENERAL_CIPHERING,
        }
    }

    /// The ciphered content.
    #[must_use]
    pub const fn content(&self) -> &CipheredContent<'a> {
        match self {
            Self::Service(s) => &s.content,
            Self::GeneralGlo(s) | Self::GeneralDed(s) => &s.content,
            Self::General(g) => &g.content,
        }
    }

    fn len(&self) -> usize {
        1 + self.content().len()
            + match self {
                Self::Service(_) => 0,
                Self::GeneralGlo(s) | Self::GeneralDed(s) => octets_len(s.system_title),
                Self::General(g) => {
                    octets_len(g.transaction_id)
                        + octets_len(g.originator_system_title)
                        + octets_len(g.recipient_system_title)
                        + octets_len(g.date_time)
                        + octets_len(g.other_information)
                        + 1
                        + g.key_info.map_or(0, |k| k.len())
                }
            }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Service(s) => {
                if !CipheredServiceTag::is_known(s.tag.into()) {
                    return Err(EncodeError::inconsistent(LAYER, "ciphered service tag"));
                }
            }
            Self::GeneralGlo(s) | Self::GeneralDed(s) => {
                check_len(s.system_title.len(), "system-title length")?;
            }
            Self::General(g) => {
                for (s, field) in [
                    (g.transaction_id, "transaction-id length"),
                    (g.originator_system_title, "originator-system-title length"),
                    (g.recipient_system_title, "recipient-system-title length"),
                    (g.date_time, "date-time length"),
                    (g.other_information, "other-information length"),
                ] {
                    check_len(s.len(), field)?;
                }
                if let Some(k) = &g.key_info {
                    k.check()?;
                }
            }
        }
        self.content().check()
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.tag());
        match self {
            Self::Service(_) => {}
            Self::GeneralGlo(s) | Self::GeneralDed(s) => put_octets(out, s.system_title),
            Self::General(g) => {
                put_octets(out, g.transaction_id);
                put_octets(out, g.originator_system_title);
                put_octets(out, g.recipient_system_title);
                put_octets(out, g.date_time);
                put_octets(out, g.other_information);
                match &g.key_info {
                    None => out.put_u8(0),
                    Some(k) => {
                        out.put_u8(1);
                        k.put(out);
                    }
                }
            }
        }
        self.content().put(out);
    }
}

impl<'a> Decode<'a> for Ciphered<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut c = Cursor::new(buf, 0);
        let apdu = Self::read(&mut c)?;
        c.finish()?;
        Ok(apdu)
    }
}

impl Encode for Ciphered<'_> {
    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.len(), LAYER)?;
        self.check()?;
        self.put(out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::boxed::Box;
    use alloc::vec::Vec;

    use proptest::prelude::*;
    use smets_core::DecodeErrorKind;

    use super::*;
    use crate::apdu::Apdu;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s.replace([' ', '\n'], "")).unwrap()
    }

    fn check_bytes(b: &[u8]) -> Ciphered<'_> {
        let c = Ciphered::decode(b).unwrap();
        assert_eq!(c.encoded_len(), b.len());
        assert_eq!(c.to_vec().unwrap(), b);
        assert_eq!(Apdu::decode(b).unwrap(), Apdu::Ciphered(c));
        for cut in 0..b.len() {
            assert!(Ciphered::decode(&b[..cut]).is_err(), "cut {cut}");
        }
        let mut long = b.to_vec();
        long.push(0);
        let e = Apdu::decode(&long).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TrailingBytes { count: 1 });
        c
    }

    /// DLMS Green Book example glo-get-request (as in the u9n/dlms-cosem
    /// tests): security control 0x30, invocation counter 0x01234567.
    #[test]
    fn glo_get_request() {
        let b = hex("C8 1E 30 01234567 411312FF935A4756 6827C467BC 7D825C3BE4A77C3FCC056B6B");
        let Ciphered::Service(s) = check_bytes(&b) else {
            panic!()
        };
        assert_eq!(s.tag, CipheredServiceTag::GloGetRequest);
        let sc = s.content.security_control;
        assert_eq!(
            (
                sc.suite(),
                sc.authenticated(),
                sc.encrypted(),
                sc.broadcast_key(),
                sc.compressed()
            ),
            (0, true, true, false, false)
        );
        assert_eq!(s.content.invocation_counter, 0x0123_4567);
        assert_eq!(s.content.information(), &b[7..20]);
        assert_eq!(s.content.tag(), Some(&b[20..]));
    }

    /// A general-glo-ciphering APDU from a meter (u9n/dlms-cosem tests).
    #[test]
    fn general_glo_ciphering() {
        let b = hex(
            "DB082F192291991641033B30000001E5025CE9D2271FD78BE8C204211A916A9D7F587E0A7A814CAD\
             EA89E9593F01F92EA8C087B5BDFDEFEAB6BECF282DFE49C08F5BE6DC8400",
        );
        let Ciphered::GeneralGlo(s) = check_bytes(&b) else {
            panic!()
        };
        assert_eq!(s.system_title, hex("2F19229199164103"));
        assert_eq!(s.content.security_control, SecurityControl(0x30));
        assert_eq!(s.content.invocation_counter, 0x1E5);
        assert_eq!(s.content.content_len(), 0x3B);
        let mut ded = b.clone();
        ded[0] = TAG_GENERAL_DED_CIPHERING;
        assert!(matches!(check_bytes(&ded), Ciphered::GeneralDed(_)));
    }

    /// DLMS Green Book: ACCESS service with general-ciphering, One-Pass
    /// Diffie-Hellman C(1e, 1s, ECC CDH) key agreement (Table 41 of the
    /// 8th edition, as in the u9n/dlms-cosem tests).
    #[test]
    fn general_ciphering_with_agreed_key() {
        let key = hex(
            "C323C2BD45711DE4688637D919F92E9DB8FB2DFC213A88D21C9DC8DCBA917D81\
             70511DE1BADB360D50058F794B0960AE11FA28D392CFF907A62D13E3357B1DC0\
             B51BE089D0B682863B2217201E73A1A9031968A9B4121DCBC3281A69739AF874\
             29F5B3AC5471E7B6A04A2C0F2F8A25FD772A317DF97FC5463FEAC248EB8AB8BE",
        );
        let ciphered = hex(
            "F435069679270C5BF4425EE5777402A6C8D51C620EED52DBB188378B836E2857D5C053E6DD\
             F27FA87409AEF502CD9618AE47017C010224FD109CC0BEB21E742D44AB40CD11908743EC90EC\
             8C40E221D517F72228E1A26E827F43DC18ED27B5F458D66508B05A2A4CC6FED178C881AFC3BC\
             67064689BE8BB41C80ABB3C114A31F4CB03B8B64C7E0B4CE77B2399C93347858888F92239713\
             B38DF01C4858245827A92EF334172EA636B31CBBDF2A96AD5D035F66AA38F1A2D97D4BBA9962\
             2E6B5F18789CECB2DFB3937D9F3E17F8B472098E6563238F37528374809836002AEA6E7012D2\
             ADFAA7",
        );
        let mut b = hex(
            "DD 08 0102030405060708 08 4D4D4D0000BC614E 08 4D4D4D0000000001 00 00 01 02 01 01 81 80",
        );
        b.extend_from_slice(&key);
        b.extend_from_slice(&hex("81 EB 31 00000000"));
        b.extend_from_slice(&ciphered);
        assert_eq!(b.len(), 401);
        let Ciphered::General(g) = check_bytes(&b) else {
            panic!()
        };
        assert_eq!(g.transaction_id, hex("0102030405060708"));
        assert_eq!(g.originator_system_title, hex("4D4D4D0000BC614E"));
        assert_eq!(g.recipient_system_title, hex("4D4D4D0000000001"));
        assert!(g.date_time.is_empty() && g.other_information.is_empty());
        assert_eq!(
            g.key_info,
            Some(KeyInfo::AgreedKey {
                key_parameters: &[0x01],
                key_ciphered_data: &key,
            })
        );
        assert_eq!(g.content.security_control, SecurityControl(0x31));
        assert_eq!(g.content.invocation_counter, 0);
        assert_eq!(g.content.payload, ciphered);
    }

    #[test]
    fn malformed_ciphered_apdus() {
        // A ciphered content shorter than its security header.
        let e = Ciphered::decode(&hex("C8 03 30 0000")).unwrap_err();
        assert_eq!(e.offset, 3);
        // Unknown key-info choice, and an OPTIONAL flag of 2.
        let e = Ciphered::decode(&hex("DD 00 00 00 00 00 01 03")).unwrap_err();
        assert_eq!(e.offset, 7);
        let e = Ciphered::decode(&hex("DD 00 00 00 00 00 02")).unwrap_err();
        assert_eq!(e.offset, 6);
        // 0xCE is not a ciphered tag; nor is an empty buffer anything.
        assert_eq!(
            Apdu::decode(&hex("CE 05 30 00000000")).unwrap_err().offset,
            0
        );
        assert!(Apdu::decode(&[]).is_err());
        // The encoder refuses an unnamed service tag.
        let c = Ciphered::Service(ServiceCiphered {
            tag: CipheredServiceTag::Unknown(0xCE),
            content: CipheredContent {
                security_control: SecurityControl(0x30),
                invocation_counter: 0,
                payload: &[],
            },
        });
        assert!(c.to_vec().is_err());
    }

    fn leak(v: Vec<u8>) -> &'static [u8] {
        Box::leak(v.into_boxed_slice())
    }

    fn bytes() -> impl Strategy<Value = &'static [u8]> {
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(leak)
    }

    fn content() -> impl Strategy<Value = CipheredContent<'static>> {
        (any::<u8>(), any::<u32>(), bytes()).prop_map(|(s, i, p)| CipheredContent {
            security_control: SecurityControl(s),
            invocation_counter: i,
            payload: p,
        })
    }

    fn key_info() -> impl Strategy<Value = KeyInfo<'static>> {
        prop_oneof![
            any::<u8>().prop_map(|k| KeyInfo::IdentifiedKey { key_id: k.into() }),
            (any::<u8>(), bytes()).prop_map(|(k, d)| KeyInfo::WrappedKey {
                kek_id: k,
                key_ciphered_data: d
            }),
            (bytes(), bytes()).prop_map(|(p, d)| KeyInfo::AgreedKey {
                key_parameters: p,
                key_ciphered_data: d
            }),
        ]
    }

    fn ciphered() -> impl Strategy<Value = Ciphered<'static>> {
        let tags: Vec<u8> = (0xC8..=0xD7)
            .filter(|t| CipheredServiceTag::is_known(*t))
            .collect();
        prop_oneof![
            (proptest::sample::select(tags), content()).prop_map(|(t, c)| Ciphered::Service(
                ServiceCiphered {
                    tag: t.into(),
                    content: c
                }
            )),
            (bytes(), content(), any::<bool>()).prop_map(|(s, c, glo)| {
                let s = SystemTitleCiphered {
                    system_title: s,
                    content: c,
                };
                if glo {
                    Ciphered::GeneralGlo(s)
                } else {
                    Ciphered::GeneralDed(s)
                }
            }),
            (
                (bytes(), bytes(), bytes(), bytes(), bytes()),
                proptest::option::of(key_info()),
                content()
            )
                .prop_map(|((t, o, r, d, x), k, c)| Ciphered::General(
                    GeneralCiphering {
                        transaction_id: t,
                        originator_system_title: o,
                        recipient_system_title: r,
                        date_time: d,
                        other_information: x,
                        key_info: k,
                        content: c,
                    }
                )),
        ]
    }

    proptest! {
        #[test]
        fn round_trip(x in ciphered()) {
            let b = x.to_vec().unwrap();
            prop_assert_eq!(b.len(), x.encoded_len());
            let back = Ciphered::decode(&b).unwrap();
            prop_assert_eq!(back, x);
            prop_assert_eq!(back.to_vec().unwrap(), b.clone());
            prop_assert_eq!(Apdu::decode(&b).unwrap(), Apdu::Ciphered(x));
            for cut in 0..b.len() {
                prop_assert!(Ciphered::decode(&b[..cut]).is_err());
            }
        }
    }
}
