//! GBZ payloads, the GBCS wrapper around ZCL frames for gas use cases
//! (GBCS 7.2.3 and 7.3.4): the header, the alert header and alert-specific
//! content, and the components, each a ZCL frame in clear or with its ZCL
//! payload encrypted. Decoded without copying and re-encoded byte for byte;
//! the meaning of a use case's sequence of components is not interpreted here.
//!
//! ```
//! use smets_core::{Decode, Encode};
//! use smets_gbcs::envelope::CraFlag;
//! use smets_gbcs::gbz::{ComponentBody, GbzPayload};
//! use smets_zigbee::zcl::ZclCommand;
//!
//! // GCS13a command (RTDS 4.5.0): read divisor, multiplier, unit, summation.
//! let bytes = [
//!     0x01, 0x09, 0x01, 0x01, 0x07, 0x02, 0x00, 0x0B, 0x00, 0x00, 0x00, 0x02, 0x03, 0x01, 0x03,
//!     0x00, 0x03, 0x00, 0x00,
//! ];
//! let p = GbzPayload::decode_as(&bytes, CraFlag::Command)?;
//! assert_eq!(p.header.component_count, 1);
//! let c = p.components().next().expect("one component");
//! assert_eq!(c.cluster_id, 0x0702);
//! assert!(c.control.last && !c.control.encrypted);
//! let Some(ZclCommand::Foundation(read)) = c.zcl_command()? else { panic!() };
//! assert_eq!(read.command_id(), 0x00);
//! assert_eq!(p.to_vec().unwrap(), bytes);
//! # Ok::<(), smets_core::DecodeError>(())
//! ```

use alloc::vec::Vec;

use bytes::BufMut;
use smets_core::time::Utc2000;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};
use smets_zigbee::zcl::{FrameControl, ZclCommand, ZclFrame};

use crate::crypto::{self, CryptoError, ENCRYPTION_SECURITY_CONTROL, MessageKey};
use crate::envelope::CraFlag;
use crate::protected::{
    GBZ_CONTROL_ENCRYPTED, GBZ_CONTROL_FROM_DATE_TIME, GBZ_CONTROL_LAST, GBZ_PROFILE_ID,
    SECURITY_CONTROL, SECURITY_HEADER_LEN, TAG_LEN,
};

const LAYER: Layer = Layer::Gbcs;

/// Reads `N` octets as a borrowed array.
fn array_ref<'a, const N: usize>(
    r: &mut Reader<'a>,
    field: &'static str,
) -> Result<&'a [u8; N], DecodeError> {
    let at = r.offset();
    r.bytes(N, field)?
        .first_chunk::<N>()
        .ok_or_else(|| DecodeError::truncated(LAYER, at, field, N, 0))
}

/// Length of the GBZ header of a command or response: profile id and
/// component count (GBCS 7.2.3).
pub const HEADER_LEN: usize = 3;
/// Length of the GBZ alert header: the header, alert code and time stamp
/// (GBCS 7.2.3).
pub const ALERT_HEADER_LEN: usize = 9;
/// Length of a component's extended header: control, cluster id and GBZ
/// command length (GBCS 7.3.4).
pub const EXTENDED_HEADER_LEN: usize = 5;
/// The length byte opening the content of a future-dated alert (`0x0E`,
/// the 14 octets that follow; GBCS 7.2.3).
pub const FUTURE_DATED_LEN: u8 = 14;
/// The two octets before a firmware alert's image hash (GBCS 7.2.3): an
/// octet-string tag `09` and length `20`.
pub const IMAGE_HASH_PREFIX: [u8; 2] = [0x09, 0x20];
/// Length of the image hash of a firmware verification alert (SHA-256).
pub const IMAGE_HASH_LEN: usize = 32;

open_enum! {
    /// GBZ alert codes whose alert-specific content this module reads
    /// (GBCS 7.2.3 and the alert code table of GBCS 16.2); every other code
    /// is carried as `Unknown` and its content read as components.
    pub enum AlertCode: u16 {
        /// "Billing Data Log Updated" (GCS53): one component follows.
        BillingDataLogUpdated = 0x8F0A => "billing_data_log_updated",
        /// "Future-dated HAN Interface Command Successfully Actioned".
        FutureDatedCommandActioned = 0x8F66 => "future_dated_command_actioned",
        /// "Future-dated HAN Interface Command not Successfully Actioned".
        FutureDatedCommandNotActioned = 0x8F67 => "future_dated_command_not_actioned",
        /// "Firmware Verification Successful": the image hash follows.
        FirmwareVerificationSuccessful = 0x8F72 => "firmware_verification_successful",
        /// "Firmware Verification Failed": the image hash follows.
        FirmwareVerificationFailed = 0x8F1C => "firmware_verification_failed",
        /// "Smart Meter Integrity Issue - Warning": a reason code follows.
        SmartMeterIntegrityIssueWarning = 0x81A0 => "smart_meter_integrity_issue_warning",
        /// "User Interface Command Input and Successfully Actioned".
        UserInterfaceCommandActioned = 0x8161 => "user_interface_command_actioned",
        /// "User Interface Command Input but not Successfully Actioned".
        UserInterfaceCommandNotActioned = 0x8162 => "user_interface_command_not_actioned",
    }
}

/// What follows an alert header, by alert code (GBCS 7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertContentKind {
    /// Components (Billing Data Log Updated), or none at all (generic alerts).
    Components,
    /// The future-dated command's identification.
    FutureDated,
    /// The image hash.
    ImageHash,
    /// The integrity issue reason.
    IntegrityWarning,
    /// The user interface command code.
    UserInterfaceCommand,
}

impl AlertCode {
    /// The form of the content after the alert header.
    #[must_use]
    pub const fn content_kind(self) -> AlertContentKind {
        match self {
            Self::FutureDatedCommandActioned | Self::FutureDatedCommandNotActioned => {
                AlertContentKind::FutureDated
            }
            Self::FirmwareVerificationSuccessful | Self::FirmwareVerificationFailed => {
                AlertContentKind::ImageHash
            }
            Self::SmartMeterIntegrityIssueWarning => AlertContentKind::IntegrityWarning,
            Self::UserInterfaceCommandActioned | Self::UserInterfaceCommandNotActioned => {
                AlertContentKind::UserInterfaceCommand
            }
            _ => AlertContentKind::Components,
        }
    }
}

/// Which header form a GBZ payload has: the CRA flag of the message that
/// carries it decides (GBCS 7.2.3). Commands and responses share a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GbzKind {
    /// A command or a response: profile id and component count.
    CommandOrResponse,
    /// An alert: alert code and time stamp after the component count.
    Alert,
}

impl From<CraFlag> for GbzKind {
    fn from(cra: CraFlag) -> Self {
        if cra == CraFlag::Alert {
            Self::Alert
        } else {
            Self::CommandOrResponse
        }
    }
}

/// The extended header control field of a component (GBCS 7.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GbzControl {
    /// Bit 0: the last component of the message.
    pub last: bool,
    /// Bit 1: the component's ZCL payload is encrypted.
    pub encrypted: bool,
    /// Bit 4: a from-date-time precedes the ZCL header.
    pub from_date_time: bool,
    /// The other bits, in place (bits 2, 3, 5-7); kept so that the byte re-encodes.
    pub reserved: u8,
}

