//! SAML 2.0 SP-initiated login over samael (XML-DSig by libxmlsec1).
//!
//! What is trusted comes only from the account's IdP metadata: the IdP's entity id,
//! its HTTP-Redirect SSO endpoint and its signing certificates. Certificates inside a
//! response's `KeyInfo` are never used. samael verifies the signature with those
//! certificates, then *reduces the document to what the signature covers* and parses
//! only that, so unsigned elements inserted beside or around signed ones (signature
//! wrapping) are never read. On the reduced document it checks the Response
//! `Destination` and `InResponseTo`, the issuer, status, the assertion's
//! `NotBefore`/`NotOnOrAfter`, its `AudienceRestriction` (our entity id) and the bearer
//! `SubjectConfirmationData` (`Recipient` = our ACS, `InResponseTo`, expiry). We add the
//! single-use of the started login and of the assertion id.

use chrono::Duration;
use samael::crypto::AllowedSignatureAlgorithm;
use samael::metadata::{EntityDescriptor, HTTP_REDIRECT_BINDING};
use samael::service_provider::{ServiceProvider, ServiceProviderBuilder};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{SpUrls, SsoLogin, SsoService, not_configured};
use crate::auth::Principal;
use crate::model::LoginType;
use crate::{DomainError, Result, clock};

/// Clock skew tolerated on the IdP's time conditions.
const MAX_SKEW_SEC: i64 = 60;
/// Largest accepted metadata document and SAMLResponse (base64), in bytes.
const MAX_XML: usize = 256 * 1024;

/// The SAML settings of an account as the API shows them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SamlSettings {
    /// The IdP metadata XML the account trusts.
    pub idp_metadata: String,
    pub idp_entity_id: String,
    /// Where logins are sent (HTTP-Redirect binding).
    pub idp_sso_url: String,
    /// This server as a service provider: configure these at the IdP.
    pub sp_entity_id: String,
    pub acs_url: String,
}

/// What the metadata must give: entity id and SSO endpoint.
fn parse_metadata(xml: &str) -> Result<(EntityDescriptor, String, String)> {
    let bad = |why: String| DomainError::invalid(format!("invalid `idp_metadata`: {why}"));
    if xml.len() > MAX_XML {
        return Err(bad(format!("larger than {MAX_XML} bytes")));
    }
    let md: EntityDescriptor = xml.parse().map_err(|e| bad(format!("{e}")))?;
    let entity = md
        .entity_id
        .clone()
        .filter(|e| !e.is_empty())
        .ok_or_else(|| bad("no entityID".into()))?;
    let sso = md
        .idp_sso_descriptors
        .iter()
        .flatten()
        .flat_map(|d| d.single_sign_on_services.iter())
        .find(|e| e.binding == HTTP_REDIRECT_BINDING)
        .map(|e| e.location.clone())
        .ok_or_else(|| bad("no SingleSignOnService with the HTTP-Redirect binding".into()))?;
    Ok((md, entity, sso))
}

fn service_provider(sp: &SpUrls, md: EntityDescriptor) -> Result<ServiceProvider> {
    let provider = ServiceProviderBuilder::default()
        .entity_id(sp.entity_id.clone())
        .acs_url(sp.acs_url.clone())
        .idp_metadata(md)
        .authn_name_id_format(Some(
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".to_string(),
        ))
        .max_clock_skew(Duration::seconds(MAX_SKEW_SEC))
        .max_issue_delay(Duration::seconds(120))
        // SHA-1 and DSA are refused: only modern signature algorithms.
        .allowed_signature_algorithms(Some(vec![
            AllowedSignatureAlgorithm::RsaSha256,
            AllowedSignatureAlgorithm::RsaSha384,
            AllowedSignatureAlgorithm::RsaSha512,
            AllowedSignatureAlgorithm::EcdsaSha256,
            AllowedSignatureAlgorithm::EcdsaSha384,
            AllowedSignatureAlgorithm::EcdsaSha512,
        ]))
        .build()
        .map_err(|e| DomainError::Internal(format!("SAML service provider: {e}")))?;
    // Without a certificate samael would accept unsigned documents: never run so.
    match provider.idp_signing_certs() {
        Ok(Some(certs)) if !certs.is_empty() => Ok(provider),
        _ => Err(DomainError::invalid(
            "invalid `idp_metadata`: no usable signing certificate (KeyDescriptor use=\"signing\")",
        )),
    }
}

impl SsoService {
    /// Sets (or, with an empty string, removes) the account's IdP metadata.
    pub async fn configure_saml(
        &self,
        caller: &Principal,
        account: &str,
        sp: &SpUrls,
        idp_metadata: &str,
    ) -> Result<Option<SamlSettings>> {
        let account_id = self.own_account(caller, account)?;
        let mut cfg = self.config(account_id).await?;
        if idp_metadata.trim().is_empty() {
            cfg.idp_metadata.clear();
            self.save_config(account_id, &cfg).await?;
            return Ok(None);
        }
        let (md, idp_entity_id, idp_sso_url) = parse_metadata(idp_metadata)?;
        service_provider(sp, md)?;
        cfg.idp_metadata = idp_metadata.to_string();
        self.save_config(account_id, &cfg).await?;
        Ok(Some(SamlSettings {
            idp_metadata: cfg.idp_metadata,
            idp_entity_id,
            idp_sso_url,
            sp_entity_id: sp.entity_id.clone(),
            acs_url: sp.acs_url.clone(),
        }))
    }

