//! A frame through every layer: 802.15.4 MAC, NWK (decrypted), APS
//! (decrypted, reassembled), then ZDP or the ZCL header, with the state a
//! sniffer keeps between frames.
//!
//! The [`Dissector`] owns a [`KeyRing`], learns network and link keys from
//! the Transport Key commands it can read, maps short addresses to extended
//! ones (for nonces of frames that do not carry the sender's address), tracks
//! frame counters per sender and reports replays, and reassembles fragmented
//! APS messages. Decrypted bytes live in buffers the dissector owns and
//! reuses, so after warm-up a frame is dissected without heap allocation.
//! Frames that fail authentication yield no plaintext.

mod keyring;

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use smets_core::{Decode, DecodeError, Eui64};

use crate::aps::{self, ApsCommand, ApsFrame, Reassembler};
use crate::mac::{self, FcsMode, MacAddress, MacCommand, MacFrame};
use crate::nwk::{self, NwkCommand, NwkFrame, ZigbeeBeacon};
use crate::security::{AuxHeader, CcmStar, KeyIdentifier, SecurityLevel};
use crate::zcl::cluster::metering::{
    ATTR_HISTORICAL_CONSUMPTION_FORMATTING, ATTR_UNIT_OF_MEASURE, Formatting,
};
use crate::zcl::foundation::FoundationCommand;
use crate::zcl::tunneling::gbcs::{
    GbcsTunnel, GbcsTunnelCommand, GbcsTunnelKey, GbcsTunnelReassembler,
};
use crate::zcl::tunneling::gbt::{self, GbtBlock};
use crate::zcl::tunneling::{self, TunnelProtocol, TunnelStatus, TunnelingCommand};
use crate::zcl::{Direction, ZclCommand, ZclFrame};
use crate::zdp::ZdpFrame;

pub use keyring::{KeyRing, KeySource, LinkKey, LinkKeyUse, NetworkKey};

/// How a [`Dissector`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DissectorOptions {
    /// The security level substituted for the zero sent on air (5 in ZigBee PRO).
    pub security_level: SecurityLevel,
    /// Learn keys from Transport Key commands.
    pub learn_keys: bool,
    /// Largest reassembled APS message, in bytes.
    pub max_reassembly: usize,
    /// Most fragmented APS messages kept open at once.
    pub max_partial_messages: usize,
    /// Largest GBCS message rebuilt from a GB HAN tunnel, in bytes.
    pub max_gbcs_message: usize,
    /// Most GBCS messages kept open at once across tunnels.
    pub max_partial_gbcs: usize,
    /// Decode the layers above the MAC of a frame whose FCS is wrong. Off by
    /// default, as in Wireshark: a corrupted frame's upper layers are noise,
    /// and a corrupted secured frame would only fail authentication.
    pub decode_bad_fcs: bool,
}

impl Default for DissectorOptions {
    fn default() -> Self {
        Self {
            security_level: SecurityLevel::ZIGBEE_PRO,
            learn_keys: true,
            max_reassembly: 8 * 1024,
            max_partial_messages: 16,
            max_gbcs_message: 64 * 1024,
            max_partial_gbcs: 16,
            decode_bad_fcs: false,
        }
    }
}

/// The key that opened a secured layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsed {
    /// A network key, by its index in [`KeyRing::network_keys`].
    Network(usize),
    /// A link key, by its index in [`KeyRing::link_keys`], and which of its forms.
    Link(usize, LinkKeyUse),
    /// A MAC-layer key, by its index in [`KeyRing::mac_keys`].
    Mac(usize),
}

/// What became of a secured NWK or APS layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityOutcome {
    /// Authenticated and decrypted with this key.
    Decrypted(KeyUsed),
    /// No key of the right kind is known.
    NoKey,
    /// Keys were tried and none authenticated the frame.
    AuthenticationFailed,
    /// The nonce needs the sender's extended address, which is not known yet.
    NoSourceAddress,
}

/// What became of a MAC-secured frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MacSecurity {
    /// The outcome; a success names the key as [`KeyUsed::Mac`].
    pub outcome: SecurityOutcome,
    /// The extended address the nonce was built with.
    pub source: Option<Eui64>,
}

/// A secured layer: its auxiliary header, MIC and the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerSecurity<'a> {
    /// The auxiliary security header.
    pub header: AuxHeader,
    /// The level used (the substituted one).
    pub level: SecurityLevel,
    /// The extended address the nonce was built with.
    pub source: Option<Eui64>,
    /// The MIC as on air.
    pub mic: &'a [u8],
    /// The outcome.
    pub outcome: SecurityOutcome,
    /// The frame counter was not above the last one authenticated from this sender.
    pub replay: bool,
}

