//! The cluster catalogue: the attributes and cluster-specific commands of the
//! clusters a GB Smart Energy HAN carries (ZCL rev. 8 chapter 3 for Basic,
//! Identify and Time, chapter 11 for OTA Upgrade, ZigBee SE 1.4 chapter 10
//! for the Smart Energy clusters), as static tables.
//!
//! One table per cluster drives everything: decoding a command payload into
//! named, typed fields (borrowed, no allocation), encoding one back from
//! typed arguments, attribute names and the formatting of metered values, and
//! the coverage list the README shows. Commands whose layout depends on state
//! outside the frame (a tunnel's protocol, a negotiated CBKE suite) decode
//! their variable part as octets here; the cluster's own module reads it
//! further (see [`super::tunneling`], [`key_establishment`]).
//!
//! ```
//! use smets_zigbee::zcl::Direction;
//! use smets_zigbee::zcl::cluster::{self, ClusterCommand, Value};
//!
//! // Identify (ZCL rev. 8 3.5.2.3.1): identify for 10 seconds.
//! let c = ClusterCommand::decode(0x0003, Direction::ToServer, 0x00, &[0x0a, 0x00])?
//!     .expect("in the catalogue");
//! assert_eq!(c.cluster.name, "Identify");
//! assert_eq!(c.command.name, "Identify");
//! let f = c.fields().next().expect("one field");
//! assert_eq!(f.spec.name, "identify_time");
//! assert_eq!(f.value.as_u64(), Some(10));
//! # let _ = cluster::CLUSTERS;
//! # Ok::<(), smets_core::DecodeError>(())
//! ```

pub mod basic;
pub mod calendar;
pub mod device_management;
pub mod drlc;
pub mod events;
pub mod identify;
pub mod key_establishment;
pub mod messaging;
pub mod metering;
pub mod on_off;
pub mod ota;
pub mod power_configuration;
pub mod prepayment;
pub mod price;
pub mod time;
pub mod tunneling;

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;
use smets_core::{DecodeError, Encode, EncodeError, Layer, Reader, ensure_room};

use super::types::ZclValue;
use super::{DataType, Direction, FrameType, ZclFrame};

/// Every cluster of the catalogue, in cluster id order.
pub static CLUSTERS: &[&Cluster] = &[
    &basic::CLUSTER,
    &power_configuration::CLUSTER,
    &identify::CLUSTER,
    &on_off::CLUSTER,
    &time::CLUSTER,
    &ota::CLUSTER,
    &price::CLUSTER,
    &drlc::CLUSTER,
    &metering::CLUSTER,
    &messaging::CLUSTER,
    &tunneling::CLUSTER,
    &prepayment::CLUSTER,
    &calendar::CLUSTER,
    &device_management::CLUSTER,
    &events::CLUSTER,
    &key_establishment::CLUSTER,
];

/// The catalogue entry of a cluster id, if the catalogue has it.
#[must_use]
pub fn cluster(id: u16) -> Option<&'static Cluster> {
    CLUSTERS.iter().copied().find(|c| c.id == id)
}

/// Global attributes every cluster may carry (ZCL rev. 8 2.6.1.3 ClusterRevision
/// and AttributeReportingStatus; ZigBee SE 1.4 10.1.3 for the latter on SE clusters).
pub static GLOBAL_ATTRIBUTES: &[Attribute] = &[
    Attribute::new(0xfffd, "ClusterRevision", DataType::Uint16),
    Attribute::new(0xfffe, "AttributeReportingStatus", DataType::Enum8)
        .values(&[(0, "pending"), (1, "attribute_reporting_complete")]),
];

/// How a metered value is scaled for display (ZigBee SE 1.4 10.4.2.2.4): the
/// Metering formatting attribute set says how many digits, which unit and
/// which multiplier and divisor apply. See [`metering::Formatting`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// Not a metered quantity: shown as sent.
    Plain,
    /// A summation (energy or volume), scaled with SummationFormatting.
    Summation,
    /// A demand (power or flow), scaled with DemandFormatting.
    Demand,
    /// A historical consumption figure, scaled with HistoricalConsumptionFormatting.
    Historical,
}

