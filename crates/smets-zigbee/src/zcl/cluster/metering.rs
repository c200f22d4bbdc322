//! Metering 0x0702 in the catalogue (ZigBee SE 1.4 10.4): every attribute
//! set, both command directions, and the Formatting attribute set's scaling
//! of metered values ([`Formatting`], [`Scaled`]). The Publish Snapshot
//! sub-payload, whose layout depends on its payload type, stays octets.

use core::fmt;

use smets_core::open_enum;

use super::{Attribute, Cluster, Command, Field, Quantity, zcl_as_u64};
use crate::zcl::DataType::{
    Bitmap8, Bitmap16, Bitmap24, Bitmap32, Bitmap48, Bitmap64, Boolean, Enum8, Int8, Int24,
    OctetString, Uint8, Uint16, Uint24, Uint32, Uint48, UtcTime,
};
use crate::zcl::types::ZclValue;

/// CurrentSummationDelivered (ZigBee SE 1.4 10.4.2.2.1).
pub const ATTR_CURRENT_SUMMATION_DELIVERED: u16 = 0x0000;
/// CurrentSummationReceived (ZigBee SE 1.4 10.4.2.2.1).
pub const ATTR_CURRENT_SUMMATION_RECEIVED: u16 = 0x0001;
/// CurrentMaxDemandDelivered (ZigBee SE 1.4 10.4.2.2.1).
pub const ATTR_CURRENT_MAX_DEMAND_DELIVERED: u16 = 0x0002;
/// CurrentMaxDemandReceived (ZigBee SE 1.4 10.4.2.2.1).
pub const ATTR_CURRENT_MAX_DEMAND_RECEIVED: u16 = 0x0003;
/// SupplyStatus (ZigBee SE 1.4 10.4.2.2.1).
pub const ATTR_SUPPLY_STATUS: u16 = 0x0014;
/// Status of the Meter Status set (ZigBee SE 1.4 10.4.2.2.3); bits `STATUS_*`.
pub const ATTR_STATUS: u16 = 0x0200;
/// UnitofMeasure (ZigBee SE 1.4 10.4.2.2.4), a [`UnitOfMeasure`].
pub const ATTR_UNIT_OF_MEASURE: u16 = 0x0300;
/// Multiplier (ZigBee SE 1.4 10.4.2.2.4).
pub const ATTR_MULTIPLIER: u16 = 0x0301;
/// Divisor (ZigBee SE 1.4 10.4.2.2.4).
pub const ATTR_DIVISOR: u16 = 0x0302;
/// SummationFormatting (ZigBee SE 1.4 10.4.2.2.4); bits `FORMAT_*`.
pub const ATTR_SUMMATION_FORMATTING: u16 = 0x0303;
/// DemandFormatting (ZigBee SE 1.4 10.4.2.2.4); bits `FORMAT_*`.
pub const ATTR_DEMAND_FORMATTING: u16 = 0x0304;
/// HistoricalConsumptionFormatting (ZigBee SE 1.4 10.4.2.2.4); bits `FORMAT_*`.
pub const ATTR_HISTORICAL_CONSUMPTION_FORMATTING: u16 = 0x0305;
/// MeteringDeviceType (ZigBee SE 1.4 10.4.2.2.4).
pub const ATTR_METERING_DEVICE_TYPE: u16 = 0x0306;
/// SiteID, the MPAN or MPRN in GB (ZigBee SE 1.4 10.4.2.2.4).
pub const ATTR_SITE_ID: u16 = 0x0307;
/// MeterSerialNumber (ZigBee SE 1.4 10.4.2.2.4).
pub const ATTR_METER_SERIAL_NUMBER: u16 = 0x0308;
/// InstantaneousDemand, signed (ZigBee SE 1.4 10.4.2.2.5).
pub const ATTR_INSTANTANEOUS_DEMAND: u16 = 0x0400;
/// CurrentDayConsumptionDelivered (ZigBee SE 1.4 10.4.2.2.5).
pub const ATTR_CURRENT_DAY_CONSUMPTION_DELIVERED: u16 = 0x0401;
/// PreviousDayConsumptionDelivered (ZigBee SE 1.4 10.4.2.2.5).
pub const ATTR_PREVIOUS_DAY_CONSUMPTION_DELIVERED: u16 = 0x0403;
/// FunctionalNotificationFlags, a client attribute (ZigBee SE 1.4 10.4.3.1);
/// bits `NOTIFY_*`.
pub const CLIENT_ATTR_FUNCTIONAL_NOTIFICATION_FLAGS: u16 = 0x0000;

/// Formatting byte: digits right of the decimal point, bits 0-2 (ZigBee SE 1.4 10.4.2.2.4).
pub const FORMAT_RIGHT_DIGITS: u8 = 0x07;
/// Formatting byte: digits left of the decimal point, bits 3-6 (ZigBee SE 1.4 10.4.2.2.4).
pub const FORMAT_LEFT_DIGITS: u8 = 0x78;
/// Formatting byte: suppress leading zeros, bit 7 (ZigBee SE 1.4 10.4.2.2.4).
pub const FORMAT_SUPPRESS_LEADING_ZEROS: u8 = 0x80;

/// Status bit 0, Check Meter (ZigBee SE 1.4 10.4.2.2.3).
pub const STATUS_CHECK_METER: u8 = 0x01;
/// Status bit 1, Low Battery.
pub const STATUS_LOW_BATTERY: u8 = 0x02;
/// Status bit 2, Tamper Detect.
pub const STATUS_TAMPER_DETECT: u8 = 0x04;
/// Status bit 3: Power Failure (electricity), Not Defined (gas), Pipe Empty
/// (water), Temperature Sensor (heat/cooling).
pub const STATUS_BIT3: u8 = 0x08;
/// Status bit 4: Power Quality (electricity), Low Pressure (gas, water),
/// Burst Detect (heat/cooling).
pub const STATUS_BIT4: u8 = 0x10;
/// Status bit 5, Leak Detect.
pub const STATUS_LEAK_DETECT: u8 = 0x20;
/// Status bit 6, Service Disconnect (electricity, gas, water).
pub const STATUS_SERVICE_DISCONNECT: u8 = 0x40;
/// Status bit 7: Reverse Flow (gas, water), Flow Sensor (heat/cooling).
pub const STATUS_BIT7: u8 = 0x80;

/// FunctionalNotificationFlags bit 0, New OTA Firmware (ZigBee SE 1.4 10.4.3.1).
pub const NOTIFY_NEW_OTA_FIRMWARE: u32 = 1 << 0;
/// FunctionalNotificationFlags bit 1, CBKE Update Request.
pub const NOTIFY_CBKE_UPDATE_REQUEST: u32 = 1 << 1;
/// FunctionalNotificationFlags bit 2, Time Sync.
pub const NOTIFY_TIME_SYNC: u32 = 1 << 2;
/// FunctionalNotificationFlags bit 4, Stay Awake Request HAN.
pub const NOTIFY_STAY_AWAKE_HAN: u32 = 1 << 4;
/// FunctionalNotificationFlags bit 5, Stay Awake Request WAN.
pub const NOTIFY_STAY_AWAKE_WAN: u32 = 1 << 5;
/// FunctionalNotificationFlags bits 6-8, Push Historical Metering Data Attribute Set.
pub const NOTIFY_PUSH_HISTORICAL_METERING: u32 = 0x7 << 6;
/// FunctionalNotificationFlags bits 9-11, Push Historical Prepayment Data Attribute Set.
pub const NOTIFY_PUSH_HISTORICAL_PREPAYMENT: u32 = 0x7 << 9;
/// FunctionalNotificationFlags bit 12, Push All Static Data - Basic Cluster.
pub const NOTIFY_PUSH_STATIC_BASIC: u32 = 1 << 12;
/// FunctionalNotificationFlags bit 13, Push All Static Data - Metering Cluster.
pub const NOTIFY_PUSH_STATIC_METERING: u32 = 1 << 13;
/// FunctionalNotificationFlags bit 14, Push All Static Data - Prepayment Cluster.
pub const NOTIFY_PUSH_STATIC_PREPAYMENT: u32 = 1 << 14;
/// FunctionalNotificationFlags bit 15, Network Key Active.
pub const NOTIFY_NETWORK_KEY_ACTIVE: u32 = 1 << 15;
/// FunctionalNotificationFlags bit 16, Display Message.
pub const NOTIFY_DISPLAY_MESSAGE: u32 = 1 << 16;
/// FunctionalNotificationFlags bit 17, Cancel All Messages.
pub const NOTIFY_CANCEL_ALL_MESSAGES: u32 = 1 << 17;
/// FunctionalNotificationFlags bit 18, Change Supply.
pub const NOTIFY_CHANGE_SUPPLY: u32 = 1 << 18;
/// FunctionalNotificationFlags bit 19, Local Change Supply.
pub const NOTIFY_LOCAL_CHANGE_SUPPLY: u32 = 1 << 19;
/// FunctionalNotificationFlags bit 20, Set Uncontrolled Flow Threshold.
pub const NOTIFY_SET_UNCONTROLLED_FLOW_THRESHOLD: u32 = 1 << 20;
/// FunctionalNotificationFlags bit 21, Tunnel Message Pending (a GSME fetches
/// the queued GBCS message with a tunnel GET).
pub const NOTIFY_TUNNEL_MESSAGE_PENDING: u32 = 1 << 21;
/// FunctionalNotificationFlags bit 22, Get Snapshot.
pub const NOTIFY_GET_SNAPSHOT: u32 = 1 << 22;
/// FunctionalNotificationFlags bit 23, Get Sampled Data.
pub const NOTIFY_GET_SAMPLED_DATA: u32 = 1 << 23;
/// FunctionalNotificationFlags bit 24, New Sub-GHz Channel Masks Available.
pub const NOTIFY_NEW_SUB_GHZ_CHANNEL_MASKS: u32 = 1 << 24;
/// FunctionalNotificationFlags bit 25, Energy Scan Pending.
pub const NOTIFY_ENERGY_SCAN_PENDING: u32 = 1 << 25;
/// FunctionalNotificationFlags bit 26, Channel Change Pending.
pub const NOTIFY_CHANNEL_CHANGE_PENDING: u32 = 1 << 26;

