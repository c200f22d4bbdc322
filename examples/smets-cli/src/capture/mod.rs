//! Capture input for `smets decode`: pcap, pcapng, Daintree SNA (`.dcf`) and
//! hex text, detected from the content, each record reduced to the IEEE
//! 802.15.4 MAC frame it carries (link types 195, 230, 283, 215, ZEP over UDP).
//! It does not decode the MAC frame itself; that is `smets_zigbee::mac`'s job.

mod link;
mod pcap;
mod text;
pub mod writer;

#[cfg(test)]
mod tests;

use core::fmt;
use core::time::Duration;
use std::borrow::Cow;

use smets_core::crc::crc16_kermit;
use smets_core::{DecodeError, Layer};
use smets_zigbee::security::Key128;

pub use writer::{PcapngWriter, WriterLinkType};

/// What the last bytes of [`Record::frame`] are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FcsPresence {
    /// The last two bytes are the 16-bit FCS, CRC-16/KERMIT sent least
    /// significant byte first (IEEE 802.15.4-2015 7.2.10).
    Present,
    /// The frame ends with the MAC payload; no FCS was captured.
    Absent,
    /// The last two bytes hold TI CC24xx metadata in place of the FCS
    /// (RSSI, then CRC-OK flag and correlation/LQI), as ZEP sends in LQI mode.
    TiMetadata,
}

/// One captured IEEE 802.15.4 frame with the radio metadata its container gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// 1-based record number, counted as tshark counts frames.
    pub number: usize,
    /// Capture time since the Unix epoch, when the container records one.
    pub timestamp: Option<Duration>,
    /// The MAC frame (IEEE 802.15.4-2015 7.2), FCS or metadata included as
    /// [`Record::fcs`] says; borrowed from the file for binary containers.
    pub frame: Cow<'a, [u8]>,
    /// Whether the frame ends with an FCS, TI metadata or neither.
    pub fcs: FcsPresence,
    /// Logical channel (IEEE 802.15.4-2015 10.1.3), when known.
    pub channel: Option<u8>,
    /// Received signal strength in dBm, when known.
    pub rssi: Option<i8>,
    /// Link quality indication (IEEE 802.15.4-2015 10.2.6), when known.
    pub lqi: Option<u8>,
}

impl Record<'_> {
    /// The MAC frame without its FCS or trailing metadata: the bytes the MAC
    /// decoder takes.
    #[must_use]
    pub fn mac_frame(&self) -> &[u8] {
        match self.fcs {
            FcsPresence::Absent => &self.frame,
            FcsPresence::Present | FcsPresence::TiMetadata => {
                let end = self.frame.len().saturating_sub(2);
                self.frame.get(..end).unwrap_or_default()
            }
        }
    }

    /// Whether the frame passed its check: the FCS recomputed over the MAC
    /// frame (IEEE 802.15.4-2015 7.2.10), or the CRC-OK bit of TI metadata;
    /// `None` without either.
    #[must_use]
    pub fn fcs_ok(&self) -> Option<bool> {
        let tail = self.frame.len().checked_sub(2)?;
        let trailer = self.frame.get(tail..)?;
        match self.fcs {
            FcsPresence::Absent => None,
            FcsPresence::Present => {
                let sent = u16::from_le_bytes([*trailer.first()?, *trailer.get(1)?]);
                Some(crc16_kermit(self.mac_frame()) == sent)
            }
            FcsPresence::TiMetadata => Some(trailer.get(1)? & 0x80 != 0),
        }
    }
}

/// Why a record yielded no frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCause {
    /// The bytes break the container's or the encapsulation's rules.
    Malformed,
    /// Well-formed, but not something this reader turns into an 802.15.4
    /// frame: another link type, a non-ZEP UDP datagram, another protocol.
    Unsupported,
    /// Well-formed and understood, but carrying no frame (a ZEP v2 ack).
    NoFrame,
}

/// A record that could not be turned into a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordError {
    /// 1-based record number.
    pub number: usize,
    /// What was wrong, with [`Layer::Capture`] and the byte offset in the file.
    pub error: DecodeError,
    /// Whether the record was malformed, unsupported or empty.
    pub cause: ErrorCause,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cause = match self.cause {
            ErrorCause::Malformed => "malformed",
            ErrorCause::Unsupported => "unsupported",
            ErrorCause::NoFrame => "no 802.15.4 frame",
        };
        write!(f, "record {} ({cause}): {}", self.number, self.error)
    }
}

impl core::error::Error for RecordError {}

/// Why a capture could not be opened at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureError {
    /// The content is none of pcap, pcapng, Daintree SNA or hex text.
    UnknownFormat,
    /// The format was recognised but its file header is broken.
    Header(DecodeError),
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownFormat => f.write_str(
                "unknown capture format (expected pcap, pcapng, Daintree SNA or hex text)",
            ),
            Self::Header(e) => write!(f, "bad capture header: {e}"),
        }
    }
}

