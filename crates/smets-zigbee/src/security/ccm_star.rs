//! CCM*, the AES-128 mode of ZigBee R22 Annex A and IEEE 802.15.4-2015 Annex B.
//!
//! CCM* extends CCM with a MIC length of 0 (encryption only) and with
//! integrity-only levels, in which the payload is authenticated in the clear.
//! The MIC levels run on RustCrypto's `ccm`; the encryption-only level runs
//! the same CTR keystream through `ctr`. Nothing here parses frames: callers
//! build the nonce and the authenticated data.

use alloc::vec::Vec;
use core::fmt;

use aes::Aes128;
use aes::cipher::{InnerIvInit, KeyInit, StreamCipher};
use ccm::Ccm;
use ccm::aead::AeadInOut;
use ccm::aead::array::Array;
use ccm::consts::{U4, U8, U13, U16};

use super::{Key128, SecurityLevel};

/// Authentication failed: the MIC does not match (wrong key, wrong nonce or
/// altered bytes). Deliberately carries no detail; the payload buffer is
/// wiped so no unauthenticated plaintext escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("authentication failed")]
pub struct AuthenticationFailed;

/// A message integrity code of 0, 4, 8 or 16 bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Mic {
    bytes: [u8; 16],
    len: usize,
}

impl Mic {
    /// The MIC bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl fmt::Debug for Mic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mic(")?;
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

/// CCM* keyed with one AES-128 key; the key schedule is computed once and
/// reused for every frame, at every security level. The MIC-32 instance of
/// ZigBee PRO's level 5 is kept ready; other levels build theirs from the
/// stored schedule.
#[derive(Clone)]
pub struct CcmStar {
    aes: Aes128,
    mic32: Ccm<Aes128, U4, U13>,
}

impl fmt::Debug for CcmStar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CcmStar(<redacted>)")
    }
}

/// CTR keystream block A_i for `i >= 1`: flags (L - 1 = 1) ‖ nonce ‖ i.
fn counter_block(nonce: &[u8; 13]) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[0] = 0x01;
    iv[1..14].copy_from_slice(nonce);
    iv[15] = 0x01;
    iv
}

impl CcmStar {
    /// CCM* under `key`.
    #[must_use]
    pub fn new(key: &Key128) -> Self {
        let aes = Aes128::new(&Array::from(*key.as_bytes()));
        Self {
            mic32: Ccm::from(aes.clone()),
            aes,
        }
    }

    fn ctr_apply(&self, nonce: &[u8; 13], data: &mut [u8]) {
        let core = ctr::CtrCore::<Aes128, ctr::flavors::Ctr128BE>::inner_iv_init(
            self.aes.clone(),
            &Array::from(counter_block(nonce)),
        );
        ctr::Ctr128BE::<Aes128>::from_core(core).apply_keystream(data);
    }

    fn tag<M>(
        ccm: &Ccm<Aes128, M, U13>,
        nonce: &[u8; 13],
        aad: &[u8],
        data: &mut [u8],
        encrypt: bool,
        mic: Option<&[u8]>,
    ) -> Result<Mic, AuthenticationFailed>
    where
        M: ccm::aead::array::ArraySize + ccm::TagSize,
    {
        let n = Array::from(*nonce);
        match (encrypt, mic) {
            (true, None) => {
                let t = ccm
                    .encrypt_inout_detached(&n, aad, data.into())
                    .map_err(|_| AuthenticationFailed)?;
                let mut bytes = [0u8; 16];
                let len = t.len();
                bytes
                    .get_mut(..len)
                    .ok_or(AuthenticationFailed)?
                    .copy_from_slice(&t);
                Ok(Mic { bytes, len })
            }
            (true, Some(mic)) => {
                let t = Array::try_from(mic).map_err(|_| AuthenticationFailed)?;
                ccm.decrypt_inout_detached(&n, aad, data.into(), &t)
                    .map_err(|_| AuthenticationFailed)?;
                Ok(Mic {
                    bytes: [0; 16],
                    len: 0,
                })
            }
            (false, expected) => {
                // Integrity only: a = aad ‖ payload, m = empty (ZigBee R22 A.1).
                let mut a = Vec::with_capacity(aad.len() + data.len());
                a.extend_from_slice(aad);
                a.extend_from_slice(data);
                let t = ccm
                    .encrypt_inout_detached(&n, &a, (&mut [][..]).into())
                    .map_err(|_| AuthenticationFailed)?;
                match expected {
                    None => {
                        let mut bytes = [0u8; 16];
                        let len = t.len();
                        bytes
                            .get_mut(..len)
                            .ok_or(AuthenticationFailed)?
                            .copy_from_slice(&t);
                        Ok(Mic { bytes, len })
                    }
                    Some(mic) => {
                        let t: &[u8] = &t;
                        if constant_time_eq(t, mic) {
                            Ok(Mic {
                                bytes: [0; 16],
                                len: 0,
                            })
                        } else {
                            Err(AuthenticationFailed)
                        }
                    }
                }
            }
        }
    }