impl LayerSecurity<'_> {
    /// Whether the layer was authenticated and decrypted.
    #[must_use]
    pub fn decrypted(&self) -> bool {
        matches!(self.outcome, SecurityOutcome::Decrypted(_))
    }
}

/// The APS layer: its header, security and what its payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApsLayer<'a> {
    /// The APS header and (possibly still encrypted) payload.
    pub frame: ApsFrame<'a>,
    /// Security, when the APS frame is secured.
    pub security: Option<LayerSecurity<'a>>,
    /// The APS payload in the clear, when it is (or has been decrypted).
    pub plaintext: Option<&'a [u8]>,
    /// The APS command, for command frames.
    pub command: Option<ApsCommand<'a>>,
}

/// A network or link key read from a Transport Key command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearnedKey {
    /// A network key with its sequence number.
    Network {
        /// Key sequence number.
        seq: u8,
    },
    /// A link key shared with a device.
    Link {
        /// The other device.
        partner: Eui64,
    },
}

/// The GB HAN tunnel layer of a Transfer Data command (see
/// [`crate::zcl::tunneling::gbcs`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GbcsTunnelLayer<'a> {
    /// The tunnel.
    pub tunnel_id: u16,
    /// The GBCS tunnel header, when this Transfer Data starts with one (it
    /// does not when it continues a message begun in an earlier one).
    pub header: Option<GbcsTunnel<'a>>,
    /// The General Block Transfer block this Transfer Data carries, if it
    /// carries one.
    pub gbt: Option<GbtBlock<'a>>,
    /// The whole GBCS message, when this Transfer Data completes one.
    pub message: Option<&'a [u8]>,
    /// The number of GBT blocks the completed message came in.
    pub gbt_blocks: Option<u16>,
    /// The tunnel command of the message completed (PUT or GET-RESPONSE).
    pub message_command: Option<GbcsTunnelCommand>,
    /// The queue count sent with a completed GET-RESPONSE message.
    pub remaining: Option<u8>,
}

/// Everything decoded from one frame. Layers that are absent are `None`;
/// `error` says where decoding stopped, if it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Dissection<'a> {
    /// The MAC frame.
    pub mac: Option<MacFrame<'a>>,
    /// The beacon, for beacon frames.
    pub beacon: Option<mac::Beacon<'a>>,
    /// The ZigBee beacon payload inside a beacon.
    pub zigbee_beacon: Option<ZigbeeBeacon>,
    /// MAC-layer security (IEEE 802.15.4 auxiliary security header), when the frame has it.
    pub mac_security: Option<MacSecurity>,
    /// The MAC payload in the clear, once MAC-layer security is removed.
    pub mac_plaintext: Option<&'a [u8]>,
    /// The MAC command, for command frames.
    pub mac_command: Option<MacCommand<'a>>,
    /// The extended address behind the MAC short source address, as known
    /// before this frame (from earlier frames' NWK headers, security headers,
    /// device announcements and association responses).
    pub mac_src_extended: Option<Eui64>,
    /// The NWK frame.
    pub nwk: Option<NwkFrame<'a>>,
    /// NWK security.
    pub nwk_security: Option<LayerSecurity<'a>>,
    /// The NWK payload in the clear, when it is (or has been decrypted).
    pub nwk_plaintext: Option<&'a [u8]>,
    /// The NWK command, for command frames.
    pub nwk_command: Option<NwkCommand<'a>>,
    /// The APS layer.
    pub aps: Option<ApsLayer<'a>>,
    /// The APS frame carried in an APS Tunnel command.
    pub tunnelled: Option<ApsLayer<'a>>,
    /// The whole message, when this frame completed a fragmented APS message.
    pub reassembled: Option<&'a [u8]>,
    /// The ZDP frame.
    pub zdp: Option<ZdpFrame<'a>>,
    /// The ZCL frame.
    pub zcl: Option<ZclFrame<'a>>,
    /// The ZCL command, decoded: a foundation command, or a cluster command
    /// the catalogue knows (profiles below 0x8000 only: private profiles
    /// give cluster ids their own meanings).
    pub zcl_command: Option<ZclCommand<'a>>,
    /// The Metering formatting known for the device whose metering
    /// attributes this frame carries (learned from this and earlier frames).
    pub metering_formatting: Option<Formatting>,
    /// The GB HAN tunnel: a Transfer Data on a GB-HRGP tunnel.
    pub gbcs_tunnel: Option<GbcsTunnelLayer<'a>>,
    /// A key this frame delivered and the dissector added to its ring.
    pub learned_key: Option<LearnedKey>,
    /// Where decoding stopped: the layer and the byte offset in the frame.
    pub error: Option<DecodeError>,
}

