//! Device Management 0x0708 in the catalogue (ZigBee SE 1.4 10.10): supplier,
//! tenancy, site and customer identifiers, passwords and the event
//! configuration a server pushes to its clients. It does not act on them.

use bytes::BufMut;
use smets_core::{DecodeError, Encode, EncodeError, Layer, Reader, ensure_room};

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{Bitmap8, Bitmap32, Enum8, OctetString, Uint8, Uint16, Uint32, UtcTime};

/// Password type names (ZigBee SE 1.4 10.10.3.3.1, table "Password Type").
const PASSWORD_TYPE: &[(u64, &str)] = &[
    (1, "password_1"),
    (2, "password_2"),
    (3, "password_3"),
    (4, "password_4"),
];

/// Configuration Control names of Set Event Configuration (ZigBee SE 1.4 10.10.4.5).
const CONFIGURATION_CONTROL: &[(u64, &str)] = &[
    (0, "apply_by_list"),
    (1, "apply_by_event_group"),
    (2, "apply_by_log_type"),
    (3, "apply_by_configuration_match"),
];

/// Event Configuration bits 0-2 (ZigBee SE 1.4 10.10.2.5): where an event is logged.
pub const EVENT_CONFIGURATION_LOG_MASK: u8 = 0x07;
/// Event Configuration logging value: do not log.
pub const LOG_DO_NOT_LOG: u8 = 0;
/// Event Configuration logging value: log as tamper.
pub const LOG_AS_TAMPER: u8 = 1;
/// Event Configuration logging value: log as fault.
pub const LOG_AS_FAULT: u8 = 2;
/// Event Configuration logging value: log as general event.
pub const LOG_AS_GENERAL_EVENT: u8 = 3;
/// Event Configuration logging value: log as security event.
pub const LOG_AS_SECURITY_EVENT: u8 = 4;
/// Event Configuration logging value: log as network event.
pub const LOG_AS_NETWORK_EVENT: u8 = 5;
/// Event Configuration bit 3: push the event to the WAN.
pub const PUSH_EVENT_TO_WAN: u8 = 0x08;
/// Event Configuration bit 4: push the event to the HAN.
pub const PUSH_EVENT_TO_HAN: u8 = 0x10;
/// Event Configuration bit 5: raise a ZigBee alarm (Alarms cluster).
pub const RAISE_ALARM_ZIGBEE: u8 = 0x20;
/// Event Configuration bit 6: raise a physical alarm (display, buzzer).
pub const RAISE_ALARM_PHYSICAL: u8 = 0x40;

/// Proposed Tenancy Change Control bit 0: take a snapshot before the change (ZigBee SE 1.4 10.10.2.2.2).
pub const TENANCY_PRE_SNAPSHOTS: u32 = 1 << 0;
/// Proposed Tenancy Change Control bit 1: take a snapshot after the change.
pub const TENANCY_POST_SNAPSHOTS: u32 = 1 << 1;
/// Proposed Tenancy Change Control bit 2: reset the credit register.
pub const TENANCY_RESET_CREDIT_REGISTER: u32 = 1 << 2;
/// Proposed Tenancy Change Control bit 3: reset the debit register.
pub const TENANCY_RESET_DEBIT_REGISTER: u32 = 1 << 3;
/// Proposed Tenancy Change Control bit 4: reset the billing period.
pub const TENANCY_RESET_BILLING_PERIOD: u32 = 1 << 4;
/// Proposed Tenancy Change Control bit 5: clear the tariff plan.
pub const TENANCY_CLEAR_TARIFF_PLAN: u32 = 1 << 5;
/// Proposed Tenancy Change Control bit 6: clear the standing charge.
pub const TENANCY_CLEAR_STANDING_CHARGE: u32 = 1 << 6;
/// Proposed Tenancy Change Control bit 7: block historical load profile information.
pub const TENANCY_BLOCK_HISTORICAL_LOAD_PROFILE: u32 = 1 << 7;
/// Proposed Tenancy Change Control bit 8: clear historical load profile information.
pub const TENANCY_CLEAR_HISTORICAL_LOAD_PROFILE: u32 = 1 << 8;
/// Proposed Tenancy Change Control bit 9: clear the consumer's IHD data.
pub const TENANCY_CLEAR_IHD_DATA_CONSUMER: u32 = 1 << 9;
/// Proposed Tenancy Change Control bit 10: clear the supplier's IHD data.
pub const TENANCY_CLEAR_IHD_DATA_SUPPLIER: u32 = 1 << 10;
/// Proposed Tenancy Change Control bits 11-12: meter contactor state
/// (0 supply off, 1 off/armed, 2 on, 3 unchanged).
pub const TENANCY_METER_CONTACTOR_STATE_MASK: u32 = 0x3 << 11;
/// Proposed Tenancy Change Control bit 13: clear the transaction log.
pub const TENANCY_CLEAR_TRANSACTION_LOG: u32 = 1 << 13;
/// Proposed Tenancy Change Control bit 14: clear prepayment data.
pub const TENANCY_CLEAR_PREPAYMENT_DATA: u32 = 1 << 14;

const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const PROVIDER_ID: Field = Field::new("provider_id", Uint32);
const TARIFF_TYPE: Field = Field::new("tariff_type", Bitmap8);

/// An event configuration client attribute: an Event Configuration bitmap
/// (see [`EVENT_CONFIGURATION_LOG_MASK`] and the bits after it).
const fn ev(id: u16, name: &'static str) -> Attribute {
    Attribute::new(id, name, Bitmap8)
}

