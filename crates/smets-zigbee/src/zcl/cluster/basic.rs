//! Basic 0x0000 in the catalogue (ZCL rev. 8 3.2): the device's identity
//! (versions, manufacturer, model, power source) and Reset to Factory
//! Defaults. Attribute values are read with the foundation commands.

use super::{Attribute, Cluster, Command};
use crate::zcl::DataType::{Bitmap8, Boolean, CharacterString, Enum8, OctetString, Uint8};

/// AlarmMask bit: general hardware fault (ZCL rev. 8 3.2.2.2.17).
pub const ALARM_GENERAL_HARDWARE_FAULT: u8 = 0x01;
/// AlarmMask bit: general software fault (ZCL rev. 8 3.2.2.2.17).
pub const ALARM_GENERAL_SOFTWARE_FAULT: u8 = 0x02;

/// DisableLocalConfig bit: the device's local reset to factory defaults is
/// disabled (ZCL rev. 8 3.2.2.2.18).
pub const DISABLE_LOCAL_RESET: u8 = 0x01;
/// DisableLocalConfig bit: local device configuration is disabled (ZCL rev. 8 3.2.2.2.18).
pub const DISABLE_LOCAL_DEVICE_CONFIGURATION: u8 = 0x02;

/// PowerSource bit 7: a secondary battery backs the primary source up
/// (ZCL rev. 8 3.2.2.2.8); the low seven bits are the primary source.
pub const POWER_SOURCE_BATTERY_BACKUP: u8 = 0x80;

/// PowerSource names (ZCL rev. 8 table 3-9), for the low seven bits.
const POWER_SOURCE: &[(u64, &str)] = &[
    (0x00, "unknown"),
    (0x01, "mains_single_phase"),
    (0x02, "mains_three_phase"),
    (0x03, "battery"),
    (0x04, "dc_source"),
    (0x05, "emergency_mains_constantly_powered"),
    (0x06, "emergency_mains_and_transfer_switch"),
];

/// GenericDevice-Class names (ZCL rev. 8 3.2.2.2.9).
const GENERIC_DEVICE_CLASS: &[(u64, &str)] = &[(0x00, "lighting")];

/// GenericDevice-Type names (ZCL rev. 8 table 3-10, lighting class).
const GENERIC_DEVICE_TYPE: &[(u64, &str)] = &[
    (0x00, "incandescent"),
    (0x01, "spotlight_halogen"),
    (0x02, "halogen_bulb"),
    (0x03, "cfl"),
    (0x04, "linear_fluorescent"),
    (0x05, "led_bulb"),
    (0x06, "spotlight_led"),
    (0x07, "led_strip"),
    (0x08, "led_tube"),
    (0x09, "generic_indoor_luminaire"),
    (0x0a, "generic_outdoor_luminaire"),
    (0x0b, "pendant_luminaire"),
    (0x0c, "floor_standing_luminaire"),
    (0xe0, "generic_controller"),
    (0xe1, "wall_switch"),
    (0xe2, "portable_remote_controller"),
    (0xe3, "motion_sensor_light_sensor"),
    (0xf0, "generic_actuator"),
    (0xf1, "wall_socket"),
    (0xf2, "gateway_bridge"),
    (0xf3, "plug_in_unit"),
    (0xf4, "retrofit_actuator"),
    (0xff, "unspecified"),
];

/// PhysicalEnvironment names (ZCL rev. 8 3.2.2.2.15). Only the values a
/// Smart Energy HAN uses are named: 0x01 marks a Metering mirror (ZigBee SE
/// 1.4 10.4.3.1); the rest of the list names rooms and is not used there.
const PHYSICAL_ENVIRONMENT: &[(u64, &str)] =
    &[(0x00, "unspecified"), (0x01, "mirror"), (0xff, "unknown")];

