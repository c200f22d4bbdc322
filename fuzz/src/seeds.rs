//! Writes the seed corpora of the fuzz targets into the directory given as
//! the only argument, as `<dir>/<target>/<hash of the content>`.
//!
//! Seeds come from the public vectors (`$SMETS_VECTORS`, else
//! `../../shared/vectors` relative to this crate): the frames of
//! `zigbee/frames.jsonl` and of the capture files, and the inner-layer bytes
//! the `Dissector` finds in them with the vectors' keys. Nothing of the
//! vectors is committed; a few synthetic seeds (install codes, reassembly,
//! GBCS messages sealed with the fuzz keys) are built here. GBCS messages
//! are also sealed again with the fuzz keys (`smets_fuzz::gbcs_keys`), their
//! encrypted parts re-encrypted from the vectors' plaintext, so that the
//! verification target starts from valid MACs and signatures. Without the
//! vectors this writes only those, with a notice, unless `CI=true`, where it
//! fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use p256::elliptic_curve::sec1::ToSec1Point;
use smets_core::{Decode, Encode, Eui64};
use smets_dlms::apdu::XdlmsApdu;
use smets_gbcs::envelope::{GbcsMessage, GeneralSigning, GroupingHeader};
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::{Form, SecurityContext, SignWith};
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

/// The General-Signing form a message was sent in, and whether it carries a
/// signature: how to seal it again.
fn form_of(msg: &GbcsMessage<'_>) -> Option<(Form, SignWith)> {
    let s = msg.signing()?;
    let form = match (msg, s.signature) {
        (GbcsMessage::MacHeader(_), _) => Form::MacHeader,
        (_, None) => Form::PreCommand,
        _ => Form::Signed,
    };
    let sign = if s.signature.is_some_and(|g| !g.is_empty()) {
        SignWith::Originator
    } else {
        SignWith::Nothing
    };
    Some((form, sign))
}

/// Seeds of one GBCS message: its bytes; for `gbcs_verify`, the message
/// sealed again with the fuzz keys (MAC and signature valid under them),
/// its encrypted parts (`blocks`: offset in the content and plaintext)
/// encrypted again with the fuzz keys; for `gbcs_seal_roundtrip`, its
/// header and content as that target reads them. Returns whether it could
/// be sealed.
fn gbcs_message(
    seeds: &mut Seeds,
    ctx: &mut GbcsContext,
    bytes: &[u8],
    blocks: &[(usize, Vec<u8>)],
) -> bool {
    seeds.add("gbcs_envelope", bytes.to_vec());
    seeds.add("gbcs_verify", bytes.to_vec());
    seeds.add("cli_gbcs_text", text_line(bytes));
    if bytes.first() == Some(&0xDD) {
        // The DLMS general-ciphering APDU the MAC-header form is.
        seeds.add("dlms_xdlms", bytes.to_vec());
    }
    let Ok(msg) = GbcsMessage::decode(bytes) else {
        return false;
    };
    if let Some(s) = msg.signing() {
        payload_seeds(seeds, &s.header, s.content, blocks);
    }
    let (Some(s), Some((form, sign))) = (msg.signing(), form_of(&msg)) else {
        return false;
    };
    let mut content = s.content.to_vec();
    for (offset, plaintext) in blocks {
        let mut part = Vec::new();
        if ctx.encrypt_part(&s.header, plaintext, &mut part).is_err() {
            return false;
        }
        let Some(dst) = content.get_mut(*offset..offset + part.len()) else {
            return false;
        };
        dst.copy_from_slice(&part);
    }
    let signing = GeneralSigning {
        content: &content,
        ..*s
    };
    if let Some(input) = smets_fuzz::seal_input(&s.header, &content) {
        seeds.add("gbcs_seal_roundtrip", input);
    }
    match ctx.seal(&signing, form, sign) {
        Ok(sealed) => {
            seeds.add("gbcs_verify", sealed);
            true
        }
        Err(_) => false,
    }
}

/// A GBCS message as a line of `smets decode`'s GBCS text input: hex, or
/// GFI-framed for every message whose length is odd.
fn text_line(bytes: &[u8]) -> Vec<u8> {
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    if bytes.len() % 2 == 1 {
        format!("GBCS:DATA#0:{}:{hex}\r\n", bytes.len()).into_bytes()
    } else {
        format!("{hex}\n").into_bytes()
    }
}