/// The Device Management cluster.
///
/// Client attributes: the supplier set (0x00xx) and the event configuration
/// sets, one per cluster whose events they configure: Price 0x01xx, Metering
/// 0x02xx, Messaging 0x03xx, Prepayment 0x04xx, Calendar 0x05xx, Device
/// Management 0x06xx, Tunneling 0x07xx, OTA 0x08xx. Each is named after the
/// event it configures, as Wireshark's tables (which follow SE 1.4 10.10.2.5)
/// name them; the 0xNNFF "cluster group" identifiers are left out, since
/// they name a group of events, not an attribute with a value of its own.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0708,
    name: "Device Management",
    label: "device_management",
    clause: "ZigBee SE 1.4 10.10",
    attributes: &[
        // Supplier Control attribute set (10.10.2.1).
        Attribute::new(0x0100, "ProviderID", Uint32),
        Attribute::new(0x0101, "ProviderName", OctetString),
        Attribute::new(0x0102, "ProviderContactDetails", OctetString),
        Attribute::new(0x0110, "ProposedProviderID", Uint32),
        Attribute::new(0x0111, "ProposedProviderName", OctetString),
        Attribute::new(0x0112, "ProposedProviderChangeDateTime", UtcTime),
        Attribute::new(0x0113, "ProposedProviderChangeControl", Bitmap32),
        Attribute::new(0x0114, "ProposedProviderContactDetails", OctetString),
        Attribute::new(0x0120, "ReceivedProviderID", Uint32),
        Attribute::new(0x0121, "ReceivedProviderName", OctetString),
        Attribute::new(0x0122, "ReceivedProviderContactDetails", OctetString),
        Attribute::new(0x0130, "ReceivedProposedProviderID", Uint32),
        Attribute::new(0x0131, "ReceivedProposedProviderName", OctetString),
        Attribute::new(0x0132, "ReceivedProposedProviderChangeDateTime", UtcTime),
        Attribute::new(0x0133, "ReceivedProposedProviderChangeControl", Bitmap32),
        Attribute::new(
            0x0134,
            "ReceivedProposedProviderContactDetails",
            OctetString,
        ),
        // Tenancy Control attribute set (10.10.2.2).
        Attribute::new(0x0200, "ChangeOfTenancyUpdateDateTime", UtcTime),
        Attribute::new(0x0201, "ProposedTenancyChangeControl", Bitmap32),
        // Backhaul Control attribute set (10.10.2.3).
        Attribute::new(0x0300, "WANStatus", Enum8).values(&[
            (0, "connection_to_wan_not_available"),
            (1, "connection_to_wan_available"),
        ]),
        // HAN Control attribute set (10.10.2.4).
        Attribute::new(0x0400, "LowMediumThreshold", Uint32),
        Attribute::new(0x0401, "MediumHighThreshold", Uint32),
    ],
    client_attributes: &[
        Attribute::new(0x0000, "ProviderID", Uint32),
        Attribute::new(0x0010, "ReceivedProviderID", Uint32),
        ev(0x0100, "TOUTariffActivation"),
        ev(0x0101, "BlockTariffActivated"),
        ev(0x0102, "BlockTOUTariffActivated"),
        ev(0x0103, "SingleTariffRateActivated"),
        ev(0x0104, "AsynchronousBillingOccurred"),
        ev(0x0105, "SynchronousBillingOccurred"),
        ev(0x0106, "TariffNotSupported"),
        ev(0x0107, "PriceClusterNotFound"),
        ev(0x0108, "CurrencyChangePassiveActivated"),
        ev(0x0109, "CurrencyChangePassiveUpdated"),
        ev(0x010a, "PriceMatrixPassiveActivated"),
        ev(0x010b, "PriceMatrixPassiveUpdated"),
        ev(0x010c, "TariffChangePassiveActivated"),
        ev(0x010d, "TariffChangedPassiveUpdated"),
        ev(0x01b0, "PublishPriceReceived"),
        ev(0x01b1, "PublishPriceActioned"),
        ev(0x01b2, "PublishPriceCancelled"),
        ev(0x01b3, "PublishPriceRejected"),
        ev(0x01b4, "PublishTariffInformationReceived"),
        ev(0x01b5, "PublishTariffInformationActioned"),
        ev(0x01b6, "PublishTariffInformationCancelled"),
        ev(0x01b7, "PublishTariffInformationRejected"),
        ev(0x01b8, "PublishPriceMatrixReceived"),
        ev(0x01b9, "PublishPriceMatrixActioned"),
        ev(0x01ba, "PublishPriceMatrixCancelled"),
        ev(0x01bb, "PublishPriceMatrixRejected"),
        ev(0x01bc, "PublishBlockThresholdsReceived"),
        ev(0x01bd, "PublishBlockThresholdsActioned"),
        ev(0x01be, "PublishBlockThresholdsCancelled"),
        ev(0x01bf, "PublishBlockThresholdsRejected"),
        ev(0x01c0, "PublishCalorificValueReceived"),
        ev(0x01c1, "PublishCalorificValueActioned"),
        ev(0x01c2, "PublishCalorificValueCancelled"),
        ev(0x01c3, "PublishCalorificValueRejected"),
        ev(0x01c4, "PublishConversionFactorReceived"),
        ev(0x01c5, "PublishConversionFactorActioned"),
        ev(0x01c6, "PublishConversionFactorCancelled"),
        ev(0x01c7, "PublishConversionFactorRejected"),
        ev(0x01c8, "PublishCO2ValueReceived"),
        ev(0x01c9, "PublishCO2ValueActioned"),
        ev(0x01ca, "PublishCO2ValueCancelled"),
        ev(0x01cb, "PublishCO2ValueRejected"),
        ev(0x01cc, "PublishCPPEventReceived"),
        ev(0x01cd, "PublishCPPEventActioned"),
        ev(0x01ce, "PublishCPPEventCancelled"),
        ev(0x01cf, "PublishCPPEventRejected"),
        ev(0x01d0, "PublishTierLabelsReceived"),
        ev(0x01d1, "PublishTierLabelsActioned"),
        ev(0x01d2, "PublishTierLabelsCancelled"),
        ev(0x01d3, "PublishTierLabelsRejected"),
        ev(0x01d4, "PublishBillingPeriodReceived"),
        ev(0x01d5, "PublishBillingPeriodActioned"),
        ev(0x01d6, "PublishBillingPeriodCancelled"),
        ev(0x01d7, "PublishBillingPeriodRejected"),
        ev(0x01d8, "PublishConsolidatedBillReceived"),
        ev(0x01d9, "PublishConsolidatedBillActioned"),
        ev(0x01da, "PublishConsolidatedBillCancelled"),
        ev(0x01db, "PublishConsolidatedBillRejected"),
        ev(0x01dc, "PublishBlockPeriodReceived"),
        ev(0x01dd, "PublishBlockPeriodActioned"),
        ev(0x01de, "PublishBlockPeriodCancelled"),
        ev(0x01df, "PublishBlockPeriodRejected"),
        ev(0x01e0, "PublishCreditPaymentInfoReceived"),
        ev(0x01e1, "PublishCreditPaymentInfoActioned"),
        ev(0x01e2, "PublishCreditPaymentInfoCancelled"),
        ev(0x01e3, "PublishCreditPaymentInfoRejected"),
        ev(0x01e4, "PublishCurrencyConversionReceived"),
        ev(0x01e5, "PublishCurrencyConversionActioned"),
        ev(0x01e6, "PublishCurrencyConversionCancelled"),
        ev(0x01e7, "PublishCurrencyConversionRejected"),
        ev(0x0200, "CheckMeter"),
        ev(0x0201, "LowBattery"),
        ev(0x0202, "TamperDetect"),
        ev(0x0203, "SupplyStatus"),
        ev(0x0204, "SupplyQuality"),
        ev(0x0205, "LeakDetect"),
        ev(0x0206, "ServiceDisconnect"),
        ev(0x0207, "ReverseFlowGasWaterHeatCooling"),
        ev(0x0208, "MeterCoverRemoved"),
        ev(0x0209, "MeterCoverClosed"),
        ev(0x020a, "StrongMagneticField"),
        ev(0x020b, "NoStrongMagneticField"),
        ev(0x020c, "BatteryFailure"),
        ev(0x020d, "ProgramMemoryError"),
        ev(0x020e, "RAMError"),
        ev(0x020f, "NVMemoryError"),
        ev(0x0210, "LowVoltageL1"),
        ev(0x0211, "HighVoltageL1"),
        ev(0x0212, "LowVoltageL2"),
        ev(0x0213, "HighVoltageL2"),
        ev(0x0214, "LowVoltageL3"),
        ev(0x0215, "HighVoltageL3"),
        ev(0x0216, "OverCurrentL1"),
        ev(0x0217, "OverCurrentL2"),
        ev(0x0218, "OverCurrentL3"),
        ev(0x0219, "FrequencyTooLowL1"),
        ev(0x021a, "FrequencyTooHighL1"),
        ev(0x021b, "FrequencyTooLowL2"),
        ev(0x021c, "FrequencyTooHighL2"),
        ev(0x021d, "FrequencyTooLowL3"),
        ev(0x021e, "FrequencyTooHighL3"),
        ev(0x021f, "GroundFault"),
        ev(0x0220, "ElectricTamperDetect"),
        ev(0x0221, "IncorrectPolarity"),
        ev(0x0222, "CurrentNoVoltage"),
        ev(0x0223, "UnderVoltage"),
        ev(0x0224, "OverVoltage"),
        ev(0x0225, "NormalVoltage"),
        ev(0x0226, "PFBelowThreshold"),
        ev(0x0227, "PFAboveThreshold"),
        ev(0x0228, "TerminalCoverRemoved"),
        ev(0x0229, "TerminalCoverClosed"),
        ev(0x0230, "BurstDetect"),
        ev(0x0231, "PressureTooLow"),
        ev(0x0232, "PressureTooHigh"),
        ev(0x0233, "FlowSensorCommunicationError"),
        ev(0x0234, "FlowSensorMeasurementFault"),
        ev(0x0235, "FlowSensorReverseFlow"),
        ev(0x0236, "FlowSensorAirDetect"),
        ev(0x0237, "PipeEmpty"),
        ev(0x0250, "InletTemperatureSensorFault"),
        ev(0x0251, "OutletTemperatureSensorFault"),
        ev(0x0260, "ReverseFlow"),
        ev(0x0261, "TiltTamper"),
        ev(0x0262, "BatteryCoverRemoved"),
        ev(0x0263, "BatteryCoverClosed"),
        ev(0x0264, "ExcessFlow"),
        ev(0x0265, "TiltTamperEnded"),
        ev(0x0270, "MeasurementSystemError"),
        ev(0x0271, "WatchdogError"),
        ev(0x0272, "SupplyDisconnectFailure"),
        ev(0x0273, "SupplyConnectFailure"),
        ev(0x0274, "MeasurementSoftwareChanged"),
        ev(0x0275, "DSTEnabled"),
        ev(0x0276, "DSTDisabled"),
        ev(0x0277, "ClockAdjustBackward"),
        ev(0x0278, "ClockAdjustForward"),
        ev(0x0279, "ClockInvalid"),
        ev(0x027a, "CommunicationErrorHAN"),
        ev(0x027b, "CommunicationOKHAN"),
        ev(0x027c, "MeterFraudAttempt"),
        ev(0x027d, "PowerLoss"),
        ev(0x027e, "UnusualHANTraffic"),
        ev(0x027f, "UnexpectedClockChange"),
        ev(0x0280, "CommsUsingUnauthenticatedComponent"),
        ev(0x0281, "MeteringErrorRegisterClear"),
        ev(0x0282, "MeteringAlarmRegisterClear"),
        ev(0x0283, "UnexpectedHWReset"),
        ev(0x0284, "UnexpectedProgramExecution"),
        ev(0x0285, "LimitThresholdExceeded"),
        ev(0x0286, "LimitThresholdOK"),
        ev(0x0287, "LimitThresholdChanged"),
        ev(0x0288, "MaximumDemandExceeded"),
        ev(0x0289, "ProfileCleared"),
        ev(0x028a, "LoadProfileCleared"),
        ev(0x028b, "BatteryWarning"),
        ev(0x028c, "WrongSignature"),
        ev(0x028d, "NoSignature"),
        ev(0x028e, "SignatureNotValid"),
        ev(0x028f, "UnauthorizedActionFromHAN"),
        ev(0x0290, "FastPollingStart"),
        ev(0x0291, "FastPollingEnd"),
        ev(0x0292, "MeterReportingIntervalChanged"),
        ev(0x0293, "DisconnectToLoadLimit"),
        ev(0x0294, "MeterSupplyStatusRegisterChanged"),
        ev(0x0295, "MeterAlarmStatusRegisterChanged"),
        ev(0x0296, "ExtendedMeterAlarmStatusRegisterChanged"),
        ev(0x0297, "DataAccessViaLocalPort"),
        ev(0x0298, "ConfigureMirrorSuccess"),
        ev(0x0299, "ConfigureMirrorFailure"),
        ev(0x029a, "ConfigureNotificationFlagSchemeSuccess"),
        ev(0x029b, "ConfigureNotificationFlagSchemeFailure"),
        ev(0x029c, "ConfigureNotificationFlagsSuccess"),
        ev(0x029d, "ConfigureNotificationFlagsFailure"),
        ev(0x029e, "StayAwakeRequestHAN"),
        ev(0x029f, "StayAwakeRequestWAN"),
        ev(0x02b0, "ManufacturerSpecificA"),
        ev(0x02b1, "ManufacturerSpecificB"),
        ev(0x02b2, "ManufacturerSpecificC"),
        ev(0x02b3, "ManufacturerSpecificD"),
        ev(0x02b4, "ManufacturerSpecificE"),
        ev(0x02b5, "ManufacturerSpecificF"),
        ev(0x02b6, "ManufacturerSpecificG"),
        ev(0x02b7, "ManufacturerSpecificH"),
        ev(0x02b8, "ManufacturerSpecificI"),
        ev(0x02c0, "GetProfileCommandReceived"),
        ev(0x02c1, "GetProfileCommandActioned"),
        ev(0x02c2, "GetProfileCommandCancelled"),
        ev(0x02c3, "GetProfileCommandRejected"),
        ev(0x02c4, "RequestMirrorResponseCommandReceived"),
        ev(0x02c5, "RequestMirrorResponseCommandActioned"),
        ev(0x02c6, "RequestMirrorResponseCommandCancelled"),
        ev(0x02c7, "RequestMirrorResponseCommandRejected"),
        ev(0x02c8, "MirrorRemovedCommandReceived"),
        ev(0x02c9, "MirrorRemovedCommandActioned"),
        ev(0x02ca, "MirrorRemovedCommandCancelled"),
        ev(0x02cb, "MirrorRemovedCommandRejected"),
        ev(0x02cc, "GetSnapshotCommandReceived"),
        ev(0x02cd, "GetSnapshotCommandActioned"),
        ev(0x02ce, "GetSnapshotCommandCancelled"),
        ev(0x02cf, "GetSnapshotCommandRejected"),
        ev(0x02d0, "TakeSnapshotCommandReceived"),
        ev(0x02d1, "TakeSnapshotCommandActioned"),
        ev(0x02d2, "TakeSnapshotCommandCancelled"),
        ev(0x02d3, "TakeSnapshotCommandRejected"),
        ev(0x02d4, "MirrorReportAttributeResponseCommandReceived"),
        ev(0x02d5, "MirrorReportAttributeResponseCommandActioned"),
        ev(0x02d6, "MirrorReportAttributeResponseCommandCancelled"),
        ev(0x02d7, "MirrorReportAttributeResponseCommandRejected"),
        ev(0x02d8, "ScheduleSnapshotCommandReceived"),
        ev(0x02d9, "ScheduleSnapshotCommandActioned"),
        ev(0x02da, "ScheduleSnapshotCommandCancelled"),
        ev(0x02db, "ScheduleSnapshotCommandRejected"),
        ev(0x02dc, "StartSamplingCommandReceived"),
        ev(0x02dd, "StartSamplingCommandActioned"),
        ev(0x02de, "StartSamplingCommandCancelled"),
        ev(0x02df, "StartSamplingCommandRejected"),
        ev(0x02e0, "GetSampledDataCommandReceived"),
        ev(0x02e1, "GetSampledDataCommandActioned"),
        ev(0x02e2, "GetSampledDataCommandCancelled"),
        ev(0x02e3, "GetSampledDataCommandRejected"),
        ev(0x02e4, "SupplyOn"),
        ev(0x02e5, "SupplyArmed"),
        ev(0x02e6, "SupplyOff"),
        ev(0x02e7, "DisconnectedDueToTamperDetected"),
        ev(0x02e8, "ManualDisconnect"),
        ev(0x02e9, "ManualConnect"),
        ev(0x02ea, "RemoteDisconnection"),
        ev(0x02eb, "RemoteConnect"),
        ev(0x02ec, "LocalDisconnection"),
        ev(0x02ed, "LocalConnect"),
        ev(0x02ee, "ChangeSupplyReceived"),
        ev(0x02ef, "ChangeSupplyActioned"),
        ev(0x02f0, "ChangeSupplyCancelled"),
        ev(0x02f1, "ChangeSupplyRejected"),
        ev(0x02f2, "LocalChangeSupplyReceived"),
        ev(0x02f3, "LocalChangeSupplyActioned"),
        ev(0x02f4, "LocalChangeSupplyCancelled"),
        ev(0x02f5, "LocalChangeSupplyRejected"),
        ev(0x02f6, "PublishUncontrolledFlowThresholdReceived"),
        ev(0x02f7, "PublishUncontrolledFlowThresholdActioned"),
        ev(0x02f8, "PublishUncontrolledFlowThresholdCancelled"),
        ev(0x02f9, "PublishUncontrolledFlowThresholdRejected"),
        ev(0x0300, "MessageConfirmationSent"),
        ev(0x03c0, "DisplayMessageReceived"),
        ev(0x03c1, "DisplayMessageActioned"),
        ev(0x03c2, "DisplayMessageCancelled"),
        ev(0x03c3, "DisplayMessageRejected"),
        ev(0x03c4, "CancelMessageReceived"),
        ev(0x03c5, "CancelMessageActioned"),
        ev(0x03c6, "CancelMessageCancelled"),
        ev(0x03c7, "CancelMessageRejected"),
        ev(0x0400, "LowCredit"),
        ev(0x0401, "NoCreditZeroCredit"),
        ev(0x0402, "CreditExhausted"),
        ev(0x0403, "EmergencyCreditEnabled"),
        ev(0x0404, "EmergencyCreditExhausted"),
        ev(0x0405, "IHDLowCreditWarning"),
        ev(0x0420, "PhysicalAttackOnThePrepayMeter"),
        ev(0x0421, "ElectronicAttackOnThePrepayMeter"),
        ev(0x0422, "DiscountApplied"),
        ev(0x0423, "CreditAdjustment"),
        ev(0x0424, "CreditAdjustFail"),
        ev(0x0425, "DebtAdjustment"),
        ev(0x0426, "DebtAdjustFail"),
        ev(0x0427, "ModeChange"),
        ev(0x0428, "TopupCodeError"),
        ev(0x0429, "TopupAlreadyUsed"),
        ev(0x042a, "TopupCodeInvalid"),
        ev(0x042b, "TopupAcceptedViaRemote"),
        ev(0x042c, "TopupAcceptedViaManualEntry"),
        ev(0x042d, "FriendlyCreditInUse"),
        ev(0x042e, "FriendlyCreditPeriodEndWarning"),
        ev(0x042f, "FriendlyCreditPeriodEnd"),
        ev(0x0430, "PrepaymentErrorRegisterClear"),
        ev(0x0431, "PrepaymentAlarmRegisterClear"),
        ev(0x0432, "PrepayClusterNotFound"),
        ev(0x0433, "TopupValueTooLarge"),
        ev(0x0441, "ModeCredit2Prepay"),
        ev(0x0442, "ModePrepay2Credit"),
        ev(0x0443, "ModeDefault"),
        ev(0x04c0, "SelectAvailableEmergencyCreditReceived"),
        ev(0x04c1, "SelectAvailableEmergencyCreditActioned"),
        ev(0x04c2, "SelectAvailableEmergencyCreditCancelled"),
        ev(0x04c3, "SelectAvailableEmergencyCreditRejected"),
        ev(0x04c4, "ChangeDebtReceived"),
        ev(0x04c5, "ChangeDebtActioned"),
        ev(0x04c6, "ChangeDebtCancelled"),
        ev(0x04c7, "ChangeDebtRejected"),
        ev(0x04c8, "EmergencyCreditSetupReceived"),
        ev(0x04c9, "EmergencyCreditSetupActioned"),
        ev(0x04ca, "EmergencyCreditSetupCancelled"),
        ev(0x04cb, "EmergencyCreditSetupRejected"),
        ev(0x04cc, "ConsumerTopupReceived"),
        ev(0x04cd, "ConsumerTopupActioned"),
        ev(0x04ce, "ConsumerTopupCancelled"),
        ev(0x04cf, "ConsumerTopupRejected"),
        ev(0x04d0, "CreditAdjustmentReceived"),
        ev(0x04d1, "CreditAdjustmentActioned"),
        ev(0x04d2, "CreditAdjustmentCancelled"),
        ev(0x04d3, "CreditAdjustmentRejected"),
        ev(0x04d4, "ChangePaymentModeReceived"),
        ev(0x04d5, "ChangePaymentModeActioned"),
        ev(0x04d6, "ChangePaymentModeCancelled"),
        ev(0x04d7, "ChangePaymentModeRejected"),
        ev(0x04d8, "GetPrepaySnapshotReceived"),
        ev(0x04d9, "GetPrepaySnapshotActioned"),
        ev(0x04da, "GetPrepaySnapshotCancelled"),
        ev(0x04db, "GetPrepaySnapshotRejected"),
        ev(0x04dc, "GetTopupLogReceived"),
        ev(0x04dd, "GetTopupLogActioned"),
        ev(0x04de, "GetTopupLogCancelled"),
        ev(0x04df, "GetTopupLogRejected"),
        ev(0x04e0, "SetLowCreditWarningLevelReceived"),
        ev(0x04e1, "SetLowCreditWarningLevelActioned"),
        ev(0x04e2, "SetLowCreditWarningLevelCancelled"),
        ev(0x04e3, "SetLowCreditWarningLevelRejected"),
        ev(0x04e4, "GetDebtRepayLogReceived"),
        ev(0x04e5, "GetDebtRepayLogActioned"),
        ev(0x04e6, "GetDebtRepayLogCancelled"),
        ev(0x04e7, "GetDebtRepayLogRejected"),
        ev(0x04e8, "SetMaximumCreditLimitReceived"),
        ev(0x04e9, "SetMaximumCreditLimitActioned"),
        ev(0x04ea, "SetMaximumCreditLimitCancelled"),
        ev(0x04eb, "SetMaximumCreditLimitRejected"),
        ev(0x04ec, "SetOverallDebtCapReceived"),
        ev(0x04ed, "SetOverallDebtCapActioned"),
        ev(0x04ee, "SetOverallDebtCapCancelled"),
        ev(0x04ef, "SetOverallDebtCapRejected"),
        ev(0x0500, "CalendarClusterNotFound"),
        ev(0x0501, "CalendarChangePassiveActivated"),
        ev(0x0502, "CalendarChangePassiveUpdated"),
        ev(0x05c0, "PublishCalendarReceived"),
        ev(0x05c1, "PublishCalendarActioned"),
        ev(0x05c2, "PublishCalendarCancelled"),
        ev(0x05c3, "PublishCalendarRejected"),
        ev(0x05c4, "PublishDayProfileReceived"),
        ev(0x05c5, "PublishDayProfileActioned"),
        ev(0x05c6, "PublishDayProfileCancelled"),
        ev(0x05c7, "PublishDayProfileRejected"),
        ev(0x05c8, "PublishWeekProfileReceived"),
        ev(0x05c9, "PublishWeekProfileActioned"),
        ev(0x05ca, "PublishWeekProfileCancelled"),
        ev(0x05cb, "PublishWeekProfileRejected"),
        ev(0x05cc, "PublishSeasonsReceived"),
        ev(0x05cd, "PublishSeasonsActioned"),
        ev(0x05ce, "PublishSeasonsCancelled"),
        ev(0x05cf, "PublishSeasonsRejected"),
        ev(0x05d0, "PublishSpecialDaysReceived"),
        ev(0x05d1, "PublishSpecialDaysActioned"),
        ev(0x05d2, "PublishSpecialDaysCancelled"),
        ev(0x05d3, "PublishSpecialDaysRejected"),
        ev(0x0600, "Password1Change"),
        ev(0x0601, "Password2Change"),
        ev(0x0602, "Password3Change"),
        ev(0x0603, "Password4Change"),
        ev(0x0604, "EventLogCleared"),
        ev(0x0610, "ZigBeeAPSTimeout"),
        ev(0x0611, "ZigBeeIEEETransmissionFailureOverThreshold"),
        ev(0x0612, "ZigBeeIEEEFrameCheckSequenceThreshold"),
        ev(0x0613, "ErrorCertificate"),
        ev(0x0614, "ErrorSignature"),
        ev(0x0615, "ErrorProgramStorage"),
        ev(0x06c0, "PublishCoTReceived"),
        ev(0x06c1, "PublishCoTActioned"),
        ev(0x06c2, "PublishCoTCancelled"),
        ev(0x06c3, "PublishCoTRejected"),
        ev(0x06c4, "PublishCoSReceived"),
        ev(0x06c5, "PublishCoSActioned"),
        ev(0x06c6, "PublishCoSCancelled"),
        ev(0x06c7, "PublishCoSRejected"),
        ev(0x06c8, "ChangePasswordReceived"),
        ev(0x06c9, "ChangePasswordActioned"),
        ev(0x06ca, "ChangePasswordCancelled"),
        ev(0x06cb, "ChangePasswordRejected"),
        ev(0x06cc, "SetEventConfigurationReceived"),
        ev(0x06cd, "SetEventConfigurationActioned"),
        ev(0x06ce, "SetEventConfigurationCancelled"),
        ev(0x06cf, "SetEventConfigurationRejected"),
        ev(0x06d0, "UpdateSiteIDReceived"),
        ev(0x06d1, "UpdateSiteIDActioned"),
        ev(0x06d2, "UpdateSiteIDCancelled"),
        ev(0x06d3, "UpdateSiteIDRejected"),
        ev(0x06d4, "UpdateCINReceived"),
        ev(0x06d5, "UpdateCINActioned"),
        ev(0x06d6, "UpdateCINCancelled"),
        ev(0x06d7, "UpdateCINRejected"),
        ev(0x0700, "TunnelingClusterNotFound"),
        ev(0x0701, "UnsupportedProtocol"),
        ev(0x0702, "IncorrectProtocol"),
        ev(0x07c0, "RequestTunnelCommandReceived"),
        ev(0x07c1, "RequestTunnelCommandRejected"),
        ev(0x07c2, "RequestTunnelCommandGenerated"),
        ev(0x07c3, "CloseTunnelCommandReceived"),
        ev(0x07c4, "CloseTunnelCommandRejected"),
        ev(0x07c5, "CloseTunnelCommandGenerated"),
        ev(0x07c6, "TransferDataCommandReceived"),
        ev(0x07c7, "TransferDataCommandRejected"),
        ev(0x07c8, "TransferDataCommandGenerated"),
        ev(0x07c9, "TransferDataErrorCommandReceived"),
        ev(0x07ca, "TransferDataErrorCommandRejected"),
        ev(0x07cb, "TransferDataErrorCommandGenerated"),
        ev(0x07cc, "AckTransferDataCommandReceived"),
        ev(0x07cd, "AckTransferDataCommandRejected"),
        ev(0x07ce, "AckTransferDataCommandGenerated"),
        ev(0x07cf, "ReadyDataCommandReceived"),
        ev(0x07d0, "ReadyDataCommandRejected"),
        ev(0x07d1, "ReadyDataCommandGenerated"),
        ev(0x07d2, "GetSupportedTunnelProtocolsCommandReceived"),
        ev(0x07d3, "GetSupportedTunnelProtocolsCommandRejected"),
        ev(0x07d4, "GetSupportedTunnelProtocolsCommandGenerated"),
        ev(0x0800, "FirmwareReadyForActivation"),
        ev(0x0801, "FirmwareActivated"),
        ev(0x0802, "FirmwareActivationFailure"),
        ev(0x0803, "PatchReadyForActivation"),
        ev(0x0804, "PatchActivated"),
        ev(0x0805, "PatchFailure"),
        ev(0x08c0, "ImageNotifyCommandReceived"),
        ev(0x08c1, "ImageNotifyCommandRejected"),
        ev(0x08c2, "QueryNextImageRequestGenerated"),
        ev(0x08c3, "QueryNextImageResponseReceived"),
        ev(0x08c4, "QueryNextImageResponseRejected"),
        ev(0x08c5, "ImageBlockRequestGenerated"),
        ev(0x08c6, "ImagePageRequestGenerated"),
        ev(0x08c7, "ImageBlockResponseReceived"),
        ev(0x08c8, "ImageBlockResponseRejected"),
        ev(0x08c9, "UpgradeEndRequestGenerated"),
        ev(0x08ca, "UpgradeEndResponseReceived"),
        ev(0x08cb, "UpgradeEndResponseRejected"),
        ev(0x08cc, "QuerySpecificFileRequestGenerated"),
        ev(0x08cd, "QuerySpecificFileResponseReceived"),
        ev(0x08ce, "QuerySpecificFileResponseRejected"),
    ],
    received: &[
        Command::new(0x00, "Get Change of Tenancy", "get_change_of_tenancy", &[]),
        Command::new(
            0x01,
            "Get Change of Supplier",
            "get_change_of_supplier",
            &[],
        ),
        Command::new(
            0x02,
            "Request New Password",
            "request_new_password",
            &[Field::new("password_type", Enum8).values(PASSWORD_TYPE)],
        ),
        Command::new(0x03, "Get Site ID", "get_site_id", &[]),
        Command::new(
            0x04,
            "Report Event Configuration",
            "report_event_configuration",
            &[
                Field::new("command_index", Uint8),
                Field::new("total_commands", Uint8),
                Field::records(
                    "event_configurations",
                    &[
                        Field::new("event_id", Uint16),
                        Field::new("event_configuration", Bitmap8),
                    ],
                ),
            ],
        ),
        Command::new(0x05, "Get CIN", "get_cin", &[]),
    ],
    generated: &[
        Command::new(
            0x00,
            "Publish Change of Tenancy",
            "publish_change_of_tenancy",
            &[
                PROVIDER_ID,
                ISSUER_EVENT_ID,
                TARIFF_TYPE,
                Field::new("implementation_date_time", UtcTime),
                Field::new("proposed_tenancy_change_control", Bitmap32),
            ],
        ),
        Command::new(
            0x01,
            "Publish Change of Supplier",
            "publish_change_of_supplier",
            &[
                Field::new("current_provider_id", Uint32),
                ISSUER_EVENT_ID,
                TARIFF_TYPE,
                Field::new("proposed_provider_id", Uint32),
                Field::new("provider_change_implementation_time", UtcTime),
                Field::new("provider_change_control", Bitmap32),
                Field::new("proposed_provider_name", OctetString),
                Field::new("proposed_provider_contact_details", OctetString),
            ],
        ),
        Command::new(
            0x02,
            "Request New Password Response",
            "request_new_password_response",
            &[
                ISSUER_EVENT_ID,
                Field::new("implementation_date_time", UtcTime),
                Field::new("duration_in_minutes", Uint16),
                Field::new("password_type", Enum8).values(PASSWORD_TYPE),
                Field::new("password", OctetString),
            ],
        ),
        Command::new(
            0x03,
            "Update Site ID",
            "update_site_id",
            &[
                ISSUER_EVENT_ID,
                Field::new("site_id_time", UtcTime),
                PROVIDER_ID,
                Field::new("site_id", OctetString),
            ],
        ),
        // The payload after Configuration Control depends on it (a counted
        // list of event ids, an event group id, a log id or a configuration
        // value); see [`EventConfigurationTarget`].
        Command::new(
            0x04,
            "Set Event Configuration",
            "set_event_configuration",
            &[
                ISSUER_EVENT_ID,
                Field::new("start_date_time", UtcTime),
                Field::new("event_configuration", Bitmap8),
                Field::new("configuration_control", Enum8).values(CONFIGURATION_CONTROL),
                Field::rest("event_configuration_payload"),
            ],
        ),
        Command::new(
            0x05,
            "Get Event Configuration",
            "get_event_configuration",
            &[Field::new("event_id", Uint16)],
        ),
        Command::new(
            0x06,
            "Update CIN",
            "update_cin",
            &[
                ISSUER_EVENT_ID,
                Field::new("cin_implementation_time", UtcTime),
                PROVIDER_ID,
                Field::new("customer_id_number", OctetString),
            ],
        ),
    ],
};

