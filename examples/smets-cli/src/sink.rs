//! One description of a decoded record, two renderings: JSON and a text tree.
//!
//! The renderer walks a dissection once and calls a [`Sink`]; the JSON sink
//! writes objects straight into the output buffer (no intermediate tree), the
//! text sink writes an indented tree like `tshark -V`.

use core::fmt;
use std::io::Write as _;

use smets_core::Eui64;

/// A field value.
#[derive(Clone, Copy)]
pub enum Value<'a> {
    /// Text.
    Str(&'a str),
    /// An unsigned number.
    U64(u64),
    /// A 16-bit identifier: address, PAN id, cluster, profile ("0x1a2b").
    Id16(u16),
    /// An 8-bit identifier: a command id ("0x0a").
    Id8(u8),
    /// Yes or no.
    Bool(bool),
    /// An extended address ("00:0d:6f:00:0b:8b:1f:2e").
    Eui(Eui64),
    /// Bytes, as lower-case hex.
    Hex(&'a [u8]),
    /// A signed number.
    I64(i64),
    /// A real number (JSON null when not finite).
    F64(f64),
    /// Text formatted on the way out (a JSON string).
    Display(&'a dyn fmt::Display),
    /// Nothing (JSON null).
    Null,
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Str(s) => write!(f, "Str({s:?})"),
            Self::U64(n) => write!(f, "U64({n})"),
            Self::Id16(n) => write!(f, "Id16({n:#06x})"),
            Self::Id8(n) => write!(f, "Id8({n:#04x})"),
            Self::Bool(b) => write!(f, "Bool({b})"),
            Self::Eui(e) => write!(f, "Eui({e})"),
            Self::Hex(h) => write!(f, "Hex({} bytes)", h.len()),
            Self::I64(n) => write!(f, "I64({n})"),
            Self::F64(x) => write!(f, "F64({x})"),
            Self::Display(d) => write!(f, "Display({d})"),
            Self::Null => f.write_str("Null"),
        }
    }
}

/// Receives a record as nested objects of named fields.
pub trait Sink {
    /// Opens a nested object.
    fn begin(&mut self, name: &str);
    /// Closes the innermost object.
    fn end(&mut self);
    /// Opens a list of objects.
    fn begin_list(&mut self, name: &str);
    /// Closes a list.
    fn end_list(&mut self);
    /// Opens an unnamed object inside a list.
    fn begin_item(&mut self);
    /// A field.
    fn field(&mut self, name: &str, value: Value<'_>);
    /// A bare value inside a list.
    fn item(&mut self, value: Value<'_>);
    /// Opens an unnamed list inside a list.
    fn begin_item_list(&mut self);
    /// Whether this sink writes text for people (the renderer then writes
    /// one summary line where JSON gets structured fields).
    fn is_text(&self) -> bool {
        false
    }
}

/// Writes JSON objects into a byte buffer.
#[derive(Debug, Default)]
pub struct JsonSink {
    /// The output.
    pub out: Vec<u8>,
    need_comma: Vec<bool>,
}

impl JsonSink {
    fn sep(&mut self) {
        if let Some(c) = self.need_comma.last_mut() {
            if *c {
                self.out.push(b',');
            }
            *c = true;
        }
    }

    fn key(&mut self, name: &str) {
        self.sep();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Starts the top-level object of a record.
    pub fn start_record(&mut self) {
        self.out.push(b'{');
        self.need_comma.clear();
        self.need_comma.push(false);
    }

    /// Ends the top-level object of a record.
    pub fn finish_record(&mut self) {
        self.out.push(b'}');
        self.need_comma.clear();
    }

    fn string(&mut self, s: &str) {
        self.out.push(b'"');
        for c in s.chars() {
            match c {
                '"' => self.out.extend_from_slice(b"\\\""),
                '\\' => self.out.extend_from_slice(b"\\\\"),
                '\n' => self.out.extend_from_slice(b"\\n"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.out, "\\u{:04x}", c as u32);
                }
                c => {
                    let mut b = [0u8; 4];
                    self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                }
            }
        }
        self.out.push(b'"');
    }
}

fn hex_into(out: &mut Vec<u8>, bytes: &[u8]) {
    fn digit(n: u8) -> u8 {
        if n < 10 { b'0' + n } else { b'a' + (n - 10) }
    }
    for &b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
}

fn value_into(out: &mut Vec<u8>, value: Value<'_>, quote: bool) {
    let q = |out: &mut Vec<u8>| {
        if quote {
            out.push(b'"');
        }
    };
    match value {
        Value::Str(_) | Value::Null => {}
        Value::U64(n) => {
            let _ = write!(out, "{n}");
        }
        Value::I64(n) => {
            let _ = write!(out, "{n}");
        }
        Value::F64(x) => {
            if x.is_finite() {
                let _ = write!(out, "{x}");
            } else if quote {
                out.extend_from_slice(b"null");
            } else {
                let _ = write!(out, "{x}");
            }
        }
        Value::Display(d) => {
            let _ = write!(out, "{d}");
        }
        Value::Id16(n) => {
            q(out);
            let _ = write!(out, "0x{n:04x}");
            q(out);
        }
        Value::Id8(n) => {
            q(out);
            let _ = write!(out, "0x{n:02x}");
            q(out);
        }
        Value::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Value::Eui(e) => {
            q(out);
            let _ = write!(out, "{e}");
            q(out);
        }
        Value::Hex(h) => {
            q(out);
            hex_into(out, h);
            q(out);
        }
    }
}

impl Sink for JsonSink {
    fn begin(&mut self, name: &str) {
        self.key(name);
        self.out.push(b'{');
        self.need_comma.push(false);
    }

    fn end(&mut self) {
        self.out.push(b'}');
        self.need_comma.pop();
    }

    fn begin_list(&mut self, name: &str) {
        self.key(name);
        self.out.push(b'[');
        self.need_comma.push(false);
    }

    fn end_list(&mut self) {
        self.out.push(b']');
        self.need_comma.pop();
    }

    fn begin_item(&mut self) {
        self.sep();
        self.out.push(b'{');
        self.need_comma.push(false);
    }

    fn item(&mut self, value: Value<'_>) {
        self.sep();
        self.value(value);
    }

    fn begin_item_list(&mut self) {
        self.sep();
        self.out.push(b'[');
        self.need_comma.push(false);
    }

    fn field(&mut self, name: &str, value: Value<'_>) {
        self.key(name);
        self.value(value);
    }
}

impl JsonSink {
    fn value(&mut self, value: Value<'_>) {
        match value {
            Value::Str(s) => self.string(s),
            Value::Display(d) => {
                let s = d.to_string();
                self.string(&s);
            }
            Value::Null => self.out.extend_from_slice(b"null"),
            v => value_into(&mut self.out, v, true),
        }
    }
}

/// Writes an indented text tree.
#[derive(Debug, Default)]
pub struct TextSink {
    /// The output.
    pub out: Vec<u8>,
    depth: usize,
}

impl TextSink {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.extend_from_slice(b"    ");
        }
    }
}

