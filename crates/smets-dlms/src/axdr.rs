//! A-XDR encoding of DLMS data (IEC 62056-6-2 / DLMS Blue Book 4.1.5, the
//! `Data` CHOICE; IEC 61334-6 A-XDR rules), decoded without copying and
//! re-encoded byte for byte. It does not interpret values (COSEM classes,
//! scalers, units); `compact` unpacks the contents of a compact-array.

use core::fmt;

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Layer, Reader, ber, ensure_room,
    open_enum,
};

const LAYER: Layer = Layer::Dlms;

/// Deepest nesting of arrays, structures and compact-array type
/// descriptions the decoder accepts; the outermost element is at depth 1.
/// Deeper input is a [`DecodeErrorKind::TooDeep`] error, so that hostile
/// bytes cannot exhaust the stack.
pub const MAX_DEPTH: usize = 32;

/// Length of a date-time value (IEC 62056-6-2 4.1.6.1).
pub const DATE_TIME_LEN: usize = 12;
/// Length of a date value (IEC 62056-6-2 4.1.6.1).
pub const DATE_LEN: usize = 5;
/// Length of a time value (IEC 62056-6-2 4.1.6.1).
pub const TIME_LEN: usize = 4;

open_enum! {
    /// The tag of a `Data` CHOICE alternative (DLMS Blue Book 4.1.5).
    pub enum DataTag: u8 {
        /// null-data \[0\].
        NullData = 0 => "null_data",
        /// array \[1\]: SEQUENCE OF Data, all of one type.
        Array = 1 => "array",
        /// structure \[2\]: SEQUENCE OF Data.
        Structure = 2 => "structure",
        /// boolean \[3\].
        Boolean = 3 => "boolean",
        /// bit-string \[4\].
        BitString = 4 => "bit_string",
        /// double-long \[5\]: Integer32.
        DoubleLong = 5 => "double_long",
        /// double-long-unsigned \[6\]: Unsigned32.
        DoubleLongUnsigned = 6 => "double_long_unsigned",
        /// octet-string \[9\].
        OctetString = 9 => "octet_string",
        /// visible-string \[10\].
        VisibleString = 10 => "visible_string",
        /// utf8-string \[12\].
        Utf8String = 12 => "utf8_string",
        /// bcd \[13\]: Integer8.
        Bcd = 13 => "bcd",
        /// integer \[15\]: Integer8.
        Integer = 15 => "integer",
        /// long \[16\]: Integer16.
        Long = 16 => "long",
        /// unsigned \[17\]: Unsigned8.
        Unsigned = 17 => "unsigned",
        /// long-unsigned \[18\]: Unsigned16.
        LongUnsigned = 18 => "long_unsigned",
        /// compact-array \[19\].
        CompactArray = 19 => "compact_array",
        /// long64 \[20\]: Integer64.
        Long64 = 20 => "long64",
        /// long64-unsigned \[21\]: Unsigned64.
        Long64Unsigned = 21 => "long64_unsigned",
        /// enum \[22\].
        Enum = 22 => "enum",
        /// float32 \[23\].
        Float32 = 23 => "float32",
        /// float64 \[24\].
        Float64 = 24 => "float64",
        /// date-time \[25\]: OCTET STRING (SIZE(12)).
        DateTime = 25 => "date_time",
        /// date \[26\]: OCTET STRING (SIZE(5)).
        Date = 26 => "date",
        /// time \[27\]: OCTET STRING (SIZE(4)).
        Time = 27 => "time",
        /// don't-care \[255\].
        DontCare = 255 => "dont_care",
    }
}

