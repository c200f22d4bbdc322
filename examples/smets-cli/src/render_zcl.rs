//! The ZCL layer and the GB HAN tunnel, described to a [`Sink`]: cluster and
//! command by name, attributes with their names, types and values (metered
//! values scaled with the device's formatting), and command fields by name.
//!
//! JSON keys (documented in the README): `zcl.cluster`, `zcl.cluster_name`,
//! `zcl.command`, `zcl.command_name`, `zcl.direction`, `zcl.manufacturer`,
//! `zcl.attributes` (list of `{id, name, type, value, ...}`), `zcl.fields`,
//! and `gbcs_tunnel`.

use core::fmt;

use smets_core::time::Utc2000;
use smets_zigbee::dissector::{Dissection, GbcsTunnelLayer};
use smets_zigbee::zcl::cluster::metering::Formatting;
use smets_zigbee::zcl::cluster::{
    self, Attribute, Cluster, Field, Fields, Quantity, Value as FieldValue,
};
use smets_zigbee::zcl::foundation::{FoundationCommand, ReportingConfig, ReportingTarget, Status};
use smets_zigbee::zcl::tunneling::gbcs::GbcsTunnel;
use smets_zigbee::zcl::types::{Date, TimeOfDay};
use smets_zigbee::zcl::{DataType, Direction, ZclCommand, ZclFrame, ZclValue};

use crate::sink::{Sink, Value};

/// What the attributes of a frame are read against.
struct Context<'c> {
    cluster: Option<&'static Cluster>,
    /// The attributes are the client side's.
    client: bool,
    formatting: Option<&'c Formatting>,
}

impl Context<'_> {
    fn attribute(&self, id: u16) -> Option<cluster::AttributeRef> {
        self.cluster.and_then(|c| c.attribute(self.client, id))
    }
}

/// Describes the ZCL layer and the GB HAN tunnel of `d`.
pub fn zcl(sink: &mut dyn Sink, d: &Dissection<'_>) {
    let Some(z) = &d.zcl else { return };
    let aps = d.aps.as_ref().map(|a| &a.frame);
    let cluster_id = aps.and_then(|f| f.cluster);
    let public = aps.and_then(|f| f.profile).is_some_and(|p| p < 0x8000);
    frame(
        sink,
        "zcl",
        &Frame {
            cluster_id,
            public,
            header: z,
            command: d.zcl_command.as_ref(),
            formatting: d.metering_formatting.as_ref(),
        },
    );
    if let Some(t) = &d.gbcs_tunnel {
        gbcs_tunnel(sink, t);
    }
}

/// A ZCL frame and what is known around it.
#[allow(missing_debug_implementations)]
pub struct Frame<'f, 'a> {
    /// The cluster (from the APS frame or the GBZ component).
    pub cluster_id: Option<u16>,
    /// Whether the profile is public (ids below 0x8000 name catalogue
    /// clusters).
    pub public: bool,
    /// The frame; its payload is shown as hex.
    pub header: &'f ZclFrame<'a>,
    /// The payload decoded, when it was.
    pub command: Option<&'f ZclCommand<'a>>,
    /// The metering formatting that scales metered values.
    pub formatting: Option<&'f Formatting>,
}

/// Describes a ZCL frame as the object `name`: cluster and command by
/// name, attributes and command fields.
pub fn frame(sink: &mut dyn Sink, name: &str, f: &Frame<'_, '_>) {
    let z = f.header;
    let catalogue = f.cluster_id.filter(|_| f.public).and_then(cluster::cluster);
    sink.begin(name);
    if let Some(c) = f.cluster_id {
        sink.field("cluster", Value::Id16(c));
    }
    if let Some(c) = catalogue {
        sink.field("cluster_name", Value::Str(c.label));
    }
    sink.field(
        "frame_type",
        Value::Str(z.frame_control.frame_type.label().unwrap_or("unknown")),
    );
    sink.field(
        "direction",
        Value::Str(z.frame_control.direction.label().unwrap_or("unknown")),
    );
    if let Some(m) = z.manufacturer {
        sink.field("manufacturer", Value::Id16(m));
    }
    sink.field("tsn", Value::U64(z.tsn.into()));
    sink.field("command", Value::Id8(z.command_id));
    match f.command {
        Some(ZclCommand::Cluster(c)) => {
            sink.field("command_name", Value::Str(c.command.label));
            fields(sink, "fields", c.fields());
        }
        Some(ZclCommand::Foundation(fc)) => {
            if let Some(name) = z.command_label() {
                sink.field("command_name", Value::Str(name));
            }
            let cx = Context {
                // Manufacturer-specific attribute ids are the manufacturer's.
                cluster: catalogue.filter(|_| z.manufacturer.is_none()),
                client: cluster::attributes_are_client(z.frame_control.direction, z.command_id),
                formatting: f.formatting,
            };
            foundation(sink, fc, &cx);
        }
        None => {
            if let Some(name) = z.command_label() {
                sink.field("command_name", Value::Str(name));
            }
        }
    }
    sink.field("payload", Value::Hex(z.payload));
    sink.end();
}

