//! APS command frames' payloads (ZigBee R22 4.4.11; Relay Message commands from R23).
//!
//! Decodes the plaintext payload of a command frame, command identifier first.
//! Decryption is the caller's: a secured command frame must be opened first.

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, Encode, EncodeError, Eui64, Layer, Reader, ensure_room, open_enum,
};

use super::ApsFrame;
use crate::security::Key128;

open_enum! {
    /// APS command identifier (ZigBee R22 4.4.11; 0x11-0x12 from R23).
    pub enum CommandId: u8 {
        /// SKKE-1 (deprecated symmetric-key key establishment).
        Skke1 = 0x01 => "skke_1",
        /// SKKE-2.
        Skke2 = 0x02 => "skke_2",
        /// SKKE-3.
        Skke3 = 0x03 => "skke_3",
        /// SKKE-4.
        Skke4 = 0x04 => "skke_4",
        /// Transport Key.
        TransportKey = 0x05 => "transport_key",
        /// Update Device.
        UpdateDevice = 0x06 => "update_device",
        /// Remove Device.
        RemoveDevice = 0x07 => "remove_device",
        /// Request Key.
        RequestKey = 0x08 => "request_key",
        /// Switch Key.
        SwitchKey = 0x09 => "switch_key",
        /// Entity authentication: initiator challenge (obsolete).
        EaInitChallenge = 0x0a => "ea_init_challenge",
        /// Entity authentication: responder challenge (obsolete).
        EaRespChallenge = 0x0b => "ea_resp_challenge",
        /// Entity authentication: initiator MAC and data (obsolete).
        EaInitMacData = 0x0c => "ea_init_mac_data",
        /// Entity authentication: responder MAC and data (obsolete).
        EaRespMacData = 0x0d => "ea_resp_mac_data",
        /// Tunnel.
        Tunnel = 0x0e => "tunnel",
        /// Verify Key.
        VerifyKey = 0x0f => "verify_key",
        /// Confirm Key.
        ConfirmKey = 0x10 => "confirm_key",
        /// Relay Message Downstream (R23).
        RelayMessageDownstream = 0x11 => "relay_message_downstream",
        /// Relay Message Upstream (R23).
        RelayMessageUpstream = 0x12 => "relay_message_upstream",
    }
}

open_enum! {
    /// Key type of Transport Key, Verify Key and Confirm Key (ZigBee R22 4.4.11, Transport Key).
    pub enum KeyType: u8 {
        /// Trust Center master key (ZigBee 2007 high security; obsolete).
        TcMaster = 0x00 => "tc_master",
        /// Standard network key.
        StandardNetworkKey = 0x01 => "standard_network_key",
        /// Application master key (obsolete).
        AppMaster = 0x02 => "app_master",
        /// Application link key.
        AppLinkKey = 0x03 => "app_link_key",
        /// Trust Center link key.
        TcLinkKey = 0x04 => "tc_link_key",
        /// High-security network key (obsolete).
        HighSecurityNetworkKey = 0x05 => "high_security_network_key",
    }
}

open_enum! {
    /// Key type of Request Key (ZigBee R22 4.4.11, Request Key).
    pub enum RequestKeyType: u8 {
        /// Application link key, shared with a partner device named in the command.
        AppLinkKey = 0x02 => "app_link_key",
        /// Trust Center link key.
        TcLinkKey = 0x04 => "tc_link_key",
    }
}

open_enum! {
    /// Status of Update Device (ZigBee R22 4.4.11, Update Device).
    pub enum UpdateDeviceStatus: u8 {
        /// Standard device secured rejoin.
        StandardSecuredRejoin = 0x00 => "standard_secured_rejoin",
        /// Standard device unsecured join.
        StandardUnsecuredJoin = 0x01 => "standard_unsecured_join",
        /// Device left.
        DeviceLeft = 0x02 => "device_left",
        /// Standard device Trust Center rejoin (unsecured rejoin).
        StandardTrustCenterRejoin = 0x03 => "standard_trust_center_rejoin",
    }
}

