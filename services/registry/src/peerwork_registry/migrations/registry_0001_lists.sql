-- The registry's lists (``lists.projection``), as the releases before migrations made them
-- at each start: on a database they made, nothing. No name of a person (a blind index).
-- Portable SQL: SQLite and PostgreSQL take it as it is.
CREATE TABLE IF NOT EXISTS registry_lists_tracking (application_name TEXT PRIMARY KEY, notification_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS list_structures (id TEXT PRIMARY KEY, name TEXT NOT NULL, name_key TEXT NOT NULL, siret TEXT, departement TEXT NOT NULL, sector TEXT NOT NULL, registered_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS list_peer_workers (id TEXT PRIMARY KEY, name_index TEXT, departement TEXT NOT NULL, registered_on TEXT NOT NULL, withdrawn_on TEXT);
CREATE TABLE IF NOT EXISTS list_peer_worker_domains (peer_worker_id TEXT NOT NULL, domain TEXT NOT NULL, PRIMARY KEY (peer_worker_id, domain));
CREATE TABLE IF NOT EXISTS list_employments (id TEXT PRIMARY KEY, peer_worker_id TEXT NOT NULL, structure_id TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT);
-- A table of its own: a record registered before legal bases were recorded has no row.
CREATE TABLE IF NOT EXISTS list_peer_worker_legal_bases (peer_worker_id TEXT PRIMARY KEY, basis TEXT NOT NULL, consent_withdrawn_on TEXT);
CREATE INDEX IF NOT EXISTS list_structures_by_name ON list_structures (name_key, id);
CREATE INDEX IF NOT EXISTS list_structures_by_date ON list_structures (registered_on, id);
CREATE INDEX IF NOT EXISTS list_structures_by_siret ON list_structures (siret);
CREATE INDEX IF NOT EXISTS list_peer_workers_by_date ON list_peer_workers (registered_on, id);
CREATE INDEX IF NOT EXISTS list_peer_workers_by_name ON list_peer_workers (name_index);
CREATE INDEX IF NOT EXISTS list_employments_by_structure ON list_employments (structure_id);
CREATE INDEX IF NOT EXISTS list_employments_by_peer_worker ON list_employments (peer_worker_id);
