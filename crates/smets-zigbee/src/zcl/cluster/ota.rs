//! OTA Upgrade 0x0019 (ZCL rev. 8 chapter 11): the catalogue entry, typed
//! forms of the two commands whose layout a status or a field control
//! decides, and the OTA upgrade file (header and sub-elements, 11.4).
//! Signatures and certificates inside a file are carried, not verified.

use bytes::BufMut;
use smets_core::{
    Decode, DecodeError, DecodeErrorKind, Encode, EncodeError, Eui64, Layer, Reader, ensure_room,
    open_enum,
};

use super::{Attribute, Cluster, Command, Field};
use crate::zcl::DataType::{
    Bitmap8, Enum8, IeeeAddress, OctetString, Uint8, Uint16, Uint32, UtcTime,
};

/// OTA status codes the cluster's commands carry (ZCL rev. 8 2.6.3 table 2-12
/// and 11.13.4): the general ones it uses and the four OTA ones.
const STATUS: &[(u64, &str)] = &[
    (0x00, "success"),
    (0x7e, "not_authorized"),
    (0x80, "malformed_command"),
    (0x95, "abort"),
    (0x96, "invalid_image"),
    (0x97, "wait_for_data"),
    (0x98, "no_image_available"),
    (0x99, "require_more_image"),
];

/// Status SUCCESS (ZCL rev. 8 table 2-12).
pub const STATUS_SUCCESS: u8 = 0x00;
/// Status ABORT (ZCL rev. 8 table 2-12): the server or client stops the download.
pub const STATUS_ABORT: u8 = 0x95;
/// Status WAIT_FOR_DATA (ZCL rev. 8 table 2-12): the server has no data yet;
/// the client asks again at the time the response gives.
pub const STATUS_WAIT_FOR_DATA: u8 = 0x97;

/// Query Next Image Request field control bit: Hardware Version present
/// (ZCL rev. 8 11.13.4.1).
pub const QUERY_NEXT_IMAGE_HARDWARE_VERSION: u8 = 0x01;
/// Image Block Request field control bit: Request Node Address present
/// (ZCL rev. 8 11.13.6.1).
pub const IMAGE_BLOCK_REQUEST_NODE_ADDRESS: u8 = 0x01;
/// Image Block Request field control bit: Minimum Block Period present
/// (ZCL rev. 8 11.13.6.1; "Block Request Delay" before rev. 6).
pub const IMAGE_BLOCK_MINIMUM_BLOCK_PERIOD: u8 = 0x02;

const MANUFACTURER_CODE: Field = Field::new("manufacturer_code", Uint16);
const IMAGE_TYPE: Field = Field::new("image_type", Uint16);
const FILE_VERSION: Field = Field::new("file_version", Uint32);

/// The OTA Upgrade cluster. Its attributes are all on the client (the device
/// being upgraded); the server has none.
///
/// Several commands carry fields by a field control or a status: the table
/// says so with conditions (Image Block Request's node address and minimum
/// block period by field-control bits, Image Block Response's success and
/// WAIT_FOR_DATA forms by status, Image Notify's fields by payload type), and
/// the typed [`ImageBlockRequest`] and [`ImageBlockResponse`] read the same.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0019,
    name: "OTA Upgrade",
    label: "ota",
    clause: "ZCL rev. 8 11",
    attributes: &[],
    client_attributes: &[
        Attribute::new(0x0000, "UpgradeServerID", IeeeAddress),
        Attribute::new(0x0001, "FileOffset", Uint32),
        Attribute::new(0x0002, "CurrentFileVersion", Uint32),
        Attribute::new(0x0003, "CurrentZigBeeStackVersion", Uint16),
        Attribute::new(0x0004, "DownloadedFileVersion", Uint32),
        Attribute::new(0x0005, "DownloadedZigBeeStackVersion", Uint16),
        Attribute::new(0x0006, "ImageUpgradeStatus", Enum8).values(&[
            (0x00, "normal"),
            (0x01, "download_in_progress"),
            (0x02, "download_complete"),
            (0x03, "waiting_to_upgrade"),
            (0x04, "count_down"),
            (0x05, "wait_for_more"),
            (0x06, "waiting_to_upgrade_via_external_event"),
        ]),
        Attribute::new(0x0007, "ManufacturerID", Uint16),
        Attribute::new(0x0008, "ImageTypeID", Uint16),
        Attribute::new(0x0009, "MinimumBlockPeriod", Uint16),
        Attribute::new(0x000a, "ImageStamp", Uint32),
        Attribute::new(0x000b, "UpgradeActivationPolicy", Enum8).values(&[
            (0x00, "ota_server_activation_allowed"),
            (0x01, "out_of_band_activation_only"),
        ]),
        Attribute::new(0x000c, "UpgradeTimeoutPolicy", Enum8).values(&[
            (0x00, "apply_upgrade_after_timeout"),
            (0x01, "do_not_apply_upgrade_after_timeout"),
        ]),
    ],
    received: &[
        Command::new(
            0x01,
            "Query Next Image Request",
            "query_next_image_request",
            &[
                Field::new("field_control", Bitmap8),
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                Field::new("current_file_version", Uint32),
                Field::new("hardware_version", Uint16).when_bits("field_control", 0x01),
            ],
        ),
        Command::new(
            0x03,
            "Image Block Request",
            "image_block_request",
            &[
                Field::new("field_control", Bitmap8),
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                FILE_VERSION,
                Field::new("file_offset", Uint32),
                Field::new("maximum_data_size", Uint8),
                Field::new("request_node_address", IeeeAddress).when_bits("field_control", 0x01),
                Field::new("minimum_block_period", Uint16).when_bits("field_control", 0x02),
            ],
        ),
        Command::new(
            0x04,
            "Image Page Request",
            "image_page_request",
            &[
                Field::new("field_control", Bitmap8),
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                FILE_VERSION,
                Field::new("file_offset", Uint32),
                Field::new("maximum_data_size", Uint8),
                Field::new("page_size", Uint16),
                Field::new("response_spacing", Uint16),
                Field::new("request_node_address", IeeeAddress).when_bits("field_control", 0x01),
            ],
        ),
        Command::new(
            0x06,
            "Upgrade End Request",
            "upgrade_end_request",
            &[
                Field::new("status", Enum8).values(STATUS),
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                FILE_VERSION,
            ],
        ),
        Command::new(
            0x08,
            "Query Device Specific File Request",
            "query_device_specific_file_request",
            &[
                Field::new("request_node_address", IeeeAddress),
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                FILE_VERSION,
                Field::new("current_zigbee_stack_version", Uint16),
            ],
        ),
    ],
    generated: &[
        Command::new(
            0x00,
            "Image Notify",
            "image_notify",
            &[
                Field::new("payload_type", Enum8).values(&[
                    (0x00, "query_jitter"),
                    (0x01, "query_jitter_and_manufacturer_code"),
                    (0x02, "query_jitter_manufacturer_code_and_image_type"),
                    (
                        0x03,
                        "query_jitter_manufacturer_code_image_type_and_file_version",
                    ),
                ]),
                Field::new("query_jitter", Uint8),
                // Present according to the payload type: the code from
                // type 1, the image type from 2, the version at 3.
                MANUFACTURER_CODE.when_bits("payload_type", 0x03),
                IMAGE_TYPE.when_bits("payload_type", 0x02),
                Field::new("new_file_version", Uint32).when_equals("payload_type", 0x03),
            ],
        ),
        Command::new(
            0x02,
            "Query Next Image Response",
            "query_next_image_response",
            &[
                Field::new("status", Enum8).values(STATUS),
                // Only when the status is SUCCESS.
                MANUFACTURER_CODE.when_equals("status", 0x00),
                IMAGE_TYPE.when_equals("status", 0x00),
                FILE_VERSION.when_equals("status", 0x00),
                Field::new("image_size", Uint32).when_equals("status", 0x00),
            ],
        ),
        Command::new(
            0x05,
            "Image Block Response",
            "image_block_response",
            &[
                Field::new("status", Enum8).values(STATUS),
                // SUCCESS: the block.
                MANUFACTURER_CODE.when_equals("status", 0x00),
                IMAGE_TYPE.when_equals("status", 0x00),
                FILE_VERSION.when_equals("status", 0x00),
                Field::new("file_offset", Uint32).when_equals("status", 0x00),
                // Data Size (uint8) and Image Data are an octet string's
                // wire form: one length octet, then the octets. (A length
                // of 0xff, the invalid string, cannot occur: no APS frame
                // carries a 255-octet block.)
                Field::new("image_data", OctetString).when_equals("status", 0x00),
                // WAIT_FOR_DATA: when to ask again; the minimum block
                // period was added by a later revision.
                Field::new("current_time", UtcTime).when_equals("status", 0x97),
                Field::new("request_time", UtcTime).when_equals("status", 0x97),
                Field::new("minimum_block_period", Uint16)
                    .when_equals("status", 0x97)
                    .optional(),
            ],
        ),
        Command::new(
            0x07,
            "Upgrade End Response",
            "upgrade_end_response",
            &[
                MANUFACTURER_CODE,
                IMAGE_TYPE,
                FILE_VERSION,
                Field::new("current_time", UtcTime),
                Field::new("upgrade_time", UtcTime),
            ],
        ),
        Command::new(
            0x09,
            "Query Device Specific File Response",
            "query_device_specific_file_response",
            &[
                Field::new("status", Enum8).values(STATUS),
                // Only when the status is SUCCESS.
                MANUFACTURER_CODE.when_equals("status", 0x00),
                IMAGE_TYPE.when_equals("status", 0x00),
                FILE_VERSION.when_equals("status", 0x00),
                Field::new("image_size", Uint32).when_equals("status", 0x00),
            ],
        ),
    ],
};

