//! Price 0x0700 in the catalogue (ZigBee SE 1.4 10.2, attribute and command
//! tables of annex D.4): every attribute set, every command both ways, and the
//! nibble-packed bytes they carry. It keeps no tariff state; a Publish Block
//! Thresholds sub-payload is split by [`BlockThresholdSets`], not by the table.

use smets_core::{DecodeError, Layer, Reader};

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{
    Bitmap8, Bitmap32, Enum8, Int32, OctetString, Uint8, Uint16, Uint24, Uint32, Uint48, UtcTime,
};

/// UnitofMeasure names (ZigBee SE 1.4, shared with Metering): 0x00-0x0d in
/// binary, 0x80-0x8d the same units in BCD; one table for both clusters.
pub const UNIT_OF_MEASURE: &[(u64, &str)] = super::metering::UNIT_OF_MEASURE;

/// CommodityType names: the non-mirrored MeteringDeviceType values
/// (ZigBee SE 1.4 D.4.2.2.4.1, table D-29), the first 16 entries of
/// Metering's table.
pub const COMMODITY_TYPE: &[(u64, &str)] = super::metering::METERING_DEVICE_TYPE.split_at(16).0;

/// Tariff Type names, the low nibble of every TariffType field (ZigBee SE 1.4
/// table D-108); 0xff in a Get request means "not specified".
pub const TARIFF_TYPE: &[(u64, &str)] = &[
    (0, "delivered"),
    (1, "received"),
    (2, "delivered_and_received"),
    (0xff, "not_specified"),
];

/// Tariff Charging Scheme names, the high nibble of the Publish Tariff
/// Information TariffType field (ZigBee SE 1.4 table D-109).
pub const CHARGING_SCHEME: &[(u64, &str)] = &[
    (0, "tou"),
    (1, "block"),
    (2, "block_tou_common_thresholds"),
    (3, "block_tou_individual_thresholds"),
];

/// TariffResolutionPeriod names (ZigBee SE 1.4 D.4.2.2.7.8).
pub const TARIFF_RESOLUTION_PERIOD: &[(u64, &str)] =
    &[(0, "not_defined"), (1, "block_period"), (2, "one_day")];

/// TierBlockMode names (ZigBee SE 1.4 D.4.2.2.7.4).
pub const TIER_BLOCK_MODE: &[(u64, &str)] = &[
    (0, "active_block"),
    (1, "active_block_price_tier"),
    (2, "active_block_active_price_tier"),
    (0xff, "not_used"),
];

/// CalorificValueUnit names (ZigBee SE 1.4 table D-96).
pub const CALORIFIC_VALUE_UNIT: &[(u64, &str)] = &[(1, "mj_per_cubic_meter"), (2, "mj_per_kg")];

/// CO2Unit names (ZigBee SE 1.4 table D-101).
pub const CO2_UNIT: &[(u64, &str)] = &[
    (1, "kg_per_kwh"),
    (2, "kg_per_gallon_of_gasoline"),
    (3, "kg_per_therm_of_natural_gas"),
];

/// Alternate Cost Unit names in Publish Price (ZigBee SE 1.4 D.4.2.4.1.1).
pub const ALTERNATE_COST_UNIT: &[(u64, &str)] =
    &[(1, "kg_of_co2_per_unit_of_measure"), (0xff, "not_used")];

/// CPP Auth names of Publish CPP Event; CPP Event Response uses 1 and 2 only
/// (ZigBee SE 1.4 D.4.2.4.12.1, D.4.2.3.14.1).
pub const CPP_AUTH: &[(u64, &str)] = &[
    (0, "pending"),
    (1, "accepted"),
    (2, "rejected"),
    (3, "forced"),
];

/// CPP Price Tier names of Publish CPP Event (ZigBee SE 1.4 D.4.2.4.12.1).
pub const CPP_PRICE_TIER: &[(u64, &str)] = &[(0, "cpp1"), (1, "cpp2")];

/// CreditPaymentStatus names (ZigBee SE 1.4 table D-104).
pub const CREDIT_PAYMENT_STATUS: &[(u64, &str)] = &[
    (0, "pending"),
    (1, "received_paid"),
    (2, "overdue"),
    (3, "two_payments_overdue"),
    (4, "three_payments_overdue"),
];

/// PaymentDiscountPeriod names (ZigBee SE 1.4 table D-105).
pub const PAYMENT_DISCOUNT_PERIOD: &[(u64, &str)] = &[
    (0, "current_billing_period"),
    (1, "current_consolidated_bill"),
    (2, "one_month"),
    (3, "one_quarter"),
    (4, "one_year"),
];

/// Duration Timebase names, the low nibble of BlockPeriodDurationType and of
/// Billing Period Duration Type (ZigBee SE 1.4 table D-91).
pub const DURATION_TIMEBASE: &[(u64, &str)] =
    &[(0, "minutes"), (1, "days"), (2, "weeks"), (3, "months")];

/// Duration Control names, the high nibble of the same bytes (ZigBee SE 1.4
/// table D-92).
pub const DURATION_CONTROL: &[(u64, &str)] = &[
    (0, "start_of_timebase"),
    (1, "end_of_timebase"),
    (2, "not_specified"),
];

/// Price Control bit (Publish Price, Price Acknowledgement): a Price
/// Acknowledgement is required (ZigBee SE 1.4 table D-115).
pub const PRICE_CONTROL_ACK_REQUIRED: u8 = 0x01;
/// Price Control bit: the tariff has more than 15 tiers, see the Extended
/// fields (ZigBee SE 1.4 table D-115).
pub const PRICE_CONTROL_TOTAL_TIERS_EXCEED_15: u8 = 0x02;
/// Block Period Control bit: a Price Acknowledgement is required (ZigBee SE
/// 1.4 table D-117).
pub const BLOCK_PERIOD_CONTROL_ACK_REQUIRED: u8 = 0x01;
/// Block Period Control bit: the block period repeats on expiry (ZigBee SE
/// 1.4 table D-117).
pub const BLOCK_PERIOD_CONTROL_REPEATING: u8 = 0x02;
/// Get Current Price Command Options bit: the requester's receiver is on when
/// idle, so the server may send it later price updates (ZigBee SE 1.4 D.4.2.3.1.1).
pub const COMMAND_OPTIONS_RX_ON_WHEN_IDLE: u8 = 0x01;
/// Publish Price Matrix Sub-Payload Control bit: set, each Tier/Block ID is a
/// TOU price tier; clear, it holds a tier (high nibble) and a block (low
/// nibble) (ZigBee SE 1.4 D.4.2.4.6.1).
pub const PRICE_MATRIX_TOU: u8 = 0x01;
/// Publish Block Thresholds Sub-Payload Control bit: set, the thresholds apply
/// to every TOU tier (the tier nibble is ignored) (ZigBee SE 1.4 D.4.2.4.7.1).
pub const BLOCK_THRESHOLDS_ALL_TIERS: u8 = 0x01;
/// Currency Change Control flags of Publish Currency Conversion (ZigBee SE
/// 1.4 table D-118): clear the billing information.
pub const CURRENCY_CHANGE_CLEAR_BILLING_INFO: u32 = 0x01;
/// Currency Change Control flag: convert the billing information to the new currency.
pub const CURRENCY_CHANGE_CONVERT_BILLING_INFO: u32 = 0x02;
/// Currency Change Control flag: clear the old consumption data.
pub const CURRENCY_CHANGE_CLEAR_OLD_CONSUMPTION: u32 = 0x04;
/// Currency Change Control flag: convert the old consumption data to the new currency.
pub const CURRENCY_CHANGE_CONVERT_OLD_CONSUMPTION: u32 = 0x08;

