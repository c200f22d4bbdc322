//! Tunneling 0x0704 in the catalogue (ZigBee SE 1.4 10.6): names and field
//! layouts. [`crate::zcl::tunneling`] has the typed commands, the protocol
//! ids and the GB HAN tunnel that Transfer Data carries.

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Boolean, Enum8, Uint8, Uint16};

/// TunnelStatus names (ZigBee SE 1.4 table 10-100).
const TUNNEL_STATUS: &[(u64, &str)] = &[
    (0, "success"),
    (1, "busy"),
    (2, "no_more_tunnel_ids"),
    (3, "protocol_not_supported"),
    (4, "flow_control_not_supported"),
];

/// TransferDataStatus names (ZigBee SE 1.4 table 10-98).
const TRANSFER_DATA_STATUS: &[(u64, &str)] = &[
    (0, "no_such_tunnel"),
    (1, "wrong_device"),
    (2, "data_overflow"),
];

/// ProtocolID names (ZigBee SE 1.4 table 10-97; 7/8 as in [`crate::zcl::tunneling`]).
const PROTOCOL: &[(u64, &str)] = &[
    (0, "dlms_cosem"),
    (1, "iec_61107"),
    (2, "ansi_c12"),
    (3, "m_bus"),
    (4, "sml"),
    (5, "climate_talk"),
    (6, "gb_hrgp"),
    (7, "ipv4"),
    (8, "ipv6"),
];

const TUNNEL_ID: Field = Field::new("tunnel_id", Uint16);

/// The Tunneling cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0704,
    name: "Tunneling",
    label: "tunneling",
    clause: "ZigBee SE 1.4 10.6",
    attributes: &[Attribute::new(0x0000, "CloseTunnelTimeout", Uint16)],
    client_attributes: &[],
    received: &[
        Command::new(
            0x00,
            "Request Tunnel",
            "request_tunnel",
            &[
                Field::new("protocol_id", Enum8).values(PROTOCOL),
                Field::new("manufacturer_code", Uint16),
                Field::new("flow_control_support", Boolean),
                Field::new("maximum_incoming_transfer_size", Uint16),
            ],
        ),
        Command::new(0x01, "Close Tunnel", "close_tunnel", &[TUNNEL_ID]),
        Command::new(
            0x02,
            "Transfer Data",
            "transfer_data",
            &[TUNNEL_ID, Field::rest("data")],
        ),
        Command::new(
            0x03,
            "Transfer Data Error",
            "transfer_data_error",
            &[
                TUNNEL_ID,
                Field::new("transfer_data_status", Uint8).values(TRANSFER_DATA_STATUS),
            ],
        ),
        Command::new(
            0x04,
            "Ack Transfer Data",
            "ack_transfer_data",
            &[TUNNEL_ID, Field::new("number_of_bytes_left", Uint16)],
        ),
        Command::new(
            0x05,
            "Ready Data",
            "ready_data",
            &[TUNNEL_ID, Field::new("number_of_octets_left", Uint16)],
        ),
        Command::new(
            0x06,
            "Get Supported Tunnel Protocols",
            "get_supported_tunnel_protocols",
            &[Field::new("protocol_offset", Uint8)],
        ),
    ],
    generated: &[
        Command::new(
            0x00,
            "Request Tunnel Response",
            "request_tunnel_response",
            &[
                TUNNEL_ID,
                Field::new("tunnel_status", Uint8).values(TUNNEL_STATUS),
                Field::new("maximum_incoming_transfer_size", Uint16),
            ],
        ),
        Command::new(
            0x01,
            "Transfer Data",
            "transfer_data",
            &[TUNNEL_ID, Field::rest("data")],
        ),
        Command::new(
            0x02,
            "Transfer Data Error",
            "transfer_data_error",
            &[
                TUNNEL_ID,
                Field::new("transfer_data_status", Uint8).values(TRANSFER_DATA_STATUS),
            ],
        ),
        Command::new(
            0x03,
            "Ack Transfer Data",
            "ack_transfer_data",
            &[TUNNEL_ID, Field::new("number_of_bytes_left", Uint16)],
        ),
        Command::new(
            0x04,
            "Ready Data",
            "ready_data",
            &[TUNNEL_ID, Field::new("number_of_octets_left", Uint16)],
        ),
        Command::new(
            0x05,
            "Supported Tunnel Protocols Response",
            "supported_tunnel_protocols_response",
            &[
                Field::new("protocol_list_complete", Boolean),
                Field::new("protocol_count", Uint8),
                Field::records(
                    "protocols",
                    &[
                        Field::new("manufacturer_code", Uint16),
                        Field::new("protocol_id", Enum8).values(PROTOCOL),
                    ],
                ),
            ],
        ),
        Command::new(
            0x06,
            "Tunnel Closure Notification",
            "tunnel_closure_notification",
            &[TUNNEL_ID],
        ),
    ],
};
