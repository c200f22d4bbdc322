//! GBCS General Block Transfer (GBT) blocks as the GB HAN tunnel carries
//! them: a GBCS message too long for one Transfer Data is cut into blocks,
//! each sent as a message of its own behind the tunnel's PUT header.
//!
//! A block is a routing header in the DLMS General-Ciphering form (tag 0xDD
//! with a 9-byte transaction id: CRA flag and originator counter; the
//! business originator and target ids; date-time; other-information with the
//! message code; key-info; a BER length; security control byte and
//! invocation counter), then a DLMS General-Block-Transfer header (tag 0xE0,
//! block control with the last-block bit, block number, acknowledged block
//! number, BER length) and the block's share of the message. The blocks of a
//! message are numbered from 1; joined in order, their data is the whole
//! GBCS message. Layout and numbering as Wireshark `packet-gbcs.c` reads
//! GBCS (routing header, GBT header, reassembly keyed by the business
//! originator and originator counter); the DLMS APDU is IEC 62056-5-3
//! 9.3.x General-Block-Transfer. Blocks carry no MAC of their own here: the
//! message they rebuild is protected end to end.

use alloc::vec::Vec;

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ber, ensure_room,
};

use super::gbcs::{TAG_GENERAL_BLOCK_TRANSFER, TAG_GENERAL_CIPHERING};

/// Length of the transaction id element: CRA flag and originator counter.
const TRANSACTION_ID_LEN: u8 = 9;
/// Length of a DLMS date-time (IEC 62056-6-2 4.1.6.1).
const DATE_TIME_LEN: usize = 12;
/// Block control bit 7: this is the last block.
pub const BLOCK_CONTROL_LAST: u8 = 0x80;
/// Block control bit 6: the sender streams blocks without waiting.
pub const BLOCK_CONTROL_STREAMING: u8 = 0x40;
/// Block control bits 0-5: the window size.
pub const BLOCK_CONTROL_WINDOW: u8 = 0x3f;

/// One GBT block: routing header, GBT header and data (module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbtBlock<'a> {
    /// CRA flag of the message the block belongs to (1 command, 2 response, 3 alert).
    pub cra_flag: u8,
    /// Originator counter of that message.
    pub originator_counter: u64,
    /// Business originator id (sent most significant byte first).
    pub business_originator: Eui64,
    /// Business target id.
    pub business_target: Eui64,
    /// DLMS date-time, 12 bytes, or empty when absent.
    pub date_time: &'a [u8],
    /// Message code (GBCS use case) from other-information.
    pub message_code: u16,
    /// Other-information after the message code (usually empty).
    pub other_information: &'a [u8],
    /// Key-info (empty in GBCS).
    pub key_info: &'a [u8],
    /// Security control byte.
    pub security_control: u8,
    /// Invocation counter.
    pub invocation_counter: u32,
    /// Block control: last block, streaming, window (the three `BLOCK_CONTROL_*` parts).
    pub block_control: u8,
    /// Block number, from 1.
    pub block_number: u16,
    /// Acknowledged block number.
    pub block_number_ack: u16,
    /// The block's data: its share of the whole message.
    pub data: &'a [u8],
}

impl GbtBlock<'_> {
    /// Whether this is the message's last block.
    #[must_use]
    pub const fn is_last(&self) -> bool {
        self.block_control & BLOCK_CONTROL_LAST != 0
    }
}

/// Whether `message` starts like a GBT block (0xDD followed by a 9-byte
/// transaction id), as opposed to a whole General-Ciphering message, whose
/// GBCS MAC header has an empty transaction id.
#[must_use]
pub fn looks_like_gbt(message: &[u8]) -> bool {
    matches!(message, [TAG_GENERAL_CIPHERING, TRANSACTION_ID_LEN, ..])
}

fn element<'a>(r: &mut Reader<'a>, field: &'static str) -> Result<&'a [u8], DecodeError> {
    let n = r.u8(field)?;
    r.bytes(usize::from(n), field)
}

fn eui_element(r: &mut Reader<'_>, field: &'static str) -> Result<Eui64, DecodeError> {
    let n = r.u8(field)?;
    if n != 8 {
        return Err(r.invalid(1, field, u64::from(n)));
    }
    Ok(Eui64(r.uint_be(8, field)?))
}

