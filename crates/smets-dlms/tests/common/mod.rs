//! What the DLMS vector suites share: where the public vectors are.
#![allow(dead_code)]

use std::path::PathBuf;

/// `$SMETS_VECTORS`, or `../shared/vectors` beside the checkout; `None`
/// (with a notice) when absent, a failure when `CI=true`.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the public vectors are required in CI but {} is missing",
        dir.display()
    );
    eprintln!(
        "notice: {} not found; skipping the DLMS vector tests",
        dir.display()
    );
    None
}
