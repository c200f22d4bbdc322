//! Firmware payloads (GBCS 11, use cases CS06, CS08, CS09, CCS08): firmware
//! activation with its outcome and future-dated alert (0x00CA), the
//! PPMID/HCALCS firmware version, and the firmware transfer alert. The
//! image hash is carried, not checked.

use bytes::BufMut;
use smets_core::{DecodeError, EncodeError, Eui64, open_enum};

use super::{
    DerReader, DerValue, EUI_ELEM_LEN, GeneralizedTime, NULL_ELEM_LEN, Tag, Tlv, alert_head_len,
    integer_enum, len_of, octets_elem_len, put_alert_head, put_eui_elem, put_null, put_octets_elem,
    put_of, put_uint_elem, read, read_alert_head, read_eui, read_null, read_octets, read_opt,
    read_uint, uint_elem_len, whole_payload,
};

open_enum! {
    /// CS06 execution outcome response code INTEGER (GBCS 11).
    pub enum ActivateFirmwareCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: no image held.
        NoImageHeld = 1 => "no_image_held",
        /// 2: hash mismatch.
        HashMismatch = 2 => "hash_mismatch",
        /// 3: activation failure.
        ActivationFailure = 3 => "activation_failure",
    }
}

open_enum! {
    /// CS08 response code INTEGER (GBCS 11).
    pub enum ReadFirmwareCode: u8 {
        /// 0: read success.
        ReadSuccess = 0 => "read_success",
        /// 1: read failure.
        ReadFailure = 1 => "read_failure",
    }
}

open_enum! {
    /// Image activation result of the CS08 and CS09 alerts (GBCS 11, 11.5).
    pub enum FirmwareActivationResult: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: failure.
        Failure = 1 => "failure",
    }
}

open_enum! {
    /// CCS08 firmware transfer response code INTEGER (GBCS 11).
    pub enum FirmwareTransferCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: image discarded.
        ImageDiscarded = 1 => "image_discarded",
        /// 2: hardware version mismatch.
        HardwareVersionMismatch = 2 => "hardware_version_mismatch",
        /// 3: file transfer failure.
        FileTransferFailure = 3 => "file_transfer_failure",
    }
}

integer_enum!(
    ActivateFirmwareCode => "response code",
    ReadFirmwareCode => "response code",
    FirmwareActivationResult => "activation result",
    FirmwareTransferCode => "response code",
);

/// CS06 command (0x0012) SEQUENCE {manufacturer image hash OCTET STRING,
/// originator counter INTEGER, executionDateTime OPTIONAL} (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ActivateFirmwareCommand<'a> {
    /// Hash of the image to activate (32 octets, SHA-256).
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub image_hash: &'a [u8],
    /// Originator counter of this command, echoed in the 0x00CA alert.
    pub originator_counter: u64,
    /// Future-dated activation, or [`GeneralizedTime::Cancel`].
    pub execution_date_time: Option<GeneralizedTime>,
}

impl<'a> DerValue<'a> for ActivateFirmwareCommand<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let image_hash = read_octets(&mut r, "manufacturer image hash")?;
        let originator_counter = read_uint(&mut r, "originator counter")?;
        let execution_date_time = read_opt(&mut r, Tag::GENERALIZED_TIME, "execution date time")?;
        r.finish()?;
        Ok(Self {
            image_hash,
            originator_counter,
            execution_date_time,
        })
    }

    fn content_len(&self) -> usize {
        octets_elem_len(self.image_hash)
            + uint_elem_len(self.originator_counter)
            + self.execution_date_time.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_octets_elem(out, Tag::OCTET_STRING, self.image_hash);
        put_uint_elem(out, Tag::INTEGER, self.originator_counter);
        if let Some(t) = &self.execution_date_time {
            put_of(out, t);
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.execution_date_time
            .as_ref()
            .map_or(Ok(()), DerValue::check)
    }
}

/// CS06 execution outcome SEQUENCE {responseCode, firmwareVersion OCTET
/// STRING} (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirmwareOutcome<'a> {
    /// Whether the image was activated.
    pub response_code: ActivateFirmwareCode,
    /// The version now running.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub firmware_version: &'a [u8],
}

impl<'a> DerValue<'a> for FirmwareOutcome<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let response_code = read(&mut r, "response code")?;
        let firmware_version = read_octets(&mut r, "firmware version")?;
        r.finish()?;
        Ok(Self {
            response_code,
            firmware_version,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.response_code) + octets_elem_len(self.firmware_version)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.response_code);
        put_octets_elem(out, Tag::OCTET_STRING, self.firmware_version);
    }
}

/// CS06 response: NULL when the activation is future dated (or
/// cancelled), else the execution outcome (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ActivateFirmwareResponse<'a> {
    /// NULL: command accepted; the outcome follows as alert 0x00CA.
    Accepted,
    /// The outcome of immediate activation.
    Outcome(FirmwareOutcome<'a>),
}

impl<'a> smets_core::Decode<'a> for ActivateFirmwareResponse<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = DerReader::new(buf);
        let v = if r.peek_tag() == Some(Tag::NULL) {
            read_null(&mut r, "command accepted")?;
            Self::Accepted
        } else {
            Self::Outcome(read(&mut r, "execution outcome")?)
        };
        r.finish()?;
        Ok(v)
    }
}

impl smets_core::Encode for ActivateFirmwareResponse<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Accepted => NULL_ELEM_LEN,
            Self::Outcome(o) => len_of(o),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::Accepted => {
                smets_core::ensure_room(out, NULL_ELEM_LEN, super::LAYER)?;
                put_null(out);
                Ok(())
            }
            Self::Outcome(o) => super::encode_whole(o, out),
        }
    }
}

