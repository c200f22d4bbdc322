//! Prepayment 0x0705 in the catalogue (ZigBee SE 1.4 10.7): credit, debt, top-up (the
//! GB UTRN travels in Consumer Top Up) and emergency credit. Attribute set 0x03 is empty,
//! as in Wireshark and the Exegin stack; snapshots are read only in the Debt/Credit form.

use smets_core::{DecodeError, Layer, Reader};

use super::{Attribute, Cluster, Command, Field, Quantity};
use crate::zcl::DataType::{
    Bitmap8, Bitmap16, Bitmap32, Enum8, Int32, OctetString, Uint8, Uint16, Uint32, Uint48, UtcTime,
};

/// Originating Device names (ZigBee SE 1.4 10.7), in Consumer Top Up,
/// its response and the OriginatingDevice*N* attributes.
pub const ORIGINATING_DEVICE: &[(u64, &str)] = &[
    (0x00, "energy_service_interface"),
    (0x01, "meter"),
    (0x02, "in_home_display"),
];

/// Result Type names of Consumer Top Up Response (ZigBee SE 1.4 10.7).
pub const RESULT_TYPE: &[(u64, &str)] = &[
    (0x00, "accepted"),
    (0x01, "rejected_invalid_top_up"),
    (0x02, "rejected_duplicate_top_up"),
    (0x03, "rejected_error"),
    (0x04, "rejected_max_credit_reached"),
    (0x05, "rejected_keypad_lock"),
    (0x06, "rejected_top_up_value_too_large"),
    (0x10, "accepted_supply_enabled"),
    (0x11, "accepted_supply_disabled"),
    (0x12, "accepted_supply_armed"),
];

/// Credit Adjustment Type names (ZigBee SE 1.4 10.7).
pub const CREDIT_TYPE: &[(u64, &str)] = &[(0x00, "credit_incremental"), (0x01, "credit_absolute")];

/// Debt Amount Type names of Change Debt (ZigBee SE 1.4 10.7).
pub const DEBT_AMOUNT_TYPE: &[(u64, &str)] = &[
    (0x00, "type_1_absolute"),
    (0x01, "type_1_incremental"),
    (0x02, "type_2_absolute"),
    (0x03, "type_2_incremental"),
    (0x04, "type_3_absolute"),
    (0x05, "type_3_incremental"),
];

/// Debt Recovery Method names (ZigBee SE 1.4 10.7).
pub const DEBT_RECOVERY_METHOD: &[(u64, &str)] = &[
    (0x00, "time_based"),
    (0x01, "percentage_based"),
    (0x02, "catch_up_based"),
];

/// Debt Recovery Frequency names (ZigBee SE 1.4 10.7).
pub const DEBT_RECOVERY_FREQUENCY: &[(u64, &str)] = &[
    (0x00, "per_hour"),
    (0x01, "per_day"),
    (0x02, "per_week"),
    (0x03, "per_month"),
    (0x04, "per_quarter"),
];

/// Debt Type names of Get Debt Repayment Log and Publish Debt Log
/// (ZigBee SE 1.4 10.7).
pub const DEBT_TYPE: &[(u64, &str)] = &[
    (0x00, "debt_1"),
    (0x01, "debt_2"),
    (0x02, "debt_3"),
    (0xff, "all_debts"),
];

/// Snapshot Payload Type names (ZigBee SE 1.4 10.7).
pub const SNAPSHOT_PAYLOAD_TYPE: &[(u64, &str)] = &[(0x00, "debt_credit_status")];

/// PaymentControlConfiguration bit 0: Disconnection Enabled (ZigBee SE 1.4 10.7).
pub const PAYMENT_CONTROL_DISCONNECTION_ENABLED: u16 = 0x0001;
/// PaymentControlConfiguration bit 1: Prepayment Enabled.
pub const PAYMENT_CONTROL_PREPAYMENT_ENABLED: u16 = 0x0002;
/// PaymentControlConfiguration bit 2: Credit Management Enabled.
pub const PAYMENT_CONTROL_CREDIT_MANAGEMENT_ENABLED: u16 = 0x0004;
/// PaymentControlConfiguration bit 4: Credit Display Enabled.
pub const PAYMENT_CONTROL_CREDIT_DISPLAY_ENABLED: u16 = 0x0010;
/// PaymentControlConfiguration bit 6: Account Base (0 monetary, 1 units).
pub const PAYMENT_CONTROL_ACCOUNT_BASE: u16 = 0x0040;
/// PaymentControlConfiguration bit 7: Contactor Fitted.
pub const PAYMENT_CONTROL_CONTACTOR_FITTED: u16 = 0x0080;
/// PaymentControlConfiguration bit 8: Standing Charge Configuration.
pub const PAYMENT_CONTROL_STANDING_CHARGE: u16 = 0x0100;
/// PaymentControlConfiguration bit 9: Emergency Standing Charge Configuration.
pub const PAYMENT_CONTROL_EMERGENCY_STANDING_CHARGE: u16 = 0x0200;
/// PaymentControlConfiguration bit 10: Debt Configuration.
pub const PAYMENT_CONTROL_DEBT: u16 = 0x0400;
/// PaymentControlConfiguration bit 11: Emergency Debt Configuration.
pub const PAYMENT_CONTROL_EMERGENCY_DEBT: u16 = 0x0800;