const CONTROL_KNOWN: u8 = GBZ_CONTROL_LAST | GBZ_CONTROL_ENCRYPTED | GBZ_CONTROL_FROM_DATE_TIME;

impl GbzControl {
    /// Decodes the byte.
    #[must_use]
    pub const fn from_byte(b: u8) -> Self {
        Self {
            last: b & GBZ_CONTROL_LAST != 0,
            encrypted: b & GBZ_CONTROL_ENCRYPTED != 0,
            from_date_time: b & GBZ_CONTROL_FROM_DATE_TIME != 0,
            reserved: b & !CONTROL_KNOWN,
        }
    }

    /// Encodes the byte.
    ///
    /// # Errors
    /// [`EncodeError`] when `reserved` overlaps a defined bit.
    pub const fn to_byte(self) -> Result<u8, EncodeError> {
        if self.reserved & CONTROL_KNOWN != 0 {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "gbz extended header control reserved bits",
                self.reserved as u64,
            ));
        }
        let mut b = self.reserved;
        if self.last {
            b |= GBZ_CONTROL_LAST;
        }
        if self.encrypted {
            b |= GBZ_CONTROL_ENCRYPTED;
        }
        if self.from_date_time {
            b |= GBZ_CONTROL_FROM_DATE_TIME;
        }
        Ok(b)
    }
}

/// The alert header of a GBZ alert: alert code and time stamp, both
/// big-endian (GBCS 7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AlertHeader {
    /// Alert code.
    pub code: AlertCode,
    /// When the alert was raised: UTC seconds since 2000.
    pub time: Utc2000,
}

/// The GBZ header (GBCS 7.2.3): profile id `0x0109` (implied), the number of
/// GBZ use-case-specific components and, in an alert, the alert header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbzHeader {
    /// The component count as sent. In alerts with alert-specific content
    /// (future-dated, firmware) it is the sender's and need not match
    /// anything that follows.
    pub component_count: u8,
    /// Alert code and time stamp, in an alert.
    pub alert: Option<AlertHeader>,
}

impl GbzHeader {
    /// Reads the header at the start of `buf` in the form `kind` says;
    /// returns it and its length. Lets a caller look at the alert code
    /// before reading the rest.
    ///
    /// # Errors
    /// Truncation, or a profile id other than `0x0109`.
    pub fn decode_prefix(buf: &[u8], kind: GbzKind) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        let profile = r.u16_be("gbz profile id")?;
        if profile != GBZ_PROFILE_ID {
            return Err(r.invalid(2, "gbz profile id", u64::from(profile)));
        }
        let component_count = r.u8("gbz component count")?;
        let alert = match kind {
            GbzKind::CommandOrResponse => None,
            GbzKind::Alert => Some(AlertHeader {
                code: AlertCode::from(r.u16_be("gbz alert code")?),
                time: Utc2000(r.u32_be("gbz alert time stamp")?),
            }),
        };
        Ok((
            Self {
                component_count,
                alert,
            },
            r.pos(),
        ))
    }

    /// The form of the payload this header opens.
    #[must_use]
    pub const fn kind(&self) -> GbzKind {
        if self.alert.is_some() {
            GbzKind::Alert
        } else {
            GbzKind::CommandOrResponse
        }
    }

    /// What follows the header: components unless the alert code gives
    /// alert-specific content.
    #[must_use]
    pub const fn content_kind(&self) -> AlertContentKind {
        match self.alert {
            Some(a) => a.code.content_kind(),
            None => AlertContentKind::Components,
        }
    }
}

impl Encode for GbzHeader {
    fn encoded_len(&self) -> usize {
        if self.alert.is_some() {
            ALERT_HEADER_LEN
        } else {
            HEADER_LEN
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u16(GBZ_PROFILE_ID);
        out.put_u8(self.component_count);
        if let Some(a) = self.alert {
            out.put_u16(a.code.value());
            out.put_u32(a.time.0);
        }
        Ok(())
    }
}

/// The content of a future-dated command alert (8F66, 8F67; GBCS 7.2.3):
/// which command was, or was not, actioned. Encoded after a length byte
/// `0x0E`, big-endian except the ZCL frame control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FutureDatedAlert {
    /// Message code of the future-dated command.
    pub message_code: u16,
    /// Originator counter of the command.
    pub originator_counter: u64,
    /// The cluster the command addressed.
    pub cluster_id: u16,
    /// The command's ZCL frame control.
    pub frame_control: FrameControl,
    /// The command's ZCL command id.
    pub command_id: u8,
}

impl FutureDatedAlert {
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.u8("future-dated alert length")?;
        if n != FUTURE_DATED_LEN {
            return Err(r.invalid(1, "future-dated alert length", u64::from(n)));
        }
        Ok(Self {
            message_code: r.u16_be("message code")?,
            originator_counter: r.uint_be(8, "originator counter")?,
            cluster_id: r.u16_be("cluster id")?,
            frame_control: FrameControl::from_byte(r.u8("zcl frame control")?),
            command_id: r.u8("zcl command id")?,
        })
    }
}

impl Encode for FutureDatedAlert {
    fn encoded_len(&self) -> usize {
        1 + usize::from(FUTURE_DATED_LEN)
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let fc = self.frame_control.to_byte()?;
        ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u8(FUTURE_DATED_LEN);
        out.put_u16(self.message_code);
        out.put_u64(self.originator_counter);
        out.put_u16(self.cluster_id);
        out.put_u8(fc);
        out.put_u8(self.command_id);
        Ok(())
    }
}

/// What follows the GBZ header (GBCS 7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GbzBody<'a> {
    /// The components: every command and response, the Billing Data Log
    /// alert, and (with none) the generic alerts.
    Components(Components<'a>),
    /// Future-dated command alert content (8F66, 8F67).
    FutureDated(FutureDatedAlert),
    /// Firmware verification alert content (8F72, 8F1C): the calculated
    /// manufacturer image hash.
    ImageHash(&'a [u8; IMAGE_HASH_LEN]),
    /// Smart meter integrity issue warning (81A0): the reason code.
    IntegrityWarning(u16),
    /// User interface command alerts (8161, 8162): the command code.
    UserInterfaceCommand(u16),
}

impl GbzBody<'_> {
    /// The form of this content.
    #[must_use]
    pub const fn kind(&self) -> AlertContentKind {
        match self {
            Self::Components(_) => AlertContentKind::Components,
            Self::FutureDated(_) => AlertContentKind::FutureDated,
            Self::ImageHash(_) => AlertContentKind::ImageHash,
            Self::IntegrityWarning(_) => AlertContentKind::IntegrityWarning,
            Self::UserInterfaceCommand(_) => AlertContentKind::UserInterfaceCommand,
        }
    }
}

