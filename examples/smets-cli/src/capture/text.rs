//! Text captures: Daintree SNA `.dcf` files (as Wireshark's
//! `wiretap/daintree-sna.c` reads them) and hex lines, one MAC frame a line.
//! Frames are decoded into owned buffers; nothing else is interpreted.

use core::time::Duration;
use std::borrow::Cow;

use smets_core::crc::crc16_kermit;
use smets_core::{DecodeError, Layer};

use super::{Failure, FcsPresence, Record, RecordError};

/// First bytes of a Daintree SNA file.
pub(crate) const DCF_MAGIC: &[u8] = b"#Format=";

/// UTF-8 byte-order mark, which some editors put before the first line.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Whether `data` looks like text: no control bytes but tabs and line breaks
/// (bytes above 0x7f are allowed for UTF-8 comments).
pub(crate) fn is_text(data: &[u8]) -> bool {
    data.iter()
        .all(|&b| b == b'\t' || b == b'\n' || b == b'\r' || (b >= 0x20 && b != 0x7f))
}

/// Lines of `data` with the file offset of each, line terminators removed.
#[derive(Debug, Clone)]
struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.data.get(self.pos..).filter(|r| !r.is_empty())?;
        let start = self.pos;
        let len = rest.iter().position(|&b| b == b'\n');
        let line = rest.get(..len.unwrap_or(rest.len())).unwrap_or_default();
        self.pos += len.map_or(rest.len(), |l| l + 1);
        Some((start, line.strip_suffix(b"\r").unwrap_or(line)))
    }
}

const fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes hex pairs from `text` (at file offset `at`), skipping `sep` bytes
/// between whole bytes.
fn decode_hex(text: &[u8], at: usize, sep: fn(u8) -> bool) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut i = 0usize;
    while let Some(&c) = text.get(i) {
        if sep(c) {
            i += 1;
            continue;
        }
        let hi = hex_digit(c).ok_or_else(|| {
            DecodeError::invalid(Layer::Capture, at + i, "hex digit", u64::from(c))
        })?;
        let lo = match text.get(i + 1) {
            Some(&d) => hex_digit(d).ok_or_else(|| {
                DecodeError::invalid(
                    Layer::Capture,
                    at + i + 1,
                    "hex digit (odd count)",
                    u64::from(d),
                )
            })?,
            None => {
                return Err(DecodeError::truncated(
                    Layer::Capture,
                    at + i + 1,
                    "hex byte",
                    2,
                    1,
                ));
            }
        };
        out.push((hi << 4) | lo);
        i += 2;
    }
    Ok(out)
}

/// Hex text: each line that is neither blank nor a `#` comment holds one MAC
/// frame as hex pairs, optionally separated by spaces, tabs or colons; a `#`
/// later on the line starts a comment. The text does not say whether a frame
/// ends with its FCS, so the last two bytes count as one exactly when they are
/// the CRC-16/KERMIT of the rest (IEEE 802.15.4-2015 7.2.10); the odds of a
/// frame without FCS passing by chance are 1 in 65536.
#[derive(Debug, Clone)]
pub(crate) struct HexRecords<'a> {
    lines: Lines<'a>,
    number: usize,
}

impl<'a> HexRecords<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        let pos = if data.starts_with(BOM) { BOM.len() } else { 0 };
        Self {
            lines: Lines { data, pos },
            number: 0,
        }
    }
}

fn fcs_guess(frame: &[u8]) -> FcsPresence {
    let Some(split) = frame.len().checked_sub(2).filter(|&s| s > 0) else {
        return FcsPresence::Absent;
    };
    let (body, fcs) = frame.split_at(split);
    match <[u8; 2]>::try_from(fcs) {
        Ok(f) if u16::from_le_bytes(f) == crc16_kermit(body) => FcsPresence::Present,
        _ => FcsPresence::Absent,
    }
}

impl<'a> Iterator for HexRecords<'a> {
    type Item = Result<Record<'a>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (at, line) = self.lines.next()?;
            let content = line
                .iter()
                .position(|&b| b == b'#')
                .map_or(line, |p| line.get(..p).unwrap_or_default());
            if content.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.number += 1;
            let frame = match decode_hex(content, at, |b| b == b' ' || b == b'\t' || b == b':') {
                Ok(f) if f.is_empty() => {
                    let e = Failure::invalid(at, "hex line without bytes", 0);
                    return Some(Err(e.at(self.number)));
                }
                Ok(f) => f,
                Err(e) => return Some(Err(Failure::malformed(e).at(self.number))),
            };
            return Some(Ok(Record {
                number: self.number,
                timestamp: None,
                fcs: fcs_guess(&frame),
                frame: Cow::Owned(frame),
                channel: None,
                rssi: None,
                lqi: None,
            }));
        }
    }
}

/// Daintree SNA: a `#Format=` line and a second `#` line, then one record per
/// line of whitespace-separated fields `number | seconds.fraction | length |
/// hex | LQI | ? | RSSI | channel | ...` (field names as KillerBee's
/// `daintree.py` writes them). The hex ends with two bytes standing where the
/// FCS was (`ffff`); like Wireshark, they are dropped and the frame reported
/// without FCS.
#[derive(Debug, Clone)]
pub(crate) struct DcfRecords<'a> {
    lines: Lines<'a>,
    number: usize,
}

