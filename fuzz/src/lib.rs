//! Shared pieces of the fuzz targets and the seed writer: the key ring of the
//! public vectors and of the project's own capture, and the framing that packs several 802.15.4 frames into one
//! fuzz input.

use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

/// Network keys of the public captures (control4, zigator).
pub const NETWORK_KEYS: [[u8; 16]; 3] = [
    [
        0x26, 0x54, 0x6b, 0x72, 0x3b, 0x39, 0x6a, 0x72, 0x7b, 0x5d, 0x52, 0x71, 0x51, 0x7d, 0x39,
        0x2f,
    ],
    [0x11; 16],
    [0x22; 16],
];

/// Link keys of the public captures: zigator's configured keys and the two
/// derived from its install codes.
pub const LINK_KEYS: [[u8; 16]; 4] = [
    [0x33; 16],
    [0x44; 16],
    [
        0x3c, 0x60, 0x47, 0xf3, 0xc5, 0x5c, 0x8c, 0x82, 0x90, 0xa5, 0x83, 0x9c, 0x21, 0x3b, 0x67,
        0x14,
    ],
    [
        0x86, 0x5e, 0xb4, 0x52, 0x95, 0x14, 0x20, 0x55, 0x2e, 0x9f, 0xdb, 0xb3, 0xf1, 0x66, 0x42,
        0xea,
    ],
];

/// The MAC key of the IEEE 802.15.4-2006 Annex C example (killerbee's
/// encrypted sample).
pub const MAC_KEY: [u8; 16] = [
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
];

/// The key ring every dissecting target and the seed writer use.
#[must_use]
pub fn key_ring() -> KeyRing {
    let mut keys = KeyRing::new();
    for k in NETWORK_KEYS {
        keys.add_network_key(Key128::new(k), None, KeySource::Configured);
    }
    for k in LINK_KEYS {
        keys.add_link_key(Key128::new(k), None, KeySource::Configured);
    }
    keys.add_well_known_link_key();
    keys.add_mac_key(Key128::new(MAC_KEY));
    // The project's own capture: its install codes and link keys open the
    // Smart Energy and tunnel traffic the seeds carry.
    if let Err(e) = smets_cli::decode::add_keys_file(&mut keys, HAN_DEMO_KEYS) {
        panic!("han-demo.keys.toml: {e}");
    }
    keys
}

/// The keys file of `test-vectors/captures/han-demo.pcapng` (test keys).
pub const HAN_DEMO_KEYS: &str = include_str!("../../test-vectors/captures/han-demo.keys.toml");

/// The project's own capture, `test-vectors/captures/han-demo.pcapng`.
pub const HAN_DEMO_CAPTURE: &[u8] = include_bytes!("../../test-vectors/captures/han-demo.pcapng");

/// A dissector holding [`key_ring`].
#[must_use]
pub fn dissector() -> Dissector {
    Dissector::new(key_ring(), DissectorOptions::default())
}

/// The FCS mode a selector byte names: odd means the frame ends with an FCS.
#[must_use]
pub fn fcs_mode(selector: u8) -> FcsMode {
    if selector & 1 == 1 {
        FcsMode::Present
    } else {
        FcsMode::Absent
    }
}

/// Bit 7 of a frame's length byte: the frame ends with an FCS.
const FCS_FLAG: u8 = 0x80;

/// Splits a fuzz input into frames: each frame is a length byte (bits 0-6:
/// length, bit 7: FCS present) and that many bytes; a short last frame takes
/// what is left.
pub fn frames(mut data: &[u8]) -> impl Iterator<Item = (&[u8], FcsMode)> {
    core::iter::from_fn(move || {
        let (&head, rest) = data.split_first()?;
        let len = usize::from(head & !FCS_FLAG).min(rest.len());
        let (frame, rest) = rest.split_at(len);
        data = rest;
        let fcs = if head & FCS_FLAG != 0 {
            FcsMode::Present
        } else {
            FcsMode::Absent
        };
        Some((frame, fcs))
    })
}

/// Appends one frame in the layout [`frames`] reads; `None` for a frame
/// longer than 127 bytes.
pub fn push_frame(out: &mut Vec<u8>, frame: &[u8], fcs: FcsMode) -> Option<()> {
    let len = u8::try_from(frame.len()).ok().filter(|&n| n < FCS_FLAG)?;
    out.push(len | if fcs == FcsMode::Present { FCS_FLAG } else { 0 });
    out.extend_from_slice(frame);
    Some(())
}
