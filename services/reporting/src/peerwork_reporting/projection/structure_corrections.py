"""A partner structure corrected: it counts, from its registration on, in its corrected
département and sector, as if the mistake had never been made. Its spells are rewritten,
and what it added to the census is taken back and added again with the corrected values;
so are its employees' counts by their employer's sector (``employed_by_sector``)."""

from collections import Counter
from collections.abc import Iterable

from peerwork_contracts import registry as events

from ..ports import Cursor
from . import peer_worker_history_rows
from .census_contributions import Changes, employed_by_sector, structure_contributions
from .peer_worker_histories import History


def correct(cur: Cursor, event: events.PartnerStructureCorrected) -> Changes:
    """Rewrites the structure's spells; returns the difference it makes to the census."""
    structure_id, payload = str(event.aggregate_id), event.payload
    changes: Changes = Counter()
    for departement, sector, starts_on in cur.execute(
        "SELECT departement, sector, starts_on FROM structure_spells WHERE structure_id = ?", (structure_id,)
    ).fetchall():
        changes.subtract(structure_contributions(departement, sector, starts_on))
        changes.update(structure_contributions(payload.departement, payload.sector, starts_on))
    employees = peer_worker_history_rows.employed_by(cur, structure_id)
    was = sectors(cur, employees.values())
    for history in employees.values():
        changes.subtract(employed_by_sector(history, was))
    cur.execute(
        "UPDATE structure_spells SET departement = ?, sector = ? WHERE structure_id = ?",
        (payload.departement, payload.sector, structure_id),
    )
    now = {**was, structure_id: payload.sector}
    for history in employees.values():
        changes.update(employed_by_sector(history, now))
    return changes


def sectors(cur: Cursor, histories: Iterable[History], known: Iterable[str] = ()) -> dict[str, str]:
    """The sectors, by structure id, of the structures employing the peer workers (but the
    ``known`` ones), as the views hold them now."""
    ids = sorted({e.structure_id for h in histories for e in h.employments.values()} - set(known))
    found: dict[str, str] = {}
    for chunk, placeholders in peer_worker_history_rows.chunks(ids):
        found.update(cur.execute(
            f"SELECT DISTINCT structure_id, sector FROM structure_spells WHERE structure_id IN ({placeholders})",
            chunk,
        ).fetchall())
    return found