impl<'a> Decode<'a> for GbtBlock<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Gbcs);
        let tag = r.u8("routing header tag")?;
        if tag != TAG_GENERAL_CIPHERING {
            return Err(r.invalid(1, "routing header tag", u64::from(tag)));
        }
        let n = r.u8("transaction id length")?;
        if n != TRANSACTION_ID_LEN {
            return Err(r.invalid(1, "transaction id length", u64::from(n)));
        }
        let cra_flag = r.u8("cra flag")?;
        let originator_counter = r.uint_be(8, "originator counter")?;
        let business_originator = eui_element(&mut r, "business originator id")?;
        let business_target = eui_element(&mut r, "business target id")?;
        let date_time = element(&mut r, "date-time")?;
        if !date_time.is_empty() && date_time.len() != DATE_TIME_LEN {
            return Err(r.invalid(
                date_time.len() + 1,
                "date-time length",
                date_time.len() as u64,
            ));
        }
        let other_len = r.ber_length("other-information length")?;
        if other_len < 2 {
            return Err(r.invalid(1, "other-information length", other_len as u64));
        }
        let message_code = r.u16_be("message code")?;
        let other_information = r.bytes(other_len - 2, "other-information")?;
        let key_info = element(&mut r, "key-info")?;
        let body_len = r.ber_length("routing header length")?;
        let body_at = r.pos();
        let body = r.bytes(body_len, "gbt block")?;
        r.finish()?;
        let mut b = Reader::with_base(body, Layer::Gbcs, body_at);
        let security_control = b.u8("security control")?;
        let invocation_counter = u32::try_from(b.uint_be(4, "invocation counter")?).unwrap_or(0);
        let tag = b.u8("gbt tag")?;
        if tag != TAG_GENERAL_BLOCK_TRANSFER {
            return Err(b.invalid(1, "gbt tag", u64::from(tag)));
        }
        let block_control = b.u8("block control")?;
        let block_number = b.u16_be("block number")?;
        let block_number_ack = b.u16_be("block number ack")?;
        let data_len = b.ber_length("block data length")?;
        let data = b.bytes(data_len, "block data")?;
        b.finish()?;
        Ok(Self {
            cra_flag,
            originator_counter,
            business_originator,
            business_target,
            date_time,
            message_code,
            other_information,
            key_info,
            security_control,
            invocation_counter,
            block_control,
            block_number,
            block_number_ack,
            data,
        })
    }
}

impl GbtBlock<'_> {
    fn body_len(&self) -> usize {
        1 + 4 + 1 + 1 + 2 + 2 + ber::length_len(self.data.len()) + self.data.len()
    }
}

impl Encode for GbtBlock<'_> {
    fn encoded_len(&self) -> usize {
        let other = 2 + self.other_information.len();
        let body = self.body_len();
        1 + 1
            + 9
            + 1
            + 8
            + 1
            + 8
            + 1
            + self.date_time.len()
            + ber::length_len(other)
            + other
            + 1
            + self.key_info.len()
            + ber::length_len(body)
            + body
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if !self.date_time.is_empty() && self.date_time.len() != DATE_TIME_LEN {
            return Err(EncodeError::unrepresentable(
                Layer::Gbcs,
                "date-time length",
                self.date_time.len() as u64,
            ));
        }
        let key_info = u8::try_from(self.key_info.len()).map_err(|_| {
            EncodeError::unrepresentable(Layer::Gbcs, "key-info length", self.key_info.len() as u64)
        })?;
        if self.data.len() > 0xff_ffff || self.other_information.len() > 0xffff {
            return Err(EncodeError::unrepresentable(
                Layer::Gbcs,
                "block data length",
                self.data.len() as u64,
            ));
        }
        ensure_room(out, self.encoded_len(), Layer::Gbcs)?;
        out.put_u8(TAG_GENERAL_CIPHERING);
        out.put_u8(TRANSACTION_ID_LEN);
        out.put_u8(self.cra_flag);
        out.put_u64(self.originator_counter);
        out.put_u8(8);
        out.put_u64(self.business_originator.0);
        out.put_u8(8);
        out.put_u64(self.business_target.0);
        out.put_u8(u8::try_from(self.date_time.len()).unwrap_or(0));
        out.put_slice(self.date_time);
        ber::put_length(out, 2 + self.other_information.len());
        out.put_u16(self.message_code);
        out.put_slice(self.other_information);
        out.put_u8(key_info);
        out.put_slice(self.key_info);
        ber::put_length(out, self.body_len());
        out.put_u8(self.security_control);
        out.put_u32(self.invocation_counter);
        out.put_u8(TAG_GENERAL_BLOCK_TRANSFER);
        out.put_u8(self.block_control);
        out.put_u16(self.block_number);
        out.put_u16(self.block_number_ack);
        ber::put_length(out, self.data.len());
        out.put_slice(self.data);
        Ok(())
    }
}

/// Cuts `message` into GBT blocks of at most `block_size` data bytes, each
/// with `header`'s routing fields, numbered from 1, the last one marked.
/// `block_size` 0 is taken as 1.
pub fn split<'m>(
    header: &GbtBlock<'m>,
    message: &'m [u8],
    block_size: usize,
) -> impl Iterator<Item = GbtBlock<'m>> + 'm {
    let template = *header;
    let chunks = message.chunks(block_size.max(1));
    let count = chunks.len();
    chunks.enumerate().map(move |(i, data)| {
        let last = i + 1 == count;
        GbtBlock {
            block_control: (template.block_control & !BLOCK_CONTROL_LAST)
                | if last { BLOCK_CONTROL_LAST } else { 0 },
            block_number: u16::try_from(i + 1).unwrap_or(u16::MAX),
            data,
            ..template
        }
    })
}

