//! libpcap and pcapng containers (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng):
//! headers, records and blocks walked over borrowed bytes in either byte order.
//! What a record's bytes mean is left to [`super::link`].

use core::time::Duration;
use std::borrow::Cow;

use smets_core::{DecodeError, Layer, Reader};

use super::{Failure, Record, RecordError, Secret, SecretKind, link};

const PCAP_MAGIC_MICROS: u32 = 0xa1b2_c3d4;
const PCAP_MAGIC_NANOS: u32 = 0xa1b2_3c4d;
const PCAP_HEADER_LEN: usize = 24;
const PCAP_RECORD_HEADER_LEN: usize = 16;

const BLOCK_SHB: u32 = 0x0a0d_0d0a;
const BLOCK_IDB: u32 = 0x0000_0001;
const BLOCK_PB: u32 = 0x0000_0002;
const BLOCK_SPB: u32 = 0x0000_0003;
const BLOCK_EPB: u32 = 0x0000_0006;
const BLOCK_DSB: u32 = 0x0000_000a;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;

const OPT_END: u16 = 0;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;

/// Whether `data` starts with a pcap magic number, in either byte order.
pub(crate) fn is_pcap(data: &[u8]) -> bool {
    pcap_magic(data).is_some()
}

/// Whether `data` starts with a pcapng Section Header Block type.
pub(crate) fn is_pcapng(data: &[u8]) -> bool {
    data.get(..4) == Some(&BLOCK_SHB.to_le_bytes()[..])
}

/// `(big_endian, nanosecond)` for a pcap magic number.
fn pcap_magic(data: &[u8]) -> Option<(bool, bool)> {
    let m: [u8; 4] = data.get(..4)?.try_into().ok()?;
    for big in [false, true] {
        let v = if big {
            u32::from_be_bytes(m)
        } else {
            u32::from_le_bytes(m)
        };
        match v {
            PCAP_MAGIC_MICROS => return Some((big, false)),
            PCAP_MAGIC_NANOS => return Some((big, true)),
            _ => {}
        }
    }
    None
}

/// A reader's integer in the file's byte order.
fn u16_at(r: &mut Reader<'_>, big: bool, field: &'static str) -> Result<u16, DecodeError> {
    if big {
        r.u16_be(field)
    } else {
        r.u16_le(field)
    }
}

fn u32_at(r: &mut Reader<'_>, big: bool, field: &'static str) -> Result<u32, DecodeError> {
    if big {
        r.u32_be(field)
    } else {
        r.u32_le(field)
    }
}

fn record<'a>(
    number: usize,
    timestamp: Option<Duration>,
    link_type: u32,
    data: &'a [u8],
    base: usize,
) -> Result<Record<'a>, RecordError> {
    let l = link::decode(link_type, data, base).map_err(|f| f.at(number))?;
    Ok(Record {
        number,
        timestamp,
        frame: Cow::Borrowed(l.frame),
        fcs: l.fcs,
        channel: l.channel,
        rssi: l.rssi,
        lqi: l.lqi,
    })
}

/// Records of a libpcap file: `magic | version (2+2) | thiszone | sigfigs |
/// snaplen | linktype` then `ts_sec | ts_frac | incl_len | orig_len | data`.
#[derive(Debug, Clone)]
pub(crate) struct PcapRecords<'a> {
    data: &'a [u8],
    pos: usize,
    big: bool,
    nanos: bool,
    link_type: u32,
    number: usize,
    done: bool,
}

impl<'a> PcapRecords<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Result<Self, DecodeError> {
        let (big, nanos) = pcap_magic(data)
            .ok_or_else(|| DecodeError::invalid(Layer::Capture, 0, "pcap magic", 0))?;
        let mut r = Reader::new(data, Layer::Capture);
        r.bytes(4, "pcap magic")?;
        u16_at(&mut r, big, "pcap major version")?;
        u16_at(&mut r, big, "pcap minor version")?;
        r.bytes(8, "pcap thiszone and sigfigs")?;
        u32_at(&mut r, big, "pcap snaplen")?;
        // The upper bits of the field carry FCS-length flags, not the type.
        let link_type = u32_at(&mut r, big, "pcap link type")? & 0xffff;
        Ok(Self {
            data,
            pos: PCAP_HEADER_LEN,
            big,
            nanos,
            link_type,
            number: 0,
            done: false,
        })
    }
}