fn gbcs_tunnel(sink: &mut dyn Sink, t: &GbcsTunnelLayer<'_>) {
    sink.begin("gbcs_tunnel");
    sink.field("tunnel_id", Value::U64(t.tunnel_id.into()));
    match t.header {
        Some(h) => {
            sink.field(
                "command",
                Value::Str(h.command().label().unwrap_or("unknown")),
            );
            if let GbcsTunnel::GetResponse { remaining, .. } = h {
                sink.field("remaining", Value::U64(remaining.into()));
            }
        }
        None => sink.field("continuation", Value::Bool(true)),
    }
    if let Some(b) = &t.gbt {
        sink.begin("gbt");
        sink.field("cra_flag", Value::Id8(b.cra_flag));
        sink.field("originator_counter", Value::U64(b.originator_counter));
        sink.field("business_originator", Value::Eui(b.business_originator));
        sink.field("business_target", Value::Eui(b.business_target));
        sink.field("message_code", Value::Id16(b.message_code));
        sink.field("block_number", Value::U64(b.block_number.into()));
        sink.field("last_block", Value::Bool(b.is_last()));
        sink.field("block_length", Value::U64(b.data.len() as u64));
        sink.end();
    }
    if let Some(m) = t.message {
        if let Some(n) = t.gbt_blocks {
            sink.field("gbt_blocks", Value::U64(n.into()));
        }
        sink.field("message_length", Value::U64(m.len() as u64));
        sink.field("message", Value::Hex(m));
    }
    sink.end();
}

/// The fields of a cluster command (or of one record) by name.
fn fields(sink: &mut dyn Sink, name: &str, list: Fields<'_>) {
    sink.begin(name);
    field_values(sink, list);
    sink.end();
}

fn field_values(sink: &mut dyn Sink, list: Fields<'_>) {
    for f in list {
        match f.value {
            FieldValue::Zcl(v) => zcl_value(sink, f.spec.name, &v, f.spec),
            FieldValue::Octets(b) => sink.field(f.spec.name, Value::Hex(b)),
            FieldValue::Records(rs) => {
                sink.begin_list(f.spec.name);
                for r in rs.iter() {
                    sink.begin_item();
                    field_values(sink, r);
                    sink.end();
                }
                sink.end_list();
            }
        }
    }
}

/// Value names of a field or attribute.
trait Named {
    fn value_name(&self, v: u64) -> Option<&'static str>;
}

impl Named for Field {
    fn value_name(&self, v: u64) -> Option<&'static str> {
        Field::value_name(self, v)
    }
}

impl Named for Attribute {
    fn value_name(&self, v: u64) -> Option<&'static str> {
        Attribute::value_name(self, v)
    }
}

struct NoNames;

impl Named for NoNames {
    fn value_name(&self, _: u64) -> Option<&'static str> {
        None
    }
}

