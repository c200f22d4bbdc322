//! The keys file (`--keys FILE`): TOML, documented in the README.
//!
//! ```toml
//! [[zigbee.network_key]]
//! key = "26546b723b396a727b5d5271517d392f"   # 32 hex digits, as Wireshark shows it
//! seq = 0                                    # optional key sequence number
//!
//! [[zigbee.link_key]]
//! key = "5a6967426565416c6c69616e63653039"
//! partner = "00:0d:6f:00:0b:8b:1f:2e"         # optional: the device this key is shared with
//!
//! [[zigbee.install_code]]
//! code = "83FED3407A939723A5C639B26916D505C3B5"  # code with its CRC
//! device = "00:0d:6f:00:0b:8b:1f:2e"          # optional
//!
//! [[zigbee.mac_key]]                         # IEEE 802.15.4 MAC-layer security
//! key = "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
//! ```
//!
//! Unknown tables and keys are errors that name the line.

use serde::Deserialize;
use smets_core::Eui64;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysFile {
    /// ZigBee keys.
    #[serde(default)]
    pub zigbee: ZigbeeKeys,
}

/// The `[zigbee]` tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZigbeeKeys {
    /// `[[zigbee.network_key]]`.
    #[serde(default)]
    pub network_key: Vec<NetworkKeyEntry>,
    /// `[[zigbee.link_key]]`.
    #[serde(default)]
    pub link_key: Vec<LinkKeyEntry>,
    /// `[[zigbee.install_code]]`.
    #[serde(default)]
    pub install_code: Vec<InstallCodeEntry>,
    /// `[[zigbee.mac_key]]`: IEEE 802.15.4 MAC-layer keys.
    #[serde(default)]
    pub mac_key: Vec<MacKeyEntry>,
}

/// An IEEE 802.15.4 MAC-layer key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacKeyEntry {
    /// 32 hex digits.
    pub key: HexKey,
}

/// A network key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkKeyEntry {
    /// 32 hex digits.
    pub key: HexKey,
    /// Key sequence number.
    pub seq: Option<u8>,
}

/// A link key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkKeyEntry {
    /// 32 hex digits.
    pub key: HexKey,
    /// The partner device (extended address).
    pub partner: Option<Address>,
}

/// An install code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallCodeEntry {
    /// The code with its CRC, in hex.
    pub code: String,
    /// The device it belongs to.
    pub device: Option<Address>,
}

/// A 128-bit key read from hex; never printed (`Key128`'s `Debug` redacts it).
#[derive(Debug)]
pub struct HexKey(pub smets_zigbee::security::Key128);

impl<'de> Deserialize<'de> for HexKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        smets_zigbee::security::Key128::from_hex(&s)
            .map(HexKey)
            .ok_or_else(|| serde::de::Error::custom("a key is 32 hex digits"))
    }
}

/// An extended address read from text.
#[derive(Debug, Clone, Copy)]
pub struct Address(pub Eui64);

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map(Address).map_err(|_| {
            serde::de::Error::custom(
                "an extended address is 8 hex bytes, like 00:0d:6f:00:0b:8b:1f:2e",
            )
        })
    }
}

impl core::fmt::Debug for NetworkKeyEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NetworkKeyEntry")
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for LinkKeyEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("LinkKeyEntry")
            .field("partner", &self.partner)
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for InstallCodeEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InstallCodeEntry")
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// Parses a keys file; the error message names the line.
pub fn parse(text: &str) -> Result<KeysFile, String> {
    toml::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_table_and_names_the_line_of_an_unknown_one() {
        let k = parse(
            "[[zigbee.network_key]]\nkey = \"26546b723b396a727b5d5271517d392f\"\nseq = 3\n\
             [[zigbee.link_key]]\nkey = \"5a6967426565416c6c69616e63653039\"\npartner = \"00:0d:6f:00:0b:8b:1f:2e\"\n\
             [[zigbee.install_code]]\ncode = \"83FED3407A939723A5C639B26916D505C3B5\"\n",
        )
        .unwrap();
        assert_eq!(k.zigbee.network_key.len(), 1);
        assert_eq!(k.zigbee.network_key[0].seq, Some(3));
        assert_eq!(k.zigbee.network_key[0].key.0.as_bytes()[0], 0x26);
        assert_eq!(
            k.zigbee.link_key[0].partner.unwrap().0,
            Eui64(0x000d_6f00_0b8b_1f2e)
        );
        assert_eq!(
            k.zigbee.install_code[0].code,
            "83FED3407A939723A5C639B26916D505C3B5"
        );

        let e = parse("[[zigbee.network_key]]\nkey = \"26546b723b396a727b5d5271517d392f\"\n\n[[zigbee.nwk_key]]\nkey = \"00\"\n")
            .unwrap_err();
        assert!(e.contains("line 4"), "{e}");
        let e = parse("[zigbee]\n[[zigbee.network_key]]\nkey = \"2654\"\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("32 hex digits"), "{e}");
        assert!(!format!("{:?}", k.zigbee.network_key).contains("26546b"));
    }
}
