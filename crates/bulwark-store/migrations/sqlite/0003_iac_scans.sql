-- IaC scans (Optix POST /api/v1/iac/scan) and the files uploaded with them.
CREATE TABLE iac_scans (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    status          TEXT NOT NULL,
    repo_url        TEXT NOT NULL,
    branch          TEXT NOT NULL,
    committer_name  TEXT NOT NULL,
    committer_email TEXT NOT NULL,
    policy_name     TEXT NOT NULL,
    save_results    INTEGER NOT NULL,
    report          TEXT,
    error           TEXT,
    create_time     INTEGER NOT NULL,
    finish_time     INTEGER
);
CREATE INDEX iac_scans_account ON iac_scans(account_id, create_time);

CREATE TABLE iac_scan_files (
    scan_id TEXT NOT NULL REFERENCES iac_scans(id),
    seq     INTEGER NOT NULL,
    path    TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (scan_id, seq)
);
