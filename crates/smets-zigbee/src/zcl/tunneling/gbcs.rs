//! The GB HAN tunnel: GBCS messages carried in Tunneling cluster Transfer
//! Data commands on a GB-HRGP (protocol id 6) tunnel, the one-byte GBCS tunnel
//! header in front of them, and reassembly of a message split over several
//! Transfer Data commands. GBCS messages themselves are not decoded here.
//!
//! Tunnel header (what each claim rests on):
//! - The first tunnelled byte is a command: 0x01 GET, 0x02 GET-RESPONSE,
//!   0x03 PUT. Source: Wireshark `packet-gbcs.c` ("GBCS Tunnel" dissector,
//!   registered on the SE Tunneling cluster's data) and HenryGiraldo/gbcs
//!   `c/ch.c`, a Communications Hub test implementation; GBCS itself
//!   (section 10, "ZSE implementation") is not public in a form we could read.
//! - GET is the single byte: a device (the sleepy GSME) asks the hub for
//!   queued messages. Wireshark hands nothing after it to the GBCS dissector.
//! - GET-RESPONSE is followed by one byte, the number of messages still
//!   queued at the hub ("Remaining messages", uint8, in Wireshark), then by
//!   the GBCS message being delivered (Wireshark dissects what follows the
//!   count as a GBCS message; it may be absent when nothing was queued).
//! - PUT is followed by one GBCS message.
//! - The test hub (`ch.c`) answers GET with `02 00` (no message queued, no
//!   message bytes), takes everything after a PUT byte in one Transfer Data
//!   as the whole GBCS message (it relies on APS fragmentation and offers a
//!   1500-byte maximum incoming transfer size), and acknowledges each
//!   Transfer Data with a ZCL Default Response; it cites GBCS 10.2.2
//!   "Requirements for the Tunneling Cluster".
//!
//! Messages longer than one Transfer Data: GBCS sends them in General
//! Block Transfer blocks ([`super::gbt`]), each a message of its own behind
//! its own PUT header; the reassembler joins the blocks of one message
//! (same business originator and originator counter, numbered 1, 2, ... up
//! to the block marked last) into the whole message, as Wireshark
//! `packet-gbcs.c` does. A sender that keeps each message within the peer's
//! maximum incoming transfer size sends it in one Transfer Data, and the
//! reassembler hands such a message back at once.
//!
//! A second rule covers a message whose bytes simply run on into the next
//! Transfer Data with no header (no public source shows this form; the rule
//! is ours, and a GBT block never takes this path): a Transfer Data payload
//! has no length of its own, but the GBCS message carries its length, which
//! [`gbcs_message_len`] reads (the layouts follow Wireshark `packet-gbcs.c`'s
//! MAC/grouping/GBT headers and the DLMS General-Ciphering /
//! General-Signing / General-Block-Transfer APDUs):
//! - 0xDD General-Ciphering: tag, six one-byte-length elements
//!   (transaction-id, originator and recipient system titles, date-time,
//!   other-information, key-info; all empty in GBCS), a BER length, and that
//!   many bytes (security header, ciphertext and MAC).
//! - 0xDF General-Signing: tag, five one-byte-length elements
//!   (transaction-id, originator and recipient system titles, date-time,
//!   other-information), a BER length and the content, then the signature
//!   element: one length byte (0 or 64) and the signature. Unsigned GBCS
//!   pre-commands stop after the content; they are sent by a DCC user to the
//!   DCC and never cross the HAN, so this rule reads every HAN message but
//!   not those.
//! - 0xE0 General-Block-Transfer: tag, block control (1), block number (2),
//!   acknowledged block number (2), a BER length and the block data.
//!
//! The first Transfer Data holds the tunnel header and the start of the
//! message; the following ones on the same tunnel hold the next bytes with
//! no header; the message is whole when the bytes reach the length above.
//! Wireshark's heuristic also takes a Transfer Data that starts with 0xDD or
//! 0xDF directly (no tunnel header); [`GbcsTunnel::decode`] rejects that
//! form, and the reassembler ignores it unless it continues an open message.
//!
//! The rule was checked on every message of the public GBCS test vectors
//! (SmartDCCInnovation RTDS 4.5.0): the length computed equals the message
//! length for all DD and signed DF messages.

use crate::bounded::Bounded;
use alloc::vec::Vec;

use super::gbt::{self, GbtBlock};

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