/// Seeds of a GBCS content for the payload targets: the content after its
/// CRA selector (`gbcs_protected`), the xDLMS APDU (`dlms_apdu`,
/// `dlms_xdlms`), each A-XDR
/// Data element of the APDU and each decrypted part's plaintext
/// (`dlms_axdr`); a DER content after its message code and CRA flag
/// (`gbcs_der`); a GBZ content (`gbcs_gbz`); every content for its typed
/// reading (`gbcs_usecase`).
fn payload_seeds(
    seeds: &mut Seeds,
    header: &GroupingHeader<'_>,
    content: &[u8],
    blocks: &[(usize, Vec<u8>)],
) {
    let cra = header.transaction_id.cra_flag;
    // The typed reading: code, CRA flag, plaintext length, payload, plaintext.
    let code = header.other_information.message_code.to_be_bytes();
    let mut typed = vec![code[0], code[1], cra.value(), 0];
    typed.extend_from_slice(content);
    seeds.add("gbcs_usecase", typed.clone());
    if let Some((_, plaintext)) = blocks.first()
        && let Ok(n) = u8::try_from(plaintext.len())
    {
        typed[3] = n;
        typed.extend_from_slice(plaintext);
        seeds.add("gbcs_usecase", typed);
    }
    let mut selected = vec![cra.value().wrapping_sub(1)];
    selected.extend_from_slice(content);
    seeds.add("gbcs_protected", selected);
    if !matches!(content.first(), Some(0xD9 | 0xDA | 0x0F | 0x01)) {
        // DER: the message code and CRA flag choose the type.
        let mut der = header.other_information.message_code.to_be_bytes().to_vec();
        der.push(cra.value());
        der.extend_from_slice(content);
        seeds.add("gbcs_der", der);
        return;
    }
    if content.first() == Some(&0x01) {
        seeds.add("gbcs_gbz", content.to_vec());
        return;
    }
    seeds.add("dlms_apdu", content.to_vec());
    seeds.add("dlms_xdlms", content.to_vec());
    let elements = match XdlmsApdu::decode(content) {
        Ok(XdlmsApdu::AccessRequest(r)) => Some(r.data),
        Ok(XdlmsApdu::AccessResponse(r)) => Some(r.data),
        Ok(XdlmsApdu::DataNotification(n)) => n.body.elements(),
        Err(_) => None,
    };
    if let Some(mut e) = elements {
        while let Some((offset, len, _)) = e.next_with_span() {
            if let Some(b) = content.get(offset..offset + len) {
                seeds.add("dlms_axdr", b.to_vec());
            }
        }
    }
    for (_, plaintext) in blocks {
        seeds.add("dlms_axdr", plaintext.clone());
    }
}

type GbcsContext = SecurityContext<&'static MemoryKeyStore>;

/// GBCS seeds that need no vectors: messages sealed with the fuzz keys
/// (a command, its response with an encrypted part, an alert), and the
/// encodings of the fuzz keys for `gbcs_keys`.
fn gbcs_synthetic(seeds: &mut Seeds, ctx: &mut GbcsContext) -> Result<(), String> {
    use p256::pkcs8::der::pem::LineEnding;
    use p256::pkcs8::{EncodePrivateKey, EncodePublicKey};
    use smets_gbcs::envelope::{
        CraFlag, GroupingHeader, LengthForm, OtherInformation, Supplementary, TransactionId,
    };

    let supplier = Eui64(0x90B3_D51F_3001_0000);
    let esme = Eui64(0x00DB_1234_5678_90A0);
    let gsme = Eui64(0x00DB_1234_5678_90A1);
    let header = |cra, originator, recipient, code, supplementary| GroupingHeader {
        transaction_id: TransactionId {
            cra_flag: cra,
            originator_counter: 0x0102_0304_0506_0708,
        },
        originator,
        recipient,
        date_time: Some([0x07, 0xEA, 11, 30, 1, 0, 0, 0, 0, 0x80, 0, 0xFF]),
        other_information: OtherInformation {
            length_form: LengthForm(0),
            message_code: code,
            supplementary,
        },
    };
    let command = header(
        CraFlag::Command,
        supplier,
        esme,
        0x0060,
        Supplementary::None,
    );
    let response = SecurityContext::<&MemoryKeyStore>::response_header(&command, None);
    let alert = header(
        CraFlag::Alert,
        gsme,
        supplier,
        0x8F1C,
        Supplementary::RemoteParty {
            id: Eui64(0x90B3_D51F_3002_0000),
        },
    );
    // A DLMS get-request; a response whose attribute is a protected part.
    let request = [
        0xC0, 0x01, 0x41, 0x00, 0x08, 0, 0, 1, 0, 0, 0xFF, 0x02, 0x00,
    ];
    let mut answer = vec![0xC4, 0x01, 0x41, 0x00];
    ctx.encrypt_part(&response, b"\x09\x0c\x07\xea\x0b\x1e", &mut answer)
        .map_err(|e| e.to_string())?;
    for (h, content) in [
        (command, &request[..]),
        (response, &answer[..]),
        (alert, &b"\x0f\x00\x00\x00\x01\x00"[..]),
    ] {
        let signing = GeneralSigning {
            header: h,
            content_length_form: LengthForm::minimal(content.len()),
            content,
            signature: Some(&[]),
        };
        for (form, sign) in [
            (Form::MacHeader, SignWith::Originator),
            (Form::MacHeader, SignWith::Nothing),
            (Form::Signed, SignWith::Originator),
            (Form::PreCommand, SignWith::Nothing),
        ] {
            if let Ok(b) = ctx.seal(&signing, form, sign) {
                seeds.add("gbcs_verify", b.clone());
                seeds.add("gbcs_envelope", b);
            }
        }
        if let Some(input) = smets_fuzz::seal_input(&h, content) {
            seeds.add("gbcs_seal_roundtrip", input);
        }
    }

    for r in smets_fuzz::gbcs_key_refs().take(4) {
        let k = smets_fuzz::gbcs_private_key(&r);
        let sk = k.as_p256();
        let pk = sk.public_key();
        let err = |e: &dyn std::fmt::Display| format!("fuzz key {r}: {e}");
        let scalar = hex::encode(*k.to_scalar());
        for b in [
            sk.to_pkcs8_der().map_err(|e| err(&e))?.as_bytes().to_vec(),
            sk.to_pkcs8_pem(LineEnding::LF)
                .map_err(|e| err(&e))?
                .as_bytes()
                .to_vec(),
            sk.to_sec1_der().map_err(|e| err(&e))?.to_vec(),
            sk.to_sec1_pem(LineEnding::CRLF)
                .map_err(|e| err(&e))?
                .as_bytes()
                .to_vec(),
            scalar.clone().into_bytes(),
            scalar
                .as_bytes()
                .chunks(2)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(":")
                .into_bytes(),
            pk.to_public_key_der()
                .map_err(|e| err(&e))?
                .as_bytes()
                .to_vec(),
            pk.to_public_key_pem(LineEnding::LF)
                .map_err(|e| err(&e))?
                .into_bytes(),
            hex::encode(k.public_key().to_sec1()).into_bytes(),
            hex::encode(&k.public_key().to_sec1()[1..]).into_bytes(),
            hex::encode(pk.to_sec1_point(true).as_bytes()).into_bytes(),
        ] {
            seeds.add("gbcs_keys", b);
        }
    }
    Ok(())
}

