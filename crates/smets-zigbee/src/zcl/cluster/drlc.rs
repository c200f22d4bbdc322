//! Demand Response and Load Control 0x0701 in the catalogue (ZigBee SE 1.4
//! 10.3, tables of annex D.2): client attributes, the load control events and
//! the status reports. It does not schedule events nor check the signature.

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Bitmap8, Bitmap16, Enum8, Int8, Int16, Uint8, Uint16, Uint32, UtcTime};

/// Device Class bit: HVAC compressor or furnace (ZigBee SE 1.4 table D-2).
pub const DEVICE_CLASS_HVAC: u16 = 1 << 0;
/// Device Class bit: strip heaters, baseboard heaters.
pub const DEVICE_CLASS_STRIP_HEATER: u16 = 1 << 1;
/// Device Class bit: water heater.
pub const DEVICE_CLASS_WATER_HEATER: u16 = 1 << 2;
/// Device Class bit: pool pump, spa, jacuzzi.
pub const DEVICE_CLASS_POOL_PUMP: u16 = 1 << 3;
/// Device Class bit: smart appliances.
pub const DEVICE_CLASS_SMART_APPLIANCE: u16 = 1 << 4;
/// Device Class bit: irrigation pump.
pub const DEVICE_CLASS_IRRIGATION_PUMP: u16 = 1 << 5;
/// Device Class bit: managed commercial and industrial loads.
pub const DEVICE_CLASS_MANAGED_CI_LOAD: u16 = 1 << 6;
/// Device Class bit: simple miscellaneous (residential on/off) loads.
pub const DEVICE_CLASS_SIMPLE_MISC_LOAD: u16 = 1 << 7;
/// Device Class bit: exterior lighting.
pub const DEVICE_CLASS_EXTERIOR_LIGHTING: u16 = 1 << 8;
/// Device Class bit: interior lighting.
pub const DEVICE_CLASS_INTERIOR_LIGHTING: u16 = 1 << 9;
/// Device Class bit: electric vehicle.
pub const DEVICE_CLASS_ELECTRIC_VEHICLE: u16 = 1 << 10;
/// Device Class bit: generation systems.
pub const DEVICE_CLASS_GENERATION_SYSTEM: u16 = 1 << 11;

/// Device Class bit names, bit number first (ZigBee SE 1.4 table D-2).
pub const DEVICE_CLASS_BITS: &[(u8, &str)] = &[
    (0, "hvac_compressor_or_furnace"),
    (1, "strip_heater_baseboard_heater"),
    (2, "water_heater"),
    (3, "pool_pump_spa_jacuzzi"),
    (4, "smart_appliance"),
    (5, "irrigation_pump"),
    (6, "managed_commercial_industrial_load"),
    (7, "simple_misc_load"),
    (8, "exterior_lighting"),
    (9, "interior_lighting"),
    (10, "electric_vehicle"),
    (11, "generation_system"),
];

/// Event Control bit of Load Control Event and Report Event Status: randomize
/// the start time (ZigBee SE 1.4 table D-4).
pub const EVENT_CONTROL_RANDOMIZE_START: u8 = 0x01;
/// Event Control bit: randomize the end time.
pub const EVENT_CONTROL_RANDOMIZE_END: u8 = 0x02;
/// Cancel Control bit of the cancel commands: end gracefully, applying the
/// randomization of the event's end (ZigBee SE 1.4 D.2.2.4.2.1).
pub const CANCEL_CONTROL_GRACEFUL: u8 = 0x01;

/// Criticality Level names (ZigBee SE 1.4 table D-3); 0x0a-0x0f are utility defined.
pub const CRITICALITY_LEVEL: &[(u64, &str)] = &[
    (0x01, "green"),
    (0x02, "level_1"),
    (0x03, "level_2"),
    (0x04, "level_3"),
    (0x05, "level_4"),
    (0x06, "level_5"),
    (0x07, "emergency"),
    (0x08, "planned_outage"),
    (0x09, "service_disconnect"),
];

