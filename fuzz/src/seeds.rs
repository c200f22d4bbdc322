//! Writes the seed corpora of the fuzz targets into the directory given as
//! the only argument, as `<dir>/<target>/<hash of the content>`.
//!
//! Seeds come from the public vectors (`$SMETS_VECTORS`, else
//! `../../shared/vectors` relative to this crate): the frames of
//! `zigbee/frames.jsonl` and of the capture files, and the inner-layer bytes
//! the `Dissector` finds in them with the vectors' keys. Nothing of the
//! vectors is committed; a few synthetic seeds (install codes, reassembly)
//! are built here. Without the vectors this writes only those, with a notice,
//! unless `CI=true`, where it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smets_core::Encode;
use smets_zigbee::aps::ApsCommand;
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::{InstallCode, Key128};

/// Frames per dissector seed taken from a capture: enough for a key to be
/// learned and used, or for a fragmented message to complete.
const FRAMES_PER_DISSECTOR_SEED: usize = 8;

/// Seeds per target, keyed by content so that duplicates collapse.
#[derive(Default)]
struct Seeds(BTreeMap<&'static str, BTreeMap<u64, Vec<u8>>>);

impl Seeds {
    fn add(&mut self, target: &'static str, bytes: Vec<u8>) {
        self.0
            .entry(target)
            .or_default()
            .insert(fnv1a(&bytes), bytes);
    }

    fn add_both(&mut self, target: &'static str, bytes: &[u8]) {
        self.add(target, bytes.to_vec());
        let roundtrip = match target {
            "zigbee_mac" => "zigbee_mac_roundtrip",
            "zigbee_nwk" => "zigbee_nwk_roundtrip",
            "zigbee_nwk_command" => "zigbee_nwk_command_roundtrip",
            "zigbee_aps" => "zigbee_aps_roundtrip",
            "zigbee_aps_command" => "zigbee_aps_command_roundtrip",
            "zigbee_zdp" => "zigbee_zdp_roundtrip",
            "zigbee_zcl" => "zigbee_zcl_roundtrip",
            "zigbee_beacon" | "zigbee_nwk_beacon" => "zigbee_beacon_roundtrip",
            _ => return,
        };
        self.add(roundtrip, bytes.to_vec());
    }

    fn write(&self, dir: &Path) -> std::io::Result<usize> {
        let mut n = 0;
        for (target, seeds) in &self.0 {
            let d = dir.join(target);
            std::fs::create_dir_all(&d)?;
            for (hash, bytes) in seeds {
                std::fs::write(d.join(format!("{hash:016x}")), bytes)?;
                n += 1;
            }
        }
        Ok(n)
    }
}

/// FNV-1a, 64 bits: a stable name for a seed's content.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn selector(fcs: FcsMode) -> u8 {
    match fcs {
        FcsMode::Present => 1,
        FcsMode::Absent => 0,
    }
}

