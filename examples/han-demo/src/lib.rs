//! A small GB Smart Energy HAN session, built frame by frame with the
//! `smets-zigbee` encoders and secured with its CCM*: an In-Home Display joins
//! the Communications Hub's network and talks to the electricity meter
//! (Metering with its formatting, Time, Messaging, Price, Prepayment), then
//! the meter opens a GB-HRGP tunnel to the hub and a GBCS command and its
//! response cross it in General Block Transfer blocks.
//!
//! [`session`] returns the frames, [`keys_toml`] the keys file a decoder needs
//! (install codes and link keys, never the network key: that one travels in the
//! Transport Key), [`write_files`] writes `han-demo.pcapng` and
//! `han-demo.keys.toml`. Everything is fixed (addresses, counters, timestamps,
//! keys), so two runs give the same bytes. [`gbcs`] builds the two GBCS
//! messages (and documents their construction).
//!
//! Every key here is a TEST key of this project, derived from a fixed label
//! (AES-MMO for ZigBee, [`test_keys`]; SHA-256 for the GBCS parties' P-256
//! keys, [`gbcs::private_key`]); none belongs to a real
//! device or network. CBKE is not run (it needs sect283k1 arithmetic): the
//! link keys it would have produced are test keys listed in the keys file.

use core::fmt::Write as _;
use core::time::Duration;
use std::io;
use std::path::Path;

use smets_core::{Encode, EncodeError, Eui64, Layer};
use smets_zigbee::aps::{
    self, ApsCommand, ApsFrame, DeliveryMode, ExtendedHeader, Fragmentation, KeyDescriptor,
    KeyType, TransportKey,
};
use smets_zigbee::mac::{
    self, AddressMode, AssociationStatus, Beacon, CapabilityInformation, FrameControlForm,
    FrameVersion, GtsDescriptors, GtsSpec, MacAddress, MacCommand, MacFrame, PendingAddressSpec,
    SuperframeSpec,
};
use smets_zigbee::nwk::{
    self, DiscoverRoute, LinkStatus, LinkStatusEntry, NwkCommand, NwkFrame, StackProfile,
    ZigbeeBeacon,
};
use smets_zigbee::security::{
    AuxHeader, CcmStar, InstallCode, Key128, KeyIdentifier, SecurityControl, SecurityLevel,
    mmo_hash,
};
use smets_zigbee::zcl::cluster::{self as catalogue, Arg, CommandPayload};
use smets_zigbee::zcl::foundation::{AttributeId, AttributeRecord, ReadAttributeStatus};
use smets_zigbee::zcl::tunneling::gbcs::GbcsTunnel;
use smets_zigbee::zcl::tunneling::gbt::{self, GbtBlock};
use smets_zigbee::zcl::tunneling::{
    NO_MANUFACTURER, TunnelProtocol, TunnelStatus, TunnelingCommand,
};
use smets_zigbee::zcl::{self, DataType, Direction, Status as ZclStatus, ZclFrame, ZclValue};
use smets_zigbee::zdp::{SimpleDescriptor, Status, U16List, ZdpCommand, ZdpFrame};

use smets_cli::capture::{FcsPresence, PcapngWriter, WriterLinkType};
use smets_gbcs::{KeyRef, KeyStore as _};

/// The IEEE 802.15.4 channel of the session (2.4 GHz, channel 15; not stored
/// in the capture, whose link type 195 has no channel field).
pub const CHANNEL: u8 = 15;
/// The PAN identifier.
pub const PAN_ID: u16 = 0x1a62;
/// Smart Energy profile identifier (ZigBee SE 1.4 5.2).
pub const SE_PROFILE: u16 = 0x0109;
/// Time of the first frame: 2026-03-02 09:30:00 UTC.
pub const START: Duration = Duration::from_secs(1_772_443_800);
/// Seconds from the Unix epoch to the ZigBee epoch, 2000-01-01 00:00:00 UTC (ZCL rev. 8 2.6.2.22).
const ZIGBEE_EPOCH: u64 = 946_684_800;

/// One device of the HAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device {
    /// What it is.
    pub name: &'static str,
    /// Its EUI-64 (test addresses: locally administered, "SMETS" in ASCII).
    pub eui: Eui64,
    /// Its network (short) address.
    pub short: u16,
    /// Its Smart Energy application endpoint.
    pub endpoint: u8,
}

/// The Communications Hub: PAN coordinator and Trust Center, Time server.
pub const HUB: Device = Device {
    name: "Communications Hub",
    eui: Eui64(0x0253_4d45_5453_0001),
    short: 0x0000,
    endpoint: 1,
};
/// The electricity meter (ESME), already in the network: Metering and Messaging server.
pub const ESME: Device = Device {
    name: "ESME",
    eui: Eui64(0x0253_4d45_5453_0002),
    short: 0x5e11,
    endpoint: 1,
};
/// The In-Home Display that joins (a mains-powered router).
pub const IHD: Device = Device {
    name: "IHD",
    eui: Eui64(0x0253_4d45_5453_0003),
    short: 0x9c27,
    endpoint: 1,
};
/// Extended PAN identifier: the hub's EUI-64.
pub const EXTENDED_PAN_ID: Eui64 = HUB.eui;

/// Metering CurrentSummationDelivered (attribute 0x0000, uint48), in Wh, as read by the IHD.
pub const SUMMATION_READ: u64 = 12_345_678;
/// CurrentSummationDelivered in the ESME's later report.
pub const SUMMATION_REPORTED: u64 = 12_345_701;
/// Metering InstantaneousDemand (attribute 0x0400, int24), in W, in the report.
pub const INSTANTANEOUS_DEMAND: i32 = 1_234;
/// Messaging Display Message: message id.
pub const MESSAGE_ID: u32 = 0x0000_2026;
/// Messaging Display Message: the text, long enough to need three APS fragments.
pub const MESSAGE: &str = "Your energy supplier: your new tariff starts on 1 April 2026. \
Standard rate 24.50p/kWh, standing charge 53.35p/day. Your In-Home Display shows the new \
prices from that date. Thank you.";
/// Largest APS payload (ZCL bytes) per fragment.
pub const FRAGMENT_SIZE: usize = 70;
/// Largest ZCL frame sent in one unfragmented, NWK- and APS-secured frame:
/// 127 bytes less MAC (11 with FCS), NWK (8 + 14 + 4) and APS (8 + 5 + 4).
const MAX_UNFRAGMENTED: usize = 73;
/// Time cluster TimeStatus sent by the hub: master (bit 0) and superseding (bit 3).
pub const TIME_STATUS: u8 = 0x09;

/// Metering UnitofMeasure (0x0300, enum8) of the ESME: 0 = kWh and kW, binary.
pub const UNIT_OF_MEASURE: u8 = 0x00;
/// Metering Multiplier (0x0301, uint24).
pub const MULTIPLIER: u32 = 1;
/// Metering Divisor (0x0302, uint24): the registers count Wh and W.
pub const DIVISOR: u32 = 1000;
/// Metering SummationFormatting (0x0303, bitmap8): 5 digits left of the
/// point (bits 3-6), 3 right of it (bits 0-2), leading zeros shown.
pub const SUMMATION_FORMATTING: u8 = 0x2b;
/// Metering DemandFormatting (0x0304, bitmap8): 3 digits left, 3 right.
pub const DEMAND_FORMATTING: u8 = 0x1b;

/// Price Publish Price: provider id.
pub const PRICE_PROVIDER_ID: u32 = 0x0001_2026;
/// Price Publish Price: issuer event id.
pub const PRICE_ISSUER_EVENT_ID: u32 = 0x2026_0401;
/// Price Publish Price: rate label.
pub const RATE_LABEL: &str = "Standard";
/// Price Publish Price: ISO 4217 currency, 826 = GBP.
pub const CURRENCY_GBP: u16 = 826;
/// Price Publish Price: price per kWh in units of 10^-4 GBP (trailing digit 4): 24.50p.
pub const PRICE: u32 = 2450;
/// Price Publish Price: price trailing digit (bits 4-7) 4, price tier (bits 0-3) 1.
pub const PRICE_TRAILING_DIGIT_AND_TIER: u8 = 0x41;
/// Price Publish Price: one price tier (bits 4-7), register tier 1 (bits 0-3).
pub const PRICE_TIERS_AND_REGISTER_TIER: u8 = 0x11;
/// Price Publish Price: start time, 2026-04-01 00:00 BST (2026-03-31 23:00 UTC),
/// in seconds since 2000-01-01 UTC.
pub const PRICE_START_TIME: u32 = 828_313_200;

/// Prepayment Consumer Top Up: the top-up code, a 20-digit UTRN as ASCII
/// digits in an octet string (a made-up number, not a valid UTRN of any meter).
pub const UTRN: &str = "73942018465720196352";
/// Prepayment Consumer Top Up Response: the credit added, in the meter's currency unit (pence).
pub const TOP_UP_VALUE: i32 = 1000;
/// Prepayment Consumer Top Up Response: the credit remaining after it.
pub const CREDIT_REMAINING: i32 = 2350;

/// Tunneling: the tunnel id the hub hands out.
pub const TUNNEL_ID: u16 = 0x0001;
/// Tunneling: maximum incoming transfer size of both ends (octets).
pub const MAX_TRANSFER_SIZE: u16 = 1500;

/// The project's TEST keys for this session.
#[derive(Debug, Clone)]
pub struct TestKeys {
    /// The network key, sequence number 0 (delivered by Transport Key; not in the keys file).
    pub network: Key128,
    /// The IHD's install code (16 bytes + CRC).
    pub ihd_install_code: InstallCode,
    /// The ESME's install code (16 bytes + CRC).
    pub esme_install_code: InstallCode,
    /// Link key hub <-> IHD (stands for the CBKE result).
    pub hub_ihd: Key128,
    /// Link key hub <-> ESME (stands for the CBKE result).
    pub hub_esme: Key128,
    /// Application link key IHD <-> ESME.
    pub ihd_esme: Key128,
}