/// An attribute of a cluster (or, with `count > 1`, a numbered family of
/// attributes such as CurrentTier*N*SummationDelivered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    /// The identifier (the first of a family).
    pub id: u16,
    /// The specification's name; in a family, `{n}` stands for the member's number.
    pub name: &'static str,
    /// The data type the specification gives it.
    pub data_type: DataType,
    /// How the value is scaled for display.
    pub quantity: Quantity,
    /// Names of enumerated values, when the type is an enumeration.
    pub value_names: &'static [(u64, &'static str)],
    /// Members in the family (1 for a single attribute).
    pub count: u16,
    /// Identifier step between members.
    pub step: u16,
    /// The number of the first member (usually 1).
    pub first: u16,
}

impl Attribute {
    /// A single attribute.
    #[must_use]
    pub const fn new(id: u16, name: &'static str, data_type: DataType) -> Self {
        Self {
            id,
            name,
            data_type,
            quantity: Quantity::Plain,
            value_names: &[],
            count: 1,
            step: 1,
            first: 1,
        }
    }

    /// A family of `count` attributes from `id` every `step` identifiers,
    /// numbered from `first`; `name` has `{n}` where the number goes.
    #[must_use]
    pub const fn family(
        id: u16,
        count: u16,
        step: u16,
        first: u16,
        name: &'static str,
        data_type: DataType,
    ) -> Self {
        Self {
            id,
            name,
            data_type,
            quantity: Quantity::Plain,
            value_names: &[],
            count,
            step,
            first,
        }
    }

    /// With the scaling `quantity`.
    #[must_use]
    pub const fn quantity(mut self, quantity: Quantity) -> Self {
        self.quantity = quantity;
        self
    }

    /// With names for enumerated values.
    #[must_use]
    pub const fn values(mut self, names: &'static [(u64, &'static str)]) -> Self {
        self.value_names = names;
        self
    }

    /// The member number of `id` in this entry, if `id` is one of its attributes.
    #[must_use]
    pub fn member(&self, id: u16) -> Option<u16> {
        let offset = id.checked_sub(self.id)?;
        let step = self.step.max(1);
        if !offset.is_multiple_of(step) {
            return None;
        }
        let index = offset / step;
        (index < self.count).then(|| self.first.saturating_add(index))
    }

    /// The name of a value of this attribute, when it is an enumeration the
    /// table names.
    #[must_use]
    pub fn value_name(&self, value: u64) -> Option<&'static str> {
        lookup(self.value_names, value)
    }
}

/// An attribute found by identifier: its entry and, in a family, its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeRef {
    /// The catalogue entry.
    pub spec: &'static Attribute,
    /// The member's number in a family, `None` for a single attribute.
    pub member: Option<u16>,
}

impl AttributeRef {
    /// The attribute's name, with a family member's number filled in.
    #[must_use]
    pub const fn name(&self) -> AttributeName {
        AttributeName {
            name: self.spec.name,
            member: self.member,
        }
    }
}

/// An attribute name, with a family member's number in place of `{n}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeName {
    name: &'static str,
    member: Option<u16>,
}

impl fmt::Display for AttributeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.member, self.name.split_once("{n}")) {
            (Some(n), Some((head, tail))) => write!(f, "{head}{n}{tail}"),
            _ => f.write_str(self.name),
        }
    }
}

/// One field of a command payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The field's name, snake_case, as the specification's table names it.
    pub name: &'static str,
    /// What is on the wire.
    pub kind: FieldKind,
    /// A trailing field added by a later revision: it (and every field after
    /// it) may be absent when the payload ends before it.
    pub optional: bool,
    /// Present only when an earlier field says so (a field-control bit, a
    /// status); `None` for a field that is always there.
    pub condition: Option<Condition>,
    /// Names of enumerated values, when the field is an enumeration.
    pub value_names: &'static [(u64, &'static str)],
}

/// When a conditional field is on the wire: a test on the value of an
/// earlier field of the same command, named by its `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The earlier field has any of these bits set (a field-control bitmap).
    AnyBits(&'static str, u64),
    /// The earlier field equals this value (a status).
    Equals(&'static str, u64),
}

impl Condition {
    /// The earlier field the condition reads.
    #[must_use]
    pub const fn field(&self) -> &'static str {
        match *self {
            Self::AnyBits(f, _) | Self::Equals(f, _) => f,
        }
    }

    /// Whether the condition holds for that field's value (`None` when the
    /// field is absent or not an integer: the condition does not hold).
    #[must_use]
    pub const fn holds(&self, value: Option<u64>) -> bool {
        match (*self, value) {
            (Self::AnyBits(_, mask), Some(v)) => v & mask != 0,
            (Self::Equals(_, want), Some(v)) => v == want,
            (_, None) => false,
        }
    }
}