open_enum! {
    /// UnitofMeasure (ZigBee SE 1.4 10.4.2.2.4): the unit of
    /// the summation and demand attributes, with the value in pure binary
    /// (0x00-0x0D) or BCD (0x80-0x8D).
    pub enum UnitOfMeasure: u8 {
        /// kW and kWh, binary.
        Kwh = 0x00 => "kwh_binary",
        /// m³ and m³/h, binary.
        CubicMetres = 0x01 => "m3_binary",
        /// ft³ and ft³/h, binary.
        CubicFeet = 0x02 => "ft3_binary",
        /// ccf (100 ft³) and ccf/h, binary.
        Ccf = 0x03 => "ccf_binary",
        /// US gallons and US gallons per hour, binary.
        UsGallons = 0x04 => "us_gallons_binary",
        /// Imperial gallons and imperial gallons per hour, binary.
        ImperialGallons = 0x05 => "imperial_gallons_binary",
        /// BTU and BTU/h, binary.
        Btu = 0x06 => "btu_binary",
        /// Litres and l/h, binary.
        Litres = 0x07 => "litres_binary",
        /// kPa gauge pressure, binary.
        KpaGauge = 0x08 => "kpa_gauge_binary",
        /// kPa absolute pressure, binary.
        KpaAbsolute = 0x09 => "kpa_absolute_binary",
        /// mcf (1000 ft³) and mcf/h, binary.
        Mcf = 0x0a => "mcf_binary",
        /// Unitless, binary.
        Unitless = 0x0b => "unitless_binary",
        /// MJ and MJ/s, binary.
        Megajoules = 0x0c => "mj_binary",
        /// kVArh and kVAr, binary.
        Kvar = 0x0d => "kvar_binary",
        /// kW and kWh, BCD.
        KwhBcd = 0x80 => "kwh_bcd",
        /// m³ and m³/h, BCD.
        CubicMetresBcd = 0x81 => "m3_bcd",
        /// ft³ and ft³/h, BCD.
        CubicFeetBcd = 0x82 => "ft3_bcd",
        /// ccf and ccf/h, BCD.
        CcfBcd = 0x83 => "ccf_bcd",
        /// US gallons, BCD.
        UsGallonsBcd = 0x84 => "us_gallons_bcd",
        /// Imperial gallons, BCD.
        ImperialGallonsBcd = 0x85 => "imperial_gallons_bcd",
        /// BTU and BTU/h, BCD.
        BtuBcd = 0x86 => "btu_bcd",
        /// Litres and l/h, BCD.
        LitresBcd = 0x87 => "litres_bcd",
        /// kPa gauge, BCD.
        KpaGaugeBcd = 0x88 => "kpa_gauge_bcd",
        /// kPa absolute, BCD.
        KpaAbsoluteBcd = 0x89 => "kpa_absolute_bcd",
        /// mcf and mcf/h, BCD.
        McfBcd = 0x8a => "mcf_bcd",
        /// Unitless, BCD.
        UnitlessBcd = 0x8b => "unitless_bcd",
        /// MJ and MJ/s, BCD.
        MegajoulesBcd = 0x8c => "mj_bcd",
        /// kVArh and kVAr, BCD.
        KvarBcd = 0x8d => "kvar_bcd",
    }
}

/// (summation unit, demand unit) of the binary codes 0x00-0x0D, indexed by
/// the code without the BCD bit (ZigBee SE 1.4 10.4.2.2.4).
const UNITS: [(&str, &str); 14] = [
    ("kWh", "kW"),
    ("m³", "m³/h"),
    ("ft³", "ft³/h"),
    ("ccf", "ccf/h"),
    ("US gl", "US gl/h"),
    ("IMP gl", "IMP gl/h"),
    ("BTU", "BTU/h"),
    ("l", "l/h"),
    ("kPa gauge", "kPa gauge"),
    ("kPa absolute", "kPa absolute"),
    ("mcf", "mcf/h"),
    ("", ""),
    ("MJ", "MJ/s"),
    ("kVArh", "kVAr"),
];

impl UnitOfMeasure {
    /// Whether values in this unit are sent as BCD digits (codes 0x80-0x8D).
    #[must_use]
    pub fn is_bcd(self) -> bool {
        self.label().is_some() && self.value() & 0x80 != 0
    }

    fn units(self) -> Option<(&'static str, &'static str)> {
        self.label()?;
        UNITS.get(usize::from(self.value() & 0x7f)).copied()
    }

    /// The unit of a summation ("kWh", "m³"; empty when unitless); `None`
    /// for a code the specification does not define.
    #[must_use]
    pub fn summation_unit(self) -> Option<&'static str> {
        self.units().map(|u| u.0)
    }

    /// The unit of a demand ("kW", "m³/h"; the pressure units have no rate);
    /// `None` for a code the specification does not define.
    #[must_use]
    pub fn demand_unit(self) -> Option<&'static str> {
        self.units().map(|u| u.1)
    }
}

/// What the Formatting attribute set (ZigBee SE 1.4 10.4.2.2.4) says about
/// the metered attributes of one Metering server, learnt from reads or
/// reports of those attributes; `None` where not yet seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Formatting {
    /// UnitofMeasure (0x0300).
    pub unit_of_measure: Option<UnitOfMeasure>,
    /// Multiplier (0x0301), uint24.
    pub multiplier: Option<u32>,
    /// Divisor (0x0302), uint24.
    pub divisor: Option<u32>,
    /// SummationFormatting (0x0303).
    pub summation_formatting: Option<u8>,
    /// DemandFormatting (0x0304).
    pub demand_formatting: Option<u8>,
    /// HistoricalConsumptionFormatting (0x0305).
    pub historical_consumption_formatting: Option<u8>,
}

impl Formatting {
    /// Takes note of attribute `attribute_id` (a server attribute) having
    /// `value`. Returns `true` when the attribute is one of the six this
    /// struct keeps (0x0300-0x0305); a value that is not an integer in range
    /// (or the type's invalid value) forgets what was known.
    pub fn learn(&mut self, attribute_id: u16, value: &ZclValue<'_>) -> bool {
        // Readings go by far more often than formatting: leave them quickly.
        if !(ATTR_UNIT_OF_MEASURE..=ATTR_HISTORICAL_CONSUMPTION_FORMATTING).contains(&attribute_id)
        {
            return false;
        }
        let raw = if value.is_invalid() {
            None
        } else {
            zcl_as_u64(value)
        };
        let byte = raw.and_then(|v| u8::try_from(v).ok());
        let word = raw.and_then(|v| u32::try_from(v).ok());
        match attribute_id {
            ATTR_UNIT_OF_MEASURE => self.unit_of_measure = byte.map(UnitOfMeasure::from),
            ATTR_MULTIPLIER => self.multiplier = word,
            ATTR_DIVISOR => self.divisor = word,
            ATTR_SUMMATION_FORMATTING => self.summation_formatting = byte,
            ATTR_DEMAND_FORMATTING => self.demand_formatting = byte,
            ATTR_HISTORICAL_CONSUMPTION_FORMATTING => {
                self.historical_consumption_formatting = byte;
            }
            _ => return false,
        }
        true
    }

    /// The formatting byte for `quantity`, if known.
    #[must_use]
    pub fn formatting_byte(&self, quantity: Quantity) -> Option<u8> {
        match quantity {
            Quantity::Plain => None,
            Quantity::Summation => self.summation_formatting,
            Quantity::Demand => self.demand_formatting,
            Quantity::Historical => self.historical_consumption_formatting,
        }
    }

    /// `value` of an attribute measured as `quantity`, scaled to the unit of
    /// measure: raw × Multiplier ÷ Divisor, shown with the number of
    /// decimals the formatting byte's bits 0-2 give (ZigBee SE 1.4
    /// 10.4.2.2.4).
    ///
    /// A Multiplier or Divisor not yet learnt, or zero, counts as 1; a
    /// formatting byte not yet learnt counts as no decimals. A signed value
    /// (InstantaneousDemand is int24) scales with its sign. With a BCD unit
    /// (0x80-0x8D) the specification sends the value itself in BCD, so the
    /// raw value's hexadecimal digits are read as its decimal digits first
    /// (0x1234 is 1234); a nibble above 9 makes it not a number.
    ///
    /// `None` for [`Quantity::Plain`], for a value that is not an integer
    /// (or is its type's invalid value, or bad BCD), and while the unit of
    /// measure is unknown or not one the specification defines.
    #[must_use]
    pub fn scale(&self, quantity: Quantity, value: &ZclValue<'_>) -> Option<Scaled> {
        let right_digits = match quantity {
            Quantity::Plain => return None,
            q => self.formatting_byte(q).unwrap_or(0) & FORMAT_RIGHT_DIGITS,
        };
        let unit_of_measure = self.unit_of_measure?;
        let unit = match quantity {
            Quantity::Demand => unit_of_measure.demand_unit()?,
            _ => unit_of_measure.summation_unit()?,
        };
        if value.is_invalid() {
            return None;
        }
        let raw: i128 = match *value {
            ZclValue::Unsigned(_, v) if unit_of_measure.is_bcd() => from_bcd(v)?,
            ZclValue::Unsigned(_, v) => i128::from(v),
            ZclValue::Signed(t, v) if unit_of_measure.is_bcd() => {
                // BCD has no sign: read the value's bits as digits.
                let width = t.fixed_len()?;
                let bits = u64::from_le_bytes(v.to_le_bytes());
                let mask = u64::MAX >> (64 - 8 * width.min(8));
                from_bcd(bits & mask)?
            }
            ZclValue::Signed(_, v) => i128::from(v),
            _ => return None,
        };
        let multiplier = self.multiplier.filter(|&m| m != 0).unwrap_or(1);
        let divisor = self.divisor.filter(|&d| d != 0).unwrap_or(1);
        Some(Scaled {
            numerator: raw * i128::from(multiplier),
            divisor,
            right_digits,
            unit,
        })
    }
}

/// A digit string in BCD, most significant nibble first; `None` when a
/// nibble is not a decimal digit.
fn from_bcd(mut v: u64) -> Option<i128> {
    let mut out: i128 = 0;
    let mut scale: i128 = 1;
    while v != 0 {
        let digit = v & 0xf;
        if digit > 9 {
            return None;
        }
        out += i128::from(digit) * scale;
        scale *= 10;
        v >>= 4;
    }
    Some(out)
}

/// A metered value scaled by [`Formatting::scale`]: exactly `numerator ÷
/// divisor` units, shown with the formatting's count of decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scaled {
    numerator: i128,
    divisor: u32,
    right_digits: u8,
    unit: &'static str,
}

impl Scaled {
    /// Raw value × Multiplier.
    #[must_use]
    pub const fn numerator(&self) -> i128 {
        self.numerator
    }

    /// The Divisor (1 when absent or zero).
    #[must_use]
    pub const fn divisor(&self) -> u32 {
        self.divisor
    }

    /// Digits shown right of the decimal point (formatting bits 0-2).
    #[must_use]
    pub const fn right_digits(&self) -> u8 {
        self.right_digits
    }

    /// The unit ("kWh", "kW", "m³" ...; empty when unitless).
    #[must_use]
    pub const fn unit(&self) -> &'static str {
        self.unit
    }

    /// The value in the unit, approximately, as a float.
    #[must_use]
    pub fn to_f64(&self) -> f64 {
        self.numerator as f64 / f64::from(self.divisor)
    }
}

