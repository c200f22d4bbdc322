//! Messages this crate builds and signs, checked by an independent
//! implementation: the `openssl` command (OpenSSL 3) derives Z by ECDH,
//! the key by SSKDF (the SP 800-56A concatenation KDF), computes the GMAC,
//! and verifies the ECDSA signature, following the rules as the GBCS digest
//! writes them (OtherInfo, IV, AAD, signed bytes are assembled here by hand,
//! not by the crate).
//!
//! Needs `openssl` on the PATH and the vectors; both are required when
//! `CI=true`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

mod common;
use common::vectors_dir;

use std::path::{Path, PathBuf};
use std::process::Command;

use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::Value;
use smets_core::{Decode, Eui64};
use smets_gbcs::crypto::RustCrypto;
use smets_gbcs::envelope::{GbcsMessage, GeneralSigning, LengthForm};
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::{Form, SecurityContext, SignWith};
use smets_gbcs::{KeyRef, KeyStore, PrivateKey};

const ACB: Eui64 = Eui64(0x90B3_D51F_3000_0002);

fn required() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn openssl_available() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok || !required(), "openssl is required when CI=true");
    if !ok {
        eprintln!("skipping: no openssl");
    }
    ok
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_owned()
}

/// `r‖s` as a DER ECDSA-Sig-Value, for openssl.
fn der_signature(raw: &[u8]) -> Vec<u8> {
    let int = |x: &[u8]| {
        let mut v: Vec<u8> = x.iter().copied().skip_while(|&b| b == 0).collect();
        if v.first().is_none_or(|&b| b & 0x80 != 0) {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(v.len()).unwrap()];
        out.extend(v);
        out
    };
    let body = [int(&raw[..32]), int(&raw[32..])].concat();
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

/// The GBCS checks of one sealed message, by openssl.
struct Independent<'k> {
    dir: PathBuf,
    keys: &'k MemoryKeyStore,
}

impl Independent<'_> {
    fn private_pem(&self, r: KeyRef) -> String {
        let k = self.keys.private_key(&r).unwrap();
        let pem = k.as_p256().to_pkcs8_pem(LineEnding::LF).unwrap();
        write(
            &self.dir,
            &format!("{r}.key.pem").replace(':', "_"),
            pem.as_bytes(),
        )
    }

    fn public_pem(&self, r: KeyRef) -> String {
        let k = self.keys.public_key(&r).unwrap();
        let pem = k.as_p256().to_public_key_pem(LineEnding::LF).unwrap();
        write(
            &self.dir,
            &format!("{r}.pub.pem").replace(':', "_"),
            pem.as_bytes(),
        )
    }

    /// Z between `ours` (private) and `theirs` (public), by openssl.
    fn ecdh(&self, ours: Eui64, theirs: Eui64) -> Vec<u8> {
        let k = self.private_pem(KeyRef::ka(ours));
        let p = self.public_pem(KeyRef::ka(theirs));
        openssl(&["pkeyutl", "-derive", "-inkey", &k, "-peerkey", &p])
    }

    /// The MAC of a `DD 00` message, recomputed by openssl from the
    /// digest's rules: Z, OtherInfo, SSKDF, IV, AAD, GMAC.
    fn mac(&self, msg: &[u8], ours: Eui64, theirs: Eui64) -> Vec<u8> {
        let z = self.ecdh(ours, theirs);
        let apdu = apdu_of(msg);
        let (cra, counter) = (apdu[2], &apdu[3..11]);
        let (originator, recipient) = (&apdu[12..20], &apdu[21..29]);
        let mut oi = vec![0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00];
        oi.extend_from_slice(originator);
        oi.extend_from_slice(&[0x09, cra]);
        oi.extend_from_slice(counter);
        oi.extend_from_slice(recipient);
        let key = String::from_utf8(openssl(&[
            "kdf",
            "-keylen",
            "16",
            "-kdfopt",
            "digest:SHA256",
            "-kdfopt",
            &format!("hexkey:{}", hex::encode(&z)),
            "-kdfopt",
            &format!("hexinfo:{}", hex::encode(&oi)),
            "SSKDF",
        ]))
        .unwrap()
        .trim()
        .replace(':', "");
        let mut aad = vec![0x11, 0, 0, 0, 0, 0];
        aad.extend_from_slice(apdu);
        let aad_path = write(&self.dir, "aad.bin", &aad);
        let iv = format!("{}00000000", hex::encode(originator));
        let tag = String::from_utf8(openssl(&[
            "mac",
            "-cipher",
            "AES-128-GCM",
            "-macopt",
            &format!("hexkey:{key}"),
            "-macopt",
            &format!("hexiv:{iv}"),
            "-in",
            &aad_path,
            "GMAC",
        ]))
        .unwrap();
        hex::decode(tag.trim()).unwrap()[..12].to_vec()
    }

    /// Verifies the signature of a General-Signing APDU (`DF` ... `40` ‖
    /// signature) by `signer`'s DS key.
    fn signature_ok(&self, apdu: &[u8], signer: Eui64) -> bool {
        let (body, sig) = apdu.split_at(apdu.len() - 64);
        assert_eq!(body[body.len() - 1], 0x40);
        let signed = &body[1..body.len() - 1];
        let data = write(&self.dir, "signed.bin", signed);
        let sig = write(&self.dir, "sig.der", &der_signature(sig));
        let public = self.public_pem(KeyRef::ds(signer));
        let out = Command::new("openssl")
            .args([
                "dgst",
                "-sha256",
                "-verify",
                &public,
                "-signature",
                &sig,
                &data,
            ])
            .output()
            .unwrap();
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verified OK")
    }
}

