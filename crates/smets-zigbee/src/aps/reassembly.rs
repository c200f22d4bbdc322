//! APS fragment reassembly (ZigBee R22 2.2.8.4.5): collects the blocks of
//! fragmented messages and returns each message once all its blocks are in.
//!
//! Acknowledging windows of blocks, retransmission and timers are the
//! sender's and receiver's state machines, not this buffer's.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::Fragmentation;
use crate::bounded::Bounded;

/// Identifies one fragmented message: the NWK source address of its frames
/// and their APS counter, which all blocks of a message share (R22 2.2.8.4.5).
///
/// Short addresses are unique within one PAN only: a caller that decodes
/// several PANs (or watches a device change its address) keeps one
/// [`Reassembler`] per PAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReassemblyKey {
    /// NWK source address of the frames (the originator, not the last hop).
    pub source: u16,
    /// APS counter of the frames.
    pub counter: u8,
}

#[derive(Debug)]
struct Partial {
    /// Number of blocks, known once the first block arrived.
    total: Option<u8>,
    blocks: BTreeMap<u8, Vec<u8>>,
}

/// Collects the blocks of fragmented APS messages (ZigBee R22 2.2.8.4.5).
///
/// The first block of a message carries, in its block number, the number of
/// blocks; each later block carries its index (1 to count - 1). Blocks may
/// come in any order; a block already held is ignored (its first copy wins).
///
/// Memory is bounded by the two constructor arguments: at most
/// `max_messages` messages are held incomplete, and the payload bytes held
/// across all of them never exceed `max_bytes`. When a new block would break
/// either bound, the oldest incomplete messages (by arrival of their first
/// block seen) are dropped until it fits; a message that alone would exceed
/// `max_bytes` is dropped.
///
/// Payloads handed in must be plaintext: every block of a secured message is
/// secured on its own, so the caller decrypts each before pushing it.
#[derive(Debug)]
pub struct Reassembler {
    partial: Bounded<ReassemblyKey, Partial>,
}

impl Reassembler {
    /// A reassembler holding at most `max_messages` incomplete messages and
    /// `max_bytes` payload bytes in all.
    #[must_use]
    pub fn new(max_messages: usize, max_bytes: usize) -> Self {
        Self {
            partial: Bounded::new(max_messages, max_bytes),
        }
    }