open_enum! {
    /// APS sub-layer status (ZigBee R22 2.2, APS status values), as Confirm Key carries it.
    pub enum ApsStatus: u8 {
        /// Success.
        Success = 0x00 => "success",
        /// ASDU too long.
        AsduTooLong = 0xa0 => "asdu_too_long",
        /// Defragmentation deferred.
        DefragDeferred = 0xa1 => "defrag_deferred",
        /// Defragmentation unsupported.
        DefragUnsupported = 0xa2 => "defrag_unsupported",
        /// Illegal request.
        IllegalRequest = 0xa3 => "illegal_request",
        /// Invalid binding.
        InvalidBinding = 0xa4 => "invalid_binding",
        /// Invalid group.
        InvalidGroup = 0xa5 => "invalid_group",
        /// Invalid parameter.
        InvalidParameter = 0xa6 => "invalid_parameter",
        /// No acknowledgement.
        NoAck = 0xa7 => "no_ack",
        /// No bound device.
        NoBoundDevice = 0xa8 => "no_bound_device",
        /// No short address.
        NoShortAddress = 0xa9 => "no_short_address",
        /// Not supported.
        NotSupported = 0xaa => "not_supported",
        /// Secured with a link key.
        SecuredLinkKey = 0xab => "secured_link_key",
        /// Secured with the network key.
        SecuredNwkKey = 0xac => "secured_nwk_key",
        /// Security processing failed.
        SecurityFail = 0xad => "security_fail",
        /// Table full.
        TableFull = 0xae => "table_full",
        /// Unsecured.
        Unsecured = 0xaf => "unsecured",
        /// Unsupported attribute.
        UnsupportedAttribute = 0xb0 => "unsupported_attribute",
    }
}

/// Fields of the SKKE-1..4 commands (ZigBee 2007, 053474r17; removed from later revisions): initiator and
/// responder addresses and 16 bytes of challenge (SKKE-1/2) or MAC data (SKKE-3/4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SkkeData {
    /// Initiator's IEEE address.
    pub initiator: Eui64,
    /// Responder's IEEE address.
    pub responder: Eui64,
    /// Challenge or MAC data.
    pub data: [u8; 16],
}

/// The key-type-specific part of a Transport Key command (ZigBee R22 4.4.11, Transport Key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyDescriptor<'a> {
    /// Network key descriptor (key types 0x01 and 0x05).
    Network {
        /// Key sequence number.
        key_seq: u8,
        /// Destination IEEE address.
        destination: Eui64,
        /// Source IEEE address (the Trust Center; all ones when sent to all devices).
        source: Eui64,
    },
    /// Trust Center key descriptor (key types 0x00 and 0x04).
    TrustCenter {
        /// Destination IEEE address.
        destination: Eui64,
        /// Source IEEE address.
        source: Eui64,
    },
    /// Application key descriptor (key types 0x02 and 0x03).
    Application {
        /// The partner device's IEEE address.
        partner: Eui64,
        /// Initiator flag: the receiver initiated the key request.
        initiator: bool,
    },
    /// The bytes after the key, for a key type this library does not name.
    Other(&'a [u8]),
}

impl KeyDescriptor<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Network { .. } => 17,
            Self::TrustCenter { .. } => 16,
            Self::Application { .. } => 9,
            Self::Other(b) => b.len(),
        }
    }

    fn fits(&self, key_type: KeyType) -> bool {
        use KeyType as K;
        match self {
            Self::Network { .. } => {
                matches!(key_type, K::StandardNetworkKey | K::HighSecurityNetworkKey)
            }
            Self::TrustCenter { .. } => matches!(key_type, K::TcMaster | K::TcLinkKey),
            Self::Application { .. } => matches!(key_type, K::AppMaster | K::AppLinkKey),
            Self::Other(_) => matches!(key_type, K::Unknown(_)),
        }
    }
}

/// Transport Key command (ZigBee R22 4.4.11): key type, key, key descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportKey<'a> {
    /// Key type.
    pub key_type: KeyType,
    /// The key, in the order it travels (Wireshark's "Normal" order).
    pub key: Key128,
    /// The fields that follow the key.
    pub descriptor: KeyDescriptor<'a>,
}

/// Entity authentication challenge (ZigBee 2007, ids 0x0A/0x0B; obsolete),
/// laid out as Wireshark reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EaChallenge {
    /// Key type: 0 network key (a key sequence number follows), 1 link key.
    pub key_type: u8,
    /// Key sequence number, present when `key_type` is 0.
    pub key_seq: Option<u8>,
    /// Initiator's IEEE address.
    pub initiator: Eui64,
    /// Responder's IEEE address.
    pub responder: Eui64,
    /// Challenge.
    pub challenge: [u8; 16],
}

/// Entity authentication MAC and data (ZigBee 2007, ids 0x0C/0x0D; obsolete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EaMacData {
    /// MAC.
    pub mac: [u8; 16],
    /// Data type.
    pub data_type: u8,
    /// Data (the outgoing frame counter of the network key, for data type 0).
    pub data: [u8; 4],
}

