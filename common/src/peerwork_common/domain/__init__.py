"""Checks and refusals the services' domains share: plain Python, no framework."""
