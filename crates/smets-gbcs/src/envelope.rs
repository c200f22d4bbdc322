//! GBCS message envelope (GBCS 7.2.5 MAC header, 7.2.7 grouping header,
//! 7.2.11 General Block Transfer): the three outer forms, decoded without
//! copying and re-encoded byte for byte. It neither checks MACs or
//! signatures nor decodes the content (DLMS, GBZ, ASN.1 payloads).

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

const LAYER: Layer = Layer::Gbcs;
/// DLMS General-Ciphering APDU tag (IEC 62056-5-3 / GBCS 7.2.5).
pub const TAG_GENERAL_CIPHERING: u8 = 0xDD;
/// DLMS General-Signing APDU tag (GBCS 7.2.7).
pub const TAG_GENERAL_SIGNING: u8 = 0xDF;
/// DLMS General-Block-Transfer APDU tag (GBCS 7.2.11).
pub const TAG_GENERAL_BLOCK_TRANSFER: u8 = 0xE0;
/// Length of a transaction-id: CRA flag and originator counter (GBCS 7.2.7).
pub const TRANSACTION_ID_LEN: u8 = 9;
/// Length of a DLMS date-time octet-string (IEC 62056-6-2 4.1.6.1).
pub const DATE_TIME_LEN: usize = 12;
/// Length of the truncated GMAC tag closing a MAC-header message (GBCS 7.2.5).
pub const MAC_LEN: usize = 12;
/// Length of an ECDSA P-256 signature, raw `r‖s` (GBCS 7.2.7).
pub const SIGNATURE_LEN: usize = 64;
/// Bit of the GBT block-control byte marking the last block (IEC 62056-5-3 9.3.11).
pub const BLOCK_CONTROL_LAST: u8 = 0x80;
/// Bit of the GBT block-control byte marking streaming (IEC 62056-5-3 9.3.11).
pub const BLOCK_CONTROL_STREAMING: u8 = 0x40;
/// Window-size bits of the GBT block-control byte (IEC 62056-5-3 9.3.11).
pub const BLOCK_CONTROL_WINDOW: u8 = 0x3F;

open_enum! {
    /// CRA flag: the first byte of the transaction-id (GBCS 7.2.7).
    pub enum CraFlag: u8 {
        /// A command from a remote party to a device.
        Command = 1 => "command",
        /// A response from a device.
        Response = 2 => "response",
        /// An alert from a device.
        Alert = 3 => "alert",
    }
}

/// How a BER definite length was written (IEC 62056-5-3 / X.690 8.1.3):
/// the number of length bytes after a `0x8n` lead byte, 0 for the one-byte
/// short form. Kept so that a non-minimal form re-encodes as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct LengthForm(pub u8);

impl LengthForm {
    /// The shortest form for `n`.
    #[must_use]
    pub const fn minimal(n: usize) -> Self {
        Self(match n {
            0..=0x7f => 0,
            0x80..=0xff => 1,
            0x100..=0xffff => 2,
            _ => 3,
        })
    }

    /// Bytes the length takes on the wire.
    #[must_use]
    pub const fn len(self) -> usize {
        1 + self.0 as usize
    }

    /// Never: a length takes at least one byte. Present for clippy's `len_without_is_empty`.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        false
    }

    fn check(self, n: usize, field: &'static str) -> Result<(), EncodeError> {
        let ok = match self.0 {
            0 => n <= 0x7f,
            1 => n <= 0xff,
            2 => n <= 0xffff,
            3 => n <= 0xff_ffff,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(EncodeError::unrepresentable(LAYER, field, n as u64))
        }
    }

    fn put<B: BufMut>(self, out: &mut B, n: usize) {
        let be = (n as u64).to_be_bytes();
        if self.0 == 0 {
            out.put_u8(be[7]);
        } else {
            out.put_u8(0x80 | self.0);
            out.put_slice(be.get(8 - usize::from(self.0)..).unwrap_or_default());
        }
    }
}

/// Reads a BER definite length (at most three length bytes, as GBCS parsers accept).
fn ber_length(r: &mut Reader<'_>, field: &'static str) -> Result<(usize, LengthForm), DecodeError> {
    let form = match r.peek_u8() {
        Some(b @ 0x84..) => return Err(r.invalid(0, field, u64::from(b))),
        Some(b @ 0x80..) => b & 0x7f,
        _ => 0,
    };
    Ok((r.ber_length(field)?, LengthForm(form)))
}

fn eui_element(r: &mut Reader<'_>, field: &'static str) -> Result<Eui64, DecodeError> {
    let n = r.u8(field)?;
    if n != 8 {
        return Err(r.invalid(1, field, u64::from(n)));
    }
    Ok(Eui64(r.uint_be(8, field)?))
}

fn date_time_element(r: &mut Reader<'_>) -> Result<Option<[u8; DATE_TIME_LEN]>, DecodeError> {
    let n = r.u8("date-time length")?;
    match usize::from(n) {
        0 => Ok(None),
        DATE_TIME_LEN => Ok(Some(r.array("date-time")?)),
        _ => Err(r.invalid(1, "date-time length", u64::from(n))),
    }
}

/// Transaction-id of a grouping header or routing header: CRA flag and
/// Business Originator Counter, u64 big-endian (GBCS 7.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionId {
    /// Command, response or alert.
    pub cra_flag: CraFlag,
    /// Originator counter.
    pub originator_counter: u64,
}

