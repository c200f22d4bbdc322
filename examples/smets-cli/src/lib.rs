//! The `smets` command-line tool as a library: capture readers, GBCS text
//! input, the keys file, the decode driver and the JSON/text renderers, so
//! that fuzz targets and tests reach the same code the binary runs.

#![forbid(unsafe_code)]

pub mod capture;
pub mod coverage;
pub mod decode;
pub mod filter;
pub mod gbcs;
pub mod keys;
pub mod render;
pub mod render_dlms;
pub mod render_gbcs;
pub mod render_gbz;
pub mod render_zcl;
pub mod serde_sink;
pub mod sink;

use core::num::NonZeroUsize;
use std::path::PathBuf;

use clap::ValueEnum;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An indented tree, like `tshark -V`.
    Text,
    /// One JSON array of records.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// Arguments of `smets decode`.
#[derive(Debug, clap::Args)]
pub struct DecodeArgs {
    /// Input files; `-` (or none) reads standard input.
    pub files: Vec<PathBuf>,
    /// Keys file (TOML; see the README).
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// A ZigBee network key, 32 hex digits as Wireshark shows it (repeatable).
    #[arg(long = "key", value_name = "HEX")]
    pub key: Vec<String>,
    /// A ZigBee link key, 32 hex digits (repeatable).
    #[arg(long = "link-key", value_name = "HEX")]
    pub link_key: Vec<String>,
    /// An IEEE 802.15.4 MAC-layer key, 32 hex digits (repeatable).
    #[arg(long = "mac-key", value_name = "HEX")]
    pub mac_key: Vec<String>,
    /// Also try the well-known ZigBeeAlliance09 Trust Center link key.
    #[arg(long)]
    pub well_known_key: bool,
    /// Decode the layers above the MAC of frames whose FCS is wrong.
    #[arg(long)]
    pub decode_bad_fcs: bool,
    /// Decode every input twice, so keys learned late also open earlier frames.
    #[arg(long)]
    pub two_pass: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Show no progress on standard error.
    #[arg(long, short)]
    pub quiet: bool,
    /// Show only GBCS messages of these use cases or message codes
    /// (`ECS17b`, `0x0027`; repeatable or comma-separated).
    #[arg(long = "use-case", value_name = "NAME|CODE")]
    pub use_case: Vec<String>,
    /// How GBCS payloads are shown.
    #[arg(long, value_enum, default_value = "typed")]
    pub payload: filter::PayloadView,
}

/// Options of `smets decode` about how it runs rather than what it reads
/// (kept apart from [`DecodeArgs`], which callers build field by field).
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct RunOptions {
    /// Worker threads for GBCS text input (default: every core); captures
    /// are decoded on one thread, in order.
    #[arg(long, value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
}
