//! Calendar 0x0707 in the catalogue (ZigBee SE 1.4 10.9): tariff, friendly-credit and
//! auxiliary-switch calendars. Day schedule entries are read in their price-tier form
//! whatever the calendar type; [`ScheduleEntryValue`] reads them for a given type.

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Date, Enum8, OctetString, Uint8, Uint16, Uint32, UtcTime};

/// Calendar Type names (ZigBee SE 1.4 10.9).
pub const CALENDAR_TYPE: &[(u64, &str)] = &[
    (0x00, "delivered"),
    (0x01, "received"),
    (0x02, "delivered_and_received"),
    (0x03, "friendly_credit"),
    (0x04, "auxiliary_load_switch"),
    (0xff, "any"),
];

/// Calendar Time Reference names (ZigBee SE 1.4 10.9).
pub const CALENDAR_TIME_REFERENCE: &[(u64, &str)] = &[
    (0x00, "utc_time"),
    (0x01, "standard_time"),
    (0x02, "local_time"),
];

/// Calendar Type: the delivered (import) tariff calendar.
pub const TYPE_DELIVERED: u8 = 0x00;
/// Calendar Type: the received (export) tariff calendar.
pub const TYPE_RECEIVED: u8 = 0x01;
/// Calendar Type: a calendar for both directions.
pub const TYPE_DELIVERED_AND_RECEIVED: u8 = 0x02;
/// Calendar Type: friendly credit periods; day profile entries hold a
/// Friendly Credit Enable octet instead of a price tier.
pub const TYPE_FRIENDLY_CREDIT: u8 = 0x03;
/// Calendar Type: auxiliary load switching; day profile entries hold the
/// Auxiliary Load Switch State bitmap instead of a price tier.
pub const TYPE_AUXILIARY_LOAD_SWITCH: u8 = 0x04;

/// What the third octet of a day schedule entry means, which follows the
/// calendar type of the Publish Day Profile that carries it (ZigBee SE 1.4
/// 10.9); the table names the octet `price_tier` in every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleEntryValue {
    /// Price Tier, for calendar types 0x00-0x02 (delivered, received, both).
    PriceTier(u8),
    /// Friendly Credit Enable, for calendar type 0x03 (non-zero: enabled).
    FriendlyCreditEnable(bool),
    /// Auxiliary Load Switch State, for calendar type 0x04 (bit *n*-1 is
    /// auxiliary switch *n*).
    AuxiliaryLoadSwitchState(u8),
    /// A calendar type SE 1.4 does not define: the octet as sent.
    Other(u8),
}

impl ScheduleEntryValue {
    /// Reads the entry octet `raw` of a day profile of `calendar_type`.
    #[must_use]
    pub const fn new(calendar_type: u8, raw: u8) -> Self {
        match calendar_type {
            TYPE_DELIVERED | TYPE_RECEIVED | TYPE_DELIVERED_AND_RECEIVED => Self::PriceTier(raw),
            TYPE_FRIENDLY_CREDIT => Self::FriendlyCreditEnable(raw != 0),
            TYPE_AUXILIARY_LOAD_SWITCH => Self::AuxiliaryLoadSwitchState(raw),
            _ => Self::Other(raw),
        }
    }
}

const PROVIDER_ID: Field = Field::new("provider_id", Uint32);
const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const ISSUER_CALENDAR_ID: Field = Field::new("issuer_calendar_id", Uint32);
const CALENDAR_TYPE_FIELD: Field = Field::new("calendar_type", Enum8).values(CALENDAR_TYPE);
const COMMAND_INDEX: Field = Field::new("command_index", Uint8);
const TOTAL_COMMANDS: Field = Field::new("total_number_of_commands", Uint8);

