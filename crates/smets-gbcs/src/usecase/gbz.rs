//! The GBZ use cases of a head-end at the level of meaning (GBCS 7.2.3,
//! 7.3.4 and the GBZ use-case tables): gas register, prepayment registers,
//! meter balance, profile, daily read and daily consumption logs, event
//! logs, firmware version, top-up, emergency credit and the GBZ alerts,
//! typed from their ZCL components; their commands built byte for byte.
//! Decryption is not done here: encrypted components come in as plaintexts.
//! GCS01a's tariff write is typed in its command and its answer.

use core::fmt;

use bytes::BufMut;
use smets_core::time::Utc2000;
use smets_core::{DecodeError, Encode, EncodeError, Reader};
use smets_zigbee::zcl::cluster::metering::UnitOfMeasure;
use smets_zigbee::zcl::cluster::prepayment::{ORIGINATING_DEVICE, RESULT_TYPE};
use smets_zigbee::zcl::foundation::{ReadAttributeStatus, Record, Status};
use smets_zigbee::zcl::types::ZclValue;
use smets_zigbee::zcl::{FrameControl, FrameType, ZclFrame};

use super::{AlertCode, Encrypted, LAYER, Protected};
use crate::envelope::CraFlag;
use crate::gbz::{
    AlertContentKind, ComponentList, GbzBody, GbzComponent, GbzControl, GbzKind, GbzPayload,
};
use crate::protected::{GBZ_CONTROL_LAST, GBZ_PROFILE_ID};

/// GCS13a Read GSME Consumption Register.
pub const GCS13A: u16 = 0x0074;
/// GCS01a Set Tariff and Price on GSME.
pub const GCS01A: u16 = 0x006B;
/// GCS01b Set Price on GSME.
pub const GCS01B: u16 = 0x00A3;
/// GCS21f Read GSME Tariff Data.
pub const GCS21F: u16 = 0x009F;
/// GCS16a Read GSME Daily Read Log.
pub const GCS16A: u16 = 0x0077;
/// GCS17 Read GSME Profile Data Log.
pub const GCS17: u16 = 0x0078;
/// GCS38 Read GSME Firmware Version.
pub const GCS38: u16 = 0x0084;
/// GCS53 Push Billing Data Log as an Alert.
pub const GCS53: u16 = 0x008B;
/// CS01b Apply Prepayment Top Up to a GSME.
pub const CS01B: u16 = 0x0097;
/// GCS61 Read Gas Daily Consumption Log.
pub const GCS61: u16 = 0x00A0;
/// CS10a Read ZigBee Device Event Log.
pub const CS10A: u16 = 0x0014;
/// CS10b Read ZigBee Device Security Log.
pub const CS10B: u16 = 0x00A1;
/// GCS06 Activate Emergency Credit Remotely on GSME.
pub const GCS06: u16 = 0x0070;
/// GCS14 Read GSME Prepayment Registers.
pub const GCS14: u16 = 0x0075;
/// GCS60 Read Meter Balance for GSME.
pub const GCS60: u16 = 0x008D;
/// GCS60a Read Meter Balance for GSME (the RTDS 4.18 variant).
pub const GCS60A: u16 = 0x012A;
/// Future Dated Execution Of Instruction Alert (GBZ form).
pub const FUTURE_DATED_ALERT: u16 = 0x00CD;
/// Firmware Distribution Receipt Alert (GSME).
pub const FIRMWARE_RECEIPT_ALERT: u16 = 0x00CF;
/// Generic Critical Alert (GBZ form).
pub const GENERIC_CRITICAL_ALERT: u16 = 0x1000;
/// Generic Non Critical Alert (GBZ form).
pub const GENERIC_NON_CRITICAL_ALERT: u16 = 0x1001;

/// Metering cluster (ZigBee SE 1.4 10.4).
pub const METERING: u16 = 0x0702;
/// Prepayment cluster (ZigBee SE 1.4 10.7).
pub const PREPAYMENT: u16 = 0x0705;
/// Calendar cluster (ZigBee SE 1.4 10.9).
pub const CALENDAR: u16 = 0x0707;
/// Events cluster (ZigBee SE 1.4 10.11).
pub const EVENTS: u16 = 0x0709;
/// Price cluster (ZigBee SE 1.4 10.2).
pub const PRICE: u16 = 0x0700;

/// ZCL frame control of a profile-wide command, client to server.
const FC_GLOBAL_TO_SERVER: u8 = 0x00;
/// ZCL frame control of a cluster command, client to server.
const FC_CLUSTER_TO_SERVER: u8 = 0x01;
/// Read Attributes (ZCL rev. 8 2.5.1).
const READ_ATTRIBUTES: u8 = 0x00;
/// Read Attributes Response (ZCL rev. 8 2.5.2).
const READ_ATTRIBUTES_RESPONSE: u8 = 0x01;
/// Default Response (ZCL rev. 8 2.5.12).
const DEFAULT_RESPONSE: u8 = 0x0B;
/// Metering Get Sampled Data (ZigBee SE 1.4 10.4.3.3.8), client to server.
const GET_SAMPLED_DATA: u8 = 0x08;
/// Metering Get Sampled Data Response (ZigBee SE 1.4 10.4.3.4.7).
const GET_SAMPLED_DATA_RESPONSE: u8 = 0x07;
/// Metering Get Snapshot (ZigBee SE 1.4 10.4.3.3.6), client to server.
const GET_SNAPSHOT: u8 = 0x06;
/// Metering Publish Snapshot (ZigBee SE 1.4 10.4.3.4.6).
const PUBLISH_SNAPSHOT: u8 = 0x06;
/// Events Get Event Log (ZigBee SE 1.4 10.11.3.2.1), client to server.
const GET_EVENT_LOG: u8 = 0x00;
/// Events Publish Event Log (ZigBee SE 1.4 10.11.3.3.2).
const PUBLISH_EVENT_LOG: u8 = 0x01;
/// Prepayment Select Available Emergency Credit (ZigBee SE 1.4 10.7.3.3.1).
const SELECT_AVAILABLE_EMERGENCY_CREDIT: u8 = 0x00;
/// Prepayment Consumer Top Up (ZigBee SE 1.4 10.7.3.3.5).
const CONSUMER_TOP_UP: u8 = 0x04;
/// Prepayment Consumer Top Up Response (ZigBee SE 1.4 10.7.3.4.3).
const CONSUMER_TOP_UP_RESPONSE: u8 = 0x03;

/// The GCS13a attributes in the order GBCS reads them: Divisor,
/// Multiplier, UnitofMeasure, CurrentSummationDelivered.
const REGISTER_ATTRIBUTES: [u16; 4] = [0x0302, 0x0301, 0x0300, 0x0000];
/// Metering CurrentMeterID, the firmware version GCS38 reads.
const FIRMWARE_VERSION_ATTRIBUTE: u16 = 0x0206;
/// Length of a UTRN (GBCS CS01b): 20 ASCII digits.
pub const UTRN_LEN: usize = 20;
/// Snapshot payload type of a billing data log (GBCS GCS53): TOU
/// information set and block tier information set, delivered.
pub const SNAPSHOT_TOU_AND_BLOCK: u8 = 6;

/// Whether [`decode`] types this message code and CRA flag.
#[must_use]
pub const fn handles(message_code: u16, cra: CraFlag) -> bool {
    match message_code {
        CS10A | CS10B | GCS06 | GCS13A | GCS14 | GCS16A | GCS21F | GCS17 | GCS38 | GCS60
        | GCS60A | CS01B | GCS61 => {
            matches!(cra, CraFlag::Command | CraFlag::Response)
        }
        GCS01A | GCS01B => matches!(cra, CraFlag::Command | CraFlag::Response),
        GCS53
        | FUTURE_DATED_ALERT
        | FIRMWARE_RECEIPT_ALERT
        | GENERIC_CRITICAL_ALERT
        | GENERIC_NON_CRITICAL_ALERT => {
            matches!(cra, CraFlag::Alert)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Shared shapes.

/// A ZCL status (ZCL rev. 8 2.6.3) as a device returned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZclStatus(pub Status);

impl ZclStatus {
    /// "Not found" (0x8B): GBCS uses it for a log entry that does not exist.
    pub const NOT_FOUND: Self = Self(Status::NotFound);
}

impl fmt::Display for ZclStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.label() {
            Some(l) => f.write_str(l),
            None => write!(f, "0x{:02x}", self.0.value()),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ZclStatus {
    /// The status name when ZCL gives one, else the number.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.label() {
            Some(l) => s.serialize_str(l),
            None => s.serialize_u8(self.0.value()),
        }
    }
}

/// A command a device did not answer with the use case's response: the
/// ZCL Default Response it sent instead (ZCL rev. 8 2.5.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DefaultResponse {
    /// The command the status is about.
    pub command_id: u8,
    /// The status, e.g. "not_found" (0x8B) for a missing log entry.
    pub status: ZclStatus,
}

/// The answer to one command of a GBZ response: the use case's response,
/// or a Default Response in its place (GBCS 7.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ZclReply<T> {
    /// The response.
    Value(T),
    /// The Default Response sent instead.
    Failed(DefaultResponse),
}

impl<T> ZclReply<T> {
    /// The response, when there is one.
    #[must_use]
    pub const fn value(&self) -> Option<&T> {
        match self {
            Self::Value(t) => Some(t),
            Self::Failed(_) => None,
        }
    }
}

/// One attribute of a Read Attributes Response (ZCL rev. 8 2.5.2.1): its
/// value, or the status in place of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Attr<T> {
    /// The value.
    Value(T),
    /// The read failed with this status.
    Failed(ZclStatus),
}

impl<T> Attr<T> {
    /// The value, when the read succeeded.
    #[must_use]
    pub const fn value(&self) -> Option<&T> {
        match self {
            Self::Value(t) => Some(t),
            Self::Failed(_) => None,
        }
    }
}

impl<T: Copy> Attr<T> {
    fn get(&self) -> Option<T> {
        self.value().copied()
    }
}

/// UnitofMeasure of the Metering cluster (ZigBee SE 1.4 10.4.2.2.4.1),
/// named by its label (`m3_binary`, `kwh_binary`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeteringUnit(pub UnitOfMeasure);

#[cfg(feature = "serde")]
impl serde::Serialize for MeteringUnit {
    /// The label when the value has one, else the number.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.label() {
            Some(l) => s.serialize_str(l),
            None => s.serialize_u8(self.0.value()),
        }
    }
}

/// Octets that serialize as upper-case hex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Octets<'a>(pub &'a [u8]);

#[cfg(feature = "serde")]
impl serde::Serialize for Octets<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use fmt::Write;
        let mut out = alloc::string::String::with_capacity(self.0.len() * 2);
        for b in self.0 {
            let _ = write!(out, "{b:02X}");
        }
        s.serialize_str(&out)
    }
}

/// Little-endian unsigned integers of `WIDTH` octets packed one after the
/// other (ZCL uint24 samples, uint48 registers), borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PackedUints<'a, const WIDTH: usize>(&'a [u8]);

impl<'a, const WIDTH: usize> PackedUints<'a, WIDTH> {
    /// The number of values.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.0.len() / WIDTH
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u64> + Clone + use<'a, WIDTH> {
        self.0.chunks_exact(WIDTH).map(|c| {
            c.iter()
                .rev()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
        })
    }

    /// The octets as sent.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

#[cfg(feature = "serde")]
impl<const WIDTH: usize> serde::Serialize for PackedUints<'_, WIDTH> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The clear ZCL payload of a component: in the frame, or from the
/// plaintexts by the offset of its security control byte; with the offset
/// its errors are shifted by (ciphertext errors point at the ciphertext).
fn component_payload<'a>(
    at: usize,
    c: &GbzComponent<'a>,
    plaintexts: &[(usize, &'a [u8])],
) -> Result<(&'a [u8], usize), Encrypted> {
    let date = if c.from_date_time.is_some() { 4 } else { 0 };
    match (c.zcl_frame(), c.ciphered_offset(), c.ciphered()) {
        (Some(f), _, _) => {
            let header = f.encoded_len() - f.payload.len();
            Ok((
                f.payload,
                at + crate::gbz::EXTENDED_HEADER_LEN + date + header,
            ))
        }
        (None, Some(off), Some(ci)) => {
            let sc = at + off;
            plaintexts
                .iter()
                .find(|(o, _)| *o == sc)
                .map(|(_, p)| (*p, sc + crate::protected::SECURITY_HEADER_LEN))
                .ok_or(Encrypted {
                    offset: sc,
                    ciphered_len: ci.encoded_len(),
                })
        }
        _ => Err(Encrypted {
            offset: at,
            ciphered_len: 0,
        }),
    }
}

/// A reader over the ZCL payload of a component in clear, reporting
/// offsets in the GBZ payload (`at` is the component's); an encrypted
/// component is an error at its control byte.
fn clear_payload<'a>(at: usize, c: &GbzComponent<'a>) -> Result<Reader<'a>, DecodeError> {
    let f = c
        .zcl_frame()
        .ok_or_else(|| DecodeError::invalid(LAYER, at, "gbz extended header control", 3))?;
    let date = if c.from_date_time.is_some() { 4 } else { 0 };
    let header = f.encoded_len() - f.payload.len();
    Ok(Reader::with_base(
        f.payload,
        LAYER,
        at + crate::gbz::EXTENDED_HEADER_LEN + date + header,
    ))
}