/// A ZCL value as a field `name` (and `name_name` for a named enumeration).
fn zcl_value(sink: &mut dyn Sink, name: &str, v: &ZclValue<'_>, names: &dyn Named) {
    if sink.is_text() {
        let text = TextValue { v, names };
        sink.field(name, Value::Display(&text));
        return;
    }
    sink.field(name, json_value(v));
    if let Some(t) = printable_octets(v) {
        let key = format!("{name}_text");
        sink.field(&key, Value::Str(t));
    }
    if let Some(n) = cluster::zcl_as_u64(v).and_then(|x| names.value_name(x)) {
        let key = format!("{name}_name");
        sink.field(&key, Value::Str(n));
    }
    if let ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) = v {
        let key = format!("{name}_elements");
        sink.begin_list(&key);
        for e in s.iter().flatten() {
            element(sink, &e);
        }
        sink.end_list();
    }
    if let ZclValue::Structure(s) = v {
        let key = format!("{name}_elements");
        sink.begin_list(&key);
        for e in s.iter().flatten() {
            element(sink, &e);
        }
        sink.end_list();
    }
}

fn element(sink: &mut dyn Sink, v: &ZclValue<'_>) {
    sink.begin_item();
    sink.field(
        "type",
        Value::Str(v.data_type().label().unwrap_or("unknown")),
    );
    zcl_value(sink, "value", v, &NoNames);
    sink.end();
}

/// An octet string that is all printable ASCII (labels, UTRNs, serial
/// numbers sent as octets), as text.
fn printable_octets<'v>(v: &ZclValue<'v>) -> Option<&'v str> {
    match *v {
        ZclValue::OctetString(Some(s)) | ZclValue::LongOctetString(Some(s))
            if !s.is_empty() && s.iter().all(|b| (0x20..0x7f).contains(b)) =>
        {
            core::str::from_utf8(s).ok()
        }
        _ => None,
    }
}

/// The JSON form of a scalar ZCL value; collections are described by
/// their element lists.
fn json_value<'v>(v: &ZclValue<'v>) -> Value<'v> {
    match *v {
        ZclValue::Bits(_, x) | ZclValue::Unsigned(_, x) => Value::U64(x),
        ZclValue::Signed(_, x) => Value::I64(x),
        ZclValue::Boolean(b @ (0 | 1)) => Value::Bool(b == 1),
        ZclValue::Boolean(b) | ZclValue::Enum8(b) => Value::U64(b.into()),
        ZclValue::Enum16(x) => Value::U64(x.into()),
        ZclValue::SemiFloat(_) => v.to_f32().map_or(Value::Null, |x| Value::F64(x.into())),
        ZclValue::SingleFloat(x) => Value::F64(x.into()),
        ZclValue::DoubleFloat(x) => Value::F64(x),
        ZclValue::CharacterString(Some(s)) | ZclValue::LongCharacterString(Some(s)) => {
            match core::str::from_utf8(s) {
                Ok(t) => Value::Str(t),
                Err(_) => Value::Hex(s),
            }
        }
        ZclValue::OctetString(Some(s)) | ZclValue::LongOctetString(Some(s)) => Value::Hex(s),
        ZclValue::UtcTime(0xffff_ffff) => Value::Null,
        ZclValue::UtcTime(t) => Value::U64(t.into()),
        ZclValue::ClusterId(x) | ZclValue::AttributeId(x) => Value::Id16(x),
        ZclValue::BacnetOid(x) => Value::U64(x.into()),
        ZclValue::IeeeAddress(e) => Value::Eui(e),
        ZclValue::SecurityKey(_) => Value::Str("redacted"),
        ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) => Value::U64(s.count().into()),
        ZclValue::Structure(s) => Value::U64(s.count().into()),
        _ => Value::Null,
    }
}

/// A ZCL value for people: numbers, names of enumerations, times as dates,
/// strings quoted, keys never shown.
struct TextValue<'v, 'n> {
    v: &'v ZclValue<'v>,
    names: &'n dyn Named,
}

impl fmt::Display for TextValue<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = cluster::zcl_as_u64(self.v).and_then(|x| self.names.value_name(x)) {
            return write!(f, "{n} ({})", Plain(self.v));
        }
        write!(f, "{}", Plain(self.v))
    }
}

struct Plain<'v>(&'v ZclValue<'v>);

