//! Gas proxy function payloads in DER (GBCS 13 device log, use cases
//! GCS28 set clock on the GSME, GCS59 restore and GCS62 back up the GPF
//! device log). Clock validity is carried, not checked against any clock.

use bytes::BufMut;
use smets_core::{DecodeError, EncodeError, open_enum};

use super::join::JoinResponseCode;
use super::{
    DerValue, DeviceLogEntry, GeneralizedTime, SeqOf, Tag, Tlv, alert_head_len, integer_enum,
    len_of, put_alert_head, put_of, read, read_alert_head, whole_payload,
};

open_enum! {
    /// Device time status INTEGER of the GCS28 response (GBCS use case GCS28, GSME clock).
    pub enum DeviceTimeStatus: u8 {
        /// 0: reliable.
        Reliable = 0 => "reliable",
        /// 1: invalid.
        Invalid = 1 => "invalid",
        /// 2: unreliable.
        Unreliable = 2 => "unreliable",
    }
}

integer_enum!(
    DeviceTimeStatus => "device time status",
);

/// GCS28 command (0x007F) SEQUENCE {validity interval start, validity
/// interval end} (GeneralizedTime; GBCS use case GCS28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SetClockCommand {
    /// The GSME sets its clock only inside this interval.
    pub validity_start: GeneralizedTime,
    /// End of the interval.
    pub validity_end: GeneralizedTime,
}

impl DerValue<'_> for SetClockCommand {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let validity_start = read(&mut r, "validity interval start")?;
        let validity_end = read(&mut r, "validity interval end")?;
        r.finish()?;
        Ok(Self {
            validity_start,
            validity_end,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.validity_start) + len_of(&self.validity_end)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.validity_start);
        put_of(out, &self.validity_end);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.validity_start.check()?;
        self.validity_end.check()
    }
}

/// GCS28 response SEQUENCE {device time, device time status} (GBCS use case GCS28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SetClockResponse {
    /// The GSME's time after the command.
    pub device_time: GeneralizedTime,
    /// How far that time can be trusted.
    pub status: DeviceTimeStatus,
}

impl DerValue<'_> for SetClockResponse {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let device_time = read(&mut r, "device time")?;
        let status = read(&mut r, "device time status")?;
        r.finish()?;
        Ok(Self {
            device_time,
            status,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.device_time) + len_of(&self.status)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.device_time);
        put_of(out, &self.status);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.device_time.check()
    }
}

/// GCS59 command (0x008C) SEQUENCE {SEQUENCE OF device log entry}
/// (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RestoreDeviceLogCommand<'a> {
    /// The entries to restore.
    pub entries: SeqOf<'a, DeviceLogEntry>,
}

impl<'a> DerValue<'a> for RestoreDeviceLogCommand<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let entries = read(&mut r, "device log entries")?;
        r.finish()?;
        Ok(Self { entries })
    }

    fn content_len(&self) -> usize {
        len_of(&self.entries)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.entries);
    }
}

/// Restore outcome SEQUENCE {device log entry, join response code}
/// (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RestoreOutcome {
    /// The entry.
    pub entry: DeviceLogEntry,
    /// Whether it was restored.
    pub join_response: JoinResponseCode,
}

impl DerValue<'_> for RestoreOutcome {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let entry = read(&mut r, "device log entry")?;
        let join_response = read(&mut r, "join response code")?;
        r.finish()?;
        Ok(Self {
            entry,
            join_response,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.entry) + len_of(&self.join_response)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.entry);
        put_of(out, &self.join_response);
    }
}

/// GCS59 response SEQUENCE {SEQUENCE OF restore outcome} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RestoreDeviceLogResponse<'a> {
    /// One outcome per entry.
    pub outcomes: SeqOf<'a, RestoreOutcome>,
}

impl<'a> DerValue<'a> for RestoreDeviceLogResponse<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let outcomes = read(&mut r, "restore outcomes")?;
        r.finish()?;
        Ok(Self { outcomes })
    }

    fn content_len(&self) -> usize {
        len_of(&self.outcomes)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.outcomes);
    }
}

/// GCS62 GPF device log backup alert (0x00B2) SEQUENCE {alertCode, backup
/// date-time, SEQUENCE OF device log entry} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DeviceLogBackupAlert<'a> {
    /// Alert code (0x8071).
    pub alert_code: u16,
    /// When the log was backed up.
    pub backup_date_time: GeneralizedTime,
    /// The GPF device log.
    pub entries: SeqOf<'a, DeviceLogEntry>,
}

impl<'a> DerValue<'a> for DeviceLogBackupAlert<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let (alert_code, backup_date_time) = read_alert_head(&mut r, "backup date time")?;
        let entries = read(&mut r, "device log entries")?;
        r.finish()?;
        Ok(Self {
            alert_code,
            backup_date_time,
            entries,
        })
    }

    fn content_len(&self) -> usize {
        alert_head_len(self.alert_code, &self.backup_date_time) + len_of(&self.entries)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_alert_head(out, self.alert_code, &self.backup_date_time);
        put_of(out, &self.entries);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.backup_date_time.check()
    }
}

whole_payload!(
    SetClockCommand,
    SetClockResponse,
    RestoreDeviceLogCommand<'a>,
    RestoreDeviceLogResponse<'a>,
    DeviceLogBackupAlert<'a>,
);