/// What a field holds on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A ZCL value of this type, in its wire form without a type code (ZCL rev. 8 2.6.2).
    Value(DataType),
    /// Exactly this many octets (a certificate, a key, a MAC).
    Octets(usize),
    /// Every remaining octet of the payload (only last).
    Rest,
    /// Records of these fields, one after the other to the end of the payload
    /// (only last; a count field before it, if any, is an ordinary field).
    Records(&'static [Field]),
}

impl Field {
    /// A mandatory field of a ZCL type.
    #[must_use]
    pub const fn new(name: &'static str, data_type: DataType) -> Self {
        Self {
            name,
            kind: FieldKind::Value(data_type),
            optional: false,
            condition: None,
            value_names: &[],
        }
    }

    /// A mandatory field of `len` raw octets.
    #[must_use]
    pub const fn octets(name: &'static str, len: usize) -> Self {
        Self {
            name,
            kind: FieldKind::Octets(len),
            optional: false,
            condition: None,
            value_names: &[],
        }
    }

    /// The rest of the payload, as octets.
    #[must_use]
    pub const fn rest(name: &'static str) -> Self {
        Self {
            name,
            kind: FieldKind::Rest,
            optional: false,
            condition: None,
            value_names: &[],
        }
    }

    /// Records of `fields` to the end of the payload.
    #[must_use]
    pub const fn records(name: &'static str, fields: &'static [Field]) -> Self {
        Self {
            name,
            kind: FieldKind::Records(fields),
            optional: false,
            condition: None,
            value_names: &[],
        }
    }

    /// Marked optional (a trailing field later revisions added).
    #[must_use]
    pub const fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Present only when the earlier field `field` has any bit of `mask` set.
    #[must_use]
    pub const fn when_bits(mut self, field: &'static str, mask: u64) -> Self {
        self.condition = Some(Condition::AnyBits(field, mask));
        self
    }

    /// Present only when the earlier field `field` equals `value`.
    #[must_use]
    pub const fn when_equals(mut self, field: &'static str, value: u64) -> Self {
        self.condition = Some(Condition::Equals(field, value));
        self
    }

    /// With names for enumerated values.
    #[must_use]
    pub const fn values(mut self, names: &'static [(u64, &'static str)]) -> Self {
        self.value_names = names;
        self
    }

    /// The name of a value of this field, when it is an enumeration the
    /// table names.
    #[must_use]
    pub fn value_name(&self, value: u64) -> Option<&'static str> {
        lookup(self.value_names, value)
    }
}

/// A cluster-specific command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    /// The command identifier.
    pub id: u8,
    /// The specification's name ("Publish Price").
    pub name: &'static str,
    /// The name in snake_case ("publish_price"), used in JSON.
    pub label: &'static str,
    /// The payload fields in order.
    pub fields: &'static [Field],
}

impl Command {
    /// A command.
    #[must_use]
    pub const fn new(
        id: u8,
        name: &'static str,
        label: &'static str,
        fields: &'static [Field],
    ) -> Self {
        Self {
            id,
            name,
            label,
            fields,
        }
    }
}

/// A cluster of the catalogue.
#[derive(Debug)]
pub struct Cluster {
    /// The cluster identifier.
    pub id: u16,
    /// The specification's name ("Metering").
    pub name: &'static str,
    /// The name in snake_case ("metering"), used in JSON.
    pub label: &'static str,
    /// The clause that defines it.
    pub clause: &'static str,
    /// Server attributes, by identifier.
    pub attributes: &'static [Attribute],
    /// Client attributes, by identifier.
    pub client_attributes: &'static [Attribute],
    /// Commands the server receives (sent client to server).
    pub received: &'static [Command],
    /// Commands the server generates (sent server to client).
    pub generated: &'static [Command],
}

