//! Whole GBCS commands built from typed inputs: for every RTDS 4.5.0
//! command (and pre-command) of a typed use case, the payload built from
//! its typed reading, under the grouping header it came with, sealed with
//! the public test keys (the ACB's MAC; a signature stays as sent, since
//! the signers' private keys are not all published), is the RTDS message
//! byte for byte: same counter, ids, date-time, payload and MAC.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;

use smets_core::{Decode, Eui64};
use smets_gbcs::envelope::{CraFlag, GbcsMessage, GeneralSigning};
use smets_gbcs::security::{Check, Form, SecurityContext, SignWith};
use smets_gbcs::usecase::gbz::GbzTyped;
use smets_gbcs::usecase::{self, Typed};

const ACB: Eui64 = Eui64(0x90B3_D51F_3000_0002);

/// The payload bytes a typed command builds; `None` for a typed response
/// or alert.
fn build(t: &Typed<'_>) -> Option<Vec<u8>> {
    use smets_core::Encode;
    let bytes = match t {
        Typed::ProtectedReadRequest(r) => r.to_vec(),
        Typed::PlainRequest(r) => r.to_vec(),
        Typed::EventLogRequest(r) => r.to_vec(),
        Typed::TopUpRequest(r) => r.to_vec(),
        Typed::ClockSyncRequest(r) => r.to_vec(),
        Typed::PriceUpdateRequest(r) => r.to_vec(),
        Typed::TariffUpdateRequest(r) => r.to_vec(),
        Typed::Der(d) => d.to_vec(),
        Typed::Gbz(g) => match g {
            GbzTyped::ReadRequest(r) => r.to_vec(),
            GbzTyped::SampledDataRequest(r) => r.to_vec(),
            GbzTyped::TopUpRequest(r) => r.to_vec(),
            GbzTyped::EmergencyCreditRequest(r) => r.to_vec(),
            GbzTyped::DailyReadLogRequest(r) => r.to_vec(),
            GbzTyped::SetPriceRequest(r) => r.to_vec(),
            GbzTyped::SetTariffRequest(r) => r.to_vec(),
            GbzTyped::TariffReadRequest(r) => r.to_vec(),
            GbzTyped::EventLogRequest(r) => r.to_vec(),
            _ => return None,
        },
        _ => return None,
    };
    Some(bytes.unwrap())
}

#[test]
fn typed_commands_build_the_rtds_messages() {
    let Some(recs) = common::records("rtds-4.5.0.jsonl") else {
        return;
    };
    let keys = common::key_store("rtds:").unwrap();
    let mut ctx = SecurityContext::new(&keys).with_acb(ACB);
    let (mut built, mut maced) = (0, 0);
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        let bytes = hex::decode(r["hex"].as_str().unwrap()).unwrap();
        let msg = GbcsMessage::decode(&bytes).unwrap();
        let Some(s) = msg.signing() else { continue };
        if s.header.transaction_id.cra_flag != CraFlag::Command {
            continue;
        }
        let code = s.header.other_information.message_code;
        let Ok(Some(t)) = usecase::decode(code, CraFlag::Command, s.content, &[]) else {
            continue;
        };
        let Some(payload) = build(&t) else { continue };
        assert_eq!(
            hex::encode_upper(&payload),
            hex::encode_upper(s.content),
            "{id}"
        );
        let signing = GeneralSigning {
            content: &payload,
            ..*s
        };
        let form = match (&msg, s.signature) {
            (GbcsMessage::MacHeader(_), _) => Form::MacHeader,
            (_, None) => Form::PreCommand,
            _ => Form::Signed,
        };
        if form == Form::MacHeader {
            // The PCS commands' keys are not published.
            if ctx.check_mac(&bytes, &msg) != Check::Valid {
                continue;
            }
            maced += 1;
        }
        let out = ctx.seal(&signing, form, SignWith::Given).unwrap();
        assert_eq!(hex::encode_upper(&out), hex::encode_upper(&bytes), "{id}");
        built += 1;
    }
    eprintln!("{built} built, {maced} MACed");
    assert!(built >= 177 && maced >= 118, "{built} built, {maced} MACed");
}