    /// Secures `payload` in place at `level` and returns the MIC (empty at
    /// levels 0 and 4). At integrity-only levels the payload stays in the clear.
    ///
    /// # Errors
    /// Only when the payload is longer than CCM* with a 13-byte nonce allows (64 KiB).
    pub fn encrypt_in_place_detached(
        &self,
        nonce: &[u8; 13],
        level: SecurityLevel,
        aad: &[u8],
        payload: &mut [u8],
    ) -> Result<Mic, AuthenticationFailed> {
        self.run(nonce, level, aad, payload, None)
    }

    /// Checks `mic` and decrypts `payload` in place at `level`.
    ///
    /// Level 0 leaves the payload as it is; level 4 (encryption without a MIC)
    /// decrypts but cannot authenticate: callers must not treat its output as
    /// authentic. On failure the payload is zeroed.
    ///
    /// # Errors
    /// [`AuthenticationFailed`] when the MIC does not match or has the wrong length.
    pub fn decrypt_in_place_detached(
        &self,
        nonce: &[u8; 13],
        level: SecurityLevel,
        aad: &[u8],
        payload: &mut [u8],
        mic: &[u8],
    ) -> Result<(), AuthenticationFailed> {
        if mic.len() != level.mic_len() {
            return Err(AuthenticationFailed);
        }
        let r = self.run(nonce, level, aad, payload, Some(mic)).map(|_| ());
        if r.is_err() {
            payload.fill(0);
        }
        r
    }

