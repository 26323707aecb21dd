"""The write services' event store: the application base, its recorders and the tables beside it."""
