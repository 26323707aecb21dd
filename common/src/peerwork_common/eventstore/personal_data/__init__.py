"""People's personal fields: sealed with a key of each person's own, and erased by destroying it."""