impl TransactionId {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.u8("transaction-id length")?;
        if n != TRANSACTION_ID_LEN {
            return Err(r.invalid(1, "transaction-id length", u64::from(n)));
        }
        let cra_flag = CraFlag::from(r.u8("cra flag")?);
        let originator_counter = r.uint_be(8, "originator counter")?;
        Ok(Self {
            cra_flag,
            originator_counter,
        })
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TRANSACTION_ID_LEN);
        out.put_u8(self.cra_flag.value());
        out.put_u64(self.originator_counter);
    }
}

/// The supplementary fields after the message code in other-information;
/// their presence is given by the field's length (GBCS 7.2.7, table of
/// other-information lengths 2, 10, 18, 26 and more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Supplementary<'a> {
    /// Length 2: the message code alone.
    None,
    /// Length 10: Supplementary Remote Party ID.
    RemoteParty {
        /// Supplementary Remote Party ID (Entity Identifier).
        id: Eui64,
    },
    /// Length 18: Supplementary Remote Party ID and Counter.
    RemotePartyCounter {
        /// Supplementary Remote Party ID.
        id: Eui64,
        /// Supplementary Remote Party Counter.
        counter: u64,
    },
    /// Length 26 (responses): ID, counter and Supplementary Originator Counter.
    OriginatorCounter {
        /// Supplementary Remote Party ID.
        id: Eui64,
        /// Supplementary Remote Party Counter.
        counter: u64,
        /// Supplementary Originator Counter.
        originator_counter: u64,
    },
    /// Length over 26 (commands): ID, counter and the Supplementary Remote
    /// Party key-agreement certificate (DER X.509, more than 8 bytes).
    Certificate {
        /// Supplementary Remote Party ID.
        id: Eui64,
        /// Supplementary Remote Party Counter.
        counter: u64,
        /// The certificate, unparsed.
        certificate: &'a [u8],
    },
}

impl Supplementary<'_> {
    /// Bytes after the message code.
    #[must_use]
    pub const fn len(&self) -> usize {
        match self {
            Self::None => 0,
            Self::RemoteParty { .. } => 8,
            Self::RemotePartyCounter { .. } => 16,
            Self::OriginatorCounter { .. } => 24,
            Self::Certificate { certificate, .. } => 16 + certificate.len(),
        }
    }

    /// True for [`Supplementary::None`].
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        matches!(self, Self::None)
    }
}

/// Other-information of a grouping header: Message Code u16 big-endian
/// and the supplementary fields (GBCS 7.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtherInformation<'a> {
    /// How the field's BER length was written.
    pub length_form: LengthForm,
    /// Message Code: the use case (GBCS table 13.3.4).
    pub message_code: u16,
    /// Supplementary fields.
    pub supplementary: Supplementary<'a>,
}

impl<'a> OtherInformation<'a> {
    /// Length of the field's value (message code and supplementary fields).
    #[must_use]
    pub const fn value_len(&self) -> usize {
        2 + self.supplementary.len()
    }

    fn decode(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let (len, length_form) = ber_length(r, "other-information length")?;
        let at = r.pos();
        let body = r.bytes(len, "other-information")?;
        let mut b = Reader::with_base(body, LAYER, at);
        let invalid = || {
            DecodeError::invalid(
                LAYER,
                at.saturating_sub(length_form.len()),
                "other-information length",
                len as u64,
            )
        };
        if len < 2 {
            return Err(invalid());
        }
        let message_code = b.u16_be("message code")?;
        let supplementary = match len {
            2 => Supplementary::None,
            10 => Supplementary::RemoteParty {
                id: Eui64(b.uint_be(8, "supplementary remote party id")?),
            },
            18 | 26.. => {
                let id = Eui64(b.uint_be(8, "supplementary remote party id")?);
                let counter = b.uint_be(8, "supplementary remote party counter")?;
                if len == 18 {
                    Supplementary::RemotePartyCounter { id, counter }
                } else if len == 26 {
                    Supplementary::OriginatorCounter {
                        id,
                        counter,
                        originator_counter: b.uint_be(8, "supplementary originator counter")?,
                    }
                } else {
                    Supplementary::Certificate {
                        id,
                        counter,
                        certificate: b.rest(),
                    }
                }
            }
            _ => return Err(invalid()),
        };
        b.finish()?;
        Ok(Self {
            length_form,
            message_code,
            supplementary,
        })
    }

    fn encoded_len(&self) -> usize {
        self.length_form.len() + self.value_len()
    }

    fn check(&self) -> Result<(), EncodeError> {
        if let Supplementary::Certificate { certificate, .. } = self.supplementary
            && certificate.len() <= 8
        {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "supplementary remote party certificate length",
                certificate.len() as u64,
            ));
        }
        self.length_form
            .check(self.value_len(), "other-information length")
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        self.length_form.put(out, self.value_len());
        out.put_u16(self.message_code);
        match self.supplementary {
            Supplementary::None => {}
            Supplementary::RemoteParty { id } => out.put_u64(id.0),
            Supplementary::RemotePartyCounter { id, counter } => {
                out.put_u64(id.0);
                out.put_u64(counter);
            }
            Supplementary::OriginatorCounter {
                id,
                counter,
                originator_counter,
            } => {
                out.put_u64(id.0);
                out.put_u64(counter);
                out.put_u64(originator_counter);
            }
            Supplementary::Certificate {
                id,
                counter,
                certificate,
            } => {
                out.put_u64(id.0);
                out.put_u64(counter);
                out.put_slice(certificate);
            }
        }
    }
}

