//! Shared pieces of the fuzz targets and the seed writer: the key ring of the
//! public vectors and of the project's own capture, the framing that packs several 802.15.4 frames into one
//! fuzz input, and the GBCS targets' own test key store.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};
use smets_core::Eui64;
use smets_gbcs::keys::MemoryKeyStore;
use smets_gbcs::{KeyRef, PrivateKey, RemotePartyRole};
use smets_zigbee::dissector::{Dissector, DissectorOptions, KeyRing, KeySource};
use smets_zigbee::mac::FcsMode;
use smets_zigbee::security::Key128;

/// Network keys of the public captures (control4, zigator).
pub const NETWORK_KEYS: [[u8; 16]; 3] = [
    [
        0x26, 0x54, 0x6b, 0x72, 0x3b, 0x39, 0x6a, 0x72, 0x7b, 0x5d, 0x52, 0x71, 0x51, 0x7d, 0x39,
        0x2f,
    ],
    [0x11; 16],
    [0x22; 16],
];

/// Link keys of the public captures: zigator's configured keys and the two
/// derived from its install codes.
pub const LINK_KEYS: [[u8; 16]; 4] = [
    [0x33; 16],
    [0x44; 16],
    [
        0x3c, 0x60, 0x47, 0xf3, 0xc5, 0x5c, 0x8c, 0x82, 0x90, 0xa5, 0x83, 0x9c, 0x21, 0x3b, 0x67,
        0x14,
    ],
    [
        0x86, 0x5e, 0xb4, 0x52, 0x95, 0x14, 0x20, 0x55, 0x2e, 0x9f, 0xdb, 0xb3, 0xf1, 0x66, 0x42,
        0xea,
    ],
];

/// The MAC key of the IEEE 802.15.4-2006 Annex C example (killerbee's
/// encrypted sample).
pub const MAC_KEY: [u8; 16] = [
    0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
];

/// The key ring every dissecting target and the seed writer use.
#[must_use]
pub fn key_ring() -> KeyRing {
    let mut keys = KeyRing::new();
    for k in NETWORK_KEYS {
        keys.add_network_key(Key128::new(k), None, KeySource::Configured);
    }
    for k in LINK_KEYS {
        keys.add_link_key(Key128::new(k), None, KeySource::Configured);
    }
    keys.add_well_known_link_key();
    keys.add_mac_key(Key128::new(MAC_KEY));
    // The project's own capture: its install codes and link keys open the
    // Smart Energy and tunnel traffic the seeds carry.
    if let Err(e) = smets_cli::decode::add_keys_file(&mut keys, HAN_DEMO_KEYS) {
        panic!("han-demo.keys.toml: {e}");
    }
    keys
}

/// The keys file of `test-vectors/captures/han-demo.pcapng` (test keys).
pub const HAN_DEMO_KEYS: &str = include_str!("../../test-vectors/captures/han-demo.keys.toml");

/// The project's own capture, `test-vectors/captures/han-demo.pcapng`.
pub const HAN_DEMO_CAPTURE: &[u8] = include_bytes!("../../test-vectors/captures/han-demo.pcapng");

/// A dissector holding [`key_ring`].
#[must_use]
pub fn dissector() -> Dissector {
    Dissector::new(key_ring(), DissectorOptions::default())
}

/// The FCS mode a selector byte names: odd means the frame ends with an FCS.
#[must_use]
pub fn fcs_mode(selector: u8) -> FcsMode {
    if selector & 1 == 1 {
        FcsMode::Present
    } else {
        FcsMode::Absent
    }
}

/// Bit 7 of a frame's length byte: the frame ends with an FCS.
const FCS_FLAG: u8 = 0x80;

/// Splits a fuzz input into frames: each frame is a length byte (bits 0-6:
/// length, bit 7: FCS present) and that many bytes; a short last frame takes
/// what is left.
pub fn frames(mut data: &[u8]) -> impl Iterator<Item = (&[u8], FcsMode)> {
    core::iter::from_fn(move || {
        let (&head, rest) = data.split_first()?;
        let len = usize::from(head & !FCS_FLAG).min(rest.len());
        let (frame, rest) = rest.split_at(len);
        data = rest;
        let fcs = if head & FCS_FLAG != 0 {
            FcsMode::Present
        } else {
            FcsMode::Absent
        };
        Some((frame, fcs))
    })
}

