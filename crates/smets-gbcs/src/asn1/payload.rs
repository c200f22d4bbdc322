//! Choosing the DER payload type from the message code and CRA flag
//! (GBCS 13.3.4 message codes; section 4.1 of the payload digest).

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError};

use super::credentials::{
    IssueSecurityCredentialsResponse, KeyUsageRequest, ProvideCredentialDetailsCommand,
    ProvideCredentialDetailsResponse, ProvideDeviceCertificateResponse,
    UpdateDeviceCertificateCode, UpdateSecurityCredentialsAlert, UpdateSecurityCredentialsCommand,
    UpdateSecurityCredentialsResponse,
};
use super::firmware::{
    ActivateFirmwareAlert, ActivateFirmwareCommand, ActivateFirmwareResponse,
    FirmwareTransferAlert, FirmwareVersionAlert, ReadFirmwareVersionResponse,
};
use super::gpf::{
    DeviceLogBackupAlert, RestoreDeviceLogCommand, RestoreDeviceLogResponse, SetClockCommand,
    SetClockResponse,
};
use super::join::{
    JoinCommand, JoinResponseCode, NullCommand, ReadJoinDetailsResponse, UnjoinCommand,
    UnjoinResponseCode,
};
use super::{CertificateDer, Tlv, walk};
use crate::envelope::CraFlag;

