//! The decode path allocates nothing per frame: after one warm-up pass over a
//! capture, dissecting every frame again (with NWK decryption) makes no heap
//! allocation. Counted with a wrapping global allocator.

#![allow(unsafe_code)] // a global allocator can only be written with `unsafe`

mod common;

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};
use std::alloc::System;

use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator, which
// upholds the `GlobalAlloc` contract; the wrapper only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn dissecting_a_capture_again_allocates_nothing() {
    let Some(records) = common::records() else {
        return;
    };
    let frames: Vec<Vec<u8>> = records
        .iter()
        .filter(|r| r["capture_file"] == "killerbee__control4-sample.pcap")
        .map(common::record_bytes)
        .collect();
    assert_eq!(frames.len(), 407);
    let mut ring = KeyRing::new();
    ring.add_network_key(
        Key128::from_hex("26546b723b396a727b5d5271517d392f").unwrap(),
        Some(0),
        KeySource::Configured,
    );
    let mut dissector = Dissector::new(ring, DissectorOptions::default());
    let mut decrypted = 0usize;
    for f in &frames {
        let _ = dissector.dissect(f, FcsMode::Present);
    }
    dissector.restart();
    for f in &frames {
        let _ = dissector.dissect(f, FcsMode::Present);
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for f in &frames {
        let d = dissector.dissect(f, FcsMode::Present);
        decrypted += usize::from(d.nwk_security.is_some_and(|s| s.decrypted()));
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(decrypted, 194, "the pass must really decrypt");
    assert_eq!(
        after - before,
        0,
        "heap allocations while dissecting 407 frames"
    );
}
