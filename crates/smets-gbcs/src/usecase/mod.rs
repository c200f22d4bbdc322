//! GBCS use cases at the level of meaning (GBCS 7.2.3, the use-case
//! "DLMS COSEM specific content" tables): typed commands, responses and
//! alerts, chosen by message code and CRA flag, with units and UTC times.
//! Decryption is not done here: protected parts come in as plaintexts.
//!
//! [`decode`] is the one entry point; the payload families each add their
//! own decoders (DLMS in [`dlms`]), and a code without a typed decoder
//! gives `Ok(None)`.

use core::fmt;

use smets_core::{DecodeError, Eui64, Layer, open_enum};
use smets_dlms::apdu::AccessResponseSpecification;

use crate::envelope::CraFlag;

pub mod dlms;
pub mod gbz;

pub use dlms::{
    ActionOutcome, Alert, AlertContent, ChargeScaling, ClockSyncRequest, ClockSyncResponse,
    EventLog, EventLogEntry, EventLogKind, EventLogRequest, FirmwareVersion, FutureDatedExecution,
    ImportRegisters, MeterBalance, PlainRequest, PrepayValues, PriceUpdateRequest, ProfileEntry,
    ProfileLog, ProtectedRead, ProtectedReadRequest, RegisterLog, RegisterLogEntry, SetResults,
    TariffRead, TariffUpdateRequest, TopUpRequest, U32s,
};

pub(crate) const LAYER: Layer = Layer::Gbcs;

/// Flags octet of every GBCS long-invoke-id-and-priority (GBCS 7.2.3):
/// bit 29 set, the rest clear.
pub const INVOKE_FLAGS: u8 = 0x20;

/// Mask of the invoke id: the low 24 bits of the originator counter
/// (GBCS 7.2.3).
pub const INVOKE_ID_MASK: u32 = 0x00FF_FFFF;

/// The long-invoke-id-and-priority GBCS puts in a DLMS command built for
/// `originator_counter`: flags `0x20` and the counter's low 24 bits
/// (GBCS 7.2.3).
#[must_use]
pub const fn long_invoke_id(originator_counter: u64) -> u32 {
    ((INVOKE_FLAGS as u32) << 24) | invoke_id(originator_counter)
}

/// The invoke id GBCS derives from an originator counter: its low 24 bits
/// (GBCS 7.2.3).
#[must_use]
// The mask keeps 24 bits, which a u32 holds.
#[allow(clippy::cast_possible_truncation)]
pub const fn invoke_id(originator_counter: u64) -> u32 {
    (originator_counter & INVOKE_ID_MASK as u64) as u32
}

/// What a command builder takes from the grouping header it will travel
/// in (GBCS 7.2.7): the originator counter (the invoke id and, for
/// protected reads, the transaction id) and the two system titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandHeader {
    /// Business Originator Counter of the command.
    pub originator_counter: u64,
    /// Originator (the remote party sending the command).
    pub originator: Eui64,
    /// Recipient (the device).
    pub recipient: Eui64,
}