/// GBCS seeds from the vectors: every message of the RTDS set and the
/// other sources (`gbcs_message`), and the certificates of keys.json, PEM
/// and DER, for `gbcs_keys`. Returns (messages, sealed, certificates).
fn gbcs_vectors(
    seeds: &mut Seeds,
    ctx: &mut GbcsContext,
    dir: &Path,
) -> Result<(usize, usize, usize), String> {
    let (mut messages, mut sealed) = (0, 0);
    for file in ["rtds-4.5.0.jsonl", "other-sources.jsonl"] {
        let path = dir.join(file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let r: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", path.display()))?;
            let Some(bytes) = r["hex"].as_str().and_then(|h| hex::decode(h).ok()) else {
                continue;
            };
            let blocks: Vec<(usize, Vec<u8>)> = r["independent_check"]["encrypted_blocks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| {
                    let off = usize::try_from(b["offset_in_content"].as_u64()?).ok()?;
                    let plain = hex::decode(b["plaintext"].as_str()?).ok()?;
                    Some((off, plain))
                })
                .collect();
            messages += 1;
            if gbcs_message(seeds, ctx, &bytes, &blocks) {
                sealed += 1;
            }
        }
    }
    let path = dir.join("keys.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let keys: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut certificates = 0;
    for k in keys["keys"].as_array().into_iter().flatten() {
        if let Some(pem) = k["certificate_pem"].as_str() {
            seeds.add("gbcs_keys", pem.as_bytes().to_vec());
            if let Ok((_, der)) = p256::pkcs8::der::pem::decode_vec(pem.as_bytes()) {
                seeds.add("gbcs_keys", der);
            }
            certificates += 1;
        }
    }
    Ok((messages, sealed, certificates))
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
    // GBCS: the envelope, verification, sealing and key targets.
    let mut ctx = SecurityContext::new(smets_fuzz::gbcs_keys()).with_acb(smets_fuzz::GBCS_ACB);
    if let Err(e) = gbcs_synthetic(&mut seeds, &mut ctx) {
        eprintln!("seeds: GBCS: {e}");
        return ExitCode::FAILURE;
    }
    let gbcs_dir = vectors_dir().join("gbcs");
    if gbcs_dir.is_dir() {
        match gbcs_vectors(&mut seeds, &mut ctx, &gbcs_dir) {
            Ok((messages, sealed, certificates)) => eprintln!(
                "seeds: {messages} GBCS messages ({sealed} sealed again with the fuzz keys), \
                 {certificates} certificates"
            ),
            Err(e) => {
                eprintln!("seeds: {e}");
                return ExitCode::FAILURE;
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
