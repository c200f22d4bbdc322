//! Link-layer encapsulations around an IEEE 802.15.4 frame: the 802.15.4
//! link types (195, 230, 215, 283 TAP) and ZEP over UDP over IPv4/IPv6 on
//! Ethernet, Linux cooked capture, raw IP and BSD loopback.
//! Nothing here reassembles IP fragments or checks UDP checksums.

use smets_core::{DecodeError, DecodeErrorKind, Layer, Reader};

use super::{ErrorCause, Failure, FcsPresence};

/// `LINKTYPE_NULL`: BSD loopback, a 4-byte address family in host order.
pub(crate) const NULL: u32 = 0;
/// `LINKTYPE_ETHERNET`.
pub(crate) const ETHERNET: u32 = 1;
/// `LINKTYPE_RAW`: a bare IPv4 or IPv6 packet.
pub(crate) const RAW: u32 = 101;
/// `LINKTYPE_LINUX_SLL`: Linux cooked capture v1.
pub(crate) const LINUX_SLL: u32 = 113;
/// `LINKTYPE_IEEE802_15_4_WITHFCS`.
pub(crate) const IEEE802_15_4_WITHFCS: u32 = 195;
/// `LINKTYPE_IEEE802_15_4_NONASK_PHY`: preamble, SFD and PHR before the frame.
pub(crate) const IEEE802_15_4_NONASK_PHY: u32 = 215;
/// `LINKTYPE_IPV4`.
pub(crate) const IPV4: u32 = 228;
/// `LINKTYPE_IPV6`.
pub(crate) const IPV6: u32 = 229;
/// `LINKTYPE_IEEE802_15_4_NOFCS`.
pub(crate) const IEEE802_15_4_NOFCS: u32 = 230;
/// `LINKTYPE_LINUX_SLL2`: Linux cooked capture v2.
pub(crate) const LINUX_SLL2: u32 = 276;
/// `LINKTYPE_IEEE802_15_4_TAP`.
pub(crate) const IEEE802_15_4_TAP: u32 = 283;

/// The UDP port IANA assigns to ZEP (Wireshark `packet-zep.h`).
pub(crate) const ZEP_PORT: u16 = 17754;

/// A frame found inside a link-layer record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Linked<'a> {
    pub(crate) frame: &'a [u8],
    pub(crate) fcs: FcsPresence,
    pub(crate) channel: Option<u8>,
    pub(crate) rssi: Option<i8>,
    pub(crate) lqi: Option<u8>,
}