open_enum! {
    /// COSEM unit of a register's scaler_unit (IEC 62056-6-2 4.3.2,
    /// enumeration of units).
    pub enum Unit: u8 {
        /// a: time, year.
        Year = 1 => "year",
        /// mo: time, month.
        Month = 2 => "month",
        /// wk: time, week.
        Week = 3 => "week",
        /// d: time, day.
        Day = 4 => "day",
        /// h: time, hour.
        Hour = 5 => "hour",
        /// min: time, minute.
        Minute = 6 => "minute",
        /// s: time, second.
        Second = 7 => "second",
        /// °: phase angle.
        Degree = 8 => "degree",
        /// °C: temperature.
        DegreeCelsius = 9 => "degree_celsius",
        /// currency.
        Currency = 10 => "currency",
        /// m: length.
        Metre = 11 => "metre",
        /// m/s: speed.
        MetrePerSecond = 12 => "metre_per_second",
        /// m³: volume.
        CubicMetre = 13 => "cubic_metre",
        /// m³: corrected volume.
        CorrectedCubicMetre = 14 => "corrected_cubic_metre",
        /// m³/h: volume flux.
        CubicMetrePerHour = 15 => "cubic_metre_per_hour",
        /// m³/h: corrected volume flux.
        CorrectedCubicMetrePerHour = 16 => "corrected_cubic_metre_per_hour",
        /// m³/d: volume flux.
        CubicMetrePerDay = 17 => "cubic_metre_per_day",
        /// m³/d: corrected volume flux.
        CorrectedCubicMetrePerDay = 18 => "corrected_cubic_metre_per_day",
        /// l: volume.
        Litre = 19 => "litre",
        /// kg: mass.
        Kilogram = 20 => "kilogram",
        /// N: force.
        Newton = 21 => "newton",
        /// Nm: energy.
        NewtonMetre = 22 => "newton_metre",
        /// Pa: pressure.
        Pascal = 23 => "pascal",
        /// bar: pressure.
        Bar = 24 => "bar",
        /// J: energy.
        Joule = 25 => "joule",
        /// J/h: thermal power.
        JoulePerHour = 26 => "joule_per_hour",
        /// W: active power.
        Watt = 27 => "watt",
        /// VA: apparent power.
        VoltAmpere = 28 => "volt_ampere",
        /// var: reactive power.
        Var = 29 => "var",
        /// Wh: active energy.
        WattHour = 30 => "watt_hour",
        /// VAh: apparent energy.
        VoltAmpereHour = 31 => "volt_ampere_hour",
        /// varh: reactive energy.
        VarHour = 32 => "var_hour",
        /// A: current.
        Ampere = 33 => "ampere",
        /// C: electrical charge.
        Coulomb = 34 => "coulomb",
        /// V: voltage.
        Volt = 35 => "volt",
        /// V/m: electric field strength.
        VoltPerMetre = 36 => "volt_per_metre",
        /// F: capacitance.
        Farad = 37 => "farad",
        /// Ω: resistance.
        Ohm = 38 => "ohm",
        /// Ωm²/m: resistivity.
        OhmSquareMetrePerMetre = 39 => "ohm_square_metre_per_metre",
        /// Wb: magnetic flux.
        Weber = 40 => "weber",
        /// T: magnetic flux density.
        Tesla = 41 => "tesla",
        /// A/m: magnetic field strength.
        AmperePerMetre = 42 => "ampere_per_metre",
        /// H: inductance.
        Henry = 43 => "henry",
        /// Hz: frequency.
        Hertz = 44 => "hertz",
        /// 1/(Wh): active energy meter constant.
        PerWattHour = 45 => "per_watt_hour",
        /// 1/(varh): reactive energy meter constant.
        PerVarHour = 46 => "per_var_hour",
        /// 1/(VAh): apparent energy meter constant.
        PerVoltAmpereHour = 47 => "per_volt_ampere_hour",
        /// V²h: volt-squared hour.
        VoltSquaredHour = 48 => "volt_squared_hour",
        /// A²h: ampere-squared hour.
        AmpereSquaredHour = 49 => "ampere_squared_hour",
        /// kg/s: mass flux.
        KilogramPerSecond = 50 => "kilogram_per_second",
        /// S, mho: conductance.
        Siemens = 51 => "siemens",
        /// K: temperature.
        Kelvin = 52 => "kelvin",
        /// %: percentage.
        Percentage = 56 => "percentage",
        /// Ah: ampere-hour.
        AmpereHour = 57 => "ampere_hour",
        /// Other unit.
        Other = 254 => "other",
        /// No unit, unitless, count.
        Count = 255 => "count",
    }
}

