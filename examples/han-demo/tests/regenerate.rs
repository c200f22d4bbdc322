//! The committed capture and keys file are what `cargo run -p han-demo` writes, byte for byte.
#![allow(clippy::unwrap_used)]

mod common;

#[test]
fn regenerating_gives_the_committed_files() {
    let dir = std::env::temp_dir().join(format!("han-demo-regenerate-{}", std::process::id()));
    han_demo::write_files(&dir).unwrap();
    for name in [han_demo::CAPTURE_FILE, han_demo::KEYS_FILE] {
        let fresh = std::fs::read(dir.join(name)).unwrap();
        let committed = std::fs::read(common::captures_dir().join(name)).unwrap();
        assert!(
            fresh == committed,
            "{name} differs from a fresh run: run `cargo run -p han-demo` and commit the result"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_sessions_are_identical() {
    assert_eq!(han_demo::session().unwrap(), han_demo::session().unwrap());
    assert_eq!(han_demo::pcapng().unwrap(), han_demo::pcapng().unwrap());
}

#[test]
fn the_keys_file_lists_no_network_key() {
    let keys = std::fs::read_to_string(common::keys_path()).unwrap();
    let parsed = smets_cli::keys::parse(&keys).unwrap();
    assert!(parsed.zigbee.network_key.is_empty());
    assert_eq!(parsed.zigbee.install_code.len(), 2);
    assert_eq!(parsed.zigbee.link_key.len(), 3);
    let network = han_demo::test_keys().unwrap().network;
    let hex: String = network
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!keys.to_lowercase().contains(&hex));
}
