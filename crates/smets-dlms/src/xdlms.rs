//! The xDLMS get, set and action services with logical-name referencing
//! (IEC 62056-5-3 9.3 services, 9.5 ASN.1 `Get-Request` to
//! `Action-Response`, A-XDR encoded): decoded without copying and
//! re-encoded byte for byte. Data blocks are carried as raw octets; it
//! does not reassemble them.

use core::fmt;
use core::marker::PhantomData;

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Layer, Reader, ber, ensure_room,
};

use crate::apdu::{
    ActionResult, AttributeDescriptor, DataAccessResult, MethodDescriptor, ObisCode,
    put_attribute_descriptor, put_method_descriptor,
};
use crate::axdr::{Data, Elements};

const LAYER: Layer = Layer::Dlms;

/// Get-Request APDU tag (IEC 62056-5-3 9.5, `[192]`).
pub const TAG_GET_REQUEST: u8 = 0xC0;
/// Set-Request APDU tag (IEC 62056-5-3 9.5, `[193]`).
pub const TAG_SET_REQUEST: u8 = 0xC1;
/// Action-Request APDU tag (IEC 62056-5-3 9.5, `[195]`).
pub const TAG_ACTION_REQUEST: u8 = 0xC3;
/// Get-Response APDU tag (IEC 62056-5-3 9.5, `[196]`).
pub const TAG_GET_RESPONSE: u8 = 0xC4;
/// Set-Response APDU tag (IEC 62056-5-3 9.5, `[197]`).
pub const TAG_SET_RESPONSE: u8 = 0xC5;
/// Action-Response APDU tag (IEC 62056-5-3 9.5, `[199]`).
pub const TAG_ACTION_RESPONSE: u8 = 0xC7;

/// Invoke-Id-And-Priority (IEC 62056-5-3 9.5, the ASN.1 comment on the
/// type): bits 0-3 invoke-id, 4-5 reserved, bit 6 service-class
/// (confirmed), bit 7 priority (high).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct InvokeIdAndPriority(pub u8);

impl InvokeIdAndPriority {
    /// Bit 7, priority: high when set.
    pub const HIGH_PRIORITY: u8 = 0x80;
    /// Bit 6, service-class: confirmed when set.
    pub const CONFIRMED: u8 = 0x40;

    /// The invoke-id: bits 0-3.
    #[must_use]
    pub const fn invoke_id(self) -> u8 {
        self.0 & 0x0F
    }

    /// Bit 6 set: confirmed service.
    #[must_use]
    pub const fn confirmed(self) -> bool {
        self.0 & Self::CONFIRMED != 0
    }

    /// Bit 7 set: high priority.
    #[must_use]
    pub const fn high_priority(self) -> bool {
        self.0 & Self::HIGH_PRIORITY != 0
    }
}

/// Selective-Access-Descriptor (IEC 62056-5-3 9.5): which part of an
/// attribute to read or write, e.g. selector 1 (range) of a profile buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectiveAccess<'a> {
    /// access-selector.
    pub access_selector: u8,
    /// access-parameters.
    pub access_parameters: Data<'a>,
}

/// Cosem-Attribute-Descriptor-With-Selection (IEC 62056-5-3 9.5): one item
/// of a get or set with list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeWithSelection<'a> {
    /// cosem-attribute-descriptor.
    pub descriptor: AttributeDescriptor,
    /// access-selection, OPTIONAL.
    pub access_selection: Option<SelectiveAccess<'a>>,
}

/// Get-Data-Result (IEC 62056-5-3 9.5, CHOICE): the value read or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetDataResult<'a> {
    /// \[0\] data.
    Data(Data<'a>),
    /// \[1\] data-access-result.
    DataAccessResult(DataAccessResult),
}

/// The result of a DataBlock-G (IEC 62056-5-3 9.5, CHOICE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataBlockResult<'a> {
    /// \[0\] raw-data: a part of the encoded value.
    RawData(&'a [u8]),
    /// \[1\] data-access-result.
    DataAccessResult(DataAccessResult),
}

/// DataBlock-G (IEC 62056-5-3 9.5): one block of a get response sent in
/// parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataBlockG<'a> {
    /// last-block (A-XDR BOOLEAN; any non-zero octet reads TRUE, TRUE is
    /// written `01`).
    pub last_block: bool,
    /// block-number.
    pub block_number: u32,
    /// result.
    pub result: DataBlockResult<'a>,
}

/// DataBlock-SA (IEC 62056-5-3 9.5): one block of a set request or of
/// action parameters or results sent in parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataBlockSa<'a> {
    /// last-block (A-XDR BOOLEAN, as in [`DataBlockG::last_block`]).
    pub last_block: bool,
    /// block-number.
    pub block_number: u32,
    /// raw-data: a part of the encoded value.
    pub raw_data: &'a [u8],
}

/// Action-Response-With-Optional-Data (IEC 62056-5-3 9.5): the result of
/// one method invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionResponseWithOptionalData<'a> {
    /// result.
    pub result: ActionResult,
    /// return-parameters, OPTIONAL.
    pub return_parameters: Option<GetDataResult<'a>>,
}

/// Get-Request (IEC 62056-5-3 9.5, tag `C0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetRequest<'a> {
    /// \[1\] get-request-normal: one attribute.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-attribute-descriptor.
        descriptor: AttributeDescriptor,
        /// access-selection, OPTIONAL.
        access_selection: Option<SelectiveAccess<'a>>,
    },
    /// \[2\] get-request-next: asks for the next data block.
    Next {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// block-number: the last block received.
        block_number: u32,
    },
    /// \[3\] get-request-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// attribute-descriptor-list.
        descriptors: List<'a, AttributeWithSelection<'a>>,
    },
}

/// Get-Response (IEC 62056-5-3 9.5, tag `C4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetResponse<'a> {
    /// \[1\] get-response-normal.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result.
        result: GetDataResult<'a>,
    },
    /// \[2\] get-response-with-datablock.
    WithDatablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result.
        datablock: DataBlockG<'a>,
    },
    /// \[3\] get-response-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result: one per requested attribute.
        results: List<'a, GetDataResult<'a>>,
    },
}

/// Set-Request (IEC 62056-5-3 9.5, tag `C1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetRequest<'a> {
    /// \[1\] set-request-normal.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-attribute-descriptor.
        descriptor: AttributeDescriptor,
        /// access-selection, OPTIONAL.
        access_selection: Option<SelectiveAccess<'a>>,
        /// value.
        value: Data<'a>,
    },
    /// \[2\] set-request-with-first-datablock.
    WithFirstDatablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-attribute-descriptor.
        descriptor: AttributeDescriptor,
        /// access-selection, OPTIONAL.
        access_selection: Option<SelectiveAccess<'a>>,
        /// datablock.
        datablock: DataBlockSa<'a>,
    },
    /// \[3\] set-request-with-datablock.
    WithDatablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// datablock.
        datablock: DataBlockSa<'a>,
    },
    /// \[4\] set-request-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// attribute-descriptor-list.
        descriptors: List<'a, AttributeWithSelection<'a>>,
        /// value-list.
        values: Elements<'a>,
    },
    /// \[5\] set-request-with-list-and-first-datablock.
    WithListAndFirstDatablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// attribute-descriptor-list.
        descriptors: List<'a, AttributeWithSelection<'a>>,
        /// datablock.
        datablock: DataBlockSa<'a>,
    },
}

/// Set-Response (IEC 62056-5-3 9.5, tag `C5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetResponse<'a> {
    /// \[1\] set-response-normal.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result.
        result: DataAccessResult,
    },
    /// \[2\] set-response-datablock: a block was received.
    Datablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// block-number.
        block_number: u32,
    },
    /// \[3\] set-response-last-datablock.
    LastDatablock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result.
        result: DataAccessResult,
        /// block-number.
        block_number: u32,
    },
    /// \[4\] set-response-last-datablock-with-list.
    LastDatablockWithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result: one per attribute.
        results: List<'a, DataAccessResult>,
        /// block-number.
        block_number: u32,
    },
    /// \[5\] set-response-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// result: one per attribute.
        results: List<'a, DataAccessResult>,
    },
}