impl Dissection<'_> {
    fn empty() -> Self {
        Self {
            mac: None,
            beacon: None,
            zigbee_beacon: None,
            mac_security: None,
            mac_plaintext: None,
            mac_command: None,
            mac_src_extended: None,
            nwk: None,
            nwk_security: None,
            nwk_plaintext: None,
            nwk_command: None,
            aps: None,
            tunnelled: None,
            reassembled: None,
            zdp: None,
            zcl: None,
            zcl_command: None,
            metering_formatting: None,
            gbcs_tunnel: None,
            learned_key: None,
            error: None,
        }
    }
}

/// Which layer a frame counter was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum CounterScope {
    Nwk,
    Aps,
}

/// Walks frames through every layer with a key ring and per-network state.
#[derive(Debug)]
pub struct Dissector {
    /// The keys it tries.
    pub keys: KeyRing,
    options: DissectorOptions,
    frame_number: usize,
    addresses: BTreeMap<u16, Eui64>,
    counters: BTreeMap<(Eui64, CounterScope), u32>,
    reassembler: Reassembler,
    tunnels: Tunnels,
    gbcs: GbcsTunnelReassembler,
    gbcs_buf: Vec<u8>,
    formatting: BTreeMap<(u16, u8), Formatting>,
    mac_buf: Vec<u8>,
    nwk_buf: Vec<u8>,
    aps_buf: Vec<u8>,
    tunnel_buf: Vec<u8>,
    reassembled_buf: Vec<u8>,
    aad_buf: Vec<u8>,
}

impl Default for Dissector {
    fn default() -> Self {
        Self::new(KeyRing::new(), DissectorOptions::default())
    }
}

impl Dissector {
    /// A dissector with `keys`.
    #[must_use]
    pub fn new(keys: KeyRing, options: DissectorOptions) -> Self {
        Self {
            keys,
            options,
            frame_number: 0,
            addresses: BTreeMap::new(),
            counters: BTreeMap::new(),
            reassembler: Reassembler::new(options.max_partial_messages, options.max_reassembly),
            tunnels: Tunnels::default(),
            gbcs: GbcsTunnelReassembler::new(options.max_partial_gbcs, options.max_gbcs_message),
            gbcs_buf: Vec::new(),
            formatting: BTreeMap::new(),
            mac_buf: Vec::with_capacity(128),
            nwk_buf: Vec::with_capacity(128),
            aps_buf: Vec::with_capacity(128),
            tunnel_buf: Vec::with_capacity(128),
            reassembled_buf: Vec::new(),
            aad_buf: Vec::with_capacity(64),
        }
    }

    /// Forgets per-capture state (addresses, counters, fragments, the frame
    /// number) but keeps every key: the second pass of a two-pass run.
    pub fn restart(&mut self) {
        self.frame_number = 0;
        self.addresses.clear();
        self.counters.clear();
        self.reassembler = Reassembler::new(
            self.options.max_partial_messages,
            self.options.max_reassembly,
        );
        self.tunnels = Tunnels::default();
        self.gbcs.clear();
        self.formatting.clear();
    }

    /// Frames dissected since the start (or the last [`Dissector::restart`]).
    #[must_use]
    pub fn frames_seen(&self) -> usize {
        self.frame_number
    }

    /// The extended address known for a short address.
    #[must_use]
    pub fn extended_address(&self, short: u16) -> Option<Eui64> {
        self.addresses.get(&short).copied()
    }

    /// Dissects one 802.15.4 frame.
    pub fn dissect<'a>(&'a mut self, frame: &'a [u8], fcs: FcsMode) -> Dissection<'a> {
        let mut d = Dissection::empty();
        self.dissect_into(frame, fcs, &mut d);
        d
    }

