//! The ECS24 tariff read response (GBCS ECS24, primary element): the
//! 17 values its gets return, typed: the activity calendar, special days,
//! block thresholds and the active unit charges. Lists stay borrowed and
//! are checked when the response is decoded.

use core::fmt;

use alloc::vec::Vec;

use smets_core::{BufMut, DecodeError, Encode, EncodeError};
use smets_dlms::apdu::{
    AccessRequest, AccessRequestSpecification, AccessRequestSpecifications,
    AccessResponseSpecification, AttributeDescriptor, DataAccessResult,
};
use smets_dlms::axdr::{Data, Elements};
use smets_dlms::cosem::{CosemDateTime, ObisCode};

use super::{
    BLOCK_PRICES, ChargeScaling, Cursor, INVOKE_FLAGS_ONLY, Octets, PRICE_BLOCKS, PriceTables,
    TOU_PRICES, access_response, charges, invalid, long_invoke, register,
};
use crate::usecase::{Failure, Register, Reply, Response};

/// Block threshold monitors: one per TOU rate (0-0:16.0.11.255 to
/// 0-0:16.0.18.255).
pub const THRESHOLD_MONITORS: usize = 8;
/// Items of the ECS24 command and response.
const ITEMS: usize = 17;

/// A time of day (IEC 62056-6-2 4.1.6.1, time: octet-string(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CosemTime {
    /// Hour, `0xFF` not specified.
    pub hour: u8,
    /// Minute, `0xFF` not specified.
    pub minute: u8,
    /// Second, `0xFF` not specified.
    pub second: u8,
    /// Hundredths, `0xFF` not specified.
    pub hundredths: u8,
}

impl CosemTime {
    /// Seconds since midnight, when hour, minute and second are specified.
    #[must_use]
    pub fn seconds_of_day(&self) -> Option<u32> {
        (self.hour < 24 && self.minute < 60 && self.second < 60).then(|| {
            u32::from(self.hour) * 3600 + u32::from(self.minute) * 60 + u32::from(self.second)
        })
    }
}

/// A date (IEC 62056-6-2 4.1.6.1, date: octet-string(5)), wildcards kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CosemDate {
    /// Year, `0xFFFF` not specified.
    pub year: u16,
    /// Month, `0xFF` not specified.
    pub month: u8,
    /// Day of month, `0xFF` not specified.
    pub day: u8,
    /// Day of week, `0xFF` not specified.
    pub day_of_week: u8,
}

/// A season of the activity calendar (IEC 62056-6-2 4.5.5, season_profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Season<'a> {
    /// season_profile_name.
    pub name: Octets<'a>,
    /// season_start, with wildcards (a yearly date).
    pub start: CosemDateTime,
    /// week_name of the week profile the season uses.
    pub week_profile: Octets<'a>,
}

/// A week profile (IEC 62056-6-2 4.5.5, week_profile_table): the day
/// profile of each day, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WeekProfile<'a> {
    /// week_profile_name.
    pub name: Octets<'a>,
    /// day_id of Monday to Sunday.
    pub days: [u8; 7],
}

/// How a day-profile action switches the tariff, as the DCC parser reads
/// the script selector: above 100, block rate `selector - 100`, else TOU
/// rate `selector`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TariffSwitch {
    /// Time-of-use rate.
    Tou(u16),
    /// Block tariff rate.
    Block(u16),
}

/// One action of a day profile (IEC 62056-6-2 4.5.5, day_profile_action).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DayAction {
    /// start_time.
    pub start_time: CosemTime,
    /// script_logical_name.
    pub script: ObisCode,
    /// script_selector.
    pub selector: u16,
}

impl DayAction {
    /// The tariff switch the selector names.
    #[must_use]
    pub const fn switch(&self) -> TariffSwitch {
        if self.selector > 100 {
            TariffSwitch::Block(self.selector - 100)
        } else {
            TariffSwitch::Tou(self.selector)
        }
    }
}

/// A day profile (IEC 62056-6-2 4.5.5, day_profile_table).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DayProfile<'a> {
    /// day_id.
    pub day_id: u8,
    actions: Elements<'a>,
}

impl<'a> DayProfile<'a> {
    /// The actions, in the order sent.
    pub fn actions(&self) -> impl Iterator<Item = DayAction> + Clone + 'a {
        self.actions.filter_map(|d| day_action(0, d).ok())
    }
}

