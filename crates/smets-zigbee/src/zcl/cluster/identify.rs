//! Identify 0x0003 in the catalogue (ZCL rev. 8 3.5): a device blinks or
//! beeps so that an installer can find it.

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Enum8, Uint16};

/// The Identify cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0003,
    name: "Identify",
    label: "identify",
    clause: "ZCL rev. 8 3.5",
    attributes: &[Attribute::new(0x0000, "IdentifyTime", Uint16)],
    client_attributes: &[],
    received: &[
        Command::new(
            0x00,
            "Identify",
            "identify",
            &[Field::new("identify_time", Uint16)],
        ),
        Command::new(0x01, "Identify Query", "identify_query", &[]),
        Command::new(
            0x40,
            "Trigger Effect",
            "trigger_effect",
            &[
                Field::new("effect_identifier", Enum8).values(&[
                    (0x00, "blink"),
                    (0x01, "breathe"),
                    (0x02, "okay"),
                    (0x0b, "channel_change"),
                    (0xfe, "finish_effect"),
                    (0xff, "stop_effect"),
                ]),
                Field::new("effect_variant", Enum8).values(&[(0x00, "default")]),
            ],
        ),
    ],
    generated: &[Command::new(
        0x00,
        "Identify Query Response",
        "identify_query_response",
        &[Field::new("timeout", Uint16)],
    )],
};
