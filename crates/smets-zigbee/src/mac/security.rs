//! IEEE 802.15.4 MAC security (IEEE 802.15.4-2015 9.3 and 9.4; IEEE 802.15.4-2006
//! 7.5.8 and 7.6.2): the auxiliary security header, the MAC CCM* nonce, and
//! securing and unsecuring whole frames with [`CcmStar`].
//!
//! ZigBee PRO does not use MAC security; its NWK/APS security is in
//! [`crate::security`]. Frames with a suppressed frame counter (TSCH, nonce
//! from the absolute slot number) and 2003 security suites are not unsecured.

use bytes::BufMut;
use smets_core::crc::crc16_kermit;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use super::beacon::Beacon;
use super::frame::{FcsMode, FrameType, FrameVersion, MacFrame};
use crate::security::{CcmStar, Key128, SecurityLevel};

open_enum! {
    /// Key Identifier Mode (IEEE 802.15.4-2015 table 9-7): how the key is named.
    pub enum KeyIdMode: u8 {
        /// The key is known from the source and destination (implicit).
        Implicit = 0 => "implicit",
        /// A 1-byte key index with the default key source.
        Index = 1 => "index",
        /// A 4-byte key source and a key index.
        Source4Index = 2 => "source_4_index",
        /// An 8-byte key source and a key index.
        Source8Index = 3 => "source_8_index",
    }
}

/// The Security Control field (IEEE 802.15.4-2015 9.4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacSecurityControl {
    /// Security level (table 9-6); the same code points as ZigBee's.
    pub level: SecurityLevel,
    /// Key Identifier Mode.
    pub key_id_mode: KeyIdMode,
    /// Frame Counter Suppression (2015; reserved in 2006).
    pub frame_counter_suppression: bool,
    /// ASN in Nonce (2015; reserved in 2006).
    pub asn_in_nonce: bool,
    /// Bit 7, reserved; kept so that the byte re-encodes.
    pub reserved: bool,
}

impl MacSecurityControl {
    /// Decodes the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            level: SecurityLevel::from_bits(b),
            key_id_mode: KeyIdMode::from((b >> 3) & 0x3),
            frame_counter_suppression: b & 0x20 != 0,
            asn_in_nonce: b & 0x40 != 0,
            reserved: b & 0x80 != 0,
        }
    }

    /// Encodes the byte (values masked to their widths).
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.level.value() & 0x7)
            | ((self.key_id_mode.value() & 0x3) << 3)
            | (u8::from(self.frame_counter_suppression) << 5)
            | (u8::from(self.asn_in_nonce) << 6)
            | (u8::from(self.reserved) << 7)
    }
}

/// The Key Source subfield of the Key Identifier (IEEE 802.15.4-2015 9.4.4.1),
/// in on-air byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySource {
    /// 4 bytes (key identifier mode 2).
    Four([u8; 4]),
    /// 8 bytes (key identifier mode 3).
    Eight([u8; 8]),
}

impl KeySource {
    /// The bytes as on air.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Four(b) => b,
            Self::Eight(b) => b,
        }
    }
}

/// The MAC auxiliary security header (IEEE 802.15.4-2015 9.4):
/// `security control (1) | frame counter (0/4) | key source (0/4/8) | key index (0/1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacAuxHeader {
    /// Security control.
    pub control: MacSecurityControl,
    /// Frame counter; `None` when suppressed (2015).
    pub frame_counter: Option<u32>,
    /// Key source, for key identifier modes 2 and 3.
    pub key_source: Option<KeySource>,
    /// Key index, for key identifier modes 1 to 3.
    pub key_index: Option<u8>,
}