/// One value of the DLMS `Data` CHOICE (DLMS Blue Book 4.1.5).
///
/// Fixed-size values are held by value, multi-byte integers already read
/// big-endian; strings borrow their bytes. Visible and UTF-8 strings are not
/// checked, so that every received byte survives a round trip
/// (`core::str::from_utf8` reads them).
///
/// ```
/// use smets_core::{Decode, Encode};
/// use smets_dlms::axdr::Data;
///
/// // A GBCS alert body: structure {alert code 0x8F30, time stamp}.
/// let bytes = [
///     0x02, 0x02, 0x12, 0x8F, 0x30, 0x09, 0x0C, 0x07, 0xDF, 0x01, 0x01, 0xFF, 0x00, 0x00,
///     0x00, 0x00, 0x80, 0x00, 0xFF,
/// ];
/// let body = Data::decode(&bytes).unwrap();
/// let mut elements = body.elements().unwrap();
/// assert_eq!(elements.next(), Some(Data::LongUnsigned(0x8F30)));
/// assert_eq!(elements.next().unwrap().octet_string().unwrap()[..2], [0x07, 0xDF]);
/// assert_eq!(body.to_vec().unwrap(), bytes);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data<'a> {
    /// null-data \[0\].
    NullData,
    /// array \[1\].
    Array(Elements<'a>),
    /// structure \[2\].
    Structure(Elements<'a>),
    /// boolean \[3\]: the byte as sent, `00` FALSE and any other value
    /// TRUE (GBCS sends `FF`).
    Boolean(u8),
    /// bit-string \[4\].
    BitString(BitString<'a>),
    /// double-long \[5\].
    DoubleLong(i32),
    /// double-long-unsigned \[6\].
    DoubleLongUnsigned(u32),
    /// octet-string \[9\].
    OctetString(&'a [u8]),
    /// visible-string \[10\], unchecked.
    VisibleString(&'a [u8]),
    /// utf8-string \[12\], unchecked.
    Utf8String(&'a [u8]),
    /// bcd \[13\], the byte as sent.
    Bcd(u8),
    /// integer \[15\].
    Integer(i8),
    /// long \[16\].
    Long(i16),
    /// unsigned \[17\].
    Unsigned(u8),
    /// long-unsigned \[18\].
    LongUnsigned(u16),
    /// compact-array \[19\].
    CompactArray(CompactArray<'a>),
    /// long64 \[20\].
    Long64(i64),
    /// long64-unsigned \[21\].
    Long64Unsigned(u64),
    /// enum \[22\].
    Enum(u8),
    /// float32 \[23\]: the IEEE 754 bits as sent (`f32::from_bits` reads them).
    Float32(u32),
    /// float64 \[24\]: the IEEE 754 bits as sent (`f64::from_bits` reads them).
    Float64(u64),
    /// date-time \[25\] (IEC 62056-6-2 4.1.6.1), bytes as sent.
    DateTime([u8; DATE_TIME_LEN]),
    /// date \[26\], bytes as sent.
    Date([u8; DATE_LEN]),
    /// time \[27\], bytes as sent.
    Time([u8; TIME_LEN]),
    /// don't-care \[255\].
    DontCare,
}

/// A bit-string \[4\]: its length in bits and the `ceil(bits / 8)` bytes
/// that hold them, first bit in the most significant bit of the first byte
/// (IEC 61334-6 A-XDR).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BitString<'a> {
    /// Number of bits.
    pub bits: usize,
    /// The bytes holding them; unused trailing bits kept as sent.
    pub bytes: &'a [u8],
}

/// A compact-array \[19\] (DLMS Blue Book 4.1.5): the type description of
/// its elements and the packed contents, both as sent. The decoder checks
/// that the type description is well formed and where it ends;
/// [`CompactArray::elements`] unpacks the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompactArray<'a> {
    /// TypeDescription: a tag tree (`01` + Unsigned16 count + element type,
    /// `02` + count + member types, or a simple type tag).
    pub type_description: &'a [u8],
    /// array-contents: the elements packed without tags.
    pub contents: &'a [u8],
}

/// The elements of an array, a structure or a list of data: a borrowed
/// iterator that decodes each element as it is reached.
///
/// Decoded lists were checked in full when their container was decoded, so
/// iteration cannot fail. A list can also be built from a slice of values
/// to encode ([`Elements::from_items`]). Two lists are equal when they yield
/// equal elements.
#[derive(Clone, Copy)]
pub struct Elements<'a> {
    source: Source<'a>,
    /// Elements left.
    left: usize,
}

#[derive(Clone, Copy)]
enum Source<'a> {
    /// Elements checked in `buf`, the next one at `pos`.
    Encoded { buf: &'a [u8], pos: usize },
    /// Elements given as values; the next one is `all[next]`.
    Items { all: &'a [Data<'a>], next: usize },
    /// Elements packed without tags in compact-array contents `buf`, the
    /// next one at `pos`, checked when the compact-array was unpacked. When
    /// `repeat`, every element has the type description `types`; else
    /// `types` holds one description per element left, the next one first.
    Packed {
        types: &'a [u8],
        repeat: bool,
        buf: &'a [u8],
        pos: usize,
    },
}

impl<'a> Elements<'a> {
    /// A list with no elements.
    pub const EMPTY: Elements<'static> = Elements {
        source: Source::Items { all: &[], next: 0 },
        left: 0,
    };

    /// A list holding `items`, for encoding.
    #[must_use]
    pub const fn from_items(items: &'a [Data<'a>]) -> Self {
        Self {
            source: Source::Items {
                all: items,
                next: 0,
            },
            left: items.len(),
        }
    }

    /// Decodes an A-XDR `SEQUENCE OF Data` (an A-XDR length giving the
    /// element count, then the elements) starting at `at` in `buf`; returns
    /// the list and the offset where it ends. Offsets are relative to `buf`.
    ///
    /// # Errors
    /// A [`DecodeError`] when a length, a tag or an element is malformed or
    /// truncated, the count exceeds the bytes left, or nesting is deeper than
    /// [`MAX_DEPTH`].
    pub fn decode_sequence_at(buf: &'a [u8], at: usize) -> Result<(Self, usize), DecodeError> {
        sequence_at(buf, at, 0)
    }

    /// Elements not yet iterated.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.left
    }

    /// True when no element is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// Elements packed in compact-array contents `buf` from `pos`, already
    /// checked (see [`Source::Packed`]).
    pub(crate) const fn packed(
        types: &'a [u8],
        repeat: bool,
        buf: &'a [u8],
        pos: usize,
        count: usize,
    ) -> Self {
        Self {
            source: Source::Packed {
                types,
                repeat,
                buf,
                pos,
            },
            left: count,
        }
    }

    /// Offset of the next element in the buffer the list was decoded from;
    /// for elements of a compact-array, in its contents; for a list built
    /// from values, in the encoding of its elements.
    #[must_use]
    pub fn offset(&self) -> usize {
        match self.source {
            Source::Encoded { pos, .. } | Source::Packed { pos, .. } => pos,
            Source::Items { all, next } => all
                .get(..next)
                .unwrap_or_default()
                .iter()
                .map(Encode::encoded_len)
                .sum(),
        }
    }

    /// The next element with its offset (see [`Elements::offset`]) and
    /// length there (packed, for elements of a compact-array).
    pub fn next_with_span(&mut self) -> Option<(usize, usize, Data<'a>)> {
        let at = self.offset();
        let data = self.next()?;
        let len = match self.source {
            Source::Encoded { pos, .. } | Source::Packed { pos, .. } => pos - at,
            Source::Items { .. } => data.encoded_len(),
        };
        Some((at, len, data))
    }

    /// Bytes of the elements left as they encode, without the count: for
    /// decoded elements, not their span in the input, which can be longer
    /// (lengths in a non-minimal form) or unrelated (packed elements).
    fn contents_len(&self) -> usize {
        match self.source {
            Source::Items { all, next } => all
                .get(next..)
                .unwrap_or_default()
                .iter()
                .map(Encode::encoded_len)
                .sum(),
            Source::Encoded { .. } | Source::Packed { .. } => {
                { *self }.map(|d| d.encoded_len()).sum()
            }
        }
    }

    /// Bytes of the list encoded as an A-XDR `SEQUENCE OF Data`: the count,
    /// then the elements left.
    pub(crate) fn encoded_len(&self) -> usize {
        ber::length_len(self.left) + self.contents_len()
    }

    /// Checks what the decoder would reject in the elements left, taken as
    /// a top-level `SEQUENCE OF Data`.
    pub(crate) fn check_sequence(&self) -> Result<(), EncodeError> {
        check_length(self.left, "element count")?;
        { *self }.try_for_each(|d| d.check(0))
    }

    /// Writes the count and the elements left; call after
    /// [`Elements::check_sequence`] and a room check.
    pub(crate) fn put_sequence<B: BufMut>(&self, out: &mut B) {
        ber::put_length(out, self.left);
        for d in *self {
            d.put(out);
        }
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Data<'a>;

    fn next(&mut self) -> Option<Data<'a>> {
        if self.left == 0 {
            return None;
        }
        let data = match &mut self.source {
            Source::Encoded { buf, pos, .. } => {
                let (data, end) = checked_at(buf, *pos)?;
                *pos = end;
                data
            }
            Source::Items { all, next } => {
                let data = *all.get(*next)?;
                *next += 1;
                data
            }
            Source::Packed {
                types,
                repeat,
                buf,
                pos,
            } => {
                let (data, type_len, end) = crate::compact::packed_at(types, buf, *pos, 0).ok()?;
                *pos = end;
                if !*repeat {
                    *types = types.get(type_len..)?;
                }
                data
            }
        };
        self.left -= 1;
        Some(data)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Elements<'_> {}

impl PartialEq for Elements<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.left == other.left && (*self).eq(*other)
    }
}