/// Action-Request (IEC 62056-5-3 9.5, tag `C3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionRequest<'a> {
    /// \[1\] action-request-normal.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-method-descriptor.
        descriptor: MethodDescriptor,
        /// method-invocation-parameters, OPTIONAL.
        parameters: Option<Data<'a>>,
    },
    /// \[2\] action-request-next-pblock: asks for the next block of the
    /// response.
    NextPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// block-number.
        block_number: u32,
    },
    /// \[3\] action-request-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-method-descriptor-list.
        descriptors: List<'a, MethodDescriptor>,
        /// method-invocation-parameters: one per method.
        parameters: Elements<'a>,
    },
    /// \[4\] action-request-with-first-pblock.
    WithFirstPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-method-descriptor.
        descriptor: MethodDescriptor,
        /// pblock.
        pblock: DataBlockSa<'a>,
    },
    /// \[5\] action-request-with-list-and-first-pblock.
    WithListAndFirstPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// cosem-method-descriptor-list.
        descriptors: List<'a, MethodDescriptor>,
        /// pblock.
        pblock: DataBlockSa<'a>,
    },
    /// \[6\] action-request-with-pblock.
    WithPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// pblock.
        pblock: DataBlockSa<'a>,
    },
}

/// Action-Response (IEC 62056-5-3 9.5, tag `C7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionResponse<'a> {
    /// \[1\] action-response-normal.
    Normal {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// single-response.
        response: ActionResponseWithOptionalData<'a>,
    },
    /// \[2\] action-response-with-pblock.
    WithPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// pblock.
        pblock: DataBlockSa<'a>,
    },
    /// \[3\] action-response-with-list.
    WithList {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// list-of-responses.
        responses: List<'a, ActionResponseWithOptionalData<'a>>,
    },
    /// \[4\] action-response-next-pblock.
    NextPblock {
        /// invoke-id-and-priority.
        invoke_id_and_priority: InvokeIdAndPriority,
        /// block-number.
        block_number: u32,
    },
}

// ---------------------------------------------------------------------------
// Reading

/// A position in a buffer being decoded; errors carry offsets in the
/// buffer.
pub(crate) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) const fn new(buf: &'a [u8], pos: usize) -> Self {
        Self { buf, pos }
    }

    pub(crate) const fn pos(&self) -> usize {
        self.pos
    }

    fn take<T>(
        &mut self,
        f: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let mut r = Reader::with_base(rest, LAYER, self.pos);
        let v = f(&mut r)?;
        self.pos += r.pos();
        Ok(v)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        self.take(|r| r.u8(field))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        self.take(|r| r.u32_be(field))
    }

    /// An A-XDR OCTET STRING: a length, then the octets.
    pub(crate) fn octet_string(&mut self, field: &'static str) -> Result<&'a [u8], DecodeError> {
        self.take(|r| {
            let n = r.ber_length(field)?;
            r.bytes(n, field)
        })
    }

    /// An A-XDR OPTIONAL or presence flag: `00` absent, `01` present.
    pub(crate) fn present(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        self.take(|r| match r.u8(field)? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(r.invalid(1, field, u64::from(v))),
        })
    }

    /// A CHOICE tag; the error for a value not allowed points at it.
    fn invalid_back(&self, field: &'static str, value: u8) -> DecodeError {
        DecodeError::invalid(LAYER, self.pos - 1, field, u64::from(value))
    }

    fn boolean(&mut self, field: &'static str) -> Result<bool, DecodeError> {
        Ok(self.u8(field)? != 0)
    }

    fn data(&mut self) -> Result<Data<'a>, DecodeError> {
        let (d, end) = Data::decode_at(self.buf, self.pos)?;
        self.pos = end;
        Ok(d)
    }

    fn elements(&mut self) -> Result<Elements<'a>, DecodeError> {
        let (e, end) = Elements::decode_sequence_at(self.buf, self.pos)?;
        self.pos = end;
        Ok(e)
    }

    fn invoke(&mut self) -> Result<InvokeIdAndPriority, DecodeError> {
        self.u8("invoke-id-and-priority").map(InvokeIdAndPriority)
    }

    fn attribute(&mut self) -> Result<AttributeDescriptor, DecodeError> {
        self.take(|r| {
            Ok(AttributeDescriptor {
                class_id: r.u16_be("class-id")?,
                instance_id: ObisCode(r.array("instance-id")?),
                attribute_id: i8::from_be_bytes(r.array("attribute-id")?),
            })
        })
    }

    fn method(&mut self) -> Result<MethodDescriptor, DecodeError> {
        self.take(|r| {
            Ok(MethodDescriptor {
                class_id: r.u16_be("class-id")?,
                instance_id: ObisCode(r.array("instance-id")?),
                method_id: i8::from_be_bytes(r.array("method-id")?),
            })
        })
    }

    fn selection(&mut self) -> Result<Option<SelectiveAccess<'a>>, DecodeError> {
        if !self.present("access-selection present")? {
            return Ok(None);
        }
        Ok(Some(SelectiveAccess {
            access_selector: self.u8("access-selector")?,
            access_parameters: self.data()?,
        }))
    }

    fn get_data_result(&mut self) -> Result<GetDataResult<'a>, DecodeError> {
        match self.u8("get-data-result")? {
            0 => Ok(GetDataResult::Data(self.data()?)),
            1 => Ok(GetDataResult::DataAccessResult(
                self.u8("data-access-result")?.into(),
            )),
            v => Err(self.invalid_back("get-data-result", v)),
        }
    }

    fn block_sa(&mut self) -> Result<DataBlockSa<'a>, DecodeError> {
        Ok(DataBlockSa {
            last_block: self.boolean("last-block")?,
            block_number: self.u32("block-number")?,
            raw_data: self.octet_string("raw-data")?,
        })
    }

    fn block_g(&mut self) -> Result<DataBlockG<'a>, DecodeError> {
        let last_block = self.boolean("last-block")?;
        let block_number = self.u32("block-number")?;
        let result = match self.u8("datablock result")? {
            0 => DataBlockResult::RawData(self.octet_string("raw-data")?),
            1 => DataBlockResult::DataAccessResult(self.u8("data-access-result")?.into()),
            v => return Err(self.invalid_back("datablock result", v)),
        };
        Ok(DataBlockG {
            last_block,
            block_number,
            result,
        })
    }

    fn list<T: ListItem<'a>>(&mut self) -> Result<List<'a, T>, DecodeError> {
        let field = T::COUNT_FIELD;
        let left = self.take(|r| {
            let start = r.pos();
            let n = r.ber_length(field)?;
            if n.saturating_mul(T::MIN_LEN) > r.remaining() {
                return Err(r.invalid(r.pos() - start, field, n as u64));
            }
            Ok(n)
        })?;
        let pos = self.pos;
        for _ in 0..left {
            T::read(self)?;
        }
        Ok(List {
            source: ListSource::Encoded { buf: self.buf, pos },
            left,
            _item: PhantomData,
        })
    }

    /// Ends a value that must fill the buffer.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        match self.buf.len().saturating_sub(self.pos) {
            0 => Ok(()),
            count => Err(DecodeError::new(
                LAYER,
                self.pos,
                DecodeErrorKind::TrailingBytes { count },
            )),
        }
    }

    /// The APDU tag, then its CHOICE, which must be one of `1..=max`.
    fn header(&mut self, tag: u8, name: &'static str, max: u8) -> Result<u8, DecodeError> {
        let t = self.u8("xdlms apdu tag")?;
        if t != tag {
            return Err(self.invalid_back("xdlms apdu tag", t));
        }
        let choice = self.u8(name)?;
        if choice == 0 || choice > max {
            return Err(self.invalid_back(name, choice));
        }
        Ok(choice)
    }
}

// ---------------------------------------------------------------------------
// Writing

pub(crate) fn check_len(n: usize, field: &'static str) -> Result<(), EncodeError> {
    if u32::try_from(n).is_ok() {
        Ok(())
    } else {
        Err(EncodeError::unrepresentable(LAYER, field, n as u64))
    }
}

