//! GBCS ASN.1 DER payloads (GBCS 11 firmware, 13 security credentials and
//! device logs; encoding ITU-T X.690 DER): a lossless, depth-bounded TLV
//! walker, the typed commands, responses and alerts of the DER use cases,
//! and [`decode`], which picks the type by message code and CRA flag.
//! Certificates stay borrowed DER: no signature or chain is checked here.
//!
//! Every decoder reads through [`DerReader`], which checks each header and
//! length against the bytes left before it slices, so no decoder panics.
//! Error offsets are relative to the payload handed to the decoder.
//!
//! Lengths: GBCS payloads are not strict DER. The RTDS messages write 131
//! as `82 00 83`, which the `der` crate refuses as non-canonical, so the
//! typed decoders read through [`DerReader`], which accepts every definite
//! form of up to four octets. Encoders write the form of those messages
//! ([`length_len`]); a typed value re-encodes byte for byte when its input
//! used that form, and the generic [`Tlv`] rebuild keeps any form.

use bytes::BufMut;
use core::fmt;
use smets_core::time::{Civil, Utc2000, days_in_month};
use smets_core::{DecodeError, DecodeErrorKind, EncodeError, Eui64, Layer, open_enum};

pub mod credentials;
pub mod firmware;
pub mod gpf;
pub mod join;
mod payload;
#[cfg(feature = "serde")]
mod ser;

pub use payload::{DerPayload, decode};

pub(crate) const LAYER: Layer = Layer::Gbcs;

/// Deepest nesting the walker follows: a certificate inside a CS02b
/// replacement sits about ten levels down.
pub const MAX_DEPTH: usize = 32;

/// Tag class: the two top bits of the identifier octet (X.690 8.1.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// `00`: universal.
    Universal,
    /// `01`: application.
    Application,
    /// `10`: context-specific.
    ContextSpecific,
    /// `11`: private.
    Private,
}

impl Class {
    /// The snake_case name.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Universal => "universal",
            Self::Application => "application",
            Self::ContextSpecific => "context_specific",
            Self::Private => "private",
        }
    }

    const fn bits(self) -> u8 {
        match self {
            Self::Universal => 0x00,
            Self::Application => 0x40,
            Self::ContextSpecific => 0x80,
            Self::Private => 0xC0,
        }
    }
}

/// Largest tag number the walker reads (four subsequent octets, X.690 8.1.2.4).
pub const MAX_TAG_NUMBER: u32 = (1 << 28) - 1;

/// An identifier: class, primitive or constructed, and tag number (X.690 8.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag {
    /// Tag class.
    pub class: Class,
    /// Constructed (bit 6 set) or primitive.
    pub constructed: bool,
    /// Tag number, at most [`MAX_TAG_NUMBER`].
    pub number: u32,
}

impl Tag {
    /// A universal tag.
    #[must_use]
    pub const fn universal(number: u32, constructed: bool) -> Self {
        Self {
            class: Class::Universal,
            constructed,
            number,
        }
    }

    /// A context-specific tag, `[number]`.
    #[must_use]
    pub const fn context(number: u32, constructed: bool) -> Self {
        Self {
            class: Class::ContextSpecific,
            constructed,
            number,
        }
    }

    /// BOOLEAN (X.680 18).
    pub const BOOLEAN: Self = Self::universal(1, false);
    /// INTEGER (X.680 19).
    pub const INTEGER: Self = Self::universal(2, false);
    /// BIT STRING (X.680 22).
    pub const BIT_STRING: Self = Self::universal(3, false);
    /// OCTET STRING (X.680 23).
    pub const OCTET_STRING: Self = Self::universal(4, false);
    /// NULL (X.680 24).
    pub const NULL: Self = Self::universal(5, false);
    /// OBJECT IDENTIFIER (X.680 32).
    pub const OBJECT_IDENTIFIER: Self = Self::universal(6, false);
    /// ENUMERATED (X.680 20).
    pub const ENUMERATED: Self = Self::universal(10, false);
    /// GeneralizedTime (X.680 46).
    pub const GENERALIZED_TIME: Self = Self::universal(24, false);
    /// SEQUENCE and SEQUENCE OF (X.680 25, 26).
    pub const SEQUENCE: Self = Self::universal(16, true);
    /// SET and SET OF (X.680 27, 28).
    pub const SET: Self = Self::universal(17, true);

    /// Octets of the identifier on the wire.
    #[must_use]
    pub const fn encoded_len(self) -> usize {
        match self.number {
            0..=30 => 1,
            0x1F..=0x7F => 2,
            0x80..=0x3FFF => 3,
            0x4000..=0x1F_FFFF => 4,
            _ => 5,
        }
    }

    /// The first identifier octet.
    #[must_use]
    pub const fn first_octet(self) -> u8 {
        let pc = if self.constructed { 0x20 } else { 0 };
        let low = if self.number < 31 {
            (self.number & 0x1F) as u8
        } else {
            0x1F
        };
        self.class.bits() | pc | low
    }