/// Dissects `frame` and records the bytes of every layer found in it.
fn harvest(seeds: &mut Seeds, d: &mut Dissector, frame: &[u8], fcs: FcsMode) {
    let mut mac_input = vec![selector(fcs)];
    mac_input.extend_from_slice(frame);
    seeds.add_both("zigbee_mac", &mac_input);

    let x = d.dissect(frame, fcs);
    let Some(mac) = x.mac else { return };
    if mac.security.is_some() {
        seeds.add("zigbee_mac_security", mac_input);
    }
    if let Some(b) = x.beacon {
        seeds.add_both("zigbee_beacon", mac.payload);
        if !b.payload.is_empty() {
            seeds.add_both("zigbee_nwk_beacon", b.payload);
        }
    }
    if x.mac_command.is_some() {
        seeds.add("zigbee_mac_command", mac.payload.to_vec());
    }
    let Some(nwk) = x.nwk else { return };
    seeds.add_both("zigbee_nwk", mac.payload);
    if let (Some(aux), Some(at)) = (nwk.security, nwk.aux_offset())
        && let Some(bytes) = mac.payload.get(at..at + aux.encoded_len())
    {
        seeds.add("zigbee_security_aux", bytes.to_vec());
    }
    let Some(plain) = x.nwk_plaintext else { return };
    if let Some(s) = &x.nwk_security {
        // A CCM* seed: level 5, the network key tried first, the NWK header
        // as authenticated data, the plaintext as payload.
        let header = mac.payload.get(..nwk.header_len()).unwrap_or_default();
        if let Ok(aad_len) = u8::try_from(header.len()) {
            let mut ccm = vec![5];
            ccm.extend_from_slice(&smets_fuzz::NETWORK_KEYS[0]);
            ccm.extend_from_slice(&s.header.nonce(
                s.source.unwrap_or(smets_core::Eui64::from_le_bytes([0; 8])),
                s.level,
            ));
            ccm.push(aad_len);
            ccm.extend_from_slice(header);
            ccm.extend_from_slice(&[0, 0]);
            ccm.extend_from_slice(plain);
            seeds.add("zigbee_ccm_roundtrip", ccm);
        }
    }
    if x.nwk_command.is_some() {
        seeds.add_both("zigbee_nwk_command", plain);
    }
    if x.aps.is_some() {
        seeds.add_both("zigbee_aps", plain);
    }
    for aps in [&x.aps, &x.tunnelled].into_iter().flatten() {
        if let Some(aux) = aps.frame.security
            && let Ok(b) = aux.to_vec()
        {
            seeds.add("zigbee_security_aux", b);
        }
        if let (Some(c), Some(p)) = (&aps.command, aps.plaintext) {
            seeds.add_both("zigbee_aps_command", p);
            if let ApsCommand::Tunnel { frame, .. } = c {
                seeds.add_both("zigbee_aps", frame);
            }
        }
    }
    let payload = x
        .reassembled
        .or_else(|| x.aps.as_ref().and_then(|a| a.plaintext));
    if let Some(p) = payload {
        if let (Some(z), Some(cluster)) = (x.zdp, x.aps.as_ref().and_then(|a| a.frame.cluster)) {
            debug_assert_eq!(z.cluster().value(), cluster);
            let mut b = cluster.to_le_bytes().to_vec();
            b.extend_from_slice(p);
            seeds.add_both("zigbee_zdp", &b);
        }
        if x.zcl.is_some() {
            seeds.add_both("zigbee_zcl", p);
            let cluster = x.aps.as_ref().and_then(|a| a.frame.cluster);
            let pick = cluster.and_then(|c| {
                smets_zigbee::zcl::cluster::CLUSTERS
                    .iter()
                    .position(|k| k.id == c)
            });
            if let Some(i) = pick.and_then(|i| u8::try_from(i).ok()) {
                let mut b = vec![i];
                b.extend_from_slice(p);
                seeds.add("zigbee_zcl_cluster", b);
            }
        }
    }
}

fn hex_key(text: &str) -> Option<Key128> {
    Key128::from_hex(text.get(..32)?)
}

/// Every frame of frames.jsonl, alone, through a dissector that also holds the
/// keys the record names; inner-layer records go to their layer's targets.
fn from_frames_jsonl(seeds: &mut Seeds, path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(bytes) = r["hex"].as_str().and_then(|h| hex::decode(h).ok()) else {
            continue;
        };
        count += 1;
        match r["starts_at"].as_str() {
            Some("zigbee_aps") => seeds.add_both("zigbee_aps", &bytes),
            Some("zigbee_aps_command_payload") => seeds.add_both("zigbee_aps_command", &bytes),
            Some("zigbee_nwk_command_payload") => seeds.add_both("zigbee_nwk_command", &bytes),
            Some("zigbee_nwk") => seeds.add_both("zigbee_nwk", &bytes),
            Some("ieee802154_aux_security_header") => {
                seeds.add("zigbee_security_aux", bytes);
            }
            Some("zep_v2_udp_payload") => {}
            _ => {
                let mut keys = smets_fuzz::key_ring();
                let k = &r["keys"];
                for n in k["network_keys"].as_array().into_iter().flatten() {
                    if let Some(key) = n.as_str().and_then(hex_key) {
                        keys.add_network_key(key, None, KeySource::Configured);
                    }
                }
                for n in k["link_keys"].as_array().into_iter().flatten() {
                    if let Some(key) = n.as_str().and_then(hex_key) {
                        keys.add_link_key(key, None, KeySource::Configured);
                    }
                }
                let modes: &[FcsMode] = match &r["fcs_present"] {
                    serde_json::Value::Bool(false) => &[FcsMode::Absent],
                    serde_json::Value::Null => &[FcsMode::Absent, FcsMode::Present],
                    _ => &[FcsMode::Present],
                };
                for &fcs in modes {
                    let mut d = Dissector::new(keys.clone(), DissectorOptions::default());
                    harvest(seeds, &mut d, &bytes, fcs);
                    let mut one = Vec::new();
                    if smets_fuzz::push_frame(&mut one, &bytes, fcs).is_some() {
                        seeds.add("zigbee_dissector", one);
                    }
                }
            }
        }
    }
    Ok(count)
}