/// The value with [`Scaled::right_digits`] decimals, truncated toward zero
/// as a register display does, then the unit: "12345.678 kWh", "-1.500 kW".
/// Leading digits are neither suppressed nor padded.
impl fmt::Display for Scaled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pow = 10i128.pow(u32::from(self.right_digits));
        // |numerator| < 2^88 and pow <= 10^7, so this cannot overflow.
        let fixed = self.numerator * pow / i128::from(self.divisor);
        let sign = if fixed < 0 { "-" } else { "" };
        let abs = fixed.unsigned_abs();
        let pow = pow.unsigned_abs();
        write!(f, "{sign}{}", abs / pow)?;
        if self.right_digits > 0 {
            let width = usize::from(self.right_digits);
            write!(f, ".{:0width$}", abs % pow)?;
        }
        if !self.unit.is_empty() {
            write!(f, " {}", self.unit)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Value names.

/// UnitofMeasure names (ZigBee SE 1.4 10.4.2.2.4.1), the labels of
/// [`UnitOfMeasure`]; Price's unit of measure uses the same table.
pub const UNIT_OF_MEASURE: &[(u64, &str)] = &[
    (0x00, "kwh_binary"),
    (0x01, "m3_binary"),
    (0x02, "ft3_binary"),
    (0x03, "ccf_binary"),
    (0x04, "us_gallons_binary"),
    (0x05, "imperial_gallons_binary"),
    (0x06, "btu_binary"),
    (0x07, "litres_binary"),
    (0x08, "kpa_gauge_binary"),
    (0x09, "kpa_absolute_binary"),
    (0x0a, "mcf_binary"),
    (0x0b, "unitless_binary"),
    (0x0c, "mj_binary"),
    (0x0d, "kvar_binary"),
    (0x80, "kwh_bcd"),
    (0x81, "m3_bcd"),
    (0x82, "ft3_bcd"),
    (0x83, "ccf_bcd"),
    (0x84, "us_gallons_bcd"),
    (0x85, "imperial_gallons_bcd"),
    (0x86, "btu_bcd"),
    (0x87, "litres_bcd"),
    (0x88, "kpa_gauge_bcd"),
    (0x89, "kpa_absolute_bcd"),
    (0x8a, "mcf_bcd"),
    (0x8b, "unitless_bcd"),
    (0x8c, "mj_bcd"),
    (0x8d, "kvar_bcd"),
];

/// TemperatureUnitOfMeasure (ZigBee SE 1.4 10.4.2.2.4).
const TEMPERATURE_UNIT: &[(u64, &str)] = &[
    (0x00, "kelvin_binary"),
    (0x01, "celsius_binary"),
    (0x02, "fahrenheit_binary"),
    (0x80, "kelvin_bcd"),
    (0x81, "celsius_bcd"),
    (0x82, "fahrenheit_bcd"),
];

/// MeteringDeviceType (ZigBee SE 1.4 10.4.2.2.4); 3 and 130 (thermal) are
/// deprecated but keep their meaning.
pub(crate) const METERING_DEVICE_TYPE: &[(u64, &str)] = &[
    (0, "electric_metering"),
    (1, "gas_metering"),
    (2, "water_metering"),
    (3, "thermal_metering"),
    (4, "pressure_metering"),
    (5, "heat_metering"),
    (6, "cooling_metering"),
    (7, "end_use_measurement_device"),
    (8, "pv_generation_metering"),
    (9, "wind_turbine_generation_metering"),
    (10, "water_turbine_generation_metering"),
    (11, "micro_generation_metering"),
    (12, "solar_hot_water_generation_metering"),
    (13, "electric_metering_element_phase_1"),
    (14, "electric_metering_element_phase_2"),
    (15, "electric_metering_element_phase_3"),
    (127, "mirrored_electric_metering"),
    (128, "mirrored_gas_metering"),
    (129, "mirrored_water_metering"),
    (130, "mirrored_thermal_metering"),
    (131, "mirrored_pressure_metering"),
    (132, "mirrored_heat_metering"),
    (133, "mirrored_cooling_metering"),
    (134, "mirrored_end_use_measurement_device"),
    (135, "mirrored_pv_generation_metering"),
    (136, "mirrored_wind_turbine_generation_metering"),
    (137, "mirrored_water_turbine_generation_metering"),
    (138, "mirrored_micro_generation_metering"),
    (139, "mirrored_solar_hot_water_generation_metering"),
    (140, "mirrored_electric_metering_element_phase_1"),
    (141, "mirrored_electric_metering_element_phase_2"),
    (142, "mirrored_electric_metering_element_phase_3"),
];

/// SupplyStatus and the supply state attributes (ZigBee SE 1.4 10.4.2.2.1).
const SUPPLY_STATE: &[(u64, &str)] =
    &[(0, "supply_off"), (1, "supply_off_armed"), (2, "supply_on")];

/// Proposed supply states in commands (ZigBee SE 1.4 10.4.2.3): the
/// attribute states plus "unchanged".
const PROPOSED_SUPPLY_STATE: &[(u64, &str)] = &[
    (0, "supply_off"),
    (1, "supply_off_armed"),
    (2, "supply_on"),
    (3, "supply_unchanged"),
];

/// ProfileIntervalPeriod (ZigBee SE 1.4 10.4.2.2.1).
const PROFILE_INTERVAL_PERIOD: &[(u64, &str)] = &[
    (0, "daily"),
    (1, "60_minutes"),
    (2, "30_minutes"),
    (3, "15_minutes"),
    (4, "10_minutes"),
    (5, "7_5_minutes"),
    (6, "5_minutes"),
    (7, "2_5_minutes"),
    (8, "1_minute"),
];

/// CurrentBlock and CurrentBlockReceived (ZigBee SE 1.4 10.4.2.2.1).
const BLOCK: &[(u64, &str)] = &[
    (0x00, "no_blocks_in_use"),
    (0x01, "block_1"),
    (0x02, "block_2"),
    (0x03, "block_3"),
    (0x04, "block_4"),
    (0x05, "block_5"),
    (0x06, "block_6"),
    (0x07, "block_7"),
    (0x08, "block_8"),
    (0x09, "block_9"),
    (0x0a, "block_10"),
    (0x0b, "block_11"),
    (0x0c, "block_12"),
    (0x0d, "block_13"),
    (0x0e, "block_14"),
    (0x0f, "block_15"),
    (0x10, "block_16"),
];

/// AmbientConsumptionIndicator (ZigBee SE 1.4 10.4.2.2.3).
const AMBIENT_CONSUMPTION: &[(u64, &str)] = &[
    (0, "low_energy_usage"),
    (1, "medium_energy_usage"),
    (2, "high_energy_usage"),
];

/// Interval Channel of Get Profile (ZigBee SE 1.4 10.4.2.3; the reactive
/// channels as the Espressif/ZBOSS tables list them).
const INTERVAL_CHANNEL: &[(u64, &str)] = &[
    (0, "consumption_delivered"),
    (1, "consumption_received"),
    (2, "reactive_consumption_delivered"),
    (3, "reactive_consumption_received"),
];

/// Get Profile Response Status (ZigBee SE 1.4 10.4.2.4).
const PROFILE_STATUS: &[(u64, &str)] = &[
    (0, "success"),
    (1, "undefined_interval_channel_requested"),
    (2, "interval_channel_not_supported"),
    (3, "invalid_end_time"),
    (4, "more_periods_requested_than_can_be_returned"),
    (5, "no_intervals_available_for_the_requested_time"),
];

/// SampleType (ZigBee SE 1.4 10.4.2.3).
const SAMPLE_TYPE: &[(u64, &str)] = &[
    (0, "consumption_delivered"),
    (1, "consumption_received"),
    (2, "reactive_consumption_delivered"),
    (3, "reactive_consumption_received"),
    (4, "instantaneous_demand"),
];

/// Snapshot Payload Type (ZigBee SE 1.4 10.4.2.3).
const SNAPSHOT_PAYLOAD_TYPE: &[(u64, &str)] = &[
    (0, "tou_delivered_registers"),
    (1, "tou_received_registers"),
    (2, "block_tier_delivered"),
    (3, "block_tier_received"),
    (4, "tou_delivered_registers_no_billing"),
    (5, "tou_received_registers_no_billing"),
    (6, "block_tier_delivered_no_billing"),
    (7, "block_tier_received_no_billing"),
    (128, "data_unavailable"),
];

/// Snapshot Schedule Confirmation (ZigBee SE 1.4 10.4.2.4).
const SNAPSHOT_SCHEDULE_CONFIRMATION: &[(u64, &str)] = &[
    (0, "accepted"),
    (1, "snapshot_type_not_supported"),
    (2, "snapshot_cause_not_supported"),
    (3, "snapshot_schedule_not_currently_available"),
    (4, "snapshot_schedules_not_supported_by_device"),
    (5, "insufficient_space_for_snapshot_schedule"),
];

/// Snapshot Confirmation of Take Snapshot Response (ZigBee SE 1.4 10.4.2.4).
const SNAPSHOT_CONFIRMATION: &[(u64, &str)] =
    &[(0, "accepted"), (1, "snapshot_cause_not_supported")];

/// Notification Scheme (ZigBee SE 1.4 10.4.2.4).
const NOTIFICATION_SCHEME: &[(u64, &str)] = &[
    (0, "no_notification_scheme_defined"),
    (1, "predefined_notification_scheme_a"),
    (2, "predefined_notification_scheme_b"),
];

// ---------------------------------------------------------------------------
// Attributes.

const fn summation(id: u16, name: &'static str) -> Attribute {
    Attribute::new(id, name, Uint48).quantity(Quantity::Summation)
}

const fn historical(id: u16, name: &'static str) -> Attribute {
    Attribute::new(id, name, Uint24).quantity(Quantity::Historical)
}

/// One tier's run of 16 block summations in a Block Information set.
const fn tier_blocks(id: u16, name: &'static str) -> Attribute {
    Attribute::family(id, 16, 1, 1, name, Uint48).quantity(Quantity::Summation)
}

/// Server attributes. Quantities follow the formatting attribute each value
/// is specified with; the energy-carrier, temperature, pressure and
/// alternative-unit attributes have formatting of their own that
/// [`Formatting`] does not track, so they are [`Quantity::Plain`].
static ATTRIBUTES: &[Attribute] = &[
    // 0x00 Reading Information Set (ZigBee SE 1.4 10.4.2.2.1).
    summation(0x0000, "CurrentSummationDelivered"),
    summation(0x0001, "CurrentSummationReceived"),
    Attribute::new(0x0002, "CurrentMaxDemandDelivered", Uint48).quantity(Quantity::Demand),
    Attribute::new(0x0003, "CurrentMaxDemandReceived", Uint48).quantity(Quantity::Demand),
    summation(0x0004, "DFTSummation"),
    Attribute::new(0x0005, "DailyFreezeTime", Uint16),
    Attribute::new(0x0006, "PowerFactor", Int8),
    Attribute::new(0x0007, "ReadingSnapShotTime", UtcTime),
    Attribute::new(0x0008, "CurrentMaxDemandDeliveredTime", UtcTime),
    Attribute::new(0x0009, "CurrentMaxDemandReceivedTime", UtcTime),
    Attribute::new(0x000a, "DefaultUpdatePeriod", Uint8),
    Attribute::new(0x000b, "FastPollUpdatePeriod", Uint8),
    summation(0x000c, "CurrentBlockPeriodConsumptionDelivered"),
    // A target to compare with CurrentDayConsumptionDelivered, so scaled
    // the same way.
    Attribute::new(0x000d, "DailyConsumptionTarget", Uint24).quantity(Quantity::Historical),
    Attribute::new(0x000e, "CurrentBlock", Enum8).values(BLOCK),
    Attribute::new(0x000f, "ProfileIntervalPeriod", Enum8).values(PROFILE_INTERVAL_PERIOD),
    // Deprecated since SE 1.2; the name is SE 1.1's.
    Attribute::new(0x0010, "IntervalReadReportingPeriod", Uint16),
    Attribute::new(0x0011, "PresetReadingTime", Uint16),
    // SE 1.2 and Wireshark call it VolumePerReport; the SE 1.4 name, as
    // the Exegin and ZBOSS tables give it, is kept.
    Attribute::new(0x0012, "SummationDeliveredPerReport", Uint16),
    Attribute::new(0x0013, "FlowRestriction", Uint8),
    Attribute::new(0x0014, "SupplyStatus", Enum8).values(SUPPLY_STATE),
    Attribute::new(0x0015, "CurrentInletEnergyCarrierSummation", Uint48),
    Attribute::new(0x0016, "CurrentOutletEnergyCarrierSummation", Uint48),
    Attribute::new(0x0017, "InletTemperature", Int24),
    Attribute::new(0x0018, "OutletTemperature", Int24),
    Attribute::new(0x0019, "ControlTemperature", Int24),
    Attribute::new(0x001a, "CurrentInletEnergyCarrierDemand", Int24),
    Attribute::new(0x001b, "CurrentOutletEnergyCarrierDemand", Int24),
    summation(0x001c, "PreviousBlockPeriodConsumptionDelivered"),
    summation(0x001d, "CurrentBlockPeriodConsumptionReceived"),
    Attribute::new(0x001e, "CurrentBlockReceived", Enum8).values(BLOCK),
    summation(0x001f, "DFTSummationReceived"),
    // 0x00 none, 0x01-0x30 tier 1-48 (ZigBee SE 1.4 10.4.2.2.1); too many to name here.
    Attribute::new(0x0020, "ActiveRegisterTierDelivered", Enum8),
    Attribute::new(0x0021, "ActiveRegisterTierReceived", Enum8),
    Attribute::new(0x0022, "LastBlockSwitchTime", UtcTime),
    // 0x01 TOU Register Tiers (ZigBee SE 1.4 10.4.2.2.2): 48 tiers.
    Attribute::family(0x0100, 48, 2, 1, "CurrentTier{n}SummationDelivered", Uint48)
        .quantity(Quantity::Summation),
    Attribute::family(0x0101, 48, 2, 1, "CurrentTier{n}SummationReceived", Uint48)
        .quantity(Quantity::Summation),
    summation(0x01fc, "CPP1SummationDelivered"),
    summation(0x01fe, "CPP2SummationDelivered"),
    // 0x02 Meter Status (ZigBee SE 1.4 10.4.2.2.3).
    Attribute::new(0x0200, "Status", Bitmap8),
    Attribute::new(0x0201, "RemainingBatteryLife", Uint8),
    Attribute::new(0x0202, "HoursInOperation", Uint24),
    Attribute::new(0x0203, "HoursInFault", Uint24),
    Attribute::new(0x0204, "ExtendedStatus", Bitmap64),
    Attribute::new(0x0205, "RemainingBatteryLifeInDays", Uint16),
    Attribute::new(0x0206, "CurrentMeterID", OctetString),
    Attribute::new(0x0207, "AmbientConsumptionIndicator", Enum8).values(AMBIENT_CONSUMPTION),
    // 0x03 Formatting (ZigBee SE 1.4 10.4.2.2.4). MeteringDeviceType is a
    // bitmap8 in the table although its values are an enumeration.
    Attribute::new(0x0300, "UnitofMeasure", Enum8).values(UNIT_OF_MEASURE),
    Attribute::new(0x0301, "Multiplier", Uint24),
    Attribute::new(0x0302, "Divisor", Uint24),
    Attribute::new(0x0303, "SummationFormatting", Bitmap8),
    Attribute::new(0x0304, "DemandFormatting", Bitmap8),
    Attribute::new(0x0305, "HistoricalConsumptionFormatting", Bitmap8),
    Attribute::new(0x0306, "MeteringDeviceType", Bitmap8).values(METERING_DEVICE_TYPE),
    Attribute::new(0x0307, "SiteID", OctetString),
    Attribute::new(0x0308, "MeterSerialNumber", OctetString),
    Attribute::new(0x0309, "EnergyCarrierUnitOfMeasure", Enum8).values(UNIT_OF_MEASURE),
    Attribute::new(0x030a, "EnergyCarrierSummationFormatting", Bitmap8),
    Attribute::new(0x030b, "EnergyCarrierDemandFormatting", Bitmap8),
    Attribute::new(0x030c, "TemperatureUnitOfMeasure", Enum8).values(TEMPERATURE_UNIT),
    Attribute::new(0x030d, "TemperatureFormatting", Bitmap8),
    Attribute::new(0x030e, "ModuleSerialNumber", OctetString),
    Attribute::new(0x030f, "OperatingTariffLabelDelivered", OctetString),
    Attribute::new(0x0310, "OperatingTariffLabelReceived", OctetString),
    Attribute::new(0x0311, "CustomerIDNumber", OctetString),
    Attribute::new(0x0312, "AlternativeUnitofMeasure", Enum8).values(UNIT_OF_MEASURE),
    Attribute::new(0x0313, "AlternativeDemandFormatting", Bitmap8),
    Attribute::new(0x0314, "AlternativeConsumptionFormatting", Bitmap8),
    // 0x04 Historical Consumption (ZigBee SE 1.4 10.4.2.2.5).
    Attribute::new(0x0400, "InstantaneousDemand", Int24).quantity(Quantity::Demand),
    historical(0x0401, "CurrentDayConsumptionDelivered"),
    historical(0x0402, "CurrentDayConsumptionReceived"),
    historical(0x0403, "PreviousDayConsumptionDelivered"),
    historical(0x0404, "PreviousDayConsumptionReceived"),
    Attribute::new(
        0x0405,
        "CurrentPartialProfileIntervalStartTimeDelivered",
        UtcTime,
    ),
    Attribute::new(
        0x0406,
        "CurrentPartialProfileIntervalStartTimeReceived",
        UtcTime,
    ),
    historical(0x0407, "CurrentPartialProfileIntervalValueDelivered"),
    historical(0x0408, "CurrentPartialProfileIntervalValueReceived"),
    Attribute::new(0x0409, "CurrentDayMaxPressure", Uint48),
    Attribute::new(0x040a, "CurrentDayMinPressure", Uint48),
    Attribute::new(0x040b, "PreviousDayMaxPressure", Uint48),
    Attribute::new(0x040c, "PreviousDayMinPressure", Uint48),
    Attribute::new(0x040d, "CurrentDayMaxDemand", Int24).quantity(Quantity::Demand),
    Attribute::new(0x040e, "PreviousDayMaxDemand", Int24).quantity(Quantity::Demand),
    Attribute::new(0x040f, "CurrentMonthMaxDemand", Int24).quantity(Quantity::Demand),
    Attribute::new(0x0410, "CurrentYearMaxDemand", Int24).quantity(Quantity::Demand),
    Attribute::new(0x0411, "CurrentDayMaxEnergyCarrierDemand", Int24),
    Attribute::new(0x0412, "PreviousDayMaxEnergyCarrierDemand", Int24),
    Attribute::new(0x0413, "CurrentMonthMaxEnergyCarrierDemand", Int24),
    Attribute::new(0x0414, "CurrentMonthMinEnergyCarrierDemand", Int24),
    Attribute::new(0x0415, "CurrentYearMaxEnergyCarrierDemand", Int24),
    Attribute::new(0x0416, "CurrentYearMinEnergyCarrierDemand", Int24),
    Attribute::family(
        0x0420,
        7,
        2,
        2,
        "PreviousDay{n}ConsumptionDelivered",
        Uint24,
    )
    .quantity(Quantity::Historical),
    Attribute::family(0x0421, 7, 2, 2, "PreviousDay{n}ConsumptionReceived", Uint24)
        .quantity(Quantity::Historical),
    historical(0x0430, "CurrentWeekConsumptionDelivered"),
    historical(0x0431, "CurrentWeekConsumptionReceived"),
    historical(0x0432, "PreviousWeekConsumptionDelivered"),
    historical(0x0433, "PreviousWeekConsumptionReceived"),
    Attribute::family(
        0x0434,
        4,
        2,
        2,
        "PreviousWeek{n}ConsumptionDelivered",
        Uint24,
    )
    .quantity(Quantity::Historical),
    Attribute::family(
        0x0435,
        4,
        2,
        2,
        "PreviousWeek{n}ConsumptionReceived",
        Uint24,
    )
    .quantity(Quantity::Historical),
    Attribute::new(0x0440, "CurrentMonthConsumptionDelivered", Uint32)
        .quantity(Quantity::Historical),
    Attribute::new(0x0441, "CurrentMonthConsumptionReceived", Uint32)
        .quantity(Quantity::Historical),
    Attribute::new(0x0442, "PreviousMonthConsumptionDelivered", Uint32)
        .quantity(Quantity::Historical),
    Attribute::new(0x0443, "PreviousMonthConsumptionReceived", Uint32)
        .quantity(Quantity::Historical),
    Attribute::family(
        0x0444,
        12,
        2,
        2,
        "PreviousMonth{n}ConsumptionDelivered",
        Uint32,
    )
    .quantity(Quantity::Historical),
    Attribute::family(
        0x0445,
        12,
        2,
        2,
        "PreviousMonth{n}ConsumptionReceived",
        Uint32,
    )
    .quantity(Quantity::Historical),
    Attribute::new(0x045c, "HistoricalFreezeTime", Uint16),
    Attribute::new(0x045d, "CurrentDayMaxDemandDelivered", Uint48).quantity(Quantity::Demand),
    Attribute::new(0x045e, "CurrentDayMaxDemandDeliveredTime", UtcTime),
    Attribute::new(0x045f, "CurrentDayMaxDemandReceived", Uint48).quantity(Quantity::Demand),
    Attribute::new(0x0460, "CurrentDayMaxDemandReceivedTime", UtcTime),
    Attribute::new(0x0461, "PreviousDayMaxDemandDelivered", Uint48).quantity(Quantity::Demand),
    Attribute::new(0x0462, "PreviousDayMaxDemandDeliveredTime", UtcTime),
    Attribute::new(0x0463, "PreviousDayMaxDemandReceived", Uint48).quantity(Quantity::Demand),
    Attribute::new(0x0464, "PreviousDayMaxDemandReceivedTime", UtcTime),
    // 0x05 Load Profile Configuration (ZigBee SE 1.4 10.4.2.2.6).
    Attribute::new(0x0500, "MaxNumberOfPeriodsDelivered", Uint8),
    // 0x06 Supply Limit (ZigBee SE 1.4 10.4.2.2.7).
    Attribute::new(0x0600, "CurrentDemandDelivered", Uint24).quantity(Quantity::Demand),
    Attribute::new(0x0601, "DemandLimit", Uint24).quantity(Quantity::Demand),
    Attribute::new(0x0602, "DemandIntegrationPeriod", Uint8),
    Attribute::new(0x0603, "NumberOfDemandSubintervals", Uint8),
    Attribute::new(0x0604, "DemandLimitArmDuration", Uint16),
    Attribute::new(0x0605, "LoadLimitSupplyState", Enum8).values(SUPPLY_STATE),
    Attribute::new(0x0606, "LoadLimitCounter", Uint8),
    Attribute::new(0x0607, "SupplyTamperState", Enum8).values(SUPPLY_STATE),
    Attribute::new(0x0608, "SupplyDepletionState", Enum8).values(SUPPLY_STATE),
    Attribute::new(0x0609, "SupplyUncontrolledFlowState", Enum8).values(SUPPLY_STATE),
    // 0x07 Block Information Delivered (ZigBee SE 1.4 10.4.2.2.8): 16
    // blocks without tiers, then 16 blocks for each of tiers 1-15.
    tier_blocks(0x0700, "CurrentNoTierBlock{n}SummationDelivered"),
    tier_blocks(0x0710, "CurrentTier1Block{n}SummationDelivered"),
    tier_blocks(0x0720, "CurrentTier2Block{n}SummationDelivered"),
    tier_blocks(0x0730, "CurrentTier3Block{n}SummationDelivered"),
    tier_blocks(0x0740, "CurrentTier4Block{n}SummationDelivered"),
    tier_blocks(0x0750, "CurrentTier5Block{n}SummationDelivered"),
    tier_blocks(0x0760, "CurrentTier6Block{n}SummationDelivered"),
    tier_blocks(0x0770, "CurrentTier7Block{n}SummationDelivered"),
    tier_blocks(0x0780, "CurrentTier8Block{n}SummationDelivered"),
    tier_blocks(0x0790, "CurrentTier9Block{n}SummationDelivered"),
    tier_blocks(0x07a0, "CurrentTier10Block{n}SummationDelivered"),
    tier_blocks(0x07b0, "CurrentTier11Block{n}SummationDelivered"),
    tier_blocks(0x07c0, "CurrentTier12Block{n}SummationDelivered"),
    tier_blocks(0x07d0, "CurrentTier13Block{n}SummationDelivered"),
    tier_blocks(0x07e0, "CurrentTier14Block{n}SummationDelivered"),
    tier_blocks(0x07f0, "CurrentTier15Block{n}SummationDelivered"),
    // 0x08 Alarms (ZigBee SE 1.4 10.4.2.2.9).
    Attribute::new(0x0800, "GenericAlarmMask", Bitmap16),
    Attribute::new(0x0801, "ElectricityAlarmMask", Bitmap32),
    Attribute::new(0x0802, "GenericFlowPressureAlarmMask", Bitmap16),
    Attribute::new(0x0803, "WaterSpecificAlarmMask", Bitmap16),
    Attribute::new(0x0804, "HeatAndCoolingSpecificAlarmMask", Bitmap16),
    Attribute::new(0x0805, "GasSpecificAlarmMask", Bitmap16),
    Attribute::new(0x0806, "ExtendedGenericAlarmMask", Bitmap48),
    Attribute::new(0x0807, "ManufacturerAlarmMask", Bitmap16),
    // 0x09 Block Information Received (ZigBee SE 1.4 10.4.2.2.10).
    tier_blocks(0x0900, "CurrentNoTierBlock{n}SummationReceived"),
    tier_blocks(0x0910, "CurrentTier1Block{n}SummationReceived"),
    tier_blocks(0x0920, "CurrentTier2Block{n}SummationReceived"),
    tier_blocks(0x0930, "CurrentTier3Block{n}SummationReceived"),
    tier_blocks(0x0940, "CurrentTier4Block{n}SummationReceived"),
    tier_blocks(0x0950, "CurrentTier5Block{n}SummationReceived"),
    tier_blocks(0x0960, "CurrentTier6Block{n}SummationReceived"),
    tier_blocks(0x0970, "CurrentTier7Block{n}SummationReceived"),
    tier_blocks(0x0980, "CurrentTier8Block{n}SummationReceived"),
    tier_blocks(0x0990, "CurrentTier9Block{n}SummationReceived"),
    tier_blocks(0x09a0, "CurrentTier10Block{n}SummationReceived"),
    tier_blocks(0x09b0, "CurrentTier11Block{n}SummationReceived"),
    tier_blocks(0x09c0, "CurrentTier12Block{n}SummationReceived"),
    tier_blocks(0x09d0, "CurrentTier13Block{n}SummationReceived"),
    tier_blocks(0x09e0, "CurrentTier14Block{n}SummationReceived"),
    tier_blocks(0x09f0, "CurrentTier15Block{n}SummationReceived"),
    // 0x0A Meter Billing (ZigBee SE 1.4 10.4.2.2.11): amounts in the Price
    // cluster's currency, not metered units.
    Attribute::new(0x0a00, "BillToDateDelivered", Uint32),
    Attribute::new(0x0a01, "BillToDateTimeStampDelivered", UtcTime),
    Attribute::new(0x0a02, "ProjectedBillDelivered", Uint32),
    Attribute::new(0x0a03, "ProjectedBillTimeStampDelivered", UtcTime),
    Attribute::new(0x0a04, "BillDeliveredTrailingDigit", Bitmap8),
    Attribute::new(0x0a10, "BillToDateReceived", Uint32),
    Attribute::new(0x0a11, "BillToDateTimeStampReceived", UtcTime),
    Attribute::new(0x0a12, "ProjectedBillReceived", Uint32),
    Attribute::new(0x0a13, "ProjectedBillTimeStampReceived", UtcTime),
    Attribute::new(0x0a14, "BillReceivedTrailingDigit", Bitmap8),
    // 0x0B Supply Control (ZigBee SE 1.4 10.4.2.2.12).
    Attribute::new(0x0b00, "ProposedChangeSupplyImplementationTime", UtcTime),
    Attribute::new(0x0b01, "ProposedChangeSupplyStatus", Enum8).values(PROPOSED_SUPPLY_STATE),
    Attribute::new(0x0b10, "UncontrolledFlowThreshold", Uint16),
    Attribute::new(0x0b11, "UncontrolledFlowThresholdUnitofMeasure", Enum8).values(UNIT_OF_MEASURE),
    Attribute::new(0x0b12, "UncontrolledFlowMultiplier", Uint16),
    Attribute::new(0x0b13, "UncontrolledFlowDivisor", Uint16),
    Attribute::new(0x0b14, "FlowStabilisationPeriod", Uint8),
    Attribute::new(0x0b15, "FlowMeasurementPeriod", Uint16),
    // 0x0C Alternative Historical Consumption (ZigBee SE 1.4 10.4.2.2.13),
    // in AlternativeUnitofMeasure with the alternative formatting.
    Attribute::new(0x0c00, "AlternativeInstantaneousDemand", Int24),
    Attribute::new(0x0c01, "CurrentDayAlternativeConsumptionDelivered", Uint24),
    Attribute::new(0x0c02, "CurrentDayAlternativeConsumptionReceived", Uint24),
    Attribute::new(0x0c03, "PreviousDayAlternativeConsumptionDelivered", Uint24),
    Attribute::new(0x0c04, "PreviousDayAlternativeConsumptionReceived", Uint24),
    Attribute::new(
        0x0c05,
        "CurrentAlternativePartialProfileIntervalStartTimeDelivered",
        UtcTime,
    ),
    Attribute::new(
        0x0c06,
        "CurrentAlternativePartialProfileIntervalStartTimeReceived",
        UtcTime,
    ),
    Attribute::new(
        0x0c07,
        "CurrentAlternativePartialProfileIntervalValueDelivered",
        Uint24,
    ),
    Attribute::new(
        0x0c08,
        "CurrentAlternativePartialProfileIntervalValueReceived",
        Uint24,
    ),
    Attribute::new(0x0c09, "CurrentDayAlternativeMaxPressure", Uint48),
    Attribute::new(0x0c0a, "CurrentDayAlternativeMinPressure", Uint48),
    Attribute::new(0x0c0b, "PreviousDayAlternativeMaxPressure", Uint48),
    Attribute::new(0x0c0c, "PreviousDayAlternativeMinPressure", Uint48),
    Attribute::new(0x0c0d, "CurrentDayAlternativeMaxDemand", Int24),
    Attribute::new(0x0c0e, "PreviousDayAlternativeMaxDemand", Int24),
    Attribute::new(0x0c0f, "CurrentMonthAlternativeMaxDemand", Int24),
    Attribute::new(0x0c10, "CurrentYearAlternativeMaxDemand", Int24),
    Attribute::family(
        0x0c20,
        7,
        2,
        2,
        "PreviousDay{n}AlternativeConsumptionDelivered",
        Uint24,
    ),
    Attribute::family(
        0x0c21,
        7,
        2,
        2,
        "PreviousDay{n}AlternativeConsumptionReceived",
        Uint24,
    ),
    Attribute::new(0x0c30, "CurrentWeekAlternativeConsumptionDelivered", Uint24),
    Attribute::new(0x0c31, "CurrentWeekAlternativeConsumptionReceived", Uint24),
    Attribute::new(
        0x0c32,
        "PreviousWeekAlternativeConsumptionDelivered",
        Uint24,
    ),
    Attribute::new(0x0c33, "PreviousWeekAlternativeConsumptionReceived", Uint24),
    Attribute::family(
        0x0c34,
        4,
        2,
        2,
        "PreviousWeek{n}AlternativeConsumptionDelivered",
        Uint24,
    ),
    Attribute::family(
        0x0c35,
        4,
        2,
        2,
        "PreviousWeek{n}AlternativeConsumptionReceived",
        Uint24,
    ),
    Attribute::new(
        0x0c40,
        "CurrentMonthAlternativeConsumptionDelivered",
        Uint32,
    ),
    Attribute::new(0x0c41, "CurrentMonthAlternativeConsumptionReceived", Uint32),
    Attribute::new(
        0x0c42,
        "PreviousMonthAlternativeConsumptionDelivered",
        Uint32,
    ),
    Attribute::new(
        0x0c43,
        "PreviousMonthAlternativeConsumptionReceived",
        Uint32,
    ),
    Attribute::family(
        0x0c44,
        12,
        2,
        2,
        "PreviousMonth{n}AlternativeConsumptionDelivered",
        Uint32,
    ),
    Attribute::family(
        0x0c45,
        12,
        2,
        2,
        "PreviousMonth{n}AlternativeConsumptionReceived",
        Uint32,
    ),
];

/// Client attributes: the Notification attribute set (ZigBee SE 1.4
/// 10.4.3.1). NotificationFlags2-5 carry the Price, Calendar, Prepayment and
/// Device Management flags; 6-8 are reserved for later clusters (kept so
/// that their reads are named, as the vendor stacks list them).
static CLIENT_ATTRIBUTES: &[Attribute] = &[
    Attribute::new(0x0000, "FunctionalNotificationFlags", Bitmap32),
    Attribute::family(0x0001, 7, 1, 2, "NotificationFlags{n}", Bitmap32),
];

// ---------------------------------------------------------------------------
// Commands.

const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const PROVIDER_ID: Field = Field::new("provider_id", Uint32);
const SNAPSHOT_CAUSE: Field = Field::new("snapshot_cause", Bitmap32);
const NOTIFICATION_SCHEME_FIELD: Field =
    Field::new("notification_scheme", Uint8).values(NOTIFICATION_SCHEME);

/// Commands the server receives (ZigBee SE 1.4 10.4.2.3).
static RECEIVED: &[Command] = &[
    Command::new(
        0x00,
        "Get Profile",
        "get_profile",
        &[
            Field::new("interval_channel", Enum8).values(INTERVAL_CHANNEL),
            Field::new("end_time", UtcTime),
            Field::new("number_of_periods", Uint8),
        ],
    ),
    Command::new(
        0x01,
        "Request Mirror Response",
        "request_mirror_response",
        &[Field::new("endpoint_id", Uint16)],
    ),
    Command::new(
        0x02,
        "Mirror Removed",
        "mirror_removed",
        &[Field::new("removed_endpoint_id", Uint16)],
    ),
    Command::new(
        0x03,
        "Request Fast Poll Mode",
        "request_fast_poll_mode",
        &[
            Field::new("fast_poll_update_period", Uint8),
            Field::new("duration", Uint8),
        ],
    ),
    // The schedule payload repeats (Command Index and Total Number of
    // Commands split a long list across commands); Wireshark 4.0 reads one
    // schedule, which is the same octets when there is one.
    Command::new(
        0x04,
        "Schedule Snapshot",
        "schedule_snapshot",
        &[
            ISSUER_EVENT_ID,
            Field::new("command_index", Uint8),
            Field::new("total_number_of_commands", Uint8),
            Field::records(
                "snapshot_schedules",
                &[
                    Field::new("snapshot_schedule_id", Uint8),
                    Field::new("snapshot_start_time", UtcTime),
                    Field::new("snapshot_schedule", Bitmap24),
                    Field::new("snapshot_payload_type", Enum8).values(SNAPSHOT_PAYLOAD_TYPE),
                    SNAPSHOT_CAUSE,
                ],
            ),
        ],
    ),
    Command::new(0x05, "Take Snapshot", "take_snapshot", &[SNAPSHOT_CAUSE]),
    Command::new(
        0x06,
        "Get Snapshot",
        "get_snapshot",
        &[
            Field::new("earliest_start_time", UtcTime),
            Field::new("latest_end_time", UtcTime),
            Field::new("snapshot_offset", Uint8),
            SNAPSHOT_CAUSE,
        ],
    ),
    Command::new(
        0x07,
        "Start Sampling",
        "start_sampling",
        &[
            ISSUER_EVENT_ID,
            Field::new("start_sampling_time", UtcTime),
            Field::new("sample_type", Enum8).values(SAMPLE_TYPE),
            Field::new("sample_request_interval", Uint16),
            Field::new("max_number_of_samples", Uint16),
        ],
    ),
    Command::new(
        0x08,
        "Get Sampled Data",
        "get_sampled_data",
        &[
            Field::new("sample_id", Uint16),
            Field::new("earliest_sample_time", UtcTime),
            Field::new("sample_type", Enum8).values(SAMPLE_TYPE),
            Field::new("number_of_samples", Uint16),
        ],
    ),
    Command::new(
        0x09,
        "Mirror Report Attribute Response",
        "mirror_report_attribute_response",
        &[
            NOTIFICATION_SCHEME_FIELD,
            // As many flags as the scheme orders (one for scheme A, five for
            // B); Wireshark reads a fixed count per scheme.
            Field::records(
                "notification_flags",
                &[Field::new("notification_flags", Bitmap32)],
            ),
        ],
    ),
    Command::new(
        0x0a,
        "Reset Load Limit Counter",
        "reset_load_limit_counter",
        &[PROVIDER_ID, ISSUER_EVENT_ID],
    ),
    Command::new(
        0x0b,
        "Change Supply",
        "change_supply",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("request_date_time", UtcTime),
            Field::new("implementation_date_time", UtcTime),
            Field::new("proposed_supply_status", Enum8).values(PROPOSED_SUPPLY_STATE),
            Field::new("supply_control_bits", Bitmap8),
        ],
    ),
    Command::new(
        0x0c,
        "Local Change Supply",
        "local_change_supply",
        &[Field::new("proposed_supply_status", Enum8).values(SUPPLY_STATE)],
    ),
    Command::new(
        0x0d,
        "Set Supply Status",
        "set_supply_status",
        &[
            ISSUER_EVENT_ID,
            Field::new("supply_tamper_state", Enum8).values(PROPOSED_SUPPLY_STATE),
            Field::new("supply_depletion_state", Enum8).values(PROPOSED_SUPPLY_STATE),
            Field::new("supply_uncontrolled_flow_state", Enum8).values(PROPOSED_SUPPLY_STATE),
            Field::new("load_limit_supply_state", Enum8).values(PROPOSED_SUPPLY_STATE),
        ],
    ),
    Command::new(
        0x0e,
        "Set Uncontrolled Flow Threshold",
        "set_uncontrolled_flow_threshold",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("uncontrolled_flow_threshold", Uint16),
            Field::new("unit_of_measure", Enum8).values(UNIT_OF_MEASURE),
            Field::new("multiplier", Uint16),
            Field::new("divisor", Uint16),
            Field::new("stabilisation_period", Uint8),
            Field::new("measurement_period", Uint16),
        ],
    ),
];

