//! `smets decode` as a user runs it: exit codes, key learning (one pass and
//! two), malformed records reported in place, keys never printed.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::{ndjson, smets};

use std::path::PathBuf;

use serde_json::Value;

fn captures() -> Option<PathBuf> {
    let dir = std::env::var_os("SMETS_VECTORS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir.join("zigbee/captures"));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "vectors missing at {}",
        dir.display()
    );
    eprintln!("notice: {} not found; skipping", dir.display());
    None
}

const C4_KEY: &str = "26546b723b396a727b5d5271517d392f";

fn decrypted(r: &Value) -> Option<bool> {
    r.pointer("/nwk/security/decrypted")
        .and_then(Value::as_bool)
}

#[test]
fn control4_with_its_key_decrypts_every_secured_frame() {
    let Some(dir) = captures() else { return };
    let file = dir.join("killerbee__control4-sample.pcap");
    let out = smets(
        &[
            "decode",
            "--format",
            "ndjson",
            "--key",
            C4_KEY,
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = ndjson(&out);
    assert_eq!(recs.len(), 407);
    assert_eq!(
        recs.iter().filter(|r| decrypted(r) == Some(true)).count(),
        194
    );
    assert_eq!(
        recs.iter().filter(|r| decrypted(r) == Some(false)).count(),
        0
    );
    let first = &recs[0];
    assert_eq!(first["frame"], 1);
    assert_eq!(first["mac"]["frame_type"], "data");
    assert_eq!(first["mac"]["dst_pan"], "0x3359");
    assert_eq!(first["mac"]["fcs_ok"], true);
    assert_eq!(first["nwk"]["frame_type"], "command");
    assert_eq!(first["nwk"]["dst"], "0xfffc");
    assert_eq!(first["nwk"]["ext_src"], "00:0f:ff:00:00:1f:02:22");
    assert_eq!(first["nwk"]["command"], "0x08");
    assert_eq!(first["nwk"]["command_name"], "link_status");
    assert_eq!(first["nwk"]["security"]["frame_counter"], 74426);
    assert_eq!(first["nwk"]["security"]["key_seq"], 0);
    assert!(first["error"].is_null());
    // 30 frames of this capture carry a bad FCS; they are flagged and, as in
    // Wireshark, not decoded above the MAC layer unless asked.
    let bad: Vec<&Value> = recs
        .iter()
        .filter(|r| r["mac"]["fcs_ok"] == false)
        .collect();
    assert_eq!(bad.len(), 30);
    assert!(
        bad.iter()
            .all(|r| r.get("nwk").is_none() && r["error"].is_null())
    );
    let out = smets(
        &[
            "decode",
            "--format",
            "ndjson",
            "--decode-bad-fcs",
            "--key",
            C4_KEY,
            file.to_str().unwrap(),
        ],
        None,
    );
    let recs = ndjson(&out);
    let bad: Vec<&Value> = recs
        .iter()
        .filter(|r| r["mac"]["fcs_ok"] == false)
        .collect();
    // Corrupted secured frames fail authentication: the MIC catches what the FCS did.
    assert_eq!(
        bad.iter().filter(|r| decrypted(r) == Some(false)).count(),
        30
    );
    assert!(
        bad.iter()
            .all(|r| r["nwk"]["security"]["status"] == "authentication_failed")
    );
}

#[test]
fn a_key_learned_late_opens_earlier_frames_only_in_two_pass_mode() {
    let Some(dir) = captures() else { return };
    let file = dir.join("killerbee__control4-sample.pcap");
    let one = ndjson(&smets(
        &["decode", "--format", "ndjson", file.to_str().unwrap()],
        None,
    ));
    let two = ndjson(&smets(
        &[
            "decode",
            "--two-pass",
            "--format",
            "ndjson",
            file.to_str().unwrap(),
        ],
        None,
    ));
    assert_eq!(one[150]["learned_key"]["kind"], "network");
    let before = |recs: &[Value]| {
        recs[..150]
            .iter()
            .filter(|r| decrypted(r) == Some(true))
            .count()
    };
    let after = |recs: &[Value]| {
        recs[150..]
            .iter()
            .filter(|r| decrypted(r) == Some(true))
            .count()
    };
    // One pass: the network key comes in the clear in frame 151 and opens what follows.
    assert_eq!(before(&one), 0);
    assert_eq!(
        one[..150]
            .iter()
            .filter(|r| decrypted(r) == Some(false))
            .count(),
        82
    );
    assert_eq!(after(&one), 112);
    // Two passes: every one of the 194 secured frames.
    assert_eq!(before(&two) + after(&two), 194);
}

#[test]
fn a_malformed_record_is_reported_in_place_and_decoding_goes_on() {
    let good = "41880e5933ffff00000912fcff000001c022021f0000ff0f0028ba22010022021f0000ff0f0000658df37b6af6976da6f611";
    // The same frame cut inside its NWK auxiliary security header.
    let cut = &good[..40];
    let input = format!("# two good frames around a cut one\n{good}\n{cut}\n{good}\n");
    let out = smets(
        &["decode", "--format", "ndjson", "--key", C4_KEY, "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    let recs = ndjson(&out);
    assert_eq!(recs.len(), 3);
    assert!(recs[0]["error"].is_null());
    assert!(recs[2]["error"].is_null());
    assert_eq!(decrypted(&recs[2]), Some(true));
    // The second copy repeats the first one's frame counter: a replay.
    assert_eq!(recs[2]["nwk"]["security"]["replay"], true);
    let e = recs[1]["error"].as_str().unwrap();
    assert!(e.contains("ZigBee") && e.contains("at byte"), "{e}");
    assert_eq!(recs[1]["mac"]["frame_type"], "data");
}

#[test]
fn usage_and_key_file_errors_exit_2_and_name_the_line() {
    let dir = std::env::temp_dir().join(format!("smets-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("bad.toml");
    std::fs::write(&keys, "[[zigbee.network_key]]\nkey = \"26546b723b396a727b5d5271517d392f\"\n\n[[zigbee.netwrk_key]]\n").unwrap();
    let out = smets(
        &["decode", "--keys", keys.to_str().unwrap(), "-"],
        Some(b""),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4"), "{err}");
    let out = smets(&["decode", "--key", "12345", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2));
    let out = smets(&["decode", "/nonexistent/capture.pcap"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = smets(&["decode", "--format", "yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keys_file_install_codes_open_an_aps_tunnel_and_no_key_is_printed() {
    let Some(dir) = captures() else { return };
    let tmp = std::env::temp_dir().join(format!("smets-cli-keys-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let keys = tmp.join("zigator.toml");
    std::fs::write(
        &keys,
        "[[zigbee.network_key]]\nkey = \"11111111111111111111111111111111\"\nseq = 0\n\
         [[zigbee.network_key]]\nkey = \"22222222222222222222222222222222\"\n\
         [[zigbee.link_key]]\nkey = \"33333333333333333333333333333333\"\n\
         [[zigbee.link_key]]\nkey = \"44444444444444444444444444444444\"\n\
         [[zigbee.install_code]]\ncode = \"55555555555555555555555555555555a9d1\"\n\
         [[zigbee.install_code]]\ncode = \"66666666666666666666666666666666a603\"\n",
    )
    .unwrap();
    let file = dir.join("zigator__04-aps-testing.pcap");
    for format in ["ndjson", "text", "json"] {
        let out = smets(
            &[
                "decode",
                "--keys",
                keys.to_str().unwrap(),
                "--format",
                format,
                file.to_str().unwrap(),
            ],
            None,
        );
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        for secret in [
            "3333333333333333",
            "4444444444444444",
            "3c6047f3c55c8c82",
            "865eb452951420552e",
        ] {
            assert!(
                !text.contains(secret),
                "{format} output shows key material {secret}"
            );
        }
        if format == "json" {
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v.as_array().unwrap().len(), 11);
        }
        if format == "ndjson" {
            let recs = ndjson(&out);
            let tunnel = &recs[4];
            assert_eq!(tunnel["aps"]["command_name"], "tunnel");
            assert_eq!(tunnel["aps_tunnelled"]["command_name"], "transport_key");
            assert_eq!(tunnel["aps_tunnelled"]["security"]["decrypted"], true);
            assert_eq!(
                tunnel["aps_tunnelled"]["security"]["key_id"],
                "key_transport"
            );
            // Frame 11 stays APS-encrypted with every key there is.
            assert_eq!(recs[10]["aps"]["security"]["decrypted"], false);
            assert_eq!(
                recs[10]["aps"]["security"]["status"],
                "authentication_failed"
            );
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// The README's cluster table is `smets clusters`'s output, so the coverage
/// users read is the catalogue the code has.
#[test]
fn readme_cluster_table_is_the_catalogue() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
    )
    .unwrap();
    let begin = "<!-- clusters:begin -->\n";
    let start = readme.find(begin).expect("begin marker") + begin.len();
    let end = readme.find("<!-- clusters:end -->").expect("end marker");
    assert_eq!(&readme[start..end], smets_cli::coverage::markdown());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_smets"))
        .arg("clusters")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        smets_cli::coverage::markdown()
    );
    // Every cluster the catalogue has, and only those, has a row.
    let rows = readme[start..end].lines().skip(2).count();
    assert_eq!(rows, smets_zigbee::zcl::cluster::CLUSTERS.len());
}

/// A Smart Energy frame as a hex line: MAC data 0x1234 -> 0x0000, plain NWK,
/// APS data on `cluster` (profile 0x0109, endpoints 1), then `zcl`, then the FCS.
fn se_hex_line(cluster: u16, zcl: &[u8]) -> String {
    let [lo, hi] = cluster.to_le_bytes();
    let mut f = vec![0x61, 0x88, 0x2a, 0x1d, 0x4b, 0x00, 0x00, 0x34, 0x12];
    f.extend([0x08, 0x00, 0x00, 0x00, 0x34, 0x12, 0x1e, 0x05]);
    f.extend([0x40, 0x01, lo, hi, 0x09, 0x01, 0x01, 0x22]);
    f.extend_from_slice(zcl);
    let fcs = smets_core::crc::crc16_kermit(&f);
    f.extend(fcs.to_le_bytes());
    let mut line: String = f.iter().map(|b| format!("{b:02x}")).collect();
    line.push('\n');
    line
}

#[test]
fn smart_energy_frames_read_by_name_with_scaled_values() {
    // Metering: the formatting (UnitofMeasure kWh, Divisor 1000,
    // SummationFormatting 3 decimals), then CurrentSummationDelivered
    // 12345678 and InstantaneousDemand -1500; then a Price command.
    let mut input = se_hex_line(
        0x0702,
        &[
            0x18, 0x01, 0x0a, 0x00, 0x03, 0x30, 0x00, 0x02, 0x03, 0x22, 0xe8, 0x03, 0x00, 0x03,
            0x03, 0x18, 0x2b, 0x04, 0x03, 0x18, 0x2b,
        ],
    );
    input += &se_hex_line(
        0x0702,
        &[
            0x18, 0x02, 0x0a, 0x00, 0x00, 0x25, 0x4e, 0x61, 0xbc, 0x00, 0x00, 0x00, 0x00, 0x04,
            0x2a, 0x24, 0xfa, 0xff,
        ],
    );
    // Price, Get Current Price (client to server 0x00): command options 0x01.
    input += &se_hex_line(0x0700, &[0x01, 0x03, 0x00, 0x01]);
    let out = smets(
        &["decode", "--format", "ndjson", "-q", "-"],
        Some(input.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = ndjson(&out);
    assert_eq!(records.len(), 3);
    let zcl = &records[1]["zcl"];
    assert_eq!(zcl["cluster_name"], "metering");
    assert_eq!(zcl["command_name"], "report_attributes");
    assert_eq!(zcl["direction"], "to_client");
    let a = &zcl["attributes"];
    assert_eq!(a[0]["id"], "0x0000");
    assert_eq!(a[0]["name"], "CurrentSummationDelivered");
    assert_eq!(a[0]["type"], "uint48");
    assert_eq!(a[0]["value"], 12_345_678);
    assert_eq!(a[0]["scaled"], 12_345.678);
    assert_eq!(a[0]["unit"], "kWh");
    assert_eq!(a[1]["name"], "InstantaneousDemand");
    assert_eq!(a[1]["value"], -1500);
    assert_eq!(a[1]["scaled"], -1.5);
    assert_eq!(a[1]["unit"], "kW");
    let first = &records[0]["zcl"]["attributes"];
    assert_eq!(first[0]["name"], "UnitofMeasure");
    assert_eq!(first[0]["value_name"], "kwh_binary");
    let price = &records[2]["zcl"];
    assert_eq!(price["cluster_name"], "price");
    assert_eq!(price["command_name"], "get_current_price");
    assert_eq!(price["fields"]["command_options"], 1);
    // The same frames as text: the readings with their units.
    let out = smets(&["decode", "-q", "-"], Some(input.as_bytes()));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("CurrentSummationDelivered: 12345.678 kWh (0x0000 uint48, raw 12345678)"),
        "{text}"
    );
    assert!(text.contains("InstantaneousDemand: -1.500 kW"), "{text}");
    assert!(text.contains("cluster_name: price"), "{text}");
}
