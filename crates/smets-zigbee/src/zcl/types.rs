//! ZCL data types (ZCL rev. 8, 07-5123-08, 2.6.2 and table 2-10): type codes
//! and zero-copy typed values, with the spec's invalid values.
//!
//! Attribute semantics (units, multipliers, which attribute has which type) are not handled here.

use bytes::BufMut;
use smets_core::{
    DecodeError, DecodeErrorKind, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

/// Deepest nesting of arrays, sets, bags and structures the decoder follows.
pub const MAX_DEPTH: usize = 8;

open_enum! {
    /// ZCL data type identifier (ZCL rev. 8 table 2-10).
    pub enum DataType: u8 {
        /// No data.
        NoData = 0x00 => "no_data",
        /// 8-bit data.
        Data8 = 0x08 => "data8",
        /// 16-bit data.
        Data16 = 0x09 => "data16",
        /// 24-bit data.
        Data24 = 0x0a => "data24",
        /// 32-bit data.
        Data32 = 0x0b => "data32",
        /// 40-bit data.
        Data40 = 0x0c => "data40",
        /// 48-bit data.
        Data48 = 0x0d => "data48",
        /// 56-bit data.
        Data56 = 0x0e => "data56",
        /// 64-bit data.
        Data64 = 0x0f => "data64",
        /// Boolean.
        Boolean = 0x10 => "boolean",
        /// 8-bit bitmap.
        Bitmap8 = 0x18 => "bitmap8",
        /// 16-bit bitmap.
        Bitmap16 = 0x19 => "bitmap16",
        /// 24-bit bitmap.
        Bitmap24 = 0x1a => "bitmap24",
        /// 32-bit bitmap.
        Bitmap32 = 0x1b => "bitmap32",
        /// 40-bit bitmap.
        Bitmap40 = 0x1c => "bitmap40",
        /// 48-bit bitmap.
        Bitmap48 = 0x1d => "bitmap48",
        /// 56-bit bitmap.
        Bitmap56 = 0x1e => "bitmap56",
        /// 64-bit bitmap.
        Bitmap64 = 0x1f => "bitmap64",
        /// Unsigned 8-bit integer.
        Uint8 = 0x20 => "uint8",
        /// Unsigned 16-bit integer.
        Uint16 = 0x21 => "uint16",
        /// Unsigned 24-bit integer.
        Uint24 = 0x22 => "uint24",
        /// Unsigned 32-bit integer.
        Uint32 = 0x23 => "uint32",
        /// Unsigned 40-bit integer.
        Uint40 = 0x24 => "uint40",
        /// Unsigned 48-bit integer.
        Uint48 = 0x25 => "uint48",
        /// Unsigned 56-bit integer.
        Uint56 = 0x26 => "uint56",
        /// Unsigned 64-bit integer.
        Uint64 = 0x27 => "uint64",
        /// Signed 8-bit integer.
        Int8 = 0x28 => "int8",
        /// Signed 16-bit integer.
        Int16 = 0x29 => "int16",
        /// Signed 24-bit integer.
        Int24 = 0x2a => "int24",
        /// Signed 32-bit integer.
        Int32 = 0x2b => "int32",
        /// Signed 40-bit integer.
        Int40 = 0x2c => "int40",
        /// Signed 48-bit integer.
        Int48 = 0x2d => "int48",
        /// Signed 56-bit integer.
        Int56 = 0x2e => "int56",
        /// Signed 64-bit integer.
        Int64 = 0x2f => "int64",
        /// 8-bit enumeration.
        Enum8 = 0x30 => "enum8",
        /// 16-bit enumeration.
        Enum16 = 0x31 => "enum16",
        /// Semi-precision (half) float.
        SemiFloat = 0x38 => "semi_float",
        /// Single-precision float.
        SingleFloat = 0x39 => "single_float",
        /// Double-precision float.
        DoubleFloat = 0x3a => "double_float",
        /// Octet string, 1-byte length.
        OctetString = 0x41 => "octet_string",
        /// Character string, 1-byte length.
        CharacterString = 0x42 => "character_string",
        /// Long octet string, 2-byte length.
        LongOctetString = 0x43 => "long_octet_string",
        /// Long character string, 2-byte length.
        LongCharacterString = 0x44 => "long_character_string",
        /// Array.
        Array = 0x48 => "array",
        /// Structure.
        Structure = 0x4c => "structure",
        /// Set.
        Set = 0x50 => "set",
        /// Bag.
        Bag = 0x51 => "bag",
        /// Time of day.
        TimeOfDay = 0xe0 => "time_of_day",
        /// Date.
        Date = 0xe1 => "date",
        /// UTC time, seconds since 2000-01-01 00:00:00 UTC.
        UtcTime = 0xe2 => "utc_time",
        /// Cluster identifier.
        ClusterId = 0xe8 => "cluster_id",
        /// Attribute identifier.
        AttributeId = 0xe9 => "attribute_id",
        /// BACnet object identifier.
        BacnetOid = 0xea => "bacnet_oid",
        /// IEEE address.
        IeeeAddress = 0xf0 => "ieee_address",
        /// 128-bit security key.
        SecurityKey = 0xf1 => "security_key",
        /// Unknown (no value follows).
        UnknownType = 0xff => "unknown",
    }
}

/// Kind of an integer-like type: width and signedness.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IntKind {
    Bits,
    Unsigned,
    Signed,
}

