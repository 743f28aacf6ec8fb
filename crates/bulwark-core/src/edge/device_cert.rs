//! The `signature` (`proto.CertificateVerify`) of Register Device (E053): proof that
//! the registering device holds the private key of a certificate that one of the
//! account's CA certificates issued. Modelled on TLS 1.3's CertificateVerify
//! (RFC 8446 §4.4.3): a certificate plus a signature over a context-bound message.
//!
//! * `certificate`: the device certificate, DER (the seed's byte array, or base64).
//!   It must be an end-entity certificate (basicConstraints CA:FALSE or absent), valid
//!   now, with keyUsage digitalSignature and extendedKeyUsage clientAuth when those
//!   extensions are present, and signed by a CA certificate of the account whose
//!   purpose is 1 CLIENT_AUTHENTICATION or 2 ENDPOINT, whose status is 0 or 2 (not
//!   INIT, SUSPENDED or DELETED) and which is itself valid now.
//! * `algorithm`: a TLS SignatureScheme name: `ecdsa_secp256r1_sha256`,
//!   `ecdsa_secp384r1_sha384` (ASN.1 DER signatures), `ed25519`, `rsa_pkcs1_sha256`
//!   or `rsa_pss_rsae_sha256`.
//! * `signature`: the signature, with the certificate's key, over exactly
//!   [`signed_bytes`]: the ASCII context `bulwark-edge-device-registration-v1`, then for
//!   each of `account_name`, `device.user_uuid`, `device_uuid` (empty for a first
//!   registration), `time_id.create_time` (decimal epoch ms, no sign or padding) and
//!   `time_id.salt`, one NUL byte followed by the field's UTF-8 bytes. None of these
//!   may contain NUL, so the encoding is unambiguous.

use aws_lc_rs::signature::{self, UnparsedPublicKey, VerificationAlgorithm};
use serde_json::Value;
use x509_parser::certificate::X509Certificate;

use super::ca::{check_time, hex, parse, pem_certs};
use crate::{DomainError, Result};

/// The context string that starts every signed registration message.
pub const CONTEXT: &str = "bulwark-edge-device-registration-v1";
/// Accepted `algorithm` names.
pub const ALGORITHMS: &[&str] = &[
    "ecdsa_secp256r1_sha256",
    "ecdsa_secp384r1_sha384",
    "ed25519",
    "rsa_pkcs1_sha256",
    "rsa_pss_rsae_sha256",
];
/// Largest accepted certificate or signature, in bytes.
const MAX_BYTES: usize = 16 * 1024;

fn bad(msg: impl Into<String>) -> DomainError {
    DomainError::invalid(msg)
}

/// A protobuf `bytes` field as JSON: the seed's array of byte values, or the base64
/// string protobuf's JSON mapping uses.
pub fn bytes_of(v: Option<&Value>, field: &str) -> Result<Vec<u8>> {
    use base64::Engine as _;
    let out = match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|b| {
                b.as_u64()
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(|| bad(format!("`{field}` must hold byte values 0-255")))
            })
            .collect::<Result<_>>()?,
        Some(Value::String(s)) => base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|e| bad(format!("`{field}` is neither a byte array nor base64: {e}")))?,
        Some(_) => return Err(bad(format!("`{field}` must be a byte array"))),
    };
    if out.len() > MAX_BYTES {
        return Err(bad(format!("`{field}` is longer than {MAX_BYTES} bytes")));
    }
    Ok(out)
}

/// The exact bytes a device signs (see the module docs).
pub fn signed_bytes(
    account_name: &str,
    user_uuid: &str,
    device_uuid: &str,
    create_time: i64,
    salt: &str,
) -> Result<Vec<u8>> {
    let create_time = create_time.to_string();
    let mut out = CONTEXT.as_bytes().to_vec();
    for (name, part) in [
        ("account_name", account_name),
        ("device.user_uuid", user_uuid),
        ("device_uuid", device_uuid),
        ("time_id.create_time", create_time.as_str()),
        ("time_id.salt", salt),
    ] {
        if part.contains('\0') {
            return Err(bad(format!("`{name}` must not contain NUL")));
        }
        out.push(0);
        out.extend_from_slice(part.as_bytes());
    }
    Ok(out)
}

fn algorithm(name: &str) -> Result<&'static dyn VerificationAlgorithm> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "ecdsa_secp256r1_sha256" => &signature::ECDSA_P256_SHA256_ASN1,
        "ecdsa_secp384r1_sha384" => &signature::ECDSA_P384_SHA384_ASN1,
        "ed25519" => &signature::ED25519,
        "rsa_pkcs1_sha256" => &signature::RSA_PKCS1_2048_8192_SHA256,
        "rsa_pss_rsae_sha256" => &signature::RSA_PSS_2048_8192_SHA256,
        _ => {
            return Err(bad(format!(
                "`signature.algorithm` `{name}` is not supported; expected one of {}",
                ALGORITHMS.join(", ")
            )));
        }
    })
}

/// A CA certificate of the account that may issue device certificates.
pub struct TrustedCa {
    pub uuid: String,
    pub public_key_pem: String,
    pub purpose: i64,
}

