//! `smets decode`: inputs in, records out.

use std::fs;
use std::io::{self, IsTerminal as _, Read as _, Write as _};
use std::path::Path;

use smets_gbcs::security::SecurityContext;
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::{InstallCode, Key128};

use crate::capture::{self, FcsPresence, Record, SecretKind};
use crate::filter::{Show, UseCaseFilter};
use crate::keys::GbcsKeyring;
use crate::sink::{JsonSink, Sink, TextSink, Value};
use crate::{DecodeArgs, Format, RunOptions, gbcs, keys, render};

/// What a run did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Records written.
    pub records: usize,
    /// Records that did not decode.
    pub failed: usize,
}

fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("standard input: {e}"))?;
        Ok(buf)
    } else {
        fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Adds the keys of a keys file (its text) to `ring`.
///
/// # Errors
/// The file does not parse, or an install code is not one.
pub fn add_keys_file(ring: &mut KeyRing, text: &str) -> Result<(), String> {
    add_zigbee_keys(ring, keys::parse(text)?)
}

fn add_zigbee_keys(ring: &mut KeyRing, file: keys::KeysFile) -> Result<(), String> {
    for k in file.zigbee.network_key {
        ring.add_network_key(k.key.0.clone(), k.seq, KeySource::Configured);
    }
    for k in file.zigbee.link_key {
        ring.add_link_key(
            k.key.0.clone(),
            k.partner.map(|a| a.0),
            KeySource::Configured,
        );
    }
    for k in file.zigbee.mac_key {
        ring.add_mac_key(k.key.0.clone());
    }
    for ic in file.zigbee.install_code {
        let code = InstallCode::from_hex(&ic.code)
            .map_err(|e| format!("install code {}: {e}", ic.code))?;
        ring.add_install_code(&code, ic.device.map(|a| a.0));
    }
    Ok(())
}

/// The key ring `smets decode` starts with: the keys file, `--key`,
/// `--link-key` and `--well-known-key`, in that order.
///
/// # Errors
/// An unreadable or malformed keys file, a malformed key or install code.
pub fn key_ring(args: &DecodeArgs) -> Result<KeyRing, String> {
    keys_of(args).map(|(ring, _)| ring)
}

/// The ZigBee key ring (as [`key_ring`]) and the GBCS keys of the keys file.
///
/// # Errors
/// As [`key_ring`], and a `[[gbcs.key]]` that does not load.
pub fn keys_of(args: &DecodeArgs) -> Result<(KeyRing, GbcsKeyring), String> {
    let mut ring = KeyRing::new();
    let mut gbcs = GbcsKeyring::default();
    if let Some(path) = &args.keys {
        let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = keys::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        gbcs = file
            .gbcs
            .load()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        add_zigbee_keys(&mut ring, file).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    for k in &args.mac_key {
        let key =
            Key128::from_hex(k).ok_or("--mac-key takes an IEEE 802.15.4 key of 32 hex digits")?;
        ring.add_mac_key(key);
    }
    for k in &args.key {
        let key = Key128::from_hex(k).ok_or("--key takes a network key of 32 hex digits")?;
        ring.add_network_key(key, None, KeySource::Configured);
    }
    for k in &args.link_key {
        let key = Key128::from_hex(k).ok_or("--link-key takes a link key of 32 hex digits")?;
        ring.add_link_key(key, None, KeySource::Configured);
    }
    if args.well_known_key {
        ring.add_well_known_link_key();
    }
    Ok((ring, gbcs))
}

fn fcs_mode(p: FcsPresence) -> FcsMode {
    match p {
        FcsPresence::Present => FcsMode::Present,
        FcsPresence::Absent | FcsPresence::TiMetadata => FcsMode::Absent,
    }
}

/// The frame bytes the MAC decoder sees: without TI CC24xx metadata, which
/// sits where the FCS would be but is no CRC.
fn mac_bytes<'r>(rec: &'r Record<'_>) -> &'r [u8] {
    let frame: &[u8] = &rec.frame;
    match rec.fcs {
        FcsPresence::TiMetadata => frame
            .get(..frame.len().saturating_sub(2))
            .unwrap_or_default(),
        _ => frame,
    }
}

struct Output<W: io::Write> {
    format: Format,
    out: io::BufWriter<W>,
    json: JsonSink,
    text: TextSink,
    first: bool,
}

impl<W: io::Write> Output<W> {
    fn sink(&mut self) -> &mut dyn Sink {
        match self.format {
            Format::Text => &mut self.text,
            Format::Json | Format::Ndjson => &mut self.json,
        }
    }

    fn start(&mut self, number: usize, file: Option<&str>, rec: Option<&Record<'_>>) {
        match self.format {
            Format::Text => {
                let len = rec.map_or(0, |r| r.frame.len());
                let _ = write!(self.text.out, "Frame {number}: {len} bytes");
                if let Some(f) = file {
                    let _ = write!(self.text.out, " ({f})");
                }
                self.text.out.push(b'\n');
            }
            Format::Json | Format::Ndjson => {
                if self.format == Format::Json {
                    self.json
                        .out
                        .extend_from_slice(if self.first { b"[\n" } else { b",\n" });
                }
                self.json.start_record();
                self.json.field("frame", Value::U64(number as u64));
                if let Some(f) = file {
                    self.json.field("file", Value::Str(f));
                }
            }
        }
        self.first = false;
        if let Some(r) = rec {
            let sink = self.sink();
            if let Some(t) = r.timestamp {
                let s = format!("{}.{:06}", t.as_secs(), t.subsec_micros());
                sink.field("time", Value::Str(&s));
            }
            sink.field("length", Value::U64(r.frame.len() as u64));
            if let Some(c) = r.channel {
                sink.field("channel", Value::U64(c.into()));
            }
        }
    }

    /// Writes records rendered elsewhere ([`gbcs::Rendered`]).
    fn rendered(&mut self, r: &gbcs::Rendered) -> io::Result<()> {
        if r.records == 0 {
            return Ok(());
        }
        let buf = match self.format {
            Format::Text => &mut self.text.out,
            Format::Json | Format::Ndjson => &mut self.json.out,
        };
        if self.format == Format::Json {
            buf.extend_from_slice(if self.first { b"[\n" } else { b",\n" });
        }
        self.first = false;
        buf.extend_from_slice(&r.bytes);
        if buf.len() > 1 << 16 {
            self.out.write_all(buf)?;
            buf.clear();
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        match self.format {
            Format::Text => {
                self.text.out.push(b'\n');
                if self.text.out.len() > 1 << 16 {
                    self.out.write_all(&self.text.out)?;
                    self.text.out.clear();
                }
            }
            Format::Json | Format::Ndjson => {
                self.json.finish_record();
                if self.format == Format::Ndjson {
                    self.json.out.push(b'\n');
                }
                if self.json.out.len() > 1 << 16 {
                    self.out.write_all(&self.json.out)?;
                    self.json.out.clear();
                }
            }
        }
        Ok(())
    }

    fn close(mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.json
                .out
                .extend_from_slice(if self.first { b"[]\n" } else { b"\n]\n" });
        }
        self.out.write_all(&self.text.out)?;
        self.out.write_all(&self.json.out)?;
        self.out.flush()
    }
}

/// Why a run stopped before the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// A usage or I/O error, with its message.
    Failed(String),
    /// Whoever reads the output stopped reading.
    OutputClosed,
}

impl From<String> for RunError {
    fn from(message: String) -> Self {
        Self::Failed(message)
    }
}

impl From<&str> for RunError {
    fn from(message: &str) -> Self {
        Self::Failed(message.to_owned())
    }
}

/// Inputs from this size on show a progress bar (when standard error is a terminal).
const PROGRESS_MIN_BYTES: usize = 1 << 20;

/// A progress bar on standard error.
struct Progress<'n> {
    name: &'n str,
    total: usize,
    shown: usize,
}

