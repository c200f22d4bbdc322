//! DLMS/COSEM as GB smart metering uses it (IEC 62056-6-2, IEC 62056-5-3,
//! the DLMS Blue Book): A-XDR data (compact arrays included), the xDLMS
//! APDUs GBCS messages carry (access-request and -response,
//! data-notification), the get, set and action services and the ciphered
//! APDU framing a SMETS1 adapter meets, and COSEM names and date-times.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod apdu;
pub mod axdr;
pub mod ciphering;
pub mod compact;
pub mod cosem;
pub mod xdlms;