/// Image Block Request (ZCL rev. 8 11.13.6), read as its field control says:
/// the request node address (bit 0) and the minimum block period (bit 1)
/// are each present on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageBlockRequest {
    /// Field control, every bit as sent.
    pub field_control: u8,
    /// Manufacturer code of the image.
    pub manufacturer_code: u16,
    /// Image type.
    pub image_type: u16,
    /// File version being downloaded.
    pub file_version: u32,
    /// Offset in the file of the block asked for.
    pub file_offset: u32,
    /// Largest block the client takes.
    pub maximum_data_size: u8,
    /// The client's address, for a device specific file (bit 0).
    pub request_node_address: Option<Eui64>,
    /// The client's minimum block period in milliseconds (bit 1).
    pub minimum_block_period: Option<u16>,
}

impl Decode<'_> for ImageBlockRequest {
    fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let field_control = r.u8("field control")?;
        let manufacturer_code = r.u16_le("manufacturer code")?;
        let image_type = r.u16_le("image type")?;
        let file_version = r.u32_le("file version")?;
        let file_offset = r.u32_le("file offset")?;
        let maximum_data_size = r.u8("maximum data size")?;
        let request_node_address = if field_control & IMAGE_BLOCK_REQUEST_NODE_ADDRESS != 0 {
            Some(r.eui64("request node address")?)
        } else {
            None
        };
        let minimum_block_period = if field_control & IMAGE_BLOCK_MINIMUM_BLOCK_PERIOD != 0 {
            Some(r.u16_le("minimum block period")?)
        } else {
            None
        };
        r.finish()?;
        Ok(Self {
            field_control,
            manufacturer_code,
            image_type,
            file_version,
            file_offset,
            maximum_data_size,
            request_node_address,
            minimum_block_period,
        })
    }
}

impl Encode for ImageBlockRequest {
    fn encoded_len(&self) -> usize {
        14 + self.request_node_address.map_or(0, |_| 8) + self.minimum_block_period.map_or(0, |_| 2)
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        let fc = self.field_control;
        if (fc & IMAGE_BLOCK_REQUEST_NODE_ADDRESS != 0) != self.request_node_address.is_some() {
            return Err(EncodeError::inconsistent(
                Layer::Zcl,
                "request node address",
            ));
        }
        if (fc & IMAGE_BLOCK_MINIMUM_BLOCK_PERIOD != 0) != self.minimum_block_period.is_some() {
            return Err(EncodeError::inconsistent(
                Layer::Zcl,
                "minimum block period",
            ));
        }
        out.put_u8(fc);
        out.put_u16_le(self.manufacturer_code);
        out.put_u16_le(self.image_type);
        out.put_u32_le(self.file_version);
        out.put_u32_le(self.file_offset);
        out.put_u8(self.maximum_data_size);
        if let Some(a) = self.request_node_address {
            out.put_slice(&a.to_le_bytes());
        }
        if let Some(p) = self.minimum_block_period {
            out.put_u16_le(p);
        }
        Ok(())
    }
}

