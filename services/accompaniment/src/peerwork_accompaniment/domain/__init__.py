"""The accompaniment's domain: structures accompanied towards hosting a peer worker, and
training sessions.

Only the standard library, eventsourcing's aggregate base and the contracts' closed lists.
"""
