//! A GBCS payload decoded by its family (GBCS 7.2.3): the xDLMS APDU of a
//! DLMS payload, the header and components of a GBZ payload, the TLV tree
//! of a DER payload. The first byte chooses the family; the message code
//! and CRA flag choose a use case's meaning ([`crate::usecase`]).

use smets_core::{Decode, DecodeError};
use smets_dlms::apdu::XdlmsApdu;

use crate::asn1::{self, Tlv};
use crate::catalogue::PayloadFamily;
use crate::envelope::CraFlag;
use crate::gbz::GbzPayload;

/// A payload read as its family's lossless structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload<'a> {
    /// An access-request, access-response or data-notification.
    Dlms(XdlmsApdu<'a>),
    /// A GBZ payload: components, or an alert's content.
    Gbz(GbzPayload<'a>),
    /// An ASN.1 DER structure.
    Der(Tlv<'a>),
}

impl<'a> Payload<'a> {
    /// Decodes `content` (the bytes between the grouping header and the
    /// signature) of a message with CRA flag `cra`, which tells a GBZ
    /// alert's header from a command's or response's.
    ///
    /// # Errors
    /// The family decoder's error, its offset in `content`; empty content
    /// is truncated.
    pub fn decode(content: &'a [u8], cra: CraFlag) -> Result<Self, DecodeError> {
        match crate::envelope::payload_family(content) {
            Some(PayloadFamily::Dlms) => XdlmsApdu::decode(content).map(Self::Dlms),
            Some(PayloadFamily::Gbz) => GbzPayload::decode_as(content, cra).map(Self::Gbz),
            _ => asn1::walk(content).map(Self::Der),
        }
    }

    /// The family.
    #[must_use]
    pub const fn family(&self) -> PayloadFamily {
        match self {
            Self::Dlms(_) => PayloadFamily::Dlms,
            Self::Gbz(_) => PayloadFamily::Gbz,
            Self::Der(_) => PayloadFamily::Der,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn each_family_by_its_first_byte() {
        // ECS52 command (DLMS), GCS13a command (GBZ), CS06 response (DER).
        let dlms = [
            0xD9, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
            0x01, 0xFF, 0x02, 0x01, 0x00,
        ];
        let gbz = [
            0x01, 0x09, 0x01, 0x01, 0x07, 0x02, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x02, 0x03, 0x01,
            0x03, 0x00, 0x03, 0x00, 0x00,
        ];
        let der = [
            0x30, 0x09, 0x02, 0x01, 0x00, 0x04, 0x04, 0x01, 0x23, 0xAB, 0xCE,
        ];
        let p = Payload::decode(&dlms, CraFlag::Command).unwrap();
        assert!(matches!(p, Payload::Dlms(XdlmsApdu::AccessRequest(_))));
        let p = Payload::decode(&gbz, CraFlag::Command).unwrap();
        assert_eq!(p.family(), PayloadFamily::Gbz);
        let Payload::Gbz(g) = p else { panic!() };
        assert_eq!(g.components().count(), 1);
        let p = Payload::decode(&der, CraFlag::Response).unwrap();
        let Payload::Der(t) = p else { panic!() };
        assert_eq!(t.children().count(), 2);
        assert!(Payload::decode(&[], CraFlag::Response).is_err());
        assert!(Payload::decode(&dlms[..10], CraFlag::Command).is_err());
        // A GBZ command is not an alert.
        assert!(Payload::decode(&gbz, CraFlag::Alert).is_err());
    }
}
