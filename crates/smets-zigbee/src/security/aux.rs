//! The NWK/APS auxiliary security header (ZigBee R22 4.5.1).
//!
//! `security control (1) | frame counter (4) | source IEEE (0/8) | key sequence number (0/1)`

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

open_enum! {
    /// Security level (ZigBee R22 table 4.38). ZigBee PRO and Smart Energy run
    /// level 5; the field is sent as 0 and the receiver substitutes its own.
    pub enum SecurityLevel: u8 {
        /// No security.
        None = 0 => "none",
        /// MIC-32, no encryption.
        Mic32 = 1 => "mic_32",
        /// MIC-64, no encryption.
        Mic64 = 2 => "mic_64",
        /// MIC-128, no encryption.
        Mic128 = 3 => "mic_128",
        /// Encryption, no MIC.
        Enc = 4 => "enc",
        /// Encryption and MIC-32: the level of ZigBee PRO and Smart Energy.
        EncMic32 = 5 => "enc_mic_32",
        /// Encryption and MIC-64.
        EncMic64 = 6 => "enc_mic_64",
        /// Encryption and MIC-128.
        EncMic128 = 7 => "enc_mic_128",
    }
}

impl SecurityLevel {
    /// The level every ZigBee PRO network uses, substituted for the zero sent on air.
    pub const ZIGBEE_PRO: Self = Self::EncMic32;

    /// Length of the message integrity code: 0, 4, 8 or 16 bytes.
    #[must_use]
    pub fn mic_len(self) -> usize {
        match self.value() & 0x03 {
            0 => 0,
            1 => 4,
            2 => 8,
            _ => 16,
        }
    }

    /// Whether the payload is encrypted.
    #[must_use]
    pub fn encrypts(self) -> bool {
        self.value() & 0x04 != 0
    }

    /// From the three level bits of a security control byte.
    #[must_use]
    pub fn from_bits(bits: u8) -> Self {
        Self::from(bits & 0x07)
    }
}

open_enum! {
    /// Key identifier (ZigBee R22 table 4.39): which key secured the frame.
    pub enum KeyIdentifier: u8 {
        /// A link key (Trust Center or application link key), used as is.
        Data = 0 => "data",
        /// The active network key whose sequence number the header carries.
        Network = 1 => "network",
        /// HMAC-MMO(link key, 0x00): secures APS Transport Key.
        KeyTransport = 2 => "key_transport",
        /// HMAC-MMO(link key, 0x02): secures application link keys being loaded.
        KeyLoad = 3 => "key_load",
    }
}

/// The security control byte (ZigBee R22 4.5.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityControl {
    /// Security level as sent (0 in ZigBee PRO; see [`SecurityLevel::ZIGBEE_PRO`]).
    pub level: SecurityLevel,
    /// Which key.
    pub key_id: KeyIdentifier,
    /// Extended nonce: the sender's IEEE address is in the header.
    pub extended_nonce: bool,
    /// Require verified frame counter (R23; reserved before).
    pub verified_frame_counter: bool,
    /// Bit 7, reserved; kept so the byte re-encodes.
    pub reserved: bool,
}

impl SecurityControl {
    /// Decodes the byte.
    #[must_use]
    pub fn from_byte(b: u8) -> Self {
        Self {
            level: SecurityLevel::from_bits(b),
            key_id: KeyIdentifier::from((b >> 3) & 0x03),
            extended_nonce: b & 0x20 != 0,
            verified_frame_counter: b & 0x40 != 0,
            reserved: b & 0x80 != 0,
        }
    }

    /// Encodes the byte.
    #[must_use]
    pub fn to_byte(self) -> u8 {
        (self.level.value() & 0x07)
            | ((self.key_id.value() & 0x03) << 3)
            | (u8::from(self.extended_nonce) << 5)
            | (u8::from(self.verified_frame_counter) << 6)
            | (u8::from(self.reserved) << 7)
    }

    /// The byte with its level bits replaced by `level`, as the nonce and the
    /// authenticated data use it.
    #[must_use]
    pub fn byte_with_level(self, level: SecurityLevel) -> u8 {
        (self.to_byte() & !0x07) | (level.value() & 0x07)
    }
}

/// The auxiliary security header of a secured NWK or APS frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuxHeader {
    /// Security control.
    pub control: SecurityControl,
    /// Outgoing frame counter of the sender.
    pub frame_counter: u32,
    /// Sender's IEEE address, present when `control.extended_nonce` is set.
    pub source: Option<Eui64>,
    /// Key sequence number, present when `control.key_id` is [`KeyIdentifier::Network`].
    pub key_seq: Option<u8>,
}