impl<'n> Progress<'n> {
    const WIDTH: usize = 40;

    fn new(name: &'n str, total: usize) -> Self {
        Self {
            name,
            total: total.max(1),
            shown: usize::MAX,
        }
    }

    fn update(&mut self, done: usize) {
        let percent = done * 100 / self.total;
        if percent == self.shown {
            return;
        }
        self.shown = percent;
        let filled = done * Self::WIDTH / self.total;
        eprint!(
            "\r{} [{}{}] {percent:3}% {done}/{} records",
            self.name,
            "=".repeat(filled.min(Self::WIDTH)),
            " ".repeat(Self::WIDTH - filled.min(Self::WIDTH)),
            self.total
        );
    }

    fn finish(self) {
        eprintln!();
    }
}

/// Runs `smets decode`.
///
/// # Errors
/// [`RunError::Failed`] for unreadable inputs, keys or output.
pub fn run(args: &DecodeArgs, options: RunOptions) -> Result<Summary, RunError> {
    run_with(args, options, io::stdout().lock())
}

/// Runs `smets decode` with the default [`RunOptions`], writing the records
/// to `out` instead of standard output.
///
/// # Errors
/// As [`run`].
pub fn run_to<W: io::Write>(args: &DecodeArgs, out: W) -> Result<Summary, RunError> {
    run_with(args, RunOptions::default(), out)
}

