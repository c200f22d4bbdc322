//! Loading GBCS keys (GBCS 4.3, GB SMKI): SMKI certificates, PKCS#8, SEC1,
//! SubjectPublicKeyInfo and raw hex, into an in-memory
//! [`crate::key::KeyStore`]. Certificate signatures and chains are not
//! verified, and encrypted private keys are not read.
//!
//! ```
//! use smets_core::Eui64;
//! use smets_gbcs::keys::{MemoryKeyStore, SmkiCertificate, parse_private_key};
//! use smets_gbcs::{KeyRef, KeyStore, RemotePartyRole};
//!
//! // The DCC Boxed ZAZ1 test supplier "GITTESTSUPPLIER": its signing key
//! // and the organisation certificate of that key.
//! let key_pem = b"-----BEGIN PRIVATE KEY-----
//! MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOeBFQ8dm5wsYOZQD
//! xySQxQGcGfs6sf1pmawsQTd5enqhRANCAAQwwqtaDRMXJv+9qA55KUzDdTRDKj5C
//! RAW5ejq6D/x53OcpslF1Y8t9lYJ+TFC0jLo9h9WJPFG5bYfDReNxf4we
//! -----END PRIVATE KEY-----
//! ";
//! let cert_pem = b"-----BEGIN CERTIFICATE-----
//! MIIBrDCCAVKgAwIBAgIQT7xSUgGh11hsG8HEc03rnzAKBggqhkjOPQQDAjAaMQsw
//! CQYDVQQLEwIwNzELMAkGA1UEAxMCWjEwHhcNMTUxMDMwMDAwMDAwWhcNMjUxMDI5
//! MjM1OTU5WjA7MRgwFgYDVQQDDA9HSVRURVNUU1VQUExJRVIxCzAJBgNVBAsMAjAy
//! MRIwEAYDVQQtAwkAkLPVHzABAAAwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQw
//! wqtaDRMXJv+9qA55KUzDdTRDKj5CRAW5ejq6D/x53OcpslF1Y8t9lYJ+TFC0jLo9
//! h9WJPFG5bYfDReNxf4weo1kwVzAOBgNVHQ8BAf8EBAMCB4AwEQYDVR0OBAoECESJ
//! l5LRlvS4MB0GA1UdIAEB/wQTMBEwDwYNKoY6AAGEj7kPAQIBBDATBgNVHSMEDDAK
//! gAhPVojX7JM74jAKBggqhkjOPQQDAgNIADBFAiEA39CQ51c+r1+oLhqn242f7VEY
//! ObV1LVXRAJHyUP3xiiICIF637Dax9BM+UVV9M7WcSe9rvRDpqksdzZKOZbPprdHF
//! -----END CERTIFICATE-----
//! ";
//!
//! let cert = SmkiCertificate::parse(cert_pem)?;
//! let supplier = Eui64(0x90B3_D51F_3001_0000);
//! assert_eq!(cert.entity, Some(supplier));
//! assert_eq!(cert.role, Some(RemotePartyRole::Supplier));
//!
//! let mut store = MemoryKeyStore::new();
//! let key = store.insert_certificate(cert_pem)?;
//! assert_eq!(key, KeyRef::ds(supplier));
//! // The private key must be the certificate's; the store refuses another.
//! store.insert_private(key, parse_private_key(key_pem)?)?;
//!
//! assert!(store.private_key(&KeyRef::ds(supplier)).is_some());
//! assert_eq!(store.public_key(&key), Some(&cert.public_key));
//! assert_eq!(store.role(supplier), Some(RemotePartyRole::Supplier));
//! assert!(store.public_key(&KeyRef::ka(supplier)).is_none());
//! # Ok::<(), smets_gbcs::keys::KeyError>(())
//! ```

mod certificate;
mod error;
#[cfg(test)]
mod fixtures;
mod parse;
mod store;
mod text;

pub use certificate::{CertificateKind, CertificateSerial, SERIAL_MAX_LEN, SmkiCertificate};
pub use error::KeyError;
pub use parse::{parse_private_key, parse_public_key};
pub use store::MemoryKeyStore;
