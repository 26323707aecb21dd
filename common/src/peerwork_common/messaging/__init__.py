"""NATS: connecting, the relay that publishes the outbox, the consumers, dead letters, the AsyncAPI."""
