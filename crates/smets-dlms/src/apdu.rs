//! The xDLMS APDUs that GBCS content carries (IEC 62056-5-3 9.3 / DLMS Green
//! Book: access-request `D9`, access-response `DA`, data-notification `0F`;
//! GBCS 7.2.3): their headers and lists, enough to reach every Data value;
//! and [`Apdu`], any APDU of this crate (`xdlms`, `ciphering`). Decoded and
//! re-encoded byte for byte; it does not name COSEM objects.

use core::fmt;

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Layer, Reader, ber, ensure_room,
    open_enum,
};

use crate::axdr::{DATE_TIME_LEN, Data, Elements};
use crate::ciphering::Ciphered;
pub use crate::cosem::ObisCode;
use crate::xdlms::{
    ActionRequest, ActionResponse, Cursor, GetRequest, GetResponse, SetRequest, SetResponse,
    TAG_ACTION_REQUEST, TAG_ACTION_RESPONSE, TAG_GET_REQUEST, TAG_GET_RESPONSE, TAG_SET_REQUEST,
    TAG_SET_RESPONSE,
};

const LAYER: Layer = Layer::Dlms;

/// Access-Request APDU tag (IEC 62056-5-3 9.5).
pub const TAG_ACCESS_REQUEST: u8 = 0xD9;
/// Access-Response APDU tag (IEC 62056-5-3 9.5).
pub const TAG_ACCESS_RESPONSE: u8 = 0xDA;
/// Data-Notification APDU tag (IEC 62056-5-3 9.5).
pub const TAG_DATA_NOTIFICATION: u8 = 0x0F;

/// Cosem-Attribute-Descriptor (IEC 62056-5-3 9.5): class, instance, attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributeDescriptor {
    /// class-id.
    pub class_id: u16,
    /// instance-id: the logical name.
    pub instance_id: ObisCode,
    /// attribute-id (Integer8).
    pub attribute_id: i8,
}

/// Cosem-Method-Descriptor (IEC 62056-5-3 9.5): class, instance, method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodDescriptor {
    /// class-id.
    pub class_id: u16,
    /// instance-id: the logical name.
    pub instance_id: ObisCode,
    /// method-id (Integer8).
    pub method_id: i8,
}

/// One Access-Request-Specification (IEC 62056-5-3 9.5, CHOICE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessRequestSpecification<'a> {
    /// \[1\] access-request-get.
    Get(AttributeDescriptor),
    /// \[2\] access-request-set.
    Set(AttributeDescriptor),
    /// \[3\] access-request-action.
    Action(MethodDescriptor),
    /// \[4\] access-request-get-with-selection.
    GetWithSelection {
        /// The attribute.
        descriptor: AttributeDescriptor,
        /// access-selector.
        access_selector: u8,
        /// access-parameters.
        access_parameters: Data<'a>,
    },
    /// \[5\] access-request-set-with-selection.
    SetWithSelection {
        /// The attribute.
        descriptor: AttributeDescriptor,
        /// access-selector.
        access_selector: u8,
        /// access-parameters.
        access_parameters: Data<'a>,
    },
}

open_enum! {
    /// Data-Access-Result (IEC 62056-5-3 9.5).
    pub enum DataAccessResult: u8 {
        /// Success.
        Success = 0 => "success",
        /// Hardware fault.
        HardwareFault = 1 => "hardware_fault",
        /// Temporary failure.
        TemporaryFailure = 2 => "temporary_failure",
        /// Read-write denied.
        ReadWriteDenied = 3 => "read_write_denied",
        /// Object undefined.
        ObjectUndefined = 4 => "object_undefined",
        /// Object class inconsistent.
        ObjectClassInconsistent = 9 => "object_class_inconsistent",
        /// Object unavailable.
        ObjectUnavailable = 11 => "object_unavailable",
        /// Type unmatched.
        TypeUnmatched = 12 => "type_unmatched",
        /// Scope of access violated.
        ScopeOfAccessViolated = 13 => "scope_of_access_violated",
        /// Data block unavailable.
        DataBlockUnavailable = 14 => "data_block_unavailable",
        /// Long get aborted.
        LongGetAborted = 15 => "long_get_aborted",
        /// No long get in progress.
        NoLongGetInProgress = 16 => "no_long_get_in_progress",
        /// Long set aborted.
        LongSetAborted = 17 => "long_set_aborted",
        /// No long set in progress.
        NoLongSetInProgress = 18 => "no_long_set_in_progress",
        /// Data block number invalid.
        DataBlockNumberInvalid = 19 => "data_block_number_invalid",
        /// Other reason.
        OtherReason = 250 => "other_reason",
    }
}

open_enum! {
    /// Action-Result (IEC 62056-5-3 9.5).
    pub enum ActionResult: u8 {
        /// Success.
        Success = 0 => "success",
        /// Hardware fault.
        HardwareFault = 1 => "hardware_fault",
        /// Temporary failure.
        TemporaryFailure = 2 => "temporary_failure",
        /// Read-write denied.
        ReadWriteDenied = 3 => "read_write_denied",
        /// Object undefined.
        ObjectUndefined = 4 => "object_undefined",
        /// Object class inconsistent.
        ObjectClassInconsistent = 9 => "object_class_inconsistent",
        /// Object unavailable.
        ObjectUnavailable = 11 => "object_unavailable",
        /// Type unmatched.
        TypeUnmatched = 12 => "type_unmatched",
        /// Scope of access violated.
        ScopeOfAccessViolated = 13 => "scope_of_access_violated",
        /// Data block unavailable.
        DataBlockUnavailable = 14 => "data_block_unavailable",
        /// Long action aborted.
        LongActionAborted = 15 => "long_action_aborted",
        /// No long action in progress.
        NoLongActionInProgress = 16 => "no_long_action_in_progress",
        /// Other reason.
        OtherReason = 250 => "other_reason",
    }
}

/// One Access-Response-Specification (IEC 62056-5-3 9.5, CHOICE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessResponseSpecification {
    /// \[1\] access-response-get.
    Get(DataAccessResult),
    /// \[2\] access-response-set.
    Set(DataAccessResult),
    /// \[3\] access-response-action.
    Action(ActionResult),
}

