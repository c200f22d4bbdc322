#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use super::credentials::*;
use super::firmware::*;
use super::gpf::*;
use super::join::*;
use super::*;
use crate::envelope::CraFlag;
use alloc::string::ToString;
use alloc::vec;
use alloc::vec::Vec;
use proptest::prelude::*;
use smets_core::{Decode, Encode, EncodeErrorKind};

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

const HASH: &str = "AA758690730934FF0685AA758690730934FF0685657788990011223344556677";

/// CS06 immediate activation command (RTDS CS06 11.3, counter 1000).
fn cs06_command() -> Vec<u8> {
    h(&alloc::format!("30260420{HASH}020203E8"))
}

/// CS06 future-dated command: the same with `18 0F "20300115090000Z"`.
fn cs06_future() -> Vec<u8> {
    h(&alloc::format!(
        "30370420{HASH}020203E9180F32303330303131353039303030305A"
    ))
}

const CS06_RESPONSE: &str = "300902010004040123ABCE";
/// RTDS CS06 11.3 8F66 future-dated success alert (0x00CA).
const CS06_ALERT: &str =
    "30250203008F66180F32303330303131353039303030305A020203E9300902010004040123ABCF";
/// RTDS CS03A2 critical success command.
const CS03: &str = "3010020101040800DB123456789093020101";
/// RTDS GCS28 6.11 error command and success response.
const GCS28_COMMAND: &str =
    "3022180F32303135303130313031303030305A180F32303135303130313032303030305A";
const GCS28_RESPONSE: &str = "3014180F32303134313233313233333030305A020100";
/// RTDS CS02a MAC 6.24.1 success response: supplier and network operator.
const CS02A_RESPONSE: &str = "3082009F305C0201020A01000201003051301803020780040890B3D51F30010000040844899792D196F4B8301803020308040890B3D51F300100000408405B8C62687D8F70301B03020308020101040890B3D51F30010000040841FB49221588C570303F0201030A01000201013034301803020780040890B3D51F30020000040848CF97FA9F827FB5301803020308040890B3D51F3002000004084BC9D38D1CB49F2A";
/// RTDS CS02b supplier-by-supplier immediate error response.
const CS02B_RESPONSE: &str = "308200CA0500308200C4020203EB0201023012301002010202010030083006020100020100308200A530343007020102030207800A0100040890B3D51F30010000040844899792D196F4B8040890B3D51F30010000040843046B4FB7C4F11B30343007020102030203080A010A040890B3D51F300100000408405B8C62687D8F70040890B3D51F300100000408405B8C62687D8F703037300A020102030203080201010A0100040890B3D51F30010000040841FB49221588C570040890B3D51F3001000004084EB07A1BCA0DD58C";
/// RTDS GCS62 8071 alert.
const GCS62_ALERT: &str = "30720203008071180F32303135303130313030303030305A305A300D04080102030405060708020106300D040800DB123456789099020105300D040800DB123456789097020105300D040800DB123456789096020105300D040800DB123456789098020105300D040800DB12345678909B020106";

fn utc(y: u16, mo: u8, d: u8, hh: u8, mi: u8, s: u8) -> GeneralizedTime {
    GeneralizedTime::At(
        Utc2000::from_civil(Civil {
            year: y,
            month: mo,
            day: d,
            hour: hh,
            minute: mi,
            second: s,
        })
        .unwrap(),
    )
}

/// Decodes through the dispatch, checks the byte-exact re-encoding and
/// that every cut fails without panicking.
fn dispatch(code: u16, cra: CraFlag, bytes: &[u8]) -> DerPayload<'_> {
    let p = decode(code, cra, bytes).unwrap();
    assert_eq!(p.encoded_len(), bytes.len());
    assert_eq!(p.to_vec().unwrap(), bytes);
    assert_eq!(walk(bytes).unwrap().to_vec().unwrap(), bytes);
    for cut in 0..bytes.len() {
        let e = decode(code, cra, &bytes[..cut]).unwrap_err();
        assert_eq!(e.layer, Layer::Gbcs);
        assert!(e.offset <= cut, "cut {cut}: {e}");
    }
    p
}

