"""The registry's use cases, by what they act on; ``application.Registry`` takes them all."""
