"""The attack tests of issue 13 (item 4): an outside reader collects the public figures
(``collect``) and runs an integer linear program over all of them (``ilp``) to find hidden
counts of people it can pin down. ``history`` is a small history like the demo's to attack."""