/// List-Of-Access-Request-Specification: a borrowed iterator over a list
/// checked when the APDU was decoded, or over values given to encode
/// ([`AccessRequestSpecifications::from_items`]). Two lists are equal when
/// they yield equal specifications.
#[derive(Clone, Copy)]
pub struct AccessRequestSpecifications<'a> {
    source: SpecSource<'a>,
    left: usize,
}

#[derive(Clone, Copy)]
enum SpecSource<'a> {
    /// Specifications checked in `buf`, the next one at `pos`.
    Encoded { buf: &'a [u8], pos: usize },
    /// Specifications given as values, the next one first.
    Items(&'a [AccessRequestSpecification<'a>]),
}

impl<'a> AccessRequestSpecifications<'a> {
    /// A list with no specification.
    pub const EMPTY: AccessRequestSpecifications<'static> = AccessRequestSpecifications {
        source: SpecSource::Items(&[]),
        left: 0,
    };

    /// A list holding `items`, for encoding.
    #[must_use]
    pub const fn from_items(items: &'a [AccessRequestSpecification<'a>]) -> Self {
        Self {
            source: SpecSource::Items(items),
            left: items.len(),
        }
    }

    /// Specifications not yet iterated.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.left
    }

    /// True when none is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.left == 0
    }

    /// Bytes of the list left: its count, then the specifications.
    fn encoded_len(&self) -> usize {
        ber::length_len(self.left) + { *self }.map(|s| s.encoded_len()).sum::<usize>()
    }

    fn check(&self) -> Result<(), EncodeError> {
        check_count(self.left, "access-request-specification count")?;
        { *self }.try_for_each(|s| s.check())
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        ber::put_length(out, self.left);
        for s in *self {
            s.put(out);
        }
    }
}

impl<'a> Iterator for AccessRequestSpecifications<'a> {
    type Item = AccessRequestSpecification<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let spec = match &mut self.source {
            SpecSource::Encoded { buf, pos } => {
                let (spec, end) = request_specification(buf, *pos).ok()?;
                *pos = end;
                spec
            }
            SpecSource::Items(items) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                *first
            }
        };
        self.left -= 1;
        Some(spec)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for AccessRequestSpecifications<'_> {}

impl PartialEq for AccessRequestSpecifications<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.left == other.left && (*self).eq(*other)
    }
}

impl Eq for AccessRequestSpecifications<'_> {}

impl fmt::Debug for AccessRequestSpecifications<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

/// List-Of-Access-Response-Specification: a borrowed iterator over a list
/// checked when the APDU was decoded, or over values given to encode
/// ([`AccessResponseSpecifications::from_items`]). Two lists are equal when
/// they yield equal results.
#[derive(Clone, Copy)]
pub struct AccessResponseSpecifications<'a> {
    source: ResultSource<'a>,
}

#[derive(Clone, Copy)]
enum ResultSource<'a> {
    /// Checked (choice, result) pairs.
    Encoded(&'a [u8]),
    /// Results given as values.
    Items(&'a [AccessResponseSpecification]),
}

impl<'a> AccessResponseSpecifications<'a> {
    /// A list holding `items`, for encoding.
    #[must_use]
    pub const fn from_items(items: &'a [AccessResponseSpecification]) -> Self {
        Self {
            source: ResultSource::Items(items),
        }
    }

    /// Specifications not yet iterated.
    #[must_use]
    pub const fn len(&self) -> usize {
        match self.source {
            ResultSource::Encoded(b) => b.len() / 2,
            ResultSource::Items(items) => items.len(),
        }
    }

    /// True when none is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn encoded_len(&self) -> usize {
        ber::length_len(self.len()) + 2 * self.len()
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        ber::put_length(out, self.len());
        for s in *self {
            out.put_u8(s.choice());
            out.put_u8(match s {
                AccessResponseSpecification::Get(r) | AccessResponseSpecification::Set(r) => {
                    r.into()
                }
                AccessResponseSpecification::Action(r) => r.into(),
            });
        }
    }
}

impl Iterator for AccessResponseSpecifications<'_> {
    type Item = AccessResponseSpecification;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            ResultSource::Encoded(b) => {
                let ([choice, result], rest) = b.split_first_chunk::<2>()?;
                *b = rest;
                response_specification(*choice, *result)
            }
            ResultSource::Items(items) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                Some(*first)
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len(), Some(self.len()))
    }
}

impl ExactSizeIterator for AccessResponseSpecifications<'_> {}

impl PartialEq for AccessResponseSpecifications<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && (*self).eq(*other)
    }
}

impl Eq for AccessResponseSpecifications<'_> {}

impl fmt::Debug for AccessResponseSpecifications<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

impl AccessResponseSpecification {
    /// The CHOICE tag: 1 get, 2 set, 3 action.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Get(_) => 1,
            Self::Set(_) => 2,
            Self::Action(_) => 3,
        }
    }
}

fn response_specification(choice: u8, result: u8) -> Option<AccessResponseSpecification> {
    match choice {
        1 => Some(AccessResponseSpecification::Get(result.into())),
        2 => Some(AccessResponseSpecification::Set(result.into())),
        3 => Some(AccessResponseSpecification::Action(result.into())),
        _ => None,
    }
}

/// Access-Request (IEC 62056-5-3 9.5; GBCS 7.2.3): every DLMS command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessRequest<'a> {
    /// long-invoke-id-and-priority (in GBCS: `0x20` then the low 24 bits of
    /// the originator counter).
    pub long_invoke_id_and_priority: u32,
    /// date-time, `None` when sent empty (always so in GBCS).
    pub date_time: Option<[u8; DATE_TIME_LEN]>,
    /// access-request-specification list.
    pub specifications: AccessRequestSpecifications<'a>,
    /// access-request-list-of-data: one Data per specification.
    pub data: Elements<'a>,
}

/// Access-Response (IEC 62056-5-3 9.5; GBCS 7.2.3): every DLMS response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessResponse<'a> {
    /// long-invoke-id-and-priority, echoed from the request.
    pub long_invoke_id_and_priority: u32,
    /// date-time, `None` when sent empty.
    pub date_time: Option<[u8; DATE_TIME_LEN]>,
    /// The optional echo of the request's specifications (absent in GBCS).
    pub request_specifications: Option<AccessRequestSpecifications<'a>>,
    /// access-response-list-of-data: the values read, null for sets and actions.
    pub data: Elements<'a>,
    /// access-response-specification list: one result per request item.
    pub results: AccessResponseSpecifications<'a>,
}