/// CreditStatus bit 0: Credit OK (ZigBee SE 1.4 10.7).
pub const CREDIT_STATUS_OK: u8 = 0x01;
/// CreditStatus bit 1: Low Credit.
pub const CREDIT_STATUS_LOW: u8 = 0x02;
/// CreditStatus bit 2: Emergency Credit Enabled.
pub const CREDIT_STATUS_EMERGENCY_ENABLED: u8 = 0x04;
/// CreditStatus bit 3: Emergency Credit Available.
pub const CREDIT_STATUS_EMERGENCY_AVAILABLE: u8 = 0x08;
/// CreditStatus bit 4: Emergency Credit Selected.
pub const CREDIT_STATUS_EMERGENCY_SELECTED: u8 = 0x10;
/// CreditStatus bit 5: Emergency Credit In Use.
pub const CREDIT_STATUS_EMERGENCY_IN_USE: u8 = 0x20;
/// CreditStatus bit 6: Credit Exhausted.
pub const CREDIT_STATUS_EXHAUSTED: u8 = 0x40;

/// Friendly Credit bitmap of Change Payment Mode Response, bit 0: Friendly
/// Credit Enabled (ZigBee SE 1.4 10.7).
pub const FRIENDLY_CREDIT_ENABLED: u8 = 0x01;

/// PrepaymentAlarmStatus bit 0: Low Credit Warning (ZigBee SE 1.4 10.7).
pub const ALARM_LOW_CREDIT_WARNING: u16 = 0x0001;
/// PrepaymentAlarmStatus bit 1: Top Up Code Error.
pub const ALARM_TOP_UP_CODE_ERROR: u16 = 0x0002;
/// PrepaymentAlarmStatus bit 2: Top Up Code Already Used.
pub const ALARM_TOP_UP_CODE_ALREADY_USED: u16 = 0x0004;
/// PrepaymentAlarmStatus bit 3: Top Up Code Invalid.
pub const ALARM_TOP_UP_CODE_INVALID: u16 = 0x0008;
/// PrepaymentAlarmStatus bit 4: Friendly Credit In Use.
pub const ALARM_FRIENDLY_CREDIT_IN_USE: u16 = 0x0010;
/// PrepaymentAlarmStatus bit 5: Friendly Credit Period End Warning.
pub const ALARM_FRIENDLY_CREDIT_PERIOD_END_WARNING: u16 = 0x0020;
/// PrepaymentAlarmStatus bit 6: EC Available.
pub const ALARM_EMERGENCY_CREDIT_AVAILABLE: u16 = 0x0040;
/// PrepaymentAlarmStatus bit 7: Unauthorised Energy Use.
pub const ALARM_UNAUTHORISED_ENERGY_USE: u16 = 0x0080;
/// PrepaymentAlarmStatus bit 8: Disconnected Supply Due to Credit.
pub const ALARM_DISCONNECTED_CREDIT: u16 = 0x0100;
/// PrepaymentAlarmStatus bit 9: Disconnected Supply Due to Tamper.
pub const ALARM_DISCONNECTED_TAMPER: u16 = 0x0200;
/// PrepaymentAlarmStatus bit 10: Disconnected Supply Due to HES.
pub const ALARM_DISCONNECTED_HES: u16 = 0x0400;
/// PrepaymentAlarmStatus bit 11: Physical Attack.
pub const ALARM_PHYSICAL_ATTACK: u16 = 0x0800;
/// PrepaymentAlarmStatus bit 12: Electronic Attack.
pub const ALARM_ELECTRONIC_ATTACK: u16 = 0x1000;

