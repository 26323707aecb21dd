"""Public contracts of peerwork: events, subjects, stream settings and geography.

Import submodules directly (``peerwork_contracts.registry``, ``peerwork_contracts.geography``...);
``geography`` and ``vocabulary`` need only the standard library.
"""
