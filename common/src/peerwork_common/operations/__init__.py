"""What operators see: logs, metrics, readiness, tracing, and the health probe of the images."""
