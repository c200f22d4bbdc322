//! The lossless tree of a GBZ payload (GBCS 7.2.3): the header, the alert
//! header, each component's extended header and ZCL frame (decoded with the
//! same vocabulary as ZCL on the HAN), encrypted components with their
//! plaintext when it was decrypted, and alert-specific content. No use-case
//! meaning: that is the typed layer's.

use smets_core::DecodeError;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::gbz::{ComponentBody, GbzBody, GbzComponent, GbzPayload};

use crate::render_zcl::{self, Frame};
use crate::sink::{Sink, Value};

/// Describes a GBZ payload as the object `name`; `plaintexts` are the
/// decrypted components' ZCL payloads by the offset of their security
/// control byte in the payload.
///
/// # Errors
/// Why `content` is not a GBZ payload; nothing is written then.
pub fn payload(
    sink: &mut dyn Sink,
    name: &str,
    cra: CraFlag,
    content: &[u8],
    plaintexts: &[(usize, &[u8])],
) -> Result<(), DecodeError> {
    let p = GbzPayload::decode_as(content, cra)?;
    sink.begin(name);
    sink.field("decoded_as", Value::Str("tree"));
    sink.field(
        "profile_id",
        Value::Id16(smets_gbcs::protected::GBZ_PROFILE_ID),
    );
    sink.field(
        "component_count",
        Value::U64(p.header.component_count.into()),
    );
    if let Some(a) = p.header.alert {
        sink.begin("alert");
        sink.field("code", Value::Id16(a.code.value()));
        if let Some(l) = a.code.label() {
            sink.field("name", Value::Str(l));
        }
        sink.field("time", Value::Display(&a.time));
        sink.end();
    }
    match p.body {
        GbzBody::Components(_) => {
            sink.begin_list("components");
            for (at, c) in p.components_with_offsets() {
                sink.begin_item();
                component(sink, at, &c, plaintexts);
                sink.end();
            }
            sink.end_list();
        }
        GbzBody::FutureDated(f) => {
            sink.begin("future_dated");
            let code = format!("0x{:04X}", f.message_code);
            sink.field("message_code", Value::Str(&code));
            sink.field("originator_counter", Value::U64(f.originator_counter));
            sink.field("cluster", Value::Id16(f.cluster_id));
            let fc = f.frame_control.to_byte().unwrap_or_default();
            sink.field("frame_control", Value::Id8(fc));
            sink.field("command", Value::Id8(f.command_id));
            sink.end();
        }
        GbzBody::ImageHash(h) => sink.field("image_hash", Value::Hex(h)),
        GbzBody::IntegrityWarning(r) => {
            sink.field("integrity_reason", Value::U64(r.into()));
        }
        GbzBody::UserInterfaceCommand(c) => {
            sink.field("user_interface_command", Value::Id16(c));
        }
    }
    sink.end();
    Ok(())
}