/// Image Block Response (ZCL rev. 8 11.13.8) in each of its three forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageBlockResponse<'a> {
    /// Status SUCCESS: a block of the file.
    Success {
        /// Manufacturer code of the image.
        manufacturer_code: u16,
        /// Image type.
        image_type: u16,
        /// File version.
        file_version: u32,
        /// Offset of the block in the file.
        file_offset: u32,
        /// The block (its length is the data size octet).
        data: &'a [u8],
    },
    /// Status WAIT_FOR_DATA: ask again at `request_time`.
    WaitForData {
        /// The server's UTC time (seconds since 2000), or 0 when it has none.
        current_time: u32,
        /// When to ask again, UTC (or relative to `current_time` when that is 0).
        request_time: u32,
        /// The server's minimum block period in milliseconds (ZCL rev. 6 on;
        /// earlier servers end the payload before it).
        minimum_block_period: Option<u16>,
    },
    /// Any other status (ABORT and the rest): the status alone.
    Status(u8),
}

impl<'a> Decode<'a> for ImageBlockResponse<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let status = r.u8("status")?;
        let v = match status {
            STATUS_SUCCESS => {
                let manufacturer_code = r.u16_le("manufacturer code")?;
                let image_type = r.u16_le("image type")?;
                let file_version = r.u32_le("file version")?;
                let file_offset = r.u32_le("file offset")?;
                let size = r.u8("data size")?;
                let data = r.bytes(usize::from(size), "image data")?;
                Self::Success {
                    manufacturer_code,
                    image_type,
                    file_version,
                    file_offset,
                    data,
                }
            }
            STATUS_WAIT_FOR_DATA => Self::WaitForData {
                current_time: r.u32_le("current time")?,
                request_time: r.u32_le("request time")?,
                minimum_block_period: if r.is_empty() {
                    None
                } else {
                    Some(r.u16_le("minimum block period")?)
                },
            },
            other => Self::Status(other),
        };
        r.finish()?;
        Ok(v)
    }
}

impl ImageBlockResponse<'_> {
    /// The status octet.
    #[must_use]
    pub const fn status(&self) -> u8 {
        match *self {
            Self::Success { .. } => STATUS_SUCCESS,
            Self::WaitForData { .. } => STATUS_WAIT_FOR_DATA,
            Self::Status(s) => s,
        }
    }
}

impl Encode for ImageBlockResponse<'_> {
    fn encoded_len(&self) -> usize {
        match *self {
            Self::Success { data, .. } => 14 + data.len(),
            Self::WaitForData {
                minimum_block_period,
                ..
            } => 9 + minimum_block_period.map_or(0, |_| 2),
            Self::Status(_) => 1,
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        match *self {
            Self::Success {
                manufacturer_code,
                image_type,
                file_version,
                file_offset,
                data,
            } => {
                let size = u8::try_from(data.len()).map_err(|_| {
                    EncodeError::unrepresentable(Layer::Zcl, "data size", data.len() as u64)
                })?;
                out.put_u8(STATUS_SUCCESS);
                out.put_u16_le(manufacturer_code);
                out.put_u16_le(image_type);
                out.put_u32_le(file_version);
                out.put_u32_le(file_offset);
                out.put_u8(size);
                out.put_slice(data);
            }
            Self::WaitForData {
                current_time,
                request_time,
                minimum_block_period,
            } => {
                out.put_u8(STATUS_WAIT_FOR_DATA);
                out.put_u32_le(current_time);
                out.put_u32_le(request_time);
                if let Some(p) = minimum_block_period {
                    out.put_u16_le(p);
                }
            }
            Self::Status(s) => {
                // These two have their own forms: a bare status would not
                // decode back to the same value.
                if s == STATUS_SUCCESS || s == STATUS_WAIT_FOR_DATA {
                    return Err(EncodeError::inconsistent(Layer::Zcl, "status"));
                }
                out.put_u8(s);
            }
        }
        Ok(())
    }
}

/// The OTA upgrade file identifier, the file's first four octets (ZCL rev. 8 11.4.2.1).
pub const OTA_FILE_IDENTIFIER: u32 = 0x0bee_f11e;
/// Header field control bit: Security Credential Version present (ZCL rev. 8 11.4.2.4).
pub const HEADER_SECURITY_CREDENTIAL_VERSION: u16 = 0x0001;
/// Header field control bit: Device Specific File, Upgrade File Destination
/// present (ZCL rev. 8 11.4.2.4).
pub const HEADER_DEVICE_SPECIFIC_FILE: u16 = 0x0002;
/// Header field control bit: Minimum and Maximum Hardware Versions present
/// (ZCL rev. 8 11.4.2.4).
pub const HEADER_HARDWARE_VERSIONS: u16 = 0x0004;
/// Length of the header's mandatory fields (ZCL rev. 8 table 11-2).
pub const HEADER_MANDATORY_LEN: usize = 56;
/// Offset of Total Image Size in the header.
const TOTAL_IMAGE_SIZE_OFFSET: usize = 52;

/// The header of an OTA upgrade file (ZCL rev. 8 11.4.2, table 11-2).
///
/// Header Length is not held: it is the encoded length, the mandatory and
/// present optional fields plus `extension`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtaHeader<'a> {
    /// OTA Header Version (0x0100 in ZCL rev. 8).
    pub header_version: u16,
    /// OTA Header Field Control, every bit as sent; bits 0 to 2 must match
    /// the optional fields.
    pub field_control: u16,
    /// Manufacturer code.
    pub manufacturer_code: u16,
    /// Image type (0xffc0 to 0xffff are the specification's: security
    /// credential, configuration, log, wild card).
    pub image_type: u16,
    /// File version.
    pub file_version: u32,
    /// ZigBee stack version (0x0002 ZigBee PRO).
    pub zigbee_stack_version: u16,
    /// OTA Header String: 32 octets of text, NUL padded.
    pub header_string: [u8; 32],
    /// Total Image Size: the whole file, header included.
    pub total_image_size: u32,
    /// Security Credential Version (field control bit 0).
    pub security_credential_version: Option<u8>,
    /// Upgrade File Destination, the device the file is for (bit 1).
    pub upgrade_file_destination: Option<Eui64>,
    /// Minimum and Maximum Hardware Versions (bit 2).
    pub hardware_versions: Option<HardwareVersions>,
    /// Octets inside Header Length after the known fields (a later header
    /// version's additions), kept so that the file re-encodes.
    pub extension: &'a [u8],
}

