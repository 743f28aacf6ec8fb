-- Search indexing, chosen by measurement at a million assets (bench/search.sh, figures
-- and reasons in ARCHITECTURE.md "Search indexing").
-- Pages in result order (search key, resource id) straight from an index: a page stops
-- after its rows instead of sorting every match with its document, and the hot columns
-- in it let counts and deep offsets run as index-only scans.
CREATE INDEX assets_order ON assets(account_id, search_key, missing, resource_id) INCLUDE (region, is_public, cloud_account_id, id);
-- `isPublic:true` compiles to `(is_public <> 0)`: index that expression, in page order,
-- with the id tag terms need.
DROP INDEX assets_public;
CREATE INDEX assets_public ON assets(account_id, search_key, (is_public <> 0), missing, resource_id) INCLUDE (id);
-- Tag terms probe one asset's tags without reading the table.
DROP INDEX asset_tags_asset;
CREATE INDEX asset_tags_asset ON asset_tags(asset_id, name, value);
-- `tags.name:prod*` compiles to `lower(name COLLATE "C") LIKE 'prod%'`, which PostgreSQL
-- turns into a range on this index by itself (C collation).
DROP INDEX asset_tags_name;
CREATE INDEX asset_tags_name ON asset_tags(lower(name COLLATE "C"), asset_id);
