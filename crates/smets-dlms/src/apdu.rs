//! The xDLMS APDUs that GBCS content carries (IEC 62056-5-3 9.3 / DLMS Green
//! Book: access-request `D9`, access-response `DA`, data-notification `0F`;
//! GBCS 7.2.3): their headers and lists, enough to reach every Data value.
//! It neither encodes APDUs nor names COSEM objects.

use smets_core::{Decode, DecodeError, DecodeErrorKind, Layer, Reader, open_enum};

use crate::axdr::{DATE_TIME_LEN, Data, Elements};
pub use crate::cosem::ObisCode;

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
/// checked when the APDU was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessRequestSpecifications<'a> {
    buf: &'a [u8],
    pos: usize,
    left: usize,
}

impl AccessRequestSpecifications<'_> {
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
}

impl<'a> Iterator for AccessRequestSpecifications<'a> {
    type Item = AccessRequestSpecification<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        let (spec, end) = request_specification(self.buf, self.pos).ok()?;
        self.pos = end;
        self.left -= 1;
        Some(spec)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for AccessRequestSpecifications<'_> {}

/// List-Of-Access-Response-Specification: a borrowed iterator over a list
/// checked when the APDU was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessResponseSpecifications<'a> {
    items: &'a [u8],
}

impl AccessResponseSpecifications<'_> {
    /// Specifications not yet iterated.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.items.len() / 2
    }

    /// True when none is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl Iterator for AccessResponseSpecifications<'_> {
    type Item = AccessResponseSpecification;

    fn next(&mut self) -> Option<Self::Item> {
        let ([choice, result], rest) = self.items.split_first_chunk::<2>()?;
        self.items = rest;
        response_specification(*choice, *result)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len(), Some(self.len()))
    }
}

impl ExactSizeIterator for AccessResponseSpecifications<'_> {}

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
    Ok((AccessRequestSpecifications { buf, pos, left }, end))
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
                    results: AccessResponseSpecifications { items },
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
}
