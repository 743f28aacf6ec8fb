-- Cloud inventory: one row per resource of a cloud environment, searchable through
-- the Optix search language. `doc` is the asset as search sees it; hot fields are
-- copied into indexed columns and tags into a side table (see ARCHITECTURE.md).
CREATE TABLE assets (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts(id),
    env_uuid         TEXT NOT NULL,
    search_key       TEXT NOT NULL,
    provider         TEXT NOT NULL,
    cloud_account_id TEXT NOT NULL,
    region           TEXT NOT NULL,
    resource_id      TEXT NOT NULL,
    name             TEXT NOT NULL,
    is_public        BIGINT,
    doc              JSONB NOT NULL,
    first_seen       BIGINT NOT NULL,
    last_seen        BIGINT NOT NULL,
    missing          BIGINT NOT NULL
);
CREATE UNIQUE INDEX assets_identity ON assets(account_id, env_uuid, search_key, resource_id);
CREATE INDEX assets_key ON assets(account_id, search_key, missing, cloud_account_id);
CREATE INDEX assets_public ON assets(account_id, search_key, is_public);

CREATE TABLE asset_tags (
    asset_id TEXT NOT NULL,
    name     TEXT NOT NULL,
    value    TEXT NOT NULL
);
CREATE INDEX asset_tags_asset ON asset_tags(asset_id);
CREATE INDEX asset_tags_name ON asset_tags(name, asset_id);
