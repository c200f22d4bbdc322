//! Compact-array contents (DLMS Blue Book 4.1.5, `compact-array` \[19\]):
//! the elements packed without tags, unpacked into `Data` values by
//! following the type description, without allocating. It does not pack.

use smets_core::{DecodeError, DecodeErrorKind, Layer, Reader};

use crate::axdr::{
    CompactArray, Data, DataTag, Elements, MAX_DEPTH, simple_body, type_description,
};

const LAYER: Layer = Layer::Dlms;

impl<'a> CompactArray<'a> {
    /// The elements of the array: each one unpacked from the contents by
    /// the type description, as values that iterate like any array's
    /// (structures and arrays inside an element yield their members in
    /// turn). Variable-length members (octet-, visible-, utf8- and
    /// bit-strings) keep their length in the contents.
    ///
    /// The whole contents are checked here, so the iterator cannot fail;
    /// [`Elements::offset`] counts in the contents.
    ///
    /// ```
    /// use smets_dlms::axdr::{CompactArray, Data};
    ///
    /// // An event-log compact-array: structure {u32 time, u16 code, octet-string}.
    /// let log = CompactArray {
    ///     type_description: &[0x02, 0x03, 0x06, 0x12, 0x09],
    ///     contents: &[
    ///         0x1C, 0x35, 0xF9, 0x00, 0x8F, 0x01, 0x00, // (473299200, 0x8F01, "")
    ///         0x1C, 0x36, 0x10, 0x64, 0x81, 0x54, 0x02, 0x00, 0x9B,
    ///     ],
    /// };
    /// let mut entries = log.elements().unwrap();
    /// assert_eq!(entries.len(), 2);
    /// let mut first = entries.next().unwrap().elements().unwrap();
    /// assert_eq!(first.next(), Some(Data::DoubleLongUnsigned(473_299_200)));
    /// assert_eq!(first.next(), Some(Data::LongUnsigned(0x8F01)));
    /// assert_eq!(first.next(), Some(Data::OctetString(&[])));
    /// let mut second = entries.next().unwrap().elements().unwrap();
    /// assert_eq!(second.nth(2), Some(Data::OctetString(&[0x00, 0x9B])));
    /// ```
    ///
    /// # Errors
    /// A [`DecodeError`] when the type description is malformed (offset in
    /// the type description), describes elements that take no byte while
    /// contents are present (which no count could bound), or when the
    /// contents do not hold whole elements of that type (offset in the
    /// contents where the element or member that does not fit starts, or of
    /// the bad length).
    pub fn elements(&self) -> Result<Elements<'a>, DecodeError> {
        let mut r = Reader::new(self.type_description, LAYER);
        type_description(&mut r, 0)?;
        if !r.is_empty() {
            return Err(r.error(DecodeErrorKind::TrailingBytes {
                count: r.remaining(),
            }));
        }
        let types = self.type_description;
        if !self.contents.is_empty() && min_len(types)? == 0 {
            return Err(DecodeError::invalid(
                LAYER,
                0,
                "compact-array element size",
                0,
            ));
        }
        let mut pos = 0;
        let mut count = 0;
        while pos < self.contents.len() {
            pos = packed_at(types, self.contents, pos, 0)?.2;
            count += 1;
        }
        Ok(Elements::packed(types, true, self.contents, 0, count))
    }
}

/// The fewest content bytes a value of the type description at the start
/// of `types` takes (saturating), so that a repeated type that takes none
/// is refused before it is repeated.
fn min_len(types: &[u8]) -> Result<usize, DecodeError> {
    fn walk(r: &mut Reader<'_>, depth: usize) -> Result<usize, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::new(
                LAYER,
                r.offset(),
                DecodeErrorKind::TooDeep { limit: MAX_DEPTH },
            ));
        }
        let tag = DataTag::from(r.u8("type description tag")?);
        Ok(match tag {
            DataTag::Array => {
                let n = usize::from(r.u16_be("type description element count")?);
                n.saturating_mul(walk(r, depth + 1)?)
            }
            DataTag::Structure => {
                let n = r.ber_length("type description member count")?;
                let mut sum = 0usize;
                for _ in 0..n {
                    sum = sum.saturating_add(walk(r, depth + 1)?);
                }
                sum
            }
            DataTag::NullData | DataTag::DontCare => 0,
            DataTag::Boolean
            | DataTag::Bcd
            | DataTag::Integer
            | DataTag::Unsigned
            | DataTag::Enum
            | DataTag::BitString
            | DataTag::OctetString
            | DataTag::VisibleString
            | DataTag::Utf8String => 1,
            DataTag::Long | DataTag::LongUnsigned => 2,
            DataTag::DoubleLong
            | DataTag::DoubleLongUnsigned
            | DataTag::Float32
            | DataTag::Time => 4,
            DataTag::Date => 5,
            DataTag::Long64 | DataTag::Long64Unsigned | DataTag::Float64 => 8,
            DataTag::DateTime => 12,
            DataTag::CompactArray | DataTag::Unknown(_) => {
                return Err(r.invalid(1, "type description tag", u64::from(tag.value())));
            }
        })
    }
    walk(&mut Reader::new(types, LAYER), 1)
}