/// Minimum and Maximum Hardware Version of an OTA header (ZCL rev. 8 11.4.2.15-16):
/// version in the high octet, revision in the low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HardwareVersions {
    /// The earliest hardware the image runs on.
    pub minimum: u16,
    /// The latest hardware the image runs on.
    pub maximum: u16,
}

impl<'a> OtaHeader<'a> {
    /// Decodes the header at the start of `buf` and returns the rest (the
    /// sub-elements of a whole file). Error offsets are within `buf`.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl) when the identifier is not
    /// [`OTA_FILE_IDENTIFIER`], Header Length is shorter than the fields
    /// the field control announces, or `buf` ends first.
    pub fn decode_prefix(buf: &'a [u8]) -> Result<(Self, &'a [u8]), DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let magic = r.u32_le("ota upgrade file identifier")?;
        if magic != OTA_FILE_IDENTIFIER {
            return Err(r.invalid(4, "ota upgrade file identifier", u64::from(magic)));
        }
        let header_version = r.u16_le("ota header version")?;
        let header_length = r.u16_le("ota header length")?;
        let field_control = r.u16_le("ota header field control")?;
        let known = known_len(field_control);
        if usize::from(header_length) < known {
            return Err(r.invalid(4, "ota header length", u64::from(header_length)));
        }
        let header = buf.get(..usize::from(header_length)).ok_or_else(|| {
            DecodeError::truncated(
                Layer::Zcl,
                0,
                "ota header",
                usize::from(header_length),
                buf.len(),
            )
        })?;
        let mut r = Reader::new(header, Layer::Zcl);
        r.bytes(10, "ota header")?;
        let manufacturer_code = r.u16_le("manufacturer code")?;
        let image_type = r.u16_le("image type")?;
        let file_version = r.u32_le("file version")?;
        let zigbee_stack_version = r.u16_le("zigbee stack version")?;
        let header_string = r.array("ota header string")?;
        let total_image_size = r.u32_le("total image size")?;
        let security_credential_version = if field_control & HEADER_SECURITY_CREDENTIAL_VERSION != 0
        {
            Some(r.u8("security credential version")?)
        } else {
            None
        };
        let upgrade_file_destination = if field_control & HEADER_DEVICE_SPECIFIC_FILE != 0 {
            Some(r.eui64("upgrade file destination")?)
        } else {
            None
        };
        let hardware_versions = if field_control & HEADER_HARDWARE_VERSIONS != 0 {
            Some(HardwareVersions {
                minimum: r.u16_le("minimum hardware version")?,
                maximum: r.u16_le("maximum hardware version")?,
            })
        } else {
            None
        };
        let extension = r.rest();
        let rest = buf.get(header.len()..).unwrap_or_default();
        Ok((
            Self {
                header_version,
                field_control,
                manufacturer_code,
                image_type,
                file_version,
                zigbee_stack_version,
                header_string,
                total_image_size,
                security_credential_version,
                upgrade_file_destination,
                hardware_versions,
                extension,
            },
            rest,
        ))
    }

    /// The OTA Header String up to its first NUL.
    #[must_use]
    pub fn header_text(&self) -> &[u8] {
        let end = self
            .header_string
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.header_string.len());
        self.header_string.get(..end).unwrap_or_default()
    }
}

/// Length of the mandatory fields and the optional ones `field_control` announces.
fn known_len(field_control: u16) -> usize {
    let mut n = HEADER_MANDATORY_LEN;
    if field_control & HEADER_SECURITY_CREDENTIAL_VERSION != 0 {
        n += 1;
    }
    if field_control & HEADER_DEVICE_SPECIFIC_FILE != 0 {
        n += 8;
    }
    if field_control & HEADER_HARDWARE_VERSIONS != 0 {
        n += 4;
    }
    n
}

impl<'a> Decode<'a> for OtaHeader<'a> {
    /// Decodes a header that fills `buf` (Header Length = `buf.len()`).
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let (h, rest) = Self::decode_prefix(buf)?;
        if !rest.is_empty() {
            return Err(DecodeError::new(
                Layer::Zcl,
                buf.len() - rest.len(),
                DecodeErrorKind::TrailingBytes { count: rest.len() },
            ));
        }
        Ok(h)
    }
}

impl Encode for OtaHeader<'_> {
    fn encoded_len(&self) -> usize {
        known_len(self.field_control) + self.extension.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let len = self.encoded_len();
        ensure_room(out, len, Layer::Zcl)?;
        let fc = self.field_control;
        if (fc & HEADER_SECURITY_CREDENTIAL_VERSION != 0)
            != self.security_credential_version.is_some()
        {
            return Err(EncodeError::inconsistent(
                Layer::Zcl,
                "security credential version",
            ));
        }
        if (fc & HEADER_DEVICE_SPECIFIC_FILE != 0) != self.upgrade_file_destination.is_some() {
            return Err(EncodeError::inconsistent(
                Layer::Zcl,
                "upgrade file destination",
            ));
        }
        if (fc & HEADER_HARDWARE_VERSIONS != 0) != self.hardware_versions.is_some() {
            return Err(EncodeError::inconsistent(Layer::Zcl, "hardware versions"));
        }
        let header_length = u16::try_from(len).map_err(|_| {
            EncodeError::unrepresentable(Layer::Zcl, "ota header length", len as u64)
        })?;
        out.put_u32_le(OTA_FILE_IDENTIFIER);
        out.put_u16_le(self.header_version);
        out.put_u16_le(header_length);
        out.put_u16_le(fc);
        out.put_u16_le(self.manufacturer_code);
        out.put_u16_le(self.image_type);
        out.put_u32_le(self.file_version);
        out.put_u16_le(self.zigbee_stack_version);
        out.put_slice(&self.header_string);
        out.put_u32_le(self.total_image_size);
        if let Some(v) = self.security_credential_version {
            out.put_u8(v);
        }
        if let Some(d) = self.upgrade_file_destination {
            out.put_slice(&d.to_le_bytes());
        }
        if let Some(h) = self.hardware_versions {
            out.put_u16_le(h.minimum);
            out.put_u16_le(h.maximum);
        }
        out.put_slice(self.extension);
        Ok(())
    }
}

