#![no_main]
//! `smets_dlms::apdu::XdlmsApdu`: any bytes decode or fail with an offset
//! inside the input; every list of what decodes (specifications, results,
//! data) iterates to its announced length without a panic, and each Data
//! element lies inside the input.

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_dlms::apdu::XdlmsApdu;
use smets_dlms::axdr::Elements;

fn walk(mut elements: Elements<'_>, len: usize) {
    let n = elements.len();
    let mut seen = 0;
    while let Some((offset, size, _)) = elements.next_with_span() {
        assert!(offset + size <= len, "element {offset}+{size} past {len}");
        seen += 1;
    }
    assert_eq!(seen, n);
}

fuzz_target!(|data: &[u8]| {
    match XdlmsApdu::decode(data) {
        Err(e) => assert!(e.offset <= data.len(), "offset {} past {}", e.offset, data.len()),
        Ok(XdlmsApdu::AccessRequest(r)) => {
            assert_eq!(r.specifications.len(), r.specifications.count());
            walk(r.data, data.len());
        }
        Ok(XdlmsApdu::AccessResponse(r)) => {
            if let Some(s) = r.request_specifications {
                assert_eq!(s.len(), s.count());
            }
            assert_eq!(r.results.len(), r.results.count());
            walk(r.data, data.len());
        }
        Ok(XdlmsApdu::DataNotification(n)) => {
            if let Some(e) = n.body.elements() {
                walk(e, data.len());
            }
        }
    }
});