/// Kind and width of an integer-like type, from its type code.
#[inline]
fn int_kind_of(code: u8) -> Option<(IntKind, usize)> {
    let width = usize::from(code & 0x07) + 1;
    match code {
        0x08..=0x0f | 0x18..=0x1f => Some((IntKind::Bits, width)),
        0x20..=0x27 => Some((IntKind::Unsigned, width)),
        0x28..=0x2f => Some((IntKind::Signed, width)),
        _ => None,
    }
}

impl DataType {
    fn int_kind(self) -> Option<(IntKind, usize)> {
        if matches!(self, Self::Unknown(_)) {
            return None;
        }
        int_kind_of(self.value())
    }

    /// Size of a value of this type when it is fixed (ZCL rev. 8 table 2-10);
    /// `None` for strings, collections and unknown code points.
    #[must_use]
    pub fn fixed_len(self) -> Option<usize> {
        if let Some((_, w)) = self.int_kind() {
            return Some(w);
        }
        Some(match self {
            Self::NoData | Self::UnknownType => 0,
            Self::Boolean | Self::Enum8 => 1,
            Self::Enum16 | Self::SemiFloat | Self::ClusterId | Self::AttributeId => 2,
            Self::SingleFloat | Self::TimeOfDay | Self::Date | Self::UtcTime | Self::BacnetOid => 4,
            Self::DoubleFloat | Self::IeeeAddress => 8,
            Self::SecurityKey => 16,
            _ => return None,
        })
    }

    /// Whether the type is analog (ZCL rev. 8 2.6.2: signed and unsigned
    /// integers, floats, time of day, date and UTC time); Configure Reporting
    /// carries a reportable change only for these.
    #[must_use]
    pub fn is_analog(self) -> bool {
        matches!(
            self.int_kind(),
            Some((IntKind::Unsigned | IntKind::Signed, _))
        ) || matches!(
            self,
            Self::SemiFloat
                | Self::SingleFloat
                | Self::DoubleFloat
                | Self::TimeOfDay
                | Self::Date
                | Self::UtcTime
        )
    }

    /// Whether the type is discrete (ZCL rev. 8 2.6.2): every named type that is
    /// neither analog nor "no data"/"unknown".
    #[must_use]
    pub fn is_discrete(self) -> bool {
        !self.is_analog()
            && self.label().is_some()
            && !matches!(self, Self::NoData | Self::UnknownType)
    }
}

/// Time of day (ZCL rev. 8 2.6.2.19); 0xff in a field means "unused".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeOfDay {
    /// Hours, 0-23.
    pub hours: u8,
    /// Minutes, 0-59.
    pub minutes: u8,
    /// Seconds, 0-59.
    pub seconds: u8,
    /// Hundredths of a second, 0-99.
    pub hundredths: u8,
}

/// Date (ZCL rev. 8 2.6.2.20); 0xff in a field means "unused".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Year minus 1900.
    pub year: u8,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month, 1-31.
    pub day: u8,
    /// Day of the week, 1 (Monday) to 7.
    pub weekday: u8,
}

/// The elements of an array, set or bag (ZCL rev. 8 2.6.2.12-2.6.2.14):
/// element type, count and the borrowed element bytes, decoded lazily.
///
/// A count of 0xffff is the invalid value and has no elements.
#[derive(Debug, Clone, Copy)]
pub struct Sequence<'a> {
    element_type: DataType,
    count: u16,
    bytes: &'a [u8],
    depth: usize,
}

impl PartialEq for Sequence<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.element_type == other.element_type
            && self.count == other.count
            && self.bytes == other.bytes
    }
}

impl<'a> Sequence<'a> {
    /// A sequence of `count` elements of `element_type` encoded in `bytes`.
    ///
    /// # Errors
    /// [`DecodeError`] when `bytes` are not exactly `count` valid elements.
    pub fn new(element_type: DataType, count: u16, bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, Layer::Zcl);
        if matches!(element_type, DataType::NoData | DataType::UnknownType) {
            return Err(r.invalid(0, "element type", u64::from(element_type.value())));
        }
        if count != 0xffff {
            for _ in 0..count {
                read_value(&mut r, element_type, 1)?;
            }
        }
        r.finish()?;
        Ok(Self {
            element_type,
            count,
            bytes,
            depth: 0,
        })
    }

    /// Type of every element.
    #[must_use]
    pub fn element_type(&self) -> DataType {
        self.element_type
    }

    /// Element count as sent (0xffff: invalid).
    #[must_use]
    pub fn count(&self) -> u16 {
        self.count
    }

    /// The encoded elements.
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The elements, decoded one at a time. They were checked when the
    /// sequence was decoded, so no item is an error.
    #[must_use]
    pub fn iter(&self) -> Elements<'a> {
        Elements {
            r: Reader::new(self.bytes, Layer::Zcl),
            left: if self.count == 0xffff { 0 } else { self.count },
            ty: Some(self.element_type),
            depth: self.depth + 1,
        }
    }
}

/// The members of a structure (ZCL rev. 8 2.6.2.13): count and the borrowed
/// (type, value) pairs, decoded lazily. A count of 0xffff is invalid.
#[derive(Debug, Clone, Copy)]
pub struct Structure<'a> {
    count: u16,
    bytes: &'a [u8],
    depth: usize,
}

impl PartialEq for Structure<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.count == other.count && self.bytes == other.bytes
    }
}