impl<'a> Iterator for PcapRecords<'a> {
    type Item = Result<Record<'a>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        self.number += 1;
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let mut r = Reader::with_base(rest, Layer::Capture, self.pos);
        let header = (|| {
            let sec = u32_at(&mut r, self.big, "pcap record ts_sec")?;
            let frac = u32_at(&mut r, self.big, "pcap record ts_frac")?;
            let incl = u32_at(&mut r, self.big, "pcap record incl_len")?;
            u32_at(&mut r, self.big, "pcap record orig_len")?;
            let data = r.bytes(incl as usize, "pcap record data")?;
            Ok::<_, DecodeError>((sec, frac, data))
        })();
        let (sec, frac, data) = match header {
            Ok(h) => h,
            Err(e) => {
                // Without a whole record header the next record cannot be found.
                self.done = true;
                return Some(Err(Failure::malformed(e).at(self.number)));
            }
        };
        let base = self.pos + PCAP_RECORD_HEADER_LEN;
        self.pos += r.pos();
        let nanos = if self.nanos {
            u64::from(frac)
        } else {
            u64::from(frac) * 1000
        };
        let ts = Duration::from_secs(u64::from(sec)).checked_add(Duration::from_nanos(nanos));
        Some(record(self.number, ts, self.link_type, data, base))
    }
}

/// One pcapng block: `type | total length | body | total length`.
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    kind: u32,
    body: &'a [u8],
    /// File offset of the body.
    at: usize,
    big: bool,
}

/// Walks the blocks of a pcapng file, following the byte order each Section
/// Header Block declares.
#[derive(Debug, Clone)]
struct Blocks<'a> {
    data: &'a [u8],
    pos: usize,
    big: bool,
    done: bool,
}

impl<'a> Blocks<'a> {
    const fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            big: false,
            done: false,
        }
    }

    fn read(&mut self) -> Result<Block<'a>, DecodeError> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let mut r = Reader::with_base(rest, Layer::Capture, self.pos);
        let kind_bytes = r.array::<4>("pcapng block type")?;
        if u32::from_le_bytes(kind_bytes) == BLOCK_SHB {
            // The byte-order magic after the length fixes the section's order.
            let mut peek = r.clone();
            peek.bytes(4, "pcapng block total length")?;
            let magic = peek.array::<4>("pcapng byte-order magic")?;
            self.big = match (u32::from_le_bytes(magic), u32::from_be_bytes(magic)) {
                (BYTE_ORDER_MAGIC, _) => false,
                (_, BYTE_ORDER_MAGIC) => true,
                (v, _) => {
                    return Err(DecodeError::invalid(
                        Layer::Capture,
                        self.pos + 8,
                        "pcapng byte-order magic",
                        u64::from(v),
                    ));
                }
            };
        }
        let big = self.big;
        let kind = if big {
            u32::from_be_bytes(kind_bytes)
        } else {
            u32::from_le_bytes(kind_bytes)
        };
        let total = u32_at(&mut r, big, "pcapng block total length")? as usize;
        if total < 12 || !total.is_multiple_of(4) {
            return Err(DecodeError::invalid(
                Layer::Capture,
                self.pos + 4,
                "pcapng block total length",
                total as u64,
            ));
        }
        let body = r.bytes(total - 12, "pcapng block body")?;
        let trailer_at = self.pos + r.pos();
        let trailer = u32_at(&mut r, big, "pcapng block trailing length")? as usize;
        if trailer != total {
            return Err(DecodeError::invalid(
                Layer::Capture,
                trailer_at,
                "pcapng block trailing length",
                trailer as u64,
            ));
        }
        let at = self.pos + 8;
        self.pos += total;
        Ok(Block {
            kind,
            body,
            at,
            big,
        })
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Block<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let b = self.read();
        if b.is_err() {
            self.done = true;
        }
        Some(b)
    }
}

/// Timestamp resolution of an interface (`if_tsresol`): units per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interface {
    link_type: u32,
    snaplen: u32,
    /// Timestamp units per second; `None` when `if_tsresol` is beyond range.
    units_per_sec: Option<u128>,
    /// `if_tsoffset`, seconds added to every timestamp.
    offset: i64,
}