#[test]
fn cs06_command_hash_and_counter() {
    let b = cs06_command();
    let DerPayload::ActivateFirmwareCommand(c) = dispatch(0x0012, CraFlag::Command, &b) else {
        panic!("type")
    };
    assert_eq!(c.image_hash, &h(HASH)[..]);
    assert_eq!(c.originator_counter, 1000);
    assert_eq!(c.execution_date_time, None);
}

#[test]
fn cs06_future_dated_and_cancelled() {
    let b = cs06_future();
    let c = ActivateFirmwareCommand::decode(&b).unwrap();
    assert_eq!(c.originator_counter, 1001);
    let t = c.execution_date_time.unwrap();
    assert_eq!(t, utc(2030, 1, 15, 9, 0, 0));
    assert_eq!(t.to_string(), "2030-01-15T09:00:00Z");
    let mut cancel = b.clone();
    cancel[42..56].copy_from_slice(b"99991231235959");
    let c = ActivateFirmwareCommand::decode(&cancel).unwrap();
    assert_eq!(c.execution_date_time, Some(GeneralizedTime::Cancel));
    assert_eq!(c.to_vec().unwrap(), cancel);
    assert_eq!(GeneralizedTime::Cancel.to_string(), "9999-12-31T23:59:59Z");
}

#[test]
fn cs06_responses_and_alert() {
    let b = h(CS06_RESPONSE);
    let DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Outcome(o)) =
        dispatch(0x0012, CraFlag::Response, &b)
    else {
        panic!("type")
    };
    assert_eq!(o.response_code, ActivateFirmwareCode::Success);
    assert_eq!(o.firmware_version, &[0x01, 0x23, 0xAB, 0xCE]);
    assert_eq!(
        dispatch(0x0012, CraFlag::Response, &[0x05, 0x00]),
        DerPayload::ActivateFirmwareResponse(ActivateFirmwareResponse::Accepted)
    );
    let b = h(CS06_ALERT);
    let DerPayload::ActivateFirmwareAlert(a) = dispatch(0x00CA, CraFlag::Alert, &b) else {
        panic!("type")
    };
    assert_eq!(a.alert_code, 0x8F66);
    assert_eq!(a.execution_date_time, utc(2030, 1, 15, 9, 0, 0));
    assert_eq!(a.originator_counter, 1001);
    assert_eq!(a.outcome.firmware_version, &[0x01, 0x23, 0xAB, 0xCF]);
}

#[test]
fn cs03_join_command() {
    let b = h(CS03);
    let DerPayload::JoinCommand(j) = dispatch(0x00AB, CraFlag::Command, &b) else {
        panic!("type")
    };
    assert_eq!(j.join_method_and_role, JoinMethodAndRole::MethodAResponder);
    assert_eq!(j.entity_id, Eui64(0x00DB_1234_5678_9093));
    assert_eq!(j.device_type, DeviceType::Esme);
    assert_eq!(j.certificate, None);
    assert_eq!(
        dispatch(0x00AB, CraFlag::Response, &[0x02, 0x01, 0x03]),
        DerPayload::JoinResponse(JoinResponseCode::IncompatibleWithExistingEntry)
    );
    assert_eq!(
        dispatch(0x000F, CraFlag::Command, &h("04080102030405060708")),
        DerPayload::UnjoinCommand(UnjoinCommand {
            entity_id: Eui64(0x0102_0304_0506_0708)
        })
    );
    assert_eq!(
        dispatch(0x0013, CraFlag::Command, &[0x05, 0x00]),
        DerPayload::ReadJoinDetailsCommand(NullCommand)
    );
    // An entity id of 7 octets is refused at its tag.
    let e = decode(0x000F, CraFlag::Command, &h("040701020304050607")).unwrap_err();
    assert_eq!(e.offset, 0);
}

