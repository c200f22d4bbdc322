//! GBCS text input for `smets decode`: one GBCS message a line, as hex
//! (`DF`, `DD 00` or `DD 09` first) or framed as `GBCS:DATA#0:<length>:<hex>`,
//! and the driver that checks the lines on several threads and writes the
//! records in input order. Captures are not read here (`crate::capture`).

use core::num::NonZeroUsize;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::io;
use std::sync::mpsc;

use smets_core::{DecodeError, DecodeErrorKind, Eui64, Layer};
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::SecurityContext;

use crate::Format;
use crate::filter::Show;
use crate::sink::{JsonSink, Sink, TextSink, Value};

/// Start of a GFI-framed line.
const GFI_PREFIX: &[u8] = b"GBCS:DATA#";

/// UTF-8 byte-order mark, which some editors put before the first line.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Lines a worker takes at a time.
const CHUNK: usize = 64;

/// One line of GBCS text that is neither blank nor a comment.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// Line number in the file, from 1.
    pub number: usize,
    /// File offset of the line's first byte.
    pub at: usize,
    /// The line without its terminator.
    pub text: &'a [u8],
}

/// The lines of `data` that are neither blank nor `#` comments.
pub fn lines(data: &[u8]) -> impl Iterator<Item = Line<'_>> {
    let start = if data.starts_with(BOM) { BOM.len() } else { 0 };
    let mut at = start;
    data.get(start..)
        .unwrap_or_default()
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(move |(i, raw)| {
            let line_at = at;
            at += raw.len() + 1;
            let text = raw.strip_suffix(b"\r").unwrap_or(raw);
            let trimmed = text.trim_ascii_start();
            if trimmed.is_empty() || trimmed.starts_with(b"#") {
                return None;
            }
            Some(Line {
                number: i + 1,
                at: line_at,
                text,
            })
        })
}

const fn is_separator(b: u8) -> bool {
    b == b' ' || b == b'\t' || b == b':'
}

/// Whether a line reads as a GBCS message: GFI-framed, or hex whose first
/// bytes are `DF`, `DD 00` or `DD 09` (GBCS 7.2.5, 7.2.7, 7.2.11).
fn looks_gbcs(text: &[u8]) -> bool {
    let t = text.trim_ascii_start();
    if t.len() >= GFI_PREFIX.len()
        && t.get(..GFI_PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(GFI_PREFIX))
    {
        return true;
    }
    let mut digits = t
        .iter()
        .filter(|&&b| !is_separator(b))
        .map(u8::to_ascii_uppercase);
    let first: Vec<u8> = digits.by_ref().take(4).collect();
    matches!(
        first.as_slice(),
        [b'D', b'F', ..] | [b'D', b'D', b'0', b'0'] | [b'D', b'D', b'0', b'9']
    )
}

/// Whether `data` is GBCS text: printable, with at least one line, and
/// every line that is not blank or a comment a GBCS message (hex or GFI).
#[must_use]
pub fn is_gbcs_text(data: &[u8]) -> bool {
    let printable = data
        .iter()
        .all(|&b| b == b'\t' || b == b'\n' || b == b'\r' || (b >= 0x20 && b != 0x7f));
    let mut any = false;
    printable
        && lines(data).all(|l| {
            any = true;
            looks_gbcs(l.text)
        })
        && any
}

const fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Hex pairs of `text` (at file offset `at`), separators allowed between
/// bytes, a `#` ending the line.
fn unhex(text: &[u8], at: usize) -> Result<Vec<u8>, DecodeError> {
    let end = text.iter().position(|&b| b == b'#').unwrap_or(text.len());
    let text = text.get(..end).unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut i = 0usize;
    while let Some(&c) = text.get(i) {
        if is_separator(c) || c == b'\r' {
            i += 1;
            continue;
        }
        let hi = hex_digit(c)
            .ok_or_else(|| DecodeError::invalid(Layer::Capture, at + i, "hex digit", c.into()))?;
        let lo = match text.get(i + 1) {
            Some(&d) => hex_digit(d).ok_or_else(|| {
                DecodeError::invalid(
                    Layer::Capture,
                    at + i + 1,
                    "hex digit (odd count)",
                    d.into(),
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

/// A decimal number of `text` up to `:`; its value and the bytes it took.
fn decimal(text: &[u8], at: usize, field: &'static str) -> Result<(usize, usize), DecodeError> {
    let n = text.iter().take_while(|b| b.is_ascii_digit()).count();
    match text.get(n) {
        Some(b':') if n > 0 => {}
        Some(&b) => {
            return Err(DecodeError::invalid(
                Layer::Capture,
                at + n,
                field,
                b.into(),
            ));
        }
        None => return Err(DecodeError::truncated(Layer::Capture, at + n, field, 1, 0)),
    }
    let digits = core::str::from_utf8(text.get(..n).unwrap_or_default()).unwrap_or_default();
    let value = digits
        .parse()
        .map_err(|_| DecodeError::invalid(Layer::Capture, at, field, u64::MAX))?;
    Ok((value, n + 1))
}

/// The GBCS message a line holds.
///
/// # Errors
/// [`Layer::Capture`] errors at the file offset: bad hex, a malformed GFI
/// frame, a GFI length that is not the number of bytes, an empty line.
pub fn message_of(line: &Line<'_>) -> Result<Vec<u8>, DecodeError> {
    let lead = line.text.len() - line.text.trim_ascii_start().len();
    let t = line.text.trim_ascii_start();
    let at = line.at + lead;
    if !t
        .get(..GFI_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(GFI_PREFIX))
    {
        let bytes = unhex(t, at)?;
        if bytes.is_empty() {
            return Err(DecodeError::invalid(
                Layer::Capture,
                at,
                "hex line without bytes",
                0,
            ));
        }
        return Ok(bytes);
    }
    let mut pos = GFI_PREFIX.len();
    let rest = t.get(pos..).unwrap_or_default();
    let (_, n) = decimal(rest, at + pos, "GFI data index")?;
    pos += n;
    let rest = t.get(pos..).unwrap_or_default();
    let (declared, n) = decimal(rest, at + pos, "GFI length")?;
    pos += n;
    let bytes = unhex(t.get(pos..).unwrap_or_default(), at + pos)?;
    match bytes.len() {
        l if l == declared => Ok(bytes),
        l if l < declared => Err(DecodeError::truncated(
            Layer::Capture,
            at + pos,
            "GFI data",
            declared,
            l,
        )),
        l => Err(DecodeError::new(
            Layer::Capture,
            at + pos,
            DecodeErrorKind::TrailingBytes {
                count: l - declared,
            },
        )),
    }
}

/// Records rendered by one worker: the bytes, each record followed by the
/// format's terminator (JSON records joined by ",\n"), and the counts.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The output.
    pub bytes: Vec<u8>,
    /// Records in it.
    pub records: usize,
    /// Records that did not decode.
    pub failed: usize,
}

/// Renders the records of `lines`, checking each message with `ctx`.
pub fn render_lines<K: smets_gbcs::KeyStore, P: smets_gbcs::crypto::CryptoProvider>(
    lines: &[Line<'_>],
    file: Option<&str>,
    format: Format,
    ctx: &mut SecurityContext<K, P>,
    show: &Show,
) -> Rendered {
    let filter = &show.filter;
    let mut json = JsonSink::default();
    let mut text = TextSink::default();
    let mut failed = 0;
    let mut records = 0;
    for line in lines {
        let message = message_of(line);
        if !filter.is_empty() && !message.as_ref().is_ok_and(|m| filter.allows_message(m)) {
            continue;
        }
        let i = records;
        records += 1;
        let sink: &mut dyn Sink = match format {
            Format::Text => {
                text.out
                    .extend_from_slice(format!("Line {}", line.number).as_bytes());
                if let Ok(m) = &message {
                    text.out
                        .extend_from_slice(format!(": {} bytes", m.len()).as_bytes());
                }
                if let Some(f) = file {
                    text.out.extend_from_slice(format!(" ({f})").as_bytes());
                }
                text.out.push(b'\n');
                &mut text
            }
            Format::Json | Format::Ndjson => {
                if format == Format::Json && i > 0 {
                    json.out.extend_from_slice(b",\n");
                }
                json.start_record();
                json.field("line", Value::U64(line.number as u64));
                if let Some(f) = file {
                    json.field("file", Value::Str(f));
                }
                if let Ok(m) = &message {
                    json.field("length", Value::U64(m.len() as u64));
                }
                &mut json
            }
        };
        let error = match &message {
            Ok(m) => crate::render_gbcs::message(sink, ctx, m, show.payload).err(),
            Err(e) => Some(*e),
        };
        crate::render::error(sink, error.as_ref());
        if error.is_some() {
            failed += 1;
        }
        match format {
            Format::Text => text.out.push(b'\n'),
            Format::Json => json.finish_record(),
            Format::Ndjson => {
                json.finish_record();
                json.out.push(b'\n');
            }
        }
    }
    Rendered {
        bytes: if format == Format::Text {
            text.out
        } else {
            json.out
        },
        records,
        failed,
    }
}

/// How many worker threads: `jobs` when given, else every core.
#[must_use]
pub fn workers(jobs: Option<NonZeroUsize>) -> usize {
    jobs.or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get)
}

/// How [`run`] renders GBCS text.
#[derive(Debug, Clone, Copy)]
pub struct TextRun<'a> {
    /// The file name records carry, when there are several inputs.
    pub file: Option<&'a str>,
    /// The output format.
    pub format: Format,
    /// The GBCS keys.
    pub keys: &'a MemoryKeyStore,
    /// The Access Control Broker whose key MACs commands.
    pub acb: Option<Eui64>,
    /// Worker threads.
    pub workers: usize,
    /// What is shown.
    pub show: &'a Show,
}

/// Renders every line of `data` in chunks on `run.workers` threads, each
/// with its own [`SecurityContext`] over `run.keys`, and hands the chunks
/// to `write` in input order. Stops at the first error `write` returns.
///
/// # Errors
/// What `write` returned.
pub fn run<F>(data: &[u8], run: &TextRun<'_>, mut write: F) -> io::Result<()>
where
    F: FnMut(Rendered) -> io::Result<()>,
{
    let TextRun {
        file,
        format,
        keys,
        acb,
        workers,
        show,
    } = *run;
    let all: Vec<Line<'_>> = lines(data).collect();
    let context = || {
        let ctx = SecurityContext::new(keys);
        match acb {
            Some(a) => ctx.with_acb(a),
            None => ctx,
        }
    };
    if workers <= 1 || all.len() <= CHUNK {
        let mut ctx = context();
        for chunk in all.chunks(CHUNK) {
            write(render_lines(chunk, file, format, &mut ctx, show))?;
        }
        return Ok(());
    }
    let chunks: Vec<&[Line<'_>]> = all.chunks(CHUNK).collect();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<(usize, Rendered)>(2 * workers);
        for _ in 0..workers.min(chunks.len()) {
            let tx = tx.clone();
            let (chunks, next, stop) = (&chunks, &next, &stop);
            scope.spawn(move || {
                let mut ctx = context();
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(i) else { break };
                    let r = render_lines(chunk, file, format, &mut ctx, show);
                    if tx.send((i, r)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Chunks arrive in any order; they are written in input order.
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0usize;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&want) {
                if let Err(e) = write(r) {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
                want += 1;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn gbcs_text_is_told_from_zigbee_hex() {
        assert!(is_gbcs_text(b"# c\nDF09 0300\n\n dd:00:00\r\nDD09\n"));
        assert!(is_gbcs_text(b"GBCS:DATA#0:2:DF09\n"));
        assert!(!is_gbcs_text(b"DF09\n4188\n"));
        assert!(!is_gbcs_text(b"# only a comment\n\n"));
        assert!(!is_gbcs_text(b"DD01\n"));
        assert!(!is_gbcs_text(b"DF09\x00\n"));
    }

    #[test]
    fn lines_are_numbered_in_the_file_and_hex_errors_point_at_the_digit() {
        let data = b"# c\n\nDF 09 # trailing\nGBCS:DATA#0:2:DF09\nDF0Z\nGBCS:DATA#0:3:DF09\nGBCS:DATA#0:1:DF09\nGBCS:DATA#0:x\n";
        let ls: Vec<Line<'_>> = lines(data).collect();
        assert_eq!(
            ls.iter().map(|l| l.number).collect::<Vec<_>>(),
            [3, 4, 5, 6, 7, 8]
        );
        assert_eq!(message_of(&ls[0]).unwrap(), [0xDF, 0x09]);
        assert_eq!(message_of(&ls[1]).unwrap(), [0xDF, 0x09]);
        let e = message_of(&ls[2]).unwrap_err();
        assert_eq!((e.layer, e.offset), (Layer::Capture, ls[2].at + 3));
        let e = message_of(&ls[3]).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::Truncated {
                needed: 3,
                available: 2,
                ..
            }
        ));
        let e = message_of(&ls[4]).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::TrailingBytes { count: 1 }
        ));
        let e = message_of(&ls[5]).unwrap_err();
        assert_eq!(e.offset, ls[5].at + 12);
    }
}
