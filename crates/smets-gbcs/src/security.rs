//! Verifying and sealing GBCS messages (GBCS 6.2.4, 7.2.5, 7.3, 4.3.1.5):
//! which key pair protects which message, the MAC, the signature, the
//! protected payload parts and the originator counter, as a head-end and a
//! device each see them; and building messages with their MAC and signature.
//!
//! Key pairs (as the RTDS 4.5.0 messages verify): a command's MAC is
//! between the Access Control Broker and the recipient device, whoever the
//! grouping-header originator is; a response's or alert's MAC is between
//! the device (originator) and the grouping-header recipient. Payload parts
//! are encrypted between the device and the recipient, or the Supplementary
//! Remote Party when other-information names one.
//!
//! ```
//! use smets_core::Eui64;
//! use smets_gbcs::envelope::{
//!     CraFlag, GeneralSigning, GroupingHeader, LengthForm, OtherInformation, Supplementary,
//!     TransactionId,
//! };
//! use smets_gbcs::keys::MemoryKeyStore;
//! use smets_gbcs::security::{Check, Form, SecurityContext, SignWith};
//! use smets_gbcs::{KeyRef, PrivateKey};
//!
//! let (acb, supplier, esme) = (Eui64(0x90B3_D51F_3000_0002), Eui64(0x90B3_D51F_3001_0000), Eui64(0x00DB_1234_5678_90A0));
//! // TEST keys: the ACB's and the ESME's key agreement keys, the supplier's signing key.
//! let mut keys = MemoryKeyStore::new();
//! keys.insert_private(KeyRef::ka(acb), PrivateKey::from_scalar(&[1; 32]).unwrap()).unwrap();
//! keys.insert_private(KeyRef::ka(esme), PrivateKey::from_scalar(&[2; 32]).unwrap()).unwrap();
//! keys.insert_private(KeyRef::ds(supplier), PrivateKey::from_scalar(&[3; 32]).unwrap()).unwrap();
//! let mut ctx = SecurityContext::new(&keys).with_acb(acb);
//!
//! // A critical command from the supplier: signed by it, MACed for the ACB.
//! let content = [0xD9, 0x20, 0x00, 0x03, 0xE8, 0x00];
//! let command = GeneralSigning {
//!     header: GroupingHeader {
//!         transaction_id: TransactionId { cra_flag: CraFlag::Command, originator_counter: 1000 },
//!         originator: supplier,
//!         recipient: esme,
//!         date_time: None,
//!         other_information: OtherInformation {
//!             length_form: LengthForm::minimal(2),
//!             message_code: 0x0019,
//!             supplementary: Supplementary::None,
//!         },
//!     },
//!     content_length_form: LengthForm::minimal(content.len()),
//!     content: &content,
//!     signature: None,
//! };
//! let bytes = ctx.seal(&command, Form::MacHeader, SignWith::Originator).unwrap();
//!
//! // The ESME checks it: MAC and signature valid, counter above the last one.
//! let (msg, _) = ctx.verify(&bytes, None).unwrap();
//! let verdict = ctx.verify_command(&bytes, &msg, esme, Some(999));
//! assert_eq!((verdict.verification.mac, verdict.verification.signature), (Check::Valid, Check::Valid));
//! assert!(verdict.outcome.is_ok());
//! // The same message again is a replay.
//! assert!(ctx.verify_command(&bytes, &msg, esme, Some(1000)).outcome.is_err());
//! ```

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;
use smets_core::{Decode, DecodeError, Encode, EncodeError, Eui64};

use crate::crypto::{
    self, CryptoError, CryptoProvider, DefaultProvider, ENCRYPTION_CRA,
    ENCRYPTION_SECURITY_CONTROL, MAC_AAD_PREFIX, MessageKey, OtherInfo, SIGNATURE_LEN,
    SharedSecret, SharedSecretCache,
};
use crate::envelope::{
    CraFlag, GbcsMessage, GeneralSigning, GroupingHeader, LengthForm, MAC_LEN, MacHeaderMessage,
    SecurityHeader, Supplementary,
};
use crate::key::{KeyRef, KeyStore};

