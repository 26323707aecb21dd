"""Development tools: the local stack of `make run`, a local nats-server, a throwaway PostgreSQL.

Nothing a service runs imports this package (tests/unit/test_layout.py checks it)."""
