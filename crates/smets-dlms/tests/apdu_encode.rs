//! Encoding the xDLMS APDUs GBCS carries: every DLMS payload of the RTDS
//! 4.5.0 vectors (`gbcs/rtds-4.5.0.jsonl`, `payload.family == "DLMS"`)
//! re-encodes to its bytes, and an encrypted-read command built from values
//! equals the RTDS bytes. The vectors are read from `$SMETS_VECTORS` or
//! `../../../shared/vectors`; required when `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::vectors_dir;

use serde_json::Value;
use smets_core::{Decode, Encode};
use smets_dlms::apdu::{
    AccessRequest, AccessRequestSpecification, AccessRequestSpecifications, MethodDescriptor,
    ObisCode, XdlmsApdu,
};
use smets_dlms::axdr::{Data, Elements};

/// `(id, payload bytes)` of every DLMS payload.
fn dlms_payloads() -> Option<Vec<(String, Vec<u8>)>> {
    let path = vectors_dir()?.join("gbcs/rtds-4.5.0.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|r| r["payload"]["family"] == "DLMS")
            .map(|r| {
                let id = r["id"].as_str().unwrap().to_owned();
                let bytes = hex::decode(r["payload"]["hex"].as_str().unwrap()).unwrap();
                (id, bytes)
            })
            .collect(),
    )
}

#[test]
fn every_dlms_payload_reencodes_to_its_bytes() {
    let Some(payloads) = dlms_payloads() else {
        return;
    };
    assert_eq!(payloads.len(), 568);
    for (id, payload) in &payloads {
        let apdu = XdlmsApdu::decode(payload).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(apdu.encoded_len(), payload.len(), "{id}");
        assert_eq!(&apdu.to_vec().unwrap(), payload, "{id}");
        assert_eq!(XdlmsApdu::decode(&apdu.to_vec().unwrap()).unwrap(), apdu);
        assert_eq!(
            apdu.invoke().invoke_id(),
            apdu.long_invoke_id_and_priority() & 0xFF_FFFF
        );
        assert!(apdu.invoke().break_on_error(), "{id}");
    }
}

/// ECS17b (read import registers, encrypted): one action on class 30
/// `get_protected_attributes` whose parameter asks for the import
/// register collection with protection type 2 (GBCS payload digest 2.7).
#[test]
fn encrypted_read_built_from_values_is_the_rtds_command() {
    let Some(payloads) = dlms_payloads() else {
        return;
    };
    let (_, want) = payloads
        .iter()
        .find(|(id, _)| id == "rtds-4.5.0/ECS17b_4.1.1_ERROR_COMMAND")
        .unwrap();
    let none = [Data::Enum(0), Data::NullData];
    let object = [
        Data::LongUnsigned(1),
        Data::OctetString(&[0, 0, 94, 44, 34, 10]),
        Data::Integer(2),
        Data::LongUnsigned(0),
        Data::Structure(Elements::from_items(&none)),
    ];
    let objects = [Data::Structure(Elements::from_items(&object))];
    let key_parameters = [Data::OctetString(&[2]), Data::OctetString(&[])];
    let key_info = [
        Data::Enum(2),
        Data::Structure(Elements::from_items(&key_parameters)),
    ];
    let options = [
        Data::OctetString(&[4, 0, 0, 0, 0, 0, 0, 0x03, 0xE9]),
        Data::OctetString(&[0x90, 0xB3, 0xD5, 0x1F, 0x30, 0x01, 0x00, 0x00]),
        Data::OctetString(&[0x00, 0xDB, 0x12, 0x34, 0x56, 0x78, 0x90, 0xA0]),
        Data::OctetString(&[]),
        Data::Structure(Elements::from_items(&key_info)),
    ];
    let protection = [
        Data::Enum(2),
        Data::Structure(Elements::from_items(&options)),
    ];
    let parameters = [Data::Structure(Elements::from_items(&protection))];
    let parameter = [
        Data::Array(Elements::from_items(&objects)),
        Data::Array(Elements::from_items(&parameters)),
    ];
    let data = [Data::Structure(Elements::from_items(&parameter))];
    let specs = [AccessRequestSpecification::Action(MethodDescriptor {
        class_id: 30,
        instance_id: "0-0:43.2.8.255".parse::<ObisCode>().unwrap(),
        method_id: 1,
    })];
    let request = AccessRequest {
        long_invoke_id_and_priority: 0x2000_03E9,
        date_time: None,
        specifications: AccessRequestSpecifications::from_items(&specs),
        data: Elements::from_items(&data),
    };
    assert_eq!(&request.to_vec().unwrap(), want);
    assert_eq!(
        XdlmsApdu::decode(want).unwrap(),
        XdlmsApdu::AccessRequest(request)
    );
}

/// The GBCS MAC header is a DLMS general-ciphering APDU with six empty
/// fields (GBCS envelope digest 2): every RTDS `DD` message decodes as one,
/// security header `11 00000000`, and re-encodes to its bytes.
#[test]
fn every_rtds_general_ciphering_message_is_framed() {
    use smets_dlms::apdu::Apdu;
    use smets_dlms::ciphering::{Ciphered, SecurityControl, TAG_LEN};

    let Some(dir) = vectors_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("gbcs/rtds-4.5.0.jsonl")).unwrap();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).unwrap();
        let id = r["id"].as_str().unwrap();
        let bytes = hex::decode(r["hex"].as_str().unwrap()).unwrap();
        if bytes[0] != 0xDD {
            continue;
        }
        n += 1;
        let Apdu::Ciphered(Ciphered::General(g)) =
            Apdu::decode(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"))
        else {
            panic!("{id}")
        };
        for field in [
            g.transaction_id,
            g.originator_system_title,
            g.recipient_system_title,
            g.date_time,
            g.other_information,
        ] {
            assert!(field.is_empty(), "{id}");
        }
        assert_eq!(g.key_info, None, "{id}");
        assert_eq!(g.content.security_control, SecurityControl(0x11), "{id}");
        assert!(!g.content.security_control.encrypted());
        assert_eq!(g.content.invocation_counter, 0, "{id}");
        // Authenticated only: the information is the general-signing APDU.
        assert_eq!(g.content.information()[0], 0xDF, "{id}");
        assert_eq!(g.content.tag().unwrap(), &bytes[bytes.len() - TAG_LEN..]);
        assert_eq!(
            Ciphered::General(g).to_vec().unwrap(),
            bytes,
            "{id}: re-encoding"
        );
        if n <= 20 {
            for cut in 0..bytes.len() {
                assert!(Apdu::decode(&bytes[..cut]).is_err(), "{id}: cut {cut}");
            }
        }
    }
    assert_eq!(n, 625);
}

/// Every DLMS payload decodes the same through the general [`Apdu`].
#[test]
fn every_dlms_payload_decodes_as_an_apdu() {
    use smets_dlms::apdu::Apdu;

    let Some(payloads) = dlms_payloads() else {
        return;
    };
    for (id, payload) in &payloads {
        let apdu = Apdu::decode(payload).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(
            apdu,
            Apdu::from(XdlmsApdu::decode(payload).unwrap()),
            "{id}"
        );
        assert_eq!(&apdu.to_vec().unwrap(), payload, "{id}");
        assert_eq!(apdu.tag(), payload[0]);
    }
}
