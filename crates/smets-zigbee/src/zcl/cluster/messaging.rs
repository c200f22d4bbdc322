//! Messaging 0x0703 in the catalogue (ZigBee SE 1.4 10.5): text messages an
//! ESI or meter shows on an IHD, their cancellation and the consumer's
//! confirmation. The cluster has no attributes; message text is not checked.

use super::{Cluster, Command, Field};
use crate::zcl::DataType::{Bitmap8, CharacterString, OctetString, Uint16, Uint32, UtcTime};

/// Message Control: mask of the Transmission Mode sub-field, bits 0-1
/// (ZigBee SE 1.4 10.5).
pub const TRANSMISSION_MODE_MASK: u8 = 0x03;
/// Transmission Mode: normal transmission only.
pub const TRANSMISSION_NORMAL: u8 = 0x00;
/// Transmission Mode: normal and anonymous Inter-PAN transmission.
pub const TRANSMISSION_NORMAL_AND_INTER_PAN: u8 = 0x01;
/// Transmission Mode: anonymous Inter-PAN transmission only.
pub const TRANSMISSION_INTER_PAN: u8 = 0x02;
/// Message Control: mask of the Importance Level sub-field, bits 2-3
/// (ZigBee SE 1.4 10.5).
pub const IMPORTANCE_LEVEL_MASK: u8 = 0x0c;
/// Importance Level: low.
pub const IMPORTANCE_LOW: u8 = 0x00;
/// Importance Level: medium.
pub const IMPORTANCE_MEDIUM: u8 = 0x01;
/// Importance Level: high.
pub const IMPORTANCE_HIGH: u8 = 0x02;
/// Importance Level: critical.
pub const IMPORTANCE_CRITICAL: u8 = 0x03;
/// Message Control bit 5: Enhanced Confirmation Required (a Message
/// Confirmation with a response is expected; ZigBee SE 1.4 10.5).
pub const ENHANCED_CONFIRMATION_REQUIRED: u8 = 0x20;
/// Message Control bit 7: Message Confirmation Required (ZigBee SE 1.4 10.5).
pub const CONFIRMATION_REQUIRED: u8 = 0x80;
/// Extended Message Control bit 0: Message Confirmation Status, set when the
/// message has been confirmed (ZigBee SE 1.4 10.5).
pub const EXTENDED_CONFIRMATION_STATUS: u8 = 0x01;
/// Message Confirmation Control bit 0: the consumer answered "No"
/// (ZigBee SE 1.4 10.5).
pub const CONFIRMATION_NO_RETURNED: u8 = 0x01;
/// Message Confirmation Control bit 1: the consumer answered "Yes"
/// (ZigBee SE 1.4 10.5).
pub const CONFIRMATION_YES_RETURNED: u8 = 0x02;

/// The Message Control field of Display Message, Display Protected Message
/// and Cancel Message (ZigBee SE 1.4 10.5), read bit by bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MessageControl(pub u8);

impl MessageControl {
    /// The Transmission Mode sub-field (bits 0-1), one of the `TRANSMISSION_*` values.
    #[must_use]
    pub const fn transmission_mode(self) -> u8 {
        self.0 & TRANSMISSION_MODE_MASK
    }

    /// The Importance Level sub-field (bits 2-3), one of the `IMPORTANCE_*` values.
    #[must_use]
    pub const fn importance_level(self) -> u8 {
        (self.0 & IMPORTANCE_LEVEL_MASK) >> 2
    }

    /// Enhanced Confirmation Required (bit 5).
    #[must_use]
    pub const fn enhanced_confirmation_required(self) -> bool {
        self.0 & ENHANCED_CONFIRMATION_REQUIRED != 0
    }

    /// Message Confirmation Required (bit 7).
    #[must_use]
    pub const fn confirmation_required(self) -> bool {
        self.0 & CONFIRMATION_REQUIRED != 0
    }

    /// A Message Control from its sub-fields (the modes are masked to two bits).
    #[must_use]
    pub const fn new(
        transmission_mode: u8,
        importance_level: u8,
        enhanced_confirmation_required: bool,
        confirmation_required: bool,
    ) -> Self {
        let mut v = (transmission_mode & 0x03) | ((importance_level & 0x03) << 2);
        if enhanced_confirmation_required {
            v |= ENHANCED_CONFIRMATION_REQUIRED;
        }
        if confirmation_required {
            v |= CONFIRMATION_REQUIRED;
        }
        Self(v)
    }
}

const MESSAGE_ID: Field = Field::new("message_id", Uint32);
const MESSAGE_CONTROL: Field = Field::new("message_control", Bitmap8);