/// Snapshot Cause bit 0: General (ZigBee SE 1.4 10.7, shared with Metering).
pub const SNAPSHOT_CAUSE_GENERAL: u32 = 1 << 0;
/// Snapshot Cause bit 1: End of Billing Period.
pub const SNAPSHOT_CAUSE_END_OF_BILLING_PERIOD: u32 = 1 << 1;
/// Snapshot Cause bit 3: Change of Tariff Information.
pub const SNAPSHOT_CAUSE_CHANGE_OF_TARIFF_INFORMATION: u32 = 1 << 3;
/// Snapshot Cause bit 4: Change of Price Matrix.
pub const SNAPSHOT_CAUSE_CHANGE_OF_PRICE_MATRIX: u32 = 1 << 4;
/// Snapshot Cause bit 10: Manually Triggered from Client.
pub const SNAPSHOT_CAUSE_MANUALLY_TRIGGERED: u32 = 1 << 10;
/// Snapshot Cause bit 12: Change of Tenancy.
pub const SNAPSHOT_CAUSE_CHANGE_OF_TENANCY: u32 = 1 << 12;
/// Snapshot Cause bit 13: Change of Supplier.
pub const SNAPSHOT_CAUSE_CHANGE_OF_SUPPLIER: u32 = 1 << 13;
/// Snapshot Cause bit 14: Change of (Meter) Mode.
pub const SNAPSHOT_CAUSE_CHANGE_OF_METER_MODE: u32 = 1 << 14;
/// Snapshot Cause bit 18: Top Up addition.
pub const SNAPSHOT_CAUSE_TOP_UP_ADDITION: u32 = 1 << 18;
/// Snapshot Cause bit 19: Debt/Credit addition.
pub const SNAPSHOT_CAUSE_DEBT_CREDIT_ADDITION: u32 = 1 << 19;

/// The Debt/Credit Status snapshot payload (Snapshot Payload Type 0x00,
/// ZigBee SE 1.4 10.7), the only type SE 1.4 defines; Publish Prepay
/// Snapshot carries it as its `snapshot_payload` octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DebtCreditStatus {
    /// AccumulatedDebt.
    pub accumulated_debt: i32,
    /// Type 1 DebtRemaining.
    pub type_1_debt_remaining: u32,
    /// Type 2 DebtRemaining.
    pub type_2_debt_remaining: u32,
    /// Type 3 DebtRemaining.
    pub type_3_debt_remaining: u32,
    /// EmergencyCreditRemaining.
    pub emergency_credit_remaining: i32,
    /// CreditRemaining.
    pub credit_remaining: i32,
}

impl DebtCreditStatus {
    /// Wire length: six 32-bit values.
    pub const LEN: usize = 24;

    /// Reads the 24-octet payload; nothing may follow it.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl, offset within `payload`) when it is short or long.
    pub fn parse(payload: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(payload, Layer::Zcl);
        let status = Self {
            accumulated_debt: i32::from_le_bytes(r.array("accumulated_debt")?),
            type_1_debt_remaining: r.u32_le("type_1_debt_remaining")?,
            type_2_debt_remaining: r.u32_le("type_2_debt_remaining")?,
            type_3_debt_remaining: r.u32_le("type_3_debt_remaining")?,
            emergency_credit_remaining: i32::from_le_bytes(r.array("emergency_credit_remaining")?),
            credit_remaining: i32::from_le_bytes(r.array("credit_remaining")?),
        };
        r.finish()?;
        Ok(status)
    }

    /// The wire form.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        let words = [
            self.accumulated_debt.to_le_bytes(),
            self.type_1_debt_remaining.to_le_bytes(),
            self.type_2_debt_remaining.to_le_bytes(),
            self.type_3_debt_remaining.to_le_bytes(),
            self.emergency_credit_remaining.to_le_bytes(),
            self.credit_remaining.to_le_bytes(),
        ];
        for (chunk, w) in out.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&w);
        }
        out
    }
}

const PROVIDER_ID: Field = Field::new("provider_id", Uint32);
const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const COMMAND_INDEX: Field = Field::new("command_index", Uint8);
const TOTAL_COMMANDS: Field = Field::new("total_number_of_commands", Uint8);

/// Historical cost consumption figures are scaled like Metering's historical
/// consumption (HistoricalCostConsumptionFormatting, 0x0500).
const fn cost(id: u16, name: &'static str) -> Attribute {
    Attribute::new(id, name, Uint48).quantity(Quantity::Historical)
}

const fn cost_family(id: u16, count: u16, first: u16, name: &'static str) -> Attribute {
    Attribute::family(id, count, 2, first, name, Uint48).quantity(Quantity::Historical)
}