/// Mask of the Price Tier in the Price Trailing Digit and Price Tier byte
/// (ZigBee SE 1.4 D.4.2.4.1.1); see [`TrailingDigitAndTier`].
pub const PRICE_TIER_MASK: u8 = 0x0f;
/// Mask of the Trailing Digit in the same byte (and in every other trailing
/// digit byte of the cluster).
pub const TRAILING_DIGIT_MASK: u8 = 0xf0;
/// Mask of the Register Tier in the Number of Price Tiers and Register Tier
/// byte (ZigBee SE 1.4 D.4.2.4.1.1); see [`TiersAndRegisterTier`].
pub const REGISTER_TIER_MASK: u8 = 0x0f;
/// Mask of the Number of Price Tiers in the same byte.
pub const NUMBER_OF_PRICE_TIERS_MASK: u8 = 0xf0;

/// The Price Trailing Digit and Price Tier byte of Publish Price (ZigBee SE
/// 1.4 D.4.2.4.1.1): the number of digits right of the decimal point in the
/// high nibble, the current price tier (1-15; 0 none, or see Extended Price
/// Tier) in the low nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrailingDigitAndTier {
    /// Digits to the right of the decimal point in the price fields.
    pub trailing_digit: u8,
    /// The current price tier.
    pub price_tier: u8,
}

impl TrailingDigitAndTier {
    /// Splits the byte.
    #[must_use]
    pub const fn from_byte(b: u8) -> Self {
        Self {
            trailing_digit: (b & TRAILING_DIGIT_MASK) >> 4,
            price_tier: b & PRICE_TIER_MASK,
        }
    }

    /// Joins the nibbles; bits above four in either are dropped.
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        ((self.trailing_digit & 0x0f) << 4) | (self.price_tier & 0x0f)
    }
}

/// The Number of Price Tiers and Register Tier byte of Publish Price (ZigBee
/// SE 1.4 D.4.2.4.1.1): tiers available (0-15, 15 meaning "see Extended
/// Number of Price Tiers") in the high nibble, the register tier that
/// accumulates the current tier's consumption in the low nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TiersAndRegisterTier {
    /// Number of price tiers available.
    pub number_of_price_tiers: u8,
    /// The CurrentTier*N*SummationDelivered register in use (0 none).
    pub register_tier: u8,
}

impl TiersAndRegisterTier {
    /// Splits the byte.
    #[must_use]
    pub const fn from_byte(b: u8) -> Self {
        Self {
            number_of_price_tiers: (b & NUMBER_OF_PRICE_TIERS_MASK) >> 4,
            register_tier: b & REGISTER_TIER_MASK,
        }
    }

    /// Joins the nibbles; bits above four in either are dropped.
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        ((self.number_of_price_tiers & 0x0f) << 4) | (self.register_tier & 0x0f)
    }
}

/// The trailing digit of a PriceTrailingDigit, ConversionFactorTrailingDigit,
/// CalorificValueTrailingDigit, CO2TrailingDigit, Alternate Cost or Bill
/// Trailing Digit byte: the high nibble (ZigBee SE 1.4 D.4.2.2.4.4 and the
/// same wording in the other fields).
#[must_use]
pub const fn trailing_digit(b: u8) -> u8 {
    b >> 4
}

/// A TariffType byte of Publish Tariff Information split into (tariff type,
/// charging scheme): low and high nibble ([`TARIFF_TYPE`], [`CHARGING_SCHEME`]).
#[must_use]
pub const fn tariff_type_and_charging_scheme(b: u8) -> (u8, u8) {
    (b & 0x0f, b >> 4)
}

/// A Block Period Duration Type or Billing Period Duration Type byte split into
/// (timebase, control): low and high nibble ([`DURATION_TIMEBASE`], [`DURATION_CONTROL`]).
#[must_use]
pub const fn duration_timebase_and_control(b: u8) -> (u8, u8) {
    (b & 0x0f, b >> 4)
}

/// A block-tariff Tier/Block ID of Publish Price Matrix (Sub-Payload Control
/// bit 0 clear) split into (tier, block): high nibble (0 = no tier) and low
/// nibble (block number minus one) (ZigBee SE 1.4 D.4.2.4.6.1).
#[must_use]
pub const fn tier_and_block(id: u8) -> (u8, u8) {
    (id >> 4, id & 0x0f)
}

/// One set of a Publish Block Thresholds sub-payload: a tier and its
/// thresholds (ZigBee SE 1.4 D.4.2.4.7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockThresholdSet<'a> {
    /// The tier the thresholds apply to (high nibble of the set's first octet;
    /// ignored when Sub-Payload Control has [`BLOCK_THRESHOLDS_ALL_TIERS`]).
    pub tier: u8,
    /// The thresholds' wire form: 6 octets (uint48) each.
    pub raw: &'a [u8],
}

impl BlockThresholdSet<'_> {
    /// The thresholds in order.
    pub fn thresholds(&self) -> impl Iterator<Item = u64> + '_ {
        self.raw.chunks_exact(6).map(|c| {
            c.iter()
                .rev()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
        })
    }

    /// Number of thresholds (low nibble of the set's first octet).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.raw.len() / 6
    }

    /// No thresholds.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

/// The sets of a Publish Block Thresholds sub-payload, checked once and then
/// iterated without failure: each set is one octet (tier in the high nibble,
/// number of thresholds in the low nibble) and that many uint48 thresholds.
/// The catalogue carries the sub-payload as octets because the sets differ in length.
#[derive(Debug, Clone)]
pub struct BlockThresholdSets<'a> {
    rest: &'a [u8],
}

impl<'a> BlockThresholdSets<'a> {
    /// Checks `sub_payload` (the `block_threshold_sub_payload` field).
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl, offset within `sub_payload`) when a set is cut short.
    pub fn new(sub_payload: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(sub_payload, Layer::Zcl);
        while !r.is_empty() {
            let head = r.u8("tier_number_of_block_thresholds")?;
            r.bytes(usize::from(head & 0x0f) * 6, "block_threshold")?;
        }
        Ok(Self { rest: sub_payload })
    }
}

impl<'a> Iterator for BlockThresholdSets<'a> {
    type Item = BlockThresholdSet<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let (&head, tail) = self.rest.split_first()?;
        let n = usize::from(head & 0x0f) * 6;
        let (raw, rest) = tail.split_at_checked(n)?;
        self.rest = rest;
        Some(BlockThresholdSet {
            tier: head >> 4,
            raw,
        })
    }
}

const PROVIDER_ID: Field = Field::new("provider_id", Uint32);
const ISSUER_EVENT_ID: Field = Field::new("issuer_event_id", Uint32);
const ISSUER_TARIFF_ID: Field = Field::new("issuer_tariff_id", Uint32);
const START_TIME: Field = Field::new("start_time", UtcTime);
const EARLIEST_START_TIME: Field = Field::new("earliest_start_time", UtcTime);
const MIN_ISSUER_EVENT_ID: Field = Field::new("min_issuer_event_id", Uint32);
const NUMBER_OF_COMMANDS: Field = Field::new("number_of_commands", Uint8);
const NUMBER_OF_EVENTS: Field = Field::new("number_of_events", Uint8);
const TARIFF_TYPE_FIELD: Field = Field::new("tariff_type", Bitmap8).values(TARIFF_TYPE);
const COMMAND_INDEX: Field = Field::new("command_index", Uint8);
const TOTAL_NUMBER_OF_COMMANDS: Field = Field::new("total_number_of_commands", Uint8);
const UNIT_OF_MEASURE_FIELD: Field = Field::new("unit_of_measure", Enum8).values(UNIT_OF_MEASURE);
const CURRENCY: Field = Field::new("currency", Uint16);

/// A Get request for Publish commands from a start time (ZigBee SE 1.4
/// D.4.2.3.5 and the requests built like it).
const GET_FROM: &[Field] = &[EARLIEST_START_TIME, MIN_ISSUER_EVENT_ID, NUMBER_OF_COMMANDS];
/// The same with the Tariff Type SE 1.2 added at the end; senders may leave it out.
const GET_FROM_OF_TARIFF: &[Field] = &[
    EARLIEST_START_TIME,
    MIN_ISSUER_EVENT_ID,
    NUMBER_OF_COMMANDS,
    TARIFF_TYPE_FIELD.optional(),
];