/// Reads the one component a use case answers with: cluster `cluster`, the
/// response `command_id` (of `frame_type`) read by `read`, or a Default
/// Response in its place.
fn reply<'a, T>(
    at: usize,
    c: &GbzComponent<'a>,
    plaintexts: &[(usize, &'a [u8])],
    cluster: u16,
    frame_type: FrameType,
    command_id: u8,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Protected<ZclReply<T>>, DecodeError> {
    if c.cluster_id != cluster {
        return Err(DecodeError::invalid(
            LAYER,
            at + 1,
            "gbz cluster id",
            u64::from(c.cluster_id),
        ));
    }
    let h = c.zcl_header();
    let date = if c.from_date_time.is_some() { 4 } else { 0 };
    let additional = if c.is_encrypted() { 2 } else { 0 };
    let hdr_at = at + crate::gbz::EXTENDED_HEADER_LEN + date + additional;
    let default =
        h.frame_control.frame_type == FrameType::Global && h.command_id == DEFAULT_RESPONSE;
    if !default && (h.frame_control.frame_type != frame_type || h.command_id != command_id) {
        return Err(DecodeError::invalid(
            LAYER,
            hdr_at + 2,
            "zcl command id",
            u64::from(h.command_id),
        ));
    }
    let (payload, base) = match component_payload(at, c, plaintexts) {
        Ok(p) => p,
        Err(e) => return Ok(Protected::Encrypted(e)),
    };
    // A plaintext is as long as its ciphertext; errors in it then point at
    // the matching ciphertext byte, inside the payload.
    if let Some(ci) = c.ciphered()
        && payload.len() != ci.ciphertext.len()
    {
        return Err(DecodeError::invalid(
            LAYER,
            base - crate::protected::SECURITY_HEADER_LEN,
            "plaintext length",
            payload.len() as u64,
        ));
    }
    let mut r = Reader::with_base(payload, smets_core::Layer::Zcl, base);
    let v = if default {
        let command_id = r.u8("command identifier")?;
        let status = ZclStatus(Status::from(r.u8("status")?));
        ZclReply::Failed(DefaultResponse { command_id, status })
    } else {
        ZclReply::Value(read(&mut r)?)
    };
    r.finish()?;
    Ok(Protected::Decrypted(v))
}

/// Reads a Read Attributes Response whose records answer `ids` in order.
fn read_attributes<'a, const N: usize>(
    r: &mut Reader<'a>,
    ids: [u16; N],
) -> Result<[(usize, Attr<ZclValue<'a>>); N], DecodeError> {
    let mut out = [(0, Attr::Failed(ZclStatus(Status::Failure))); N];
    for (slot, want) in out.iter_mut().zip(ids) {
        let at = r.offset();
        let rec = ReadAttributeStatus::read(r)?;
        if rec.id != want {
            return Err(DecodeError::invalid(
                LAYER,
                at,
                "attribute identifier",
                u64::from(rec.id),
            ));
        }
        *slot = (
            at,
            match rec.value {
                Some(v) => Attr::Value(v),
                None => Attr::Failed(ZclStatus(rec.status)),
            },
        );
    }
    Ok(out)
}

/// Reads a Read Attributes Response whose records answer each of `ids`
/// once, in any order (GCS14's device answers in its own order); the
/// values come back in the order of `ids`.
fn read_attributes_any<'a, const N: usize>(
    r: &mut Reader<'a>,
    ids: [u16; N],
) -> Result<[(usize, Attr<ZclValue<'a>>); N], DecodeError> {
    let mut out = [(0, Attr::Failed(ZclStatus(Status::Failure))); N];
    let mut seen = [false; N];
    for _ in 0..N {
        let at = r.offset();
        let rec = ReadAttributeStatus::read(r)?;
        let slot = ids
            .iter()
            .position(|i| *i == rec.id)
            .filter(|k| seen.get(*k) == Some(&false))
            .ok_or_else(|| {
                DecodeError::invalid(LAYER, at, "attribute identifier", u64::from(rec.id))
            })?;
        if let (Some(o), Some(s)) = (out.get_mut(slot), seen.get_mut(slot)) {
            *s = true;
            *o = (
                at,
                match rec.value {
                    Some(v) => Attr::Value(v),
                    None => Attr::Failed(ZclStatus(rec.status)),
                },
            );
        }
    }
    Ok(out)
}

/// An attribute's value as a signed integer that fits `T`.
fn signed<T: TryFrom<i64>>(at: usize, a: Attr<ZclValue<'_>>) -> Result<Attr<T>, DecodeError> {
    match a {
        Attr::Value(ZclValue::Signed(_, v)) => T::try_from(v)
            .map(Attr::Value)
            .map_err(|_| DecodeError::invalid(LAYER, at + 4, "attribute value", v as u64)),
        Attr::Value(v) => Err(DecodeError::invalid(
            LAYER,
            at + 3,
            "attribute data type",
            u64::from(v.data_type().value()),
        )),
        Attr::Failed(s) => Ok(Attr::Failed(s)),
    }
}

/// An attribute's value as an unsigned integer (or bitmap) that fits `T`.
fn unsigned_as<T: TryFrom<u64>>(at: usize, a: Attr<ZclValue<'_>>) -> Result<Attr<T>, DecodeError> {
    let a = match a {
        Attr::Value(ZclValue::Bits(_, v)) => Attr::Value(v),
        other => unsigned(at, other)?,
    };
    match a {
        Attr::Value(v) => T::try_from(v)
            .map(Attr::Value)
            .map_err(|_| DecodeError::invalid(LAYER, at + 4, "attribute value", v)),
        Attr::Failed(s) => Ok(Attr::Failed(s)),
    }
}

/// The two components of a two-part payload, with their offsets.
fn two<'a>(p: &GbzPayload<'a>) -> Result<[(usize, GbzComponent<'a>); 2], DecodeError> {
    let mut it = p.components_with_offsets();
    match (it.next(), it.next(), it.next()) {
        (Some(a), Some(b), None) => Ok([a, b]),
        _ => Err(DecodeError::invalid(
            LAYER,
            2,
            "gbz component count",
            u64::from(p.header.component_count),
        )),
    }
}

/// An attribute's value as an unsigned integer.
fn unsigned(at: usize, a: Attr<ZclValue<'_>>) -> Result<Attr<u64>, DecodeError> {
    match a {
        Attr::Value(ZclValue::Unsigned(_, v)) => Ok(Attr::Value(v)),
        Attr::Value(v) => Err(DecodeError::invalid(
            LAYER,
            at + 3,
            "attribute data type",
            u64::from(v.data_type().value()),
        )),
        Attr::Failed(s) => Ok(Attr::Failed(s)),
    }
}

fn narrow(at: usize, a: Attr<u64>) -> Result<Attr<u32>, DecodeError> {
    match a {
        Attr::Value(v) => u32::try_from(v)
            .map(Attr::Value)
            .map_err(|_| DecodeError::invalid(LAYER, at + 4, "attribute value", v)),
        Attr::Failed(s) => Ok(Attr::Failed(s)),
    }
}

/// A component in clear carrying `payload` with ZCL frame control `fc`.
fn plain_component<'p>(
    last: bool,
    cluster: u16,
    fc: u8,
    tsn: u8,
    command_id: u8,
    payload: &'p [u8],
) -> GbzComponent<'p> {
    GbzComponent::plain(
        GbzControl {
            last,
            encrypted: false,
            from_date_time: false,
            reserved: 0,
        },
        cluster,
        None,
        ZclFrame {
            frame_control: FrameControl::from_byte(fc),
            manufacturer: None,
            tsn,
            command_id,
            payload,
        },
    )
}

/// Checks that `payload` is exactly what `request` builds, pointing at the
/// first octet that differs.
fn same_as_built<T: Encode>(request: T, payload: &[u8]) -> Result<T, DecodeError> {
    // RTDS's longest command typed here is GCS16a's, 654 octets; a GCS01a
    // command with many day profiles or special days runs longer, and one
    // past this bound is refused.
    let mut buf = [0u8; 2048];
    let n = request.encoded_len();
    let mut w: &mut [u8] = &mut buf;
    request
        .encode(&mut w)
        .map_err(|_| DecodeError::invalid(LAYER, 0, "gbz command", 0))?;
    let built = buf.get(..n).unwrap_or_default();
    if built == payload {
        return Ok(request);
    }
    let at = built
        .iter()
        .zip(payload)
        .position(|(a, b)| a != b)
        .unwrap_or(built.len().min(payload.len()));
    let got = payload.get(at).copied().map_or(0, u64::from);
    Err(DecodeError::invalid(LAYER, at, "gbz command", got))
}

/// The one component of a command or response payload, with its offset.
fn single<'a>(p: &GbzPayload<'a>) -> Result<(usize, GbzComponent<'a>), DecodeError> {
    let mut it = p.components_with_offsets();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(DecodeError::invalid(
            LAYER,
            2,
            "gbz component count",
            u64::from(p.header.component_count),
        )),
    }
}

// ---------------------------------------------------------------------------
// A1 GCS13a: consumption register.

/// Prepayment attributes GCS14 reads: AccumulatedDebt,
/// EmergencyCreditRemaining, CreditRemaining, DebtAmount3, DebtAmount1,
/// DebtAmount2.
const PREPAY_ATTRIBUTES: [u16; 6] = [0x0005, 0x0002, 0x0001, 0x0231, 0x0211, 0x0221];
/// Price attributes GCS14 reads: PriceTrailingDigit, Currency.
const PRICE_ATTRIBUTES: [u16; 2] = [0x0617, 0x0616];
/// Metering BillToDateDelivered (ZigBee SE 1.4 10.4.2.2.8).
const BILL_TO_DATE_ATTRIBUTE: u16 = 0x0A00;
/// Prepayment CreditRemaining (ZigBee SE 1.4 10.7.2.1).
const CREDIT_REMAINING_ATTRIBUTE: u16 = 0x0001;

/// A GBZ read whose content the use case fixes completely, one Read
/// Attributes per component with transaction sequence numbers 0, 1, ...
/// (GBCS 7.3.4 and the use cases' GBZ templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ReadRequest {
    /// GCS13a Read GSME Consumption Register: Metering Divisor,
    /// Multiplier, UnitofMeasure, CurrentSummationDelivered.
    ConsumptionRegister,
    /// GCS14 Read GSME Prepayment Registers: Price PriceTrailingDigit and
    /// Currency, then the Prepayment credit and debt registers.
    PrepaymentRegisters,
    /// GCS38 Read GSME Firmware Version: Metering CurrentMeterID.
    FirmwareVersion,
    /// GCS60 and GCS60a Read Meter Balance: Metering BillToDateDelivered,
    /// then Prepayment CreditRemaining.
    MeterBalance,
}

impl ReadRequest {
    /// The message code of the use case (GCS60 for the meter balance; GCS60a
    /// sends the same payload).
    #[must_use]
    pub const fn message_code(self) -> u16 {
        match self {
            Self::ConsumptionRegister => GCS13A,
            Self::PrepaymentRegisters => GCS14,
            Self::FirmwareVersion => GCS38,
            Self::MeterBalance => GCS60,
        }
    }

    /// The read for message code `code`, if it is one of these.
    #[must_use]
    pub const fn for_code(code: u16) -> Option<Self> {
        match code {
            GCS13A => Some(Self::ConsumptionRegister),
            GCS14 => Some(Self::PrepaymentRegisters),
            GCS38 => Some(Self::FirmwareVersion),
            GCS60 | GCS60A => Some(Self::MeterBalance),
            _ => None,
        }
    }

    /// The components: cluster and attribute ids of each.
    const fn reads(self) -> &'static [(u16, &'static [u16])] {
        match self {
            Self::ConsumptionRegister => &[(METERING, &REGISTER_ATTRIBUTES)],
            Self::PrepaymentRegisters => {
                &[(PRICE, &PRICE_ATTRIBUTES), (PREPAYMENT, &PREPAY_ATTRIBUTES)]
            }
            Self::FirmwareVersion => &[(METERING, &[FIRMWARE_VERSION_ATTRIBUTE])],
            Self::MeterBalance => &[
                (METERING, &[BILL_TO_DATE_ATTRIBUTE]),
                (PREPAYMENT, &[CREDIT_REMAINING_ATTRIBUTE]),
            ],
        }
    }

    fn with_list<R>(self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let reads = self.reads();
        let mut bufs = [[0u8; 12]; 2];
        for ((_, ids), buf) in reads.iter().zip(bufs.iter_mut()) {
            for (chunk, id) in buf.chunks_exact_mut(2).zip(ids.iter()) {
                chunk.copy_from_slice(&id.to_le_bytes());
            }
        }
        let comp = |i: usize| {
            let (cluster, ids) = reads.get(i).copied().unwrap_or((METERING, &[]));
            let payload = bufs
                .get(i)
                .and_then(|b| b.get(..ids.len() * 2))
                .unwrap_or_default();
            // At most two components.
            #[allow(clippy::cast_possible_truncation)]
            let tsn = i as u8;
            plain_component(
                i + 1 == reads.len(),
                cluster,
                FC_GLOBAL_TO_SERVER,
                tsn,
                READ_ATTRIBUTES,
                payload,
            )
        };
        let two = [comp(0), comp(1)];
        f(&ComponentList {
            alert: None,
            components: two.get(..reads.len()).unwrap_or_default(),
        })
    }
}

impl Encode for ReadRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
    }
}

/// The GSME consumption register (GBCS GCS13a; ZigBee SE 1.4 10.4.2.2.1
/// and 10.4.2.2.4): CurrentSummationDelivered in units of `unit_of_measure`
/// after `× multiplier / divisor`. Each attribute may have failed alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConsumptionRegister {
    /// CurrentSummationDelivered (uint48) as sent.
    pub summation: Attr<u64>,
    /// Multiplier (uint24).
    pub multiplier: Attr<u32>,
    /// Divisor (uint24).
    pub divisor: Attr<u32>,
    /// UnitofMeasure (enum8), e.g. `m3_binary`.
    pub unit_of_measure: Attr<MeteringUnit>,
}

impl ConsumptionRegister {
    /// The register in `unit_of_measure`: `summation × multiplier /
    /// divisor`; `None` when an attribute failed or the divisor is 0.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn to_f64(&self) -> Option<f64> {
        let d = self.divisor.get().filter(|d| *d != 0)?;
        let v = self.summation.get()? as f64 * f64::from(self.multiplier.get()?);
        Some(v / f64::from(d))
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [(ad, d), (am, m), (au, u), (as_, s)] = read_attributes(r, REGISTER_ATTRIBUTES)?;
        let unit_of_measure = match u {
            Attr::Value(ZclValue::Enum8(v)) => Attr::Value(MeteringUnit(UnitOfMeasure::from(v))),
            Attr::Value(v) => {
                return Err(DecodeError::invalid(
                    LAYER,
                    au + 3,
                    "attribute data type",
                    u64::from(v.data_type().value()),
                ));
            }
            Attr::Failed(s) => Attr::Failed(s),
        };
        Ok(Self {
            summation: unsigned(as_, s)?,
            multiplier: narrow(am, unsigned(am, m)?)?,
            divisor: narrow(ad, unsigned(ad, d)?)?,
            unit_of_measure,
        })
    }
}

/// The GSME firmware version (GBCS GCS38): Metering CurrentMeterID
/// (ZigBee SE 1.4 10.4.2.2.3), an octet string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FirmwareVersion<'a> {
    /// The version octets.
    pub version: Attr<Octets<'a>>,
}

impl<'a> FirmwareVersion<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let [(at, v)] = read_attributes(r, [FIRMWARE_VERSION_ATTRIBUTE])?;
        let version = match v {
            Attr::Value(ZclValue::OctetString(Some(b))) => Attr::Value(Octets(b)),
            Attr::Value(v) => {
                return Err(DecodeError::invalid(
                    LAYER,
                    at + 3,
                    "attribute data type",
                    u64::from(v.data_type().value()),
                ));
            }
            Attr::Failed(s) => Attr::Failed(s),
        };
        Ok(Self { version })
    }
}

// ---------------------------------------------------------------------------
// A2 GCS17 and GCS61: profile data and daily consumption logs.

/// Which sampled log a Get Sampled Data reads (GBCS GCS17, GCS61): the
/// sample id GBCS gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SampledLog {
    /// GCS17 profile data log: sample id 0, half-hourly consumption.
    ProfileData,
    /// GCS61 daily consumption log: sample id 1.
    DailyConsumption,
}

impl SampledLog {
    /// The sample id (ZigBee SE 1.4 10.4.3.3.8).
    #[must_use]
    pub const fn sample_id(self) -> u16 {
        match self {
            Self::ProfileData => 0,
            Self::DailyConsumption => 1,
        }
    }

    /// The message code of the use case.
    #[must_use]
    pub const fn message_code(self) -> u16 {
        match self {
            Self::ProfileData => GCS17,
            Self::DailyConsumption => GCS61,
        }
    }

    const fn for_code(code: u16) -> Option<Self> {
        match code {
            GCS17 => Some(Self::ProfileData),
            GCS61 => Some(Self::DailyConsumption),
            _ => None,
        }
    }
}

/// A Get Sampled Data command (ZigBee SE 1.4 10.4.3.3.8) as GCS17 and GCS61
/// send it: the log's sample id, the earliest sample time, sample type 0
/// (consumption delivered) and the number of samples; transaction
/// sequence number 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SampledDataRequest {
    /// The log read.
    pub log: SampledLog,
    /// EarliestSampleTime.
    pub earliest_sample_time: Utc2000,
    /// SampleType (0: consumption delivered).
    pub sample_type: u8,
    /// NumberOfSamples.
    pub number_of_samples: u16,
}

impl SampledDataRequest {
    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut p = [0u8; 9];
        let [a, b, c, d, e, g, h, i, j] = &mut p;
        [*a, *b] = self.log.sample_id().to_le_bytes();
        [*c, *d, *e, *g] = self.earliest_sample_time.0.to_le_bytes();
        *h = self.sample_type;
        [*i, *j] = self.number_of_samples.to_le_bytes();
        let comp = [plain_component(
            true,
            METERING,
            FC_CLUSTER_TO_SERVER,
            0,
            GET_SAMPLED_DATA,
            &p,
        )];
        f(&ComponentList {
            alert: None,
            components: &comp,
        })
    }

    fn decode(log: SampledLog, payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let (at, c) = single(&p)?;
        let mut r = clear_payload(at, &c)?;
        r.u16_le("sample id")?;
        let req = Self {
            log,
            earliest_sample_time: Utc2000(r.u32_le("earliest sample time")?),
            sample_type: r.u8("sample type")?,
            number_of_samples: r.u16_le("number of samples")?,
        };
        same_as_built(req, payload)
    }
}

impl Encode for SampledDataRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
    }
}

/// A Get Sampled Data Response (ZigBee SE 1.4 10.4.3.4.7): GCS17's
/// profile data log and GCS61's daily consumption log, uint24 samples
/// from `sample_start_time` at `sample_request_interval` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SampledData<'a> {
    /// SampleID: 0 profile data, 1 daily consumption.
    pub sample_id: u16,
    /// SampleStartTime: the time of the first sample.
    pub sample_start_time: Utc2000,
    /// SampleType (0: consumption delivered).
    pub sample_type: u8,
    /// SampleRequestInterval in seconds; GCS61 sends 0xFFFF.
    pub sample_request_interval: u16,
    /// The samples (uint24 each), in time order.
    pub samples: PackedUints<'a, 3>,
}

impl<'a> SampledData<'a> {
    /// The interval between samples in seconds; `None` for 0xFFFF, which
    /// the daily consumption log sends in place of a period.
    #[must_use]
    pub const fn interval_s(&self) -> Option<u32> {
        match self.sample_request_interval {
            0xFFFF => None,
            s => Some(s as u32),
        }
    }

