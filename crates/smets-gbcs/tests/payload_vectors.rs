//! Every RTDS 4.5.0 payload decodes as its family's lossless structure with
//! no leftover bytes, and so does every decrypted part: A-XDR data in a
//! DLMS payload, the ZCL payload of its component's command in a GBZ one.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use smets_core::Decode;
use smets_dlms::axdr::Data;
use smets_gbcs::catalogue::PayloadFamily;
use smets_gbcs::envelope::CraFlag;
use smets_gbcs::payload::Payload;

#[test]
fn every_payload_and_every_plaintext_decodes_whole() {
    let Some(recs) = common::records("rtds-4.5.0.jsonl") else {
        return;
    };
    let (mut dlms_parts, mut gbz_parts) = (0, 0);
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        let content = hex::decode(r["payload"]["hex"].as_str().unwrap()).unwrap();
        let cra = CraFlag::from(u8::try_from(r["envelope"]["cra_flag"].as_u64().unwrap()).unwrap());
        let p = Payload::decode(&content, cra).unwrap_or_else(|e| panic!("{id}: {e}"));
        let family = match r["payload"]["family"].as_str().unwrap() {
            "DLMS" => PayloadFamily::Dlms,
            "GBZ" => PayloadFamily::Gbz,
            _ => PayloadFamily::Der,
        };
        assert_eq!(p.family(), family, "{id}");
        for b in r["independent_check"]["encrypted_blocks"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let offset = usize::try_from(b["offset_in_content"].as_u64().unwrap()).unwrap();
            let plaintext = hex::decode(b["plaintext"].as_str().unwrap()).unwrap();
            match &p {
                // `Decode` requires the value to fill its buffer.
                Payload::Dlms(_) => {
                    Data::decode(&plaintext).unwrap_or_else(|e| panic!("{id}: {e}"));
                    dlms_parts += 1;
                }
                Payload::Gbz(g) => {
                    let (_, c) = g
                        .components_with_offsets()
                        .find(|(at, c)| c.ciphered_offset().map(|o| at + o) == Some(offset))
                        .unwrap_or_else(|| panic!("{id}: no component at {offset}"));
                    let command = c.decrypted_command(&plaintext);
                    assert!(matches!(command, Ok(Some(_))), "{id}: {command:?}");
                    gbz_parts += 1;
                }
                Payload::Der(_) => panic!("{id}: a DER payload has no protected part"),
            }
        }
    }
    assert_eq!(recs.len(), 1006);
    assert_eq!((dlms_parts, gbz_parts), (10, 34));
}