/// The Price cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0700,
    name: "Price",
    label: "price",
    clause: "ZigBee SE 1.4 10.2",
    attributes: ATTRIBUTES,
    client_attributes: &[
        Attribute::new(0x0000, "PriceIncreaseRandomizeMinutes", Uint8),
        Attribute::new(0x0001, "PriceDecreaseRandomizeMinutes", Uint8),
        Attribute::new(0x0002, "CommodityType", Enum8).values(COMMODITY_TYPE),
    ],
    received: RECEIVED,
    generated: GENERATED,
};

/// Server attributes by set (ZigBee SE 1.4 tables D-81 to D-107). The
/// two-level Tier*t*Block*n* families are one family per tier. Labels are
/// octet strings and CreditPaymentOverDueAmount and PaymentDiscount signed,
/// as SE 1.4 has them (some vendor tables give character strings or unsigned).
static ATTRIBUTES: &[Attribute] = &[
    // 0x00 Tier Label (Delivered) Set.
    Attribute::family(0x0000, 48, 1, 1, "Tier{n}PriceLabel", OctetString),
    // 0x01 Block Threshold (Delivered) Set.
    Attribute::family(0x0100, 15, 1, 1, "Block{n}Threshold", Uint48),
    Attribute::new(0x010f, "BlockThresholdCount", Uint8),
    Attribute::family(0x0110, 15, 1, 1, "Tier1Block{n}Threshold", Uint48),
    Attribute::family(0x0120, 15, 1, 1, "Tier2Block{n}Threshold", Uint48),
    Attribute::family(0x0130, 15, 1, 1, "Tier3Block{n}Threshold", Uint48),
    Attribute::family(0x0140, 15, 1, 1, "Tier4Block{n}Threshold", Uint48),
    Attribute::family(0x0150, 15, 1, 1, "Tier5Block{n}Threshold", Uint48),
    Attribute::family(0x0160, 15, 1, 1, "Tier6Block{n}Threshold", Uint48),
    Attribute::family(0x0170, 15, 1, 1, "Tier7Block{n}Threshold", Uint48),
    Attribute::family(0x0180, 15, 1, 1, "Tier8Block{n}Threshold", Uint48),
    Attribute::family(0x0190, 15, 1, 1, "Tier9Block{n}Threshold", Uint48),
    Attribute::family(0x01a0, 15, 1, 1, "Tier10Block{n}Threshold", Uint48),
    Attribute::family(0x01b0, 15, 1, 1, "Tier11Block{n}Threshold", Uint48),
    Attribute::family(0x01c0, 15, 1, 1, "Tier12Block{n}Threshold", Uint48),
    Attribute::family(0x01d0, 15, 1, 1, "Tier13Block{n}Threshold", Uint48),
    Attribute::family(0x01e0, 15, 1, 1, "Tier14Block{n}Threshold", Uint48),
    Attribute::family(0x01f0, 15, 1, 1, "Tier15Block{n}Threshold", Uint48),
    Attribute::family(0x011f, 15, 0x10, 1, "Tier{n}BlockThresholdCount", Uint8),
    // 0x02 Block Period (Delivered) Set.
    Attribute::new(0x0200, "StartofBlockPeriod", UtcTime),
    Attribute::new(0x0201, "BlockPeriodDuration", Uint24),
    Attribute::new(0x0202, "ThresholdMultiplier", Uint24),
    Attribute::new(0x0203, "ThresholdDivisor", Uint24),
    Attribute::new(0x0204, "BlockPeriodDurationType", Bitmap8),
    // 0x03 Commodity Set.
    Attribute::new(0x0300, "CommodityType", Enum8).values(COMMODITY_TYPE),
    Attribute::new(0x0301, "StandingCharge", Uint32),
    Attribute::new(0x0302, "ConversionFactor", Uint32),
    Attribute::new(0x0303, "ConversionFactorTrailingDigit", Bitmap8),
    Attribute::new(0x0304, "CalorificValue", Uint32),
    Attribute::new(0x0305, "CalorificValueUnit", Enum8).values(CALORIFIC_VALUE_UNIT),
    Attribute::new(0x0306, "CalorificValueTrailingDigit", Bitmap8),
    // 0x04 Block Price Information (Delivered) Set.
    Attribute::family(0x0400, 16, 1, 1, "NoTierBlock{n}Price", Uint32),
    Attribute::family(0x0410, 16, 1, 1, "Tier1Block{n}Price", Uint32),
    Attribute::family(0x0420, 16, 1, 1, "Tier2Block{n}Price", Uint32),
    Attribute::family(0x0430, 16, 1, 1, "Tier3Block{n}Price", Uint32),
    Attribute::family(0x0440, 16, 1, 1, "Tier4Block{n}Price", Uint32),
    Attribute::family(0x0450, 16, 1, 1, "Tier5Block{n}Price", Uint32),
    Attribute::family(0x0460, 16, 1, 1, "Tier6Block{n}Price", Uint32),
    Attribute::family(0x0470, 16, 1, 1, "Tier7Block{n}Price", Uint32),
    Attribute::family(0x0480, 16, 1, 1, "Tier8Block{n}Price", Uint32),
    Attribute::family(0x0490, 16, 1, 1, "Tier9Block{n}Price", Uint32),
    Attribute::family(0x04a0, 16, 1, 1, "Tier10Block{n}Price", Uint32),
    Attribute::family(0x04b0, 16, 1, 1, "Tier11Block{n}Price", Uint32),
    Attribute::family(0x04c0, 16, 1, 1, "Tier12Block{n}Price", Uint32),
    Attribute::family(0x04d0, 16, 1, 1, "Tier13Block{n}Price", Uint32),
    Attribute::family(0x04e0, 16, 1, 1, "Tier14Block{n}Price", Uint32),
    Attribute::family(0x04f0, 16, 1, 1, "Tier15Block{n}Price", Uint32),
    // 0x05 Extended Price Information (Delivered) Set.
    Attribute::family(0x050f, 33, 1, 16, "PriceTier{n}", Uint32),
    Attribute::new(0x05fe, "CPP1Price", Uint32),
    Attribute::new(0x05ff, "CPP2Price", Uint32),
    // 0x06 Tariff Information (Delivered) Set.
    Attribute::new(0x0610, "TariffLabel", OctetString),
    Attribute::new(0x0611, "NumberofPriceTiersinUse", Uint8),
    Attribute::new(0x0612, "NumberofBlockThresholdsinUse", Uint8),
    Attribute::new(0x0613, "TierBlockMode", Enum8).values(TIER_BLOCK_MODE),
    Attribute::new(0x0615, "UnitofMeasure", Enum8).values(UNIT_OF_MEASURE),
    Attribute::new(0x0616, "Currency", Uint16),
    Attribute::new(0x0617, "PriceTrailingDigit", Bitmap8),
    Attribute::new(0x0619, "TariffResolutionPeriod", Enum8).values(TARIFF_RESOLUTION_PERIOD),
    Attribute::new(0x0620, "CO2", Uint32),
    Attribute::new(0x0621, "CO2Unit", Enum8).values(CO2_UNIT),
    Attribute::new(0x0622, "CO2TrailingDigit", Bitmap8),
    // 0x07 Billing Information (Delivered) Set.
    Attribute::new(0x0700, "CurrentBillingPeriodStart", UtcTime),
    Attribute::new(0x0701, "CurrentBillingPeriodDuration", Uint24),
    Attribute::new(0x0702, "LastBillingPeriodStart", UtcTime),
    Attribute::new(0x0703, "LastBillingPeriodDuration", Uint24),
    Attribute::new(0x0704, "LastBillingPeriodConsolidatedBill", Uint32),
    // 0x08 Credit Payment Set.
    Attribute::new(0x0800, "CreditPaymentDueDate", UtcTime),
    Attribute::new(0x0801, "CreditPaymentStatus", Enum8).values(CREDIT_PAYMENT_STATUS),
    Attribute::new(0x0802, "CreditPaymentOverDueAmount", Int32),
    Attribute::new(0x080a, "PaymentDiscount", Int32),
    Attribute::new(0x080b, "PaymentDiscountPeriod", Enum8).values(PAYMENT_DISCOUNT_PERIOD),
    Attribute::family(0x0810, 5, 0x10, 1, "CreditPayment#{n}", Uint32),
    Attribute::family(0x0811, 5, 0x10, 1, "CreditPaymentDate#{n}", UtcTime),
    Attribute::family(0x0812, 5, 0x10, 1, "CreditPaymentRef#{n}", OctetString),
    // 0x80 Received Tier Label Set.
    Attribute::family(0x8000, 48, 1, 1, "ReceivedTier{n}PriceLabel", OctetString),
    // 0x81 Received Block Threshold Set.
    Attribute::family(0x8100, 15, 1, 1, "ReceivedBlock{n}Threshold", Uint48),
    // 0x82 Received Block Period Set.
    Attribute::new(0x8200, "ReceivedStartofBlockPeriod", UtcTime),
    Attribute::new(0x8201, "ReceivedBlockPeriodDuration", Uint24),
    Attribute::new(0x8202, "ReceivedThresholdMultiplier", Uint24),
    Attribute::new(0x8203, "ReceivedThresholdDivisor", Uint24),
    // 0x84 Received Block Price Information Set.
    Attribute::family(0x8400, 16, 1, 1, "RxNoTierBlock{n}Price", Uint32),
    Attribute::family(0x8410, 16, 1, 1, "RxTier1Block{n}Price", Uint32),
    Attribute::family(0x8420, 16, 1, 1, "RxTier2Block{n}Price", Uint32),
    Attribute::family(0x8430, 16, 1, 1, "RxTier3Block{n}Price", Uint32),
    Attribute::family(0x8440, 16, 1, 1, "RxTier4Block{n}Price", Uint32),
    Attribute::family(0x8450, 16, 1, 1, "RxTier5Block{n}Price", Uint32),
    Attribute::family(0x8460, 16, 1, 1, "RxTier6Block{n}Price", Uint32),
    Attribute::family(0x8470, 16, 1, 1, "RxTier7Block{n}Price", Uint32),
    Attribute::family(0x8480, 16, 1, 1, "RxTier8Block{n}Price", Uint32),
    Attribute::family(0x8490, 16, 1, 1, "RxTier9Block{n}Price", Uint32),
    Attribute::family(0x84a0, 16, 1, 1, "RxTier10Block{n}Price", Uint32),
    Attribute::family(0x84b0, 16, 1, 1, "RxTier11Block{n}Price", Uint32),
    Attribute::family(0x84c0, 16, 1, 1, "RxTier12Block{n}Price", Uint32),
    Attribute::family(0x84d0, 16, 1, 1, "RxTier13Block{n}Price", Uint32),
    Attribute::family(0x84e0, 16, 1, 1, "RxTier14Block{n}Price", Uint32),
    Attribute::family(0x84f0, 16, 1, 1, "RxTier15Block{n}Price", Uint32),
    // 0x85 Received Extended Price Information Set.
    Attribute::family(0x850f, 33, 1, 16, "ReceivedPriceTier{n}", Uint32),
    // 0x86 Received Tariff Information Set (identifiers as SE 1.4 gives them,
    // not parallel to the delivered set past 0x8613).
    Attribute::new(0x8610, "ReceivedTariffLabel", OctetString),
    Attribute::new(0x8611, "ReceivedNumberofPriceTiersinUse", Uint8),
    Attribute::new(0x8612, "ReceivedNumberofBlockThresholdsinUse", Uint8),
    Attribute::new(0x8613, "ReceivedTierBlockMode", Enum8).values(TIER_BLOCK_MODE),
    Attribute::new(0x8615, "ReceivedTariffResolutionPeriod", Enum8)
        .values(TARIFF_RESOLUTION_PERIOD),
    Attribute::new(0x8625, "ReceivedCO2", Uint32),
    Attribute::new(0x8626, "ReceivedCO2Unit", Enum8).values(CO2_UNIT),
    Attribute::new(0x8627, "ReceivedCO2TrailingDigit", Bitmap8),
    // 0x87 Received Billing Information Set.
    Attribute::new(0x8700, "ReceivedCurrentBillingPeriodStart", UtcTime),
    Attribute::new(0x8701, "ReceivedCurrentBillingPeriodDuration", Uint24),
    Attribute::new(0x8702, "ReceivedLastBillingPeriodStart", UtcTime),
    Attribute::new(0x8703, "ReceivedLastBillingPeriodDuration", Uint24),
    Attribute::new(0x8704, "ReceivedLastBillingPeriodConsolidatedBill", Uint32),
];