#[test]
fn gcs28_set_clock() {
    let b = h(GCS28_COMMAND);
    let DerPayload::SetClockCommand(c) = dispatch(0x007F, CraFlag::Command, &b) else {
        panic!("type")
    };
    assert_eq!(c.validity_start, utc(2015, 1, 1, 1, 0, 0));
    assert_eq!(c.validity_end, utc(2015, 1, 1, 2, 0, 0));
    let b = h(GCS28_RESPONSE);
    let DerPayload::SetClockResponse(r) = dispatch(0x007F, CraFlag::Response, &b) else {
        panic!("type")
    };
    assert_eq!(r.device_time, utc(2014, 12, 31, 23, 30, 0));
    assert_eq!(r.status, DeviceTimeStatus::Reliable);
    assert_eq!(r.status.label(), Some("reliable"));
}

#[test]
fn gcs62_backup_alert() {
    let b = h(GCS62_ALERT);
    let DerPayload::DeviceLogBackupAlert(a) = dispatch(0x00B2, CraFlag::Alert, &b) else {
        panic!("type")
    };
    assert_eq!(a.alert_code, 0x8071);
    let e: Vec<_> = a.entries.iter().collect();
    assert_eq!(e.len(), 6);
    assert_eq!(e[0].device_id, Eui64(0x0102_0304_0506_0708));
    assert_eq!(e[0].device_type, DeviceType::Type2);
    assert_eq!(e[1].device_type, DeviceType::Ppmid);
}

#[test]
fn cs02a_response_parties_and_cells() {
    let b = h(CS02A_RESPONSE);
    let DerPayload::ProvideCredentialDetailsResponse(r) = dispatch(0x0008, CraFlag::Response, &b)
    else {
        panic!("type")
    };
    let parties: Vec<_> = r.parties.iter().collect();
    assert_eq!(parties.len(), 2);
    assert_eq!(parties[0].role, RemotePartyRole::Supplier);
    assert_eq!(parties[0].status, StatusCode::Success);
    let c = parties[0].credentials.unwrap();
    assert_eq!(c.current_seq_number, 0);
    let cells: Vec<_> = c.cells.iter().collect();
    assert_eq!(cells.len(), 3);
    assert_eq!(cells[0].key_usage, KeyUsageBits::DIGITAL_SIGNATURE);
    assert_eq!(cells[1].key_usage, KeyUsageBits::KEY_AGREEMENT);
    assert_eq!(cells[2].cell_usage, Some(CellUsage::PrepaymentTopUp));
    assert_eq!(cells[0].subject_unique_id, &h("90B3D51F30010000")[..]);
    assert_eq!(cells[0].subject_key_id, &h("44899792D196F4B8")[..]);
    assert_eq!(parties[1].role, RemotePartyRole::NetworkOperator);
    assert_eq!(parties[1].credentials.unwrap().current_seq_number, 1);
    assert_eq!(
        parties[0].role.role(),
        Some(crate::RemotePartyRole::Supplier)
    );
}

#[test]
fn cs02b_response_outcome() {
    let b = h(CS02B_RESPONSE);
    let DerPayload::UpdateSecurityCredentialsResponse(r) = dispatch(0x0102, CraFlag::Response, &b)
    else {
        panic!("type")
    };
    let o = r.outcome.unwrap();
    assert_eq!(o.authorising_seq_number, 1003);
    assert_eq!(o.mode, CredentialsReplacementMode::SupplierBySupplier);
    let ch: Vec<_> = o.seq_number_changes.iter().collect();
    assert_eq!(ch.len(), 1);
    assert_eq!(ch[0].role, RemotePartyRole::Supplier);
    assert_eq!(ch[0].floor_seq_number, 0);
    assert_eq!(ch[0].specialist_floor_seq_numbers.unwrap().len(), 1);
    let out: Vec<_> = o.replacement_outcomes.iter().collect();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0].status, StatusCode::Success);
    assert_eq!(out[1].status, StatusCode::NoTrustAnchor);
    assert_eq!(
        out[1].affected_cell.key_usage.key_usage(),
        Some(crate::KeyUsage::KeyAgreement)
    );
    assert_eq!(
        out[2].affected_cell.cell_usage,
        Some(CellUsage::PrepaymentTopUp)
    );
    assert_eq!(out[0].replacing_subject_key_id, &h("43046B4FB7C4F11B")[..]);
    // The `82 00 CA` length form of the reference messages is what the
    // encoder writes for 128 and more.
    assert_eq!(&b[..4], &[0x30, 0x82, 0x00, 0xCA]);
    assert_eq!(
        dispatch(0x0102, CraFlag::Response, &[0x30, 0x02, 0x05, 0x00]),
        DerPayload::UpdateSecurityCredentialsResponse(UpdateSecurityCredentialsResponse {
            outcome: None
        })
    );
}