impl Eq for Elements<'_> {}

impl fmt::Debug for Elements<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

fn check_length(n: usize, field: &'static str) -> Result<(), EncodeError> {
    if u32::try_from(n).is_ok() {
        Ok(())
    } else {
        Err(EncodeError::unrepresentable(LAYER, field, n as u64))
    }
}

/// A reader over `buf` positioned at `at`, reporting offsets in `buf`.
fn reader_at(buf: &[u8], at: usize) -> Result<Reader<'_>, DecodeError> {
    let rest = buf.get(at..).ok_or_else(|| {
        DecodeError::truncated(LAYER, buf.len(), "data", at.saturating_sub(buf.len()), 0)
    })?;
    Ok(Reader::with_base(rest, LAYER, at))
}

fn too_deep(offset: usize) -> DecodeError {
    DecodeError::new(LAYER, offset, DecodeErrorKind::TooDeep { limit: MAX_DEPTH })
}

/// Reads a count and checks it against the bytes left: every element takes
/// at least one byte, so a larger count is a lie.
fn read_count(r: &mut Reader<'_>, field: &'static str) -> Result<usize, DecodeError> {
    let start = r.pos();
    let count = r.ber_length(field)?;
    if count > r.remaining() {
        return Err(r.invalid(r.pos() - start, field, count as u64));
    }
    Ok(count)
}

/// Decodes `count` elements from `at` at nesting `depth` (the container's).
fn elements_at(
    buf: &[u8],
    at: usize,
    count: usize,
    depth: usize,
) -> Result<(Elements<'_>, usize), DecodeError> {
    let mut end = at;
    for _ in 0..count {
        end = match valid_end(buf, end, depth) {
            Some(e) => e,
            // The slow path finds the exact error, or takes a compact array.
            None => decode_at(buf, end, depth)?.1,
        };
    }
    Ok((
        Elements {
            source: Source::Encoded { buf, pos: at },
            left: count,
        },
        end,
    ))
}

/// The element at `at` of a list that was checked when it was decoded, and
/// where it ends. A container's members are skipped, not decoded again: a
/// consumer that walks a tree then reads each byte once per level, not
/// once per level per level.
fn checked_at(buf: &[u8], at: usize) -> Option<(Data<'_>, usize)> {
    let mut r = reader_at(buf, at).ok()?;
    let tag = DataTag::from(r.u8("data tag").ok()?);
    if !matches!(tag, DataTag::Array | DataTag::Structure) {
        return decode_at(buf, at, 0).ok();
    }
    let count = r.ber_length("element count").ok()?;
    let start = at + r.pos();
    let mut end = start;
    for _ in 0..count {
        end = skip_checked(buf, end)?;
    }
    let elements = Elements {
        source: Source::Encoded { buf, pos: start },
        left: count,
    };
    let data = if tag == DataTag::Array {
        Data::Array(elements)
    } else {
        Data::Structure(elements)
    };
    Some((data, end))
}

/// Where the checked element at `at` ends (see [`checked_at`]), read from
/// its tag and lengths alone; recursion is bounded by the depth the check
/// allowed.
fn skip_checked(buf: &[u8], at: usize) -> Option<usize> {
    let tag = *buf.get(at)?;
    let at = at + 1;
    let fixed = match DataTag::from(tag) {
        DataTag::Array | DataTag::Structure => {
            let (count, mut end) = checked_length(buf, at)?;
            for _ in 0..count {
                end = skip_checked(buf, end)?;
            }
            return Some(end);
        }
        DataTag::OctetString | DataTag::VisibleString | DataTag::Utf8String => {
            let (n, end) = checked_length(buf, at)?;
            return end.checked_add(n);
        }
        DataTag::BitString => {
            let (bits, end) = checked_length(buf, at)?;
            return end.checked_add(bits.div_ceil(8));
        }
        DataTag::CompactArray => return decode_at(buf, at - 1, 0).ok().map(|(_, end)| end),
        DataTag::NullData | DataTag::DontCare => 0,
        DataTag::Boolean | DataTag::Bcd | DataTag::Integer | DataTag::Unsigned | DataTag::Enum => 1,
        DataTag::Long | DataTag::LongUnsigned => 2,
        DataTag::DoubleLong | DataTag::DoubleLongUnsigned | DataTag::Float32 | DataTag::Time => 4,
        DataTag::Date => DATE_LEN,
        DataTag::Long64 | DataTag::Long64Unsigned | DataTag::Float64 => 8,
        DataTag::DateTime => DATE_TIME_LEN,
        DataTag::Unknown(_) => return None,
    };
    Some(at + fixed)
}

