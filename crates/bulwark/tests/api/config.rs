//! Configuration layering: defaults < file < environment < flags, secrets redacted.

use crate::support::BIN;

fn check(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(args)
        .env_remove("BULWARK_DATABASE_URL")
        .env_remove("BULWARK_LISTEN")
        .env_remove("BULWARK_DATA_DIR")
        .env_remove("BULWARK_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn file_then_env_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulwark.toml");
    std::fs::write(
        &file,
        "data_dir = \"/from/file\"\ndatabase_url = \"postgres://app:s3cret@db.internal/bulwark\"\nsession_ttl_sec = 600\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();

    let (ok, out, err) = check(&["--config", f, "config", "check"], &[]);
    assert!(ok, "{err}");
    assert!(out.contains("data_dir = \"/from/file\""), "{out}");
    assert!(out.contains("session_ttl_sec = 600"), "{out}");
    assert!(
        out.contains("postgres://app:***@db.internal/bulwark"),
        "{out}"
    );
    assert!(!out.contains("s3cret"), "password leaked: {out}");
    assert!(
        out.contains("listen = \"127.0.0.1:8080\""),
        "default listen: {out}"
    );

    let (_, out, _) = check(
        &["--config", f, "config", "check"],
        &[("BULWARK_DATA_DIR", "/from/env")],
    );
    assert!(out.contains("data_dir = \"/from/env\""), "{out}");
    let (_, out, _) = check(
        &["--config", f, "--data-dir", "/from/flag", "config", "check"],
        &[("BULWARK_DATA_DIR", "/from/env")],
    );
    assert!(out.contains("data_dir = \"/from/flag\""), "{out}");

    std::fs::write(&file, "no_such_key = 1\n").unwrap();
    let (ok, _, err) = check(&["--config", f, "config", "check"], &[]);
    assert!(!ok);
    assert!(err.contains("no_such_key"), "{err}");
}