    /// E065 first leg: the IdP URL (with a deflated, base64 AuthnRequest and RelayState)
    /// to send the browser to. `redirect` must have been validated by the caller.
    pub async fn start_saml(
        &self,
        sp: &SpUrls,
        account: &str,
        redirect: Option<String>,
    ) -> Result<String> {
        let account_id = self.login_account(account, "SAML").await?;
        let cfg = self.config(account_id).await?;
        if cfg.idp_metadata.is_empty() {
            return Err(not_configured(account, "SAML"));
        }
        // The request is built and encoded without awaiting in between: samael's
        // values need not be `Send`.
        let (sso_url, mut request) = {
            let (md, _, sso_url) = parse_metadata(&cfg.idp_metadata)?;
            let request = service_provider(sp, md)?
                .make_authentication_request(&sso_url)
                .map_err(|e| DomainError::Internal(format!("AuthnRequest: {e}")))?;
            (sso_url, request)
        };
        // samael's ids carry 32 random bits; ours are unguessable.
        request.id = format!("id-{}", uuid::Uuid::new_v4().simple());
        let mut data = Map::new();
        data.insert("request_id".into(), json!(request.id));
        let relay = self.start(account_id, "saml", data, redirect).await?;
        let url = request
            .redirect(&relay)
            .map_err(|e| DomainError::invalid(format!("IdP SSO URL `{sso_url}`: {e}")))?
            .ok_or_else(|| DomainError::Internal("AuthnRequest without destination".into()))?;
        Ok(url.to_string())
    }

    /// E065 second leg (the ACS): verifies the IdP's POSTed `SAMLResponse` for the
    /// login `relay_state` started, and opens the session.
    pub async fn finish_saml(
        &self,
        sp: &SpUrls,
        saml_response: &str,
        relay_state: &str,
        client_ip: &str,
    ) -> Result<SsoLogin> {
        let pending = self.take(relay_state, "saml").await?;
        if saml_response.len() > MAX_XML {
            return Err(DomainError::invalid("SAMLResponse is too large"));
        }
        let request_id = pending
            .data
            .get("request_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let cfg = self.config(pending.account_id).await?;
        if cfg.idp_metadata.is_empty() {
            return Err(DomainError::forbidden("SAML login is no longer configured"));
        }
        let encoded: String = saml_response.split_whitespace().collect();
        let (assertion_id, not_on_or_after, subject) = {
            let (md, _, _) = parse_metadata(&cfg.idp_metadata)?;
            let assertion = service_provider(sp, md)?
                .parse_base64_response(&encoded, Some(&[request_id.as_str()]))
                .map_err(|e| DomainError::forbidden(format!("SAML response refused: {e}")))?;
            let subject = assertion
                .subject
                .as_ref()
                .and_then(|s| s.name_id.as_ref())
                .map(|n| n.value.clone())
                .unwrap_or_default();
            let expiry = assertion
                .conditions
                .as_ref()
                .and_then(|c| c.not_on_or_after)
                .map(|t| t.timestamp());
            (assertion.id, expiry, subject)
        };
        // The assertion's own expiry bounds how long its id must be remembered.
        let now = clock::now_sec();
        let expires = not_on_or_after
            .unwrap_or(now + super::PENDING_TTL_SEC)
            .max(now)
            + MAX_SKEW_SEC;
        if !self
            .store
            .mark_sso_used(pending.account_id, &assertion_id, expires, now)
            .await?
        {
            return Err(DomainError::forbidden(
                "SAML response refused: assertion already used",
            ));
        }
        let user = self.find_user(pending.account_id, &subject).await?;
        self.finish(&pending, user, LoginType::Saml, client_ip, None, Vec::new())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_without_redirect_endpoint_or_certificate_is_refused() {
        let no_sso = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor></md:EntityDescriptor>"#;
        let err = parse_metadata(no_sso).unwrap_err().to_string();
        assert!(err.contains("HTTP-Redirect"), "{err}");
        let no_cert = no_sso.replace("HTTP-POST", "HTTP-Redirect");
        let (md, entity, sso) = parse_metadata(&no_cert).unwrap();
        assert_eq!(
            (entity.as_str(), sso.as_str()),
            ("https://idp.example", "https://idp.example/sso")
        );
        let sp = SpUrls::from_public_url("https://bulwark.example/");
        let err = service_provider(&sp, md).err().unwrap().to_string();
        assert!(err.contains("signing certificate"), "{err}");
        assert!(parse_metadata("<not-xml").is_err());
    }
}