impl Encode for GbzBody<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Components(c) => c.bytes.len(),
            Self::FutureDated(f) => f.encoded_len(),
            Self::ImageHash(_) => IMAGE_HASH_PREFIX.len() + IMAGE_HASH_LEN,
            Self::IntegrityWarning(_) | Self::UserInterfaceCommand(_) => 2,
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if let Self::FutureDated(f) = self {
            return f.encode(out);
        }
        ensure_room(out, self.encoded_len(), LAYER)?;
        match self {
            Self::Components(c) => out.put_slice(c.bytes),
            Self::ImageHash(h) => {
                out.put_slice(&IMAGE_HASH_PREFIX);
                out.put_slice(&h[..]);
            }
            Self::IntegrityWarning(v) | Self::UserInterfaceCommand(v) => out.put_u16(*v),
            Self::FutureDated(_) => {}
        }
        Ok(())
    }
}

/// A GBZ payload (GBCS 7.2.3): header and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbzPayload<'a> {
    /// Header.
    pub header: GbzHeader,
    /// Components or alert-specific content.
    pub body: GbzBody<'a>,
}

impl<'a> GbzPayload<'a> {
    /// Decodes a whole payload of the form `kind` (pass the message's
    /// [`CraFlag`]): the header, then, by alert code, components or
    /// alert-specific content, which must fill `buf`. Every component's
    /// framing is checked here, so iterating them never fails.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Gbcs, or Zcl for a ZCL header) with offsets
    /// within `buf`.
    pub fn decode_as(buf: &'a [u8], kind: impl Into<GbzKind>) -> Result<Self, DecodeError> {
        let (header, at) = GbzHeader::decode_prefix(buf, kind.into())?;
        let mut r = Reader::with_base(buf.get(at..).unwrap_or_default(), LAYER, at);
        let body = match header.content_kind() {
            AlertContentKind::Components => GbzBody::Components(
                Components::decode(r.rest(), header.component_count).map_err(|e| e.shifted(at))?,
            ),
            AlertContentKind::FutureDated => GbzBody::FutureDated(FutureDatedAlert::read(&mut r)?),
            AlertContentKind::ImageHash => {
                let prefix = r.u16_be("image hash prefix")?;
                if prefix.to_be_bytes() != IMAGE_HASH_PREFIX {
                    return Err(r.invalid(2, "image hash prefix", u64::from(prefix)));
                }
                GbzBody::ImageHash(array_ref::<IMAGE_HASH_LEN>(&mut r, "image hash")?)
            }
            AlertContentKind::IntegrityWarning => {
                GbzBody::IntegrityWarning(r.u16_be("integrity issue reason")?)
            }
            AlertContentKind::UserInterfaceCommand => {
                GbzBody::UserInterfaceCommand(r.u16_be("user interface command")?)
            }
        };
        r.finish()?;
        Ok(Self { header, body })
    }

    /// The components: empty for alert-specific content.
    #[must_use]
    pub fn components(&self) -> ComponentIter<'a> {
        match self.body {
            GbzBody::Components(c) => c.iter(),
            _ => Components::EMPTY.iter(),
        }
    }

    /// The components with the offset of each within the payload.
    pub fn components_with_offsets(
        &self,
    ) -> impl Iterator<Item = (usize, GbzComponent<'a>)> + use<'a> {
        let base = self.header.encoded_len();
        let c = match self.body {
            GbzBody::Components(c) => c,
            _ => Components::EMPTY,
        };
        c.iter_with_offsets().map(move |(at, c)| (base + at, c))
    }
}

impl Encode for GbzPayload<'_> {
    fn encoded_len(&self) -> usize {
        self.header.encoded_len() + self.body.encoded_len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.header.content_kind() != self.body.kind() {
            return Err(EncodeError::inconsistent(LAYER, "gbz alert content"));
        }
        if let GbzBody::Components(c) = self.body
            && c.count != self.header.component_count
        {
            return Err(EncodeError::inconsistent(LAYER, "gbz component count"));
        }
        ensure_room(out, self.encoded_len(), LAYER)?;
        self.header.encode(out)?;
        self.body.encode(out)
    }
}

/// A GBZ payload to build from components held in a slice (GBCS 7.2.3):
/// the component count is the slice's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentList<'c, 'a> {
    /// The alert header, for an alert (whose code must be one that carries
    /// components).
    pub alert: Option<AlertHeader>,
    /// The components, in order.
    pub components: &'c [GbzComponent<'a>],
}

impl Encode for ComponentList<'_, '_> {
    fn encoded_len(&self) -> usize {
        let header = if self.alert.is_some() {
            ALERT_HEADER_LEN
        } else {
            HEADER_LEN
        };
        header
            + self
                .components
                .iter()
                .map(Encode::encoded_len)
                .sum::<usize>()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let count = u8::try_from(self.components.len()).map_err(|_| {
            EncodeError::unrepresentable(LAYER, "gbz component count", self.components.len() as u64)
        })?;
        let header = GbzHeader {
            component_count: count,
            alert: self.alert,
        };
        if header.content_kind() != AlertContentKind::Components {
            return Err(EncodeError::inconsistent(LAYER, "gbz alert content"));
        }
        ensure_room(out, self.encoded_len(), LAYER)?;
        header.encode(out)?;
        for c in self.components {
            c.encode(out)?;
        }
        Ok(())
    }
}

/// A checked run of GBZ components (GBCS 7.3.4), borrowed from the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Components<'a> {
    bytes: &'a [u8],
    count: u8,
}

impl<'a> Components<'a> {
    /// No components.
    pub const EMPTY: Components<'static> = Components {
        bytes: &[],
        count: 0,
    };

    /// Checks that `bytes` holds exactly `count` components.
    ///
    /// # Errors
    /// The first component that does not decode, or bytes after the last.
    pub fn decode(bytes: &'a [u8], count: u8) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes, LAYER);
        for _ in 0..count {
            GbzComponent::read(&mut r)?;
        }
        r.finish()?;
        Ok(Self { bytes, count })
    }

    /// The encoded components.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// How many components there are.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether there are none.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The components, in order.
    #[must_use]
    pub fn iter(&self) -> ComponentIter<'a> {
        ComponentIter {
            r: Reader::new(self.bytes, LAYER),
            left: self.count,
        }
    }

    /// The components with the offset of each within these bytes.
    pub fn iter_with_offsets(&self) -> impl Iterator<Item = (usize, GbzComponent<'a>)> + use<'a> {
        let mut it = self.iter();
        core::iter::from_fn(move || {
            let at = it.next_offset();
            it.next().map(|c| (at, c))
        })
    }
}

impl ExactSizeIterator for ComponentIter<'_> {}

impl<'a> IntoIterator for Components<'a> {
    type Item = GbzComponent<'a>;
    type IntoIter = ComponentIter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over checked [`Components`].
#[derive(Debug, Clone)]
pub struct ComponentIter<'a> {
    r: Reader<'a>,
    left: u8,
}

impl ComponentIter<'_> {
    /// Offset of the next component within the run's bytes.
    #[must_use]
    pub const fn next_offset(&self) -> usize {
        self.r.pos()
    }
}