pub(crate) const fn octets_len(s: &[u8]) -> usize {
    ber::length_len(s.len()) + s.len()
}

pub(crate) fn put_octets<B: BufMut>(out: &mut B, s: &[u8]) {
    ber::put_length(out, s.len());
    out.put_slice(s);
}

fn selection_len(s: Option<&SelectiveAccess<'_>>) -> usize {
    s.map_or(1, |s| 2 + s.access_parameters.encoded_len())
}

fn check_selection(s: Option<&SelectiveAccess<'_>>) -> Result<(), EncodeError> {
    s.map_or(Ok(()), |s| s.access_parameters.check(0))
}

fn put_selection<B: BufMut>(out: &mut B, s: Option<&SelectiveAccess<'_>>) {
    match s {
        None => out.put_u8(0),
        Some(s) => {
            out.put_u8(1);
            out.put_u8(s.access_selector);
            s.access_parameters.put(out);
        }
    }
}

impl GetDataResult<'_> {
    fn len(&self) -> usize {
        match self {
            Self::Data(d) => 1 + d.encoded_len(),
            Self::DataAccessResult(_) => 2,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Data(d) => d.check(0),
            Self::DataAccessResult(_) => Ok(()),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        match self {
            Self::Data(d) => {
                out.put_u8(0);
                d.put(out);
            }
            Self::DataAccessResult(r) => {
                out.put_u8(1);
                out.put_u8((*r).into());
            }
        }
    }
}

impl DataBlockSa<'_> {
    const fn len(&self) -> usize {
        5 + octets_len(self.raw_data)
    }

    fn check(&self) -> Result<(), EncodeError> {
        check_len(self.raw_data.len(), "raw-data length")
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(u8::from(self.last_block));
        out.put_u32(self.block_number);
        put_octets(out, self.raw_data);
    }
}

impl DataBlockG<'_> {
    const fn len(&self) -> usize {
        6 + match self.result {
            DataBlockResult::RawData(d) => octets_len(d),
            DataBlockResult::DataAccessResult(_) => 1,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self.result {
            DataBlockResult::RawData(d) => check_len(d.len(), "raw-data length"),
            DataBlockResult::DataAccessResult(_) => Ok(()),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(u8::from(self.last_block));
        out.put_u32(self.block_number);
        match self.result {
            DataBlockResult::RawData(d) => {
                out.put_u8(0);
                put_octets(out, d);
            }
            DataBlockResult::DataAccessResult(r) => {
                out.put_u8(1);
                out.put_u8(r.into());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Lists

mod sealed {
    pub trait Sealed {}
}

/// An item of an A-XDR `SEQUENCE OF` in the get, set and action APDUs
/// (sealed: implemented by the item types of this module).
pub trait ListItem<'a>: sealed::Sealed + Copy + 'a {
    /// Fewest octets one item takes, to refuse counts the input cannot hold.
    #[doc(hidden)]
    const MIN_LEN: usize;
    /// The name of the list's count in errors.
    #[doc(hidden)]
    const COUNT_FIELD: &'static str;
    /// Reads one item.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError>;
    /// Octets the item takes.
    #[doc(hidden)]
    fn item_len(&self) -> usize;
    /// Refuses what the decoder would.
    #[doc(hidden)]
    fn check_item(&self) -> Result<(), EncodeError>;
    /// Writes the item.
    #[doc(hidden)]
    fn put_item<B: BufMut>(&self, out: &mut B);
}

impl sealed::Sealed for AttributeWithSelection<'_> {}
impl<'a> ListItem<'a> for AttributeWithSelection<'a> {
    const MIN_LEN: usize = 10;
    const COUNT_FIELD: &'static str = "attribute-descriptor-list count";
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            descriptor: c.attribute()?,
            access_selection: c.selection()?,
        })
    }
    fn item_len(&self) -> usize {
        9 + selection_len(self.access_selection.as_ref())
    }
    fn check_item(&self) -> Result<(), EncodeError> {
        check_selection(self.access_selection.as_ref())
    }
    fn put_item<B: BufMut>(&self, out: &mut B) {
        put_attribute_descriptor(out, &self.descriptor);
        put_selection(out, self.access_selection.as_ref());
    }
}

impl sealed::Sealed for MethodDescriptor {}
impl<'a> ListItem<'a> for MethodDescriptor {
    const MIN_LEN: usize = 9;
    const COUNT_FIELD: &'static str = "cosem-method-descriptor-list count";
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        c.method()
    }
    fn item_len(&self) -> usize {
        9
    }
    fn check_item(&self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn put_item<B: BufMut>(&self, out: &mut B) {
        put_method_descriptor(out, self);
    }
}

impl sealed::Sealed for GetDataResult<'_> {}
impl<'a> ListItem<'a> for GetDataResult<'a> {
    const MIN_LEN: usize = 2;
    const COUNT_FIELD: &'static str = "get-data-result count";
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        c.get_data_result()
    }
    fn item_len(&self) -> usize {
        self.len()
    }
    fn check_item(&self) -> Result<(), EncodeError> {
        self.check()
    }
    fn put_item<B: BufMut>(&self, out: &mut B) {
        self.put(out);
    }
}

impl sealed::Sealed for DataAccessResult {}
impl<'a> ListItem<'a> for DataAccessResult {
    const MIN_LEN: usize = 1;
    const COUNT_FIELD: &'static str = "data-access-result count";
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        c.u8("data-access-result").map(Self::from)
    }
    fn item_len(&self) -> usize {
        1
    }
    fn check_item(&self) -> Result<(), EncodeError> {
        Ok(())
    }
    fn put_item<B: BufMut>(&self, out: &mut B) {
        out.put_u8((*self).into());
    }
}

impl sealed::Sealed for ActionResponseWithOptionalData<'_> {}
impl<'a> ListItem<'a> for ActionResponseWithOptionalData<'a> {
    const MIN_LEN: usize = 2;
    const COUNT_FIELD: &'static str = "list-of-responses count";
    #[allow(private_interfaces)]
    fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let result = c.u8("action-result")?.into();
        let return_parameters = if c.present("return-parameters present")? {
            Some(c.get_data_result()?)
        } else {
            None
        };
        Ok(Self {
            result,
            return_parameters,
        })
    }
    fn item_len(&self) -> usize {
        2 + self.return_parameters.map_or(0, |r| r.len())
    }
    fn check_item(&self) -> Result<(), EncodeError> {
        self.return_parameters.map_or(Ok(()), |r| r.check())
    }
    fn put_item<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.result.into());
        match &self.return_parameters {
            None => out.put_u8(0),
            Some(r) => {
                out.put_u8(1);
                r.put(out);
            }
        }
    }
}

/// An A-XDR `SEQUENCE OF` in a get, set or action APDU: a borrowed
/// iterator over a list checked when the APDU was decoded, or over values
/// given to encode ([`List::from_items`]). Two lists are equal when they
/// yield equal items.
pub struct List<'a, T> {
    source: ListSource<'a, T>,
    left: usize,
    _item: PhantomData<&'a T>,
}

enum ListSource<'a, T> {
    Encoded { buf: &'a [u8], pos: usize },
    Items(&'a [T]),
}

impl<T> Clone for ListSource<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ListSource<'_, T> {}

impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<'_, T> {}

impl<'a, T: ListItem<'a>> List<'a, T> {
    /// A list holding `items`, for encoding.
    #[must_use]
    pub const fn from_items(items: &'a [T]) -> Self {
        Self {
            source: ListSource::Items(items),
            left: items.len(),
            _item: PhantomData,
        }
    }

    /// Items not yet iterated.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.left
    }

    /// True when none is left.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.left == 0
    }

    fn encoded_len(&self) -> usize {
        ber::length_len(self.left) + { *self }.map(|i| i.item_len()).sum::<usize>()
    }

    fn check(&self) -> Result<(), EncodeError> {
        check_len(self.left, T::COUNT_FIELD)?;
        { *self }.try_for_each(|i| i.check_item())
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        ber::put_length(out, self.left);
        for i in *self {
            i.put_item(out);
        }
    }
}