    fn put<B: BufMut>(self, out: &mut B) {
        out.put_u8(self.first_octet());
        let n = self.encoded_len();
        for i in (0..n.saturating_sub(1)).rev() {
            let group = (self.number >> (7 * i)) & 0x7F;
            let more = if i == 0 { 0 } else { 0x80 };
            out.put_u8(u8::try_from(group).unwrap_or(0) | more);
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.constructed { "c" } else { "p" };
        match self.class {
            Class::Universal => write!(f, "UNIVERSAL {} ({kind})", self.number),
            Class::Application => write!(f, "[APPLICATION {}] ({kind})", self.number),
            Class::ContextSpecific => write!(f, "[{}] ({kind})", self.number),
            Class::Private => write!(f, "[PRIVATE {}] ({kind})", self.number),
        }
    }
}

/// Octets of a length of `n` as the GBCS reference messages write it
/// (X.690 8.1.3 definite form): one octet below 128, else `82 hh ll` up to
/// 65535 (so 131 is `82 00 83`, not DER's `81 83`), then `83`/`84` forms.
#[must_use]
pub const fn length_len(n: usize) -> usize {
    match n {
        0..=0x7F => 1,
        0x80..=0xFFFF => 3,
        0x1_0000..=0xFF_FFFF => 4,
        _ => 5,
    }
}

/// Octets of a whole element with identifier `tag` and `content` octets.
#[must_use]
pub const fn element_len(tag: Tag, content: usize) -> usize {
    tag.encoded_len() + length_len(content) + content
}

/// Longest content the encoder writes: four length octets.
const MAX_CONTENT: usize = 0xFFFF_FFFF;

/// Writes a length in `octets` octets (1: short form; else `0x80 | octets - 1`
/// and the big-endian value).
fn put_length<B: BufMut>(out: &mut B, content: usize, octets: usize) {
    let be = (content as u64).to_be_bytes();
    if octets <= 1 {
        out.put_u8(be[7]);
    } else {
        out.put_u8(0x80 | u8::try_from(octets - 1).unwrap_or(4));
        out.put_slice(be.get(9 - octets.min(9)..).unwrap_or_default());
    }
}

fn put_header<B: BufMut>(out: &mut B, tag: Tag, content: usize) {
    tag.put(out);
    put_length(out, content, length_len(content));
}

/// One DER element (X.690 8.1): identifier, definite length and contents,
/// borrowed from the payload. Offsets are relative to the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    tag: Tag,
    offset: usize,
    bytes: &'a [u8],
    header_len: usize,
    depth: usize,
}

impl<'a> Tlv<'a> {
    /// The identifier.
    #[must_use]
    pub const fn tag(&self) -> Tag {
        self.tag
    }

    /// Offset of the identifier octet in the payload.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the first content octet in the payload.
    #[must_use]
    pub const fn value_offset(&self) -> usize {
        self.offset + self.header_len
    }

    /// Nesting depth: 0 for the payload's outer element.
    #[must_use]
    pub const fn depth(&self) -> usize {
        self.depth
    }

    /// The identifier and length octets.
    #[must_use]
    pub fn header(&self) -> &'a [u8] {
        self.bytes.get(..self.header_len).unwrap_or_default()
    }

    /// The contents octets.
    #[must_use]
    pub fn value(&self) -> &'a [u8] {
        self.bytes.get(self.header_len..).unwrap_or_default()
    }

    /// The whole element: header and contents.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// A reader over the contents (for a constructed element, its children).
    #[must_use]
    pub fn reader(&self) -> DerReader<'a> {
        DerReader {
            buf: self.value(),
            pos: 0,
            base: self.value_offset(),
            depth: self.depth + 1,
        }
    }

    /// The children of a constructed element; none for a primitive one.
    #[must_use]
    pub fn children(&self) -> Children<'a> {
        Children {
            reader: if self.tag.constructed {
                self.reader()
            } else {
                DerReader {
                    buf: &[],
                    pos: 0,
                    base: self.value_offset(),
                    depth: self.depth + 1,
                }
            },
            failed: false,
        }
    }

    /// Checks every element below this one (lengths, identifiers, depth).
    ///
    /// # Errors
    /// The first malformed descendant.
    pub fn validate(&self) -> Result<(), DecodeError> {
        for c in self.children() {
            c?.validate()?;
        }
        Ok(())
    }

    /// Calls `f` on this element and every descendant, depth first, in
    /// wire order.
    ///
    /// # Errors
    /// The first malformed descendant.
    pub fn visit<F: FnMut(&Tlv<'a>)>(&self, f: &mut F) -> Result<(), DecodeError> {
        f(self);
        for c in self.children() {
            c?.visit(f)?;
        }
        Ok(())
    }

    fn content_len(&self) -> usize {
        self.value().len()
    }

    /// Octets of the length field as received (1 for the short form).
    #[must_use]
    pub const fn length_octets(&self) -> usize {
        self.header_len - self.tag.encoded_len()
    }

    fn put_rebuilt<B: BufMut>(&self, out: &mut B) {
        self.tag.put(out);
        put_length(out, self.content_len(), self.length_octets());
        if self.tag.constructed {
            for c in self.children().flatten() {
                c.put_rebuilt(out);
            }
        } else {
            out.put_slice(self.value());
        }
    }
}

/// Rebuilds the element from its tag, its children and its primitive
/// contents, each header written afresh with the length form received.
impl smets_core::Encode for Tlv<'_> {
    fn encoded_len(&self) -> usize {
        self.bytes.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        smets_core::ensure_room(out, self.encoded_len(), LAYER)?;
        self.validate()
            .map_err(|e| EncodeError::unrepresentable(LAYER, "der element", e.offset as u64))?;
        self.put_rebuilt(out);
        Ok(())
    }
}

/// Reads a DER payload of any shape: one element filling `payload`, every
/// descendant checked (X.690 8.1: definite lengths of at most four octets,
/// kept in the form received; shortest identifiers), at most
/// [`MAX_DEPTH`] deep.
///
/// # Errors
/// Truncation, an indefinite length (X.690 10.1), a length of more than
/// four octets, a non-minimal tag number, nesting beyond [`MAX_DEPTH`], or
/// bytes after the element.
pub fn walk(payload: &[u8]) -> Result<Tlv<'_>, DecodeError> {
    let mut r = DerReader::new(payload);
    let t = r.read("der element")?;
    r.finish()?;
    t.validate()?;
    Ok(t)
}

