//! DLMS/COSEM as GB smart metering uses it (IEC 62056-6-2, IEC 62056-5-3,
//! the DLMS Blue Book): A-XDR data and the xDLMS APDUs that GBCS messages
//! carry.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod apdu;
pub mod axdr;
pub mod compact;
pub mod cosem;