/// Clusters are equal when their identifiers are: the catalogue has one
/// entry per identifier.
impl PartialEq for Cluster {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Cluster {}

impl Cluster {
    /// The command `id` sent in `direction`.
    #[must_use]
    pub fn command(&self, direction: Direction, id: u8) -> Option<&'static Command> {
        let list = match direction {
            Direction::ToServer => self.received,
            Direction::ToClient => self.generated,
            Direction::Unknown(_) => return None,
        };
        list.iter().find(|c| c.id == id)
    }

    /// The attribute `id` of the server side (`client` false) or the client
    /// side, or a global attribute.
    #[must_use]
    pub fn attribute(&self, client: bool, id: u16) -> Option<AttributeRef> {
        let list = if client {
            self.client_attributes
        } else {
            self.attributes
        };
        list.iter().chain(GLOBAL_ATTRIBUTES.iter()).find_map(|a| {
            a.member(id).map(|n| AttributeRef {
                spec: a,
                member: (a.count > 1).then_some(n),
            })
        })
    }
}

/// Which side's attributes a foundation command carries: a frame sent to the
/// server reads, writes or configures the server's attributes, except that
/// reports and read responses travel from the side that owns them.
///
/// Returns `true` when the attributes are the client's (ZCL rev. 8 2.5).
#[must_use]
pub fn attributes_are_client(direction: Direction, command_id: u8) -> bool {
    // Responses and reports (0x01, 0x0a, 0x0d, 0x16 and friends) come from
    // the owner; requests go to it.
    let from_owner = matches!(
        command_id,
        0x01 | 0x04 | 0x07 | 0x09 | 0x0a | 0x0d | 0x10 | 0x16
    );
    match direction {
        Direction::ToServer => from_owner,
        _ => !from_owner,
    }
}

fn lookup(names: &'static [(u64, &'static str)], value: u64) -> Option<&'static str> {
    names.iter().find(|(v, _)| *v == value).map(|(_, n)| *n)
}

/// A cluster-specific command payload, validated against its catalogue entry
/// and read field by field without copying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterCommand<'a> {
    /// The cluster.
    pub cluster: &'static Cluster,
    /// The command.
    pub command: &'static Command,
    /// The direction it was sent in.
    pub direction: Direction,
    /// The payload (after the ZCL header).
    pub payload: &'a [u8],
}

impl<'a> ClusterCommand<'a> {
    /// Decodes the payload of command `command_id` of cluster `cluster_id`
    /// sent in `direction`. `Ok(None)` when the catalogue does not know the
    /// cluster or the command.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl, offset within `payload`) when the payload
    /// does not fit the command's fields.
    pub fn decode(
        cluster_id: u16,
        direction: Direction,
        command_id: u8,
        payload: &'a [u8],
    ) -> Result<Option<Self>, DecodeError> {
        let Some(cluster) = cluster(cluster_id) else {
            return Ok(None);
        };
        let Some(command) = cluster.command(direction, command_id) else {
            return Ok(None);
        };
        validate(command.fields, payload)?;
        Ok(Some(Self {
            cluster,
            command,
            direction,
            payload,
        }))
    }

    /// Decodes the cluster-specific command of `frame`, addressed to
    /// `cluster_id`. `Ok(None)` for a foundation frame, a manufacturer-specific
    /// command, or one the catalogue does not know. Error offsets are within
    /// the frame's payload.
    ///
    /// # Errors
    /// As [`ClusterCommand::decode`].
    pub fn from_frame(frame: &ZclFrame<'a>, cluster_id: u16) -> Result<Option<Self>, DecodeError> {
        if frame.frame_control.frame_type != FrameType::ClusterSpecific
            || frame.manufacturer.is_some()
        {
            return Ok(None);
        }
        Self::decode(
            cluster_id,
            frame.frame_control.direction,
            frame.command_id,
            frame.payload,
        )
    }

    /// The fields in order (absent optional fields are not yielded).
    #[must_use]
    pub fn fields(&self) -> Fields<'a> {
        Fields::new(self.command.fields, self.payload)
    }

    /// The first field named `name`, if present.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<FieldValue<'a>> {
        self.fields().find(|f| f.spec.name == name)
    }
}

impl Encode for ClusterCommand<'_> {
    fn encoded_len(&self) -> usize {
        self.payload.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.payload.len(), Layer::Zcl)?;
        out.put_slice(self.payload);
        Ok(())
    }
}