/// Grouping header of a General-Signing APDU up to other-information
/// (GBCS 7.2.7). System titles are Entity Identifiers, held as [`Eui64`]
/// with the first wire byte most significant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupingHeader<'a> {
    /// Transaction-id.
    pub transaction_id: TransactionId,
    /// Business Originator ID (originator-system-title).
    pub originator: Eui64,
    /// Business Target ID (recipient-system-title).
    pub recipient: Eui64,
    /// DLMS date-time (IEC 62056-6-2 4.1.6.1), bytes as sent; `None` when empty.
    pub date_time: Option<[u8; DATE_TIME_LEN]>,
    /// Other-information.
    pub other_information: OtherInformation<'a>,
}

impl<'a> GroupingHeader<'a> {
    fn decode_fields(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let transaction_id = TransactionId::decode(r)?;
        let originator = eui_element(r, "originator-system-title")?;
        let recipient = eui_element(r, "recipient-system-title")?;
        let date_time = date_time_element(r)?;
        let other_information = OtherInformation::decode(r)?;
        Ok(Self {
            transaction_id,
            originator,
            recipient,
            date_time,
            other_information,
        })
    }

    fn encoded_len(&self) -> usize {
        1 + 10
            + 9
            + 9
            + 1
            + self.date_time.map_or(0, |_| DATE_TIME_LEN)
            + self.other_information.encoded_len()
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        self.transaction_id.put(out);
        out.put_u8(8);
        out.put_u64(self.originator.0);
        out.put_u8(8);
        out.put_u64(self.recipient.0);
        match &self.date_time {
            None => out.put_u8(0),
            Some(dt) => {
                out.put_u8(12);
                out.put_slice(dt);
            }
        }
        self.other_information.put(out);
    }
}

/// A General-Signing APDU (tag `DF`): grouping header, content and the
/// signature element (GBCS 7.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GeneralSigning<'a> {
    /// Grouping header.
    pub header: GroupingHeader<'a>,
    /// How the content length was written.
    pub content_length_form: LengthForm,
    /// Content: the DLMS, GBZ or ASN.1 payload, unparsed.
    pub content: &'a [u8],
    /// Signature element: `None` when absent (a DUIS pre-command: commands
    /// only, the decoder rejects it for other CRA flags), empty for
    /// length `00`, 64 bytes of ECDSA `r‖s` for length `40`.
    pub signature: Option<&'a [u8]>,
}

impl<'a> Decode<'a> for GeneralSigning<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        Self::decode_from(&mut r)
    }
}

impl<'a> GeneralSigning<'a> {
    /// Decodes from a reader that must end with the APDU.
    fn decode_from(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let tag = r.u8("general-signing tag")?;
        if tag != TAG_GENERAL_SIGNING {
            return Err(r.invalid(1, "general-signing tag", u64::from(tag)));
        }
        let header = GroupingHeader::decode_fields(r)?;
        let (len, content_length_form) = ber_length(r, "content length")?;
        let content = r.bytes(len, "content")?;
        // Only a DUIS pre-command, which is a command, leaves out the
        // signature element; elsewhere its absence means a cut message.
        let signature = if r.is_empty() && header.transaction_id.cra_flag == CraFlag::Command {
            None
        } else {
            let n = r.u8("signature length")?;
            if n != 0 && usize::from(n) != SIGNATURE_LEN {
                return Err(r.invalid(1, "signature length", u64::from(n)));
            }
            Some(r.bytes(usize::from(n), "signature")?)
        };
        r.finish()?;
        Ok(Self {
            header,
            content_length_form,
            content,
            signature,
        })
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.header.other_information.check()?;
        self.content_length_form
            .check(self.content.len(), "content length")?;
        if self.signature.is_none() && self.header.transaction_id.cra_flag != CraFlag::Command {
            return Err(EncodeError::inconsistent(LAYER, "signature"));
        }
        if let Some(s) = self.signature
            && !s.is_empty()
            && s.len() != SIGNATURE_LEN
        {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "signature length",
                s.len() as u64,
            ));
        }
        Ok(())
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(TAG_GENERAL_SIGNING);
        self.header.put(out);
        self.content_length_form.put(out, self.content.len());
        out.put_slice(self.content);
        if let Some(s) = self.signature {
            out.put_u8(u8::try_from(s.len()).unwrap_or(0));
            out.put_slice(s);
        }
    }
}

impl Encode for GeneralSigning<'_> {
    fn encoded_len(&self) -> usize {
        self.header.encoded_len()
            + self.content_length_form.len()
            + self.content.len()
            + self.signature.map_or(0, |s| 1 + s.len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.check()?;
        self.put(out);
        Ok(())
    }
}

/// Security header of a General-Ciphering APDU: security control byte
/// (`0x11` in GBCS: authentication only, suite 1) and invocation counter
/// (always 0 in GBCS) (GBCS 7.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityHeader {
    /// Security control byte.
    pub security_control: u8,
    /// Invocation counter, u32 big-endian.
    pub invocation_counter: u32,
}

impl SecurityHeader {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            security_control: r.u8("security control")?,
            invocation_counter: r.u32_be("invocation counter")?,
        })
    }

    fn put<B: BufMut>(&self, out: &mut B) {
        out.put_u8(self.security_control);
        out.put_u32(self.invocation_counter);
    }
}