/// Every capture file: whole for `cli_capture`, its records in order through
/// one dissector (keys learned carry over), and runs of consecutive frames
/// for `zigbee_dissector`.
fn from_captures(seeds: &mut Seeds, dir: &Path) -> Result<usize, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x != "md"))
        .collect();
    entries.sort();
    let mut count = 0;
    for path in entries {
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        from_capture(seeds, &data).map_err(|e| format!("{}: {e}", path.display()))?;
        count += 1;
    }
    Ok(count)
}

/// Seeds from one capture file: the file itself, each frame's layers, and
/// runs of frames for the dissector.
fn from_capture(seeds: &mut Seeds, data: &[u8]) -> Result<(), String> {
    let capture = smets_cli::capture::open(data).map_err(|e| e.to_string())?;
    seeds.add("cli_capture", data.to_vec());
    {
        let mut d = smets_fuzz::dissector();
        let mut run = Vec::new();
        let mut in_run = 0;
        for record in capture.records().flatten() {
            let (frame, fcs) = match record.fcs {
                smets_cli::capture::FcsPresence::Present => (&record.frame[..], FcsMode::Present),
                _ => (record.mac_frame(), FcsMode::Absent),
            };
            harvest(seeds, &mut d, frame, fcs);
            if smets_fuzz::push_frame(&mut run, frame, fcs).is_some() {
                in_run += 1;
            }
            if in_run == FRAMES_PER_DISSECTOR_SEED {
                seeds.add("zigbee_dissector", std::mem::take(&mut run));
                in_run = 0;
            }
        }
        if !run.is_empty() {
            seeds.add("zigbee_dissector", run);
        }
    }
    Ok(())
}