/// The children of a constructed element, read one by one. After an error
/// the iterator ends.
#[derive(Debug, Clone)]
pub struct Children<'a> {
    reader: DerReader<'a>,
    failed: bool,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.reader.is_empty() {
            return None;
        }
        let r = self.reader.read("der element");
        self.failed = r.is_err();
        Some(r)
    }
}

/// A cursor over a run of DER elements (the contents of a SEQUENCE), with
/// offsets relative to the payload.
#[derive(Debug, Clone)]
pub struct DerReader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    depth: usize,
}

impl<'a> DerReader<'a> {
    /// A reader over a whole payload.
    #[must_use]
    pub const fn new(payload: &'a [u8]) -> Self {
        Self {
            buf: payload,
            pos: 0,
            base: 0,
            depth: 0,
        }
    }

    /// Whether every element has been read.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Offset of the next element in the payload.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.base + self.pos
    }

    fn err(&self, at: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(LAYER, self.base + at, kind)
    }

    fn truncated(&self, at: usize, field: &'static str, needed: usize) -> DecodeError {
        self.err(
            at,
            DecodeErrorKind::Truncated {
                field,
                needed,
                available: self.buf.len().saturating_sub(at),
            },
        )
    }

    fn invalid(&self, at: usize, field: &'static str, value: u64) -> DecodeError {
        self.err(at, DecodeErrorKind::Invalid { field, value })
    }

    /// The identifier at `at` and the octets it takes.
    fn tag_at(&self, at: usize, field: &'static str) -> Result<(Tag, usize), DecodeError> {
        let first = *self
            .buf
            .get(at)
            .ok_or_else(|| self.truncated(at, field, 1))?;
        let class = match first >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::ContextSpecific,
            _ => Class::Private,
        };
        let constructed = first & 0x20 != 0;
        if first & 0x1F != 0x1F {
            return Ok((
                Tag {
                    class,
                    constructed,
                    number: u32::from(first & 0x1F),
                },
                1,
            ));
        }
        let mut number: u32 = 0;
        let mut i = 1;
        loop {
            let b = *self
                .buf
                .get(at + i)
                .ok_or_else(|| self.truncated(at + i, "tag number", 1))?;
            // X.690 8.1.2.4.2 c): the first subsequent octet is not 0x80.
            if (i == 1 && b == 0x80) || i > 4 {
                return Err(self.invalid(at, "tag number", u64::from(b)));
            }
            number = (number << 7) | u32::from(b & 0x7F);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        if number < 31 {
            return Err(self.invalid(at, "tag number", u64::from(number)));
        }
        Ok((
            Tag {
                class,
                constructed,
                number,
            },
            i,
        ))
    }

    /// The identifier of the next element, if one can be read.
    #[must_use]
    pub fn peek_tag(&self) -> Option<Tag> {
        if self.is_empty() {
            return None;
        }
        self.tag_at(self.pos, "tag").ok().map(|(t, _)| t)
    }

    /// Reads the next element, whatever its identifier.
    ///
    /// # Errors
    /// Truncation, an indefinite or over-long length, or nesting deeper
    /// than [`MAX_DEPTH`].
    pub fn read(&mut self, field: &'static str) -> Result<Tlv<'a>, DecodeError> {
        let at = self.pos;
        if self.depth > MAX_DEPTH {
            return Err(self.err(at, DecodeErrorKind::TooDeep { limit: MAX_DEPTH }));
        }
        let (tag, tag_len) = self.tag_at(at, field)?;
        let lat = at + tag_len;
        let first = *self
            .buf
            .get(lat)
            .ok_or_else(|| self.truncated(lat, field, 1))?;
        let (len, len_len) = if first < 0x80 {
            (usize::from(first), 1)
        } else {
            let n = usize::from(first & 0x7F);
            // 0x80 is the indefinite form, which DER forbids (X.690 10.1).
            if n == 0 || n > 4 {
                return Err(self.invalid(lat, "length", u64::from(first)));
            }
            let octets = self
                .buf
                .get(lat + 1..lat + 1 + n)
                .ok_or_else(|| self.truncated(lat + 1, field, n))?;
            let v = octets.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
            // Definite forms longer than needed are BER, not DER, but GBCS
            // messages send `82 00 83`; the walker keeps the form.
            let len = usize::try_from(v).map_err(|_| self.invalid(lat, "length", v))?;
            (len, n + 1)
        };
        let header_len = tag_len + len_len;
        let end = (at + header_len)
            .checked_add(len)
            .ok_or_else(|| self.invalid(lat, "length", len as u64))?;
        let bytes = self
            .buf
            .get(at..end)
            .ok_or_else(|| self.truncated(at + header_len, field, len))?;
        self.pos = end;
        Ok(Tlv {
            tag,
            offset: self.base + at,
            bytes,
            header_len,
            depth: self.depth,
        })
    }

    /// Reads the next element and checks its identifier.
    ///
    /// # Errors
    /// As [`DerReader::read`], or [`DecodeErrorKind::Invalid`] naming
    /// `field` with the first identifier octet when the tag differs.
    pub fn expect(&mut self, tag: Tag, field: &'static str) -> Result<Tlv<'a>, DecodeError> {
        let at = self.pos;
        let t = self.read(field)?;
        if t.tag != tag {
            let first = self.buf.get(at).copied().unwrap_or(0);
            return Err(self.invalid(at, field, u64::from(first)));
        }
        Ok(t)
    }

    /// Reads the next element when its identifier is `tag`.
    ///
    /// # Errors
    /// As [`DerReader::read`].
    pub fn optional(
        &mut self,
        tag: Tag,
        field: &'static str,
    ) -> Result<Option<Tlv<'a>>, DecodeError> {
        if self.peek_tag() == Some(tag) {
            self.read(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Succeeds when every element has been read.
    ///
    /// # Errors
    /// [`DecodeErrorKind::TrailingBytes`] otherwise.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.buf.len().saturating_sub(self.pos) {
            0 => Ok(()),
            count => Err(self.err(self.pos, DecodeErrorKind::TrailingBytes { count })),
        }
    }
}

/// A value with a DER form: decoded from an element's contents, encoded
/// under its universal tag or an implicit one.
pub trait DerValue<'a>: Sized {
    /// The universal identifier of the type.
    const TAG: Tag;

    /// Decodes the contents of `t` (whose identifier the caller checked).
    ///
    /// # Errors
    /// A [`DecodeError`] at the offending octet.
    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError>;

    /// Octets of the contents.
    fn content_len(&self) -> usize;

    /// Writes the contents.
    fn put_content<B: BufMut>(&self, out: &mut B);

    /// Rejects what has no DER form or what the decoder would reject.
    ///
    /// # Errors
    /// An [`EncodeError`] naming the field.
    fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }

    /// The whole element as received, written back verbatim under the
    /// type's own tag: for signed blobs (certificates) whose bytes must
    /// not change, whatever length form they came in.
    fn verbatim(&self) -> Option<&'a [u8]> {
        None
    }
}