fn test_key(label: &str) -> Key128 {
    Key128::new(mmo_hash(label.as_bytes()))
}

/// The TEST keys: AES-MMO hashes of fixed labels, so anyone can regenerate
/// them and nobody can mistake them for a real device's.
///
/// # Errors
/// Never in practice: a 16-byte install code is always valid.
pub fn test_keys() -> Result<TestKeys, EncodeError> {
    let code = |label: &str| {
        InstallCode::from_code(&mmo_hash(label.as_bytes()))
            .map_err(|_| EncodeError::inconsistent(Layer::Security, "install code"))
    };
    Ok(TestKeys {
        network: test_key("smets han-demo TEST network key"),
        ihd_install_code: code("smets han-demo TEST install code IHD")?,
        esme_install_code: code("smets han-demo TEST install code ESME")?,
        hub_ihd: test_key("smets han-demo TEST link key hub-IHD"),
        hub_esme: test_key("smets han-demo TEST link key hub-ESME"),
        ihd_esme: test_key("smets han-demo TEST link key IHD-ESME"),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The keys file (`smets decode --keys`): install codes and link keys, no network key.
///
/// # Errors
/// As [`test_keys`].
pub fn keys_toml() -> Result<String, EncodeError> {
    let k = test_keys()?;
    let mut s = String::new();
    s.push_str(
        "# Keys for han-demo.pcapng, a capture generated by `cargo run -p han-demo`.\n\
         # TEST KEYS ONLY: AES-MMO hashes of fixed labels (examples/han-demo/src/lib.rs),\n\
         # belonging to no real device or network. The network key is not listed:\n\
         # a decoder learns it from the APS Transport Key in frame 9.\n\n",
    );
    for (dev, code) in [(IHD, &k.ihd_install_code), (ESME, &k.esme_install_code)] {
        let _ = write!(
            s,
            "# {} install code (16 bytes + CRC-16/X-25)\n[[zigbee.install_code]]\ncode = \"{}\"\ndevice = \"{}\"\n\n",
            dev.name,
            hex(code.as_bytes()).to_uppercase(),
            dev.eui
        );
    }
    for (a, b, key, what) in [
        (HUB, IHD, &k.hub_ihd, "stands for the CBKE result"),
        (HUB, ESME, &k.hub_esme, "stands for the CBKE result"),
        (
            IHD,
            ESME,
            &k.ihd_esme,
            "application link key, as the Trust Center would hand it out",
        ),
    ] {
        let _ = write!(
            s,
            "# link key {} <-> {} ({})\n[[zigbee.link_key]]\nkey = \"{}\"\npartner = \"{}\"\n\n",
            a.name,
            b.name,
            what,
            hex(key.as_bytes()),
            b.eui
        );
    }
    s.push_str(
        "# GBCS (P-256) TEST keys: SHA-256 hashes of fixed labels. With the ESME's key\n\
         # agreement public key, the ACB's private key checks the command's MAC and\n\
         # the supplier's the response's.\n\n",
    );
    let store = gbcs::key_store();
    for (r, role, private) in [
        (KeyRef::ka(gbcs::ACB), Some("access_control_broker"), true),
        (KeyRef::ka(gbcs::REMOTE_PARTY), Some("supplier"), true),
        (KeyRef::ka(ESME.eui), None, false),
    ] {
        let _ = write!(
            s,
            "[[gbcs.key]]\nentity = \"{:016X}\"\nusage = \"KA\"\n",
            r.entity.0
        );
        if let Some(role) = role {
            let _ = writeln!(s, "role = \"{role}\"");
        }
        if private {
            let scalar = store
                .private_key(&r)
                .map(|k| hex(&k.to_scalar()[..]))
                .unwrap_or_default();
            let _ = write!(s, "private_key_hex = \"{scalar}\"\n\n");
        } else {
            let point = store
                .public_key(&r)
                .map(|k| hex(k.to_sec1()))
                .unwrap_or_default();
            let _ = write!(s, "public_key_hex = \"{point}\"\n\n");
        }
    }
    s.pop();
    Ok(s)
}

/// One frame of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Capture time since the Unix epoch.
    pub time: Duration,
    /// The MAC frame with its FCS.
    pub bytes: Vec<u8>,
    /// What it is, for people.
    pub summary: String,
}

/// Per-device transmit state.
#[derive(Debug, Clone, Copy)]
struct Node {
    dev: Device,
    mac_seq: u8,
    nwk_seq: u8,
    aps_counter: u8,
    nwk_frame_counter: u32,
    aps_frame_counter: u32,
    tsn: u8,
}

impl Node {
    const fn new(
        dev: Device,
        mac_seq: u8,
        nwk_seq: u8,
        aps_counter: u8,
        nfc: u32,
        afc: u32,
        tsn: u8,
    ) -> Self {
        Self {
            dev,
            mac_seq,
            nwk_seq,
            aps_counter,
            nwk_frame_counter: nfc,
            aps_frame_counter: afc,
            tsn,
        }
    }

    fn next_mac_seq(&mut self) -> u8 {
        take_next(&mut self.mac_seq)
    }

    fn next_nwk_seq(&mut self) -> u8 {
        take_next(&mut self.nwk_seq)
    }

    fn next_aps_counter(&mut self) -> u8 {
        take_next(&mut self.aps_counter)
    }

    fn next_tsn(&mut self) -> u8 {
        take_next(&mut self.tsn)
    }
}

/// The current value of a wrapping 8-bit sequence number, then step it.
fn take_next(seq: &mut u8) -> u8 {
    let s = *seq;
    *seq = s.wrapping_add(1);
    s
}

const H: usize = 0;
const E: usize = 1;
const I: usize = 2;

fn mac_fc(
    frame_type: mac::FrameType,
    ack_request: bool,
    pan_id_compression: bool,
    dst_mode: AddressMode,
    src_mode: AddressMode,
) -> mac::FrameControl {
    mac::FrameControl {
        frame_type,
        security: false,
        frame_pending: false,
        ack_request,
        pan_id_compression,
        reserved: false,
        seq_suppression: false,
        ie_present: false,
        dst_mode,
        version: FrameVersion::Ieee2003,
        src_mode,
        form: FrameControlForm::Standard,
    }
}

fn encode_mac(frame: &MacFrame<'_>) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(frame.encoded_len() + 2);
    frame.encode_with_fcs(&mut out)?;
    if out.len() > 127 {
        return Err(EncodeError::unrepresentable(
            Layer::Mac,
            "PHY payload length",
            out.len() as u64,
        ));
    }
    Ok(out)
}

/// Secures `bytes[header_len..]` in place with CCM* at level 5 and appends the
/// MIC (ZigBee R22 4.3.1.1, 4.4.1.1): the authenticated data is the header
/// with the security level patched from the 0 sent on air to 5.
fn seal(
    bytes: &mut Vec<u8>,
    header_len: usize,
    aux_at: usize,
    aux: &AuxHeader,
    source: Eui64,
    key: &Key128,
) -> Result<(), EncodeError> {
    let level = SecurityLevel::ZIGBEE_PRO;
    if header_len > bytes.len() {
        return Err(EncodeError::inconsistent(Layer::Security, "header length"));
    }
    let (header, payload) = bytes.split_at_mut(header_len);
    let mut aad = header.to_vec();
    let control = aad.get_mut(aux_at).ok_or(EncodeError::inconsistent(
        Layer::Security,
        "auxiliary header offset",
    ))?;
    *control = aux.control.byte_with_level(level);
    let nonce = aux.nonce(source, level);
    let mic = CcmStar::new(key)
        .encrypt_in_place_detached(&nonce, level, &aad, payload)
        .map_err(|_| {
            EncodeError::unrepresentable(
                Layer::Security,
                "CCM* payload length",
                payload.len() as u64,
            )
        })?;
    bytes.extend_from_slice(mic.as_bytes());
    Ok(())
}

fn sec_control(key_id: KeyIdentifier, extended_nonce: bool) -> SecurityControl {
    SecurityControl {
        // Sent as 0: the receiver substitutes the network's level (ZigBee R22 4.3.1.1).
        level: SecurityLevel::None,
        key_id,
        extended_nonce,
        verified_frame_counter: false,
        reserved: false,
    }
}

/// Where an APS data frame goes: endpoints, cluster and profile.
#[derive(Debug, Clone, Copy)]
struct Endpoints {
    src_ep: u8,
    dst_ep: u8,
    cluster: u16,
    profile: u16,
}

/// How an APS frame is secured.
enum ApsSecurity<'k> {
    /// Not at all (ZDP, NWK-secured only).
    None,
    /// With a link key as is (key identifier 0, no extended nonce): SE data.
    Data(&'k Key128),
    /// With the key-transport key hashed from a link key (key identifier 2,
    /// extended nonce): Transport Key from the Trust Center.
    KeyTransport(&'k Key128),
}

/// NWK addressing and options of one frame.
#[derive(Clone, Copy)]
struct NwkOpts {
    dst: u16,
    radius: u8,
    src_ieee: bool,
    secured: bool,
    discover_route: DiscoverRoute,
}

/// The session under construction.
struct Session {
    keys: TestKeys,
    nodes: [Node; 3],
    time: Duration,
    frames: Vec<Frame>,
}

impl Session {
    fn push(&mut self, after_us: u64, bytes: Vec<u8>, summary: impl Into<String>) {
        self.time += Duration::from_micros(after_us);
        self.frames.push(Frame {
            time: self.time,
            bytes,
            summary: summary.into(),
        });
    }

    fn node(&mut self, i: usize) -> Result<&mut Node, EncodeError> {
        self.nodes
            .get_mut(i)
            .ok_or(EncodeError::inconsistent(Layer::Mac, "device index"))
    }

    /// A MAC acknowledgment (IEEE 802.15.4-2015 7.3.3), 1 ms after the frame it acknowledges.
    fn mac_ack(&mut self, by: usize, frame_pending: bool) -> Result<(), EncodeError> {
        let seq = self
            .frames
            .last()
            .and_then(|f| f.bytes.get(2).copied())
            .ok_or(EncodeError::inconsistent(Layer::Mac, "acknowledged frame"))?;
        let mut fc = mac_fc(
            mac::FrameType::Ack,
            false,
            false,
            AddressMode::None,
            AddressMode::None,
        );
        fc.frame_pending = frame_pending;
        let f = MacFrame {
            frame_control: fc,
            seq: Some(seq),
            dst_pan: None,
            dst: None,
            src_pan: None,
            src: None,
            security: None,
            header_ies: &[],
            payload_ies: &[],
            payload: &[],
            fcs: None,
        };
        let bytes = encode_mac(&f)?;
        let name = self.node(by)?.dev.name;
        let pending = if frame_pending { ", frame pending" } else { "" };
        self.push(
            1_000,
            bytes,
            format!("MAC ack seq {seq} from {name}{pending}"),
        );
        Ok(())
    }

    /// A MAC command frame between explicit addresses.
    #[allow(clippy::too_many_arguments)]
    fn mac_command(
        &mut self,
        from: usize,
        after_us: u64,
        fc: mac::FrameControl,
        dst: (Option<u16>, Option<MacAddress>),
        src: (Option<u16>, Option<MacAddress>),
        command: MacCommand<'_>,
        summary: &str,
    ) -> Result<(), EncodeError> {
        let payload = command.to_vec()?;
        let seq = self.node(from)?.next_mac_seq();
        let f = MacFrame {
            frame_control: fc,
            seq: Some(seq),
            dst_pan: dst.0,
            dst: dst.1,
            src_pan: src.0,
            src: src.1,
            security: None,
            header_ies: &[],
            payload_ies: &[],
            payload: &payload,
            fcs: None,
        };
        let bytes = encode_mac(&f)?;
        self.push(after_us, bytes, summary);
        Ok(())
    }

    /// Wraps `nwk_payload` (an APS frame or NWK command) in a NWK frame from
    /// `from`, NWK-secured with the network key when asked, and in a MAC data
    /// frame to `mac_dst` (acknowledged unless broadcast).
    #[allow(clippy::too_many_arguments)]
    fn send(
        &mut self,
        from: usize,
        after_us: u64,
        mac_dst: u16,
        nwk_type: nwk::FrameType,
        o: NwkOpts,
        nwk_payload: &[u8],
        summary: &str,
    ) -> Result<(), EncodeError> {
        let network = self.keys.network.clone();
        let node = self.node(from)?;
        let dev = node.dev;
        let security = o.secured.then(|| {
            let fc = node.nwk_frame_counter;
            node.nwk_frame_counter += 1;
            AuxHeader {
                control: sec_control(KeyIdentifier::Network, true),
                frame_counter: fc,
                source: Some(dev.eui),
                key_seq: Some(0),
            }
        });
        let nwk_frame = NwkFrame {
            frame_control: nwk::FrameControl {
                frame_type: nwk_type,
                protocol_version: 2,
                discover_route: o.discover_route,
                multicast: false,
                security: o.secured,
                source_route: false,
                dst_ieee: false,
                src_ieee: o.src_ieee,
                end_device_initiator: false,
                reserved: 0,
            },
            dst: o.dst,
            src: dev.short,
            radius: o.radius,
            seq: node.next_nwk_seq(),
            dst_ieee: None,
            src_ieee: o.src_ieee.then_some(dev.eui),
            multicast: None,
            source_route: None,
            security,
            payload: nwk_payload,
        };
        let mut nwk_bytes = nwk_frame.to_vec()?;
        if let (Some(aux), Some(aux_at)) = (security, nwk_frame.aux_offset()) {
            seal(
                &mut nwk_bytes,
                nwk_frame.header_len(),
                aux_at,
                &aux,
                dev.eui,
                &network,
            )?;
        }
        let broadcast = mac_dst == 0xffff;
        let f = MacFrame {
            frame_control: mac_fc(
                mac::FrameType::Data,
                !broadcast,
                true,
                AddressMode::Short,
                AddressMode::Short,
            ),
            seq: Some(node.next_mac_seq()),
            dst_pan: Some(PAN_ID),
            dst: Some(MacAddress::Short(mac_dst)),
            src_pan: None,
            src: Some(MacAddress::Short(dev.short)),
            security: None,
            header_ies: &[],
            payload_ies: &[],
            payload: &nwk_bytes,
            fcs: None,
        };
        let bytes = encode_mac(&f)?;
        self.push(after_us, bytes, summary);
        Ok(())
    }

    /// Builds an APS frame from `from` around `payload`, APS-secured as asked.
    fn aps<'p>(
        &mut self,
        from: usize,
        mut frame: ApsFrame<'p>,
        payload: &'p [u8],
        security: ApsSecurity<'_>,
    ) -> Result<Vec<u8>, EncodeError> {
        let node = self.node(from)?;
        let eui = node.dev.eui;
        let (aux, key) = match security {
            ApsSecurity::None => (None, None),
            ApsSecurity::Data(k) => (
                Some((sec_control(KeyIdentifier::Data, false), None)),
                Some(k.clone()),
            ),
            ApsSecurity::KeyTransport(k) => (
                Some((sec_control(KeyIdentifier::KeyTransport, true), Some(eui))),
                Some(smets_zigbee::security::key_transport_key(k)),
            ),
        };
        let aux = aux.map(|(control, source)| {
            let fc = node.aps_frame_counter;
            node.aps_frame_counter += 1;
            AuxHeader {
                control,
                frame_counter: fc,
                source,
                key_seq: None,
            }
        });
        frame.frame_control.security = aux.is_some();
        frame.security = aux;
        frame.payload = payload;
        let mut bytes = frame.to_vec()?;
        if let (Some(aux), Some(aux_at), Some(key)) = (aux, frame.aux_offset(), key) {
            seal(&mut bytes, frame.header_len(), aux_at, &aux, eui, &key)?;
        }
        Ok(bytes)
    }

    /// A unicast APS data frame between application endpoints, NWK- and
    /// APS-secured, MAC-acknowledged.
    #[allow(clippy::too_many_arguments)]
    fn se_unicast(
        &mut self,
        from: usize,
        to: usize,
        after_us: u64,
        cluster: u16,
        zcl: &ZclFrame<'_>,
        key: &Key128,
        summary: &str,
    ) -> Result<(), EncodeError> {
        let src_ep = self.node(from)?.dev.endpoint;
        let dst_ep = self.node(to)?.dev.endpoint;
        let target = Endpoints {
            src_ep,
            dst_ep,
            cluster,
            profile: SE_PROFILE,
        };
        self.aps_unicast(
            from,
            to,
            after_us,
            target,
            &zcl.to_vec()?,
            ApsSecurity::Data(key),
            summary,
        )
    }

    /// A unicast ZCL frame to an SE endpoint, APS-secured with `key`: in one
    /// APS frame when it fits the PHY, otherwise in APS fragments of
    /// [`FRAGMENT_SIZE`] bytes followed by the receiver's APS ack.
    #[allow(clippy::too_many_arguments)]
    fn se_send(
        &mut self,
        from: usize,
        to: usize,
        after_us: u64,
        cluster: u16,
        zcl: &ZclFrame<'_>,
        key: &Key128,
        summary: &str,
    ) -> Result<(), EncodeError> {
        let bytes = zcl.to_vec()?;
        if bytes.len() <= MAX_UNFRAGMENTED {
            return self.se_unicast(from, to, after_us, cluster, zcl, key, summary);
        }
        self.fragmented(from, to, after_us, cluster, &bytes, key, summary)
    }

    /// `zcl_bytes` in APS fragments (ZigBee R22 2.2.8.4.5): the first
    /// fragment's block number is the block count, later ones carry their
    /// index; each fragment is APS-secured on its own and MAC-acknowledged;
    /// then the receiver's APS ack of every block (NWK-secured only: an
    /// APS-secured ack has an empty payload, which Wireshark 4.0 does not try
    /// to authenticate, flagging "Encrypted Payload").
    #[allow(clippy::too_many_arguments)]
    fn fragmented(
        &mut self,
        from: usize,
        to: usize,
        after_us: u64,
        cluster: u16,
        zcl_bytes: &[u8],
        key: &Key128,
        what: &str,
    ) -> Result<(), EncodeError> {
        let sender = self.node(from)?.dev;
        let receiver = self.node(to)?.dev;
        let blocks: Vec<&[u8]> = zcl_bytes.chunks(FRAGMENT_SIZE).collect();
        let count = u8::try_from(blocks.len())
            .ok()
            .filter(|&c| (2..=8).contains(&c))
            .ok_or(EncodeError::unrepresentable(
                Layer::Aps,
                "block count",
                blocks.len() as u64,
            ))?;
        let counter = self.node(from)?.next_aps_counter();
        for (i, block) in (0u8..).zip(blocks) {
            let ext = ExtendedHeader {
                fragmentation: if i == 0 {
                    Fragmentation::First
                } else {
                    Fragmentation::Subsequent
                },
                reserved: 0,
                block_number: Some(if i == 0 { count } else { i }),
                ack_bitfield: None,
            };
            let mut frame = data_frame(
                receiver.endpoint,
                cluster,
                SE_PROFILE,
                sender.endpoint,
                counter,
                Some(ext),
            );
            frame.frame_control.ack_request = true;
            let aps_bytes = self.aps(from, frame, block, ApsSecurity::Data(key))?;
            let summary = format!("{what}, APS fragment {} of {count}", i + 1);
            self.send(
                from,
                if i == 0 { after_us } else { 8_000 },
                receiver.short,
                nwk::FrameType::Data,
                unicast(receiver.short),
                &aps_bytes,
                &summary,
            )?;
            self.mac_ack(to, false)?;
        }
        let ack = ApsFrame {
            frame_control: aps::FrameControl {
                frame_type: aps::FrameType::Ack,
                delivery: DeliveryMode::Unicast,
                ack_format: false,
                security: false,
                ack_request: false,
                extended_header: true,
            },
            dst_endpoint: Some(sender.endpoint),
            group: None,
            cluster: Some(cluster),
            profile: Some(SE_PROFILE),
            src_endpoint: Some(receiver.endpoint),
            counter,
            extended: Some(ExtendedHeader {
                fragmentation: Fragmentation::First,
                reserved: 0,
                block_number: Some(0),
                ack_bitfield: Some(u8::MAX >> (8 - count)),
            }),
            security: None,
            payload: &[],
        };
        let aps_bytes = self.aps(to, ack, &[], ApsSecurity::None)?;
        self.send(
            to,
            6_000,
            sender.short,
            nwk::FrameType::Data,
            unicast(sender.short),
            &aps_bytes,
            &format!(
                "APS ack of blocks 1-{count} from the {} (NWK-secured)",
                receiver.name
            ),
        )?;
        self.mac_ack(from, false)
    }

    /// A unicast ZDP frame (endpoint 0, profile 0), NWK-secured only.
    fn zdp_unicast(
        &mut self,
        from: usize,
        to: usize,
        after_us: u64,
        zdp: &ZdpFrame<'_>,
        summary: &str,
    ) -> Result<(), EncodeError> {
        let target = Endpoints {
            src_ep: 0,
            dst_ep: 0,
            cluster: zdp.cluster().value(),
            profile: 0x0000,
        };
        self.aps_unicast(
            from,
            to,
            after_us,
            target,
            &zdp.to_vec()?,
            ApsSecurity::None,
            summary,
        )
    }

    /// A unicast APS data frame carrying `payload`, NWK-secured, APS-secured
    /// as `security` says, MAC-acknowledged.
    #[allow(clippy::too_many_arguments)]
    fn aps_unicast(
        &mut self,
        from: usize,
        to: usize,
        after_us: u64,
        target: Endpoints,
        payload: &[u8],
        security: ApsSecurity<'_>,
        summary: &str,
    ) -> Result<(), EncodeError> {
        let dst = self.node(to)?.dev;
        let counter = self.node(from)?.next_aps_counter();
        let frame = data_frame(
            target.dst_ep,
            target.cluster,
            target.profile,
            target.src_ep,
            counter,
            None,
        );
        let aps_bytes = self.aps(from, frame, payload, security)?;
        self.send(
            from,
            after_us,
            dst.short,
            nwk::FrameType::Data,
            unicast(dst.short),
            &aps_bytes,
            summary,
        )?;
        self.mac_ack(to, false)
    }
}

fn unicast(dst: u16) -> NwkOpts {
    NwkOpts {
        dst,
        radius: 30,
        src_ieee: false,
        secured: true,
        discover_route: DiscoverRoute::Enable,
    }
}

fn data_frame<'a>(
    dst_endpoint: u8,
    cluster: u16,
    profile: u16,
    src_endpoint: u8,
    counter: u8,
    extended: Option<ExtendedHeader>,
) -> ApsFrame<'a> {
    ApsFrame {
        frame_control: aps::FrameControl {
            frame_type: aps::FrameType::Data,
            delivery: DeliveryMode::Unicast,
            ack_format: false,
            security: false,
            ack_request: false,
            extended_header: extended.is_some(),
        },
        dst_endpoint: Some(dst_endpoint),
        group: None,
        cluster: Some(cluster),
        profile: Some(profile),
        src_endpoint: Some(src_endpoint),
        counter,
        extended,
        security: None,
        payload: &[],
    }
}