    /// Each sample with its time (start + i × interval), when the interval
    /// is a period.
    pub fn timed_samples(&self) -> Option<impl Iterator<Item = (Utc2000, u32)> + use<'a>> {
        let step = self.interval_s()?;
        let start = self.sample_start_time.0;
        Some(self.samples.iter().zip(0u32..).map(move |(v, i)| {
            (
                Utc2000(start.wrapping_add(i.wrapping_mul(step))),
                // A uint24 sample fits.
                u32::try_from(v).unwrap_or(u32::MAX),
            )
        }))
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let sample_id = r.u16_le("sample id")?;
        let sample_start_time = Utc2000(r.u32_le("sample start time")?);
        let sample_type = r.u8("sample type")?;
        let sample_request_interval = r.u16_le("sample request interval")?;
        let n = r.u16_le("number of samples")?;
        let samples = PackedUints(r.bytes(usize::from(n) * 3, "samples")?);
        Ok(Self {
            sample_id,
            sample_start_time,
            sample_type,
            sample_request_interval,
            samples,
        })
    }
}

// ---------------------------------------------------------------------------
// A3 GCS16a: daily read log.

/// Days in a GSME daily read log, and components in a GCS16a command and
/// response (GBCS GCS16a).
pub const DAILY_READ_LOG_DAYS: usize = 31;

/// GCS16a's command (GBCS GCS16a): 31 Get Snapshot commands (ZigBee SE 1.4
/// 10.4.3.3.6), one per day, alike but for the snapshot offset and the
/// transaction sequence number, both the component's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DailyReadLogRequest {
    /// EarliestStartTime.
    pub earliest_start_time: Utc2000,
    /// LatestEndTime.
    pub latest_end_time: Utc2000,
    /// SnapshotCause (bitmap32; RTDS asks for 1, general).
    pub snapshot_cause: u32,
}

impl DailyReadLogRequest {
    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut bufs = [[0u8; 13]; DAILY_READ_LOG_DAYS];
        for (i, b) in (0u8..).zip(bufs.iter_mut()) {
            let [a0, a1, a2, a3, b0, b1, b2, b3, o, c0, c1, c2, c3] = b;
            [*a0, *a1, *a2, *a3] = self.earliest_start_time.0.to_le_bytes();
            [*b0, *b1, *b2, *b3] = self.latest_end_time.0.to_le_bytes();
            *o = i;
            [*c0, *c1, *c2, *c3] = self.snapshot_cause.to_le_bytes();
        }
        let mut i = 0u8;
        let comps = bufs.each_ref().map(|b| {
            let c = plain_component(
                usize::from(i) + 1 == DAILY_READ_LOG_DAYS,
                METERING,
                FC_CLUSTER_TO_SERVER,
                i,
                GET_SNAPSHOT,
                b,
            );
            i = i.wrapping_add(1);
            c
        });
        f(&ComponentList {
            alert: None,
            components: &comps,
        })
    }

    fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let (at, c) = p
            .components_with_offsets()
            .next()
            .ok_or_else(|| DecodeError::invalid(LAYER, 2, "gbz component count", 0))?;
        let mut r = clear_payload(at, &c)?;
        let earliest_start_time = Utc2000(r.u32_le("earliest start time")?);
        let latest_end_time = Utc2000(r.u32_le("latest end time")?);
        r.u8("snapshot offset")?;
        let req = Self {
            earliest_start_time,
            latest_end_time,
            snapshot_cause: r.u32_le("snapshot cause")?,
        };
        same_as_built(req, payload)
    }
}

impl Encode for DailyReadLogRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
    }
}

/// GCS16a's answer (GBCS GCS16a): for each of the 31 days asked for, in
/// order, the day's snapshot (encrypted) or a Default Response, "not
/// found" for a day the log does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DailyReadLog<'a> {
    /// One entry per component.
    pub days: [Protected<ZclReply<BillingSnapshot<'a>>>; DAILY_READ_LOG_DAYS],
}

impl<'a> DailyReadLog<'a> {
    fn decode(p: &GbzPayload<'a>, plaintexts: &[(usize, &'a [u8])]) -> Result<Self, DecodeError> {
        if usize::from(p.header.component_count) != DAILY_READ_LOG_DAYS {
            return Err(DecodeError::invalid(
                LAYER,
                2,
                "gbz component count",
                u64::from(p.header.component_count),
            ));
        }
        let mut days = [Protected::Encrypted(Encrypted {
            offset: 0,
            ciphered_len: 0,
        }); DAILY_READ_LOG_DAYS];
        for (day, (at, c)) in days.iter_mut().zip(p.components_with_offsets()) {
            *day = reply(
                at,
                &c,
                plaintexts,
                METERING,
                FrameType::ClusterSpecific,
                PUBLISH_SNAPSHOT,
                BillingSnapshot::read,
            )?;
        }
        Ok(Self { days })
    }
}

// ---------------------------------------------------------------------------
// A15 CS10a and CS10b: event and security logs.

/// Which log of a ZigBee device CS10a and CS10b read (GBCS CS10a, CS10b):
/// the Events cluster log id (ZigBee SE 1.4 10.11.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EventLogKind {
    /// CS10a: the general event log, log id 3.
    Event,
    /// CS10b: the security event log, log id 4.
    Security,
}

impl EventLogKind {
    /// The Events cluster log id.
    #[must_use]
    pub const fn log_id(self) -> u8 {
        match self {
            Self::Event => 3,
            Self::Security => 4,
        }
    }

    /// The message code of the use case.
    #[must_use]
    pub const fn message_code(self) -> u16 {
        match self {
            Self::Event => CS10A,
            Self::Security => CS10B,
        }
    }

    const fn for_code(code: u16) -> Option<Self> {
        match code {
            CS10A => Some(Self::Event),
            CS10B => Some(Self::Security),
            _ => None,
        }
    }
}

/// A Get Event Log command (ZigBee SE 1.4 10.11.3.2.1) as CS10a and CS10b
/// send it: the log, the event control (high nibble of the first octet),
/// event id, time range, number of events and offset; transaction
/// sequence number 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EventLogRequest {
    /// The log read.
    pub log: EventLogKind,
    /// EventControl (0-15; RTDS CS10a sends 1).
    pub event_control: u8,
    /// EventID (0: all events).
    pub event_id: u16,
    /// StartTime.
    pub start_time: Utc2000,
    /// EndTime.
    pub end_time: Utc2000,
    /// NumberofEvents (0: all).
    pub number_of_events: u8,
    /// EventOffset.
    pub event_offset: u16,
}

impl EventLogRequest {
    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut p = [0u8; 14];
        let [c, e0, e1, s0, s1, s2, s3, t0, t1, t2, t3, n, o0, o1] = &mut p;
        *c = (self.event_control << 4) | self.log.log_id();
        [*e0, *e1] = self.event_id.to_le_bytes();
        [*s0, *s1, *s2, *s3] = self.start_time.0.to_le_bytes();
        [*t0, *t1, *t2, *t3] = self.end_time.0.to_le_bytes();
        *n = self.number_of_events;
        [*o0, *o1] = self.event_offset.to_le_bytes();
        let comp = [plain_component(
            true,
            EVENTS,
            FC_CLUSTER_TO_SERVER,
            0,
            GET_EVENT_LOG,
            &p,
        )];
        f(&ComponentList {
            alert: None,
            components: &comp,
        })
    }

    fn decode(log: EventLogKind, payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let (at, c) = single(&p)?;
        let mut r = clear_payload(at, &c)?;
        let control = r.u8("event control / log id")?;
        let req = Self {
            log,
            event_control: control >> 4,
            event_id: r.u16_le("event id")?,
            start_time: Utc2000(r.u32_le("start time")?),
            end_time: Utc2000(r.u32_le("end time")?),
            number_of_events: r.u8("number of events")?,
            event_offset: r.u16_le("event offset")?,
        };
        same_as_built(req, payload)
    }
}

impl Encode for EventLogRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.event_control > 0x0F {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "event control",
                u64::from(self.event_control),
            ));
        }
        self.with_list(|l| l.encode(out))
    }
}

/// One event of a Publish Event Log (ZigBee SE 1.4 10.11.3.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LogEvent<'a> {
    /// LogID: 3 general event log, 4 security event log, ...
    pub log_id: u8,
    /// EventID: the GBCS event or alert code.
    pub event_id: u16,
    /// EventTime.
    pub event_time: Utc2000,
    /// EventData (an octet string, empty in RTDS).
    pub event_data: Octets<'a>,
}

impl<'a> LogEvent<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let log_id = r.u8("log id")?;
        let event_id = r.u16_le("event id")?;
        let event_time = Utc2000(r.u32_le("event time")?);
        let n = r.u8("event data length")?;
        Ok(Self {
            log_id,
            event_id,
            event_time,
            event_data: Octets(r.bytes(usize::from(n), "event data")?),
        })
    }
}

/// The events of a Publish Event Log, checked and borrowed from the
/// payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogEvents<'a>(&'a [u8]);

impl<'a> LogEvents<'a> {
    /// The events in order.
    pub fn iter(&self) -> impl Iterator<Item = LogEvent<'a>> + use<'a> {
        let mut r = Reader::new(self.0, LAYER);
        core::iter::from_fn(move || {
            if r.is_empty() {
                return None;
            }
            LogEvent::read(&mut r).ok()
        })
    }

    /// The number of events.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LogEvents<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A Publish Event Log (ZigBee SE 1.4 10.11.3.3.2), CS10a's and CS10b's
/// answer: the events matching the request, in this command's share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EventLogPage<'a> {
    /// TotalNumberofMatchingEvents.
    pub total_matching_events: u16,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalCommands.
    pub total_commands: u8,
    /// NumberofEvents / LogPayloadControl (GBCS devices send 0).
    pub log_payload_control: u8,
    /// The events.
    pub events: LogEvents<'a>,
}

impl<'a> EventLogPage<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let total_matching_events = r.u16_le("total number of matching events")?;
        let command_index = r.u8("command index")?;
        let total_commands = r.u8("total commands")?;
        let log_payload_control = r.u8("log payload control")?;
        let base = r.offset();
        let rest = r.rest();
        let mut check = Reader::with_base(rest, LAYER, base);
        while !check.is_empty() {
            LogEvent::read(&mut check)?;
        }
        Ok(Self {
            total_matching_events,
            command_index,
            total_commands,
            log_payload_control,
            events: LogEvents(rest),
        })
    }
}

// ---------------------------------------------------------------------------
// A5 GCS21f: tariff read.

/// The Price attributes GCS21f reads (GBCS GCS21f; ZigBee SE 1.4 10.2.2):
/// ThresholdDivisor, ThresholdMultiplier, Block1-3Threshold,
/// UnitofMeasure, NoTierBlock1-4Price, Tier1-4Block1Price, Currency,
/// PriceTrailingDigit, StandingCharge.
const TARIFF_ATTRIBUTES: [u16; 17] = [
    0x0203, 0x0202, 0x0100, 0x0101, 0x0102, 0x0615, 0x0400, 0x0401, 0x0402, 0x0403, 0x0410, 0x0420,
    0x0430, 0x0440, 0x0616, 0x0617, 0x0301,
];
/// Get Day Profiles and Get Week Profiles as GCS21f sends them: provider
/// id 0, issuer calendar id 0xFFFFFFFF (the current one), start id 1,
/// all (0) of them.
const GET_PROFILES: [u8; 10] = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0];
/// Get Seasons: provider id 0, issuer calendar id 0xFFFFFFFF.
const GET_SEASONS: [u8; 8] = [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
/// Get Special Days: start time 0, all events, calendar type 0, provider
/// id 0, issuer calendar id 0xFFFFFFFF.
const GET_SPECIAL_DAYS: [u8; 14] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
/// Get Current Price: command options 0.
const GET_CURRENT_PRICE: [u8; 1] = [0];

/// GCS21f's command (GBCS GCS21f), fixed by the use case: a Price Read
/// Attributes of the tariff, Calendar Get Day Profiles, Get Week
/// Profiles, Get Seasons and Get Special Days (ZigBee SE 1.4 10.9.3.2),
/// and Price Get Current Price, transaction sequence numbers 0-5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffReadRequest;

impl TariffReadRequest {
    fn with_list<R>(self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut ids = [0u8; 34];
        for (c, id) in ids.chunks_exact_mut(2).zip(TARIFF_ATTRIBUTES) {
            c.copy_from_slice(&id.to_le_bytes());
        }
        let comps = [
            plain_component(false, PRICE, FC_GLOBAL_TO_SERVER, 0, READ_ATTRIBUTES, &ids),
            plain_component(
                false,
                CALENDAR,
                FC_CLUSTER_TO_SERVER,
                1,
                0x01,
                &GET_PROFILES,
            ),
            plain_component(
                false,
                CALENDAR,
                FC_CLUSTER_TO_SERVER,
                2,
                0x02,
                &GET_PROFILES,
            ),
            plain_component(false, CALENDAR, FC_CLUSTER_TO_SERVER, 3, 0x03, &GET_SEASONS),
            plain_component(
                false,
                CALENDAR,
                FC_CLUSTER_TO_SERVER,
                4,
                0x04,
                &GET_SPECIAL_DAYS,
            ),
            plain_component(
                true,
                PRICE,
                FC_CLUSTER_TO_SERVER,
                5,
                0x00,
                &GET_CURRENT_PRICE,
            ),
        ];
        f(&ComponentList {
            alert: None,
            components: &comps,
        })
    }
}

impl Encode for TariffReadRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
    }
}

/// The GSME tariff's prices (GBCS GCS21f; ZigBee SE 1.4 10.2.2): block
/// thresholds `× multiplier / divisor` in `unit_of_measure`, prices in
/// the currency's units to `price_trailing_digit`, standing charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffPrices {
    /// ThresholdDivisor (uint24).
    pub threshold_divisor: Attr<u32>,
    /// ThresholdMultiplier (uint24).
    pub threshold_multiplier: Attr<u32>,
    /// Block1Threshold to Block3Threshold (uint48).
    pub block_thresholds: [Attr<u64>; 3],
    /// UnitofMeasure (enum8, the Metering enumeration).
    pub unit_of_measure: Attr<MeteringUnit>,
    /// NoTierBlock1Price to NoTierBlock4Price (uint32).
    pub block_prices: [Attr<u32>; 4],
    /// Tier1Block1Price to Tier4Block1Price (uint32): the TOU prices.
    pub tier_prices: [Attr<u32>; 4],
    /// Currency (uint16, ISO 4217; 826 GBP).
    pub currency: Attr<u16>,
    /// PriceTrailingDigit (bitmap8): digits in the high nibble.
    pub price_trailing_digit: Attr<u8>,
    /// StandingCharge (uint32).
    pub standing_charge: Attr<u32>,
}

impl TariffPrices {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let a = read_attributes(r, TARIFF_ATTRIBUTES)?;
        let [
            d,
            m,
            t1,
            t2,
            t3,
            u,
            b1,
            b2,
            b3,
            b4,
            p1,
            p2,
            p3,
            p4,
            c,
            t,
            sc,
        ] = a;
        let unit_of_measure = match u.1 {
            Attr::Value(ZclValue::Enum8(v)) => Attr::Value(MeteringUnit(UnitOfMeasure::from(v))),
            Attr::Value(v) => {
                return Err(DecodeError::invalid(
                    LAYER,
                    u.0 + 3,
                    "attribute data type",
                    u64::from(v.data_type().value()),
                ));
            }
            Attr::Failed(s) => Attr::Failed(s),
        };
        let w = |(at, v): (usize, Attr<ZclValue<'_>>)| unsigned_as::<u32>(at, v);
        Ok(Self {
            threshold_divisor: w(d)?,
            threshold_multiplier: w(m)?,
            block_thresholds: [
                unsigned(t1.0, t1.1)?,
                unsigned(t2.0, t2.1)?,
                unsigned(t3.0, t3.1)?,
            ],
            unit_of_measure,
            block_prices: [w(b1)?, w(b2)?, w(b3)?, w(b4)?],
            tier_prices: [w(p1)?, w(p2)?, w(p3)?, w(p4)?],
            currency: unsigned_as(c.0, c.1)?,
            price_trailing_digit: unsigned_as(t.0, t.1)?,
            standing_charge: w(sc)?,
        })
    }
}

/// A ZCL Date (ZCL rev. 8 2.6.2.19): year since 1900, month, day of month,
/// day of week, each 0xFF for "any".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ZclDate {
    /// Year minus 1900.
    pub year_since_1900: u8,
    /// Month, 1-12.
    pub month: u8,
    /// Day of the month.
    pub day: u8,
    /// Day of the week, 1 (Monday) to 7; 0xFF any.
    pub weekday: u8,
}

fn date_at(c: &[u8]) -> ZclDate {
    let b = |i: usize| c.get(i).copied().unwrap_or(0xFF);
    ZclDate {
        year_since_1900: b(0),
        month: b(1),
        day: b(2),
        weekday: b(3),
    }
}