/// The Prepayment cluster. Attribute ids as ZigBee SE 1.4 10.7 gives them
/// (Wireshark's attribute list and the Exegin stack agree on every id); types
/// as the zsmartsystems tables reproduce the specification's.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0705,
    name: "Prepayment",
    label: "prepayment",
    clause: "ZigBee SE 1.4 10.7",
    attributes: &[
        // Prepayment Information attribute set (0x00).
        Attribute::new(0x0000, "PaymentControlConfiguration", Bitmap16),
        Attribute::new(0x0001, "CreditRemaining", Int32),
        Attribute::new(0x0002, "EmergencyCreditRemaining", Int32),
        Attribute::new(0x0003, "CreditStatus", Bitmap8),
        Attribute::new(0x0004, "CreditRemainingTimeStamp", UtcTime),
        Attribute::new(0x0005, "AccumulatedDebt", Int32),
        Attribute::new(0x0006, "OverallDebtCap", Int32),
        Attribute::new(0x0010, "EmergencyCreditLimitAllowance", Uint32),
        Attribute::new(0x0011, "EmergencyCreditThreshold", Uint32),
        Attribute::new(0x0020, "TotalCreditAdded", Uint48),
        Attribute::new(0x0021, "MaxCreditLimit", Uint32),
        Attribute::new(0x0022, "MaxCreditPerTopUp", Uint32),
        Attribute::new(0x0030, "FriendlyCreditWarning", Uint8),
        Attribute::new(0x0031, "LowCreditWarningLevel", Uint32),
        Attribute::new(0x0032, "IHDLowCreditWarningLevel", Uint32),
        Attribute::new(0x0033, "InterruptSuspendTime", Uint8),
        Attribute::new(0x0034, "RemainingFriendlyCreditTime", Uint16),
        Attribute::new(0x0035, "NextFriendlyCreditPeriod", UtcTime),
        Attribute::new(0x0040, "CutOffValue", Int32),
        Attribute::new(0x0080, "TokenCarrierID", OctetString),
        // Top-up attribute set (0x01): five records, #1 the most recent.
        Attribute::family(0x0100, 5, 0x10, 1, "TopUpDateTime{n}", UtcTime),
        Attribute::family(0x0101, 5, 0x10, 1, "TopUpAmount{n}", Int32),
        Attribute::family(0x0102, 5, 0x10, 1, "OriginatingDevice{n}", Enum8)
            .values(ORIGINATING_DEVICE),
        Attribute::family(0x0103, 5, 0x10, 1, "TopUpCode{n}", OctetString),
        // Debt attribute set (0x02): debts 1 to 3 at 0x0210, 0x0220, 0x0230.
        Attribute::family(0x0210, 3, 0x10, 1, "DebtLabel{n}", OctetString),
        Attribute::family(0x0211, 3, 0x10, 1, "DebtAmount{n}", Uint32),
        Attribute::family(0x0212, 3, 0x10, 1, "DebtRecoveryMethod{n}", Enum8)
            .values(DEBT_RECOVERY_METHOD),
        Attribute::family(0x0213, 3, 0x10, 1, "DebtRecoveryStartTime{n}", UtcTime),
        Attribute::family(0x0214, 3, 0x10, 1, "DebtRecoveryCollectionTime{n}", Uint16),
        Attribute::family(0x0216, 3, 0x10, 1, "DebtRecoveryFrequency{n}", Enum8)
            .values(DEBT_RECOVERY_FREQUENCY),
        Attribute::family(0x0217, 3, 0x10, 1, "DebtRecoveryAmount{n}", Uint32),
        Attribute::family(0x0219, 3, 0x10, 1, "DebtRecoveryTopUpPercentage{n}", Uint16),
        // Alarms attribute set (0x04).
        Attribute::new(0x0400, "PrepaymentAlarmStatus", Bitmap16),
        Attribute::new(0x0401, "PrepayGenericAlarmMask", Bitmap16),
        Attribute::new(0x0402, "PrepaySwitchAlarmMask", Bitmap16),
        Attribute::new(0x0403, "PrepayEventAlarmMask", Bitmap16),
        // Historical Cost Consumption Information set (0x05).
        Attribute::new(0x0500, "HistoricalCostConsumptionFormatting", Bitmap8),
        Attribute::new(0x0501, "ConsumptionUnitOfMeasurement", Enum8),
        Attribute::new(0x0502, "CurrencyScalingFactor", Enum8),
        Attribute::new(0x0503, "Currency", Uint16),
        cost(0x051c, "CurrentDayCostConsumptionDelivered"),
        cost(0x051d, "CurrentDayCostConsumptionReceived"),
        cost(0x051e, "PreviousDayCostConsumptionDelivered"),
        cost(0x051f, "PreviousDayCostConsumptionReceived"),
        cost_family(0x0520, 7, 2, "PreviousDay{n}CostConsumptionDelivered"),
        cost_family(0x0521, 7, 2, "PreviousDay{n}CostConsumptionReceived"),
        cost(0x0530, "CurrentWeekCostConsumptionDelivered"),
        cost(0x0531, "CurrentWeekCostConsumptionReceived"),
        cost(0x0532, "PreviousWeekCostConsumptionDelivered"),
        cost(0x0533, "PreviousWeekCostConsumptionReceived"),
        cost_family(0x0534, 4, 2, "PreviousWeek{n}CostConsumptionDelivered"),
        cost_family(0x0535, 4, 2, "PreviousWeek{n}CostConsumptionReceived"),
        cost(0x0540, "CurrentMonthCostConsumptionDelivered"),
        cost(0x0541, "CurrentMonthCostConsumptionReceived"),
        cost(0x0542, "PreviousMonthCostConsumptionDelivered"),
        cost(0x0543, "PreviousMonthCostConsumptionReceived"),
        cost_family(0x0544, 12, 2, "PreviousMonth{n}CostConsumptionDelivered"),
        cost_family(0x0545, 12, 2, "PreviousMonth{n}CostConsumptionReceived"),
        Attribute::new(0x055c, "HistoricalFreezeTime", Uint16),
    ],
    client_attributes: &[],
    received: &[
        // Earlier revisions (and the zsmartsystems tables) follow these with
        // Site ID and Meter Serial Number octet strings; SE 1.4, Wireshark
        // and the Exegin stack have only these two fields.
        Command::new(
            0x00,
            "Select Available Emergency Credit",
            "select_available_emergency_credit",
            &[
                Field::new("command_issue_date_time", UtcTime),
                Field::new("originating_device", Enum8).values(ORIGINATING_DEVICE),
            ],
        ),
        Command::new(
            0x02,
            "Change Debt",
            "change_debt",
            &[
                ISSUER_EVENT_ID,
                Field::new("debt_label", OctetString),
                Field::new("debt_amount", Uint32),
                Field::new("debt_recovery_method", Enum8).values(DEBT_RECOVERY_METHOD),
                Field::new("debt_amount_type", Enum8).values(DEBT_AMOUNT_TYPE),
                Field::new("debt_recovery_start_time", UtcTime),
                Field::new("debt_recovery_collection_time", Uint16),
                Field::new("debt_recovery_frequency", Enum8).values(DEBT_RECOVERY_FREQUENCY),
                Field::new("debt_recovery_amount", Uint32),
                Field::new("debt_recovery_balance_percentage", Uint16),
            ],
        ),
        Command::new(
            0x03,
            "Emergency Credit Setup",
            "emergency_credit_setup",
            &[
                ISSUER_EVENT_ID,
                Field::new("start_time", UtcTime),
                Field::new("emergency_credit_limit", Uint32),
                Field::new("emergency_credit_threshold", Uint32),
            ],
        ),
        Command::new(
            0x04,
            "Consumer Top Up",
            "consumer_top_up",
            &[
                Field::new("originating_device", Enum8).values(ORIGINATING_DEVICE),
                Field::new("top_up_code", OctetString),
            ],
        ),
        Command::new(
            0x05,
            "Credit Adjustment",
            "credit_adjustment",
            &[
                ISSUER_EVENT_ID,
                Field::new("start_time", UtcTime),
                Field::new("credit_adjustment_type", Enum8).values(CREDIT_TYPE),
                Field::new("credit_adjustment_value", Int32),
            ],
        ),
        Command::new(
            0x06,
            "Change Payment Mode",
            "change_payment_mode",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                Field::new("implementation_date_time", UtcTime),
                Field::new("proposed_payment_control_configuration", Bitmap16),
                Field::new("cut_off_value", Int32),
            ],
        ),
        Command::new(
            0x07,
            "Get Prepay Snapshot",
            "get_prepay_snapshot",
            &[
                Field::new("earliest_start_time", UtcTime),
                Field::new("latest_end_time", UtcTime),
                Field::new("snapshot_offset", Uint8),
                Field::new("snapshot_cause", Bitmap32),
            ],
        ),
        Command::new(
            0x08,
            "Get Top Up Log",
            "get_top_up_log",
            &[
                Field::new("latest_end_time", UtcTime),
                Field::new("number_of_records", Uint8),
            ],
        ),
        Command::new(
            0x09,
            "Set Low Credit Warning Level",
            "set_low_credit_warning_level",
            &[Field::new("low_credit_warning_level", Uint32)],
        ),
        Command::new(
            0x0a,
            "Get Debt Repayment Log",
            "get_debt_repayment_log",
            &[
                Field::new("latest_end_time", UtcTime),
                Field::new("number_of_debts", Uint8),
                Field::new("debt_type", Enum8).values(DEBT_TYPE),
            ],
        ),
        Command::new(
            0x0b,
            "Set Maximum Credit Limit",
            "set_maximum_credit_limit",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                Field::new("implementation_date_time", UtcTime),
                Field::new("maximum_credit_level", Uint32),
                Field::new("maximum_credit_per_top_up", Uint32),
            ],
        ),
        Command::new(
            0x0c,
            "Set Overall Debt Cap",
            "set_overall_debt_cap",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                Field::new("implementation_date_time", UtcTime),
                Field::new("overall_debt_cap", Int32),
            ],
        ),
    ],
    generated: &[
        // The snapshot payload's layout follows snapshot_payload_type; SE 1.4
        // defines only type 0, read it with `DebtCreditStatus::parse`.
        Command::new(
            0x01,
            "Publish Prepay Snapshot",
            "publish_prepay_snapshot",
            &[
                Field::new("snapshot_id", Uint32),
                Field::new("snapshot_time", UtcTime),
                Field::new("total_snapshots_found", Uint8),
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                Field::new("snapshot_cause", Bitmap32),
                Field::new("snapshot_payload_type", Enum8).values(SNAPSHOT_PAYLOAD_TYPE),
                Field::rest("snapshot_payload"),
            ],
        ),
        Command::new(
            0x02,
            "Change Payment Mode Response",
            "change_payment_mode_response",
            &[
                Field::new("friendly_credit", Bitmap8),
                Field::new("friendly_credit_calendar_id", Uint32),
                Field::new("emergency_credit_limit", Uint32),
                Field::new("emergency_credit_threshold", Uint32),
            ],
        ),
        Command::new(
            0x03,
            "Consumer Top Up Response",
            "consumer_top_up_response",
            &[
                Field::new("result_type", Enum8).values(RESULT_TYPE),
                Field::new("top_up_value", Int32),
                Field::new("source_of_top_up", Enum8).values(ORIGINATING_DEVICE),
                Field::new("credit_remaining", Int32),
            ],
        ),
        Command::new(
            0x05,
            "Publish Top Up Log",
            "publish_top_up_log",
            &[
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                Field::records(
                    "top_up_payload",
                    &[
                        Field::new("top_up_code", OctetString),
                        Field::new("top_up_amount", Int32),
                        Field::new("top_up_time", UtcTime),
                    ],
                ),
            ],
        ),
        Command::new(
            0x06,
            "Publish Debt Log",
            "publish_debt_log",
            &[
                COMMAND_INDEX,
                TOTAL_COMMANDS,
                Field::records(
                    "debt_payload",
                    &[
                        Field::new("collection_time", UtcTime),
                        Field::new("amount_collected", Uint32),
                        Field::new("debt_type", Enum8).values(DEBT_TYPE),
                        Field::new("outstanding_debt", Uint32),
                    ],
                ),
            ],
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
    use crate::zcl::{Direction, ZclValue};

    /// Consumer Top Up from a PPMID: originating device 0x02 (IHD), a
    /// 20-digit UTRN as an octet string. tshark 4.0: Originating Device 2,
    /// TopUp Code 31:32:...:30.
    const TOP_UP: [u8; 22] = [
        0x02, 0x14, b'1', b'2', b'3', b'4', b'5', b'6', b'7', b'8', b'9', b'0', b'1', b'2', b'3',
        b'4', b'5', b'6', b'7', b'8', b'9', b'0',
    ];

    fn decode(dir: Direction, id: u8, b: &[u8]) -> ClusterCommand<'_> {
        ClusterCommand::decode(0x0705, dir, id, b).unwrap().unwrap()
    }

    #[test]
    fn consumer_top_up() {
        let c = decode(Direction::ToServer, 0x04, &TOP_UP);
        assert_eq!(c.command.label, "consumer_top_up");
        let dev = c.field("originating_device").unwrap();
        assert_eq!(dev.value.as_u64(), Some(2));
        assert_eq!(dev.spec.value_name(2), Some("in_home_display"));
        assert_eq!(
            c.field("top_up_code").unwrap().value.as_bytes(),
            Some(&b"12345678901234567890"[..])
        );
        for n in 0..TOP_UP.len() {
            assert!(
                ClusterCommand::decode(0x0705, Direction::ToServer, 0x04, &TOP_UP[..n]).is_err()
            );
        }
        let args = [
            Arg::Zcl(ZclValue::Enum8(2)),
            Arg::Zcl(ZclValue::OctetString(Some(b"12345678901234567890"))),
        ];
        let mut out = Vec::new();
        CommandPayload::new(c.command, &args)
            .encode(&mut out)
            .unwrap();
        assert_eq!(out, TOP_UP);
    }

    #[test]
    fn consumer_top_up_response() {
        // Accepted, 10.00 added, from the IHD, 25.50 remaining (units of the
        // currency's smallest division). tshark 4.0: Result Type 0, Top Up
        // Value 1000, Source of Top up 2, Credit Remaining 2550.
        let b = [0x00, 0xe8, 0x03, 0, 0, 0x02, 0xf6, 0x09, 0, 0];
        let c = decode(Direction::ToClient, 0x03, &b);
        let f = c.field("result_type").unwrap();
        assert_eq!(
            f.spec.value_name(f.value.as_u64().unwrap()),
            Some("accepted")
        );
        assert_eq!(c.field("top_up_value").unwrap().value.as_u64(), Some(1000));
        assert_eq!(c.field("source_of_top_up").unwrap().value.as_u64(), Some(2));
        assert_eq!(
            c.field("credit_remaining").unwrap().value.as_u64(),
            Some(2550)
        );
        // A negative credit remaining is a signed value.
        let neg = [0x00, 0xe8, 0x03, 0, 0, 0x02, 0xff, 0xff, 0xff, 0xff];
        let c = decode(Direction::ToClient, 0x03, &neg);
        assert_eq!(
            c.field("credit_remaining").unwrap().value,
            Value::Zcl(ZclValue::Signed(Int32, -1))
        );
    }

    #[test]
    fn select_emergency_credit() {
        // tshark 4.0: Command Issue Date/Time Feb 14, 2024 05:37:04 UTC,
        // Originating Device 2.
        let b = [0x00, 0x0e, 0x5f, 0x2d, 0x02];
        let c = decode(Direction::ToServer, 0x00, &b);
        assert_eq!(
            c.field("command_issue_date_time").unwrap().value.as_u64(),
            Some(0x2d5f_0e00)
        );
        assert_eq!(
            c.field("originating_device").unwrap().value.as_u64(),
            Some(2)
        );
        assert!(ClusterCommand::decode(0x0705, Direction::ToServer, 0x00, &b[..4]).is_err());
    }

    #[test]
    fn publish_debt_log_records() {
        // tshark 4.0 agrees on the first record: Collection Time Feb 14, 2024
        // 05:37:04 UTC, Amount Collected 100, Debt Type 1, Outstanding Debt 10000.
        let b = [
            0x00, 0x01, // command 0 of 1
            0x00, 0x0e, 0x5f, 0x2d, 0x64, 0, 0, 0, 0x01, 0x10, 0x27, 0, 0, // debt 2
            0x80, 0x51, 0x60, 0x2d, 0x32, 0, 0, 0, 0x00, 0x88, 0x13, 0, 0, // debt 1
        ];
        let c = decode(Direction::ToClient, 0x06, &b);
        let Value::Records(rs) = c.field("debt_payload").unwrap().value else {
            panic!("records")
        };
        assert_eq!(rs.len(), 2);
        let recs: Vec<Vec<u64>> = rs
            .iter()
            .map(|r| r.map(|f| f.value.as_u64().unwrap()).collect())
            .collect();
        assert_eq!(recs[0], [0x2d5f_0e00, 100, 1, 10_000]);
        assert_eq!(recs[1], [0x2d60_5180, 50, 0, 5000]);
        // A record cut short is an error.
        assert!(
            ClusterCommand::decode(0x0705, Direction::ToClient, 0x06, &b[..b.len() - 1]).is_err()
        );
    }

    #[test]
    fn publish_top_up_log_records() {
        // tshark 4.0: TopUp Log 1: TopUp Code 31:32:33, TopUp Amount 1000,
        // TopUp Time Feb 14, 2024 05:37:04 UTC.
        let b = [
            0x00, 0x01, 0x03, b'1', b'2', b'3', 0xe8, 0x03, 0, 0, 0x00, 0x0e, 0x5f, 0x2d,
        ];
        let c = decode(Direction::ToClient, 0x05, &b);
        let Value::Records(rs) = c.field("top_up_payload").unwrap().value else {
            panic!("records")
        };
        let rec: Vec<_> = rs.iter().next().unwrap().collect();
        assert_eq!(rec[0].value.as_bytes(), Some(&b"123"[..]));
        assert_eq!(rec[1].value.as_u64(), Some(1000));
        assert_eq!(rec[2].value.as_u64(), Some(0x2d5f_0e00));
    }

    #[test]
    fn prepay_snapshot_payload() {
        // tshark 4.0: Snapshot ID 7, Snapshot Time Feb 14, 2024 05:37:04 UTC,
        // Total Snapshots Found 1, Command Index 0, Total Number of Commands
        // 1, Snapshot Cause 0x00000400 "Manually Triggered from Client",
        // Snapshot Payload Type 0, Snapshot Payload fbffffff64000000...06ffffff.
        let status = DebtCreditStatus {
            accumulated_debt: -5,
            type_1_debt_remaining: 100,
            type_2_debt_remaining: 200,
            type_3_debt_remaining: 0,
            emergency_credit_remaining: 500,
            credit_remaining: -250,
        };
        let mut b = alloc::vec![
            0x07, 0, 0, 0, // snapshot id
            0x00, 0x0e, 0x5f, 0x2d, // snapshot time
            1, 0, 1, // found, index, total
            0x00, 0x04, 0, 0,    // cause: manually triggered
            0x00, // debt/credit status
        ];
        b.extend_from_slice(&status.to_bytes());
        let c = decode(Direction::ToClient, 0x01, &b);
        assert_eq!(
            c.field("snapshot_cause").unwrap().value.as_u64(),
            Some(u64::from(SNAPSHOT_CAUSE_MANUALLY_TRIGGERED))
        );
        let payload = c
            .field("snapshot_payload")
            .unwrap()
            .value
            .as_bytes()
            .unwrap();
        assert_eq!(payload.len(), DebtCreditStatus::LEN);
        assert_eq!(DebtCreditStatus::parse(payload).unwrap(), status);
        assert_eq!(payload[..4], [0xfb, 0xff, 0xff, 0xff]);
        for n in 0..payload.len() {
            assert!(DebtCreditStatus::parse(&payload[..n]).is_err());
        }
        let mut long = payload.to_vec();
        long.push(0);
        assert!(DebtCreditStatus::parse(&long).is_err());
    }

    #[test]
    fn change_payment_mode_and_response() {
        // tshark 4.0: Provider ID 1, Issuer Event ID 2, Implementation
        // Date/Time Feb 14, 2024 05:37:04 UTC, Proposed Payment Control
        // Configuration 0x0003 (Disconnection Enabled, Prepayment Enabled),
        // Cut Off Value 1000.
        let b = [
            1, 0, 0, 0, 2, 0, 0, 0, 0x00, 0x0e, 0x5f, 0x2d, 0x03, 0x00, 0xe8, 0x03, 0, 0,
        ];
        let c = decode(Direction::ToServer, 0x06, &b);
        let v = |n: &str| c.field(n).unwrap().value.as_u64().unwrap();
        assert_eq!(v("provider_id"), 1);
        assert_eq!(v("issuer_event_id"), 2);
        assert_eq!(v("implementation_date_time"), 0x2d5f_0e00);
        assert_eq!(
            v("proposed_payment_control_configuration"),
            u64::from(PAYMENT_CONTROL_DISCONNECTION_ENABLED | PAYMENT_CONTROL_PREPAYMENT_ENABLED)
        );
        assert_eq!(v("cut_off_value"), 1000);
        // tshark 4.0: Friendly Credit 0x01, Friendly Credit Calendar ID 9,
        // Emergency Credit Limit 1000, Emergency Credit Threshold 500.
        let r = [0x01, 9, 0, 0, 0, 0xe8, 0x03, 0, 0, 0xf4, 0x01, 0, 0];
        let c = decode(Direction::ToClient, 0x02, &r);
        let v = |n: &str| c.field(n).unwrap().value.as_u64().unwrap();
        assert_eq!(v("friendly_credit"), u64::from(FRIENDLY_CREDIT_ENABLED));
        assert_eq!(v("friendly_credit_calendar_id"), 9);
        assert_eq!(v("emergency_credit_limit"), 1000);
        assert_eq!(v("emergency_credit_threshold"), 500);
    }

    #[test]
    fn log_and_snapshot_requests() {
        // tshark 4.0: Earliest Start Time Feb 14, 2024 05:37:04 UTC, Latest
        // End Time 10:25:04 UTC, Snapshot Offset 1, Snapshot Cause 0x00000400.
        let b = [
            0x00, 0x0e, 0x5f, 0x2d, 0x80, 0x51, 0x5f, 0x2d, 0x01, 0x00, 0x04, 0, 0,
        ];
        let c = decode(Direction::ToServer, 0x07, &b);
        assert_eq!(
            c.field("latest_end_time").unwrap().value.as_u64(),
            Some(0x2d5f_5180)
        );
        assert_eq!(c.field("snapshot_offset").unwrap().value.as_u64(), Some(1));
        // tshark 4.0: Latest End Time 10:25:04 UTC, Number of Records 3,
        // Debt Type 255.
        let c = decode(
            Direction::ToServer,
            0x0a,
            &[0x80, 0x51, 0x5f, 0x2d, 3, 0xff],
        );
        let t = c.field("debt_type").unwrap();
        assert_eq!(
            t.spec.value_name(t.value.as_u64().unwrap()),
            Some("all_debts")
        );
        assert_eq!(c.field("number_of_debts").unwrap().value.as_u64(), Some(3));
    }

    #[test]
    fn attributes_by_id() {
        let name = |id| {
            use alloc::string::ToString;
            CLUSTER.attribute(false, id).unwrap().name().to_string()
        };
        assert_eq!(name(0x0001), "CreditRemaining");
        assert_eq!(name(0x0132), "OriginatingDevice4");
        assert_eq!(name(0x0143), "TopUpCode5");
        assert_eq!(name(0x0229), "DebtRecoveryTopUpPercentage2");
        assert_eq!(name(0x051e), "PreviousDayCostConsumptionDelivered");
        assert_eq!(name(0x0520), "PreviousDay2CostConsumptionDelivered");
        assert_eq!(name(0x052d), "PreviousDay8CostConsumptionReceived");
        assert_eq!(name(0x053b), "PreviousWeek5CostConsumptionReceived");
        assert_eq!(name(0x055a), "PreviousMonth13CostConsumptionDelivered");
        assert!(CLUSTER.attribute(false, 0x0215).is_none());
        assert!(CLUSTER.attribute(false, 0x0144).is_none());
    }
}
