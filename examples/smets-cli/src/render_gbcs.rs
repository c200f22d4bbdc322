//! The `gbcs` block of a record: a GBCS message (GBCS 7.2.5, 7.2.7, 7.2.11)
//! decoded, its MAC and signature checked and its protected parts
//! decrypted with the keys file's GBCS keys, described to a [`Sink`].
//! The payload follows as hex and as the lossless tree of its family.

use core::fmt;

use smets_core::{DecodeError, Eui64};
use smets_gbcs::catalogue::{self, PayloadFamily};
use smets_gbcs::crypto::CryptoProvider;
use smets_gbcs::envelope::{
    DATE_TIME_LEN, GbcsMessage, GroupingHeader, Supplementary, payload_family,
};
use smets_gbcs::security::{Check, SecurityContext, Verification};
use smets_gbcs::{KeyStore, asn1, usecase};

use crate::filter::PayloadView;
use crate::sink::{Sink, Value};
use crate::{render_dlms, render_gbz, serde_sink};

/// An Entity Identifier as GBCS documents print it: 16 upper-case hex digits.
struct Entity(Eui64);

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016X}", self.0.0)
    }
}

/// A message code as the GBCS use-case table prints it: "0x00CC".
struct MessageCode(u16);

impl fmt::Display for MessageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:04X}", self.0)
    }
}

/// A DLMS date-time (IEC 62056-6-2 4.1.6.1) as ISO 8601, when year,
/// month, day, hour, minute and second are all specified and in range
/// (the day of week is ignored; hundredths are shown when specified and
/// not zero). The deviation is minutes of UTC ahead of local time in DLMS,
/// so -60 is "+01:00"; 0x8000 (not specified) shows no offset.
#[must_use]
pub fn iso_date_time(b: &[u8; DATE_TIME_LEN]) -> Option<String> {
    let [
        y0,
        y1,
        month,
        day,
        _weekday,
        hour,
        minute,
        second,
        hundredths,
        d0,
        d1,
        _status,
    ] = *b;
    let year = u16::from_be_bytes([y0, y1]);
    if year == 0xFFFF
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut s = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
    if hundredths != 0 && hundredths != 0xFF {
        if hundredths > 99 {
            return None;
        }
        s.push_str(&format!(".{hundredths:02}"));
    }
    let deviation = i16::from_be_bytes([d0, d1]);
    if deviation != i16::MIN {
        if !(-720..=780).contains(&deviation) {
            return None;
        }
        let offset = -i32::from(deviation);
        if offset == 0 {
            s.push('Z');
        } else {
            let sign = if offset < 0 { '-' } else { '+' };
            let m = offset.unsigned_abs();
            s.push_str(&format!("{sign}{:02}:{:02}", m / 60, m % 60));
        }
    }
    Some(s)
}

/// A field under its JSON name, or under a label for people in the text tree.
fn field(sink: &mut dyn Sink, json: &str, text: &str, value: Value<'_>) {
    let name = if sink.is_text() { text } else { json };
    sink.field(name, value);
}

fn check(sink: &mut dyn Sink, json: &str, text: &str, c: Check) {
    field(sink, json, text, Value::Str(c.label()));
}

fn form_of(m: &GbcsMessage<'_>) -> (&'static str, &'static str) {
    match m {
        GbcsMessage::MacHeader(_) => ("mac_header", "GBCS Message (MAC header)"),
        GbcsMessage::Signed(_) => ("signed", "GBCS Message (General-Signing)"),
        GbcsMessage::Block(_) => ("gbt_block", "GBCS Message (GBT block)"),
    }
}

/// The fields a grouping header and a GBT routing header share.
struct Header<'a> {
    cra: u8,
    cra_label: Option<&'static str>,
    counter: u64,
    originator: Eui64,
    recipient: Eui64,
    date_time: Option<&'a [u8; DATE_TIME_LEN]>,
    message_code: u16,
    supplementary: Supplementary<'a>,
}

