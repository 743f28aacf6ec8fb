//! Inventory search at scale: loads generated assets (default 1,000,000) into a store and
//! times `GET /api/v1/search/{searchKey}`'s code path (term parsing, then
//! `InventoryService::page`, which runs the store's count and page queries).
//!
//! `cargo bench -p bulwark-store --bench search_1m -- --url URL [--assets N] [--runs N] [--no-analyze]`
//! (`bench/search.sh` runs it on SQLite and PostgreSQL). A database that already holds
//! the benchmark tenant is reused without loading, so index experiments can rerun it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a benchmark tool"
)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulwark_core::auth::{AuthType, Principal};
use bulwark_core::inventory::InventoryService;
use bulwark_core::model::Account;
use bulwark_core::ports::{AccountRepo, Store};
use bulwark_core::{Role, Status};
use bulwark_inventory::{Asset, Provider, Tag};
use bulwark_store::SqlStore;
use serde_json::json;
use uuid::Uuid;

const TENANT: &str = "bench";
const OTHERS: [&str; 2] = ["bench-other-1", "bench-other-2"];
/// Assets per generated batch (one transaction per environment in it).
const BATCH: usize = 20_000;

struct Args {
    url: String,
    assets: usize,
    runs: usize,
    analyze: bool,
}

fn args() -> Args {
    let mut a = Args {
        url: String::new(),
        assets: 1_000_000,
        runs: 50,
        analyze: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--url" => a.url = it.next().expect("--url URL"),
            "--assets" => a.assets = it.next().and_then(|v| v.parse().ok()).expect("--assets N"),
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
            "--no-analyze" => a.analyze = false,
            // `cargo bench` passes `--bench`; ignore it and anything else.
            _ => {}
        }
    }
    assert!(
        !a.url.is_empty(),
        "usage: search_1m --url URL [--assets N] [--runs N]"
    );
    a
}

fn main() {
    let args = args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(args));
}

/// xorshift64: deterministic data without a dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// True with probability `per_mille`/1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// (search key, share in percent).
const KEYS: [(&str, u64); 11] = [
    ("AWS_HOST", 30),
    ("AWS_S3", 10),
    ("AWS_LAMBDA", 8),
    ("AWS_SECURITY_GROUP", 10),
    ("AWS_RDS", 4),
    ("AWS_EBS_VOLUME", 8),
    ("AWS_USER", 4),
    ("AZURE_HOST", 10),
    ("AZURE_STORAGE_ACCOUNT", 4),
    ("GCP_HOST", 8),
    ("GCP_BUCKET", 4),
];

/// (tag name, per mille of assets carrying it). About 4% carry a `prod*` name
/// (`Production` too: search folds ASCII case).
const TAGS: [(&str, u64); 10] = [
    ("Name", 600),
    ("environment", 500),
    ("team", 400),
    ("owner", 300),
    ("cost-center", 200),
    ("staging", 50),
    ("dev", 50),
    ("prod-web", 20),
    ("prod-db", 15),
    ("Production", 5),
];

/// One cloud environment of a tenant: (env uuid, provider, cloud account id).
type Env = (Uuid, Provider, String);

fn environments(tenant: usize) -> Vec<Env> {
    let env = |p: Provider, id: String| (Uuid::new_v4(), p, id);
    vec![
        env(Provider::Aws, format!("1234567890{tenant}1")),
        env(Provider::Aws, format!("1234567890{tenant}2")),
        env(Provider::Aws, format!("1234567890{tenant}3")),
        env(
            Provider::Azure,
            format!("0000000{tenant}-aaaa-bbbb-cccc-dddddddddddd"),
        ),
        env(Provider::Gcp, format!("bench-project-{tenant}")),
        env(Provider::Gcp, format!("bench-analytics-{tenant}")),
    ]
}

fn provider_of(key: &str) -> Provider {
    if key.starts_with("AWS") {
        Provider::Aws
    } else if key.starts_with("AZURE") {
        Provider::Azure
    } else {
        Provider::Gcp
    }
}

