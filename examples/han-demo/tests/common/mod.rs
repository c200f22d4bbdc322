//! Shared by the han-demo tests: where the committed files are, and the key
//! ring `smets decode --keys` builds from the committed keys file.
#![allow(dead_code)]

use std::path::PathBuf;

use smets_cli::{DecodeArgs, Format};
use smets_zigbee::dissector::KeyRing;

/// `test-vectors/captures` in the checkout.
pub fn captures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/captures")
}

/// The committed capture.
pub fn capture_path() -> PathBuf {
    captures_dir().join(han_demo::CAPTURE_FILE)
}

/// The committed keys file.
pub fn keys_path() -> PathBuf {
    captures_dir().join(han_demo::KEYS_FILE)
}

/// The arguments of `smets decode --keys han-demo.keys.toml --format FORMAT han-demo.pcapng`.
pub fn decode_args(format: Format) -> DecodeArgs {
    DecodeArgs {
        files: vec![capture_path()],
        keys: Some(keys_path()),
        key: Vec::new(),
        link_key: Vec::new(),
        mac_key: Vec::new(),
        well_known_key: false,
        decode_bad_fcs: false,
        two_pass: false,
        format,
        quiet: true,
        use_case: Vec::new(),
        payload: smets_cli::filter::PayloadView::Typed,
    }
}

/// The key ring `smets decode` builds from the committed keys file.
pub fn key_ring() -> KeyRing {
    smets_cli::decode::key_ring(&decode_args(Format::Ndjson)).expect("keys file reads")
}