    /// Dissects one 802.15.4 frame into `d`, which the caller provides empty:
    /// the dissection is written in place rather than moved at every layer.
    fn dissect_into<'a>(&'a mut self, frame: &'a [u8], fcs: FcsMode, d: &mut Dissection<'a>) {
        self.frame_number += 1;
        let Self {
            keys,
            options,
            frame_number,
            addresses,
            counters,
            reassembler,
            tunnels,
            gbcs,
            gbcs_buf,
            formatting,
            mac_buf,
            nwk_buf,
            aps_buf,
            tunnel_buf,
            reassembled_buf,
            aad_buf,
        } = self;

        // Decoded straight into the dissection; the fields read below are
        // loaded from there rather than from another copy of the frame.
        d.mac = match MacFrame::decode(frame, fcs) {
            Ok(m) => Some(m),
            Err(e) => {
                d.error = Some(e);
                return;
            }
        };
        let Some(mac) = d.mac else { return };
        if let Some(MacAddress::Short(s)) = mac.src {
            d.mac_src_extended = addresses.get(&s).copied();
        }
        let mac_payload_at = mac.header_len();
        if mac.fcs.is_some_and(|f| !f.valid) && !options.decode_bad_fcs {
            return;
        }
        // MAC-layer security (not used by ZigBee PRO, but by 802.15.4 networks and test captures).
        let mac_payload: &'a [u8] = if mac.security.is_some() {
            let source = match mac.src {
                Some(MacAddress::Extended(e)) => Some(e),
                Some(MacAddress::Short(s)) => addresses.get(&s).copied(),
                None => None,
            };
            let (outcome, plain) = open_mac(frame, fcs, keys, source, mac_buf);
            d.mac_security = Some(MacSecurity { outcome, source });
            match plain {
                Some(p) => {
                    d.mac_plaintext = Some(p);
                    p
                }
                None => return,
            }
        } else {
            mac.payload
        };
        match mac.frame_control.frame_type {
            mac::FrameType::Beacon => {
                match mac::Beacon::decode(mac_payload) {
                    Ok(b) => {
                        d.beacon = Some(b);
                        if b.payload.first() == Some(&0) && !b.payload.is_empty() {
                            match ZigbeeBeacon::decode(b.payload) {
                                Ok(z) => d.zigbee_beacon = Some(z),
                                Err(e) => {
                                    let at = mac_payload_at + mac_payload.len() - b.payload.len();
                                    d.error = Some(e.shifted(at));
                                }
                            }
                        }
                    }
                    Err(e) => d.error = Some(e.shifted(mac_payload_at)),
                }
                return;
            }
            mac::FrameType::Command => {
                match MacCommand::decode(mac_payload) {
                    Ok(c) => {
                        if let (
                            MacCommand::AssociationResponse { short_address, .. },
                            Some(MacAddress::Extended(dst)),
                        ) = (c, mac.dst)
                        {
                            addresses.insert(short_address, dst);
                        }
                        d.mac_command = Some(c);
                    }
                    Err(e) => d.error = Some(e.shifted(mac_payload_at)),
                }
                return;
            }
            mac::FrameType::Data => {}
            _ => return,
        }
        if mac_payload.is_empty() {
            return;
        }

        // NWK
        d.nwk = match NwkFrame::decode(mac_payload) {
            Ok(n) => Some(n),
            Err(e) => {
                d.error = Some(e.shifted(mac_payload_at));
                return;
            }
        };
        let Some(nwk) = d.nwk else { return };
        let mac_src_short = match mac.src {
            Some(MacAddress::Short(s)) => Some(s),
            _ => None,
        };
        if let Some(ieee) = nwk.src_ieee {
            addresses.insert(nwk.src, ieee);
        }
        // Needed by secured frames and error offsets only: worked out then.
        let nwk_payload_at = || mac_payload_at + nwk.header_len();
        let nwk_plain: &'a [u8] =
            if let (Some(aux), Some(aux_at)) = (nwk.security, nwk.aux_offset()) {
                if let (Some(src), Some(short)) = (aux.source, mac_src_short) {
                    addresses.insert(short, src);
                }
                let secured = Secured {
                    aux,
                    header: mac_payload.get(..nwk.header_len()).unwrap_or_default(),
                    aux_at,
                    payload: nwk.payload,
                    payload_at: nwk_payload_at(),
                };
                let source = aux
                    .source
                    .or_else(|| mac_src_short.and_then(|s| addresses.get(&s).copied()));
                let candidates = keys
                    .network_candidates(aux.key_seq)
                    .map(|(i, k)| (KeyUsed::Network(i), k.ccm()));
                let opened = open(
                    secured,
                    options.security_level,
                    source,
                    CounterScope::Nwk,
                    counters,
                    nwk_buf,
                    aad_buf,
                    candidates,
                );
                let (security, plain) = match opened {
                    Ok(o) => o,
                    Err(e) => {
                        d.error = Some(e);
                        return;
                    }
                };
                d.nwk_security = Some(security);
                let Some(plain) = plain else { return };
                plain
            } else {
                nwk.payload
            };
        d.nwk_plaintext = Some(nwk_plain);

        match nwk.frame_control.frame_type {
            nwk::FrameType::Command => {
                match NwkCommand::decode(nwk_plain) {
                    Ok(c) => d.nwk_command = Some(c),
                    Err(e) => d.error = Some(e.shifted(nwk_payload_at())),
                }
                return;
            }
            nwk::FrameType::Data | nwk::FrameType::InterPan => {}
            nwk::FrameType::Unknown(_) => return,
        }

        // APS
        let nwk_src_ieee = nwk.src_ieee.or_else(|| addresses.get(&nwk.src).copied());
        let nwk_dst_ieee = nwk.dst_ieee.or_else(|| addresses.get(&nwk.dst).copied());
        let aps = match dissect_aps(
            nwk_plain,
            nwk_payload_at,
            nwk_src_ieee,
            nwk_dst_ieee,
            options.security_level,
            keys,
            counters,
            aps_buf,
            aad_buf,
        ) {
            Ok(a) => a,
            Err(e) => {
                d.error = Some(e);
                return;
            }
        };
        // Commands: learn keys, follow tunnels.
        if let Some(cmd) = &aps.command {
            learn(cmd, *frame_number, options, keys, d);
            if let ApsCommand::UpdateDevice {
                device,
                short_address,
                ..
            } = *cmd
            {
                addresses.insert(short_address, device);
            }
            if let ApsCommand::Tunnel { frame: inner, .. } = *cmd {
                let plain_len = aps.plaintext.map_or(0, <[u8]>::len);
                let inner_at = nwk_payload_at()
                    + aps.frame.header_len()
                    + plain_len.saturating_sub(inner.len());
                match dissect_aps(
                    inner,
                    || inner_at,
                    nwk_src_ieee,
                    nwk_dst_ieee,
                    options.security_level,
                    keys,
                    counters,
                    tunnel_buf,
                    aad_buf,
                ) {
                    Ok(t) => {
                        if let Some(c) = &t.command {
                            learn(c, *frame_number, options, keys, d);
                        }
                        d.tunnelled = Some(t);
                    }
                    Err(e) => d.error = Some(e),
                }
            }
            d.aps = Some(aps);
            return;
        }

        let frame = aps.frame;
        let plaintext = aps.plaintext;
        d.aps = Some(aps);
        let Some(payload) = plaintext else { return };
        // Only errors need the offset: it is worked out when one is reported.
        let payload_at = || nwk_payload_at() + frame.header_len();
        let payload: &'a [u8] = match frame.extended {
            Some(
                ext @ aps::ExtendedHeader {
                    fragmentation: aps::Fragmentation::First | aps::Fragmentation::Subsequent,
                    ..
                },
            ) => {
                let key = aps::ReassemblyKey {
                    source: nwk.src,
                    counter: frame.counter,
                };
                match reassembler.push(
                    key,
                    ext.fragmentation,
                    ext.block_number.unwrap_or(0),
                    payload,
                ) {
                    Some(whole) => {
                        *reassembled_buf = whole;
                        let whole: &'a [u8] = reassembled_buf;
                        d.reassembled = Some(whole);
                        whole
                    }
                    None => return,
                }
            }
            _ => payload,
        };

        if frame.frame_control.frame_type != aps::FrameType::Data
            && frame.frame_control.frame_type != aps::FrameType::InterPan
        {
            return;
        }
        let profile = frame.profile.unwrap_or(0);
        let cluster = frame.cluster.unwrap_or(0);
        if profile == 0 && frame.dst_endpoint.unwrap_or(0) == 0 {
            match ZdpFrame::decode(cluster, payload) {
                Ok(z) => {
                    if let crate::zdp::ZdpCommand::DeviceAnnce {
                        nwk_addr,
                        ieee_addr,
                        ..
                    } = z.command
                    {
                        addresses.insert(nwk_addr, ieee_addr);
                    }
                    d.zdp = Some(z);
                }
                Err(e) => {
                    d.error = Some(if d.reassembled.is_some() {
                        e
                    } else {
                        e.shifted(payload_at())
                    })
                }
            }
        } else {
            let zcl = match ZclFrame::decode(payload) {
                Ok(z) => z,
                Err(e) => {
                    d.error = Some(if d.reassembled.is_some() {
                        e
                    } else {
                        e.shifted(payload_at())
                    });
                    return;
                }
            };
            d.zcl = Some(zcl);
            if profile >= 0x8000 {
                return;
            }
            let command = match zcl.command(cluster) {
                Ok(Some(c)) => c,
                Ok(None) => return,
                Err(e) => {
                    let at = payload.len() - zcl.payload.len();
                    d.error = Some(if d.reassembled.is_some() {
                        e.shifted(at)
                    } else {
                        e.shifted(payload_at() + at)
                    });
                    return;
                }
            };
            d.zcl_command = Some(command);
            let source = nwk.src;
            let endpoint = frame.src_endpoint.unwrap_or(0);
            match (cluster, command) {
                (METERING_CLUSTER, ZclCommand::Foundation(f)) => {
                    d.metering_formatting =
                        learn_formatting(formatting, (source, endpoint), &zcl, &f);
                }
                (tunneling::CLUSTER_ID, ZclCommand::Cluster(_)) => {
                    if let Ok(t) = TunnelingCommand::from_frame(&zcl) {
                        d.gbcs_tunnel = follow_tunnel(tunnels, gbcs, gbcs_buf, source, nwk.dst, &t);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The Metering formatting of the device that owns the attributes a
/// foundation command carries, updated from them. Reports and read responses
/// carry the server's attributes from the server: those are learned.
fn learn_formatting(
    known: &mut BTreeMap<(u16, u8), Formatting>,
    device: (u16, u8),
    zcl: &ZclFrame<'_>,
    command: &FoundationCommand<'_>,
) -> Option<Formatting> {
    if zcl.frame_control.direction != Direction::ToClient || zcl.manufacturer.is_some() {
        return known.get(&device).copied();
    }
    let found = known.get(&device).copied();
    let mut learned = found.unwrap_or_default();
    let mut changed = false;
    match command {
        FoundationCommand::ReportAttributes(records) => {
            // Readings go by far more often than formatting: their values
            // are stepped over rather than decoded.
            records.for_each_wanted(
                |id| (ATTR_UNIT_OF_MEASURE..=ATTR_HISTORICAL_CONSUMPTION_FORMATTING).contains(&id),
                |r| changed |= learned.learn(r.id, &r.value),
            );
        }
        FoundationCommand::ReadAttributesResponse(records) => {
            for r in records.iter().flatten() {
                if let Some(v) = r.value {
                    changed |= learned.learn(r.id, &v);
                }
            }
        }
        _ => {}
    }
    if changed {
        known.insert(device, learned);
        Some(learned)
    } else {
        found
    }
}

/// The Metering cluster (ZigBee SE 1.4 10.4), whose formatting attributes the
/// dissector follows.
const METERING_CLUSTER: u16 = 0x0702;

/// Tunnels seen being set up: the protocol asked for in Request Tunnel,
/// then the tunnel id the server's response gave it.
#[derive(Debug, Default)]
struct Tunnels {
    /// (client, server) -> protocol of an unanswered Request Tunnel.
    requested: BTreeMap<(u16, u16), TunnelProtocol>,
    /// (server, tunnel id) -> protocol.
    open: BTreeMap<(u16, u16), TunnelProtocol>,
}

/// Most tunnel set-ups remembered (a bound against floods of requests).
const MAX_TUNNELS: usize = 64;

/// Follows tunnel set-up and hands the data of Transfer Data on a GB-HRGP
/// tunnel to the GBCS tunnel reassembler. A tunnel whose set-up was not
/// seen is taken to be GB-HRGP, the only protocol GB HAN devices tunnel.
fn follow_tunnel<'b>(
    tunnels: &mut Tunnels,
    gbcs: &mut GbcsTunnelReassembler,
    gbcs_buf: &'b mut Vec<u8>,
    source: u16,
    destination: u16,
    command: &TunnelingCommand<'b>,
) -> Option<GbcsTunnelLayer<'b>> {
    match *command {
        TunnelingCommand::RequestTunnel { protocol, .. } => {
            if tunnels.requested.len() >= MAX_TUNNELS {
                tunnels.requested.clear();
            }
            tunnels.requested.insert((source, destination), protocol);
            None
        }
        TunnelingCommand::RequestTunnelResponse {
            tunnel_id, status, ..
        } => {
            let protocol = tunnels.requested.remove(&(destination, source));
            if let (TunnelStatus::Success, Some(p)) = (status, protocol) {
                if tunnels.open.len() >= MAX_TUNNELS {
                    tunnels.open.clear();
                }
                tunnels.open.insert((source, tunnel_id), p);
            }
            None
        }
        TunnelingCommand::CloseTunnel { tunnel_id } => {
            tunnels.open.remove(&(destination, tunnel_id));
            None
        }
        TunnelingCommand::TunnelClosureNotification { tunnel_id } => {
            tunnels.open.remove(&(source, tunnel_id));
            None
        }
        TunnelingCommand::TransferData {
            direction,
            tunnel_id,
            data,
        } => {
            let server = if direction == Direction::ToServer {
                destination
            } else {
                source
            };
            let protocol = tunnels
                .open
                .get(&(server, tunnel_id))
                .copied()
                .unwrap_or(TunnelProtocol::GbHrgp);
            if protocol != TunnelProtocol::GbHrgp {
                return None;
            }
            let key = GbcsTunnelKey { source, tunnel_id };
            let header = if gbcs.expects_continuation(key) {
                None
            } else {
                GbcsTunnel::decode(data).ok()
            };
            let gbt = header
                .map(|h| h.message())
                .filter(|m| gbt::looks_like_gbt(m))
                .and_then(|m| GbtBlock::decode(m).ok());
            let mut layer = GbcsTunnelLayer {
                tunnel_id,
                header,
                gbt,
                message: None,
                gbt_blocks: None,
                message_command: None,
                remaining: None,
            };
            if let Some(whole) = gbcs.push(key, data) {
                *gbcs_buf = whole.message;
                layer.message_command = Some(whole.command);
                layer.remaining = whole.remaining;
                layer.gbt_blocks = whole.gbt_blocks;
                let message: &'b [u8] = gbcs_buf;
                layer.message = Some(message);
            }
            Some(layer)
        }
        _ => None,
    }
}

/// Tries each MAC key on a MAC-secured frame; on success `out` holds the
/// clear MAC payload (open part and decrypted part, without the MIC).
fn open_mac<'o>(
    frame: &[u8],
    fcs: FcsMode,
    keys: &KeyRing,
    source: Option<Eui64>,
    out: &'o mut Vec<u8>,
) -> (SecurityOutcome, Option<&'o [u8]>) {
    let Some(source) = source else {
        return (SecurityOutcome::NoSourceAddress, None);
    };
    if keys.mac_keys().is_empty() {
        return (SecurityOutcome::NoKey, None);
    }
    out.clear();
    out.resize(frame.len(), 0);
    for (i, key) in keys.mac_keys().iter().enumerate() {
        if let Ok(n) = mac::security::decrypt(frame, fcs, key, source, out) {
            out.truncate(n);
            return (SecurityOutcome::Decrypted(KeyUsed::Mac(i)), Some(out));
        }
    }
    out.clear();
    (SecurityOutcome::AuthenticationFailed, None)
}

fn check_counter(
    counters: &mut BTreeMap<(Eui64, CounterScope), u32>,
    source: Eui64,
    scope: CounterScope,
    counter: u32,
) -> bool {
    match counters.get_mut(&(source, scope)) {
        Some(last) if counter <= *last => true,
        Some(last) => {
            *last = counter;
            false
        }
        None => {
            counters.insert((source, scope), counter);
            false
        }
    }
}

/// A secured NWK or APS frame, split as CCM* needs it.
struct Secured<'b> {
    /// The auxiliary security header.
    aux: AuxHeader,
    /// The frame's header through its auxiliary header: the authenticated data.
    header: &'b [u8],
    /// Offset of the security control byte in `header`.
    aux_at: usize,
    /// What follows the header: the encrypted payload and the MIC.
    payload: &'b [u8],
    /// Offset of `payload` in the frame, for errors.
    payload_at: usize,
}