impl fmt::Debug for DayProfile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DayProfile")
            .field("day_id", &self.day_id)
            .field("actions", &Seq(self.actions()))
            .finish()
    }
}

/// A special day (IEC 62056-6-2 4.5.4, special_days_table entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpecialDay {
    /// index.
    pub index: u16,
    /// specialday_date, with wildcards.
    pub date: CosemDate,
    /// day_id of the day profile used.
    pub day_id: u8,
}

/// The tariff switching calendar and block thresholds (GBCS ECS24 reads
/// the active ones, ECS01a writes the passive ones): the activity
/// calendar's seasons, week and day profiles (IEC 62056-6-2 4.5.5), the
/// special days (4.5.4) and the block thresholds of each TOU rate (register
/// monitors, 4.5.6). Lists stay as sent, checked when decoded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TariffCalendar<'a> {
    seasons: Elements<'a>,
    week_profiles: Elements<'a>,
    day_profiles: Elements<'a>,
    special_days: Elements<'a>,
    thresholds: [Elements<'a>; THRESHOLD_MONITORS],
}

impl<'a> TariffCalendar<'a> {
    /// The seasons.
    pub fn seasons(&self) -> impl Iterator<Item = Season<'a>> + Clone + 'a {
        self.seasons.filter_map(|d| season(0, d).ok())
    }

    /// The week profiles.
    pub fn week_profiles(&self) -> impl Iterator<Item = WeekProfile<'a>> + Clone + 'a {
        self.week_profiles.filter_map(|d| week_profile(0, d).ok())
    }

    /// The day profiles.
    pub fn day_profiles(&self) -> impl Iterator<Item = DayProfile<'a>> + Clone + 'a {
        self.day_profiles.filter_map(|d| day_profile(0, d).ok())
    }

    /// The special days.
    pub fn special_days(&self) -> impl Iterator<Item = SpecialDay> + Clone + 'a {
        self.special_days.filter_map(|d| special_day(0, d).ok())
    }

    /// The block thresholds of TOU rate `rate` (1 to 8), in the register's
    /// unit; `None` for another rate.
    pub fn thresholds(&self, rate: usize) -> Option<impl Iterator<Item = u32> + Clone + 'a> {
        let e = *self.thresholds.get(rate.checked_sub(1)?)?;
        Some(e.filter_map(|d| match d {
            Data::DoubleLongUnsigned(v) => Some(v),
            _ => None,
        }))
    }

    /// Reads the four calendar lists and the eight threshold arrays from `c`.
    fn decode(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let seasons = checked_array(c, "season_profile", season)?;
        let week_profiles = checked_array(c, "week_profile_table", week_profile)?;
        let day_profiles = checked_array(c, "day_profile_table", day_profile)?;
        let special_days = checked_array(c, "special_days_table", special_day)?;
        let mut thresholds = [Elements::EMPTY; THRESHOLD_MONITORS];
        for t in &mut thresholds {
            *t = checked_array(c, "thresholds", |at, d| match d {
                Data::DoubleLongUnsigned(_) => Ok(()),
                _ => Err(invalid(at, "threshold", u64::from(d.tag().value()))),
            })?;
        }
        Ok(Self {
            seasons,
            week_profiles,
            day_profiles,
            special_days,
            thresholds,
        })
    }

    /// The twelve Data values, in command order.
    fn items(&self) -> [Data<'a>; 4 + THRESHOLD_MONITORS] {
        let lists = [
            self.seasons,
            self.week_profiles,
            self.day_profiles,
            self.special_days,
        ];
        core::array::from_fn(|i| match i.checked_sub(4) {
            None => Data::Array(lists.get(i).copied().unwrap_or(Elements::EMPTY)),
            Some(t) => Data::Array(self.thresholds.get(t).copied().unwrap_or(Elements::EMPTY)),
        })
    }
}

impl fmt::Debug for TariffCalendar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TariffCalendar")
            .field("seasons", &Seq(self.seasons()))
            .field("week_profiles", &Seq(self.week_profiles()))
            .field("day_profiles", &Seq(self.day_profiles()))
            .field("special_days", &Seq(self.special_days()))
            .field(
                "block_thresholds",
                &Seq((1..=THRESHOLD_MONITORS).filter_map(|r| self.thresholds(r).map(Seq))),
            )
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for TariffCalendar<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TariffCalendar", 5)?;
        st.serialize_field("seasons", &Seq(self.seasons()))?;
        st.serialize_field("week_profiles", &Seq(self.week_profiles()))?;
        st.serialize_field("day_profiles", &Seq(self.day_profiles()))?;
        st.serialize_field("special_days", &Seq(self.special_days()))?;
        st.serialize_field(
            "block_thresholds",
            &Seq((1..=THRESHOLD_MONITORS).filter_map(|r| self.thresholds(r).map(Seq))),
        )?;
        st.end()
    }
}