open_enum! {
    /// GBCS alert and event codes (GBCS table 16.2 "Alert Codes"), named
    /// where the public test data names them.
    pub enum AlertCode: u16 {
        /// Credit Added Locally.
        CreditAddedLocally = 0x810E => "credit_added_locally",
        /// Smart Meter Integrity Issue - Warning.
        SmartMeterIntegrityIssueWarning = 0x81A0 => "smart_meter_integrity_issue_warning",
        /// Billing Data Log Updated.
        BillingDataLogUpdated = 0x8F0A => "billing_data_log_updated",
        /// Limited Duty Cycle Action Taken.
        LimitedDutyCycleActionTaken = 0x8F20 => "limited_duty_cycle_action_taken",
        /// Sub GHz Channel Changed.
        SubGhzChannelChanged = 0x8F26 => "sub_ghz_channel_changed",
        /// Sub GHz Configuration Changed.
        SubGhzConfigurationChanged = 0x8F2A => "sub_ghz_configuration_changed",
        /// Message Discarded Due to Duty Cycle Management.
        MessageDiscardedDueToDutyCycleManagement = 0x8F2C => "message_discarded_due_to_duty_cycle_management",
        /// No More Sub GHz Device Capacity.
        NoMoreSubGhzDeviceCapacity = 0x8F2D => "no_more_sub_ghz_device_capacity",
        /// Source Does not have Authority for Command.
        SourceDoesNotHaveAuthorityForCommand = 0x8F30 => "source_does_not_have_authority_for_command",
        /// Supply Outage Restored - Outage >= 3 minutes.
        SupplyOutageRestored = 0x8F36 => "supply_outage_restored",
        /// Future-date HAN Interface Command Successfully Actioned.
        FutureDatedCommandSuccessfullyActioned = 0x8F66 => "future_dated_command_successfully_actioned",
        /// Future-date HAN Interface Command not Successfully Actioned.
        FutureDatedCommandNotSuccessfullyActioned = 0x8F67 => "future_dated_command_not_successfully_actioned",
        /// Firmware Verification Successful.
        FirmwareVerificationSuccessful = 0x8F72 => "firmware_verification_successful",
    }
}

macro_rules! serialize_open_enum {
    ($($t:ty),*) => {$(
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            /// The label when the value has one, else the number.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.label() {
                    Some(l) => s.serialize_str(l),
                    None => s.serialize_u64(u64::from(self.value())),
                }
            }
        }
    )*};
}

serialize_open_enum!(Unit, AlertCode);

/// A COSEM register value with its scaler_unit (IEC 62056-6-2 4.3.2): the
/// quantity is `value × 10^scaler` in `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Register {
    /// The value as sent.
    pub value: i64,
    /// Power of ten the value is multiplied by.
    pub scaler: i8,
    /// The unit.
    pub unit: Unit,
}

impl Register {
    /// The quantity in `unit` as a float (`value × 10^scaler`).
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn to_f64(&self) -> f64 {
        // Powers of ten up to 10^22 are exact in f64, so one rounding at
        // the multiplication or division.
        let mut p = 1.0f64;
        for _ in 0..self.scaler.unsigned_abs() {
            p *= 10.0;
        }
        let v = self.value as f64;
        if self.scaler >= 0 { v * p } else { v / p }
    }

    /// The quantity in `unit` as an integer, when it is one: `value ×
    /// 10^scaler` for a non-negative scaler, or the exact quotient for a
    /// negative one; `None` when there is a fraction or it overflows.
    #[must_use]
    pub fn to_i128(&self) -> Option<i128> {
        let p = 10i128.checked_pow(u32::from(self.scaler.unsigned_abs()))?;
        let v = i128::from(self.value);
        if self.scaler >= 0 {
            v.checked_mul(p)
        } else if v % p == 0 {
            Some(v / p)
        } else {
            None
        }
    }
}

/// Where a protected part was not decrypted: no plaintext was given for
/// it (GBCS 7.3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Encrypted {
    /// Offset of the part's security control byte in the payload (the
    /// offset [`crate::security::DecryptedPart::offset`] reports).
    pub offset: usize,
    /// Bytes of the part: security header, ciphertext and tag.
    pub ciphered_len: usize,
}

/// A value carried encrypted in the payload (GBCS 7.3.5): decoded from the
/// plaintext the caller gave, or still encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Protected<T> {
    /// The plaintext, decoded.
    Decrypted(T),
    /// No plaintext was given for this part.
    Encrypted(Encrypted),
}

impl<T> Protected<T> {
    /// The decrypted value, if any.
    #[must_use]
    pub const fn decrypted(&self) -> Option<&T> {
        match self {
            Self::Decrypted(t) => Some(t),
            Self::Encrypted(_) => None,
        }
    }
}