/// Where the element at `at` ends when it is well formed and holds no
/// compact array, checked as [`decode_at`] checks it at nesting `depth` but
/// without building values; `None` otherwise, for [`decode_at`] to say why.
fn valid_end(buf: &[u8], at: usize, depth: usize) -> Option<usize> {
    let depth = depth + 1;
    if depth > MAX_DEPTH {
        return None;
    }
    let tag = *buf.get(at)?;
    let at = at + 1;
    let fixed = match DataTag::from(tag) {
        DataTag::Array | DataTag::Structure => {
            let (count, mut end) = strict_length(buf, at)?;
            if count > buf.len().saturating_sub(end) {
                return None;
            }
            for _ in 0..count {
                end = valid_end(buf, end, depth)?;
            }
            return Some(end);
        }
        DataTag::OctetString | DataTag::VisibleString | DataTag::Utf8String => {
            let (n, end) = strict_length(buf, at)?;
            return end.checked_add(n).filter(|&e| e <= buf.len());
        }
        DataTag::BitString => {
            let (bits, end) = strict_length(buf, at)?;
            return end
                .checked_add(bits.div_ceil(8))
                .filter(|&e| e <= buf.len());
        }
        DataTag::CompactArray | DataTag::Unknown(_) => return None,
        DataTag::NullData | DataTag::DontCare => 0,
        DataTag::Boolean | DataTag::Bcd | DataTag::Integer | DataTag::Unsigned | DataTag::Enum => 1,
        DataTag::Long | DataTag::LongUnsigned => 2,
        DataTag::DoubleLong | DataTag::DoubleLongUnsigned | DataTag::Float32 | DataTag::Time => 4,
        DataTag::Date => DATE_LEN,
        DataTag::Long64 | DataTag::Long64Unsigned | DataTag::Float64 => 8,
        DataTag::DateTime => DATE_TIME_LEN,
    };
    Some(at + fixed).filter(|&e| e <= buf.len())
}

/// A BER definite length at `at` as [`Reader::ber_length`] accepts it (one
/// to four length octets), and where it ends.
fn strict_length(buf: &[u8], at: usize) -> Option<(usize, usize)> {
    let first = *buf.get(at)?;
    if first < 0x80 {
        return Some((usize::from(first), at + 1));
    }
    let k = usize::from(first & 0x7f);
    if k == 0 || k > 4 {
        return None;
    }
    checked_length(buf, at)
}

/// A BER definite length at `at` of checked input, and where it ends.
fn checked_length(buf: &[u8], at: usize) -> Option<(usize, usize)> {
    let first = *buf.get(at)?;
    if first < 0x80 {
        return Some((usize::from(first), at + 1));
    }
    let k = usize::from(first & 0x7f);
    let bytes = buf.get(at + 1..at + 1 + k)?;
    let n = bytes.iter().try_fold(0usize, |n, &b| {
        n.checked_mul(256).map(|n| n + usize::from(b))
    })?;
    Some((n, at + 1 + k))
}

fn sequence_at(buf: &[u8], at: usize, depth: usize) -> Result<(Elements<'_>, usize), DecodeError> {
    let mut r = reader_at(buf, at)?;
    let count = read_count(&mut r, "element count")?;
    elements_at(buf, at + r.pos(), count, depth)
}

/// Decodes one element at `at`; `depth` is the nesting of its container
/// (0 at the top). Returns the element and the offset where it ends.
fn decode_at(buf: &[u8], at: usize, depth: usize) -> Result<(Data<'_>, usize), DecodeError> {
    let depth = depth + 1;
    if depth > MAX_DEPTH {
        return Err(too_deep(at));
    }
    let mut r = reader_at(buf, at)?;
    let tag = DataTag::from(r.u8("data tag")?);
    let data = match tag {
        DataTag::Array | DataTag::Structure => {
            let count = read_count(&mut r, "element count")?;
            let (elements, end) = elements_at(buf, at + r.pos(), count, depth)?;
            let data = if tag == DataTag::Array {
                Data::Array(elements)
            } else {
                Data::Structure(elements)
            };
            return Ok((data, end));
        }
        DataTag::CompactArray => {
            let start = r.pos();
            type_description(&mut r, depth)?;
            let type_description = r.input().get(start..r.pos()).unwrap_or_default();
            let n = r.ber_length("compact-array contents length")?;
            let contents = r.bytes(n, "compact-array contents")?;
            Data::CompactArray(CompactArray {
                type_description,
                contents,
            })
        }
        _ => simple_body(tag, &mut r)?,
    };
    Ok((data, at + r.pos()))
}

/// Reads the content of a value of simple type `tag` (every type but array,
/// structure and compact-array), as it follows the tag in A-XDR and as a
/// compact-array packs it (DLMS Blue Book 4.1.5).
pub(crate) fn simple_body<'a>(tag: DataTag, r: &mut Reader<'a>) -> Result<Data<'a>, DecodeError> {
    Ok(match tag {
        DataTag::NullData => Data::NullData,
        DataTag::Boolean => Data::Boolean(r.u8("boolean")?),
        DataTag::BitString => {
            let bits = r.ber_length("bit-string length")?;
            let bytes = r.bytes(bits.div_ceil(8), "bit-string")?;
            Data::BitString(BitString { bits, bytes })
        }
        DataTag::DoubleLong => Data::DoubleLong(i32::from_be_bytes(r.array("double-long")?)),
        DataTag::DoubleLongUnsigned => Data::DoubleLongUnsigned(r.u32_be("double-long-unsigned")?),
        DataTag::OctetString | DataTag::VisibleString | DataTag::Utf8String => {
            let n = r.ber_length("string length")?;
            let s = r.bytes(n, "string")?;
            match tag {
                DataTag::OctetString => Data::OctetString(s),
                DataTag::VisibleString => Data::VisibleString(s),
                _ => Data::Utf8String(s),
            }
        }
        DataTag::Bcd => Data::Bcd(r.u8("bcd")?),
        DataTag::Integer => Data::Integer(i8::from_be_bytes(r.array("integer")?)),
        DataTag::Long => Data::Long(i16::from_be_bytes(r.array("long")?)),
        DataTag::Unsigned => Data::Unsigned(r.u8("unsigned")?),
        DataTag::LongUnsigned => Data::LongUnsigned(r.u16_be("long-unsigned")?),
        DataTag::Long64 => Data::Long64(i64::from_be_bytes(r.array("long64")?)),
        DataTag::Long64Unsigned => {
            Data::Long64Unsigned(u64::from_be_bytes(r.array("long64-unsigned")?))
        }
        DataTag::Enum => Data::Enum(r.u8("enum")?),
        DataTag::Float32 => Data::Float32(r.u32_be("float32")?),
        DataTag::Float64 => Data::Float64(u64::from_be_bytes(r.array("float64")?)),
        DataTag::DateTime => Data::DateTime(r.array("date-time")?),
        DataTag::Date => Data::Date(r.array("date")?),
        DataTag::Time => Data::Time(r.array("time")?),
        DataTag::DontCare => Data::DontCare,
        DataTag::Array | DataTag::Structure | DataTag::CompactArray | DataTag::Unknown(_) => {
            return Err(r.invalid(1, "data tag", u64::from(tag.value())));
        }
    })
}