impl<'a> Iterator for ComponentIter<'a> {
    type Item = GbzComponent<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.left = self.left.checked_sub(1)?;
        // The run was checked when it was built: this cannot fail.
        GbzComponent::read(&mut self.r).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::from(self.left), Some(usize::from(self.left)))
    }
}

/// The additional header of an encrypted component (GBCS 7.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AdditionalHeader {
    /// Additional header control (0 in GBCS).
    pub control: u8,
    /// Frame counter: counts the encrypted components of a message.
    pub frame_counter: u8,
}

/// The ZCL header of an encrypted component, sent in clear before the
/// ciphered information (ZCL rev. 8 2.4.1; GBCS 7.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZclHeader {
    /// Frame control.
    pub frame_control: FrameControl,
    /// Manufacturer code, when the frame control says so.
    pub manufacturer: Option<u16>,
    /// Transaction sequence number.
    pub tsn: u8,
    /// Command id.
    pub command_id: u8,
}

impl ZclHeader {
    /// The ZCL frame of this header and `payload`.
    #[must_use]
    pub const fn frame<'p>(&self, payload: &'p [u8]) -> ZclFrame<'p> {
        ZclFrame {
            frame_control: self.frame_control,
            manufacturer: self.manufacturer,
            tsn: self.tsn,
            command_id: self.command_id,
            payload,
        }
    }

    const fn encoded_len(&self) -> usize {
        if self.manufacturer.is_some() { 5 } else { 3 }
    }
}

/// Ciphered information (GBCS 7.3.5): security header (security control
/// `0x31` and invocation counter), ciphertext and 12-octet tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CipheredInformation<'a> {
    /// Security control (`0x31`).
    pub security_control: u8,
    /// Invocation counter (0 in GBCS).
    pub invocation_counter: u32,
    /// The encrypted ZCL payload.
    pub ciphertext: &'a [u8],
    /// The AES-GCM tag.
    pub tag: &'a [u8; TAG_LEN],
}

impl<'a> Decode<'a> for CipheredInformation<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        Self::read(&mut r, buf.len())
    }
}

impl<'a> CipheredInformation<'a> {
    /// Reads `len` octets of ciphered information.
    fn read(r: &mut Reader<'a>, len: usize) -> Result<Self, DecodeError> {
        let Some(ct_len) = len.checked_sub(SECURITY_HEADER_LEN + TAG_LEN) else {
            return Err(DecodeError::invalid(
                LAYER,
                r.offset(),
                "ciphered information length",
                len as u64,
            ));
        };
        let security_control = r.u8("security control")?;
        if security_control != SECURITY_CONTROL {
            return Err(r.invalid(1, "security control", u64::from(security_control)));
        }
        Ok(Self {
            security_control,
            invocation_counter: r.u32_be("invocation counter")?,
            ciphertext: r.bytes(ct_len, "ciphertext")?,
            tag: array_ref::<TAG_LEN>(r, "tag")?,
        })
    }

    /// Encrypts `plaintext`, a ZCL payload, with `key` for a message from
    /// `originator` (GBCS 7.3.4: AES-128-GCM, IV from the originator,
    /// additional data the security control): the ciphered information
    /// bytes, to decode into a [`CipheredInformation`].
    ///
    /// # Errors
    /// [`CryptoError`] when the plaintext is too long.
    pub fn seal(
        key: &MessageKey,
        originator: Eui64,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let mut buf = plaintext.to_vec();
        let tag = crypto::encrypt_in_place(
            key,
            &crypto::iv(originator),
            &[ENCRYPTION_SECURITY_CONTROL],
            &mut buf,
        )?;
        let mut out = Vec::with_capacity(SECURITY_HEADER_LEN + buf.len() + TAG_LEN);
        out.push(ENCRYPTION_SECURITY_CONTROL);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&buf);
        out.extend_from_slice(&tag);
        Ok(out)
    }

    /// The plaintext ZCL payload, decrypted with `key` for a message from
    /// `originator` (the key of [`crate::security::SecurityContext::encryption_key`]);
    /// `None` when the tag does not verify or the header is not `31 00000000`.
    #[must_use]
    pub fn decrypt(&self, key: &MessageKey, originator: Eui64) -> Option<Vec<u8>> {
        let mut ciphered = Vec::with_capacity(self.encoded_len());
        self.encode(&mut ciphered).ok()?;
        crate::security::decrypt_part(key, originator, &ciphered)
    }
}

impl Encode for CipheredInformation<'_> {
    fn encoded_len(&self) -> usize {
        SECURITY_HEADER_LEN + self.ciphertext.len() + TAG_LEN
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.security_control != SECURITY_CONTROL {
            return Err(EncodeError::unrepresentable(
                LAYER,
                "security control",
                u64::from(self.security_control),
            ));
        }
        ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u8(self.security_control);
        out.put_u32(self.invocation_counter);
        out.put_slice(self.ciphertext);
        out.put_slice(&self.tag[..]);
        Ok(())
    }
}

/// An encrypted component's content after the extended header and
/// from-date-time (GBCS 7.3.4): additional header, ZCL header in clear,
/// ciphered information length and the ciphered information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncryptedZcl<'a> {
    /// Additional header.
    pub additional_header: AdditionalHeader,
    /// ZCL header.
    pub header: ZclHeader,
    /// The encrypted ZCL payload.
    pub ciphered: CipheredInformation<'a>,
}

impl EncryptedZcl<'_> {
    /// Offset of the ciphered information within this content.
    const fn ciphered_offset(&self) -> usize {
        2 + self.header.encoded_len() + 2
    }

    const fn encoded_len(&self) -> usize {
        self.ciphered_offset() + SECURITY_HEADER_LEN + self.ciphered.ciphertext.len() + TAG_LEN
    }
}

/// A component's ZCL frame: in clear, or with its payload encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentBody<'a> {
    /// The whole ZCL frame in clear.
    Plain(ZclFrame<'a>),
    /// The ZCL header in clear and the payload encrypted.
    Encrypted(EncryptedZcl<'a>),
}

/// A GBZ use-case-specific component (GBCS 7.3.4): extended header (control,
/// cluster id, GBZ command length), optional from-date-time and the ZCL
/// frame. The GBZ command length is not held: it is the length of what
/// follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GbzComponent<'a> {
    /// Extended header control.
    pub control: GbzControl,
    /// Cluster id (big-endian on the wire).
    pub cluster_id: u16,
    /// From date-time (UTC seconds since 2000, big-endian), when the control
    /// says so; `FFFFFFFF` (cancellation, in GCS05) is kept as it is.
    pub from_date_time: Option<Utc2000>,
    /// The ZCL frame.
    pub body: ComponentBody<'a>,
}

impl<'a> Decode<'a> for GbzComponent<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, LAYER);
        let c = Self::read(&mut r)?;
        r.finish()?;
        Ok(c)
    }
}

impl<'a> GbzComponent<'a> {
    /// A component carrying `frame` in clear; the control's encrypted and
    /// from-date-time bits are set from the arguments.
    #[must_use]
    pub const fn plain(
        control: GbzControl,
        cluster_id: u16,
        from_date_time: Option<Utc2000>,
        frame: ZclFrame<'a>,
    ) -> Self {
        Self {
            control: GbzControl {
                encrypted: false,
                from_date_time: from_date_time.is_some(),
                ..control
            },
            cluster_id,
            from_date_time,
            body: ComponentBody::Plain(frame),
        }
    }

