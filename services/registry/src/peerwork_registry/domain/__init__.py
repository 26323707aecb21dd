"""The registry's domain: partner structures, peer workers and their employments.

Only the standard library, eventsourcing's aggregate base and the contracts' closed lists.
"""
