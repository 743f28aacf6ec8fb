//! The OpenAPI document describes every operation the server has.

use reqwest::Method;

use crate::support::Env;

/// Operations this build implements, as `(METHOD, path, operationId)`.
const IMPLEMENTED: &[(&str, &str, &str)] = &[
    ("post", "/edge/v1/integrations", "AddIntegration"),
    ("get", "/edge/v1/integrations", "QueryIntegrations"),
    ("patch", "/edge/v1/integrations/{uuid}", "UpdateIntegration"),
    (
        "post",
        "/edge/v1/integrations/validate",
        "ValidateIntegration",
    ),
    ("get", "/edge/v1/audit-events", "QueryAuditEvents"),
    ("get", "/edge/v1/audit-events/{uuid}", "GetAuditEvent"),
    ("get", "/edge/v1/token-login", "TokenLogin"),
    ("get", "/edge/v1/login", "Login"),
    ("post", "/edge/v1/login/saml/acs", "SamlAcs"),
    ("get", "/edge/v1/login/oidc/callback", "OidcCallback"),
    ("put", "/bulwark/v1/accounts/{name}/sso", "PutSsoSettings"),
    ("get", "/edge/v1/tokens", "QueryTokens"),
    ("post", "/edge/v1/tokens", "CreateToken"),
    ("get", "/edge/v1/tokens/{uuid}", "GetToken"),
    ("patch", "/edge/v1/tokens/{uuid}", "UpdateToken"),
    ("delete", "/edge/v1/tokens/{uuid}", "DeleteToken"),
    ("get", "/bulwark/v1/jobs", "ListJobs"),
    ("post", "/bulwark/v1/jobs", "EnqueueDiagnosticJob"),
    ("get", "/bulwark/v1/jobs/{id}", "GetJob"),
    ("get", "/bulwark/v1/whoami", "WhoAmI"),
    ("get", "/edge/v1/apps", "QueryApps"),
    ("post", "/edge/v1/apps", "CreateApp"),
    ("get", "/edge/v1/apps/{uuid}", "GetApp"),
    ("patch", "/edge/v1/apps/{uuid}", "UpdateApp"),
    ("delete", "/edge/v1/apps/{uuid}", "DeleteApp"),
    ("get", "/edge/v1/groups", "QueryGroups"),
    ("post", "/edge/v1/groups", "CreateGroup"),
    ("get", "/edge/v1/groups/{uuid}", "GetGroup"),
    ("patch", "/edge/v1/groups/{uuid}", "UpdateGroup"),
    ("delete", "/edge/v1/groups/{uuid}", "DeleteGroup"),
    ("get", "/edge/v1/users", "QueryUsers"),
    ("post", "/edge/v1/users", "CreateUser"),
    ("get", "/edge/v1/users/{uuid}", "GetUser"),
    ("patch", "/edge/v1/users/{uuid}", "UpdateUser"),
    ("delete", "/edge/v1/users/{uuid}", "DeleteUser"),
    ("post", "/api/v1/iac/scan", "UploadIacTemplatesForScanning"),
    ("get", "/api/v1/iac/scan/status", "GetIacScanStatus"),
    (
        "get",
        "/api/v1/iac/scan/detailedReport",
        "GetIacScanDetailedReport",
    ),
    ("get", "/bulwark/v1/iac/policies", "QueryIacPolicies"),
    ("post", "/bulwark/v1/iac/policies", "CreateIacPolicy"),
    ("get", "/bulwark/v1/iac/policies/{uuid}", "GetIacPolicy"),
    (
        "patch",
        "/bulwark/v1/iac/policies/{uuid}",
        "UpdateIacPolicy",
    ),
    (
        "delete",
        "/bulwark/v1/iac/policies/{uuid}",
        "DeleteIacPolicy",
    ),
    ("get", "/edge/v1/accesses", "QueryAccessObjects"),
    ("post", "/edge/v1/accesses", "CreateAccess"),
    ("get", "/edge/v1/accesses/{uuid}", "GetAccess"),
    ("patch", "/edge/v1/accesses/{uuid}", "UpdateAccess"),
    ("delete", "/edge/v1/accesses/{uuid}", "DeleteAccess"),
    ("get", "/edge/v1/policies", "QueryPolicies"),
    ("post", "/edge/v1/policies", "CreatePolicy"),
    ("get", "/edge/v1/policies/{uuid}", "GetPolicy"),
    ("patch", "/edge/v1/policies/{uuid}", "UpdatePolicy"),
    ("delete", "/edge/v1/policies/{uuid}", "DeletePolicy"),
    ("get", "/api/v1/vms", "GetHosts"),
    (
        "get",
        "/api/v1/outgoingtraffic/vpc",
        "GetVpcOutgoingTraffic",
    ),
    (
        "get",
        "/api/v1/outgoingtraffic/instance",
        "GetInstanceOutgoingTraffic",
    ),
    ("get", "/api/v1/accounts", "GetAccounts"),
    ("get", "/api/v1/users", "GetCloudUsers"),
    ("get", "/api/v1/serverless", "GetServerless"),
    ("get", "/api/v1/containers", "GetContainers"),
    ("get", "/api/v1/search/{searchKey}", "Search"),
    ("get", "/bulwark/v1/environments", "QueryEnvironments"),
    ("post", "/bulwark/v1/environments", "CreateEnvironment"),
    (
        "post",
        "/bulwark/v1/environments/{uuid}/ingest",
        "IngestSnapshot",
    ),
    ("get", "/bulwark/v1/alerts", "QueryAlerts"),
    ("get", "/healthz", "Healthz"),
    ("get", "/metrics", "Metrics"),
    (
        "get",
        "/edge/v1/posture-attributes",
        "QueryPostureAttributes",
    ),
    ("post", "/edge/v1/posture-attributes", "AddPostureAttribute"),
    (
        "get",
        "/edge/v1/posture-attributes/{uuid}",
        "GetPostureAttribute",
    ),
    (
        "patch",
        "/edge/v1/posture-attributes/{uuid}",
        "UpdatePostureAttribute",
    ),
    (
        "delete",
        "/edge/v1/posture-attributes/{uuid}",
        "DeletePostureAttribute",
    ),
    ("get", "/edge/v1/posture-profiles", "QueryPostureProfiles"),
    ("post", "/edge/v1/posture-profiles", "AddPostureProfile"),
    (
        "get",
        "/edge/v1/posture-profiles/{uuid}",
        "GetPostureProfile",
    ),
    (
        "patch",
        "/edge/v1/posture-profiles/{uuid}",
        "UpdatePostureProfile",
    ),
    (
        "delete",
        "/edge/v1/posture-profiles/{uuid}",
        "DeletePostureProfile",
    ),
    ("post", "/edge/v1/devices", "RegisterDevice"),
    ("get", "/edge/v1/devices", "QueryDevices"),
    ("get", "/edge/v1/devices/{uuid}", "GetUserDevice"),
    ("delete", "/edge/v1/devices/{uuid}", "DeleteDevice"),
    ("post", "/edge/v1/devices/delete", "DeleteDevices"),
    ("get", "/edge/v1/users/{uuid}/devices", "GetUserDevices"),
    ("post", "/edge/v1/deployments", "InitiateDeployment"),
    ("get", "/edge/v1/deployments", "QueryDeployments"),
    (
        "get",
        "/edge/v1/deployments/options",
        "GetDeploymentConnectorOptions",
    ),
    ("get", "/edge/v1/deployments/{uuid}", "GetDeployment"),
    ("delete", "/edge/v1/deployments/{uuid}", "DeleteDeployment"),
    ("post", "/edge/v1/apps/deploy", "DeployApp"),
    ("get", "/edge/v1/connectors", "QueryConnectors"),
    ("post", "/edge/v1/connectors", "CreateConnector"),
    ("get", "/edge/v1/connectors/{name}", "GetConnector"),
    ("patch", "/edge/v1/connectors/{name}", "UpdateConnector"),
    ("delete", "/edge/v1/connectors/{name}", "DeleteConnector"),
    ("get", "/edge/v1/gateways", "QueryGateways"),
    ("post", "/edge/v1/gateways", "CreateGateway"),
    ("get", "/edge/v1/gateways/{uuid}", "GetGateway"),
    ("patch", "/edge/v1/gateways/{uuid}", "UpdateGateway"),
    ("delete", "/edge/v1/gateways/{uuid}", "DeleteGateway"),
    ("get", "/edge/v1/accounts", "QueryAccounts"),
    ("get", "/edge/v1/accounts/{name}", "GetAccount"),
    (
        "get",
        "/edge/v1/accounts/{name}/onboarding",
        "GetAccountOnboarding",
    ),
    (
        "patch",
        "/edge/v1/accounts/{name}/onboarding",
        "UpdateAccountOnboarding",
    ),
    ("get", "/edge/v1/temporary-tokens", "QueryTemporaryTokens"),
    ("post", "/edge/v1/temporary-tokens", "CreateTemporaryToken"),
    (
        "get",
        "/edge/v1/temporary-tokens/users",
        "QueryTemporaryTokenUsers",
    ),
    (
        "delete",
        "/edge/v1/temporary-tokens/{uuid}",
        "DeleteTemporaryToken",
    ),
    ("get", "/edge/v1/client-configs", "QueryClientConfigs"),
    ("post", "/edge/v1/client-configs", "AddClientConfig"),
    ("get", "/edge/v1/client-configs/{uuid}", "GetClientConfig"),
    (
        "patch",
        "/edge/v1/client-configs/{uuid}",
        "UpdateClientConfig",
    ),
    (
        "delete",
        "/edge/v1/client-configs/{uuid}",
        "DeleteClientConfig",
    ),
    (
        "get",
        "/edge/v1/client-configs/{uuid}/download",
        "DownloadClientConfig",
    ),
    ("get", "/edge/v1/ca-certificates", "QueryCaCertificates"),
    ("post", "/edge/v1/ca-certificates", "AddCaCertificate"),
    ("get", "/edge/v1/ca-certificates/{uuid}", "GetCaCertificate"),
    (
        "patch",
        "/edge/v1/ca-certificates/{uuid}",
        "UpdateCaCertificate",
    ),
    (
        "delete",
        "/edge/v1/ca-certificates/{uuid}",
        "DeleteCaCertificate",
    ),
    (
        "get",
        "/edge/v1/app-control-policies",
        "QueryAppControlPolicies",
    ),
    (
        "post",
        "/edge/v1/app-control-policies",
        "AddAppControlPolicy",
    ),
    (
        "get",
        "/edge/v1/app-control-policies/{uuid}",
        "GetAppControlPolicy",
    ),
    (
        "patch",
        "/edge/v1/app-control-policies/{uuid}",
        "UpdateAppControlPolicy",
    ),
    (
        "delete",
        "/edge/v1/app-control-policies/{uuid}",
        "DeleteAppControlPolicy",
    ),
    ("get", "/edge/v1/countries", "QueryCountries"),
];