impl MacAuxHeader {
    /// Reads the header from the front of `r`. Frame counter suppression is a
    /// 2015 feature: in 2006 frames (`format_2015` false) the bit is reserved
    /// and the counter is always present.
    ///
    /// # Errors
    /// Truncation.
    pub fn read(r: &mut Reader<'_>, format_2015: bool) -> Result<Self, DecodeError> {
        let control = MacSecurityControl::from_byte(r.u8("security control")?);
        let frame_counter = if format_2015 && control.frame_counter_suppression {
            None
        } else {
            Some(r.u32_le("frame counter")?)
        };
        let key_source = match control.key_id_mode {
            KeyIdMode::Source4Index => Some(KeySource::Four(r.array("key source")?)),
            KeyIdMode::Source8Index => Some(KeySource::Eight(r.array("key source")?)),
            _ => None,
        };
        let key_index = if control.key_id_mode == KeyIdMode::Implicit {
            None
        } else {
            Some(r.u8("key index")?)
        };
        Ok(Self {
            control,
            frame_counter,
            key_source,
            key_index,
        })
    }

    /// Checks the fields against the control byte, as a frame of the given
    /// format would be read.
    pub(crate) fn check(&self, format_2015: bool) -> Result<(), EncodeError> {
        let c = self.control;
        if c.level.value() > 7 {
            return Err(EncodeError::unrepresentable(
                Layer::Mac,
                "security level",
                u64::from(c.level.value()),
            ));
        }
        let source_ok = matches!(
            (c.key_id_mode, self.key_source),
            (KeyIdMode::Implicit | KeyIdMode::Index, None)
                | (KeyIdMode::Source4Index, Some(KeySource::Four(_)))
                | (KeyIdMode::Source8Index, Some(KeySource::Eight(_)))
        );
        if !source_ok {
            return Err(if c.key_id_mode.value() > 3 {
                EncodeError::unrepresentable(
                    Layer::Mac,
                    "key identifier mode",
                    u64::from(c.key_id_mode.value()),
                )
            } else {
                EncodeError::inconsistent(Layer::Mac, "key source")
            });
        }
        if self.key_index.is_some() == (c.key_id_mode == KeyIdMode::Implicit) {
            return Err(EncodeError::inconsistent(Layer::Mac, "key index"));
        }
        let suppressed = format_2015 && c.frame_counter_suppression;
        if self.frame_counter.is_some() == suppressed {
            return Err(EncodeError::inconsistent(Layer::Mac, "frame counter"));
        }
        Ok(())
    }

    /// The CCM* nonce (IEEE 802.15.4-2015 9.3.2.2; 802.15.4-2006 7.6.3.2):
    /// source extended address **most significant byte first** ‖ frame counter
    /// big-endian ‖ security level. (ZigBee NWK/APS nonces use on-air order.)
    /// `None` when the frame counter is suppressed.
    #[must_use]
    pub fn nonce(&self, source: Eui64) -> Option<[u8; 13]> {
        let counter = self.frame_counter?;
        let mut n = [0u8; 13];
        let (addr, rest) = n.split_at_mut(8);
        addr.copy_from_slice(&source.to_be_bytes());
        let (fc, level) = rest.split_at_mut(4);
        fc.copy_from_slice(&counter.to_be_bytes());
        if let Some(l) = level.first_mut() {
            *l = self.control.level.value() & 0x7;
        }
        Some(n)
    }
}

/// Decodes a standalone header with the 2015 meaning of the control bits.
impl Decode<'_> for MacAuxHeader {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Mac);
        let h = Self::read(&mut r, true)?;
        r.finish()?;
        Ok(h)
    }
}

impl Encode for MacAuxHeader {
    fn encoded_len(&self) -> usize {
        1 + if self.frame_counter.is_some() { 4 } else { 0 }
            + self.key_source.map_or(0, |k| k.as_bytes().len())
            + usize::from(self.key_index.is_some())
    }