open_enum! {
    /// Sub-element tag identifier (ZCL rev. 8 table 11-5; 0x0001, 0x0002,
    /// 0x0005 and 0x0006 are ZigBee Smart Energy's signature and certificate
    /// for CBKE crypto suites 1 and 2, 0xf000-0xffff manufacturer specific).
    pub enum TagId: u16 {
        /// Upgrade Image: the firmware itself.
        UpgradeImage = 0x0000 => "upgrade_image",
        /// ECDSA Signature (crypto suite 1, sect163k1): signer EUI-64 and signature.
        EcdsaSignature = 0x0001 => "ecdsa_signature",
        /// ECDSA Signing Certificate (crypto suite 1): the signer's implicit certificate.
        EcdsaSigningCertificate = 0x0002 => "ecdsa_signing_certificate",
        /// Image Integrity Code: an AES-MMO hash of the file before it.
        ImageIntegrityCode = 0x0003 => "image_integrity_code",
        /// Picture Data.
        PictureData = 0x0004 => "picture_data",
        /// ECDSA Signature (crypto suite 2, sect283k1).
        EcdsaSignatureCryptoSuite2 = 0x0005 => "ecdsa_signature_crypto_suite_2",
        /// ECDSA Signing Certificate (crypto suite 2).
        EcdsaSigningCertificateCryptoSuite2 = 0x0006 => "ecdsa_signing_certificate_crypto_suite_2",
    }
}

/// A sub-element of an OTA upgrade file (ZCL rev. 8 11.4.3): a tag, a
/// 32-bit length and that many octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubElement<'a> {
    /// Tag identifier.
    pub tag: TagId,
    /// The element's data.
    pub data: &'a [u8],
}

impl<'a> SubElement<'a> {
    /// Decodes the sub-element at the start of `buf` and returns the rest.
    ///
    /// # Errors
    /// [`DecodeError`] (layer Zcl) when `buf` ends inside it.
    pub fn decode_prefix(buf: &'a [u8]) -> Result<(Self, &'a [u8]), DecodeError> {
        let mut r = Reader::new(buf, Layer::Zcl);
        let tag = TagId::from(r.u16_le("tag id")?);
        let len = r.u32_le("length field")?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let data = r.bytes(len, "sub-element data")?;
        Ok((Self { tag, data }, r.rest()))
    }
}

impl Encode for SubElement<'_> {
    fn encoded_len(&self) -> usize {
        6 + self.data.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        ensure_room(out, self.encoded_len(), Layer::Zcl)?;
        let len = u32::try_from(self.data.len()).map_err(|_| {
            EncodeError::unrepresentable(Layer::Zcl, "length field", self.data.len() as u64)
        })?;
        out.put_u16_le(self.tag.into());
        out.put_u32_le(len);
        out.put_slice(self.data);
        Ok(())
    }
}

/// The sub-elements of a file, in order (validated when the file was decoded).
#[derive(Debug, Clone)]
pub struct SubElements<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for SubElements<'a> {
    type Item = SubElement<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match SubElement::decode_prefix(self.rest) {
            Ok((e, rest)) => {
                self.rest = rest;
                Some(e)
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}

/// An OTA upgrade file (ZCL rev. 8 11.4): the header and its sub-elements,
/// borrowed from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtaImage<'a> {
    /// The header.
    pub header: OtaHeader<'a>,
    /// The sub-elements' wire form (everything after the header).
    pub elements: &'a [u8],
}

impl<'a> OtaImage<'a> {
    /// The sub-elements in order.
    #[must_use]
    pub const fn sub_elements(&self) -> SubElements<'a> {
        SubElements {
            rest: self.elements,
        }
    }

    /// The first sub-element with `tag`.
    #[must_use]
    pub fn sub_element(&self, tag: TagId) -> Option<SubElement<'a>> {
        self.sub_elements().find(|e| e.tag == tag)
    }
}

impl<'a> Decode<'a> for OtaImage<'a> {
    /// Decodes a whole file: Total Image Size must be `file.len()` and the
    /// sub-elements must fill the rest.
    fn decode(file: &'a [u8]) -> Result<Self, DecodeError> {
        let (header, elements) = OtaHeader::decode_prefix(file)?;
        let total = header.total_image_size;
        if usize::try_from(total).ok() != Some(file.len()) {
            return Err(DecodeError::invalid(
                Layer::Zcl,
                TOTAL_IMAGE_SIZE_OFFSET,
                "total image size",
                u64::from(total),
            ));
        }
        let mut rest = elements;
        while !rest.is_empty() {
            let at = file.len() - rest.len();
            rest = SubElement::decode_prefix(rest)
                .map_err(|e| e.shifted(at))?
                .1;
        }
        Ok(Self { header, elements })
    }
}

