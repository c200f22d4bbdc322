//! `smets`: decode GB smart metering captures.
//!
//! `smets decode [FILE|-]...` reads ZigBee sniffer captures (pcap, pcapng,
//! Daintree SNA text, hex lines) and GBCS messages (hex lines), walks every
//! frame through the HAN layers and checks every GBCS message with the keys
//! it is given, and prints each record as text, JSON or NDJSON.
//! A record that does not decode is reported in its own record and decoding
//! goes on. Exit status: 0 when every record decoded, 1 when some did not,
//! 2 on a usage or I/O error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use smets_cli::{DecodeArgs, RunOptions, decode};

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
    /// Daintree SNA text or hex lines, and GBCS messages one a line (hex or
    /// GBCS:DATA#0:<length>:<hex>), detected from the content.
    Decode {
        /// What to read.
        #[command(flatten)]
        args: DecodeArgs,
        /// How to run.
        #[command(flatten)]
        run: RunOptions,
    },
    /// Print the ZCL cluster catalogue (every cluster, attribute count and
    /// command, by direction) as a Markdown table.
    Clusters,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Clusters => {
            print!("{}", smets_cli::coverage::markdown());
            ExitCode::SUCCESS
        }
        Command::Decode { args, run } => match decode::run(&args, run) {
            Ok(decode::Summary { failed: 0, .. }) => ExitCode::SUCCESS,
            Ok(_) => ExitCode::from(1),
            Err(decode::RunError::OutputClosed) => ExitCode::SUCCESS,
            Err(decode::RunError::Failed(e)) => {
                eprintln!("smets: {e}");
                ExitCode::from(2)
            }
        },
    }
}
