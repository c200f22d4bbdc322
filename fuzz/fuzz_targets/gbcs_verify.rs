#![no_main]
//! `SecurityContext::verify_command` (and through it `verify_decoded`) over
//! any bytes, with the fuzz key store and the ACB set; the context lives
//! across runs so its shared-secret cache stays warm. Asserts:
//! - nothing panics; a decode error's offset lies inside the input;
//! - plaintext only for a part whose tag checked Valid, and parts of a
//!   message that is not authentic listed unopened; a Valid part's
//!   plaintext is its ciphertext's length;
//! - a signature goes unchecked only after a MAC failed;
//! - a device never accepts a command with an Invalid check, nor one that
//!   nothing authenticated;
//! - a Valid MAC: re-sealing the decoded message in MAC-header form with its
//!   own signature gives the input (the ciphered-service length written
//!   minimally); a Valid signature: re-sealing in the message's form gives
//!   the input;
//! - a Valid MAC (else a Valid signature) does not survive one bit flip,
//!   the bit chosen by the input's closing bytes (one extra verification).

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use smets_core::{Decode, Encode};
use smets_gbcs::envelope::{GbcsMessage, LengthForm, MacHeaderMessage};
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::{Check, Form, SealError, SecurityContext, SignWith};

thread_local! {
    static CTX: RefCell<SecurityContext<&'static MemoryKeyStore>> = RefCell::new(
        SecurityContext::new(smets_fuzz::gbcs_keys()).with_acb(smets_fuzz::GBCS_ACB),
    );
}

/// A bit of `data` picked by its last 8 bytes (for an authenticated
/// message, the end of its MAC or signature).
fn flip_bit(data: &[u8]) -> Vec<u8> {
    let seed = data
        .iter()
        .rev()
        .take(8)
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let bits = (data.len() as u64) * 8;
    let bit = usize::try_from(seed % bits).unwrap_or(0);
    let mut out = data.to_vec();
    if let Some(b) = out.get_mut(bit / 8) {
        *b ^= 1 << (bit % 8);
    }
    out
}

fn check(ctx: &mut SecurityContext<&'static MemoryKeyStore>, data: &[u8]) {
    let msg = match GbcsMessage::decode(data) {
        Ok(m) => m,
        Err(e) => {
            assert!(
                e.offset <= data.len(),
                "offset {} past {}",
                e.offset,
                data.len()
            );
            return;
        }
    };
    let device = match &msg {
        GbcsMessage::MacHeader(m) => m.signing.header.recipient,
        GbcsMessage::Signed(s) => s.header.recipient,
        GbcsMessage::Block(b) => b.recipient,
    };
    let verdict = ctx.verify_command(data, &msg, device, None);
    let v = &verdict.verification;

    for p in &v.decrypted {
        if p.check != Check::Valid {
            assert!(p.plaintext.is_empty(), "{p:?}");
        } else {
            assert_eq!(p.plaintext.len() + 5 + 12, p.ciphered_len, "{p:?}");
        }
    }
    if !v.is_authentic() {
        // Parts of a message that is not authentic are listed unopened.
        assert!(
            v.decrypted
                .iter()
                .all(|p| p.check == Check::NotChecked && p.plaintext.is_empty()),
            "{v:?}"
        );
    }
    if v.signature == Check::NotChecked {
        assert_eq!(v.mac, Check::Invalid, "{v:?}");
    }
    if verdict.outcome.is_ok() {
        assert!(!v.is_forged(), "{v:?}");
        assert!(v.is_authentic(), "{v:?}");
    }

    let s = msg.signing();
    if v.mac == Check::Valid {
        let (GbcsMessage::MacHeader(m), Some(s)) = (&msg, s) else {
            panic!("a Valid MAC on a message without one: {msg:?}");
        };
        let sealed = ctx
            .seal(s, Form::MacHeader, SignWith::Given)
            .expect("a MAC-valid message seals again");
        let minimal = GbcsMessage::MacHeader(MacHeaderMessage {
            ciphered_length_form: LengthForm::minimal(m.ciphered_len()),
            ..*m
        });
        let expected = minimal.to_vec().expect("a decoded message encodes");
        assert_eq!(hex::encode(&sealed), hex::encode(&expected));
        if m.ciphered_length_form == LengthForm::minimal(m.ciphered_len()) {
            assert_eq!(sealed, data);
        }
    }
    if v.signature == Check::Valid {
        let s = s.expect("a Valid signature on a message without one");
        let form = match &msg {
            GbcsMessage::MacHeader(_) => Form::MacHeader,
            _ => Form::Signed,
        };
        match ctx.seal(s, form, SignWith::Given) {
            Ok(sealed) if form == Form::Signed => assert_eq!(sealed, data),
            Ok(_) => assert_eq!(v.mac, Check::Valid, "{v:?}"),
            Err(e) => assert!(
                form == Form::MacHeader && matches!(e, SealError::NoKey(_)),
                "{e:?}"
            ),
        }
    }

    if v.mac == Check::Valid || v.signature == Check::Valid {
        let flipped = flip_bit(data);
        if let Ok((_, w)) = ctx.verify(&flipped, None) {
            if v.mac == Check::Valid {
                assert_ne!(w.mac, Check::Valid, "{w:?}");
            } else {
                assert_ne!(w.signature, Check::Valid, "{w:?}");
            }
            assert!(!w.is_authentic() || w.is_forged(), "{w:?}");
            assert!(w.decrypted.iter().all(|p| p.plaintext.is_empty()), "{w:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    CTX.with_borrow_mut(|ctx| check(ctx, data));
});