/// Unpacks the value whose type description starts `types` from `buf` at
/// `pos`, at nesting `depth` (its container's). Returns the value, the
/// length of its type description and where the value ends in `buf`.
///
/// The type description must have been checked by `type_description`;
/// errors in it are reported at offset 0.
pub(crate) fn packed_at<'a>(
    types: &'a [u8],
    buf: &'a [u8],
    pos: usize,
    depth: usize,
) -> Result<(Data<'a>, usize, usize), DecodeError> {
    let depth = depth + 1;
    if depth > MAX_DEPTH {
        return Err(DecodeError::new(
            LAYER,
            pos,
            DecodeErrorKind::TooDeep { limit: MAX_DEPTH },
        ));
    }
    let mut t = Reader::new(types, LAYER);
    let tag = DataTag::from(t.u8("type description tag")?);
    match tag {
        DataTag::Array => {
            let n = usize::from(t.u16_be("type description element count")?);
            let element = types.get(t.pos()..).unwrap_or_default();
            let element_len = description_len(element, depth)?;
            let element = element.get(..element_len).unwrap_or_default();
            if n > 0 && min_len(element)? == 0 {
                return Err(DecodeError::invalid(
                    LAYER,
                    pos,
                    "compact-array element size",
                    0,
                ));
            }
            let mut end = pos;
            for _ in 0..n {
                end = packed_at(element, buf, end, depth)?.2;
            }
            let data = Data::Array(Elements::packed(element, true, buf, pos, n));
            Ok((data, t.pos() + element_len, end))
        }
        DataTag::Structure => {
            let n = t.ber_length("type description member count")?;
            let members_at = t.pos();
            let mut type_end = members_at;
            let mut end = pos;
            for _ in 0..n {
                let member = types.get(type_end..).unwrap_or_default();
                let (_, len, value_end) = packed_at(member, buf, end, depth)?;
                type_end += len;
                end = value_end;
            }
            let members = types.get(members_at..type_end).unwrap_or_default();
            let data = Data::Structure(Elements::packed(members, false, buf, pos, n));
            Ok((data, type_end, end))
        }
        _ => {
            let rest = buf.get(pos..).ok_or_else(|| {
                DecodeError::truncated(LAYER, buf.len(), "compact-array element", 1, 0)
            })?;
            let mut r = Reader::with_base(rest, LAYER, pos);
            let data = simple_body(tag, &mut r)?;
            Ok((data, 1, pos + r.pos()))
        }
    }
}