/// A calendar entry: a day profile's schedule entry (start minute after
/// midnight, price tier), a season (start date, week id) or a special day
/// (date, day id) (ZigBee SE 1.4 10.9.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum CalendarEntry {
    /// ScheduleEntry of a day profile.
    Schedule {
        /// StartTime: minutes after midnight.
        start_minute: u16,
        /// PriceTier.
        price_tier: u8,
    },
    /// SeasonEntry.
    Season {
        /// SeasonStartDate.
        start_date: ZclDate,
        /// WeekIDRef.
        week_id: u8,
    },
    /// SpecialDayEntry.
    SpecialDay {
        /// SpecialDayDate.
        date: ZclDate,
        /// DayIDRef.
        day_id: u8,
    },
}

/// Kinds of [`CalendarEntry`] lists, with their entry width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum EntryKind {
    Schedule,
    Season,
    SpecialDay,
}

impl EntryKind {
    const fn width(self) -> usize {
        match self {
            Self::Schedule => 3,
            Self::Season | Self::SpecialDay => 5,
        }
    }
}

/// A list of calendar entries borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalendarEntries<'a> {
    bytes: &'a [u8],
    kind: EntryKind,
}

impl<'a> CalendarEntries<'a> {
    fn read(r: &mut Reader<'a>, kind: EntryKind, field: &'static str) -> Result<Self, DecodeError> {
        let at = r.offset();
        let bytes = r.rest();
        if !bytes.len().is_multiple_of(kind.width()) {
            return Err(DecodeError::truncated(
                LAYER,
                at + bytes.len(),
                field,
                kind.width() - bytes.len() % kind.width(),
                0,
            ));
        }
        Ok(Self { bytes, kind })
    }

    /// The number of entries.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.bytes.len() / self.kind.width()
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = CalendarEntry> + use<'a> {
        let kind = self.kind;
        self.bytes.chunks_exact(kind.width()).map(move |c| {
            let b = |i: usize| c.get(i).copied().unwrap_or(0);
            match kind {
                EntryKind::Schedule => CalendarEntry::Schedule {
                    start_minute: u16::from_le_bytes([b(0), b(1)]),
                    price_tier: b(2),
                },
                EntryKind::Season => CalendarEntry::Season {
                    start_date: date_at(c),
                    week_id: b(4),
                },
                EntryKind::SpecialDay => CalendarEntry::SpecialDay {
                    date: date_at(c),
                    day_id: b(4),
                },
            }
        })
    }
}

impl<'a> CalendarEntries<'a> {
    fn of(bytes: &'a [u8], kind: EntryKind) -> Option<Self> {
        bytes
            .len()
            .is_multiple_of(kind.width())
            .then_some(Self { bytes, kind })
    }

    /// Schedule entries of a day profile from their octets (3 each);
    /// `None` when the length is not a whole number of entries.
    #[must_use]
    pub fn schedule(bytes: &'a [u8]) -> Option<Self> {
        Self::of(bytes, EntryKind::Schedule)
    }

    /// Season entries from their octets (5 each).
    #[must_use]
    pub fn seasons(bytes: &'a [u8]) -> Option<Self> {
        Self::of(bytes, EntryKind::Season)
    }

    /// Special day entries from their octets (5 each).
    #[must_use]
    pub fn special_days(bytes: &'a [u8]) -> Option<Self> {
        Self::of(bytes, EntryKind::SpecialDay)
    }

    /// The entries' octets as sent.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
}

impl Encode for CalendarEntry {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Schedule { .. } => 3,
            Self::Season { .. } | Self::SpecialDay { .. } => 5,
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        smets_core::ensure_room(out, self.encoded_len(), LAYER)?;
        match *self {
            Self::Schedule {
                start_minute,
                price_tier,
            } => {
                out.put_u16_le(start_minute);
                out.put_u8(price_tier);
            }
            Self::Season {
                start_date: d,
                week_id: id,
            }
            | Self::SpecialDay {
                date: d,
                day_id: id,
            } => {
                out.put_slice(&[d.year_since_1900, d.month, d.day, d.weekday, id]);
            }
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CalendarEntries<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// What one Calendar component of GCS21f's answer publishes (ZigBee SE
/// 1.4 10.9.3.3): a day profile, a week profile, the seasons or the
/// special days of the calendar `issuer_calendar_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CalendarPublish<'a> {
    /// Publish Day Profile: the day's switching times and price tiers.
    DayProfile {
        /// IssuerCalendarID.
        issuer_calendar_id: u32,
        /// DayID.
        day_id: u8,
        /// CalendarType.
        calendar_type: u8,
        /// The schedule entries.
        entries: CalendarEntries<'a>,
    },
    /// Publish Week Profile: the day profile of each weekday.
    WeekProfile {
        /// IssuerCalendarID.
        issuer_calendar_id: u32,
        /// WeekID.
        week_id: u8,
        /// DayIDRef Monday to Sunday.
        day_ids: [u8; 7],
    },
    /// Publish Seasons: when each week profile starts to apply.
    Seasons {
        /// IssuerCalendarID.
        issuer_calendar_id: u32,
        /// The season entries.
        entries: CalendarEntries<'a>,
    },
    /// Publish Special Days: dates that follow another day profile.
    SpecialDays {
        /// IssuerCalendarID.
        issuer_calendar_id: u32,
        /// CalendarType.
        calendar_type: u8,
        /// The special day entries.
        entries: CalendarEntries<'a>,
    },
}

/// The header fields every Calendar publish opens with: provider id,
/// issuer event id, issuer calendar id.
fn calendar_ids(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    r.u32_le("provider id")?;
    r.u32_le("issuer event id")?;
    r.u32_le("issuer calendar id")
}

impl<'a> CalendarPublish<'a> {
    fn read(command_id: u8, r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let issuer_calendar_id = calendar_ids(r)?;
        Ok(match command_id {
            0x01 => {
                let day_id = r.u8("day id")?;
                let n = r.u8("total number of schedule entries")?;
                r.u8("command index")?;
                r.u8("total number of commands")?;
                let calendar_type = r.u8("calendar type")?;
                let at = r.offset();
                let bytes = r.bytes(usize::from(n) * 3, "schedule entries")?;
                let mut e = Reader::with_base(bytes, LAYER, at);
                Self::DayProfile {
                    issuer_calendar_id,
                    day_id,
                    calendar_type,
                    entries: CalendarEntries::read(&mut e, EntryKind::Schedule, "schedule entry")?,
                }
            }
            0x02 => Self::WeekProfile {
                issuer_calendar_id,
                week_id: r.u8("week id")?,
                day_ids: r.array("day id refs")?,
            },
            0x03 => {
                r.u8("command index")?;
                r.u8("total number of commands")?;
                Self::Seasons {
                    issuer_calendar_id,
                    entries: CalendarEntries::read(r, EntryKind::Season, "season entry")?,
                }
            }
            _ => {
                r.u32_le("start time")?;
                let calendar_type = r.u8("calendar type")?;
                let n = r.u8("total number of special days")?;
                r.u8("command index")?;
                r.u8("total number of commands")?;
                let at = r.offset();
                let bytes = r.bytes(usize::from(n) * 5, "special day entries")?;
                let mut e = Reader::with_base(bytes, LAYER, at);
                Self::SpecialDays {
                    issuer_calendar_id,
                    calendar_type,
                    entries: CalendarEntries::read(&mut e, EntryKind::SpecialDay, "special day")?,
                }
            }
        })
    }
}

/// A Publish Price (ZigBee SE 1.4 10.2.3.3.1) as GCS21f's answer carries
/// it: the current price, up to the Price field GBCS sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CurrentPrice<'a> {
    /// ProviderID.
    pub provider_id: u32,
    /// RateLabel (an octet string).
    pub rate_label: Octets<'a>,
    /// IssuerEventID.
    pub issuer_event_id: u32,
    /// CurrentTime.
    pub current_time: Utc2000,
    /// UnitofMeasure.
    pub unit_of_measure: MeteringUnit,
    /// Currency (ISO 4217).
    pub currency: u16,
    /// PriceTrailingDigitandPriceTier: digits high nibble, tier low.
    pub price_trailing_digit_and_tier: u8,
    /// NumberofPriceTiersandRegisterTier.
    pub price_tiers_and_register_tier: u8,
    /// StartTime (0: now).
    pub start_time: Utc2000,
    /// DurationInMinutes.
    pub duration_minutes: u16,
    /// Price.
    pub price: u32,
}

impl<'a> CurrentPrice<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let provider_id = r.u32_le("provider id")?;
        let n = r.u8("rate label length")?;
        let rate_label = Octets(r.bytes(usize::from(n), "rate label")?);
        Ok(Self {
            provider_id,
            rate_label,
            issuer_event_id: r.u32_le("issuer event id")?,
            current_time: Utc2000(r.u32_le("current time")?),
            unit_of_measure: MeteringUnit(UnitOfMeasure::from(r.u8("unit of measure")?)),
            currency: r.u16_le("currency")?,
            price_trailing_digit_and_tier: r.u8("price trailing digit and price tier")?,
            price_tiers_and_register_tier: r.u8("number of price tiers and register tier")?,
            start_time: Utc2000(r.u32_le("start time")?),
            duration_minutes: r.u16_le("duration in minutes")?,
            price: r.u32_le("price")?,
        })
    }
}

/// The Calendar components of GCS21f's answer, checked and borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalendarReplies<'a> {
    components: crate::gbz::Components<'a>,
    skip: usize,
    count: usize,
}

impl<'a> CalendarReplies<'a> {
    /// Each Calendar component: its publish, or the Default Response (e.g.
    /// "not found") in its place.
    pub fn iter(&self) -> impl Iterator<Item = ZclReply<CalendarPublish<'a>>> + use<'a> {
        self.components
            .iter()
            .skip(self.skip)
            .take(self.count)
            .filter_map(|c| calendar_reply(0, &c).ok())
    }

    /// The number of Calendar components.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.count
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CalendarReplies<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

fn calendar_reply<'a>(
    at: usize,
    c: &GbzComponent<'a>,
) -> Result<ZclReply<CalendarPublish<'a>>, DecodeError> {
    let id = c.zcl_header().command_id;
    let cmd = if (0x01..=0x04).contains(&id) {
        id
    } else {
        0x01
    };
    clear(
        at,
        reply(at, c, &[], CALENDAR, FrameType::ClusterSpecific, cmd, |r| {
            CalendarPublish::read(cmd, r)
        })?,
    )
}

/// GCS21f's answer (GBCS GCS21f): the tariff's prices, the calendar's
/// publishes and the current price, each component possibly a Default
/// Response ("not found" for a calendar the meter does not hold).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TariffRead<'a> {
    /// The Price attributes.
    pub prices: ZclReply<TariffPrices>,
    /// The Calendar components, in order.
    pub calendar: CalendarReplies<'a>,
    /// The current price.
    pub current_price: ZclReply<CurrentPrice<'a>>,
}

impl<'a> TariffRead<'a> {
    fn decode(p: &GbzPayload<'a>) -> Result<Self, DecodeError> {
        let GbzBody::Components(components) = p.body else {
            return Err(DecodeError::invalid(LAYER, 0, "gbz body", 0));
        };
        let n = usize::from(p.header.component_count);
        if n < 2 {
            return Err(DecodeError::invalid(
                LAYER,
                2,
                "gbz component count",
                n as u64,
            ));
        }
        let mut prices = None;
        let mut current_price = None;
        for (i, (at, c)) in p.components_with_offsets().enumerate() {
            if i == 0 {
                prices = Some(clear(
                    at,
                    reply(
                        at,
                        &c,
                        &[],
                        PRICE,
                        FrameType::Global,
                        READ_ATTRIBUTES_RESPONSE,
                        TariffPrices::read,
                    )?,
                )?);
            } else if i + 1 == n {
                current_price = Some(clear(
                    at,
                    reply(
                        at,
                        &c,
                        &[],
                        PRICE,
                        FrameType::ClusterSpecific,
                        0x00,
                        CurrentPrice::read,
                    )?,
                )?);
            } else {
                calendar_reply(at, &c)?;
            }
        }
        match (prices, current_price) {
            (Some(prices), Some(current_price)) => Ok(Self {
                prices,
                calendar: CalendarReplies {
                    components,
                    skip: 1,
                    count: n - 2,
                },
                current_price,
            }),
            _ => Err(DecodeError::invalid(
                LAYER,
                2,
                "gbz component count",
                n as u64,
            )),
        }
    }
}

// ---------------------------------------------------------------------------
// A6 and A7 GCS01a, GCS01b: the answers to tariff and price writes.

/// The outcome of one command of a write (GBCS GCS01a, GCS01b): the
/// Default Response (ZCL rev. 8 2.5.12) the device sent for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CommandOutcome {
    /// The cluster of the command.
    pub cluster_id: u16,
    /// The transaction sequence number: the command's component index.
    pub tsn: u8,
    /// The command and its status (0: success).
    pub response: DefaultResponse,
}

impl CommandOutcome {
    fn read(at: usize, c: &GbzComponent<'_>) -> Result<Self, DecodeError> {
        let h = c.zcl_header();
        let r = clear(
            at,
            reply(
                at,
                c,
                &[],
                c.cluster_id,
                FrameType::Global,
                DEFAULT_RESPONSE,
                |_| Ok(()),
            )?,
        )?;
        match r {
            ZclReply::Failed(response) => Ok(Self {
                cluster_id: c.cluster_id,
                tsn: h.tsn,
                response,
            }),
            ZclReply::Value(()) => Err(DecodeError::invalid(LAYER, at, "zcl command id", 0x0B)),
        }
    }
}

/// The answer to a multi-command write (GBCS GCS01a, GCS01b): one
/// Default Response per command sent, checked and borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandOutcomes<'a> {
    components: crate::gbz::Components<'a>,
}

impl CommandOutcomes<'_> {
    /// The outcomes in component order.
    pub fn iter(&self) -> impl Iterator<Item = CommandOutcome> + use<'_> {
        self.components
            .iter()
            .filter_map(|c| CommandOutcome::read(0, &c).ok())
    }

    /// The number of commands answered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.components.iter().len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every command succeeded.
    #[must_use]
    pub fn all_succeeded(&self) -> bool {
        self.iter().all(|o| o.response.status.0 == Status::Success)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CommandOutcomes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

// ---------------------------------------------------------------------------
// A7 GCS01b: set price.

/// Most Tier/Block price entries a [`PriceMatrix`] here holds.
pub const MAX_PRICE_ENTRIES: usize = 16;
/// Most octets of a tariff label (ZigBee SE 1.4 10.2.3.3.5: up to 24).
pub const MAX_TARIFF_LABEL: usize = 24;

/// A Publish Tariff Information (ZigBee SE 1.4 10.2.3.3.5) as GCS01b sends
/// it: the tariff's type, units, standing charge and block thresholds'
/// scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TariffInformation {
    /// ProviderID.
    pub provider_id: u32,
    /// IssuerEventID.
    pub issuer_event_id: u32,
    /// IssuerTariffID.
    pub issuer_tariff_id: u32,
    /// StartTime: 0 now, 0xFFFFFFFF (RTDS) as the future-dated header
    /// says.
    pub start_time: Utc2000,
    /// TariffType/ChargingScheme (0x10: block tariff, delivered).
    pub tariff_type: u8,
    /// TariffLabel octets (the first `tariff_label_len`).
    pub tariff_label: [u8; MAX_TARIFF_LABEL],
    /// Length of the tariff label.
    pub tariff_label_len: u8,
    /// NumberofPriceTiersInUse.
    pub price_tiers_in_use: u8,
    /// NumberofBlockThresholdsInUse.
    pub block_thresholds_in_use: u8,
    /// UnitofMeasure.
    pub unit_of_measure: MeteringUnit,
    /// Currency (ISO 4217).
    pub currency: u16,
    /// PriceTrailingDigit.
    pub price_trailing_digit: u8,
    /// StandingCharge.
    pub standing_charge: u32,
    /// TierBlockMode (0xFF: not used).
    pub tier_block_mode: u8,
    /// BlockThresholdMultiplier (uint24).
    pub block_threshold_multiplier: u32,
    /// BlockThresholdDivisor (uint24).
    pub block_threshold_divisor: u32,
}

/// A price of a [`PriceMatrix`]: the tier or block it is for and the price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PriceEntry {
    /// Tier/Block ID.
    pub tier_block_id: u8,
    /// Price.
    pub price: u32,
}