/// Reads one field's value, checking it is whole.
fn read_field<'a>(
    r: &mut Reader<'a>,
    field: &'static Field,
    last: bool,
) -> Result<Value<'a>, DecodeError> {
    Ok(match field.kind {
        FieldKind::Value(ty) => Value::Zcl(ZclValue::read(r, ty)?),
        FieldKind::Octets(n) => Value::Octets(r.bytes(n, field.name)?),
        FieldKind::Rest => Value::Octets(r.rest()),
        FieldKind::Records(fields) => {
            let start = r.offset();
            if !last {
                return Err(DecodeError::invalid(Layer::Zcl, start, field.name, 0));
            }
            let bytes = r.rest();
            let mut inner = Reader::with_base(bytes, Layer::Zcl, start);
            while !inner.is_empty() {
                let before = inner.pos();
                for (i, f) in fields.iter().enumerate() {
                    read_field(&mut inner, f, i + 1 == fields.len())?;
                }
                // A record that takes no bytes would repeat for ever.
                if inner.pos() == before {
                    return Err(DecodeError::invalid(Layer::Zcl, start, field.name, 0));
                }
            }
            Value::Records(Records { fields, bytes })
        }
    })
}

/// The value of the field named `name` among the fields of `payload` read
/// before position `before` (for conditions, which only look back).
fn earlier_value(
    fields: &'static [Field],
    payload: &[u8],
    before: usize,
    name: &str,
) -> Option<u64> {
    Fields::new(fields.get(..before)?, payload)
        .find(|f| f.spec.name == name)
        .and_then(|f| f.value.as_u64())
}

/// Whether field `i` of `fields` is on the wire, given what was read so far
/// from `payload` (the whole payload, for conditions) and `r` (the reader
/// positioned at the field). `None`: the payload ends here.
fn present(fields: &'static [Field], i: usize, payload: &[u8], r: &Reader<'_>) -> Option<bool> {
    let f = fields.get(i)?;
    if f.optional && r.is_empty() {
        return None;
    }
    Some(match f.condition {
        Some(c) => c.holds(earlier_value(fields, payload, i, c.field())),
        None => true,
    })
}

fn validate(fields: &'static [Field], payload: &[u8]) -> Result<(), DecodeError> {
    let mut r = Reader::new(payload, Layer::Zcl);
    for (i, f) in fields.iter().enumerate() {
        match present(fields, i, payload, &r) {
            None => return Ok(()),
            Some(false) => continue,
            Some(true) => {}
        }
        read_field(&mut r, f, i + 1 == fields.len())?;
    }
    r.finish()
}

/// A field as decoded: its catalogue entry and its value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldValue<'a> {
    /// The catalogue entry.
    pub spec: &'static Field,
    /// The value.
    pub value: Value<'a>,
}

/// The value of a field, borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// A ZCL value.
    Zcl(ZclValue<'a>),
    /// Raw octets.
    Octets(&'a [u8]),
    /// A run of records.
    Records(Records<'a>),
}

impl<'a> Value<'a> {
    /// The value as an unsigned integer, when it is an integer, enumeration,
    /// bitmap, boolean, UTC time or identifier that fits.
    #[must_use]
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::Zcl(v) => zcl_as_u64(&v),
            _ => None,
        }
    }

    /// The value as octets, for raw octets and octet or character strings.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&'a [u8]> {
        match *self {
            Self::Octets(b) => Some(b),
            Self::Zcl(
                ZclValue::OctetString(s)
                | ZclValue::CharacterString(s)
                | ZclValue::LongOctetString(s)
                | ZclValue::LongCharacterString(s),
            ) => Some(s.unwrap_or(&[])),
            _ => None,
        }
    }
}

/// A ZCL value as an unsigned integer, when it is one (two's complement
/// values that are negative give `None`).
#[must_use]
pub fn zcl_as_u64(v: &ZclValue<'_>) -> Option<u64> {
    match *v {
        ZclValue::Bits(_, x) | ZclValue::Unsigned(_, x) => Some(x),
        ZclValue::Signed(_, x) => u64::try_from(x).ok(),
        ZclValue::Boolean(b) | ZclValue::Enum8(b) => Some(u64::from(b)),
        ZclValue::Enum16(x) | ZclValue::ClusterId(x) | ZclValue::AttributeId(x) => {
            Some(u64::from(x))
        }
        ZclValue::UtcTime(x) | ZclValue::BacnetOid(x) => Some(u64::from(x)),
        _ => None,
    }
}

