//! CA certificates (E028 add, E029 get, E030 update, E095 query).
//!
//! `public_key_pem` must hold exactly one PEM `CERTIFICATE` of a certification
//! authority (basicConstraints CA:TRUE; keyUsage, when present, allows keyCertSign)
//! that is valid now. `chain`, when given, lists the issuers in order (each element
//! one or more PEM certificates): the certificate must be signed by the first, the
//! first by the second, and so on, names matching and every issuer a CA; a
//! self-signed certificate takes no chain, and its own signature must verify.
//! Private keys are refused: the seed has no field to send one (`have_private_key` is
//! always false), and key material must never sit in a request log or a document.
//!
//! The server derives and stores `subject` (the seed's) and, beyond the seed,
//! `issuer`, `serial_number`, `not_before` and `not_after` (epoch ms) and
//! `fingerprint_sha256` (hex of the DER); clients can't set them.
//!
//! `proto.CaCertificate_Purpose` (the seed gives numbers only): 0 UNSPECIFIED,
//! 1 CLIENT_AUTHENTICATION (issues the identities clients present, see a client
//! config's `client_ca_uuid`), 2 ENDPOINT (issues per-device certificates),
//! 3 TLS_INSPECTION (signs the certificates of inspected sites). For 1 and 2 an
//! extendedKeyUsage, when present, must allow clientAuth; for 3, serverAuth.
//!
//! `proto.CaCertificate_Status` is read as the first values of the shared status:
//! 0 UNSPECIFIED, 1 INIT (uploaded, not in use), 2 ACTIVE. Soft delete (beyond the
//! seed) sets 4 DELETED like every other family.

use serde_json::{Map, Value, json};
use x509_parser::certificate::X509Certificate;
use x509_parser::pem::Pem;

use super::{int_enum, strings, text};
use crate::resources::ResourceKind;
use crate::{DomainError, Result, Role, Status, clock};

/// Purpose numbers (see the module docs).
pub const PURPOSES: &[i64] = &[0, 1, 2, 3];
/// Statuses a client may set.
pub const CLIENT_STATUSES: &[i64] = &[0, 1, 2];
/// Fields derived from the certificate by the server.
pub const DERIVED_FIELDS: &[&str] = &[
    "subject",
    "issuer",
    "serial_number",
    "not_before",
    "not_after",
    "fingerprint_sha256",
    "have_private_key",
];

/// Longest accepted PEM text (one field); real CA certificates are a few KB.
const MAX_PEM: usize = 64 * 1024;
/// Most certificates accepted in a chain.
const MAX_CHAIN: usize = 10;

fn bad(msg: impl Into<String>) -> DomainError {
    DomainError::invalid(msg)
}

/// The DER of every PEM block in `text`; any block other than a certificate is refused.
pub(crate) fn pem_certs(text: &str, field: &str) -> Result<Vec<Vec<u8>>> {
    if text.len() > MAX_PEM {
        return Err(bad(format!("`{field}` is longer than {MAX_PEM} bytes")));
    }
    let mut out = Vec::new();
    for block in Pem::iter_from_buffer(text.as_bytes()) {
        let pem = block.map_err(|e| bad(format!("`{field}` is not valid PEM: {e}")))?;
        if pem.label.contains("PRIVATE KEY") {
            return Err(bad(format!(
                "`{field}` holds a private key; only certificates are accepted"
            )));
        }
        if pem.label != "CERTIFICATE" {
            return Err(bad(format!(
                "`{field}` holds a PEM `{}` block; expected CERTIFICATE",
                pem.label
            )));
        }
        out.push(pem.contents);
    }
    if out.is_empty() {
        return Err(bad(format!("`{field}` holds no PEM certificate")));
    }
    Ok(out)
}

pub(crate) fn parse<'a>(der: &'a [u8], field: &str) -> Result<X509Certificate<'a>> {
    match x509_parser::parse_x509_certificate(der) {
        Ok(([], cert)) => Ok(cert),
        Ok(_) => Err(bad(format!(
            "`{field}`: trailing data after the certificate"
        ))),
        Err(e) => Err(bad(format!("`{field}` is not an X.509 certificate: {e}"))),
    }
}