/// Asset number `i`: its tenant (90% the benchmarked one) and environment index.
fn generate(i: usize, rng: &mut Rng, envs: &[Vec<Env>]) -> (usize, usize, Asset) {
    let tenant = if rng.chance(900) {
        0
    } else {
        1 + rng.below(OTHERS.len() as u64) as usize
    };
    let mut roll = rng.below(100);
    let key = KEYS
        .iter()
        .find(|(_, share)| {
            if roll < *share {
                true
            } else {
                roll -= share;
                false
            }
        })
        .map_or("AWS_HOST", |(k, _)| *k);
    let provider = provider_of(key);
    let candidates: Vec<usize> = envs[tenant]
        .iter()
        .enumerate()
        .filter(|(_, e)| e.1 == provider)
        .map(|(n, _)| n)
        .collect();
    let env_index = candidates[rng.below(candidates.len() as u64) as usize];
    let cloud_account = envs[tenant][env_index].2.clone();
    let region = match provider {
        Provider::Aws => rng.pick(&[
            "us-east-1",
            "us-east-1",
            "us-west-2",
            "eu-west-1",
            "eu-central-1",
            "ap-southeast-2",
        ]),
        Provider::Azure => rng.pick(&["eastus", "westeurope", "northeurope", "westus2"]),
        _ => rng.pick(&["us-central1", "europe-west1", "asia-east1"]),
    };
    let mut tags = Vec::new();
    for (name, per_mille) in TAGS {
        if rng.chance(per_mille) {
            let value = match name {
                "environment" => rng.pick(&["prod", "staging", "dev"]).to_string(),
                "team" => rng
                    .pick(&["payments", "platform", "data", "web"])
                    .to_string(),
                _ => format!("v{}", rng.below(50)),
            };
            tags.push(Tag {
                name: name.to_string(),
                value,
            });
        }
    }
    tags.sort_by(|a, b| a.name.cmp(&b.name));
    let public_kind = !matches!(key, "AWS_USER" | "AWS_SECURITY_GROUP");
    let is_public = public_kind.then(|| rng.chance(50));
    let resource_id = format!("{}-{i:08x}", key.to_ascii_lowercase().replace('_', "-"));
    let name = format!(
        "{}-{}-{i}",
        rng.pick(&["web", "api", "db", "batch", "cache"]),
        region
    );
    let data = match key {
        "AWS_HOST" | "AZURE_HOST" | "GCP_HOST" => json!({
            "instanceId": resource_id,
            "instanceType": rng.pick(&["t3.micro", "m5.large", "c6g.xlarge", "r6i.2xlarge"]),
            "state": rng.pick(&["running", "running", "running", "stopped"]),
            "privateIpAddress": format!("10.{}.{}.{}", rng.below(255), rng.below(255), rng.below(255)),
            "publicIpAddress": if is_public == Some(true) { json!(format!("52.{}.{}.{}", rng.below(255), rng.below(255), rng.below(255))) } else { json!(null) },
            "vpcId": format!("vpc-{:08x}", rng.below(64)),
            "imageId": format!("ami-{:08x}", rng.below(512)),
            "launchTime": format!("2024-{:02}-{:02}T10:00:00Z", 1 + rng.below(12), 1 + rng.below(28)),
            "securityGroups": [{"groupId": format!("sg-{:08x}", rng.below(4096)), "groupName": "default"}],
        }),
        _ => json!({
            "arn": format!("arn:{}:{key}:{region}:{cloud_account}:{resource_id}", provider.as_str()),
            "createdAt": format!("2023-{:02}-{:02}T08:30:00Z", 1 + rng.below(12), 1 + rng.below(28)),
            "encrypted": rng.chance(700),
            "sizeGb": rng.below(2048),
        }),
    };
    let asset = Asset {
        search_key: key.to_string(),
        provider,
        account_id: cloud_account,
        region: Some(region.to_string()),
        resource_id,
        name,
        tags,
        is_public,
        data,
    };
    (tenant, env_index, asset)
}

async fn tenant(store: &SqlStore, name: &str) -> (Account, bool) {
    if let Some(a) = store.account_by_name(name).await.unwrap() {
        return (a, true);
    }
    let a = Account {
        id: Uuid::new_v4(),
        name: name.to_string(),
        status: Status::Active,
        onboarding: json!({}),
        create_time: 0,
        update_time: 0,
    };
    store.create_account(&a).await.unwrap();
    (a, false)
}