/// An APS command (ZigBee R22 4.4.11), decoded from a plaintext command payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApsCommand<'a> {
    /// SKKE-1.
    Skke1(SkkeData),
    /// SKKE-2.
    Skke2(SkkeData),
    /// SKKE-3.
    Skke3(SkkeData),
    /// SKKE-4.
    Skke4(SkkeData),
    /// Transport Key (R22 4.4.11).
    TransportKey(TransportKey<'a>),
    /// Update Device (R22 4.4.11).
    UpdateDevice {
        /// IEEE address of the device whose status changed.
        device: Eui64,
        /// Its network address.
        short_address: u16,
        /// What happened.
        status: UpdateDeviceStatus,
    },
    /// Remove Device (R22 4.4.11).
    RemoveDevice {
        /// IEEE address of the device to remove.
        target: Eui64,
    },
    /// Request Key (R22 4.4.11).
    RequestKey {
        /// Requested key type.
        key_type: RequestKeyType,
        /// Partner address, present for an application link key.
        partner: Option<Eui64>,
    },
    /// Switch Key (R22 4.4.11).
    SwitchKey {
        /// Sequence number of the network key to activate.
        key_seq: u8,
    },
    /// Entity authentication initiator challenge (0x0A).
    EaInitChallenge(EaChallenge),
    /// Entity authentication responder challenge (0x0B).
    EaRespChallenge(EaChallenge),
    /// Entity authentication initiator MAC and data (0x0C).
    EaInitMacData(EaMacData),
    /// Entity authentication responder MAC and data (0x0D).
    EaRespMacData(EaMacData),
    /// Tunnel (R22 4.4.11): a router relays `frame` to `destination`, a
    /// device that has joined but does not hold the network key yet.
    Tunnel {
        /// IEEE address of the final destination.
        destination: Eui64,
        /// The tunnelled APS frame: frame control, counter, auxiliary security
        /// header, secured payload and MIC. See [`ApsCommand::tunneled_frame`].
        frame: &'a [u8],
    },
    /// Verify Key (R22 4.4.11).
    VerifyKey {
        /// Key type (Trust Center link key).
        key_type: KeyType,
        /// IEEE address of the sender.
        source: Eui64,
        /// HMAC-MMO of the key with input 0x03 (R22 B.1.4).
        hash: [u8; 16],
    },
    /// Confirm Key (R22 4.4.11).
    ConfirmKey {
        /// Outcome of the verification.
        status: ApsStatus,
        /// Key type.
        key_type: KeyType,
        /// IEEE address of the device that sent Verify Key.
        destination: Eui64,
    },
    /// Relay Message Downstream (R23): TLVs, raw.
    RelayMessageDownstream {
        /// The TLV bytes.
        tlvs: &'a [u8],
    },
    /// Relay Message Upstream (R23): TLVs, raw.
    RelayMessageUpstream {
        /// The TLV bytes.
        tlvs: &'a [u8],
    },
    /// A command identifier this library does not name, with its payload.
    Unknown {
        /// Command identifier.
        id: u8,
        /// Bytes after the identifier.
        payload: &'a [u8],
    },
}

fn read_skke(r: &mut Reader<'_>) -> Result<SkkeData, DecodeError> {
    Ok(SkkeData {
        initiator: r.eui64("initiator address")?,
        responder: r.eui64("responder address")?,
        data: r.array("SKKE data")?,
    })
}

fn read_ea_challenge(r: &mut Reader<'_>) -> Result<EaChallenge, DecodeError> {
    let key_type = r.u8("key type")?;
    let key_seq = if key_type == 0 {
        Some(r.u8("key sequence number")?)
    } else {
        None
    };
    Ok(EaChallenge {
        key_type,
        key_seq,
        initiator: r.eui64("initiator address")?,
        responder: r.eui64("responder address")?,
        challenge: r.array("challenge")?,
    })
}

fn read_ea_mac(r: &mut Reader<'_>) -> Result<EaMacData, DecodeError> {
    Ok(EaMacData {
        mac: r.array("MAC")?,
        data_type: r.u8("data type")?,
        data: r.array("data")?,
    })
}

fn read_transport_key<'a>(r: &mut Reader<'a>) -> Result<TransportKey<'a>, DecodeError> {
    let key_type = KeyType::from(r.u8("key type")?);
    let key = Key128::new(r.array("key")?);
    let descriptor = match key_type {
        KeyType::StandardNetworkKey | KeyType::HighSecurityNetworkKey => KeyDescriptor::Network {
            key_seq: r.u8("key sequence number")?,
            destination: r.eui64("destination address")?,
            source: r.eui64("source address")?,
        },
        KeyType::TcMaster | KeyType::TcLinkKey => KeyDescriptor::TrustCenter {
            destination: r.eui64("destination address")?,
            source: r.eui64("source address")?,
        },
        KeyType::AppMaster | KeyType::AppLinkKey => {
            let partner = r.eui64("partner address")?;
            let flag = r.u8("initiator flag")?;
            if flag > 1 {
                return Err(r.invalid(1, "initiator flag", u64::from(flag)));
            }
            KeyDescriptor::Application {
                partner,
                initiator: flag == 1,
            }
        }
        KeyType::Unknown(_) => KeyDescriptor::Other(r.rest()),
    };
    Ok(TransportKey {
        key_type,
        key,
        descriptor,
    })
}