/// Octets of `v` encoded under `tag`.
pub(crate) fn len_as<'a, T: DerValue<'a>>(v: &T, tag: Tag) -> usize {
    match v.verbatim() {
        Some(der) if tag == T::TAG => der.len(),
        _ => element_len(tag, v.content_len()),
    }
}

/// Octets of `v` under its own tag.
pub(crate) fn len_of<'a, T: DerValue<'a>>(v: &T) -> usize {
    len_as(v, T::TAG)
}

pub(crate) fn put_as<'a, T: DerValue<'a>, B: BufMut>(out: &mut B, v: &T, tag: Tag) {
    if let Some(der) = v.verbatim().filter(|_| tag == T::TAG) {
        out.put_slice(der);
        return;
    }
    put_header(out, tag, v.content_len());
    v.put_content(out);
}

pub(crate) fn put_of<'a, T: DerValue<'a>, B: BufMut>(out: &mut B, v: &T) {
    put_as(out, v, T::TAG);
}

/// Reads an element with `T`'s universal tag and decodes it.
pub(crate) fn read<'a, T: DerValue<'a>>(
    r: &mut DerReader<'a>,
    field: &'static str,
) -> Result<T, DecodeError> {
    let t = r.expect(T::TAG, field)?;
    T::from_tlv(&t)
}

/// Reads an element with the implicit `tag` and decodes it as `T`.
pub(crate) fn read_as<'a, T: DerValue<'a>>(
    r: &mut DerReader<'a>,
    tag: Tag,
    field: &'static str,
) -> Result<T, DecodeError> {
    let t = r.expect(tag, field)?;
    T::from_tlv(&t)
}

/// Reads an optional element with the identifier `tag` as `T`.
pub(crate) fn read_opt<'a, T: DerValue<'a>>(
    r: &mut DerReader<'a>,
    tag: Tag,
    field: &'static str,
) -> Result<Option<T>, DecodeError> {
    match r.optional(tag, field)? {
        Some(t) => T::from_tlv(&t).map(Some),
        None => Ok(None),
    }
}

/// Decodes a payload that is one `T` element.
pub(crate) fn decode_whole<'a, T: DerValue<'a>>(payload: &'a [u8]) -> Result<T, DecodeError> {
    let mut r = DerReader::new(payload);
    let v = read(&mut r, "payload")?;
    r.finish()?;
    Ok(v)
}

/// Encodes `v` as a whole payload.
pub(crate) fn encode_whole<'a, T: DerValue<'a>, B: BufMut>(
    v: &T,
    out: &mut B,
) -> Result<(), EncodeError> {
    v.check()?;
    let n = len_of(v);
    if v.content_len() > MAX_CONTENT {
        return Err(EncodeError::unrepresentable(LAYER, "length", n as u64));
    }
    smets_core::ensure_room(out, n, LAYER)?;
    put_of(out, v);
    Ok(())
}

/// `Decode` and `Encode` for types that are a whole payload.
macro_rules! whole_payload {
    ($($t:ident $(<$l:lifetime>)?),* $(,)?) => {$(
        impl<'a> smets_core::Decode<'a> for $t $(<$l>)? {
            fn decode(buf: &'a [u8]) -> Result<Self, smets_core::DecodeError> {
                $crate::asn1::decode_whole(buf)
            }
        }
        impl<'a> smets_core::Encode for $t $(<$l>)? {
            fn encoded_len(&self) -> usize {
                $crate::asn1::len_of(self)
            }
            fn encode<B: bytes::BufMut>(&self, out: &mut B) -> Result<(), smets_core::EncodeError> {
                $crate::asn1::encode_whole(self, out)
            }
        }
    )*};
}
pub(crate) use whole_payload;

/// Octets of the contents of a non-negative INTEGER (X.690 8.3).
#[must_use]
pub const fn uint_len(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    // One sign bit more than the magnitude needs, at least one octet.
    bits / 8 + 1
}

pub(crate) fn put_uint<B: BufMut>(out: &mut B, v: u64) {
    let n = uint_len(v);
    let be = v.to_be_bytes();
    if n > 8 {
        out.put_u8(0);
        out.put_slice(&be);
    } else {
        out.put_slice(be.get(8 - n..).unwrap_or_default());
    }
}

