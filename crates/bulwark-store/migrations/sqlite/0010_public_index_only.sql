-- PostgreSQL-only change (its expression index needed the column to serve index-only
-- scans); SQLite's `assets_public` indexes the column itself. Kept so both engines share
-- one migration history.
SELECT 1;