/// A Publish Price Matrix (ZigBee SE 1.4 10.2.3.3.6) as GCS01b sends it,
/// in one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PriceMatrix {
    /// ProviderID.
    pub provider_id: u32,
    /// IssuerEventID.
    pub issuer_event_id: u32,
    /// StartTime.
    pub start_time: Utc2000,
    /// IssuerTariffID.
    pub issuer_tariff_id: u32,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_commands: u8,
    /// SubPayloadControl (0: block or block/TOU ids).
    pub sub_payload_control: u8,
    /// The prices (the first `len`).
    pub entries: [PriceEntry; MAX_PRICE_ENTRIES],
    /// How many entries are used.
    pub len: u8,
}

#[cfg(feature = "serde")]
impl serde::Serialize for TariffInformation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("TariffInformation", 15)?;
        st.serialize_field("provider_id", &self.provider_id)?;
        st.serialize_field("issuer_event_id", &self.issuer_event_id)?;
        st.serialize_field("issuer_tariff_id", &self.issuer_tariff_id)?;
        st.serialize_field("start_time", &self.start_time)?;
        st.serialize_field("tariff_type", &self.tariff_type)?;
        st.serialize_field("tariff_label", &Octets(self.label()))?;
        st.serialize_field("price_tiers_in_use", &self.price_tiers_in_use)?;
        st.serialize_field("block_thresholds_in_use", &self.block_thresholds_in_use)?;
        st.serialize_field("unit_of_measure", &self.unit_of_measure)?;
        st.serialize_field("currency", &self.currency)?;
        st.serialize_field("price_trailing_digit", &self.price_trailing_digit)?;
        st.serialize_field("standing_charge", &self.standing_charge)?;
        st.serialize_field("tier_block_mode", &self.tier_block_mode)?;
        st.serialize_field(
            "block_threshold_multiplier",
            &self.block_threshold_multiplier,
        )?;
        st.serialize_field("block_threshold_divisor", &self.block_threshold_divisor)?;
        st.end()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for PriceMatrix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PriceMatrix", 8)?;
        st.serialize_field("provider_id", &self.provider_id)?;
        st.serialize_field("issuer_event_id", &self.issuer_event_id)?;
        st.serialize_field("start_time", &self.start_time)?;
        st.serialize_field("issuer_tariff_id", &self.issuer_tariff_id)?;
        st.serialize_field("command_index", &self.command_index)?;
        st.serialize_field("total_commands", &self.total_commands)?;
        st.serialize_field("sub_payload_control", &self.sub_payload_control)?;
        st.serialize_field("prices", self.prices())?;
        st.end()
    }
}

impl TariffInformation {
    /// The tariff label in use.
    #[must_use]
    pub fn label(&self) -> &[u8] {
        self.tariff_label
            .get(..usize::from(self.tariff_label_len))
            .unwrap_or_default()
    }
}

impl PriceMatrix {
    /// The prices in use.
    #[must_use]
    pub fn prices(&self) -> &[PriceEntry] {
        self.entries
            .get(..usize::from(self.len))
            .unwrap_or_default()
    }
}

/// GCS01b's command (GBCS GCS01b): the tariff information and its price
/// matrix, transaction sequence numbers 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SetPriceRequest {
    /// Publish Tariff Information.
    pub tariff: TariffInformation,
    /// Publish Price Matrix.
    pub matrix: PriceMatrix,
}

impl TariffInformation {
    /// Length of the Publish Tariff Information payload.
    fn zcl_len(&self) -> usize {
        35 + usize::from(self.tariff_label_len)
    }

    fn put<B: BufMut>(&self, w: &mut B) -> Option<()> {
        let t = self;
        let label = t.tariff_label.get(..usize::from(t.tariff_label_len))?;
        if t.block_threshold_multiplier > 0x00FF_FFFF || t.block_threshold_divisor > 0x00FF_FFFF {
            return None;
        }
        w.put_u32_le(t.provider_id);
        w.put_u32_le(t.issuer_event_id);
        w.put_u32_le(t.issuer_tariff_id);
        w.put_u32_le(t.start_time.0);
        w.put_u8(t.tariff_type);
        w.put_u8(t.tariff_label_len);
        w.put_slice(label);
        w.put_u8(t.price_tiers_in_use);
        w.put_u8(t.block_thresholds_in_use);
        w.put_u8(t.unit_of_measure.0.value());
        w.put_u16_le(t.currency);
        w.put_u8(t.price_trailing_digit);
        w.put_u32_le(t.standing_charge);
        w.put_u8(t.tier_block_mode);
        w.put_uint_le(u64::from(t.block_threshold_multiplier), 3);
        w.put_uint_le(u64::from(t.block_threshold_divisor), 3);
        Some(())
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let provider_id = r.u32_le("provider id")?;
        let issuer_event_id = r.u32_le("issuer event id")?;
        let issuer_tariff_id = r.u32_le("issuer tariff id")?;
        let start_time = Utc2000(r.u32_le("start time")?);
        let tariff_type = r.u8("tariff type")?;
        let tariff_label_len = r.u8("tariff label length")?;
        let mut tariff_label = [0u8; MAX_TARIFF_LABEL];
        let at = r.offset();
        let raw = r.bytes(usize::from(tariff_label_len), "tariff label")?;
        tariff_label
            .get_mut(..raw.len())
            .ok_or_else(|| {
                DecodeError::invalid(
                    LAYER,
                    at - 1,
                    "tariff label length",
                    u64::from(tariff_label_len),
                )
            })?
            .copy_from_slice(raw);
        Ok(Self {
            provider_id,
            issuer_event_id,
            issuer_tariff_id,
            start_time,
            tariff_type,
            tariff_label,
            tariff_label_len,
            price_tiers_in_use: r.u8("number of price tiers in use")?,
            block_thresholds_in_use: r.u8("number of block thresholds in use")?,
            unit_of_measure: MeteringUnit(UnitOfMeasure::from(r.u8("unit of measure")?)),
            currency: r.u16_le("currency")?,
            price_trailing_digit: r.u8("price trailing digit")?,
            standing_charge: r.u32_le("standing charge")?,
            tier_block_mode: r.u8("tier block mode")?,
            // Three octets each: they fit.
            #[allow(clippy::cast_possible_truncation)]
            block_threshold_multiplier: r.uint_le(3, "block threshold multiplier")? as u32,
            #[allow(clippy::cast_possible_truncation)]
            block_threshold_divisor: r.uint_le(3, "block threshold divisor")? as u32,
        })
    }
}

impl PriceMatrix {
    /// Length of the Publish Price Matrix payload.
    fn zcl_len(&self) -> usize {
        19 + 5 * usize::from(self.len)
    }

    fn put<B: BufMut>(&self, w: &mut B) -> Option<()> {
        let m = self;
        if usize::from(m.len) > MAX_PRICE_ENTRIES {
            return None;
        }
        w.put_u32_le(m.provider_id);
        w.put_u32_le(m.issuer_event_id);
        w.put_u32_le(m.start_time.0);
        w.put_u32_le(m.issuer_tariff_id);
        w.put_u8(m.command_index);
        w.put_u8(m.total_commands);
        w.put_u8(m.sub_payload_control);
        for e in m.prices() {
            w.put_u8(e.tier_block_id);
            w.put_u32_le(e.price);
        }
        Some(())
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut matrix = PriceMatrix {
            provider_id: r.u32_le("provider id")?,
            issuer_event_id: r.u32_le("issuer event id")?,
            start_time: Utc2000(r.u32_le("start time")?),
            issuer_tariff_id: r.u32_le("issuer tariff id")?,
            command_index: r.u8("command index")?,
            total_commands: r.u8("total number of commands")?,
            sub_payload_control: r.u8("sub-payload control")?,
            entries: [PriceEntry::default(); MAX_PRICE_ENTRIES],
            len: 0,
        };
        let mut n = 0u8;
        while !r.is_empty() {
            let at = r.offset();
            let e = PriceEntry {
                tier_block_id: r.u8("tier/block id")?,
                price: r.u32_le("price")?,
            };
            let slot = matrix
                .entries
                .get_mut(usize::from(n))
                .ok_or_else(|| DecodeError::invalid(LAYER, at, "price entries", u64::from(n)))?;
            *slot = e;
            n += 1;
        }
        matrix.len = n;
        Ok(matrix)
    }
}

impl SetPriceRequest {
    fn payloads(&self) -> Option<([u8; 64], usize, [u8; 128], usize)> {
        let mut a = [0u8; 64];
        let mut w: &mut [u8] = &mut a;
        self.tariff.put(&mut w)?;
        let na = 64 - w.len();
        let mut b = [0u8; 128];
        let mut w: &mut [u8] = &mut b;
        self.matrix.put(&mut w)?;
        let nb = 128 - w.len();
        Some((a, na, b, nb))
    }

    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> Option<R> {
        let (a, na, b, nb) = self.payloads()?;
        let comps = [
            plain_component(false, PRICE, 0x09, 0, 0x04, a.get(..na)?),
            plain_component(true, PRICE, 0x09, 1, 0x05, b.get(..nb)?),
        ];
        Some(f(&ComponentList {
            alert: None,
            components: &comps,
        }))
    }

    fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let [(a, c1), (b, c2)] = two(&p)?;
        let f1 = c1
            .zcl_frame()
            .ok_or_else(|| DecodeError::invalid(LAYER, a, "gbz extended header control", 3))?;
        let f2 = c2
            .zcl_frame()
            .ok_or_else(|| DecodeError::invalid(LAYER, b, "gbz extended header control", 3))?;
        let mut r = Reader::with_base(f1.payload, LAYER, a + 8);
        let tariff = TariffInformation::read(&mut r)?;
        let mut r = Reader::with_base(f2.payload, LAYER, b + 8);
        let matrix = PriceMatrix::read(&mut r)?;
        same_as_built(SetPriceRequest { tariff, matrix }, payload)
    }
}

impl Encode for SetPriceRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len()).unwrap_or(0)
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
            .unwrap_or(Err(EncodeError::inconsistent(LAYER, "set price fields")))
    }
}

// ---------------------------------------------------------------------------
// GCS01a: set tariff and price.

/// Most day profiles a [`SetTariffRequest`] holds.
pub const MAX_DAY_PROFILES: usize = 8;
/// Most week profiles a [`SetTariffRequest`] holds.
pub const MAX_WEEK_PROFILES: usize = 4;

/// The fields every Calendar publish opens with (ZigBee SE 1.4 10.9.3.3):
/// ProviderID, IssuerEventID, IssuerCalendarID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CalendarIds {
    /// ProviderID.
    pub provider_id: u32,
    /// IssuerEventID.
    pub issuer_event_id: u32,
    /// IssuerCalendarID.
    pub issuer_calendar_id: u32,
}

impl CalendarIds {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self {
            provider_id: r.u32_le("provider id")?,
            issuer_event_id: r.u32_le("issuer event id")?,
            issuer_calendar_id: r.u32_le("issuer calendar id")?,
        })
    }

    fn put<B: BufMut>(&self, w: &mut B) {
        w.put_u32_le(self.provider_id);
        w.put_u32_le(self.issuer_event_id);
        w.put_u32_le(self.issuer_calendar_id);
    }
}

/// A Publish Calendar (ZigBee SE 1.4 10.9.3.3.1) as GCS01a sends it: the
/// calendar's start, type and how many seasons, week and day profiles
/// follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CalendarHeader<'a> {
    /// ProviderID, IssuerEventID, IssuerCalendarID.
    pub ids: CalendarIds,
    /// StartTime: 0 now, 0xFFFFFFFE (RTDS) as the future-dated header
    /// says.
    pub start_time: Utc2000,
    /// CalendarType (0x00: delivered calendar).
    pub calendar_type: u8,
    /// CalendarTimeReference.
    pub calendar_time_reference: u8,
    /// CalendarName (octet string content).
    pub calendar_name: Octets<'a>,
    /// NumberofSeasons.
    pub seasons: u8,
    /// NumberofWeekProfiles.
    pub week_profiles: u8,
    /// NumberofDayProfiles.
    pub day_profiles: u8,
}

/// A Publish Day Profile (ZigBee SE 1.4 10.9.3.3.2) in one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DayProfile<'a> {
    /// ProviderID, IssuerEventID, IssuerCalendarID.
    pub ids: CalendarIds,
    /// DayID.
    pub day_id: u8,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_commands: u8,
    /// CalendarType.
    pub calendar_type: u8,
    /// The schedule entries (their count is TotalNumberofScheduleEntries).
    pub entries: CalendarEntries<'a>,
}

/// A Publish Week Profile (ZigBee SE 1.4 10.9.3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WeekProfile {
    /// ProviderID, IssuerEventID, IssuerCalendarID.
    pub ids: CalendarIds,
    /// WeekID.
    pub week_id: u8,
    /// DayIDRef Monday to Sunday.
    pub day_ids: [u8; 7],
}

/// A Publish Seasons (ZigBee SE 1.4 10.9.3.3.4) in one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Seasons<'a> {
    /// ProviderID, IssuerEventID, IssuerCalendarID.
    pub ids: CalendarIds,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_commands: u8,
    /// The season entries.
    pub entries: CalendarEntries<'a>,
}

/// A Publish Special Days (ZigBee SE 1.4 10.9.3.3.5) in one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpecialDays<'a> {
    /// ProviderID, IssuerEventID, IssuerCalendarID.
    pub ids: CalendarIds,
    /// StartTime.
    pub start_time: Utc2000,
    /// CalendarType.
    pub calendar_type: u8,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_commands: u8,
    /// The special day entries (their count is TotalNumberofSpecialDays).
    pub entries: CalendarEntries<'a>,
}

/// A Publish Block Thresholds (ZigBee SE 1.4 10.2.3.3.7) in one command.
/// With SubPayloadControl 1 the thresholds apply to every TOU tier and the
/// payload is one NumberofBlockThresholds octet then the thresholds; with
/// 0 each tier's octet carries its tier in the high nibble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BlockThresholds<'a> {
    /// ProviderID.
    pub provider_id: u32,
    /// IssuerEventID.
    pub issuer_event_id: u32,
    /// StartTime.
    pub start_time: Utc2000,
    /// IssuerTariffID.
    pub issuer_tariff_id: u32,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_commands: u8,
    /// SubPayloadControl.
    pub sub_payload_control: u8,
    /// The tiers' thresholds.
    pub tiers: BlockThresholdTiers<'a>,
}

/// The Tier/NumberofBlockThresholds octets, each followed by its uint48
/// thresholds, borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BlockThresholdTiers<'a>(&'a [u8]);

/// One tier's block thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BlockThresholdTier<'a> {
    /// Tier (high nibble; 0 when they apply to every tier).
    pub tier: u8,
    /// The thresholds (uint48 each).
    pub thresholds: PackedUints<'a, 6>,
}

impl<'a> BlockThresholdTiers<'a> {
    /// Checks that `bytes` is a whole run of tiers and borrows it.
    ///
    /// # Errors
    /// A tier whose thresholds are cut.
    pub fn new(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::with_base(bytes, LAYER, 0);
        while !r.is_empty() {
            let n = r.u8("number of block thresholds")? & 0x0F;
            r.bytes(usize::from(n) * 6, "block thresholds")?;
        }
        Ok(Self(bytes))
    }

    /// The octets as sent.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The tiers in order.
    pub fn iter(&self) -> impl Iterator<Item = BlockThresholdTier<'a>> + use<'a> {
        let mut rest = self.0;
        core::iter::from_fn(move || {
            let (&b, tail) = rest.split_first()?;
            let n = usize::from(b & 0x0F) * 6;
            let t = tail.get(..n)?;
            rest = tail.get(n..).unwrap_or_default();
            Some(BlockThresholdTier {
                tier: b >> 4,
                thresholds: PackedUints(t),
            })
        })
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for BlockThresholdTiers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// GCS01a's command (GBCS GCS01a): the calendar (Publish Calendar, Day
/// Profiles, Week Profiles, Seasons, Special Days), then Publish Tariff
/// Information, Publish Block Thresholds when the tariff has blocks and
/// Publish Price Matrix, in that order, transaction sequence numbers 0
/// upwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SetTariffRequest<'a> {
    /// Publish Calendar.
    pub calendar: CalendarHeader<'a>,
    /// Publish Day Profile, the first `day_profile_count`.
    pub day_profile_slots: [DayProfile<'a>; MAX_DAY_PROFILES],
    /// How many day profiles are used.
    pub day_profile_count: u8,
    /// Publish Week Profile, the first `week_profile_count`.
    pub week_profile_slots: [WeekProfile; MAX_WEEK_PROFILES],
    /// How many week profiles are used.
    pub week_profile_count: u8,
    /// Publish Seasons.
    pub seasons: Seasons<'a>,
    /// Publish Special Days.
    pub special_days: SpecialDays<'a>,
    /// Publish Tariff Information.
    pub tariff: TariffInformation,
    /// Publish Block Thresholds, for a block tariff.
    pub block_thresholds: Option<BlockThresholds<'a>>,
    /// Publish Price Matrix.
    pub matrix: PriceMatrix,
}

#[cfg(feature = "serde")]
impl serde::Serialize for SetTariffRequest<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SetTariffRequest", 9)?;
        st.serialize_field("calendar", &self.calendar)?;
        st.serialize_field("day_profiles", self.day_profiles())?;
        st.serialize_field("week_profiles", self.week_profiles())?;
        st.serialize_field("seasons", &self.seasons)?;
        st.serialize_field("special_days", &self.special_days)?;
        st.serialize_field("tariff", &self.tariff)?;
        st.serialize_field("block_thresholds", &self.block_thresholds)?;
        st.serialize_field("matrix", &self.matrix)?;
        st.end()
    }
}