#[test]
fn dispatch_falls_back_to_the_tree() {
    let b = h(CS06_RESPONSE);
    for (code, cra) in [
        (0x0012, CraFlag::Alert),
        (0x0001, CraFlag::Command),
        (0x0012, CraFlag::Unknown(9)),
    ] {
        let p = decode(code, cra, &b).unwrap();
        assert!(p.is_generic());
        assert_eq!(p.label(), "generic");
        assert_eq!(p.to_vec().unwrap(), b);
    }
    let DerPayload::Generic(t) = decode(1, CraFlag::Command, &b).unwrap() else {
        panic!("type")
    };
    assert_eq!(t.tag(), Tag::SEQUENCE);
    let kids: Vec<_> = t.children().map(Result::unwrap).collect();
    assert_eq!(kids.len(), 2);
    assert_eq!(kids[1].tag(), Tag::OCTET_STRING);
    assert_eq!(kids[1].offset(), 5);
    assert_eq!(kids[1].value_offset(), 7);
    assert_eq!(kids[1].header(), &[0x04, 0x04]);
    assert_eq!(kids[1].value(), &[0x01, 0x23, 0xAB, 0xCE]);
    assert_eq!(kids[1].depth(), 1);
    let mut n = 0;
    t.visit(&mut |_| n += 1).unwrap();
    assert_eq!(n, 3);
}

#[test]
fn walker_rejects_what_is_not_definite_der() {
    // Indefinite length.
    let e = walk(&[0x30, 0x80, 0x00, 0x00]).unwrap_err();
    assert_eq!(
        (e.offset, e.kind),
        (
            1,
            DecodeErrorKind::Invalid {
                field: "length",
                value: 0x80
            }
        )
    );
    // Five length octets.
    assert!(walk(&[0x04, 0x85, 0, 0, 0, 0, 1, 0]).is_err());
    // Trailing bytes.
    let e = walk(&[0x05, 0x00, 0x00]).unwrap_err();
    assert_eq!(
        (e.offset, e.kind),
        (2, DecodeErrorKind::TrailingBytes { count: 1 })
    );
    // A child running past its parent.
    let e = walk(&[0x30, 0x03, 0x04, 0x05, 0x00]).unwrap_err();
    assert_eq!(e.offset, 4);
    // Tag number in the long form though below 31, and with a leading 0x80.
    assert!(walk(&[0x9F, 0x05, 0x00]).is_err());
    assert!(walk(&[0x9F, 0x80, 0x20, 0x00]).is_err());
    // Nesting beyond the limit.
    let mut deep = Vec::new();
    for i in 0..=MAX_DEPTH + 1 {
        let inner = (MAX_DEPTH + 1 - i) * 2;
        deep.extend_from_slice(&[0x30, u8::try_from(inner).unwrap()]);
    }
    let e = walk(&deep).unwrap_err();
    assert!(matches!(
        e.kind,
        DecodeErrorKind::TooDeep { limit: MAX_DEPTH }
    ));
}