/// Security control byte of a MAC header: authentication only, suite 1
/// (GBCS 7.2.5).
pub const MAC_SECURITY_CONTROL: u8 = 0x11;
/// Length of an encrypted part's header: security control and invocation
/// counter (GBCS 7.3.4).
pub const PART_HEADER_LEN: usize = 5;

/// The outcome of one check, as a head-end reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    /// Present and correct.
    Valid,
    /// Present and wrong: the message is not authentic.
    Invalid,
    /// Present, but a key needed to check it is not in the store.
    NoKey,
    /// Not present in this message.
    Absent,
    /// Present but not checked: a signature whose message's MAC had already
    /// failed (a forged message does not earn an ECDSA verification), or a
    /// protected part of a message that is not authentic.
    NotChecked,
}

impl Check {
    /// "valid", "invalid", "no_key" or "absent".
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::NoKey => "no_key",
            Self::Absent => "absent",
            Self::NotChecked => "not_checked",
        }
    }
}

/// The originator counter against the last value the caller accepted from
/// that originator (GBCS 4.3.1.5 protection against replay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CounterCheck {
    /// No last value was given.
    NotChecked,
    /// Greater than the last value.
    Fresh,
    /// Equal to the last value: the same message again.
    Replayed,
    /// Below the last value.
    Stale,
}

impl CounterCheck {
    /// Compares `counter` with `last`.
    #[must_use]
    pub fn of(counter: u64, last: Option<u64>) -> Self {
        match last {
            None => Self::NotChecked,
            Some(l) if counter > l => Self::Fresh,
            Some(l) if counter == l => Self::Replayed,
            Some(_) => Self::Stale,
        }
    }

    /// "not_checked", "fresh", "replayed" or "stale".
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::NotChecked => "not_checked",
            Self::Fresh => "fresh",
            Self::Replayed => "replayed",
            Self::Stale => "stale",
        }
    }
}

/// One protected payload part after decryption.
#[derive(Clone, PartialEq, Eq)]
pub struct DecryptedPart {
    /// Offset in the content of the part's security control byte.
    pub offset: usize,
    /// Bytes of the part from its security control byte through its tag.
    pub ciphered_len: usize,
    /// What the check of the part's tag gave.
    pub check: Check,
    /// The plaintext; empty unless `check` is [`Check::Valid`].
    pub plaintext: Vec<u8>,
}

impl fmt::Debug for DecryptedPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptedPart")
            .field("offset", &self.offset)
            .field("ciphered_len", &self.ciphered_len)
            .field("check", &self.check)
            .field("plaintext_len", &self.plaintext.len())
            .finish()
    }
}

/// Everything a head-end learns checking one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The GMAC of a MAC-header message; [`Check::Absent`] for the other forms.
    pub mac: Check,
    /// The originator's ECDSA signature; [`Check::Absent`] when the
    /// signature element is empty or missing.
    pub signature: Check,
    /// The originator counter against the caller's last value.
    pub counter: CounterCheck,
    /// The protected payload parts, decrypted when the message is
    /// authentic; otherwise listed with [`Check::NotChecked`] and no
    /// plaintext.
    pub decrypted: Vec<DecryptedPart>,
    /// Why the protected parts could not be located, when they could not.
    pub parts_error: Option<DecodeError>,
}

impl Verification {
    /// True when a MAC or signature was checked and none failed.
    #[must_use]
    pub fn is_authentic(&self) -> bool {
        let checks = [self.mac, self.signature];
        checks.contains(&Check::Valid) && !checks.contains(&Check::Invalid)
    }

    /// True when a MAC or signature is present and wrong.
    #[must_use]
    pub fn is_forged(&self) -> bool {
        self.mac == Check::Invalid || self.signature == Check::Invalid
    }
}