/// The General-Signing APDU of a `DD 00` message: after DD, six empty
/// fields, the BER ciphered length and the 5-byte security header.
fn apdu_of(msg: &[u8]) -> &[u8] {
    let len_bytes = match msg[7] {
        0x81 => 2,
        0x82 => 3,
        b => {
            assert!(b < 0x80);
            1
        }
    };
    &msg[7 + len_bytes + 5..msg.len() - 12]
}

/// RTDS critical commands re-signed by their originator and MACed for the
/// ACB, and a device's responses (stand-in device keys) in both forms:
/// openssl agrees with every MAC and signature.
#[test]
fn sealed_messages_verify_with_openssl() {
    let Some(dir) = vectors_dir() else { return };
    if !openssl_available() {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("smets-openssl-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let keys = common::key_store("rtds:").unwrap();
    let esme = Eui64(0x00DB_1234_5678_90A0);
    // Stand-ins for the ESME's private keys, which RTDS does not publish.
    let mut device = MemoryKeyStore::new();
    let dev_ka = PrivateKey::from_scalar(&[0x5A; 32]).unwrap();
    let dev_ds = PrivateKey::from_scalar(&[0xA5; 32]).unwrap();
    device.insert_private(KeyRef::ka(esme), dev_ka).unwrap();
    device.insert_private(KeyRef::ds(esme), dev_ds).unwrap();

    let text = std::fs::read_to_string(dir.join("gbcs/rtds-4.5.0.jsonl")).unwrap();
    let mut ctx = SecurityContext::with_provider(&keys, RustCrypto).with_acb(ACB);
    let mut sealed = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).unwrap();
        let bytes = hex::decode(rec["hex"].as_str().unwrap()).unwrap();
        let Ok(GbcsMessage::MacHeader(m)) = GbcsMessage::decode(&bytes) else {
            continue;
        };
        let s = m.signing;
        let signer = s.header.originator;
        if s.signature.is_none_or(<[u8]>::is_empty)
            || s.header.recipient != esme
            || s.content.len() > 60
            || keys.private_key(&KeyRef::ds(signer)).is_none()
        {
            continue;
        }
        let out = ctx.seal(&s, Form::MacHeader, SignWith::Originator).unwrap();
        sealed.push((rec["id"].as_str().unwrap().to_owned(), out, signer));
        if sealed.len() == 12 {
            break;
        }
    }
    assert_eq!(sealed.len(), 12, "short critical ESME commands in RTDS");
    let check = Independent {
        dir: tmp.clone(),
        keys: &keys,
    };
    for (id, msg, signer) in &sealed {
        assert_eq!(check.mac(msg, ACB, esme), msg[msg.len() - 12..], "{id}");
        assert!(check.signature_ok(apdu_of(msg), *signer), "{id}");
        // A flipped counter bit: openssl refuses the signature too.
        let mut bad = apdu_of(msg).to_vec();
        bad[10] ^= 1;
        assert!(!check.signature_ok(&bad, *signer), "{id}");
    }

    // The ESME answers the first: response header, GBZ-free DLMS stub
    // content; MACed (non-critical form) and signed (critical form).
    let first = GbcsMessage::decode(&sealed[0].1).unwrap();
    let cmd = first.signing().unwrap();
    let supplier = cmd.header.originator;
    device
        .insert_public(
            KeyRef::ka(supplier),
            keys.public_key(&KeyRef::ka(supplier)).unwrap().clone(),
        )
        .unwrap();
    let mut dctx = SecurityContext::with_provider(&device, RustCrypto);
    let header = SecurityContext::<&MemoryKeyStore, RustCrypto>::response_header(
        &cmd.header,
        Some([0x07, 0xEA, 11, 30, 1, 2, 3, 4, 0, 0x80, 0, 0xFF]),
    );
    let content = [0xDA, 0x20, 0, 0, 0x03, 0xE8, 0, 1, 1, 0, 1, 0];
    let signing = GeneralSigning {
        header,
        content_length_form: LengthForm::minimal(content.len()),
        content: &content,
        signature: None,
    };
    let maced = dctx
        .seal(&signing, Form::MacHeader, SignWith::Nothing)
        .unwrap();
    let signed = dctx
        .seal(&signing, Form::Signed, SignWith::Originator)
        .unwrap();
    let check = Independent {
        dir: tmp.clone(),
        keys: &device,
    };
    // The response's MAC key is agreed from the device's side here.
    assert_eq!(check.mac(&maced, esme, supplier), maced[maced.len() - 12..]);
    assert!(check.signature_ok(&signed, esme));
    std::fs::remove_dir_all(&tmp).ok();
}