impl<'a> Linked<'a> {
    const fn plain(frame: &'a [u8], fcs: FcsPresence) -> Self {
        Self {
            frame,
            fcs,
            channel: None,
            rssi: None,
            lqi: None,
        }
    }
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_QINQ: u16 = 0x88a8;
const IP_PROTO_UDP: u8 = 17;

/// Extracts the 802.15.4 frame from `data`, a record of `link_type` that starts
/// `base` bytes into the file.
pub(crate) fn decode(link_type: u32, data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    match link_type {
        IEEE802_15_4_WITHFCS => with_fcs(data, base),
        IEEE802_15_4_NOFCS => Ok(Linked::plain(data, FcsPresence::Absent)),
        IEEE802_15_4_NONASK_PHY => nonask_phy(data, base),
        IEEE802_15_4_TAP => tap(data, base),
        ETHERNET => ethernet(data, base),
        LINUX_SLL => {
            let mut r = Reader::with_base(data, Layer::Capture, base);
            r.bytes(14, "Linux cooked header")?;
            let proto = r.u16_be("Linux cooked protocol type")?;
            let at = base + r.pos();
            ethertype_payload(proto, r.rest(), at, base + 14)
        }
        LINUX_SLL2 => {
            let mut r = Reader::with_base(data, Layer::Capture, base);
            let proto = r.u16_be("Linux cooked v2 protocol type")?;
            r.bytes(18, "Linux cooked v2 header")?;
            let at = base + r.pos();
            ethertype_payload(proto, r.rest(), at, base)
        }
        RAW => match data.first().map(|b| b >> 4) {
            Some(4) => ipv4(data, base),
            Some(6) => ipv6(data, base),
            Some(v) => Err(Failure::invalid(base, "IP version", u64::from(v))),
            None => Err(truncated(base, "IP header", 1, 0).into()),
        },
        IPV4 => ipv4(data, base),
        IPV6 => ipv6(data, base),
        NULL => {
            let mut r = Reader::with_base(data, Layer::Capture, base);
            let family = r.array::<4>("loopback address family")?;
            let at = base + r.pos();
            let le = u32::from_le_bytes(family);
            let be = u32::from_be_bytes(family);
            if le == 2 || be == 2 {
                ipv4(r.rest(), at)
            } else if [24, 28, 30].iter().any(|&f| f == le || f == be) {
                ipv6(r.rest(), at)
            } else {
                Err(Failure::unsupported(
                    base,
                    "loopback address family",
                    u64::from(le),
                ))
            }
        }
        other => Err(Failure::unsupported(
            base,
            "link type (not 802.15.4, TAP or ZEP over UDP)",
            u64::from(other),
        )),
    }
}

const fn truncated(
    offset: usize,
    field: &'static str,
    needed: usize,
    available: usize,
) -> DecodeError {
    DecodeError::truncated(Layer::Capture, offset, field, needed, available)
}

fn with_fcs(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    if data.len() < 2 {
        return Err(truncated(base, "frame check sequence", 2, data.len()).into());
    }
    Ok(Linked::plain(data, FcsPresence::Present))
}

/// `preamble (4) | SFD (1) | PHR (1: frame length in bits 0-6) | PSDU` with the
/// FCS at the end of the PSDU (IEEE 802.15.4-2015 12.1; Wireshark
/// `dissect_ieee802154_nonask_phy`).
fn nonask_phy(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    r.bytes(5, "PHY preamble and SFD")?;
    let phr = r.u8("PHY header")?;
    let len = usize::from(phr & 0x7f);
    let frame = r.bytes(len, "PSDU")?;
    if len < 2 {
        return Err(truncated(base + 6, "frame check sequence", 2, len).into());
    }
    Ok(Linked::plain(frame, FcsPresence::Present))
}

const TAP_FCS_TYPE: u16 = 0;
const TAP_RSS: u16 = 1;
const TAP_CHANNEL_ASSIGNMENT: u16 = 3;
const TAP_LQI: u16 = 10;

/// The 802.15.4 TAP header: `version (1) = 0 | reserved (1) | length (2, LE,
/// header and TLVs)`, then TLVs `type (2) | length (2) | value`, each value
/// padded to 4 bytes (github.com/jkcko/ieee802.15.4-tap; Wireshark
/// `dissect_ieee802154_tap`).
fn tap(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    let version = r.u8("TAP version")?;
    if version != 0 {
        return Err(Failure::unsupported(
            base,
            "TAP version",
            u64::from(version),
        ));
    }
    r.u8("TAP reserved")?;
    let total = usize::from(r.u16_le("TAP header length")?);
    if total < 4 {
        return Err(Failure::invalid(
            base + 2,
            "TAP header length",
            total as u64,
        ));
    }
    let tlvs = r.bytes(total - 4, "TAP TLVs")?;
    let frame = r.rest();
    // Without an FCS type TLV the frame is read as having no FCS, as
    // Wireshark (4.0) reads it.
    let mut fcs_type = 0u8;
    let mut fcs_type_at = base;
    let mut out = Linked::plain(frame, FcsPresence::Present);
    let mut t = Reader::with_base(tlvs, Layer::Capture, base + 4);
    while !t.is_empty() {
        let at = base + 4 + t.pos();
        let kind = t.u16_le("TAP TLV type")?;
        let len = usize::from(t.u16_le("TAP TLV length")?);
        let value = t.bytes(len, "TAP TLV value")?;
        let pad = (4 - len % 4) % 4;
        t.bytes(pad.min(t.remaining()), "TAP TLV padding")?;
        let mut v = Reader::with_base(value, Layer::Capture, at + 4);
        match kind {
            TAP_FCS_TYPE => {
                fcs_type = v.u8("TAP FCS type")?;
                fcs_type_at = at + 4;
            }
            TAP_RSS => {
                let dbm = f32::from_le_bytes(v.array("TAP RSS")?);
                out.rssi = dbm_to_i8(dbm);
            }
            TAP_CHANNEL_ASSIGNMENT => {
                out.channel = u8::try_from(v.u16_le("TAP channel number")?).ok();
            }
            TAP_LQI => out.lqi = Some(v.u8("TAP LQI")?),
            _ => {}
        }
    }
    match fcs_type {
        0 => out.fcs = FcsPresence::Absent,
        1 => {
            if frame.len() < 2 {
                return Err(truncated(base + total, "frame check sequence", 2, frame.len()).into());
            }
        }
        2 => {
            // A 32-bit FCS has no place in `FcsPresence`: drop it.
            let end = frame.len().checked_sub(4).ok_or_else(|| {
                truncated(base + total, "32-bit frame check sequence", 4, frame.len())
            })?;
            out.frame = frame.get(..end).unwrap_or_default();
            out.fcs = FcsPresence::Absent;
        }
        other => {
            return Err(Failure::invalid(
                fcs_type_at,
                "TAP FCS type",
                u64::from(other),
            ));
        }
    }
    Ok(out)
}

#[allow(clippy::cast_possible_truncation)] // clamped to the i8 range first
fn dbm_to_i8(dbm: f32) -> Option<i8> {
    dbm.is_finite()
        .then(|| dbm.round().clamp(f32::from(i8::MIN), f32::from(i8::MAX)) as i8)
}

fn ethernet(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    r.bytes(12, "Ethernet addresses")?;
    let mut at = base + r.pos();
    let mut ethertype = r.u16_be("Ethertype")?;
    while ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ {
        r.u16_be("802.1Q tag control")?;
        at = base + r.pos();
        ethertype = r.u16_be("Ethertype")?;
    }
    let payload_at = base + r.pos();
    ethertype_payload(ethertype, r.rest(), payload_at, at)
}

fn ethertype_payload(
    ethertype: u16,
    payload: &[u8],
    payload_at: usize,
    type_at: usize,
) -> Result<Linked<'_>, Failure> {
    match ethertype {
        ETHERTYPE_IPV4 => ipv4(payload, payload_at),
        ETHERTYPE_IPV6 => ipv6(payload, payload_at),
        other => Err(Failure::unsupported(
            type_at,
            "Ethertype (not IPv4 or IPv6)",
            u64::from(other),
        )),
    }
}

