//! Structured, `Copy` errors: which layer, which byte, what was wrong.

use core::fmt;

/// The protocol layer an error belongs to.
///
/// Each decoder reports its own layer; offsets are counted from the start of
/// the buffer handed to the outermost decoder (the capture record for the
/// CLI), so a message such as `ZigBee APS: truncated cluster id at byte 31`
/// points straight at the bad byte in a hex dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layer {
    /// Capture container or link-layer encapsulation (pcap, pcapng, ZEP, TAP, hex text).
    Capture,
    /// IEEE 802.15.4 MAC frame.
    Mac,
    /// IEEE 802.15.4 MAC command payload.
    MacCommand,
    /// IEEE 802.15.4 beacon payload (superframe, GTS, pending addresses).
    Beacon,
    /// ZigBee NWK header.
    Nwk,
    /// ZigBee NWK command payload.
    NwkCommand,
    /// ZigBee beacon payload carried in an 802.15.4 beacon.
    NwkBeacon,
    /// ZigBee NWK/APS auxiliary security header and CCM*.
    Security,
    /// ZigBee APS header.
    Aps,
    /// ZigBee APS command payload.
    ApsCommand,
    /// ZigBee Device Profile.
    Zdp,
    /// ZigBee Cluster Library.
    Zcl,
    /// GBCS message structures (GBCS: headers, General Block Transfer).
    Gbcs,
    /// DLMS/COSEM: A-XDR data and xDLMS APDUs (IEC 62056-5-3, 6-2).
    Dlms,
}

impl Layer {
    /// Short machine name, as used in JSON output (`"mac"`, `"nwk"`, ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Mac => "mac",
            Self::MacCommand => "mac.command",
            Self::Beacon => "mac.beacon",
            Self::Nwk => "nwk",
            Self::NwkCommand => "nwk.command",
            Self::NwkBeacon => "nwk.beacon",
            Self::Security => "security",
            Self::Aps => "aps",
            Self::ApsCommand => "aps.command",
            Self::Zdp => "zdp",
            Self::Zcl => "zcl",
            Self::Gbcs => "gbcs",
            Self::Dlms => "dlms",
        }
    }

    /// Human name of the layer.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Capture => "capture",
            Self::Mac => "IEEE 802.15.4 MAC",
            Self::MacCommand => "IEEE 802.15.4 MAC command",
            Self::Beacon => "IEEE 802.15.4 beacon",
            Self::Nwk => "ZigBee NWK",
            Self::NwkCommand => "ZigBee NWK command",
            Self::NwkBeacon => "ZigBee beacon payload",
            Self::Security => "ZigBee security",
            Self::Aps => "ZigBee APS",
            Self::ApsCommand => "ZigBee APS command",
            Self::Zdp => "ZigBee ZDP",
            Self::Zcl => "ZigBee ZCL",
            Self::Gbcs => "GBCS",
            Self::Dlms => "DLMS",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What was wrong with the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The buffer ended inside a field.
    #[error("truncated {field}: needs {needed} bytes, {available} available")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A field holds a value the specification does not allow.
    #[error("invalid {field} ({value:#x})")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Its value.
        value: u64,
    },
    /// A field holds a value the specification reserves and tells receivers to reject.
    #[error("reserved {field} ({value:#x})")]
    Reserved {
        /// The field.
        field: &'static str,
        /// Its value.
        value: u64,
    },
    /// Bytes were left after a structure that must fill its buffer.
    #[error("{count} unexpected trailing bytes")]
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
    },
    /// Nested structures went deeper than the decoder allows.
    #[error("nesting deeper than {limit}")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
}

/// A decoding failure: the layer, the byte offset and what was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{layer}: {kind} at byte {offset}")]
pub struct DecodeError {
    /// Layer that rejected the bytes.
    pub layer: Layer,
    /// Offset of the offending byte from the start of the outermost buffer.
    pub offset: usize,
    /// What was wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    /// A new error.
    #[must_use]
    pub const fn new(layer: Layer, offset: usize, kind: DecodeErrorKind) -> Self {
        Self {
            layer,
            offset,
            kind,
        }
    }

    /// A truncation error.
    #[must_use]
    pub const fn truncated(
        layer: Layer,
        offset: usize,
        field: &'static str,
        needed: usize,
        available: usize,
    ) -> Self {
        Self::new(
            layer,
            offset,
            DecodeErrorKind::Truncated {
                field,
                needed,
                available,
            },
        )
    }

    /// An invalid-value error.
    #[must_use]
    pub const fn invalid(layer: Layer, offset: usize, field: &'static str, value: u64) -> Self {
        Self::new(layer, offset, DecodeErrorKind::Invalid { field, value })
    }

    /// The same error with its offset moved by `base`: used when a layer was
    /// decoded from a sub-slice that starts `base` bytes into the outer buffer.
    #[must_use]
    pub const fn shifted(self, base: usize) -> Self {
        Self {
            offset: self.offset.saturating_add(base),
            ..self
        }
    }
}

/// What made encoding impossible.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// The output buffer cannot take the encoded bytes.
    #[error("output buffer too small: needs {needed} bytes, {available} available")]
    BufferTooSmall {
        /// Bytes the encoding needs.
        needed: usize,
        /// Room left in the buffer.
        available: usize,
    },
    /// A field's value cannot be represented on the wire (the decoder would reject it).
    #[error("{field} cannot be encoded ({value:#x})")]
    Unrepresentable {
        /// The field.
        field: &'static str,
        /// Its value (a length, a count or a code point).
        value: u64,
    },
    /// Two fields contradict each other (say, a flag without the field it announces).
    #[error("inconsistent {field}")]
    Inconsistent {
        /// The field whose presence or value disagrees with another.
        field: &'static str,
    },
}

/// An encoding failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{layer}: {kind}")]
pub struct EncodeError {
    /// Layer that could not be encoded.
    pub layer: Layer,
    /// Why.
    pub kind: EncodeErrorKind,
}

impl EncodeError {
    /// A new error.
    #[must_use]
    pub const fn new(layer: Layer, kind: EncodeErrorKind) -> Self {
        Self { layer, kind }
    }

    /// A field whose value has no wire form.
    #[must_use]
    pub const fn unrepresentable(layer: Layer, field: &'static str, value: u64) -> Self {
        Self::new(layer, EncodeErrorKind::Unrepresentable { field, value })
    }

    /// Two fields that contradict each other.
    #[must_use]
    pub const fn inconsistent(layer: Layer, field: &'static str) -> Self {
        Self::new(layer, EncodeErrorKind::Inconsistent { field })
    }
}