/// The fields of a payload or of one record, in order (fields whose
/// condition does not hold are skipped).
#[derive(Debug, Clone)]
pub struct Fields<'a> {
    specs: &'static [Field],
    next: usize,
    bytes: &'a [u8],
    reader: Reader<'a>,
}

impl<'a> Fields<'a> {
    fn new(specs: &'static [Field], bytes: &'a [u8]) -> Self {
        Self {
            specs,
            next: 0,
            bytes,
            reader: Reader::new(bytes, Layer::Zcl),
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = FieldValue<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let i = self.next;
            let spec = self.specs.get(i)?;
            self.next += 1;
            match present(self.specs, i, self.bytes, &self.reader) {
                None => {
                    self.next = self.specs.len();
                    return None;
                }
                Some(false) => continue,
                Some(true) => {}
            }
            // The payload was validated when the command was decoded, so an
            // error here cannot happen; ending the iteration is the safe answer.
            let value = read_field(&mut self.reader, spec, i + 1 == self.specs.len()).ok()?;
            return Some(FieldValue { spec, value });
        }
    }
}

/// A run of records of the same fields (borrowed; validated at decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Records<'a> {
    fields: &'static [Field],
    bytes: &'a [u8],
}

impl<'a> Records<'a> {
    /// The records' wire form.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The fields of each record.
    #[must_use]
    pub const fn fields(&self) -> &'static [Field] {
        self.fields
    }

    /// The records in order.
    #[must_use]
    pub fn iter(&self) -> RecordIter<'a> {
        RecordIter {
            fields: self.fields,
            reader: Reader::new(self.bytes, Layer::Zcl),
        }
    }

    /// Number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// No records.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Iterator over [`Records`].
#[derive(Debug, Clone)]
pub struct RecordIter<'a> {
    fields: &'static [Field],
    reader: Reader<'a>,
}

impl<'a> Iterator for RecordIter<'a> {
    type Item = Fields<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.reader.is_empty() {
            return None;
        }
        let start = self.reader.pos();
        for (i, f) in self.fields.iter().enumerate() {
            if read_field(&mut self.reader, f, i + 1 == self.fields.len()).is_err() {
                // Validated at decode; stop rather than loop on bad bytes.
                self.reader = Reader::new(&[], Layer::Zcl);
                return None;
            }
        }
        let end = self.reader.pos();
        let bytes = self.reader.input().get(start..end)?;
        Some(Fields::new(self.fields, bytes))
    }
}