/// IPv4 (RFC 791 3.1): only unfragmented UDP is followed.
fn ipv4(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    let vihl = r.u8("IPv4 version and header length")?;
    if vihl >> 4 != 4 {
        return Err(Failure::invalid(base, "IPv4 version", u64::from(vihl >> 4)));
    }
    let ihl = usize::from(vihl & 0x0f) * 4;
    if ihl < 20 {
        return Err(Failure::invalid(base, "IPv4 header length", ihl as u64));
    }
    r.u8("IPv4 type of service")?;
    let total = usize::from(r.u16_be("IPv4 total length")?);
    r.u16_be("IPv4 identification")?;
    let frag = r.u16_be("IPv4 flags and fragment offset")?;
    r.u8("IPv4 time to live")?;
    let proto = r.u8("IPv4 protocol")?;
    r.bytes(ihl - 10, "IPv4 header")?;
    if frag & 0x3fff != 0 {
        return Err(Failure::unsupported(
            base + 6,
            "IPv4 fragment",
            u64::from(frag),
        ));
    }
    if total < ihl {
        return Err(Failure::invalid(
            base + 2,
            "IPv4 total length",
            total as u64,
        ));
    }
    let payload = r.bytes(total - ihl, "IPv4 payload")?;
    if proto != IP_PROTO_UDP {
        return Err(Failure::unsupported(
            base + 9,
            "IP protocol (not UDP)",
            u64::from(proto),
        ));
    }
    udp(payload, base + ihl)
}

/// IPv6 (RFC 8200 3-4): hop-by-hop, routing and destination options headers
/// are skipped; fragments are not followed.
fn ipv6(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    let first = r.u8("IPv6 version")?;
    if first >> 4 != 6 {
        return Err(Failure::invalid(
            base,
            "IPv6 version",
            u64::from(first >> 4),
        ));
    }
    r.bytes(3, "IPv6 traffic class and flow label")?;
    let len = usize::from(r.u16_be("IPv6 payload length")?);
    let mut next = r.u8("IPv6 next header")?;
    let mut next_at = base + 6;
    r.u8("IPv6 hop limit")?;
    r.bytes(32, "IPv6 addresses")?;
    let payload_at = base + r.pos();
    let payload = r.bytes(len, "IPv6 payload")?;
    let mut p = Reader::with_base(payload, Layer::Capture, payload_at);
    loop {
        match next {
            IP_PROTO_UDP => {
                let at = payload_at + p.pos();
                return udp(p.rest(), at);
            }
            0 | 43 | 60 => {
                next_at = payload_at + p.pos();
                next = p.u8("IPv6 extension next header")?;
                let ext_len = usize::from(p.u8("IPv6 extension length")?) * 8 + 6;
                p.bytes(ext_len, "IPv6 extension header")?;
            }
            other => {
                return Err(Failure::unsupported(
                    next_at,
                    "IPv6 next header (not UDP)",
                    u64::from(other),
                ));
            }
        }
    }
}

