//! The decode path allocates nothing per frame: after one warm-up pass over a
//! capture, dissecting every frame again (with NWK decryption) makes no heap
//! allocation. Counted with a wrapping global allocator.

#![allow(unsafe_code)] // a global allocator can only be written with `unsafe`

mod common;

use core::alloc::{GlobalAlloc, Layout};
use smets_zigbee::zcl::ZclCommand;
use smets_zigbee::zcl::cluster;
use smets_zigbee::zcl::foundation::FoundationCommand;
use std::alloc::System;

use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

struct Counting;

thread_local! {
    /// Allocations made by this thread: the test harness allocates on other
    /// threads while a test measures.
    static THREAD_ALLOCATIONS: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

fn count() {
    let _ = THREAD_ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

/// Allocations so far on the calling thread.
fn thread_allocations() -> usize {
    THREAD_ALLOCATIONS.with(core::cell::Cell::get)
}

/// Tests that measure take turns, so that one's warm-up does not land in
/// another's count.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

// SAFETY: every call is forwarded unchanged to the system allocator, which
// upholds the `GlobalAlloc` contract; the wrapper only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn dissecting_a_capture_again_allocates_nothing() {
    let _turn = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
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
    let before = thread_allocations();
    for f in &frames {
        let d = dissector.dissect(f, FcsMode::Present);
        decrypted += usize::from(d.nwk_security.is_some_and(|s| s.decrypted()));
    }
    let after = thread_allocations();
    assert_eq!(decrypted, 194, "the pass must really decrypt");
    assert_eq!(
        after - before,
        0,
        "heap allocations while dissecting 407 frames"
    );
}

/// A Smart Energy frame, plain NWK, from 0x1234 endpoint 1 to the
/// coordinator: MAC data header, NWK header, APS data for Metering on the
/// Smart Energy profile, then `zcl`.
fn metering_frame(zcl: &[u8]) -> Vec<u8> {
    let mac = [0x61, 0x88, 0x2a, 0x1d, 0x4b, 0x00, 0x00, 0x34, 0x12];
    let nwk = [0x08, 0x00, 0x00, 0x00, 0x34, 0x12, 0x1e, 0x05];
    let aps = [0x40, 0x01, 0x02, 0x07, 0x09, 0x01, 0x01, 0x22];
    let mut f = [&mac[..], &nwk, &aps, zcl].concat();
    let fcs = smets_core::crc::crc16_kermit(&f);
    f.extend_from_slice(&fcs.to_le_bytes());
    f
}

#[test]
fn metering_reports_through_every_layer_allocate_nothing() {
    let _turn = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Report Attributes (server to client): UnitofMeasure kWh, Divisor
    // 1000, SummationFormatting 0x2b, then CurrentSummationDelivered.
    let formatting = metering_frame(&[
        0x18, 0x01, 0x0a, 0x00, 0x03, 0x30, 0x00, 0x02, 0x03, 0x22, 0xe8, 0x03, 0x00, 0x03, 0x03,
        0x18, 0x2b,
    ]);
    let report = metering_frame(&[
        0x18, 0x02, 0x0a, 0x00, 0x00, 0x25, 0x4e, 0x61, 0xbc, 0x00, 0x00, 0x00,
    ]);
    let mut dissector = Dissector::new(KeyRing::new(), DissectorOptions::default());
    let first = dissector.dissect(&formatting, FcsMode::Present);
    assert!(first.error.is_none(), "{:?}", first.error);
    let _ = dissector.dissect(&report, FcsMode::Present);
    let before = thread_allocations();
    let mut scaled = 0usize;
    for _ in 0..1000 {
        let d = dissector.dissect(&report, FcsMode::Present);
        let Some(ZclCommand::Foundation(FoundationCommand::ReportAttributes(records))) =
            d.zcl_command
        else {
            panic!("a decoded report: {:?}", d.error)
        };
        let fmt = d.metering_formatting.expect("formatting learned");
        let summation = cluster::cluster(0x0702)
            .and_then(|c| c.attribute(false, 0x0000))
            .expect("CurrentSummationDelivered");
        for r in records.iter() {
            let r = r.expect("checked at decode");
            scaled += usize::from(fmt.scale(summation.spec.quantity, &r.value).is_some());
        }
    }
    let after = thread_allocations();
    assert_eq!(scaled, 1000, "every report scales");
    assert_eq!(after - before, 0, "heap allocations over 1000 reports");
}