impl<'a> ApsCommand<'a> {
    /// The command identifier.
    #[must_use]
    pub fn id(&self) -> CommandId {
        match self {
            Self::Skke1(_) => CommandId::Skke1,
            Self::Skke2(_) => CommandId::Skke2,
            Self::Skke3(_) => CommandId::Skke3,
            Self::Skke4(_) => CommandId::Skke4,
            Self::TransportKey(_) => CommandId::TransportKey,
            Self::UpdateDevice { .. } => CommandId::UpdateDevice,
            Self::RemoveDevice { .. } => CommandId::RemoveDevice,
            Self::RequestKey { .. } => CommandId::RequestKey,
            Self::SwitchKey { .. } => CommandId::SwitchKey,
            Self::EaInitChallenge(_) => CommandId::EaInitChallenge,
            Self::EaRespChallenge(_) => CommandId::EaRespChallenge,
            Self::EaInitMacData(_) => CommandId::EaInitMacData,
            Self::EaRespMacData(_) => CommandId::EaRespMacData,
            Self::Tunnel { .. } => CommandId::Tunnel,
            Self::VerifyKey { .. } => CommandId::VerifyKey,
            Self::ConfirmKey { .. } => CommandId::ConfirmKey,
            Self::RelayMessageDownstream { .. } => CommandId::RelayMessageDownstream,
            Self::RelayMessageUpstream { .. } => CommandId::RelayMessageUpstream,
            Self::Unknown { id, .. } => CommandId::from(*id),
        }
    }

    /// Decodes a command from the front of `buf` and returns the bytes left
    /// after its fields. ZigBee R23 lets TLVs follow any command (Wireshark
    /// hands them to its TLV dissector); [`Decode::decode`] rejects them.
    ///
    /// # Errors
    /// A [`Layer::ApsCommand`] error naming the truncated or invalid field.
    pub fn decode_prefix(buf: &'a [u8]) -> Result<(Self, &'a [u8]), DecodeError> {
        let mut r = Reader::new(buf, Layer::ApsCommand);
        let id = CommandId::from(r.u8("command identifier")?);
        let cmd = match id {
            CommandId::Skke1 => Self::Skke1(read_skke(&mut r)?),
            CommandId::Skke2 => Self::Skke2(read_skke(&mut r)?),
            CommandId::Skke3 => Self::Skke3(read_skke(&mut r)?),
            CommandId::Skke4 => Self::Skke4(read_skke(&mut r)?),
            CommandId::TransportKey => Self::TransportKey(read_transport_key(&mut r)?),
            CommandId::UpdateDevice => Self::UpdateDevice {
                device: r.eui64("device address")?,
                short_address: r.u16_le("device short address")?,
                status: UpdateDeviceStatus::from(r.u8("status")?),
            },
            CommandId::RemoveDevice => Self::RemoveDevice {
                target: r.eui64("target address")?,
            },
            CommandId::RequestKey => {
                let key_type = RequestKeyType::from(r.u8("key type")?);
                let partner = if key_type == RequestKeyType::AppLinkKey {
                    Some(r.eui64("partner address")?)
                } else {
                    None
                };
                Self::RequestKey { key_type, partner }
            }
            CommandId::SwitchKey => Self::SwitchKey {
                key_seq: r.u8("key sequence number")?,
            },
            CommandId::EaInitChallenge => Self::EaInitChallenge(read_ea_challenge(&mut r)?),
            CommandId::EaRespChallenge => Self::EaRespChallenge(read_ea_challenge(&mut r)?),
            CommandId::EaInitMacData => Self::EaInitMacData(read_ea_mac(&mut r)?),
            CommandId::EaRespMacData => Self::EaRespMacData(read_ea_mac(&mut r)?),
            CommandId::Tunnel => Self::Tunnel {
                destination: r.eui64("destination address")?,
                frame: r.rest(),
            },
            CommandId::VerifyKey => Self::VerifyKey {
                key_type: KeyType::from(r.u8("key type")?),
                source: r.eui64("source address")?,
                hash: r.array("key hash")?,
            },
            CommandId::ConfirmKey => Self::ConfirmKey {
                status: ApsStatus::from(r.u8("status")?),
                key_type: KeyType::from(r.u8("key type")?),
                destination: r.eui64("destination address")?,
            },
            CommandId::RelayMessageDownstream => Self::RelayMessageDownstream { tlvs: r.rest() },
            CommandId::RelayMessageUpstream => Self::RelayMessageUpstream { tlvs: r.rest() },
            CommandId::Unknown(id) => Self::Unknown {
                id,
                payload: r.rest(),
            },
        };
        Ok((cmd, r.rest()))
    }