/// The protection options of a DLMS protected attribute (DLMS Blue Book
/// class 30; GBCS 7.3.5), as a use case reads them: the transaction's
/// originator counter and the two system titles. GBCS fixes the rest
/// (protection type 2, transaction-id prefix `04`, no other information,
/// agreed key with one-pass ECC CDH).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProtectionOptions {
    /// The originator counter of the transaction-id.
    pub originator_counter: u64,
    /// Originator system title: the requester in a command, the device in
    /// a response or alert.
    pub originator: Eui64,
    /// Recipient system title.
    pub recipient: Eui64,
}

/// A failed result of an access-response item (IEC 62056-5-3 9.5): the
/// kind of item and its result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Failure(pub AccessResponseSpecification);

impl Failure {
    /// The kind of item: "get", "set" or "action".
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self.0 {
            AccessResponseSpecification::Get(_) => "get",
            AccessResponseSpecification::Set(_) => "set",
            AccessResponseSpecification::Action(_) => "action",
        }
    }

    /// The result code.
    #[must_use]
    pub fn code(&self) -> u8 {
        match self.0 {
            AccessResponseSpecification::Get(r) | AccessResponseSpecification::Set(r) => r.value(),
            AccessResponseSpecification::Action(r) => r.value(),
        }
    }

    /// The result's name, when the standard gives one.
    #[must_use]
    pub const fn name(&self) -> Option<&'static str> {
        match self.0 {
            AccessResponseSpecification::Get(r) | AccessResponseSpecification::Set(r) => r.label(),
            AccessResponseSpecification::Action(r) => r.label(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} result {}", self.kind(), self.code())?;
        if let Some(n) = self.name() {
            write!(f, " ({n})")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Failure {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Failure", 3)?;
        st.serialize_field("kind", self.kind())?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("name", &self.name())?;
        st.end()
    }
}

/// What a device answered for the one item a use case asks about: the
/// value, or the failed result with null data (IEC 62056-5-3 9.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Reply<T> {
    /// The item succeeded.
    Value(T),
    /// The item failed.
    Failed(Failure),
}

impl<T> Reply<T> {
    /// The value, when the item succeeded.
    #[must_use]
    pub const fn value(&self) -> Option<&T> {
        match self {
            Self::Value(t) => Some(t),
            Self::Failed(_) => None,
        }
    }
}

/// A use-case response: the invoke id it answers and the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Response<T> {
    /// The low 24 bits of the command's originator counter (GBCS 7.2.3).
    pub invoke_id: u32,
    /// The reply.
    pub reply: Reply<T>,
}