impl<'a> Header<'a> {
    fn of(m: &'a GbcsMessage<'a>) -> Self {
        let from = |h: &'a GroupingHeader<'a>| Self {
            cra: h.transaction_id.cra_flag.value(),
            cra_label: h.transaction_id.cra_flag.label(),
            counter: h.transaction_id.originator_counter,
            originator: h.originator,
            recipient: h.recipient,
            date_time: h.date_time.as_ref(),
            message_code: h.other_information.message_code,
            supplementary: h.other_information.supplementary,
        };
        match m {
            GbcsMessage::MacHeader(x) => from(&x.signing.header),
            GbcsMessage::Signed(s) => from(&s.header),
            GbcsMessage::Block(b) => Self {
                cra: b.transaction_id.cra_flag.value(),
                cra_label: b.transaction_id.cra_flag.label(),
                counter: b.transaction_id.originator_counter,
                originator: b.originator,
                recipient: b.recipient,
                date_time: b.date_time.as_ref(),
                message_code: b.other_information.message_code,
                supplementary: b.other_information.supplementary,
            },
        }
    }
}

fn supplementary(sink: &mut dyn Sink, s: &Supplementary<'_>) {
    let (id, counter, originator_counter, certificate) = match *s {
        Supplementary::None => return,
        Supplementary::RemoteParty { id } => (id, None, None, None),
        Supplementary::RemotePartyCounter { id, counter } => (id, Some(counter), None, None),
        Supplementary::OriginatorCounter {
            id,
            counter,
            originator_counter,
        } => (id, Some(counter), Some(originator_counter), None),
        Supplementary::Certificate {
            id,
            counter,
            certificate,
        } => (id, Some(counter), None, Some(certificate)),
    };
    let text = sink.is_text();
    sink.begin(if text {
        "Supplementary"
    } else {
        "supplementary"
    });
    let e = Entity(id);
    field(sink, "remote_party", "Remote Party", Value::Display(&e));
    if let Some(c) = counter {
        field(
            sink,
            "remote_party_counter",
            "Remote Party Counter",
            Value::U64(c),
        );
    }
    if let Some(c) = originator_counter {
        field(
            sink,
            "originator_counter",
            "Originator Counter",
            Value::U64(c),
        );
    }
    if let Some(c) = certificate {
        field(
            sink,
            "certificate_len",
            "Certificate Length",
            Value::U64(c.len() as u64),
        );
    }
    sink.end();
}

fn decrypted(sink: &mut dyn Sink, v: &Verification) {
    if v.decrypted.is_empty() {
        return;
    }
    let text = sink.is_text();
    sink.begin_list(if text { "Decrypted Parts" } else { "decrypted" });
    for p in &v.decrypted {
        sink.begin_item();
        field(sink, "offset", "Offset", Value::U64(p.offset as u64));
        // Plaintext only from a part whose tag checked.
        if p.check == Check::Valid {
            field(sink, "plaintext", "Plaintext", Value::Hex(&p.plaintext));
        } else {
            check(sink, "check", "Check", p.check);
        }
        sink.end();
    }
    sink.end_list();
}

/// The payload decoded: typed values where the use case has them (unless
/// `view` asks for the tree), the lossless tree of its family otherwise,
/// with the plaintext of every protected part whose tag checked; or why it
/// does not decode.
fn payload(
    sink: &mut dyn Sink,
    header: &GroupingHeader<'_>,
    content: &[u8],
    v: &Verification,
    view: PayloadView,
) {
    let text = sink.is_text();
    let plaintexts: Vec<(usize, &[u8])> = v
        .decrypted
        .iter()
        .filter(|p| p.check == Check::Valid)
        .map(|p| (p.offset, p.plaintext.as_slice()))
        .collect();
    let code = header.other_information.message_code;
    let cra = header.transaction_id.cra_flag;
    let name = if text { "Payload" } else { "payload" };
    let typed = match view {
        PayloadView::Typed => usecase::decode(code, cra, content, &plaintexts),
        PayloadView::Tree => Ok(None),
    };
    if let Ok(Some(t)) = &typed {
        sink.begin(name);
        sink.field("decoded_as", Value::Str("typed"));
        serde_sink::field(sink, "typed", t);
        sink.end();
        return;
    }
    let result = match payload_family(content) {
        Some(PayloadFamily::Dlms) => render_dlms::payload(sink, name, content, &plaintexts),
        Some(PayloadFamily::Gbz) => render_gbz::payload(sink, name, cra, content, &plaintexts),
        Some(_) => asn1::walk(content).map(|tree| {
            sink.begin(name);
            sink.field("decoded_as", Value::Str("tree"));
            serde_sink::field(sink, "der", &tree);
            sink.end();
        }),
        None => Ok(()),
    };
    if let Err(e) = typed {
        let t = e.to_string();
        field(sink, "typed_error", "Typed Payload Error", Value::Str(&t));
    }
    if let Err(e) = result {
        let t = e.to_string();
        field(sink, "payload_error", "Payload Error", Value::Str(&t));
    }
}