    /// Writes the header. A frame counter next to a set suppression bit is
    /// accepted here (a 2006 frame keeps the bit as reserved); the frame
    /// encoder applies the rule of its frame version.
    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        // A 2006 reading is the more permissive one for the counter.
        if self.frame_counter.is_none() && !self.control.frame_counter_suppression {
            return Err(EncodeError::inconsistent(Layer::Mac, "frame counter"));
        }
        self.check(self.frame_counter.is_none())?;
        ensure_room(out, self.encoded_len(), Layer::Mac)?;
        out.put_u8(self.control.to_byte());
        if let Some(c) = self.frame_counter {
            out.put_u32_le(c);
        }
        if let Some(k) = &self.key_source {
            out.put_slice(k.as_bytes());
        }
        if let Some(i) = self.key_index {
            out.put_u8(i);
        }
        Ok(())
    }
}

/// Why a frame could not be secured or unsecured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MacSecurityError {
    /// The frame bytes do not decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The frame has no wire form.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The frame carries no auxiliary security header.
    #[error("the frame is not secured")]
    NotSecured,
    /// Levels 0 and 4 carry no MIC: nothing could be authenticated.
    #[error("security level {0:?} has no MIC, so nothing is authenticated")]
    NoIntegrity(SecurityLevel),
    /// The nonce needs the TSCH absolute slot number (frame counter suppressed
    /// or ASN in nonce).
    #[error("the nonce needs the absolute slot number")]
    AsnNonce,
    /// The output buffer is too small.
    #[error("output buffer too small: needs {needed} bytes, {available} available")]
    OutputTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The MIC does not match: wrong key, wrong source address or altered bytes.
    #[error("authentication failed")]
    AuthenticationFailed,
}

/// Length of the open payload: the part of the MAC payload that is
/// authenticated but never encrypted (IEEE 802.15.4-2006 7.5.8.2.1): the
/// command identifier of a 2006 command frame and the superframe, GTS and
/// pending address fields of a 2006 beacon. In 2015 frames the command
/// identifier is encrypted and beacons carry these fields in IEs.
fn open_payload_len(frame: &MacFrame<'_>, payload: &[u8]) -> Result<usize, DecodeError> {
    let fc = frame.frame_control;
    if fc.is_2015_format() || fc.version != FrameVersion::Ieee2006 {
        return Ok(0);
    }
    match fc.frame_type {
        FrameType::Command => {
            if payload.is_empty() {
                Err(DecodeError::truncated(
                    Layer::Mac,
                    frame.header_len(),
                    "command frame identifier",
                    1,
                    0,
                ))
            } else {
                Ok(1)
            }
        }
        FrameType::Beacon => Beacon::fields_len(payload).map_err(|e| e.shifted(frame.header_len())),
        _ => Ok(0),
    }
}

fn nonce_for(
    aux: &MacAuxHeader,
    frame: &MacFrame<'_>,
    source: Eui64,
) -> Result<[u8; 13], MacSecurityError> {
    if frame.frame_control.is_2015_format() && aux.control.asn_in_nonce {
        return Err(MacSecurityError::AsnNonce);
    }
    aux.nonce(source).ok_or(MacSecurityError::AsnNonce)
}

fn level_with_mic(aux: &MacAuxHeader) -> Result<SecurityLevel, MacSecurityError> {
    let level = aux.control.level;
    if level.mic_len() == 0 {
        Err(MacSecurityError::NoIntegrity(level))
    } else {
        Ok(level)
    }
}