    fn run(
        &self,
        nonce: &[u8; 13],
        level: SecurityLevel,
        aad: &[u8],
        payload: &mut [u8],
        mic: Option<&[u8]>,
    ) -> Result<Mic, AuthenticationFailed> {
        let encrypt = level.encrypts();
        match level.mic_len() {
            0 => {
                if encrypt {
                    self.ctr_apply(nonce, payload);
                }
                Ok(Mic {
                    bytes: [0; 16],
                    len: 0,
                })
            }
            4 => Self::tag(&self.mic32, nonce, aad, payload, encrypt, mic),
            8 => Self::tag(
                &Ccm::<Aes128, U8, U13>::from(self.aes.clone()),
                nonce,
                aad,
                payload,
                encrypt,
                mic,
            ),
            _ => Self::tag(
                &Ccm::<Aes128, U16, U13>::from(self.aes.clone()),
                nonce,
                aad,
                payload,
                encrypt,
                mic,
            ),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn key(s: &str) -> Key128 {
        Key128::from_hex(s).unwrap()
    }

    fn n13(s: &str) -> [u8; 13] {
        h(s).try_into().unwrap()
    }

    #[test]
    fn rfc3610_packet_vector_1() {
        // RFC 3610 packet vector #1: M = 8, 13-byte nonce, 8 bytes of AAD.
        let ccm = CcmStar::new(&key("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"));
        let nonce = n13("00000003020100a0a1a2a3a4a5");
        let aad = h("0001020304050607");
        let mut data = h("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
        let mic = ccm
            .encrypt_in_place_detached(&nonce, SecurityLevel::EncMic64, &aad, &mut data)
            .unwrap();
        assert_eq!(
            hex::encode(&data),
            "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384"
        );
        assert_eq!(hex::encode(mic.as_bytes()), "17e8d12cfdf926e0");
        ccm.decrypt_in_place_detached(
            &nonce,
            SecurityLevel::EncMic64,
            &aad,
            &mut data,
            mic.as_bytes(),
        )
        .unwrap();
        assert_eq!(
            hex::encode(&data),
            "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e"
        );
    }

    #[test]
    fn control4_frame_1_nwk_payload() {
        // control4-sample frame 1: NWK link status under network key 26546b72...
        let ccm = CcmStar::new(&key("26546b723b396a727b5d5271517d392f"));
        let frame =
            h("0912fcff000001c022021f0000ff0f0028ba22010022021f0000ff0f0000658df37b6af6976da6");
        let (hdr, rest) = frame.split_at(30);
        let mut aad = hdr.to_vec();
        aad[16] = 0x2d;
        let (ct, mic) = rest.split_at(rest.len() - 4);
        let nonce = n13("22021f0000ff0f00ba2201002d");
        let mut pt = ct.to_vec();
        ccm.decrypt_in_place_detached(&nonce, SecurityLevel::EncMic32, &aad, &mut pt, mic)
            .unwrap();
        assert_eq!(hex::encode(&pt), "0861c01811");
        // Every single-bit flip of the ciphertext, MIC or AAD fails and leaves no plaintext.
        for i in 0..(ct.len() + mic.len() + aad.len()) * 8 {
            let (mut c, mut m, mut a) = (ct.to_vec(), mic.to_vec(), aad.clone());
            let byte = i / 8;
            let bit = 1u8 << (i % 8);
            if byte < c.len() {
                c[byte] ^= bit;
            } else if byte < c.len() + m.len() {
                m[byte - c.len()] ^= bit;
            } else {
                a[byte - c.len() - m.len()] ^= bit;
            }
            let r = ccm.decrypt_in_place_detached(&nonce, SecurityLevel::EncMic32, &a, &mut c, &m);
            assert_eq!(r, Err(AuthenticationFailed), "flip {i}");
            assert!(c.iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn killerbee_mic_32_vector() {
        let ccm = CcmStar::new(&key("000102030405060708090a0b0c0d0e0f"));
        let nonce = n13("000102030405060708090a0b0c");
        let mut data = h("01020304");
        let mic = ccm
            .encrypt_in_place_detached(&nonce, SecurityLevel::EncMic32, &h("00000000"), &mut data)
            .unwrap();
        assert_eq!(hex::encode(&data), "1736b78c");
        assert_eq!(hex::encode(mic.as_bytes()), "fce0ce86");
    }

    #[test]
    fn every_level_round_trips_and_rejects_tampering() {
        let ccm = CcmStar::new(&key("000102030405060708090a0b0c0d0e0f"));
        let nonce = n13("0a0b0c0d0e0f101112131415ff");
        let aad = h("4802000011223344");
        for level in 0..8u8 {
            let level = SecurityLevel::from(level);
            let plain = h("00112233445566778899aabbccddeeff0102");
            let mut data = plain.clone();
            let mic = ccm
                .encrypt_in_place_detached(&nonce, level, &aad, &mut data)
                .unwrap();
            assert_eq!(mic.as_bytes().len(), level.mic_len());
            assert_eq!(data == plain, !level.encrypts(), "{level:?}");
            ccm.decrypt_in_place_detached(&nonce, level, &aad, &mut data, mic.as_bytes())
                .unwrap();
            assert_eq!(data, plain);
            if level.mic_len() > 0 {
                let mut bad = mic.as_bytes().to_vec();
                bad[0] ^= 1;
                let mut d2 = plain.clone();
                ccm.encrypt_in_place_detached(&nonce, level, &aad, &mut d2)
                    .unwrap();
                assert!(
                    ccm.decrypt_in_place_detached(&nonce, level, &aad, &mut d2, &bad)
                        .is_err()
                );
                // Integrity-only levels also catch a change of the clear payload.
                if !level.encrypts() {
                    let mut d3 = plain.clone();
                    d3[0] ^= 0x80;
                    assert!(
                        ccm.decrypt_in_place_detached(&nonce, level, &aad, &mut d3, mic.as_bytes())
                            .is_err()
                    );
                }
            }
            assert!(
                ccm.decrypt_in_place_detached(&nonce, level, &aad, &mut data, &[0; 3])
                    .is_err()
            );
        }
    }
}