/// The heading the text tree gives an object of the JSON schema.
fn heading(name: &str) -> &str {
    match name {
        "mac" => "IEEE 802.15.4 MAC",
        "beacon" => "Beacon",
        "zigbee" => "ZigBee Beacon Payload",
        "nwk" => "ZigBee Network Layer",
        "security" => "Auxiliary Security Header",
        "aps" => "ZigBee Application Support Layer",
        "aps_tunnelled" => "Tunnelled APS Frame",
        "zdp" => "ZigBee Device Profile",
        "zcl" => "ZigBee Cluster Library",
        "gbcs_tunnel" => "GB HAN Tunnel (GBCS)",
        "learned_key" => "Key Learned",
        other => other,
    }
}

impl Sink for TextSink {
    fn begin(&mut self, name: &str) {
        self.indent();
        self.out.extend_from_slice(heading(name).as_bytes());
        self.out.push(b'\n');
        self.depth += 1;
    }

    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn begin_list(&mut self, name: &str) {
        self.begin(name);
    }

    fn end_list(&mut self) {
        self.end();
    }

    fn begin_item(&mut self) {
        self.indent();
        self.out.extend_from_slice(b"-\n");
        // The item's fields sit under its dash; `end` closes it.
        self.depth += 1;
    }

    fn item(&mut self, value: Value<'_>) {
        self.indent();
        self.out.extend_from_slice(b"- ");
        self.value(value);
    }

    fn begin_item_list(&mut self) {
        self.begin_item();
    }

    fn field(&mut self, name: &str, value: Value<'_>) {
        if matches!(value, Value::Null) {
            return;
        }
        self.indent();
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b": ");
        self.value(value);
    }

    fn is_text(&self) -> bool {
        true
    }
}

impl TextSink {
    fn value(&mut self, value: Value<'_>) {
        match value {
            Value::Str(s) => self.out.extend_from_slice(s.as_bytes()),
            v => value_into(&mut self.out, v, false),
        }
        self.out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nests_and_escapes() {
        let mut j = JsonSink::default();
        j.start_record();
        j.field("frame", Value::U64(1));
        j.begin("mac");
        j.field("dst", Value::Id16(0x1a2b));
        j.field("src", Value::Eui(Eui64(0x000d_6f00_0b8b_1f2e)));
        j.end();
        j.begin_list("l");
        j.begin_item();
        j.field("x", Value::Hex(&[0xab, 0x01]));
        j.end();
        j.begin_item();
        j.field("y", Value::Str("a\"b\n"));
        j.end();
        j.end_list();
        j.field("error", Value::Null);
        j.finish_record();
        let v: serde_json::Value = serde_json::from_slice(&j.out).unwrap();
        assert_eq!(v["frame"], 1);
        assert_eq!(v["mac"]["dst"], "0x1a2b");
        assert_eq!(v["mac"]["src"], "00:0d:6f:00:0b:8b:1f:2e");
        assert_eq!(v["l"][0]["x"], "ab01");
        assert_eq!(v["l"][1]["y"], "a\"b\n");
        assert!(v["error"].is_null());
    }

    #[test]
    fn text_list_items_indent_under_their_dash() {
        let mut t = TextSink::default();
        t.begin("gbcs");
        t.begin_list("parts");
        for n in [1, 2] {
            t.begin_item();
            t.field("offset", Value::U64(n));
            t.end();
        }
        t.end_list();
        t.field("after", Value::Bool(true));
        t.end();
        t.field("error", Value::Str("none"));
        assert_eq!(
            String::from_utf8(t.out).unwrap(),
            "gbcs\n    parts\n        -\n            offset: 1\n        -\n            offset: 2\n    after: true\nerror: none\n"
        );
    }
}
