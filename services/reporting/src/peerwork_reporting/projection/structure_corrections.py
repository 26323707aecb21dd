"""A partner structure corrected: it counts, from its registration on, in its corrected
département and sector, as if the mistake had never been made. Its spells are rewritten,
and what it added to the census is taken back and added again with the corrected values."""

from collections import Counter

from peerwork_contracts import registry as events

from ..ports import Cursor
from .census_contributions import Changes, structure_contributions


def correct(cur: Cursor, event: events.PartnerStructureCorrected) -> Changes:
    """Rewrites the structure's spells; returns the difference it makes to the census."""
    structure_id, payload = str(event.aggregate_id), event.payload
    changes: Changes = Counter()
    for departement, sector, starts_on in cur.execute(
        "SELECT departement, sector, starts_on FROM structure_spells WHERE structure_id = ?", (structure_id,)
    ).fetchall():
        changes.subtract(structure_contributions(departement, sector, starts_on))
        changes.update(structure_contributions(payload.departement, payload.sector, starts_on))
    cur.execute(
        "UPDATE structure_spells SET departement = ?, sector = ? WHERE structure_id = ?",
        (payload.departement, payload.sector, structure_id),
    )
    return changes