impl<'a> Structure<'a> {
    /// A structure of `count` members, each a type byte and a value, in `bytes`.
    ///
    /// # Errors
    /// [`DecodeError`] when `bytes` are not exactly `count` valid members.
    pub fn new(count: u16, bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, Layer::Zcl);
        if count != 0xffff {
            for _ in 0..count {
                let ty = DataType::from(r.u8("structure element type")?);
                read_value(&mut r, ty, 1)?;
            }
        }
        r.finish()?;
        Ok(Self {
            count,
            bytes,
            depth: 0,
        })
    }

    /// Member count as sent (0xffff: invalid).
    #[must_use]
    pub fn count(&self) -> u16 {
        self.count
    }

    /// The encoded members.
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The members, decoded one at a time (checked at decode).
    #[must_use]
    pub fn iter(&self) -> Elements<'a> {
        Elements {
            r: Reader::new(self.bytes, Layer::Zcl),
            left: if self.count == 0xffff { 0 } else { self.count },
            ty: None,
            depth: self.depth + 1,
        }
    }
}

/// Iterator over the elements of a [`Sequence`] or the members of a [`Structure`].
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    r: Reader<'a>,
    left: u16,
    ty: Option<DataType>,
    depth: usize,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Result<ZclValue<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let ty = match self.ty {
            Some(t) => Ok(t),
            None => self.r.u8("structure element type").map(DataType::from),
        };
        let v = ty.and_then(|ty| read_value(&mut self.r, ty, self.depth));
        if v.is_err() {
            self.left = 0;
        }
        Some(v)
    }
}

/// A typed ZCL value (ZCL rev. 8 2.6.2), borrowing strings and collections.
///
/// Integer-like variants carry their [`DataType`] so that the width re-encodes;
/// signed integers are sign-extended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZclValue<'a> {
    /// No data (0x00).
    NoData,
    /// Unknown (0xff): no value.
    Unknown,
    /// General data or bitmap, 8 to 64 bits (0x08-0x0f, 0x18-0x1f).
    Bits(DataType, u64),
    /// Boolean as sent: 0 false, 1 true, 0xff invalid.
    Boolean(u8),
    /// Unsigned integer, 8 to 64 bits (0x20-0x27).
    Unsigned(DataType, u64),
    /// Signed integer, 8 to 64 bits (0x28-0x2f), sign-extended.
    Signed(DataType, i64),
    /// 8-bit enumeration.
    Enum8(u8),
    /// 16-bit enumeration.
    Enum16(u16),
    /// Semi-precision float, raw IEEE 754 binary16 bits.
    SemiFloat(u16),
    /// Single-precision float.
    SingleFloat(f32),
    /// Double-precision float.
    DoubleFloat(f64),
    /// Octet string; `None` is the invalid value (length 0xff).
    OctetString(Option<&'a [u8]>),
    /// Character string (bytes as sent); `None` is invalid (length 0xff).
    CharacterString(Option<&'a [u8]>),
    /// Long octet string; `None` is invalid (length 0xffff).
    LongOctetString(Option<&'a [u8]>),
    /// Long character string; `None` is invalid (length 0xffff).
    LongCharacterString(Option<&'a [u8]>),
    /// Array.
    Array(Sequence<'a>),
    /// Structure.
    Structure(Structure<'a>),
    /// Set.
    Set(Sequence<'a>),
    /// Bag.
    Bag(Sequence<'a>),
    /// Time of day.
    TimeOfDay(TimeOfDay),
    /// Date.
    Date(Date),
    /// UTC time, seconds since 2000-01-01 00:00:00 UTC.
    UtcTime(u32),
    /// Cluster identifier.
    ClusterId(u16),
    /// Attribute identifier.
    AttributeId(u16),
    /// BACnet object identifier.
    BacnetOid(u32),
    /// IEEE address.
    IeeeAddress(Eui64),
    /// 128-bit security key.
    SecurityKey([u8; 16]),
}

fn all_ones(width: usize) -> u64 {
    if width >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * width)) - 1
    }
}

fn sign_extend(v: u64, width: usize) -> i64 {
    let shift = 64 - 8 * u32::from(u8::try_from(width.clamp(1, 8)).unwrap_or(8));
    ((v << shift) as i64) >> shift
}

fn too_deep(r: &Reader<'_>) -> DecodeError {
    r.error(DecodeErrorKind::TooDeep { limit: MAX_DEPTH })
}

fn read_string<'a>(
    r: &mut Reader<'a>,
    long: bool,
    field: &'static str,
) -> Result<Option<&'a [u8]>, DecodeError> {
    let (len, invalid) = if long {
        (usize::from(r.u16_le(field)?), 0xffff)
    } else {
        (usize::from(r.u8(field)?), 0xff)
    };
    if len == invalid {
        return Ok(None);
    }
    r.bytes(len, field).map(Some)
}

#[inline]
fn read_int<'a>(
    r: &mut Reader<'a>,
    ty: DataType,
    kind: IntKind,
    w: usize,
) -> Result<ZclValue<'a>, DecodeError> {
    let v = r.uint_le(w, "integer value")?;
    Ok(match kind {
        IntKind::Bits => ZclValue::Bits(ty, v),
        IntKind::Unsigned => ZclValue::Unsigned(ty, v),
        IntKind::Signed => ZclValue::Signed(ty, sign_extend(v, w)),
    })
}

