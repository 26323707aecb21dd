-- The accompaniment's lists (``lists.projection``), as the releases before migrations made
-- them at each start: on a database they made, nothing. No free text about a person.
-- Portable SQL: SQLite and PostgreSQL take it as it is.
CREATE TABLE IF NOT EXISTS accompaniment_lists_tracking (application_name TEXT PRIMARY KEY, notification_id BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS list_accompaniments (id TEXT PRIMARY KEY, structure_id TEXT NOT NULL, departement TEXT NOT NULL, channel TEXT NOT NULL, requested_on TEXT NOT NULL, closed_on TEXT, outcome TEXT, last_milestone TEXT, last_milestone_on TEXT);
-- The timeline, for the step before the last once the last is retracted.
CREATE TABLE IF NOT EXISTS list_accompaniment_steps (accompaniment_id TEXT NOT NULL, version INTEGER NOT NULL, milestone TEXT NOT NULL, occurred_on TEXT NOT NULL, PRIMARY KEY (accompaniment_id, version));
CREATE TABLE IF NOT EXISTS list_training_sessions (id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, audience TEXT NOT NULL, departement TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, duration_hours REAL NOT NULL, capacity INTEGER NOT NULL, seats_taken INTEGER NOT NULL, completed_on TEXT, cancelled_on TEXT);
CREATE TABLE IF NOT EXISTS list_peer_networks (id TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT, departement TEXT, formed_on TEXT NOT NULL, ended_on TEXT, meetings INTEGER NOT NULL, last_met_on TEXT);
-- Their meetings' days, for the last one once one is corrected or retracted.
CREATE TABLE IF NOT EXISTS list_network_meetings (meeting_id TEXT PRIMARY KEY, network_id TEXT NOT NULL, held_on TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS list_accompaniments_by_date ON list_accompaniments (requested_on, id);
CREATE INDEX IF NOT EXISTS list_accompaniments_by_structure ON list_accompaniments (structure_id);
CREATE INDEX IF NOT EXISTS list_training_sessions_by_date ON list_training_sessions (starts_on, id);
CREATE INDEX IF NOT EXISTS list_peer_networks_by_date ON list_peer_networks (formed_on, id);
CREATE INDEX IF NOT EXISTS list_network_meetings_by_network ON list_network_meetings (network_id);