fn check_ca(cert: &X509Certificate<'_>, field: &str) -> Result<()> {
    let bc = cert
        .basic_constraints()
        .map_err(|e| bad(format!("`{field}`: bad basicConstraints: {e}")))?;
    if !bc.is_some_and(|b| b.value.ca) {
        return Err(bad(format!(
            "`{field}`: `{}` is not a CA certificate (basicConstraints CA:FALSE or absent)",
            cert.subject()
        )));
    }
    let ku = cert
        .key_usage()
        .map_err(|e| bad(format!("`{field}`: bad keyUsage: {e}")))?;
    if ku.is_some_and(|k| !k.value.key_cert_sign()) {
        return Err(bad(format!(
            "`{field}`: `{}` may not sign certificates (keyUsage lacks keyCertSign)",
            cert.subject()
        )));
    }
    Ok(())
}

pub(crate) fn check_time(cert: &X509Certificate<'_>, field: &str, now_sec: i64) -> Result<()> {
    let v = cert.validity();
    if v.not_after.timestamp() <= now_sec {
        return Err(bad(format!(
            "`{field}`: `{}` expired at {}",
            cert.subject(),
            v.not_after
        )));
    }
    if v.not_before.timestamp() > now_sec {
        return Err(bad(format!(
            "`{field}`: `{}` is not valid before {}",
            cert.subject(),
            v.not_before
        )));
    }
    Ok(())
}

