//! Running the `smets` binary from the CLI's test suites.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `smets` with `args`, `stdin` on its standard input.
pub fn smets(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smets"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

/// The records of an NDJSON output.
pub fn ndjson(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The vectors directory: `$SMETS_VECTORS` or `../../../shared/vectors`;
/// `None` (a notice) when absent, a failure when `CI=true`.
pub fn vectors_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.join("gbcs/keys.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "vectors not found at {} (set SMETS_VECTORS)",
        dir.display()
    );
    eprintln!("notice: vectors not found at {}; skipping", dir.display());
    None
}

pub fn tmp_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The `rtds:` keys of keys.json.
pub fn rtds_keys(dir: &Path) -> Vec<Value> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gbcs/keys.json")).unwrap())
            .unwrap();
    v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["id"].as_str().unwrap().starts_with("rtds:"))
        .cloned()
        .collect()
}

/// A keys file of the `rtds:` keys: KA private keys as hex scalars, DS
/// private keys as PEM where keys.json has it, public keys from the
/// certificate (DS) or the point (KA); the ACB's KA key with its role.
pub fn keys_toml(keys: &[Value]) -> String {
    let mut t = String::from(
        "# RTDS 4.5.0 TEST keys\n[[zigbee.link_key]]\nkey = \"5a6967426565416c6c69616e63653039\"\n\n",
    );
    for k in keys {
        let eui = k["eui"].as_str().unwrap();
        let usage = k["usage"].as_str().unwrap();
        t += &format!(
            "[[gbcs.key]]\nentity = \"{}\"\nusage = \"{usage}\"\n",
            eui.to_uppercase()
        );
        if k["variant"].as_str() == Some("pp") {
            t += "prepayment = true\n";
        }
        if eui == "90b3d51f30000002" && usage == "KA" {
            t += "role = \"access_control_broker\"\n";
        }
        match (
            k["private_key_hex"].as_str(),
            k["private_key_pem"].as_str(),
            k["certificate_pem"].as_str(),
        ) {
            (_, Some(pem), _) if usage == "DS" => {
                t += &format!("private_key_pem = \"\"\"{}\"\"\"\n", pem.trim());
            }
            (Some(d), _, _) => t += &format!("private_key_hex = \"{d}\"\n"),
            (None, _, Some(cert)) if usage == "DS" => {
                t += &format!("certificate_pem = \"\"\"{}\"\"\"\n", cert.trim());
            }
            _ => {
                t += &format!(
                    "public_key_hex = \"{}\"\n",
                    k["public_key_uncompressed_hex"].as_str().unwrap()
                );
            }
        }
        t.push('\n');
    }
    t
}