fn zcl_frame(
    frame_type: zcl::FrameType,
    direction: Direction,
    tsn: u8,
    command_id: u8,
    payload: &[u8],
) -> ZclFrame<'_> {
    ZclFrame {
        frame_control: zcl::FrameControl {
            frame_type,
            manufacturer_specific: false,
            direction,
            disable_default_response: direction == Direction::ToClient,
            reserved: 0,
        },
        manufacturer: None,
        tsn,
        command_id,
        payload,
    }
}

/// Read Attributes (ZCL rev. 8 2.5.1): attribute identifiers.
///
/// # Errors
/// Never in practice (the encoders write into a growing vector).
pub fn read_attributes(ids: &[u16]) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(2 * ids.len());
    for &id in ids {
        AttributeId(id).encode(&mut out)?;
    }
    Ok(out)
}

/// Read Attributes Response (ZCL rev. 8 2.5.2): a SUCCESS record per attribute.
///
/// # Errors
/// As [`read_attributes`].
pub fn read_attributes_response(records: &[(u16, ZclValue<'_>)]) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    for &(id, value) in records {
        ReadAttributeStatus {
            id,
            status: ZclStatus::Success,
            value: Some(value),
        }
        .encode(&mut out)?;
    }
    Ok(out)
}

/// Report Attributes (ZCL rev. 8 2.5.11): identifier, type and value per attribute.
///
/// # Errors
/// As [`read_attributes`].
pub fn report_attributes(records: &[(u16, ZclValue<'_>)]) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    for &(id, value) in records {
        AttributeRecord { id, value }.encode(&mut out)?;
    }
    Ok(out)
}

/// The Metering formatting set of the ESME, as it answers a read of
/// UnitofMeasure, Multiplier, Divisor, SummationFormatting and DemandFormatting.
#[must_use]
pub fn formatting_values() -> [(u16, ZclValue<'static>); 5] {
    [
        (0x0300, ZclValue::Enum8(UNIT_OF_MEASURE)),
        (
            0x0301,
            ZclValue::Unsigned(DataType::Uint24, u64::from(MULTIPLIER)),
        ),
        (
            0x0302,
            ZclValue::Unsigned(DataType::Uint24, u64::from(DIVISOR)),
        ),
        (
            0x0303,
            ZclValue::Bits(DataType::Bitmap8, u64::from(SUMMATION_FORMATTING)),
        ),
        (
            0x0304,
            ZclValue::Bits(DataType::Bitmap8, u64::from(DEMAND_FORMATTING)),
        ),
    ]
}

/// The GBCS messages the hub and the ESME exchange through the tunnel.
///
/// Both are in the GBCS "MAC'd" form (General-Ciphering "MAC header" around a
/// General-Signing APDU), as Wireshark `packet-gbcs.c` reads it
/// (`dissect_gbcs_message`: `DD 00` then the MAC header, grouping header,
/// payload, KRP element and 12-byte MAC):
///
/// ```text
/// DD 00 00 00 00 00 00      General-Ciphering, six empty elements
/// L (BER)                   5 + len(General-Signing APDU) + 12
/// 11 00 00 00 00            security control 0x11 (authentication only, suite 1),
///                           invocation counter 0
/// DF                        General-Signing
/// 09 cra counter(8, BE)     transaction id: CRA flag (1 command, 2 response),
///                           originator counter
/// 08 originator(8, BE)      business originator id
/// 08 target(8, BE)          business target id
/// 00                        date-time absent
/// 02 code(2, BE)            other-information: the message code
/// n (BER) payload(n)        the GBZ payload
/// 00                        KRP element: no signature
/// mac(12)                   the MAC
/// ```
///
/// The GBZ payload: profile 0x0109 (BE), component count, then per component
/// extended header control (0x01 on the last), cluster id (BE), length (BE,
/// 3 + ZCL payload length), ZCL frame control, transaction sequence number,
/// command id and the ZCL payload.
///
/// The messages are built and MACed by `smets-gbcs` as GBCS defines it:
/// the MAC key per message from ECDH on P-256 between the parties' key
/// agreement keys and the SHA-256 concatenation KDF; a command's MAC is
/// the Access Control Broker's (with the ESME), the response's the ESME's
/// (with the supplier). The P-256 keys are TEST keys ([`gbcs::private_key`]).
pub mod gbcs {
    use smets_core::{EncodeError, Eui64, Layer};
    use smets_gbcs::envelope::{
        CraFlag, GeneralSigning, GroupingHeader, LengthForm, OtherInformation, Supplementary,
        TransactionId,
    };
    use smets_gbcs::keys::MemoryKeyStore;
    use smets_gbcs::security::{Form, SecurityContext, SignWith};
    use smets_gbcs::{KeyRef, PrivateKey};
    use smets_zigbee::zcl::{DataType, ZclValue};

    use super::{ESME, SE_PROFILE};

    /// The supplier that reads the meter, a Known Remote Party of the ESME
    /// (a TEST entity id, "SMETS" in ASCII like the devices').
    pub const REMOTE_PARTY: Eui64 = Eui64(0x0253_4d45_5453_0100);
    /// The Access Control Broker that MACs every command to the ESME (a
    /// TEST entity id).
    pub const ACB: Eui64 = Eui64(0x0253_4d45_5453_0200);
    /// Originator counter of the command (the response carries it too).
    pub const ORIGINATOR_COUNTER: u64 = 0x0000_0001_0000_2026;
    /// Message code ECS17b, "Read ESME Energy Registers (Import Energy)".
    pub const MESSAGE_CODE: u16 = 0x0027;
    /// CRA flag of a command.
    pub const CRA_COMMAND: u8 = 1;
    /// CRA flag of a response.
    pub const CRA_RESPONSE: u8 = 2;
    /// Data bytes per General Block Transfer block.
    pub const GBT_BLOCK_SIZE: usize = 64;
    /// Transaction sequence number of the GBZ ZCL frames.
    pub const GBZ_TSN: u8 = 0x01;
    /// The Metering cluster.
    pub const METERING: u16 = 0x0702;

    /// CurrentSummationDelivered in the response (Wh).
    pub const SUMMATION: u64 = 12_345_702;
    /// CurrentTier1SummationDelivered and CurrentTier2SummationDelivered
    /// (the others are 0): day and night registers that add up to [`SUMMATION`].
    pub const TIERS: [u64; 2] = [8_123_456, 4_222_246];

    /// The Metering attributes the command reads: CurrentSummationDelivered,
    /// CurrentTier1-8SummationDelivered, CurrentNoTierBlock1-16SummationDelivered
    /// and the formatting set (UnitofMeasure, Multiplier, Divisor,
    /// SummationFormatting, DemandFormatting).
    #[must_use]
    pub fn attribute_ids() -> Vec<u16> {
        let mut ids = vec![0x0000];
        ids.extend((0..8).map(|n| 0x0100 + 2 * n));
        ids.extend(0x0700..0x0710);
        ids.extend(0x0300..=0x0304);
        ids
    }

    /// The value the ESME answers for attribute `id`.
    #[must_use]
    pub fn value(id: u16) -> ZclValue<'static> {
        match id {
            0x0000 => ZclValue::Unsigned(DataType::Uint48, SUMMATION),
            0x0100 => ZclValue::Unsigned(DataType::Uint48, TIERS[0]),
            0x0102 => ZclValue::Unsigned(DataType::Uint48, TIERS[1]),
            _ => super::formatting_values()
                .into_iter()
                .find(|(f, _)| *f == id)
                .map_or(ZclValue::Unsigned(DataType::Uint48, 0), |(_, v)| v),
        }
    }

    /// A TEST P-256 private key: the SHA-256 of `label` as the scalar (of
    /// `label` and a counter, in the unlikely case a digest is no scalar).
    #[must_use]
    pub fn private_key(label: &str) -> PrivateKey {
        use sha2::{Digest, Sha256};
        (0u8..=255)
            .find_map(|n| {
                let mut h = Sha256::new();
                h.update(label.as_bytes());
                if n > 0 {
                    h.update([n]);
                }
                PrivateKey::from_scalar(&h.finalize())
            })
            .unwrap_or_else(|| unreachable!("a SHA-256 digest below the group order"))
    }

    /// The TEST keys of the GBCS parties: (key, label) pairs.
    #[must_use]
    pub fn test_keys() -> Vec<(KeyRef, &'static str)> {
        vec![
            (KeyRef::ka(ACB), "smets han-demo TEST GBCS ACB KA"),
            (
                KeyRef::ka(REMOTE_PARTY),
                "smets han-demo TEST GBCS supplier KA",
            ),
            (
                KeyRef::ds(REMOTE_PARTY),
                "smets han-demo TEST GBCS supplier DS",
            ),
            (KeyRef::ka(ESME.eui), "smets han-demo TEST GBCS ESME KA"),
            (KeyRef::ds(ESME.eui), "smets han-demo TEST GBCS ESME DS"),
        ]
    }

    /// Every party's TEST private key, in one store.
    #[must_use]
    pub fn key_store() -> MemoryKeyStore {
        let mut store = MemoryKeyStore::new();
        for (r, label) in test_keys() {
            // Distinct references: an insert cannot conflict.
            let _ = store.insert_private(r, private_key(label));
        }
        store
    }

    /// A GBZ payload of one component: a ZCL frame of `cluster` (frame
    /// control, tsn, command id, payload).
    ///
    /// # Errors
    /// A ZCL payload longer than a component holds.
    pub fn gbz(
        cluster: u16,
        frame_control: u8,
        tsn: u8,
        command_id: u8,
        payload: &[u8],
    ) -> Result<Vec<u8>, EncodeError> {
        let len = u16::try_from(3 + payload.len()).map_err(|_| {
            EncodeError::unrepresentable(Layer::Gbcs, "GBZ component length", payload.len() as u64)
        })?;
        let mut out = Vec::with_capacity(11 + payload.len());
        out.extend_from_slice(&SE_PROFILE.to_be_bytes());
        out.push(1);
        out.push(0x01);
        out.extend_from_slice(&cluster.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&[frame_control, tsn, command_id]);
        out.extend_from_slice(payload);
        Ok(out)
    }

    /// A MAC-header GBCS message of `payload` (no signature), sealed with
    /// the TEST keys.
    ///
    /// # Errors
    /// A payload too long for the envelope.
    pub fn sealed(
        cra: CraFlag,
        originator: Eui64,
        recipient: Eui64,
        payload: &[u8],
    ) -> Result<Vec<u8>, EncodeError> {
        let signing = GeneralSigning {
            header: GroupingHeader {
                transaction_id: TransactionId {
                    cra_flag: cra,
                    originator_counter: ORIGINATOR_COUNTER,
                },
                originator,
                recipient,
                date_time: None,
                other_information: OtherInformation {
                    length_form: LengthForm::minimal(2),
                    message_code: MESSAGE_CODE,
                    supplementary: Supplementary::None,
                },
            },
            content_length_form: LengthForm::minimal(payload.len()),
            content: payload,
            signature: Some(&[]),
        };
        SecurityContext::new(key_store())
            .with_acb(ACB)
            .seal(&signing, Form::MacHeader, SignWith::Nothing)
            .map_err(|e| match e {
                smets_gbcs::security::SealError::Encode(e) => e,
                _ => EncodeError::inconsistent(Layer::Gbcs, "GBCS keys"),
            })
    }

    /// The command the hub delivers to the ESME: ECS17b from the supplier, a
    /// GBZ Metering Read Attributes of [`attribute_ids`], MACed for the ACB.
    ///
    /// # Errors
    /// As [`sealed`].
    pub fn command() -> Result<Vec<u8>, EncodeError> {
        let ids: Vec<u8> = attribute_ids()
            .iter()
            .flat_map(|id| id.to_le_bytes())
            .collect();
        let gbz = gbz(METERING, 0x00, GBZ_TSN, 0x00, &ids)?;
        sealed(CraFlag::Command, REMOTE_PARTY, ESME.eui, &gbz)
    }

    /// The ESME's response to [`command`]: a GBZ Metering Read Attributes
    /// Response with every attribute's [`value`], to the supplier, with the
    /// command's originator counter.
    ///
    /// # Errors
    /// As [`sealed`].
    pub fn response() -> Result<Vec<u8>, EncodeError> {
        let values: Vec<_> = attribute_ids()
            .into_iter()
            .map(|id| (id, value(id)))
            .collect();
        let records = super::read_attributes_response(&values)?;
        let gbz = gbz(METERING, 0x08, GBZ_TSN, 0x01, &records)?;
        sealed(CraFlag::Response, ESME.eui, REMOTE_PARTY, &gbz)
    }
}

/// The catalogue entry of a cluster command.
fn catalogue_command(
    cluster: u16,
    direction: Direction,
    id: u8,
) -> Result<&'static catalogue::Command, EncodeError> {
    catalogue::cluster(cluster)
        .and_then(|c| c.command(direction, id))
        .ok_or(EncodeError::inconsistent(
            Layer::Zcl,
            "command not in the catalogue",
        ))
}

/// Messaging Display Message (ZigBee SE 1.4 10.5): message id, message
/// control 0 (normal transmission, low importance, no confirmation asked),
/// start time 0 (now), duration 0xffff (until changed), the message as a ZCL
/// character string, extended message control 0; encoded from the cluster
/// catalogue.
///
/// # Errors
/// A message longer than a character string holds.
pub fn display_message_payload(id: u32, text: &str) -> Result<Vec<u8>, EncodeError> {
    if text.len() > 254 {
        return Err(EncodeError::unrepresentable(
            Layer::Zcl,
            "message length",
            text.len() as u64,
        ));
    }
    let command = catalogue_command(0x0703, Direction::ToClient, 0x00)?;
    CommandPayload::new(
        command,
        &[
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint32, u64::from(id))),
            Arg::Zcl(ZclValue::Bits(DataType::Bitmap8, 0x00)),
            Arg::Zcl(ZclValue::UtcTime(0)),
            Arg::Zcl(ZclValue::Unsigned(DataType::Uint16, 0xffff)),
            Arg::Zcl(ZclValue::CharacterString(Some(text.as_bytes()))),
            Arg::Zcl(ZclValue::Bits(DataType::Bitmap8, 0x00)),
        ],
    )
    .to_vec()
}