/// The events a Set Event Configuration command applies its configuration to
/// (ZigBee SE 1.4 10.10.4.5): the part of the payload after Configuration
/// Control, read according to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventConfigurationTarget<'a> {
    /// Apply by List (0x00): a count, then that many event ids.
    List(EventIds<'a>),
    /// Apply by Event Group (0x01): every event of this group id.
    EventGroup(u16),
    /// Apply by Log Type (0x02): every event logged in this log id.
    LogType(u8),
    /// Apply by Configuration Match (0x03): every event whose current
    /// configuration equals this value.
    ConfigurationMatch(u8),
    /// A Configuration Control value the specification does not define,
    /// with the octets after it.
    Unknown(u8, &'a [u8]),
}

/// The event ids of an Apply by List configuration (uint16 each, borrowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventIds<'a> {
    bytes: &'a [u8],
}

impl<'a> EventIds<'a> {
    /// The ids' wire form (two octets each, without the count).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Number of ids.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.bytes.len() / 2
    }

    /// No ids.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        self.bytes.chunks_exact(2).map(|c| {
            u16::from_le_bytes([
                c.first().copied().unwrap_or(0),
                c.get(1).copied().unwrap_or(0),
            ])
        })
    }
}

impl<'a> EventConfigurationTarget<'a> {
    /// Reads the payload after Configuration Control `control`.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl, offsets within `payload`) when the payload
    /// is short, longer than its form, or a list's count disagrees with it.
    pub fn decode(control: u8, payload: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(payload, Layer::Zcl);
        let target = match control {
            0x00 => {
                let count = r.u8("number_of_events")?;
                let bytes = r.bytes(usize::from(count) * 2, "event_ids")?;
                Self::List(EventIds { bytes })
            }
            0x01 => Self::EventGroup(r.u16_le("event_group_id")?),
            0x02 => Self::LogType(r.u8("log_id")?),
            0x03 => Self::ConfigurationMatch(r.u8("configuration_value_match")?),
            other => Self::Unknown(other, r.rest()),
        };
        r.finish()?;
        Ok(target)
    }