impl Interface {
    /// Interface Description Block: `link type (2) | reserved (2) | snaplen (4)
    /// | options`.
    fn parse(b: &Block<'_>) -> Result<Self, DecodeError> {
        let mut r = Reader::with_base(b.body, Layer::Capture, b.at);
        let link_type = u32::from(u16_at(&mut r, b.big, "IDB link type")?);
        u16_at(&mut r, b.big, "IDB reserved")?;
        let snaplen = u32_at(&mut r, b.big, "IDB snaplen")?;
        let mut iface = Self {
            link_type,
            snaplen,
            units_per_sec: Some(1_000_000),
            offset: 0,
        };
        for opt in Options::new(r, b.at, b.big) {
            let (code, mut v) = opt?;
            match code {
                OPT_IF_TSRESOL => {
                    let res = v.u8("if_tsresol")?;
                    let exp = u32::from(res & 0x7f);
                    iface.units_per_sec = if res & 0x80 == 0 {
                        10u128.checked_pow(exp)
                    } else {
                        1u128.checked_shl(exp)
                    };
                }
                OPT_IF_TSOFFSET => {
                    let raw = v.array::<8>("if_tsoffset")?;
                    iface.offset = if b.big {
                        i64::from_be_bytes(raw)
                    } else {
                        i64::from_le_bytes(raw)
                    };
                }
                _ => {}
            }
        }
        Ok(iface)
    }

    fn timestamp(&self, units: u64) -> Option<Duration> {
        let per_sec = self.units_per_sec.filter(|&u| u > 0)?;
        let units = u128::from(units);
        let secs = u64::try_from(units / per_sec).ok()?;
        let nanos = u64::try_from((units % per_sec) * 1_000_000_000 / per_sec).ok()?;
        let ts = Duration::from_secs(secs).checked_add(Duration::from_nanos(nanos))?;
        let shift = Duration::from_secs(self.offset.unsigned_abs());
        if self.offset >= 0 {
            ts.checked_add(shift)
        } else {
            ts.checked_sub(shift)
        }
    }
}

/// Options `code (2) | length (2) | value | padding to 4`, ending at
/// `opt_endofopt` or at the end of the block body.
struct Options<'a> {
    r: Reader<'a>,
    /// File offset of the reader's first byte.
    base: usize,
    big: bool,
    done: bool,
}

impl<'a> Options<'a> {
    const fn new(r: Reader<'a>, base: usize, big: bool) -> Self {
        Self {
            r,
            base,
            big,
            done: false,
        }
    }
}

impl<'a> Iterator for Options<'a> {
    type Item = Result<(u16, Reader<'a>), DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.r.is_empty() {
            return None;
        }
        let item = (|| {
            let code = u16_at(&mut self.r, self.big, "pcapng option code")?;
            let len = usize::from(u16_at(&mut self.r, self.big, "pcapng option length")?);
            let at = self.r.pos();
            let value = self.r.bytes(len, "pcapng option value")?;
            let pad = (4 - len % 4) % 4;
            self.r
                .bytes(pad.min(self.r.remaining()), "pcapng option padding")?;
            Ok((
                code,
                Reader::with_base(value, Layer::Capture, self.base + at),
            ))
        })();
        match &item {
            Ok((OPT_END, _)) => {
                self.done = true;
                return None;
            }
            Err(_) => self.done = true,
            Ok(_) => {}
        }
        Some(item)
    }
}

/// Records (Enhanced, Simple and obsolete Packet Blocks) of a pcapng file.
#[derive(Debug, Clone)]
pub(crate) struct PcapngRecords<'a> {
    blocks: Blocks<'a>,
    interfaces: Vec<Result<Interface, DecodeError>>,
    number: usize,
}

impl<'a> PcapngRecords<'a> {
    /// Checks that the file starts with a valid Section Header Block.
    pub(crate) fn new(data: &'a [u8]) -> Result<Self, DecodeError> {
        let mut blocks = Blocks::new(data);
        let first = blocks.read()?;
        section_header(&first)?;
        Ok(Self {
            blocks: Blocks::new(data),
            interfaces: Vec::new(),
            number: 0,
        })
    }