/// Seconds since 2000-01-01 UTC (ZCL UTC time) of a capture time.
fn utc_time(t: Duration) -> Result<u32, EncodeError> {
    let secs = t.as_secs().saturating_sub(ZIGBEE_EPOCH);
    u32::try_from(secs).map_err(|_| EncodeError::unrepresentable(Layer::Zcl, "UTC time", secs))
}

fn uint(ty: DataType, v: u64) -> Arg<'static> {
    Arg::Zcl(ZclValue::Unsigned(ty, v))
}

/// A cluster-specific ZCL frame carrying `payload`.
fn cluster_frame(direction: Direction, tsn: u8, command_id: u8, payload: &[u8]) -> ZclFrame<'_> {
    zcl_frame(
        zcl::FrameType::ClusterSpecific,
        direction,
        tsn,
        command_id,
        payload,
    )
}

/// The Smart Energy traffic after the Display Message: Message
/// Confirmation, Publish Price, Consumer Top Up and its response, the GB-HRGP
/// tunnel set-up and the GBCS command and response through it.
#[allow(clippy::too_many_lines)]
fn smart_energy_extras(s: &mut Session, keys: &TestKeys) -> Result<(), EncodeError> {
    // --- Messaging: the consumer confirms the message (SE 1.4 10.5) ---
    let now = utc_time(s.time + Duration::from_secs(2))?;
    let command = catalogue_command(0x0703, Direction::ToServer, 0x01)?;
    let payload = CommandPayload::new(
        command,
        &[
            uint(DataType::Uint32, u64::from(MESSAGE_ID)),
            Arg::Zcl(ZclValue::UtcTime(now)),
        ],
    )
    .to_vec()?;
    let tsn = s.node(I)?.next_tsn();
    s.se_send(
        I,
        E,
        2_000_000,
        0x0703,
        &cluster_frame(Direction::ToServer, tsn, 0x01, &payload),
        &keys.ihd_esme,
        "Messaging Message Confirmation from the IHD",
    )?;

    // --- Price: the new tariff (SE 1.4 10.2) ---
    let now = utc_time(s.time + Duration::from_secs(3))?;
    let command = catalogue_command(0x0700, Direction::ToClient, 0x00)?;
    let payload = CommandPayload::new(
        command,
        &[
            uint(DataType::Uint32, u64::from(PRICE_PROVIDER_ID)),
            Arg::Zcl(ZclValue::OctetString(Some(RATE_LABEL.as_bytes()))),
            uint(DataType::Uint32, u64::from(PRICE_ISSUER_EVENT_ID)),
            Arg::Zcl(ZclValue::UtcTime(now)),
            Arg::Zcl(ZclValue::Enum8(UNIT_OF_MEASURE)),
            uint(DataType::Uint16, u64::from(CURRENCY_GBP)),
            Arg::Zcl(ZclValue::Bits(
                DataType::Bitmap8,
                u64::from(PRICE_TRAILING_DIGIT_AND_TIER),
            )),
            Arg::Zcl(ZclValue::Bits(
                DataType::Bitmap8,
                u64::from(PRICE_TIERS_AND_REGISTER_TIER),
            )),
            Arg::Zcl(ZclValue::UtcTime(PRICE_START_TIME)),
            uint(DataType::Uint16, 0xffff),
            uint(DataType::Uint32, u64::from(PRICE)),
        ],
    )
    .to_vec()?;
    let tsn = s.node(E)?.next_tsn();
    s.se_send(
        E,
        I,
        3_000_000,
        0x0700,
        &cluster_frame(Direction::ToClient, tsn, 0x00, &payload),
        &keys.ihd_esme,
        "Price Publish Price from the ESME: Standard, 24.50p/kWh from 1 April 2026",
    )?;

    // --- Prepayment: a top-up code typed on the IHD (SE 1.4 10.7) ---
    let command = catalogue_command(0x0705, Direction::ToServer, 0x04)?;
    let payload = CommandPayload::new(
        command,
        &[
            Arg::Zcl(ZclValue::Enum8(0x02)),
            Arg::Zcl(ZclValue::OctetString(Some(UTRN.as_bytes()))),
        ],
    )
    .to_vec()?;
    let tsn = s.node(I)?.next_tsn();
    s.se_send(
        I,
        E,
        10_000_000,
        0x0705,
        &cluster_frame(Direction::ToServer, tsn, 0x04, &payload),
        &keys.ihd_esme,
        "Prepayment Consumer Top Up from the IHD: a 20-digit UTRN",
    )?;
    let command = catalogue_command(0x0705, Direction::ToClient, 0x03)?;
    let payload = CommandPayload::new(
        command,
        &[
            Arg::Zcl(ZclValue::Enum8(0x00)),
            Arg::Zcl(ZclValue::Signed(DataType::Int32, i64::from(TOP_UP_VALUE))),
            Arg::Zcl(ZclValue::Enum8(0x02)),
            Arg::Zcl(ZclValue::Signed(
                DataType::Int32,
                i64::from(CREDIT_REMAINING),
            )),
        ],
    )
    .to_vec()?;
    s.se_send(
        E,
        I,
        50_000,
        0x0705,
        &cluster_frame(Direction::ToClient, tsn, 0x03, &payload),
        &keys.ihd_esme,
        "Prepayment Consumer Top Up Response from the ESME: accepted, 1000 added, 2350 left",
    )?;

    // --- Tunneling: the ESME opens a GB-HRGP tunnel to the hub (SE 1.4 10.6) ---
    let request = TunnelingCommand::RequestTunnel {
        protocol: TunnelProtocol::GbHrgp,
        manufacturer_code: NO_MANUFACTURER,
        flow_control: false,
        max_incoming_transfer_size: MAX_TRANSFER_SIZE,
    };
    let tsn = s.node(E)?.next_tsn();
    let payload = request.to_vec()?;
    s.se_send(
        E,
        H,
        5_000_000,
        0x0704,
        &cluster_frame(Direction::ToServer, tsn, 0x00, &payload),
        &keys.hub_esme,
        "Tunneling Request Tunnel from the ESME: GB-HRGP, 1500 bytes",
    )?;
    let response = TunnelingCommand::RequestTunnelResponse {
        tunnel_id: TUNNEL_ID,
        status: TunnelStatus::Success,
        max_incoming_transfer_size: MAX_TRANSFER_SIZE,
    };
    let payload = response.to_vec()?;
    s.se_send(
        H,
        E,
        20_000,
        0x0704,
        &cluster_frame(Direction::ToClient, tsn, 0x00, &payload),
        &keys.hub_esme,
        "Tunneling Request Tunnel Response from the hub: tunnel 1, success",
    )?;

    // --- GBCS through the tunnel, in General Block Transfer blocks ---
    let command = gbcs::command()?;
    let response = gbcs::response()?;
    for (message, from, to, cra, originator, target, first_after, what) in [
        (
            &command,
            H,
            E,
            gbcs::CRA_COMMAND,
            gbcs::REMOTE_PARTY,
            ESME.eui,
            1_000_000,
            "GBCS ECS17b command to the ESME",
        ),
        (
            &response,
            E,
            H,
            gbcs::CRA_RESPONSE,
            ESME.eui,
            gbcs::REMOTE_PARTY,
            400_000,
            "GBCS ECS17b response from the ESME",
        ),
    ] {
        let header = GbtBlock {
            cra_flag: cra,
            originator_counter: gbcs::ORIGINATOR_COUNTER,
            business_originator: originator,
            business_target: target,
            date_time: &[],
            message_code: gbcs::MESSAGE_CODE,
            other_information: &[],
            key_info: &[],
            security_control: 0,
            invocation_counter: 0,
            block_control: 0,
            block_number: 0,
            block_number_ack: 0,
            data: &[],
        };
        let blocks: Vec<GbtBlock<'_>> =
            gbt::split(&header, message, gbcs::GBT_BLOCK_SIZE).collect();
        let count = blocks.len();
        let direction = if from == H {
            Direction::ToClient
        } else {
            Direction::ToServer
        };
        let key = keys.hub_esme.clone();
        for (i, block) in blocks.iter().enumerate() {
            let block_bytes = block.to_vec()?;
            let tunnelled = GbcsTunnel::Put {
                message: &block_bytes,
            }
            .to_vec()?;
            let transfer = TunnelingCommand::TransferData {
                direction,
                tunnel_id: TUNNEL_ID,
                data: &tunnelled,
            };
            let command_id = transfer
                .command_id()
                .ok_or(EncodeError::inconsistent(Layer::Zcl, "transfer data"))?;
            let payload = transfer.to_vec()?;
            let tsn = s.node(from)?.next_tsn();
            s.se_send(
                from,
                to,
                if i == 0 { first_after } else { 30_000 },
                0x0704,
                &cluster_frame(direction, tsn, command_id, &payload),
                &key,
                &format!(
                    "Tunneling Transfer Data (PUT): {what}, GBT block {} of {count}",
                    i + 1
                ),
            )?;
        }
    }
    Ok(())
}