/// A GBCS DER payload, typed by its use case, or the generic element tree
/// where no type is known (GBCS 11, 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum DerPayload<'a> {
    /// CS02a/CS02f command (0x0008, 0x011B).
    ProvideCredentialDetailsCommand(ProvideCredentialDetailsCommand<'a>),
    /// CS02a/CS02f response.
    ProvideCredentialDetailsResponse(ProvideCredentialDetailsResponse<'a>),
    /// CS02b/CS02g command (0x0100 to 0x0109, 0x0125, 0x0126).
    UpdateSecurityCredentialsCommand(UpdateSecurityCredentialsCommand<'a>),
    /// CS02b/CS02g response.
    UpdateSecurityCredentialsResponse(UpdateSecurityCredentialsResponse<'a>),
    /// Future-dated credentials alert (0x00CB, 0x0124).
    UpdateSecurityCredentialsAlert(UpdateSecurityCredentialsAlert<'a>),
    /// CS02c command (0x000A).
    IssueSecurityCredentialsCommand(KeyUsageRequest),
    /// CS02c response.
    IssueSecurityCredentialsResponse(IssueSecurityCredentialsResponse<'a>),
    /// CS02d command (0x000B): the new device certificate.
    UpdateDeviceCertificateCommand(CertificateDer<'a>),
    /// CS02d response.
    UpdateDeviceCertificateResponse(UpdateDeviceCertificateCode),
    /// CS02e command (0x000C).
    ProvideDeviceCertificateCommand(KeyUsageRequest),
    /// CS02e response.
    ProvideDeviceCertificateResponse(ProvideDeviceCertificateResponse<'a>),
    /// CS03 command (0x000D, 0x000E, 0x00AB, 0x00AF).
    JoinCommand(JoinCommand<'a>),
    /// CS03 response.
    JoinResponse(JoinResponseCode),
    /// CS04 command (0x000F, 0x0010).
    UnjoinCommand(UnjoinCommand),
    /// CS04 response.
    UnjoinResponse(UnjoinResponseCode),
    /// CS06 command (0x0012).
    ActivateFirmwareCommand(ActivateFirmwareCommand<'a>),
    /// CS06 response.
    ActivateFirmwareResponse(ActivateFirmwareResponse<'a>),
    /// Future-dated firmware activation alert (0x00CA).
    ActivateFirmwareAlert(ActivateFirmwareAlert<'a>),
    /// CS07 command (0x0013): NULL.
    ReadJoinDetailsCommand(NullCommand),
    /// CS07 response.
    ReadJoinDetailsResponse(ReadJoinDetailsResponse<'a>),
    /// CS08 command (0x0129): NULL.
    ReadFirmwareVersionCommand(NullCommand),
    /// CS08 response.
    ReadFirmwareVersionResponse(ReadFirmwareVersionResponse<'a>),
    /// CS08 alert (0x0129) and CS09 alert (0x012B).
    FirmwareVersionAlert(FirmwareVersionAlert<'a>),
    /// CCS08 alert (0x0128).
    FirmwareTransferAlert(FirmwareTransferAlert<'a>),
    /// GCS28 command (0x007F).
    SetClockCommand(SetClockCommand),
    /// GCS28 response.
    SetClockResponse(SetClockResponse),
    /// GCS59 command (0x008C).
    RestoreDeviceLogCommand(RestoreDeviceLogCommand<'a>),
    /// GCS59 response.
    RestoreDeviceLogResponse(RestoreDeviceLogResponse<'a>),
    /// GCS62 alert (0x00B2).
    DeviceLogBackupAlert(DeviceLogBackupAlert<'a>),
    /// Any other message code or CRA flag: the checked element tree.
    Generic(Tlv<'a>),
}

/// Decodes a DER payload as the type its message code and CRA flag name
/// (GBCS 13.3.4), or as a [`DerPayload::Generic`] tree for a code or flag
/// without a DER type here.
///
/// A payload that fails its typed decoder is an error, not a tree: callers
/// that want to show it anyway can [`walk`] it.
///
/// # Errors
/// A [`DecodeError`] (offsets relative to `payload`) when the bytes are not
/// the named type, or not DER at all.
pub fn decode(
    message_code: u16,
    cra: CraFlag,
    payload: &[u8],
) -> Result<DerPayload<'_>, DecodeError> {
    use CraFlag::{Alert, Command, Response};
    use DerPayload as P;
    let p = payload;
    Ok(match (message_code, cra) {
        (0x0008 | 0x011B, Command) => P::ProvideCredentialDetailsCommand(Decode::decode(p)?),
        (0x0008 | 0x011B, Response) => P::ProvideCredentialDetailsResponse(Decode::decode(p)?),
        (0x0100..=0x0109 | 0x0125 | 0x0126, Command) => {
            P::UpdateSecurityCredentialsCommand(Decode::decode(p)?)
        }
        (0x0100..=0x0109 | 0x0125 | 0x0126, Response) => {
            P::UpdateSecurityCredentialsResponse(Decode::decode(p)?)
        }
        (0x00CB | 0x0124, Alert) => P::UpdateSecurityCredentialsAlert(Decode::decode(p)?),
        (0x000A, Command) => P::IssueSecurityCredentialsCommand(Decode::decode(p)?),
        (0x000A, Response) => P::IssueSecurityCredentialsResponse(Decode::decode(p)?),
        (0x000B, Command) => P::UpdateDeviceCertificateCommand(Decode::decode(p)?),
        (0x000B, Response) => P::UpdateDeviceCertificateResponse(Decode::decode(p)?),
        (0x000C, Command) => P::ProvideDeviceCertificateCommand(Decode::decode(p)?),
        (0x000C, Response) => P::ProvideDeviceCertificateResponse(Decode::decode(p)?),
        (0x000D | 0x000E | 0x00AB | 0x00AF, Command) => P::JoinCommand(Decode::decode(p)?),
        (0x000D | 0x000E | 0x00AB | 0x00AF, Response) => P::JoinResponse(Decode::decode(p)?),
        (0x000F | 0x0010, Command) => P::UnjoinCommand(Decode::decode(p)?),
        (0x000F | 0x0010, Response) => P::UnjoinResponse(Decode::decode(p)?),
        (0x0012, Command) => P::ActivateFirmwareCommand(Decode::decode(p)?),
        (0x0012, Response) => P::ActivateFirmwareResponse(Decode::decode(p)?),
        (0x00CA, Alert) => P::ActivateFirmwareAlert(Decode::decode(p)?),
        (0x0013, Command) => P::ReadJoinDetailsCommand(Decode::decode(p)?),
        (0x0013, Response) => P::ReadJoinDetailsResponse(Decode::decode(p)?),
        (0x0129, Command) => P::ReadFirmwareVersionCommand(Decode::decode(p)?),
        (0x0129, Response) => P::ReadFirmwareVersionResponse(Decode::decode(p)?),
        (0x0129 | 0x012B, Alert) => P::FirmwareVersionAlert(Decode::decode(p)?),
        (0x0128, Alert) => P::FirmwareTransferAlert(Decode::decode(p)?),
        (0x007F, Command) => P::SetClockCommand(Decode::decode(p)?),
        (0x007F, Response) => P::SetClockResponse(Decode::decode(p)?),
        (0x008C, Command) => P::RestoreDeviceLogCommand(Decode::decode(p)?),
        (0x008C, Response) => P::RestoreDeviceLogResponse(Decode::decode(p)?),
        (0x00B2, Alert) => P::DeviceLogBackupAlert(Decode::decode(p)?),
        _ => P::Generic(walk(p)?),
    })
}

impl DerPayload<'_> {
    /// Whether no typed decoder applied.
    #[must_use]
    pub const fn is_generic(&self) -> bool {
        matches!(self, Self::Generic(_))
    }

    /// A snake_case name of the payload type, as JSON output shows it.
    #[must_use]
    pub const fn label(&self) -> &'static str {
        match self {
            Self::ProvideCredentialDetailsCommand(_) => "provide_credential_details_command",
            Self::ProvideCredentialDetailsResponse(_) => "provide_credential_details_response",
            Self::UpdateSecurityCredentialsCommand(_) => "update_security_credentials_command",
            Self::UpdateSecurityCredentialsResponse(_) => "update_security_credentials_response",
            Self::UpdateSecurityCredentialsAlert(_) => "update_security_credentials_alert",
            Self::IssueSecurityCredentialsCommand(_) => "issue_security_credentials_command",
            Self::IssueSecurityCredentialsResponse(_) => "issue_security_credentials_response",
            Self::UpdateDeviceCertificateCommand(_) => "update_device_certificate_command",
            Self::UpdateDeviceCertificateResponse(_) => "update_device_certificate_response",
            Self::ProvideDeviceCertificateCommand(_) => "provide_device_certificate_command",
            Self::ProvideDeviceCertificateResponse(_) => "provide_device_certificate_response",
            Self::JoinCommand(_) => "join_command",
            Self::JoinResponse(_) => "join_response",
            Self::UnjoinCommand(_) => "unjoin_command",
            Self::UnjoinResponse(_) => "unjoin_response",
            Self::ActivateFirmwareCommand(_) => "activate_firmware_command",
            Self::ActivateFirmwareResponse(_) => "activate_firmware_response",
            Self::ActivateFirmwareAlert(_) => "activate_firmware_alert",
            Self::ReadJoinDetailsCommand(_) => "read_join_details_command",
            Self::ReadJoinDetailsResponse(_) => "read_join_details_response",
            Self::ReadFirmwareVersionCommand(_) => "read_firmware_version_command",
            Self::ReadFirmwareVersionResponse(_) => "read_firmware_version_response",
            Self::FirmwareVersionAlert(_) => "firmware_version_alert",
            Self::FirmwareTransferAlert(_) => "firmware_transfer_alert",
            Self::SetClockCommand(_) => "set_clock_command",
            Self::SetClockResponse(_) => "set_clock_response",
            Self::RestoreDeviceLogCommand(_) => "restore_device_log_command",
            Self::RestoreDeviceLogResponse(_) => "restore_device_log_response",
            Self::DeviceLogBackupAlert(_) => "device_log_backup_alert",
            Self::Generic(_) => "generic",
        }
    }
}

macro_rules! each {
    ($self:expr, $v:ident => $e:expr) => {
        match $self {
            DerPayload::ProvideCredentialDetailsCommand($v) => $e,
            DerPayload::ProvideCredentialDetailsResponse($v) => $e,
            DerPayload::UpdateSecurityCredentialsCommand($v) => $e,
            DerPayload::UpdateSecurityCredentialsResponse($v) => $e,
            DerPayload::UpdateSecurityCredentialsAlert($v) => $e,
            DerPayload::IssueSecurityCredentialsCommand($v) => $e,
            DerPayload::IssueSecurityCredentialsResponse($v) => $e,
            DerPayload::UpdateDeviceCertificateCommand($v) => $e,
            DerPayload::UpdateDeviceCertificateResponse($v) => $e,
            DerPayload::ProvideDeviceCertificateCommand($v) => $e,
            DerPayload::ProvideDeviceCertificateResponse($v) => $e,
            DerPayload::JoinCommand($v) => $e,
            DerPayload::JoinResponse($v) => $e,
            DerPayload::UnjoinCommand($v) => $e,
            DerPayload::UnjoinResponse($v) => $e,
            DerPayload::ActivateFirmwareCommand($v) => $e,
            DerPayload::ActivateFirmwareResponse($v) => $e,
            DerPayload::ActivateFirmwareAlert($v) => $e,
            DerPayload::ReadJoinDetailsCommand($v) => $e,
            DerPayload::ReadJoinDetailsResponse($v) => $e,
            DerPayload::ReadFirmwareVersionCommand($v) => $e,
            DerPayload::ReadFirmwareVersionResponse($v) => $e,
            DerPayload::FirmwareVersionAlert($v) => $e,
            DerPayload::FirmwareTransferAlert($v) => $e,
            DerPayload::SetClockCommand($v) => $e,
            DerPayload::SetClockResponse($v) => $e,
            DerPayload::RestoreDeviceLogCommand($v) => $e,
            DerPayload::RestoreDeviceLogResponse($v) => $e,
            DerPayload::DeviceLogBackupAlert($v) => $e,
            DerPayload::Generic($v) => $e,
        }
    };
}

impl Encode for DerPayload<'_> {
    fn encoded_len(&self) -> usize {
        each!(self, v => v.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        each!(self, v => v.encode(out))
    }
}