    /// Every well-formed Decryption Secrets Block, in file order.
    pub(crate) fn secrets(&self) -> Vec<Secret<'a>> {
        Blocks::new(self.blocks.data)
            .map_while(Result::ok)
            .filter(|b| b.kind == BLOCK_DSB)
            .filter_map(|b| {
                let mut r = Reader::with_base(b.body, Layer::Capture, b.at);
                let kind = u32_at(&mut r, b.big, "DSB secrets type").ok()?;
                let len = u32_at(&mut r, b.big, "DSB secrets length").ok()?;
                let data = r.bytes(len as usize, "DSB secrets data").ok()?;
                Some(Secret {
                    kind: SecretKind::from_u32(kind),
                    data,
                })
            })
            .collect()
    }

    fn interface(&self, id: u32, at: usize) -> Result<Interface, Failure> {
        match usize::try_from(id)
            .ok()
            .and_then(|i| self.interfaces.get(i))
        {
            Some(Ok(iface)) => Ok(*iface),
            Some(Err(e)) => Err(Failure::malformed(*e)),
            None => Err(Failure::invalid(at, "pcapng interface id", u64::from(id))),
        }
    }

    fn packet(&self, b: &Block<'a>) -> Result<Record<'a>, RecordError> {
        let n = self.number;
        let mut r = Reader::with_base(b.body, Layer::Capture, b.at);
        let big = b.big;
        let parsed = (|| {
            let (id, ts_units, data) = match b.kind {
                BLOCK_EPB | BLOCK_PB => {
                    let id = if b.kind == BLOCK_EPB {
                        u32_at(&mut r, big, "EPB interface id")?
                    } else {
                        let id = u16_at(&mut r, big, "PB interface id")?;
                        u16_at(&mut r, big, "PB drops count")?;
                        u32::from(id)
                    };
                    let hi = u32_at(&mut r, big, "packet timestamp (high)")?;
                    let lo = u32_at(&mut r, big, "packet timestamp (low)")?;
                    let caplen = u32_at(&mut r, big, "packet captured length")?;
                    u32_at(&mut r, big, "packet original length")?;
                    let data = r.bytes(caplen as usize, "packet data")?;
                    (id, Some((u64::from(hi) << 32) | u64::from(lo)), data)
                }
                _ => {
                    let orig = u32_at(&mut r, big, "SPB original length")? as usize;
                    let data = r.rest();
                    let len = data.len().min(orig);
                    (0, None, data.get(..len).unwrap_or_default())
                }
            };
            Ok::<_, DecodeError>((id, ts_units, data))
        })();
        let (id, ts_units, data) = parsed.map_err(|e| Failure::malformed(e).at(n))?;
        let iface = self.interface(id, b.at).map_err(|f| f.at(n))?;
        let data = if b.kind == BLOCK_SPB && iface.snaplen != 0 {
            data.get(..data.len().min(iface.snaplen as usize))
                .unwrap_or_default()
        } else {
            data
        };
        // EPB and PB have 20 bytes before the data, SPB 4.
        let base = b.at + if b.kind == BLOCK_SPB { 4 } else { 20 };
        let ts = ts_units.and_then(|u| iface.timestamp(u));
        record(n, ts, iface.link_type, data, base)
    }
}

/// Section Header Block body: `byte-order magic | major (2) = 1 | minor (2) |
/// section length (8) | options`.
fn section_header(b: &Block<'_>) -> Result<(), DecodeError> {
    let mut r = Reader::with_base(b.body, Layer::Capture, b.at);
    u32_at(&mut r, b.big, "SHB byte-order magic")?;
    let major = u16_at(&mut r, b.big, "SHB major version")?;
    if major != 1 {
        return Err(DecodeError::invalid(
            Layer::Capture,
            b.at + 4,
            "SHB major version",
            u64::from(major),
        ));
    }
    u16_at(&mut r, b.big, "SHB minor version")?;
    r.bytes(8, "SHB section length")?;
    Ok(())
}

impl<'a> Iterator for PcapngRecords<'a> {
    type Item = Result<Record<'a>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let block = match self.blocks.next()? {
                Ok(b) => b,
                Err(e) => {
                    // The block framing is lost: nothing after it can be found.
                    return Some(Err(Failure::malformed(e).at(self.number + 1)));
                }
            };
            match block.kind {
                BLOCK_SHB => {
                    self.interfaces.clear();
                    if let Err(e) = section_header(&block) {
                        self.blocks.done = true;
                        return Some(Err(Failure::malformed(e).at(self.number + 1)));
                    }
                }
                BLOCK_IDB => self.interfaces.push(Interface::parse(&block)),
                BLOCK_EPB | BLOCK_SPB | BLOCK_PB => {
                    self.number += 1;
                    return Some(self.packet(&block));
                }
                _ => {}
            }
        }
    }
}