/// The byte ranges of a `DD 00` or `DF` message that its MAC and signature
/// cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Covered<'a> {
    /// The whole General-Signing APDU, from `DF` through the signature: the
    /// MAC's AAD after [`MAC_AAD_PREFIX`].
    pub signing_apdu: &'a [u8],
    /// The signed bytes: the General-Signing APDU without its tag, its
    /// signature length and signature (GBCS 7.2.7).
    pub signed: &'a [u8],
}

/// Where the MAC and signature of `msg`, decoded from `bytes`, read their
/// bytes; `None` for a GBT block or when `msg` was not decoded from `bytes`.
#[must_use]
pub fn covered<'a>(bytes: &'a [u8], msg: &GbcsMessage<'_>) -> Option<Covered<'a>> {
    let (start, end, signing) = match msg {
        GbcsMessage::MacHeader(m) => (
            7 + m.ciphered_length_form.len() + 5,
            bytes.len().checked_sub(MAC_LEN)?,
            &m.signing,
        ),
        GbcsMessage::Signed(s) => (0, bytes.len(), s),
        GbcsMessage::Block(_) => return None,
    };
    let signing_apdu = bytes.get(start..end)?;
    let sig_len = signing.signature.map_or(0, |s| 1 + s.len());
    let signed = signing_apdu.get(1..signing_apdu.len().checked_sub(sig_len)?)?;
    Some(Covered {
        signing_apdu,
        signed,
    })
}

/// Why a message could not be sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// A key needed is not in the store (the reference names it; never the key).
    NoKey(KeyRef),
    /// The message's fields do not encode.
    Encode(EncodeError),
    /// The cryptography refused.
    Crypto(CryptoError),
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKey(k) => write!(f, "GBCS: no key {k} in the key store"),
            Self::Encode(e) => write!(f, "{e}"),
            Self::Crypto(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for SealError {}

impl From<EncodeError> for SealError {
    fn from(e: EncodeError) -> Self {
        Self::Encode(e)
    }
}

impl From<CryptoError> for SealError {
    fn from(e: CryptoError) -> Self {
        Self::Crypto(e)
    }
}

/// How a sealed message goes on the wire (GBCS 7.2.5, 7.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// `DD 00`: MAC header, General-Signing APDU, MAC.
    MacHeader,
    /// `DF`: General-Signing APDU alone, with its signature element.
    Signed,
    /// `DF` without a signature element: a DUIS pre-command (commands only).
    PreCommand,
}

/// Which signature a sealed message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignWith {
    /// A fresh signature by the originator's DS private key.
    Originator,
    /// The signature element the General-Signing APDU already carries
    /// (e.g. a Service User's signature on a pre-command the ACB now MACs).
    Given,
    /// None: an empty signature element (a non-critical message).
    Nothing,
}

/// Why a device refuses a command (GBCS 6.2.4 command verification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// The CRA flag is not "command".
    NotACommand,
    /// The command's recipient is another device.
    NotForThisDevice,
    /// A pre-command or GBT block: not a command a device executes.
    NotExecutable,
    /// The MAC is wrong.
    MacInvalid,
    /// A critical command has no signature.
    SignatureMissing,
    /// The signature is wrong.
    SignatureInvalid,
    /// Neither a MAC nor a signature could be checked for lack of a key.
    NoKey,
    /// The counter is the last one accepted.
    Replayed,
    /// The counter is below the last one accepted.
    Stale,
}

/// A device's verdict on a command: the checks and, if refused, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandVerdict {
    /// The checks.
    pub verification: Verification,
    /// `Ok` when the device may execute the command.
    pub outcome: Result<(), Rejection>,
}

/// The GBCS security context of one party: a key store, a crypto provider,
/// the cache of ECDH shared secrets, and the Access Control Broker that MACs
/// commands. Verifies, decrypts and seals. One per thread: it keeps a
/// scratch buffer and the cache.
pub struct SecurityContext<K, P = DefaultProvider> {
    keys: K,
    provider: P,
    cache: SharedSecretCache,
    acb: Option<Eui64>,
    scratch: Vec<u8>,
}