/// Commands the server generates (ZigBee SE 1.4 10.4.2.4).
static GENERATED: &[Command] = &[
    Command::new(
        0x00,
        "Get Profile Response",
        "get_profile_response",
        &[
            Field::new("end_time", UtcTime),
            Field::new("status", Enum8).values(PROFILE_STATUS),
            Field::new("profile_interval_period", Enum8).values(PROFILE_INTERVAL_PERIOD),
            Field::new("number_of_periods_delivered", Uint8),
            Field::records("intervals", &[Field::new("interval", Uint24)]),
        ],
    ),
    Command::new(0x01, "Request Mirror", "request_mirror", &[]),
    Command::new(0x02, "Remove Mirror", "remove_mirror", &[]),
    Command::new(
        0x03,
        "Request Fast Poll Mode Response",
        "request_fast_poll_mode_response",
        &[
            Field::new("applied_update_period", Uint8),
            Field::new("fast_poll_mode_end_time", UtcTime),
        ],
    ),
    Command::new(
        0x04,
        "Schedule Snapshot Response",
        "schedule_snapshot_response",
        &[
            ISSUER_EVENT_ID,
            Field::records(
                "snapshot_responses",
                &[
                    Field::new("snapshot_schedule_id", Uint8),
                    Field::new("snapshot_schedule_confirmation", Enum8)
                        .values(SNAPSHOT_SCHEDULE_CONFIRMATION),
                ],
            ),
        ],
    ),
    Command::new(
        0x05,
        "Take Snapshot Response",
        "take_snapshot_response",
        &[
            Field::new("snapshot_id", Uint32),
            Field::new("snapshot_confirmation", Enum8).values(SNAPSHOT_CONFIRMATION),
        ],
    ),
    Command::new(
        0x06,
        "Publish Snapshot",
        "publish_snapshot",
        &[
            Field::new("snapshot_id", Uint32),
            Field::new("snapshot_time", UtcTime),
            Field::new("total_snapshots_found", Uint8),
            Field::new("command_index", Uint8),
            Field::new("total_number_of_commands", Uint8),
            SNAPSHOT_CAUSE,
            Field::new("snapshot_payload_type", Enum8).values(SNAPSHOT_PAYLOAD_TYPE),
            Field::rest("snapshot_payload"),
        ],
    ),
    Command::new(
        0x07,
        "Get Sampled Data Response",
        "get_sampled_data_response",
        &[
            Field::new("sample_id", Uint16),
            Field::new("sample_start_time", UtcTime),
            Field::new("sample_type", Enum8).values(SAMPLE_TYPE),
            Field::new("sample_request_interval", Uint16),
            Field::new("number_of_samples", Uint16),
            Field::records("samples", &[Field::new("sample", Uint24)]),
        ],
    ),
    Command::new(
        0x08,
        "Configure Mirror",
        "configure_mirror",
        &[
            ISSUER_EVENT_ID,
            Field::new("reporting_interval", Uint24),
            Field::new("mirror_notification_reporting", Boolean),
            NOTIFICATION_SCHEME_FIELD,
        ],
    ),
    Command::new(
        0x09,
        "Configure Notification Scheme",
        "configure_notification_scheme",
        &[
            ISSUER_EVENT_ID,
            NOTIFICATION_SCHEME_FIELD,
            Field::new("notification_flag_order", Bitmap32),
        ],
    ),
    Command::new(
        0x0a,
        "Configure Notification Flags",
        "configure_notification_flags",
        &[
            ISSUER_EVENT_ID,
            NOTIFICATION_SCHEME_FIELD,
            Field::new("notification_flag_attribute_id", Uint16),
            Field::new("cluster_id", Uint16),
            Field::new("manufacturer_code", Uint16),
            Field::new("number_of_commands", Uint8),
            Field::records(
                "command_identifiers",
                &[Field::new("command_identifier", Uint8)],
            ),
        ],
    ),
    Command::new(
        0x0b,
        "Get Notified Message",
        "get_notified_message",
        &[
            NOTIFICATION_SCHEME_FIELD,
            Field::new("notification_flag_attribute_id", Uint16),
            Field::new("notification_flags", Bitmap32),
        ],
    ),
    Command::new(
        0x0c,
        "Supply Status Response",
        "supply_status_response",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("implementation_date_time", UtcTime),
            Field::new("supply_status_after_implementation", Enum8).values(SUPPLY_STATE),
        ],
    ),
    Command::new(
        0x0d,
        "Start Sampling Response",
        "start_sampling_response",
        &[Field::new("sample_id", Uint16)],
    ),
];

