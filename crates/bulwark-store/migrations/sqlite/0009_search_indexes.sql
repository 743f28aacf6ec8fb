-- Search indexing, chosen by measurement at a million assets (bench/search.sh, figures
-- and reasons in ARCHITECTURE.md "Search indexing").
-- Pages in result order (search key, resource id) straight from an index: a page stops
-- after its rows instead of sorting every match with its document, and the hot columns
-- in it let counts and deep offsets run on the index alone.
CREATE INDEX assets_order ON assets(account_id, search_key, missing, resource_id, region, is_public, cloud_account_id, id);
-- `isPublic:true` narrows to the public rows, in page order, with the id tag terms need.
DROP INDEX assets_public;
CREATE INDEX assets_public ON assets(account_id, search_key, is_public, missing, resource_id, id);
-- Tag terms probe one asset's tags without reading the table.
DROP INDEX asset_tags_asset;
CREATE INDEX asset_tags_asset ON asset_tags(asset_id, name, value);