/// A value to encode into a field (the encoding side of [`Value`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arg<'a> {
    /// A ZCL value; its type must be the field's.
    Zcl(ZclValue<'a>),
    /// Raw octets, for [`FieldKind::Octets`] (exact length) and [`FieldKind::Rest`].
    Octets(&'a [u8]),
    /// Records, each the arguments of one record's fields.
    Records(&'a [&'a [Arg<'a>]]),
}

/// A command payload to encode: the catalogue entry and the arguments in
/// field order (trailing optional fields may be left out).
#[derive(Debug, Clone, Copy)]
pub struct CommandPayload<'a, 'b> {
    /// The command.
    pub command: &'static Command,
    /// One argument per field, in order.
    pub args: &'b [Arg<'a>],
}

impl<'a, 'b> CommandPayload<'a, 'b> {
    /// The payload of `command` with `args`.
    #[must_use]
    pub const fn new(command: &'static Command, args: &'b [Arg<'a>]) -> Self {
        Self { command, args }
    }
}

fn args_len(fields: &'static [Field], args: &[Arg<'_>]) -> usize {
    pair_args(fields, args).map_or(0, |pairs| {
        pairs
            .iter()
            .map(|(f, a)| match (f.kind, a) {
                (FieldKind::Records(inner), Arg::Records(rs)) => {
                    rs.iter().map(|r| args_len(inner, r)).sum()
                }
                (_, Arg::Zcl(v)) => v.encoded_len(),
                (_, Arg::Octets(b)) => b.len(),
                (_, Arg::Records(_)) => 0,
            })
            .sum()
    })
}

fn mismatch(field: &'static str) -> EncodeError {
    EncodeError::inconsistent(Layer::Zcl, field)
}

/// The fields of `fields` that are on the wire with these arguments, paired
/// with them: conditions are read from the arguments given for earlier
/// fields. Errors on a type mismatch, a missing mandatory field, or an
/// argument left over.
fn pair_args<'x, 'a>(
    fields: &'static [Field],
    args: &'x [Arg<'a>],
) -> Result<Vec<(&'static Field, &'x Arg<'a>)>, EncodeError> {
    let mut pairs: Vec<(&'static Field, &'x Arg<'a>)> = Vec::with_capacity(args.len());
    let mut next = args.iter();
    for f in fields {
        if let Some(c) = f.condition {
            let earlier =
                pairs
                    .iter()
                    .find(|(g, _)| g.name == c.field())
                    .and_then(|(_, a)| match a {
                        Arg::Zcl(v) => zcl_as_u64(v),
                        _ => None,
                    });
            if !c.holds(earlier) {
                continue;
            }
        }
        match next.next() {
            Some(a) => pairs.push((f, a)),
            None if f.optional => break,
            None => return Err(mismatch(f.name)),
        }
    }
    if next.next().is_some() {
        return Err(mismatch("more arguments than fields"));
    }
    Ok(pairs)
}

fn encode_args<B: BufMut>(
    fields: &'static [Field],
    args: &[Arg<'_>],
    out: &mut B,
) -> Result<(), EncodeError> {
    let pairs = pair_args(fields, args)?;
    let last_field = fields.last().map(|f| f as *const Field);
    for (f, a) in pairs {
        let last = Some(f as *const Field) == last_field;
        match (f.kind, a) {
            (FieldKind::Value(ty), Arg::Zcl(v)) if v.data_type() == ty => v.encode(out)?,
            (FieldKind::Octets(n), Arg::Octets(b)) if b.len() == n => out.put_slice(b),
            (FieldKind::Rest, Arg::Octets(b)) if last => out.put_slice(b),
            (FieldKind::Records(inner), Arg::Records(rs)) if last => {
                for r in *rs {
                    encode_args(inner, r, out)?;
                }
            }
            _ => return Err(mismatch(f.name)),
        }
    }
    Ok(())
}

impl Encode for CommandPayload<'_, '_> {
    fn encoded_len(&self) -> usize {
        args_len(self.command.fields, self.args)
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        encode_args(self.command.fields, self.args, out)
    }
}

/// Appends a valid wire form of a `ty` value with contents from `src`:
/// strings of 7 octets, long strings of 3, collections of two elements.
fn synthesize_value(ty: DataType, src: &mut dyn Iterator<Item = u8>, out: &mut Vec<u8>) {
    let mut take = |n: usize, out: &mut Vec<u8>| {
        for _ in 0..n {
            out.push(src.next().unwrap_or(0));
        }
    };
    match ty {
        DataType::OctetString | DataType::CharacterString => {
            out.push(7);
            take(7, out);
        }
        DataType::LongOctetString | DataType::LongCharacterString => {
            out.extend_from_slice(&[3, 0]);
            take(3, out);
        }
        DataType::Array | DataType::Set | DataType::Bag => {
            out.extend_from_slice(&[DataType::Uint8.value(), 2, 0]);
            take(2, out);
        }
        DataType::Structure => {
            out.extend_from_slice(&[1, 0, DataType::Uint16.value()]);
            take(2, out);
        }
        other => take(other.fixed_len().unwrap_or(0), out),
    }
}

/// A payload that fits `fields`, with every optional field present, value
/// octets taken from `src` (zeros once it runs dry), `records`
/// records in a trailing records field and `3 × records` octets in a
/// trailing rest field. Test and fuzzing seed material: every value is
/// well-formed for its type, whatever its meaning.
pub fn synthesize(
    fields: &'static [Field],
    records: usize,
    src: &mut dyn Iterator<Item = u8>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if let Some(c) = f.condition {
            let earlier = earlier_value(fields, &out, i, c.field());
            if !c.holds(earlier) {
                continue;
            }
        }
        match f.kind {
            FieldKind::Value(t) => synthesize_value(t, src, &mut out),
            FieldKind::Octets(n) => out.extend((0..n).map(|_| src.next().unwrap_or(0))),
            FieldKind::Rest => out.extend((0..records * 3).map(|_| src.next().unwrap_or(0))),
            FieldKind::Records(inner) => {
                for _ in 0..records {
                    out.extend(synthesize(inner, 0, src));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