impl fmt::Display for Plain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            ZclValue::Bits(t, x) => {
                let width = t.fixed_len().unwrap_or(1) * 2;
                write!(f, "0x{x:0width$x}")
            }
            ZclValue::Unsigned(_, x) => write!(f, "{x}"),
            ZclValue::Signed(_, x) => write!(f, "{x}"),
            ZclValue::Boolean(0) => f.write_str("false"),
            ZclValue::Boolean(1) => f.write_str("true"),
            ZclValue::Boolean(b) | ZclValue::Enum8(b) => write!(f, "{b}"),
            ZclValue::Enum16(x) => write!(f, "{x}"),
            ZclValue::SemiFloat(_) => write!(f, "{}", self.0.to_f32().unwrap_or(f32::NAN)),
            ZclValue::SingleFloat(x) => write!(f, "{x}"),
            ZclValue::DoubleFloat(x) => write!(f, "{x}"),
            ZclValue::CharacterString(Some(s)) | ZclValue::LongCharacterString(Some(s)) => {
                write!(f, "{:?}", String::from_utf8_lossy(s))
            }
            ZclValue::OctetString(Some(s)) | ZclValue::LongOctetString(Some(s)) => {
                if let Some(t) = printable_octets(self.0) {
                    write!(f, "{t:?} (")?;
                }
                for b in s {
                    write!(f, "{b:02x}")?;
                }
                if printable_octets(self.0).is_some() {
                    f.write_str(")")?;
                }
                Ok(())
            }
            ZclValue::OctetString(None)
            | ZclValue::CharacterString(None)
            | ZclValue::LongOctetString(None)
            | ZclValue::LongCharacterString(None) => f.write_str("(invalid)"),
            ZclValue::UtcTime(0xffff_ffff) => f.write_str("(invalid)"),
            ZclValue::UtcTime(t) => write!(f, "{}", Utc2000(t)),
            ZclValue::Date(d) => write!(f, "{}", DateText(d)),
            ZclValue::TimeOfDay(t) => write!(f, "{}", TimeText(t)),
            ZclValue::ClusterId(x) | ZclValue::AttributeId(x) => write!(f, "0x{x:04x}"),
            ZclValue::BacnetOid(x) => write!(f, "{x}"),
            ZclValue::IeeeAddress(e) => write!(f, "{e}"),
            ZclValue::SecurityKey(_) => f.write_str("(key not shown)"),
            ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) => {
                f.write_str("[")?;
                for (i, e) in s.iter().flatten().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Plain(&e))?;
                }
                f.write_str("]")
            }
            ZclValue::Structure(s) => {
                f.write_str("{")?;
                for (i, e) in s.iter().flatten().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", Plain(&e))?;
                }
                f.write_str("}")
            }
            ZclValue::NoData => f.write_str("(no data)"),
            ZclValue::Unknown => f.write_str("(unknown)"),
        }
    }
}

struct DateText(Date);

impl fmt::Display for DateText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let part = |f: &mut fmt::Formatter<'_>, v: u8, w: usize| {
            if v == 0xff {
                write!(f, "{:*<w$}", "")
            } else {
                write!(f, "{v:0w$}")
            }
        };
        if d.year == 0xff {
            f.write_str("****")?;
        } else {
            write!(f, "{}", 1900 + u32::from(d.year))?;
        }
        f.write_str("-")?;
        part(f, d.month, 2)?;
        f.write_str("-")?;
        part(f, d.day, 2)?;
        if d.weekday != 0xff {
            write!(f, " (weekday {})", d.weekday)?;
        }
        Ok(())
    }
}

struct TimeText(TimeOfDay);

impl fmt::Display for TimeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        for (i, v) in [t.hours, t.minutes, t.seconds].into_iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            if v == 0xff {
                f.write_str("**")?;
            } else {
                write!(f, "{v:02}")?;
            }
        }
        if t.hundredths != 0xff {
            write!(f, ".{:02}", t.hundredths)?;
        }
        Ok(())
    }
}