/// Reads the value that follows the type code `code` (the type-then-value
/// form of attribute records, ZCL rev. 8 2.5.11.1): [`ZclValue::read`] with
/// the integer types, the usual ones, decided from the code itself.
///
/// # Errors
/// As [`ZclValue::read`].
#[inline]
pub(crate) fn read_coded<'a>(r: &mut Reader<'a>, code: u8) -> Result<ZclValue<'a>, DecodeError> {
    let ty = DataType::from(code);
    match int_kind_of(code) {
        Some((kind, w)) => read_int(r, ty, kind, w),
        None => read_value(r, ty, 0),
    }
}

/// Steps over the value that follows the type code `code`, with the result
/// [`read_coded`] would give but without building the value when its size is fixed.
///
/// # Errors
/// As [`ZclValue::read`].
#[inline]
pub(crate) fn skip_coded(r: &mut Reader<'_>, code: u8) -> Result<(), DecodeError> {
    if let Some((_, w)) = int_kind_of(code) {
        // The field name and width of `read_int`'s, so the same error.
        return r.bytes(w, "integer value").map(drop);
    }
    match DataType::from(code).fixed_len() {
        Some(n) if n <= r.remaining() => r.bytes(n, "value").map(drop),
        _ => skip_by_reading(r, code),
    }
}

/// Strings, collections, truncated and undefined values: read in full, out
/// of line, so that the fixed-size case stays a few instructions.
#[inline(never)]
fn skip_by_reading(r: &mut Reader<'_>, code: u8) -> Result<(), DecodeError> {
    read_value(r, DataType::from(code), 0).map(drop)
}

fn read_value<'a>(
    r: &mut Reader<'a>,
    ty: DataType,
    depth: usize,
) -> Result<ZclValue<'a>, DecodeError> {
    if let Some((kind, w)) = ty.int_kind() {
        return read_int(r, ty, kind, w);
    }
    Ok(match ty {
        DataType::NoData => ZclValue::NoData,
        DataType::Boolean => ZclValue::Boolean(r.u8("boolean")?),
        DataType::Enum8 => ZclValue::Enum8(r.u8("enum8")?),
        DataType::Enum16 => ZclValue::Enum16(r.u16_le("enum16")?),
        DataType::SemiFloat => ZclValue::SemiFloat(r.u16_le("semi-precision float")?),
        DataType::SingleFloat => ZclValue::SingleFloat(f32::from_bits(r.u32_le("float")?)),
        DataType::DoubleFloat => ZclValue::DoubleFloat(f64::from_bits(r.u64_le("double")?)),
        DataType::OctetString => ZclValue::OctetString(read_string(r, false, "octet string")?),
        DataType::CharacterString => {
            ZclValue::CharacterString(read_string(r, false, "character string")?)
        }
        DataType::LongOctetString => {
            ZclValue::LongOctetString(read_string(r, true, "long octet string")?)
        }
        DataType::LongCharacterString => {
            ZclValue::LongCharacterString(read_string(r, true, "long character string")?)
        }
        DataType::Array | DataType::Set | DataType::Bag => {
            if depth >= MAX_DEPTH {
                return Err(too_deep(r));
            }
            let element_type = DataType::from(r.u8("element type")?);
            // Elements with no wire form (no data, unknown) would let a few
            // bytes announce 65,535 of them: refuse them in collections.
            if matches!(element_type, DataType::NoData | DataType::UnknownType) {
                return Err(r.invalid(1, "element type", u64::from(element_type.value())));
            }
            let count = r.u16_le("element count")?;
            let start = r.pos();
            if count != 0xffff {
                for _ in 0..count {
                    read_value(r, element_type, depth + 1)?;
                }
            }
            let bytes = r.input().get(start..r.pos()).unwrap_or_default();
            let s = Sequence {
                element_type,
                count,
                bytes,
                depth,
            };
            match ty {
                DataType::Array => ZclValue::Array(s),
                DataType::Set => ZclValue::Set(s),
                _ => ZclValue::Bag(s),
            }
        }
        DataType::Structure => {
            if depth >= MAX_DEPTH {
                return Err(too_deep(r));
            }
            let count = r.u16_le("structure count")?;
            let start = r.pos();
            if count != 0xffff {
                for _ in 0..count {
                    let t = DataType::from(r.u8("structure element type")?);
                    read_value(r, t, depth + 1)?;
                }
            }
            let bytes = r.input().get(start..r.pos()).unwrap_or_default();
            ZclValue::Structure(Structure {
                count,
                bytes,
                depth,
            })
        }
        DataType::TimeOfDay => {
            let [hours, minutes, seconds, hundredths] = r.array::<4>("time of day")?;
            ZclValue::TimeOfDay(TimeOfDay {
                hours,
                minutes,
                seconds,
                hundredths,
            })
        }
        DataType::Date => {
            let [year, month, day, weekday] = r.array::<4>("date")?;
            ZclValue::Date(Date {
                year,
                month,
                day,
                weekday,
            })
        }
        DataType::UtcTime => ZclValue::UtcTime(r.u32_le("utc time")?),
        DataType::ClusterId => ZclValue::ClusterId(r.u16_le("cluster id")?),
        DataType::AttributeId => ZclValue::AttributeId(r.u16_le("attribute id")?),
        DataType::BacnetOid => ZclValue::BacnetOid(r.u32_le("bacnet oid")?),
        DataType::IeeeAddress => ZclValue::IeeeAddress(r.eui64("ieee address")?),
        DataType::SecurityKey => ZclValue::SecurityKey(r.array::<16>("security key")?),
        DataType::UnknownType => ZclValue::Unknown,
        other => {
            return Err(r.error(DecodeErrorKind::Invalid {
                field: "data type",
                value: u64::from(other.value()),
            }));
        }
    })
}