/// What ECS24 reads (GBCS ECS24): the register 0-0:94.44.1.7, the active
/// tariff calendar and block thresholds, the currency unit, and the active
/// standing charge and prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffRead<'a> {
    /// 0-0:94.44.1.7 value and scaler_unit.
    pub register: Register,
    /// The active calendar, special days and block thresholds.
    pub calendar: TariffCalendar<'a>,
    /// The currency unit's active value (GBCS extended data
    /// 0-0:94.44.2.0), the octet as sent.
    pub currency_unit: u8,
    /// Scaling and commodity of the standing charge.
    pub standing_charge_scaling: ChargeScaling,
    /// The standing charge, × 10^price_scale.
    pub standing_charge: i16,
    /// Scaling and commodity of the prices.
    pub price_scaling: ChargeScaling,
    /// The TOU prices, × 10^price_scale.
    #[cfg_attr(feature = "serde", serde(serialize_with = "tou_prices"))]
    pub tou_prices: [i16; TOU_PRICES],
    /// The block prices, blocks A to D by TOU rate 1 to 8.
    pub block_prices: [[i16; BLOCK_PRICES]; PRICE_BLOCKS],
}

#[cfg(feature = "serde")]
fn tou_prices<S: serde::Serializer>(p: &[i16; TOU_PRICES], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(p)
}

/// A clonable iterator shown as a list.
struct Seq<I>(I);

impl<I: Iterator<Item = T> + Clone, T: fmt::Debug> fmt::Debug for Seq<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.clone()).finish()
    }
}

#[cfg(feature = "serde")]
impl<I: Iterator<Item = T> + Clone, T: serde::Serialize> serde::Serialize for Seq<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DayProfile<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("DayProfile", 2)?;
        st.serialize_field("day_id", &self.day_id)?;
        st.serialize_field("actions", &Seq(self.actions()))?;
        st.end()
    }
}

