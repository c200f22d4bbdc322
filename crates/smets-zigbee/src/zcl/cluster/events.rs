//! Events 0x0709 in the catalogue (ZigBee SE 1.4 10.11): a device's event
//! logs (tamper, fault, general, security, network and the GBCS logs), read,
//! pushed and cleared. Event ids and their data are device-defined and left as sent.

use smets_core::open_enum;

use super::{Cluster, Command, Field};
use crate::zcl::DataType::{Bitmap8, Enum8, OctetString, Uint8, Uint16, UtcTime};

/// Log ID names (ZigBee SE 1.4 10.11.2, table "Log ID Enumeration"; 6 and 7
/// are the GBCS logs a GB gas proxy keeps).
pub const LOG_ID: &[(u64, &str)] = &[
    (0, "all_logs"),
    (1, "tamper_log"),
    (2, "fault_log"),
    (3, "general_event_log"),
    (4, "security_event_log"),
    (5, "network_event_log"),
    (6, "gbcs_general_event_log"),
    (7, "gbcs_security_event_log"),
];

open_enum! {
    /// Log ID (ZigBee SE 1.4 10.11.2): which event log a command reads,
    /// clears or reports from. Its labels are those of [`LOG_ID`].
    pub enum LogId: u8 {
        /// Every log (Get Event Log and Clear Event Log only).
        AllLogs = 0 => "all_logs",
        /// The tamper log.
        TamperLog = 1 => "tamper_log",
        /// The fault log.
        FaultLog = 2 => "fault_log",
        /// The general event log.
        GeneralEventLog = 3 => "general_event_log",
        /// The security event log.
        SecurityEventLog = 4 => "security_event_log",
        /// The network event log.
        NetworkEventLog = 5 => "network_event_log",
        /// The GBCS general event log.
        GbcsGeneralEventLog = 6 => "gbcs_general_event_log",
        /// The GBCS security event log.
        GbcsSecurityEventLog = 7 => "gbcs_security_event_log",
    }
}

/// Get Event Log "Event Control / Log ID": the low nibble is the Log ID.
pub const LOG_ID_MASK: u8 = 0x0f;
/// Get Event Log "Event Control / Log ID": the high nibble is the Event
/// Control (1: return the full event data, 0: without it).
pub const EVENT_CONTROL_MASK: u8 = 0xf0;
/// Publish Event Log "Number of Events / Log Payload Control": the high
/// nibble is the number of events in this command.
pub const NUMBER_OF_EVENTS_MASK: u8 = 0xf0;
/// Publish Event Log "Number of Events / Log Payload Control": bit 0 set
/// means more matching events follow in later commands.
pub const LOG_PAYLOAD_CONTROL_MORE_EVENTS: u8 = 0x01;

/// Clear Event Log Response "Cleared Event Logs" bit 0: all logs cleared.
pub const CLEARED_ALL_LOGS: u8 = 0x01;
/// Cleared Event Logs bit 1: the tamper log.
pub const CLEARED_TAMPER_LOG: u8 = 0x02;
/// Cleared Event Logs bit 2: the fault log.
pub const CLEARED_FAULT_LOG: u8 = 0x04;
/// Cleared Event Logs bit 3: the general event log.
pub const CLEARED_GENERAL_EVENT_LOG: u8 = 0x08;
/// Cleared Event Logs bit 4: the security event log.
pub const CLEARED_SECURITY_EVENT_LOG: u8 = 0x10;
/// Cleared Event Logs bit 5: the network event log.
pub const CLEARED_NETWORK_EVENT_LOG: u8 = 0x20;
/// Cleared Event Logs bit 6: the GBCS general event log.
pub const CLEARED_GBCS_GENERAL_EVENT_LOG: u8 = 0x40;
/// Cleared Event Logs bit 7: the GBCS security event log.
pub const CLEARED_GBCS_SECURITY_EVENT_LOG: u8 = 0x80;

