//! A moto server on 127.0.0.1, populated once per test binary by
//! `fixtures/populate_moto.py`.
//!
//! Shared by this crate's tests and the server's (`crates/bulwark/tests/api`, which
//! includes this file by path), so both read the same planted estate.

// Each including test binary uses a different part.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;

pub const ACCOUNT: &str = "123456789012";
pub const PRIMARY: &str = "us-east-1";
pub const SECONDARY: &str = "eu-west-1";

/// A running, populated emulator.
pub struct Estate {
    pub url: String,
    /// Ids moto generated, as printed by the populate script.
    pub manifest: Value,
    // moto runs in a Python process that stops when its stdin closes, so it
    // ends with the test binary even if a test aborts (statics are never
    // dropped, and a killed harness could not clean up).
    _stdin: Mutex<ChildStdin>,
    // Held open so moto never writes into a closed pipe.
    _stdout: Mutex<BufReader<ChildStdout>>,
    _child: Mutex<Child>,
}

/// Writes past the test harness's output capture, so a skip is visible in
/// a normal `cargo test` run.
pub fn say(msg: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{msg}");
}

fn moto_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import moto, boto3"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The shared estate, or `None` (after printing why) when moto is missing.
/// Set `BULWARK_REQUIRE_MOTO=1` to turn that skip into a failure.
pub fn estate() -> Option<&'static Estate> {
    static ESTATE: OnceLock<Option<Estate>> = OnceLock::new();
    let estate = ESTATE.get_or_init(|| {
        if !moto_installed() {
            return None;
        }
        Some(start_and_populate())
    });
    if estate.is_none() {
        let msg = "SKIPPED: moto tests need the AWS emulator: `pip install 'moto[server]' boto3` \
                   (python3 -c 'import moto' failed)";
        if std::env::var("BULWARK_REQUIRE_MOTO").is_ok_and(|v| v == "1") {
            panic!("{msg}; BULWARK_REQUIRE_MOTO=1 forbids skipping");
        }
        say(msg);
    }
    estate.as_ref()
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local address").port()
}

pub fn python() -> Command {
    let mut cmd = Command::new("python3");
    // Keep boto3 away from any real AWS configuration on the machine.
    cmd.env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "bulwark-cloud-aws",
        "tests",
        "fixtures",
        name,
    ]
    .iter()
    .collect()
}

fn start_and_populate() -> Estate {
    let port = free_port();
    let log_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("moto-{port}.log"));
    let log = std::fs::File::create(&log_path).expect("create the moto log");
    let mut child = python()
        .arg(fixture("moto_server.py"))
        .arg(port.to_string())
        // Without this moto reports ~1,300 public AMIs and snapshots per
        // region as the account's own.
        .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        // AWS managed policies (AdministratorAccess, SecurityAudit) exist in
        // every real account; moto only has them when asked.
        .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("start moto");
    let stdout = child.stdout.take().expect("moto stdout");
    let mut stdout = BufReader::new(stdout);
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read moto's ready line");
    assert_eq!(
        line.trim(),
        "ready",
        "moto did not start; see {}",
        log_path.display()
    );
    let url = format!("http://127.0.0.1:{port}");
    wait_until_listening(port);

    let out = python()
        .arg(fixture("populate_moto.py"))
        .arg(&url)
        .output()
        .expect("run populate_moto.py");
    assert!(
        out.status.success(),
        "populate_moto.py failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Value = serde_json::from_slice(&out.stdout).expect("manifest JSON");
    let stdin = child.stdin.take().expect("moto stdin");
    Estate {
        url,
        manifest,
        _stdin: Mutex::new(stdin),
        _stdout: Mutex::new(stdout),
        _child: Mutex::new(child),
    }
}

fn wait_until_listening(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("moto is not listening on 127.0.0.1:{port}");
}
