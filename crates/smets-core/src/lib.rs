//! Shared building blocks of the smets protocol stack.
//!
//! This crate holds what every codec crate needs and nothing protocol-specific:
//! the [`Decode`] and [`Encode`] traits, the bounded [`Reader`] every decoder is
//! written with, structured [`DecodeError`]/[`EncodeError`] values that name the
//! layer and the byte offset, the IEEE [`Eui64`] address and the CRC-16 variants
//! used by IEEE 802.15.4 and ZigBee install codes.
//!
//! # No-panic contract
//! Every decoder in the stack reads its input through a [`Reader`], whose
//! accessors check the length before they touch the buffer and return a
//! [`DecodeError`] otherwise. A decoder therefore never indexes out of bounds,
//! never allocates in proportion to an untrusted length, and never panics.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod ber;
mod codec;
pub mod crc;
mod error;
mod eui64;
mod open_enum;
mod reader;
pub mod time;

pub use bytes::BufMut;
pub use codec::{Decode, Encode, ensure_room};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, Layer};
pub use eui64::{Eui64, ParseEui64Error};
pub use reader::Reader;