/// Display Message and Display Protected Message share this payload
/// (ZigBee SE 1.4 10.5); Extended Message Control came
/// with SE 1.2.
const DISPLAY_MESSAGE: &[Field] = &[
    MESSAGE_ID,
    MESSAGE_CONTROL,
    Field::new("start_time", UtcTime),
    Field::new("duration_in_minutes", Uint16),
    Field::new("message", CharacterString),
    Field::new("extended_message_control", Bitmap8).optional(),
];

/// The Messaging cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0703,
    name: "Messaging",
    label: "messaging",
    clause: "ZigBee SE 1.4 10.5",
    attributes: &[],
    client_attributes: &[],
    received: &[
        Command::new(0x00, "Get Last Message", "get_last_message", &[]),
        Command::new(
            0x01,
            "Message Confirmation",
            "message_confirmation",
            &[
                MESSAGE_ID,
                Field::new("confirmation_time", UtcTime),
                // Both trailing fields came with SE 1.2 (enhanced confirmation).
                Field::new("message_confirmation_control", Bitmap8).optional(),
                Field::new("message_response", OctetString).optional(),
            ],
        ),
        Command::new(
            0x02,
            "Get Message Cancellation",
            "get_message_cancellation",
            &[Field::new("earliest_implementation_time", UtcTime)],
        ),
    ],
    generated: &[
        Command::new(0x00, "Display Message", "display_message", DISPLAY_MESSAGE),
        // Later revisions deprecate the Message Control here (sent as 0x00;
        // tshark warns otherwise) but keep its octet on the wire.
        Command::new(
            0x01,
            "Cancel Message",
            "cancel_message",
            &[MESSAGE_ID, MESSAGE_CONTROL],
        ),
        Command::new(
            0x02,
            "Display Protected Message",
            "display_protected_message",
            DISPLAY_MESSAGE,
        ),
        Command::new(
            0x03,
            "Cancel All Messages",
            "cancel_all_messages",
            &[Field::new("implementation_date_time", UtcTime)],
        ),
    ],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use smets_core::Encode;

    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::ZclValue;
    use crate::zcl::cluster::{Arg, ClusterCommand, CommandPayload};

    /// Display Message as checked with tshark 4.0: Message ID 0x12345678,
    /// Message Control 0xa5 (Transmission 1 "Normal and Anonymous Inter-PAN",
    /// Importance 1 "Medium", bit 5 and bit 7 Confirmation Required), Start
    /// Time Feb 14, 2024 05:37:04 UTC (0x2d5f0e00), Duration 30 minutes,
    /// Message "Hello", Extended Message Control 0x01 (Confirmed); plus one
    /// stray octet the decoder must refuse.
    const DISPLAY: [u8; 19] = [
        0x78, 0x56, 0x34, 0x12, 0xa5, 0x00, 0x0e, 0x5f, 0x2d, 0x1e, 0x00, 0x05, b'H', b'e', b'l',
        b'l', b'o', 0x01, 0x00,
    ];

    /// Message Confirmation as checked with tshark 4.0: Message ID
    /// 0x12345678, Confirmation Time Feb 14, 2024 05:41:20 UTC (0x2d5f0f00),
    /// Confirmation Control 0x02 (tshark shows bit 0 clear as "Yes"; SE 1.4
    /// sets bit 1 for a "Yes" answer), Response "OK".
    const CONFIRM: [u8; 12] = [
        0x78, 0x56, 0x34, 0x12, 0x00, 0x0f, 0x5f, 0x2d, 0x02, 0x02, b'O', b'K',
    ];

    fn display() -> &'static [u8] {
        &DISPLAY[..18]
    }

    #[test]
    fn display_message_fields() {
        let c = ClusterCommand::decode(0x0703, Direction::ToClient, 0x00, display())
            .unwrap()
            .unwrap();
        assert_eq!(c.command.label, "display_message");
        let v = |n: &str| c.field(n).unwrap().value;
        assert_eq!(v("message_id").as_u64(), Some(0x1234_5678));
        assert_eq!(v("message_control").as_u64(), Some(0xa5));
        assert_eq!(v("start_time").as_u64(), Some(0x2d5f_0e00));
        assert_eq!(v("duration_in_minutes").as_u64(), Some(30));
        assert_eq!(v("message").as_bytes(), Some(&b"Hello"[..]));
        assert_eq!(v("extended_message_control").as_u64(), Some(1));
        let ctl = MessageControl(0xa5);
        assert_eq!(ctl.transmission_mode(), TRANSMISSION_NORMAL_AND_INTER_PAN);
        assert_eq!(ctl.importance_level(), IMPORTANCE_MEDIUM);
        assert!(ctl.enhanced_confirmation_required());
        assert!(ctl.confirmation_required());
        assert_eq!(MessageControl::new(1, 1, true, true), ctl);
        // A trailing octet beyond the last field is an error.
        assert!(ClusterCommand::decode(0x0703, Direction::ToClient, 0x00, &DISPLAY).is_err());
        // Protected messages share the layout.
        let p = ClusterCommand::decode(0x0703, Direction::ToClient, 0x02, display())
            .unwrap()
            .unwrap();
        assert_eq!(p.command.name, "Display Protected Message");
    }

    #[test]
    fn display_message_truncations() {
        let b = display();
        for n in 0..b.len() {
            let r = ClusterCommand::decode(0x0703, Direction::ToClient, 0x00, &b[..n]);
            // The SE 1.0 form ends after the message.
            assert_eq!(r.is_ok(), n == 17, "{n}");
        }
        let se10 = ClusterCommand::decode(0x0703, Direction::ToClient, 0x00, &b[..17])
            .unwrap()
            .unwrap();
        assert!(se10.field("extended_message_control").is_none());
    }

    #[test]
    fn display_message_encodes() {
        let args = [
            Arg::Zcl(ZclValue::Unsigned(Uint32, 0x1234_5678)),
            Arg::Zcl(ZclValue::Bits(Bitmap8, 0xa5)),
            Arg::Zcl(ZclValue::UtcTime(0x2d5f_0e00)),
            Arg::Zcl(ZclValue::Unsigned(Uint16, 30)),
            Arg::Zcl(ZclValue::CharacterString(Some(b"Hello"))),
            Arg::Zcl(ZclValue::Bits(Bitmap8, 0x01)),
        ];
        let p = CommandPayload::new(&CLUSTER.generated[0], &args);
        let mut out = Vec::new();
        p.encode(&mut out).unwrap();
        assert_eq!(out, display());
        assert_eq!(p.encoded_len(), 18);
        // Without the SE 1.2 field.
        let p = CommandPayload::new(&CLUSTER.generated[0], &args[..5]);
        let mut out = Vec::new();
        p.encode(&mut out).unwrap();
        assert_eq!(out, &display()[..17]);
    }

    #[test]
    fn message_confirmation_fields() {
        let c = ClusterCommand::decode(0x0703, Direction::ToServer, 0x01, &CONFIRM)
            .unwrap()
            .unwrap();
        assert_eq!(c.command.name, "Message Confirmation");
        let v = |n: &str| c.field(n).unwrap().value;
        assert_eq!(v("message_id").as_u64(), Some(0x1234_5678));
        assert_eq!(v("confirmation_time").as_u64(), Some(0x2d5f_0f00));
        assert_eq!(
            v("message_confirmation_control").as_u64(),
            Some(u64::from(CONFIRMATION_YES_RETURNED))
        );
        assert_eq!(v("message_response").as_bytes(), Some(&b"OK"[..]));
        for n in 0..CONFIRM.len() {
            let r = ClusterCommand::decode(0x0703, Direction::ToServer, 0x01, &CONFIRM[..n]);
            assert_eq!(r.is_ok(), n == 8 || n == 9, "{n}");
        }
        let short = ClusterCommand::decode(0x0703, Direction::ToServer, 0x01, &CONFIRM[..8])
            .unwrap()
            .unwrap();
        assert_eq!(short.fields().count(), 2);
    }

    #[test]
    fn cancel_and_requests() {
        let c = ClusterCommand::decode(0x0703, Direction::ToClient, 0x01, &[0x01, 0, 0, 0, 0x80])
            .unwrap()
            .unwrap();
        assert_eq!(c.field("message_id").unwrap().value.as_u64(), Some(1));
        assert!(MessageControl(0x80).confirmation_required());
        let g = ClusterCommand::decode(0x0703, Direction::ToServer, 0x00, &[])
            .unwrap()
            .unwrap();
        assert_eq!(g.command.label, "get_last_message");
        assert!(ClusterCommand::decode(0x0703, Direction::ToServer, 0x00, &[0]).is_err());
        let a = ClusterCommand::decode(0x0703, Direction::ToClient, 0x03, &[1, 2, 3, 4])
            .unwrap()
            .unwrap();
        assert_eq!(
            a.field("implementation_date_time").unwrap().value.as_u64(),
            Some(0x0403_0201)
        );
    }
}
