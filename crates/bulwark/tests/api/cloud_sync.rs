//! Live cloud sync: environment credentials sealed at rest, and a `cloud.sync` job that
//! reads the AWS emulator (moto server on 127.0.0.1, populated by the collector crate's
//! script with a two-region estate) and serves it through the Optix operations.

use serde_json::{Value, json};

use crate::moto::{self, ACCOUNT, PRIMARY, SECONDARY};
use crate::support::{Env, Server, eventually};

const SECRET: &str = "wJalrXUtnFEMI-sealed-test-secret-9f3b";

async fn aws_environment(srv: &Server, key: &str, account: &str, url: &str) -> String {
    let (s, e) = srv
        .post(
            "/bulwark/v1/environments",
            key,
            json!({
                "name": format!("aws-{account}"),
                "provider": "AWS",
                "accountId": account,
                "endpointUrl": url,
                "regions": [PRIMARY, SECONDARY],
                "credentials": {"accessKeyId": "AKIAMOTOTESTKEY00001", "secretAccessKey": SECRET},
            }),
        )
        .await;
    assert_eq!(s, 201, "{e}");
    assert!(e.get("credentials").is_none(), "credentials echoed: {e}");
    assert!(e.get("_sealed").is_none(), "sealed map leaked: {e}");
    e["uuid"].as_str().unwrap().to_string()
}

/// Runs a sync to its end; returns the finished job.
async fn sync(srv: &Server, key: &str, env: &str) -> Value {
    let (s, job) = srv
        .post(
            &format!("/bulwark/v1/environments/{env}/sync"),
            key,
            json!({}),
        )
        .await;
    assert_eq!(s, 202, "{job}");
    assert_eq!(job["kind"], "cloud.sync");
    let id = job["id"].as_str().unwrap().to_string();
    eventually(240, || async {
        let (_, j) = srv.get(&format!("/bulwark/v1/jobs/{id}"), key).await;
        matches!(j["state"].as_str(), Some("done" | "failed")).then_some(j)
    })
    .await
}

