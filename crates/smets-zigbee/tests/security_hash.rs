//! Install codes, the MMO hash and the keyed hash against every
//! `crypto-installcode-*`, `crypto-keyedhash-*` and psila key-hash record of
//! `shared/vectors/zigbee/frames.jsonl`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{from_source, id, record_bytes, records};
use smets_zigbee::security::{
    InstallCode, InstallCodeError, Key128, hmac_mmo, key_load_key, key_transport_key, mmo_hash,
    verify_key_hash,
};

fn key(hex_text: &str) -> Key128 {
    Key128::from_hex(hex_text).unwrap()
}

#[test]
fn install_code_records() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in from_source(&records, "crypto-installcode-") {
        let bytes = record_bytes(r);
        let e = &r["expected"];
        let ic = InstallCode::parse(&bytes).unwrap_or_else(|err| panic!("{}: {err}", id(r)));
        assert_eq!(
            hex::encode(ic.crc().to_le_bytes()),
            e["install_code_crc16_x25_le"].as_str().unwrap(),
            "{}",
            id(r)
        );
        assert_eq!(ic.code(), &bytes[..bytes.len() - 2]);
        let expected_key = key(e["link_key_mmo_of_code_plus_crc"].as_str().unwrap());
        assert_eq!(ic.link_key(), expected_key, "{}", id(r));
        assert_eq!(mmo_hash(&bytes), *expected_key.as_bytes(), "{}", id(r));
        assert_eq!(
            InstallCode::from_hex(r["hex"].as_str().unwrap()).unwrap(),
            ic
        );
        assert_eq!(InstallCode::from_code(ic.code()).unwrap(), ic);

        // Every single-bit error in code or CRC is caught by the CRC.
        for bit in 0..bytes.len() * 8 {
            let mut bad = bytes.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(
                matches!(
                    InstallCode::parse(&bad),
                    Err(InstallCodeError::BadCrc { .. })
                ),
                "{} bit {bit}",
                id(r)
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 4, "install-code records");
}

#[test]
fn keyed_hash_records() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in from_source(&records, "crypto-keyedhash-") {
        let link = key(r["hex"].as_str().unwrap());
        let e = &r["expected"];
        let input = u8::try_from(e["hmac_mmo_input_byte"].as_u64().unwrap()).unwrap();
        let expected = key(e["result"].as_str().unwrap());
        assert_eq!(hmac_mmo(&link, input), expected, "{}", id(r));
        let named = match input {
            0x00 => Some(key_transport_key(&link)),
            0x02 => Some(key_load_key(&link)),
            0x03 => Some(verify_key_hash(&link)),
            _ => None,
        };
        if let Some(named) = named {
            assert_eq!(named, expected, "{}", id(r));
        }
        seen += 1;
    }
    assert_eq!(seen, 5, "keyed-hash records");
}

/// psila's key-hash tests store only their expected outputs; the inputs are in
/// the test bodies they are named after (`test_key_hash_default_link_key`:
/// ZigBeeAlliance09 with 0x00; `test_key_hash_2`: ZigBee spec C.6.1 key
/// 40..4F with 0xC0).
#[test]
fn psila_key_hash_records() {
    let Some(records) = records() else { return };
    let mut seen = 0;
    for r in from_source(&records, "psila-").filter(|r| {
        r["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("test_key_hash"))
    }) {
        let (link, input) = match r["title"].as_str().unwrap() {
            "test_key_hash_default_link_key" => (Key128::ZIGBEE_ALLIANCE_09, 0x00),
            "test_key_hash_2" => (key("404142434445464748494a4b4c4d4e4f"), 0xc0),
            other => panic!("{}: unknown psila key-hash test {other}", id(r)),
        };
        let expected = key(r["hex"].as_str().unwrap());
        assert_eq!(hmac_mmo(&link, input), expected, "{}", id(r));
        seen += 1;
    }
    assert_eq!(seen, 2, "psila key-hash records");
}
