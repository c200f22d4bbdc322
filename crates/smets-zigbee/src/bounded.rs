//! A small keyed table with memory bounds, shared by the reassemblers
//! (APS fragments, GBCS messages over the Tunneling cluster).
//!
//! At most `max_entries` entries and `max_bytes` bytes across them; when a
//! bound would break, the oldest entries (by creation) are evicted first.
//! The table counts bytes as its users report them with [`Bounded::grow`].

use alloc::vec::Vec;

#[derive(Debug)]
struct Entry<K, P> {
    key: K,
    created: u64,
    size: usize,
    value: P,
}

/// Partial messages keyed by `K`, bounded in count and bytes.
#[derive(Debug)]
pub(crate) struct Bounded<K, P> {
    max_entries: usize,
    max_bytes: usize,
    held: usize,
    clock: u64,
    entries: Vec<Entry<K, P>>,
}

impl<K: Copy + Eq, P> Bounded<K, P> {
    pub(crate) const fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            max_entries,
            max_bytes,
            held: 0,
            clock: 0,
            entries: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) const fn held(&self) -> usize {
        self.held
    }

    pub(crate) const fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.held = 0;
    }

    pub(crate) fn contains(&self, key: K) -> bool {
        self.entries.iter().any(|e| e.key == key)
    }

    pub(crate) fn get(&self, key: K) -> Option<&P> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.value)
    }

    pub(crate) fn get_mut(&mut self, key: K) -> Option<&mut P> {
        self.entries
            .iter_mut()
            .find(|e| e.key == key)
            .map(|e| &mut e.value)
    }

    /// Takes the entry out, releasing its bytes.
    pub(crate) fn remove(&mut self, key: K) -> Option<P> {
        let pos = self.entries.iter().position(|e| e.key == key)?;
        let e = self.entries.swap_remove(pos);
        self.held -= e.size;
        Some(e.value)
    }

    /// Opens an entry for `key` (which must not be open), evicting the oldest
    /// entries while the table is full; `false` when it holds no entry at all.
    pub(crate) fn insert(&mut self, key: K, value: P) -> bool {
        if self.max_entries == 0 {
            return false;
        }
        while self.entries.len() >= self.max_entries {
            if !self.evict_oldest_except(key) {
                return false;
            }
        }
        self.clock += 1;
        self.entries.push(Entry {
            key,
            created: self.clock,
            size: 0,
            value,
        });
        true
    }

    /// Evicts the oldest entries other than `keep` until `n` more bytes fit;
    /// `false` when they cannot.
    pub(crate) fn make_room(&mut self, keep: K, n: usize) -> bool {
        while self.held + n > self.max_bytes {
            if !self.evict_oldest_except(keep) {
                return false;
            }
        }
        true
    }

    /// Counts `n` more bytes held by `key`'s entry (negative growth: `shrink`).
    pub(crate) fn grow(&mut self, key: K, n: usize) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            e.size += n;
            self.held += n;
        }
    }

    /// Counts `n` fewer bytes held by `key`'s entry.
    pub(crate) fn shrink(&mut self, key: K, n: usize) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.key == key) {
            let n = n.min(e.size);
            e.size -= n;
            self.held -= n;
        }
    }

    fn evict_oldest_except(&mut self, keep: K) -> bool {
        let oldest = self
            .entries
            .iter()
            .filter(|e| e.key != keep)
            .min_by_key(|e| e.created)
            .map(|e| e.key);
        match oldest {
            Some(k) => self.remove(k).is_some(),
            None => false,
        }
    }
}