/// Publish command ids of the Calendar cluster (ZigBee SE 1.4 10.9.3.3).
const PUBLISH_CALENDAR: u8 = 0x00;
const PUBLISH_DAY_PROFILE: u8 = 0x01;
const PUBLISH_WEEK_PROFILE: u8 = 0x02;
const PUBLISH_SEASONS: u8 = 0x03;
const PUBLISH_SPECIAL_DAYS: u8 = 0x04;
/// Publish command ids of the Price cluster (ZigBee SE 1.4 10.2.3.3).
const PUBLISH_TARIFF_INFORMATION: u8 = 0x04;
const PUBLISH_PRICE_MATRIX: u8 = 0x05;
const PUBLISH_BLOCK_THRESHOLDS: u8 = 0x06;

/// One component of a [`SetTariffRequest`], in sending order.
#[derive(Clone, Copy)]
enum TariffPart<'r, 'a> {
    Calendar(&'r CalendarHeader<'a>),
    Day(&'r DayProfile<'a>),
    Week(&'r WeekProfile),
    Seasons(&'r Seasons<'a>),
    Special(&'r SpecialDays<'a>),
    Tariff(&'r TariffInformation),
    Blocks(&'r BlockThresholds<'a>),
    Matrix(&'r PriceMatrix),
}

impl TariffPart<'_, '_> {
    const fn cluster_command(self) -> (u16, u8) {
        match self {
            Self::Calendar(_) => (CALENDAR, PUBLISH_CALENDAR),
            Self::Day(_) => (CALENDAR, PUBLISH_DAY_PROFILE),
            Self::Week(_) => (CALENDAR, PUBLISH_WEEK_PROFILE),
            Self::Seasons(_) => (CALENDAR, PUBLISH_SEASONS),
            Self::Special(_) => (CALENDAR, PUBLISH_SPECIAL_DAYS),
            Self::Tariff(_) => (PRICE, PUBLISH_TARIFF_INFORMATION),
            Self::Blocks(_) => (PRICE, PUBLISH_BLOCK_THRESHOLDS),
            Self::Matrix(_) => (PRICE, PUBLISH_PRICE_MATRIX),
        }
    }

    fn zcl_len(self) -> usize {
        match self {
            Self::Calendar(c) => 22 + c.calendar_name.0.len(),
            Self::Day(d) => 17 + d.entries.bytes.len(),
            Self::Week(_) => 20,
            Self::Seasons(s) => 14 + s.entries.bytes.len(),
            Self::Special(s) => 20 + s.entries.bytes.len(),
            Self::Tariff(t) => t.zcl_len(),
            Self::Blocks(b) => 19 + b.tiers.0.len(),
            Self::Matrix(m) => m.zcl_len(),
        }
    }

    /// Whether the fields can be sent as they are: counts fit their octet
    /// and entries are of the right kind.
    fn valid(self) -> bool {
        match self {
            Self::Calendar(c) => u8::try_from(c.calendar_name.0.len()).is_ok(),
            Self::Day(d) => {
                d.entries.kind == EntryKind::Schedule && u8::try_from(d.entries.len()).is_ok()
            }
            Self::Week(_) | Self::Tariff(_) => true,
            Self::Seasons(s) => s.entries.kind == EntryKind::Season,
            Self::Special(s) => {
                s.entries.kind == EntryKind::SpecialDay && u8::try_from(s.entries.len()).is_ok()
            }
            Self::Blocks(b) => BlockThresholdTiers::new(b.tiers.0).is_ok(),
            Self::Matrix(m) => usize::from(m.len) <= MAX_PRICE_ENTRIES,
        }
    }

    // Lengths are checked by `valid` first.
    #[allow(clippy::cast_possible_truncation)]
    fn put<B: BufMut>(self, w: &mut B) -> Option<()> {
        match self {
            Self::Calendar(c) => {
                c.ids.put(w);
                w.put_u32_le(c.start_time.0);
                w.put_u8(c.calendar_type);
                w.put_u8(c.calendar_time_reference);
                w.put_u8(c.calendar_name.0.len() as u8);
                w.put_slice(c.calendar_name.0);
                w.put_u8(c.seasons);
                w.put_u8(c.week_profiles);
                w.put_u8(c.day_profiles);
            }
            Self::Day(d) => {
                d.ids.put(w);
                w.put_u8(d.day_id);
                w.put_u8(d.entries.len() as u8);
                w.put_u8(d.command_index);
                w.put_u8(d.total_commands);
                w.put_u8(d.calendar_type);
                w.put_slice(d.entries.bytes);
            }
            Self::Week(k) => {
                k.ids.put(w);
                w.put_u8(k.week_id);
                w.put_slice(&k.day_ids);
            }
            Self::Seasons(s) => {
                s.ids.put(w);
                w.put_u8(s.command_index);
                w.put_u8(s.total_commands);
                w.put_slice(s.entries.bytes);
            }
            Self::Special(s) => {
                s.ids.put(w);
                w.put_u32_le(s.start_time.0);
                w.put_u8(s.calendar_type);
                w.put_u8(s.entries.len() as u8);
                w.put_u8(s.command_index);
                w.put_u8(s.total_commands);
                w.put_slice(s.entries.bytes);
            }
            Self::Tariff(t) => t.put(w)?,
            Self::Blocks(b) => {
                w.put_u32_le(b.provider_id);
                w.put_u32_le(b.issuer_event_id);
                w.put_u32_le(b.start_time.0);
                w.put_u32_le(b.issuer_tariff_id);
                w.put_u8(b.command_index);
                w.put_u8(b.total_commands);
                w.put_u8(b.sub_payload_control);
                w.put_slice(b.tiers.0);
            }
            Self::Matrix(m) => m.put(w)?,
        }
        Some(())
    }
}

impl<'a> SetTariffRequest<'a> {
    /// The day profiles in use.
    #[must_use]
    pub fn day_profiles(&self) -> &[DayProfile<'a>] {
        self.day_profile_slots
            .get(..usize::from(self.day_profile_count))
            .unwrap_or_default()
    }

    /// The week profiles in use.
    #[must_use]
    pub fn week_profiles(&self) -> &[WeekProfile] {
        self.week_profile_slots
            .get(..usize::from(self.week_profile_count))
            .unwrap_or_default()
    }

    fn parts(&self) -> impl Iterator<Item = TariffPart<'_, 'a>> + '_ {
        let days = self
            .day_profile_slots
            .get(..usize::from(self.day_profile_count))
            .unwrap_or_default();
        let weeks = self
            .week_profile_slots
            .get(..usize::from(self.week_profile_count))
            .unwrap_or_default();
        core::iter::once(TariffPart::Calendar(&self.calendar))
            .chain(days.iter().map(TariffPart::Day))
            .chain(weeks.iter().map(TariffPart::Week))
            .chain([
                TariffPart::Seasons(&self.seasons),
                TariffPart::Special(&self.special_days),
                TariffPart::Tariff(&self.tariff),
            ])
            .chain(self.block_thresholds.as_ref().map(TariffPart::Blocks))
            .chain(core::iter::once(TariffPart::Matrix(&self.matrix)))
    }

    fn consistent(&self) -> bool {
        usize::from(self.day_profile_count) <= MAX_DAY_PROFILES
            && usize::from(self.week_profile_count) <= MAX_WEEK_PROFILES
            && self.parts().all(TariffPart::valid)
            && self.parts().all(|p| u16::try_from(p.zcl_len() + 3).is_ok())
    }

    fn decode(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let empty = CalendarEntries {
            bytes: &[],
            kind: EntryKind::Schedule,
        };
        let mut calendar = None;
        let mut day_profile_slots = [DayProfile {
            ids: CalendarIds::default(),
            day_id: 0,
            command_index: 0,
            total_commands: 0,
            calendar_type: 0,
            entries: empty,
        }; MAX_DAY_PROFILES];
        let mut day_profile_count = 0u8;
        let mut week_profile_slots = [WeekProfile::default(); MAX_WEEK_PROFILES];
        let mut week_profile_count = 0u8;
        let mut seasons = None;
        let mut special_days = None;
        let mut tariff = None;
        let mut block_thresholds = None;
        let mut matrix = None;
        for (at, c) in p.components_with_offsets() {
            let mut r = clear_payload(at, &c)?;
            let command_id = c.zcl_header().command_id;
            let unexpected = || {
                DecodeError::invalid(
                    LAYER,
                    at + 7,
                    "gcs01a component command",
                    u64::from(command_id),
                )
            };
            match (c.cluster_id, command_id) {
                (CALENDAR, PUBLISH_CALENDAR) => {
                    let ids = CalendarIds::read(&mut r)?;
                    let start_time = Utc2000(r.u32_le("start time")?);
                    let calendar_type = r.u8("calendar type")?;
                    let calendar_time_reference = r.u8("calendar time reference")?;
                    let n = r.u8("calendar name length")?;
                    calendar = Some(CalendarHeader {
                        ids,
                        start_time,
                        calendar_type,
                        calendar_time_reference,
                        calendar_name: Octets(r.bytes(usize::from(n), "calendar name")?),
                        seasons: r.u8("number of seasons")?,
                        week_profiles: r.u8("number of week profiles")?,
                        day_profiles: r.u8("number of day profiles")?,
                    });
                }
                (CALENDAR, PUBLISH_DAY_PROFILE) => {
                    let ids = CalendarIds::read(&mut r)?;
                    let day_id = r.u8("day id")?;
                    let n = r.u8("total number of schedule entries")?;
                    let command_index = r.u8("command index")?;
                    let total_commands = r.u8("total number of commands")?;
                    let calendar_type = r.u8("calendar type")?;
                    let bytes = r.bytes(usize::from(n) * 3, "schedule entries")?;
                    let slot = day_profile_slots
                        .get_mut(usize::from(day_profile_count))
                        .ok_or_else(unexpected)?;
                    *slot = DayProfile {
                        ids,
                        day_id,
                        command_index,
                        total_commands,
                        calendar_type,
                        entries: CalendarEntries {
                            bytes,
                            kind: EntryKind::Schedule,
                        },
                    };
                    day_profile_count += 1;
                }
                (CALENDAR, PUBLISH_WEEK_PROFILE) => {
                    let w = WeekProfile {
                        ids: CalendarIds::read(&mut r)?,
                        week_id: r.u8("week id")?,
                        day_ids: r.array("day id refs")?,
                    };
                    let slot = week_profile_slots
                        .get_mut(usize::from(week_profile_count))
                        .ok_or_else(unexpected)?;
                    *slot = w;
                    week_profile_count += 1;
                }
                (CALENDAR, PUBLISH_SEASONS) => {
                    seasons = Some(Seasons {
                        ids: CalendarIds::read(&mut r)?,
                        command_index: r.u8("command index")?,
                        total_commands: r.u8("total number of commands")?,
                        entries: CalendarEntries::read(&mut r, EntryKind::Season, "season entry")?,
                    });
                }
                (CALENDAR, PUBLISH_SPECIAL_DAYS) => {
                    let ids = CalendarIds::read(&mut r)?;
                    let start_time = Utc2000(r.u32_le("start time")?);
                    let calendar_type = r.u8("calendar type")?;
                    let n = r.u8("total number of special days")?;
                    let command_index = r.u8("command index")?;
                    let total_commands = r.u8("total number of commands")?;
                    let bytes = r.bytes(usize::from(n) * 5, "special day entries")?;
                    special_days = Some(SpecialDays {
                        ids,
                        start_time,
                        calendar_type,
                        command_index,
                        total_commands,
                        entries: CalendarEntries {
                            bytes,
                            kind: EntryKind::SpecialDay,
                        },
                    });
                }
                (PRICE, PUBLISH_TARIFF_INFORMATION) => {
                    tariff = Some(TariffInformation::read(&mut r)?);
                }
                (PRICE, PUBLISH_BLOCK_THRESHOLDS) => {
                    let provider_id = r.u32_le("provider id")?;
                    let issuer_event_id = r.u32_le("issuer event id")?;
                    let start_time = Utc2000(r.u32_le("start time")?);
                    let issuer_tariff_id = r.u32_le("issuer tariff id")?;
                    let command_index = r.u8("command index")?;
                    let total_commands = r.u8("total number of commands")?;
                    let sub_payload_control = r.u8("sub-payload control")?;
                    let base = r.offset();
                    let tiers = BlockThresholdTiers::new(r.rest()).map_err(|e| e.shifted(base))?;
                    block_thresholds = Some(BlockThresholds {
                        provider_id,
                        issuer_event_id,
                        start_time,
                        issuer_tariff_id,
                        command_index,
                        total_commands,
                        sub_payload_control,
                        tiers,
                    });
                }
                (PRICE, PUBLISH_PRICE_MATRIX) => {
                    matrix = Some(PriceMatrix::read(&mut r)?);
                }
                _ => return Err(unexpected()),
            }
            if !r.is_empty() {
                return Err(DecodeError::invalid(
                    LAYER,
                    r.offset(),
                    "gcs01a component length",
                    u64::try_from(r.rest().len()).unwrap_or(u64::MAX),
                ));
            }
        }
        let missing =
            |what| DecodeError::invalid(LAYER, 2, what, u64::from(p.header.component_count));
        let request = SetTariffRequest {
            calendar: calendar.ok_or_else(|| missing("publish calendar"))?,
            day_profile_slots,
            day_profile_count,
            week_profile_slots,
            week_profile_count,
            seasons: seasons.ok_or_else(|| missing("publish seasons"))?,
            special_days: special_days.ok_or_else(|| missing("publish special days"))?,
            tariff: tariff.ok_or_else(|| missing("publish tariff information"))?,
            block_thresholds,
            matrix: matrix.ok_or_else(|| missing("publish price matrix"))?,
        };
        same_as_built(request, payload)
    }
}

impl Encode for SetTariffRequest<'_> {
    fn encoded_len(&self) -> usize {
        3 + self.parts().map(|p| 8 + p.zcl_len()).sum::<usize>()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let bad = || EncodeError::inconsistent(LAYER, "set tariff fields");
        if !self.consistent() {
            return Err(bad());
        }
        let count = u8::try_from(self.parts().count()).map_err(|_| bad())?;
        smets_core::ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u16(GBZ_PROFILE_ID);
        out.put_u8(count);
        for (tsn, part) in (0u8..).zip(self.parts()) {
            let (cluster, command_id) = part.cluster_command();
            let last = tsn + 1 == count;
            out.put_u8(if last { GBZ_CONTROL_LAST } else { 0 });
            out.put_u16(cluster);
            out.put_u16(u16::try_from(part.zcl_len() + 3).map_err(|_| bad())?);
            out.put_u8(0x09);
            out.put_u8(tsn);
            out.put_u8(command_id);
            part.put(out).ok_or_else(bad)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// A8 CS01b: top up.

/// A Consumer Top Up command (ZigBee SE 1.4 10.7.3.3.5) as CS01b sends it
/// (GBCS CS01b): originating device and the UTRN, 20 ASCII digits in an
/// octet string; transaction sequence number 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TopUpRequest {
    /// OriginatingDevice (0: energy service interface).
    pub originating_device: u8,
    /// The Unique Transaction Reference Number: 20 ASCII digits.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ascii"))]
    pub utrn: [u8; UTRN_LEN],
}

#[cfg(feature = "serde")]
fn ascii<S: serde::Serializer>(b: &[u8; UTRN_LEN], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(core::str::from_utf8(b).unwrap_or_default())
}

impl TopUpRequest {
    /// A top-up from the energy service interface (the head-end's path)
    /// with `utrn`; `None` unless the UTRN is 20 decimal digits.
    #[must_use]
    pub fn new(utrn: &str) -> Option<Self> {
        let utrn: [u8; UTRN_LEN] = utrn.as_bytes().try_into().ok()?;
        utrn.iter().all(u8::is_ascii_digit).then_some(Self {
            originating_device: 0,
            utrn,
        })
    }

    /// The UTRN as text.
    #[must_use]
    pub fn utrn_str(&self) -> &str {
        core::str::from_utf8(&self.utrn).unwrap_or_default()
    }

    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut p = [0u8; 2 + UTRN_LEN];
        if let Some(([d, n], rest)) = p.split_first_chunk_mut::<2>() {
            *d = self.originating_device;
            // UTRN_LEN is 20.
            *n = 20;
            rest.copy_from_slice(&self.utrn);
        }
        let comp = [plain_component(
            true,
            PREPAYMENT,
            FC_CLUSTER_TO_SERVER,
            0,
            CONSUMER_TOP_UP,
            &p,
        )];
        f(&ComponentList {
            alert: None,
            components: &comp,
        })
    }

    fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let (at, c) = single(&p)?;
        let mut r = clear_payload(at, &c)?;
        let originating_device = r.u8("originating device")?;
        let n = r.u8("top up code length")?;
        if usize::from(n) != UTRN_LEN {
            return Err(r.invalid(1, "top up code length", u64::from(n)));
        }
        let at = r.offset();
        let utrn: [u8; UTRN_LEN] = r.array("top up code")?;
        if let Some(i) = utrn.iter().position(|b| !b.is_ascii_digit()) {
            let b = utrn.get(i).copied().map_or(0, u64::from);
            return Err(DecodeError::invalid(LAYER, at + i, "utrn digit", b));
        }
        same_as_built(
            Self {
                originating_device,
                utrn,
            },
            payload,
        )
    }
}

impl Encode for TopUpRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if !self.utrn.iter().all(u8::is_ascii_digit) {
            return Err(EncodeError::inconsistent(LAYER, "utrn digits"));
        }
        self.with_list(|l| l.encode(out))
    }
}