impl core::error::Error for CaptureError {}

/// The container format [`open`] recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// libpcap (draft-ietf-opsawg-pcap), either byte order, micro- or nanosecond.
    Pcap,
    /// pcapng (draft-ietf-opsawg-pcapng).
    Pcapng,
    /// Daintree Sensor Network Analyzer text (`#Format=4`).
    Dcf,
    /// One hex-encoded MAC frame per line.
    HexText,
}

/// Secrets type of a pcapng Decryption Secrets Block (draft-ietf-opsawg-pcapng
/// 4.7; Wireshark `wiretap/secrets-types.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// `0x5A4E574B` ("ZNWK"): a ZigBee network key followed by the PAN ID.
    ZigbeeNetworkKey,
    /// `0x5A415053` ("ZAPS"): a ZigBee APS link key followed by the PAN ID and
    /// the short addresses of the two nodes sharing it.
    ZigbeeApsKey,
    /// Any other secrets type (TLS, SSH, WireGuard key logs, ...).
    Other(u32),
}

impl SecretKind {
    /// Secrets type of a ZigBee NWK key.
    pub const ZIGBEE_NWK_KEY: u32 = 0x5a4e_574b;
    /// Secrets type of a ZigBee APS key.
    pub const ZIGBEE_APS_KEY: u32 = 0x5a41_5053;

    /// From the secrets type field.
    #[must_use]
    pub const fn from_u32(value: u32) -> Self {
        match value {
            Self::ZIGBEE_NWK_KEY => Self::ZigbeeNetworkKey,
            Self::ZIGBEE_APS_KEY => Self::ZigbeeApsKey,
            other => Self::Other(other),
        }
    }

    /// The secrets type field.
    #[must_use]
    pub const fn to_u32(self) -> u32 {
        match self {
            Self::ZigbeeNetworkKey => Self::ZIGBEE_NWK_KEY,
            Self::ZigbeeApsKey => Self::ZIGBEE_APS_KEY,
            Self::Other(v) => v,
        }
    }
}

/// The payload of one pcapng Decryption Secrets Block.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<'a> {
    /// Secrets type.
    pub kind: SecretKind,
    /// Secrets data (padding excluded), borrowed from the file.
    pub data: &'a [u8],
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secret")
            .field("kind", &self.kind)
            .field("len", &self.data.len())
            .finish_non_exhaustive()
    }
}

/// A ZigBee key taken from a Decryption Secrets Block.
///
/// draft-ietf-opsawg-pcapng (DSB secrets types) lays the data out as the
/// 16-byte AES-128 key, then the 16-bit PAN ID (little-endian), then for an APS
/// key the two nodes' 16-bit short addresses, lower first. The format carries
/// no key sequence number and no EUI-64.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZigbeeSecret {
    /// Network key or APS link key.
    pub kind: SecretKind,
    /// The key, in the byte order it travels in a Transport Key command.
    pub key: Key128,
    /// PAN the key belongs to, when the block carries it.
    pub pan_id: Option<u16>,
    /// For an APS key, the short addresses of the node pair (lower first).
    pub nodes: Option<(u16, u16)>,
}

impl Secret<'_> {
    /// The ZigBee key this secret carries; `None` for other secrets types or
    /// data shorter than a key.
    #[must_use]
    pub fn zigbee(&self) -> Option<ZigbeeSecret> {
        if !matches!(
            self.kind,
            SecretKind::ZigbeeNetworkKey | SecretKind::ZigbeeApsKey
        ) {
            return None;
        }
        let key: [u8; 16] = self.data.get(..16)?.try_into().ok()?;
        let u16_at = |at: usize| {
            self.data
                .get(at..at + 2)
                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                .map(u16::from_le_bytes)
        };
        let nodes = match self.kind {
            SecretKind::ZigbeeApsKey => u16_at(18).zip(u16_at(20)),
            _ => None,
        };
        Some(ZigbeeSecret {
            kind: self.kind,
            key: Key128::new(key),
            pan_id: u16_at(16),
            nodes,
        })
    }

    /// The key alone, for a ZigBee secret.
    #[must_use]
    pub fn zigbee_key(&self) -> Option<Key128> {
        self.zigbee().map(|s| s.key)
    }
}

/// An opened capture: the format, the bytes and the secrets found in them.
#[derive(Debug, Clone)]
pub struct Capture<'a> {
    data: &'a [u8],
    format: Format,
    secrets: Vec<Secret<'a>>,
}