#[test]
fn walker_keeps_length_forms_and_long_tags() {
    // `81 03` and `82 00 03` for 3, a tag number of 200.
    for b in [
        vec![0x30, 0x81, 0x03, 0x02, 0x01, 0x05],
        vec![0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05],
        vec![0xBF, 0x81, 0x48, 0x03, 0x02, 0x01, 0x05],
    ] {
        let t = walk(&b).unwrap();
        assert_eq!(t.to_vec().unwrap(), b);
    }
    let t = walk(&[0xBF, 0x81, 0x48, 0x00]).unwrap();
    assert_eq!(t.tag(), Tag::context(200, true));
    assert_eq!(t.tag().to_string(), "[200] (c)");
    assert_eq!(t.length_octets(), 1);
}

#[test]
fn integers_are_minimal_and_non_negative() {
    let one = |b: &[u8]| {
        let mut r = DerReader::new(b);
        read_uint(&mut r, "n")
    };
    assert_eq!(one(&[0x02, 0x01, 0x00]), Ok(0));
    assert_eq!(one(&[0x02, 0x02, 0x00, 0x80]), Ok(128));
    assert_eq!(
        one(&[
            0x02, 0x09, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF
        ]),
        Ok(u64::MAX)
    );
    assert!(one(&[0x02, 0x02, 0x00, 0x05]).is_err());
    assert!(one(&[0x02, 0x01, 0x80]).is_err());
    assert!(one(&[0x02, 0x00]).is_err());
    assert!(one(&[0x02, 0x0A, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    // A role number over 255 is refused, one without a name is kept.
    let e = decode(
        0x0008,
        CraFlag::Command,
        &h("300F3008020201000302078030030201FF"),
    )
    .unwrap_err();
    assert_eq!(
        (e.offset, e.kind),
        (
            6,
            DecodeErrorKind::Invalid {
                field: "remote party role",
                value: 256
            }
        )
    );
    let b = h("300F3007020109030207803004020200FE");
    let c = decode(0x0008, CraFlag::Command, &b).unwrap();
    let DerPayload::ProvideCredentialDetailsCommand(c) = c else {
        panic!("type")
    };
    assert_eq!(c.authorising_cell.role, RemotePartyRole::Unknown(9));
    assert_eq!(c.roles.iter().next(), Some(RemotePartyRole::Unknown(0xFE)));
    let mut out = Vec::new();
    put_uint(&mut out, 0x8F66);
    assert_eq!(out, [0x00, 0x8F, 0x66]);
}

#[test]
fn key_usage_bits() {
    for (b, v) in [
        ("03020780", KeyUsageBits::DIGITAL_SIGNATURE),
        ("03020308", KeyUsageBits::KEY_AGREEMENT),
        ("03020204", KeyUsageBits::KEY_CERT_SIGN),
        ("030100", KeyUsageBits(0)),
        ("0303070080", KeyUsageBits(1 << 8)),
    ] {
        let bytes = h(b);
        assert_eq!(KeyUsageBits::decode(&bytes), Ok(v), "{b}");
        assert_eq!(v.to_vec().unwrap(), bytes);
    }
    assert_eq!(KeyUsageBits::KEY_AGREEMENT.label(), Some("key_agreement"));
    for bad in ["03020680", "03020700", "0301", "03020880", "030101"] {
        assert!(KeyUsageBits::decode(&h(bad)).is_err(), "{bad}");
    }
}

#[test]
fn generalized_time_forms() {
    let t = |s: &str| {
        let mut b = vec![0x18, u8::try_from(s.len()).unwrap()];
        b.extend_from_slice(s.as_bytes());
        GeneralizedTime::decode(&b)
    };
    assert_eq!(t("20300115090000Z"), Ok(utc(2030, 1, 15, 9, 0, 0)));
    assert_eq!(t("99991231235959Z"), Ok(GeneralizedTime::Cancel));
    let old = t("19991231235959Z").unwrap();
    assert!(matches!(old, GeneralizedTime::Other(_)));
    assert_eq!(old.to_vec().unwrap()[2..], *b"19991231235959Z");
    for bad in [
        "20301315090000Z",
        "20300230090000Z",
        "20300115240000Z",
        "20300115090000",
        "20300115090000.5Z",
        "2030011509000Z",
        "2030011509000aZ",
    ] {
        assert!(t(bad).is_err(), "{bad}");
    }
    let inconsistent = GeneralizedTime::Other(utc(2030, 1, 1, 0, 0, 0).civil());
    assert!(inconsistent.to_vec().is_err());
}

#[test]
fn encoders_check_room_and_contents() {
    let b = cs06_command();
    let c = ActivateFirmwareCommand::decode(&b).unwrap();
    let mut small = [0u8; 10];
    let e = c.encode(&mut &mut small[..]).unwrap_err();
    assert!(matches!(e.kind, EncodeErrorKind::BufferTooSmall { .. }));
    let junk = [0x30, 0x05, 0x00];
    let j = JoinCommand {
        join_method_and_role: JoinMethodAndRole::MethodC,
        entity_id: Eui64(1),
        device_type: DeviceType::Gsme,
        certificate: Some(CertificateDer { der: &junk }),
    };
    assert!(j.to_vec().is_err());
    assert!(CertificateDer::new(&junk).is_err());
    let mut buf = [0u8; 3];
    assert!(
        ActivateFirmwareResponse::Accepted
            .encode(&mut &mut buf[..1])
            .is_err()
    );
    assert!(
        ActivateFirmwareResponse::Accepted
            .encode(&mut &mut buf[..])
            .is_ok()
    );
}

fn time() -> impl Strategy<Value = GeneralizedTime> {
    prop_oneof![
        any::<u32>().prop_map(|s| GeneralizedTime::At(Utc2000(s))),
        Just(GeneralizedTime::Cancel),
        (1u16..2000, 1u8..13, 1u8..29, 0u8..24, 0u8..60, 0u8..60).prop_map(
            |(year, month, day, hour, minute, second)| GeneralizedTime::Other(Civil {
                year,
                month,
                day,
                hour,
                minute,
                second
            })
        ),
    ]
}

fn round_trip<'a, T>(x: &T, bytes: &'a mut Vec<u8>) -> T
where
    T: Decode<'a> + Encode + PartialEq + core::fmt::Debug,
{
    *bytes = x.to_vec().unwrap();
    assert_eq!(bytes.len(), x.encoded_len());
    T::decode(bytes).unwrap()
}

proptest! {
    #[test]
    fn activate_firmware_round_trips(
        hash in proptest::collection::vec(any::<u8>(), 0..300),
        counter in any::<u64>(),
        t in proptest::option::of(time()),
        code in any::<u8>(),
        version in proptest::collection::vec(any::<u8>(), 0..20),
    ) {
        let c = ActivateFirmwareCommand { image_hash: &hash, originator_counter: counter, execution_date_time: t };
        let bytes = c.to_vec().unwrap();
        prop_assert_eq!(ActivateFirmwareCommand::decode(&bytes).unwrap(), c);
        let a = ActivateFirmwareAlert {
            alert_code: 0x8F66,
            execution_date_time: t.unwrap_or(GeneralizedTime::Cancel),
            originator_counter: counter,
            outcome: FirmwareOutcome { response_code: code.into(), firmware_version: &version },
        };
        let bytes = a.to_vec().unwrap();
        prop_assert_eq!(ActivateFirmwareAlert::decode(&bytes).unwrap(), a);
    }

    #[test]
    fn set_clock_round_trips(a in time(), b in time(), s in any::<u8>()) {
        let c = SetClockCommand { validity_start: a, validity_end: b };
        let mut buf = Vec::new();
        prop_assert_eq!(round_trip(&c, &mut buf), c);
        let r = SetClockResponse { device_time: a, status: s.into() };
        let mut buf = Vec::new();
        prop_assert_eq!(round_trip(&r, &mut buf), r);
    }

    #[test]
    fn device_logs_round_trip(
        entries in proptest::collection::vec((any::<u64>(), any::<u8>(), any::<u8>()), 0..30),
        code in any::<u16>(),
        t in time(),
    ) {
        let log: Vec<_> = entries.iter().map(|&(id, ty, _)| DeviceLogEntry { device_id: Eui64(id), device_type: ty.into() }).collect();
        let outcomes: Vec<_> = entries.iter().zip(&log).map(|(&(_, _, j), &entry)| RestoreOutcome { entry, join_response: j.into() }).collect();
        let a = DeviceLogBackupAlert { alert_code: code, backup_date_time: t, entries: SeqOf::from(&log[..]) };
        let bytes = a.to_vec().unwrap();
        let back = DeviceLogBackupAlert::decode(&bytes).unwrap();
        prop_assert_eq!(back, a);
        prop_assert_eq!(back.to_vec().unwrap(), bytes);
        let r = RestoreDeviceLogResponse { outcomes: SeqOf::from(&outcomes[..]) };
        let bytes = r.to_vec().unwrap();
        prop_assert_eq!(RestoreDeviceLogResponse::decode(&bytes).unwrap(), r);
        let j = ReadJoinDetailsResponse { response_code: 0.into(), entries: Some(SeqOf::from(&log[..])) };
        let bytes = j.to_vec().unwrap();
        prop_assert_eq!(ReadJoinDetailsResponse::decode(&bytes).unwrap(), j);
    }

    #[test]
    fn credentials_round_trip(
        roles in proptest::collection::vec(any::<u8>(), 0..10),
        seq in any::<u64>(),
        usage in any::<u16>(),
        cell in proptest::option::of(any::<u8>()),
        floor in proptest::option::of(any::<u64>()),
        key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        ids in proptest::collection::vec(any::<[u8; 8]>(), 1..6),
        t in proptest::option::of(time()),
    ) {
        let roles: Vec<RemotePartyRole> = roles.into_iter().map(Into::into).collect();
        let cell_id = TrustAnchorCellIdentifier { role: roles.first().copied().unwrap_or(RemotePartyRole::Supplier), key_usage: KeyUsageBits(usage), cell_usage: cell.map(Into::into) };
        let c = ProvideCredentialDetailsCommand { authorising_cell: cell_id, roles: SeqOf::from(&roles[..]) };
        let bytes = c.to_vec().unwrap();
        prop_assert_eq!(ProvideCredentialDetailsCommand::decode(&bytes).unwrap(), c);

        let specialist = [SpecialistSeqNumber { usage: SeqNumberUsage::PrepaymentTopUp, seq_number: seq }];
        let changes: Vec<_> = roles.iter().map(|&role| RemotePartySeqNumberChange {
            role, floor_seq_number: seq, specialist_floor_seq_numbers: floor.map(|_| SeqOf::from(&specialist[..])),
        }).collect();
        let outcomes: Vec<_> = ids.iter().map(|id| ReplacementOutcome {
            affected_cell: cell_id, status: StatusCode::from(id[0]),
            existing_subject_unique_id: id, existing_subject_key_id: &id[..4],
            replacing_subject_unique_id: id, replacing_subject_key_id: &[],
        }).collect();
        let outcome = CredentialsExecutionOutcome {
            authorising_seq_number: seq, mode: CredentialsReplacementMode::from(usage.to_be_bytes()[0]),
            seq_number_changes: SeqOf::from(&changes[..]), replacement_outcomes: SeqOf::from(&outcomes[..]),
        };
        let r = UpdateSecurityCredentialsResponse { outcome: Some(outcome) };
        let bytes = r.to_vec().unwrap();
        let back = UpdateSecurityCredentialsResponse::decode(&bytes).unwrap();
        prop_assert_eq!(back, r);
        prop_assert_eq!(back.to_vec().unwrap(), bytes);

        let control = AuthorisingRemotePartyControl {
            mode: outcome.mode, plaintext_symmetric_key: key.as_deref(), cpv_checks: cell.map(Into::into),
            authorising_cell: floor.map(|_| cell_id), authorising_seq_number: seq, new_floor_seq_number: floor,
            new_specialist_floor_seq_numbers: floor.map(|_| SeqOf::from(&specialist[..])),
            other_seq_number_changes: cell.map(|_| SeqOf::from(&changes[..])),
        };
        let u = UpdateSecurityCredentialsCommand {
            control, replacements: SeqOf::Items(&[]), certification_path: SeqOf::Items(&[]), execution_date_time: t,
        };
        let bytes = u.to_vec().unwrap();
        prop_assert_eq!(UpdateSecurityCredentialsCommand::decode(&bytes).unwrap(), u);
    }

    #[test]
    fn arbitrary_bytes_walk_and_dispatch(
        b in proptest::collection::vec(any::<u8>(), 0..120),
        code in prop_oneof![Just(0x0012u16), Just(0x0008), Just(0x0102), Just(0x007F), Just(0x00CA), any::<u16>()],
        cra in 0u8..4,
    ) {
        if let Ok(t) = walk(&b) {
            prop_assert_eq!(t.to_vec().unwrap(), b.clone());
        }
        if let Ok(p) = decode(code, CraFlag::from(cra), &b) {
            let out = p.to_vec().unwrap();
            prop_assert_eq!(decode(code, CraFlag::from(cra), &out).unwrap(), p);
        }
    }

    #[test]
    fn mutated_payloads_fail_cleanly(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut b = h(CS02B_RESPONSE);
        for (at, v) in edits {
            let i = at.index(b.len());
            b[i] = v;
        }
        match decode(0x0102, CraFlag::Response, &b) {
            Ok(p) => {
                let out = p.to_vec().unwrap();
                prop_assert_eq!(decode(0x0102, CraFlag::Response, &out).unwrap(), p);
            }
            Err(e) => prop_assert!(e.offset <= b.len()),
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn json_forms() {
    let b = h(CS06_ALERT);
    let p = decode(0x00CA, CraFlag::Alert, &b).unwrap();
    assert_eq!(
        serde_json::to_string(&p).unwrap(),
        r#"{"activate_firmware_alert":{"alert_code":36710,"execution_date_time":"2030-01-15T09:00:00Z","originator_counter":1001,"outcome":{"response_code":"success","firmware_version":"0123ABCF"}}}"#
    );
    let b = h(CS02A_RESPONSE);
    let p = decode(0x0008, CraFlag::Response, &b).unwrap();
    let v = serde_json::to_value(p).unwrap();
    let party = &v["provide_credential_details_response"]["parties"][0];
    assert_eq!(party["role"], "supplier");
    assert_eq!(
        party["credentials"]["cells"][2]["cell_usage"],
        "prepayment_top_up"
    );
    assert_eq!(
        party["credentials"]["cells"][0]["key_usage"],
        "digital_signature"
    );
    assert_eq!(
        party["credentials"]["cells"][0]["subject_unique_id"],
        "90B3D51F30010000"
    );
    let t = walk(&[0x30, 0x03, 0x02, 0x01, 0x7F]).unwrap();
    assert_eq!(
        serde_json::to_string(&DerPayload::Generic(t)).unwrap(),
        r#"{"generic":{"tag":"UNIVERSAL 16 (c)","offset":0,"header":"3003","children":[{"tag":"UNIVERSAL 2 (p)","offset":2,"header":"0201","value":"7F"}]}}"#
    );
}

/// A certificate is a signed blob: it re-encodes as received, whatever
/// length form it came in (here `81 8F`, which the encoder would write as
/// `82 00 8F`), inside a payload that decodes again to the same value.
#[test]
fn certificates_keep_their_bytes() {
    let payload = hex::decode(concat!(
        "30818F30250201000A0100020100301A30180302020404080000000000000000",
        "04084A9BDEF1571EFB13303F0201020A01000201003034301803020780040890",
        "B3D51F30010000040844899792D196F4B8301803020308040890B3D51F300100",
        "000408405B8C62687D8F7030250201050A0100020100301A3018030207800408",
        "90B3D51F3000000404084B38EB47561D93E8",
    ))
    .unwrap();
    let p = decode(0x000C, CraFlag::Response, &payload).unwrap();
    let bytes = p.to_vec().unwrap();
    assert_eq!(bytes, payload);
    assert_eq!(decode(0x000C, CraFlag::Response, &bytes).unwrap(), p);
}