impl<K, P> fmt::Debug for SecurityContext<K, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecurityContext")
            .field("cache", &self.cache)
            .field("acb", &self.acb)
            .finish_non_exhaustive()
    }
}

impl<K: KeyStore> SecurityContext<K, DefaultProvider> {
    /// A context over `keys` with this build's default provider.
    pub fn new(keys: K) -> Self {
        Self::with_provider(keys, DefaultProvider::default())
    }
}

impl<K: KeyStore, P: CryptoProvider> SecurityContext<K, P> {
    /// A context over `keys` with `provider`.
    pub fn with_provider(keys: K, provider: P) -> Self {
        Self {
            keys,
            provider,
            cache: SharedSecretCache::default(),
            acb: None,
            scratch: Vec::new(),
        }
    }

    /// Sets the Access Control Broker whose KA key MACs every command.
    /// Without it, a command's MAC is checked against its originator.
    #[must_use]
    pub const fn with_acb(mut self, acb: Eui64) -> Self {
        self.acb = Some(acb);
        self
    }

    /// Replaces the shared-secret cache (e.g. with another capacity).
    #[must_use]
    pub fn with_cache(mut self, cache: SharedSecretCache) -> Self {
        self.cache = cache;
        self
    }

    /// The key store.
    pub const fn keys(&self) -> &K {
        &self.keys
    }

    /// The shared-secret cache (for its statistics).
    pub const fn cache(&self) -> &SharedSecretCache {
        &self.cache
    }

    /// The Access Control Broker, if set.
    pub const fn acb(&self) -> Option<Eui64> {
        self.acb
    }

    /// Z between the KA keys of `a` and `b`, from whichever side's private
    /// key the store holds.
    fn pair(&mut self, a: Eui64, b: Eui64) -> Option<SharedSecret> {
        for (ours, theirs) in [(a, b), (b, a)] {
            let r = KeyRef::ka(ours);
            if let (Some(private), Some(public)) = (
                self.keys.private_key(&r),
                self.keys.public_key(&KeyRef::ka(theirs)),
            ) {
                return Some(self.cache.get(&self.provider, r, private, public));
            }
        }
        None
    }

    /// The two parties whose KA keys MAC a message with this header.
    /// Commands between HAN devices (PPMID to GSME) are MACed by their
    /// originator, not the ACB.
    fn mac_parties(&self, h: &GroupingHeader<'_>) -> (Eui64, Eui64) {
        let han_only = crate::catalogue::by_message_code(h.other_information.message_code)
            .is_some_and(|u| u.message_type == crate::catalogue::MessageType::PpmidToGsmeCommand);
        match h.transaction_id.cra_flag {
            CraFlag::Command if !han_only => (self.acb.unwrap_or(h.originator), h.recipient),
            _ => (h.originator, h.recipient),
        }
    }

    /// The per-message MAC key of a message with this header; `None`
    /// without the keys.
    pub fn mac_key(&mut self, h: &GroupingHeader<'_>) -> Option<MessageKey> {
        let (a, b) = self.mac_parties(h);
        let z = self.pair(a, b)?;
        let t = h.transaction_id;
        Some(crypto::kdf(
            &z,
            &OtherInfo::new(
                h.originator,
                t.cra_flag.value(),
                t.originator_counter,
                h.recipient,
            ),
        ))
    }

    /// The key of the protected payload parts of a message with this header
    /// (KDF with CRA byte 04, the Supplementary Remote Party and
    /// Supplementary Originator Counter when present); `None` without keys.
    pub fn encryption_key(&mut self, h: &GroupingHeader<'_>) -> Option<MessageKey> {
        let (recipient, counter) = encryption_party(h);
        let z = self.pair(h.originator, recipient)?;
        Some(crypto::kdf(
            &z,
            &OtherInfo::new(h.originator, ENCRYPTION_CRA, counter, recipient),
        ))
    }

