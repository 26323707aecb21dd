"""Where the views are kept: a SQLite file or a PostgreSQL schema (both implement
``ports``), the store that applies each batch with the positions it advances, and its
rebuild from the start of the stream."""
