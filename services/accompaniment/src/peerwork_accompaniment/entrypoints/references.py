"""References that hold: a command naming a partner structure or a peer worker is refused
(422) unless the registry registered it, and (410) when the person's record was erased. This
service knows the registry's records from its events (``registry_records``), so a record
missing here is either unknown or not arrived yet;
the lag of the durable consumer behind the stream (JetStream's count of the registry's
messages not applied yet) tells which."""

from datetime import date
from uuid import UUID

from fastapi import HTTPException, status
from nats.errors import Error as NatsError

from peerwork_common.messaging.consumer import DurableConsumer

from ..registry_records import PEER_WORKER, STRUCTURE, RegistryRecords
from .territory import RETRY_AFTER

# Seconds to wait for JetStream's answer before saying the service cannot tell.
LAG_TIMEOUT = 2.0


class RegistryReferences:
    """``consumer``: the one that keeps ``records`` from the registry's stream; None when
    none runs in this process (then an unknown id cannot be told from a late one)."""

    def __init__(self, records: RegistryRecords, consumer: DurableConsumer | None = None) -> None:
        self.records = records
        self.consumer = consumer

    def check(self, record_id: UUID, kind: str = STRUCTURE) -> None:
        """From a plain ``def`` route (a worker thread, not the event loop): 422 unless the
        registry registered ``record_id`` as a ``kind``, saying whether it is unknown, not
        arrived yet, or whether this service cannot tell; 410 for an erased peer worker."""
        if self._known(record_id, kind):
            return
        lag = self._lag()
        # Arrived while JetStream was asked: everything published before its answer is applied.
        if self._known(record_id, kind):
            return
        if lag is None:
            raise _refused(
                f"{kind} {record_id} is not known to this service, and it cannot tell "
                "whether the registry has it: the bus (NATS) that brings the registry's records is "
                "out of its reach. Retry shortly; check the id if this persists",
                retry=True,
            )
        if lag:
            raise _refused(
                f"{kind} {record_id} has not arrived here yet: {lag} of the registry's "
                "events are still on their way to this service. Retry in a few seconds",
                retry=True,
            )
        raise _refused(
            f"{kind} {record_id} is unknown: this service has every record the "
            f"registry published, and no {kind} has that id. Check the id, or register the "
            f"{kind} in the registry first",
        )

    def check_not_withdrawn(self, peer_worker_id: UUID, on: date) -> None:
        """409 when the registry withdrew the peer worker from the census ``on`` that day or
        before: they left peer work, or withdrew the consent their record rested on (the
        registry's events do not tell which), and were no peer worker to count then. What
        they took part in before is still recorded. A record this service does not know is
        passed over: the registry refuses it."""
        record = self.records.get(peer_worker_id)
        withdrawn_on = record.withdrawn_on if record is not None and record.kind == PEER_WORKER else None
        if withdrawn_on is not None and on >= withdrawn_on:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                f"peer worker {peer_worker_id} is withdrawn from the census in the registry since "
                f"{withdrawn_on} (they left peer work, or withdrew their consent): what happened on "
                f"{on} cannot name them. Count them among the other participants, or reinstate them in "
                "the registry if the withdrawal was a mistake",
            )

    def _known(self, record_id: UUID, kind: str) -> bool:
        record = self.records.get(record_id)
        if record is not None and record.kind == kind and record.erased:
            raise HTTPException(
                status.HTTP_410_GONE, f"the record of {kind} {record_id} was erased at the person's request"
            )
        return record is not None and record.kind == kind

    def _lag(self) -> int | None:
        """Registry messages not applied yet; None when JetStream cannot be asked (no consumer
        here, a replica standing by, NATS away)."""
        consumer = self.consumer
        if consumer is None or not (consumer.running and consumer.connected):
            return None
        try:
            return consumer.run_in_loop(consumer.pending(LAG_TIMEOUT)).result(LAG_TIMEOUT + 1)
        except (TimeoutError, NatsError, RuntimeError):
            return None


def _refused(detail: str, retry: bool = False) -> HTTPException:
    # Retry-After also tells the Idempotency-Key layer not to keep the answer for the retries.
    headers = {"Retry-After": RETRY_AFTER} if retry else None
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail, headers=headers)