fn season(at: usize, d: Data<'_>) -> Result<Season<'_>, DecodeError> {
    let mut c = Cursor::of(at, d, false, Some(3), "season_profile", 0)?;
    Ok(Season {
        name: Octets(c.octets("season_profile_name")?.1),
        start: c.date_time("season_start")?,
        week_profile: Octets(c.octets("week_name")?.1),
    })
}

fn unsigned(c: &mut Cursor<'_>, field: &'static str) -> Result<u8, DecodeError> {
    match c.next(field)? {
        (_, Data::Unsigned(v)) => Ok(v),
        (at, d) => Err(invalid(at, field, u64::from(d.tag().value()))),
    }
}

fn week_profile(at: usize, d: Data<'_>) -> Result<WeekProfile<'_>, DecodeError> {
    let mut c = Cursor::of(at, d, false, Some(8), "week_profile", 0)?;
    let name = Octets(c.octets("week_profile_name")?.1);
    let mut days = [0u8; 7];
    for day in &mut days {
        *day = unsigned(&mut c, "day_id")?;
    }
    Ok(WeekProfile { name, days })
}

fn day_action(at: usize, d: Data<'_>) -> Result<DayAction, DecodeError> {
    let mut c = Cursor::of(at, d, false, Some(3), "day_profile_action", 0)?;
    let [hour, minute, second, hundredths] = *c.octets_n::<4>("start_time")?;
    Ok(DayAction {
        start_time: CosemTime {
            hour,
            minute,
            second,
            hundredths,
        },
        script: c.obis("script_logical_name")?,
        selector: c.long_unsigned("script_selector")?,
    })
}

fn day_profile(at: usize, d: Data<'_>) -> Result<DayProfile<'_>, DecodeError> {
    let mut c = Cursor::of(at, d, false, Some(2), "day_profile", 0)?;
    let day_id = unsigned(&mut c, "day_id")?;
    let mut actions = c.array(None, "day_schedule")?;
    let items = actions.items;
    while actions.len() > 0 {
        let (at, d) = actions.next("day_profile_action")?;
        day_action(at, d)?;
    }
    Ok(DayProfile {
        day_id,
        actions: items,
    })
}

fn special_day(at: usize, d: Data<'_>) -> Result<SpecialDay, DecodeError> {
    let mut c = Cursor::of(at, d, false, Some(3), "special day entry", 0)?;
    let index = c.long_unsigned("index")?;
    let [y0, y1, month, day, day_of_week] = *c.octets_n::<5>("specialday_date")?;
    Ok(SpecialDay {
        index,
        date: CosemDate {
            year: u16::from_be_bytes([y0, y1]),
            month,
            day,
            day_of_week,
        },
        day_id: unsigned(&mut c, "day_id")?,
    })
}

/// The elements of an array, each checked with `check`.
fn checked_array<'a, T>(
    c: &mut Cursor<'a>,
    field: &'static str,
    check: impl Fn(usize, Data<'a>) -> Result<T, DecodeError>,
) -> Result<Elements<'a>, DecodeError> {
    let mut a = c.array(None, field)?;
    let items = a.items;
    while a.len() > 0 {
        let (at, d) = a.next(field)?;
        check(at, d)?;
    }
    Ok(items)
}

/// Decodes an ECS24 response: 17 values, or the first failed item.
pub(super) fn tariff_read(payload: &[u8]) -> Result<Response<TariffRead<'_>>, DecodeError> {
    let (invoke_id, a) = access_response(payload)?;
    let results_at = payload.len().saturating_sub(2 * ITEMS + 1);
    if a.results.len() != ITEMS || a.data.len() != ITEMS {
        return Err(invalid(
            results_at,
            "access-response-specification count",
            a.results.len() as u64,
        ));
    }
    let mut failure = None;
    for (i, (r, d)) in { a.results }.zip(a.data).enumerate() {
        match r {
            AccessResponseSpecification::Get(DataAccessResult::Success) => {}
            AccessResponseSpecification::Get(_) if d == Data::NullData => {
                failure = failure.or(Some(Failure(r)));
            }
            _ => {
                return Err(invalid(
                    results_at + 1 + 2 * i,
                    "access-response-specification",
                    0,
                ));
            }
        }
    }
    if let Some(f) = failure {
        return Ok(Response {
            invoke_id,
            reply: Reply::Failed(f),
        });
    }
    let data_at = a.data.offset().saturating_sub(1);
    let mut c = Cursor {
        items: a.data,
        at: data_at,
        shift: 0,
    };
    // The register's value then its scaler_unit, as two items.
    let register = register(&mut c, "register value")?;
    let calendar = TariffCalendar::decode(&mut c)?;
    let currency_unit = match c.next("currency unit")? {
        (_, Data::Enum(v) | Data::Unsigned(v) | Data::Boolean(v)) => v,
        (at, d) => return Err(invalid(at, "currency unit", u64::from(d.tag().value()))),
    };
    let p = charges(&mut c)?;
    Ok(Response {
        invoke_id,
        reply: Reply::Value(TariffRead {
            register,
            calendar,
            currency_unit,
            standing_charge_scaling: p.standing_charge_scaling,
            standing_charge: p.standing_charge,
            price_scaling: p.price_scaling,
            tou_prices: p.tou_prices,
            block_prices: p.block_prices,
        }),
    })
}

// ---------------------------------------------------------------------------
// ECS01a: update the import tariff.

const fn set(
    class_id: u16,
    instance_id: ObisCode,
    attribute_id: i8,
) -> AccessRequestSpecification<'static> {
    AccessRequestSpecification::Set(AttributeDescriptor {
        class_id,
        instance_id,
        attribute_id,
    })
}

const CALENDAR: ObisCode = ObisCode::new(0, 0, 13, 0, 0, 255);
const CURRENCY: ObisCode = ObisCode::new(0, 0, 94, 44, 2, 0);