    /// Decodes the APS frame a Tunnel command carries.
    ///
    /// When that frame is secured, its CCM* authenticated data is its own
    /// header only (frame control, counter, auxiliary header with the level
    /// patched): nothing of the outer frame or of the Tunnel command enters it.
    /// Returns `None` for other commands.
    ///
    /// # Errors
    /// An [`Layer::Aps`] error with offsets counted from the start of the tunnelled frame.
    pub fn tunneled_frame(&self) -> Option<Result<ApsFrame<'a>, DecodeError>> {
        match self {
            Self::Tunnel { frame, .. } => Some(ApsFrame::decode(frame)),
            _ => None,
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        match self {
            Self::TransportKey(tk) if !tk.descriptor.fits(tk.key_type) => Err(
                EncodeError::inconsistent(Layer::ApsCommand, "key descriptor"),
            ),
            Self::RequestKey { key_type, partner }
                if partner.is_some() != (*key_type == RequestKeyType::AppLinkKey) =>
            {
                Err(EncodeError::inconsistent(
                    Layer::ApsCommand,
                    "partner address",
                ))
            }
            Self::EaInitChallenge(c) | Self::EaRespChallenge(c)
                if c.key_seq.is_some() != (c.key_type == 0) =>
            {
                Err(EncodeError::inconsistent(
                    Layer::ApsCommand,
                    "key sequence number",
                ))
            }
            Self::Unknown { id, .. } if !matches!(CommandId::from(*id), CommandId::Unknown(_)) => {
                Err(EncodeError::inconsistent(
                    Layer::ApsCommand,
                    "command identifier",
                ))
            }
            _ => Ok(()),
        }
    }
}

impl<'a> Decode<'a> for ApsCommand<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let (cmd, rest) = Self::decode_prefix(buf)?;
        if rest.is_empty() {
            Ok(cmd)
        } else {
            Err(DecodeError::new(
                Layer::ApsCommand,
                buf.len() - rest.len(),
                smets_core::DecodeErrorKind::TrailingBytes { count: rest.len() },
            ))
        }
    }
}

fn put_skke<B: BufMut>(out: &mut B, s: &SkkeData) {
    out.put_slice(&s.initiator.to_le_bytes());
    out.put_slice(&s.responder.to_le_bytes());
    out.put_slice(&s.data);
}

fn put_ea_challenge<B: BufMut>(out: &mut B, c: &EaChallenge) {
    out.put_u8(c.key_type);
    if let Some(s) = c.key_seq {
        out.put_u8(s);
    }
    out.put_slice(&c.initiator.to_le_bytes());
    out.put_slice(&c.responder.to_le_bytes());
    out.put_slice(&c.challenge);
}

fn put_ea_mac<B: BufMut>(out: &mut B, m: &EaMacData) {
    out.put_slice(&m.mac);
    out.put_u8(m.data_type);
    out.put_slice(&m.data);
}

