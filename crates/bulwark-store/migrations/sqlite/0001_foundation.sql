-- Foundation: accounts, API tokens, sessions, audit log, job queue.
-- Timestamps are epoch milliseconds unless the column says _sec; booleans are 0/1.
CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    status      INTEGER NOT NULL,
    onboarding  TEXT NOT NULL DEFAULT '{}',
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    uuid                 TEXT PRIMARY KEY,
    account_id           TEXT NOT NULL REFERENCES accounts(id),
    secret_hash          TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    role                 INTEGER NOT NULL,
    status               INTEGER NOT NULL,
    user_uuid            TEXT NOT NULL,
    ttl_sec              INTEGER NOT NULL,
    expire_time_sec      INTEGER NOT NULL,
    used_time            INTEGER,
    view_pii_log_only    INTEGER NOT NULL,
    creator_uuid         TEXT NOT NULL,
    creator_role         INTEGER NOT NULL,
    creator_display_name TEXT NOT NULL,
    updater_uuid         TEXT NOT NULL,
    updater_display_name TEXT NOT NULL,
    create_time          INTEGER NOT NULL,
    update_time          INTEGER NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens(account_id, status);

CREATE TABLE sessions (
    uuid              TEXT PRIMARY KEY,
    account_id        TEXT NOT NULL REFERENCES accounts(id),
    user_uuid         TEXT NOT NULL,
    token_uuid        TEXT,
    role              INTEGER NOT NULL,
    login_type        INTEGER NOT NULL,
    client_ip         TEXT NOT NULL,
    status            INTEGER NOT NULL,
    view_pii_log_only INTEGER NOT NULL,
    create_time       INTEGER NOT NULL,
    ttl_sec           INTEGER NOT NULL,
    expire_time_sec   INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE audit_events (
    uuid                 TEXT PRIMARY KEY,
    account_id           TEXT NOT NULL REFERENCES accounts(id),
    account_name         TEXT NOT NULL,
    auth_account_name    TEXT NOT NULL,
    auth_role            INTEGER NOT NULL,
    auth_type            TEXT NOT NULL,
    auth_uuid            TEXT NOT NULL,
    user_login           TEXT NOT NULL,
    user_display_name    TEXT NOT NULL,
    client_ip            TEXT NOT NULL,
    create_time          INTEGER NOT NULL,
    expire_time_sec      INTEGER NOT NULL,
    method               TEXT NOT NULL,
    path                 TEXT NOT NULL,
    matched_path         TEXT NOT NULL,
    op                   TEXT NOT NULL,
    protocol             TEXT NOT NULL,
    proto_version        TEXT NOT NULL,
    request_body         TEXT NOT NULL,
    response_status      INTEGER NOT NULL,
    response_status_text TEXT NOT NULL,
    trace                TEXT NOT NULL,
    object_uuid          TEXT NOT NULL
);
CREATE INDEX audit_events_account_time ON audit_events(account_id, create_time);

CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts(id),
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    locked_by    TEXT,
    lease_until  INTEGER,
    last_error   TEXT,
    result       TEXT,
    create_time  INTEGER NOT NULL,
    update_time  INTEGER NOT NULL,
    finish_time  INTEGER
);
CREATE INDEX jobs_runnable ON jobs(state, run_at);
CREATE INDEX jobs_account ON jobs(account_id, create_time);

-- One row per execution. The primary key makes a second execution of the same attempt
-- impossible to record, which is the exactly-once guard the tests read back.
CREATE TABLE job_attempts (
    job_id     TEXT NOT NULL REFERENCES jobs(id),
    attempt    INTEGER NOT NULL,
    worker     TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time   INTEGER,
    outcome    TEXT,
    PRIMARY KEY (job_id, attempt)
);