impl AuxHeader {
    /// Reads the header from the front of `r`.
    ///
    /// # Errors
    /// A truncation error from the reader.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let control = SecurityControl::from_byte(r.u8("security control")?);
        let frame_counter = r.u32_le("frame counter")?;
        let source = if control.extended_nonce {
            Some(r.eui64("source address")?)
        } else {
            None
        };
        let key_seq = if control.key_id == KeyIdentifier::Network {
            Some(r.u8("key sequence number")?)
        } else {
            None
        };
        Ok(Self {
            control,
            frame_counter,
            source,
            key_seq,
        })
    }

    /// The CCM* nonce (ZigBee R22 4.5.2.2): source address and frame counter in
    /// their on-air byte order, then the control byte with `level` substituted.
    #[must_use]
    pub fn nonce(&self, source: Eui64, level: SecurityLevel) -> [u8; 13] {
        let mut n = [0u8; 13];
        let (addr, rest) = n.split_at_mut(8);
        addr.copy_from_slice(&source.to_le_bytes());
        let (counter, control) = rest.split_at_mut(4);
        counter.copy_from_slice(&self.frame_counter.to_le_bytes());
        if let Some(c) = control.first_mut() {
            *c = self.control.byte_with_level(level);
        }
        n
    }
}

impl Decode<'_> for AuxHeader {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Security);
        let h = Self::read(&mut r)?;
        r.finish()?;
        Ok(h)
    }
}

impl Encode for AuxHeader {
    fn encoded_len(&self) -> usize {
        5 + if self.source.is_some() { 8 } else { 0 } + usize::from(self.key_seq.is_some())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.source.is_some() != self.control.extended_nonce {
            return Err(EncodeError::inconsistent(Layer::Security, "source address"));
        }
        if self.key_seq.is_some() != (self.control.key_id == KeyIdentifier::Network) {
            return Err(EncodeError::inconsistent(
                Layer::Security,
                "key sequence number",
            ));
        }
        ensure_room(out, self.encoded_len(), Layer::Security)?;
        out.put_u8(self.control.to_byte());
        out.put_u32_le(self.frame_counter);
        if let Some(s) = self.source {
            out.put_slice(&s.to_le_bytes());
        }
        if let Some(k) = self.key_seq {
            out.put_u8(k);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nwk_header_of_control4_frame_1() {
        // Aux header of control4-sample frame 1: 0x28 = network key, extended nonce, level 0.
        let bytes = [
            0x28, 0xba, 0x22, 0x01, 0x00, 0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f, 0x00, 0x00,
        ];
        let h = AuxHeader::decode(&bytes).unwrap();
        assert_eq!(h.control.level, SecurityLevel::None);
        assert_eq!(h.control.key_id, KeyIdentifier::Network);
        assert!(h.control.extended_nonce);
        assert_eq!(h.frame_counter, 74426);
        assert_eq!(
            h.source.map(|s| alloc::format!("{s}")).as_deref(),
            Some("00:0f:ff:00:00:1f:02:22")
        );
        assert_eq!(h.key_seq, Some(0));
        assert_eq!(h.to_vec().unwrap(), bytes);
        let nonce = h.nonce(h.source.unwrap(), SecurityLevel::ZIGBEE_PRO);
        assert_eq!(
            nonce,
            [
                0x22, 0x02, 0x1f, 0x00, 0x00, 0xff, 0x0f, 0x00, 0xba, 0x22, 0x01, 0x00, 0x2d
            ]
        );
        for cut in 0..bytes.len() {
            assert!(AuxHeader::decode(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn mic_lengths_follow_the_level() {
        let lens: alloc::vec::Vec<usize> =
            (0..8).map(|l| SecurityLevel::from(l).mic_len()).collect();
        assert_eq!(lens, [0, 4, 8, 16, 0, 4, 8, 16]);
        assert!(!SecurityLevel::Mic128.encrypts());
        assert!(SecurityLevel::Enc.encrypts());
    }

    proptest! {
        #[test]
        fn roundtrip(control in any::<u8>(), counter in any::<u32>(), src in any::<u64>(), seq in any::<u8>()) {
            let control = SecurityControl::from_byte(control);
            let h = AuxHeader {
                control,
                frame_counter: counter,
                source: control.extended_nonce.then_some(Eui64(src)),
                key_seq: (control.key_id == KeyIdentifier::Network).then_some(seq),
            };
            let bytes = h.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), h.encoded_len());
            prop_assert_eq!(AuxHeader::decode(&bytes).unwrap(), h);
        }
    }
}