/// The Basic cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0000,
    name: "Basic",
    label: "basic",
    clause: "ZCL rev. 8 3.2",
    attributes: &[
        Attribute::new(0x0000, "ZCLVersion", Uint8),
        Attribute::new(0x0001, "ApplicationVersion", Uint8),
        Attribute::new(0x0002, "StackVersion", Uint8),
        Attribute::new(0x0003, "HWVersion", Uint8),
        Attribute::new(0x0004, "ManufacturerName", CharacterString),
        Attribute::new(0x0005, "ModelIdentifier", CharacterString),
        Attribute::new(0x0006, "DateCode", CharacterString),
        Attribute::new(0x0007, "PowerSource", Enum8).values(POWER_SOURCE),
        Attribute::new(0x0008, "GenericDevice-Class", Enum8).values(GENERIC_DEVICE_CLASS),
        Attribute::new(0x0009, "GenericDevice-Type", Enum8).values(GENERIC_DEVICE_TYPE),
        Attribute::new(0x000a, "ProductCode", OctetString),
        Attribute::new(0x000b, "ProductURL", CharacterString),
        Attribute::new(0x000c, "ManufacturerVersionDetails", CharacterString),
        Attribute::new(0x000d, "SerialNumber", CharacterString),
        Attribute::new(0x000e, "ProductLabel", CharacterString),
        Attribute::new(0x0010, "LocationDescription", CharacterString),
        Attribute::new(0x0011, "PhysicalEnvironment", Enum8).values(PHYSICAL_ENVIRONMENT),
        Attribute::new(0x0012, "DeviceEnabled", Boolean).values(&[(0, "disabled"), (1, "enabled")]),
        Attribute::new(0x0013, "AlarmMask", Bitmap8),
        Attribute::new(0x0014, "DisableLocalConfig", Bitmap8),
        Attribute::new(0x4000, "SWBuildID", CharacterString),
    ],
    client_attributes: &[],
    received: &[Command::new(
        0x00,
        "Reset to Factory Defaults",
        "reset_to_factory_defaults",
        &[],
    )],
    generated: &[],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use smets_core::Decode;

    use super::*;
    use crate::zcl::cluster::{ClusterCommand, attributes_are_client};
    use crate::zcl::foundation::FoundationCommand;
    use crate::zcl::{Direction, ZclFrame};

    #[test]
    fn read_attributes_names_application_version() {
        // zigator 06-zcl-testing.pcap frame 1 (decrypted APS payload's ZCL
        // part): tshark "ZCL: Read Attributes, Seq: 0", cluster 0x0000.
        let zcl = [0x00, 0x00, 0x00, 0x01, 0x00];
        let frame = ZclFrame::decode(&zcl).unwrap();
        assert_eq!(frame.command_id, 0x00);
        let Some(Ok(FoundationCommand::ReadAttributes(ids))) = frame.foundation() else {
            panic!("read attributes");
        };
        let ids: alloc::vec::Vec<u16> = ids.iter().map(|id| id.unwrap().0).collect();
        assert_eq!(ids, [0x0001]);
        let client = attributes_are_client(frame.frame_control.direction, frame.command_id);
        let a = CLUSTER.attribute(client, ids[0]).unwrap();
        assert_eq!(a.spec.name, "ApplicationVersion");
        assert_eq!(a.spec.data_type, Uint8);
    }

    #[test]
    fn reset_to_factory_defaults_has_no_payload() {
        let c = ClusterCommand::decode(0x0000, Direction::ToServer, 0x00, &[])
            .unwrap()
            .unwrap();
        assert_eq!(c.command.label, "reset_to_factory_defaults");
        assert_eq!(c.fields().count(), 0);
        assert!(ClusterCommand::decode(0x0000, Direction::ToServer, 0x00, &[0]).is_err());
    }

    #[test]
    fn enumerations_are_named() {
        let p = CLUSTER.attribute(false, 0x0007).unwrap();
        assert_eq!(p.spec.value_name(0x03), Some("battery"));
        let power = 0x81_u8;
        assert_eq!(
            p.spec
                .value_name(u64::from(power & !POWER_SOURCE_BATTERY_BACKUP)),
            Some("mains_single_phase")
        );
        let t = CLUSTER.attribute(false, 0x0009).unwrap();
        assert_eq!(t.spec.value_name(0xf2), Some("gateway_bridge"));
        assert_eq!(
            CLUSTER.attribute(false, 0x4000).unwrap().spec.name,
            "SWBuildID"
        );
        assert!(CLUSTER.attribute(false, 0x000f).is_none());
    }
}
