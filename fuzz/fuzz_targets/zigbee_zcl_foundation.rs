#![no_main]
//! Foundation command payloads: any (command id, payload) decodes or fails
//! cleanly, and a decoded command's records and nested values never fail.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::zcl::ZclValue;
use smets_zigbee::zcl::foundation::FoundationCommand;

fn walk(v: &ZclValue<'_>) {
    let _ = v.is_invalid();
    let _ = v.to_f32();
    match v {
        ZclValue::Array(s) | ZclValue::Set(s) | ZclValue::Bag(s) => {
            for e in s.iter() {
                walk(&e.expect("a decoded sequence iterates"));
            }
        }
        ZclValue::Structure(s) => {
            for e in s.iter() {
                walk(&e.expect("a decoded structure iterates"));
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&id, payload)) = data.split_first() else {
        return;
    };
    let Ok(cmd) = FoundationCommand::decode(id % 0x18, payload) else {
        return;
    };
    match cmd {
        FoundationCommand::ReadAttributesResponse(l) => {
            for r in l.iter() {
                if let Some(v) = r.expect("checked at decode").value {
                    walk(&v);
                }
            }
        }
        FoundationCommand::WriteAttributes(l)
        | FoundationCommand::WriteAttributesUndivided(l)
        | FoundationCommand::WriteAttributesNoResponse(l)
        | FoundationCommand::ReportAttributes(l) => {
            for r in l.iter() {
                walk(&r.expect("checked at decode").value);
            }
        }
        FoundationCommand::WriteAttributesStructured(l) => {
            for r in l.iter() {
                let r = r.expect("checked at decode");
                let _ = r.selector.iter().count();
                walk(&r.value);
            }
        }
        FoundationCommand::ConfigureReporting(l) => {
            for r in l.iter() {
                r.expect("checked at decode");
            }
        }
        FoundationCommand::ReadReportingConfigurationResponse(l) => {
            for r in l.iter() {
                r.expect("checked at decode");
            }
        }
        _ => {}
    }
});