/// The whole session, frame by frame.
///
/// # Errors
/// An encoder's error, should a frame not be representable (none is).
#[allow(clippy::too_many_lines)]
pub fn session() -> Result<Vec<Frame>, EncodeError> {
    let keys = test_keys()?;
    let mut s = Session {
        nodes: [
            Node::new(HUB, 0x80, 0x40, 0xa0, 0x0001_2340, 0x0000_0310, 0x10),
            Node::new(ESME, 0x21, 0xd2, 0x57, 0x0000_9a10, 0x0000_0061, 0x30),
            Node::new(IHD, 0x01, 0x01, 0x01, 0x0000_0000, 0x0000_0000, 0x01),
        ],
        keys,
        time: START,
        frames: Vec::new(),
    };
    let keys = s.keys.clone();
    let pan = MacAddress::Short;

    // --- Discovery and MAC association (IEEE 802.15.4-2015 6.3, 6.4.1) ---
    s.mac_command(
        I,
        0,
        mac_fc(
            mac::FrameType::Command,
            false,
            false,
            AddressMode::Short,
            AddressMode::None,
        ),
        (Some(0xffff), Some(pan(0xffff))),
        (None, None),
        MacCommand::BeaconRequest,
        "Beacon request from the IHD (broadcast)",
    )?;
    let zb = ZigbeeBeacon {
        protocol_id: 0,
        stack_profile: StackProfile::ZigbeePro,
        protocol_version: 2,
        reserved: 0,
        router_capacity: true,
        device_depth: 0,
        end_device_capacity: true,
        extended_pan_id: EXTENDED_PAN_ID,
        tx_offset: 0x00ff_ffff,
        update_id: 0,
    }
    .to_vec()?;
    let beacon = Beacon {
        superframe: SuperframeSpec {
            beacon_order: 15,
            superframe_order: 15,
            final_cap_slot: 15,
            battery_life_extension: false,
            reserved: false,
            pan_coordinator: true,
            association_permit: true,
        },
        gts_spec: GtsSpec {
            descriptor_count: 0,
            reserved: 0,
            permit: false,
        },
        gts_directions: None,
        gts_descriptors: GtsDescriptors::default(),
        pending_spec: PendingAddressSpec {
            short_count: 0,
            reserved_3: false,
            extended_count: 0,
            reserved_7: false,
        },
        pending_short: mac::ShortAddresses::default(),
        pending_extended: mac::ExtendedAddresses::default(),
        payload: &zb,
    }
    .to_vec()?;
    let seq = s.node(H)?.next_mac_seq();
    let f = MacFrame {
        frame_control: mac_fc(
            mac::FrameType::Beacon,
            false,
            false,
            AddressMode::None,
            AddressMode::Short,
        ),
        seq: Some(seq),
        dst_pan: None,
        dst: None,
        src_pan: Some(PAN_ID),
        src: Some(pan(HUB.short)),
        security: None,
        header_ies: &[],
        payload_ies: &[],
        payload: &beacon,
        fcs: None,
    };
    let bytes = encode_mac(&f)?;
    s.push(
        2_400,
        bytes,
        "Beacon from the hub: ZigBee PRO, association permitted",
    );

    let capability = CapabilityInformation {
        alternate_pan_coordinator: false,
        full_function_device: true,
        mains_powered: true,
        receiver_on_when_idle: true,
        reserved_4: false,
        reserved_5: false,
        security_capable: false,
        allocate_address: true,
    };
    s.mac_command(
        I,
        180_000,
        mac_fc(
            mac::FrameType::Command,
            true,
            false,
            AddressMode::Short,
            AddressMode::Extended,
        ),
        (Some(PAN_ID), Some(pan(HUB.short))),
        (Some(0xffff), Some(MacAddress::Extended(IHD.eui))),
        MacCommand::AssociationRequest(capability),
        "Association request from the IHD (extended source)",
    )?;
    s.mac_ack(H, false)?;
    s.mac_command(
        I,
        500_000,
        mac_fc(
            mac::FrameType::Command,
            true,
            true,
            AddressMode::Short,
            AddressMode::Extended,
        ),
        (Some(PAN_ID), Some(pan(HUB.short))),
        (None, Some(MacAddress::Extended(IHD.eui))),
        MacCommand::DataRequest,
        "Data request from the IHD",
    )?;
    s.mac_ack(H, true)?;
    s.mac_command(
        H,
        3_000,
        mac_fc(
            mac::FrameType::Command,
            true,
            true,
            AddressMode::Extended,
            AddressMode::Extended,
        ),
        (Some(PAN_ID), Some(MacAddress::Extended(IHD.eui))),
        (None, Some(MacAddress::Extended(HUB.eui))),
        MacCommand::AssociationResponse {
            short_address: IHD.short,
            status: AssociationStatus::Successful,
        },
        "Association response from the hub: short address 0x9c27",
    )?;
    s.mac_ack(I, false)?;

    // --- Network key delivery (ZigBee R22 4.6.3.2; SE 1.4 5.4.1) ---
    let tk = ApsCommand::TransportKey(TransportKey {
        key_type: KeyType::StandardNetworkKey,
        key: keys.network.clone(),
        descriptor: KeyDescriptor::Network {
            key_seq: 0,
            destination: IHD.eui,
            source: HUB.eui,
        },
    })
    .to_vec()?;
    let counter = s.node(H)?.next_aps_counter();
    let cmd_frame = ApsFrame {
        frame_control: aps::FrameControl {
            frame_type: aps::FrameType::Command,
            delivery: DeliveryMode::Unicast,
            ack_format: false,
            security: false,
            ack_request: false,
            extended_header: false,
        },
        dst_endpoint: None,
        group: None,
        cluster: None,
        profile: None,
        src_endpoint: None,
        counter,
        extended: None,
        security: None,
        payload: &[],
    };
    let ihd_link = keys.ihd_install_code.link_key();
    let aps_bytes = s.aps(H, cmd_frame, &tk, ApsSecurity::KeyTransport(&ihd_link))?;
    s.send(
        H,
        40_000,
        IHD.short,
        nwk::FrameType::Data,
        NwkOpts {
            dst: IHD.short,
            radius: 1,
            src_ieee: false,
            secured: false,
            discover_route: DiscoverRoute::Suppress,
        },
        &aps_bytes,
        "APS Transport Key (network key) to the IHD: APS-secured with the key-transport key of its install-code link key, NWK unsecured",
    )?;
    s.mac_ack(I, false)?;

    // --- Announcement and link status ---
    let annce = ZdpFrame {
        seq: s.node(I)?.next_tsn(),
        command: ZdpCommand::DeviceAnnce {
            nwk_addr: IHD.short,
            ieee_addr: IHD.eui,
            capability,
        },
    }
    .to_vec()?;
    let counter = s.node(I)?.next_aps_counter();
    let mut frame = data_frame(0, 0x0013, 0x0000, 0, counter, None);
    frame.frame_control.delivery = DeliveryMode::Broadcast;
    let aps_bytes = s.aps(I, frame, &annce, ApsSecurity::None)?;
    s.send(
        I,
        120_000,
        0xffff,
        nwk::FrameType::Data,
        NwkOpts {
            dst: 0xfffd,
            radius: 30,
            src_ieee: true,
            secured: true,
            discover_route: DiscoverRoute::Suppress,
        },
        &aps_bytes,
        "ZDP Device_annce from the IHD (NWK-secured broadcast)",
    )?;
    let entries = [
        LinkStatusEntry {
            address: ESME.short,
            incoming_cost: 1,
            outgoing_cost: 1,
            reserved: 0,
        },
        LinkStatusEntry {
            address: IHD.short,
            incoming_cost: 1,
            outgoing_cost: 3,
            reserved: 0,
        },
    ];
    let list: Vec<u8> = entries
        .iter()
        .flat_map(|e| {
            let [lo, hi] = e.address.to_le_bytes();
            [lo, hi, e.link_status_byte()]
        })
        .collect();
    let ls = NwkCommand::LinkStatus(LinkStatus {
        first_frame: true,
        last_frame: true,
        reserved: false,
        list: &list,
    })
    .to_vec()?;
    s.send(
        H,
        300_000,
        0xffff,
        nwk::FrameType::Command,
        NwkOpts {
            dst: 0xfffc,
            radius: 1,
            src_ieee: true,
            secured: true,
            discover_route: DiscoverRoute::Suppress,
        },
        &ls,
        "NWK link status from the hub (NWK-secured command)",
    )?;

    // --- Service discovery: which endpoint of the ESME serves Metering? ---
    let tsn = s.node(I)?.next_tsn();
    let metering = 0x0702u16.to_le_bytes();
    let req = ZdpFrame {
        seq: tsn,
        command: ZdpCommand::MatchDescReq {
            nwk_addr_of_interest: ESME.short,
            profile_id: SE_PROFILE,
            input_clusters: U16List::new(&metering).unwrap_or_default(),
            output_clusters: U16List::default(),
        },
    };
    s.zdp_unicast(
        I,
        E,
        200_000,
        &req,
        "ZDP Match_Desc_req from the IHD: profile 0x0109, Metering server",
    )?;
    let eps = [ESME.endpoint];
    let rsp = ZdpFrame {
        seq: tsn,
        command: ZdpCommand::MatchDescRsp {
            status: Status::Success,
            nwk_addr_of_interest: ESME.short,
            endpoints: &eps,
        },
    };
    s.zdp_unicast(
        E,
        I,
        15_000,
        &rsp,
        "ZDP Match_Desc_rsp from the ESME: endpoint 1",
    )?;
    let tsn = s.node(I)?.next_tsn();
    let req = ZdpFrame {
        seq: tsn,
        command: ZdpCommand::SimpleDescReq {
            nwk_addr_of_interest: ESME.short,
            endpoint: ESME.endpoint,
        },
    };
    s.zdp_unicast(
        I,
        E,
        30_000,
        &req,
        "ZDP Simple_Desc_req from the IHD: endpoint 1",
    )?;
    let inputs: Vec<u8> = [0x0000u16, 0x0003, 0x0700, 0x0702, 0x0703, 0x0705, 0x0800]
        .iter()
        .flat_map(|c| c.to_le_bytes())
        .collect();
    let outputs: Vec<u8> = [0x000au16, 0x0800]
        .iter()
        .flat_map(|c| c.to_le_bytes())
        .collect();
    let rsp = ZdpFrame {
        seq: tsn,
        command: ZdpCommand::SimpleDescRsp {
            status: Status::Success,
            nwk_addr_of_interest: ESME.short,
            descriptor: Some(SimpleDescriptor {
                endpoint: ESME.endpoint,
                profile_id: SE_PROFILE,
                device_id: 0x0501,
                device_version: 0,
                input_clusters: U16List::new(&inputs).unwrap_or_default(),
                output_clusters: U16List::new(&outputs).unwrap_or_default(),
            }),
        },
    };
    s.zdp_unicast(
        E,
        I,
        15_000,
        &rsp,
        "ZDP Simple_Desc_rsp from the ESME: SE metering device",
    )?;

    // --- Smart Energy traffic, APS-secured with the CBKE link keys ---
    let tsn = s.node(I)?.next_tsn();
    let read = read_attributes(&[0x0000, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304])?;
    let z = zcl_frame(
        zcl::FrameType::Global,
        Direction::ToServer,
        tsn,
        0x00,
        &read,
    );
    s.se_unicast(
        I,
        E,
        250_000,
        0x0702,
        &z,
        &keys.ihd_esme,
        "Metering Read Attributes (CurrentSummationDelivered and the formatting set) from the IHD",
    )?;
    let mut records = vec![(0x0000, ZclValue::Unsigned(DataType::Uint48, SUMMATION_READ))];
    records.extend(formatting_values());
    let rsp = read_attributes_response(&records)?;
    let z = zcl_frame(zcl::FrameType::Global, Direction::ToClient, tsn, 0x01, &rsp);
    s.se_unicast(
        E,
        I,
        18_000,
        0x0702,
        &z,
        &keys.ihd_esme,
        "Metering Read Attributes Response from the ESME: 12345678 Wh, kWh, divisor 1000, formatting 0x2b/0x1b",
    )?;

    let tsn = s.node(I)?.next_tsn();
    let read = read_attributes(&[0x0000, 0x0001])?;
    let z = zcl_frame(
        zcl::FrameType::Global,
        Direction::ToServer,
        tsn,
        0x00,
        &read,
    );
    s.se_unicast(
        I,
        H,
        400_000,
        0x000a,
        &z,
        &keys.hub_ihd,
        "Time Read Attributes (Time, TimeStatus) from the IHD",
    )?;
    let rsp = read_attributes_response(&[
        (0x0000, ZclValue::UtcTime(utc_time(s.time)?)),
        (
            0x0001,
            ZclValue::Bits(DataType::Bitmap8, u64::from(TIME_STATUS)),
        ),
    ])?;
    let z = zcl_frame(zcl::FrameType::Global, Direction::ToClient, tsn, 0x01, &rsp);
    s.se_unicast(
        H,
        I,
        12_000,
        0x000a,
        &z,
        &keys.hub_ihd,
        "Time Read Attributes Response from the hub: UTC time, TimeStatus 0x09",
    )?;

    let tsn = s.node(E)?.next_tsn();
    let report = report_attributes(&[
        (
            0x0000,
            ZclValue::Unsigned(DataType::Uint48, SUMMATION_REPORTED),
        ),
        (
            0x0400,
            ZclValue::Signed(DataType::Int24, i64::from(INSTANTANEOUS_DEMAND)),
        ),
    ])?;
    let z = zcl_frame(
        zcl::FrameType::Global,
        Direction::ToClient,
        tsn,
        0x0a,
        &report,
    );
    s.se_unicast(
        E,
        I,
        2_000_000,
        0x0702,
        &z,
        &keys.ihd_esme,
        "Metering Report Attributes from the ESME: 12345701 Wh delivered, 1234 W demand",
    )?;

    // --- A long message in three APS fragments (ZigBee R22 2.2.8.4.5) ---
    let tsn = s.node(E)?.next_tsn();
    let payload = display_message_payload(MESSAGE_ID, MESSAGE)?;
    let zcl_bytes = zcl_frame(
        zcl::FrameType::ClusterSpecific,
        Direction::ToClient,
        tsn,
        0x00,
        &payload,
    )
    .to_vec()?;
    s.fragmented(
        E,
        I,
        5_000_000,
        0x0703,
        &zcl_bytes,
        &keys.ihd_esme,
        "Messaging Display Message from the ESME",
    )?;

    smart_energy_extras(&mut s, &keys)?;
    Ok(s.frames)
}