/// Appends one frame in the layout [`frames`] reads; `None` for a frame
/// longer than 127 bytes.
pub fn push_frame(out: &mut Vec<u8>, frame: &[u8], fcs: FcsMode) -> Option<()> {
    let len = u8::try_from(frame.len()).ok().filter(|&n| n < FCS_FLAG)?;
    out.push(len | if fcs == FcsMode::Present { FCS_FLAG } else { 0 });
    out.extend_from_slice(frame);
    Some(())
}

// ---------------------------------------------------------------------------
// GBCS: the fuzz targets' own P-256 test keys. The scalars are SHA-256 of a
// label, so messages sealed with them carry MACs and signatures the targets
// can check; no key of the public vectors is used.

/// The Access Control Broker of the RTDS messages: its KA key MACs every
/// command.
pub const GBCS_ACB: Eui64 = Eui64(0x90B3_D51F_3000_0002);

/// The entities of the RTDS messages, with the Remote Party Role of the
/// organisations (`None` for devices): every one has KA and DS key pairs in
/// [`gbcs_keys`], and the suppliers a prepayment KA key pair too.
pub const GBCS_ENTITIES: [(Eui64, Option<RemotePartyRole>); 15] = [
    (GBCS_ACB, Some(RemotePartyRole::AccessControlBroker)),
    (
        Eui64(0x90B3_D51F_3001_0000),
        Some(RemotePartyRole::Supplier),
    ),
    (
        Eui64(0x90B3_D51F_3003_0000),
        Some(RemotePartyRole::Supplier),
    ),
    (
        Eui64(0x90B3_D51F_3002_0000),
        Some(RemotePartyRole::NetworkOperator),
    ),
    (
        Eui64(0x90B3_D51F_3000_0001),
        Some(RemotePartyRole::Recovery),
    ),
    (
        Eui64(0x90B3_D51F_3000_0004),
        Some(RemotePartyRole::TransitionalCoS),
    ),
    (
        Eui64(0x90B3_D51F_3000_0007),
        Some(RemotePartyRole::WanProvider),
    ),
    (
        Eui64(0x90B3_D51F_3001_0008),
        Some(RemotePartyRole::LoadController),
    ),
    (Eui64(0x00DB_1234_5678_90A0), None),
    (Eui64(0x00DB_1234_5678_90A1), None),
    (Eui64(0x00DB_1234_5678_90A2), None),
    (Eui64(0x00DB_1234_5678_90A3), None),
    (Eui64(0x00DB_1234_5678_90A4), None),
    (Eui64(0x00DB_1234_5678_90A5), None),
    (Eui64(0x00DB_1234_5678_90A6), None),
];

/// The private key the fuzz targets hold for `key`: the first SHA-256 of
/// "smets-fuzz GBCS test key <reference>[/<n>]" that is a valid scalar.
#[must_use]
pub fn gbcs_private_key(key: &KeyRef) -> PrivateKey {
    (0u32..)
        .find_map(|n| {
            let mut h = Sha256::new();
            h.update(format!("smets-fuzz GBCS test key {key}").as_bytes());
            if n > 0 {
                h.update(format!("/{n}").as_bytes());
            }
            PrivateKey::from_scalar(&h.finalize())
        })
        .unwrap_or_else(|| unreachable!("some hash is below the group order"))
}

/// Every key reference [`gbcs_keys`] holds a private key for.
pub fn gbcs_key_refs() -> impl Iterator<Item = KeyRef> {
    GBCS_ENTITIES.iter().flat_map(|&(e, role)| {
        let pp = (role == Some(RemotePartyRole::Supplier)).then(|| KeyRef::prepayment_ka(e));
        [Some(KeyRef::ka(e)), Some(KeyRef::ds(e)), pp]
            .into_iter()
            .flatten()
    })
}

/// The key store of the GBCS targets, built once: KA and DS private keys
/// of every entity of [`GBCS_ENTITIES`], and the organisations' roles.
pub fn gbcs_keys() -> &'static MemoryKeyStore {
    static KEYS: OnceLock<MemoryKeyStore> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut store = MemoryKeyStore::new();
        for r in gbcs_key_refs() {
            if let Err(e) = store.insert_private(r, gbcs_private_key(&r)) {
                panic!("fuzz key {r}: {e}");
            }
        }
        for &(e, role) in &GBCS_ENTITIES {
            if let Some(role) = role {
                store.set_role(e, role);
            }
        }
        store
    })
}

