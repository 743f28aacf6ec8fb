//! Test harness: runs the real `bulwark` binary against a fresh database.
//!
//! SQLite in a temporary directory by default; PostgreSQL when
//! `BULWARK_TEST_DATABASE_URL` names a server (each [`Env`] gets its own database on
//! it). Set `BULWARK_TEST_KEEP=1` to keep data directories for inspection.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the harness"
)]

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use reqwest::{Client, Method, Response};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const BIN: &str = env!("CARGO_BIN_EXE_bulwark");

/// One deployment's data: a data directory, a database and a master key shared by all
/// processes started on it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db_url: Option<String>,
    pub master_key: String,
}

impl Env {
    pub async fn new() -> Env {
        let dir = tempfile::Builder::new()
            .prefix("bulwark-test")
            .tempdir()
            .unwrap();
        let db_url = match std::env::var("BULWARK_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => Some(
                bulwark_store::testing::fresh_postgres_database(&admin)
                    .await
                    .unwrap(),
            ),
            _ => None,
        };
        let master_key = bulwark_core::crypto::MasterKey::generate()
            .unwrap()
            .encode();
        Env {
            dir,
            db_url,
            master_key,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.db_url.is_some()
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env("BULWARK_DATA_DIR", self.dir.path())
            .env("BULWARK_MASTER_KEY", &self.master_key)
            .env("BULWARK_LOG", "info,sqlx=warn")
            // The AWS emulator runs on loopback.
            .env("BULWARK_CLOUD_ENDPOINT_HOSTS", "127.0.0.1")
            .env_remove("BULWARK_DATABASE_URL")
            .env_remove("BULWARK_LISTEN")
            .env_remove("BULWARK_CONFIG")
            .kill_on_drop(true);
        if let Some(url) = &self.db_url {
            cmd.env("BULWARK_DATABASE_URL", url);
        }
        cmd
    }

    /// Runs `bulwark admin ...` to completion; returns stdout.
    pub async fn admin(&self, args: &[&str]) -> String {
        let mut full = vec!["admin"];
        full.extend_from_slice(args);
        let out = self.command(&full).output().await.unwrap();
        assert!(
            out.status.success(),
            "bulwark {full:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A new token for `account` with `role` (the account is created if needed).
    pub async fn token(&self, account: &str, role: &str) -> String {
        let out = self
            .admin(&["token", "create", "--account", account, "--role", role])
            .await;
        out.trim().to_string()
    }

    pub async fn serve(&self) -> Server {
        self.serve_with(&[]).await
    }

    pub async fn serve_with(&self, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        let mut child = self
            .command(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (addr_tx, mut addr_rx) = tokio::sync::mpsc::channel::<String>(1);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if std::env::var_os("BULWARK_TEST_LOG").is_some() {
                    eprintln!("[server] {line}");
                }
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let addr = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = addr_tx.send(addr).await;
                }
            }
        });
        let (tok_tx, tok_rx) = tokio::sync::watch::channel::<Option<String>>(None);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if bulwark_core::crypto::looks_like_token(line.trim()) {
                    let _ = tok_tx.send(Some(line.trim().to_string()));
                }
            }
        });
        let addr = tokio::time::timeout(Duration::from_secs(60), addr_rx.recv())
            .await
            .expect("server did not start within 60 s")
            .expect("server exited before listening");
        let bootstrap = tok_rx.borrow().clone();
        Server {
            child,
            base: format!("http://{addr}"),
            bootstrap_rx: tok_rx,
            bootstrap,
            http: Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        }
    }

    pub fn data_path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if std::env::var_os("BULWARK_TEST_KEEP").is_some() {
            let path = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap()).keep();
            eprintln!("kept test data in {}", path.display());
        }
    }
}

/// A running `bulwark serve`.
pub struct Server {
    pub child: Child,
    pub base: String,
    bootstrap_rx: tokio::sync::watch::Receiver<Option<String>>,
    bootstrap: Option<String>,
    pub http: Client,
}

impl Server {
    /// The bootstrap token the first start printed.
    pub async fn bootstrap_token(&mut self) -> String {
        if let Some(t) = &self.bootstrap {
            return t.clone();
        }
        let mut rx = self.bootstrap_rx.clone();
        let t = tokio::time::timeout(Duration::from_secs(10), rx.wait_for(Option::is_some))
            .await
            .expect("no bootstrap token printed")
            .unwrap()
            .clone()
            .unwrap();
        self.bootstrap = Some(t.clone());
        t
    }

    pub async fn req(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(a) = auth {
            rb = rb.header("authorization", a);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        rb.send().await.unwrap()
    }

    /// Sends and returns `(status, JSON body)`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let resp = self.req(method, path, auth, body).await;
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    pub async fn get(&self, path: &str, key: &str) -> (u16, Value) {
        self.call(Method::GET, path, Some(&format!("ApiKey {key}")), None)
            .await
    }

    pub async fn post(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.call(
            Method::POST,
            path,
            Some(&format!("ApiKey {key}")),
            Some(body),
        )
        .await
    }

    pub async fn patch(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.call(
            Method::PATCH,
            path,
            Some(&format!("ApiKey {key}")),
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str, key: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, Some(&format!("ApiKey {key}")), None)
            .await
    }

    /// SIGKILL: no shutdown path runs.
    pub async fn kill9(&mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM, then waits for a clean exit.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        tokio::time::timeout(Duration::from_secs(40), self.child.wait())
            .await
            .expect("server did not stop after SIGTERM")
            .unwrap()
    }
}

/// Polls `f` until it returns `Some`, for up to `secs`.
pub async fn eventually<T, F, Fut>(secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met within {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
