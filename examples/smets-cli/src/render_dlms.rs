//! The lossless tree of a DLMS payload (GBCS 7.2.3; IEC 62056-5-3 9.5):
//! the access-request, access-response or data-notification with every
//! A-XDR value (IEC 62056-6-2 4.1.5) under its type name, and the
//! decrypted protected parts as A-XDR data. No COSEM meaning: that is the
//! typed use-case layer's.

use smets_core::{Decode, DecodeError};
use smets_dlms::apdu::{
    AccessRequestSpecification, AccessResponseSpecification, AttributeDescriptor, XdlmsApdu,
};
use smets_dlms::axdr::{Data, Elements};
use smets_dlms::cosem::CosemDateTime;

use crate::sink::{Sink, Value};

/// Where a value goes in its parent.
#[derive(Clone, Copy)]
enum Slot<'n> {
    Field(&'n str),
    Item,
}

fn open(sink: &mut dyn Sink, slot: Slot<'_>) {
    match slot {
        Slot::Field(n) => sink.begin(n),
        Slot::Item => sink.begin_item(),
    }
}

fn put(sink: &mut dyn Sink, slot: Slot<'_>, v: Value<'_>) {
    match slot {
        Slot::Field(n) => sink.field(n, v),
        Slot::Item => sink.item(v),
    }
}

/// Describes a DLMS payload as the object `name`: the APDU, then the
/// decrypted protected parts (`(offset, plaintext)`) as A-XDR data.
///
/// # Errors
/// Why `content` is not one of the three GBCS APDUs; nothing is written
/// then.
pub fn payload(
    sink: &mut dyn Sink,
    name: &str,
    content: &[u8],
    plaintexts: &[(usize, &[u8])],
) -> Result<(), DecodeError> {
    let apdu = XdlmsApdu::decode(content)?;
    sink.begin(name);
    sink.field("decoded_as", Value::Str("tree"));
    apdu_fields(sink, apdu);
    if !plaintexts.is_empty() {
        sink.begin_list("decrypted");
        for (offset, p) in plaintexts {
            sink.begin_item();
            sink.field("offset", Value::U64(*offset as u64));
            plaintext(sink, "data", p);
            sink.end();
        }
        sink.end_list();
    }
    sink.end();
    Ok(())
}

fn apdu_fields(sink: &mut dyn Sink, apdu: XdlmsApdu<'_>) {
    match apdu {
        XdlmsApdu::AccessRequest(a) => {
            sink.field("apdu", Value::Str("access_request"));
            invoke(sink, a.long_invoke_id_and_priority);
            date_time(sink, a.date_time.as_ref());
            sink.begin_list("requests");
            for s in a.specifications {
                sink.begin_item();
                request(sink, &s);
                sink.end();
            }
            sink.end_list();
            list(sink, "data", a.data);
        }
        XdlmsApdu::AccessResponse(a) => {
            sink.field("apdu", Value::Str("access_response"));
            invoke(sink, a.long_invoke_id_and_priority);
            date_time(sink, a.date_time.as_ref());
            if let Some(specs) = a.request_specifications {
                sink.begin_list("requests");
                for s in specs {
                    sink.begin_item();
                    request(sink, &s);
                    sink.end();
                }
                sink.end_list();
            }
            list(sink, "data", a.data);
            sink.begin_list("results");
            for r in a.results {
                sink.begin_item();
                let (kind, label, code) = match r {
                    AccessResponseSpecification::Get(x) => ("get", x.label(), x.value()),
                    AccessResponseSpecification::Set(x) => ("set", x.label(), x.value()),
                    AccessResponseSpecification::Action(x) => ("action", x.label(), x.value()),
                };
                sink.field("kind", Value::Str(kind));
                match label {
                    Some(l) => sink.field("result", Value::Str(l)),
                    None => sink.field("result", Value::U64(code.into())),
                }
                sink.end();
            }
            sink.end_list();
        }
        XdlmsApdu::DataNotification(n) => {
            sink.field("apdu", Value::Str("data_notification"));
            invoke(sink, n.long_invoke_id_and_priority);
            date_time(sink, n.date_time.as_ref());
            data(sink, Slot::Field("body"), &n.body);
        }
    }
}