/// An entity without keys in [`gbcs_keys`], which entity index 15 names:
/// sealing for it must fail with a missing key.
pub const GBCS_UNKNOWN_ENTITY: Eui64 = Eui64(0x0011_2233_4455_6677);

/// The entity an index byte of a `gbcs_seal_roundtrip` input names: one of
/// [`GBCS_ENTITIES`], or [`GBCS_UNKNOWN_ENTITY`].
#[must_use]
pub fn gbcs_entity(index: u8) -> Eui64 {
    GBCS_ENTITIES
        .get(usize::from(index % 16))
        .map_or(GBCS_UNKNOWN_ENTITY, |&(e, _)| e)
}

/// The index byte [`gbcs_entity`] reads as `entity`.
#[must_use]
pub fn gbcs_entity_index(entity: Eui64) -> Option<u8> {
    if entity == GBCS_UNKNOWN_ENTITY {
        return Some(15);
    }
    GBCS_ENTITIES
        .iter()
        .position(|&(e, _)| e == entity)
        .and_then(|i| u8::try_from(i).ok())
}

/// What a `gbcs_seal_roundtrip` input asks to seal: a grouping header, the
/// content's length form and the content.
#[derive(Debug, Clone, Copy)]
pub struct SealFields<'a> {
    /// The grouping header.
    pub header: smets_gbcs::envelope::GroupingHeader<'a>,
    /// How the content length is written.
    pub content_length_form: smets_gbcs::envelope::LengthForm,
    /// The content.
    pub content: &'a [u8],
}

/// Flag bits of a `gbcs_seal_roundtrip` input's first byte.
const SEAL_DATE_TIME: u8 = 0x04;
const SEAL_SUPPLEMENTARY_SHIFT: u8 = 3;
const SEAL_LONG_CONTENT_LENGTH: u8 = 0x40;
const SEAL_LONG_OTHER_INFORMATION: u8 = 0x80;

/// A length form one byte longer than the minimal one when `long`, so
/// that non-minimal BER lengths are sealed too.
fn seal_length_form(n: usize, long: bool) -> smets_gbcs::envelope::LengthForm {
    let m = smets_gbcs::envelope::LengthForm::minimal(n);
    if long && m.0 < 3 {
        smets_gbcs::envelope::LengthForm(m.0 + 1)
    } else {
        m
    }
}

/// Reads fields off the front of a fuzz input; past its end they read as
/// zero.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }

    fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// `n` bytes (at most 8), big-endian.
    fn fixed(&mut self, n: usize) -> u64 {
        (0..n).fold(0u64, |acc, _| (acc << 8) | u64::from(self.byte()))
    }
}

