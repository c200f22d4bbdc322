//! Time 0x000A in the catalogue (ZCL rev. 8 3.12): UTC and local time, time
//! zone and daylight saving, and how trustworthy the clock is. The cluster
//! has no commands; values are read with the foundation commands.

use super::{Attribute, Cluster};
use crate::zcl::DataType::{Bitmap8, Int32, Uint32, UtcTime};

/// TimeStatus bit: this server is a master clock for the network (ZCL rev. 8 3.12.2.2.2).
pub const TIME_STATUS_MASTER: u8 = 0x01;
/// TimeStatus bit: Time was set over the network to a master clock's value
/// (ZCL rev. 8 3.12.2.2.2).
pub const TIME_STATUS_SYNCHRONIZED: u8 = 0x02;
/// TimeStatus bit: TimeZone, DstStart, DstEnd and DstShift are set by a
/// master and not writable (ZCL rev. 8 3.12.2.2.2).
pub const TIME_STATUS_MASTER_ZONE_DST: u8 = 0x04;
/// TimeStatus bit: this master's time supersedes that of other masters
/// with a lower ranking (ZCL rev. 8 3.12.2.2.2; ZigBee SE 1.4 uses it to
/// prefer the ESI).
pub const TIME_STATUS_SUPERSEDING: u8 = 0x08;

/// The Time cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x000a,
    name: "Time",
    label: "time",
    clause: "ZCL rev. 8 3.12",
    attributes: &[
        Attribute::new(0x0000, "Time", UtcTime),
        Attribute::new(0x0001, "TimeStatus", Bitmap8),
        Attribute::new(0x0002, "TimeZone", Int32),
        Attribute::new(0x0003, "DstStart", Uint32),
        Attribute::new(0x0004, "DstEnd", Uint32),
        Attribute::new(0x0005, "DstShift", Int32),
        Attribute::new(0x0006, "StandardTime", Uint32),
        Attribute::new(0x0007, "LocalTime", Uint32),
        Attribute::new(0x0008, "LastSetTime", UtcTime),
        Attribute::new(0x0009, "ValidUntilTime", UtcTime),
    ],
    client_attributes: &[],
    received: &[],
    generated: &[],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use smets_core::Decode;

    use super::*;
    use crate::zcl::ZclFrame;
    use crate::zcl::foundation::FoundationCommand;
    use crate::zcl::types::ZclValue;

    #[test]
    fn read_response_names_time_and_status() {
        // Read Attributes Response from a time server, checked with tshark
        // 4.0: Time "UTC: Feb  3, 2023 05:45:52 UTC" (0x2b6f5c10) and Time
        // Status 0x0b "Master, Synchronized, Superseded".
        let zcl = [
            0x18, 0x07, 0x01, // frame control (to client), seq, read response
            0x00, 0x00, 0x00, 0xe2, 0x10, 0x5c, 0x6f, 0x2b, // Time
            0x01, 0x00, 0x00, 0x18, 0x0b, // TimeStatus
        ];
        let frame = ZclFrame::decode(&zcl).unwrap();
        let Some(Ok(FoundationCommand::ReadAttributesResponse(recs))) = frame.foundation() else {
            panic!("read attributes response");
        };
        let recs: alloc::vec::Vec<_> = recs.iter().map(Result::unwrap).collect();
        assert_eq!(recs.len(), 2);
        let time = CLUSTER.attribute(false, recs[0].id).unwrap();
        assert_eq!(time.spec.name, "Time");
        assert_eq!(recs[0].value, Some(ZclValue::UtcTime(0x2b6f_5c10)));
        assert_eq!(time.spec.data_type, UtcTime);
        let status = CLUSTER.attribute(false, recs[1].id).unwrap();
        assert_eq!(status.spec.name, "TimeStatus");
        let Some(ZclValue::Bits(Bitmap8, bits)) = recs[1].value else {
            panic!("bitmap8");
        };
        let bits = u8::try_from(bits).unwrap();
        assert_eq!(
            bits,
            TIME_STATUS_MASTER | TIME_STATUS_SYNCHRONIZED | TIME_STATUS_SUPERSEDING
        );
        assert_eq!(bits & TIME_STATUS_MASTER_ZONE_DST, 0);
    }

    #[test]
    fn attribute_types() {
        let zone = CLUSTER.attribute(false, 0x0002).unwrap();
        assert_eq!((zone.spec.name, zone.spec.data_type), ("TimeZone", Int32));
        let until = CLUSTER.attribute(false, 0x0009).unwrap();
        assert_eq!(until.spec.name, "ValidUntilTime");
        assert!(CLUSTER.attribute(false, 0x000a).is_none());
        assert!(CLUSTER.received.is_empty() && CLUSTER.generated.is_empty());
    }
}
