#![no_main]
//! `smets decode`'s GBCS text input: any bytes are detected (GBCS text or
//! not) and, as GBCS text, split into lines whose messages (hex or GFI) are
//! read, checked with the fuzz key store and rendered as NDJSON. Asserts:
//! nothing panics; a line's error offset lies inside the input; every
//! rendered record is one line of valid JSON naming its line number.

use libfuzzer_sys::fuzz_target;
use smets_cli::Format;
use smets_cli::filter::Show;
use smets_cli::gbcs::{Line, is_gbcs_text, lines, message_of, render_lines};
use smets_gbcs::security::SecurityContext;

fuzz_target!(|data: &[u8]| {
    let _ = is_gbcs_text(data);
    let all: Vec<Line<'_>> = lines(data).take(64).collect();
    for line in &all {
        assert!(line.at + line.text.len() <= data.len());
        if let Err(e) = message_of(line) {
            assert!(e.offset <= data.len(), "offset {} past {}", e.offset, data.len());
        }
    }
    let mut ctx = SecurityContext::new(smets_fuzz::gbcs_keys()).with_acb(smets_fuzz::GBCS_ACB);
    let out = render_lines(&all, None, Format::Ndjson, &mut ctx, &Show::default());
    assert_eq!(out.records, all.len());
    let text = std::str::from_utf8(&out.bytes).expect("the output is UTF-8");
    for (record, line) in text.lines().zip(&all) {
        let v: serde_json::Value = serde_json::from_str(record).expect("each record is JSON");
        assert_eq!(v["line"].as_u64(), Some(line.number as u64));
    }
    assert_eq!(text.lines().count(), all.len());
});