/// The value of a non-negative INTEGER or ENUMERATED of at most 64 bits.
pub(crate) fn uint(t: &Tlv<'_>, field: &'static str) -> Result<u64, DecodeError> {
    let v = t.value();
    let at = t.value_offset();
    let bad = |value: u64| DecodeError::invalid(LAYER, at, field, value);
    let (first, second) = match v {
        [] => return Err(bad(0)),
        [a] => (*a, None),
        [a, b, ..] => (*a, Some(*b)),
    };
    if first & 0x80 != 0 {
        return Err(bad(u64::from(first)));
    }
    // X.690 8.3.2: the first nine bits are not all zero.
    if first == 0 && second.is_some_and(|b| b & 0x80 == 0) {
        return Err(bad(0));
    }
    let digits = if first == 0 && v.len() > 1 {
        v.get(1..).unwrap_or_default()
    } else {
        v
    };
    if digits.len() > 8 {
        return Err(bad(digits.len() as u64));
    }
    Ok(digits.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b)))
}

/// An INTEGER that must fit `T` (a code point).
pub(crate) fn small<T: From<u8>>(t: &Tlv<'_>, field: &'static str) -> Result<T, DecodeError> {
    let v = uint(t, field)?;
    u8::try_from(v)
        .map(T::from)
        .map_err(|_| DecodeError::invalid(LAYER, t.value_offset(), field, v))
}

/// An INTEGER of 16 bits (an alert code).
pub(crate) fn u16_of(t: &Tlv<'_>, field: &'static str) -> Result<u16, DecodeError> {
    let v = uint(t, field)?;
    u16::try_from(v).map_err(|_| DecodeError::invalid(LAYER, t.value_offset(), field, v))
}

pub(crate) fn read_uint(r: &mut DerReader<'_>, field: &'static str) -> Result<u64, DecodeError> {
    uint(&r.expect(Tag::INTEGER, field)?, field)
}

pub(crate) fn read_small<T: From<u8>>(
    r: &mut DerReader<'_>,
    tag: Tag,
    field: &'static str,
) -> Result<T, DecodeError> {
    small(&r.expect(tag, field)?, field)
}

pub(crate) fn read_octets<'a>(
    r: &mut DerReader<'a>,
    field: &'static str,
) -> Result<&'a [u8], DecodeError> {
    Ok(r.expect(Tag::OCTET_STRING, field)?.value())
}

/// An OCTET STRING of 8 octets read as an Entity Identifier, first octet
/// most significant.
pub(crate) fn read_eui(r: &mut DerReader<'_>, field: &'static str) -> Result<Eui64, DecodeError> {
    let t = r.expect(Tag::OCTET_STRING, field)?;
    let b: [u8; 8] = t
        .value()
        .try_into()
        .map_err(|_| DecodeError::invalid(LAYER, t.offset(), field, t.value().len() as u64))?;
    Ok(Eui64(u64::from_be_bytes(b)))
}

pub(crate) fn read_null(r: &mut DerReader<'_>, field: &'static str) -> Result<(), DecodeError> {
    let t = r.expect(Tag::NULL, field)?;
    if !t.value().is_empty() {
        return Err(DecodeError::invalid(
            LAYER,
            t.offset(),
            field,
            t.value().len() as u64,
        ));
    }
    Ok(())
}

pub(crate) const fn uint_elem_len(v: u64) -> usize {
    element_len(Tag::INTEGER, uint_len(v))
}

pub(crate) fn put_uint_elem<B: BufMut>(out: &mut B, tag: Tag, v: u64) {
    put_header(out, tag, uint_len(v));
    put_uint(out, v);
}

pub(crate) const fn octets_elem_len(v: &[u8]) -> usize {
    element_len(Tag::OCTET_STRING, v.len())
}

pub(crate) fn put_octets_elem<B: BufMut>(out: &mut B, tag: Tag, v: &[u8]) {
    put_header(out, tag, v.len());
    out.put_slice(v);
}

pub(crate) const EUI_ELEM_LEN: usize = 10;

pub(crate) fn put_eui_elem<B: BufMut>(out: &mut B, v: Eui64) {
    put_octets_elem(out, Tag::OCTET_STRING, &v.to_be_bytes());
}

pub(crate) const NULL_ELEM_LEN: usize = 2;

pub(crate) fn put_null<B: BufMut>(out: &mut B) {
    out.put_slice(&[0x05, 0x00]);
}

pub(crate) fn check_content(len: usize, field: &'static str) -> Result<(), EncodeError> {
    if len > MAX_CONTENT {
        return Err(EncodeError::unrepresentable(LAYER, field, len as u64));
    }
    Ok(())
}

/// A SEQUENCE OF `T` (X.680 26): decoded, the checked DER element, read
/// item by item without allocating; built, a slice of items.
#[derive(Clone, Copy)]
pub enum SeqOf<'a, T> {
    /// The element as received; every item was decoded once when it was
    /// read. Build it only by decoding: iteration stops at an item that
    /// does not decode.
    Der(Tlv<'a>),
    /// Items to encode.
    Items(&'a [T]),
}

impl<'a, T: DerValue<'a> + Copy> SeqOf<'a, T> {
    /// The items, in order.
    #[must_use]
    pub fn iter(&self) -> SeqOfIter<'a, T> {
        match self {
            Self::Der(t) => SeqOfIter::Der(t.reader()),
            Self::Items(s) => SeqOfIter::Items(s.iter()),
        }
    }

    /// Number of items.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Self::Der(_) => self.iter().count(),
            Self::Items(s) => s.len(),
        }
    }

    /// Whether there are no items.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl<'a, T> From<&'a [T]> for SeqOf<'a, T> {
    fn from(items: &'a [T]) -> Self {
        Self::Items(items)
    }
}

impl<'a, T: DerValue<'a> + Copy + fmt::Debug> fmt::Debug for SeqOf<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T: DerValue<'a> + Copy + PartialEq> PartialEq for SeqOf<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a, T: DerValue<'a> + Copy + Eq> Eq for SeqOf<'a, T> {}