    /// Number of messages held incomplete.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.partial.len()
    }

    /// Payload bytes held across the incomplete messages.
    #[must_use]
    pub fn held_bytes(&self) -> usize {
        self.partial.held()
    }

    /// Drops every incomplete message.
    pub fn clear(&mut self) {
        self.partial.clear();
    }

    /// Adds one block: `fragmentation` and `block_number` come from the
    /// frame's extended header, `payload` is the block's plaintext.
    ///
    /// Returns the whole message when this block completes it. An unfragmented
    /// frame (`Fragmentation::None`) is a complete message by itself and comes
    /// back at once. Blocks that cannot belong to a message (a first block
    /// announcing 0 blocks, a later block numbered 0 or beyond the announced
    /// count, a reserved fragmentation value) are ignored.
    pub fn push(
        &mut self,
        key: ReassemblyKey,
        fragmentation: Fragmentation,
        block_number: u8,
        payload: &[u8],
    ) -> Option<Vec<u8>> {
        let (index, total) = match fragmentation {
            Fragmentation::None => return Some(payload.to_vec()),
            Fragmentation::First if block_number == 0 => return None,
            Fragmentation::First if block_number == 1 => {
                self.partial.remove(key);
                return Some(payload.to_vec());
            }
            Fragmentation::First => (0u8, Some(block_number)),
            Fragmentation::Subsequent if block_number == 0 => return None,
            Fragmentation::Subsequent => (block_number, None),
            Fragmentation::Unknown(_) => return None,
        };
        if payload.len() > self.partial.max_bytes() {
            return None;
        }
        if !self.partial.contains(key)
            && !self.partial.insert(
                key,
                Partial {
                    total: None,
                    blocks: BTreeMap::new(),
                },
            )
        {
            return None;
        }
        let p = self.partial.get_mut(key)?;
        if let Some(t) = total
            && p.total.is_none()
        {
            p.total = Some(t);
            let dropped: usize = p.blocks.split_off(&t).values().map(Vec::len).sum();
            self.partial.shrink(key, dropped);
        }
        let p = self.partial.get_mut(key)?;
        if p.total.is_some_and(|t| index >= t) || p.blocks.contains_key(&index) {
            return None;
        }
        if !self.partial.make_room(key, payload.len()) {
            self.partial.remove(key);
            return None;
        }
        let p = self.partial.get_mut(key)?;
        p.blocks.insert(index, payload.to_vec());
        let complete = p.total.is_some_and(|t| p.blocks.len() == usize::from(t));
        self.partial.grow(key, payload.len());
        if !complete {
            return None;
        }
        let p = self.partial.remove(key)?;
        let mut message = Vec::with_capacity(p.blocks.values().map(Vec::len).sum());
        for block in p.blocks.values() {
            message.extend_from_slice(block);
        }
        Some(message)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const K: ReassemblyKey = ReassemblyKey {
        source: 0x1234,
        counter: 7,
    };

    #[test]
    fn in_order_out_of_order_and_duplicates() {
        let mut r = Reassembler::new(4, 1000);
        assert_eq!(r.push(K, Fragmentation::Subsequent, 2, b"cc"), None);
        assert_eq!(r.push(K, Fragmentation::Subsequent, 2, b"XX"), None);
        assert_eq!(r.push(K, Fragmentation::First, 3, b"aa"), None);
        assert_eq!(r.pending(), 1);
        assert_eq!(r.held_bytes(), 4);
        assert_eq!(r.push(K, Fragmentation::First, 3, b"YY"), None);
        assert_eq!(
            r.push(K, Fragmentation::Subsequent, 1, b"b"),
            Some(b"aabcc".to_vec())
        );
        assert_eq!(r.pending(), 0);
        assert_eq!(r.held_bytes(), 0);
        assert_eq!(r.push(K, Fragmentation::None, 0, b"z"), Some(b"z".to_vec()));
        assert_eq!(
            r.push(K, Fragmentation::First, 1, b"one"),
            Some(b"one".to_vec())
        );
    }

    #[test]
    fn invalid_blocks_are_ignored() {
        let mut r = Reassembler::new(4, 1000);
        assert_eq!(r.push(K, Fragmentation::First, 0, b"a"), None);
        assert_eq!(r.push(K, Fragmentation::Subsequent, 0, b"a"), None);
        assert_eq!(r.push(K, Fragmentation::Unknown(3), 1, b"a"), None);
        assert_eq!(r.pending(), 0);
        // A block beyond the count held before the first block is dropped when the count arrives.
        assert_eq!(r.push(K, Fragmentation::Subsequent, 5, b"late"), None);
        assert_eq!(r.push(K, Fragmentation::First, 2, b"a"), None);
        assert_eq!(r.held_bytes(), 1);
        assert_eq!(r.push(K, Fragmentation::Subsequent, 4, b"x"), None);
        assert_eq!(
            r.push(K, Fragmentation::Subsequent, 1, b"b"),
            Some(b"ab".to_vec())
        );
    }

    #[test]
    fn bounds_evict_the_oldest() {
        let mut r = Reassembler::new(2, 10);
        let k = |c| ReassemblyKey {
            source: 1,
            counter: c,
        };
        assert_eq!(r.push(k(1), Fragmentation::First, 2, b"1111"), None);
        assert_eq!(r.push(k(2), Fragmentation::First, 2, b"2222"), None);
        assert_eq!(r.push(k(3), Fragmentation::First, 2, b"33"), None);
        assert_eq!(r.pending(), 2);
        // Message 1 was evicted: its second block starts a new, incomplete message.
        assert_eq!(r.push(k(1), Fragmentation::Subsequent, 1, b"1"), None);
        assert_eq!(r.pending(), 2);
        // The byte bound: 9 bytes would overflow 10 with message 3 held, so 3 goes.
        assert_eq!(r.push(k(2), Fragmentation::Subsequent, 1, b"22222"), None);
        assert!(r.held_bytes() <= 10);
        // A block larger than the whole budget is never held.
        assert_eq!(r.push(k(9), Fragmentation::First, 2, &[0; 11]), None);
        assert!(r.held_bytes() <= 10);
        let mut none = Reassembler::new(0, 10);
        assert_eq!(none.push(K, Fragmentation::First, 2, b"a"), None);
        assert_eq!(none.pending(), 0);
        r.clear();
        assert_eq!((r.pending(), r.held_bytes()), (0, 0));
    }

    proptest! {
        #[test]
        fn split_shuffle_reassemble(
            message in proptest::collection::vec(any::<u8>(), 2..400),
            cuts in proptest::collection::vec(1usize..60, 1..40),
            order in proptest::collection::vec(any::<u32>(), 40),
            dup in any::<bool>(),
        ) {
            let mut blocks: Vec<&[u8]> = Vec::new();
            let mut rest = &message[..];
            for c in cuts {
                if rest.is_empty() || blocks.len() == 254 {
                    break;
                }
                let (a, b) = rest.split_at(c.min(rest.len()));
                blocks.push(a);
                rest = b;
            }
            if !rest.is_empty() {
                blocks.push(rest);
            }
            let count = u8::try_from(blocks.len()).unwrap();
            let mut idx: Vec<usize> = (0..blocks.len()).collect();
            idx.sort_by_key(|&i| order.get(i).copied().unwrap_or(0));
            if dup && let Some(&first) = idx.first() {
                idx.insert(0, first);
            }
            let mut r = Reassembler::new(3, 1024);
            let mut done = None;
            for (n, &i) in idx.iter().enumerate() {
                let (frag, num) = if i == 0 {
                    (Fragmentation::First, count)
                } else {
                    (Fragmentation::Subsequent, u8::try_from(i).unwrap())
                };
                let out = r.push(K, frag, num, blocks[i]);
                if n + 1 < idx.len() && count > 1 {
                    prop_assert!(out.is_none());
                } else if out.is_some() {
                    done = out;
                }
            }
            prop_assert_eq!(done, Some(message));
            prop_assert_eq!(r.pending(), 0);
            prop_assert_eq!(r.held_bytes(), 0);
        }
    }
}
