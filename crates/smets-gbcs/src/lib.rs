//! GBCS messages (Great Britain Companion Specification): the envelope that
//! carries every SMETS2 command, response and alert between a remote party
//! and a device, and the catalogue of message codes.
//!
//! The cryptography (the KDF, GMAC, payload encryption, ECDSA) and the key
//! store come next; this crate reads and writes the bytes around them.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod catalogue;
pub mod envelope;
