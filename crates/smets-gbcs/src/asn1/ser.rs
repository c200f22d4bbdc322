//! JSON forms (serde) of the DER payload types: code points as their
//! snake_case labels (the number when unnamed), octet strings and
//! certificates as upper-case hex, lists as arrays, and the generic tree as
//! nested objects. Nothing here decodes.

use core::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::credentials::{
    CpvChecks, CredentialsReplacementMode, IssueCredentialsError, ProvideDeviceCertificateError,
    SeqNumberUsage, UpdateDeviceCertificateCode,
};
use super::firmware::{
    ActivateFirmwareCode, FirmwareActivationResult, FirmwareTransferCode, ReadFirmwareCode,
};
use super::gpf::DeviceTimeStatus;
use super::join::{JoinMethodAndRole, JoinResponseCode, ReadJoinDetailsCode, UnjoinResponseCode};
use super::{
    CellUsage, CertificateDer, CertificationRequestDer, DerValue, DeviceType, KeyUsageBits,
    RemotePartyRole, SeqOf, StatusCode, Tlv,
};

struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

/// An octet string as upper-case hex.
pub(crate) fn hex<S: Serializer>(b: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&Hex(b))
}

/// An optional octet string as upper-case hex or null.
pub(crate) fn hex_opt<S: Serializer>(b: &Option<&[u8]>, s: S) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => s.collect_str(&Hex(b)),
        None => s.serialize_none(),
    }
}

macro_rules! labelled {
    ($($t:ty),* $(,)?) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.label() {
                    Some(l) => s.serialize_str(l),
                    None => s.serialize_u64(u64::from(self.value())),
                }
            }
        }
    )*};
}

labelled!(
    RemotePartyRole,
    DeviceType,
    CellUsage,
    StatusCode,
    CredentialsReplacementMode,
    SeqNumberUsage,
    CpvChecks,
    IssueCredentialsError,
    UpdateDeviceCertificateCode,
    ProvideDeviceCertificateError,
    JoinMethodAndRole,
    JoinResponseCode,
    UnjoinResponseCode,
    ReadJoinDetailsCode,
    ActivateFirmwareCode,
    ReadFirmwareCode,
    FirmwareActivationResult,
    FirmwareTransferCode,
    DeviceTimeStatus,
);

impl Serialize for KeyUsageBits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.label() {
            Some(l) => s.serialize_str(l),
            None => s.serialize_u16(self.0),
        }
    }
}

impl<'a, T: DerValue<'a> + Copy + Serialize> Serialize for SeqOf<'a, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Serialize for CertificateDer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(self.der))
    }
}

impl Serialize for CertificationRequestDer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(self.der))
    }
}

struct Children<'a>(Tlv<'a>);

impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.children().flatten())
    }
}

/// `{"tag", "offset", "header", "value"}` for a primitive element,
/// `"children"` in place of `"value"` for a constructed one.
impl Serialize for Tlv<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Tlv", 4)?;
        st.serialize_field("tag", &format_args!("{}", self.tag()))?;
        st.serialize_field("offset", &self.offset())?;
        st.serialize_field("header", &format_args!("{}", Hex(self.header())))?;
        if self.tag().constructed {
            st.serialize_field("children", &Children(*self))?;
        } else {
            st.serialize_field("value", &format_args!("{}", Hex(self.value())))?;
        }
        st.end()
    }
}