/// Reads one TypeDescription (DLMS Blue Book 4.1.5) at nesting `depth`
/// (that of the description's container).
pub(crate) fn type_description(r: &mut Reader<'_>, depth: usize) -> Result<(), DecodeError> {
    let depth = depth + 1;
    if depth > MAX_DEPTH {
        return Err(too_deep(r.offset()));
    }
    let tag = DataTag::from(r.u8("type description tag")?);
    match tag {
        DataTag::Array => {
            r.u16_be("type description element count")?;
            type_description(r, depth)
        }
        DataTag::Structure => {
            let count = read_count(r, "type description member count")?;
            for _ in 0..count {
                type_description(r, depth)?;
            }
            Ok(())
        }
        DataTag::CompactArray | DataTag::Unknown(_) => {
            Err(r.invalid(1, "type description tag", u64::from(tag.value())))
        }
        _ => Ok(()),
    }
}

impl<'a> Data<'a> {
    /// Decodes the one element that starts at `at` in `buf`; returns it and
    /// the offset where it ends. Offsets (in the result, in errors and in
    /// the element's lists) are relative to `buf`.
    ///
    /// # Errors
    /// A [`DecodeError`] when the element is malformed or truncated, a count
    /// exceeds the bytes left, or nesting is deeper than [`MAX_DEPTH`].
    pub fn decode_at(buf: &'a [u8], at: usize) -> Result<(Self, usize), DecodeError> {
        decode_at(buf, at, 0)
    }

    /// The length of the element at the start of `buf`: where it ends.
    /// The element is checked as by [`Data::decode_at`].
    ///
    /// # Errors
    /// As [`Data::decode_at`].
    pub fn skip(buf: &[u8]) -> Result<usize, DecodeError> {
        decode_at(buf, 0, 0).map(|(_, end)| end)
    }

    /// The CHOICE tag of the value.
    #[must_use]
    pub const fn tag(&self) -> DataTag {
        match self {
            Self::NullData => DataTag::NullData,
            Self::Array(_) => DataTag::Array,
            Self::Structure(_) => DataTag::Structure,
            Self::Boolean(_) => DataTag::Boolean,
            Self::BitString(_) => DataTag::BitString,
            Self::DoubleLong(_) => DataTag::DoubleLong,
            Self::DoubleLongUnsigned(_) => DataTag::DoubleLongUnsigned,
            Self::OctetString(_) => DataTag::OctetString,
            Self::VisibleString(_) => DataTag::VisibleString,
            Self::Utf8String(_) => DataTag::Utf8String,
            Self::Bcd(_) => DataTag::Bcd,
            Self::Integer(_) => DataTag::Integer,
            Self::Long(_) => DataTag::Long,
            Self::Unsigned(_) => DataTag::Unsigned,
            Self::LongUnsigned(_) => DataTag::LongUnsigned,
            Self::CompactArray(_) => DataTag::CompactArray,
            Self::Long64(_) => DataTag::Long64,
            Self::Long64Unsigned(_) => DataTag::Long64Unsigned,
            Self::Enum(_) => DataTag::Enum,
            Self::Float32(_) => DataTag::Float32,
            Self::Float64(_) => DataTag::Float64,
            Self::DateTime(_) => DataTag::DateTime,
            Self::Date(_) => DataTag::Date,
            Self::Time(_) => DataTag::Time,
            Self::DontCare => DataTag::DontCare,
        }
    }

    /// The elements of an array or a structure.
    #[must_use]
    pub const fn elements(&self) -> Option<Elements<'a>> {
        match self {
            Self::Array(e) | Self::Structure(e) => Some(*e),
            _ => None,
        }
    }

    /// The contents of an octet-string.
    #[must_use]
    pub const fn octet_string(&self) -> Option<&'a [u8]> {
        match self {
            Self::OctetString(s) => Some(s),
            _ => None,
        }
    }

    /// Checks what the decoder would reject; `depth` is the container's.
    pub(crate) fn check(&self, depth: usize) -> Result<(), EncodeError> {
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "nesting depth",
                depth as u64,
            ));
        }
        match self {
            Self::Array(e) | Self::Structure(e) => {
                check_length(e.len(), "element count")?;
                { *e }.try_for_each(|d| d.check(depth))
            }
            Self::BitString(b) => {
                check_length(b.bits, "bit-string length")?;
                if b.bytes.len() != b.bits.div_ceil(8) {
                    return Err(EncodeError::inconsistent(LAYER, "bit-string length"));
                }
                Ok(())
            }
            Self::OctetString(s) | Self::VisibleString(s) | Self::Utf8String(s) => {
                check_length(s.len(), "string length")
            }
            Self::CompactArray(c) => {
                let mut r = Reader::new(c.type_description, LAYER);
                let ok = type_description(&mut r, depth).is_ok() && r.is_empty();
                if !ok {
                    return Err(EncodeError::inconsistent(
                        LAYER,
                        "compact-array type description",
                    ));
                }
                check_length(c.contents.len(), "compact-array contents length")
            }
            _ => Ok(()),
        }
    }

    /// Writes the value; call after [`Data::check`] and a room check.
    pub(crate) fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.tag().value());
        match self {
            Self::NullData | Self::DontCare => {}
            Self::Array(e) | Self::Structure(e) => {
                ber::put_length(out, e.len());
                for d in *e {
                    d.put(out);
                }
            }
            Self::BitString(b) => {
                ber::put_length(out, b.bits);
                out.put_slice(b.bytes);
            }
            Self::DoubleLong(v) => out.put_i32(*v),
            Self::DoubleLongUnsigned(v) | Self::Float32(v) => out.put_u32(*v),
            Self::OctetString(s) | Self::VisibleString(s) | Self::Utf8String(s) => {
                ber::put_length(out, s.len());
                out.put_slice(s);
            }
            Self::Boolean(v) | Self::Bcd(v) | Self::Unsigned(v) | Self::Enum(v) => out.put_u8(*v),
            Self::Integer(v) => out.put_i8(*v),
            Self::Long(v) => out.put_i16(*v),
            Self::LongUnsigned(v) => out.put_u16(*v),
            Self::CompactArray(c) => {
                out.put_slice(c.type_description);
                ber::put_length(out, c.contents.len());
                out.put_slice(c.contents);
            }
            Self::Long64(v) => out.put_i64(*v),
            Self::Long64Unsigned(v) | Self::Float64(v) => out.put_u64(*v),
            Self::DateTime(b) => out.put_slice(b),
            Self::Date(b) => out.put_slice(b),
            Self::Time(b) => out.put_slice(b),
        }
    }
}