fn component(sink: &mut dyn Sink, at: usize, c: &GbzComponent<'_>, plaintexts: &[(usize, &[u8])]) {
    sink.field("offset", Value::U64(at as u64));
    sink.field("last", Value::Bool(c.control.last));
    sink.field("encrypted", Value::Bool(c.control.encrypted));
    sink.field("cluster", Value::Id16(c.cluster_id));
    if let Some(t) = c.from_date_time {
        if t.0 == u32::MAX {
            sink.field("from_date_time", Value::Str("none"));
        } else {
            sink.field("from_date_time", Value::Display(&t));
        }
    }
    match &c.body {
        ComponentBody::Plain(frame) => {
            let command = c.zcl_command().ok().flatten();
            render_zcl::frame(
                sink,
                "zcl",
                &Frame {
                    cluster_id: Some(c.cluster_id),
                    public: true,
                    header: frame,
                    command: command.as_ref(),
                    formatting: None,
                },
            );
        }
        ComponentBody::Encrypted(e) => {
            sink.begin("additional_header");
            sink.field("control", Value::Id8(e.additional_header.control));
            sink.field(
                "frame_counter",
                Value::U64(e.additional_header.frame_counter.into()),
            );
            sink.end();
            sink.field(
                "ciphered_length",
                Value::U64((e.ciphered.ciphertext.len() + 5 + 12) as u64),
            );
            let part = c.ciphered_offset().map(|o| at + o);
            let plain = part.and_then(|o| plaintexts.iter().find(|(p, _)| *p == o));
            match plain {
                Some((_, text)) => {
                    let frame = c.decrypted_frame(text);
                    let command = c.decrypted_command(text).ok().flatten();
                    render_zcl::frame(
                        sink,
                        "zcl",
                        &Frame {
                            cluster_id: Some(c.cluster_id),
                            public: true,
                            header: &frame,
                            command: command.as_ref(),
                            formatting: None,
                        },
                    );
                }
                None => {
                    // The ZCL header is in clear; the payload is not.
                    let h = c.zcl_header();
                    let frame = h.frame(&[]);
                    sink.field("encrypted_payload", Value::Bool(true));
                    render_zcl::frame(
                        sink,
                        "zcl",
                        &Frame {
                            cluster_id: Some(c.cluster_id),
                            public: true,
                            header: &frame,
                            command: None,
                            formatting: None,
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::JsonSink;

    fn json(cra: CraFlag, content: &[u8], plaintexts: &[(usize, &[u8])]) -> serde_json::Value {
        let mut j = JsonSink::default();
        j.start_record();
        payload(&mut j, "p", cra, content, plaintexts).unwrap();
        j.finish_record();
        let v: serde_json::Value = serde_json::from_slice(&j.out).unwrap();
        v["p"].clone()
    }

    #[test]
    fn gcs13a_command_and_response() {
        // GBCS digest 3.5: read the gas consumption register.
        let c = json(
            CraFlag::Command,
            &hex::decode("010901010702000B0000000203010300030000").unwrap(),
            &[],
        );
        assert_eq!(c["decoded_as"], "tree");
        assert_eq!(c["profile_id"], "0x0109");
        let comp = &c["components"][0];
        assert_eq!(comp["cluster"], "0x0702");
        assert_eq!(comp["last"], true);
        assert_eq!(comp["zcl"]["command_name"], "read_attributes");
        // The response: one encrypted component, its plaintext given.
        let mut rsp = hex::decode("01090103070200350000180001002E3100000000").unwrap();
        rsp.extend_from_slice(&[0; 29 + 12]);
        let plain = hex::decode(concat!(
            "02030022E80300",
            "01030022010000",
            "0003003001",
            "00000025393000000000"
        ))
        .unwrap();
        let r = json(CraFlag::Response, &rsp, &[(15, &plain)]);
        let comp = &r["components"][0];
        assert_eq!(comp["encrypted"], true);
        assert_eq!(comp["ciphered_length"], 46);
        assert_eq!(comp["zcl"]["command_name"], "read_attributes_response");
        let attrs = comp["zcl"]["attributes"].as_array().unwrap();
        assert_eq!(attrs.len(), 4);
        let none = json(CraFlag::Response, &rsp, &[]);
        assert_eq!(none["components"][0]["encrypted_payload"], true);
    }

    #[test]
    fn generic_alert_has_its_header_and_no_component() {
        let a = json(
            CraFlag::Alert,
            &hex::decode("010900 8F30 1C374A80".replace(' ', "")).unwrap(),
            &[],
        );
        assert_eq!(a["alert"]["code"], "0x8f30");
        assert_eq!(a["alert"]["time"], "2015-01-01T00:00:00Z");
        assert_eq!(a["components"], serde_json::json!([]));
        let mut j = JsonSink::default();
        assert!(payload(&mut j, "p", CraFlag::Alert, &[0x01, 0x09], &[]).is_err());
        assert!(j.out.is_empty());
    }
}