/// A MAC-header message (`DD 00`): General-Ciphering with six empty
/// header fields wrapping a General-Signing APDU, closed by a 12-byte
/// GMAC (GBCS 7.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacHeaderMessage<'a> {
    /// How the ciphered-service length was written.
    pub ciphered_length_form: LengthForm,
    /// Security header.
    pub security: SecurityHeader,
    /// The wrapped General-Signing APDU.
    pub signing: GeneralSigning<'a>,
    /// MAC: the GMAC tag truncated to 96 bits.
    pub mac: [u8; MAC_LEN],
}

impl MacHeaderMessage<'_> {
    /// The ciphered-service length: security header, General-Signing APDU and MAC.
    #[must_use]
    pub fn ciphered_len(&self) -> usize {
        5 + self.signing.encoded_len() + MAC_LEN
    }
}

/// A GBT block (`DD 09`): a Message Routing Header (General-Ciphering with
/// transaction-id, system titles, date-time, other-information, key-info)
/// then a DLMS General-Block-Transfer header and the block's data (GBCS 7.2.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbtBlock<'a> {
    /// Transaction-id of the whole message.
    pub transaction_id: TransactionId,
    /// Business Originator ID.
    pub originator: Eui64,
    /// Business Target ID.
    pub recipient: Eui64,
    /// Date-time, bytes as sent; `None` when empty (always so in GBCS).
    pub date_time: Option<[u8; DATE_TIME_LEN]>,
    /// Other-information (the message code).
    pub other_information: OtherInformation<'a>,
    /// Key-info (empty in GBCS), unparsed, at most 255 bytes.
    pub key_info: &'a [u8],
    /// How the ciphered-service length was written.
    pub ciphered_length_form: LengthForm,
    /// Security header.
    pub security: SecurityHeader,
    /// Block-control: last-block bit, streaming bit, window size.
    pub block_control: u8,
    /// Block number, the first block being 1.
    pub block_number: u16,
    /// Block number acknowledged.
    pub block_number_ack: u16,
    /// How the block-data length was written.
    pub data_length_form: LengthForm,
    /// This block's slice of the complete GBCS message.
    pub data: &'a [u8],
}

impl GbtBlock<'_> {
    /// True when the last-block bit is set.
    #[must_use]
    pub const fn is_last(&self) -> bool {
        self.block_control & BLOCK_CONTROL_LAST != 0
    }

    /// The ciphered-service length: security header and GBT APDU.
    #[must_use]
    pub const fn ciphered_len(&self) -> usize {
        5 + 1 + 1 + 2 + 2 + self.data_length_form.len() + self.data.len()
    }

    fn routing_len(&self) -> usize {
        1 + 10
            + 9
            + 9
            + 1
            + self.date_time.map_or(0, |_| DATE_TIME_LEN)
            + self.other_information.encoded_len()
            + 1
            + self.key_info.len()
    }
}

/// A GBCS message in one of its three outer forms, told apart by its first
/// two bytes (GBCS 7.2.5, 7.2.7, 7.2.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GbcsMessage<'a> {
    /// `DD 00`: MAC header, General-Signing APDU, MAC.
    MacHeader(MacHeaderMessage<'a>),
    /// `DF`: General-Signing APDU alone (signed-only, unsigned, or pre-command).
    Signed(GeneralSigning<'a>),
    /// `DD 09`: one GBT block.
    Block(GbtBlock<'a>),
}

impl<'a> GbcsMessage<'a> {
    /// The General-Signing APDU of a `DD 00` or `DF` message.
    #[must_use]
    pub const fn signing(&self) -> Option<&GeneralSigning<'a>> {
        match self {
            Self::MacHeader(m) => Some(&m.signing),
            Self::Signed(s) => Some(s),
            Self::Block(_) => None,
        }
    }
}

fn decode_mac_header<'a>(r: &mut Reader<'a>) -> Result<MacHeaderMessage<'a>, DecodeError> {
    for field in [
        "transaction-id length",
        "originator-system-title length",
        "recipient-system-title length",
        "date-time length",
        "other-information length",
        "key-info",
    ] {
        let n = r.u8(field)?;
        if n != 0 {
            return Err(r.invalid(1, field, u64::from(n)));
        }
    }
    let (len, ciphered_length_form) = ber_length(r, "ciphered-service length")?;
    let at = r.pos();
    if len < 5 + MAC_LEN {
        return Err(DecodeError::invalid(
            LAYER,
            at - ciphered_length_form.len(),
            "ciphered-service length",
            len as u64,
        ));
    }
    let body = r.bytes(len, "ciphered-service")?;
    r.finish()?;
    let mut b = Reader::with_base(body, LAYER, at);
    let security = SecurityHeader::decode(&mut b)?;
    let signing_at = b.pos();
    let signing_bytes = b.bytes(len - 5 - MAC_LEN, "general-signing")?;
    let mac = b.array("mac")?;
    let mut s = Reader::with_base(signing_bytes, LAYER, at + signing_at);
    let signing = GeneralSigning::decode_from(&mut s)?;
    Ok(MacHeaderMessage {
        ciphered_length_form,
        security,
        signing,
        mac,
    })
}