impl<'a> Decode<'a> for Data<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let (data, end) = decode_at(buf, 0, 0)?;
        match buf.len() - end {
            0 => Ok(data),
            count => Err(DecodeError::new(
                LAYER,
                end,
                DecodeErrorKind::TrailingBytes { count },
            )),
        }
    }
}

impl Encode for Data<'_> {
    fn encoded_len(&self) -> usize {
        1 + match self {
            Self::NullData | Self::DontCare => 0,
            Self::Array(e) | Self::Structure(e) => e.encoded_len(),
            Self::Boolean(_)
            | Self::Bcd(_)
            | Self::Integer(_)
            | Self::Unsigned(_)
            | Self::Enum(_) => 1,
            Self::Long(_) | Self::LongUnsigned(_) => 2,
            Self::DoubleLong(_) | Self::DoubleLongUnsigned(_) | Self::Float32(_) => 4,
            Self::Long64(_) | Self::Long64Unsigned(_) | Self::Float64(_) => 8,
            Self::BitString(b) => ber::length_len(b.bits) + b.bytes.len(),
            Self::OctetString(s) | Self::VisibleString(s) | Self::Utf8String(s) => {
                ber::length_len(s.len()) + s.len()
            }
            Self::CompactArray(c) => {
                c.type_description.len() + ber::length_len(c.contents.len()) + c.contents.len()
            }
            Self::DateTime(_) => DATE_TIME_LEN,
            Self::Date(_) => DATE_LEN,
            Self::Time(_) => TIME_LEN,
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.check(0)?;
        self.put(out);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;

    /// ECS19 response (RTDS 4.5.0): the data entry of a protected read,
    /// protection parameters then the ciphered octet-string, its ciphertext
    /// and tag left out; then 7 bytes that are not part of it.
    const PROTECTED: [u8; 68] = [
        0x02, 0x02, 0x01, 0x01, 0x02, 0x02, 0x16, 0x02, 0x02, 0x05, 0x09, 0x09, 0x04, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x03, 0xE8, 0x09, 0x08, 0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90,
        0xA0, 0x09, 0x08, 0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x01, 0x00, 0x00, 0x09, 0x00, 0x02, 0x02,
        0x16, 0x02, 0x02, 0x02, 0x09, 0x01, 0x02, 0x09, 0x00, 0x09, 0x05, 0x31, 0x00, 0x00, 0x00,
        0x00, 0x09, 0x03, 0x01, 0x02, 0x03, 0x04, 0x05,
    ];

    /// ECS22b decrypted profile (GBCS payload digest 2.8 C), the first two
    /// entries: structure(1){compact-array of structure{u32, u32}}.
    const COMPACT: [u8; 24] = [
        0x02, 0x01, 0x13, 0x02, 0x02, 0x06, 0x06, 0x10, 0x1C, 0x35, 0xF9, 0x00, 0x00, 0x00, 0x00,
        0x5F, 0x1C, 0x36, 0x00, 0x08, 0x00, 0x00, 0x00, 0xF3,
    ];

    #[test]
    fn protected_read_entry_field_by_field() {
        let b = &PROTECTED[..61];
        let d = Data::decode(b).unwrap();
        let mut top = d.elements().unwrap();
        assert_eq!(top.len(), 2);
        let Some(Data::Array(mut params)) = top.next() else {
            panic!("array")
        };
        assert_eq!(params.len(), 1);
        let mut pp = params.next().unwrap().elements().unwrap();
        assert_eq!(pp.next(), Some(Data::Enum(2)));
        let mut opts = pp.next().unwrap().elements().unwrap();
        assert_eq!(opts.len(), 5);
        assert_eq!(
            opts.next().unwrap().octet_string().unwrap(),
            &[4, 0, 0, 0, 0, 0, 0, 3, 0xE8]
        );
        assert_eq!(
            opts.next(),
            Some(Data::OctetString(&[
                0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA0
            ]))
        );
        opts.next();
        assert_eq!(opts.next(), Some(Data::OctetString(&[])));
        let key_info = opts.next().unwrap();
        assert_eq!(
            key_info,
            Data::Structure(Elements::from_items(&[
                Data::Enum(2),
                Data::Structure(Elements::from_items(&[
                    Data::OctetString(&[2]),
                    Data::OctetString(&[]),
                ])),
            ]))
        );
        assert_eq!(opts.next(), None);
        assert_eq!(top.offset(), 54);
        assert_eq!(
            top.next_with_span(),
            Some((54, 7, Data::OctetString(&[0x31, 0, 0, 0, 0])))
        );
        assert_eq!(top.next(), None);
        assert_eq!(d.to_vec().unwrap(), b);
        assert_eq!(Data::skip(&PROTECTED).unwrap(), 61);
        let e = Data::decode(&PROTECTED).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TrailingBytes { count: 7 });
        assert_eq!(e.offset, 61);
        assert_eq!(
            Data::decode_at(&PROTECTED, 61).unwrap(),
            (Data::OctetString(&[1, 2, 3]), 66)
        );
    }

    #[test]
    fn compact_array_keeps_type_description_and_contents() {
        let d = Data::decode(&COMPACT).unwrap();
        let Some(Data::CompactArray(c)) = d.elements().unwrap().next() else {
            panic!("compact-array")
        };
        assert_eq!(c.type_description, &[0x02, 0x02, 0x06, 0x06]);
        assert_eq!(c.contents.len(), 16);
        assert_eq!(&c.contents[..4], &0x1C35_F900u32.to_be_bytes());
        assert_eq!(d.to_vec().unwrap(), COMPACT);
        // An array type description carries a 16-bit count.
        let b = [0x13, 0x01, 0x00, 0x02, 0x11, 0x02, 0x07, 0x08];
        let Data::CompactArray(c) = Data::decode(&b).unwrap() else {
            panic!()
        };
        assert_eq!(c.type_description, &[0x01, 0x00, 0x02, 0x11]);
        for bad in [
            &[0x13, 0x13, 0x00][..],
            &[0x13, 0x07, 0x00],
            &[0x13, 0x02, 0x03, 0x11],
        ] {
            assert!(Data::decode(bad).is_err(), "{bad:02x?}");
        }
    }

    #[test]
    fn every_scalar_type() {
        let cases: [(&[u8], Data<'_>); 22] = [
            (&[0x00], Data::NullData),
            (&[0x03, 0xFF], Data::Boolean(0xFF)),
            (
                &[0x04, 0x0A, 0xFF, 0xC0],
                Data::BitString(BitString {
                    bits: 10,
                    bytes: &[0xFF, 0xC0],
                }),
            ),
            (&[0x05, 0xFF, 0xFF, 0xFF, 0xFE], Data::DoubleLong(-2)),
            (
                &[0x06, 0x1C, 0x35, 0xF9, 0x00],
                Data::DoubleLongUnsigned(473_299_200),
            ),
            (&[0x09, 0x02, 0x01, 0x02], Data::OctetString(&[1, 2])),
            (&[0x0A, 0x02, b'h', b'i'], Data::VisibleString(b"hi")),
            (&[0x0C, 0x02, 0xC3, 0xA9], Data::Utf8String("é".as_bytes())),
            (&[0x0D, 0x12], Data::Bcd(0x12)),
            (&[0x0F, 0xFD], Data::Integer(-3)),
            (&[0x10, 0xFF, 0x38], Data::Long(-200)),
            (&[0x11, 0xFF], Data::Unsigned(255)),
            (&[0x12, 0x8F, 0x0A], Data::LongUnsigned(0x8F0A)),
            (&[0x14, 0x80, 0, 0, 0, 0, 0, 0, 0], Data::Long64(i64::MIN)),
            (&[0x15, 0, 0, 0, 0, 0, 0, 1, 0], Data::Long64Unsigned(256)),
            (&[0x16, 0x1E], Data::Enum(30)),
            (&[0x17, 0x3F, 0x80, 0, 0], Data::Float32(1.0f32.to_bits())),
            (
                &[0x18, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0],
                Data::Float64(1.0f64.to_bits()),
            ),
            (
                &[0x19, 0x07, 0xDF, 1, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF],
                Data::DateTime([0x07, 0xDF, 1, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF]),
            ),
            (
                &[0x1A, 0x07, 0xDF, 1, 1, 0xFF],
                Data::Date([0x07, 0xDF, 1, 1, 0xFF]),
            ),
            (&[0x1B, 23, 59, 0, 0], Data::Time([23, 59, 0, 0])),
            (&[0xFF], Data::DontCare),
        ];
        for (bytes, want) in cases {
            let got = Data::decode(bytes).unwrap();
            assert_eq!(got, want, "{bytes:02x?}");
            assert_eq!(got.tag().value(), bytes[0]);
            assert_eq!(got.to_vec().unwrap(), bytes);
            assert_eq!(Data::skip(bytes).unwrap(), bytes.len());
            for cut in 0..bytes.len() {
                assert!(
                    Data::decode(&bytes[..cut]).is_err(),
                    "{bytes:02x?} cut {cut}"
                );
            }
        }
    }

    #[test]
    fn lengths_in_every_form() {
        for (prefix, n) in [
            (&[0x7F][..], 0x7F),
            (&[0x81, 0x80], 0x80),
            (&[0x82, 0x01, 0x00], 0x100),
            (&[0x83, 0x01, 0x00, 0x00], 0x1_0000),
        ] {
            let mut b = vec![0x09];
            b.extend_from_slice(prefix);
            b.resize(b.len() + n, 0xAB);
            let d = Data::decode(&b).unwrap();
            assert_eq!(d.octet_string().unwrap().len(), n);
            assert_eq!(d.to_vec().unwrap(), b);
        }
        // Counts take the same forms.
        let mut b = vec![0x01, 0x81, 0xC8];
        b.resize(3 + 200, 0x00);
        let d = Data::decode(&b).unwrap();
        assert_eq!(d.elements().unwrap().len(), 200);
        assert_eq!(d.to_vec().unwrap(), b);
        // Non-minimal forms are read, and re-encoded minimal.
        let d = Data::decode(&[0x09, 0x84, 0, 0, 0, 1, 7]).unwrap();
        assert_eq!(d, Data::OctetString(&[7]));
        assert_eq!(d.to_vec().unwrap(), [0x09, 0x01, 0x07]);
        // Inside a container too, where the length is that of the re-encoding.
        let d = Data::decode(&[0x02, 0x81, 0x01, 0x04, 0x82, 0x00, 0x08, 0xFF]).unwrap();
        assert_eq!(d.encoded_len(), 5);
        assert_eq!(d.to_vec().unwrap(), [0x02, 0x01, 0x04, 0x08, 0xFF]);
        // Indefinite and over-long forms are rejected, as are counts beyond the input.
        for bad in [
            &[0x09, 0x80][..],
            &[0x09, 0x85, 0, 0, 0, 0, 1, 7],
            &[0x01, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
            &[0x02, 0x03, 0x00, 0x00],
        ] {
            assert!(Data::decode(bad).is_err(), "{bad:02x?}");
        }
        let e = Data::decode(&[0x01, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).unwrap_err();
        assert_eq!(e.offset, 1);
        assert!(Data::decode(&[0x07]).is_err());
        assert_eq!(Data::decode(&[0x0B]).unwrap_err().offset, 0);
    }

    #[test]
    fn depth_limit() {
        let nested = |depth: usize| {
            let mut b = Vec::new();
            for _ in 1..depth {
                b.extend_from_slice(&[0x02, 0x01]);
            }
            b.push(0x00);
            b
        };
        assert!(Data::decode(&nested(MAX_DEPTH)).is_ok());
        let e = Data::decode(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
        assert_eq!(e.offset, 2 * MAX_DEPTH);
        // Far deeper input fails the same way, without exhausting the stack.
        let e = Data::decode(&nested(100_000)).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
        // Type descriptions count towards the same limit.
        let mut b = vec![0x13];
        for _ in 0..MAX_DEPTH {
            b.extend_from_slice(&[0x01, 0x00, 0x01]);
        }
        b.extend_from_slice(&[0x11, 0x00]);
        let e = Data::decode(&b).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TooDeep { limit: MAX_DEPTH });
        // The encoder refuses what the decoder would.
        let leaf = [Data::NullData];
        let mut levels: Vec<[Data<'_>; 1]> = vec![leaf];
        for i in 0..MAX_DEPTH {
            let inner: &[Data<'_>] = alloc::boxed::Box::leak(alloc::boxed::Box::new(levels[i]));
            levels.push([Data::Structure(Elements::from_items(inner))]);
        }
        assert!(levels[MAX_DEPTH - 1][0].to_vec().is_ok());
        assert!(levels[MAX_DEPTH][0].to_vec().is_err());
    }

    #[test]
    fn encoder_checks_room_and_consistency() {
        let d = Data::OctetString(&[1, 2, 3]);
        let mut small = [0u8; 3];
        assert!(d.encode(&mut &mut small[..]).is_err());
        let bad = Data::BitString(BitString {
            bits: 9,
            bytes: &[0],
        });
        assert!(bad.to_vec().is_err());
        let bad = Data::CompactArray(CompactArray {
            type_description: &[0x02, 0x02, 0x06],
            contents: &[],
        });
        assert!(bad.to_vec().is_err());
    }

    #[test]
    fn truncation_at_every_offset() {
        for b in [&PROTECTED[..61], &COMPACT[..]] {
            for cut in 0..b.len() {
                assert!(Data::decode(&b[..cut]).is_err(), "cut {cut}");
                assert!(Data::skip(&b[..cut]).is_err(), "cut {cut}");
            }
        }
    }

    fn leaf() -> impl Strategy<Value = Data<'static>> {
        fn bytes(max: usize) -> impl Strategy<Value = &'static [u8]> {
            proptest::collection::vec(any::<u8>(), 0..max)
                .prop_map(|v| &*alloc::boxed::Box::leak(v.into_boxed_slice()))
        }
        prop_oneof![
            Just(Data::NullData),
            Just(Data::DontCare),
            any::<u8>().prop_map(Data::Boolean),
            (bytes(40), any::<u8>()).prop_map(|(b, extra)| {
                let bits = if b.is_empty() {
                    0
                } else {
                    b.len() * 8 - usize::from(extra % 8)
                };
                Data::BitString(BitString { bits, bytes: b })
            }),
            any::<i32>().prop_map(Data::DoubleLong),
            any::<u32>().prop_map(Data::DoubleLongUnsigned),
            bytes(300).prop_map(Data::OctetString),
            bytes(20).prop_map(Data::VisibleString),
            bytes(20).prop_map(Data::Utf8String),
            any::<u8>().prop_map(Data::Bcd),
            any::<i8>().prop_map(Data::Integer),
            any::<i16>().prop_map(Data::Long),
            any::<u8>().prop_map(Data::Unsigned),
            any::<u16>().prop_map(Data::LongUnsigned),
            (
                prop_oneof![
                    Just(&[0x11u8][..]),
                    Just(&[0x02, 0x02, 0x06, 0x06][..]),
                    Just(&[0x01, 0x00, 0x03, 0x02, 0x01, 0x09][..])
                ],
                bytes(50)
            )
                .prop_map(|(t, c)| Data::CompactArray(CompactArray {
                    type_description: t,
                    contents: c
                })),
            any::<i64>().prop_map(Data::Long64),
            any::<u64>().prop_map(Data::Long64Unsigned),
            any::<u8>().prop_map(Data::Enum),
            any::<u32>().prop_map(Data::Float32),
            any::<u64>().prop_map(Data::Float64),
            any::<[u8; 12]>().prop_map(Data::DateTime),
            any::<[u8; 5]>().prop_map(Data::Date),
            any::<[u8; 4]>().prop_map(Data::Time),
        ]
    }

    /// Trees of values; children are leaked so that generated trees can
    /// borrow them for the whole run (a few kilobytes per case).
    fn tree() -> impl Strategy<Value = Data<'static>> {
        leaf().prop_recursive(6, 150, 24, |inner| {
            (any::<bool>(), proptest::collection::vec(inner, 0..24)).prop_map(|(array, items)| {
                let items: &'static [Data<'static>] =
                    alloc::boxed::Box::leak(items.into_boxed_slice());
                let e = Elements::from_items(items);
                if array {
                    Data::Array(e)
                } else {
                    Data::Structure(e)
                }
            })
        })
    }

    proptest! {
        #[test]
        fn round_trip(d in tree()) {
            let bytes = d.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), d.encoded_len());
            let back = Data::decode(&bytes).unwrap();
            prop_assert_eq!(back, d);
            prop_assert_eq!(back.to_vec().unwrap(), bytes.clone());
            prop_assert_eq!(Data::skip(&bytes).unwrap(), bytes.len());
        }

        /// The quick well-formedness check accepts only what decoding
        /// accepts, ending at the same byte, on valid encodings with one
        /// byte changed, cut or not.
        #[test]
        fn quick_check_agrees_with_decoding(
            d in tree(),
            at in any::<usize>(),
            xor in any::<u8>(),
            cut in any::<usize>(),
        ) {
            let mut b = d.to_vec().unwrap();
            let n = b.len();
            if let Some(x) = b.get_mut(at % n) {
                *x ^= xor;
            }
            b.truncate(n - cut % (n / 2 + 1));
            let slow = decode_at(&b, 0, 0).ok().map(|(_, end)| end);
            if let Some(end) = valid_end(&b, 0, 0) {
                prop_assert_eq!(slow, Some(end));
            }
            prop_assert_eq!(Data::skip(&b).ok(), slow);
        }

        #[test]
        fn arbitrary_bytes_decode_exactly_or_fail(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            if let Ok(d) = Data::decode(&b) {
                // Canonical input re-encodes as it came; other input re-encodes
                // to something that decodes to the same value.
                let again = d.to_vec().unwrap();
                prop_assert_eq!(again.len(), d.encoded_len());
                prop_assert_eq!(Data::decode(&again).unwrap(), d);
            }
        }
    }
}
