//! Power Configuration 0x0001 in the catalogue (ZCL rev. 8 3.3): mains and
//! battery readings, thresholds and alarm masks for up to three batteries.
//! The cluster has no commands; values are read with the foundation commands.

use super::{Attribute, Cluster};
use crate::zcl::DataType::{Bitmap8, Bitmap32, CharacterString, Enum8, Uint8, Uint16};

/// MainsAlarmMask bit: mains voltage below MainsVoltageMinThreshold (ZCL rev. 8 3.3.2.2.2.1).
pub const MAINS_ALARM_VOLTAGE_TOO_LOW: u8 = 0x01;
/// MainsAlarmMask bit: mains voltage above MainsVoltageMaxThreshold (ZCL rev. 8 3.3.2.2.2.1).
pub const MAINS_ALARM_VOLTAGE_TOO_HIGH: u8 = 0x02;
/// MainsAlarmMask bit: mains power supply lost or unavailable (ZCL rev. 8 3.3.2.2.2.1).
pub const MAINS_ALARM_POWER_SUPPLY_LOST: u8 = 0x04;

/// BatteryAlarmMask bit: battery voltage too low to keep the radio working
/// (BatteryVoltageMinThreshold reached; ZCL rev. 8 3.3.2.2.4.7).
pub const BATTERY_ALARM_VOLTAGE_MIN_THRESHOLD: u8 = 0x01;
/// BatteryAlarmMask bit: alarm 1, BatteryVoltageThreshold1 or
/// BatteryPercentageThreshold1 reached (ZCL rev. 8 3.3.2.2.4.7).
pub const BATTERY_ALARM_THRESHOLD_1: u8 = 0x02;
/// BatteryAlarmMask bit: alarm 2 (threshold 2 reached).
pub const BATTERY_ALARM_THRESHOLD_2: u8 = 0x04;
/// BatteryAlarmMask bit: alarm 3 (threshold 3 reached).
pub const BATTERY_ALARM_THRESHOLD_3: u8 = 0x08;

/// BatteryAlarmState (ZCL rev. 8 3.3.2.2.4.14): the first bit of battery
/// source `n`'s ten-bit group (`n` = 1 to 3); within a group, bit 0 is the
/// minimum threshold and bits 1 to 3 are thresholds 1 to 3, as in
/// BatteryAlarmMask.
#[must_use]
pub const fn battery_alarm_state_shift(n: u8) -> u32 {
    (n.saturating_sub(1) as u32) * 10
}

/// BatteryAlarmState bit: mains power supply lost or unavailable (ZCL rev. 8 3.3.2.2.4.14).
pub const BATTERY_ALARM_STATE_MAINS_POWER_SUPPLY_LOST: u32 = 1 << 30;

/// BatterySize names (ZCL rev. 8 table 3-17).
const BATTERY_SIZE: &[(u64, &str)] = &[
    (0x00, "no_battery"),
    (0x01, "built_in"),
    (0x02, "other"),
    (0x03, "aa"),
    (0x04, "aaa"),
    (0x05, "c"),
    (0x06, "d"),
    (0x07, "cr2"),
    (0x08, "cr123a"),
    (0xff, "unknown"),
];

