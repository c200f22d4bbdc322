//! On/Off 0x0006 in the catalogue (ZCL rev. 8 3.8): switching a device on and
//! off, with the lighting extensions (effects, global scene, timed off).
//! Scenes and Level Control, which those extensions touch, are not covered.

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Bitmap8, Boolean, Enum8, Uint8, Uint16};

/// On/off control bit of On With Timed Off: accept the command only when
/// the device is already on (ZCL rev. 8 3.8.2.3.6.1).
pub const ON_OFF_CONTROL_ACCEPT_ONLY_WHEN_ON: u8 = 0x01;

/// Effect identifier names of Off With Effect (ZCL rev. 8 table 3-46).
const EFFECT_IDENTIFIER: &[(u64, &str)] = &[(0x00, "delayed_all_off"), (0x01, "dying_light")];

/// The On/Off cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0006,
    name: "On/Off",
    label: "on_off",
    clause: "ZCL rev. 8 3.8",
    attributes: &[
        Attribute::new(0x0000, "OnOff", Boolean).values(&[(0, "off"), (1, "on")]),
        Attribute::new(0x4000, "GlobalSceneControl", Boolean),
        Attribute::new(0x4001, "OnTime", Uint16),
        Attribute::new(0x4002, "OffWaitTime", Uint16),
        Attribute::new(0x4003, "StartUpOnOff", Enum8).values(&[
            (0x00, "off"),
            (0x01, "on"),
            (0x02, "toggle"),
            (0xff, "previous"),
        ]),
    ],
    client_attributes: &[],
    received: &[
        Command::new(0x00, "Off", "off", &[]),
        Command::new(0x01, "On", "on", &[]),
        Command::new(0x02, "Toggle", "toggle", &[]),
        Command::new(
            0x40,
            "Off With Effect",
            "off_with_effect",
            &[
                Field::new("effect_identifier", Uint8).values(EFFECT_IDENTIFIER),
                // Variants mean different things per effect (ZCL rev. 8
                // table 3-47): 0 under delayed all off fades in 0.8 s, under
                // dying light dims up 20 % then fades; left unnamed.
                Field::new("effect_variant", Uint8),
            ],
        ),
        Command::new(
            0x41,
            "On With Recall Global Scene",
            "on_with_recall_global_scene",
            &[],
        ),
        Command::new(
            0x42,
            "On With Timed Off",
            "on_with_timed_off",
            &[
                Field::new("on_off_control", Bitmap8),
                Field::new("on_time", Uint16),
                Field::new("off_wait_time", Uint16),
            ],
        ),
    ],
    generated: &[],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use smets_core::Decode;

    use super::*;
    use crate::zcl::cluster::ClusterCommand;
    use crate::zcl::{Direction, FrameType, ZclFrame};

    #[test]
    fn killerbee_toggle() {
        // killerbee zigbee-network-key-ota.dcf frame 1, ZCL part of the APS
        // payload (HA profile 0x0104, cluster 0x0006): tshark
        // "ZCL OnOff: Toggle, Seq: 0", zbee_zcl.type 0x01, dir 0.
        let zcl = [0x01, 0x00, 0x02];
        let frame = ZclFrame::decode(&zcl).unwrap();
        assert_eq!(frame.frame_control.frame_type, FrameType::ClusterSpecific);
        assert_eq!(frame.frame_control.direction, Direction::ToServer);
        assert_eq!(frame.tsn, 0);
        let c = ClusterCommand::from_frame(&frame, 0x0006).unwrap().unwrap();
        assert_eq!(c.cluster.label, "on_off");
        assert_eq!(c.command.name, "Toggle");
        assert_eq!(c.fields().count(), 0);
    }

    #[test]
    fn on_with_timed_off_fields() {
        // Checked with tshark 4.0: on/off control 0x01 (accept only when on),
        // on time 300 (30 s), off wait time 20 (2 s).
        let payload = [0x01, 0x2c, 0x01, 0x14, 0x00];
        let c = ClusterCommand::decode(0x0006, Direction::ToServer, 0x42, &payload)
            .unwrap()
            .unwrap();
        let vals: alloc::vec::Vec<(&str, u64)> = c
            .fields()
            .map(|f| (f.spec.name, f.value.as_u64().unwrap()))
            .collect();
        assert_eq!(
            vals,
            [
                ("on_off_control", 1),
                ("on_time", 300),
                ("off_wait_time", 20)
            ]
        );
        assert!(ClusterCommand::decode(0x0006, Direction::ToServer, 0x42, &payload[..4]).is_err());
    }

    #[test]
    fn off_with_effect_names() {
        // Checked with tshark 4.0: effect identifier 0x01 (dying light), variant 0x00.
        let c = ClusterCommand::decode(0x0006, Direction::ToServer, 0x40, &[0x01, 0x00])
            .unwrap()
            .unwrap();
        let e = c.field("effect_identifier").unwrap();
        assert_eq!(
            e.spec.value_name(e.value.as_u64().unwrap()),
            Some("dying_light")
        );
        assert_eq!(c.field("effect_variant").unwrap().value.as_u64(), Some(0));
        let start = CLUSTER.attribute(false, 0x4003).unwrap();
        assert_eq!(start.spec.value_name(0xff), Some("previous"));
    }
}