/// Commands the server receives (ZigBee SE 1.4 D.4.2.3).
static RECEIVED: &[Command] = &[
    Command::new(
        0x00,
        "Get Current Price",
        "get_current_price",
        &[Field::new("command_options", Bitmap8)],
    ),
    Command::new(
        0x01,
        "Get Scheduled Prices",
        "get_scheduled_prices",
        &[START_TIME, NUMBER_OF_EVENTS],
    ),
    Command::new(
        0x02,
        "Price Acknowledgement",
        "price_acknowledgement",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("price_ack_time", UtcTime),
            Field::new("control", Bitmap8),
        ],
    ),
    // Tariff Type came with SE 1.2; SE 1.1 requests end before it.
    Command::new(
        0x03,
        "Get Block Period(s)",
        "get_block_periods",
        &[START_TIME, NUMBER_OF_EVENTS, TARIFF_TYPE_FIELD.optional()],
    ),
    Command::new(
        0x04,
        "Get Conversion Factor",
        "get_conversion_factor",
        GET_FROM,
    ),
    Command::new(0x05, "Get Calorific Value", "get_calorific_value", GET_FROM),
    Command::new(
        0x06,
        "Get Tariff Information",
        "get_tariff_information",
        &[
            EARLIEST_START_TIME,
            MIN_ISSUER_EVENT_ID,
            NUMBER_OF_COMMANDS,
            TARIFF_TYPE_FIELD,
        ],
    ),
    Command::new(
        0x07,
        "Get Price Matrix",
        "get_price_matrix",
        &[ISSUER_TARIFF_ID],
    ),
    Command::new(
        0x08,
        "Get Block Thresholds",
        "get_block_thresholds",
        &[ISSUER_TARIFF_ID],
    ),
    // SE 1.4 calls this Tariff Type optional; so do Wireshark and vendor stacks.
    Command::new(0x09, "Get CO2 Value", "get_co2_value", GET_FROM_OF_TARIFF),
    Command::new(
        0x0a,
        "Get Tier Labels",
        "get_tier_labels",
        &[ISSUER_TARIFF_ID],
    ),
    Command::new(
        0x0b,
        "Get Billing Period",
        "get_billing_period",
        GET_FROM_OF_TARIFF,
    ),
    Command::new(
        0x0c,
        "Get Consolidated Bill",
        "get_consolidated_bill",
        GET_FROM_OF_TARIFF,
    ),
    Command::new(
        0x0d,
        "CPP Event Response",
        "cpp_event_response",
        &[
            ISSUER_EVENT_ID,
            Field::new("cpp_auth", Enum8).values(CPP_AUTH),
        ],
    ),
    Command::new(
        0x0e,
        "Get Credit Payment",
        "get_credit_payment",
        &[
            Field::new("latest_end_time", UtcTime),
            Field::new("number_of_records", Uint8),
        ],
    ),
    Command::new(
        0x0f,
        "Get Currency Conversion",
        "get_currency_conversion",
        &[],
    ),
    Command::new(
        0x10,
        "Get Tariff Cancellation",
        "get_tariff_cancellation",
        &[],
    ),
];