open_enum! {
    /// The GBCS tunnel command, first byte of a Transfer Data payload on a
    /// GB-HRGP tunnel (GBCS 10, as read by Wireshark `packet-gbcs.c`).
    pub enum GbcsTunnelCommand: u8 {
        /// A device asks the hub for a queued message.
        Get = 0x01 => "get",
        /// The hub answers GET: count of messages still queued, then a message.
        GetResponse = 0x02 => "get_response",
        /// A GBCS message follows.
        Put = 0x03 => "put",
    }
}

/// APDU tag of a DLMS General-Ciphering (GBCS MAC header).
pub const TAG_GENERAL_CIPHERING: u8 = 0xdd;
/// APDU tag of a DLMS General-Signing (GBCS grouping header).
pub const TAG_GENERAL_SIGNING: u8 = 0xdf;
/// APDU tag of a DLMS General-Block-Transfer.
pub const TAG_GENERAL_BLOCK_TRANSFER: u8 = 0xe0;

/// A Transfer Data payload on a GB-HRGP tunnel: the GBCS tunnel header and
/// the (start of the) GBCS message after it (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GbcsTunnel<'a> {
    /// GET (0x01), nothing follows.
    Get,
    /// GET-RESPONSE (0x02).
    GetResponse {
        /// Messages still queued at the hub after this one.
        remaining: u8,
        /// The GBCS message (or its first part), possibly empty.
        message: &'a [u8],
    },
    /// PUT (0x03).
    Put {
        /// The GBCS message, or its first part (empty when the message
        /// starts in the next Transfer Data).
        message: &'a [u8],
    },
}

impl<'a> GbcsTunnel<'a> {
    /// The tunnel command.
    #[must_use]
    pub const fn command(&self) -> GbcsTunnelCommand {
        match self {
            Self::Get => GbcsTunnelCommand::Get,
            Self::GetResponse { .. } => GbcsTunnelCommand::GetResponse,
            Self::Put { .. } => GbcsTunnelCommand::Put,
        }
    }

    /// The GBCS message bytes carried, empty for GET.
    #[must_use]
    pub const fn message(&self) -> &'a [u8] {
        match self {
            Self::Get => &[],
            Self::GetResponse { message, .. } | Self::Put { message } => message,
        }
    }
}

impl<'a> Decode<'a> for GbcsTunnel<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let t = match GbcsTunnelCommand::from(r.u8("gbcs tunnel command")?) {
            GbcsTunnelCommand::Get => Self::Get,
            GbcsTunnelCommand::GetResponse => Self::GetResponse {
                remaining: r.u8("remaining messages")?,
                message: r.rest(),
            },
            GbcsTunnelCommand::Put => Self::Put { message: r.rest() },
            GbcsTunnelCommand::Unknown(c) => {
                return Err(DecodeError::invalid(
                    Layer::Zcl,
                    0,
                    "gbcs tunnel command",
                    u64::from(c),
                ));
            }
        };
        r.finish()?;
        Ok(t)
    }
}

impl Encode for GbcsTunnel<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Get => 1,
            Self::GetResponse { message, .. } => 2 + message.len(),
            Self::Put { message } => 1 + message.len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        out.put_u8(self.command().value());
        match *self {
            Self::Get => {}
            Self::GetResponse { remaining, message } => {
                out.put_u8(remaining);
                out.put_slice(message);
            }
            Self::Put { message } => out.put_slice(message),
        }
        Ok(())
    }
}

/// What the first bytes of a GBCS message say about its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageLength {
    /// The whole message is this many bytes.
    Known(usize),
    /// More bytes are needed before the length can be read.
    NeedMore,
    /// Not a message whose length can be read (another tag, a bad BER length).
    Unknown,
}

/// Reads a DLMS/BER definite length at `at`: returns the value and the
/// position after it; `Err(true)` when more bytes are needed, `Err(false)`
/// when it is not a definite length of at most 4 bytes.
fn ber_length(b: &[u8], at: usize) -> Result<(usize, usize), bool> {
    let first = *b.get(at).ok_or(true)?;
    if first < 0x80 {
        return Ok((usize::from(first), at + 1));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return Err(false);
    }
    let bytes = b.get(at + 1..at + 1 + n).ok_or(true)?;
    let mut v: u64 = 0;
    for &x in bytes {
        v = (v << 8) | u64::from(x);
    }
    let v = usize::try_from(v).map_err(|_| false)?;
    Ok((v, at + 1 + n))
}