/// Seeds that need no vectors.
fn synthetic(seeds: &mut Seeds) {
    // Every command of every catalogue cluster, with a frame header: the
    // first byte picks the cluster for `zigbee_zcl_cluster`.
    for (i, c) in smets_zigbee::zcl::cluster::CLUSTERS.iter().enumerate() {
        let pick = u8::try_from(i).unwrap_or(u8::MAX);
        for (dir, list) in [(0x00u8, c.received), (0x08, c.generated)] {
            for cmd in list {
                let mut src = (0..=255u8).cycle();
                let payload = smets_zigbee::zcl::cluster::synthesize(cmd.fields, 2, &mut src);
                let mut b = vec![pick, 0x01 | dir, 0x00, cmd.id];
                b.extend_from_slice(&payload);
                seeds.add("zigbee_zcl_cluster", b);
            }
        }
    }
    // GBT blocks of one 150-byte message, 64 bytes a block, behind PUT
    // headers, as the reassembly target reads its input: source, tunnel,
    // length, payload.
    {
        use smets_zigbee::zcl::tunneling::gbt::{GbtBlock, split};
        let message: Vec<u8> = (0..150u8).collect();
        let header = GbtBlock {
            cra_flag: 1,
            originator_counter: 42,
            business_originator: smets_core::Eui64(0x90b3_d51f_3001_0000),
            business_target: smets_core::Eui64(0x0253_4d45_5453_0002),
            date_time: &[],
            message_code: 0x0027,
            other_information: &[],
            key_info: &[],
            security_control: 0,
            invocation_counter: 0,
            block_control: 0,
            block_number: 1,
            block_number_ack: 0,
            data: &[],
        };
        let mut input = Vec::new();
        for b in split(&header, &message, 64) {
            let mut p = vec![0x03];
            p.extend(b.to_vec().unwrap_or_default());
            input.extend([0x00, 0x00, u8::try_from(p.len()).unwrap_or(u8::MAX)]);
            input.extend(p);
        }
        seeds.add("zigbee_gbcs_tunnel_reassembly", input);
        // The typed-decoder target: pick 8 is a GBT block.
        for b in split(&header, &message, 64).take(1) {
            let mut p = vec![8u8];
            p.extend(b.to_vec().unwrap_or_default());
            seeds.add("zigbee_zcl_cluster_typed", p);
        }
    }
    // Certificates of both suites, ephemeral keys, a debt/credit snapshot:
    // the typed decoders take any bytes of the right length.
    for (pick, len) in [(0u8, 48usize), (0, 74), (1, 22), (1, 37), (7, 24)] {
        let mut p = vec![pick];
        p.extend((0..len).map(|i| u8::try_from(i).unwrap_or(0)));
        seeds.add("zigbee_zcl_cluster_typed", p);
    }
    // Metering (index 6 of the catalogue is looked up, not assumed):
    // formatting and a summation in one report.
    if let Some(i) = smets_zigbee::zcl::cluster::CLUSTERS
        .iter()
        .position(|c| c.id == 0x0702)
    {
        let pick = u8::try_from(i).unwrap_or(u8::MAX);
        seeds.add(
            "zigbee_zcl_cluster",
            vec![
                pick, 0x18, 0x01, 0x0a, // report attributes, to the client
                0x00, 0x03, 0x30, 0x00, // UnitofMeasure enum8 kWh
                0x02, 0x03, 0x22, 0xe8, 0x03, 0x00, // Divisor uint24 1000
                0x03, 0x03, 0x18, 0x2b, // SummationFormatting
                0x00, 0x00, 0x25, 0x4e, 0x61, 0xbc, 0x00, 0x00,
                0x00, // CurrentSummationDelivered
            ],
        );
    }
    for code in [[0x55u8; 16], [0x66; 16]] {
        if let Ok(c) = InstallCode::from_code(&code) {
            seeds.add("zigbee_install_code", c.as_bytes().to_vec());
            seeds.add(
                "zigbee_install_code",
                hex::encode(c.as_bytes()).into_bytes(),
            );
        }
    }
    // A message in three blocks, sent last block first, from source 0x1234
    // counter 7: source, counter, fragmentation, block, length, payload.
    let mut r = Vec::new();
    for (frag, block, payload) in [(2u8, 2u8, &b"cc"[..]), (1, 3, b"aa"), (2, 1, b"bb")] {
        r.extend_from_slice(&[0x34, 0x12, 7, frag, block, 2]);
        r.extend_from_slice(payload);
    }
    seeds.add("zigbee_reassembly", r);
}

fn vectors_dir() -> PathBuf {
    std::env::var_os("SMETS_VECTORS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        PathBuf::from,
    )
}

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: seeds <output directory>");
        return ExitCode::FAILURE;
    };
    let mut seeds = Seeds::default();
    synthetic(&mut seeds);
    if let Err(e) = from_capture(&mut seeds, smets_fuzz::HAN_DEMO_CAPTURE) {
        eprintln!("seeds: han-demo.pcapng: {e}");
        return ExitCode::FAILURE;
    }
    // GBCS messages of the public test vectors, for the envelope target.
    for file in ["rtds-4.5.0.jsonl", "other-sources.jsonl"] {
        let path = vectors_dir().join("gbcs").join(file);
        if let Ok(text) = std::fs::read_to_string(&path) {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let bytes = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|r| r["hex"].as_str().and_then(|h| hex::decode(h).ok()));
                if let Some(b) = bytes {
                    seeds.add("gbcs_envelope", b);
                }
            }
        }
    }
    let vectors = vectors_dir().join("zigbee");
    if vectors.is_dir() {
        let r = from_frames_jsonl(&mut seeds, &vectors.join("frames.jsonl"))
            .and_then(|f| Ok((f, from_captures(&mut seeds, &vectors.join("captures"))?)));
        match r {
            Ok((frames, captures)) => {
                eprintln!("seeds: {frames} vector frames, {captures} captures");
            }
            Err(e) => {
                eprintln!("seeds: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else if std::env::var("CI").is_ok_and(|v| v == "true") {
        eprintln!("seeds: no vectors at {}", vectors.display());
        return ExitCode::FAILURE;
    } else {
        eprintln!(
            "seeds: no vectors at {} (set SMETS_VECTORS); writing synthetic seeds only",
            vectors.display()
        );
    }
    match seeds.write(&out) {
        Ok(n) => {
            eprintln!("seeds: wrote {n} files under {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seeds: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