    /// An encrypted component; the control's encrypted and from-date-time
    /// bits are set from the arguments. `ciphered` is typically decoded from
    /// [`CipheredInformation::seal`]'s output or `SecurityContext::encrypt_part`'s.
    #[must_use]
    pub const fn encrypted(
        control: GbzControl,
        cluster_id: u16,
        from_date_time: Option<Utc2000>,
        additional_header: AdditionalHeader,
        header: ZclHeader,
        ciphered: CipheredInformation<'a>,
    ) -> Self {
        Self {
            control: GbzControl {
                encrypted: true,
                from_date_time: from_date_time.is_some(),
                ..control
            },
            cluster_id,
            from_date_time,
            body: ComponentBody::Encrypted(EncryptedZcl {
                additional_header,
                header,
                ciphered,
            }),
        }
    }

    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let control = GbzControl::from_byte(r.u8("gbz extended header control")?);
        let cluster_id = r.u16_be("gbz cluster id")?;
        let len = usize::from(r.u16_be("gbz command length")?);
        let at = r.offset();
        let mut b = Reader::with_base(r.bytes(len, "gbz command")?, LAYER, at);
        let from_date_time = if control.from_date_time {
            Some(Utc2000(b.u32_be("gbz from date-time")?))
        } else {
            None
        };
        let body = if control.encrypted {
            let additional_header = AdditionalHeader {
                control: b.u8("gbz additional header control")?,
                frame_counter: b.u8("gbz additional frame counter")?,
            };
            let frame_control = FrameControl::from_byte(b.u8("zcl frame control")?);
            let manufacturer = if frame_control.manufacturer_specific {
                Some(b.u16_le("zcl manufacturer code")?)
            } else {
                None
            };
            let header = ZclHeader {
                frame_control,
                manufacturer,
                tsn: b.u8("zcl transaction sequence number")?,
                command_id: b.u8("zcl command id")?,
            };
            let ciphered_len = usize::from(b.u16_be("ciphered information length")?);
            if ciphered_len != b.remaining() {
                return Err(b.invalid(2, "ciphered information length", ciphered_len as u64));
            }
            ComponentBody::Encrypted(EncryptedZcl {
                additional_header,
                header,
                ciphered: CipheredInformation::read(&mut b, ciphered_len)?,
            })
        } else {
            let zcl_at = b.offset();
            ComponentBody::Plain(ZclFrame::decode(b.rest()).map_err(|e| e.shifted(zcl_at))?)
        };
        Ok(Self {
            control,
            cluster_id,
            from_date_time,
            body,
        })
    }

    /// The GBZ command length: the octets after the extended header.
    #[must_use]
    pub fn command_length(&self) -> usize {
        let date = if self.from_date_time.is_some() { 4 } else { 0 };
        date + match &self.body {
            ComponentBody::Plain(f) => f.encoded_len(),
            ComponentBody::Encrypted(e) => e.encoded_len(),
        }
    }

    /// Whether the ZCL payload is encrypted.
    #[must_use]
    pub const fn is_encrypted(&self) -> bool {
        matches!(self.body, ComponentBody::Encrypted(_))
    }

    /// The ZCL frame of a component in clear.
    #[must_use]
    pub const fn zcl_frame(&self) -> Option<ZclFrame<'a>> {
        match self.body {
            ComponentBody::Plain(f) => Some(f),
            ComponentBody::Encrypted(_) => None,
        }
    }

    /// The ZCL header, in clear in both forms.
    #[must_use]
    pub const fn zcl_header(&self) -> ZclHeader {
        match &self.body {
            ComponentBody::Plain(f) => ZclHeader {
                frame_control: f.frame_control,
                manufacturer: f.manufacturer,
                tsn: f.tsn,
                command_id: f.command_id,
            },
            ComponentBody::Encrypted(e) => e.header,
        }
    }

    /// The ciphered information of an encrypted component.
    #[must_use]
    pub const fn ciphered(&self) -> Option<&CipheredInformation<'a>> {
        match &self.body {
            ComponentBody::Encrypted(e) => Some(&e.ciphered),
            ComponentBody::Plain(_) => None,
        }
    }

    /// Offset of the ciphered information (its security control byte)
    /// within the encoded component, for an encrypted one.
    #[must_use]
    pub const fn ciphered_offset(&self) -> Option<usize> {
        let date = if self.from_date_time.is_some() { 4 } else { 0 };
        match &self.body {
            ComponentBody::Encrypted(e) => Some(EXTENDED_HEADER_LEN + date + e.ciphered_offset()),
            ComponentBody::Plain(_) => None,
        }
    }

    /// The decoded ZCL command of a component in clear (a foundation
    /// command, or the SE cluster command for `cluster_id`). `Ok(None)` for
    /// an encrypted component (see [`Self::decrypted_command`]) or a
    /// cluster command smets-zigbee does not know.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl) with offsets within the ZCL payload.
    pub fn zcl_command(&self) -> Result<Option<ZclCommand<'a>>, DecodeError> {
        match self.body {
            ComponentBody::Plain(f) => f.command(self.cluster_id),
            ComponentBody::Encrypted(_) => Ok(None),
        }
    }

    /// The plaintext ZCL payload of an encrypted component, decrypted with
    /// `key` for a message from `originator`. `None` for a component in
    /// clear, or when the tag does not verify (no plaintext is returned then).
    #[must_use]
    pub fn decrypt(&self, key: &MessageKey, originator: Eui64) -> Option<Vec<u8>> {
        self.ciphered()?.decrypt(key, originator)
    }

    /// The ZCL frame of an encrypted component once decrypted: its clear
    /// header and `plaintext` as payload. For a component in clear, its own
    /// frame with `plaintext` as payload.
    #[must_use]
    pub const fn decrypted_frame<'p>(&self, plaintext: &'p [u8]) -> ZclFrame<'p> {
        self.zcl_header().frame(plaintext)
    }

    /// The ZCL command of an encrypted component whose payload decrypted
    /// to `plaintext`.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl) with offsets within `plaintext`.
    pub fn decrypted_command<'p>(
        &self,
        plaintext: &'p [u8],
    ) -> Result<Option<ZclCommand<'p>>, DecodeError> {
        self.decrypted_frame(plaintext).command(self.cluster_id)
    }
}