/// The data of blocks joined back, when `blocks` are numbered 1, 2, ... with
/// only the final one marked last.
#[must_use]
pub fn join(blocks: &[GbtBlock<'_>]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let last = i + 1 == blocks.len();
        if usize::from(b.block_number) != i + 1 || b.is_last() != last {
            return None;
        }
        out.extend_from_slice(b.data);
    }
    Some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn header() -> GbtBlock<'static> {
        GbtBlock {
            cra_flag: 2,
            originator_counter: 0x0102_0304_0506_0708,
            business_originator: Eui64(0x0253_4d45_5453_0002),
            business_target: Eui64(0x90b3_d51f_3001_0000),
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
        }
    }

    #[test]
    fn a_block_has_the_layout_wireshark_reads() {
        let b = GbtBlock {
            data: &[0xaa, 0xbb],
            block_control: BLOCK_CONTROL_LAST,
            ..header()
        };
        let bytes = b.to_vec().unwrap();
        let want = [
            vec![0xdd, 0x09, 0x02, 1, 2, 3, 4, 5, 6, 7, 8],
            vec![0x08, 0x02, 0x53, 0x4d, 0x45, 0x54, 0x53, 0x00, 0x02],
            vec![0x08, 0x90, 0xb3, 0xd5, 0x1f, 0x30, 0x01, 0x00, 0x00],
            vec![0x00, 0x02, 0x00, 0x27, 0x00],
            vec![
                0x0e, 0x00, 0, 0, 0, 0, 0xe0, 0x80, 0x00, 0x01, 0x00, 0x00, 0x02, 0xaa, 0xbb,
            ],
        ]
        .concat();
        assert_eq!(bytes, want);
        assert!(looks_like_gbt(&bytes));
        let d = GbtBlock::decode(&bytes).unwrap();
        assert_eq!(d, b);
        assert!(d.is_last());
        for cut in 0..bytes.len() {
            let e = GbtBlock::decode(&bytes[..cut]).unwrap_err();
            assert_eq!(e.layer, Layer::Gbcs);
            assert!(e.offset <= cut);
        }
    }

    #[test]
    fn a_message_splits_and_joins() {
        let message: Vec<u8> = (0..=255u8).cycle().take(300).collect();
        let h = header();
        let blocks: Vec<GbtBlock<'_>> = split(&h, &message, 128).collect();
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks
                .iter()
                .map(|b| (b.block_number, b.is_last(), b.data.len()))
                .collect::<Vec<_>>(),
            [(1, false, 128), (2, false, 128), (3, true, 44)]
        );
        let wire: Vec<Vec<u8>> = blocks.iter().map(|b| b.to_vec().unwrap()).collect();
        let back: Vec<GbtBlock<'_>> = wire.iter().map(|w| GbtBlock::decode(w).unwrap()).collect();
        assert_eq!(join(&back).unwrap(), message);
        assert_eq!(join(&back[1..]), None);
        assert_eq!(join(&back[..2]), None);
    }

    #[test]
    fn whole_ciphering_messages_are_not_blocks() {
        assert!(!looks_like_gbt(&[0xdd, 0x00, 0x00]));
        assert!(GbtBlock::decode(&[0xdd, 0x00, 0x00]).is_err());
    }

    proptest! {
        #[test]
        fn blocks_round_trip(
            cra in 1u8..4,
            counter in any::<u64>(),
            code in any::<u16>(),
            control in any::<u8>(),
            number in any::<u16>(),
            ack in any::<u16>(),
            dated in any::<bool>(),
            data in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let dt = [0x07, 0xea, 3, 2, 1, 9, 30, 0, 0, 0, 0, 0];
            let b = GbtBlock {
                cra_flag: cra,
                originator_counter: counter,
                message_code: code,
                block_control: control,
                block_number: number,
                block_number_ack: ack,
                date_time: if dated { &dt } else { &[] },
                data: &data,
                ..header()
            };
            let bytes = b.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), b.encoded_len());
            prop_assert_eq!(GbtBlock::decode(&bytes).unwrap(), b);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            // Lengths may be sent in a longer BER form than needed; what
            // decodes encodes to a block that decodes the same.
            if let Ok(b) = GbtBlock::decode(&bytes) {
                let again = b.to_vec().unwrap();
                prop_assert_eq!(GbtBlock::decode(&again).unwrap(), b);
            }
        }
    }
}