/// The Events cluster. It has no attributes (ZigBee SE 1.4 10.11.2).
pub static CLUSTER: Cluster = Cluster {
    id: 0x0709,
    name: "Events",
    label: "events",
    clause: "ZigBee SE 1.4 10.11",
    attributes: &[],
    client_attributes: &[],
    received: &[
        Command::new(
            0x00,
            "Get Event Log",
            "get_event_log",
            &[
                Field::new("event_control_log_id", Bitmap8),
                Field::new("event_id", Uint16),
                Field::new("start_time", UtcTime),
                Field::new("end_time", UtcTime),
                Field::new("number_of_events", Uint8),
                Field::new("event_offset", Uint16),
            ],
        ),
        Command::new(
            0x01,
            "Clear Event Log Request",
            "clear_event_log_request",
            &[Field::new("log_id", Enum8).values(LOG_ID)],
        ),
    ],
    generated: &[
        Command::new(
            0x00,
            "Publish Event",
            "publish_event",
            &[
                Field::new("log_id", Enum8).values(LOG_ID),
                Field::new("event_id", Uint16),
                Field::new("event_time", UtcTime),
                Field::new("event_control", Bitmap8),
                Field::new("event_data", OctetString),
            ],
        ),
        Command::new(
            0x01,
            "Publish Event Log",
            "publish_event_log",
            &[
                Field::new("total_number_of_matching_events", Uint16),
                Field::new("command_index", Uint8),
                Field::new("total_commands", Uint8),
                Field::new("number_of_events_log_payload_control", Bitmap8),
                Field::records(
                    "log_payload",
                    &[
                        Field::new("log_id", Enum8).values(LOG_ID),
                        Field::new("event_id", Uint16),
                        Field::new("event_time", UtcTime),
                        Field::new("event_data", OctetString),
                    ],
                ),
            ],
        ),
        Command::new(
            0x02,
            "Clear Event Log Response",
            "clear_event_log_response",
            &[Field::new("cleared_event_logs", Bitmap8)],
        ),
    ],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::cluster::{ClusterCommand, Value};

    fn decode(direction: Direction, id: u8, payload: &[u8]) -> ClusterCommand<'_> {
        ClusterCommand::decode(0x0709, direction, id, payload)
            .unwrap()
            .unwrap()
    }

    fn u(c: &ClusterCommand<'_>, name: &str) -> u64 {
        c.field(name).unwrap().value.as_u64().unwrap()
    }

    #[test]
    fn log_id_enum_and_table_agree() {
        assert_eq!(LogId::ALL.len(), LOG_ID.len());
        for (id, (v, name)) in LogId::ALL.iter().zip(LOG_ID) {
            assert_eq!(u64::from(id.value()), *v);
            assert_eq!(id.label(), Some(*name));
        }
        assert_eq!(LogId::from(9), LogId::Unknown(9));
    }

    #[test]
    fn publish_event_as_tshark_reads_it() {
        // tshark 4.0: Log ID 0x03, Event ID 0x0001, Event Time 2000-01-01
        // 00:00:16 UTC, Event Control 0x0b, Event Data 01:02:03:04.
        let p = [0x03, 0x01, 0x00, 0x10, 0, 0, 0, 0x0b, 0x04, 1, 2, 3, 4];
        let c = decode(Direction::ToClient, 0x00, &p);
        assert_eq!(c.command.label, "publish_event");
        let log = c.field("log_id").unwrap();
        assert_eq!(log.value.as_u64(), Some(3));
        assert_eq!(log.spec.value_name(3), Some("general_event_log"));
        assert_eq!(u(&c, "event_id"), 1);
        assert_eq!(u(&c, "event_time"), 16);
        assert_eq!(u(&c, "event_control"), 0x0b);
        assert_eq!(
            c.field("event_data").unwrap().value.as_bytes(),
            Some(&[1u8, 2, 3, 4][..])
        );
        for n in 0..p.len() {
            assert!(
                ClusterCommand::decode(0x0709, Direction::ToClient, 0, &p[..n]).is_err(),
                "{n}"
            );
        }
    }

    #[test]
    fn publish_event_log_records() {
        // tshark 4.0: Total Number of Matching Events 3, Command Index 0, Total
        // Commands 1, Number of Events / Log Payload Control 0x12; Event Log 1:
        // Log ID 1, Event ID 1, Event Time 2000-01-01 00:00:00, Event Data 00;
        // Event Log 2: Log ID 2, Event ID 0x0020, Event Time 00:00:32, Event
        // Data 0a:0b.
        let p = [
            0x03, 0x00, 0x00, 0x01, 0x12, // header
            0x01, 0x01, 0x00, 0, 0, 0, 0, 0x01, 0x00, // record 1
            0x02, 0x20, 0x00, 0x20, 0, 0, 0, 0x02, 0x0a, 0x0b, // record 2
        ];
        let c = decode(Direction::ToClient, 0x01, &p);
        assert_eq!(u(&c, "total_number_of_matching_events"), 3);
        assert_eq!(u(&c, "command_index"), 0);
        assert_eq!(u(&c, "total_commands"), 1);
        let control = u8::try_from(u(&c, "number_of_events_log_payload_control")).unwrap();
        assert_eq!((control & NUMBER_OF_EVENTS_MASK) >> 4, 1);
        assert_eq!(control & LOG_PAYLOAD_CONTROL_MORE_EVENTS, 0);
        let Value::Records(rs) = c.field("log_payload").unwrap().value else {
            panic!("records");
        };
        assert_eq!(rs.len(), 2);
        let recs: Vec<(u64, u64, u64, &[u8])> = rs
            .iter()
            .map(|mut f| {
                let log = f.next().unwrap().value.as_u64().unwrap();
                let id = f.next().unwrap().value.as_u64().unwrap();
                let time = f.next().unwrap().value.as_u64().unwrap();
                let data = f.next().unwrap().value.as_bytes().unwrap();
                (log, id, time, data)
            })
            .collect();
        assert_eq!(
            recs,
            [(1, 1, 0, &[0u8][..]), (2, 0x20, 0x20, &[0x0a, 0x0b][..])]
        );
        // A record cut inside its event data is an error.
        assert!(ClusterCommand::decode(0x0709, Direction::ToClient, 1, &p[..p.len() - 1]).is_err());
    }

    #[test]
    fn get_event_log_as_tshark_reads_it() {
        // tshark 4.0: Event Control / Log ID 0x13, Event ID 0x0002, Start Time
        // 2000-01-01, End Time 0xffffffff (Feb 7, 2136), Number of Events 5,
        // Event Offset 10.
        let p = [
            0x13, 0x02, 0x00, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x05, 0x0a, 0x00,
        ];
        let c = decode(Direction::ToServer, 0x00, &p);
        let ecl = u8::try_from(u(&c, "event_control_log_id")).unwrap();
        assert_eq!(ecl & LOG_ID_MASK, 3);
        assert_eq!((ecl & EVENT_CONTROL_MASK) >> 4, 1);
        assert_eq!(u(&c, "event_id"), 2);
        assert_eq!(u(&c, "start_time"), 0);
        assert_eq!(u(&c, "end_time"), 0xffff_ffff);
        assert_eq!(u(&c, "number_of_events"), 5);
        assert_eq!(u(&c, "event_offset"), 10);
    }

    #[test]
    fn clear_event_log_request_and_response() {
        // tshark 4.0: Clear Event Log Request Log ID 0x02; Clear Event Log
        // Response Cleared Event Logs 0x06.
        let c = decode(Direction::ToServer, 0x01, &[0x02]);
        assert_eq!(
            c.field("log_id").unwrap().spec.value_name(2),
            Some("fault_log")
        );
        assert_eq!(LogId::from(2), LogId::FaultLog);
        let c = decode(Direction::ToClient, 0x02, &[0x06]);
        assert_eq!(
            u(&c, "cleared_event_logs"),
            u64::from(CLEARED_TAMPER_LOG | CLEARED_FAULT_LOG)
        );
    }
}
