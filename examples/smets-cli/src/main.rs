//! `smets`: decode GB smart metering captures.
//!
//! `smets decode [FILE|-]...` reads ZigBee sniffer captures (pcap, pcapng,
//! Daintree SNA text, hex lines), walks every frame through the HAN layers
//! with the keys it is given, and prints each record as text, JSON or NDJSON.
//! A record that does not decode is reported in its own record and decoding
//! goes on. Exit status: 0 when every record decoded, 1 when some did not,
//! 2 on a usage or I/O error.

mod capture;
mod decode;
mod keys;
mod render;
mod sink;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Decode GB smart metering captures and messages.
#[derive(Debug, Parser)]
#[command(name = "smets", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode captures: pcap/pcapng (802.15.4 with or without FCS, TAP, ZEP over UDP),
    /// Daintree SNA text or hex lines, detected from the content.
    Decode(DecodeArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// An indented tree, like `tshark -V`.
    Text,
    /// One JSON array of records.
    Json,
    /// One JSON object per line.
    Ndjson,
}

#[derive(Debug, clap::Args)]
struct DecodeArgs {
    /// Input files; `-` (or none) reads standard input.
    files: Vec<PathBuf>,
    /// Keys file (TOML; see the README).
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
    /// A ZigBee network key, 32 hex digits as Wireshark shows it (repeatable).
    #[arg(long = "key", value_name = "HEX")]
    key: Vec<String>,
    /// A ZigBee link key, 32 hex digits (repeatable).
    #[arg(long = "link-key", value_name = "HEX")]
    link_key: Vec<String>,
    /// Also try the well-known ZigBeeAlliance09 Trust Center link key.
    #[arg(long)]
    well_known_key: bool,
    /// Decode every input twice, so keys learned late also open earlier frames.
    #[arg(long)]
    two_pass: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Show no progress on standard error.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Decode(args) => match decode::run(&args) {
            Ok(decode::Summary { failed: 0, .. }) => ExitCode::SUCCESS,
            Ok(_) => ExitCode::from(1),
            Err(e) => {
                eprintln!("smets: {e}");
                ExitCode::from(2)
            }
        },
    }
}