/// Iterator over the items of a [`SeqOf`].
#[derive(Debug, Clone)]
pub enum SeqOfIter<'a, T> {
    /// Reading the received element.
    Der(DerReader<'a>),
    /// Walking built items.
    Items(core::slice::Iter<'a, T>),
}

impl<'a, T: DerValue<'a> + Copy> Iterator for SeqOfIter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            // Every item decoded when the SEQUENCE OF was read, so this
            // does not fail.
            Self::Der(r) => {
                if r.is_empty() {
                    None
                } else {
                    read(r, "item").ok()
                }
            }
            Self::Items(i) => i.next().copied(),
        }
    }
}

impl<'a, T: DerValue<'a> + Copy> DerValue<'a> for SeqOf<'a, T> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        while !r.is_empty() {
            read::<T>(&mut r, "item")?;
        }
        Ok(Self::Der(*t))
    }

    fn content_len(&self) -> usize {
        self.iter().map(|v| len_of(&v)).sum()
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        for v in self.iter() {
            put_of(out, &v);
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.iter().try_for_each(|v| v.check())
    }
}

/// A SEQUENCE kept as borrowed DER, handed to `x509-cert` on demand.
macro_rules! der_sequence {
    ($(#[$m:meta])* $name:ident, $field:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name<'a> {
            /// The whole element, identifier and length included.
            pub der: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// Wraps one DER SEQUENCE that fills `der`.
            ///
            /// # Errors
            /// When `der` is not exactly one SEQUENCE element.
            pub fn new(der: &'a [u8]) -> Result<Self, DecodeError> {
                decode_whole(der)
            }

            fn element(&self) -> Option<Tlv<'a>> {
                let mut r = DerReader::new(self.der);
                let t = r.expect(Tag::SEQUENCE, $field).ok()?;
                r.finish().ok()?;
                Some(t)
            }
        }

        impl<'a> DerValue<'a> for $name<'a> {
            const TAG: Tag = Tag::SEQUENCE;

            fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
                Ok(Self { der: t.as_bytes() })
            }

            fn content_len(&self) -> usize {
                self.element().map_or(0, |t| t.value().len())
            }

            fn put_content<B: BufMut>(&self, out: &mut B) {
                if let Some(t) = self.element() {
                    out.put_slice(t.value());
                }
            }

            fn check(&self) -> Result<(), EncodeError> {
                match self.element() {
                    Some(_) => Ok(()),
                    None => Err(EncodeError::unrepresentable(LAYER, $field, self.der.len() as u64)),
                }
            }

            fn verbatim(&self) -> Option<&'a [u8]> {
                self.element().map(|_| self.der)
            }
        }
    };
}

der_sequence!(
    /// An X.509 certificate (RFC 5280 4.1) inside a GBCS payload, as DER.
    CertificateDer,
    "certificate"
);

der_sequence!(
    /// A PKCS #10 CertificationRequest (RFC 2986 4.2), the CS02c
    /// response, as DER.
    CertificationRequestDer,
    "certification request"
);

impl CertificateDer<'_> {
    /// The certificate, parsed by `x509-cert`.
    ///
    /// # Errors
    /// When the DER is not an X.509 certificate.
    pub fn certificate(&self) -> Result<x509_cert::Certificate, der::Error> {
        der::Decode::from_der(self.der)
    }

    /// What a GB SMKI certificate says about its key (entity, usage, role).
    ///
    /// # Errors
    /// As [`crate::keys::SmkiCertificate::from_der`].
    pub fn smki(&self) -> Result<crate::keys::SmkiCertificate, crate::keys::KeyError> {
        crate::keys::SmkiCertificate::from_der(self.der)
    }
}

impl CertificationRequestDer<'_> {
    /// The request, parsed by `x509-cert`.
    ///
    /// # Errors
    /// When the DER is not a PKCS #10 request.
    pub fn request(&self) -> Result<x509_cert::request::CertReq, der::Error> {
        der::Decode::from_der(self.der)
    }
}

whole_payload!(CertificateDer<'a>, CertificationRequestDer<'a>);

/// A GeneralizedTime in the DER form GBCS uses, `YYYYMMDDHHMMSSZ` (X.680 46,
/// X.690 11.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneralizedTime {
    /// An instant from 2000 to 2136.
    At(Utc2000),
    /// `99991231235959Z`: the execution date-time that cancels a pending
    /// future-dated command (GBCS 11, 13.3.2.2).
    Cancel,
    /// Any other valid date outside [`Utc2000`]'s range.
    Other(Civil),
}

/// The cancellation date-time 9999-12-31 23:59:59.
const CANCEL: Civil = Civil {
    year: 9999,
    month: 12,
    day: 31,
    hour: 23,
    minute: 59,
    second: 59,
};

impl GeneralizedTime {
    /// The value of a calendar date and time: [`GeneralizedTime::Cancel`],
    /// an instant, or `Other`; `None` when a field is out of range.
    #[must_use]
    pub fn from_civil(c: Civil) -> Option<Self> {
        if c == CANCEL {
            return Some(Self::Cancel);
        }
        if c.year > 9999
            || !(1..=12).contains(&c.month)
            || c.day == 0
            || c.day > days_in_month(c.year, c.month)
            || c.hour > 23
            || c.minute > 59
            || c.second > 59
        {
            return None;
        }
        Some(Utc2000::from_civil(c).map_or(Self::Other(c), Self::At))
    }

    /// The calendar date and time.
    #[must_use]
    pub fn civil(self) -> Civil {
        match self {
            Self::At(t) => t.to_civil(),
            Self::Cancel => CANCEL,
            Self::Other(c) => c,
        }
    }

    /// The instant, when it is one.
    #[must_use]
    pub const fn utc(self) -> Option<Utc2000> {
        match self {
            Self::At(t) => Some(t),
            _ => None,
        }
    }

