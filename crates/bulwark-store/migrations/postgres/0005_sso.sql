-- Single sign-on: per-account IdP settings, pending logins, and consumed assertion ids.
CREATE TABLE sso_configs (
    account_id  TEXT PRIMARY KEY REFERENCES accounts(id),
    config      TEXT NOT NULL,
    update_time BIGINT NOT NULL
);

-- A login started at the IdP and not finished yet; the id travels as RelayState/state
-- and is consumed (deleted) by the first callback that presents it.
CREATE TABLE sso_pending (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    protocol        TEXT NOT NULL,
    data            TEXT NOT NULL,
    expire_time_sec BIGINT NOT NULL
);
CREATE INDEX sso_pending_expiry ON sso_pending(expire_time_sec);

-- Assertion (or ID token) ids already used, kept until they expire: refuses replays.
CREATE TABLE sso_used_ids (
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    used_id         TEXT NOT NULL,
    expire_time_sec BIGINT NOT NULL,
    PRIMARY KEY (account_id, used_id)
);