    fn gmac_of(
        &mut self,
        key: &MessageKey,
        originator: Eui64,
        apdu: &[u8],
    ) -> Option<[u8; MAC_LEN]> {
        self.scratch.clear();
        self.scratch.extend_from_slice(&MAC_AAD_PREFIX);
        self.scratch.extend_from_slice(apdu);
        crypto::gmac(key, &crypto::iv(originator), &self.scratch).ok()
    }

    /// Checks the MAC of `msg`, decoded from `bytes`.
    pub fn check_mac(&mut self, bytes: &[u8], msg: &GbcsMessage<'_>) -> Check {
        let GbcsMessage::MacHeader(m) = msg else {
            return Check::Absent;
        };
        if m.security.security_control != MAC_SECURITY_CONTROL || m.security.invocation_counter != 0
        {
            return Check::Invalid;
        }
        let Some(c) = covered(bytes, msg) else {
            return Check::Invalid;
        };
        let h = &m.signing.header;
        let Some(key) = self.mac_key(h) else {
            return Check::NoKey;
        };
        match self.gmac_of(&key, h.originator, c.signing_apdu) {
            // Tags compare in constant time.
            Some(mac) if ct_eq(&mac, &m.mac) => Check::Valid,
            _ => Check::Invalid,
        }
    }

    /// The signature's outcome when it needs no ECDSA: absent, malformed or
    /// without a key.
    fn check_signature_cheap(&self, msg: &GbcsMessage<'_>) -> Option<Check> {
        let Some(s) = msg.signing() else {
            return Some(Check::Absent);
        };
        match s.signature {
            None | Some([]) => Some(Check::Absent),
            Some(_)
                if self
                    .keys
                    .public_key(&KeyRef::ds(s.header.originator))
                    .is_none() =>
            {
                Some(Check::NoKey)
            }
            Some(_) => None,
        }
    }

    /// Checks the originator's signature of `msg`, decoded from `bytes`.
    pub fn check_signature(&self, bytes: &[u8], msg: &GbcsMessage<'_>) -> Check {
        let Some(s) = msg.signing() else {
            return Check::Absent;
        };
        let Some(sig) = s.signature.filter(|s| !s.is_empty()) else {
            return Check::Absent;
        };
        let Ok(sig) = <&[u8; SIGNATURE_LEN]>::try_from(sig) else {
            return Check::Invalid;
        };
        let Some(c) = covered(bytes, msg) else {
            return Check::Invalid;
        };
        let Some(key) = self.keys.public_key(&KeyRef::ds(s.header.originator)) else {
            return Check::NoKey;
        };
        if self.provider.verify(key, c.signed, sig) {
            Check::Valid
        } else {
            Check::Invalid
        }
    }

    /// Decrypts the protected parts of `signing`'s content, whether or not
    /// its envelope was authenticated: for a caller that trusts the path the
    /// message came by (a Remote Party whose messages the ACB has already
    /// checked). [`Self::verify_decoded`] decrypts only authentic messages.
    ///
    /// # Errors
    /// The content's parts cannot be located (a malformed payload).
    pub fn decrypt(
        &mut self,
        signing: &GeneralSigning<'_>,
    ) -> Result<Vec<DecryptedPart>, DecodeError> {
        self.parts(signing, true)
    }

    /// The protected parts of `signing`'s content, decrypted when `open`,
    /// else listed with [`Check::NotChecked`].
    fn parts(
        &mut self,
        signing: &GeneralSigning<'_>,
        open: bool,
    ) -> Result<Vec<DecryptedPart>, DecodeError> {
        let mut out = Vec::new();
        let mut key: Option<Option<MessageKey>> = None;
        let cra = signing.header.transaction_id.cra_flag;
        for part in crate::protected::protected_parts(signing.content, cra) {
            let part = part?;
            let ciphered = signing.content.get(part.range()).unwrap_or_default();
            if !open {
                out.push(DecryptedPart {
                    offset: part.offset,
                    ciphered_len: ciphered.len(),
                    check: Check::NotChecked,
                    plaintext: Vec::new(),
                });
                continue;
            }
            let key = key.get_or_insert_with(|| self.encryption_key(&signing.header));
            let (check, plaintext) = match key {
                None => (Check::NoKey, Vec::new()),
                Some(k) => match decrypt_part(k, signing.header.originator, ciphered) {
                    Some(p) => (Check::Valid, p),
                    None => (Check::Invalid, Vec::new()),
                },
            };
            out.push(DecryptedPart {
                offset: part.offset,
                ciphered_len: ciphered.len(),
                check,
                plaintext,
            });
        }
        Ok(out)
    }