/// The 21 sets of ECS01a, in order (GBCS ECS01a): the passive season,
/// week and day profiles (Activity calendar 0-0:13.0.0.255 attributes 7 to
/// 9), the special days (0-1:11.0.0.255), the eight block threshold
/// monitors (0-0:16.1.11.255 to 0-0:16.1.18.255), the passive currency unit,
/// standing charge and prices, then six activation times: the calendar
/// (attribute 10), the special days (0-0:94.44.128.29), the currency, the
/// standing charge, the prices and the threshold matrix (0-0:63.1.1.255).
const TARIFF_SPECIFICATIONS: [AccessRequestSpecification<'static>; 21] = [
    set(20, CALENDAR, 7),
    set(20, CALENDAR, 8),
    set(20, CALENDAR, 9),
    set(11, ObisCode::new(0, 1, 11, 0, 0, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 11, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 12, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 13, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 14, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 15, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 16, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 17, 255), 2),
    set(21, ObisCode::new(0, 0, 16, 1, 18, 255), 2),
    set(9000, CURRENCY, 4),
    set(113, ObisCode::new(0, 0, 19, 20, 4, 255), 6),
    set(113, ObisCode::new(0, 0, 19, 20, 0, 255), 6),
    set(20, CALENDAR, 10),
    set(9000, ObisCode::new(0, 0, 94, 44, 128, 29), 6),
    set(9000, CURRENCY, 6),
    set(113, ObisCode::new(0, 0, 19, 20, 4, 255), 7),
    set(113, ObisCode::new(0, 0, 19, 20, 0, 255), 7),
    set(9000, ObisCode::new(0, 0, 63, 1, 1, 255), 6),
];

/// When each part of an ECS01a tariff becomes active (GBCS "now" and
/// "never" sentinels included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffActivation {
    /// The passive calendar.
    pub calendar: CosemDateTime,
    /// The special days.
    pub special_days: CosemDateTime,
    /// The currency unit.
    pub currency: CosemDateTime,
    /// The standing charge.
    pub standing_charge: CosemDateTime,
    /// The prices.
    pub prices: CosemDateTime,
    /// The block threshold matrix.
    pub thresholds: CosemDateTime,
}

/// ECS01a update import tariff (GBCS ECS01a): the passive calendar,
/// special days and block thresholds, the currency unit, the standing
/// charge and prices, and when each becomes active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffUpdateRequest<'a> {
    /// The low 24 bits of the command's originator counter (GBCS 7.2.3).
    pub invoke_id: u32,
    /// The passive calendar, special days and block thresholds.
    pub calendar: TariffCalendar<'a>,
    /// The currency unit's passive value (a boolean in RTDS), the octet as
    /// sent.
    pub currency_unit: u8,
    /// Scaling and commodity of the standing charge.
    pub standing_charge_scaling: ChargeScaling,
    /// The standing charge, × 10^price_scale.
    pub standing_charge: i16,
    /// Scaling and commodity of the prices.
    pub price_scaling: ChargeScaling,
    /// The TOU prices, × 10^price_scale.
    #[cfg_attr(feature = "serde", serde(serialize_with = "tou_prices"))]
    pub tou_prices: [i16; TOU_PRICES],
    /// The block prices, blocks A to D by TOU rate 1 to 8.
    pub block_prices: [[i16; BLOCK_PRICES]; PRICE_BLOCKS],
    /// Activation times.
    pub activation: TariffActivation,
}

/// Decodes an ECS01a command.
pub(super) fn tariff_update_request(
    payload: &[u8],
) -> Result<TariffUpdateRequest<'_>, DecodeError> {
    let (invoke_id, mut c) = super::fixed_request(payload, &TARIFF_SPECIFICATIONS)?;
    let calendar = TariffCalendar::decode(&mut c)?;
    let currency_unit = match c.next("currency unit")? {
        (_, Data::Boolean(v)) => v,
        (at, d) => return Err(invalid(at, "currency unit", u64::from(d.tag().value()))),
    };
    let p = charges(&mut c)?;
    Ok(TariffUpdateRequest {
        invoke_id,
        calendar,
        currency_unit,
        standing_charge_scaling: p.standing_charge_scaling,
        standing_charge: p.standing_charge,
        price_scaling: p.price_scaling,
        tou_prices: p.tou_prices,
        block_prices: p.block_prices,
        activation: TariffActivation {
            calendar: c.date_time("calendar activation time")?,
            special_days: c.date_time("special days activation time")?,
            currency: c.date_time("currency activation time")?,
            standing_charge: c.date_time("standing charge activation time")?,
            prices: c.date_time("price activation time")?,
            thresholds: c.date_time("threshold activation time")?,
        },
    })
}