fn decode_block<'a>(r: &mut Reader<'a>) -> Result<GbtBlock<'a>, DecodeError> {
    let transaction_id = TransactionId::decode(r)?;
    let originator = eui_element(r, "originator-system-title")?;
    let recipient = eui_element(r, "recipient-system-title")?;
    let date_time = date_time_element(r)?;
    let other_information = OtherInformation::decode(r)?;
    let n = r.u8("key-info length")?;
    let key_info = r.bytes(usize::from(n), "key-info")?;
    let (len, ciphered_length_form) = ber_length(r, "ciphered-service length")?;
    let at = r.pos();
    let body = r.bytes(len, "ciphered-service")?;
    r.finish()?;
    let mut b = Reader::with_base(body, LAYER, at);
    let security = SecurityHeader::decode(&mut b)?;
    let tag = b.u8("general-block-transfer tag")?;
    if tag != TAG_GENERAL_BLOCK_TRANSFER {
        return Err(b.invalid(1, "general-block-transfer tag", u64::from(tag)));
    }
    let block_control = b.u8("block control")?;
    let block_number = b.u16_be("block number")?;
    let block_number_ack = b.u16_be("block number ack")?;
    let (dlen, data_length_form) = ber_length(&mut b, "block data length")?;
    let data = b.bytes(dlen, "block data")?;
    b.finish()?;
    Ok(GbtBlock {
        transaction_id,
        originator,
        recipient,
        date_time,
        other_information,
        key_info,
        ciphered_length_form,
        security,
        block_control,
        block_number,
        block_number_ack,
        data_length_form,
        data,
    })
}

impl<'a> Decode<'a> for GbcsMessage<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        match r.peek_u8() {
            Some(TAG_GENERAL_SIGNING) => GeneralSigning::decode_from(&mut r).map(Self::Signed),
            Some(TAG_GENERAL_CIPHERING) => {
                r.u8("general-ciphering tag")?;
                match r.peek_u8() {
                    Some(0) => decode_mac_header(&mut r).map(Self::MacHeader),
                    Some(TRANSACTION_ID_LEN) => decode_block(&mut r).map(Self::Block),
                    Some(v) => Err(r.invalid(0, "transaction-id length", u64::from(v))),
                    None => Err(DecodeError::truncated(
                        LAYER,
                        1,
                        "transaction-id length",
                        1,
                        0,
                    )),
                }
            }
            Some(v) => Err(r.invalid(0, "message tag", u64::from(v))),
            None => Err(DecodeError::truncated(LAYER, 0, "message tag", 1, 0)),
        }
    }
}

impl Encode for GbcsMessage<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Signed(s) => s.encoded_len(),
            Self::MacHeader(m) => 7 + m.ciphered_length_form.len() + m.ciphered_len(),
            Self::Block(b) => b.routing_len() + b.ciphered_length_form.len() + b.ciphered_len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        match self {
            Self::Signed(s) => {
                s.check()?;
                s.put(out);
            }
            Self::MacHeader(m) => {
                m.signing.check()?;
                m.ciphered_length_form
                    .check(m.ciphered_len(), "ciphered-service length")?;
                out.put_slice(&[TAG_GENERAL_CIPHERING, 0, 0, 0, 0, 0, 0]);
                m.ciphered_length_form.put(out, m.ciphered_len());
                m.security.put(out);
                m.signing.put(out);
                out.put_slice(&m.mac);
            }
            Self::Block(b) => {
                b.other_information.check()?;
                let key_info_len = u8::try_from(b.key_info.len()).map_err(|_| {
                    EncodeError::unrepresentable(LAYER, "key-info length", b.key_info.len() as u64)
                })?;
                b.data_length_form
                    .check(b.data.len(), "block data length")?;
                b.ciphered_length_form
                    .check(b.ciphered_len(), "ciphered-service length")?;
                out.put_u8(TAG_GENERAL_CIPHERING);
                b.transaction_id.put(out);
                out.put_u8(8);
                out.put_u64(b.originator.0);
                out.put_u8(8);
                out.put_u64(b.recipient.0);
                match &b.date_time {
                    None => out.put_u8(0),
                    Some(dt) => {
                        out.put_u8(12);
                        out.put_slice(dt);
                    }
                }
                b.other_information.put(out);
                out.put_u8(key_info_len);
                out.put_slice(b.key_info);
                b.ciphered_length_form.put(out, b.ciphered_len());
                b.security.put(out);
                out.put_u8(TAG_GENERAL_BLOCK_TRANSFER);
                out.put_u8(b.block_control);
                out.put_u16(b.block_number);
                out.put_u16(b.block_number_ack);
                b.data_length_form.put(out, b.data.len());
                out.put_slice(b.data);
            }
        }
        Ok(())
    }
}

