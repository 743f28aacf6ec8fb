//! The OpenAPI document's frame: info, security schemes, tags. Operations come from the
//! handlers' `#[utoipa::path]` attributes.

use std::collections::HashMap;

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The document root.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bulwark API",
        description = "Self-hosted cloud security: the Sophos Cloud Optix REST API (`/api/v1`), \
the Lacework Edge API (`/edge/v1`) and Bulwark's own operations (`/bulwark/v1`).\n\n\
Authenticate with `Authorization: ApiKey <token>` (an API token, a lowercase UUID) or \
`Authorization: Bearer <jwt>` (a session from `GET /edge/v1/token-login`).\n\n\
Roles, in increasing privilege (wire number in brackets): none (0) < guest (10) < user (1) < \
pii_viewer (12) < read_only (2) < analyst (3) < connector (14) < operator (15) < \
security_admin (16) < admin (4) < super_admin (5).",
    ),
    modifiers(&Security),
    security(("api_key" = []), ("bearer" = [])),
    tags(
        (name = "identity", description = "Edge: accounts, users, groups, tokens, login, integrations"),
        (name = "access", description = "Edge: apps, access rules, policies, posture, devices, connectors"),
        (name = "data", description = "Edge: audit events, blobs, datasets, exports"),
        (name = "inventory", description = "Optix: hosts, accounts, users, serverless, containers, search; Bulwark: cloud environments and snapshot ingestion"),
        (name = "iac", description = "Optix: IaC template scanning; Bulwark: IaC policies"),
        (name = "jobs", description = "Bulwark: background jobs"),
        (name = "system", description = "Health, metrics, caller identity"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "Authorization",
                "`ApiKey <token>`: an API token (a lowercase version-4 UUID)",
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A session JWT from token login"))
                    .build(),
            ),
        );
    }
}

/// `(METHOD, path template)` → operation id, used to name operations in audit events.
pub fn operation_index(api: &utoipa::openapi::OpenApi) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    for (path, item) in &api.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            if let Some(id) = op.as_ref().and_then(|o| o.operation_id.clone()) {
                out.insert((method.to_string(), path.clone()), id);
            }
        }
    }
    out
}