impl<'a, T: ListItem<'a>> Iterator for List<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.left == 0 {
            return None;
        }
        let item = match &mut self.source {
            ListSource::Encoded { buf, pos } => {
                let mut c = Cursor::new(buf, *pos);
                let item = T::read(&mut c).ok()?;
                *pos = c.pos;
                item
            }
            ListSource::Items(items) => {
                let (first, rest) = items.split_first()?;
                *items = rest;
                *first
            }
        };
        self.left -= 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<'a, T: ListItem<'a>> ExactSizeIterator for List<'a, T> {}

impl<'a, T: ListItem<'a> + PartialEq> PartialEq for List<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.left == other.left && (*self).eq(*other)
    }
}

impl<'a, T: ListItem<'a> + Eq> Eq for List<'a, T> {}

impl<'a, T: ListItem<'a> + fmt::Debug> fmt::Debug for List<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(*self).finish()
    }
}

// ---------------------------------------------------------------------------
// The APDUs

/// Implements `Decode` (the APDU fills the buffer) and `Encode` (room and
/// consistency checked before anything is written) from `read`, `len`,
/// `check` and `put`.
macro_rules! codec {
    ($ty:ident) => {
        impl<'a> Decode<'a> for $ty<'a> {
            fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
                let mut c = Cursor::new(buf, 0);
                let apdu = Self::read(&mut c)?;
                c.finish()?;
                Ok(apdu)
            }
        }

        impl Encode for $ty<'_> {
            fn encoded_len(&self) -> usize {
                self.len()
            }

            fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
                ensure_room(out, self.len(), LAYER)?;
                self.check()?;
                self.put(out);
                Ok(())
            }
        }
    };
}

impl<'a> GetRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_GET_REQUEST, "get-request choice", 3)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                descriptor: c.attribute()?,
                access_selection: c.selection()?,
            },
            2 => Self::Next {
                invoke_id_and_priority,
                block_number: c.u32("block-number")?,
            },
            _ => Self::WithList {
                invoke_id_and_priority,
                descriptors: c.list()?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::Next { .. } => 2,
            Self::WithList { .. } => 3,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::Next {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal {
                access_selection, ..
            } => 9 + selection_len(access_selection.as_ref()),
            Self::Next { .. } => 4,
            Self::WithList { descriptors, .. } => descriptors.encoded_len(),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Normal {
                access_selection, ..
            } => check_selection(access_selection.as_ref()),
            Self::Next { .. } => Ok(()),
            Self::WithList { descriptors, .. } => descriptors.check(),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_GET_REQUEST);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal {
                descriptor,
                access_selection,
                ..
            } => {
                put_attribute_descriptor(out, descriptor);
                put_selection(out, access_selection.as_ref());
            }
            Self::Next { block_number, .. } => out.put_u32(*block_number),
            Self::WithList { descriptors, .. } => descriptors.put(out),
        }
    }
}
codec!(GetRequest);

impl<'a> GetResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_GET_RESPONSE, "get-response choice", 3)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                result: c.get_data_result()?,
            },
            2 => Self::WithDatablock {
                invoke_id_and_priority,
                datablock: c.block_g()?,
            },
            _ => Self::WithList {
                invoke_id_and_priority,
                results: c.list()?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::WithDatablock { .. } => 2,
            Self::WithList { .. } => 3,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::WithDatablock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal { result, .. } => result.len(),
            Self::WithDatablock { datablock, .. } => datablock.len(),
            Self::WithList { results, .. } => results.encoded_len(),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Normal { result, .. } => result.check(),
            Self::WithDatablock { datablock, .. } => datablock.check(),
            Self::WithList { results, .. } => results.check(),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_GET_RESPONSE);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal { result, .. } => result.put(out),
            Self::WithDatablock { datablock, .. } => datablock.put(out),
            Self::WithList { results, .. } => results.put(out),
        }
    }
}
codec!(GetResponse);

impl<'a> SetRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_SET_REQUEST, "set-request choice", 5)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                descriptor: c.attribute()?,
                access_selection: c.selection()?,
                value: c.data()?,
            },
            2 => Self::WithFirstDatablock {
                invoke_id_and_priority,
                descriptor: c.attribute()?,
                access_selection: c.selection()?,
                datablock: c.block_sa()?,
            },
            3 => Self::WithDatablock {
                invoke_id_and_priority,
                datablock: c.block_sa()?,
            },
            4 => Self::WithList {
                invoke_id_and_priority,
                descriptors: c.list()?,
                values: c.elements()?,
            },
            _ => Self::WithListAndFirstDatablock {
                invoke_id_and_priority,
                descriptors: c.list()?,
                datablock: c.block_sa()?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::WithFirstDatablock { .. } => 2,
            Self::WithDatablock { .. } => 3,
            Self::WithList { .. } => 4,
            Self::WithListAndFirstDatablock { .. } => 5,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::WithFirstDatablock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithDatablock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            }
            | Self::WithListAndFirstDatablock {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal {
                access_selection,
                value,
                ..
            } => 9 + selection_len(access_selection.as_ref()) + value.encoded_len(),
            Self::WithFirstDatablock {
                access_selection,
                datablock,
                ..
            } => 9 + selection_len(access_selection.as_ref()) + datablock.len(),
            Self::WithDatablock { datablock, .. } => datablock.len(),
            Self::WithList {
                descriptors,
                values,
                ..
            } => descriptors.encoded_len() + values.encoded_len(),
            Self::WithListAndFirstDatablock {
                descriptors,
                datablock,
                ..
            } => descriptors.encoded_len() + datablock.len(),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Normal {
                access_selection,
                value,
                ..
            } => {
                check_selection(access_selection.as_ref())?;
                value.check(0)
            }
            Self::WithFirstDatablock {
                access_selection,
                datablock,
                ..
            } => {
                check_selection(access_selection.as_ref())?;
                datablock.check()
            }
            Self::WithDatablock { datablock, .. } => datablock.check(),
            Self::WithList {
                descriptors,
                values,
                ..
            } => {
                descriptors.check()?;
                values.check_sequence()
            }
            Self::WithListAndFirstDatablock {
                descriptors,
                datablock,
                ..
            } => {
                descriptors.check()?;
                datablock.check()
            }
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_SET_REQUEST);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal {
                descriptor,
                access_selection,
                value,
                ..
            } => {
                put_attribute_descriptor(out, descriptor);
                put_selection(out, access_selection.as_ref());
                value.put(out);
            }
            Self::WithFirstDatablock {
                descriptor,
                access_selection,
                datablock,
                ..
            } => {
                put_attribute_descriptor(out, descriptor);
                put_selection(out, access_selection.as_ref());
                datablock.put(out);
            }
            Self::WithDatablock { datablock, .. } => datablock.put(out),
            Self::WithList {
                descriptors,
                values,
                ..
            } => {
                descriptors.put(out);
                values.put_sequence(out);
            }
            Self::WithListAndFirstDatablock {
                descriptors,
                datablock,
                ..
            } => {
                descriptors.put(out);
                datablock.put(out);
            }
        }
    }
}
codec!(SetRequest);

impl<'a> SetResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_SET_RESPONSE, "set-response choice", 5)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                result: c.u8("data-access-result")?.into(),
            },
            2 => Self::Datablock {
                invoke_id_and_priority,
                block_number: c.u32("block-number")?,
            },
            3 => Self::LastDatablock {
                invoke_id_and_priority,
                result: c.u8("data-access-result")?.into(),
                block_number: c.u32("block-number")?,
            },
            4 => Self::LastDatablockWithList {
                invoke_id_and_priority,
                results: c.list()?,
                block_number: c.u32("block-number")?,
            },
            _ => Self::WithList {
                invoke_id_and_priority,
                results: c.list()?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::Datablock { .. } => 2,
            Self::LastDatablock { .. } => 3,
            Self::LastDatablockWithList { .. } => 4,
            Self::WithList { .. } => 5,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::Datablock {
                invoke_id_and_priority,
                ..
            }
            | Self::LastDatablock {
                invoke_id_and_priority,
                ..
            }
            | Self::LastDatablockWithList {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal { .. } => 1,
            Self::Datablock { .. } => 4,
            Self::LastDatablock { .. } => 5,
            Self::LastDatablockWithList { results, .. } => results.encoded_len() + 4,
            Self::WithList { results, .. } => results.encoded_len(),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::LastDatablockWithList { results, .. } | Self::WithList { results, .. } => {
                results.check()
            }
            _ => Ok(()),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_SET_RESPONSE);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal { result, .. } => out.put_u8((*result).into()),
            Self::Datablock { block_number, .. } => out.put_u32(*block_number),
            Self::LastDatablock {
                result,
                block_number,
                ..
            } => {
                out.put_u8((*result).into());
                out.put_u32(*block_number);
            }
            Self::LastDatablockWithList {
                results,
                block_number,
                ..
            } => {
                results.put(out);
                out.put_u32(*block_number);
            }
            Self::WithList { results, .. } => results.put(out),
        }
    }
}
codec!(SetResponse);