/// One attribute of a foundation command: id, name, type and value, with
/// a metered value scaled.
fn attribute(
    sink: &mut dyn Sink,
    cx: &Context<'_>,
    id: u16,
    status: Option<Status>,
    value: Option<&ZclValue<'_>>,
) {
    let found = cx.attribute(id);
    let name = found.map(|a| a.name().to_string());
    let scaled = match (found, value, cx.formatting) {
        (Some(a), Some(v), Some(fmt)) if a.spec.quantity != Quantity::Plain => {
            fmt.scale(a.spec.quantity, v)
        }
        _ => None,
    };
    if sink.is_text() {
        let label = name.unwrap_or_else(|| format!("attribute 0x{id:04x}"));
        let mut text = String::new();
        match (scaled, value) {
            (Some(s), Some(v)) => {
                text = format!(
                    "{s} (0x{id:04x} {}, raw {})",
                    type_label(v.data_type()),
                    Plain(v)
                )
            }
            (None, Some(v)) => {
                let names: &dyn Named = match found {
                    Some(a) => a.spec,
                    None => &NoNames,
                };
                text = format!(
                    "{} (0x{id:04x} {})",
                    TextValue { v, names },
                    type_label(v.data_type())
                );
            }
            (_, None) => {
                use fmt::Write as _;
                let _ = write!(text, "(0x{id:04x})");
            }
        }
        if let Some(s) = status.filter(|s| *s != Status::Success) {
            text.push_str(" status ");
            text.push_str(s.label().unwrap_or("unknown"));
        }
        sink.field(&label, Value::Display(&text));
        return;
    }
    sink.begin_item();
    sink.field("id", Value::Id16(id));
    if let Some(n) = &name {
        sink.field("name", Value::Str(n));
    }
    if let Some(s) = status {
        sink.field("status", Value::Str(s.label().unwrap_or("unknown")));
    }
    if let Some(v) = value {
        sink.field("type", Value::Str(type_label(v.data_type())));
        let names: &dyn Named = match found {
            Some(a) => a.spec,
            None => &NoNames,
        };
        zcl_value(sink, "value", v, names);
    }
    if let Some(s) = scaled {
        sink.field("scaled", Value::F64(s.to_f64()));
        sink.field("unit", Value::Str(s.unit()));
    }
    sink.end();
}

/// An attribute's id and, when the catalogue has it, its name.
fn id_and_name(sink: &mut dyn Sink, cx: &Context<'_>, id: u16) {
    sink.field("id", Value::Id16(id));
    if let Some(n) = cx.attribute(id) {
        sink.field("name", Value::Display(&n.name()));
    }
}

/// The `complete` flag of a discovery response, as its one field.
fn complete(sink: &mut dyn Sink, complete: bool) {
    sink.begin("fields");
    sink.field("complete", Value::Bool(complete));
    sink.end();
}

fn type_label(t: DataType) -> &'static str {
    t.label().unwrap_or("unknown")
}

fn status_field(sink: &mut dyn Sink, s: Status) {
    sink.field("status", Value::Str(s.label().unwrap_or("unknown")));
}

fn target(sink: &mut dyn Sink, cx: &Context<'_>, t: &ReportingTarget) {
    sink.field("direction", Value::U64(t.direction.value().into()));
    sink.field("id", Value::Id16(t.id));
    if let Some(a) = cx.attribute(t.id) {
        sink.field("name", Value::Display(&a.name()));
    }
}

fn reporting(sink: &mut dyn Sink, c: &ReportingConfig<'_>) {
    match *c {
        ReportingConfig::Reported {
            data_type,
            min_interval,
            max_interval,
            change,
        } => {
            sink.field("type", Value::Str(type_label(data_type)));
            sink.field("min_interval", Value::U64(min_interval.into()));
            sink.field("max_interval", Value::U64(max_interval.into()));
            if let Some(v) = change {
                zcl_value(sink, "reportable_change", &v, &NoNames);
            }
        }
        ReportingConfig::Received { timeout } => {
            sink.field("timeout", Value::U64(timeout.into()));
        }
    }
}