/// Skips `count` one-byte-length elements from `at`.
fn skip_elements(b: &[u8], mut at: usize, count: usize) -> Option<usize> {
    for _ in 0..count {
        let len = *b.get(at)?;
        at = at.checked_add(1 + usize::from(len))?;
    }
    Some(at)
}

/// The total length of the GBCS message that `prefix` starts, read from its
/// own length fields (rules and sources in the module documentation).
#[must_use]
pub fn gbcs_message_len(prefix: &[u8]) -> MessageLength {
    let need = |r: Result<(usize, usize), bool>| match r {
        Ok(v) => Ok(v),
        Err(true) => Err(MessageLength::NeedMore),
        Err(false) => Err(MessageLength::Unknown),
    };
    let body = |at: usize| -> Result<usize, MessageLength> {
        let (len, after) = need(ber_length(prefix, at))?;
        after.checked_add(len).ok_or(MessageLength::Unknown)
    };
    let result = match prefix.first() {
        None => Err(MessageLength::NeedMore),
        Some(&TAG_GENERAL_CIPHERING) => skip_elements(prefix, 1, 6)
            .ok_or(MessageLength::NeedMore)
            .and_then(body),
        Some(&TAG_GENERAL_SIGNING) => skip_elements(prefix, 1, 5)
            .ok_or(MessageLength::NeedMore)
            .and_then(body)
            .and_then(|end| {
                let sig = *prefix.get(end).ok_or(MessageLength::NeedMore)?;
                end.checked_add(1 + usize::from(sig))
                    .ok_or(MessageLength::Unknown)
            }),
        Some(&TAG_GENERAL_BLOCK_TRANSFER) => body(6),
        Some(_) => Err(MessageLength::Unknown),
    };
    match result {
        Ok(n) => MessageLength::Known(n),
        Err(e) => e,
    }
}

/// Identifies one tunnelled message being rebuilt: the NWK source address of
/// the sender and the tunnel id of its Transfer Data commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GbcsTunnelKey {
    /// NWK source address of the Transfer Data frames.
    pub source: u16,
    /// Tunnel id of the Transfer Data commands.
    pub tunnel_id: u16,
}

/// A whole GBCS message out of the tunnel.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GbcsTunnelMessage {
    /// The tunnel command of its first part: PUT or GET-RESPONSE.
    pub command: GbcsTunnelCommand,
    /// The queue count of a GET-RESPONSE.
    pub remaining: Option<u8>,
    /// The GBCS message, without the tunnel header.
    pub message: Vec<u8>,
    /// The number of General Block Transfer blocks it came in, when it came
    /// in blocks ([`super::gbt`]).
    pub gbt_blocks: Option<u16>,
}

/// The message a run of GBT blocks rebuilds, and the block expected next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GbtState {
    originator: Eui64,
    counter: u64,
    next: u16,
}

#[derive(Debug)]
struct Partial {
    command: GbcsTunnelCommand,
    remaining: Option<u8>,
    bytes: Vec<u8>,
    total: Option<usize>,
    gbt: Option<GbtState>,
}

/// Rebuilds GBCS messages split over several Transfer Data commands of one
/// tunnel (the GB HAN use of the SE Tunneling cluster; rule in the module
/// documentation).
///
/// A GET-RESPONSE whose Transfer Data holds no message byte after the count
/// is taken as "nothing queued": the hub's first Transfer Data of a message
/// carries the tunnel header and the start of the message together (a PUT
/// alone, which has no such reading, does open a message).
///
/// Per key, the Transfer Data payload that finds no message open starts one:
/// it must begin with the tunnel header (PUT, or GET-RESPONSE with a message)
/// and a GBCS message whose length can be read ([`gbcs_message_len`]).
/// Later payloads on that key are appended as they come (Transfer Data on a
/// tunnel is delivered in order by the APS acknowledgements). The message is
/// returned when its bytes reach the announced length; a payload that runs
/// past it discards the message (the lengths and the data disagree).
///
/// Memory is bounded: at most `max_messages` messages are held open and at
/// most `max_bytes` bytes across them; a message announcing more than
/// `max_bytes` is never held. When a new message or new bytes would break a
/// bound, the oldest open messages (by their first payload) are dropped.
#[derive(Debug)]
pub struct GbcsTunnelReassembler {
    partial: Bounded<GbcsTunnelKey, Partial>,
}

