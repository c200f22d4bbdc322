//! A pcapng writer (draft-ietf-opsawg-pcapng) for IEEE 802.15.4 frames: one
//! section, one interface (link type 195 or 283), Decryption Secrets Blocks
//! for ZigBee keys and Enhanced Packet Blocks. Little-endian, no clock and no
//! host details: the same calls give the same bytes.

use core::time::Duration;
use std::io::{self, Write};

use smets_core::crc::crc16_kermit;
use smets_zigbee::security::Key128;

use super::link;
use super::{FcsPresence, Record, SecretKind};

/// The link type of the written interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriterLinkType {
    /// `LINKTYPE_IEEE802_15_4_WITHFCS` (195): every frame ends with its FCS,
    /// computed here when the caller has none.
    WithFcs,
    /// `LINKTYPE_IEEE802_15_4_TAP` (283): a TAP header carries the FCS type
    /// and, when known, the channel, RSSI and LQI.
    Tap,
}

impl WriterLinkType {
    /// The link-type number.
    #[must_use]
    pub const fn number(self) -> u32 {
        match self {
            Self::WithFcs => link::IEEE802_15_4_WITHFCS,
            Self::Tap => link::IEEE802_15_4_TAP,
        }
    }
}

const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 1;
const EPB: u32 = 6;
const DSB: u32 = 0x0a;
/// `if_tsresol` = 9: timestamps in nanoseconds.
const TSRESOL_NANOS: u8 = 9;

/// Writes a pcapng capture of IEEE 802.15.4 frames.
#[derive(Debug)]
pub struct PcapngWriter<W: Write> {
    out: W,
    link: WriterLinkType,
}

fn invalid(what: &'static str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what)
}

fn u32_len(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| invalid("pcapng block longer than 4 GiB"))
}

impl<W: Write> PcapngWriter<W> {
    /// Starts a capture: writes the Section Header Block and the Interface
    /// Description Block (with `if_tsresol` = 9, nanoseconds).
    ///
    /// # Errors
    /// Any error of `out`.
    pub fn new(out: W, link: WriterLinkType) -> io::Result<Self> {
        let mut w = Self { out, link };
        let mut shb = Vec::with_capacity(16);
        shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
        shb.extend_from_slice(&1u16.to_le_bytes());
        shb.extend_from_slice(&0u16.to_le_bytes());
        // Section length unknown (-1): the writer does not seek back.
        shb.extend_from_slice(&u64::MAX.to_le_bytes());
        w.block(SHB, &shb)?;
        let mut idb = Vec::with_capacity(20);
        let link_type = u16::try_from(link.number()).unwrap_or_default();
        idb.extend_from_slice(&link_type.to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&0u32.to_le_bytes());
        idb.extend_from_slice(&9u16.to_le_bytes());
        idb.extend_from_slice(&1u16.to_le_bytes());
        idb.extend_from_slice(&[TSRESOL_NANOS, 0, 0, 0]);
        idb.extend_from_slice(&[0, 0, 0, 0]);
        w.block(IDB, &idb)?;
        Ok(w)
    }

    /// Writes one block: `type | total length | body | padding | total length`.
    fn block(&mut self, kind: u32, body: &[u8]) -> io::Result<()> {
        let pad = (4 - body.len() % 4) % 4;
        let total = u32_len(12 + body.len() + pad)?;
        self.out.write_all(&kind.to_le_bytes())?;
        self.out.write_all(&total.to_le_bytes())?;
        self.out.write_all(body)?;
        self.out
            .write_all([0u8; 3].get(..pad).unwrap_or_default())?;
        self.out.write_all(&total.to_le_bytes())
    }

    /// Writes a Decryption Secrets Block of `kind` holding `data`.
    ///
    /// # Errors
    /// Any error of the output.
    pub fn write_secret(&mut self, kind: SecretKind, data: &[u8]) -> io::Result<()> {
        let mut body = Vec::with_capacity(8 + data.len());
        body.extend_from_slice(&kind.to_u32().to_le_bytes());
        body.extend_from_slice(&u32_len(data.len())?.to_le_bytes());
        body.extend_from_slice(data);
        self.block(DSB, &body)
    }

    /// Writes a ZigBee NWK key secret: the key, then the PAN ID little-endian
    /// (draft-ietf-opsawg-pcapng, secrets type `0x5A4E574B`).
    ///
    /// # Errors
    /// Any error of the output.
    pub fn write_network_key(&mut self, key: &Key128, pan_id: u16) -> io::Result<()> {
        let mut data = [0u8; 18];
        let (k, p) = data.split_at_mut(16);
        k.copy_from_slice(key.as_bytes());
        p.copy_from_slice(&pan_id.to_le_bytes());
        self.write_secret(SecretKind::ZigbeeNetworkKey, &data)
    }

