#![no_main]
//! CCM* (ZigBee R22 Annex A) at every security level: encrypting then
//! decrypting gives the payload back, and at the levels with a MIC one flipped
//! bit of the ciphertext, MIC or authenticated data makes decryption fail.
//!
//! Input: level (low 3 bits), key (16), nonce (13), authenticated data length,
//! authenticated data, two bytes choosing the bit to flip, payload.

use libfuzzer_sys::fuzz_target;
use smets_zigbee::security::{CcmStar, Key128, SecurityLevel};

fuzz_target!(|data: &[u8]| {
    let Some((&level, rest)) = data.split_first() else {
        return;
    };
    let level = SecurityLevel::from_bits(level & 7);
    let Some((key, rest)) = rest.split_first_chunk::<16>() else {
        return;
    };
    let Some((nonce, rest)) = rest.split_first_chunk::<13>() else {
        return;
    };
    let Some((&aad_len, rest)) = rest.split_first() else {
        return;
    };
    let Some((aad, rest)) = rest.split_at_checked(usize::from(aad_len)) else {
        return;
    };
    let Some((flip, payload)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let ccm = CcmStar::new(&Key128::new(*key));

    let mut buf = payload.to_vec();
    let mic = ccm
        .encrypt_in_place_detached(nonce, level, aad, &mut buf)
        .expect("encryption succeeds");
    assert_eq!(mic.as_bytes().len(), level.mic_len());
    // A short payload may meet keystream bytes of zero; a whole block cannot
    // (but with probability 2^-128).
    if level.encrypts() && payload.len() >= 16 {
        assert_ne!(buf, payload, "the ciphertext differs from the plaintext");
    } else if !level.encrypts() {
        assert_eq!(buf, payload);
    }
    let ciphertext = buf.clone();
    ccm.decrypt_in_place_detached(nonce, level, aad, &mut buf, mic.as_bytes())
        .expect("decryption of what was encrypted succeeds");
    assert_eq!(buf, payload);

    if level.mic_len() == 0 {
        return;
    }
    // One bit over ciphertext ‖ MIC ‖ aad.
    let mut c = ciphertext.clone();
    let mut m = mic.as_bytes().to_vec();
    let mut a = aad.to_vec();
    let bits = 8 * (c.len() + m.len() + a.len());
    let bit = usize::from(u16::from_le_bytes(*flip)) % bits;
    let (byte, mask) = (bit / 8, 1u8 << (bit % 8));
    if let Some(b) = c.get_mut(byte) {
        *b ^= mask;
    } else if let Some(b) = m.get_mut(byte - c.len()) {
        *b ^= mask;
    } else if let Some(b) = a.get_mut(byte - c.len() - m.len()) {
        *b ^= mask;
    }
    assert!(
        ccm.decrypt_in_place_detached(nonce, level, &a, &mut c, &m)
            .is_err(),
        "a flipped bit at {bit} passed authentication"
    );
});