fn names(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data in {page}"))
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn credentials_are_sealed_and_never_returned() {
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let id = aws_environment(&srv, &k, "111122223333", "http://127.0.0.1:9").await;

    let (_, got) = srv.get(&format!("/bulwark/v1/environments/{id}"), &k).await;
    assert_eq!(got["endpointUrl"], "http://127.0.0.1:9");
    assert!(
        got.get("credentials").is_none() && got.get("_sealed").is_none(),
        "{got}"
    );
    let (_, list) = srv.get("/bulwark/v1/environments", &k).await;
    assert!(!list.to_string().contains(SECRET), "{list}");

    // A client cannot write the sealed map itself.
    let (s, r) = srv
        .patch(
            &format!("/bulwark/v1/environments/{id}"),
            &k,
            json!({"_sealed": {"credentials": "v1.forged"}, "name": "renamed"}),
        )
        .await;
    assert_eq!((s, r["name"].as_str()), (200, Some("renamed")), "{r}");
    assert!(r.get("_sealed").is_none());

    // The secret is in no database file, audit log included.
    if !env.is_postgres() {
        for entry in std::fs::read_dir(env.data_path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(SECRET),
                "credential found in a database file"
            );
        }
    }
    let (_, audit) = srv.get("/edge/v1/audit-events", &k).await;
    assert!(
        !audit.to_string().contains(SECRET),
        "credential in the audit log"
    );

    // Snapshot-only providers refuse a live sync with a pointer to ingest.
    let (s, az) = srv
        .post(
            "/bulwark/v1/environments",
            &k,
            json!({"name": "sub", "provider": "Azure", "accountId": "sub-1"}),
        )
        .await;
    assert_eq!(s, 201);
    let (s, r) = srv
        .post(
            &format!(
                "/bulwark/v1/environments/{}/sync",
                az["uuid"].as_str().unwrap()
            ),
            &k,
            json!({}),
        )
        .await;
    assert_eq!(s, 400, "{r}");
    assert!(r["message"].as_str().unwrap().contains("ingest"), "{r}");

    // The log window is bounded.
    for (hours, status) in [(0, 400), (169, 400), (72, 200)] {
        let (s, r) = srv
            .patch(
                &format!("/bulwark/v1/environments/{id}"),
                &k,
                json!({"logLookbackHours": hours}),
            )
            .await;
        assert_eq!(s, status, "{hours}: {r}");
    }
    let (_, got) = srv.get(&format!("/bulwark/v1/environments/{id}"), &k).await;
    assert_eq!(got["logLookbackHours"], 72);

    // An endpoint outside `cloud_endpoint_hosts` (here: instance metadata) is refused
    // before any request is sent, and the reason is recorded.
    let (_, imds) = srv
        .post(
            "/bulwark/v1/environments",
            &k,
            json!({"name": "imds", "provider": "AWS", "accountId": "111122223333",
                   "endpointUrl": "http://169.254.169.254/latest/meta-data",
                   "credentials": {"accessKeyId": "AKIAMOTOTESTKEY00001", "secretAccessKey": SECRET}}),
        )
        .await;
    let imds = imds["uuid"].as_str().unwrap().to_string();
    let job = sync(&srv, &k, &imds).await;
    assert_eq!(job["state"], "failed", "{job}");
    assert!(
        job["last_error"]
            .as_str()
            .unwrap()
            .contains("`169.254.169.254` is not allowed"),
        "{job}"
    );
    let (_, doc) = srv
        .get(&format!("/bulwark/v1/environments/{imds}"), &k)
        .await;
    assert_eq!(doc["lastSyncStatus"], "FAILED", "{doc}");

    // Another account cannot sync, read or change it.
    let other = env.token("globex", "admin").await;
    for (s, _) in [
        srv.post(
            &format!("/bulwark/v1/environments/{id}/sync"),
            &other,
            json!({}),
        )
        .await,
        srv.get(&format!("/bulwark/v1/environments/{id}"), &other)
            .await,
        srv.patch(
            &format!("/bulwark/v1/environments/{id}"),
            &other,
            json!({"credentials": {"accessKeyId": "x", "secretAccessKey": "y"}}),
        )
        .await,
    ] {
        assert_eq!(s, 404);
    }
    // A read-only token cannot trigger syncs.
    let ro = env.token("acme", "read_only").await;
    let (s, _) = srv
        .post(
            &format!("/bulwark/v1/environments/{id}/sync"),
            &ro,
            json!({}),
        )
        .await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn aws_sync_against_the_emulator_fills_the_search_keys() {
    let Some(estate) = tokio::task::spawn_blocking(moto::estate).await.unwrap() else {
        return; // moto missing and BULWARK_REQUIRE_MOTO unset: `estate` said so.
    };
    let man = &estate.manifest;
    let env = Env::new().await;
    let k = env.token("acme", "admin").await;
    let srv = env.serve().await;
    let id = aws_environment(&srv, &k, ACCOUNT, &estate.url).await;

    let job = sync(&srv, &k, &id).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["result"]["environment"], id.as_str());
    assert!(job["result"]["added"].as_i64().unwrap() > 20, "{job}");

    // Hosts: both regions' planted instances, with the seed's moreInfo.
    let (s, vms) = srv.get("/api/v1/vms?provider=AWS&size=100", &k).await;
    assert_eq!(s, 200, "{vms}");
    let web_id = man[PRIMARY]["web_instance_id"].as_str().unwrap();
    let web = vms["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["instanceId"] == web_id)
        .unwrap_or_else(|| panic!("{web_id} not in {vms}"));
    assert_eq!(web["accountType"], "AWS");
    assert_eq!(web["accountId"], ACCOUNT);
    assert_eq!(web["moreInfo"]["instanceType"], "t3.small");
    assert_eq!(web["moreInfo"]["region"], PRIMARY);
    assert_eq!(web["moreInfo"]["isPublic"], true);
    let eu_web = man[SECONDARY]["web_instance_id"].as_str().unwrap();
    assert!(vms.to_string().contains(eu_web), "eu-west-1 host missing");

    // S3 through the search language: public buckets only.
    let (s, public) = srv
        .get(
            "/api/v1/search/AWS_S3?searchTerm=isPublic:true&size=100",
            &k,
        )
        .await;
    assert_eq!(s, 200, "{public}");
    let public = names(&public);
    assert!(
        public.contains(&"bulwark-public-assets".to_string()),
        "{public:?}"
    );
    assert!(
        public.contains(&"bulwark-policy-public".to_string()),
        "{public:?}"
    );
    assert!(
        !public.contains(&"bulwark-private-data".to_string()),
        "{public:?}"
    );
    let (_, tagged) = srv
        .get(
            "/api/v1/search/AWS_S3?searchTerm=tags.name:data%20and%20region:eu-*&size=100",
            &k,
        )
        .await;
    assert_eq!(names(&tagged), vec!["bulwark-private-data".to_string()]);

    // IAM users, Lambda, RDS, EKS: specific planted resources.
    let (_, users) = srv.get("/api/v1/users?provider=AWS&size=100", &k).await;
    for u in ["alice", "bob", "ci-bot"] {
        assert!(users.to_string().contains(u), "user {u} missing: {users}");
    }
    let (_, fns) = srv
        .get("/api/v1/serverless?provider=AWS&size=100", &k)
        .await;
    assert!(fns.to_string().contains("public-webhook"), "{fns}");
    let (_, rds) = srv.get("/api/v1/search/AWS_RDS?size=100", &k).await;
    let rds = names(&rds);
    assert!(
        rds.contains(&"orders-db".to_string()) && rds.contains(&"eu-private-db".to_string()),
        "{rds:?}"
    );
    let (_, eks) = srv
        .get(
            "/api/v1/search/AWS_CLUSTER?searchTerm=name:prod-eks&size=10",
            &k,
        )
        .await;
    assert_eq!(eks["data"][0]["region"], PRIMARY, "{eks}");

    // IAM Identity Center users with their groups and permission sets.
    let (s, sso) = srv.get("/api/v1/search/AWS_SSO_USER?size=100", &k).await;
    assert_eq!(s, 200, "{sso}");
    let mut sso_names = names(&sso);
    sso_names.sort();
    assert_eq!(
        sso_names,
        ["dana.admin", "eli.reader", "fay.nobody"],
        "{sso}"
    );
    let sso_user = |user: &str| {
        let id = man["sso"]["users"][user].as_str().unwrap();
        sso["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["resourceId"] == id)
            .unwrap_or_else(|| panic!("SSO user {user} ({id}) not in {sso}"))
            .clone()
    };
    let dana = sso_user("dana");
    assert_eq!(
        (&dana["accountId"], &dana["region"]),
        (&json!(ACCOUNT), &Value::Null)
    );
    let d = &dana["data"];
    assert_eq!(d["userName"], "dana.admin");
    assert_eq!(d["primaryEmail"], "dana@example.com");
    assert_eq!(d["groups"], json!(["CloudAdmins", "Engineers"]));
    assert_eq!(d["permissionSetNames"], json!(["PlatformAdmin"]));
    assert_eq!(d["permissionSets"][0]["via"], "CloudAdmins");
    assert_eq!(d["isAdmin"], true);
    assert_eq!(d["instanceRegion"], PRIMARY);
    let eli = sso_user("eli");
    assert_eq!(eli["data"]["permissionSetNames"], json!(["ReadOnly"]));
    assert_eq!(eli["data"]["hasDirectAssignment"], true);
    let fay = sso_user("fay");
    assert_eq!(fay["data"]["permissionSets"], json!([]));
    assert_eq!(fay["data"]["assignedAccountIds"], json!([]));
    // The search language reaches the collected fields.
    let (s, admins) = srv
        .get(
            "/api/v1/search/AWS_SSO_USER?searchTerm=isAdmin:true&size=100",
            &k,
        )
        .await;
    assert_eq!(s, 200, "{admins}");
    assert_eq!(names(&admins), vec!["dana.admin".to_string()]);
    let (_, direct) = srv
        .get(
            "/api/v1/search/AWS_SSO_USER?searchTerm=hasDirectAssignment:true%20and%20not%20isAdmin:true&size=100",
            &k,
        )
        .await;
    assert_eq!(names(&direct), vec!["eli.reader".to_string()], "{direct}");
    let (_, by_name) = srv
        .get(
            "/api/v1/search/AWS_SSO_USER?searchTerm=givenName:dana&size=10",
            &k,
        )
        .await;
    assert_eq!(names(&by_name), vec!["dana.admin".to_string()], "{by_name}");

    // /accounts reflects the sync.
    let (_, accounts) = srv.get("/api/v1/accounts?provider=AWS", &k).await;
    let acct = &accounts[0];
    assert_eq!(acct["accountId"], ACCOUNT, "{accounts}");
    assert!(acct["cloudAssets"].as_i64().unwrap() > 20, "{accounts}");
    assert!(
        acct["accountSyncBenchmark"]["latestSuccessSyncTime"].is_string(),
        "{accounts}"
    );
    let (_, envdoc) = srv.get(&format!("/bulwark/v1/environments/{id}"), &k).await;
    assert!(
        matches!(
            envdoc["lastSyncStatus"].as_str(),
            Some("SUCCESS" | "PARTIAL")
        ),
        "{envdoc}"
    );

    let events = check_logs(&srv, &k, man).await;

    // Every AWS key the collector fills serves the emulator's planted resources, and
    // `cloudAssets` counts the resources among them, not events or findings.
    let mut resources = 0;
    for key in bulwark_cloud_aws::keys::COVERED
        .iter()
        .chain(bulwark_cloud_aws::keys::EVENTS.iter())
    {
        let (s, page) = srv.get(&format!("/api/v1/search/{key}?size=1"), &k).await;
        assert_eq!(s, 200, "{key}: {page}");
        // With size 1, the number of pages is the number of objects.
        let n = page["totalPages"].as_i64().unwrap_or(0);
        assert!(n >= 1, "{key} is empty: {page}");
        if !bulwark_inventory::NOT_RESOURCES.contains(key) {
            resources += n;
        }
    }
    let (_, accounts) = srv.get("/api/v1/accounts?provider=AWS", &k).await;
    assert_eq!(
        accounts[0]["cloudAssets"].as_i64(),
        Some(resources),
        "{accounts}"
    );
    let (_, shared) = srv
        .get(
            "/api/v1/search/AWS_EXTERNAL_ACCESS?searchTerm=externalAccountId:444455556666%20and%20severity:HIGH&size=10",
            &k,
        )
        .await;
    assert_eq!(
        names(&shared),
        ["bulwark-partner-share shared with 444455556666"].map(String::from),
        "{shared}"
    );
    let (_, critical) = srv
        .get(
            "/api/v1/search/AWS_HIGHRISK_ANOMALY?searchTerm=severity:CRITICAL&size=10",
            &k,
        )
        .await;
    assert_eq!(
        critical["data"][0]["data"]["ruleId"], "root-console-login-no-mfa",
        "{critical}"
    );

    // A bucket deleted in the cloud is marked missing by the next sync; events stay
    // even though their log files are gone.
    let out = moto::python()
        .args([
            "-c",
            "import boto3,sys; s3 = boto3.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1], \
             aws_access_key_id='testing', aws_secret_access_key='testing'); \
             s3.delete_bucket(Bucket='bulwark-policy-public'); \
             [s3.delete_object(Bucket='bulwark-logs', Key=o['Key']) \
              for o in s3.list_objects_v2(Bucket='bulwark-logs').get('Contents', [])]",
            &estate.url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The zone of trust: an account listed in `trustedAccountIds`, and one that is
    // another environment of this tenant.
    let (s, patched) = srv
        .patch(
            &format!("/bulwark/v1/environments/{id}"),
            &k,
            json!({"trustedAccountIds": ["444455556666"]}),
        )
        .await;
    assert_eq!(s, 200, "{patched}");
    let (s, bad) = srv
        .patch(
            &format!("/bulwark/v1/environments/{id}"),
            &k,
            json!({"trustedAccountIds": "444455556666"}),
        )
        .await;
    assert_eq!(s, 400, "{bad}");
    aws_environment(&srv, &k, "999999999999", "http://127.0.0.1:9").await;

    let job = sync(&srv, &k, &id).await;
    assert_eq!(job["state"], "done", "{job}");
    assert!(job["result"]["missing"].as_i64().unwrap() >= 1, "{job}");
    let (_, findings) = srv
        .get("/api/v1/search/AWS_EXTERNAL_ACCESS?size=100", &k)
        .await;
    let finding = |name: &str| {
        findings["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {findings}"))["data"]
            .clone()
    };
    for trusted in [
        "bulwark-partner-share shared with 444455556666",
        "bulwark-audit trusted by 999999999999",
    ] {
        let f = finding(trusted);
        assert_eq!(
            (&f["trusted"], &f["severity"]),
            (&json!(true), &json!("LOW")),
            "{f}"
        );
    }
    let public = finding("anyone-can-assume open to everyone");
    assert_eq!(
        (&public["trusted"], &public["severity"]),
        (&json!(false), &json!("CRITICAL"))
    );
    let (_, buckets) = srv.get("/api/v1/search/AWS_S3?size=100", &k).await;
    let buckets = names(&buckets);
    assert!(
        !buckets.contains(&"bulwark-policy-public".to_string()),
        "{buckets:?}"
    );
    let (_, after) = srv
        .get("/api/v1/search/AWS_ACTIVITY_LOG?size=100", &k)
        .await;
    assert_eq!(
        after["data"].as_array().map(Vec::len),
        Some(events),
        "{after}"
    );
    assert!(
        buckets.contains(&"bulwark-private-data".to_string()),
        "{buckets:?}"
    );

    // Credentials reaching another account than the environment's: refused, recorded.
    let wrong = aws_environment(&srv, &k, "999988887777", &estate.url).await;
    let job = sync(&srv, &k, &wrong).await;
    assert_eq!(job["state"], "failed", "{job}");
    assert!(
        job["last_error"].as_str().unwrap().contains(ACCOUNT),
        "{job}"
    );
    let (_, w) = srv
        .get(&format!("/bulwark/v1/environments/{wrong}"), &k)
        .await;
    assert_eq!(w["lastSyncStatus"], "FAILED", "{w}");

    // Other tenants see none of it.
    let other = env.token("globex", "admin").await;
    let (_, theirs) = srv.get("/api/v1/search/AWS_S3?size=100", &other).await;
    assert_eq!(theirs["data"].as_array().map(Vec::len), Some(0), "{theirs}");
    let web = man[PRIMARY]["web_instance_id"].as_str().unwrap();
    let (_, theirs) = srv
        .get(
            &format!("/api/v1/outgoingtraffic/instance?instanceId={web}"),
            &other,
        )
        .await;
    assert_eq!(theirs["data"].as_array().map(Vec::len), Some(0), "{theirs}");
    let (_, theirs) = srv
        .get("/api/v1/search/AWS_SSO_USER?size=100", &other)
        .await;
    assert_eq!(theirs["data"].as_array().map(Vec::len), Some(0), "{theirs}");
}

/// Flow-log and CloudTrail files the fixture wrote into the log bucket, through the
/// search language; returns the number of activity events.
async fn check_logs(srv: &Server, k: &str, man: &Value) -> usize {
    let (s, ssh) = srv
        .get(
            "/api/v1/search/AWS_INCOMING_TRAFFIC?searchTerm=destinationPort:22%20and%20action:ACCEPT&size=10",
            k,
        )
        .await;
    assert_eq!(s, 200, "{ssh}");
    assert_eq!(ssh["data"].as_array().map(Vec::len), Some(1), "{ssh}");
    let d = &ssh["data"][0]["data"];
    assert_eq!(d["sourceIp"], "203.0.113.7");
    assert_eq!(d["instanceId"], man[PRIMARY]["web_instance_id"]);
    assert_eq!(d["bytesIn"], 2520);
    let (_, rejected) = srv
        .get(
            "/api/v1/search/AWS_INCOMING_TRAFFIC?filters=action=REJECT&size=10",
            k,
        )
        .await;
    assert_eq!(
        rejected["data"][0]["data"]["destinationPort"], 3389,
        "{rejected}"
    );
    let (_, out) = srv
        .get(
            "/api/v1/search/AWS_OUTGOING_TRAFFIC?searchTerm=remoteIsPublic:true%20and%20region:us-east-1&size=10",
            k,
        )
        .await;
    assert_eq!(out["data"].as_array().map(Vec::len), Some(1), "{out}");
    assert_eq!(out["data"][0]["data"]["destinationIp"], "93.184.216.34");

    let (_, no_mfa) = srv
        .get(
            "/api/v1/search/AWS_ACTIVITY_LOG?searchTerm=eventName:ConsoleLogin%20and%20mfaUsed:false&size=10",
            k,
        )
        .await;
    let mut principals: Vec<&str> = no_mfa["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["data"]["principal"].as_str())
        .collect();
    principals.sort_unstable();
    assert_eq!(
        principals,
        [
            "arn:aws:iam::123456789012:root",
            "arn:aws:iam::123456789012:user/alice"
        ],
        "{no_mfa}"
    );
    let (_, all) = srv.get("/api/v1/search/AWS_ACTIVITY_LOG?size=100", k).await;
    let events = all["data"].as_array().map_or(0, Vec::len);
    assert_eq!(events, 8, "{all}");
    check_outgoing_traffic(srv, k, man).await;
    events
}

/// O11/O12 over the same connections, with the seed's paging rules and messages.
async fn check_outgoing_traffic(srv: &Server, k: &str, man: &Value) {
    let web = man[PRIMARY]["web_instance_id"].as_str().unwrap();
    let vpc = man[PRIMARY]["vpc_id"].as_str().unwrap();
    let (s, inst) = srv
        .get(
            &format!("/api/v1/outgoingtraffic/instance?instanceId={web}&page=1"),
            k,
        )
        .await;
    assert_eq!(s, 200, "{inst}");
    assert_eq!(inst["data"].as_array().map(Vec::len), Some(1), "{inst}");
    let row = &inst["data"][0];
    assert_eq!(row["dstIpAddress"], "93.184.216.34");
    assert_eq!(row["dstPort"], "443");
    assert_eq!(row["srcIpAddress"], man[PRIMARY]["web_private_ip"]);
    assert_eq!(row["instanceId"], web);
    assert_eq!(row["interfaceId"], man[PRIMARY]["web_eni_id"]);
    assert!(
        row["time"].as_i64().is_some_and(|t| t > 1_700_000_000_000),
        "{row}"
    );
    assert_eq!(
        (inst["currentPage"].as_i64(), inst["size"].as_i64()),
        (Some(1), Some(20))
    );

    let (_, by_vpc) = srv
        .get(
            &format!("/api/v1/outgoingtraffic/vpc?accountId={ACCOUNT}&vpcId={vpc}&isPageable=false&timeFrom=2020-01-01"),
            k,
        )
        .await;
    assert_eq!(
        by_vpc["data"][0]["dstIpAddress"], "93.184.216.34",
        "{by_vpc}"
    );
    // A window after the traffic holds none of it.
    let (_, later) = srv
        .get(
            &format!("/api/v1/outgoingtraffic/vpc?accountId={ACCOUNT}&vpcId={vpc}&page=1&timeFrom=2099-01-01T00:00:00%2B02:00"),
            k,
        )
        .await;
    assert_eq!(later["data"].as_array().map(Vec::len), Some(0), "{later}");

    for (path, msg) in [
        (
            format!("/api/v1/outgoingtraffic/instance?instanceId={web}&size=51"),
            "Pageable size cannot be greater than 50",
        ),
        (
            format!("/api/v1/outgoingtraffic/instance?instanceId={web}&page=0"),
            "Page number should be greater than 0",
        ),
        (
            format!("/api/v1/outgoingtraffic/vpc?vpcId={vpc}&page=1"),
            "Invalid data",
        ),
        (
            "/api/v1/outgoingtraffic/instance?instanceId=i-1%22%20or%20*&page=1".to_string(),
            "Invalid data",
        ),
        (
            format!(
                "/api/v1/outgoingtraffic/instance?instanceId={web}&timeFrom=2026-01-01&timeTo=2025-12-31"
            ),
            "Parameter \u{2018}timeTo\u{2019} should come after \u{2018}timeFrom\u{2019}",
        ),
    ] {
        let (s, b) = srv.get(&path, k).await;
        assert_eq!((s, b["message"].as_str()), (400, Some(msg)), "{path}: {b}");
    }
    let (s, b) = srv
        .get(
            &format!("/api/v1/outgoingtraffic/instance?instanceId={web}&timeFrom=23.11.2026"),
            k,
        )
        .await;
    assert_eq!(s, 400);
    assert!(
        b["message"]
            .as_str()
            .unwrap()
            .starts_with("Date in 'timeFrom' is not in proper format\nIt accepts formats"),
        "{b}"
    );
}
