//! Join and unjoin payloads (GBCS 13, use cases CS03A1, CS03A2, CS03B,
//! CS03C, CS04AC, CS04B, CS07): the device to (un)join, its type and
//! key-agreement certificate, and the device log read back. The
//! certificate is not verified here.

use bytes::BufMut;
use smets_core::{DecodeError, EncodeError, Eui64, open_enum};

use super::{
    CertificateDer, DerValue, DeviceLogEntry, DeviceType, EUI_ELEM_LEN, SeqOf, Tag, Tlv,
    integer_enum, len_of, put_eui_elem, put_of, read, read_eui, read_opt, whole_payload,
};

open_enum! {
    /// joinMethodAndRole INTEGER of a join command (GBCS 13).
    pub enum JoinMethodAndRole: u8 {
        /// 0: method A, initiator.
        MethodAInitiator = 0 => "method_a_initiator",
        /// 1: method A, responder.
        MethodAResponder = 1 => "method_a_responder",
        /// 2: method B.
        MethodB = 2 => "method_b",
        /// 3: method C.
        MethodC = 3 => "method_c",
    }
}

open_enum! {
    /// Join response code INTEGER (GBCS 13; also the GCS59 restore
    /// outcome).
    pub enum JoinResponseCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: invalid message code for the join method and role.
        InvalidMessageCodeForJoinMethod = 1 => "invalid_message_code_for_join_method",
        /// 2: invalid join method and role.
        InvalidJoinMethodAndRole = 2 => "invalid_join_method_and_role",
        /// 3: incompatible with an existing entry.
        IncompatibleWithExistingEntry = 3 => "incompatible_with_existing_entry",
        /// 4: device log full.
        DeviceLogFull = 4 => "device_log_full",
        /// 5: write failure.
        WriteFailure = 5 => "write_failure",
        /// 6: key agreement, no resources.
        KeyAgreementNoResources = 6 => "key_agreement_no_resources",
        /// 7: key agreement, unknown issuer.
        KeyAgreementUnknownIssuer = 7 => "key_agreement_unknown_issuer",
        /// 8: key agreement, unsupported suite.
        KeyAgreementUnsupportedSuite = 8 => "key_agreement_unsupported_suite",
        /// 9: key agreement, bad message.
        KeyAgreementBadMessage = 9 => "key_agreement_bad_message",
        /// 10: key agreement, bad key confirm.
        KeyAgreementBadKeyConfirm = 10 => "key_agreement_bad_key_confirm",
        /// 11: invalid or missing certificate.
        InvalidOrMissingCertificate = 11 => "invalid_or_missing_certificate",
        /// 12: no partner link key received.
        NoPartnerLinkKey = 12 => "no_partner_link_key",
        /// 13: no CBKE response.
        NoCbkeResponse = 13 => "no_cbke_response",
    }
}

open_enum! {
    /// Unjoin response code INTEGER (GBCS 13).
    pub enum UnjoinResponseCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: not in the device log.
        NotInDeviceLog = 1 => "not_in_device_log",
        /// 2: other failure.
        OtherFailure = 2 => "other_failure",
    }
}

open_enum! {
    /// Read device join details response code INTEGER (GBCS 13).
    pub enum ReadJoinDetailsCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: read failure.
        ReadFailure = 1 => "read_failure",
    }
}

integer_enum!(
    JoinMethodAndRole => "join method and role",
    JoinResponseCode => "response code",
    UnjoinResponseCode => "response code",
    ReadJoinDetailsCode => "response code",
);
whole_payload!(JoinResponseCode, UnjoinResponseCode);

/// CS03 join command (0x000D, 0x000E, 0x00AB, 0x00AF) SEQUENCE
/// {joinMethodAndRole, entityId OCTET STRING (SIZE 8), deviceType,
/// key-agreement certificate OPTIONAL} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct JoinCommand<'a> {
    /// Method and role of the join.
    pub join_method_and_role: JoinMethodAndRole,
    /// Entity Identifier of the other device.
    pub entity_id: Eui64,
    /// Its type.
    pub device_type: DeviceType,
    /// Its key-agreement certificate (method C, and A for non-meters).
    pub certificate: Option<CertificateDer<'a>>,
}

impl<'a> DerValue<'a> for JoinCommand<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let join_method_and_role = read(&mut r, "join method and role")?;
        let entity_id = read_eui(&mut r, "entity id")?;
        let device_type = read(&mut r, "device type")?;
        let certificate = read_opt(&mut r, Tag::SEQUENCE, "certificate")?;
        r.finish()?;
        Ok(Self {
            join_method_and_role,
            entity_id,
            device_type,
            certificate,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.join_method_and_role)
            + EUI_ELEM_LEN
            + len_of(&self.device_type)
            + self.certificate.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.join_method_and_role);
        put_eui_elem(out, self.entity_id);
        put_of(out, &self.device_type);
        if let Some(c) = &self.certificate {
            put_of(out, c);
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.certificate.as_ref().map_or(Ok(()), DerValue::check)
    }
}

/// CS04 unjoin command (0x000F, 0x0010): the Entity Identifier, OCTET
/// STRING (SIZE 8) (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnjoinCommand {
    /// The device to remove.
    pub entity_id: Eui64,
}

impl DerValue<'_> for UnjoinCommand {
    const TAG: Tag = Tag::OCTET_STRING;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let b: [u8; 8] = t.value().try_into().map_err(|_| {
            DecodeError::invalid(
                super::LAYER,
                t.offset(),
                "entity id",
                t.value().len() as u64,
            )
        })?;
        Ok(Self {
            entity_id: Eui64(u64::from_be_bytes(b)),
        })
    }

    fn content_len(&self) -> usize {
        8
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        out.put_u64(self.entity_id.0);
    }
}

/// A payload that is a bare NULL: the CS07 and CS08 commands (GBCS
/// 13.3.5.3, 11.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NullCommand;

impl DerValue<'_> for NullCommand {
    const TAG: Tag = Tag::NULL;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        if t.value().is_empty() {
            Ok(Self)
        } else {
            Err(DecodeError::invalid(
                super::LAYER,
                t.offset(),
                "null",
                t.value().len() as u64,
            ))
        }
    }

    fn content_len(&self) -> usize {
        0
    }

    fn put_content<B: BufMut>(&self, _out: &mut B) {}
}

/// CS07 response (0x0013) SEQUENCE {responseCode, device log entries
/// OPTIONAL} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReadJoinDetailsResponse<'a> {
    /// Whether the log could be read.
    pub response_code: ReadJoinDetailsCode,
    /// The device log.
    pub entries: Option<SeqOf<'a, DeviceLogEntry>>,
}

impl<'a> DerValue<'a> for ReadJoinDetailsResponse<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let response_code = read(&mut r, "response code")?;
        let entries = read_opt(&mut r, Tag::SEQUENCE, "device log entries")?;
        r.finish()?;
        Ok(Self {
            response_code,
            entries,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.response_code) + self.entries.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.response_code);
        if let Some(e) = &self.entries {
            put_of(out, e);
        }
    }
}

whole_payload!(
    JoinCommand<'a>,
    UnjoinCommand,
    NullCommand,
    ReadJoinDetailsResponse<'a>
);
