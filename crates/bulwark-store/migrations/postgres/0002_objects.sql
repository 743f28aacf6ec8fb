-- Generic account-scoped objects: every Edge resource family (users, groups, apps,
-- policies, ...) is a JSON document here, with the columns the shared queries filter on.
CREATE TABLE objects (
    account_id  TEXT NOT NULL REFERENCES accounts(id),
    kind        TEXT NOT NULL,
    uuid        TEXT NOT NULL,
    status      BIGINT NOT NULL,
    data_source BIGINT NOT NULL,
    -- A per-kind unique key (e.g. a connector's unique_name); NULL when the kind has none.
    unique_key  TEXT,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    doc         TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, uuid)
);
CREATE UNIQUE INDEX objects_unique_key ON objects(account_id, kind, unique_key);
CREATE INDEX objects_kind_status ON objects(account_id, kind, status);

-- Tags are denormalised so tag filters are plain, portable SQL.
CREATE TABLE object_tags (
    account_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    uuid       TEXT NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (account_id, kind, uuid, tag)
);
CREATE INDEX object_tags_tag ON object_tags(account_id, kind, tag);