    /// Checks `msg` (decoded from `bytes`) as a head-end does: MAC,
    /// signature, the counter against `last_counter` (the last value
    /// accepted from this originator, if the caller tracks one) and, when
    /// authentic (a check valid, none failed), the protected parts decrypted.
    pub fn verify_decoded(
        &mut self,
        bytes: &[u8],
        msg: &GbcsMessage<'_>,
        last_counter: Option<u64>,
    ) -> Verification {
        let mac = self.check_mac(bytes, msg);
        let signature = match self.check_signature_cheap(msg) {
            Some(c) => c,
            None if mac == Check::Invalid => Check::NotChecked,
            None => self.check_signature(bytes, msg),
        };
        let counter = match msg {
            GbcsMessage::MacHeader(m) => m.signing.header.transaction_id.originator_counter,
            GbcsMessage::Signed(s) => s.header.transaction_id.originator_counter,
            GbcsMessage::Block(b) => b.transaction_id.originator_counter,
        };
        let mut v = Verification {
            mac,
            signature,
            counter: CounterCheck::of(counter, last_counter),
            decrypted: Vec::new(),
            parts_error: None,
        };
        // Plaintext only from a message whose MAC or signature checked and
        // none failed: a part's own tag proves the part, not the envelope
        // around it (the recipient, the counter).
        if let Some(s) = msg.signing() {
            let open = v.is_authentic();
            match self.parts(s, open) {
                Ok(parts) => v.decrypted = parts,
                Err(e) => v.parts_error = Some(e),
            }
        }
        v
    }

