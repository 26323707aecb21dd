"""What one row does to the records: the domain's own commands, on the record its key
names; a row already imported with the same values does nothing."""

from uuid import UUID

from peerwork_common.domain.errors import DomainError, DuplicateError, InvalidValueError
from peerwork_common.domain.values import check_name

from ..domain.partner_structure import NameIndex, PartnerStructure, SiretIndex
from ..domain.peer_worker import PeerWorker
from ..structure_keys import StructureKeys, rekeyed
from .layout import BY_KEY, Kind
from .records import Records
from .row_outcomes import Outcome, RowRefused, UnknownReference, unchanged
from .rows import Row, record_id

SAME_NAME_HINT = f"write oui in the column {BY_KEY['despite_same_name'].french!r}"


def reads(row: Row) -> list[UUID]:
    """The records ``apply`` reads for the row (a survivor of a merge aside), which its
    batch's are asked for at once (``Records.read_ahead``)."""
    command = row.command
    if row.kind is Kind.EMPLOYMENT:
        return [command.structure_id, record_id(Kind.PEER_WORKER, row.peer_worker)]
    if row.kind is Kind.PEER_WORKER:
        return [row.record_id]
    claims = [NameIndex.create_id(NameIndex.key_of(command.name, command.departement))]
    return [row.record_id, *claims, *([SiretIndex.create_id(command.siret)] if command.siret else [])]


def apply(records: Records, row: Row) -> Outcome:
    if row.kind is Kind.EMPLOYMENT:
        return _employment(records, row)
    try:
        return _structure(records, row) if row.kind is Kind.STRUCTURE else _peer_worker(records, row)
    except InvalidValueError as error:
        # The schema checked every other value of a registration: the domain's own check
        # of the name is what is left (nothing visible, control characters).
        raise RowRefused("name", str(error)) from None


def _structure(records: Records, row: Row) -> Outcome:
    command = row.command
    existing = records.get(row.record_id)
    if isinstance(existing, PartnerStructure):
        return unchanged(
            row,
            f"structure {existing.id}",
            f"POST /structures/{existing.id}/correct",
            {
                "name": (existing.name, check_name(command.name, "structure's name")),
                "siret": (existing.siret, command.siret),
                "departement": (existing.departement, command.departement),
                "sector": (existing.sector.value, command.sector.value),
                "effective_on": (existing.registered_on, command.effective_on),
            },
        )
    structure = PartnerStructure.register(
        command.name,
        command.siret,
        command.departement,
        command.sector,
        command.effective_on,
        structure_id=row.record_id,
    )
    try:
        claims = rekeyed(
            records.claims(), structure, StructureKeys(None, None), command.despite_same_name, SAME_NAME_HINT
        )
    except DuplicateError as error:
        siret = records.get(SiretIndex.create_id(command.siret)) if command.siret else None
        held_siret = siret is not None and siret.structure_id == error.existing_id
        raise RowRefused("siret" if held_siret else "name", str(error)) from None
    records.changed(*claims, structure)
    return Outcome.ADDED


def _peer_worker(records: Records, row: Row) -> Outcome:
    command = row.command
    existing = records.get(row.record_id)
    if isinstance(existing, PeerWorker):
        _check_current(existing, "reference")
        # Neither name is written in the report: it is the person's.
        renamed = existing.display_name != check_name(command.display_name, "display name")
        return unchanged(
            row,
            f"peer worker {existing.id}",
            f"POST /peer-workers/{existing.id}/correct-registration",
            {
                "departement": (existing.registered_in, command.departement),
                "domains": (sorted(existing.domains), sorted(command.domains)),
                "effective_on": (existing.registered_on, command.registered_on),
            },
            [
                *(["the name is not the one recorded"] if renamed else []),
                *([f"the legal basis is not the one recorded (POST /peer-workers/{existing.id}/legal-basis)"]
                  if existing.basis != command.legal_basis.value() else []),
            ],
        )
    peer_worker = PeerWorker.register(
        command.display_name,
        command.departement,
        command.domains,
        command.registered_on,
        peer_worker_id=row.record_id,
    )
    peer_worker.record_legal_basis(command.legal_basis.value())
    records.changed(peer_worker)
    return Outcome.ADDED


def _employment(records: Records, row: Row) -> Outcome:
    command = row.command
    structure = records.get(command.structure_id)
    if not isinstance(structure, PartnerStructure):
        raise UnknownReference("structure", row.structure)
    peer_worker = _survivor(records, record_id(Kind.PEER_WORKER, row.peer_worker))
    if peer_worker is None:
        raise UnknownReference("peer_worker", row.peer_worker)
    _check_current(peer_worker, "peer_worker")
    employment_id = row.record_id
    if employment_id in peer_worker.cancelled_employments:
        raise RowRefused(
            None, "this employment was cancelled through the API: it is not imported again; take the row out"
        )
    if (employment := peer_worker.employments.get(employment_id)) is not None:
        where = f"POST /peer-workers/{peer_worker.id}/employments/{employment_id}/correct"
        # An end the file does not know is a fact recorded since (an end, a withdrawal), not a difference.
        ends_on = employment.ends_on if command.ends_on is None else command.ends_on
        return unchanged(
            row,
            f"employment {employment_id}",
            where,
            {
                "effective_on": (employment.starts_on, command.starts_on),
                "ends_on": (employment.ends_on, ends_on),
            },
        )
    try:
        peer_worker.record_employment(structure.id, command.starts_on, command.ends_on, employment_id=employment_id)
    except DomainError as error:
        raise RowRefused(None, str(error)) from None
    records.changed(peer_worker)
    return Outcome.ADDED


def _survivor(records: Records, peer_worker_id: UUID) -> PeerWorker | None:
    """The record that stands for the person: the one named, or the one it was merged into."""
    peer_worker = records.get(peer_worker_id)
    while isinstance(peer_worker, PeerWorker) and peer_worker.merged_into is not None:
        peer_worker = records.get(peer_worker.merged_into)
    return peer_worker if isinstance(peer_worker, PeerWorker) else None


def _check_current(peer_worker: PeerWorker, column: str) -> None:
    if peer_worker.merged_into is not None:
        raise RowRefused(column, f"this record was merged into peer worker {peer_worker.merged_into}: take the row out")
    if peer_worker.erased_on is not None:
        raise RowRefused(
            column,
            f"the record of this peer worker was erased on {peer_worker.erased_on} at the person's request: "
            "it is not imported again; take the row out of the file",
        )