impl Encode for ApsCommand<'_> {
    fn encoded_len(&self) -> usize {
        1 + match self {
            Self::Skke1(_) | Self::Skke2(_) | Self::Skke3(_) | Self::Skke4(_) => 32,
            Self::TransportKey(tk) => 17 + tk.descriptor.encoded_len(),
            Self::UpdateDevice { .. } => 11,
            Self::RemoveDevice { .. } => 8,
            Self::RequestKey { partner, .. } => 1 + if partner.is_some() { 8 } else { 0 },
            Self::SwitchKey { .. } => 1,
            Self::EaInitChallenge(c) | Self::EaRespChallenge(c) => {
                33 + usize::from(c.key_seq.is_some())
            }
            Self::EaInitMacData(_) | Self::EaRespMacData(_) => 21,
            Self::Tunnel { frame, .. } => 8 + frame.len(),
            Self::VerifyKey { .. } => 25,
            Self::ConfirmKey { .. } => 10,
            Self::RelayMessageDownstream { tlvs } | Self::RelayMessageUpstream { tlvs } => {
                tlvs.len()
            }
            Self::Unknown { payload, .. } => payload.len(),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        self.check()?;
        ensure_room(out, self.encoded_len(), Layer::ApsCommand)?;
        out.put_u8(self.id().value());
        match self {
            Self::Skke1(s) | Self::Skke2(s) | Self::Skke3(s) | Self::Skke4(s) => put_skke(out, s),
            Self::TransportKey(tk) => {
                out.put_u8(tk.key_type.value());
                out.put_slice(tk.key.as_bytes());
                match tk.descriptor {
                    KeyDescriptor::Network {
                        key_seq,
                        destination,
                        source,
                    } => {
                        out.put_u8(key_seq);
                        out.put_slice(&destination.to_le_bytes());
                        out.put_slice(&source.to_le_bytes());
                    }
                    KeyDescriptor::TrustCenter {
                        destination,
                        source,
                    } => {
                        out.put_slice(&destination.to_le_bytes());
                        out.put_slice(&source.to_le_bytes());
                    }
                    KeyDescriptor::Application { partner, initiator } => {
                        out.put_slice(&partner.to_le_bytes());
                        out.put_u8(u8::from(initiator));
                    }
                    KeyDescriptor::Other(rest) => out.put_slice(rest),
                }
            }
            Self::UpdateDevice {
                device,
                short_address,
                status,
            } => {
                out.put_slice(&device.to_le_bytes());
                out.put_u16_le(*short_address);
                out.put_u8(status.value());
            }
            Self::RemoveDevice { target } => out.put_slice(&target.to_le_bytes()),
            Self::RequestKey { key_type, partner } => {
                out.put_u8(key_type.value());
                if let Some(p) = partner {
                    out.put_slice(&p.to_le_bytes());
                }
            }
            Self::SwitchKey { key_seq } => out.put_u8(*key_seq),
            Self::EaInitChallenge(c) | Self::EaRespChallenge(c) => put_ea_challenge(out, c),
            Self::EaInitMacData(m) | Self::EaRespMacData(m) => put_ea_mac(out, m),
            Self::Tunnel { destination, frame } => {
                out.put_slice(&destination.to_le_bytes());
                out.put_slice(frame);
            }
            Self::VerifyKey {
                key_type,
                source,
                hash,
            } => {
                out.put_u8(key_type.value());
                out.put_slice(&source.to_le_bytes());
                out.put_slice(hash);
            }
            Self::ConfirmKey {
                status,
                key_type,
                destination,
            } => {
                out.put_u8(status.value());
                out.put_u8(key_type.value());
                out.put_slice(&destination.to_le_bytes());
            }
            Self::RelayMessageDownstream { tlvs } | Self::RelayMessageUpstream { tlvs } => {
                out.put_slice(tlvs);
            }
            Self::Unknown { payload, .. } => out.put_slice(payload),
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::aps::{DeliveryMode, FrameType};
    use crate::security::KeyIdentifier;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn eui(s: &str) -> Eui64 {
        s.parse().unwrap()
    }

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn truncations_fail(bytes: &[u8]) {
        for cut in 0..bytes.len() {
            assert!(ApsCommand::decode(&bytes[..cut]).is_err(), "cut {cut}");
        }
    }

    #[test]
    fn transport_key_of_scapy() {
        let b = unhex("0501000102030405060708090a0b0c0d0e0f008877665544332211ffeeddccbbaa9988");
        let c = ApsCommand::decode(&b).unwrap();
        let ApsCommand::TransportKey(tk) = &c else {
            panic!("{c:?}")
        };
        assert_eq!(tk.key_type, KeyType::StandardNetworkKey);
        assert_eq!(
            tk.key.as_bytes(),
            &unhex("000102030405060708090a0b0c0d0e0f")[..]
        );
        assert_eq!(
            tk.descriptor,
            KeyDescriptor::Network {
                key_seq: 0,
                destination: Eui64(1_234_605_616_436_508_552),
                source: Eui64(9_843_086_184_167_632_639),
            }
        );
        assert_eq!(c.to_vec().unwrap(), b);
        truncations_fail(&b);
        let mut long = b.clone();
        long.push(0);
        assert!(ApsCommand::decode(&long).is_err());
        let (again, rest) = ApsCommand::decode_prefix(&long).unwrap();
        assert_eq!((again, rest), (c, &[0u8][..]));
    }

    #[test]
    fn key_management_commands_of_scapy() {
        let b = unhex("0804");
        let c = ApsCommand::decode(&b).unwrap();
        assert_eq!(
            c,
            ApsCommand::RequestKey {
                key_type: RequestKeyType::TcLinkKey,
                partner: None
            }
        );
        assert_eq!(c.id().label(), Some("request_key"));
        truncations_fail(&b);

        let b = unhex("0f048877665544332211000102030405060708090a0b0c0d0e0f");
        let c = ApsCommand::decode(&b).unwrap();
        assert_eq!(
            c,
            ApsCommand::VerifyKey {
                key_type: KeyType::TcLinkKey,
                source: Eui64(1_234_605_616_436_508_552),
                hash: unhex("000102030405060708090a0b0c0d0e0f")
                    .try_into()
                    .unwrap(),
            }
        );
        assert_eq!(c.to_vec().unwrap(), b);
        truncations_fail(&b);

        let b = unhex("1000048877665544332211");
        let c = ApsCommand::decode(&b).unwrap();
        assert_eq!(
            c,
            ApsCommand::ConfirmKey {
                status: ApsStatus::Success,
                key_type: KeyType::TcLinkKey,
                destination: Eui64(1_234_605_616_436_508_552),
            }
        );
        assert_eq!(c.to_vec().unwrap(), b);
        truncations_fail(&b);
    }

    #[test]
    fn tunnel_of_zigator_04_frame_5() {
        // NWK plaintext (= APS frame) of zigator 04-aps-testing frame 5.
        let aps = unhex(
            "01670e0500000000777777216830052800000100000000777777cc649d4d224f4ca1ecaf93b54bac7b35059ac2fc2499c197e2e819f64e356bc3818e1712b544e3",
        );
        let f = ApsFrame::decode(&aps).unwrap();
        assert_eq!(f.counter, 103);
        let c = f.command().unwrap();
        assert_eq!(c.id(), CommandId::Tunnel);
        let ApsCommand::Tunnel { destination, frame } = c else {
            panic!("{c:?}")
        };
        assert_eq!(destination, eui("77:77:77:00:00:00:00:05"));
        assert_eq!(frame, &aps[11..]);
        let inner = c.tunneled_frame().unwrap().unwrap();
        assert_eq!(inner.frame_control.frame_type, FrameType::Command);
        assert_eq!(inner.frame_control.delivery, DeliveryMode::Unicast);
        assert_eq!(inner.counter, 104);
        let aux = inner.security.unwrap();
        assert_eq!(aux.control.key_id, KeyIdentifier::KeyTransport);
        assert_eq!(aux.frame_counter, 10245);
        assert_eq!(aux.source, Some(eui("77:77:77:00:00:00:00:01")));
        assert_eq!(inner.header_len(), 15);
        assert_eq!(
            &inner.payload[inner.payload.len() - 4..],
            &unhex("12b544e3")[..]
        );
        assert_eq!(c.to_vec().unwrap(), &aps[2..]);
        truncations_fail(&aps[2..11]);

        // Its plaintext, as Wireshark decrypted it: a Transport Key of the network key.
        let plain = unhex("0501111111111111111111111111111111110005000000007777770100000000777777");
        let c = ApsCommand::decode(&plain).unwrap();
        let ApsCommand::TransportKey(tk) = &c else {
            panic!("{c:?}")
        };
        assert_eq!(tk.key.as_bytes(), &[0x11; 16]);
        assert_eq!(
            tk.descriptor,
            KeyDescriptor::Network {
                key_seq: 0,
                destination: eui("77:77:77:00:00:00:00:05"),
                source: eui("77:77:77:00:00:00:00:01"),
            }
        );
        truncations_fail(&plain);
    }

    #[test]
    fn every_command_has_a_label_and_unknown_ids_round_trip() {
        for id in CommandId::ALL {
            assert!(id.label().is_some());
        }
        let b = [0x42, 1, 2, 3];
        let c = ApsCommand::decode(&b).unwrap();
        assert_eq!(
            c,
            ApsCommand::Unknown {
                id: 0x42,
                payload: &[1, 2, 3]
            }
        );
        assert_eq!(c.to_vec().unwrap(), b);
        let bad = ApsCommand::Unknown {
            id: 0x05,
            payload: &[],
        };
        assert!(bad.to_vec().is_err());
        let bad = ApsCommand::RequestKey {
            key_type: RequestKeyType::AppLinkKey,
            partner: None,
        };
        assert!(bad.to_vec().is_err());
        let bad = ApsCommand::TransportKey(TransportKey {
            key_type: KeyType::TcLinkKey,
            key: Key128::new([0; 16]),
            descriptor: KeyDescriptor::Application {
                partner: Eui64(1),
                initiator: true,
            },
        });
        assert!(bad.to_vec().is_err());
        // An initiator flag other than 0/1 is invalid.
        let mut app = alloc::vec![0x05, 0x03];
        app.extend_from_slice(&[0; 24]);
        app.push(2);
        assert!(ApsCommand::decode(&app).is_err());
        app.pop();
        app.push(1);
        assert!(ApsCommand::decode(&app).is_ok());
    }

    fn arb_eui() -> impl Strategy<Value = Eui64> {
        any::<u64>().prop_map(Eui64)
    }

    fn arb_skke() -> impl Strategy<Value = SkkeData> {
        (arb_eui(), arb_eui(), any::<[u8; 16]>()).prop_map(|(initiator, responder, data)| {
            SkkeData {
                initiator,
                responder,
                data,
            }
        })
    }

    fn arb_challenge() -> impl Strategy<Value = EaChallenge> {
        (
            any::<u8>(),
            any::<u8>(),
            arb_eui(),
            arb_eui(),
            any::<[u8; 16]>(),
        )
            .prop_map(|(kt, seq, initiator, responder, challenge)| {
                let key_type = kt & 1;
                EaChallenge {
                    key_type,
                    key_seq: (key_type == 0).then_some(seq),
                    initiator,
                    responder,
                    challenge,
                }
            })
    }

    fn arb_mac() -> impl Strategy<Value = EaMacData> {
        (any::<[u8; 16]>(), any::<u8>(), any::<[u8; 4]>()).prop_map(|(mac, data_type, data)| {
            EaMacData {
                mac,
                data_type,
                data,
            }
        })
    }

    fn arb_command(tail: &'static [u8]) -> impl Strategy<Value = ApsCommand<'static>> {
        let tk = (
            0u8..8,
            any::<[u8; 16]>(),
            any::<u8>(),
            arb_eui(),
            arb_eui(),
            any::<bool>(),
        )
            .prop_map(move |(kt, key, seq, a, b, flag)| {
                let key_type = KeyType::from(kt);
                let descriptor = match key_type {
                    KeyType::StandardNetworkKey | KeyType::HighSecurityNetworkKey => {
                        KeyDescriptor::Network {
                            key_seq: seq,
                            destination: a,
                            source: b,
                        }
                    }
                    KeyType::TcMaster | KeyType::TcLinkKey => KeyDescriptor::TrustCenter {
                        destination: a,
                        source: b,
                    },
                    KeyType::AppMaster | KeyType::AppLinkKey => KeyDescriptor::Application {
                        partner: a,
                        initiator: flag,
                    },
                    KeyType::Unknown(_) => KeyDescriptor::Other(tail),
                };
                ApsCommand::TransportKey(TransportKey {
                    key_type,
                    key: Key128::new(key),
                    descriptor,
                })
            });
        prop_oneof![
            arb_skke().prop_map(ApsCommand::Skke1),
            arb_skke().prop_map(ApsCommand::Skke2),
            arb_skke().prop_map(ApsCommand::Skke3),
            arb_skke().prop_map(ApsCommand::Skke4),
            tk,
            (arb_eui(), any::<u16>(), any::<u8>()).prop_map(|(device, short_address, s)| {
                ApsCommand::UpdateDevice {
                    device,
                    short_address,
                    status: UpdateDeviceStatus::from(s),
                }
            }),
            arb_eui().prop_map(|target| ApsCommand::RemoveDevice { target }),
            (any::<u8>(), arb_eui()).prop_map(|(k, p)| {
                let key_type = RequestKeyType::from(k);
                ApsCommand::RequestKey {
                    key_type,
                    partner: (key_type == RequestKeyType::AppLinkKey).then_some(p),
                }
            }),
            any::<u8>().prop_map(|key_seq| ApsCommand::SwitchKey { key_seq }),
            arb_challenge().prop_map(ApsCommand::EaInitChallenge),
            arb_challenge().prop_map(ApsCommand::EaRespChallenge),
            arb_mac().prop_map(ApsCommand::EaInitMacData),
            arb_mac().prop_map(ApsCommand::EaRespMacData),
            arb_eui().prop_map(move |destination| ApsCommand::Tunnel {
                destination,
                frame: tail
            }),
            (any::<u8>(), arb_eui(), any::<[u8; 16]>()).prop_map(|(k, source, hash)| {
                ApsCommand::VerifyKey {
                    key_type: KeyType::from(k),
                    source,
                    hash,
                }
            }),
            (any::<u8>(), any::<u8>(), arb_eui()).prop_map(|(s, k, destination)| {
                ApsCommand::ConfirmKey {
                    status: ApsStatus::from(s),
                    key_type: KeyType::from(k),
                    destination,
                }
            }),
            Just(ApsCommand::RelayMessageDownstream { tlvs: tail }),
            Just(ApsCommand::RelayMessageUpstream { tlvs: tail }),
            (0x13u8..=0xff).prop_map(move |id| ApsCommand::Unknown { id, payload: tail }),
        ]
    }

    proptest! {
        #[test]
        // The tails borrowed by Tunnel, Relay, Unknown and unnamed key types are
        // leaked so that the strategy can hand out `ApsCommand<'static>`.
        fn roundtrip(cmd in proptest::collection::vec(any::<u8>(), 0..24)
            .prop_flat_map(|tail| arb_command(tail.leak())))
        {
            let bytes = cmd.to_vec().unwrap();
            prop_assert_eq!(bytes.len(), cmd.encoded_len());
            prop_assert_eq!(ApsCommand::decode(&bytes).unwrap(), cmd);
        }

        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            if let Ok(c) = ApsCommand::decode(&bytes) {
                prop_assert_eq!(c.to_vec().unwrap(), &bytes[..]);
            }
        }
    }
}