/// What a successful verification established.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The CA certificate (uuid) that issued the device certificate.
    pub ca_uuid: String,
    pub ca_purpose: i64,
    pub subject: String,
    /// SHA-256 of the certificate's DER, hex.
    pub fingerprint_sha256: String,
    pub not_after_ms: i64,
    /// The certificate's SubjectPublicKeyInfo as PEM `PUBLIC KEY`.
    pub public_key_pem: String,
}

fn check_end_entity(cert: &X509Certificate<'_>) -> Result<()> {
    let f = "signature.certificate";
    let bc = cert
        .basic_constraints()
        .map_err(|e| bad(format!("`{f}`: bad basicConstraints: {e}")))?;
    if bc.is_some_and(|b| b.value.ca) {
        return Err(bad(format!(
            "`{f}`: `{}` is a CA certificate, not a device certificate",
            cert.subject()
        )));
    }
    let ku = cert
        .key_usage()
        .map_err(|e| bad(format!("`{f}`: bad keyUsage: {e}")))?;
    if ku.is_some_and(|k| !k.value.digital_signature()) {
        return Err(bad(format!(
            "`{f}`: keyUsage of `{}` lacks digitalSignature",
            cert.subject()
        )));
    }
    let eku = cert
        .extended_key_usage()
        .map_err(|e| bad(format!("`{f}`: bad extendedKeyUsage: {e}")))?;
    if eku.is_some_and(|e| !(e.value.any || e.value.client_auth)) {
        return Err(bad(format!(
            "`{f}`: extendedKeyUsage of `{}` does not allow clientAuth",
            cert.subject()
        )));
    }
    Ok(())
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Verifies a CertificateVerify: the certificate chains to one of `cas`, everything is
/// valid at `now_sec`, and `sig` is the certificate key's signature over `message`.
pub fn verify(
    algorithm_name: &str,
    certificate: &[u8],
    sig: &[u8],
    message: &[u8],
    cas: &[TrustedCa],
    now_sec: i64,
) -> Result<Verified> {
    let alg = algorithm(algorithm_name)?;
    if certificate.is_empty() {
        return Err(bad("`signature.certificate` is required"));
    }
    if sig.is_empty() {
        return Err(bad("`signature.signature` is required"));
    }
    let cert = parse(certificate, "signature.certificate")?;
    check_end_entity(&cert)?;
    check_time(&cert, "signature.certificate", now_sec)?;
    let mut issuer_found: Option<String> = None;
    let mut chosen = None;
    for ca in cas {
        let ders = pem_certs(&ca.public_key_pem, "public_key_pem")?;
        let Some(der) = ders.first() else { continue };
        let ca_cert = parse(der, "public_key_pem")?;
        if ca_cert.subject() != cert.issuer() {
            continue;
        }
        if cert.verify_signature(Some(ca_cert.public_key())).is_err() {
            issuer_found = Some(format!(
                "CA certificate {} is named `{}` but did not sign it",
                ca.uuid,
                ca_cert.subject()
            ));
            continue;
        }
        check_time(&ca_cert, &format!("CA certificate {}", ca.uuid), now_sec)?;
        chosen = Some(ca);
        break;
    }
    let Some(ca) = chosen else {
        return Err(bad(match issuer_found {
            Some(why) => format!("`signature.certificate` does not verify: {why}"),
            None => format!(
                "`signature.certificate` (issuer `{}`) was not issued by any active client-authentication or endpoint CA certificate of this account",
                cert.issuer()
            ),
        }));
    };
    let spki = cert.public_key();
    UnparsedPublicKey::new(alg, spki.subject_public_key.data.as_ref())
        .verify(message, sig)
        .map_err(|_| {
            bad(format!(
                "`signature.signature` does not verify with the key of `{}` ({algorithm_name}) over the registration message",
                cert.subject()
            ))
        })?;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, certificate);
    Ok(Verified {
        ca_uuid: ca.uuid.clone(),
        ca_purpose: ca.purpose,
        subject: cert.subject().to_string(),
        fingerprint_sha256: hex(digest.as_ref()),
        not_after_ms: cert.validity().not_after.timestamp() * 1000,
        public_key_pem: pem("PUBLIC KEY", spki.raw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn message_layout() {
        let m = signed_bytes("acme", "u", "", 42, "s").unwrap_or_default();
        assert_eq!(
            m,
            b"bulwark-edge-device-registration-v1\0acme\0u\0\x0042\0s".to_vec()
        );
        assert!(signed_bytes("a\0", "u", "", 1, "s").is_err());
    }

    #[test]
    fn byte_fields() {
        assert_eq!(
            bytes_of(Some(&json!([1, 255])), "f").unwrap_or_default(),
            vec![1, 255]
        );
        assert_eq!(
            bytes_of(Some(&json!("AQI=")), "f").unwrap_or_default(),
            vec![1, 2]
        );
        assert!(bytes_of(Some(&json!([256])), "f").is_err());
        assert!(bytes_of(Some(&json!("%%")), "f").is_err());
        assert!(algorithm("md5").is_err());
    }
}