impl<'a> ZclValue<'a> {
    /// Reads a value of type `ty` from `r` (ZCL rev. 8 2.6.2), following at
    /// most [`MAX_DEPTH`] levels of nested collections.
    ///
    /// # Errors
    /// Truncation, an undefined type code, or [`DecodeErrorKind::TooDeep`].
    pub fn read(r: &mut Reader<'a>, ty: DataType) -> Result<Self, DecodeError> {
        read_value(r, ty, 0)
    }

    /// The type code this value is sent with.
    #[must_use]
    pub fn data_type(&self) -> DataType {
        match self {
            Self::NoData => DataType::NoData,
            Self::Unknown => DataType::UnknownType,
            Self::Bits(t, _) | Self::Unsigned(t, _) | Self::Signed(t, _) => *t,
            Self::Boolean(_) => DataType::Boolean,
            Self::Enum8(_) => DataType::Enum8,
            Self::Enum16(_) => DataType::Enum16,
            Self::SemiFloat(_) => DataType::SemiFloat,
            Self::SingleFloat(_) => DataType::SingleFloat,
            Self::DoubleFloat(_) => DataType::DoubleFloat,
            Self::OctetString(_) => DataType::OctetString,
            Self::CharacterString(_) => DataType::CharacterString,
            Self::LongOctetString(_) => DataType::LongOctetString,
            Self::LongCharacterString(_) => DataType::LongCharacterString,
            Self::Array(_) => DataType::Array,
            Self::Structure(_) => DataType::Structure,
            Self::Set(_) => DataType::Set,
            Self::Bag(_) => DataType::Bag,
            Self::TimeOfDay(_) => DataType::TimeOfDay,
            Self::Date(_) => DataType::Date,
            Self::UtcTime(_) => DataType::UtcTime,
            Self::ClusterId(_) => DataType::ClusterId,
            Self::AttributeId(_) => DataType::AttributeId,
            Self::BacnetOid(_) => DataType::BacnetOid,
            Self::IeeeAddress(_) => DataType::IeeeAddress,
            Self::SecurityKey(_) => DataType::SecurityKey,
        }
    }

    /// Whether the value is the type's invalid value (ZCL rev. 8 table 2-10).
    #[must_use]
    pub fn is_invalid(&self) -> bool {
        match *self {
            Self::Unsigned(t, v) => t.int_kind().is_some_and(|(_, w)| v == all_ones(w)),
            Self::Signed(t, v) => t
                .int_kind()
                .is_some_and(|(_, w)| v == sign_extend(1u64 << (8 * w - 1), w)),
            Self::Boolean(b) | Self::Enum8(b) => b == 0xff,
            Self::Enum16(v) | Self::ClusterId(v) | Self::AttributeId(v) => v == 0xffff,
            Self::SemiFloat(v) => v & 0x7c00 == 0x7c00 && v & 0x03ff != 0,
            Self::SingleFloat(f) => f.is_nan(),
            Self::DoubleFloat(f) => f.is_nan(),
            Self::OctetString(s)
            | Self::CharacterString(s)
            | Self::LongOctetString(s)
            | Self::LongCharacterString(s) => s.is_none(),
            Self::Array(s) | Self::Set(s) | Self::Bag(s) => s.count == 0xffff,
            Self::Structure(s) => s.count == 0xffff,
            Self::TimeOfDay(t) => [t.hours, t.minutes, t.seconds, t.hundredths] == [0xff; 4],
            Self::Date(d) => [d.year, d.month, d.day, d.weekday] == [0xff; 4],
            Self::UtcTime(v) | Self::BacnetOid(v) => v == u32::MAX,
            Self::IeeeAddress(a) => a.to_le_bytes() == [0xff; 8],
            Self::NoData | Self::Unknown | Self::Bits(..) | Self::SecurityKey(_) => false,
        }
    }
}

/// A semi-precision float converted to `f32` (exact: every binary16 value is
/// a binary32 value).
#[must_use]
pub fn half_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1f);
    let frac = u32::from(h & 0x03ff);
    let bits = match (exp, frac) {
        (0, 0) => sign,
        (0, f) => {
            // Subnormal: normalise the fraction.
            let mut e: u32 = 127 - 15 + 1;
            let mut f = f;
            while f & 0x0400 == 0 {
                f <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((f & 0x03ff) << 13)
        }
        (0x1f, f) => sign | 0x7f80_0000 | (f << 13),
        (e, f) => sign | ((e + 127 - 15) << 23) | (f << 13),
    };
    f32::from_bits(bits)
}

impl ZclValue<'_> {
    /// The value of a [`ZclValue::SemiFloat`] as `f32`; `None` for other variants.
    #[must_use]
    pub fn to_f32(&self) -> Option<f32> {
        match *self {
            Self::SemiFloat(h) => Some(half_to_f32(h)),
            Self::SingleFloat(f) => Some(f),
            _ => None,
        }
    }
}

fn string_len(s: Option<&[u8]>, long: bool) -> usize {
    (if long { 2 } else { 1 }) + s.map_or(0, <[u8]>::len)
}