/// The capture: pcapng, one interface of link type 195 (802.15.4 with FCS),
/// no Decryption Secrets Block.
///
/// # Errors
/// As [`session`]; an I/O error of the writer.
pub fn pcapng() -> io::Result<Vec<u8>> {
    let frames = session().map_err(|e| io::Error::other(e.to_string()))?;
    let mut w = PcapngWriter::new(Vec::new(), WriterLinkType::WithFcs)?;
    for f in &frames {
        w.write_frame(f.time, &f.bytes, FcsPresence::Present)?;
    }
    w.into_inner()
}

/// Name of the capture file.
pub const CAPTURE_FILE: &str = "han-demo.pcapng";
/// Name of the keys file.
pub const KEYS_FILE: &str = "han-demo.keys.toml";

/// Writes [`CAPTURE_FILE`] and [`KEYS_FILE`] into `dir`.
///
/// # Errors
/// As [`pcapng`]; an error creating or writing the files.
pub fn write_files(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(CAPTURE_FILE), pcapng()?)?;
    let keys = keys_toml().map_err(|e| io::Error::other(e.to_string()))?;
    std::fs::write(dir.join(KEYS_FILE), keys)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use smets_zigbee::mac::FcsMode;

    #[test]
    fn every_frame_fits_the_phy_and_re_encodes_to_its_bytes() {
        let frames = session().unwrap();
        assert_eq!(frames.len(), 100);
        for (n, f) in (1..).zip(&frames) {
            assert!(f.bytes.len() <= 127, "frame {n}: {} bytes", f.bytes.len());
            let m = MacFrame::decode(&f.bytes, FcsMode::Present).unwrap();
            assert!(m.fcs.unwrap().valid, "frame {n}");
            assert_eq!(m.to_vec().unwrap(), f.bytes, "frame {n}");
        }
        assert!(frames.windows(2).all(|w| w[0].time < w[1].time));
    }

    #[test]
    fn sealed_payloads_open_with_the_key_and_with_no_other() {
        let key = test_key("smets han-demo TEST seal");
        let aux = AuxHeader {
            control: sec_control(KeyIdentifier::Network, true),
            frame_counter: 7,
            source: Some(IHD.eui),
            key_seq: Some(0),
        };
        let mut header = vec![0x48, 0x02, 0x11, 0x5e, 0x27, 0x9c, 0x1e, 0x01];
        let aux_at = header.len();
        header.extend_from_slice(&aux.to_vec().unwrap());
        let mut bytes = header.clone();
        bytes.extend_from_slice(b"plaintext");
        seal(&mut bytes, header.len(), aux_at, &aux, IHD.eui, &key).unwrap();
        assert_eq!(bytes.len(), header.len() + 9 + 4);
        assert_eq!(
            bytes[..header.len()],
            header[..],
            "the header stays as sent"
        );
        assert_eq!(bytes[aux_at] & 0x07, 0, "level 0 on air");

        let level = SecurityLevel::ZIGBEE_PRO;
        let mut aad = header.clone();
        aad[aux_at] = aux.control.byte_with_level(level);
        let nonce = aux.nonce(IHD.eui, level);
        let (ct, mic) = bytes[header.len()..].split_at(9);
        let mut p = ct.to_vec();
        CcmStar::new(&key)
            .decrypt_in_place_detached(&nonce, level, &aad, &mut p, mic)
            .unwrap();
        assert_eq!(p, b"plaintext");
        let mut p = ct.to_vec();
        let other = test_key("smets han-demo TEST other");
        assert!(
            CcmStar::new(&other)
                .decrypt_in_place_detached(&nonce, level, &aad, &mut p, mic)
                .is_err()
        );
    }

    #[test]
    fn the_display_message_payload_is_the_field_by_field_layout() {
        let p = display_message_payload(MESSAGE_ID, "Hi").unwrap();
        assert_eq!(
            p,
            [
                0x26, 0x20, 0x00, 0x00, // message id
                0x00, // message control
                0x00, 0x00, 0x00, 0x00, // start time: now
                0xff, 0xff, // duration: until changed
                0x02, b'H', b'i', // the message
                0x00, // extended message control
            ]
        );
        assert!(display_message_payload(1, &"x".repeat(255)).is_err());
    }

    /// Both messages verify as GBCS messages with the keys the keys file
    /// gives a head-end (the ACB's and the supplier's private keys, the
    /// ESME's public key), and a flipped bit does not.
    #[test]
    fn the_gbcs_messages_need_blocks_and_carry_valid_macs() {
        use smets_core::Decode;
        use smets_gbcs::envelope::GbcsMessage;
        use smets_gbcs::keys::MemoryKeyStore;
        use smets_gbcs::security::{Check, SecurityContext};
        let c = gbcs::command().unwrap();
        let r = gbcs::response().unwrap();
        assert!(c.len() > 2 * gbcs::GBT_BLOCK_SIZE, "at least 3 blocks");
        assert!(r.len() > gbcs::GBT_BLOCK_SIZE, "at least 2 blocks");
        let all = gbcs::key_store();
        let mut head_end = MemoryKeyStore::new();
        for r in [KeyRef::ka(gbcs::ACB), KeyRef::ka(gbcs::REMOTE_PARTY)] {
            head_end
                .insert_private(r, all.private_key(&r).unwrap().clone())
                .unwrap();
        }
        let esme = KeyRef::ka(ESME.eui);
        head_end
            .insert_public(esme, all.public_key(&esme).unwrap().clone())
            .unwrap();
        let mut ctx = SecurityContext::new(&head_end).with_acb(gbcs::ACB);
        for (m, originator) in [(&c, gbcs::REMOTE_PARTY), (&r, ESME.eui)] {
            let (msg, v) = ctx.verify(m, None).unwrap();
            assert!(matches!(msg, GbcsMessage::MacHeader(_)));
            assert_eq!(msg.signing().unwrap().header.originator, originator);
            assert_eq!((v.mac, v.signature), (Check::Valid, Check::Absent));
            let mut tampered = m.clone();
            let at = tampered.len() - 20;
            tampered[at] ^= 1;
            let (_, v) = ctx.verify(&tampered, None).unwrap();
            assert_eq!(v.mac, Check::Invalid);
            assert!(GbcsMessage::decode(&m[..m.len() - 1]).is_err());
        }
        // Without the ACB's key the command's MAC cannot be checked.
        let mut no_acb = SecurityContext::new(&head_end);
        assert_ne!(no_acb.verify(&c, None).unwrap().1.mac, Check::Valid);
    }

    #[test]
    fn the_keys_file_holds_the_install_codes_and_link_keys() {
        let k = test_keys().unwrap();
        let text = keys_toml().unwrap();
        let parsed = smets_cli::keys::parse(&text).unwrap();
        let ic = &parsed.zigbee.install_code[0];
        assert_eq!(ic.device.unwrap().0, IHD.eui);
        let code = InstallCode::from_hex(&ic.code).unwrap();
        assert_eq!(code.link_key(), k.ihd_install_code.link_key());
        let partners: Vec<_> = parsed
            .zigbee
            .link_key
            .iter()
            .map(|l| l.partner.unwrap().0)
            .collect();
        assert_eq!(partners, [IHD.eui, ESME.eui, ESME.eui]);
        assert!(parsed.zigbee.network_key.is_empty());
        assert!(text.contains("TEST KEYS ONLY"));
    }
}
