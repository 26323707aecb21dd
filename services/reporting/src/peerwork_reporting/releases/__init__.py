"""Releases: the figures the public reads, as they stood at reference dates, protected,
stored and versioned (see ``publisher``)."""
