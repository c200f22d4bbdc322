#![no_main]
//! `SecurityContext::seal` and `encrypt_part` with the fuzz key store: the
//! input is a grouping header and a content (`smets_fuzz::seal_fields`).
//! Each form and signature the fields allow is sealed: the result decodes
//! to the same header and content in that form, its MAC checks Valid, each
//! fresh signature checks Valid (the provider's nonces may be random), and
//! the MAC-header form wraps the signed form's APDU, byte for byte up to
//! the signature. What the fields do not allow fails
//! as it should: a pre-command that is not a command, a missing key. The
//! content encrypted as a payload part decrypts back, and not after a bit
//! flip of its authenticated bytes.

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use smets_core::Decode;
use smets_gbcs::envelope::{CraFlag, GbcsMessage, SIGNATURE_LEN};
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::security::{
    Check, Form, SealError, SecurityContext, SignWith, covered, decrypt_part,
};
use smets_gbcs::{KeyRef, KeyStore};

type Ctx = SecurityContext<&'static MemoryKeyStore>;

thread_local! {
    static CTX: RefCell<Ctx> = RefCell::new(
        SecurityContext::new(smets_fuzz::gbcs_keys()).with_acb(smets_fuzz::GBCS_ACB),
    );
}

fn check(ctx: &mut Ctx, data: &[u8]) {
    let f = smets_fuzz::seal_fields(data);
    let h = f.header;
    let base = smets_gbcs::envelope::GeneralSigning {
        header: h,
        content_length_form: f.content_length_form,
        content: f.content,
        signature: Some(&[]),
    };
    let keys = smets_fuzz::gbcs_keys();
    let has_ds = keys.private_key(&KeyRef::ds(h.originator)).is_some();
    let has_mac_key = ctx.mac_key(&h).is_some();
    let is_command = h.transaction_id.cra_flag == CraFlag::Command;

    // The signed form's bytes per signature choice: the MAC-header form
    // must carry the same APDU.
    let mut signed_form: [Option<Vec<u8>>; 2] = [None, None];
    for form in [Form::Signed, Form::PreCommand, Form::MacHeader] {
        for (i, sign) in [SignWith::Originator, SignWith::Nothing]
            .into_iter()
            .enumerate()
        {
            if form == Form::PreCommand && sign == SignWith::Originator {
                // A pre-command carries no signature whatever is asked.
                continue;
            }
            let r = ctx.seal(&base, form, sign);
            if form == Form::PreCommand && !is_command {
                assert!(matches!(r, Err(SealError::Encode(_))), "{r:?}");
                continue;
            }
            if sign == SignWith::Originator && !has_ds {
                assert_eq!(r, Err(SealError::NoKey(KeyRef::ds(h.originator))));
                continue;
            }
            if form == Form::MacHeader && !has_mac_key {
                assert!(matches!(r, Err(SealError::NoKey(_))), "{r:?}");
                continue;
            }
            let bytes = r.expect("the fields allow this seal");
            let msg = GbcsMessage::decode(&bytes).expect("a sealed message decodes");
            let s = msg
                .signing()
                .expect("a sealed message has a General-Signing APDU");
            assert_eq!(s.header, h);
            assert_eq!(s.content, f.content);
            assert_eq!(s.content_length_form, f.content_length_form);
            match (form, &msg) {
                (Form::MacHeader, GbcsMessage::MacHeader(_)) => {
                    assert_eq!(ctx.check_mac(&bytes, &msg), Check::Valid);
                    let c = covered(&bytes, &msg).expect("a MAC-header message covers bytes");
                    if let Some(apdu) = &signed_form[i] {
                        // A fresh signature is the APDU's last 64 bytes.
                        let unsigned = match sign {
                            SignWith::Originator => SIGNATURE_LEN,
                            _ => 0,
                        };
                        assert_eq!(c.signing_apdu.len(), apdu.len());
                        let n = apdu.len() - unsigned;
                        assert_eq!(c.signing_apdu[..n], apdu[..n]);
                    }
                }
                (Form::Signed | Form::PreCommand, GbcsMessage::Signed(_)) => {
                    assert_eq!(ctx.check_mac(&bytes, &msg), Check::Absent);
                }
                _ => panic!("{form:?} sealed as {msg:?}"),
            }
            if form == Form::Signed {
                signed_form[i] = Some(bytes.clone());
            }
            match (form, sign) {
                (Form::PreCommand, _) => assert_eq!(s.signature, None),
                (_, SignWith::Nothing) => assert_eq!(s.signature, Some(&[][..])),
                (_, _) => {
                    let sig = s.signature.expect("a signed message has a signature");
                    assert_eq!(sig.len(), SIGNATURE_LEN);
                    assert_eq!(ctx.check_signature(&bytes, &msg), Check::Valid);
                }
            }
        }
    }

    let mut part = Vec::new();
    match ctx.encrypt_part(&h, f.content, &mut part) {
        Ok(()) => {
            assert_eq!(part.len(), f.content.len() + 5 + 12);
            let key = ctx.encryption_key(&h).expect("a part encrypted has a key");
            assert_eq!(
                decrypt_part(&key, h.originator, &part).as_deref(),
                Some(f.content)
            );
            // A flip anywhere in the part: the security control byte, the
            // invocation counter (which must be 0), the ciphertext or the tag.
            let bit = data.len() % (part.len() * 8);
            let byte = bit / 8;
            part[byte] ^= 1 << (bit % 8);
            assert_eq!(decrypt_part(&key, h.originator, &part), None);
        }
        Err(e) => {
            assert!(matches!(e, SealError::NoKey(_)), "{e:?}");
            assert!(ctx.encryption_key(&h).is_none());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    CTX.with_borrow_mut(|ctx| check(ctx, data));
});