/// Reads a `gbcs_seal_roundtrip` input (missing bytes read as zero):
///
/// - flags: bits 0-1 CRA flag (0 is an unknown flag), bit 2 date-time
///   present, bits 3-5 supplementary fields (0 none, 1 remote party, 2 with
///   its counter, 3 with the supplementary originator counter, 4 with a
///   certificate, 5-7 none), bit 6 a non-minimal content length, bit 7 a
///   non-minimal other-information length;
/// - originator, recipient and supplementary remote party, an index byte
///   each ([`gbcs_entity`]);
/// - originator counter (8 bytes) and message code (2 bytes), big-endian;
/// - the date-time (12 bytes) when flagged;
/// - the supplementary remote party counter (8 bytes) for variants 2-4,
///   the supplementary originator counter (8 bytes) for variant 3, and for
///   variant 4 a big-endian `u16` `n` and a certificate of `9 + n % 1024`
///   bytes;
/// - the content: the rest.
#[must_use]
pub fn seal_fields(data: &[u8]) -> SealFields<'_> {
    use smets_gbcs::envelope::{
        CraFlag, GroupingHeader, OtherInformation, Supplementary, TransactionId,
    };
    let mut r = Cursor(data);
    let flags = r.byte();
    let orig = gbcs_entity(r.byte());
    let recip = gbcs_entity(r.byte());
    let party = gbcs_entity(r.byte());
    let counter = r.fixed(8);
    let message_code = u16::try_from(r.fixed(2)).unwrap_or(0);
    let date_time = (flags & SEAL_DATE_TIME != 0).then(|| {
        let mut dt = [0u8; 12];
        dt.iter_mut().for_each(|d| *d = r.byte());
        dt
    });
    let supplementary = match (flags >> SEAL_SUPPLEMENTARY_SHIFT) & 7 {
        1 => Supplementary::RemoteParty { id: party },
        2 => Supplementary::RemotePartyCounter {
            id: party,
            counter: r.fixed(8),
        },
        3 => Supplementary::OriginatorCounter {
            id: party,
            counter: r.fixed(8),
            originator_counter: r.fixed(8),
        },
        4 => {
            let counter = r.fixed(8);
            let n = 9 + usize::try_from(r.fixed(2) % 1024).unwrap_or(0);
            let cert = r.take(n);
            // A certificate must be longer than 8 bytes to be told apart
            // from the other variants.
            if cert.len() > 8 {
                Supplementary::Certificate {
                    id: party,
                    counter,
                    certificate: cert,
                }
            } else {
                Supplementary::RemotePartyCounter { id: party, counter }
            }
        }
        _ => Supplementary::None,
    };
    let other_len = 2 + supplementary.len();
    let header = GroupingHeader {
        transaction_id: TransactionId {
            cra_flag: CraFlag::from(flags & 3),
            originator_counter: counter,
        },
        originator: orig,
        recipient: recip,
        date_time,
        other_information: OtherInformation {
            length_form: seal_length_form(other_len, flags & SEAL_LONG_OTHER_INFORMATION != 0),
            message_code,
            supplementary,
        },
    };
    let content = r.0;
    SealFields {
        header,
        content_length_form: seal_length_form(content.len(), flags & SEAL_LONG_CONTENT_LENGTH != 0),
        content,
    }
}

/// The `gbcs_seal_roundtrip` input [`seal_fields`] reads as `header` and
/// `content` (length forms minimal); `None` when an entity is not in
/// [`GBCS_ENTITIES`], the CRA flag is not 0-3, or a certificate's length is
/// out of the input's range.
#[must_use]
pub fn seal_input(
    header: &smets_gbcs::envelope::GroupingHeader<'_>,
    content: &[u8],
) -> Option<Vec<u8>> {
    use smets_gbcs::envelope::Supplementary;
    let cra = u8::from(header.transaction_id.cra_flag);
    if cra > 3 {
        return None;
    }
    let (kind, party) = match header.other_information.supplementary {
        Supplementary::None => (0u8, None),
        Supplementary::RemoteParty { id } => (1, Some(id)),
        Supplementary::RemotePartyCounter { id, .. } => (2, Some(id)),
        Supplementary::OriginatorCounter { id, .. } => (3, Some(id)),
        Supplementary::Certificate { id, .. } => (4, Some(id)),
    };
    let mut out = vec![
        cra | if header.date_time.is_some() {
            SEAL_DATE_TIME
        } else {
            0
        } | (kind << SEAL_SUPPLEMENTARY_SHIFT),
        gbcs_entity_index(header.originator)?,
        gbcs_entity_index(header.recipient)?,
        party.map_or(Some(0), gbcs_entity_index)?,
    ];
    out.extend_from_slice(&header.transaction_id.originator_counter.to_be_bytes());
    out.extend_from_slice(&header.other_information.message_code.to_be_bytes());
    if let Some(dt) = &header.date_time {
        out.extend_from_slice(dt);
    }
    match header.other_information.supplementary {
        Supplementary::None | Supplementary::RemoteParty { .. } => {}
        Supplementary::RemotePartyCounter { counter, .. } => {
            out.extend_from_slice(&counter.to_be_bytes());
        }
        Supplementary::OriginatorCounter {
            counter,
            originator_counter,
            ..
        } => {
            out.extend_from_slice(&counter.to_be_bytes());
            out.extend_from_slice(&originator_counter.to_be_bytes());
        }
        Supplementary::Certificate {
            counter,
            certificate,
            ..
        } => {
            let n = certificate.len().checked_sub(9).filter(|&n| n < 1024)?;
            out.extend_from_slice(&counter.to_be_bytes());
            out.extend_from_slice(&u16::try_from(n).ok()?.to_be_bytes());
            out.extend_from_slice(certificate);
        }
    }
    out.extend_from_slice(content);
    Some(out)
}