impl TariffUpdateRequest<'_> {
    const fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn with_apdu<R>(&self, invoke: u32, f: impl FnOnce(&AccessRequest<'_>) -> R) -> R {
        let calendar = self.calendar.items();
        let act = [
            self.activation.calendar.to_bytes(),
            self.activation.special_days.to_bytes(),
            self.activation.currency.to_bytes(),
            self.activation.standing_charge.to_bytes(),
            self.activation.prices.to_bytes(),
            self.activation.thresholds.to_bytes(),
        ];
        let charges = PriceTables {
            standing_charge_scaling: self.standing_charge_scaling,
            standing_charge: self.standing_charge,
            price_scaling: self.price_scaling,
            tou_prices: self.tou_prices,
            block_prices: self.block_prices,
        };
        charges.with_data(|standing, prices| {
            let mut data = [Data::NullData; 21];
            let acts = act.iter().map(|a| Data::OctetString(a));
            let all = calendar
                .iter()
                .copied()
                .chain([Data::Boolean(self.currency_unit), standing, prices])
                .chain(acts);
            for (slot, d) in data.iter_mut().zip(all) {
                *slot = d;
            }
            f(&AccessRequest {
                long_invoke_id_and_priority: invoke,
                date_time: None,
                specifications: AccessRequestSpecifications::from_items(&TARIFF_SPECIFICATIONS),
                data: Elements::from_items(&data),
            })
        })
    }
}

encode_via_apdu!(TariffUpdateRequest<'_>);

/// The typed inputs of an ECS01a tariff: the calendar as values rather
/// than as received lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TariffSpec<'s> {
    /// Seasons.
    pub seasons: &'s [Season<'s>],
    /// Week profiles.
    pub week_profiles: &'s [WeekProfile<'s>],
    /// Day profiles: day id and its actions.
    pub day_profiles: &'s [(u8, &'s [DayAction])],
    /// Special days.
    pub special_days: &'s [SpecialDay],
    /// Block thresholds of TOU rates 1 to 8.
    pub thresholds: [&'s [u32]; THRESHOLD_MONITORS],
    /// Currency unit, the octet of the boolean.
    pub currency_unit: u8,
    /// Scaling and commodity of the standing charge.
    pub standing_charge_scaling: ChargeScaling,
    /// The standing charge.
    pub standing_charge: i16,
    /// Scaling and commodity of the prices.
    pub price_scaling: ChargeScaling,
    /// The TOU prices.
    pub tou_prices: [i16; TOU_PRICES],
    /// The block prices.
    pub block_prices: [[i16; BLOCK_PRICES]; PRICE_BLOCKS],
    /// Activation times.
    pub activation: TariffActivation,
}