/// Event Status names of Report Event Status (ZigBee SE 1.4 table D-8).
pub const EVENT_STATUS: &[(u64, &str)] = &[
    (0x01, "load_control_event_command_received"),
    (0x02, "event_started"),
    (0x03, "event_completed"),
    (0x04, "user_opted_out"),
    (0x05, "user_opted_in"),
    (0x06, "event_cancelled"),
    (0x07, "event_superseded"),
    (0x08, "event_partially_completed_with_user_opt_out"),
    (0x09, "event_partially_completed_due_to_user_opt_in"),
    (0x0a, "event_completed_no_user_participation"),
    (0xf8, "rejected_invalid_cancel_command_default"),
    (
        0xf9,
        "rejected_invalid_cancel_command_invalid_effective_time",
    ),
    (0xfb, "rejected_event_expired"),
    (0xfd, "rejected_invalid_cancel_command_undefined_event"),
    (0xfe, "load_control_event_command_rejected"),
];

/// Signature Type names of Report Event Status (ZigBee SE 1.4 D.2.3.3.1.1).
pub const SIGNATURE_TYPE: &[(u64, &str)] = &[(0x00, "no_signature"), (0x01, "ecdsa")];

/// Length of the Report Event Status signature: an ECDSA signature (r, s)
/// over sect163k1, 21 octets each (ZigBee SE 1.4 D.2.3.3.1.1).
pub const SIGNATURE_LEN: usize = 42;

/// The names of the Device Class bits set in `bits` (bits without a name are skipped).
pub fn device_classes(bits: u16) -> impl Iterator<Item = &'static str> {
    DEVICE_CLASS_BITS
        .iter()
        .filter(move |(bit, _)| bits & (1u16 << bit) != 0)
        .map(|(_, name)| *name)
}

const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const DEVICE_CLASS: Field = Field::new("device_class", Bitmap16);
const UTILITY_ENROLLMENT_GROUP: Field = Field::new("utility_enrollment_group", Uint8);
const CANCEL_CONTROL: Field = Field::new("cancel_control", Bitmap8);