/// Data-Notification (IEC 62056-5-3 9.5; GBCS 7.2.3): every DLMS alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataNotification<'a> {
    /// long-invoke-id-and-priority (in GBCS: the low 24 bits are the alert's
    /// originator counter).
    pub long_invoke_id_and_priority: u32,
    /// date-time, `None` when sent empty.
    pub date_time: Option<[u8; DATE_TIME_LEN]>,
    /// notification-body: in GBCS a structure whose first element is the
    /// alert code.
    pub body: Data<'a>,
}

/// One of the three xDLMS APDUs a GBCS payload starts with (GBCS 7.2.3).
///
/// Data values and lists keep offsets in the buffer the APDU was decoded
/// from ([`Elements::offset`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XdlmsApdu<'a> {
    /// `D9`.
    AccessRequest(AccessRequest<'a>),
    /// `DA`.
    AccessResponse(AccessResponse<'a>),
    /// `0F`.
    DataNotification(DataNotification<'a>),
}

fn date_time(r: &mut Reader<'_>) -> Result<Option<[u8; DATE_TIME_LEN]>, DecodeError> {
    let n = r.u8("date-time length")?;
    match usize::from(n) {
        0 => Ok(None),
        DATE_TIME_LEN => Ok(Some(r.array("date-time")?)),
        _ => Err(r.invalid(1, "date-time length", u64::from(n))),
    }
}

/// An A-XDR length read as a list count, bounded by the bytes left at
/// `min` bytes per item.
fn count(r: &mut Reader<'_>, min: usize, field: &'static str) -> Result<usize, DecodeError> {
    let start = r.pos();
    let first = r.u8(field)?;
    let n = if first < 0x80 {
        usize::from(first)
    } else {
        let k = usize::from(first & 0x7f);
        if k == 0 || k > 4 {
            return Err(r.invalid(1, field, u64::from(first)));
        }
        let v = r.uint_be(k, field)?;
        usize::try_from(v).map_err(|_| r.invalid(k, field, v))?
    };
    if n.saturating_mul(min) > r.remaining() {
        return Err(r.invalid(r.pos() - start, field, n as u64));
    }
    Ok(n)
}

fn attribute_descriptor(r: &mut Reader<'_>) -> Result<AttributeDescriptor, DecodeError> {
    Ok(AttributeDescriptor {
        class_id: r.u16_be("class-id")?,
        instance_id: ObisCode(r.array("instance-id")?),
        attribute_id: i8::from_be_bytes(r.array("attribute-id")?),
    })
}

/// One specification at `at` in `buf`; returns it and where it ends.
fn request_specification(
    buf: &[u8],
    at: usize,
) -> Result<(AccessRequestSpecification<'_>, usize), DecodeError> {
    let mut r = Reader::with_base(buf.get(at..).unwrap_or_default(), LAYER, at);
    let choice = r.u8("access-request-specification")?;
    let spec = match choice {
        1 => AccessRequestSpecification::Get(attribute_descriptor(&mut r)?),
        2 => AccessRequestSpecification::Set(attribute_descriptor(&mut r)?),
        3 => AccessRequestSpecification::Action(MethodDescriptor {
            class_id: r.u16_be("class-id")?,
            instance_id: ObisCode(r.array("instance-id")?),
            method_id: i8::from_be_bytes(r.array("method-id")?),
        }),
        4 | 5 => {
            let descriptor = attribute_descriptor(&mut r)?;
            let access_selector = r.u8("access-selector")?;
            let (access_parameters, end) = Data::decode_at(buf, at + r.pos())?;
            let spec = if choice == 4 {
                AccessRequestSpecification::GetWithSelection {
                    descriptor,
                    access_selector,
                    access_parameters,
                }
            } else {
                AccessRequestSpecification::SetWithSelection {
                    descriptor,
                    access_selector,
                    access_parameters,
                }
            };
            return Ok((spec, end));
        }
        _ => {
            return Err(r.invalid(1, "access-request-specification", u64::from(choice)));
        }
    };
    Ok((spec, at + r.pos()))
}

/// Decodes a List-Of-Access-Request-Specification at `at`.
fn request_specifications(
    buf: &[u8],
    at: usize,
) -> Result<(AccessRequestSpecifications<'_>, usize), DecodeError> {
    let mut r = Reader::with_base(buf.get(at..).unwrap_or_default(), LAYER, at);
    // The shortest specification (get, set, action) takes 10 bytes.
    let left = count(&mut r, 10, "access-request-specification count")?;
    let pos = at + r.pos();
    let mut end = pos;
    for _ in 0..left {
        end = request_specification(buf, end)?.1;
    }
    Ok((
        AccessRequestSpecifications {
            source: SpecSource::Encoded { buf, pos },
            left,
        },
        end,
    ))
}

/// Moves a reader over the whole APDU to `end`, past a part decoded from
/// the same buffer by offset.
fn skip_to(r: &mut Reader<'_>, end: usize, field: &'static str) -> Result<(), DecodeError> {
    r.bytes(end - r.pos(), field).map(|_| ())
}

impl<'a> Decode<'a> for XdlmsApdu<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        let tag = r.u8("xdlms apdu tag")?;
        if !matches!(
            tag,
            TAG_ACCESS_REQUEST | TAG_ACCESS_RESPONSE | TAG_DATA_NOTIFICATION
        ) {
            return Err(r.invalid(1, "xdlms apdu tag", u64::from(tag)));
        }
        let long_invoke_id_and_priority = r.u32_be("long-invoke-id-and-priority")?;
        let date_time = date_time(&mut r)?;
        let apdu = match tag {
            TAG_ACCESS_REQUEST => {
                let (specifications, end) = request_specifications(buf, r.pos())?;
                skip_to(&mut r, end, "access-request-specification")?;
                let (data, end) = Elements::decode_sequence_at(buf, r.pos())?;
                skip_to(&mut r, end, "access-request-list-of-data")?;
                Self::AccessRequest(AccessRequest {
                    long_invoke_id_and_priority,
                    date_time,
                    specifications,
                    data,
                })
            }
            TAG_ACCESS_RESPONSE => {
                let request_specifications = match r.u8("access-request-specification present")? {
                    0 => None,
                    1 => {
                        let (s, end) = request_specifications(buf, r.pos())?;
                        skip_to(&mut r, end, "access-request-specification")?;
                        Some(s)
                    }
                    v => {
                        return Err(r.invalid(
                            1,
                            "access-request-specification present",
                            u64::from(v),
                        ));
                    }
                };
                let (data, end) = Elements::decode_sequence_at(buf, r.pos())?;
                skip_to(&mut r, end, "access-response-list-of-data")?;
                let n = count(&mut r, 2, "access-response-specification count")?;
                let items = r.bytes(2 * n, "access-response-specification")?;
                for (i, pair) in items.chunks_exact(2).enumerate() {
                    if let [choice, result] = pair
                        && response_specification(*choice, *result).is_none()
                    {
                        return Err(DecodeError::invalid(
                            LAYER,
                            r.pos() - items.len() + 2 * i,
                            "access-response-specification",
                            u64::from(*choice),
                        ));
                    }
                }
                Self::AccessResponse(AccessResponse {
                    long_invoke_id_and_priority,
                    date_time,
                    request_specifications,
                    data,
                    results: AccessResponseSpecifications {
                        source: ResultSource::Encoded(items),
                    },
                })
            }
            TAG_DATA_NOTIFICATION => {
                let (body, end) = Data::decode_at(buf, r.pos())?;
                skip_to(&mut r, end, "notification-body")?;
                Self::DataNotification(DataNotification {
                    long_invoke_id_and_priority,
                    date_time,
                    body,
                })
            }
            other => {
                return Err(DecodeError::invalid(
                    LAYER,
                    0,
                    "xdlms apdu tag",
                    u64::from(other),
                ));
            }
        };
        match r.remaining() {
            0 => Ok(apdu),
            count => Err(r.error(DecodeErrorKind::TrailingBytes { count })),
        }
    }
}