fn check_purpose(cert: &X509Certificate<'_>, purpose: i64) -> Result<()> {
    let eku = cert
        .extended_key_usage()
        .map_err(|e| bad(format!("`public_key_pem`: bad extendedKeyUsage: {e}")))?;
    let Some(eku) = eku else { return Ok(()) };
    let e = eku.value;
    let (ok, need) = match purpose {
        1 | 2 => (e.any || e.client_auth, "clientAuth"),
        3 => (e.any || e.server_auth, "serverAuth"),
        _ => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(bad(format!(
            "`public_key_pem`: purpose {purpose} needs extendedKeyUsage {need}"
        )))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses and checks a certificate and its chain; returns the derived fields. With
/// `now_sec`, validity periods are checked too (on create; stored certificates may
/// expire later and stay readable and editable).
pub fn inspect(
    public_key_pem: &str,
    chain: &[String],
    purpose: i64,
    now_sec: Option<i64>,
) -> Result<Map<String, Value>> {
    let ders = pem_certs(public_key_pem, "public_key_pem")?;
    let [der] = ders.as_slice() else {
        return Err(bad(
            "`public_key_pem` must hold exactly one certificate; put issuers in `chain`",
        ));
    };
    let cert = parse(der, "public_key_pem")?;
    check_ca(&cert, "public_key_pem")?;
    check_purpose(&cert, purpose)?;
    if let Some(now) = now_sec {
        check_time(&cert, "public_key_pem", now)?;
    }
    let mut chain_ders = Vec::new();
    for c in chain {
        chain_ders.extend(pem_certs(c, "chain")?);
    }
    if chain_ders.len() > MAX_CHAIN {
        return Err(bad(format!(
            "`chain` holds more than {MAX_CHAIN} certificates"
        )));
    }
    let issuers = chain_ders
        .iter()
        .map(|d| parse(d, "chain"))
        .collect::<Result<Vec<_>>>()?;
    let self_signed = cert.subject() == cert.issuer();
    if self_signed && !issuers.is_empty() {
        return Err(bad("a self-signed certificate takes no `chain`"));
    }
    if self_signed {
        cert.verify_signature(None).map_err(|e| {
            bad(format!(
                "`public_key_pem`: self-signature does not verify: {e}"
            ))
        })?;
    }
    let mut child = &cert;
    for (i, issuer) in issuers.iter().enumerate() {
        let at = format!("chain[{i}]");
        check_ca(issuer, &at)?;
        if let Some(now) = now_sec {
            check_time(issuer, &at, now)?;
        }
        if child.issuer() != issuer.subject() {
            return Err(bad(format!(
                "`{at}`: `{}` is not the issuer `{}` of the certificate before it",
                issuer.subject(),
                child.issuer()
            )));
        }
        child
            .verify_signature(Some(issuer.public_key()))
            .map_err(|e| {
                bad(format!(
                    "`{at}`: the signature of `{}` does not verify with `{}`: {e}",
                    child.subject(),
                    issuer.subject()
                ))
            })?;
        child = issuer;
    }
    if !issuers.is_empty() && child.subject() == child.issuer() {
        child.verify_signature(None).map_err(|e| {
            bad(format!(
                "`chain`: the root's self-signature does not verify: {e}"
            ))
        })?;
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let v = cert.validity();
    let mut out = Map::new();
    out.insert("subject".into(), json!(cert.subject().to_string()));
    out.insert("issuer".into(), json!(cert.issuer().to_string()));
    out.insert("serial_number".into(), json!(cert.raw_serial_as_string()));
    out.insert("not_before".into(), json!(v.not_before.timestamp() * 1000));
    out.insert("not_after".into(), json!(v.not_after.timestamp() * 1000));
    out.insert("fingerprint_sha256".into(), json!(hex(digest.as_ref())));
    out.insert("have_private_key".into(), json!(false));
    Ok(out)
}

/// Checks a request's certificate (with validity periods) and returns the derived
/// fields to store with it.
pub fn derive(input: &Map<String, Value>) -> Result<Map<String, Value>> {
    int_enum(input, "purpose", PURPOSES)?;
    let pem = text(input, "public_key_pem")?.unwrap_or_default();
    if pem.trim().is_empty() {
        return Err(bad("`public_key_pem` is required"));
    }
    let purpose = input.get("purpose").and_then(Value::as_i64).unwrap_or(0);
    inspect(
        &pem,
        &strings(input, "chain")?,
        purpose,
        Some(clock::now_sec()),
    )
}

/// Every write: the certificate, chain and purpose still check out (without time, so
/// a certificate that expired since its upload can still be described or retired),
/// and the derived fields are the certificate's own.
fn validate_ca(doc: &Map<String, Value>) -> Result<()> {
    int_enum(doc, "purpose", PURPOSES)?;
    int_enum(doc, "status", &[0, 1, 2, 3, 4])?;
    text(doc, "description")?;
    let pem = text(doc, "public_key_pem")?.unwrap_or_default();
    let purpose = doc.get("purpose").and_then(Value::as_i64).unwrap_or(0);
    let derived = inspect(&pem, &strings(doc, "chain")?, purpose, None)?;
    for (k, v) in &derived {
        if doc.get(k) != Some(v) {
            return Err(bad(format!(
                "`{k}` is derived from the certificate and cannot be changed"
            )));
        }
    }
    Ok(())
}

/// CA certificates.
pub static CA_CERTIFICATES: ResourceKind = ResourceKind {
    kind: "ca_certificate",
    what: "CA certificate",
    read_role: Role::ReadOnly,
    write_role: Role::SecurityAdmin,
    unique_field: None,
    actor_fields: true,
    default_status: Status::Active,
    validate: validate_ca,
    secret_fields: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_certificate() {
        for (text, why) in [
            ("hello", "no PEM"),
            (
                "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
                "bad base64",
            ),
            (
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "not X.509",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "a key",
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                "a public key",
            ),
        ] {
            assert!(inspect(text, &[], 0, None).is_err(), "{why}");
        }
        let err = pem_certs(
            "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
            "f",
        );
        assert!(matches!(err, Err(DomainError::Invalid(m)) if m.contains("private key")));
        let mut doc = Map::new();
        doc.insert("public_key_pem".into(), json!(""));
        assert!(derive(&doc).is_err());
        doc.insert("purpose".into(), json!(7));
        assert!(derive(&doc).is_err());
    }
}
