-- The list of test_lists_machinery.py. No primary key: only the tracking keeps a
-- notification from being applied twice.
CREATE TABLE things_list_tracking (application_name TEXT PRIMARY KEY, notification_id BIGINT NOT NULL);
CREATE TABLE things (id TEXT NOT NULL, name_key TEXT NOT NULL);
CREATE INDEX things_by_name ON things (name_key, id);