    /// The Configuration Control value this target is sent with.
    #[must_use]
    pub const fn control(&self) -> u8 {
        match self {
            Self::List(_) => 0x00,
            Self::EventGroup(_) => 0x01,
            Self::LogType(_) => 0x02,
            Self::ConfigurationMatch(_) => 0x03,
            Self::Unknown(c, _) => *c,
        }
    }
}

impl Encode for EventConfigurationTarget<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::List(ids) => 1 + ids.bytes.len(),
            Self::EventGroup(_) => 2,
            Self::LogType(_) | Self::ConfigurationMatch(_) => 1,
            Self::Unknown(_, rest) => rest.len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        match self {
            Self::List(ids) => {
                let count = u8::try_from(ids.len())
                    .ok()
                    .filter(|_| ids.bytes.len() % 2 == 0)
                    .ok_or(EncodeError::unrepresentable(
                        Layer::Zcl,
                        "number_of_events",
                        ids.bytes.len() as u64,
                    ))?;
                out.put_u8(count);
                out.put_slice(ids.bytes);
            }
            Self::EventGroup(g) => out.put_u16_le(*g),
            Self::LogType(v) | Self::ConfigurationMatch(v) => out.put_u8(*v),
            Self::Unknown(c, rest) => {
                if *c <= 0x03 {
                    return Err(EncodeError::inconsistent(
                        Layer::Zcl,
                        "configuration_control",
                    ));
                }
                out.put_slice(rest);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::cluster::{ClusterCommand, Value};
    use proptest::prelude::*;

    fn decode(direction: Direction, id: u8, payload: &[u8]) -> ClusterCommand<'_> {
        ClusterCommand::decode(0x0708, direction, id, payload)
            .unwrap()
            .unwrap()
    }

    fn u(c: &ClusterCommand<'_>, name: &str) -> u64 {
        c.field(name).unwrap().value.as_u64().unwrap()
    }

    fn b<'a>(c: &ClusterCommand<'a>, name: &str) -> &'a [u8] {
        c.field(name).unwrap().value.as_bytes().unwrap()
    }

    // tshark 4.0: Current Provider ID 0x0000000a, Issuer Event ID 7, Tariff Type
    // 0 (Delivered), Proposed Provider ID 0x0000000b, Provider Change
    // Implementation Time Sep 27, 2022 13:17:52 UTC, Provider Change Control 0,
    // Proposed Provider Name "ABCD", Proposed Provider Contact Details "012".
    const PUBLISH_CHANGE_OF_SUPPLIER: [u8; 34] = [
        0x0a, 0, 0, 0, 0x07, 0, 0, 0, 0x00, 0x0b, 0, 0, 0, 0x80, 0xb4, 0xc5, 0x2a, 0, 0, 0, 0,
        0x04, b'A', b'B', b'C', b'D', 0x03, b'0', b'1', b'2', 0, 0, 0, 0,
    ];

    #[test]
    fn publish_change_of_supplier_as_tshark_reads_it() {
        let p = &PUBLISH_CHANGE_OF_SUPPLIER[..30];
        let c = decode(Direction::ToClient, 0x01, p);
        assert_eq!(c.command.label, "publish_change_of_supplier");
        assert_eq!(u(&c, "current_provider_id"), 0x0a);
        assert_eq!(u(&c, "issuer_event_id"), 7);
        assert_eq!(u(&c, "tariff_type"), 0);
        assert_eq!(u(&c, "proposed_provider_id"), 0x0b);
        // 0x2ac5b480 s after 2000-01-01 = 2022-09-27 13:17:52 UTC.
        assert_eq!(u(&c, "provider_change_implementation_time"), 0x2ac5_b480);
        assert_eq!(u(&c, "provider_change_control"), 0);
        assert_eq!(b(&c, "proposed_provider_name"), b"ABCD");
        assert_eq!(b(&c, "proposed_provider_contact_details"), b"012");
        // Trailing octets are not part of the command.
        assert!(
            ClusterCommand::decode(
                0x0708,
                Direction::ToClient,
                0x01,
                &PUBLISH_CHANGE_OF_SUPPLIER
            )
            .is_err()
        );
    }

    #[test]
    fn publish_change_of_tenancy_reads_the_control_little_endian() {
        // tshark 4.0 shows Provider ID 0x12345678, Issuer Event ID 1, Tariff
        // Type 2, Implementation Date/Time Sep 3, 2022 09:50:56 UTC, but reads
        // the 32-bit Proposed Tenancy Change Control with the wrong byte order
        // (0x03000000); ZCL integers are little-endian (ZCL rev. 8 2.6.2), so
        // the bits set are pre and post snapshots.
        let p = [
            0x78, 0x56, 0x34, 0x12, 1, 0, 0, 0, 0x02, 0x00, 0xe0, 0xa5, 0x2a, 0x03, 0, 0, 0,
        ];
        let c = decode(Direction::ToClient, 0x00, &p);
        assert_eq!(u(&c, "provider_id"), 0x1234_5678);
        assert_eq!(u(&c, "issuer_event_id"), 1);
        assert_eq!(u(&c, "tariff_type"), 2);
        assert_eq!(u(&c, "implementation_date_time"), 0x2aa5_e000);
        let control = u32::try_from(u(&c, "proposed_tenancy_change_control")).unwrap();
        assert_eq!(control, TENANCY_PRE_SNAPSHOTS | TENANCY_POST_SNAPSHOTS);
    }

    #[test]
    fn request_new_password_response_as_tshark_reads_it() {
        // tshark 4.0: Issuer Event ID 9, Implementation Date/Time 2000-01-01
        // 00:00:00, Password Type "Password 2", Password "pass". It shows the
        // duration as 15360 (read big-endian); little-endian it is 60 minutes.
        let p = [
            9, 0, 0, 0, 0, 0, 0, 0, 0x3c, 0x00, 0x02, 0x04, b'p', b'a', b's', b's',
        ];
        let c = decode(Direction::ToClient, 0x02, &p);
        assert_eq!(u(&c, "issuer_event_id"), 9);
        assert_eq!(u(&c, "implementation_date_time"), 0);
        assert_eq!(u(&c, "duration_in_minutes"), 60);
        let t = c.field("password_type").unwrap();
        assert_eq!(
            t.spec.value_name(t.value.as_u64().unwrap()),
            Some("password_2")
        );
        assert_eq!(b(&c, "password"), b"pass");
    }

    #[test]
    fn update_site_id_and_cin_as_tshark_reads_them() {
        // tshark 4.0: Issuer Event ID 1, SiteID Time 2000-01-01 00:00:16,
        // Provider ID 5, SiteID "S123".
        let p = [
            1, 0, 0, 0, 0x10, 0, 0, 0, 5, 0, 0, 0, 4, b'S', b'1', b'2', b'3',
        ];
        let c = decode(Direction::ToClient, 0x03, &p);
        assert_eq!(c.command.label, "update_site_id");
        assert_eq!(u(&c, "site_id_time"), 16);
        assert_eq!(u(&c, "provider_id"), 5);
        assert_eq!(b(&c, "site_id"), b"S123");
        // tshark 4.0: Issuer Event ID 0x11, CIN Implementation Time 2000-01-01,
        // Provider ID 0x22, CustomerID Number "ABC".
        let p = [
            0x11, 0, 0, 0, 0, 0, 0, 0, 0x22, 0, 0, 0, 3, b'A', b'B', b'C',
        ];
        let c = decode(Direction::ToClient, 0x06, &p);
        assert_eq!(u(&c, "issuer_event_id"), 0x11);
        assert_eq!(u(&c, "provider_id"), 0x22);
        assert_eq!(b(&c, "customer_id_number"), b"ABC");
    }

    #[test]
    fn report_event_configuration_records() {
        // tshark 4.0: Command Index 1, Total Commands 2, then Event ID 0x0002
        // with configuration 0x0b (log as general event, push to WAN) and
        // Event ID 0x0033 with 0x49 (log as tamper, push to WAN, raise a
        // physical alarm).
        let p = [0x01, 0x02, 0x02, 0x00, 0x0b, 0x33, 0x00, 0x49];
        let c = decode(Direction::ToServer, 0x04, &p);
        assert_eq!(u(&c, "command_index"), 1);
        assert_eq!(u(&c, "total_commands"), 2);
        let Value::Records(rs) = c.field("event_configurations").unwrap().value else {
            panic!("records");
        };
        let got: Vec<(u64, u64)> = rs
            .iter()
            .map(|mut f| {
                let id = f.next().unwrap().value.as_u64().unwrap();
                let cfg = f.next().unwrap().value.as_u64().unwrap();
                (id, cfg)
            })
            .collect();
        assert_eq!(got, [(0x0002, 0x0b), (0x0033, 0x49)]);
        assert_eq!(0x0b & EVENT_CONFIGURATION_LOG_MASK, LOG_AS_GENERAL_EVENT);
        assert_eq!(0x0b & PUSH_EVENT_TO_WAN, PUSH_EVENT_TO_WAN);
        assert_eq!(0x49 & EVENT_CONFIGURATION_LOG_MASK, LOG_AS_TAMPER);
        assert_eq!(0x49 & (PUSH_EVENT_TO_WAN | RAISE_ALARM_PHYSICAL), 0x48);
        // A record cut short is an error.
        assert!(ClusterCommand::decode(0x0708, Direction::ToServer, 0x04, &p[..7]).is_err());
    }

    #[test]
    fn set_event_configuration_apply_by_list() {
        // tshark 4.0: Issuer Event ID 5, Start Date/Time 2000-01-01, Event
        // Configuration 0x0b, Configuration Control "Apply by List", Number of
        // Events 2, Event ID 1, Event ID 2.
        let p = [
            5, 0, 0, 0, 0, 0, 0, 0, 0x0b, 0x00, 0x02, 0x01, 0x00, 0x02, 0x00,
        ];
        let c = decode(Direction::ToClient, 0x04, &p);
        assert_eq!(u(&c, "issuer_event_id"), 5);
        assert_eq!(u(&c, "event_configuration"), 0x0b);
        let control = u8::try_from(u(&c, "configuration_control")).unwrap();
        let target =
            EventConfigurationTarget::decode(control, b(&c, "event_configuration_payload"))
                .unwrap();
        let EventConfigurationTarget::List(ids) = target else {
            panic!("{target:?}");
        };
        assert_eq!(ids.iter().collect::<Vec<_>>(), [1, 2]);
        let mut out = Vec::new();
        target.encode(&mut out).unwrap();
        assert_eq!(out, p[10..]);
    }

    #[test]
    fn event_configuration_targets() {
        assert_eq!(
            EventConfigurationTarget::decode(1, &[0x34, 0x12]).unwrap(),
            EventConfigurationTarget::EventGroup(0x1234)
        );
        assert_eq!(
            EventConfigurationTarget::decode(2, &[3]).unwrap(),
            EventConfigurationTarget::LogType(3)
        );
        assert_eq!(
            EventConfigurationTarget::decode(3, &[0x0b]).unwrap(),
            EventConfigurationTarget::ConfigurationMatch(0x0b)
        );
        assert_eq!(
            EventConfigurationTarget::decode(9, &[1, 2]).unwrap(),
            EventConfigurationTarget::Unknown(9, &[1, 2])
        );
        // A count larger than the ids present, or extra octets, are errors.
        assert!(EventConfigurationTarget::decode(0, &[2, 1, 0]).is_err());
        assert!(EventConfigurationTarget::decode(2, &[3, 4]).is_err());
        let full = [2u8, 1, 0, 2, 0];
        for n in 0..full.len() {
            assert!(
                EventConfigurationTarget::decode(0, &full[..n]).is_err(),
                "{n}"
            );
        }
        // Unknown must not claim a defined control value.
        let mut out = Vec::new();
        assert!(
            EventConfigurationTarget::Unknown(1, &[])
                .encode(&mut out)
                .is_err()
        );
    }

    #[test]
    fn attributes_by_name() {
        let a = CLUSTER.attribute(false, 0x0300).unwrap();
        assert_eq!(a.name().to_string(), "WANStatus");
        assert_eq!(a.spec.value_name(1), Some("connection_to_wan_available"));
        let a = CLUSTER.attribute(true, 0x0202).unwrap();
        assert_eq!(a.name().to_string(), "TamperDetect");
        assert_eq!(a.spec.data_type, Bitmap8);
        assert_eq!(
            CLUSTER.attribute(true, 0x08c0).unwrap().name().to_string(),
            "ImageNotifyCommandReceived"
        );
        assert!(CLUSTER.attribute(true, 0x01ff).is_none());
    }

    proptest! {
        #[test]
        fn targets_round_trip(control in 0u8..6, payload in proptest::collection::vec(any::<u8>(), 0..12)) {
            if let Ok(t) = EventConfigurationTarget::decode(control, &payload) {
                prop_assert_eq!(t.control(), control);
                let mut out = Vec::new();
                t.encode(&mut out).unwrap();
                prop_assert_eq!(&out, &payload);
                prop_assert_eq!(t.encoded_len(), payload.len());
            }
        }
    }
}