impl Encode for ZclValue<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::OctetString(s) | Self::CharacterString(s) => string_len(*s, false),
            Self::LongOctetString(s) | Self::LongCharacterString(s) => string_len(*s, true),
            Self::Array(s) | Self::Set(s) | Self::Bag(s) => 3 + s.bytes.len(),
            Self::Structure(s) => 2 + s.bytes.len(),
            other => other.data_type().fixed_len().unwrap_or(0),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let ty = self.data_type();
        match *self {
            Self::Bits(t, v) | Self::Unsigned(t, v) => {
                let want = if matches!(self, Self::Bits(..)) {
                    IntKind::Bits
                } else {
                    IntKind::Unsigned
                };
                match t.int_kind() {
                    Some((k, w)) if k == want => {
                        if v > all_ones(w) {
                            return Err(EncodeError::unrepresentable(Layer::Zcl, "integer", v));
                        }
                    }
                    _ => {
                        return Err(EncodeError::inconsistent(Layer::Zcl, "data type"));
                    }
                }
            }
            Self::Signed(t, v) => match t.int_kind() {
                Some((IntKind::Signed, w)) => {
                    if sign_extend(v as u64, w) != v {
                        return Err(EncodeError::unrepresentable(
                            Layer::Zcl,
                            "signed integer",
                            v as u64,
                        ));
                    }
                }
                _ => return Err(EncodeError::inconsistent(Layer::Zcl, "data type")),
            },
            Self::OctetString(Some(s)) | Self::CharacterString(Some(s)) if s.len() > 254 => {
                return Err(EncodeError::unrepresentable(
                    Layer::Zcl,
                    "string length",
                    s.len() as u64,
                ));
            }
            Self::LongOctetString(Some(s)) | Self::LongCharacterString(Some(s))
                if s.len() > 0xfffe =>
            {
                return Err(EncodeError::unrepresentable(
                    Layer::Zcl,
                    "long string length",
                    s.len() as u64,
                ));
            }
            Self::Array(s) | Self::Set(s) | Self::Bag(s)
                if s.count == 0xffff && !s.bytes.is_empty() =>
            {
                return Err(EncodeError::inconsistent(Layer::Zcl, "element count"));
            }
            Self::Structure(s) if s.count == 0xffff && !s.bytes.is_empty() => {
                return Err(EncodeError::inconsistent(Layer::Zcl, "structure count"));
            }
            _ => {}
        }
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        let _ = ty;
        match *self {
            Self::NoData | Self::Unknown => {}
            Self::Bits(t, v) | Self::Unsigned(t, v) => {
                let w = t.fixed_len().unwrap_or(0);
                out.put_slice(v.to_le_bytes().get(..w).unwrap_or_default());
            }
            Self::Signed(t, v) => {
                let w = t.fixed_len().unwrap_or(0);
                out.put_slice(v.to_le_bytes().get(..w).unwrap_or_default());
            }
            Self::Boolean(b) | Self::Enum8(b) => out.put_u8(b),
            Self::Enum16(v) | Self::SemiFloat(v) | Self::ClusterId(v) | Self::AttributeId(v) => {
                out.put_u16_le(v);
            }
            Self::SingleFloat(f) => out.put_u32_le(f.to_bits()),
            Self::DoubleFloat(f) => out.put_u64_le(f.to_bits()),
            Self::OctetString(s) | Self::CharacterString(s) => match s {
                Some(s) => {
                    out.put_u8(u8::try_from(s.len()).unwrap_or(0xff));
                    out.put_slice(s);
                }
                None => out.put_u8(0xff),
            },
            Self::LongOctetString(s) | Self::LongCharacterString(s) => match s {
                Some(s) => {
                    out.put_u16_le(u16::try_from(s.len()).unwrap_or(0xffff));
                    out.put_slice(s);
                }
                None => out.put_u16_le(0xffff),
            },
            Self::Array(s) | Self::Set(s) | Self::Bag(s) => {
                out.put_u8(s.element_type.value());
                out.put_u16_le(s.count);
                out.put_slice(s.bytes);
            }
            Self::Structure(s) => {
                out.put_u16_le(s.count);
                out.put_slice(s.bytes);
            }
            Self::TimeOfDay(t) => out.put_slice(&[t.hours, t.minutes, t.seconds, t.hundredths]),
            Self::Date(d) => out.put_slice(&[d.year, d.month, d.day, d.weekday]),
            Self::UtcTime(v) | Self::BacnetOid(v) => out.put_u32_le(v),
            Self::IeeeAddress(a) => out.put_slice(&a.to_le_bytes()),
            Self::SecurityKey(k) => out.put_slice(&k),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn one(ty: u8, bytes: &[u8]) -> ZclValue<'_> {
        let mut r = Reader::new(bytes, Layer::Zcl);
        let v = ZclValue::read(&mut r, DataType::from(ty)).unwrap();
        r.finish().unwrap();
        assert_eq!(v.to_vec().unwrap(), bytes);
        v
    }

    #[test]
    fn integers_from_real_frames() {
        // zbtk zcl_cmd_read_attr_rsp: uint8 136 and int8 -66 (0xbe).
        assert_eq!(one(0x20, &[0x88]), ZclValue::Unsigned(DataType::Uint8, 136));
        assert_eq!(one(0x28, &[0xbe]), ZclValue::Signed(DataType::Int8, -66));
        // zbtk zcl_cmd_report_attr: int16 1707.
        assert_eq!(
            one(0x29, &[0xab, 0x06]),
            ZclValue::Signed(DataType::Int16, 1707)
        );
        // zbtk zcl_cmd_read_attr_rsp3: UTC time 536929374 and the invalid 0xffffffff.
        let utc = 536_929_374u32.to_le_bytes();
        let t = one(0xe2, &utc);
        assert_eq!(t, ZclValue::UtcTime(536_929_374));
        assert!(!t.is_invalid());
        assert!(one(0xe2, &[0xff; 4]).is_invalid());
        // SE CurrentSummationDelivered is uint48; InstantaneousDemand int24.
        let v = one(0x25, &[0xff; 6]);
        assert_eq!(v, ZclValue::Unsigned(DataType::Uint48, 0xffff_ffff_ffff));
        assert!(v.is_invalid());
        let d = one(0x2a, &[0xfe, 0xff, 0xff]);
        assert_eq!(d, ZclValue::Signed(DataType::Int24, -2));
        assert!(!d.is_invalid());
        assert!(one(0x2a, &[0x00, 0x00, 0x80]).is_invalid());
        assert_eq!(
            one(0x2a, &[0x00, 0x00, 0x80]),
            ZclValue::Signed(DataType::Int24, -0x80_0000)
        );
        assert!(one(0x2f, &[0, 0, 0, 0, 0, 0, 0, 0x80]).is_invalid());
        assert!(one(0x27, &[0xff; 8]).is_invalid());
    }

    #[test]
    fn strings_and_invalid_lengths() {
        let v = one(0x42, b"\x05hello");
        assert_eq!(v, ZclValue::CharacterString(Some(b"hello")));
        assert!(one(0x41, &[0xff]).is_invalid());
        assert_eq!(one(0x43, &[0xff, 0xff]), ZclValue::LongOctetString(None));
        assert_eq!(
            one(0x44, &[2, 0, b'h', b'i']),
            ZclValue::LongCharacterString(Some(b"hi"))
        );
        let big = [0u8; 255];
        assert!(ZclValue::OctetString(Some(&big)).to_vec().is_err());
        assert!(ZclValue::OctetString(Some(&big[..254])).to_vec().is_ok());
    }

    #[test]
    fn floats() {
        let h = one(0x38, &[0x00, 0x3c]);
        assert_eq!(h.to_f32(), Some(1.0));
        assert_eq!(half_to_f32(0xc000), -2.0);
        assert_eq!(half_to_f32(0x0001), 5.960_464_5e-8);
        assert!(half_to_f32(0x7e00).is_nan());
        assert!(one(0x38, &[0x00, 0x7e]).is_invalid());
        assert_eq!(one(0x39, &1.5f32.to_le_bytes()), ZclValue::SingleFloat(1.5));
        assert!(one(0x3a, &f64::NAN.to_le_bytes()).is_invalid());
    }

    #[test]
    fn collections_iterate_lazily() {
        // Array of three uint16, then a structure of (uint8, char string).
        let arr = [0x21, 3, 0, 1, 0, 2, 0, 3, 0];
        let ZclValue::Array(s) = one(0x48, &arr) else {
            panic!()
        };
        assert_eq!(s.element_type(), DataType::Uint16);
        let items: Vec<_> = s.iter().map(Result::unwrap).collect();
        assert_eq!(
            items,
            [1, 2, 3].map(|v| ZclValue::Unsigned(DataType::Uint16, v))
        );
        let st = [2, 0, 0x20, 7, 0x42, 2, b'o', b'k'];
        let ZclValue::Structure(s) = one(0x4c, &st) else {
            panic!()
        };
        let items: Vec<_> = s.iter().map(Result::unwrap).collect();
        assert_eq!(
            items,
            [
                ZclValue::Unsigned(DataType::Uint8, 7),
                ZclValue::CharacterString(Some(b"ok"))
            ]
        );
        assert!(one(0x50, &[0x20, 0xff, 0xff]).is_invalid());
        assert_eq!(
            Sequence::new(DataType::Uint16, 3, &arr[3..]).unwrap(),
            s_of(&arr)
        );
        assert!(Sequence::new(DataType::Uint16, 4, &arr[3..]).is_err());
        for cut in 0..arr.len() {
            let mut r = Reader::new(&arr[..cut], Layer::Zcl);
            assert!(ZclValue::read(&mut r, DataType::Array).is_err());
        }
        for cut in 0..st.len() {
            let mut r = Reader::new(&st[..cut], Layer::Zcl);
            assert!(ZclValue::read(&mut r, DataType::Structure).is_err());
        }
    }

    fn s_of(arr: &[u8]) -> Sequence<'_> {
        match one(0x48, arr) {
            ZclValue::Array(s) => s,
            _ => panic!(),
        }
    }

    #[test]
    fn deep_nesting_is_too_deep() {
        // 10000 nested arrays, each holding one array.
        let mut b = Vec::new();
        for _ in 0..10_000 {
            b.extend_from_slice(&[0x48, 1, 0]);
        }
        let mut r = Reader::new(&b, Layer::Zcl);
        let e = ZclValue::read(&mut r, DataType::Array).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
        // Exactly MAX_DEPTH levels decode.
        let mut ok = Vec::new();
        for _ in 0..MAX_DEPTH - 1 {
            ok.extend_from_slice(&[0x48, 1, 0]);
        }
        ok.extend_from_slice(&[0x20, 0, 0]);
        let mut r = Reader::new(&ok, Layer::Zcl);
        assert!(ZclValue::read(&mut r, DataType::Array).is_ok());
        // Structures count too.
        let mut st = Vec::new();
        for _ in 0..20 {
            st.extend_from_slice(&[1, 0, 0x4c]);
        }
        let mut r = Reader::new(&st, Layer::Zcl);
        let e = ZclValue::read(&mut r, DataType::Structure).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
    }

    #[test]
    fn classification_and_lengths() {
        assert_eq!(DataType::Uint48.label(), Some("uint48"));
        assert_eq!(DataType::OctetString.label(), Some("octet_string"));
        assert_eq!(DataType::UtcTime.label(), Some("utc_time"));
        assert_eq!(DataType::Uint24.fixed_len(), Some(3));
        assert_eq!(DataType::Int56.fixed_len(), Some(7));
        assert_eq!(DataType::SecurityKey.fixed_len(), Some(16));
        assert_eq!(DataType::OctetString.fixed_len(), None);
        assert_eq!(DataType::from(0x01).fixed_len(), None);
        assert!(DataType::Int24.is_analog());
        assert!(DataType::UtcTime.is_analog());
        assert!(!DataType::Bitmap8.is_analog());
        assert!(DataType::Bitmap8.is_discrete());
        assert!(DataType::Enum8.is_discrete());
        assert!(!DataType::Uint8.is_discrete());
        let mut r = Reader::new(&[1], Layer::Zcl);
        assert!(ZclValue::read(&mut r, DataType::from(0x01)).is_err());
    }

    #[test]
    fn encoder_rejects_values_that_do_not_fit() {
        assert!(
            ZclValue::Unsigned(DataType::Uint24, 1 << 24)
                .to_vec()
                .is_err()
        );
        assert!(ZclValue::Signed(DataType::Int24, 1 << 23).to_vec().is_err());
        assert!(
            ZclValue::Signed(DataType::Int24, -(1 << 23))
                .to_vec()
                .is_ok()
        );
        assert!(ZclValue::Unsigned(DataType::Int8, 1).to_vec().is_err());
        assert!(ZclValue::Bits(DataType::Uint8, 1).to_vec().is_err());
    }

    fn arb_fixed() -> impl Strategy<Value = (u8, Vec<u8>)> {
        let types: Vec<u8> = DataType::ALL
            .iter()
            .filter(|t| t.fixed_len().is_some())
            .map(|t| t.value())
            .collect();
        proptest::sample::select(types).prop_flat_map(|t| {
            let n = DataType::from(t).fixed_len().unwrap();
            (Just(t), proptest::collection::vec(any::<u8>(), n))
        })
    }

    proptest! {
        #[test]
        fn fixed_types_round_trip((t, bytes) in arb_fixed()) {
            let mut r = Reader::new(&bytes, Layer::Zcl);
            let v = ZclValue::read(&mut r, DataType::from(t)).unwrap();
            prop_assert!(r.is_empty());
            prop_assert_eq!(v.data_type(), DataType::from(t));
            let enc = v.to_vec().unwrap();
            prop_assert_eq!(&enc, &bytes);
            let mut r = Reader::new(&enc, Layer::Zcl);
            let w = ZclValue::read(&mut r, DataType::from(t)).unwrap();
            prop_assert_eq!(w.to_vec().unwrap(), enc);
        }

        #[test]
        fn integers_round_trip(t in 0x20u8..=0x2f, v in any::<u64>()) {
            let ty = DataType::from(t);
            let w = ty.fixed_len().unwrap();
            let x = if t >= 0x28 {
                ZclValue::Signed(ty, sign_extend(v, w))
            } else {
                ZclValue::Unsigned(ty, v & all_ones(w))
            };
            let bytes = x.to_vec().unwrap();
            let mut r = Reader::new(&bytes, Layer::Zcl);
            prop_assert_eq!(ZclValue::read(&mut r, ty).unwrap(), x);
        }

        #[test]
        fn strings_round_trip(t in proptest::sample::select(vec![0x41u8, 0x42, 0x43, 0x44]),
                              s in proptest::collection::vec(any::<u8>(), 0..300)) {
            let x = match t {
                0x41 => ZclValue::OctetString(Some(&s)),
                0x42 => ZclValue::CharacterString(Some(&s)),
                0x43 => ZclValue::LongOctetString(Some(&s)),
                _ => ZclValue::LongCharacterString(Some(&s)),
            };
            match x.to_vec() {
                Ok(bytes) => {
                    let mut r = Reader::new(&bytes, Layer::Zcl);
                    prop_assert_eq!(ZclValue::read(&mut r, DataType::from(t)).unwrap(), x);
                }
                Err(_) => prop_assert!(t < 0x43 && s.len() > 254),
            }
        }

        #[test]
        fn any_bytes_decode_or_fail_cleanly(t in any::<u8>(),
                                            bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let mut r = Reader::new(&bytes, Layer::Zcl);
            if let Ok(v) = ZclValue::read(&mut r, DataType::from(t)) {
                let n = r.pos();
                prop_assert_eq!(v.to_vec().unwrap(), &bytes[..n]);
                for e in v_children(&v) {
                    prop_assert!(e.is_ok());
                }
            }
        }
    }

    fn v_children<'a>(v: &ZclValue<'a>) -> Vec<Result<ZclValue<'a>, DecodeError>> {
        match v {
            ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) => s.iter().collect(),
            ZclValue::Structure(s) => s.iter().collect(),
            _ => Vec::new(),
        }
    }
}