async fn load(store: &SqlStore, tenants: &[Account], n: usize) -> Duration {
    let envs: Vec<Vec<Env>> = (0..tenants.len()).map(environments).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let started = Instant::now();
    let mut i = 0;
    while i < n {
        let mut groups: BTreeMap<(usize, usize), Vec<Asset>> = BTreeMap::new();
        for j in i..(i + BATCH).min(n) {
            let (t, e, a) = generate(j, &mut rng, &envs);
            groups.entry((t, e)).or_default().push(a);
        }
        for ((t, e), assets) in groups {
            store
                .bulk_load_assets(tenants[t].id, envs[t][e].0, &assets, 1_700_000_000_000)
                .await
                .unwrap();
        }
        i += BATCH;
        if i % 200_000 == 0 {
            eprintln!(
                "  loaded {i} assets in {:.1}s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    started.elapsed()
}

struct Case {
    name: &'static str,
    key: &'static str,
    term: &'static str,
    /// Page from 1 (as the API counts); 0: three quarters into the results.
    page: i64,
    size: i64,
}

const CASES: [Case; 4] = [
    Case {
        name: "selective",
        key: "AWS_HOST",
        term: "isPublic:true and tags.name:prod*",
        page: 1,
        size: 100,
    },
    Case {
        name: "broad",
        key: "AWS_HOST",
        term: "region:us-*",
        page: 1,
        size: 100,
    },
    Case {
        name: "deep page",
        key: "AWS_HOST",
        term: "region:us-*",
        page: 0,
        size: 100,
    },
    Case {
        name: "key only",
        key: "AWS_HOST",
        term: "",
        page: 1,
        size: 100,
    },
];

/// The API's search path from a parsed request on: parse, then count and page.
async fn search(
    svc: &InventoryService,
    caller: &Principal,
    case: &Case,
    page: i64,
) -> (usize, i64) {
    let term = if case.term.is_empty() {
        bulwark_query::Query::match_all()
    } else {
        bulwark_query::parse(case.term).unwrap()
    };
    let (found, meta) = svc
        .page(caller, &[case.key], None, Some(&term), page - 1, case.size)
        .await
        .unwrap();
    (found.assets.len(), meta.total_pages)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    // Nearest rank.
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

async fn run(args: Args) {
    let engine = if args.url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let store = SqlStore::connect(&args.url, 4).await.unwrap();
    let (bench, existed) = tenant(&store, TENANT).await;
    let mut tenants = vec![bench.clone()];
    for o in OTHERS {
        tenants.push(tenant(&store, o).await.0);
    }
    if existed {
        eprintln!("{engine}: tenant `{TENANT}` exists, reusing its assets");
    } else {
        eprintln!("{engine}: loading {} assets", args.assets);
        let took = load(&store, &tenants, args.assets).await;
        println!(
            "{engine}: loaded {} assets in {:.1}s ({:.0} assets/s)",
            args.assets,
            took.as_secs_f64(),
            args.assets as f64 / took.as_secs_f64()
        );
        if args.analyze {
            let took = Instant::now();
            store.analyze().await.unwrap();
            println!(
                "{engine}: statistics refreshed in {:.1}s",
                took.elapsed().as_secs_f64()
            );
        }
    }
    let svc = InventoryService::new(Arc::new(store.clone()) as Arc<dyn Store>);
    let caller = Principal {
        account_id: bench.id,
        account_name: bench.name.clone(),
        role: Role::ReadOnly,
        auth_type: AuthType::ApiKey,
        credential_uuid: Uuid::new_v4(),
        token_uuid: None,
        user_uuid: String::new(),
        display_name: "bench".into(),
        view_pii_log_only: false,
    };
    println!(
        "| engine | query | searchKey | searchTerm | page | hits on page | total pages | median ms | p99 ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for case in &CASES {
        let page = if case.page > 0 {
            case.page
        } else {
            let (_, pages) = search(&svc, &caller, &CASES[1], 1).await;
            (pages * 3 / 4).max(1)
        };
        for _ in 0..3 {
            search(&svc, &caller, case, page).await;
        }
        let mut times = Vec::with_capacity(args.runs);
        let mut last = (0, 0);
        for _ in 0..args.runs {
            let t = Instant::now();
            last = search(&svc, &caller, case, page).await;
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "| {engine} | {} | {} | `{}` | {page} | {} | {} | {:.1} | {:.1} |",
            case.name,
            case.key,
            case.term,
            last.0,
            last.1,
            percentile(&times, 0.5),
            percentile(&times, 0.99),
        );
    }
    store.close().await;
}