/// The payload family of a General-Signing content, by its first bytes
/// (GBCS 7.2.7 as Wireshark's `packet-gbcs.c` and the DCC parser read it):
/// `01 09` (the Smart Energy profile id) is GBZ, `D9`, `DA` and `0F`
/// (access-request, access-response, data-notification) are DLMS, anything
/// else an ASN.1 DER structure; `None` for empty content.
#[must_use]
pub fn payload_family(content: &[u8]) -> Option<crate::catalogue::PayloadFamily> {
    use crate::catalogue::PayloadFamily;
    match content {
        [] => None,
        [0x01, 0x09, ..] => Some(PayloadFamily::Gbz),
        [0xD9 | 0xDA | 0x0F, ..] => Some(PayloadFamily::Dlms),
        _ => Some(PayloadFamily::Der),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;
    use smets_core::DecodeErrorKind;

    use super::*;

    /// RTDS 4.5.0 `ECS52_11.2_SUCCESS_COMMAND` (gbcs-envelope digest 4).
    const ECS52: &str = "DD0000000000004711000000\
        00DF090100000000000003E80890B3D51F30010000\
        0800DB1234567890A0000200591\
        3D9200003E800010100010000000201FF020100\
        00A25A51A93BAFA5C9E2B224BD";

    fn ecs52() -> Vec<u8> {
        hex::decode(ECS52).unwrap()
    }

    #[test]
    fn mac_header_command_fields() {
        let bytes = ecs52();
        let GbcsMessage::MacHeader(m) = GbcsMessage::decode(&bytes).unwrap() else {
            panic!("form")
        };
        assert_eq!(m.ciphered_length_form, LengthForm(0));
        assert_eq!(m.ciphered_len(), 0x47);
        assert_eq!(
            m.security,
            SecurityHeader {
                security_control: 0x11,
                invocation_counter: 0
            }
        );
        let h = &m.signing.header;
        assert_eq!(h.transaction_id.cra_flag, CraFlag::Command);
        assert_eq!(h.transaction_id.originator_counter, 1000);
        assert_eq!(h.originator, Eui64(0x90B3_D51F_3001_0000));
        assert_eq!(h.recipient, Eui64(0x00DB_1234_5678_90A0));
        assert_eq!(h.date_time, None);
        assert_eq!(h.other_information.message_code, 0x0059);
        assert_eq!(h.other_information.supplementary, Supplementary::None);
        assert_eq!(m.signing.content.len(), 19);
        assert_eq!(m.signing.content.first(), Some(&0xD9));
        assert_eq!(m.signing.signature, Some(&[][..]));
        assert_eq!(m.mac, hex::decode("A25A51A93BAFA5C9E2B224BD").unwrap()[..]);
        assert_eq!(GbcsMessage::MacHeader(m).to_vec().unwrap(), bytes);
    }

    #[test]
    fn truncation_at_every_offset() {
        let bytes = ecs52();
        for cut in 0..bytes.len() {
            let e = GbcsMessage::decode(&bytes[..cut]).unwrap_err();
            assert_eq!(e.layer, Layer::Gbcs);
            assert!(e.offset <= cut, "cut {cut}: {e}");
        }
    }

    #[test]
    fn signed_only_and_pre_command() {
        // The General-Signing APDU of ECS52, alone: unsigned `DF` form.
        let bytes = ecs52();
        let inner = &bytes[13..bytes.len() - 12];
        let GbcsMessage::Signed(s) = GbcsMessage::decode(inner).unwrap() else {
            panic!("form")
        };
        assert_eq!(s.signature, Some(&[][..]));
        // Without the signature element: a pre-command.
        let pre = &inner[..inner.len() - 1];
        let GbcsMessage::Signed(p) = GbcsMessage::decode(pre).unwrap() else {
            panic!("form")
        };
        assert_eq!(p.signature, None);
        assert_eq!(p.to_vec().unwrap(), pre);
        // An alert may not leave it out.
        let mut alert = pre.to_vec();
        alert[2] = 3;
        let e = GbcsMessage::decode(&alert).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::Truncated {
                field: "signature length",
                ..
            }
        ));
        let mut bad = p;
        bad.header.transaction_id.cra_flag = CraFlag::Alert;
        assert!(bad.to_vec().is_err());
    }

    #[test]
    fn signature_length_other_than_0_or_64_is_rejected() {
        let bytes = ecs52();
        let mut inner = bytes[13..bytes.len() - 12].to_vec();
        let last = inner.len() - 1;
        inner[last] = 0x20;
        inner.extend_from_slice(&[0; 0x20]);
        let e = GbcsMessage::decode(&inner).unwrap_err();
        assert_eq!(e.offset, last);
        assert!(matches!(
            e.kind,
            DecodeErrorKind::Invalid {
                field: "signature length",
                value: 0x20
            }
        ));
    }

    #[test]
    fn bad_headers_name_their_offset() {
        let bytes = ecs52();
        let mut b = bytes.clone();
        b[0] = 0xDE;
        assert_eq!(GbcsMessage::decode(&b).unwrap_err().offset, 0);
        let mut b = bytes.clone();
        b[1] = 0x05;
        assert_eq!(GbcsMessage::decode(&b).unwrap_err().offset, 1);
        let mut b = bytes.clone();
        b[4] = 0x01;
        assert_eq!(GbcsMessage::decode(&b).unwrap_err().offset, 4);
        // date-time length 3
        let mut b = bytes.clone();
        b[13 + 29] = 3;
        let e = GbcsMessage::decode(&b).unwrap_err();
        assert_eq!(e.offset, 42);
        assert!(matches!(
            e.kind,
            DecodeErrorKind::Invalid {
                field: "date-time length",
                value: 3
            }
        ));
        // other-information length 1: no room for the message code
        let mut b = bytes;
        b[43] = 1;
        assert!(GbcsMessage::decode(&b).is_err());
    }

    #[test]
    fn non_minimal_length_forms_round_trip() {
        // Content length 0x13 written as `81 13`, ciphered-service length as `82 00 48`.
        let bytes = ecs52();
        let mut b = bytes[..7].to_vec();
        b.extend_from_slice(&[0x82, 0x00, 0x48]);
        b.extend_from_slice(&bytes[8..46]);
        b.extend_from_slice(&[0x81, 0x13]);
        b.extend_from_slice(&bytes[47..]);
        let GbcsMessage::MacHeader(m) = GbcsMessage::decode(&b).unwrap() else {
            panic!("form")
        };
        assert_eq!(m.ciphered_length_form, LengthForm(2));
        assert_eq!(m.signing.content_length_form, LengthForm(1));
        assert_eq!(m.signing.content.len(), 0x13);
        assert_eq!(GbcsMessage::MacHeader(m).to_vec().unwrap(), b);
        // Indefinite and over-long forms are rejected.
        let mut bad = b.clone();
        bad[7] = 0x80;
        assert!(GbcsMessage::decode(&bad).is_err());
        bad[7] = 0x84;
        assert!(GbcsMessage::decode(&bad).is_err());
    }

    #[test]
    fn other_information_layouts() {
        let mut oi = vec![0x1A, 0x00, 0x42];
        oi.extend_from_slice(&0x90B3_D51F_3001_0000u64.to_be_bytes());
        oi.extend_from_slice(&1004u64.to_be_bytes());
        oi.extend_from_slice(&2002u64.to_be_bytes());
        let mut r = Reader::new(&oi, LAYER);
        let o = OtherInformation::decode(&mut r).unwrap();
        assert_eq!(o.message_code, 0x42);
        assert_eq!(
            o.supplementary,
            Supplementary::OriginatorCounter {
                id: Eui64(0x90B3_D51F_3001_0000),
                counter: 1004,
                originator_counter: 2002
            }
        );
        for len in [0u8, 1, 3, 9, 11, 17, 19, 25] {
            let mut b = vec![len];
            b.resize(usize::from(len) + 1, 0);
            let mut r = Reader::new(&b, LAYER);
            let e = OtherInformation::decode(&mut r).unwrap_err();
            assert_eq!(e.offset, 0, "length {len}");
        }
        let cert = [0u8; 8];
        let o = OtherInformation {
            length_form: LengthForm(0),
            message_code: 1,
            supplementary: Supplementary::Certificate {
                id: Eui64(1),
                counter: 2,
                certificate: &cert,
            },
        };
        assert!(o.check().is_err());
    }

    #[test]
    fn gbt_block_round_trip() {
        let mut b = vec![0xDD, 0x09, 0x01];
        b.extend_from_slice(&1000u64.to_be_bytes());
        b.push(8);
        b.extend_from_slice(&0x90B3_D51F_3001_0000u64.to_be_bytes());
        b.push(8);
        b.extend_from_slice(&0x00DB_1234_5678_90A0u64.to_be_bytes());
        b.extend_from_slice(&[0x00, 0x02, 0x00, 0x59, 0x00]);
        b.extend_from_slice(&[
            0x0F, 0x11, 0, 0, 0, 0, 0xE0, 0x81, 0x00, 0x01, 0x00, 0x00, 0x03,
        ]);
        b.extend_from_slice(&[0xDD, 0x00, 0x00]);
        let GbcsMessage::Block(g) = GbcsMessage::decode(&b).unwrap() else {
            panic!("form")
        };
        assert!(g.is_last());
        assert_eq!(g.block_control & BLOCK_CONTROL_WINDOW, 1);
        assert_eq!(g.block_number, 1);
        assert_eq!(g.block_number_ack, 0);
        assert_eq!(g.other_information.message_code, 0x59);
        assert_eq!(g.data, &[0xDD, 0x00, 0x00]);
        assert_eq!(g.ciphered_len(), 0x0F);
        assert_eq!(GbcsMessage::Block(g).to_vec().unwrap(), b);
        for cut in 0..b.len() {
            assert!(GbcsMessage::decode(&b[..cut]).is_err(), "cut {cut}");
        }
        let mut bad = b.clone();
        bad[40] = 0xE1;
        assert_eq!(GbcsMessage::decode(&bad).unwrap_err().offset, 40);
    }

    #[test]
    fn encode_checks_room_and_forms() {
        let bytes = ecs52();
        let m = GbcsMessage::decode(&bytes).unwrap();
        let mut small = [0u8; 20];
        let e = m.encode(&mut &mut small[..]).unwrap_err();
        assert!(matches!(
            e.kind,
            smets_core::EncodeErrorKind::BufferTooSmall { .. }
        ));
        let GbcsMessage::MacHeader(mut mh) = m else {
            panic!("form")
        };
        let long = [0u8; 200];
        mh.signing.content = &long;
        assert!(GbcsMessage::MacHeader(mh).to_vec().is_err());
        mh.signing.content_length_form = LengthForm::minimal(200);
        mh.ciphered_length_form = LengthForm::minimal(mh.ciphered_len());
        let out = GbcsMessage::MacHeader(mh).to_vec().unwrap();
        assert_eq!(
            GbcsMessage::decode(&out).unwrap(),
            GbcsMessage::MacHeader(mh)
        );
        let sig = [0u8; 10];
        mh.signing.signature = Some(&sig);
        assert!(GbcsMessage::MacHeader(mh).to_vec().is_err());
    }

    /// Owned parts from which a borrowed message is built.
    #[derive(Debug, Clone)]
    struct Parts {
        form: u8,
        cra: u8,
        counter: u64,
        ids: (u64, u64),
        date_time: Option<[u8; DATE_TIME_LEN]>,
        code: u16,
        supp: (u8, u64, u64, u64, Vec<u8>),
        content: Vec<u8>,
        extra: (u8, u8, u8),
        signature: u8,
        mac: [u8; MAC_LEN],
        security: (u8, u32),
        key_info: Vec<u8>,
        block: (u8, u16, u16),
    }

    fn form(n: usize, extra: u8) -> LengthForm {
        LengthForm((LengthForm::minimal(n).0 + extra).min(3))
    }

    fn build<'a>(p: &'a Parts, sig: &'a [u8; SIGNATURE_LEN]) -> GbcsMessage<'a> {
        let (kind, id, counter, oc) = (p.supp.0, Eui64(p.supp.1), p.supp.2, p.supp.3);
        let supplementary = match kind {
            0 => Supplementary::None,
            1 => Supplementary::RemoteParty { id },
            2 => Supplementary::RemotePartyCounter { id, counter },
            3 => Supplementary::OriginatorCounter {
                id,
                counter,
                originator_counter: oc,
            },
            _ => Supplementary::Certificate {
                id,
                counter,
                certificate: &p.supp.4,
            },
        };
        let mut other_information = OtherInformation {
            length_form: LengthForm(0),
            message_code: p.code,
            supplementary,
        };
        other_information.length_form = form(other_information.value_len(), p.extra.0);
        let cra_flag = CraFlag::from(p.cra);
        let transaction_id = TransactionId {
            cra_flag,
            originator_counter: p.counter,
        };
        let security = SecurityHeader {
            security_control: p.security.0,
            invocation_counter: p.security.1,
        };
        if p.form == 2 {
            let mut b = GbtBlock {
                transaction_id,
                originator: Eui64(p.ids.0),
                recipient: Eui64(p.ids.1),
                date_time: p.date_time,
                other_information,
                key_info: &p.key_info,
                ciphered_length_form: LengthForm(0),
                security,
                block_control: p.block.0,
                block_number: p.block.1,
                block_number_ack: p.block.2,
                data_length_form: form(p.content.len(), p.extra.1),
                data: &p.content,
            };
            b.ciphered_length_form = form(b.ciphered_len(), p.extra.2);
            return GbcsMessage::Block(b);
        }
        let signature = match p.signature {
            0 if cra_flag == CraFlag::Command => None,
            0 | 1 => Some(&[][..]),
            _ => Some(&sig[..]),
        };
        let signing = GeneralSigning {
            header: GroupingHeader {
                transaction_id,
                originator: Eui64(p.ids.0),
                recipient: Eui64(p.ids.1),
                date_time: p.date_time,
                other_information,
            },
            content_length_form: form(p.content.len(), p.extra.1),
            content: &p.content,
            signature,
        };
        if p.form == 1 {
            return GbcsMessage::Signed(signing);
        }
        let mut m = MacHeaderMessage {
            ciphered_length_form: LengthForm(0),
            security,
            signing,
            mac: p.mac,
        };
        m.ciphered_length_form = form(m.ciphered_len(), p.extra.2);
        GbcsMessage::MacHeader(m)
    }

    fn parts() -> impl Strategy<Value = Parts> {
        (
            (0u8..3, 0u8..6, any::<u64>(), any::<(u64, u64)>()),
            proptest::option::of(any::<[u8; DATE_TIME_LEN]>()),
            any::<u16>(),
            (
                0u8..5,
                any::<u64>(),
                any::<u64>(),
                any::<u64>(),
                proptest::collection::vec(any::<u8>(), 9..300),
            ),
            proptest::collection::vec(any::<u8>(), 0..400),
            (0u8..2, 0u8..2, 0u8..2),
            0u8..3,
            any::<[u8; MAC_LEN]>(),
            any::<(u8, u32)>(),
            proptest::collection::vec(any::<u8>(), 0..4),
            any::<(u8, u16, u16)>(),
        )
            .prop_map(
                |(
                    (form, cra, counter, ids),
                    date_time,
                    code,
                    supp,
                    content,
                    extra,
                    signature,
                    mac,
                    security,
                    key_info,
                    block,
                )| Parts {
                    form,
                    cra,
                    counter,
                    ids,
                    date_time,
                    code,
                    supp,
                    content,
                    extra,
                    signature,
                    mac,
                    security,
                    key_info,
                    block,
                },
            )
    }

    proptest! {
        #[test]
        fn round_trip(p in parts(), sig in any::<[u8; SIGNATURE_LEN]>()) {
            let msg = build(&p, &sig);
            let bytes = msg.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), msg.encoded_len());
            let back = GbcsMessage::decode(&bytes).unwrap();
            prop_assert_eq!(back, msg);
        }

        #[test]
        fn mutated_message_decodes_exactly_or_fails(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            let mut b = ecs52();
            for (at, v) in edits {
                let i = at.index(b.len());
                b[i] = v;
            }
            let keep = b.len() - cut.index(3);
            b.truncate(keep);
            match GbcsMessage::decode(&b) {
                Ok(m) => prop_assert_eq!(m.to_vec().unwrap(), b),
                Err(e) => prop_assert!(e.offset <= b.len()),
            }
        }

        #[test]
        fn arbitrary_bytes_decode_or_fail(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            if let Ok(m) = GbcsMessage::decode(&b) {
                prop_assert_eq!(m.to_vec().unwrap(), b);
            }
        }
    }
}