impl XdlmsApdu<'_> {
    /// The APDU's tag.
    #[must_use]
    pub const fn tag(&self) -> u8 {
        match self {
            Self::AccessRequest(_) => TAG_ACCESS_REQUEST,
            Self::AccessResponse(_) => TAG_ACCESS_RESPONSE,
            Self::DataNotification(_) => TAG_DATA_NOTIFICATION,
        }
    }

    /// The long-invoke-id-and-priority with its flags.
    #[must_use]
    pub const fn invoke(&self) -> LongInvokeIdAndPriority {
        LongInvokeIdAndPriority(self.long_invoke_id_and_priority())
    }

    /// long-invoke-id-and-priority.
    #[must_use]
    pub const fn long_invoke_id_and_priority(&self) -> u32 {
        match self {
            Self::AccessRequest(a) => a.long_invoke_id_and_priority,
            Self::AccessResponse(a) => a.long_invoke_id_and_priority,
            Self::DataNotification(a) => a.long_invoke_id_and_priority,
        }
    }
}

/// Long-Invoke-Id-And-Priority (IEC 62056-5-3 9.5, the ASN.1 comment on
/// the type): an Unsigned32 whose bits 0-23 are the invoke-id, 24-27
/// reserved, and 28-31 flags. GBCS sends `0x20` in the top octet: break on
/// error (GBCS 7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LongInvokeIdAndPriority(pub u32);

impl LongInvokeIdAndPriority {
    /// Bit 31, priority: high when set.
    pub const HIGH_PRIORITY: u32 = 1 << 31;
    /// Bit 30, service-class: confirmed when set.
    pub const CONFIRMED: u32 = 1 << 30;
    /// Bit 29, processing-option: break on error when set, else continue.
    pub const BREAK_ON_ERROR: u32 = 1 << 29;
    /// Bit 28, self-descriptive: the response carries the request's
    /// specifications when set.
    pub const SELF_DESCRIPTIVE: u32 = 1 << 28;

    /// The invoke-id: the low 24 bits.
    #[must_use]
    pub const fn invoke_id(self) -> u32 {
        self.0 & 0x00FF_FFFF
    }

    /// Bit 31 set: high priority.
    #[must_use]
    pub const fn high_priority(self) -> bool {
        self.0 & Self::HIGH_PRIORITY != 0
    }

    /// Bit 30 set: confirmed service.
    #[must_use]
    pub const fn confirmed(self) -> bool {
        self.0 & Self::CONFIRMED != 0
    }

    /// Bit 29 set: break on error.
    #[must_use]
    pub const fn break_on_error(self) -> bool {
        self.0 & Self::BREAK_ON_ERROR != 0
    }

    /// Bit 28 set: self-descriptive.
    #[must_use]
    pub const fn self_descriptive(self) -> bool {
        self.0 & Self::SELF_DESCRIPTIVE != 0
    }
}

impl From<u32> for LongInvokeIdAndPriority {
    fn from(v: u32) -> Self {
        Self(v)
    }
}

/// A count the decoder can read back: at most four length bytes.
fn check_count(n: usize, field: &'static str) -> Result<(), EncodeError> {
    if u32::try_from(n).is_ok() {
        Ok(())
    } else {
        Err(EncodeError::unrepresentable(LAYER, field, n as u64))
    }
}

const fn date_time_len(dt: Option<&[u8; DATE_TIME_LEN]>) -> usize {
    match dt {
        Some(_) => 1 + DATE_TIME_LEN,
        None => 1,
    }
}

fn put_date_time<B: BufMut>(out: &mut B, dt: Option<&[u8; DATE_TIME_LEN]>) {
    match dt {
        Some(b) => {
            // DATE_TIME_LEN is 12.
            out.put_u8(12);
            out.put_slice(b);
        }
        None => out.put_u8(0),
    }
}

pub(crate) fn put_attribute_descriptor<B: BufMut>(out: &mut B, d: &AttributeDescriptor) {
    out.put_u16(d.class_id);
    out.put_slice(&d.instance_id.0);
    out.put_i8(d.attribute_id);
}

pub(crate) fn put_method_descriptor<B: BufMut>(out: &mut B, d: &MethodDescriptor) {
    out.put_u16(d.class_id);
    out.put_slice(&d.instance_id.0);
    out.put_i8(d.method_id);
}

