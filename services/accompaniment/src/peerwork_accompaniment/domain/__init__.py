"""The accompaniment's domain: structures accompanied towards hosting a peer worker, and
training sessions.

Only the standard library, eventsourcing's aggregate base and the contracts' closed lists.
A stored event changes shape with a ``class_version`` and an upcaster
(``Accompaniment.PeerWorkerHired``), as the registry's domain package says.
"""
