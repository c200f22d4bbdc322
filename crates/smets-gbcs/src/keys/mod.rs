//! Loading GBCS keys (SMKI certificates, PKCS#8, SEC1, SubjectPublicKeyInfo,
//! raw hex) into an in-memory [`crate::key::KeyStore`].