/// Unsecures a MAC frame (IEEE 802.15.4-2015 9.2.5): checks the MIC and, at the
/// encrypting levels, decrypts.
///
/// `source` is the sender's extended address (the frame's own extended source
/// address, or one learned elsewhere when the frame carries a short one).
/// Writes into `out` the MAC payload in the clear, without the MIC: the open
/// payload (2006 command identifier or beacon fields) followed by the private
/// payload, ready for [`super::MacCommand`] or [`Beacon`] (or, in a 2015 frame,
/// [`super::ie::split_payload_ies`]), and returns its length. The
/// authenticated data is the MAC header, auxiliary security header and header
/// IEs included, plus the open payload.
///
/// # Errors
/// [`MacSecurityError::AuthenticationFailed`] (and `out` zeroed) when the MIC
/// does not match; the frame does not decode, is not secured, uses a level
/// without a MIC or a nonce with the absolute slot number; `out` is too small.
pub fn decrypt(
    frame_bytes: &[u8],
    fcs: FcsMode,
    key: &Key128,
    source: Eui64,
    out: &mut [u8],
) -> Result<usize, MacSecurityError> {
    let frame = MacFrame::decode(frame_bytes, fcs)?;
    let aux = frame.security.ok_or(MacSecurityError::NotSecured)?;
    let level = level_with_mic(&aux)?;
    let nonce = nonce_for(&aux, &frame, source)?;
    let mic_len = level.mic_len();
    let (body, mic) = frame
        .payload
        .split_at(frame.payload.len().saturating_sub(mic_len));
    let open_len = open_payload_len(&frame, body)?;
    let header_len = frame.header_len();
    let aad = frame_bytes.get(..header_len + open_len).ok_or_else(|| {
        DecodeError::truncated(Layer::Mac, header_len, "open payload", open_len, body.len())
    })?;
    let (open, private) = body.split_at(open_len.min(body.len()));
    let available = out.len();
    let Some(dst) = out.get_mut(..body.len()) else {
        return Err(MacSecurityError::OutputTooSmall {
            needed: body.len(),
            available,
        });
    };
    let (dst_open, dst_private) = dst.split_at_mut(open.len());
    dst_open.copy_from_slice(open);
    dst_private.copy_from_slice(private);
    let r = CcmStar::new(key).decrypt_in_place_detached(&nonce, level, aad, dst_private, mic);
    if r.is_err() {
        dst_open.fill(0);
        return Err(MacSecurityError::AuthenticationFailed);
    }
    Ok(body.len())
}