/// The Metering cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0702,
    name: "Metering",
    label: "metering",
    clause: "ZigBee SE 1.4 10.4",
    attributes: ATTRIBUTES,
    client_attributes: CLIENT_ATTRIBUTES,
    received: RECEIVED,
    generated: GENERATED,
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;
    use crate::zcl::cluster::{ClusterCommand, Value};
    use crate::zcl::{DataType, Direction};

    fn hex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
        s.chunks(2)
            .map(|c| u8::from_str_radix(core::str::from_utf8(c).unwrap(), 16).unwrap())
            .collect()
    }

    /// Decodes `payload` and returns its fields as (name, integer) pairs,
    /// records flattened in order; octets as `None`.
    fn fields(dir: Direction, id: u8, payload: &[u8]) -> Vec<(&'static str, Option<u64>)> {
        let c = ClusterCommand::decode(0x0702, dir, id, payload)
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        for f in c.fields() {
            match f.value {
                Value::Records(rs) => {
                    for rec in rs.iter() {
                        out.extend(rec.map(|g| (g.spec.name, g.value.as_u64())));
                    }
                }
                v => out.push((f.spec.name, v.as_u64())),
            }
        }
        out
    }

    const C2S: Direction = Direction::ToServer;
    const S2C: Direction = Direction::ToClient;
    /// 0x2bf9e100 (2023-05-19 07:25:52 UTC), the time used in the frames below.
    const T: u64 = 0x2bf9_e100;

    // Every payload below was wrapped in an 802.15.4/NWK/APS (profile 0x0109,
    // cluster 0x0702) frame and decoded by tshark 4.0.17; the expected values
    // are the ones it showed.

    #[test]
    fn get_profile_response_tshark() {
        let p = hex("00e1f92b 00 02 03 341200 785600 ff7f80");
        assert_eq!(
            fields(S2C, 0x00, &p),
            [
                ("end_time", Some(T)),
                ("status", Some(0)),
                ("profile_interval_period", Some(2)),
                ("number_of_periods_delivered", Some(3)),
                ("interval", Some(4660)),
                ("interval", Some(22136)),
                ("interval", Some(8_421_375)),
            ]
        );
        let c = CLUSTER.command(S2C, 0x00).unwrap();
        assert_eq!(c.fields[2].value_name(2), Some("30_minutes"));
    }

    #[test]
    fn schedule_snapshot_tshark() {
        let p = hex("01000000 00 01 01 00e1f92b 0a0000 00 01000000");
        assert_eq!(
            fields(C2S, 0x04, &p),
            [
                ("issuer_event_id", Some(1)),
                ("command_index", Some(0)),
                ("total_number_of_commands", Some(1)),
                ("snapshot_schedule_id", Some(1)),
                ("snapshot_start_time", Some(T)),
                ("snapshot_schedule", Some(10)),
                ("snapshot_payload_type", Some(0)),
                ("snapshot_cause", Some(1)),
            ]
        );
    }

    #[test]
    fn sampling_and_snapshot_requests_tshark() {
        assert_eq!(
            fields(C2S, 0x06, &hex("00e1f92b 10e1f92b 00 01000000")),
            [
                ("earliest_start_time", Some(T)),
                ("latest_end_time", Some(T + 16)),
                ("snapshot_offset", Some(0)),
                ("snapshot_cause", Some(1)),
            ]
        );
        assert_eq!(
            fields(C2S, 0x07, &hex("78563412 00e1f92b 00 3c00 0a00")),
            [
                ("issuer_event_id", Some(305_419_896)),
                ("start_sampling_time", Some(T)),
                ("sample_type", Some(0)),
                ("sample_request_interval", Some(60)),
                ("max_number_of_samples", Some(10)),
            ]
        );
        assert_eq!(
            fields(C2S, 0x08, &hex("0100 00e1f92b 00 0500")),
            [
                ("sample_id", Some(1)),
                ("earliest_sample_time", Some(T)),
                ("sample_type", Some(0)),
                ("number_of_samples", Some(5)),
            ]
        );
    }

    #[test]
    fn mirror_report_attribute_response_scheme_b_tshark() {
        // Scheme B: FunctionalNotificationFlags then NotificationFlags2-5.
        let p = hex("02 00002000 01000000 00000000 00000000 01000000");
        let f = fields(C2S, 0x09, &p);
        assert_eq!(f[0], ("notification_scheme", Some(2)));
        let flags: Vec<u64> = f[1..].iter().map(|x| x.1.unwrap()).collect();
        assert_eq!(flags, [0x0020_0000, 1, 0, 0, 1]);
        assert_eq!(
            u32::try_from(flags[0]).unwrap(),
            NOTIFY_TUNNEL_MESSAGE_PENDING
        );
    }

    #[test]
    fn supply_commands_tshark() {
        assert_eq!(
            fields(C2S, 0x0b, &hex("01000000 02000000 00e1f92b 00000000 02 01")),
            [
                ("provider_id", Some(1)),
                ("issuer_event_id", Some(2)),
                ("request_date_time", Some(T)),
                ("implementation_date_time", Some(0)),
                ("proposed_supply_status", Some(2)),
                ("supply_control_bits", Some(1)),
            ]
        );
        assert_eq!(
            fields(C2S, 0x0d, &hex("05000000 00 01 02 03")),
            [
                ("issuer_event_id", Some(5)),
                ("supply_tamper_state", Some(0)),
                ("supply_depletion_state", Some(1)),
                ("supply_uncontrolled_flow_state", Some(2)),
                ("load_limit_supply_state", Some(3)),
            ]
        );
        assert_eq!(
            fields(
                C2S,
                0x0e,
                &hex("01000000 02000000 6400 01 0100 e803 0a 3c00")
            ),
            [
                ("provider_id", Some(1)),
                ("issuer_event_id", Some(2)),
                ("uncontrolled_flow_threshold", Some(100)),
                ("unit_of_measure", Some(1)),
                ("multiplier", Some(1)),
                ("divisor", Some(1000)),
                ("stabilisation_period", Some(10)),
                ("measurement_period", Some(60)),
            ]
        );
        assert_eq!(
            fields(S2C, 0x0c, &hex("01000000 02000000 00e1f92b 02")),
            [
                ("provider_id", Some(1)),
                ("issuer_event_id", Some(2)),
                ("implementation_date_time", Some(T)),
                ("supply_status_after_implementation", Some(2)),
            ]
        );
    }

    #[test]
    fn snapshot_responses_tshark() {
        assert_eq!(
            fields(S2C, 0x04, &hex("01000000 01 00 02 02")),
            [
                ("issuer_event_id", Some(1)),
                ("snapshot_schedule_id", Some(1)),
                ("snapshot_schedule_confirmation", Some(0)),
                ("snapshot_schedule_id", Some(2)),
                ("snapshot_schedule_confirmation", Some(2)),
            ]
        );
        let sub = hex("102700000000 02 010000000000 020000000000");
        let mut p = hex("0a000000 00e1f92b 01 00 01 01000000 00");
        p.extend_from_slice(&sub);
        let c = ClusterCommand::decode(0x0702, S2C, 0x06, &p)
            .unwrap()
            .unwrap();
        assert_eq!(c.field("snapshot_id").unwrap().value.as_u64(), Some(10));
        assert_eq!(c.field("snapshot_time").unwrap().value.as_u64(), Some(T));
        assert_eq!(
            c.field("total_snapshots_found").unwrap().value.as_u64(),
            Some(1)
        );
        let ty = c.field("snapshot_payload_type").unwrap();
        assert_eq!(ty.value.as_u64(), Some(0));
        assert_eq!(ty.spec.value_name(0), Some("tou_delivered_registers"));
        assert_eq!(
            c.field("snapshot_payload").unwrap().value.as_bytes(),
            Some(&sub[..])
        );
    }

    #[test]
    fn sampled_data_and_mirror_configuration_tshark() {
        assert_eq!(
            fields(S2C, 0x07, &hex("0100 00e1f92b 00 3c00 0200 010000 020000")),
            [
                ("sample_id", Some(1)),
                ("sample_start_time", Some(T)),
                ("sample_type", Some(0)),
                ("sample_request_interval", Some(60)),
                ("number_of_samples", Some(2)),
                ("sample", Some(1)),
                ("sample", Some(2)),
            ]
        );
        assert_eq!(
            fields(S2C, 0x08, &hex("01000000 100e00 01 01")),
            [
                ("issuer_event_id", Some(1)),
                ("reporting_interval", Some(3600)),
                ("mirror_notification_reporting", Some(1)),
                ("notification_scheme", Some(1)),
            ]
        );
        assert_eq!(
            fields(S2C, 0x09, &hex("01000000 02 ff4f2301")),
            [
                ("issuer_event_id", Some(1)),
                ("notification_scheme", Some(2)),
                ("notification_flag_order", Some(0x0123_4fff)),
            ]
        );
        assert_eq!(
            fields(S2C, 0x0a, &hex("01000000 02 0100 0007 0000 02 00 01")),
            [
                ("issuer_event_id", Some(1)),
                ("notification_scheme", Some(2)),
                ("notification_flag_attribute_id", Some(1)),
                ("cluster_id", Some(0x0700)),
                ("manufacturer_code", Some(0)),
                ("number_of_commands", Some(2)),
                ("command_identifier", Some(0)),
                ("command_identifier", Some(1)),
            ]
        );
        assert_eq!(
            fields(S2C, 0x0b, &hex("02 0000 00002000")),
            [
                ("notification_scheme", Some(2)),
                ("notification_flag_attribute_id", Some(0)),
                (
                    "notification_flags",
                    Some(u64::from(NOTIFY_TUNNEL_MESSAGE_PENDING))
                ),
            ]
        );
        // tshark 4.0 shows this end time from the Unix epoch (1993); the
        // octets are the same field.
        assert_eq!(
            fields(S2C, 0x03, &hex("02 00e1f92b")),
            [
                ("applied_update_period", Some(2)),
                ("fast_poll_mode_end_time", Some(T)),
            ]
        );
    }

    #[test]
    fn short_and_long_payloads_fail() {
        // Get Profile cut in its end time, Request Mirror with a stray octet,
        // a Get Profile Response interval cut short.
        assert!(ClusterCommand::decode(0x0702, C2S, 0x00, &hex("00 00e1f9")).is_err());
        assert!(ClusterCommand::decode(0x0702, S2C, 0x01, &[0]).is_err());
        let e =
            ClusterCommand::decode(0x0702, S2C, 0x00, &hex("00e1f92b 00 02 01 3412")).unwrap_err();
        assert_eq!(e.offset, 7);
        assert!(
            ClusterCommand::decode(0x0702, S2C, 0x01, &[])
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn attributes_are_named_and_typed() {
        let name = |client, id| {
            CLUSTER
                .attribute(client, id)
                .map(|a| a.name().to_string())
                .unwrap()
        };
        assert_eq!(name(false, 0x0000), "CurrentSummationDelivered");
        assert_eq!(name(false, 0x0104), "CurrentTier3SummationDelivered");
        assert_eq!(name(false, 0x015f), "CurrentTier48SummationReceived");
        assert_eq!(name(false, 0x0735), "CurrentTier3Block6SummationDelivered");
        assert_eq!(name(false, 0x09ff), "CurrentTier15Block16SummationReceived");
        assert_eq!(
            name(false, 0x070f),
            "CurrentNoTierBlock16SummationDelivered"
        );
        assert_eq!(name(false, 0x042c), "PreviousDay8ConsumptionDelivered");
        assert_eq!(name(false, 0x043b), "PreviousWeek5ConsumptionReceived");
        assert_eq!(name(false, 0x045b), "PreviousMonth13ConsumptionReceived");
        assert_eq!(
            name(false, 0x0c2d),
            "PreviousDay8AlternativeConsumptionReceived"
        );
        assert_eq!(name(true, 0x0000), "FunctionalNotificationFlags");
        assert_eq!(name(true, 0x0004), "NotificationFlags5");
        assert_eq!(name(false, 0xfffe), "AttributeReportingStatus");
        assert!(CLUSTER.attribute(false, 0x0160).is_none());
        assert!(CLUSTER.attribute(false, 0x0023).is_none());

        let spec = |id| CLUSTER.attribute(false, id).unwrap().spec;
        assert_eq!(
            spec(ATTR_CURRENT_SUMMATION_DELIVERED).data_type,
            DataType::Uint48
        );
        assert_eq!(spec(ATTR_INSTANTANEOUS_DEMAND).data_type, DataType::Int24);
        assert_eq!(spec(ATTR_MULTIPLIER).data_type, DataType::Uint24);
        assert_eq!(
            spec(ATTR_CURRENT_SUMMATION_DELIVERED).quantity,
            Quantity::Summation
        );
        assert_eq!(spec(0x0100).quantity, Quantity::Summation);
        assert_eq!(spec(0x07f3).quantity, Quantity::Summation);
        assert_eq!(spec(ATTR_INSTANTANEOUS_DEMAND).quantity, Quantity::Demand);
        assert_eq!(
            spec(ATTR_CURRENT_MAX_DEMAND_DELIVERED).quantity,
            Quantity::Demand
        );
        assert_eq!(
            spec(ATTR_PREVIOUS_DAY_CONSUMPTION_DELIVERED).quantity,
            Quantity::Historical
        );
        assert_eq!(spec(0x0445).quantity, Quantity::Historical);
        assert_eq!(spec(ATTR_UNIT_OF_MEASURE).quantity, Quantity::Plain);
        assert_eq!(spec(0x0c00).quantity, Quantity::Plain);
        assert_eq!(
            spec(ATTR_METERING_DEVICE_TYPE).value_name(128),
            Some("mirrored_gas_metering")
        );
        assert_eq!(
            spec(ATTR_SUPPLY_STATUS).value_name(1),
            Some("supply_off_armed")
        );
        assert_eq!(spec(0x000f).value_name(0), Some("daily"));
    }

    #[test]
    fn unit_names_agree_with_the_enum() {
        let names = spec_names();
        assert_eq!(names.len(), UnitOfMeasure::ALL.len());
        for u in UnitOfMeasure::ALL {
            assert_eq!(
                names
                    .iter()
                    .find(|n| n.0 == u64::from(u.value()))
                    .map(|n| n.1),
                u.label()
            );
            assert!(u.summation_unit().is_some() && u.demand_unit().is_some());
            assert_eq!(u.is_bcd(), u.value() >= 0x80);
        }
        assert_eq!(UnitOfMeasure::Kwh.summation_unit(), Some("kWh"));
        assert_eq!(UnitOfMeasure::Kwh.demand_unit(), Some("kW"));
        assert_eq!(UnitOfMeasure::CubicMetres.summation_unit(), Some("m³"));
        assert_eq!(UnitOfMeasure::CubicMetresBcd.demand_unit(), Some("m³/h"));
        assert_eq!(UnitOfMeasure::from(0x8d).summation_unit(), Some("kVArh"));
        assert_eq!(UnitOfMeasure::from(0x0e).summation_unit(), None);
        assert_eq!(UnitOfMeasure::from(0x8e).demand_unit(), None);
        assert!(!UnitOfMeasure::from(0x8e).is_bcd());
    }

    fn spec_names() -> &'static [(u64, &'static str)] {
        CLUSTER
            .attribute(false, ATTR_UNIT_OF_MEASURE)
            .unwrap()
            .spec
            .value_names
    }

    fn u24(v: u64) -> ZclValue<'static> {
        ZclValue::Unsigned(DataType::Uint24, v)
    }

    fn fmt(v: u64) -> ZclValue<'static> {
        ZclValue::Bits(DataType::Bitmap8, v)
    }

    /// A GB electricity meter's formatting: kWh, ÷1000, three decimals.
    fn electricity() -> Formatting {
        let mut f = Formatting::default();
        assert!(f.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x00)));
        assert!(f.learn(ATTR_MULTIPLIER, &u24(1)));
        assert!(f.learn(ATTR_DIVISOR, &u24(1000)));
        assert!(f.learn(ATTR_SUMMATION_FORMATTING, &fmt(0x03)));
        assert!(f.learn(ATTR_DEMAND_FORMATTING, &fmt(0x03)));
        assert!(f.learn(ATTR_HISTORICAL_CONSUMPTION_FORMATTING, &fmt(0x02)));
        f
    }

    #[test]
    fn learning_keeps_the_six_formatting_attributes() {
        let f = electricity();
        assert_eq!(
            f,
            Formatting {
                unit_of_measure: Some(UnitOfMeasure::Kwh),
                multiplier: Some(1),
                divisor: Some(1000),
                summation_formatting: Some(3),
                demand_formatting: Some(3),
                historical_consumption_formatting: Some(2),
            }
        );
        let mut g = f;
        assert!(!g.learn(ATTR_CURRENT_SUMMATION_DELIVERED, &u24(5)));
        assert!(!g.learn(ATTR_METERING_DEVICE_TYPE, &fmt(1)));
        assert_eq!(g, f);
        // An invalid or non-integer value forgets the attribute.
        assert!(g.learn(ATTR_DIVISOR, &u24(0xff_ffff)));
        assert!(g.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::OctetString(Some(b"x"))));
        assert_eq!((g.divisor, g.unit_of_measure), (None, None));
    }

    fn show(f: &Formatting, q: Quantity, v: &ZclValue<'_>) -> alloc::string::String {
        f.scale(q, v).unwrap().to_string()
    }

    #[test]
    fn worked_examples() {
        let f = electricity();
        let s = f
            .scale(
                Quantity::Summation,
                &ZclValue::Unsigned(DataType::Uint48, 12_345_678),
            )
            .unwrap();
        assert_eq!(s.to_string(), "12345.678 kWh");
        assert_eq!(s.unit(), "kWh");
        assert!((s.to_f64() - 12345.678).abs() < 1e-9);
        assert_eq!(
            (s.numerator(), s.divisor(), s.right_digits()),
            (12_345_678, 1000, 3)
        );

        let d = f
            .scale(Quantity::Demand, &ZclValue::Signed(DataType::Int24, -1500))
            .unwrap();
        assert_eq!(d.to_string(), "-1.500 kW");
        assert!((d.to_f64() + 1.5).abs() < 1e-12);

        // Historical figures use their own formatting byte: 1.234 kWh, two decimals.
        let h = ZclValue::Unsigned(DataType::Uint24, 1234);
        assert_eq!(show(&f, Quantity::Historical, &h), "1.23 kWh");
        // Truncated toward zero, either sign.
        assert_eq!(
            show(
                &f,
                Quantity::Demand,
                &ZclValue::Signed(DataType::Int24, -1999)
            ),
            "-1.999 kW"
        );
        assert_eq!(
            show(
                &f,
                Quantity::Historical,
                &ZclValue::Signed(DataType::Int24, -1999)
            ),
            "-1.99 kWh"
        );
        assert_eq!(
            show(&f, Quantity::Demand, &ZclValue::Signed(DataType::Int24, -4)),
            "-0.004 kW"
        );
        assert_eq!(
            show(
                &f,
                Quantity::Historical,
                &ZclValue::Signed(DataType::Int24, -4)
            ),
            "0.00 kWh"
        );
        assert_eq!(
            show(
                &f,
                Quantity::Summation,
                &ZclValue::Unsigned(DataType::Uint48, 0)
            ),
            "0.000 kWh"
        );
        // The largest uint48 below the invalid value, and no left-digit padding.
        assert_eq!(
            show(
                &f,
                Quantity::Summation,
                &ZclValue::Unsigned(DataType::Uint48, 0xffff_ffff_fffe)
            ),
            "281474976710.654 kWh"
        );
    }

    #[test]
    fn gas_in_cubic_metres_with_multiplier() {
        let mut f = Formatting::default();
        f.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x01));
        f.learn(ATTR_MULTIPLIER, &u24(3));
        f.learn(ATTR_DIVISOR, &u24(10_000));
        f.learn(ATTR_SUMMATION_FORMATTING, &fmt(0xfb)); // suppress zeros, 15 left, 3 right
        f.learn(ATTR_DEMAND_FORMATTING, &fmt(0x00));
        let v = ZclValue::Unsigned(DataType::Uint48, 1_000_001);
        assert_eq!(show(&f, Quantity::Summation, &v), "300.000 m³");
        assert_eq!(
            show(
                &f,
                Quantity::Demand,
                &ZclValue::Signed(DataType::Int24, 40_000)
            ),
            "12 m³/h"
        );
    }

    #[test]
    fn absent_or_zero_multiplier_and_divisor_count_as_one() {
        let mut f = Formatting::default();
        f.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x00));
        let v = ZclValue::Unsigned(DataType::Uint48, 42);
        assert_eq!(show(&f, Quantity::Summation, &v), "42 kWh");
        f.learn(ATTR_MULTIPLIER, &u24(0));
        f.learn(ATTR_DIVISOR, &u24(0));
        f.learn(ATTR_SUMMATION_FORMATTING, &fmt(0x02));
        assert_eq!(show(&f, Quantity::Summation, &v), "42.00 kWh");
        // Unitless has no unit after the number.
        f.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x0b));
        assert_eq!(show(&f, Quantity::Summation, &v), "42.00");
    }

    #[test]
    fn bcd_units_read_the_digits() {
        let mut f = electricity();
        f.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x80));
        let v = ZclValue::Unsigned(DataType::Uint48, 0x1234_5678);
        assert_eq!(show(&f, Quantity::Summation, &v), "12345.678 kWh");
        let d = ZclValue::Signed(DataType::Int24, 0x1500);
        assert_eq!(show(&f, Quantity::Demand, &d), "1.500 kW");
        assert!(
            f.scale(
                Quantity::Summation,
                &ZclValue::Unsigned(DataType::Uint48, 0x1a)
            )
            .is_none()
        );
        assert!(
            f.scale(Quantity::Demand, &ZclValue::Signed(DataType::Int24, -1))
                .is_none()
        );
    }

    /// A meter's Report Attributes (tshark 4.0.17: Unit of Measure 0,
    /// Multiplier 1, Divisor 1000, Summation and Demand Formatting 0x03,
    /// Current Summation Delivered 12345678, Instantaneous Demand -1500):
    /// the formatting learnt from the report scales the values in it.
    #[test]
    fn report_attributes_end_to_end() {
        use smets_core::Decode;

        use crate::zcl::{FoundationCommand, ZclFrame};

        let bytes = hex(
            "182a0a 0003 30 00 0103 22 010000 0203 22 e80300 0303 18 03 0403 18 03 \
             0000 25 4e61bc000000 0004 2a 24faff",
        );
        let frame = ZclFrame::decode(&bytes).unwrap();
        assert_eq!(frame.frame_control.direction, Direction::ToClient);
        let Some(Ok(FoundationCommand::ReportAttributes(records))) = frame.foundation() else {
            panic!("a report");
        };
        let client = crate::zcl::cluster::attributes_are_client(Direction::ToClient, 0x0a);
        assert!(!client);
        let mut formatting = Formatting::default();
        let mut shown = Vec::new();
        for rec in records.iter() {
            let rec = rec.unwrap();
            if formatting.learn(rec.id, &rec.value) {
                continue;
            }
            let attr = CLUSTER.attribute(client, rec.id).unwrap();
            let scaled = formatting.scale(attr.spec.quantity, &rec.value).unwrap();
            shown.push(alloc::format!("{}: {scaled}", attr.name()));
        }
        assert_eq!(
            shown,
            [
                "CurrentSummationDelivered: 12345.678 kWh",
                "InstantaneousDemand: -1.500 kW"
            ]
        );
        assert_eq!(formatting.historical_consumption_formatting, None);
    }

    #[test]
    fn what_does_not_scale() {
        let f = electricity();
        let v = ZclValue::Unsigned(DataType::Uint48, 5);
        assert!(f.scale(Quantity::Plain, &v).is_none());
        assert!(
            f.scale(Quantity::Summation, &ZclValue::OctetString(Some(b"12")))
                .is_none()
        );
        assert!(f.scale(Quantity::Summation, &ZclValue::Enum8(5)).is_none());
        assert!(
            f.scale(
                Quantity::Summation,
                &ZclValue::Unsigned(DataType::Uint48, 0xffff_ffff_ffff)
            )
            .is_none()
        );
        assert!(
            Formatting::default()
                .scale(Quantity::Summation, &v)
                .is_none()
        );
        let mut g = f;
        g.learn(ATTR_UNIT_OF_MEASURE, &ZclValue::Enum8(0x55));
        assert_eq!(g.unit_of_measure, Some(UnitOfMeasure::Unknown(0x55)));
        assert!(g.scale(Quantity::Summation, &v).is_none());
    }
}
