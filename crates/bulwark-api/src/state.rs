//! Shared state of the HTTP layer: the services handlers call and the settings they read.

use std::collections::HashMap;
use std::sync::Arc;

use bulwark_core::access::AccessService;
use bulwark_core::audit::AuditService;
use bulwark_core::auth::Authenticator;
use bulwark_core::cloud::CloudSyncService;
use bulwark_core::crypto::Sealer;
use bulwark_core::iac::IacService;
use bulwark_core::integrations::IntegrationService;
use bulwark_core::inventory::InventoryService;
use bulwark_core::jobs::{JobRegistry, JobService};
use bulwark_core::ports::Store;
use bulwark_core::resources::ResourceService;
use bulwark_core::sso::SsoService;
use bulwark_core::tokens::TokenService;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Public base URL (used in `login_url` and for same-origin redirects).
    pub public_url: String,
    /// Origins that login `redirect` may point to, besides `public_url`'s.
    pub allowed_redirect_origins: Vec<String>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Requests taking longer get 408.
    pub request_timeout_secs: u64,
    /// How long audit events are kept (seconds), reported as `expire_time_sec`.
    pub audit_retention_sec: i64,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            allowed_redirect_origins: Vec::new(),
            body_limit: 16 * 1024 * 1024,
            request_timeout_secs: 60,
            audit_retention_sec: 365 * 86_400,
        }
    }
}

/// Everything a handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub auth: Arc<Authenticator>,
    pub tokens: Arc<TokenService>,
    pub audit: Arc<AuditService>,
    pub jobs: Arc<JobService>,
    pub resources: Arc<ResourceService>,
    pub iac: Arc<IacService>,
    pub access: Arc<AccessService>,
    pub inventory: Arc<InventoryService>,
    pub cloud: Arc<CloudSyncService>,
    /// 3rd-party integrations; set with [`AppState::with_integrations`].
    pub integrations: Option<Arc<IntegrationService>>,
    pub config: Arc<ApiConfig>,
    /// SAML/OIDC login; set with [`AppState::with_sso`] (it needs the sealing key).
    pub sso: Option<Arc<SsoService>>,
    /// `(METHOD, route template)` → OpenAPI operation id, for audit events.
    pub(crate) ops: Arc<HashMap<(String, String), String>>,
}

impl AppState {
    /// Wires the services over one store.
    pub fn new(
        store: Arc<dyn Store>,
        auth: Arc<Authenticator>,
        registry: Arc<JobRegistry>,
        sealer: Arc<Sealer>,
        cloud: Arc<CloudSyncService>,
        config: ApiConfig,
    ) -> Self {
        Self {
            tokens: Arc::new(TokenService::with_cache(store.clone(), auth.cache())),
            audit: Arc::new(AuditService::new(store.clone())),
            jobs: Arc::new(JobService::new(store.clone(), registry)),
            resources: Arc::new(ResourceService::new(store.clone()).with_sealer(sealer)),
            iac: Arc::new(IacService::new(store.clone())),
            access: Arc::new(AccessService::new(store.clone())),
            inventory: Arc::new(InventoryService::new(store.clone())),
            cloud,
            integrations: None,
            store,
            auth,
            config: Arc::new(config),
            sso: None,
            ops: Arc::new(HashMap::new()),
        }
    }

    /// Enables single sign-on.
    pub fn with_sso(mut self, sso: Arc<SsoService>) -> Self {
        self.sso = Some(sso);
        self
    }
}

impl AppState {
    /// Enables the integration operations (they need the master key and the
    /// provider clients, which the binary owns).
    pub fn with_integrations(mut self, service: Arc<IntegrationService>) -> Self {
        self.integrations = Some(service);
        self
    }
}