/// Commands the server generates (ZigBee SE 1.4 D.4.2.4).
static GENERATED: &[Command] = &[
    // SE 1.0 ends at Price; the rest came with SE 1.0 (optional ratios and
    // generation price), 1.1 (alternate cost, block thresholds, price control)
    // and 1.2 (generation and extended tiers), in this order.
    Command::new(
        0x00,
        "Publish Price",
        "publish_price",
        &[
            PROVIDER_ID,
            Field::new("rate_label", OctetString),
            ISSUER_EVENT_ID,
            Field::new("current_time", UtcTime),
            UNIT_OF_MEASURE_FIELD,
            CURRENCY,
            Field::new("price_trailing_digit_and_price_tier", Bitmap8),
            Field::new("number_of_price_tiers_and_register_tier", Bitmap8),
            START_TIME,
            Field::new("duration_in_minutes", Uint16),
            Field::new("price", Uint32),
            Field::new("price_ratio", Uint8).optional(),
            Field::new("generation_price", Uint32).optional(),
            Field::new("generation_price_ratio", Uint8).optional(),
            Field::new("alternate_cost_delivered", Uint32).optional(),
            Field::new("alternate_cost_unit", Enum8)
                .values(ALTERNATE_COST_UNIT)
                .optional(),
            Field::new("alternate_cost_trailing_digit", Bitmap8).optional(),
            Field::new("number_of_block_thresholds", Uint8).optional(),
            Field::new("price_control", Bitmap8).optional(),
            Field::new("number_of_generation_tiers", Uint8).optional(),
            Field::new("generation_tier", Enum8).optional(),
            Field::new("extended_number_of_price_tiers", Uint8).optional(),
            Field::new("extended_price_tier", Enum8).optional(),
            Field::new("extended_register_tier", Enum8).optional(),
        ],
    ),
    // SE 1.4 layout; SE 1.1 had a tiers/thresholds byte before the control
    // and no duration type, tariff type or resolution period.
    Command::new(
        0x01,
        "Publish Block Period",
        "publish_block_period",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("block_period_start_time", UtcTime),
            Field::new("block_period_duration", Uint24),
            Field::new("block_period_control", Bitmap8),
            Field::new("block_period_duration_type", Bitmap8),
            TARIFF_TYPE_FIELD,
            Field::new("tariff_resolution_period", Enum8).values(TARIFF_RESOLUTION_PERIOD),
        ],
    ),
    Command::new(
        0x02,
        "Publish Conversion Factor",
        "publish_conversion_factor",
        &[
            ISSUER_EVENT_ID,
            START_TIME,
            Field::new("conversion_factor", Uint32),
            Field::new("conversion_factor_trailing_digit", Bitmap8),
        ],
    ),
    Command::new(
        0x03,
        "Publish Calorific Value",
        "publish_calorific_value",
        &[
            ISSUER_EVENT_ID,
            START_TIME,
            Field::new("calorific_value", Uint32),
            Field::new("calorific_value_unit", Enum8).values(CALORIFIC_VALUE_UNIT),
            Field::new("calorific_value_trailing_digit", Bitmap8),
        ],
    ),
    Command::new(
        0x04,
        "Publish Tariff Information",
        "publish_tariff_information",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            ISSUER_TARIFF_ID,
            START_TIME,
            Field::new("tariff_type_charging_scheme", Bitmap8),
            Field::new("tariff_label", OctetString),
            Field::new("number_of_price_tiers_in_use", Uint8),
            Field::new("number_of_block_thresholds_in_use", Uint8),
            UNIT_OF_MEASURE_FIELD,
            CURRENCY,
            Field::new("price_trailing_digit", Bitmap8),
            Field::new("standing_charge", Uint32),
            Field::new("tier_block_mode", Uint8).values(TIER_BLOCK_MODE),
            Field::new("block_threshold_multiplier", Uint24),
            Field::new("block_threshold_divisor", Uint24),
        ],
    ),
    Command::new(
        0x05,
        "Publish Price Matrix",
        "publish_price_matrix",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            START_TIME,
            ISSUER_TARIFF_ID,
            COMMAND_INDEX,
            TOTAL_NUMBER_OF_COMMANDS,
            Field::new("sub_payload_control", Bitmap8),
            // Same record shape under either Sub-Payload Control value; only
            // the meaning of the id changes (see [`PRICE_MATRIX_TOU`]).
            Field::records(
                "price_matrix_sub_payload",
                &[
                    Field::new("tier_block_id", Uint8),
                    Field::new("price", Uint32),
                ],
            ),
        ],
    ),
    Command::new(
        0x06,
        "Publish Block Thresholds",
        "publish_block_thresholds",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            START_TIME,
            ISSUER_TARIFF_ID,
            COMMAND_INDEX,
            TOTAL_NUMBER_OF_COMMANDS,
            Field::new("sub_payload_control", Bitmap8),
            // Sets of varying length: see [`BlockThresholdSets`].
            Field::rest("block_threshold_sub_payload"),
        ],
    ),
    Command::new(
        0x07,
        "Publish CO2 Value",
        "publish_co2_value",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            START_TIME,
            TARIFF_TYPE_FIELD,
            Field::new("co2_value", Uint32),
            Field::new("co2_value_unit", Enum8).values(CO2_UNIT),
            Field::new("co2_value_trailing_digit", Bitmap8),
        ],
    ),
    Command::new(
        0x08,
        "Publish Tier Labels",
        "publish_tier_labels",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            ISSUER_TARIFF_ID,
            COMMAND_INDEX,
            TOTAL_NUMBER_OF_COMMANDS,
            Field::new("number_of_labels", Uint8),
            Field::records(
                "tier_labels",
                &[
                    Field::new("tier_id", Uint8),
                    Field::new("tier_label", OctetString),
                ],
            ),
        ],
    ),
    Command::new(
        0x09,
        "Publish Billing Period",
        "publish_billing_period",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("billing_period_start_time", UtcTime),
            Field::new("billing_period_duration", Uint24),
            Field::new("billing_period_duration_type", Bitmap8),
            TARIFF_TYPE_FIELD,
        ],
    ),
    Command::new(
        0x0a,
        "Publish Consolidated Bill",
        "publish_consolidated_bill",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("billing_period_start_time", UtcTime),
            Field::new("billing_period_duration", Uint24),
            Field::new("billing_period_duration_type", Bitmap8),
            TARIFF_TYPE_FIELD,
            Field::new("consolidated_bill", Uint32),
            CURRENCY,
            Field::new("bill_trailing_digit", Bitmap8),
        ],
    ),
    Command::new(
        0x0b,
        "Publish CPP Event",
        "publish_cpp_event",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            START_TIME,
            Field::new("duration_in_minutes", Uint16),
            TARIFF_TYPE_FIELD,
            Field::new("cpp_price_tier", Enum8).values(CPP_PRICE_TIER),
            Field::new("cpp_auth", Enum8).values(CPP_AUTH),
        ],
    ),
    Command::new(
        0x0c,
        "Publish Credit Payment",
        "publish_credit_payment",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            Field::new("credit_payment_due_date", UtcTime),
            Field::new("credit_payment_overdue_amount", Uint32),
            Field::new("credit_payment_status", Enum8).values(CREDIT_PAYMENT_STATUS),
            Field::new("credit_payment", Uint32),
            Field::new("credit_payment_date", UtcTime),
            Field::new("credit_payment_ref", OctetString),
        ],
    ),
    Command::new(
        0x0d,
        "Publish Currency Conversion",
        "publish_currency_conversion",
        &[
            PROVIDER_ID,
            ISSUER_EVENT_ID,
            START_TIME,
            Field::new("old_currency", Uint16),
            Field::new("new_currency", Uint16),
            Field::new("conversion_factor", Uint32),
            Field::new("conversion_factor_trailing_digit", Bitmap8),
            Field::new("currency_change_control_flags", Bitmap32),
        ],
    ),
    Command::new(
        0x0e,
        "Cancel Tariff",
        "cancel_tariff",
        &[PROVIDER_ID, ISSUER_TARIFF_ID, TARIFF_TYPE_FIELD],
    ),
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::format;
    use alloc::vec::Vec;

    use smets_core::Encode;

    use super::super::{Arg, ClusterCommand, CommandPayload, Value};
    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::types::ZclValue;

    fn to_client<'a>(command: u8, payload: &'a [u8]) -> ClusterCommand<'a> {
        ClusterCommand::decode(0x0700, Direction::ToClient, command, payload)
            .unwrap()
            .unwrap()
    }

    fn num(c: &ClusterCommand<'_>, name: &str) -> u64 {
        c.field(name).unwrap().value.as_u64().unwrap()
    }

    /// Publish Price, SE 1.0 length. tshark 4.0: Provider ID 16909060, Rate
    /// Label "Std", Issuer Event ID 100, Current Time 2022-04-30 14:11:12,
    /// Unit of Measure 0x00, Currency 0x033a, Price Tier 1, Trailing Digit 2,
    /// Register Tier 1, Number of Price Tiers 4, Start Time 2000-01-01 (now),
    /// Duration 65535, Price 3333.
    const PUBLISH_PRICE_SE10: [u8; 31] = [
        0x04, 0x03, 0x02, 0x01, 0x03, b'S', b't', b'd', 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x2a, 0x00, 0x3a, 0x03, 0x21, 0x41, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0x05, 0x0d, 0x00,
        0x00,
    ];

    /// The SE 1.2 optional tail tshark 4.0 decodes after Price: Price Ratio
    /// 255, Generation Price 4294967295, Generation Price Ratio 255, Alternate
    /// Cost Delivered 185, Alternate Cost Unit 0x01, Alternate Cost Trailing
    /// Digit 3, Number of Block Thresholds 2, Price Control 0x01, Number of
    /// Generation Tiers 3, Generation Tier 4, Extended Number of Price Tiers 5,
    /// Extended Price Tier 6, Extended Register Tier 7.
    const PUBLISH_PRICE_TAIL: [u8; 19] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xb9, 0x00, 0x00, 0x00, 0x01, 0x30, 0x02, 0x01, 0x03,
        0x04, 0x05, 0x06, 0x07,
    ];

    fn se10() -> &'static [u8] {
        &PUBLISH_PRICE_SE10
    }

    fn full() -> Vec<u8> {
        let mut v = se10().to_vec();
        v.extend_from_slice(&PUBLISH_PRICE_TAIL);
        v
    }

    #[test]
    fn publish_price_se10_matches_tshark() {
        let c = to_client(0x00, se10());
        assert_eq!(c.command.name, "Publish Price");
        assert_eq!(c.fields().count(), 11);
        assert_eq!(num(&c, "provider_id"), 16_909_060);
        assert_eq!(
            c.field("rate_label").unwrap().value.as_bytes(),
            Some(&b"Std"[..])
        );
        assert_eq!(num(&c, "issuer_event_id"), 100);
        // 2022-04-30 14:11:12 UTC in seconds since 2000.
        assert_eq!(num(&c, "current_time"), 0x2a00_0000);
        let uom = c.field("unit_of_measure").unwrap();
        assert_eq!(uom.value.as_u64(), Some(0));
        assert_eq!(uom.spec.value_name(0), Some("kwh_binary"));
        assert_eq!(num(&c, "currency"), 826);
        let td = TrailingDigitAndTier::from_byte(
            u8::try_from(num(&c, "price_trailing_digit_and_price_tier")).unwrap(),
        );
        assert_eq!((td.trailing_digit, td.price_tier), (2, 1));
        let tiers = TiersAndRegisterTier::from_byte(
            u8::try_from(num(&c, "number_of_price_tiers_and_register_tier")).unwrap(),
        );
        assert_eq!((tiers.number_of_price_tiers, tiers.register_tier), (4, 1));
        assert_eq!(num(&c, "start_time"), 0);
        assert_eq!(num(&c, "duration_in_minutes"), 65535);
        assert_eq!(num(&c, "price"), 3333);
        assert!(c.field("price_ratio").is_none());
    }

    #[test]
    fn publish_price_optional_tail_matches_tshark() {
        let payload = full();
        let c = to_client(0x00, &payload);
        assert_eq!(c.fields().count(), 24);
        assert_eq!(num(&c, "price"), 3333);
        assert_eq!(num(&c, "price_ratio"), 255);
        assert_eq!(num(&c, "generation_price"), 0xffff_ffff);
        assert_eq!(num(&c, "generation_price_ratio"), 255);
        assert_eq!(num(&c, "alternate_cost_delivered"), 185);
        let unit = c.field("alternate_cost_unit").unwrap();
        assert_eq!(
            unit.spec.value_name(unit.value.as_u64().unwrap()),
            Some("kg_of_co2_per_unit_of_measure")
        );
        assert_eq!(
            trailing_digit(u8::try_from(num(&c, "alternate_cost_trailing_digit")).unwrap()),
            3
        );
        assert_eq!(num(&c, "number_of_block_thresholds"), 2);
        assert_eq!(
            num(&c, "price_control"),
            u64::from(PRICE_CONTROL_ACK_REQUIRED)
        );
        assert_eq!(num(&c, "number_of_generation_tiers"), 3);
        assert_eq!(num(&c, "generation_tier"), 4);
        assert_eq!(num(&c, "extended_number_of_price_tiers"), 5);
        assert_eq!(num(&c, "extended_price_tier"), 6);
        assert_eq!(num(&c, "extended_register_tier"), 7);
        // A sender may stop after any optional field (SE 1.1 ends after Price Control).
        assert_eq!(to_client(0x00, &payload[..31 + 14]).fields().count(), 19);
        // Cuts inside the mandatory part or inside an optional field fail.
        for cut in (0..31).chain([33, 34, 38, 39]) {
            assert!(
                ClusterCommand::decode(0x0700, Direction::ToClient, 0x00, &payload[..cut]).is_err(),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn publish_price_encodes_from_arguments() {
        let cmd = CLUSTER.command(Direction::ToClient, 0x00).unwrap();
        let u = |ty, v| Arg::Zcl(ZclValue::Unsigned(ty, v));
        let args = [
            u(Uint32, 16_909_060),
            Arg::Zcl(ZclValue::OctetString(Some(b"Std"))),
            u(Uint32, 100),
            Arg::Zcl(ZclValue::UtcTime(0x2a00_0000)),
            Arg::Zcl(ZclValue::Enum8(0)),
            u(Uint16, 826),
            Arg::Zcl(ZclValue::Bits(
                Bitmap8,
                u64::from(
                    TrailingDigitAndTier {
                        trailing_digit: 2,
                        price_tier: 1,
                    }
                    .to_byte(),
                ),
            )),
            Arg::Zcl(ZclValue::Bits(
                Bitmap8,
                u64::from(
                    TiersAndRegisterTier {
                        number_of_price_tiers: 4,
                        register_tier: 1,
                    }
                    .to_byte(),
                ),
            )),
            Arg::Zcl(ZclValue::UtcTime(0)),
            u(Uint16, 0xffff),
            u(Uint32, 3333),
        ];
        assert_eq!(CommandPayload::new(cmd, &args).to_vec().unwrap(), se10());
    }

    #[test]
    fn nibble_bytes_round_trip() {
        for b in 0..=u8::MAX {
            assert_eq!(TrailingDigitAndTier::from_byte(b).to_byte(), b);
            assert_eq!(TiersAndRegisterTier::from_byte(b).to_byte(), b);
        }
        assert_eq!(tariff_type_and_charging_scheme(0x10), (0, 1));
        assert_eq!(duration_timebase_and_control(0x21), (1, 2));
        assert_eq!(tier_and_block(0x2a), (2, 10));
    }

    /// Publish Price Matrix, block tariff; tshark 4.0: Issuer Tariff ID 153,
    /// Sub Payload Control 0, Tier/Block ID 0x10 Price 1000, 0x11 Price 2000,
    /// 0x20 Price 3000.
    #[test]
    fn publish_price_matrix_matches_tshark() {
        let payload = [
            0x04, 0x03, 0x02, 0x01, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x10, 0xe8, 0x03, 0x00, 0x00, 0x11, 0xd0, 0x07, 0x00,
            0x00, 0x20, 0xb8, 0x0b, 0x00, 0x00,
        ];
        let c = to_client(0x05, &payload);
        assert_eq!(num(&c, "issuer_event_id"), 101);
        assert_eq!(num(&c, "issuer_tariff_id"), 153);
        assert_eq!(num(&c, "total_number_of_commands"), 1);
        assert_eq!(
            num(&c, "sub_payload_control") & u64::from(PRICE_MATRIX_TOU),
            0
        );
        let Value::Records(rs) = c.field("price_matrix_sub_payload").unwrap().value else {
            panic!("records")
        };
        let got: Vec<(u8, u64)> = rs
            .iter()
            .map(|mut r| {
                let id = u8::try_from(r.next().unwrap().value.as_u64().unwrap()).unwrap();
                (id, r.next().unwrap().value.as_u64().unwrap())
            })
            .collect();
        assert_eq!(got, [(0x10, 1000), (0x11, 2000), (0x20, 3000)]);
        assert_eq!(tier_and_block(got[1].0), (1, 1));
        // A record cut short is an error at its offset in the payload.
        let e =
            ClusterCommand::decode(0x0700, Direction::ToClient, 0x05, &payload[..31]).unwrap_err();
        assert_eq!(e.offset, 30);
    }

    /// Publish Block Thresholds; tshark 4.0: Tier/Number of Block Thresholds
    /// 0x12, Block Threshold 10000, 20000; 0x21, Block Threshold 30000.
    #[test]
    fn publish_block_thresholds_matches_tshark() {
        let payload = [
            0x04, 0x03, 0x02, 0x01, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x99, 0x00,
            0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x10, 0x27, 0x00, 0x00, 0x00, 0x00, 0x20, 0x4e,
            0x00, 0x00, 0x00, 0x00, 0x21, 0x30, 0x75, 0x00, 0x00, 0x00, 0x00,
        ];
        let c = to_client(0x06, &payload);
        let sub = c
            .field("block_threshold_sub_payload")
            .unwrap()
            .value
            .as_bytes()
            .unwrap();
        let sets: Vec<(u8, Vec<u64>)> = BlockThresholdSets::new(sub)
            .unwrap()
            .map(|s| (s.tier, s.thresholds().collect()))
            .collect();
        assert_eq!(
            sets,
            [(1, alloc::vec![10_000, 20_000]), (2, alloc::vec![30_000])]
        );
        for cut in 1..sub.len() {
            if cut != 13 {
                assert!(BlockThresholdSets::new(&sub[..cut]).is_err(), "cut {cut}");
            }
        }
        assert_eq!(BlockThresholdSets::new(&sub[..13]).unwrap().count(), 1);
        // The error names where the cut thresholds start.
        assert_eq!(BlockThresholdSets::new(&sub[..8]).unwrap_err().offset, 1);
    }

    /// Publish Tier Labels; tshark 4.0: Number of Labels 2, Tier ID 1 "Off",
    /// Tier ID 2 "Peak".
    #[test]
    fn publish_tier_labels_matches_tshark() {
        let payload = [
            0x04, 0x03, 0x02, 0x01, 0x65, 0x00, 0x00, 0x00, 0x99, 0x00, 0x00, 0x00, 0x00, 0x01,
            0x02, 0x01, 0x03, b'O', b'f', b'f', 0x02, 0x04, b'P', b'e', b'a', b'k',
        ];
        let c = to_client(0x08, &payload);
        assert_eq!(num(&c, "number_of_labels"), 2);
        let Value::Records(rs) = c.field("tier_labels").unwrap().value else {
            panic!("records")
        };
        let got: Vec<(u64, &[u8])> = rs
            .iter()
            .map(|mut r| {
                let id = r.next().unwrap().value.as_u64().unwrap();
                (id, r.next().unwrap().value.as_bytes().unwrap())
            })
            .collect();
        assert_eq!(got, [(1, &b"Off"[..]), (2, &b"Peak"[..])]);
    }

    /// Publish Tariff Information; tshark 4.0: Tariff Type Delivered, Charging
    /// Scheme Block Tariff, Tariff Label "Tou", 2 tiers, 1 threshold, Currency
    /// 0x033a, Price Trailing Digit 2, Standing Charge 50, Tier Block Mode
    /// 0xff, Multiplier 1, Divisor 1000.
    #[test]
    fn publish_tariff_information_matches_tshark() {
        let payload = [
            0x04, 0x03, 0x02, 0x01, 0x65, 0x00, 0x00, 0x00, 0x99, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x10, 0x03, b'T', b'o', b'u', 0x02, 0x01, 0x00, 0x3a, 0x03, 0x20, 0x32,
            0x00, 0x00, 0x00, 0xff, 0x01, 0x00, 0x00, 0xe8, 0x03, 0x00,
        ];
        let c = to_client(0x04, &payload);
        let (ty, scheme) = tariff_type_and_charging_scheme(
            u8::try_from(num(&c, "tariff_type_charging_scheme")).unwrap(),
        );
        assert_eq!(
            super::super::lookup(TARIFF_TYPE, ty.into()),
            Some("delivered")
        );
        assert_eq!(
            super::super::lookup(CHARGING_SCHEME, scheme.into()),
            Some("block")
        );
        assert_eq!(
            c.field("tariff_label").unwrap().value.as_bytes(),
            Some(&b"Tou"[..])
        );
        assert_eq!(num(&c, "number_of_price_tiers_in_use"), 2);
        assert_eq!(num(&c, "number_of_block_thresholds_in_use"), 1);
        assert_eq!(num(&c, "currency"), 826);
        assert_eq!(
            trailing_digit(u8::try_from(num(&c, "price_trailing_digit")).unwrap()),
            2
        );
        assert_eq!(num(&c, "standing_charge"), 50);
        let mode = c.field("tier_block_mode").unwrap();
        assert_eq!(
            mode.spec.value_name(mode.value.as_u64().unwrap()),
            Some("not_used")
        );
        assert_eq!(num(&c, "block_threshold_multiplier"), 1);
        assert_eq!(num(&c, "block_threshold_divisor"), 1000);
    }

    /// Publish Block Period; tshark 4.0: Duration 16777215, Control Repeating
    /// Block, Duration Timebase Days, Duration Control Not Specified, Tariff
    /// Type Delivered, Tariff Resolution Period Block Period.
    #[test]
    fn publish_block_period_matches_tshark() {
        let payload = [
            0x04, 0x03, 0x02, 0x01, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
            0xff, 0x02, 0x21, 0x00, 0x01,
        ];
        let c = to_client(0x01, &payload);
        assert_eq!(num(&c, "block_period_duration"), 0xff_ffff);
        assert_eq!(
            num(&c, "block_period_control"),
            u64::from(BLOCK_PERIOD_CONTROL_REPEATING)
        );
        let (base, control) = duration_timebase_and_control(
            u8::try_from(num(&c, "block_period_duration_type")).unwrap(),
        );
        assert_eq!(
            super::super::lookup(DURATION_TIMEBASE, base.into()),
            Some("days")
        );
        assert_eq!(
            super::super::lookup(DURATION_CONTROL, control.into()),
            Some("not_specified")
        );
        let t = c.field("tariff_type").unwrap();
        assert_eq!(
            t.spec.value_name(t.value.as_u64().unwrap()),
            Some("delivered")
        );
        let r = c.field("tariff_resolution_period").unwrap();
        assert_eq!(
            r.spec.value_name(r.value.as_u64().unwrap()),
            Some("block_period")
        );
    }

    /// Publish Credit Payment, Publish Consolidated Bill and Publish Currency
    /// Conversion as tshark 4.0 reads them (values in the comments).
    #[test]
    fn billing_and_currency_commands_match_tshark() {
        // Due 2000-01-01 01:08:16, Overdue 200, Status 2, Payment 100, Date
        // 2000-01-01 02:16:32, Ref "Ref".
        let c = to_client(
            0x0c,
            &[
                0x04, 0x03, 0x02, 0x01, 0x65, 0, 0, 0, 0x00, 0x10, 0, 0, 0xc8, 0, 0, 0, 0x02, 0x64,
                0, 0, 0, 0x00, 0x20, 0, 0, 0x03, b'R', b'e', b'f',
            ],
        );
        assert_eq!(num(&c, "credit_payment_due_date"), 0x1000);
        assert_eq!(num(&c, "credit_payment_overdue_amount"), 200);
        let st = c.field("credit_payment_status").unwrap();
        assert_eq!(
            st.spec.value_name(st.value.as_u64().unwrap()),
            Some("overdue")
        );
        assert_eq!(num(&c, "credit_payment"), 100);
        assert_eq!(num(&c, "credit_payment_date"), 0x2000);
        assert_eq!(
            c.field("credit_payment_ref").unwrap().value.as_bytes(),
            Some(&b"Ref"[..])
        );
        // Duration 1, Duration Type 0x03 (months), Tariff Type 0, Bill 10000,
        // Currency 0x033a, Bill Trailing Digit 2.
        let c = to_client(
            0x0a,
            &[
                0x04, 0x03, 0x02, 0x01, 0x65, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0x03, 0x00, 0x10,
                0x27, 0, 0, 0x3a, 0x03, 0x20,
            ],
        );
        assert_eq!(num(&c, "billing_period_duration"), 1);
        assert_eq!(
            duration_timebase_and_control(
                u8::try_from(num(&c, "billing_period_duration_type")).unwrap()
            ),
            (3, 0)
        );
        assert_eq!(num(&c, "consolidated_bill"), 10_000);
        assert_eq!(num(&c, "currency"), 826);
        assert_eq!(
            trailing_digit(u8::try_from(num(&c, "bill_trailing_digit")).unwrap()),
            2
        );
        // Old Currency 0x033a, New Currency 0x03d2, Conversion Factor 1,
        // Trailing Digit 0, Change Control Flags 0x00000005.
        let c = to_client(
            0x0d,
            &[
                0x04, 0x03, 0x02, 0x01, 0x65, 0, 0, 0, 0, 0, 0, 0, 0x3a, 0x03, 0xd2, 0x03, 0x01, 0,
                0, 0, 0x00, 0x05, 0, 0, 0,
            ],
        );
        assert_eq!(num(&c, "old_currency"), 826);
        assert_eq!(num(&c, "new_currency"), 978);
        assert_eq!(num(&c, "conversion_factor"), 1);
        assert_eq!(
            num(&c, "currency_change_control_flags"),
            u64::from(CURRENCY_CHANGE_CLEAR_BILLING_INFO | CURRENCY_CHANGE_CLEAR_OLD_CONSUMPTION)
        );
    }

    #[test]
    fn get_requests_take_the_shorter_earlier_forms() {
        let to_server = |id, p: &[u8]| {
            ClusterCommand::decode(0x0700, Direction::ToServer, id, p)
                .map(|c| c.unwrap().fields().count())
        };
        // Get Block Period(s) as SE 1.1 sent it, and with SE 1.2's Tariff Type.
        assert_eq!(to_server(0x03, &[0, 0, 0, 0, 5]), Ok(2));
        assert_eq!(to_server(0x03, &[0, 0, 0, 0, 5, 1]), Ok(3));
        // Get Tariff Information needs its Tariff Type; Get CO2 Value does not.
        assert!(to_server(0x06, &[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1]).is_err());
        assert_eq!(
            to_server(0x09, &[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1]),
            Ok(3)
        );
        assert_eq!(to_server(0x0f, &[]), Ok(0));
        assert!(to_server(0x10, &[0]).is_err());
        let ack = ClusterCommand::decode(0x0700, Direction::ToServer, 0x0d, &[0x65, 0, 0, 0, 0x01])
            .unwrap()
            .unwrap();
        assert_eq!(ack.command.label, "cpp_event_response");
        let auth = ack.field("cpp_auth").unwrap();
        assert_eq!(auth.spec.value_name(1), Some("accepted"));
    }

    #[test]
    fn attributes_are_named_per_set() {
        let name = |client, id| {
            CLUSTER
                .attribute(client, id)
                .map(|a| format!("{}", a.name()))
        };
        let cases: &[(u16, &str)] = &[
            (0x0000, "Tier1PriceLabel"),
            (0x002f, "Tier48PriceLabel"),
            (0x010e, "Block15Threshold"),
            (0x010f, "BlockThresholdCount"),
            (0x0110, "Tier1Block1Threshold"),
            (0x0125, "Tier2Block6Threshold"),
            (0x012f, "Tier2BlockThresholdCount"),
            (0x01fe, "Tier15Block15Threshold"),
            (0x01ff, "Tier15BlockThresholdCount"),
            (0x0204, "BlockPeriodDurationType"),
            (0x0306, "CalorificValueTrailingDigit"),
            (0x040f, "NoTierBlock16Price"),
            (0x0410, "Tier1Block1Price"),
            (0x04ff, "Tier15Block16Price"),
            (0x050f, "PriceTier16"),
            (0x052f, "PriceTier48"),
            (0x05ff, "CPP2Price"),
            (0x0615, "UnitofMeasure"),
            (0x0622, "CO2TrailingDigit"),
            (0x0704, "LastBillingPeriodConsolidatedBill"),
            (0x0842, "CreditPaymentRef#4"),
            (0x0851, "CreditPaymentDate#5"),
            (0x802f, "ReceivedTier48PriceLabel"),
            (0x810e, "ReceivedBlock15Threshold"),
            (0x84ff, "RxTier15Block16Price"),
            (0x852f, "ReceivedPriceTier48"),
            (0x8615, "ReceivedTariffResolutionPeriod"),
            (0x8627, "ReceivedCO2TrailingDigit"),
            (0x8704, "ReceivedLastBillingPeriodConsolidatedBill"),
            (0xfffe, "AttributeReportingStatus"),
        ];
        for &(id, want) in cases {
            assert_eq!(name(false, id).as_deref(), Some(want), "{id:#06x}");
        }
        for id in [
            0x0030, 0x0205, 0x0307, 0x0500, 0x0530, 0x0614, 0x0618, 0x0803, 0x0860, 0x8204,
        ] {
            assert_eq!(name(false, id), None, "{id:#06x}");
        }
        assert_eq!(name(true, 0x0002).as_deref(), Some("CommodityType"));
        let a = CLUSTER.attribute(false, 0x0615).unwrap();
        assert_eq!(a.spec.value_name(0x01), Some("m3_binary"));
        assert_eq!(a.spec.data_type, Enum8);
        assert_eq!(
            CLUSTER.attribute(false, 0x0125).unwrap().spec.data_type,
            Uint48
        );
    }

    #[test]
    fn every_command_of_section_8_1_is_present() {
        assert_eq!(CLUSTER.received.len(), 17);
        assert_eq!(CLUSTER.generated.len(), 15);
        for (i, c) in CLUSTER.received.iter().enumerate() {
            assert_eq!(usize::from(c.id), i);
        }
        for (i, c) in CLUSTER.generated.iter().enumerate() {
            assert_eq!(usize::from(c.id), i);
        }
    }
}
