"""The registry's domain: partner structures, peer workers and their employments.

Only the standard library, eventsourcing's aggregate base and the contracts' closed lists
and calendar (the day in France).

Changing the shape of a stored event (here and in the accompaniment's domain): the store
keeps every event as it was written, forever, so a released shape is never edited in place.
1. Declare the event as a class of its own on the aggregate (``class Merged(Aggregate.Event)``,
   then ``@event(Merged)``, or ``event(Merged)(PeerWorkerMerge._merged)`` for an event a
   mixin applies), keeping its name: its topic is what finds it in the store.
2. Give it the new shape and ``class_version = n + 1`` (no ``class_version`` is version 1);
   the event is then stored with its version.
3. Add ``upcast_vn_vn+1(state)``, a static method that turns a version n state (a dict, its
   ``timestamp`` included) into one of version n + 1, in place: what the old event meant,
   not what a new one would hold (``RecordedOn`` keeps the day the old event was published
   with). Upcasters are never removed; they chain from version 1.
4. Commit a store made with the previous shape and a test that loads it (see
   ``tests/fixtures/make_registry_corrections_v1.py`` and ``tests/integration/
   test_stored_event_versions.py``).
The aggregates are not snapshotted. Once they are, a change to an aggregate's attributes
takes the same: ``class_version`` and ``upcast_*`` on the aggregate class, for its snapshots.
A public event changes by the contracts' own rules (``contracts/README.md``).
"""