impl Encode for OtaImage<'_> {
    fn encoded_len(&self) -> usize {
        self.header.encoded_len() + self.elements.len()
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        let len = self.encoded_len();
        ensure_room(out, len, Layer::Zcl)?;
        if usize::try_from(self.header.total_image_size).ok() != Some(len) {
            return Err(EncodeError::inconsistent(Layer::Zcl, "total image size"));
        }
        let mut rest = self.elements;
        while !rest.is_empty() {
            rest = SubElement::decode_prefix(rest)
                .map_err(|_| EncodeError::inconsistent(Layer::Zcl, "sub-elements"))?
                .1;
        }
        self.header.encode(out)?;
        out.put_slice(self.elements);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;
    use crate::zcl::Direction;
    use crate::zcl::cluster::{ClusterCommand, Value};

    fn fields(dir: Direction, id: u8, payload: &[u8]) -> Vec<(&'static str, u64)> {
        ClusterCommand::decode(0x0019, dir, id, payload)
            .unwrap()
            .unwrap()
            .fields()
            .map(|f| (f.spec.name, f.value.as_u64().unwrap_or(u64::MAX)))
            .collect()
    }

    // Every payload below was put in a ZCL frame (HA profile, cluster 0x0019)
    // and decoded with tshark 4.0; the comments give tshark's field values.

    #[test]
    fn image_notify() {
        // Payload Type 0x03, Query Jitter 100, Manufacturer Code 0x1234,
        // Image Type 0x5678, File Version 0x01020304.
        let p = [0x03, 0x64, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01];
        assert_eq!(
            fields(Direction::ToClient, 0x00, &p),
            [
                ("payload_type", 3),
                ("query_jitter", 100),
                ("manufacturer_code", 0x1234),
                ("image_type", 0x5678),
                ("new_file_version", 0x0102_0304)
            ]
        );
        // Payload type 0: the jitter alone.
        assert_eq!(
            fields(Direction::ToClient, 0x00, &[0x00, 0x32]),
            [("payload_type", 0), ("query_jitter", 50)]
        );
    }

    #[test]
    fn query_next_image_request_and_response() {
        // Field Control 0x01 (hardware version present), 0x1234, 0x5678,
        // 0x01020304, Hardware Version 0x0002.
        let p = [
            0x01, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x02, 0x00,
        ];
        assert_eq!(
            fields(Direction::ToServer, 0x01, &p),
            [
                ("field_control", 1),
                ("manufacturer_code", 0x1234),
                ("image_type", 0x5678),
                ("current_file_version", 0x0102_0304),
                ("hardware_version", 2)
            ]
        );
        // The field control announces the hardware version: cut, it is missing.
        assert!(ClusterCommand::decode(0x0019, Direction::ToServer, 0x01, &p[..9]).is_err());
        let mut without = p[..9].to_vec();
        without[0] = 0x00;
        assert_eq!(fields(Direction::ToServer, 0x01, &without).len(), 4);
        // Status Success, 0x1234, 0x5678, File Version 0x02030405, Image Size 1048576.
        let p = [
            0x00, 0x34, 0x12, 0x78, 0x56, 0x05, 0x04, 0x03, 0x02, 0x00, 0x00, 0x10, 0x00,
        ];
        let f = fields(Direction::ToClient, 0x02, &p);
        assert_eq!(f[3], ("file_version", 0x0203_0405));
        assert_eq!(f[4], ("image_size", 1_048_576));
        // "Ota No Image Available (0x98)": the status alone.
        let c = ClusterCommand::decode(0x0019, Direction::ToClient, 0x02, &[0x98])
            .unwrap()
            .unwrap();
        let s = c.field("status").unwrap();
        assert_eq!(s.spec.value_name(0x98), Some("no_image_available"));
        assert_eq!(c.fields().count(), 1);
    }

    const BLOCK_REQUEST_PERIOD: [u8; 16] = [
        0x02, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x40, 0x00, 0x00, 0x00, 0x30, 0x64,
        0x00,
    ];
    const BLOCK_REQUEST_BOTH: [u8; 24] = [
        0x03, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x40, 0x00, 0x00, 0x00, 0x30, 0x08,
        0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x64, 0x00,
    ];

    #[test]
    fn image_block_request_follows_its_field_control() {
        // Field Control 0x03, File Offset 64, Max Data Size 48,
        // Ieee Address 0x0102030405060708, Minimum Block Period 100.
        let r = ImageBlockRequest::decode(&BLOCK_REQUEST_BOTH).unwrap();
        assert_eq!(r.file_offset, 64);
        assert_eq!(r.maximum_data_size, 48);
        assert_eq!(r.request_node_address, Some(Eui64(0x0102_0304_0506_0708)));
        assert_eq!(r.minimum_block_period, Some(100));
        assert_eq!(r.to_vec().unwrap(), BLOCK_REQUEST_BOTH);
        let f = fields(Direction::ToServer, 0x03, &BLOCK_REQUEST_BOTH);
        assert_eq!(f[6], ("request_node_address", u64::MAX));
        assert_eq!(f[7], ("minimum_block_period", 100));
        // Field Control 0x02: "Request Node Address: Not Present", "Minimum
        // Block Period: 100". The typed form and the table both follow it.
        let r = ImageBlockRequest::decode(&BLOCK_REQUEST_PERIOD).unwrap();
        assert_eq!(r.request_node_address, None);
        assert_eq!(r.minimum_block_period, Some(100));
        assert_eq!(r.to_vec().unwrap(), BLOCK_REQUEST_PERIOD);
        assert_eq!(
            fields(Direction::ToServer, 0x03, &BLOCK_REQUEST_PERIOD)
                .last()
                .copied(),
            Some(("minimum_block_period", 100))
        );
        assert!(
            !fields(Direction::ToServer, 0x03, &BLOCK_REQUEST_PERIOD)
                .iter()
                .any(|(n, _)| *n == "request_node_address")
        );
        // A flag without its field.
        let mut bad = r;
        bad.minimum_block_period = None;
        assert!(bad.to_vec().is_err());
        for cut in 0..BLOCK_REQUEST_BOTH.len() {
            assert!(ImageBlockRequest::decode(&BLOCK_REQUEST_BOTH[..cut]).is_err());
        }
    }

    const BLOCK_SUCCESS: [u8; 18] = [
        0x00, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x40, 0x00, 0x00, 0x00, 0x04, 0xde,
        0xad, 0xbe, 0xef,
    ];
    const BLOCK_WAIT: [u8; 11] = [
        0x97, 0x10, 0x20, 0x30, 0x40, 0x20, 0x20, 0x30, 0x40, 0xe8, 0x03,
    ];

    #[test]
    fn image_block_response_forms() {
        // Status Success, File Offset 64, Data Size 4, Image Data de:ad:be:ef.
        let r = ImageBlockResponse::decode(&BLOCK_SUCCESS).unwrap();
        let ImageBlockResponse::Success {
            file_version,
            file_offset,
            data,
            ..
        } = r
        else {
            panic!("success");
        };
        assert_eq!((file_version, file_offset), (0x0102_0304, 64));
        assert_eq!(data, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(r.to_vec().unwrap(), BLOCK_SUCCESS);
        let c = ClusterCommand::decode(0x0019, Direction::ToClient, 0x05, &BLOCK_SUCCESS)
            .unwrap()
            .unwrap();
        assert_eq!(
            c.field("image_data").unwrap().value.as_bytes(),
            Some(&[0xde, 0xad, 0xbe, 0xef][..])
        );
        // Data Size 4 but five octets follow.
        let mut long = BLOCK_SUCCESS.to_vec();
        long.push(0);
        assert!(ClusterCommand::decode(0x0019, Direction::ToClient, 0x05, &long).is_err());
        assert!(ImageBlockResponse::decode(&long).is_err());
        // "Ota Wait For Data (0x97)", Current Time 0x40302010 (Feb 15, 2034
        // 01:42:40 UTC), Request Time 0x40302020; tshark 4.0 stops there, the
        // minimum block period is 1000 ms.
        let r = ImageBlockResponse::decode(&BLOCK_WAIT).unwrap();
        assert_eq!(
            r,
            ImageBlockResponse::WaitForData {
                current_time: 0x4030_2010,
                request_time: 0x4030_2020,
                minimum_block_period: Some(1000),
            }
        );
        assert_eq!(r.status(), STATUS_WAIT_FOR_DATA);
        assert_eq!(r.to_vec().unwrap(), BLOCK_WAIT);
        let short = ImageBlockResponse::decode(&BLOCK_WAIT[..9]).unwrap();
        assert!(matches!(
            short,
            ImageBlockResponse::WaitForData {
                minimum_block_period: None,
                ..
            }
        ));
        // The table reads the wait form by its status too.
        let names: Vec<&str> = fields(Direction::ToClient, 0x05, &BLOCK_WAIT)
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(
            names,
            [
                "status",
                "current_time",
                "request_time",
                "minimum_block_period"
            ]
        );
        assert_eq!(fields(Direction::ToClient, 0x05, &BLOCK_WAIT[..9]).len(), 3);
        assert_eq!(
            ImageBlockResponse::decode(&[STATUS_ABORT]).unwrap(),
            ImageBlockResponse::Status(STATUS_ABORT)
        );
        assert!(ImageBlockResponse::Status(STATUS_SUCCESS).to_vec().is_err());
        assert!(ImageBlockResponse::decode(&BLOCK_SUCCESS[..17]).is_err());
        assert!(ImageBlockResponse::decode(&BLOCK_WAIT[..10]).is_err());
    }

    #[test]
    fn upgrade_end_and_device_specific_file() {
        // Upgrade End Request: Status Success, 0x1234, 0x5678, 0x01020304.
        let p = [0x00, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01];
        assert_eq!(
            fields(Direction::ToServer, 0x06, &p)[3],
            ("file_version", 0x0102_0304)
        );
        // Upgrade End Response: Current Time 0x40302010, Upgrade Time 0x40302020.
        let p = [
            0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x10, 0x20, 0x30, 0x40, 0x20, 0x20,
            0x30, 0x40,
        ];
        let f = fields(Direction::ToClient, 0x07, &p);
        assert_eq!(f[3], ("current_time", 0x4030_2010));
        assert_eq!(f[4], ("upgrade_time", 0x4030_2020));
        // Image Page Request: File Offset 0, Max Data Size 64, Page Size 256,
        // Response Spacing 0x000a.
        let p = [
            0x00, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x40,
            0x00, 0x01, 0x0a, 0x00,
        ];
        let f = fields(Direction::ToServer, 0x04, &p);
        assert_eq!(
            &f[5..],
            [
                ("maximum_data_size", 64),
                ("page_size", 256),
                ("response_spacing", 10)
            ]
        );
        // Query Specific File Request: Ieee Address 0x0102030405060708,
        // ZigBee Stack Version ZigBee Pro (0x0002).
        let p = [
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03,
            0x02, 0x01, 0x02, 0x00,
        ];
        let c = ClusterCommand::decode(0x0019, Direction::ToServer, 0x08, &p)
            .unwrap()
            .unwrap();
        assert_eq!(
            c.field("request_node_address").unwrap().value,
            Value::Zcl(crate::zcl::types::ZclValue::IeeeAddress(Eui64(
                0x0102_0304_0506_0708
            )))
        );
        assert_eq!(
            c.field("current_zigbee_stack_version")
                .unwrap()
                .value
                .as_u64(),
            Some(2)
        );
        // Query Specific File Response: Status Success, Image Size 4096.
        let p = [
            0x00, 0x34, 0x12, 0x78, 0x56, 0x04, 0x03, 0x02, 0x01, 0x00, 0x10, 0x00, 0x00,
        ];
        assert_eq!(
            fields(Direction::ToClient, 0x09, &p)[4],
            ("image_size", 4096)
        );
    }

    #[test]
    fn client_attributes() {
        let a = CLUSTER.attribute(true, 0x0006).unwrap();
        assert_eq!(a.spec.name, "ImageUpgradeStatus");
        assert_eq!(a.spec.value_name(2), Some("download_complete"));
        assert_eq!(
            CLUSTER.attribute(true, 0x0000).unwrap().spec.data_type,
            IeeeAddress
        );
        assert!(CLUSTER.attribute(false, 0x0000).is_none());
    }

    /// A file: header with every optional field, an upgrade image and an
    /// image integrity code.
    fn sample_file() -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&[0x1e, 0xf1, 0xee, 0x0b]); // file identifier
        f.extend_from_slice(&[0x00, 0x01]); // header version 0x0100
        f.extend_from_slice(&[69, 0x00]); // header length 56 + 1 + 8 + 4
        f.extend_from_slice(&[0x07, 0x00]); // field control
        f.extend_from_slice(&[0x34, 0x12, 0x78, 0x56]); // manufacturer, image type
        f.extend_from_slice(&[0x04, 0x03, 0x02, 0x01, 0x02, 0x00]); // file version, stack
        let mut s = [0u8; 32];
        s[..8].copy_from_slice(b"GBCS OTA");
        f.extend_from_slice(&s);
        let total: u32 = 69 + 6 + 5 + 6 + 16;
        f.extend_from_slice(&total.to_le_bytes());
        f.push(0x02); // security credential version
        f.extend_from_slice(&[0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);
        f.extend_from_slice(&[0x01, 0x00, 0x05, 0x00]); // hardware 1 to 5
        f.extend_from_slice(&[0x00, 0x00, 5, 0, 0, 0, 1, 2, 3, 4, 5]);
        f.extend_from_slice(&[0x03, 0x00, 16, 0, 0, 0]);
        f.extend_from_slice(&[0xaa; 16]);
        assert_eq!(f.len(), total as usize);
        f
    }

    #[test]
    fn ota_file_header_and_sub_elements() {
        let file = sample_file();
        let img = OtaImage::decode(&file).unwrap();
        let h = img.header;
        assert_eq!(h.header_version, 0x0100);
        assert_eq!(h.field_control, 0x0007);
        assert_eq!((h.manufacturer_code, h.image_type), (0x1234, 0x5678));
        assert_eq!(h.file_version, 0x0102_0304);
        assert_eq!(h.zigbee_stack_version, 2);
        assert_eq!(h.header_text(), b"GBCS OTA");
        assert_eq!(h.total_image_size as usize, file.len());
        assert_eq!(h.security_credential_version, Some(2));
        assert_eq!(
            h.upgrade_file_destination,
            Some(Eui64(0x0102_0304_0506_0708))
        );
        assert_eq!(
            h.hardware_versions,
            Some(HardwareVersions {
                minimum: 1,
                maximum: 5
            })
        );
        assert!(h.extension.is_empty());
        let elems: Vec<_> = img.sub_elements().collect();
        assert_eq!(elems.len(), 2);
        assert_eq!(elems[0].tag, TagId::UpgradeImage);
        assert_eq!(elems[0].data, [1, 2, 3, 4, 5]);
        assert_eq!(elems[1].tag.label(), Some("image_integrity_code"));
        assert_eq!(
            img.sub_element(TagId::ImageIntegrityCode).unwrap().data,
            [0xaa; 16]
        );
        assert_eq!(img.to_vec().unwrap(), file);
        assert_eq!(OtaHeader::decode(&file[..69]).unwrap(), h);
    }

    #[test]
    fn ota_file_errors() {
        let file = sample_file();
        for cut in 0..file.len() {
            assert!(OtaImage::decode(&file[..cut]).is_err(), "cut at {cut}");
        }
        for cut in 0..69 {
            assert!(
                OtaHeader::decode_prefix(&file[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut bad = file.clone();
        bad[0] = 0x1f;
        let e = OtaImage::decode(&bad).unwrap_err();
        assert_eq!(e.offset, 0);
        // Header length shorter than the fields the field control announces.
        let mut bad = file.clone();
        bad[6] = 68;
        assert_eq!(OtaImage::decode(&bad).unwrap_err().offset, 6);
        // Total image size not the file's length.
        let mut bad = file.clone();
        bad[52] = bad[52].wrapping_add(1);
        assert_eq!(OtaImage::decode(&bad).unwrap_err().offset, 52);
        // A sub-element longer than the file: the error is at its data.
        let mut bad = file.clone();
        bad[71] = 0xff;
        bad[52] = file[52];
        let e = OtaImage::decode(&bad).unwrap_err();
        assert_eq!(e.offset, 75);
        // Encoding checks the field control and the total size.
        let img = OtaImage::decode(&file).unwrap();
        let mut h = img.header;
        h.hardware_versions = None;
        assert!(h.to_vec().is_err());
        let mut wrong = img;
        wrong.header.total_image_size += 1;
        assert!(wrong.to_vec().is_err());
    }

    #[test]
    fn header_extension_is_kept() {
        // A later header version with two more octets inside Header Length.
        let mut file = sample_file();
        file[6] = 71;
        file.splice(69..69, [0xee, 0xff]);
        let total = u32::try_from(file.len()).unwrap();
        file[52..56].copy_from_slice(&total.to_le_bytes());
        let img = OtaImage::decode(&file).unwrap();
        assert_eq!(img.header.extension, [0xee, 0xff]);
        assert_eq!(img.sub_elements().count(), 2);
        assert_eq!(img.to_vec().unwrap(), file);
    }

    fn header_strategy() -> impl Strategy<Value = (OtaHeader<'static>, Vec<(u16, Vec<u8>)>)> {
        (
            (
                any::<u16>(),
                0u16..8,
                any::<u16>(),
                any::<u16>(),
                any::<u32>(),
                any::<u16>(),
            ),
            (
                any::<[u8; 32]>(),
                any::<u8>(),
                any::<u64>(),
                any::<u16>(),
                any::<u16>(),
            ),
            proptest::collection::vec(
                (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..20)),
                0..4,
            ),
        )
            .prop_map(
                |((ver, fc, mfr, ty, fv, st), (s, scv, dst, lo, hi), elems)| {
                    let h = OtaHeader {
                        header_version: ver,
                        field_control: fc,
                        manufacturer_code: mfr,
                        image_type: ty,
                        file_version: fv,
                        zigbee_stack_version: st,
                        header_string: s,
                        total_image_size: 0,
                        security_credential_version: (fc & 1 != 0).then_some(scv),
                        upgrade_file_destination: (fc & 2 != 0).then_some(Eui64(dst)),
                        hardware_versions: (fc & 4 != 0).then_some(HardwareVersions {
                            minimum: lo,
                            maximum: hi,
                        }),
                        extension: &[],
                    };
                    (h, elems)
                },
            )
    }

    proptest! {
        #[test]
        fn ota_file_round_trips((mut h, elems) in header_strategy()) {
            let mut body = Vec::new();
            for (tag, data) in &elems {
                SubElement { tag: TagId::from(*tag), data }.encode(&mut body).unwrap();
            }
            h.total_image_size = u32::try_from(h.encoded_len() + body.len()).unwrap();
            let img = OtaImage { header: h, elements: &body };
            let file = img.to_vec().unwrap();
            let back = OtaImage::decode(&file).unwrap();
            prop_assert_eq!(back, img);
            let tags: Vec<u16> = back.sub_elements().map(|e| e.tag.into()).collect();
            prop_assert_eq!(tags, elems.iter().map(|e| e.0).collect::<Vec<_>>());
        }

        #[test]
        fn image_block_request_round_trips(
            fc in any::<u8>(), mfr in any::<u16>(), off in any::<u32>(), max in any::<u8>(),
            addr in any::<u64>(), period in any::<u16>(),
        ) {
            let r = ImageBlockRequest {
                field_control: fc,
                manufacturer_code: mfr,
                image_type: 0xffff,
                file_version: off ^ 0x5a5a,
                file_offset: off,
                maximum_data_size: max,
                request_node_address: (fc & 1 != 0).then_some(Eui64(addr)),
                minimum_block_period: (fc & 2 != 0).then_some(period),
            };
            let b = r.to_vec().unwrap();
            prop_assert_eq!(ImageBlockRequest::decode(&b).unwrap(), r);
        }

        #[test]
        fn image_block_response_round_trips(
            status in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..64),
            t in any::<u32>(), period in proptest::option::of(any::<u16>()),
        ) {
            let r = match status {
                STATUS_SUCCESS => ImageBlockResponse::Success {
                    manufacturer_code: 1, image_type: 2, file_version: t, file_offset: t, data: &data,
                },
                STATUS_WAIT_FOR_DATA => ImageBlockResponse::WaitForData {
                    current_time: t, request_time: t.wrapping_add(5), minimum_block_period: period,
                },
                s => ImageBlockResponse::Status(s),
            };
            let b = r.to_vec().unwrap();
            prop_assert_eq!(ImageBlockResponse::decode(&b).unwrap(), r);
        }

        #[test]
        fn arbitrary_files_do_not_panic(b in proptest::collection::vec(any::<u8>(), 0..128)) {
            let _ = OtaImage::decode(&b);
            let _ = ImageBlockRequest::decode(&b);
            let _ = ImageBlockResponse::decode(&b);
        }
    }
}
