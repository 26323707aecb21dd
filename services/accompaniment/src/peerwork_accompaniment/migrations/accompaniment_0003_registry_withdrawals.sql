-- Which of the registry's peer workers are withdrawn from the census (``registry_records``):
-- they left peer work, or withdrew the consent their record rested on, which the registry's
-- events do not tell apart. A meeting or hiring on or after that day cannot name them
-- (``withdrawn_on``; null once reinstated).
-- The registry's events are read again from the start, once, so that the withdrawals published
-- before this table are in it: each record's own position keeps the records as they are.
-- Portable SQL: SQLite and PostgreSQL take it as it is.
CREATE TABLE registry_withdrawals (id TEXT PRIMARY KEY, withdrawn_on TEXT, position BIGINT NOT NULL);
UPDATE registry_records_position SET position = 0;
