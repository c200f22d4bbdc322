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
//!
//! [gbcs]
//! acb = "90B3D51F30000002"                   # optional: the Access Control Broker
//!
//! [[gbcs.key]]                               # a GBCS P-256 key (GBCS 4.3)
//! entity = "90B3D51F30000002"                # Entity Identifier, 16 hex digits
//! usage = "KA"                               # "KA" (key agreement) or "DS" (signature)
//! role = "access_control_broker"             # optional Remote Party Role
//! private_key_pem = """-----BEGIN PRIVATE KEY-----
//! ...
//! -----END PRIVATE KEY-----"""
//! ```
//!
//! A `[[gbcs.key]]` gives exactly one of `private_key_pem`, `private_key_hex`,
//! `certificate_pem`, `public_key_pem`, `public_key_hex`, and may say
//! `prepayment = true` (a supplier's prepayment KA key).
//!
//! Unknown tables and keys are errors that name the line; no error quotes
//! the file, so a key never reaches standard error.

use serde::Deserialize;
use smets_core::Eui64;
use smets_gbcs::keys::{
    KeyError, MemoryKeyStore, SmkiCertificate, parse_private_key, parse_public_key,
};
use smets_gbcs::{KeyRef, KeyStore as _, KeyUsage, RemotePartyRole};

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeysFile {
    /// ZigBee keys.
    #[serde(default)]
    pub zigbee: ZigbeeKeys,
    /// GBCS keys.
    #[serde(default)]
    pub gbcs: GbcsKeys,
}

/// The `[gbcs]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GbcsKeys {
    /// The Access Control Broker whose KA key MACs commands (GBCS 6.2.4).
    pub acb: Option<Address>,
    /// `[[gbcs.key]]`.
    #[serde(default)]
    pub key: Vec<GbcsKeyEntry>,
}

/// Text that holds a private key: never printed, overwritten when dropped.
#[derive(Default)]
pub struct SecretText(String);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SecretText)
    }
}

impl core::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SecretText(redacted)")
    }
}

impl Drop for SecretText {
    fn drop(&mut self) {
        let mut bytes = core::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        core::hint::black_box(&bytes);
    }
}

/// A GBCS key (GBCS 4.3): whose, what for, and one source of the key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GbcsKeyEntry {
    /// Entity Identifier of the key's owner: 16 hex digits.
    pub entity: String,
    /// "KA" or "DS".
    pub usage: String,
    /// A supplier's prepayment key-agreement key (GBCS 14).
    #[serde(default)]
    pub prepayment: bool,
    /// PKCS#8 or SEC1 PEM.
    pub private_key_pem: Option<SecretText>,
    /// The 32-byte scalar in hex.
    pub private_key_hex: Option<SecretText>,
    /// The SMKI certificate of the key, PEM.
    pub certificate_pem: Option<String>,
    /// SubjectPublicKeyInfo PEM.
    pub public_key_pem: Option<String>,
    /// The SEC1 point in hex (uncompressed, `04 ‖ X ‖ Y`).
    pub public_key_hex: Option<String>,
    /// Remote Party Role of the entity ("supplier", "access_control_broker", ...).
    pub role: Option<String>,
}

/// The GBCS half of a keys file, loaded: the key store and the Access
/// Control Broker.
#[derive(Debug, Default, Clone)]
pub struct GbcsKeyring {
    /// Every key of the file.
    pub store: MemoryKeyStore,
    /// The entity whose role is `access_control_broker`, or `[gbcs] acb`.
    pub acb: Option<Eui64>,
}

/// Where a `[[gbcs.key]]` came from, for error messages: its number and
/// what it claims to be (never the key).
fn entry_name(i: usize, e: &GbcsKeyEntry) -> String {
    format!("[[gbcs.key]] #{} ({} {})", i + 1, e.entity, e.usage)
}

impl GbcsKeys {
    /// Loads every `[[gbcs.key]]` into a store.
    ///
    /// # Errors
    /// A message naming the entry: a malformed entity, usage or role, not
    /// exactly one key, a key that does not parse, a certificate whose
    /// entity or usage is not the entry's, or a key that conflicts with
    /// another entry's.
    pub fn load(&self) -> Result<GbcsKeyring, String> {
        let mut ring = GbcsKeyring {
            store: MemoryKeyStore::new(),
            acb: self.acb.map(|a| a.0),
        };
        for (i, e) in self.key.iter().enumerate() {
            load_entry(&mut ring, e).map_err(|m| format!("{}: {m}", entry_name(i, e)))?;
        }
        Ok(ring)
    }
}