/// Decodes `bytes` as a GBCS message, checks it with `ctx` and describes it
/// as the `gbcs` block.
///
/// # Errors
/// The decode error when `bytes` is not a GBCS message; nothing is written
/// then.
pub fn message<K: KeyStore, P: CryptoProvider>(
    sink: &mut dyn Sink,
    ctx: &mut SecurityContext<K, P>,
    bytes: &[u8],
    view: PayloadView,
) -> Result<(), DecodeError> {
    let (m, v) = ctx.verify(bytes, None)?;
    let text = sink.is_text();
    let (form, heading) = form_of(&m);
    sink.begin(if text { heading } else { "gbcs" });
    if !text {
        sink.field("form", Value::Str(form));
    }
    let h = Header::of(&m);
    match h.cra_label {
        Some(l) => field(sink, "cra", "CRA Flag", Value::Str(l)),
        None => field(sink, "cra", "CRA Flag", Value::U64(h.cra.into())),
    }
    field(sink, "counter", "Originator Counter", Value::U64(h.counter));
    let (o, r) = (Entity(h.originator), Entity(h.recipient));
    field(sink, "originator", "Originator", Value::Display(&o));
    field(sink, "recipient", "Recipient", Value::Display(&r));
    if let Some(dt) = h.date_time {
        match iso_date_time(dt) {
            Some(iso) => field(sink, "date_time", "Date-Time", Value::Str(&iso)),
            None => field(sink, "date_time", "Date-Time", Value::Hex(dt)),
        }
        if !text {
            sink.field("date_time_hex", Value::Hex(dt));
        }
    }
    let code = MessageCode(h.message_code);
    field(sink, "message_code", "Message Code", Value::Display(&code));
    if let Some(u) = catalogue::by_message_code(h.message_code) {
        field(sink, "use_case", "Use Case", Value::Str(u.use_case));
        field(sink, "use_case_name", "Use Case Name", Value::Str(u.name));
    }
    supplementary(sink, &h.supplementary);
    if let Some(s) = m.signing()
        && let Some(f) = payload_family(s.content)
    {
        field(
            sink,
            "payload_family",
            "Payload Family",
            Value::Str(f.label()),
        );
    }
    check(sink, "mac", "MAC", v.mac);
    check(sink, "signature", "Signature", v.signature);
    decrypted(sink, &v);
    if let Some(e) = &v.parts_error {
        let t = e.to_string();
        field(sink, "parts_error", "Protected Parts Error", Value::Str(&t));
    }
    if let Some(s) = m.signing() {
        field(sink, "payload_hex", "Payload", Value::Hex(s.content));
        payload(sink, &s.header, s.content, &v, view);
    }
    if let GbcsMessage::Block(b) = &m {
        sink.begin(if text { "GBT Block" } else { "block" });
        field(sink, "number", "Number", Value::U64(b.block_number.into()));
        field(sink, "last", "Last", Value::Bool(b.is_last()));
        field(
            sink,
            "ack",
            "Acknowledged",
            Value::U64(b.block_number_ack.into()),
        );
        field(
            sink,
            "data_len",
            "Data Length",
            Value::U64(b.data.len() as u64),
        );
        field(sink, "data_hex", "Data", Value::Hex(b.data));
        sink.end();
    }
    sink.end();
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    use smets_core::Encode as _;
    use smets_gbcs::envelope::{
        CraFlag, GbtBlock, LengthForm, OtherInformation, SecurityHeader, TransactionId,
    };
    use smets_gbcs::keys::MemoryKeyStore;
    use smets_gbcs::security::{CounterCheck, DecryptedPart};

    use crate::sink::JsonSink;

    fn json(f: impl FnOnce(&mut JsonSink)) -> serde_json::Value {
        let mut j = JsonSink::default();
        j.start_record();
        f(&mut j);
        j.finish_record();
        serde_json::from_slice(&j.out).unwrap()
    }

    #[test]
    fn decrypted_parts_show_plaintext_only_when_their_tag_checked() {
        let part = |offset, check, plaintext: &[u8]| DecryptedPart {
            offset,
            ciphered_len: 5 + plaintext.len() + 12,
            check,
            plaintext: plaintext.to_vec(),
        };
        let v = Verification {
            mac: Check::Valid,
            signature: Check::Absent,
            counter: CounterCheck::NotChecked,
            decrypted: vec![
                part(15, Check::Valid, &[0x02, 0x03]),
                part(60, Check::Invalid, &[]),
                part(90, Check::NoKey, &[]),
            ],
            parts_error: None,
        };
        let j = json(|j| decrypted(j, &v));
        assert_eq!(
            j["decrypted"],
            serde_json::json!([
                {"offset": 15, "plaintext": "0203"},
                {"offset": 60, "check": "invalid"},
                {"offset": 90, "check": "no_key"},
            ])
        );
        let empty = Verification {
            decrypted: Vec::new(),
            ..v
        };
        assert!(json(|j| decrypted(j, &empty)).get("decrypted").is_none());
    }

    #[test]
    fn a_gbt_block_shows_its_routing_header_and_block() {
        let data = [0xDD, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x90];
        let m = GbcsMessage::Block(GbtBlock {
            transaction_id: TransactionId {
                cra_flag: CraFlag::Response,
                originator_counter: 0x0000_0001_0000_2026,
            },
            originator: Eui64(0x0253_4D45_5453_0002),
            recipient: Eui64(0x0253_4D45_5453_0100),
            date_time: None,
            other_information: OtherInformation {
                length_form: LengthForm::minimal(2),
                message_code: 0x0027,
                supplementary: Supplementary::None,
            },
            key_info: &[],
            ciphered_length_form: LengthForm::minimal(30),
            security: SecurityHeader {
                security_control: 0,
                invocation_counter: 0,
            },
            block_control: 0x80,
            block_number: 6,
            block_number_ack: 0,
            data_length_form: LengthForm::minimal(data.len()),
            data: &data,
        });
        let mut bytes = Vec::new();
        m.encode(&mut bytes).unwrap();
        let store = MemoryKeyStore::new();
        let mut ctx = SecurityContext::new(&store);
        let j = json(|j| message(j, &mut ctx, &bytes, PayloadView::Typed).unwrap());
        let g = &j["gbcs"];
        assert_eq!(g["form"], "gbt_block");
        assert_eq!(g["cra"], "response");
        assert_eq!(g["counter"], 0x0000_0001_0000_2026_u64);
        assert_eq!(g["originator"], "02534D4554530002");
        assert_eq!(g["recipient"], "02534D4554530100");
        assert_eq!(g["message_code"], "0x0027");
        assert_eq!(g["use_case"], "ECS17b");
        assert_eq!(
            (&g["mac"], &g["signature"]),
            (&"absent".into(), &"absent".into())
        );
        assert!(g.get("payload_hex").is_none() && g.get("payload_family").is_none());
        assert_eq!(
            g["block"],
            serde_json::json!({"number": 6, "last": true, "ack": 0, "data_len": 9, "data_hex": "dd0000000000008190"})
        );
        // Cut anywhere, it is an error and writes nothing.
        for n in 0..bytes.len() {
            let j =
                json(|j| assert!(message(j, &mut ctx, &bytes[..n], PayloadView::Typed).is_err()));
            assert_eq!(j, serde_json::json!({}));
        }
    }

    #[test]
    fn date_time_is_iso_when_fully_specified() {
        let dt = |h: &str| -> [u8; 12] { hex::decode(h).unwrap().try_into().unwrap() };
        assert_eq!(
            iso_date_time(&dt("07df0101ff000000008000ff")).as_deref(),
            Some("2015-01-01T00:00:00")
        );
        assert_eq!(
            iso_date_time(&dt("07e30615060c1e0532000000")).as_deref(),
            Some("2019-06-21T12:30:05.50Z")
        );
        // 60 minutes of UTC ahead of local time: local is UTC-01:00.
        assert_eq!(
            iso_date_time(&dt("07e30615ff0c1e05ff003c00")).as_deref(),
            Some("2019-06-21T12:30:05-01:00")
        );
        assert_eq!(
            iso_date_time(&dt("07e30615ff0c1e05ffffc400")).as_deref(),
            Some("2019-06-21T12:30:05+01:00")
        );
        // Unspecified year, daylight-saving month, hour 24: no ISO form.
        assert_eq!(iso_date_time(&dt("ffff0101ff000000008000ff")), None);
        assert_eq!(iso_date_time(&dt("07dffd01ff000000008000ff")), None);
        assert_eq!(iso_date_time(&dt("07df0101ff180000008000ff")), None);
    }
}