/// Future-dated firmware activation alert (0x00CA) SEQUENCE {alertCode,
/// executionDateTime, originator counter, execution outcome} (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ActivateFirmwareAlert<'a> {
    /// Alert code (0x8F66 success, ...).
    pub alert_code: u16,
    /// When the activation ran.
    pub execution_date_time: GeneralizedTime,
    /// Originator counter of the future-dated command.
    pub originator_counter: u64,
    /// What it did.
    pub outcome: FirmwareOutcome<'a>,
}

impl<'a> DerValue<'a> for ActivateFirmwareAlert<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let (alert_code, execution_date_time) = read_alert_head(&mut r, "execution date time")?;
        let originator_counter = read_uint(&mut r, "originator counter")?;
        let outcome = read(&mut r, "execution outcome")?;
        r.finish()?;
        Ok(Self {
            alert_code,
            execution_date_time,
            originator_counter,
            outcome,
        })
    }

    fn content_len(&self) -> usize {
        alert_head_len(self.alert_code, &self.execution_date_time)
            + uint_elem_len(self.originator_counter)
            + len_of(&self.outcome)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_alert_head(out, self.alert_code, &self.execution_date_time);
        put_uint_elem(out, Tag::INTEGER, self.originator_counter);
        put_of(out, &self.outcome);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.execution_date_time.check()
    }
}

/// CS08 response (0x0129) SEQUENCE {firmwareVersion OCTET STRING,
/// responseCode} (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReadFirmwareVersionResponse<'a> {
    /// The PPMID/HCALCS firmware version.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub firmware_version: &'a [u8],
    /// Whether it could be read.
    pub response_code: ReadFirmwareCode,
}

impl<'a> DerValue<'a> for ReadFirmwareVersionResponse<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let firmware_version = read_octets(&mut r, "firmware version")?;
        let response_code = read(&mut r, "response code")?;
        r.finish()?;
        Ok(Self {
            firmware_version,
            response_code,
        })
    }

    fn content_len(&self) -> usize {
        octets_elem_len(self.firmware_version) + len_of(&self.response_code)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_octets_elem(out, Tag::OCTET_STRING, self.firmware_version);
        put_of(out, &self.response_code);
    }
}

/// CS08 alert (0x0129, CRA alert) and CS09 PPMID firmware activation
/// alert (0x012B) SEQUENCE {alertCode, date-time, firmwareVersion,
/// activation result} (GBCS 11, 11.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirmwareVersionAlert<'a> {
    /// Alert code (0x8F8B for CS09, ...).
    pub alert_code: u16,
    /// When it happened.
    pub date_time: GeneralizedTime,
    /// The firmware version.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub firmware_version: &'a [u8],
    /// Whether the image was activated.
    pub result: FirmwareActivationResult,
}

impl<'a> DerValue<'a> for FirmwareVersionAlert<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let (alert_code, date_time) = read_alert_head(&mut r, "execution date time")?;
        let firmware_version = read_octets(&mut r, "firmware version")?;
        let result = read(&mut r, "activation result")?;
        r.finish()?;
        Ok(Self {
            alert_code,
            date_time,
            firmware_version,
            result,
        })
    }

    fn content_len(&self) -> usize {
        alert_head_len(self.alert_code, &self.date_time)
            + octets_elem_len(self.firmware_version)
            + len_of(&self.result)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_alert_head(out, self.alert_code, &self.date_time);
        put_octets_elem(out, Tag::OCTET_STRING, self.firmware_version);
        put_of(out, &self.result);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.date_time.check()
    }
}

/// CCS08 firmware transfer alert (0x0128) SEQUENCE {alertCode, date-time,
/// entityId OCTET STRING (SIZE 8), firmwareVersion, responseCode}
/// (GBCS 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirmwareTransferAlert<'a> {
    /// Alert code (0x8F8A, ...).
    pub alert_code: u16,
    /// When the transfer ended.
    pub date_time: GeneralizedTime,
    /// The device the image was for.
    pub entity_id: Eui64,
    /// The image's firmware version.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub firmware_version: &'a [u8],
    /// How the transfer went.
    pub response_code: FirmwareTransferCode,
}

impl<'a> DerValue<'a> for FirmwareTransferAlert<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let (alert_code, date_time) = read_alert_head(&mut r, "execution date time")?;
        let entity_id = read_eui(&mut r, "entity id")?;
        let firmware_version = read_octets(&mut r, "firmware version")?;
        let response_code = read(&mut r, "response code")?;
        r.finish()?;
        Ok(Self {
            alert_code,
            date_time,
            entity_id,
            firmware_version,
            response_code,
        })
    }

    fn content_len(&self) -> usize {
        alert_head_len(self.alert_code, &self.date_time)
            + EUI_ELEM_LEN
            + octets_elem_len(self.firmware_version)
            + len_of(&self.response_code)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_alert_head(out, self.alert_code, &self.date_time);
        put_eui_elem(out, self.entity_id);
        put_octets_elem(out, Tag::OCTET_STRING, self.firmware_version);
        put_of(out, &self.response_code);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.date_time.check()
    }
}

whole_payload!(
    ActivateFirmwareCommand<'a>,
    ActivateFirmwareAlert<'a>,
    ReadFirmwareVersionResponse<'a>,
    FirmwareVersionAlert<'a>,
    FirmwareTransferAlert<'a>,
);