/// The Power Configuration cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0001,
    name: "Power Configuration",
    label: "power_configuration",
    clause: "ZCL rev. 8 3.3",
    attributes: &[
        Attribute::new(0x0000, "MainsVoltage", Uint16),
        Attribute::new(0x0001, "MainsFrequency", Uint8),
        Attribute::new(0x0010, "MainsAlarmMask", Bitmap8),
        Attribute::new(0x0011, "MainsVoltageMinThreshold", Uint16),
        Attribute::new(0x0012, "MainsVoltageMaxThreshold", Uint16),
        Attribute::new(0x0013, "MainsVoltageDwellTripPoint", Uint16),
        // Battery source 1.
        Attribute::new(0x0020, "BatteryVoltage", Uint8),
        Attribute::new(0x0021, "BatteryPercentageRemaining", Uint8),
        Attribute::new(0x0030, "BatteryManufacturer", CharacterString),
        Attribute::new(0x0031, "BatterySize", Enum8).values(BATTERY_SIZE),
        Attribute::new(0x0032, "BatteryAHrRating", Uint16),
        Attribute::new(0x0033, "BatteryQuantity", Uint8),
        Attribute::new(0x0034, "BatteryRatedVoltage", Uint8),
        Attribute::new(0x0035, "BatteryAlarmMask", Bitmap8),
        Attribute::new(0x0036, "BatteryVoltageMinThreshold", Uint8),
        Attribute::new(0x0037, "BatteryVoltageThreshold1", Uint8),
        Attribute::new(0x0038, "BatteryVoltageThreshold2", Uint8),
        Attribute::new(0x0039, "BatteryVoltageThreshold3", Uint8),
        Attribute::new(0x003a, "BatteryPercentageMinThreshold", Uint8),
        Attribute::new(0x003b, "BatteryPercentageThreshold1", Uint8),
        Attribute::new(0x003c, "BatteryPercentageThreshold2", Uint8),
        Attribute::new(0x003d, "BatteryPercentageThreshold3", Uint8),
        Attribute::new(0x003e, "BatteryAlarmState", Bitmap32),
        // Battery sources 2 and 3 repeat the Battery Information and
        // Battery Settings sets of source 1 at 0x0040/0x0050 and
        // 0x0060/0x0070 (ZCL rev. 8 3.3.2.2.5-8): two-member families.
        Attribute::family(0x0040, 2, 0x20, 2, "Battery{n}Voltage", Uint8),
        Attribute::family(0x0041, 2, 0x20, 2, "Battery{n}PercentageRemaining", Uint8),
        Attribute::family(
            0x0050,
            2,
            0x20,
            2,
            "Battery{n}Manufacturer",
            CharacterString,
        ),
        Attribute::family(0x0051, 2, 0x20, 2, "Battery{n}Size", Enum8).values(BATTERY_SIZE),
        Attribute::family(0x0052, 2, 0x20, 2, "Battery{n}AHrRating", Uint16),
        Attribute::family(0x0053, 2, 0x20, 2, "Battery{n}Quantity", Uint8),
        Attribute::family(0x0054, 2, 0x20, 2, "Battery{n}RatedVoltage", Uint8),
        Attribute::family(0x0055, 2, 0x20, 2, "Battery{n}AlarmMask", Bitmap8),
        Attribute::family(0x0056, 2, 0x20, 2, "Battery{n}VoltageMinThreshold", Uint8),
        Attribute::family(0x0057, 2, 0x20, 2, "Battery{n}VoltageThreshold1", Uint8),
        Attribute::family(0x0058, 2, 0x20, 2, "Battery{n}VoltageThreshold2", Uint8),
        Attribute::family(0x0059, 2, 0x20, 2, "Battery{n}VoltageThreshold3", Uint8),
        Attribute::family(
            0x005a,
            2,
            0x20,
            2,
            "Battery{n}PercentageMinThreshold",
            Uint8,
        ),
        Attribute::family(0x005b, 2, 0x20, 2, "Battery{n}PercentageThreshold1", Uint8),
        Attribute::family(0x005c, 2, 0x20, 2, "Battery{n}PercentageThreshold2", Uint8),
        Attribute::family(0x005d, 2, 0x20, 2, "Battery{n}PercentageThreshold3", Uint8),
        Attribute::family(0x005e, 2, 0x20, 2, "Battery{n}AlarmState", Bitmap32),
    ],
    client_attributes: &[],
    received: &[],
    generated: &[],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::string::ToString;

    use smets_core::Decode;

    use super::*;
    use crate::zcl::ZclFrame;
    use crate::zcl::foundation::FoundationCommand;
    use crate::zcl::types::ZclValue;

    #[test]
    fn report_names_battery_voltage_and_percentage() {
        // Report Attributes from a battery device, checked with tshark 4.0:
        // "Measured Battery Voltage: 2.9 [V]" (29, in 100 mV) and "Remaining
        // Battery Percentage: 100.0 [%]" (200, in half percent).
        let zcl = [
            0x18, 0x12, 0x0a, // to client, seq, report attributes
            0x20, 0x00, 0x20, 0x1d, // BatteryVoltage uint8 29
            0x21, 0x00, 0x20, 0xc8, // BatteryPercentageRemaining uint8 200
        ];
        let frame = ZclFrame::decode(&zcl).unwrap();
        let Some(Ok(FoundationCommand::ReportAttributes(recs))) = frame.foundation() else {
            panic!("report attributes");
        };
        let recs: alloc::vec::Vec<_> = recs.iter().map(Result::unwrap).collect();
        let v = CLUSTER.attribute(false, recs[0].id).unwrap();
        assert_eq!(v.spec.name, "BatteryVoltage");
        assert_eq!(recs[0].value, ZclValue::Unsigned(Uint8, 29));
        let p = CLUSTER.attribute(false, recs[1].id).unwrap();
        assert_eq!(p.spec.name, "BatteryPercentageRemaining");
        assert_eq!(recs[1].value, ZclValue::Unsigned(Uint8, 200));
    }

    #[test]
    fn second_and_third_batteries_are_numbered() {
        let a = CLUSTER.attribute(false, 0x0041).unwrap();
        assert_eq!(a.name().to_string(), "Battery2PercentageRemaining");
        let a = CLUSTER.attribute(false, 0x007e).unwrap();
        assert_eq!(a.name().to_string(), "Battery3AlarmState");
        assert_eq!(a.spec.data_type, Bitmap32);
        let a = CLUSTER.attribute(false, 0x0071).unwrap();
        assert_eq!(a.name().to_string(), "Battery3Size");
        assert_eq!(a.spec.value_name(0x03), Some("aa"));
        assert!(CLUSTER.attribute(false, 0x0080).is_none());
        assert!(CLUSTER.attribute(false, 0x0022).is_none());
    }

    #[test]
    fn alarm_state_groups() {
        assert_eq!(battery_alarm_state_shift(1), 0);
        assert_eq!(battery_alarm_state_shift(3), 20);
        let state: u32 = u32::from(BATTERY_ALARM_THRESHOLD_2) << battery_alarm_state_shift(2);
        assert_eq!(state, 1 << 12);
    }
}