    /// Writes a ZigBee APS key secret: the key, the PAN ID and the two nodes'
    /// short addresses, lower first, all little-endian (secrets type `0x5A415053`).
    ///
    /// # Errors
    /// Any error of the output.
    pub fn write_aps_key(
        &mut self,
        key: &Key128,
        pan_id: u16,
        nodes: (u16, u16),
    ) -> io::Result<()> {
        let (low, high) = if nodes.0 <= nodes.1 {
            nodes
        } else {
            (nodes.1, nodes.0)
        };
        let mut data = Vec::with_capacity(22);
        data.extend_from_slice(key.as_bytes());
        data.extend_from_slice(&pan_id.to_le_bytes());
        data.extend_from_slice(&low.to_le_bytes());
        data.extend_from_slice(&high.to_le_bytes());
        self.write_secret(SecretKind::ZigbeeApsKey, &data)
    }

    /// Writes one frame in an Enhanced Packet Block stamped `timestamp` (since
    /// the Unix epoch). `fcs` says what `frame` ends with; with link type 195 a
    /// missing FCS is computed and TI metadata is replaced by the FCS, with
    /// TAP the FCS type TLV tells which (TI metadata is dropped).
    ///
    /// # Errors
    /// `InvalidInput` for a timestamp past 2554 or a frame too short for the FCS
    /// it claims; any error of the output.
    pub fn write_frame(
        &mut self,
        timestamp: Duration,
        frame: &[u8],
        fcs: FcsPresence,
    ) -> io::Result<()> {
        self.write_packet(timestamp, frame, fcs, None, None, None)
    }

    /// Writes a record read by [`super::open`], keeping its channel, RSSI and
    /// LQI in the TAP header when the link type is TAP. A record without
    /// timestamp is stamped 0.
    ///
    /// # Errors
    /// As [`PcapngWriter::write_frame`].
    pub fn write_record(&mut self, record: &Record<'_>) -> io::Result<()> {
        self.write_packet(
            record.timestamp.unwrap_or_default(),
            &record.frame,
            record.fcs,
            record.channel,
            record.rssi,
            record.lqi,
        )
    }

    fn write_packet(
        &mut self,
        timestamp: Duration,
        frame: &[u8],
        fcs: FcsPresence,
        channel: Option<u8>,
        rssi: Option<i8>,
        lqi: Option<u8>,
    ) -> io::Result<()> {
        let units = u64::try_from(timestamp.as_nanos())
            .map_err(|_| invalid("timestamp beyond 64-bit nanoseconds"))?;
        let body = match fcs {
            FcsPresence::Absent => frame,
            FcsPresence::Present | FcsPresence::TiMetadata => frame
                .len()
                .checked_sub(2)
                .and_then(|end| frame.get(..end))
                .ok_or_else(|| invalid("frame shorter than its FCS"))?,
        };
        let mut data = Vec::with_capacity(frame.len() + 32);
        match self.link {
            WriterLinkType::WithFcs => {
                let computed = crc16_kermit(body).to_le_bytes();
                let fcs_bytes = match fcs {
                    FcsPresence::Present => frame.get(body.len()..).unwrap_or_default(),
                    FcsPresence::Absent | FcsPresence::TiMetadata => computed.as_slice(),
                };
                data.extend_from_slice(body);
                data.extend_from_slice(fcs_bytes);
            }
            WriterLinkType::Tap => {
                let mut tlvs = Vec::with_capacity(32);
                let fcs_type = u8::from(fcs == FcsPresence::Present);
                tap_tlv(&mut tlvs, 0, &[fcs_type]);
                if let Some(r) = rssi {
                    tap_tlv(&mut tlvs, 1, &f32::from(r).to_le_bytes());
                }
                if let Some(c) = channel {
                    let [lo, hi] = u16::from(c).to_le_bytes();
                    tap_tlv(&mut tlvs, 3, &[lo, hi, 0]);
                }
                if let Some(q) = lqi {
                    tap_tlv(&mut tlvs, 10, &[q]);
                }
                let header_len =
                    u16::try_from(4 + tlvs.len()).map_err(|_| invalid("TAP header too long"))?;
                data.extend_from_slice(&[0, 0]);
                data.extend_from_slice(&header_len.to_le_bytes());
                data.extend_from_slice(&tlvs);
                data.extend_from_slice(if fcs == FcsPresence::Present {
                    frame
                } else {
                    body
                });
            }
        }
        let len = u32_len(data.len())?;
        let mut epb = Vec::with_capacity(20 + data.len());
        epb.extend_from_slice(&0u32.to_le_bytes());
        #[allow(clippy::cast_possible_truncation)] // the two halves of a u64
        {
            epb.extend_from_slice(&((units >> 32) as u32).to_le_bytes());
            epb.extend_from_slice(&(units as u32).to_le_bytes());
        }
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&data);
        self.block(EPB, &epb)
    }

    /// Flushes and returns the output.
    ///
    /// # Errors
    /// Any error of the flush.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// One TAP TLV: `type (2) | length (2) | value | padding to 4`.
fn tap_tlv(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(value);
    out.extend(core::iter::repeat_n(0u8, (4 - value.len() % 4) % 4));
}