impl<'a> ActionRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_ACTION_REQUEST, "action-request choice", 6)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                descriptor: c.method()?,
                parameters: if c.present("method-invocation-parameters present")? {
                    Some(c.data()?)
                } else {
                    None
                },
            },
            2 => Self::NextPblock {
                invoke_id_and_priority,
                block_number: c.u32("block-number")?,
            },
            3 => Self::WithList {
                invoke_id_and_priority,
                descriptors: c.list()?,
                parameters: c.elements()?,
            },
            4 => Self::WithFirstPblock {
                invoke_id_and_priority,
                descriptor: c.method()?,
                pblock: c.block_sa()?,
            },
            5 => Self::WithListAndFirstPblock {
                invoke_id_and_priority,
                descriptors: c.list()?,
                pblock: c.block_sa()?,
            },
            _ => Self::WithPblock {
                invoke_id_and_priority,
                pblock: c.block_sa()?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::NextPblock { .. } => 2,
            Self::WithList { .. } => 3,
            Self::WithFirstPblock { .. } => 4,
            Self::WithListAndFirstPblock { .. } => 5,
            Self::WithPblock { .. } => 6,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::NextPblock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            }
            | Self::WithFirstPblock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithListAndFirstPblock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithPblock {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal { parameters, .. } => 10 + parameters.map_or(0, |p| p.encoded_len()),
            Self::NextPblock { .. } => 4,
            Self::WithList {
                descriptors,
                parameters,
                ..
            } => descriptors.encoded_len() + parameters.encoded_len(),
            Self::WithFirstPblock { pblock, .. } => 9 + pblock.len(),
            Self::WithListAndFirstPblock {
                descriptors,
                pblock,
                ..
            } => descriptors.encoded_len() + pblock.len(),
            Self::WithPblock { pblock, .. } => pblock.len(),
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Normal { parameters, .. } => parameters.map_or(Ok(()), |p| p.check(0)),
            Self::NextPblock { .. } => Ok(()),
            Self::WithList {
                descriptors,
                parameters,
                ..
            } => {
                descriptors.check()?;
                parameters.check_sequence()
            }
            Self::WithFirstPblock { pblock, .. } | Self::WithPblock { pblock, .. } => {
                pblock.check()
            }
            Self::WithListAndFirstPblock {
                descriptors,
                pblock,
                ..
            } => {
                descriptors.check()?;
                pblock.check()
            }
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_ACTION_REQUEST);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal {
                descriptor,
                parameters,
                ..
            } => {
                put_method_descriptor(out, descriptor);
                match parameters {
                    None => out.put_u8(0),
                    Some(p) => {
                        out.put_u8(1);
                        p.put(out);
                    }
                }
            }
            Self::NextPblock { block_number, .. } => out.put_u32(*block_number),
            Self::WithList {
                descriptors,
                parameters,
                ..
            } => {
                descriptors.put(out);
                parameters.put_sequence(out);
            }
            Self::WithFirstPblock {
                descriptor, pblock, ..
            } => {
                put_method_descriptor(out, descriptor);
                pblock.put(out);
            }
            Self::WithListAndFirstPblock {
                descriptors,
                pblock,
                ..
            } => {
                descriptors.put(out);
                pblock.put(out);
            }
            Self::WithPblock { pblock, .. } => pblock.put(out),
        }
    }
}
codec!(ActionRequest);