/// A GBCS payload read at the level of its use case: one variant per
/// shape of command, response or alert.
// The tariff and price variants hold their price tables by value; boxing
// them would allocate on the decode path.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Typed<'a> {
    /// A get_protected_attributes read (ECS17b, ECS19, ECS21a, ECS22b,
    /// ECS66 commands).
    ProtectedReadRequest(ProtectedReadRequest),
    /// A command whose content the use case fixes, only its invoke id
    /// varying (ECS52, ECS82 commands).
    PlainRequest(PlainRequest),
    /// An event or security log read (ECS35a, ECS35b commands).
    EventLogRequest(EventLogRequest),
    /// A prepayment top-up (CS01a command).
    TopUpRequest(TopUpRequest),
    /// A clock synchronisation (ECS70 command).
    ClockSyncRequest(ClockSyncRequest),
    /// An import tariff update (ECS01a command).
    TariffUpdateRequest(TariffUpdateRequest<'a>),
    /// A price update (ECS01b command).
    PriceUpdateRequest(PriceUpdateRequest),
    /// ECS17b response: the import energy registers.
    ImportRegisters(Response<ProtectedRead<ImportRegisters>>),
    /// ECS19 response: the prepayment balances.
    PrepayValues(Response<ProtectedRead<PrepayValues>>),
    /// ECS22b and ECS66 responses: a profile of (time, value) entries.
    Profile(Response<ProtectedRead<ProfileLog<'a>>>),
    /// ECS21a response: the daily read log.
    DailyReadLog(Response<ProtectedRead<RegisterLog<'a>>>),
    /// ECS52 response: the firmware version.
    FirmwareVersion(Response<FirmwareVersion<'a>>),
    /// ECS24 response: the tariff.
    Tariff(Response<TariffRead<'a>>),
    /// ECS82 response: the meter balance.
    MeterBalance(Response<MeterBalance>),
    /// ECS35a and ECS35b responses: log entries.
    EventLog(Response<EventLog<'a>>),
    /// ECS70 response: each step's result, the time and the clock status.
    ClockSync(ClockSyncResponse),
    /// A response to sets only (ECS01a, ECS01b).
    SetResults(SetResults<'a>),
    /// A response that only reports an action's result (CS01a).
    ActionOutcome(ActionOutcome),
    /// A DLMS alert (data-notification).
    Alert(Alert<'a>),
    /// A DER payload of a known format (CS02a-g, CS03, CS04, CS06, CS07,
    /// CS08, CS09, CCS08, GCS28, GCS59, GCS62 and their alerts).
    Der(crate::asn1::DerPayload<'a>),
    /// A GBZ payload of a typed gas use case (see [`gbz::handles`]):
    /// registers, logs, top-up, tariff read, write outcomes and GBZ alerts.
    Gbz(gbz::GbzTyped<'a>),
}

/// The typed reading of a GBCS payload: `message_code` and `cra` from its
/// grouping header (GBCS 7.2.7), `payload` the content, and `plaintexts`
/// the decrypted protected parts, each keyed by the offset of its
/// security control byte in the payload (as
/// [`crate::security::DecryptedPart::offset`] gives it). A protected part
/// without a plaintext decodes as [`Protected::Encrypted`].
///
/// `Ok(None)` when there is no typed decoder for this message code and
/// CRA flag.
///
/// ```
/// use smets_gbcs::envelope::CraFlag;
/// use smets_gbcs::usecase::{Reply, Typed, decode};
///
/// // ECS82 read meter balance, response (RTDS 4.5.0).
/// let payload = [
///     0xDA, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x01, 0x05, 0x00, 0x03, 0xD0, 0x90, 0x01, 0x01,
///     0x00,
/// ];
/// let Some(Typed::MeterBalance(r)) = decode(0x0069, CraFlag::Response, &payload, &[]).unwrap()
/// else {
///     panic!("meter balance")
/// };
/// assert_eq!(r.invoke_id, 1000);
/// assert_eq!(r.reply.value().unwrap().meter_balance, 250_000);
/// ```
///
/// # Errors
/// A [`DecodeError`] when the payload is not what the use case sends: a
/// malformed APDU, another shape, a wrong object, or a plaintext that does
/// not decode. Offsets are in the payload; in a plaintext, at the
/// corresponding ciphertext byte.
pub fn decode<'a>(
    message_code: u16,
    cra: CraFlag,
    payload: &'a [u8],
    plaintexts: &[(usize, &'a [u8])],
) -> Result<Option<Typed<'a>>, DecodeError> {
    use crate::catalogue::PayloadFamily;
    let gbz = || Ok(gbz::decode(message_code, cra, payload, plaintexts)?.map(Typed::Gbz));
    let is_gbz = || gbz::handles(message_code, cra);
    let is_dlms = || dlms::handles(message_code, cra);
    // The first bytes name the family (the generic alerts come in DLMS and
    // GBZ form). A payload that starts as neither, of a DLMS or GBZ use
    // case, is cut or malformed: that family's decoder says where.
    match crate::envelope::payload_family(payload) {
        Some(PayloadFamily::Gbz) => gbz(),
        Some(PayloadFamily::Dlms) => dlms::decode(message_code, cra, payload, plaintexts),
        _ if is_gbz() && !is_dlms() => gbz(),
        _ if is_dlms() => dlms::decode(message_code, cra, payload, plaintexts),
        Some(_) => {
            let p = crate::asn1::decode(message_code, cra, payload)?;
            Ok((!p.is_generic()).then_some(Typed::Der(p)))
        }
        None => Ok(None),
    }
}