/// Opens a capture held in memory, detecting the format from its content:
/// the pcap and pcapng magic numbers, the Daintree `#Format=` line, and
/// otherwise printable text read as hex lines.
///
/// # Errors
/// [`CaptureError::UnknownFormat`] for binary content of no known format;
/// [`CaptureError::Header`] when the file header of a recognised format is
/// truncated or invalid.
pub fn open(data: &[u8]) -> Result<Capture<'_>, CaptureError> {
    let format = if pcap::is_pcap(data) {
        Format::Pcap
    } else if pcap::is_pcapng(data) {
        Format::Pcapng
    } else if data.starts_with(text::DCF_MAGIC) {
        Format::Dcf
    } else if text::is_text(data) {
        Format::HexText
    } else {
        return Err(CaptureError::UnknownFormat);
    };
    let secrets = match format {
        Format::Pcap => {
            pcap::PcapRecords::new(data).map_err(CaptureError::Header)?;
            Vec::new()
        }
        Format::Pcapng => pcap::PcapngRecords::new(data)
            .map_err(CaptureError::Header)?
            .secrets(),
        Format::Dcf => {
            text::DcfRecords::new(data).map_err(CaptureError::Header)?;
            Vec::new()
        }
        Format::HexText => Vec::new(),
    };
    Ok(Capture {
        data,
        format,
        secrets,
    })
}

impl<'a> Capture<'a> {
    /// The detected format.
    #[must_use]
    pub const fn format(&self) -> Format {
        self.format
    }

    /// Every Decryption Secrets Block of a pcapng file, in file order (empty
    /// for other formats).
    #[must_use]
    pub fn secrets(&self) -> Vec<Secret<'a>> {
        self.secrets.clone()
    }

    /// The ZigBee keys among [`Capture::secrets`].
    #[must_use]
    pub fn zigbee_secrets(&self) -> Vec<ZigbeeSecret> {
        self.secrets.iter().filter_map(Secret::zigbee).collect()
    }

    /// The records, in file order.
    #[must_use]
    pub fn records(&self) -> Records<'a> {
        let inner = match self.format {
            Format::Pcap => pcap::PcapRecords::new(self.data).map(RecordsInner::Pcap),
            Format::Pcapng => pcap::PcapngRecords::new(self.data).map(RecordsInner::Pcapng),
            Format::Dcf => text::DcfRecords::new(self.data).map(RecordsInner::Dcf),
            Format::HexText => Ok(RecordsInner::Hex(text::HexRecords::new(self.data))),
        };
        // `open` already validated the header, so the fallback never shows.
        Records {
            inner: inner.unwrap_or(RecordsInner::Done),
        }
    }
}

impl<'a> IntoIterator for &Capture<'a> {
    type Item = Result<Record<'a>, RecordError>;
    type IntoIter = Records<'a>;

    fn into_iter(self) -> Records<'a> {
        self.records()
    }
}

impl<'a> IntoIterator for Capture<'a> {
    type Item = Result<Record<'a>, RecordError>;
    type IntoIter = Records<'a>;

    fn into_iter(self) -> Records<'a> {
        self.records()
    }
}

/// Iterator over the records of a [`Capture`].
#[derive(Debug, Clone)]
pub struct Records<'a> {
    inner: RecordsInner<'a>,
}

#[derive(Debug, Clone)]
enum RecordsInner<'a> {
    Pcap(pcap::PcapRecords<'a>),
    Pcapng(pcap::PcapngRecords<'a>),
    Dcf(text::DcfRecords<'a>),
    Hex(text::HexRecords<'a>),
    Done,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            RecordsInner::Pcap(r) => r.next(),
            RecordsInner::Pcapng(r) => r.next(),
            RecordsInner::Dcf(r) => r.next(),
            RecordsInner::Hex(r) => r.next(),
            RecordsInner::Done => None,
        }
    }
}

/// An error on the way to a frame, before the record number is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) error: DecodeError,
    pub(crate) cause: ErrorCause,
}

impl Failure {
    pub(crate) const fn malformed(error: DecodeError) -> Self {
        Self {
            error,
            cause: ErrorCause::Malformed,
        }
    }

    pub(crate) const fn unsupported(offset: usize, field: &'static str, value: u64) -> Self {
        Self {
            error: DecodeError::invalid(Layer::Capture, offset, field, value),
            cause: ErrorCause::Unsupported,
        }
    }

    pub(crate) const fn invalid(offset: usize, field: &'static str, value: u64) -> Self {
        Self::malformed(DecodeError::invalid(Layer::Capture, offset, field, value))
    }

    pub(crate) const fn at(self, number: usize) -> RecordError {
        RecordError {
            number,
            error: self.error,
            cause: self.cause,
        }
    }
}

impl From<DecodeError> for Failure {
    fn from(error: DecodeError) -> Self {
        Self::malformed(error)
    }
}
