//! The ZigBee Smart Energy Home Area Network, byte by byte.
//!
//! Zero-copy decoders and matching encoders for every layer a GB HAN frame
//! crosses below the ZCL payload:
//!
//! | module | layer | specification |
//! | --- | --- | --- |
//! | [`mac`] | IEEE 802.15.4 MAC: frames, beacons, MAC commands, MAC security | IEEE 802.15.4-2015 clause 7 (2003/2006 frame versions included) |
//! | [`nwk`] | ZigBee NWK header, NWK commands, ZigBee beacon payload | ZigBee R22 (05-3474-22) 3.3, 3.4, 3.6.7 |
//! | [`security`] | auxiliary security header, CCM*, key hashing, install codes | ZigBee R22 4.5, Annex A and B; ZigBee SE 1.4 5.4.8.1 |
//! | [`aps`] | ZigBee APS data, command and ack frames, APS commands, fragmentation | ZigBee R22 2.2.5, 4.4 |
//! | [`zdp`] | ZigBee Device Profile requests and responses | ZigBee R22 2.4 |
//! | [`zcl`] | ZCL general frame header | ZCL rev. 8 (07-5123-08) 2.4 |
//! | [`dissector`] | a frame through every layer, with a key ring and state | — |
//!
//! Every decoder borrows variable parts from its input and holds fixed fields
//! by value; no decoder allocates, and none panics on any input: lengths are
//! checked through [`smets_core::Reader`] before bytes are read, and a failure
//! is a [`DecodeError`] naming the layer and byte offset.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod aps;
mod bounded;
pub mod dissector;
pub mod mac;
pub mod nwk;
pub mod security;
pub mod zcl;
pub mod zdp;

pub use smets_core::{Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Eui64, Layer};