/// Secures a MAC frame (IEEE 802.15.4-2015 9.2.2), the inverse of [`decrypt`].
///
/// `frame` describes the frame to send: its `security` header names the level
/// and frame counter, its `payload` is the MAC payload in the clear without a
/// MIC (as [`decrypt`] returns it), `payload_ies` is empty (in a secured 2015
/// frame they belong to the payload) and `fcs` is ignored. Writes the secured
/// frame, with an FCS when `fcs` is [`FcsMode::Present`], into `out` and
/// returns its length.
///
/// # Errors
/// The frame has no wire form or is not secured, its level has no MIC, its
/// nonce needs the absolute slot number, or `out` is too small.
pub fn secure(
    frame: &MacFrame<'_>,
    fcs: FcsMode,
    key: &Key128,
    source: Eui64,
    out: &mut [u8],
) -> Result<usize, MacSecurityError> {
    let aux = frame.security.ok_or(MacSecurityError::NotSecured)?;
    let level = level_with_mic(&aux)?;
    let nonce = nonce_for(&aux, frame, source)?;
    if !frame.payload_ies.is_empty() {
        return Err(EncodeError::inconsistent(Layer::Mac, "payload IEs").into());
    }
    let mic_len = level.mic_len();
    let header_len = frame.header_len();
    let open_len = open_payload_len(frame, frame.payload)?;
    let body_len = header_len + frame.payload.len() + mic_len;
    let total = body_len + if fcs == FcsMode::Present { 2 } else { 0 };
    let available = out.len();
    let Some(dst) = out.get_mut(..total) else {
        return Err(MacSecurityError::OutputTooSmall {
            needed: total,
            available,
        });
    };
    {
        let mut w = &mut *dst;
        frame.encode_header(&mut w)?;
        ensure_room(&w, frame.payload.len(), Layer::Mac)?;
        w.put_slice(frame.payload);
    }
    let (aad, rest) = dst.split_at_mut(header_len + open_len);
    let private_len = frame.payload.len() - open_len;
    let (private, tail) = rest.split_at_mut(private_len);
    // CCM* with a 13-byte nonce takes up to 64 KiB, far beyond any frame.
    let mic = CcmStar::new(key)
        .encrypt_in_place_detached(&nonce, level, aad, private)
        .map_err(|_| {
            EncodeError::unrepresentable(
                Layer::Mac,
                "payload length",
                u64::try_from(private_len).unwrap_or(u64::MAX),
            )
        })?;
    if let Some(mic_dst) = tail.get_mut(..mic_len) {
        mic_dst.copy_from_slice(mic.as_bytes());
    }
    if fcs == FcsMode::Present {
        let crc = crc16_kermit(dst.get(..body_len).unwrap_or_default());
        if let Some(f) = dst.get_mut(body_len..total) {
            f.copy_from_slice(&crc.to_le_bytes());
        }
    }
    // The decoder must read back what was written: this catches IE lists
    // whose termination does not fit a secured frame.
    if let Err(e) = MacFrame::decode(dst, fcs) {
        dst.fill(0);
        return Err(e.into());
    }
    Ok(total)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::mac::{FrameControl, MacAddress, MacCommand};
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    // crypto-mac2006-assoc-req: killerbee 802154_encr_sample.dcf frame 1, an
    // IEEE 802.15.4-2006 Annex C style association request at level 6.
    const ASSOC_REQ: &str =
        "2bdc842143020000000048deacffff010000000048deac060500000001d84fde529061f9c6f1";

    fn key() -> Key128 {
        Key128::from_hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf").unwrap()
    }

    #[test]
    fn decrypts_the_2006_association_request() {
        let b = h(ASSOC_REQ);
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        let aux = f.security.unwrap();
        assert_eq!(aux.control.level, SecurityLevel::EncMic64);
        assert_eq!(aux.control.key_id_mode, KeyIdMode::Implicit);
        assert_eq!(aux.frame_counter, Some(5));
        let Some(MacAddress::Extended(src)) = f.src else {
            panic!()
        };
        assert_eq!(src, Eui64(0xacde_4800_0000_0001));
        assert_eq!(
            aux.nonce(src).unwrap().to_vec(),
            h("acde4800000000010000000506")
        );
        // Authenticated data: header (28 bytes) and the command identifier.
        assert_eq!(
            f.header_len() + open_payload_len(&f, f.payload).unwrap(),
            29
        );
        let mut out = [0u8; 8];
        let n = decrypt(&b, FcsMode::Absent, &key(), src, &mut out).unwrap();
        assert_eq!(&out[..n], &[0x01, 0xce]);
        let MacCommand::AssociationRequest(cap) = MacCommand::decode(&out[..n]).unwrap() else {
            panic!()
        };
        assert!(cap.full_function_device && cap.mains_powered && cap.receiver_on_when_idle);
        assert!(cap.security_capable && cap.allocate_address && !cap.alternate_pan_coordinator);

        // Securing the plaintext again gives the captured bytes.
        let plain = MacFrame {
            payload: &out[..n],
            ..f
        };
        let mut again = [0u8; 64];
        let len = secure(&plain, FcsMode::Absent, &key(), src, &mut again).unwrap();
        assert_eq!(&again[..len], &b[..]);
        // And with an FCS appended.
        let len = secure(&plain, FcsMode::Present, &key(), src, &mut again).unwrap();
        let g = MacFrame::decode(&again[..len], FcsMode::Present).unwrap();
        assert!(g.fcs.unwrap().valid);
    }

    #[test]
    fn every_bit_flip_and_wrong_inputs_fail_without_plaintext() {
        let b = h(ASSOC_REQ);
        let src = Eui64(0xacde_4800_0000_0001);
        for i in 0..b.len() * 8 {
            let mut c = b.clone();
            c[i / 8] ^= 1 << (i % 8);
            let mut out = [0xaau8; 16];
            match decrypt(&c, FcsMode::Absent, &key(), src, &mut out) {
                Err(MacSecurityError::AuthenticationFailed) => {
                    // Zeroed where written, untouched elsewhere.
                    assert!(out.iter().all(|&x| x == 0 || x == 0xaa), "flip {i}");
                }
                Err(_) => {} // the flip broke the header itself
                Ok(_) => panic!("flip {i} accepted"),
            }
        }
        let mut out = [0u8; 16];
        let wrong = Key128::from_hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcece").unwrap();
        assert_eq!(
            decrypt(&b, FcsMode::Absent, &wrong, src, &mut out),
            Err(MacSecurityError::AuthenticationFailed)
        );
        assert_eq!(
            decrypt(&b, FcsMode::Absent, &key(), Eui64(src.0 ^ 1), &mut out),
            Err(MacSecurityError::AuthenticationFailed)
        );
        assert_eq!(
            decrypt(&b, FcsMode::Absent, &key(), src, &mut out[..1]),
            Err(MacSecurityError::OutputTooSmall {
                needed: 2,
                available: 1
            })
        );
        // The plaintext twin (frame 2 of the capture) is not secured.
        let plain = h("23dc842143020000000048deacffff010000000048deac01ce");
        assert_eq!(
            decrypt(&plain, FcsMode::Absent, &key(), src, &mut out),
            Err(MacSecurityError::NotSecured)
        );
    }

    #[test]
    fn scapy_aux_headers() {
        // scapy-dot15d4-008: level 4 (ENC), implicit key.
        let a = MacAuxHeader::decode(&h("0405000000")).unwrap();
        assert_eq!(a.control.level, SecurityLevel::Enc);
        assert_eq!(a.control.key_id_mode, KeyIdMode::Implicit);
        assert_eq!(a.frame_counter, Some(5));
        // scapy-dot15d4-009: key id mode 3, 8-byte key source (scapy reads it LE),
        // key index 0x88; scapy leaves the trailing 0x77 as padding.
        let b = h("1805000000ffeeddccbbaa00998877");
        let mut r = Reader::new(&b, Layer::Mac);
        let a = MacAuxHeader::read(&mut r, true).unwrap();
        assert_eq!(a.control.key_id_mode, KeyIdMode::Source8Index);
        let Some(KeySource::Eight(ks)) = a.key_source else {
            panic!()
        };
        assert_eq!(u64::from_le_bytes(ks), 11_024_999_611_375_677_183);
        assert_eq!(a.key_index, Some(0x88));
        assert_eq!(r.rest(), &[0x77]);
        assert_eq!(a.to_vec().unwrap(), &b[..14]);
        // scapy-dot15d4-010: the trailing bytes are not part of the header.
        let b = h("0405000000aabb");
        let mut r = Reader::new(&b, Layer::Mac);
        let a = MacAuxHeader::read(&mut r, true).unwrap();
        assert_eq!(a.frame_counter, Some(5));
        assert_eq!(r.rest(), &[0xaa, 0xbb]);
        assert!(MacAuxHeader::decode(&b).is_err());
        for cut in 0..14 {
            assert!(MacAuxHeader::decode(&h("1805000000ffeeddccbbaa009988")[..cut]).is_err());
        }
        // A 2006 frame keeps bit 5 as reserved: the counter is still there.
        let mut r = Reader::new(&[0x25, 1, 0, 0, 0], Layer::Mac);
        let a = MacAuxHeader::read(&mut r, false).unwrap();
        assert_eq!(a.frame_counter, Some(1));
        assert!(a.control.frame_counter_suppression);
        assert_eq!(a.to_vec().unwrap(), [0x25, 1, 0, 0, 0]);
    }

    #[test]
    fn levels_without_mic_and_asn_nonces_are_refused() {
        let b = h(ASSOC_REQ);
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        let mut aux = f.security.unwrap();
        aux.control.level = SecurityLevel::Enc;
        let g = MacFrame {
            security: Some(aux),
            payload: &[1, 0xce],
            ..f
        };
        let mut out = [0u8; 64];
        assert_eq!(
            secure(&g, FcsMode::Absent, &key(), Eui64(1), &mut out),
            Err(MacSecurityError::NoIntegrity(SecurityLevel::Enc))
        );
        // 2015 frame with a suppressed frame counter.
        let mut fc = FrameControl::from_u16(0xe809);
        fc.seq_suppression = true;
        let aux = MacAuxHeader {
            control: MacSecurityControl::from_byte(0x25),
            frame_counter: None,
            key_source: None,
            key_index: None,
        };
        let g = MacFrame {
            frame_control: fc,
            seq: None,
            dst_pan: Some(1),
            dst: Some(MacAddress::Short(2)),
            src_pan: None,
            src: Some(MacAddress::Extended(Eui64(3))),
            security: Some(aux),
            header_ies: &[],
            payload_ies: &[],
            payload: &[1, 2, 3],
            fcs: None,
        };
        assert_eq!(
            secure(&g, FcsMode::Absent, &key(), Eui64(3), &mut out),
            Err(MacSecurityError::AsnNonce)
        );
    }

    #[test]
    fn secured_2006_beacon_keeps_its_fields_in_the_clear() {
        // The scapy-dot15d4-011 beacon, re-secured at level 5 under the test key.
        let b = h("08d0842143010000000048deac020500000055cf000051525354223bc1ec841ab553");
        let f = MacFrame::decode(&b, FcsMode::Absent).unwrap();
        let mut aux = f.security.unwrap();
        aux.control.level = SecurityLevel::EncMic32;
        let plain = &f.payload[..f.payload.len() - 8];
        let g = MacFrame {
            security: Some(aux),
            payload: plain,
            ..f
        };
        let src = Eui64(0xacde_4800_0000_0001);
        let mut wire = [0u8; 64];
        let n = secure(&g, FcsMode::Absent, &key(), src, &mut wire).unwrap();
        let on_air = MacFrame::decode(&wire[..n], FcsMode::Absent).unwrap();
        // Superframe, GTS and pending address fields in the clear; "QRST" encrypted.
        assert_eq!(&on_air.payload[..4], &plain[..4]);
        assert_ne!(&on_air.payload[4..8], b"QRST");
        let mut out = [0u8; 16];
        let m = decrypt(&wire[..n], FcsMode::Absent, &key(), src, &mut out).unwrap();
        assert_eq!(&out[..m], plain);
        // Changing a clear beacon field breaks the MIC: it is authenticated.
        let mut bad = wire;
        bad[19] ^= 0x01;
        assert_eq!(
            decrypt(&bad[..n], FcsMode::Absent, &key(), src, &mut out),
            Err(MacSecurityError::AuthenticationFailed)
        );
    }

    #[test]
    fn secured_2015_frame_with_payload_ies() {
        use crate::mac::ie::{header_ie_descriptor, payload_ie_descriptor, split_payload_ies};
        // 2015 data frame, IE present, short destination, extended source.
        let fc = FrameControl::from_u16(0xea49);
        let hies = header_ie_descriptor(0x7e, 0);
        let mut plain = payload_ie_descriptor(0x1, 2).to_vec();
        plain.extend_from_slice(&[0xab, 0xcd]);
        plain.extend_from_slice(&payload_ie_descriptor(0xf, 0));
        plain.extend_from_slice(b"payload");
        let aux = MacAuxHeader {
            control: MacSecurityControl::from_byte(0x15),
            frame_counter: Some(0x0102_0304),
            key_source: Some(KeySource::Four([1, 2, 3, 4])),
            key_index: Some(7),
        };
        let src = Eui64(0x0011_2233_4455_6677);
        let frame = MacFrame {
            frame_control: fc,
            seq: Some(1),
            dst_pan: Some(0xabcd),
            dst: Some(MacAddress::Short(0x0001)),
            src_pan: None,
            src: Some(MacAddress::Extended(src)),
            security: Some(aux),
            header_ies: &hies,
            payload_ies: &[],
            payload: &plain,
            fcs: None,
        };
        let mut wire = [0u8; 96];
        let n = secure(&frame, FcsMode::Present, &key(), src, &mut wire).unwrap();
        let on_air = MacFrame::decode(&wire[..n], FcsMode::Present).unwrap();
        assert!(on_air.payload_ies_follow());
        assert!(on_air.payload_ies.is_empty());
        assert_eq!(on_air.header_ies, &hies);
        let mut out = [0u8; 64];
        let m = decrypt(&wire[..n], FcsMode::Present, &key(), src, &mut out).unwrap();
        let (ies, rest) = split_payload_ies(&out[..m]).unwrap();
        assert_eq!(ies.len(), 6);
        assert_eq!(rest, b"payload");
    }

    fn aux_strategy() -> impl Strategy<Value = MacAuxHeader> {
        (any::<u8>(), any::<u32>(), any::<[u8; 8]>(), any::<u8>()).prop_map(|(c, n, ks, ki)| {
            let control = MacSecurityControl::from_byte(c);
            MacAuxHeader {
                control,
                frame_counter: (!control.frame_counter_suppression).then_some(n),
                key_source: match control.key_id_mode {
                    KeyIdMode::Source4Index => Some(KeySource::Four([ks[0], ks[1], ks[2], ks[3]])),
                    KeyIdMode::Source8Index => Some(KeySource::Eight(ks)),
                    _ => None,
                },
                key_index: (control.key_id_mode != KeyIdMode::Implicit).then_some(ki),
            }
        })
    }

    proptest! {
        #[test]
        fn aux_header_roundtrip(a in aux_strategy()) {
            let bytes = a.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), a.encoded_len());
            prop_assert_eq!(MacAuxHeader::decode(&bytes).unwrap(), a);
        }

        #[test]
        fn secure_then_decrypt(
            level in prop::sample::select(vec![1u8, 2, 3, 5, 6, 7]),
            version in 1u8..3,
            command in any::<bool>(),
            counter in any::<u32>(),
            src in any::<u64>(),
            ies in any::<bool>(),
            plain in prop::collection::vec(any::<u8>(), 1..40),
            fcs in any::<bool>(),
        ) {
            // Data or command frame, extended source, short destination.
            let mut fc = FrameControl::from_u16(0xc809 | (u16::from(version) << 12));
            if command {
                fc.frame_type = FrameType::Command;
            }
            fc.ie_present = ies && version == 2;
            let hies = [0x04u8, 0x0d, 1, 2, 3, 4, 0x00, 0x3f];
            let aux = MacAuxHeader {
                control: MacSecurityControl::from_byte(level | (1 << 3)),
                frame_counter: Some(counter),
                key_source: None,
                key_index: Some(1),
            };
            let (dp, sp) = fc.pan_id_presence().unwrap();
            let frame = MacFrame {
                frame_control: fc,
                seq: Some(7),
                dst_pan: dp.then_some(0x1234),
                dst: Some(MacAddress::Short(0)),
                src_pan: sp.then_some(0x1234),
                src: Some(MacAddress::Extended(Eui64(src))),
                security: Some(aux),
                header_ies: if fc.ie_present { &hies } else { &[] },
                payload_ies: &[],
                payload: &plain,
                fcs: None,
            };
            let mode = if fcs { FcsMode::Present } else { FcsMode::Absent };
            let mut wire = [0u8; 128];
            let n = secure(&frame, mode, &key(), Eui64(src), &mut wire).unwrap();
            let on_air = MacFrame::decode(&wire[..n], mode).unwrap();
            prop_assert_eq!(on_air.payload.len(), plain.len() + aux.control.level.mic_len());
            let mut out = [0u8; 64];
            let m = decrypt(&wire[..n], mode, &key(), Eui64(src), &mut out).unwrap();
            prop_assert_eq!(&out[..m], &plain[..]);
            // 2006 command identifiers stay in the clear, 2015 ones do not.
            if command && version == 1 && level > 3 {
                prop_assert_eq!(on_air.payload[0], plain[0]);
            }
        }
    }
}
