"""Stage 2a: the outbox relay, from the registry's notification log onto JetStream."""

from pathlib import Path
from time import perf_counter

from peerwork_common.messaging.relay import Relay
from peerwork_contracts.calendar import today
from peerwork_contracts.vocabulary import InterventionDomain
from peerwork_registry.application import Registry
from peerwork_registry.config import Settings
from peerwork_registry.domain.legal_basis import Basis, LegalBasis
from peerwork_registry.publication import PUBLISHED, to_contract

BENCH_CONSENT = LegalBasis(Basis.ARCHIVING_RESEARCH_OR_STATISTICS)  # the bench's people are no one's


async def relay_rate(workdir: Path, nats_url: str, n: int) -> tuple[float, float]:
    """Events/s of ``Relay.publish_pending()`` over ``n`` registrations saved beforehand.

    Also returns, for information, the rate at which those registrations were saved through
    the application (``Registry.register_peer_worker``, no HTTP): not part of the relay's time.
    """
    registry = Registry(env=Settings(sqlite_path=workdir / "relay-registry.sqlite").eventsourcing_env())
    relay = Relay(registry, to_contract, nats_url, published=PUBLISHED)  # as the service wires it
    try:
        registered_on = today()
        started = perf_counter()
        for index in range(n):
            registry.register_peer_worker(
                f"Bench {index}", "38", [InterventionDomain.MENTAL_HEALTH], registered_on, BENCH_CONSENT
            )
        register_rate = n / (perf_counter() - started)
        started = perf_counter()
        relayed = await relay.publish_pending()
        elapsed = perf_counter() - started
        if relayed != n:
            raise RuntimeError(f"the relay published {relayed} events, expected {n}")
        return n / elapsed, register_rate
    finally:
        await relay.close()
        registry.close()