impl AccessRequestSpecification<'_> {
    /// The CHOICE tag: 1 get, 2 set, 3 action, 4 and 5 get and set with
    /// selection.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Get(_) => 1,
            Self::Set(_) => 2,
            Self::Action(_) => 3,
            Self::GetWithSelection { .. } => 4,
            Self::SetWithSelection { .. } => 5,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::GetWithSelection {
                access_parameters, ..
            }
            | Self::SetWithSelection {
                access_parameters, ..
            } => access_parameters.check(0),
            _ => Ok(()),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.choice());
        match self {
            Self::Get(d) | Self::Set(d) => put_attribute_descriptor(out, d),
            Self::Action(d) => put_method_descriptor(out, d),
            Self::GetWithSelection {
                descriptor,
                access_selector,
                access_parameters,
            }
            | Self::SetWithSelection {
                descriptor,
                access_selector,
                access_parameters,
            } => {
                put_attribute_descriptor(out, descriptor);
                out.put_u8(*access_selector);
                access_parameters.put(out);
            }
        }
    }
}

impl Encode for AccessRequestSpecification<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Get(_) | Self::Set(_) | Self::Action(_) => 10,
            Self::GetWithSelection {
                access_parameters, ..
            }
            | Self::SetWithSelection {
                access_parameters, ..
            } => 11 + access_parameters.encoded_len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.check()?;
        self.put(out);
        Ok(())
    }
}

impl AccessRequest<'_> {
    /// The long-invoke-id-and-priority with its flags.
    #[must_use]
    pub const fn invoke(&self) -> LongInvokeIdAndPriority {
        LongInvokeIdAndPriority(self.long_invoke_id_and_priority)
    }
}

impl AccessResponse<'_> {
    /// The long-invoke-id-and-priority with its flags.
    #[must_use]
    pub const fn invoke(&self) -> LongInvokeIdAndPriority {
        LongInvokeIdAndPriority(self.long_invoke_id_and_priority)
    }
}

impl DataNotification<'_> {
    /// The long-invoke-id-and-priority with its flags.
    #[must_use]
    pub const fn invoke(&self) -> LongInvokeIdAndPriority {
        LongInvokeIdAndPriority(self.long_invoke_id_and_priority)
    }
}

impl Encode for AccessRequest<'_> {
    fn encoded_len(&self) -> usize {
        5 + date_time_len(self.date_time.as_ref())
            + self.specifications.encoded_len()
            + self.data.encoded_len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.specifications.check()?;
        self.data.check_sequence()?;
        out.put_u8(TAG_ACCESS_REQUEST);
        out.put_u32(self.long_invoke_id_and_priority);
        put_date_time(out, self.date_time.as_ref());
        self.specifications.put(out);
        self.data.put_sequence(out);
        Ok(())
    }
}

impl Encode for AccessResponse<'_> {
    fn encoded_len(&self) -> usize {
        6 + date_time_len(self.date_time.as_ref())
            + self.request_specifications.map_or(0, |s| s.encoded_len())
            + self.data.encoded_len()
            + self.results.encoded_len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        if let Some(s) = &self.request_specifications {
            s.check()?;
        }
        self.data.check_sequence()?;
        check_count(self.results.len(), "access-response-specification count")?;
        out.put_u8(TAG_ACCESS_RESPONSE);
        out.put_u32(self.long_invoke_id_and_priority);
        put_date_time(out, self.date_time.as_ref());
        match &self.request_specifications {
            Some(s) => {
                out.put_u8(1);
                s.put(out);
            }
            None => out.put_u8(0),
        }
        self.data.put_sequence(out);
        self.results.put(out);
        Ok(())
    }
}

impl Encode for DataNotification<'_> {
    fn encoded_len(&self) -> usize {
        5 + date_time_len(self.date_time.as_ref()) + self.body.encoded_len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.body.check(0)?;
        out.put_u8(TAG_DATA_NOTIFICATION);
        out.put_u32(self.long_invoke_id_and_priority);
        put_date_time(out, self.date_time.as_ref());
        self.body.put(out);
        Ok(())
    }
}

impl Encode for XdlmsApdu<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::AccessRequest(a) => a.encoded_len(),
            Self::AccessResponse(a) => a.encoded_len(),
            Self::DataNotification(a) => a.encoded_len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::AccessRequest(a) => a.encode(out),
            Self::AccessResponse(a) => a.encode(out),
            Self::DataNotification(a) => a.encode(out),
        }
    }
}