/// The Demand Response and Load Control cluster. The server has no attributes.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0701,
    name: "Demand Response and Load Control",
    label: "drlc",
    clause: "ZigBee SE 1.4 10.3",
    attributes: &[],
    // ZigBee SE 1.4 table D-10.
    client_attributes: &[
        Attribute::new(0x0000, "UtilityEnrollmentGroup", Uint8),
        Attribute::new(0x0001, "StartRandomizationMinutes", Uint8),
        Attribute::new(0x0002, "DurationRandomizationMinutes", Uint8),
        Attribute::new(0x0003, "DeviceClassValue", Bitmap16),
    ],
    received: &[
        // The set points applied are unsigned here but signed in Load Control
        // Event: SE 1.4 gives them so (0x8000 "not used" either way).
        Command::new(
            0x00,
            "Report Event Status",
            "report_event_status",
            &[
                ISSUER_EVENT_ID,
                Field::new("event_status", Uint8).values(EVENT_STATUS),
                Field::new("event_status_time", UtcTime),
                Field::new("criticality_level_applied", Uint8).values(CRITICALITY_LEVEL),
                Field::new("cooling_temperature_set_point_applied", Uint16),
                Field::new("heating_temperature_set_point_applied", Uint16),
                Field::new("average_load_adjustment_percentage_applied", Int8),
                Field::new("duty_cycle_applied", Uint8),
                Field::new("event_control", Bitmap8),
                Field::new("signature_type", Enum8).values(SIGNATURE_TYPE),
                Field::octets("signature", SIGNATURE_LEN),
            ],
        ),
        // Issuer Event ID came with SE 1.2; SE 1.1 requests end before it.
        Command::new(
            0x01,
            "Get Scheduled Events",
            "get_scheduled_events",
            &[
                Field::new("start_time", UtcTime),
                Field::new("number_of_events", Uint8),
                ISSUER_EVENT_ID.optional(),
            ],
        ),
    ],
    generated: &[
        Command::new(
            0x00,
            "Load Control Event",
            "load_control_event",
            &[
                ISSUER_EVENT_ID,
                DEVICE_CLASS,
                UTILITY_ENROLLMENT_GROUP,
                Field::new("start_time", UtcTime),
                Field::new("duration_in_minutes", Uint16),
                Field::new("criticality_level", Uint8).values(CRITICALITY_LEVEL),
                Field::new("cooling_temperature_offset", Uint8),
                Field::new("heating_temperature_offset", Uint8),
                Field::new("cooling_temperature_set_point", Int16),
                Field::new("heating_temperature_set_point", Int16),
                Field::new("average_load_adjustment_percentage", Int8),
                Field::new("duty_cycle", Uint8),
                Field::new("event_control", Bitmap8),
            ],
        ),
        Command::new(
            0x01,
            "Cancel Load Control Event",
            "cancel_load_control_event",
            &[
                ISSUER_EVENT_ID,
                DEVICE_CLASS,
                UTILITY_ENROLLMENT_GROUP,
                CANCEL_CONTROL,
                Field::new("effective_time", UtcTime),
            ],
        ),
        Command::new(
            0x02,
            "Cancel All Load Control Events",
            "cancel_all_load_control_events",
            &[CANCEL_CONTROL],
        ),
    ],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use super::super::ClusterCommand;
    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::types::ZclValue;

    fn decode(direction: Direction, command: u8, payload: &[u8]) -> ClusterCommand<'_> {
        ClusterCommand::decode(0x0701, direction, command, payload)
            .unwrap()
            .unwrap()
    }

    fn num(c: &ClusterCommand<'_>, name: &str) -> u64 {
        c.field(name).unwrap().value.as_u64().unwrap()
    }

    fn signed(c: &ClusterCommand<'_>, name: &str) -> i64 {
        match c.field(name).unwrap().value {
            super::super::Value::Zcl(ZclValue::Signed(_, v)) => v,
            other => panic!("{name}: {other:?}"),
        }
    }

    /// Load Control Event; tshark 4.0: Issuer Event ID 0x12345678, Device Class
    /// 0x0080 (Simple misc. loads), Utility Enrollment Group 5, Start Time
    /// 2034-02-15 01:42:40, Duration 60, Criticality Level Emergency (7),
    /// Cooling/Heating Temperature Offset 10/11, Cooling Set Point -2048,
    /// Heating Set Point 1000, Average Load Adjustment -100, Duty Cycle 0x32,
    /// Event Control 0x03 (randomize start and end).
    const LOAD_CONTROL_EVENT: [u8; 23] = [
        0x78, 0x56, 0x34, 0x12, 0x80, 0x00, 0x05, 0x10, 0x20, 0x30, 0x40, 0x3c, 0x00, 0x07, 0x0a,
        0x0b, 0x00, 0xf8, 0xe8, 0x03, 0x9c, 0x32, 0x03,
    ];

    #[test]
    fn load_control_event_matches_tshark() {
        let c = decode(Direction::ToClient, 0x00, &LOAD_CONTROL_EVENT);
        assert_eq!(c.command.name, "Load Control Event");
        assert_eq!(num(&c, "issuer_event_id"), 0x1234_5678);
        let class = u16::try_from(num(&c, "device_class")).unwrap();
        assert_eq!(class, DEVICE_CLASS_SIMPLE_MISC_LOAD);
        assert_eq!(
            device_classes(class).collect::<Vec<_>>(),
            ["simple_misc_load"]
        );
        assert_eq!(num(&c, "utility_enrollment_group"), 5);
        assert_eq!(num(&c, "start_time"), 0x4030_2010);
        assert_eq!(num(&c, "duration_in_minutes"), 60);
        let level = c.field("criticality_level").unwrap();
        assert_eq!(
            level.spec.value_name(level.value.as_u64().unwrap()),
            Some("emergency")
        );
        assert_eq!(num(&c, "cooling_temperature_offset"), 10);
        assert_eq!(num(&c, "heating_temperature_offset"), 11);
        assert_eq!(signed(&c, "cooling_temperature_set_point"), -2048);
        assert_eq!(signed(&c, "heating_temperature_set_point"), 1000);
        assert_eq!(signed(&c, "average_load_adjustment_percentage"), -100);
        assert_eq!(num(&c, "duty_cycle"), 0x32);
        assert_eq!(
            num(&c, "event_control"),
            u64::from(EVENT_CONTROL_RANDOMIZE_START | EVENT_CONTROL_RANDOMIZE_END)
        );
        for cut in 0..LOAD_CONTROL_EVENT.len() {
            assert!(
                ClusterCommand::decode(0x0701, Direction::ToClient, 0, &LOAD_CONTROL_EVENT[..cut])
                    .is_err()
            );
        }
    }

    /// Report Event Status; tshark 4.0: Event Status "Event started" (2),
    /// Event Status Time 2000-01-01 00:04:16, Criticality Level Applied 7,
    /// Cooling Set Point Applied 0x8000 (not used), Heating 1000, Average Load
    /// Adjustment Applied -100, Duty Cycle Applied 0x64, Event Control 0x01,
    /// Signature Type ECDSA, Signature 01..2a.
    #[test]
    fn report_event_status_matches_tshark() {
        let mut payload = Vec::from([
            0x78, 0x56, 0x34, 0x12, 0x02, 0x00, 0x01, 0x00, 0x00, 0x07, 0x00, 0x80, 0xe8, 0x03,
            0x9c, 0x64, 0x01, 0x01,
        ]);
        let signature: Vec<u8> = (1..=42).collect();
        payload.extend_from_slice(&signature);
        let c = decode(Direction::ToServer, 0x00, &payload);
        assert_eq!(c.command.label, "report_event_status");
        let status = c.field("event_status").unwrap();
        assert_eq!(status.value.as_u64(), Some(2));
        assert_eq!(status.spec.value_name(2), Some("event_started"));
        assert_eq!(num(&c, "event_status_time"), 256);
        assert_eq!(num(&c, "criticality_level_applied"), 7);
        assert_eq!(num(&c, "cooling_temperature_set_point_applied"), 0x8000);
        assert_eq!(num(&c, "heating_temperature_set_point_applied"), 1000);
        assert_eq!(
            signed(&c, "average_load_adjustment_percentage_applied"),
            -100
        );
        assert_eq!(num(&c, "duty_cycle_applied"), 0x64);
        assert_eq!(num(&c, "event_control"), 1);
        let ty = c.field("signature_type").unwrap();
        assert_eq!(ty.spec.value_name(1), Some("ecdsa"));
        assert_eq!(
            c.field("signature").unwrap().value.as_bytes(),
            Some(&signature[..])
        );
        // The signature is exactly 42 octets: one less or one more fails.
        assert!(ClusterCommand::decode(0x0701, Direction::ToServer, 0, &payload[..59]).is_err());
        payload.push(0);
        assert!(ClusterCommand::decode(0x0701, Direction::ToServer, 0, &payload).is_err());
    }

    /// Get Scheduled Events, with the SE 1.2 Issuer Event ID (tshark 4.0:
    /// Number of Events 5, Issuer Event ID 0x12345678) and without it.
    #[test]
    fn get_scheduled_events_with_and_without_issuer_event_id() {
        let full = [0, 0, 0, 0, 5, 0x78, 0x56, 0x34, 0x12];
        let c = decode(Direction::ToServer, 0x01, &full);
        assert_eq!(num(&c, "number_of_events"), 5);
        assert_eq!(num(&c, "issuer_event_id"), 0x1234_5678);
        let c = decode(Direction::ToServer, 0x01, &full[..5]);
        assert_eq!(c.fields().count(), 2);
        assert!(c.field("issuer_event_id").is_none());
        assert!(ClusterCommand::decode(0x0701, Direction::ToServer, 0x01, &full[..7]).is_err());
    }

    #[test]
    fn cancel_commands() {
        let c = decode(
            Direction::ToClient,
            0x01,
            &[0x78, 0x56, 0x34, 0x12, 0xff, 0x0f, 0x00, 0x01, 0, 0, 0, 0],
        );
        assert_eq!(c.command.name, "Cancel Load Control Event");
        assert_eq!(
            device_classes(u16::try_from(num(&c, "device_class")).unwrap()).count(),
            12
        );
        assert_eq!(
            num(&c, "cancel_control"),
            u64::from(CANCEL_CONTROL_GRACEFUL)
        );
        assert_eq!(num(&c, "effective_time"), 0);
        let c = decode(Direction::ToClient, 0x02, &[0x00]);
        assert_eq!(c.command.label, "cancel_all_load_control_events");
        assert_eq!(num(&c, "cancel_control"), 0);
    }

    #[test]
    fn client_attributes() {
        let name = |id| CLUSTER.attribute(true, id).map(|a| a.spec.name);
        assert_eq!(name(0x0000), Some("UtilityEnrollmentGroup"));
        assert_eq!(name(0x0001), Some("StartRandomizationMinutes"));
        assert_eq!(name(0x0002), Some("DurationRandomizationMinutes"));
        assert_eq!(name(0x0003), Some("DeviceClassValue"));
        assert_eq!(name(0x0004), None);
        assert_eq!(CLUSTER.attribute(false, 0x0000).map(|a| a.spec.name), None);
    }
}
