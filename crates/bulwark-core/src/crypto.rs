//! Key material and the primitives built on it.
//!
//! One 256-bit master key (from `BULWARK_MASTER_KEY` or a `0600` file in the data
//! directory, loaded by the binary) is the root of every server secret. Sub-keys are
//! derived with HKDF-SHA256 so that servers sharing a PostgreSQL database only need to
//! share the master key, and no derived key is ever stored.
//!
//! API tokens are random version-4 UUIDs (122 random bits). They are stored as a
//! SHA-256 digest only: with that much entropy a slow password hash (argon2) buys
//! nothing and would cost milliseconds on every authenticated request.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::{digest, hkdf, rand};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;

use crate::{DomainError, Result};

/// The root secret. Its `Debug` never prints the bytes.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// Generates a fresh random key.
    pub fn generate() -> Result<Self> {
        let mut k = [0u8; 32];
        rand::fill(&mut k).map_err(|_| DomainError::Internal("random source failed".into()))?;
        Ok(Self(k))
    }

    /// Parses the textual form (base64, as written by [`MasterKey::encode`]).
    pub fn decode(text: &str) -> Result<Self> {
        let bytes = B64
            .decode(text.trim().trim_end_matches('='))
            .map_err(|_| DomainError::invalid("master key is not valid base64"))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| DomainError::invalid("master key must be 32 bytes"))?;
        Ok(Self(arr))
    }

    /// The textual form.
    pub fn encode(&self) -> String {
        B64.encode(self.0)
    }

    /// Derives a purpose-bound 32-byte sub-key.
    pub fn derive(&self, purpose: &str) -> Result<[u8; 32]> {
        let salt = hkdf::Salt::new(hkdf::HKDF_SHA256, b"bulwark-v1");
        let prk = salt.extract(&self.0);
        let info = [purpose.as_bytes()];
        let okm = prk
            .expand(&info, hkdf::HKDF_SHA256)
            .map_err(|_| DomainError::Internal("key derivation failed".into()))?;
        let mut out = [0u8; 32];
        okm.fill(&mut out)
            .map_err(|_| DomainError::Internal("key derivation failed".into()))?;
        Ok(out)
    }
}

/// Encrypts secrets at rest (integration credentials, registry passwords, CA keys)
/// with AES-256-GCM. The associated data binds a ciphertext to its owner and field,
/// so a ciphertext copied into another row does not decrypt.
pub struct Sealer {
    key: LessSafeKey,
}

const SEAL_PREFIX: &str = "v1.";

impl Sealer {
    /// Builds the sealer from the master key.
    pub fn new(master: &MasterKey) -> Result<Self> {
        let raw = master.derive("seal")?;
        let unbound = UnboundKey::new(&AES_256_GCM, &raw)
            .map_err(|_| DomainError::Internal("bad sealing key".into()))?;
        Ok(Self {
            key: LessSafeKey::new(unbound),
        })
    }

    /// Encrypts `plaintext`; `context` names the owner (e.g. `account/field`).
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce).map_err(|_| DomainError::Internal("random source failed".into()))?;
        let mut buf = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut buf,
            )
            .map_err(|_| DomainError::Internal("encryption failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        Ok(format!("{SEAL_PREFIX}{}", B64.encode(out)))
    }

    /// Decrypts what [`Sealer::seal`] produced for the same `context`.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>> {
        let fail = || DomainError::Internal("stored secret cannot be decrypted".into());
        let body = sealed.strip_prefix(SEAL_PREFIX).ok_or_else(fail)?;
        let raw = B64.decode(body).map_err(|_| fail())?;
        if raw.len() < NONCE_LEN {
            return Err(fail());
        }
        let (nonce, ct) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| fail())?;
        let mut buf = ct.to_vec();
        let plain = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut buf,
            )
            .map_err(|_| fail())?;
        Ok(plain.to_vec())
    }
}

/// Hex SHA-256 of an API token secret: the only form in which tokens are stored.
pub fn hash_secret(secret: &str) -> String {
    let d = digest::digest(&digest::SHA256, secret.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A new API token secret: a random lowercase version-4 UUID, the shape Optix clients
/// check for before they send a key.
pub fn new_token_secret() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// True when `s` looks like an API token secret (8-4-4-4-12 lowercase hex).
pub fn looks_like_token(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups.iter().zip(lens).all(|(g, n)| {
            g.len() == n
                && g.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trip_and_context_binding() {
        let mk = MasterKey::generate().unwrap();
        let s = Sealer::new(&mk).unwrap();
        let sealed = s.seal(b"hunter2", "acct/okta").unwrap();
        assert!(!sealed.contains("hunter2"));
        assert_eq!(s.open(&sealed, "acct/okta").unwrap(), b"hunter2");
        assert!(s.open(&sealed, "other/okta").is_err());
        let other = Sealer::new(&MasterKey::generate().unwrap()).unwrap();
        assert!(other.open(&sealed, "acct/okta").is_err());
    }

    #[test]
    fn master_key_text_round_trip() {
        let mk = MasterKey::generate().unwrap();
        let back = MasterKey::decode(&mk.encode()).unwrap();
        assert_eq!(mk.derive("x").unwrap(), back.derive("x").unwrap());
        assert_ne!(mk.derive("x").unwrap(), mk.derive("y").unwrap());
        assert!(MasterKey::decode("c2hvcnQ").is_err());
        assert_eq!(format!("{mk:?}"), "MasterKey(<redacted>)");
    }

    #[test]
    fn token_shape() {
        let t = new_token_secret();
        assert!(looks_like_token(&t), "{t}");
        assert_eq!(t.as_bytes()[14], b'4');
        assert!(!looks_like_token("ABCDEF12-0000-4000-8000-000000000000"));
        assert!(!looks_like_token("not-a-token"));
        assert_eq!(hash_secret("abc").len(), 64);
        assert_ne!(hash_secret("abc"), hash_secret("abd"));
    }
}