impl<'a> DcfRecords<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Result<Self, DecodeError> {
        let mut lines = Lines { data, pos: 0 };
        let first = lines.next().map(|(_, l)| l).unwrap_or_default();
        if !first.starts_with(DCF_MAGIC) {
            return Err(DecodeError::invalid(
                Layer::Capture,
                0,
                "Daintree header",
                0,
            ));
        }
        Ok(Self { lines, number: 0 })
    }
}

/// Whitespace-separated fields of a line with their file offsets.
fn fields(line: &[u8], at: usize) -> impl Iterator<Item = (usize, &[u8])> {
    let mut pos = 0usize;
    core::iter::from_fn(move || {
        let rest = line.get(pos..)?;
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let field = rest.get(start..).unwrap_or_default();
        let len = field
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(field.len());
        let offset = at + pos + start;
        pos += start + len;
        Some((offset, field.get(..len).unwrap_or_default()))
    })
}

fn parse_num<T: core::str::FromStr>(field: &[u8]) -> Option<T> {
    core::str::from_utf8(field).ok()?.parse().ok()
}

/// `seconds.fraction` as a duration; the fraction is read as a decimal
/// fraction (Daintree writes six digits, microseconds).
fn parse_time(field: &[u8]) -> Option<Duration> {
    let (secs, frac) = match field.iter().position(|&b| b == b'.') {
        Some(p) => (field.get(..p)?, field.get(p + 1..)?),
        None => (field, &[][..]),
    };
    if frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let secs: u64 = parse_num(secs)?;
    let mut nanos = 0u32;
    for i in 0..9 {
        let d = frac.get(i).map_or(0, |&b| u32::from(b - b'0'));
        nanos = nanos * 10 + d;
    }
    Some(Duration::new(secs, nanos))
}

impl DcfRecords<'_> {
    fn record(&self, at: usize, line: &[u8]) -> Result<Record<'static>, Failure> {
        let mut f = fields(line, at);
        let missing = |field| {
            Failure::malformed(DecodeError::truncated(
                Layer::Capture,
                at + line.len(),
                field,
                1,
                0,
            ))
        };
        f.next().ok_or_else(|| missing("Daintree packet number"))?;
        let (t_at, time) = f.next().ok_or_else(|| missing("Daintree timestamp"))?;
        let timestamp =
            parse_time(time).ok_or_else(|| Failure::invalid(t_at, "Daintree timestamp", 0))?;
        let (l_at, len) = f.next().ok_or_else(|| missing("Daintree length"))?;
        let len: usize =
            parse_num(len).ok_or_else(|| Failure::invalid(l_at, "Daintree length", 0))?;
        let (h_at, hex) = f.next().ok_or_else(|| missing("Daintree packet data"))?;
        let mut frame = decode_hex(hex, h_at, |_| false)?;
        if frame.len() <= 2 {
            return Err(DecodeError::truncated(
                Layer::Capture,
                h_at,
                "Daintree packet data",
                3,
                frame.len(),
            )
            .into());
        }
        if frame.len() > len {
            return Err(Failure::invalid(
                l_at,
                "Daintree length (below the data)",
                len as u64,
            ));
        }
        frame.truncate(frame.len() - 2);
        let lqi = f.next().and_then(|(_, v)| parse_num::<u8>(v));
        f.next();
        let rssi = f.next().and_then(|(_, v)| parse_num::<i8>(v));
        let channel = f.next().and_then(|(_, v)| parse_num::<u8>(v));
        Ok(Record {
            number: self.number,
            timestamp: Some(timestamp),
            frame: Cow::Owned(frame),
            fcs: FcsPresence::Absent,
            channel,
            rssi,
            lqi,
        })
    }
}

impl<'a> Iterator for DcfRecords<'a> {
    type Item = Result<Record<'a>, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (at, line) = self.lines.next()?;
            if line.first() == Some(&b'#') || line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.number += 1;
            return Some(self.record(at, line).map_err(|f| f.at(self.number)));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn time_is_a_decimal_fraction() {
        assert_eq!(
            parse_time(b"1193806329.955520"),
            Some(Duration::new(1_193_806_329, 955_520_000))
        );
        assert_eq!(parse_time(b"12"), Some(Duration::from_secs(12)));
        assert_eq!(parse_time(b"1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_time(b"1.x"), None);
        assert_eq!(parse_time(b"1.0000000001"), None);
        assert_eq!(parse_time(b"-1.0"), None);
    }

    #[test]
    fn hex_errors_point_at_the_bad_digit() {
        let e = decode_hex(b"41 8g", 100, |b| b == b' ').unwrap_err();
        assert_eq!(e.offset, 104);
        let e = decode_hex(b"418", 10, |_| false).unwrap_err();
        assert_eq!(e.offset, 13);
        assert_eq!(
            decode_hex(b"41:88 0e", 0, |b| b == b' ' || b == b':').unwrap(),
            [0x41, 0x88, 0x0e]
        );
    }

    #[test]
    fn daintree_header_is_required() {
        assert!(DcfRecords::new(b"#Format=4\r\n# SNA\r\n").is_ok());
        assert!(DcfRecords::new(b"# SNA\r\n").is_err());
    }
}
