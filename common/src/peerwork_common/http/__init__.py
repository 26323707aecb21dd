"""What every service's HTTP app shares: apps, bodies, errors, idempotency, refusals, exports, serving."""