impl Encode for GbzComponent<'_> {
    fn encoded_len(&self) -> usize {
        EXTENDED_HEADER_LEN + self.command_length()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        if self.control.encrypted != self.is_encrypted() {
            return Err(EncodeError::inconsistent(LAYER, "gbz encrypted component"));
        }
        if self.control.from_date_time != self.from_date_time.is_some() {
            return Err(EncodeError::inconsistent(LAYER, "gbz from date-time"));
        }
        let control = self.control.to_byte()?;
        let len = self.command_length();
        let len16 = u16::try_from(len)
            .map_err(|_| EncodeError::unrepresentable(LAYER, "gbz command length", len as u64))?;
        ensure_room(out, self.encoded_len(), LAYER)?;
        out.put_u8(control);
        out.put_u16(self.cluster_id);
        out.put_u16(len16);
        if let Some(t) = self.from_date_time {
            out.put_u32(t.0);
        }
        match &self.body {
            ComponentBody::Plain(f) => f.encode(out),
            ComponentBody::Encrypted(e) => {
                let h = &e.header;
                if h.manufacturer.is_some() != h.frame_control.manufacturer_specific {
                    return Err(EncodeError::inconsistent(LAYER, "zcl manufacturer code"));
                }
                let fc = h.frame_control.to_byte()?;
                out.put_u8(e.additional_header.control);
                out.put_u8(e.additional_header.frame_counter);
                out.put_u8(fc);
                if let Some(m) = h.manufacturer {
                    out.put_u16_le(m);
                }
                out.put_u8(h.tsn);
                out.put_u8(h.command_id);
                // Bounded by the command length checked above.
                let ciphered_len = u16::try_from(e.ciphered.encoded_len()).unwrap_or(u16::MAX);
                out.put_u16(ciphered_len);
                e.ciphered.encode(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec;

    use proptest::prelude::*;
    use smets_core::{DecodeErrorKind, EncodeErrorKind};
    use smets_zigbee::zcl::foundation::FoundationCommand;
    use smets_zigbee::zcl::{Direction, FrameType, Status};

    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RTDS 4.5.0 GCS13a command: one Metering Read Attributes in clear.
    const GCS13A_COMMAND: &str = "010901010702000B0000000203010300030000";
    /// RTDS 4.5.0 GCS13a response (reliable GSME): one encrypted Metering
    /// Read Attributes Response, and its plaintext ZCL payload.
    const GCS13A_RESPONSE: &str = "01090103070200350000180001002E31000000004F09E4C663039DBC1AC6E41687ACF517E94A67906E819BAEADE786602FC6BE7509E30300A9CCBA6CDA";
    const GCS13A_PLAINTEXT: &str = "02030022e8030001030022010000000300300100000025393000000000";
    /// RTDS 4.5.0 GCS15d command: a from-date-time, Prepayment Get Debt
    /// Repayment Log.
    const GCS15D_COMMAND: &str = "010901110705000D1C0E6C0001000A00D17F270A02";
    /// RTDS 4.5.0 alerts: 8F66 (GCS05 Set Low Credit Warning Level actioned),
    /// 8F72 firmware verification, 81A0 integrity warning, 8F30 generic.
    const ALERT_8F66: &str = "0109018F66388188900E006F00000000000003E907050109";
    const ALERT_8F72: &str =
        "0109018F721C374A800920A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1";
    const ALERT_81A0: &str = "01090181A01C374A800005";
    const ALERT_8F30: &str = "0109008F301C374A80";

    fn all() -> Vec<(Vec<u8>, GbzKind)> {
        vec![
            (unhex(GCS13A_COMMAND), GbzKind::CommandOrResponse),
            (unhex(GCS13A_RESPONSE), GbzKind::CommandOrResponse),
            (unhex(GCS15D_COMMAND), GbzKind::CommandOrResponse),
            (unhex(ALERT_8F66), GbzKind::Alert),
            (unhex(ALERT_8F72), GbzKind::Alert),
            (unhex(ALERT_81A0), GbzKind::Alert),
            (unhex(ALERT_8F30), GbzKind::Alert),
        ]
    }

    #[test]
    fn plain_read_attributes() {
        let b = unhex(GCS13A_COMMAND);
        let p = GbzPayload::decode_as(&b, CraFlag::Command).unwrap();
        assert_eq!(
            p.header,
            GbzHeader {
                component_count: 1,
                alert: None
            }
        );
        let cs: Vec<_> = p.components().collect();
        assert_eq!(cs.len(), 1);
        let c = cs[0];
        assert_eq!(c.control, GbzControl::from_byte(0x01));
        assert!(c.control.last && !c.control.encrypted && !c.control.from_date_time);
        assert_eq!(c.cluster_id, 0x0702);
        assert_eq!(c.from_date_time, None);
        assert_eq!(c.command_length(), 11);
        let f = c.zcl_frame().unwrap();
        assert_eq!(f.frame_control.frame_type, FrameType::Global);
        assert_eq!(f.frame_control.direction, Direction::ToServer);
        assert_eq!((f.tsn, f.command_id), (0, 0));
        let Some(ZclCommand::Foundation(FoundationCommand::ReadAttributes(ids))) =
            c.zcl_command().unwrap()
        else {
            panic!("read attributes")
        };
        let ids: Vec<u16> = ids.iter().map(|i| i.unwrap().0).collect();
        assert_eq!(ids, [0x0302, 0x0301, 0x0300, 0x0000]);
        assert_eq!(c.decrypt(&MessageKey::from_bytes([0; 16]), Eui64(0)), None);
        assert_eq!(p.components_with_offsets().next().unwrap().0, 3);
        assert_eq!(p.to_vec().unwrap(), b);
        assert_eq!(c.to_vec().unwrap(), &b[3..]);
        assert_eq!(GbzComponent::decode(&b[3..]).unwrap(), c);
    }

    #[test]
    fn encrypted_read_attributes_response() {
        let b = unhex(GCS13A_RESPONSE);
        let p = GbzPayload::decode_as(&b, CraFlag::Response).unwrap();
        let (at, c) = p.components_with_offsets().next().unwrap();
        assert_eq!(at, 3);
        assert!(c.control.last && c.control.encrypted);
        assert_eq!(c.cluster_id, 0x0702);
        assert_eq!(c.command_length(), 0x35);
        assert_eq!(c.ciphered_offset(), Some(12));
        let ComponentBody::Encrypted(e) = c.body else {
            panic!("encrypted")
        };
        assert_eq!(e.additional_header, AdditionalHeader::default());
        assert_eq!(e.header.frame_control, FrameControl::from_byte(0x18));
        assert_eq!((e.header.tsn, e.header.command_id), (0, 0x01));
        assert_eq!(e.ciphered.security_control, 0x31);
        assert_eq!(e.ciphered.invocation_counter, 0);
        assert_eq!(e.ciphered.ciphertext, &b[20..49]);
        assert_eq!(&e.ciphered.tag[..], &b[49..]);
        assert_eq!(c.zcl_frame(), None);
        assert_eq!(c.zcl_command(), Ok(None));
        // The plaintext the independent check gives reads as the command's payload.
        let plain = unhex(GCS13A_PLAINTEXT);
        let Some(ZclCommand::Foundation(FoundationCommand::ReadAttributesResponse(rs))) =
            c.decrypted_command(&plain).unwrap()
        else {
            panic!("read attributes response")
        };
        let rs: Vec<_> = rs.iter().map(Result::unwrap).collect();
        assert_eq!(rs.len(), 4);
        assert_eq!((rs[0].id, rs[0].status), (0x0302, Status::Success));
        assert_eq!(rs[3].id, 0x0000);
        assert_eq!(p.to_vec().unwrap(), b);
    }

    #[test]
    fn sealed_component_decrypts_and_a_flipped_bit_does_not() {
        let key = MessageKey::from_bytes([7; 16]);
        let originator = Eui64(0x00DB_1234_5678_90A1);
        let plain = unhex(GCS13A_PLAINTEXT);
        let sealed = CipheredInformation::seal(&key, originator, &plain).unwrap();
        let ciphered = CipheredInformation::decode(&sealed).unwrap();
        let header = ZclHeader {
            frame_control: FrameControl::from_byte(0x18),
            manufacturer: None,
            tsn: 0,
            command_id: 0x01,
        };
        let c = GbzComponent::encrypted(
            GbzControl::from_byte(GBZ_CONTROL_LAST),
            0x0702,
            None,
            AdditionalHeader::default(),
            header,
            ciphered,
        );
        let list = ComponentList {
            alert: None,
            components: &[c],
        };
        let bytes = list.to_vec().unwrap();
        assert_eq!(bytes.len(), list.encoded_len());
        // Same framing as the RTDS response.
        assert_eq!(bytes[..15], unhex(GCS13A_RESPONSE)[..15]);
        let p = GbzPayload::decode_as(&bytes, GbzKind::CommandOrResponse).unwrap();
        let got = p.components().next().unwrap();
        assert_eq!(got, c);
        assert_eq!(got.decrypt(&key, originator).unwrap(), plain);
        assert_eq!(got.decrypt(&key, Eui64(1)), None);
        assert_eq!(
            got.decrypt(&MessageKey::from_bytes([8; 16]), originator),
            None
        );
        for i in 15..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x01;
            // The security control and the invocation counter are refused
            // when decoding or decrypting, every other bit by the tag.
            if let Ok(p) = GbzPayload::decode_as(&bad, GbzKind::CommandOrResponse) {
                let c = p.components().next().unwrap();
                assert_eq!(c.decrypt(&key, originator), None, "bit at {i}");
            }
        }
    }

    #[test]
    fn from_date_time_component() {
        let b = unhex(GCS15D_COMMAND);
        let p = GbzPayload::decode_as(&b, CraFlag::Command).unwrap();
        let c = p.components().next().unwrap();
        assert!(c.control.last && c.control.from_date_time && !c.control.encrypted);
        assert_eq!(c.cluster_id, 0x0705);
        assert_eq!(c.from_date_time, Some(Utc2000(0x1C0E_6C00)));
        let Some(ZclCommand::Cluster(cmd)) = c.zcl_command().unwrap() else {
            panic!("cluster command")
        };
        assert_eq!(cmd.command.id, 0x0A);
        assert_eq!(p.to_vec().unwrap(), b);
        // Built from its parts.
        let built = GbzComponent::plain(
            GbzControl {
                last: true,
                ..GbzControl::default()
            },
            0x0705,
            Some(Utc2000(0x1C0E_6C00)),
            c.zcl_frame().unwrap(),
        );
        assert_eq!(built, c);
    }

    #[test]
    fn alert_contents() {
        let b = unhex(ALERT_8F66);
        let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
        let a = p.header.alert.unwrap();
        assert_eq!(a.code, AlertCode::FutureDatedCommandActioned);
        assert_eq!(a.time, Utc2000(0x3881_8890));
        assert_eq!(p.header.component_count, 1);
        let GbzBody::FutureDated(f) = p.body else {
            panic!("future dated")
        };
        assert_eq!(f.message_code, 0x006F);
        assert_eq!(f.originator_counter, 1001);
        assert_eq!(f.cluster_id, 0x0705);
        assert_eq!(f.frame_control, FrameControl::from_byte(0x01));
        assert_eq!(f.command_id, 0x09);
        assert_eq!(p.components().count(), 0);
        assert_eq!(p.to_vec().unwrap(), b);

        let b = unhex(ALERT_8F72);
        let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
        assert_eq!(
            p.header.alert.unwrap().code,
            AlertCode::FirmwareVerificationSuccessful
        );
        assert_eq!(p.body, GbzBody::ImageHash(&[0xA1; 32]));
        assert_eq!(p.to_vec().unwrap(), b);

        let b = unhex(ALERT_81A0);
        let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
        assert_eq!(p.body, GbzBody::IntegrityWarning(5));
        assert_eq!(p.to_vec().unwrap(), b);

        let b = unhex(ALERT_8F30);
        let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
        assert_eq!(p.header.alert.unwrap().code, AlertCode::Unknown(0x8F30));
        assert_eq!(p.header.alert.unwrap().time, Utc2000(0x1C37_4A80));
        assert_eq!(p.body, GbzBody::Components(Components::EMPTY));
        assert_eq!(p.to_vec().unwrap(), b);

        // User interface command alerts carry a command code.
        let mut b = unhex(ALERT_81A0);
        b[3..5].copy_from_slice(&[0x81, 0x62]);
        let p = GbzPayload::decode_as(&b, CraFlag::Alert).unwrap();
        assert_eq!(p.body, GbzBody::UserInterfaceCommand(5));
        assert_eq!(p.to_vec().unwrap(), b);
    }

    #[test]
    fn malformed_payloads_fail_at_the_field() {
        let err = |b: &[u8], kind| GbzPayload::decode_as(b, kind).unwrap_err();
        // Another profile.
        let mut b = unhex(GCS13A_COMMAND);
        b[1] = 0x04;
        assert_eq!(err(&b, GbzKind::CommandOrResponse).offset, 0);
        // A component count above what follows, and below.
        let mut b = unhex(GCS13A_COMMAND);
        b[2] = 2;
        let e = err(&b, GbzKind::CommandOrResponse);
        assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }));
        assert_eq!(e.offset, b.len());
        b[2] = 0;
        let e = err(&b, GbzKind::CommandOrResponse);
        assert_eq!(
            (e.offset, e.kind),
            (3, DecodeErrorKind::TrailingBytes { count: 16 })
        );
        // A GBZ command length beyond the payload.
        let mut b = unhex(GCS13A_COMMAND);
        b[7] = 0x0C;
        assert_eq!(err(&b, GbzKind::CommandOrResponse).offset, 8);
        // A ciphered information length that disagrees with the command length.
        let mut b = unhex(GCS13A_RESPONSE);
        b[14] = 0x2D;
        assert_eq!(err(&b, GbzKind::CommandOrResponse).offset, 13);
        // A wrong security control.
        let mut b = unhex(GCS13A_RESPONSE);
        b[15] = 0x30;
        assert_eq!(err(&b, GbzKind::CommandOrResponse).offset, 15);
        // Bad alert-specific contents and bytes after them.
        let mut b = unhex(ALERT_8F66);
        b[9] = 0x0D;
        assert_eq!(err(&b, GbzKind::Alert).offset, 9);
        let mut b = unhex(ALERT_8F72);
        b[10] = 0x21;
        assert_eq!(err(&b, GbzKind::Alert).offset, 9);
        let mut b = unhex(ALERT_81A0);
        b.push(0);
        let e = err(&b, GbzKind::Alert);
        assert_eq!(
            (e.offset, e.kind),
            (11, DecodeErrorKind::TrailingBytes { count: 1 })
        );
        // An alert read as a response: its alert code is no component.
        assert!(GbzPayload::decode_as(&unhex(ALERT_8F66), GbzKind::CommandOrResponse).is_err());
    }

    #[test]
    fn truncation_at_every_offset() {
        for (b, kind) in all() {
            for cut in 0..b.len() {
                let e = GbzPayload::decode_as(&b[..cut], kind).unwrap_err();
                assert!(e.offset <= cut, "cut {cut}: {e}");
            }
        }
    }

    #[test]
    fn encoders_reject_what_has_no_wire_form() {
        let b = unhex(GCS15D_COMMAND);
        let p = GbzPayload::decode_as(&b, CraFlag::Command).unwrap();
        let c = p.components().next().unwrap();
        let mut bad = c;
        bad.from_date_time = None;
        assert_eq!(
            bad.to_vec().unwrap_err().kind,
            EncodeErrorKind::Inconsistent {
                field: "gbz from date-time"
            }
        );
        let mut bad = c;
        bad.control.encrypted = true;
        assert!(bad.to_vec().is_err());
        let mut bad = c;
        bad.control.reserved = 0x01;
        assert!(bad.to_vec().is_err());
        let mut bad = p;
        bad.header.component_count = 2;
        assert!(bad.to_vec().is_err());
        let mut bad = p;
        bad.header.alert = Some(AlertHeader {
            code: AlertCode::SmartMeterIntegrityIssueWarning,
            time: Utc2000(0),
        });
        assert!(bad.to_vec().is_err());
        let big = vec![0u8; 0x1_0000];
        let mut huge = c;
        huge.body = ComponentBody::Plain(ZclFrame {
            payload: &big,
            ..c.zcl_frame().unwrap()
        });
        assert!(huge.to_vec().is_err());
        let mut small = [0u8; 8];
        assert!(matches!(
            p.encode(&mut &mut small[..]).unwrap_err().kind,
            EncodeErrorKind::BufferTooSmall { .. }
        ));
        let sealed = unhex(GCS13A_RESPONSE);
        let ci = CipheredInformation::decode(&sealed[15..]).unwrap();
        let mut bad_ci = ci;
        bad_ci.security_control = 0x30;
        assert!(bad_ci.to_vec().is_err());
        assert_eq!(ci.to_vec().unwrap(), &sealed[15..]);
    }

    fn control() -> impl Strategy<Value = GbzControl> {
        (any::<bool>(), any::<u8>()).prop_map(|(last, r)| GbzControl {
            last,
            reserved: r & !CONTROL_KNOWN,
            ..GbzControl::default()
        })
    }

    proptest! {
        #[test]
        fn components_round_trip(
            parts in proptest::collection::vec(
                (control(), any::<u16>(), proptest::option::of(any::<u32>()), any::<u8>(),
                 any::<u8>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40),
                 any::<bool>(), any::<[u8; 2]>(), any::<u32>(), any::<[u8; 12]>()),
                0..5,
            ),
            alert in proptest::option::of((any::<u16>(), any::<u32>())),
        ) {
            let comps: Vec<GbzComponent<'_>> = parts
                .iter()
                .map(|(ctl, cluster, from, fc, tsn, cmd, data, enc, add, inv, tag)| {
                    let from = from.map(Utc2000);
                    let header = ZclHeader {
                        frame_control: FrameControl::from_byte(*fc),
                        manufacturer: (fc & 0x04 != 0).then_some(u16::from(*tsn) * 3),
                        tsn: *tsn,
                        command_id: *cmd,
                    };
                    if *enc {
                        GbzComponent::encrypted(*ctl, *cluster, from,
                            AdditionalHeader { control: add[0], frame_counter: add[1] }, header,
                            CipheredInformation {
                                security_control: SECURITY_CONTROL,
                                invocation_counter: *inv,
                                ciphertext: data,
                                tag,
                            })
                    } else {
                        GbzComponent::plain(*ctl, *cluster, from, header.frame(data))
                    }
                })
                .collect();
            // Alerts with components only.
            let alert = alert
                .map(|(code, t)| AlertHeader { code: AlertCode::from(code), time: Utc2000(t) })
                .filter(|a| a.code.content_kind() == AlertContentKind::Components);
            let list = ComponentList { alert, components: &comps };
            let bytes = list.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), list.encoded_len());
            let kind = if alert.is_some() { GbzKind::Alert } else { GbzKind::CommandOrResponse };
            let p = GbzPayload::decode_as(&bytes, kind).unwrap();
            prop_assert_eq!(p.header.alert, alert);
            let got: Vec<_> = p.components().collect();
            prop_assert_eq!(&got, &comps);
            for (at, c) in p.components_with_offsets() {
                prop_assert_eq!(&bytes[at..at + c.encoded_len()], &c.to_vec().unwrap()[..]);
                if let Some(off) = c.ciphered_offset() {
                    prop_assert_eq!(bytes[at + off], SECURITY_CONTROL);
                }
            }
            prop_assert_eq!(p.to_vec().unwrap(), bytes);
        }

        #[test]
        fn alert_contents_round_trip(
            code in prop_oneof![
                Just(0x8F66u16), Just(0x8F67), Just(0x8F72), Just(0x8F1C),
                Just(0x81A0), Just(0x8161), Just(0x8162)
            ],
            count in any::<u8>(), time in any::<u32>(), v in any::<u16>(), counter in any::<u64>(),
            fc in any::<u8>(), cmd in any::<u8>(), hash in any::<[u8; 32]>(),
        ) {
            let header = GbzHeader {
                component_count: count,
                alert: Some(AlertHeader { code: AlertCode::from(code), time: Utc2000(time) }),
            };
            let body = match header.content_kind() {
                AlertContentKind::FutureDated => GbzBody::FutureDated(FutureDatedAlert {
                    message_code: v,
                    originator_counter: counter,
                    cluster_id: v.rotate_left(3),
                    frame_control: FrameControl::from_byte(fc),
                    command_id: cmd,
                }),
                AlertContentKind::ImageHash => GbzBody::ImageHash(&hash),
                AlertContentKind::IntegrityWarning => GbzBody::IntegrityWarning(v),
                _ => GbzBody::UserInterfaceCommand(v),
            };
            let p = GbzPayload { header, body };
            let bytes = p.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), p.encoded_len());
            prop_assert_eq!(GbzPayload::decode_as(&bytes, CraFlag::Alert).unwrap(), p);
        }

        #[test]
        fn decode_never_panics_and_re_encodes(
            bytes in proptest::collection::vec(any::<u8>(), 0..80),
            alert in any::<bool>(),
        ) {
            let mut b = vec![0x01, 0x09];
            b.extend_from_slice(&bytes);
            let kind = if alert { GbzKind::Alert } else { GbzKind::CommandOrResponse };
            if let Ok(p) = GbzPayload::decode_as(&b, kind) {
                prop_assert_eq!(&p.to_vec().unwrap(), &b);
                for c in p.components() {
                    let _ = c.zcl_command();
                }
            }
        }
    }
}