    fn digits(self) -> [u8; 15] {
        let c = self.civil();
        let mut out = *b"00000000000000Z";
        let fields: [(usize, usize, u16); 6] = [
            (0, 4, c.year),
            (4, 2, u16::from(c.month)),
            (6, 2, u16::from(c.day)),
            (8, 2, u16::from(c.hour)),
            (10, 2, u16::from(c.minute)),
            (12, 2, u16::from(c.second)),
        ];
        for (at, n, mut v) in fields {
            for i in (at..at + n).rev() {
                if let Some(d) = out.get_mut(i) {
                    *d = b'0' + u8::try_from(v % 10).unwrap_or(0);
                }
                v /= 10;
            }
        }
        out
    }
}

impl fmt::Display for GeneralizedTime {
    /// ISO 8601: `2030-01-15T09:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for GeneralizedTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl DerValue<'_> for GeneralizedTime {
    const TAG: Tag = Tag::GENERALIZED_TIME;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let v = t.value();
        let bad =
            || DecodeError::invalid(LAYER, t.value_offset(), "generalized time", v.len() as u64);
        let [digits @ .., b'Z'] = v else {
            return Err(bad());
        };
        if digits.len() != 14 || !digits.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        let num = |a: usize, b: usize| {
            digits
                .get(a..b)
                .unwrap_or_default()
                .iter()
                .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
        };
        let two = |a: usize| u8::try_from(num(a, a + 2)).unwrap_or(u8::MAX);
        let c = Civil {
            year: num(0, 4),
            month: two(4),
            day: two(6),
            hour: two(8),
            minute: two(10),
            second: two(12),
        };
        Self::from_civil(c).ok_or_else(bad)
    }

    fn content_len(&self) -> usize {
        15
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        out.put_slice(&self.digits());
    }

    fn check(&self) -> Result<(), EncodeError> {
        // An `Other` that names the cancellation or an instant in range
        // would decode as the other variant.
        match self {
            Self::Other(c) if Self::from_civil(*c) != Some(*self) => {
                Err(EncodeError::inconsistent(LAYER, "generalized time"))
            }
            _ => Ok(()),
        }
    }
}

/// X.509 KeyUsage bits (RFC 5280 4.2.1.3) as GBCS sends them in trust
/// anchor cell identifiers and CS02c/CS02e requests: bit `n` of the named
/// bit list is `1 << n` here (`03 02 07 80` is digitalSignature).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct KeyUsageBits(pub u16);

impl KeyUsageBits {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: Self = Self(1);
    /// keyAgreement (4).
    pub const KEY_AGREEMENT: Self = Self(1 << 4);
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: Self = Self(1 << 5);
    /// cRLSign (6).
    pub const CRL_SIGN: Self = Self(1 << 6);

    /// DS or KA when exactly that bit is set.
    #[must_use]
    pub const fn key_usage(self) -> Option<crate::KeyUsage> {
        match self {
            Self::DIGITAL_SIGNATURE => Some(crate::KeyUsage::DigitalSignature),
            Self::KEY_AGREEMENT => Some(crate::KeyUsage::KeyAgreement),
            _ => None,
        }
    }

    /// "digital_signature", "key_agreement", "key_cert_sign" or "crl_sign"
    /// for a single named bit.
    #[must_use]
    pub const fn label(self) -> Option<&'static str> {
        match self {
            Self::DIGITAL_SIGNATURE => Some("digital_signature"),
            Self::KEY_AGREEMENT => Some("key_agreement"),
            Self::KEY_CERT_SIGN => Some("key_cert_sign"),
            Self::CRL_SIGN => Some("crl_sign"),
            _ => None,
        }
    }

    const fn octets(self) -> usize {
        if self.0 == 0 {
            0
        } else {
            (15 - self.0.leading_zeros() as usize) / 8 + 1
        }
    }
}

impl From<crate::KeyUsage> for KeyUsageBits {
    fn from(u: crate::KeyUsage) -> Self {
        match u {
            crate::KeyUsage::DigitalSignature => Self::DIGITAL_SIGNATURE,
            crate::KeyUsage::KeyAgreement => Self::KEY_AGREEMENT,
        }
    }
}

impl DerValue<'_> for KeyUsageBits {
    const TAG: Tag = Tag::BIT_STRING;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let at = t.value_offset();
        let bad = |v: u64| DecodeError::invalid(LAYER, at, "key usage", v);
        let (unused, bits) = match t.value() {
            [] => return Err(bad(0)),
            [u, bits @ ..] => (*u, bits),
        };
        let mut v: u16 = 0;
        match bits {
            [] if unused == 0 => return Ok(Self(0)),
            [a] => v |= u16::from(a.reverse_bits()),
            [a, b] => v |= u16::from(a.reverse_bits()) | (u16::from(b.reverse_bits()) << 8),
            _ => return Err(bad(bits.len() as u64)),
        }
        // X.690 11.2.2: no trailing zero bits, and the unused count says so.
        let last = bits.last().copied().unwrap_or(0);
        if unused > 7 || last.trailing_zeros() != u32::from(unused) {
            return Err(bad(u64::from(unused)));
        }
        Ok(Self(v))
    }

    fn content_len(&self) -> usize {
        1 + self.octets()
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        let n = self.octets();
        if n == 0 {
            out.put_u8(0);
            return;
        }
        let highest = 15 - self.0.leading_zeros() as usize;
        out.put_u8(u8::try_from(7 - highest % 8).unwrap_or(0));
        let [lo, hi] = self.0.to_le_bytes();
        out.put_u8(lo.reverse_bits());
        if n == 2 {
            out.put_u8(hi.reverse_bits());
        }
    }
}