/// Any xDLMS APDU this crate decodes (IEC 62056-5-3 9.5, `COSEMpdu`): the
/// three GBCS carries ([`XdlmsApdu`]), the get, set and action services
/// with logical-name referencing, and the ciphered APDUs (framing only).
///
/// ```
/// use smets_core::{Decode, Encode};
/// use smets_dlms::apdu::Apdu;
/// use smets_dlms::xdlms::{GetDataResult, GetResponse};
/// use smets_dlms::axdr::Data;
///
/// // get-response-normal, invoke-id 1: double-long-unsigned 5009.
/// let b = [0xC4, 0x01, 0xC1, 0x00, 0x06, 0x00, 0x00, 0x13, 0x91];
/// let Apdu::GetResponse(GetResponse::Normal { result, .. }) = Apdu::decode(&b).unwrap() else {
///     panic!()
/// };
/// assert_eq!(result, GetDataResult::Data(Data::DoubleLongUnsigned(5009)));
/// assert_eq!(Apdu::decode(&b).unwrap().to_vec().unwrap(), b);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apdu<'a> {
    /// `D9`.
    AccessRequest(AccessRequest<'a>),
    /// `DA`.
    AccessResponse(AccessResponse<'a>),
    /// `0F`.
    DataNotification(DataNotification<'a>),
    /// `C0`.
    GetRequest(GetRequest<'a>),
    /// `C1`.
    SetRequest(SetRequest<'a>),
    /// `C3`.
    ActionRequest(ActionRequest<'a>),
    /// `C4`.
    GetResponse(GetResponse<'a>),
    /// `C5`.
    SetResponse(SetResponse<'a>),
    /// `C7`.
    ActionResponse(ActionResponse<'a>),
    /// `C8`-`CF`, `D0`-`D7`, `DB`, `DC`, `DD`.
    Ciphered(Ciphered<'a>),
}

impl<'a> From<XdlmsApdu<'a>> for Apdu<'a> {
    fn from(a: XdlmsApdu<'a>) -> Self {
        match a {
            XdlmsApdu::AccessRequest(a) => Self::AccessRequest(a),
            XdlmsApdu::AccessResponse(a) => Self::AccessResponse(a),
            XdlmsApdu::DataNotification(a) => Self::DataNotification(a),
        }
    }
}

impl Apdu<'_> {
    /// The APDU's tag.
    #[must_use]
    pub fn tag(&self) -> u8 {
        match self {
            Self::AccessRequest(_) => TAG_ACCESS_REQUEST,
            Self::AccessResponse(_) => TAG_ACCESS_RESPONSE,
            Self::DataNotification(_) => TAG_DATA_NOTIFICATION,
            Self::GetRequest(_) => TAG_GET_REQUEST,
            Self::SetRequest(_) => TAG_SET_REQUEST,
            Self::ActionRequest(_) => TAG_ACTION_REQUEST,
            Self::GetResponse(_) => TAG_GET_RESPONSE,
            Self::SetResponse(_) => TAG_SET_RESPONSE,
            Self::ActionResponse(_) => TAG_ACTION_RESPONSE,
            Self::Ciphered(c) => c.tag(),
        }
    }
}

impl<'a> Decode<'a> for Apdu<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut c = Cursor::new(buf, 0);
        let apdu = match buf.first().copied() {
            Some(TAG_ACCESS_REQUEST | TAG_ACCESS_RESPONSE | TAG_DATA_NOTIFICATION) => {
                return XdlmsApdu::decode(buf).map(Self::from);
            }
            Some(TAG_GET_REQUEST) => Self::GetRequest(GetRequest::read(&mut c)?),
            Some(TAG_SET_REQUEST) => Self::SetRequest(SetRequest::read(&mut c)?),
            Some(TAG_ACTION_REQUEST) => Self::ActionRequest(ActionRequest::read(&mut c)?),
            Some(TAG_GET_RESPONSE) => Self::GetResponse(GetResponse::read(&mut c)?),
            Some(TAG_SET_RESPONSE) => Self::SetResponse(SetResponse::read(&mut c)?),
            Some(TAG_ACTION_RESPONSE) => Self::ActionResponse(ActionResponse::read(&mut c)?),
            _ => Self::Ciphered(Ciphered::read(&mut c)?),
        };
        c.finish()?;
        Ok(apdu)
    }
}

impl Encode for Apdu<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::AccessRequest(a) => a.encoded_len(),
            Self::AccessResponse(a) => a.encoded_len(),
            Self::DataNotification(a) => a.encoded_len(),
            Self::GetRequest(a) => a.encoded_len(),
            Self::SetRequest(a) => a.encoded_len(),
            Self::ActionRequest(a) => a.encoded_len(),
            Self::GetResponse(a) => a.encoded_len(),
            Self::SetResponse(a) => a.encoded_len(),
            Self::ActionResponse(a) => a.encoded_len(),
            Self::Ciphered(a) => a.encoded_len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::AccessRequest(a) => a.encode(out),
            Self::AccessResponse(a) => a.encode(out),
            Self::DataNotification(a) => a.encode(out),
            Self::GetRequest(a) => a.encode(out),
            Self::SetRequest(a) => a.encode(out),
            Self::ActionRequest(a) => a.encode(out),
            Self::GetResponse(a) => a.encode(out),
            Self::SetResponse(a) => a.encode(out),
            Self::ActionResponse(a) => a.encode(out),
            Self::Ciphered(a) => a.encode(out),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    /// ECS52 read firmware version, command and response (GBCS payload
    /// digest 2.8 A, RTDS 4.5.0).
    const ECS52_COMMAND: [u8; 19] = [
        0xD9, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01,
        0xFF, 0x02, 0x01, 0x00,
    ];
    const ECS52_RESPONSE: [u8; 17] = [
        0xDA, 0x20, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x01, 0x09, 0x04, 0x01, 0x23, 0xAB, 0xCD, 0x01,
        0x01, 0x00,
    ];
    /// A generic critical alert 0x8F30 (RTDS 4.5.0 style): structure(2)
    /// {alert code, time stamp}.
    const ALERT: [u8; 25] = [
        0x0F, 0x20, 0x00, 0x07, 0xD1, 0x00, 0x02, 0x02, 0x12, 0x8F, 0x30, 0x09, 0x0C, 0x07, 0xDF,
        0x01, 0x01, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0xFF,
    ];

    #[test]
    fn access_request_field_by_field() {
        let XdlmsApdu::AccessRequest(a) = XdlmsApdu::decode(&ECS52_COMMAND).unwrap() else {
            panic!("access-request")
        };
        assert_eq!(a.long_invoke_id_and_priority, 0x2000_03E8);
        assert_eq!(a.date_time, None);
        let specs: alloc::vec::Vec<_> = a.specifications.collect();
        assert_eq!(
            specs,
            [AccessRequestSpecification::Get(AttributeDescriptor {
                class_id: 1,
                instance_id: ObisCode([0, 0, 0, 2, 1, 0xFF]),
                attribute_id: 2,
            })]
        );
        assert_eq!(a.data.len(), 1);
        assert_eq!(a.data.offset(), 18);
        assert_eq!({ a.data }.next(), Some(Data::NullData));
    }

    #[test]
    fn access_response_field_by_field() {
        let XdlmsApdu::AccessResponse(a) = XdlmsApdu::decode(&ECS52_RESPONSE).unwrap() else {
            panic!("access-response")
        };
        assert_eq!(a.long_invoke_id_and_priority, 0x2000_03E8);
        assert_eq!(a.request_specifications, None);
        let mut data = a.data;
        assert_eq!(
            data.next(),
            Some(Data::OctetString(&[0x01, 0x23, 0xAB, 0xCD]))
        );
        assert_eq!(data.next(), None);
        let results: alloc::vec::Vec<_> = a.results.collect();
        assert_eq!(
            results,
            [AccessResponseSpecification::Get(DataAccessResult::Success)]
        );
    }

    #[test]
    fn data_notification_field_by_field() {
        let apdu = XdlmsApdu::decode(&ALERT).unwrap();
        assert_eq!(apdu.tag(), TAG_DATA_NOTIFICATION);
        assert_eq!(apdu.long_invoke_id_and_priority(), 0x2000_07D1);
        let XdlmsApdu::DataNotification(n) = apdu else {
            panic!("data-notification")
        };
        let mut body = n.body.elements().unwrap();
        assert_eq!(body.next(), Some(Data::LongUnsigned(0x8F30)));
        assert_eq!(body.offset(), 11);
        assert_eq!(body.next().unwrap().octet_string().unwrap().len(), 12);
    }

    #[test]
    fn selection_and_echoed_specifications() {
        // Get-with-selection of a profile buffer by range, then the same
        // specification echoed in a response with a date-time.
        let mut spec = alloc::vec![0x04, 0x00, 0x07, 0, 0, 99, 1, 0, 0xFF, 0x02, 0x01];
        spec.extend_from_slice(&[0x02, 0x02, 0x06, 0, 0, 0, 1, 0x01, 0x00]);
        let mut req = alloc::vec![0xD9, 0x20, 0, 0, 1, 0x00, 0x01];
        req.extend_from_slice(&spec);
        req.extend_from_slice(&[0x01, 0x00]);
        let XdlmsApdu::AccessRequest(a) = XdlmsApdu::decode(&req).unwrap() else {
            panic!()
        };
        let s = { a.specifications }.next().unwrap();
        let AccessRequestSpecification::GetWithSelection {
            descriptor,
            access_selector,
            access_parameters,
        } = s
        else {
            panic!("{s:?}")
        };
        assert_eq!(descriptor.class_id, 7);
        assert_eq!(access_selector, 1);
        assert_eq!(access_parameters.elements().unwrap().len(), 2);
        let mut rsp = alloc::vec![0xDA, 0x20, 0, 0, 1, 0x0C];
        rsp.extend_from_slice(&[0x07, 0xDF, 1, 1, 0xFF, 0, 0, 0, 0, 0x80, 0, 0xFF]);
        rsp.extend_from_slice(&[0x01, 0x01]);
        rsp.extend_from_slice(&spec);
        rsp.extend_from_slice(&[0x01, 0x00, 0x01, 0x01, 0x0E]);
        let XdlmsApdu::AccessResponse(a) = XdlmsApdu::decode(&rsp).unwrap() else {
            panic!()
        };
        assert_eq!(a.date_time.unwrap()[0], 0x07);
        assert_eq!(a.request_specifications.unwrap().next(), Some(s));
        assert_eq!(
            { a.results }.next(),
            Some(AccessResponseSpecification::Get(
                DataAccessResult::DataBlockUnavailable
            ))
        );
        for b in [&req, &rsp] {
            for cut in 0..b.len() {
                assert!(XdlmsApdu::decode(&b[..cut]).is_err(), "cut {cut}");
            }
        }
    }

    #[test]
    fn malformed_apdus_fail_with_offsets() {
        for b in [&ECS52_COMMAND[..], &ECS52_RESPONSE, &ALERT] {
            for cut in 0..b.len() {
                assert!(XdlmsApdu::decode(&b[..cut]).is_err(), "cut {cut}");
            }
            let mut long = b.to_vec();
            long.push(0);
            let e = XdlmsApdu::decode(&long).unwrap_err();
            assert_eq!(e.kind, DecodeErrorKind::TrailingBytes { count: 1 });
            assert_eq!(e.offset, b.len());
        }
        let mut bad = ECS52_COMMAND;
        bad[7] = 0x06;
        assert_eq!(XdlmsApdu::decode(&bad).unwrap_err().offset, 7);
        let mut bad = ECS52_RESPONSE;
        bad[15] = 0x04;
        assert_eq!(XdlmsApdu::decode(&bad).unwrap_err().offset, 15);
        let mut bad = ECS52_RESPONSE;
        bad[5] = 0x05;
        assert_eq!(XdlmsApdu::decode(&bad).unwrap_err().offset, 5);
        assert_eq!(
            XdlmsApdu::decode(&[0xC0, 0, 0, 0, 0, 0])
                .unwrap_err()
                .offset,
            0
        );
        // A count larger than the bytes left is refused before any item is read.
        let mut bad = ECS52_COMMAND;
        bad[6] = 0x7F;
        assert_eq!(XdlmsApdu::decode(&bad).unwrap_err().offset, 6);
    }

    #[test]
    fn request_built_from_items_is_the_ecs52_command() {
        let specs = [AccessRequestSpecification::Get(AttributeDescriptor {
            class_id: 1,
            instance_id: "0-0:0.2.1.255".parse().unwrap(),
            attribute_id: 2,
        })];
        let data = [Data::NullData];
        let a = AccessRequest {
            long_invoke_id_and_priority: 0x2000_03E8,
            date_time: None,
            specifications: AccessRequestSpecifications::from_items(&specs),
            data: Elements::from_items(&data),
        };
        assert_eq!(a.encoded_len(), ECS52_COMMAND.len());
        assert_eq!(a.to_vec().unwrap(), ECS52_COMMAND);
        let back = XdlmsApdu::decode(&ECS52_COMMAND).unwrap();
        assert_eq!(back, XdlmsApdu::AccessRequest(a));
        let i = a.invoke();
        assert_eq!(i.invoke_id(), 1000);
        assert!(i.break_on_error());
        assert!(!i.high_priority() && !i.confirmed() && !i.self_descriptive());
        let results = [AccessResponseSpecification::Get(DataAccessResult::Success)];
        let value = [Data::OctetString(&[0x01, 0x23, 0xAB, 0xCD])];
        let r = AccessResponse {
            long_invoke_id_and_priority: 0x2000_03E8,
            date_time: None,
            request_specifications: None,
            data: Elements::from_items(&value),
            results: AccessResponseSpecifications::from_items(&results),
        };
        assert_eq!(r.to_vec().unwrap(), ECS52_RESPONSE);
        assert_eq!(
            XdlmsApdu::decode(&ECS52_RESPONSE).unwrap(),
            XdlmsApdu::AccessResponse(r)
        );
    }

    #[test]
    fn decoded_apdus_reencode_byte_for_byte() {
        for b in [&ECS52_COMMAND[..], &ECS52_RESPONSE, &ALERT] {
            let apdu = XdlmsApdu::decode(b).unwrap();
            assert_eq!(apdu.encoded_len(), b.len());
            assert_eq!(apdu.to_vec().unwrap(), b);
            let mut small = alloc::vec![0u8; b.len() - 1];
            assert!(apdu.encode(&mut &mut small[..]).is_err());
        }
    }

    #[test]
    fn encoder_refuses_what_the_decoder_would() {
        let bad = [Data::BitString(crate::axdr::BitString {
            bits: 9,
            bytes: &[0],
        })];
        let n = DataNotification {
            long_invoke_id_and_priority: 1,
            date_time: None,
            body: bad[0],
        };
        assert!(n.to_vec().is_err());
        let specs = [AccessRequestSpecification::GetWithSelection {
            descriptor: AttributeDescriptor {
                class_id: 7,
                instance_id: ObisCode::new(0, 0, 99, 1, 0, 255),
                attribute_id: 2,
            },
            access_selector: 1,
            access_parameters: bad[0],
        }];
        let a = AccessRequest {
            long_invoke_id_and_priority: 1,
            date_time: None,
            specifications: AccessRequestSpecifications::from_items(&specs),
            data: Elements::EMPTY,
        };
        assert!(a.to_vec().is_err());
        let mut out = alloc::vec::Vec::new();
        assert!(a.encode(&mut out).is_err());
        assert!(out.is_empty(), "nothing written before the check");
    }

    /// A data-notification from a meter outside GBCS (u9n/dlms-cosem
    /// tests): no flags in the invoke id, the body an octet-string.
    #[test]
    fn foreign_data_notification() {
        let b = hex::decode(
            "0F000001DB000922125A8591360000000049000000110000000A5A8513D014800000000D0000000A0100",
        )
        .unwrap();
        let Apdu::DataNotification(n) = Apdu::decode(&b).unwrap() else {
            panic!()
        };
        assert_eq!(n.invoke().invoke_id(), 0x1DB);
        assert!(!n.invoke().break_on_error());
        assert_eq!(n.body.octet_string().unwrap().len(), 0x22);
        assert_eq!(Apdu::DataNotification(n).to_vec().unwrap(), b);
    }

    mod round_trip {
        #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

        use alloc::boxed::Box;
        use alloc::vec::Vec;

        use proptest::prelude::*;

        use super::*;

        fn leak<T>(v: Vec<T>) -> &'static [T] {
            Box::leak(v.into_boxed_slice())
        }

        pub(crate) fn data() -> impl Strategy<Value = Data<'static>> {
            let leaf = prop_oneof![
                Just(Data::NullData),
                any::<u32>().prop_map(Data::DoubleLongUnsigned),
                any::<u16>().prop_map(Data::LongUnsigned),
                any::<u8>().prop_map(Data::Enum),
                proptest::collection::vec(any::<u8>(), 0..140)
                    .prop_map(|v| Data::OctetString(leak(v))),
            ];
            leaf.prop_recursive(3, 24, 6, |inner| {
                proptest::collection::vec(inner, 0..6)
                    .prop_map(|v| Data::Structure(Elements::from_items(leak(v))))
            })
        }

        fn descriptor() -> impl Strategy<Value = AttributeDescriptor> {
            (any::<u16>(), any::<[u8; 6]>(), any::<i8>()).prop_map(|(c, o, a)| {
                AttributeDescriptor {
                    class_id: c,
                    instance_id: ObisCode(o),
                    attribute_id: a,
                }
            })
        }

        fn spec() -> impl Strategy<Value = AccessRequestSpecification<'static>> {
            prop_oneof![
                descriptor().prop_map(AccessRequestSpecification::Get),
                descriptor().prop_map(AccessRequestSpecification::Set),
                descriptor().prop_map(|d| AccessRequestSpecification::Action(MethodDescriptor {
                    class_id: d.class_id,
                    instance_id: d.instance_id,
                    method_id: d.attribute_id,
                })),
                (descriptor(), any::<u8>(), data()).prop_map(|(d, s, p)| {
                    AccessRequestSpecification::GetWithSelection {
                        descriptor: d,
                        access_selector: s,
                        access_parameters: p,
                    }
                }),
                (descriptor(), any::<u8>(), data()).prop_map(|(d, s, p)| {
                    AccessRequestSpecification::SetWithSelection {
                        descriptor: d,
                        access_selector: s,
                        access_parameters: p,
                    }
                }),
            ]
        }

        fn result() -> impl Strategy<Value = AccessResponseSpecification> {
            (1u8..=3, any::<u8>()).prop_map(|(c, r)| response_specification(c, r).unwrap())
        }

        fn date_time() -> impl Strategy<Value = Option<[u8; DATE_TIME_LEN]>> {
            proptest::option::of(any::<[u8; DATE_TIME_LEN]>())
        }

        fn apdu() -> impl Strategy<Value = XdlmsApdu<'static>> {
            let specs = || proptest::collection::vec(spec(), 0..5);
            let list = || proptest::collection::vec(data(), 0..5);
            prop_oneof![
                (any::<u32>(), date_time(), specs(), list()).prop_map(|(i, dt, s, d)| {
                    XdlmsApdu::AccessRequest(AccessRequest {
                        long_invoke_id_and_priority: i,
                        date_time: dt,
                        specifications: AccessRequestSpecifications::from_items(leak(s)),
                        data: Elements::from_items(leak(d)),
                    })
                }),
                (
                    any::<u32>(),
                    date_time(),
                    proptest::option::of(specs()),
                    list(),
                    proptest::collection::vec(result(), 0..70)
                )
                    .prop_map(|(i, dt, s, d, r)| {
                        XdlmsApdu::AccessResponse(AccessResponse {
                            long_invoke_id_and_priority: i,
                            date_time: dt,
                            request_specifications: s
                                .map(|s| AccessRequestSpecifications::from_items(leak(s))),
                            data: Elements::from_items(leak(d)),
                            results: AccessResponseSpecifications::from_items(leak(r)),
                        })
                    }),
                (any::<u32>(), date_time(), data()).prop_map(|(i, dt, b)| {
                    XdlmsApdu::DataNotification(DataNotification {
                        long_invoke_id_and_priority: i,
                        date_time: dt,
                        body: b,
                    })
                }),
            ]
        }

        proptest! {
            #[test]
            fn decode_encode(x in apdu()) {
                let b = x.to_vec().unwrap();
                prop_assert_eq!(b.len(), x.encoded_len());
                let back = XdlmsApdu::decode(&b).unwrap();
                prop_assert_eq!(back, x);
                prop_assert_eq!(back.to_vec().unwrap(), b);
            }
        }
    }
}