/// The Calendar cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0707,
    name: "Calendar",
    label: "calendar",
    clause: "ZigBee SE 1.4 10.9",
    // Auxiliary Switch Label attribute set (0x00), the cluster's only set.
    attributes: &[Attribute::family(
        0x0000,
        8,
        1,
        1,
        "AuxSwitch{n}Label",
        OctetString,
    )],
    client_attributes: &[],
    received: &[
        Command::new(
            0x00,
            "Get Calendar",
            "get_calendar",
            &[
                Field::new("earliest_start_time", UtcTime),
                Field::new("min_issuer_event_id", Uint32),
                Field::new("number_of_calendars", Uint8),
                CALENDAR_TYPE_FIELD,
                PROVIDER_ID,
            ],
        ),
        Command::new(
            0x01,
            "Get Day Profiles",
            "get_day_profiles",
            &[
                PROVIDER_ID,
                ISSUER_CALENDAR_ID,
                Field::new("start_day_id", Uint8),
                Field::new("number_of_days", Uint8),
            ],
        ),
        Command::new(
            0x02,
            "Get Week Profiles",
            "get_week_profiles",
            &[
                PROVIDER_ID,
                ISSUER_CALENDAR_ID,
                Field::new("start_week_id", Uint8),
                Field::new("number_of_weeks", Uint8),
            ],
        ),
        Command::new(
            0x03,
            "Get Seasons",
            "get_seasons",
            &[PROVIDER_ID, ISSUER_CALENDAR_ID],
        ),
        Command::new(
            0x04,
            "Get Special Days",
            "get_special_days",
            &[
                Field::new("start_time", UtcTime),
                Field::new("number_of_events", Uint8),
                CALENDAR_TYPE_FIELD,
                PROVIDER_ID,
                ISSUER_CALENDAR_ID,
            ],
        ),
        Command::new(
            0x05,
            "Get Calendar Cancellation",
            "get_calendar_cancellation",
            &[],
        ),
    ],
    generated: &[
        Command::new(
            0x00,
            "Publish Calendar",
            "publish_calendar",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                ISSUER_CALENDAR_ID,
                Field::new("start_time", UtcTime),
                CALENDAR_TYPE_FIELD,
                Field::new("calendar_time_reference", Uint8).values(CALENDAR_TIME_REFERENCE),
                // An octet string in SE 1.4's table, like the other SE labels;
                // its octets are text in practice.
                Field::new("calendar_name", OctetString),
                Field::new("number_of_seasons", Uint8),
                Field::new("number_of_week_profiles", Uint8),
                Field::new("number_of_day_profiles", Uint8),
            ],
        ),
        Command::new(
            0x01,
            "Publish Day Profile",
            "publish_day_profile",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                ISSUER_CALENDAR_ID,
                Field::new("day_id", Uint8),
                Field::new("total_number_of_schedule_entries", Uint8),
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                CALENDAR_TYPE_FIELD,
                // The third octet is Price Tier for calendar types 0x00-0x02,
                // Friendly Credit Enable for 0x03 and Auxiliary Load Switch
                // State for 0x04; the table names it as the tariff form.
                Field::records(
                    "day_schedule_entries",
                    &[
                        Field::new("start_time", Uint16),
                        Field::new("price_tier", Uint8),
                    ],
                ),
            ],
        ),
        Command::new(
            0x02,
            "Publish Week Profile",
            "publish_week_profile",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                ISSUER_CALENDAR_ID,
                Field::new("week_id", Uint8),
                Field::new("day_id_ref_monday", Uint8),
                Field::new("day_id_ref_tuesday", Uint8),
                Field::new("day_id_ref_wednesday", Uint8),
                Field::new("day_id_ref_thursday", Uint8),
                Field::new("day_id_ref_friday", Uint8),
                Field::new("day_id_ref_saturday", Uint8),
                Field::new("day_id_ref_sunday", Uint8),
            ],
        ),
        Command::new(
            0x03,
            "Publish Seasons",
            "publish_seasons",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                ISSUER_CALENDAR_ID,
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                Field::records(
                    "season_entries",
                    &[
                        Field::new("season_start_date", Date),
                        Field::new("week_id_ref", Uint8),
                    ],
                ),
            ],
        ),
        Command::new(
            0x04,
            "Publish Special Days",
            "publish_special_days",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                ISSUER_CALENDAR_ID,
                Field::new("start_time", UtcTime),
                CALENDAR_TYPE_FIELD,
                Field::new("total_number_of_special_days", Uint8),
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                Field::records(
                    "special_day_entries",
                    &[
                        Field::new("special_day_date", Date),
                        Field::new("day_id_ref", Uint8),
                    ],
                ),
            ],
        ),
        Command::new(
            0x05,
            "Cancel Calendar",
            "cancel_calendar",
            &[PROVIDER_ID, ISSUER_CALENDAR_ID, CALENDAR_TYPE_FIELD],
        ),
    ],
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use smets_core::Encode;

    use super::*;
    use crate::zcl::cluster::{Arg, ClusterCommand, CommandPayload, Value};
    use crate::zcl::types::Date as ZclDate;
    use crate::zcl::{Direction, ZclValue};

    /// Provider ID 1, Issuer Event ID 2, Issuer Calendar ID 3, as every
    /// published command below starts.
    const IDS: [u8; 12] = [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0];

    fn with_ids(tail: &[u8]) -> Vec<u8> {
        let mut v = IDS.to_vec();
        v.extend_from_slice(tail);
        v
    }

    fn decode(dir: Direction, id: u8, b: &[u8]) -> ClusterCommand<'_> {
        ClusterCommand::decode(0x0707, dir, id, b).unwrap().unwrap()
    }

    fn records(c: &ClusterCommand<'_>, name: &str) -> Vec<Vec<u64>> {
        let Value::Records(rs) = c.field(name).unwrap().value else {
            panic!("{name} is records")
        };
        rs.iter()
            .map(|r| {
                r.map(|f| match f.value {
                    Value::Zcl(ZclValue::Date(d)) => {
                        u64::from(u32::from_le_bytes([d.year, d.month, d.day, d.weekday]))
                    }
                    v => v.as_u64().unwrap(),
                })
                .collect()
            })
            .collect()
    }

    /// Publish Calendar as tshark 4.0 shows it: Provider ID 1, Issuer Event
    /// ID 2, Issuer Calendar ID 3, Start Time Feb 14, 2024 05:37:04 UTC,
    /// Calendar Type "Delivered Calendar", Calendar Time Reference "Local
    /// Time" (2), Calendar Name "Std", 1 season, 1 week profile, 2 day profiles.
    #[test]
    fn publish_calendar() {
        let b = with_ids(&[
            0x00, 0x0e, 0x5f, 0x2d, 0x00, 0x02, 0x03, b'S', b't', b'd', 0x01, 0x01, 0x02,
        ]);
        let c = decode(Direction::ToClient, 0x00, &b);
        assert_eq!(c.command.label, "publish_calendar");
        let v = |n: &str| c.field(n).unwrap().value;
        assert_eq!(v("provider_id").as_u64(), Some(1));
        assert_eq!(v("issuer_event_id").as_u64(), Some(2));
        assert_eq!(v("issuer_calendar_id").as_u64(), Some(3));
        assert_eq!(v("start_time").as_u64(), Some(0x2d5f_0e00));
        let t = c.field("calendar_type").unwrap();
        assert_eq!(
            t.spec.value_name(t.value.as_u64().unwrap()),
            Some("delivered")
        );
        let r = c.field("calendar_time_reference").unwrap();
        assert_eq!(
            r.spec.value_name(r.value.as_u64().unwrap()),
            Some("local_time")
        );
        assert_eq!(v("calendar_name").as_bytes(), Some(&b"Std"[..]));
        assert_eq!(v("number_of_seasons").as_u64(), Some(1));
        assert_eq!(v("number_of_week_profiles").as_u64(), Some(1));
        assert_eq!(v("number_of_day_profiles").as_u64(), Some(2));
        for n in 0..b.len() {
            assert!(ClusterCommand::decode(0x0707, Direction::ToClient, 0x00, &b[..n]).is_err());
        }
        let args = [
            Arg::Zcl(ZclValue::Unsigned(Uint32, 1)),
            Arg::Zcl(ZclValue::Unsigned(Uint32, 2)),
            Arg::Zcl(ZclValue::Unsigned(Uint32, 3)),
            Arg::Zcl(ZclValue::UtcTime(0x2d5f_0e00)),
            Arg::Zcl(ZclValue::Enum8(TYPE_DELIVERED)),
            Arg::Zcl(ZclValue::Unsigned(Uint8, 2)),
            Arg::Zcl(ZclValue::OctetString(Some(b"Std"))),
            Arg::Zcl(ZclValue::Unsigned(Uint8, 1)),
            Arg::Zcl(ZclValue::Unsigned(Uint8, 1)),
            Arg::Zcl(ZclValue::Unsigned(Uint8, 2)),
        ];
        let mut out = Vec::new();
        CommandPayload::new(c.command, &args)
            .encode(&mut out)
            .unwrap();
        assert_eq!(out, b);
    }

    /// Publish Day Profile as tshark 4.0 shows it: Day ID 1, 2 entries,
    /// command 0 of 1, delivered; entries (start 0, tier 1), (start 300, tier 2).
    #[test]
    fn publish_day_profile() {
        let b = with_ids(&[
            0x01, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2c, 0x01, 0x02,
        ]);
        let c = decode(Direction::ToClient, 0x01, &b);
        assert_eq!(c.field("day_id").unwrap().value.as_u64(), Some(1));
        assert_eq!(
            c.field("total_number_of_schedule_entries")
                .unwrap()
                .value
                .as_u64(),
            Some(2)
        );
        assert_eq!(records(&c, "day_schedule_entries"), [[0, 1], [300, 2]]);
        // Entries are three octets each.
        assert!(
            ClusterCommand::decode(0x0707, Direction::ToClient, 0x01, &b[..b.len() - 1]).is_err()
        );
        assert_eq!(
            ScheduleEntryValue::new(TYPE_DELIVERED, 2),
            ScheduleEntryValue::PriceTier(2)
        );
        assert_eq!(
            ScheduleEntryValue::new(TYPE_FRIENDLY_CREDIT, 1),
            ScheduleEntryValue::FriendlyCreditEnable(true)
        );
        assert_eq!(
            ScheduleEntryValue::new(TYPE_AUXILIARY_LOAD_SWITCH, 0x81),
            ScheduleEntryValue::AuxiliaryLoadSwitchState(0x81)
        );
        assert_eq!(
            ScheduleEntryValue::new(0x09, 7),
            ScheduleEntryValue::Other(7)
        );
        // No entries at all is a valid (empty) run.
        let empty = decode(Direction::ToClient, 0x01, &b[..17]);
        assert!(records(&empty, "day_schedule_entries").is_empty());
    }

    /// Publish Seasons and Publish Special Days as tshark 4.0 shows them:
    /// a season from 2024-01-01 (Monday) on week 1; a special day
    /// 2024-12-25 (Wednesday) on day 5.
    #[test]
    fn publish_seasons_and_special_days() {
        let b = with_ids(&[0x00, 0x01, 0x7c, 0x01, 0x01, 0x01, 0x01]);
        let c = decode(Direction::ToClient, 0x03, &b);
        let Value::Records(rs) = c.field("season_entries").unwrap().value else {
            panic!("records")
        };
        let rec: Vec<_> = rs.iter().next().unwrap().collect();
        assert_eq!(
            rec[0].value,
            Value::Zcl(ZclValue::Date(ZclDate {
                year: 124,
                month: 1,
                day: 1,
                weekday: 1
            }))
        );
        assert_eq!(rec[1].value.as_u64(), Some(1));

        let b = with_ids(&[
            0x00, 0x0e, 0x5f, 0x2d, 0x00, 0x01, 0x00, 0x01, 0x7c, 0x0c, 0x19, 0x03, 0x05,
        ]);
        let c = decode(Direction::ToClient, 0x04, &b);
        assert_eq!(
            c.field("total_number_of_special_days")
                .unwrap()
                .value
                .as_u64(),
            Some(1)
        );
        assert_eq!(
            records(&c, "special_day_entries"),
            [[u64::from(u32::from_le_bytes([0x7c, 0x0c, 0x19, 0x03])), 5]]
        );
    }

    /// Publish Week Profile as tshark 4.0 shows it: Week ID 1, Monday to
    /// Friday day 1, Saturday day 2, Sunday day 3.
    #[test]
    fn publish_week_profile() {
        let b = with_ids(&[1, 1, 1, 1, 1, 1, 2, 3]);
        let c = decode(Direction::ToClient, 0x02, &b);
        let days: Vec<u64> = c
            .fields()
            .skip(3)
            .map(|f| f.value.as_u64().unwrap())
            .collect();
        assert_eq!(days, [1, 1, 1, 1, 1, 1, 2, 3]);
        assert_eq!(
            c.field("day_id_ref_sunday").unwrap().value.as_u64(),
            Some(3)
        );
        assert!(
            ClusterCommand::decode(0x0707, Direction::ToClient, 0x02, &b[..b.len() - 1]).is_err()
        );
    }

    /// Get Calendar, Get Special Days and Cancel Calendar as tshark 4.0
    /// shows them (it names calendar type 0xff "Unknown").
    #[test]
    fn requests_and_cancel() {
        let g = decode(
            Direction::ToServer,
            0x00,
            &[
                0x00, 0x0e, 0x5f, 0x2d, 0, 0, 0, 0, 0x01, 0xff, 0x01, 0, 0, 0,
            ],
        );
        let t = g.field("calendar_type").unwrap();
        assert_eq!(t.spec.value_name(0xff), Some("any"));
        assert_eq!(g.field("provider_id").unwrap().value.as_u64(), Some(1));
        let x = decode(Direction::ToServer, 0x05, &[]);
        assert_eq!(x.command.label, "get_calendar_cancellation");
        let sd = decode(
            Direction::ToServer,
            0x04,
            &[0x00, 0x0e, 0x5f, 0x2d, 2, 0x00, 1, 0, 0, 0, 3, 0, 0, 0],
        );
        assert_eq!(
            sd.field("number_of_events").unwrap().value.as_u64(),
            Some(2)
        );
        assert_eq!(
            sd.field("issuer_calendar_id").unwrap().value.as_u64(),
            Some(3)
        );
        let k = decode(Direction::ToClient, 0x05, &[1, 0, 0, 0, 3, 0, 0, 0, 0x04]);
        assert_eq!(
            k.field("calendar_type").unwrap().value.as_u64(),
            Some(u64::from(TYPE_AUXILIARY_LOAD_SWITCH))
        );
    }

    #[test]
    fn aux_switch_labels() {
        use alloc::string::ToString;
        assert_eq!(
            CLUSTER.attribute(false, 0x0007).unwrap().name().to_string(),
            "AuxSwitch8Label"
        );
        assert!(CLUSTER.attribute(false, 0x0008).is_none());
    }
}