/// Describes decrypted DLMS plaintext (A-XDR data) under `name`; the
/// bytes as hex when they are not one A-XDR value.
pub fn plaintext(sink: &mut dyn Sink, name: &str, plaintext: &[u8]) {
    match Data::decode(plaintext) {
        Ok(d) => data(sink, Slot::Field(name), &d),
        Err(e) => {
            sink.begin(name);
            sink.field("hex", Value::Hex(plaintext));
            let t = e.to_string();
            sink.field("error", Value::Str(&t));
            sink.end();
        }
    }
}

fn invoke(sink: &mut dyn Sink, v: u32) {
    sink.field("invoke_id", Value::U64((v & 0x00FF_FFFF).into()));
    sink.field("invoke_id_and_priority", Value::Id8(v.to_be_bytes()[0]));
}

fn date_time(sink: &mut dyn Sink, dt: Option<&[u8; 12]>) {
    if let Some(b) = dt {
        let t = CosemDateTime::from_bytes(b);
        sink.field("date_time", Value::Display(&t));
    }
}

fn attribute(sink: &mut dyn Sink, d: &AttributeDescriptor) {
    sink.field("class_id", Value::U64(d.class_id.into()));
    sink.field("obis", Value::Display(&d.instance_id));
    sink.field("attribute_id", Value::I64(d.attribute_id.into()));
}

fn request(sink: &mut dyn Sink, s: &AccessRequestSpecification<'_>) {
    match s {
        AccessRequestSpecification::Get(d) => {
            sink.field("kind", Value::Str("get"));
            attribute(sink, d);
        }
        AccessRequestSpecification::Set(d) => {
            sink.field("kind", Value::Str("set"));
            attribute(sink, d);
        }
        AccessRequestSpecification::Action(m) => {
            sink.field("kind", Value::Str("action"));
            sink.field("class_id", Value::U64(m.class_id.into()));
            sink.field("obis", Value::Display(&m.instance_id));
            sink.field("method_id", Value::I64(m.method_id.into()));
        }
        AccessRequestSpecification::GetWithSelection {
            descriptor,
            access_selector,
            access_parameters,
        }
        | AccessRequestSpecification::SetWithSelection {
            descriptor,
            access_selector,
            access_parameters,
        } => {
            let kind = if matches!(s, AccessRequestSpecification::GetWithSelection { .. }) {
                "get_with_selection"
            } else {
                "set_with_selection"
            };
            sink.field("kind", Value::Str(kind));
            attribute(sink, descriptor);
            sink.field("access_selector", Value::U64((*access_selector).into()));
            data(sink, Slot::Field("access_parameters"), access_parameters);
        }
    }
}

fn list(sink: &mut dyn Sink, name: &str, items: Elements<'_>) {
    sink.begin_list(name);
    for d in items {
        data(sink, Slot::Item, &d);
    }
    sink.end_list();
}