impl GbcsTunnelReassembler {
    /// A reassembler holding at most `max_messages` open messages and
    /// `max_bytes` bytes in all.
    #[must_use]
    pub fn new(max_messages: usize, max_bytes: usize) -> Self {
        Self {
            partial: Bounded::new(max_messages, max_bytes),
        }
    }

    /// Number of messages held open.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.partial.len()
    }

    /// Bytes held across the open messages.
    #[must_use]
    pub fn held_bytes(&self) -> usize {
        self.partial.held()
    }

    /// Drops every open message.
    pub fn clear(&mut self) {
        self.partial.clear();
    }

    /// Drops the message open on `key`, if any (say, on Close Tunnel).
    pub fn remove(&mut self, key: GbcsTunnelKey) {
        self.partial.remove(key);
    }

    /// Whether the next Transfer Data on `key` continues a message begun
    /// in an earlier one, with no tunnel header of its own (GBT blocks each
    /// have one, so a run of blocks does not count).
    #[must_use]
    pub fn expects_continuation(&self, key: GbcsTunnelKey) -> bool {
        self.partial.get(key).is_some_and(|p| p.gbt.is_none())
    }

    /// Adds the tunnelled bytes (`data` of a Transfer Data command) received
    /// on `key`; returns the whole message when these bytes complete it.
    /// Payloads that neither start nor continue a message (GET, a GET-RESPONSE
    /// without a message, an unknown tunnel command or GBCS tag) give `None`.
    pub fn push(&mut self, key: GbcsTunnelKey, data: &[u8]) -> Option<GbcsTunnelMessage> {
        if self.expects_continuation(key) {
            return self.append(key, data);
        }
        let tunnel = GbcsTunnel::decode(data).ok()?;
        let (command, remaining, message) = match tunnel {
            GbcsTunnel::Get => return None,
            GbcsTunnel::GetResponse { message: [], .. } => return None,
            GbcsTunnel::GetResponse { remaining, message } => {
                (GbcsTunnelCommand::GetResponse, Some(remaining), message)
            }
            GbcsTunnel::Put { message } => (GbcsTunnelCommand::Put, None, message),
        };
        if gbt::looks_like_gbt(message) {
            let block = GbtBlock::decode(message).ok()?;
            return self.push_block(key, command, remaining, &block);
        }
        let total = match gbcs_message_len(message) {
            MessageLength::Unknown => return None,
            MessageLength::Known(t) if t == message.len() => {
                return Some(GbcsTunnelMessage {
                    command,
                    remaining,
                    message: message.to_vec(),
                    gbt_blocks: None,
                });
            }
            MessageLength::Known(t) if t < message.len() || t > self.partial.max_bytes() => {
                return None;
            }
            MessageLength::Known(t) => Some(t),
            MessageLength::NeedMore => None,
        };
        if message.len() > self.partial.max_bytes() {
            return None;
        }
        let partial = Partial {
            command,
            remaining,
            bytes: message.to_vec(),
            total,
            gbt: None,
        };
        if !self.partial.insert(key, partial) {
            return None;
        }
        if !self.partial.make_room(key, message.len()) {
            self.partial.remove(key);
            return None;
        }
        self.partial.grow(key, message.len());
        None
    }

    fn append(&mut self, key: GbcsTunnelKey, data: &[u8]) -> Option<GbcsTunnelMessage> {
        let max = self.partial.max_bytes();
        let len = self.partial.get_mut(key)?.bytes.len();
        if len + data.len() > max || !self.partial.make_room(key, data.len()) {
            self.partial.remove(key);
            return None;
        }
        self.partial.grow(key, data.len());
        let p = self.partial.get_mut(key)?;
        p.bytes.extend_from_slice(data);
        if p.total.is_none() {
            match gbcs_message_len(&p.bytes) {
                MessageLength::Known(t) if t <= max => p.total = Some(t),
                MessageLength::NeedMore => return None,
                _ => {
                    self.partial.remove(key);
                    return None;
                }
            }
        }
        let total = p.total?;
        let have = p.bytes.len();
        if have < total {
            return None;
        }
        let p = self.partial.remove(key)?;
        (have == total).then_some(GbcsTunnelMessage {
            command: p.command,
            remaining: p.remaining,
            message: p.bytes,
            gbt_blocks: None,
        })
    }

    /// Takes one GBT block: block 1 opens a message (replacing whatever was
    /// open on `key`), each next block in order adds its data, the block
    /// marked last completes it. A block out of order, or of another
    /// message, drops the open one.
    fn push_block(
        &mut self,
        key: GbcsTunnelKey,
        command: GbcsTunnelCommand,
        remaining: Option<u8>,
        block: &GbtBlock<'_>,
    ) -> Option<GbcsTunnelMessage> {
        let state = GbtState {
            originator: block.business_originator,
            counter: block.originator_counter,
            next: block.block_number.wrapping_add(1),
        };
        let max = self.partial.max_bytes();
        if block.block_number == 1 {
            self.partial.remove(key);
            if block.is_last() {
                return Some(GbcsTunnelMessage {
                    command,
                    remaining,
                    message: block.data.to_vec(),
                    gbt_blocks: Some(1),
                });
            }
            if block.data.len() > max {
                return None;
            }
            let partial = Partial {
                command,
                remaining,
                bytes: block.data.to_vec(),
                total: None,
                gbt: Some(state),
            };
            if !self.partial.insert(key, partial) || !self.partial.make_room(key, block.data.len())
            {
                self.partial.remove(key);
                return None;
            }
            self.partial.grow(key, block.data.len());
            return None;
        }
        let expected = self.partial.get(key).and_then(|p| p.gbt);
        let follows = expected.is_some_and(|s| {
            s.originator == state.originator
                && s.counter == state.counter
                && s.next == block.block_number
        });
        if !follows {
            self.partial.remove(key);
            return None;
        }
        let len = self.partial.get(key).map_or(0, |p| p.bytes.len());
        if len + block.data.len() > max || !self.partial.make_room(key, block.data.len()) {
            self.partial.remove(key);
            return None;
        }
        self.partial.grow(key, block.data.len());
        let p = self.partial.get_mut(key)?;
        p.bytes.extend_from_slice(block.data);
        p.gbt = Some(state);
        if !block.is_last() {
            return None;
        }
        let p = self.partial.remove(key)?;
        Some(GbcsTunnelMessage {
            command: p.command,
            remaining: p.remaining,
            message: p.bytes,
            gbt_blocks: Some(block.block_number),
        })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    /// A General-Ciphering message with `n` body bytes, in the GBCS form
    /// (six empty elements, BER length).
    fn ciphering(n: usize) -> Vec<u8> {
        let mut m = vec![TAG_GENERAL_CIPHERING, 0, 0, 0, 0, 0, 0];
        match n {
            0..=0x7f => m.push(u8::try_from(n).unwrap()),
            0x80..=0xff => m.extend([0x81, u8::try_from(n).unwrap()]),
            _ => m.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        m.extend((0..n).map(|i| i as u8));
        m
    }

    /// A signed General-Signing message: transaction id, two system titles,
    /// no date-time, 2 bytes of other-information, content, 64-byte signature.
    fn signing(content: usize) -> Vec<u8> {
        let mut m = vec![TAG_GENERAL_SIGNING, 9, 1, 0, 0, 0, 0, 0, 0, 0, 7];
        m.push(8);
        m.extend([0x90, 0xb3, 0xd5, 0x1f, 0x30, 0x01, 0, 0]);
        m.push(8);
        m.extend([0x00, 0xdb, 0x12, 0x34, 0x56, 0x78, 0x90, 0xa0]);
        m.extend([0, 2, 0x00, 0xcc]);
        m.extend([0x82, (content >> 8) as u8, content as u8]);
        m.extend((0..content).map(|i| i as u8));
        m.push(64);
        m.extend([0x5a; 64]);
        m
    }

    const K: GbcsTunnelKey = GbcsTunnelKey {
        source: 0x1234,
        tunnel_id: 0,
    };

    fn put(m: &[u8]) -> Vec<u8> {
        let mut v = vec![0x03];
        v.extend_from_slice(m);
        v
    }

    #[test]
    fn tunnel_header_forms() {
        assert_eq!(GbcsTunnel::decode(&[0x01]), Ok(GbcsTunnel::Get));
        let b = [0x02, 0x05, 0xdd, 0x00];
        let t = GbcsTunnel::decode(&b).unwrap();
        assert_eq!(
            t,
            GbcsTunnel::GetResponse {
                remaining: 5,
                message: &[0xdd, 0x00]
            }
        );
        assert_eq!(t.command(), GbcsTunnelCommand::GetResponse);
        assert_eq!(t.command().label(), Some("get_response"));
        assert_eq!(
            GbcsTunnel::decode(&[0x02, 0x00]),
            Ok(GbcsTunnel::GetResponse {
                remaining: 0,
                message: &[]
            })
        );
        let t = GbcsTunnel::decode(&[0x03, 0xdf, 0x09]).unwrap();
        assert_eq!(t.message(), [0xdf, 0x09]);
        assert_eq!(t.command().label(), Some("put"));
        let mut out = Vec::new();
        t.encode(&mut out).unwrap();
        assert_eq!(out, [0x03, 0xdf, 0x09]);
    }

    #[test]
    fn tunnel_header_rejects() {
        assert_eq!(
            GbcsTunnel::decode(&[0x03]),
            Ok(GbcsTunnel::Put { message: &[] })
        );
        for b in [&[][..], &[0x02]] {
            assert!(matches!(
                GbcsTunnel::decode(b).unwrap_err().kind,
                smets_core::DecodeErrorKind::Truncated { .. }
            ));
        }
        let e = GbcsTunnel::decode(&[0xdd, 0x00]).unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (
                0,
                smets_core::DecodeErrorKind::Invalid {
                    field: "gbcs tunnel command",
                    value: 0xdd
                }
            )
        );
        let e = GbcsTunnel::decode(&[0x01, 0x00]).unwrap_err();
        assert_eq!(
            e.kind,
            smets_core::DecodeErrorKind::TrailingBytes { count: 1 }
        );
        let mut small = [0u8; 2];
        assert!(
            GbcsTunnel::Put { message: &[1, 2] }
                .encode(&mut &mut small[..])
                .is_err()
        );
    }

    #[test]
    fn message_lengths() {
        for n in [0, 1, 0x7f, 0x80, 0xff, 0x100, 1500] {
            let m = ciphering(n);
            assert_eq!(gbcs_message_len(&m), MessageLength::Known(m.len()));
            for cut in 0..m.len().min(12) {
                let l = gbcs_message_len(&m[..cut]);
                assert!(l == MessageLength::NeedMore || l == MessageLength::Known(m.len()));
            }
        }
        let m = signing(300);
        assert_eq!(gbcs_message_len(&m), MessageLength::Known(m.len()));
        // Up to the signature length byte the length is not known.
        let sig_at = m.len() - 65;
        assert_eq!(gbcs_message_len(&m[..sig_at]), MessageLength::NeedMore);
        assert_eq!(
            gbcs_message_len(&m[..=sig_at]),
            MessageLength::Known(m.len())
        );
        let gbt = [TAG_GENERAL_BLOCK_TRANSFER, 0x80, 0, 1, 0, 0, 0x81, 0x90];
        assert_eq!(gbcs_message_len(&gbt), MessageLength::Known(8 + 0x90));
        assert_eq!(gbcs_message_len(&[0xd9, 0]), MessageLength::Unknown);
        assert_eq!(
            gbcs_message_len(&[0xdd, 0, 0, 0, 0, 0, 0, 0x80]),
            MessageLength::Unknown
        );
        assert_eq!(
            gbcs_message_len(&[0xdd, 0, 0, 0, 0, 0, 0, 0x85]),
            MessageLength::Unknown
        );
        assert_eq!(gbcs_message_len(&[]), MessageLength::NeedMore);
    }

    #[test]
    fn whole_message_in_one_payload() {
        let mut r = GbcsTunnelReassembler::new(2, 4000);
        let m = ciphering(20);
        let out = r.push(K, &put(&m)).unwrap();
        assert_eq!(out.command, GbcsTunnelCommand::Put);
        assert_eq!(out.remaining, None);
        assert_eq!(out.message, m);
        let mut g = vec![0x02, 3];
        g.extend_from_slice(&m);
        let out = r.push(K, &g).unwrap();
        assert_eq!(
            (out.command, out.remaining),
            (GbcsTunnelCommand::GetResponse, Some(3))
        );
        assert_eq!(r.push(K, &[0x01]), None);
        assert_eq!(r.push(K, &[0x02, 0]), None);
        assert_eq!(r.push(K, &[0x07, 1, 2]), None);
        assert_eq!(r.push(K, &[0x03, 0xd9, 1]), None);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn split_message_and_overrun() {
        let mut r = GbcsTunnelReassembler::new(2, 4000);
        let m = signing(200);
        let p = put(&m);
        assert_eq!(r.push(K, &p[..5]), None);
        assert_eq!(r.push(K, &p[5..100]), None);
        assert_eq!(r.pending(), 1);
        assert_eq!(r.held_bytes(), 99);
        assert_eq!(r.push(K, &p[100..]).unwrap().message, m);
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
        // One byte too many discards the message.
        assert_eq!(r.push(K, &p[..100]), None);
        let mut tail = p[100..].to_vec();
        tail.push(0);
        assert_eq!(r.push(K, &tail), None);
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
        // A first payload longer than its own length is not a message.
        let mut long = put(&ciphering(3));
        long.push(9);
        assert_eq!(r.push(K, &long), None);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn bounds_evict_the_oldest() {
        let k = |t| GbcsTunnelKey {
            source: 1,
            tunnel_id: t,
        };
        let m = ciphering(40);
        let p = put(&m);
        let mut r = GbcsTunnelReassembler::new(2, 100);
        assert_eq!(r.push(k(1), &p[..10]), None);
        assert_eq!(r.push(k(2), &p[..10]), None);
        assert_eq!(r.push(k(3), &p[..10]), None);
        assert_eq!(r.pending(), 2);
        // Tunnel 1 was evicted: its next bytes start nothing.
        assert_eq!(r.push(k(1), &p[10..]), None);
        assert_eq!(r.pending(), 2);
        // The byte bound: completing 3 is fine, a long message pushes 2 out.
        assert_eq!(r.push(k(3), &p[10..]).unwrap().message, m);
        let big = put(&ciphering(90));
        assert_eq!(r.push(k(4), &big[..96]), None);
        assert!(r.held_bytes() <= 100);
        assert_eq!(r.pending(), 1);
        // A message announcing more than the budget is never held.
        assert_eq!(r.push(k(5), &put(&ciphering(200))[..20]), None);
        assert_eq!(r.pending(), 1);
        r.remove(k(4));
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
        let mut none = GbcsTunnelReassembler::new(0, 100);
        assert_eq!(none.push(k(1), &p[..10]), None);
        assert_eq!(none.pending(), 0);
        r.push(k(1), &p[..10]);
        r.clear();
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
    }

    fn arb_tunnel() -> impl Strategy<Value = (u8, u8, Vec<u8>)> {
        (
            1u8..=3,
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..64),
        )
    }

    proptest! {
        #[test]
        fn tunnel_header_round_trip((cmd, remaining, message) in arb_tunnel()) {
            let t = match cmd {
                1 => GbcsTunnel::Get,
                2 => GbcsTunnel::GetResponse { remaining, message: &message },
                _ => GbcsTunnel::Put { message: &message },
            };
            let mut out = Vec::new();
            t.encode(&mut out).unwrap();
            prop_assert_eq!(out.len(), t.encoded_len());
            prop_assert_eq!(GbcsTunnel::decode(&out), Ok(t));
        }

        #[test]
        fn tunnel_header_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..16)) {
            if let Ok(t) = GbcsTunnel::decode(&b) {
                let mut out = Vec::new();
                t.encode(&mut out).unwrap();
                prop_assert_eq!(&out, &b);
            }
            let _ = gbcs_message_len(&b);
        }

        #[test]
        fn split_interleave_reassemble(
            n in 0usize..600,
            other_n in 0usize..300,
            cuts in proptest::collection::vec(1usize..80, 1..30),
            order in proptest::collection::vec(any::<bool>(), 60),
        ) {
            let a = put(&signing(n));
            let b = put(&ciphering(other_n));
            let chunks = |p: &[u8]| -> Vec<Vec<u8>> {
                let mut out = Vec::new();
                let mut rest = p;
                for &c in &cuts {
                    if rest.is_empty() { break; }
                    let (x, y) = rest.split_at(c.min(rest.len()));
                    out.push(x.to_vec());
                    rest = y;
                }
                if !rest.is_empty() { out.push(rest.to_vec()); }
                out
            };
            let (ca, cb) = (chunks(&a), chunks(&b));
            let ka = K;
            let kb = GbcsTunnelKey { source: 0x1234, tunnel_id: 1 };
            let mut r = GbcsTunnelReassembler::new(2, 2000);
            let (mut ia, mut ib, mut k) = (0, 0, 0);
            let (mut got_a, mut got_b) = (None, None);
            while ia < ca.len() || ib < cb.len() {
                let pick_a = ib >= cb.len() || (ia < ca.len() && order[k % order.len()]);
                k += 1;
                if pick_a {
                    let out = r.push(ka, &ca[ia]);
                    ia += 1;
                    prop_assert_eq!(out.is_some(), ia == ca.len());
                    if out.is_some() { got_a = out; }
                } else {
                    let out = r.push(kb, &cb[ib]);
                    ib += 1;
                    prop_assert_eq!(out.is_some(), ib == cb.len());
                    if out.is_some() { got_b = out; }
                }
                prop_assert!(r.held_bytes() <= 2000);
            }
            prop_assert_eq!(got_a.unwrap().message, a[1..].to_vec());
            prop_assert_eq!(got_b.unwrap().message, b[1..].to_vec());
            prop_assert_eq!((r.pending(), r.held_bytes()), (0, 0));
        }
    }

    /// The blocks of `message` behind PUT headers, as Transfer Data payloads.
    fn gbt_payloads(message: &[u8], counter: u64, block_size: usize) -> Vec<Vec<u8>> {
        let header = GbtBlock {
            cra_flag: 1,
            originator_counter: counter,
            business_originator: Eui64(0x90b3_d51f_3001_0000),
            business_target: Eui64(0x0253_4d45_5453_0002),
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
        gbt::split(&header, message, block_size)
            .map(|b| {
                let mut p = vec![0x03];
                p.extend(b.to_vec().unwrap());
                p
            })
            .collect()
    }

    #[test]
    fn gbt_blocks_rebuild_the_message() {
        let message = signing(300);
        let key = GbcsTunnelKey {
            source: 0,
            tunnel_id: 0,
        };
        let payloads = gbt_payloads(&message, 7, 128);
        let n = message.len().div_ceil(128);
        assert!(n >= 3);
        assert_eq!(payloads.len(), n);
        let mut r = GbcsTunnelReassembler::new(4, 4096);
        for p in &payloads[..n - 1] {
            assert_eq!(r.push(key, p), None);
            assert!(
                !r.expects_continuation(key),
                "each block has its tunnel header"
            );
        }
        let whole = r.push(key, &payloads[n - 1]).unwrap();
        assert_eq!(whole.message, message);
        assert_eq!(whole.gbt_blocks, Some(u16::try_from(n).unwrap()));
        assert_eq!(whole.command, GbcsTunnelCommand::Put);
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
        // One block: whole at once.
        let one = gbt_payloads(&message, 8, 1000);
        assert_eq!(r.push(key, &one[0]).unwrap().gbt_blocks, Some(1));
    }

    #[test]
    fn gbt_blocks_out_of_order_or_of_another_message_drop_it() {
        let message = signing(300);
        let key = GbcsTunnelKey {
            source: 9,
            tunnel_id: 1,
        };
        let a = gbt_payloads(&message, 7, 100);
        let b = gbt_payloads(&message, 8, 100);
        let mut r = GbcsTunnelReassembler::new(4, 4096);
        assert_eq!(r.push(key, &a[0]), None);
        assert_eq!(r.push(key, &a[2]), None, "block 3 before block 2");
        assert_eq!(r.pending(), 0);
        assert_eq!(r.push(key, &a[0]), None);
        assert_eq!(r.push(key, &b[1]), None, "block 2 of another message");
        assert_eq!(r.pending(), 0);
        // A new block 1 restarts the message.
        assert_eq!(r.push(key, &a[0]), None);
        let (last, first) = b.split_last().unwrap();
        for p in first {
            assert_eq!(r.push(key, p), None);
        }
        assert_eq!(r.push(key, last).unwrap().message, message);
    }

    #[test]
    fn gbt_messages_keep_to_the_byte_bound() {
        let message = signing(300);
        let key = GbcsTunnelKey {
            source: 1,
            tunnel_id: 0,
        };
        let mut r = GbcsTunnelReassembler::new(4, 200);
        let p = gbt_payloads(&message, 1, 128);
        assert_eq!(r.push(key, &p[0]), None);
        assert!(r.held_bytes() <= 200);
        assert_eq!(r.push(key, &p[1]), None, "past the bound: dropped");
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
    }
}
