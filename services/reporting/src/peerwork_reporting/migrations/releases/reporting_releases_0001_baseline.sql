-- The releases (``storage.releases``), in their own database, as the releases before
-- migrations made them when opened: on a database they made, nothing.
-- Portable SQL: SQLite and PostgreSQL take it as it is.
CREATE TABLE IF NOT EXISTS releases (
    day TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    moved TEXT NOT NULL,
    published TEXT NOT NULL,
    exact TEXT NOT NULL,
    PRIMARY KEY (day, version)
);
CREATE TABLE IF NOT EXISTS release_answers (
    day TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    answer TEXT NOT NULL,
    PRIMARY KEY (day, version, key)
);