/// One A-XDR value as `{type: value}`; null-data as null.
fn data(sink: &mut dyn Sink, slot: Slot<'_>, d: &Data<'_>) {
    let tag = d.tag();
    let Some(name) = tag.label() else {
        put(sink, slot, Value::Null);
        return;
    };
    if matches!(d, Data::NullData) {
        put(sink, slot, Value::Null);
        return;
    }
    open(sink, slot);
    match d {
        Data::NullData => {}
        Data::Array(e) | Data::Structure(e) => list(sink, name, *e),
        Data::Boolean(b) => sink.field(name, Value::Bool(*b != 0)),
        Data::BitString(b) => {
            sink.begin(name);
            sink.field("bits", Value::U64(b.bits as u64));
            sink.field("hex", Value::Hex(b.bytes));
            sink.end();
        }
        Data::DoubleLong(v) => sink.field(name, Value::I64((*v).into())),
        Data::DoubleLongUnsigned(v) => sink.field(name, Value::U64((*v).into())),
        Data::OctetString(b) => sink.field(name, Value::Hex(b)),
        Data::VisibleString(b) | Data::Utf8String(b) => match core::str::from_utf8(b) {
            Ok(s) => sink.field(name, Value::Str(s)),
            Err(_) => sink.field(name, Value::Hex(b)),
        },
        Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) => {
            sink.field(name, Value::U64((*v).into()));
        }
        Data::Integer(v) => sink.field(name, Value::I64((*v).into())),
        Data::Long(v) => sink.field(name, Value::I64((*v).into())),
        Data::LongUnsigned(v) => sink.field(name, Value::U64((*v).into())),
        Data::CompactArray(c) => {
            sink.begin(name);
            sink.field("type_description", Value::Hex(c.type_description));
            match c.elements() {
                Ok(e) => list(sink, "elements", e),
                Err(e) => {
                    sink.field("contents", Value::Hex(c.contents));
                    let t = e.to_string();
                    sink.field("error", Value::Str(&t));
                }
            }
            sink.end();
        }
        Data::Long64(v) => sink.field(name, Value::I64(*v)),
        Data::Long64Unsigned(v) => sink.field(name, Value::U64(*v)),
        Data::Float32(v) => sink.field(name, Value::F64(f32::from_bits(*v).into())),
        Data::Float64(v) => sink.field(name, Value::F64(f64::from_bits(*v))),
        Data::DateTime(b) => {
            let t = CosemDateTime::from_bytes(b);
            sink.field(name, Value::Display(&t));
        }
        Data::Date(b) => sink.field(name, Value::Hex(b)),
        Data::Time(b) => sink.field(name, Value::Hex(b)),
        Data::DontCare => sink.field(name, Value::Null),
    }
    sink.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::JsonSink;

    fn json(content: &[u8]) -> serde_json::Value {
        let mut j = JsonSink::default();
        j.start_record();
        payload(&mut j, "p", content, &[]).unwrap();
        j.finish_record();
        let v: serde_json::Value = serde_json::from_slice(&j.out).unwrap();
        assert_eq!(v["p"]["decoded_as"], "tree");
        v["p"].clone()
    }

    #[test]
    fn ecs52_command_and_response() {
        // GBCS digest 2.8 A: RTDS ECS52 read firmware version.
        let c = json(&hex::decode("D9200003E800010100010000000201FF020100").unwrap());
        assert_eq!(c["apdu"], "access_request");
        assert_eq!(c["invoke_id"], 1000);
        assert_eq!(c["invoke_id_and_priority"], "0x20");
        let r = &c["requests"][0];
        assert_eq!(
            (&r["kind"], &r["class_id"], &r["obis"], &r["attribute_id"]),
            (&"get".into(), &1.into(), &"0-0:0.2.1.255".into(), &2.into())
        );
        assert_eq!(c["data"], serde_json::json!([null]));
        let r = json(&hex::decode("DA200003E800000109040123ABCD010100").unwrap());
        assert_eq!(r["apdu"], "access_response");
        assert_eq!(r["data"], serde_json::json!([{"octet_string": "0123abcd"}]));
        assert_eq!(
            r["results"],
            serde_json::json!([{"kind": "get", "result": "success"}])
        );
    }

    #[test]
    fn alert_body_and_date_time() {
        // An RTDS 0x00CC future-dated alert: structure {alert code, time stamp, octet-string}.
        let n = json(&hex::decode("0F200007DE000203128F66090C07EE010FFF090000008000FF0913001900000000000003F0232800005E2C020006").unwrap());
        assert_eq!(n["apdu"], "data_notification");
        assert_eq!(n["invoke_id"], 2014);
        let s = &n["body"]["structure"];
        assert_eq!(s[0]["long_unsigned"], 0x8F66);
        assert_eq!(s[1]["octet_string"], "07ee010fff090000008000ff");
        assert_eq!(
            s[2]["octet_string"],
            "001900000000000003f0232800005e2c020006"
        );
    }

    #[test]
    fn plaintext_of_a_protected_read() {
        // GBCS digest 2.8 B: the ECS17b plaintext.
        let p =
            hex::decode("0201020406000000 0A02020F00161E060000000A02020F001620".replace(' ', ""))
                .unwrap();
        let mut j = JsonSink::default();
        j.start_record();
        plaintext(&mut j, "data", &p);
        j.finish_record();
        let v: serde_json::Value = serde_json::from_slice(&j.out).unwrap();
        let inner = &v["data"]["structure"][0]["structure"];
        assert_eq!(inner[0]["double_long_unsigned"], 10);
        assert_eq!(inner[1]["structure"][1]["enum"], 30);
        let mut j = JsonSink::default();
        assert!(payload(&mut j, "p", &[0x30, 0x00], &[]).is_err());
        assert!(j.out.is_empty());
    }
}