    /// Decodes `bytes` and checks it as [`Self::verify_decoded`] does.
    ///
    /// # Errors
    /// The decode error when `bytes` is not a GBCS message.
    pub fn verify<'a>(
        &mut self,
        bytes: &'a [u8],
        last_counter: Option<u64>,
    ) -> Result<(GbcsMessage<'a>, Verification), DecodeError> {
        let msg = GbcsMessage::decode(bytes)?;
        let v = self.verify_decoded(bytes, &msg, last_counter);
        Ok((msg, v))
    }

    /// A device's check of a command addressed to `device` (GBCS 6.2.4):
    /// it must be a command for this device in MAC-header or signed form;
    /// its MAC (when present) and signature (when present) must be valid,
    /// a critical command (by its message code) must be signed, at least
    /// one of them must have been checked, and the counter must be above
    /// `last_counter`.
    pub fn verify_command(
        &mut self,
        bytes: &[u8],
        msg: &GbcsMessage<'_>,
        device: Eui64,
        last_counter: Option<u64>,
    ) -> CommandVerdict {
        let verification = self.verify_decoded(bytes, msg, last_counter);
        let outcome = command_outcome(msg, device, &verification);
        CommandVerdict {
            verification,
            outcome,
        }
    }

    /// The ECDSA signature of `signing` by its originator's DS key.
    ///
    /// # Errors
    /// [`SealError::NoKey`] without the originator's DS private key.
    pub fn sign(&self, signing: &GeneralSigning<'_>) -> Result<[u8; SIGNATURE_LEN], SealError> {
        let r = KeyRef::ds(signing.header.originator);
        let key = self.keys.private_key(&r).ok_or(SealError::NoKey(r))?;
        let unsigned = GeneralSigning {
            signature: Some(&[]),
            ..*signing
        };
        let mut buf = Vec::with_capacity(unsigned.encoded_len());
        unsigned.encode(&mut buf)?;
        // The signed bytes leave out the tag and the signature length.
        let signed = buf.get(1..buf.len().saturating_sub(1)).unwrap_or_default();
        Ok(self.provider.sign(key, signed)?)
    }

    /// Builds the message for `signing` in `form` with the signature
    /// `sign` says, MACed for [`Form::MacHeader`] (a pre-command carries no
    /// signature element whatever `sign` says). Length forms are those of
    /// `signing`; the ciphered-service length is written minimally.
    ///
    /// # Errors
    /// A missing key, or fields that do not encode (e.g. a pre-command that
    /// is not a command).
    pub fn seal(
        &mut self,
        signing: &GeneralSigning<'_>,
        form: Form,
        sign: SignWith,
    ) -> Result<Vec<u8>, SealError> {
        let fresh = match sign {
            SignWith::Originator if form != Form::PreCommand => Some(self.sign(signing)?),
            _ => None,
        };
        let signing = GeneralSigning {
            signature: match (form, sign, &fresh) {
                (Form::PreCommand, _, _) => None,
                (_, _, Some(s)) => Some(&s[..]),
                (_, SignWith::Given, None) => Some(signing.signature.unwrap_or_default()),
                (_, _, None) => Some(&[][..]),
            },
            ..*signing
        };
        let mut apdu = Vec::with_capacity(signing.encoded_len());
        signing.encode(&mut apdu)?;
        if form != Form::MacHeader {
            return Ok(apdu);
        }
        let h = &signing.header;
        let (a, b) = self.mac_parties(h);
        let key = self
            .mac_key(h)
            .ok_or_else(|| SealError::NoKey(self.missing_ka(a, b)))?;
        let mac = self
            .gmac_of(&key, h.originator, &apdu)
            .ok_or(SealError::Crypto(CryptoError::TooLong))?;
        let body = 5 + apdu.len() + MAC_LEN;
        let m = GbcsMessage::MacHeader(MacHeaderMessage {
            ciphered_length_form: LengthForm::minimal(body),
            security: SecurityHeader {
                security_control: MAC_SECURITY_CONTROL,
                invocation_counter: 0,
            },
            signing,
            mac,
        });
        let mut out = Vec::with_capacity(m.encoded_len());
        m.encode(&mut out)?;
        Ok(out)
    }

    /// Encrypts `plaintext` as a protected part of a message with header
    /// `h`: security control `31`, invocation counter 0, ciphertext, tag
    /// (GBCS 7.3.4), appended to `out`.
    ///
    /// # Errors
    /// [`SealError::NoKey`] without the KA keys of the parties.
    pub fn encrypt_part<B: BufMut>(
        &mut self,
        h: &GroupingHeader<'_>,
        plaintext: &[u8],
        out: &mut B,
    ) -> Result<(), SealError> {
        let (recipient, _) = encryption_party(h);
        let key = self
            .encryption_key(h)
            .ok_or_else(|| SealError::NoKey(self.missing_ka(h.originator, recipient)))?;
        let mut buf = plaintext.to_vec();
        let tag = crypto::encrypt_in_place(
            &key,
            &crypto::iv(h.originator),
            &[ENCRYPTION_SECURITY_CONTROL],
            &mut buf,
        )?;
        out.put_u8(ENCRYPTION_SECURITY_CONTROL);
        out.put_u32(0);
        out.put_slice(&buf);
        out.put_slice(&tag);
        Ok(())
    }

    /// The header of the response to the command `command`: CRA flag
    /// response, the command's counter, originator and recipient swapped,
    /// `date_time` and the command's message code.
    #[must_use]
    pub fn response_header<'a>(
        command: &GroupingHeader<'a>,
        date_time: Option<[u8; 12]>,
    ) -> GroupingHeader<'a> {
        let mut h = *command;
        h.transaction_id.cra_flag = CraFlag::Response;
        h.originator = command.recipient;
        h.recipient = command.originator;
        h.date_time = date_time;
        h.other_information.supplementary = Supplementary::None;
        h.other_information.length_form = LengthForm::minimal(2);
        h
    }

    /// Which of the two parties' KA keys the store lacks (the private key
    /// on our side, else their public key), to name it in an error.
    fn missing_ka(&self, a: Eui64, b: Eui64) -> KeyRef {
        if self.keys.private_key(&KeyRef::ka(a)).is_none()
            && self.keys.private_key(&KeyRef::ka(b)).is_none()
        {
            KeyRef::ka(a)
        } else if self.keys.public_key(&KeyRef::ka(b)).is_none() {
            KeyRef::ka(b)
        } else {
            KeyRef::ka(a)
        }
    }
}

