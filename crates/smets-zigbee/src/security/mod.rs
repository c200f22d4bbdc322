//! ZigBee NWK and APS security (ZigBee R22 4.5): the auxiliary security
//! header, CCM* with the ZigBee nonce, key hashing and install codes.
//!
//! The 802.15.4 MAC-layer security header, which orders its nonce differently,
//! lives in [`crate::mac::security`]. CBKE (the SE Key Establishment cluster)
//! is out of scope: its result, a link key, is taken as input.

mod aux;
mod ccm_star;
mod hash;
mod key;

pub use aux::{AuxHeader, KeyIdentifier, SecurityControl, SecurityLevel};
pub use ccm_star::{AuthenticationFailed, CcmStar, Mic};

pub use hash::{
    InstallCode, InstallCodeError, hmac_mmo, key_load_key, key_transport_key, mmo_hash,
    verify_key_hash,
};
pub use key::Key128;
