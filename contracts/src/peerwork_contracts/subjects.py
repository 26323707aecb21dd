"""NATS subject names, defined once.

Events: ``peerwork.<service>.<aggregate>.<event>.v<schema version>``,
e.g. ``peerwork.registry.peer_worker.registered.v1``.
"""

ROOT = "peerwork"
SERVICES = ("registry", "accompaniment")


def event_subject(source: str, event_type: str, schema_version: int) -> str:
    return f"{ROOT}.{source}.{event_type}.v{schema_version}"


def version_of(subject: str) -> tuple[str, int]:
    """An event subject as (the subject without its version, the version):
    ``peerwork.registry.peer_worker.registered.v1`` is ``("peerwork.registry.peer_worker.registered", 1)``."""
    unversioned, _, version = subject.rpartition(".v")
    return unversioned, int(version)


def service_events(source: str) -> str:
    """Wildcard matching every event a service publishes."""
    return f"{ROOT}.{source}.>"


def dead_letter_subject(consumer: str) -> str:
    """Where a consumer parks the messages it cannot apply."""
    return f"{ROOT}.deadletter.{consumer}"
