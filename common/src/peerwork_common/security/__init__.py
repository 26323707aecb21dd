"""Who calls (tokens and their claims), what they may do, and the audit of what they read."""
