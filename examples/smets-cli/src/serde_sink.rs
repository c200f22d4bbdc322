//! Typed values (anything `serde::Serialize`) described to a [`Sink`], so
//! the typed payloads of smets-gbcs reach the JSON and the text tree through
//! the same renderer as every other layer.
//!
//! Structs and maps become objects, sequences lists, unit enum variants
//! their names, other variants `{variant: value}`, `None` null, bytes hex.

use core::fmt;

use serde::ser::{self, Serialize};

use crate::sink::{Sink, Value};

/// Describes `value` under `name` (an object field).
pub fn field<T: Serialize + ?Sized>(sink: &mut dyn Sink, name: &str, value: &T) {
    // The serializer never fails; a custom Serialize that reports an error
    // leaves what it wrote so far.
    let _ = value.serialize(At {
        sink,
        slot: Slot::Field(name),
    });
}

/// Where a value goes: a named field of an object, or an item of a list.
#[derive(Clone, Copy)]
enum Slot<'n> {
    Field(&'n str),
    Item,
}

struct At<'s, 'n> {
    sink: &'s mut dyn Sink,
    slot: Slot<'n>,
}

/// The adapter's error: only a `Serialize` impl's own `custom` error.
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl At<'_, '_> {
    fn put(self, value: Value<'_>) -> Result<(), Error> {
        match self.slot {
            Slot::Field(name) => self.sink.field(name, value),
            Slot::Item => self.sink.item(value),
        }
        Ok(())
    }

    fn open_object(&mut self) {
        match self.slot {
            Slot::Field(name) => self.sink.begin(name),
            Slot::Item => self.sink.begin_item(),
        }
    }

    fn open_list(&mut self) {
        match self.slot {
            Slot::Field(name) => self.sink.begin_list(name),
            Slot::Item => self.sink.begin_item_list(),
        }
    }
}

/// An open object: its fields, then `end`.
struct Object<'s> {
    sink: &'s mut dyn Sink,
    /// Objects opened for an enum variant around this one.
    extra: usize,
    key: Option<String>,
}

/// An open list: its items, then `end_list`.
struct List<'s> {
    sink: &'s mut dyn Sink,
    extra: usize,
}

impl<'s> ser::Serializer for At<'s, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = List<'s>;
    type SerializeTuple = List<'s>;
    type SerializeTupleStruct = List<'s>;
    type SerializeTupleVariant = List<'s>;
    type SerializeMap = Object<'s>;
    type SerializeStruct = Object<'s>;
    type SerializeStructVariant = Object<'s>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.put(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.put(Value::I64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.put(Value::I64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.put(Value::I64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.put(Value::I64(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        match i64::try_from(v) {
            Ok(v) => self.put(Value::I64(v)),
            Err(_) => self.put(Value::Display(&v)),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.put(Value::U64(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.put(Value::U64(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.put(Value::U64(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.put(Value::U64(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        match u64::try_from(v) {
            Ok(v) => self.put(Value::U64(v)),
            Err(_) => self.put(Value::Display(&v)),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.put(Value::F64(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.put(Value::F64(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        let mut b = [0u8; 4];
        self.put(Value::Str(v.encode_utf8(&mut b)))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.put(Value::Str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.put(Value::Hex(v))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.put(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.put(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.put(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.put(Value::Str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_object();
        value.serialize(At {
            sink: &mut *self.sink,
            slot: Slot::Field(variant),
        })?;
        self.sink.end();
        Ok(())
    }
    fn serialize_seq(mut self, _len: Option<usize>) -> Result<List<'s>, Error> {
        self.open_list();
        Ok(List {
            sink: self.sink,
            extra: 0,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<List<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<List<'s>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<List<'s>, Error> {
        self.open_object();
        self.sink.begin_list(variant);
        Ok(List {
            sink: self.sink,
            extra: 1,
        })
    }
    fn serialize_map(mut self, _len: Option<usize>) -> Result<Object<'s>, Error> {
        self.open_object();
        Ok(Object {
            sink: self.sink,
            extra: 0,
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Object<'s>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'s>, Error> {
        self.open_object();
        self.sink.begin(variant);
        Ok(Object {
            sink: self.sink,
            extra: 1,
            key: None,
        })
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        let s = value.to_string();
        self.put(Value::Str(&s))
    }
}

impl List<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(At {
            sink: &mut *self.sink,
            slot: Slot::Item,
        })
    }

    fn close(self) {
        self.sink.end_list();
        for _ in 0..self.extra {
            self.sink.end();
        }
    }
}

impl ser::SerializeSeq for List<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for List<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for List<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for List<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl Object<'_> {
    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        value.serialize(At {
            sink: &mut *self.sink,
            slot: Slot::Field(key),
        })
    }

    fn close(self) {
        self.sink.end();
        for _ in 0..self.extra {
            self.sink.end();
        }
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.member(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.member(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().unwrap_or_default();
        self.member(&key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.close();
        Ok(())
    }
}

/// A map key as text: strings, numbers, unit variants and anything that
/// displays.
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<String, Error> {
        Ok(v.iter().map(|b| format!("{b:02x}")).collect())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Ok(String::new())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Ok(String::new())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Error> {
        Ok(name.to_owned())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(ser::Error::custom("a map key must be text"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;
    use crate::sink::{JsonSink, TextSink};

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Unit {
        KilowattHour,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Outcome {
        Read { value: i64, unit: Unit },
        Failed(u8),
        Pair(u8, u8),
    }

    #[derive(Serialize)]
    struct Reading<'a> {
        register: Outcome,
        failed: Outcome,
        pair: Outcome,
        profile: Vec<(u32, u32)>,
        #[serde(with = "serde_bytes_hex")]
        hash: &'a [u8],
        tags: BTreeMap<u16, &'a str>,
        missing: Option<u8>,
        ratio: f64,
    }

    mod serde_bytes_hex {
        pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b)
        }
    }

    fn sample() -> Reading<'static> {
        Reading {
            register: Outcome::Read {
                value: -12,
                unit: Unit::KilowattHour,
            },
            failed: Outcome::Failed(3),
            pair: Outcome::Pair(1, 2),
            profile: vec![(473_299_200, 95), (473_301_000, 243)],
            hash: &[0xAA, 0x75],
            tags: BTreeMap::from([(1, "one")]),
            missing: None,
            ratio: 0.5,
        }
    }

    #[test]
    fn json_equals_serde_json_except_bytes_as_hex() {
        let mut j = JsonSink::default();
        j.start_record();
        field(&mut j, "payload", &sample());
        j.finish_record();
        let ours: serde_json::Value = serde_json::from_slice(&j.out).unwrap();
        let mut theirs = serde_json::to_value(sample()).unwrap();
        theirs["hash"] = serde_json::Value::from("aa75");
        assert_eq!(ours["payload"], theirs);
    }

    #[test]
    fn text_tree_names_every_member() {
        let mut t = TextSink::default();
        field(&mut t, "payload", &sample());
        let text = String::from_utf8(t.out).unwrap();
        for needle in [
            "payload\n",
            "    register\n        read\n            value: -12\n            unit: kilowatt_hour\n",
            "    failed\n        failed: 3\n",
            "    profile\n        -\n            - 473299200\n            - 95\n",
            "    hash: aa75\n",
            "    tags\n        1: one\n",
            "    ratio: 0.5\n",
        ] {
            assert!(text.contains(needle), "{needle:?} not in\n{text}");
        }
        assert!(!text.contains("missing"));
    }
}