macro_rules! integer_enum {
    ($($t:ty => $f:literal),* $(,)?) => {$(
        impl $crate::asn1::DerValue<'_> for $t {
            const TAG: $crate::asn1::Tag = $crate::asn1::Tag::INTEGER;

            fn from_tlv(
                t: &$crate::asn1::Tlv<'_>,
            ) -> Result<Self, smets_core::DecodeError> {
                $crate::asn1::small(t, $f)
            }

            fn content_len(&self) -> usize {
                $crate::asn1::uint_len(u64::from(self.value()))
            }

            fn put_content<B: bytes::BufMut>(&self, out: &mut B) {
                $crate::asn1::put_uint(out, u64::from(self.value()));
            }
        }
    )*};
}
pub(crate) use integer_enum;

open_enum! {
    /// RemotePartyRole INTEGER (GBCS 13, SMKI organisation certificate
    /// role numbers).
    pub enum RemotePartyRole: u8 {
        /// 0: root.
        Root = 0 => "root",
        /// 1: recovery.
        Recovery = 1 => "recovery",
        /// 2: supplier.
        Supplier = 2 => "supplier",
        /// 3: network operator.
        NetworkOperator = 3 => "network_operator",
        /// 4: Access Control Broker.
        AccessControlBroker = 4 => "access_control_broker",
        /// 5: transitional change of supplier.
        TransitionalCoS = 5 => "transitional_cos",
        /// 6: WAN provider.
        WanProvider = 6 => "wan_provider",
        /// 7: issuing authority.
        IssuingAuthority = 7 => "issuing_authority",
        /// 8: load controller (CS02f/CS02g; named from the use cases).
        LoadController = 8 => "load_controller",
        /// 127: other.
        Other = 127 => "other",
    }
}

impl RemotePartyRole {
    /// The key store's role type, for a named role.
    #[must_use]
    pub fn role(self) -> Option<crate::RemotePartyRole> {
        crate::RemotePartyRole::from_value(self.value())
    }
}

impl From<crate::RemotePartyRole> for RemotePartyRole {
    fn from(r: crate::RemotePartyRole) -> Self {
        Self::from(r.value())
    }
}

open_enum! {
    /// DeviceType INTEGER of device log entries and joins (GBCS 13).
    pub enum DeviceType: u8 {
        /// 0: gas smart meter.
        Gsme = 0 => "gsme",
        /// 1: electricity smart meter.
        Esme = 1 => "esme",
        /// 2: comms hub function.
        Chf = 2 => "chf",
        /// 3: gas proxy function.
        Gpf = 3 => "gpf",
        /// 4: HAN-connected auxiliary load control switch.
        Hcalcs = 4 => "hcalcs",
        /// 5: prepayment meter interface device.
        Ppmid = 5 => "ppmid",
        /// 6: type 2 device.
        Type2 = 6 => "type2",
    }
}

open_enum! {
    /// CellUsage INTEGER {management (0), prePaymentTopUp (1)} DEFAULT
    /// management (GBCS 13).
    pub enum CellUsage: u8 {
        /// 0: management.
        Management = 0 => "management",
        /// 1: prepayment top-up.
        PrepaymentTopUp = 1 => "prepayment_top_up",
    }
}

open_enum! {
    /// StatusCode ENUMERATED of the CS02a and CS02b responses (GBCS 13).
    pub enum StatusCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 5: bad certificate.
        BadCertificate = 5 => "bad_certificate",
        /// 10: no trust anchor.
        NoTrustAnchor = 10 => "no_trust_anchor",
        /// 17: insufficient memory.
        InsufficientMemory = 17 => "insufficient_memory",
        /// 25: trust anchor not found.
        TrustAnchorNotFound = 25 => "trust_anchor_not_found",
        /// 30: resources busy.
        ResourcesBusy = 30 => "resources_busy",
        /// 127: other.
        Other = 127 => "other",
    }
}

integer_enum!(
    RemotePartyRole => "remote party role",
    DeviceType => "device type",
    CellUsage => "cell usage",
);

impl DerValue<'_> for StatusCode {
    const TAG: Tag = Tag::ENUMERATED;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        small(t, "status code")
    }

    fn content_len(&self) -> usize {
        uint_len(u64::from(self.value()))
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_uint(out, u64::from(self.value()));
    }
}

/// DeviceLogEntry SEQUENCE {deviceId OCTET STRING (SIZE 8), deviceType}
/// (GBCS 13: CS07, GCS59, GCS62).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DeviceLogEntry {
    /// Entity Identifier of the device.
    pub device_id: Eui64,
    /// Its type.
    pub device_type: DeviceType,
}

impl DerValue<'_> for DeviceLogEntry {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let device_id = read_eui(&mut r, "device id")?;
        let device_type = read(&mut r, "device type")?;
        r.finish()?;
        Ok(Self {
            device_id,
            device_type,
        })
    }

    fn content_len(&self) -> usize {
        EUI_ELEM_LEN + len_of(&self.device_type)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_eui_elem(out, self.device_id);
        put_of(out, &self.device_type);
    }
}

/// The first two fields of every DER alert: alertCode INTEGER (with the
/// leading zero octet that keeps `0x8F66` positive) and the GeneralizedTime
/// (GBCS 11, 13.3.2.3, 13.3.5).
pub(crate) fn read_alert_head(
    r: &mut DerReader<'_>,
    time_field: &'static str,
) -> Result<(u16, GeneralizedTime), DecodeError> {
    let code = u16_of(&r.expect(Tag::INTEGER, "alert code")?, "alert code")?;
    let time = read(r, time_field)?;
    Ok((code, time))
}

pub(crate) fn alert_head_len(code: u16, time: &GeneralizedTime) -> usize {
    uint_elem_len(u64::from(code)) + len_of(time)
}

pub(crate) fn put_alert_head<B: BufMut>(out: &mut B, code: u16, time: &GeneralizedTime) {
    put_uint_elem(out, Tag::INTEGER, u64::from(code));
    put_of(out, time);
}

whole_payload!(GeneralizedTime, KeyUsageBits, DeviceLogEntry);

#[cfg(test)]
mod tests;