/// Opens a secured layer (ZigBee R22 4.5.2.2): builds the nonce and the
/// authenticated data with `level` substituted, tries each candidate key, and
/// on success checks the sender's frame counter. The plaintext, when there is
/// one, is in `out`.
#[allow(clippy::too_many_arguments)]
fn open<'a, 'k>(
    secured: Secured<'a>,
    level: SecurityLevel,
    source: Option<Eui64>,
    scope: CounterScope,
    counters: &mut BTreeMap<(Eui64, CounterScope), u32>,
    out: &'a mut Vec<u8>,
    aad: &mut Vec<u8>,
    candidates: impl Iterator<Item = (KeyUsed, &'k CcmStar)>,
) -> Result<(LayerSecurity<'a>, Option<&'a [u8]>), DecodeError> {
    let Secured {
        aux,
        header,
        aux_at,
        payload,
        payload_at,
    } = secured;
    let mic_len = level.mic_len();
    let ct_len = payload
        .len()
        .checked_sub(mic_len)
        .ok_or(DecodeError::truncated(
            smets_core::Layer::Security,
            payload_at,
            "message integrity code",
            mic_len,
            payload.len(),
        ))?;
    let (ciphertext, mic) = payload.split_at(ct_len);
    let mut security = LayerSecurity {
        header: aux,
        level,
        source,
        mic,
        outcome: SecurityOutcome::NoSourceAddress,
        replay: false,
    };
    out.clear();
    let Some(src) = source else {
        return Ok((security, None));
    };
    aad.clear();
    aad.extend_from_slice(header);
    if let Some(b) = aad.get_mut(aux_at) {
        *b = aux.control.byte_with_level(level);
    }
    let nonce = aux.nonce(src, level);
    security.outcome = SecurityOutcome::NoKey;
    for (used, ccm) in candidates {
        security.outcome = SecurityOutcome::AuthenticationFailed;
        out.clear();
        out.extend_from_slice(ciphertext);
        if ccm
            .decrypt_in_place_detached(&nonce, level, aad, out, mic)
            .is_ok()
        {
            security.outcome = SecurityOutcome::Decrypted(used);
            security.replay = check_counter(counters, src, scope, aux.frame_counter);
            return Ok((security, Some(out)));
        }
    }
    out.clear();
    Ok((security, None))
}

/// Decodes (and opens) one APS frame held in `bytes`, which start `at` bytes into the frame.
#[allow(clippy::too_many_arguments)]
fn dissect_aps<'a>(
    bytes: &'a [u8],
    at: impl Fn() -> usize,
    src_ieee: Option<Eui64>,
    dst_ieee: Option<Eui64>,
    level: SecurityLevel,
    keys: &KeyRing,
    counters: &mut BTreeMap<(Eui64, CounterScope), u32>,
    buf: &'a mut Vec<u8>,
    aad: &mut Vec<u8>,
) -> Result<ApsLayer<'a>, DecodeError> {
    let frame = ApsFrame::decode(bytes).map_err(|e| e.shifted(at()))?;
    // Worked out only when needed: an unsecured data frame does not.
    let payload_at = || at() + frame.header_len();
    let (security, plaintext) = match (frame.security, frame.aux_offset()) {
        (Some(aux), Some(aux_at)) => {
            let payload_at = payload_at();
            let secured = Secured {
                aux,
                header: bytes.get(..frame.header_len()).unwrap_or_default(),
                aux_at,
                payload: frame.payload,
                payload_at,
            };
            let source = aux.source.or(src_ieee);
            let usage = match aux.control.key_id {
                KeyIdentifier::Data => Some(LinkKeyUse::Data),
                KeyIdentifier::KeyTransport => Some(LinkKeyUse::KeyTransport),
                KeyIdentifier::KeyLoad => Some(LinkKeyUse::KeyLoad),
                _ => None,
            };
            let (security, plain) = match usage {
                Some(usage) => {
                    let candidates = keys
                        .link_candidates(src_ieee, dst_ieee)
                        .map(|(i, k)| (KeyUsed::Link(i, usage), k.ccm(usage)));
                    open(
                        secured,
                        level,
                        source,
                        CounterScope::Aps,
                        counters,
                        buf,
                        aad,
                        candidates,
                    )?
                }
                None => {
                    let candidates = keys
                        .network_candidates(aux.key_seq)
                        .map(|(i, k)| (KeyUsed::Network(i), k.ccm()));
                    open(
                        secured,
                        level,
                        source,
                        CounterScope::Aps,
                        counters,
                        buf,
                        aad,
                        candidates,
                    )?
                }
            };
            (Some(security), plain)
        }
        _ => (None, Some(frame.payload)),
    };
    let command = match (frame.frame_control.frame_type, plaintext) {
        (aps::FrameType::Command, Some(p)) => {
            Some(ApsCommand::decode(p).map_err(|e| e.shifted(payload_at()))?)
        }
        _ => None,
    };
    Ok(ApsLayer {
        frame,
        security,
        plaintext,
        command,
    })
}