impl TariffSpec<'_> {
    /// The ECS01a command for this tariff in a message with header `h`.
    /// The calendar's A-XDR is assembled in vectors first, so this
    /// allocates.
    ///
    /// # Errors
    /// An [`EncodeError`] when a list is too long for A-XDR.
    pub fn to_vec(&self, h: &crate::usecase::CommandHeader) -> Result<Vec<u8>, EncodeError> {
        let season_bytes: Vec<[u8; 12]> = self.seasons.iter().map(|s| s.start.to_bytes()).collect();
        let seasons: Vec<[Data<'_>; 3]> = self
            .seasons
            .iter()
            .zip(&season_bytes)
            .map(|(s, start)| {
                [
                    Data::OctetString(s.name.0),
                    Data::OctetString(start),
                    Data::OctetString(s.week_profile.0),
                ]
            })
            .collect();
        let weeks: Vec<[Data<'_>; 8]> = self
            .week_profiles
            .iter()
            .map(|w| {
                let mut d = [Data::OctetString(w.name.0); 8];
                for (slot, day) in d.iter_mut().skip(1).zip(w.days) {
                    *slot = Data::Unsigned(day);
                }
                d
            })
            .collect();
        let action_bytes: Vec<Vec<([u8; 4], [u8; 6])>> = self
            .day_profiles
            .iter()
            .map(|(_, actions)| {
                actions
                    .iter()
                    .map(|a| {
                        let t = a.start_time;
                        ([t.hour, t.minute, t.second, t.hundredths], a.script.0)
                    })
                    .collect()
            })
            .collect();
        let actions: Vec<Vec<[Data<'_>; 3]>> = self
            .day_profiles
            .iter()
            .zip(&action_bytes)
            .map(|((_, actions), bytes)| {
                actions
                    .iter()
                    .zip(bytes)
                    .map(|(a, (time, script))| {
                        [
                            Data::OctetString(time),
                            Data::OctetString(script),
                            Data::LongUnsigned(a.selector),
                        ]
                    })
                    .collect()
            })
            .collect();
        let action_lists: Vec<Vec<Data<'_>>> = actions
            .iter()
            .map(|l| {
                l.iter()
                    .map(|a| Data::Structure(Elements::from_items(a)))
                    .collect()
            })
            .collect();
        let days: Vec<[Data<'_>; 2]> = self
            .day_profiles
            .iter()
            .zip(&action_lists)
            .map(|((id, _), list)| [Data::Unsigned(*id), Data::Array(Elements::from_items(list))])
            .collect();
        let special_bytes: Vec<[u8; 5]> = self
            .special_days
            .iter()
            .map(|s| {
                let [y0, y1] = s.date.year.to_be_bytes();
                [y0, y1, s.date.month, s.date.day, s.date.day_of_week]
            })
            .collect();
        let special: Vec<[Data<'_>; 3]> = self
            .special_days
            .iter()
            .zip(&special_bytes)
            .map(|(s, date)| {
                [
                    Data::LongUnsigned(s.index),
                    Data::OctetString(date),
                    Data::Unsigned(s.day_id),
                ]
            })
            .collect();
        let thresholds: Vec<Vec<Data<'_>>> = self
            .thresholds
            .iter()
            .map(|t| t.iter().map(|v| Data::DoubleLongUnsigned(*v)).collect())
            .collect();
        let season_items: Vec<Data<'_>> = seasons
            .iter()
            .map(|s| Data::Structure(Elements::from_items(s)))
            .collect();
        let week_items: Vec<Data<'_>> = weeks
            .iter()
            .map(|s| Data::Structure(Elements::from_items(s)))
            .collect();
        let day_items: Vec<Data<'_>> = days
            .iter()
            .map(|s| Data::Structure(Elements::from_items(s)))
            .collect();
        let special_items: Vec<Data<'_>> = special
            .iter()
            .map(|s| Data::Structure(Elements::from_items(s)))
            .collect();
        let calendar = TariffCalendar {
            seasons: Elements::from_items(&season_items),
            week_profiles: Elements::from_items(&week_items),
            day_profiles: Elements::from_items(&day_items),
            special_days: Elements::from_items(&special_items),
            thresholds: core::array::from_fn(|i| {
                Elements::from_items(thresholds.get(i).map_or(&[][..], |t| &t[..]))
            }),
        };
        TariffUpdateRequest {
            invoke_id: crate::usecase::invoke_id(h.originator_counter),
            calendar,
            currency_unit: self.currency_unit,
            standing_charge_scaling: self.standing_charge_scaling,
            standing_charge: self.standing_charge,
            price_scaling: self.price_scaling,
            tou_prices: self.tou_prices,
            block_prices: self.block_prices,
            activation: self.activation,
        }
        .to_vec()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use super::*;
    use crate::usecase::dlms::TariffActivation;

    /// An ECS24 response whose items are all null, the `failed`-th with
    /// get result 1 (hardware fault), the others success.
    fn all_null(failed: Option<usize>) -> Vec<u8> {
        let mut b = alloc::vec![0xDA, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x11];
        b.extend_from_slice(&[0x00; ITEMS]);
        b.push(0x11);
        for i in 0..ITEMS {
            b.extend_from_slice(&[0x01, u8::from(Some(i) == failed)]);
        }
        b
    }

    #[test]
    fn a_failed_get_is_the_reply() {
        let b = all_null(Some(5));
        let r = tariff_read(&b).unwrap();
        assert_eq!(r.invoke_id, 1000);
        let Reply::Failed(f) = r.reply else { panic!() };
        assert_eq!((f.kind(), f.code()), ("get", 1));
        // All null yet all successful: null is no season array.
        assert!(tariff_read(&all_null(None)).is_err());
        // A failed item with a value is refused.
        let mut b = all_null(Some(0));
        b[8] = 0x03;
        b.insert(9, 0x00);
        b[7] = 0x11;
        assert!(tariff_read(&b).is_err());
    }

    proptest::proptest! {
        #[test]
        fn tariff_spec_round_trip(
            counter in proptest::prelude::any::<u64>(),
            selectors in proptest::collection::vec(proptest::prelude::any::<u16>(), 0..5),
            thresholds in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..4),
            day in 1u8..29,
            price in proptest::prelude::any::<i16>(),
        ) {
            use crate::usecase::dlms::{CS01A, ECS01A};
            use crate::usecase::{CommandHeader, Typed, decode};
            let h = CommandHeader {
                originator_counter: counter,
                originator: smets_core::Eui64(1),
                recipient: smets_core::Eui64(2),
            };
            let seasons = [Season {
                name: Octets(b"summer"),
                start: CosemDateTime::NOW,
                week_profile: Octets(&[1]),
            }];
            let weeks = [WeekProfile { name: Octets(&[1]), days: [1, 1, 1, 1, 1, 2, day] }];
            let actions: Vec<DayAction> = selectors
                .iter()
                .map(|s| DayAction {
                    start_time: CosemTime { hour: 13, minute: 0, second: 0, hundredths: 0 },
                    script: ObisCode::new(0, 0, 10, 0, 100, 255),
                    selector: *s,
                })
                .collect();
            let days = [(1u8, &actions[..]), (2, &[][..])];
            let special = [SpecialDay {
                index: 1,
                date: CosemDate { year: 0xFFFF, month: 2, day, day_of_week: 0xFF },
                day_id: 2,
            }];
            let scaling = ChargeScaling {
                commodity_scale: 3,
                price_scale: -5,
                class_id: 3,
                obis: ObisCode::new(1, 0, 1, 8, 0, 255),
                attribute_index: 2,
            };
            let spec = TariffSpec {
                seasons: &seasons,
                week_profiles: &weeks,
                day_profiles: &days,
                special_days: &special,
                thresholds: core::array::from_fn(|i| if i == 0 { &thresholds[..] } else { &[][..] }),
                currency_unit: 0xFF,
                standing_charge_scaling: scaling,
                standing_charge: price,
                price_scaling: scaling,
                tou_prices: [price; TOU_PRICES],
                block_prices: [[price; BLOCK_PRICES]; PRICE_BLOCKS],
                activation: TariffActivation {
                    calendar: CosemDateTime::NOW,
                    special_days: CosemDateTime::NEVER,
                    currency: CosemDateTime::NOW,
                    standing_charge: CosemDateTime::NOW,
                    prices: CosemDateTime::NOW,
                    thresholds: CosemDateTime::NOW,
                },
            };
            let bytes = spec.to_vec(&h).unwrap();
            let Some(Typed::TariffUpdateRequest(r)) =
                decode(ECS01A, crate::envelope::CraFlag::Command, &bytes, &[]).unwrap()
            else {
                panic!()
            };
            proptest::prop_assert_eq!(r.invoke_id, crate::usecase::invoke_id(counter));
            let cal = r.calendar;
            proptest::prop_assert_eq!(cal.seasons().collect::<Vec<_>>(), seasons.to_vec());
            proptest::prop_assert_eq!(cal.week_profiles().collect::<Vec<_>>(), weeks.to_vec());
            let got: Vec<(u8, Vec<DayAction>)> =
                cal.day_profiles().map(|d| (d.day_id, d.actions().collect())).collect();
            proptest::prop_assert_eq!(got, alloc::vec![(1, actions.clone()), (2, Vec::new())]);
            proptest::prop_assert_eq!(cal.special_days().collect::<Vec<_>>(), special.to_vec());
            proptest::prop_assert_eq!(cal.thresholds(1).unwrap().collect::<Vec<_>>(), thresholds.clone());
            proptest::prop_assert_eq!(r.tou_prices, spec.tou_prices);
            proptest::prop_assert_eq!(r.activation, spec.activation);
            proptest::prop_assert_eq!(r.to_vec().unwrap(), bytes.clone());
            // Not a top-up.
            proptest::prop_assert!(decode(CS01A, crate::envelope::CraFlag::Command, &bytes, &[]).is_err());
        }
    }

    #[test]
    fn day_action_switches() {
        let a = |selector| DayAction {
            start_time: CosemTime {
                hour: 13,
                minute: 0,
                second: 0,
                hundredths: 0,
            },
            script: ObisCode::new(0, 0, 10, 0, 100, 255),
            selector,
        };
        assert_eq!(a(101).switch(), TariffSwitch::Block(1));
        assert_eq!(a(2).switch(), TariffSwitch::Tou(2));
        assert_eq!(a(2).start_time.seconds_of_day(), Some(46_800));
        let unspecified = CosemTime {
            hour: 0xFF,
            ..a(1).start_time
        };
        assert_eq!(unspecified.seconds_of_day(), None);
    }
}