/// Length of the (checked) type description at the start of `types`.
fn description_len(types: &[u8], depth: usize) -> Result<usize, DecodeError> {
    let mut r = Reader::new(types, LAYER);
    type_description(&mut r, depth)?;
    Ok(r.pos())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use smets_core::{Decode, Encode};

    use super::*;

    /// The first three entries of an ECS35a event log (RTDS 4.5.0):
    /// structure {u32 UTC seconds, u16 event code, octet-string}.
    const EVENTS: [u8; 24] = [
        0x1C, 0x35, 0xF9, 0x00, 0x8F, 0x01, 0x00, 0x1C, 0x36, 0x02, 0xFD, 0x81, 0x45, 0x00, 0x1C,
        0x36, 0x10, 0x64, 0x81, 0x54, 0x02, 0x00, 0x9B, 0x1C,
    ];
    const EVENT_TYPE: [u8; 5] = [0x02, 0x03, 0x06, 0x12, 0x09];

    fn event_log(contents: &[u8]) -> CompactArray<'_> {
        CompactArray {
            type_description: &EVENT_TYPE,
            contents,
        }
    }

    #[test]
    fn event_log_entries_field_by_field() {
        let mut entries = event_log(&EVENTS[..23]).elements().unwrap();
        assert_eq!(entries.len(), 3);
        let mut got = Vec::new();
        while let Some((at, len, e)) = entries.next_with_span() {
            let fields: Vec<_> = e.elements().unwrap().collect();
            got.push((at, len, fields));
        }
        assert_eq!(
            got,
            [
                (
                    0,
                    7,
                    alloc::vec![
                        Data::DoubleLongUnsigned(0x1C35_F900),
                        Data::LongUnsigned(0x8F01),
                        Data::OctetString(&[]),
                    ]
                ),
                (
                    7,
                    7,
                    alloc::vec![
                        Data::DoubleLongUnsigned(0x1C36_02FD),
                        Data::LongUnsigned(0x8145),
                        Data::OctetString(&[]),
                    ]
                ),
                (
                    14,
                    9,
                    alloc::vec![
                        Data::DoubleLongUnsigned(0x1C36_1064),
                        Data::LongUnsigned(0x8154),
                        Data::OctetString(&[0x00, 0x9B]),
                    ]
                ),
            ]
        );
        // An unpacked entry encodes as ordinary tagged A-XDR.
        let third = event_log(&EVENTS[..23]).elements().unwrap().nth(2).unwrap();
        let tagged = [
            0x02, 0x03, 0x06, 0x1C, 0x36, 0x10, 0x64, 0x12, 0x81, 0x54, 0x09, 0x02, 0x00, 0x9B,
        ];
        assert_eq!(third.encoded_len(), tagged.len());
        assert_eq!(third.to_vec().unwrap(), tagged);
        assert_eq!(Data::decode(&tagged).unwrap(), third);
    }

    #[test]
    fn partial_elements_fail_with_their_offset() {
        for cut in (1..23).filter(|c| ![7, 14].contains(c)) {
            let e = event_log(&EVENTS[..cut]).elements().unwrap_err();
            let entry_start = [0, 7, 14].into_iter().rfind(|&s| s <= cut).unwrap();
            assert!(e.offset >= entry_start && e.offset <= cut, "cut {cut}: {e}");
            assert!(
                matches!(e.kind, DecodeErrorKind::Truncated { .. }),
                "cut {cut}: {e}"
            );
        }
        // 24 bytes: a 4th entry that has only its first byte.
        let e = event_log(&EVENTS).elements().unwrap_err();
        assert_eq!(e.offset, 23);
        assert!(event_log(&[]).elements().unwrap().is_empty());
    }

    #[test]
    fn nested_arrays_and_bad_descriptions() {
        // Array(2) of structure {unsigned, bit-string}, then a boolean.
        let c = CompactArray {
            type_description: &[0x02, 0x02, 0x01, 0x00, 0x02, 0x02, 0x02, 0x11, 0x04, 0x03],
            contents: &[7, 0x04, 0xF0, 8, 0x00, 0xFF],
        };
        let mut e = c.elements().unwrap();
        assert_eq!(e.len(), 1);
        let entry = e.next().unwrap();
        let mut fields = entry.elements().unwrap();
        let Some(Data::Array(mut inner)) = fields.next() else {
            panic!()
        };
        assert_eq!(inner.len(), 2);
        let first: Vec<_> = inner.next().unwrap().elements().unwrap().collect();
        assert_eq!(first[0], Data::Unsigned(7));
        let Data::BitString(b) = first[1] else {
            panic!()
        };
        assert_eq!((b.bits, b.bytes), (4, &[0xF0][..]));
        assert_eq!(inner.offset(), 3);
        assert_eq!(fields.next(), Some(Data::Boolean(0xFF)));
        // Types that take no byte cannot be repeated over contents.
        for td in [&[0x00][..], &[0x02, 0x01, 0xFF], &[0x01, 0x00, 0x03, 0x00]] {
            let c = CompactArray {
                type_description: td,
                contents: &[1],
            };
            let e = c.elements().unwrap_err();
            assert!(
                matches!(e.kind, DecodeErrorKind::Invalid { .. }),
                "{td:02x?}"
            );
        }
        let c = CompactArray {
            type_description: &[0x11, 0x11],
            contents: &[1],
        };
        assert_eq!(
            c.elements().unwrap_err().kind,
            DecodeErrorKind::TrailingBytes { count: 1 }
        );
        for td in [&[0x13][..], &[0x07], &[0x02, 0x02, 0x11]] {
            let c = CompactArray {
                type_description: td,
                contents: &[1],
            };
            assert!(c.elements().is_err(), "{td:02x?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let mut td = Vec::new();
        for _ in 0..MAX_DEPTH {
            td.extend_from_slice(&[0x01, 0x00, 0x01]);
        }
        td.push(0x11);
        let c = CompactArray {
            type_description: &td,
            contents: &[5],
        };
        assert_eq!(
            c.elements().unwrap_err().kind,
            DecodeErrorKind::TooDeep { limit: MAX_DEPTH }
        );
        let td = &td[3..];
        let c = CompactArray {
            type_description: td,
            contents: &[5],
        };
        let mut v = c.elements().unwrap().next().unwrap();
        let mut levels = 1;
        while let Data::Array(mut e) = v {
            v = e.next().unwrap();
            levels += 1;
        }
        assert_eq!((levels, v), (MAX_DEPTH, Data::Unsigned(5)));
    }
}