/// Adds the key a Transport Key command delivers to the ring.
fn learn(
    cmd: &ApsCommand<'_>,
    frame: usize,
    options: &DissectorOptions,
    keys: &mut KeyRing,
    d: &mut Dissection<'_>,
) {
    if !options.learn_keys {
        return;
    }
    if let ApsCommand::TransportKey(tk) = cmd {
        match tk.descriptor {
            aps::KeyDescriptor::Network { key_seq, .. } => {
                if keys.add_network_key(tk.key.clone(), Some(key_seq), KeySource::Learned { frame })
                {
                    d.learned_key = Some(LearnedKey::Network { seq: key_seq });
                }
            }
            aps::KeyDescriptor::TrustCenter { destination, .. } => {
                if keys.add_link_key(
                    tk.key.clone(),
                    Some(destination),
                    KeySource::Learned { frame },
                ) {
                    d.learned_key = Some(LearnedKey::Link {
                        partner: destination,
                    });
                }
            }
            aps::KeyDescriptor::Application { partner, .. } => {
                if keys.add_link_key(tk.key.clone(), Some(partner), KeySource::Learned { frame }) {
                    d.learned_key = Some(LearnedKey::Link { partner });
                }
            }
            aps::KeyDescriptor::Other(_) => {}
        }
    }
}