#[tokio::test]
async fn openapi_31_document_and_docs_page_are_served_without_credentials() {
    let env = Env::new().await;
    let srv = env.serve().await;
    let (s, doc) = srv.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(s, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for (method, path, id) in IMPLEMENTED {
        let op = &doc["paths"][path][method];
        assert_eq!(
            op["operationId"], *id,
            "{method} {path} missing from /openapi.json"
        );
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{id} has no summary"
        );
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["api_key"]["type"], "apiKey");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    // Role and status enums are integers with the seed's numbers.
    let role = &doc["components"]["schemas"]["Role"];
    assert_eq!(role["type"], "integer");
    assert_eq!(role["enum"].as_array().unwrap().len(), 11);

    let resp = srv.req(Method::GET, "/docs/", None, None).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert!(
        resp.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("swagger")
    );
    let (s, health) = srv.call(Method::GET, "/healthz", None, None).await;
    assert_eq!((s, health["status"].as_str()), (200, Some("ok")));
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let env = Env::new().await;
    let key = env.token("acme", "admin").await;
    let srv = env.serve().await;
    srv.get("/bulwark/v1/whoami", &key).await;
    let text = srv
        .req(Method::GET, "/metrics", None, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("bulwark_http_requests_total")
                && l.contains("route=\"/bulwark/v1/whoami\"")
                && l.contains("status=\"200\"")),
        "{text}"
    );
}