/// Runs `smets decode` with `run` options, writing the records to `out`.
///
/// # Errors
/// As [`run`].
pub fn run_with<W: io::Write>(
    args: &DecodeArgs,
    run: RunOptions,
    out: W,
) -> Result<Summary, RunError> {
    let (ring, gbcs_keys) = keys_of(args)?;
    let show = Show {
        filter: UseCaseFilter::parse(&args.use_case)?,
        payload: args.payload,
    };
    let filter = &show.filter;
    let workers = gbcs::workers(run.jobs);
    let mut gbcs_ctx = SecurityContext::new(&gbcs_keys.store);
    if let Some(acb) = gbcs_keys.acb {
        gbcs_ctx = gbcs_ctx.with_acb(acb);
    }
    let options = DissectorOptions {
        decode_bad_fcs: args.decode_bad_fcs,
        ..DissectorOptions::default()
    };
    let mut dissector = Dissector::new(ring, options);
    let inputs: Vec<&Path> = if args.files.is_empty() {
        vec![Path::new("-")]
    } else {
        args.files.iter().map(|p| p.as_path()).collect()
    };
    let many = inputs.len() > 1;
    let mut output = Output {
        format: args.format,
        out: io::BufWriter::with_capacity(1 << 16, out),
        json: JsonSink::default(),
        text: TextSink::default(),
        first: true,
    };
    let progress = !args.quiet && io::stderr().is_terminal();
    let mut summary = Summary::default();
    // A closed pipe (`smets decode ... | head`) ends the run quietly.
    let io_err = |e: io::Error| {
        if e.kind() == io::ErrorKind::BrokenPipe {
            RunError::OutputClosed
        } else {
            RunError::Failed(format!("writing output: {e}"))
        }
    };

    for path in inputs {
        let data = read_input(path)?;
        let name = path.display().to_string();
        if gbcs::is_gbcs_text(&data) {
            let file = many.then_some(name.as_str());
            let text_run = gbcs::TextRun {
                file,
                format: args.format,
                keys: &gbcs_keys.store,
                acb: gbcs_keys.acb,
                workers,
                show: &show,
            };
            gbcs::run(&data, &text_run, |r| {
                summary.records += r.records;
                summary.failed += r.failed;
                output.rendered(&r)
            })
            .map_err(io_err)?;
            continue;
        }
        let capture = capture::open(&data).map_err(|e| format!("{name}: {e}"))?;
        for secret in capture.zigbee_secrets() {
            match secret.kind {
                SecretKind::ZigbeeNetworkKey => {
                    dissector
                        .keys
                        .add_network_key(secret.key, None, KeySource::CaptureSecrets);
                }
                _ => {
                    dissector
                        .keys
                        .add_link_key(secret.key, None, KeySource::CaptureSecrets);
                }
            }
        }
        dissector.restart();
        if args.two_pass {
            for rec in capture.records().flatten() {
                let _ = dissector.dissect(mac_bytes(&rec), fcs_mode(rec.fcs));
            }
            dissector.restart();
        }
        let file = many.then_some(name.as_str());
        // Large inputs on a terminal get a progress bar; counting the records
        // first costs a pass of the container reader only.
        let mut bar = (progress && data.len() >= PROGRESS_MIN_BYTES)
            .then(|| Progress::new(&name, capture.records().count()));
        for (i, rec) in capture.records().enumerate() {
            summary.records += 1;
            match rec {
                Ok(rec) => {
                    let d = dissector.dissect(mac_bytes(&rec), fcs_mode(rec.fcs));
                    let message = d.gbcs_tunnel.as_ref().and_then(|t| t.message);
                    if !filter.is_empty() && !message.is_some_and(|m| filter.allows_message(m)) {
                        continue;
                    }
                    output.start(rec.number, file, Some(&rec));
                    let sink = match output.format {
                        Format::Text => &mut output.text as &mut dyn Sink,
                        _ => &mut output.json as &mut dyn Sink,
                    };
                    render::dissection(sink, &d);
                    // A GBCS message the tunnel completed: its own block, and
                    // its decode error when the frame had none.
                    let gbcs_error = d
                        .gbcs_tunnel
                        .as_ref()
                        .and_then(|t| t.message)
                        .and_then(|m| {
                            crate::render_gbcs::message(sink, &mut gbcs_ctx, m, show.payload).err()
                        });
                    let error = d.error.as_ref().or(gbcs_error.as_ref());
                    render::error(sink, error);
                    if error.is_some() {
                        summary.failed += 1;
                    }
                }
                Err(e) => {
                    output.start(e.number, file, None);
                    render::error(output.sink(), Some(&e.error));
                    summary.failed += 1;
                }
            }
            output.finish().map_err(io_err)?;
            if let Some(bar) = &mut bar {
                bar.update(i + 1);
            }
        }
        if let Some(bar) = bar {
            bar.finish();
        }
    }
    output.close().map_err(io_err)?;
    Ok(summary)
}