/// A Consumer Top Up Response (ZigBee SE 1.4 10.7.3.4.3), CS01b's answer:
/// whether the top-up was accepted, its value, where it came from and the
/// credit remaining after it, both in the meter's currency units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TopUpResult {
    /// ResultType: 0 accepted, 1 rejected (invalid), 2 rejected
    /// (duplicate), ...
    pub result_type: u8,
    /// The ResultType's name (ZigBee SE 1.4 10.7).
    pub result: Option<&'static str>,
    /// TopUpValue (int32): the credit added.
    pub top_up_value: i32,
    /// SourceofTopUp (enum8), an originating device.
    pub source_of_top_up: u8,
    /// The source's name.
    pub source: Option<&'static str>,
    /// CreditRemaining (int32) after the top-up.
    pub credit_remaining: i32,
}

fn name(table: &'static [(u64, &'static str)], v: u8) -> Option<&'static str> {
    table
        .iter()
        .find(|(k, _)| *k == u64::from(v))
        .map(|(_, n)| *n)
}

impl TopUpResult {
    /// Whether the meter accepted the top-up (result types 0x00, 0x10-0x12).
    #[must_use]
    pub const fn accepted(&self) -> bool {
        matches!(self.result_type, 0x00 | 0x10..=0x12)
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let result_type = r.u8("result type")?;
        let top_up_value = i32::from_le_bytes(r.array("top up value")?);
        let source_of_top_up = r.u8("source of top up")?;
        let credit_remaining = i32::from_le_bytes(r.array("credit remaining")?);
        Ok(Self {
            result_type,
            result: name(RESULT_TYPE, result_type),
            top_up_value,
            source_of_top_up,
            source: name(ORIGINATING_DEVICE, source_of_top_up),
            credit_remaining,
        })
    }
}

// ---------------------------------------------------------------------------
// A9 GCS14 and GCS60: prepayment registers and meter balance.

/// How GCS14's prices and balances are written (ZigBee SE 1.4 10.2.2.6):
/// Price PriceTrailingDigit and Currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CurrencyFormat {
    /// PriceTrailingDigit (bitmap8): digits right of the decimal point in
    /// the high nibble.
    pub price_trailing_digit: Attr<u8>,
    /// Currency (uint16): the ISO 4217 number, 826 for GBP.
    pub currency: Attr<u16>,
}

impl CurrencyFormat {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [(at, t), (ac, c)] = read_attributes_any(r, PRICE_ATTRIBUTES)?;
        Ok(Self {
            price_trailing_digit: unsigned_as(at, t)?,
            currency: unsigned_as(ac, c)?,
        })
    }
}

/// The GSME prepayment registers (GBCS GCS14; ZigBee SE 1.4 10.7.2.1 and
/// 10.7.2.3): credit and debts in the meter's currency units (pence in
/// GB, to the Price cluster's trailing digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PrepaymentRegisters {
    /// CreditRemaining (int32).
    pub credit_remaining: Attr<i32>,
    /// AccumulatedDebt (int32).
    pub accumulated_debt: Attr<i32>,
    /// EmergencyCreditRemaining (int32).
    pub emergency_credit_remaining: Attr<i32>,
    /// DebtAmount3 (uint32): the payment-based debt.
    pub payment_based_debt: Attr<u32>,
    /// DebtAmount1 (uint32): time-based debt 1.
    pub time_based_debt_1: Attr<u32>,
    /// DebtAmount2 (uint32): time-based debt 2.
    pub time_based_debt_2: Attr<u32>,
}

impl PrepaymentRegisters {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let [(a5, v5), (a2, v2), (a1, v1), (a3, v3), (b1, d1), (b2, d2)] =
            read_attributes_any(r, PREPAY_ATTRIBUTES)?;
        Ok(Self {
            credit_remaining: signed(a1, v1)?,
            accumulated_debt: signed(a5, v5)?,
            emergency_credit_remaining: signed(a2, v2)?,
            payment_based_debt: unsigned_as(a3, v3)?,
            time_based_debt_1: unsigned_as(b1, d1)?,
            time_based_debt_2: unsigned_as(b2, d2)?,
        })
    }
}

/// GCS14's answer: the currency format in clear and the registers
/// encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PrepaymentRead {
    /// The Price component.
    pub format: ZclReply<CurrencyFormat>,
    /// The Prepayment component.
    pub registers: Protected<ZclReply<PrepaymentRegisters>>,
}

/// The GSME meter balance (GBCS GCS60, GCS60a): Metering
/// BillToDateDelivered (uint32; ZigBee SE 1.4 10.4.2.2.8), the credit-mode
/// balance, and Prepayment CreditRemaining (int32), in the meter's
/// currency units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MeterBalance {
    /// The Metering component: BillToDateDelivered.
    pub bill_to_date_delivered: ZclReply<Attr<u32>>,
    /// The Prepayment component: CreditRemaining.
    pub credit_remaining: ZclReply<Attr<i32>>,
}

fn read_one<'a, T>(
    r: &mut Reader<'a>,
    id: u16,
    conv: impl FnOnce(usize, Attr<ZclValue<'a>>) -> Result<Attr<T>, DecodeError>,
) -> Result<Attr<T>, DecodeError> {
    let [(at, v)] = read_attributes(r, [id])?;
    conv(at, v)
}

// ---------------------------------------------------------------------------
// GCS06: emergency credit.

/// A Select Available Emergency Credit command (ZigBee SE 1.4 10.7.3.3.1)
/// as GCS06 sends it: the command's issue time and originating device;
/// transaction sequence number 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EmergencyCreditRequest {
    /// CommandIssueDateTime (RTDS sends 0).
    pub command_issue_date_time: Utc2000,
    /// OriginatingDevice (0: energy service interface).
    pub originating_device: u8,
}

impl EmergencyCreditRequest {
    fn with_list<R>(&self, f: impl FnOnce(&ComponentList<'_, '_>) -> R) -> R {
        let mut p = [0u8; 5];
        let [a, b, c, d, e] = &mut p;
        [*a, *b, *c, *d] = self.command_issue_date_time.0.to_le_bytes();
        *e = self.originating_device;
        let comp = [plain_component(
            true,
            PREPAYMENT,
            FC_CLUSTER_TO_SERVER,
            0,
            SELECT_AVAILABLE_EMERGENCY_CREDIT,
            &p,
        )];
        f(&ComponentList {
            alert: None,
            components: &comp,
        })
    }

    fn decode(payload: &[u8]) -> Result<Self, DecodeError> {
        let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
        let (at, c) = single(&p)?;
        let mut r = clear_payload(at, &c)?;
        let req = Self {
            command_issue_date_time: Utc2000(r.u32_le("command issue date time")?),
            originating_device: r.u8("originating device")?,
        };
        same_as_built(req, payload)
    }
}

impl Encode for EmergencyCreditRequest {
    fn encoded_len(&self) -> usize {
        self.with_list(|l| l.encoded_len())
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.with_list(|l| l.encode(out))
    }
}

// ---------------------------------------------------------------------------
// A10 GCS53 and the generic alerts.

/// A billing data log snapshot (GBCS GCS53): a Publish Snapshot (ZigBee SE
/// 1.4 10.4.3.4.6) of payload type 6, the TOU registers and block counters
/// delivered (uint48 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BillingSnapshot<'a> {
    /// SnapshotID.
    pub snapshot_id: u32,
    /// SnapshotTime.
    pub snapshot_time: Utc2000,
    /// TotalSnapshotsFound.
    pub total_snapshots_found: u8,
    /// CommandIndex.
    pub command_index: u8,
    /// TotalNumberofCommands.
    pub total_number_of_commands: u8,
    /// SnapshotCause (bitmap32).
    pub snapshot_cause: u32,
    /// CurrentSummationDelivered.
    pub current_summation_delivered: u64,
    /// The TOU registers (TierNSummationDelivered), NumberofTiersInUse of them.
    pub tou_registers: PackedUints<'a, 6>,
    /// NumberofTiersandBlockThresholdsInUse: tiers in the high nibble,
    /// blocks in the low one.
    pub tiers_and_blocks: u8,
    /// The block counters (TierNBlockNSummationDelivered), tiers × blocks
    /// of them.
    pub block_counters: PackedUints<'a, 6>,
}

impl<'a> BillingSnapshot<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let snapshot_id = r.u32_le("snapshot id")?;
        let snapshot_time = Utc2000(r.u32_le("snapshot time")?);
        let total_snapshots_found = r.u8("total snapshots found")?;
        let command_index = r.u8("command index")?;
        let total_number_of_commands = r.u8("total number of commands")?;
        let snapshot_cause = r.u32_le("snapshot cause")?;
        let t = r.u8("snapshot payload type")?;
        if t != SNAPSHOT_TOU_AND_BLOCK {
            return Err(r.invalid(1, "snapshot payload type", u64::from(t)));
        }
        let current_summation_delivered = r.uint_le(6, "current summation delivered")?;
        let tiers = r.u8("number of tiers in use")?;
        let tou_registers = PackedUints(r.bytes(usize::from(tiers) * 6, "tou registers")?);
        let tiers_and_blocks = r.u8("number of tiers and block thresholds in use")?;
        let n = usize::from(tiers_and_blocks >> 4) * usize::from(tiers_and_blocks & 0x0F);
        let block_counters = PackedUints(r.bytes(n * 6, "block counters")?);
        Ok(Self {
            snapshot_id,
            snapshot_time,
            total_snapshots_found,
            command_index,
            total_number_of_commands,
            snapshot_cause,
            current_summation_delivered,
            tou_registers,
            tiers_and_blocks,
            block_counters,
        })
    }
}

/// What a GBZ alert carries after its header (GBCS 7.2.3), for the alerts
/// typed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum GbzAlertContent<'a> {
    /// Nothing: a generic alert.
    None,
    /// GCS53: the billing data log snapshot.
    BillingDataLog(Protected<BillingSnapshot<'a>>),
    /// Future-dated command alert (8F66, 8F67): which command was, or was
    /// not, actioned.
    FutureDated(FutureDatedCommand),
    /// Firmware distribution receipt (8F72, 8F1C): the image hash the
    /// GSME calculated.
    ImageHash(Octets<'a>),
}

/// The command a future-dated alert is about (GBCS 7.2.3): message code
/// and originator counter of the GBCS command, and the ZCL command it
/// carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FutureDatedCommand {
    /// Message code of the future-dated command.
    pub message_code: u16,
    /// Originator counter of the command.
    pub originator_counter: u64,
    /// The cluster the command addressed.
    pub cluster_id: u16,
    /// The command's ZCL frame control.
    pub frame_control: u8,
    /// The command's ZCL command id.
    pub command_id: u8,
}

/// A GBZ alert (GBCS 7.2.3): the alert code, when it was raised and what
/// it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GbzAlert<'a> {
    /// Alert code (GBCS 16.2).
    pub alert_code: AlertCode,
    /// When it was raised.
    pub time: Utc2000,
    /// The alert-specific content.
    pub content: GbzAlertContent<'a>,
}

fn decode_alert<'a>(
    code: u16,
    payload: &'a [u8],
    plaintexts: &[(usize, &'a [u8])],
) -> Result<GbzAlert<'a>, DecodeError> {
    let p = GbzPayload::decode_as(payload, GbzKind::Alert)?;
    let Some(h) = p.header.alert else {
        return Err(DecodeError::invalid(LAYER, 0, "gbz alert header", 0));
    };
    let alert_code = AlertCode::from(h.code.value());
    let content = if code == GCS53 {
        if h.code.value() != 0x8F0A {
            return Err(DecodeError::invalid(
                LAYER,
                3,
                "gbz alert code",
                u64::from(h.code.value()),
            ));
        }
        let (at, c) = single(&p)?;
        let r = reply(
            at,
            &c,
            plaintexts,
            METERING,
            FrameType::ClusterSpecific,
            PUBLISH_SNAPSHOT,
            BillingSnapshot::read,
        )?;
        GbzAlertContent::BillingDataLog(match r {
            Protected::Encrypted(e) => Protected::Encrypted(e),
            Protected::Decrypted(ZclReply::Value(s)) => Protected::Decrypted(s),
            Protected::Decrypted(ZclReply::Failed(_)) => {
                return Err(DecodeError::invalid(
                    LAYER,
                    at + 7,
                    "zcl command id",
                    u64::from(DEFAULT_RESPONSE),
                ));
            }
        })
    } else {
        match (code, p.body) {
            (FUTURE_DATED_ALERT, GbzBody::FutureDated(f)) => {
                GbzAlertContent::FutureDated(FutureDatedCommand {
                    message_code: f.message_code,
                    originator_counter: f.originator_counter,
                    cluster_id: f.cluster_id,
                    frame_control: f
                        .frame_control
                        .to_byte()
                        .map_err(|_| DecodeError::invalid(LAYER, 21, "zcl frame control", 0))?,
                    command_id: f.command_id,
                })
            }
            (FIRMWARE_RECEIPT_ALERT, GbzBody::ImageHash(h)) => {
                GbzAlertContent::ImageHash(Octets(h))
            }
            (GENERIC_CRITICAL_ALERT | GENERIC_NON_CRITICAL_ALERT, GbzBody::Components(_))
                if p.header.component_count == 0
                    && h.code.content_kind() == AlertContentKind::Components =>
            {
                GbzAlertContent::None
            }
            _ => {
                return Err(DecodeError::invalid(
                    LAYER,
                    3,
                    "gbz alert code",
                    u64::from(h.code.value()),
                ));
            }
        }
    };
    Ok(GbzAlert {
        alert_code,
        time: h.time,
        content,
    })
}

// ---------------------------------------------------------------------------
// Dispatch.