/// The party a device encrypts to and the counter of the KDF (GBCS 7.3.4).
fn encryption_party(h: &GroupingHeader<'_>) -> (Eui64, u64) {
    let counter = h.transaction_id.originator_counter;
    match h.other_information.supplementary {
        Supplementary::None => (h.recipient, counter),
        Supplementary::RemoteParty { id }
        | Supplementary::RemotePartyCounter { id, .. }
        | Supplementary::Certificate { id, .. } => (id, counter),
        Supplementary::OriginatorCounter {
            id,
            originator_counter,
            ..
        } => (id, originator_counter),
    }
}

/// Decrypts one protected part (`31`, invocation counter 0, ciphertext,
/// tag); `None` when its header or tag is wrong.
#[must_use]
pub fn decrypt_part(key: &MessageKey, originator: Eui64, ciphered: &[u8]) -> Option<Vec<u8>> {
    let (head, rest) = ciphered.split_first_chunk::<PART_HEADER_LEN>()?;
    let (ct, tag) = rest.split_last_chunk::<MAC_LEN>()?;
    // The invocation counter is always 0 in GBCS, and the tag does not
    // cover it (the IV's last four bytes are zero): any other value is a
    // part that was not sent as it is.
    if head != &[ENCRYPTION_SECURITY_CONTROL, 0, 0, 0, 0] {
        return None;
    }
    let mut buf = ct.to_vec();
    crypto::decrypt_in_place(
        key,
        &crypto::iv(originator),
        &[ENCRYPTION_SECURITY_CONTROL],
        &mut buf,
        tag,
    )
    .then_some(buf)
}

fn ct_eq(a: &[u8; MAC_LEN], b: &[u8; MAC_LEN]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn command_outcome(
    msg: &GbcsMessage<'_>,
    device: Eui64,
    v: &Verification,
) -> Result<(), Rejection> {
    let s = match msg {
        GbcsMessage::Block(_) => return Err(Rejection::NotExecutable),
        GbcsMessage::MacHeader(m) => &m.signing,
        GbcsMessage::Signed(s) => s,
    };
    if s.header.transaction_id.cra_flag != CraFlag::Command {
        return Err(Rejection::NotACommand);
    }
    if s.signature.is_none() {
        return Err(Rejection::NotExecutable);
    }
    if s.header.recipient != device {
        return Err(Rejection::NotForThisDevice);
    }
    if v.mac == Check::Invalid {
        return Err(Rejection::MacInvalid);
    }
    if v.signature == Check::Invalid {
        return Err(Rejection::SignatureInvalid);
    }
    let critical = crate::catalogue::by_message_code(s.header.other_information.message_code)
        .and_then(|u| u.critical)
        .unwrap_or(false);
    if critical && v.signature == Check::Absent {
        return Err(Rejection::SignatureMissing);
    }
    if !matches!(msg, GbcsMessage::MacHeader(_)) && v.signature == Check::Absent {
        return Err(Rejection::SignatureMissing);
    }
    if v.mac != Check::Valid && v.signature != Check::Valid {
        return Err(Rejection::NoKey);
    }
    match v.counter {
        CounterCheck::Replayed => Err(Rejection::Replayed),
        CounterCheck::Stale => Err(Rejection::Stale),
        CounterCheck::Fresh | CounterCheck::NotChecked => Ok(()),
    }
}