/// The records of a foundation command: attributes where it carries them,
/// otherwise its fields.
fn foundation(sink: &mut dyn Sink, f: &FoundationCommand<'_>, cx: &Context<'_>) {
    match f {
        FoundationCommand::ReadAttributes(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                attribute(sink, cx, r.0, None, None);
            }
            sink.end_list();
        }
        FoundationCommand::ReadAttributesResponse(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                attribute(sink, cx, r.id, Some(r.status), r.value.as_ref());
            }
            sink.end_list();
        }
        FoundationCommand::WriteAttributes(rs)
        | FoundationCommand::WriteAttributesUndivided(rs)
        | FoundationCommand::WriteAttributesNoResponse(rs)
        | FoundationCommand::ReportAttributes(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                attribute(sink, cx, r.id, None, Some(&r.value));
            }
            sink.end_list();
        }
        FoundationCommand::WriteAttributesResponse(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                status_field(sink, r.status);
                if let Some(id) = r.id {
                    sink.field("id", Value::Id16(id));
                    if let Some(a) = cx.attribute(id) {
                        sink.field("name", Value::Display(&a.name()));
                    }
                }
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::ConfigureReporting(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                target(
                    sink,
                    cx,
                    &ReportingTarget {
                        direction: r.config.direction(),
                        id: r.id,
                    },
                );
                reporting(sink, &r.config);
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::ConfigureReportingResponse(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                status_field(sink, r.status);
                if let Some(t) = &r.target {
                    target(sink, cx, t);
                }
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::ReadReportingConfiguration(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                target(sink, cx, &r);
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::ReadReportingConfigurationResponse(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                status_field(sink, r.status);
                target(
                    sink,
                    cx,
                    &ReportingTarget {
                        direction: r.direction,
                        id: r.id,
                    },
                );
                if let Some(c) = &r.config {
                    reporting(sink, c);
                }
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::DefaultResponse(r) => {
            sink.begin("fields");
            sink.field("command", Value::Id8(r.command_id));
            status_field(sink, r.status);
            sink.end();
        }
        FoundationCommand::DiscoverAttributes(r)
        | FoundationCommand::DiscoverAttributesExtended(r) => {
            sink.begin("fields");
            sink.field("start", Value::Id16(r.start));
            sink.field("max", Value::U64(r.max.into()));
            sink.end();
        }
        FoundationCommand::DiscoverAttributesResponse(r) => {
            complete(sink, r.complete);
            sink.begin_list("attributes");
            for a in r.records.iter().flatten() {
                sink.begin_item();
                id_and_name(sink, cx, a.id);
                sink.field("type", Value::Str(type_label(a.data_type)));
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::DiscoverAttributesExtendedResponse(r) => {
            complete(sink, r.complete);
            sink.begin_list("attributes");
            for a in r.records.iter().flatten() {
                sink.begin_item();
                id_and_name(sink, cx, a.id);
                sink.field("type", Value::Str(type_label(a.data_type)));
                sink.field("access", Value::Id8(a.access));
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::ReadAttributesStructured(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                id_and_name(sink, cx, r.id);
                sink.field("selector", Value::Hex(r.selector.indexes));
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::WriteAttributesStructured(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                id_and_name(sink, cx, r.id);
                sink.field("selector", Value::Hex(r.selector.indexes));
                sink.field("type", Value::Str(type_label(r.value.data_type())));
                zcl_value(sink, "value", &r.value, &NoNames);
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::WriteAttributesStructuredResponse(rs) => {
            sink.begin_list("attributes");
            for r in rs.iter().flatten() {
                sink.begin_item();
                status_field(sink, r.status);
                if let Some(t) = &r.target {
                    sink.field("id", Value::Id16(t.id));
                    sink.field("selector", Value::Hex(t.selector.indexes));
                }
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::DiscoverCommandsReceived(r)
        | FoundationCommand::DiscoverCommandsGenerated(r) => {
            sink.begin("fields");
            sink.field("start", Value::Id8(r.start));
            sink.field("max", Value::U64(r.max.into()));
            sink.end();
        }
        FoundationCommand::DiscoverCommandsReceivedResponse(r)
        | FoundationCommand::DiscoverCommandsGeneratedResponse(r) => {
            // Received commands travel to the server, generated ones to the client.
            let dir = if matches!(f, FoundationCommand::DiscoverCommandsReceivedResponse(_)) {
                Direction::ToServer
            } else {
                Direction::ToClient
            };
            complete(sink, r.complete);
            sink.begin_list("commands");
            for c in r.records.iter().flatten() {
                sink.begin_item();
                sink.field("id", Value::Id8(c.0));
                if let Some(cmd) = cx.cluster.and_then(|k| k.command(dir, c.0)) {
                    sink.field("name", Value::Str(cmd.label));
                }
                sink.end();
            }
            sink.end_list();
        }
        FoundationCommand::Unknown(..) => {}
    }
}
