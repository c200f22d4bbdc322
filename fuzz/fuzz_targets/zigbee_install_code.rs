#![no_main]
//! Install codes: `InstallCode::parse` on bytes, `from_code`, and `from_hex`
//! on the same bytes read as text; a parsed code yields its link key.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::security::InstallCode;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = InstallCode::parse(data) {
        assert_eq!(c.as_bytes(), data);
        let _ = c.link_key();
        let again = InstallCode::from_code(c.code()).expect("code of a parsed install code");
        assert_eq!(again, c);
    }
    if let Ok(c) = InstallCode::from_code(data) {
        assert_eq!(InstallCode::parse(c.as_bytes()).as_ref(), Ok(&c));
    }
    if let Ok(text) = core::str::from_utf8(data)
        && let Ok(c) = InstallCode::from_hex(text)
    {
        let _ = c.link_key();
    }
});