impl<'a> ActionResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self, DecodeError> {
        let choice = c.header(TAG_ACTION_RESPONSE, "action-response choice", 4)?;
        let invoke_id_and_priority = c.invoke()?;
        Ok(match choice {
            1 => Self::Normal {
                invoke_id_and_priority,
                response: ActionResponseWithOptionalData::read(c)?,
            },
            2 => Self::WithPblock {
                invoke_id_and_priority,
                pblock: c.block_sa()?,
            },
            3 => Self::WithList {
                invoke_id_and_priority,
                responses: c.list()?,
            },
            _ => Self::NextPblock {
                invoke_id_and_priority,
                block_number: c.u32("block-number")?,
            },
        })
    }

    /// The CHOICE tag of the variant.
    #[must_use]
    pub const fn choice(&self) -> u8 {
        match self {
            Self::Normal { .. } => 1,
            Self::WithPblock { .. } => 2,
            Self::WithList { .. } => 3,
            Self::NextPblock { .. } => 4,
        }
    }

    /// invoke-id-and-priority.
    #[must_use]
    pub const fn invoke_id_and_priority(&self) -> InvokeIdAndPriority {
        match self {
            Self::Normal {
                invoke_id_and_priority,
                ..
            }
            | Self::WithPblock {
                invoke_id_and_priority,
                ..
            }
            | Self::WithList {
                invoke_id_and_priority,
                ..
            }
            | Self::NextPblock {
                invoke_id_and_priority,
                ..
            } => *invoke_id_and_priority,
        }
    }

    fn len(&self) -> usize {
        3 + match self {
            Self::Normal { response, .. } => response.item_len(),
            Self::WithPblock { pblock, .. } => pblock.len(),
            Self::WithList { responses, .. } => responses.encoded_len(),
            Self::NextPblock { .. } => 4,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::Normal { response, .. } => response.check_item(),
            Self::WithPblock { pblock, .. } => pblock.check(),
            Self::WithList { responses, .. } => responses.check(),
            Self::NextPblock { .. } => Ok(()),
        }
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_ACTION_RESPONSE);
        out.put_u8(self.choice());
        out.put_u8(self.invoke_id_and_priority().0);
        match self {
            Self::Normal { response, .. } => response.put_item(out),
            Self::WithPblock { pblock, .. } => pblock.put(out),
            Self::WithList { responses, .. } => responses.put(out),
            Self::NextPblock { block_number, .. } => out.put_u32(*block_number),
        }
    }
}
codec!(ActionResponse);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::boxed::Box;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::apdu::Apdu;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s.replace(' ', "")).unwrap()
    }

    const HIGH_CONFIRMED_1: InvokeIdAndPriority = InvokeIdAndPriority(0xC1);

    fn attribute(class_id: u16, obis: &str, attribute_id: i8) -> AttributeDescriptor {
        AttributeDescriptor {
            class_id,
            instance_id: obis.parse().unwrap(),
            attribute_id,
        }
    }

    /// Decodes as the APDU and as [`Apdu`], re-encodes to the same bytes,
    /// and refuses every cut and an extra byte.
    fn check_bytes<'a, T>(b: &'a [u8]) -> T
    where
        T: Decode<'a> + Encode + PartialEq + fmt::Debug,
    {
        let v = T::decode(b).unwrap();
        assert_eq!(v.encoded_len(), b.len());
        assert_eq!(v.to_vec().unwrap(), b);
        let any = Apdu::decode(b).unwrap();
        assert_eq!(any.to_vec().unwrap(), b);
        assert_eq!(any.tag(), b[0]);
        for cut in 0..b.len() {
            assert!(T::decode(&b[..cut]).is_err(), "cut {cut}");
            assert!(Apdu::decode(&b[..cut]).is_err(), "cut {cut}");
        }
        let mut long = b.to_vec();
        long.push(0);
        let e = Apdu::decode(&long).unwrap_err();
        assert_eq!(e.offset, b.len(), "{e}");
        v
    }

    // Bytes from the u9n/dlms-cosem tests and the DLMS Green Book examples.

    #[test]
    fn get_requests() {
        let b = hex("C0 01 C1 0001 00002B0100FF 02 00");
        let g: GetRequest<'_> = check_bytes(&b);
        assert_eq!(
            g,
            GetRequest::Normal {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptor: attribute(1, "0-0:43.1.0.255", 2),
                access_selection: None,
            }
        );
        let i = g.invoke_id_and_priority();
        assert_eq!(
            (i.invoke_id(), i.confirmed(), i.high_priority()),
            (1, true, true)
        );
        let b = hex("C0 02 C1 00000001");
        assert_eq!(
            check_bytes::<GetRequest<'_>>(&b),
            GetRequest::Next {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                block_number: 1,
            }
        );
        let b = hex("C0 03 C1 02 0001 00002A0000FF 02 00 0008 0000010000FF 02 00");
        let GetRequest::WithList { descriptors, .. } = check_bytes::<GetRequest<'_>>(&b) else {
            panic!()
        };
        let items: Vec<_> = descriptors.collect();
        assert_eq!(
            items,
            [
                AttributeWithSelection {
                    descriptor: attribute(1, "0-0:42.0.0.255", 2),
                    access_selection: None,
                },
                AttributeWithSelection {
                    descriptor: attribute(8, "0-0:1.0.0.255", 2),
                    access_selection: None,
                },
            ]
        );
        assert_eq!(
            GetRequest::WithList {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptors: List::from_items(&items),
            }
            .to_vec()
            .unwrap(),
            b
        );
        // A profile read by range, as the GBCS logs are read.
        let b = hex(
            "C0 01 C1 0007 0000630100FF 02 01 01 0204 0204 12 0008 09 06 0000010000FF 0F 02 12 0000 \
             09 0C 07DE0C1FFF000000FF800000 09 0C 07DF0101FF000000FF800000 0100",
        );
        let GetRequest::Normal {
            access_selection: Some(s),
            ..
        } = check_bytes::<GetRequest<'_>>(&b)
        else {
            panic!()
        };
        assert_eq!(s.access_selector, 1);
        assert_eq!(s.access_parameters.elements().unwrap().len(), 4);
    }

    #[test]
    fn get_responses() {
        let b = hex("C4 01 C1 00 06 00001391");
        assert_eq!(
            check_bytes::<GetResponse<'_>>(&b),
            GetResponse::Normal {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                result: GetDataResult::Data(Data::DoubleLongUnsigned(5009)),
            }
        );
        let b = hex("C4 01 C1 01 01");
        assert_eq!(
            check_bytes::<GetResponse<'_>>(&b),
            GetResponse::Normal {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                result: GetDataResult::DataAccessResult(DataAccessResult::HardwareFault),
            }
        );
        let b = hex("C4 03 C1 02 00 09 10 49534B31303330373737373634333636 \
             00 09 0C 07E50603040E091700FFC400");
        let GetResponse::WithList { results, .. } = check_bytes::<GetResponse<'_>>(&b) else {
            panic!()
        };
        let r: Vec<_> = results.collect();
        assert_eq!(
            r[0],
            GetDataResult::Data(Data::OctetString(b"ISK1030777764366"))
        );
        assert_eq!(r.len(), 2);
        // The last block, in error; then a first block of raw data.
        let b = hex("C4 02 C1 01 00000013 01 01");
        assert_eq!(
            check_bytes::<GetResponse<'_>>(&b),
            GetResponse::WithDatablock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                datablock: DataBlockG {
                    last_block: true,
                    block_number: 0x13,
                    result: DataBlockResult::DataAccessResult(DataAccessResult::HardwareFault),
                },
            }
        );
        let b = hex("C4 02 C1 00 00000001 00 81 80");
        let mut long = b.clone();
        long.resize(b.len() + 0x80, 0xA5);
        let GetResponse::WithDatablock { datablock, .. } = check_bytes::<GetResponse<'_>>(&long)
        else {
            panic!()
        };
        assert_eq!(datablock.result, DataBlockResult::RawData(&long[b.len()..]));
        assert!(!datablock.last_block);
        // Get-data-result and datablock choices beyond 1 are refused where they are.
        assert_eq!(
            GetResponse::decode(&hex("C4 01 C1 02 01"))
                .unwrap_err()
                .offset,
            3
        );
        assert_eq!(
            GetResponse::decode(&hex("C4 02 C1 01 00000013 02 01"))
                .unwrap_err()
                .offset,
            8
        );
        assert_eq!(
            GetResponse::decode(&hex("C4 04 C1 00 00"))
                .unwrap_err()
                .offset,
            1
        );
        assert_eq!(
            GetResponse::decode(&hex("C0 01 C1 00 00"))
                .unwrap_err()
                .offset,
            0
        );
    }

    #[test]
    fn set_requests_and_responses() {
        let b = hex("C1 01 C1 0008 0000010000FF 02 00 09 0C 07E50118FF0E303950FFC400");
        let SetRequest::Normal {
            descriptor, value, ..
        } = check_bytes::<SetRequest<'_>>(&b)
        else {
            panic!()
        };
        assert_eq!(descriptor, attribute(8, "0-0:1.0.0.255", 2));
        assert_eq!(value.octet_string().unwrap().len(), 12);
        // Green Book: writing one attribute with block transfer, first block.
        let b = hex("C1 02 C1 0001 0000800000FF 02 00 00 00000001 15 \
             0932 010203040506070809101112131415161718 19");
        assert_eq!(
            check_bytes::<SetRequest<'_>>(&b),
            SetRequest::WithFirstDatablock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptor: attribute(1, "0-0:128.0.0.255", 2),
                access_selection: None,
                datablock: DataBlockSa {
                    last_block: false,
                    block_number: 1,
                    raw_data: &b[b.len() - 21..],
                },
            }
        );
        let b = hex("C1 03 C1 01 00000002 02 1819");
        assert!(matches!(
            check_bytes::<SetRequest<'_>>(&b),
            SetRequest::WithDatablock {
                datablock: DataBlockSa {
                    last_block: true,
                    block_number: 2,
                    ..
                },
                ..
            }
        ));
        let b = hex("C1 04 C1 02 0001 00002A0000FF 02 00 0003 0100000000FF 03 00 02 11 05 12 0102");
        let SetRequest::WithList {
            descriptors,
            values,
            ..
        } = check_bytes::<SetRequest<'_>>(&b)
        else {
            panic!()
        };
        assert_eq!(descriptors.len(), 2);
        assert_eq!(
            values.collect::<Vec<_>>(),
            [Data::Unsigned(5), Data::LongUnsigned(0x0102)]
        );
        let b = hex("C1 05 C1 01 0001 00002A0000FF 02 00 01 00000001 01 00");
        assert!(matches!(
            check_bytes::<SetRequest<'_>>(&b),
            SetRequest::WithListAndFirstDatablock { .. }
        ));
        for (b, want) in [
            (
                "C5 01 C1 00",
                SetResponse::Normal {
                    invoke_id_and_priority: HIGH_CONFIRMED_1,
                    result: DataAccessResult::Success,
                },
            ),
            (
                "C5 02 C1 00000001",
                SetResponse::Datablock {
                    invoke_id_and_priority: HIGH_CONFIRMED_1,
                    block_number: 1,
                },
            ),
            (
                "C5 03 C1 00 00000002",
                SetResponse::LastDatablock {
                    invoke_id_and_priority: HIGH_CONFIRMED_1,
                    result: DataAccessResult::Success,
                    block_number: 2,
                },
            ),
            (
                "C5 04 C1 02 00 03 00000002",
                SetResponse::LastDatablockWithList {
                    invoke_id_and_priority: HIGH_CONFIRMED_1,
                    results: List::from_items(&[
                        DataAccessResult::Success,
                        DataAccessResult::ReadWriteDenied,
                    ]),
                    block_number: 2,
                },
            ),
            (
                "C5 05 C1 01 0E",
                SetResponse::WithList {
                    invoke_id_and_priority: HIGH_CONFIRMED_1,
                    results: List::from_items(&[DataAccessResult::DataBlockUnavailable]),
                },
            ),
        ] {
            let b = hex(b);
            assert_eq!(check_bytes::<SetResponse<'_>>(&b), want);
            assert_eq!(want.to_vec().unwrap(), b);
        }
    }

    #[test]
    fn action_requests_and_responses() {
        let b = hex("C3 01 C0 000F 0000280000FF 01 01 09 11 1000001A90E6D2221FA2FD85EED61ACC22");
        let a = check_bytes::<ActionRequest<'_>>(&b);
        let ActionRequest::Normal {
            invoke_id_and_priority,
            descriptor,
            parameters: Some(p),
        } = a
        else {
            panic!("{a:?}")
        };
        assert_eq!(invoke_id_and_priority.invoke_id(), 0);
        assert_eq!(
            descriptor,
            MethodDescriptor {
                class_id: 15,
                instance_id: "0-0:40.0.0.255".parse().unwrap(),
                method_id: 1,
            }
        );
        assert_eq!(p.octet_string().unwrap().len(), 17);
        let b = hex("C3 01 C0 000F 0000280000FF 01 00");
        assert!(matches!(
            check_bytes::<ActionRequest<'_>>(&b),
            ActionRequest::Normal {
                parameters: None,
                ..
            }
        ));
        let m = MethodDescriptor {
            class_id: 30,
            instance_id: ObisCode::new(0, 0, 43, 2, 8, 255),
            method_id: 1,
        };
        let params = [Data::NullData, Data::Unsigned(3)];
        let ms = [m, m];
        let cases = [
            ActionRequest::NextPblock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                block_number: 7,
            },
            ActionRequest::WithList {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptors: List::from_items(&ms),
                parameters: Elements::from_items(&params),
            },
            ActionRequest::WithFirstPblock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptor: m,
                pblock: DataBlockSa {
                    last_block: false,
                    block_number: 1,
                    raw_data: &[0x09, 0x03],
                },
            },
            ActionRequest::WithListAndFirstPblock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                descriptors: List::from_items(&ms),
                pblock: DataBlockSa {
                    last_block: true,
                    block_number: 1,
                    raw_data: &[],
                },
            },
            ActionRequest::WithPblock {
                invoke_id_and_priority: HIGH_CONFIRMED_1,
                pblock: DataBlockSa {
                    last_block: true,
                    block_number: 2,
                    raw_data: &[1, 2, 3],
                },
            },
        ];
        for a in cases {
            let b = a.to_vec().unwrap();
            assert_eq!(b[1], a.choice());
            assert_eq!(check_bytes::<ActionRequest<'_>>(&b), a);
        }
        let b = hex("C7 01 C0 00 00");
        assert_eq!(
            check_bytes::<ActionResponse<'_>>(&b),
            ActionResponse::Normal {
                invoke_id_and_priority: InvokeIdAndPriority(0xC0),
                response: ActionResponseWithOptionalData {
                    result: ActionResult::Success,
                    return_parameters: None,
                },
            }
        );
        let b = hex("C7 01 C0 00 01 00 09 11 1000001AFDE8857B728A3499106AA665D1");
        let ActionResponse::Normal { response, .. } = check_bytes::<ActionResponse<'_>>(&b) else {
            panic!()
        };
        let Some(GetDataResult::Data(d)) = response.return_parameters else {
            panic!()
        };
        assert_eq!(d.octet_string().unwrap()[0], 0x10);
        let b = hex("C7 01 C0 00 01 01 FA");
        let ActionResponse::Normal { response, .. } = check_bytes::<ActionResponse<'_>>(&b) else {
            panic!()
        };
        assert_eq!(
            response.return_parameters,
            Some(GetDataResult::DataAccessResult(
                DataAccessResult::OtherReason
            ))
        );
        let b = hex("C7 03 C1 02 00 00 0B 01 00 11 07");
        let ActionResponse::WithList { responses, .. } = check_bytes::<ActionResponse<'_>>(&b)
        else {
            panic!()
        };
        assert_eq!(
            responses.collect::<Vec<_>>(),
            [
                ActionResponseWithOptionalData {
                    result: ActionResult::Success,
                    return_parameters: None,
                },
                ActionResponseWithOptionalData {
                    result: ActionResult::ObjectUnavailable,
                    return_parameters: Some(GetDataResult::Data(Data::Unsigned(7))),
                },
            ]
        );
        for b in ["C7 02 C1 01 00000001 00", "C7 04 C1 00000002"] {
            check_bytes::<ActionResponse<'_>>(&hex(b));
        }
        // OPTIONAL flags other than 00 and 01 are refused where they are.
        assert_eq!(
            ActionRequest::decode(&hex("C3 01 C0 000F 0000280000FF 01 02"))
                .unwrap_err()
                .offset,
            12
        );
    }

    #[test]
    fn counts_beyond_the_input_are_refused_before_reading() {
        let e = GetRequest::decode(&hex("C0 03 C1 7F 0001 00002A0000FF 02 00")).unwrap_err();
        assert_eq!(e.offset, 3);
        let e = SetResponse::decode(&hex("C5 05 C1 84 FFFFFFFF 00")).unwrap_err();
        assert_eq!(e.offset, 3);
    }

    #[test]
    fn encoder_refuses_what_the_decoder_would() {
        let bad = Data::BitString(crate::axdr::BitString {
            bits: 9,
            bytes: &[0],
        });
        let g = GetResponse::Normal {
            invoke_id_and_priority: HIGH_CONFIRMED_1,
            result: GetDataResult::Data(bad),
        };
        let mut out = Vec::new();
        assert!(g.encode(&mut out).is_err());
        assert!(out.is_empty());
        let g = GetRequest::Next {
            invoke_id_and_priority: HIGH_CONFIRMED_1,
            block_number: 1,
        };
        let mut small = [0u8; 6];
        assert!(g.encode(&mut &mut small[..]).is_err());
    }

    fn leak<T>(v: Vec<T>) -> &'static [T] {
        Box::leak(v.into_boxed_slice())
    }

    fn data() -> impl Strategy<Value = Data<'static>> {
        let leaf = prop_oneof![
            Just(Data::NullData),
            any::<u32>().prop_map(Data::DoubleLongUnsigned),
            any::<u8>().prop_map(Data::Enum),
            proptest::collection::vec(any::<u8>(), 0..140).prop_map(|v| Data::OctetString(leak(v))),
        ];
        leaf.prop_recursive(2, 12, 4, |inner| {
            proptest::collection::vec(inner, 0..4)
                .prop_map(|v| Data::Structure(Elements::from_items(leak(v))))
        })
    }

    fn bytes() -> impl Strategy<Value = &'static [u8]> {
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(leak)
    }

    fn iip() -> impl Strategy<Value = InvokeIdAndPriority> {
        any::<u8>().prop_map(InvokeIdAndPriority)
    }

    fn descriptor() -> impl Strategy<Value = AttributeDescriptor> {
        (any::<u16>(), any::<[u8; 6]>(), any::<i8>()).prop_map(|(c, o, a)| AttributeDescriptor {
            class_id: c,
            instance_id: ObisCode(o),
            attribute_id: a,
        })
    }

    fn method() -> impl Strategy<Value = MethodDescriptor> {
        descriptor().prop_map(|d| MethodDescriptor {
            class_id: d.class_id,
            instance_id: d.instance_id,
            method_id: d.attribute_id,
        })
    }

    fn selection() -> impl Strategy<Value = Option<SelectiveAccess<'static>>> {
        proptest::option::of((any::<u8>(), data()).prop_map(|(s, p)| SelectiveAccess {
            access_selector: s,
            access_parameters: p,
        }))
    }

    fn with_selection() -> impl Strategy<Value = List<'static, AttributeWithSelection<'static>>> {
        proptest::collection::vec(
            (descriptor(), selection()).prop_map(|(d, s)| AttributeWithSelection {
                descriptor: d,
                access_selection: s,
            }),
            0..4,
        )
        .prop_map(|v| List::from_items(leak(v)))
    }

    fn result() -> impl Strategy<Value = DataAccessResult> {
        any::<u8>().prop_map(DataAccessResult::from)
    }

    fn get_data_result() -> impl Strategy<Value = GetDataResult<'static>> {
        prop_oneof![
            data().prop_map(GetDataResult::Data),
            result().prop_map(GetDataResult::DataAccessResult),
        ]
    }

    fn block_sa() -> impl Strategy<Value = DataBlockSa<'static>> {
        (any::<bool>(), any::<u32>(), bytes()).prop_map(|(l, n, r)| DataBlockSa {
            last_block: l,
            block_number: n,
            raw_data: r,
        })
    }

    fn elements() -> impl Strategy<Value = Elements<'static>> {
        proptest::collection::vec(data(), 0..4).prop_map(|v| Elements::from_items(leak(v)))
    }

    fn action_item() -> impl Strategy<Value = ActionResponseWithOptionalData<'static>> {
        (any::<u8>(), proptest::option::of(get_data_result())).prop_map(|(r, p)| {
            ActionResponseWithOptionalData {
                result: r.into(),
                return_parameters: p,
            }
        })
    }

    fn apdu() -> impl Strategy<Value = Apdu<'static>> {
        prop_oneof![
            (iip(), descriptor(), selection()).prop_map(|(i, d, s)| Apdu::GetRequest(
                GetRequest::Normal {
                    invoke_id_and_priority: i,
                    descriptor: d,
                    access_selection: s
                }
            )),
            (iip(), any::<u32>()).prop_map(|(i, n)| Apdu::GetRequest(GetRequest::Next {
                invoke_id_and_priority: i,
                block_number: n
            })),
            (iip(), with_selection()).prop_map(|(i, l)| Apdu::GetRequest(GetRequest::WithList {
                invoke_id_and_priority: i,
                descriptors: l
            })),
            (iip(), get_data_result()).prop_map(|(i, r)| Apdu::GetResponse(GetResponse::Normal {
                invoke_id_and_priority: i,
                result: r
            })),
            (
                iip(),
                any::<bool>(),
                any::<u32>(),
                bytes(),
                result(),
                any::<bool>()
            )
                .prop_map(|(i, l, n, raw, r, is_raw)| Apdu::GetResponse(
                    GetResponse::WithDatablock {
                        invoke_id_and_priority: i,
                        datablock: DataBlockG {
                            last_block: l,
                            block_number: n,
                            result: if is_raw {
                                DataBlockResult::RawData(raw)
                            } else {
                                DataBlockResult::DataAccessResult(r)
                            },
                        },
                    }
                )),
            (iip(), proptest::collection::vec(get_data_result(), 0..4)).prop_map(|(i, v)| {
                Apdu::GetResponse(GetResponse::WithList {
                    invoke_id_and_priority: i,
                    results: List::from_items(leak(v)),
                })
            }),
            (iip(), descriptor(), selection(), data()).prop_map(|(i, d, s, v)| Apdu::SetRequest(
                SetRequest::Normal {
                    invoke_id_and_priority: i,
                    descriptor: d,
                    access_selection: s,
                    value: v
                }
            )),
            (iip(), descriptor(), selection(), block_sa()).prop_map(|(i, d, s, b)| {
                Apdu::SetRequest(SetRequest::WithFirstDatablock {
                    invoke_id_and_priority: i,
                    descriptor: d,
                    access_selection: s,
                    datablock: b,
                })
            }),
            (iip(), block_sa()).prop_map(|(i, b)| Apdu::SetRequest(SetRequest::WithDatablock {
                invoke_id_and_priority: i,
                datablock: b
            })),
            (iip(), with_selection(), elements()).prop_map(|(i, l, v)| Apdu::SetRequest(
                SetRequest::WithList {
                    invoke_id_and_priority: i,
                    descriptors: l,
                    values: v
                }
            )),
            (iip(), with_selection(), block_sa()).prop_map(|(i, l, b)| Apdu::SetRequest(
                SetRequest::WithListAndFirstDatablock {
                    invoke_id_and_priority: i,
                    descriptors: l,
                    datablock: b
                }
            )),
            (
                iip(),
                result(),
                any::<u32>(),
                proptest::collection::vec(result(), 0..5),
                0..5u8
            )
                .prop_map(|(i, r, n, rs, which)| {
                    let results = List::from_items(leak(rs));
                    Apdu::SetResponse(match which {
                        0 => SetResponse::Normal {
                            invoke_id_and_priority: i,
                            result: r,
                        },
                        1 => SetResponse::Datablock {
                            invoke_id_and_priority: i,
                            block_number: n,
                        },
                        2 => SetResponse::LastDatablock {
                            invoke_id_and_priority: i,
                            result: r,
                            block_number: n,
                        },
                        3 => SetResponse::LastDatablockWithList {
                            invoke_id_and_priority: i,
                            results,
                            block_number: n,
                        },
                        _ => SetResponse::WithList {
                            invoke_id_and_priority: i,
                            results,
                        },
                    })
                }),
            (
                iip(),
                method(),
                proptest::option::of(data()),
                proptest::collection::vec(method(), 0..4),
                elements(),
                block_sa(),
                any::<u32>(),
                0..6u8
            )
                .prop_map(|(i, m, p, ms, ps, b, n, which)| {
                    let descriptors = List::from_items(leak(ms));
                    Apdu::ActionRequest(match which {
                        0 => ActionRequest::Normal {
                            invoke_id_and_priority: i,
                            descriptor: m,
                            parameters: p,
                        },
                        1 => ActionRequest::NextPblock {
                            invoke_id_and_priority: i,
                            block_number: n,
                        },
                        2 => ActionRequest::WithList {
                            invoke_id_and_priority: i,
                            descriptors,
                            parameters: ps,
                        },
                        3 => ActionRequest::WithFirstPblock {
                            invoke_id_and_priority: i,
                            descriptor: m,
                            pblock: b,
                        },
                        4 => ActionRequest::WithListAndFirstPblock {
                            invoke_id_and_priority: i,
                            descriptors,
                            pblock: b,
                        },
                        _ => ActionRequest::WithPblock {
                            invoke_id_and_priority: i,
                            pblock: b,
                        },
                    })
                }),
            (
                iip(),
                action_item(),
                proptest::collection::vec(action_item(), 0..4),
                block_sa(),
                any::<u32>(),
                0..4u8
            )
                .prop_map(|(i, r, rs, b, n, which)| {
                    Apdu::ActionResponse(match which {
                        0 => ActionResponse::Normal {
                            invoke_id_and_priority: i,
                            response: r,
                        },
                        1 => ActionResponse::WithPblock {
                            invoke_id_and_priority: i,
                            pblock: b,
                        },
                        2 => ActionResponse::WithList {
                            invoke_id_and_priority: i,
                            responses: List::from_items(leak(rs)),
                        },
                        _ => ActionResponse::NextPblock {
                            invoke_id_and_priority: i,
                            block_number: n,
                        },
                    })
                }),
        ]
    }

    proptest! {
        #[test]
        fn round_trip(x in apdu()) {
            let b = x.to_vec().unwrap();
            prop_assert_eq!(b.len(), x.encoded_len());
            let back = Apdu::decode(&b).unwrap();
            prop_assert_eq!(back, x);
            prop_assert_eq!(back.to_vec().unwrap(), b.clone());
            for cut in 0..b.len() {
                prop_assert!(Apdu::decode(&b[..cut]).is_err());
            }
        }

        #[test]
        fn arbitrary_bytes_decode_or_fail_inside(
            tag in prop_oneof![Just(0xC0u8), Just(0xC1), Just(0xC3), Just(0xC4), Just(0xC5), Just(0xC7)],
            rest in proptest::collection::vec(any::<u8>(), 0..60),
        ) {
            let mut b = alloc::vec![tag];
            b.extend_from_slice(&rest);
            match Apdu::decode(&b) {
                Ok(a) => {
                    let again = a.to_vec().unwrap();
                    prop_assert_eq!(Apdu::decode(&again).unwrap(), a);
                }
                Err(e) => prop_assert!(e.offset <= b.len()),
            }
        }
    }
}
