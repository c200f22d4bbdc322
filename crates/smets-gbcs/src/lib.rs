//! GBCS messages (Great Britain Companion Specification): the envelope that
//! carries every SMETS2 command, response and alert between a remote party
//! and a device, its cryptography, the keys it needs, the catalogue of
//! message codes, and the payloads: DLMS (through smets-dlms), GBZ
//! ([`gbz`]) and DER ([`asn1`]) as lossless structures ([`payload`]) and as
//! typed use cases ([`usecase`]).
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod asn1;
pub mod catalogue;
pub mod crypto;
pub mod envelope;
pub mod gbz;
pub mod key;
pub mod keys;
pub mod payload;
pub mod protected;
pub mod security;
pub mod usecase;

pub use key::{KeyRef, KeyStore, KeyUsage, PrivateKey, PublicKey, RemotePartyRole};