fn key_error(what: &str, e: KeyError) -> String {
    format!("{what}: {e}")
}

fn load_entry(ring: &mut GbcsKeyring, e: &GbcsKeyEntry) -> Result<(), String> {
    let entity: Eui64 = e
        .entity
        .parse()
        .map_err(|_| "entity is 16 hex digits, like \"90B3D51F30000002\"".to_owned())?;
    let usage = KeyUsage::from_label(&e.usage).ok_or("usage is \"KA\" or \"DS\"")?;
    if e.prepayment && usage != KeyUsage::KeyAgreement {
        return Err("a prepayment key is a KA key".to_owned());
    }
    let role = match &e.role {
        Some(r) => Some(RemotePartyRole::from_label(r).ok_or_else(|| {
            format!(
                "unknown role \"{r}\" (one of {})",
                RemotePartyRole::ALL.map(RemotePartyRole::label).join(", ")
            )
        })?),
        None => None,
    };
    let key = KeyRef {
        entity,
        usage,
        prepayment: e.prepayment,
    };
    let sources = [
        e.private_key_pem.is_some(),
        e.private_key_hex.is_some(),
        e.certificate_pem.is_some(),
        e.public_key_pem.is_some(),
        e.public_key_hex.is_some(),
    ];
    if sources.iter().filter(|&&s| s).count() != 1 {
        return Err(
            "give exactly one of private_key_pem, private_key_hex, certificate_pem, \
                    public_key_pem, public_key_hex"
                .to_owned(),
        );
    }
    let store = &mut ring.store;
    let mut cert_role = None;
    if let Some(SecretText(t)) = e.private_key_pem.as_ref().or(e.private_key_hex.as_ref()) {
        let private = parse_private_key(t.as_bytes()).map_err(|e| key_error("private key", e))?;
        store
            .insert_private(key, private)
            .map_err(|e| key_error("private key", e))?;
    } else if let Some(pem) = &e.certificate_pem {
        let cert =
            SmkiCertificate::parse(pem.as_bytes()).map_err(|e| key_error("certificate", e))?;
        if cert.entity != Some(entity) {
            return Err(match cert.entity {
                Some(c) => format!("the certificate is for entity {:016X}", c.0),
                None => "the certificate names no entity".to_owned(),
            });
        }
        if cert.usage != Some(usage) {
            return Err(match cert.usage {
                Some(u) => format!("the certificate is a {} certificate", u.label()),
                None => "the certificate says neither KA nor DS".to_owned(),
            });
        }
        if let (Some(r), Some(c)) = (role, cert.role)
            && r != c
        {
            return Err(format!("the certificate gives role {}", c.label()));
        }
        cert_role = cert.role;
        store
            .insert_smki_certificate(&cert, e.prepayment)
            .map_err(|e| key_error("certificate", e))?;
    } else if let Some(t) = e.public_key_pem.as_ref().or(e.public_key_hex.as_ref()) {
        let public = parse_public_key(t.as_bytes()).map_err(|e| key_error("public key", e))?;
        store
            .insert_public(key, public)
            .map_err(|e| key_error("public key", e))?;
    }
    if let Some(r) = role {
        if let Some(old) = store.role(entity)
            && old != r
        {
            return Err(format!(
                "{:016X} already has role {}",
                entity.0,
                old.label()
            ));
        }
        store.set_role(entity, r);
    }
    if role.or(cert_role) == Some(RemotePartyRole::AccessControlBroker) {
        match ring.acb {
            Some(a) if a != entity => {
                return Err(format!(
                    "a second Access Control Broker (the first is {:016X})",
                    a.0
                ));
            }
            _ => ring.acb = Some(entity),
        }
    }
    Ok(())
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

/// Parses a keys file; the error message names the line and column, and
/// never quotes the file (it may hold private keys).
pub fn parse(text: &str) -> Result<KeysFile, String> {
    toml::from_str(text).map_err(|e| {
        let message = e.message();
        match e.span() {
            Some(span) => {
                let before = text.get(..span.start).unwrap_or(text);
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |p| p + 1) + 1;
                format!("line {line}, column {column}: {message}")
            }
            None => message.to_owned(),
        }
    })
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

    /// The P-256 generator: the public key of the scalar 1.
    const G: &str = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
    const ONE: &str = "0000000000000000000000000000000000000000000000000000000000000001";
    const TWO: &str = "0000000000000000000000000000000000000000000000000000000000000002";

    fn gbcs(text: &str) -> Result<GbcsKeyring, String> {
        parse(text)?.gbcs.load()
    }

    #[test]
    fn gbcs_keys_load_with_their_roles_and_the_acb() {
        let k = gbcs(&format!(
            "[[gbcs.key]]\nentity = \"90B3D51F30000002\"\nusage = \"KA\"\nrole = \"access_control_broker\"\nprivate_key_hex = \"{ONE}\"\n\
             [[gbcs.key]]\nentity = \"90:b3:d5:1f:30:01:00:00\"\nusage = \"ds\"\nrole = \"supplier\"\npublic_key_hex = \"{G}\"\n\
             [[gbcs.key]]\nentity = \"90B3D51F30010000\"\nusage = \"KA\"\nprepayment = true\nprivate_key_hex = \"{TWO}\"\n"
        ))
        .unwrap();
        let acb = Eui64(0x90B3_D51F_3000_0002);
        let supplier = Eui64(0x90B3_D51F_3001_0000);
        assert_eq!(k.acb, Some(acb));
        assert!(k.store.private_key(&KeyRef::ka(acb)).is_some());
        assert!(k.store.private_key(&KeyRef::ds(supplier)).is_none());
        assert_eq!(
            k.store.public_key(&KeyRef::ds(supplier)),
            k.store.public_key(&KeyRef::ka(acb))
        );
        assert!(
            k.store
                .private_key(&KeyRef::prepayment_ka(supplier))
                .is_some()
        );
        assert_eq!(k.store.role(supplier), Some(RemotePartyRole::Supplier));
        assert_eq!(
            k.store.role(acb),
            Some(RemotePartyRole::AccessControlBroker)
        );
        assert_eq!(k.store.len(), 3);

        let k = gbcs("[gbcs]\nacb = \"90B3D51F30000002\"\n").unwrap();
        assert_eq!(k.acb, Some(acb));
        assert!(k.store.is_empty());
    }

    #[test]
    fn gbcs_key_errors_name_the_entry_and_never_the_key() {
        let entry = |body: &str| {
            format!("[[gbcs.key]]\nentity = \"90B3D51F30000002\"\nusage = \"KA\"\n{body}\n")
        };
        let cases = [
            (
                format!(
                    "{}{}",
                    entry(&format!("private_key_hex = \"{ONE}\"")),
                    entry(&format!("private_key_hex = \"{TWO}\""))
                ),
                "[[gbcs.key]] #2 (90B3D51F30000002 KA): private key: another key is already held as 90B3D51F30000002:KA",
            ),
            (
                entry(&format!("private_key_hex = \"{}\"", &ONE[2..])),
                "#1 (90B3D51F30000002 KA): private key: key of 31 bytes",
            ),
            (
                entry(&format!("private_key_hex = \"{}\"", "ff".repeat(32))),
                "private scalar out of range",
            ),
            (entry(""), "exactly one of"),
            (
                entry(&format!("public_key_hex = \"{}\"", &G[..64])),
                "public key",
            ),
            (
                format!(
                    "[[gbcs.key]]\nentity = \"90B3D51F30000002\"\nusage = \"DS\"\nprepayment = true\nprivate_key_hex = \"{ONE}\"\n"
                ),
                "a prepayment key is a KA key",
            ),
            (
                format!(
                    "[[gbcs.key]]\nentity = \"90B3D51F3000002\"\nusage = \"KA\"\nprivate_key_hex = \"{ONE}\"\n"
                ),
                "entity is 16 hex digits",
            ),
            (
                format!(
                    "[gbcs]\nacb = \"90B3D51F30000001\"\n{}",
                    entry(&format!(
                        "role = \"access_control_broker\"\nprivate_key_hex = \"{ONE}\""
                    ))
                ),
                "a second Access Control Broker (the first is 90B3D51F30000001)",
            ),
            (
                format!(
                    "{}{}",
                    entry(&format!("role = \"supplier\"\nprivate_key_hex = \"{ONE}\"")),
                    entry("role = \"networkOperator\"")
                ),
                "#2 (90B3D51F30000002 KA): give exactly one of",
            ),
        ];
        for (text, want) in &cases {
            let e = gbcs(text).unwrap_err();
            assert!(e.contains(want), "{e}\nwanted {want}");
            assert!(
                !e.contains("00000000000001") && !e.contains("ffffffff"),
                "{e}"
            );
        }
        let file = parse(&entry(&format!("private_key_hex = \"{ONE}\""))).unwrap();
        assert!(!format!("{file:?}").contains("000001"));
    }
}