/// UDP (RFC 768): only datagrams to or from the ZEP port are followed.
fn udp(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    let src = r.u16_be("UDP source port")?;
    let dst = r.u16_be("UDP destination port")?;
    let len = usize::from(r.u16_be("UDP length")?);
    r.u16_be("UDP checksum")?;
    if len < 8 {
        return Err(Failure::invalid(base + 4, "UDP length", len as u64));
    }
    let payload = r.bytes(len - 8, "UDP payload")?;
    if src != ZEP_PORT && dst != ZEP_PORT {
        return Err(Failure::unsupported(
            base + 2,
            "UDP port (not ZEP, 17754)",
            u64::from(dst),
        ));
    }
    zep(payload, base + 8)
}

/// ZigBee Encapsulation Protocol (Wireshark `packet-zep.c`, `packet-zep.h`):
///
/// - v1: `"EX" | version=1 | channel | device id (2) | CRC/LQI mode | LQI |
///   reserved (7) | length` (16 bytes);
/// - v2 data: `"EX" | version=2 | type=1 | channel | device id (2) | CRC/LQI
///   mode | LQI | NTP timestamp (8) | sequence (4) | reserved (10) | length`
///   (32 bytes);
/// - v2 ack: `"EX" | version=2 | type=2 | sequence (4)`, no frame.
///
/// The length (low 7 bits) counts the frame's last two bytes: the FCS in CRC
/// mode (mode byte non-zero), TI CC24xx metadata in LQI mode.
fn zep(data: &[u8], base: usize) -> Result<Linked<'_>, Failure> {
    let mut r = Reader::with_base(data, Layer::Capture, base);
    let preamble = r.array::<2>("ZEP preamble")?;
    if &preamble != b"EX" {
        return Err(Failure::invalid(
            base,
            "ZEP preamble (not \"EX\")",
            u64::from(u16::from_be_bytes(preamble)),
        ));
    }
    let version = r.u8("ZEP version")?;
    let (channel, crc_mode, lqi) = match version {
        1 => {
            let channel = r.u8("ZEP channel")?;
            r.u16_be("ZEP device id")?;
            let mode = r.u8("ZEP CRC/LQI mode")?;
            let lqi = r.u8("ZEP LQI")?;
            r.bytes(7, "ZEP reserved")?;
            (channel, mode != 0, lqi)
        }
        2 => {
            let kind = r.u8("ZEP type")?;
            if kind == 2 {
                r.u32_be("ZEP sequence number")?;
                return Err(Failure {
                    error: DecodeError::new(
                        Layer::Capture,
                        base + 3,
                        DecodeErrorKind::Invalid {
                            field: "ZEP v2 ack (carries no frame), type",
                            value: 2,
                        },
                    ),
                    cause: ErrorCause::NoFrame,
                });
            }
            let channel = r.u8("ZEP channel")?;
            r.u16_be("ZEP device id")?;
            let mode = r.u8("ZEP CRC/LQI mode")?;
            let lqi = r.u8("ZEP LQI")?;
            r.bytes(8, "ZEP NTP timestamp")?;
            r.u32_be("ZEP sequence number")?;
            r.bytes(10, "ZEP reserved")?;
            (channel, mode != 0, lqi)
        }
        other => {
            return Err(Failure::unsupported(
                base + 2,
                "ZEP version",
                u64::from(other),
            ));
        }
    };
    let len_at = base + r.pos();
    let len = usize::from(r.u8("ZEP length")? & 0x7f);
    let frame = r.bytes(len, "ZEP frame")?;
    if !r.is_empty() {
        return Err(Failure::malformed(r.error(
            DecodeErrorKind::TrailingBytes {
                count: r.remaining(),
            },
        )));
    }
    if len < 2 {
        return Err(Failure::invalid(
            len_at,
            "ZEP length (below the 2 FCS bytes)",
            len as u64,
        ));
    }
    Ok(Linked {
        frame,
        fcs: if crc_mode {
            FcsPresence::Present
        } else {
            FcsPresence::TiMetadata
        },
        channel: Some(channel),
        rssi: None,
        lqi: (!crc_mode).then_some(lqi),
    })
}