/// A GBZ payload read at the level of its use case.
// The daily read log holds its 31 days by value; boxing them would
// allocate on the decode path.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum GbzTyped<'a> {
    /// GCS13a or GCS38 command.
    ReadRequest(ReadRequest),
    /// GCS17 or GCS61 command.
    SampledDataRequest(SampledDataRequest),
    /// CS01b command.
    TopUpRequest(TopUpRequest),
    /// GCS06 command.
    EmergencyCreditRequest(EmergencyCreditRequest),
    /// GCS16a command.
    DailyReadLogRequest(DailyReadLogRequest),
    /// GCS01a and GCS01b responses: each write command's outcome.
    CommandOutcomes(CommandOutcomes<'a>),
    /// GCS01b command.
    SetPriceRequest(SetPriceRequest),
    /// GCS01a command.
    SetTariffRequest(SetTariffRequest<'a>),
    /// GCS21f command.
    TariffReadRequest(TariffReadRequest),
    /// GCS21f response: the tariff.
    Tariff(TariffRead<'a>),
    /// CS10a or CS10b command.
    EventLogRequest(EventLogRequest),
    /// CS10a or CS10b response: the log's events.
    EventLog(ZclReply<EventLogPage<'a>>),
    /// GCS16a response: the daily read log.
    DailyReadLog(DailyReadLog<'a>),
    /// GCS06 response: the Default Response that reports the command's
    /// outcome (status 0: success).
    CommandOutcome(DefaultResponse),
    /// GCS14 response: currency format and prepayment registers.
    PrepaymentRegisters(PrepaymentRead),
    /// GCS60 and GCS60a responses: the meter balance.
    MeterBalance(MeterBalance),
    /// GCS13a response: the gas consumption register.
    ConsumptionRegister(Protected<ZclReply<ConsumptionRegister>>),
    /// GCS17 or GCS61 response: the sampled log.
    SampledData(Protected<ZclReply<SampledData<'a>>>),
    /// GCS38 response: the firmware version.
    FirmwareVersion(ZclReply<FirmwareVersion<'a>>),
    /// CS01b response: the top-up's result.
    TopUp(ZclReply<TopUpResult>),
    /// GCS53 alert or a generic alert.
    Alert(GbzAlert<'a>),
}

/// A response component sent in clear: its reply, or an error when it
/// came encrypted (the use case sends it in clear).
fn clear<T>(at: usize, r: Protected<ZclReply<T>>) -> Result<ZclReply<T>, DecodeError> {
    match r {
        Protected::Decrypted(v) => Ok(v),
        Protected::Encrypted(_) => Err(DecodeError::invalid(
            LAYER,
            at,
            "gbz extended header control",
            0x03,
        )),
    }
}

/// The typed reading of GBZ payload `payload` of message code
/// `message_code` and CRA flag `cra` (GBCS 7.2.3): `plaintexts` are the
/// decrypted ZCL payloads of encrypted components, each keyed by the offset
/// of its security control byte in the payload (the offset
/// [`crate::security::DecryptedPart::offset`] reports). `Ok(None)` when
/// [`handles`] is false.
///
/// ```
/// use smets_gbcs::envelope::CraFlag;
/// use smets_gbcs::usecase::gbz::{self, GbzTyped, ZclReply};
///
/// // CS01b response (RTDS 4.5.0): top-up accepted.
/// let payload = [
///     0x01, 0x09, 0x01, 0x01, 0x07, 0x05, 0x00, 0x0D, 0x09, 0x00, 0x03, 0x00, 0xD0, 0x12, 0x13,
///     0x00, 0x00, 0xC0, 0xAA, 0x7F, 0x01,
/// ];
/// let Some(GbzTyped::TopUp(ZclReply::Value(r))) =
///     gbz::decode(gbz::CS01B, CraFlag::Response, &payload, &[])?
/// else {
///     panic!("top-up response")
/// };
/// assert!(r.accepted());
/// assert_eq!((r.top_up_value, r.credit_remaining), (1_250_000, 25_144_000));
/// # Ok::<(), smets_core::DecodeError>(())
/// ```
///
/// # Errors
/// A [`DecodeError`] when the payload is not what the use case sends.
/// Offsets are in the payload; in a plaintext, at the corresponding
/// ciphertext byte.
pub fn decode<'a>(
    message_code: u16,
    cra: CraFlag,
    payload: &'a [u8],
    plaintexts: &[(usize, &'a [u8])],
) -> Result<Option<GbzTyped<'a>>, DecodeError> {
    if !handles(message_code, cra) {
        return Ok(None);
    }
    if cra == CraFlag::Alert {
        return decode_alert(message_code, payload, plaintexts).map(|a| Some(GbzTyped::Alert(a)));
    }
    if cra == CraFlag::Command {
        let t = if let Some(read) = ReadRequest::for_code(message_code) {
            GbzTyped::ReadRequest(same_as_built(read, payload)?)
        } else if let Some(log) = SampledLog::for_code(message_code) {
            GbzTyped::SampledDataRequest(SampledDataRequest::decode(log, payload)?)
        } else if message_code == GCS01B {
            GbzTyped::SetPriceRequest(SetPriceRequest::decode(payload)?)
        } else if message_code == GCS01A {
            GbzTyped::SetTariffRequest(SetTariffRequest::decode(payload)?)
        } else if message_code == GCS21F {
            GbzTyped::TariffReadRequest(same_as_built(TariffReadRequest, payload)?)
        } else if let Some(log) = EventLogKind::for_code(message_code) {
            GbzTyped::EventLogRequest(EventLogRequest::decode(log, payload)?)
        } else if message_code == GCS16A {
            GbzTyped::DailyReadLogRequest(DailyReadLogRequest::decode(payload)?)
        } else if message_code == GCS06 {
            GbzTyped::EmergencyCreditRequest(EmergencyCreditRequest::decode(payload)?)
        } else {
            GbzTyped::TopUpRequest(TopUpRequest::decode(payload)?)
        };
        return Ok(Some(t));
    }
    let p = GbzPayload::decode_as(payload, GbzKind::CommandOrResponse)?;
    match message_code {
        GCS21F => return Ok(Some(GbzTyped::Tariff(TariffRead::decode(&p)?))),
        GCS01A | GCS01B => {
            let GbzBody::Components(components) = p.body else {
                return Err(DecodeError::invalid(LAYER, 0, "gbz body", 0));
            };
            for (at, c) in p.components_with_offsets() {
                CommandOutcome::read(at, &c)?;
            }
            return Ok(Some(GbzTyped::CommandOutcomes(CommandOutcomes {
                components,
            })));
        }
        GCS16A => {
            return Ok(Some(GbzTyped::DailyReadLog(DailyReadLog::decode(
                &p, plaintexts,
            )?)));
        }
        GCS14 => {
            let [(a, c1), (b, c2)] = two(&p)?;
            let format = clear(
                a,
                reply(
                    a,
                    &c1,
                    plaintexts,
                    PRICE,
                    FrameType::Global,
                    READ_ATTRIBUTES_RESPONSE,
                    CurrencyFormat::read,
                )?,
            )?;
            let registers = reply(
                b,
                &c2,
                plaintexts,
                PREPAYMENT,
                FrameType::Global,
                READ_ATTRIBUTES_RESPONSE,
                PrepaymentRegisters::read,
            )?;
            return Ok(Some(GbzTyped::PrepaymentRegisters(PrepaymentRead {
                format,
                registers,
            })));
        }
        GCS60 | GCS60A => {
            let [(a, c1), (b, c2)] = two(&p)?;
            let bill_to_date_delivered = clear(
                a,
                reply(
                    a,
                    &c1,
                    plaintexts,
                    METERING,
                    FrameType::Global,
                    READ_ATTRIBUTES_RESPONSE,
                    |r| read_one(r, BILL_TO_DATE_ATTRIBUTE, unsigned_as),
                )?,
            )?;
            let credit_remaining = clear(
                b,
                reply(
                    b,
                    &c2,
                    plaintexts,
                    PREPAYMENT,
                    FrameType::Global,
                    READ_ATTRIBUTES_RESPONSE,
                    |r| read_one(r, CREDIT_REMAINING_ATTRIBUTE, signed),
                )?,
            )?;
            return Ok(Some(GbzTyped::MeterBalance(MeterBalance {
                bill_to_date_delivered,
                credit_remaining,
            })));
        }
        _ => {}
    }
    let (at, c) = single(&p)?;
    let t = match message_code {
        CS10A | CS10B => GbzTyped::EventLog(clear(
            at,
            reply(
                at,
                &c,
                plaintexts,
                EVENTS,
                FrameType::ClusterSpecific,
                PUBLISH_EVENT_LOG,
                EventLogPage::read,
            )?,
        )?),
        GCS06 => {
            // Only a Default Response answers: read it as the failure form.
            match clear(
                at,
                reply(
                    at,
                    &c,
                    plaintexts,
                    PREPAYMENT,
                    FrameType::Global,
                    DEFAULT_RESPONSE,
                    |_| Ok(()),
                )?,
            )? {
                ZclReply::Failed(d) => GbzTyped::CommandOutcome(d),
                ZclReply::Value(()) => {
                    return Err(DecodeError::invalid(LAYER, at + 7, "zcl command id", 0x0B));
                }
            }
        }
        GCS13A => GbzTyped::ConsumptionRegister(reply(
            at,
            &c,
            plaintexts,
            METERING,
            FrameType::Global,
            READ_ATTRIBUTES_RESPONSE,
            ConsumptionRegister::read,
        )?),
        GCS38 => GbzTyped::FirmwareVersion(clear(
            at,
            reply(
                at,
                &c,
                plaintexts,
                METERING,
                FrameType::Global,
                READ_ATTRIBUTES_RESPONSE,
                FirmwareVersion::read,
            )?,
        )?),
        CS01B => GbzTyped::TopUp(clear(
            at,
            reply(
                at,
                &c,
                plaintexts,
                PREPAYMENT,
                FrameType::ClusterSpecific,
                CONSUMER_TOP_UP_RESPONSE,
                TopUpResult::read,
            )?,
        )?),
        _ => GbzTyped::SampledData(reply(
            at,
            &c,
            plaintexts,
            METERING,
            FrameType::ClusterSpecific,
            GET_SAMPLED_DATA_RESPONSE,
            SampledData::read,
        )?),
    };
    Ok(Some(t))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;

    // GCS13a response (RTDS 4.5.0 SUCCESS_RELIABLE_GSME): one encrypted
    // Metering component; its plaintext from the vector's check.
    const GCS13A_RESPONSE: [u8; 61] = [
        0x01, 0x09, 0x01, 0x03, 0x07, 0x02, 0x00, 0x35, 0x00, 0x00, 0x18, 0x00, 0x01, 0x00, 0x2E,
        0x31, 0x00, 0x00, 0x00, 0x00, 0x4F, 0x09, 0xE4, 0xC6, 0x63, 0x03, 0x9D, 0xBC, 0x1A, 0xC6,
        0xE4, 0x16, 0x87, 0xAC, 0xF5, 0x17, 0xE9, 0x4A, 0x67, 0x90, 0x6E, 0x81, 0x9B, 0xAE, 0xAD,
        0xE7, 0x86, 0x60, 0x2F, 0xC6, 0xBE, 0x75, 0x09, 0xE3, 0x03, 0x00, 0xA9, 0xCC, 0xBA, 0x6C,
        0xDA,
    ];
    const GCS13A_PLAIN: [u8; 29] = [
        0x02, 0x03, 0x00, 0x22, 0xE8, 0x03, 0x00, 0x01, 0x03, 0x00, 0x22, 0x01, 0x00, 0x00, 0x00,
        0x03, 0x00, 0x30, 0x01, 0x00, 0x00, 0x00, 0x25, 0x39, 0x30, 0x00, 0x00, 0x00, 0x00,
    ];
    // GCS13a command (RTDS 4.5.0).
    const GCS13A_COMMAND: [u8; 19] = [
        0x01, 0x09, 0x01, 0x01, 0x07, 0x02, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x02, 0x03, 0x01, 0x03,
        0x00, 0x03, 0x00, 0x00,
    ];
    // CS01b response (RTDS 4.5.0 SUCCESS): accepted, 1 250 000 added,
    // 25 144 000 remaining.
    const CS01B_RESPONSE: [u8; 21] = [
        0x01, 0x09, 0x01, 0x01, 0x07, 0x05, 0x00, 0x0D, 0x09, 0x00, 0x03, 0x00, 0xD0, 0x12, 0x13,
        0x00, 0x00, 0xC0, 0xAA, 0x7F, 0x01,
    ];

    #[test]
    fn the_gas_register_in_cubic_metres() {
        let plain = [(15, &GCS13A_PLAIN[..])];
        let t = decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE, &plain)
            .unwrap()
            .unwrap();
        let GbzTyped::ConsumptionRegister(Protected::Decrypted(ZclReply::Value(r))) = t else {
            panic!("{t:?}")
        };
        assert_eq!(r.summation, Attr::Value(12_345));
        assert_eq!(r.multiplier, Attr::Value(1));
        assert_eq!(r.divisor, Attr::Value(1000));
        assert_eq!(
            r.unit_of_measure.value().unwrap().0.label(),
            Some("m3_binary")
        );
        assert_eq!(r.to_f64(), Some(12.345));
    }

    #[test]
    fn without_its_plaintext_the_register_stays_encrypted() {
        let t = decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE, &[])
            .unwrap()
            .unwrap();
        assert_eq!(
            t,
            GbzTyped::ConsumptionRegister(Protected::Encrypted(Encrypted {
                offset: 15,
                ciphered_len: 46
            }))
        );
        // A plaintext at another offset is not taken for it.
        let wrong = [(14, &GCS13A_PLAIN[..])];
        let t = decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE, &wrong)
            .unwrap()
            .unwrap();
        assert!(matches!(
            t,
            GbzTyped::ConsumptionRegister(Protected::Encrypted(_))
        ));
    }

    #[test]
    fn a_failed_attribute_is_typed() {
        // GCS13a ERROR response plaintext: the divisor reads "hardware
        // failure" (0xC0), the rest succeed.
        let mut plain: Vec<u8> = GCS13A_PLAIN.to_vec();
        plain.splice(2..7, [0xC0]);
        let mut r = Reader::new(&plain, LAYER);
        let reg = ConsumptionRegister::read(&mut r).unwrap();
        assert!(r.is_empty());
        assert_eq!(
            reg.divisor,
            Attr::Failed(ZclStatus(Status::HardwareFailure))
        );
        assert_eq!(reg.summation, Attr::Value(12_345));
        assert_eq!(reg.to_f64(), None);
    }

    #[test]
    fn errors_in_a_plaintext_point_at_its_ciphertext() {
        // The second record names the wrong attribute: its identifier is
        // plaintext octet 7, ciphertext octet 15 + 5 + 7 of the payload.
        let mut plain = GCS13A_PLAIN;
        plain[7] = 0x04;
        let e = decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE, &[(15, &plain)]).unwrap_err();
        assert_eq!(e.offset, 27);
        // A component of another cluster, at its cluster id.
        let mut other = CS01B_RESPONSE;
        other[5] = 0x02;
        let e = decode(CS01B, CraFlag::Response, &other, &[]).unwrap_err();
        assert_eq!(e.offset, 4);
    }

    #[test]
    fn the_top_up_result() {
        let t = decode(CS01B, CraFlag::Response, &CS01B_RESPONSE, &[])
            .unwrap()
            .unwrap();
        let GbzTyped::TopUp(ZclReply::Value(v)) = t else {
            panic!("{t:?}")
        };
        assert!(v.accepted());
        assert_eq!(v.top_up_value, 1_250_000);
        assert_eq!(v.credit_remaining, 25_144_000);
        assert_eq!(v.source, Some("energy_service_interface"));
    }

    #[test]
    fn the_register_read_builds_as_rtds_sends_it() {
        assert_eq!(
            ReadRequest::ConsumptionRegister.to_vec().unwrap(),
            GCS13A_COMMAND
        );
        let t = decode(GCS13A, CraFlag::Command, &GCS13A_COMMAND, &[])
            .unwrap()
            .unwrap();
        assert_eq!(t, GbzTyped::ReadRequest(ReadRequest::ConsumptionRegister));
        // Not typed here: Ok(None).
        assert_eq!(
            decode(0x0076, CraFlag::Command, &GCS13A_COMMAND, &[]),
            Ok(None)
        );
    }

    #[test]
    fn every_cut_is_an_error() {
        let plain = [(15, &GCS13A_PLAIN[..])];
        for cut in 0..GCS13A_RESPONSE.len() {
            assert!(decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE[..cut], &plain).is_err());
        }
        for cut in 0..GCS13A_PLAIN.len() {
            let short = [(15, &GCS13A_PLAIN[..cut])];
            assert!(decode(GCS13A, CraFlag::Response, &GCS13A_RESPONSE, &short).is_err());
        }
        for cut in 0..CS01B_RESPONSE.len() {
            assert!(decode(CS01B, CraFlag::Response, &CS01B_RESPONSE[..cut], &[]).is_err());
        }
        for cut in 0..GCS13A_COMMAND.len() {
            assert!(decode(GCS13A, CraFlag::Command, &GCS13A_COMMAND[..cut], &[]).is_err());
        }
    }

    proptest! {
        #[test]
        fn sampled_data_requests_round_trip(t in any::<u32>(), n in any::<u16>(), daily in any::<bool>()) {
            let log = if daily { SampledLog::DailyConsumption } else { SampledLog::ProfileData };
            let r = SampledDataRequest {
                log,
                earliest_sample_time: Utc2000(t),
                sample_type: 0,
                number_of_samples: n,
            };
            let b = r.to_vec().unwrap();
            prop_assert_eq!(b.len(), r.encoded_len());
            prop_assert_eq!(SampledDataRequest::decode(log, &b).unwrap(), r);
        }

        #[test]
        fn top_up_requests_round_trip(utrn in "[0-9]{20}") {
            let r = TopUpRequest::new(&utrn).unwrap();
            let b = r.to_vec().unwrap();
            prop_assert_eq!(TopUpRequest::decode(&b).unwrap(), r);
        }
    }
}
